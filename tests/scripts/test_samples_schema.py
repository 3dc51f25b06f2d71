#!/usr/bin/python3
"""tntdump --json over samples/ against docs/tntdump.schema.json.

Every line that tntdump writes for every sample capture (with its key log),
and for all samples in one run, must be one JSON object that the schema
accepts. The run must succeed, a summary object must end it, and the
summary's counts must agree with the connection objects before it. A
hand-broken object checks that the validator really rejects things.
"""
import collections
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(77)

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
SAMPLES = os.path.join(SRC, "samples")

if not os.access(TNTDUMP, os.X_OK):
    print("SKIP: no tntdump at %s" % TNTDUMP)
    sys.exit(77)

with open(os.path.join(SRC, "docs", "tntdump.schema.json")) as f:
    schema = json.load(f)
validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
validator_class.check_schema(schema)
validator = validator_class(schema)

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def run(args, label):
    """Validates every line of `tntdump --json ARGS` run from samples/."""
    p = subprocess.run([TNTDUMP, "--json"] + args, cwd=SAMPLES, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0:
        fail("%s: exit status %d: %s" % (label, p.returncode, p.stderr.decode()[-300:]))
    lines = p.stdout.decode("utf-8").splitlines()
    if not lines:
        fail("%s: no output" % label)
        return 0
    conns = 0
    handshakes = 0
    negotiations = 0
    outcomes = collections.Counter()
    trust = 0
    codes = collections.Counter()
    for i, ln in enumerate(lines):
        try:
            obj = json.loads(ln)
        except ValueError as e:
            fail("%s: line %d is not JSON: %s" % (label, i + 1, e))
            continue
        errs = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        for e in errs[:3]:
            fail("%s: line %d: %s at %s" % (label, i + 1, e.message, "/".join(map(str, e.path))))
        if obj.get("type") != "connection":
            continue
        conns += 1
        for h in obj.get("handshakes", []):
            handshakes += 1
            n = h.get("negotiation")
            if n:
                negotiations += 1
                outcomes[n.get("outcome")] += 1
                trust += 1 if n.get("trust_established") else 0
        for v in obj.get("violations", []):
            codes[v.get("code")] += 1
    try:
        last = json.loads(lines[-1])
    except ValueError:
        return len(lines)
    if last.get("type") != "summary":
        fail("%s: the last line is not the summary" % label)
        return len(lines)
    want = {
        "connections": conns,
        "handshakes": handshakes,
        "negotiations": negotiations,
        "trust_established": trust,
        "outcomes": {k: outcomes.get(k, 0) for k in ("success", "failure", "incomplete")},
        "violations": dict(codes),
    }
    for key, value in want.items():
        if last.get(key) != value:
            fail("%s: summary %s is %s, the connection objects give %s" % (label, key, json.dumps(last.get(key)),
                                                                           json.dumps(value)))
    return len(lines)


# The validator must reject a broken object (a test that cannot fail is no test).
bad = {"type": "connection", "file": "x", "conn": 0, "client": "a", "server": "b", "start": 0,
       "end": 0, "handshakes": [], "violations": [{"code": "no-such-code"}], "gaps": []}
if not list(validator.iter_errors(bad)):
    fail("the schema accepts a connection with conn 0 and an unknown violation code")

names = sorted(os.path.basename(p)[:-len(".pcapng")] for p in glob.glob(os.path.join(SAMPLES, "*.pcapng")))
if not names:
    print("SKIP: no samples in %s" % SAMPLES)
    sys.exit(77)

n = 0
for name in names:
    n += run(["-r", name + ".pcapng", "-k", name + ".keys"], name)
every = []
for name in names:
    every += ["-k", name + ".keys"]
for name in names:
    every += ["-r", name + ".pcapng"]
n += run(every, "all %d samples in one run" % len(names))

print("%d samples, %d lines validated, %d failures" % (len(names), n, failures))
sys.exit(1 if failures else 0)
