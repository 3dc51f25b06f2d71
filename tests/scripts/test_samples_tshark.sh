#!/bin/sh
# Stock tshark (no plugin) with each sample's key log must decrypt the
# sample's rehandshake and show Finished in both directions: the samples are
# meant to be opened in an unmodified Wireshark, so the key logs must carry
# every handshake's secret and the captures must be decryptable as they are.
#
# For every samples/*.pcapng this counts, per TCP connection, the
# ClientHellos, the Finished messages per direction and the handshake
# messages tshark could read after each direction's first Finished (inside
# the encrypted channel: tshark shows their types only once it has decrypted
# them), and compares them with the table below, so that a changed sample
# fails until the table is updated on purpose. tshark 4.0 reports a record it
# cannot decrypt only in its TLS debug log (no expert info), so that log is
# searched for MAC / auth tag / padding failures, and expert info of
# severity warning or error fails too.
set -u
: "${TNT_SRC:?}"
command -v tshark >/dev/null 2>&1 || {
    echo "SKIP: tshark not found" >&2
    exit 77
}
command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 not found" >&2
    exit 77
}
S=$TNT_SRC/samples
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# sample  then one word per TCP connection (tshark's tcp.stream order):
#   stream:clienthellos:finished_c2s:finished_s2c:after_c2s:after_s2c
# after_* = handshake messages tshark decoded after that direction's first
# Finished. A completed renegotiation reads 2:2:2:3:6 (C>S ClientHello,
# ClientKeyExchange, Finished; S>C HelloRequest, ServerHello, Certificate,
# [ServerKeyExchange,] ServerHelloDone, Finished). The TNT messages
# themselves (types 224/225) are unknown to tshark and not counted.
cat >"$tmp/expected" <<'EOF'
client-initiated        0:2:2:2:3:5
client-success          0:2:1:1:1:4
clinic-ecdsa            0:2:2:2:3:6
clinic-tls10            0:2:2:2:3:6
clinic-tls12-ecdhe-gcm  0:2:2:2:3:6
clinic-tls12-rsa-cbc    0:2:2:2:3:5
failure-completed       0:2:2:2:3:6
failure-denied          0:2:1:1:1:4
forged-issuer           0:2:2:2:3:6
large-chain             0:2:2:2:3:6
no-renegotiation-info   0:2:2:2:3:6
no-tnt-openssl          0:1:1:1:0:0
proof-invalid           0:2:2:2:3:6
proof-missing           0:2:2:2:3:6
resumption              0:2:2:2:3:6 1:1:1:1:0:0
round-out-of-order      0:2:1:1:1:4
sensitive-in-clear      0:1:1:1:0:0
tnt-in-clear            0:1:1:1:0:0
two-credentials         0:2:2:2:3:6
EOF

# One line per frame: stream, syn, ack, srcport, dstport, record types,
# handshake types, expert severities.
cat >"$tmp/count.py" <<'EOF'
import sys

streams = {}  # stream -> dict
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    f = line.rstrip("\n").split("\t")
    f += [""] * (8 - len(f))
    stream, syn, ack, sport, dport, ctypes, htypes, sev = f[:8]
    if not stream:
        continue
    st = streams.setdefault(int(stream), {"client": None, "seq": {}, "sev": []})
    if syn in ("1", "True") and ack in ("0", "False") and st["client"] is None:
        st["client"] = sport
    hts = [int(x) for x in htypes.split(",") if x != ""]
    if st["client"] is None and 1 in hts:
        st["client"] = sport  # no SYN in the capture: the ClientHello's sender
    st["seq"].setdefault(sport, []).extend(hts)
    st["sev"] += [int(x) for x in sev.split(",") if x != ""]

words = []
bad_expert = 0
for n in sorted(streams):
    st = streams[n]
    c = st["client"]
    cs = st["seq"].get(c, [])
    sc = [t for p, seq in st["seq"].items() if p != c for t in seq]

    def after_first_finished(seq):
        return len(seq) - seq.index(20) - 1 if 20 in seq else 0

    words.append("%d:%d:%d:%d:%d:%d" % (n, cs.count(1), cs.count(20), sc.count(20),
                                       after_first_finished(cs), after_first_finished(sc)))
    # 0x600000 = PI_WARN, 0x800000 = PI_ERROR
    bad_expert += sum(1 for s in st["sev"] if s >= 0x600000)
print(" ".join(words))
print(bad_expert)
EOF

seen=""
for pcap in "$S"/*.pcapng; do
    [ -e "$pcap" ] || {
        echo "FAIL: no samples in $S" >&2
        exit 1
    }
    name=$(basename "$pcap" .pcapng)
    seen="$seen $name"
    before=$fail
    fail=0
    keys=$S/$name.keys
    want=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ +/, ""); print }' "$tmp/expected")
    if [ -z "$want" ]; then
        echo "FAIL: $name: no expectation in the table" >&2
        fail=1
        continue
    fi
    if [ ! -s "$keys" ]; then
        echo "FAIL: $name: no key log $keys" >&2
        fail=1
        continue
    fi
    rm -f "$tmp/debug"
    # stderr: tshark as root warns about running as root.
    tshark -n -r "$pcap" \
        -o "tls.keylog_file:$keys" \
        -o tls.desegment_ssl_records:TRUE \
        -o tls.desegment_ssl_application_data:TRUE \
        -o "tls.debug_file:$tmp/debug" \
        -T fields -E separator=/t -E occurrence=a -E aggregator=, \
        -e tcp.stream -e tcp.flags.syn -e tcp.flags.ack -e tcp.srcport -e tcp.dstport \
        -e tls.record.content_type -e tls.handshake.type -e _ws.expert.severity \
        >"$tmp/fields" 2>"$tmp/stderr"
    rc=$?
    if [ $rc -ne 0 ]; then
        echo "FAIL: $name: tshark exited $rc" >&2
        grep -v -i 'running as user' "$tmp/stderr" >&2
        fail=1
        continue
    fi
    python3 "$tmp/count.py" "$tmp/fields" >"$tmp/counts" || {
        echo "FAIL: $name: could not count" >&2
        fail=1
        continue
    }
    got=$(sed -n 1p "$tmp/counts")
    bad_expert=$(sed -n 2p "$tmp/counts")
    if [ "$got" != "$want" ]; then
        echo "FAIL: $name: want $want, tshark shows $got" >&2
        fail=1
    fi
    if [ "$bad_expert" != 0 ]; then
        echo "FAIL: $name: $bad_expert expert info(s) of severity warning or error:" >&2
        tshark -n -q -r "$pcap" -o "tls.keylog_file:$keys" -z expert,warn 2>/dev/null >&2
        fail=1
    fi
    # Every record it tried with a wrong key: bad MAC (CBC), bad auth tag
    # (AEAD), or impossible padding ("no decoder available" is normal: plaintext records).
    if [ -f "$tmp/debug" ] &&
        grep -E 'auth tag mismatch|mac failed|ssl_decrypt_record failed' \
            "$tmp/debug" >"$tmp/decfail"; then
        echo "FAIL: $name: tshark could not decrypt $(wc -l <"$tmp/decfail") record(s):" >&2
        sort "$tmp/decfail" | uniq -c | head -5 >&2
        fail=1
    fi
    # The rule behind the table: a connection with a second handshake must
    # have it decrypted in both directions.
    for w in $got; do
        echo "$w" | awk -F: -v n="$name" '$2 >= 2 && ($5 == 0 || $6 == 0) {
            printf "FAIL: %s: stream %s: rehandshake not decrypted (%s)\n", n, $1, $0 > "/dev/stderr"
            exit 1 }' || fail=1
    done
    [ $fail -eq 0 ] && echo "ok: $name $got"
    [ $before -eq 0 ] || fail=1
done

# A sample in the table but no longer in samples/ is a change too.
for name in $(awk '{ print $1 }' "$tmp/expected"); do
    case " $seen " in
    *" $name "*) ;;
    *)
        echo "FAIL: $name: in the table but not in $S" >&2
        fail=1
        ;;
    esac
done
exit $fail
