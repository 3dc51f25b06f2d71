#!/bin/bash
# run_plugin.sh - the Wireshark plugin's cost (issue 11, acceptance point 5).
#
# tshark with the tnt plugin against stock tshark (same binary, same user, a HOME without the
# plugin), both `-n -q -z io,stat,0 -o tls.keylog_file:K`, on
#   TNT:   $BENCH_DIR/tnt-2000.pcap   2,000 TNT connections (bench/make_tnt_capture.sh), tnt.keys
#   plain: $BENCH_DIR/plain-2000.pcap 2,000 plain TLS 1.2 connections of 64 KiB (openssl s_server
#          and s_client, bench/make_capture.sh, 20 real connections replicated by replicate_tnt.py)
# RUNS rounds (default 5), interleaved (each round runs the four variants in turn), so the load
# of this shared machine falls on both sides of each ratio alike. Targets: with/without at most
# 1.1 on TNT, at most 1.02 on plain. Writes bench/RESULTS_PLUGIN.md (OUT= to choose another file).
#
# tshark run as root ignores personal plugins, so as root every tshark runs as nobody (setpriv)
# with a temporary HOME, the plugin in $HOME/.local/lib/wireshark/plugins/4.0/epan/.
# env: BENCH_DIR (default /tmp/tnt-bench), RUNS (5), PLUGIN (default build/plugin/tnt.so),
#      TNT_N (2000), OUT. Making missing captures needs root (unshare -n).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tnt-bench}
RUNS=${RUNS:-5}
TNT_N=${TNT_N:-2000}
PLUGIN=${PLUGIN:-$SRC/build/plugin/tnt.so}
OUT=${OUT:-$HERE/RESULTS_PLUGIN.md}
[ -f "$PLUGIN" ] || { echo "no plugin at $PLUGIN (build first or set PLUGIN)" >&2; exit 2; }
mkdir -p "$BENCH_DIR"

TNT_CAP=$BENCH_DIR/tnt-$TNT_N.pcap
TNT_KEYS=$BENCH_DIR/tnt.keys
PLAIN_CAP=$BENCH_DIR/plain-$TNT_N.pcap
PLAIN_KEYS=$BENCH_DIR/plain-64k.keys
if [ ! -f "$TNT_CAP" ] || [ ! -f "$TNT_KEYS" ]; then
	SIZES="200 $TNT_N" BENCH_DIR=$BENCH_DIR "$HERE/make_tnt_capture.sh"
fi
if [ ! -f "$PLAIN_CAP" ] || [ ! -f "$PLAIN_KEYS" ]; then
	NAME=plain-64k SIZES_KIB="$(printf '64 %.0s' $(seq 20))" BENCH_DIR=$BENCH_DIR \
		"$HERE/make_capture.sh"
	editcap -F pcap "$BENCH_DIR/plain-64k.pcapng" "$BENCH_DIR/plain-64k-base.pcap"
	python3 "$HERE/replicate_tnt.py" "$BENCH_DIR/plain-64k-base.pcap" "$TNT_N" "$PLAIN_CAP"
fi
chmod a+r "$TNT_CAP" "$TNT_KEYS" "$PLAIN_CAP" "$PLAIN_KEYS"

W=$(mktemp -d /tmp/tnt-plugbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/with/.local/lib/wireshark/plugins/4.0/epan" "$W/without"
cp "$PLUGIN" "$W/with/.local/lib/wireshark/plugins/4.0/epan/tnt.so"
chmod -R a+rX "$W"
RUN=()
[ "$(id -u)" -eq 0 ] && RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups)

ts() { # ts with|without CAP KEYS [tshark args...]
	local home=$W/$1 cap=$2 keys=$3
	shift 3
	"${RUN[@]}" env HOME="$home" LC_ALL=C.UTF-8 tshark -n -r "$cap" -o "tls.keylog_file:$keys" "$@"
}

# Checks: the plugin is loaded only in the "with" HOME; on the TNT capture it judges every
# negotiation (one tnt.outcome per connection) and stock tshark decrypts the rehandshakes too.
plugins() { "${RUN[@]}" env HOME="$W/$1" LC_ALL=C.UTF-8 tshark -G plugins 2>/dev/null || true; }
case "$(plugins with)" in *tnt.so*) ;; *) echo "plugin not loaded" >&2; exit 1 ;; esac
case "$(plugins without)" in *tnt.so*) echo "plugin loaded without it in HOME" >&2; exit 1 ;; esac
head=$W/tnt-head.pcap
editcap -r "$TNT_CAP" "$head" 1-2000 >/dev/null
chmod a+r "$head"
n_with=$(ts with "$head" "$TNT_KEYS" -Y tnt 2>/dev/null | wc -l)
n_hs_without=$(ts without "$head" "$TNT_KEYS" -Y "tls.handshake.type == 20" 2>/dev/null | wc -l)
n_hs_with=$(ts with "$head" "$TNT_KEYS" -Y "tls.handshake.type == 20" 2>/dev/null | wc -l)
echo "first 2000 frames of the TNT capture: frames with tnt: $n_with;" \
	"frames with a decrypted Finished: stock $n_hs_without, with plugin $n_hs_with"
[ "$n_with" -gt 0 ] || { echo "plugin decodes no TNT on $TNT_CAP" >&2; exit 1; }
[ "$n_hs_without" -gt 0 ] && [ "$n_hs_without" -eq "$n_hs_with" ] ||
	{ echo "stock tshark and the plugin do not decrypt the same handshakes" >&2; exit 1; }

cat /dev/null >"$W/times.tsv"
# Page cache warm for both files before the first timed run.
cat "$TNT_CAP" "$PLAIN_CAP" >/dev/null
for r in $(seq "$RUNS"); do
	for cap in tnt plain; do
		if [ $cap = tnt ]; then c=$TNT_CAP k=$TNT_KEYS; else c=$PLAIN_CAP k=$PLAIN_KEYS; fi
		# Alternate which variant goes first, so neither always follows the other.
		if [ $((r % 2)) -eq 1 ]; then order="with without"; else order="without with"; fi
		for v in $order; do
			load=$(cut -d' ' -f1 /proc/loadavg)
			t0=$(date +%s.%N)
			/usr/bin/time -f "%U %S %M" -o "$W/time" \
				"${RUN[@]}" env HOME="$W/$v" LC_ALL=C.UTF-8 tshark -n -q -z io,stat,0 \
				-r "$c" -o "tls.keylog_file:$k" >"$W/out.$cap.$v" 2>"$W/err.$cap.$v"
			t1=$(date +%s.%N)
			read -r u s m <"$W/time"
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$cap" "$v" \
				"$(echo "$t1 - $t0" | bc)" "$u" "$s" "$m" "$load" | tee -a "$W/times.tsv"
			grep -q "Frames" "$W/out.$cap.$v" || { echo "tshark failed:" >&2; cat "$W/err.$cap.$v" >&2; exit 1; }
		done
	done
done
# Instruction counts (callgrind): free of the machine's load, on the 200-connection captures.
declare -A IR
if [ "${CALLGRIND:-1}" != 0 ]; then
	[ -f "$BENCH_DIR/tnt-200.pcap" ] || python3 "$HERE/replicate_tnt.py" "$BENCH_DIR/tnt-base.pcap" 200 "$BENCH_DIR/tnt-200.pcap"
	[ -f "$BENCH_DIR/plain-200.pcap" ] ||
		python3 "$HERE/replicate_tnt.py" "$BENCH_DIR/plain-64k-base.pcap" 200 "$BENCH_DIR/plain-200.pcap"
	chmod a+r "$BENCH_DIR/tnt-200.pcap" "$BENCH_DIR/plain-200.pcap"
	chmod a+rwx "$W"
	# tshark's start-up (registration, preferences, key log) measured on the first frame alone,
	# to be taken off: what remains is the cost of the 200 connections.
	editcap -r "$BENCH_DIR/tnt-200.pcap" "$W/one-200.pcap" 1 >/dev/null
	chmod a+r "$W/one-200.pcap"
	for cap in tnt plain one; do
		if [ $cap = plain ]; then k=$PLAIN_KEYS; else k=$TNT_KEYS; fi
		if [ $cap = one ]; then c=$W/one-200.pcap; else c=$BENCH_DIR/$cap-200.pcap; fi
		for v in with without; do
			"${RUN[@]}" env HOME="$W/$v" LC_ALL=C.UTF-8 valgrind --tool=callgrind \
				--callgrind-out-file="$W/cg.$cap.$v" tshark -n -q -z io,stat,0 \
				-r "$c" -o "tls.keylog_file:$k" >/dev/null 2>"$W/cg.err"
			IR[$cap.$v]=$(sed -n 's/.*I *refs: *//p' "$W/cg.err" | tr -d ,)
			echo "callgrind $cap-200 $v: ${IR[$cap.$v]} instructions"
		done
	done
fi
cmp -s "$W/out.tnt.with" "$W/out.tnt.without" || echo "note: io,stat output differs on TNT" >&2
cmp -s "$W/out.plain.with" "$W/out.plain.without" || { echo "io,stat output differs on plain" >&2; exit 1; }

{
	echo "# The Wireshark plugin's cost (issue 11, acceptance point 5)"
	echo
	echo "Made by \`bench/run_plugin.sh\` (RUNS=$RUNS) on $(date -u '+%Y-%m-%d %H:%M UTC'), tree $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo '?')."
	echo
	echo "    ${RUN[*]} env HOME=\$H LC_ALL=C.UTF-8 tshark -n -q -z io,stat,0 -r CAP -o tls.keylog_file:KEYS"
	echo
	echo "\$H holds the plugin (\`.local/lib/wireshark/plugins/4.0/epan/tnt.so\`, RelWithDebInfo -O2 -g) or nothing (stock tshark)."
	echo
	echo "- TNT: \`$(basename "$TNT_CAP")\`, $(capinfos -c -M "$TNT_CAP" | awk '/packets/{print $NF}') frames, $(du -m "$TNT_CAP" | cut -f1) MB: $TNT_N TLS 1.2 connections each with a TNT rehandshake (5 rounds, 2 credentials with RSA proofs) and 64 KiB of data (\`bench/make_tnt_capture.sh\`)."
	echo "- plain: \`$(basename "$PLAIN_CAP")\`, $(capinfos -c -M "$PLAIN_CAP" | awk '/packets/{print $NF}') frames, $(du -m "$PLAIN_CAP" | cut -f1) MB: $TNT_N TLS 1.2 ECDHE-RSA-AES128-GCM connections of 64 KiB, openssl s_server/s_client, no TNT at all (20 real ones replicated)."
	echo "- Check before timing: $n_with frames of the first 2000 of the TNT capture carry tnt; stock tshark and tshark with the plugin decrypt the same $n_hs_without Finished messages there."
	echo
	echo "Machine: $(lscpu | awk -F: '/Model name/{gsub(/^ +/,"",$2);print $2}'), $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GB RAM; tshark $(tshark -v | head -1 | awk '{print $3}'); shared with other engineers' builds and tests (load average at each run below)."
	echo
	python3 - "$W/times.tsv" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
print("| run | capture | tshark | wall s | user s | sys s | max RSS MB | load |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| %s | %s | %s | %.2f | %s | %s | %d | %s |" % (r[0], r[1], r[2] + " plugin", float(r[3]), r[4], r[5], int(r[6]) // 1024, r[7]))
print()
print("Medians and ratios (with plugin / stock). The per-round ratio compares the two runs of one round, made one after the other.")
print()
print("| capture | target | stock wall | plugin wall | ratio of medians (wall) | median per-round ratio (wall) | stock CPU | plugin CPU | ratio (CPU) | ratio (user only) | verdict |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for cap, target in (("tnt", 1.10), ("plain", 1.02)):
    def col(v, f):
        return [f(r) for r in rows if r[1] == cap and r[2] == v]
    wall = lambda r: float(r[3])
    cpu = lambda r: float(r[4]) + float(r[5])
    ww, wo = col("with", wall), col("without", wall)
    cw, co = col("with", cpu), col("without", cpu)
    per_round = statistics.median(a / b for a, b in zip(ww, wo))
    rw = statistics.median(ww) / statistics.median(wo)
    rc = statistics.median(cw) / statistics.median(co)
    ru = statistics.median(col("with", lambda r: float(r[4]))) / statistics.median(col("without", lambda r: float(r[4])))
    ok = "met" if max(rw, rc) <= target else ("met on CPU time" if rc <= target else "MISSED")
    print("| %s | %.2f | %.2f s | %.2f s | %.3f | %.3f | %.2f s | %.2f s | %.3f | %.3f | %s |" % (
        cap, target, statistics.median(wo), statistics.median(ww), rw, per_round,
        statistics.median(co), statistics.median(cw), rc, ru, ok))
EOF
	echo
	if [ -n "${IR[tnt.with]:-}" ]; then
		echo
		echo "Instructions (callgrind, same command, on the 200-connection captures tnt-200.pcap and plain-200.pcap). 'Start-up' is the same command on the first frame alone (tshark's registration, preferences, key log; with: ${IR[one.with]}, stock: ${IR[one.without]}); the last column compares what the 200 connections cost beyond it:"
		echo
		echo "| capture | stock | with plugin | ratio | ratio without start-up |"
		echo "|---|---|---|---|---|"
		for cap in tnt plain; do
			echo "| $cap-200 | ${IR[$cap.without]} | ${IR[$cap.with]} | $(echo "scale=3; ${IR[$cap.with]} / ${IR[$cap.without]}" | bc) | $(echo "scale=3; (${IR[$cap.with]} - ${IR[one.with]}) / (${IR[$cap.without]} - ${IR[one.without]})" | bc) |"
		done
	fi
	echo
	echo "CPU = user + sys of tshark (from /usr/bin/time); wall from \`date\` around each run."
	[ -f "$HERE/NOTES_PLUGIN.md" ] && { echo; cat "$HERE/NOTES_PLUGIN.md"; }
} >"$OUT"
echo "wrote $OUT"
