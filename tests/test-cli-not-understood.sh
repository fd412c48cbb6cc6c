#!/bin/sh
# What the robot did not understand (issue #21): a --fast campaign on a rehearsal sim line
# whose callees answer the offer in words the demo script does not list (the price_question,
# unsure and fed_up personas of tb-sim-persona.c, each saying one of a few wordings). Asserts
# that the report groups those answers by node and similar wording, with counts equal to the
# no-intent callee turns counted here from `calls export`, the fed-up ones first (opt-out-like);
# that `script add-phrase` makes one a phrase of the node's "yes" intent (and refuses an intent
# the node does not listen for); and that a second campaign with the script understands it:
# those answers are no longer listed, and route the offer by "yes".
set -u
cli=${TELEBOT_CLI:?}
src=${TELEBOT_SOURCE_DIR:?}
tmp=$(mktemp -d)
[ -n "${TELEBOT_KEEP_TMP:-}" ] && echo "# keeping $tmp" || trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

db="$tmp/nlu.db"
now=2026-12-01T10:00:00-05:00
personas="price_question unsure fed_up interested price_question polite_no"
make_list() {  # NAME COUNT EXCHANGE
  awk -v n="$2" -v x="$3" -v p="$personas" 'BEGIN {
    np = split(p, P, " "); print "name,phone,company,persona";
    for (i = 0; i < n; i++) printf "Contact %d,+1 202 %s %04d,Company %d,%s\n", i, x, 1000 + i, i, P[i % np + 1] }' >"$tmp/$1.csv"
  awk -v n="$2" -v x="$3" 'BEGIN { print "number,scope,source,evidence,collected_at,collected_by";
    for (i = 0; i < n; i++) printf "+1202%s%04d,ai_voice,form,web form,2026-01-01T00:00:00Z,test\n", x, 1000 + i }' >"$tmp/$1-consent.csv"
  "$cli" --db "$db" contacts import "$tmp/$1.csv" --list "$1" --region US >/dev/null 2>&1 &&
    "$cli" --db "$db" consent import "$tmp/$1-consent.csv" >/dev/null 2>&1
}
run() {  # CAMPAIGN LIST
  "$cli" --db "$db" campaign create "$1" --list "$2" --script "$tmp/script.json" --line Sim \
    --concurrency 12 --policy US >/dev/null &&
  "$cli" --db "$db" campaign run "$1" --fast --now "$now" >"$tmp/$1-run.json" 2>/dev/null &&
  grep -q '"finished":true' "$tmp/$1-run.json" &&
  "$cli" --db "$db" campaign report "$1" --format json >"$tmp/$1-report.json" &&
  "$cli" --db "$db" campaign report "$1" --format csv >"$tmp/$1-report.csv" &&
  "$cli" --db "$db" calls export --campaign "$1" --format json >"$tmp/$1-calls.json" 2>/dev/null
}

cp "$src/data/scripts/demo-en.json" "$tmp/script.json"
make_list First 36 555 || not_ok "the first list is imported"
make_list Second 36 556 || not_ok "the second list is imported"
"$cli" --db "$db" line add sim Sim --fast --rehearsal --max-calls 12 >/dev/null
check "a campaign of 36 callees runs" run First First

# 1. The groups, against the transcripts counted here.
check "the report groups what was not understood, with the counts of calls export (JSON, CSV)" \
  python3 - "$tmp/First-report.json" "$tmp/First-report.csv" "$tmp/First-calls.json" <<'PY'
import csv, io, json, sys
report = json.load(open(sys.argv[1]))
sections = {}
for block in open(sys.argv[2], newline="").read().split("\r\n\r\n"):
    name, _, body = block.strip("\r\n").partition("\r\n")
    sections[name] = list(csv.DictReader(io.StringIO(body)))
calls = json.load(open(sys.argv[3]))
# The wordings of each persona's first answer (tb-sim-persona.c): one group each, at the offer.
families = {
    "price": {"how much does it cost?", "uh, how much does it cost?", "so how much does it cost?"},
    "unsure": {"hmm, I dunno", "I dunno, maybe"},
    "not sure": {"I'm not sure"},
    "fed up": {"I've had it with you people", "you people again? I've had it with you"},
}
# calls export has no node per turn: the bot's last prompt says where the callee was.
def node_of(prompt):
    return "pitch" if "hear more" in prompt else "details" if "sales team" in prompt else "other"
said = {}   # text -> [count, node set, attempt ids]
recordings = {c["attempt_id"]: c["recording"] for c in calls}
for c in calls:
    prompt = ""
    for t in c["transcript"]:
        if t["speaker"] == "bot":
            prompt = t["text"]
        if t["speaker"] == "callee" and not t["intent"] and t["text"]:
            s = said.setdefault(t["text"], [0, set(), set()])
            s[0] += 1; s[1].add(node_of(prompt)); s[2].add(c["attempt_id"])
groups = report["not_understood"]
problems = []
for g in groups:
    print("# %-8s %-42r %3d  opt-out-like %-5s wordings %s" % (
        g["node"], g["text"], g["count"], g["opt_out_like"],
        ", ".join("%r %d" % (w["text"], w["count"]) for w in g["wordings"])))
for name, texts in families.items():
    present = {t for t in texts if t in said}
    if not present:
        problems.append("%s: nobody said it" % name); continue
    hits = [g for g in groups if {w["text"] for w in g["wordings"]} & texts]
    if len(hits) != 1:
        problems.append("%s: in %d groups, not 1" % (name, len(hits))); continue
    g = hits[0]
    if {w["text"] for w in g["wordings"]} != present:
        problems.append("%s: wordings %r, said %r" % (name, [w["text"] for w in g["wordings"]], present))
    want = sum(said[t][0] for t in present)
    if g["count"] != want:
        problems.append("%s: count %d, calls export %d" % (name, g["count"], want))
    for w in g["wordings"]:
        if w["count"] != said[w["text"]][0]:
            problems.append("%s: %r count %d, export %d" % (name, w["text"], w["count"], said[w["text"]][0]))
    if g["node"] != "pitch" or any(said[t][1] != {"pitch"} for t in present):
        problems.append("%s: node %r" % (name, g["node"]))
    if g["text"] not in present or g["variants"] != ["A"]:
        problems.append("%s: text %r variants %r" % (name, g["text"], g["variants"]))
    if g["example_attempt_id"] not in set().union(*(said[t][2] for t in present)):
        problems.append("%s: the example call %r did not say it" % (name, g["example_attempt_id"]))
    if not g["recording"] or g["recording"] != recordings.get(g["example_attempt_id"]):
        problems.append("%s: recording %r, not the example call's" % (name, g["recording"]))
if sum(g["count"] for g in groups) != sum(s[0] for s in said.values()):
    problems.append("the groups count %d turns, calls export %d" % (
        sum(g["count"] for g in groups), sum(s[0] for s in said.values())))
# Opt-out-like first: the fed-up callees, and only they.
flags = [g["opt_out_like"] for g in groups]
if flags != sorted(flags, reverse=True) or not groups[0]["opt_out_like"] or \
   not {w["text"] for w in groups[0]["wordings"]} <= families["fed up"]:
    problems.append("the opt-out-like group is not first: %r" % [(g["text"], g["opt_out_like"]) for g in groups])
if sum(flags) != 1:
    problems.append("%d groups opt-out-like, not 1" % sum(flags))
rows = sections.get("not_understood", [])
if [(r["node"], r["text"], int(r["count"]), r["opt_out_like"] == "true") for r in rows] != \
   [(g["node"], g["text"], g["count"], g["opt_out_like"]) for g in groups]:
    problems.append("the CSV section differs from the JSON")
for p in problems:
    print("#", p)
sys.exit(1 if problems else 0)
PY

# 2. The price question becomes a phrase of "yes" at the offer.
price=$(python3 -c '
import json, sys
g = [g for g in json.load(open(sys.argv[1]))["not_understood"] if "cost" in g["normalized"]][0]
print(g["normalized"])' "$tmp/First-report.json")
check "script add-phrase refuses an intent the node does not listen for" \
  sh -c "! '$cli' script add-phrase '$tmp/script.json' intro yes '$price' 2>'$tmp/refused.err' &&
         grep -q 'does not listen for intent' '$tmp/refused.err'"
check "script add-phrase adds \"$price\" to intent yes, for node pitch" \
  sh -c "'$cli' script add-phrase '$tmp/script.json' pitch yes '$price' >'$tmp/add.json' &&
         python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d[\"intents\"][\"yes\"][\"phrases\"][-1] == sys.argv[2] else 1)' '$tmp/script.json' '$price'"

# 3. A second campaign with the script: the price question is understood, and routes by yes.
check "a second campaign runs with the script" run Second Second
check "the second run understands the price question: not listed, and the offer routes it by yes" \
  python3 - "$tmp/Second-report.json" "$tmp/Second-calls.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
calls = json.load(open(sys.argv[2]))
price = {"how much does it cost?", "uh, how much does it cost?", "so how much does it cost?"}
problems = []
listed = [g for g in report["not_understood"] if {w["text"] for w in g["wordings"]} & price]
if listed:
    problems.append("still listed: %r" % listed)
heard = [t for c in calls for t in c["transcript"] if t["speaker"] == "callee" and t["text"] in price]
# The turn before the price question is the offer's prompt.
for c in calls:
    tr = c["transcript"]
    for i, t in enumerate(tr):
        if t["text"] in price and "hear more" not in [u for u in tr[:i] if u["speaker"] == "bot"][-1]["text"]:
            problems.append("call %d: asked the price elsewhere than at the offer" % c["attempt_id"])
if not heard:
    problems.append("nobody asked the price")
wrong = [t for t in heard if t["intent"] != "yes"]
if wrong:
    problems.append("%d of %d not heard as yes at pitch: %r" % (len(wrong), len(heard), wrong[:2]))
# Those calls went on to the node "yes" routes to (details: "Shall I connect you to our
# sales team now?"), not to the retry prompt.
went = sum(1 for c in calls if any(t["text"] in price for t in c["transcript"]) and
           any("sales team" in t["text"] for t in c["transcript"] if t["speaker"] == "bot") and
           not any("did not catch" in t["text"] for t in c["transcript"] if t["speaker"] == "bot"))
callers = sum(1 for c in calls if any(t["text"] in price for t in c["transcript"]))
if went != callers:
    problems.append("%d of %d reached details" % (went, callers))
# The others are still listed.
if not any("I dunno" in w["text"] for g in report["not_understood"] for w in g["wordings"]):
    problems.append("the unsure callees are no longer listed")
print("# %d price questions heard as yes; %d groups left" % (len(heard), len(report["not_understood"])))
for p in problems:
    print("#", p)
sys.exit(1 if problems else 0)
PY

echo "1..$n"
[ "$fail" -eq 0 ]
