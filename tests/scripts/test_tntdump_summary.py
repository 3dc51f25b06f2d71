#!/usr/bin/python3
"""tntdump --summary: the totals of a run, checked against the connection
objects of the same run's --json output, recounted here independently.

Also: without --summary, --json's summary object is unchanged and its
fields agree with the --summary one; the text summary shows the same
numbers; the numbers on the samples are the ones expected (so that a
summary that counted nothing would fail)."""
import collections
import glob
import json
import os
import subprocess
import sys

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
DATA = os.environ.get("TNT_TEST_DATA", os.path.join(SRC, "tests", "data"))
if not os.access(TNTDUMP, os.X_OK):
    print("SKIP: no tntdump")
    sys.exit(77)
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


samples = sorted(glob.glob(os.path.join(SRC, "samples", "*.pcapng")))
args = []
for s in samples:
    args += ["-k", s[:-7] + ".keys"]
# And a classic pcap of another link type, as a second input after a directory.
args += ["-k", os.path.join(DATA, "reneg.keys"), "-r", os.path.join(SRC, "samples"),
         "-r", os.path.join(DATA, "reneg-ipv4.pcap")]


def run(extra):
    p = subprocess.run([TNTDUMP] + args + extra, capture_output=True, text=True)
    if p.returncode != 0:
        fail("exit %d: %s" % (p.returncode, p.stderr))
    return p.stdout


lines = [json.loads(l) for l in run(["--json", "--summary"]).splitlines()]
conns = [o for o in lines if o["type"] == "connection"]
summ = lines[-1]
assert summ["type"] == "summary"

want = {"connections": len(conns), "handshakes": 0, "negotiations": 0, "trust_established": 0}
outcomes = collections.Counter({"success": 0, "failure": 0, "incomplete": 0})
kinds = collections.Counter({"initial": 0, "renegotiation": 0, "resumption": 0})
versions, suites, rounds, creds, reasons, viols = (collections.Counter() for _ in range(6))
for c in conns:
    if c["version"]:
        versions[c["version"]] += 1
    for h in c["handshakes"]:
        want["handshakes"] += 1
        kinds[h["kind"]] += 1
        if h["cipher_suite"]:
            suites[h["cipher_suite"]] += 1
        n = h["negotiation"]
        if not n:
            continue
        want["negotiations"] += 1
        outcomes[n["outcome"]] += 1
        want["trust_established"] += n["trust_established"]
        rounds[str(len(n["rounds"]))] += 1
        for r in n["rounds"]:
            for cr in r["credentials"]:
                creds[cr["type"]] += 1
        if n["outcome"] == "failure":
            reasons[n["reason"] or "(no reason given)"] += 1
    for v in c["violations"]:
        viols[v["code"]] += 1


def top(counter, field):
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:10]
    return [{field: k, "count": n} for k, n in items]


for k, v in want.items():
    if summ[k] != v:
        fail("%s: summary %s, connections say %s" % (k, summ[k], v))
checks = [("outcomes", dict(outcomes)), ("handshake_kinds", dict(kinds)),
          ("versions", dict(versions)), ("cipher_suites", dict(suites)),
          ("round_counts", dict(rounds)), ("violations", dict(viols)),
          ("credential_types", top(creds, "type")), ("failure_reasons", top(reasons, "reason"))]
for k, v in checks:
    if summ[k] != v:
        fail("%s: summary %s, connections say %s" % (k, summ[k], v))

# The samples' numbers, looked at by eye (samples/*.md say what each shows).
expect = {"connections": 21, "tcp_connections": 21, "negotiations": 18,
          "outcomes": {"success": 11, "failure": 7, "incomplete": 0}, "trust_established": 11,
          "round_counts": {"1": 1, "3": 1, "4": 3, "5": 13}}
for k, v in expect.items():
    if summ[k] != v:
        fail("samples: %s is %s, expected %s" % (k, summ[k], v))
if summ["credential_types"][0] != {"type": "Accreditation", "count": 16}:
    fail("most disclosed credential: %s" % summ["credential_types"][:1])

# Plain --json keeps its summary object; its fields agree.
plain = json.loads(run(["--json"]).splitlines()[-1])
for k, v in plain.items():
    if summ[k] != v:
        fail("--json summary %s=%s, --summary says %s" % (k, v, summ[k]))
if "tcp_connections" in plain:
    fail("--json without --summary grew a field")

# The text summary: the same numbers.
text = run(["-q", "--summary"])
tail = text[text.index("== summary of 20 inputs"):] if "== summary of 20 inputs" in text else ""
if not tail:
    fail("text summary header missing")
for needle in ["connections: %d with TLS (of %d TCP)" % (len(conns), summ["tcp_connections"]),
               "negotiations: 18 (success 11, failure 7, incomplete 0), trust established 11",
               "handshakes: %d (initial %d, renegotiations %d, resumptions %d)"
               % (want["handshakes"], kinds["initial"], kinds["renegotiation"], kinds["resumption"]),
               "      13  5 rounds", "      16  Accreditation", "       2  tnt-in-clear"]:
    if needle not in tail:
        fail("text summary lacks %r" % needle)
try:
    import jsonschema
    with open(os.path.join(SRC, "docs", "tntdump.schema.json")) as f:
        schema = json.load(f)
    v = jsonschema.Draft202012Validator(schema)
    for o in lines:
        for e in v.iter_errors(o):
            fail("schema: %s" % e.message)
            break
except ImportError:
    print("python3-jsonschema absent: schema check skipped")
print("summary of %d connections checked" % len(conns))
sys.exit(1 if failures else 0)
