/* Record protection: published vectors for the primitives as the record code
 * drives them, real records from captures, and round trips over every
 * supported cipher, MAC, version and MtE/EtM. */
#include "check.h"
#include "encode.h"
#include "record_protection.h"
#include "record_protection_int.h"
#include "record_protection_vectors.h"
#include "record.h"

#include <gcrypt.h>

#define BIG (16384 + 2048 + 64)

static uint8_t *unhex(const char *hex, size_t *len)
{
    size_t cap = hex ? strlen(hex) / 2 + 1 : 1;
    uint8_t *p = malloc(cap);
    *len = hex ? check_unhex(hex, p, cap) : 0;
    return p;
}

static tnt_rp_state *make(uint16_t version, tnt_cipher c, tnt_mac m, bool etm,
                          const uint8_t *mac_key, size_t mac_key_len, const uint8_t *key,
                          size_t key_len, const uint8_t *iv, size_t iv_len, tnt_rp_status *rs)
{
    tnt_suite_info suite = {0};
    suite.cipher = c;
    suite.mac = m;
    tnt_rp_params p = {version, &suite, mac_key, mac_key_len, key, key_len, iv, iv_len, etm};
    tnt_rp_state *st = NULL;
    tnt_rp_status s = tnt_rp_new(&p, &st);
    /* The key schedule's support check answers what creation answers. */
    CHECK_EQ(tnt_rp_check(&p), s);
    if (rs)
        *rs = s;
    if (st)
        tnt_rp_set_rng(st, tnt_enc_record_iv, NULL);
    return st;
}

/* ---- MAC: RFC 2202 (HMAC-MD5, HMAC-SHA1) and RFC 4231 (HMAC-SHA-256/384) ---- */

static void mac_vector(tnt_mac m, const uint8_t *key, size_t key_len, const char *data,
                       const char *want_hex)
{
    uint8_t want[64], out[64];
    size_t wl = check_unhex(want_hex, want, sizeof want);
    CHECK_EQ(wl, tnt_mac_len(m));
    size_t dl = strlen(data);
    /* Every split into two parts, as the record MAC is header + data. */
    for (size_t cut = 0; cut <= dl; cut++) {
        const uint8_t *parts[2] = {(const uint8_t *)data, (const uint8_t *)data + cut};
        size_t lens[2] = {cut, dl - cut};
        memset(out, 0, sizeof out);
        CHECK_EQ(tnt_rp_mac(m, false, key, key_len, parts, lens, 2, out), TNT_RP_OK);
        CHECK_MEM(out, want, wl);
    }
}

static void test_mac_vectors(void)
{
    uint8_t k0b[20], kaa[131];
    memset(k0b, 0x0b, sizeof k0b);
    memset(kaa, 0xaa, sizeof kaa);
    const uint8_t *jefe = (const uint8_t *)"Jefe";
    const char *hi = "Hi There", *what = "what do ya want for nothing?";
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    /* RFC 2202 test cases 1, 2, 6 */
    mac_vector(TNT_MAC_MD5, k0b, 16, hi, "9294727a3638bb1c13f48ef8158bfc9d");
    mac_vector(TNT_MAC_MD5, jefe, 4, what, "750c783e6ab0b503eaa86e310a5db738");
    mac_vector(TNT_MAC_MD5, kaa, 80, big, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
    mac_vector(TNT_MAC_SHA1, k0b, 20, hi, "b617318655057264e28bc0b6fb378c8ef146be00");
    mac_vector(TNT_MAC_SHA1, jefe, 4, what, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    mac_vector(TNT_MAC_SHA1, kaa, 80, big, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    /* RFC 4231 test cases 1, 2, 6 */
    mac_vector(TNT_MAC_SHA256, k0b, 20, hi,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    mac_vector(TNT_MAC_SHA256, jefe, 4, what,
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    mac_vector(TNT_MAC_SHA256, kaa, 131, big,
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    mac_vector(TNT_MAC_SHA384, k0b, 20, hi,
               "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
               "faea9ea9076ede7f4af152e8b2fa9cb6");
    mac_vector(TNT_MAC_SHA384, jefe, 4, what,
               "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
               "8e2240ca5e69e2c78b3239ecfab21649");
    mac_vector(TNT_MAC_SHA384, kaa, 131, big,
               "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
               "0c2ef6ab4030fe8296248df163f44952");

    /* The SSL 3.0 MAC exists for MD5 and SHA-1 only; no MAC for NULL/AEAD. */
    uint8_t out[64];
    const uint8_t *parts[1] = {(const uint8_t *)hi};
    size_t lens[1] = {8};
    CHECK_EQ(tnt_rp_mac(TNT_MAC_SHA256, true, k0b, 20, parts, lens, 1, out), TNT_RP_UNSUPPORTED);
    CHECK_EQ(tnt_rp_mac(TNT_MAC_AEAD, false, k0b, 20, parts, lens, 1, out), TNT_RP_UNSUPPORTED);
    CHECK_EQ(tnt_rp_mac(TNT_MAC_NULL, false, k0b, 20, parts, lens, 1, out), TNT_RP_UNSUPPORTED);
    /* SSL 3.0 MAC differs from HMAC (same key and data). */
    uint8_t h[20];
    CHECK_EQ(tnt_rp_mac(TNT_MAC_SHA1, true, k0b, 20, parts, lens, 1, out), TNT_RP_OK);
    CHECK_EQ(tnt_rp_mac(TNT_MAC_SHA1, false, k0b, 20, parts, lens, 1, h), TNT_RP_OK);
    CHECK(memcmp(out, h, 20) != 0);
}

/* ---- AEAD vectors through tnt_rp_aead_open/seal ---- */

static void aead_vector(tnt_cipher c, const char *key_hex, const char *salt_hex,
                        const char *nonce_hex, const char *aad_hex, const char *pt_hex,
                        const char *ct_hex, const char *tag_hex)
{
    size_t kl, sl, nl, al, pl, cl, tl;
    uint8_t *key = unhex(key_hex, &kl), *salt = unhex(salt_hex, &sl),
            *nonce = unhex(nonce_hex, &nl), *aad = unhex(aad_hex, &al), *pt = unhex(pt_hex, &pl),
            *ct = unhex(ct_hex, &cl), *tag = unhex(tag_hex, &tl);
    CHECK_EQ(pl, cl);
    tnt_rp_status rs;
    tnt_rp_state *st = make(0x0303, c, TNT_MAC_AEAD, false, NULL, 0, key, kl, salt, sl, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    if (!st)
        goto out;
    uint8_t *buf = malloc(pl + 1), tagbuf[16];
    CHECK_EQ(tnt_rp_aead_seal(st, nonce, nl, aad, al, pt, pl, buf, tagbuf), TNT_RP_OK);
    CHECK_MEM(buf, ct, cl);
    CHECK_MEM(tagbuf, tag, tl);
    memset(buf, 0, pl + 1);
    CHECK_EQ(tnt_rp_aead_open(st, nonce, nl, aad, al, ct, cl, tag, buf), TNT_RP_OK);
    CHECK_MEM(buf, pt, pl);
    /* In place. */
    memcpy(buf, ct, cl);
    CHECK_EQ(tnt_rp_aead_open(st, nonce, nl, aad, al, buf, cl, tag, buf), TNT_RP_OK);
    CHECK_MEM(buf, pt, pl);
    /* Tag, AAD and ciphertext are all authenticated. */
    tag[tl - 1] ^= 1;
    CHECK_EQ(tnt_rp_aead_open(st, nonce, nl, aad, al, ct, cl, tag, buf), TNT_RP_BAD_MAC);
    for (size_t i = 0; i < pl; i++)
        CHECK_EQ(buf[i], 0); /* nothing unauthenticated comes out */
    tag[tl - 1] ^= 1;
    if (al) {
        aad[0] ^= 0x80;
        CHECK_EQ(tnt_rp_aead_open(st, nonce, nl, aad, al, ct, cl, tag, buf), TNT_RP_BAD_MAC);
        aad[0] ^= 0x80;
    }
    if (cl) {
        ct[cl / 2] ^= 4;
        CHECK_EQ(tnt_rp_aead_open(st, nonce, nl, aad, al, ct, cl, tag, buf), TNT_RP_BAD_MAC);
        ct[cl / 2] ^= 4;
    }
    CHECK_EQ(tnt_rp_seq(st), 0);
    free(buf);
    tnt_rp_free(st);
out:
    free(key), free(salt), free(nonce), free(aad), free(pt), free(ct), free(tag);
}

static void test_aead_vectors(void)
{
    /* McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 2, 3,
     * 4 (AES-128) and 16 (AES-256). The salt given to the state is the first 4
     * nonce bytes, as a TLS key block would give it. */
    const char *gcm_p = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    aead_vector(TNT_CIPHER_AES_128_GCM, "00000000000000000000000000000000", "00000000",
                "000000000000000000000000", "", "00000000000000000000000000000000",
                "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf");
    aead_vector(TNT_CIPHER_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabe",
                "cafebabefacedbaddecaf888", "",
                "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                "4d5c2af327cd64a62cf35abd2ba6fab4");
    aead_vector(TNT_CIPHER_AES_128_GCM, "feffe9928665731c6d6a8f9467308308", "cafebabe",
                "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_p,
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
                "5bc94fbc3221a5db94fae95ae7121a47");
    aead_vector(TNT_CIPHER_AES_256_GCM,
                "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabe",
                "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", gcm_p,
                "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                "76fc6ece0f4e1768cddf8853bb2d551b");

    /* RFC 8439 2.8.2. The state's fixed IV is the RFC's nonce, which is what a
     * record with sequence number 0 would use (nonce = iv xor 0). */
    aead_vector(TNT_CIPHER_CHACHA20_POLY1305,
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
                "070000004041424344454647", "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
                "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
                "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
                "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
                "637265656e20776f756c642062652069742e",
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                "3ff4def08e4b7a9de576d26586cec64b6116",
                "1ae10b594f09e26a7e902ecbd0600691");

    /* NIST SP 800-38C Appendix C, Example 3: 12-byte nonce (TLS's size),
     * 8-byte tag, i.e. AES-128-CCM-8. */
    aead_vector(TNT_CIPHER_AES_128_CCM_8, "404142434445464748494a4b4c4d4e4f", "10111213",
                "101112131415161718191a1b", "000102030405060708090a0b0c0d0e0f10111213",
                "202122232425262728292a2b2c2d2e2f3031323334353637",
                "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5", "484392fbc1b09951");
    /* RFC 3610 packet vector #1 (13-byte nonce, 8-byte tag). */
    aead_vector(TNT_CIPHER_AES_128_CCM_8, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "00000003",
                "00000003020100a0a1a2a3a4a5", "0001020304050607",
                "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
                "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384", "17e8d12cfdf926e0");
}

/* ---- real records ---- */

/* The state for one direction of a corpus connection (keys are copied). */
static tnt_rp_state *conn_state(const rpv_conn *cn, int d)
{
    size_t mkl, kl, ivl;
    uint8_t *mk = unhex(cn->mac_key[d], &mkl), *k = unhex(cn->key[d], &kl),
            *iv = unhex(cn->iv[d], &ivl);
    tnt_rp_status rs;
    tnt_rp_state *st =
        make(cn->version, cn->cipher, cn->mac, cn->etm, mk, mkl, k, kl, iv, ivl, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    free(mk), free(k), free(iv);
    return st;
}

static const uint8_t *rng_bytes;
static void fixed_rng(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memcpy(buf, rng_bytes, len);
}

static void test_corpus(void)
{
    for (size_t ci = 0; ci < sizeof rpv_conns / sizeof rpv_conns[0]; ci++) {
        const rpv_conn *cn = &rpv_conns[ci];
        for (int d = 0; d < 2; d++) {
            tnt_rp_state *st = conn_state(cn, d);
            tnt_rp_state *inplace = conn_state(cn, d);
            tnt_rp_state *enc = conn_state(cn, d);
            tnt_rp_state *skip = conn_state(cn, d);
            if (!st || !inplace || !enc || !skip) {
                fprintf(stderr, "no state for %s\n", cn->name);
                continue;
            }
            CHECK(cn->n[d] >= 1);
            for (size_t r = 0; r < cn->n[d]; r++) {
                const rpv_record *rec = &cn->rec[d][r];
                size_t cl, pl, ol = 99;
                uint8_t *ct = unhex(rec->ct, &cl), *pt = unhex(rec->pt, &pl);
                uint8_t *out = malloc(cl + 1);
                CHECK_EQ(tnt_rp_seq(st), rec->seq);
                tnt_rp_status rs = tnt_rp_decrypt(st, rec->type, cn->version, ct, cl, out, cl, &ol);
                if (rs != TNT_RP_OK)
                    fprintf(stderr, "%s dir %d record %zu: %s\n", cn->name, d, r,
                            tnt_rp_status_name(rs));
                CHECK_EQ(rs, TNT_RP_OK);
                CHECK_EQ(ol, pl);
                CHECK_MEM(out, pt, pl);

                memcpy(out, ct, cl);
                CHECK_EQ(tnt_rp_decrypt(inplace, rec->type, cn->version, out, cl, out, cl, &ol),
                         TNT_RP_OK);
                CHECK_EQ(ol, pl);
                CHECK_MEM(out, pt, pl);

                /* Encryption reproduces the wire bytes: these peers used minimal
                 * padding (SSL 3.0: zero bytes), the explicit CBC IV is fed from
                 * the record itself, and where a peer used the sequence number as
                 * GCM/CCM explicit nonce (as we do) the AEAD record is the same. */
                const tnt_cipher_info *info = tnt_cipher_lookup(cn->cipher);
                uint8_t seqbe[8] = {0, 0, 0, 0, 0, 0, 0, (uint8_t)rec->seq};
                bool same_nonce = !info->explicit_iv || memcmp(ct, seqbe, 8) == 0;
                rng_bytes = ct;
                tnt_rp_set_rng(enc, fixed_rng, NULL);
                uint8_t *again = malloc(cl + 64);
                CHECK_EQ(tnt_rp_encrypted_len(enc, pl), cl);
                CHECK_EQ(tnt_rp_encrypt(enc, rec->type, cn->version, pt, pl, again, cl + 64, &ol),
                         TNT_RP_OK);
                CHECK_EQ(ol, cl);
                if (same_nonce && (ol != cl || memcmp(again, ct, cl) != 0)) {
                    CHECK_MEM(again, ct, cl);
                    fprintf(stderr, "%s dir %d record %zu: re-encryption differs\n", cn->name, d,
                            r);
                }

                /* Skip all but the last record, then decrypt that one. */
                if (r + 1 < cn->n[d]) {
                    CHECK_EQ(tnt_rp_skip(skip, ct, cl), TNT_RP_OK);
                } else {
                    CHECK_EQ(tnt_rp_decrypt(skip, rec->type, cn->version, ct, cl, again, cl, &ol),
                             TNT_RP_OK);
                    CHECK_EQ(ol, pl);
                    CHECK_MEM(again, pt, pl);
                }
                free(again);
                free(ct), free(pt), free(out);
            }
            CHECK_EQ(tnt_rp_seq(st), cn->n[d]);
            CHECK_EQ(tnt_rp_seq(skip), cn->n[d]);

            /* Without the skip path, chained state goes wrong: a fresh state
             * with only the sequence number moved does not recover the last
             * record of an implicit-IV CBC connection (with EtM the MAC, over
             * ciphertext, still verifies, but the first block is garbage). */
            if (cn->version <= 0x0301 && cn->cipher != TNT_CIPHER_NULL && cn->n[d] > 1) {
                tnt_rp_state *naive = conn_state(cn, d);
                const rpv_record *rec = &cn->rec[d][cn->n[d] - 1];
                size_t cl, pl, ol;
                uint8_t *ct = unhex(rec->ct, &cl), *pt = unhex(rec->pt, &pl), *out = malloc(cl);
                tnt_rp_set_seq(naive, rec->seq);
                tnt_rp_status rs =
                    tnt_rp_decrypt(naive, rec->type, cn->version, ct, cl, out, cl, &ol);
                CHECK(rs != TNT_RP_OK || memcmp(out, pt, pl) != 0);
                free(ct), free(pt), free(out);
                tnt_rp_free(naive);
            }
            tnt_rp_free(st), tnt_rp_free(inplace), tnt_rp_free(enc), tnt_rp_free(skip);
        }
    }
}

/* ---- round trips ---- */

typedef struct combo {
    tnt_cipher c;
    tnt_mac m;
    size_t key_len;
} combo;

static const combo combos[] = {
    {TNT_CIPHER_NULL, TNT_MAC_MD5, 0},
    {TNT_CIPHER_NULL, TNT_MAC_SHA1, 0},
    {TNT_CIPHER_NULL, TNT_MAC_SHA256, 0},
    {TNT_CIPHER_RC4_40, TNT_MAC_MD5, 16},
    {TNT_CIPHER_RC4_128, TNT_MAC_MD5, 16},
    {TNT_CIPHER_RC4_128, TNT_MAC_SHA1, 16},
    {TNT_CIPHER_DES_CBC, TNT_MAC_SHA1, 8},
    {TNT_CIPHER_3DES_EDE_CBC, TNT_MAC_SHA1, 24},
    {TNT_CIPHER_RC2_40_CBC, TNT_MAC_MD5, 16},
    {TNT_CIPHER_IDEA_CBC, TNT_MAC_SHA1, 16},
    {TNT_CIPHER_DES40_CBC, TNT_MAC_SHA1, 8},
    {TNT_CIPHER_SEED_CBC, TNT_MAC_SHA1, 16},
    {TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, 16},
    {TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA256, 16},
    {TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA1, 32},
    {TNT_CIPHER_AES_256_CBC, TNT_MAC_SHA384, 32},
    {TNT_CIPHER_CAMELLIA_128_CBC, TNT_MAC_SHA1, 16},
    {TNT_CIPHER_CAMELLIA_256_CBC, TNT_MAC_SHA256, 32},
    {TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, 16},
    {TNT_CIPHER_AES_256_GCM, TNT_MAC_AEAD, 32},
    {TNT_CIPHER_CAMELLIA_128_GCM, TNT_MAC_AEAD, 16},
    {TNT_CIPHER_CAMELLIA_256_GCM, TNT_MAC_AEAD, 32},
    {TNT_CIPHER_AES_128_CCM, TNT_MAC_AEAD, 16},
    {TNT_CIPHER_AES_256_CCM, TNT_MAC_AEAD, 32},
    {TNT_CIPHER_AES_128_CCM_8, TNT_MAC_AEAD, 16},
    {TNT_CIPHER_AES_256_CCM_8, TNT_MAC_AEAD, 32},
    {TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, 32},
};

typedef struct rt {
    uint16_t v;
    const combo *co;
    bool etm;
    uint8_t mk[48], k[32], iv[16];
    size_t mkl, ivl;
} rt;

static tnt_rp_state *rt_state(const rt *t)
{
    tnt_rp_status rs;
    tnt_rp_state *st = make(t->v, t->co->c, t->co->m, t->etm, t->mk, t->mkl, t->k, t->co->key_len,
                            t->iv, t->ivl, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    return st;
}

static bool is_cbc(tnt_cipher c)
{
    const tnt_cipher_info *ci = tnt_cipher_lookup(c);
    return ci && ci->block_len;
}

static bool chained(const rt *t)
{
    return t->co->c == TNT_CIPHER_RC4_40 || t->co->c == TNT_CIPHER_RC4_128 ||
           (is_cbc(t->co->c) && t->v <= 0x0301);
}

static void plain(uint8_t *p, size_t n, unsigned salt)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(i * 31 + salt);
}

static void rt_one(rt *t)
{
    static const size_t lens[] = {0, 1, 15, 16, 17, 31, 100, 1000, 16384};
    enum { NL = sizeof lens / sizeof lens[0] };
    tnt_rp_state *enc = rt_state(t), *dec = rt_state(t), *dec_ip = rt_state(t), *skp = rt_state(t),
                 *tl = rt_state(t);
    if (!enc || !dec || !dec_ip || !skp || !tl)
        goto out;
    uint8_t *pt = malloc(BIG), *ct = malloc(BIG), *out = malloc(BIG), *ip = malloc(BIG);
    const tnt_cipher_info *ci = tnt_cipher_lookup(t->co->c);
    for (size_t i = 0; i < NL; i++) {
        size_t n = lens[i], cl = 0, ol = 99;
        uint8_t type = (uint8_t)(20 + i % 4);
        plain(pt, n, (unsigned)i);
        CHECK_EQ(tnt_rp_encrypt(enc, type, t->v, pt, n, ct, BIG, &cl), TNT_RP_OK);
        CHECK_EQ(cl, tnt_rp_encrypted_len(enc, n));
        CHECK(cl >= n);
        if (ci->block_len && !t->etm)
            CHECK_EQ(cl % ci->block_len, 0);
        CHECK_EQ(tnt_rp_seq(enc), i + 1);
        CHECK_EQ(tnt_rp_decrypt(dec, type, t->v, ct, cl, out, cl, &ol), TNT_RP_OK);
        CHECK_EQ(ol, n);
        CHECK_MEM(out, pt, n);
        memcpy(ip, ct, cl);
        CHECK_EQ(tnt_rp_decrypt(dec_ip, type, t->v, ip, cl, ip, cl, &ol), TNT_RP_OK);
        CHECK_EQ(ol, n);
        CHECK_MEM(ip, pt, n);
        /* skp skips every record but the last; tl too, knowing only each
         * record's length and last bytes (a body the record layer stepped
         * over). */
        if (i + 1 < NL) {
            CHECK_EQ(tnt_rp_skip(skp, ct, cl), TNT_RP_OK);
            size_t tn = cl < TNT_RP_SKIP_TAIL ? cl : TNT_RP_SKIP_TAIL;
            CHECK_EQ(tnt_rp_skip_tail(tl, cl, ct + cl - tn, tn), TNT_RP_OK);
        } else {
            CHECK_EQ(tnt_rp_decrypt(skp, type, t->v, ct, cl, out, cl, &ol), TNT_RP_OK);
            CHECK_EQ(ol, n);
            CHECK_MEM(out, pt, n);
            CHECK_EQ(tnt_rp_decrypt(tl, type, t->v, ct, cl, out, cl, &ol), TNT_RP_OK);
            CHECK_EQ(ol, n);
            CHECK_MEM(out, pt, n);
        }
    }
    CHECK_EQ(tnt_rp_seq(dec), NL);
    CHECK_EQ(tnt_rp_seq(skp), NL);
    CHECK_EQ(tnt_rp_seq(tl), NL);

    /* In-place encryption, then a record whose predecessor failed to verify:
     * the failure still moved the state on, so the next one decrypts. */
    size_t n = 40, cl, ol;
    plain(ip, n, 7);
    CHECK_EQ(tnt_rp_encrypt(enc, 23, t->v, ip, n, ip, BIG, &cl), TNT_RP_OK);
    plain(pt, n, 7);
    CHECK_EQ(tnt_rp_decrypt(dec, 23, t->v, ip, cl, out, cl, &ol), TNT_RP_OK);
    CHECK_MEM(out, pt, n);
    CHECK_EQ(tnt_rp_encrypt(enc, 23, t->v, pt, n, ct, BIG, &cl), TNT_RP_OK);
    ct[0] ^= 0x10; /* first block: the chain (last block) is untouched */
    tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, ct, cl, out, cl, &ol);
    CHECK(rs == TNT_RP_BAD_MAC || (rs == TNT_RP_BAD_PADDING && is_cbc(t->co->c) && !t->etm));
    CHECK_EQ(ol, 0);
    CHECK_EQ(tnt_rp_encrypt(enc, 23, t->v, pt, n, ct, BIG, &cl), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt(dec, 23, t->v, ct, cl, out, cl, &ol), TNT_RP_OK);
    CHECK_EQ(ol, n);
    CHECK_MEM(out, pt, n);
    free(pt), free(ct), free(out), free(ip);
out:
    tnt_rp_free(enc), tnt_rp_free(dec), tnt_rp_free(dec_ip), tnt_rp_free(skp), tnt_rp_free(tl);
}

/* Tampering with the first record of a connection, each time on a fresh
 * state: every single-bit flip, the header fields in the MAC/AAD, the
 * sequence number, truncation at every length. */
static void rt_tamper(rt *t)
{
    tnt_rp_state *enc = rt_state(t);
    if (!enc)
        return;
    const tnt_cipher_info *ci = tnt_cipher_lookup(t->co->c);
    bool mte_cbc = ci->block_len && !t->etm;
    uint8_t pt[45], ct[200], work[200], out[200];
    size_t cl, ol;
    plain(pt, sizeof pt, 3);
    CHECK_EQ(tnt_rp_encrypt(enc, 23, t->v, pt, sizeof pt, ct, sizeof ct, &cl), TNT_RP_OK);
    tnt_rp_free(enc);

    for (size_t bit = 0; bit < cl * 8; bit++) {
        tnt_rp_state *dec = rt_state(t);
        memcpy(work, ct, cl);
        work[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, work, cl, out, sizeof out, &ol);
        if (mte_cbc)
            CHECK(rs == TNT_RP_BAD_MAC || rs == TNT_RP_BAD_PADDING);
        else
            CHECK_EQ(rs, TNT_RP_BAD_MAC);
        CHECK_EQ(tnt_rp_seq(dec), 1);
        tnt_rp_free(dec);
    }

    /* MtE CBC: padding_length sits in the last plaintext byte; flipping its
     * top bit (through the previous ciphertext block, CBC's malleability)
     * makes it exceed what the record holds, in SSL 3.0 also the block size. */
    if (mte_cbc && cl >= 2 * ci->block_len) {
        tnt_rp_state *dec = rt_state(t);
        memcpy(work, ct, cl);
        work[cl - ci->block_len - 1] ^= 0x80;
        CHECK_EQ(tnt_rp_decrypt(dec, 23, t->v, work, cl, out, sizeof out, &ol), TNT_RP_BAD_PADDING);
        tnt_rp_free(dec);
        /* A 1 in the lowest bit of a padding_length >= 2 leaves padding bytes
         * that do not match it (TLS checks them; SSL 3.0 does not). */
        dec = rt_state(t);
        memcpy(work, ct, cl);
        work[cl - ci->block_len - 1] ^= 0x01;
        tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, work, cl, out, sizeof out, &ol);
        if (t->v == 0x0300)
            CHECK(rs == TNT_RP_BAD_MAC || rs == TNT_RP_BAD_PADDING);
        else
            CHECK_EQ(rs, TNT_RP_BAD_PADDING);
        tnt_rp_free(dec);
    }

    /* Header fields: content type, version (not in the SSL 3.0 MAC), seq. */
    if (t->co->m != TNT_MAC_NULL) {
        tnt_rp_state *dec = rt_state(t);
        CHECK_EQ(tnt_rp_decrypt(dec, 22, t->v, ct, cl, out, sizeof out, &ol), TNT_RP_BAD_MAC);
        tnt_rp_free(dec);
        dec = rt_state(t);
        CHECK_EQ(tnt_rp_decrypt(dec, 23, (uint16_t)(t->v ^ 1), ct, cl, out, sizeof out, &ol),
                 t->v == 0x0300 ? TNT_RP_OK : TNT_RP_BAD_MAC);
        tnt_rp_free(dec);
        dec = rt_state(t);
        tnt_rp_set_seq(dec, 1);
        tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, ct, cl, out, sizeof out, &ol);
        CHECK(rs == TNT_RP_BAD_MAC || (rs == TNT_RP_BAD_PADDING && mte_cbc));
        CHECK_EQ(tnt_rp_seq(dec), 2);
        tnt_rp_free(dec);
    }

    /* Every truncation fails cleanly (ASan watches the reads). */
    for (size_t len = 0; len < cl; len++) {
        tnt_rp_state *dec = rt_state(t);
        memcpy(work, ct, len);
        tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, work, len, out, sizeof out, &ol);
        CHECK(rs == TNT_RP_BAD_LENGTH || rs == TNT_RP_BAD_MAC || rs == TNT_RP_BAD_PADDING);
        CHECK_EQ(ol, 0);
        if (ci->block_len && (len - (t->etm ? tnt_mac_len(t->co->m) : 0)) % ci->block_len)
            CHECK_EQ(rs, TNT_RP_BAD_LENGTH);
        if (ci->aead && len < ci->explicit_iv + ci->tag_len)
            CHECK_EQ(rs, TNT_RP_BAD_LENGTH);
        if (!ci->aead && !ci->block_len && len < tnt_mac_len(t->co->m))
            CHECK_EQ(rs, TNT_RP_BAD_LENGTH);
        CHECK_EQ(tnt_rp_seq(dec), 1);
        tnt_rp_free(dec);
    }
    /* One block or byte too many. */
    {
        tnt_rp_state *dec = rt_state(t);
        memcpy(work, ct, cl);
        work[cl] = 0;
        size_t extra = ci->block_len ? ci->block_len : 1;
        memset(work + cl, 0, extra);
        tnt_rp_status rs = tnt_rp_decrypt(dec, 23, t->v, work, cl + extra, out, sizeof out, &ol);
        CHECK(rs != TNT_RP_OK && rs != TNT_RP_ERROR);
        tnt_rp_free(dec);
    }
}

/* Skipping is what keeps chained ciphers in step: without it (only the
 * sequence number set) record 3 does not decrypt. */
static void rt_skip_needed(rt *t)
{
    tnt_rp_state *enc = rt_state(t), *naive = rt_state(t);
    if (!enc || !naive)
        goto out;
    uint8_t pt[3][64], ct[3][256], out[256];
    size_t cl[3], ol;
    for (int i = 0; i < 3; i++) {
        plain(pt[i], 64, (unsigned)i);
        CHECK_EQ(tnt_rp_encrypt(enc, 23, t->v, pt[i], 64, ct[i], 256, &cl[i]), TNT_RP_OK);
    }
    tnt_rp_set_seq(naive, 2);
    tnt_rp_status rs = tnt_rp_decrypt(naive, 23, t->v, ct[2], cl[2], out, 256, &ol);
    if (chained(t))
        CHECK(rs != TNT_RP_OK || memcmp(out, pt[2], 64) != 0);
    else
        CHECK_EQ(rs, TNT_RP_OK); /* explicit IV / nonce: the seq is all it takes */
out:
    tnt_rp_free(enc), tnt_rp_free(naive);
}

static void test_round_trips(void)
{
    static const uint16_t versions[] = {0x0300, 0x0301, 0x0302, 0x0303};
    int done = 0;
    for (size_t ci = 0; ci < sizeof combos / sizeof combos[0]; ci++) {
        for (size_t vi = 0; vi < 4; vi++) {
            for (int etm = 0; etm < 2; etm++) {
                rt t = {0};
                t.v = versions[vi];
                t.co = &combos[ci];
                t.etm = etm;
                const tnt_cipher_info *info = tnt_cipher_lookup(t.co->c);
                t.mkl = tnt_mac_len(t.co->m);
                t.ivl = info->aead ? info->iv_len : info->block_len;
                for (size_t i = 0; i < sizeof t.mk; i++)
                    t.mk[i] = (uint8_t)(0xa0 + i);
                for (size_t i = 0; i < sizeof t.k; i++)
                    t.k[i] = (uint8_t)(0x11 * (i + 1) + ci);
                for (size_t i = 0; i < sizeof t.iv; i++)
                    t.iv[i] = (uint8_t)(0xf0 - i);
                bool ok = !(info->aead && t.v < 0x0303) &&
                          !(t.v == 0x0300 && t.co->m != TNT_MAC_MD5 && t.co->m != TNT_MAC_SHA1);
                tnt_rp_status rs;
                tnt_rp_state *st = make(t.v, t.co->c, t.co->m, t.etm, t.mk, t.mkl, t.k,
                                        t.co->key_len, t.iv, t.ivl, &rs);
                tnt_rp_free(st);
                if (!ok) {
                    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
                    continue;
                }
                CHECK_EQ(rs, TNT_RP_OK);
                if (rs != TNT_RP_OK) {
                    fprintf(stderr, "cipher %d mac %d v %04x: %s\n", t.co->c, t.co->m, t.v,
                            tnt_rp_status_name(rs));
                    continue;
                }
                int before = check_failures;
                rt_one(&t);
                rt_tamper(&t);
                rt_skip_needed(&t);
                if (check_failures != before)
                    fprintf(stderr, "  ^ in round trip cipher %d mac %d version %04x etm %d\n",
                            t.co->c, t.co->m, t.v, etm);
                done++;
            }
        }
    }
    CHECK(done > 100);
}

/* EtM really puts the MAC outside: same keys, MtE and EtM differ, and each
 * rejects the other's records. */
static void test_etm_layout(void)
{
    uint8_t mk[20], k[16], iv[16], pt[30], a[128], b[128], out[128];
    memset(mk, 1, sizeof mk), memset(k, 2, sizeof k), memset(iv, 3, sizeof iv);
    plain(pt, sizeof pt, 0);
    uint8_t rnd[16];
    memset(rnd, 0x5a, sizeof rnd);
    rng_bytes = rnd;
    tnt_rp_state *mte =
        make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, k, 16, NULL, 0, NULL);
    tnt_rp_state *etm =
        make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, true, mk, 20, k, 16, NULL, 0, NULL);
    tnt_rp_set_rng(mte, fixed_rng, NULL);
    tnt_rp_set_rng(etm, fixed_rng, NULL);
    size_t al, bl, ol;
    CHECK_EQ(tnt_rp_encrypt(mte, 23, 0x0303, pt, sizeof pt, a, sizeof a, &al), TNT_RP_OK);
    CHECK_EQ(tnt_rp_encrypt(etm, 23, 0x0303, pt, sizeof pt, b, sizeof b, &bl), TNT_RP_OK);
    CHECK_EQ(al, 16 + 64);      /* IV + (30 + 20 + 1 -> 64) */
    CHECK_EQ(bl, 16 + 32 + 20); /* IV + (30 + 1 -> 32) + MAC */
    CHECK_MEM(a, rnd, 16);      /* the explicit IV came from the callback */
    CHECK_MEM(b, rnd, 16);
    /* The EtM MAC is HMAC over seq || hdr(length = IV + ciphertext) || IV || ciphertext. */
    uint8_t hdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 23, 3, 3, 0, 48}, mac[20];
    const uint8_t *parts[2] = {hdr, b};
    size_t lens[2] = {13, 48};
    CHECK_EQ(tnt_rp_mac(TNT_MAC_SHA1, false, mk, 20, parts, lens, 2, mac), TNT_RP_OK);
    CHECK_MEM(b + 48, mac, 20);
    tnt_rp_free(mte), tnt_rp_free(etm);
    mte = make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, k, 16, NULL, 0, NULL);
    etm = make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, true, mk, 20, k, 16, NULL, 0, NULL);
    CHECK(tnt_rp_decrypt(mte, 23, 0x0303, b, bl, out, sizeof out, &ol) != TNT_RP_OK);
    CHECK(tnt_rp_decrypt(etm, 23, 0x0303, a, al, out, sizeof out, &ol) != TNT_RP_OK);
    tnt_rp_free(mte), tnt_rp_free(etm);

    /* EtM is ignored for stream and AEAD suites (RFC 7366 3). */
    tnt_rp_state *s1 =
        make(0x0303, TNT_CIPHER_RC4_128, TNT_MAC_SHA1, true, mk, 20, k, 16, NULL, 0, NULL);
    tnt_rp_state *s2 =
        make(0x0303, TNT_CIPHER_RC4_128, TNT_MAC_SHA1, false, mk, 20, k, 16, NULL, 0, NULL);
    CHECK_EQ(tnt_rp_encrypt(s1, 23, 0x0303, pt, sizeof pt, a, sizeof a, &al), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt(s2, 23, 0x0303, a, al, out, sizeof out, &ol), TNT_RP_OK);
    CHECK_EQ(ol, sizeof pt);
    tnt_rp_free(s1), tnt_rp_free(s2);
}

/* Padding the peer chose, not what we send: builds an AES-128-CBC record by
 * hand (libgcrypt directly) with data_len content bytes, the MAC and
 * pad bytes of padding with pad_byte for their content and claim as
 * padding_length. */
static size_t build_cbc(uint16_t v, const uint8_t *mk, const uint8_t *k, const uint8_t *iv,
                        size_t data_len, unsigned pad, uint8_t pad_byte, uint8_t claim,
                        uint8_t *rec)
{
    uint8_t hdr[13];
    size_t hl = 0;
    memset(hdr, 0, 8);
    hl = 8;
    hdr[hl++] = 23;
    if (v != 0x0300) {
        hdr[hl++] = (uint8_t)(v >> 8);
        hdr[hl++] = (uint8_t)v;
    }
    hdr[hl++] = 0;
    hdr[hl++] = (uint8_t)data_len;
    plain(rec, data_len, 9);
    const uint8_t *parts[2] = {hdr, rec};
    size_t lens[2] = {hl, data_len};
    CHECK_EQ(tnt_rp_mac(TNT_MAC_SHA1, v == 0x0300, mk, 20, parts, lens, 2, rec + data_len),
             TNT_RP_OK);
    size_t n = data_len + 20;
    memset(rec + n, pad_byte, pad);
    rec[n + pad] = claim;
    n += pad + 1;
    CHECK_EQ(n % 16, 0);
    gcry_cipher_hd_t h;
    CHECK_EQ(gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, 0), 0);
    gcry_cipher_setkey(h, k, 16);
    gcry_cipher_setiv(h, iv, 16);
    CHECK_EQ(gcry_cipher_encrypt(h, rec, n, NULL, 0), 0);
    gcry_cipher_close(h);
    return n;
}

static void test_padding_extremes(void)
{
    uint8_t mk[20], k[16], iv[16], rec[512], out[512];
    memset(mk, 0x21, sizeof mk), memset(k, 0x42, sizeof k), memset(iv, 0x63, sizeof iv);
    struct {
        uint16_t v;
        size_t data_len;
        unsigned pad;
        uint8_t pad_byte, claim;
        tnt_rp_status want;
    } cases[] = {
        {0x0301, 12, 255, 255, 255, TNT_RP_OK},          /* the longest TLS padding */
        {0x0301, 12, 255, 254, 255, TNT_RP_BAD_PADDING}, /* its bytes must equal it */
        {0x0301, 11, 0, 0, 0, TNT_RP_OK},                /* no padding bytes */
        {0x0301, 0, 11, 11, 11, TNT_RP_OK},              /* empty content */
        {0x0301, 0, 11, 12, 12, TNT_RP_BAD_PADDING},     /* would eat a MAC byte */
        {0x0301, 0, 11, 11, 200, TNT_RP_BAD_PADDING},    /* longer than the record */
        {0x0300, 12, 15, 0, 15, TNT_RP_OK},              /* SSL 3.0: any bytes, < block */
        {0x0300, 12, 15, 0x99, 15, TNT_RP_OK},
        {0x0300, 11, 16, 0, 16, TNT_RP_BAD_PADDING}, /* not less than the block size */
        {0x0300, 11, 0, 0, 0, TNT_RP_OK},
        {0x0300, 0, 11, 0, 11, TNT_RP_OK},
        {0x0300, 0, 11, 0, 12, TNT_RP_BAD_PADDING}, /* would eat a MAC byte */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = build_cbc(cases[i].v, mk, k, iv, cases[i].data_len, cases[i].pad,
                             cases[i].pad_byte, cases[i].claim, rec);
        tnt_rp_state *st = make(cases[i].v, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, k,
                                16, iv, 16, NULL);
        size_t ol = 99;
        CHECK_EQ(tnt_rp_decrypt(st, 23, cases[i].v, rec, n, out, sizeof out, &ol), cases[i].want);
        if (cases[i].want == TNT_RP_OK) {
            uint8_t want[32];
            plain(want, cases[i].data_len, 9);
            CHECK_EQ(ol, cases[i].data_len);
            CHECK_MEM(out, want, cases[i].data_len);
        }
        tnt_rp_free(st);
    }
}

/* ---- creation and argument errors ---- */

static void test_creation(void)
{
    uint8_t key[32] = {0}, mk[48] = {0}, iv[16] = {0};
    tnt_rp_status rs;
    static const tnt_cipher unsupported[] = {
        TNT_CIPHER_ARIA_128_CBC, TNT_CIPHER_ARIA_256_CBC, TNT_CIPHER_ARIA_128_GCM,
        TNT_CIPHER_ARIA_256_GCM, TNT_CIPHER_SM4_GCM,      TNT_CIPHER_SM4_CCM,
        TNT_CIPHER_UNKNOWN,
    };
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        const tnt_cipher_info *ci = tnt_cipher_lookup(unsupported[i]);
        bool aead = ci && ci->aead;
        tnt_rp_state *st = make(0x0303, unsupported[i], aead ? TNT_MAC_AEAD : TNT_MAC_SHA256, false,
                                mk, aead ? 0 : 32, key, ci ? ci->key_len : 16, iv,
                                ci ? (aead ? ci->iv_len : ci->block_len) : 16, &rs);
        CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
        CHECK(st == NULL);
    }
    /* TLS 1.3 and unknown versions; AEAD before TLS 1.2; a CBC suite without
     * a MAC; an unknown MAC. */
    CHECK(!make(0x0304, TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, false, NULL, 0, key, 16, iv, 4, &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(!make(0x0200, TNT_CIPHER_RC4_128, TNT_MAC_MD5, false, mk, 16, key, 16, NULL, 0, &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(!make(0x0302, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, key, 32, iv, 12,
                &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(
        !make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_NULL, false, NULL, 0, key, 16, iv, 16, &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(!make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_UNKNOWN, false, mk, 20, key, 16, iv, 16,
                &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(
        !make(0x0303, TNT_CIPHER_AES_128_GCM, TNT_MAC_SHA256, false, mk, 32, key, 16, iv, 4, &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    CHECK(
        !make(0x0300, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA256, false, mk, 32, key, 16, iv, 16, &rs));
    CHECK_EQ(rs, TNT_RP_UNSUPPORTED);

    /* Key, MAC key and IV lengths one short and one long. */
    for (int delta = -1; delta <= 1; delta += 2) {
        CHECK(!make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, key,
                    (size_t)(16 + delta), NULL, 0, &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
        CHECK(!make(0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, (size_t)(20 + delta),
                    key, 16, NULL, 0, &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
        CHECK(!make(0x0301, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, key, 16, iv,
                    (size_t)(16 + delta), &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
        CHECK(!make(0x0303, TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, false, NULL, 0, key, 16, iv,
                    (size_t)(4 + delta), &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
        CHECK(!make(0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, key, 32, iv,
                    (size_t)(12 + delta), &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
    }
    /* TLS 1.1+ CBC needs no IV; TLS 1.0 does. */
    tnt_rp_state *st =
        make(0x0302, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, key, 16, NULL, 0, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    tnt_rp_free(st);
    CHECK(
        !make(0x0301, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, mk, 20, key, 16, NULL, 0, &rs));
    CHECK_EQ(rs, TNT_RP_ERROR);
    /* RC4-40 takes the expanded export key. */
    st = make(0x0301, TNT_CIPHER_RC4_40, TNT_MAC_MD5, false, mk, 16, key, 5, NULL, 0, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    tnt_rp_free(st);
    CHECK(!make(0x0301, TNT_CIPHER_RC4_40, TNT_MAC_MD5, false, mk, 16, key, 4, NULL, 0, &rs));
    CHECK_EQ(rs, TNT_RP_ERROR);

    tnt_rp_params p = {0};
    CHECK_EQ(tnt_rp_new(&p, &st), TNT_RP_ERROR); /* no suite */
    CHECK(st == NULL);
    tnt_rp_free(NULL);

    /* TLS_NULL_WITH_NULL_NULL passes records through. */
    st = make(0x0303, TNT_CIPHER_NULL, TNT_MAC_NULL, false, NULL, 0, NULL, 0, NULL, 0, &rs);
    CHECK_EQ(rs, TNT_RP_OK);
    if (st) {
        uint8_t out[8];
        size_t ol;
        CHECK_EQ(tnt_rp_decrypt(st, 22, 0x0303, (const uint8_t *)"abc", 3, out, 8, &ol), TNT_RP_OK);
        CHECK_EQ(ol, 3);
        CHECK_MEM(out, "abc", 3);
        CHECK_EQ(tnt_rp_decrypt(st, 22, 0x0303, NULL, 0, out, 8, &ol), TNT_RP_OK);
        CHECK_EQ(ol, 0);
        CHECK_EQ(tnt_rp_seq(st), 2);
        tnt_rp_free(st);
    }

    CHECK_STR(tnt_rp_status_name(TNT_RP_OK), "ok");
    CHECK_STR(tnt_rp_status_name(TNT_RP_BAD_MAC), "bad_mac");
    CHECK_STR(tnt_rp_status_name(TNT_RP_BAD_PADDING), "bad_padding");
    CHECK_STR(tnt_rp_status_name(TNT_RP_BAD_LENGTH), "bad_length");
    CHECK_STR(tnt_rp_status_name(TNT_RP_UNSUPPORTED), "unsupported");
    CHECK_STR(tnt_rp_status_name(TNT_RP_ERROR), "error");
}

/* The decoding core draws no random numbers: an explicit CBC IV comes from
 * the caller's source, and without one nothing is encrypted. Implicit IVs
 * (TLS 1.0) and AEAD nonces need none. */
static void test_iv_source(void)
{
    uint8_t key[16] = {1}, mac[20] = {3}, iv[16] = {2}, pt[10] = {4}, out[256];
    size_t cl;
    tnt_suite_info suite = {0};
    suite.cipher = TNT_CIPHER_AES_128_CBC;
    suite.mac = TNT_MAC_SHA1;
    tnt_rp_params p11 = {0x0302, &suite, mac, 20, key, 16, iv, 16, false};
    tnt_rp_params p10 = {0x0301, &suite, mac, 20, key, 16, iv, 16, false};
    tnt_rp_state *st = NULL, *st10 = NULL;
    CHECK_EQ(tnt_rp_new(&p11, &st), TNT_RP_OK);
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0302, pt, sizeof pt, out, sizeof out, &cl), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_seq(st), 0);
    tnt_rp_set_rng(st, tnt_enc_record_iv, NULL);
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0302, pt, sizeof pt, out, sizeof out, &cl), TNT_RP_OK);
    CHECK_EQ(cl, 16 + 32);
    CHECK_EQ(tnt_rp_new(&p10, &st10), TNT_RP_OK);
    CHECK_EQ(tnt_rp_encrypt(st10, 23, 0x0301, pt, sizeof pt, out, sizeof out, &cl), TNT_RP_OK);
    tnt_rp_free(st);
    tnt_rp_free(st10);
}

static void test_limits(void)
{
    uint8_t key[32] = {1}, iv[16] = {2};
    uint8_t *big = calloc(1, BIG), *out = malloc(BIG);
    size_t ol, cl;
    tnt_rp_state *st =
        make(0x0303, TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, false, NULL, 0, key, 16, iv, 4, NULL);
    /* An output buffer too small is a caller error: nothing advances. */
    CHECK_EQ(tnt_rp_decrypt(st, 23, 0x0303, big, 100, out, 99, &ol), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_seq(st), 0);
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0303, big, 100, out, 123, &cl), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_seq(st), 0);
    /* Plaintext beyond 2^14 is not encrypted; a record body beyond
     * 2^14 + 2048 is not decrypted. */
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0303, big, 16385, out, BIG, &cl), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_decrypt(st, 23, 0x0303, big, 16384 + 2049, out, BIG, &ol), TNT_RP_BAD_LENGTH);
    CHECK_EQ(tnt_rp_seq(st), 1);
    /* The largest plaintext goes through. */
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0303, big, 16384, out, BIG, &cl), TNT_RP_OK);
    CHECK_EQ(cl, 16384 + 24);
    tnt_rp_free(st);

    /* The sequence number wraps like the 64-bit counter it is, and is part
     * of the nonce and AAD. */
    tnt_rp_state *e = make(0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, key,
                           32, key, 12, NULL);
    tnt_rp_state *d = make(0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, key,
                           32, key, 12, NULL);
    tnt_rp_set_seq(e, UINT64_MAX);
    tnt_rp_set_seq(d, UINT64_MAX);
    CHECK_EQ(tnt_rp_encrypt(e, 23, 0x0303, big, 10, out, BIG, &cl), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt(d, 23, 0x0303, out, cl, out, cl, &ol), TNT_RP_OK);
    CHECK_EQ(tnt_rp_seq(d), 0);
    CHECK_EQ(tnt_rp_skip(d, NULL, 0), TNT_RP_OK);
    CHECK_EQ(tnt_rp_seq(d), 1);
    tnt_rp_free(e), tnt_rp_free(d);

    /* Implicit-IV CBC cannot skip without the bytes, nor with fewer than its
     * last block (after the MAC under encrypt_then_mac). */
    st = make(0x0301, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, false, key, 20, key, 16, iv, 16, NULL);
    CHECK_EQ(tnt_rp_skip(st, NULL, 32), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_skip_tail(st, 64, big, 15), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_skip_tail(st, 64, big, 65), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_seq(st), 0);
    CHECK_EQ(tnt_rp_skip_tail(st, 64, big, 16), TNT_RP_OK);
    CHECK_EQ(tnt_rp_seq(st), 1);
    tnt_rp_free(st);
    st = make(0x0301, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, true, key, 20, key, 16, iv, 16, NULL);
    CHECK_EQ(tnt_rp_skip_tail(st, 64, big, 35), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_skip_tail(st, 64, big, 36), TNT_RP_OK);
    tnt_rp_free(st);
    free(big), free(out);
}

/* What survives lost records (conn.c resynchronises after a TCP gap): only
 * states whose sole memory is the sequence number; and a GCM record found
 * again by its explicit nonce, a ChaCha20 one by searching. */
static void test_resync(void)
{
    static const uint8_t k16[16] = {1}, k32[32] = {2}, mk20[20] = {3}, iv4[4] = {4}, iv12[12] = {5},
                         iv16[16] = {6};
    struct {
        uint16_t v;
        tnt_cipher c;
        tnt_mac m;
        const uint8_t *key;
        size_t key_len, iv_len, mac_len;
        bool resync;
        size_t nonce;
    } cases[] = {
        {0x0303, TNT_CIPHER_AES_128_GCM, TNT_MAC_AEAD, k16, 16, 4, 0, true, 8},
        {0x0303, TNT_CIPHER_AES_128_CCM, TNT_MAC_AEAD, k16, 16, 4, 0, true, 8},
        {0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, k32, 32, 12, 0, true, 0},
        {0x0303, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, k16, 16, 16, 20, true, 0},
        {0x0302, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, k16, 16, 16, 20, true, 0},
        {0x0301, TNT_CIPHER_AES_128_CBC, TNT_MAC_SHA1, k16, 16, 16, 20, false, 0},
        {0x0303, TNT_CIPHER_RC4_128, TNT_MAC_SHA1, k16, 16, 0, 20, false, 0},
        {0x0303, TNT_CIPHER_NULL, TNT_MAC_SHA1, NULL, 0, 0, 20, true, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint8_t *iv = cases[i].iv_len == 4 ? iv4 : cases[i].iv_len == 12 ? iv12 : iv16;
        tnt_rp_status rs;
        tnt_rp_state *st = make(cases[i].v, cases[i].c, cases[i].m, false, mk20, cases[i].mac_len,
                                cases[i].key, cases[i].key_len, iv, cases[i].iv_len, &rs);
        CHECK_EQ(rs, TNT_RP_OK);
        if (!st)
            continue;
        CHECK_EQ(tnt_rp_resyncable(st), cases[i].resync);
        CHECK_EQ(tnt_rp_explicit_nonce_len(st), cases[i].nonce);
        tnt_rp_free(st);
    }
    CHECK(!tnt_rp_resyncable(NULL));
    CHECK_EQ(tnt_rp_explicit_nonce_len(NULL), 0);

    /* Records 0..4 sealed; 1..3 "lost": record 4 opens only under
     * sequence number 4, which is what conn.c searches for. */
    tnt_rp_state *w = make(0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, k32,
                           32, iv12, 12, NULL);
    tnt_rp_state *r = make(0x0303, TNT_CIPHER_CHACHA20_POLY1305, TNT_MAC_AEAD, false, NULL, 0, k32,
                           32, iv12, 12, NULL);
    uint8_t rec[5][64], out[64];
    size_t len[5], n;
    for (int j = 0; j < 5; j++)
        CHECK_EQ(tnt_rp_encrypt(w, TNT_CT_APPLICATION_DATA, 0x0303, (const uint8_t *)"record", 6,
                                rec[j], sizeof rec[j], &len[j]),
                 TNT_RP_OK);
    CHECK_EQ(
        tnt_rp_decrypt(r, TNT_CT_APPLICATION_DATA, 0x0303, rec[0], len[0], out, sizeof out, &n),
        TNT_RP_OK);
    for (uint64_t seq = 1; seq < 6; seq++) {
        tnt_rp_set_seq(r, seq);
        CHECK_EQ(
            tnt_rp_decrypt(r, TNT_CT_APPLICATION_DATA, 0x0303, rec[4], len[4], out, sizeof out, &n),
            seq == 4 ? TNT_RP_OK : TNT_RP_BAD_MAC);
    }
    tnt_rp_free(w);
    tnt_rp_free(r);
}

/* ---- legacy block ciphers: published single-block vectors ----
 * A TLS 1.1 record with an all-zero explicit IV starts with E_K(first
 * plaintext block), so each cipher's first ciphertext block after the IV
 * must be the published ECB result. IDEA has no capture (no encoder here
 * could produce one), so this is its test. */

static void zero_rng(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0, len);
}

static void block_vector(tnt_cipher c, const char *key_hex, const char *pt_hex, const char *ct_hex)
{
    uint8_t key[32], pt[16], want[16], mk[20] = {0}, rec[128], back[128];
    size_t kl = check_unhex(key_hex, key, sizeof key);
    size_t bl = check_unhex(pt_hex, pt, sizeof pt);
    CHECK_EQ(check_unhex(ct_hex, want, sizeof want), bl);
    CHECK_EQ(kl, tnt_rp_key_len(c));
    tnt_rp_status rs;
    tnt_rp_state *w = make(0x0302, c, TNT_MAC_SHA1, false, mk, 20, key, kl, NULL, 0, &rs);
    tnt_rp_state *r = make(0x0302, c, TNT_MAC_SHA1, false, mk, 20, key, kl, NULL, 0, NULL);
    CHECK_EQ(rs, TNT_RP_OK);
    if (!w || !r)
        goto out;
    tnt_rp_set_rng(w, zero_rng, NULL);
    size_t n = 0, m = 0;
    CHECK_EQ(tnt_rp_encrypt(w, 23, 0x0302, pt, bl, rec, sizeof rec, &n), TNT_RP_OK);
    CHECK(n > 2 * bl);
    CHECK_MEM(rec + bl, want, bl); /* after the zero IV */
    CHECK_EQ(tnt_rp_decrypt(r, 23, 0x0302, rec, n, back, sizeof back, &m), TNT_RP_OK);
    CHECK_EQ(m, bl);
    CHECK_MEM(back, pt, bl);
out:
    tnt_rp_free(w);
    tnt_rp_free(r);
}

static void test_legacy_vectors(void)
{
    /* IDEA: Lai & Massey's example (key words 1..8, plaintext words 0..3). */
    block_vector(TNT_CIPHER_IDEA_CBC, "00010002000300040005000600070008", "0000000100020003",
                 "11fbed2b01986de5");
    /* SEED: RFC 4269 appendix B, first vector. */
    block_vector(TNT_CIPHER_SEED_CBC, "00000000000000000000000000000000",
                 "000102030405060708090a0b0c0d0e0f", "5ebac6e0054e166819aff1cc6d346cdb");
    /* RC2: RFC 2268 section 5, 16-byte key with 128 effective bits, which is
     * how the expanded RC2_CBC_40 export key is used. */
    block_vector(TNT_CIPHER_RC2_40_CBC, "88bca90e90875a7f0f79c384627bafb2", "0000000000000000",
                 "2269552ab0f85ca6");
    /* DES (FIPS 81 example "Now is t"), also for DES40_CBC's expanded key. */
    block_vector(TNT_CIPHER_DES_CBC, "0123456789abcdef", "4e6f772069732074", "3fa40e8a984d4815");
    block_vector(TNT_CIPHER_DES40_CBC, "0123456789abcdef", "4e6f772069732074", "3fa40e8a984d4815");
    /* An all-zero (weak) DES or 3DES key is still the key the peer derived. */
    uint8_t zk[24] = {0}, mk[20] = {0};
    tnt_rp_status rs;
    tnt_rp_free(make(0x0301, TNT_CIPHER_DES_CBC, TNT_MAC_SHA1, false, mk, 20, zk, 8, zk, 8, &rs));
    CHECK_EQ(rs, TNT_RP_OK);
    tnt_rp_free(
        make(0x0301, TNT_CIPHER_3DES_EDE_CBC, TNT_MAC_SHA1, false, mk, 20, zk, 24, zk, 8, &rs));
    CHECK_EQ(rs, TNT_RP_OK);
    CHECK_EQ(tnt_rp_key_len(TNT_CIPHER_RC4_40), 16);
    CHECK_EQ(tnt_rp_key_len(TNT_CIPHER_RC2_40_CBC), 16);
    CHECK_EQ(tnt_rp_key_len(TNT_CIPHER_DES40_CBC), 8);
    CHECK_EQ(tnt_rp_key_len(TNT_CIPHER_3DES_EDE_CBC), 24);
}

/* Every TLS 1.0-1.2 suite of the table gets record protection, in every
 * version it can be used with, except ARIA and SM4 (not in libgcrypt 1.10;
 * stock tshark 4.0 cannot decrypt them either): NULL, PSK, SRP, KRB5 and
 * export suites alike, since with a key log only the cipher and MAC matter. */
static void test_suite_table(void)
{
    int ok_suites = 0, psk = 0, null = 0, exp = 0;
    uint8_t mk[64] = {1}, key[32] = {2}, iv[16] = {3};
    for (uint32_t id = 0; id <= 0xffff; id++) {
        const tnt_suite_info *s = tnt_suite_lookup((uint16_t)id);
        if (!s || s->kx == TNT_KX_TLS13 || s->cipher == TNT_CIPHER_UNKNOWN)
            continue;
        const tnt_cipher_info *ci = tnt_cipher_lookup(s->cipher);
        bool aria_sm4 =
            s->cipher == TNT_CIPHER_ARIA_128_CBC || s->cipher == TNT_CIPHER_ARIA_256_CBC ||
            s->cipher == TNT_CIPHER_ARIA_128_GCM || s->cipher == TNT_CIPHER_ARIA_256_GCM ||
            s->cipher == TNT_CIPHER_SM4_GCM || s->cipher == TNT_CIPHER_SM4_CCM;
        /* AEAD and SHA-256/384 MACs exist from TLS 1.2 on; the rest from SSL 3.0. */
        bool tls12_only = ci->aead || s->mac == TNT_MAC_SHA256 || s->mac == TNT_MAC_SHA384;
        uint16_t v = tls12_only ? 0x0303 : 0x0300;
        tnt_rp_params p = {v,    s,
                           mk,   tnt_mac_len(s->mac),
                           key,  tnt_rp_key_len(s->cipher),
                           iv,   ci->aead ? ci->iv_len : ci->block_len,
                           false};
        tnt_rp_state *st = NULL;
        tnt_rp_status rs = tnt_rp_new(&p, &st);
        tnt_rp_free(st);
        CHECK_EQ(tnt_rp_check(&p), rs);
        /* With TLS 1.2's EtM flag, and in the versions a suite cannot be
         * used in, the check agrees as well. */
        for (uint16_t ver = 0x0300; ver <= 0x0305; ver++) {
            tnt_rp_params q = p;
            q.version = ver;
            q.encrypt_then_mac = ver == 0x0303;
            tnt_rp_state *st2 = NULL;
            tnt_rp_status r2 = tnt_rp_new(&q, &st2);
            tnt_rp_free(st2);
            CHECK_EQ(tnt_rp_check(&q), r2);
        }
        if (aria_sm4) {
            CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
            continue;
        }
        if (rs != TNT_RP_OK)
            fprintf(stderr, "suite 0x%04x %s: %s\n", id, s->name, tnt_rp_status_name(rs));
        CHECK_EQ(rs, TNT_RP_OK);
        ok_suites += rs == TNT_RP_OK;
        psk += rs == TNT_RP_OK && (s->kx == TNT_KX_PSK || s->kx == TNT_KX_DHE_PSK ||
                                   s->kx == TNT_KX_RSA_PSK || s->kx == TNT_KX_ECDHE_PSK);
        null += rs == TNT_RP_OK && s->cipher == TNT_CIPHER_NULL;
        exp += rs == TNT_RP_OK && s->exportable;
    }
    CHECK(ok_suites > 250);
    CHECK(psk > 30);
    CHECK(null > 15);
    CHECK(exp > 10);
}

int main(void)
{
    test_legacy_vectors();
    test_suite_table();
    test_mac_vectors();
    test_resync();
    test_aead_vectors();
    test_corpus();
    test_round_trips();
    test_etm_layout();
    test_padding_extremes();
    test_creation();
    test_limits();
    test_iv_source();
    return check_done("test_record_protection");
}
