#!/bin/sh
# tntdump -r with directories (recursive), globs and standard input, read in
# a stable (bytewise) order as one body of evidence, and --version.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}" "${TNT_TEST_DATA:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

"$TNTDUMP" --version >"$tmp/v" || no "--version failed"
head -1 "$tmp/v" | grep -Eq '^tntdump [0-9]+\.[0-9]+\.[0-9]+$' || no "--version: $(head -1 "$tmp/v")"

# A tree: captures at two depths, key logs and notes beside them, names
# whose bytewise order differs from a locale's (B < a).
mkdir -p "$tmp/tree/sub/deeper" "$tmp/tree/a"
S=$TNT_SRC/samples
cp "$S/clinic-tls10.pcapng" "$tmp/tree/B.pcapng"
cp "$S/clinic-tls10.keys" "$tmp/tree/B.keys"
cp "$S/failure-denied.pcapng" "$tmp/tree/a/x.pcapng"
cp "$S/failure-denied.md" "$tmp/tree/a/x.md"
cp "$TNT_TEST_DATA/reneg-ipv4.pcap" "$tmp/tree/sub/deeper/r.cap"
cp "$S/resumption.pcapng" "$tmp/tree/sub/z.pcapng"
files() { python3 -c 'import json,sys; print("\n".join(json.loads(sys.stdin.read().splitlines()[-1])["files"]))'; }
"$TNTDUMP" -q --json -r "$tmp/tree" >"$tmp/dir.json" 2>"$tmp/dir.err" || no "directory run failed"
cat >"$tmp/want" <<EOF2
$tmp/tree/B.pcapng
$tmp/tree/a/x.pcapng
$tmp/tree/sub/deeper/r.cap
$tmp/tree/sub/z.pcapng
EOF2
files <"$tmp/dir.json" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || { no "directory order"; diff "$tmp/want" "$tmp/got"; }
[ -s "$tmp/dir.err" ] && no "directory run wrote diagnostics: $(cat "$tmp/dir.err")"
# The same files named one by one give the same output.
"$TNTDUMP" -q --json $(sed 's/^/-r /' "$tmp/want") >"$tmp/each.json"
cmp -s "$tmp/dir.json" "$tmp/each.json" || no "directory output differs from naming its files"

# Globs: only captures among the matches, sorted; a directory match recurses.
"$TNTDUMP" -q --json -r "$tmp/tree/[Bs]*" >"$tmp/glob.json" 2>"$tmp/glob.err" || no "glob run failed"
printf '%s\n' "$tmp/tree/B.pcapng" "$tmp/tree/sub/deeper/r.cap" "$tmp/tree/sub/z.pcapng" >"$tmp/want"
files <"$tmp/glob.json" >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" || { no "glob"; diff "$tmp/want" "$tmp/got"; }
# A pattern that matches nothing stays a missing file: exit 1.
"$TNTDUMP" -q -r "$tmp/none*.pcap" >/dev/null 2>&1
[ $? -eq 1 ] || no "unmatched glob should exit 1"

# One body of evidence: a resumption in the second file of a directory is
# linked to the handshake of the first that established its trust.
D=$TNT_TEST_DATA
mkdir "$tmp/split"
cp "$D/resumption-first.pcapng" "$D/resumption-second.pcapng" "$tmp/split/"
"$TNTDUMP" -k "$D/resumption-split.keys" --json -r "$tmp/split" >"$tmp/split.json"
python3 - "$tmp/split.json" <<'PY' || no "resumption across the directory's files not linked"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
conns = [o for o in objs if o["type"] == "connection"]
assert len(conns) == 2, conns
links = [h.get("established_by") for h in conns[1]["handshakes"] if "established_by" in h]
assert links and links[0] and links[0]["conn"] == conns[0]["conn"], links
PY

# Standard input: the same blocks as the file.
k=$S/clinic-tls12-rsa-cbc.keys
"$TNTDUMP" -k "$k" -r "$S/clinic-tls12-rsa-cbc.pcapng" >"$tmp/file.txt"
"$TNTDUMP" -k "$k" -r - <"$S/clinic-tls12-rsa-cbc.pcapng" >"$tmp/stdin.txt" || no "-r - failed"
[ -s "$tmp/stdin.txt" ] && cmp -s "$tmp/file.txt" "$tmp/stdin.txt" || no "-r - differs from -r file"
# BPF over a directory: the filter applies to every file; -w keeps only
# what passed it.
port=$(sed -n 's/^#1 [^ ]* > 127.0.0.1:\([0-9]*\) .*/\1/p' "$tmp/file.txt")
[ -n "$port" ] || no "no server port in the rsa-cbc block"
"$TNTDUMP" -q -r "$S" "tcp port $port" >"$tmp/bpf.txt"
[ "$(grep -c '^#' "$tmp/bpf.txt")" -eq 1 ] || no "BPF 'tcp port $port' over samples/: $(grep -c '^#' "$tmp/bpf.txt") connections, want 1"
"$TNTDUMP" -q -r "$S" -w "$tmp/bpf.pcapng" "tcp port $port" >/dev/null
"$TNTDUMP" -q -r "$tmp/bpf.pcapng" | grep -c '^#' | grep -qx 1 || no "-w with a filter wrote more than the filtered connection"
"$TNTDUMP" -q -r "$S" "tcp port 1" | grep -q '^#' && no "BPF 'tcp port 1' let a connection through"
exit $fail
