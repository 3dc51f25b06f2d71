#!/usr/bin/env python3
"""Concatenate the cleartext handshake messages of the first TLS handshake in a
capture (both directions, in frame order, until each side's ChangeCipherSpec).
usage: extract_hs.py capture out.bin [cert_out.der]"""
import subprocess, sys
rows = subprocess.run(['tshark', '-r', sys.argv[1], '-T', 'fields', '-e', 'frame.number',
                       '-e', 'tcp.srcport', '-e', 'tcp.payload'], capture_output=True, text=True,
                      check=True).stdout.splitlines()
streams, hsbuf, done, out, certs = {}, {}, set(), bytearray(), []
for r in rows:
    f = r.split('\t')
    if len(f) < 3 or not f[2]:
        continue
    d = f[1]
    streams[d] = streams.get(d, b'') + bytes.fromhex(f[2].replace(':', ''))
    buf = streams[d]
    while len(buf) >= 5 and d not in done:
        ln = int.from_bytes(buf[3:5], 'big')
        if len(buf) < 5 + ln:
            break
        ct, body, buf = buf[0], buf[5:5 + ln], buf[5 + ln:]
        if ct == 20:
            done.add(d)
        elif ct == 22:
            hb = hsbuf.get(d, b'') + body
            while len(hb) >= 4 and len(hb) >= 4 + int.from_bytes(hb[1:4], 'big'):
                ml = 4 + int.from_bytes(hb[1:4], 'big')
                msg, hb = hb[:ml], hb[ml:]
                out += msg
                if msg[0] == 11:
                    certs.append(msg[10:10 + int.from_bytes(msg[7:10], 'big')])
            hsbuf[d] = hb
    streams[d] = buf
open(sys.argv[2], 'wb').write(out)
if len(sys.argv) > 3:
    open(sys.argv[3], 'wb').write(certs[0])
print(len(out), 'bytes of handshake messages')
