#!/usr/bin/env python3
# tb-rtp-callee.py — a SIP callee that sends RTP the way real phones and gateways do.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every SIP peer of the other tests (baresip, sipp's rtp_stream) streams audio without gaps.
# Real ones do not: GSM gateways and mobile networks send RTP only while their user speaks
# (silence suppression), some send RFC 3389 comfort noise between talkspurts, networks lose,
# delay and reorder packets, and a transfer changes the SSRC and the timestamps. This peer
# answers one INVITE on 127.0.0.1 and plays a plan:
#
#   tb-rtp-callee.py --port PORT --plan PLAN.json --log LOG.jsonl
#
# PLAN: {"steps": [{"say": "hello.ul"}, {"silence": 9.0}, {"say": "stop.ul"}, {"dtmf": "9"}],
#        "cn": -1 | LEVEL (comfort noise packets during silences, -dBov), "loss": 0.05,
#        "jitter_ms": 60, "seed": 1, "ts_jump_at": STEP, "ssrc_change_at": STEP,
#        "hangup_after": SECONDS, "reinvite_at": SECONDS, "reinvite_direction": "sendonly"}
# reinvite_at sends a re-INVITE that many seconds after the answer (a hold with "sendonly", a
# session refresh with "sendrecv", an offerless one with "none") and logs the answer to it.
# "say" files are raw 8 kHz u-law (sox … -e u-law -t raw); "dtmf" presses keys as RFC 4733
# telephone-events (payload type 101, 100 ms each, 100 ms apart). The log gets one JSON object per
# event: answered, talkspurt (start time, sample offset), sent/lost counts, bye.
import argparse
import json
import random
import re
import socket
import struct
import sys
import threading
import time

PT_PCMU, PT_CN, PT_EVENT = 0, 13, 101


def log(f, **event):
    event["t"] = round(time.monotonic(), 4)
    f.write(json.dumps(event) + "\n")
    f.flush()


def header(msg, name):
    m = re.search(r"^" + name + r":\s*(.*)$", msg, re.M | re.I)
    return m.group(1).strip() if m else ""


def reply(sock, addr, req, code, reason, to_tag, body=""):
    lines = [f"SIP/2.0 {code} {reason}"]
    for v in re.findall(r"^Via:\s*(.*)$", req, re.M | re.I):
        lines.append(f"Via: {v.strip()}")
    lines.append(f"From: {header(req, 'From')}")
    to = header(req, "To")
    if to_tag and "tag=" not in to:
        to += f";tag={to_tag}"
    lines.append(f"To: {to}")
    lines.append(f"Call-ID: {header(req, 'Call-ID')}")
    lines.append(f"CSeq: {header(req, 'CSeq')}")
    lines.append(f"Contact: <sip:callee@127.0.0.1:{sock.getsockname()[1]}>")
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body.encode())}")
    sock.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), addr)


def rtp_packet(seq, ts, ssrc, marker, pt, payload):
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF,
                       ts & 0xFFFFFFFF, ssrc) + payload


def schedule(plan, rnd):
    """(send time from answer, packet) for the whole plan, jitter and loss applied."""
    seq, ts, ssrc = rnd.randrange(65536), rnd.randrange(1 << 32), rnd.randrange(1 << 32)
    t = 0.0
    out, talkspurts = [], []
    lost = sent = 0
    cn = plan.get("cn", -1)
    for i, step in enumerate(plan["steps"]):
        if plan.get("ts_jump_at") == i:
            ts += 12345678
        if plan.get("ssrc_change_at") == i:
            ssrc, seq, ts = rnd.randrange(1 << 32), rnd.randrange(65536), rnd.randrange(1 << 32)
        if "silence" in step:
            n = int(round(step["silence"] * 50))
            for k in range(n):
                # Comfort noise: at the start of the silence and then every 200 ms.
                if cn >= 0 and k % 10 == 0:
                    out.append((t, rtp_packet(seq, ts, ssrc, False, PT_CN, bytes([cn]))))
                    seq += 1
                t += 0.02
                ts += 160
            continue
        if "dtmf" in step:
            for digit in step["dtmf"]:
                event = "0123456789*#".index(digit)
                for k in range(8):   # 5 updates, then the end packet three times
                    end = k >= 5
                    duration = 160 * min(k + 1, 5)
                    payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
                    out.append((t, rtp_packet(seq, ts, ssrc, k == 0, PT_EVENT, payload)))
                    seq += 1
                    t += 0.02 if k < 5 else 0.005
                ts += 160 * 5
                t += 0.1
            continue
        data = open(step["say"], "rb").read()
        talkspurts.append({"step": i, "start": round(t, 3), "seconds": len(data) / 8000})
        for k in range(0, len(data), 160):
            frame = data[k:k + 160].ljust(160, b"\xff")
            jitter = rnd.uniform(0, plan.get("jitter_ms", 0) / 1000.0)
            if rnd.random() < plan.get("loss", 0.0):
                lost += 1
            else:
                out.append((t + jitter, rtp_packet(seq, ts, ssrc, k == 0, PT_PCMU, frame)))
                sent += 1
            seq += 1
            ts += 160
            t += 0.02
    out.sort(key=lambda x: x[0])
    return out, talkspurts, sent, lost, t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--plan", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    plan = json.load(open(a.plan))
    rnd = random.Random(plan.get("seed", 1))
    logf = open(a.log, "w")

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", a.port))
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    log(logf, event="ready", sip_port=a.port, rtp_port=rtp.getsockname()[1])
    sip.settimeout(a.timeout)
    to_tag = "tbrtp%d" % rnd.randrange(1 << 30)
    invite = None
    peer = None
    done = threading.Event()
    received = [0]

    def our_sdp(version, direction):
        return (f"v=0\r\no=callee 1 {version} IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                f"t=0 0\r\nm=audio {rtp.getsockname()[1]} RTP/AVP 0 101 13\r\n"
                "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                "a=fmtp:101 0-15\r\na=rtpmap:13 CN/8000\r\na=ptime:20\r\n"
                f"a={direction}\r\n")

    def drain_rtp():
        rtp.settimeout(0.2)
        while not done.is_set():
            try:
                rtp.recvfrom(2048)
                received[0] += 1
            except socket.timeout:
                pass
            except OSError:
                return

    def play():
        packets, talkspurts, sent, lost, length = schedule(plan, rnd)
        log(logf, event="plan", talkspurts=talkspurts, sent=sent, lost=lost, seconds=length)
        start = time.monotonic()
        for when, pkt in packets:
            delay = start + when - time.monotonic()
            if delay > 0 and done.wait(delay):
                return
            rtp.sendto(pkt, peer)
        log(logf, event="played")
        hang = plan.get("hangup_after")
        if hang is not None and not done.wait(max(0.0, start + hang - time.monotonic())):
            in_dialog("BYE")
            log(logf, event="bye_sent")

    cseq = [1]

    def in_dialog(method, body=""):
        cseq[0] += 1
        lines = [f"{method} {header(invite, 'Contact').strip('<>')} SIP/2.0",
                 f"Via: SIP/2.0/UDP 127.0.0.1:{a.port};branch=z9hG4bK{method.lower()}{cseq[0]}{to_tag}",
                 "Max-Forwards: 70",
                 f"From: {header(invite, 'To')};tag={to_tag}", f"To: {header(invite, 'From')}",
                 f"Call-ID: {header(invite, 'Call-ID')}", f"CSeq: {cseq[0]} {method}",
                 f"Contact: <sip:callee@127.0.0.1:{a.port}>"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append(f"Content-Length: {len(body.encode())}")
        sip.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), sip_peer[0])

    def reinvite():
        if done.wait(plan["reinvite_at"]):
            return
        direction = plan.get("reinvite_direction", "sendonly")
        body = "" if direction == "none" else our_sdp(2, direction)
        main.reinvite_cseq = cseq[0] + 1
        in_dialog("INVITE", body)
        log(logf, event="reinvite_sent", direction=direction)

    sip_peer = [None]
    while True:
        try:
            data, addr = sip.recvfrom(65535)
        except socket.timeout:
            log(logf, event="timeout")
            break
        msg = data.decode(errors="replace")
        first = msg.split("\r\n", 1)[0]
        if first.startswith("INVITE") and invite is None:
            invite, sip_peer[0] = msg, addr
            body = msg.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in msg else ""
            host = re.search(r"^c=IN IP4 (\S+)", body, re.M).group(1)
            port = int(re.search(r"^m=audio (\d+)", body, re.M).group(1))
            peer = (host, port)
            reply(sip, addr, msg, 100, "Trying", None)
            reply(sip, addr, msg, 180, "Ringing", to_tag)
            reply(sip, addr, msg, 200, "OK", to_tag, our_sdp(1, "sendrecv"))
        elif first.startswith("INVITE"):
            reply(sip, addr, msg, 200, "OK", to_tag)   # a re-INVITE: keep the call up
        elif first.startswith("ACK") and invite is not None and not done.is_set() and \
                not hasattr(main, "playing"):
            main.playing = True
            log(logf, event="answered")
            threading.Thread(target=drain_rtp, daemon=True).start()
            threading.Thread(target=play, daemon=True).start()
            if "reinvite_at" in plan:
                threading.Thread(target=reinvite, daemon=True).start()
        elif first.startswith("SIP/2.0") and " INVITE" in header(msg, "CSeq") and \
                invite is not None and hasattr(main, "reinvite_cseq"):
            code = int(first.split()[1])
            body = msg.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in msg else ""
            m = re.search(r"^a=(sendrecv|sendonly|recvonly|inactive)", body, re.M)
            log(logf, event="reinvite_response", code=code, sdp=bool(body.strip()),
                direction=m.group(1) if m else None)
            if code >= 200:
                ack = (f"ACK {header(invite, 'Contact').strip('<>')} SIP/2.0\r\n"
                       f"Via: SIP/2.0/UDP 127.0.0.1:{a.port};branch=z9hG4bKack{to_tag}\r\n"
                       f"Max-Forwards: 70\r\nFrom: {header(invite, 'To')};tag={to_tag}\r\n"
                       f"To: {header(invite, 'From')}\r\nCall-ID: {header(invite, 'Call-ID')}\r\n"
                       f"CSeq: {main.reinvite_cseq} ACK\r\n")
                if code < 300 and plan.get("reinvite_direction") == "none":
                    ack += "Content-Type: application/sdp\r\n"
                    sdp = our_sdp(3, "sendrecv")
                else:
                    sdp = ""
                ack += f"Content-Length: {len(sdp)}\r\n\r\n{sdp}"
                sip.sendto(ack.encode(), sip_peer[0])
        elif first.startswith("BYE"):
            reply(sip, addr, msg, 200, "OK", to_tag)
            log(logf, event="bye", received_packets=received[0])
            break
        elif first.startswith("CANCEL"):
            reply(sip, addr, msg, 200, "OK", to_tag)
            log(logf, event="cancel")
            break
        elif first.startswith("SIP/2.0") and "BYE" in header(msg, "CSeq"):
            log(logf, event="bye_answered", received_packets=received[0])
            break
    done.set()
    logf.close()


if __name__ == "__main__":
    sys.exit(main())
