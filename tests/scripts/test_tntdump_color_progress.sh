#!/bin/sh
# --color and the progress line: colour only when asked or on a terminal,
# and the text under the colour is exactly the default text; NDJSON never
# coloured; the progress line goes to stderr only and leaves stdout as it is.
set -u
: "${TNTDUMP:?}" "${TNT_SRC:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }
S=$TNT_SRC/samples
keys=""
for k in "$S"/*.keys; do keys="$keys -k $k"; done
esc=$(printf '\033')
strip() { sed "s/$esc\[[0-9;]*m//g"; }

# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" >"$tmp/plain"
# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" --color=always >"$tmp/color"
grep -q "$esc" "$tmp/plain" && no "default output (not a terminal) has escapes"
grep -q "$esc" "$tmp/color" || no "--color=always has no escapes"
strip <"$tmp/color" | cmp -s - "$tmp/plain" || no "--color=always text differs from the default under its colours"
grep -q "^$esc\[1;31m  violation error proof-invalid" "$tmp/color" || no "error violation not red"
grep -q "^$esc\[32m    outcome: success" "$tmp/color" || no "success outcome not green"
grep -q "^$esc\[1m#1 " "$tmp/color" || no "block header not bold"
# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" --color=never | cmp -s - "$tmp/plain" || no "--color=never differs"
# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" --json --color=always | grep -q "$esc" && no "NDJSON coloured"
"$TNTDUMP" -r "$S" --color=sometimes >/dev/null 2>&1
[ $? -eq 2 ] || no "--color=sometimes should be a usage error"
# auto: on a terminal (script(1) gives one), unless NO_COLOR.
if command -v script >/dev/null 2>&1; then
    script -qec "$TNTDUMP -k $S/proof-invalid.keys -r $S/proof-invalid.pcapng" /dev/null >"$tmp/tty"
    grep -q "$esc\[1;31m" "$tmp/tty" || no "auto: no colour on a terminal"
    NO_COLOR=1 script -qec "$TNTDUMP -k $S/proof-invalid.keys -r $S/proof-invalid.pcapng" /dev/null >"$tmp/tty"
    grep -q "$esc\[1;31m" "$tmp/tty" && no "auto: colour despite NO_COLOR"
fi

# Progress: forced on, stderr only; off when stderr is not a terminal.
# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" --progress >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/plain" || no "--progress changed stdout"
n=$(ls "$S"/*.pcapng | wc -l)
size=$(cat "$S"/*.pcapng | wc -c)
grep -q "$n/$n files, .* of $(echo "$size" | awk '{printf "%.1f KiB", $1 / 1024}')" "$tmp/err" || no "no final progress line: $(od -c "$tmp/err" | head -3)"
tail -c 4 "$tmp/err" | od -c | grep -q '\\r 033   \[   K' || no "progress line not erased at the end"
# shellcheck disable=SC2086
"$TNTDUMP" $keys -r "$S" >/dev/null 2>"$tmp/err"
grep -q "files," "$tmp/err" && no "progress shown although stderr is not a terminal"
# shellcheck disable=SC2086
"$TNTDUMP" $keys -j 2 -r "$S" --progress >"$tmp/out" 2>"$tmp/err"
cmp -s "$tmp/out" "$tmp/plain" || no "-j 2 --progress changed stdout"
grep -q "$n/$n files" "$tmp/err" || no "-j 2: no progress"
exit $fail
