#!/bin/sh
# telebot-cli call over SIP, end to end (issue 6): baresip auto-answers and plays an espeak-ng
# WAV; the bot's call session must recognize the callee's intent from the real RTP audio, act on
# it (opt-out: DNC; yes: the interested route) and record both sides in a stereo WAV.
set -eu
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
script="$src/tests/data/scripts/e2e-ask.json"
tmp=$(mktemp -d)
bspid=""
cleanup() { [ -n "$bspid" ] && kill "$bspid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
db="$tmp/t.db"
. "$src/tests/call-e2e-checks.sh"

"$cli" script check "$script" --policy DEFAULT >"$tmp/check.json" || true
check "the test script passes script check for policy DEFAULT" json "$tmp/check.json" "j['ok']"

# start_baresip WAV NUMBER: baresip as the callee NUMBER (its account's user, so that it takes
# the INVITE for sip:NUMBER@127.0.0.1:port): auto-answer, play WAV from answer, hang up at its end.
start_baresip() {
  rm -rf "$tmp/bs"; mkdir "$tmp/bs"
  port=$(free_port)
  cat >"$tmp/bs/config" <<CFG
sip_listen		127.0.0.1:$port
audio_player		aubridge,x
audio_source		aufile,$1
audio_alert		aubridge,x
module_path		/usr/lib/baresip/modules
snd_path		$tmp/bs
module			g711.so
module			aufile.so
module			aubridge.so
module			sndfile.so
module_app		account.so
module_app		menu.so
CFG
  echo "<sip:$2@127.0.0.1:$port>;regint=0;answermode=auto" >"$tmp/bs/accounts"
  (cd "$tmp/bs" && exec baresip -f "$tmp/bs") </dev/null >"$tmp/bs/log" 2>&1 &
  bspid=$!
  wait_log "$tmp/bs/log" "baresip is ready" || sed 's/^/# baresip: /' "$tmp/bs/log"
}
stop_baresip() { kill "$bspid" 2>/dev/null || true; wait "$bspid" 2>/dev/null || true; bspid=""; }

number=+12025550143
# These calls exercise the audio path, not the calling rules (test-cli-dial-gate.sh does):
# test calls to numbers the business lists as its own.
"$cli" --db "$db" line test-numbers add +12025550143 +12025550187 +12025550166 >/dev/null

# 1. The callee says "stop calling me": opt-out from the audio, DNC, both sides recorded.
callee_wav "stop calling me" "$tmp/optout.wav" 9
start_baresip "$tmp/optout.wav" "$number"
"$cli" --db "$db" line add sip bs1 --domain "127.0.0.1:$port" >/dev/null
"$cli" --db "$db" call "$number" --test --line bs1 --script "$script" >"$tmp/c1.json" 2>"$tmp/c1.err" ||
  cat "$tmp/c1.err" >&2
stop_baresip
cat "$tmp/c1.json" | sed 's/^/# /'
check_opt_out_call "$tmp/c1.json" "$number" RTP
# baresip's sndfile dump of what it decoded from us: the prompt, at real-time pace (a burst
# of RTP once made this dump minutes long for a 12 s call).
dec=$(ls "$tmp"/bs/dump-*-dec.wav 2>/dev/null | head -n 1)
heard=$(rms "$dec" trim 0.5 5)
secs=$(soxi -D "$dec" 2>/dev/null || echo 0)
check "call 1: baresip heard the bot's prompt (RMS $heard) over a ${secs} s call" \
  sh -c "gt() { awk \"BEGIN{exit !(\$1 > \$2)}\"; }; gt $heard 0.02 && gt $secs 8 && gt 30 $secs"

# 2. The callee says "yes please": the yes route, a graded lead, no opt-out.
callee_wav "yes please" "$tmp/yes.wav" 9
start_baresip "$tmp/yes.wav" +12025550187
"$cli" --db "$db" line add sip bs2 --domain "127.0.0.1:$port" >/dev/null
"$cli" --db "$db" call +12025550187 --test --line bs2 --script "$script" >"$tmp/c2.json" 2>"$tmp/c2.err" ||
  cat "$tmp/c2.err" >&2
stop_baresip
cat "$tmp/c2.json" | sed 's/^/# /'
check_yes_call "$tmp/c2.json" +12025550187 RTP

# 3. A callee whose phone sends RTP only while its user speaks (silence suppression, as GSM
# gateways and mobile networks do), then with comfort noise between talkspurts: "Hello?", nine
# seconds of listening with no packet at all, then the opt-out. The bot must take the person
# for a person, hear the words after the silence and record the whole call.
espeak-ng -v en -s 175 -w "$tmp/hello.wav" "Hello?"
sox "$tmp/hello.wav" -r 8000 -c 1 -e u-law -t raw "$tmp/hello.ul"
espeak-ng -v en -s 175 -w "$tmp/stop.wav" "stop calling me, take me off your list"
sox "$tmp/stop.wav" -r 8000 -c 1 -e u-law -t raw "$tmp/stop.ul"
for cn in -1 45; do
  port=$(free_port)
  label=$([ "$cn" -lt 0 ] && echo "no packets while quiet" || echo "comfort noise while quiet")
  cat >"$tmp/plan.json" <<PLAN
{ "steps": [ {"say": "$tmp/hello.ul"}, {"silence": 9}, {"say": "$tmp/stop.ul"},
             {"silence": 6} ], "cn": $cn }
PLAN
  rm -f "$tmp/peer.log"
  python3 "$src/tests/tb-rtp-callee.py" --port "$port" --plan "$tmp/plan.json" \
    --log "$tmp/peer.log" --timeout 60 &
  peer_pid=$!
  wait_log "$tmp/peer.log" '"ready"' || true
  "$cli" --db "$db" line add sip "vad$port" --domain "127.0.0.1:$port" >/dev/null
  "$cli" --db "$db" call +12025550166 --test --line "vad$port" --script "$script" >"$tmp/c3.json" \
    2>"$tmp/c3.err" || cat "$tmp/c3.err" >&2
  wait "$peer_pid" 2>/dev/null || true
  sed 's/^/# /' "$tmp/c3.json"
  check "$label: the person was taken for a person" json "$tmp/c3.json" \
    "(j['amd'] or '').startswith('human') or (j['amd'] or '').startswith('unknown')"
  check "$label: the words after 9 s of silence opted the callee out" json "$tmp/c3.json" \
    "j['opt_out'] is True and any(t['speaker']=='callee' and t['intent']=='opt_out' \
      for t in j['turns'])"
  "$cli" --db "$db" dnc check +12025550166 >"$tmp/dnc3.json" || true
  check "$label: the number is on the do-not-call list" json "$tmp/dnc3.json" "j['listed'] is True"
  rec=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['recording'] or '')" \
    "$tmp/c3.json")
  secs=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$tmp/c3.json")
  len=$(soxi -D "$rec" 2>/dev/null || echo 0)
  check "$label: the recording (${len} s) is as long as the call (${secs} s)" \
    sh -c "awk 'BEGIN{d=$len-$secs; if (d<0) d=-d; exit !(d <= 0.5 && $secs > 12)}'"
  "$cli" --db "$db" dnc remove +12025550166 >/dev/null 2>&1 || \
    sqlite3 "$db" "DELETE FROM dnc WHERE e164 = '+12025550166'"
done

# 4. One-way audio: the callee answers and not one RTP packet ever arrives (NAT, a firewall).
# Nobody was heard: the call is a media failure, never graded (it was once "hung_up", grade
# C, never retried), and it ends within seconds, not at the 30 s mid-call timeout.
port=$(free_port)
cat >"$tmp/plan.json" <<PLAN
{ "steps": [ {"silence": 40} ], "cn": -1 }
PLAN
rm -f "$tmp/peer.log"
python3 "$src/tests/tb-rtp-callee.py" --port "$port" --plan "$tmp/plan.json" \
  --log "$tmp/peer.log" --timeout 60 &
peer_pid=$!
wait_log "$tmp/peer.log" '"ready"' || true
"$cli" --db "$db" line test-numbers add +12025550177 >/dev/null
"$cli" --db "$db" line add sip "oneway$port" --domain "127.0.0.1:$port" >/dev/null
start=$(date +%s)
"$cli" --db "$db" call +12025550177 --test --line "oneway$port" --script "$script" \
  >"$tmp/c4.json" 2>"$tmp/c4.err" || cat "$tmp/c4.err" >&2
took=$(( $(date +%s) - start ))
kill "$peer_pid" 2>/dev/null || true; wait "$peer_pid" 2>/dev/null || true
sed 's/^/# /' "$tmp/c4.json"
check "one-way audio: the outcome is media_failure, ungraded" json "$tmp/c4.json" \
  "j['outcome'] == 'media_failure' and j['grade'] is None and j['opt_out'] is False"
check "one-way audio: the call ended in ${took} s, well before the 30 s media timeout" \
  test "$took" -lt 25
check "one-way audio: the attempt is stored as media_failure with no grade" \
  test "$(sqlite3 "$db" "SELECT outcome || '/' || coalesce(grade, '-') FROM attempts ORDER BY id DESC LIMIT 1")" = "media_failure/-"

# 5. The callee's re-INVITE mid-call — a hold ("sendonly"), an offerless session refresh — is
# answered at once with our SDP (it was left at 100 Trying until the media timed out), and
# the call goes on: the opt-out said after it is still heard.
for dir in sendonly none; do
  port=$(free_port)
  cat >"$tmp/plan.json" <<PLAN
{ "steps": [ {"say": "$tmp/hello.ul"}, {"silence": 5}, {"say": "$tmp/stop.ul"}, {"silence": 6} ],
  "cn": -1, "reinvite_at": 2.0, "reinvite_direction": "$dir" }
PLAN
  rm -f "$tmp/peer.log"
  python3 "$src/tests/tb-rtp-callee.py" --port "$port" --plan "$tmp/plan.json" \
    --log "$tmp/peer.log" --timeout 60 &
  peer_pid=$!
  wait_log "$tmp/peer.log" '"ready"' || true
  "$cli" --db "$db" line add sip "re$dir$port" --domain "127.0.0.1:$port" >/dev/null
  "$cli" --db "$db" call +12025550166 --test --line "re$dir$port" --script "$script" \
    >"$tmp/c5.json" 2>"$tmp/c5.err" || cat "$tmp/c5.err" >&2
  wait "$peer_pid" 2>/dev/null || true
  sed 's/^/# peer: /' "$tmp/peer.log" | grep -v '"plan"'
  want=$([ "$dir" = sendonly ] && echo recvonly || echo sendrecv)
  check "re-INVITE ($dir): answered 200 with our SDP, direction $want" python3 -c "
import json, sys
ev = [json.loads(l) for l in open('$tmp/peer.log')]
r = [e for e in ev if e['event'] == 'reinvite_response' and e['code'] >= 200]
sys.exit(0 if r and r[0]['code'] == 200 and r[0]['sdp'] and r[0]['direction'] == '$want' else 1)"
  check "re-INVITE ($dir): the call went on and heard the opt-out after it" json "$tmp/c5.json" \
    "j['opt_out'] is True and j['end_reason'] == 'completed'"
  "$cli" --db "$db" dnc remove +12025550166 >/dev/null 2>&1 || true
done

# 6. SIGTERM mid-call: the command ends within 2 s, the callee gets a BYE (not silence until
# its own timeout), and the call is recorded as interrupted, ungraded.
port=$(free_port)
cat >"$tmp/plan.json" <<PLAN
{ "steps": [ {"say": "$tmp/hello.ul"}, {"silence": 30} ], "cn": 45 }
PLAN
rm -f "$tmp/peer.log"
python3 "$src/tests/tb-rtp-callee.py" --port "$port" --plan "$tmp/plan.json" \
  --log "$tmp/peer.log" --timeout 60 &
peer_pid=$!
wait_log "$tmp/peer.log" '"ready"' || true
"$cli" --db "$db" line add sip "term$port" --domain "127.0.0.1:$port" >/dev/null
"$cli" --db "$db" call +12025550166 --test --line "term$port" --script "$script" \
  >"$tmp/c6.json" 2>"$tmp/c6.err" &
call_pid=$!
wait_log "$tmp/peer.log" '"answered"' || true
sleep 2
kill -TERM "$call_pid"
t0=$(date +%s%N)
wait "$call_pid" 2>/dev/null || true
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
wait "$peer_pid" 2>/dev/null || true
check "SIGTERM mid-call: the command ended ${ms} ms after it" test "$ms" -lt 2000
check "SIGTERM mid-call: the callee got a BYE" grep -q '"event": "bye"' "$tmp/peer.log"
check "SIGTERM mid-call: the call is recorded as interrupted, ungraded" json "$tmp/c6.json" \
  "j['outcome'] == 'interrupted' and j['grade'] is None"

# 7. A keypad-only Chinese call on the SIP line (no Chinese recognizer offline): the callee
# answers the question with RFC 4733 digits — 1 (interested), then 2 (no transfer, send the
# quote); another presses 9 and is opted out.
keypad="$src/data/scripts/demo-zh-keypad.json"
"$cli" --db "$db" line test-numbers add +8613812345601 +8613812345609 >/dev/null
for keys in "1 2" "9"; do
  port=$(free_port)
  number=$([ "$keys" = 9 ] && echo +8613812345609 || echo +8613812345601)
  # "Hello?", then the keys: 9 (the opt-out works at every node) while the greeting plays;
  # 1 and 2 once the question was asked (about 30 s in: espeak-ng's Mandarin is slow), 10 s
  # apart.
  python3 -c '
import json, sys
keys = sys.argv[3:]
steps = [{"silence": 4}, {"say": sys.argv[1]}, {"silence": 10 if keys == ["9"] else 30}]
for key in keys:
    steps += [{"dtmf": key}, {"silence": 10}]
json.dump({"steps": steps, "cn": -1}, open(sys.argv[2], "w"))' "$tmp/hello.ul" "$tmp/plan.json" $keys
  rm -f "$tmp/peer.log"
  python3 "$src/tests/tb-rtp-callee.py" --port "$port" --plan "$tmp/plan.json" \
    --log "$tmp/peer.log" --timeout 90 &
  peer_pid=$!
  wait_log "$tmp/peer.log" '"ready"' || true
  "$cli" --db "$db" line add sip "kp$port" --domain "127.0.0.1:$port" >/dev/null
  "$cli" --db "$db" call "$number" --test --line "kp$port" --script "$keypad" \
    >"$tmp/c7.json" 2>"$tmp/c7.err" || cat "$tmp/c7.err" >&2
  kill "$peer_pid" 2>/dev/null || true; wait "$peer_pid" 2>/dev/null || true
  sed 's/^/# /' "$tmp/c7.json"
  if [ "$keys" = 9 ]; then
    check "keypad only, key 9: opted out, on the do-not-call list" json "$tmp/c7.json" \
      "j['opt_out'] is True"
  else
    check "keypad only, keys 1 then 2: the interested route, a warm lead" json "$tmp/c7.json" \
      "j['outcome'] == 'interested_later' and j['grade'] in ('A', 'B') and \
       [t['intent'] for t in j['turns'] if t['speaker'] == 'callee' and t['text']] == ['yes', 'no']"
  fi
done

echo "1..$n"
[ "$fail" -eq 0 ]
