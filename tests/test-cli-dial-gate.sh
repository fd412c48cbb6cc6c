#!/bin/sh
# Every dial asks the compliance gate (issue 19, part 1): `telebot-cli call` is checked and
# audited like a campaign's dial, test calls ring only the business's listed test numbers,
# and every number is kept in E.164 — an opt-out given on a call dialed as "(202) 555-0177"
# is found by the check of +12025550177, SQLite refuses any other spelling, and rows an older
# version stored that way are repaired once.
set -eu
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
sql() { sqlite3 "$db" "$1"; }
db="$tmp/t.db"
script="$src/data/scripts/demo-en.json"
day=2026-03-10T15:00:00Z      # 11:00 in Washington, DC
night=2026-03-10T11:56:00Z    # 07:56 — before the US window opens at 08:00

"$cli" --db "$db" line add sim fast --fast >/dev/null
cat >"$tmp/consent.csv" <<CSV
number,scope,source,evidence,collected_at,collected_by,expires_at
(202) 555-0177,ai_voice,form,https://example.com/f,2026-01-01T00:00:00Z,web,
202.555.0188,ai_voice,form,https://example.com/f,2026-01-01T00:00:00Z,web,
+12025550199,ai_voice,form,https://example.com/f,2026-01-01T00:00:00Z,web,
CSV
"$cli" --db "$db" consent import "$tmp/consent.csv" --region US >"$tmp/consent.json"
check "consent import normalizes national numbers to E.164" \
  test "$(sql "SELECT group_concat (e164) FROM (SELECT e164 FROM consent ORDER BY id)")" = \
       "+12025550177,+12025550188,+12025550199"

# 1. An opt-out on a call dialed in national format lands under E.164.
"$cli" --db "$db" call "(202) 555-0177" --region US --line fast --persona hostile_opt_out \
  --script "$script" --now "$day" >"$tmp/c1.json" 2>"$tmp/c1.err" || sed 's/^/# /' "$tmp/c1.err"
check "the call is placed and reported under +12025550177" \
  json "$tmp/c1.json" "j['number'] == '+12025550177' and j['opt_out'] is True"
"$cli" --db "$db" dnc check +12025550177 >"$tmp/dnc1.json"
check "dnc check +12025550177 finds the opt-out" json "$tmp/dnc1.json" "j['listed'] is True"
check "the attempt is stored under E.164" \
  test "$(sql "SELECT e164 FROM attempts ORDER BY id DESC LIMIT 1")" = "+12025550177"
check "the dial was audited as allowed" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'dial.allowed' AND e164 = '+12025550177'")" = 1

# 2. The next call to that person, in any spelling, is refused before anything rings.
attempts=$(sql "SELECT count(*) FROM attempts")
if "$cli" --db "$db" call 202-555-0177 --region US --line fast --persona interested \
     --script "$script" --now "$day" >"$tmp/c2.json" 2>"$tmp/c2.err"; then
  not_ok "a call to an opted-out number fails"
else
  ok "a call to an opted-out number fails"
fi
check "... saying it was blocked by the do-not-call rule" \
  json "$tmp/c2.json" "j['blocked'] is True and j['rule'] == 'R1' and 'do-not-call' in j['message'].lower()"
check "... with no attempt written" test "$(sql "SELECT count(*) FROM attempts")" = "$attempts"
check "... and the refusal audited" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'dial.blocked' AND e164 = '+12025550177'")" = 1

# 3. Outside the calling window in the callee's local time: refused, audited, not dialed.
if "$cli" --db "$db" call +12025550188 --line fast --persona interested --script "$script" \
     --now "$night" >"$tmp/c3.json" 2>"$tmp/c3.err"; then
  not_ok "a call at 07:56 local time fails"
else
  ok "a call at 07:56 local time fails"
fi
check "... by the calling window, with the local time" \
  json "$tmp/c3.json" "j['rule'] == 'R3' and '07:56' in j['message']"
check "... audited" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'dial.blocked' AND e164 = '+12025550188'")" = 1

# 4. Without consent where the pack needs it: refused.
if "$cli" --db "$db" call +12025550166 --line fast --persona interested --script "$script" \
     --now "$day" >"$tmp/c4.json" 2>/dev/null; then
  not_ok "a call without the consent US needs fails"
else
  check "a call without the consent US needs fails by R5" json "$tmp/c4.json" "j['rule'] == 'R5'"
fi

# 5. The rules are checked at the real time on a line that rings real phones.
"$cli" --db "$db" line add sip trunk --domain 127.0.0.1:9 >/dev/null
if "$cli" --db "$db" call +12025550199 --line trunk --script "$script" --now "$day" \
     >/dev/null 2>"$tmp/c5.err"; then
  not_ok "--now is refused on a SIP line"
else
  check "--now is refused on a SIP line, with the reason" grep -q 'only for the simulated line' "$tmp/c5.err"
fi

# 6. Test calls: only listed numbers, audited either way.
if "$cli" --db "$db" call +12025550111 --test --line fast --persona interested \
     --script "$script" >/dev/null 2>"$tmp/c6.err"; then
  not_ok "a test call to an unlisted number fails"
else
  check "a test call to an unlisted number fails, naming the list" \
    grep -q 'line test-numbers add +12025550111' "$tmp/c6.err"
fi
check "... audited as a refused test call" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'dial.test-refused' AND e164 = '+12025550111'")" = 1
"$cli" --db "$db" line test-numbers add "(202) 555-0111" --region US >/dev/null
"$cli" --db "$db" call +12025550111 --test --line fast --persona polite_no --script "$script" \
  >"$tmp/c7.json" 2>/dev/null || true
check "a test call to a listed number rings without the rules (no consent, any hour)" \
  json "$tmp/c7.json" "j['test'] is True and j['outcome'] not in ('failed',)"
check "... audited as a test call" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'dial.test' AND e164 = '+12025550111'")" = 1
check "editing the test list is audited" \
  test "$(sql "SELECT count(*) FROM audit WHERE kind = 'test-numbers.add'")" = 1

# 7. SQLite refuses a number that is not E.164, whoever writes it.
for stmt in \
  "INSERT INTO dnc (e164, source, created_at) VALUES ('(202) 555-0100', 'manual', 0)" \
  "INSERT INTO consent (e164, scope, source, collected_at) VALUES ('2025550100', 'ai_voice', 'form', 0)" \
  "UPDATE dnc SET e164 = '202 555 0177' WHERE e164 = '+12025550177'"; do
  if sql "$stmt" 2>"$tmp/sql.err"; then
    not_ok "SQLite refuses: $stmt"
  else
    check "SQLite refuses: $stmt" grep -q 'E.164' "$tmp/sql.err"
  fi
done

# 8. A database from before the rule: rows stored in national format are repaired once.
mkdir "$tmp/old"        # its own folder: its own audit key
old="$tmp/old/old.db"
"$cli" --db "$old" dnc add +12025550123 >/dev/null
sqlite3 "$old" "
  DROP TRIGGER dnc_e164_insert; DROP TRIGGER dnc_e164_update;
  DROP TRIGGER consent_e164_insert; DROP TRIGGER consent_e164_update;
  DROP TRIGGER contacts_e164_insert; DROP TRIGGER contacts_e164_update;
  DROP TRIGGER attempts_e164_insert; DROP TRIGGER attempts_e164_update;
  INSERT INTO dnc (e164, source, created_at) VALUES ('(202) 555-0177', 'speech', 1);
  INSERT INTO dnc (e164, source, created_at) VALUES ('202-555-0123', 'manual', 1);
  INSERT INTO dnc (e164, source, created_at) VALUES ('front desk', 'manual', 1);
  INSERT INTO consent (e164, scope, source, collected_at) VALUES ('(202) 555-0155', 'ai_voice', 'form', 1);
  INSERT INTO attempts (e164, dialed_at) VALUES ('(202) 555-0177', 1);
  DELETE FROM settings WHERE key = 'numbers_need_repair';
  ALTER TABLE campaigns DROP COLUMN state_reason;  -- added by migration 6
  DROP INDEX contacts_import; ALTER TABLE contacts DROP COLUMN import_id;  -- migration 9
  DROP TABLE imports;
  PRAGMA user_version = 2;"
LANG=en_US.UTF-8 "$cli" --db "$old" dnc check +12025550177 >"$tmp/old.json" 2>"$tmp/old.err" ||
  { echo "# dnc check on the older database failed:"; sed 's/^/# /' "$tmp/old.err"; }
check "after the upgrade, the opt-out stored as (202) 555-0177 is found" \
  json "$tmp/old.json" "j['listed'] is True and j['source'] == 'speech'"
check "the duplicate spelling of a listed number is folded into it" \
  test "$(sqlite3 "$old" "SELECT count(*) FROM dnc WHERE e164 LIKE '%202%555%0123'")" = 1
check "consent and attempts are repaired too" \
  test "$(sqlite3 "$old" "SELECT (SELECT e164 FROM consent) || ' ' || (SELECT e164 FROM attempts)")" = \
       "+12025550155 +12025550177"
check "text that is no phone number is left, and said" grep -q '1 stored number' "$tmp/old.err"
check "the repair is audited, once" \
  test "$(sqlite3 "$old" "SELECT count(*) FROM audit WHERE kind = 'numbers.repair'")" = 1
"$cli" --db "$old" dnc check +12025550177 >/dev/null 2>&1
check "... and runs only once" \
  test "$(sqlite3 "$old" "SELECT count(*) FROM audit WHERE kind = 'numbers.repair'")" = 1

# 9. Retry rules have ceilings: campaign create refuses beyond them, with the reason, and a
# campaign stored with such rules (before the ceilings existed) still runs within the floor:
# at most 3 dials per number in 24 h, at least 10 minutes apart.
rdb="$tmp/retry.db"
"$cli" --db "$rdb" demo >/dev/null 2>&1
printf 'name,phone,persona\nBusy Bee,+1 202 555 0142,busy\nNight Owl,+1 202 555 0143,interested\n' >"$tmp/b.csv"
printf 'number,scope,source,evidence,collected_at,collected_by\n+12025550142,ai_voice,form,web,2026-01-01T00:00:00Z,t\n+12025550143,ai_voice,form,web,2026-01-01T00:00:00Z,t\n' >"$tmp/bc.csv"
"$cli" --db "$rdb" contacts import "$tmp/b.csv" --list B --region US >/dev/null 2>&1
"$cli" --db "$rdb" consent import "$tmp/bc.csv" >/dev/null
if "$cli" --db "$rdb" campaign create Bomb --list B --script "$script" --line "Simulated line" \
     --policy US --retry '{"max_attempts":1000,"retry_minutes":{"busy":0}}' 2>"$tmp/r.err"; then
  not_ok "campaign create refuses 1000 attempts and a 0-minute retry"
else
  check "campaign create refuses 1000 attempts and a 0-minute retry, saying why" \
    grep -q 'more than the 10 a campaign may make' "$tmp/r.err"
fi
check "... and writes no campaign" test "$(sqlite3 "$rdb" "SELECT count(*) FROM campaigns WHERE name = 'Bomb'")" = 0
if "$cli" --db "$rdb" campaign create Bomb --list B --script "$script" --line "Simulated line" \
     --policy US --retry '{"max_attempts":3,"retry_minutes":{"busy":2}}' 2>"$tmp/r.err"; then
  not_ok "campaign create refuses a retry 2 minutes after busy"
else
  check "campaign create refuses a retry 2 minutes after busy, saying why" \
    grep -q 'nobody is called twice within 10 minutes' "$tmp/r.err"
fi
"$cli" --db "$rdb" campaign create Bomb --list B --script "$script" --line "Simulated line" \
  --policy US >/dev/null
sqlite3 "$rdb" "UPDATE campaigns SET retry_rules = '{\"max_attempts\":1000,\"retry_minutes\":{\"busy\":0}}'"
# 21:30 in Washington on the eve of the November clock change: the window is closed until
# 08:00 EST on 1 November (13:00 UTC), an hour that adding minutes to midnight got wrong.
timeout 120 "$cli" --db "$rdb" campaign run Bomb --fast --now 2026-10-31T21:30:00-04:00 \
  >"$tmp/run.json" 2>"$tmp/run.err" || sed 's/^/# /' "$tmp/run.err"
rq() { sqlite3 "$rdb" "$1"; }
check "the busy number is never dialed more than 3 times in 24 h" \
  test "$(rq "SELECT count(*) FROM attempts a WHERE (SELECT count(*) FROM attempts b WHERE b.e164 = a.e164 AND b.dialed_at > a.dialed_at - 86400000000 AND b.dialed_at <= a.dialed_at) > 3")" = 0
check "... nor twice within 10 minutes" \
  test "$(rq "SELECT count(*) FROM attempts a JOIN attempts b ON b.e164 = a.e164 AND b.id > a.id AND b.dialed_at - a.dialed_at < 600000000")" = 0
check "... and at most 10 times in all (the clamped max_attempts)" \
  test "$(rq "SELECT count(*) FROM attempts WHERE e164 = '+12025550142'")" -le 10
check "the first dials wait for 08:00 EST on 1 November (13:00 UTC), across the clock change" \
  test "$(rq "SELECT strftime('%Y-%m-%dT%H:%M', min(dialed_at) / 1000000, 'unixepoch') FROM attempts")" = "2026-11-01T13:00"
check "the night's block is audited once per contact, not once per re-check" \
  test "$(rq "SELECT max(n) FROM (SELECT count(*) AS n FROM audit WHERE kind = 'dial.blocked' AND json_extract(detail, '\$.rule') = 'R3' GROUP BY e164)")" = 1

echo "1..$n"
[ "$fail" -eq 0 ]
