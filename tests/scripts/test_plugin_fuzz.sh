#!/bin/sh
# Acceptance 4, the bounded CI slice: a few rounds of `editcap -E 0.02` per
# sample (fixed seeds) through tshark with the plugin give no crash, no
# assertion and no "Dissector bug" (-V and -z expert). The full run:
#   TNT_PLUGIN_FUZZ_ROUNDS=200 tests/scripts/test_plugin_fuzz.sh
. "$(dirname "$0")/plugin_common.sh"
command -v editcap >/dev/null 2>&1 || { echo "SKIP: editcap not found" >&2; exit 77; }
exec $tool fuzz -j 1 --plugin "$plugin" --src "$src" --rounds "${TNT_PLUGIN_FUZZ_ROUNDS:-3}"
