#!/usr/bin/env python3
"""Digests of tntdump's output (text, -q, --json) on every sample, every
capture of tests/data and every capture of the corpus, each with its keys
where it has them: one line per (capture, mode) with the exit status and the
SHA-256 of stdout and of stderr.

    output_digests.py TNTDUMP [--corpus DIR] > digests.tsv

tests/scripts/test_output_stability.sh compares this with the digests
committed in tests/golden/output_digests.tsv, so that a refactoring that
changes any output byte fails; an intended change regenerates the file and
says why in its commit.
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
MODES = {"text": [], "q": ["-q"], "json": ["--json"]}
CAPTURE_EXT = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")


def index_keys(path, key_col):
    keys = {}
    if not os.path.exists(path):
        return keys
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            k = row.get(key_col, "-")
            if k and k != "-":
                keys[row["capture"]] = os.path.join(os.path.dirname(path), k)
    return keys


def captures(corpus):
    out = []
    for name in sorted(os.listdir(os.path.join(SRC, "samples"))):
        if name.endswith(".pcapng"):
            p = os.path.join(SRC, "samples", name)
            k = p[: -len(".pcapng")] + ".keys"
            out.append(("samples/" + name, p, [k] if os.path.exists(k) else []))
    data = os.path.join(SRC, "tests", "data")
    for root, _, files in sorted(os.walk(data)):
        for name in sorted(files):
            if name.endswith(CAPTURE_EXT):
                p = os.path.join(root, name)
                out.append(("tests/data/" + os.path.relpath(p, data), p, []))
    if corpus and os.path.isdir(corpus):
        tp = os.path.join(corpus, "third_party")
        tp_keys = index_keys(os.path.join(tp, "INDEX.tsv"), "key_path")
        legacy = os.path.join(corpus, "made_here", "legacy")
        lg_keys = index_keys(os.path.join(legacy, "INDEX.tsv"), "keys")
        for root, _, files in sorted(os.walk(corpus)):
            for name in sorted(files):
                if not name.endswith(CAPTURE_EXT):
                    continue
                p = os.path.join(root, name)
                rel = os.path.relpath(p, corpus)
                keys = []
                if rel.startswith("third_party/"):
                    k = tp_keys.get(os.path.relpath(p, tp))
                    if k and os.path.isfile(k):
                        keys = [k]
                elif rel.startswith("made_here/legacy/"):
                    k = lg_keys.get(os.path.relpath(p, legacy))
                    if k and os.path.isfile(k):
                        keys = [k]
                else:
                    for ext in (".pcapng", ".pcap"):
                        if p.endswith(ext) and os.path.isfile(p[: -len(ext)] + ".keys"):
                            keys = [p[: -len(ext)] + ".keys"]
                out.append(("corpus/" + rel, p, keys))
    return out


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    tntdump = args[0]
    corpus = os.path.join(SRC, "..", "shared", "corpus")
    if "--corpus" in args:
        corpus = args[args.index("--corpus") + 1]
    for rel, path, keys in captures(corpus):
        kargs = []
        for k in keys:
            kargs += ["-k", k]
        for mode, margs in MODES.items():
            r = subprocess.run([tntdump] + margs + kargs + ["-r", path],
                               capture_output=True, timeout=120)
            # Paths differ between checkouts; digest them away.
            so = r.stdout.replace(os.path.dirname(path).encode(), b"DIR")
            se = r.stderr.replace(os.path.dirname(path).encode(), b"DIR")
            for k in keys:
                so = so.replace(os.path.dirname(k).encode(), b"KEYDIR")
                se = se.replace(os.path.dirname(k).encode(), b"KEYDIR")
            print("\t".join([rel, mode, str(r.returncode),
                             hashlib.sha256(so).hexdigest()[:16],
                             hashlib.sha256(se).hexdigest()[:16]]))


if __name__ == "__main__":
    main()
