#!/usr/bin/env python3
"""Independent check of the TNTProofs in samples/ (issue tntpeer).

"Proofs made by tntpeer verify with an independent check in the tests (GnuTLS
verification of the signature over a transcript rebuilt from the capture), and
a corrupted one does not."

Nothing of lib/ or tntdump is used.  The transcript is rebuilt from stock tshark:

  * `tshark -T fields` gives every TCP payload (per connection and direction);
    this script reassembles each direction and splits it into TLS records itself.
  * `tshark -o tls.keylog_file:K -P -x` prints, per frame, a "Decrypted TLS"
    hex dump for each record tshark decrypted in that frame.  A record that is
    sent after the sender's ChangeCipherSpec is encrypted; it takes the next
    decrypted dump of the frame that carries its last byte.  Every dump must be
    used exactly once (else the mapping is wrong and the test fails).
  * Handshake records (type 22) are concatenated per direction and split into
    messages by their 4-byte header (so a message spanning records and TCP
    segments, as in large-chain, comes out whole).  The two directions are
    merged by the frame that completes each message; a handshake starts at each
    ClientHello; HelloRequest is left out (spec section 5).

TNTNegotiation (224) and TNTProof (225) are parsed here from the spec text
(sections 4 and 5).  For every proof entry the owner's certificate (first of the
disclosed chain) and the signature go to tests/tools/proof_check.c, a small
GnuTLS program compiled on the fly, with the transcript from the ClientHello up
to and including the TNTNegotiation being proven.

Checked for every sample in samples/ (EXPECT below, a sample missing from it
fails): the exact list of proofs (connection, handshake, round, credential,
algorithm) and which of them verify; only the server's bit-flipped proof in
proof-invalid must fail, and flipping one bit of it back must make it verify
(so it fails for the corruption, not for a wrongly rebuilt transcript).  The
credentials disclosed without a TNTProof (UNPROVEN: proof-missing round 3).  The
sender of each proof (odd rounds: server).  The transcript length of every proof
against the "over N transcript bytes" line of the signer's log in the sample's
.md.  Negative checks for every valid proof: one bit of the signature flipped,
the message before the proven TNTNegotiation dropped from the transcript, and
the transcript cut by one byte must each make proof_check answer "invalid".
Coverage: a TLS 1.0 (clinic-tls10), an ECDSA P-256 (clinic-ecdsa) and a
multi-record (large-chain) proof must have verified.

Exit: 0 pass, 1 fail, 77 skip (no C compiler, GnuTLS development files,
tshark, or samples).  Python 3 standard library only.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("TNT_SRC") or os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(SRC, "samples")
TOOL_SRC = os.path.join(SRC, "tests", "tools", "proof_check.c")

HT_CLIENT_HELLO, HT_SERVER_HELLO, HT_HELLO_REQUEST = 1, 2, 0
HT_TNT_NEGOTIATION, HT_TNT_PROOF = 224, 225
CT_CCS, CT_HANDSHAKE = 20, 22

PSS256, ECDSA256, TLS10 = "0x0804", "0x0403", "tls1.0"

A, M, E = "Accreditation", "MedicalLicense", "Employment"
CLINIC = [(0, 1, 3, A, PSS256, True), (0, 1, 4, M, PSS256, True)]

# Every sample in samples/ -> its proofs, in capture order:
# (TCP stream, handshake of that connection (0 = initial), round, credential
# type, algorithm, signature verifies).
# Transcript lengths are not fixed here (a regenerated capture may differ by a
# byte or two, e.g. in an ECDSA signature); they are compared with the signer's
# own log in the sample's .md instead.
EXPECT = {
    "client-initiated": CLINIC,
    "client-success": CLINIC,
    "clinic-ecdsa": [(0, 1, 3, A, ECDSA256, True), (0, 1, 4, M, ECDSA256, True)],
    "clinic-tls10": [(0, 1, 3, A, TLS10, True), (0, 1, 4, M, TLS10, True)],
    "clinic-tls12-ecdhe-gcm": CLINIC,
    "clinic-tls12-rsa-cbc": CLINIC,
    "failure-completed": CLINIC,
    "failure-denied": CLINIC,
    "forged-issuer": CLINIC,
    "large-chain": CLINIC,  # 32 KB Accreditation chain: transcripts of ~35 KB
    "no-renegotiation-info": CLINIC,
    "no-tnt-openssl": [],
    # The server's bit-flipped proof; the client then answers failure (no round 4 proof).
    "proof-invalid": [(0, 1, 3, A, PSS256, False)],
    # Round 3 discloses Accreditation without a TNTProof: nothing to verify.
    "proof-missing": [],
    # The second connection resumes (abbreviated handshake): no TNT message in it.
    "resumption": CLINIC,
    "round-out-of-order": [],
    # Negotiation in the initial (plaintext) handshake.
    "sensitive-in-clear": [(0, 0, 3, A, PSS256, True), (0, 0, 4, M, PSS256, True)],
    "tnt-in-clear": [(0, 0, 2, M, PSS256, True)],
    "two-credentials": [(0, 1, 3, A, PSS256, True), (0, 1, 4, M, PSS256, True),
                        (0, 1, 4, E, PSS256, True)],
}

# TNTNegotiations that disclose credentials with no TNTProof after them:
# (TCP stream, handshake, round, credential types).  Only proof-missing has one.
UNPROVEN = {"proof-missing": [(0, 1, 3, (A,))]}

# Proofs checked below must include these forms (the acceptance asks for them).
MUST_COVER = {"clinic-tls10": TLS10, "clinic-ecdsa": ECDSA256, "large-chain": PSS256}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False, **kw)


# ---------------------------------------------------------------- tshark side


def tcp_segments(pcap):
    """[(frame, stream, srcport, dstport, seq, payload bytes)] for frames with payload."""
    r = run(["tshark", "-r", pcap, "-T", "fields", "-E", "separator=\t",
             "-o", "tcp.desegment_tcp_streams:TRUE",
             "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.srcport",
             "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.payload"])
    if r.returncode != 0:
        raise RuntimeError("tshark fields: " + r.stderr.decode(errors="replace"))
    out = []
    for line in r.stdout.decode().splitlines():
        f = line.split("\t")
        if len(f) < 6 or not f[1] or not f[5]:
            continue
        out.append((int(f[0]), int(f[1]), int(f[2]), int(f[3]), int(f[4]),
                    bytes.fromhex(f[5].replace(":", ""))))
    return out


HEX_LINE = re.compile(r"^([0-9a-f]{4,})  ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})")
SOURCE = re.compile(r"^(.+) \((\d+) bytes?\):$")
SUMMARY = re.compile(r"^\s+(\d+) ")


def decrypted_records(pcap, keys):
    """{frame: [plaintext of each record tshark decrypted in that frame, in order]}"""
    r = run(["tshark", "-r", pcap, "-o", "tls.keylog_file:" + keys, "-P", "-x"])
    if r.returncode != 0:
        raise RuntimeError("tshark -x: " + r.stderr.decode(errors="replace"))
    out, frame, cur = {}, None, None
    for line in r.stdout.decode(errors="replace").splitlines():
        m = SOURCE.match(line)
        if m:
            cur = None
            if m.group(1) == "Decrypted TLS":
                cur = [int(m.group(2)), bytearray()]
                out.setdefault(frame, []).append(cur)
            continue
        m = HEX_LINE.match(line)
        if m:
            if cur is not None:
                if int(m.group(1), 16) != len(cur[1]):
                    raise RuntimeError("frame %d: hex dump offsets out of order" % frame)
                cur[1] += bytes.fromhex(m.group(2).replace(" ", ""))
            continue
        m = SUMMARY.match(line)
        if m:
            frame, cur = int(m.group(1)), None
    for fr, srcs in out.items():
        for declared, data in srcs:
            if declared != len(data):
                raise RuntimeError("frame %d: decrypted dump %d != %d bytes" % (fr, len(data), declared))
    return {fr: [bytes(d) for _, d in srcs] for fr, srcs in out.items()}


# ------------------------------------------------------------ own TLS parsing


class Msg:
    def __init__(self, frame, direction, raw):
        self.frame, self.direction, self.raw = frame, direction, raw
        self.type = raw[0]
        self.body = raw[4:]


def direction_messages(segments, decrypted, used):
    """Handshake messages of one direction: [Msg], in order."""
    # Reassemble the byte stream, remembering which frame carried each byte.
    segments = sorted(segments, key=lambda s: s[4])
    stream, owner = bytearray(), []
    base = segments[0][4]
    for frame, _, _, _, seq, payload in segments:
        start = seq - base
        if start < len(stream):  # retransmission: keep the first copy
            payload = payload[len(stream) - start:]
            start = len(stream)
        if start != len(stream):
            raise RuntimeError("TCP gap before frame %d" % frame)
        stream += payload
        owner += [frame] * len(payload)
    msgs, hs_buf, hs_frame_end = [], bytearray(), None
    encrypted = False
    pos = 0
    while pos + 5 <= len(stream):
        ctype = stream[pos]
        length = int.from_bytes(stream[pos + 3:pos + 5], "big")
        if pos + 5 + length > len(stream):
            break
        frame = owner[pos + 5 + length - 1]
        fragment = bytes(stream[pos + 5:pos + 5 + length])
        pos += 5 + length
        if encrypted:
            queue = decrypted.get(frame, [])
            idx = used.get(frame, 0)
            if idx >= len(queue):
                raise RuntimeError("frame %d: encrypted record without tshark plaintext" % frame)
            fragment = queue[idx]
            used[frame] = idx + 1
        if ctype == CT_CCS:
            encrypted = True
        if ctype != CT_HANDSHAKE:
            continue
        hs_buf += fragment
        while len(hs_buf) >= 4:
            mlen = int.from_bytes(hs_buf[1:4], "big")
            if len(hs_buf) < 4 + mlen:
                break
            msgs.append(Msg(frame, None, bytes(hs_buf[:4 + mlen])))
            del hs_buf[:4 + mlen]
    if pos != len(stream):
        raise RuntimeError("trailing partial TLS record in a direction")
    if hs_buf:
        raise RuntimeError("trailing partial handshake message")
    return msgs


def connections(pcap, keys):
    """{stream: [handshake: [Msg]]} with handshakes split at ClientHello."""
    segs = tcp_segments(pcap)
    dec = decrypted_records(pcap, keys)
    used = {}
    conns = {}
    for stream in sorted({s[1] for s in segs}):
        mine = [s for s in segs if s[1] == stream]
        client = (mine[0][2], mine[0][3])  # the client speaks first (ClientHello)
        merged = []
        for d, key in (("client", client), ("server", (client[1], client[0]))):
            part = [s for s in mine if (s[2], s[3]) == key]
            if not part:
                continue
            for i, m in enumerate(direction_messages(part, dec, used)):
                m.direction = d
                merged.append((m.frame, 0 if d == "client" else 1, i, m))
        merged.sort(key=lambda t: t[:3])
        handshakes = []
        for _, _, _, m in merged:
            if m.type == HT_HELLO_REQUEST:
                continue
            if m.type == HT_CLIENT_HELLO:
                handshakes.append([])
            if not handshakes:
                raise RuntimeError("handshake message before any ClientHello")
            handshakes[-1].append(m)
        conns[stream] = handshakes
    for fr, queue in dec.items():
        if used.get(fr, 0) != len(queue):
            raise RuntimeError("frame %s: %d decrypted records, %d mapped to records"
                               % (fr, len(queue), used.get(fr, 0)))
    return conns


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated at %d" % self.pos)
        v = self.data[self.pos:self.pos + n]
        self.pos += n
        return v

    def uint(self, n):
        return int.from_bytes(self.take(n), "big")

    def vec(self, n):
        return self.take(self.uint(n))

    def done(self):
        return self.pos == len(self.data)


def parse_negotiation(body):
    """(round, status, [(type, [cert DER])])  -- spec section 4"""
    r = Reader(body)
    rnd, status = r.uint(2), r.uint(1)
    pol = Reader(r.vec(3))
    while not pol.done():
        pol.uint(1)
        pol.vec(1)
        pol.uint(1)
        pol.vec(2)
    creds = []
    cr = Reader(r.vec(3))
    while not cr.done():
        ctype = cr.vec(1).decode("utf-8")
        chain, ch = [], Reader(cr.vec(3))
        while not ch.done():
            chain.append(ch.vec(3))
        if not chain:
            raise ValueError("empty chain")
        creds.append((ctype, chain))
    if not r.done():
        raise ValueError("bytes after TNTNegotiation")
    return rnd, status, creds


def parse_proof(body, tls12):
    """[(credential_index, algorithm or None, signature)]  -- spec section 5"""
    r = Reader(body)
    out, pr = [], Reader(r.vec(2))
    while not pr.done():
        idx = pr.uint(2)
        alg = pr.uint(2) if tls12 else None
        out.append((idx, alg, pr.vec(2)))
    if not r.done() or not out:
        raise ValueError("malformed TNTProof")
    return out


def server_version(hs):
    for m in hs:
        if m.type == HT_SERVER_HELLO:
            return int.from_bytes(m.body[:2], "big")
    raise ValueError("no ServerHello")


def proofs_of(hs):
    """Every proof entry of one handshake, with what it signs, and the rounds that
    disclose credentials without a TNTProof."""
    version = server_version(hs)
    tls12 = version >= 0x0303
    out, unproven = [], []
    for i, m in enumerate(hs):
        if m.type != HT_TNT_NEGOTIATION:
            continue
        rnd, _, creds = parse_negotiation(m.body)
        if i + 1 >= len(hs) or hs[i + 1].type != HT_TNT_PROOF:
            if creds:
                unproven.append((rnd, tuple(c[0] for c in creds)))
            continue
        entries = parse_proof(hs[i + 1].body, tls12)
        transcript = [x.raw for x in hs[:i + 1]]
        for idx, alg, sig in entries:
            ctype, chain = creds[idx]
            out.append(dict(round=rnd, cred=ctype, cert=chain[0], version=version, alg=alg,
                            sig=sig, transcript=transcript, signer=hs[i + 1].direction,
                            neg_dir=m.direction))
    return out, unproven


# ------------------------------------------------------------------ verifying


class Checker:
    def __init__(self, exe, tmp):
        self.exe, self.tmp, self.n = exe, tmp, 0

    def check(self, cert, version, alg, sig, data):
        self.n += 1
        paths = []
        for name, blob in (("cert", cert), ("sig", sig), ("data", data)):
            p = os.path.join(self.tmp, "%s%d.bin" % (name, self.n))
            with open(p, "wb") as f:
                f.write(blob)
            paths.append(p)
        algs = "-" if alg is None else "0x%04x" % alg
        r = run([self.exe, paths[0], "0x%04x" % version, algs, paths[1], paths[2]])
        for p in paths:
            os.unlink(p)
        if r.returncode not in (0, 1):
            raise RuntimeError("proof_check error: " + r.stderr.decode(errors="replace"))
        return r.returncode == 0


def alg_label(p):
    return TLS10 if p["alg"] is None else "0x%04x" % p["alg"]


LOG_LEN = re.compile(r'tntpeer (client|server):\s+proof for "([^"]+)": .* over (\d+) transcript bytes')


def check_sample(name, checker):
    pcap = os.path.join(SAMPLES, name + ".pcapng")
    keys = os.path.join(SAMPLES, name + ".keys")
    conns = connections(pcap, keys)
    got, lengths, unproven = [], [], []
    for stream, handshakes in conns.items():
        for hs_index, hs in enumerate(handshakes):
            proofs, missing = proofs_of(hs)
            unproven += [(stream, hs_index) + u for u in missing]
            for p in proofs:
                data = b"".join(p["transcript"])
                ok = checker.check(p["cert"], p["version"], p["alg"], p["sig"], data)
                got.append((stream, hs_index, p["round"], p["cred"], alg_label(p), ok))
                lengths.append(len(data))
                # The signer is the side that sent the TNTNegotiation (odd rounds: server).
                want_signer = "server" if p["round"] % 2 else "client"
                if p["signer"] != want_signer or p["neg_dir"] != want_signer:
                    fail("%s: round %d proof sent by %s" % (name, p["round"], p["signer"]))
                if ok:
                    negatives(name, p, data, checker)
                else:
                    one_bit_from_valid(name, p, data, checker)
    want = EXPECT.get(name)
    if want is None:
        fail("%s: sample not in EXPECT" % name)
    elif got != want:
        fail("%s: proofs\n  got  %r\n  want %r" % (name, got, want))
    if unproven != UNPROVEN.get(name, []):
        fail("%s: credentials without proof: got %r, want %r"
             % (name, unproven, UNPROVEN.get(name, [])))
    # The signer's own log states how many bytes it signed.
    with open(os.path.join(SAMPLES, name + ".md"), encoding="utf-8") as f:
        logged = sorted((m.group(1), m.group(2), int(m.group(3))) for m in LOG_LEN.finditer(f.read()))
    rebuilt = sorted(("server" if g[2] % 2 else "client", g[3], n) for g, n in zip(got, lengths))
    if logged != rebuilt:
        fail("%s: transcript lengths differ from the signers' logs\n  log     %r\n  rebuilt %r"
             % (name, logged, rebuilt))
    print("%-24s %d proof(s): %s" % (name, len(got), ", ".join(
        "c%d h%d r%d %s %s %dB %s" % (g[:5] + (n, "valid" if g[5] else "INVALID"))
        for g, n in zip(got, lengths))))
    return got


def negatives(name, p, data, checker):
    where = "%s round %d %s" % (name, p["round"], p["cred"])
    sig = bytearray(p["sig"])
    sig[len(sig) // 2] ^= 0x01
    if checker.check(p["cert"], p["version"], p["alg"], bytes(sig), data):
        fail(where + ": verifies with one signature bit flipped")
    dropped = b"".join(p["transcript"][:-2] + p["transcript"][-1:])
    if checker.check(p["cert"], p["version"], p["alg"], p["sig"], dropped):
        fail(where + ": verifies with one handshake message dropped")
    if checker.check(p["cert"], p["version"], p["alg"], p["sig"], data[:-1]):
        fail(where + ": verifies over a transcript one byte short")


def one_bit_from_valid(name, p, data, checker):
    """The corrupted proof must be a valid one with a single bit flipped: this shows
    that it fails because of the corruption, not because the transcript rebuilt
    here is wrong."""
    sig = bytearray(p["sig"])
    for i in range(len(sig) * 8):
        sig[i // 8] ^= 0x80 >> (i % 8)
        if checker.check(p["cert"], p["version"], p["alg"], bytes(sig), data):
            print("%s round %d %s: valid again with bit %d of the signature flipped back"
                  % (name, p["round"], p["cred"], i))
            return
        sig[i // 8] ^= 0x80 >> (i % 8)
    fail("%s round %d %s: no single-bit change of the signature verifies"
         % (name, p["round"], p["cred"]))


def compile_tool(tmp):
    cc = shlex.split(os.environ.get("CC", "")) or [shutil.which("cc") or shutil.which("gcc") or ""]
    if not shutil.which(cc[0]) or not shutil.which("pkg-config"):
        skip("no C compiler or pkg-config")
    flags = run(["pkg-config", "--cflags", "--libs", "gnutls"])
    if flags.returncode != 0:
        skip("GnuTLS development files not found by pkg-config")
    exe = os.path.join(tmp, "proof_check")
    r = run(cc + ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O1", TOOL_SRC, "-o", exe]
            + flags.stdout.decode().split())
    if r.returncode != 0:
        fail("proof_check.c does not compile:\n" + r.stderr.decode(errors="replace"))
        sys.exit(1)
    return exe


def main():
    if not shutil.which("tshark"):
        skip("tshark not found")
    if not os.path.isfile(TOOL_SRC) or not os.path.isdir(SAMPLES):
        skip("samples/ or tests/tools/proof_check.c missing")
    with tempfile.TemporaryDirectory(prefix="proof-independent-") as tmp:
        checker = Checker(compile_tool(tmp), tmp)
        names = sorted(f[:-7] for f in os.listdir(SAMPLES) if f.endswith(".pcapng"))
        covered = {}
        for name in sorted(set(names) | set(EXPECT)):
            try:
                for g in check_sample(name, checker):
                    if g[5]:
                        covered.setdefault(name, set()).add(g[4])
            except (RuntimeError, ValueError, KeyError, IndexError) as e:
                fail("%s: %s" % (name, e))
        for name, alg in MUST_COVER.items():
            if alg not in covered.get(name, set()):
                fail("%s: no valid %s proof was checked" % (name, alg))
        print("%d proof_check runs" % checker.n)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
