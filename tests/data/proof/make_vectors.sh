#!/bin/sh
# Makes the OpenSSL-signed ownership proof vectors that test_proof_verify
# checks with lib/proof_verify.c, so the verifier is tested against a signer
# that shares no code with it (GnuTLS). Run in tests/data/proof after
# make_transcript.py. ECDSA, DSA and PSS signatures are randomised: re-running
# gives different (equally valid) files.
#
# The keys and certificates were made once with (OpenSSL 3.0, Debian 12):
#   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key.pem  (also rsa2048b)
#   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key.pem
#   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key.pem  (P-384: p384)
#   openssl genpkey -algorithm ED25519 -out ed25519.key.pem
#   openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsapss.key.pem
#   openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
#       -pkeyopt dsa_paramgen_q_bits:256 -out dsaparam.pem
#   openssl genpkey -paramfile dsaparam.pem -out dsa2048.key.pem
#   openssl req -new -x509 -key NAME.key.pem -days 36500 -sha256 \
#       -subj "/O=TNT Test/CN=NAME proof" -outform DER -out NAME.cert.der
set -eu
t=transcript.bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# TLS 1.2 rsa_pkcs1_*: PKCS#1 v1.5 with DigestInfo over the transcript.
for h in sha1 sha256 sha384 sha512; do
    openssl dgst -$h -sign rsa2048.key.pem -out rsa2048-rsa_pkcs1_$h.sig $t
done
# The wrong key: a valid signature, but not by the credential's key.
openssl dgst -sha256 -sign rsa2048b.key.pem -out rsa2048b-rsa_pkcs1_sha256.sig $t

# TLS 1.2 rsa_pss_rsae_*: salt length = hash length (RFC 8446 4.2.3).
for h in sha256 sha384 sha512; do
    openssl dgst -$h -binary $t >"$tmp/h"
    openssl pkeyutl -sign -inkey rsa2048.key.pem -in "$tmp/h" -pkeyopt digest:$h \
        -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -out rsa2048-rsa_pss_rsae_$h.sig
done
# PSS with other salt lengths, which TLS forbids: 20 bytes, and the maximum.
openssl dgst -sha256 -binary $t >"$tmp/h"
openssl pkeyutl -sign -inkey rsa2048.key.pem -in "$tmp/h" -pkeyopt digest:sha256 \
    -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:20 -out rsa2048-rsa_pss_rsae_sha256-salt20.sig
openssl pkeyutl -sign -inkey rsa2048.key.pem -in "$tmp/h" -pkeyopt digest:sha256 \
    -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:max -out rsa2048-rsa_pss_rsae_sha256-saltmax.sig

# TLS 1.2 ECDSA (DER Ecdsa-Sig-Value), and the curve/hash crossings that the
# algorithm rule must reject although the signature itself is good.
openssl dgst -sha256 -sign p256.key.pem -out p256-ecdsa_sha256.sig $t
openssl dgst -sha384 -sign p384.key.pem -out p384-ecdsa_sha384.sig $t
openssl dgst -sha384 -sign p256.key.pem -out p256-ecdsa_sha384.sig $t
openssl dgst -sha256 -sign p384.key.pem -out p384-ecdsa_sha256.sig $t

# TLS 1.0/1.1 RSA: PKCS#1 v1.5 type 1 padding over MD5(t)||SHA-1(t), no
# DigestInfo (pkeyutl without a digest option signs the input as it is).
openssl dgst -md5 -binary $t >"$tmp/md5sha1"
openssl dgst -sha1 -binary $t >>"$tmp/md5sha1"
openssl pkeyutl -sign -inkey rsa2048.key.pem -pkeyopt rsa_padding_mode:pkcs1 \
    -in "$tmp/md5sha1" -out rsa2048-tls10.sig
# TLS 1.0/1.1 (EC)DSA: SHA-1 of the transcript.
openssl dgst -sha1 -sign p256.key.pem -out p256-tls10.sig $t
openssl dgst -sha1 -sign p384.key.pem -out p384-tls10.sig $t
openssl dgst -sha1 -sign dsa2048.key.pem -out dsa2048-tls10.sig $t
# The TLS 1.2 form offered as a TLS 1.0 one: DigestInfo inside, must fail.
openssl dgst -sha1 -sign rsa2048.key.pem -out rsa2048-tls10-with-digestinfo.sig $t
