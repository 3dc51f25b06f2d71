#!/bin/sh
# Live capture on loopback: tntdump -i lo with a BPF filter for one port
# while tntpeer runs the clinic negotiation on it, writing what it saw with
# -w. SIGINT stops it cleanly (exit 0, the summary written); its output
# equals that of reading the -w file back; the file, read with the key log
# the client wrote, shows the negotiation succeeding.
# Live output does not wait for connections to close: the server holds the
# connection open after its negotiation (tntpeer --hold), and the verdict
# object is read from tntdump's stdout while the connection is still open
# (no connection object yet, server and client still running); it equals
# the connection object's handshake once the connection ends. tntdump
# decrypts the renegotiation live with the server's RSA key (RSA key
# transport). Needs root (CI runs as root) to capture; skips (77) otherwise.
set -u
: "${TNTDUMP:?}" "${TNTPEER:?}" "${TNT_SRC:?}"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: live capture needs root"; exit 77; }
ip link show lo >/dev/null 2>&1 || { echo "SKIP: no loopback interface"; exit 77; }
tmp=$(mktemp -d) || exit 1
dump_pid=""
srv_pid=""
cli_pid=""
cleanup() {
    [ -n "$cli_pid" ] && kill "$cli_pid" 2>/dev/null
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

KEY=$P/clinic-web-rsa.key
"$TNTDUMP" -i lo --json --summary --rsa-key "$KEY" -w "$tmp/live.pcapng" "tcp port $port" >"$tmp/live.json" 2>"$tmp/live.err" &
dump_pid=$!
# tntdump says nothing when the capture starts: wait until it waits in poll()
# for packets, which it does only once the packet socket is open, bound and
# filtered (a socket alone is not enough on a loaded machine: the
# connection's first packets could be missed, and with them its keys).
for _ in $(seq 400); do
    ls -l /proc/$dump_pid/fd 2>/dev/null | grep -q 'socket:' &&
        grep -q poll /proc/$dump_pid/wchan 2>/dev/null && break
    sleep 0.05
done
grep -q poll /proc/$dump_pid/wchan 2>/dev/null || echo "note: tntdump not seen waiting in poll; going on"
sleep 0.2
"$TNTPEER" server -l 127.0.0.1:$port --ready "$tmp/ready" --count 1 --hold 120 -c "$C/clinic-server.conf" \
    --cert "$P/clinic-web-rsa.pem" --key "$P/clinic-web-rsa.key" >"$tmp/server.out" 2>&1 &
srv_pid=$!
for _ in $(seq 200); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
[ -s "$tmp/ready" ] || no "tntpeer server did not start: $(cat "$tmp/server.out")"
(cd "$TNT_SRC/samples" && exec "$TNTPEER" client --keylog "$tmp/keys" -c "$C/physician-client.conf" \
    --ciphers AES128-SHA 127.0.0.1:$port /records/4711) >"$tmp/client.out" 2>&1 &
cli_pid=$!
# The verdict, while the server holds the connection open (up to 120 s; this
# waits at most 60 s for it, and a slow machine only makes it wait longer).
for _ in $(seq 1200); do
    grep -q '"type":"verdict"' "$tmp/live.json" 2>/dev/null && break
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.05
done
grep '"type":"verdict"' "$tmp/live.json" >"$tmp/early.json"
[ -s "$tmp/early.json" ] || no "no verdict from tntdump -i while the connection was open: $(cat "$tmp/live.json") $(cat "$tmp/server.out")"
# Still open: nothing has closed it yet, and its block has not been written.
kill -0 "$srv_pid" 2>/dev/null || no "the server is gone before its hold ended: $(tail -3 "$tmp/server.out")"
kill -0 "$cli_pid" 2>/dev/null || no "the client is gone before the server closed"
grep -q 'hold ended' "$tmp/server.out" && no "the server closed the connection before the verdict was read"
grep -q '"type":"connection"' "$tmp/live.json" && no "the connection object came before the connection closed"
kill -USR1 "$srv_pid"
wait "$cli_pid" || no "tntpeer client failed: $(tail -3 "$tmp/client.out")"
cli_pid=""
wait "$srv_pid" 2>/dev/null
srv_pid=""
grep -q 'hold ended (signal)' "$tmp/server.out" || no "the hold did not end by SIGUSR1: $(tail -3 "$tmp/server.out")"
sleep 0.5 # the last ACKs
kill -INT "$dump_pid"
wait "$dump_pid"
rc=$?
dump_pid=""
[ $rc -eq 0 ] || no "tntdump -i exit $rc after SIGINT: $(cat "$tmp/live.err")"
tail -1 "$tmp/live.json" | grep -q '"type":"summary"' || no "no summary after SIGINT"
[ "$(grep -c '"type":"connection"' "$tmp/live.json")" -eq 1 ] || no "want 1 connection live: $(head -c 300 "$tmp/live.json")"
[ -s "$tmp/live.pcapng" ] || no "-w wrote nothing"

# Read back with -l, the live output of a file: verdict objects included.
"$TNTDUMP" -l --json --summary --rsa-key "$KEY" -r "$tmp/live.pcapng" >"$tmp/back.json" 2>"$tmp/back.err"
python3 - "$tmp/live.json" "$tmp/back.json" "$tmp/early.json" <<'PY' || no "live output differs from reading the -w file back"
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
# The verdict read early: the clinic negotiation's success, settled at the
# rehandshake's second Finished, equal to the connection object's handshake.
early = load(sys.argv[3])
conn = [o for o in a if o["type"] == "connection"][0]
if len(early) != 1 or early[0] != [o for o in a if o["type"] == "verdict"][0]:
    print("early verdicts:", early); sys.exit(1)
v = early[0]
h = conn["handshakes"][v["handshake"] - 1]
for k in ("renegotiation_info", "finished", "aborted", "ended_by_alert", "negotiation"):
    if v[k] != h[k]:
        print("verdict", k, v[k], "connection", h[k]); sys.exit(1)
n = v["negotiation"]
if (v["handshake"], v["decided_by"], n["outcome"], n["trust_established"], len(n["rounds"])) != (2, "message", "success", True, 5):
    print("not the clinic negotiation's success:", json.dumps(v)[:400]); sys.exit(1)
# decided by the second Finished: the handshake's last message
last = h["messages"][-1]
if (v["frame"], v["ts"]) != (last["frame"], last["ts"]) or last["type"] != "Finished":
    print("verdict at", v["frame"], v["ts"], "the last message", last); sys.exit(1)
PY
# BPF really filtered: only the one port's connection, and the file with the
# client's key log shows the clinic negotiation.
"$TNTDUMP" -q -k "$tmp/keys" -r "$tmp/live.pcapng" >"$tmp/keyed.txt"
grep -q "TNT success trust rounds=5 violations=0" "$tmp/keyed.txt" || no "negotiation not seen: $(cat "$tmp/keyed.txt")"
grep -q ":$port " "$tmp/keyed.txt" || no "connection on another port"
exit $fail
