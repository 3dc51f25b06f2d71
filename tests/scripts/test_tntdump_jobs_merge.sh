#!/bin/sh
# -j N gives the bytes -j 1 gives (stdout and stderr, text and NDJSON, with
# --summary), also when a resumption in one file needs the session of
# another; --merge of the NDJSON of shards gives the bytes of one run over
# all of them (connection numbers, resumption links across shards, summary).
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}" "${TNT_TEST_DATA:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
S=$TNT_SRC/samples
D=$TNT_TEST_DATA
keys=""
for k in "$S"/*.keys; do keys="$keys -k $k"; done
keys="$keys -k $D/reneg.keys -k $D/resumption-split.keys"
# Samples, tests/data captures (one damaged: exit 3 and a diagnostic), and
# the two halves of a resumption (the second needs the first's session).
inputs="-r $S -r $D/reneg-ipv4.pcap -r $D/bigresponse-drop.pcap -r $D/resumption-first.pcapng -r $D/resumption-second.pcapng"
indep="-r $S -r $D/reneg-ipv4.pcap -r $D/reneg-vlan.pcap"

for set in indep all; do
    [ $set = all ] && in=$inputs || in=$indep
    for mode in "" "-q" "-v" "--json" "--json --summary" "-q --summary"; do
        # shellcheck disable=SC2086
        "$TNTDUMP" $keys $mode $in >"$tmp/1.out" 2>"$tmp/1.err"
        rc1=$?
        for j in 2 3; do
            # shellcheck disable=SC2086
            TNTDUMP_JOBS_TRACE=1 "$TNTDUMP" -j $j $keys $mode $in >"$tmp/j.out" 2>"$tmp/j.err"
            rc=$?
            grep -v '^tntdump: -j ' "$tmp/j.err" >"$tmp/j.err2"
            [ $rc -eq $rc1 ] || no "$set -j $j $mode: exit $rc, -j 1 exit $rc1"
            cmp -s "$tmp/1.out" "$tmp/j.out" || no "$set -j $j $mode: stdout differs"
            cmp -s "$tmp/1.err" "$tmp/j.err2" || no "$set -j $j $mode: stderr differs"
            way=$(grep '^tntdump: -j ' "$tmp/j.err")
            case "$set:$way" in
            indep:*"in parallel"*) ;;
            all:*sequentially*) ;;
            *) no "$set -j $j $mode: went '$way'" ;;
            esac
        done
    done
done
# The cross-file link is really there (a -j that lost it would fail above
# only if -j 1 had it).
"$TNTDUMP" -j 2 -k "$D/resumption-split.keys" --json -r "$D/resumption-first.pcapng" \
    -r "$D/resumption-second.pcapng" | grep -q '"established_by":{"conn":1,"handshake":2' ||
    no "-j 2: resumption not linked to connection 1"

# --merge: shards of the same inputs, merged, equal one run.
shard() { # shard NAME files...
    name=$1
    shift
    args=""
    for f in "$@"; do args="$args -r $f"; done
    # shellcheck disable=SC2086
    "$TNTDUMP" $keys --json --summary $args >"$tmp/$name.ndjson" 2>/dev/null
}
shard one "$D/resumption-first.pcapng" "$D/resumption-second.pcapng"
shard a "$D/resumption-first.pcapng"
shard b "$D/resumption-second.pcapng"
grep -q '"code":"resume-unknown-session"' "$tmp/b.ndjson" || no "shard b should not know the session"
"$TNTDUMP" --merge "$tmp/a.ndjson" "$tmp/b.ndjson" >"$tmp/m.ndjson" || no "--merge failed"
cmp -s "$tmp/one.ndjson" "$tmp/m.ndjson" || { no "merge of the resumption halves differs from one run"; diff "$tmp/one.ndjson" "$tmp/m.ndjson" | head -5; }
# A shard read from a pipe, which merge cannot read twice, merges alike.
mkfifo "$tmp/fifo" || exit 1
cat "$tmp/a.ndjson" >"$tmp/fifo" &
writer=$!
"$TNTDUMP" --merge "$tmp/fifo" "$tmp/b.ndjson" >"$tmp/mp.ndjson" || no "--merge from a pipe failed"
# A merge that never opened the pipe leaves the writer blocked: end it
# rather than hang the test.
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
cmp -s "$tmp/one.ndjson" "$tmp/mp.ndjson" || no "merge with a shard from a pipe differs from one run"

set -- "$S"/*.pcapng
all="$* $D/reneg-ipv4.pcap $D/resumption-first.pcapng $D/resumption-second.pcapng"
# shellcheck disable=SC2086
shard one $all
# shellcheck disable=SC2086
shard s1 $(echo $all | tr ' ' '\n' | sed -n '1,6p')
# shellcheck disable=SC2086
shard s2 $(echo $all | tr ' ' '\n' | sed -n '7,20p')
# shellcheck disable=SC2086
shard s3 $(echo $all | tr ' ' '\n' | sed -n '21,$p')
"$TNTDUMP" --merge "$tmp/s1.ndjson" "$tmp/s2.ndjson" "$tmp/s3.ndjson" >"$tmp/m.ndjson"
cmp -s "$tmp/one.ndjson" "$tmp/m.ndjson" || { no "merge of three shards differs from one run"; diff "$tmp/one.ndjson" "$tmp/m.ndjson" | head -5; }
[ "$(grep -c '"type":"connection"' "$tmp/m.ndjson")" -ge 22 ] || no "merged output lacks connections"

# Shards made without --summary cannot be numbered exactly: said on stderr.
"$TNTDUMP" $keys --json -r "$D/resumption-first.pcapng" >"$tmp/nosum.ndjson"
"$TNTDUMP" --merge "$tmp/nosum.ndjson" "$tmp/b.ndjson" >/dev/null 2>"$tmp/err"
grep -q 'not made with --json --summary' "$tmp/err" || no "no warning for a shard without --summary"
# Not NDJSON: exit 1 with the line number.
printf '{"type":"connection"}\nnot json\n' >"$tmp/bad.ndjson"
"$TNTDUMP" --merge "$tmp/bad.ndjson" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q 'line 2' "$tmp/err" || no "bad NDJSON not reported"
# A bad shard is left out whole, even the lines before its bad one; the
# others are merged as without it, and the exit status says so.
"$TNTDUMP" --merge "$tmp/a.ndjson" >"$tmp/a-alone.ndjson"
printf '{"type":"connection","conn":1,"handshakes":[]}\nnot json\n' >"$tmp/bad.ndjson"
"$TNTDUMP" --merge "$tmp/bad.ndjson" "$tmp/a.ndjson" >"$tmp/m.ndjson" 2>"$tmp/err"
[ $? -eq 1 ] || no "a bad shard among good ones: exit status not 1"
grep -q 'bad.ndjson: line 2' "$tmp/err" || no "the bad shard is not named"
cmp -s "$tmp/a-alone.ndjson" "$tmp/m.ndjson" || no "lines of a bad shard were merged"
exit $fail
