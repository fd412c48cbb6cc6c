#!/bin/sh
# telebot-cli call through a voice modem, end to end (issue 9): the pty modem simulator answers
# and plays an espeak-ng WAV on its PCM port; the bot's call session must recognize the callee's
# intent from that PCM audio, act on it (opt-out: DNC; yes: the interested route) and record
# both sides in a stereo WAV. The simulator's own recording shows the callee heard the bot.
set -eu
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
sim=${TELEBOT_BUILD_DIR:?}/tests/tb-modem-sim
script="$src/tests/data/scripts/e2e-ask.json"
tmp=$(mktemp -d)
simpid=""
cleanup() { [ -n "$simpid" ] && kill "$simpid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db="$tmp/t.db"
. "$src/tests/call-e2e-checks.sh"
# start_sim WAV: a Huawei stick on two ptys that answers and plays WAV once voice is on.
start_sim() {
  rm -f "$tmp/at" "$tmp/pcm" "$tmp/heard.wav"
  "$sim" --vendor huawei --at-link "$tmp/at" --audio-link "$tmp/pcm" --play "$1" \
    --record "$tmp/heard.wav" --events "$tmp/ev" </dev/null >/dev/null 2>"$tmp/sim.err" &
  simpid=$!
  i=0; while [ ! -e "$tmp/at" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
}
stop_sim() { kill "$simpid" 2>/dev/null || true; wait "$simpid" 2>/dev/null || true; simpid=""; }

number=+12025550143
# These calls exercise the audio path, not the calling rules (test-cli-dial-gate.sh does):
# test calls to numbers the business lists as its own.
"$cli" --db "$db" line test-numbers add +12025550143 +12025550187 >/dev/null

# 1. The callee says "stop calling me": opt-out from the PCM audio, DNC, both sides recorded.
callee_wav "stop calling me" "$tmp/optout.wav" 2
start_sim "$tmp/optout.wav"
"$cli" --db "$db" line add modem m1 --device "$tmp/at" --audio "$tmp/pcm" --vendor huawei \
  >/dev/null
"$cli" --db "$db" call "$number" --test --line m1 --script "$script" >"$tmp/c1.json" 2>"$tmp/c1.err" ||
  cat "$tmp/c1.err" >&2
stop_sim
sed 's/^/# /' "$tmp/c1.json"
check_opt_out_call "$tmp/c1.json" "$number" PCM
heard=$(rms "$tmp/heard.wav" trim 0.5 5)
check "call 1: the modem's far end heard the bot's prompt (RMS $heard)" gt "$heard" 0.02

# 2. The callee says "yes please": the yes route, a graded lead, no opt-out.
callee_wav "yes please" "$tmp/yes.wav" 2
start_sim "$tmp/yes.wav"
"$cli" --db "$db" line add modem m2 --device "$tmp/at" --audio "$tmp/pcm" --vendor huawei \
  >/dev/null
"$cli" --db "$db" call +12025550187 --test --line m2 --script "$script" >"$tmp/c2.json" 2>"$tmp/c2.err" ||
  cat "$tmp/c2.err" >&2
stop_sim
sed 's/^/# /' "$tmp/c2.json"
check_yes_call "$tmp/c2.json" +12025550187 PCM

# 3. The PCM port goes quiet for 1.5 s mid-call (an underrun, shorter than the media timeout):
#    the gap is silence in the call's clock, not a shortened timeline. The two-channel recording
#    lasts as long as the call did, and the call goes on to its end.
callee_wav "yes please" "$tmp/yes3.wav" 2
rm -f "$tmp/at" "$tmp/pcm" "$tmp/ev" "$tmp/ctl"
mkfifo "$tmp/ctl"
exec 3<>"$tmp/ctl"
"$sim" --vendor huawei --at-link "$tmp/at" --audio-link "$tmp/pcm" --play "$tmp/yes3.wav" \
  --events "$tmp/ev" <"$tmp/ctl" >/dev/null 2>"$tmp/sim.err" &
simpid=$!
i=0; while [ ! -e "$tmp/at" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
"$cli" --db "$db" line add modem m3 --device "$tmp/at" --audio "$tmp/pcm" --vendor huawei \
  >/dev/null
( i=0; while ! grep -q AUDIO_ON "$tmp/ev" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  sleep 0.3; echo "mute 1.5" >&3 ) &
muter=$!
"$cli" --db "$db" call +12025550187 --test --line m3 --script "$script" >"$tmp/c3.json" 2>"$tmp/c3.err" ||
  cat "$tmp/c3.err" >&2
wait "$muter" 2>/dev/null || true
stop_sim
exec 3>&-
sed 's/^/# /' "$tmp/c3.json"
check "underrun: the sim muted its PCM port mid-call" grep -q "FAULT mute" "$tmp/ev"
check "underrun: the call still reached its end (graded, not a media failure)" \
  json "$tmp/c3.json" "j['outcome'] != 'media_failure' and j.get('grade') is not None"
rec=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['recording'] or '')" "$tmp/c3.json")
call_s=$(sqlite3 "$db" "SELECT (ended_at - answered_at) / 1e6 FROM attempts ORDER BY id DESC LIMIT 1")
rec_s=$(soxi -D "$rec" 2>/dev/null || echo 0)
echo "# underrun: call ${call_s} s, recording ${rec_s} s"
check "underrun: the recording lasts as long as the call (±0.25 s), not 1.5 s less" \
  python3 -c "import sys; sys.exit(0 if abs($call_s - $rec_s) <= 0.25 else 1)"

echo "1..$n"
[ "$fail" -eq 0 ]
