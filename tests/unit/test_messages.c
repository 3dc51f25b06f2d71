/* TLS 1.0-1.2 handshake message decoders and the dispatcher, on real message
 * bytes from the corpus (tests/data/handshake, see PROVENANCE.md) and on
 * hand-built edge cases. */
#include "check.h"

#include "arena.h"
#include "codepoints.h"
#include "handshake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tnt_arena arena;

static size_t load(const char *name, uint8_t *buf, size_t cap)
{
    char rel[256];
    snprintf(rel, sizeof(rel), "handshake/%s", name);
    return check_load_into(rel, buf, cap);
}

static tnt_hs_ctx ctx_of(uint16_t version, uint16_t suite, bool from_server)
{
    tnt_hs_ctx c = {version, suite, from_server, NULL};
    return c;
}

/* Decodes a copy in a buffer of exactly len bytes, so that ASan sees any
 * read past the end. The copy lives until the next call, so the decoded
 * byte strings can be checked. */
static uint8_t *last_copy;

static bool decode_exact(const uint8_t *raw, size_t len, const tnt_hs_ctx *ctx, tnt_hs_msg *msg)
{
    free(last_copy);
    last_copy = malloc(len ? len : 1);
    if (len)
        memcpy(last_copy, raw, len);
    return tnt_hs_decode(last_copy, (uint32_t)len, ctx, &arena, msg);
}

static void put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}

/* A message whose body is cut after n bytes, with a header that agrees: the
 * decoder must reject it without reading past the end. */
static void check_truncations(const char *what, const uint8_t *raw, size_t len,
                              const tnt_hs_ctx *ctx)
{
    uint8_t *m = malloc(len);
    int bad = 0;
    for (size_t n = 0; n + 4 < len; n++) {
        memcpy(m, raw, 4 + n);
        put24(m + 1, (uint32_t)n);
        tnt_hs_msg msg;
        bool ok = decode_exact(m, 4 + n, ctx, &msg);
        if (ok || msg.decoded || !msg.err.what || msg.err.off > 4 + n) {
            if (!bad)
                fprintf(stderr, "%s: truncation to %zu body bytes not rejected (%s)\n", what, n,
                        msg.err.what ? msg.err.what : "no error");
            bad++;
        }
    }
    /* The raw buffer cut anywhere, header unchanged: a length mismatch. */
    for (size_t n = 0; n < len; n++) {
        tnt_hs_msg msg;
        bool ok = decode_exact(raw, n, ctx, &msg);
        if (ok || msg.decoded || !msg.err.what)
            bad++;
    }
    free(m);
    CHECK_EQ(bad, 0);
    tnt_arena_free(&arena);
}

/* Adds delta to the big-endian length field of width bytes at off; the
 * message must then fail to decode. */
static void check_len_field(const char *what, const uint8_t *raw, size_t len, size_t off,
                            unsigned width, const tnt_hs_ctx *ctx)
{
    for (int delta = -1; delta <= 1; delta += 2) {
        uint8_t *m = malloc(len);
        memcpy(m, raw, len);
        uint32_t v = 0;
        for (unsigned i = 0; i < width; i++)
            v = (v << 8) | m[off + i];
        v += (uint32_t)delta;
        for (unsigned i = 0; i < width; i++)
            m[off + width - 1 - i] = (uint8_t)(v >> (8 * i));
        tnt_hs_msg msg;
        bool ok = decode_exact(m, len, ctx, &msg);
        if (ok || msg.decoded || !msg.err.what)
            fprintf(stderr, "%s: length at %zu %+d accepted\n", what, off, delta);
        CHECK(!ok && !msg.decoded && msg.err.what);
        free(m);
    }
}

/* Builds header + body from hex (body only) into out; returns total length. */
static size_t build(uint8_t type, const char *body_hex, uint8_t *out, size_t cap)
{
    size_t n = check_unhex(body_hex, out + 4, cap - 4);
    out[0] = type;
    put24(out + 1, (uint32_t)n);
    return n + 4;
}

static void test_header(void)
{
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);
    tnt_hs_msg msg;
    uint8_t m[8] = {0x0e, 0, 0, 0};

    CHECK(!decode_exact(m, 0, &ctx, &msg));
    CHECK_STR(msg.err.what, "truncated handshake header");
    CHECK_EQ(msg.err.off, 0);
    CHECK(!decode_exact(m, 3, &ctx, &msg));
    CHECK_EQ(msg.type, 0x0e); /* what was there is still reported */
    CHECK_EQ(msg.err.off, 1);

    CHECK(decode_exact(m, 4, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.type_f.v, 14);
    CHECK_EQ(msg.type_f.at.off, 0);
    CHECK_EQ(msg.length_f.at.off, 1);
    CHECK_EQ(msg.length_f.at.len, 3);
    CHECK_EQ(msg.body_at.off, 4);
    CHECK_EQ(msg.body_at.len, 0);

    /* Header length disagreeing with the message, both ways, and at its
     * maximum. */
    m[3] = 1;
    CHECK(!decode_exact(m, 4, &ctx, &msg));
    CHECK_STR(msg.err.what, "handshake length does not match message size");
    CHECK_EQ(msg.length, 1);
    CHECK_EQ(msg.body_at.len, 0);
    m[3] = 0;
    CHECK(!decode_exact(m, 5, &ctx, &msg));
    m[1] = m[2] = m[3] = 0xff;
    CHECK(!decode_exact(m, 4, &ctx, &msg));
    CHECK_EQ(msg.length, 0xffffff);

    /* A NULL context is an unknown one. */
    uint8_t hr[4] = {0, 0, 0, 0};
    CHECK(tnt_hs_decode(hr, 4, NULL, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.raw_len, 4);
    CHECK(msg.raw == hr);
}

static void test_empty_messages(void)
{
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);
    tnt_hs_msg msg;
    uint8_t raw[64];
    size_t n = load("il12-server-hello-done.bin", raw, sizeof(raw));
    CHECK_EQ(n, 4);
    CHECK(decode_exact(raw, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.type, TNT_HS_SERVER_HELLO_DONE);

    uint8_t m[16];
    n = build(TNT_HS_SERVER_HELLO_DONE, "00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "ServerHelloDone must be empty");
    CHECK_EQ(msg.err.off, 4);

    n = build(TNT_HS_HELLO_REQUEST, "", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    n = build(TNT_HS_HELLO_REQUEST, "0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "HelloRequest must be empty");
    CHECK(!msg.decoded);
}

static void test_not_decoded_types(void)
{
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);
    tnt_hs_msg msg;
    uint8_t m[32];
    /* TLS 1.3-only and DTLS messages, and unassigned types: shown, not
     * decoded, not errors. */
    static const uint8_t types[] = {TNT_HS_HELLO_VERIFY_REQUEST,
                                    TNT_HS_END_OF_EARLY_DATA,
                                    TNT_HS_ENCRYPTED_EXTENSIONS,
                                    TNT_HS_CERTIFICATE_URL,
                                    TNT_HS_SUPPLEMENTAL_DATA,
                                    TNT_HS_KEY_UPDATE,
                                    TNT_HS_MESSAGE_HASH,
                                    99,
                                    255};
    for (size_t i = 0; i < sizeof(types); i++) {
        size_t n = build(types[i], "0000ffff", m, sizeof(m));
        CHECK(decode_exact(m, n, &ctx, &msg));
        CHECK(!msg.decoded);
        CHECK(msg.err.what == NULL);
        CHECK_EQ(msg.type, types[i]);
        CHECK_EQ(msg.length, 4);
    }
    /* Under TLS 1.3, Certificate etc. have other layouts: left alone. */
    tnt_hs_ctx ctx13 = ctx_of(TNT_TLS13, 0x1301, true);
    size_t n = build(TNT_HS_CERTIFICATE, "00000000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx13, &msg));
    CHECK(!msg.decoded);
    CHECK(msg.err.what == NULL);
    /* ...which in TLS 1.2 is a malformed Certificate (list of 0 + 1 byte). */
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after certificate_list");
    CHECK_EQ(msg.err.off, 7);
}

static void test_certificate(void)
{
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);
    tnt_hs_msg msg;
    static uint8_t raw[4096];
    size_t n = load("il12-certificate.bin", raw, sizeof(raw));
    CHECK_EQ(n, 815);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.type, TNT_HS_CERTIFICATE);
    const tnt_certificate *c = &msg.u.certificate;
    CHECK_EQ(c->n_certs, 1);
    CHECK_EQ(c->list_at.off, 7);
    CHECK_EQ(c->list_at.len, 808);
    CHECK_EQ(c->certs[0].der.len, 805);
    CHECK_EQ(c->certs[0].der.at.off, 10);
    CHECK(c->certs[0].der.p == raw + 10);
    CHECK_EQ(c->certs[0].der.p[0], 0x30); /* a DER SEQUENCE */
    tnt_arena_free(&arena);

    check_truncations("certificate", raw, n, &ctx);
    check_len_field("certificate", raw, n, 4, 3, &ctx);
    check_len_field("certificate", raw, n, 7, 3, &ctx);

    /* Two certificates, an empty list, an empty entry. */
    uint8_t m[64];
    n = build(TNT_HS_CERTIFICATE, "00000b 000002 3000 000003 300100", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK_EQ(msg.u.certificate.n_certs, 2);
    CHECK_EQ(msg.u.certificate.certs[0].der.at.off, 10);
    CHECK_EQ(msg.u.certificate.certs[0].der.len, 2);
    CHECK_EQ(msg.u.certificate.certs[1].der.at.off, 15);
    CHECK_EQ(msg.u.certificate.certs[1].der.len, 3);
    n = build(TNT_HS_CERTIFICATE, "000000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg)); /* a client without a certificate */
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.certificate.n_certs, 0);
    CHECK(msg.u.certificate.certs == NULL);
    n = build(TNT_HS_CERTIFICATE, "000003 000000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "empty certificate");
    CHECK_EQ(msg.err.off, 7);
    n = build(TNT_HS_CERTIFICATE, "", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    n = build(TNT_HS_CERTIFICATE, "ffffff", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "certificate_list overruns the message");

    /* A certificate longer than 2^16 (u24 lengths really are 24 bits). */
    size_t big = 70000;
    uint8_t *b = calloc(1, big + 10);
    b[0] = TNT_HS_CERTIFICATE;
    put24(b + 1, (uint32_t)(big + 6));
    put24(b + 4, (uint32_t)(big + 3));
    put24(b + 7, (uint32_t)big);
    CHECK(tnt_hs_decode(b, (uint32_t)(big + 10), &ctx, &arena, &msg));
    CHECK_EQ(msg.u.certificate.n_certs, 1);
    CHECK_EQ(msg.u.certificate.certs[0].der.len, big);
    free(b);
    tnt_arena_free(&arena);
}

static void test_ske(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[4096];

    /* ECDHE_RSA, TLS 1.2, x25519 (illustrated-tls12). */
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);
    size_t n = load("il12-ske-ecdhe.bin", raw, sizeof(raw));
    CHECK_EQ(n, 300);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    const tnt_server_key_exchange *s = &msg.u.ske;
    CHECK_EQ(s->kind, TNT_SKE_ECDHE);
    CHECK_EQ(s->curve_type.v, 3);
    CHECK_EQ(s->named_curve.v, 0x001d);
    CHECK_EQ(s->named_curve.at.off, 5);
    CHECK_EQ(s->ec_point.len, 32);
    CHECK_EQ(s->ec_point.at.off, 8);
    uint8_t pub[32];
    check_unhex("9fd7ad6dcff4298dd3f96d5b1b2af910a0535b1488d7f8fabb349a982880b615", pub, 32);
    CHECK_MEM(s->ec_point.p, pub, 32);
    CHECK(s->signed_params);
    CHECK(s->sig.has_algorithm);
    CHECK_EQ(s->sig.scheme.v, 0x0401);
    CHECK_EQ(s->sig.scheme.at.off, 40);
    CHECK_EQ(s->sig.hash.v, 4); /* sha256 */
    CHECK_EQ(s->sig.hash.at.off, 40);
    CHECK_EQ(s->sig.sig.v, 1); /* rsa */
    CHECK_EQ(s->sig.sig.at.off, 41);
    CHECK_EQ(s->sig.signature.len, 256);
    CHECK_EQ(s->sig.signature.at.off, 44);
    CHECK_EQ(s->raw.len, 296);
    CHECK_EQ(s->raw.at.off, 4);
    tnt_arena_free(&arena);
    check_truncations("ske ecdhe", raw, n, &ctx);
    /* The point length one short happens to leave a well-formed message
     * (scheme 0x1504, 257-byte signature): only the signature tells. */
    raw[7] = 31;
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_EQ(msg.u.ske.ec_point.len, 31);
    CHECK_EQ(msg.u.ske.sig.scheme.v, 0x1504);
    CHECK_EQ(msg.u.ske.sig.signature.len, 257);
    raw[7] = 33;
    CHECK(!tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after ServerKeyExchange");
    raw[7] = 32;
    check_len_field("ske ecdhe", raw, n, 42, 2, &ctx);

    /* Same bytes, version unknown: the TLS 1.2 layout is recognised. */
    tnt_hs_ctx ctx0 = ctx_of(0, 0xc013, true);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(msg.u.ske.sig.has_algorithm);
    CHECK_EQ(msg.u.ske.sig.scheme.v, 0x0401);
    /* As TLS 1.0 the first two bytes would be the signature length: no. */
    tnt_hs_ctx ctx10 = ctx_of(TNT_TLS10, 0xc013, true);
    CHECK(!tnt_hs_decode(raw, (uint32_t)n, &ctx10, &arena, &msg));
    CHECK_STR(msg.err.what, "signature overruns the message");
    CHECK_EQ(msg.err.off, 40);
    /* Unknown suite: raw kept, no error. */
    tnt_hs_ctx ctxu = ctx_of(TNT_TLS12, 0xeeee, true);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctxu, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_UNKNOWN);
    CHECK_EQ(msg.u.ske.raw.len, 296);
    CHECK(!msg.u.ske.signed_params);
    tnt_arena_free(&arena);

    /* DHE_RSA, TLS 1.2 (snet). */
    ctx = ctx_of(TNT_TLS12, 0x009e, true);
    n = load("snet-tls12-dhe-rsa-ske.bin", raw, sizeof(raw));
    CHECK_EQ(n, 1038);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    s = &msg.u.ske;
    CHECK_EQ(s->kind, TNT_SKE_DHE);
    CHECK_EQ(s->dh_p.len, 256);
    CHECK_EQ(s->dh_p.at.off, 6);
    CHECK_EQ(s->dh_g.len, 256);
    CHECK_EQ(s->dh_g.at.off, 264);
    CHECK_EQ(s->dh_g.p[0], 0xac);
    CHECK_EQ(s->dh_g.p[255], 0xfa);
    CHECK_EQ(s->dh_ys.len, 256);
    CHECK(s->signed_params);
    CHECK_EQ(s->sig.scheme.v, 0x0804); /* rsa_pss_rsae_sha256 */
    CHECK_EQ(s->sig.signature.len, 256);
    CHECK_EQ(s->sig.signature.at.off + s->sig.signature.len, n);
    tnt_arena_free(&arena);
    check_truncations("ske dhe 1.2", raw, n, &ctx);
    check_len_field("ske dhe 1.2", raw, n, 4, 2, &ctx);
    check_len_field("ske dhe 1.2", raw, n, 262, 2, &ctx);
    check_len_field("ske dhe 1.2", raw, n, 520, 2, &ctx);
    check_len_field("ske dhe 1.2", raw, n, 780, 2, &ctx);

    /* DHE_RSA, SSL 3.0 (snet): g = 2, no algorithm. */
    ctx = ctx_of(TNT_SSL3, 0x0039, true);
    n = load("snet-ssl3-dhe-rsa-ske.bin", raw, sizeof(raw));
    CHECK_EQ(n, 781);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    s = &msg.u.ske;
    CHECK_EQ(s->kind, TNT_SKE_DHE);
    CHECK_EQ(s->dh_p.len, 256);
    CHECK_EQ(s->dh_p.p[0], 0xff); /* RFC 3526/7919 primes start with 64 one bits */
    CHECK_EQ(s->dh_g.len, 1);
    CHECK_EQ(s->dh_g.p[0], 2);
    CHECK_EQ(s->dh_ys.len, 256);
    CHECK(!s->sig.has_algorithm);
    CHECK_EQ(s->sig.signature.len, 256);
    CHECK_EQ(s->sig.signature.at.off, 525);
    tnt_arena_free(&arena);
    check_truncations("ske dhe ssl3", raw, n, &ctx);
    /* ...and the same body with the version unknown falls back to 1.0. */
    ctx0 = ctx_of(0, 0x0039, true);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(!msg.u.ske.sig.has_algorithm);
    CHECK_EQ(msg.u.ske.sig.signature.len, 256);

    /* DHE_DSS, TLS 1.1 (snet): 1024-bit group, DSA signature. */
    ctx = ctx_of(TNT_TLS11, 0x0038, true);
    n = load("snet-tls11-dhe-dss-ske.bin", raw, sizeof(raw));
    CHECK_EQ(n, 443);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    s = &msg.u.ske;
    CHECK_EQ(s->dh_p.len, 128);
    CHECK_EQ(s->dh_g.len, 128);
    CHECK_EQ(s->dh_ys.len, 128);
    CHECK(s->signed_params);
    CHECK(!s->sig.has_algorithm);
    CHECK_EQ(s->sig.signature.len, 47);
    CHECK_EQ(s->sig.signature.p[0], 0x30); /* DSA-Sig-Value SEQUENCE */
    tnt_arena_free(&arena);
    check_truncations("ske dhe dss", raw, n, &ctx);

    /* ECDH_anon, TLS 1.0 (snet): nothing after the point. */
    ctx = ctx_of(TNT_TLS10, 0xc018, true);
    n = load("snet-tls10-ecdh-anon-ske.bin", raw, sizeof(raw));
    CHECK_EQ(n, 40);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    s = &msg.u.ske;
    CHECK_EQ(s->kind, TNT_SKE_ECDHE);
    CHECK_EQ(s->named_curve.v, 0x001d);
    CHECK_EQ(s->ec_point.len, 32);
    CHECK(!s->signed_params);
    CHECK_EQ(s->sig.signature.len, 0);
    check_truncations("ske ecdh_anon", raw, n, &ctx);
    check_len_field("ske ecdh_anon", raw, n, 7, 1, &ctx);

    uint8_t m[512];
    /* ECDHE with an empty point, and with an explicit curve (kept raw). */
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "03 0017 00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "empty ECPoint");
    CHECK_EQ(msg.err.off, 7);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "01 0102030405", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_ECDHE);
    CHECK_EQ(msg.u.ske.curve_type.v, 1);
    CHECK_EQ(msg.u.ske.raw.len, 6);
    CHECK_EQ(msg.u.ske.ec_point.len, 0);

    /* DH_anon: unsigned; an empty dh_g is an error. */
    tnt_hs_ctx anon = ctx_of(TNT_TLS12, 0x0034, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0001 17 0001 05 0002 0a0b", m, sizeof(m));
    CHECK(decode_exact(m, n, &anon, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_DHE);
    CHECK(!msg.u.ske.signed_params);
    CHECK_EQ(msg.u.ske.dh_p.p[0], 0x17);
    CHECK_EQ(msg.u.ske.dh_ys.len, 2);
    CHECK_EQ(msg.u.ske.dh_ys.at.off, 12);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0001 17 0000 0002 0a0b", m, sizeof(m));
    CHECK(!decode_exact(m, n, &anon, &msg));
    CHECK_STR(msg.err.what, "empty dh_g");
    CHECK_EQ(msg.err.off, 7);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0001 17 0001 05 0002 0a0b ff", m, sizeof(m));
    CHECK(!decode_exact(m, n, &anon, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after ServerKeyExchange");
    CHECK_EQ(msg.err.off, 14);

    /* RSA_EXPORT, TLS 1.0: modulus, exponent, signature. */
    tnt_hs_ctx exp = ctx_of(TNT_TLS10, 0x0003, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0004 c0ffee01 0003 010001 0002 5151", m, sizeof(m));
    CHECK(decode_exact(m, n, &exp, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_RSA);
    CHECK_EQ(msg.u.ske.rsa_modulus.len, 4);
    CHECK_EQ(msg.u.ske.rsa_modulus.at.off, 6);
    CHECK_EQ(msg.u.ske.rsa_exponent.len, 3);
    CHECK_EQ(msg.u.ske.rsa_exponent.p[2], 1);
    CHECK(msg.u.ske.signed_params);
    CHECK_EQ(msg.u.ske.sig.signature.len, 2);
    check_truncations("ske rsa_export", m, n, &exp);

    /* PSK: hint only, unsigned; an empty hint is legal. */
    tnt_hs_ctx psk = ctx_of(TNT_TLS12, 0x008c, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0005 68696e7421", m, sizeof(m));
    CHECK(decode_exact(m, n, &psk, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_PSK_HINT);
    CHECK_EQ(msg.u.ske.psk_identity_hint.len, 5);
    CHECK_MEM(msg.u.ske.psk_identity_hint.p, "hint!", 5);
    CHECK(!msg.u.ske.signed_params);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &psk, &msg));
    CHECK_EQ(msg.u.ske.psk_identity_hint.len, 0);
    CHECK_EQ(msg.u.ske.psk_identity_hint.at.off, 6);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0005 68696e74", m, sizeof(m));
    CHECK(!decode_exact(m, n, &psk, &msg));
    CHECK_STR(msg.err.what, "psk_identity_hint overruns the message");
    /* RSA_PSK: hint only, unsigned even though the server has an RSA key. */
    tnt_hs_ctx rsapsk = ctx_of(TNT_TLS12, 0x0094, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0001 41", m, sizeof(m));
    CHECK(decode_exact(m, n, &rsapsk, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_PSK_HINT);
    CHECK(!msg.u.ske.signed_params);

    /* DHE_PSK (RFC 4279 3) and ECDHE_PSK (RFC 5489 2): hint, then params. */
    tnt_hs_ctx dpsk = ctx_of(TNT_TLS12, 0x0090, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0002 6869 0001 17 0001 05 0001 09", m, sizeof(m));
    CHECK(decode_exact(m, n, &dpsk, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_DHE);
    CHECK_EQ(msg.u.ske.psk_identity_hint.len, 2);
    CHECK_EQ(msg.u.ske.dh_ys.p[0], 9);
    CHECK(!msg.u.ske.signed_params);
    check_truncations("ske dhe_psk", m, n, &dpsk);
    tnt_hs_ctx epsk = ctx_of(TNT_TLS12, 0xc035, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0000 03 0017 03 040102", m, sizeof(m));
    CHECK(decode_exact(m, n, &epsk, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_ECDHE);
    CHECK_EQ(msg.u.ske.named_curve.v, 0x0017);
    CHECK_EQ(msg.u.ske.ec_point.len, 3);
    CHECK_EQ(msg.u.ske.ec_point.at.off, 10);
    CHECK(!msg.u.ske.signed_params);
    check_truncations("ske ecdhe_psk", m, n, &epsk);

    /* SRP: decoded as raw only. */
    tnt_hs_ctx srp = ctx_of(TNT_TLS12, 0xc01d, true);
    n = build(TNT_HS_SERVER_KEY_EXCHANGE, "0102", m, sizeof(m));
    CHECK(decode_exact(m, n, &srp, &msg));
    CHECK_EQ(msg.u.ske.kind, TNT_SKE_UNKNOWN);
    CHECK_EQ(msg.u.ske.raw.len, 2);

    /* Maximum: a 65535-byte dh_p. */
    size_t big = 4 + 2 + 65535 + 3 + 3;
    uint8_t *b = calloc(1, big);
    b[0] = TNT_HS_SERVER_KEY_EXCHANGE;
    put24(b + 1, (uint32_t)(big - 4));
    b[4] = b[5] = 0xff;
    size_t o = 6 + 65535;
    b[o] = 0, b[o + 1] = 1, b[o + 2] = 2;
    b[o + 3] = 0, b[o + 4] = 1, b[o + 5] = 7;
    CHECK(tnt_hs_decode(b, (uint32_t)big, &anon, &arena, &msg));
    CHECK_EQ(msg.u.ske.dh_p.len, 65535);
    CHECK_EQ(msg.u.ske.dh_ys.p[0], 7);
    free(b);
    tnt_arena_free(&arena);
}

static void test_cert_request(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[512];

    /* TLS 1.2 (snet): three types, 23 schemes, one CA. */
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0x009c, true);
    size_t n = load("snet-tls12-rsa-certreq.bin", raw, sizeof(raw));
    CHECK_EQ(n, 89);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    const tnt_certificate_request *r = &msg.u.cert_request;
    CHECK_EQ(r->n_cert_types, 3);
    CHECK_EQ(r->cert_types[0].v, 1);
    CHECK_EQ(r->cert_types[1].v, 2);
    CHECK_EQ(r->cert_types[2].v, 64);
    CHECK_EQ(r->cert_types[2].at.off, 7);
    CHECK(r->has_sig_algs);
    CHECK_EQ(r->n_sig_algs, 23);
    CHECK_EQ(r->sig_algs[0].v, 0x0403);
    CHECK_EQ(r->sig_algs[0].at.off, 10);
    CHECK_EQ(r->sig_algs[3].v, 0x0807);
    CHECK_EQ(r->sig_algs[22].v, 0x0602);
    CHECK_EQ(r->n_cas, 1);
    CHECK_EQ(r->cas[0].len, 29);
    CHECK_EQ(r->cas[0].at.off, 60);
    CHECK_MEM(r->cas[0].p + 13, "Root certificate", 16);
    tnt_arena_free(&arena);
    check_truncations("certreq 1.2", raw, n, &ctx);
    check_len_field("certreq 1.2", raw, n, 4, 1, &ctx);
    check_len_field("certreq 1.2", raw, n, 8, 2, &ctx);
    check_len_field("certreq 1.2", raw, n, 56, 2, &ctx);
    check_len_field("certreq 1.2", raw, n, 58, 2, &ctx);
    /* Version unknown: the 1.2 layout fits and is taken. */
    tnt_hs_ctx ctx0 = ctx_of(0, 0x009c, true);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(msg.u.cert_request.has_sig_algs);
    CHECK_EQ(msg.u.cert_request.n_sig_algs, 23);

    /* TLS 1.1 (snet) and SSL 3.0 (arkime): no signature algorithms. */
    ctx = ctx_of(TNT_TLS11, 0x0038, true);
    n = load("snet-tls11-certreq.bin", raw, sizeof(raw));
    CHECK_EQ(n, 41);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    r = &msg.u.cert_request;
    CHECK_EQ(r->n_cert_types, 3);
    CHECK(!r->has_sig_algs);
    CHECK_EQ(r->n_sig_algs, 0);
    CHECK_EQ(r->n_cas, 1);
    CHECK_EQ(r->cas[0].len, 29);
    CHECK_EQ(r->cas[0].at.off, 12);
    check_truncations("certreq 1.1", raw, n, &ctx);
    check_len_field("certreq 1.1", raw, n, 8, 2, &ctx);
    check_len_field("certreq 1.1", raw, n, 10, 2, &ctx);
    ctx0 = ctx_of(0, 0x0038, true);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(!msg.u.cert_request.has_sig_algs);
    CHECK_EQ(msg.u.cert_request.n_cas, 1);

    ctx = ctx_of(TNT_SSL3, 0x0035, true);
    n = load("arkime-ssl3-certreq.bin", raw, sizeof(raw));
    CHECK_EQ(n, 52);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    r = &msg.u.cert_request;
    CHECK_EQ(r->n_cert_types, 2);
    CHECK_EQ(r->cert_types[1].v, 2);
    CHECK_EQ(r->n_cas, 1);
    CHECK_EQ(r->cas[0].len, 41);
    check_truncations("certreq ssl3", raw, n, &ctx);
    tnt_arena_free(&arena);

    uint8_t m[64];
    tnt_hs_ctx c12 = ctx_of(TNT_TLS12, 0x009c, true);
    /* No CAs: legal. */
    n = build(TNT_HS_CERTIFICATE_REQUEST, "01 01 0002 0401 0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &c12, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.cert_request.n_cas, 0);
    CHECK_EQ(msg.u.cert_request.n_sig_algs, 1);
    /* Empty types, empty or odd signature algorithms, empty DN: errors. */
    n = build(TNT_HS_CERTIFICATE_REQUEST, "00 0002 0401 0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "empty certificate_types");
    n = build(TNT_HS_CERTIFICATE_REQUEST, "01 01 0000 0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "empty supported_signature_algorithms");
    n = build(TNT_HS_CERTIFICATE_REQUEST, "01 01 0003 040105 0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "list length is not a multiple of its items");
    CHECK_EQ(msg.err.off, 8);
    n = build(TNT_HS_CERTIFICATE_REQUEST, "01 01 0002 0401 0002 0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "empty DistinguishedName");
    CHECK_EQ(msg.err.off, 12);
    /* Two CAs. */
    n = build(TNT_HS_CERTIFICATE_REQUEST, "01 01 0002 0401 0007 0001aa 0002bbcc", m, sizeof(m));
    CHECK(decode_exact(m, n, &c12, &msg));
    CHECK_EQ(msg.u.cert_request.n_cas, 2);
    CHECK_EQ(msg.u.cert_request.cas[1].len, 2);
    CHECK_EQ(msg.u.cert_request.cas[1].at.off, 17);
    /* Maximum: 255 certificate types. */
    static uint8_t mx[4 + 1 + 255 + 2 + 2 + 2];
    mx[0] = TNT_HS_CERTIFICATE_REQUEST;
    put24(mx + 1, sizeof(mx) - 4);
    mx[4] = 255;
    for (int i = 0; i < 255; i++)
        mx[5 + i] = (uint8_t)i;
    mx[260] = 0, mx[261] = 2, mx[262] = 4, mx[263] = 3, mx[264] = 0, mx[265] = 0;
    CHECK(decode_exact(mx, sizeof(mx), &c12, &msg));
    CHECK_EQ(msg.u.cert_request.n_cert_types, 255);
    CHECK_EQ(msg.u.cert_request.cert_types[254].v, 254);
    CHECK_EQ(msg.u.cert_request.sig_algs[0].v, 0x0403);
    tnt_arena_free(&arena);
}

static void test_cke(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[512];

    /* ECDHE (illustrated-tls12). */
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, false);
    size_t n = load("il12-cke-ecdhe.bin", raw, sizeof(raw));
    CHECK_EQ(n, 37);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    const tnt_client_key_exchange *k = &msg.u.cke;
    CHECK_EQ(k->kind, TNT_CKE_ECDH);
    CHECK_EQ(k->ecdh_point.len, 32);
    CHECK_EQ(k->ecdh_point.at.off, 5);
    uint8_t pub[32];
    check_unhex("358072d6365880d1aeea329adf9121383851ed21a28e3b75e965d0d2cd166254", pub, 32);
    CHECK_MEM(k->ecdh_point.p, pub, 32);
    CHECK_EQ(k->raw.len, 33);
    check_truncations("cke ecdhe", raw, n, &ctx);
    check_len_field("cke ecdhe", raw, n, 4, 1, &ctx);

    /* ECDH_anon (snet), TLS 1.0. */
    ctx = ctx_of(TNT_TLS10, 0xc018, false);
    n = load("snet-tls10-ecdh-anon-cke.bin", raw, sizeof(raw));
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_ECDH);
    CHECK_EQ(msg.u.cke.ecdh_point.len, 32);
    CHECK_EQ(msg.u.cke.ecdh_point.p[0], 0x2c);

    /* RSA, TLS 1.2 (snet): u16-prefixed. */
    ctx = ctx_of(TNT_TLS12, 0x009c, false);
    n = load("snet-tls12-rsa-cke.bin", raw, sizeof(raw));
    CHECK_EQ(n, 262);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    k = &msg.u.cke;
    CHECK_EQ(k->kind, TNT_CKE_RSA);
    CHECK(k->rsa_has_length);
    CHECK_EQ(k->encrypted_pms.len, 256);
    CHECK_EQ(k->encrypted_pms.at.off, 6);
    CHECK_EQ(k->encrypted_pms.p[0], 0x0b);
    check_truncations("cke rsa tls", raw, n, &ctx);
    check_len_field("cke rsa tls", raw, n, 4, 2, &ctx);
    tnt_hs_ctx ctx0 = ctx_of(0, 0x009c, false);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(msg.u.cke.rsa_has_length);
    CHECK_EQ(msg.u.cke.encrypted_pms.len, 256);

    /* RSA, SSL 3.0 (arkime): the bare ciphertext. */
    ctx = ctx_of(TNT_SSL3, 0x0035, false);
    n = load("arkime-ssl3-rsa-cke.bin", raw, sizeof(raw));
    CHECK_EQ(n, 132);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    k = &msg.u.cke;
    CHECK_EQ(k->kind, TNT_CKE_RSA);
    CHECK(!k->rsa_has_length);
    CHECK_EQ(k->encrypted_pms.len, 128);
    CHECK_EQ(k->encrypted_pms.at.off, 4);
    CHECK_EQ(k->encrypted_pms.p[0], 0x8b);
    ctx0 = ctx_of(0, 0x0035, false);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(!msg.u.cke.rsa_has_length);
    CHECK_EQ(msg.u.cke.encrypted_pms.len, 128);
    /* The same bytes read as TLS: 0x8bf3 is no length for 126 bytes. */
    tnt_hs_ctx as_tls = ctx_of(TNT_TLS10, 0x0035, false);
    CHECK(!tnt_hs_decode(raw, (uint32_t)n, &as_tls, &arena, &msg));
    CHECK_STR(msg.err.what, "EncryptedPreMasterSecret overruns the message");

    /* DHE, SSL 3.0 (snet): dh_Yc is u16-prefixed in every version. */
    ctx = ctx_of(TNT_SSL3, 0x0039, false);
    n = load("snet-ssl3-dhe-rsa-cke.bin", raw, sizeof(raw));
    CHECK_EQ(n, 262);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_DH);
    CHECK_EQ(msg.u.cke.dh_yc.len, 256);
    CHECK_EQ(msg.u.cke.dh_yc.p[0], 0x4e);
    check_truncations("cke dhe", raw, n, &ctx);
    check_len_field("cke dhe", raw, n, 4, 2, &ctx);
    tnt_arena_free(&arena);

    uint8_t m[64];
    /* Empty bodies: implicit for static DH/ECDH, an error otherwise. */
    tnt_hs_ctx dh = ctx_of(TNT_TLS12, 0x0031, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "", m, sizeof(m));
    CHECK(decode_exact(m, n, &dh, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_DH);
    CHECK_EQ(msg.u.cke.dh_yc.len, 0);
    tnt_hs_ctx ecdh = ctx_of(TNT_TLS12, 0xc004, false);
    CHECK(decode_exact(m, n, &ecdh, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_ECDH);
    CHECK_EQ(msg.u.cke.ecdh_point.len, 0);
    tnt_hs_ctx dhe = ctx_of(TNT_TLS12, 0x009e, false);
    CHECK(!decode_exact(m, n, &dhe, &msg));
    CHECK_STR(msg.err.what, "dh_Yc overruns the message");
    tnt_hs_ctx ecdhe = ctx_of(TNT_TLS12, 0xc013, false);
    CHECK(!decode_exact(m, n, &ecdhe, &msg));
    tnt_hs_ctx rsa = ctx_of(TNT_TLS12, 0x009c, false);
    CHECK(!decode_exact(m, n, &rsa, &msg));
    tnt_hs_ctx ssl3 = ctx_of(TNT_SSL3, 0x0035, false);
    CHECK(!decode_exact(m, n, &ssl3, &msg));
    CHECK_STR(msg.err.what, "empty EncryptedPreMasterSecret");
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &rsa, &msg));
    CHECK_STR(msg.err.what, "empty EncryptedPreMasterSecret");
    CHECK(!decode_exact(m, n, &dhe, &msg));
    CHECK_STR(msg.err.what, "empty dh_Yc");
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ecdhe, &msg));
    CHECK_STR(msg.err.what, "empty ecdh_Yc");
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "01 aa bb", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ecdhe, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after ClientKeyExchange");
    CHECK_EQ(msg.err.off, 6);

    /* PSK forms (RFC 4279 2-4, RFC 5489). */
    tnt_hs_ctx psk = ctx_of(TNT_TLS12, 0x008c, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0003 616263", m, sizeof(m));
    CHECK(decode_exact(m, n, &psk, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_PSK);
    CHECK_MEM(msg.u.cke.psk_identity.p, "abc", 3);
    CHECK_EQ(msg.u.cke.psk_identity.at.off, 6);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &psk, &msg)); /* empty identity: legal */
    CHECK_EQ(msg.u.cke.psk_identity.len, 0);
    tnt_hs_ctx dpsk = ctx_of(TNT_TLS12, 0x0090, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0001 61 0002 0102", m, sizeof(m));
    CHECK(decode_exact(m, n, &dpsk, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_PSK);
    CHECK_EQ(msg.u.cke.dh_yc.len, 2);
    CHECK_EQ(msg.u.cke.dh_yc.at.off, 9);
    check_truncations("cke dhe_psk", m, n, &dpsk);
    tnt_hs_ctx epsk = ctx_of(TNT_TLS12, 0xc035, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0001 61 02 0405", m, sizeof(m));
    CHECK(decode_exact(m, n, &epsk, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_PSK);
    CHECK_EQ(msg.u.cke.ecdh_point.len, 2);
    check_truncations("cke ecdhe_psk", m, n, &epsk);
    tnt_hs_ctx rpsk = ctx_of(TNT_TLS12, 0x0094, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0001 61 0003 aabbcc", m, sizeof(m));
    CHECK(decode_exact(m, n, &rpsk, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_PSK);
    CHECK(msg.u.cke.rsa_has_length);
    CHECK_EQ(msg.u.cke.encrypted_pms.len, 3);
    check_truncations("cke rsa_psk", m, n, &rpsk);

    /* Unknown suite and SRP: raw, no error, even when empty. */
    tnt_hs_ctx unk = ctx_of(TNT_TLS12, 0xeeee, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "0102", m, sizeof(m));
    CHECK(decode_exact(m, n, &unk, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_UNKNOWN);
    CHECK_EQ(msg.u.cke.raw.len, 2);
    CHECK_EQ(msg.u.cke.raw.at.off, 4);
    tnt_hs_ctx srp = ctx_of(TNT_TLS12, 0xc01d, false);
    n = build(TNT_HS_CLIENT_KEY_EXCHANGE, "", m, sizeof(m));
    CHECK(decode_exact(m, n, &srp, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_UNKNOWN);

    /* Maximum ECPoint: 255 bytes. */
    static uint8_t mx[4 + 1 + 255];
    mx[0] = TNT_HS_CLIENT_KEY_EXCHANGE;
    put24(mx + 1, 256);
    mx[4] = 255;
    mx[259] = 0x99;
    CHECK(decode_exact(mx, sizeof(mx), &ecdhe, &msg));
    CHECK_EQ(msg.u.cke.ecdh_point.len, 255);
    tnt_arena_free(&arena);
}

static void test_cert_verify(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[512];

    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0x009c, false);
    size_t n = load("snet-tls12-rsa-certverify.bin", raw, sizeof(raw));
    CHECK_EQ(n, 264);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    const tnt_digitally_signed *d = &msg.u.cert_verify.sig;
    CHECK(d->has_algorithm);
    CHECK_EQ(d->scheme.v, 0x0804);
    CHECK_EQ(d->scheme.at.off, 4);
    CHECK_EQ(d->scheme.at.len, 2);
    CHECK_EQ(d->hash.v, 8);
    CHECK_EQ(d->sig.v, 4);
    CHECK_EQ(d->signature.len, 256);
    CHECK_EQ(d->signature.at.off, 8);
    CHECK_EQ(d->signature.p[0], 0x13);
    check_truncations("certverify 1.2", raw, n, &ctx);
    check_len_field("certverify 1.2", raw, n, 6, 2, &ctx);

    ctx = ctx_of(TNT_TLS11, 0x0038, false);
    n = load("snet-tls11-dss-certverify.bin", raw, sizeof(raw));
    CHECK_EQ(n, 53);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    d = &msg.u.cert_verify.sig;
    CHECK(!d->has_algorithm);
    CHECK_EQ(d->signature.len, 47);
    CHECK_EQ(d->signature.at.off, 6);
    check_truncations("certverify 1.1", raw, n, &ctx);
    check_len_field("certverify 1.1", raw, n, 4, 2, &ctx);
    /* Version unknown: 0x002f as a scheme would leave 0x302d bytes of
     * signature, which do not fit, so the 1.0 layout is taken. */
    tnt_hs_ctx ctx0 = ctx_of(0, 0, false);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK(!msg.u.cert_verify.sig.has_algorithm);
    CHECK_EQ(msg.u.cert_verify.sig.signature.len, 47);

    ctx = ctx_of(TNT_SSL3, 0x0035, false);
    n = load("arkime-ssl3-certverify.bin", raw, sizeof(raw));
    CHECK_EQ(n, 134);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(!msg.u.cert_verify.sig.has_algorithm);
    CHECK_EQ(msg.u.cert_verify.sig.signature.len, 128);

    uint8_t m[32];
    tnt_hs_ctx c12 = ctx_of(TNT_TLS12, 0x009c, false);
    n = build(TNT_HS_CERTIFICATE_VERIFY, "0401 0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &c12, &msg)); /* signature<0..2^16-1> */
    CHECK_EQ(msg.u.cert_verify.sig.signature.len, 0);
    n = build(TNT_HS_CERTIFICATE_VERIFY, "0401 0000 00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after signature");
    CHECK_EQ(msg.err.off, 8);
    n = build(TNT_HS_CERTIFICATE_VERIFY, "04", m, sizeof(m));
    CHECK(!decode_exact(m, n, &c12, &msg));
    CHECK_STR(msg.err.what, "truncated SignatureAndHashAlgorithm");
    n = build(TNT_HS_CERTIFICATE_VERIFY, "", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx0, &msg));
    CHECK_STR(msg.err.what, "signature overruns the message");

    /* Direct call: the digitally-signed reader consumes only its part. */
    n = check_unhex("0503 0001 ee 77", m, sizeof(m));
    tnt_cursor c;
    tnt_cursor_init(&c, m, n);
    tnt_digitally_signed ds;
    tnt_error err = {0, NULL};
    CHECK(tnt_digitally_signed_decode(&c, TNT_TLS12, &ds, &err));
    CHECK_EQ(ds.scheme.v, 0x0503);
    CHECK_EQ(ds.signature.len, 1);
    CHECK_EQ(tnt_cursor_len(&c), 1);
    tnt_arena_free(&arena);
}

static void test_finished(void)
{
    tnt_hs_msg msg;
    uint8_t raw[64];

    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, false);
    size_t n = load("il12-client-finished.bin", raw, sizeof(raw));
    CHECK_EQ(n, 16);
    CHECK(decode_exact(raw, n, &ctx, &msg));
    CHECK(msg.decoded);
    uint8_t vd[12];
    check_unhex("cf919626f1360c536aaad73a", vd, 12);
    CHECK_EQ(msg.u.finished.verify_data.len, 12);
    CHECK_EQ(msg.u.finished.verify_data.at.off, 4);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_MEM(msg.u.finished.verify_data.p, vd, 12);
    check_truncations("finished tls", raw, n, &ctx);
    n = load("il12-server-finished.bin", raw, sizeof(raw));
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    check_unhex("844d3c10746dd722f92f0c7e", vd, 12);
    CHECK_MEM(msg.u.finished.verify_data.p, vd, 12);

    tnt_hs_ctx c11 = ctx_of(TNT_TLS11, 0x0038, false);
    n = load("snet-tls11-client-finished.bin", raw, sizeof(raw));
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &c11, &arena, &msg));
    check_unhex("904033530365069feab47ced", vd, 12);
    CHECK_MEM(msg.u.finished.verify_data.p, vd, 12);

    /* SSL 3.0: MD5 (16) + SHA-1 (20). */
    tnt_hs_ctx ssl3 = ctx_of(TNT_SSL3, 0x0039, false);
    n = load("snet-ssl3-client-finished.bin", raw, sizeof(raw));
    CHECK_EQ(n, 40);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ssl3, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.finished.verify_data.len, 36);
    CHECK_EQ(msg.u.finished.verify_data.p[0], 0x5b);
    CHECK_EQ(msg.u.finished.verify_data.p[35], 0xa0);
    check_truncations("finished ssl3", raw, n, &ssl3);
    /* A 36-byte Finished in TLS (and 12 in SSL 3.0) is an error; with the
     * version unknown, both are accepted. */
    CHECK(!tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK_STR(msg.err.what, "Finished length does not match the negotiated version");
    tnt_hs_ctx ctx0 = ctx_of(0, 0, false);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));
    CHECK_EQ(msg.u.finished.verify_data.len, 36);
    n = load("il12-client-finished.bin", raw, sizeof(raw));
    CHECK(!tnt_hs_decode(raw, (uint32_t)n, &ssl3, &arena, &msg));
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx0, &arena, &msg));

    /* Other lengths: 11, 13, 0. */
    uint8_t m[64];
    n = build(TNT_HS_FINISHED, "0102030405060708090a0b", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx0, &msg));
    CHECK_STR(msg.err.what, "Finished is neither 12 nor 36 bytes");
    CHECK_EQ(msg.err.off, 4);
    n = build(TNT_HS_FINISHED, "0102030405060708090a0b0c0d", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx0, &msg));
    n = build(TNT_HS_FINISHED, "", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx0, &msg));
    tnt_arena_free(&arena);
}

static void test_ticket(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[512];
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc02f, true);
    size_t n = load("arkime-tls12-new-session-ticket.bin", raw, sizeof(raw));
    CHECK_EQ(n, 174);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.ticket.lifetime_hint.v, 100800);
    CHECK_EQ(msg.u.ticket.lifetime_hint.at.off, 4);
    CHECK_EQ(msg.u.ticket.lifetime_hint.at.len, 4);
    CHECK_EQ(msg.u.ticket.ticket.len, 164);
    CHECK_EQ(msg.u.ticket.ticket.at.off, 10);
    CHECK_EQ(msg.u.ticket.ticket.p[0], 0x5a);
    check_truncations("ticket", raw, n, &ctx);
    check_len_field("ticket", raw, n, 8, 2, &ctx);

    uint8_t m[32];
    /* Empty ticket (RFC 5077 3.3) and the largest lifetime. */
    n = build(TNT_HS_NEW_SESSION_TICKET, "ffffffff 0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.ticket.lifetime_hint.v, 0xffffffffu);
    CHECK_EQ(msg.u.ticket.ticket.len, 0);
    n = build(TNT_HS_NEW_SESSION_TICKET, "00000001 0000 00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after ticket");
    n = build(TNT_HS_NEW_SESSION_TICKET, "000001", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "truncated ticket_lifetime_hint");
    /* Largest ticket. */
    size_t big = 4 + 4 + 2 + 65535;
    uint8_t *b = calloc(1, big);
    b[0] = TNT_HS_NEW_SESSION_TICKET;
    put24(b + 1, (uint32_t)(big - 4));
    b[8] = b[9] = 0xff;
    CHECK(tnt_hs_decode(b, (uint32_t)big, &ctx, &arena, &msg));
    CHECK_EQ(msg.u.ticket.ticket.len, 65535);
    free(b);
    /* In TLS 1.3 the layout differs: not decoded. */
    tnt_hs_ctx c13 = ctx_of(TNT_TLS13, 0x1301, true);
    n = build(TNT_HS_NEW_SESSION_TICKET, "ffffffff 0000", m, sizeof(m));
    CHECK(decode_exact(m, n, &c13, &msg));
    CHECK(!msg.decoded);
    tnt_arena_free(&arena);
}

static void test_cert_status(void)
{
    tnt_hs_msg msg;
    static uint8_t raw[2048];
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc02f, true);
    size_t n = load("arkime-tls12-cert-status.bin", raw, sizeof(raw));
    CHECK_EQ(n, 1580);
    CHECK(tnt_hs_decode(raw, (uint32_t)n, &ctx, &arena, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.cert_status.status_type.v, 1);
    CHECK_EQ(msg.u.cert_status.status_type.at.off, 4);
    CHECK_EQ(msg.u.cert_status.response.len, 1572);
    CHECK_EQ(msg.u.cert_status.response.at.off, 8);
    /* OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED successful } */
    static const uint8_t head[] = {0x30, 0x82, 0x06, 0x20, 0x0a, 0x01, 0x00};
    CHECK_MEM(msg.u.cert_status.response.p, head, sizeof(head));
    check_truncations("status", raw, n, &ctx);
    check_len_field("status", raw, n, 5, 3, &ctx);

    uint8_t m[32];
    n = build(TNT_HS_CERTIFICATE_STATUS, "01 000000", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "empty OCSP response");
    n = build(TNT_HS_CERTIFICATE_STATUS, "03 000001 30", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "unknown CertificateStatusType");
    CHECK_EQ(msg.err.off, 4);
    n = build(TNT_HS_CERTIFICATE_STATUS, "02 000004 00000130", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg)); /* ocsp_multi: the list, whole */
    CHECK_EQ(msg.u.cert_status.status_type.v, 2);
    CHECK_EQ(msg.u.cert_status.response.len, 4);
    n = build(TNT_HS_CERTIFICATE_STATUS, "01 000001 30 00", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK_STR(msg.err.what, "trailing bytes after OCSP response");
    tnt_arena_free(&arena);
}

static void test_hello_dispatch(void)
{
    /* The illustrated-tls12 ServerHello (caps/serverhello without the record
     * header) reaches the ServerHello decoder. */
    uint8_t m[64];
    size_t n = check_unhex("0200002d0303707172737475767778797a7b7c7d7e7f808182838485868788898a"
                           "8b8c8d8e8f00c013000005ff01000100",
                           m, sizeof(m));
    tnt_hs_ctx ctx = ctx_of(0, 0, true);
    tnt_hs_msg msg;
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.type, TNT_HS_SERVER_HELLO);
    CHECK_EQ(msg.u.server_hello.version.v, 0x0303);
    CHECK_EQ(msg.u.server_hello.version.at.off, 4);
    /* Under TLS 1.3 hellos are still decoded (only they are cleartext). */
    tnt_hs_ctx c13 = ctx_of(TNT_TLS13, 0x1301, true);
    CHECK(decode_exact(m, n, &c13, &msg));
    CHECK(msg.decoded);
    tnt_arena_free(&arena);
}

static void test_tnt_dispatch(void)
{
    tnt_hs_msg msg;
    uint8_t m[64];
    tnt_hs_ctx ctx = ctx_of(TNT_TLS12, 0xc013, true);

    /* Round 1, continue, no policies, no credentials. */
    size_t n = build(TNT_DEFAULT_HS_NEGOTIATION, "0001 00 000000 000000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.tnt_negotiation.round.v, 1);
    CHECK_EQ(msg.u.tnt_negotiation.round.at.off, 4);
    CHECK_EQ(msg.u.tnt_negotiation.n_policies, 0);

    /* One TLS 1.2 proof: index 0, rsa_pss_rsae_sha256, 4-byte signature. */
    n = build(TNT_DEFAULT_HS_PROOF, "000a 0000 0804 0004 aabbccdd", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.tnt_proof.n_proofs, 1);
    CHECK(msg.u.tnt_proof.proofs[0].has_algorithm);
    CHECK_EQ(msg.u.tnt_proof.proofs[0].algorithm.v, 0x0804);
    CHECK_EQ(msg.u.tnt_proof.proofs[0].signature.len, 4);
    /* The version reaches the proof decoder: as TLS 1.0 the same entry is
     * index 0, signature length 0x0804: an error. */
    tnt_hs_ctx c10 = ctx_of(TNT_TLS10, 0xc013, true);
    CHECK(!decode_exact(m, n, &c10, &msg));
    CHECK(msg.err.what != NULL);

    /* Moved codepoints are honoured: they travel in the context. */
    tnt_codepoints moved;
    CHECK(tnt_codepoints_make(&moved, 0xFF55, 230, 231));
    ctx.cp = &moved;
    n = build(230, "0002 01 000000 000000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(msg.decoded);
    CHECK_EQ(msg.u.tnt_negotiation.round.v, 2);
    CHECK_EQ(msg.u.tnt_negotiation.status.v, 1);
    n = build(TNT_DEFAULT_HS_NEGOTIATION, "0002 01 000000 000000", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK(!msg.decoded); /* 224 is just an unknown type now */
    CHECK(msg.err.what == NULL);
    n = build(231, "000a 0000 0804 0004 aabbccdd", m, sizeof(m));
    CHECK(decode_exact(m, n, &ctx, &msg));
    CHECK_EQ(msg.u.tnt_proof.n_proofs, 1);
    ctx.cp = NULL;

    /* A malformed TNT body is an error of the message. */
    n = build(TNT_DEFAULT_HS_NEGOTIATION, "0001 00 000001", m, sizeof(m));
    CHECK(!decode_exact(m, n, &ctx, &msg));
    CHECK(!msg.decoded);
    CHECK(msg.err.what != NULL);
    tnt_arena_free(&arena);
}

int main(void)
{
    tnt_arena_init(&arena);
    test_header();
    test_empty_messages();
    test_not_decoded_types();
    test_certificate();
    test_ske();
    test_cert_request();
    test_cke();
    test_cert_verify();
    test_finished();
    test_ticket();
    test_cert_status();
    test_hello_dispatch();
    test_tnt_dispatch();
    tnt_arena_free(&arena);
    free(last_copy);
    return check_done("test_messages");
}
