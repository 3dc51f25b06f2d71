/* Name tables: exact values from the IANA registries and the RFCs that define
 * the cipher parameters, plus the structural property the suite lookup relies
 * on (a strictly sorted table). */
#include "check.h"
#include "codepoints.h"
#include "names.h"

/* Number of assigned values in the IANA TLS Cipher Suites registry, incl. the
 * two SCSVs and excluding GREASE/reserved ranges. */
#define IANA_SUITE_COUNT 352

static void check_suite(uint16_t id, const char *name, tnt_kx kx, tnt_auth auth, tnt_cipher cipher,
                        tnt_mac mac, tnt_suite_prf prf, bool exportable)
{
    const tnt_suite_info *s = tnt_suite_lookup(id);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "  suite 0x%04X missing\n", id);
        return;
    }
    CHECK_EQ(s->id, id);
    CHECK_STR(s->name, name);
    CHECK_STR(tnt_suite_name(id), name);
    CHECK_EQ(s->kx, kx);
    CHECK_EQ(s->auth, auth);
    CHECK_EQ(s->cipher, cipher);
    CHECK_EQ(s->mac, mac);
    CHECK_EQ(s->prf, prf);
    CHECK_EQ(s->exportable, exportable);
}

static void test_suite_table_sorted(void)
{
    /* An out-of-order entry makes the binary search miss some ids, so every
     * registry entry being reachable (the count) plus each hit carrying the id
     * asked for proves the order. */
    unsigned found = 0;
    uint32_t prev = 0;
    bool first = true;
    for (uint32_t id = 0; id <= 0xFFFF; id++) {
        const tnt_suite_info *s = tnt_suite_lookup((uint16_t)id);
        if (!s)
            continue;
        CHECK_EQ(s->id, id);
        CHECK(s->name != NULL && strncmp(s->name, "TLS_", 4) == 0);
        CHECK(first || id > prev);
        /* Every suite is fully described unless it is a signal (SCSV) or uses
         * an algorithm the enums cannot express. */
        if (s->cipher != TNT_CIPHER_UNKNOWN && s->kx != TNT_KX_UNKNOWN) {
            const tnt_cipher_info *ci = tnt_cipher_lookup(s->cipher);
            CHECK(ci != NULL);
            CHECK(s->mac != TNT_MAC_UNKNOWN);
            if (ci)
                CHECK_EQ(ci->aead, s->mac == TNT_MAC_AEAD);
        }
        if (s->kx == TNT_KX_TLS13)
            CHECK_EQ(s->auth, TNT_AUTH_UNKNOWN);
        first = false;
        prev = id;
        found++;
    }
    CHECK_EQ(found, IANA_SUITE_COUNT);
}

static void test_suites(void)
{
    /* First and last of the registry. */
    check_suite(0x0000, "TLS_NULL_WITH_NULL_NULL", TNT_KX_NULL, TNT_AUTH_NULL, TNT_CIPHER_NULL,
                TNT_MAC_NULL, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", TNT_KX_ECDHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_128_CCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    CHECK(tnt_suite_lookup(0xD004) == NULL); /* hole in the D0 block */
    CHECK(tnt_suite_lookup(0xD006) == NULL);
    CHECK(tnt_suite_lookup(0xFFFF) == NULL);

    /* RSA key transport, incl. export. */
    check_suite(0x0001, "TLS_RSA_WITH_NULL_MD5", TNT_KX_RSA, TNT_AUTH_RSA, TNT_CIPHER_NULL,
                TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_RC4_40, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, true);
    check_suite(0x0004, "TLS_RSA_WITH_RC4_128_MD5", TNT_KX_RSA, TNT_AUTH_RSA, TNT_CIPHER_RC4_128,
                TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_RC2_40_CBC, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, true);
    check_suite(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA, TNT_CIPHER_IDEA_CBC,
                TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_DES40_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, true);
    check_suite(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_3DES_EDE_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x003B, "TLS_RSA_WITH_NULL_SHA256", TNT_KX_RSA, TNT_AUTH_RSA, TNT_CIPHER_NULL,
                TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);

    /* Static and ephemeral DH, anonymous DH. */
    check_suite(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", TNT_KX_DH, TNT_AUTH_DSS,
                TNT_CIPHER_DES40_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, true);
    check_suite(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA", TNT_KX_DH, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", TNT_KX_DHE, TNT_AUTH_DSS,
                TNT_CIPHER_3DES_EDE_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", TNT_KX_DHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", TNT_KX_DHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);
    check_suite(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", TNT_KX_DHE, TNT_AUTH_NULL,
                TNT_CIPHER_RC4_128, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", TNT_KX_DHE, TNT_AUTH_NULL,
                TNT_CIPHER_RC4_40, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, true);

    /* Kerberos. */
    check_suite(0x001E, "TLS_KRB5_WITH_DES_CBC_SHA", TNT_KX_KRB5, TNT_AUTH_KRB5, TNT_CIPHER_DES_CBC,
                TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5", TNT_KX_KRB5, TNT_AUTH_KRB5,
                TNT_CIPHER_IDEA_CBC, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", TNT_KX_KRB5, TNT_AUTH_KRB5,
                TNT_CIPHER_DES40_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, true);
    check_suite(0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", TNT_KX_KRB5, TNT_AUTH_KRB5,
                TNT_CIPHER_RC4_40, TNT_MAC_MD5, TNT_SUITE_PRF_SHA256, true);
    CHECK(tnt_suite_lookup(0x001C) == NULL); /* reserved (SSLv3 Fortezza) */
    CHECK(tnt_suite_lookup(0x001D) == NULL);

    /* PSK family. */
    check_suite(0x002C, "TLS_PSK_WITH_NULL_SHA", TNT_KX_PSK, TNT_AUTH_PSK, TNT_CIPHER_NULL,
                TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x008A, "TLS_PSK_WITH_RC4_128_SHA", TNT_KX_PSK, TNT_AUTH_PSK, TNT_CIPHER_RC4_128,
                TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", TNT_KX_DHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", TNT_KX_RSA_PSK, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384", TNT_KX_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA384, TNT_SUITE_PRF_SHA384, false);
    check_suite(0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384", TNT_KX_DHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_NULL, TNT_MAC_SHA384, TNT_SUITE_PRF_SHA384, false);
    check_suite(0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256", TNT_KX_ECDHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_NULL, TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", TNT_KX_DHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_128_CCM_8, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);

    /* SEED, Camellia, ARIA. */
    check_suite(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA, TNT_CIPHER_SEED_CBC,
                TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_CAMELLIA_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", TNT_KX_DHE, TNT_AUTH_RSA,
                TNT_CIPHER_CAMELLIA_256_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", TNT_KX_DHE, TNT_AUTH_NULL,
                TNT_CIPHER_CAMELLIA_256_CBC, TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", TNT_KX_ECDHE,
                TNT_AUTH_ECDSA, TNT_CIPHER_CAMELLIA_256_CBC, TNT_MAC_SHA384, TNT_SUITE_PRF_SHA384,
                false);
    check_suite(0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_CAMELLIA_128_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_ARIA_128_CBC, TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_ARIA_256_CBC, TNT_MAC_SHA384, TNT_SUITE_PRF_SHA384, false);
    check_suite(0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_ARIA_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);

    /* ECC. */
    check_suite(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", TNT_KX_ECDH, TNT_AUTH_ECDSA,
                TNT_CIPHER_NULL, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", TNT_KX_ECDH, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", TNT_KX_ECDHE, TNT_AUTH_NULL,
                TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", TNT_KX_ECDHE, TNT_AUTH_ECDSA,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA384, TNT_SUITE_PRF_SHA384, false);
    check_suite(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", TNT_KX_ECDHE, TNT_AUTH_ECDSA,
                TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);
    check_suite(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", TNT_KX_ECDH, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);

    /* SRP. */
    check_suite(0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", TNT_KX_SRP, TNT_AUTH_SRP,
                TNT_CIPHER_3DES_EDE_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", TNT_KX_SRP, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", TNT_KX_SRP, TNT_AUTH_DSS,
                TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA1, TNT_SUITE_PRF_SHA256, false);

    /* CCM (RFC 6655, 7251), ChaCha20 (RFC 7905), ECDHE_PSK AEAD (RFC 8442). */
    check_suite(0xC09C, "TLS_RSA_WITH_AES_128_CCM", TNT_KX_RSA, TNT_AUTH_RSA,
                TNT_CIPHER_AES_128_CCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", TNT_KX_DHE, TNT_AUTH_RSA,
                TNT_CIPHER_AES_256_CCM_8, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", TNT_KX_ECDHE, TNT_AUTH_ECDSA,
                TNT_CIPHER_AES_128_CCM_8, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", TNT_KX_ECDHE, TNT_AUTH_RSA,
                TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", TNT_KX_ECDHE,
                TNT_AUTH_ECDSA, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256,
                false);
    check_suite(0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256", TNT_KX_RSA_PSK, TNT_AUTH_RSA,
                TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", TNT_KX_ECDHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);
    check_suite(0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", TNT_KX_ECDHE_PSK, TNT_AUTH_PSK,
                TNT_CIPHER_AES_128_CCM_8, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    CHECK(tnt_suite_lookup(0xCC13) == NULL); /* pre-RFC ChaCha20: never IANA */

    /* ECCPWD (RFC 8492): no kx enum for it, but the cipher is known. */
    check_suite(0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384", TNT_KX_UNKNOWN, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);

    /* TLS 1.3. */
    check_suite(0x1301, "TLS_AES_128_GCM_SHA256", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x1302, "TLS_AES_256_GCM_SHA384", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);
    check_suite(0x1303, "TLS_CHACHA20_POLY1305_SHA256", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x1304, "TLS_AES_128_CCM_SHA256", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_AES_128_CCM, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x1305, "TLS_AES_128_CCM_8_SHA256", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_AES_128_CCM_8, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x1306, "TLS_AEGIS_256_SHA384", TNT_KX_TLS13, TNT_AUTH_UNKNOWN, TNT_CIPHER_UNKNOWN,
                TNT_MAC_AEAD, TNT_SUITE_PRF_SHA384, false);
    check_suite(0x00C6, "TLS_SM4_GCM_SM3", TNT_KX_TLS13, TNT_AUTH_UNKNOWN, TNT_CIPHER_SM4_GCM,
                TNT_MAC_AEAD, TNT_SUITE_PRF_SM3, false);
    check_suite(0x00C7, "TLS_SM4_CCM_SM3", TNT_KX_TLS13, TNT_AUTH_UNKNOWN, TNT_CIPHER_SM4_CCM,
                TNT_MAC_AEAD, TNT_SUITE_PRF_SM3, false);
    check_suite(0xC0B4, "TLS_SHA256_SHA256", TNT_KX_TLS13, TNT_AUTH_UNKNOWN, TNT_CIPHER_NULL,
                TNT_MAC_SHA256, TNT_SUITE_PRF_SHA256, false);
    CHECK(tnt_suite_lookup(0x1300) == NULL);
    CHECK(tnt_suite_lookup(0x1308) == NULL);

    /* GOST (RFC 9189 and the TLS 1.3 GOST suites): named, not decryptable. */
    check_suite(0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC", TNT_KX_UNKNOWN,
                TNT_AUTH_UNKNOWN, TNT_CIPHER_UNKNOWN, TNT_MAC_UNKNOWN, TNT_SUITE_PRF_SHA256, false);
    check_suite(0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S", TNT_KX_TLS13, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_UNKNOWN, TNT_MAC_AEAD, TNT_SUITE_PRF_SHA256, false);

    /* Signalling values. */
    check_suite(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", TNT_KX_UNKNOWN, TNT_AUTH_UNKNOWN,
                TNT_CIPHER_UNKNOWN, TNT_MAC_UNKNOWN, TNT_SUITE_PRF_SHA256, false);
    check_suite(0x5600, "TLS_FALLBACK_SCSV", TNT_KX_UNKNOWN, TNT_AUTH_UNKNOWN, TNT_CIPHER_UNKNOWN,
                TNT_MAC_UNKNOWN, TNT_SUITE_PRF_SHA256, false);

    /* GREASE and unassigned values. */
    CHECK(tnt_suite_lookup(0x0A0A) == NULL);
    CHECK(tnt_suite_name(0xFAFA) == NULL);
    CHECK(tnt_suite_name(0x0060) == NULL); /* EXPORT1024 drafts: never IANA */
    CHECK(tnt_suite_name(0xFEFF) == NULL);
}

static void check_cipher(tnt_cipher c, const char *name, unsigned key, unsigned iv, unsigned block,
                         unsigned explicit_iv, unsigned tag, bool aead)
{
    const tnt_cipher_info *ci = tnt_cipher_lookup(c);
    CHECK(ci != NULL);
    if (!ci)
        return;
    CHECK_EQ(ci->cipher, c);
    CHECK_STR(ci->name, name);
    CHECK_EQ(ci->key_len, key);
    CHECK_EQ(ci->iv_len, iv);
    CHECK_EQ(ci->block_len, block);
    CHECK_EQ(ci->explicit_iv, explicit_iv);
    CHECK_EQ(ci->tag_len, tag);
    CHECK_EQ(ci->aead, aead);
}

static void test_ciphers(void)
{
    check_cipher(TNT_CIPHER_NULL, "NULL", 0, 0, 0, 0, 0, false);
    check_cipher(TNT_CIPHER_RC4_40, "RC4_40", 5, 0, 0, 0, 0, false);
    check_cipher(TNT_CIPHER_RC4_128, "RC4_128", 16, 0, 0, 0, 0, false);
    check_cipher(TNT_CIPHER_RC2_40_CBC, "RC2_CBC_40", 5, 8, 8, 0, 0, false);
    check_cipher(TNT_CIPHER_IDEA_CBC, "IDEA_CBC", 16, 8, 8, 0, 0, false);
    check_cipher(TNT_CIPHER_DES40_CBC, "DES40_CBC", 5, 8, 8, 0, 0, false);
    check_cipher(TNT_CIPHER_DES_CBC, "DES_CBC", 8, 8, 8, 0, 0, false);
    check_cipher(TNT_CIPHER_3DES_EDE_CBC, "3DES_EDE_CBC", 24, 8, 8, 0, 0, false);
    check_cipher(TNT_CIPHER_AES_128_CBC, "AES_128_CBC", 16, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_AES_256_CBC, "AES_256_CBC", 32, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_CAMELLIA_128_CBC, "CAMELLIA_128_CBC", 16, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_CAMELLIA_256_CBC, "CAMELLIA_256_CBC", 32, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_SEED_CBC, "SEED_CBC", 16, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_ARIA_128_CBC, "ARIA_128_CBC", 16, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_ARIA_256_CBC, "ARIA_256_CBC", 32, 16, 16, 0, 0, false);
    check_cipher(TNT_CIPHER_AES_128_GCM, "AES_128_GCM", 16, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_AES_256_GCM, "AES_256_GCM", 32, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_AES_128_CCM, "AES_128_CCM", 16, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_AES_256_CCM, "AES_256_CCM", 32, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_AES_128_CCM_8, "AES_128_CCM_8", 16, 4, 0, 8, 8, true);
    check_cipher(TNT_CIPHER_AES_256_CCM_8, "AES_256_CCM_8", 32, 4, 0, 8, 8, true);
    check_cipher(TNT_CIPHER_CAMELLIA_128_GCM, "CAMELLIA_128_GCM", 16, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_CAMELLIA_256_GCM, "CAMELLIA_256_GCM", 32, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_ARIA_128_GCM, "ARIA_128_GCM", 16, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_ARIA_256_GCM, "ARIA_256_GCM", 32, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_CHACHA20_POLY1305, "CHACHA20_POLY1305", 32, 12, 0, 0, 16, true);
    check_cipher(TNT_CIPHER_SM4_GCM, "SM4_GCM", 16, 4, 0, 8, 16, true);
    check_cipher(TNT_CIPHER_SM4_CCM, "SM4_CCM", 16, 4, 0, 8, 16, true);
    CHECK(tnt_cipher_lookup(TNT_CIPHER_UNKNOWN) == NULL);
    CHECK(tnt_cipher_lookup((tnt_cipher)(TNT_CIPHER_SM4_CCM + 1)) == NULL);
    CHECK(tnt_cipher_lookup((tnt_cipher)-1) == NULL);
}

static void test_mac_kx(void)
{
    CHECK_EQ(tnt_mac_len(TNT_MAC_NULL), 0);
    CHECK_EQ(tnt_mac_len(TNT_MAC_MD5), 16);
    CHECK_EQ(tnt_mac_len(TNT_MAC_SHA1), 20);
    CHECK_EQ(tnt_mac_len(TNT_MAC_SHA256), 32);
    CHECK_EQ(tnt_mac_len(TNT_MAC_SHA384), 48);
    CHECK_EQ(tnt_mac_len(TNT_MAC_AEAD), 0);
    CHECK_EQ(tnt_mac_len(TNT_MAC_UNKNOWN), 0);
    CHECK_STR(tnt_mac_name(TNT_MAC_NULL), "NULL");
    CHECK_STR(tnt_mac_name(TNT_MAC_MD5), "MD5");
    CHECK_STR(tnt_mac_name(TNT_MAC_SHA1), "SHA1");
    CHECK_STR(tnt_mac_name(TNT_MAC_SHA256), "SHA256");
    CHECK_STR(tnt_mac_name(TNT_MAC_SHA384), "SHA384");
    CHECK_STR(tnt_mac_name(TNT_MAC_AEAD), "AEAD");
    CHECK(tnt_mac_name(TNT_MAC_UNKNOWN) == NULL);
    CHECK_STR(tnt_kx_name(TNT_KX_RSA), "RSA");
    CHECK_STR(tnt_kx_name(TNT_KX_DH), "DH");
    CHECK_STR(tnt_kx_name(TNT_KX_DHE), "DHE");
    CHECK_STR(tnt_kx_name(TNT_KX_ECDHE), "ECDHE");
    CHECK_STR(tnt_kx_name(TNT_KX_ECDHE_PSK), "ECDHE_PSK");
    CHECK_STR(tnt_kx_name(TNT_KX_KRB5), "KRB5");
    CHECK_STR(tnt_kx_name(TNT_KX_TLS13), "TLS13");
    CHECK(tnt_kx_name(TNT_KX_UNKNOWN) == NULL);
}

static void test_versions_content_types(void)
{
    CHECK_STR(tnt_version_name(0x0002), "SSL 2.0");
    CHECK_STR(tnt_version_name(0x0300), "SSL 3.0");
    CHECK_STR(tnt_version_name(0x0301), "TLS 1.0");
    CHECK_STR(tnt_version_name(0x0302), "TLS 1.1");
    CHECK_STR(tnt_version_name(0x0303), "TLS 1.2");
    CHECK_STR(tnt_version_name(0x0304), "TLS 1.3");
    CHECK_STR(tnt_version_name(0xFEFF), "DTLS 1.0");
    CHECK_STR(tnt_version_name(0xFEFD), "DTLS 1.2");
    CHECK(tnt_version_name(0x0305) == NULL);
    CHECK(tnt_version_name(0x0000) == NULL);
    CHECK(tnt_version_name(0x7F17) == NULL);
    CHECK(tnt_version_name(0x0A0A) == NULL);

    CHECK_STR(tnt_content_type_name(20), "change_cipher_spec");
    CHECK_STR(tnt_content_type_name(21), "alert");
    CHECK_STR(tnt_content_type_name(22), "handshake");
    CHECK_STR(tnt_content_type_name(23), "application_data");
    CHECK_STR(tnt_content_type_name(24), "heartbeat");
    CHECK(tnt_content_type_name(19) == NULL);
    CHECK(tnt_content_type_name(25) == NULL);
    CHECK(tnt_content_type_name(0) == NULL);
    CHECK(tnt_content_type_name(255) == NULL);
}

static void test_handshake_types(void)
{
    static const struct {
        uint8_t t;
        const char *name;
    } want[] = {
        {0, "HelloRequest"},        {1, "ClientHello"},       {2, "ServerHello"},
        {3, "HelloVerifyRequest"},  {4, "NewSessionTicket"},  {5, "EndOfEarlyData"},
        {8, "EncryptedExtensions"}, {11, "Certificate"},      {12, "ServerKeyExchange"},
        {13, "CertificateRequest"}, {14, "ServerHelloDone"},  {15, "CertificateVerify"},
        {16, "ClientKeyExchange"},  {20, "Finished"},         {21, "CertificateURL"},
        {22, "CertificateStatus"},  {23, "SupplementalData"}, {24, "KeyUpdate"},
        {254, "MessageHash"},       {224, "TNTNegotiation"},  {225, "TNTProof"},
    };
    unsigned named = 0;
    for (unsigned t = 0; t < 256; t++)
        if (tnt_handshake_type_name(NULL, (uint8_t)t))
            named++;
    CHECK_EQ(named, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        CHECK_STR(tnt_handshake_type_name(NULL, want[i].t), want[i].name);
    CHECK(tnt_handshake_type_name(NULL, 6) == NULL);
    CHECK(tnt_handshake_type_name(NULL, 25) == NULL);
    CHECK(tnt_handshake_type_name(NULL, 226) == NULL);
    CHECK(tnt_handshake_type_name(NULL, 255) == NULL);
}

static void test_codepoint_change(void)
{
    CHECK_STR(tnt_extension_name(NULL, TNT_DEFAULT_EXT_TYPE), "tnt");
    CHECK_STR(tnt_extension_name(&tnt_codepoints_default, TNT_DEFAULT_EXT_TYPE), "tnt");

    tnt_codepoints moved;
    CHECK(tnt_codepoints_make(&moved, 0xFF60, 230, 231));
    CHECK_STR(tnt_handshake_type_name(&moved, 230), "TNTNegotiation");
    CHECK_STR(tnt_handshake_type_name(&moved, 231), "TNTProof");
    CHECK(tnt_handshake_type_name(&moved, 224) == NULL);
    CHECK(tnt_handshake_type_name(&moved, 225) == NULL);
    CHECK_STR(tnt_extension_name(&moved, 0xFF60), "tnt");
    CHECK(tnt_extension_name(&moved, TNT_DEFAULT_EXT_TYPE) == NULL);

    /* Moving TNT onto a registered extension shadows that name: the decoders
     * will treat the value as TNT, so the name must agree. */
    tnt_codepoints shadow;
    CHECK(tnt_codepoints_make(&shadow, 0xFF01, 230, 231));
    CHECK_STR(tnt_extension_name(&shadow, 0xFF01), "tnt");

    /* The other codepoints are not touched by either. */
    CHECK_STR(tnt_extension_name(NULL, 0xFF01), "renegotiation_info");
    CHECK_STR(tnt_handshake_type_name(NULL, TNT_DEFAULT_HS_NEGOTIATION), "TNTNegotiation");
    CHECK_STR(tnt_handshake_type_name(NULL, TNT_DEFAULT_HS_PROOF), "TNTProof");
    CHECK(tnt_handshake_type_name(NULL, 230) == NULL);
}

static void test_alerts(void)
{
    CHECK_STR(tnt_alert_level_name(1), "warning");
    CHECK_STR(tnt_alert_level_name(2), "fatal");
    CHECK(tnt_alert_level_name(0) == NULL);
    CHECK(tnt_alert_level_name(3) == NULL);

    static const struct {
        uint8_t d;
        const char *name;
    } want[] = {
        {0, "close_notify"},
        {10, "unexpected_message"},
        {20, "bad_record_mac"},
        {21, "decryption_failed"},
        {22, "record_overflow"},
        {30, "decompression_failure"},
        {40, "handshake_failure"},
        {41, "no_certificate"},
        {42, "bad_certificate"},
        {43, "unsupported_certificate"},
        {44, "certificate_revoked"},
        {45, "certificate_expired"},
        {46, "certificate_unknown"},
        {47, "illegal_parameter"},
        {48, "unknown_ca"},
        {49, "access_denied"},
        {50, "decode_error"},
        {51, "decrypt_error"},
        {52, "too_many_cids_requested"},
        {60, "export_restriction"},
        {70, "protocol_version"},
        {71, "insufficient_security"},
        {80, "internal_error"},
        {86, "inappropriate_fallback"},
        {90, "user_canceled"},
        {100, "no_renegotiation"},
        {109, "missing_extension"},
        {110, "unsupported_extension"},
        {111, "certificate_unobtainable"},
        {112, "unrecognized_name"},
        {113, "bad_certificate_status_response"},
        {114, "bad_certificate_hash_value"},
        {115, "unknown_psk_identity"},
        {116, "certificate_required"},
        {120, "no_application_protocol"},
        {121, "ech_required"},
    };
    unsigned named = 0;
    for (unsigned d = 0; d < 256; d++)
        if (tnt_alert_description_name((uint8_t)d))
            named++;
    CHECK_EQ(named, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        CHECK_STR(tnt_alert_description_name(want[i].d), want[i].name);
    CHECK(tnt_alert_description_name(1) == NULL);
    CHECK(tnt_alert_description_name(255) == NULL);
}

static void test_extensions(void)
{
    CHECK_STR(tnt_extension_name(NULL, 0), "server_name");
    CHECK_STR(tnt_extension_name(NULL, 1), "max_fragment_length");
    CHECK_STR(tnt_extension_name(NULL, 5), "status_request");
    CHECK_STR(tnt_extension_name(NULL, 10), "supported_groups");
    CHECK_STR(tnt_extension_name(NULL, 11), "ec_point_formats");
    CHECK_STR(tnt_extension_name(NULL, 13), "signature_algorithms");
    CHECK_STR(tnt_extension_name(NULL, 15), "heartbeat");
    CHECK_STR(tnt_extension_name(NULL, 16), "application_layer_protocol_negotiation");
    CHECK_STR(tnt_extension_name(NULL, 18), "signed_certificate_timestamp");
    CHECK_STR(tnt_extension_name(NULL, 21), "padding");
    CHECK_STR(tnt_extension_name(NULL, 22), "encrypt_then_mac");
    CHECK_STR(tnt_extension_name(NULL, 23), "extended_master_secret");
    CHECK_STR(tnt_extension_name(NULL, 27), "compress_certificate");
    CHECK_STR(tnt_extension_name(NULL, 28), "record_size_limit");
    CHECK_STR(tnt_extension_name(NULL, 34), "delegated_credential");
    CHECK_STR(tnt_extension_name(NULL, 35), "session_ticket");
    CHECK_STR(tnt_extension_name(NULL, 41), "pre_shared_key");
    CHECK_STR(tnt_extension_name(NULL, 42), "early_data");
    CHECK_STR(tnt_extension_name(NULL, 43), "supported_versions");
    CHECK_STR(tnt_extension_name(NULL, 44), "cookie");
    CHECK_STR(tnt_extension_name(NULL, 45), "psk_key_exchange_modes");
    CHECK_STR(tnt_extension_name(NULL, 47), "certificate_authorities");
    CHECK_STR(tnt_extension_name(NULL, 49), "post_handshake_auth");
    CHECK_STR(tnt_extension_name(NULL, 50), "signature_algorithms_cert");
    CHECK_STR(tnt_extension_name(NULL, 51), "key_share");
    CHECK_STR(tnt_extension_name(NULL, 57), "quic_transport_parameters");
    CHECK_STR(tnt_extension_name(NULL, 13172), "next_protocol_negotiation");
    CHECK_STR(tnt_extension_name(NULL, 0xFE0D), "encrypted_client_hello");
    CHECK_STR(tnt_extension_name(NULL, 0xFF01), "renegotiation_info");
    CHECK(tnt_extension_name(NULL, 40) == NULL); /* reserved: old key_share */
    CHECK(tnt_extension_name(NULL, 46) == NULL);
    CHECK(tnt_extension_name(NULL, 0x0A0A) == NULL);
    CHECK(tnt_extension_name(NULL, 0xFAFA) == NULL);
    CHECK(tnt_extension_name(NULL, 0xFFFF) == NULL);
    /* No name may contain a space or a comma: front ends join them in lists. */
    for (uint32_t t = 0; t <= 0xFFFF; t++) {
        const char *n = tnt_extension_name(NULL, (uint16_t)t);
        if (n)
            CHECK(strpbrk(n, " ,") == NULL);
    }
}

static void test_groups_sigschemes(void)
{
    CHECK_STR(tnt_group_name(1), "sect163k1");
    CHECK_STR(tnt_group_name(19), "secp192r1");
    CHECK_STR(tnt_group_name(23), "secp256r1");
    CHECK_STR(tnt_group_name(24), "secp384r1");
    CHECK_STR(tnt_group_name(25), "secp521r1");
    CHECK_STR(tnt_group_name(26), "brainpoolP256r1");
    CHECK_STR(tnt_group_name(28), "brainpoolP512r1");
    CHECK_STR(tnt_group_name(29), "x25519");
    CHECK_STR(tnt_group_name(30), "x448");
    CHECK_STR(tnt_group_name(33), "brainpoolP512r1tls13");
    CHECK_STR(tnt_group_name(41), "curveSM2");
    CHECK_STR(tnt_group_name(0x0100), "ffdhe2048");
    CHECK_STR(tnt_group_name(0x0104), "ffdhe8192");
    CHECK_STR(tnt_group_name(0x11EC), "X25519MLKEM768");
    CHECK_STR(tnt_group_name(0xFF01), "arbitrary_explicit_prime_curves");
    CHECK_STR(tnt_group_name(0xFF02), "arbitrary_explicit_char2_curves");
    CHECK(tnt_group_name(0) == NULL);
    CHECK(tnt_group_name(0x0105) == NULL);
    for (unsigned hi = 0; hi < 16; hi++) {
        uint16_t g = (uint16_t)((hi << 12) | 0x0A00 | (hi << 4) | 0x0A);
        CHECK(tnt_is_grease(g));
        CHECK(tnt_group_name(g) == NULL);
    }

    CHECK_STR(tnt_sigscheme_name(0x0201), "rsa_pkcs1_sha1");
    CHECK_STR(tnt_sigscheme_name(0x0202), "dsa_sha1");
    CHECK_STR(tnt_sigscheme_name(0x0203), "ecdsa_sha1");
    CHECK_STR(tnt_sigscheme_name(0x0101), "rsa_pkcs1_md5");
    CHECK_STR(tnt_sigscheme_name(0x0301), "rsa_pkcs1_sha224");
    CHECK_STR(tnt_sigscheme_name(0x0302), "dsa_sha224");
    CHECK_STR(tnt_sigscheme_name(0x0303), "ecdsa_sha224");
    CHECK_STR(tnt_sigscheme_name(0x0401), "rsa_pkcs1_sha256");
    CHECK_STR(tnt_sigscheme_name(0x0402), "dsa_sha256");
    CHECK_STR(tnt_sigscheme_name(0x0403), "ecdsa_secp256r1_sha256");
    CHECK_STR(tnt_sigscheme_name(0x0503), "ecdsa_secp384r1_sha384");
    CHECK_STR(tnt_sigscheme_name(0x0601), "rsa_pkcs1_sha512");
    CHECK_STR(tnt_sigscheme_name(0x0603), "ecdsa_secp521r1_sha512");
    CHECK_STR(tnt_sigscheme_name(0x0708), "sm2sig_sm3");
    CHECK_STR(tnt_sigscheme_name(0x0804), "rsa_pss_rsae_sha256");
    CHECK_STR(tnt_sigscheme_name(0x0806), "rsa_pss_rsae_sha512");
    CHECK_STR(tnt_sigscheme_name(0x0807), "ed25519");
    CHECK_STR(tnt_sigscheme_name(0x0808), "ed448");
    CHECK_STR(tnt_sigscheme_name(0x0809), "rsa_pss_pss_sha256");
    CHECK_STR(tnt_sigscheme_name(0x080B), "rsa_pss_pss_sha512");
    CHECK(tnt_sigscheme_name(0x0000) == NULL);
    CHECK(tnt_sigscheme_name(0x0200) == NULL); /* sha1 + anonymous */
    CHECK(tnt_sigscheme_name(0x0A0A) == NULL);
    CHECK(tnt_sigscheme_name(0x080C) == NULL);
}

static void test_small_registries(void)
{
    CHECK_STR(tnt_ec_point_format_name(0), "uncompressed");
    CHECK_STR(tnt_ec_point_format_name(1), "ansiX962_compressed_prime");
    CHECK_STR(tnt_ec_point_format_name(2), "ansiX962_compressed_char2");
    CHECK(tnt_ec_point_format_name(3) == NULL);

    CHECK_STR(tnt_compression_name(0), "null");
    CHECK_STR(tnt_compression_name(1), "DEFLATE");
    CHECK_STR(tnt_compression_name(64), "LZS");
    CHECK(tnt_compression_name(2) == NULL);
    CHECK(tnt_compression_name(255) == NULL);

    CHECK_STR(tnt_cert_type_name(1), "rsa_sign");
    CHECK_STR(tnt_cert_type_name(2), "dss_sign");
    CHECK_STR(tnt_cert_type_name(3), "rsa_fixed_dh");
    CHECK_STR(tnt_cert_type_name(4), "dss_fixed_dh");
    CHECK_STR(tnt_cert_type_name(64), "ecdsa_sign");
    CHECK_STR(tnt_cert_type_name(65), "rsa_fixed_ecdh");
    CHECK_STR(tnt_cert_type_name(66), "ecdsa_fixed_ecdh");
    CHECK(tnt_cert_type_name(0) == NULL);
    CHECK(tnt_cert_type_name(7) == NULL);

    CHECK_STR(tnt_hash_name(0), "none");
    CHECK_STR(tnt_hash_name(1), "md5");
    CHECK_STR(tnt_hash_name(2), "sha1");
    CHECK_STR(tnt_hash_name(3), "sha224");
    CHECK_STR(tnt_hash_name(4), "sha256");
    CHECK_STR(tnt_hash_name(5), "sha384");
    CHECK_STR(tnt_hash_name(6), "sha512");
    CHECK(tnt_hash_name(7) == NULL);

    CHECK_STR(tnt_sig_name(0), "anonymous");
    CHECK_STR(tnt_sig_name(1), "rsa");
    CHECK_STR(tnt_sig_name(2), "dsa");
    CHECK_STR(tnt_sig_name(3), "ecdsa");
    CHECK(tnt_sig_name(4) == NULL);

    CHECK_STR(tnt_curve_type_name(1), "explicit_prime");
    CHECK_STR(tnt_curve_type_name(2), "explicit_char2");
    CHECK_STR(tnt_curve_type_name(3), "named_curve");
    CHECK(tnt_curve_type_name(0) == NULL);
    CHECK(tnt_curve_type_name(4) == NULL);

    CHECK_STR(tnt_status_type_name(1), "ocsp");
    CHECK_STR(tnt_status_type_name(2), "ocsp_multi");
    CHECK(tnt_status_type_name(0) == NULL);

    CHECK_STR(tnt_sni_type_name(0), "host_name");
    CHECK(tnt_sni_type_name(1) == NULL);
}

static void test_grease(void)
{
    /* Exactly the 16 RFC 8701 values over the whole 16-bit space. */
    unsigned n = 0;
    for (uint32_t v = 0; v <= 0xFFFF; v++) {
        if (tnt_is_grease((uint16_t)v)) {
            n++;
            CHECK_EQ(v >> 8, v & 0xFF);
            CHECK_EQ(v & 0x0F, 0x0A);
        }
    }
    CHECK_EQ(n, 16);
    CHECK(tnt_is_grease(0x0A0A));
    CHECK(tnt_is_grease(0x1A1A));
    CHECK(tnt_is_grease(0xFAFA));
    CHECK(!tnt_is_grease(0x0A1A));
    CHECK(!tnt_is_grease(0x0B0B));
    CHECK(!tnt_is_grease(0xAAAB));
    CHECK(!tnt_is_grease(0x0000));
}

int main(void)
{
    test_suite_table_sorted();
    test_suites();
    test_ciphers();
    test_mac_kx();
    test_versions_content_types();
    test_handshake_types();
    test_codepoint_change();
    test_alerts();
    test_extensions();
    test_groups_sigschemes();
    test_small_registries();
    test_grease();
    return check_done("test_names");
}
