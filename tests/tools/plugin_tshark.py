#!/usr/bin/env python3
"""Run tshark with and without the tnt plugin, the way users run it.

tshark run as root ignores personal plugins (and WIRESHARK_PLUGIN_DIR), so
when we are root each run switches to nobody with setpriv and a temporary
HOME whose personal plugin folder holds the plugin; every file is made
world-readable. Without root, tshark runs as ourselves with the same HOME.

Subcommands:
  identity   acceptance 1: on captures without TNT, output with the plugin
             equals output without it (-V -x with keys, -T json, -z io,phs,
             -z expert, -z follow,tls,ascii,0).
"""
import argparse
import concurrent.futures
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile

MODES = {
    "vx": ["-V", "-x"],
    "json": ["-T", "json"],
    "phs": ["-q", "-z", "io,phs"],
    "expert": ["-q", "-z", "expert"],
    "follow": ["-q", "-z", "follow,tls,ascii,0"],
}


def sanitizer_env():
    """In the ASan+UBSan build the plugin needs the sanitizer runtimes loaded
    first, which stock tshark does not do: preload them, so that the suite
    runs the plugin's (and lib/'s) code under the sanitizers too. tshark's
    own leaks are not ours, hence no leak detection there."""
    if os.environ.get("TNT_SANITIZE", "").upper() not in ("ON", "1", "TRUE", "YES"):
        return []
    cc = os.environ.get("CC", "cc")
    libs = []
    for name in ("libasan.so", "libubsan.so"):
        p = subprocess.run([cc, "-print-file-name=" + name], capture_output=True, text=True)
        path = p.stdout.strip()
        if not os.path.isabs(path):
            sys.exit("sanitizer build: cannot find %s with %s" % (name, cc))
        libs.append(os.path.realpath(path))
    return ["LD_PRELOAD=" + ":".join(libs),
            "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1",
            "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"]


class Env:
    """Two temporary HOMEs: one with the plugin installed, one without."""

    def __init__(self, plugin, abi="4.0"):
        self.root = tempfile.mkdtemp(prefix="tnt-plugin-")
        os.chmod(self.root, 0o755)
        self.home_with = os.path.join(self.root, "with")
        self.home_without = os.path.join(self.root, "without")
        plugdir = os.path.join(self.home_with, ".local/lib/wireshark/plugins", abi, "epan")
        os.makedirs(plugdir)
        os.makedirs(self.home_without)
        shutil.copy(plugin, os.path.join(plugdir, "tnt.so"))
        for d, dirs, files in os.walk(self.root):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o644)
        self.as_root = os.geteuid() == 0
        self.sanitizer_env = sanitizer_env()

    def cmd(self, with_plugin, args):
        home = self.home_with if with_plugin else self.home_without
        base = ["env", "HOME=" + home, "LC_ALL=C.UTF-8"] + self.sanitizer_env + ["tshark"] + args
        if self.as_root:
            return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + base
        return base

    def run(self, with_plugin, args, timeout=300):
        p = subprocess.run(self.cmd(with_plugin, args), cwd=self.root, capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def run_each(env, jobs, todo, check):
    """check(env, *item) for every (name, ...) item, jobs at a time; prints
    each item's problems. Returns the number of items with problems."""
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        futs = {ex.submit(check, env, *t): t[0] for t in todo}
        for fut in concurrent.futures.as_completed(futs):
            probs = fut.result()
            if probs:
                failed += 1
                print("FAIL: %s" % futs[fut])
                for pr in probs:
                    print("  " + pr)
    return failed


def corpus_entries(corpus):
    """(capture path, tshark key options) for every capture of the corpus.
    Absolute paths: tshark runs in the temporary directory."""
    corpus = os.path.abspath(corpus)
    out = []
    seen = set()
    tp = os.path.join(corpus, "third_party")
    idx = os.path.join(tp, "INDEX.tsv")
    if os.path.exists(idx):
        with open(idx) as f:
            next(f)
            for line in f:
                cols = line.rstrip("\n").split("\t")
                cap, kind, key = cols[0], cols[1], cols[2]
                path = os.path.join(tp, cap)
                opts = []
                if kind == "keylog" and key != "-":
                    opts = ["-o", "tls.keylog_file:" + os.path.join(tp, key)]
                elif kind == "rsa" and key != "-":
                    opts = ["-o", 'uat:rsa_keys:"%s",""' % os.path.join(tp, key)]
                out.append((path, opts))
                seen.add(os.path.realpath(path))
    for sub in ("made_here", "made_here/legacy"):
        d = os.path.join(corpus, sub)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if not (name.endswith(".pcap") or name.endswith(".pcapng")):
                continue
            path = os.path.join(d, name)
            keys = os.path.join(d, name.rsplit(".", 1)[0] + ".keys")
            opts = ["-o", "tls.keylog_file:" + keys] if os.path.exists(keys) else []
            out.append((path, opts))
            seen.add(os.path.realpath(path))
    for d, _, files in os.walk(corpus):
        for name in sorted(files):
            path = os.path.join(d, name)
            if (name.endswith(".pcap") or name.endswith(".pcapng")) and \
                    os.path.realpath(path) not in seen:
                out.append((path, []))
    return out


def identity_one(env, path, opts, modes):
    """Differences between the runs with and without the plugin."""
    problems = []
    for mode in modes:
        args = ["-n", "-r", path] + opts + MODES[mode]
        rc1, out1, err1 = env.run(False, args)
        rc2, out2, err2 = env.run(True, args)
        # Two runs that both fail to read the file agree and prove nothing.
        # (A capture may hold no packet, and -z expert may print nothing.)
        if mode == "vx" and rc1 != 0 and not out1.strip():
            problems.append("%s: stock tshark printed nothing (exit %d): %s"
                            % (mode, rc1, err1.decode(errors="replace").strip()[-200:]))
        if rc1 != rc2:
            problems.append("%s: exit %d without the plugin, %d with it" % (mode, rc1, rc2))
        elif out1 != out2:
            a, b = out1.splitlines(), out2.splitlines()
            first = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
            ctx = lambda v: v[first].decode(errors="replace") if first < len(v) else "<end>"
            problems.append("%s: output differs at line %d:\n  without: %s\n  with:    %s"
                            % (mode, first + 1, ctx(a), ctx(b)))
        if b"Dissector bug" in out2 or b"Dissector bug" in err2:
            problems.append("%s: Dissector bug with the plugin" % mode)
    return problems


def plugin_loaded(env, with_plugin=True):
    """Whether tshark loaded tnt.so. `-G plugins` hangs in tshark 4.0 when
    the ASan runtime is preloaded (with or without our plugin), so the
    sanitizer build asks `-G protocols` for the protocol instead."""
    if env.sanitizer_env:
        rc, out, _ = env.run(with_plugin, ["-G", "protocols"])
        return rc == 0 and any(l.split(b"\t")[2:3] == [b"tnt"] for l in out.splitlines())
    rc, out, _ = env.run(with_plugin, ["-G", "plugins"])
    return rc == 0 and b"tnt.so" in out


def cmd_identity(a):
    env = Env(a.plugin)
    try:
        # A comparison with a plugin that did not load would prove nothing.
        if not plugin_loaded(env):
            print("FAIL: tshark -G plugins does not list tnt.so")
            return 1
        entries = corpus_entries(a.corpus)
        if a.only:
            want = set(a.only.split(","))
            entries = [e for e in entries if os.path.relpath(e[0], a.corpus) in want]
            missing = want - {os.path.relpath(e[0], a.corpus) for e in entries}
            if missing:
                print("FAIL: not in the corpus: %s" % ", ".join(sorted(missing)))
                return 1
        for x in a.extra or []:
            path, _, keys = x.partition(":")
            entries.append((path, ["-o", "tls.keylog_file:" + keys] if keys else []))
        modes = a.modes.split(",")
        failed = run_each(env, a.jobs, [(p, p, o, modes) for p, o in entries],
                          lambda env, name, p, o, m: identity_one(env, p, o, m))
        print("identity: %d captures x %d modes, %d with differences"
              % (len(entries), len(modes), failed))
        return 1 if failed else 0
    finally:
        env.close()


def samples(src):
    d = os.path.join(os.path.abspath(src), "samples")
    out = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".pcapng"):
            base = name[:-len(".pcapng")]
            keys = os.path.join(d, base + ".keys")
            out.append((base, os.path.join(d, name), keys if os.path.exists(keys) else None))
    return out


def tnt_sections(text):
    """Per frame, the TNT protocol tree (and what it handed on) of -V output."""
    frames, cur, inside = {}, None, False
    for line in text.splitlines():
        if line.startswith("Frame ") and ":" in line:
            cur = line.split(":")[0]
            frames[cur] = []
            inside = False
            continue
        if not line.startswith(" ") and line:
            inside = line.startswith("Trust Negotiation in TLS")
        if inside and cur:
            frames[cur].append(line)
    return frames


def passes_one(env, base, path, keys):
    opts = ["-o", "tls.keylog_file:" + keys] if keys else []
    problems = []
    for extra in (["-V"], ["-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol",
                           "-e", "_ws.col.Info", "-e", "_ws.expert.message"]):
        rc1, one, _ = env.run(True, ["-n", "-r", path] + opts + extra)
        rc2, two, _ = env.run(True, ["-n", "-2", "-r", path] + opts + extra)
        if rc1 or rc2:
            problems.append("tshark exited %d/%d" % (rc1, rc2))
            continue
        if extra == ["-V"]:
            a, b = tnt_sections(one.decode()), tnt_sections(two.decode())
            if not any(a.values()):
                problems.append("no TNT tree in any frame")
            for fr in sorted(set(a) | set(b), key=lambda f: int(f.split()[1])):
                if a.get(fr) != b.get(fr):
                    x, y = a.get(fr, []), b.get(fr, [])
                    i = next((k for k in range(min(len(x), len(y))) if x[k] != y[k]),
                             min(len(x), len(y)))
                    problems.append("%s: TNT tree differs at its line %d:\n  one pass: %s\n  -2:       %s"
                                    % (fr, i + 1, x[i] if i < len(x) else "<end>",
                                       y[i] if i < len(y) else "<end>"))
                    break
        else:
            # Only rows TNT wrote: TCP's own segment rows differ between one
            # pass and two in stock tshark too.
            a, b = one.decode().splitlines(), two.decode().splitlines()
            keep = [i for i in range(min(len(a), len(b)))
                    if "\tTNT\t" in a[i] or "\tTNT\t" in b[i]]
            if len(a) == len(b) and all(a[i] == b[i] for i in keep):
                continue
            i = next((k for k in keep if a[k] != b[k]), 0)
            problems.append("columns differ:\n  one pass: %s\n  -2:       %s" % (a[i], b[i]))
    return problems


def cmd_passes(a):
    env = Env(a.plugin)
    try:
        todo = samples(a.src)
        if a.only:
            todo = [t for t in todo if t[0] in a.only.split(",")]
        failed = run_each(env, a.jobs, todo, passes_one)
        print("passes: %d samples, %d where -2 differs from one pass" % (len(todo), failed))
        return 1 if failed else 0
    finally:
        env.close()


STATUS = {"0": "continue", "1": "success", "2": "failure"}
KIND = {"0": "resource", "1": "credential"}


def tshark_frames(env, path, keys):
    """Per frame: tcp.stream and the (field, value) pairs of the TNT tree in
    document order (duplicates kept)."""
    opts = ["-o", "tls.keylog_file:" + keys] if keys else []
    rc, out, err = env.run(True, ["-n", "-r", path] + opts + ["-T", "json", "-J", "tcp tnt"])
    if rc != 0:
        raise RuntimeError("tshark exited %d: %s" % (rc, err.decode()[-300:]))
    pkts = json.loads(out.decode(), object_pairs_hook=lambda pairs: pairs)
    frames = []
    for pkt in pkts:
        layers = dict(dict(pkt)["_source"])["layers"]
        flat = []

        def walk(node):
            if isinstance(node, list) and node and all(isinstance(x, tuple) for x in node):
                for k, v in node:
                    if isinstance(v, str):
                        flat.append((k, v))
                    else:
                        walk(v)
            elif isinstance(node, list):
                for x in node:
                    walk(x)
        stream = None
        num = None
        for k, v in layers:
            if k == "tcp":
                stream = dict(v).get("tcp.stream")
            if k == "frame":
                num = dict(v).get("frame.number")
            if k == "tnt":
                walk(v)
        if num is None:
            num = str(len(frames) + 1)
        frames.append((int(num), stream, flat))
    return frames


def agree_one(env, tntdump, base, path, keys):
    """Acceptance 2: the plugin's facts equal tntdump --json's, field by field."""
    cmd = [tntdump, "-r", path, "--json"] + (["-k", keys] if keys else [])
    p = subprocess.run(cmd, capture_output=True)
    docs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    conns = [d for d in docs if d.get("type") == "connection"]
    frames = tshark_frames(env, path, keys)
    streams = []
    for _, st, _ in frames:
        if st is not None and st not in streams:
            streams.append(st)
    byframe = {n: (st, flat) for n, st, flat in frames}
    problems = []

    def vals(flat, key):
        return [v for k, v in flat if k == key]

    for ci, c in enumerate(conns):
        # the TCP stream whose first data frame is this connection's first message
        first = min((m["frame"] for h in c["handshakes"] for m in h.get("messages", [])), default=None)
        if first is None or first not in byframe:
            continue
        stream = byframe[first][0]
        sframes = [(n, flat) for n, st, flat in frames if st == stream]
        # rounds, policies and credentials as carried, at their frames
        for h in c["handshakes"]:
            neg = h.get("negotiation") or {}
            byf = {}
            for r in neg.get("rounds", []):
                byf.setdefault(r["frame"], []).append(r)
            for f, rounds in byf.items():
                flat = byframe.get(f, (None, []))[1]
                want = [(str(r["round"]), r["status"]) for r in rounds]
                got = list(zip(vals(flat, "tnt.negotiation.round"),
                               [STATUS.get(x, x) for x in vals(flat, "tnt.negotiation.status")]))
                if want != got:
                    problems.append("conn %d frame %d: rounds %s, plugin shows %s" % (ci + 1, f, want, got))
                wantp = [(p["target_kind"], p["target"], p["expression"]) for r in rounds for p in r["policies"]]
                gotp = list(zip([KIND.get(x, x) for x in vals(flat, "tnt.policy.target_kind")],
                                vals(flat, "tnt.policy.target"), vals(flat, "tnt.policy.expression")))
                if wantp != gotp:
                    problems.append("conn %d frame %d: policies %s, plugin shows %s" % (ci + 1, f, wantp, gotp))
                wantc = [x["type"] for r in rounds for x in r["credentials"]]
                gotc = vals(flat, "tnt.credential.type")
                if wantc != gotc:
                    problems.append("conn %d frame %d: credentials %s, plugin shows %s" % (ci + 1, f, wantc, gotc))
            # the verdicts: the last the plugin shows for this handshake
            last = None
            for n, flat in sframes:
                hs = vals(flat, "tnt.negotiation.handshake")
                if str(h["index"]) in hs:
                    i = hs.index(str(h["index"]))
                    # the verdict subtree: from its handshake field to the next
                    start = [j for j, kv in enumerate(flat) if kv == ("tnt.negotiation.handshake", str(h["index"]))][-1]
                    end = next((j for j in range(start + 1, len(flat)) if flat[j][0] == "tnt.negotiation.handshake"), len(flat))
                    last = (n, flat[max(0, start - 1):end])
            if neg:
                if not last:
                    problems.append("conn %d handshake %d: no verdict shown" % (ci + 1, h["index"]))
                    continue
                n, vflat = last
                if vals(vflat, "tnt.outcome")[:1] != [neg["outcome"]]:
                    problems.append("conn %d handshake %d: outcome %s, plugin (frame %d) %s"
                                    % (ci + 1, h["index"], neg["outcome"], n, vals(vflat, "tnt.outcome")))
                trust = vals(vflat, "tnt.trust_established")
                if trust[:1] != [("1" if neg["trust_established"] else "0")]:
                    problems.append("conn %d handshake %d: trust_established %s, plugin (frame %d) %s"
                                    % (ci + 1, h["index"], neg["trust_established"], n, trust))
                wc = [(x["proof"], x["chain"], x["subject"], x["issuer"])
                      for r in neg["rounds"] for x in r["credentials"]]
                gc = list(zip(vals(vflat, "tnt.proof.status"), vals(vflat, "tnt.credential.chain_status"),
                              vals(vflat, "tnt.credential.subject"), vals(vflat, "tnt.credential.issuer")))
                if wc != gc:
                    problems.append("conn %d handshake %d: credentials judged %s, plugin (frame %d) %s"
                                    % (ci + 1, h["index"], wc, n, gc))
                ws = [str(p["satisfied_in_round"]) for r in neg["rounds"] for p in r["policies"]
                      if p.get("satisfied_in_round")]
                gs = vals(vflat, "tnt.policy.satisfied_in")
                if ws != gs:
                    problems.append("conn %d handshake %d: satisfied_in %s, plugin %s" % (ci + 1, h["index"], ws, gs))
            eb = h.get("established_by")
            if eb:
                links = [(n, vals(flat, "tnt.resumes")) for n, flat in sframes if vals(flat, "tnt.resumes")]
                if not links:
                    problems.append("conn %d handshake %d: resumes conn %d handshake %d; plugin shows no link"
                                    % (ci + 1, h["index"], eb["conn"], eb["handshake"]))
                else:
                    target = int(links[-1][1][0])
                    st, flat = byframe.get(target, (None, []))
                    tconn = streams.index(st) + 1 if st in streams else None
                    if tconn != eb["conn"] or str(eb["handshake"]) not in vals(flat, "tnt.negotiation.handshake"):
                        problems.append("conn %d: resumes conn %d handshake %d; plugin links frame %d (stream %s)"
                                        % (ci + 1, eb["conn"], eb["handshake"], target, st))
        # violations, by code
        want = sorted(v["code"] for v in c.get("violations", []))
        got = sorted(m.split(" ")[0] for _, flat in sframes for m in vals(flat, "_ws.expert.message")
                     if " (error): " in m or " (warning): " in m or " (info): " in m)
        if want != got:
            problems.append("conn %d: violations %s, plugin shows %s" % (ci + 1, want, got))
    if not conns:
        problems.append("tntdump found no connection")
    return problems


def cmd_agree(a):
    env = Env(a.plugin)
    try:
        todo = samples(a.src)
        if a.only:
            todo = [t for t in todo if t[0] in a.only.split(",")]
        failed = run_each(env, a.jobs, todo,
                          lambda env, *t: agree_one(env, a.tntdump, *t))
        print("agree: %d samples, %d where the plugin and tntdump disagree" % (len(todo), failed))
        return 1 if failed else 0
    finally:
        env.close()


def fuzz_one(env, base, path, keys, rounds, seed0):
    """Acceptance 4 (bounded): corrupted copies of a sample through tshark
    with the plugin: no crash, no assertion, no "Dissector bug"."""
    problems = []
    opts = ["-o", "tls.keylog_file:" + keys] if keys else []
    for i in range(rounds):
        seed = seed0 + i
        out = os.path.join(env.root, "%s-%d.pcapng" % (base, seed))
        subprocess.run(["editcap", "-E", "0.02", "--seed", str(seed), path, out],
                       check=True, capture_output=True)
        os.chmod(out, 0o644)
        args = ["-n", "-r", out] + opts + ["-V", "-z", "expert"]
        rc, so, se = env.run(True, args)
        text = (so + se).decode(errors="replace")
        bugs = [l.strip() for l in text.splitlines() if "Dissector bug" in l or "ssertion" in l]
        if rc != 0 and rc != 2:
            problems.append("seed %d: tshark exited %d (crash?): %s" % (seed, rc, se.decode()[-300:]))
        elif bugs:
            # Stock dissectors have bugs of their own on corrupted input
            # (TLS's desegmentation assertion, for one): only what the
            # plugin adds counts.
            _, so2, se2 = env.run(False, args)
            stock = [l.strip() for l in (so2 + se2).decode(errors="replace").splitlines()
                     if "Dissector bug" in l or "ssertion" in l]
            ours = [l for l in bugs if "protocol TNT" in l]
            if ours or len(bugs) > len(stock):
                problems.append("seed %d: %s" % (seed, "; ".join((ours or bugs)[:2])))
        os.unlink(out)
    return problems


def cmd_fuzz(a):
    env = Env(a.plugin)
    try:
        todo = samples(a.src)
        if a.only:
            todo = [t for t in todo if t[0] in a.only.split(",")]
        failed = run_each(env, a.jobs, todo,
                          lambda env, *t: fuzz_one(env, *t, a.rounds, a.seed))
        print("fuzz: %d samples x %d rounds of editcap -E 0.02, %d with problems"
              % (len(todo), a.rounds, failed))
        return 1 if failed else 0
    finally:
        env.close()


def cmd_keys(a):
    """Keys with no setting when Wireshark has them: TLS's key log
    preference, a Decryption Secrets Block, Wireshark's RSA key table; and the
    plugin's own tnt.keylog_file. Each must decrypt exactly what the key log
    does; without keys nothing is decrypted and tnt.no_keys says so."""
    env = Env(a.plugin)
    try:
        d = os.path.join(os.path.abspath(a.src), "samples")
        gcm, rsa = os.path.join(d, "clinic-tls12-ecdhe-gcm"), os.path.join(d, "clinic-tls12-rsa-cbc")
        dsb = os.path.join(env.root, "dsb.pcapng")
        subprocess.run(["editcap", "--inject-secrets", "tls," + gcm + ".keys", gcm + ".pcapng", dsb],
                       check=True, capture_output=True)
        os.chmod(dsb, 0o644)
        rsakey = os.path.join(os.path.abspath(a.src), "tests/data/pki/clinic-web-rsa.key")

        def decrypted(path, opts):
            rc, out, err = env.run(True, ["-n", "-r", path] + opts +
                                   ["-Y", "tnt.decrypted", "-T", "fields", "-e", "frame.number"])
            return len(out.split()) if rc == 0 else -1

        cases = [
            ("tls.keylog_file", gcm + ".pcapng", ["-o", "tls.keylog_file:" + gcm + ".keys"], None),
            ("Decryption Secrets Block", dsb, [], "tls.keylog_file"),
            ("tnt.keylog_file", gcm + ".pcapng", ["-o", "tnt.keylog_file:" + gcm + ".keys"], "tls.keylog_file"),
            ("tls.keylog_file (RSA sample)", rsa + ".pcapng", ["-o", "tls.keylog_file:" + rsa + ".keys"], None),
            ("RSA Private Keys table", rsa + ".pcapng", ["-o", 'uat:rsa_keys:"%s",""' % rsakey],
             "tls.keylog_file (RSA sample)"),
        ]
        got, failed = {}, 0
        for name, path, opts, same_as in cases:
            n = decrypted(path, opts)
            got[name] = n
            want = got[same_as] if same_as else None
            ok = n > 0 and (want is None or n == want)
            print("%s: %s: %d frames with decrypted TNT records%s"
                  % ("ok" if ok else "FAIL", name, n, "" if want is None else " (want %d)" % want))
            failed += not ok
        n = decrypted(gcm + ".pcapng", [])
        rc, out, _ = env.run(True, ["-n", "-r", gcm + ".pcapng", "-Y", "tnt.no_keys",
                                    "-T", "fields", "-e", "frame.number"])
        ok = n == 0 and len(out.split()) > 0
        print("%s: no keys: %d decrypted, tnt.no_keys in %d frames" % ("ok" if ok else "FAIL", n, len(out.split())))
        failed += not ok
        return 1 if failed else 0
    finally:
        env.close()


def cmd_stats(a):
    """-z tnt,tree counts what tntdump counts; -z follow,tnt gives the
    decrypted application data of one connection."""
    env = Env(a.plugin)
    try:
        failed = 0
        for base, path, keys in samples(a.src):
            if a.only and base not in a.only.split(","):
                continue
            p = subprocess.run([a.tntdump, "-r", path, "-k", keys, "--json"], capture_output=True)
            docs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
            want = {}
            for c in docs:
                if c.get("type") != "connection":
                    continue
                for h in c["handshakes"]:
                    neg = h.get("negotiation")
                    if neg:
                        want["outcome " + neg["outcome"]] = want.get("outcome " + neg["outcome"], 0) + 1
                        for r in neg["rounds"]:
                            k = "round %d (%s)" % (r["round"], r["sender"])
                            want[k] = want.get(k, 0) + 1
                            for x in r["credentials"]:
                                want["cred " + x["type"]] = want.get("cred " + x["type"], 0) + 1
                for v in c.get("violations", []):
                    want["viol " + v["code"]] = want.get("viol " + v["code"], 0) + 1
            rc, out, _ = env.run(True, ["-n", "-q", "-r", path, "-o", "tls.keylog_file:" + keys,
                                        "-z", "tnt,tree"])
            got, section = {}, None
            for line in out.decode().splitlines():
                for top, pre in (("Negotiations by outcome", "outcome "), ("Rounds", ""),
                                 ("Credentials disclosed by type", "cred "),
                                 ("Violations (spec section 8)", "viol ")):
                    if line.startswith(top):
                        section = pre
                if line.startswith(" ") and section is not None:
                    name = line[1:31].rstrip()
                    count = int(line[31:45].split()[0])
                    got[section + name] = count
            ok = got == want
            failed += not ok
            print("%s: %s: %s" % ("ok" if ok else "FAIL", base,
                                  "%d counts" % len(want) if ok else "tntdump %s, -z tnt,tree %s" % (want, got)))
        base, path, keys = [t for t in samples(a.src) if t[0] == "clinic-tls12-ecdhe-gcm"][0]
        rc, out, _ = env.run(True, ["-n", "-q", "-r", path, "-o", "tls.keylog_file:" + keys,
                                    "-z", "follow,tnt,ascii,0"])
        ok = b"GET /records/4711 HTTP/1.0" in out and b"granted (trust established by TNT)" in out
        print("%s: -z follow,tnt,ascii,0 shows the decrypted request and response" % ("ok" if ok else "FAIL"))
        failed += not ok
        return 1 if failed else 0
    finally:
        env.close()


def rewrite_port(src, dst, old, new):
    """A copy of src whose TCP port old is new (checksums left as they are:
    Wireshark does not verify them by default)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pcap_rewrite as pr
    import struct
    with open(src, "rb") as f:
        linktype, pkts = pr.read_capture(f.read())
    out = []
    for ts, us, wl, b in pkts:
        b = bytearray(b)
        if len(b) > 34 and b[12:14] == b"\x08\x00" and b[23] == 6:
            ihl = (b[14] & 15) * 4
            t = 14 + ihl
            for o in (t, t + 2):
                if struct.unpack("!H", b[o:o + 2])[0] == old:
                    b[o:o + 2] = struct.pack("!H", new)
        out.append((ts, us, wl, bytes(b)))
    pr.write_pcap(dst, linktype, out)
    os.chmod(dst, 0o644)


def cmd_ownership(a):
    """A connection is TNT when a hello carries `tnt`, on any port: TLS's own
    443, a port TLS takes for another protocol (993, IMAPS), or one nobody
    registered (TLS's heuristic). Decode As TNT forces the plugin; disabling
    TNT gives exactly stock output."""
    env = Env(a.plugin)
    try:
        d = os.path.join(os.path.abspath(a.src), "samples")
        base = os.path.join(d, "clinic-tls12-ecdhe-gcm")
        keys = ["-o", "tls.keylog_file:" + base + ".keys"]
        rc, out, _ = env.run(True, ["-n", "-r", base + ".pcapng", "-T", "fields", "-e", "tcp.dstport"])
        sport = int(out.split()[0])
        failed = 0

        def protos(path, extra=()):
            rc, out, _ = env.run(True, ["-n", "-r", path] + keys + list(extra) +
                                 ["-T", "fields", "-e", "_ws.col.Protocol"])
            return out.decode().split()

        orig = protos(base + ".pcapng")
        n_tnt = orig.count("TNT")
        print("%s: sample on port %d: %d TNT frames" % ("ok" if n_tnt > 10 else "FAIL", sport, n_tnt))
        failed += n_tnt <= 10
        for port in (443, 993):
            path = os.path.join(env.root, "port%d.pcap" % port)
            rewrite_port(base + ".pcapng", path, sport, port)
            got = protos(path)
            ok = got.count("TNT") == n_tnt
            print("%s: the same on port %d: %d TNT frames" % ("ok" if ok else "FAIL", port, got.count("TNT")))
            failed += not ok
        rc, w, _ = env.run(True, ["-n", "-r", base + ".pcapng"] + keys + ["-V", "-x", "--disable-protocol", "tnt"])
        rc2, wo, _ = env.run(False, ["-n", "-r", base + ".pcapng"] + keys + ["-V", "-x"])
        ok = w == wo and b"Transport Layer Security" in wo
        print("%s: --disable-protocol tnt gives stock output byte for byte" % ("ok" if ok else "FAIL"))
        failed += not ok
        c = os.path.join(os.path.abspath(a.corpus), "made_here", "tls12-aes128sha-server-reneg")
        plain = protos(c + ".pcapng")
        forced = protos(c + ".pcapng", ["-d", "tcp.port==443,tnt"])
        ok = "TNT" not in plain and forced.count("TNT") > 5
        print("%s: Decode As TNT on a TLS capture: %d TNT frames (without: %d)"
              % ("ok" if ok else "FAIL", forced.count("TNT"), plain.count("TNT")))
        failed += not ok
        return 1 if failed else 0
    finally:
        env.close()


def valgrind_one(env, name, path, opts):
    """Acceptance 4 (valgrind): no invalid access anywhere and no leak whose
    stack passes through the plugin (libwireshark's own thread-pool leaks
    are stock tshark's). opts: tshark's key options."""
    cmd = env.cmd(True, ["-n", "-r", path] + opts + ["-V", "-x"])
    i = cmd.index("tshark")
    cmd[i:i] = ["valgrind", "--leak-check=full", "--show-leak-kinds=definite",
                "--num-callers=40", "--track-origins=no"]
    p = subprocess.run(cmd, cwd=env.root, capture_output=True, timeout=3600)
    err = p.stderr.decode(errors="replace")
    bad = []
    for b in re_blocks(err):
        if any(w in b for w in ("Invalid read", "Invalid write", "Invalid free",
                                "uninitialised", "Conditional jump", "Mismatched free")):
            bad.append(b.strip().splitlines()[0])
        elif "definitely lost" in b and ("tnt.so" in b or "tnt_" in b):
            bad.append(b.strip().splitlines()[0])
    if p.returncode != 0:
        bad.append("tshark under valgrind exited %d" % p.returncode)
    return bad[:5]


def re_blocks(text):
    """valgrind's report as one block per error (blank-line separated)."""
    out, cur = [], []
    for line in text.splitlines():
        body = line.split("== ", 1)[1] if line.startswith("==") and "== " in line else line
        if not body.strip():
            if cur:
                out.append("\n".join(cur))
            cur = []
        else:
            cur.append(body)
    if cur:
        out.append("\n".join(cur))
    return out


def cmd_valgrind(a):
    env = Env(a.plugin)
    try:
        todo = [(n, p, ["-o", "tls.keylog_file:" + k] if k else []) for n, p, k in samples(a.src)]
        what = "samples"
        if a.corpus:
            todo = [(os.path.relpath(p, a.corpus), p, o) for p, o in corpus_entries(a.corpus)]
            what = "corpus captures"
        if a.only:
            todo = [t for t in todo if t[0] in a.only.split(",")]
        failed = run_each(env, a.jobs, todo, valgrind_one)
        print("valgrind: %d %s, %d with invalid accesses or plugin leaks" % (len(todo), what, failed))
        return 1 if failed else 0
    finally:
        env.close()


def reverse_one(env, harness, name, path, keys):
    """The same TNT tree for every frame whether the frames are revisited in
    order or in reverse (reverse_passes, a libwireshark program)."""
    cmd = env.cmd(True, [path] + (["tls.keylog_file:" + keys] if keys else []))
    cmd[cmd.index("tshark")] = harness
    p = subprocess.run(cmd, cwd=env.root, capture_output=True, timeout=600)
    if p.returncode != 0:
        return ["reverse_passes exited %d: %s" % (p.returncode, p.stderr.decode()[-300:])]
    parts = re.split(r"^order (forward|reverse) frame (\d+)\n", p.stdout.decode(), flags=re.M)
    trees = {(parts[i], int(parts[i + 1])): parts[i + 2] for i in range(1, len(parts), 3)}
    frames = sorted({f for _, f in trees})
    probs = ["frame %d: its TNT tree differs when frames are revisited in reverse" % f
             for f in frames if trees.get(("forward", f)) != trees.get(("reverse", f))]
    if not any(trees.get(("forward", f), "").strip() for f in frames):
        probs.append("no TNT tree in any frame")
    return probs[:5]


def cmd_reverse(a):
    env = Env(a.plugin)
    try:
        harness = os.path.join(env.root, "reverse_passes")
        shutil.copy(a.harness, harness)
        os.chmod(harness, 0o755)
        todo = samples(a.src)
        failed = run_each(env, a.jobs, todo, lambda env, *t: reverse_one(env, harness, *t))
        print("reverse: %d samples, %d where revisiting in reverse changes a tree"
              % (len(todo), failed))
        return 1 if failed else 0
    finally:
        env.close()


def cmd_certs(a):
    """Each TNT credential's certificates go to Wireshark's X.509 dissector
    whenever anything reads its fields: a visible tree (-V), a display filter
    or a -e column naming an X.509 field. (When nothing does, the plugin skips
    that dissection, which stock tshark never does for TNT credentials.)"""
    env = Env(a.plugin)
    try:
        base = os.path.join(os.path.abspath(a.src), "samples", "clinic-tls12-ecdhe-gcm")
        keys = ["-o", "tls.keylog_file:" + base + ".keys"]

        def frames(extra):
            rc, out, err = env.run(True, ["-n", "-r", base + ".pcapng"] + keys + extra)
            return out.decode().split() if rc == 0 else ["exit %d" % rc]

        failed = 0
        creds = frames(["-Y", "tnt.credential.type", "-T", "fields", "-e", "frame.number"])
        checks = [
            ("display filter on x509af.serialNumber",
             frames(["-Y", "tnt.credential.type && x509af.serialNumber", "-T", "fields",
                     "-e", "frame.number"]), creds),
            ("display filter on x509sat.printableString (an attribute inside the DN)",
             frames(["-Y", "tnt.credential.type && x509sat.printableString", "-T", "fields",
                     "-e", "frame.number"]), creds),
            ("display filter on pkcs1.modulus (the key, through ber.oid)",
             frames(["-Y", "tnt.credential.type && pkcs1.modulus", "-T", "fields",
                     "-e", "frame.number"]), creds),
        ]
        for name, got, want in checks:
            ok = len(want) > 0 and got == want
            print("%s: %s: frames %s (credential frames %s)" % ("ok" if ok else "FAIL", name,
                                                                 ",".join(got), ",".join(want)))
            failed += not ok
        rc, out, _ = env.run(True, ["-n", "-r", base + ".pcapng"] + keys +
                             ["-Y", "tnt.credential.type", "-T", "fields", "-E", "occurrence=a",
                              "-E", "aggregator=;", "-e", "tnt.credential.type", "-e",
                              "x509af.serialNumber"])
        rows = [l.split("\t") for l in out.decode().splitlines()]
        ok = rc == 0 and rows and all(len(r) == 2 and r[1] and
                                      len(r[1].split(";")) >= len(r[0].split(";"))
                                      for r in rows)
        print("%s: -e x509af.serialNumber: a serial number for every credential (%s)"
              % ("ok" if ok else "FAIL", "; ".join("\t".join(r) for r in rows)))
        failed += not ok
        rc, out, _ = env.run(True, ["-n", "-r", base + ".pcapng"] + keys +
                             ["-V", "-Y", "tnt.credential.type"])
        text = out.decode()
        n_creds = text.count("Credential #")
        n_x509 = text.count("signedCertificate")
        ok = rc == 0 and n_creds > 0 and n_x509 >= n_creds
        print("%s: -V: %d credentials, %d X.509 certificates dissected"
              % ("ok" if ok else "FAIL", n_creds, n_x509))
        failed += not ok
        return 1 if failed else 0
    finally:
        env.close()


REQUIRED_FIELDS = """tnt.record.content_type tnt.record.version tnt.handshake.type tnt.ext.mode
tnt.ext.strategy tnt.ext.language tnt.negotiation.round tnt.negotiation.status
tnt.policy.target_kind tnt.policy.target tnt.policy.expression tnt.policy.satisfied_in
tnt.credential.type tnt.credential.subject tnt.credential.issuer tnt.credential.chain_status
tnt.proof.credential_index tnt.proof.algorithm tnt.proof.status tnt.outcome
tnt.trust_established tnt.resumes tnt.decrypted""".split()


def cmd_load(a):
    env = Env(a.plugin)
    try:
        if env.sanitizer_env:
            if not plugin_loaded(env):
                print("FAIL: tshark -G protocols does not list tnt (sanitizer build)")
                return 1
            print("tnt protocol registered (sanitizer build: -G protocols)")
        else:
            rc, out, err = env.run(True, ["-G", "plugins"])
            lines = [l for l in out.decode().splitlines() if l.startswith("tnt.so")]
            if rc != 0 or len(lines) != 1 or "dissector" not in lines[0]:
                print("FAIL: tshark -G plugins does not list tnt.so as a dissector plugin")
                print(out.decode(), err.decode())
                return 1
            print(lines[0])
        rc, out, _ = env.run(True, ["-G", "fields"])
        have = {l.split("\t")[2] for l in out.decode().splitlines() if l.startswith("F\t")}
        missing = [f for f in REQUIRED_FIELDS if f not in have]
        if missing:
            print("FAIL: fields not registered: %s" % " ".join(missing))
            return 1
        if plugin_loaded(env, with_plugin=False):
            print("FAIL: the run without the plugin lists it")
            return 1
        print("ok: tnt.so loads; %d required fields registered" % len(REQUIRED_FIELDS))
        return 0
    finally:
        env.close()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    l = sub.add_parser("load")
    l.add_argument("--plugin", required=True)
    i = sub.add_parser("identity")
    i.add_argument("--plugin", required=True)
    i.add_argument("--corpus", required=True)
    i.add_argument("--only", help="comma-separated capture paths relative to the corpus")
    i.add_argument("--extra", action="append", help="another capture: path[:keylog]")
    i.add_argument("--modes", default=",".join(MODES))
    i.add_argument("-j", "--jobs", type=int, default=2)
    rv = sub.add_parser("reverse")
    rv.add_argument("--plugin", required=True)
    rv.add_argument("--src", required=True)
    rv.add_argument("--harness", required=True)
    rv.add_argument("-j", "--jobs", type=int, default=1)
    vg = sub.add_parser("valgrind")
    vg.add_argument("--plugin", required=True)
    vg.add_argument("--src", required=True)
    vg.add_argument("--only")
    vg.add_argument("--corpus", help="every capture of this corpus instead of the samples")
    vg.add_argument("-j", "--jobs", type=int, default=1)
    ow = sub.add_parser("ownership")
    ow.add_argument("--plugin", required=True)
    ow.add_argument("--src", required=True)
    ow.add_argument("--corpus", required=True)
    sts = sub.add_parser("stats")
    sts.add_argument("--plugin", required=True)
    sts.add_argument("--src", required=True)
    sts.add_argument("--tntdump", required=True)
    sts.add_argument("--only")
    ce = sub.add_parser("certs")
    ce.add_argument("--plugin", required=True)
    ce.add_argument("--src", required=True)
    ks = sub.add_parser("keys")
    ks.add_argument("--plugin", required=True)
    ks.add_argument("--src", required=True)
    fz = sub.add_parser("fuzz")
    fz.add_argument("--plugin", required=True)
    fz.add_argument("--src", required=True)
    fz.add_argument("--rounds", type=int, default=3)
    fz.add_argument("--seed", type=int, default=1)
    fz.add_argument("--only")
    fz.add_argument("-j", "--jobs", type=int, default=2)
    ag = sub.add_parser("agree")
    ag.add_argument("--plugin", required=True)
    ag.add_argument("--src", required=True)
    ag.add_argument("--tntdump", required=True)
    ag.add_argument("--only")
    ag.add_argument("-j", "--jobs", type=int, default=2)
    pp = sub.add_parser("passes")
    pp.add_argument("--plugin", required=True)
    pp.add_argument("--src", required=True)
    pp.add_argument("--only")
    pp.add_argument("-j", "--jobs", type=int, default=2)
    a = ap.parse_args()
    return globals()["cmd_" + a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
