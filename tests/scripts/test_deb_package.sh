#!/bin/sh
# The Debian package: CPack builds it from this build tree, apt installs it
# (dpkg -i when apt-get cannot), the installed tntdump decodes a sample as
# the built one does and has its man page, and the package is removed again.
# Needs root and dpkg (CI runs as root); skips (77) otherwise, and when a
# tnt-toolkit package is already installed (it is not ours to remove).
set -u
: "${TNT_BUILD:?}" "${TNT_SRC:?}" "${TNTDUMP:?}"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root to install a package"; exit 77; }
for t in dpkg dpkg-deb cpack; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP: $t not found"; exit 77; }
done
if dpkg-query -W -f='${Status}' tnt-toolkit 2>/dev/null | grep -q 'ok installed'; then
    echo "SKIP: tnt-toolkit is installed already"
    exit 77
fi
[ -f "$TNT_BUILD/CPackConfig.cmake" ] || { echo "FAIL: no CPackConfig.cmake in $TNT_BUILD"; exit 1; }
tmp=$(mktemp -d) || exit 1
installed=0
cleanup() {
    [ $installed -eq 1 ] && dpkg -r tnt-toolkit >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

(cd "$tmp" && cpack -G DEB --config "$TNT_BUILD/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) ||
    { cat "$tmp/cpack.log"; echo "FAIL: cpack"; exit 1; }
deb=$(ls "$tmp"/pkg/tnt-toolkit_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no .deb made"; exit 1; }
dpkg-deb -f "$deb" Depends >"$tmp/depends"
for lib in libpcap0.8 libgnutls30 libgcrypt20 libglib2.0-0; do
    grep -q "$lib" "$tmp/depends" || no "Depends lacks $lib: $(cat "$tmp/depends")"
done
dpkg-deb -c "$deb" >"$tmp/contents"
for f in ./usr/bin/tntdump ./usr/bin/tntpeer ./usr/share/man/man1/tntdump.1 \
    ./usr/share/man/man1/tntpeer.1 ./usr/share/doc/tnt/tntdump.md; do
    grep -q " $f\$" "$tmp/contents" || no "package lacks $f"
done
# The Wireshark plugin, when this build made it: in Wireshark's system
# folder, with the libwireshark release series it was built for.
plugin_so=""
if [ -f "$TNT_BUILD/plugin/tnt.so" ]; then
    plugin_so=$(awk '$6 ~ /\/wireshark\/plugins\/[0-9.]+\/epan\/tnt\.so$/ {print substr($6, 2)}' "$tmp/contents")
    [ -n "$plugin_so" ] || no "package lacks the plugin: $(grep tnt.so "$tmp/contents")"
    grep -q "libwireshark[0-9]* (<< " "$tmp/depends" ||
        no "Depends does not pin the libwireshark series: $(cat "$tmp/depends")"
fi

chmod 755 "$tmp" "$tmp/pkg"
chmod 644 "$deb"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-download "$deb" >"$tmp/apt.log" 2>&1; then
    dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/apt.log" "$tmp/dpkg.log"; echo "FAIL: install"; exit 1; }
fi
installed=1
S=$TNT_SRC/samples/clinic-tls12-ecdhe-gcm
/usr/bin/tntdump -k "$S.keys" -r "$S.pcapng" >"$tmp/installed.txt" || no "installed tntdump failed"
"$TNTDUMP" -k "$S.keys" -r "$S.pcapng" >"$tmp/built.txt"
cmp -s "$tmp/installed.txt" "$tmp/built.txt" || no "installed tntdump prints something else"
grep -q "outcome: success" "$tmp/installed.txt" || no "installed tntdump: no negotiation outcome"
/usr/bin/tntpeer --help >/dev/null 2>&1 || /usr/bin/tntpeer -h >/dev/null 2>&1 || no "installed tntpeer does not run"
[ -f /usr/share/man/man1/tntdump.1 ] || no "man page not installed"
if [ -n "$plugin_so" ]; then
    # The system folder is read even as root (only the personal one is not).
    # A sanitizer build's plugin needs the sanitizer runtimes loaded first,
    # and tshark 4.0's -G plugins hangs with them: ask -G protocols there.
    set --
    case "${TNT_SANITIZE:-}" in
    ON | on | 1 | TRUE | true)
        set -- env "LD_PRELOAD=$(realpath "$(${CC:-cc} -print-file-name=libasan.so)"):$(realpath "$(${CC:-cc} -print-file-name=libubsan.so)")" \
            ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
        "$@" tshark -G protocols 2>/dev/null | awk -F'\t' '$3 == "tnt" {f = 1} END {exit !f}' ||
            no "tshark does not load the installed plugin"
        ;;
    *)
        tshark -G plugins 2>/dev/null | grep -q "^tnt\.so" || no "tshark does not load the installed plugin"
        ;;
    esac
    S=$TNT_SRC/samples/clinic-tls12-ecdhe-gcm
    n=$("$@" tshark -n -r "$S.pcapng" -o "tls.keylog_file:$S.keys" -Y tnt.outcome 2>/dev/null | wc -l)
    [ "$n" -ge 1 ] || no "installed plugin shows no tnt.outcome on the clinic sample"
fi

dpkg -r tnt-toolkit >"$tmp/remove.log" 2>&1 || no "dpkg -r failed: $(cat "$tmp/remove.log")"
installed=0
[ -e /usr/bin/tntdump ] && no "/usr/bin/tntdump left after removal"
[ -n "$plugin_so" ] && [ -e "/$plugin_so" ] && no "/$plugin_so left after removal"
exit $fail
