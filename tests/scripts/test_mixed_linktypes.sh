#!/bin/bash
# A pcapng file whose interfaces differ in link type (mergecap output, which
# libpcap 1.10 refuses at the second interface) is read by tntdump's own
# pcapng reader: every connection must print exactly the record lines of its
# capture decoded alone, filters and -c must work, a truncated copy must be
# decoded up to the damage and exit 3. Rewritten copies (made here by the
# Python below) cover the other byte order, a second section, if_tsresol in
# powers of 2, if_tsoffset, Simple Packet Blocks and obsolete Packet Blocks.
set -u
: "${TNTDUMP:?}" "${TNT_TEST_DATA:?}"
[ -x "$TNTDUMP" ] || exit 77
command -v python3 >/dev/null || { echo "skip: python3 not installed"; exit 77; }
D=$TNT_TEST_DATA
M=$D/mixed-linktypes.pcapng
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
KEYS=(-k "$D/illustrated-tls12-keylog.txt" -k "$D/reneg.keys" -k "$D/bigresponse.keys")
# The inputs of `mergecap -w mixed-linktypes.pcapng` (NULL, LINUX_SLL, EN10MB),
# whose packets do not overlap in time: merged, they come one file after the
# other.
INPUTS=(illustrated-tls12.pcap reneg-sll.pcap bigresponse.pcapng)

# Every tntdump run of this test, so that they can be repeated under valgrind.
runs=()
# tntdump ARGS... > out; checks the exit status.
dump() {
    local want=$1
    shift
    local line
    printf -v line '%q ' "$want" "$@"
    runs+=("$line")
    "$TNTDUMP" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -ne "$want" ]; then
        echo "FAIL: tntdump $* exited $rc, expected $want" >&2
        cat "$tmp/err" >&2
        fail=1
    fi
}
# Record and message lines without the frame and time columns.
records() {
    sed -n -E 's/^[[:space:]]+[0-9]+[[:space:]]+[0-9]+\.[0-9]+[[:space:]]+((C>S|S>C) .*)$/\1/p' "$1"
}
# Connection header lines without the connection number.
headers() {
    sed -n -E 's/^#[0-9]+ (.*)$/\1/p' "$1"
}
same() {
    if ! cmp -s "$1" "$2"; then
        echo "FAIL: $3:" >&2
        diff "$1" "$2" | head -20 >&2
        fail=1
    fi
}

# The expected lines: each input alone, with keys so decryption runs too.
: >"$tmp/want"
: >"$tmp/want_hdr"
for f in "${INPUTS[@]}"; do
    cp "$tmp/want" "$tmp/want_first2"
    dump 0 "${KEYS[@]}" -r "$D/$f"
    records "$tmp/out" >>"$tmp/want"
    headers "$tmp/out" >>"$tmp/want_hdr"
done
[ "$(grep -c . "$tmp/want_hdr")" -eq 3 ] || { echo "FAIL: expected 3 connections" >&2; fail=1; }
grep -q 'decrypted' "$tmp/want" || { echo "FAIL: nothing decrypted in the inputs" >&2; fail=1; }

dump 0 "${KEYS[@]}" -r "$M"
cp "$tmp/out" "$tmp/mixed.out"
records "$tmp/out" >"$tmp/got"
headers "$tmp/out" >"$tmp/got_hdr"
same "$tmp/want" "$tmp/got" "mixed file: record lines differ from the inputs decoded alone"
same "$tmp/want_hdr" "$tmp/got_hdr" "mixed file: connection lines differ from the inputs'"
if grep -q -i 'read error\|unsupported' "$tmp/err" "$tmp/out"; then
    echo "FAIL: mixed file: unexpected diagnostic:" >&2
    grep -i 'read error\|unsupported' "$tmp/err" "$tmp/out" >&2
    fail=1
fi

# Filters, compiled per link type: port 8443 is only the NULL interface's
# connection, port 443 only the other two.
dump 0 "${KEYS[@]}" -r "$M" 'tcp port 8443'
headers "$tmp/out" >"$tmp/got_hdr"
head -n 1 "$tmp/want_hdr" >"$tmp/exp_hdr"
same "$tmp/exp_hdr" "$tmp/got_hdr" "filter 'tcp port 8443' on the mixed file"
dump 0 "${KEYS[@]}" -r "$D/illustrated-tls12.pcap"
records "$tmp/out" >"$tmp/exp"
dump 0 "${KEYS[@]}" -r "$M" 'tcp port 8443'
records "$tmp/out" >"$tmp/got"
same "$tmp/exp" "$tmp/got" "filter 'tcp port 8443': record lines"
# Frame numbers still count every packet: the SLL connection's first record
# is its frame 4, after the 22 frames of the NULL capture.
dump 0 "${KEYS[@]}" -r "$M" 'tcp port 443'
headers "$tmp/out" >"$tmp/got_hdr"
tail -n 2 "$tmp/want_hdr" >"$tmp/exp_hdr"
same "$tmp/exp_hdr" "$tmp/got_hdr" "filter 'tcp port 443' on the mixed file"
first=$(sed -n -E 's/^[[:space:]]+([0-9]+)[[:space:]]+[0-9]+\.[0-9]+[[:space:]]+C>S .*/\1/p' "$tmp/out" | head -n 1)
[ "$first" = 26 ] || { echo "FAIL: filtered mixed file: first record in frame '$first', expected 26" >&2; fail=1; }
# An expression that is wrong for every link type is still a usage error.
dump 2 -r "$M" 'tcp port'
grep -q 'bad filter' "$tmp/err" || { echo "FAIL: bad filter: no message" >&2; fail=1; }
# "ether broadcast" does not apply to the NULL and SLL interfaces: their
# packets are skipped with a diagnostic, the Ethernet connection is decoded.
dump 0 "${KEYS[@]}" -r "$M" 'ether broadcast or tcp'
headers "$tmp/out" >"$tmp/got_hdr"
tail -n 1 "$tmp/want_hdr" >"$tmp/exp_hdr"
same "$tmp/exp_hdr" "$tmp/got_hdr" "filter 'ether broadcast or tcp' on the mixed file"
grep -q 'filter does not apply to link type' "$tmp/out" "$tmp/err" ||
    { echo "FAIL: no 'filter does not apply' diagnostic" >&2; fail=1; }

# -c counts frames of the whole file: 30 frames end inside the SLL capture.
dump 0 "${KEYS[@]}" -r "$M" -c 30
last=$(sed -n -E 's/^[[:space:]]+([0-9]+)[[:space:]]+[0-9]+\.[0-9]+[[:space:]]+(C>S|S>C) .*/\1/p' "$tmp/out" | tail -n 1)
[ "$last" = 30 ] || { echo "FAIL: -c 30: last record in frame '$last'" >&2; fail=1; }
[ "$(grep -c '^#' "$tmp/out")" -eq 2 ] || { echo "FAIL: -c 30: expected 2 connections" >&2; fail=1; }

# Truncated inside a packet of the Ethernet capture: decoded up to there,
# one read error diagnostic, exit 3.
head -c 50001 "$M" >"$tmp/trunc.pcapng"
dump 3 "${KEYS[@]}" -r "$tmp/trunc.pcapng"
grep -q 'capture read error after frame [0-9]*: truncated pcapng file' "$tmp/out" "$tmp/err" ||
    { echo "FAIL: truncated mixed file: no read error diagnostic" >&2; fail=1; }
# All but the last line (a record the cut left incomplete) as in the full run.
records "$tmp/out" >"$tmp/got"
n=$(wc -l <"$tmp/got")
head -n "$((n - 1))" "$tmp/want" >"$tmp/exp"
head -n "$((n - 1))" "$tmp/got" >"$tmp/got1"
same "$tmp/exp" "$tmp/got1" "truncated mixed file: records are not a prefix of the full ones"
tail -n 1 "$tmp/got" | grep -q '^S>C ! stream ends inside a record' ||
    { echo "FAIL: truncated mixed file: last line not the incomplete record" >&2; fail=1; }
# The cut is past the first two captures (about 10 kB): all of their records
# and some of the third's.
nb=$(grep -c . "$tmp/want_first2")
[ "$n" -gt "$nb" ] || { echo "FAIL: truncated mixed file: only $n record lines" >&2; fail=1; }

# Rewritten copies: byte order, sections, time stamp units, block kinds.
python3 - "$M" "$tmp" <<'EOF' || { echo "FAIL: could not rewrite the mixed file" >&2; exit 1; }
import struct, sys
src, out = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
blocks, i = [], 0
while i < len(data):
    t, n = struct.unpack_from("<II", data, i)
    blocks.append((t, data[i + 8:i + n - 4]))
    i += n
assert blocks[0][0] == 0x0A0D0D0A and struct.unpack_from("<I", blocks[0][1])[0] == 0x1A2B3C4D

def block(e, t, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack(e + "II", t, len(body) + 12) + body + struct.pack(e + "I", len(body) + 12)

def shb(e):
    return block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))

def opt(e, code, val):
    return struct.pack(e + "HH", code, len(val)) + val + b"\0" * (-len(val) % 4)

def idb(e, lt, snap, opts=b""):
    return block(e, 1, struct.pack(e + "HHI", lt, 0, snap) + opts + (opt(e, 0, b"") if opts else b""))

def epb(e, ifc, ts, cap, orig, pkt):
    return block(e, 6, struct.pack(e + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, cap, orig) + pkt)

# The interfaces and packets of the file: (iface, ts in its unit, caplen, wirelen, bytes).
ifaces, pkts = [], []
for t, b in blocks:
    if t == 1:
        lt, _, snap = struct.unpack_from("<HHI", b)
        res, o = 6, 8
        while o + 4 <= len(b):
            code, l = struct.unpack_from("<HH", b, o)
            if code == 0:
                break
            if code == 9:
                res = b[o + 4]
            o += 4 + l + (-l % 4)
        ifaces.append((lt, snap, res))
    elif t == 6:
        ifc, hi, lo, cap, orig = struct.unpack_from("<IIIII", b)
        pkts.append((ifc, hi << 32 | lo, cap, orig, b[20:20 + cap]))
assert [i[0] for i in ifaces] == [0, 113, 1] and [i[2] for i in ifaces] == [6, 6, 9], ifaces

def usec(ifc, ts):
    return ts if ifaces[ifc][2] == 6 else ts // 1000

# 1. The whole file in big-endian byte order, interface options kept.
be = shb(">")
for lt, snap, res in ifaces:
    be += idb(">", lt, snap, opt(">", 9, bytes([res])) if res != 6 else b"")
for ifc, ts, cap, orig, p in pkts:
    be += epb(">", ifc, ts, cap, orig, p)
open(out + "/be.pcapng", "wb").write(be)

# 2. Two sections. The first (little-endian) has the NULL interface, whose
# packets become Simple Packet Blocks (no time stamp), and the SLL one, whose
# packets become obsolete Packet Blocks. The second (big-endian) has only the
# Ethernet interface, now interface 0, with time stamps in units of 2^-20 s
# and an if_tsoffset of 1000000000 s taken off them.
v = shb("<") + idb("<", 0, 0) + idb("<", 113, 262144)
for ifc, ts, cap, orig, p in pkts:
    if ifc == 0:
        assert cap == orig
        v += block("<", 3, struct.pack("<I", orig) + p)
    elif ifc == 1:
        v += block("<", 2, struct.pack("<HHIIII", 1, 0, ts >> 32, ts & 0xFFFFFFFF, cap, orig) + p)
off = 1000000000
v += shb(">") + idb(">", 1, 262144, opt(">", 9, bytes([0x80 | 20])) + opt(">", 14, struct.pack(">q", off)))
for ifc, ts, cap, orig, p in pkts:
    if ifc == 2:
        us = usec(2, ts) - off * 1000000
        # The smallest tick count that scales back down to this microsecond.
        ticks = (us // 1000000 << 20) + -(-(us % 1000000 << 20) // 1000000)
        v += epb(">", 0, ticks, cap, orig, p)
open(out + "/sections.pcapng", "wb").write(v)

# 3. Simple Packet Blocks of an interface with a snap length of 100, holding
# at most that: the NULL capture's frame 5 (the ClientHello, 246 bytes) is
# reported cut short.
s = shb("<") + idb("<", 0, 100) + idb("<", 1, 0)
for ifc, ts, cap, orig, p in pkts[:5]:
    s += block("<", 3, struct.pack("<I", orig) + p[:100])
open(out + "/spb-snap.pcapng", "wb").write(s)
EOF

# Big-endian: the very same output.
dump 0 "${KEYS[@]}" -r "$tmp/be.pcapng"
same "$tmp/mixed.out" "$tmp/out" "big-endian copy: output differs"

# Two sections, SPB, PB, binary if_tsresol, if_tsoffset: the same record
# lines; the SLL and Ethernet connections keep their times (the NULL one has
# none: Simple Packet Blocks carry no time stamp).
dump 0 "${KEYS[@]}" -r "$tmp/sections.pcapng"
records "$tmp/out" >"$tmp/got"
same "$tmp/want" "$tmp/got" "two-section copy (SPB, PB, 2^-20 s, tsoffset): record lines"
headers "$tmp/out" | tail -n 2 >"$tmp/got_hdr"
tail -n 2 "$tmp/want_hdr" >"$tmp/exp_hdr"
same "$tmp/exp_hdr" "$tmp/got_hdr" "two-section copy: connection lines"
headers "$tmp/out" | head -n 1 | grep -q '1970-01-01 00:00:00.000000 \.\. 1970-01-01 00:00:00.000000' ||
    { echo "FAIL: two-section copy: SPB connection not at time 0" >&2; fail=1; }

dump 0 -r "$tmp/spb-snap.pcapng"
grep -q 'frame 5: TCP payload cut short by the capture: 24 of 170 bytes' "$tmp/err" ||
    { echo "FAIL: SPB cut by the snap length: no diagnostic" >&2; fail=1; }

# Every run above once more under valgrind (the plain build only).
if [ "${TNT_SANITIZE:-OFF}" != ON ] && command -v valgrind >/dev/null; then
    for r in "${runs[@]}"; do
        args=()
        eval "args=($r)"
        want=${args[0]}
        valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect "$TNTDUMP" "${args[@]:1}" \
            >/dev/null 2>"$tmp/vg"
        rc=$?
        if [ $rc -ne "$want" ]; then
            echo "FAIL: under valgrind, tntdump ${args[*]:1} exited $rc (expected $want):" >&2
            grep -v '^tntdump' "$tmp/vg" | head -30 >&2
            fail=1
        fi
    done
else
    echo "note: valgrind part skipped (sanitizer build or valgrind missing)"
fi

[ $fail -eq 0 ] && echo "test_mixed_linktypes: ok"
exit $fail
