#!/bin/sh
# Acceptance 4 (valgrind): tshark with the plugin shows no invalid access and
# no leak that belongs to the plugin. About a minute per sample, so CI runs a
# bounded slice (the clinic sample: a full negotiation, decrypted, with
# proofs and chains); every sample with
#   TNT_PLUGIN_VALGRIND=1 ctest -R plugin_valgrind
# Skipped in the ASan+UBSan build, where the plugin runs under the sanitizers
# instead (tests/tools/plugin_tshark.py preloads their runtimes).
. "$(dirname "$0")/plugin_common.sh"
case "${TNT_SANITIZE:-}" in ON | on | 1 | TRUE | true) echo "SKIP: sanitizer build" >&2; exit 77 ;; esac
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not found" >&2; exit 77; }
if [ -n "${TNT_PLUGIN_VALGRIND:-}" ]; then
    exec $tool valgrind -j 1 --plugin "$plugin" --src "$src"
fi
exec $tool valgrind -j 1 --plugin "$plugin" --src "$src" --only clinic-tls12-ecdhe-gcm
