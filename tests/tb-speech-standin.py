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
# MODE: ok (a transcription), 500, nested (JSON nested 80,000 deep), garbage (bytes that are
# not JSON), huge (a 4 MB "text"), hang (reads the request, never answers). LOG gets one line
# per request: its path and the mode it was answered with.
import argparse
import http.server
import json
import threading
import time


def answer(mode):
    if mode == "ok":
        return 200, json.dumps({"text": " Yes, tell me more. "}).encode()
    if mode == "500":
        return 500, b'{"error": {"message": "model overloaded"}}'
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
                    choices=["ok", "500", "nested", "garbage", "huge", "hang"])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            if args.log:
                with lock, open(args.log, "a") as f:
                    f.write(f"{self.path} {args.mode}\n")
            status, body = answer(args.mode)
            if status is None:           # hang: hold the connection, say nothing
                time.sleep(3600)
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
