#!/usr/bin/python3
"""tntdump -l (--line-buffered) on files: each negotiation's verdict comes
as soon as the core settles it, before its connection's block.

For every sample (with its key log) and the tests/data captures that carry
TNT, as text and as NDJSON:
- every handshake that the block shows with a negotiation or a `tnt: resume`
  answer has exactly one verdict line, and it comes BEFORE the block;
- the verdict equals the block's: the text line says what the block's
  "outcome:" (and "reason:") or resume line says, the NDJSON verdict
  object's fields equal the handshake's in the connection object, and it
  passes docs/tntdump.schema.json;
- the frame it names is one of the connection's, not after its last;
- taking the verdict lines out leaves the output without -l, byte for byte
  (so -l adds lines and changes nothing else), and without -l there are none.
The samples must yield verdicts of every kind (success, failure, resume), so
that a -l that printed nothing would fail."""
import glob
import json
import os
import re
import subprocess
import sys

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
DATA = os.environ.get("TNT_TEST_DATA", os.path.join(SRC, "tests", "data"))
if not os.access(TNTDUMP, os.X_OK):
    print("SKIP: no tntdump")
    sys.exit(77)
try:
    import jsonschema
    with open(os.path.join(SRC, "docs", "tntdump.schema.json")) as f:
        validator = jsonschema.Draft202012Validator(json.load(f))
except ImportError:
    validator = None

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def run(args):
    p = subprocess.run([TNTDUMP] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if p.returncode not in (0, 3):
        fail("%s: exit %d: %s" % (args, p.returncode, p.stderr.decode()[-300:]))
    return p.stdout.decode("utf-8")


VERDICT = re.compile(r"^#(\d+) (\S+) > (\S+)  handshake (\d+) verdict at frame (\d+): (.*)$")
HEADER = re.compile(r"^#(\d+) (\S+) > (\S+)  \d{4}-\d\d-\d\d ")
HS = re.compile(r"^  handshake (\d+)[ :(]")


def block_verdicts(lines):
    """handshake -> the verdict text the block shows for it."""
    out = {}
    for i, ln in enumerate(lines):
        m = HS.match(ln)
        if not m:
            continue
        hs = int(m.group(1))
        rest = ln[ln.index(":", len("  handshake")) + 1:].strip()
        if rest.startswith("TNT resume"):
            out[hs] = rest
        elif rest.startswith("TNT negotiation"):
            j = i + 1
            if j < len(lines) and lines[j].startswith("    outcome: "):
                text = lines[j][len("    outcome: "):]
                if j + 1 < len(lines) and lines[j + 1].startswith("    reason: "):
                    text += "; reason: " + lines[j + 1][len("    reason: "):]
                out[hs] = text
    return out


kinds = set()


def check_text(label, args, quiet_of=None):
    """quiet_of: with -q, the verdict lines of the same run without -q, which
    the one-line blocks cannot be checked against (they show no outcome)."""
    plain = run(args)
    lb = run(["-l"] + args)
    lines = lb.splitlines()
    if any(VERDICT.match(l) for l in plain.splitlines()):
        fail("%s: verdict lines without -l" % label)
    kept = [l for l in lines if not VERDICT.match(l)]
    if "\n".join(kept) != plain.rstrip("\n"):
        fail("%s: -l changes more than adding verdict lines" % label)
    pending = {}  # conn -> [(hs, text, frame, line no)]
    n = 0
    for no, ln in enumerate(lines):
        m = VERDICT.match(ln)
        if m:
            pending.setdefault(int(m.group(1)), []).append(
                (int(m.group(4)), m.group(6), int(m.group(5)), no))
            n += 1
            continue
        h = HEADER.match(ln)
        if not h:
            continue
        conn = int(h.group(1))
        # the block: up to the next connection header, verdict or file line
        end = no + 1
        while end < len(lines) and not lines[end].startswith(("#", "== ")):
            end += 1
        got = pending.pop(conn, [])
        if quiet_of is not None:
            continue
        want = block_verdicts(lines[no + 1:end])
        got_hs = [g[0] for g in got]
        if sorted(got_hs) != sorted(want):
            fail("%s: #%d: verdicts for handshakes %s before the block, the block has %s"
                 % (label, conn, got_hs, sorted(want)))
        frames = [int(x.split()[0]) for x in lines[no + 1:end] if re.match(r"^ +\d+ +\d", x)]
        for hs, text, frame, _ in got:
            if hs in want and text != want[hs]:
                fail("%s: #%d handshake %d: early %r, block %r" % (label, conn, hs, text, want[hs]))
            if frames and frame > max(frames):
                fail("%s: #%d: verdict at frame %d, after the last %d" % (label, conn, frame, max(frames)))
            kinds.add(text.split()[0].rstrip(","))
    for conn, got in pending.items():
        fail("%s: #%d: verdict lines without a block after them" % (label, conn))
    early = [l for l in lines if VERDICT.match(l)]
    if quiet_of is not None and early != quiet_of:
        fail("%s: the verdict lines differ from those without -q" % label)
    return early


def check_json(label, args):
    plain = run(["--json"] + args)
    lb = run(["-l", "--json"] + args)
    objs = [json.loads(l) for l in lb.splitlines()]
    kept = [l for l in lb.splitlines() if json.loads(l).get("type") != "verdict"]
    if "\n".join(kept) != plain.rstrip("\n"):
        fail("%s --json: -l changes more than adding verdict objects" % label)
    if any(json.loads(l).get("type") == "verdict" for l in plain.splitlines()):
        fail("%s --json: verdict objects without -l" % label)
    pending = {}
    n = 0
    for o in objs:
        if validator:
            for e in list(validator.iter_errors(o))[:2]:
                fail("%s --json: %s object: %s" % (label, o.get("type"), e.message))
        if o.get("type") == "verdict":
            pending.setdefault(o["conn"], []).append(o)
            n += 1
        elif o.get("type") == "connection":
            got = pending.pop(o["conn"], [])
            hss = {h["index"]: h for h in o["handshakes"]}
            want = sorted(i for i, h in hss.items()
                          if h["negotiation"] is not None or "established_by" in h)
            if sorted(v["handshake"] for v in got) != want:
                fail("%s --json: conn %d: verdicts %s, connection has negotiations %s"
                     % (label, o["conn"], [v["handshake"] for v in got], want))
            for v in got:
                h = hss.get(v["handshake"], {})
                for k in ("client", "server", "file"):
                    if v[k] != o[k]:
                        fail("%s --json: conn %d: verdict %s %r, connection %r" % (label, o["conn"], k, v[k], o[k]))
                for k in ("renegotiation_info", "finished", "aborted", "ended_by_alert",
                          "negotiation", "established_by"):
                    if v.get(k, "-") != h.get(k, "-"):
                        fail("%s --json: conn %d handshake %d: verdict %s differs from the block's:\n  %s\n  %s"
                             % (label, o["conn"], v["handshake"], k, json.dumps(v.get(k))[:300],
                                json.dumps(h.get(k))[:300]))
                if not o["start"] <= v["ts"] <= o["end"]:
                    fail("%s --json: conn %d: verdict time %s outside the connection" % (label, o["conn"], v["ts"]))
    for conn in pending:
        fail("%s --json: conn %d: verdict objects without a connection after them" % (label, conn))
    return n


total = 0
inputs = [(os.path.basename(s), ["-k", s[:-7] + ".keys", "-r", s])
          for s in sorted(glob.glob(os.path.join(SRC, "samples", "*.pcapng")))]
# The whole set as one run (sessions and connection numbers across files),
# and one sample without keys (the negotiation cannot be seen: no verdict).
allkeys = []
for s in sorted(glob.glob(os.path.join(SRC, "samples", "*.pcapng"))):
    allkeys += ["-k", s[:-7] + ".keys"]
inputs.append(("all samples", allkeys + ["-r", os.path.join(SRC, "samples")]))
inputs.append(("-q all samples", ["-q"] + allkeys + ["-r", os.path.join(SRC, "samples")]))
for p in sorted(glob.glob(os.path.join(DATA, "*.pcap*"))):
    inputs.append((os.path.basename(p), ["-r", p] + (["-k", p.rsplit(".", 1)[0] + ".keys"]
                                                      if os.path.exists(p.rsplit(".", 1)[0] + ".keys") else [])))
seen = {}
for label, args in inputs:
    if args[0] == "-q":
        total += len(check_text(label, args, seen[label[3:]]))
        continue
    seen[label] = check_text(label, args)
    total += len(seen[label]) + check_json(label, args)
nokeys = run(["-l", "-r", os.path.join(SRC, "samples", "clinic-tls12-ecdhe-gcm.pcapng")])
if "verdict at frame" in nokeys:
    fail("without keys the encrypted negotiation has a verdict line: %s" % nokeys[:300])
for k in ("success", "failure", "TNT"):
    if k not in kinds:
        fail("no %s verdict on the samples (have %s)" % (k, sorted(kinds)))
print("%d verdicts checked over %d runs; kinds %s" % (total, len(inputs), sorted(kinds)))
sys.exit(1 if failures else 0)
