#!/bin/bash
# run.sh - the TNT negotiation benchmark: tntdump (with and without keys; text, -q, --json),
# tshark with the key log and ssldump with the key log, on the same captures of many short TNT
# connections (bench/make_tnt_capture.sh), in one run; then bench/report.py writes the report.
# (The bulk decryption benchmark of 7 long connections is bench/run_bulk.sh.)
#
# env: BENCH_DIR  captures (default /tmp/tnt-bench): tnt-N.pcap for each N of SIZES, tnt.keys
#      SIZES      connection counts (default "2000 20000"; made with make_tnt_capture.sh if missing)
#      TNTDUMP    binary to measure (default <repo>/build/capture/tntdump, RelWithDebInfo)
#      TNTDUMP_BEFORE  a second binary (e.g. built from the commit before the speed work): its
#                 instruction counts are reported next to TNTDUMP's
#      RUNS       timed runs per variant (default 3; medians are reported)
#      CALLGRIND=0  skip the instruction counts (callgrind on tnt-CG.pcap, default CG=200)
#      SSLDUMP_MAX  skip ssldump on captures with more connections than this (default 2000)
#      TSHARK_MAX   skip tshark likewise (default 20000)
#      OUT        report (default <repo>/bench/RESULTS.md)
# tntdump runs with its default threads (one reading, CPUs analysing) and, for comparison, with
# --threads 1.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tnt-bench}
SIZES=${SIZES:-"2000 20000"}
RUNS=${RUNS:-3}
CG=${CG:-200}
OUT=${OUT:-$HERE/RESULTS.md}
KEYS=$BENCH_DIR/tnt.keys
WORK=$BENCH_DIR/run-tnt
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing: apt-get install time" >&2; exit 1; }
command -v ssldump >/dev/null || apt-get install -y ssldump >/dev/null 2>&1 || true

need=""
for n in $SIZES $CG; do [ -r "$BENCH_DIR/tnt-$n.pcap" ] || need="$need $n"; done
if [ -n "$need" ] || [ ! -r "$KEYS" ]; then
	if [ -r "$BENCH_DIR/tnt-base.pcap" ] && [ -r "$KEYS" ]; then
		for n in $need; do
			python3 "$HERE/replicate_tnt.py" "$BENCH_DIR/tnt-base.pcap" "$n" "$BENCH_DIR/tnt-$n.pcap"
		done
	else
		SIZES="$SIZES $CG" BENCH_DIR=$BENCH_DIR "$HERE/make_tnt_capture.sh"
	fi
fi
chmod a+r "$BENCH_DIR"/tnt-*.pcap "$KEYS"

TNTDUMP=${TNTDUMP:-$SRC/build/capture/tntdump}
T=$WORK/tntdump
cp "$TNTDUMP" "$T" # a private copy: others may rebuild the tree's binary meanwhile
META=$WORK/meta.txt
TSV=$WORK/runs.tsv
: >"$META"
: >"$TSV"
m() { printf '%s=%s\n' "$1" "$2" >>"$META"; }

m date "$(date -u '+%Y-%m-%d %H:%M UTC')"
m cpu "$(lscpu | awk -F: '/^Model name/ {gsub(/^ +/, "", $2); print $2}'), $(nproc) CPUs"
m lscpu "$(lscpu | grep -E '^(Architecture|CPU\(s\)|Model name|Thread|Core|Socket|CPU max MHz|L2|L3|Hypervisor)' | sed 's/  */ /g' | paste -sd';')"
m ram "$(free -m | awk '/^Mem:/ {printf "%d MiB total, %d MiB available", $2, $7}')"
m debian "$(cat /etc/debian_version)"
m tshark "$(tshark --version 2>/dev/null | head -1)"
m ssldump "$(dpkg-query -W -f '${Version}' ssldump 2>/dev/null || echo 'not installed')"
m tntdump_git "$(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')"
m keys "$KEYS ($(wc -l <"$KEYS") lines)"
m runs "$RUNS"

variants() { # N: the commands for capture tnt-N.pcap, one "name<TAB>command" per line
	local c=$BENCH_DIR/tnt-$1.pcap
	printf 'tnt_q_keys\t%s -q -k %s -r %s\n' "$T" "$KEYS" "$c"
	printf 'tnt_json_keys\t%s --json -k %s -r %s\n' "$T" "$KEYS" "$c"
	printf 'tnt_text_keys\t%s -k %s -r %s\n' "$T" "$KEYS" "$c"
	printf 'tnt_q_nokeys\t%s -q -r %s\n' "$T" "$c"
	printf 'tnt_json_nokeys\t%s --json -r %s\n' "$T" "$c"
	printf 'tnt_text_nokeys\t%s -r %s\n' "$T" "$c"
	# The same on one thread (--threads 1): what the threads buy, and the CPU cost of the work.
	printf 'tnt_q_keys_1t\t%s --threads 1 -q -k %s -r %s\n' "$T" "$KEYS" "$c"
	printf 'tnt_json_keys_1t\t%s --threads 1 --json -k %s -r %s\n' "$T" "$KEYS" "$c"
	printf 'tnt_q_nokeys_1t\t%s --threads 1 -q -r %s\n' "$T" "$c"
	[ "$1" -gt "${TSHARK_MAX:-20000}" ] ||
		printf 'tshark_keys\ttshark -n -q -z io,stat,0 -o tls.keylog_file:%s -r %s\n' "$KEYS" "$c"
	[ "$1" -gt "${SSLDUMP_MAX:-2000}" ] || ! command -v ssldump >/dev/null ||
		printf 'ssldump_keys\tssldump -n -r %s -l %s\n' "$c" "$KEYS"
}

for n in $SIZES; do
	m "bytes_$n" "$(stat -L -c %s "$BENCH_DIR/tnt-$n.pcap")"
	m "packets_$n" "$(capinfos -c -M "$BENCH_DIR/tnt-$n.pcap" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /, "", $2); print $2}')"
	variants "$n" | while IFS=$'\t' read -r v cmd; do m "cmd_$v" "${cmd//tnt-$n.pcap/tnt-N.pcap} > /dev/null"; done
done

# ---- checks first (not timed): every connection decoded as the negotiation it is
for n in $SIZES; do
	c=$BENCH_DIR/tnt-$n.pcap
	ok=$("$T" -q -k "$KEYS" -r "$c" | grep -c 'TNT success trust rounds=5 violations=0' || true)
	conns=$("$T" -q -r "$c" | grep -c '^#' || true)
	proofs=$("$T" --json -k "$KEYS" -r "$c" | grep -o '"proof":"valid"' | wc -l || true)
	m "conns_$n" "$conns"
	m "check_$n" "tntdump -q -k: $ok of $conns connections 'TNT success trust rounds=5 violations=0'; --json: $proofs valid proofs"
done

# ---- timed runs: page cache warm, variants interleaved so that load spikes spread out
m loadavg_before "$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do cat "$BENCH_DIR/tnt-$n.pcap" >/dev/null; done
for i in $(seq 1 "$RUNS"); do
	for n in $SIZES; do
		while IFS=$'\t' read -r v cmd; do
			t0=$EPOCHREALTIME
			# shellcheck disable=SC2086
			if ! /usr/bin/time -f '%U %S %M' -o "$WORK/time.txt" $cmd >/dev/null 2>"$WORK/$v.stderr" </dev/null; then
				echo "note: $v on $n exited non-zero" >&2
			fi
			t1=$EPOCHREALTIME
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$v" "$i" \
				"$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')" \
				"$(tail -1 "$WORK/time.txt" | tr ' ' '\t')" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$TSV"
		done < <(variants "$n")
	done
done
m loadavg_after "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- instruction counts (deterministic; the machine is shared)
if [ "${CALLGRIND:-1}" = 1 ]; then
	c=$BENCH_DIR/tnt-$CG.pcap
	m cg_conns "$("$T" -q -r "$c" | grep -c '^#')"
	for b in after before; do
		bin=$T
		if [ $b = before ]; then
			[ -n "${TNTDUMP_BEFORE:-}" ] || continue
			cp "$TNTDUMP_BEFORE" "$WORK/tntdump-before"
			bin=$WORK/tntdump-before
		fi
		# One thread: instruction counts of the work, not of waiting for turns.
		one=""
		"$bin" --help 2>&1 | grep -q -- --threads && one="--threads 1"
		for mode in "-q -k $KEYS" "-q"; do
			tag=$b$([ "$mode" = "-q" ] && echo _nokeys || echo _keys)
			# shellcheck disable=SC2086
			valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.$tag" "$bin" $one $mode -r "$c" \
				>/dev/null 2>"$WORK/cg.$tag.log"
			m "instr_$tag" "$(awk '/^summary:/ {print $2}' "$WORK/cg.$tag")"
			callgrind_annotate "$WORK/cg.$tag" 2>/dev/null >"$WORK/cg.$tag.self.txt"
			callgrind_annotate --inclusive=yes "$WORK/cg.$tag" 2>/dev/null >"$WORK/cg.$tag.incl.txt"
		done
	done
fi

python3 "$HERE/report.py" "$META" "$TSV" "$WORK" "$OUT"
echo "wrote $OUT"
