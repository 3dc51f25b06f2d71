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

/* ---- certificate cache ----
 * A capture shows the same certificates again and again (the server's, a
 * credential in every negotiation). The cache parses each one once, keyed by
 * its DER (a 64-bit hash of it, confirmed byte for byte), and keeps what was asked of it: the DN
 * strings, DN attribute values, the public key, and chain results per anchor set (the anchors by
 * identity: a tnt_anchor_set must outlive the cache's use) and verification time. At most
 * max_entries certificates (0: the default, TNT_CERT_CACHE_DEFAULT); when full, the least recently
 * used goes. An entry takes a few kilobytes (GnuTLS's parsed form of one certificate), so the
 * default bounds the cache to about 2 MB. One cache per decoding thread; results are the same with
 * or without it. Every *_cached function takes cc == NULL as "no cache". */
#define TNT_CERT_CACHE_DEFAULT 256
typedef struct tnt_cert_cache tnt_cert_cache;
tnt_cert_cache *tnt_cert_cache_new(uint32_t max_entries);
void tnt_cert_cache_free(tnt_cert_cache *cc);
/* Certificates held now; lookups answered from the cache, parses, evictions. */
uint32_t tnt_cert_cache_count(const tnt_cert_cache *cc);
void tnt_cert_cache_stats(const tnt_cert_cache *cc, uint64_t *hits, uint64_t *misses,
                          uint64_t *evictions);

/* tnt_x509_dn and tnt_x509_dn_attr through the cache. */
bool tnt_x509_dn_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, bool issuer, char *buf,
                        size_t cap);
bool tnt_x509_dn_attr_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, bool issuer,
                             const char *name, tnt_arena *a, char ***values, uint32_t *n);
/* tnt_x509_sha256 through the cache. */
bool tnt_x509_sha256_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, uint8_t out[32]);
/* Whether the DER is one certificate GnuTLS parses. */
bool tnt_x509_parses(tnt_cert_cache *cc, const uint8_t *der, size_t len);

#endif
