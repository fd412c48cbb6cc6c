#!/bin/sh
# bench/report.sh BUILD_DIR — telebot-cli campaign report over a two-variant campaign of
# 100,000 calls (and about 190,000 turns), against the sqlite3 shell grouping the same rows by
# variant and outcome and the turns by node, in the same run. Target: under 1 s (issue 21).
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out="$here/out/report"
calls=${TELEBOT_BENCH_CALLS:-100000}
cli="$build/app/cli/telebot-cli"
rm -rf "$out"
mkdir -p "$out"
db="$out/report.db"

"$cli" --db "$db" demo >/dev/null 2>&1
sed 's/"Demo: bakery supplies"/"Demo B"/' "$top/data/scripts/demo-en.json" >"$out/b.json"
"$cli" --db "$db" campaign create Trial --list "Demo contacts" --line "Simulated line" \
  --script "$top/data/scripts/demo-en.json" --script "$out/b.json" --split 50,50 >/dev/null
# Calls as a campaign leaves them: outcomes, grades, talk times over a day, three turns each
# (the bot at the intro, the callee there, the bot at the offer) for the answered ones, and
# for those at the offer an answer not understood (20 wordings, 5 groups: not_understood).
sqlite3 "$db" "
  PRAGMA foreign_keys = OFF;
  DROP TRIGGER IF EXISTS attempts_e164_insert;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $calls)
  INSERT INTO attempts (campaign_id, contact_id, e164, state, outcome, end_reason, dialed_at,
                        answered_at, ended_at, grade, score, variant)
  SELECT (SELECT id FROM campaigns WHERE name = 'Trial'), 1 + i % 12,
         printf('+1202555%04d', i % 10000), 'ended',
         CASE i % 10 WHEN 0 THEN 'busy' WHEN 1 THEN 'no_answer' WHEN 2 THEN 'failed'
                     WHEN 3 THEN 'hung_up' ELSE 'completed' END,
         'completed', 1764600000000000 + i * 800000,
         CASE WHEN i % 10 >= 3 THEN 1764600000000000 + i * 800000 + 5000000 END,
         1764600000000000 + i * 800000 + 5000000 + (i % 90) * 1000000,
         CASE WHEN i % 10 >= 4 THEN char(65 + i % 5) END, i % 100,
         CASE WHEN i % 2 THEN 'A' ELSE 'B' END
  FROM n;
  INSERT INTO turns (attempt_id, seq, speaker, node, text, intent, started_at, ended_at)
    SELECT id, 1, 'bot', 'intro', 'Hello', NULL, answered_at, answered_at FROM attempts
    WHERE answered_at IS NOT NULL;
  INSERT INTO turns (attempt_id, seq, speaker, node, text, intent, started_at, ended_at)
    SELECT id, 2, 'callee', 'intro', 'yes', CASE id % 3 WHEN 0 THEN 'yes' WHEN 1 THEN 'no'
           ELSE 'busy' END, answered_at, answered_at FROM attempts WHERE answered_at IS NOT NULL;
  INSERT INTO turns (attempt_id, seq, speaker, node, text, intent, started_at, ended_at)
    SELECT id, 3, 'bot', 'pitch', 'Offer', NULL, answered_at, answered_at FROM attempts
    WHERE answered_at IS NOT NULL AND id % 3 = 0;
  INSERT INTO turns (attempt_id, seq, speaker, node, text, intent, confidence, started_at,
                     ended_at)
    SELECT id, 4, 'callee', 'pitch',
           CASE id % 5 WHEN 0 THEN 'how much does it cost' WHEN 1 THEN 'uh, I dunno'
                       WHEN 2 THEN 'what is this about' WHEN 3 THEN 'I have had it with you people'
                       ELSE '这个多少钱' END ||
           CASE id / 5 % 4 WHEN 0 THEN '' WHEN 1 THEN ' then' WHEN 2 THEN ' exactly'
                           ELSE ' please' END, NULL, 0, answered_at, answered_at
    FROM attempts WHERE answered_at IS NOT NULL AND id % 3 = 0;"

now_ms() { date +%s%3N; }
best_tb=""; best_ref=""
for round in 1 2 3; do
  t0=$(now_ms)
  "$cli" --db "$db" campaign report Trial --format json >"$out/report.json"
  t1=$(now_ms)
  sqlite3 "$db" "SELECT variant, outcome, grade, count(*), sum(ended_at - answered_at)
                   FROM attempts GROUP BY 1, 2, 3;
                 SELECT node, intent, count(*) FROM turns GROUP BY 1, 2;" >/dev/null
  t2=$(now_ms)
  tb=$((t1 - t0)); ref=$((t2 - t1))
  [ -z "$best_tb" ] || [ "$tb" -lt "$best_tb" ] && best_tb=$tb
  [ -z "$best_ref" ] || [ "$ref" -lt "$best_ref" ] && best_ref=$ref
  echo "report: round $round: telebot-cli ${tb} ms, sqlite3 ${ref} ms" >&2
done
dialed=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(sum(v['dialed'] for v in r['variants']))" "$out/report.json")
[ "$dialed" -eq "$calls" ] || { echo "report: the report counts $dialed calls, not $calls" >&2; exit 1; }
ratio=$(awk -v a="$best_tb" -v b="$best_ref" 'BEGIN { printf "%.2f", a / (b > 0 ? b : 1) }')
echo "report: $calls calls: telebot-cli campaign report ${best_tb} ms (target < 1000 ms), sqlite3 group-by ${best_ref} ms, ratio ${ratio}×"

results="$here/results.md"
today=$(date -u +%Y-%m-%d)
row="| campaign report: $calls calls, 2 variants, funnel, intents and not-understood answers over $(sqlite3 "$db" 'SELECT count(*) FROM turns') turns (\`./dev bench report\`, best of 3, the whole CLI process) | ${best_tb} ms | sqlite3 shell grouping the same rows ${best_ref} ms | ${ratio}× | < 1000 ms | $today |"
# The row replaces the last one, at the end of the table (before the notes).
grep -v '^| campaign report:' "$results" | awk -v row="$row" '
  !done && /^$/ && last ~ /^\|/ { print row; done = 1 }
  { print; last = $0 }
  END { if (!done) print row }' > "$results.tmp"
mv "$results.tmp" "$results"
