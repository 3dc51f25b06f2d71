/* Fuzz target: tnt_hs_decode() over arbitrary bytes, in every context.
 *
 * Input: one context byte, then the handshake message (header and body).
 * The context byte picks the version (bits 0-2), the direction (bit 3) and
 * the suite (bits 4-7; 15 = the next two input bytes are the suite), because
 * ServerKeyExchange, ClientKeyExchange, CertificateRequest, CertificateVerify
 * and TNTProof are laid out differently by version and key exchange. The
 * message is then decoded once more under each version SSL 3.0..TLS 1.2 in
 * both directions, so that every input reaches every layout. Version 0x0002
 * also decodes the bytes as an SSLv2-format ClientHello record.
 *
 * Checked: no crash or sanitizer report; every span and byte string of a
 * decoded message lies inside the message; the header fields agree with the
 * input; the arena stays within a small multiple of the input. */
#include "fuzz_spans.h"

#include "dn_expression.h"

static const uint16_t versions[8] = {0, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0002, 0xfefd};

/* One suite of each key exchange the decoders tell apart. */
static const uint16_t suites[15] = {
    0x0000, /* unknown */
    0x002F, /* RSA */
    0x0033, /* DHE_RSA */
    0x0013, /* DHE_DSS */
    0x0018, /* DH_anon */
    0xC02F, /* ECDHE_RSA */
    0xC009, /* ECDHE_ECDSA */
    0xC018, /* ECDH_anon */
    0xC004, /* ECDH_ECDSA (fixed) */
    0x008C, /* PSK */
    0x0090, /* DHE_PSK */
    0xC035, /* ECDHE_PSK */
    0x0092, /* RSA_PSK */
    0x0003, /* RSA_EXPORT */
    0x1301, /* TLS 1.3 */
};

static void decode_one(const uint8_t *raw, uint32_t len, const tnt_hs_ctx *ctx)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg m;
    memset(&m, 0, sizeof(m));
    bool ok = tnt_hs_decode(raw, len, ctx, &a, &m);
    if (len >= 4) {
        FUZZ_ASSERT(m.type == raw[0]);
        FUZZ_ASSERT(m.length == ((uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3]));
    }
    if (ok && m.decoded) {
        FUZZ_ASSERT(m.raw == raw && m.raw_len == len);
        fuzz_check_hs_msg(&m);
    }
    if (!ok)
        FUZZ_ASSERT(m.err.what != NULL);
    /* Lists are bounded by the message they came from. */
    FUZZ_ASSERT(a.total <= 64 * (size_t)len + 4096);
    tnt_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    uint32_t b = fuzz_u8(&in);
    tnt_hs_ctx ctx = {versions[b & 7], 0, (b & 8) != 0, NULL};
    ctx.suite = (b >> 4) == 15 ? (uint16_t)fuzz_u16(&in) : suites[b >> 4];
    if (in.n > (1u << 20))
        return 0;
    /* A copy of exactly the message, so that ASan catches a read past it. */
    uint32_t len = (uint32_t)in.n;
    uint8_t *raw = malloc(len ? len : 1);
    if (len)
        memcpy(raw, in.p, len);
    decode_one(raw, len, &ctx);
    for (uint16_t v = 0x0300; v <= 0x0303; v++) {
        for (int dir = 0; dir < 2; dir++) {
            tnt_hs_ctx c2 = {v, ctx.suite, dir != 0, NULL};
            decode_one(raw, len, &c2);
        }
    }
    if (ctx.version == 0x0002) {
        /* The same bytes as an SSLv2-format record (2-byte header first). */
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_sslv2_client_hello h;
        tnt_error err;
        if (tnt_sslv2_client_hello_decode(raw, len, &a, &h, &err)) {
            fuzz_check_bytes(&h.session_id, raw, len);
            fuzz_check_bytes(&h.challenge, raw, len);
            for (uint32_t i = 0; i < h.n_specs; i++)
                fuzz_check_uint(&h.specs[i], len);
        }
        tnt_arena_free(&a);
    }
    free(raw);
    return 0;
}
