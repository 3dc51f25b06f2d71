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
# Default: the clinic negotiation of the spec (section 9), captured by
# samples/make_samples.sh, decrypted with its key log and checked against the
# sample PKI's State Medical Board and Better Business Bureau CAs.
if [ $# -eq 0 ]; then
    set -- -k samples/clinic-tls12-ecdhe-gcm.keys -r samples/clinic-tls12-ecdhe-gcm.pcapng \
        --trust-anchor tests/data/pki/smb-ca-rsa.pem --trust-anchor tests/data/pki/bbb-ca-rsa.pem
fi
exec build/capture/tntdump "$@"
