/* RSA private keys: loading (PKCS#1, PKCS#8, DER, several per file), matching
 * the server certificate, and decrypting the real EncryptedPreMasterSecret of
 * scapy-ssl_tls's RSA_WITH_AES_128_CBC_SHA_w_key.pcap into the pre-master
 * secret tshark derives from the same key. */
#include "check.h"
#include "cursor.h"
#include "prf.h"
#include "rsa_key.h"
#include "tnt/load.h"

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define load check_load

static char *path_of(const char *name)
{
    const char *dir = getenv("TNT_TEST_DATA");
    return g_build_filename(dir ? dir : "tests/data", name, NULL);
}

/* A throwaway P-256 key (openssl genpkey), for "no RSA key here". */
static const char ec_key[] = "-----BEGIN PRIVATE KEY-----\n"
                             "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7LmS0310ADZ/oYVa\n"
                             "fLbE7Uu9VGntUghx6zlI5wpVjw+hRANCAASSd+qC7Rr5DyCk7RxvdaDJvkeM+Lp9\n"
                             "FcAowonLfUhBZ3i7ZF7pQfG90yZwtG+8Xqx89NJc69NTOgcgeEFUVdZE\n"
                             "-----END PRIVATE KEY-----\n";

static void test_scapy_decrypt(void)
{
    tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
    GError *err = NULL;
    char *p = path_of("scapy-ssl_tls-openssl_1_0_1_f_server.pem");
    /* The file holds a certificate, then the key: only the key counts. */
    CHECK_EQ(tnt_rsa_keyset_load_file(ks, p, &err), 1);
    CHECK(err == NULL);
    CHECK_EQ(tnt_rsa_keyset_count(ks), 1);
    const tnt_rsa_key *k = tnt_rsa_keyset_get(ks, 0);
    CHECK(k != NULL);
    CHECK(tnt_rsa_keyset_get(ks, 1) == NULL);
    CHECK_EQ(tnt_rsa_key_bits(k), 2048);
    char *src = g_strdup_printf("%s#1", p);
    CHECK_STR(tnt_rsa_key_source(k), src);
    g_free(src);
    g_free(p);

    /* The server certificate as sent in the capture matches; the one from
     * the sibling capture (a different server) does not. */
    size_t cl, nl;
    uint8_t *cert = load("scapy-ssl_tls-server-cert.der", &cl);
    uint8_t *other = load("scapy-ssl_tls-nokey-server-cert.der", &nl);
    CHECK(tnt_rsa_keyset_find_for_cert(ks, cert, cl) == k);
    CHECK(tnt_rsa_key_matches_cert(k, cert, cl));
    CHECK(tnt_rsa_keyset_find_for_cert(ks, other, nl) == NULL);
    CHECK(!tnt_rsa_key_matches_cert(k, cert, cl - 1));
    CHECK(!tnt_rsa_key_matches_cert(k, cert, 0));
    /* A truncated certificate never matches (and never crashes). */
    unsigned matches = 0;
    for (size_t n = 0; n < cl; n++) {
        uint8_t *copy = g_memdup2(cert, n ? n : 1);
        matches += tnt_rsa_key_matches_cert(k, copy, n);
        g_free(copy);
    }
    CHECK_EQ(matches, 0);

    /* The ClientKeyExchange: the last message of the transcript. */
    size_t hl;
    uint8_t *hs = load("scapy-ssl_tls-rsa-tls10-handshake.bin", &hl);
    tnt_cursor c, msg, last;
    tnt_cursor_init(&c, hs, hl);
    uint8_t type = 0, last_type = 0, cr[32] = {0}, sr[32] = {0};
    while (tnt_get_u8(&c, &type) && tnt_get_u24_prefixed(&c, &msg)) {
        if (type == 1 || type == 2) {
            tnt_cursor r = msg;
            CHECK(tnt_skip(&r, 2) && tnt_copy(&r, type == 1 ? cr : sr, 32));
        }
        last = msg;
        last_type = type;
    }
    CHECK_EQ(last_type, 16);
    tnt_bytes epms;
    CHECK(tnt_read_vec16(&last, &epms));
    CHECK_EQ(epms.len, 256);

    uint8_t pms[48], want[48], ms[48];
    CHECK(tnt_rsa_key_decrypt_pms(k, epms.p, epms.len, pms));
    /* tshark -o 'uat:rsa_keys:"openssl_1_0_1_f_server.pem",""' -o tls.debug_file:... */
    check_unhex("0303766c57ed5b83ff5aa5c42bf29263d49490869590dffeeaf1b27103ec72b8"
                "45ad66f25367781ff6dc4bac008c2c30",
                want, sizeof want);
    CHECK_MEM(pms, want, 48);
    CHECK(tnt_master_secret(TNT_PRF_TLS10, pms, 48, cr, sr, ms));
    check_unhex("b92a181ec81a468f1d4feb21dd70b09c45bb3dc6b2f3cf4bbf6d8ac1d61609f9"
                "2ba73e6652daf255afacf0e16c286a8d",
                want, sizeof want);
    CHECK_MEM(ms, want, 48);

    /* Damaged ciphertexts do not decrypt: flipped byte, one byte short or
     * long, empty. */
    uint8_t bad[257];
    memcpy(bad, epms.p, 256);
    bad[100] ^= 1;
    CHECK(!tnt_rsa_key_decrypt_pms(k, bad, 256, pms));
    memcpy(bad, epms.p, 256);
    bad[256] = 0;
    CHECK(!tnt_rsa_key_decrypt_pms(k, bad, 255, pms));
    CHECK(!tnt_rsa_key_decrypt_pms(k, bad, 257, pms));
    CHECK(!tnt_rsa_key_decrypt_pms(k, bad, 0, pms));

    g_free(hs);
    g_free(cert);
    g_free(other);
    tnt_rsa_keyset_free(ks);
}

/* The first certificate of a Certificate handshake record (caps file). */
static uint8_t *cert_from_record(const char *file, size_t *len)
{
    size_t rl;
    uint8_t *rec = load(file, &rl);
    tnt_cursor c, list, cert;
    uint8_t type;
    tnt_cursor_init(&c, rec, rl);
    CHECK(tnt_skip(&c, 5) && tnt_get_u8(&c, &type) && type == 11 && tnt_skip(&c, 3) &&
          tnt_get_u24_prefixed(&c, &list) && tnt_get_u24_prefixed(&list, &cert));
    *len = tnt_cursor_len(&cert);
    uint8_t *out = g_memdup2(tnt_cursor_data(&cert), *len);
    g_free(rec);
    return out;
}

static void test_formats_and_sets(void)
{
    size_t l1, l8, ls;
    uint8_t *pkcs1 = load("illustrated-tls12/server.key", &l1);
    uint8_t *pkcs8 = load("illustrated-tls12/server.pkcs8.key", &l8);
    uint8_t *scapy = load("scapy-ssl_tls-openssl_1_0_1_f_server.pem", &ls);
    size_t cl, sl;
    uint8_t *ill_cert = cert_from_record("illustrated-tls12/servercert", &cl);
    uint8_t *scapy_cert = load("scapy-ssl_tls-server-cert.der", &sl);
    GError *err = NULL;

    tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "pkcs1", pkcs1, l1, &err), 1);
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "pkcs8", pkcs8, l8, &err), 1);
    CHECK(err == NULL);
    const tnt_rsa_key *a = tnt_rsa_keyset_get(ks, 0), *b = tnt_rsa_keyset_get(ks, 1);
    size_t ia, ib;
    const uint8_t *ida = tnt_rsa_key_id(a, &ia), *idb = tnt_rsa_key_id(b, &ib);
    CHECK_EQ(ia, 32);
    CHECK_EQ(ib, 32);
    CHECK_MEM(ida, idb, 32); /* the same key in two encodings */
    CHECK_STR(tnt_rsa_key_source(b), "pkcs8#1");
    CHECK(tnt_rsa_key_matches_cert(b, ill_cert, cl));
    CHECK(!tnt_rsa_key_matches_cert(b, scapy_cert, sl));
    tnt_rsa_keyset_free(ks);

    /* Several keys in one buffer, among other PEM blocks and an EC key. */
    GString *all = g_string_new(NULL);
    g_string_append_len(all, (const char *)scapy, (gssize)ls);
    g_string_append(all, "\nsome text between blocks\n");
    g_string_append(all, ec_key);
    g_string_append_len(all, (const char *)pkcs8, (gssize)l8);
    ks = tnt_rsa_keyset_new();
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "all", (const uint8_t *)all->str, all->len, &err), 2);
    CHECK_EQ(tnt_rsa_keyset_count(ks), 2);
    const tnt_rsa_key *ks0 = tnt_rsa_keyset_get(ks, 0), *ks1 = tnt_rsa_keyset_get(ks, 1);
    CHECK_STR(tnt_rsa_key_source(ks0), "all#1");
    CHECK_STR(tnt_rsa_key_source(ks1), "all#3"); /* #2 was the EC key */
    CHECK(tnt_rsa_keyset_find_for_cert(ks, scapy_cert, sl) == ks0);
    CHECK(tnt_rsa_keyset_find_for_cert(ks, ill_cert, cl) == ks1);
    CHECK(tnt_rsa_keyset_find_for_cert(ks, (const uint8_t *)"garbage", 7) == NULL);
    g_string_free(all, TRUE);

    /* DER: the same key exported by GnuTLS itself, and every truncation of it. */
    gnutls_x509_privkey_t x;
    gnutls_datum_t pem = {pkcs1, (unsigned)l1}, der = {NULL, 0};
    CHECK(gnutls_x509_privkey_init(&x) == 0);
    CHECK(gnutls_x509_privkey_import(x, &pem, GNUTLS_X509_FMT_PEM) == 0);
    CHECK(gnutls_x509_privkey_export2_pkcs8(x, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN,
                                            &der) == 0);
    gnutls_x509_privkey_deinit(x);
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "der", der.data, der.size, &err), 1);
    CHECK(tnt_rsa_keyset_find_for_cert(ks, ill_cert, cl) == ks1); /* first match wins */
    unsigned loaded = 0;
    for (size_t n = 0; n < der.size; n++) {
        uint8_t *copy = g_memdup2(der.data, n ? n : 1);
        int r = tnt_rsa_keyset_load_buffer(ks, "der", copy, n, &err);
        loaded += r > 0;
        CHECK(r == -1 && err != NULL);
        g_clear_error(&err);
        g_free(copy);
    }
    CHECK_EQ(loaded, 0);
    CHECK_EQ(tnt_rsa_keyset_count(ks), 3); /* failures added nothing */
    gnutls_free(der.data);
    tnt_rsa_keyset_free(ks);

    g_free(pkcs1);
    g_free(pkcs8);
    g_free(scapy);
    g_free(ill_cert);
    g_free(scapy_cert);
}

static void check_error(const char *text, size_t len, int code, const char *needle)
{
    tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
    GError *err = NULL;
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "k.pem", (const uint8_t *)text, len, &err), -1);
    CHECK(err != NULL && g_error_matches(err, TNT_RSA_KEY_ERROR, code));
    if (err && !strstr(err->message, needle)) {
        fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err->message, needle);
        CHECK(0);
    }
    CHECK_EQ(tnt_rsa_keyset_count(ks), 0);
    g_clear_error(&err);
    tnt_rsa_keyset_free(ks);
}

static void test_errors(void)
{
    size_t ls;
    uint8_t *scapy = load("scapy-ssl_tls-openssl_1_0_1_f_server.pem", &ls);
    const char *text = (const char *)scapy;
    const char *key_begin = strstr(text, "-----BEGIN RSA PRIVATE KEY-----");
    const char *key_end = strstr(text, "-----END RSA PRIVATE KEY-----");
    CHECK(key_begin && key_end);
    size_t key_off = (size_t)(key_begin - text), end_off = (size_t)(key_end - text);

    check_error("", 0, TNT_RSA_KEY_ERROR_NO_KEY, "k.pem: no private key found");
    check_error("hello world\n", 12, TNT_RSA_KEY_ERROR_NO_KEY, "no private key found");
    /* Only the certificate. */
    check_error(text, key_off, TNT_RSA_KEY_ERROR_NO_KEY, "no private key found");
    /* Cut inside the key: no END line. */
    check_error(text, key_off + 200, TNT_RSA_KEY_ERROR_PARSE, "truncated PEM block");
    /* Base64 damaged but framed. */
    GString *s = g_string_new_len(text, (gssize)ls);
    s->str[key_off + 40] = '!';
    s->str[key_off + 41] = '!';
    check_error(s->str, s->len, TNT_RSA_KEY_ERROR_PARSE, "k.pem#1: cannot parse private key");
    /* Key body cut short but END line kept. */
    g_string_assign(s, "");
    g_string_append_len(s, key_begin, 300);
    g_string_append(s, "\n-----END RSA PRIVATE KEY-----\n");
    check_error(s->str, s->len, TNT_RSA_KEY_ERROR_PARSE, "cannot parse private key");
    g_string_free(s, TRUE);
    check_error(ec_key, strlen(ec_key), TNT_RSA_KEY_ERROR_NOT_RSA, "none of them RSA");
    const char enc[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n"
                       "-----END ENCRYPTED PRIVATE KEY-----\n";
    check_error(enc, strlen(enc), TNT_RSA_KEY_ERROR_ENCRYPTED, "password-protected");
    const char legacy[] = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                          "DEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nMIIB\n"
                          "-----END RSA PRIVATE KEY-----\n";
    check_error(legacy, strlen(legacy), TNT_RSA_KEY_ERROR_ENCRYPTED, "password-protected");
    check_error("-----BEGIN RSA PRIV", 19, TNT_RSA_KEY_ERROR_PARSE, "truncated PEM header");

    /* Every prefix of the PEM file: a key only once the END line is complete,
     * else a clean error. */
    unsigned ok = 0, failed = 0;
    size_t full = end_off + strlen("-----END RSA PRIVATE KEY-----");
    for (size_t n = 0; n <= ls; n++) {
        uint8_t *copy = g_memdup2(scapy, n ? n : 1);
        tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
        GError *err = NULL;
        int r = tnt_rsa_keyset_load_buffer(ks, "p", copy, n, &err);
        if (r == 1)
            ok++;
        else
            failed += r == -1 && err != NULL;
        CHECK_EQ(r, n >= full ? 1 : -1);
        g_clear_error(&err);
        tnt_rsa_keyset_free(ks);
        g_free(copy);
    }
    CHECK_EQ(ok, ls - full + 1);
    CHECK_EQ(failed, full);

    /* Unreadable file. */
    tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
    GError *err = NULL;
    CHECK_EQ(tnt_rsa_keyset_load_file(ks, "/nonexistent/key.pem", &err), -1);
    CHECK(err != NULL && g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT));
    g_clear_error(&err);
    tnt_rsa_keyset_free(ks);
    tnt_rsa_keyset_free(NULL);
    g_free(scapy);
}

int main(void)
{
    test_scapy_decrypt();
    test_formats_and_sets();
    test_errors();
    return check_done("test_rsa_key");
}
