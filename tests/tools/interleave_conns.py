#!/usr/bin/env python3
"""Copies of a capture's TCP connections, running at the same time.

interleave_conns.py IN.pcap N STEP_US OUT.pcap

Each of the N copies of IN's connections gets client ports of its own
(checksums adjusted) and starts STEP_US microseconds after the previous
copy; the packets of all copies are then written in time order. With a
small step the copies' packets interleave, so a run that analyses
connections on several threads has many open at once, and copies of a
resumption find sessions with the same ID made by other copies: what the
run-wide session store answers then depends on the order of the inputs.
Classic pcap in (dumpcap -P, editcap -F pcap), Ethernet/raw IPv4, TCP.
"""
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 3)[0] + "/bench")
from replicate_tnt import csum_adjust  # noqa: E402


def main():
    src, n, step, dst = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    data = open(src, "rb").read()
    e = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">"}.get(data[:4])
    if not e:
        sys.exit("classic pcap (microseconds) only")
    l2 = {1: 14, 101: 0, 228: 0}.get(struct.unpack(e + "I", data[20:24])[0])
    if l2 is None:
        sys.exit("link type not handled")
    pkts = []
    off = 24
    while off + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack(e + "IIII", data[off:off + 16])
        pkts.append((sec * 1000000 + usec, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    # The server port: the destination of the first SYN.
    server = None
    for _, p in pkts:
        ihl = (p[l2] & 15) * 4
        if p[l2] >> 4 == 4 and p[l2 + 9] == 6 and p[l2 + ihl + 13] & 0x12 == 0x02:
            server = struct.unpack(">H", p[l2 + ihl + 2:l2 + ihl + 4])[0]
            break
    if server is None:
        sys.exit("no SYN in " + src)
    out = []
    for j in range(n):
        for ts, pkt in pkts:
            p = bytearray(pkt)
            if p[l2] >> 4 != 4 or p[l2 + 9] != 6:
                continue
            ihl = (p[l2] & 15) * 4
            tcp = l2 + ihl
            sport, dport = struct.unpack(">HH", p[tcp:tcp + 4])
            po = tcp if dport == server else tcp + 2
            old = sport if dport == server else dport
            new = (old + 7919 * (j + 1)) % 50000 + 10000
            struct.pack_into(">H", p, po, new)
            tc = struct.unpack(">H", p[tcp + 16:tcp + 18])[0]
            if tc:
                struct.pack_into(">H", p, tcp + 16, csum_adjust(tc, [old], [new]))
            out.append((ts + j * step, j, len(out), bytes(p)))
    out.sort()
    with open(dst, "wb") as f:
        f.write(data[:24])
        for ts, _, _, p in out:
            f.write(struct.pack(e + "IIII", ts // 1000000, ts % 1000000, len(p), len(p)))
            f.write(p)
    print("%s: %d copies, %d packets -> %s" % (src, n, len(out), dst))


if __name__ == "__main__":
    main()
