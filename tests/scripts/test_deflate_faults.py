#!/usr/bin/env python3
"""DEFLATE faults get one clear diagnostic and the rest decodes (issue 12).

tests/tools/make_deflate_faults.py crafts five NULL-cipher DEFLATE
connections (readable without keys): a decompression bomb (a record that
inflates past 2^14 bytes, RFC 5246 6.2.2) and a record cut before its flush
marker; a corrupt DEFLATE block; the unimplementable method LZS (64); a
healthy connection after them; and a compressed record lost to a TCP gap
(the history the next records need is gone).  Checked: each fault is reported once, by its
cause, on the right connection and direction; nothing after the failure in
that epoch is parsed (no alert decoded, no message, no stream of errors);
the earlier records and the healthy connection decode completely, including
application data that refers back across records.

Exit: 0 pass, 1 fail, 77 skip.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
TNTDUMP = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")
MAKE = os.path.join(SRC, "tests", "tools", "make_deflate_faults.py")

WANT_STDERR = [
    "#1 C>S: record does not decompress (inflates past 2^14 bytes (decompression bomb?)): "
    "the rest of epoch 1 is not read",
    "#1 S>C: record does not decompress (truncated DEFLATE data: the record does not end in a "
    "flush): the rest of epoch 1 is not read",
    "#2 C>S: record does not decompress (corrupt DEFLATE data): the rest of epoch 1 is not read",
    "#3 C>S: compression method LZS (64) is not supported: the content of epoch 1 cannot be read",
    "#5 S>C: epoch 1 cannot be decompressed past the gap (DEFLATE history lost)",
]


def main():
    if not os.access(TNTDUMP, os.X_OK):
        print("skip: no tntdump")
        return 77
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "faults.pcap")
        subprocess.run([sys.executable, MAKE, pcap], check=True)
        t = subprocess.run([TNTDUMP, "--app-data", "-r", pcap], capture_output=True, text=True,
                           timeout=60)
        j = subprocess.run([TNTDUMP, "--json", "-r", pcap], capture_output=True, text=True,
                           timeout=60)
    err = [l.split(": ", 3)[3] for l in t.stderr.splitlines() if l.count(": ") >= 3]
    if err != WANT_STDERR:
        fails.append("stderr diagnostics:\n  got  %s\n  want %s" % (err, WANT_STDERR))
    conns = [json.loads(l) for l in j.stdout.splitlines()]
    conns = [c for c in conns if c.get("type") == "connection"]
    if len(conns) != 5:
        fails.append("%d connections, want 5" % len(conns))
    else:
        msgs = [[(m["dir"], m["type"]) for h in c["handshakes"] for m in h["messages"]]
                for c in conns]
        hello = [("C>S", "ClientHello"), ("S>C", "ServerHello"), ("S>C", "ServerHelloDone")]
        want = [
            hello + [("C>S", "Finished"), ("S>C", "Finished")],
            hello + [("S>C", "Finished")],
            hello,
            hello + [("C>S", "Finished"), ("S>C", "Finished")],
            hello + [("C>S", "Finished"), ("S>C", "Finished")],
        ]
        for i, (got, w) in enumerate(zip(msgs, want)):
            if got != w:
                fails.append("connection %d messages %s, want %s" % (i + 1, got, w))
    # Alerts: only those of readable epochs are decoded.
    alerts = [l for l in t.stdout.splitlines() if "close_notify" in l]
    if len(alerts) != 4:  # #2 S>C, #4 both, #5 C>S
        fails.append("%d close_notify decoded, want 4:\n%s" % (len(alerts), "\n".join(alerts)))
    blocks = t.stdout.split("\n#")[:-1]  # the healthy connection is the 4th
    dump = bytes.fromhex("".join(l.split("| ")[1][6:54].replace(" ", "")
                                 for l in blocks[-1].splitlines() if "| " in l)).decode()
    if "end of healthy response" not in dump or dump.count("row of the healthy") != 60:
        fails.append("healthy connection: application data not inflated right")
    bang = [l for l in t.stdout.splitlines() if " ! " in l]
    if len(bang) != 5:
        fails.append("%d inline diagnostics, want 5" % len(bang))
    for f in fails:
        print("FAIL:", f)
    print("ok" if not fails else "%d failure(s)" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
