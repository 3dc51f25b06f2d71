#!/usr/bin/python3
"""Runs tntdump over a set of captures on a Dask distributed cluster and
merges the results into what one tntdump run over all of them would print.

    tntdump-dask.py --scheduler tcp://HOST:8786 [--shards N] [--tntdump PATH]
                    [--output FILE] [tntdump options ...] INPUT ...

INPUTs are what tntdump -r takes (files, directories, globs). They are put
in the order one run would read them (tntdump --print-inputs), cut into N
contiguous shards (default: one per worker), and each shard is analysed on a
worker with `tntdump --json --summary OPTIONS -r FILE ...`. The shards'
NDJSON comes back in order and `tntdump --merge` makes one output of it:
connection numbers continue across shards, resumptions are linked to the
handshake of an earlier shard that established them, the summary is
recomputed. Every worker must see the input paths (shared storage) and have
tntdump at --tntdump (default: tntdump on PATH); see docs/scale-out.md.

Options for tntdump (-k, --rsa-key, --trust-anchor, --tnt-*, --app-data,
-c, -v...) are passed to every shard; key files must be readable on the
workers too. The exit status is the worst of the shards' and the merge's.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def run_shard(tntdump, options, files):
    """On a worker: one tntdump run over a shard. Returns (status, NDJSON, stderr)."""
    import subprocess as sp

    args = [tntdump, "--json", "--summary"] + list(options)
    for f in files:
        args += ["-r", f]
    p = sp.run(args, stdout=sp.PIPE, stderr=sp.PIPE)
    return p.returncode, p.stdout, p.stderr


def split(items, n):
    """n contiguous shards, sizes differing by at most one, none empty."""
    n = max(1, min(n, len(items)))
    q, r = divmod(len(items), n)
    out, at = [], 0
    for i in range(n):
        k = q + (1 if i < r else 0)
        out.append(items[at:at + k])
        at += k
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scheduler", required=True, help="Dask scheduler address, tcp://HOST:PORT")
    ap.add_argument("--shards", type=int, default=0, help="number of shards (default: workers)")
    ap.add_argument("--tntdump", default="tntdump", help="tntdump on the workers and here")
    ap.add_argument("--output", "-o", help="merged NDJSON (default: standard output)")
    ap.add_argument("--wait-workers", type=int, default=1,
                    help="wait until this many workers are connected (default 1)")
    args, rest = ap.parse_known_args()
    # tntdump options take a value after these; everything else not an
    # option is an input.
    with_value = {"-k", "--keylog", "--rsa-key", "--trust-anchor", "--tnt-ext",
                  "--tnt-negotiation", "--tnt-proof", "-c", "--count"}
    options, inputs, i = [], [], 0
    while i < len(rest):
        a = rest[i]
        if a in with_value and i + 1 < len(rest):
            options += [a, rest[i + 1]]
            i += 2
        elif a.startswith("-") and a != "-":
            options.append(a)
            i += 1
        else:
            inputs.append(a)
            i += 1
    if not inputs:
        ap.error("no inputs")
    listing = [args.tntdump, "--print-inputs"]
    for x in inputs:
        listing += ["-r", x]
    files = subprocess.run(listing, stdout=subprocess.PIPE, check=True,
                           text=True).stdout.splitlines()
    # Workers may run elsewhere: absolute paths name the same files on
    # shared storage.
    files = [os.path.abspath(f) for f in files]

    from dask.distributed import Client

    client = Client(args.scheduler)
    try:
        client.wait_for_workers(args.wait_workers)
        n = args.shards or len(client.scheduler_info()["workers"])
        shards = split(files, n)
        futures = client.map(run_shard, [args.tntdump] * len(shards),
                             [options] * len(shards), shards, pure=False)
        results = client.gather(futures)
    finally:
        client.close()

    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for k, (rc, out, err) in enumerate(results):
            sys.stderr.write(err.decode("utf-8", "replace"))
            status = max(status, rc)
            p = os.path.join(tmp, "shard%04d.ndjson" % k)
            with open(p, "wb") as f:
                f.write(out)
            paths.append(p)
        dest = open(args.output, "wb") if args.output else sys.stdout.buffer
        try:
            m = subprocess.run([args.tntdump, "--merge"] + paths, stdout=dest)
        finally:
            if args.output:
                dest.close()
        status = max(status, m.returncode)
    return status


if __name__ == "__main__":
    sys.exit(main())
