#!/bin/bash
# Replays the fuzzers' findings and seed corpora without libFuzzer.
#
# Every file under tests/fuzz/regressions/<harness>/ (an input that once
# crashed, hung or broke an invariant, kept after the fix) and under
# tests/fuzz/corpus/<harness>/ (the seeds) is run once through tests/fuzz/fuzz_<harness>.c
# built as a plain program (-DTNT_FUZZ_MAIN) with ASan and UBSan. Any sanitizer
# report, leak, assertion or crash fails the test.
#
# The harnesses are compiled here (tests/fuzz/build.sh replay) with CC (default
# cc), into a temporary directory. Exit 77 (skip) without a compiler,
# pkg-config or the libraries' development files.
set -u
src=${TNT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
fuzz="$src/tests/fuzz"
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "skip: no C compiler ($cc)"; exit 77; }
command -v pkg-config >/dev/null || { echo "skip: pkg-config not installed"; exit 77; }
pkg-config --exists glib-2.0 libgcrypt gnutls zlib || { echo "skip: glib/libgcrypt/gnutls/zlib dev files missing"; exit 77; }
# The compiler must be able to link a sanitized program.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo 'int main(void){return 0;}' >"$tmp/t.c"
if ! "$cc" -fsanitize=address,undefined "$tmp/t.c" -o "$tmp/t" 2>/dev/null; then
    echo "skip: $cc cannot link with -fsanitize=address,undefined"
    exit 77
fi

harnesses=()
for f in "$fuzz"/fuzz_*.c; do
    h=$(basename "$f" .c)
    harnesses+=("${h#fuzz_}")
done
echo "building ${#harnesses[@]} harnesses with $cc (ASan+UBSan)"
if ! CC="$cc" "$fuzz/build.sh" replay "$tmp/bin" "${harnesses[@]}" >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log"
    echo "FAIL: the harnesses do not build"
    echo "0 passed, 1 failed"
    exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TNT_FUZZ_DATA="$src/tests/data"
# Findings in files this repo's fuzz owner may not fix are saved at once, and
# listed in KNOWN_FAILING (paths relative to tests/fuzz/regressions) until the
# fix lands: they are replayed and reported, but do not fail the test.
known="$fuzz/regressions/KNOWN_FAILING"
is_known() {
    [ -f "$known" ] && grep -qxF "$1" <(sed 's/#.*//; s/[[:space:]]*$//' "$known")
}
pass=0
fail=0
known_fail=0
for h in "${harnesses[@]}"; do
    for kind in regressions corpus; do
        dir="$fuzz/$kind/$h"
        [ -d "$dir" ] || continue
        n=$(find "$dir" -maxdepth 1 -type f | wc -l)
        [ "$n" -gt 0 ] || continue
        # One process per file, so that a failure names its input and a
        # leak is charged to the right one. A hang is a failure too.
        while IFS= read -r f; do
            rel=${f#"$fuzz/regressions/"}
            if timeout 60 "$tmp/bin/fuzz_$h" "$f" >"$tmp/out" 2>&1; then
                pass=$((pass + 1))
                if [ "$kind" = regressions ] && is_known "$rel"; then
                    echo "NOTE: $rel passes now: remove it from tests/fuzz/regressions/KNOWN_FAILING"
                fi
            elif [ "$kind" = regressions ] && is_known "$rel"; then
                known_fail=$((known_fail + 1))
                echo "known failure (KNOWN_FAILING): fuzz_$h $rel"
                grep -m3 -E "assertion|ERROR|runtime error" "$tmp/out"
            else
                fail=$((fail + 1))
                echo "FAIL: fuzz_$h ${f#"$src"/}"
                tail -40 "$tmp/out"
            fi
        done < <(find "$dir" -maxdepth 1 -type f | sort)
        echo "fuzz_$h: $n $kind inputs replayed"
    done
done
[ "$known_fail" -eq 0 ] || echo "$known_fail known failures not counted (see KNOWN_FAILING)"
echo "replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
