/* Key derivation against published PRF vectors and against real handshakes
 * whose keys tshark 4.0.17 derived independently (values from its
 * tls.debug_file) and whose records the derived keys must decrypt. */
#include "check.h"
#include "cursor.h"
#include "keylog.h"
#include "prf.h"
#include "prf_key.h"
#include "tnt/load.h"

#include <gcrypt.h>
#include <glib.h>

#define load check_load

/* A handshake-message stream as extract_handshake.py wrote it. */
typedef struct {
    uint8_t *data;
    size_t len;
    tnt_transcript *t;
    uint8_t client_random[32], server_random[32];
    tnt_bytes cke_body; /* ClientKeyExchange body */
} handshake;

static void load_handshake(const char *name, handshake *h)
{
    memset(h, 0, sizeof *h);
    h->data = load(name, &h->len);
    h->t = tnt_transcript_new();
    CHECK(h->t != NULL);
    tnt_transcript_update(h->t, h->data, h->len);
    tnt_cursor c, msg;
    tnt_cursor_init(&c, h->data, h->len);
    uint8_t type;
    while (tnt_get_u8(&c, &type) && tnt_get_u24_prefixed(&c, &msg)) {
        if (type == 1 || type == 2) {
            CHECK(tnt_skip(&msg, 2));
            CHECK(tnt_copy(&msg, type == 1 ? h->client_random : h->server_random, 32));
        } else if (type == 16) {
            tnt_read_rest(&msg, &h->cke_body);
        }
    }
    CHECK_EQ(tnt_cursor_len(&c), 0);
    CHECK(h->cke_body.len > 0);
}

static void free_handshake(handshake *h)
{
    tnt_transcript_free(h->t);
    g_free(h->data);
}

static void check_prf(tnt_prf_alg alg, const char *secret_hex, const char *label,
                      const char *seed_hex, const char *out_hex)
{
    uint8_t secret[64], seed[128], want[256], got[256];
    size_t sl = check_unhex(secret_hex, secret, sizeof secret);
    size_t dl = check_unhex(seed_hex, seed, sizeof seed);
    size_t ol = check_unhex(out_hex, want, sizeof want);
    CHECK(tnt_prf(alg, secret, sl, label, seed, dl, got, ol));
    CHECK_MEM(got, want, ol);
    /* A shorter request is a prefix of the longer one (P_hash is a stream). */
    memset(got, 0, sizeof got);
    CHECK(tnt_prf(alg, secret, sl, label, seed, dl, got, 7));
    CHECK_MEM(got, want, 7);
    CHECK_EQ(got[7], 0);

    /* The secret keyed once (prf_key.h), as the key schedule uses it: the
     * same output, and each call independent of the ones before (another
     * label in between, then the same request again). */
    tnt_prf_key *k = tnt_prf_key_new(alg, secret, sl);
    CHECK(k != NULL);
    if (!k)
        return;
    CHECK(tnt_prf_key_is_for(k, alg, secret, sl));
    CHECK(!tnt_prf_key_is_for(k, alg == TNT_PRF_SHA256 ? TNT_PRF_SHA384 : TNT_PRF_SHA256, secret,
                              sl));
    CHECK(!tnt_prf_key_is_for(k, alg, secret, sl - 1));
    CHECK(!tnt_prf_key_is_for(NULL, alg, secret, sl));
    for (int round = 0; round < 2; round++) {
        memset(got, 0xee, sizeof got);
        CHECK(tnt_prf_keyed(k, label, seed, dl, got, ol));
        CHECK_MEM(got, want, ol);
        CHECK(tnt_prf_keyed(k, "another label", seed, dl, got, 20));
        CHECK(memcmp(got, want, 20) != 0);
    }
    secret[0] ^= 1;
    CHECK(!tnt_prf_key_is_for(k, alg, secret, sl));
    tnt_prf_key_free(k);
}

static void test_published_vectors(void)
{
    /* TLS 1.2, posted to the IETF TLS list (msg03416) and used by GnuTLS,
     * BearSSL, Go and others. */
    check_prf(TNT_PRF_SHA256, "9bbe436ba940f017b17652849a71db35", "test label",
              "a0ba9f936cda311827a6f796ffd5198c",
              "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
              "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
              "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
              "87347b66");
    check_prf(TNT_PRF_SHA384, "b80b733d6ceefcdc71566ea48e5567df", "test label",
              "cd665cf6a8447dd6ff8b27555edb7465",
              "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
              "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
              "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
              "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
              "91c8f3a26854308d5eaa3be85e0990703d73e56f");
    /* More SHA-256 ones from GnuTLS tests/tls12-prf.c (32-byte secret, 24-byte seed). */
    check_prf(TNT_PRF_SHA256, "34204a9df0be6eb4e925a8027cf6c602", "test label",
              "98b2c40bcd664c83bb920c18201a6395",
              "afa9312453c22fa83d2b511b372d73a402a2a62873239a51fade45082faf3fd2"
              "bb7ffb3e9bf36e28b3141aaba484005332a9f9e388a4d329f1587a4b317da077"
              "08ea1ba95a53f8786724bd83ce4b03af");
    check_prf(TNT_PRF_SHA256, "210ec937069707e5465bc46bf779e104108b18fdb793be7b218dbf145c8641f3",
              "test label", "1e351a0baf35c79945924394b881cfe31dae8f1c1ed54d3b",
              "7653fa809cde3b553c4a17e2cdbcc918f36527f22219a7d7f95d97243ff2d5dee8265ef0af03");
    /* TLS 1.0 "PRF Testvector" (ietf-tls mail archive msg01589; forge, BearSSL). */
    char ab[97], cd[129];
    for (int i = 0; i < 48; i++)
        memcpy(ab + 2 * i, "ab", 2);
    ab[96] = 0;
    for (int i = 0; i < 64; i++)
        memcpy(cd + 2 * i, "cd", 2);
    cd[128] = 0;
    check_prf(TNT_PRF_TLS10, ab, "PRF Testvector", cd,
              "d3d4d1e349b5d515044666d51de32bab258cb521b6b053463e354832fd976754"
              "443bcf9a296519bc289abcbc1187e4ebd31e602353776c408aafb74cbc85eff6"
              "9255f9788faa184cbb957a9819d84a5d7eb006eb459d3ae8de9810454b8b2d8f"
              "1afbc655a8c9a013");
}

/* Decrypts one AES-CBC TLS 1.1+ record (explicit IV) and checks the
 * plaintext and its HMAC-SHA1, which proves both the enc and MAC keys. */
static void check_cbc_record(const char *file, const char *plain_file, const uint8_t *key,
                             size_t key_len, const uint8_t *mac_key, uint64_t seq)
{
    size_t rl, pl;
    uint8_t *rec = load(file, &rl), *plain = load(plain_file, &pl);
    CHECK(rl > 5 + 16 && (rl - 5 - 16) % 16 == 0);
    size_t ct_len = rl - 5 - 16;
    uint8_t *out = g_malloc(ct_len);
    gcry_cipher_hd_t h;
    CHECK(gcry_cipher_open(&h, key_len == 16 ? GCRY_CIPHER_AES128 : GCRY_CIPHER_AES256,
                           GCRY_CIPHER_MODE_CBC, 0) == 0);
    CHECK(gcry_cipher_setkey(h, key, key_len) == 0);
    CHECK(gcry_cipher_setiv(h, rec + 5, 16) == 0);
    CHECK(gcry_cipher_decrypt(h, out, ct_len, rec + 5 + 16, ct_len) == 0);
    gcry_cipher_close(h);
    uint8_t pad = out[ct_len - 1];
    CHECK(pad + 1u + 20u <= ct_len);
    size_t text_len = ct_len - pad - 1 - 20;
    CHECK(text_len <= pl);
    CHECK_MEM(out, plain, text_len);
    /* MAC over seq_num + type + version + length + fragment (RFC 5246 6.2.3.1). */
    uint8_t hdr[13];
    for (int i = 0; i < 8; i++)
        hdr[i] = (uint8_t)(seq >> (56 - 8 * i));
    memcpy(hdr + 8, rec, 3);
    hdr[11] = (uint8_t)(text_len >> 8);
    hdr[12] = (uint8_t)text_len;
    gcry_mac_hd_t m;
    uint8_t mac[20];
    size_t ml = sizeof mac;
    CHECK(gcry_mac_open(&m, GCRY_MAC_HMAC_SHA1, 0, NULL) == 0);
    gcry_mac_setkey(m, mac_key, 20);
    gcry_mac_write(m, hdr, sizeof hdr);
    gcry_mac_write(m, out, text_len);
    gcry_mac_read(m, mac, &ml);
    gcry_mac_close(m);
    CHECK_MEM(mac, out + text_len, 20);
    g_free(out);
    g_free(rec);
    g_free(plain);
}

static void append_file_msg(handshake *h, const char *file, size_t skip)
{
    size_t n;
    uint8_t *d = load(file, &n);
    CHECK(n > skip);
    tnt_transcript_update(h->t, d + skip, n - skip);
    g_free(d);
}

/* The "Illustrated TLS 1.2 Connection": ECDHE-RSA-AES128-CBC-SHA, TLS 1.2. */
static void test_illustrated_tls12(void)
{
    handshake h;
    memset(&h, 0, sizeof h);
    h.t = tnt_transcript_new();
    /* The caps files are whole records: skip the 5-byte record header. */
    const char *msgs[] = {"clienthello",       "serverhello",     "servercert",
                          "serverkeyexchange", "serverhellodone", "clientkeyexchange"};
    for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
        char *f = g_strdup_printf("illustrated-tls12/%s", msgs[i]);
        append_file_msg(&h, f, 5);
        g_free(f);
    }
    uint8_t cr[32], sr[32], ms[48], kb[104], want[104];
    for (int i = 0; i < 32; i++) {
        cr[i] = (uint8_t)i;
        sr[i] = (uint8_t)(0x70 + i);
    }
    tnt_keylog *kl = tnt_keylog_new();
    GError *err = NULL;
    char *path = g_build_filename(getenv("TNT_TEST_DATA"), "illustrated-tls12-keylog.txt", NULL);
    CHECK(tnt_keylog_load_file(kl, path, NULL, NULL, NULL, &err));
    g_free(path);
    CHECK(tnt_keylog_master_secret(kl, cr, ms));
    tnt_keylog_free(kl);

    CHECK(tnt_key_block(TNT_PRF_SHA256, ms, cr, sr, kb, sizeof kb));
    check_unhex("1b7d117c7d5f690bc263cae8ef60af0f1878acc22ad8bdd8c601a617126f63540eb20906f781fad2"
                "f656d037b173ef3e11169f27231a84b6752a18e7a9fcb7cbcdd8f98dd8f769eb"
                "a0d2550c9238eebfef5c32251abb67d6434528db4937d540d393135e06a11bb8",
                want, sizeof want);
    CHECK_MEM(kb, want, sizeof want);

    tnt_key_material km;
    CHECK(tnt_derive_keys(TNT_PRF_SHA256, ms, cr, sr, 20, 16, 16, &km));
    CHECK_EQ(km.mac_len, 20);
    CHECK_EQ(km.key_len, 16);
    CHECK_EQ(km.iv_len, 16);
    CHECK_MEM(km.client_mac, want, 20);
    CHECK_MEM(km.server_mac, want + 20, 20);
    CHECK_MEM(km.client_key, want + 40, 16);
    CHECK_MEM(km.server_key, want + 56, 16);
    CHECK_MEM(km.client_iv, want + 72, 16);
    CHECK_MEM(km.server_iv, want + 88, 16);

    /* The derived keys really decrypt and authenticate both Finished records. */
    tnt_gcrypt_init();
    check_cbc_record("illustrated-tls12/clientfinished", "illustrated-tls12/clientfinishedplain",
                     km.client_key, 16, km.client_mac, 0);
    check_cbc_record("illustrated-tls12/serverfinished", "illustrated-tls12/serverfinishedplain",
                     km.server_key, 16, km.server_mac, 0);

    uint8_t vd[36], exp[12];
    size_t vl = 0;
    CHECK(tnt_finished_verify_data(TNT_PRF_SHA256, ms, false, h.t, vd, sizeof vd, &vl));
    CHECK_EQ(vl, 12);
    check_unhex("cf919626f1360c536aaad73a", exp, sizeof exp);
    CHECK_MEM(vd, exp, 12);
    /* The server's Finished covers the client's Finished too. */
    append_file_msg(&h, "illustrated-tls12/clientfinishedplain", 0);
    CHECK(tnt_finished_verify_data(TNT_PRF_SHA256, ms, true, h.t, vd, sizeof vd, &vl));
    check_unhex("844d3c10746dd722f92f0c7e", exp, sizeof exp);
    CHECK_MEM(vd, exp, 12);
    /* Too small an output buffer. */
    CHECK(!tnt_finished_verify_data(TNT_PRF_SHA256, ms, true, h.t, vd, 11, &vl));
    tnt_transcript_free(h.t);
}

/* scapy-ssl_tls RSA_WITH_AES_128_CBC_SHA_w_key.pcap: TLS 1.0, RSA key exchange. */
static void test_scapy_tls10(void)
{
    handshake h;
    load_handshake("scapy-ssl_tls-rsa-tls10-handshake.bin", &h);
    uint8_t pms[48], ms[48], want[104], kb[104];
    check_unhex("0303766c57ed5b83ff5aa5c42bf29263d49490869590dffeeaf1b27103ec72b8"
                "45ad66f25367781ff6dc4bac008c2c30",
                pms, sizeof pms);
    CHECK(tnt_master_secret(TNT_PRF_TLS10, pms, 48, h.client_random, h.server_random, ms));
    check_unhex("b92a181ec81a468f1d4feb21dd70b09c45bb3dc6b2f3cf4bbf6d8ac1d61609f9"
                "2ba73e6652daf255afacf0e16c286a8d",
                want, sizeof want);
    CHECK_MEM(ms, want, 48);
    CHECK(tnt_key_block(TNT_PRF_TLS10, ms, h.client_random, h.server_random, kb, sizeof kb));
    check_unhex("ce2908c507fc41433f7b05138922c852c410972f20756e70b998102d8cf7a3afa053fa50"
                "13aa8adfc0e74bf31da337e376f79506982f9884bdc0d4a14cfacec8cc050a23f42811a8"
                "09c5e07e25b92b8a4967046c4349720b355cf1e2b199f6ba49a6d0876b2f7fd2",
                want, sizeof want);
    CHECK_MEM(kb, want, sizeof kb);

    /* verify_data as tshark decrypted them from the Finished records. */
    uint8_t vd[36], exp[12];
    size_t vl = 0;
    CHECK(tnt_finished_verify_data(TNT_PRF_TLS10, ms, false, h.t, vd, sizeof vd, &vl));
    CHECK_EQ(vl, 12);
    check_unhex("c2c79148768ddd66bda2d3be", exp, sizeof exp);
    CHECK_MEM(vd, exp, 12);
    uint8_t fin[16];
    check_unhex("1400000cc2c79148768ddd66bda2d3be", fin, sizeof fin);
    tnt_transcript_update(h.t, fin, sizeof fin);
    CHECK(tnt_finished_verify_data(TNT_PRF_TLS10, ms, true, h.t, vd, sizeof vd, &vl));
    check_unhex("31a9d720760de10ea44d3278", exp, sizeof exp);
    CHECK_MEM(vd, exp, 12);
    free_handshake(&h);
}

/* made_here tls12-aes128sha-server-reneg: TLS 1.2 RSA with Extended Master
 * Secret. OpenSSL logged both the PMS (RSA line) and the resulting master
 * secret (CLIENT_RANDOM line): RFC 7627 must turn one into the other. */
static void test_ems(void)
{
    handshake h;
    load_handshake("made_here-tls12-aes128sha-server-reneg-handshake.bin", &h);
    tnt_keylog *kl = tnt_keylog_new();
    GError *err = NULL;
    char *path = g_build_filename(getenv("TNT_TEST_DATA"),
                                  "made_here-tls12-aes128sha-server-reneg.keys", NULL);
    CHECK(tnt_keylog_load_file(kl, path, NULL, NULL, NULL, &err));
    g_free(path);

    /* EncryptedPreMasterSecret: u16 length, then the ciphertext. */
    tnt_cursor c;
    tnt_bytes epms;
    tnt_cursor_init(&c, h.cke_body.p, h.cke_body.len);
    CHECK(tnt_read_vec16(&c, &epms));
    CHECK_EQ(epms.len, 256);
    uint8_t pms[48], ms_logged[48], ms[48], sh[64];
    CHECK(tnt_keylog_pms_by_rsa_prefix(kl, epms.p, pms));
    CHECK(tnt_keylog_master_secret(kl, h.client_random, ms_logged));

    size_t shl = 0;
    CHECK(tnt_transcript_handshake_hash(h.t, TNT_PRF_SHA256, sh, sizeof sh, &shl));
    CHECK_EQ(shl, 32);
    CHECK(tnt_master_secret_ems(TNT_PRF_SHA256, pms, 48, sh, shl, ms));
    CHECK_MEM(ms, ms_logged, 48);
    /* The classic derivation gives something else: EMS really was in use. */
    CHECK(tnt_master_secret(TNT_PRF_SHA256, pms, 48, h.client_random, h.server_random, ms));
    CHECK(memcmp(ms, ms_logged, 48) != 0);
    /* EMS does not exist for SSL 3.0. */
    CHECK(!tnt_master_secret_ems(TNT_PRF_SSL3, pms, 48, sh, shl, ms));
    tnt_keylog_free(kl);
    free_handshake(&h);
}

/* snet ssl3_0.pcap: SSL 3.0 DHE-RSA-AES256-CBC-SHA. */
static void test_ssl3(void)
{
    handshake h;
    load_handshake("snet-ssl3_0-handshake.bin", &h);
    tnt_keylog *kl = tnt_keylog_new();
    GError *err = NULL;
    char *path = g_build_filename(getenv("TNT_TEST_DATA"), "snet-ssl3_0.keylog", NULL);
    CHECK(tnt_keylog_load_file(kl, path, NULL, NULL, NULL, &err));
    g_free(path);
    uint8_t ms[48], kb[136], want[136];
    CHECK(tnt_keylog_master_secret(kl, h.client_random, ms));
    tnt_keylog_free(kl);

    CHECK(tnt_key_block(TNT_PRF_SSL3, ms, h.client_random, h.server_random, kb, sizeof kb));
    check_unhex("f2a7f93ffffe61267ee24d1ed058e3f2f1fa76e6c42ecc725c92623fff31de4efaec6316fda9ad99"
                "2a2d90cab2f523094fa37906b14facbc362647408d6815ef08d6a1ca605ed474"
                "a9636b77b26860f2e8d5f021f6011207e5a8f31385871a468f50f59756c5704a"
                "e64fbe611773ed25e94a6b467c9d1a8ce1a8729b879f1338797e119992f95fa0",
                want, sizeof want);
    CHECK_MEM(kb, want, sizeof kb);

    uint8_t vd[36], exp[36];
    size_t vl = 0;
    CHECK(tnt_finished_verify_data(TNT_PRF_SSL3, ms, false, h.t, vd, sizeof vd, &vl));
    CHECK_EQ(vl, 36);
    check_unhex("5b8beba6ef4d5e1cc23354279bd9719cb61416a256026fa959dd138df4a55f32c42ab1a0", exp,
                sizeof exp);
    CHECK_MEM(vd, exp, 36);
    uint8_t fin[40] = {0x14, 0, 0, 0x24};
    memcpy(fin + 4, exp, 36);
    tnt_transcript_update(h.t, fin, sizeof fin);
    CHECK(tnt_finished_verify_data(TNT_PRF_SSL3, ms, true, h.t, vd, sizeof vd, &vl));
    check_unhex("52c744c4d4040b8723f3f6c02d31f813ea447e816bfb122dbecd293fed2eef71e9dd0554", exp,
                sizeof exp);
    CHECK_MEM(vd, exp, 36);
    CHECK(!tnt_finished_verify_data(TNT_PRF_SSL3, ms, true, h.t, vd, 35, &vl));
    /* SSL 3.0 expansion is defined up to 26 blocks ("A" .. "ZZ...Z"). */
    uint8_t big[26 * 16 + 1], seed[64];
    memcpy(seed, h.server_random, 32);
    memcpy(seed + 32, h.client_random, 32);
    CHECK(tnt_prf(TNT_PRF_SSL3, ms, 48, NULL, seed, 64, big, 26 * 16));
    CHECK_MEM(big, want, sizeof want);
    CHECK(!tnt_prf(TNT_PRF_SSL3, ms, 48, NULL, seed, 64, big, sizeof big));
    free_handshake(&h);
}

static void test_transcript(void)
{
    static const struct {
        tnt_hash h;
        const char *abc;
    } v[] = {
        {TNT_HASH_MD5, "900150983cd24fb0d6963f7d28e17f72"},
        {TNT_HASH_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {TNT_HASH_SHA224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
        {TNT_HASH_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {TNT_HASH_SHA384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
                          "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
        {TNT_HASH_SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    };
    tnt_transcript *t = tnt_transcript_new();
    tnt_transcript_update(t, (const uint8_t *)"a", 1);
    tnt_transcript *snap = tnt_transcript_copy(t); /* state after "a" */
    tnt_transcript_update(t, (const uint8_t *)"", 0);
    tnt_transcript_update(t, (const uint8_t *)"bc", 2);
    uint8_t out[64], want[64];
    size_t n;
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
        size_t wl = check_unhex(v[i].abc, want, sizeof want);
        CHECK_EQ(tnt_hash_len(v[i].h), wl);
        CHECK(tnt_transcript_digest(t, v[i].h, out, sizeof out, &n));
        CHECK_EQ(n, wl);
        CHECK_MEM(out, want, wl);
        /* Taking a digest does not end the transcript. */
        CHECK(tnt_transcript_digest(t, v[i].h, out, sizeof out, &n));
        CHECK_MEM(out, want, wl);
        CHECK(!tnt_transcript_digest(t, v[i].h, out, wl - 1, &n));
    }
    /* The snapshot went on independently: "a" + "bc" there too gives "abc". */
    tnt_transcript_update(snap, (const uint8_t *)"bc", 2);
    CHECK(tnt_transcript_digest(snap, TNT_HASH_SHA256, out, sizeof out, &n));
    check_unhex(v[3].abc, want, sizeof want);
    CHECK_MEM(out, want, 32);
    /* ...and the original was not disturbed by the snapshot's updates. */
    tnt_transcript_update(snap, (const uint8_t *)"x", 1);
    CHECK(tnt_transcript_digest(t, TNT_HASH_SHA256, out, sizeof out, &n));
    CHECK_MEM(out, want, 32);

    /* Handshake hashes: MD5 || SHA-1 for TLS 1.0/1.1, else the PRF hash. */
    CHECK(tnt_transcript_handshake_hash(t, TNT_PRF_TLS10, out, sizeof out, &n));
    CHECK_EQ(n, 36);
    check_unhex(v[0].abc, want, sizeof want);
    check_unhex(v[1].abc, want + 16, sizeof want - 16);
    CHECK_MEM(out, want, 36);
    CHECK(!tnt_transcript_handshake_hash(t, TNT_PRF_TLS10, out, 35, &n));
    CHECK(tnt_transcript_handshake_hash(t, TNT_PRF_SHA384, out, sizeof out, &n));
    CHECK_EQ(n, 48);
    check_unhex(v[4].abc, want, sizeof want);
    CHECK_MEM(out, want, 48);
    tnt_transcript_free(snap);
    tnt_transcript_free(t);
    tnt_transcript_free(NULL);

    /* Empty transcript: SHA-256 of nothing. */
    t = tnt_transcript_new();
    CHECK(tnt_transcript_digest(t, TNT_HASH_SHA256, out, sizeof out, &n));
    check_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want,
                sizeof want);
    CHECK_MEM(out, want, 32);
    tnt_transcript_free(t);
}

static void test_split(void)
{
    uint8_t kb[2 * (64 + 32 + 16)];
    for (size_t i = 0; i < sizeof kb; i++)
        kb[i] = (uint8_t)i;
    tnt_key_material km;
    /* AES-128-GCM: no MAC keys, 4-byte implicit IVs (RFC 5288). */
    CHECK_EQ(tnt_key_block_len(0, 16, 4), 40);
    CHECK(tnt_key_block_split(kb, 40, 0, 16, 4, &km));
    CHECK_EQ(km.client_key[0], 0);
    CHECK_EQ(km.server_key[0], 16);
    CHECK_EQ(km.client_iv[0], 32);
    CHECK_EQ(km.server_iv[0], 36);
    CHECK_EQ(km.server_iv[3], 39);
    /* Maximum lengths. */
    CHECK(tnt_key_block_split(kb, sizeof kb, 64, 32, 16, &km));
    CHECK_EQ(km.server_mac[63], 127);
    CHECK_EQ(km.server_iv[15], 223);
    /* One byte short, and each length one over its maximum. */
    CHECK(!tnt_key_block_split(kb, 39, 0, 16, 4, &km));
    CHECK(!tnt_key_block_split(kb, sizeof kb, 65, 16, 4, &km));
    CHECK(!tnt_key_block_split(kb, sizeof kb, 20, 33, 4, &km));
    CHECK(!tnt_key_block_split(kb, sizeof kb, 20, 16, 17, &km));
    uint8_t ms[48] = {0}, r[32] = {0};
    CHECK(!tnt_derive_keys(TNT_PRF_SHA256, ms, r, r, 20, 33, 16, &km));
    /* Zero-length output is fine and touches nothing. */
    CHECK(tnt_prf(TNT_PRF_SHA256, ms, 48, "x", r, 32, kb, 0));
    CHECK_EQ(kb[0], 0);
}

int main(void)
{
    if (!getenv("TNT_TEST_DATA"))
        setenv("TNT_TEST_DATA", "tests/data", 1);
    test_published_vectors();
    test_illustrated_tls12();
    test_scapy_tls10();
    test_ems();
    test_ssl3();
    test_transcript();
    test_split();
    return check_done("test_prf");
}
