#!/usr/bin/env python3
"""Flip one byte of a TCP payload in a capture, leaving every other byte alone.

    corrupt_byte.py IN OUT --frame N --offset P [--xor X]

Frame N (1-based, as tshark numbers them) must carry Ethernet + IPv4/IPv6 +
TCP; byte P of its TCP payload is XORed with X (default 0x01).  The file is
patched in place of a copy, so its format (pcap or pcapng, timestamp
resolution, other blocks such as Decryption Secrets Blocks) is kept; TCP and IP
checksums are not updated (the loopback captures this is meant for carry
offloaded, i.e. unchecked, checksums anyway).  Prints the file offset and the
old and new byte, for the provenance record.  Python 3 standard library only.

Typical use: corrupt one ciphertext byte of a TLS record (offset 5 + 8 in a
segment that starts with a TLS 1.2 AES-GCM record = first byte after the
explicit nonce), so that exactly that record fails authentication.
"""
import argparse
import struct
import sys


def frame_offsets(data):
    """[(file offset of packet data, captured length, linktype)] in file order."""
    out = []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        e = "<" if magic[0] in (0xD4, 0x4D) else ">"
        linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
        off = 24
        while off + 16 <= len(data):
            incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            out.append((off + 16, incl, linktype))
            off += 16 + incl
        return out
    if magic != b"\x0a\x0d\x0d\x0a":
        sys.exit("not a pcap or pcapng file")
    off, e, links = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack("<I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
            btype = 0x0A0D0D0A
        btype, blen = struct.unpack(e + "II", data[off:off + 8])
        if btype == 1:
            links.append(struct.unpack(e + "H", data[off + 8:off + 10])[0])
        elif btype == 6:
            ifid, _, _, incl = struct.unpack(e + "IIII", data[off + 8:off + 24])
            out.append((off + 28, incl, links[ifid]))
        elif btype == 3:
            orig = struct.unpack(e + "I", data[off + 8:off + 12])[0]
            out.append((off + 12, min(orig, blen - 16), links[0]))
        if blen < 12:
            sys.exit("bad pcapng block length at %d" % off)
        off += blen
    return out


def tcp_payload_start(frame, linktype):
    """Offset of the TCP payload inside an Ethernet frame, and its length."""
    if linktype != 1:
        sys.exit("only Ethernet frames are supported (linktype %d)" % linktype)
    eth = 14
    etype = struct.unpack("!H", frame[12:14])[0]
    while etype in (0x8100, 0x88A8):
        etype = struct.unpack("!H", frame[eth + 2:eth + 4])[0]
        eth += 4
    if etype == 0x0800:
        ihl = (frame[eth] & 15) * 4
        total = struct.unpack("!H", frame[eth + 2:eth + 4])[0]
        if frame[eth + 9] != 6:
            sys.exit("not TCP")
        tcp = eth + ihl
        end = eth + total
    elif etype == 0x86DD:
        if frame[eth + 6] != 6:
            sys.exit("IPv6 extension headers are not supported")
        tcp = eth + 40
        end = tcp + struct.unpack("!H", frame[eth + 4:eth + 6])[0]
    else:
        sys.exit("not IPv4/IPv6 (ethertype 0x%04x)" % etype)
    start = tcp + (frame[tcp + 12] >> 4) * 4
    return start, end - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--frame", type=int, required=True, help="1-based frame number")
    ap.add_argument("--offset", type=int, required=True, help="byte offset in the TCP payload")
    ap.add_argument("--xor", type=lambda s: int(s, 0), default=1, help="XOR mask (default 0x01)")
    a = ap.parse_args()
    if not 1 <= a.xor <= 255:
        sys.exit("--xor must be 1..255")
    data = bytearray(open(a.input, "rb").read())
    frames = frame_offsets(bytes(data))
    if not 1 <= a.frame <= len(frames):
        sys.exit("frame %d not in capture (%d frames)" % (a.frame, len(frames)))
    foff, incl, linktype = frames[a.frame - 1]
    start, plen = tcp_payload_start(bytes(data[foff:foff + incl]), linktype)
    if not 0 <= a.offset < plen or start + a.offset >= incl:
        sys.exit("offset %d outside the %d-byte TCP payload" % (a.offset, plen))
    pos = foff + start + a.offset
    old = data[pos]
    data[pos] ^= a.xor
    open(a.output, "wb").write(bytes(data))
    print("frame %d: TCP payload byte %d (file offset %d) 0x%02x -> 0x%02x"
          % (a.frame, a.offset, pos, old, data[pos]))


if __name__ == "__main__":
    main()
