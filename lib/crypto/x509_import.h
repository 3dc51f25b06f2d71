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

#endif
