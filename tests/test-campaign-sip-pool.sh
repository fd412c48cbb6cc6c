#!/bin/sh
# One campaign over a SIP account and a sim line (issue #20), the SIP side real: the Telebot SIP
# line registers at kamailio (tests/data/kamailio/kamailio-trunk.cfg), which relays its calls
# to a sipp UAS that answers, plays a tone and hangs up 1.5 s later; but for the first minute
# from the first call kamailio is out of service and answers every INVITE 503 with a
# Retry-After of the seconds left. Real time, no --fast: the minute is a real one.
# Asserts, from `calls export` and `campaign status` polled while it runs: the SIP line's calls
# in that minute end failed with the 503 as their reason; the line is out of the pick
# ("resting", with the reason, in `campaign status`) for the whole minute and takes no call in
# it, while the sim line carries the campaign's calls; the campaign never pauses; after the
# minute the SIP line carries answered calls again. The run is then stopped (SIGTERM) and
# resumed with --fast 20 minutes later on the campaign clock (a failed call is retried 10
# minutes on at the soonest): the 503'd contacts are called again on the sim line, every
# contact ends with an outcome and nobody was ever in two calls at once.
#
# TELEBOT_SIP_OUTAGE_S (default 60): how long kamailio is out of service; at least 32 s, or
# sofia-sip itself sends the INVITE again after the Retry-After (it does below 32 s).
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
outage=${TELEBOT_SIP_OUTAGE_S:-60}
n_contacts=120
tmp=$(mktemp -d)
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
db="$tmp/t.db"
q() { sqlite3 "$db" "$1"; }

# The "PSTN": sipp answers every call, plays a tone, hangs up after 1.5 s.
cport=$(free_port)
mport=$(free_port)
sox -n -r 8000 -c 1 -e u-law "$tmp/tone.wav" synth 10 sine 440 vol 0.5
sed "s|@WAV@|$tmp/tone.wav|g" "$src/tests/data/sipp/uas-callee_bye.xml" >"$tmp/callee.xml"
(cd "$tmp" && exec sipp -sf "$tmp/callee.xml" -i 127.0.0.1 -p "$cport" -mi 127.0.0.1 \
   -mp "$mport" -nostdin -timeout 400s >/dev/null 2>"$tmp/sipp.err") &
pids="$pids $!"

# The provider: kamailio with alice's account, out of service for $outage s from the first call.
kport=$(free_port)
mkdir "$tmp/kam"
cp "$src/tests/data/kamailio/subscriber" "$src/tests/data/kamailio/version" "$tmp/kam/"
sed -e "s|@PORT@|$kport|g; s|@DBDIR@|$tmp/kam|g; s|@CALLEE_PORT@|$cport|g" \
    -e "s|@OUTAGE_S@|$outage|g" "$src/tests/data/kamailio/kamailio-trunk.cfg" >"$tmp/kam/k.cfg"
kamailio -DD -E -f "$tmp/kam/k.cfg" -Y "$tmp/kam" -P "$tmp/kam/pid" >"$tmp/kam/log" 2>&1 &
pids="$pids $!"
wait_log "$tmp/kam/log" "INFO: <core>" || sed 's/^/# kamailio: /' "$tmp/kam/log"
sleep 0.5

# Contacts who answer and hang up 1.5 s into the bot's prompt: short real-time sim calls.
awk -v n="$n_contacts" 'BEGIN { print "name,phone,company,persona";
  for (i = 0; i < n; i++) printf "Contact %d,+1 202 555 %04d,Company %d,hangs_up\n", i, 1000 + i, i }' \
  >"$tmp/contacts.csv"
awk -v n="$n_contacts" 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
  for (i = 0; i < n; i++) printf "+1202555%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", 1000 + i }' \
  >"$tmp/consent.csv"
"$cli" --db "$db" demo --lang en >/dev/null
"$cli" --db "$db" contacts import "$tmp/contacts.csv" --list Pool --region US >/dev/null 2>&1
"$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1
export TB_TEST_SIP_PASSWORD=secret
"$cli" --db "$db" line add sip acct --domain "127.0.0.1:$kport" --user alice \
  --password-env TB_TEST_SIP_PASSWORD --caller-id +12025559920 --max-calls 2 >/dev/null
# As many places as the campaign dials at once: a retry always finds room on it.
"$cli" --db "$db" line add sim s1 --max-calls 4 --caller-id +12025559901 >/dev/null
"$cli" --db "$db" campaign create Pool --list Pool --script "$src/data/scripts/demo-en.json" \
  --line acct --line s1 --concurrency 4 --policy US \
  --retry '{"max_attempts": 2, "retry_minutes": {"failed": 10}}' >/dev/null
acct=$(q "SELECT id FROM lines WHERE name = 'acct'")
s1=$(q "SELECT id FROM lines WHERE name = 's1'")

# 1. In real time. `campaign status` every second; the run is stopped once the SIP line has
#    carried an answered call dialed after the outage (or after outage + 35 s at the latest).
start=$(date +%s)
"$cli" --db "$db" campaign run Pool --now 2026-12-01T10:00:00-05:00 >"$tmp/run1.json" \
  2>"$tmp/run1.err" &
run=$!
pids="$pids $run"
: >"$tmp/status.log"
first=""
while kill -0 "$run" 2>/dev/null && [ $(( $(date +%s) - start )) -lt $((outage + 50)) ]; do
  "$cli" --db "$db" campaign status Pool >"$tmp/st.json" 2>/dev/null &&
    printf '%s %s\n' "$(date +%s)" "$(tr -d '\n' <"$tmp/st.json")" >>"$tmp/status.log"
  [ -z "$first" ] && first=$(q "SELECT min (dialed_at) FROM attempts WHERE line_id = $acct")
  if [ -n "$first" ] && [ "$(q "SELECT count(*) FROM attempts WHERE line_id = $acct AND answered_at IS NOT NULL AND state = 'ended' AND dialed_at > $first + $outage * 1000000")" -gt 0 ]; then
    break
  fi
  sleep 1
done
kill -TERM "$run" 2>/dev/null
wait "$run"
rc=$?
echo "# run 1: exit $rc after $(( $(date +%s) - start )) s; $(q "SELECT count(*) FROM attempts") calls; $(wc -l <"$tmp/status.log") status polls"
echo "# acct's calls: $(q "SELECT group_concat (((dialed_at - ${first:-0}) / 1000000) || ' s: ' || outcome || '/' || coalesce (protocol_code, 0), '; ') FROM attempts WHERE line_id = $acct")"
check "the run stopped on SIGTERM, not paused by itself (exit $rc)" test "$rc" -eq 130
check "the campaign never paused: not in its output" \
  sh -c "! grep -qi paused '$tmp/run1.err' '$tmp/run1.json'"
grep 'resting' "$tmp/run1.err" | head -n 2 | sed 's/^/# /'
check "the SIP line left the pick for the server's Retry-After, saying why" \
  grep -q "line acct: the SIP server answered 503 (service unavailable); resting \(5[89]\|60\) s" \
  "$tmp/run1.err"

"$cli" --db "$db" calls export --campaign Pool --format csv >"$tmp/calls1.csv" 2>/dev/null
# export.py CSV OUTAGE: the calls of the export as (line, caller_id, number, outcome,
# end_reason, dialed, answered, ended) with times in seconds from the SIP line's first call.
cat >"$tmp/export.py" <<'PY'
import csv, sys
from datetime import datetime
def t(s):
    return datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp() if s else None
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
acct = [t(r['dialed_at']) for r in rows if r['line'] == 'acct']
t0 = min(acct) if acct else 0
calls = [dict(r, d=t(r['dialed_at']) - t0, a=(t(r['answered_at']) - t0) if r['answered_at'] else None,
              e=(t(r['ended_at']) - t0) if r['ended_at'] else None) for r in rows]
outage = float(sys.argv[2])
PY
py() { python3 -c "exec(open('$tmp/export.py').read())
$1" "$2" "$outage"; }
check "calls export names the line and caller number of every call" py "
sys.exit(0 if calls and all((c['line'], c['caller_id']) in (('acct', '+12025559920'), ('s1', '+12025559901')) for c in calls) else 1)" "$tmp/calls1.csv"
py "
for c in sorted(calls, key=lambda c: c['d']):
    if c['line'] == 'acct': print('# export: acct at %.1f s: %s / %s' % (c['d'], c['outcome'], c['end_reason']))" "$tmp/calls1.csv"
check "the SIP line's calls in the outage ended failed, the 503 as their reason (1 or 2: one burst)" py "
cut = [c for c in calls if c['line'] == 'acct' and c['d'] < outage]
sys.exit(0 if 1 <= len(cut) <= 2 and all(c['outcome'] == 'failed' and
  c['end_reason'] == 'line acct: the SIP server answered 503 (service unavailable)' for c in cut) else 1)" "$tmp/calls1.csv"
check "the SIP line took no call for the rest of the minute (out of the pick)" py "
sys.exit(0 if not [c for c in calls if c['line'] == 'acct' and 2 < c['d'] < outage] else 1)" "$tmp/calls1.csv"
sim_in=$(py "print(len([c for c in calls if c['line'] == 's1' and 0 < c['d'] < outage]))" "$tmp/calls1.csv")
check "the sim line carried the campaign's calls in the minute ($sim_in calls)" \
  test "${sim_in:-0}" -ge $((outage / 6))
check "after the minute the SIP line carries answered calls again" py "
back = [c for c in calls if c['line'] == 'acct' and c['d'] >= outage and c['a'] is not None]
print('# back at %.1f s' % min(c['d'] for c in back)) if back else None
sys.exit(0 if back else 1)" "$tmp/calls1.csv"

# campaign status, polled: the SIP line resting with the reason in the minute, back after it;
# the campaign running all along.
check "campaign status showed the campaign running at every poll once started" python3 -c "
import json, sys
st = [json.loads(l.split(' ', 1)[1])['state'] for l in open(sys.argv[1])]
st = st[st.index('running'):] if 'running' in st else []
print('# %d polls once running: %s' % (len(st), sorted(set(st))))
sys.exit(0 if len(st) >= int(sys.argv[2]) // 2 and set(st) == {'running'} else 1)" "$tmp/status.log" "$outage"
check "campaign status showed the SIP line resting, with the 503, through the minute" python3 -c "
import json, sys
rest = []
for l in open(sys.argv[1]):
    at, j = l.split(' ', 1)
    a = [x for x in json.loads(j)['lines'] if x['line'] == 'acct'][0]
    if a['state'] == 'resting':
        rest.append((int(at), a['reason'], a['back_in_s']))
print('# resting at %d polls, e.g. %s' % (len(rest), rest[len(rest) // 2] if rest else None))
ok = len(rest) >= int(sys.argv[2]) // 2 and all(r[1] == 'acct: the SIP server answered 503 (service unavailable)' and 0 < r[2] <= int(sys.argv[2]) for r in rest)
ok = ok and rest[-1][0] - rest[0][0] >= int(sys.argv[2]) - 10
sys.exit(0 if ok else 1)" "$tmp/status.log" "$outage"
check "campaign status showed the SIP line back in the pool after the minute" python3 -c "
import json, sys
st = [[x for x in json.loads(l.split(' ', 1)[1])['lines'] if x['line'] == 'acct'][0] for l in open(sys.argv[1])]
i = max([k for k, a in enumerate(st) if a['state'] == 'resting'] or [len(st)])
sys.exit(0 if i + 1 < len(st) and all(a['state'] != 'resting' for a in st[i + 1:]) else 1)" "$tmp/status.log"

# 2. Resumed with --fast 20 minutes later on the campaign clock: the retries are due.
"$cli" --db "$db" campaign run Pool --fast --now 2026-12-01T10:20:00-05:00 >"$tmp/run2.json" \
  2>"$tmp/run2.err"
check "the resumed campaign finishes" grep -q '"finished":true' "$tmp/run2.json"
"$cli" --db "$db" calls export --campaign Pool --format csv >"$tmp/calls2.csv" 2>/dev/null
check "each 503'd contact is called again, on the sim line" py "
cut = [c for c in calls if c['line'] == 'acct' and c['outcome'] == 'failed']
again = [c for c in calls if c['line'] == 's1']
sys.exit(0 if cut and all(any(a['number'] == c['number'] and a['d'] > c['d'] for a in again) for c in cut) else 1)" "$tmp/calls2.csv"
check "no contact was ever in two calls at once (export start/end times)" py "
by = {}
for c in calls: by.setdefault(c['number'], []).append(c)
bad = [k for k, cs in by.items() for x in cs for y in cs if x is not y and x['d'] < y['d'] < x['e']]
sys.exit(1 if bad else 0)" "$tmp/calls2.csv"
check "every contact ends with an outcome, and no call lost its own" \
  test "$(q "SELECT count(*) FROM queue q JOIN campaigns k ON k.id = q.campaign_id WHERE k.name = 'Pool' AND (q.state IN ('pending', 'active') OR (q.state = 'done' AND q.last_outcome IS NULL AND q.attempts > 0))")" -eq 0 -a \
       "$(q "SELECT count(*) FROM attempts WHERE outcome IS NULL OR ended_at IS NULL")" -eq 0
check "campaign status: the SIP line no longer resting once the campaign is over" python3 -c "
import json, subprocess, sys
j = json.loads(subprocess.check_output([sys.argv[1], '--db', sys.argv[2], 'campaign', 'status', 'Pool']))
a = [x for x in j['lines'] if x['line'] == 'acct'][0]
sys.exit(0 if j['state'] == 'finished' and a['state'] != 'resting' and a['calls'] > 0 else 1)" "$cli" "$db"
echo "# $(( $(date +%s) - start )) s in all"

echo "1..$n"
exit $((fail > 0))
