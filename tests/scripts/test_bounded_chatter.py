#!/usr/bin/env python3
"""Issue 15, acceptance 4: bounded chatter.

- a key log of a million bad lines: a few dozen lines on stderr at most,
  with the exact count on stderr and in the JSON summary;
- 200,000 half-open connections (table of 65,536): the 134,464 evictions
  give at most a few dozen lines, with the exact count;
- a connection whose only data is an incomplete first record does not say
  "no TLS" at -vv, and says why."""
import json
import os
import struct
import subprocess
import sys
import tempfile

tntdump = os.environ.get('TNTDUMP')
src = os.environ.get('TNT_SRC') or os.path.join(os.path.dirname(__file__), '..', '..')
if not tntdump or not os.access(tntdump, os.X_OK):
    sys.exit(77)
sys.path.insert(0, os.path.join(src, 'tests', 'tools'))
import pcap_rewrite  # noqa: E402
fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print('FAIL:', what)


def frame(src_ip, dst_ip, sport, dport, seq, ack, flags, payload=b''):
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 0, 0, 64, 6, 0, bytes(src_ip),
                     bytes(dst_ip)) + tcp
    return b'\0' * 12 + b'\x08\x00' + ip


def write_pcap(path, frames):
    """Ethernet frames, a millisecond apart."""
    pcap_rewrite.write_pcap(path, 1, [(1700000000 + i // 1000, i % 1000, len(fr), fr)
                                      for i, fr in enumerate(frames)])


def run(*args):
    return subprocess.run([tntdump, *args], capture_output=True, text=True, timeout=600)


with tempfile.TemporaryDirectory() as tmp:
    sample = os.path.join(src, 'samples', 'clinic-tls12-ecdhe-gcm.pcapng')
    keys = os.path.join(tmp, 'bad.keys')
    with open(keys, 'w') as f:
        for i in range(1000000):
            f.write('CLIENT_RANDOM zz%d nothex\n' % i)
    p = run('--json', '-k', keys, '-r', sample)
    lines = p.stderr.splitlines()
    check(len(lines) <= 40, 'bad key log: %d stderr lines' % len(lines))
    check(any('(1000000 in all)' in l for l in lines), 'bad key log: no exact count on stderr')
    summ = json.loads(p.stdout.splitlines()[-1])
    diag = summ.get('diagnostics', {})
    check(sum(v for k, v in diag.items() if k.startswith('key log')) == 1000000,
          'bad key log: summary diagnostics %r' % diag)

    half = os.path.join(tmp, 'halfopen.pcap')
    write_pcap(half, (frame([10, (i >> 16) & 255, (i >> 8) & 255, i & 255], [10, 255, 0, 1],
                            40000 + i % 20000, 443, 1000, 0, 0x02) for i in range(200000)))
    p = run('-r', half)
    lines = p.stderr.splitlines()
    full = [l for l in lines if 'connection table full' in l]
    check(len(lines) <= 40, 'half-open: %d stderr lines' % len(lines))
    check(any('(134464 in all)' in l for l in full), 'half-open: no exact count: %r' % full[-1:])

    part = os.path.join(tmp, 'partial.pcap')
    c, s = [10, 0, 0, 1], [10, 0, 0, 2]
    rec = b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + b'\x11' * 40
    write_pcap(part, [frame(c, s, 40000, 443, 1000, 0, 0x02),
                      frame(s, c, 443, 40000, 5000, 1001, 0x12),
                      frame(c, s, 40000, 443, 1001, 5001, 0x10),
                      frame(c, s, 40000, 443, 1001, 5001, 0x18, rec)])
    p = run('-vv', '-r', part)
    check('no TLS' not in p.stdout, 'incomplete first record: says "no TLS"')
    check('51 of 517 bytes' in p.stdout, 'incomplete first record: not said: %r' % p.stdout)

print('bounded chatter: %d failed' % fails)
sys.exit(1 if fails else 0)
