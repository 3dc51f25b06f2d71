#!/bin/bash
# tntdump over every capture of the corpus under valgrind: no invalid access,
# no leak. One run reads all files, so valgrind starts once.
set -u
if [ "${TNT_SANITIZE:-OFF}" = ON ]; then
    echo "skip: sanitizer build (valgrind runs in the plain build)"
    exit 77
fi
command -v valgrind >/dev/null || { echo "skip: valgrind not installed"; exit 77; }
corpus=${TNT_CORPUS:-}
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
    echo "skip: corpus not found at '${corpus}'"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
while IFS= read -r f; do
    case "$f" in
    *.gz) out="$tmp/$(basename "$f" .gz)"; gzip -dc "$f" >"$out" && files+=(-r "$out") ;;
    *) files+=(-r "$f") ;;
    esac
done < <(find "$corpus" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' \) | sort)
files+=(-r "${TNT_TEST_DATA}/illustrated-tls12.pcap")
# Every key log of the corpus at once, so that the decryption paths run too.
keys=()
while IFS= read -r k; do
    keys+=(-k "$k")
done < <(find "$corpus" -type f \( -name '*.keys' -o -name '*keylog*' -o -name 'sslkeylog' -o -name '*.keys.txt' -o -name 'log.txt' \) | sort)
echo "tntdump under valgrind over $(( ${#files[@]} / 2 )) captures with $(( ${#keys[@]} / 2 )) key logs"
fail=0
# Text (default verbosity and -vv) and NDJSON take different printing paths.
for mode in "" "-vv --app-data" "--json"; do
    # shellcheck disable=SC2086
    valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect -q "$TNTDUMP" $mode "${keys[@]}" "${files[@]}" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 99 ]; then
        echo "FAIL ($mode): valgrind found errors or leaks:"
        grep -E '^==[0-9]+==' "$tmp/err" | head -60
        fail=1
    elif [ $rc -gt 3 ]; then
        echo "FAIL ($mode): tntdump exited with $rc"
        tail -20 "$tmp/err"
        fail=1
    else
        echo "ok ($mode): $(wc -l <"$tmp/out") lines of output, exit status $rc, no valgrind errors"
    fi
done
exit $fail
