#!/usr/bin/env python3
"""Rewrite a capture to exercise TCP reassembly and link-layer decoding.

Reads a classic pcap (either byte order, usec or nsec) or a simple pcapng
(SHB/IDB/EPB/SPB, one link type) and writes a classic pcap (usec).
Python 3 standard library only.

Packet modes (the input must be Ethernet + IPv4 + TCP):
  reorder    swap adjacent data segments of one direction (only pairs that
             are consecutive in the capture, so no ACK separates them)
  duplicate  repeat data segments of one direction right after themselves
  drop       remove the N-th (0-based) data segment of one direction
  ipfrag     split IPv4 packets carrying TCP data into fragments of --size
             payload bytes (--reverse: fragments in reverse order)
Link modes (Ethernet in, IP kept):
  linktype   --to sll | sll2 | null | null-be | loop | vlan | qinq | raw |
             ipv4 | ipv6 | ipv6-ext   (ipv6*: IPv4 rewritten as IPv6;
             ipv6-ext adds Hop-by-Hop and Destination Options headers)

Direction: --dir s2c (from --server-port, default 443) or c2s.
"""
import argparse
import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_NULL = 0
LINKTYPE_LOOP = 108
LINKTYPE_RAW = 101
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_SLL = 113
LINKTYPE_SLL2 = 276


def read_capture(data):
    """Returns (linktype, [(ts_sec, ts_usec, wirelen, bytes)])."""
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\xa1\xb2\xc3\xd4', b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d'):
        e = '<' if magic[0] in (0xd4, 0x4d) else '>'
        nsec = magic in (b'\x4d\x3c\xb2\xa1', b'\xa1\xb2\x3c\x4d')
        linktype = struct.unpack(e + 'I', data[20:24])[0] & 0x0FFFFFFF
        pkts, off = [], 24
        while off + 16 <= len(data):
            sec, frac, incl, orig = struct.unpack(e + 'IIII', data[off:off + 16])
            off += 16
            pkts.append((sec, frac // 1000 if nsec else frac, orig, data[off:off + incl]))
            off += incl
        return linktype, pkts
    if magic == b'\x0a\x0d\x0d\x0a':
        return read_pcapng(data)
    sys.exit('not a pcap or pcapng file')


def read_pcapng(data):
    off, e, linktype, tsresol, pkts = 0, '<', None, [], []
    while off + 12 <= len(data):
        btype = struct.unpack('<I', data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = '<' if data[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
        blen = struct.unpack(e + 'I', data[off + 4:off + 8])[0]
        body = data[off + 8:off + blen - 4]
        if btype == 1:  # IDB
            lt = struct.unpack(e + 'H', body[0:2])[0]
            if linktype is None:
                linktype = lt
            res = 1e6
            o = 8
            while o + 4 <= len(body):
                code, olen = struct.unpack(e + 'HH', body[o:o + 4])
                if code == 0:
                    break
                if code == 9 and olen == 1:
                    v = body[o + 4]
                    res = 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
                o += 4 + ((olen + 3) & ~3)
            tsresol.append(res)
        elif btype == 6:  # EPB
            ifid, hi, lo, incl, orig = struct.unpack(e + 'IIIII', body[:20])
            ts = (hi << 32) | lo
            res = tsresol[ifid]
            sec = int(ts // res)
            usec = int((ts - sec * res) * 1000000 // res)
            pkts.append((sec, usec, orig, body[20:20 + incl]))
        elif btype == 3:  # SPB
            orig = struct.unpack(e + 'I', body[:4])[0]
            pkts.append((0, 0, orig, body[4:4 + orig]))
        off += blen
    return linktype, pkts


def write_pcap(path, linktype, pkts):
    out = [struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype)]
    for sec, usec, orig, b in pkts:
        out.append(struct.pack('<IIII', sec, usec, max(orig, len(b)), len(b)))
        out.append(b)
    with open(path, 'wb') as f:
        f.write(b''.join(out))


def ip_csum(h):
    s = sum(struct.unpack('!%dH' % (len(h) // 2), h))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def tcp_info(frame):
    """(sport, dport, payload_len, ihl, ip_total) for Ethernet/IPv4/TCP, else None."""
    if len(frame) < 34 or frame[12:14] != b'\x08\x00':
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 6:
        return None
    total = struct.unpack('!H', ip[2:4])[0]
    tcp = ip[ihl:]
    doff = (tcp[12] >> 4) * 4
    sport, dport = struct.unpack('!HH', tcp[:4])
    return sport, dport, total - ihl - doff, ihl, total


def data_positions(pkts, direction, server_port):
    pos = []
    for i, p in enumerate(pkts):
        t = tcp_info(p[3])
        if not t or t[2] <= 0:
            continue
        from_server = t[0] == server_port
        if (direction == 's2c') == from_server:
            pos.append(i)
    return pos


def mode_reorder(pkts, a):
    pos = data_positions(pkts, a.dir, a.server_port)
    out = list(pkts)
    swapped, i = 0, 0
    while i + 1 < len(pos) and swapped < a.count:
        p, q = pos[i], pos[i + 1]
        if q == p + 1:
            # keep timestamps in place so time stays monotonic
            out[p] = pkts[p][:2] + pkts[q][2:]
            out[q] = pkts[q][:2] + pkts[p][2:]
            swapped += 1
            i += 2
        else:
            i += 1
    if swapped < a.count:
        sys.exit('only %d swappable pairs' % swapped)
    return out


def mode_duplicate(pkts, a):
    pos = set(data_positions(pkts, a.dir, a.server_port)[::a.every])
    out = []
    for i, p in enumerate(pkts):
        out.append(p)
        if i in pos:
            out.append(p)
    return out


def mode_drop(pkts, a):
    pos = data_positions(pkts, a.dir, a.server_port)
    victim = pos[a.index]
    return [p for i, p in enumerate(pkts) if i != victim]


def mode_ipfrag(pkts, a):
    out = []
    for p in pkts:
        t = tcp_info(p[3])
        if not t or t[2] <= 0:
            out.append(p)
            continue
        eth, ip = p[3][:14], p[3][14:14 + t[4]]
        ihl = t[3]
        hdr, payload = ip[:ihl], ip[ihl:]
        step = a.size - a.size % 8
        frags = []
        for off in range(0, len(payload), step):
            chunk = payload[off:off + step]
            more = off + step < len(payload)
            h = bytearray(hdr)
            struct.pack_into('!H', h, 2, ihl + len(chunk))
            struct.pack_into('!H', h, 6, (0x2000 if more else 0) | (off // 8))
            struct.pack_into('!H', h, 10, 0)
            struct.pack_into('!H', h, 10, ip_csum(bytes(h)))
            b = eth + bytes(h) + chunk
            frags.append((p[0], p[1], len(b), b))
        if a.reverse:
            frags.reverse()
        out.extend(frags)
    return out


def v4_to_v6(ip, ext):
    ihl = (ip[0] & 15) * 4
    total = struct.unpack('!H', ip[2:4])[0]
    src, dst, proto = ip[12:16], ip[16:20], ip[9]
    body = ip[ihl:total]

    def addr(a):
        if a == b'\x7f\x00\x00\x01':
            return b'\x00' * 15 + b'\x01'
        return b'\x20\x01\x0d\xb8' + b'\x00' * 8 + a

    nh = proto
    if ext:
        # Hop-by-Hop (PadN) then Destination Options (PadN, 16 bytes)
        dst_opts = bytes([proto, 1, 1, 12]) + b'\x00' * 12
        hbh = bytes([60, 0, 1, 4]) + b'\x00' * 4
        body = hbh + dst_opts + body
        nh = 0
    hdr = struct.pack('!IHBB', 0x60000000, len(body), nh, 64) + addr(src) + addr(dst)
    if proto == 6:
        # TCP checksum covers a pseudo-header: keep it simple and zero it
        # (tntdump does not verify it).
        tcp_at = len(body) - (total - ihl)
        body = body[:tcp_at + 16] + b'\x00\x00' + body[tcp_at + 18:]
    return hdr + body


def mode_linktype(pkts, a):
    out = []
    lt = {'sll': LINKTYPE_SLL, 'sll2': LINKTYPE_SLL2, 'null': LINKTYPE_NULL,
          'null-be': LINKTYPE_NULL, 'loop': LINKTYPE_LOOP, 'vlan': LINKTYPE_ETHERNET,
          'qinq': LINKTYPE_ETHERNET, 'raw': LINKTYPE_RAW, 'ipv4': LINKTYPE_IPV4,
          'ipv6': LINKTYPE_RAW, 'ipv6-ext': LINKTYPE_RAW}[a.to]
    for sec, usec, orig, f in pkts:
        etype, l3 = f[12:14], f[14:]
        if etype == b'\x08\x00':
            total = struct.unpack('!H', l3[2:4])[0]
            l3 = l3[:total]  # no Ethernet padding in the IP-only link types
        if a.to in ('ipv6', 'ipv6-ext'):
            if etype != b'\x08\x00':
                continue
            l3 = v4_to_v6(l3, a.to == 'ipv6-ext')
            etype = b'\x86\xdd'
        fam6 = etype == b'\x86\xdd'
        if a.to == 'sll':
            b = struct.pack('!HHH', 0, 772, 6) + f[6:12] + b'\x00\x00' + etype + l3
        elif a.to == 'sll2':
            b = etype + b'\x00\x00' + struct.pack('!IHBB', 1, 772, 0, 6) + f[6:12] + b'\x00\x00' + l3
        elif a.to == 'null':
            b = struct.pack('<I', 30 if fam6 else 2) + l3
        elif a.to == 'null-be':
            b = struct.pack('>I', 30 if fam6 else 2) + l3
        elif a.to == 'loop':
            b = struct.pack('>I', 24 if fam6 else 2) + l3
        elif a.to == 'vlan':
            b = f[:12] + b'\x81\x00' + struct.pack('!H', 100) + etype + l3
        elif a.to == 'qinq':
            b = f[:12] + b'\x88\xa8' + struct.pack('!H', 200) + b'\x81\x00' + \
                struct.pack('!H', 100) + etype + l3
        else:
            if etype not in (b'\x08\x00', b'\x86\xdd'):
                continue
            b = l3
        out.append((sec, usec, len(b), b))
    return lt, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('mode', choices=['reorder', 'duplicate', 'drop', 'ipfrag', 'linktype'])
    ap.add_argument('input')
    ap.add_argument('output')
    ap.add_argument('--dir', choices=['s2c', 'c2s'], default='s2c')
    ap.add_argument('--server-port', type=int, default=443)
    ap.add_argument('--count', type=int, default=4, help='reorder: pairs to swap')
    ap.add_argument('--every', type=int, default=3, help='duplicate: every N-th data segment')
    ap.add_argument('--index', type=int, default=10, help='drop: which data segment (0-based)')
    ap.add_argument('--size', type=int, default=512, help='ipfrag: fragment payload size')
    ap.add_argument('--reverse', action='store_true', help='ipfrag: fragments in reverse order')
    ap.add_argument('--to', default='sll2', choices=['sll', 'sll2', 'null', 'null-be', 'loop', 'vlan',
                                                     'qinq', 'raw', 'ipv4', 'ipv6', 'ipv6-ext'])
    a = ap.parse_args()
    with open(a.input, 'rb') as f:
        linktype, pkts = read_capture(f.read())
    if linktype != LINKTYPE_ETHERNET:
        sys.exit('input must be Ethernet (linktype 1), got %s' % linktype)
    if a.mode == 'linktype':
        linktype, pkts = mode_linktype(pkts, a)
    else:
        pkts = {'reorder': mode_reorder, 'duplicate': mode_duplicate, 'drop': mode_drop,
                'ipfrag': mode_ipfrag}[a.mode](pkts, a)
    write_pcap(a.output, linktype, pkts)


if __name__ == '__main__':
    main()
