#!/usr/bin/python3
"""tntdump -w: the connections that carry TLS (--tnt-only: TNT) written to a
new pcapng with their keys in a Decryption Secrets Block.

Round trip: every sample, and all samples plus a capture with connections
that carry no TLS in one run, are written out with their key logs; the
written file read back with no key option must decode the same (text -v and
--json, with frame numbers, connection numbers and file names normalised,
since the packets of other connections are gone). Stock tshark must decrypt
the written file too: it must see as many Finished messages with the file's
own secrets as with the original and its key log.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
DATA = os.environ.get("TNT_TEST_DATA", os.path.join(SRC, "tests", "data"))
SAMPLES = sorted(glob.glob(os.path.join(SRC, "samples", "*.pcapng")))
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def run(args):
    p = subprocess.run([TNTDUMP] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def norm_json(text):
    """Connections in output order, numbered 1.. in that order; no file names
    and no frame numbers (they count the packets of the input file)."""
    objs = [json.loads(l) for l in text.splitlines()]
    conns = [o for o in objs if o["type"] == "connection"]
    renum = {c["conn"]: i + 1 for i, c in enumerate(conns)}

    def walk(v):
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if k in ("file", "frame"):
                    continue
                if k == "conn" and isinstance(x, int):
                    x = renum.get(x, x)
                out[k] = walk(x)
            return out
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            return re.sub(r"\bframe \d+", "frame N", v)
        return v

    return [walk(c) for c in conns]


def norm_text(text):
    out = []
    for line in text.splitlines():
        if line.startswith("== "):
            continue
        line = re.sub(r"^#\d+ ", "#N ", line)
        line = re.sub(r"^ *\d+ ", "F ", line)  # frame column
        line = re.sub(r"frames \d+-\d+", "frames A-B", line)
        line = re.sub(r"\bframe \d+", "frame N", line)
        line = re.sub(r"connection \d+ handshake", "connection C handshake", line)
        out.append(line)
    return out


def keys_for(pcaps):
    args = []
    for p in pcaps:
        k = p[: -len(".pcapng")] + ".keys"
        if os.path.exists(k):
            args += ["-k", k]
    return args


def finished_count(pcap, keylog=None):
    tmp = tempfile.mkdtemp()
    try:
        os.chmod(tmp, 0o755)
        f = os.path.join(tmp, "x.pcapng")
        shutil.copy(pcap, f)
        cmd = ["tshark", "-n", "-r", f, "-Y", "tls.handshake.type == 20", "-T", "fields",
               "-e", "frame.number"]
        if keylog:
            shutil.copy(keylog, os.path.join(tmp, "k"))
            cmd += ["-o", "tls.keylog_file:" + os.path.join(tmp, "k")]
        for x in os.listdir(tmp):
            os.chmod(os.path.join(tmp, x), 0o644)
        if os.geteuid() == 0 and shutil.which("setpriv"):
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                   "HOME=" + tmp] + cmd
        p = subprocess.run(cmd, capture_output=True, text=True)
        return len(p.stdout.split())
    finally:
        shutil.rmtree(tmp)


def round_trip(name, inputs, extra=()):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "w.pcapng")
        base = keys_for(inputs) + [a for i in inputs for a in ("-r", i)] + list(extra)
        rc, j1, err = run(base + ["--json", "-w", out])
        if rc != 0:
            fail("%s: -w run exit %d: %s" % (name, rc, err))
            return None
        rc, j2, err = run(["--json", "-r", out])
        if rc != 0:
            fail("%s: reading the written file: exit %d: %s" % (name, rc, err))
            return None
        a, b = norm_json(j1), norm_json(j2)
        if a != b:
            fail("%s: JSON of the written file differs (%d vs %d connections)" % (name, len(a), len(b)))
        _, t1, _ = run(base + ["-v"])
        _, t2, _ = run(["-v", "-r", out])
        if norm_text(t1) != norm_text(t2):
            fail("%s: text of the written file differs" % name)
            for x, y in zip(norm_text(t1), norm_text(t2)):
                if x != y:
                    print("  <", x, "\n  >", y)
                    break
        written = os.path.join(tmp, "keep.pcapng")
        shutil.copy(out, written)
        return len(a), open(out, "rb").read()


if not os.access(TNTDUMP, os.X_OK):
    print("SKIP: no tntdump")
    sys.exit(77)

for s in SAMPLES:
    r = round_trip(os.path.basename(s), [s])
    if r and r[0] == 0:
        fail("%s: no connection written" % os.path.basename(s))

# All samples and a capture with non-TLS connections in one run: conn numbers
# and frames change, the decoded content must not.
mixed = SAMPLES + [os.path.join(DATA, "reneg-ipv4.pcap")]
r = round_trip("all samples", mixed, ["-k", os.path.join(DATA, "reneg.keys")])
if r:
    print("all samples: %d connections round-tripped" % r[0])

# --tnt-only leaves out the connection that never offered TNT.
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "t.pcapng")
    s = os.path.join(SRC, "samples", "no-tnt-openssl.pcapng")
    c = os.path.join(SRC, "samples", "clinic-tls10.pcapng")
    run(keys_for([s, c]) + ["-r", s, "-r", c, "--tnt-only", "-w", out, "-q"])
    _, t, _ = run(["-q", "-r", out])
    n = len([l for l in t.splitlines() if l.startswith("#")])
    if n != 1:
        fail("--tnt-only: %d connections written, want 1 (clinic-tls10 only)" % n)
    # The written file has a DSB with the key of that one connection only.
    data = open(out, "rb").read()
    if data.count(b"CLIENT_RANDOM") != 2:  # initial handshake + renegotiation
        fail("--tnt-only: want 2 key lines, got %d" % data.count(b"CLIENT_RANDOM"))

# An output that cannot be made fails at once (exit 1), before any output.
rc, out, err = run(["-r", SAMPLES[0], "-w", "/nonexistent-dir/x.pcapng"])
if rc != 1 or out or "cannot create" not in err:
    fail("-w to a bad path: exit %d, %d bytes of output, %r" % (rc, len(out), err))

# Stock tshark decrypts the written file with its embedded secrets alone.
if shutil.which("tshark"):
    for name in ("clinic-tls12-ecdhe-gcm", "clinic-tls10", "resumption"):
        s = os.path.join(SRC, "samples", name + ".pcapng")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "w.pcapng")
            run(["-k", s[:-7] + ".keys", "-r", s, "-w", out, "-q"])
            want = finished_count(s, s[:-7] + ".keys")
            got = finished_count(out)
            if want == 0 or got != want:
                fail("%s: tshark sees %d Finished in the written file, %d in the original with keys"
                     % (name, got, want))
            else:
                print("%s: tshark decrypts %d Finished from the embedded secrets" % (name, got))
else:
    print("tshark not found: tshark check skipped")

sys.exit(1 if failures else 0)
