#!/bin/sh
# The public API and the shape of the code (tests/tools/api_check.py):
# front ends include only include/tnt/, no #include loop in lib/ or peer/,
# no call loop in peer/, tntdump without tntenc, no mutable global in lib/
# or peer/, no random numbers in the decoding core.
: "${TNT_SRC:?}" "${TNT_BUILD:?}"
for t in nm objdump python3; do
    command -v "$t" >/dev/null 2>&1 || exit 77
done
for f in lib/libtntcore.a lib/libtntenc.a lib/libtntload.a peer/libtntpeercore.a capture/tntdump; do
    [ -f "$TNT_BUILD/$f" ] || exit 77
done
exec python3 "$TNT_SRC/tests/tools/api_check.py" "$TNT_SRC" "$TNT_BUILD"
