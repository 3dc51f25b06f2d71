#!/bin/sh
# Acceptance 1 (identity), the CI slice: on captures without TNT, tshark's
# output with the plugin equals its output without it, for -V -x with keys,
# -T json, -z io,phs, -z expert and -z follow,tls,ascii,0. The slice covers
# TLS's own port (443), ports TLS takes through ssl_dissector_add, its TCP
# heuristic (other ports), key logs, a Decryption Secrets Block, an RSA key,
# renegotiation, segmented records and SSLv2/SSL3. The whole corpus:
#   python3 tests/tools/plugin_tshark.py identity --plugin build/plugin/tnt.so \
#       --corpus ../shared/corpus
. "$(dirname "$0")/plugin_common.sh"
[ -d "$corpus/third_party" ] || { echo "SKIP: no corpus at $corpus" >&2; exit 77; }
exec $tool identity -j 1 --plugin "$plugin" --corpus "$corpus" --only \
made_here/tls12-aes128sha-server-reneg.pcapng,\
made_here/tls12-ecdhe-aes128gcm-mtu1500-bigresponse.pcapng,\
made_here/tls12-ecdhe-aes128gcm-server-reneg-tnt-types-crafted.pcapng,\
made_here/legacy/ssl3-3des.pcap,\
third_party/_derived/tls12renogotiation.with-dsb.pcapng,\
third_party/ssldump/tls1.2_aes256.pcap,\
third_party/scapy-ssl_tls/RSA_WITH_AES_128_CBC_SHA_w_key.pcap,\
made_here/legacy/starttls-smtp.pcap,\
third_party/arkime/CVE-2018-6794.pcap
