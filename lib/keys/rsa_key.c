#define _GNU_SOURCE /* memmem */
#include "rsa_key.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <limits.h>
#include <string.h>

#define KEY_ID_LEN 32 /* GNUTLS_KEYID_USE_SHA256 */

struct tnt_rsa_key {
    gnutls_privkey_t pk;
    unsigned bits;
    uint8_t id[KEY_ID_LEN];
    char *source;
};

struct tnt_rsa_keyset {
    GPtrArray *keys; /* of tnt_rsa_key*, freed with the set */
};

/* GLib keeps the quark table; a cached copy here would be mutable state. */
GQuark tnt_rsa_key_error_quark(void)
{
    return g_quark_from_static_string("tnt-rsa-key-error-quark");
}

static void key_free(gpointer p)
{
    tnt_rsa_key *k = p;
    if (!k)
        return;
    gnutls_privkey_deinit(k->pk);
    g_free(k->source);
    g_free(k);
}

tnt_rsa_keyset *tnt_rsa_keyset_new(void)
{
    tnt_rsa_keyset *ks = g_new0(tnt_rsa_keyset, 1);
    ks->keys = g_ptr_array_new_with_free_func(key_free);
    return ks;
}

void tnt_rsa_keyset_free(tnt_rsa_keyset *ks)
{
    if (!ks)
        return;
    g_ptr_array_free(ks->keys, TRUE);
    g_free(ks);
}

size_t tnt_rsa_keyset_count(const tnt_rsa_keyset *ks)
{
    return ks->keys->len;
}

const tnt_rsa_key *tnt_rsa_keyset_get(const tnt_rsa_keyset *ks, size_t i)
{
    return i < ks->keys->len ? g_ptr_array_index(ks->keys, i) : NULL;
}

unsigned tnt_rsa_key_bits(const tnt_rsa_key *k)
{
    return k->bits;
}

const char *tnt_rsa_key_source(const tnt_rsa_key *k)
{
    return k->source;
}

const uint8_t *tnt_rsa_key_id(const tnt_rsa_key *k, size_t *len)
{
    *len = KEY_ID_LEN;
    return k->id;
}

/* Outcome of importing one key: a key, a skip (not RSA), or an error. */
typedef enum { IMPORT_OK, IMPORT_NOT_RSA, IMPORT_FAILED } import_result;

static import_result import_key(const uint8_t *data, size_t len, gnutls_x509_crt_fmt_t fmt,
                                const char *source, tnt_rsa_key **out, GError **error)
{
    gnutls_x509_privkey_t x = NULL;
    gnutls_datum_t d = {(unsigned char *)data, (unsigned)len};
    int rc;
    if (len > UINT_MAX) {
        g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_PARSE, "%s: too large", source);
        return IMPORT_FAILED;
    }
    if ((rc = gnutls_x509_privkey_init(&x)) < 0 ||
        (rc = gnutls_x509_privkey_import(x, &d, fmt)) < 0) {
        g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_PARSE,
                    "%s: cannot parse private key: %s", source, gnutls_strerror(rc));
        gnutls_x509_privkey_deinit(x);
        return IMPORT_FAILED;
    }
    if (gnutls_x509_privkey_get_pk_algorithm2(x, NULL) != GNUTLS_PK_RSA) {
        gnutls_x509_privkey_deinit(x);
        return IMPORT_NOT_RSA;
    }
    tnt_rsa_key *k = g_new0(tnt_rsa_key, 1);
    size_t id_len = sizeof k->id;
    unsigned bits = 0;
    gnutls_x509_privkey_get_pk_algorithm2(x, &bits);
    if ((rc = gnutls_x509_privkey_get_key_id(x, GNUTLS_KEYID_USE_SHA256, k->id, &id_len)) < 0 ||
        (rc = gnutls_privkey_init(&k->pk)) < 0 ||
        (rc = gnutls_privkey_import_x509(k->pk, x, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) < 0) {
        g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_PARSE, "%s: unusable key: %s",
                    source, gnutls_strerror(rc));
        gnutls_x509_privkey_deinit(x);
        if (k->pk)
            gnutls_privkey_deinit(k->pk);
        g_free(k);
        return IMPORT_FAILED;
    }
    k->bits = bits;
    k->source = g_strdup(source);
    *out = k;
    return IMPORT_OK;
}

static const uint8_t *find(const uint8_t *hay, size_t hay_len, const char *needle)
{
    return memmem(hay, hay_len, needle, strlen(needle));
}

/* Loads into keys (not yet the set, so that a failure adds nothing). */
static bool load_pem_blocks(const char *name, const uint8_t *data, size_t len, GPtrArray *keys,
                            unsigned *non_rsa, bool *saw_pem, GError **error)
{
    static const char begin[] = "-----BEGIN ";
    const uint8_t *p = data, *end = data + len;
    unsigned n = 0;
    const uint8_t *b;
    while ((b = find(p, (size_t)(end - p), begin)) != NULL) {
        *saw_pem = true;
        const uint8_t *label = b + strlen(begin);
        const uint8_t *label_end = find(label, (size_t)(end - label), "-----");
        if (!label_end) {
            g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_PARSE,
                        "%s: truncated PEM header line", name);
            return false;
        }
        size_t label_len = (size_t)(label_end - label);
        char *lab = g_strndup((const char *)label, label_len);
        bool is_key = strcmp(lab, "RSA PRIVATE KEY") == 0 || strcmp(lab, "PRIVATE KEY") == 0;
        bool other_key = g_str_has_suffix(lab, "PRIVATE KEY") && !is_key;
        char *end_marker = g_strdup_printf("-----END %s-----", lab);
        const uint8_t *e = find(label_end, (size_t)(end - label_end), end_marker);
        bool ok = true;
        if (!e) {
            g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_PARSE,
                        "%s: truncated PEM block \"%s\" (no \"%s\" line)", name, lab, end_marker);
            ok = false;
        } else {
            const uint8_t *after = e + strlen(end_marker);
            if (is_key || other_key)
                n++;
            char *source = g_strdup_printf("%s#%u", name, n);
            /* Old OpenSSL encrypts PKCS#1 PEM with a Proc-Type header. */
            bool encrypted = strcmp(lab, "ENCRYPTED PRIVATE KEY") == 0 ||
                             (is_key && find(b, (size_t)(after - b), "Proc-Type: 4,ENCRYPTED"));
            if (encrypted) {
                g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_ENCRYPTED,
                            "%s: private key is password-protected; store it unencrypted "
                            "(e.g. openssl pkey -in key.pem -out plain.pem)",
                            source);
                ok = false;
            } else if (is_key) {
                tnt_rsa_key *k = NULL;
                switch (
                    import_key(b, (size_t)(after - b), GNUTLS_X509_FMT_PEM, source, &k, error)) {
                case IMPORT_OK:
                    g_ptr_array_add(keys, k);
                    break;
                case IMPORT_NOT_RSA:
                    (*non_rsa)++;
                    break;
                case IMPORT_FAILED:
                    ok = false;
                    break;
                }
            } else if (other_key) {
                (*non_rsa)++; /* "EC PRIVATE KEY", "DSA PRIVATE KEY" */
            }
            g_free(source);
            p = after;
        }
        g_free(end_marker);
        g_free(lab);
        if (!ok)
            return false;
    }
    return true;
}

int tnt_rsa_keyset_load_buffer(tnt_rsa_keyset *ks, const char *name, const uint8_t *data,
                               size_t len, GError **error)
{
    GPtrArray *keys = g_ptr_array_new_with_free_func(key_free);
    unsigned non_rsa = 0;
    bool saw_pem = false;
    int result = -1;
    if (!load_pem_blocks(name, data, len, keys, &non_rsa, &saw_pem, error))
        goto out;
    if (!saw_pem && len > 0) {
        /* No PEM at all: perhaps a DER key. */
        tnt_rsa_key *k = NULL;
        char *source = g_strdup_printf("%s#1", name);
        GError *der_error = NULL;
        import_result r = import_key(data, len, GNUTLS_X509_FMT_DER, source, &k, &der_error);
        g_free(source);
        if (r == IMPORT_OK)
            g_ptr_array_add(keys, k);
        else if (r == IMPORT_NOT_RSA)
            non_rsa++;
        g_clear_error(&der_error); /* garbage: say so below, not as a DER error */
    }
    if (keys->len == 0) {
        if (non_rsa)
            g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_NOT_RSA,
                        "%s: holds %u private key(s), none of them RSA", name, non_rsa);
        else
            g_set_error(error, TNT_RSA_KEY_ERROR, TNT_RSA_KEY_ERROR_NO_KEY,
                        "%s: no private key found (expected PEM \"-----BEGIN RSA PRIVATE "
                        "KEY-----\" or \"-----BEGIN PRIVATE KEY-----\", or a DER key)",
                        name);
        goto out;
    }
    result = (int)keys->len;
    for (unsigned i = 0; i < keys->len; i++)
        g_ptr_array_add(ks->keys, g_ptr_array_index(keys, i));
    g_ptr_array_set_free_func(keys, NULL); /* now owned by the set */
out:
    g_ptr_array_free(keys, TRUE);
    return result;
}

bool tnt_rsa_key_matches_cert(const tnt_rsa_key *k, const uint8_t *cert_der, size_t cert_len)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)cert_der, (unsigned)cert_len};
    uint8_t id[KEY_ID_LEN];
    size_t id_len = sizeof id;
    if (cert_len > UINT_MAX || gnutls_x509_crt_init(&crt) < 0)
        return false;
    bool match = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
                 gnutls_x509_crt_get_pk_algorithm(crt, NULL) == GNUTLS_PK_RSA &&
                 gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, id, &id_len) >= 0 &&
                 id_len == KEY_ID_LEN && memcmp(id, k->id, KEY_ID_LEN) == 0;
    gnutls_x509_crt_deinit(crt);
    return match;
}

const tnt_rsa_key *tnt_rsa_keyset_find_for_cert(const tnt_rsa_keyset *ks, const uint8_t *cert_der,
                                                size_t cert_len)
{
    for (unsigned i = 0; i < ks->keys->len; i++) {
        const tnt_rsa_key *k = g_ptr_array_index(ks->keys, i);
        if (tnt_rsa_key_matches_cert(k, cert_der, cert_len))
            return k;
    }
    return NULL;
}

bool tnt_rsa_key_decrypt_pms(const tnt_rsa_key *k, const uint8_t *epms, size_t epms_len,
                             uint8_t pms[48])
{
    if (epms_len == 0 || epms_len > UINT_MAX)
        return false;
    gnutls_datum_t c = {(unsigned char *)epms, (unsigned)epms_len};
    /* decrypt_data2 fails unless the plaintext is exactly 48 bytes, and does
     * so in constant time (Bleichenbacher hygiene costs nothing here). */
    return gnutls_privkey_decrypt_data2(k->pk, 0, &c, pms, 48) >= 0;
}
