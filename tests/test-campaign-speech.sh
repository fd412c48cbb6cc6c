#!/bin/sh
# A campaign whose speech server fails: HTTP 500, JSON nested 80,000 deep (it crashed
# `campaign run` with SIGSEGV), bytes that are not JSON, no answer at all. Calls reprompt
# (the retry text names the keys) and end as speech_failure, ungraded and retried; after
# TB_CAMPAIGN_MAX_RECOGNIZER_FAILURES (5) failures in a row the campaign pauses, says why on
# stderr, in its summary and in its stored state, and exits 1 without a crash or a stall.
# Then the server works again and the same campaign finishes, every contact graded.
# The server is tests/tb-speech-standin.py, a python3 http.server on 127.0.0.1.
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || rm -rf "$tmp"
}
trap cleanup EXIT
. "$(dirname "$0")/tap.sh"
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
q() { sqlite3 "$db" "$1"; }
now=2026-12-01T10:00:00-05:00   # a Tuesday morning in Washington, DC
contacts=8
concurrency=2

# start_server MODE [ARGS]: the stand-in in the background; its URL in $url.
start_server() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -f "$tmp/port"
  mode=$1; shift
  python3 "$src/tests/tb-speech-standin.py" --mode "$mode" --port-file "$tmp/port" \
    --log "$tmp/requests.log" "$@" &
  server=$!
  i=0
  while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  url="http://127.0.0.1:$(cat "$tmp/port")"
}

make_campaign() {
  db=$1
  awk -v n=$contacts 'BEGIN { print "name,phone,company,persona";
    for (i = 0; i < n; i++) printf "Contact %d,+1 202 555 %04d,Company %d,interested\n", i, 2000 + i, i }' \
    >"$tmp/contacts.csv"
  awk -v n=$contacts 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
    for (i = 0; i < n; i++) printf "+1202555%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", 2000 + i }' \
    >"$tmp/consent.csv"
  "$cli" --db "$db" demo >/dev/null &&
  "$cli" --db "$db" contacts import "$tmp/contacts.csv" --list Speech --region US >/dev/null 2>&1 &&
  "$cli" --db "$db" consent import "$tmp/consent.csv" >/dev/null 2>&1 &&
  "$cli" --db "$db" campaign create Speech --list Speech --line "Simulated line" \
    --script "$src/data/scripts/demo-en.json" --concurrency $concurrency --policy US >/dev/null
}

for spec in "500:HTTP 500" "401:HTTP 401 Unauthorized (the server refused the API key)" \
            "429:HTTP 429 Too Many Requests" \
            "nested:nested deeper than 64 levels" "garbage:not a transcription" "hang:timeout"; do
  mode=${spec%%:*}
  why=${spec#*:}
  db="$tmp/$mode.db"
  check "$mode: the campaign is created" make_campaign "$db"
  start_server "$mode"
  "$cli" --db "$db" speech set "$url" >/dev/null
  rc=0
  start=$(date +%s)
  timeout 240 "$cli" --db "$db" campaign run Speech --fast --now "$now" \
    >"$tmp/summary.json" 2>"$tmp/err" || rc=$?
  took=$(( $(date +%s) - start ))
  echo "# $mode: exit $rc in ${took}s: $(cat "$tmp/summary.json")"
  check "$mode: campaign run exits 1, not by a signal or a timeout (exit $rc)" test "$rc" -eq 1
  check "$mode: stderr says, on one line, that the campaign paused and why" \
    grep -q "^telebot-cli: campaign “Speech” paused: the speech server $url failed 5 times in a row (last: .*$why" "$tmp/err"
  check "$mode: the summary says paused, with the reason" json "$tmp/summary.json" \
    "j['finished'] is False and 'failed 5 times in a row' in j['paused'] and '$why' in j['paused']"
  check "$mode: the campaign's stored state is paused, with the reason" \
    sh -c "test \"\$(sqlite3 '$db' \"SELECT state FROM campaigns WHERE name = 'Speech'\")\" = paused &&
           sqlite3 '$db' \"SELECT state_reason FROM campaigns WHERE name = 'Speech'\" | grep -q '$why'"
  "$cli" --db "$db" campaign list >"$tmp/list.json"
  check "$mode: campaign list shows the reason" \
    sh -c "grep '\"campaign\":\"Speech\"' '$tmp/list.json' | grep -q '\"state_reason\":\"the speech server'"
  check "$mode: no new call after the pause (at most 5 failures + $concurrency calls in flight)" \
    test "$(q "SELECT count(*) FROM attempts")" -le $((5 + concurrency))
  check "$mode: no attempt is left open" \
    test "$(q "SELECT count(*) FROM attempts WHERE state NOT IN ('ended', 'interrupted')")" -eq 0
  check "$mode: unheard calls are speech_failure, not graded, and due again" \
    test "$(q "SELECT count(*) FROM attempts WHERE outcome != 'speech_failure' OR grade IS NOT NULL")" -eq 0 -a \
         "$(q "SELECT count(*) FROM queue q JOIN campaigns k ON k.id = q.campaign_id WHERE k.name = 'Speech' AND q.state = 'pending'")" -eq $contacts
  check "$mode: every call reprompted, and its record says why it heard nothing" \
    test "$(q "SELECT count(*) FROM attempts a WHERE (SELECT count(*) FROM turns t WHERE t.attempt_id = a.id AND t.speaker = 'system' AND t.text LIKE 'speech recognition failed: %') < 1 OR NOT EXISTS (SELECT 1 FROM turns t WHERE t.attempt_id = a.id AND t.text LIKE 'Sorry, I did not catch that.%press 1 or 2.')")" -eq 0
done

# The server works again: the paused campaign resumes, calls the same people and finishes.
db="$tmp/500.db"
start_server ok
"$cli" --db "$db" speech set "$url" >/dev/null
rc=0
"$cli" --db "$db" campaign run Speech --fast --now "$now" >"$tmp/summary.json" 2>"$tmp/err" || rc=$?
echo "# resumed: exit $rc: $(cat "$tmp/summary.json")"
check "resumed: campaign run exits 0 (exit $rc)" test "$rc" -eq 0
check "resumed: finished, no pause" json "$tmp/summary.json" \
  "j['finished'] is True and 'paused' not in j and j['done'] == $contacts"
check "resumed: the stored reason is gone" \
  test "$(q "SELECT state || '|' || ifnull(state_reason, '') FROM campaigns WHERE name = 'Speech'")" = "finished|"
check "resumed: every contact heard and graded A or B" \
  test "$(q "SELECT count(DISTINCT contact_id) FROM attempts WHERE grade IN ('A', 'B')")" -eq $contacts

# A Chinese campaign heard and spoken through a SenseVoice/CosyVoice-style server (the shapes
# SiliconFlow's OpenAI-compatible endpoint and a FunASR server answer in): every callee says
# "<|zh|><|ANGRY|><|Speech|><|withitn|>不要再给我打电话了。😡". The tags and the emoji are
# not words, the opt-out is understood, every number lands on the do-not-call list, the
# robot's prompts are the server's audio, and the server gets 16 kHz audio, language zh.
db="$tmp/zh.db"
printf 'name,phone,company,persona\n' >"$tmp/zh.csv"
printf 'number,scope,source,evidence,collected_at,collected_by\n' >"$tmp/zh-consent.csv"
for i in 1 2 3 4 5 6; do
  printf '联系人%d,+86 138 0013 80%02d,公司%d,interested\n' $i $i $i >>"$tmp/zh.csv"
  printf '+861380013 80%02d,ai_voice,form,网页表单,2026-01-01T00:00:00Z,test\n' $i | tr -d ' ' \
    >>"$tmp/zh-consent.csv"
done
"$cli" --db "$db" line add sim fast --fast >/dev/null
"$cli" --db "$db" contacts import "$tmp/zh.csv" --list 中文 --region CN >/dev/null 2>&1
"$cli" --db "$db" consent import "$tmp/zh-consent.csv" >/dev/null 2>&1
"$cli" --db "$db" campaign create 中文 --list 中文 --line fast \
  --script "$src/data/scripts/demo-zh.json" --concurrency 2 --policy CN >"$tmp/zh-create.json"
check "zh: the campaign is created" json "$tmp/zh-create.json" "j['campaign'] == '中文'"
: >"$tmp/requests.log"
start_server sensevoice-optout
TELEBOT_TEST_SPEECH_KEY=sk-test "$cli" --db "$db" speech set "$url/v1" --model FunAudioLLM/SenseVoiceSmall \
  --tts-model FunAudioLLM/CosyVoice2-0.5B --tts-voice "FunAudioLLM/CosyVoice2-0.5B:alex" \
  --key-env TELEBOT_TEST_SPEECH_KEY >/dev/null
rc=0
TELEBOT_TEST_SPEECH_KEY=sk-test timeout 240 "$cli" --db "$db" campaign run 中文 --fast \
  --now 2026-12-01T10:00:00+08:00 >"$tmp/summary.json" 2>"$tmp/err" || rc=$?
echo "# zh: exit $rc: $(cat "$tmp/summary.json")"
sed 's/^/# /' "$tmp/err" | head -5
check "zh: campaign run exits 0 (exit $rc)" test "$rc" -eq 0
check "zh: every callee's opt-out is understood through the tags and the emoji" \
  test "$(q "SELECT count(*) FROM attempts WHERE opt_out = 1 AND grade = 'E'")" -eq 6
check "zh: every number is on the do-not-call list" test "$(q "SELECT count(*) FROM dnc")" -eq 6
check "zh: the transcript keeps the words, not the tags" \
  test "$(q "SELECT count(*) FROM turns WHERE speaker = 'callee' AND text = '不要再给我打电话了。'")" -ge 6 -a \
       "$(q "SELECT count(*) FROM turns WHERE text LIKE '%<|%' OR text LIKE '%😡%'")" -eq 0
check "zh: the server heard 16 kHz audio, language zh" \
  test "$(grep -c 'transcriptions sensevoice-optout rate=16000 language=zh$' "$tmp/requests.log")" -ge 6 -a \
       "$(grep -c 'transcriptions' "$tmp/requests.log")" -eq "$(grep -c 'transcriptions.*rate=16000' "$tmp/requests.log")"
check "zh: the robot's Chinese prompts were spoken by the server" \
  grep -q '/v1/audio/speech sensevoice-optout input=联系人1您好，这里是阳光烘焙原料公司，我是智能语音助手' "$tmp/requests.log"
check "zh: the goodbye after the opt-out too" \
  grep -q '/v1/audio/speech sensevoice-optout input=.*不会再' "$tmp/requests.log"

# The speech server hears but cannot speak (HTTP 500 on /v1/audio/speech): espeak-ng says the
# prompts instead — the callees hear the robot and its disclosures, and the calls are graded
# (before: every call was silence, hung up on, graded C).
db="$tmp/tts.db"
check "tts-500: the campaign is created" make_campaign "$db"
start_server tts-500
"$cli" --db "$db" speech set "$url" --tts-model cosyvoice >/dev/null
rc=0
timeout 240 "$cli" --db "$db" campaign run Speech --fast --now "$now" >"$tmp/summary.json" \
  2>"$tmp/err" || rc=$?
echo "# tts-500: exit $rc: $(cat "$tmp/summary.json")"
check "tts-500: campaign run exits 0 (exit $rc)" test "$rc" -eq 0
check "tts-500: it says espeak-ng speaks what the server could not" \
  grep -q 'espeak-ng speaks' "$tmp/err"
check "tts-500: every contact heard the robot and was graded A or B" \
  test "$(q "SELECT count(DISTINCT contact_id) FROM attempts WHERE grade IN ('A', 'B')")" -eq $contacts
check "tts-500: the robot's words are in every transcript" \
  test "$(q "SELECT count(*) FROM attempts a WHERE NOT EXISTS (SELECT 1 FROM turns t WHERE t.attempt_id = a.id AND t.speaker = 'bot' AND t.text LIKE '%automated call%')")" -eq 0

# One credential lookup: `transcribe` hears through the speech service the settings name, with
# the key they point to (a 0600 file here), as the calls do — not a second keyring entry.
start_server sensevoice-optout --expect-key sk-from-file
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$tmp/utterance.wav" synth 1 sine 300 2>/dev/null
printf 'sk-from-file' >"$tmp/speech.key"
chmod 600 "$tmp/speech.key"
"$cli" --db "$db" speech set "$url/v1" --model FunAudioLLM/SenseVoiceSmall \
  --key-file "$tmp/speech.key" >/dev/null
env -u TELEBOT_SPEECH_API_KEY "$cli" --db "$db" transcribe --engine http "$tmp/utterance.wav" \
  >"$tmp/t.json" 2>"$tmp/t.err" || true
check "transcribe uses the stored speech service and its key (file)" \
  json "$tmp/t.json" "j['text'] == '不要再给我打电话了。' and j['ms'] >= 0"
printf 'sk-wrong' >"$tmp/speech.key"
env -u TELEBOT_SPEECH_API_KEY "$cli" --db "$db" transcribe --engine http "$tmp/utterance.wav" \
  >"$tmp/t.json" 2>"$tmp/t.err" || true
check "... and a wrong key is refused by the server, said plainly" \
  json "$tmp/t.json" "j['text'] == '' and 'refused the API key' in j['reason']"

echo "1..$n"
[ "$fail" -eq 0 ]
