#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into tests/fuzz/corpus/<harness>/.

Sources: tests/data (handshake messages, key logs, captures), the TNT vectors
of tests/unit/test_tnt_messages.c, the policies of tests/unit/test_dn_expression.c,
and, when present, the made_here captures of the shared corpus (TNT_CORPUS or
/work/shared/corpus). Captures are turned into the conn and record harness
input formats with tshark (per-packet TCP payloads, in capture order).

Usage: tests/fuzz/make_seeds.py [OUTDIR]   (default tests/fuzz/corpus)
The output is deterministic; re-running it replaces the files it writes."""
import glob
import hashlib
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(SRC, "tests", "data")
CORPUS = os.environ.get("TNT_CORPUS", "/work/shared/corpus")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def c_hex_vectors(path):
    """NAME -> bytes for every `static const char NAME[] = "hex" "hex";`."""
    text = open(path).read()
    out = {}
    for m in re.finditer(r'static const char (\w+)\[\] = /\*[^*]*\*/\s*((?:"[0-9a-f]*"\s*)+);', text):
        out[m.group(1)] = bytes.fromhex("".join(re.findall(r'"([0-9a-f]*)"', m.group(2))))
    return out


def c_string_literals(path):
    """Single C string literals (no concatenation) that contain cred( / true / false."""
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', open(path).read()):
        s = m.group(1)
        if "cred(" not in s and s not in ("true", "false"):
            continue
        out.append(s.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    return out


def tcp_payloads(pcap):
    """[(dir, bytes)] per TCP segment with payload; dir 0 = first sender."""
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "tcp.len>0", "-T", "fields", "-e",
                        "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.payload"],
                       capture_output=True, text=True, check=True)
    segs, first = [], None
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) < 3 or not f[2]:
            continue
        src = (f[0], f[1])
        if first is None:
            first = src
        segs.append((0 if src == first else 1, bytes.fromhex(f[2].replace(":", ""))))
    return segs


def tcp_segments_with_gaps(pcap):
    """[(dir, bytes)] like tcp_payloads, plus (dir, None, n) where n stream
    bytes are missing from the capture (a sequence number ahead of the
    bytes seen so far); retransmitted bytes are dropped. First connection
    of the capture only."""
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "tcp.len>0", "-T", "fields", "-e",
                        "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq",
                        "-e", "tcp.payload"],
                       capture_output=True, text=True, check=True)
    segs, first, nxt = [], None, {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) < 5 or not f[4] or f[0] != "0":
            continue
        src = (f[1], f[2])
        if first is None:
            first = src
        d = 0 if src == first else 1
        seq, b = int(f[3]), bytes.fromhex(f[4].replace(":", ""))
        exp = nxt.get(d, seq)
        if seq > exp:
            segs.append((d, None, seq - exp))
        elif seq < exp:
            b = b[exp - seq:]
            seq = exp
        if b:
            segs.append((d, b))
        nxt[d] = max(exp, seq + len(b))
    return segs


def conn_input(segs, flags=1):
    """The conn harness format: flags byte, then per chunk a header byte
    (bit 0 direction, bit 1 gap) and a 2-byte length, then the bytes."""
    out = bytearray([flags])
    for seg in segs:
        d, b = seg[0], seg[1]
        if b is None:
            n = seg[2]
            while n:
                part = min(n, 0xffff)
                out += bytes([d | 2]) + struct.pack(">H", part)
                n -= part
            continue
        while b:
            part, b = b[:0xffff], b[0xffff:]
            out += bytes([d]) + struct.pack(">H", len(part)) + part
    return bytes(out)


# Link types of the packet harness (fuzz_packet.c, dlts[]), by pcap linktype.
PACKET_DLT_INDEX = {1: 0, 12: 1, 0: 2, 108: 3, 113: 4, 228: 5, 229: 6, 276: 7, 101: 8}


def classic_pcap_frames(path):
    """(linktype, [frame bytes]) of a classic pcap file, or None."""
    b = open(path, "rb").read()
    if len(b) < 24:
        return None
    magic = b[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return None
    linktype = struct.unpack(e + "I", b[20:24])[0] & 0xFFFF
    frames, off = [], 24
    while off + 16 <= len(b):
        incl = struct.unpack(e + "I", b[off + 8:off + 12])[0]
        frames.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return linktype, frames


def main():
    # hs_decode: context byte + message.
    #  bits 0-2 version index (0,0x300,0x301,0x302,0x303,...), bit 3 from_server,
    #  bits 4-7 suite index (see fuzz_hs_decode.c).
    ctx_for = {
        "il12-": [0x5c, 0x54], "snet-tls12-dhe-rsa": [0x2c, 0x24], "snet-tls12-rsa": [0x14, 0x1c],
        "snet-ssl3-dhe": [0x29, 0x21], "snet-ssl3": [0x21, 0x29], "snet-tls11": [0x33, 0x3b],
        "snet-tls10-ecdh-anon": [0x7a, 0x72], "arkime-ssl3": [0x11, 0x19], "arkime-tls12": [0x5c, 0x54],
        "made_here": [0x5c, 0x54], "snet-tls10-ecdhe-ecdsa": [0x6a, 0x62], "snet-tls1": [0x5a, 0x52],
    }
    files = sorted(glob.glob(os.path.join(DATA, "handshake", "*.bin")) +
                   glob.glob(os.path.join(DATA, "kx", "*.bin")))
    for f in files:
        base = os.path.basename(f)[:-4]
        ctxs = next((v for k, v in ctx_for.items() if base.startswith(k)), [0x04, 0x0c])
        for c in ctxs:
            put("hs_decode", "%s-%02x" % (base, c), bytes([c]) + open(f, "rb").read())
    vec = c_hex_vectors(os.path.join(SRC, "tests", "unit", "test_tnt_messages.c"))
    for name, b in sorted(vec.items()):
        put("hs_decode", "tnt-%s" % name, bytes([0x04 if name != "P4_TLS10" else 0x02]) + b)

    # tnt: selector byte + message.
    for name, b in sorted(vec.items()):
        if name.startswith("R"):
            for pr in (0, 3):
                put("tnt", "%s-neg-proof%d" % (name, pr), bytes([0x00 | pr << 5]) + b)
        else:
            v = 0x02 if name == "P4_TLS10" else 0x04
            put("tnt", "%s-proof" % name, bytes([0x01 | v << 2]) + b)
    # Negotiations that carry both a policy and credentials that can meet it,
    # so that policy evaluation (and, with anchors, chain verification) runs.
    def u24(n):
        return struct.pack(">I", n)[1:]

    def vec24(b):
        return u24(len(b)) + b

    def neg_parts(m):
        """(round+status, policies vector, credentials vector) of a TNTNegotiation."""
        body = m[4:]
        head, rest = body[:3], body[3:]
        pl = int.from_bytes(rest[:3], "big")
        pols, rest = rest[:3 + pl], rest[3 + pl:]
        return head, pols, rest

    def negotiation(head, pols, creds):
        body = head + pols + creds
        return bytes([224]) + u24(len(body)) + body

    def policy(kind, target, expr):
        return bytes([kind, len(target)]) + target + bytes([1]) + \
            struct.pack(">H", len(expr)) + expr

    mixes = {}
    if all(k in vec for k in ("R1", "R2", "R3", "R4")):
        mixes["R1pol-R4cred"] = negotiation(neg_parts(vec["R1"])[0], neg_parts(vec["R1"])[1],
                                            neg_parts(vec["R4"])[2])
        mixes["R2pol-R3cred"] = negotiation(neg_parts(vec["R2"])[0], neg_parts(vec["R2"])[1],
                                            neg_parts(vec["R3"])[2])
    pki = os.path.join(DATA, "pki")
    if os.path.exists(os.path.join(pki, "physician-ec.der")):
        chain = b"".join(vec24(open(os.path.join(pki, f), "rb").read())
                         for f in ("physician-ec.der", "smb-ca-ec.der"))
        t = b"MedicalLicense"
        cred = bytes([len(t)]) + t + vec24(chain)
        pol = policy(1, t, b'cred("MedicalLicense", issuer.O="State Medical Board", '
                           b'subject.OU="Cardiology") or cred("X", subject.CN="a")')
        mixes["pki-physician"] = negotiation(b"\x00\x02\x00", vec24(pol), vec24(cred))
    for name, m in mixes.items():
        for sel in (0x00, 0x80, 0xe0):
            put("tnt", "%s-%02x" % (name, sel), bytes([sel]) + m)
        put("hs_decode", "tnt-" + name, b"\x04" + m)

    # `tnt` extension bodies (spec section 2): version 1, mode, strategies, languages.
    put("tnt", "ext-negotiate", bytes([0x02]) + bytes.fromhex("ff010009 01 01 02 0102 01 01"))
    put("tnt", "ext-offer", bytes([0x02]) + bytes.fromhex("ff010004 01 00 00 00"))

    # dn_expression: the policies of the unit test and of the TNT vectors.
    lits = c_string_literals(os.path.join(SRC, "tests", "unit", "test_dn_expression.c"))
    for name in ("R1", "R2"):
        b = vec.get(name)
        if b:
            i = b.find(b"cred(")
            j = b.rfind(b")")
            lits.append(b[i:j + 1])
    for s in sorted(set(lits)):
        put("dn_expression", hashlib.sha1(s).hexdigest()[:16], s)

    # keylog: the key logs of tests/data.
    for f in sorted(glob.glob(os.path.join(DATA, "*.keys")) + glob.glob(os.path.join(DATA, "*keylog*")) +
                    glob.glob(os.path.join(DATA, "decrypt-neg", "*.keys")) +
                    glob.glob(os.path.join(DATA, "decrypt-neg", "*sslkeylog"))):
        put("keylog", os.path.basename(f), open(f, "rb").read())

    # conn and record: TCP payloads of small captures with keys.
    caps = [os.path.join(DATA, "reneg.pcapng"), os.path.join(DATA, "illustrated-tls12.pcap"),
            os.path.join(DATA, "decrypt-neg", "cbcpad+client-reneg.pcapng")]
    caps += sorted(glob.glob(os.path.join(CORPUS, "made_here", "*reneg*.pcapng")))
    for cap in caps:
        if not os.path.exists(cap):
            continue
        segs = tcp_payloads(cap)
        base = os.path.basename(cap).rsplit(".", 1)[0]
        put("conn", base, conn_input(segs))
        # Handshake only (first 8 segments), for a shorter seed.
        put("conn", base + "-head", conn_input(segs[:8]))
        # record: one direction's stream, after the 2-byte chunking seed.
        for d in (0, 1):
            stream = b"".join(b for dd, b in segs if dd == d)
            # Mode byte: chunks up to 1500 bytes, alternately without and with gaps.
            put("record", "%s-%d" % (base, d), bytes([d, 0x04 | d]) + stream[:8192])
    # conn: the TNT sample captures (samples/*.pcapng, keys in samples/*.keys,
    # which fuzz_keys.h loads): the clinic negotiations decrypt, so the TNT
    # messages inside the encrypted rehandshakes reach the negotiation model.
    # Capped at 12000 bytes (the suggested -max_len), cut at a chunk boundary.
    def capped(segs, limit=12000):
        out, total = [], 1
        for seg in segs:
            n = 3 + (len(seg[1]) if seg[1] is not None else 0)
            if total + n > limit:
                break
            out.append(seg)
            total += n
        return out

    def drop(segs, d, i, keep=0):
        """segs with direction d's i-th payload (after `keep` bytes) lost."""
        out, k = [], -1
        for seg in segs:
            if seg[0] == d and seg[1] is not None:
                k += 1
                if k == i:
                    if keep:
                        out.append((d, seg[1][:keep]))
                    out.append((d, None, len(seg[1]) - keep))
                    continue
            out.append(seg)
        return out

    samples = os.path.join(SRC, "samples")
    for cap in sorted(glob.glob(os.path.join(samples, "*.pcapng"))):
        base = "sample-" + os.path.basename(cap)[:-7]
        segs = tcp_segments_with_gaps(cap)
        put("conn", base, conn_input(capped(segs)))
        # Two of them with messages kept in the harness's memory (flags bit 3).
        if base in ("sample-clinic-tls12-ecdhe-gcm", "sample-large-chain"):
            put("conn", base + "-keep", conn_input(capped(segs), flags=9))
        # Lost segments inside the encrypted rehandshake: the server's 4th
        # payload (its TNT round 1 after the HelloRequest, in the clinic
        # captures), and the client's 4th (its round 2) with 7 bytes kept,
        # so that decryption resumes mid-record (resync_decrypt) and the
        # reassembler must find a plausible handshake start again.
        put("conn", base + "-gap-s2c", conn_input(capped(drop(segs, 1, 3))))
        put("conn", base + "-gap-c2s", conn_input(capped(drop(segs, 0, 3, keep=7))))
    # The gap of tests/data/large-chain-gap.pcap (a 15268-byte segment of a
    # 32 KB credential lost): the capture as is, without its first 16 KB
    # record's start so that the harness stays under -max_len.
    cap = os.path.join(DATA, "large-chain-gap.pcap")
    if os.path.exists(cap):
        segs = tcp_segments_with_gaps(cap)
        put("conn", "large-chain-gap", conn_input(segs))
        put("conn", "large-chain-gap-cut", conn_input(capped(drop(segs, 1, 5))))

    # conn: DEFLATE record compression faults (a decompression bomb, a cut
    # and a corrupt record, LZS) and a healthy compressed connection, from
    # tests/tools/make_deflate_faults.py (NULL cipher: readable without keys).
    sys.path.insert(0, os.path.join(SRC, "tests", "tools"))
    import make_deflate_faults
    for name, segs in make_deflate_faults.connections():
        put("conn", "deflate-" + name, make_deflate_faults.conn_input(segs))

    # TLS 1.3 (tests/data/tls13: one file per direction, raw records): the
    # client's first record, then the server's flight, then the rest of the
    # client's, which is the order a real connection delivers them in.
    def records(b):
        out = []
        while len(b) >= 5:
            n = 5 + struct.unpack(">H", b[3:5])[0]
            out.append(b[:n])
            b = b[n:]
        return out

    for c2s in sorted(glob.glob(os.path.join(DATA, "tls13", "*.c2s"))):
        s2c = c2s[:-4] + ".s2c"
        if not os.path.exists(s2c):
            continue
        c, s_ = records(open(c2s, "rb").read()), open(s2c, "rb").read()
        base = os.path.basename(c2s)[:-4]
        put("conn", base, conn_input([(0, c[0]), (1, s_[:6000]), (0, b"".join(c[1:])[:2000])]))
        # The server's third record lost: decryption must resume after the
        # gap under TLS 1.3's implicit sequence numbers (resync_decrypt).
        rs = records(s_[:6000])
        if len(rs) > 4:
            put("conn", base + "-gap", conn_input([(0, c[0]), (1, b"".join(rs[:2])),
                                                   (1, None, len(rs[2])), (1, b"".join(rs[3:])),
                                                   (0, b"".join(c[1:])[:2000])]))
        put("record", base, b"\x05\x04" + s_[:8192])

    # packet: classic pcaps of tests/data (one per link type), frames capped
    # so that a seed stays small.
    for f in sorted(glob.glob(os.path.join(DATA, "*.pcap"))):
        r = classic_pcap_frames(f)
        if not r or r[0] not in PACKET_DLT_INDEX:
            continue
        linktype, frames = r
        out, total = bytearray([PACKET_DLT_INDEX[linktype]]), 0
        for fr in frames:
            if total + len(fr) > 12000:
                break
            out += struct.pack(">H", len(fr) & 0x7FFF) + fr[:0x7FFF]
            total += len(fr)
        put("packet", os.path.basename(f)[:-5], bytes(out))

    # A plaintext handshake with the TNT messages of the unit test injected as
    # handshake records after the server's first flight.
    segs = tcp_payloads(os.path.join(DATA, "reneg.pcapng"))
    tnt = b"".join(vec[n] for n in ("R1", "R2", "R3", "P3", "R4", "P4", "R5") if n in vec)
    rec = b""
    while tnt:
        part, tnt = tnt[:16384], tnt[16384:]
        rec += bytes([22, 3, 3]) + struct.pack(">H", len(part)) + part
    put("conn", "reneg-with-tnt-clear", conn_input(segs[:2] + [(1, rec)] + segs[2:]))
    # The same with the policy+credential negotiations and trust anchors on
    # (flags bit 2), both directions.
    for name, m in sorted(mixes.items()):
        r = bytes([22, 3, 3]) + struct.pack(">H", len(m)) + m
        put("conn", "reneg-with-" + name, conn_input(segs[:2] + [(1, r), (0, r)] + segs[2:], flags=5))
    put("record", "tnt-records", b"\x00\x02" + rec)

    # negotiator (fuzz_negotiator.c): selector byte, then items (header byte;
    # bit 0 the other engine's reply, bit 1 no TNTProof, bit 2 all proofs
    # valid; else a u16 length, a TNTNegotiation body, a proof byte per
    # credential). The clinic of spec section 9 (clinic-server.conf against
    # physician-client.conf) as explicit rounds: R1 to the client, R2 to
    # the server, R3 (Accreditation), R4 (MedicalLicense), R5 success.
    def pem_der(path):
        import base64
        t = open(path).read()
        b64 = t.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
        return base64.b64decode("".join(b64.split()))

    def nbody(rnd, status, pols=(), creds=()):
        pv = b"".join(pols)
        cv = b"".join(bytes([len(t)]) + t + vec24(b"".join(vec24(c) for c in chain))
                      for t, chain in creds)
        return struct.pack(">HB", rnd, status) + vec24(pv) + vec24(cv)

    def item(body, proofs=b"", header=0):
        return bytes([header]) + struct.pack(">H", len(body)) + body + proofs

    smb = b'cred("MedicalLicense", issuer.O="State Medical Board")'
    bbb = b'cred("Accreditation", issuer.O="Better Business Bureau")'
    clinic = pem_der(os.path.join(pki, "clinic-rsa.pem"))
    physician = pem_der(os.path.join(pki, "physician-rsa.pem"))
    r1 = nbody(1, 0, [policy(0, b"GET /records/4711", smb)])
    r2 = nbody(2, 0, [policy(1, b"MedicalLicense", bbb)])
    r3 = nbody(3, 0, creds=[(b"Accreditation", [clinic])])
    r4 = nbody(4, 0, creds=[(b"MedicalLicense", [physician])])
    r5 = nbody(5, 1)
    put("negotiator", "clinic-rounds",
        b"\x00" + item(r1) + item(r2) + item(r3, b"\x00") + item(r4, b"\x00") + item(r5))
    # The same with the license's proof invalid, then missing (no TNTProof).
    put("negotiator", "clinic-rounds-proof-invalid",
        b"\x00" + item(r1) + item(r2) + item(r3, b"\x00") + item(r4, b"\x01") + item(r5))
    put("negotiator", "clinic-rounds-no-proof",
        b"\x00" + item(r1) + item(r2) + item(r3, b"\x00") + item(r4, header=2) + item(r5))
    # Out of order (R3 before R2), a client `success`, and the server not
    # started (its round 1 from the input).
    put("negotiator", "clinic-rounds-out-of-order",
        b"\x00" + item(r1) + item(r3, b"\x00") + item(r2) + item(r4, b"\x00"))
    put("negotiator", "clinic-client-success",
        b"\x00" + item(r1) + item(nbody(2, 1)) + item(r3, b"\x00"))
    put("negotiator", "clinic-unstarted",
        b"\x40" + item(r1) + item(r1) + item(r2) + item(r3, b"\x00") + item(r4, b"\x00"))
    # The TNT vectors of the unit test as rounds.
    neg = b"".join(item(vec[k][4:], b"\x00\x01") for k in ("R1", "R2", "R3", "R4", "R5") if k in vec)
    put("negotiator", "tnt-vectors", b"\x00" + neg)
    # The engines against each other, for every pair of configurations
    # (servers x clients of fuzz_negotiator.c), all proofs valid.
    for sv in range(4):
        for cl in range(6):
            put("negotiator", "self-s%d-c%d" % (sv, cl), bytes([sv | cl << 2]) + b"\x05" * 12)
    put("negotiator", "self-unknown-resource", b"\x20" + b"\x05" * 4)
    # The in-memory eager pair (selector bit 7): against each other, with
    # invalid proofs, and the clinic rounds played to it.
    put("negotiator", "self-x", b"\x80" + b"\x05" * 12)
    put("negotiator", "self-x-proofs-invalid", b"\x80" + b"\x01\x01" * 6)
    put("negotiator", "x-clinic-rounds",
        b"\x80" + item(r1) + item(r2) + item(r3, b"\x00"))
    put("negotiator", "self-proofs-invalid", b"\x00" + b"\x01\x01" * 6)

    with open(os.path.join(OUT, "PROVENANCE.md"), "w") as f:
        f.write("""# Seed corpora: provenance

Written by tests/fuzz/make_seeds.py; every seed is derived from files of this repository
(their sources and licences: tests/data/PROVENANCE.md) or of the shared corpus:

- hs_decode: tests/data/handshake/*.bin, tests/data/kx/*.bin (one context byte added), the TNT
  vectors of tests/unit/test_tnt_messages.c, and negotiations recombined from them.
- tnt: the TNT vectors of tests/unit/test_tnt_messages.c, recombined; a negotiation carrying
  tests/data/pki/physician-ec.der and smb-ca-ec.der (project's own test PKI).
- dn_expression: policy strings of tests/unit/test_dn_expression.c and of the TNT vectors.
- keylog: the key logs of tests/data and tests/data/decrypt-neg, unchanged.
- conn, record: TCP payloads (tshark) of tests/data/reneg.pcapng, illustrated-tls12.pcap,
  decrypt-neg/cbcpad+client-reneg.pcapng and the shared corpus's made_here/*reneg*.pcapng
  (project's own captures), and tests/data/tls13/*.c2s/.s2c (ssldump, BSD-style licence),
  reframed into the harness formats.
- conn: also the TNT sample captures samples/*.pcapng (project's own, made by
  samples/make_samples.sh; keys samples/*.keys), whole and with one segment of each direction
  replaced by a gap, tests/data/tls13 with a server record replaced by a gap, and
  tests/data/large-chain-gap.pcap (derived from samples/large-chain.pcapng).
- negotiator: TNTNegotiation rounds of the clinic scenario (spec section 9) built from
  tests/data/pki/clinic-rsa.pem and physician-rsa.pem (project's own test PKI), the TNT vectors
  of tests/unit/test_tnt_messages.c, and selector/header bytes only (engines against each other).
- packet: the frames of the classic pcaps of tests/data (made_here derivatives and
  illustrated-tls12, MIT), reframed.
""")


main()
