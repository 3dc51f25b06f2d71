#!/usr/bin/env python3
"""Writes a sparse pcapng file just over 4 GiB (a few MiB on disk) whose block
offsets pass 2^32: the input of finding F2 (capture/pcapng_dsb.c kept block
offsets in 32 bits; past 4 GiB its madvise(MADV_DONTNEED) window ran beyond
the mapping and tntdump crashed). Not a fuzz input (too large to keep); run
    tests/fuzz/tools/make_big_pcapng.py /tmp/big.pcapng && tntdump -q -r /tmp/big.pcapng
and expect exit status 0 (no packets, no crash).

Layout: SHB, IDB, 2048 blocks of 4 KiB (so the unmap window has moved), one
block just large enough that the next block starts past 4 GiB, 3000 small
blocks. Block type 0xBAD is unknown to every reader and skipped."""
import struct
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "big4g.pcapng"
with open(path, "wb") as f:
    f.write(struct.pack("<IIIHHqI", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28))
    f.write(struct.pack("<IIHHII", 1, 20, 1, 0, 0, 20))
    pos = 48

    def block(length):
        global pos
        f.seek(pos)
        f.write(struct.pack("<II", 0x00000BAD, length))
        f.seek(pos + length - 4)
        f.write(struct.pack("<I", length))
        pos += length

    for _ in range(2048):
        block(4096)
    block(((1 << 32) - pos + 64) & ~3)
    for _ in range(3000):
        block(12)
print(path, pos, "bytes")
