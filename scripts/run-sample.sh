#!/bin/bash
# The main job on a fresh machine: installs the Debian packages, builds
# tntdump, and runs it on a bundled sample capture.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ "${TNT_SKIP_DEPS:-}" != 1 ]; then
    bash scripts/install-deps.sh
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
# Default: the Illustrated TLS 1.2 capture, decrypted with its key log.
if [ $# -eq 0 ]; then
    set -- -v -k tests/data/illustrated-tls12-keylog.txt --app-data -r tests/data/illustrated-tls12.pcap
fi
exec build/capture/tntdump "$@"
