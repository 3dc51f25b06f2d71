#!/bin/sh
# End-to-end tests of tntpeer over loopback TCP:
# - the TNT client against servers that do not speak TNT (openssl s_server
#   -www, gnutls-serv --http): it must notice, carry on over plain TLS and
#   get the page;
# - the TNT server against clients that do not speak TNT (openssl s_client,
#   gnutls-cli): a protected resource gets 403, a public one 200;
# - renegotiation each way and resumption against openssl and GnuTLS, for
#   each TLS version and key exchange (RSA, ECDHE-RSA, ECDHE-ECDSA);
# - tntpeer against tntpeer: the clinic negotiation of spec section 9 over
#   every TLS version and several suites, ECDSA credentials, strategies,
#   client-initiated negotiation, resumption (in one process and across
#   processes), --on-failure deny, every --fault, and the exit statuses of
#   configuration, usage and network errors.
#
# Every case checks exit statuses and exact lines of the diagnostic log
# (and of the HTTP response): these lines are the interface that
# tntpeer.1 documents. Exit 77 (skip) without tntpeer; the openssl and
# gnutls cases are skipped one by one when the tool is missing.
#
# Env: TNTPEER (the binary; default $TNT_BUILD/peer/tntpeer), TNT_SRC
# (source tree), TNTPEER_TEST_KEEP=1 keeps the logs. TNTDUMP is accepted for symmetry with the other script
# tests but not needed.
# Option lists ($clinic, $rsa_tls, ...) are split into words on purpose.
# shellcheck disable=SC2086
set -u

here=$(cd "$(dirname "$0")" && pwd)
src=${TNT_SRC:-$(cd "$here/../.." && pwd)}
tntpeer=${TNTPEER:-${TNT_BUILD:-/nonexistent}/peer/tntpeer}
[ -x "$tntpeer" ] || { echo "tntpeer not built ($tntpeer): skip"; exit 77; }

cfg=$src/samples/configs
pki=$src/tests/data/pki
rsa_tls="--cert $pki/clinic-web-rsa.pem --key $pki/clinic-web-rsa.key"
ec_tls="--cert $pki/clinic-web-ec.pem --key $pki/clinic-web-ec.key"
work=$(mktemp -d)
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    if [ -n "${TNTPEER_TEST_KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

pass=0
fail=0
skipped=0
failed_names=
# Ports for the third-party servers (tntpeer itself listens on port 0 and
# reports its port with --ready).
port=$((20000 + ($$ * 97) % 40000))
# next_port: the next port nobody listens on (concurrent runs and other
# tests pick ports too; a server that still loses the race is restarted
# on another port by third_party).
next_port() {
    port=$((port + 1))
    while command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do
        port=$((port + 1))
    done
}
# third_party LOG READY-PATTERN CMD...: CMD (with @PORT@ replaced by the
# port) in the background until its LOG shows READY-PATTERN; up to five
# ports are tried. Sets tp_pid and port; false if it never started.
third_party() {
    tp_log=$1
    tp_ready=$2
    shift 2
    tries=0
    while [ $tries -lt 5 ]; do
        tries=$((tries + 1))
        next_port
        (
            for a; do
                shift
                [ "$a" = @PORT@ ] && a=$port
                set -- "$@" "$a"
            done
            exec "$@"
        ) >"$tp_log" 2>&1 </dev/null &
        tp_pid=$!
        pids="$pids $tp_pid"
        if wait_for "$tp_log" "$tp_ready" && kill -0 "$tp_pid" 2>/dev/null &&
            ! grep -q "bind\|in use" "$tp_log"; then
            return 0
        fi
        kill "$tp_pid" 2>/dev/null
        wait "$tp_pid" 2>/dev/null
    done
    return 1
}

# ---- checking ----

# begin NAME: a new case; every want_* below adds to its verdict.
begin() {
    case_name=$1
    case_ok=1
    case_why=
    case_files=
}
miss() {
    case_ok=0
    case_why="$case_why
    $1"
}
# want_rc GOT WANT WHAT
want_rc() { [ "$1" = "$2" ] || miss "$3 exit status $1, want $2"; }
# want_line FILE LINE: LINE is a whole line of FILE, exactly.
want_line() { grep -qxF -- "$2" "$1" 2>/dev/null || miss "no line in $(basename "$1"): $2"; }
# want_prefix FILE PREFIX: a line of FILE starts with PREFIX (for lines
# whose tail explains a failure in words that may grow).
want_prefix() {
    awk -v p="$2" 'index($0, p) == 1 { f = 1 } END { exit !f }' "$1" 2>/dev/null ||
        miss "no line in $(basename "$1") starting: $2"
}
# want_no_line FILE LINE
want_no_line() { ! grep -qxF -- "$2" "$1" 2>/dev/null || miss "unwanted line in $(basename "$1"): $2"; }
# want_no_match FILE PATTERN (basic regexp)
want_no_match() { ! grep -q -- "$2" "$1" 2>/dev/null || miss "unwanted match in $(basename "$1"): $2"; }
# want_first FILE LINE: the first line of FILE (CR stripped: HTTP).
want_first() {
    got=$(head -n 1 "$1" 2>/dev/null | tr -d '\r')
    [ "$got" = "$2" ] || miss "first line of $(basename "$1") is '$got', want '$2'"
}
# want_contains FILE STRING: STRING somewhere in FILE.
want_contains() { grep -qF -- "$2" "$1" 2>/dev/null || miss "no '$2' in $(basename "$1")"; }
# want_rounds FILE EXPECTED: the "round N sent/received:" lines of FILE, in
# order, are exactly EXPECTED (one per line, without the "tntpeer WHO: ").
want_rounds() {
    got=$(sed -n 's/^tntpeer [a-z]*: \(round [0-9]* \(sent\|received\): .*\)$/\1/p' "$1")
    [ "$got" = "$2" ] || miss "rounds of $(basename "$1"):
$(echo "$got" | sed 's/^/      got: /')
$(echo "$2" | sed 's/^/     want: /')"
}
# show FILE...: files to print when the case fails.
show() { case_files="$case_files $*"; }
end_case() {
    if [ $case_ok = 1 ]; then
        pass=$((pass + 1))
        echo "PASS $case_name"
    else
        fail=$((fail + 1))
        failed_names="$failed_names $case_name"
        echo "FAIL $case_name$case_why"
        for f in $case_files; do
            [ -s "$f" ] || continue
            echo "    --- $(basename "$f")"
            sed 's/^/    | /' "$f" | tail -40
        done
    fi
}
skip() {
    skipped=$((skipped + 1))
    echo "SKIP $1: $2"
}

# ---- running ----

# wait_for FILE PATTERN: until PATTERN shows up in FILE (5 s at most).
wait_for() {
    i=0
    while [ $i -lt 100 ]; do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}

# server NAME COUNT ARGS...: tntpeer server in the background on a free
# port; sets srv_pid and srv_port. Its log is NAME.slog.
server() {
    name=$1
    count=$2
    shift 2
    rm -f "$work/$name.ready"
    "$tntpeer" server -l 127.0.0.1:0 --ready "$work/$name.ready" --count "$count" "$@" \
        >"$work/$name.sout" 2>"$work/$name.slog" &
    srv_pid=$!
    pids="$pids $srv_pid"
    i=0
    while [ ! -s "$work/$name.ready" ] && [ $i -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    srv_port=$(cat "$work/$name.ready" 2>/dev/null)
    [ -n "$srv_port" ] || srv_port=1
}

# server_done: waits for the server (it exits after --count connections;
# 10 s at most) and sets srv_rc.
server_done() {
    i=0
    while kill -0 "$srv_pid" 2>/dev/null && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    kill "$srv_pid" 2>/dev/null
    wait "$srv_pid" 2>/dev/null
    srv_rc=$?
}

# client NAME ARGS...: tntpeer client (ARGS end with HOST:PORT PATH); sets
# rc. Output NAME.out, log NAME.clog.
client() {
    name=$1
    shift
    timeout 30 "$tntpeer" client "$@" >"$work/$name.out" 2>"$work/$name.clog"
    rc=$?
}

# pair NAME "SERVER ARGS" CLIENT ARGS...: one connection, tntpeer to
# tntpeer, for /records/4711. Sets rc and srv_rc; logs NAME.slog/.clog.
pair() {
    pname=$1
    sargs=$2
    shift 2
    server "$pname" 1 $sargs
    client "$pname" "$@" "127.0.0.1:$srv_port" /records/4711
    server_done
    show "$work/$pname.slog" "$work/$pname.clog" "$work/$pname.out"
}

# Config files with absolute paths, from the samples (so they can live in
# $work): mkconf NAME SAMPLE 's/old/new/'...
mkconf() {
    out=$work/$1.conf
    in=$cfg/$2
    shift 2
    sed -e "s#\.\./\.\./tests/data/pki#$pki#g" "$@" "$in" >"$out"
}

# The rounds of the clinic negotiation (spec section 9), as each side logs
# them.
clinic_server_rounds='round 1 sent: continue, 1 policy, 0 credentials
round 2 received: continue, 1 policy, 0 credentials
round 3 sent: continue, 0 policies, 1 credential
round 4 received: continue, 0 policies, 1 credential
round 5 sent: success, 0 policies, 0 credentials'
clinic_client_rounds='round 1 received: continue, 1 policy, 0 credentials
round 2 sent: continue, 1 policy, 0 credentials
round 3 received: continue, 0 policies, 1 credential
round 4 sent: continue, 0 policies, 1 credential
round 5 received: success, 0 policies, 0 credentials'
T='"GET /records/4711"'
ok_body='GET /records/4711: granted (trust established by TNT).'

# want_clinic_ok NAME CONNECTED: the whole successful clinic negotiation;
# CONNECTED is the TLS description both sides log.
want_clinic_ok() {
    n=$1
    want_rc "$rc" 0 client
    want_rc "$srv_rc" 0 server
    want_first "$work/$n.out" "HTTP/1.0 200 OK"
    want_line "$work/$n.out" "$ok_body"
    want_line "$work/$n.clog" "tntpeer client: connected: $2"
    want_line "$work/$n.slog" "tntpeer server: connection 1: $2"
    want_line "$work/$n.clog" "tntpeer client: tnt: client offer, server offer (parsimonious, dn_expression)"
    want_line "$work/$n.clog" "tntpeer client: tnt: client negotiate, server negotiate (parsimonious, dn_expression)"
    want_line "$work/$n.slog" "tntpeer server: connection 1: HelloRequest: trust needed for $T"
    want_line "$work/$n.slog" "tntpeer server: negotiating $T"
    want_rounds "$work/$n.slog" "$clinic_server_rounds"
    want_rounds "$work/$n.clog" "$clinic_client_rounds"
    want_line "$work/$n.clog" "tntpeer client: handshake complete: trust established for $T after 5 rounds"
    want_line "$work/$n.slog" "tntpeer server: handshake complete: trust established for $T after 5 rounds"
    want_line "$work/$n.clog" "tntpeer client: response 200; trust held for GET /records/4711"
    want_line "$work/$n.slog" "tntpeer server: connection 1: 200 $T"
}

started=$(date +%s)

# ==== the TNT client against servers without TNT ====

# The page of `openssl s_server -www` names the cipher; the log must say
# that the server does not speak TNT, then go on as plain TLS.
# o_case NAME TLS S_SERVER-VERSION-FLAG OPENSSL-SUITE CONNECTED
o_case() {
    name=$1
    begin "$name"
    third_party "$work/$name.srv" '^ACCEPT' openssl s_server -www -accept @PORT@ -naccept 1 \
        -cert "$pki/clinic-web-rsa.pem" -key "$pki/clinic-web-rsa.key" "$3" \
        -cipher "$4:@SECLEVEL=0" || miss "s_server did not start"
    o_pid=$tp_pid
    client "$name" -c "$cfg/physician-client.conf" --tls "$2" "127.0.0.1:$port" /records/4711
    want_rc "$rc" 0 client
    want_line "$work/$name.clog" "tntpeer client: peer does not speak TNT (no tnt extension in its ServerHello)"
    want_line "$work/$name.clog" "tntpeer client: connected: $5"
    want_line "$work/$name.clog" "tntpeer client: requesting /records/4711"
    want_line "$work/$name.clog" "tntpeer client: response 200"
    want_no_match "$work/$name.clog" "round [0-9]"
    want_first "$work/$name.out" "HTTP/1.0 200 ok"
    want_contains "$work/$name.out" "Cipher is $4"
    show "$work/$name.clog" "$work/$name.srv"
    end_case
    kill "$o_pid" 2>/dev/null
    wait "$o_pid" 2>/dev/null
}

if command -v openssl >/dev/null 2>&1; then
    o_case openssl-www-tls10-ecdhe 1.0 -tls1 ECDHE-RSA-AES128-SHA \
        "TLS 1.0 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation"
    o_case openssl-www-tls10-rsa 1.0 -tls1 AES256-SHA \
        "TLS 1.0 TLS_RSA_WITH_AES_256_CBC_SHA, EMS, EtM, secure renegotiation"
    o_case openssl-www-tls11-rsa 1.1 -tls1_1 AES128-SHA \
        "TLS 1.1 TLS_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation"
    o_case openssl-www-tls11-ecdhe 1.1 -tls1_1 ECDHE-RSA-AES256-SHA \
        "TLS 1.1 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, EMS, EtM, secure renegotiation"
    o_case openssl-www-tls12-rsa 1.2 -tls1_2 AES128-GCM-SHA256 \
        "TLS 1.2 TLS_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation"
    o_case openssl-www-tls12-ecdhe 1.2 -tls1_2 ECDHE-RSA-AES256-GCM-SHA384 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, EMS, secure renegotiation"
    o_case openssl-www-tls12-chacha 1.2 -tls1_2 ECDHE-RSA-CHACHA20-POLY1305 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, EMS, secure renegotiation"
else
    skip openssl-www "openssl missing"
fi

# gnutls-serv --http answers with a page naming protocol and cipher. The
# client pins the suite (--ciphers) so the expected line is exact.
# g_case NAME TLS GNUTLS-PRIORITY-VERSION SUITE CONNECTED PAGE-PROTOCOL
g_case() {
    name=$1
    begin "$name"
    third_party "$work/$name.srv" 'listening on IPv4.*done' gnutls-serv --http --port @PORT@ \
        --x509certfile "$pki/clinic-web-rsa.pem" --x509keyfile "$pki/clinic-web-rsa.key" \
        --priority "NORMAL:-VERS-ALL:+VERS-$3:+SHA1:+SHA256" || miss "gnutls-serv did not start"
    g_pid=$tp_pid
    client "$name" -c "$cfg/physician-client.conf" --tls "$2" --ciphers "$4" \
        "127.0.0.1:$port" /records/4711
    want_rc "$rc" 0 client
    want_line "$work/$name.clog" "tntpeer client: peer does not speak TNT (no tnt extension in its ServerHello)"
    want_line "$work/$name.clog" "tntpeer client: connected: $5"
    want_line "$work/$name.clog" "tntpeer client: response 200"
    want_no_match "$work/$name.clog" "round [0-9]"
    want_first "$work/$name.out" "HTTP/1.0 200 OK"
    want_contains "$work/$name.out" "$6"
    show "$work/$name.clog" "$work/$name.srv"
    end_case
    kill "$g_pid" 2>/dev/null
    wait "$g_pid" 2>/dev/null
}

if command -v gnutls-serv >/dev/null 2>&1; then
    g_case gnutls-http-tls10-rsa 1.0 TLS1.0 AES128-SHA \
        "TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" TLS1.0
    g_case gnutls-http-tls10-ecdhe 1.0 TLS1.0 ECDHE-RSA-AES256-SHA \
        "TLS 1.0 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, EMS, EtM, secure renegotiation" TLS1.0
    g_case gnutls-http-tls11-rsa 1.1 TLS1.1 AES256-SHA \
        "TLS 1.1 TLS_RSA_WITH_AES_256_CBC_SHA, EMS, EtM, secure renegotiation" TLS1.1
    g_case gnutls-http-tls11-ecdhe 1.1 TLS1.1 ECDHE-RSA-AES128-SHA \
        "TLS 1.1 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" TLS1.1
    g_case gnutls-http-tls12-rsa 1.2 TLS1.2 AES128-GCM-SHA256 \
        "TLS 1.2 TLS_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation" TLS1.2
    g_case gnutls-http-tls12-ecdhe 1.2 TLS1.2 ECDHE-RSA-AES128-GCM-SHA256 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation" TLS1.2
    g_case gnutls-http-tls12-ecdhe-cbc-sha256 1.2 TLS1.2 ECDHE-RSA-AES128-SHA256 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, EMS, EtM, secure renegotiation" TLS1.2
else
    skip gnutls-http "gnutls-serv missing"
fi

# ==== the TNT server against clients without TNT ====

# x_case NAME TOOL PATH CODE CONNECTED TOOL-ARGS...: one request by
# openssl s_client or gnutls-cli to the clinic server.
x_case() {
    name=$1
    tool=$2
    path=$3
    code=$4
    conn=$5
    shift 5
    server "$name" 1 -c "$cfg/clinic-server.conf" $rsa_tls
    begin "$name"
    if [ "$tool" = openssl ]; then
        (printf 'GET %s HTTP/1.0\r\n\r\n' "$path"; sleep 1) | timeout 20 openssl s_client \
            -connect "127.0.0.1:$srv_port" -quiet -ign_eof "$@" >"$work/$name.out" 2>"$work/$name.err"
    else
        (printf 'GET %s HTTP/1.0\r\n\r\n' "$path"; sleep 1) | timeout 20 gnutls-cli --insecure \
            -p "$srv_port" 127.0.0.1 "$@" >"$work/$name.all" 2>"$work/$name.err"
        # gnutls-cli prints its own report first: the response starts at
        # the status line.
        sed -n '/^HTTP\/1.0 /,$p' "$work/$name.all" >"$work/$name.out"
    fi
    server_done
    r="GET $path"
    want_rc "$srv_rc" 0 server
    want_line "$work/$name.slog" "tntpeer server: client does not speak TNT"
    want_line "$work/$name.slog" "tntpeer server: connection 1: $conn"
    want_line "$work/$name.slog" "tntpeer server: connection 1: request \"$r\""
    want_line "$work/$name.slog" "tntpeer server: connection 1: $code \"$r\""
    want_no_match "$work/$name.slog" "HelloRequest\|round [0-9]"
    if [ "$code" = 403 ]; then
        want_line "$work/$name.slog" "tntpeer server: connection 1: \"$r\" needs trust, but the client does not speak TNT"
        want_first "$work/$name.out" "HTTP/1.0 403 Forbidden"
        want_contains "$work/$name.out" "$r: trust not established."
    else
        want_no_match "$work/$name.slog" "needs trust"
        want_first "$work/$name.out" "HTTP/1.0 200 OK"
        want_contains "$work/$name.out" "$r: granted (public)."
    fi
    show "$work/$name.slog" "$work/$name.out" "$work/$name.err"
    end_case
}

if command -v openssl >/dev/null 2>&1; then
    x_case s_client-tls10-protected openssl /records/4711 403 \
        "TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" \
        -tls1 -cipher AES128-SHA:@SECLEVEL=0
    x_case s_client-tls11-protected openssl /records/4711 403 \
        "TLS 1.1 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, EMS, EtM, secure renegotiation" \
        -tls1_1 -cipher ECDHE-RSA-AES256-SHA:@SECLEVEL=0
    x_case s_client-tls12-protected openssl /records/4711 403 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation" \
        -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
    x_case s_client-tls12-public openssl /index 200 \
        "TLS 1.2 TLS_RSA_WITH_AES_256_GCM_SHA384, EMS, secure renegotiation" \
        -tls1_2 -cipher AES256-GCM-SHA384
    x_case s_client-tls10-public openssl /index 200 \
        "TLS 1.0 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" \
        -tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0
else
    skip s_client "openssl missing"
fi
if command -v gnutls-cli >/dev/null 2>&1; then
    x_case gnutls-cli-tls10-protected gnutls /records/4711 403 \
        "TLS 1.0 TLS_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.0:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:+SHA1'
    x_case gnutls-cli-tls11-protected gnutls /records/4711 403 \
        "TLS 1.1 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.1:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-128-CBC'
    x_case gnutls-cli-tls12-protected gnutls /records/4711 403 \
        "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-RSA:-CIPHER-ALL:+AES-128-GCM'
    x_case gnutls-cli-tls12-public gnutls /index 200 \
        "TLS 1.2 TLS_RSA_WITH_AES_256_GCM_SHA384, EMS, secure renegotiation" \
        --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-256-GCM'
else
    skip gnutls-cli "gnutls-cli missing"
fi

# ==== renegotiation each way and resumption, against openssl and GnuTLS ====

# For each TLS version and key exchange (RSA, ECDHE-RSA, ECDHE-ECDSA):
# m_client: tntpeer client against s_server -www / gnutls-serv --http,
#   renegotiating before its request (client-initiated), then a second
#   connection resuming the session and renegotiating again;
# m_server: tntpeer server --renegotiate (HelloRequest after the request)
#   against s_client / gnutls-cli, the second connection resuming.
# m_client NAME TOOL TLS SUITE S_SERVER-FLAG GNUTLS-VERSION AUTH(rsa|ec)
m_client() {
    name=$1 tool=$2 tls=$3 suite=$4 oflag=$5 gv=$6 auth=$7
    begin "$name"
    if [ "$tool" = openssl ]; then
        third_party "$work/$name.srv" '^ACCEPT' openssl s_server -www -client_renegotiation \
            -accept @PORT@ -naccept 2 -cert "$pki/clinic-web-$auth.pem" \
            -key "$pki/clinic-web-$auth.key" "$oflag" -cipher "$suite:@SECLEVEL=0" ||
            miss "s_server did not start"
    else
        third_party "$work/$name.srv" 'listening on IPv4.*done' gnutls-serv --http --port @PORT@ \
            --x509certfile "$pki/clinic-web-$auth.pem" --x509keyfile "$pki/clinic-web-$auth.key" \
            --priority "NORMAL:-VERS-ALL:+VERS-$gv:+SHA1:+SHA256" || miss "gnutls-serv did not start"
    fi
    m_pid=$tp_pid
    client "$name" -c "$cfg/physician-client.conf" --tls "$tls" --ciphers "$suite" \
        --renegotiate --resume "127.0.0.1:$port" /
    want_rc "$rc" 0 client
    [ "$(grep -c '^tntpeer client: rehandshake done: TLS '"$tls"' ' "$work/$name.clog")" = 2 ] ||
        miss "want a completed client-initiated renegotiation on each connection"
    [ "$(grep -c '^tntpeer client: connected: TLS '"$tls"' .*, resumed$' "$work/$name.clog")" = 1 ] ||
        miss "want the second connection resumed"
    [ "$(grep -c '^tntpeer client: response 200$' "$work/$name.clog")" = 2 ] ||
        miss "want two 200 responses"
    show "$work/$name.clog" "$work/$name.srv"
    end_case
    kill "$m_pid" 2>/dev/null
    wait "$m_pid" 2>/dev/null
}

# m_server NAME TOOL TLS SUITE S_CLIENT-FLAG GNUTLS-VERSION AUTH(rsa|ec)
m_server() {
    name=$1 tool=$2 tls=$3 suite=$4 oflag=$5 gv=$6 auth=$7
    begin "$name"
    server "$name" 2 -c "$cfg/clinic-server.conf" --cert "$pki/clinic-web-$auth.pem" \
        --key "$pki/clinic-web-$auth.key" --renegotiate
    if [ "$tool" = openssl ]; then
        for i in 1 2; do
            sess=-sess_out
            [ $i = 2 ] && sess=-sess_in
            (printf 'GET /index HTTP/1.0\r\n\r\n'; sleep 1) | timeout 20 openssl s_client \
                -connect "127.0.0.1:$srv_port" -quiet -ign_eof "$oflag" \
                -cipher "$suite:@SECLEVEL=0" $sess "$work/$name.sess" \
                >"$work/$name.out$i" 2>"$work/$name.err$i"
        done
    else
        # --resume: a first connection that only handshakes, then the
        # resumed one that carries the request.
        (sleep 1; printf 'GET /index HTTP/1.0\r\n\r\n'; sleep 1) | timeout 20 gnutls-cli \
            --insecure --resume -p "$srv_port" 127.0.0.1 \
            --priority "NORMAL:-VERS-ALL:+VERS-$gv:+SHA1:+SHA256" >"$work/$name.out2" \
            2>"$work/$name.err2"
    fi
    server_done
    want_rc "$srv_rc" 0 server
    want_prefix "$work/$name.slog" "tntpeer server: connection 2: TLS $tls "
    grep -q "^tntpeer server: connection 2: TLS $tls .*, resumed$" "$work/$name.slog" ||
        miss "want connection 2 resumed"
    want_line "$work/$name.slog" "tntpeer server: connection 2: HelloRequest (--renegotiate)"
    want_prefix "$work/$name.slog" "tntpeer server: connection 2: rehandshake done: TLS $tls "
    want_line "$work/$name.slog" 'tntpeer server: connection 2: 200 "GET /index"'
    want_contains "$work/$name.out2" "GET /index: granted (public)."
    show "$work/$name.slog" "$work/$name.err2" "$work/$name.out2"
    end_case
}

# m_matrix TOOL: every version and key exchange, both directions.
m_matrix() {
    tool=$1
    for v in 1.0 1.1 1.2; do
        case $v in
        1.0) of=-tls1 gv=TLS1.0 rsa=AES128-SHA ecr=ECDHE-RSA-AES128-SHA ece=ECDHE-ECDSA-AES256-SHA ;;
        1.1) of=-tls1_1 gv=TLS1.1 rsa=AES256-SHA ecr=ECDHE-RSA-AES256-SHA ece=ECDHE-ECDSA-AES128-SHA ;;
        *) of=-tls1_2 gv=TLS1.2 rsa=AES128-GCM-SHA256 ecr=ECDHE-RSA-AES256-GCM-SHA384 ece=ECDHE-ECDSA-CHACHA20-POLY1305 ;;
        esac
        m_client "m-$tool-client-tls$v-rsa" "$tool" $v $rsa $of $gv rsa
        m_client "m-$tool-client-tls$v-ecdhe-rsa" "$tool" $v $ecr $of $gv rsa
        m_client "m-$tool-client-tls$v-ecdhe-ecdsa" "$tool" $v $ece $of $gv ec
        m_server "m-$tool-server-tls$v-rsa" "$tool" $v $rsa $of $gv rsa
        m_server "m-$tool-server-tls$v-ecdhe-rsa" "$tool" $v $ecr $of $gv rsa
        m_server "m-$tool-server-tls$v-ecdhe-ecdsa" "$tool" $v $ece $of $gv ec
    done
}

if command -v openssl >/dev/null 2>&1; then
    m_matrix openssl
else
    skip m-openssl "openssl missing"
fi
if command -v gnutls-serv >/dev/null 2>&1 && command -v gnutls-cli >/dev/null 2>&1; then
    m_matrix gnutls
else
    skip m-gnutls "gnutls-serv or gnutls-cli missing"
fi

# ==== tntpeer against tntpeer ====

clinic="-c $cfg/clinic-server.conf $rsa_tls"
phys="-c $cfg/physician-client.conf"

# The clinic negotiation for each TLS version: the proofs take the form of
# that version (MD5||SHA-1 in 1.0 and 1.1, RSA-PSS in 1.2).
for v in 1.0 1.1 1.2; do
    n=clinic-tls$(echo $v | tr -d .)
    begin "$n"
    pair "$n" "$clinic" $phys --tls $v
    if [ $v = 1.2 ]; then
        want_clinic_ok "$n" "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation"
        want_line "$work/$n.clog" 'tntpeer client:   proof for "Accreditation": valid: rsa_pss_rsae_sha256 signature by an RSA key verifies'
        want_line "$work/$n.slog" 'tntpeer server:   proof for "MedicalLicense": valid: rsa_pss_rsae_sha256 signature by an RSA key verifies'
    else
        want_clinic_ok "$n" "TLS $v TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation"
        want_line "$work/$n.clog" "tntpeer client:   proof for \"Accreditation\": valid: TLS $v RSA MD5||SHA-1 signature by an RSA key verifies"
        want_line "$work/$n.slog" "tntpeer server:   proof for \"MedicalLicense\": valid: TLS $v RSA MD5||SHA-1 signature by an RSA key verifies"
    fi
    end_case
done

# The clinic negotiation over suites of every kind: ECDHE and RSA key
# exchange, GCM, CBC with Encrypt-then-MAC, ChaCha20-Poly1305.
for cs in "ECDHE-RSA-AES128-GCM-SHA256 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" \
    "AES128-SHA TLS_RSA_WITH_AES_128_CBC_SHA, EMS, EtM" \
    "AES256-SHA256 TLS_RSA_WITH_AES_256_CBC_SHA256, EMS, EtM" \
    "ECDHE-RSA-CHACHA20-POLY1305 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" \
    "TLS_RSA_WITH_AES_256_GCM_SHA384 TLS_RSA_WITH_AES_256_GCM_SHA384"; do
    set -- $cs
    suite=$1
    shift
    desc="$*"
    case $desc in *EMS*) ;; *) desc="$desc, EMS" ;; esac
    n=clinic-$suite
    begin "$n"
    pair "$n" "$clinic" $phys --ciphers "$suite"
    want_clinic_ok "$n" "TLS 1.2 $desc, secure renegotiation"
    end_case
done

# ECDSA P-256 everywhere: TLS certificate and both credentials.
n="clinic-ecdsa"
begin $n
pair $n "-c $cfg/clinic-server-ec.conf $ec_tls" -c "$cfg/physician-client-ec.conf" \
    --ciphers ECDHE-ECDSA-CHACHA20-POLY1305
want_clinic_ok $n "TLS 1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, EMS, secure renegotiation"
want_line "$work/$n.clog" 'tntpeer client:   proof for "Accreditation": valid: ecdsa_secp256r1_sha256 signature by a P-256 key verifies'
want_line "$work/$n.slog" 'tntpeer server:   proof for "MedicalLicense": valid: ecdsa_secp256r1_sha256 signature by a P-256 key verifies'
end_case

# ECDSA credentials over an RSA TLS certificate, in TLS 1.1: the proof
# signatures are then plain SHA-1 ECDSA (the TLS 1.1 form).
n="clinic-ecdsa-creds-tls11"
begin $n
pair $n "-c $cfg/clinic-server-ec.conf $rsa_tls" -c "$cfg/physician-client-ec.conf" --tls 1.1
want_clinic_ok $n "TLS 1.1 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, EMS, EtM, secure renegotiation"
end_case

# Strategies. The parsimonious physician with two credentials shows only
# what the clinic asks for (MedicalLicense); made eager, she sends the
# policy of her other credential (Employment) too and discloses both.
mkconf eager-two physician-client-two.conf -e 's/^strategy = parsimonious/strategy = eager/'
n=strategy-parsimonious-two
begin $n
pair $n "$clinic" -c "$cfg/physician-client-two.conf"
want_clinic_ok $n "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation"
want_no_match "$work/$n.clog" 'credential "Employment"'
end_case

n=strategy-eager-client
begin $n
pair $n "$clinic" -c "$work/eager-two.conf"
want_rc "$rc" 0 client
want_first "$work/$n.out" "HTTP/1.0 200 OK"
want_rounds "$work/$n.clog" 'round 1 received: continue, 1 policy, 0 credentials
round 2 sent: continue, 2 policies, 0 credentials
round 3 received: continue, 0 policies, 1 credential
round 4 sent: continue, 0 policies, 2 credentials
round 5 received: success, 0 policies, 0 credentials'
want_rounds "$work/$n.slog" 'round 1 sent: continue, 1 policy, 0 credentials
round 2 received: continue, 2 policies, 0 credentials
round 3 sent: continue, 0 policies, 1 credential
round 4 received: continue, 0 policies, 2 credentials
round 5 sent: success, 0 policies, 0 credentials'
# The extension carries the server's choice; each side follows its own.
want_line "$work/$n.clog" "tntpeer client: tnt: client negotiate, server negotiate (parsimonious, dn_expression)"
want_line "$work/$n.clog" 'tntpeer client:   send policy for credential "Employment": cred("Accreditation", issuer.O="Better Business Bureau") (eager: not satisfied yet)'
want_line "$work/$n.clog" 'tntpeer client:   disclose credential "Employment": its policy cred("Accreditation", issuer.O="Better Business Bureau") is satisfied by "Accreditation" (round 3)'
want_line "$work/$n.clog" "tntpeer client: handshake complete: trust established for $T after 5 rounds"
want_line "$work/$n.slog" "tntpeer server: connection 1: 200 $T"
end_case

# An eager clinic shows its free Accreditation in round 1, with its
# resource policy: three rounds instead of five.
mkconf eager-server clinic-server.conf -e 's/^strategy = parsimonious/strategy = eager/'
n=strategy-eager-server
begin $n
pair $n "-c $work/eager-server.conf $rsa_tls" $phys
want_rc "$rc" 0 client
want_first "$work/$n.out" "HTTP/1.0 200 OK"
want_rounds "$work/$n.slog" 'round 1 sent: continue, 1 policy, 1 credential
round 2 received: continue, 0 policies, 1 credential
round 3 sent: success, 0 policies, 0 credentials'
want_rounds "$work/$n.clog" 'round 1 received: continue, 1 policy, 1 credential
round 2 sent: continue, 0 policies, 1 credential
round 3 received: success, 0 policies, 0 credentials'
want_line "$work/$n.slog" "tntpeer server:   negotiating resource $T (eager)"
want_line "$work/$n.slog" 'tntpeer server:   disclose credential "Accreditation": free (policy true)'
want_line "$work/$n.clog" "tntpeer client: tnt: client negotiate, server negotiate (eager, dn_expression)"
want_line "$work/$n.slog" "tntpeer server: handshake complete: trust established for $T after 3 rounds"
end_case

# Client-initiated: request and ClientHello in one write, no HelloRequest.
n=initiate
begin $n
pair $n "$clinic" $phys --initiate
want_rc "$rc" 0 client
want_first "$work/$n.out" "HTTP/1.0 200 OK"
want_line "$work/$n.clog" "tntpeer client: requesting /records/4711 and starting the negotiation"
want_line "$work/$n.slog" "tntpeer server: connection 1: the client renegotiates on its own"
want_no_match "$work/$n.slog" "HelloRequest"
want_rounds "$work/$n.slog" "$clinic_server_rounds"
want_rounds "$work/$n.clog" "$clinic_client_rounds"
want_line "$work/$n.slog" "tntpeer server: connection 1: 200 $T"
end_case

# want_resumed NAME CONN CLOG: connection CONN of the server log NAME.slog
# and the client log CLOG show a resumption that carried the trust over
# (spec section 7), without a new negotiation.
want_resumed() {
    want_line "$work/$1.slog" "tntpeer server: tnt: client resume, server resume (parsimonious, dn_expression)"
    want_line "$work/$1.slog" "tntpeer server: trust for $T resumed with the session"
    want_line "$work/$1.slog" "tntpeer server: connection $2: TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation, resumed"
    want_line "$work/$1.slog" "tntpeer server: connection $2: \"GET /records/4711\": trust already established (resumed session)"
    want_line "$work/$1.slog" "tntpeer server: connection $2: 200 $T"
    want_no_line "$work/$1.slog" "tntpeer server: connection $2: HelloRequest: trust needed for $T"
    want_line "$3" "tntpeer client: tnt: client resume, server resume (parsimonious, dn_expression)"
    want_line "$3" "tntpeer client: trust for $T resumed with the session"
    want_line "$3" "tntpeer client: connected: TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, EMS, secure renegotiation, resumed"
}

# --resume: a second connection that resumes the session and its trust.
n=resume
begin $n
server $n 2 $clinic
client $n $phys --resume "127.0.0.1:$srv_port" /records/4711
server_done
show "$work/$n.slog" "$work/$n.clog"
want_rc "$rc" 0 client
want_rc "$srv_rc" 0 server
want_line "$work/$n.clog" "tntpeer client: reconnecting to resume the session and its trust"
want_resumed $n 2 "$work/$n.clog"
# One negotiation in all: five rounds, once.
want_rounds "$work/$n.slog" "$clinic_server_rounds"
[ "$(grep -c '^HTTP/1.0 200 OK' "$work/$n.out")" = 2 ] || miss "want two 200 responses"
end_case

# --sess-out, then another process with --sess-in.
n=sess-file
begin $n
server $n 2 $clinic
client $n.1 $phys --sess-out "$work/sess" "127.0.0.1:$srv_port" /records/4711
rc1=$rc
client $n.2 $phys --sess-in "$work/sess" "127.0.0.1:$srv_port" /records/4711
server_done
show "$work/$n.slog" "$work/$n.1.clog" "$work/$n.2.clog"
want_rc "$rc1" 0 "first client"
want_rc "$rc" 0 "second client"
grep -q '^tls-session v1 ' "$work/sess" 2>/dev/null || miss "no session in $work/sess"
want_first "$work/sess.trust" "GET /records/4711"
want_resumed $n 2 "$work/$n.2.clog"
want_first "$work/$n.2.out" "HTTP/1.0 200 OK"
want_rounds "$work/$n.2.clog" ""
end_case

# --ca: the server's TLS chain must verify to the CA (and name --sni).
n=ca-ok
begin $n
pair $n "$clinic" $phys --ca "$pki/webca-rsa.pem" --sni clinic.example
want_rc "$rc" 0 client
want_line "$work/$n.clog" "tntpeer client: server certificate verifies for clinic.example"
end_case

n=ca-wrong
begin $n
pair $n "$clinic" $phys --ca "$pki/smb-ca-rsa.pem"
want_rc "$rc" 3 client
want_prefix "$work/$n.clog" "tntpeer client: handshake failed: server certificate: "
want_no_match "$work/$n.clog" "round 1"
end_case

n=ca-wrong-name
begin $n
pair $n "$clinic" $phys --ca "$pki/webca-rsa.pem" --sni records.example
want_rc "$rc" 3 client
want_line "$work/$n.clog" "tntpeer client: handshake failed: server certificate is not for records.example"
end_case

# The failed negotiation of the unlicensed client: the server ends it with
# access_denied (--on-failure deny) or completes without trust (default).
n=on-failure-deny
begin $n
pair $n "$clinic --on-failure deny" -c "$cfg/unlicensed-client.conf"
want_rc "$rc" 1 client
want_rc "$srv_rc" 0 server
[ -s "$work/$n.out" ] && miss "a response after access_denied"
want_rounds "$work/$n.slog" 'round 1 sent: continue, 1 policy, 0 credentials
round 2 received: continue, 1 policy, 0 credentials
round 3 sent: continue, 0 policies, 1 credential
round 4 received: continue, 0 policies, 1 credential
round 5 sent: failure, 0 policies, 0 credentials'
want_line "$work/$n.slog" 'tntpeer server:   resource "GET /records/4711": policy cred("MedicalLicense", issuer.O="State Medical Board") not satisfied: requires cred("MedicalLicense", issuer.O="State Medical Board"); disclosed only MedicalLicense issued by O="Acme Trust"'
want_line "$work/$n.slog" "tntpeer server: negotiation failed: access_denied"
want_prefix "$work/$n.slog" "tntpeer server: connection 1: rehandshake: negotiation failed: failure: nothing new to disclose"
want_line "$work/$n.clog" "tntpeer client: round 5 received: failure, 0 policies, 0 credentials"
want_line "$work/$n.clog" "tntpeer client: peer sent fatal alert 49 (access_denied)"
end_case

n=on-failure-complete
begin $n
pair $n "$clinic --on-failure complete" -c "$cfg/unlicensed-client.conf"
want_rc "$rc" 1 client
want_first "$work/$n.out" "HTTP/1.0 403 Forbidden"
want_prefix "$work/$n.out" "GET /records/4711: trust not established: failure: nothing new to disclose"
want_prefix "$work/$n.slog" "tntpeer server: handshake complete without trust (failure): failure: nothing new to disclose"
want_line "$work/$n.clog" "tntpeer client: round 5 received: failure, 0 policies, 0 credentials"
want_line "$work/$n.slog" "tntpeer server: connection 1: 403 $T"
want_line "$work/$n.clog" "tntpeer client: response 403"
end_case

# ---- fault injection ----
# f_case NAME CLIENT-RC "SERVER ARGS" "CLIENT ARGS" then want_* lines.
f_case() {
    begin "$1"
    pair "$1" "$3" $4
    want_rc "$rc" "$2" client
    want_rc "$srv_rc" 0 server
}

# in-clear on both sides with a license free to show: the negotiation runs
# in the initial handshake, and the request finds trust already there.
f_case fault-in-clear 0 "$clinic --fault in-clear" "-c $cfg/physician-client-free.conf --fault in-clear"
want_line "$work/fault-in-clear.slog" "tntpeer server: fault injection: negotiating $T in the initial, unencrypted handshake"
want_line "$work/fault-in-clear.slog" "tntpeer server: negotiating $T in the clear"
want_line "$work/fault-in-clear.slog" "tntpeer server: connection 1: \"GET /records/4711\": trust already established"
want_rounds "$work/fault-in-clear.clog" 'round 1 received: continue, 1 policy, 0 credentials
round 2 sent: continue, 0 policies, 1 credential
round 3 received: success, 0 policies, 0 credentials'
want_first "$work/fault-in-clear.out" "HTTP/1.0 200 OK"
end_case

# in-clear on the client only: a correct server refuses to negotiate in the
# clear and waits for the rehandshake.
f_case fault-in-clear-client-only 0 "$clinic" "$phys --fault in-clear"
want_line "$work/fault-in-clear-client-only.slog" "tntpeer server: client asks to negotiate in the initial handshake: answering offer, the negotiation waits for the encrypted rehandshake"
want_line "$work/fault-in-clear-client-only.clog" "tntpeer client: tnt: client negotiate, server offer (parsimonious, dn_expression)"
want_rounds "$work/fault-in-clear-client-only.slog" "$clinic_server_rounds"
end_case

f_case fault-no-proof 1 "$clinic --fault no-proof" "$phys"
want_line "$work/fault-no-proof.slog" "tntpeer server:   fault injection: no TNTProof for round 3"
want_line "$work/fault-no-proof.clog" "tntpeer client: round 3 received: continue, 0 policies, 1 credential, without TNTProof"
want_line "$work/fault-no-proof.clog" 'tntpeer client:   received credential "Accreditation": proof missing: counts as undisclosed'
want_line "$work/fault-no-proof.clog" "tntpeer client: round 4 sent: failure, 0 policies, 0 credentials"
want_line "$work/fault-no-proof.clog" "tntpeer client: response 403"
want_first "$work/fault-no-proof.out" "HTTP/1.0 403 Forbidden"
end_case

f_case fault-no-proof-client 1 "$clinic" "$phys --fault no-proof"
want_line "$work/fault-no-proof-client.clog" "tntpeer client:   fault injection: no TNTProof for round 4"
want_line "$work/fault-no-proof-client.slog" 'tntpeer server:   received credential "MedicalLicense": proof missing: counts as undisclosed'
want_line "$work/fault-no-proof-client.slog" "tntpeer server: connection 1: 403 $T"
end_case

f_case fault-bad-proof 1 "$clinic --fault bad-proof" "$phys"
want_line "$work/fault-bad-proof.slog" 'tntpeer server:   fault injection: one bit of the proof for "Accreditation" flipped'
want_line "$work/fault-bad-proof.clog" 'tntpeer client:   proof for "Accreditation": invalid: signature does not verify'
want_line "$work/fault-bad-proof.clog" 'tntpeer client:   received credential "Accreditation": proof invalid: counts as undisclosed'
want_line "$work/fault-bad-proof.clog" "tntpeer client: round 4 sent: failure, 0 policies, 0 credentials"
want_first "$work/fault-bad-proof.out" "HTTP/1.0 403 Forbidden"
end_case

f_case fault-bad-proof-client 1 "$clinic" "$phys --fault bad-proof"
want_line "$work/fault-bad-proof-client.clog" 'tntpeer client:   fault injection: one bit of the proof for "MedicalLicense" flipped'
want_line "$work/fault-bad-proof-client.slog" 'tntpeer server:   proof for "MedicalLicense": invalid: signature does not verify'
want_line "$work/fault-bad-proof-client.slog" "tntpeer server: connection 1: 403 $T"
end_case

# Ordering errors end the handshake with unexpected_message: a TLS failure
# for the client (exit 3), not a refusal.
f_case fault-round-order 3 "$clinic --fault round-order" "$phys"
want_line "$work/fault-round-order.slog" "tntpeer server:   fault injection: round 1 sent as round 2"
want_line "$work/fault-round-order.slog" "tntpeer server: round 2 sent: continue, 1 policy, 0 credentials"
want_line "$work/fault-round-order.clog" "tntpeer client: TNT ordering error: round 2 received where round 1 was expected"
want_line "$work/fault-round-order.slog" "tntpeer server: connection 1: rehandshake: peer sent fatal alert 10 (unexpected_message)"
[ -s "$work/fault-round-order.out" ] && miss "a response after an ordering error"
end_case

f_case fault-round-order-client 3 "$clinic" "$phys --fault round-order"
want_line "$work/fault-round-order-client.clog" "tntpeer client:   fault injection: round 2 sent as round 3"
want_line "$work/fault-round-order-client.slog" "tntpeer server: connection 1: rehandshake: TNT ordering error: round 3 received where round 2 was expected"
want_line "$work/fault-round-order-client.clog" "tntpeer client: peer sent fatal alert 10 (unexpected_message)"
end_case

f_case fault-client-success 3 "$clinic" "$phys --fault client-success"
want_line "$work/fault-client-success.clog" "tntpeer client:   fault injection: client round 4 sent with status success"
want_line "$work/fault-client-success.clog" "tntpeer client: round 4 sent: success, 0 policies, 1 credential"
want_line "$work/fault-client-success.slog" "tntpeer server: connection 1: rehandshake: TNT ordering error: round 4: success from the client"
want_line "$work/fault-client-success.clog" "tntpeer client: peer sent fatal alert 10 (unexpected_message)"
end_case

# ---- the rest of the interface ----

# -q: no diagnostic log at all, the response still on stdout.
n=quiet
begin $n
pair $n "$clinic -q" $phys -q
want_rc "$rc" 0 client
[ -s "$work/$n.clog" ] && miss "client logged with -q"
[ -s "$work/$n.slog" ] && miss "server logged with -q"
want_first "$work/$n.out" "HTTP/1.0 200 OK"
end_case

# --keylog: one CLIENT_RANDOM line per handshake (initial + rehandshake).
n=keylog
begin $n
pair $n "$clinic" $phys --keylog "$work/$n.keys"
want_rc "$rc" 0 client
k=$(grep -c '^CLIENT_RANDOM [0-9a-f]\{64\} [0-9a-f]\{96\}$' "$work/$n.keys" 2>/dev/null)
[ "$k" = 2 ] || miss "$k CLIENT_RANDOM lines in the key log, want 2"
end_case

# Without -c the client does not speak TNT: the clinic server says so.
n=client-without-tnt
begin $n
pair $n "$clinic"
want_rc "$rc" 1 client
want_line "$work/$n.slog" "tntpeer server: connection 1: $T needs trust, but the client does not speak TNT"
want_first "$work/$n.out" "HTTP/1.0 403 Forbidden"
end_case

# Configuration errors: exit 2 and "FILE:LINE: what".
printf 'strategy = eager\nrounds = 0\n' >"$work/bad-rounds.conf"
printf '# clinic\nstrategy = eager\nresource "GET /x" = cred("A", issuer.O=)\n' >"$work/bad-policy.conf"
printf 'strategy = sometimes\n' >"$work/bad-strategy.conf"
printf '[credential "X"]\nchain = %s/nonexistent.pem\nkey = %s/physician-rsa.key\npolicy = true\n' \
    "$pki" "$pki" >"$work/bad-chain.conf"
for c in bad-rounds:2 bad-policy:3 bad-strategy:1 bad-chain:; do
    f=${c%%:*}
    line=${c#*:}
    n=config-$f
    begin $n
    "$tntpeer" client -c "$work/$f.conf" 127.0.0.1:9 /records/4711 >"$work/$n.out" 2>"$work/$n.err"
    want_rc $? 2 client
    "$tntpeer" server -c "$work/$f.conf" $rsa_tls -l 127.0.0.1:0 >/dev/null 2>"$work/$n.serr"
    want_rc $? 2 server
    if [ -n "$line" ]; then
        grep -q "^tntpeer: $work/$f.conf:$line: [a-z]" "$work/$n.err" ||
            miss "no 'tntpeer: $work/$f.conf:$line: ...' message"
    else
        grep -q "^tntpeer: $work/$f.conf:[0-9][0-9]*: .*nonexistent.pem" "$work/$n.err" ||
            miss "no 'FILE:LINE: ...nonexistent.pem' message"
    fi
    cmp -s "$work/$n.err" "$work/$n.serr" || miss "client and server report differently"
    show "$work/$n.err" "$work/$n.serr"
    end_case
done
n=config-messages
begin $n
want_line "$work/config-bad-rounds.err" "tntpeer: $work/bad-rounds.conf:2: rounds must be a number from 1 to 65535"
want_line "$work/config-bad-policy.err" "tntpeer: $work/bad-policy.conf:3: malformed policy at column 40: expected a string"
end_case

# Usage errors: exit 2, before any connection.
u_case() {
    n=$1
    shift
    begin "$n"
    "$tntpeer" "$@" >"$work/$n.out" 2>"$work/$n.err" </dev/null
    want_rc $? 2 "$*"
    show "$work/$n.err"
}
u_case usage-bad-option client --bogus 127.0.0.1:9 /x
want_contains "$work/usage-bad-option.err" "unrecognized option '--bogus'"
want_contains "$work/usage-bad-option.err" "usage: tntpeer server"
end_case
u_case usage-no-mode
end_case
u_case usage-bad-mode proxy 127.0.0.1:9 /x
end_case
u_case usage-bad-fault client --fault sometimes 127.0.0.1:9 /x
want_line "$work/usage-bad-fault.err" "tntpeer: unknown fault sometimes (in-clear, no-proof, bad-proof, round-order, client-success)"
end_case
u_case usage-bad-on-failure server --on-failure maybe $rsa_tls
want_line "$work/usage-bad-on-failure.err" "tntpeer: --on-failure complete|deny"
end_case
u_case usage-bad-tls client --tls 1.3 127.0.0.1:9 /x
want_line "$work/usage-bad-tls.err" "tntpeer: unknown TLS version 1.3"
end_case
u_case usage-bad-cipher client --ciphers RC4-MD5 127.0.0.1:9 /x
want_line "$work/usage-bad-cipher.err" "tntpeer: unknown or unsupported cipher suite 'RC4-MD5'"
end_case
u_case usage-bad-path client 127.0.0.1:9 records
want_line "$work/usage-bad-path.err" "tntpeer: PATH must start with / and hold no blanks"
end_case
u_case usage-server-without-cert server -c "$cfg/clinic-server.conf"
end_case
u_case usage-cert-without-key server --cert "$pki/clinic-web-rsa.pem"
want_line "$work/usage-cert-without-key.err" "tntpeer: every --cert needs its --key"
end_case
u_case usage-client-with-cert client $rsa_tls 127.0.0.1:9 /x
end_case
u_case usage-missing-config client -c "$work/nonexistent.conf" 127.0.0.1:9 /x
want_line "$work/usage-missing-config.err" "tntpeer: $work/nonexistent.conf: No such file or directory"
end_case
begin help
"$tntpeer" --help >"$work/help.out" 2>&1
want_rc $? 0 "--help"
want_first "$work/help.out" "usage: tntpeer server -c CONFIG --cert CHAIN --key KEY [options]"
end_case

# Connection refused: exit 3. The port is one a server of ours just left.
n=connection-refused
begin $n
server $n 1 $clinic
dead=$srv_port
kill "$srv_pid" 2>/dev/null
wait "$srv_pid" 2>/dev/null
client $n $phys "127.0.0.1:$dead" /records/4711
want_rc "$rc" 3 client
want_line "$work/$n.clog" "tntpeer client: connect 127.0.0.1:$dead: Connection refused"
[ -s "$work/$n.out" ] && miss "output without a connection"
show "$work/$n.clog"
end_case

# A TLS failure: no suite in common -> exit 3 on the client.
n=no-common-suite
begin $n
pair $n "$clinic --ciphers AES256-SHA" $phys --ciphers AES128-SHA
want_rc "$rc" 3 client
want_line "$work/$n.clog" "tntpeer client: handshake failed: peer sent fatal alert 40 (handshake_failure)"
end_case

# With a sanitizer build (TNTPEER pointing at one), no report anywhere.
begin sanitizer-reports
for f in "$work"/*.clog "$work"/*.slog "$work"/*.err; do
    grep -l "Sanitizer\|runtime error:" "$f" 2>/dev/null | sed 's/^/    /'
done >"$work/sanitizer.list"
[ -s "$work/sanitizer.list" ] && miss "sanitizer reports in:
$(cat "$work/sanitizer.list")"
end_case

echo "passed $pass, failed $fail, skipped $skipped in $(($(date +%s) - started)) s${failed_names:+; failed:$failed_names}"
[ $fail = 0 ]
