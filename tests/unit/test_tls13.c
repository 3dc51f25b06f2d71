/* TLS 1.3 record protection and traffic keys: RFC 8448 section 3 (key
 * derivation and every protected record of the simple 1-RTT handshake), the
 * record layer's edge cases, and real connections from the corpus decrypted
 * with their key log and compared with what stock tshark decrypts. */
#include "check.h"
#include "keylog.h"
#include "names.h"
#include "record_protection.h"
#include "tls13_keys.h"
#include "tls13_vectors.h"
#include "tnt/load.h"

#include <gcrypt.h>

#define MAXREC (16384 + 256 + 5)

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    return check_unhex(hex, out, cap);
}

/* ---- HKDF-Expand-Label ---- */

static void test_expand_label(void)
{
    uint8_t secret[48], want[64], key[32], iv[12], out[64];
    struct {
        const char *secret, *key, *iv;
    } v[] = {
        {R8448_S_HS_SECRET, R8448_S_HS_KEY, R8448_S_HS_IV},
        {R8448_C_HS_SECRET, R8448_C_HS_KEY, R8448_C_HS_IV},
        {R8448_S_AP_SECRET, R8448_S_AP_KEY, R8448_S_AP_IV},
        {R8448_C_AP_SECRET, R8448_C_AP_KEY, R8448_C_AP_IV},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        size_t sl = unhex(v[i].secret, secret, sizeof secret);
        CHECK(tnt_tls13_traffic_keys(TNT_HASH_SHA256, secret, sl, 16, key, iv));
        CHECK_EQ(unhex(v[i].key, want, sizeof want), 16);
        CHECK_MEM(key, want, 16);
        CHECK_EQ(unhex(v[i].iv, want, sizeof want), 12);
        CHECK_MEM(iv, want, 12);
    }
    /* Another label, and a non-empty context. */
    size_t sl = unhex(R8448_S_HS_SECRET, secret, sizeof secret);
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "finished", NULL, 0, out, 32));
    unhex(R8448_S_FINISHED_KEY, want, sizeof want);
    CHECK_MEM(out, want, 32);
    uint8_t ctx[32];
    sl = unhex(R8448_EARLY_SECRET, secret, sizeof secret);
    unhex(R8448_EMPTY_HASH, ctx, sizeof ctx);
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "derived", ctx, 32, out, 32));
    unhex(R8448_DERIVED, want, sizeof want);
    CHECK_MEM(out, want, 32);

    /* A shorter output is a different HkdfLabel (its length field), not a
     * prefix of the longer one. */
    uint8_t k12[12];
    sl = unhex(R8448_S_HS_SECRET, secret, sizeof secret);
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", NULL, 0, k12, 12));
    unhex(R8448_S_HS_KEY, want, sizeof want);
    CHECK(memcmp(k12, want, 12) != 0);

    /* Bad arguments. */
    char longlabel[251];
    memset(longlabel, 'a', sizeof longlabel - 1);
    longlabel[250] = 0;
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "", NULL, 0, out, 16));
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, longlabel, NULL, 0, out, 16));
    longlabel[249] = 0; /* "tls13 " + 249 = 255: the longest allowed */
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, longlabel, NULL, 0, out, 16));
    uint8_t bigctx[256] = {0};
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", bigctx, 256, out, 16));
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", bigctx, 255, out, 16));
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA1, secret, sl, "key", NULL, 0, out, 16));
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, 0, "key", NULL, 0, out, 16));
    static uint8_t big[255 * 48 + 1];
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", NULL, 0, big, 255 * 32));
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", NULL, 0, big, 255 * 32 + 1));
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA384, secret, 48, "key", NULL, 0, big, 255 * 48));
    CHECK(!tnt_hkdf_expand_label(TNT_HASH_SHA384, secret, 48, "key", NULL, 0, big, 255 * 48 + 1));
    /* A multi-block output (T(1) || T(2)) is the same on every call. */
    uint8_t again[64];
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", NULL, 0, again, 64));
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, sl, "key", NULL, 0, out, 64));
    CHECK_MEM(again, out, 64);

    /* Traffic keys want a secret of the hash's length and a sane key length. */
    CHECK(!tnt_tls13_traffic_keys(TNT_HASH_SHA256, secret, 48, 16, key, iv));
    CHECK(!tnt_tls13_traffic_keys(TNT_HASH_SHA384, secret, 32, 16, key, iv));
    CHECK(!tnt_tls13_traffic_keys(TNT_HASH_SHA256, secret, 32, 0, key, iv));
    CHECK(!tnt_tls13_traffic_keys(TNT_HASH_SHA256, secret, 32, 33, key, iv));

    /* "traffic upd": out may alias the input; the length must be the hash's. */
    uint8_t s1[32], s2[32];
    memcpy(s1, secret, 32);
    CHECK(tnt_tls13_update_secret(TNT_HASH_SHA256, secret, 32, s2));
    CHECK(tnt_hkdf_expand_label(TNT_HASH_SHA256, secret, 32, "traffic upd", NULL, 0, out, 32));
    CHECK_MEM(s2, out, 32);
    CHECK(tnt_tls13_update_secret(TNT_HASH_SHA256, s1, 32, s1));
    CHECK_MEM(s1, s2, 32);
    CHECK(!tnt_tls13_update_secret(TNT_HASH_SHA256, secret, 48, out));
    CHECK(!tnt_tls13_update_secret(TNT_HASH_SHA384, secret, 32, out));
}

static void test_suite_hash(void)
{
    const struct {
        uint16_t id;
        bool ok;
        tnt_hash h;
    } v[] = {
        {0x1301, true, TNT_HASH_SHA256},
        {0x1302, true, TNT_HASH_SHA384},
        {0x1303, true, TNT_HASH_SHA256},
        {0x1304, true, TNT_HASH_SHA256},
        {0x1305, true, TNT_HASH_SHA256},
        {0xC02F, false, 0},
        {0x009D, false, 0},
        {0x00C6, false, 0}, /* SM3 */
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        tnt_hash h = TNT_HASH_MD5;
        CHECK_EQ(tnt_tls13_suite_hash(tnt_suite_lookup(v[i].id), &h), v[i].ok);
        if (v[i].ok)
            CHECK_EQ(h, v[i].h);
    }
    tnt_hash h;
    CHECK(!tnt_tls13_suite_hash(NULL, &h));
}

/* ---- RFC 8448 records ---- */

static tnt_rp_state *state13(uint16_t suite, const char *secret_hex)
{
    uint8_t secret[48];
    size_t sl = unhex(secret_hex, secret, sizeof secret);
    tnt_rp_state *st = NULL;
    CHECK_EQ(tnt_tls13_rp_new(tnt_suite_lookup(suite), secret, sl, &st), TNT_RP_OK);
    return st;
}

/* Decrypts one whole record (header included) and checks the result. */
static void expect_record(tnt_rp_state *st, const char *rec_hex, uint8_t want_type,
                          const uint8_t *want, size_t want_len)
{
    static uint8_t rec[MAXREC], out[MAXREC];
    size_t n = unhex(rec_hex, rec, sizeof rec);
    size_t len = 0;
    uint8_t type = 0;
    uint64_t seq = tnt_rp_seq(st);
    CHECK_EQ(tnt_rp_decrypt13(st, rec, rec + 5, n - 5, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(type, want_type);
    CHECK_EQ(len, want_len);
    if (len == want_len)
        CHECK_MEM(out, want, len);
    CHECK_EQ(tnt_rp_seq(st), seq + 1);
}

static void test_rfc8448(void)
{
    static uint8_t rec[MAXREC], out[MAXREC], want[MAXREC], hdr[5];
    size_t len;
    uint8_t type;

    /* The server's flight: EE .. Finished in one record, seq 0. */
    tnt_rp_state *s = state13(0x1301, R8448_S_HS_SECRET);
    size_t n = unhex(R8448_S_FLIGHT_REC, rec, sizeof rec);
    CHECK_EQ(tnt_rp_decrypt13(s, rec, rec + 5, n - 5, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(type, 22);
    /* EE (40) + Certificate (445) + CertificateVerify (136) + Finished (36) */
    CHECK_EQ(len, 657);
    size_t ee = unhex(R8448_S_EE, want, sizeof want);
    CHECK_MEM(out, want, ee);
    size_t fin = unhex(R8448_S_FINISHED, want, sizeof want);
    CHECK_MEM(out + len - fin, want, fin);
    /* Sealing the same plaintext at seq 0 gives the RFC's record. */
    tnt_rp_state *s2 = state13(0x1301, R8448_S_HS_SECRET);
    uint8_t pt[657];
    memcpy(pt, out, sizeof pt);
    CHECK_EQ(tnt_rp_encrypt13(s2, 22, pt, sizeof pt, 0, hdr, out, sizeof out, &len), TNT_RP_OK);
    CHECK_EQ(len, n - 5);
    CHECK_MEM(hdr, rec, 5);
    CHECK_MEM(out, rec + 5, n - 5);
    tnt_rp_free(s2);
    tnt_rp_free(s);

    /* The client's Finished under its handshake keys, both ways. */
    tnt_rp_state *c = state13(0x1301, R8448_C_HS_SECRET);
    fin = unhex(R8448_C_FINISHED, want, sizeof want);
    expect_record(c, R8448_C_FIN_REC, 22, want, fin);
    tnt_rp_free(c);
    c = state13(0x1301, R8448_C_HS_SECRET);
    n = unhex(R8448_C_FIN_REC, rec, sizeof rec);
    CHECK_EQ(tnt_rp_encrypt13(c, 22, want, fin, 0, hdr, out, sizeof out, &len), TNT_RP_OK);
    CHECK_EQ(len + 5, n);
    CHECK_MEM(hdr, rec, 5);
    CHECK_MEM(out, rec + 5, n - 5);
    tnt_rp_free(c);

    /* Application traffic: NewSessionTicket (server seq 0), the 50-byte
     * payloads (client seq 0, server seq 1), close_notify (client seq 1,
     * server seq 2). */
    tnt_rp_state *sa = state13(0x1301, R8448_S_AP_SECRET);
    tnt_rp_state *ca = state13(0x1301, R8448_C_AP_SECRET);
    n = unhex(R8448_S_NST_REC, rec, sizeof rec);
    CHECK_EQ(tnt_rp_decrypt13(sa, rec, rec + 5, n - 5, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(type, 22);
    CHECK_EQ(len, 4 + 0xc9);
    CHECK(out[0] == 4 && out[1] == 0 && out[2] == 0 && out[3] == 0xc9);
    uint8_t payload[50];
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)i;
    expect_record(ca, R8448_C_APP_REC, 23, payload, sizeof payload);
    expect_record(sa, R8448_S_APP_REC, 23, payload, sizeof payload);
    static const uint8_t close_notify[2] = {1, 0};
    expect_record(ca, R8448_C_ALERT_REC, 21, close_notify, 2);
    expect_record(sa, R8448_S_ALERT_REC, 21, close_notify, 2);
    tnt_rp_free(sa);
    tnt_rp_free(ca);

    /* Every single bit flip of the client Finished record fails: in the body
     * the tag, in the header too (it is the AAD), except that a changed
     * length field no longer describes the body (a caller error). The
     * sequence number advances over each failure like the peer's did. */
    n = unhex(R8448_C_FIN_REC, rec, sizeof rec);
    for (size_t bit = 0; bit < n * 8; bit++) {
        c = state13(0x1301, R8448_C_HS_SECRET);
        rec[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        tnt_rp_status rs = tnt_rp_decrypt13(c, rec, rec + 5, n - 5, out, sizeof out, &len, &type);
        if (bit / 8 == 3 || bit / 8 == 4) {
            CHECK_EQ(rs, TNT_RP_ERROR);
            CHECK_EQ(tnt_rp_seq(c), 0);
        } else {
            CHECK_EQ(rs, TNT_RP_BAD_MAC);
            CHECK_EQ(tnt_rp_seq(c), 1);
        }
        CHECK_EQ(len, 0);
        CHECK_EQ(type, 0);
        rec[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        tnt_rp_free(c);
    }

    /* Wrong sequence number: skip one record first. */
    c = state13(0x1301, R8448_C_HS_SECRET);
    CHECK_EQ(tnt_rp_skip(c, NULL, 0), TNT_RP_OK);
    CHECK_EQ(tnt_rp_seq(c), 1);
    CHECK_EQ(tnt_rp_decrypt13(c, rec, rec + 5, n - 5, out, sizeof out, &len, &type),
             TNT_RP_BAD_MAC);
    tnt_rp_set_seq(c, 0);
    CHECK_EQ(tnt_rp_decrypt13(c, rec, rec + 5, n - 5, out, sizeof out, &len, &type), TNT_RP_OK);
    tnt_rp_free(c);

    /* Wrong key: the server's handshake secret on the client's record. */
    s = state13(0x1301, R8448_S_HS_SECRET);
    CHECK_EQ(tnt_rp_decrypt13(s, rec, rec + 5, n - 5, out, sizeof out, &len, &type),
             TNT_RP_BAD_MAC);
    tnt_rp_free(s);

    /* Truncation at every length, with a header that says so: too short for
     * tag + type byte, or a tag that no longer verifies. Never a crash. */
    for (size_t cut = 0; cut < n - 5; cut++) {
        c = state13(0x1301, R8448_C_HS_SECRET);
        uint8_t h2[5] = {rec[0], rec[1], rec[2], (uint8_t)(cut >> 8), (uint8_t)cut};
        tnt_rp_status rs = tnt_rp_decrypt13(c, h2, rec + 5, cut, out, sizeof out, &len, &type);
        CHECK_EQ(rs, cut < 17 ? TNT_RP_BAD_LENGTH : TNT_RP_BAD_MAC);
        CHECK_EQ(tnt_rp_seq(c), 1);
        tnt_rp_free(c);
    }

    /* Decrypting in place. */
    c = state13(0x1301, R8448_C_HS_SECRET);
    n = unhex(R8448_C_FIN_REC, rec, sizeof rec);
    CHECK_EQ(tnt_rp_decrypt13(c, rec, rec + 5, n - 5, rec + 5, n - 5, &len, &type), TNT_RP_OK);
    fin = unhex(R8448_C_FINISHED, want, sizeof want);
    CHECK_EQ(len, fin);
    CHECK_MEM(rec + 5, want, fin);
    tnt_rp_free(c);
}

/* ---- record layer edge cases ---- */

static tnt_rp_state *raw13(uint16_t suite, size_t key_len, tnt_rp_status *rs)
{
    uint8_t key[32], iv[12];
    memset(key, 0x11, sizeof key);
    memset(iv, 0x22, sizeof iv);
    tnt_rp_params p = {0x0304, tnt_suite_lookup(suite), NULL, 0, key, key_len, iv, 12, false};
    tnt_rp_state *st = NULL;
    *rs = tnt_rp_new(&p, &st);
    return st;
}

static void test_states(void)
{
    tnt_rp_status rs;
    const struct {
        uint16_t id;
        size_t key_len;
    } ok[] = {{0x1301, 16}, {0x1302, 32}, {0x1303, 32}, {0x1304, 16}, {0x1305, 16}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        tnt_rp_state *st = raw13(ok[i].id, ok[i].key_len, &rs);
        CHECK_EQ(rs, TNT_RP_OK);
        CHECK(st != NULL);
        tnt_rp_free(st);
        /* Wrong key length. */
        CHECK(!raw13(ok[i].id, ok[i].key_len == 16 ? 32 : 16, &rs));
        CHECK_EQ(rs, TNT_RP_ERROR);
    }
    /* TLS 1.2 suites (AEAD, CBC), integrity-only, SM4, AEGIS: unsupported at
     * 0x0304. */
    const uint16_t bad[] = {0xC02F, 0x009C, 0xCCA8, 0x002F, 0xC0B4, 0x00C6, 0x1306};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(!raw13(bad[i], 16, &rs));
        CHECK_EQ(rs, TNT_RP_UNSUPPORTED);
    }
    /* The TLS 1.3 iv is 12 bytes, never the 4 of TLS 1.2 GCM. */
    uint8_t key[16] = {0}, iv[12] = {0};
    tnt_rp_params p = {0x0304, tnt_suite_lookup(0x1301), NULL, 0, key, 16, iv, 4, false};
    tnt_rp_state *st = NULL;
    CHECK_EQ(tnt_rp_new(&p, &st), TNT_RP_ERROR);
    CHECK(st == NULL);
    p.version = 0x0305;
    p.iv_len = 12;
    CHECK_EQ(tnt_rp_new(&p, &st), TNT_RP_UNSUPPORTED);

    /* tnt_tls13_rp_new: a wrong secret length, a suite that is not TLS 1.3. */
    uint8_t secret[48] = {0};
    CHECK_EQ(tnt_tls13_rp_new(tnt_suite_lookup(0x1301), secret, 48, &st), TNT_RP_ERROR);
    CHECK_EQ(tnt_tls13_rp_new(tnt_suite_lookup(0x1302), secret, 32, &st), TNT_RP_ERROR);
    CHECK_EQ(tnt_tls13_rp_new(tnt_suite_lookup(0xC02F), secret, 32, &st), TNT_RP_UNSUPPORTED);
    CHECK_EQ(tnt_tls13_rp_new(tnt_suite_lookup(0x1306), secret, 48, &st), TNT_RP_UNSUPPORTED);
    CHECK_EQ(tnt_tls13_rp_new(NULL, secret, 32, &st), TNT_RP_UNSUPPORTED);
    CHECK(st == NULL);

    /* The TLS <= 1.2 functions refuse a 1.3 state and vice versa. */
    st = raw13(0x1301, 16, &rs);
    uint8_t buf[64] = {0}, out[64], hdr[5] = {23, 3, 3, 0, 17};
    size_t len;
    uint8_t type;
    CHECK_EQ(tnt_rp_decrypt(st, 23, 0x0303, buf, 17, out, sizeof out, &len), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_encrypt(st, 23, 0x0303, buf, 1, out, sizeof out, &len), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_seq(st), 0);
    CHECK_EQ(tnt_rp_encrypted_len(st, 10), 10 + 1 + 16);
    tnt_rp_free(st);
    tnt_suite_info s12 = *tnt_suite_lookup(0xC02F);
    uint8_t k4[4] = {0};
    tnt_rp_params p12 = {0x0303, &s12, NULL, 0, key, 16, k4, 4, false};
    CHECK_EQ(tnt_rp_new(&p12, &st), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt13(st, hdr, buf, 17, out, sizeof out, &len, &type), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_encrypt13(st, 23, buf, 1, 0, hdr, out, sizeof out, &len), TNT_RP_ERROR);
    tnt_rp_free(st);
}

/* Seals an arbitrary inner plaintext (no type byte appended) the way a peer
 * would, to test what decrypt13 makes of malformed ones. */
static size_t seal_raw(tnt_rp_state *st, const uint8_t *inner, size_t len, uint8_t hdr[5],
                       uint8_t *out)
{
    static const uint8_t iv[12] = {0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
                                   0x22, 0x22, 0x22, 0x22, 0x22, 0x22};
    uint8_t nonce[12];
    memcpy(nonce, iv, 12);
    uint64_t seq = tnt_rp_seq(st);
    for (int i = 0; i < 8; i++)
        nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
    size_t total = len + 16;
    hdr[0] = 23;
    hdr[1] = 3;
    hdr[2] = 3;
    hdr[3] = (uint8_t)(total >> 8);
    hdr[4] = (uint8_t)total;
    memcpy(out, inner, len);
    CHECK_EQ(tnt_rp_aead_seal(st, nonce, 12, hdr, 5, out, len, out, out + len), TNT_RP_OK);
    CHECK_EQ(tnt_rp_skip(st, NULL, 0), TNT_RP_OK); /* aead_seal leaves the sequence alone */
    return total;
}

static void test_inner_plaintext(void)
{
    static uint8_t in[MAXREC], rec[MAXREC], out[MAXREC], hdr[5];
    size_t len, n;
    uint8_t type;
    tnt_rp_status rs;
    tnt_rp_state *enc = raw13(0x1301, 16, &rs), *dec = raw13(0x1301, 16, &rs);

    /* All zeros: authentic but no content type. */
    memset(in, 0, 40);
    n = seal_raw(enc, in, 40, hdr, rec);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_BAD_PADDING);
    CHECK_EQ(len, 0);
    CHECK_EQ(type, 0);
    CHECK_EQ(tnt_rp_seq(dec), 1);
    /* A lone type byte: empty content (allowed for application data). */
    in[0] = 23;
    n = seal_raw(enc, in, 1, hdr, rec);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(len, 0);
    CHECK_EQ(type, 23);
    /* Zero bytes inside the content stay: only trailing ones are padding. */
    static const uint8_t inner[] = {0, 5, 0, 0, 7, 0, 22, 0, 0, 0};
    n = seal_raw(enc, inner, sizeof inner, hdr, rec);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(len, 6);
    CHECK_MEM(out, inner, 6);
    CHECK_EQ(type, 22);
    /* Content of 2^14 + 1 bytes: record_overflow even though authentic. */
    memset(in, 0xab, 16385);
    in[16385] = 23;
    n = seal_raw(enc, in, 16386, hdr, rec);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_BAD_LENGTH);
    /* Longer than 2^14 + 256 on the wire. */
    n = seal_raw(enc, in, 16384 + 256 - 16 + 1, hdr, rec);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_BAD_LENGTH);
    CHECK_EQ(tnt_rp_seq(dec), tnt_rp_seq(enc));
    /* The longest legal record: 2^14 content, type, 239 bytes of padding. */
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 16384, 0, hdr, rec, sizeof rec, &n), TNT_RP_OK);
    CHECK_EQ(n, 16384 + 1 + 16);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(len, 16384);
    CHECK_MEM(out, in, 16384);
    n = seal_raw(enc, in, 16384 + 256 - 16, hdr, rec); /* in[16384] is 0xab: content too long */
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_BAD_LENGTH);
    memset(in + 16385, 0, 239);
    in[16384] = 21;
    n = seal_raw(enc, in, 16384 + 256 - 16, hdr, rec);
    CHECK_EQ(n, 16384 + 256);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(len, 16384);
    CHECK_EQ(type, 21);

    /* encrypt13 limits: type 0, content + type + padding over 2^14 + 1. */
    CHECK_EQ(tnt_rp_encrypt13(enc, 0, in, 1, 0, hdr, rec, sizeof rec, &n), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 16385, 0, hdr, rec, sizeof rec, &n), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 100, 16285, hdr, rec, sizeof rec, &n), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 100, 16284, hdr, rec, sizeof rec, &n), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    CHECK_EQ(len, 100);
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 10, 0, hdr, rec, 10 + 16, &n), TNT_RP_ERROR);
    /* out_cap below in_len and a header that does not match the body. */
    CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 10, 0, hdr, rec, sizeof rec, &n), TNT_RP_OK);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, n - 1, &len, &type), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n - 1, out, sizeof out, &len, &type), TNT_RP_ERROR);
    CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_OK);
    tnt_rp_free(enc);
    tnt_rp_free(dec);

    /* Round trips for every TLS 1.3 suite, padding lengths and contents. */
    const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0x1304, 0x1305};
    const size_t keylens[] = {16, 32, 32, 16, 16};
    for (size_t i = 0; i < 5; i++) {
        enc = raw13(suites[i], keylens[i], &rs);
        dec = raw13(suites[i], keylens[i], &rs);
        size_t tag = suites[i] == 0x1305 ? 8 : 16;
        for (size_t l = 0; l < 70; l += 7) {
            for (size_t pad = 0; pad < 40; pad += 13) {
                for (size_t k = 0; k < l; k++)
                    in[k] = (uint8_t)(k * 7 + l + pad);
                CHECK_EQ(tnt_rp_encrypt13(enc, 22, in, l, pad, hdr, rec, sizeof rec, &n),
                         TNT_RP_OK);
                CHECK_EQ(n, l + 1 + pad + tag);
                CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type),
                         TNT_RP_OK);
                CHECK_EQ(len, l);
                CHECK_EQ(type, 22);
                CHECK_MEM(out, in, l);
            }
        }
        /* One flipped tag bit fails for each AEAD. */
        CHECK_EQ(tnt_rp_encrypt13(enc, 23, in, 5, 0, hdr, rec, sizeof rec, &n), TNT_RP_OK);
        rec[n - 1] ^= 0x80;
        CHECK_EQ(tnt_rp_decrypt13(dec, hdr, rec, n, out, sizeof out, &len, &type), TNT_RP_BAD_MAC);
        tnt_rp_free(enc);
        tnt_rp_free(dec);
    }
}

/* ---- corpus: ssldump's TLS 1.3 captures against tshark ---- */

typedef struct stream {
    uint8_t *data;
    size_t len, off;
} stream;

static bool next_record(stream *s, const uint8_t **hdr, const uint8_t **body, size_t *len)
{
    if (s->off + 5 > s->len)
        return false;
    *hdr = s->data + s->off;
    *len = (size_t)(*hdr)[3] << 8 | (*hdr)[4];
    if (s->off + 5 + *len > s->len)
        return false;
    *body = *hdr + 5;
    s->off += 5 + *len;
    return true;
}

typedef struct expect_line {
    int dir; /* 0 c2s, 1 s2c */
    unsigned index;
    unsigned type;
    uint8_t *data;
    size_t len;
    bool seen;
} expect_line;

static size_t load_expect(const char *name, uint8_t random[32], expect_line *lines, size_t cap)
{
    size_t n;
    char *text = (char *)check_load(name, &n);
    text = realloc(text, n + 1);
    text[n] = 0;
    size_t count = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char dir[8], hex[2 * MAXREC + 1];
        unsigned idx, type;
        if (sscanf(line, "random %64s", hex) == 1) {
            CHECK_EQ(check_unhex(hex, random, 32), 32);
        } else if (sscanf(line, "%7s %u %u %32773s", dir, &idx, &type, hex) == 4 && count < cap) {
            expect_line *e = &lines[count++];
            e->dir = strcmp(dir, "s2c") == 0;
            e->index = idx;
            e->type = type;
            e->data = malloc(strlen(hex) / 2 + 1);
            e->len = check_unhex(hex, e->data, strlen(hex) / 2 + 1);
            e->seen = false;
        } else {
            CHECK(!"bad expect line");
        }
    }
    free(text);
    return count;
}

/* The cipher suite of the ServerHello at the start of the s2c stream. */
static uint16_t server_suite(const stream *s2c)
{
    const uint8_t *p = s2c->data;
    if (s2c->len < 5 + 4 + 2 + 32 + 1 || p[0] != 22 || p[5] != 2)
        return 0;
    size_t sid = p[5 + 4 + 2 + 32];
    size_t at = 5 + 4 + 2 + 32 + 1 + sid;
    return at + 2 <= s2c->len ? (uint16_t)(p[at] << 8 | p[at + 1]) : 0;
}

static void corpus_capture(const char *name, const tnt_keylog *kl, uint16_t want_suite,
                           unsigned want_updates)
{
    char path[256];
    uint8_t random[32] = {0};
    static expect_line lines[64];
    snprintf(path, sizeof path, "tls13/%s.expect", name);
    size_t nlines = load_expect(path, random, lines, 64);
    CHECK(nlines > 5);
    stream st[2];
    for (int d = 0; d < 2; d++) {
        snprintf(path, sizeof path, "tls13/%s.%s", name, d ? "s2c" : "c2s");
        st[d].data = check_load(path, &st[d].len);
        st[d].off = 0;
    }
    /* The key log is keyed by the ClientHello's random. */
    CHECK(st[0].len > 43 && st[0].data[0] == 22 && st[0].data[5] == 1);
    CHECK_MEM(st[0].data + 11, random, 32);
    uint16_t id = server_suite(&st[1]);
    CHECK_EQ(id, want_suite);
    const tnt_suite_info *suite = tnt_suite_lookup(id);
    tnt_hash h = TNT_HASH_SHA256;
    CHECK(tnt_tls13_suite_hash(suite, &h));

    unsigned decrypted = 0, updates = 0;
    for (int d = 0; d < 2; d++) {
        /* The minimal TLS 1.3 epoch model: handshake secret for the first
         * encrypted records, the application secret after this side's
         * Finished, the next one after each KeyUpdate it sends. */
        tnt_keylog_label hs =
            d ? TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET : TNT_KL_CLIENT_HANDSHAKE_TRAFFIC_SECRET;
        tnt_keylog_label ap = d ? TNT_KL_SERVER_TRAFFIC_SECRET_0 : TNT_KL_CLIENT_TRAFFIC_SECRET_0;
        uint8_t secret[48], app[48];
        size_t sl = sizeof secret, al = sizeof app;
        CHECK(tnt_keylog_tls13_secret(kl, hs, random, secret, &sl));
        CHECK(tnt_keylog_tls13_secret(kl, ap, random, app, &al));
        CHECK_EQ(sl, tnt_hash_len(h));
        tnt_rp_state *rp = NULL;
        CHECK_EQ(tnt_tls13_rp_new(suite, secret, sl, &rp), TNT_RP_OK);
        const uint8_t *hdr, *body;
        size_t len;
        for (unsigned idx = 0; next_record(&st[d], &hdr, &body, &len); idx++) {
            if (hdr[0] != 23)
                continue; /* ClientHello, ServerHello, compatibility CCS */
            static uint8_t out[MAXREC];
            size_t olen = 0;
            uint8_t type = 0;
            CHECK_EQ(tnt_rp_decrypt13(rp, hdr, body, len, out, sizeof out, &olen, &type),
                     TNT_RP_OK);
            decrypted++;
            bool found = false;
            for (size_t i = 0; i < nlines; i++) {
                if (lines[i].dir != d || lines[i].index != idx)
                    continue;
                found = true;
                lines[i].seen = true;
                CHECK_EQ(type, lines[i].type);
                CHECK_EQ(olen, lines[i].len);
                if (olen == lines[i].len)
                    CHECK_MEM(out, lines[i].data, olen);
            }
            CHECK(found);
            /* Key changes are signalled by handshake messages at the end of
             * a record (RFC 8446 5.1: they must end one). */
            bool finished = false, update = false;
            for (size_t m = 0; type == 22 && m + 4 <= olen;) {
                size_t ml = (size_t)out[m + 1] << 16 | (size_t)out[m + 2] << 8 | out[m + 3];
                finished |= out[m] == 20;
                update |= out[m] == 24;
                m += 4 + ml;
            }
            if (finished) {
                memcpy(secret, app, al);
                sl = al;
            } else if (update) {
                CHECK(tnt_tls13_update_secret(h, secret, sl, secret));
                updates++;
            }
            if (finished || update) {
                tnt_rp_free(rp);
                rp = NULL;
                CHECK_EQ(tnt_tls13_rp_new(suite, secret, sl, &rp), TNT_RP_OK);
            }
        }
        CHECK_EQ(st[d].off, st[d].len);
        tnt_rp_free(rp);
        free(st[d].data);
    }
    CHECK_EQ(decrypted, nlines);
    CHECK_EQ(updates, want_updates);
    for (size_t i = 0; i < nlines; i++) {
        CHECK(lines[i].seen);
        free(lines[i].data);
    }
    printf("%s: %u records decrypted, %u key updates\n", name, decrypted, updates);
}

static void test_corpus(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/tls13/ssldump-log.txt", dir ? dir : "tests/data");
    tnt_keylog *kl = tnt_keylog_new();
    CHECK(tnt_keylog_load_file(kl, path, NULL, NULL, NULL, NULL));
    corpus_capture("ssldump-tls13-aes128", kl, 0x1301, 0);
    corpus_capture("ssldump-tls13-chacha", kl, 0x1303, 0);
    corpus_capture("ssldump-tls13-ccm", kl, 0x1304, 0);
    corpus_capture("ssldump-tls13-ccm8", kl, 0x1305, 0);
    corpus_capture("ssldump-tls13-aes256gcm", kl, 0x1302, 2);
    corpus_capture("ssldump-tls13-keyupdates_aes256", kl, 0x1302, 2);
    tnt_keylog_free(kl);
}

int main(void)
{
    test_expand_label();
    test_suite_hash();
    test_rfc8448();
    test_states();
    test_inner_plaintext();
    test_corpus();
    return check_done("test_tls13");
}
