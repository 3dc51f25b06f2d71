#!/bin/sh
# Acceptance 3: on every sample, the TNT tree of each frame and the columns
# TNT writes are the same in one pass and with `tshark -2` (state is built on
# the first pass and only read afterwards).
. "$(dirname "$0")/plugin_common.sh"
exec $tool passes -j 1 --plugin "$plugin" --src "$src"
