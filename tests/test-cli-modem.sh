#!/bin/sh
# telebot-cli modem probe / test-call against the pty modem simulator (both dialects):
# the JSON contract, a real call with audio both ways, DTMF, and one-line errors.
set -eu
cli=${TELEBOT_CLI:?}
sim=${TELEBOT_BUILD_DIR:?}/tests/tb-modem-sim
tmp=$(mktemp -d)
simpid=""
trap '[ -n "$simpid" ] && kill "$simpid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
# json FILE EXPR: a Python expression over the object j must hold.
json() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}
rms() { sox "$1" -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p'; }

espeak-ng -w "$tmp/a.wav" "Hello, this is a test call from Telebot. Press one for a person."
sox "$tmp/a.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/play.wav"
espeak-ng -w "$tmp/b.wav" "Hello, I am the callee and I am speaking now."
sox "$tmp/b.wav" -r 8000 -c 1 -b 16 -e signed-integer "$tmp/callee.wav"

# A modem test call skips the calling rules: it rings only the business's test numbers.
"$cli" --db "$tmp/m.db" line test-numbers add 5550123 200 >/dev/null

for vendor in huawei simcom; do
  rm -f "$tmp/ev" "$tmp/heard.wav" "$tmp/rec.wav"
  "$sim" --vendor "$vendor" --at-link "$tmp/at" --audio-link "$tmp/pcm" --events "$tmp/ev" \
    --play "$tmp/callee.wav" --record "$tmp/heard.wav" --callee 200:busy:0.5 \
    --csq 21 --operator "Loop Mobile" </dev/null >/dev/null &
  simpid=$!
  i=0; while [ ! -e "$tmp/at" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done

  "$cli" modem probe --device "$tmp/at" --audio "$tmp/pcm" >"$tmp/probe.json"
  check "$vendor: probe reports vendor, SIM, operator, signal and voice" \
    json "$tmp/probe.json" "j['vendor']=='$vendor' and j['sim']=='READY' and \
      j['operator']=='Loop Mobile' and j['signal_dbm']==-71 and j['voice'] is True and \
      j['state']=='ready'"

  "$cli" modem probe --device "$tmp/at" >"$tmp/probe2.json"
  check "$vendor: without a PCM port the probe says it cannot carry voice" \
    json "$tmp/probe2.json" "j['voice'] is False and j['state']=='error' and \
      'cannot carry voice' in j['error']"

  "$cli" --db "$tmp/m.db" modem test-call 5550123 --device "$tmp/at" --audio "$tmp/pcm" --play "$tmp/play.wav" \
    --record "$tmp/rec.wav" --hangup-after 3 --dtmf 9 >"$tmp/call.json" 2>"$tmp/call.err"
  check "$vendor: test-call completes after --hangup-after" \
    json "$tmp/call.json" "j['end_reason']=='completed' and 2900 <= j['duration_ms'] < 4500 \
      and j['recording'].endswith('rec.wav')"
  check "$vendor: the DTMF digit reached the modem" grep -qx 'DTMF 9' "$tmp/ev"
  check "$vendor: our recording holds the callee (RMS > 0.02)" \
    python3 -c "import sys; sys.exit(0 if float('$(rms "$tmp/rec.wav")') > 0.02 else 1)"
  check "$vendor: the callee heard our prompt (RMS > 0.02)" \
    python3 -c "import sys; sys.exit(0 if float('$(rms "$tmp/heard.wav")') > 0.02 else 1)"

  "$cli" --db "$tmp/m.db" modem test-call 200 --device "$tmp/at" --audio "$tmp/pcm" >"$tmp/busy.json" 2>/dev/null
  check "$vendor: a busy callee ends as busy" json "$tmp/busy.json" "j['end_reason']=='busy'"

  kill "$simpid"; wait "$simpid" || true; simpid=""
done

if "$cli" modem probe --device "$tmp/no-such-tty" >/dev/null 2>"$tmp/err"; then
  not_ok "a missing port fails"
else
  check "a missing port fails with one error line naming it" \
    sh -c "test \$(grep -c '^telebot-cli: ' '$tmp/err') -eq 1 && \
      grep '^telebot-cli: ' '$tmp/err' | grep -q 'no-such-tty'"
fi

# A call waits for its line to be ready, and a line that cannot come up ends
# the call as failed, with the line's reason, at once (not after a timeout).
db="$tmp/gone.db"
"$cli" --db "$db" demo >/dev/null
"$cli" --db "$db" line add modem Gone --device "$tmp/no-such-tty" --audio "$tmp/no-pcm" >/dev/null
start=$(date +%s)
"$cli" --db "$db" line test-numbers add +12025550101 >/dev/null
"$cli" --db "$db" call +12025550101 --test --line Gone --script "${TELEBOT_SOURCE_DIR:?}/data/scripts/demo-en.json" \
  >"$tmp/gone.json" 2>"$tmp/gone.err" || true
took=$(( $(date +%s) - start ))
check "a call on a line that cannot come up fails (in ${took}s)" \
  json "$tmp/gone.json" "j['outcome']=='failed' and j['turns']==[]"
check "it fails at once, not after the wait for a ready line" test "$took" -lt 10
check "the log names the line and its reason" \
  sh -c "grep -q 'line Gone: .*no-such-tty' '$tmp/gone.err'"
check "the attempt is recorded as failed" \
  test "$(sqlite3 "$db" "SELECT outcome FROM attempts ORDER BY id DESC LIMIT 1")" = failed

echo "1..$n"
[ "$fail" -eq 0 ]
