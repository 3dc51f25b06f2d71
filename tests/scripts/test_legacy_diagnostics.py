#!/usr/bin/env python3
"""Unreadable sessions: one diagnostic per epoch with its reason (issue 12).

On the legacy captures (tests/data/legacy) with key logs altered here:
  wrong key     the master secret's last byte changed -> "wrong key for
                handshake 1" (DES/3DES CBC: bad_padding; RC4, GCM: bad_mac)
  missing key   the client random changed -> "no key for handshake 1 (client
                random <hex>)" naming the capture's client random
  unsupported   the corpus's ARIA-GCM capture (libgcrypt 1.10, like tshark
                4.0, has no ARIA) -> "cipher suite ... is not supported"
                (skipped when the shared corpus is absent); DEFLATE faults
                and an unsupported compression method: test_deflate_faults.py
For each: exactly the expected diagnostics (one per unreadable epoch, also
on stderr), no parse error from undecryptable bytes, and no message decoded
after the ChangeCipherSpec.  With the right keys but without --app-data, the
application data that was passed over is listed in not_checked.

Exit: 0 pass, 1 fail, 77 skip.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(os.environ.get("TNT_TEST_DATA") or os.path.join(SRC, "tests", "data"), "legacy")
TNTDUMP = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")
CORPUS = os.environ.get("TNT_CORPUS") or "/work/shared/corpus"


def run(args):
    return subprocess.run([TNTDUMP] + args, capture_output=True, text=True, timeout=60)


def alter(keys, tmp, how):
    out = os.path.join(tmp, how + "-" + os.path.basename(keys))
    with open(keys) as f, open(out, "w") as o:
        for line in f:
            p = line.split()
            if len(p) == 3 and p[0] == "CLIENT_RANDOM":
                if how == "wrong":
                    p[2] = p[2][:-2] + ("00" if p[2][-2:] != "00" else "01")
                else:
                    p[1] = "00" * 32
                line = " ".join(p) + "\n"
            o.write(line)
    return out


def diags(t):
    return [l.split(" ! ", 1)[1] for l in t.stdout.splitlines() if " ! " in l]


def main():
    if not os.access(TNTDUMP, os.X_OK) or not os.path.isdir(DATA):
        print("skip")
        return 77
    fails = []
    # capture -> (wrong-key status, messages decoded)
    cases = {
        "ssl3-3des": "bad_padding",
        "tls10-3des": "bad_padding",
        "tls10-export-rc4-40": "bad_mac",
        "tls10-deflate-rc4md5": "bad_mac",
        "tls12-deflate-ecdhe-gcm-reneg": "bad_mac",
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, status in cases.items():
            pcap = os.path.join(DATA, name + ".pcap")
            keys = os.path.join(DATA, name + ".keys")
            with open(keys) as f:
                cr = f.read().split()[1].lower()
            for how in ("wrong", "missing"):
                t = run(["-k", alter(keys, tmp, how), "-r", pcap])
                j = run(["--json", "-k", alter(keys, tmp, how), "-r", pcap])
                d = diags(t)
                if how == "wrong":
                    want = [re.compile(r"wrong key for handshake 1: records of epoch 1 fail "
                                       r"authentication \(%s\) \(stream offset \d+\)" % status)]
                else:
                    want = [re.compile(r"no key for handshake 1 \(client random %s\) "
                                       r"\(stream offset \d+\)" % cr)]
                if name.endswith("reneg"):
                    # The renegotiation ran inside the unreadable epoch.
                    want.append(re.compile(r"the hellos of handshake 2 are not in the capture "
                                           r"\(stream offset \d+\)"))
                ok = len(d) == len(want) and all(w.fullmatch(x) for w, x in zip(want, d))
                if not ok:
                    fails.append("%s %s key: diagnostics %s" % (name, how, d))
                if len(t.stderr.strip().splitlines()) != len(want):
                    fails.append("%s %s key: stderr %s" % (name, how, t.stderr))
                conn = json.loads(j.stdout.splitlines()[0])
                after = [m["type"] for h in conn["handshakes"] for m in h["messages"]
                         if m["type"] in ("Finished", "HelloRequest") or h["index"] > 1]
                if after:
                    fails.append("%s %s key: decoded %s" % (name, how, after))
            # Right keys, default mode: the skipped application data is said.
            conn = json.loads(run(["--json", "-k", keys, "-r", pcap]).stdout.splitlines()[0])
            nc = [x for x in conn["not_checked"] if "application data" in x]
            if name.find("deflate") < 0 and not (
                    len(nc) == 1 and re.fullmatch(
                        r"\d+ application data records under the keys of handshake 1 not "
                        r"authenticated: application data is not decrypted by default "
                        r"\(--app-data\)", nc[0])):
                fails.append("%s: not_checked %s" % (name, conn["not_checked"]))
            conn = json.loads(run(["--json", "--app-data", "-k", keys, "-r", pcap])
                              .stdout.splitlines()[0])
            if [x for x in conn["not_checked"] if "application data" in x]:
                fails.append("%s --app-data: not_checked %s" % (name, conn["not_checked"]))
        aria = os.path.join(CORPUS, "third_party", "snet", "decrypt_by_keylog",
                            "TLS1_2_ARIA128-GCM-SHA256_auth")
        if os.path.exists(aria + ".pcap"):
            t = run(["-k", aria + ".txt", "-r", aria + ".pcap"])
            d = diags(t)
            if len(d) != 1 or not d[0].startswith(
                    "cipher suite TLS_RSA_WITH_ARIA_128_GCM_SHA256 is not supported for decryption"):
                fails.append("ARIA: diagnostics %s" % d)
        else:
            print("ARIA capture not in the corpus: skipped")
    for f in fails:
        print("FAIL:", f)
    print("ok" if not fails else "%d failure(s)" % len(fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
