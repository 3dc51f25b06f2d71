#!/bin/sh
# Builds the fuzz harnesses of tests/fuzz/.
#
#   tests/fuzz/build.sh fuzz   OUTDIR [harness...]   libFuzzer targets (clang, -fsanitize=fuzzer)
#   tests/fuzz/build.sh replay OUTDIR [harness...]   plain programs (-DTNT_FUZZ_MAIN) that run the
#                                                    files / directories given as arguments
#
# Both modes build with ASan + UBSan. CC overrides the compiler (default:
# clang for fuzz, cc for replay). The library's sources (lib/*/*.c) are compiled
# once into OUTDIR/obj. Harness names are the fuzz_*.c files without prefix
# and suffix (conn, hs_decode, ...); default: all of them.
set -eu
mode=${1:?usage: build.sh fuzz|replay OUTDIR [harness...]}
out=${2:?usage: build.sh fuzz|replay OUTDIR [harness...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

case $mode in
fuzz)
    cc=${CC:-clang}
    libflags="-fsanitize=fuzzer-no-link,address,undefined"
    linkflags="-fsanitize=fuzzer,address,undefined"
    extra=""
    ;;
replay)
    cc=${CC:-cc}
    libflags="-fsanitize=address,undefined"
    linkflags="-fsanitize=address,undefined"
    extra="-DTNT_FUZZ_MAIN"
    ;;
*)
    echo "build.sh: mode must be fuzz or replay" >&2
    exit 2
    ;;
esac

pkgs="glib-2.0 libgcrypt gnutls zlib"
libdirs=""
for d in "$src"/lib/*/; do libdirs="$libdirs -I${d%/}"; done
# The harnesses check internals: the private layer folders and the public
# headers by their short names as well as by "tnt/...".
libdirs="$libdirs -I$src/include -I$src/include/tnt -I$src/include/tnt/engine"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer -Werror=implicit-function-declaration -Werror=int-conversion -fno-sanitize-recover=undefined $libdirs $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs)"

mkdir -p "$out/obj"
# peer/ objects are prefixed: their names may clash with lib/'s.
obj_name() {
    case $1 in
    */peer/*) echo "peer_$(basename "$1" .c)" ;;
    *) basename "$1" .c ;;
    esac
}
# Compile what is missing or stale, JOBS at a time (default 2).
export cc cflags libflags out
# The packet harness also needs tntdump's packet path (not its libpcap,
# printing or main parts).
capture_srcs=""
for c in packet link ip tcp_reassembly tunnel; do
    capture_srcs="$capture_srcs $src/capture/$c.c"
done
# The negotiator harness needs tntpeer's configuration and negotiation
# engine (not its TLS or socket parts).
peer_srcs=""
for c in config negotiator arena_vec; do
    peer_srcs="$peer_srcs $src/peer/$c.c"
done
for f in "$src"/lib/*/*.c $capture_srcs $peer_srcs; do
    o="$out/obj/$(obj_name "$f").o"
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$here/build.sh" -nt "$o" ]; then
        echo "$f"
    fi
done | xargs -r -P "${JOBS:-2}" -I{} sh -c \
    'f={}; b=$(basename "$f" .c); case $f in */peer/*) b=peer_$b;; esac
     $cc $cflags $libflags -I"$src/peer" -c "$f" -o "$out/obj/$b.o"'
objs=""
for f in "$src"/lib/*/*.c; do
    o="$out/obj/$(basename "$f" .c).o"
    [ -f "$o" ] || { echo "build.sh: $f did not compile" >&2; exit 1; }
    objs="$objs $o"
done
capture_objs=""
for f in $capture_srcs; do
    capture_objs="$capture_objs $out/obj/$(basename "$f" .c).o"
done
peer_objs=""
for f in $peer_srcs; do
    peer_objs="$peer_objs $out/obj/peer_$(basename "$f" .c).o"
done

if [ $# -eq 0 ]; then
    set --
    for f in "$here"/fuzz_*.c; do
        n=$(basename "$f" .c)
        set -- "$@" "${n#fuzz_}"
    done
fi
for h in "$@"; do
    # shellcheck disable=SC2086
    # TNT_FUZZ_DATA_DIR: where the conn harness loads its keys from.
    more=""
    case $h in packet | order) more="-I$src/capture $capture_objs" ;; esac
    [ "$h" = negotiator ] && more="-I$src/peer $peer_objs"
    # TNT_FUZZ_SAMPLES_DIR: the sample key logs (conn, packet) and party
    # configurations (negotiator).
    $cc $cflags $extra "-DTNT_FUZZ_DATA_DIR=\"$src/tests/data\"" \
        "-DTNT_FUZZ_SAMPLES_DIR=\"$src/samples\"" $linkflags "$here/fuzz_$h.c" \
        $more $objs $libs -o "$out/fuzz_$h"
    echo "built $out/fuzz_$h"
done
