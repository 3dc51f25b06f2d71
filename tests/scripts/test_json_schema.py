#!/usr/bin/python3
"""tntdump --json against docs/tntdump.schema.json.

Every line of output must be one JSON object that the schema accepts, for
the bundled test captures (with their keys) and, where the corpus is present,
for every capture of it. A summary object ends every run, and its counts
agree with the connection objects before it. A check on a hand-broken object
makes sure the validator really rejects things.
"""
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
DATA = os.environ.get("TNT_TEST_DATA", os.path.join(SRC, "tests", "data"))
CORPUS = os.environ.get("TNT_CORPUS", os.path.join(SRC, "..", "shared", "corpus"))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))

with open(os.path.join(SRC, "docs", "tntdump.schema.json")) as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)

failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def run(args, label):
    p = subprocess.run([TNTDUMP, "--json"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    if p.returncode not in (0, 3):
        fail("%s: exit status %d: %s" % (label, p.returncode, p.stderr.decode()[-300:]))
        return 0
    lines = p.stdout.decode("utf-8").splitlines()
    if not lines:
        fail("%s: no output" % label)
        return 0
    conns = 0
    for i, ln in enumerate(lines):
        try:
            obj = json.loads(ln)
        except ValueError as e:
            fail("%s: line %d is not JSON: %s" % (label, i + 1, e))
            continue
        errs = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
        for e in errs[:3]:
            fail("%s: line %d: %s at %s" % (label, i + 1, e.message, "/".join(map(str, e.path))))
        if obj.get("type") == "connection":
            conns += 1
    last = json.loads(lines[-1])
    if last.get("type") != "summary":
        fail("%s: the last line is not the summary" % label)
    elif last.get("connections") != conns:
        fail("%s: summary says %s connections, %d were written" % (label, last.get("connections"), conns))
    return len(lines)


# The validator must reject a broken object (a test that cannot fail is no test).
bad = {"type": "connection", "file": "x", "conn": 0, "client": "a", "server": "b", "start": 0,
       "end": 0, "handshakes": [], "violations": [{"code": "no-such-code"}], "gaps": []}
if not list(validator.iter_errors(bad)):
    fail("the schema accepts a connection with conn 0 and an unknown violation code")

hs = {"index": 1, "kind": "initial", "initiator": "client", "encrypted": False, "decrypted": False,
      "version": None, "cipher_suite": None, "session_id": None, "resumed": False, "tnt": None,
      "renegotiation_info": "unchecked", "finished": "absent", "aborted": True,
      "ended_by_alert": {"sender": "server", "description": "access_denied"}, "messages": [],
      "negotiation": None}
good = dict(bad, conn=1, violations=[], handshakes=[hs])
if list(validator.iter_errors(good)):
    fail("the schema rejects a handshake with finished absent, aborted by an alert")
if not list(validator.iter_errors(dict(good, handshakes=[dict(hs, finished="gone")]))):
    fail("the schema accepts finished \"gone\"")
if not list(validator.iter_errors(dict(good, handshakes=[dict(hs, ended_by_alert={"sender": "x"})]))):
    fail("the schema accepts an ended_by_alert without a description and with a bad sender")


def objects(args):
    p = subprocess.run([TNTDUMP, "--json"] + args, stdout=subprocess.PIPE, timeout=120)
    return [json.loads(ln) for ln in p.stdout.decode("utf-8").splitlines()]


# The facts behind the fields added for samples/ (spec sections 3 and 6):
# exact values, so that a field that is present but wrong fails.
SAMPLES = os.path.join(SRC, "samples")
if os.path.exists(os.path.join(SAMPLES, "forged-issuer.pcapng")):
    def sample(name, *extra):
        return objects(["-r", os.path.join(SAMPLES, name + ".pcapng"),
                        "-k", os.path.join(SAMPLES, name + ".keys")] + list(extra))[0]

    anchors = []
    for pem in ("smb-ca-rsa.pem", "bbb-ca-rsa.pem"):
        anchors += ["--trust-anchor", os.path.join(DATA, "pki", pem)]
    c = sample("forged-issuer", *anchors)
    h = c["handshakes"][1]
    creds = [x for r in h["negotiation"]["rounds"] for x in r["credentials"]]
    pols = [x for r in h["negotiation"]["rounds"] for x in r["policies"]]
    got = [(x["type"], x["chain"]) for x in creds]
    if got != [("Accreditation", "valid"), ("MedicalLicense", "invalid")]:
        fail("forged-issuer with anchors: chains %r" % got)
    got = [(x["verdict"], x["issuer_verified"]) for x in pols]
    if got != [("not-satisfied", None), ("satisfied", True)]:
        fail("forged-issuer with anchors: policies %r" % got)
    c = sample("forged-issuer")
    h = c["handshakes"][1]
    got = [(x["verdict"], x["issuer_verified"]) for r in h["negotiation"]["rounds"] for x in r["policies"]]
    if got != [("satisfied-issuer-not-verified", False)] * 2:
        fail("forged-issuer without anchors: policies %r" % got)
    got = [x["chain"] for r in h["negotiation"]["rounds"] for x in r["credentials"]]
    if got != ["not validated"] * 2:
        fail("forged-issuer without anchors: chains %r" % got)
    if (h["finished"], h["aborted"], h["ended_by_alert"]) != ("verified", False, None):
        fail("forged-issuer: handshake 2 %r" % ((h["finished"], h["aborted"], h["ended_by_alert"]),))
    h = sample("failure-denied")["handshakes"][1]
    want = ("absent", True, {"sender": "server", "description": "access_denied"})
    if (h["finished"], h["aborted"], h["ended_by_alert"]) != want:
        fail("failure-denied: handshake 2 %r" % ((h["finished"], h["aborted"], h["ended_by_alert"]),))
else:
    print("note: samples/ not found; the sample facts were not checked")

n = 0
cases = [
    ["-k", os.path.join(DATA, "illustrated-tls12-keylog.txt"), "-r", os.path.join(DATA, "illustrated-tls12.pcap")],
    ["-k", os.path.join(DATA, "reneg.keys"), "-r", os.path.join(DATA, "reneg.pcapng")],
    ["-r", os.path.join(DATA, "reneg.pcapng")],
    ["-k", os.path.join(DATA, "bigresponse.keys"), "-r", os.path.join(DATA, "bigresponse-drop.pcap")],
    ["-k", os.path.join(DATA, "resume", "resume-sid.first.keys"), "-r", os.path.join(DATA, "resume", "resume-sid.pcapng"),
     "-r", os.path.join(DATA, "resume", "resume-ticket.pcapng")],
]
for args in cases:
    n += run(args, " ".join(os.path.basename(a) for a in args))

if os.path.isdir(CORPUS):
    files = sorted(glob.glob(os.path.join(CORPUS, "**", "*.pcap*"), recursive=True))
    files = [f for f in files if not f.endswith(".gz")]
    for i in range(0, len(files), 40):
        chunk = files[i:i + 40]
        args = []
        for f in chunk:
            args += ["-r", f]
        n += run(args, "corpus files %d-%d" % (i + 1, i + len(chunk)))
else:
    print("note: corpus not found at %s; only the bundled captures were checked" % CORPUS)

print("%d lines validated, %d failed" % (n, failures))
sys.exit(1 if failures else 0)
