#!/bin/sh
# Interop of the peer's TLS engine (peer/tls_*.c) with OpenSSL (and GnuTLS
# when installed), over loopback TCP: tls_probe as client against
# `openssl s_server -rev` (which echoes every line reversed) and as server
# (answering the same way) against `openssl s_client`.
#
# Every case checks what was negotiated (version, suite, EMS, EtM,
# resumption, number of handshakes) and that application data went both
# ways. Exit 77 (skip) without openssl or the probe.
#
# Env: TLS_PROBE (the tls_probe binary; default: $TNT_BUILD/peer/tls_probe
# or $TNT_BUILD/peer/tests/tls_probe), TNT_SRC (source tree), TNTDUMP
# (optional: every keyed capture is then also decrypted by tntdump - needs
# tcpdump/dumpcap permissions, so only when TLS_INTEROP_CAPTURE=1).
set -u

command -v openssl >/dev/null 2>&1 || { echo "openssl missing: skip"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
src=${TNT_SRC:-$(cd "$here/../.." && pwd)}
probe=${TLS_PROBE:-}
if [ -z "$probe" ]; then
    for p in "${TNT_BUILD:-/nonexistent}/peer/tls_probe" "${TNT_BUILD:-/nonexistent}/peer/tests/tls_probe"; do
        [ -x "$p" ] && probe=$p && break
    done
fi
[ -n "$probe" ] && [ -x "$probe" ] || { echo "tls_probe not built: skip"; exit 77; }

pki=$src/tests/data/pki
rsa_cert=$pki/clinic-web-rsa.pem
rsa_key=$pki/clinic-web-rsa.key
ec_cert=$pki/clinic-web-ec.pem
ec_key=$pki/clinic-web-ec.key
work=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=$((20000 + $$ % 30000))
pass=0
fail=0
failed_names=

next_port() { port=$((port + 1)); }

# Optional: capture each case with dumpcap and decrypt it with tntdump and
# the key log the engine wrote (TLS_INTEROP_CAPTURE=1, needs dumpcap, root
# or capture rights, and TNTDUMP).
capture=0
if [ "${TLS_INTEROP_CAPTURE:-0}" = 1 ] && [ -n "${TNTDUMP:-}" ] && [ -x "${TNTDUMP:-}" ] &&
    command -v dumpcap >/dev/null 2>&1; then
    capture=1
fi
cap_start() {
    [ $capture = 1 ] || return 0
    dumpcap -q -i lo -f "tcp port $port" -w "$work/$1.pcapng" >/dev/null 2>&1 &
    cap_pid=$!
    pids="$pids $cap_pid"
    sleep 0.7
}
# cap_check NAME: every record of the capture decrypts (application data
# included) with the key log alone.
cap_check() {
    [ $capture = 1 ] || return 0
    sleep 0.3
    kill -INT "$cap_pid" 2>/dev/null
    wait "$cap_pid" 2>/dev/null
    "$TNTDUMP" -r "$work/$1.pcapng" -k "$work/$1.keys" --app-data >"$work/$1.dump" 2>&1
    if grep -q "decrypted e" "$work/$1.dump" &&
        ! grep -q "decrypt-failed\|  encrypted\$\|no keys" "$work/$1.dump"; then
        ok "$1-tntdump"
    else
        ko "$1-tntdump" "$work/$1.dump"
    fi
}

ok() { pass=$((pass + 1)); echo "PASS $1"; }
ko() {
    fail=$((fail + 1))
    failed_names="$failed_names $1"
    echo "FAIL $1"
    shift
    for f in "$@"; do
        [ -f "$f" ] && sed 's/^/    | /' "$f" | tail -25
    done
}

# wait_for FILE PATTERN: until the pattern shows up (the server listens).
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# s_server NAME NACCEPT ARGS...: openssl s_server -rev in the background.
s_server() {
    name=$1
    n=$2
    shift 2
    openssl s_server -accept "$port" -naccept "$n" -rev -cert "$rsa_cert" -key "$rsa_key" \
        -dcert "$ec_cert" -dkey "$ec_key" "$@" >"$work/$name.srv" 2>&1 </dev/null &
    pids="$pids $!"
    srv_pid=$!
    wait_for "$work/$name.srv" ACCEPT || echo "s_server for $name did not start"
}

# client_case NAME "S_SERVER ARGS" NACCEPT PROBE ARGS...
client_case() {
    name=$1
    sargs=$2
    n=$3
    shift 3
    next_port
    # shellcheck disable=SC2086
    s_server "$name" "$n" $sargs
    cap_start "$name"
    if timeout 20 "$probe" client 127.0.0.1 "$port" --keylog "$work/$name.keys" "$@" \
        >"$work/$name.cli" 2>&1 && grep -q "PROBE OK" "$work/$name.cli"; then
        ok "$name"
    else
        ko "$name" "$work/$name.cli" "$work/$name.srv"
    fi
    kill "$srv_pid" 2>/dev/null
    wait "$srv_pid" 2>/dev/null
    case "$*" in *expect-fail*) [ $capture = 1 ] && kill -INT "$cap_pid" 2>/dev/null ;; *) cap_check "$name" ;; esac
}

hello="--send hello --send world"

# ---- the engine as client against openssl s_server ----
client_case c-tls12-ecdhe-rsa-aes128-gcm "-cipher ECDHE-RSA-AES128-GCM-SHA256" 1 $hello \
    --expect-version 1.2 --expect-suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 --expect-ems 1 \
    --expect-etm 0
client_case c-x25519 "-groups X25519 -cipher ECDHE-RSA-AES256-GCM-SHA384" 1 $hello \
    --groups secp256r1,x25519 --expect-suite ECDHE_RSA_WITH_AES_256_GCM_SHA384
client_case c-secp256r1 "-groups P-256 -cipher ECDHE-RSA-AES128-SHA256" 1 $hello \
    --expect-suite ECDHE_RSA_WITH_AES_128_CBC_SHA256 --expect-etm 1
client_case c-rsa-aes128-sha256-etm "-cipher AES128-SHA256" 1 $hello \
    --expect-suite TLS_RSA_WITH_AES_128_CBC_SHA256 --expect-etm 1 --expect-ems 1
client_case c-rsa-aes256-gcm "-cipher AES256-GCM-SHA384" 1 $hello \
    --expect-suite TLS_RSA_WITH_AES_256_GCM_SHA384
client_case c-no-etm-no-ems "-cipher AES128-SHA" 1 $hello --no-etm --no-ems \
    --expect-suite TLS_RSA_WITH_AES_128_CBC_SHA --expect-etm 0 --expect-ems 0
client_case c-server-no-etm "-cipher ECDHE-RSA-AES256-SHA -no_etm" 1 $hello \
    --expect-suite ECDHE_RSA_WITH_AES_256_CBC_SHA --expect-etm 0 --expect-ems 1
client_case c-tls10-aes128-sha "-tls1 -cipher AES128-SHA:@SECLEVEL=0" 1 $hello \
    --expect-version 1.0 --expect-suite TLS_RSA_WITH_AES_128_CBC_SHA --expect-etm 1
client_case c-tls11-aes128-sha "-tls1_1 -cipher AES128-SHA:@SECLEVEL=0" 1 $hello \
    --expect-version 1.1 --expect-suite TLS_RSA_WITH_AES_128_CBC_SHA
client_case c-tls10-ecdhe-rsa "-tls1 -cipher ECDHE-RSA-AES256-SHA:@SECLEVEL=0" 1 $hello \
    --max 1.0 --expect-version 1.0 --expect-suite ECDHE_RSA_WITH_AES_256_CBC_SHA
client_case c-chacha20 "-cipher ECDHE-RSA-CHACHA20-POLY1305" 1 $hello \
    --expect-suite ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
client_case c-ecdsa-aes256-gcm-sha384 "-cipher ECDHE-ECDSA-AES256-GCM-SHA384" 1 $hello \
    --expect-suite TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
client_case c-ecdsa-chacha20 "-cipher ECDHE-ECDSA-CHACHA20-POLY1305" 1 $hello \
    --expect-suite ECDHE_ECDSA_WITH_CHACHA20_POLY1305
client_case c-tls11-ecdsa "-tls1_1 -cipher ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0" 1 $hello \
    --expect-version 1.1 --expect-suite ECDHE_ECDSA_WITH_AES_128_CBC_SHA
# CertificateRequest (s_server -verify asks but does not insist): the engine
# has no client certificates and answers with an empty Certificate.
client_case c-cert-request "-verify 1 -cipher ECDHE-RSA-AES128-GCM-SHA256" 1 $hello \
    --expect-suite ECDHE_RSA_WITH_AES_128_GCM_SHA256
client_case c-client-reneg "-client_renegotiation -cipher ECDHE-RSA-AES128-GCM-SHA256" 1 \
    --send one --send two --send three --reneg-after 1 --expect-reneg 2
client_case c-client-reneg-cbc-etm "-client_renegotiation -cipher AES128-SHA" 1 \
    --send one --send two --reneg-after 1 --expect-reneg 2 --expect-etm 1
client_case c-client-reneg-tls10 "-client_renegotiation -tls1 -cipher AES128-SHA:@SECLEVEL=0" 1 \
    --send one --send two --reneg-after 1 --expect-reneg 2 --expect-version 1.0
# s_server without -client_renegotiation refuses: warning no_renegotiation,
# and the connection goes on.
client_case c-client-reneg-refused "-cipher ECDHE-RSA-AES128-GCM-SHA256" 1 \
    --send one --send two --reneg-after 1 --expect-reneg 1
client_case c-resume "-cipher ECDHE-RSA-AES128-GCM-SHA256" 2 $hello --reconnect \
    --expect-resumed 1 --expect-ems 1
client_case c-resume-tls10 "-tls1 -cipher AES128-SHA:@SECLEVEL=0" 2 $hello --reconnect \
    --expect-resumed 1 --expect-etm 1
# Resumption across processes: the first probe saves its session, a second
# probe offers it to the same s_server.
next_port
s_server c-sess-file 2 -cipher ECDHE-ECDSA-AES128-SHA
if timeout 20 "$probe" client 127.0.0.1 "$port" $hello --sess-out "$work/sess.txt" \
    >"$work/c-sess-file.cli" 2>&1 &&
    timeout 20 "$probe" client 127.0.0.1 "$port" $hello --sess-in "$work/sess.txt" \
        --expect-resumed 1 --expect-suite ECDHE_ECDSA_WITH_AES_128_CBC_SHA \
        >>"$work/c-sess-file.cli" 2>&1; then
    ok c-sess-out-sess-in
else
    ko c-sess-out-sess-in "$work/c-sess-file.cli" "$work/c-sess-file.srv"
fi
kill "$srv_pid" 2>/dev/null
wait "$srv_pid" 2>/dev/null
client_case c-resume-no-ems "-cipher AES128-SHA256" 2 $hello --reconnect --no-ems \
    --expect-resumed 1 --expect-ems 0

# ---- the engine as server against openssl s_client ----

# server_case NAME "PROBE ARGS" "S_CLIENT STDIN SCRIPT" S_CLIENT ARGS...
server_case() {
    name=$1
    pargs=$2
    script=$3
    shift 3
    next_port
    # shellcheck disable=SC2086
    "$probe" server "$port" --cert "$rsa_cert" --key "$rsa_key" --cert "$ec_cert" \
        --key "$ec_key" --keylog "$work/$name.keys" $pargs >"$work/$name.srv" 2>&1 &
    ppid_=$!
    pids="$pids $ppid_"
    wait_for "$work/$name.srv" listening
    cap_start "$name"
    sh -c "$script" | timeout 20 openssl s_client -connect "127.0.0.1:$port" "$@" \
        >"$work/$name.cli" 2>&1
    wait_n=0
    while kill -0 "$ppid_" 2>/dev/null && [ $wait_n -lt 50 ]; do
        sleep 0.1
        wait_n=$((wait_n + 1))
    done
    kill "$ppid_" 2>/dev/null
    wait "$ppid_" 2>/dev/null
}

# expect_in NAME FILE PATTERN...: every pattern in FILE, and PROBE OK.
server_check() {
    name=$1
    shift
    good=1
    grep -q "PROBE OK" "$work/$name.srv" || good=0
    for pat in "$@"; do
        grep -q -- "$pat" "$work/$name.cli" "$work/$name.srv" || {
            echo "    missing: $pat"
            good=0
        }
    done
    if [ $good = 1 ]; then ok "$name"; else ko "$name" "$work/$name.srv" "$work/$name.cli"; fi
    case "$name" in *no-common*) [ $capture = 1 ] && kill -INT "$cap_pid" 2>/dev/null ;; *) cap_check "$name" ;; esac
}

lines='printf "hello\n"; sleep 0.5; printf "world\n"; sleep 0.5'
server_case s-tls12-default "--expect-version 1.2 --expect-ems 1" "$lines" -ign_eof
server_check s-tls12-default olleh dlrow "Extended master secret: yes"
server_case s-etm-ems "--expect-etm 1 --expect-ems 1" "$lines" -ign_eof -cipher AES128-SHA256
server_check s-etm-ems olleh dlrow "TLS_RSA_WITH_AES_128_CBC_SHA256 ems etm"
server_case s-client-no-etm "--expect-etm 0 --expect-ems 1" "$lines" -ign_eof \
    -cipher ECDHE-RSA-AES128-SHA -no_etm
server_check s-client-no-etm olleh dlrow "ECDHE_RSA_WITH_AES_128_CBC_SHA ems"
server_case s-no-ems-no-etm "--no-ems --no-etm --expect-etm 0 --expect-ems 0" "$lines" -ign_eof \
    -cipher AES256-SHA
server_check s-no-ems-no-etm olleh dlrow "Extended master secret: no"
server_case s-x25519 "--expect-suite ECDHE_RSA_WITH_AES_256_GCM_SHA384" "$lines" -ign_eof \
    -groups X25519 -cipher ECDHE-RSA-AES256-GCM-SHA384
server_check s-x25519 olleh dlrow "Server Temp Key: X25519"
server_case s-p256-ecdsa "--expect-suite ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" "$lines" -ign_eof \
    -groups P-256 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
server_check s-p256-ecdsa olleh dlrow "Server Temp Key: ECDH, prime256v1"
server_case s-chacha20 "--expect-suite CHACHA20" "$lines" -ign_eof \
    -cipher ECDHE-RSA-CHACHA20-POLY1305
server_check s-chacha20 olleh dlrow
server_case s-tls10 "--expect-version 1.0" "$lines" -ign_eof -tls1 \
    -cipher AES128-SHA:@SECLEVEL=0
server_check s-tls10 olleh dlrow "Protocol  : TLSv1$"
server_case s-tls11-ecdsa "--expect-version 1.1" "$lines" -ign_eof -tls1_1 \
    -cipher ECDHE-ECDSA-AES256-SHA:@SECLEVEL=0
server_check s-tls11-ecdsa olleh dlrow "Protocol  : TLSv1.1"
# Server-initiated renegotiation: HelloRequest after the first line.
# s_client offers the current session in its new ClientHello, so the
# renegotiation is an abbreviated handshake unless the server refuses to
# resume there.
server_case s-server-reneg "--reneg-after 1 --expect-reneg 2" \
    'printf "hello\n"; sleep 1; printf "world\n"; sleep 0.5' -ign_eof -cipher AES128-SHA256
server_check s-server-reneg olleh dlrow "^renegotiation: TLS 1.2 TLS_RSA_WITH_AES_128_CBC_SHA256 ems etm resumed secure-reneg handshakes=2"
server_case s-server-reneg-full "--reneg-after 1 --expect-reneg 2 --no-resume-on-reneg" \
    'printf "hello\n"; sleep 1; printf "world\n"; sleep 0.5' -ign_eof \
    -cipher ECDHE-RSA-AES256-SHA384
server_check s-server-reneg-full olleh dlrow "^renegotiation: TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 ems etm secure-reneg handshakes=2"
server_case s-server-reneg-tls10 "--reneg-after 1 --expect-reneg 2" \
    'printf "hello\n"; sleep 1; printf "world\n"; sleep 0.5' -ign_eof -tls1 \
    -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0
server_check s-server-reneg-tls10 olleh dlrow "^renegotiation: TLS 1.0"
# Client-initiated renegotiation: s_client's "R" command (needs no -ign_eof).
server_case s-client-reneg "--expect-reneg 2" \
    'printf "hello\n"; sleep 0.5; printf "R\n"; sleep 0.5; printf "world\n"; sleep 0.5' \
    -cipher ECDHE-RSA-AES128-GCM-SHA256
server_check s-client-reneg olleh dlrow "RENEGOTIATING" "^client renegotiation: TLS 1.2"
# Resumption from the server session cache: s_client -reconnect makes five
# more connections with the first one's session.
server_case s-resume "--accept 6" 'sleep 0.5' -reconnect -no_ticket -cipher AES128-GCM-SHA256
server_check s-resume "^Reused, TLSv1.2" "resumed secure-reneg handshakes=1"
n_reused=$(grep -c "^Reused" "$work/s-resume.cli")
[ "$n_reused" = 5 ] && ok s-resume-count || ko s-resume-count "$work/s-resume.cli"

# ---- violations are refused with an alert ----
client_case c-version-below-min "-tls1 -cipher AES128-SHA:@SECLEVEL=0" 1 --min 1.2 \
    --expect-fail "server chose version 0x0301 outside"
client_case c-no-common-suite "-cipher AES256-SHA" 1 --suites AES128-SHA \
    --expect-fail "peer sent fatal alert 40"
server_case s-no-common-suite "--suites AES256-GCM-SHA384 --expect-fail common" "sleep 0.3" \
    -cipher AES128-SHA
server_check s-no-common-suite "no cipher suite in common" "alert handshake failure"

# ---- GnuTLS, when installed ----
if command -v gnutls-serv >/dev/null 2>&1 && command -v gnutls-cli >/dev/null 2>&1; then
    next_port
    gnutls-serv --port "$port" --x509certfile "$rsa_cert" --x509keyfile "$rsa_key" \
        --x509certfile "$ec_cert" --x509keyfile "$ec_key" --echo \
        --priority 'NORMAL:-VERS-TLS1.3' >"$work/g-echo.srv" 2>&1 &
    gpid=$!
    pids="$pids $gpid"
    wait_for "$work/g-echo.srv" "listening"
    # gnutls-serv --echo answers lines unreversed: --no-echo, check by hand.
    if timeout 20 "$probe" client 127.0.0.1 "$port" --send hello --no-echo --expect-ems 1 \
        >"$work/g-client.cli" 2>&1 && grep -q "PROBE OK" "$work/g-client.cli"; then
        ok g-client-vs-gnutls-serv
    else
        ko g-client-vs-gnutls-serv "$work/g-client.cli" "$work/g-echo.srv"
    fi
    kill "$gpid" 2>/dev/null
    wait "$gpid" 2>/dev/null

    next_port
    "$probe" server "$port" --cert "$rsa_cert" --key "$rsa_key" --cert "$ec_cert" \
        --key "$ec_key" --accept 1 >"$work/g-server.srv" 2>&1 &
    ppid_=$!
    pids="$pids $ppid_"
    wait_for "$work/g-server.srv" listening
    (printf 'hello\n'; sleep 1) | timeout 20 gnutls-cli --insecure -p "$port" 127.0.0.1 \
        --priority 'NORMAL:-VERS-TLS1.3' >"$work/g-server.cli" 2>&1
    sleep 0.3
    kill "$ppid_" 2>/dev/null
    wait "$ppid_" 2>/dev/null
    if grep -q olleh "$work/g-server.cli"; then
        ok g-server-vs-gnutls-cli
    else
        ko g-server-vs-gnutls-cli "$work/g-server.srv" "$work/g-server.cli"
    fi
fi

echo "passed $pass, failed $fail${failed_names:+:$failed_names}"
[ $fail = 0 ]
