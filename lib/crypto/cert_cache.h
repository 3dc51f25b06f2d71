/* The parsed form of one certificate in a tnt_cert_cache (cert_cache.c).
 * Private: GnuTLS types. An entry pointer is good until the next
 * tnt_cert_cache_get on the same cache. */
#ifndef TNT_CERT_CACHE_H
#define TNT_CERT_CACHE_H

#include "tnt/arena.h"
#include "tnt/x509.h"

#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct tnt_cert_entry tnt_cert_entry;

/* The entry of these DER bytes, made (and parsed) if new; NULL when cc is
 * NULL or the input empty. A DER that does not parse gets an entry too. */
tnt_cert_entry *tnt_cert_cache_get(tnt_cert_cache *cc, const uint8_t *der, size_t len);
bool tnt_cert_entry_parses(const tnt_cert_entry *e);
/* NULL when it does not parse. Owned by the entry. */
gnutls_x509_crt_t tnt_cert_entry_crt(const tnt_cert_entry *e);
/* The subject public key, NULL with *rc the GnuTLS error when unusable. */
gnutls_pubkey_t tnt_cert_entry_pubkey(tnt_cert_entry *e, int *rc);
/* The RFC 4514 subject or issuer DN, NULL as tnt_x509_dn fails. */
const char *tnt_cert_entry_dn(tnt_cert_entry *e, bool issuer);
/* tnt_x509_dn_attr for a dotted OID, values copied into a. */
bool tnt_cert_entry_dn_attr(tnt_cert_entry *e, bool issuer, const char *oid, tnt_arena *a,
                            char ***values, uint32_t *n);

#endif
