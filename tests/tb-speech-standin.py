#!/usr/bin/env python3
# tb-speech-standin.py — a misbehaving OpenAI-compatible speech server, for the tests.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A speech server is outside input: it may fail, hang or answer garbage, and none of it may
# crash or stall a campaign. This one answers POST /v1/audio/transcriptions on 127.0.0.1 as
# its mode says, and writes its port to PORT_FILE once it listens:
#
#   tb-speech-standin.py --mode MODE --port-file PORT_FILE [--log LOG]
#
# MODE: ok (a transcription), 500, 401 (a wrong API key), 429 (rate limited, Retry-After),
# nested (JSON nested 80,000 deep), garbage (bytes that are not JSON), huge (a 4 MB "text"),
# hang (reads the request, never answers), sensevoice-optout (the answer of a SenseVoice model
# behind an OpenAI-compatible endpoint, as SiliconFlow's or a FunASR server's: language,
# emotion and event tags, full-width punctuation, an emotion emoji — to every utterance, a
# Chinese request not to be called again). LOG gets one line per request: its path, the mode,
# and for a transcription the WAV's sample rate and the language field; for /v1/audio/speech
# (answered in every mode but hang: a 24 kHz WAV, as OpenAI's and CosyVoice's servers send)
# the text to speak.
import argparse
import http.server
import json
import math
import re
import struct
import threading
import time


def answer(mode):
    if mode == "ok":
        return 200, json.dumps({"text": " Yes, tell me more. "}).encode()
    if mode == "500":
        return 500, b'{"error": {"message": "model overloaded"}}'
    if mode == "401":
        return 401, b'{"error": {"message": "Invalid API key", "type": "invalid_request_error"}}'
    if mode == "429":
        return 429, b'{"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}'
    if mode == "tts-500":
        return 200, json.dumps({"text": "yes, tell me more"}).encode()
    if mode == "sensevoice-optout":
        return 200, json.dumps({"text": "<|zh|><|ANGRY|><|Speech|><|withitn|>"
                                        "不要再给我打电话了。\U0001F621"},
                               ensure_ascii=False).encode()
    if mode == "nested":
        return 200, b'{"text": ' + b"[" * 80000 + b"]" * 80000 + b"}"
    if mode == "garbage":
        return 200, bytes(range(256)) * 16
    if mode == "huge":
        return 200, b'{"text": "' + b"a" * (4 << 20) + b'"}'
    return None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True,
                    choices=["ok", "500", "401", "429", "nested", "garbage", "huge", "hang",
                             "sensevoice-optout", "tts-500"])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--expect-key", help="answer 401 unless the request carries this key")
    args = ap.parse_args()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            request = self.rfile.read(length)
            detail = ""
            if self.path.endswith("/audio/speech") and args.mode == "tts-500":
                self.send_response(500)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")
                return
            if self.path.endswith("/audio/speech") and args.mode != "hang":
                text = json.loads(request).get("input", "")
                if args.log:
                    with lock, open(args.log, "a") as f:
                        f.write(f"{self.path} {args.mode} input={text}\n")
                self.send_wav(text)
                return
            riff = request.find(b"RIFF")
            if riff >= 0:
                detail += " rate=%d" % struct.unpack_from("<I", request, riff + 24)[0]
            lang = re.search(rb'name="language"\r\n\r\n([A-Za-z-]+)', request)
            detail += " language=" + (lang.group(1).decode() if lang else "-")
            if args.log:
                with lock, open(args.log, "a") as f:
                    f.write(f"{self.path} {args.mode}{detail}\n")
            status, body = answer(args.mode)
            if args.expect_key and self.headers.get("Authorization") != "Bearer " + args.expect_key:
                status, body = answer("401")
            if status is None:           # hang: hold the connection, say nothing
                time.sleep(3600)
                return
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "20")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def send_wav(self, text):
            # A 24 kHz mono WAV, a tone as long as the text takes to say (0.15 s a character).
            n = int(24000 * min(0.15 * max(len(text), 4), 8))
            pcm = b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 220 * i / 24000)))
                           for i in range(n))
            wav = (b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " +
                   struct.pack("<IHHIIHH", 16, 1, 1, 24000, 48000, 2, 16) +
                   b"data" + struct.pack("<I", len(pcm)) + pcm)
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(wav)))
            self.end_headers()
            self.wfile.write(wav)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
