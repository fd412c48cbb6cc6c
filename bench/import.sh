#!/bin/sh
# bench/import.sh BUILD_DIR — telebot-cli contacts import of a 1,000,000-row CSV
# against the sqlite3 shell's .import of the same file into a table with a
# unique phone index, in the same run; peak memory from /usr/bin/time -v.
# Targets: ratio ≤ 1.5×, peak RSS ≤ 64 MB.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
out="$here/out"
rows=${TELEBOT_BENCH_ROWS:-1000000}
cli="$build/app/cli/telebot-cli"
mkdir -p "$out"
csv="$out/contacts-$rows.csv"

if [ ! -f "$csv" ]; then
  echo "import: writing $rows rows to $csv" >&2
  # Half US numbers in three formats, half Chinese mobiles; a custom column.
  awk -v n="$rows" 'BEGIN {
    print "name,phone,company,segment";
    split("Bakery Dental Plumbing Garage Florist Printing Catering Fitness", seg, " ");
    for (i = 0; i < n; i++) {
      if (i % 2 == 0) {
        k = i / 2; x = 2000000 + k % 8000000;
        if (i % 6 == 0) phone = sprintf("+1 202 %03d %04d", int(x / 10000), x % 10000);
        else if (i % 6 == 2) phone = sprintf("(415) %03d-%04d", int(x / 10000), x % 10000);
        else phone = sprintf("1-312-%03d-%04d", int(x / 10000), x % 10000);
      } else {
        k = (i - 1) / 2;
        phone = sprintf("+86 138 %04d %04d", int(k / 10000) % 10000, k % 10000);
      }
      printf "Contact %d,%s,\"Company %d, Ltd\",%s\n", i, phone, i % 5000, seg[i % 8 + 1];
    }
  }' > "$csv"
fi
size=$(du -m "$csv" | cut -f1)

# Reference: sqlite3's own CSV import with a unique index on the phone.
rm -f "$out/ref.db" "$out/ref.db-wal" "$out/ref.db-shm"
sqlite3 "$out/ref.db" "PRAGMA journal_mode = WAL; CREATE TABLE contacts (name TEXT, phone TEXT, company TEXT, segment TEXT); CREATE UNIQUE INDEX contacts_phone ON contacts (phone);" >/dev/null
/usr/bin/time -v -o "$out/ref.time" sqlite3 "$out/ref.db" ".import --csv --skip 1 '$csv' contacts" 2>/dev/null
ref_s=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/ref.time")
ref_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/ref.time")

# Telebot: normalize, validate, dedupe, custom fields, one transaction.
rm -rf "$out/telebot.db" "$out/telebot.db-wal" "$out/telebot.db-shm" "$out/rejects"
/usr/bin/time -v -o "$out/tb.time" "$cli" --db "$out/telebot.db" contacts import "$csv" --list bench --region US >"$out/tb.json" 2>/dev/null
tb_s=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/tb.time")
tb_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/tb.time")

secs() { echo "$1" | awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }
ref=$(secs "$ref_s"); tb=$(secs "$tb_s")
ratio=$(awk -v a="$tb" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
tb_mb=$((tb_kb / 1024)); ref_mb=$((ref_kb / 1024))
echo "import: $rows rows (${size} MB): telebot-cli ${tb}s, sqlite3 .import ${ref}s, ratio ${ratio}× (target ≤ 1.5×)"
echo "import: peak RSS telebot-cli ${tb_mb} MB (target ≤ 64 MB), sqlite3 ${ref_mb} MB"
echo "import: $(cat "$out/tb.json")"

results="$here/results.md"
today=$(date -u +%Y-%m-%d)
if [ ! -f "$results" ]; then
  printf '# Benchmark results\n\n| benchmark | figure | reference | ratio | target | date |\n|---|---|---|---|---|---|\n' > "$results"
fi
grep -v '^| import: 1M-row CSV' "$results" | grep -v '^| import: peak memory' > "$results.tmp" || true
mv "$results.tmp" "$results"
echo "| import: 1M-row CSV (${size} MB) | telebot-cli contacts import ${tb} s | sqlite3 .import with unique index ${ref} s | ${ratio}× | ≤ 1.5× | $today |" >> "$results"
echo "| import: peak memory | ${tb_mb} MB RSS | sqlite3 .import ${ref_mb} MB | $(awk -v a="$tb_mb" -v b="$ref_mb" 'BEGIN { printf "%.2f", a / b }')× | ≤ 64 MB | $today |" >> "$results"
