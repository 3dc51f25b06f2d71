#!/bin/sh
# Acceptance 2: on every sample, what the plugin shows agrees with
# `tntdump --json` field by field: each round's number, status, policies
# (kind, target, expression) and credential types at their frame; for each
# handshake the last verdict shown (outcome, trust established, each
# credential's proof status, chain status, subject and issuer, each policy's
# satisfied-in round); resumption links (the linked frame is in the
# establishing connection and carries that handshake's verdict); and the
# violation codes of each connection as expert infos.
. "$(dirname "$0")/plugin_common.sh"
tntdump=${TNTDUMP:-$build/capture/tntdump}
[ -x "$tntdump" ] || { echo "SKIP: no tntdump at $tntdump" >&2; exit 77; }
exec $tool agree -j 1 --plugin "$plugin" --src "$src" --tntdump "$tntdump"
