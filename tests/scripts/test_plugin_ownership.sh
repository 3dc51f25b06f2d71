#!/bin/sh
# Ownership: a TNT connection is the plugin's on any port (the clinic sample
# on its own port, rewritten to 443 and to 993, a port TLS takes through
# ssl_dissector_add); Decode As TNT forces the plugin on a TLS capture;
# --disable-protocol tnt gives stock tshark's -V -x output byte for byte.
. "$(dirname "$0")/plugin_common.sh"
[ -d "$corpus/made_here" ] || { echo "SKIP: no corpus at $corpus" >&2; exit 77; }
exec $tool ownership --plugin "$plugin" --src "$src" --corpus "$corpus"
