#!/bin/bash
# tntdump --threads N against --threads 1 over every sample, every tests/data
# capture and every corpus capture (../shared/corpus), in five modes: stdout,
# stderr and exit status must be identical. The bounded slice that CI runs is
# tests/scripts/test_threads.sh; this is the full sweep, run by hand and
# recorded (docs/scale-out.md).
#   scripts/threads-sweep.sh [N]         (default N: 4)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
T=${TNTDUMP:-$top/build/capture/tntdump}
N=${1:-4}
corpus=${TNT_CORPUS:-$top/../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
    find "$top/samples" "$top/tests/data" -name '*.pcap' -o -name '*.pcapng' | sort
    if [ -d "$corpus" ]; then
        find "$corpus" -name '*.pcap' -o -name '*.pcapng' | sort
    else
        echo "corpus absent at $corpus: samples and tests/data only" >&2
    fi
} >"$tmp/inputs"
n=0
bad=0
while read -r f; do
    d=$(dirname "$f")
    b=$(basename "$f")
    stem=${b%.*}
    keys=()
    for k in "$d/$stem.keys" "$d/$stem.keylog" "$d/keys.txt" "$d/$stem.txt"; do
        if [ -f "$k" ]; then keys=(-k "$k"); break; fi
    done
    for mode in "" "-q" "--json" "-v" "--json --summary"; do
        # shellcheck disable=SC2086
        "$T" --threads 1 $mode "${keys[@]}" -r "$f" >"$tmp/o1" 2>"$tmp/e1"
        r1=$?
        # shellcheck disable=SC2086
        "$T" --threads "$N" $mode "${keys[@]}" -r "$f" >"$tmp/o2" 2>"$tmp/e2"
        r2=$?
        n=$((n + 1))
        if [ $r1 != $r2 ] || ! cmp -s "$tmp/o1" "$tmp/o2" || ! cmp -s "$tmp/e1" "$tmp/e2"; then
            bad=$((bad + 1))
            echo "DIFF: $f [$mode]"
        fi
    done
done <"$tmp/inputs"
echo "$(wc -l <"$tmp/inputs") inputs, $n runs, --threads $N against --threads 1: $bad differ"
[ $bad = 0 ]
