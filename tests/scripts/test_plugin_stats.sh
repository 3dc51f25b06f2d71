#!/bin/sh
# `-z tnt,tree` counts, on every sample, the negotiations by outcome, the
# rounds, the credential types and the violations that tntdump --json
# reports; `-z follow,tnt,ascii,0` gives the decrypted application data.
. "$(dirname "$0")/plugin_common.sh"
tntdump=${TNTDUMP:-$build/capture/tntdump}
[ -x "$tntdump" ] || { echo "SKIP: no tntdump at $tntdump" >&2; exit 77; }
exec $tool stats --plugin "$plugin" --src "$src" --tntdump "$tntdump"
