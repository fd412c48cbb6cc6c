#!/bin/sh
# Privacy and integrity (issue 19 §2 and §4), end to end through telebot-cli:
# recordings live under the data directory and are named by ids, found the same way from any
# working directory, finalized or removed when a crash cut their call, swept when nothing
# references them; every file Telebot writes about people is its owner's alone; the audit log
# is signed with a key the database does not hold, and every attempt, DNC and consent row has
# its audit record.
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
[ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
has() { printf '%s' "$1" | grep -qF -- "$2"; }
mode() { stat -c %a "$1" 2>/dev/null; }
# wav_data_ok FILE: the RIFF and data sizes of a 44-byte-header WAV match the file's length.
wav_data_ok() {
  python3 - "$1" <<'PY'
import os, struct, sys
p = sys.argv[1]
size = os.path.getsize(p)
with open(p, 'rb') as f:
    h = f.read(44)
riff, = struct.unpack('<I', h[4:8])
data, = struct.unpack('<I', h[40:44])
sys.exit(0 if size > 44 and riff == size - 8 and data == size - 44 else 1)
PY
}
script="$src/data/scripts/demo-en.json"
day=2026-03-10T15:00:00Z      # 11:00 in Washington, DC
consent_csv() {
  echo "number,scope,source,evidence,collected_at,collected_by,expires_at"
  for x in "$@"; do echo "$x,ai_voice,form,https://example.com/f,2026-01-01T00:00:00Z,web,"; done
}
export XDG_CACHE_HOME="$tmp/cache" XDG_DATA_HOME="$tmp/xdg-data" HOME="$tmp/home"
unset TELEBOT_AUDIT_KEY

# ---- 1. Files about people are 0600 in 0700 folders, wherever the database lives ----------
shared="$tmp/shared"
mkdir -m 755 "$shared"
db="$shared/x.db"
"$cli" --db "$db" line add sim fast --fast >/dev/null
check "a new database in a shared folder is 0600 ($(mode "$db"))" test "$(mode "$db")" = 600
consent_csv +12025550177 +12025550178 >"$tmp/consent.csv"
"$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null
"$cli" --db "$db" call +12025550177 --line fast --persona interested --script "$script" \
  --now "$day" >"$tmp/c1.json" 2>"$tmp/c1.err" || sed 's/^/# /' "$tmp/c1.err"
rec=$(find "$shared/recordings" -name '*.wav' | head -n 1)
check "the call was recorded under the data folder's recordings/" test -n "$rec"
check "... the recording is 0600 ($(mode "$rec"))" test "$(mode "$rec")" = 600
check "... in a 0700 folder ($(mode "$(dirname "$rec")"))" test "$(mode "$(dirname "$rec")")" = 700
check "... under a 0700 recordings/ ($(mode "$shared/recordings"))" \
  test "$(mode "$shared/recordings")" = 700
cache=$(find "$XDG_CACHE_HOME/telebot/prompts" -name '*.wav' | head -n 1)
check "the prompt cache has the call's prompts" test -n "$cache"
check "... 0600 ($(mode "$cache"))" test "$(mode "$cache")" = 600
check "... in a 0700 folder" test "$(mode "$XDG_CACHE_HOME/telebot/prompts")" = 700
printf 'name,phone\nGood,+12025550101\nBad,12ab\n' >"$tmp/list.csv"
"$cli" --db "$db" contacts import "$tmp/list.csv" --list L --region US >"$tmp/imp.json" 2>/dev/null
rejects=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rejects_file'] or '')" \
  "$tmp/imp.json")
check "an import with a bad row writes a rejects file" test -f "$rejects"
check "... 0600 ($(mode "$rejects"))" test "$(mode "$rejects")" = 600
check "... in a 0700 folder ($(mode "$(dirname "$rejects")"))" \
  test "$(mode "$(dirname "$rejects")")" = 700
# A database an older version left world-readable is tightened when it is opened.
chmod 644 "$db"
"$cli" --db "$db" db >/dev/null
check "an existing 0644 database is made 0600 on open ($(mode "$db"))" test "$(mode "$db")" = 600

# ---- 2. Recordings: relative to the data folder, found from any working directory ---------
mkdir -p "$tmp/data" "$tmp/elsewhere"
(
  cd "$tmp/data" || exit 1
  "$cli" --db rel.db line add sim fast --fast >/dev/null
  "$cli" --db rel.db consent import "$tmp/consent.csv" >/dev/null
  "$cli" --db rel.db call +12025550177 --line fast --persona interested --script "$script" \
    --now "$day" >"$tmp/rel.json" 2>"$tmp/rel.err" || sed 's/^/# /' "$tmp/rel.err"
)
stored=$(sqlite3 "$tmp/data/rel.db" "SELECT recording FROM attempts WHERE id = 1")
check "the stored recording path is relative to the data folder (\"$stored\")" \
  test "$stored" = "recordings/calls/attempt-1.wav"
check "... and the file is there" test -s "$tmp/data/$stored"
printed=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['recording'] or '')" \
  "$tmp/rel.json")
check "telebot-cli call prints where the recording is, from anywhere ($printed)" \
  test "$printed" = "$tmp/data/$stored"
# An orphan (no attempt names it) old enough to go, and a new one that stays.
mkdir -p "$tmp/data/recordings/campaign-9"
: >"$tmp/data/recordings/campaign-9/attempt-99.wav"
: >"$tmp/data/recordings/campaign-9/attempt-98.wav"
touch -d '400 days ago' "$tmp/data/recordings/campaign-9/attempt-99.wav"
touch -d '+59 days' "$tmp/data/recordings/campaign-9/attempt-98.wav"   # a day before "now"
out=$(cd "$tmp/elsewhere" && "$cli" --db ../data/rel.db compliance retention \
        --now "$(date -u -d '+60 days' +%Y-%m-%dT%H:%M:%SZ)")
echo "# $out"
check "retention run from another folder deletes the recording" has "$out" '"recordings_deleted":1'
check "... it was not reported missing" has "$out" '"files_missing":0'
check "... the file is gone from the disk" test ! -e "$tmp/data/$stored"
check "... and the old orphan with it" test ! -e "$tmp/data/recordings/campaign-9/attempt-99.wav"
check "... reported as one orphan" has "$out" '"orphans_deleted":1'
check "... a recent orphan stays" test -e "$tmp/data/recordings/campaign-9/attempt-98.wav"

# The migration: paths an older version stored (absolute, or relative to its working
# directory) are rewritten relative to the data folder.
cp "$tmp/data/rel.db" "$tmp/data/old.db"
sqlite3 "$tmp/data/old.db" "UPDATE attempts SET recording = '/srv/old/place/recordings/calls/attempt-1.wav' WHERE id = 1;
  INSERT INTO attempts (e164, dialed_at, recording) VALUES ('+12025550178', 1, 'sub/dir/recordings/calls/attempt-2.wav');
  ALTER TABLE campaigns DROP COLUMN state_reason;  -- added by migration 6
  DROP INDEX contacts_import; ALTER TABLE contacts DROP COLUMN import_id;  -- migration 9
  DROP TABLE imports;
  PRAGMA user_version = 3;"
check "an older database opens and migrates" sh -c '"$0" --db "$1" db >/dev/null' "$cli" "$tmp/data/old.db"
check "the migration rewrites an absolute path" \
  test "$(sqlite3 "$tmp/data/old.db" "SELECT recording FROM attempts WHERE id = 1")" = "recordings/calls/attempt-1.wav"
check "... and a working-directory-relative one" \
  test "$(sqlite3 "$tmp/data/old.db" "SELECT recording FROM attempts WHERE id = 2")" = "recordings/calls/attempt-2.wav"

# With another database in the folder (old.db, above), a file rel.db does not name may be
# that one's: the sweep leaves it, and says so.
: >"$tmp/data/recordings/campaign-9/attempt-97.wav"
touch -d '400 days ago' "$tmp/data/recordings/campaign-9/attempt-97.wav"
out=$("$cli" --db "$tmp/data/rel.db" compliance retention \
        --now "$(date -u -d '+60 days' +%Y-%m-%dT%H:%M:%SZ)" 2>/dev/null)
check "a second database in the data folder stops the orphan sweep" has "$out" '"orphans_skipped":true'
check "... the file stays" test -e "$tmp/data/recordings/campaign-9/attempt-97.wav"

# ---- 3. File names come from ids, never from what users type ------------------------------
mkdir -p "$tmp/deep/a/b"
cd "$tmp/deep/a/b" || exit 1
"$cli" --db t.db line add sim fast --fast >/dev/null
printf 'name,phone,persona\nA,+12025550177,interested\n' >l.csv
"$cli" --db t.db contacts import l.csv --list L --region US >/dev/null 2>&1
"$cli" --db t.db consent import "$tmp/consent.csv" >/dev/null
"$cli" --db t.db campaign create '../../x' --list L --script "$script" --line fast --policy US \
  >/dev/null
"$cli" --db t.db campaign run '../../x' --fast --now "$day" >/dev/null 2>&1
cd "$tmp" || exit 1
outside=$(find "$tmp/deep" -name '*.wav' ! -path "$tmp/deep/a/b/recordings/*" | head -n 3)
check "a campaign named ../../x records inside recordings/ (outside: ${outside:-none})" \
  test -z "$outside"
check "... and it did record" test -n "$(find "$tmp/deep/a/b/recordings" -name '*.wav')"

# ---- 4. A crash mid-call: the resumed campaign finalizes the recording ---------------------
cdb="$tmp/crash/c.db"
mkdir -p "$tmp/crash"
"$cli" --db "$cdb" line add sim slow >/dev/null
printf 'name,phone,persona\nA,+12025550177,interested\n' >"$tmp/crash.csv"
"$cli" --db "$cdb" contacts import "$tmp/crash.csv" --list L --region US >/dev/null 2>&1
"$cli" --db "$cdb" consent import "$tmp/consent.csv" >/dev/null
"$cli" --db "$cdb" campaign create C --list L --script "$script" --line slow --policy US >/dev/null
"$cli" --db "$cdb" campaign run C --now "$day" >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 300 ] && [ "$(sqlite3 "$cdb" "SELECT count(*) FROM attempts WHERE state = 'answered'" 2>/dev/null)" != 1 ]; do
  sleep 0.1; i=$((i+1))
done
sleep 2
check "while a campaign runs, its -wal is 0600 ($(mode "$cdb-wal"))" test "$(mode "$cdb-wal")" = 600
check "... and its -shm ($(mode "$cdb-shm"))" test "$(mode "$cdb-shm")" = 600
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
cut=$(find "$tmp/crash/recordings" -name '*.wav' | head -n 1)
check "the crash left a recording cut short" test -n "$cut"
check "... whose header still says it holds nothing" sh -c "! python3 -c \"
import struct,sys; h=open('$cut','rb').read(44); sys.exit(0 if struct.unpack('<I',h[40:44])[0] else 1)\""
"$cli" --db "$cdb" campaign run C --fast --now "$day" >/dev/null 2>&1
orphans=0; bad=0
for f in $(find "$tmp/crash/recordings" -name '*.wav'); do
  rel=${f#"$tmp/crash/"}
  [ "$(sqlite3 "$cdb" "SELECT count(*) FROM attempts WHERE recording = '$rel'")" = 1 ] || orphans=$((orphans+1))
  wav_data_ok "$f" || bad=$((bad+1))
done
check "after the resume every recording belongs to an attempt ($orphans orphans)" test "$orphans" = 0
check "... and every header matches its data ($bad not)" test "$bad" = 0
check "the interrupted attempt keeps its finalized recording" \
  test "$(sqlite3 "$cdb" "SELECT count(*) FROM attempts WHERE state = 'interrupted' AND recording IS NOT NULL")" = 1
# A kill right after a recording was created leaves it empty, or with part of its header:
# nothing to keep, so the resume removes it instead of leaving a file no player can read.
mkdir -p "$tmp/crash/recordings/cut"
: >"$tmp/crash/recordings/cut/empty.wav"
printf 'RIFF\044\000' >"$tmp/crash/recordings/cut/part.wav"
sqlite3 "$cdb" "INSERT INTO attempts (campaign_id, e164, state, dialed_at, recording)
  SELECT id, '+12025550177', 'answered', 1, 'recordings/cut/empty.wav' FROM campaigns WHERE name = 'C';
  INSERT INTO attempts (campaign_id, e164, state, dialed_at, recording)
  SELECT id, '+12025550177', 'answered', 1, 'recordings/cut/part.wav' FROM campaigns WHERE name = 'C';"
"$cli" --db "$cdb" campaign run C --fast --now "$day" >/dev/null 2>&1
check "a recording a kill left empty is removed on resume" test ! -e "$tmp/crash/recordings/cut/empty.wav"
check "... and one with half a header" test ! -e "$tmp/crash/recordings/cut/part.wav"
check "... and their attempts name no file" \
  test "$(sqlite3 "$cdb" "SELECT count(*) FROM attempts WHERE recording LIKE 'recordings/cut/%'")" = 0

# ---- 5. The audit log: keyed, and complete --------------------------------------------------
db="$tmp/deep/a/b/t.db"
out=$("$cli" --db "$db" audit verify 2>"$tmp/err")
check "a campaign's audit log verifies" has "$out" '"ok":true'
"$cli" --db "$db" dnc add +12025550190 --reason asked >/dev/null
"$cli" --db "$db" dnc remove +12025550190 >/dev/null 2>&1
check "dnc add is audited" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'dnc.added' AND e164 = '+12025550190'")" = 1
check "dnc remove is audited" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'dnc.removed' AND e164 = '+12025550190'")" = 1
check "every attempt has its audit record" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM audit u WHERE u.attempt_id = a.id AND u.kind = 'call.placed')")" = 0
key=$(find "$tmp/deep/a/b" -maxdepth 1 -name 'audit.key')
check "the key is a file of the data folder" test -n "$key"
check "... 0600 ($(mode "$key"))" test "$(mode "$key")" = 600
check "... and not in the database" sh -c "! sqlite3 '$db' .dump | grep -qF \"\$(cat '$key')\""
# copy_db NAME: the database and its key, in a folder of their own.
copy_db() { mkdir -p "$tmp/$1"; cp "$db" "$key" "$tmp/$1/"; echo "$tmp/$1/t.db"; }
# rechain DB [tamper]: every hash recomputed with plain SHA-256, as the log was before it was
# keyed — with "tamper", after turning every allowed dial decision into a refusal.
rechain() {
  python3 - "$1" "${2:-}" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DROP TRIGGER IF EXISTS audit_no_update")
prev, last = "0" * 64, 0
for (i, at, kind, e164, camp, att, detail) in db.execute(
        "SELECT id, at, kind, e164, campaign_id, attempt_id, detail FROM audit ORDER BY id").fetchall():
    if sys.argv[2] == "tamper":
        detail = detail.replace('"allowed":true', '"allowed":false')
    content = "%s\n%d\n%d\n%s\n%s\n%d\n%d\n%s" % (prev, i, at, kind or "", e164 or "", camp or 0,
                                                 att or 0, detail or "")
    h = hashlib.sha256(content.encode()).hexdigest()
    db.execute("UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?", (detail, prev, h, i))
    prev, last = h, i
db.execute("UPDATE settings SET value = ? WHERE key = 'audit-head'", ("%d:%s" % (last, prev),))
db.commit()
PY
}
# Rewrite every hash with plain SHA-256 (what the log used to be): verify must fail.
rewritten=$(copy_db rewritten)
rechain "$rewritten" tamper
if "$cli" --db "$rewritten" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "a log rewritten with recomputed SHA-256 hashes fails verify"
else
  ok "a log rewritten with recomputed SHA-256 hashes fails verify"
fi
sed 's/^/# /' "$tmp/out" "$tmp/err"
check "... naming row 1" grep -q '"first_bad_row":1' "$tmp/out"
# Delete every row (the triggers dropped first): the attempts are left without records.
emptied=$(copy_db emptied)
sqlite3 "$emptied" "DROP TRIGGER audit_no_delete; DELETE FROM audit; DELETE FROM settings WHERE key = 'audit-head';"
attempts=$(sqlite3 "$emptied" "SELECT count(*) FROM attempts")
if "$cli" --db "$emptied" audit verify >"$tmp/out" 2>"$tmp/err"; then
  not_ok "an emptied log fails verify while $attempts attempts exist"
else
  ok "an emptied log fails verify while $attempts attempts exist"
fi
sed 's/^/# /' "$tmp/out" "$tmp/err"
check "... listing the attempts without their audit record" \
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j['missing_count'] >= $attempts and any(m['table']=='attempts' for m in j['missing']) else 1)" "$tmp/out"
# A DNC row written behind Telebot's back has no audit record either.
behind=$(copy_db behind)
sqlite3 "$behind" "INSERT INTO dnc (e164, source, created_at) VALUES ('+12025550191', 'manual', 1)"
if "$cli" --db "$behind" audit verify >"$tmp/out" 2>/dev/null; then
  not_ok "a DNC row without its audit record fails verify"
else
  ok "a DNC row without its audit record fails verify"
fi
check "... naming it" grep -q '"number":"+12025550191"' "$tmp/out"

# A log an older version began (plain SHA-256, no key anywhere): opened by this version, its
# first signed row records the switch, and verify accepts exactly that unsigned prefix.
legacy=$(copy_db legacy)
rm "$tmp/legacy/audit.key"
rechain "$legacy"
sqlite3 "$legacy" "DELETE FROM settings WHERE key LIKE 'audit-key-%'"
rows=$(sqlite3 "$legacy" "SELECT count(*) FROM audit")
out=$("$cli" --db "$legacy" audit verify 2>"$tmp/err")
echo "# $out"
check "an unsigned log of an older version verifies once opened" has "$out" '"ok":true'
check "... signed from the switch row on" has "$out" "\"keyed_from\":$((rows + 1)),\"unkeyed_rows\":$rows"
check "... which records it" \
  test "$(sqlite3 "$legacy" "SELECT kind FROM audit WHERE id = $((rows + 1))")" = audit.keyed
check "... with a new key file" test "$(mode "$tmp/legacy/audit.key")" = 600
sqlite3 "$legacy" "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET detail = '{}' WHERE id = 2"
if "$cli" --db "$legacy" audit verify >"$tmp/out" 2>/dev/null; then
  not_ok "an unsigned row edited after the switch fails verify"
else
  ok "an unsigned row edited after the switch fails verify"
fi
check "... naming row 2" grep -q '"first_bad_row":2' "$tmp/out"

echo "1..$n"
[ "$fail" -eq 0 ]
