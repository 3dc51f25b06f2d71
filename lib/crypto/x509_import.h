/* The one certificate importer of lib/ (x509.c): DER bytes to a GnuTLS
 * certificate, for the X.509 helpers, chain verification and policy
 * evaluation. Private: front ends see no GnuTLS types. */
#ifndef TNT_X509_IMPORT_H
#define TNT_X509_IMPORT_H

#include <gnutls/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* False (and nothing to free) when der is empty, too long or not one DER
 * certificate; on success the caller deinits *crt. */
bool tnt_x509_import(gnutls_x509_crt_t *crt, const uint8_t *der, size_t len);

/* tnt_x509_dn and tnt_x509_dn_attr (oid dotted) on an imported certificate. */
#include "tnt/arena.h"
bool tnt_x509_crt_dn(gnutls_x509_crt_t crt, bool issuer, char *buf, size_t cap);
bool tnt_x509_crt_dn_attr(gnutls_x509_crt_t crt, bool issuer, const char *oid, tnt_arena *a,
                          char ***values, uint32_t *n);

#endif
