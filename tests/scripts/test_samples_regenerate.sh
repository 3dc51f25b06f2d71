#!/bin/sh
# The committed samples must be reproducible: samples/make_samples.sh run now,
# with the tntpeer just built, into a temporary folder, must give captures
# that tntdump decodes the same way as the committed ones, and clients that
# exit with the same statuses.
#
# Captures differ on every run (randoms, keys, ports, times, session IDs, the
# length of ECDSA signatures and so of records), so tntdump --json output is
# reduced to what must be stable, per connection: each handshake's kind,
# initiator, encryption, version, suite, resumption, tnt modes,
# renegotiation_info and Finished results, its message types and directions,
# and its negotiation (target, outcome, trust, reason, rounds with sender,
# status, policies and credentials with their certificate hashes and proof
# results); the violations (code, severity, handshake, round, message); the
# summary counts. Session IDs become labels in order of appearance, so a
# resumption still shows which session it reuses.
#
# Needs capture rights on lo; make_samples.sh exits 77 without them (skip).
set -u
: "${TNT_SRC:?}" "${TNTDUMP:?}" "${TNTPEER:?}"
[ -x "$TNTDUMP" ] || exit 77
[ -x "$TNTPEER" ] || {
    echo "SKIP: no tntpeer at $TNTPEER" >&2
    exit 77
}
command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 not found" >&2
    exit 77
}
S=$TNT_SRC/samples
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

cat >"$tmp/norm.py" <<'EOF'
import json
import sys

sessions = {}


def session(sid):
    # The same session ID twice in a file is what resumption is about; its
    # bytes are random.
    if sid is None or sid == "":
        return sid
    return sessions.setdefault(sid, "session-%d" % (len(sessions) + 1))


def pick(o, keys):
    return {k: o.get(k) for k in keys}


def handshake(h):
    out = pick(h, ["index", "kind", "initiator", "encrypted", "decrypted", "version",
                   "cipher_suite", "resumed", "tnt", "renegotiation_info", "finished"])
    out["session_id"] = session(h.get("session_id"))
    # Frames and times vary; which message went which way, in which order, not.
    out["messages"] = ["%s %s" % (m["dir"], m["type"]) for m in h.get("messages", [])]
    n = h.get("negotiation")
    if n is not None:
        n2 = pick(n, ["target", "confidential", "outcome", "trust_established",
                      "insecure", "reason"])
        n2["rounds"] = []
        for r in n.get("rounds", []):
            r2 = pick(r, ["round", "sender", "status"])
            r2["policies"] = [pick(p, ["target_kind", "target", "language", "expression",
                                       "satisfied_in_round", "malformed", "failing"])
                              for p in r.get("policies", [])]
            r2["credentials"] = [pick(c, ["type", "subject", "issuer", "sha256", "proof",
                                          "proof_reason"])
                                 for c in r.get("credentials", [])]
            n2["rounds"].append(r2)
        n = n2
    out["negotiation"] = n
    if "established_by" in h:
        out["established_by"] = h["established_by"]
    return out


for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "connection":
        out = {"type": "connection", "version": o.get("version"),
               "handshakes": [handshake(h) for h in o.get("handshakes", [])],
               "violations": [pick(v, ["code", "severity", "handshake", "round", "message"])
                              for v in o.get("violations", [])],
               "not_checked": o.get("not_checked"),
               # A gap's size and place vary, that there is one does not.
               "gaps": ["%s gap" % g.get("dir") for g in o.get("gaps", [])]}
    else:
        out = {k: v for k, v in o.items() if k != "files"}
    print(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False))
EOF

# Ports below Linux's ephemeral range, varied per run so that a concurrent
# make_samples.sh (into samples/, or another test run) does not collide.
port_base=${SAMPLE_PORT_BASE:-$((20000 + ($$ % 500) * 25))}
start=$(date +%s)
SAMPLE_PORT_BASE=$port_base TNTPEER=$TNTPEER "$S/make_samples.sh" -o "$tmp/regen" \
    >"$tmp/make.log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
if [ $rc -eq 77 ]; then
    echo "SKIP: make_samples.sh cannot capture here:" >&2
    cat "$tmp/make.log" >&2
    exit 77
fi
if [ $rc -ne 0 ]; then
    echo "FAIL: make_samples.sh exited $rc:" >&2
    cat "$tmp/make.log" >&2
    exit 1
fi
echo "regenerated in ${secs}s (ports from $port_base)"

# decode DIR NAME OUT: normalised JSON, then tntdump's exit status.
decode() {
    (cd "$1" && "$TNTDUMP" --json -r "$2.pcapng" -k "$2.keys" >"$tmp/json" 2>"$tmp/err")
    drc=$?
    python3 "$tmp/norm.py" <"$tmp/json" >"$3" || {
        echo "FAIL: $1/$2: tntdump --json output does not parse" >&2
        bad=1
    }
    echo "tntdump exit status $drc" >>"$3"
}

# What the .md records that must not change: the commands and the client's
# exit status.
md_facts() {
    sed -n -e '/^tntpeer \(server\|client\) /p' -e '/^openssl s_server /p' \
        -e 's/^\(The client exited with status [0-9]*\).*/\1/p' "$1"
}

n=0
for pcap in "$S"/*.pcapng; do
    name=$(basename "$pcap" .pcapng)
    n=$((n + 1))
    if [ ! -f "$tmp/regen/$name.pcapng" ] || [ ! -f "$tmp/regen/$name.keys" ]; then
        echo "FAIL: $name: make_samples.sh no longer makes it" >&2
        fail=1
        continue
    fi
    bad=0
    decode "$S" "$name" "$tmp/$name.committed"
    decode "$tmp/regen" "$name" "$tmp/$name.regenerated"
    if ! grep -q '"handshakes"' "$tmp/$name.committed"; then
        echo "FAIL: $name: no connection decoded" >&2
        bad=1
    fi
    if ! diff -u --label "samples/$name (committed)" --label "$name (regenerated)" \
        "$tmp/$name.committed" "$tmp/$name.regenerated" >&2; then
        echo "FAIL: $name: decodes differently when regenerated" >&2
        bad=1
    fi
    md_facts "$S/$name.md" >"$tmp/$name.md.committed"
    md_facts "$tmp/regen/$name.md" >"$tmp/$name.md.regenerated"
    if ! grep -q '^The client exited with status' "$tmp/$name.md.committed"; then
        echo "FAIL: $name: $name.md records no client exit status" >&2
        bad=1
    fi
    if ! diff -u --label "samples/$name.md (committed)" --label "$name.md (regenerated)" \
        "$tmp/$name.md.committed" "$tmp/$name.md.regenerated" >&2; then
        echo "FAIL: $name: commands or client exit status differ" >&2
        bad=1
    fi
    [ $bad -eq 0 ] && echo "ok: $name ($(sed -n 's/^The client exited with status //p' \
        "$tmp/$name.md.committed" | head -1))"
    [ $bad -eq 0 ] || fail=1
done
[ $n -gt 0 ] || {
    echo "FAIL: no samples in $S" >&2
    exit 1
}
for pcap in "$tmp/regen"/*.pcapng; do
    name=$(basename "$pcap" .pcapng)
    [ -f "$S/$name.pcapng" ] || {
        echo "FAIL: $name: made by make_samples.sh but not committed" >&2
        fail=1
    }
done
exit $fail
