#!/usr/bin/env python3
"""Writes one handshake message (header + body) from a capture, as tshark
reassembles it. Written here to derive the tests/data/handshake/*.bin files.

usage: extract_messages.py CAPTURE KEYLOG|- FRAME TYPE INDEX OUT
  FRAME: frame number; TYPE: handshake type; INDEX: n-th such message in
  that frame (0-based); KEYLOG: NSS key log to see decrypted messages, or -.
"""
import json
import subprocess
import sys


def messages(pcap, keylog):
    args = ["tshark", "-r", pcap, "-T", "json", "-x", "--no-duplicate-keys", "-Y", "tls.handshake"]
    if keylog != "-":
        args[3:3] = ["-o", "tls.keylog_file:" + keylog]
    out = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)

    def walk(o, frame):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "tls.handshake_raw":
                    for r in v if isinstance(v[0], list) else [v]:
                        yield frame, bytes.fromhex(r[0])
                else:
                    yield from walk(v, frame)
        elif isinstance(o, list):
            for x in o:
                yield from walk(x, frame)

    for pkt in out:
        layers = pkt["_source"]["layers"]
        yield from walk(layers, int(layers["frame"]["frame.number"]))


def main():
    pcap, keylog, frame, typ, idx, out = sys.argv[1:]
    found = [m for f, m in messages(pcap, keylog) if f == int(frame) and m[0] == int(typ)]
    with open(out, "wb") as f:
        f.write(found[int(idx)])


if __name__ == "__main__":
    main()
