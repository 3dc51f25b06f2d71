#!/bin/sh
# Makes the Wireshark Qt screenshots the README shows, with the built plugin:
#   docs/wireshark-tnt-tree.png    clinic sample, TNT round 3 with its tree
#   docs/wireshark-tnt-flow.png    clinic sample, Statistics > Flow Graph
#   docs/wireshark-tnt-expert.png  sensitive-in-clear sample, Expert Information
#                                  (the clinic negotiation is clean: it has no
#                                  TNT expert infos to show)
# Usage: docs/make-screenshots.sh [BUILD-DIR]   (default: build)
# Needs wireshark-qt, Xvfb, xdotool and ImageMagick; installs the last three
# when run as root. Wireshark runs under its own Xvfb (display :93) without a
# window manager, so the script places and sizes windows itself and drives the
# GUI with clicks at fixed positions of a 1600x1000 screen: if a Wireshark
# update moves things, look at the PNGs before committing them.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
plugin=$build/plugin/tnt.so
[ -f "$plugin" ] || { echo "build the plugin first: $plugin missing" >&2; exit 1; }
command -v wireshark >/dev/null || { echo "wireshark (wireshark-qt) is not installed" >&2; exit 1; }
if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "install xvfb xdotool imagemagick" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends xvfb xdotool imagemagick
fi

display=:93
tmp=$(mktemp -d /tmp/tnt-shots.XXXXXX)
home=$tmp/home
mkdir -p "$home/.local/lib/wireshark/plugins/4.0/epan" "$home/.config/wireshark"
cp "$plugin" "$home/.local/lib/wireshark/plugins/4.0/epan/tnt.so"
cp "$src"/samples/clinic-tls12-ecdhe-gcm.pcapng "$src"/samples/clinic-tls12-ecdhe-gcm.keys \
    "$src"/samples/sensitive-in-clear.pcapng "$src"/samples/sensitive-in-clear.keys "$tmp/"
# No bytes pane (more room for the tree), no update check, no root warning.
printf 'gui.layout_content_3: NONE\ngui.update.enabled: FALSE\n' >"$home/.config/wireshark/preferences"
printf 'privs.warn_if_elevated: FALSE\n' >"$home/.config/wireshark/recent_common"
chmod -R a+rX "$tmp"
# Wireshark run as root ignores personal plugins: run it as nobody, who
# owns the HOME (Wireshark writes its profile there).
as=""
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    as="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi

Xvfb $display -ac -nolisten tcp -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
ws=""
cleanup() {
    [ -z "$ws" ] || kill "$ws" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
export DISPLAY=$display
sleep 1

# start_ws NAME ARGS...: starts Wireshark and waits for a window titled NAME.
start_ws() {
    name=$1
    shift
    # shellcheck disable=SC2086
    $as env HOME="$home" XDG_RUNTIME_DIR="$tmp" LC_ALL=C.UTF-8 DISPLAY=$display \
        wireshark "$@" >"$tmp/wireshark.log" 2>&1 &
    ws=$!
    for _ in $(seq 60); do
        xdotool search --name "$name" >/dev/null 2>&1 && break
        sleep 0.5
    done
    sleep 6 # the file is read and dissected after the window maps
}
stop_ws() {
    kill "$ws" 2>/dev/null || true
    wait "$ws" 2>/dev/null || true
    ws=""
    sleep 1
}
# window NAME: the id of the first window whose title contains NAME.
window() {
    for _ in $(seq 20); do
        w=$(xdotool search --name "$1" 2>/dev/null | head -1)
        [ -n "$w" ] && { echo "$w"; return; }
        sleep 0.5
    done
    echo "no window named $1; wireshark said:" >&2
    cat "$tmp/wireshark.log" >&2
    exit 1
}
# shrink IN OUT WIDTH: a web-sized PNG (8-bit palette keeps it small).
shrink() {
    convert "$1" -resize "$3>" -colors 256 -strip "PNG8:$2"
}

cd "$tmp"
keys="tls.keylog_file:$tmp/clinic-tls12-ecdhe-gcm.keys"

# 1. The TNT tree of round 3 (frame 15), TNT subtrees expanded, the X.509
#    certificate folded so the negotiation state and proof stay in view.
start_ws clinic-tls12-ecdhe-gcm -o "$keys" -r clinic-tls12-ecdhe-gcm.pcapng -Y tnt -g 15
w=$(window clinic-tls12-ecdhe-gcm)
xdotool windowmove "$w" 0 0 windowsize "$w" 1600 1000
sleep 2
xdotool mousemove 300 273 click 1 # frame 15 in the packet list
sleep 0.5
xdotool mousemove 800 533 mousedown 1 mousemove 800 450 mousemove 800 330 mouseup 1 # splitter up
sleep 0.5
xdotool mousemove 115 410 click 1 key shift+Right # "Trust Negotiation in TLS": expand subtrees
sleep 0.5
xdotool mousemove 300 699 click 1 key Left # fold the Certificate
sleep 0.5
import -window "$w" "$tmp/tree.png"
shrink "$tmp/tree.png" "$src/docs/wireshark-tnt-tree.png" 1280

# 2. Statistics > Flow Graph of the same capture, limited to the display
#    filter tnt: the handshakes, the TNT rounds and the HTTP request and answer.
xdotool mousemove 325 9 click 1 # Statistics
sleep 0.7
xdotool mousemove 356 435 click 1 # Flow Graph
f=$(window 'Flow')
xdotool windowmove "$f" 0 0 windowsize "$f" 1100 620
sleep 2
xdotool mousemove 18 564 click 1 # "Limit to display filter": the TNT and HTTP messages
sleep 1.5
import -window "$f" "$tmp/flow.png"
shrink "$tmp/flow.png" "$src/docs/wireshark-tnt-flow.png" 1100
stop_ws

# 3. Analyze > Expert Information (-z expert opens it) on sensitive-in-clear,
#    one row per item so the messages show in full.
start_ws sensitive-in-clear -o "tls.keylog_file:$tmp/sensitive-in-clear.keys" -r sensitive-in-clear.pcapng -z expert
d=$(window 'Expert Information')
xdotool windowmove "$d" 0 0 windowsize "$d" 1500 420
sleep 1
xdotool mousemove 208 365 click 1 # untick "Group by summary"
sleep 0.8
xdotool mousemove 200 41 click 1 key Right # expand Error
sleep 0.4
xdotool mousemove 200 75 click 1 key Right # expand Warning
sleep 0.4
xdotool mousemove 539 22 mousedown 1 mousemove 800 22 mousemove 1000 22 mouseup 1 # widen Summary
xdotool mousemove 700 250 click 1 # deselect
sleep 0.5
import -window "$d" "$tmp/expert.png"
shrink "$tmp/expert.png" "$src/docs/wireshark-tnt-expert.png" 1280
stop_ws
ls -l "$src"/docs/wireshark-tnt-*.png
