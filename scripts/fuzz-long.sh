#!/bin/bash
# The long fuzz runs with figures (issue 15): every harness of tests/fuzz/
# until it reaches its execution target -- 10^7 for the harnesses faster than
# 10,000 executions per second, 2*10^6 for the slower ones (conn, packet,
# keylog, negotiator, and record, legacy and order, which run at 2,500 to
# 7,700 per second here) -- one harness at a time, niced, on one core.
#
#   scripts/fuzz-long.sh [OUTDIR] [harness...]
#
# After each harness it writes a row into docs/robustness.md (between the
# FUZZ-LONG markers, replacing that harness's previous row): the command,
# executions, coverage, the date, and findings. A finding's input is copied
# to tests/fuzz/regressions/<harness>/ (so that test_fuzz_regressions.sh
# replays it) and the row links it. A run stopped before its target (SIGTERM,
# or FUZZ_LONG_MAX_SECONDS per harness) is recorded as "partial".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/tnt-fuzz-long}
shift $(($# > 0 ? 1 : 0))
doc=$top/docs/robustness.md
max_secs=${FUZZ_LONG_MAX_SECONDS:-0}
mkdir -p "$out"
CC=${CC_FUZZ:-clang} JOBS=${JOBS:-1} "$top/tests/fuzz/build.sh" fuzz "$out/bin" "$@" >"$out/build.log" 2>&1 ||
    { cat "$out/build.log"; exit 1; }

target_of() {
    case $1 in
    conn | packet | keylog | negotiator | record | legacy | order) echo 2000000 ;;
    *) echo 10000000 ;;
    esac
}

# record HARNESS COMMAND EXECS COV STATUS FINDINGS
record() {
    local row
    row="| \`$1\` | \`$2\` | $3 | $4 | $(date -u +%Y-%m-%d) | $5 | $6 |"
    python3 - "$doc" "$1" "$row" <<'PY'
import sys
path, h, row = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
start, end = '<!-- FUZZ-LONG START -->', '<!-- FUZZ-LONG END -->'
a, b = text.index(start) + len(start), text.index(end)
rows = [r for r in text[a:b].strip('\n').split('\n') if r and not r.startswith('| `%s` ' % h)]
head = [r for r in rows if not r.startswith('| `')]
body = sorted([r for r in rows if r.startswith('| `')] + [row])
open(path, 'w').write(text[:a] + '\n' + '\n'.join(head + body) + '\n' + text[b:])
PY
}

stop=0
trap 'stop=1' TERM INT
for bin in "$out"/bin/fuzz_*; do
    [ $stop = 1 ] && break
    h=${bin##*/fuzz_}
    target=$(target_of "$h")
    run=$out/run/$h
    mkdir -p "$run/corpus"
    seeds=$top/tests/fuzz/corpus/$h
    [ -d "$seeds" ] || seeds=
    extra=""
    case $h in conn | packet) extra="-max_len=12000" ;; esac
    [ "$max_secs" != 0 ] && extra="$extra -max_total_time=$max_secs"
    cmd="fuzz_$h corpus tests/fuzz/corpus/$h -runs=$target -timeout=10 -rss_limit_mb=2048 $extra"
    # shellcheck disable=SC2086
    (cd "$run" && exec nice -n 19 "$bin" corpus $seeds -runs="$target" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix=./ -print_final_stats=1 $extra) >"$run.log" 2>&1 &
    pid=$!
    while kill -0 $pid 2>/dev/null; do
        [ $stop = 1 ] && kill -INT $pid 2>/dev/null
        sleep 5
    done
    wait $pid
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$run.log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$run.log" | tail -1 | tr -d '#')
    cov=$(grep -o 'cov: [0-9]*' "$run.log" | tail -1 | sed 's/cov: //')
    findings="none"
    for f in "$run"/crash-* "$run"/leak-* "$run"/timeout-* "$run"/oom-*; do
        [ -f "$f" ] || continue
        mkdir -p "$top/tests/fuzz/regressions/$h"
        cp "$f" "$top/tests/fuzz/regressions/$h/"
        link="[${f##*/}](../tests/fuzz/regressions/$h/${f##*/})"
        [ "$findings" = none ] && findings=$link || findings="$findings, $link"
    done
    status="done"
    if [ "${execs:-0}" -lt "$target" ]; then
        status="**partial** (${execs:-0} of $target; exit $rc)"
    fi
    record "$h" "$cmd" "${execs:-0}" "${cov:-?}" "$status" "$findings"
done
