#!/bin/sh
# announce-channel.sh OUT.wav VOICE TEXT [SNR_DB] [espeak-ng options…]
# Says TEXT with espeak-ng (22 kHz) and sends it through a telephone channel as sox makes one:
# 0.7 s of leading silence, resampled to 8 kHz, −6 dB, pink noise SNR_DB (default 20) under
# the speech, a μ-law round trip, 0.5 s of trailing silence. Writes 8 kHz 16-bit mono OUT.wav.
set -eu
out=$1 voice=$2 text=$3
snr=${4:-20}
[ $# -ge 4 ] && shift 4 || shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v "$voice" "$@" -w "$tmp/say.wav" "$text"
sox "$tmp/say.wav" -r 8000 -c 1 -b 16 "$tmp/8k.wav" pad 0.7 0.5 vol -6dB
rms=$(sox "$tmp/8k.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
len=$(soxi -D "$tmp/8k.wav")
sox -R -n -r 8000 -c 1 -b 16 "$tmp/noise.wav" synth "$len" pinknoise
nrms=$(sox "$tmp/noise.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
gain=$(awk -v s="$rms" -v n="$nrms" -v db="$snr" 'BEGIN { printf "%.6f", s / n / exp (db / 20 * log (10)) }')
sox -m "$tmp/8k.wav" -v "$gain" "$tmp/noise.wav" -e u-law -r 8000 "$tmp/ulaw.wav"
sox "$tmp/ulaw.wav" -e signed-integer -b 16 "$out"
