#!/bin/bash
# CI's fuzz smoke run: every harness of tests/fuzz/ built with libFuzzer,
# ASan and UBSan (tests/fuzz/build.sh fuzz) and run for a bounded time from
# its checked-in seeds. Any finding (crash, sanitizer report, leak, fuzz
# assertion, timeout, out of memory) fails the test and leaves the input in
# the log. The long runs with figures are scripts/fuzz-long.sh's.
#
# TNT_FUZZ_SMOKE_SECONDS: seconds per harness (default 60: about a minute each, as
# issue 15 asks; 0 skips).
# Exit 77 (skip) without clang's libFuzzer.
set -u
src=${TNT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${TNT_FUZZ_SMOKE_SECONDS:-60}
[ "$secs" = 0 ] && { echo "skip: TNT_FUZZ_SMOKE_SECONDS=0"; exit 77; }
# The harnesses are built with ASan+UBSan by build.sh whatever the build
# being tested, so the sanitizer pass of the suite would only repeat them.
case "${TNT_SANITIZE:-}" in
ON | on | 1 | TRUE | true) echo "skip: run once, in the first (non-sanitizer) pass"; exit 77 ;;
esac
cc=${CC_FUZZ:-clang}
command -v "$cc" >/dev/null || { echo "skip: no $cc"; exit 77; }
command -v pkg-config >/dev/null || { echo "skip: no pkg-config"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' >"$tmp/t.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" 2>/dev/null; then
    echo "skip: $cc has no libFuzzer (Debian: libclang-rt-14-dev)"
    exit 77
fi
if ! CC=$cc JOBS=2 "$src/tests/fuzz/build.sh" fuzz "$tmp/bin" >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"
    echo "FAIL: the harnesses do not build"
    exit 1
fi
fail=0
for bin in "$tmp"/bin/fuzz_*; do
    h=${bin##*/fuzz_}
    mkdir -p "$tmp/run/$h/corpus"
    seeds=$src/tests/fuzz/corpus/$h
    [ -d "$seeds" ] || seeds=
    case $h in
    conn | packet) extra="-max_len=12000" ;;
    *) extra="" ;;
    esac
    log=$tmp/run/$h.log
    # shellcheck disable=SC2086
    (cd "$tmp/run/$h" && "$bin" corpus $seeds $extra -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix=./ -print_final_stats=1 >"$log" 2>&1)
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ $rc -ne 0 ] || ls "$tmp/run/$h"/crash-* "$tmp/run/$h"/leak-* "$tmp/run/$h"/timeout-* \
        "$tmp/run/$h"/oom-* >/dev/null 2>&1; then
        echo "FAIL: $h (exit $rc)"
        grep -E 'ERROR|SUMMARY|assertion|Test unit written' "$log" | head -20
        for f in "$tmp/run/$h"/crash-* "$tmp/run/$h"/leak-* "$tmp/run/$h"/timeout-* "$tmp/run/$h"/oom-*; do
            [ -f "$f" ] && { echo "input ${f##*/} (base64):"; base64 "$f" | head -40; }
        done
        fail=1
    else
        echo "ok: $h: ${execs:-?} executions in ${secs}s, $cov"
    fi
done
exit $fail
