#!/usr/bin/env python3
"""Issue 15, acceptance 1 and 2: verdicts never caused by the capture.

Over every sample in samples/: adjacent packets swapped (within and across
directions), pairwise swaps, every data packet delivered 1, 2 and 10
packets late (after its ACK), each flight reversed and shifted, and
timestamps jumping decades forward and back. Each case must give the same
negotiation verdicts, violations, proof results and Finished status as the
original capture (tests/tools/messy_capture.py: facts), or, where the order
cannot be recovered, verdicts that are undetermined -- never a false one.
TNT_MESSY_SAMPLES=a,b limits the samples (for debugging)."""
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

src = os.environ.get('TNT_SRC') or os.path.join(os.path.dirname(__file__), '..', '..')
tntdump = os.environ.get('TNTDUMP')
if not tntdump or not os.access(tntdump, os.X_OK):
    sys.exit(77)
sys.path.insert(0, os.path.join(src, 'tests', 'tools'))
import messy_capture as mc  # noqa: E402

samples = os.path.join(src, 'samples')
names = sorted(f[:-7] for f in os.listdir(samples) if f.endswith('.pcapng'))
only = os.environ.get('TNT_MESSY_SAMPLES')
if only:
    names = [n for n in names if n in only.split(',')]


def run(path, keys):
    args = [tntdump, '--json', '-r', path]
    if os.path.exists(keys):
        args += ['-k', keys]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if p.returncode not in (0, 2):
        raise RuntimeError('%s: exit %d: %s' % (path, p.returncode, p.stderr[:300]))
    return mc.facts(p.stdout), p.stderr


cases = same = undet = 0
bad = []
with tempfile.TemporaryDirectory() as tmp:
    for name in names:
        keys = os.path.join(samples, name + '.keys')
        with open(os.path.join(samples, name + '.pcapng'), 'rb') as f:
            lt, pkts = mc.read_capture(f.read())
        clean = os.path.join(tmp, name + '.pcap')
        mc.write_pcap(clean, lt, pkts)
        want, _ = run(clean, keys)

        def one(job):
            i, (label, v) = job
            path = os.path.join(tmp, '%s.%d.pcap' % (name, i))
            mc.write_pcap(path, lt, v)
            got, err = run(path, keys)
            os.unlink(path)
            return label, got, err

        with ThreadPoolExecutor(2) as ex:
            for label, got, err in ex.map(one, enumerate(mc.variants(pkts))):
                cases += 1
                if got == want:
                    same += 1
                elif mc.undetermined_only(want, got):
                    undet += 1
                else:
                    bad.append((name, label, want, got))
                if label == 'bad clock' and err.count('timestamps ') != 1:
                    bad.append((name, label + ': the clock not said once', err, ''))

# STARTTLS (IMAP, POP3, SMTP, ...) with a bad clock: every third packet
# decades ahead, the next decades back. Used to be "no TLS" everywhere.
legacy = os.path.join(src, 'tests', 'data', 'legacy')
clock = 0
for f in sorted(os.listdir(legacy)) if os.path.isdir(legacy) and not only else []:
    if not (f.startswith('starttls-') and f.endswith('.pcap')):
        continue
    keys = os.path.join(legacy, f[:-5] + '.keys')
    with open(os.path.join(legacy, f), 'rb') as fh:
        lt, pkts = mc.read_capture(fh.read())
    with tempfile.TemporaryDirectory() as tmp:
        a_, b_ = os.path.join(tmp, 'a.pcap'), os.path.join(tmp, 'b.pcap')
        mc.write_pcap(a_, lt, pkts)
        mc.write_pcap(b_, lt, mc.bad_clock(pkts))
        want, _ = run(a_, keys)
        got, err = run(b_, keys)
    cases += 1
    clock += 1
    if got != want or not want:
        bad.append((f, 'bad clock', want, got))
    elif err.count('timestamps ') != 1:
        bad.append((f, 'bad clock: the clock not said once', err, ''))
    else:
        same += 1

# Contradicting ACKs (the clinic's frame 15 ACKs frame 16, which ACKs it):
# the order is unknown, so verdicts that depend on it must be undetermined,
# never false, and that is said.
if not only or 'clinic-tls12-ecdhe-gcm' in names:
    name = 'clinic-tls12-ecdhe-gcm'
    keys = os.path.join(samples, name + '.keys')
    with open(os.path.join(samples, name + '.pcapng'), 'rb') as fh:
        lt, pkts = mc.read_capture(fh.read())
    with tempfile.TemporaryDirectory() as tmp:
        a_, b_ = os.path.join(tmp, 'a.pcap'), os.path.join(tmp, 'b.pcap')
        mc.write_pcap(a_, lt, pkts)
        mc.write_pcap(b_, lt, mc.contradict(pkts, 14))
        want, _ = run(a_, keys)
        got, err = run(b_, keys)
    cases += 1
    if got == want:
        same += 1
    elif mc.undetermined_only(want, got) and 'contradict' in err:
        undet += 1
    else:
        bad.append((name, 'contradicting ACKs at frame 15', want, got))

print('%d STARTTLS captures with a bad clock' % clock)
print('%d samples, %d cases: %d identical, %d undetermined, %d false' %
      (len(names), cases, same, undet, len(bad)))
for name, label, want, got in bad[:20]:
    print('FAIL %s: %s' % (name, label))
    if os.environ.get('TNT_MESSY_VERBOSE'):
        print('  want', want)
        print('  got ', got)
sys.exit(1 if bad else 0)
