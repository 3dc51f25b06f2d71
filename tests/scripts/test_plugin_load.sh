#!/bin/sh
# The built plugin installs into a personal plugin folder and tshark loads
# it: `tshark -G plugins` lists tnt.so, and every field the issue names is
# registered.
. "$(dirname "$0")/plugin_common.sh"
exec $tool load --plugin "$plugin"
