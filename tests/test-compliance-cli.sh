#!/bin/sh
# telebot-cli compliance | policy | audit | consent, end to end on a real
# database; the audit log is tampered with through the sqlite3 CLI.
set -eu
cli=${TELEBOT_CLI:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
has() { printf '%s' "$1" | grep -qF -- "$2"; }
db=$tmp/t.db

out=$("$cli" --db "$db" compliance check +8613812345678 --now 2026-03-10T21:30:00+08:00)
check "CN at 21:30 Beijing is blocked" has "$out" '"allowed":false'
check "... by the CN window, named" has "$out" '"message":"R3 calling window CN 09:00–21:00 (now 21:30 Asia/Shanghai)"'
check "... with the next allowed time" has "$out" '"next_allowed":"2026-03-11T01:00:00Z"'
out=$("$cli" --db "$db" compliance check +8613812345678 --now 2026-03-10T10:00:00+08:00)
check "CN at 10:00 Beijing is allowed" has "$out" '"allowed":true'
check "... in Asia/Shanghai" has "$out" '"timezone":"Asia/Shanghai"'

out=$("$cli" --db "$db" compliance check +13055550123 --policy US --now 2026-03-10T19:30:00-04:00)
check "US-FL without consent is blocked by R5" has "$out" '"rule":"R5"'
printf 'number,scope,source,evidence,collected_at,collected_by,expires_at\n+13055550123,ai_voice,form,"https://example.com/f, ""spring""",2026-01-01T00:00:00Z,web,\n' >"$tmp/consent.csv"
out=$("$cli" --db "$db" consent import "$tmp/consent.csv")
check "consent import reports one record" has "$out" '"imported":1'
out=$("$cli" --db "$db" consent list +13055550123)
check "consent list shows the quoted evidence" has "$out" '"evidence":"https://example.com/f, \"spring\""'
out=$("$cli" --db "$db" compliance check +13055550123 --policy US --now 2026-03-10T19:30:00-04:00)
check "US-FL at 19:30 with consent is allowed" has "$out" '"allowed":true'
check "... under US and US-FL" has "$out" '"packs":["US","US-FL"]'
out=$("$cli" --db "$db" compliance check +13055550123 --policy US --now 2026-03-10T20:30:00-04:00)
check "US-FL at 20:30 is blocked by the FL window" has "$out" '"message":"R3 calling window US-FL 08:00–20:00 (now 20:30 America/New_York)"'

"$cli" --db "$db" compliance registry US-NDNC --fetched-at 2026-01-29T00:00:00Z >/dev/null
out=$("$cli" --db "$db" compliance check +13055550123 --now 2026-03-10T11:00:00-04:00)
check "a 40-day-old US registry blocks" has "$out" '"message":"R1 registry US-NDNC is 40 days old (max 31)"'
"$cli" --db "$db" compliance registry US-NDNC --fetched-at 2026-03-01T00:00:00Z >/dev/null

out=$("$cli" --db "$db" consent revoke +13055550123 --scope ai_voice --now 2026-03-10T10:00:00-04:00)
check "consent revoke revokes one" has "$out" '"revoked":1'
out=$("$cli" --db "$db" compliance check +13055550123 --now 2026-03-10T11:00:00-04:00)
check "revoked consent blocks" has "$out" '"rule":"R5"'

out=$("$cli" --db "$db" policy show US,US-FL)
check "policy show merges US+US-FL to 08:00–20:00" has "$out" '"mon":"08:00–20:00"'
check "... and 3 per 24 h" has "$out" '"caps":[{"count":3,"window_seconds":86400,"pack":"US-FL"}]'
out=$("$cli" --db "$db" policy list | wc -l)
check "policy list shows the nine packs" test "$out" -ge 9
if "$cli" --db "$db" compliance check 555-0123 2>"$tmp/err"; then not_ok "a non-E.164 number fails"; else ok "a non-E.164 number fails"; fi
check "... naming it" grep -q '“555-0123” is not a valid number' "$tmp/err"
if "$cli" --db "$db" policy show XX 2>"$tmp/err"; then not_ok "an unknown pack fails"; else ok "an unknown pack fails"; fi
check "... naming it" grep -q '"XX"' "$tmp/err"

out=$("$cli" --db "$db" audit export +13055550123)
check "export has the consent records" has "$out" '"scope":"ai_voice"'
check "export has the audit rows of the number" has "$out" '"kind":"consent.revoked"'

out=$("$cli" --db "$db" audit verify)
check "the untouched audit log verifies" has "$out" '"ok":true'
rows=$(sqlite3 "$db" 'SELECT count(*) FROM audit')
check "every decision and consent change was audited" test "$rows" -eq 9
if sqlite3 "$db" "UPDATE audit SET kind = 'x' WHERE id = 2" 2>/dev/null; then
  not_ok "the triggers refuse an UPDATE"
else
  ok "the triggers refuse an UPDATE"
fi

# Tamper: edit row 3, delete row 5, delete the last row — each in its own copy.
for case in edit delete tail; do
  cp "$db" "$tmp/$case.db"
  sqlite3 "$tmp/$case.db" 'DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;'
done
sqlite3 "$tmp/edit.db" "UPDATE audit SET detail = replace(detail, 'false', 'true') WHERE id = 3"
sqlite3 "$tmp/delete.db" "DELETE FROM audit WHERE id = 5"
sqlite3 "$tmp/tail.db" "DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"

if "$cli" --db "$tmp/edit.db" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "an edited row fails verify"
else
  ok "an edited row fails verify"
fi
check "... naming row 3 on stderr" grep -q 'audit row 3' "$tmp/err"
check "... and in the JSON" grep -q '"first_bad_row":3' "$tmp/out"
if "$cli" --db "$tmp/delete.db" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "a deleted row fails verify"
else
  ok "a deleted row fails verify"
fi
check "... naming row 5" grep -q '"first_bad_row":5' "$tmp/out"
if "$cli" --db "$tmp/tail.db" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "a deleted last row fails verify"
else
  ok "a deleted last row fails verify"
fi
check "... naming row $rows" grep -q "\"first_bad_row\":$rows" "$tmp/out"

# Retention: an old recording goes, a new one stays, DNC and consent stay.
now=$(date +%s)
: >"$tmp/old.wav"; : >"$tmp/new.wav"
sqlite3 "$db" "INSERT INTO dnc (e164, source, created_at) VALUES ('+12025550101', 'manual', 1);
  INSERT INTO attempts (e164, dialed_at, recording) VALUES
    ('+12025550101', ($now - 40*86400) * 1000000, '$tmp/old.wav'),
    ('+12025550101', ($now - 2*86400) * 1000000, '$tmp/new.wav');"
dnc_before=$(sqlite3 "$db" 'SELECT count(*) FROM dnc')
consent_before=$(sqlite3 "$db" 'SELECT count(*) FROM consent')
out=$("$cli" --db "$db" compliance retention)
check "retention deletes one recording" has "$out" '"recordings_deleted":1'
check "... the old file" test ! -e "$tmp/old.wav"
check "... not the new one" test -e "$tmp/new.wav"
check "... and clears its column" test "$(sqlite3 "$db" 'SELECT count(*) FROM attempts WHERE recording IS NOT NULL')" -eq 1
check "DNC rows are untouched" test "$(sqlite3 "$db" 'SELECT count(*) FROM dnc')" -eq "$dnc_before"
check "consent rows are untouched" test "$(sqlite3 "$db" 'SELECT count(*) FROM consent')" -eq "$consent_before"
check "the deletion is audited" test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'retention.recording-deleted'")" -eq 1
# The attempts and DNC entry above were written behind Telebot's back: the chain holds, and
# verify names them as rows without their audit record.
if "$cli" --db "$db" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "rows written by hand fail verify"
else
  ok "rows written by hand fail verify"
fi
check "... while the chain still holds" grep -q '"first_bad_row":null' "$tmp/out"
check "... naming the DNC entry" grep -q '{"table":"dnc","id":1,"number":"+12025550101"}' "$tmp/out"
check "... and the attempts" grep -q '"missing_count":3' "$tmp/out"

# Pre-flight of the demo campaign: every contact is checked, nothing audited.
"$cli" --db "$tmp/demo.db" demo >/dev/null
before=$(sqlite3 "$tmp/demo.db" 'SELECT count(*) FROM audit')
out=$("$cli" --db "$tmp/demo.db" compliance preflight --campaign "Demo campaign" --now 2026-03-10T15:00:00Z)
total=$(sqlite3 "$tmp/demo.db" 'SELECT count(*) FROM contacts')
check "preflight checks every contact" has "$out" "\"contacts\":$total"
# The demo ships consent for its callees (R5), so all of them may be called.
check "... and the demo's consent lets all of them be called" has "$out" "\"allowed_now\":$total"
check "... without auditing" test "$(sqlite3 "$tmp/demo.db" 'SELECT count(*) FROM audit')" -eq "$before"
# The demo's consent file (data/demo/consent.csv) unblocks every demo contact.
"$cli" --db "$tmp/demo.db" consent import "$TELEBOT_SOURCE_DIR/data/demo/consent.csv" >/dev/null
out=$("$cli" --db "$tmp/demo.db" compliance preflight --campaign "Demo campaign" --now 2026-03-10T15:00:00Z)
check "with the demo consent every demo contact may be dialed" has "$out" "\"allowed_now\":$total"
# `campaign preflight` says what the Campaigns page says (test-ui-new-campaign reads the same
# sentence off the page for the demo list), with the script check beside it.
pf() { TZ=UTC "$cli" --db "$tmp/demo.db" campaign preflight "Demo campaign" "$@"; }   # the desk in UTC
out=$(pf --now 2026-03-10T15:00:00Z)
check "campaign preflight: the window's sentence" sh -c "echo '$out' | grep -q '\"summary\":\"$total contacts: $total can be called now\"'"
check "... nothing blocks, the campaign can start" sh -c "echo '$out' | grep -q '\"blocker\":null,\"can_start\":true'"
out=$(pf --now 2026-03-10T05:00:00Z)
check "at 01:00 in New York nobody can be called, and it says until when and why" \
  sh -c "echo '$out' | grep -q 'Nobody can be called now: the first call can be made at 12:00 (R3 calling window'"
check "... every contact counted under R3" sh -c "echo '$out' | grep -q '\"blocked\":{\"R3\":$total}'"
# A line that cannot dial blocks the campaign, in the window's words (New Campaign shows the
# same sentence): known without signing in when its password is missing ...
"$cli" --db "$tmp/demo.db" line add sip "Office trunk" --domain 127.0.0.1:9 --user bob \
  --password-env TELEBOT_TEST_NO_SUCH_PASSWORD >/dev/null
sim_line=$(sqlite3 "$tmp/demo.db" "SELECT line_id FROM campaigns WHERE name = 'Demo campaign'")
sqlite3 "$tmp/demo.db" "UPDATE campaigns SET line_id = (SELECT id FROM lines WHERE name = 'Office trunk')"
out=$(unset TELEBOT_TEST_NO_SUCH_PASSWORD; pf --now 2026-03-10T15:00:00Z)
check "a line without its password: named as the blocker, and the campaign cannot start" \
  sh -c "echo \"\$1\" | grep -q '\"blocker\":\"The line “Office trunk” cannot dial: the line.s password is missing' && echo \"\$1\" | grep -q '\"can_start\":false'" - "$out"
check "... in the line member, not started" \
  has "$out" '"line":{"name":"Office trunk","state":null,"blocker":"The line “Office trunk” cannot dial: the line'
# ... and, started with --check-line, when its provider does not answer (nothing on port 9).
out=$(TELEBOT_TEST_NO_SUCH_PASSWORD=x pf --now 2026-03-10T15:00:00Z --check-line 5 2>/dev/null)
check "--check-line: a line in error, why in plain words" \
  has "$out" '"line":{"name":"Office trunk","state":"error","blocker":"The line “Office trunk” cannot dial: the provider did not answer."}'
sqlite3 "$tmp/demo.db" "UPDATE campaigns SET line_id = $sim_line"
out=$(pf --now 2026-03-10T15:00:00Z)
check "... the simulated line again: no line blocker" has "$out" '"line":{"name":"Simulated line","state":null,"blocker":null}'
sqlite3 "$tmp/demo.db" "UPDATE scripts SET document = '{\"version\":1,\"start\":\"nowhere\",\"nodes\":{}}'"
out=$(pf --now 2026-03-10T15:00:00Z)
check "a broken script: its error, and the campaign cannot start" \
  sh -c "echo '$out' | grep -q '\"can_start\":false' && echo '$out' | grep -q '\"first_error\":\"[^\"]'"
if "$cli" --db "$tmp/demo.db" campaign preflight "No such" 2>"$tmp/pf.err"; then
  not_ok "an unknown campaign is refused"
else
  check "an unknown campaign is refused, by name" grep -q 'no campaign "No such"' "$tmp/pf.err"
fi
out=$("$cli" --db "$tmp/demo.db" compliance check +12025550101 --campaign "Demo campaign" --now 2026-03-10T15:00:00Z)
check "a check with --campaign uses its packs" has "$out" '"allowed":true'
out=$("$cli" --db "$tmp/demo.db" audit export --campaign "Demo campaign")
check "campaign export has the campaign" has "$out" '"campaign":[{"id":1,"name":"Demo campaign"'
check "... and its audit rows" has "$out" '"kind":"check.allowed"'
check "... and its queue" has "$out" '"queue":['

echo "1..$n"
[ "$fail" -eq 0 ]
