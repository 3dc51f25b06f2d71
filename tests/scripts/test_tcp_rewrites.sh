#!/bin/sh
# TCP reassembly and link layers seen through tntdump: captures rewritten by
# tests/tools/pcap_rewrite.py (reordered, duplicated, fragmented segments, other
# link types, IPv6) must print exactly the record lines of their original, and
# the one with a dropped segment must report the gap.
set -u
: "${TNTDUMP:?}" "${TNT_TEST_DATA:?}"
[ -x "$TNTDUMP" ] || exit 77
D=$TNT_TEST_DATA
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# Record and message lines without the frame and time columns.
records() {
    "$TNTDUMP" -r "$1" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $TNTDUMP -r $1 exited $rc" >&2
        cat "$tmp/err" >&2
        fail=1
    fi
    sed -n -E 's/^[[:space:]]+[0-9]+[[:space:]]+[0-9]+\.[0-9]+[[:space:]]+((C>S|S>C) .*)$/\1/p' "$tmp/out"
}

same_as() {
    orig=$1
    shift
    records "$D/$orig" >"$tmp/want"
    if [ ! -s "$tmp/want" ]; then
        echo "FAIL: no record lines for $orig" >&2
        fail=1
        return
    fi
    for v in "$@"; do
        records "$D/$v" >"$tmp/got"
        if ! cmp -s "$tmp/want" "$tmp/got"; then
            echo "FAIL: $v differs from $orig:" >&2
            diff "$tmp/want" "$tmp/got" | head -20 >&2
            fail=1
        fi
    done
}

same_as bigresponse.pcapng bigresponse-reorder.pcap bigresponse-dup.pcap \
    bigresponse-ipfrag-rev.pcap bigresponse-qinq.pcap
same_as reneg.pcapng reneg-sll.pcap reneg-sll2.pcap reneg-null.pcap reneg-null-be.pcap \
    reneg-loop.pcap reneg-vlan.pcap reneg-raw.pcap reneg-ipv4.pcap reneg-ipv6.pcap \
    reneg-ipv6-ext.pcap

# The dropped segment: 1448 server bytes at stream offset 11458.
records "$D/bigresponse-drop.pcap" >"$tmp/drop"
if ! grep -q -E '^S>C gap 1448 bytes missing' "$tmp/drop"; then
    echo "FAIL: bigresponse-drop.pcap: no 'S>C gap 1448 bytes missing' line" >&2
    fail=1
fi
# Everything before the gap is unchanged.
records "$D/bigresponse.pcapng" >"$tmp/want"
n=$(grep -n -m1 ' gap ' "$tmp/drop" | cut -d: -f1)
if [ -n "$n" ]; then
    head -n $((n - 1)) "$tmp/drop" >"$tmp/before"
    head -n $((n - 1)) "$tmp/want" >"$tmp/want_before"
    cmp -s "$tmp/before" "$tmp/want_before" || {
        echo "FAIL: bigresponse-drop.pcap differs before the gap" >&2
        fail=1
    }
fi
[ $fail -eq 0 ] && echo "test_tcp_rewrites: ok"
exit $fail
