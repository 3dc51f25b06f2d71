#!/bin/sh
# TNT credentials reach Wireshark's X.509 dissector whenever anything reads
# its fields (a visible tree, a display filter, a -e column); the plugin
# skips that dissection only when nothing does.
. "$(dirname "$0")/plugin_common.sh"
exec $tool certs --plugin "$plugin" --src "$src"
