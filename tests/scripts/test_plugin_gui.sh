#!/bin/sh
# The Wireshark Qt GUI program (not just tshark) loads the tnt plugin.
#
# wireshark 4.0 has no -G, and its log says nothing about plugins, so a Lua
# script passed with -X lua_script: asks the running GUI for a field that only
# the plugin registers and writes the answer to a file. Lua scripts run after
# epan has registered every plugin, so the answer is the GUI's own view. The
# script then exits, so the GUI never waits for input. The same run without
# the plugin installed must say the field is missing, or the check proves
# nothing.
. "$(dirname "$0")/plugin_common.sh"
command -v wireshark >/dev/null 2>&1 || { echo "SKIP: wireshark (Qt GUI) not installed" >&2; exit 77; }
command -v xvfb-run >/dev/null 2>&1 || { echo "SKIP: xvfb-run not installed" >&2; exit 77; }
command -v xauth >/dev/null 2>&1 || { echo "SKIP: xauth (needed by xvfb-run) not installed" >&2; exit 77; }

tmp=$(mktemp -d /tmp/tnt-gui.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/with/.local/lib/wireshark/plugins/4.0/epan" "$tmp/without" "$tmp/out"
cp "$plugin" "$tmp/with/.local/lib/wireshark/plugins/4.0/epan/tnt.so"
cat >"$tmp/probe.lua" <<'EOF'
local out = assert(io.open(os.getenv("TNT_GUI_PROBE"), "w"))
for _, name in ipairs({ "tnt", "tnt.negotiation.round", "tnt.policy" }) do
  out:write(name, pcall(Field.new, name) and " registered\n" or " missing\n")
end
out:close()
os.exit(0)
EOF
# nobody must be able to read everything and write the probe's answers (and
# the GUI's own profile folders in its HOME).
chmod -R a+rwX "$tmp"

# In the ASan+UBSan build the plugin needs the sanitizer runtimes loaded first.
san=""
case "${TNT_SANITIZE:-}" in
ON | on | 1 | TRUE | true)
    asan=$(${CC:-cc} -print-file-name=libasan.so)
    ubsan=$(${CC:-cc} -print-file-name=libubsan.so)
    san="LD_PRELOAD=$(readlink -f "$asan"):$(readlink -f "$ubsan") ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    ;;
esac

# run_gui HOME-NAME: prints the probe's answers of the GUI run with that HOME.
run_gui() {
    as=""
    [ "$(id -u)" = 0 ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
    # -ac: the X server accepts nobody, who cannot read root's xauth cookie.
    # shellcheck disable=SC2086
    timeout 60 xvfb-run -a -s "-ac -screen 0 1024x768x24" \
        $as env HOME="$tmp/$1" LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$tmp/out" \
        TNT_GUI_PROBE="$tmp/out/$1.txt" $san \
        wireshark -X lua_script:"$tmp/probe.lua" >"$tmp/out/$1.log" 2>&1
    rc=$?
    if [ ! -s "$tmp/out/$1.txt" ]; then
        echo "FAIL: wireshark ($1 plugin) wrote no probe answer (exit $rc); its output:" >&2
        cat "$tmp/out/$1.log" >&2
        return 1
    fi
    cat "$tmp/out/$1.txt"
}

fail=0
with=$(run_gui with) || exit 1
without=$(run_gui without) || exit 1
printf 'with the plugin:\n%s\nwithout the plugin:\n%s\n' "$with" "$without"
expect_with="tnt registered
tnt.negotiation.round registered
tnt.policy registered"
expect_without="tnt missing
tnt.negotiation.round missing
tnt.policy missing"
[ "$with" = "$expect_with" ] || { echo "FAIL: the GUI did not load the plugin" >&2; fail=1; }
[ "$without" = "$expect_without" ] || { echo "FAIL: the probe sees tnt fields without the plugin: it cannot tell" >&2; fail=1; }
[ $fail = 0 ] && echo "PASS: wireshark (Qt) loads tnt.so from the personal plugin folder"
exit $fail
