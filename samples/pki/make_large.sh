#!/bin/sh
# Makes the Riverside Clinic's "Accreditation" credential with a chain large
# enough to span several TLS records and TCP segments (large-chain.pcapng):
# a leaf with 384 long subjectAltNames (DNS names, URIs and e-mail addresses), issued by the Better Business
# Bureau CA of tests/data/pki, followed by that CA. The key comes from a
# fixed seed and RSA signatures are deterministic, so the files are the same
# on every run.
#
# Usage: samples/pki/make_large.sh   (needs certtool, gnutls-bin)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pki=$here/../../tests/data/pki
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
seed=$(printf '%s' "tnt-test-pki:clinic-large-rsa" | sha256sum | cut -c1-56)
certtool --generate-privkey --key-type rsa --bits 2048 --provable --seed "$seed" \
    --no-text --outfile clinic-large-rsa.key 2>/dev/null
{
    echo 'cn = "Riverside Clinic"'
    echo 'organization = "Riverside Clinic"'
    echo 'unit = "Accredited Clinics"'
    echo 'locality = "Lausanne"'
    echo 'country = "CH"'
    echo 'serial = 0x1199'
    echo 'activation_date = "2025-01-01 00:00:00"'
    echo 'expiration_date = "2100-01-01 00:00:00"'
    echo 'signing_key'
    # certtool takes at most 128 names of each kind.
    i=1
    while [ $i -le 128 ]; do
        echo "dns_name = \"ward-$i.cardiology-and-emergency-medicine.departments.riverside-clinic.example\""
        echo "uri = \"https://records.riverside-clinic.example/wards/$i/cardiology-and-emergency-medicine\""
        echo "email = \"ward-$i.cardiology-and-emergency-medicine@departments.riverside-clinic.example\""
        i=$((i + 1))
    done
} >"$tmp/leaf.tmpl"
certtool --generate-certificate --load-privkey clinic-large-rsa.key \
    --load-ca-certificate "$pki/bbb-ca-rsa.pem" --load-ca-privkey "$pki/bbb-ca-rsa.key" \
    --template "$tmp/leaf.tmpl" --hash SHA256 --no-text --outfile "$tmp/leaf.pem" 2>/dev/null
cat "$tmp/leaf.pem" "$pki/bbb-ca-rsa.pem" >clinic-large-rsa.pem
