#!/bin/bash
# run_bulk.sh - time tntdump and tshark decrypting the same bulk capture with the same key log, in one
# run, and write the markdown report (bench/RESULTS_BULK.md by default).
#
# env: BENCH_DIR  where make_capture.sh put the capture (default /tmp/tnt-bench)
#      CAP, KEYS  capture and key log (default $BENCH_DIR/tls12-gcm-bulk.{pcapng,keys})
#      TNTDUMP    binary to measure (default <repo>/build/capture/tntdump; if missing, a
#                 RelWithDebInfo build is made in $BENCH_DIR/build)
#      RUNS       timed runs per variant (default 3; the median is reported)
#      APP_DATA=0 skip the (slow, informational) --app-data variant
#      CALLGRIND=1 also count instructions with valgrind callgrind (slow: tshark takes minutes)
#      TNTDUMP_ALT a second tntdump binary (an experiment), timed as "-q --app-data"
#      OUT        report file (default <repo>/bench/RESULTS_BULK.md); bench/NOTES_BULK.md is appended to it
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tnt-bench}
CAP=${CAP:-$BENCH_DIR/tls12-gcm-bulk.pcapng}
KEYS=${KEYS:-$BENCH_DIR/tls12-gcm-bulk.keys}
RUNS=${RUNS:-3}
OUT=${OUT:-$HERE/RESULTS_BULK.md}
WORK=$BENCH_DIR/run
mkdir -p "$WORK"

[ -r "$CAP" ] && [ -r "$KEYS" ] || {
	echo "no capture: run bench/make_capture.sh first (CAP=$CAP)" >&2
	exit 1
}
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }

if [ -z "${TNTDUMP:-}" ]; then
	TNTDUMP=$SRC/build/capture/tntdump
	if [ ! -x "$TNTDUMP" ]; then
		cmake -S "$SRC" -B "$BENCH_DIR/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
		cmake --build "$BENCH_DIR/build" --target tntdump -j"$(nproc)" >/dev/null
		TNTDUMP=$BENCH_DIR/build/capture/tntdump
	fi
fi
# Measure a private copy: other work may rebuild the tree's binary while this runs.
T=$WORK/tntdump
cp "$TNTDUMP" "$T"
[ -z "${TNTDUMP_ALT:-}" ] || cp "$TNTDUMP_ALT" "$WORK/tntdump-alt"

META=$WORK/meta.txt
TSV=$WORK/runs.tsv
: >"$META"
: >"$TSV"
m() { printf '%s=%s\n' "$1" "$2" >>"$META"; }

# ---- what is measured
# tshark: -n (no name resolution: tntdump resolves nothing either). The reference variant
# "-q -z io,stat,0" dissects every frame (TCP reassembly, TLS decryption of every record,
# HTTP reassembly of the whole body) and prints one small table: the closest to tntdump -q,
# which reads everything and prints one line per connection. "-T fields -e frame.number" also
# builds a (partial) tree per frame and prints one line per frame.
editcap -r "$CAP" "$WORK/one.pcapng" 1-1 >/dev/null
cmd_tnt_q=("$T" -q -k "$KEYS" -r "$CAP")
cmd_tnt_full=("$T" -k "$KEYS" -r "$CAP")
cmd_tnt_app=("$T" -k "$KEYS" --app-data -r "$CAP")
cmd_tnt_alt_qapp=("$WORK/tntdump-alt" -q -k "$KEYS" --app-data -r "$CAP")
cmd_ts_iostat=(tshark -n -r "$CAP" -o "tls.keylog_file:$KEYS" -q -z io,stat,0)
cmd_ts_fields=(tshark -n -r "$CAP" -o "tls.keylog_file:$KEYS" -T fields -e frame.number)
cmd_ts_nokeys=(tshark -n -r "$CAP" -q -z io,stat,0)
cmd_ts_startup=(tshark -n -r "$WORK/one.pcapng" -o "tls.keylog_file:$KEYS" -q -z io,stat,0)
VARIANTS=(tnt_q tnt_full)
[ "${APP_DATA:-1}" = 0 ] || VARIANTS+=(tnt_app)
[ -z "${TNTDUMP_ALT:-}" ] || VARIANTS+=(tnt_alt_qapp)
VARIANTS+=(ts_iostat ts_fields ts_nokeys ts_startup)

for v in "${VARIANTS[@]}"; do
	declare -n c=cmd_$v
	m "cmd_$v" "$(printf '%q ' "${c[@]}" | sed 's/ $//') > /dev/null"
	unset -n c
done

# ---- machine
m date "$(date -u '+%Y-%m-%d %H:%M UTC')"
m nproc "$(nproc)"
m cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(grep -qw aes /proc/cpuinfo && echo 'AES-NI: cpu flag aes present' || echo 'no aes cpu flag'))"
m ram "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
m debian "$(cat /etc/debian_version)"
m kernel "$(uname -r)"
m tshark "$(tshark --version 2>/dev/null | head -1)"
m libgcrypt "$(pkg-config --modversion libgcrypt 2>/dev/null || echo '?')"
m tntdump "$TNTDUMP (built $(date -u -r "$TNTDUMP" '+%Y-%m-%d %H:%M UTC'))"
m tntdump_git "$(git -C "$SRC" rev-parse HEAD 2>/dev/null || echo '?')"
dirty=$(git -C "$SRC" status --short -- lib capture 2>/dev/null | wc -l)
m tntdump_tree "$([ "$dirty" -eq 0 ] && echo "lib/ and capture/ clean at that commit" ||
	echo "$dirty uncommitted changes in lib/ and capture/ (work in progress; binary built from the working tree)")"
m tntdump_sha256 "$(sha256sum "$T" | cut -c1-16)"
[ -z "${TNTDUMP_ALT:-}" ] || m tntdump_alt "$TNTDUMP_ALT (sha256 $(sha256sum "$TNTDUMP_ALT" | cut -c1-16))"
m cap "$CAP"
m cap_bytes "$(stat -c %s "$CAP")"
m cap_packets "$(capinfos -c -M "$CAP" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')"
m conns "$(grep -c '^CLIENT_RANDOM' "$KEYS")"
m runs "$RUNS"

# ---- timed runs (page cache warmed first; variants interleaved so that load spikes spread out)
cat "$CAP" >/dev/null
m loadavg_before "$(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$RUNS"); do
	for v in "${VARIANTS[@]}"; do
		declare -n c=cmd_$v
		# wall time from bash's microsecond clock (time's %e has only 10 ms resolution);
		# CPU time and max RSS from time
		t0=$EPOCHREALTIME
		if ! /usr/bin/time -f '%U %S %M %e' -o "$WORK/time.txt" "${c[@]}" >/dev/null 2>"$WORK/$v.stderr"; then
			echo "run $i $v failed:" >&2
			cat "$WORK/$v.stderr" "$WORK/time.txt" >&2
			exit 1
		fi
		t1=$EPOCHREALTIME
		unset -n c
		echo "$v $i $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}') $(tail -1 "$WORK/time.txt")" | tee -a "$TSV"
	done
done
m loadavg_after "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- optional instruction counts
if [ "${CALLGRIND:-0}" = 1 ]; then
	cg=(tnt_q)
	[ -z "${TNTDUMP_ALT:-}" ] || cg+=(tnt_alt_qapp)
	for v in "${cg[@]}" ts_iostat; do
		declare -n c=cmd_$v
		valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.$v" "${c[@]}" \
			>/dev/null 2>"$WORK/callgrind.$v.log"
		unset -n c
		m "instr_$v" "$(awk '/^summary:/ {print $2}' "$WORK/callgrind.$v")"
	done
fi

# ---- checks (not timed): both tools decrypt everything, tntdump reports no failure
check() { m check "$1"; echo "check: $1"; }
fail=0
nconn=$(grep -c '^CLIENT_RANDOM' "$KEYS")
"$T" -k "$KEYS" -r "$CAP" >"$WORK/tntdump.out" 2>"$WORK/tntdump.err"
ntnt=$(grep -c '^#' "$WORK/tntdump.out" || true)
nfin=$(grep -c 'handshake TLS 1.2 len=40 decrypted e1' "$WORK/tntdump.out" || true)
nbad=$(grep -cE 'decrypt-failed|wrong key|no key for|not supported for decryption|does not match|! ' "$WORK/tntdump.out" || true)
nerr=$(wc -l <"$WORK/tntdump.err")
check "tntdump lists $ntnt connections; the key log has $nconn CLIENT_RANDOM lines; $nfin Finished records decrypted (2 per connection expected); $nbad decrypt-failed / wrong key / no key / other '!' lines; $nerr stderr lines"
[ "$ntnt" -eq "$nconn" ] && [ "$nfin" -eq $((2 * nconn)) ] && [ "$nbad" -eq 0 ] && [ "$nerr" -eq 0 ] || fail=1

# record-level cross-check with tshark: same number of application data records, all decrypted
"$T" -k "$KEYS" --app-data -r "$CAP" 2>"$WORK/tntdump-app.err" | grep -v '| ' >"$WORK/tntdump-app.out"
napp_ok=$(grep -c 'application_data TLS 1.2 len=[0-9]* decrypted e1$' "$WORK/tntdump-app.out" || true)
napp_bad=$(grep -cE 'application_data .*(encrypted|decrypt-failed)' "$WORK/tntdump-app.out" || true)
tshark -n -r "$CAP" -o "tls.keylog_file:$KEYS" -T fields -E occurrence=a -E aggregator=, \
	-e tcp.stream -e tls.record.content_type -e http.response.code -e http.content_length \
	>"$WORK/tshark.fields" 2>/dev/null
ts_app=$(cut -f2 "$WORK/tshark.fields" | tr ',' '\n' | grep -c '^23$' || true)
ts_resp=$(awk -F'\t' '$3 == "200"' "$WORK/tshark.fields" | wc -l)
ts_streams=$(cut -f1 "$WORK/tshark.fields" | sort -u | wc -l)
app_bytes=$(awk -F'\t' '$4 != "" {n += $4} END {print n + 0}' "$WORK/tshark.fields")
m app_bytes "$(awk '/received [0-9]+ bytes/ {n += $(NF - 1)} END {print n + 0}' "$BENCH_DIR"/*.client.log 2>/dev/null || echo '?')"
check "tntdump --app-data: $napp_ok application data records decrypted and authenticated (GCM tag), $napp_bad not; tshark sees $ts_app application data records in $ts_streams TCP streams and completes $ts_resp HTTP 200 responses (bodies $app_bytes bytes in total, i.e. it decrypted and reassembled all of them)"
[ "$napp_ok" -eq "$ts_app" ] && [ "$napp_bad" -eq 0 ] && [ "$ts_resp" -eq "$nconn" ] || fail=1
[ "$fail" = 0 ] && check "all checks passed" || check "SOME CHECKS FAILED (see $WORK)"

python3 "$HERE/report_bulk.py" "$META" "$TSV" "$OUT"
[ ! -r "$HERE/NOTES_BULK.md" ] || cat "$HERE/NOTES_BULK.md" >>"$OUT"
echo "wrote $OUT"
sed -n '/^## Result/,/^## Exact/p' "$OUT"
exit "$fail"
