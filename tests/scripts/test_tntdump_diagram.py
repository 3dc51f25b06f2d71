#!/usr/bin/python3
"""tntdump --diagram: the SVG message sequence chart of each negotiation.

For every sample: the SVG parses (xml.etree), it has one chart per
negotiation of the --json output, every round of each negotiation is
labelled in order, every handshake message has its arrow label, violations
are marked, and no text box overlaps another (boxes estimated from font size
and character count at 0.6 em per character, the monospace advance the
drawing assumes). docs/clinic-tls12-ecdhe-gcm.svg must be what tntdump
draws now. Directory and Mermaid forms are checked for their counts.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SRC = os.environ.get("TNT_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
TNTDUMP = os.environ.get("TNTDUMP", os.path.join(SRC, "build", "capture", "tntdump"))
if not os.access(TNTDUMP, os.X_OK):
    print("SKIP: no tntdump")
    sys.exit(77)
NS = "{http://www.w3.org/2000/svg}"
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


def texts(svg_path):
    root = ET.parse(svg_path).getroot()
    base = float(root.get("font-size", "12"))
    out = []
    for t in root.iter(NS + "text"):
        cls = t.get("class", "")
        size = base + 2 if cls == "title" else base
        s = "".join(t.itertext())
        w = len(s) * 0.6 * size
        x, y = float(t.get("x")), float(t.get("y"))
        anchor = t.get("text-anchor", "start")
        x0 = x if anchor == "start" else x - w / 2 if anchor == "middle" else x - w
        out.append({"s": s, "cls": cls, "box": (x0, y - 0.8 * size, x0 + w, y + 0.2 * size)})
    return root, out


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_svg(name, path, conns):
    root, ts = texts(path)
    width = float(root.get("width"))
    for i, a in enumerate(ts):
        if a["box"][0] < 0 or a["box"][2] > width:
            fail("%s: text outside the picture: %r" % (name, a["s"]))
        for b in ts[i + 1:]:
            if overlaps(a["box"], b["box"]):
                fail("%s: %r overlaps %r" % (name, a["s"], b["s"]))
    # Charts in order, each with its rounds in order and its messages.
    titles = [k for k, t in enumerate(ts) if t["cls"] == "title"]
    negos = [(c, h) for c in conns for h in c["handshakes"] if h["negotiation"]]
    if len(titles) != len(negos):
        fail("%s: %d charts, %d negotiations" % (name, len(titles), len(negos)))
        return
    for n, (c, h) in enumerate(negos):
        lo, hi = titles[n], titles[n + 1] if n + 1 < len(titles) else len(ts)
        part = ts[lo:hi]
        want = "connection %d, handshake %d" % (c["conn"], h["index"])
        if not part[0]["s"].startswith(want):
            fail("%s: chart %d is %r, want %r" % (name, n, part[0]["s"], want))
        rounds = [int(re.match(r"round (\d+):", t["s"]).group(1)) for t in part
                  if t["cls"] == "round"]
        want_rounds = [r["round"] for r in h["negotiation"]["rounds"]]
        if rounds != want_rounds or not rounds:
            fail("%s: rounds drawn %s, negotiation has %s" % (name, rounds, want_rounds))
        labels = [t["s"] for t in part if t["cls"] in ("tls", "tnt", "tntproof")]
        want_msgs = ["%s  (frame %d)" % (m["type"], m["frame"]) for m in h["messages"]]
        if labels != want_msgs:
            fail("%s: message labels %s, want %s" % (name, labels, want_msgs))
        # Rounds sit below their TNTNegotiation arrow: y increases.
        ys = [t["box"][1] for t in part]
        if ys != sorted(ys):
            fail("%s: chart %d not drawn top to bottom" % (name, n))
        viols = [v for v in c["violations"] if v["handshake"] == h["index"]]
        marked = [t["s"] for t in part if t["cls"] == "violation"]
        if len(marked) != len(viols):
            fail("%s: %d violations marked, %d in the JSON" % (name, len(marked), len(viols)))
        for v, m in zip(viols, marked):
            if v["code"] not in m:
                fail("%s: violation %s not marked (%r)" % (name, v["code"], m))
        # Long lines wrap (class "... cont"), never cut: each policy's
        # verdict is there in full, and no note ends in "...".
        joined = "\n".join(t["s"] for t in part).replace("\n", " ")
        for r in h["negotiation"]["rounds"]:
            for p in r["policies"]:
                if "[%s]" % p["verdict"] not in joined:
                    fail("%s: round %d policy verdict [%s] not shown" % (name, r["round"], p["verdict"]))
        for t in part:
            if t["cls"] not in ("title", "head") and t["s"].endswith("..."):
                fail("%s: text cut: %r" % (name, t["s"]))
        outcome = [t["s"] for t in part if t["cls"] in ("success", "failure")]
        if not outcome or not outcome[-1].startswith("outcome: " + h["negotiation"]["outcome"]):
            fail("%s: outcome line %s" % (name, outcome))


samples = sorted(glob.glob(os.path.join(SRC, "samples", "*.pcapng")))
total = 0
with tempfile.TemporaryDirectory() as tmp:
    for s in samples:
        name = os.path.basename(s)
        svg = os.path.join(tmp, name + ".svg")
        p = subprocess.run([TNTDUMP, "-k", s[:-7] + ".keys", "-r", s, "--json", "--diagram", svg],
                           capture_output=True, text=True)
        if p.returncode != 0:
            fail("%s: exit %d %s" % (name, p.returncode, p.stderr))
            continue
        conns = [json.loads(l) for l in p.stdout.splitlines()]
        conns = [c for c in conns if c["type"] == "connection"]
        check_svg(name, svg, conns)
        total += sum(1 for c in conns for h in c["handshakes"] if h["negotiation"])
    # Directory form: one file per negotiation; Mermaid: one diagram each.
    d = os.path.join(tmp, "charts")
    os.mkdir(d)
    keys = [a for s in samples for a in ("-k", s[:-7] + ".keys")]
    mmd = os.path.join(tmp, "all.mmd")
    subprocess.run([TNTDUMP, "-q", "-r", os.path.join(SRC, "samples"), "--diagram", d] + keys,
                   capture_output=True)
    subprocess.run([TNTDUMP, "-q", "-r", os.path.join(SRC, "samples"), "--diagram", mmd] + keys,
                   capture_output=True)
    # -j draws the same (the parent draws, in input order).
    mmd2 = os.path.join(tmp, "all2.mmd")
    subprocess.run([TNTDUMP, "-q", "-j", "2", "-r", os.path.join(SRC, "samples"), "--diagram",
                    mmd2] + keys, capture_output=True)
    if open(mmd2).read() != open(mmd).read():
        fail("-j 2 --diagram differs from -j 1")
    files = os.listdir(d)
    if len(files) != total or not total:
        fail("directory form: %d files, %d negotiations" % (len(files), total))
    for f in files:
        ET.parse(os.path.join(d, f))
    m = open(mmd).read()
    if m.count("sequenceDiagram") != total:
        fail("mermaid: %d diagrams, %d negotiations" % (m.count("sequenceDiagram"), total))
    if m.count("Note over C,S: round ") < total:
        fail("mermaid: rounds missing")
    # The picture in docs/ is current.
    clinic = os.path.join(SRC, "samples", "clinic-tls12-ecdhe-gcm.pcapng")
    now = os.path.join(tmp, "clinic.svg")
    subprocess.run([TNTDUMP, "-q", "-k", clinic[:-7] + ".keys", "-r", clinic, "--diagram", now],
                   capture_output=True)
    if open(now).read() != open(os.path.join(SRC, "docs", "clinic-tls12-ecdhe-gcm.svg")).read():
        fail("docs/clinic-tls12-ecdhe-gcm.svg is not what tntdump draws now")
print("%d negotiations drawn and checked" % total)
sys.exit(1 if failures else 0)
