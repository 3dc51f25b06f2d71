/* Key exchange (lib/kx.h): ECDHE on secp256r1 and x25519, RSA key
 * transport, and the signature of the ECDHE ServerKeyExchange (the message
 * itself through the project's encoder and decoder).
 *
 * Independent checks: RFC 7748 5.2/6.1 (x25519) and RFC 5903 8.1 (P-256)
 * vectors; real ServerKeyExchange messages signed by OpenSSL (snet TLS 1.0
 * RSA and ECDSA, TLS 1.1 RSA; made_here TLS 1.2 rsa_pss_rsae_sha256) and by
 * Go (illustrated-tls12, rsa_pkcs1_sha256); and the illustrated-tls12
 * connection recomputed end to end: its published ephemeral private keys
 * give the premaster secret, and tnt_master_secret() of it must equal the
 * master secret in the connection's key log. Data: tests/data/kx and
 * tests/data/illustrated-tls12 (see PROVENANCE.md). */
#include "check.h"

#include "cursor.h"
#include "encode.h"
#include "handshake.h"
#include "kx.h"
#include "prf.h"
#include "rsa_key.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

static blob load(const char *name)
{
    const char *dir = getenv("TNT_TEST_DATA");
    char *path = g_strdup_printf("%s/%s", dir ? dir : "tests/data", name);
    blob b = {NULL, 0};
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL)) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    g_free(path);
    b.p = (uint8_t *)text;
    b.n = len;
    return b;
}

static void unload(blob *b)
{
    g_free(b->p);
    b->p = NULL;
}

/* A handshake message without its 4-byte header, as a cursor. */
static tnt_cursor body_of(const blob *msg, uint8_t want_type)
{
    tnt_cursor c, body;
    uint8_t type;
    tnt_cursor_init(&c, msg->p, msg->n);
    if (!tnt_get_u8(&c, &type) || type != want_type || !tnt_get_u24_prefixed(&c, &body)) {
        fprintf(stderr, "test data: not a handshake message of type %u\n", want_type);
        abort();
    }
    return body;
}

/* version and random of a ClientHello or ServerHello message. */
static uint16_t hello_random(const blob *msg, uint8_t type, uint8_t random[32])
{
    tnt_cursor b = body_of(msg, type);
    uint16_t v = 0;
    if (!tnt_get_u16(&b, &v) || !tnt_copy(&b, random, 32))
        abort();
    return v;
}

/* cipher_suite of a ServerHello message. */
static uint16_t hello_suite(const blob *sh)
{
    tnt_cursor b = body_of(sh, 2), sid;
    uint16_t suite = 0;
    if (!tnt_skip(&b, 34) || !tnt_get_u8_prefixed(&b, &sid) || !tnt_get_u16(&b, &suite))
        abort();
    return suite;
}

/* The ClientHello's signature_algorithms (extension 13); false if absent. */
static bool client_sig_algs(const blob *ch, uint16_t *algs, size_t cap, size_t *n)
{
    tnt_cursor b = body_of(ch, 1), v, exts;
    if (!tnt_skip(&b, 34) || !tnt_get_u8_prefixed(&b, &v) || !tnt_get_u16_prefixed(&b, &v) ||
        !tnt_get_u8_prefixed(&b, &v) || !tnt_get_u16_prefixed(&b, &exts))
        abort();
    while (tnt_cursor_len(&exts)) {
        uint16_t type;
        tnt_cursor data, list;
        if (!tnt_get_u16(&exts, &type) || !tnt_get_u16_prefixed(&exts, &data))
            abort();
        if (type != 13)
            continue;
        if (!tnt_get_u16_prefixed(&data, &list))
            abort();
        *n = 0;
        while (tnt_cursor_len(&list) && *n < cap)
            if (!tnt_get_u16(&list, &algs[(*n)++]))
                abort();
        return true;
    }
    return false;
}

/* The first certificate of a Certificate message. */
static blob first_cert(const blob *msg)
{
    tnt_cursor b = body_of(msg, 11), list, cert;
    if (!tnt_get_u24_prefixed(&b, &list) || !tnt_get_u24_prefixed(&list, &cert))
        abort();
    blob out = {g_memdup2(tnt_cursor_data(&cert), tnt_cursor_len(&cert)), tnt_cursor_len(&cert)};
    return out;
}

/* ---------------------------------------------------------------- x25519 */

static void x25519_vector(const char *scalar_hex, const char *u_hex, const char *out_hex)
{
    uint8_t k[32], u[32], want[32], got[32];
    tnt_kx_ecdhe_key key;
    tnt_error err = {0};
    check_unhex(scalar_hex, k, 32);
    check_unhex(u_hex, u, 32);
    check_unhex(out_hex, want, 32);
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, k, 32, &key, &err));
    CHECK(tnt_kx_ecdhe_shared(&key, u, 32, got, &err));
    CHECK_MEM(got, want, 32);
    tnt_kx_ecdhe_clear(&key);
}

static void test_x25519_rfc7748(void)
{
    /* RFC 7748 5.2: the second vector's u has its top bit set, which X25519
     * must ignore. */
    x25519_vector("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    x25519_vector("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");

    /* RFC 7748 5.2 iteration: k = u = 9; k, u = X25519(k, u), k. */
    uint8_t k[32] = {9}, u[32] = {9}, r[32];
    uint8_t after1[32], after1000[32];
    check_unhex("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", after1, 32);
    check_unhex("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", after1000, 32);
    for (int i = 1; i <= 1000; i++) {
        tnt_kx_ecdhe_key key;
        if (!tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, k, 32, &key, NULL) ||
            !tnt_kx_ecdhe_shared(&key, u, 32, r, NULL)) {
            CHECK(!"x25519 iteration failed");
            break;
        }
        memcpy(u, k, 32);
        memcpy(k, r, 32);
        if (i == 1)
            CHECK_MEM(k, after1, 32);
    }
    CHECK_MEM(k, after1000, 32);

    /* RFC 7748 6.1: both key pairs and the shared secret. */
    uint8_t a[32], b[32], apub[32], bpub[32], shared[32], got[32];
    check_unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a, 32);
    check_unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", apub, 32);
    check_unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b, 32);
    check_unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", bpub, 32);
    check_unhex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", shared, 32);
    tnt_kx_ecdhe_key ka, kb;
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, a, 32, &ka, NULL));
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, b, 32, &kb, NULL));
    CHECK_EQ(ka.pub_len, 32);
    CHECK_EQ(ka.group, TNT_GROUP_X25519);
    CHECK_MEM(ka.pub, apub, 32);
    CHECK_MEM(kb.pub, bpub, 32);
    CHECK_MEM(ka.priv, a, 32); /* stored as given: clamping is the function's */
    CHECK(tnt_kx_ecdhe_shared(&ka, bpub, 32, got, NULL));
    CHECK_MEM(got, shared, 32);
    CHECK(tnt_kx_ecdhe_shared(&kb, apub, 32, got, NULL));
    CHECK_MEM(got, shared, 32);
    CHECK(tnt_kx_ecdhe_check_public(TNT_GROUP_X25519, bpub, 32, NULL));

    /* clear wipes everything */
    tnt_kx_ecdhe_clear(&ka);
    uint8_t zero[sizeof ka];
    memset(zero, 0, sizeof zero);
    CHECK_MEM(&ka, zero, sizeof ka);
}

static void test_x25519_bad(void)
{
    uint8_t a[32], apub[32], pms[32], ff[32];
    tnt_kx_ecdhe_key ka;
    tnt_error err = {0};
    check_unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a, 32);
    check_unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", apub, 32);
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, a, 32, &ka, NULL));
    memset(ff, 0xff, sizeof ff);

    /* Small-order u-coordinates: 0, 1, the two of order 8, p - 1, and the
     * non-canonical p (= 0) and p + 1 (= 1). The output is all zeros and
     * must be refused. */
    static const char *small[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
        uint8_t u[32];
        check_unhex(small[i], u, 32);
        memset(pms, 0xAA, sizeof pms);
        err.what = NULL;
        CHECK(!tnt_kx_ecdhe_shared(&ka, u, 32, pms, &err));
        CHECK_STR(err.what, "x25519 shared secret is all zeros (small-order public value)");
        CHECK_MEM(pms, (uint8_t[32]){0}, 32);
    }

    /* Lengths: every length but 32 is refused, the buffer is never read
     * beyond (ASan checks). */
    for (size_t len = 0; len <= 33; len++) {
        if (len == 32)
            continue;
        uint8_t *u = g_malloc(len ? len : 1);
        memset(u, 9, len);
        err.what = NULL;
        CHECK(!tnt_kx_ecdhe_shared(&ka, u, len, pms, &err));
        CHECK_STR(err.what, "x25519 public value is not 32 bytes");
        CHECK(!tnt_kx_ecdhe_check_public(TNT_GROUP_X25519, u, len, NULL));
        g_free(u);
    }
    CHECK(!tnt_kx_ecdhe_shared(&ka, NULL, 32, pms, &err));
    /* A 65-byte P-256 point given to an x25519 key. */
    uint8_t p65[65] = {4};
    CHECK(!tnt_kx_ecdhe_shared(&ka, p65, 65, pms, NULL));

    /* A private key of the wrong size, an unknown group. */
    tnt_kx_ecdhe_key k;
    CHECK(!tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, a, 31, &k, &err));
    CHECK_STR(err.what, "ECDHE private key is not 32 bytes");
    CHECK(!tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, a, 33, &k, NULL));
    CHECK(!tnt_kx_ecdhe_from_private(0x0018, a, 32, &k, &err));
    CHECK_STR(err.what, "unsupported ECDHE group");
    CHECK(!tnt_kx_ecdhe_generate(0x001e, &k, &err)); /* x448 */
    CHECK_STR(err.what, "unsupported ECDHE group");
    CHECK(!tnt_kx_ecdhe_check_public(0x0018, apub, 32, NULL));
    CHECK(!tnt_kx_ecdhe_supported(0x0018));
    CHECK_EQ(tnt_kx_ecdhe_public_len(0x0018), 0);
    /* A key struct with an unknown group. */
    memset(&k, 0, sizeof k);
    memset(pms, 0xAA, sizeof pms);
    CHECK(!tnt_kx_ecdhe_shared(&k, apub, 32, pms, &err));
    CHECK_MEM(pms, (uint8_t[32]){0}, 32);
    tnt_kx_ecdhe_clear(&ka);
}

/* ---------------------------------------------------------------- P-256 */

/* RFC 5903 8.1 (also NIST CAVP's first P-256 ECDH vector). */
#define RFC5903_I "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433"
#define RFC5903_GI                                                                                 \
    "04dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"                           \
    "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3"
#define RFC5903_R "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53"
#define RFC5903_GR                                                                                 \
    "04d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"                           \
    "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab"
#define RFC5903_GIRX "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"
#define P256_P "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
#define P256_N "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"

static void test_p256_rfc5903(void)
{
    uint8_t i[32], r[32], gi[65], gr[65], girx[32], got[32];
    check_unhex(RFC5903_I, i, 32);
    check_unhex(RFC5903_R, r, 32);
    check_unhex(RFC5903_GI, gi, 65);
    check_unhex(RFC5903_GR, gr, 65);
    check_unhex(RFC5903_GIRX, girx, 32);
    tnt_kx_ecdhe_key ki, kr;
    tnt_error err = {0};
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, i, 32, &ki, &err));
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, r, 32, &kr, &err));
    CHECK_EQ(ki.group, TNT_GROUP_SECP256R1);
    CHECK_EQ(ki.pub_len, 65);
    CHECK_MEM(ki.pub, gi, 65);
    CHECK_MEM(kr.pub, gr, 65);
    CHECK(tnt_kx_ecdhe_check_public(TNT_GROUP_SECP256R1, gi, 65, &err));
    CHECK(tnt_kx_ecdhe_shared(&ki, gr, 65, got, &err));
    CHECK_MEM(got, girx, 32);
    CHECK(tnt_kx_ecdhe_shared(&kr, gi, 65, got, &err));
    CHECK_MEM(got, girx, 32);
    CHECK_EQ(tnt_kx_ecdhe_public_len(TNT_GROUP_SECP256R1), 65);
    CHECK_EQ(tnt_kx_ecdhe_public_len(TNT_GROUP_X25519), 32);
    tnt_kx_ecdhe_clear(&ki);
    tnt_kx_ecdhe_clear(&kr);
}

static void expect_bad_point(const tnt_kx_ecdhe_key *k, const uint8_t *pt, size_t len,
                             const char *what, uint32_t off)
{
    tnt_error err = {0};
    uint8_t pms[32];
    memset(pms, 0xAA, sizeof pms);
    CHECK(!tnt_kx_ecdhe_shared(k, pt, len, pms, &err));
    CHECK_STR(err.what, what);
    CHECK_EQ(err.off, off);
    CHECK_MEM(pms, (uint8_t[32]){0}, 32);
    err.what = NULL;
    CHECK(!tnt_kx_ecdhe_check_public(TNT_GROUP_SECP256R1, pt, len, &err));
    CHECK_STR(err.what, what);
}

static void test_p256_bad(void)
{
    uint8_t i[32], gr[65], pt[66];
    check_unhex(RFC5903_I, i, 32);
    check_unhex(RFC5903_GR, gr, 65);
    tnt_kx_ecdhe_key ki;
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, i, 32, &ki, NULL));

    /* Truncated at every length, and one byte too long (a heap copy of the
     * exact length, so ASan sees any overread). */
    for (size_t len = 0; len <= 66; len++) {
        if (len == 65)
            continue;
        uint8_t *p = g_malloc(len ? len : 1);
        memcpy(p, gr, len < 65 ? len : 65);
        if (len == 66)
            p[65] = 0;
        expect_bad_point(&ki, p, len, "secp256r1 public value is not 65 bytes", 0);
        g_free(p);
    }
    /* Compressed (0x02/0x03 || x, 33 bytes): not accepted (kx.h). */
    pt[0] = 0x02 | (gr[64] & 1);
    memcpy(pt + 1, gr + 1, 32);
    expect_bad_point(&ki, pt, 33, "secp256r1 public value is not 65 bytes", 0);
    /* The identity's encoding is one zero byte. */
    expect_bad_point(&ki, (const uint8_t[]){0}, 1, "secp256r1 public value is not 65 bytes", 0);
    /* 65 bytes with another form byte: hybrid 0x06/0x07, 0x00, 0x05. */
    static const uint8_t forms[] = {0x00, 0x02, 0x03, 0x05, 0x06, 0x07};
    for (size_t f = 0; f < sizeof forms; f++) {
        memcpy(pt, gr, 65);
        pt[0] = forms[f];
        expect_bad_point(&ki, pt, 65, "secp256r1 point is not in uncompressed form (0x04)", 0);
    }
    /* Off the curve: each coordinate changed by one bit, in turn. */
    for (size_t b = 1; b < 65; b += 7) {
        memcpy(pt, gr, 65);
        pt[b] ^= 0x01;
        expect_bad_point(&ki, pt, 65, "secp256r1 point is not on the curve", 0);
    }
    /* (0, 0) and (x, -y)... the latter is on the curve and is fine. */
    memset(pt, 0, 65);
    pt[0] = 4;
    expect_bad_point(&ki, pt, 65, "secp256r1 point is not on the curve", 0);
    /* Coordinates not below p. */
    memcpy(pt, gr, 65);
    check_unhex(P256_P, pt + 1, 32);
    expect_bad_point(&ki, pt, 65, "secp256r1 point: x is not below p", 1);
    memset(pt + 1, 0xff, 32);
    expect_bad_point(&ki, pt, 65, "secp256r1 point: x is not below p", 1);
    memcpy(pt, gr, 65);
    check_unhex(P256_P, pt + 33, 32);
    expect_bad_point(&ki, pt, 65, "secp256r1 point: y is not below p", 33);

    /* An x25519 value given to a P-256 key. */
    uint8_t u[32] = {9};
    expect_bad_point(&ki, u, 32, "secp256r1 public value is not 65 bytes", 0);

    /* Private scalars: 0 and n refused, n-1 and 1 fine (n-1 gives -G). */
    uint8_t d[32];
    tnt_kx_ecdhe_key k;
    tnt_error err = {0};
    memset(d, 0, 32);
    CHECK(!tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, d, 32, &k, &err));
    CHECK_STR(err.what, "secp256r1 private key is not in [1, n-1]");
    check_unhex(P256_N, d, 32);
    CHECK(!tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, d, 32, &k, &err));
    CHECK_STR(err.what, "secp256r1 private key is not in [1, n-1]");
    memset(d, 0xff, 32);
    CHECK(!tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, d, 32, &k, NULL));
    memset(d, 0, 32);
    d[31] = 1;
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, d, 32, &k, NULL));
    uint8_t g[65];
    check_unhex("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
                g, 65);
    CHECK_MEM(k.pub, g, 65);
    check_unhex(P256_N, d, 32);
    d[31] -= 1;
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_SECP256R1, d, 32, &k, NULL));
    CHECK_MEM(k.pub, g, 33); /* -G: same x */
    CHECK(memcmp(k.pub + 33, g + 33, 32) != 0);
    CHECK(tnt_kx_ecdhe_check_public(TNT_GROUP_SECP256R1, k.pub, 65, NULL));
    tnt_kx_ecdhe_clear(&ki);
}

static void test_generate(void)
{
    static const uint16_t groups[] = {TNT_GROUP_SECP256R1, TNT_GROUP_X25519};
    for (size_t gi = 0; gi < 2; gi++) {
        uint16_t g = groups[gi];
        tnt_kx_ecdhe_key a, b, a2;
        uint8_t s1[32], s2[32];
        tnt_error err = {0};
        CHECK(tnt_kx_ecdhe_supported(g));
        CHECK(tnt_kx_ecdhe_generate(g, &a, &err));
        CHECK(tnt_kx_ecdhe_generate(g, &b, &err));
        CHECK_EQ(a.group, g);
        CHECK_EQ(a.pub_len, tnt_kx_ecdhe_public_len(g));
        CHECK(memcmp(a.priv, b.priv, 32) != 0);
        CHECK(memcmp(a.pub, b.pub, a.pub_len) != 0);
        CHECK(tnt_kx_ecdhe_check_public(g, a.pub, a.pub_len, &err));
        /* The public key is the one the private key gives. */
        CHECK(tnt_kx_ecdhe_from_private(g, a.priv, 32, &a2, &err));
        CHECK_MEM(a2.pub, a.pub, a.pub_len);
        CHECK(tnt_kx_ecdhe_shared(&a, b.pub, b.pub_len, s1, &err));
        CHECK(tnt_kx_ecdhe_shared(&b, a.pub, a.pub_len, s2, &err));
        CHECK_MEM(s1, s2, 32);
        tnt_kx_ecdhe_clear(&a);
        tnt_kx_ecdhe_clear(&a2);
        tnt_kx_ecdhe_clear(&b);
    }
}

/* ---------------------------------------------------------------- RSA */

static void test_rsa(void)
{
    blob cert = load("proof/rsa2048.cert.der");
    blob keyf = load("proof/rsa2048.key.pem");
    tnt_rsa_keyset *ks = tnt_rsa_keyset_new();
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks, "rsa2048", keyf.p, keyf.n, NULL), 1);
    const tnt_rsa_key *key = tnt_rsa_keyset_get(ks, 0);
    CHECK(tnt_rsa_key_matches_cert(key, cert.p, cert.n));

    uint8_t pms[48], pms2[48], out[48], enc[512], enc2[512];
    size_t enc_len = 0, enc2_len = 0;
    tnt_error err = {0};
    tnt_kx_rsa_make_pms(0x0303, pms);
    tnt_kx_rsa_make_pms(0x0303, pms2);
    CHECK_EQ(pms[0], 0x03);
    CHECK_EQ(pms[1], 0x03);
    CHECK(memcmp(pms + 2, pms2 + 2, 46) != 0);
    tnt_kx_rsa_make_pms(0x0301, pms2);
    CHECK_EQ(pms2[0], 0x03);
    CHECK_EQ(pms2[1], 0x01);

    CHECK(tnt_kx_rsa_encrypt_pms(cert.p, cert.n, pms, enc, sizeof enc, &enc_len, &err));
    CHECK_EQ(enc_len, 256);
    /* PKCS#1 v1.5 encryption is randomised. */
    CHECK(tnt_kx_rsa_encrypt_pms(cert.p, cert.n, pms, enc2, sizeof enc2, &enc2_len, &err));
    CHECK_EQ(enc2_len, 256);
    CHECK(memcmp(enc, enc2, 256) != 0);
    CHECK(tnt_rsa_key_decrypt_pms(key, enc, enc_len, out));
    CHECK_MEM(out, pms, 48);
    CHECK(tnt_rsa_key_decrypt_pms(key, enc2, enc2_len, out));
    CHECK_MEM(out, pms, 48);

    /* The server side: a good ciphertext gives the client's PMS... */
    tnt_kx_rsa_server_pms(key, enc, enc_len, 0x0303, out);
    CHECK_MEM(out, pms, 48);
    /* ...with the ClientHello version, whatever the plaintext says. */
    uint8_t old[48];
    memcpy(old, pms, 48);
    old[1] = 0x01; /* a downgrade-rollback attempt: 0x0301 inside */
    CHECK(tnt_kx_rsa_encrypt_pms(cert.p, cert.n, old, enc2, sizeof enc2, &enc2_len, NULL));
    tnt_kx_rsa_server_pms(key, enc2, enc2_len, 0x0303, out);
    CHECK_MEM(out, pms, 48);
    /* A damaged ciphertext: client_version || random, and a different
     * random each time; no failure is visible. */
    memcpy(enc2, enc, enc_len);
    enc2[100] ^= 0x40;
    uint8_t r1[48], r2[48];
    tnt_kx_rsa_server_pms(key, enc2, enc_len, 0x0303, r1);
    tnt_kx_rsa_server_pms(key, enc2, enc_len, 0x0303, r2);
    CHECK_EQ(r1[0], 0x03);
    CHECK_EQ(r1[1], 0x03);
    CHECK(memcmp(r1 + 2, pms + 2, 46) != 0);
    CHECK(memcmp(r1 + 2, r2 + 2, 46) != 0);
    /* Short, long and empty ciphertexts, and no key at all. */
    tnt_kx_rsa_server_pms(key, enc, enc_len - 1, 0x0302, r1);
    CHECK_EQ(r1[1], 0x02);
    CHECK(memcmp(r1 + 2, pms + 2, 46) != 0);
    tnt_kx_rsa_server_pms(key, enc, 0, 0x0303, r1);
    CHECK(memcmp(r1 + 2, pms + 2, 46) != 0);
    tnt_kx_rsa_server_pms(NULL, enc, enc_len, 0x0303, r1);
    CHECK(memcmp(r1 + 2, pms + 2, 46) != 0);
    /* A ciphertext for another key: decryption fails, and that is not
     * visible either. */
    {
        blob k2 = load("proof/rsa2048b.key.pem");
        tnt_rsa_keyset *ks2 = tnt_rsa_keyset_new();
        CHECK_EQ(tnt_rsa_keyset_load_buffer(ks2, "rsa2048b", k2.p, k2.n, NULL), 1);
        tnt_kx_rsa_server_pms(tnt_rsa_keyset_get(ks2, 0), enc, enc_len, 0x0303, r1);
        CHECK_EQ(r1[0], 0x03);
        CHECK_EQ(r1[1], 0x03);
        CHECK(memcmp(r1 + 2, pms + 2, 46) != 0);
        tnt_rsa_keyset_free(ks2);
        unload(&k2);
    }

    /* The buffer must hold the modulus size. */
    err.what = NULL;
    CHECK(!tnt_kx_rsa_encrypt_pms(cert.p, cert.n, pms, enc, 255, &enc_len, &err));
    CHECK_STR(err.what, "EncryptedPreMasterSecret does not fit the buffer");
    CHECK(tnt_kx_rsa_encrypt_pms(cert.p, cert.n, pms, enc, 256, &enc_len, NULL));
    /* Non-RSA and RSA-PSS certificates, garbage, truncation, nothing. */
    static const char *not_rsa[] = {"proof/p256.cert.der", "proof/rsapss.cert.der",
                                    "proof/dsa2048.cert.der", "proof/ed25519.cert.der"};
    for (size_t i = 0; i < 4; i++) {
        blob c = load(not_rsa[i]);
        err.what = NULL;
        CHECK(!tnt_kx_rsa_encrypt_pms(c.p, c.n, pms, enc, sizeof enc, &enc_len, &err));
        CHECK_STR(err.what, "server certificate key is not an RSA encryption key");
        unload(&c);
    }
    for (size_t len = 1; len < cert.n; len += 37) {
        err.what = NULL;
        CHECK(!tnt_kx_rsa_encrypt_pms(cert.p, len, pms, enc, sizeof enc, &enc_len, &err));
        CHECK_STR(err.what, "server certificate does not parse");
    }
    CHECK(!tnt_kx_rsa_encrypt_pms(cert.p, 0, pms, enc, sizeof enc, &enc_len, &err));
    CHECK_STR(err.what, "no server certificate");
    CHECK(!tnt_kx_rsa_encrypt_pms(NULL, 10, pms, enc, sizeof enc, &enc_len, NULL));

    /* The illustrated-tls12 server key pair, for a second modulus. */
    blob il_cert_msg = load("handshake/il12-certificate.bin");
    blob il_cert = first_cert(&il_cert_msg);
    blob il_key = load("illustrated-tls12/server.key");
    tnt_rsa_keyset *ks3 = tnt_rsa_keyset_new();
    CHECK_EQ(tnt_rsa_keyset_load_buffer(ks3, "il12", il_key.p, il_key.n, NULL), 1);
    CHECK(tnt_kx_rsa_encrypt_pms(il_cert.p, il_cert.n, pms, enc, sizeof enc, &enc_len, NULL));
    CHECK_EQ(enc_len, 256);
    tnt_kx_rsa_server_pms(tnt_rsa_keyset_get(ks3, 0), enc, enc_len, 0x0303, out);
    CHECK_MEM(out, pms, 48);
    tnt_rsa_keyset_free(ks3);
    unload(&il_key);
    unload(&il_cert);
    unload(&il_cert_msg);

    tnt_rsa_keyset_free(ks);
    unload(&cert);
    unload(&keyf);
}

/* ---------------------------------------------------------------- SKE through the codec */

/* The ServerKeyExchange is encoded by encode_messages.c and decoded by
 * server_key_exchange.c, both tested in test_encode.c and test_messages.c
 * (layouts, truncation, length fields, curve types); what is checked here
 * is what the key exchange relies on: the signed params, the size limits,
 * and signatures through that codec. */

/* Decodes a whole ServerKeyExchange message as peer/tls_client.c does, with
 * the negotiated version and suite. */
static const tnt_server_key_exchange *decode_ske(const uint8_t *m, size_t n, uint16_t version,
                                                 uint16_t suite, tnt_arena *a, tnt_hs_msg *msg)
{
    tnt_hs_ctx ctx = {.version = version, .suite = suite, .from_server = true};
    bool ok = tnt_hs_decode(m, (uint32_t)n, &ctx, a, msg);
    CHECK(ok);
    CHECK(msg->decoded);
    if (!ok)
        fprintf(stderr, "  ServerKeyExchange: %s at %u\n", msg->err.what, msg->err.off);
    return &msg->u.ske;
}

/* The signed ServerECDHParams as peer/tls_client.c takes them: the first
 * 4 + point length bytes of the body (RFC 8422 5.4). */
static tnt_bytes signed_params_of(const tnt_server_key_exchange *s)
{
    tnt_cursor c;
    tnt_bytes p = {0};
    tnt_cursor_init(&c, s->raw.p, s->raw.len);
    CHECK(tnt_read_bytes(&c, 4 + (size_t)s->ec_point.len, &p));
    return p;
}

/* tnt_enc_ecdhe_params() into a fresh builder; the bytes (NULL on error)
 * stay valid until the builder is freed. */
static const uint8_t *params_bytes(tnt_builder *b, uint16_t group, const uint8_t *pt, size_t n,
                                   size_t *len)
{
    tnt_bld_reset(b);
    if (!tnt_enc_ecdhe_params(b, group, tnt_blob_of(pt, n))) {
        *len = 0;
        return NULL;
    }
    return tnt_bld_data(b, len);
}

static void test_params_encode(void)
{
    uint8_t pt[256];
    size_t len = 0;
    const uint8_t *out;
    tnt_builder b;
    tnt_bld_init(&b);
    for (size_t i = 0; i < sizeof pt; i++)
        pt[i] = (uint8_t)i;
    /* The server's shares: x25519 (32 bytes) and uncompressed P-256 (65). */
    out = params_bytes(&b, TNT_GROUP_X25519, pt, 32, &len);
    CHECK_EQ(len, 36);
    CHECK(out != NULL);
    if (out) {
        CHECK_MEM(out, ((const uint8_t[]){3, 0x00, 0x1d, 32}), 4);
        CHECK_MEM(out + 4, pt, 32);
    }
    out = params_bytes(&b, TNT_GROUP_SECP256R1, pt, 65, &len);
    CHECK_EQ(len, 69);
    if (out)
        CHECK_MEM(out, ((const uint8_t[]){3, 0x00, 0x17, 65}), 4);
    /* Point length limits: the u8 prefix holds up to 255; 256 fails and
     * leaves nothing to send. */
    out = params_bytes(&b, TNT_GROUP_X25519, pt, 1, &len);
    CHECK_EQ(len, 5);
    out = params_bytes(&b, TNT_GROUP_X25519, pt, 255, &len);
    CHECK_EQ(len, 259);
    if (out)
        CHECK_EQ(out[3], 255);
    out = params_bytes(&b, TNT_GROUP_X25519, pt, 256, &len);
    CHECK(out == NULL);
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    CHECK(tnt_bld_data(&b, &len) == NULL);

    /* signed content */
    uint8_t cr[32], sr[32], t[64 + 6];
    memset(cr, 0x11, 32);
    memset(sr, 0x22, 32);
    out = params_bytes(&b, TNT_GROUP_X25519, pt, 2, &len);
    CHECK_EQ(len, 6);
    CHECK_EQ(tnt_kx_signed_params_len(6), 70);
    CHECK(tnt_kx_signed_params(cr, sr, out, 6, t, sizeof t));
    CHECK_MEM(t, cr, 32);
    CHECK_MEM(t + 32, sr, 32);
    CHECK_MEM(t + 64, ((const uint8_t[]){3, 0x00, 0x1d, 2, 0, 1}), 6);
    CHECK(!tnt_kx_signed_params(cr, sr, out, 6, t, sizeof t - 1));
    tnt_bld_free(&b);
}

static void test_ske_params(void)
{
    /* illustrated-tls12: ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS 1.2, x25519 */
    blob m = load("handshake/il12-ske-ecdhe.bin");
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    const tnt_server_key_exchange *s = decode_ske(m.p, m.n, 0x0303, 0xc013, &a, &msg);
    CHECK_EQ(s->kind, TNT_SKE_ECDHE);
    CHECK_EQ(s->curve_type.v, 3);
    CHECK_EQ(s->named_curve.v, TNT_GROUP_X25519);
    /* The params are the body's first 36 bytes, and the signature's
     * algorithm follows them directly (offsets from the message start). */
    tnt_bytes params = signed_params_of(s);
    CHECK_EQ(params.len, 36);
    CHECK(params.p == m.p + 4);
    CHECK_EQ(s->curve_type.at.off, 4);
    CHECK_EQ(s->ec_point.at.off + s->ec_point.len, 4 + 36);
    CHECK_EQ(s->sig.scheme.at.off, 4 + 36);
    /* ... and are what the server's encoder writes for its share. */
    tnt_builder b;
    tnt_bld_init(&b);
    size_t len = 0;
    const uint8_t *enc =
        params_bytes(&b, (uint16_t)s->named_curve.v, s->ec_point.p, s->ec_point.len, &len);
    CHECK_EQ(len, params.len);
    if (enc && len == params.len)
        CHECK_MEM(enc, params.p, len);

    /* The largest message: a 255-byte point and a 65535-byte signature
     * through encoder and decoder; one byte more in either fails to encode. */
    uint8_t *big = g_malloc0(0x10000);
    tnt_ske_ecdhe_spec spec = {
        TNT_GROUP_SECP256R1, tnt_blob_of(big, 255), {0x0403, tnt_blob_of(big, 0xFFFF)}};
    tnt_bld_reset(&b);
    CHECK(tnt_enc_ske_ecdhe(&b, 0x0303, &spec));
    const uint8_t *bm = tnt_bld_data(&b, &len);
    CHECK_EQ(len, 4 + 4 + 255 + 2 + 2 + 0xFFFF);
    if (bm) {
        tnt_hs_msg bmsg;
        const tnt_server_key_exchange *bs = decode_ske(bm, len, 0x0303, 0xc02b, &a, &bmsg);
        CHECK_EQ(bs->ec_point.len, 255);
        CHECK_EQ(bs->sig.scheme.v, 0x0403);
        CHECK_EQ(bs->sig.signature.len, 0xFFFF);
        CHECK_EQ(signed_params_of(bs).len, 259);
    }
    tnt_bld_reset(&b);
    spec.point.len = 256;
    CHECK(!tnt_enc_ske_ecdhe(&b, 0x0303, &spec));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    tnt_bld_reset(&b);
    spec.point.len = 255;
    spec.sig.signature.len = 0x10000;
    CHECK(!tnt_enc_ske_ecdhe(&b, 0x0303, &spec));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u16 length");

    /* The decoder takes an empty signature (digitally-signed allows it,
     * RFC 5246 4.7); the signature check is what refuses it. */
    blob cert = load("handshake/il12-certificate.bin");
    blob der = first_cert(&cert);
    uint8_t cr[32] = {0}, sr[32] = {0};
    spec = (tnt_ske_ecdhe_spec){
        TNT_GROUP_X25519, tnt_blob_of(s->ec_point.p, 32), {0x0401, tnt_blob_of(NULL, 0)}};
    tnt_bld_reset(&b);
    CHECK(tnt_enc_ske_ecdhe(&b, 0x0303, &spec));
    bm = tnt_bld_data(&b, &len);
    CHECK_EQ(len, 4 + 36 + 2 + 2);
    if (bm) {
        tnt_hs_msg emsg;
        const tnt_server_key_exchange *es = decode_ske(bm, len, 0x0303, 0xc013, &a, &emsg);
        CHECK_EQ(es->sig.signature.len, 0);
        tnt_bytes ep = signed_params_of(es);
        CHECK_EQ(tnt_kx_ske_verify(0x0303, der.p, der.n, cr, sr, ep.p, ep.len,
                                   es->sig.has_algorithm, (uint16_t)es->sig.scheme.v,
                                   es->sig.signature.p, es->sig.signature.len, NULL, 0, NULL, 0),
                 TNT_PROOF_INVALID);
    }
    unload(&der);
    unload(&cert);
    g_free(big);
    tnt_bld_free(&b);
    tnt_arena_free(&a);
    unload(&m);
}

/* ---------------------------------------------------------------- SKE signatures from captures */

typedef struct capture_case {
    const char *ch, *sh, *ske, *cert; /* ch/sh/ske: handshake messages; cert: DER */
    bool cert_is_msg;                 /* cert is a Certificate message instead */
    size_t record_hdr;                /* bytes before the hello messages (a record header) */
    uint16_t version, group, algorithm;
    tnt_auth auth;
} capture_case;

static void verify_capture(const capture_case *k)
{
    blob ch = load(k->ch), sh = load(k->sh), ske = load(k->ske), cert = load(k->cert);
    if (k->record_hdr) {
        memmove(ch.p, ch.p + k->record_hdr, ch.n - k->record_hdr);
        ch.n -= k->record_hdr;
        memmove(sh.p, sh.p + k->record_hdr, sh.n - k->record_hdr);
        sh.n -= k->record_hdr;
    }
    if (k->cert_is_msg) {
        blob c = first_cert(&cert);
        unload(&cert);
        cert = c;
    }
    uint8_t cr[32], sr[32];
    hello_random(&ch, 1, cr);
    uint16_t version = hello_random(&sh, 2, sr);
    CHECK_EQ(version, k->version);
    uint16_t algs[64];
    size_t n_algs = 0;
    bool has_algs = client_sig_algs(&ch, algs, 64, &n_algs);

    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    const tnt_server_key_exchange *s =
        decode_ske(ske.p, ske.n, version, hello_suite(&sh), &a, &msg);
    tnt_bytes sp = signed_params_of(s);
    tnt_error err = {0};
    CHECK_EQ(s->kind, TNT_SKE_ECDHE);
    CHECK(s->signed_params);
    CHECK_EQ(s->named_curve.v, k->group);
    CHECK_EQ(s->sig.has_algorithm, k->version >= 0x0303);
    CHECK_EQ(s->sig.scheme.v, k->algorithm);
    CHECK(tnt_kx_ecdhe_check_public((uint16_t)s->named_curve.v, s->ec_point.p, s->ec_point.len,
                                    &err));
    CHECK(tnt_kx_cert_fits_auth(cert.p, cert.n, k->auth, NULL, 0));
    CHECK(!tnt_kx_cert_fits_auth(cert.p, cert.n,
                                 k->auth == TNT_AUTH_RSA ? TNT_AUTH_ECDSA : TNT_AUTH_RSA, NULL, 0));

    const uint16_t *list = has_algs ? algs : NULL;
    char why[256];
    tnt_proof_result r =
        tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, sp.p, sp.len, s->sig.has_algorithm,
                          (uint16_t)s->sig.scheme.v, s->sig.signature.p, s->sig.signature.len, list,
                          n_algs, why, sizeof why);
    CHECK_EQ(r, TNT_PROOF_VALID);
    if (r != TNT_PROOF_VALID)
        fprintf(stderr, "  %s: %s\n", k->ske, why);

    /* Any changed bit of the signed content or the signature breaks it. */
    uint8_t *params = g_memdup2(sp.p, sp.len);
    uint8_t *sig = g_memdup2(s->sig.signature.p, s->sig.signature.len);
    for (size_t i = 0; i < sp.len; i++) {
        params[i] ^= 0x01;
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                                   s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                                   s->sig.signature.len, list, n_algs, NULL, 0),
                 TNT_PROOF_INVALID);
        params[i] ^= 0x01;
    }
    for (size_t i = 0; i < 32; i += 31) {
        cr[i] ^= 0x80;
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                                   s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                                   s->sig.signature.len, list, n_algs, NULL, 0),
                 TNT_PROOF_INVALID);
        cr[i] ^= 0x80;
        sr[i] ^= 0x80;
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                                   s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                                   s->sig.signature.len, list, n_algs, NULL, 0),
                 TNT_PROOF_INVALID);
        sr[i] ^= 0x80;
    }
    /* randoms swapped */
    CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, sr, cr, params, sp.len,
                               s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                               s->sig.signature.len, list, n_algs, NULL, 0),
             TNT_PROOF_INVALID);
    for (size_t i = 0; i < s->sig.signature.len; i += 17) {
        sig[i] ^= 0x04;
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                                   s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                                   s->sig.signature.len, list, n_algs, NULL, 0),
                 TNT_PROOF_INVALID);
        sig[i] ^= 0x04;
    }
    /* truncated signature */
    CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                               s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                               s->sig.signature.len - 1, list, n_algs, NULL, 0),
             TNT_PROOF_INVALID);
    /* No signature at all; SSL 3.0 and TLS 1.3 are out of scope. */
    CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                               s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, NULL, 0, list,
                               n_algs, NULL, 0),
             TNT_PROOF_MISSING);
    CHECK_EQ(tnt_kx_ske_verify(0x0300, cert.p, cert.n, cr, sr, params, sp.len, false, 0, sig,
                               s->sig.signature.len, list, n_algs, NULL, 0),
             TNT_PROOF_UNCHECKED);
    /* The version's form must match: a TLS 1.2 signature without its
     * algorithm, or a TLS 1.0 one with one. */
    CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len,
                               !s->sig.has_algorithm, 0x0401, sig, s->sig.signature.len, list,
                               n_algs, NULL, 0),
             TNT_PROOF_INVALID);
    if (s->sig.has_algorithm) {
        /* Another algorithm the key could use, and a list that lacks the
         * one used. */
        uint16_t other = (uint16_t)s->sig.scheme.v == 0x0401 ? 0x0804 : 0x0401;
        uint16_t only_other[] = {other};
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len, true, other,
                                   sig, s->sig.signature.len, only_other, 1, NULL, 0),
                 TNT_PROOF_INVALID);
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, sp.len, true,
                                   (uint16_t)s->sig.scheme.v, sig, s->sig.signature.len, only_other,
                                   1, why, sizeof why),
                 TNT_PROOF_INVALID);
        CHECK(strstr(why, "signature_algorithms") != NULL);
    } else if (version == 0x0301) {
        /* TLS 1.0 and 1.1 sign alike: the same signature holds for 1.1. */
        CHECK_EQ(tnt_kx_ske_verify(0x0302, cert.p, cert.n, cr, sr, params, sp.len, false, 0, sig,
                                   s->sig.signature.len, NULL, 0, NULL, 0),
                 TNT_PROOF_VALID);
    }
    /* Another certificate. */
    blob other = load(k->auth == TNT_AUTH_RSA ? "proof/rsa2048.cert.der" : "proof/p256.cert.der");
    CHECK_EQ(tnt_kx_ske_verify(version, other.p, other.n, cr, sr, params, sp.len,
                               s->sig.has_algorithm, (uint16_t)s->sig.scheme.v, sig,
                               s->sig.signature.len, list, n_algs, NULL, 0),
             TNT_PROOF_INVALID);
    unload(&other);
    tnt_arena_free(&a);
    g_free(params);
    g_free(sig);
    unload(&ch);
    unload(&sh);
    unload(&ske);
    unload(&cert);
}

static void test_ske_captures(void)
{
    static const capture_case cases[] = {
        /* Go, TLS 1.2, x25519, rsa_pkcs1_sha256 */
        {"illustrated-tls12/clienthello", "illustrated-tls12/serverhello",
         "handshake/il12-ske-ecdhe.bin", "handshake/il12-certificate.bin", true, 5, 0x0303,
         TNT_GROUP_X25519, 0x0401, TNT_AUTH_RSA},
        /* OpenSSL 3.0, TLS 1.2, x25519, rsa_pss_rsae_sha256: first handshake,
         * the renegotiation (decrypted), another connection */
        {"kx/made_here-reneg-client-hello.bin", "kx/made_here-reneg-server-hello.bin",
         "kx/made_here-reneg-ske.bin", "kx/made_here-server-cert.der", false, 0, 0x0303,
         TNT_GROUP_X25519, 0x0804, TNT_AUTH_RSA},
        {"kx/made_here-reneg-reneg-client-hello.bin", "kx/made_here-reneg-reneg-server-hello.bin",
         "kx/made_here-reneg-reneg-ske.bin", "kx/made_here-server-cert.der", false, 0, 0x0303,
         TNT_GROUP_X25519, 0x0804, TNT_AUTH_RSA},
        {"kx/made_here-bigresponse-client-hello.bin", "kx/made_here-bigresponse-server-hello.bin",
         "kx/made_here-bigresponse-ske.bin", "kx/made_here-server-cert.der", false, 0, 0x0303,
         TNT_GROUP_X25519, 0x0804, TNT_AUTH_RSA},
        /* OpenSSL, TLS 1.0 RSA (MD5||SHA-1), TLS 1.0 ECDSA (SHA-1), TLS 1.1 RSA */
        {"kx/snet-tls10-ecdhe-rsa-client-hello.bin", "kx/snet-tls10-ecdhe-rsa-server-hello.bin",
         "kx/snet-tls10-ecdhe-rsa-ske.bin", "kx/snet-rsa-server-cert.der", false, 0, 0x0301,
         TNT_GROUP_X25519, 0, TNT_AUTH_RSA},
        {"kx/snet-tls10-ecdhe-ecdsa-client-hello.bin", "kx/snet-tls10-ecdhe-ecdsa-server-hello.bin",
         "kx/snet-tls10-ecdhe-ecdsa-ske.bin", "kx/snet-ecdsa-server-cert.der", false, 0, 0x0301,
         TNT_GROUP_X25519, 0, TNT_AUTH_ECDSA},
        {"kx/snet-tls11-ecdhe-rsa-client-hello.bin", "kx/snet-tls11-ecdhe-rsa-server-hello.bin",
         "kx/snet-tls11-ecdhe-rsa-ske.bin", "kx/snet-rsa-server-cert.der", false, 0, 0x0302,
         TNT_GROUP_X25519, 0, TNT_AUTH_RSA},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        verify_capture(&cases[i]);
}

/* ---------------------------------------------------------------- illustrated-tls12 end to end */

/* The 32 raw bytes of an X25519 PKCS#8 PEM key (RFC 8410: a fixed 16-byte
 * prefix, then the key). */
static void x25519_pem_key(const char *name, uint8_t out[32])
{
    static const uint8_t prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                       0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20};
    blob f = load(name);
    char *text = g_strndup((const char *)f.p, f.n);
    char **lines = g_strsplit(text, "\n", -1);
    gsize der_len = 0;
    guchar *der = g_base64_decode(lines[1], &der_len);
    CHECK_EQ(der_len, 48);
    if (der_len == 48) {
        CHECK_MEM(der, prefix, 16);
        memcpy(out, der + 16, 32);
    }
    g_free(der);
    g_strfreev(lines);
    g_free(text);
    unload(&f);
}

static void test_il12_end_to_end(void)
{
    uint8_t cpriv[32], spriv[32], cr[32], sr[32], ms_want[48], ms[48], pms_c[32], pms_s[32];
    x25519_pem_key("kx/il12-client-ephemeral-private.key", cpriv);
    x25519_pem_key("kx/il12-server-ephemeral-private.key", spriv);
    blob ch = load("illustrated-tls12/clienthello"), sh = load("illustrated-tls12/serverhello");
    blob ske = load("handshake/il12-ske-ecdhe.bin"), cke = load("handshake/il12-cke-ecdhe.bin");
    blob keylog = load("illustrated-tls12-keylog.txt");
    memmove(ch.p, ch.p + 5, ch.n - 5);
    ch.n -= 5;
    memmove(sh.p, sh.p + 5, sh.n - 5);
    sh.n -= 5;
    hello_random(&ch, 1, cr);
    hello_random(&sh, 2, sr);

    /* CLIENT_RANDOM <client random> <master secret> */
    char *line = g_strndup((const char *)keylog.p, keylog.n);
    char **f = g_strsplit_set(g_strstrip(line), " ", -1);
    CHECK_STR(f[0], "CLIENT_RANDOM");
    uint8_t log_cr[32];
    check_unhex(f[1], log_cr, 32);
    CHECK_MEM(log_cr, cr, 32);
    check_unhex(f[2], ms_want, 48);
    g_strfreev(f);
    g_free(line);

    tnt_cursor cb = body_of(&cke, 16);
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    const tnt_server_key_exchange *s = decode_ske(ske.p, ske.n, 0x0303, hello_suite(&sh), &a, &msg);
    tnt_bytes sp = signed_params_of(s);
    tnt_cursor cpoint;
    CHECK(tnt_get_u8_prefixed(&cb, &cpoint));
    CHECK_EQ(tnt_cursor_len(&cpoint), 32);

    /* Each published private key gives the public value on the wire. */
    tnt_kx_ecdhe_key ck, sk;
    tnt_error err = {0};
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, cpriv, 32, &ck, &err));
    CHECK(tnt_kx_ecdhe_from_private(TNT_GROUP_X25519, spriv, 32, &sk, &err));
    CHECK_MEM(ck.pub, tnt_cursor_data(&cpoint), 32);
    CHECK_MEM(sk.pub, s->ec_point.p, 32);
    /* The params a server would build from its key are the ones sent. */
    tnt_builder pb;
    tnt_bld_init(&pb);
    size_t plen = 0;
    const uint8_t *params = params_bytes(&pb, TNT_GROUP_X25519, sk.pub, sk.pub_len, &plen);
    CHECK_EQ(plen, sp.len);
    if (params && plen == sp.len)
        CHECK_MEM(params, sp.p, plen);
    tnt_bld_free(&pb);

    /* Both sides reach the same premaster secret, and it gives the master
     * secret of the key log (TLS 1.2, SHA-256 PRF, no EMS here). */
    CHECK(tnt_kx_ecdhe_shared(&ck, s->ec_point.p, s->ec_point.len, pms_c, &err));
    CHECK(tnt_kx_ecdhe_shared(&sk, tnt_cursor_data(&cpoint), 32, pms_s, &err));
    CHECK_MEM(pms_c, pms_s, 32);
    uint8_t pms_want[32];
    /* as the Illustrated TLS 1.2 Connection page prints it */
    check_unhex("df4a291baa1eb7cfa6934b29b474baad2697e29f1f920dcc77c8a0a088447624", pms_want, 32);
    CHECK_MEM(pms_c, pms_want, 32);
    CHECK(tnt_master_secret(TNT_PRF_SHA256, pms_c, 32, cr, sr, ms));
    CHECK_MEM(ms, ms_want, 48);

    tnt_kx_ecdhe_clear(&ck);
    tnt_kx_ecdhe_clear(&sk);
    tnt_arena_free(&a);
    unload(&ch);
    unload(&sh);
    unload(&ske);
    unload(&cke);
    unload(&keylog);
}

/* ---------------------------------------------------------------- signing */

static void sign_round_trip(uint16_t version, const char *key_file, const char *cert_file,
                            bool has_alg, uint16_t alg, tnt_proof_result want_sign_ok)
{
    blob key = load(key_file), cert = load(cert_file);
    tnt_kx_ecdhe_key eph;
    uint8_t cr[32], sr[32], params[80], sig[1024];
    size_t plen = 0, slen = 0;
    char why[256];
    memset(cr, 0x5a, 32);
    memset(sr, 0xa5, 32);
    CHECK(tnt_kx_ecdhe_generate(TNT_GROUP_SECP256R1, &eph, NULL));
    tnt_builder b;
    tnt_bld_init(&b);
    const uint8_t *pbytes = params_bytes(&b, eph.group, eph.pub, eph.pub_len, &plen);
    CHECK_EQ(plen, 69);
    if (pbytes)
        memcpy(params, pbytes, plen);
    static const uint16_t client_algs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0201};
    bool ok = tnt_kx_ske_sign(version, key.p, key.n, cr, sr, params, plen, has_alg, alg,
                              client_algs, 5, sig, sizeof sig, &slen, why, sizeof why);
    if (want_sign_ok != TNT_PROOF_VALID) {
        CHECK(!ok);
    } else {
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  sign %s 0x%04x: %s\n", key_file, alg, why);
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, plen, has_alg, alg, sig,
                                   slen, client_algs, 5, why, sizeof why),
                 TNT_PROOF_VALID);
        /* The message as peer/tls_server.c sends it and peer/tls_client.c
         * reads it still verifies. */
        tnt_ske_ecdhe_spec spec = {
            eph.group, tnt_blob_of(eph.pub, eph.pub_len), {alg, tnt_blob_of(sig, slen)}};
        tnt_bld_reset(&b);
        CHECK(tnt_enc_ske_ecdhe(&b, version, &spec));
        size_t mlen = 0;
        const uint8_t *m = tnt_bld_data(&b, &mlen);
        CHECK_EQ(mlen, 4 + plen + (has_alg ? 2 : 0) + 2 + slen);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_hs_msg msg;
        /* ECDHE_RSA / ECDHE_ECDSA with AES_128_CBC_SHA: every version */
        uint16_t suite = strstr(key_file, "p256") ? 0xc009 : 0xc013;
        const tnt_server_key_exchange *s = decode_ske(m, mlen, version, suite, &a, &msg);
        tnt_bytes sp = signed_params_of(s);
        CHECK_EQ(sp.len, plen);
        if (sp.len == plen)
            CHECK_MEM(sp.p, params, plen);
        CHECK_EQ(s->sig.has_algorithm, has_alg);
        CHECK_EQ(s->sig.signature.len, slen);
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, sp.p, sp.len,
                                   s->sig.has_algorithm, (uint16_t)s->sig.scheme.v,
                                   s->sig.signature.p, s->sig.signature.len, client_algs, 5, NULL,
                                   0),
                 TNT_PROOF_VALID);
        tnt_arena_free(&a);
        /* Another ephemeral key under the same signature. */
        params[10] ^= 1;
        CHECK_EQ(tnt_kx_ske_verify(version, cert.p, cert.n, cr, sr, params, plen, has_alg, alg, sig,
                                   slen, client_algs, 5, NULL, 0),
                 TNT_PROOF_INVALID);
    }
    tnt_kx_ecdhe_clear(&eph);
    tnt_bld_free(&b);
    unload(&key);
    unload(&cert);
}

static void test_sign(void)
{
    const char *rk = "proof/rsa2048.key.pem", *rc = "proof/rsa2048.cert.der";
    const char *ek = "proof/p256.key.pem", *ec = "proof/p256.cert.der";
    sign_round_trip(0x0303, rk, rc, true, 0x0401, TNT_PROOF_VALID);
    sign_round_trip(0x0303, rk, rc, true, 0x0804, TNT_PROOF_VALID);
    sign_round_trip(0x0303, rk, rc, true, 0x0201, TNT_PROOF_VALID);
    sign_round_trip(0x0303, ek, ec, true, 0x0403, TNT_PROOF_VALID);
    sign_round_trip(0x0301, rk, rc, false, 0, TNT_PROOF_VALID);
    sign_round_trip(0x0302, rk, rc, false, 0, TNT_PROOF_VALID);
    sign_round_trip(0x0301, ek, ec, false, 0, TNT_PROOF_VALID);
    sign_round_trip(0x0302, ek, ec, false, 0, TNT_PROOF_VALID);
    /* Refused: algorithm not fitting the key, not offered, wrong form,
     * SSL 3.0. */
    sign_round_trip(0x0303, rk, rc, true, 0x0403, TNT_PROOF_INVALID);
    sign_round_trip(0x0303, ek, ec, true, 0x0401, TNT_PROOF_INVALID);
    sign_round_trip(0x0303, rk, rc, true, 0x0601, TNT_PROOF_INVALID); /* not in client list */
    sign_round_trip(0x0303, "proof/p384.key.pem", "proof/p384.cert.der", true, 0x0403,
                    TNT_PROOF_INVALID);
    sign_round_trip(0x0303, rk, rc, false, 0, TNT_PROOF_INVALID);
    sign_round_trip(0x0301, rk, rc, true, 0x0401, TNT_PROOF_INVALID);
    sign_round_trip(0x0300, rk, rc, false, 0, TNT_PROOF_INVALID);

    /* TLS 1.0 RSA signatures are deterministic (PKCS#1 v1.5 type 1 over
     * MD5||SHA-1): signing the same content twice gives the same bytes. */
    blob key = load(rk);
    uint8_t cr[32] = {1}, sr[32] = {2}, params[] = {3, 0, 0x1d, 1, 9}, s1[256], s2[256];
    size_t l1 = 0, l2 = 0;
    CHECK(tnt_kx_ske_sign(0x0301, key.p, key.n, cr, sr, params, 5, false, 0, NULL, 0, s1, sizeof s1,
                          &l1, NULL, 0));
    CHECK(tnt_kx_ske_sign(0x0301, key.p, key.n, cr, sr, params, 5, false, 0, NULL, 0, s2, sizeof s2,
                          &l2, NULL, 0));
    CHECK_EQ(l1, 256);
    CHECK_EQ(l2, 256);
    CHECK_MEM(s1, s2, 256);
    /* a buffer too small for the signature */
    CHECK(!tnt_kx_ske_sign(0x0301, key.p, key.n, cr, sr, params, 5, false, 0, NULL, 0, s1, 255, &l1,
                           NULL, 0));
    /* no key, garbage key */
    CHECK(!tnt_kx_ske_sign(0x0301, NULL, 0, cr, sr, params, 5, false, 0, NULL, 0, s1, sizeof s1,
                           &l1, NULL, 0));
    CHECK(!tnt_kx_ske_sign(0x0301, params, 5, cr, sr, params, 5, false, 0, NULL, 0, s1, sizeof s1,
                           &l1, NULL, 0));
    /* Choosing the algorithm for a TLS 1.2 server: the client's first that
     * fits the key. */
    static const uint16_t prefs[] = {0x0403, 0x0804, 0x0401};
    uint16_t pick = 0;
    CHECK(tnt_proof_pick_algorithm(key.p, key.n, prefs, 3, &pick, NULL, 0));
    CHECK_EQ(pick, 0x0804);
    unload(&key);
}

static void test_cert_fits_auth(void)
{
    blob r = load("proof/rsa2048.cert.der"), e = load("proof/p256.cert.der");
    blob pss = load("proof/rsapss.cert.der"), d = load("proof/dsa2048.cert.der");
    char why[128];
    CHECK(tnt_kx_cert_fits_auth(r.p, r.n, TNT_AUTH_RSA, why, sizeof why));
    CHECK_STR(why, "certificate key fits the suite");
    CHECK(!tnt_kx_cert_fits_auth(r.p, r.n, TNT_AUTH_ECDSA, why, sizeof why));
    CHECK_STR(why, "an ECDSA suite needs an id-ecPublicKey certificate key");
    CHECK(tnt_kx_cert_fits_auth(e.p, e.n, TNT_AUTH_ECDSA, NULL, 0));
    CHECK(!tnt_kx_cert_fits_auth(e.p, e.n, TNT_AUTH_RSA, why, sizeof why));
    CHECK_STR(why, "an RSA suite needs an rsaEncryption certificate key");
    CHECK(!tnt_kx_cert_fits_auth(pss.p, pss.n, TNT_AUTH_RSA, NULL, 0));
    CHECK(!tnt_kx_cert_fits_auth(d.p, d.n, TNT_AUTH_DSS, why, sizeof why));
    CHECK_STR(why, "only RSA and ECDSA authentication are supported");
    CHECK(!tnt_kx_cert_fits_auth(r.p, r.n - 1, TNT_AUTH_RSA, why, sizeof why));
    CHECK_STR(why, "certificate does not parse");
    CHECK(!tnt_kx_cert_fits_auth(NULL, 0, TNT_AUTH_RSA, why, sizeof why));
    CHECK_STR(why, "no certificate");
    unload(&r);
    unload(&e);
    unload(&pss);
    unload(&d);
}

int main(void)
{
    test_x25519_rfc7748();
    test_x25519_bad();
    test_p256_rfc5903();
    test_p256_bad();
    test_generate();
    test_rsa();
    test_params_encode();
    test_ske_params();
    test_ske_captures();
    test_il12_end_to_end();
    test_sign();
    test_cert_fits_auth();
    return check_done("test_kx");
}
