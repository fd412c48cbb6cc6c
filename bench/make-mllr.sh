#!/bin/sh
# make-mllr.sh — the global MLLR transform that adapts the stock en-us acoustic model to the
# telephone channel: data/speech/en-us-telephone.mllr. tb-pocketsphinx.c applies it only when
# TELEBOT_POCKETSPHINX_MLLR=telephone (the benches' --mllr): measured, it did not help
# (bench/results.md, "MLLR").
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/make-mllr.sh [BUILD_DIR [OUT]]   (BUILD_DIR: a build with bench/mllr-audio;
#        default build-release)
#
# Adaptation data disjoint from what the benches speak: voices bench-speech-voices and
# bench-speech do not use (espeak-ng's variants and accents, see VOICES) saying sentences no
# bench says (bench/mllr-sentences.txt, and the rule examples of data/understanding/en.json
# that are not lines of tests/data/understanding/ — any line there is dropped). Each goes
# through bench-speech-voices' telephone channel (the same sox commands: 300-3400 Hz, G.711
# u-law; then its white line noise 20 dB under the speech) and then the decoder's own input
# path (tb_pocketsphinx_decoder_audio(): 16 kHz, noise floor), via bench/mllr-audio. Features
# with sphinx_fe as the decoder computes them (the model's feat.params, no noise removal, the
# decoder's default silence removal); Baum-Welch counts with sphinxtrain's bw over the stock
# model (its quantized mixture weights unpacked by sendump-to-mixw.py); one global transform
# of the means with mllr_solve. A rerun gives the same transform up to sox's random dither in
# the first resampling (as in bench-speech-voices' own cache). Needs sphinxtrain,
# sphinxbase-utils, pocketsphinx (installed with apt-get when missing and run as root),
# espeak-ng, sox, python3.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-release}
out=${2:-$src/data/speech/en-us-telephone.mllr}
model=/usr/share/pocketsphinx/model/en-us
st=/usr/lib/sphinxtrain
# (en+m1 is left out: it is close to the plain "en" bench-speech speaks with.)
VOICES="en+m2 en+m3 en+m4 en+m5 en+m6 en+m7 en+f1 en+f2 en+f4 en+f5 en-us+klatt
en-029 en-gb-scotland en-gb-x-gbclan en-gb-x-gbcwmd en-us-nyc en-us+m3 en-us+f4 en+klatt2"

if [ ! -x $st/bw ] || ! command -v sphinx_fe >/dev/null ||
   ! command -v pocketsphinx_mdef_convert >/dev/null; then
  apt-get install -y sphinxtrain sphinxbase-utils pocketsphinx
fi
[ -x "$build/bench/mllr-audio" ] || { echo "make-mllr: no $build/bench/mllr-audio" >&2; exit 1; }

work=$build/bench/mllr-work
rm -rf "$work"; mkdir -p "$work/hmm" "$work/wav" "$work/acc"
for f in means variances transition_matrices noisedict feat.params; do
  cp "$model/en-us/$f" "$work/hmm/"
done
pocketsphinx_mdef_convert -text "$model/en-us/mdef" "$work/hmm/mdef.txt" >/dev/null 2>&1
python3 "$src/bench/sendump-to-mixw.py" "$model/en-us/sendump" "$work/hmm/mixture_weights"

# The sentences: normalized as the dictionary spells words, bench lines and unknown words out.
python3 - "$src" "$model/cmudict-en-us.dict" >"$work/sentences" <<'PY'
import glob, json, re, sys
src, dictpath = sys.argv[1], sys.argv[2]
def norm(t):
    t = t.lower().replace('\u2019', "'")
    return ' '.join(re.findall(r"[a-z']+", t)).strip("' ")
words = set(l.split()[0] for l in open(dictpath, encoding='utf-8', errors='replace') if l.strip())
bench = set()
for p in glob.glob(src + '/tests/data/understanding/*.tsv'):
    for l in open(p, encoding='utf-8'):
        for col in l.rstrip('\n').split('\t'):
            bench.add(norm(col))
# …and every string bench-speech and bench-speech-voices say of their own (said[], confirm
# answers).
for p in (src + '/bench/bench-speech.c', src + '/bench/bench-speech-voices.c'):
    for lit in re.findall(r'"([^"\\\n]*)"', open(p, encoding='utf-8').read()):
        bench.add(norm(lit))
cand = [l.strip() for l in open(src + '/bench/mllr-sentences.txt', encoding='utf-8')
        if l.strip() and not l.startswith('#')]
def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == 'examples' and isinstance(v, list):
                cand.extend(x for x in v if isinstance(x, str))
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(json.load(open(src + '/data/understanding/en.json', encoding='utf-8')))
seen = set()
for c in cand:
    n = norm(c)
    if not n or n in bench or n in seen or len(n.split()) > 14:
        continue
    if any(w not in words for w in n.split()):
        continue
    seen.add(n)
    print(c.replace('\t', ' ') + '\t' + n)
PY
echo "make-mllr: $(wc -l <"$work/sentences") sentences" >&2

# Line noise as bench-speech-voices makes it.
sox -R -n -r 8000 -c 1 -b 16 -e signed "$work/noise.wav" synth 10 whitenoise sinc 300-3400
: >"$work/pairs"; : >"$work/fileids"; : >"$work/transcription"
vi=0
for v in $VOICES; do
  vi=$((vi + 1)); si=0
  while IFS="$(printf '\t')" read -r text words; do
    si=$((si + 1))
    # Every voice speaks every third sentence, each voice a different third.
    [ $(((si + vi) % 3)) -eq 0 ] || continue
    id=v${vi}s${si}
    espeak-ng -v "$v" -w "$work/wav/$id-syn.wav" "$text"
    sox "$work/wav/$id-syn.wav" -r 16000 -c 1 -b 16 -e signed "$work/wav/$id-raw.wav" pad 0.25 0.25
    sox -R "$work/wav/$id-raw.wav" -r 8000 -c 1 -e u-law "$work/wav/$id-tmp.wav" sinc 300-3400
    sox -R "$work/wav/$id-tmp.wav" -e signed -b 16 "$work/wav/$id-tel.wav"
    rm -f "$work/wav/$id-syn.wav" "$work/wav/$id-raw.wav" "$work/wav/$id-tmp.wav"
    echo "$work/wav/$id-tel.wav $work/wav/$id.wav" >>"$work/pairs"
    echo "$id" >>"$work/fileids"
    echo "<s> $words </s> ($id)" >>"$work/transcription"
  done <"$work/sentences"
done
"$build/bench/mllr-audio" "$work/noise.wav" <"$work/pairs"
echo "make-mllr: $(wc -l <"$work/fileids") utterances from $vi voices" >&2

sphinx_fe -argfile "$work/hmm/feat.params" -samprate 16000 -remove_noise no \
  -remove_silence yes -dither no -c "$work/fileids" -di "$work/wav" -do "$work/wav" \
  -ei wav -eo mfc -mswav yes >"$work/fe.log" 2>&1
$st/bw -hmmdir "$work/hmm" -moddeffn "$work/hmm/mdef.txt" -ts2cbfn .ptm. -feat 1s_c_d_dd \
  -svspec 0-12/13-25/26-38 -cmn batch -agc none -varnorm no \
  -cmninit 41.00,-5.29,-0.12,5.09,2.48,-4.07,-1.37,-1.78,-5.08,-2.05,-6.45,-1.42,1.17 \
  -dictfn "$model/cmudict-en-us.dict" -fdictfn "$work/hmm/noisedict" \
  -ctlfn "$work/fileids" -lsnfn "$work/transcription" -cepdir "$work/wav" -cepext mfc \
  -accumdir "$work/acc" >"$work/bw.log" 2>&1 || { tail -20 "$work/bw.log" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
$st/mllr_solve -meanfn "$work/hmm/means" -varfn "$work/hmm/variances" -outmllrfn "$out" \
  -accumdir "$work/acc" >"$work/mllr.log" 2>&1 || { tail -20 "$work/mllr.log" >&2; exit 1; }
echo "make-mllr: wrote $out ($(grep -c . "$out") lines); logs in $work" >&2
