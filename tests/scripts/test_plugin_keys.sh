#!/bin/sh
# Keys with no plugin setting when Wireshark has them: TLS's key log
# preference, a pcapng Decryption Secrets Block, Wireshark's RSA key table;
# the plugin's own tnt.keylog_file; and without keys an expert info per
# epoch and direction instead of decryption.
. "$(dirname "$0")/plugin_common.sh"
command -v editcap >/dev/null 2>&1 || { echo "SKIP: editcap not found" >&2; exit 77; }
exec $tool keys --plugin "$plugin" --src "$src"
