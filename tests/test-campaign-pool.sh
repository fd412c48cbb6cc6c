#!/bin/sh
# One campaign over a pool of lines (issue #20), --fast: contacts over 3 sim lines and 2 modem
# simulators (ptys), one modem unplugged mid-call ("vanish") and plugged back. Asserts, from the
# SQLite file: every contact ends with an outcome; no contact is ever in two calls at once
# (attempt start/end times); the unplugged modem's call ends with the line's reason and its
# contact is called again on another line; the modem is used again once it is back; calls go
# out on every line, each presenting one of its line's caller numbers, and `calls export` names
# both; s3 presents two numbers, each capped at 4 calls in any hour, and the campaign's rule
# gives every retry another number than the contact's last call.
# Then the same campaign killed with SIGKILL twice and resumed: nobody dialed twice at once,
# nobody beyond the retry cap, no outcome lost. Last, a SIP trunk answering 503 (sipp) beside
# a sim line: the trunk rests at once and the calls go out on the sim line.
#
# Fewer contacts than the issue's 500 (TELEBOT_POOL_CONTACTS, default 60): the modem
# simulators carry their calls in real time, and the whole test must stay under a minute.
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
sim=${TELEBOT_BUILD_DIR:?}/tests/tb-modem-sim
n_contacts=${TELEBOT_POOL_CONTACTS:-60}
tmp=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  [ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
q() { sqlite3 "$db" "$1"; }

# Callees that end their call without a retry, and busy ones retried once 30 minutes later.
personas="interested polite_no hostile_opt_out robot_question voicemail hangs_up busy"
retry='{"max_attempts": 2, "retry_minutes": {"busy": 30, "failed": 30}}'
now=2026-12-01T10:00:00-05:00   # a Tuesday morning in Washington, DC

awk -v n="$n_contacts" -v p="$personas" 'BEGIN {
  split(p, P, " "); print "name,phone,company,persona";
  for (i = 0; i < n; i++) printf "Contact %d,+1 202 555 %04d,Company %d,%s\n", i, 1000 + i, i, P[i % 7 + 1] }' >"$tmp/contacts.csv"
awk -v n="$n_contacts" 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
  for (i = 0; i < n; i++) printf "+1202555%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", 1000 + i }' >"$tmp/consent.csv"

# start_modem NAME: a Huawei stick on two ptys whose callees answer and hang up 2 s later;
# faults are written to fd 3 (m1) or 4 (m2).
start_modem() {
  rm -f "$tmp/$1.at" "$tmp/$1.pcm" "$tmp/$1.ctl"
  mkfifo "$tmp/$1.ctl"
  "$sim" --vendor huawei --at-link "$tmp/$1.at" --audio-link "$tmp/$1.pcm" \
    --callee '*:answer:0.3:hangup:2' --events "$tmp/$1.ev" <>"$tmp/$1.ctl" >/dev/null \
    2>"$tmp/$1.err" &
  pids="$pids $!"
  i=0; while [ ! -e "$tmp/$1.at" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
}

# make_campaign DB: the contacts, 3 sim lines of 3 calls each (s3 with two caller numbers,
# each at most 4 calls an hour) and the 2 modems, 11 at once.
make_campaign() {
  db=$1
  "$cli" --db "$db" demo --lang en >/dev/null || return 1
  "$cli" --db "$db" contacts import "$tmp/contacts.csv" --list Pool --region US >/dev/null 2>&1
  "$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1
  for i in 1 2; do
    "$cli" --db "$db" line add sim "s$i" --max-calls 3 --seed "$i" \
      --caller-id "+1202555990$i" >/dev/null || return 1
  done
  "$cli" --db "$db" line add sim s3 --max-calls 3 --seed 3 --caller-id +12025559903 \
    --caller-id +12025559904 --calls-per-hour 4 >/dev/null || return 1
  for i in 1 2; do
    "$cli" --db "$db" line add modem "m$i" --device "$tmp/m$i.at" --audio "$tmp/m$i.pcm" \
      --vendor huawei --caller-id "+1202555991$i" >/dev/null || return 1
  done
  "$cli" --db "$db" campaign create Pool --list Pool --script "$src/data/scripts/demo-en.json" \
    --line s1 --line s2 --line s3 --line m1 --line m2 --concurrency 11 --policy US \
    --retry "$retry" --number-rule different-on-retry >"$tmp/create.json"
}

line_id() { q "SELECT id FROM lines WHERE name = '$1'"; }

assert_safe() {
  label=$1
  check "$label: every contact ends with an outcome" \
    test "$(q "SELECT count(*) FROM queue q JOIN campaigns k ON k.id = q.campaign_id WHERE k.name = 'Pool' AND (q.state IN ('pending', 'active') OR (q.state = 'done' AND q.last_outcome IS NULL AND q.attempts > 0))")" -eq 0
  check "$label: no attempt is left open" \
    test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted') OR ended_at IS NULL")" -eq 0
  check "$label: no attempt lost its outcome" \
    test "$(q "SELECT count(*) FROM attempts WHERE outcome IS NULL")" -eq 0
  overlap=$(q "SELECT count(*) FROM attempts a JOIN attempts b ON a.contact_id = b.contact_id AND a.id < b.id WHERE b.dialed_at < a.ended_at AND a.dialed_at < b.ended_at")
  check "$label: no contact is ever in two calls at once ($overlap overlaps)" test "$overlap" -eq 0
  check "$label: nobody is dialed more than the 2 attempts the rules allow" \
    test "$(q "SELECT count(*) FROM (SELECT contact_id FROM attempts GROUP BY contact_id HAVING count(*) > 2)")" -eq 0
  check "$label: every attempt names a line of the pool" \
    test "$(q "SELECT count(*) FROM attempts WHERE line_id NOT IN (SELECT line_id FROM campaign_lines)")" -eq 0
}

start_modem m1
start_modem m2
exec 3>"$tmp/m1.ctl" 4>"$tmp/m2.ctl"

# 1. The whole campaign, m1 unplugged for 3 s in the middle of a call.
make_campaign "$tmp/a.db"
check "campaign create takes the 5 lines as one pool" \
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit([l['line'] for l in j['lines']] != ['s1','s2','s3','m1','m2'])" "$tmp/create.json"
start=$(date +%s)
"$cli" --db "$db" campaign run Pool --fast --now "$now" >"$tmp/run1.json" 2>"$tmp/run1.err" &
run=$!
# m1 answers its second call; it vanishes mid-call (both ports gone), back after 3 s.
i=0; while [ "$(grep -c '^ANSWER' "$tmp/m1.ev" 2>/dev/null)" -lt 2 ] && [ $i -lt 300 ]; do
  sleep 0.05; i=$((i+1)); done
echo "vanish 3" >&3
wait "$run"
echo "# $(cut -c1-400 "$tmp/run1.json") ($(( $(date +%s) - start )) s)"
check "the campaign finishes" grep -q '"finished":true' "$tmp/run1.json"
check "the modem simulator was unplugged and came back" grep -q "RETURN vanish" "$tmp/m1.ev"
assert_safe "pool"
m1=$(line_id m1)
cut=$(q "SELECT id FROM attempts WHERE line_id = $m1 AND end_reason LIKE 'line m1: %' ORDER BY id LIMIT 1")
echo "# m1's cut call: $(q "SELECT id, contact_id, outcome, end_reason FROM attempts WHERE id = ${cut:-0}")"
check "the unplugged modem's call ends failed, with the line's reason" \
  test -n "$cut" -a "$(q "SELECT outcome FROM attempts WHERE id = ${cut:-0}")" = failed
check "its contact is called again on another line" \
  test "$(q "SELECT count(*) FROM attempts b JOIN attempts a ON a.id = ${cut:-0} WHERE b.contact_id = a.contact_id AND b.id > a.id AND b.line_id != $m1")" -eq 1
check "m1 dials again once it is back" \
  test "$(q "SELECT count(*) FROM attempts WHERE line_id = $m1 AND id > ${cut:-0}")" -gt 0
for l in s1 s2 s3 m1 m2; do
  calls=$(q "SELECT count(*) FROM attempts WHERE line_id = $(line_id $l)")
  check "calls go out on $l ($calls)" test "$calls" -gt 0
done
check "every attempt presents one of its line's caller numbers" \
  test "$(q "SELECT count(*) FROM attempts a JOIN lines l ON l.id = a.line_id WHERE a.caller_id IS NOT json_extract (l.config, '\$.caller_id') AND a.caller_id NOT IN (SELECT value FROM json_each (l.config, '\$.caller_ids'))")" -eq 0
s3_numbers=$(q "SELECT count(DISTINCT caller_id) FROM attempts WHERE line_id = $(line_id s3)")
check "s3 presents both its numbers ($s3_numbers)" test "$s3_numbers" -eq 2
busiest=$(q "SELECT coalesce (max ((SELECT count(*) FROM attempts b WHERE b.caller_id = a.caller_id AND b.dialed_at > a.dialed_at - 3600000000 AND b.dialed_at <= a.dialed_at)), 0) FROM attempts a WHERE a.line_id = $(line_id s3)")
check "no s3 number makes more than 4 calls in any hour ($busiest at most)" test "$busiest" -le 4 -a "$busiest" -gt 0
check "no retry presents the number its contact's last call did" \
  test "$(q "SELECT count(*) FROM attempts a JOIN attempts b ON b.contact_id = a.contact_id AND b.id = (SELECT min (id) FROM attempts c WHERE c.contact_id = a.contact_id AND c.id > a.id) WHERE b.caller_id = a.caller_id")" -eq 0
check "no line carried more calls at once than it allows (per line, start/end times)" \
  test "$(q "SELECT count(*) FROM attempts a JOIN lines l ON l.id = a.line_id WHERE (SELECT count(*) FROM attempts b WHERE b.line_id = a.line_id AND b.dialed_at <= a.dialed_at AND b.ended_at > a.dialed_at) > l.max_calls")" -eq 0
"$cli" --db "$db" calls export --campaign Pool --format csv >"$tmp/calls.csv" 2>/dev/null
check "calls export (CSV) names the line and the caller number of each call" \
  python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
ok = rows and all(r['line'] in ('s1','s2','s3','m1','m2') and r['caller_id'].startswith('+120255599') for r in rows)
sys.exit(0 if ok else 1)" "$tmp/calls.csv"
"$cli" --db "$db" calls export --campaign Pool --format json >"$tmp/calls.json" 2>/dev/null
check "calls export (JSON) names the line and the caller number of each call" \
  python3 -c "
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get('calls', rows) if isinstance(rows, dict) else rows
sys.exit(0 if rows and all(r['line'] and r['caller_id'] for r in rows) else 1)" "$tmp/calls.json"
"$cli" --db "$db" campaign status Pool >"$tmp/status.json"
check "campaign status has one row per line, with its calls and answer rate" \
  python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
ls = j['lines']
sys.exit(0 if len(ls) == 5 and all(l['calls'] > 0 and l['in_flight'] == 0 and l['answer_rate'] is not None for l in ls) else 1)" "$tmp/status.json"
check "campaign status has a row per caller number of s3, their calls adding up to the line's" \
  python3 -c "
import json, sys
l = [l for l in json.load(open(sys.argv[1]))['lines'] if l['line'] == 's3'][0]
ns = sorted(n['number'] for n in l['numbers'])
sys.exit(0 if ns == ['+12025559903', '+12025559904'] and sum(n['calls'] for n in l['numbers']) == l['calls'] and all('health' in n for n in l['numbers']) else 1)" "$tmp/status.json"
for num in +12025559903 +12025559904; do
  recent=$(q "SELECT count(*) || ' ' || coalesce(sum(answered_at IS NOT NULL), 0) FROM (SELECT answered_at FROM attempts WHERE caller_id = '$num' AND state = 'ended' AND outcome NOT IN ('failed', 'interrupted') ORDER BY id DESC LIMIT 100)")
  check "campaign status: $num's answer rate over its last calls ($recent) is the attempts'" \
    python3 -c "
import json, sys
calls, answered = map(int, sys.argv[2].split())
l = [l for l in json.load(open(sys.argv[1]))['lines'] if l['line'] == 's3'][0]
n = [n for n in l['numbers'] if n['number'] == sys.argv[3]][0]
ok = n['recent_calls'] == calls and calls > 0 and abs(n['recent_answer_rate'] - answered / calls) < 1e-9
sys.exit(0 if ok else 1)" "$tmp/status.json" "$recent" "$num"
done

# Each number's calls of the last hour against its cap, at the campaign's last dial, are the
# attempts' (the Campaigns page shows the same rows).
end_s=$(q "SELECT max(dialed_at) / 1000000 + 1 FROM attempts")
"$cli" --db "$db" campaign status Pool --now "$(date -u -d "@$end_s" +%Y-%m-%dT%H:%M:%SZ)" \
  >"$tmp/status-end.json"
for num in +12025559903 +12025559904; do
  hour=$(q "SELECT count(*) FROM attempts WHERE caller_id = '$num' AND dialed_at >= ($end_s - 3600) * 1000000")
  check "campaign status --now: $num made $hour call(s) in the last hour, within its cap of 4, and says whether it is at it" \
    python3 -c "
import json, sys
l = [l for l in json.load(open(sys.argv[1]))['lines'] if l['line'] == 's3'][0]
n = [n for n in l['numbers'] if n['number'] == sys.argv[2]][0]
hour = int(sys.argv[3])
ok = (n['calls_per_hour'] == 4 and n['calls_this_hour'] == hour <= 4 and n['configured']
      and (n['state'] == 'hourly_cap') == (hour == 4) and (n['until'] is None) == (hour < 4))
sys.exit(0 if ok else 1)" "$tmp/status-end.json" "$num" "$hour"
done

# 2. The same campaign killed with SIGKILL twice and resumed; each run starts its clock later
#    than the last, so attempt times of all runs compare.
make_campaign "$tmp/b.db"
for k in 1 2; do
  "$cli" --db "$db" campaign run Pool --fast --now "2026-12-01T1$((2 * k - 2)):00:00-05:00" \
    >/dev/null 2>&1 &
  pid=$!
  # Kill it while calls are in flight: once this run has dialed some and has some open.
  before=$(q "SELECT count(*) FROM attempts")
  i=0
  while [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null &&
        ! [ "$(q "SELECT count(*) FROM attempts")" -ge $((before + 8)) -a \
            "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -gt 0 ]; do
    sleep 0.05; i=$((i+1))
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  echo "# killed run $k after $(q "SELECT count(*) FROM attempts") attempts"
done
check "the kills left calls open" test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -gt 0
"$cli" --db "$db" campaign run Pool --fast --now 2026-12-01T14:00:00-05:00 >"$tmp/run2.json" 2>/dev/null
check "the resumed campaign finishes" grep -q '"finished":true' "$tmp/run2.json"
echo "# $(cut -c1-300 "$tmp/run2.json")"
assert_safe "killed twice"
check "killed twice: the calls cut by the kills are closed as interrupted" \
  test "$(q "SELECT count(*) FROM attempts WHERE outcome = 'interrupted'")" -gt 0

# 3. A SIP trunk whose INVITEs are answered 503 (sipp on loopback), beside a sim line: the
#    trunk leaves the pick at its first 503 (it rests 30 s: longer than this campaign), the
#    503'd contacts are called again on the sim line, and the campaign finishes.
sport=$(free_port)
(cd "$tmp" && exec sipp -sf "$src/tests/data/sipp/uas-503.xml" -i 127.0.0.1 -p "$sport" -m 10 \
   -nostdin -timeout 60s >/dev/null 2>&1) &
pids="$pids $!"
db="$tmp/c.db"
"$cli" --db "$db" demo --lang en >/dev/null
head -n 21 "$tmp/contacts.csv" >"$tmp/c20.csv"
"$cli" --db "$db" contacts import "$tmp/c20.csv" --list Pool --region US >/dev/null 2>&1
"$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1
"$cli" --db "$db" line add sip trunk --domain "127.0.0.1:$sport" --no-register \
  --caller-id +12025559920 --max-calls 2 >/dev/null
"$cli" --db "$db" line add sim s1 --max-calls 3 --caller-id +12025559901 >/dev/null
"$cli" --db "$db" campaign create Pool --list Pool --script "$src/data/scripts/demo-en.json" \
  --line trunk --line s1 --concurrency 5 --policy US --retry "$retry" >/dev/null
"$cli" --db "$db" campaign run Pool --fast --now "$now" >"$tmp/run3.json" 2>"$tmp/run3.err"
check "503: the campaign finishes" grep -q '"finished":true' "$tmp/run3.json"
trunk=$(line_id trunk)
echo "# trunk: $(q "SELECT group_concat (outcome || '/' || protocol_code) FROM attempts WHERE line_id = $trunk")"
check "503: the trunk's calls ended failed with the 503, and it took no more than its 2 places" \
  test "$(q "SELECT count(*) FROM attempts WHERE line_id = $trunk AND outcome = 'failed' AND protocol_code = 503")" -ge 1 -a \
       "$(q "SELECT count(*) FROM attempts WHERE line_id = $trunk")" -le 2 -a \
       "$(q "SELECT count(*) FROM attempts WHERE line_id = $trunk AND protocol_code IS NOT 503")" -eq 0
check "503: the trunk left the pick, saying why" grep -q "line trunk: .* resting 30 s" "$tmp/run3.err"
check "503: each 503'd contact is called again on the sim line" \
  test "$(q "SELECT count(*) FROM attempts a WHERE a.line_id = $trunk AND NOT EXISTS (SELECT 1 FROM attempts b WHERE b.contact_id = a.contact_id AND b.id > a.id AND b.line_id = $(line_id s1))")" -eq 0
assert_safe "503"

echo "1..$n"
exit $((fail > 0))
