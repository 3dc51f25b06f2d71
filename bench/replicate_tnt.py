#!/usr/bin/env python3
"""replicate_tnt.py BASE.pcap N OUT.pcap - replay the TCP connections of BASE.pcap into N.

Connection j of the output is connection (j mod K) of the input (K connections, in order of
their first packet), moved to client port 20000 + j (mod 45000; the client address becomes
127.1.x.y after 45000) and shifted in time so that the connections follow each other. Only
the client port (and address) and the checksums change; the TLS bytes are the input's, so the
input's key log decrypts every copy. Ethernet (dumpcap on lo) or raw IPv4, classic pcap only.
"""
import struct
import sys


def csum_adjust(csum, old_words, new_words):
    # RFC 1624: HC' = ~(~HC + ~m + m') over the changed 16-bit words.
    s = (~csum) & 0xFFFF
    for o, n in zip(old_words, new_words):
        s += (~o) & 0xFFFF
        s += n
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def main():
    src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = open(src, "rb").read()
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1":
        e = "<"
    elif magic == b"\xa1\xb2\xc3\xd4":
        e = ">"
    else:
        sys.exit("classic pcap only (dumpcap -P)")
    linktype = struct.unpack(e + "I", data[20:24])[0]
    l2 = {1: 14, 101: 0, 228: 0}.get(linktype)
    if l2 is None:
        sys.exit("link type %d not handled" % linktype)
    conns = {}  # (client ip, client port) -> list of (ts_us, bytes, client_is_src)
    order = []
    server_ports = set()
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = l2
        if len(pkt) < ip + 20 or pkt[ip] >> 4 != 4 or pkt[ip + 9] != 6:
            continue
        ihl = (pkt[ip] & 15) * 4
        sport, dport = struct.unpack(">HH", pkt[ip + ihl:ip + ihl + 4])
        flags = pkt[ip + ihl + 13]
        if not server_ports and flags & 0x12 == 0x02:
            server_ports.add(dport)
        if dport in server_ports:
            key, cis = (pkt[ip + 12:ip + 16], sport), True
        elif sport in server_ports:
            key, cis = (pkt[ip + 16:ip + 20], dport), False
        else:
            continue
        if key not in conns:
            if not (flags & 0x12 == 0x02):
                continue  # a connection must start with its SYN
            conns[key] = []
            order.append(key)
        conns[key].append((sec * 1000000 + usec, pkt, cis))
    if not order:
        sys.exit("no TCP connection in " + src)
    base = [conns[k] for k in order]
    t0 = base[0][0][0]
    span = max(c[-1][0] - c[0][0] for c in base) + 1000
    with open(dst, "wb") as out:
        out.write(data[:24])
        for j in range(n):
            c = base[j % len(base)]
            start = t0 + j * span
            port = 20000 + j % 45000
            host = j // 45000
            new_ip = bytes([127, 1, host >> 8 & 255, host & 255]) if host else None
            c_start = c[0][0]
            for ts, pkt, cis in c:
                p = bytearray(pkt)
                ip = l2
                ihl = (p[ip] & 15) * 4
                tcp = ip + ihl
                po = tcp if cis else tcp + 2
                old_port = struct.unpack(">H", p[po:po + 2])[0]
                tc = struct.unpack(">H", p[tcp + 16:tcp + 18])[0]
                old_w, new_w = [old_port], [port]
                struct.pack_into(">H", p, po, port)
                if new_ip:
                    ao = ip + 12 if cis else ip + 16
                    old_a = struct.unpack(">HH", p[ao:ao + 4])
                    p[ao:ao + 4] = new_ip
                    new_a = struct.unpack(">HH", p[ao:ao + 4])
                    ic = struct.unpack(">H", p[ip + 10:ip + 12])[0]
                    struct.pack_into(">H", p, ip + 10, csum_adjust(ic, old_a, new_a))
                    old_w += list(old_a)
                    new_w += list(new_a)
                if tc:  # 0: not computed (offloaded); leave it so
                    struct.pack_into(">H", p, tcp + 16, csum_adjust(tc, old_w, new_w))
                t = start + (ts - c_start)
                out.write(struct.pack(e + "IIII", t // 1000000, t % 1000000, len(p), len(p)))
                out.write(p)
    print("%s: %d connections (%d distinct) -> %s" % (src, n, len(base), dst))


if __name__ == "__main__":
    main()
