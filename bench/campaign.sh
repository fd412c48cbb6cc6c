#!/bin/sh
# bench campaign — a 1,000-contact --fast campaign on the simulated line:
# calls per minute of wall time and peak memory, beside the same campaign at
# concurrency 1 measured in the same run (the speed-up is the ratio); the same
# campaign over a pool of 4 sim lines of 2 calls each, at the same total
# concurrency (issue #20: the pool should cost nothing measurable); then CPU per
# live call in real-time mode.
set -eu
build=$1
cli="$build/app/cli/telebot-cli"
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out="$here/out/campaign"
n=${TELEBOT_BENCH_CONTACTS:-1000}
rm -rf "$out"; mkdir -p "$out"
now=2026-12-01T10:00:00-05:00

make_db() {   # make_db DB CONTACTS CONCURRENCY [LINES]: LINES > 1 sim lines of CONCURRENCY/LINES calls
  awk -v n="$2" 'BEGIN { print "name,phone,company";
    for (i = 0; i < n; i++) printf "Bench %d,+1 202 555 %04d,Company %d\n", i, i % 10000, i }' >"$out/c.csv"
  # The US pack requires consent to an automated voice (R5): the business has it.
  awk -v n="$2" 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
    for (i = 0; i < n; i++) printf "+1202555%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,bench\n", i % 10000 }' >"$out/consent.csv"
  "$cli" --db "$1" demo >/dev/null
  "$cli" --db "$1" contacts import "$out/c.csv" --list Bench --region US >/dev/null 2>&1
  "$cli" --db "$1" consent import "$out/consent.csv" >/dev/null 2>&1
  if [ "${4:-1}" -le 1 ]; then
    "$cli" --db "$1" campaign create Bench --list Bench --script "$src/data/scripts/demo-en.json" \
      --line "Simulated line" --concurrency "$3" --policy US >/dev/null
    return
  fi
  # The demo line's settings (seed 0, the default mix): the same callees on every line.
  for i in $(seq 1 "$4"); do
    "$cli" --db "$1" line add sim "pool$i" --max-calls $(( $3 / $4 )) >/dev/null
  done
  # shellcheck disable=SC2046 # one --line per pool line; the names have no spaces
  "$cli" --db "$1" campaign create Bench --list Bench --script "$src/data/scripts/demo-en.json" \
    $(for i in $(seq 1 "$4"); do printf ' --line pool%d' "$i"; done) --concurrency "$3" \
    --policy US >/dev/null
}

field() { sed -n "s/.*$2: //p" "$1"; }
seconds() { echo "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'; }

# Reference: 60 contacts, one call at a time.
make_db "$out/ref.db" 60 1
/usr/bin/time -v -o "$out/ref.time" "$cli" --db "$out/ref.db" campaign run Bench --fast --now "$now" >"$out/ref.json" 2>/dev/null
ref_s=$(seconds "$(field "$out/ref.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
ref_calls=$(sqlite3 "$out/ref.db" "SELECT count(*) FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench'")

make_db "$out/bench.db" "$n" 8
/usr/bin/time -v -o "$out/bench.time" "$cli" --db "$out/bench.db" campaign run Bench --fast --now "$now" >"$out/bench.json" 2>/dev/null
s=$(seconds "$(field "$out/bench.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
kb=$(field "$out/bench.time" 'Maximum resident set size (kbytes)')
calls=$(sqlite3 "$out/bench.db" "SELECT count(*) FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench'")
answered=$(sqlite3 "$out/bench.db" "SELECT count(*) FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench' AND a.answered_at IS NOT NULL")

# The same campaign over a pool of 4 lines of 2 calls each: 8 at once, as above.
make_db "$out/pool.db" "$n" 8 4
/usr/bin/time -v -o "$out/pool.time" "$cli" --db "$out/pool.db" campaign run Bench --fast --now "$now" >"$out/pool.json" 2>/dev/null
pool_s=$(seconds "$(field "$out/pool.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
pool_calls=$(sqlite3 "$out/pool.db" "SELECT count(*) FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench'")
pool_lines=$(sqlite3 "$out/pool.db" "SELECT count(DISTINCT a.line_id) FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench'")

awk -v c="$calls" -v a="$answered" -v s="$s" -v rc="$ref_calls" -v rs="$ref_s" -v kb="$kb" -v n="$n" \
    -v pc="$pool_calls" -v ps="$pool_s" -v pl="$pool_lines" 'BEGIN {
  cpm = c / (s / 60); ref = rc / (rs / 60); pool = pc / (ps / 60)
  printf "campaign: %d contacts, %d calls (%d answered) in %.1f s: %.0f calls/min (target >= 120)\n", n, c, a, s, cpm
  printf "campaign: reference, concurrency 1: %d calls in %.1f s = %.0f calls/min; speed-up %.2fx\n", rc, rs, ref, cpm / ref
  printf "campaign: pool of 4 lines x 2 calls: %d calls on %d lines in %.1f s = %.0f calls/min; %.2fx one line at the same concurrency (target >= 1)\n", pc, pl, ps, pool, pool / cpm
  printf "campaign: peak memory %.1f MB\n", kb / 1024
}'

# Real time: 8 calls at once for 60 s of wall time, CPU per live call.
make_db "$out/rt.db" 40 8
/usr/bin/time -v -o "$out/rt.time" timeout -s INT 60 "$cli" --db "$out/rt.db" campaign run Bench --now "$now" >/dev/null 2>&1 || true
user=$(field "$out/rt.time" 'User time (seconds)')
sys=$(field "$out/rt.time" 'System time (seconds)')
# Call-seconds live inside the 60 s window (campaign clock), calls still open counted to its end.
live_s=$(sqlite3 "$out/rt.db" "WITH w AS (SELECT min (dialed_at) AS t0 FROM attempts a JOIN campaigns k ON k.id = a.campaign_id WHERE k.name = 'Bench') SELECT coalesce (sum (min (coalesce (ended_at, t0 + 60000000), t0 + 60000000) - dialed_at), 0) / 1e6 FROM attempts a JOIN campaigns k ON k.id = a.campaign_id, w WHERE k.name = 'Bench'")
awk -v u="$user" -v y="$sys" -v l="$live_s" 'BEGIN {
  printf "campaign: real time: %.1f call-seconds live, %.1f CPU-seconds: %.1f%% of one core per live call\n", l, u + y, (u + y) / (l > 0 ? l : 1) * 100
}'
