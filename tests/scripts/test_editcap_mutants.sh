#!/bin/bash
# editcap -E mutation run over the samples and tests/data captures, for the
# ASan+UBSan build (CI's second pass): each mutant must exit 0, 1 or 3
# within 30 s, with no sanitizer report, and its --json output must parse.
# Mutants are random (editcap has no seed); a failing one is kept and its
# path printed. Bounded: TNT_MUTANTS per capture (default 4).
# Exit 77 unless $TNTDUMP is a sanitizer build and editcap is installed.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}"
command -v editcap >/dev/null || { echo "skip: no editcap"; exit 77; }
if ! nm -an "$TNTDUMP" 2>/dev/null | grep -q __asan_init; then
    echo "skip: $TNTDUMP is not an ASan build (cmake -DTNT_SANITIZE=ON)"
    exit 77
fi
n=${TNT_MUTANTS:-4}
tmp=$(mktemp -d)
keep=${TMPDIR:-/tmp}/tnt-mutants
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
runs=0 bad=0
for cap in "$TNT_SRC"/samples/*.pcapng "$TNT_SRC"/tests/data/*.pcap "$TNT_SRC"/tests/data/*.pcapng; do
    [ -f "$cap" ] || continue
    keys=${cap%.*}.keys
    kargs=()
    [ -f "$keys" ] && kargs=(-k "$keys")
    for i in $(seq 1 "$n"); do
        m=$tmp/m.pcapng
        # error probability per byte: 0.001 .. 0.02
        editcap -E "0.0$(( (i * 7) % 20 + 1 ))" "$cap" "$m" 2>/dev/null || continue
        runs=$((runs + 1))
        timeout 30 "$TNTDUMP" --json "${kargs[@]}" -r "$m" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        why=""
        case $rc in
        0 | 1 | 3) ;;
        124) why="hang (30 s)" ;;
        *) why="exit $rc" ;;
        esac
        grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$tmp/err" && why="sanitizer report"
        if [ -z "$why" ] && [ $rc -ne 1 ] && ! python3 -c '
import json, sys
for line in open(sys.argv[1]):
    json.loads(line)' "$tmp/out" 2>/dev/null; then
            why="output is not NDJSON"
        fi
        if [ -n "$why" ]; then
            mkdir -p "$keep"
            k=$keep/$(basename "$cap").$i.$$.pcapng
            cp "$m" "$k"
            echo "FAIL: $why: mutant of $cap kept as $k"
            head -20 "$tmp/err"
            bad=$((bad + 1))
        fi
    done
done
echo "$runs mutants, $bad failures"
[ $bad -eq 0 ]
