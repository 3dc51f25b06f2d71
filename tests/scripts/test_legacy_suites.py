#!/usr/bin/env python3
"""Legacy cipher suites decrypt as stock tshark 4.0 decrypts them (issue 12).

One capture per suite in tests/data/legacy/ (made by an independent encoder
and checked with tshark 4.0.17, see PROVENANCE.md): DES and 3DES in SSL 3.0,
TLS 1.0 and TLS 1.2, the export suites RC4_40 (SSL 3.0 and TLS 1.0 key
expansion) and DES40_CBC (TLS 1.0, with the "IV block"), SEED and Camellia.
For each: both Finished are decrypted and verified, no diagnostic is printed,
and with --app-data the decrypted application data holds the last line of the
server's response (so the cipher state ran through every record).  IDEA and
RC2 have no capture: tests/unit/test_record_protection.c checks them against
published vectors.

Exit: 0 pass, 1 fail, 77 skip (tntdump or test data missing).
"""

import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(os.environ.get("TNT_TEST_DATA") or os.path.join(SRC, "tests", "data"), "legacy")
TNTDUMP = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")

# capture -> (cipher suite the ServerHello selects, version)
CASES = {
    "ssl3-3des": ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "SSL 3.0"),
    "ssl3-des": ("TLS_RSA_WITH_DES_CBC_SHA", "SSL 3.0"),
    "tls10-3des": ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS 1.0"),
    "tls12-3des-ecdhe": ("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS 1.2"),
    "tls10-export-rc4-40": ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLS 1.0"),
    "tls10-export-des40": ("TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", "TLS 1.0"),
    "ssl3-export-rc4-40": ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "SSL 3.0"),
    "tls12-seed": ("TLS_RSA_WITH_SEED_CBC_SHA", "TLS 1.2"),
    "tls12-camellia256-sha256": ("TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", "TLS 1.2"),
}

HEXLINE = re.compile(r"\|\s[0-9a-f]{4}  ((?:[0-9a-f]{2} ){1,16})")


def run(args):
    return subprocess.run([TNTDUMP] + args, capture_output=True, text=True, timeout=60)


def app_bytes(text):
    """The bytes of every --app-data hex dump line, in order."""
    out = bytearray()
    for m in HEXLINE.finditer(text):
        out += bytes.fromhex(m.group(1).replace(" ", ""))
    return bytes(out)


def main():
    if not os.access(TNTDUMP, os.X_OK) or not os.path.isdir(DATA):
        print("skip: tntdump or tests/data/legacy missing")
        return 77
    fails = 0
    for name, (suite, version) in CASES.items():
        pcap = os.path.join(DATA, name + ".pcap")
        keys = os.path.join(DATA, name + ".keys")
        r = run(["--json", "-k", keys, "-r", pcap])
        conns = [json.loads(l) for l in r.stdout.splitlines() if l.startswith("{")]
        conns = [c for c in conns if c.get("type") == "connection"]
        problems = []
        if r.returncode != 0:
            problems.append("exit %d" % r.returncode)
        if r.stderr.strip():
            problems.append("stderr: " + r.stderr.strip().splitlines()[0])
        if len(conns) != 1 or len(conns[0]["handshakes"]) != 1:
            problems.append("want 1 connection with 1 handshake")
        else:
            hs = conns[0]["handshakes"][0]
            if hs["cipher_suite"] != suite or hs["version"] != version:
                problems.append("suite/version %s %s" % (hs["cipher_suite"], hs["version"]))
            if hs["finished"] != "verified":
                problems.append("finished: %s" % hs["finished"])
            fin = [m for m in hs["messages"] if m["type"] == "Finished"]
            if len(fin) != 2:
                problems.append("%d Finished decoded" % len(fin))
            if conns[0]["violations"] or conns[0]["gaps"]:
                problems.append("violations/gaps: %s" % (conns[0]["violations"] + conns[0]["gaps"]))
        t = run(["--app-data", "-k", keys, "-r", pcap])
        data = app_bytes(t.stdout)
        for want in ("GET /legacy/%s/index.html" % name, "end of %s response" % name):
            if want.encode() not in data:
                problems.append("application data lacks %r" % want)
        if "!" in "".join(l[:40] for l in t.stdout.splitlines()):
            problems.append("a diagnostic line in the text output")
        print("%-28s %s" % (name, "ok" if not problems else "FAIL: " + "; ".join(problems)))
        fails += bool(problems)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
