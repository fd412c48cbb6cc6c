#!/bin/sh
# amd-corpus.sh OUTDIR — answer patterns as a call hears them, for answering-machine detection.
#
# People: "Hello?" then silence; "Hello, this is Mary speaking."; "Yes?"; 喂？; 喂，你好，哪位？;
# nothing for the whole window; "Hello?" over background noise; a business's long greeting;
# two hellos. Machines: personal greetings of 3 to 15 s and their beep; a short greeting and
# its beep; a carrier's voicemail and its tone; Chinese carriers' announcements (暂时无法接通,
# 已关机) with their English repeat; a 秘书台 greeting; the US special information tones and
# "not in service". Several voices of two synthesis engines (espeak-ng, flite), each through
# the telephone channel: 300-3400 Hz and G.711 u-law at 8 kHz. Files are
# OUTDIR/{person,machine}-PATTERN-VOICE.wav (8 kHz mono S16).
set -eu
out=${1:?usage: amd-corpus.sh OUTDIR}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# say ENGINE VOICE TEXT OUT: 8 kHz mono speech.
say() {
  case $1 in
    espeak) espeak-ng -v "$2" -w "$tmp/s.wav" "$3" ;;
    flite) flite -voice "$2" -t "$3" -o "$tmp/s.wav" ;;
  esac
  sox "$tmp/s.wav" -r 8000 -c 1 -b 16 "$4"
}
# phone IN OUT: the telephone channel.
phone() {
  sox "$1" -r 8000 -c 1 "$tmp/band.wav" sinc 300-3400
  sox "$tmp/band.wav" -e u-law "$tmp/ulaw.wav"
  sox "$tmp/ulaw.wav" -e signed-integer -b 16 "$2"
}
silence() { sox -n -r 8000 -c 1 -b 16 "$2" trim 0 "$1"; }
beep() { sox -n -r 8000 -c 1 -b 16 "$3" synth "$2" sine "$1" vol 0.5; }
# join OUT IN…
join() { o=$1; shift; sox "$@" "$o"; }

en_voices="espeak:en-us espeak:en+f3 espeak:en-gb-x-rp espeak:en+m4 flite:kal flite:slt flite:rms flite:awb"
zh_voices="espeak:cmn espeak:cmn+f3 espeak:cmn+m3"

person_en() {   # NAME TEXT
  for v in $en_voices; do
    say "${v%%:*}" "${v#*:}" "$2" "$tmp/p.wav"
    silence 0.3 "$tmp/lead.wav"; silence 7 "$tmp/tail.wav"
    join "$tmp/x.wav" "$tmp/lead.wav" "$tmp/p.wav" "$tmp/tail.wav"
    phone "$tmp/x.wav" "$out/person-$1-$(echo "$v" | tr ':+' '--').wav"
  done
}
person_zh() {
  for v in $zh_voices; do
    say espeak "${v#*:}" "$2" "$tmp/p.wav"
    silence 0.3 "$tmp/lead.wav"; silence 7 "$tmp/tail.wav"
    join "$tmp/x.wav" "$tmp/lead.wav" "$tmp/p.wav" "$tmp/tail.wav"
    phone "$tmp/x.wav" "$out/person-$1-$(echo "$v" | tr ':+' '--').wav"
  done
}
# machine NAME TEXT BEEP_HZ (0: no beep) [ZH_TEXT]: a greeting (a Chinese one first when given).
# A Chinese carrier plays its announcement in Chinese and English, twice, then disconnects.
machine() {
  name=$1; text=$2; hz=$3; zh=${4:-}
  for v in $en_voices; do
    say "${v%%:*}" "${v#*:}" "$text" "$tmp/m.wav"
    if [ -n "$zh" ]; then
      say espeak cmn "$zh" "$tmp/z.wav"; silence 0.4 "$tmp/g.wav"
      join "$tmp/m2.wav" "$tmp/z.wav" "$tmp/g.wav" "$tmp/m.wav"
      if [ "$hz" -eq 0 ]; then
        join "$tmp/m.wav" "$tmp/m2.wav" "$tmp/g.wav" "$tmp/m2.wav"
      else
        mv "$tmp/m2.wav" "$tmp/m.wav"
      fi
    fi
    silence 0.2 "$tmp/lead.wav"; silence 0.4 "$tmp/gap.wav"; silence 3 "$tmp/tail.wav"
    if [ "$hz" -gt 0 ]; then
      beep "$hz" 0.5 "$tmp/b.wav"
      join "$tmp/x.wav" "$tmp/lead.wav" "$tmp/m.wav" "$tmp/gap.wav" "$tmp/b.wav" "$tmp/tail.wav"
    else
      join "$tmp/x.wav" "$tmp/lead.wav" "$tmp/m.wav" "$tmp/tail.wav"
    fi
    phone "$tmp/x.wav" "$out/machine-$name-$(echo "$v" | tr ':+' '--').wav"
  done
}

# --- people ---------------------------------------------------------------------------------
person_en hello "Hello?"
person_en mary "Hello, this is Mary speaking."
person_en yes "Yes?"
person_en business "Good afternoon, Smith and Sons Plumbing, this is Dave speaking, how can I help you?"
person_zh wei "喂？"
person_zh wei-ni-hao "喂，你好，哪位？"
for v in $en_voices; do
  # Two hellos, the second after a pause: still a person.
  say "${v%%:*}" "${v#*:}" "Hello?" "$tmp/p.wav"
  silence 1.3 "$tmp/g.wav"; silence 6 "$tmp/tail.wav"
  join "$tmp/x.wav" "$tmp/p.wav" "$tmp/g.wav" "$tmp/p.wav" "$tmp/tail.wav"
  phone "$tmp/x.wav" "$out/person-hello-hello-$(echo "$v" | tr ':+' '--').wav"
  # "Hello?" over a room's steady noise (a fan, traffic) 30 dB under the voice.
  silence 0.3 "$tmp/lead.wav"
  join "$tmp/v.wav" "$tmp/lead.wav" "$tmp/p.wav" "$tmp/tail.wav"
  len=$(soxi -D "$tmp/v.wav")
  sox -n -r 8000 -c 1 -b 16 "$tmp/n.wav" synth "$len" pinknoise vol 0.03
  sox -m "$tmp/v.wav" "$tmp/n.wav" "$tmp/x.wav"
  phone "$tmp/x.wav" "$out/person-noisy-hello-$(echo "$v" | tr ':+' '--').wav"
done
# Saying nothing at all: digital silence, and a line's low hiss.
silence 8 "$tmp/x.wav"; phone "$tmp/x.wav" "$out/person-nothing-silence.wav"
sox -n -r 8000 -c 1 -b 16 "$tmp/x.wav" synth 8 whitenoise vol 0.005
phone "$tmp/x.wav" "$out/person-nothing-hiss.wav"

# --- machines -------------------------------------------------------------------------------
machine personal-long "Hi, you've reached Anna and Jim. We can't take your call right now, \
we're probably out walking the dog. Please leave your name, your number and a short message \
after the beep, and one of us will call you back as soon as we can. Thanks, and have a great day." 1000
machine personal "Hi, you've reached Anna. I can't take your call right now. Please leave your \
name and number after the beep, and I'll call you back." 1000
machine personal-short "Hi, this is Tom. Leave a message." 1400
machine carrier-vm "The person you are calling is not available. Please leave a message after \
the tone. When you are finished, you may hang up." 850
machine cn-unreachable "Sorry, the subscriber you dialed cannot be connected for the moment, \
please redial later." 0 "您好，您拨打的用户暂时无法接通，请稍后再拨。"
machine cn-power-off "Sorry, the subscriber you dialed is power off." 0 "您好，您拨打的电话已关机。"
machine cn-secretary "Please leave your message after the tone." 1000 \
  "您好，这里是秘书台，机主现在不方便接听您的电话，请在提示音后留言。"
for v in $en_voices; do
  # US special information tones, then the recording.
  beep 913.8 0.274 "$tmp/t1.wav"; beep 1370.6 0.274 "$tmp/t2.wav"; beep 1776.7 0.38 "$tmp/t3.wav"
  say "${v%%:*}" "${v#*:}" "The number you have dialed is not in service. Please check the \
number and try again." "$tmp/m.wav"
  silence 2 "$tmp/tail.wav"
  join "$tmp/x.wav" "$tmp/t1.wav" "$tmp/t2.wav" "$tmp/t3.wav" "$tmp/m.wav" "$tmp/tail.wav"
  phone "$tmp/x.wav" "$out/machine-us-sit-$(echo "$v" | tr ':+' '--').wav"
done
ls "$out" | wc -l
