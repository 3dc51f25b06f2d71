#!/bin/bash
# Verdicts as soon as the bytes decide them, over every corpus capture
# (issue 10): test_streaming_verdicts (tests/stream/) with the key log that
# INDEX.tsv names, or none. Each verdict delivered before the end must be
# delivered identically when the capture is fed only up to its deciding
# frame, and still hold after the end. Captures without keys exercise the
# handshakes that end at unreadable Finished messages. Files libpcap cannot
# open (gzip, pcapng without interfaces) are passed over.
set -u
: "${TNT_BUILD:?}"
corpus=${TNT_CORPUS:-}
prog=$TNT_BUILD/tests/test_streaming_verdicts
[ -x "$prog" ] || exit 77
[ -n "$corpus" ] && [ -d "$corpus" ] || { echo "skip: no corpus"; exit 77; }
fail=0 n=0 skipped=0
for idx in "$corpus"/third_party/INDEX.tsv "$corpus"/made_here/legacy/INDEX.tsv; do
    [ -f "$idx" ] || continue
    base=$(dirname "$idx")
    while IFS=$'\t' read -r cap kind keys _; do
        [ "$cap" = capture ] && continue
        [ -f "$base/$cap" ] || continue
        k=/dev/null
        [ -n "$keys" ] && [ "$keys" != - ] && k=$base/$keys
        out=$("$prog" "$base/$cap" "$k" 2>&1)
        rc=$?
        if [ $rc != 0 ] && grep -q "unknown file format\|no Interface Description Blocks" <<<"$out"; then
            skipped=$((skipped + 1))
            continue
        fi
        n=$((n + 1))
        if [ $rc != 0 ]; then
            echo "FAIL: $cap"
            grep FAIL <<<"$out" | head -5
            fail=1
        fi
    done <"$idx"
done
echo "$n captures checked, $skipped not readable by libpcap"
[ $n -gt 0 ] || exit 77
exit $fail
