# call-e2e-checks.sh — sourced by the end-to-end call tests (test-call-sip.sh, test-call-modem.sh):
# the TAP helpers and the assertions both make on `telebot-cli call`'s result, whatever the line.
# Expects $cli, $db and $tmp; sets n and fail.
. "$(dirname "$0")/tap.sh"
# json FILE EXPR: a Python expression over the object j must hold.
json() {
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"
}
# rms WAV [EFFECT…]: the RMS amplitude of the file after the sox effects.
rms() { f=$1; shift; sox "$f" -n "$@" stat 2>&1 | sed -n 's/^RMS *amplitude: *//p'; }
gt() { awk "BEGIN{exit !($1 > $2)}"; }
# callee_wav TEXT OUT TAIL: silence while the bot's first prompt plays (the script's first node
# is an ask with a ~6 s prompt and barge-in off), then TEXT, then TAIL seconds of silence while
# the bot answers. The callee speaks with espeak-ng's default "en" voice at 175 wpm: with the
# en-us voice (or en at 165 wpm) the grammar recognizer hears "stop calling me" only on some
# codec roundings; this voice is recognized in every variant tried (linear, u-law, band-limited).
callee_wav() {
  espeak-ng -v en -s 175 -w "$tmp/raw.wav" "$1"
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$2" pad 7.5 "$3"
}

# check_opt_out_call RESULT.json NUMBER MEDIUM: the callee said "stop calling me" — the bot
# heard it from MEDIUM ("RTP", "PCM"), opted the number out (DNC, from speech, with the words)
# and recorded both sides: the callee on the left, the bot on the right.
check_opt_out_call() {
  check "call 1 was answered and ended by the bot" json "$1" \
    "j['end_reason']=='completed' and j['number']=='$2'"
  check "call 1: a callee turn recognized from the $3 audio has intent opt_out" \
    json "$1" "any(t['speaker']=='callee' and t['intent']=='opt_out' and \
      'stop' in (t['text'] or '').lower() for t in j['turns'])"
  check "call 1: opt_out is true and the grade is E" json "$1" \
    "j['opt_out'] is True and j['grade']=='E'"
  "$cli" --db "$db" dnc check "$2" >"$tmp/dnc.json" || true
  check "call 1: the number is on the do-not-call list, from speech, with the words heard" \
    json "$tmp/dnc.json" "j['listed'] is True and j['source']=='speech' and \
      j['reason']=='opt-out' and 'stop' in (j['words'] or '')"
  rec=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['recording'] or '')" \
    "$1")
  check "call 1: the recording exists" test -s "$rec"
  check "call 1: the recording is stereo 8 kHz" \
    sh -c "test \"\$(soxi -c '$rec')\" = 2 && test \"\$(soxi -r '$rec')\" = 8000"
  # Left (callee) is silent while the bot's first prompt plays and carries the phrase after
  # it; right (bot) carries the prompt.
  l_early=$(rms "$rec" remix 1 trim 0.5 5)
  l_late=$(rms "$rec" remix 1 trim 7 2.5)
  r_early=$(rms "$rec" remix 2 trim 0.5 5)
  r_late=$(rms "$rec" remix 2 trim 7.5 1)
  check "call 1: the callee's words are on the left channel ($l_early then $l_late)" \
    sh -c "gt() { awk \"BEGIN{exit !(\$1 > \$2)}\"; }; gt $l_late 0.02 && gt 0.005 $l_early"
  check "call 1: the bot's prompt is on the right channel, silent while the callee speaks \
($r_early then $r_late)" sh -c "gt() { awk \"BEGIN{exit !(\$1 > \$2)}\"; }; \
    gt $r_early 0.02 && gt 0.005 $r_late"
}

# check_yes_call RESULT.json NUMBER MEDIUM: the callee said "yes please" — the yes route, a
# graded lead, no opt-out.
check_yes_call() {
  check "call 2: a callee turn recognized from the $3 audio has intent yes" \
    json "$1" "any(t['speaker']=='callee' and t['intent']=='yes' for t in j['turns'])"
  check "call 2: the yes route was taken (outcome interested, no opt-out)" json "$1" \
    "j['outcome']=='interested' and j['opt_out'] is False and \
     any(t['node']=='thanks' and t['speaker']=='bot' for t in j['turns'])"
  "$cli" --db "$db" dnc check "$2" >"$tmp/dnc2.json" || true
  check "call 2: that number is not on the do-not-call list" json "$tmp/dnc2.json" \
    "j['listed'] is False"
}
