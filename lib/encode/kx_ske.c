/* The signature of the ECDHE ServerKeyExchange (RFC 8422 5.4); the message
 * itself is encoded in encode_messages.c and decoded in
 * server_key_exchange.c. The signature is a digitally-signed struct (RFC
 * 5246 4.7) over client_random + server_random + ServerECDHParams, signed by
 * version exactly as a CertificateVerify over its handshake_messages, so
 * proof_verify.c does the signing and checking on that byte string. */
#include "kx.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <glib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define RANDOMS_LEN 64

size_t tnt_kx_signed_params_len(size_t params_len)
{
    return RANDOMS_LEN + params_len;
}

bool tnt_kx_signed_params(const uint8_t client_random[32], const uint8_t server_random[32],
                          const uint8_t *params, size_t params_len, uint8_t *out, size_t cap)
{
    if (cap < RANDOMS_LEN + params_len || (params_len && !params))
        return false;
    memcpy(out, client_random, 32);
    memcpy(out + 32, server_random, 32);
    if (params_len)
        memcpy(out + RANDOMS_LEN, params, params_len);
    return true;
}

tnt_proof_result tnt_kx_ske_verify(uint16_t version, const uint8_t *cert_der, size_t cert_len,
                                   const uint8_t client_random[32], const uint8_t server_random[32],
                                   const uint8_t *params, size_t params_len, bool has_algorithm,
                                   uint16_t algorithm, const uint8_t *sig, size_t sig_len,
                                   const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                                   char *reason, size_t reason_cap)
{
    size_t tlen = tnt_kx_signed_params_len(params_len);
    uint8_t *t = g_malloc(tlen);
    tnt_proof_result r;
    if (!tnt_kx_signed_params(client_random, server_random, params, params_len, t, tlen)) {
        if (reason && reason_cap)
            snprintf(reason, reason_cap, "no ServerKeyExchange parameters");
        r = TNT_PROOF_INVALID;
    } else {
        r = tnt_proof_verify(version, cert_der, cert_len, has_algorithm, algorithm, sig, sig_len, t,
                             tlen, client_sig_algs, n_client_sig_algs, reason, reason_cap);
    }
    g_free(t);
    return r;
}

bool tnt_kx_ske_sign(uint16_t version, const uint8_t *key, size_t key_len,
                     const uint8_t client_random[32], const uint8_t server_random[32],
                     const uint8_t *params, size_t params_len, bool has_algorithm,
                     uint16_t algorithm, const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                     uint8_t *sig, size_t sig_cap, size_t *sig_len, char *reason, size_t reason_cap)
{
    size_t tlen = tnt_kx_signed_params_len(params_len);
    uint8_t *t = g_malloc(tlen);
    bool ok;
    if (!tnt_kx_signed_params(client_random, server_random, params, params_len, t, tlen)) {
        if (reason && reason_cap)
            snprintf(reason, reason_cap, "no ServerKeyExchange parameters");
        ok = false;
    } else {
        ok = tnt_proof_sign(version, key, key_len, has_algorithm, algorithm, t, tlen,
                            client_sig_algs, n_client_sig_algs, sig, sig_cap, sig_len, reason,
                            reason_cap);
    }
    g_free(t);
    return ok;
}

bool tnt_kx_cert_fits_auth(const uint8_t *cert_der, size_t cert_len, tnt_auth auth, char *reason,
                           size_t reason_cap)
{
    gnutls_x509_crt_t crt = NULL;
    const char *why = NULL;
    if (!cert_der || cert_len == 0 || cert_len > UINT_MAX) {
        why = "no certificate";
    } else if (gnutls_x509_crt_init(&crt) < 0) {
        why = "out of memory";
    } else {
        gnutls_datum_t d = {(unsigned char *)(uintptr_t)cert_der, (unsigned)cert_len};
        if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
            why = "certificate does not parse";
        } else {
            int pk = gnutls_x509_crt_get_pk_algorithm(crt, NULL);
            if (auth == TNT_AUTH_RSA && pk != GNUTLS_PK_RSA)
                why = "an RSA suite needs an rsaEncryption certificate key";
            else if (auth == TNT_AUTH_ECDSA && pk != GNUTLS_PK_ECDSA)
                why = "an ECDSA suite needs an id-ecPublicKey certificate key";
            else if (auth != TNT_AUTH_RSA && auth != TNT_AUTH_ECDSA)
                why = "only RSA and ECDSA authentication are supported";
        }
    }
    gnutls_x509_crt_deinit(crt);
    if (reason && reason_cap)
        snprintf(reason, reason_cap, "%s", why ? why : "certificate key fits the suite");
    return why == NULL;
}
