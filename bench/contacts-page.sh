#!/bin/sh
# bench/contacts-page.sh BUILD_DIR — time from opening the Contacts page to its
# first rows drawn, on 1,000,000 contacts against 1,000 in the same run
# (target ≤ 300 ms). Needs a build with the GUI: ./dev bench configures
# build-release without it, so the development build (build/) is used then.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out="$here/out"
prog="$build/bench/contacts-page"
[ -x "$prog" ] || prog="$top/build/bench/contacts-page"
if [ ! -x "$prog" ]; then
  echo "contacts-page: build it first (ninja -C build bench/contacts-page)" >&2
  exit 1
fi
cli="$(dirname "$(dirname "$prog")")/app/cli/telebot-cli"
mkdir -p "$out"
csv="$out/contacts-1000000.csv"
[ -f "$csv" ] || TELEBOT_BENCH_ROWS=1000000 sh "$here/import.sh" "$build" >/dev/null

if [ ! -f "$out/page-1m.db" ]; then
  "$cli" --db "$out/page-1m.db" contacts import "$csv" --list "1M contacts" --region US >/dev/null 2>&1
fi
rm -f "$out"/page-1k.db*
head -n 1001 "$csv" > "$out/contacts-1000.csv"
"$cli" --db "$out/page-1k.db" contacts import "$out/contacts-1000.csv" --list "1k contacts" --region US >/dev/null 2>&1

run() {
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    xvfb-run -a -s "-screen 0 1400x1000x24" dbus-run-session -- "$prog" --db "$1" 2>/dev/null
  else
    "$prog" --db "$1" 2>/dev/null
  fi
}
export GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_SCHEMA_DIR="$top/build/data"
big=""; small=""
for round in 1 2; do
  line=$(run "$out/page-1m.db" | grep 'ms to first rows')
  echo "contacts-page: 1M: $line" >&2
  ms=$(echo "$line" | cut -d' ' -f1)
  big=$(awk -v a="$ms" -v b="$big" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
  line=$(run "$out/page-1k.db" | grep 'ms to first rows')
  echo "contacts-page: 1k: $line" >&2
  ms=$(echo "$line" | cut -d' ' -f1)
  small=$(awk -v a="$ms" -v b="$small" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
done
ratio=$(awk -v a="$big" -v b="$small" 'BEGIN { printf "%.2f", a / b }')
echo "contacts-page: first rows drawn: 1M contacts ${big} ms, 1k contacts ${small} ms, ratio ${ratio}× (target ≤ 300 ms)"

results="$here/results.md"
today=$(date -u +%Y-%m-%d)
if [ ! -f "$results" ]; then
  printf '# Benchmark results\n\n| benchmark | figure | reference | ratio | target | date |\n|---|---|---|---|---|---|\n' > "$results"
fi
grep -v '^| contacts page:' "$results" > "$results.tmp" || true
mv "$results.tmp" "$results"
echo "| contacts page: open to first rows drawn (Xvfb, cairo), best of 2 | 1M contacts ${big} ms | 1k contacts ${small} ms | ${ratio}× | ≤ 300 ms | $today |" >> "$results"
