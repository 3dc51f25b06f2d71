/* Small X.509 helpers for front ends and policy evaluation.
 *
 * All ASN.1 work is GnuTLS's; these only adapt its results to the buffers and
 * strings the rest of the toolkit uses. Input is the DER of one certificate
 * (as in a Certificate message or a TNTCredential chain) or, for
 * tnt_x509_name_str, one DER DistinguishedName (as in CertificateRequest). */
#ifndef TNT_X509_H
#define TNT_X509_H

#include "tnt/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The subject (issuer == false) or issuer DN as an RFC 4514 string, NUL
 * terminated. False when the DER does not parse or the string does not fit
 * in cap bytes (buf then holds an empty string if cap > 0). */
bool tnt_x509_dn(const uint8_t *der, size_t len, bool issuer, char *buf, size_t cap);

/* A DER DistinguishedName (not a certificate) as an RFC 4514 string. */
bool tnt_x509_name_str(const uint8_t *der, size_t len, char *buf, size_t cap);

/* SHA-256 of the DER bytes, the usual certificate fingerprint. */
bool tnt_x509_sha256(const uint8_t *der, size_t len, uint8_t out[32]);

/* The dotted OID of a DN attribute short name ("CN", "O", "OU", "C", "ST",
 * "L", case-insensitive), a dotted OID passed through, or NULL. */
const char *tnt_x509_attr_oid(const char *name);

/* Every value of one attribute (short name or dotted OID) of the subject or
 * issuer DN, in DN order, as NUL-terminated UTF-8 strings allocated from the
 * arena, as plain text (GnuTLS's RFC 4514 escaping undone, so "O=A\, Inc."
 * gives "A, Inc."). *n is 0 when the attribute is absent. False when the DER does not
 * parse, the name is unknown, or a value cannot be represented as a C string
 * (not convertible to UTF-8, or an embedded NUL that would let "CN=a\0b"
 * pass as "a"; GnuTLS renders such a value as "#" + hex of its DER, and that
 * is refused too rather than compared as text). */
bool tnt_x509_dn_attr(const uint8_t *der, size_t len, bool issuer, const char *name, tnt_arena *a,
                      char ***values, uint32_t *n);

#endif
