#!/usr/bin/env python3
"""Messy versions of a capture, and the verdict facts of tntdump --json.

A capture as a SPAN port, a multi-queue NIC or a busy host records it:
packets of the two directions out of order, a segment after its ACK, a bad
clock. Used by tests/scripts/test_messy_captures.py; standard library only.

  variants(pkts) -> [(name, pkts')]   every case of issue 15's acceptance 1/2
  facts(ndjson)  -> normalised verdicts, violations, proofs, Finished status
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcap_rewrite import read_capture, write_pcap  # noqa: E402,F401


def source(frame):
    """(src ip, src port) of an Ethernet/IPv4/TCP frame, else None."""
    if len(frame) < 38 or frame[12:14] != b'\x08\x00':
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 6 or len(ip) < ihl + 4:
        return None
    return bytes(ip[12:16]), ip[ihl:ihl + 2]


def has_payload(frame):
    if len(frame) < 38 or frame[12:14] != b'\x08\x00':
        return False
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    total = int.from_bytes(ip[2:4], 'big')
    if ip[9] != 6 or len(ip) < ihl + 13:
        return False
    return total - ihl - (ip[ihl + 12] >> 4) * 4 > 0


def flights(pkts):
    """Runs of consecutive packets from one endpoint, as index lists."""
    runs, cur, who = [], [], None
    for i, p in enumerate(pkts):
        s = source(p[3])
        if cur and s != who:
            runs.append(cur)
            cur = []
        cur.append(i)
        who = s
    if cur:
        runs.append(cur)
    return runs


def conn_key(frame):
    if len(frame) < 38 or frame[12:14] != b'\x08\x00':
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    a, b = (bytes(ip[12:16]), ip[ihl:ihl + 2]), (bytes(ip[16:20]), ip[ihl + 2:ihl + 4])
    return min(a, b), max(a, b)


def moved(pkts, i, k):
    """Packet i delivered k packets of its own connection later (None when
    the connection has fewer left): a late segment, not a time machine
    across connections."""
    key = conn_key(pkts[i][3])
    later = [j for j in range(i + 1, len(pkts)) if conn_key(pkts[j][3]) == key]
    if len(later) < k:
        return None
    out = list(pkts)
    p = out.pop(i)
    out.insert(later[k - 1], p)
    return out


def variants(pkts, late=(1, 2, 10)):
    n = len(pkts)
    out = []
    for i in range(n - 1):
        v = list(pkts)
        v[i], v[i + 1] = v[i + 1], v[i]
        cross = source(pkts[i][3]) != source(pkts[i + 1][3])
        out.append(('swap %d-%d%s' % (i + 1, i + 2, ' across' if cross else ''), v))
    for start in (0, 1):
        v = list(pkts)
        for i in range(start, n - 1, 2):
            v[i], v[i + 1] = v[i + 1], v[i]
        out.append(('pairwise from %d' % (start + 1), v))
    for i in range(n):
        if has_payload(pkts[i][3]):
            for k in late:
                v = moved(pkts, i, k)
                if v:
                    out.append(('frame %d %d late' % (i + 1, k), v))
    v = []
    for run in flights(pkts):
        v.extend(pkts[j] for j in reversed(run))
    out.append(('every flight reversed', v))
    for run in flights(pkts):
        if len(run) > 1:
            v = list(pkts)
            v[run[0]:run[-1] + 1] = [pkts[j] for j in reversed(run)]
            out.append(('flight at %d reversed' % (run[0] + 1), v))
        if len(run) > 2:
            v = list(pkts)
            v[run[0]:run[-1] + 1] = [pkts[j] for j in run[1:] + run[:1]]
            out.append(('flight at %d shifted' % (run[0] + 1), v))
    out.append(('bad clock', bad_clock(pkts)))
    return out


def contradict(pkts, i):
    """Packet i (TCP) ACKs the payload of the next packet of the other
    direction as well: with that packet's own ACK of i, no order fits."""
    import struct
    sec, usec, orig, b = pkts[i]
    b = bytearray(b)
    t = 14 + (b[14] & 15) * 4
    for j in range(i + 1, len(pkts)):
        o = pkts[j][3]
        if source(o) != source(pkts[i][3]) and has_payload(o):
            u = 14 + (o[14] & 15) * 4
            seq = struct.unpack('!I', o[u + 4:u + 8])[0]
            total = struct.unpack('!H', o[16:18])[0]
            n = total - (o[14] & 15) * 4 - (o[u + 12] >> 4) * 4
            b[t + 8:t + 12] = struct.pack('!I', (seq + n) & 0xFFFFFFFF)
            out = list(pkts)
            out[i] = (sec, usec, orig, bytes(b))
            return out
    return None


def bad_clock(pkts):
    """Every third packet decades ahead, the one after it decades back."""
    out = []
    for i, (sec, usec, orig, b) in enumerate(pkts):
        if i % 3 == 1:
            sec = (sec + 40 * 365 * 86400) & 0xFFFFFFFF
        elif i % 3 == 2:
            sec = max(sec - 30 * 365 * 86400, 0)
        out.append((sec, usec, orig, b))
    return out


def _hs(h):
    n = h.get('negotiation')
    nf = None
    if n:
        nf = {
            'outcome': n.get('outcome'),
            'trust': n.get('trust_established'),
            'insecure': n.get('insecure'),
            'rounds': [{
                'round': r.get('round'),
                'sender': r.get('sender'),
                'status': r.get('status'),
                'policies': [(p.get('verdict'), p.get('satisfied_in_round')) for p in r.get('policies', [])],
                'credentials': [(c.get('type'), c.get('proof'), c.get('chain')) for c in r.get('credentials', [])],
            } for r in n.get('rounds', [])],
        }
    return {k: h.get(k) for k in ('index', 'kind', 'version', 'cipher_suite', 'resumed', 'finished',
                                  'aborted', 'renegotiation_info')} | {'negotiation': nf}


def facts(text):
    """The verdict facts of NDJSON output, without frames and times."""
    conns = []
    for line in text.splitlines():
        o = json.loads(line)
        if o.get('type') != 'connection':
            continue
        conns.append({
            'version': o.get('version'),
            'handshakes': [_hs(h) for h in o.get('handshakes', [])],
            'violations': sorted((v.get('code'), v.get('severity'), v.get('handshake'), v.get('round'))
                                 for v in o.get('violations', [])),
        })
    return conns


def undetermined_only(orig, got):
    """True when got differs from orig only by verdicts that became unknown."""
    if isinstance(orig, dict) and isinstance(got, dict):
        return orig.keys() == got.keys() and all(undetermined_only(orig[k], got[k]) for k in orig)
    if isinstance(orig, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(orig) == len(got) and all(undetermined_only(a, b) for a, b in zip(orig, got))
    return orig == got or got in ('undetermined', 'unchecked', None)
