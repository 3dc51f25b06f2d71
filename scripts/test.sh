#!/bin/bash
# The whole test suite, as CI runs it: installs the Debian packages, builds
# with -Werror, runs every test, then builds again with ASan+UBSan and runs
# every test again. Run from anywhere; needs root (or sudo) for apt-get.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ "${TNT_SKIP_DEPS:-}" != 1 ]; then
    bash scripts/install-deps.sh
fi
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S . -B build -DTNT_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")

cmake -S . -B build-asan -DTNT_WERROR=ON -DTNT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs")

# tntdump's analysis threads under ThreadSanitizer: the thread tests, whose
# outputs must equal one thread's (a race report on stderr makes them differ).
cmake -S . -B build-tsan -DTNT_WERROR=ON -DTNT_TSAN=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-tsan -j"$jobs" --target tntdump
# GLib's slice allocator hands memory between threads in ways TSan cannot see.
G_SLICE=always-malloc TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
    TNTDUMP="$top/build-tsan/capture/tntdump" TNT_SRC="$top" sh tests/scripts/test_threads.sh
