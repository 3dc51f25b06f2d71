#!/usr/bin/env python3
"""Decryption sweep (issue 3, acceptance point 1): tntdump against tshark, with keys.

For every capture listed in tests/decrypt_sweep/captures.tsv (derived from the
corpus' third_party/INDEX.tsv key_kind/key_path columns, made_here/README.txt and
made_here/legacy/INDEX.tsv: legacy suites, export key derivation, DEFLATE
compression with a renegotiation, STARTTLS, each with its key log and, for RSA
key exchange, also with the server's RSA key alone),
tshark and tntdump both run with the listed key material, and per TCP
connection and direction two things must agree:

  * the sequence of handshake message types found in records that were
    decrypted (not those of plaintext records), and
  * the number of application data records that decrypted with a valid
    MAC / AEAD tag,

and tntdump must not mark a record `decrypt-failed` in a direction where every
record tshark tried passed its MAC/tag check (field fail:C / fail:S).

tshark side.  Which records tshark decrypted with a valid MAC/tag is taken from
its TLS debug log (-o tls.debug_file), not from the dissection tree: for TLS
<= 1.2 the tree shows a decrypted application data record exactly like an
undecrypted one (tls.app_data is the ciphertext either way, and
tls.app_data_proto is set from the port even without keys), and with
tls.ignore_ssl_mac_failed off (the default) tshark only decrypts after the check
passed.  The log holds, per frame ("dissect_ssl enter frame #N"), one
"dissect_ssl3_record: content_type T" line per record followed, when a key is
known, by "ssl_decrypt_record: mac ok" / "... mac failed" (CBC, stream, NULL
ciphers) or "auth_tag(OK)" / "auth tag mismatch" (AEAD).  These are matched in
order with the frame's tls.record elements of tshark's PDML (same pass), which
give the outer/inner content types (TLS 1.3: opaque_type and, once decrypted,
content_type) and the handshake types.  A frame whose two lists do not line up
is reported as a harness error, never silently skipped.

tntdump side (docs: notes DECRYPT_FORMAT.md): `tntdump --app-data -r F -k K`
(--rsa-key for RSA rows; DSB rows need nothing).  Decrypted handshake types are
the message lines that follow a record line marked `decrypted e<K>`; decrypted
application data records are application_data record lines marked
`decrypted e<K>`.

Rows with expect=unsupported (ARIA suites, which stock tshark cannot decrypt)
instead require that tntdump says "cipher suite ... is not supported for
decryption" and never "wrong key".  Rows with expect=rsa-mismatch require the
"RSA key does not match the server certificate" diagnostic.  For every row the
table's expectation is re-checked against tshark (a "decrypt" row tshark does
not decrypt, or an unsupported row it does, is a table error).

Differences that are tshark's fault are listed in tests/decrypt_sweep/
tshark_errors.tsv with the exact values on both sides; any other difference
fails, and so does a listed one that changes.

tntdump must exit 0, not die by a signal, report no sanitizer error and finish
each capture within 60 s.

Exit: 0 pass, 1 fail, 77 skip (corpus, tshark or tntdump missing, or tntdump
without -k support).  Options: --dump-tshark, -v, CAPTURE... (substring filter).
Python 3 standard library only.
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TIME_LIMIT = 60
SKIP = 77

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
DATA_DIR = os.path.join(SRC, "tests", "decrypt_sweep")
CORPUS = os.environ.get("TNT_CORPUS") or os.path.join(SRC, "..", "shared", "corpus")

HANDSHAKE_NAMES = {
    "HelloRequest": 0, "ClientHello": 1, "ServerHello": 2, "HelloVerifyRequest": 3,
    "NewSessionTicket": 4, "EndOfEarlyData": 5, "EncryptedExtensions": 8, "Certificate": 11,
    "ServerKeyExchange": 12, "CertificateRequest": 13, "ServerHelloDone": 14,
    "CertificateVerify": 15, "ClientKeyExchange": 16, "Finished": 20, "CertificateURL": 21,
    "CertificateStatus": 22, "SupplementalData": 23, "KeyUpdate": 24, "MessageHash": 254,
    "TNTNegotiation": 224, "TNTProof": 225,
}
CONTENT_WORDS = {"change_cipher_spec": 20, "alert": 21, "handshake": 22,
                 "application_data": 23, "heartbeat": 24}

UNSUPPORTED_RE = re.compile(r"cipher suite (\S+) is not supported for decryption")
WRONG_KEY_RE = re.compile(r"wrong key for handshake (\d+)")
# DECRYPT_FORMAT.md says "RSA key does not match the server certificate"; tntdump
# prints "no RSA key given matches the server certificate of handshake K".
RSA_MISMATCH_RE = re.compile(r"RSA key does not match the server certificate"
                             r"|no RSA key given matches the server certificate")
SANITIZER_RE = re.compile(r"(AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|runtime error:)")


def load_tsv(name):
    rows = []
    path = os.path.join(DATA_DIR, name)
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append(line.split("\t"))
    return rows


def endpoint(addr, port):
    return "[%s]:%s" % (addr, port) if ":" in addr else "%s:%s" % (addr, port)


# ---------------------------------------------------------------- key rows


class Row:
    def __init__(self, f):
        self.capture = f[0]
        self.keys = [k for k in f[1].split(";") if k and k != "-"]
        self.expect = f[2]
        self.note = f[3] if len(f) > 3 else ""

    def key_files(self):
        """[(kind, absolute path)] with kind keylog | rsa | dsb."""
        out = []
        for k in self.keys:
            kind, _, path = k.partition(":")
            out.append((kind, os.path.join(CORPUS, path) if path else ""))
        return out


def tshark_key_opts(row, tmp):
    opts = []
    keylogs = [p for k, p in row.key_files() if k == "keylog"]
    if len(keylogs) == 1:
        opts += ["-o", "tls.keylog_file:" + keylogs[0]]
    elif keylogs:  # tshark takes one key log file: concatenate
        cat = os.path.join(tmp, "keylog.cat")
        with open(cat, "wb") as fo:
            for p in keylogs:
                with open(p, "rb") as fi:
                    fo.write(fi.read().rstrip(b"\n") + b"\n")
        opts += ["-o", "tls.keylog_file:" + cat]
    for k, p in row.key_files():
        if k == "rsa":
            opts += ["-o", 'uat:rsa_keys:"%s",""' % p]
    return opts


def tntdump_key_opts(row):
    opts = []
    for k, p in row.key_files():
        if k == "keylog":
            opts += ["-k", p]
        elif k == "rsa":
            opts += ["--rsa-key", p]
    return opts


# ---------------------------------------------------------------- tshark side


class Conn:
    """One TCP connection as either tool saw it."""

    def __init__(self, key):
        self.key = key  # (client endpoint, server endpoint) or tshark stream id
        self.client = None
        self.server = None
        self.hs = {"C": [], "S": []}  # decrypted handshake types
        self.app = {"C": 0, "S": 0}  # app data records decrypted with MAC/tag OK
        self.bad = {"C": 0, "S": 0}  # records whose MAC/tag check failed
        self.first = None
        self.eps = None
        self.syn_src = None
        self.first_src = None
        self.tls13 = False  # tshark: records carry an opaque_type (TLS 1.3 session)
        self.diags = []  # tntdump: inline "!" diagnostics of this connection


def parse_debug(path):
    """{frame: [(outer content type, status)]}; status ok | fail | none."""
    frames = {}
    cur = None
    rec = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln in f:
            if ln.startswith("dissect_ssl enter frame #"):
                # a frame can be entered more than once "(first time)" (one call per TCP
                # PDU); a re-dissection "(already visited)" decrypts nothing new
                n = int(ln.split("#", 1)[1].split()[0])
                cur = frames.setdefault(n, []) if "(first time)" in ln else None
                rec = None
                continue
            if cur is None:
                continue
            if ln.startswith("dissect_ssl3_record: content_type "):
                rec = [int(ln.split()[2]), "none"]
                cur.append(rec)
                continue
            if rec is None:
                continue
            if ln.startswith("ssl_decrypt_record: mac ok") or ln.startswith("auth_tag(OK)"):
                rec[1] = "ok"
            elif (ln.startswith("ssl_decrypt_record: mac failed") or " auth tag mismatch" in ln
                  or ln.startswith("ssl_decrypt_record: bad padding")):
                rec[1] = "fail"
    return {k: [tuple(r) for r in v] for k, v in frames.items()}


def tshark_conns(path, key_opts, tmp):
    """(list of Conn in stream order, [harness problems])."""
    dbg = os.path.join(tmp, "tls-debug.txt")
    if os.path.exists(dbg):
        os.unlink(dbg)
    cmd = ["tshark", "-n", "-r", path, "-T", "pdml", "-Y", "tls or tcp.flags.syn == 1",
           "-j", "geninfo ip ipv6 tcp tls tls.record tls.handshake",
           "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tls.desegment_ssl_records:TRUE",
           "-o", "tls.desegment_ssl_application_data:TRUE",
           "-o", "tls.debug_file:" + dbg] + key_opts
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if p.returncode != 0 and not p.stdout:
        raise RuntimeError("tshark failed: %s" % p.stderr.decode(errors="replace")[:400])
    debug = parse_debug(dbg) if os.path.exists(dbg) else {}
    problems = []
    conns = {}
    root = ET.fromstring(p.stdout) if p.stdout.strip() else ET.Element("pdml")
    for pkt in root.iter("packet"):
        frame = src = dst = sport = dport = stream = flags = None
        recs = []
        for proto in pkt:
            pn = proto.get("name")
            if pn == "geninfo":
                for f in proto:
                    if f.get("name") == "num":
                        frame = int(f.get("show"))
            elif pn in ("ip", "ipv6") and stream is None:
                for f in proto:
                    if f.get("name") in ("ip.src", "ipv6.src"):
                        src = f.get("show")
                    elif f.get("name") in ("ip.dst", "ipv6.dst"):
                        dst = f.get("show")
            elif pn == "tcp" and stream is None:
                for f in proto:
                    n = f.get("name")
                    if n == "tcp.srcport":
                        sport = f.get("show")
                    elif n == "tcp.dstport":
                        dport = f.get("show")
                    elif n == "tcp.stream":
                        stream = int(f.get("show"))
                    elif n == "tcp.flags":
                        flags = int(f.get("show"), 16)
            elif pn == "tls" and stream is not None:
                for rec in proto:
                    if rec.get("name") != "tls.record":
                        continue
                    if (rec.get("showname") or "").startswith("SSLv2"):
                        continue
                    outer = inner = None
                    types = []
                    for e in rec.iter("field"):
                        n = e.get("name")
                        if n == "tls.record.opaque_type":
                            outer = int(e.get("show"))
                        elif n == "tls.record.content_type" and e in list(rec):
                            inner = int(e.get("show"))
                        elif n == "tls.handshake.type":
                            types.append(int(e.get("show")))
                    if outer is None:
                        outer = inner
                    recs.append((outer, inner, types))
        if stream is None or src is None:
            continue
        s_ep, d_ep = endpoint(src, sport), endpoint(dst, dport)
        c = conns.get(stream)
        if c is None:
            c = conns[stream] = Conn(stream)
            c.eps = (s_ep, d_ep)
            c.first = frame
            c.first_src = s_ep
        if flags is not None and (flags & 0x12) == 0x02 and c.syn_src is None:
            c.syn_src = s_ep
        drecs = debug.get(frame, [])
        if not recs and not drecs:
            continue
        if [r[0] for r in recs] != [d[0] for d in drecs]:
            problems.append("frame %d: PDML records %s vs debug log records %s do not line up"
                            % (frame, [r[0] for r in recs], [d[0] for d in drecs]))
            continue
        c.records_src = getattr(c, "records_src", [])
        for (outer, inner, types), (_, status) in zip(recs, drecs):
            c.records_src.append((s_ep, outer, inner, types, status))
    out = []
    for k in sorted(conns):
        c = conns[k]
        c.client = guess_client(c)
        c.server = c.eps[1] if c.eps[0] == c.client else c.eps[0]
        for s_ep, outer, inner, types, status in getattr(c, "records_src", []):
            d = "C" if s_ep == c.client else "S"
            if outer != inner:
                c.tls13 = True
            if status == "fail":
                c.bad[d] += 1
            if status != "ok":
                continue
            ct = inner if inner is not None else outer
            if ct == 22:
                c.hs[d].extend(types)
            elif ct == 23:
                c.app[d] += 1
        out.append(c)
    return out, problems


def guess_client(c):
    if c.syn_src:
        return c.syn_src
    a, b = c.eps
    pa, pb = int(a.rsplit(":", 1)[1]), int(b.rsplit(":", 1)[1])
    if pa < 1024 <= pb or (pa in (4433, 8443, 4443) and pb not in (4433, 8443, 4443)):
        return b
    if pb < 1024 <= pa or (pb in (4433, 8443, 4443) and pa not in (4433, 8443, 4443)):
        return a
    return c.first_src


# --------------------------------------------------------------- tntdump side

HDR_RE = re.compile(r"^#(\d+) (\S+) > (\S+)(\s.*)?$")
LINE_RE = re.compile(r"^\s+(\d+)\s+(\S+)\s+(C>S|S>C)( +)(\S+)(.*)$")
# Another protocol's bytes before TLS (STARTTLS): a stream event, not a record.
CLEARTEXT_RE = re.compile(r"^\d+ bytes? of cleartext before TLS( \(.+\))?$")
STATUS_RE = re.compile(r"\blen=\d+\s+(encrypted|decrypted e(\d+)(?: inner=(\S+))?|decrypt-failed e(\d+) (\S+))(?:\s+(?:warning|fatal)\s+\S+)?\s*$")
DUMP_RE = re.compile(r"\| [0-9a-f]{4} ")


def parse_tntdump(text):
    """(list of Conn, [unparsed lines])."""
    conns, other = [], []
    cur = None
    last_status = None
    for ln in text.splitlines():
        if not ln.strip():
            continue
        m = HDR_RE.match(ln)
        if m:
            cur = Conn(int(m.group(1)))
            cur.client, cur.server = m.group(2), m.group(3)
            conns.append(cur)
            last_status = None
            continue
        if cur is None or DUMP_RE.search(ln):
            continue
        m = LINE_RE.match(ln)
        if not m:
            other.append(ln)
            continue
        d = m.group(3)[0]
        spaces, word, rest = m.group(4), m.group(5), m.group(6)
        if len(spaces) == 1 and CLEARTEXT_RE.match(word + rest):
            last_status = None
            continue
        if len(spaces) == 1 and word == "!":
            cur.diags.append(rest.strip())
            continue
        if len(spaces) == 1:
            if word not in CONTENT_WORDS and not word.startswith("content-type-"):
                last_status = None
                if word != "gap" and word != "sslv2":
                    other.append(ln)
                continue
            s = STATUS_RE.search(rest)
            last_status = None
            if s and s.group(2):
                last_status = "ok"
                # TLS 1.3: the real content type follows as inner=
                if (s.group(3) or word) == "application_data":
                    cur.app[d] += 1
            elif s and s.group(4):
                cur.bad[d] += 1
        elif len(spaces) == 3:
            if last_status != "ok":
                continue
            if word.startswith("handshake-type-"):
                cur.hs[d].append(int(word[len("handshake-type-"):]))
            elif word in HANDSHAKE_NAMES:
                cur.hs[d].append(HANDSHAKE_NAMES[word])
            elif word != "ClientHello(SSLv2)":
                other.append(ln)
        else:
            other.append(ln)
    return conns, other


def run_tntdump(tntdump, path, row):
    cmd = [tntdump, "--app-data", "-r", path] + tntdump_key_opts(row)
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIME_LIMIT, env=env)
    except subprocess.TimeoutExpired:
        return None, "", "timeout after %d s" % TIME_LIMIT, cmd
    except OSError as e:  # e.g. the binary is being rebuilt under us
        return None, "", "cannot run tntdump: %s" % e, cmd
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), cmd


# ------------------------------------------------------------------ comparing


def pair(ts_conns, td_conns):
    """Match by endpoint pair, in order of appearance."""
    by = {}
    for c in ts_conns:
        by.setdefault(tuple(sorted((c.client, c.server))), [[], []])[0].append(c)
    for c in td_conns:
        by.setdefault(tuple(sorted((c.client, c.server))), [[], []])[1].append(c)
    out = []
    for key in by:
        tl, dl = by[key]
        for i in range(max(len(tl), len(dl))):
            out.append((tl[i] if i < len(tl) else None, dl[i] if i < len(dl) else None))
    out.sort(key=lambda p: p[0].first if p[0] else 10 ** 9 + p[1].key)
    return out


def fmt_hs(seq):
    return ",".join(str(t) for t in seq) if seq else "-"


def conn_fields(c):
    """{field: value string} compared between the tools."""
    if c is None:
        return {"hs:C": "-", "hs:S": "-", "app:C": "0", "app:S": "0"}
    return {"hs:C": fmt_hs(c.hs["C"]), "hs:S": fmt_hs(c.hs["S"]),
            "app:C": str(c.app["C"]), "app:S": str(c.app["S"])}


def decrypted_anything(conns):
    return any(c.hs["C"] or c.hs["S"] or c.app["C"] or c.app["S"] for c in conns)


# ---------------------------------------------------------------------- main


def prepare(rel, tmp):
    """A file both tools can read (gunzipped copy of *.gz)."""
    src = os.path.join(CORPUS, rel)
    if not rel.endswith(".gz"):
        return src
    plain = os.path.join(tmp, os.path.basename(rel)[:-3])
    with gzip.open(src, "rb") as fi, open(plain, "wb") as fo:
        shutil.copyfileobj(fi, fo)
    return plain


def check_tntdump_run(rc, out, err, problems):
    if rc is None:
        problems.append(err)
    elif rc < 0:
        problems.append("tntdump killed by signal %d" % -rc)
    elif rc != 0:
        problems.append("tntdump exit status %d" % rc)
    m = SANITIZER_RE.search(err)
    if m:
        i = err.find(m.group(1))
        problems.append("sanitizer: " + err[i:i + 300].replace("\n", " | "))


def sweep_row(row, tntdump, known, used, tmp, opts, out):
    """Number of failures for one row of captures.tsv."""
    path = prepare(row.capture, tmp)
    fails = 0
    ts, harness = tshark_conns(path, tshark_key_opts(row, tmp), tmp)
    for h in harness:
        out.append("HARNESS %s: %s" % (row.capture, h))
        fails += 1
    ts_dec = decrypted_anything(ts)
    if opts["dump"]:
        for c in ts:
            f = conn_fields(c)
            if any(v not in ("-", "0") for v in f.values()) or opts["verbose"]:
                out.append("%s\t%s > %s\t%s\tbad:%d/%d" % (row.capture, c.client, c.server, "\t".join(
                    "%s=%s" % kv for kv in sorted(f.items())), c.bad["C"], c.bad["S"]))
        if not ts_dec:
            out.append("%s\t(tshark decrypts nothing)" % row.capture)
        return fails
    if row.expect == "decrypt" and not ts_dec:
        out.append("TABLE %s: expect=decrypt but tshark decrypts nothing" % row.capture)
        return fails + 1
    if row.expect in ("unsupported", "rsa-mismatch") and ts_dec:
        out.append("TABLE %s: expect=%s but tshark decrypts records" % (row.capture, row.expect))
        return fails + 1

    rc, text, err, cmd = run_tntdump(tntdump, path, row)
    problems = []
    check_tntdump_run(rc, text, err, problems)
    for pr in problems:
        out.append("FAIL %s: %s\n    %s" % (row.capture, pr, " ".join(cmd)))
        fails += 1
    td, other = parse_tntdump(text)
    if opts["verbose"] and other:
        out.append("  %s: %d unparsed tntdump lines, e.g. %r" % (row.capture, len(other), other[0]))
    diag = text + "\n" + err
    if row.expect == "unsupported":
        m = UNSUPPORTED_RE.search(diag)
        if not m:
            out.append("FAIL %s: no 'cipher suite ... is not supported for decryption' diagnostic"
                       % row.capture)
            fails += 1
        if WRONG_KEY_RE.search(diag):
            out.append("FAIL %s: unsupported suite reported as a wrong key: %s"
                       % (row.capture, WRONG_KEY_RE.search(diag).group(0)))
            fails += 1
    if row.expect == "rsa-mismatch" and not RSA_MISMATCH_RE.search(diag):
        out.append("FAIL %s: no 'RSA key does not match the server certificate' diagnostic"
                   % row.capture)
        fails += 1
    for a, b in pair(ts, td):
        client = (b or a).client
        server = (b or a).server
        conn = "%s > %s" % (client, server)
        fa, fb = conn_fields(a), conn_fields(b)
        if a is not None and b is None and not any(v not in ("-", "0") for v in fa.values()):
            continue  # a TCP stream without decrypted TLS: nothing to compare
        if a is not None and a.tls13 and "tls13" in opts["scope"]:
            # declared out of scope: tntdump must not blame the keys, and a
            # connection it does decrypt means the scope line is stale
            if b is not None and any(v not in ("-", "0") for v in fb.values()):
                out.append("FAIL %s  %s: TLS 1.3 decrypted although out_of_scope.tsv lists tls13"
                           % (row.capture, conn))
                fails += 1
            if b is not None and any(WRONG_KEY_RE.search(x) for x in b.diags):
                out.append("FAIL %s  %s: TLS 1.3 connection reported as a wrong key" % (row.capture, conn))
                fails += 1
            out.append("  out of scope (TLS 1.3): %s  %s" % (row.capture, conn))
            continue
        # a record tntdump fails to authenticate where tshark's check of every record passed
        for d in ("C", "S"):
            if b is not None and b.bad[d] and a is not None and not a.bad[d]:
                fa["fail:" + d], fb["fail:" + d] = "0", str(b.bad[d])
        for field in ("hs:C", "hs:S", "app:C", "app:S", "fail:C", "fail:S"):
            if field not in fa:
                continue
            if fa[field] == fb[field]:
                continue
            sig = (row.capture, conn, field, fa[field], fb[field])
            if sig in known:
                used.add(sig)
                out.append("  known tshark error: %s %s %s tshark=%s tntdump=%s"
                           % (row.capture, conn, field, fa[field], fb[field]))
                continue
            fails += 1
            out.append("MISMATCH %s  %s  %s: tshark %s, tntdump %s%s%s" % (
                row.capture, conn, field, fa[field], fb[field],
                "" if b is not None else "  (no such tntdump connection)",
                "  [TLS 1.3]" if a is not None and a.tls13 else ""))
            out.append("    tsv: " + "\t".join(sig) + "\tREASON")
    return fails


def main(argv):
    opts = {"dump": "--dump-tshark" in argv, "verbose": "-v" in argv}
    filters = [a for a in argv if not a.startswith("-")]
    if not os.path.isdir(CORPUS):
        print("SKIP: corpus not found at %s" % CORPUS)
        return SKIP
    if shutil.which("tshark") is None:
        print("SKIP: tshark not installed")
        return SKIP
    tntdump = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")
    if not opts["dump"]:
        if not os.access(tntdump, os.X_OK):
            print("SKIP: tntdump not found (%s)" % tntdump)
            return SKIP
        h = subprocess.run([tntdump, "-h"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
        if b"--keylog" not in h.stdout:
            print("SKIP: %s has no -k/--keylog option yet" % tntdump)
            return SKIP
    rows = [Row(f) for f in load_tsv("captures.tsv")]
    if not rows:
        print("FAIL: tests/decrypt_sweep/captures.tsv is missing or empty")
        return 1
    rows = [r for r in rows if not filters or any(s in r.capture for s in filters)]
    known = set(tuple(f[:5]) for f in load_tsv("tshark_errors.tsv"))
    opts["scope"] = set(f[0] for f in load_tsv("out_of_scope.tsv"))
    used = set()
    fails = 0
    n = 0
    with tempfile.TemporaryDirectory(prefix="decsweep.") as tmp:
        for row in rows:
            if not os.path.exists(os.path.join(CORPUS, row.capture)):
                print("FAIL %s: listed in captures.tsv but missing from the corpus" % row.capture)
                fails += 1
                continue
            out = []
            try:
                fails += sweep_row(row, tntdump, known, used, tmp, opts, out)
            except (RuntimeError, OSError, subprocess.TimeoutExpired, ET.ParseError) as e:
                out.append("HARNESS %s: %s" % (row.capture, e))
                fails += 1
            n += 1
            for ln in out:
                print(ln)
            sys.stdout.flush()
    if opts["dump"]:
        return 0 if fails == 0 else 1
    if not filters:
        for sig in sorted(known - used):
            print("STALE tshark_errors.tsv entry (difference no longer seen): %s" % "\t".join(sig))
            fails += 1
    print("%d captures, %d failures" % (n, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
