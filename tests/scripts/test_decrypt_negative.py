#!/usr/bin/env python3
"""Decryption negative tests (issue 3, acceptance point 2).

Each case runs `tntdump --app-data` on a two-connection capture from
tests/data/decrypt-neg/ (see PROVENANCE.md): connection #1 carries the fault,
connection #2 is a healthy, fully keyed connection that comes after it.  Faults:

  wrong-keylog        a key log of valid format with wrong master secrets
  first-only-hotplace hotplace tls12renogotiation with its own key log, which has
                      the key of the first handshake only (renegotiation keys missing)
  first-only-made     the same situation built from a made_here capture
  truncated-keylog    a key log cut in the middle of its first secret
  rsa-mismatch        an RSA key (generated here) that is not the server's
  corrupt-ciphertext  one ciphertext byte flipped in an application data record of
                      epoch 2 (tests/tools/corrupt_byte.py), AES-128-GCM -> bad_mac
  corrupt-cbc-padding the last ciphertext byte of a TLS 1.2 AES128-SHA (MAC-then-
                      encrypt) record flipped -> bad_padding
  truncated-rsa-key   an RSA PEM cut in half (tntdump may refuse to start here; it
                      must say which file and why, and must not crash)

For every case: the diagnostic of its own kind is printed for connection #1
(inline `!` line in the block and on stderr), no diagnostic of any other kind
is printed, connection #1 decrypts exactly what the keys allow (values
verified with tshark 4.0.17, except where tshark is wrong, see below), and
connection #2 follows, decrypts completely and has no diagnostic.

corrupt-ciphertext: tshark 4.0.17 decrypts only 2 of the 4 intact server
application data records, because it does not advance the record sequence
number after an AEAD record fails (its debug log shows AAD sequence 3 for frames
23, 25 and 27; unmodified, the same bytes of frames 25 and 27 decrypt with
sequence 4 and 5).  The expected value 4 below is what the bytes allow.

Exit: 0 pass, 1 fail, 77 skip (tntdump or test data missing, or tntdump
without -k support).  Python 3 standard library only.
"""

import os
import re
import subprocess
import sys

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(os.environ.get("TNT_TEST_DATA") or os.path.join(SRC, "tests", "data"), "decrypt-neg")
TNTDUMP = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")
TIME_LIMIT = 60

sys.path.insert(0, HERE)
from test_decrypt_sweep import parse_tntdump, conn_fields, SANITIZER_RE  # noqa: E402

# One pattern per diagnostic kind (DECRYPT_FORMAT.md, and the words tntdump uses).
KINDS = {
    "wrong-key": re.compile(r"wrong key for handshake (\d+)"),
    "no-key": re.compile(r"no key for handshake (\d+) \(client random ([0-9a-f]+)"),
    "keylog-line": re.compile(r"(\S+\.keys):(\d+): "),
    "rsa-mismatch": re.compile(r"RSA key does not match the server certificate"
                               r"|no RSA key given matches the server certificate"),
    "corrupt": re.compile(r"fails authentication \((bad_mac|bad_padding|bad_length)\) in epoch (\d+)"),
    "unsupported": re.compile(r"cipher suite \S+ is not supported for decryption"),
}
STDERR_CONN_RE = re.compile(r"#(\d+) (C>S|S>C): (.*)$")

# Healthy second connections (tshark 4.0.17 with their keys).
CLIENT_RENEG = {"hs:C": "20,1,16,20", "hs:S": "20,2,11,14,20", "app:C": "2", "app:S": "1"}
GCM_RENEG = {"hs:C": "20,1,16,20", "hs:S": "20,0,2,11,12,14,20", "app:C": "4", "app:S": "5"}
NOTHING = {"hs:C": "-", "hs:S": "-", "app:C": "0", "app:S": "0"}

CASES = [
    {"name": "wrong-keylog", "capture": "gcm-reneg+client-reneg.pcapng",
     "args": ["-k", "wrong.keys", "-k", "client-reneg.keys"],
     "kinds": {"wrong-key": [("1",)]}, "conn1": NOTHING, "failed": "some", "conn2": CLIENT_RENEG},
    {"name": "first-only-hotplace", "capture": "hotplace-reneg+client-reneg.pcap",
     "args": ["-k", "hotplace-tls12-sslkeylog", "-k", "client-reneg.keys"],
     # client random of the encrypted second ClientHello (frame 14), absent from the key log
     "kinds": {"no-key": [("2", "a3eb163c5f6e2fcc1dd52656fadc0351208aa73bce25dd762d1fc8ef0930ece5")]},
     "conn1": {"hs:C": "20,1,16", "hs:S": "20,2,11,12,14,4", "app:C": "1", "app:S": "0"},
     "failed": "none", "conn2": CLIENT_RENEG},
    {"name": "first-only-made", "capture": "gcm-reneg+client-reneg.pcapng",
     "args": ["-k", "reneg-first-only.keys", "-k", "client-reneg.keys"],
     "kinds": {"no-key": [("2", "f1d664097f9cccc6d0f7160744c011575f356985c1ebd6da9d6cc6961112f361")]},
     "conn1": {"hs:C": "20,1,16", "hs:S": "20,0,2,11,12,14", "app:C": "1", "app:S": "0"},
     "failed": "none", "conn2": CLIENT_RENEG},
    {"name": "truncated-keylog", "capture": "gcm-reneg+client-reneg.pcapng",
     "args": ["-k", "truncated.keys", "-k", "client-reneg.keys"],
     "kinds": {"keylog-line": [("truncated.keys", "2")],
               "no-key": [("1", "45d96dff2e179fb78ede506441e4ca4982a168db65429a81640a4e29d49cfb36")]},
     "conn1": NOTHING, "failed": "none", "conn2": CLIENT_RENEG},
    {"name": "rsa-mismatch", "capture": "scapy-rsa+gcm-reneg.pcap",
     "args": ["--rsa-key", "mismatch-rsa.pem", "-k", "../reneg.keys"],
     "kinds": {"rsa-mismatch": [()]}, "conn1": NOTHING, "failed": "none", "conn2": GCM_RENEG},
    {"name": "corrupt-ciphertext", "capture": "corrupt-gcm+client-reneg.pcapng",
     "args": ["-k", "../reneg.keys", "-k", "client-reneg.keys"],
     "kinds": {"corrupt": [("bad_mac", "2")]},
     "conn1": {"hs:C": "20,1,16,20", "hs:S": "20,0,2,11,12,14,20", "app:C": "4", "app:S": "4"},
     "failed": [("23", "S>C", "decrypt-failed e2 bad_mac")], "conn2": CLIENT_RENEG},
    # TLS 1.2 AES128-SHA without encrypt_then_mac: last ciphertext byte of the only server
    # application data record of epoch 2 flipped -> the last plaintext block (padding) is garbage
    {"name": "corrupt-cbc-padding", "capture": "cbcpad+client-reneg.pcapng",
     "args": ["-k", "noetm.keys", "-k", "client-reneg.keys"],
     "kinds": {"corrupt": [("bad_padding", "2")]},
     "conn1": {"hs:C": "20,1,16,20", "hs:S": "20,0,2,11,14,20", "app:C": "2", "app:S": "0"},
     "failed": [("19", "S>C", "decrypt-failed e2 bad_padding")], "conn2": CLIENT_RENEG},
]

RECORD_RE = re.compile(r"^\s+(\d+)\s+\S+\s+(C>S|S>C) \S+ .*\blen=\d+ (decrypt-failed e\d+ \S+)\s*$")


def blocks(text):
    """{connection number: [lines]} of tntdump's stdout."""
    out, cur = {}, None
    for ln in text.splitlines():
        m = re.match(r"^#(\d+) ", ln)
        if m:
            cur = out.setdefault(int(m.group(1)), [])
        elif cur is not None:
            cur.append(ln)
    return out


def kinds_in(texts):
    """{kind: [match groups]} over a list of diagnostic texts."""
    found = {}
    for t in texts:
        for k, rx in KINDS.items():
            for m in rx.finditer(t):
                found.setdefault(k, []).append(m.groups())
    return found


def run(args):
    env = dict(os.environ)
    try:
        p = subprocess.run([TNTDUMP, "--app-data"] + args, cwd=DATA, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIME_LIMIT, env=env)
    except subprocess.TimeoutExpired:
        return None, "", ""
    except OSError as e:  # e.g. the binary is being rebuilt under us
        return 126, "", "cannot run tntdump: %s" % e
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def groups_match(got, want):
    """want's groups are prefixes of got's (tntdump may shorten a client random)."""
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        if g is None or not (w.startswith(g) and len(g) >= 16 if len(w) == 64 else g == w):
            return False
    return True


def check_case(c, errs):
    rc, out, err = run(["-r", c["capture"]] + c["args"])
    name = c["name"]
    if rc is None:
        errs.append("%s: timeout after %d s" % (name, TIME_LIMIT))
        return
    if rc != 0:
        errs.append("%s: exit status %d (stderr: %s)" % (name, rc, err.strip()[:300]))
    if SANITIZER_RE.search(err):
        errs.append("%s: sanitizer report: %s" % (name, err[:300]))
    conns, _ = parse_tntdump(out)
    by_num = {x.key: x for x in conns}
    if sorted(by_num) != [1, 2]:
        errs.append("%s: expected connections #1 and #2, got %s" % (name, sorted(by_num)))
        return
    # stderr diagnostics per connection; anything else on stderr (key file warnings)
    err_by_conn, err_global = {1: [], 2: []}, []
    for ln in err.splitlines():
        m = STDERR_CONN_RE.search(ln)
        if m and int(m.group(1)) in err_by_conn:
            err_by_conn[int(m.group(1))].append(m.group(3))
        else:
            err_global.append(ln)
    c1, c2 = by_num[1], by_num[2]
    inline1 = kinds_in(c1.diags)
    stderr1 = kinds_in(err_by_conn[1] + err_global)
    for kind, want in c["kinds"].items():
        where = stderr1 if kind == "keylog-line" else inline1
        got = where.get(kind, [])
        if not got:
            errs.append("%s: no '%s' diagnostic for connection #1 (inline: %s; stderr: %s)"
                        % (name, kind, c1.diags, err.strip().splitlines()))
            continue
        for w in want:
            if not any(groups_match(g, w) for g in got):
                errs.append("%s: '%s' diagnostic has %s, want %s" % (name, kind, got, w))
        if kind != "keylog-line" and not stderr1.get(kind):
            errs.append("%s: '%s' diagnostic not on stderr" % (name, kind))
        # once per handshake (not per direction or record): every case here
        # has one affected handshake or one damaged record
        if kind != "keylog-line" and len(got) > 1:
            errs.append("%s: '%s' printed %d times for one connection" % (name, kind, len(got)))
    for kind in KINDS:
        if kind in c["kinds"]:
            continue
        if kind in inline1 or kind in stderr1:
            errs.append("%s: unexpected '%s' diagnostic: %s" % (name, kind, inline1.get(kind) or stderr1.get(kind)))
    got1 = conn_fields(c1)
    if got1 != c["conn1"]:
        errs.append("%s: connection #1 decrypted %s, want %s" % (name, got1, c["conn1"]))
    failed = []
    for ln in blocks(out).get(1, []):
        m = RECORD_RE.match(ln)
        if m:
            failed.append(m.groups())
    if c["failed"] == "none" and failed:
        errs.append("%s: records marked decrypt-failed although keys are missing, not wrong: %s"
                    % (name, failed[:3]))
    elif c["failed"] == "some" and not failed:
        errs.append("%s: no record marked decrypt-failed" % name)
    elif isinstance(c["failed"], list) and failed != c["failed"]:
        errs.append("%s: decrypt-failed records %s, want %s" % (name, failed, c["failed"]))
    # the output continues: connection #2 comes after #1, fully decrypted, no diagnostics
    if out.find("\n#2 ") < out.find("#1 "):
        errs.append("%s: connection #2 does not follow #1" % name)
    got2 = conn_fields(c2)
    if got2 != c["conn2"]:
        errs.append("%s: connection #2 decrypted %s, want %s" % (name, got2, c["conn2"]))
    if c2.diags or err_by_conn[2]:
        errs.append("%s: connection #2 has diagnostics: %s %s" % (name, c2.diags, err_by_conn[2]))
    print("%-20s #1 %s | #2 ok | %s" % (name, " ".join("%s=%s" % kv for kv in sorted(got1.items())),
                                        "; ".join(sorted(set(x for x in c1.diags)))))


def check_truncated_rsa(errs):
    rc, out, err = run(["-r", "scapy-rsa+gcm-reneg.pcap", "--rsa-key", "truncated-rsa.pem",
                        "-k", "../reneg.keys"])
    if rc is None or rc < 0:
        errs.append("truncated-rsa-key: crashed or hung (status %s)" % rc)
        return
    m = SANITIZER_RE.search(err)
    if m:
        i = err.find(m.group(1))
        errs.append("truncated-rsa-key: sanitizer report: %s" % err[i:i + 400].replace("\n", " | "))
    if "truncated-rsa.pem" not in err:
        errs.append("truncated-rsa-key: stderr does not name the key file: %r" % err[:300])
    if not re.search(r"truncated|no .*END|cannot|invalid|error", err, re.I):
        errs.append("truncated-rsa-key: stderr does not say what is wrong: %r" % err[:300])
    for kind in ("wrong-key", "rsa-mismatch", "corrupt", "no-key"):
        if KINDS[kind].search(out + err):
            errs.append("truncated-rsa-key: reported as '%s'" % kind)
    print("%-20s exit %d: %s" % ("truncated-rsa-key", rc, err.strip().splitlines()[0] if err.strip() else ""))


def main():
    if not os.access(TNTDUMP, os.X_OK):
        print("SKIP: tntdump not found (%s)" % TNTDUMP)
        return SKIP
    if not os.path.isdir(DATA):
        print("SKIP: test data not found (%s)" % DATA)
        return SKIP
    h = subprocess.run([TNTDUMP, "-h"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    if b"--keylog" not in h.stdout:
        print("SKIP: %s has no -k/--keylog option yet" % TNTDUMP)
        return SKIP
    errs = []
    for c in CASES:
        check_case(c, errs)
    check_truncated_rsa(errs)
    for e in errs:
        print("FAIL " + e)
    print("%d cases, %d failures" % (len(CASES) + 1, len(errs)))
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
