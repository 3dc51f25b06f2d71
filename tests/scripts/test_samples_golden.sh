#!/bin/bash
# Golden outputs of tntdump over samples/ (the tntpeer captures), and the
# violations each sample must yield.
#
# Part 1, goldens. For every samples/NAME.pcapng, tests/golden_samples/ holds
#   NAME.txt   tntdump -r NAME.pcapng -k NAME.keys          (text)
#   NAME.json  tntdump --json -r NAME.pcapng -k NAME.keys   (NDJSON)
# and all-samples.quiet.txt, one -q run over every key file and every capture
# in sorted order (so that sessions can be linked across files), and
# NAME.anchors.* for the samples that need --trust-anchor to show their point
# (forged-issuer, and the genuine clinic license beside it). Each holds
# the exact standard output plus an "exit N" line; a FILE.err next to it holds
# the exact standard error, which must otherwise be empty. tntdump runs from
# samples/ with relative paths, so goldens do not depend on the checkout's
# location. Goldens are checked by eye against the sample's .md and the wire
# spec before they are committed; regenerate with TNT_GOLDEN_UPDATE=1 and
# review the diff.
#
# Part 2, violations. A hand-written table, independent of the goldens, says
# which violation codes (as a multiset over the sample's connections) each
# sample yields; a sample not in the table must yield none. A golden
# regenerated over a decoder regression therefore cannot hide a lost or extra
# violation.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}"
[ -x "$TNTDUMP" ] || exit 77
command -v python3 >/dev/null || exit 77
samples=$TNT_SRC/samples
dir=$TNT_SRC/tests/golden_samples
[ -d "$samples" ] || exit 77
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
update=${TNT_GOLDEN_UPDATE:-}
[ "$update" = 1 ] && mkdir -p "$dir"
fail=0
n=0
declare -A made

# check GOLDEN ARGS...: run tntdump from samples/ and compare with (or, when
# updating, write) GOLDEN and GOLDEN.err.
check() {
    local golden=$1 name
    shift
    name=$(basename "$golden")
    made[$name]=1
    (cd "$samples" && "$TNTDUMP" "$@") >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    sed -i "s|$samples/||g" "$tmp/out" "$tmp/err"
    echo "exit $rc" >>"$tmp/out"
    n=$((n + 1))
    if [ "$update" = 1 ]; then
        cp "$tmp/out" "$golden"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$golden.err"; else rm -f "$golden.err"; fi
        return
    fi
    if [ ! -f "$golden" ]; then
        echo "FAIL: $name: no golden (run with TNT_GOLDEN_UPDATE=1 and check it by eye)"
        fail=1
        return
    fi
    if ! diff -u "$golden" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL: $name: standard output differs (tntdump $*)"
        head -40 "$tmp/diff"
        fail=1
    fi
    if [ -f "$golden.err" ] && ! diff -u "$golden.err" "$tmp/err" >"$tmp/diff"; then
        echo "FAIL: $name: standard error differs"
        head -20 "$tmp/diff"
        fail=1
    elif [ ! -f "$golden.err" ] && [ -s "$tmp/err" ]; then
        echo "FAIL: $name: unexpected standard error:"
        head -5 "$tmp/err"
        fail=1
    fi
}

names=()
for p in "$samples"/*.pcapng; do
    [ -e "$p" ] || continue
    names+=("$(basename "$p" .pcapng)")
done
if [ ${#names[@]} -eq 0 ]; then
    echo "FAIL: no samples in $samples"
    exit 1
fi
mapfile -t names < <(printf '%s\n' "${names[@]}" | LC_ALL=C sort)

# --- Part 1: goldens ------------------------------------------------------
for name in "${names[@]}"; do
    if [ ! -f "$samples/$name.keys" ]; then
        echo "FAIL: $name: samples/$name.keys is missing"
        fail=1
        continue
    fi
    check "$dir/$name.txt" -r "$name.pcapng" -k "$name.keys"
    check "$dir/$name.json" --json -r "$name.pcapng" -k "$name.keys"
done

all=()
for name in "${names[@]}"; do all+=(-k "$name.keys"); done
for name in "${names[@]}"; do all+=(-r "$name.pcapng"); done
check "$dir/all-samples.quiet.txt" -q "${all[@]}"

# Samples whose point needs more than the key log: with the test PKI's real
# State Medical Board and BBB CAs as trust anchors, the forged license fails
# its issuer constraint and the genuine one satisfies it.
anchors=(--trust-anchor ../tests/data/pki/smb-ca-rsa.pem --trust-anchor ../tests/data/pki/bbb-ca-rsa.pem)
if [ -f "$samples/forged-issuer.pcapng" ]; then
    check "$dir/forged-issuer.anchors.txt" -r forged-issuer.pcapng -k forged-issuer.keys "${anchors[@]}"
    check "$dir/forged-issuer.anchors.json" --json -r forged-issuer.pcapng -k forged-issuer.keys "${anchors[@]}"
fi
if [ -f "$samples/clinic-tls12-ecdhe-gcm.pcapng" ]; then
    check "$dir/clinic-tls12-ecdhe-gcm.anchors.txt" -r clinic-tls12-ecdhe-gcm.pcapng -k clinic-tls12-ecdhe-gcm.keys "${anchors[@]}"
fi

# A golden that no case above writes (its sample is gone, say) would never
# be checked again.
for g in "$dir"/*; do
    [ -e "$g" ] || continue
    base=$(basename "$g")
    [ -n "${made[${base%.err}]:-}" ] && continue
    if [ "$update" = 1 ]; then
        rm -f "$g"
    else
        echo "FAIL: $base: golden that no case produces (its sample is gone?)"
        fail=1
    fi
done
if [ "$update" = 1 ]; then echo "$n sample golden outputs written"; else echo "$n sample golden outputs checked"; fi

# --- Part 2: violations -----------------------------------------------------
# Runs even when updating, so that a regenerated golden set is still checked.
for name in "${names[@]}"; do
    (cd "$samples" && "$TNTDUMP" --json -r "$name.pcapng" -k "$name.keys") >"$tmp/$name.ndjson" 2>/dev/null
done
python3 - "$tmp" "${names[@]}" <<'EOF' || fail=1
import collections
import json
import sys

# Sample -> the exact multiset of violation codes it must yield (issue 5).
# Every sample not listed must yield none.
EXPECTED = {
    "tnt-in-clear": ["tnt-in-clear"],
    "sensitive-in-clear": ["tnt-in-clear", "sensitive-credential-in-clear"],
    "proof-missing": ["proof-missing"],
    "proof-invalid": ["proof-invalid"],
    "round-out-of-order": ["round-out-of-order"],
    "client-success": ["client-success"],
    "no-renegotiation-info": ["renegotiation-info-missing"],
}
# Severities of spec section 8, for the codes above.
SEVERITY = {
    "tnt-in-clear": "warning",
    "sensitive-credential-in-clear": "error",
    "proof-missing": "error",
    "proof-invalid": "error",
    "round-out-of-order": "error",
    "client-success": "error",
    "renegotiation-info-missing": "warning",
}

tmp, names = sys.argv[1], sys.argv[2:]
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg)


for name in EXPECTED:
    if name not in names:
        fail("%s: the table expects violations from a sample that is not in samples/" % name)

for name in names:
    expected = collections.Counter(EXPECTED.get(name, []))
    got = collections.Counter()
    conns = 0
    with open("%s/%s.ndjson" % (tmp, name), encoding="utf-8") as f:
        for i, ln in enumerate(f):
            try:
                obj = json.loads(ln)
            except ValueError as e:
                fail("%s: line %d is not JSON: %s" % (name, i + 1, e))
                continue
            if obj.get("type") != "connection":
                continue
            conns += 1
            for v in obj.get("violations", []):
                code, sev = v.get("code"), v.get("severity")
                got[code] += 1
                if sev == "error" and code not in expected:
                    fail("%s: unexpected error %s: %s" % (name, code, v.get("message")))
                if code in SEVERITY and sev != SEVERITY[code]:
                    fail("%s: %s has severity %s, the spec says %s" % (name, code, sev, SEVERITY[code]))
    if conns == 0:
        fail("%s: no connection decoded" % name)
    if got != expected:
        fail("%s: violations %s, expected %s" % (name, sorted(got.elements()) or "none",
                                                  sorted(expected.elements()) or "none"))
print("%d samples checked for their violations, %d failures" % (len(names), failures))
sys.exit(1 if failures else 0)
EOF
exit $fail
