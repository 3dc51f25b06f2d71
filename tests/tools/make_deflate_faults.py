#!/usr/bin/env python3
"""Crafted TLS 1.2 connections with DEFLATE compression faults (issue 12).

Every connection negotiates TLS_RSA_WITH_NULL_SHA (0x0002) with compression
method 1 (DEFLATE, RFC 3749), so that its records are readable without keys:
after ChangeCipherSpec each record is zlib-compressed content followed by a
20-byte (unchecked) MAC, exactly the NULL-cipher layout. One zlib stream per
direction and epoch, Z_SYNC_FLUSH after each record, as OpenSSL writes it.

  1 bomb       C>S: a good record, then one that inflates to 20000 bytes (past
               2^14); S>C: Finished, then a record cut before its flush marker
  2 corrupt    C>S: a record with a reserved DEFLATE block type (invalid); S>C
               healthy, its close_notify still decodes
  3 lzs        both hellos agree on method 64 (LZS, which nobody implements):
               reported once, nothing after ChangeCipherSpec is parsed
  4 healthy    DEFLATE across three records per direction (the second refers
               back to the first), then close_notify both ways
  5 gap        S>C: Finished, then a compressed record lost from the capture
               (a TCP gap), then records that need its history

Usage: make_deflate_faults.py OUT.pcap [FUZZ_SEED_DIR]
With a seed directory, also writes each connection in the conn fuzz harness
format (tests/fuzz/fuzz_conn.c) as deflate-<name>.  Standard library only.
"""

import os
import struct
import sys
import zlib

MAC = b"\x00" * 20


def rec(ctype, body, version=0x0303):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def hs(mtype, body):
    return struct.pack(">B", mtype) + struct.pack(">I", len(body))[1:] + body


def hellos(method, seed):
    cr = bytes((seed + i) & 0xFF for i in range(32))
    sr = bytes((seed * 7 + i) & 0xFF for i in range(32))
    ch = hs(1, b"\x03\x03" + cr + b"\x00" + b"\x00\x02\x00\x02" + bytes([2, method, 0]))
    sh = hs(2, b"\x03\x03" + sr + b"\x00" + b"\x00\x02" + bytes([method]))
    return rec(22, ch, 0x0301), rec(22, sh) + rec(22, hs(14, b""))


class Deflater:
    def __init__(self):
        self.z = zlib.compressobj(6, zlib.DEFLATED, 15)

    def __call__(self, data):
        return self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)


CCS = rec(20, b"\x01")
FIN = hs(20, bytes(range(12)))
CLOSE = b"\x01\x00"


def connections():
    conns = []
    # 1 bomb / truncated
    c, s = Deflater(), Deflater()
    ch, sh = hellos(1, 1)
    s_fin = rec(22, s(FIN) + MAC)
    cut = s(b"HTTP/1.1 200 OK\r\n\r\n" + b"cut short " * 20)[:-6]
    conns.append(("bomb", [
        (0, ch), (1, sh),
        (0, CCS + rec(22, c(FIN) + MAC) + rec(23, c(b"GET / HTTP/1.1\r\n\r\n") + MAC)),
        (1, CCS + s_fin),
        (0, rec(23, c(b"A" * 20000) + MAC) + rec(21, c(CLOSE) + MAC)),
        (1, rec(23, cut + MAC) + rec(21, s(CLOSE) + MAC)),
    ]))
    # 2 corrupt
    c, s = Deflater(), Deflater()
    ch, sh = hellos(1, 2)
    conns.append(("corrupt", [
        (0, ch), (1, sh),
        (0, CCS + rec(22, b"\x78\x9c\x07\x00\x00\xff\xff" + MAC) + rec(21, b"\x01\x00" + MAC)),
        (1, CCS + rec(22, s(FIN) + MAC) + rec(21, s(CLOSE) + MAC)),
    ]))
    # 3 LZS: the content is not DEFLATE at all; nobody can read it.
    ch, sh = hellos(64, 3)
    conns.append(("lzs", [
        (0, ch), (1, sh),
        (0, CCS + rec(22, b"\x14\x00\x00\x0c" + bytes(12) + MAC)),
        (1, CCS + rec(22, b"\x14\x00\x00\x0c" + bytes(12) + MAC) + rec(21, CLOSE + MAC)),
    ]))
    # 4 healthy
    c, s = Deflater(), Deflater()
    ch, sh = hellos(1, 4)
    body = b"<p>row of the healthy DEFLATE connection</p>\n" * 30
    conns.append(("healthy", [
        (0, ch), (1, sh),
        (0, CCS + rec(22, c(FIN) + MAC) + rec(23, c(b"GET /healthy HTTP/1.1\r\n\r\n") + MAC)),
        (1, CCS + rec(22, s(FIN) + MAC) + rec(23, s(body) + MAC) + rec(23, s(body) + MAC)
         + rec(23, s(b"end of healthy response\n") + MAC)),
        (0, rec(21, c(CLOSE) + MAC)),
        (1, rec(21, s(CLOSE) + MAC)),
    ]))
    # 5 gap: the second server record never reaches the capture.
    c, s = Deflater(), Deflater()
    ch, sh = hellos(1, 5)
    s_fin = rec(22, s(FIN) + MAC)
    lost = rec(23, s(body) + MAC)
    conns.append(("gap", [
        (0, ch), (1, sh),
        (0, CCS + rec(22, c(FIN) + MAC) + rec(23, c(b"GET /gap HTTP/1.1\r\n\r\n") + MAC)),
        (1, CCS + s_fin),
        (1, None, len(lost)),
        (1, rec(23, s(body) + MAC) + rec(21, s(CLOSE) + MAC)),
        (0, rec(21, c(CLOSE) + MAC)),
    ]))
    return conns


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = src + dst + struct.pack(">BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack(">H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack(">H", csum(ip)) + ip[12:]
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp


def pcap(conns):
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    t = 1767225600
    cli, srv = bytes([192, 0, 2, 10]), bytes([198, 51, 100, 20])
    for i, (_, segs) in enumerate(conns):
        cport, sport = 40000 + i, 443
        seq = [1000, 5000]
        frames = [
            tcp_frame(cli, srv, cport, sport, seq[0] - 1, 0, 0x02, b""),
            tcp_frame(srv, cli, sport, cport, seq[1] - 1, seq[0], 0x12, b""),
            tcp_frame(cli, srv, cport, sport, seq[0], seq[1], 0x10, b""),
        ]
        for seg in segs:
            d, data = seg[0], seg[1]
            if data is None:  # bytes lost from the capture
                seq[d] += seg[2]
                continue
            for k in range(0, len(data), 1400):
                part = data[k:k + 1400]
                if d == 0:
                    frames.append(tcp_frame(cli, srv, cport, sport, seq[0], seq[1], 0x18, part))
                else:
                    frames.append(tcp_frame(srv, cli, sport, cport, seq[1], seq[0], 0x18, part))
                seq[d] += len(part)
        frames.append(tcp_frame(cli, srv, cport, sport, seq[0], seq[1], 0x11, b""))
        frames.append(tcp_frame(srv, cli, sport, cport, seq[1], seq[0] + 1, 0x11, b""))
        for f in frames:
            t += 1
            out += struct.pack("<IIII", t, 0, len(f), len(f)) + f
    return bytes(out)


def conn_input(segs, flags=1):
    """tests/fuzz/fuzz_conn.c's format: flags, then header byte (bit 0
    direction, bit 2 new packet), 2-byte length, bytes."""
    out = bytearray([flags])
    for seg in segs:
        d, b = seg[0], seg[1]
        if b is None:  # bit 1: a gap of the next 2 bytes' worth
            out += bytes([d | 2]) + struct.pack(">H", seg[2])
            continue
        out += bytes([d | 4]) + struct.pack(">H", len(b)) + b
    return bytes(out)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    conns = connections()
    with open(sys.argv[1], "wb") as f:
        f.write(pcap(conns))
    if len(sys.argv) > 2:
        os.makedirs(sys.argv[2], exist_ok=True)
        for name, segs in conns:
            with open(os.path.join(sys.argv[2], "deflate-" + name), "wb") as f:
                f.write(conn_input(segs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
