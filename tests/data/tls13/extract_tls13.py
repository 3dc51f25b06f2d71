#!/usr/bin/env python3
"""Extracts TLS 1.3 test data from a corpus capture, with stock tshark.

For <capture>.pcap (one TCP connection, no loss or retransmission) writes:
  <name>.c2s, <name>.s2c   the TCP payload of each direction, concatenated
                           (the raw TLS record streams)
  <name>.expect            what tshark decrypts with the key log:
                             random <client random hex>
                             <c2s|s2c> <record index> <content type> <hex>
                           one line per record tshark decrypted; the index
                           counts every record of that direction from 0, the
                           type and bytes are tshark's decrypted ones.

usage: extract_tls13.py <capture.pcap> <keylog> <outdir> <name>
"""
import re
import subprocess
import sys


def tshark(*args):
    return subprocess.run(["tshark", *args], check=True, capture_output=True,
                          text=True).stdout


def main():
    pcap, keylog, outdir, name = sys.argv[1:5]
    opt = ["-o", "tls.keylog_file:" + keylog]
    fields = tshark("-r", pcap, *opt, "-T", "fields", "-E", "separator=|",
                    "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.seq",
                    "-e", "tcp.payload", "-e", "tls.record.content_type",
                    "-e", "tls.handshake.random", "-e", "tls.handshake.type")
    dump = tshark("-r", pcap, *opt, "-x")

    # Decrypted TLS blocks per frame, in order. Each frame's dump ends with a
    # blank line; "Frame (N bytes):" only heads it when it has more than one
    # data source, so the blank lines are what separates frames.
    blocks = []
    for chunk in dump.rstrip("\n").split("\n\n"):
        frame = []
        cur = None
        for line in chunk.splitlines():
            if line.startswith("Decrypted TLS ("):
                cur = bytearray()
                frame.append(cur)
            elif re.match(r"^[0-9a-f]{4}  ", line):
                if cur is not None:
                    cur.extend(bytes.fromhex("".join(line[6:6 + 3 * 16].split())))
            else:
                cur = None
        blocks.append(frame)

    client_port = None
    random = None
    streams = {"c2s": bytearray(), "s2c": bytearray()}
    next_seq = {}
    rec_count = {"c2s": 0, "s2c": 0}
    out = []
    lines = fields.splitlines()
    if len(lines) != len(blocks):
        sys.exit("%d frames but %d hex dumps" % (len(lines), len(blocks)))
    for line in lines:
        num, port, seq, payload, ctypes, rnd, hstypes = line.split("|")
        if not payload:
            continue
        if client_port is None:
            client_port = port  # the first data is the ClientHello
        d = "c2s" if port == client_port else "s2c"
        if random is None and "1" in hstypes.split(","):
            random = rnd.split(",")[0]
        seq = int(seq)
        if d in next_seq and seq != next_seq[d]:
            sys.exit("frame %s: gap or retransmission" % num)
        data = bytes.fromhex(payload)
        next_seq[d] = seq + len(data)
        streams[d].extend(data)
        # Records of this frame; the frame must hold whole records.
        recs = []
        off = 0
        while off < len(data):
            if off + 5 > len(data):
                sys.exit("frame %s: record header split" % num)
            ln = int.from_bytes(data[off + 3:off + 5], "big")
            if off + 5 + ln > len(data):
                sys.exit("frame %s: record split across frames" % num)
            recs.append(data[off])
            off += 5 + ln
        types = [int(t) for t in ctypes.split(",")] if ctypes else []
        if len(types) != len(recs):
            sys.exit("frame %s: %d records, tshark saw %d" % (num, len(recs), len(types)))
        dec = blocks[int(num) - 1]
        enc = [k for k, t in enumerate(recs) if t == 23]
        if len(dec) != len(enc):
            sys.exit("frame %s: %d encrypted records, %d decrypted" % (num, len(enc), len(dec)))
        for k, blk in zip(enc, dec):
            out.append("%s %d %d %s" % (d, rec_count[d] + k, types[k], blk.hex()))
        rec_count[d] += len(recs)

    with open("%s/%s.c2s" % (outdir, name), "wb") as f:
        f.write(streams["c2s"])
    with open("%s/%s.s2c" % (outdir, name), "wb") as f:
        f.write(streams["s2c"])
    with open("%s/%s.expect" % (outdir, name), "w") as f:
        f.write("random %s\n" % random)
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
