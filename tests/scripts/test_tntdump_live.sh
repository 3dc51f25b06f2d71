#!/bin/sh
# Live capture on loopback: tntdump -i lo with a BPF filter for one port
# while tntpeer runs the clinic negotiation on it, writing what it saw with
# -w. SIGINT stops it cleanly (exit 0, the summary written); its output
# equals that of reading the -w file back; the file, read with the key log
# the client wrote, shows the negotiation succeeding. Needs root (CI runs as
# root) to capture; skips (77) otherwise.
set -u
: "${TNTDUMP:?}" "${TNTPEER:?}" "${TNT_SRC:?}"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: live capture needs root"; exit 77; }
ip link show lo >/dev/null 2>&1 || { echo "SKIP: no loopback interface"; exit 77; }
tmp=$(mktemp -d) || exit 1
dump_pid=""
srv_pid=""
cleanup() {
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
    [ -n "$dump_pid" ] && kill "$dump_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
C=$TNT_SRC/samples/configs
P=$TNT_SRC/tests/data/pki

"$TNTDUMP" -i lo --json --summary -w "$tmp/live.pcapng" "tcp port $port" >"$tmp/live.json" 2>"$tmp/live.err" &
dump_pid=$!
# tntdump says nothing when the capture starts: wait until its socket is
# bound (the packet socket shows in /proc/PID/fd), then a moment more.
for _ in $(seq 100); do
    ls -l /proc/$dump_pid/fd 2>/dev/null | grep -q 'socket:' && break
    sleep 0.05
done
sleep 0.5
"$TNTPEER" server -l 127.0.0.1:$port --ready "$tmp/ready" --count 1 -c "$C/clinic-server.conf" \
    --cert "$P/clinic-web-rsa.pem" --key "$P/clinic-web-rsa.key" >"$tmp/server.out" 2>&1 &
srv_pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
[ -s "$tmp/ready" ] || no "tntpeer server did not start: $(cat "$tmp/server.out")"
(cd "$TNT_SRC/samples" && "$TNTPEER" client --keylog "$tmp/keys" -c "$C/physician-client.conf" \
    --ciphers ECDHE-RSA-AES128-GCM-SHA256 127.0.0.1:$port /records/4711) >"$tmp/client.out" 2>&1 ||
    no "tntpeer client failed: $(tail -3 "$tmp/client.out")"
wait "$srv_pid" 2>/dev/null
srv_pid=""
sleep 0.5 # the last ACKs
kill -INT "$dump_pid"
wait "$dump_pid"
rc=$?
dump_pid=""
[ $rc -eq 0 ] || no "tntdump -i exit $rc after SIGINT: $(cat "$tmp/live.err")"
tail -1 "$tmp/live.json" | grep -q '"type":"summary"' || no "no summary after SIGINT"
[ "$(grep -c '"type":"connection"' "$tmp/live.json")" -eq 1 ] || no "want 1 connection live: $(head -c 300 "$tmp/live.json")"
[ -s "$tmp/live.pcapng" ] || no "-w wrote nothing"

"$TNTDUMP" --json --summary -r "$tmp/live.pcapng" >"$tmp/back.json" 2>"$tmp/back.err"
python3 - "$tmp/live.json" "$tmp/back.json" <<'PY' || no "live output differs from reading the -w file back"
import json, sys
def load(p):
    out = []
    for l in open(p):
        o = json.loads(l)
        o.pop("file", None)
        o.pop("files", None)
        out.append(o)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    print(json.dumps(a)[:400]); print(json.dumps(b)[:400]); sys.exit(1)
PY
# BPF really filtered: only the one port's connection, and the file with the
# client's key log shows the clinic negotiation.
"$TNTDUMP" -q -k "$tmp/keys" -r "$tmp/live.pcapng" >"$tmp/keyed.txt"
grep -q "TNT success trust rounds=5 violations=0" "$tmp/keyed.txt" || no "negotiation not seen: $(cat "$tmp/keyed.txt")"
grep -q ":$port " "$tmp/keyed.txt" || no "connection on another port"
exit $fail
