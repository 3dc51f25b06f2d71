/* The certificate cache (tnt/x509.h): answers equal to the uncached
 * functions', bounded size with least-recently-used eviction, chain results
 * kept apart per anchor list, and a certificate that does not parse
 * remembered as such. PKI of tests/data/pki; time fixed at 2030-01-01. */
#include "chain_verify.h"
#include "check.h"
#include "proof_verify.h"
#include "tnt/load.h"
#include "x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T2030 INT64_C(1893456000)

static char pki[512];

static tnt_bytes load(tnt_arena *a, const char *name)
{
    char path[640];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    uint8_t *buf = tnt_arena_alloc(a, 1 << 16);
    size_t n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    tnt_bytes b = {0};
    b.p = buf;
    b.len = (uint32_t)n;
    return b;
}

static uint64_t misses(const tnt_cert_cache *cc)
{
    uint64_t h, m, e;
    tnt_cert_cache_stats(cc, &h, &m, &e);
    return m;
}

static uint64_t evictions(const tnt_cert_cache *cc)
{
    uint64_t h, m, e;
    tnt_cert_cache_stats(cc, &h, &m, &e);
    return e;
}

/* The same strings with and without the cache, the second time from it. */
static void test_same_answers(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_bytes c = load(&a, "physician-rsa.der");
    tnt_cert_cache *cc = tnt_cert_cache_new(0);
    char plain[512], cached[512];
    for (int issuer = 0; issuer < 2; issuer++) {
        CHECK(tnt_x509_dn(c.p, c.len, issuer, plain, sizeof plain));
        for (int round = 0; round < 2; round++) {
            CHECK(tnt_x509_dn_cached(cc, c.p, c.len, issuer, cached, sizeof cached));
            CHECK_STR(cached, plain);
        }
        char **v1, **v2;
        uint32_t n1, n2;
        CHECK(tnt_x509_dn_attr(c.p, c.len, issuer, "O", &a, &v1, &n1));
        CHECK(tnt_x509_dn_attr_cached(cc, c.p, c.len, issuer, "O", &a, &v2, &n2));
        CHECK_EQ(n1, n2);
        CHECK(n1 == 1 && n2 == 1);
        if (n1 == 1 && n2 == 1) {
            CHECK_STR(v2[0], v1[0]);
            CHECK(v1[0] != v2[0]); /* the caller's copy, not the entry's */
        }
    }
    uint8_t f1[32], f2[32];
    CHECK(tnt_x509_sha256(c.p, c.len, f1));
    for (int round = 0; round < 2; round++) {
        memset(f2, 0, sizeof f2);
        CHECK(tnt_x509_sha256_cached(cc, c.p, c.len, f2));
        CHECK(memcmp(f1, f2, 32) == 0);
    }
    /* Too small a buffer fails as without the cache. */
    CHECK(!tnt_x509_dn_cached(cc, c.p, c.len, false, cached, 8));
    CHECK(!tnt_x509_dn(c.p, c.len, false, plain, 8));
    CHECK_EQ(tnt_cert_cache_count(cc), 1);
    CHECK_EQ(misses(cc), 1);
    tnt_cert_cache_free(cc);
    tnt_arena_free(&a);
}

static void test_eviction(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_bytes x = load(&a, "physician-rsa.der"), y = load(&a, "clinic-rsa.der"),
              z = load(&a, "smb-ca-rsa.der");
    tnt_cert_cache *cc = tnt_cert_cache_new(2);
    char dn[512];
    CHECK(tnt_x509_dn_cached(cc, x.p, x.len, false, dn, sizeof dn));
    CHECK(tnt_x509_dn_cached(cc, y.p, y.len, false, dn, sizeof dn));
    CHECK(tnt_x509_dn_cached(cc, x.p, x.len, false, dn, sizeof dn)); /* x used last */
    CHECK_EQ(misses(cc), 2);
    CHECK_EQ(evictions(cc), 0);
    CHECK(tnt_x509_dn_cached(cc, z.p, z.len, false, dn, sizeof dn)); /* y goes */
    CHECK_EQ(tnt_cert_cache_count(cc), 2);
    CHECK_EQ(evictions(cc), 1);
    CHECK(tnt_x509_dn_cached(cc, x.p, x.len, false, dn, sizeof dn)); /* still there */
    CHECK_EQ(misses(cc), 3);
    CHECK(tnt_x509_dn_cached(cc, y.p, y.len, false, dn, sizeof dn)); /* parsed again */
    CHECK_EQ(misses(cc), 4);
    CHECK_EQ(evictions(cc), 2);
    CHECK_EQ(tnt_cert_cache_count(cc), 2);
    char plain[512];
    CHECK(tnt_x509_dn(y.p, y.len, false, plain, sizeof plain));
    CHECK_STR(dn, plain);
    tnt_cert_cache_free(cc);
    tnt_arena_free(&a);
}

/* One certificate, two anchor lists: each gets its own result, and asking
 * again gives the same result as verifying without the cache. */
static void test_two_anchor_sets(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_anchor_set smb, other;
    tnt_anchors_init(&smb, &a);
    tnt_anchors_init(&other, &a);
    char path[640];
    tnt_error err = {0};
    snprintf(path, sizeof path, "%s/smb-ca-rsa.pem", pki);
    CHECK(tnt_anchors_add_file(&smb, path, NULL, 0, &err));
    snprintf(path, sizeof path, "%s/acme-ca-rsa.pem", pki);
    CHECK(tnt_anchors_add_file(&other, path, NULL, 0, &err));
    const tnt_anchor *as[1] = {&smb.v[0]}, *ao[1] = {&other.v[0]};
    tnt_bytes chain[1];
    chain[0] = load(&a, "physician-rsa.der");
    tnt_cert_cache *cc = tnt_cert_cache_new(0);

    tnt_chain_result plain_s, plain_o, r;
    CHECK(tnt_chain_verify(as, 1, chain, 1, T2030, &a, &plain_s));
    CHECK(tnt_chain_verify(ao, 1, chain, 1, T2030, &a, &plain_o));
    CHECK_EQ(plain_s.status, TNT_CHAIN_VALID);
    CHECK_EQ(plain_o.status, TNT_CHAIN_INVALID);
    for (int round = 0; round < 2; round++) {
        CHECK(tnt_chain_verify_cached(cc, as, 1, chain, 1, T2030, &a, &r));
        CHECK_EQ(r.status, TNT_CHAIN_VALID);
        CHECK(r.anchor == &smb.v[0]);
        CHECK(r.reason == NULL);
        CHECK(tnt_chain_verify_cached(cc, ao, 1, chain, 1, T2030, &a, &r));
        CHECK_EQ(r.status, TNT_CHAIN_INVALID);
        CHECK_EQ(r.gnutls_status, plain_o.gnutls_status);
        CHECK(r.anchor == NULL);
        CHECK(r.reason && plain_o.reason);
        if (r.reason && plain_o.reason)
            CHECK_STR(r.reason, plain_o.reason);
    }
    /* Another time is another question. */
    CHECK(tnt_chain_verify_cached(cc, as, 1, chain, 1, INT64_C(4133980800), &a, &r));
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    CHECK_EQ(tnt_cert_cache_count(cc), 1);
    CHECK_EQ(misses(cc), 1);
    tnt_cert_cache_free(cc);
    tnt_arena_free(&a);
}

static void test_not_parsing(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_bytes c = load(&a, "physician-rsa.der");
    uint8_t bad[64];
    memcpy(bad, c.p, sizeof bad); /* a certificate cut short */
    tnt_cert_cache *cc = tnt_cert_cache_new(0);
    char dn[512] = "x";
    for (int round = 0; round < 2; round++) {
        CHECK(!tnt_x509_parses(cc, bad, sizeof bad));
        CHECK(!tnt_x509_dn_cached(cc, bad, sizeof bad, false, dn, sizeof dn));
        CHECK_STR(dn, "");
        char **v;
        uint32_t n;
        CHECK(!tnt_x509_dn_attr_cached(cc, bad, sizeof bad, true, "O", &a, &v, &n));
        CHECK_EQ(n, 0);
        char r1[256], r2[256];
        const uint8_t sig[4] = {1, 2, 3, 4}, tr[4] = {5, 6, 7, 8};
        tnt_proof_result p1 = tnt_proof_verify(0x0303, bad, sizeof bad, false, 0, sig, 4, tr, 4,
                                               NULL, 0, r1, sizeof r1);
        tnt_proof_result p2 = tnt_proof_verify_cached(cc, 0x0303, bad, sizeof bad, false, 0, sig, 4,
                                                      tr, 4, NULL, 0, r2, sizeof r2);
        CHECK_EQ(p1, p2);
        CHECK_EQ(p2, TNT_PROOF_INVALID);
        CHECK_STR(r2, r1);
    }
    /* One entry, made once: the failure is remembered, not retried. */
    CHECK_EQ(tnt_cert_cache_count(cc), 1);
    CHECK_EQ(misses(cc), 1);
    CHECK(tnt_x509_parses(cc, c.p, c.len));
    CHECK_EQ(tnt_cert_cache_count(cc), 2);
    tnt_cert_cache_free(cc);
    tnt_arena_free(&a);
}

int main(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    snprintf(pki, sizeof pki, "%s/pki", dir ? dir : "tests/data");
    test_same_answers();
    test_eviction();
    test_two_anchor_sets();
    test_not_parsing();
    return check_done("cert_cache");
}
