/* The GnuTLS wrappers in x509.c, on the illustrated-tls12 server certificate
 * and two certificates made here (tests/data/x509, see PROVENANCE.md). */
#include "check.h"

#include "arena.h"
#include "x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define load check_load_into

/* The certificate inside a Certificate message (one entry at offset 10). */
static size_t load_il12_cert(uint8_t *der, size_t cap)
{
    static uint8_t msg[4096];
    size_t n = load("handshake/il12-certificate.bin", msg, sizeof(msg));
    if (n < 10 || n - 10 > cap)
        return 0;
    memcpy(der, msg + 10, n - 10);
    return n - 10;
}

static void test_il12(void)
{
    static uint8_t der[4096];
    size_t n = load_il12_cert(der, sizeof(der));
    CHECK_EQ(n, 805);
    char buf[256];
    /* Expected strings: openssl x509 -nameopt RFC2253 on the same DER. */
    CHECK(tnt_x509_dn(der, n, false, buf, sizeof(buf)));
    CHECK_STR(buf, "CN=example.ulfheim.net,C=US");
    CHECK(tnt_x509_dn(der, n, true, buf, sizeof(buf)));
    CHECK_STR(buf, "O=Example CA,C=US");

    /* Too small a buffer: false and an empty string, never a cut DN. */
    char small[10];
    CHECK(!tnt_x509_dn(der, n, false, small, sizeof(small)));
    CHECK_STR(small, "");
    char exact[28]; /* 27 characters + NUL */
    CHECK(tnt_x509_dn(der, n, false, exact, sizeof(exact)));
    CHECK(!tnt_x509_dn(der, n, false, exact, 27));

    /* sha256sum of the DER. */
    uint8_t fp[32], want[32];
    check_unhex("c66414aaf6eb0445ccbf2769c0f5ed68dd8940563bf4ebb4b59cdc14d7d71e91", want, 32);
    CHECK(tnt_x509_sha256(der, n, fp));
    CHECK_MEM(fp, want, 32);
    /* SHA-256 of nothing (FIPS 180-4 test value). */
    check_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want, 32);
    CHECK(tnt_x509_sha256(der, 0, fp));
    CHECK_MEM(fp, want, 32);

    tnt_arena a;
    tnt_arena_init(&a);
    char **v;
    uint32_t nv;
    CHECK(tnt_x509_dn_attr(der, n, false, "CN", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    CHECK_STR(v[0], "example.ulfheim.net");
    CHECK(tnt_x509_dn_attr(der, n, true, "o", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    CHECK_STR(v[0], "Example CA");
    CHECK(tnt_x509_dn_attr(der, n, false, "2.5.4.6", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    CHECK_STR(v[0], "US");
    /* Absent attribute: true, none. */
    CHECK(tnt_x509_dn_attr(der, n, false, "OU", &a, &v, &nv));
    CHECK_EQ(nv, 0);
    CHECK(v == NULL);
    /* Unknown names are refused, not silently empty. */
    CHECK(!tnt_x509_dn_attr(der, n, false, "XX", &a, &v, &nv));
    CHECK(!tnt_x509_dn_attr(der, n, false, "2.5.", &a, &v, &nv));
    CHECK(!tnt_x509_dn_attr(der, n, false, "", &a, &v, &nv));

    /* Truncated or empty DER fails cleanly at every length. */
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *cut = malloc(i ? i : 1);
        memcpy(cut, der, i);
        if (tnt_x509_dn(cut, i, false, buf, sizeof(buf)) ||
            tnt_x509_dn_attr(cut, i, false, "CN", &a, &v, &nv))
            bad++;
        free(cut);
    }
    CHECK_EQ(bad, 0);
    CHECK(!tnt_x509_dn(NULL, 0, false, buf, sizeof(buf)));
    tnt_arena_free(&a);
}

static void test_multi(void)
{
    static uint8_t der[4096];
    size_t n = load("x509/multi-ou-utf8.der", der, sizeof(der));
    CHECK(n > 0);
    char buf[512];
    CHECK(tnt_x509_dn(der, n, false, buf, sizeof(buf)));
    CHECK_STR(buf, "CN=Zo\xc3\xab M\xc3\xbcller,OU=\xc3\x89mergences,OU=Clinic,O=TNT Test,"
                   "L=Lausanne,ST=Vaud,C=CH");

    tnt_arena a;
    tnt_arena_init(&a);
    char **v;
    uint32_t nv;
    /* All occurrences, in DN (encoding) order. */
    CHECK(tnt_x509_dn_attr(der, n, false, "OU", &a, &v, &nv));
    CHECK_EQ(nv, 2);
    CHECK_STR(v[0], "Clinic");
    CHECK_STR(v[1], "\xc3\x89mergences");
    CHECK(tnt_x509_dn_attr(der, n, false, "CN", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    CHECK_STR(v[0], "Zo\xc3\xab M\xc3\xbcller");
    static const char *const names[] = {"O", "C", "ST", "L"};
    static const char *const want[] = {"TNT Test", "CH", "Vaud", "Lausanne"};
    for (int i = 0; i < 4; i++) {
        CHECK(tnt_x509_dn_attr(der, n, true, names[i], &a, &v, &nv));
        CHECK_EQ(nv, 1);
        CHECK_STR(v[0], want[i]);
    }
    CHECK_STR(tnt_x509_attr_oid("cn"), "2.5.4.3");
    CHECK_STR(tnt_x509_attr_oid("OU"), "2.5.4.11");
    CHECK_STR(tnt_x509_attr_oid("ST"), "2.5.4.8");
    CHECK(tnt_x509_attr_oid("CNX") == NULL);
    CHECK(tnt_x509_attr_oid(NULL) == NULL);

    /* A NUL inside the subject CN (same length, so the DER still parses;
     * the signature is not checked here): refused, so "Zo\0..." can never
     * be compared as a shorter name. The issuer CN is untouched. The subject
     * comes after the issuer in the DER, hence the last occurrence. */
    uint8_t *p = NULL;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(der + i, "Zo\xc3", 3) == 0)
            p = der + i;
    CHECK(p != NULL);
    if (p) {
        /* A value that merely starts with '#' is text like any other. */
        p[0] = '#';
        CHECK(tnt_x509_dn_attr(der, n, false, "CN", &a, &v, &nv));
        CHECK_EQ(nv, 1);
        if (nv == 1)
            CHECK_STR(v[0], "#o\xc3\xab M\xc3\xbcller");
        p[0] = 'Z';
        /* RFC 4514 specials come back as they are, not escaped. */
        uint8_t *ou = NULL;
        for (size_t i = 0; i + 6 <= n; i++)
            if (memcmp(der + i, "Clinic", 6) == 0)
                ou = der + i;
        CHECK(ou != NULL);
        if (ou) {
            memcpy(ou, "C,i+\\\"", 6);
            CHECK(tnt_x509_dn_attr(der, n, false, "OU", &a, &v, &nv));
            CHECK_EQ(nv, 2);
            if (nv == 2)
                CHECK_STR(v[0], "C,i+\\\"");
            CHECK(tnt_x509_dn(der, n, false, buf, sizeof(buf)));
            CHECK_STR(buf, "CN=Zo\xc3\xab M\xc3\xbcller,OU=\xc3\x89mergences,"
                           "OU=C\\,i\\+\\\\\\\",O=TNT Test,L=Lausanne,ST=Vaud,C=CH");
            memcpy(ou, "Clinic", 6);
        }
        p[1] = 0;
        CHECK(!tnt_x509_dn_attr(der, n, false, "CN", &a, &v, &nv));
        CHECK(tnt_x509_dn_attr(der, n, true, "CN", &a, &v, &nv));
        CHECK_EQ(nv, 1);
        CHECK_STR(v[0], "Zo\xc3\xab M\xc3\xbcller");
        CHECK(tnt_x509_dn_attr(der, n, false, "OU", &a, &v, &nv));
        CHECK_EQ(nv, 2);
    }
    tnt_arena_free(&a);
}

static void test_bmp(void)
{
    static uint8_t der[4096];
    size_t n = load("x509/bmpstring.der", der, sizeof(der));
    CHECK(n > 0);
    tnt_arena a;
    tnt_arena_init(&a);
    char **v;
    uint32_t nv;
    /* BMPString values come back as UTF-8. */
    CHECK(tnt_x509_dn_attr(der, n, false, "CN", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    if (nv == 1)
        CHECK_STR(v[0], "\xce\xa3\xcf\x89\xce\xba\xcf\x81\xce\xac\xcf\x84\xce\xb7\xcf\x82");
    CHECK(tnt_x509_dn_attr(der, n, false, "O", &a, &v, &nv));
    CHECK_EQ(nv, 1);
    if (nv == 1)
        CHECK_STR(v[0], "\xce\xa9mega");
    tnt_arena_free(&a);
}

/* DER DistinguishedNames as in CertificateRequest.certificate_authorities. */
static void test_name_str(void)
{
    static uint8_t msg[256];
    size_t n = load("handshake/snet-tls11-certreq.bin", msg, sizeof(msg));
    CHECK_EQ(n, 41);
    char buf[128];
    CHECK(tnt_x509_name_str(msg + 12, 29, buf, sizeof(buf)));
    CHECK_STR(buf, "CN=Root certificate");
    n = load("handshake/arkime-ssl3-certreq.bin", msg, sizeof(msg));
    CHECK_EQ(n, 52);
    CHECK(tnt_x509_name_str(msg + 11, 41, buf, sizeof(buf)));
    CHECK_STR(buf, "C=CH,O=LO,CN=MO");
    CHECK(!tnt_x509_name_str(msg + 11, 40, buf, sizeof(buf)));
    CHECK_STR(buf, "");
    CHECK(!tnt_x509_name_str(msg + 11, 41, buf, 5));
    CHECK(!tnt_x509_name_str(msg, 0, buf, sizeof(buf)));
}

int main(void)
{
    test_il12();
    test_multi();
    test_bmp();
    test_name_str();
    return check_done("test_x509");
}
