#!/bin/sh
# Carrier announcements (issue 17, item 5): simulated callees answered by a carrier's
# recording end their calls with its outcome — vacant, powered_off, suspended, unreachable,
# busy — ungraded and at once; a vacant number is refused by the dial gate in every other
# campaign (audited, its own rule), powered_off is retried, suspended is not; and a business
# adds an announcement of its own from a recording, which is then recognised.
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
q() { sqlite3 "$db" "$1"; }
outcome_of() { q "SELECT group_concat (outcome, ',') FROM (SELECT a.outcome FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.persona = '$1' ORDER BY a.id)"; }
db="$tmp/t.db"
now=2026-12-01T10:00:00-05:00   # a Tuesday morning in Washington, DC
script="$src/data/scripts/demo-en.json"

"$cli" --db "$db" line add sim fast --fast >/dev/null
cat >"$tmp/a.csv" <<CSV
name,phone,company,persona
Vacant US,+1 202 555 0131,A,us_vacant
Vacant CN,+1 202 555 0132,B,cn_vacant
Off,+1 202 555 0133,C,cn_powered_off
Suspended,+1 202 555 0134,D,cn_suspended
Unreachable,+1 202 555 0135,E,cn_unreachable
In a call,+1 202 555 0136,F,cn_in_call
Person,+1 202 555 0137,G,polite_no
CSV
awk 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
  for (i = 31; i <= 39; i++) printf "+120255501%02d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", i }' \
  >"$tmp/consent.csv"
"$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1
"$cli" --db "$db" contacts import "$tmp/a.csv" --list A --region US >/dev/null 2>&1
"$cli" --db "$db" campaign create A --list A --script "$script" --line fast --policy US \
  >/dev/null 2>&1
"$cli" --db "$db" campaign run A --fast --now "$now" >"$tmp/a.json" 2>"$tmp/a.log" || true
check "campaign A finishes" grep -q '"finished":true' "$tmp/a.json"
check "intercept tones + 'not in service' end as vacant, dialed once" \
  test "$(outcome_of us_vacant)" = vacant
check "空号 ends as vacant, dialed once" test "$(outcome_of cn_vacant)" = vacant
check "关机 ends as powered_off and is retried (3 dials)" \
  test "$(outcome_of cn_powered_off)" = "powered_off,powered_off,powered_off"
check "停机 ends as suspended and is not retried" test "$(outcome_of cn_suspended)" = suspended
echo "# 暂时无法接通: $(outcome_of cn_unreachable)"
check "暂时无法接通 ends as unreachable and is retried" \
  test "$(outcome_of cn_unreachable)" = "unreachable,unreachable,unreachable"
echo "# 正在通话中: $(outcome_of cn_in_call)"
check "正在通话中 ends as busy (retried like a busy signal)" \
  test "$(outcome_of cn_in_call)" = "busy,busy,busy"
check "a person is not taken for an announcement" \
  test "$(q "SELECT count(*) FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE c.persona = 'polite_no' AND a.outcome IN ('vacant', 'powered_off', 'suspended', 'unreachable', 'busy')")" -eq 0
check "announcements are not graded" \
  test "$(q "SELECT count(*) FROM attempts WHERE outcome IN ('vacant', 'powered_off', 'suspended', 'unreachable') AND grade IS NOT NULL")" -eq 0
check "the reasons and the call record name the announcement" \
  test "$(q "SELECT count(*) FROM attempts a JOIN turns t ON t.attempt_id = a.id WHERE a.outcome = 'vacant' AND t.speaker = 'system' AND t.text LIKE 'carrier announcement: vacant%' AND a.reasons LIKE '%carrier announcement%'")" -eq 2
# The simulated carrier says its announcement twice (9 s and more) and hangs up; a call we
# end at once is over within a second of audio of the moment the announcement was recognised.
carrier="(c.persona LIKE 'cn\_%' ESCAPE '\\' OR c.persona LIKE 'us\_%' ESCAPE '\\')"
check "the calls answered by a recording were recorded" \
  test "$(q "SELECT count(*) FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE $carrier AND a.recording IS NOT NULL")" -gt 0
late=0
q "SELECT a.recording || '|' || coalesce (a.reasons, '') FROM attempts a JOIN contacts c ON c.id = a.contact_id WHERE $carrier AND a.recording IS NOT NULL" >"$tmp/carrier-calls"
while IFS='|' read -r rel reasons; do
  secs=$(soxi -D "$tmp/$rel" 2>/dev/null || echo 99)
  at=$(echo "$reasons" | sed -n 's/.* at \([0-9.]*\) s.*/\1/p')
  awk -v s="$secs" -v at="${at:-0}" 'BEGIN { exit !(at == 0 || s > at + 1.0) }' && late=$((late+1))
done <"$tmp/carrier-calls"
check "the call ends promptly: within 1 s of the recognition ($late later or never)" \
  test "$late" -eq 0
check "no voicemail message was left for a recording (no voicemail node reached)" \
  test "$(q "SELECT count(*) FROM attempts a JOIN contacts c ON c.id = a.contact_id JOIN turns t ON t.attempt_id = a.id WHERE $carrier AND t.node = 'voicemail'")" -eq 0
check "both vacant numbers are recorded business-wide" \
  test "$(q "SELECT group_concat (e164) FROM (SELECT e164 FROM number_status WHERE status = 'vacant' ORDER BY e164)")" = "+12025550131,+12025550132"
check "... each audited as number.vacant" \
  test "$(q "SELECT count(*) FROM audit WHERE kind = 'number.vacant'")" -eq 2
"$cli" --db "$db" calls export --campaign A --format csv >"$tmp/a-export.csv" 2>/dev/null
check "the CSV export carries the new outcomes" \
  sh -c "grep -q ',vacant,' '$tmp/a-export.csv' && grep -q ',suspended,' '$tmp/a-export.csv'"
"$cli" --db "$db" audit verify >"$tmp/verify.json" 2>/dev/null
check "the audit log still verifies" json "$tmp/verify.json" "j['ok'] is True"

# Another campaign with the same vacant number: the gate refuses it, with its own rule.
cat >"$tmp/b.csv" <<CSV
name,phone,company,persona
Vacant again,+1 202 555 0131,A,interested
Someone,+1 202 555 0138,H,polite_no
CSV
"$cli" --db "$db" contacts import "$tmp/b.csv" --list B --region US >/dev/null 2>&1
"$cli" --db "$db" campaign create B --list B --script "$script" --line fast --policy US \
  >/dev/null 2>&1
before=$(q "SELECT count(*) FROM attempts WHERE e164 = '+12025550131'")
"$cli" --db "$db" campaign run B --fast --now "$now" >"$tmp/b.json" 2>"$tmp/b.log" || true
check "campaign B finishes" grep -q '"finished":true' "$tmp/b.json"
check "campaign B never dials the vacant number" \
  test "$(q "SELECT count(*) FROM attempts WHERE e164 = '+12025550131'")" -eq "$before"
check "... its queue item is blocked by the vacant rule" \
  test "$(q "SELECT q.state FROM queue q JOIN campaigns k ON k.id = q.campaign_id JOIN contacts c ON c.id = q.contact_id WHERE k.name = 'B' AND c.e164 = '+12025550131' AND q.blocked_rule LIKE 'vacant number: %'")" = blocked
check "... and the refusal is audited with its rule" \
  test "$(q "SELECT count(*) FROM audit WHERE kind = 'dial.blocked' AND e164 = '+12025550131' AND json_extract (detail, '\$.rule') = 'vacant'")" -ge 1
check "campaign B still calls the other contact" \
  test "$(q "SELECT count(*) FROM attempts WHERE e164 = '+12025550138'")" -ge 1
if "$cli" --db "$db" call +12025550131 --line fast --persona interested --script "$script" \
     --now "$now" >"$tmp/c.json" 2>/dev/null; then
  not_ok "a single call to the vacant number is refused"
else
  json "$tmp/c.json" "j['blocked'] is True and j['rule'] == 'vacant'" &&
    ok "a single call to the vacant number is refused" ||
    not_ok "a single call to the vacant number is refused"
fi
"$cli" --db "$db" announcement numbers >"$tmp/numbers.jsonl"
check "announcement numbers lists both" test "$(grep -c '"status":"vacant"' "$tmp/numbers.jsonl")" -eq 2
"$cli" --db "$db" announcement clear +12025550131 >/dev/null
check "announcement clear gives the number back (audited)" \
  test "$(q "SELECT count(*) FROM number_status WHERE e164 = '+12025550131'")" -eq 0 -a \
       "$(q "SELECT count(*) FROM audit WHERE kind = 'number.cleared'")" -eq 1

# A business's own announcement, cut from a recording: a second of a person first, then it.
mine="The subscriber you are trying to reach cannot take calls at the moment."
espeak-ng -v en-us+m2 -w "$tmp/hello.wav" "Hello? Hello?"
espeak-ng -v en-us+m2 -w "$tmp/mine.wav" "$mine"
sox "$tmp/hello.wav" "$tmp/mine.wav" -r 8000 -c 1 -b 16 "$tmp/call.wav" pad 0 1
cut=$(soxi -D "$tmp/hello.wav")
"$cli" --db "$db" announcement add "$tmp/call.wav" --outcome powered_off --from "$cut" \
  --language en-US --id my-switched-off >"$tmp/add.json" 2>"$tmp/add.err"
check "announcement add from a recording" \
  json "$tmp/add.json" "j['id'] == 'my-switched-off' and j['outcome'] == 'powered_off' and j['user'] is True"
check "... kept in the data folder, not the source tree" \
  test -f "$tmp/announcements/my-switched-off.wav" -a -f "$tmp/announcements/manifest.json"
"$cli" --db "$db" announcement list >"$tmp/list.json"
check "... and listed after the shipped ones" \
  json "$tmp/list.json" "j['announcements'][-1]['id'] == 'my-switched-off' and len(j['announcements']) >= 9"
sh "$src/tests/announce-channel.sh" "$tmp/heard.wav" en-us+m2 "$mine"
"$cli" --db "$db" announcement check "$tmp/heard.wav" >"$tmp/check.json"
check "the added announcement, heard through a telephone channel, is recognised" \
  json "$tmp/check.json" "j['outcome'] == 'powered_off' and j['match'] == 'my-switched-off'"
sh "$src/tests/announce-channel.sh" "$tmp/person.wav" en-us+m2 "Hello? Who is calling, please?"
"$cli" --db "$db" announcement check "$tmp/person.wav" >"$tmp/check2.json"
check "a person in the same voice is not" json "$tmp/check2.json" "j['outcome'] is None"
if "$cli" --db "$db" announcement add "$tmp/call.wav" --outcome dead >/dev/null 2>&1; then
  not_ok "an unknown outcome is refused"
else
  ok "an unknown outcome is refused"
fi
if "$cli" --db "$db" announcement add "$tmp/call.wav" --outcome vacant --from 0 --to 0.3 \
     >/dev/null 2>&1; then
  not_ok "a cut with too little sound is refused"
else
  ok "a cut with too little sound is refused"
fi

echo "1..$n"
[ "$fail" -eq 0 ]
