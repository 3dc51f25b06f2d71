#!/usr/bin/env python3
"""STARTTLS shown as what it is (issue 12).

The six STARTTLS captures of tests/data/legacy (SMTP, IMAP, POP3, FTP AUTH
TLS, PostgreSQL SSLRequest, XMPP; see PROVENANCE.md): each direction's
cleartext before TLS is reported once as "N bytes of cleartext before TLS
(<protocol>)" with the byte counts of the capture, never as skipped bytes,
damage or a gap; nothing goes to stderr; the TLS that follows decrypts
(both Finished verified).  A capture that begins in the middle of TLS
records (the bytes before the first whole record are binary) still says
"no record boundary".

Exit: 0 pass, 1 fail, 77 skip.
"""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(os.environ.get("TNT_TEST_DATA") or os.path.join(SRC, "tests", "data"), "legacy")
TNTDUMP = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")

# capture -> (protocol, client cleartext bytes, server cleartext bytes); the
# byte counts are the TCP payload before the first TLS record in each
# direction (tshark -z follow,tcp,raw agrees).
CASES = {
    "smtp": ("SMTP STARTTLS", 38, 238),
    "imap": ("IMAP STARTTLS", 32, 330),
    "pop3": ("POP3 STLS", 12, 138),
    "ftp": ("FTP AUTH TLS", 16, 163),
    "postgres": ("PostgreSQL SSLRequest", 8, 1),
    "xmpp": ("XMPP STARTTLS", 205, 457),
}


def main():
    if not os.access(TNTDUMP, os.X_OK) or not os.path.isdir(DATA):
        print("skip")
        return 77
    fails = 0
    for name, (proto, cn, sn) in CASES.items():
        pcap = os.path.join(DATA, "starttls-%s.pcap" % name)
        keys = os.path.join(DATA, "starttls-%s.keys" % name)
        t = subprocess.run([TNTDUMP, "-k", keys, "-r", pcap], capture_output=True, text=True,
                           timeout=60)
        j = subprocess.run([TNTDUMP, "--json", "-k", keys, "-r", pcap], capture_output=True,
                           text=True, timeout=60)
        problems = []
        lines = [l.split(None, 3)[2:] for l in t.stdout.splitlines() if "cleartext" in l]
        want = [["C>S", "%d byte%s of cleartext before TLS (%s)" % (cn, "s" * (cn != 1), proto)],
                ["S>C", "%d byte%s of cleartext before TLS (%s)" % (sn, "s" * (sn != 1), proto)]]
        if lines != want:
            problems.append("cleartext lines %s, want %s" % (lines, want))
        if " ! " in t.stdout or t.stderr.strip():
            problems.append("a diagnostic: %s" % (t.stderr.strip() or t.stdout))
        conn = [json.loads(l) for l in j.stdout.splitlines()][0]
        if [h["finished"] for h in conn["handshakes"]] != ["verified"] or conn["gaps"]:
            problems.append("handshakes %s gaps %s" % (conn["handshakes"], conn["gaps"]))
        print("%-10s %s" % (name, "ok" if not problems else "FAIL: " + "; ".join(problems)))
        fails += bool(problems)
    # Public captures of the shared corpus, when present: LDAP and MySQL
    # (no made_here capture), IRC (a bare STARTTLS that is not SMTP's), and
    # SOCKS, whose binary proxy handshake is not recognised as text.
    corpus = os.environ.get("TNT_CORPUS") or "/work/shared/corpus"
    public = {
        "arkime/ldap-ssl.pcap": ["C>S 31 bytes of cleartext before TLS (LDAP StartTLS)",
                                 "S>C 14 bytes of cleartext before TLS (LDAP StartTLS)"],
        "arkime/mysql-tls.pcap": ["C>S 36 bytes of cleartext before TLS (MySQL SSL request)",
                                  "S>C 78 bytes of cleartext before TLS (MySQL SSL request)"],
        "zeek/irc-starttls.pcap": ["C>S 10 bytes of cleartext before TLS (IRC STARTTLS)",
                                   "S>C 74 bytes of cleartext before TLS (IRC STARTTLS)"],
        "arkime/socks-https-example.pcap": [],
    }
    for rel, want in public.items():
        path = os.path.join(corpus, "third_party", rel)
        if not os.path.exists(path):
            print("%-32s skipped (not in the corpus)" % rel)
            continue
        t = subprocess.run([TNTDUMP, "-r", path], capture_output=True, text=True, timeout=60)
        got = [" ".join(l.split()[2:]) for l in t.stdout.splitlines() if "cleartext before" in l]
        ok = got == want and (want or "no record boundary" in t.stdout)
        print("%-32s %s" % (rel, "ok" if ok else "FAIL: %s" % got))
        fails += not ok
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
