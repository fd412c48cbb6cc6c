#!/bin/sh
# A whole campaign on the simulated line, --fast: 300 contacts, 8 at once,
# every persona (in English, or in Chinese with TELEBOT_CAMPAIGN_LANG=zh). Then the same campaign killed with SIGKILL at five random
# moments and resumed each time. Asserts the outcomes in the SQLite file.
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
n_contacts=${TELEBOT_CAMPAIGN_CONTACTS:-300}
tmp=$(mktemp -d)
[ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
q() { sqlite3 "$db" "$1"; }

personas="interested polite_no hostile_opt_out robot_question call_me_later voicemail busy no_answer silent talks_over hangs_up"
retry='{"max_attempts": 3, "retry_minutes": {"busy": 30, "no_answer": 120}}'
# TELEBOT_CAMPAIGN_LANG=zh: the same campaign in Chinese, offline: +86 callees speaking Chinese
# (their own phrasings, not the script's), the Chinese script, the CN pack, and the simulated
# line rehearsing (it reads what the callees say; no Chinese recognizer exists offline).
lang=${TELEBOT_CAMPAIGN_LANG:-en}
if [ "$lang" = zh ]; then
  now=2026-12-01T10:00:00+08:00   # a Tuesday morning in Beijing
  offset_h=8; window_start=9; window_end=21
else
  now=2026-12-01T10:00:00-05:00   # a Tuesday morning in Washington, DC
  offset_h=-5; window_start=8; window_end=21
fi

make_campaign() {
  db=$1
  csv="$tmp/contacts.csv"
  if [ "$lang" = zh ]; then
    awk -v n="$n_contacts" -v p="$personas" 'BEGIN {
      split(p, P, " "); print "name,phone,company,persona";
      for (i = 0; i < n; i++) printf "联系人%d,+86 138 1234 %04d,公司%d,%s\n", i, 1000 + i, i, P[i % 11 + 1] }' >"$csv"
    "$cli" --db "$db" demo --lang zh >/dev/null || return 1
    "$cli" --db "$db" contacts import "$csv" --list Sim --region CN >/dev/null 2>&1 || return 1
    "$cli" --db "$db" campaign create Sim --list Sim --script "$src/data/scripts/demo-zh.json" \
      --line "模拟线路（排练）" --concurrency 8 --policy CN --retry "$retry" >/dev/null
    return
  fi
  awk -v n="$n_contacts" -v p="$personas" 'BEGIN {
    split(p, P, " "); print "name,phone,company,persona";
    for (i = 0; i < n; i++) printf "Contact %d,+1 202 555 %04d,Company %d,%s\n", i, 1000 + i, i, P[i % 11 + 1] }' >"$csv"
  # The US pack requires consent to an automated voice (R5): the business has it.
  awk -v n="$n_contacts" 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
    for (i = 0; i < n; i++) printf "+1202555%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", 1000 + i }' >"$tmp/consent.csv"
  "$cli" --db "$db" demo --lang en >/dev/null || return 1
  "$cli" --db "$db" contacts import "$csv" --list Sim --region US >/dev/null 2>&1 || return 1
  "$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1 || return 1
  "$cli" --db "$db" campaign create Sim --list Sim --script "$src/data/scripts/demo-en.json" \
    --line "Simulated line" --concurrency 8 --policy US --retry "$retry" >/dev/null
}

assert_outcomes() {
  label=$1
  check "$label: every contact ends with an outcome" \
    test "$(q "SELECT count(*) FROM queue q JOIN campaigns k ON k.id = q.campaign_id WHERE k.name = 'Sim' AND q.state IN ('pending', 'active')")" -eq 0
  check "$label: no attempt is left open" \
    test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -eq 0
  check "$label: nobody is dialed more than 3 times" \
    test "$(q "SELECT count(*) FROM (SELECT e164 FROM attempts GROUP BY e164 HAVING count(*) > 3)")" -eq 0
  # In order of attempts, not of time: each resumed run starts its simulated
  # clock at --now again, so an attempt of an earlier run can carry a later time.
  check "$label: no number is dialed after its opt-out" \
    test "$(q "SELECT count(*) FROM attempts a JOIN dnc d ON d.e164 = a.e164 WHERE CASE WHEN d.attempt_id IS NULL THEN a.dialed_at > d.created_at ELSE a.id > d.attempt_id END")" -eq 0
  check "$label: every call recorded as an opt-out left a DNC entry" \
    test "$(q "SELECT count(*) FROM attempts WHERE opt_out AND e164 NOT IN (SELECT e164 FROM dnc)")" -eq 0
  busy=$(q "SELECT count(*) FROM contacts c JOIN lists l ON l.id = c.list_id WHERE l.name = 'Sim' AND c.persona = 'busy'")
  check "$label: every busy persona ($busy) is dialed exactly 3 times (the retry cap)" \
    test "$busy" -gt 0 -a "$(q "SELECT count(*) FROM (SELECT a.e164 FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.persona = 'busy' GROUP BY a.e164 HAVING count(*) = 3)")" -eq "$busy"
  noans=$(q "SELECT count(*) FROM contacts c JOIN lists l ON l.id = c.list_id WHERE l.name = 'Sim' AND c.persona = 'no_answer'")
  check "$label: every no-answer persona ($noans) is dialed exactly 3 times" \
    test "$noans" -gt 0 -a "$(q "SELECT count(*) FROM (SELECT a.e164 FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.persona = 'no_answer' GROUP BY a.e164 HAVING count(*) = 3)")" -eq "$noans"
  check "$label: no call outside the ${window_start}:00–${window_end}:00 window in the callees' time" \
    test "$(q "SELECT count(*) FROM attempts WHERE CAST(strftime('%H', dialed_at / 1000000 + $offset_h * 3600, 'unixepoch') AS INTEGER) NOT BETWEEN $window_start AND $((window_end - 1))")" -eq 0
  check "$label: nobody was blocked (consent, window and caps allow the plan)" \
    test "$(q "SELECT count(*) FROM queue WHERE state = 'blocked'")" -eq 0
}

# assert_records LABEL: the audit log verifies (every attempt, DNC and consent row has its
# record), and every recording in the data folder is named by its attempt, exists, and has a
# header that says how long it is (the ones a kill cut short were finalized on resume).
assert_records() {
  label=$1
  dir=$(dirname "$db")
  "$cli" --db "$db" audit verify >"$tmp/verify.json" 2>"$tmp/verify.err"
  check "$label: audit verify passes" grep -q '"ok":true' "$tmp/verify.json"
  grep -q '"ok":true' "$tmp/verify.json" || sed 's/^/# /' "$tmp/verify.json" "$tmp/verify.err"
  unnamed=0; bad=0; gone=0
  for f in $(find "$dir/recordings" -name '*.wav' 2>/dev/null); do
    [ "$(q "SELECT count(*) FROM attempts WHERE recording = '${f#"$dir/"}'")" = 1 ] ||
      unnamed=$((unnamed+1))
    python3 -c "import os,struct,sys; h=open(sys.argv[1],'rb').read(44); n=os.path.getsize(sys.argv[1]); sys.exit(0 if struct.unpack('<I',h[40:44])[0] == n - 44 and n > 44 else 1)" "$f" ||
      bad=$((bad+1))
  done
  for rel in $(q "SELECT recording FROM attempts WHERE recording IS NOT NULL"); do
    [ -f "$dir/$rel" ] || gone=$((gone+1))
  done
  check "$label: every recording is named by its attempt ($unnamed not)" test "$unnamed" -eq 0
  check "$label: every recording's header says how long it is ($bad not)" test "$bad" -eq 0
  check "$label: every recording an attempt names exists ($gone not)" test "$gone" -eq 0
}

# 1. One uninterrupted run (each database in a folder of its own: its recordings are there).
mkdir -p "$tmp/once" "$tmp/killed"
db="$tmp/once/once.db"
check "the campaign is created" make_campaign "$db"
start=$(date +%s)
"$cli" --db "$db" campaign run Sim --fast --now "$now" >"$tmp/summary.json" 2>"$tmp/progress.log"
rc=$?
took=$(( $(date +%s) - start ))
check "campaign run exits 0 (took ${took}s)" test "$rc" -eq 0
check "the summary says finished" grep -q '"finished":true' "$tmp/summary.json"
echo "# $(cat "$tmp/summary.json")"
assert_outcomes "one run"
assert_records "one run"
# Grades follow what each persona says (its phrases, in espeak-ng's voice
# through a telephone channel, recognized by pocketsphinx: ./dev bench speech
# measures recognition in general; these are the personas' own phrases).
persona_calls() {  # PERSONA [CONDITION]: answered attempts of that persona
  q "SELECT count(*) FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.persona = '$1' AND a.answered_at IS NOT NULL ${2:+AND $2}"
}
interested=$(persona_calls interested)
interested_ab=$(persona_calls interested "a.grade IN ('A', 'B')")
refusing=$(persona_calls polite_no)
refusing_de=$(persona_calls polite_no "a.grade IN ('D', 'E')")
hostile=$(persona_calls hostile_opt_out)
hostile_dnc=$(persona_calls hostile_opt_out "a.opt_out AND a.e164 IN (SELECT e164 FROM dnc)")
echo "# interested A/B: $interested_ab of $interested; refusals D/E: $refusing_de of $refusing; opt-outs on the DNC list: $hostile_dnc of $hostile"
check "every interested persona grades A or B ($interested_ab of $interested)" \
  test "$interested" -gt 0 -a "$interested_ab" -eq "$interested"
check "every refusal grades D or E ($refusing_de of $refusing)" \
  test "$refusing" -gt 0 -a "$refusing_de" -eq "$refusing"
check "every opt-out persona is flagged and on the DNC list ($hostile_dnc of $hostile)" \
  test "$hostile" -gt 0 -a "$hostile_dnc" -eq "$hostile"
check "every call that heard 'yes' twice (pitch and details) grades A or B" \
  test "$(q "SELECT count(*) FROM attempts a WHERE (SELECT count(*) FROM turns t WHERE t.attempt_id = a.id AND t.speaker = 'callee' AND t.intent = 'yes') >= 2 AND a.grade NOT IN ('A', 'B')")" -eq 0
check "every call that heard an opt-out is graded E, flagged and on the DNC list" \
  test "$(q "SELECT count(*) FROM attempts a WHERE EXISTS (SELECT 1 FROM turns t WHERE t.attempt_id = a.id AND t.intent = 'opt_out') AND (a.grade != 'E' OR NOT a.opt_out OR a.e164 NOT IN (SELECT e164 FROM dnc))")" -eq 0
check "every call that heard 'no' and no 'yes' grades D or E" \
  test "$(q "SELECT count(*) FROM attempts a WHERE EXISTS (SELECT 1 FROM turns t WHERE t.attempt_id = a.id AND t.intent = 'no') AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.attempt_id = a.id AND t.intent = 'yes') AND a.grade NOT IN ('D', 'E')")" -eq 0
check "the opt-out's DNC row was written before the call's end record" \
  test "$(q "SELECT count(*) FROM dnc d JOIN attempts a ON a.id = d.attempt_id WHERE d.created_at > a.ended_at")" -eq 0

# 2. The same campaign, killed five times at random moments.
db="$tmp/killed/killed.db"
check "the second campaign is created" make_campaign "$db"
for i in 1 2 3 4 5; do
  "$cli" --db "$db" campaign run Sim --fast --now "$now" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v s="$$$i" 'BEGIN { srand(s); printf "%.1f", 0.5 + rand() * 3 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
"$cli" --db "$db" campaign run Sim --fast --now "$now" >"$tmp/summary2.json" 2>/dev/null
check "the resumed campaign finishes" grep -q '"finished":true' "$tmp/summary2.json"
echo "# $(cat "$tmp/summary2.json")"
echo "# interrupted attempts: $(q "SELECT count(*) FROM attempts WHERE state = 'interrupted'")"
assert_outcomes "after 5 kills"
assert_records "after 5 kills"

# 3. SIGTERM on a campaign in real time (8 calls in flight): it ends within 2 s, every call
# in flight is hung up and closed as interrupted, no attempt is left open, and the next run
# finishes the campaign.
db="$tmp/term.db"
n_contacts=16
make_campaign "$db"
"$cli" --db "$db" campaign run Sim --now "$now" >"$tmp/term.json" 2>/dev/null &
pid=$!
i=0
while [ "$(q "SELECT count(*) FROM attempts WHERE state IN ('answered', 'ringing', 'dialing')")" -lt 4 ] && \
      [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
in_flight=$(q "SELECT count(*) FROM attempts WHERE state IN ('answered', 'ringing', 'dialing')")
kill -TERM "$pid"
t0=$(date +%s%N)
status=0; wait "$pid" || status=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "SIGTERM with $in_flight calls in flight: campaign run ended ${ms} ms after it (status $status)" \
  test "$ms" -lt 2000 -a "$in_flight" -gt 0
check "... no attempt is left open" \
  test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -eq 0
check "... the calls cut off are interrupted, ungraded" \
  test "$(q "SELECT count(*) FROM attempts WHERE outcome = 'interrupted' AND grade IS NULL")" -ge 1 -a \
       "$(q "SELECT count(*) FROM attempts WHERE outcome = 'interrupted' AND grade IS NOT NULL")" -eq 0
"$cli" --db "$db" campaign run Sim --fast --now "$now" >"$tmp/term2.json" 2>/dev/null
check "... and the next run finishes the campaign" grep -q '"finished":true' "$tmp/term2.json"

echo "1..$n"
[ "$fail" -eq 0 ]
