#!/bin/bash
# Makes resume-sid.pcapng (two connections: a full handshake, then a
# session-ID resumption) and resume-ticket.pcapng (the same with a session
# ticket), with OpenSSL 3 over loopback, captured by dumpcap. Needs root for
# the capture. Keys: *.keys (client key log, every handshake), server.key.
# Run from this directory. Random values differ on every run.
set -u
port=${PORT:-44330}
[ -f server.key ] || openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt \
    -days 36500 -subj /CN=resume.test 2>/dev/null
one() {
    name=$1; shift
    rm -f "$name.pcapng" "$name.keys" sess.pem
    dumpcap -q -i lo -f "tcp port $port" -w "$name.pcapng" 2>/dev/null & dp=$!
    sleep 2
    # s_server ends a connection when its standard input ends: keep it open.
    sleep 6 | openssl s_server -accept $port -cert server.crt -key server.key -cipher AES128-SHA \
        -tls1_2 -naccept 2 "$@" >/dev/null 2>&1 & sp=$!
    sleep 1
    (sleep 1; echo Q) | openssl s_client -connect 127.0.0.1:$port -tls1_2 -keylogfile "$name.keys" \
        -sess_out sess.pem >/dev/null 2>&1
    sleep 0.5
    (sleep 1; echo Q) | openssl s_client -connect 127.0.0.1:$port -tls1_2 -keylogfile "$name.keys" \
        -sess_in sess.pem >/dev/null 2>&1
    sleep 1
    kill $sp 2>/dev/null || true; wait $sp 2>/dev/null || true
    kill $dp; wait $dp 2>/dev/null || true
    rm -f sess.pem
}
one resume-sid -no_ticket
one resume-ticket
# Key logs with the resumed connection's line removed: only the session
# cache (master secret of the first connection, by session ID or ticket)
# can decrypt the second connection then.
for n in resume-sid resume-ticket; do grep -m1 CLIENT_RANDOM "$n.keys" >"$n.first.keys"; done
