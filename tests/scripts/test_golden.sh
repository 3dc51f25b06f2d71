#!/bin/bash
# Golden outputs: each tests/golden/NAME.args holds tntdump's arguments (with
# @DATA@ standing for tests/data), NAME.out its exact standard output and
# NAME.err (if present) its exact standard error. Goldens are checked by eye
# before they are committed; regenerate with TNT_GOLDEN_UPDATE=1 and review
# the diff.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}" "${TNT_TEST_DATA:?}"
[ -x "$TNTDUMP" ] || exit 77
dir=$TNT_SRC/tests/golden
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for a in "$dir"/*.args; do
    name=$(basename "$a" .args)
    read -r -a args < <(sed "s|@DATA@|$TNT_TEST_DATA|g" "$a")
    # Paths in the output are made relative again so goldens do not depend
    # on where the checkout is.
    (cd "$TNT_TEST_DATA" && "$TNTDUMP" "${args[@]}") >"$tmp/out" 2>"$tmp/err"
    rc=$?
    sed -i "s|$TNT_TEST_DATA/||g" "$tmp/out" "$tmp/err"
    echo "exit $rc" >>"$tmp/out"
    n=$((n + 1))
    if [ "${TNT_GOLDEN_UPDATE:-}" = 1 ]; then
        cp "$tmp/out" "$dir/$name.out"
        if [ -s "$tmp/err" ]; then cp "$tmp/err" "$dir/$name.err"; else rm -f "$dir/$name.err"; fi
        continue
    fi
    if ! diff -u "$dir/$name.out" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL: $name: standard output differs"
        head -40 "$tmp/diff"
        fail=1
    fi
    if [ -f "$dir/$name.err" ] && ! diff -u "$dir/$name.err" "$tmp/err" >"$tmp/diff"; then
        echo "FAIL: $name: standard error differs"
        head -20 "$tmp/diff"
        fail=1
    elif [ ! -f "$dir/$name.err" ] && [ -s "$tmp/err" ]; then
        echo "FAIL: $name: unexpected standard error:"
        head -5 "$tmp/err"
        fail=1
    fi
done
echo "$n golden outputs checked"
exit $fail
