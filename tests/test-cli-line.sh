#!/bin/sh
# telebot-cli line: add/list/remove on the store, and test-call on a sim line and on a SIP line
# against real peers (sipp streaming a tone; kamailio as registrar for `line list`).
set -eu
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
has() { printf '%s' "$1" | grep -q -- "$2"; }
db="$tmp/t.db"

out=$("$cli" --db "$db" line add sim demo --fast --seed 7)
check "line add sim prints the row" has "$out" '"kind":"sim"'
check "line add sim keeps --fast and --seed" has "$out" '"fast":true,"seed":7'
out=$("$cli" --db "$db" line add sip trunk --domain 127.0.0.1:5999 --user bob --password-env TB_NOPE --transport tcp --caller-id +15550100)
check "line add sip stores the settings" has "$out" '"password_env":"TB_NOPE"'
if "$cli" --db "$db" line add sip bad --domain x --transport carrier-pigeon 2>"$tmp/err"; then
  not_ok "a bad transport is refused"; else ok "a bad transport is refused"; fi
check "the error names the line and the option" grep -q 'bad: --transport carrier-pigeon' "$tmp/err"
if "$cli" --db "$db" line add sim demo 2>"$tmp/err"; then not_ok "a duplicate name is refused"; else ok "a duplicate name is refused"; fi
out=$("$cli" --db "$db" line add modem stick --device /dev/ttyTELEBOT0 --audio /dev/ttyTELEBOT1 --vendor huawei)
check "line add modem stores its ports and vendor" has "$out" '"device":"/dev/ttyTELEBOT0","audio":"/dev/ttyTELEBOT1","vendor":"huawei"'
if "$cli" --db "$db" line add modem nodev 2>"$tmp/err"; then not_ok "a modem without --device is refused"; else ok "a modem without --device is refused"; fi
check "the error names the line and the option" grep -q 'nodev: --device is required' "$tmp/err"
if "$cli" --db "$db" line add modem odd --device /dev/null --vendor nokia 2>"$tmp/err"; then not_ok "an unknown modem vendor is refused"; else ok "an unknown modem vendor is refused"; fi

# A password file: stored by its absolute path; one others may read is refused, saying so.
mkdir "$tmp/rel"; printf 'secret\n' >"$tmp/rel/pw"; chmod 644 "$tmp/rel/pw"
out=$(cd "$tmp/rel" && "$cli" --db "$db" line add sip filed --domain 127.0.0.1:5999 --user bob --password-file pw)
check "line add sip --password-file keeps the file's absolute path" has "$out" "\"password_file\":\"$tmp/rel/pw\""

out=$("$cli" --db "$db" line list --timeout 2 2>/dev/null)
check "line list shows the sim line ready" has "$out" '"name":"demo".*"state":"ready"'
check "line list shows the SIP line in error (no password in the environment)" has "$out" '"name":"trunk".*"state":"error".*TB_NOPE'
check "... and the one whose password file others may read, saying so" has "$out" '"name":"filed".*"state":"error".*others may read it'

# Test calls skip the calling rules, so they ring only the business's own numbers.
if "$cli" --db "$db" line test-call +15550100 --line demo --persona busy >/dev/null 2>"$tmp/err"; then
  not_ok "a test call to a number off the test list is refused"
else
  ok "a test call to a number off the test list is refused"
fi
check "the refusal says how to list the number" grep -q 'line test-numbers add +15550100' "$tmp/err"
check "the refusal is audited" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'dial.test-refused' AND e164 = '+15550100'")" = 1
out=$("$cli" --db "$db" line test-numbers add +15550100 service 555-0199 --region US)
check "test-numbers add lists the numbers, E.164 where they are phone numbers" \
  has "$out" '"test_numbers":\["+15550100","service",'
out=$("$cli" --db "$db" line test-numbers remove service)
check "test-numbers remove takes one off" sh -c "! printf '%s' '$out' | grep -q service"
"$cli" --db "$db" line test-numbers add service >/dev/null

# A sim call: the interested persona stays silent while our prompt plays, then answers.
espeak-ng -w "$tmp/raw.wav" "Hello, this is Acme calling about your energy bill. Are you interested?"
sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 "$tmp/prompt.wav"
out=$("$cli" --db "$db" line test-call +15550100 --line demo --persona interested --play "$tmp/prompt.wav" --record "$tmp/rec.wav" --hangup-after 8 2>/dev/null)
check "test-call on sim completes" has "$out" '"end_reason":"completed"'
check "the test call is audited as one" \
  test "$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'dial.test' AND e164 = '+15550100'")" = 1
check "test-call reports the recording" has "$out" "\"recording\":\"$tmp/rec.wav\""
len=$(soxi -D "$tmp/rec.wav")
check "the recording is 8 s (lockstep with our audio)" sh -c "awk 'BEGIN{exit !($len >= 7.9 && $len <= 8.1)}'"
quiet=$(sox "$tmp/rec.wav" -n trim 0 3 stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
loud=$(sox "$tmp/rec.wav" -n trim 4 stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
check "the callee is silent during the prompt and speaks after it ($quiet, $loud)" \
  sh -c "awk 'BEGIN{exit !($quiet < 0.005 && $loud > 0.02)}'"
out=$("$cli" --db "$db" line test-call +15550100 --line demo --persona busy 2>/dev/null)
check "test-call on a busy persona ends busy" has "$out" '"end_reason":"busy"'
out=$("$cli" --db "$db" line test-call +15550100 --line demo --persona keypress --play "$tmp/prompt.wav" --hangup-after 7 2>/dev/null)
check "test-call reports DTMF from the callee" has "$out" '"dtmf_received":"1"'

# SIP: sipp answers and streams a tone; we record it.
sport=$(free_port); mport=$(free_port)
sox -n -r 8000 -c 1 -e u-law "$tmp/tone.wav" synth 10 sine 440 vol 0.5
sed "s|@WAV@|$tmp/tone.wav|g" "$src/tests/data/sipp/uas-answer.xml" >"$tmp/uas.xml"
(cd "$tmp" && exec sipp -sf "$tmp/uas.xml" -i 127.0.0.1 -p "$sport" -mi 127.0.0.1 -mp "$mport" -m 1 -nostdin -timeout 30s -timeout_error >/dev/null 2>&1) &
sipp_pid=$!; pids="$pids $sipp_pid"
sleep 0.3
"$cli" --db "$db" line add sip loop --domain "127.0.0.1:$sport" >/dev/null
out=$("$cli" --db "$db" line test-call service --line loop --play "$tmp/prompt.wav" --record "$tmp/sip.wav" --hangup-after 2 2>/dev/null)
check "test-call over SIP completes" has "$out" '"end_reason":"completed"'
rms=$(sox "$tmp/sip.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
check "the SIP recording holds sipp's tone (RMS $rms)" sh -c "awk 'BEGIN{exit !($rms > 0.1)}'"
if wait "$sipp_pid"; then ok "sipp counts its call successful"; else not_ok "sipp counts its call successful"; fi

# kamailio as registrar: line list reports the registered line ready, a wrong password error.
kport=$(free_port)
mkdir "$tmp/kam"
cp "$src/tests/data/kamailio/subscriber" "$src/tests/data/kamailio/version" "$tmp/kam/"
sed -e "s|@PORT@|$kport|g" -e "s|@DBDIR@|$tmp/kam|g" "$src/tests/data/kamailio/kamailio.cfg" >"$tmp/kam/k.cfg"
kamailio -DD -E -f "$tmp/kam/k.cfg" -Y "$tmp/kam" -P "$tmp/kam/k.pid" >"$tmp/kam/log" 2>&1 &
pids="$pids $!"
sleep 1
db2="$tmp/k.db"
"$cli" --db "$db2" line add sip good --domain "127.0.0.1:$kport" --user alice --password-env TB_GOOD >/dev/null
"$cli" --db "$db2" line add sip wrong --domain "127.0.0.1:$kport" --user alice --password-env TB_WRONG >/dev/null
out=$(TB_GOOD=secret TB_WRONG=nope "$cli" --db "$db2" line list --timeout 5 2>/dev/null)
check "line list: registered line is ready" has "$out" '"name":"good".*"state":"ready"'
check "line list: wrong password is an error with the 401" has "$out" '"name":"wrong".*"state":"error".*401'
check "the password is in no database row" sh -c "! sqlite3 '$db2' .dump | grep -q secret"

out=$("$cli" --db "$db" line remove trunk)
check "line remove prints the name" has "$out" '"removed":"trunk"'
if "$cli" --db "$db" line remove trunk 2>"$tmp/err"; then not_ok "removing twice fails"; else ok "removing twice fails"; fi
check "the error names the line" grep -q 'trunk' "$tmp/err"

echo "1..$n"
[ "$fail" -eq 0 ]
