#!/bin/sh
# telebot-cli's global contract: --version, --help, --db creating a database
# at the current schema, JSON on stdout, one-line errors with non-zero exit.
set -eu
cli=${TELEBOT_CLI:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

out=$("$cli" --version)
check "--version prints the version" sh -c "echo '$out' | grep -Eq '^telebot-cli [0-9]+\.[0-9]+\.[0-9]+$'"

"$cli" --help >"$tmp/help"
check "--help lists the db command" grep -q '^  db ' "$tmp/help"
check "--help explains --db" grep -q -- '--db PATH' "$tmp/help"

out=$("$cli" --db "$tmp/new.db")
check "--db creates the database file" test -f "$tmp/new.db"
check "--db reports the schema version as JSON" sh -c "echo '$out' | grep -Eq '\"schema_version\":[1-9][0-9]*'"
ver=$(sqlite3 "$tmp/new.db" 'PRAGMA user_version')
check "the file is at the reported schema version" sh -c "echo '$out' | grep -q \"\\\"schema_version\\\":$ver\""
mode=$(sqlite3 "$tmp/new.db" 'PRAGMA journal_mode')
check "the database is in WAL mode" test "$mode" = wal

if "$cli" --db "$tmp/x.db" no-such-command 2>"$tmp/err"; then
  not_ok "an unknown command fails"
else
  ok "an unknown command fails"
fi
check "the error is one line naming the command" sh -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q 'no-such-command' '$tmp/err'"

if "$cli" --db /proc/nope/x.db db 2>"$tmp/err"; then not_ok "an unwritable --db fails"; else ok "an unwritable --db fails"; fi
check "the error names the path" grep -q '/proc/nope/x.db' "$tmp/err"

out=$("$cli" --db "$tmp/demo.db" demo)
check "demo fills the database" sh -c "echo '$out' | grep -q '\"campaigns\":1'"
out=$("$cli" --db "$tmp/demo.db" demo)
check "demo twice adds nothing" sh -c "echo '$out' | grep -q '\"campaigns\":1'"
names=$(sqlite3 "$tmp/demo.db" "SELECT kind FROM lines")
check "the demo uses the simulated line" test "$names" = sim

# The speech service: the address and model go to the settings, the key never does.
db="$tmp/speech.db"
if "$cli" --db "$db" speech set ftp://speech.example.com 2>"$tmp/err"; then
  not_ok "speech set refuses a URL that is not http(s)"
else ok "speech set refuses a URL that is not http(s)"; fi
out=$(TB_TEST_KEY=very-secret-key "$cli" --db "$db" speech set http://127.0.0.1:9 \
      --model whisper-small --key-env TB_TEST_KEY)
check "speech set says where the key is, and that calls will use the server" \
  sh -c "echo '$out' | grep -q '\"recognizer\":\"http\"' && echo '$out' | grep -q '\"key\":\"env:TB_TEST_KEY\"'"
check "the key is nowhere in the database" \
  sh -c "! grep -a -q very-secret-key '$db'* && ! sqlite3 '$db' .dump | grep -q very-secret-key"
out=$("$cli" --db "$db" speech set http://127.0.0.1:9 --tts-model tts-1 --tts-voice nova)
check "speech set --tts-model lets the server speak the prompts, in its voice" \
  sh -c "echo '$out' | grep -q '\"synthesizer\":\"http\"' && echo '$out' | grep -q '\"tts_voice\":\"nova\"'"
out=$("$cli" --db "$db" speech clear)
check "speech clear goes back to the built-in recognizer" \
  sh -c "echo '$out' | grep -q '\"recognizer\":\"pocketsphinx\"'"

echo "1..$n"
[ "$fail" -eq 0 ]
