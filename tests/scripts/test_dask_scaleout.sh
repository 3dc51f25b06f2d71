#!/bin/sh
# Scale-out on Dask distributed: a real scheduler and two workers on
# loopback, scripts/tntdump-dask.py over the samples between the two halves
# of a split resumption, cut into three shards (the halves land in the first
# and the last), merged: the output must be the bytes of one tntdump --json
# --summary run over the same inputs, the resumption linked across shards.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}" "${TNT_TEST_DATA:?}"
PY=/usr/bin/python3
$PY -c 'import distributed' 2>/dev/null || { echo "SKIP: python3-distributed not installed"; exit 77; }
command -v dask-scheduler >/dev/null 2>&1 && command -v dask-worker >/dev/null 2>&1 ||
    { echo "SKIP: dask-scheduler/dask-worker not found"; exit 77; }
tmp=$(mktemp -d) || exit 1
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cd "$tmp" || exit 1
dask-scheduler --host 127.0.0.1 --port "$port" --no-dashboard >"$tmp/scheduler.log" 2>&1 &
pids="$!"
for w in 1 2; do
    dask-worker "tcp://127.0.0.1:$port" --nworkers 1 --nthreads 1 --no-dashboard \
        --local-directory "$tmp/w$w" >"$tmp/worker$w.log" 2>&1 &
    pids="$pids $!"
done
S=$TNT_SRC/samples
D=$TNT_TEST_DATA
keys=""
for k in "$S"/*.keys; do keys="$keys -k $k"; done
keys="$keys -k $D/resumption-split.keys"
mkdir "$tmp/res"
cp "$D/resumption-first.pcapng" "$D/resumption-second.pcapng" "$tmp/res/"
# shellcheck disable=SC2086
"$TNTDUMP" --json --summary $keys -r "$tmp/res/resumption-first.pcapng" -r "$S" \
    -r "$tmp/res/resumption-second.pcapng" >"$tmp/one.ndjson" 2>"$tmp/one.err"
# tntdump's files are named by absolute path on the workers: so here too.
sed -i "s|\"$S/|\"$(cd "$S" && pwd)/|g" "$tmp/one.ndjson"
# shellcheck disable=SC2086
timeout 300 $PY "$TNT_SRC/scripts/tntdump-dask.py" --scheduler "tcp://127.0.0.1:$port" \
    --wait-workers 2 --shards 3 --tntdump "$TNTDUMP" -o "$tmp/dask.ndjson" $keys "$tmp/res/resumption-first.pcapng" \
    "$S" "$tmp/res/resumption-second.pcapng" \
    2>"$tmp/dask.err" || no "driver failed: $(tail -5 "$tmp/dask.err")"
cmp -s "$tmp/one.ndjson" "$tmp/dask.ndjson" || {
    no "merged Dask output differs from one run"
    diff "$tmp/one.ndjson" "$tmp/dask.ndjson" | head -6
}
n=$(grep -c '"type":"connection"' "$tmp/dask.ndjson")
[ "$n" -ge 22 ] || no "only $n connections"
grep -q '"established_by":{"conn":' "$tmp/dask.ndjson" || no "resumption across shards not linked"
# Both workers did work (each logs the tasks it ran only at debug level, so
# ask the scheduler instead: two workers were connected).
grep -q "Register worker" "$tmp/scheduler.log" || no "no worker registered"
[ "$(grep -c 'Register worker' "$tmp/scheduler.log")" -ge 2 ] || no "fewer than two workers"
exit $fail
