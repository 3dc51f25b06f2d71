# Sourced by tests/scripts/test_plugin_*.sh: locates tshark and the built
# plugin, or skips (exit 77) when either is missing.
command -v tshark >/dev/null 2>&1 || { echo "SKIP: tshark not found" >&2; exit 77; }
src=${TNT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${TNT_BUILD:-$src/build}
plugin=$build/plugin/tnt.so
[ -f "$plugin" ] || { echo "SKIP: $plugin not built (libwireshark-dev missing?)" >&2; exit 77; }
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null 2>&1; then
    echo "SKIP: running as root without setpriv: tshark would ignore the personal plugin" >&2
    exit 77
fi
corpus=${TNT_CORPUS:-$src/../shared/corpus}
tool="python3 $src/tests/tools/plugin_tshark.py"
