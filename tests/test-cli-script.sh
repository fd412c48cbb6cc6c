#!/bin/sh
# telebot-cli script check | simulate | import | list, on the sample scripts
# and on one broken script per kind of problem (tests/data/scripts/).
set -eu
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
data="$src/tests/data/scripts"
samples="$src/data/scripts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
# json FILE EXPR: evaluates a Python expression over the last JSON line (j)
# and the earlier lines (lines).
json() {
  python3 -c 'import json,sys
lines=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
j=lines[-1]
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

# --- check: the samples pass their packs -------------------------------
for spec in "demo-en.json US" "demo-en.json DEFAULT" "demo-zh.json CN" "demo-zh.json DEFAULT"; do
  set -- $spec
  if "$cli" script check "$samples/$1" --policy "$2" --fields name,company >"$tmp/out" 2>"$tmp/err"; then
    ok "$1 passes check for $2"
  else
    not_ok "$1 passes check for $2"; cat "$tmp/out" "$tmp/err"
  fi
  check "$1/$2: ok true, no problems" json "$tmp/out" 'j["ok"] is True and j["problems"] == []'
done

# --- check: each kind of error names its node ---------------------------
for spec in "unknown-target q" "unreachable orphan" "dead-end more" "no-way-out loop1" \
            "ask-no-fallback q" "missing-disclosure intro" "missing-recording intro"; do
  set -- $spec
  kind=$1; node=$2
  code=$kind
  [ "$kind" = missing-recording ] && code=missing-disclosure
  if "$cli" script check "$data/$kind.json" --policy US >"$tmp/out" 2>"$tmp/err"; then
    not_ok "$kind.json fails check"
  else
    ok "$kind.json fails check (exit $?)"
  fi
  check "$kind.json: error $code names node $node" json "$tmp/out" \
    "j['ok'] is False and any(p['severity']=='error' and p['code']=='$code' and p['node']=='$node' and p['message'].startswith('$kind.json: node \"$node\": ') for p in j['problems'])"
  check "$kind.json: one stderr line naming the file and node" \
    sh -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q '$kind.json: node \"$node\"' '$tmp/err'"
done

"$cli" script check "$data/no-opt-out.json" >"$tmp/out" 2>/dev/null && not_ok "no-opt-out.json fails" || ok "no-opt-out.json fails"
check "no-opt-out.json: code no-opt-out" json "$tmp/out" \
  "any(p['code']=='no-opt-out' and p['node'] is None for p in j['problems'])"

"$cli" script check "$data/unknown-target.json" >"$tmp/out" 2>/dev/null || true
check "the message reads like the style guide" json "$tmp/out" \
  "j['problems'][0]['message'] == 'unknown-target.json: node \"q\": route \"yes\" goes to unknown node \"later\"'"

"$cli" script check "$data/syntax-error.json" >"$tmp/out" 2>"$tmp/err" && not_ok "syntax-error.json fails" || ok "syntax-error.json fails"
check "syntax error has file:line:column" json "$tmp/out" \
  "j['problems'][0]['code']=='syntax' and j['problems'][0]['message'].startswith('syntax-error.json:4:18: ')"
check "syntax error on stderr too" grep -q 'syntax-error.json:4:18:' "$tmp/err"

"$cli" script check "$data/variables.json" --fields company >"$tmp/out" 2>/dev/null || true
check "--fields: undeclared and unprovided variables" json "$tmp/out" \
  "any(p['code']=='unknown-variable' and p['node']=='q' for p in j['problems']) and any(p['code']=='variable-not-provided' and p['severity']=='warning' for p in j['problems'])"

if "$cli" script check "$tmp/missing.json" >"$tmp/out" 2>"$tmp/err"; then not_ok "a missing file fails"; else ok "a missing file fails"; fi
check "the error names the missing file" grep -q 'missing.json' "$tmp/err"

# Outside input cannot crash the checker: a script nested 80,000 deep (json-glib recursed into a
# SIGSEGV), a file beyond 4 MB, an endless one. Each is a clean one-line error naming the file.
python3 -c 'import sys; sys.stdout.write("{\"telebot_script\": 1, \"nodes\": " + "[" * 80000 + "]" * 80000 + "}")' >"$tmp/deep.json"
rc=0; "$cli" script check "$tmp/deep.json" >"$tmp/out" 2>"$tmp/err" || rc=$?
check "deep.json fails check cleanly (exit $rc, not a signal)" test "$rc" -eq 1
check "deep.json: a syntax problem that says where and why" json "$tmp/out" \
  "j['ok'] is False and j['problems'][0]['code']=='syntax' and j['problems'][0]['message']=='deep.json:1:95: nested deeper than 64 levels'"
check "deep.json: one stderr line naming the file" \
  sh -c "test \$(wc -l <'$tmp/err') -eq 1 && grep -q '^telebot-cli: deep.json:1:95: nested deeper than 64 levels' '$tmp/err'"
head -c 5000000 /dev/zero | tr '\0' ' ' >"$tmp/big.json"
rc=0; "$cli" script check "$tmp/big.json" >"$tmp/out" 2>"$tmp/err" || rc=$?
check "a 5 MB script is refused (exit $rc)" test "$rc" -ne 0 -a "$rc" -lt 128
check "the error says the file is too large" grep -q 'big.json: larger than 4 MB' "$tmp/err"
rc=0; timeout 20 "$cli" script check /dev/zero >"$tmp/out" 2>"$tmp/err" || rc=$?
check "an endless file is refused, not read forever (exit $rc)" test "$rc" -ne 0 -a "$rc" -lt 124
if "$cli" --db "$tmp/deep.db" script import "$tmp/deep.json" >"$tmp/out" 2>"$tmp/err"; then
  not_ok "import refuses deep.json"
else
  ok "import refuses deep.json (exit $?)"
fi
check "import's error says why" grep -q 'nested deeper than 64 levels' "$tmp/err"

# The documented example is a real, clean script.
python3 -c 'import re,sys
s=open(sys.argv[1]).read()
print(re.search(r"## A complete example\n\n```json\n(.*?)\n```", s, re.S).group(1))' \
  "$samples/FORMAT.md" >"$tmp/example.json"
if "$cli" script check "$tmp/example.json" --policy US --fields name >"$tmp/out" 2>"$tmp/err"; then
  ok "FORMAT.md's example passes check"
else
  not_ok "FORMAT.md's example passes check"; cat "$tmp/out" "$tmp/err"
fi
check "FORMAT.md's example has no warnings either" json "$tmp/out" "j['problems'] == []"

# --- simulate -----------------------------------------------------------
en="$samples/demo-en.json"
zh="$samples/demo-zh.json"

"$cli" script simulate "$en" --var name=Ann --var "company=Ann's Cakes" \
  --say "yes, tell me more" --say "yes please" >"$tmp/out"
check "simulate: interested path grades A or B" json "$tmp/out" \
  "j['grade'] in ('A','B') and j['opt_out'] is False and j['outcome']=='transferred'"
check "simulate: turns are JSON lines, bot first, variables substituted" json "$tmp/out" \
  "lines[0]['speaker']=='bot' and lines[0]['node']=='intro' and lines[0]['text'].startswith('Hello Ann.') and any(l.get('speaker')=='callee' and l['intent']=='yes' and l['node']=='pitch' for l in lines)"
check "simulate: reasons name the rule and the utterance" json "$tmp/out" \
  "\"said 'yes, tell me more' at node pitch: +30 (interested)\" in j['reasons']"

"$cli" script simulate "$en" --say "no thanks" >"$tmp/out"
check "simulate: refusal grades D or E" json "$tmp/out" "j['grade'] in ('D','E') and j['opt_out'] is False"

"$cli" script simulate "$en" --say "who is this?" --say "stop calling me" >"$tmp/out"
check "simulate: opt-out sets opt_out and grade E" json "$tmp/out" \
  "j['opt_out'] is True and j['grade']=='E' and j['outcome']=='opt_out'"
check "simulate: only the goodbye follows the opt-out" json "$tmp/out" \
  "[l['text'] for l in lines[:-1] if l['speaker']=='bot'][-1] == \"You won't be called again. Goodbye.\" and lines[-2]['speaker']=='bot'"

"$cli" script simulate "$en" --dtmf 9 --actions >"$tmp/out"
check "simulate: DTMF 9 opts out" json "$tmp/out" "j['opt_out'] is True and j['grade']=='E'"
check "simulate: add_to_dnc comes before the goodbye" json "$tmp/out" \
  "[l.get('action') for l in lines if l.get('action') in ('add_to_dnc','play_prompt','hang_up')][-3:] == ['add_to_dnc','play_prompt','hang_up']"

"$cli" script simulate "$en" >"$tmp/out"
check "simulate: silence runs into timeouts and no_response" json "$tmp/out" \
  "j['outcome']=='no_response' and j['grade'] is not None"

"$cli" script simulate "$zh" --say "好的,了解一下" --say "可以" >"$tmp/out"
check "simulate zh: interested grades A or B" json "$tmp/out" "j['grade'] in ('A','B')"
"$cli" script simulate "$zh" --say "不需要" >"$tmp/out"
check "simulate zh: 不需要 opts out, grade E" json "$tmp/out" "j['opt_out'] is True and j['grade']=='E'"
check "simulate zh: the Chinese goodbye" json "$tmp/out" \
  "lines[-2]['text']=='您的号码已登记，不会再来电。打扰了，再见。'"

# Everyday ways to ask not to be called, in neither sample's phrase lists: the built-in
# understanding hears them on both scripts; harmless uses of "call", "stop", 打, 再 do not opt out.
for script in "$en" "$zh"; do
  for say in "never call me again" "take my number off your list" "I want to opt out" \
             "lose my number" "不要再给我打电话了" "别再骚扰我了" "退订" "停止。"; do
    "$cli" script simulate "$script" --say "$say" >"$tmp/out"
    check "simulate $(basename "$script"): '$say' opts out" json "$tmp/out" "j['opt_out'] is True"
  done
  for say in "please don't hang up" "call me anytime" "you can call me back tomorrow" \
             "晚点再打给我" "欢迎再打来" "不用挂，我在听"; do
    "$cli" script simulate "$script" --say "$say" --say "yes" >"$tmp/out"
    check "simulate $(basename "$script"): '$say' does not opt out" json "$tmp/out" \
      "j['opt_out'] is False"
  done
done
"$cli" script simulate "$en" --say "stop, let me get a pen" --say "no, go on" --say "yes" >"$tmp/out"
check "simulate: an unsure stop is asked about; a clear no goes on" json "$tmp/out" \
  "j['opt_out'] is False and any(l.get('intent')=='opt_out?' for l in lines) and \
   any('should we stop calling you' in (l.get('text') or '') for l in lines)"
check "simulate: the callee's turns say why (rule, confidence)" json "$tmp/out" \
  "all('rule' in l and 'confidence' in l for l in lines[:-1] if l['speaker']=='callee' and l['intent'])"
"$cli" script simulate "$en" --say "stop, let me get a pen" >"$tmp/out"
check "simulate: no answer to the question records the opt-out" json "$tmp/out" "j['opt_out'] is True"

# understanding: what a sentence is understood as, and a business's lexicon checked.
"$cli" understanding match "never ring this number again" "call me anytime" >"$tmp/out"
check "understanding match: opt-out with its rule, then nothing" json "$tmp/out" \
  "lines[0]['intent']=='opt_out' and lines[0]['rule'].startswith('en/opt_out/') and lines[1]['intent'] is None"
cat >"$tmp/mine.json" <<'JSON'
{ "understanding": 1, "language": "en",
  "intents": { "opt_out": { "rules": [ { "id": "scram", "pattern": "skedaddle",
      "examples": ["skedaddle"] } ] } } }
JSON
"$cli" understanding check "$tmp/mine.json" >"$tmp/out"
check "understanding check: a valid lexicon" json "$tmp/out" "j['ok'] is True"
sed 's/"skedaddle"]/"vamoose"]/' "$tmp/mine.json" >"$tmp/bad.json"
if "$cli" understanding check "$tmp/bad.json" >"$tmp/out"; then not_ok "a lexicon breaking its example is refused"
else ok "a lexicon breaking its example is refused"; fi
check "the error names the rule and the example" json "$tmp/out" \
  "'en/opt_out/scram' in j['error'] and 'vamoose' in j['error']"
mkdir -p "$tmp/lex"; cp "$tmp/mine.json" "$tmp/lex/"
TELEBOT_UNDERSTANDING_DIR="$tmp/lex" "$cli" script simulate "$en" --say "skedaddle" >"$tmp/out"
check "a business's lexicon in its folder extends every script" json "$tmp/out" "j['opt_out'] is True"

if "$cli" script simulate "$en" --dtmf 12 2>"$tmp/err"; then not_ok "--dtmf takes one key"; else ok "--dtmf takes one key"; fi

# --- import / list ------------------------------------------------------
"$cli" --db "$tmp/t.db" script import "$en" --policy US >"$tmp/out"
check "import saves the script" json "$tmp/out" "j['id'] > 0 and j['name']=='Demo: bakery supplies' and j['language']=='en'"
"$cli" --db "$tmp/t.db" script import "$zh" --name "Chinese demo" --policy CN >"$tmp/out"
check "import --name" json "$tmp/out" "j['name']=='Chinese demo'"
if "$cli" --db "$tmp/t.db" script import "$data/unknown-target.json" --name broken >"$tmp/out" 2>"$tmp/err"; then
  not_ok "import refuses a script with errors"
else
  ok "import refuses a script with errors"
fi
check "import's error names the node" grep -q 'node "q"' "$tmp/err"
"$cli" --db "$tmp/t.db" script list >"$tmp/out"
check "list shows the imported scripts only" json "$tmp/out" \
  "sorted(j['scripts']) == ['Chinese demo', 'Demo: bakery supplies']"
doc=$(sqlite3 "$tmp/t.db" "SELECT count(*) FROM scripts WHERE document LIKE '%telebot_script%'")
check "the stored document is the script" test "$doc" = 2

# transcribe --script --node: listen as the node does and name the intent heard.
espeak-ng -v en -w "$tmp/stop22.wav" "stop calling"
sox "$tmp/stop22.wav" -r 8000 -c 1 -b 16 "$tmp/stop.wav"
out=$("$cli" transcribe "$tmp/stop.wav" --script "$src/data/scripts/demo-en.json" --node pitch 2>/dev/null)
check "transcribe --script --node names the opt-out intent" sh -c "echo '$out' | grep -q '\"intent\":\"opt_out\"'"
if "$cli" transcribe "$tmp/stop.wav" --script "$src/data/scripts/demo-en.json" --node nope 2>"$tmp/err"; then
  not_ok "an unknown node is refused"; else ok "an unknown node is refused"; fi
check "the error names the script and the node" grep -q 'demo-en.json: no node “nope”' "$tmp/err"

echo "1..$n"
[ "$fail" -eq 0 ]
