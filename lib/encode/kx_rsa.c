/* RSA key transport (RFC 5246 7.4.7.1) with GnuTLS: the client encrypts,
 * the server decrypts through rsa_key.h. */
#include "kx.h"

#include "prf.h"

#include <gcrypt.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <limits.h>
#include <string.h>

#define RANDOM_PART (TNT_KX_RSA_PMS_LEN - 2)

void tnt_kx_rsa_make_pms(uint16_t client_version, uint8_t pms[TNT_KX_RSA_PMS_LEN])
{
    tnt_gcrypt_init();
    pms[0] = (uint8_t)(client_version >> 8);
    pms[1] = (uint8_t)client_version;
    gcry_randomize(pms + 2, RANDOM_PART, GCRY_STRONG_RANDOM);
}

bool tnt_kx_rsa_encrypt_pms(const uint8_t *cert_der, size_t cert_len,
                            const uint8_t pms[TNT_KX_RSA_PMS_LEN], uint8_t *out, size_t cap,
                            size_t *out_len, tnt_error *err)
{
    if (!cert_der || cert_len == 0 || cert_len > UINT_MAX)
        return tnt_fail(err, 0, "no server certificate");
    gnutls_x509_crt_t crt = NULL;
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t enc = {NULL, 0};
    bool ok = false;
    if (gnutls_x509_crt_init(&crt) < 0 || gnutls_pubkey_init(&pub) < 0) {
        tnt_fail(err, 0, "out of memory");
        goto out;
    }
    gnutls_datum_t cd = {(unsigned char *)(uintptr_t)cert_der, (unsigned)cert_len};
    if (gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_DER) < 0) {
        tnt_fail(err, 0, "server certificate does not parse");
        goto out;
    }
    /* Only rsaEncryption keys may encrypt: an id-RSASSA-PSS key is for
     * signatures alone (RFC 4055 1.2). */
    if (gnutls_x509_crt_get_pk_algorithm(crt, NULL) != GNUTLS_PK_RSA ||
        gnutls_pubkey_import_x509(pub, crt, 0) < 0) {
        tnt_fail(err, 0, "server certificate key is not an RSA encryption key");
        goto out;
    }
    gnutls_datum_t pd = {(unsigned char *)(uintptr_t)pms, TNT_KX_RSA_PMS_LEN};
    if (gnutls_pubkey_encrypt_data(pub, 0, &pd, &enc) < 0) {
        tnt_fail(err, 0, "GnuTLS cannot encrypt to this key");
        goto out;
    }
    if (enc.size > cap) {
        tnt_fail(err, 0, "EncryptedPreMasterSecret does not fit the buffer");
        goto out;
    }
    memcpy(out, enc.data, enc.size);
    *out_len = enc.size;
    ok = true;
out:
    gnutls_free(enc.data);
    gnutls_pubkey_deinit(pub);
    gnutls_x509_crt_deinit(crt);
    return ok;
}

void tnt_kx_rsa_server_pms(const tnt_rsa_key *key, const uint8_t *epms, size_t epms_len,
                           uint16_t client_version, uint8_t pms[TNT_KX_RSA_PMS_LEN])
{
    uint8_t r[RANDOM_PART], m[TNT_KX_RSA_PMS_LEN];
    tnt_gcrypt_init();
    /* R first, whatever happens next (RFC 5246 7.4.7.1 step 1), so that the
     * work done does not depend on the ciphertext. */
    gcry_randomize(r, sizeof r, GCRY_STRONG_RANDOM);
    memset(m, 0, sizeof m);
    bool good = key && epms && tnt_rsa_key_decrypt_pms(key, epms, epms_len, m);
    /* All ones when decryption worked, else all zeros: a select without a
     * branch on the secret outcome. */
    uint8_t mask = (uint8_t)(0u - (unsigned)good);
    pms[0] = (uint8_t)(client_version >> 8);
    pms[1] = (uint8_t)client_version;
    for (size_t i = 0; i < RANDOM_PART; i++)
        pms[2 + i] = (uint8_t)((m[2 + i] & mask) | (r[i] & (uint8_t)~mask));
    explicit_bzero(r, sizeof r);
    explicit_bzero(m, sizeof m);
}
