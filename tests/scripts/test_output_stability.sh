#!/bin/sh
# tntdump's output (text, -q, --json) on every sample, every tests/data
# capture and every corpus capture must stay byte-identical to the digests in
# tests/golden/output_digests.tsv (made by tests/tools/output_digests.py at
# commit 0d37eea, before lib/ became layered). A change that is meant to alter
# output regenerates the file and lists the change in its commit message.
# Corpus rows are compared only where ../shared/corpus is present.
set -eu
: "${TNTDUMP:?}" "${TNT_SRC:?}"
corpus=${TNT_CORPUS:-$TNT_SRC/../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$TNT_SRC/tests/tools/output_digests.py" "$TNTDUMP" --corpus "$corpus" >"$tmp/now.tsv"
want=$TNT_SRC/tests/golden/output_digests.tsv
if [ ! -d "$corpus" ]; then
    echo "corpus absent at $corpus: comparing samples and tests/data only"
    grep -v '^corpus/' "$want" >"$tmp/want.tsv"
else
    cp "$want" "$tmp/want.tsv"
fi
if ! diff "$tmp/want.tsv" "$tmp/now.tsv" >"$tmp/diff"; then
    echo "tntdump output changed (capture, mode, exit, stdout sha, stderr sha):"
    cat "$tmp/diff"
    echo "$(grep -c '^>' "$tmp/diff") of $(wc -l <"$tmp/want.tsv") outputs differ"
    exit 1
fi
echo "$(wc -l <"$tmp/now.tsv") outputs identical to tests/golden/output_digests.tsv"
