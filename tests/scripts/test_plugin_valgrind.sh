#!/bin/sh
# Acceptance 4 (valgrind): tshark with the plugin over every sample shows no
# invalid access and no leak that belongs to the plugin. Slow (about a
# minute per sample), so it runs only when asked:
#   TNT_PLUGIN_VALGRIND=1 ctest -R plugin_valgrind
. "$(dirname "$0")/plugin_common.sh"
[ -n "${TNT_PLUGIN_VALGRIND:-}" ] || { echo "SKIP: set TNT_PLUGIN_VALGRIND=1 to run" >&2; exit 77; }
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not found" >&2; exit 77; }
exec $tool valgrind -j 1 --plugin "$plugin" --src "$src"
