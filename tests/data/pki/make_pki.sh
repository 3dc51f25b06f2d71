#!/bin/sh
# Regenerates the test PKI of tests/unit/test_chain_verify.c and
# test_policy_eval.c: the CAs and credentials of the clinic example (spec
# section 9), an unrelated CA, and a forged "State Medical Board" CA.
#
# Every certificate is valid from 2025-01-01 to 2100-01-01 and has a fixed
# serial, so that tests never expire. RSA keys come from a fixed seed
# (certtool --provable) and RSA signatures are deterministic, so the -rsa
# files come out byte-identical on every run; ECDSA keys and signatures are
# random, so the -ec files change (tests only rely on their content, not on
# their bytes). The private keys are test keys, published on purpose so that
# tests can sign TNTProofs.
#
# Usage: tests/data/pki/make_pki.sh [OUTDIR]   (needs certtool, gnutls-bin)
set -eu
out=${1:-$(dirname "$0")}
cd "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dates='activation_date = "2025-01-01 00:00:00"
expiration_date = "2100-01-01 00:00:00"'

# key NAME ALG: RSA from a seed derived from NAME; ECDSA P-256 random.
key() {
    if [ "$2" = rsa ]; then
        seed=$(printf '%s' "tnt-test-pki:$1" | sha256sum | cut -c1-56)
        certtool --generate-privkey --key-type rsa --bits 2048 --provable \
            --seed "$seed" --no-text --outfile "$1.key" 2>/dev/null
    else
        certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
            --no-text --outfile "$1.key" 2>/dev/null
    fi
}

# ca NAME ALG SERIAL TEMPLATE-LINES: a self-signed CA.
ca() {
    key "$1" "$2"
    printf '%s\nserial = %s\n%s\nca\ncert_signing_key\ncrl_signing_key\n' \
        "$4" "$3" "$dates" >"$tmp/$1.tmpl"
    certtool --generate-self-signed --load-privkey "$1.key" --template "$tmp/$1.tmpl" \
        --hash SHA256 --no-text --outfile "$1.pem" 2>/dev/null
    certtool --certificate-info --infile "$1.pem" --outder --outfile "$1.der" 2>/dev/null
}

# leaf NAME ALG SERIAL ISSUER TEMPLATE-LINES: an end-entity certificate.
leaf() {
    key "$1" "$2"
    printf '%s\nserial = %s\n%s\nsigning_key\n' "$5" "$3" "$dates" >"$tmp/$1.tmpl"
    certtool --generate-certificate --load-privkey "$1.key" \
        --load-ca-certificate "$4.pem" --load-ca-privkey "$4.key" \
        --template "$tmp/$1.tmpl" --hash SHA256 --no-text --outfile "$1.pem" 2>/dev/null
    certtool --certificate-info --infile "$1.pem" --outder --outfile "$1.der" 2>/dev/null
}

for alg in rsa ec; do
    if [ $alg = rsa ]; then s=1; else s=2; fi
    ca webca-$alg $alg 0x${s}001 'cn = "TNT Test Web CA"
organization = "TNT Test Web PKI"
country = "CH"'
    ca smb-ca-$alg $alg 0x${s}002 'cn = "State Medical Board Licensing CA"
organization = "State Medical Board"
state = "Vaud"
country = "CH"'
    ca bbb-ca-$alg $alg 0x${s}003 'cn = "BBB Accreditation CA"
organization = "Better Business Bureau"
country = "CH"'
    ca acme-ca-$alg $alg 0x${s}004 'cn = "Acme Trust Root CA"
organization = "Acme Trust"
country = "CH"'
    # The forgery: its own key, but the real State Medical Board CA's DN.
    ca forged-smb-ca-$alg $alg 0x${s}005 'cn = "State Medical Board Licensing CA"
organization = "State Medical Board"
state = "Vaud"
country = "CH"'

    leaf clinic-web-$alg $alg 0x${s}101 webca-$alg 'cn = "clinic.example"
organization = "Riverside Clinic"
dns_name = "clinic.example"
tls_www_server
encryption_key'
    leaf clinic-$alg $alg 0x${s}102 bbb-ca-$alg 'cn = "Riverside Clinic"
organization = "Riverside Clinic"
unit = "Accredited Clinics"
locality = "Lausanne"
country = "CH"
tls_www_server'
    # UTF-8 values and two OUs, for exact-match and multiple-occurrence tests.
    leaf physician-$alg $alg 0x${s}103 smb-ca-$alg 'cn = "Dr. Zoë Müller"
organization = "Riverside Clinic"
unit = "Cardiology"
unit = "Médecine d’urgence"
locality = "Lausanne"
country = "CH"
tls_www_client'
    # Same subject, but the license comes from an unrelated CA.
    leaf physician-acme-$alg $alg 0x${s}104 acme-ca-$alg 'cn = "Dr. Zoë Müller"
organization = "Riverside Clinic"
unit = "Cardiology"
unit = "Médecine d’urgence"
locality = "Lausanne"
country = "CH"
tls_www_client'
    leaf physician-forged-$alg $alg 0x${s}105 forged-smb-ca-$alg 'cn = "Dr. Zoë Müller"
organization = "Riverside Clinic"
unit = "Cardiology"
unit = "Médecine d’urgence"
locality = "Lausanne"
country = "CH"
tls_www_client'
done
