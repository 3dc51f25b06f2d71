#!/bin/sh
# check.sh PROGRAM SAMPLE EXPECTED: runs PROGRAM on SAMPLE.pcapng with
# SAMPLE.keys and compares its exact output with EXPECTED.
set -u
prog=$1 sample=$2 expected=$3
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$prog" "$sample.pcapng" "$sample.keys" >"$out" 2>&1
rc=$?
echo "exit $rc" >>"$out"
if ! diff -u "$expected" "$out"; then
    echo "FAIL: $(basename "$prog") output differs from $expected"
    exit 1
fi
