#!/bin/sh
# Installs every Debian 12 package the project needs to build, test and
# benchmark. Idempotent; needs root (or sudo).
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    build-essential cmake pkg-config clang-format \
    libwireshark-dev libwiretap-dev libwsutil-dev tshark wireshark-common \
    libpcap-dev libglib2.0-dev libgcrypt20-dev libgnutls28-dev gnutls-bin zlib1g-dev \
    openssl valgrind python3 python3-jsonschema util-linux iproute2 \
    python3-distributed dpkg-dev \
    wireshark-qt xvfb xauth clang libclang-rt-14-dev
