#!/bin/sh
# Acceptance 3, the GUI's access pattern: after the first pass, dissecting
# every frame again in reverse order gives the same TNT trees as in order,
# on every sample (tests/plugin/reverse_passes.c, a libwireshark program).
. "$(dirname "$0")/plugin_common.sh"
harness=$build/plugin/tnt_reverse_passes
[ -x "$harness" ] || { echo "SKIP: $harness not built (libwiretap-dev missing?)" >&2; exit 77; }
exec $tool reverse -j 1 --plugin "$plugin" --src "$src" --harness "$harness"
