#!/bin/bash
# make_tnt_capture.sh - a capture of many short TNT connections for bench/run_tnt.sh.
#
# tntpeer (this tree's build) serves the clinic negotiation of samples/clinic-tls12-ecdhe-gcm
# (TLS 1.2 ECDHE-RSA AES-128-GCM; request, HelloRequest, encrypted rehandshake with 5 TNT
# rounds: 2 policies, 2 credentials each with an RSA ownership proof, success; then a 200
# answer of BODY bytes) to BASE sequential clients, in a private network namespace, captured
# by dumpcap. bench/replicate_tnt.py then replays those BASE real negotiations into each size
# of SIZES connections, one after the other, each on its own client port: connection j is
# base connection j mod BASE, so randoms, keys and proofs repeat every BASE connections and
# the key log holds BASE lines. Every connection is decoded in full (no decoder state is
# shared between TCP connections except the certificate cache this benchmark is about).
#
# Output (BENCH_DIR, default /tmp/tnt-bench):
#   tnt-base.pcap, tnt.keys         the BASE real connections and the client's key log
#   tnt-N.pcap                      N connections, for each N of SIZES
# env: BASE (default 200), SIZES (default "200 2000 20000"), BODY (default 65536),
#      TNTPEER (default <repo>/build/peer/tntpeer), PORT (default 47400), MTU (default 1500)
# Needs root (unshare -n), dumpcap, python3.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tnt-bench}
BASE=${BASE:-200}
SIZES=${SIZES:-"200 2000 20000"}
BODY=${BODY:-65536}
PORT=${PORT:-47400}
MTU=${MTU:-1500}
TNTPEER=${TNTPEER:-$SRC/build/peer/tntpeer}
[ -x "$TNTPEER" ] || { echo "no tntpeer at $TNTPEER (build first or set TNTPEER)" >&2; exit 2; }
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
rm -f "$BENCH_DIR/tnt.keys" "$BENCH_DIR/tnt-base.pcap"

export BENCH_DIR BASE BODY PORT MTU TNTPEER
# Paths in the configs are relative to samples/configs' parent, as make_samples.sh uses them.
cd "$SRC/samples"
unshare -n bash -euo pipefail -c '
ip link set lo mtu "$MTU" up
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || true
dumpcap -q -P -i lo -s 262144 -B 256 -f "tcp port $PORT" -w "$BENCH_DIR/tnt-base.pcap" \
	2>"$BENCH_DIR/dumpcap.log" &
cap=$!
sleep 1
"$TNTPEER" server -q -l 127.0.0.1:$PORT --count "$BASE" --body-size "$BODY" \
	-c configs/clinic-server.conf \
	--cert ../tests/data/pki/clinic-web-rsa.pem --key ../tests/data/pki/clinic-web-rsa.key &
srv=$!
sleep 0.3
for i in $(seq "$BASE"); do
	"$TNTPEER" client -q --keylog "$BENCH_DIR/tnt.keys" -c configs/physician-client.conf \
		--ciphers ECDHE-RSA-AES128-GCM-SHA256 127.0.0.1:$PORT /records/4711 >/dev/null
done
wait $srv
sleep 0.5
kill -INT $cap
wait $cap || true
'
if grep -Eq "dropped on interface.*: [0-9]+/[1-9]" "$BENCH_DIR/dumpcap.log"; then
	echo "ERROR: dumpcap dropped packets" >&2
	exit 1
fi
for n in $SIZES; do
	python3 "$HERE/replicate_tnt.py" "$BENCH_DIR/tnt-base.pcap" "$n" "$BENCH_DIR/tnt-$n.pcap"
done
ls -l "$BENCH_DIR"/tnt-*.pcap "$BENCH_DIR/tnt.keys"
