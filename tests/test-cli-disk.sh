#!/bin/sh
# A full disk and a read-only disk (issue 19 §3), on a real file system: a small tmpfs the
# test mounts (it needs root, as ./dev test runs; without it the test says it skipped).
# campaign run on a full disk used to never exit ("the outcome could not be saved", forever);
# now it stops dialing, hangs up, exits non-zero with the reason, and resumes once there is
# room. On a read-only file system the commands that only read work.
set -u
cli=${TELEBOT_CLI:?}
tmp=$(mktemp -d)
mnt="$tmp/mnt"
cleanup() { umount "$mnt" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
mkdir "$mnt"
if ! mount -t tmpfs -o size=6m tmpfs "$mnt" 2>"$tmp/mount.err"; then
  echo "1..0 # SKIP cannot mount a tmpfs here: $(cat "$tmp/mount.err")"
  exit 0
fi
db="$mnt/t.db"
q() { sqlite3 "file:$db?immutable=1" "$1"; }

# 1. The disk fills during the campaign (recordings and the database share 6 MB).
"$cli" --db "$db" demo >/dev/null 2>&1
start=$(date +%s)
status=0
timeout 120 "$cli" --db "$db" campaign run "Demo campaign" --fast >"$tmp/run1.json" 2>"$tmp/run1.err" ||
  status=$?
took=$(( $(date +%s) - start ))
check "on a full disk campaign run exits in ${took} s with status $status (1), not never" \
  test "$status" -eq 1 -a "$took" -lt 60
check "... saying the disk is full" grep -q 'stopped: .*database or disk is full' "$tmp/run1.err"
check "... and how to resume" grep -q 'resumes where it stopped' "$tmp/run1.err"
check "... with its summary on stdout" grep -q '"finished":false' "$tmp/run1.json"

# 2. Room again: the next run closes the calls left open and finishes; nothing is lost.
mount -o remount,size=96m "$mnt"
"$cli" --db "$db" campaign run "Demo campaign" --fast >"$tmp/run2.json" 2>"$tmp/run2.err"
check "with room again, the campaign resumes and finishes" grep -q '"finished":true' "$tmp/run2.json"
check "... no attempt is left open" \
  test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -eq 0
check "... every contact has its outcome" \
  test "$(q "SELECT count(*) FROM queue WHERE state IN ('pending', 'active')")" -eq 0

# 3. The file system turns read-only: what only reads still works; a write says why.
mount -o remount,ro "$mnt"
for c in "audit verify" "calls export" "contacts export" "dnc list" "campaign list" "db"; do
  # shellcheck disable=SC2086
  if "$cli" --db "$db" $c >"$tmp/ro.out" 2>"$tmp/ro.err" && [ -s "$tmp/ro.out" ]; then
    ok "read-only: $c works"
  else
    not_ok "read-only: $c works ($(head -c 200 "$tmp/ro.err"))"
  fi
done
if "$cli" --db "$db" dnc add +12025550199 >/dev/null 2>"$tmp/ro.err"; then
  not_ok "read-only: dnc add fails"
else
  check "read-only: dnc add fails, saying the database is read-only" grep -q 'readonly' "$tmp/ro.err"
fi

echo "1..$n"
[ "$fail" -eq 0 ]
