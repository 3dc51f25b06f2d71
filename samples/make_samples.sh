#!/bin/bash
# Regenerates every sample capture: for each scenario it starts tntpeer's
# server (or openssl s_server) and client on loopback, captures the
# connection with dumpcap, and writes NAME.pcapng, NAME.keys (the client's
# NSS key log: every handshake of the capture) and NAME.md (what the sample
# shows and the exact commands that made it).
#
# Usage: samples/make_samples.sh [-o OUTDIR] [NAME ...]
#   OUTDIR defaults to samples/ itself; NAMEs select scenarios (default all).
# Environment: TNTPEER (default build/peer/tntpeer), DUMPCAP (dumpcap),
#   OPENSSL (openssl), SAMPLE_PORT_BASE (default 45400).
# Needs capture rights on lo (root, or dumpcap with its capabilities).
# Exits 77 when it cannot capture, so that tests can skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=$here
while getopts "o:" opt; do
    case $opt in
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-o OUTDIR] [NAME ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
mkdir -p "$out"
out=$(cd "$out" && pwd)
tntpeer=${TNTPEER:-$root/build/peer/tntpeer}
dumpcap=${DUMPCAP:-dumpcap}
openssl=${OPENSSL:-openssl}
port=${SAMPLE_PORT_BASE:-45400}
[ -x "$tntpeer" ] || { echo "make_samples: no tntpeer at $tntpeer (set TNTPEER)" >&2; exit 2; }
command -v "$dumpcap" >/dev/null || { echo "make_samples: dumpcap not found" >&2; exit 77; }

cfg=$here/configs
pki=$root/tests/data/pki
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# Can we capture at all?
if ! "$dumpcap" -D 2>/dev/null | grep -q '\blo\b'; then
    echo "make_samples: dumpcap cannot capture on lo here (no capture rights)" >&2
    exit 77
fi

selected() {
    local n=$1
    shift
    [ ${#sel[@]} -eq 0 ] && return 0
    for s in "${sel[@]}"; do [ "$s" = "$n" ] && return 0; done
    return 1
}
sel=("$@")

# Every path the commands mention is relative to samples/ so that the .md
# files show commands one can run from there.
srv_tls=(--cert ../tests/data/pki/clinic-web-rsa.pem --key ../tests/data/pki/clinic-web-rsa.key)
srv_tls_ec=(--cert ../tests/data/pki/clinic-web-ec.pem --key ../tests/data/pki/clinic-web-ec.key)

start_capture() { # NAME PORT
    rm -f "$out/$1.pcapng"
    "$dumpcap" -q -i lo -f "tcp port $2" -w "$tmp/$1.pcapng" 2>"$tmp/dumpcap.log" &
    cap_pid=$!
    pids+=("$cap_pid")
    for _ in $(seq 100); do
        grep -q "^File:" "$tmp/dumpcap.log" 2>/dev/null && return 0
        sleep 0.05
    done
    # dumpcap -q prints nothing on some versions: give it a moment.
    sleep 0.5
}

stop_capture() { # NAME
    sleep 0.3
    kill -INT "$cap_pid" 2>/dev/null || true
    wait "$cap_pid" 2>/dev/null || true
    mv "$tmp/$1.pcapng" "$out/$1.pcapng"
}

wait_ready() { # FILE
    for _ in $(seq 200); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "make_samples: server did not start" >&2
    return 1
}

# run NAME "TITLE" "SHOWS" SERVER-ARGS... -- CLIENT-ARGS...
# Server: tntpeer server unless SERVER-ARGS starts with "openssl".
run() {
    local name=$1 title=$2 shows=$3
    shift 3
    port=$((port + 1)) # per scenario, selected or not: the .md files stay put
    selected "$name" || return 0
    # Another program (a test running beside us) may hold the port: the
    # next free one will do, the .md records the one used.
    while ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; do port=$((port + 1)); done
    local sargs=() cargs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do sargs+=("$1"); shift; done
    shift
    cargs=("$@")
    rm -f "$out/$name.keys" "$tmp/ready"
    start_capture "$name" "$port"
    local scmd ccmd count=(--count 1)
    [[ " ${sargs[*]} " == *" --count "* ]] && count=()
    (
        cd "$here"
        if [ "${sargs[0]}" = openssl ]; then
            "$openssl" s_server -quiet -www -accept "$port" "${sargs[@]:1}" \
                >"$tmp/server.out" 2>"$tmp/server.log" &
            echo $! >"$tmp/server.pid"
            for _ in $(seq 200); do
                ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && break
                sleep 0.05
            done
        else
            "$tntpeer" server -l 127.0.0.1:$port --ready "$tmp/ready" "${count[@]}" "${sargs[@]}" \
                >"$tmp/server.out" 2>"$tmp/server.log" &
            echo $! >"$tmp/server.pid"
            wait_ready "$tmp/ready"
        fi
        set +e
        "$tntpeer" client --keylog "$out/$name.keys" "${cargs[@]}" 127.0.0.1:$port \
            /records/4711 >"$tmp/client.out" 2>"$tmp/client.log"
        echo $? >"$tmp/client.rc"
        set -e
        if [ "${sargs[0]}" = openssl ]; then
            kill "$(cat "$tmp/server.pid")" 2>/dev/null || true
        fi
        wait "$(cat "$tmp/server.pid")" 2>/dev/null || true
    )
    stop_capture "$name"
    if [ "${sargs[0]}" = openssl ]; then
        scmd="openssl s_server -quiet -www -accept PORT ${sargs[*]:1}"
    else
        scmd="tntpeer server -l 127.0.0.1:PORT${count[*]:+ ${count[*]}} ${sargs[*]}"
    fi
    ccmd="tntpeer client --keylog $name.keys ${cargs[*]} 127.0.0.1:PORT /records/4711"
    chmod 644 "$out/$name.pcapng" "$out/$name.keys" 2>/dev/null || true
    {
        echo "# $name: $title"
        echo
        echo "$shows"
        echo
        echo "## How it was made"
        echo
        echo "\`samples/make_samples.sh $name\` ran, from \`samples/\`, with PORT = $port"
        echo "(captured on lo with \`dumpcap -i lo -f \"tcp port PORT\"\`):"
        echo
        echo '```'
        echo "$scmd"
        echo "$ccmd"
        echo '```'
        echo
        echo "The client exited with status $(cat "$tmp/client.rc") and printed:"
        echo
        echo '```'
        cat "$tmp/client.out"
        echo '```'
        echo
        echo "## Diagnostic log"
        echo
        echo "Server:"
        echo
        echo '```'
        sed -e "s/:$port\b/:PORT/g" "$tmp/server.log"
        echo '```'
        echo
        echo "Client:"
        echo
        echo '```'
        cat "$tmp/client.log"
        echo '```'
        echo
        echo "## Decode"
        echo
        echo '```'
        echo "tntdump -r $name.pcapng -k $name.keys"
        echo '```'
    } >"$out/$name.md"
    echo "$name: client exit $(cat "$tmp/client.rc"), $(wc -c <"$out/$name.pcapng") bytes"
}

C=configs

run clinic-tls12-ecdhe-gcm "the clinic negotiation, TLS 1.2 ECDHE-RSA AES-128-GCM" \
"The negotiation of spec section 9, succeeding: after the request the server
sends HelloRequest, and in the encrypted rehandshake rounds 1-5 go as in the
spec's table (policy, policy, Accreditation + proof, MedicalLicense + proof,
success). Trust is established; the server answers 200." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/physician-client.conf \
    --ciphers ECDHE-RSA-AES128-GCM-SHA256

run clinic-tls12-rsa-cbc "the clinic negotiation, TLS 1.2 RSA key transport, AES-128-CBC-SHA" \
"The same negotiation over TLS_RSA_WITH_AES_128_CBC_SHA, with
Encrypt-then-MAC and Extended Master Secret (both on by default). The key log
has the master secret; an RSA key file would do too (clinic-web-rsa.key)." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/physician-client.conf --ciphers AES128-SHA

run clinic-tls10 "the clinic negotiation in TLS 1.0" \
"The same negotiation in TLS 1.0 (ECDHE-RSA AES-128-CBC-SHA): proofs use the
TLS 1.0 form (MD5||SHA-1 RSA signatures, no algorithm field)." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/physician-client.conf --tls 1.0 \
    --ciphers ECDHE-RSA-AES128-SHA

run clinic-ecdsa "the clinic negotiation with ECDSA P-256 credentials" \
"Both credentials (Accreditation, MedicalLicense) and the server's TLS
certificate are ECDSA P-256; TLS 1.2 ECDHE-ECDSA ChaCha20-Poly1305. Proofs are
ecdsa_secp256r1_sha256." \
    -c $C/clinic-server-ec.conf "${srv_tls_ec[@]}" -- -c $C/physician-client-ec.conf \
    --ciphers ECDHE-ECDSA-CHACHA20-POLY1305

run failure-denied "failure ended by access_denied" \
"The client's MedicalLicense was issued by Acme Trust, not the State Medical
Board: after round 4 the server has nothing more to offer, sends failure (round
5) and then the fatal access_denied alert (--on-failure deny). The
rehandshake never completes." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --on-failure deny -- -c $C/unlicensed-client.conf

run failure-completed "failure, handshake completed without trust" \
"The same failed negotiation, but the server carries on to ServerHelloDone
(--on-failure complete, the default): the rehandshake completes without
established trust and the server answers 403." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/unlicensed-client.conf

run client-initiated "client-initiated negotiation" \
"The client sends its request and, in the same write, a ClientHello with tnt:
negotiate (no HelloRequest). The server negotiates for the request it has just
read." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/physician-client.conf --initiate

run resumption "resumption reusing established trust" \
"Two connections. The first negotiates trust as in the clinic sample; the
second resumes its session (session ID) with tnt: resume in both hellos: the
abbreviated handshake carries the trust over, and the server answers 200
without a new negotiation." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --count 2 -- -c $C/physician-client.conf --resume

run two-credentials "a policy needing two credentials" \
"The resource needs a MedicalLicense (State Medical Board) and an Employment
credential (Acme Trust): two resource policies that add up. The client
discloses both in round 4, each with its proof." \
    -c $C/clinic-server-two.conf "${srv_tls[@]}" -- -c $C/physician-client-two.conf

run large-chain "a credential chain spanning several records and TCP segments" \
"The Accreditation chain is a 32 KB certificate with 384 subjectAltNames plus
its CA (samples/pki/make_large.sh): round 3 spans three TLS records, and with a
TCP MSS of 1400 several TCP segments." \
    -c $C/clinic-server-large.conf "${srv_tls[@]}" --mss 1400 -- -c $C/physician-client.conf \
    --mss 1400

run tnt-in-clear "violation tnt-in-clear: negotiation in the initial handshake" \
"Fault injection: the client says negotiate in its initial ClientHello and the
server negotiates there, in the clear. Nothing protected is disclosed (the
license's policy is true), so the only violation is tnt-in-clear (warning)." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --fault in-clear -- -c $C/physician-client-free.conf \
    --fault in-clear

run sensitive-in-clear "violation sensitive-credential-in-clear" \
"Fault injection: the clinic negotiation in the initial, unencrypted handshake.
The client sent a policy for MedicalLicense and then disclosed it in the clear:
sensitive-credential-in-clear (error), besides tnt-in-clear (warning)." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --fault in-clear -- -c $C/physician-client.conf \
    --fault in-clear

run proof-missing "violation proof-missing" \
"Fault injection: the server discloses Accreditation in round 3 without the
TNTProof. The client counts it as undisclosed, has nothing new and answers
failure (round 4); the handshake completes without trust." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --fault no-proof -- -c $C/physician-client.conf

run proof-invalid "violation proof-invalid" \
"Fault injection: one bit of the server's proof for Accreditation is flipped.
The client's check fails, it answers failure; the handshake completes without
trust." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --fault bad-proof -- -c $C/physician-client.conf

run round-out-of-order "violation round-out-of-order" \
"Fault injection: the server's first TNTNegotiation carries round 2. The client
treats it as an ordering error and sends a fatal unexpected_message alert." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --fault round-order -- -c $C/physician-client.conf

run client-success "violation client-success" \
"Fault injection: the client's round 4 (its license and proof) says success.
Only the server may; it sends a fatal unexpected_message alert." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/physician-client.conf --fault client-success

run no-renegotiation-info "violation renegotiation-info-missing" \
"Both sides run without RFC 5746 (--no-reneg-info, which also allows insecure
renegotiation): no renegotiation_info and no SCSV in any hello. The
negotiation succeeds, but the rehandshake lacks renegotiation_info and the
established trust is insecure." \
    -c $C/clinic-server.conf "${srv_tls[@]}" --no-reneg-info -- -c $C/physician-client.conf \
    --no-reneg-info

run no-tnt-openssl "plain TLS with a server that does not speak TNT" \
"The TNT client against openssl s_server -www: OpenSSL ignores the tnt
extension and does not echo it; the client reports that the peer does not
speak TNT and gets OpenSSL's status page over plain TLS 1.2." \
    openssl -cert ../tests/data/pki/clinic-web-rsa.pem -key ../tests/data/pki/clinic-web-rsa.key \
    -- -c $C/physician-client.conf

run forged-issuer "failure: a license from a forged State Medical Board" \
"The client's MedicalLicense names O=State Medical Board as its issuer, but a
forged CA of that name made it. The clinic's anchor for the State Medical Board
does not verify the chain, so the license does not satisfy the policy and the
server ends with failure (the server's log says why). A decoder without trust
anchors sees the DN match; with --trust-anchor it sees the chain fail." \
    -c $C/clinic-server.conf "${srv_tls[@]}" -- -c $C/forged-license-client.conf
