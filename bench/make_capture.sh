#!/bin/bash
# make_capture.sh - build the decryption benchmark capture (not committed: ~220 MB).
#
# Output (in ${BENCH_DIR:-/tmp/tnt-bench}):
#   tls12-gcm-bulk.pcapng   dumpcap capture, full snaplen
#   tls12-gcm-bulk.keys     NSS key log written by openssl s_client -keylogfile
#
# Traffic: TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 (no TLS 1.3), openssl s_server -HTTP serving files,
# one openssl s_client per connection doing "GET /<file> HTTP/1.0". Connections run one after
# the other; the server answers in 16 KiB records. Default sizes (KiB) give ~209 MiB of
# application data in 7 connections; override with SIZES_KIB="...".
#
# Everything runs in a private network namespace (unshare -n) so nothing else on the machine is
# captured. The namespace's lo gets MTU 1500 and TSO/GSO/GRO off, so, as on Ethernet, every
# 16 KiB record spans ~12 TCP segments and both tools must do TCP reassembly. MTU=65536 gives
# the loopback default instead.
#
# Needs root (unshare -n), openssl, dumpcap, ethtool (optional), tshark + editcap for the check.
set -euo pipefail

BENCH_DIR=${BENCH_DIR:-/tmp/tnt-bench}
NAME=${NAME:-tls12-gcm-bulk}
CIPHER=${CIPHER:-ECDHE-RSA-AES128-GCM-SHA256}
MTU=${MTU:-1500}
# small ones first, so that a slice of the first packets holds complete HTTP exchanges
SIZES_KIB=${SIZES_KIB:-"4 1024 65536 49152 40960 32768 24576"}

mkdir -p "$BENCH_DIR/www"
cd "$BENCH_DIR"
D=$PWD
CAP=$D/$NAME.pcapng
KEYS=$D/$NAME.keys
rm -f "$CAP" "$KEYS" "$D/$NAME".*.log

if [ ! -s key.pem ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3650 \
		-subj /CN=tnt.test >/dev/null 2>&1
fi

# Response files: HTTP/1.0 header + incompressible body (nothing compresses here, but keep it honest).
files=()
i=0
for kib in $SIZES_KIB; do
	i=$((i + 1))
	f=www/f$i-${kib}k.http
	if [ ! -s "$f" ] || ! grep -aq "^Content-Length: $((kib * 1024))" "$f"; then
		printf 'HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n' \
			$((kib * 1024)) >"$f"
		head -c $((kib * 1024)) /dev/urandom >>"$f"
	fi
	files+=("$f")
done
export D NAME CIPHER MTU CAP KEYS
export FILES="${files[*]}"
NCONN=${#files[@]}
export NCONN

# taskset: keep dumpcap, server and client on one CPU. Otherwise, on a multi-core machine, loopback
# packets sent from different CPUs reach the capture socket out of order now and then (an artefact
# of capturing, not of TCP), and tshark (tcp.reassemble_out_of_order off by default) then loses
# the TLS record boundaries for the rest of that connection.
taskset -c "${CPU:-0}" unshare -n bash -euo pipefail -c '
ip link set lo mtu "$MTU" up
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || echo "note: ethtool offload settings not applied" >&2
dumpcap -q -i lo -s 262144 -B 256 -f "tcp port 443" -w "$CAP" 2>"$D/$NAME.dumpcap.log" &
DPID=$!
sleep 2
cd "$D"
# -HTTP: send file ./<path> as is (it holds the response headers, with Content-Length, so that
# tshark can complete the HTTP response), then close
openssl s_server -accept 443 -naccept "$NCONN" -HTTP -cert cert.pem -key key.pem \
	-cipher "$CIPHER" -no_tls1_3 -no_ticket >"$D/$NAME.server.log" 2>&1 &
SPID=$!
sleep 1
for f in $FILES; do
	printf "GET /%s HTTP/1.0\r\nHost: tnt.test\r\nUser-Agent: tnt-bench\r\n\r\n" "$f" |
		openssl s_client -connect 127.0.0.1:443 -tls1_2 -cipher "$CIPHER" \
			-keylogfile "$KEYS" -quiet >"$D/$NAME.body.tmp" 2>>"$D/$NAME.client.log"
	echo "conn $f: received $(stat -c %s "$D/$NAME.body.tmp") bytes" >>"$D/$NAME.client.log"
done
rm -f "$D/$NAME.body.tmp"
wait $SPID || true
sleep 2
kill -INT $DPID
wait $DPID || true
'

cat "$NAME.dumpcap.log" >&2
grep "received" "$NAME.client.log" >&2
if grep -Eq "dropped on interface.*: [0-9]+/[1-9]" "$NAME.dumpcap.log"; then
	echo "ERROR: dumpcap dropped packets; re-run on a quieter machine" >&2
	exit 1
fi
nkeys=$(grep -c '^CLIENT_RANDOM' "$KEYS")
[ "$nkeys" -eq "$NCONN" ] || { echo "ERROR: $nkeys keys for $NCONN connections" >&2; exit 1; }

# Check that tshark decrypts: the small exchanges are in the first packets.
editcap -r "$CAP" "$D/$NAME.head.pcapng" 1-400 >/dev/null
echo "tshark check (first 400 packets, decrypted HTTP):" >&2
# (desegment_body off: the response header shows although the body continues past the slice)
tshark -n -r "$D/$NAME.head.pcapng" -o "tls.keylog_file:$KEYS" -o http.desegment_body:FALSE -Y "http.request || http.response" \
	-T fields -e frame.number -e tcp.stream -e http.request.uri -e http.response.code >&2
ok=$(tshark -n -r "$D/$NAME.head.pcapng" -o "tls.keylog_file:$KEYS" -o http.desegment_body:FALSE -Y "http.response.code == 200" | wc -l)
rm -f "$D/$NAME.head.pcapng"
[ "$ok" -ge 1 ] || { echo "ERROR: tshark did not decrypt an HTTP response" >&2; exit 1; }

# No capture artefacts (segments out of order or missing in the capture), so that tshark decrypts
# all of it. Genuine TCP retransmissions (zero window, window full) do occur and are kept: both
# tools must drop the duplicate bytes.
nbad=$(tshark -n -r "$CAP" -Y "tcp.analysis.out_of_order || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment" 2>/dev/null | wc -l)
echo "TCP capture artefacts (out-of-order, not captured): $nbad" >&2
[ "$nbad" -eq 0 ] || { echo "ERROR: capture has TCP anomalies; re-run (maybe with CPU=1)" >&2; exit 1; }

capinfos -c -s -u -y "$CAP" >&2 || true
ls -l "$CAP" "$KEYS"
