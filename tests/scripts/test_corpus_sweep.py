#!/usr/bin/env python3
"""Corpus sweep (issue 2, acceptance point 2): tntdump against tshark.

For every capture under $TNT_CORPUS (made_here/ and third_party/), build per TCP
connection the ordered sequence of TLS records (direction, content type) and of
handshake messages in plaintext records (direction, handshake type), once from
tshark's dissection and once from tntdump's text output, and require them to be
identical.  A difference is accepted only if tests/corpus_sweep/tshark_errors.tsv
lists that exact difference (capture, connection, layer, common-prefix length,
tshark's differing part, tntdump's differing part) with its kind (tshark-error,
or out-of-scope for a documented tntdump limit) and the byte-level reason; a
difference that changes in any way fails again, and so does an entry whose
difference is no longer seen (STALE).

Neither tool gets keys, except the Decryption Secrets Blocks some pcapng files
carry, which both tshark and tntdump use by themselves.  A difference that
vanishes when tshark reassembles out-of-order TCP segments is tshark's TCP
layer and is reported, not failed (see compare_capture).
Per-capture tshark decode-as arguments come from tests/corpus_sweep/decode_as.tsv.

tntdump must exit 0 (1 only if tshark cannot read the file either), must not die
by a signal, must not report a sanitizer error and must finish within 60 s.

Exit: 0 pass, 1 fail, 77 skip (corpus, tshark or tntdump missing).
Options: --dump-tshark (print tshark's sequences, no tntdump), -v, CAPTURE... (substring filter).
Stdlib only.
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
DATA_DIR = os.path.join(SRC, "tests", "corpus_sweep")
CORPUS = os.environ.get("TNT_CORPUS") or os.path.join(SRC, "..", "shared", "corpus")

CONTENT_NAMES = {
    "change_cipher_spec": "20",
    "alert": "21",
    "handshake": "22",
    "application_data": "23",
    "heartbeat": "24",
    "sslv2": "v2",
}

HANDSHAKE_NAMES = {
    "HelloRequest": 0,
    "ClientHello": 1,
    "ServerHello": 2,
    "HelloVerifyRequest": 3,
    "NewSessionTicket": 4,
    "EndOfEarlyData": 5,
    "EncryptedExtensions": 8,
    "Certificate": 11,
    "ServerKeyExchange": 12,
    "CertificateRequest": 13,
    "ServerHelloDone": 14,
    "CertificateVerify": 15,
    "ClientKeyExchange": 16,
    "Finished": 20,
    "CertificateURL": 21,
    "CertificateStatus": 22,
    "SupplementalData": 23,
    "KeyUpdate": 24,
    "MessageHash": 254,
    "TNTNegotiation": 224,
    "TNTProof": 225,
}


def load_tsv(name):
    """Rows of a tab-separated file in DATA_DIR, skipping blank and # lines."""
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
    if ":" in addr:
        return "[%s]:%s" % (addr, port)
    return "%s:%s" % (addr, port)


# ---------------------------------------------------------------- tshark side


class TsConn:
    def __init__(self, stream, a, b):
        self.stream = stream
        self.eps = (a, b)
        self.first_src = a
        self.syn_src = None
        self.records = []  # (src endpoint, token)
        self.messages = []  # (src endpoint, token)
        self.first_frame = None


def _children(elem, name):
    return [c for c in elem if c.get("name") == name]


def _record_tokens(rec):
    """(content token, [handshake tokens]) of one tshark tls.record element."""
    ct = None
    for c in rec:
        n = c.get("name")
        if n in ("tls.record.content_type", "tls.record.opaque_type"):
            ct = c.get("show")
            break
    sslv2 = ct is None and (rec.get("showname") or "").startswith("SSLv2 Record Layer")
    if sslv2:
        ct = "v2"
    if ct is None:
        ct = "?"
    msgs = []
    if sslv2:
        for c in rec:
            if c.get("name") == "tls.handshake.type":
                msgs.append("v2." + c.get("show"))
    else:
        for e in rec.iter("field"):
            if e.get("name") == "tls.handshake.type":
                msgs.append(e.get("show"))
    return ct, msgs


def tshark_sequences(path, decode_as, out_of_order=False):
    """Per-connection sequences from tshark's PDML: list of TsConn in stream order."""
    # -Y/-j only thin the XML: every frame is still dissected (and reassembled).
    cmd = ["tshark", "-n", "-r", path, "-T", "pdml", "-Y", "tls or tcp.flags.syn == 1",
           "-j", "geninfo ip ipv6 tcp tls tls.record tls.handshake",
           "-o", "tcp.desegment_tcp_streams:TRUE",
           "-o", "tls.desegment_ssl_records:TRUE",
           "-o", "tls.desegment_ssl_application_data:TRUE",
           "-o", "tcp.reassemble_out_of_order:%s" % ("TRUE" if out_of_order else "FALSE")]
    for d in decode_as:
        cmd += ["-d", d]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if p.returncode != 0 and not p.stdout:
        raise RuntimeError("tshark failed on %s: %s" % (path, p.stderr.decode(errors="replace")[:500]))
    conns = {}
    root = ET.fromstring(p.stdout) if p.stdout.strip() else ET.Element("pdml")
    for pkt in root.iter("packet"):
        frame = None
        src = dst = None
        sport = dport = None
        stream = None
        flags = None
        in_tcp = False
        for proto in pkt:
            pname = proto.get("name")
            if pname == "geninfo":
                for f in proto:
                    if f.get("name") == "num":
                        frame = int(f.get("show"))
            elif pname in ("ip", "ipv6") and not in_tcp:
                for f in proto:
                    if f.get("name") in ("ip.src", "ipv6.src"):
                        src = f.get("show")
                    elif f.get("name") in ("ip.dst", "ipv6.dst"):
                        dst = f.get("show")
            elif pname == "tcp" and not in_tcp:
                in_tcp = True
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
                if stream is None or src is None:
                    break
                s_ep, d_ep = endpoint(src, sport), endpoint(dst, dport)
                c = conns.get(stream)
                if c is None:
                    c = conns[stream] = TsConn(stream, s_ep, d_ep)
                    c.first_frame = frame
                if flags is not None and (flags & 0x12) == 0x02 and c.syn_src is None:
                    c.syn_src = s_ep
            elif pname == "tls" and in_tcp:
                c = conns[stream]
                s_ep = endpoint(src, sport)
                for rec in _children(proto, "tls.record"):
                    ct, msgs = _record_tokens(rec)
                    c.records.append((s_ep, ct))
                    for m in msgs:
                        c.messages.append((s_ep, m))
    return [conns[k] for k in sorted(conns)]


def guess_client(c):
    """Client endpoint when tntdump gives no header: SYN sender, else first sender."""
    if c.syn_src:
        return c.syn_src
    a, b = c.eps
    pa, pb = int(a.rsplit(":", 1)[1]), int(b.rsplit(":", 1)[1])
    known = {443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443}
    if pa in known and pb not in known:
        return b
    if pb in known and pa not in known:
        return a
    return c.first_src


# --------------------------------------------------------------- tntdump side

HDR_RE = re.compile(r"^#(\d+) (\S+) > (\S+)(\s.*)?$")
LINE_RE = re.compile(r"^\s+(\d+)\s+(\S+)\s+(C>S|S>C)( +)(\S+)(.*)$")
# Another protocol's bytes before TLS (STARTTLS): a stream event, not a record.
CLEARTEXT_RE = re.compile(r"^\d+ bytes? of cleartext before TLS( \(.+\))?$")
# The negotiation summary at the end of a block (handshakes, policies,
# violations, what could not be checked): not records or messages.
SUMMARY_RE = re.compile(r"^  (handshake \d|violation |not checked: )|^    (round |outcome: |reason: )")


class TdConn:
    def __init__(self, num, client, server):
        self.num = num
        self.client = client
        self.server = server
        self.records = []  # (dir "C"/"S", token)
        self.messages = []


def parse_tntdump(text):
    conns = []
    cur = None
    bad = []
    for ln in text.splitlines():
        if not ln.strip():
            continue
        m = HDR_RE.match(ln)
        if m:
            cur = TdConn(int(m.group(1)), m.group(2), m.group(3))
            conns.append(cur)
            continue
        if SUMMARY_RE.match(ln):
            continue
        m = LINE_RE.match(ln)
        if not m or cur is None:
            bad.append(ln)
            continue
        d = m.group(3)[0]
        spaces, word = m.group(4), m.group(5)
        if len(spaces) == 1 and CLEARTEXT_RE.match(word + m.group(6)):
            continue
        if len(spaces) == 1:
            # "gap N bytes missing" and "! <note>" lines are stream events, not records
            if word in ("gap", "!"):
                continue
            if word in CONTENT_NAMES:
                cur.records.append((d, CONTENT_NAMES[word]))
            elif word.startswith("content-type-"):
                cur.records.append((d, word[len("content-type-"):]))
            else:
                bad.append(ln)
        elif len(spaces) == 3:
            if word in SSLV2_NAMES:
                cur.messages.append((d, "v2.%d" % SSLV2_NAMES[word]))
            elif word.startswith("sslv2-type-"):
                cur.messages.append((d, "v2." + word[len("sslv2-type-"):]))
            elif word.startswith("handshake-type-"):
                cur.messages.append((d, word[len("handshake-type-"):]))
            elif word in HANDSHAKE_NAMES:
                cur.messages.append((d, str(HANDSHAKE_NAMES[word])))
            else:
                bad.append(ln)
        else:
            bad.append(ln)
    return conns, bad


# SSL 2.0 message names as tntdump prints them, to SSL 2.0 message types.
SSLV2_NAMES = {
    "Error(SSLv2)": 0, "ClientHello(SSLv2)": 1, "ClientMasterKey(SSLv2)": 2,
    "ClientFinished(SSLv2)": 3, "ServerHello(SSLv2)": 4, "ServerVerify(SSLv2)": 5,
    "ServerFinished(SSLv2)": 6, "RequestCertificate(SSLv2)": 7, "ClientCertificate(SSLv2)": 8,
}


# ------------------------------------------------------------------ comparing


def tokens(seq, client):
    return ["%s:%s" % ("C" if src == client else "S", t) for src, t in seq]


def td_tokens(seq):
    return ["%s:%s" % (d, t) for d, t in seq]


def strip_common(a, b):
    """(common prefix length, a's differing middle, b's differing middle)."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    m = 0
    while m < len(a) - n and m < len(b) - n and a[len(a) - 1 - m] == b[len(b) - 1 - m]:
        m += 1
    return n, a[n:len(a) - m], b[n:len(b) - m]


def fmt(toks):
    return " ".join(toks) if toks else "-"


def pair_connections(ts_conns, td_conns):
    """Match tshark streams and tntdump blocks by endpoint pair, in order of appearance."""
    by_key = {}
    for c in ts_conns:
        by_key.setdefault(tuple(sorted(c.eps)), [[], []])[0].append(c)
    for c in td_conns:
        by_key.setdefault(tuple(sorted((c.client, c.server))), [[], []])[1].append(c)
    pairs = []
    for key, (tl, dl) in by_key.items():
        # tshark lists every TCP stream; only those with TLS records take part
        tl_tls = [c for c in tl if c.records]
        # a tntdump block with nothing in it says no more than a missing block
        dl = [c for c in dl if c.records or c.messages] or dl[:0]
        # same 4-tuple reused: if tshark saw TLS in fewer of the streams than tntdump
        # printed blocks but the stream counts agree, pair stream by stream
        if len(tl_tls) != len(dl) and len(tl) == len(dl):
            tl_tls = tl
        for i in range(max(len(tl_tls), len(dl))):
            pairs.append((tl_tls[i] if i < len(tl_tls) else None, dl[i] if i < len(dl) else None))
    pairs.sort(key=lambda p: p[0].first_frame if p[0] else (p[1].num * 1000000))
    return pairs


def compare_capture(rel, ts_conns, td_conns, known, used, out, alt=None):
    """Compare one capture; returns number of unexplained differences.

    alt() gives tshark's streams dissected with tcp.reassemble_out_of_order:TRUE.
    tshark's default treats a segment that arrives before a missing earlier one as
    a retransmission and never dissects the earlier data when it does arrive, while
    out-of-order reassembly stalls for good at a real gap; a difference that
    vanishes under the other setting is tshark's TCP layer, not TLS decoding.
    """
    failures = 0
    for ts, td in pair_connections(ts_conns, td_conns):
        if td is not None:
            client, server = td.client, td.server
        else:
            client = guess_client(ts)
            server = ts.eps[1] if ts.eps[0] == client else ts.eps[0]
        conn = "%s > %s" % (client, server)
        for layer in ("records", "messages"):
            a = tokens(getattr(ts, layer), client) if ts else []
            b = td_tokens(getattr(td, layer)) if td else []
            if a == b:
                continue
            n, am, bm = strip_common(a, b)
            sig = (rel, conn, layer, str(n), fmt(am), fmt(bm))
            if ts is not None and alt is not None:
                alt_ts = alt().get(ts.stream)
                if alt_ts is not None and tokens(getattr(alt_ts, layer), client) == b:
                    out.append("  = tshark out-of-order: %s %s %s @%d: tshark [%s] tntdump [%s] "
                               "(= tshark with tcp.reassemble_out_of_order:TRUE)"
                               % (rel, conn, layer, n, fmt(am), fmt(bm)))
                    continue
            if sig in known:
                used.add(sig)
                out.append("  = known (%s): %s %s %s @%d: tshark [%s] tntdump [%s]"
                           % (known[sig], rel, conn, layer, n, fmt(am), fmt(bm)))
                continue
            failures += 1
            out.append("MISMATCH %s  %s  %s%s" % (rel, conn, layer,
                                                  "" if td else "  (tntdump: no such connection)"
                                                  if ts else "  (tshark: no such connection)"))
            ctx = max(0, n - 3)
            out.append("    common prefix: %d tokens; ...%s" % (n, fmt(a[ctx:n])))
            out.append("    tshark : %s" % fmt(am))
            out.append("    tntdump: %s" % fmt(bm))
            out.append("    tsv: " + "\t".join(sig) + "\tREASON")
    return failures


# ---------------------------------------------------------------------- main


def list_captures():
    caps = []
    for sub in ("made_here", "third_party"):
        top = os.path.join(CORPUS, sub)
        for d, _, files in os.walk(top):
            for f in files:
                if f.endswith((".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz", ".cap")):
                    full = os.path.join(d, f)
                    caps.append(os.path.relpath(full, CORPUS))
    return sorted(caps)


def prepare(rel, tmp):
    """The capture as a file both tools can read: libpcap does not gunzip."""
    src = os.path.join(CORPUS, rel)
    base = os.path.join(tmp, rel.replace(os.sep, "__"))
    if rel.endswith(".gz"):
        plain = base[:-3]
        with gzip.open(src, "rb") as fi, open(plain, "wb") as fo:
            shutil.copyfileobj(fi, fo)
    else:
        plain = src
    return plain


def run_tntdump(tntdump, path):
    """(stdout text, problem or None, tshark-independent exit code)."""
    try:
        p = subprocess.run([tntdump, "-r", path], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return "", "timeout: no exit within %d s" % TIME_LIMIT, None
    except OSError as e:
        return "", "cannot run: %s" % e, None
    err = p.stderr.decode(errors="replace")
    if p.returncode < 0:
        return "", "killed by signal %d; stderr: %s" % (-p.returncode, err[-800:]), p.returncode
    if "Sanitizer" in err or "runtime error:" in err:
        return "", "sanitizer report: %s" % err[-1500:], p.returncode
    if p.returncode not in (0, 1):
        return "", "exit status %d; stderr: %s" % (p.returncode, err[-800:]), p.returncode
    return p.stdout.decode(errors="replace"), None, p.returncode


def main(argv):
    verbose = "-v" in argv
    dump = "--dump-tshark" in argv
    filters = [a for a in argv if not a.startswith("-")]
    if not os.path.isdir(CORPUS):
        print("SKIP: corpus directory %s not found (set TNT_CORPUS)" % CORPUS)
        return SKIP
    if not shutil.which("tshark"):
        print("SKIP: tshark not installed")
        return SKIP
    tntdump = os.environ.get("TNTDUMP") or os.path.join(SRC, "build", "capture", "tntdump")
    if not dump and not os.access(tntdump, os.X_OK):
        print("SKIP: tntdump not found at %s (set TNTDUMP)" % tntdump)
        return SKIP

    decode_as = {}
    for row in load_tsv("decode_as.tsv"):
        decode_as[row[0]] = [a for a in row[1].split(";") if a]
    known = {}
    for row in load_tsv("tshark_errors.tsv"):
        if len(row) != 8 or row[6] not in ("tshark-error", "out-of-scope") or not row[7].strip():
            print("bad line in tshark_errors.tsv (want 8 columns, kind tshark-error|out-of-scope, reason): %r"
                  % row[:7])
            return 1
        known[tuple(row[:6])] = row[6]

    caps = list_captures()
    if filters:
        caps = [c for c in caps if any(f in c for f in filters)]
    if not caps:
        print("SKIP: no captures in %s" % CORPUS)
        return SKIP
    for c in decode_as:
        if not os.path.exists(os.path.join(CORPUS, c)):
            print("decode_as.tsv names a missing capture: %s" % c)
            return 1

    from concurrent.futures import ThreadPoolExecutor

    tmp = tempfile.mkdtemp(prefix="tnt-sweep-")
    used = set()
    failures = 0
    compared = 0
    try:
        def work(rel):
            out = []
            plain = prepare(rel, tmp)
            ts_conns = tshark_sequences(plain, decode_as.get(rel, []))
            if dump:
                for c in ts_conns:
                    if not c.records:
                        continue
                    client = guess_client(c)
                    server = c.eps[1] if c.eps[0] == client else c.eps[0]
                    out.append("%s\t%s > %s\trecords\t%s" % (rel, client, server, fmt(tokens(c.records, client))))
                    out.append("%s\t%s > %s\tmessages\t%s" % (rel, client, server, fmt(tokens(c.messages, client))))
                return rel, 0, out
            text, problem, rc = run_tntdump(tntdump, plain)
            if problem:
                out.append("FAIL %s: tntdump %s" % (rel, problem))
                return rel, 1, out
            if rc == 1:
                tsh = subprocess.run(["tshark", "-n", "-r", plain, "-c", "1"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if tsh.returncode == 0:
                    out.append("FAIL %s: tntdump exit 1 but tshark reads the file" % rel)
                    return rel, 1, out
                return rel, 0, out
            td_conns, bad = parse_tntdump(text)
            nf = 0
            for ln in bad[:5]:
                out.append("FAIL %s: unparsable tntdump line: %r" % (rel, ln))
                nf += 1
            cache = []

            def alt():
                if not cache:
                    cache.append({c.stream: c for c in
                                  tshark_sequences(plain, decode_as.get(rel, []), True)})
                return cache[0]

            nf += compare_capture(rel, ts_conns, td_conns, known, used, out, alt)
            return rel, nf, out

        workers = min(8, os.cpu_count() or 2)
        with ThreadPoolExecutor(max_workers=workers) as ex:
            for rel, nf, out in ex.map(work, caps):
                compared += 1
                failures += nf
                for ln in out:
                    if dump or verbose or not ln.startswith("  = "):
                        print(ln)
                if verbose and not nf and not dump:
                    print("ok   %s" % rel)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if dump:
        return 0
    stale = [k for k in known if k[0] in caps and k not in used]
    for k in sorted(stale):
        print("STALE tshark_errors.tsv entry (difference no longer seen): %s" % "\t".join(k))
    if not filters:
        failures += len(stale)
    kinds = [known[k] for k in used]
    print("%d captures, %d unexplained differences/failures; explained by tshark_errors.tsv: "
          "%d tshark-error, %d out-of-scope" % (compared, failures, kinds.count("tshark-error"),
                                                kinds.count("out-of-scope")))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
