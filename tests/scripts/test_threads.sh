#!/bin/sh
# tntdump --threads N (one reading thread, N - 1 analysing connections) must
# write what one thread writes, byte for byte, on stdout and stderr, with the
# same exit status: on every sample and tests/data capture in four modes,
# and on captures where dozens of connections run at once and resume each
# other's sessions (tests/tools/interleave_conns.py), so that what the
# run-wide session store and key memory answer depends on the order of the
# inputs (checked: with that order not kept, these runs differ).
set -eu
: "${TNTDUMP:?}" "${TNT_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
runs=0

same() { # capture keyfile-or-empty mode...
    f=$1 k=$2
    shift 2
    kf=
    [ -n "$k" ] && kf="-k $k"
    # shellcheck disable=SC2086
    "$TNTDUMP" --threads 1 "$@" $kf -r "$f" >"$tmp/o1" 2>"$tmp/e1" && r1=0 || r1=$?
    for t in 2 3 6; do
        # shellcheck disable=SC2086
        "$TNTDUMP" --threads $t "$@" $kf -r "$f" >"$tmp/o2" 2>"$tmp/e2" && r2=0 || r2=$?
        runs=$((runs + 1))
        if [ "$r1" != "$r2" ] || ! cmp -s "$tmp/o1" "$tmp/o2" || ! cmp -s "$tmp/e1" "$tmp/e2"; then
            echo "FAIL: --threads $t differs from --threads 1: $f $* (exit $r1 / $r2)"
            diff "$tmp/o1" "$tmp/o2" | head -5
            diff "$tmp/e1" "$tmp/e2" | head -5
            fail=1
        fi
    done
}

keys_for() {
    b=${1%.*}
    for k in "$b.keys" "$b.keylog"; do
        [ -f "$k" ] && { echo "$k"; return; }
    done
    echo ""
}

for f in "$TNT_SRC"/samples/*.pcapng "$TNT_SRC"/tests/data/*.pcap "$TNT_SRC"/tests/data/*.pcapng; do
    [ -f "$f" ] || continue
    k=$(keys_for "$f")
    for mode in "" "-q" "-vv" "--json --summary"; do
        # shellcheck disable=SC2086
        same "$f" "$k" $mode
    done
done

# Concurrent copies. resumption: each copy's second connection resumes a
# session ID that every copy established, so which connection it links to
# (established_by) is decided by the order of the inputs.
for s in resumption clinic-tls12-ecdhe-gcm proof-invalid failure-denied sensitive-in-clear; do
    editcap -F pcap "$TNT_SRC/samples/$s.pcapng" "$tmp/$s.pcap"
    python3 "$TNT_SRC/tests/tools/interleave_conns.py" "$tmp/$s.pcap" 40 700 "$tmp/$s-x40.pcap" >/dev/null
    for mode in "" "-q" "--json --summary"; do
        # shellcheck disable=SC2086
        same "$tmp/$s-x40.pcap" "$TNT_SRC/samples/$s.keys" $mode
    done
done

# The interleaved resumption capture is what it should be: connections
# overlap, and the resumptions link to many different establishing
# connections (not always the latest or the first).
"$TNTDUMP" --threads 1 --json -k "$TNT_SRC/samples/resumption.keys" -r "$tmp/resumption-x40.pcap" >"$tmp/r.json"
links=$(grep -o '"established_by":{"conn":[0-9]*' "$tmp/r.json" | sort -u | wc -l)
overlap=$(python3 - "$tmp/r.json" <<'PY'
import json, sys
spans = [(o["start"], o["end"]) for o in map(json.loads, open(sys.argv[1])) if o.get("type") == "connection"]
spans.sort()
print(sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1]))
PY
)
echo "resumption x40: $links distinct establishing connections, $overlap overlapping pairs"
if [ "$links" -lt 10 ] || [ "$overlap" -lt 10 ]; then
    echo "FAIL: the interleaved capture does not exercise concurrent resumptions"
    fail=1
fi
echo "$runs runs compared"
exit $fail
