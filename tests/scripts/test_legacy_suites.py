#!/usr/bin/env python3
"""Legacy suites and TLS compression decrypt as stock tshark 4.0 does (issue 12).

One capture per suite in tests/data/legacy/ (made by an independent encoder
and checked with tshark 4.0.17, see PROVENANCE.md): DES and 3DES in SSL 3.0,
TLS 1.0 and TLS 1.2, the export suites RC4_40 (SSL 3.0 and TLS 1.0 key
expansion) and DES40_CBC (TLS 1.0, with the "IV block"), SEED and Camellia.
For each: both Finished are decrypted and verified, no diagnostic is printed,
and with --app-data the decrypted application data holds the last line of the
server's response (so the cipher state ran through every record).  IDEA and
RC2 have no capture: tests/unit/test_record_protection.c checks them against
published vectors.

DEFLATE (RFC 3749): TLS 1.2 AES-CBC and TLS 1.0 RC4 with the response split
over four records (the zlib history runs across records), and TLS 1.2 GCM
with a server-initiated renegotiation that travels compressed under the first
keys, after which both directions start a new zlib stream: all Finished
(4 with the renegotiation) verified and the last record of each direction
inflates to the right text.

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

# capture -> (cipher suite the ServerHello selects, version[, handshakes,
# strings the decrypted application data must hold])
CASES = {
    "tls12-deflate-aes128sha": ("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS 1.2", 1,
                                ["GET /legacy/tls12-deflate-aes128sha/style.css",
                                 "end of tls12-deflate-aes128sha response",
                                 "end of tls12-deflate-aes128sha stylesheet"]),
    "tls10-deflate-rc4md5": ("TLS_RSA_WITH_RC4_128_MD5", "TLS 1.0", 1,
                             ["GET /legacy/tls10-deflate-rc4md5/style.css",
                              "end of tls10-deflate-rc4md5 response",
                              "end of tls10-deflate-rc4md5 stylesheet"]),
    "tls12-deflate-ecdhe-gcm-reneg": ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS 1.2", 2,
                                      ["end of tls12-deflate-ecdhe-gcm-reneg response",
                                       "GET /legacy/tls12-deflate-ecdhe-gcm-reneg/secure/report.html",
                                       "end of secure report",
                                       "end of tls12-deflate-ecdhe-gcm-reneg stylesheet"]),
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
    for name, case in CASES.items():
        suite, version = case[0], case[1]
        n_hs = case[2] if len(case) > 2 else 1
        wants = case[3] if len(case) > 3 else ["end of %s response" % name]
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
        if len(conns) != 1 or len(conns[0]["handshakes"]) != n_hs:
            problems.append("want 1 connection with %d handshake(s)" % n_hs)
        else:
            for hs in conns[0]["handshakes"]:
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
        for want in ["GET /legacy/%s/index.html" % name] + wants:
            if want.encode() not in data:
                problems.append("application data lacks %r" % want)
        if "!" in "".join(l[:40] for l in t.stdout.splitlines()):
            problems.append("a diagnostic line in the text output")
        print("%-28s %s" % (name, "ok" if not problems else "FAIL: " + "; ".join(problems)))
        fails += bool(problems)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
