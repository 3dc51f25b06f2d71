/* The encoders and the builder under them.
 *
 * Two kinds of evidence: byte-exact reproduction of real encodings from their
 * field values (the illustrated-tls12 capture, tests/data/illustrated-tls12,
 * and the clinic vectors of docs/protocol.md section 10), and round trips
 * through the existing decoders, checking that every decoded field equals the
 * value encoded. The builder's limits are tested at exactly their edges. */
#include "check.h"

#include "arena.h"
#include "builder.h"
#include "codepoints.h"
#include "encode.h"
#include "handshake.h"
#include "hs_reasm.h"
#include "record.h"
#include "tnt_messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tnt_arena arena;

/* Every buffer the test makes lives until the end, so decoded tnt_bytes stay
 * valid while they are checked. */
static void *keep[512];
static size_t n_keep;

static void *kept(void *p)
{
    if (n_keep == sizeof(keep) / sizeof(keep[0])) {
        fprintf(stderr, "test_encode: too many buffers\n");
        abort();
    }
    keep[n_keep++] = p;
    return p;
}

static size_t load(const char *name, uint8_t **out)
{
    const char *dir = getenv("TNT_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    uint8_t *buf = kept(malloc(1 << 16));
    size_t n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    *out = buf;
    return n;
}

static size_t unhex(const char *hex, uint8_t **out)
{
    size_t cap = strlen(hex) / 2 + 1;
    *out = kept(malloc(cap));
    return check_unhex(hex, *out, cap);
}

/* Takes the builder's bytes; the builder must have succeeded. */
static size_t take(tnt_builder *b, uint8_t **out)
{
    size_t len;
    const char *err = tnt_bld_error(b);
    if (err)
        fprintf(stderr, "builder error: %s\n", err);
    CHECK(tnt_bld_finish(b, out, &len));
    if (!*out) {
        static uint8_t none[1];
        *out = none;
        return 0;
    }
    kept(*out);
    return len;
}

/* The codepoints decode() uses (NULL: the defaults). */
static const tnt_codepoints *decode_cp;

/* Decodes a copy of exactly len bytes (so ASan sees any overread) and
 * requires a clean, complete decode. */
static bool decode(const uint8_t *raw, size_t len, uint16_t version, uint16_t suite,
                   bool from_server, tnt_hs_msg *msg)
{
    uint8_t *copy = kept(malloc(len ? len : 1));
    memcpy(copy, raw, len);
    tnt_hs_ctx ctx = {version, suite, from_server, decode_cp};
    bool ok = tnt_hs_decode(copy, (uint32_t)len, &ctx, &arena, msg);
    if (!ok || !msg->decoded)
        fprintf(stderr, "decode failed: %s at %u\n", msg->err.what ? msg->err.what : "(none)",
                msg->err.off);
    return ok && msg->decoded;
}

static bool blob_eq(tnt_bytes d, tnt_blob s)
{
    return d.len == s.len && (s.len == 0 || memcmp(d.p, s.p, s.len) == 0);
}

static bool u16s_eq(const tnt_uint_list *d, tnt_u16s s)
{
    if (d->n != s.n)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (d->v[i].v != s.v[i])
            return false;
    return true;
}

static bool u8s_eq(const tnt_uint_list *d, tnt_u8s s)
{
    if (d->n != s.n)
        return false;
    for (size_t i = 0; i < s.n; i++)
        if (d->v[i].v != s.v[i])
            return false;
    return true;
}

/* Every field of one decoded extension against the spec it came from. */
static void check_ext(const tnt_extension *d, const tnt_ext_spec *s)
{
    CHECK_EQ(d->kind, s->kind);
    if (s->kind == TNT_EXTK_UNKNOWN) {
        CHECK_EQ(d->type.v, s->type);
        CHECK(blob_eq(d->data, s->u.raw));
        return;
    }
    CHECK(d->decoded);
    if (!d->decoded) {
        fprintf(stderr, "  extension %u: %s\n", d->type.v, d->err.what);
        return;
    }
    switch (s->kind) {
    case TNT_EXTK_SERVER_NAME:
        CHECK_EQ(d->type.v, TNT_EXT_SERVER_NAME);
        CHECK_EQ(d->u.sni.n, s->u.sni.n);
        for (size_t i = 0; i < s->u.sni.n && i < d->u.sni.n; i++) {
            CHECK_EQ(d->u.sni.names[i].type.v, 0);
            CHECK(blob_eq(d->u.sni.names[i].name, s->u.sni.v[i]));
        }
        if (s->u.sni.n == 0)
            CHECK_EQ(d->data.len, 0);
        break;
    case TNT_EXTK_STATUS_REQUEST:
        CHECK_EQ(d->u.status_request.empty, s->u.status_request.empty);
        if (!s->u.status_request.empty) {
            CHECK_EQ(d->u.status_request.type.v, 1);
            CHECK(blob_eq(d->u.status_request.responder_ids, s->u.status_request.responder_ids));
            CHECK(blob_eq(d->u.status_request.extensions, s->u.status_request.extensions));
        }
        break;
    case TNT_EXTK_SUPPORTED_GROUPS:
        CHECK(u16s_eq(&d->u.groups, s->u.groups));
        break;
    case TNT_EXTK_EC_POINT_FORMATS:
        CHECK(u8s_eq(&d->u.formats, s->u.formats));
        break;
    case TNT_EXTK_SIGNATURE_ALGORITHMS:
        CHECK(u16s_eq(&d->u.sig_algs, s->u.sig_algs));
        break;
    case TNT_EXTK_ALPN:
        CHECK_EQ(d->u.alpn.n, s->u.alpn.n);
        for (size_t i = 0; i < s->u.alpn.n && i < d->u.alpn.n; i++)
            CHECK(blob_eq(d->u.alpn.protocols[i], s->u.alpn.v[i]));
        break;
    case TNT_EXTK_PADDING:
        CHECK_EQ(d->u.padding.len, s->u.padding);
        for (size_t i = 0; i < d->u.padding.len; i++)
            CHECK_EQ(d->u.padding.p[i], 0);
        break;
    case TNT_EXTK_ENCRYPT_THEN_MAC:
    case TNT_EXTK_EXTENDED_MASTER_SECRET:
        CHECK_EQ(d->data.len, 0);
        break;
    case TNT_EXTK_RECORD_SIZE_LIMIT:
        CHECK_EQ(d->u.record_size_limit.v, s->u.record_size_limit);
        break;
    case TNT_EXTK_SESSION_TICKET:
        CHECK(blob_eq(d->u.session_ticket, s->u.session_ticket));
        break;
    case TNT_EXTK_SUPPORTED_VERSIONS:
        CHECK_EQ(d->u.supported_versions.is_list, s->u.supported_versions.is_list);
        if (s->u.supported_versions.is_list)
            CHECK(u16s_eq(&d->u.supported_versions.list, s->u.supported_versions.list));
        else
            CHECK_EQ(d->u.supported_versions.selected.v, s->u.supported_versions.selected);
        break;
    case TNT_EXTK_RENEGOTIATION_INFO:
        CHECK(blob_eq(d->u.renegotiation_info, s->u.renegotiation_info));
        break;
    case TNT_EXTK_TNT:
        CHECK_EQ(d->type.v, tnt_codepoints_default.ext_type);
        CHECK_EQ(d->u.tnt.version.v, s->u.tnt.version);
        CHECK(d->u.tnt.known_version);
        CHECK_EQ(d->u.tnt.mode.v, s->u.tnt.mode);
        CHECK(u8s_eq(&d->u.tnt.strategies, s->u.tnt.strategies));
        CHECK(u8s_eq(&d->u.tnt.languages, s->u.tnt.languages));
        break;
    case TNT_EXTK_UNKNOWN:
        break;
    }
}

static void check_exts(const tnt_extensions *d, const tnt_ext_spec *s, size_t n)
{
    CHECK_EQ(d->n, n);
    for (size_t i = 0; i < n && i < d->n; i++)
        check_ext(&d->v[i], &s[i]);
}

/* ---- builder ---- */

static void test_builder_basics(void)
{
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_bld_u8(&b, 0xAB));
    CHECK(tnt_bld_u16(&b, 0x0102));
    CHECK(tnt_bld_u24(&b, 0x030405));
    CHECK(tnt_bld_u32(&b, 0x06070809));
    CHECK(tnt_bld_bytes(&b, (const uint8_t *)"xy", 2));
    CHECK(tnt_bld_bytes(&b, NULL, 0));
    CHECK(tnt_bld_zeros(&b, 2));
    CHECK(tnt_bld_vec8(&b, (const uint8_t *)"a", 1));
    CHECK(tnt_bld_vec16(&b, NULL, 0));
    CHECK(tnt_bld_vec24(&b, (const uint8_t *)"bc", 2));
    /* Nested: u24 { u16 { u8 { 'z' } }, 'w' }. */
    CHECK(tnt_bld_open_u24(&b));
    CHECK(tnt_bld_open_u16(&b));
    CHECK(tnt_bld_open_u8(&b));
    CHECK(tnt_bld_u8(&b, 'z'));
    size_t len;
    CHECK(tnt_bld_data(&b, &len) == NULL); /* vectors still open */
    CHECK_EQ(len, 0);
    CHECK(tnt_bld_close(&b));
    CHECK(tnt_bld_close(&b));
    CHECK(tnt_bld_u8(&b, 'w'));
    CHECK(tnt_bld_close(&b));
    CHECK(tnt_bld_ok(&b));
    CHECK(tnt_bld_error(&b) == NULL);

    uint8_t *want;
    size_t n = unhex("ab 0102 030405 06070809 7879 0000 0161 0000 0000026263"
                     "000005 0002 01 7a 77",
                     &want);
    const uint8_t *d = tnt_bld_data(&b, &len);
    CHECK(d != NULL);
    CHECK_EQ(len, n);
    CHECK_EQ(tnt_bld_len(&b), n);
    if (d && len == n)
        CHECK_MEM(d, want, n);
    uint8_t *out;
    CHECK_EQ(take(&b, &out), n);
    CHECK_MEM(out, want, n);
    CHECK_EQ(tnt_bld_len(&b), 0); /* finish empties the builder */

    /* An empty build is a result, not an error. */
    CHECK(tnt_bld_data(&b, &len) != NULL);
    CHECK_EQ(len, 0);
    uint8_t *empty;
    CHECK(tnt_bld_finish(&b, &empty, &len));
    CHECK(empty != NULL);
    CHECK_EQ(len, 0);
    free(empty);

    /* Growth across many reallocations keeps the content. */
    for (uint32_t i = 0; i < 100000; i++)
        tnt_bld_u8(&b, i & 0xFF);
    d = tnt_bld_data(&b, &len);
    CHECK_EQ(len, 100000);
    bool same = d != NULL;
    for (size_t i = 0; same && i < len; i++)
        same = d[i] == (uint8_t)i;
    CHECK(same);
    /* reset keeps the buffer for reuse and empties it */
    tnt_bld_reset(&b);
    CHECK_EQ(tnt_bld_len(&b), 0);
    CHECK(tnt_bld_u16(&b, 0xFFFF));
    d = tnt_bld_data(&b, &len);
    CHECK_EQ(len, 2);
    CHECK(d && d[0] == 0xFF && d[1] == 0xFF);
    tnt_bld_free(&b);
    CHECK_EQ(tnt_bld_len(&b), 0);
}

/* A u<width> vector of n bytes; returns whether it closed, and checks the
 * prefix when it did. */
static bool vec_of(unsigned width, size_t n, const char **err)
{
    tnt_builder b;
    tnt_bld_init(&b);
    if (width == 1)
        tnt_bld_open_u8(&b);
    else if (width == 2)
        tnt_bld_open_u16(&b);
    else
        tnt_bld_open_u24(&b);
    tnt_bld_zeros(&b, n);
    bool ok = tnt_bld_close(&b);
    *err = tnt_bld_error(&b);
    uint8_t *out;
    size_t len;
    bool fin = tnt_bld_finish(&b, &out, &len);
    CHECK_EQ(fin, ok);
    if (fin) {
        CHECK_EQ(len, width + n);
        size_t v = 0;
        for (unsigned i = 0; i < width; i++)
            v = v << 8 | out[i];
        CHECK_EQ(v, n);
    } else {
        CHECK(out == NULL);
        CHECK_EQ(len, 0);
    }
    free(out);
    tnt_bld_free(&b);
    return ok;
}

static void test_builder_limits(void)
{
    const char *err;
    CHECK(vec_of(1, 0, &err));
    CHECK(vec_of(1, 255, &err));
    CHECK(!vec_of(1, 256, &err));
    CHECK_STR(err, "builder: vector too long for a u8 length");
    CHECK(vec_of(2, 65535, &err));
    CHECK(!vec_of(2, 65536, &err));
    CHECK_STR(err, "builder: vector too long for a u16 length");
    CHECK(vec_of(3, (1u << 24) - 1, &err));
    CHECK(!vec_of(3, 1u << 24, &err));
    CHECK_STR(err, "builder: vector too long for a u24 length");

    /* Values wider than their field are errors, not truncated. */
    struct {
        bool (*put)(tnt_builder *, uint32_t);
        uint32_t max;
        const char *what;
    } ints[] = {
        {tnt_bld_u8, 0xFF, "builder: value too large for u8"},
        {tnt_bld_u16, 0xFFFF, "builder: value too large for u16"},
        {tnt_bld_u24, 0xFFFFFF, "builder: value too large for u24"},
    };
    for (size_t i = 0; i < 3; i++) {
        tnt_builder b;
        tnt_bld_init(&b);
        CHECK(ints[i].put(&b, ints[i].max));
        CHECK(!ints[i].put(&b, ints[i].max + 1));
        CHECK_STR(tnt_bld_error(&b), ints[i].what);
        CHECK_EQ(tnt_bld_len(&b), i + 1); /* the bad value wrote nothing */
        tnt_bld_free(&b);
    }
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_bld_u32(&b, 0xFFFFFFFF));
    tnt_bld_free(&b);

    /* Nested children: an inner overflow fails although the outer prefix
     * could hold it, and the outer one checks its own total. */
    tnt_bld_init(&b);
    tnt_bld_open_u24(&b);
    tnt_bld_open_u8(&b);
    tnt_bld_zeros(&b, 256);
    CHECK(!tnt_bld_close(&b));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    tnt_bld_free(&b);

    tnt_bld_init(&b);
    tnt_bld_open_u8(&b);
    tnt_bld_open_u8(&b);
    tnt_bld_zeros(&b, 254); /* inner 255 bytes with its prefix: fits */
    CHECK(tnt_bld_close(&b));
    CHECK(tnt_bld_close(&b));
    CHECK(tnt_bld_ok(&b));
    tnt_bld_reset(&b);
    tnt_bld_open_u8(&b);
    tnt_bld_open_u8(&b);
    tnt_bld_zeros(&b, 255); /* inner fits, outer holds 256 */
    CHECK(tnt_bld_close(&b));
    CHECK(!tnt_bld_close(&b));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    tnt_bld_free(&b);

    /* Close without open, too deep, finish with a vector open. */
    tnt_bld_init(&b);
    CHECK(!tnt_bld_close(&b));
    CHECK_STR(tnt_bld_error(&b), "builder: close without an open length prefix");
    tnt_bld_free(&b);

    tnt_bld_init(&b);
    for (int i = 0; i < TNT_BLD_MAX_DEPTH; i++)
        CHECK(tnt_bld_open_u8(&b));
    CHECK(!tnt_bld_open_u8(&b));
    CHECK_STR(tnt_bld_error(&b), "builder: length prefixes nested too deep");
    tnt_bld_free(&b);

    tnt_bld_init(&b);
    tnt_bld_u8(&b, 1);
    tnt_bld_open_u16(&b);
    uint8_t *out = (uint8_t *)&b; /* must be overwritten */
    size_t len = 99;
    CHECK(!tnt_bld_finish(&b, &out, &len));
    CHECK(out == NULL);
    CHECK_EQ(len, 0);
    CHECK_STR(tnt_bld_error(&b), "builder: finish with a length prefix still open");
    tnt_bld_free(&b);
}

static void test_builder_sticky(void)
{
    tnt_builder b;
    tnt_bld_init(&b);
    tnt_bld_u16(&b, 0x1234);
    tnt_bld_open_u8(&b);
    tnt_bld_zeros(&b, 300);
    CHECK(!tnt_bld_close(&b));
    size_t at_error = tnt_bld_len(&b);
    /* Every later call fails and writes nothing; the first error stays. */
    CHECK(!tnt_bld_u8(&b, 1));
    CHECK(!tnt_bld_u16(&b, 1));
    CHECK(!tnt_bld_u24(&b, 1));
    CHECK(!tnt_bld_u32(&b, 1));
    CHECK(!tnt_bld_bytes(&b, (const uint8_t *)"x", 1));
    CHECK(!tnt_bld_zeros(&b, 1));
    CHECK(!tnt_bld_open_u16(&b));
    CHECK(!tnt_bld_vec8(&b, NULL, 0));
    CHECK(!tnt_bld_close(&b));
    CHECK(!tnt_bld_u8(&b, 1000)); /* a second, different error */
    CHECK(!tnt_bld_fail(&b, "another"));
    CHECK(!tnt_enc_hello_request(&b));
    CHECK(!tnt_enc_finished(&b, tnt_blob_of("123456789012", 12)));
    CHECK_EQ(tnt_bld_len(&b), at_error);
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    CHECK(!tnt_bld_ok(&b));
    size_t len = 5;
    CHECK(tnt_bld_data(&b, &len) == NULL);
    CHECK_EQ(len, 0);
    uint8_t *out;
    CHECK(!tnt_bld_finish(&b, &out, &len));
    CHECK(out == NULL);
    CHECK_EQ(len, 0);
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    /* reset clears the error and the builder works again */
    tnt_bld_reset(&b);
    CHECK(tnt_bld_ok(&b));
    CHECK(tnt_bld_u8(&b, 7));
    CHECK_EQ(take(&b, &out), 1);
    CHECK_EQ(out[0], 7);
    tnt_bld_free(&b);

    /* An encoder that fails half-way leaves nothing to send. */
    tnt_bld_init(&b);
    CHECK(tnt_enc_hello_request(&b));
    uint8_t big[256] = {0};
    CHECK(!tnt_enc_cke_ecdh(&b, tnt_blob_of(big, sizeof(big))));
    CHECK(!tnt_bld_finish(&b, &out, &len));
    CHECK(out == NULL);
    tnt_bld_free(&b);
}

/* ---- byte-exact: illustrated-tls12 ---- */

static void check_file(tnt_builder *b, const char *name)
{
    uint8_t *want;
    size_t n = load(name, &want);
    uint8_t *got;
    size_t len = take(b, &got);
    CHECK_EQ(len, n);
    if (len == n)
        CHECK_MEM(got, want, n);
    else
        fprintf(stderr, "  %s: %zu bytes, want %zu\n", name, len, n);
}

/* A handshake message in one record, as the capture has it. */
static void check_record_file(tnt_builder *msg, uint16_t rec_version, const char *name)
{
    uint8_t *m;
    size_t mlen = take(msg, &m);
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_record(&b, TNT_CT_HANDSHAKE, rec_version, m, mlen));
    check_file(&b, name);
}

static void test_illustrated(void)
{
    static const uint16_t suites[] = {0xcca8, 0xcca9, 0xc02f, 0xc030, 0xc02b, 0xc02c,
                                      0xc013, 0xc009, 0xc014, 0xc00a, 0x009c, 0x009d,
                                      0x002f, 0x0035, 0xc012, 0x000a};
    static const uint8_t null_comp[] = {0};
    static const tnt_blob host[] = {TNT_BLOB_STR("example.ulfheim.net")};
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018, 0x0019};
    static const uint16_t sigs[] = {0x0401, 0x0403, 0x0501, 0x0503, 0x0601, 0x0603, 0x0201, 0x0203};
    tnt_ext_spec ext[] = {
        {.kind = TNT_EXTK_SERVER_NAME, .u.sni = {host, 1}},
        {.kind = TNT_EXTK_STATUS_REQUEST},
        {.kind = TNT_EXTK_SUPPORTED_GROUPS, .u.groups = {groups, 4}},
        {.kind = TNT_EXTK_EC_POINT_FORMATS, .u.formats = {null_comp, 1}},
        {.kind = TNT_EXTK_SIGNATURE_ALGORITHMS, .u.sig_algs = {sigs, 8}},
        {.kind = TNT_EXTK_RENEGOTIATION_INFO},
        {.kind = TNT_EXTK_UNKNOWN, .type = 18}, /* signed_certificate_timestamp, empty */
    };
    tnt_client_hello_spec ch = {
        .version = TNT_TLS12,
        .suites = {suites, 16},
        .compressions = {null_comp, 1},
        .has_extensions = true,
        .ext = ext,
        .n_ext = 7,
    };
    for (int i = 0; i < 32; i++)
        ch.random[i] = (uint8_t)i;
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_client_hello(&b, &ch));
    check_record_file(&b, TNT_TLS10, "illustrated-tls12/clienthello");

    tnt_ext_spec sext[] = {{.kind = TNT_EXTK_RENEGOTIATION_INFO}};
    tnt_server_hello_spec sh = {
        .version = TNT_TLS12,
        .suite = 0xc013,
        .compression = 0,
        .has_extensions = true,
        .ext = sext,
        .n_ext = 1,
    };
    for (int i = 0; i < 32; i++)
        sh.random[i] = (uint8_t)(0x70 + i);
    CHECK(tnt_enc_server_hello(&b, &sh));
    check_record_file(&b, TNT_TLS12, "illustrated-tls12/serverhello");

    /* Certificate: the DER is the capture's own (offset 15 = record header,
     * handshake header, two u24 lengths); the framing is ours. */
    uint8_t *rec;
    size_t rlen = load("illustrated-tls12/servercert", &rec);
    tnt_blob cert = tnt_blob_of(rec + 15, rlen - 15);
    CHECK(tnt_enc_certificate(&b, &cert, 1));
    check_record_file(&b, TNT_TLS12, "illustrated-tls12/servercert");

    /* ServerKeyExchange: x25519 point at 13 (32 bytes), rsa_pkcs1_sha256,
     * 256-byte signature at 49. */
    rlen = load("illustrated-tls12/serverkeyexchange", &rec);
    CHECK_EQ(rlen, 305);
    tnt_ske_ecdhe_spec ske = {
        .named_curve = 0x001d,
        .point = tnt_blob_of(rec + 13, 32),
        .sig = {0x0401, tnt_blob_of(rec + 49, 256)},
    };
    CHECK(tnt_enc_ske_ecdhe(&b, TNT_TLS12, &ske));
    check_record_file(&b, TNT_TLS12, "illustrated-tls12/serverkeyexchange");

    CHECK(tnt_enc_server_hello_done(&b));
    check_record_file(&b, TNT_TLS12, "illustrated-tls12/serverhellodone");

    rlen = load("illustrated-tls12/clientkeyexchange", &rec);
    CHECK(tnt_enc_cke_ecdh(&b, tnt_blob_of(rec + 10, 32)));
    check_record_file(&b, TNT_TLS12, "illustrated-tls12/clientkeyexchange");

    /* The decrypted Finished messages. */
    uint8_t *vd;
    unhex("cf919626f1360c536aaad73a", &vd);
    CHECK(tnt_enc_finished(&b, tnt_blob_of(vd, 12)));
    check_file(&b, "illustrated-tls12/clientfinishedplain");
    rlen = load("illustrated-tls12/serverfinishedplain", &rec);
    CHECK(tnt_enc_finished(&b, tnt_blob_of(rec + 4, 12)));
    uint8_t *got;
    CHECK_EQ(take(&b, &got), 16);
    CHECK_MEM(got, rec, 16);
    tnt_bld_free(&b);
}

/* ---- byte-exact: the clinic vectors (docs/protocol.md section 10) ---- */

static const char R1[] = /* 89 bytes */
    "e000005500010000004c0011474554202f7265636f7264732f343731310100366372656428224d65646963616c4c69"
    "63656e7365222c206973737565722e4f3d225374617465204d65646963616c20426f6172642229000000";
static const char R2[] = /* 88 bytes */
    "e000005400020000004b010e4d65646963616c4c6963656e736501003863726564282241636372656469746174696f"
    "6e222c206973737565722e4f3d2242657474657220427573696e657373204275726561752229000000";
static const char R3[] = /* 417 bytes */
    "e000019d0003000000000001940d41636372656469746174696f6e0001830001803082017c3082012302021267300a"
    "06"
    "082a8648ce3d040302304d310b3009060355040613025553311f301d060355040a0c1642657474657220427573696e"
    "65"
    "737320427572656175311d301b06035504030c144242422041636372656469746174696f6e204341301e170d323631"
    "31"
    "32373039343132365a170d3336313132343039343132365a3047310b30090603550406130255533117301506035504"
    "0a"
    "0c0e4578616d706c6520436c696e6963311f301d06035504030c167265636f7264732e636c696e69632e6578616d70"
    "6c"
    "653059301306072a8648ce3d020106082a8648ce3d03010703420004b638d4ac631d646866e3a9adca3798fea66db2"
    "64"
    "d189108ec821489a5157028c300a7b3c6c8e273bd0af740fb72676405fe3bae8000295f1aaa036781aa6ad12300a06"
    "08"
    "2a8648ce3d04030203470030440220335368fb176bea4d96db502e847a8327fb067fc69f47c1841e5bcc62bdeb3676"
    "02"
    "202f5027fe17c49e6bd10373d0c6319d78a353e617e1f68874c16c06d898e68ab8";
static const char R5[] = "e0000009000501000000000000";
static const char P3[] = /* 83 bytes */
    "e100004f004d0000040300473045022100dfbf06fa7cb95941d1eaaf9fa9657a4c826e7ae2c5c6d24be13930dd6c49"
    "544e02202a2213451cf42c8521530e17c6fb1a0b8ac03d6934b7a0ba8be1c3e764378813";

static void check_hex(tnt_builder *b, const char *hex)
{
    uint8_t *want;
    size_t n = unhex(hex, &want);
    uint8_t *got;
    size_t len = take(b, &got);
    CHECK_EQ(len, n);
    if (len == n)
        CHECK_MEM(got, want, n);
}

static void test_clinic(void)
{
    tnt_builder b;
    tnt_bld_init(&b);
    tnt_policy_spec p1 = {
        TNT_TARGET_RESOURCE, TNT_BLOB_STR("GET /records/4711"), TNT_LANG_DN_EXPRESSION,
        TNT_BLOB_STR("cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")")};
    tnt_negotiation_spec r1 = {1, TNT_STATUS_CONTINUE, &p1, 1, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &r1));
    check_hex(&b, R1);

    tnt_policy_spec p2 = {
        TNT_TARGET_CREDENTIAL, TNT_BLOB_STR("MedicalLicense"), TNT_LANG_DN_EXPRESSION,
        TNT_BLOB_STR("cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")")};
    tnt_negotiation_spec r2 = {2, TNT_STATUS_CONTINUE, &p2, 1, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &r2));
    check_hex(&b, R2);

    tnt_negotiation_spec r5 = {5, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &r5));
    check_hex(&b, R5);

    /* Round 3 and its proof, rebuilt around the DER certificate (offset 33
     * of R3, 384 bytes) and the ECDSA signature (offset 12 of P3, 71 bytes)
     * taken from the vectors: every length and field around them comes from
     * the encoder. */
    uint8_t *r3;
    size_t r3len = unhex(R3, &r3);
    CHECK_EQ(r3len, 417);
    tnt_blob chain[] = {tnt_blob_of(r3 + 33, 384)};
    tnt_credential_spec cr = {TNT_BLOB_STR("Accreditation"), {chain, 1}};
    tnt_negotiation_spec r3s = {3, TNT_STATUS_CONTINUE, NULL, 0, &cr, 1};
    CHECK(tnt_enc_tnt_negotiation(&b, &r3s));
    check_hex(&b, R3);

    uint8_t *p3;
    size_t p3len = unhex(P3, &p3);
    tnt_ownership_proof_spec pr = {0, 0x0403, tnt_blob_of(p3 + 12, 71)};
    CHECK(tnt_enc_tnt_proof(&b, TNT_TLS12, &pr, 1));
    uint8_t *got;
    size_t len = take(&b, &got);
    CHECK_EQ(len, p3len);
    CHECK_MEM(got, p3, p3len);

    /* The same proof over TLS 1.0: two bytes shorter, no algorithm. */
    CHECK(tnt_enc_tnt_proof(&b, TNT_TLS10, &pr, 1));
    len = take(&b, &got);
    CHECK_EQ(len, p3len - 2);
    CHECK_MEM(got, "\xe1\x00\x00\x4d\x00\x4b\x00\x00\x00\x47", 10);
    CHECK_MEM(got + 10, p3 + 12, p3len - 12);
    tnt_bld_free(&b);
}

/* ---- round trips ---- */

static void test_client_hello_roundtrip(void)
{
    static const uint16_t suites[] = {0xc02b, 0xc02f, 0x002f, 0x00ff};
    static const uint8_t comps[] = {1, 0};
    static const tnt_blob hosts[] = {TNT_BLOB_STR("a.example"), TNT_BLOB_STR("bb.example")};
    static const uint16_t groups[] = {0x0017, 0x001d};
    static const uint8_t formats[] = {0, 1, 2};
    static const uint16_t sigs[] = {0x0403, 0x0804, 0x0401};
    static const tnt_blob alpn[] = {TNT_BLOB_STR("h2"), TNT_BLOB_STR("http/1.1")};
    static const uint16_t versions[] = {TNT_TLS12, TNT_TLS11, TNT_TLS10};
    static const uint8_t strategies[] = {TNT_STRATEGY_PARSIMONIOUS, TNT_STRATEGY_EAGER};
    static const uint8_t languages[] = {TNT_LANG_DN_EXPRESSION, TNT_LANG_XML_POLICY};
    static const uint8_t rids[] = {0x00, 0x02, 0xAA, 0xBB};
    static const uint8_t ticket[] = {9, 8, 7, 6, 5};
    static const uint8_t raw[] = {0xDE, 0xAD};
    tnt_ext_spec ext[] = {
        {.kind = TNT_EXTK_SERVER_NAME, .u.sni = {hosts, 2}},
        {.kind = TNT_EXTK_STATUS_REQUEST,
         .u.status_request = {false, {rids, 4}, TNT_BLOB_STR("\x00\x01")}},
        {.kind = TNT_EXTK_SUPPORTED_GROUPS, .u.groups = {groups, 2}},
        {.kind = TNT_EXTK_EC_POINT_FORMATS, .u.formats = {formats, 3}},
        {.kind = TNT_EXTK_SIGNATURE_ALGORITHMS, .u.sig_algs = {sigs, 3}},
        {.kind = TNT_EXTK_ALPN, .u.alpn = {alpn, 2}},
        {.kind = TNT_EXTK_SESSION_TICKET, .u.session_ticket = {ticket, 5}},
        {.kind = TNT_EXTK_EXTENDED_MASTER_SECRET},
        {.kind = TNT_EXTK_ENCRYPT_THEN_MAC},
        {.kind = TNT_EXTK_RENEGOTIATION_INFO},
        {.kind = TNT_EXTK_SUPPORTED_VERSIONS,
         .u.supported_versions = {.is_list = true, .list = {versions, 3}}},
        {.kind = TNT_EXTK_RECORD_SIZE_LIMIT, .u.record_size_limit = 0x4001},
        {.kind = TNT_EXTK_TNT, .u.tnt = {1, TNT_MODE_NEGOTIATE, {strategies, 2}, {languages, 2}}},
        {.kind = TNT_EXTK_UNKNOWN, .type = 0x7A7A, .u.raw = {raw, 2}},
        {.kind = TNT_EXTK_PADDING, .u.padding = 37},
    };
    size_t n_ext = sizeof(ext) / sizeof(ext[0]);
    static const uint8_t sid[32] = {1, 2, 3, [31] = 0xFF};
    tnt_client_hello_spec ch = {
        .version = TNT_TLS12,
        .session_id = {sid, 32},
        .suites = {suites, 4},
        .compressions = {comps, 2},
        .has_extensions = true,
        .ext = ext,
        .n_ext = n_ext,
    };
    for (int i = 0; i < 32; i++)
        ch.random[i] = (uint8_t)(0xA0 ^ i);

    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_client_hello(&b, &ch));
    uint8_t *m;
    size_t len = take(&b, &m);
    tnt_hs_msg msg;
    CHECK(decode(m, len, 0, 0, false, &msg));
    CHECK_EQ(msg.type, TNT_HS_CLIENT_HELLO);
    CHECK_EQ(msg.length, len - 4);
    const tnt_client_hello *d = &msg.u.client_hello;
    CHECK_EQ(d->version.v, TNT_TLS12);
    CHECK(blob_eq(d->random, tnt_blob_of(ch.random, 32)));
    CHECK(blob_eq(d->session_id, ch.session_id));
    CHECK_EQ(d->n_suites, 4);
    for (uint32_t i = 0; i < 4 && i < d->n_suites; i++)
        CHECK_EQ(d->suites[i].v, suites[i]);
    CHECK_EQ(d->n_compressions, 2);
    CHECK(d->n_compressions == 2 && d->compressions[0].v == 1 && d->compressions[1].v == 0);
    CHECK(d->has_extensions);
    check_exts(&d->ext, ext, n_ext);

    /* The encoded extension bytes of the TNT one are those of
     * docs/protocol.md section 3, modulo the strategy order. */
    const tnt_extension *t = tnt_extensions_find(&d->ext, TNT_DEFAULT_EXT_TYPE);
    CHECK(t != NULL);
    if (t)
        CHECK_MEM(m + t->type.at.off, "\xff\x54\x00\x08\x01\x01\x02\x02\x01\x02\x01\x02", 12);

    /* No extensions at all, and an empty block: different on the wire. */
    ch.has_extensions = false;
    ch.session_id = (tnt_blob){NULL, 0};
    CHECK(tnt_enc_client_hello(&b, &ch));
    len = take(&b, &m);
    CHECK_EQ(len, 4 + 2 + 32 + 1 + 2 + 8 + 1 + 2);
    CHECK(decode(m, len, 0, 0, false, &msg));
    CHECK(!msg.u.client_hello.has_extensions);
    CHECK_EQ(msg.u.client_hello.session_id.len, 0);
    ch.has_extensions = true;
    ch.n_ext = 0;
    CHECK(tnt_enc_client_hello(&b, &ch));
    size_t len2 = take(&b, &m);
    CHECK_EQ(len2, len + 2);
    CHECK(decode(m, len2, 0, 0, false, &msg));
    CHECK(msg.u.client_hello.has_extensions);
    CHECK_EQ(msg.u.client_hello.ext.n, 0);

    /* An extension over its prefix maximum fails the whole hello. */
    uint8_t long_name[256];
    memset(long_name, 'a', sizeof(long_name));
    tnt_blob proto = {long_name, 256};
    tnt_ext_spec bad[] = {{.kind = TNT_EXTK_ALPN, .u.alpn = {&proto, 1}}};
    ch.ext = bad;
    ch.n_ext = 1;
    CHECK(!tnt_enc_client_hello(&b, &ch));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    tnt_bld_reset(&b);
    tnt_ext_spec unknown_kind = {.kind = (tnt_ext_kind)99};
    CHECK(!tnt_enc_extension(&b, &unknown_kind));
    CHECK_STR(tnt_bld_error(&b), "encode: unknown extension kind");
    tnt_bld_free(&b);
}

static void test_server_hello_roundtrip(void)
{
    static const uint8_t strategy[] = {TNT_STRATEGY_EAGER};
    static const uint8_t language[] = {TNT_LANG_DN_EXPRESSION};
    static const tnt_blob alpn[] = {TNT_BLOB_STR("http/1.1")};
    uint8_t reneg[24];
    for (int i = 0; i < 24; i++)
        reneg[i] = (uint8_t)(i * 7);
    tnt_ext_spec ext[] = {
        {.kind = TNT_EXTK_SERVER_NAME},
        {.kind = TNT_EXTK_STATUS_REQUEST, .u.status_request = {.empty = true}},
        {.kind = TNT_EXTK_RENEGOTIATION_INFO, .u.renegotiation_info = {reneg, 24}},
        {.kind = TNT_EXTK_ALPN, .u.alpn = {alpn, 1}},
        {.kind = TNT_EXTK_SESSION_TICKET},
        {.kind = TNT_EXTK_SUPPORTED_VERSIONS, .u.supported_versions = {.selected = TNT_TLS13}},
        {.kind = TNT_EXTK_EXTENDED_MASTER_SECRET},
        {.kind = TNT_EXTK_TNT, .u.tnt = {1, TNT_MODE_RESUME, {strategy, 1}, {language, 1}}},
    };
    size_t n_ext = sizeof(ext) / sizeof(ext[0]);
    static const uint8_t sid[] = {0x11, 0x22, 0x33};
    tnt_server_hello_spec sh = {
        .version = TNT_TLS11,
        .session_id = {sid, 3},
        .suite = 0x002f,
        .compression = 0,
        .has_extensions = true,
        .ext = ext,
        .n_ext = n_ext,
    };
    memset(sh.random, 0x5A, 32);
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_server_hello(&b, &sh));
    uint8_t *m;
    size_t len = take(&b, &m);
    tnt_hs_msg msg;
    CHECK(decode(m, len, 0, 0, true, &msg));
    const tnt_server_hello *d = &msg.u.server_hello;
    CHECK_EQ(msg.type, TNT_HS_SERVER_HELLO);
    CHECK_EQ(d->version.v, TNT_TLS11);
    CHECK(blob_eq(d->random, tnt_blob_of(sh.random, 32)));
    CHECK(blob_eq(d->session_id, sh.session_id));
    CHECK_EQ(d->suite.v, 0x002f);
    CHECK_EQ(d->compression.v, 0);
    CHECK(d->has_extensions);
    CHECK(!d->is_hello_retry_request);
    check_exts(&d->ext, ext, n_ext);

    sh.has_extensions = false;
    CHECK(tnt_enc_server_hello(&b, &sh));
    len = take(&b, &m);
    CHECK_EQ(len, 4 + 2 + 32 + 1 + 3 + 2 + 1);
    CHECK(decode(m, len, 0, 0, true, &msg));
    CHECK(!msg.u.server_hello.has_extensions);
    tnt_bld_free(&b);
}

static void test_empty_messages(void)
{
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_hello_request(&b));
    check_hex(&b, "00000000");
    CHECK(tnt_enc_server_hello_done(&b));
    check_hex(&b, "0e000000");
    /* Any type and body, for messages no encoder here writes. */
    CHECK(tnt_enc_handshake(&b, 0x42, tnt_blob_of("\x01\x02\x03", 3)));
    check_hex(&b, "42000003010203");
    CHECK(tnt_enc_hs_open(&b, 22));
    tnt_bld_u8(&b, 1);
    tnt_bld_vec24(&b, (const uint8_t *)"ocsp", 4);
    CHECK(tnt_bld_close(&b));
    uint8_t *m;
    size_t len = take(&b, &m);
    tnt_hs_msg msg;
    CHECK(decode(m, len, TNT_TLS12, 0, true, &msg));
    CHECK_EQ(msg.type, TNT_HS_CERTIFICATE_STATUS);
    CHECK_EQ(msg.u.cert_status.status_type.v, 1);
    CHECK(blob_eq(msg.u.cert_status.response, tnt_blob_str("ocsp")));
    tnt_bld_free(&b);
}

static void test_certificate_roundtrip(void)
{
    uint8_t big[70000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 31);
    tnt_blob certs[] = {tnt_blob_str("\x30\x03\x02\x01\x01"), tnt_blob_of(big, sizeof(big)),
                        tnt_blob_of(big, 1)};
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_certificate(&b, certs, 3));
    uint8_t *m;
    size_t len = take(&b, &m);
    CHECK_EQ(len, 4 + 3 + 3 * 3 + 5 + sizeof(big) + 1);
    tnt_hs_msg msg;
    CHECK(decode(m, len, TNT_TLS12, 0, true, &msg));
    CHECK_EQ(msg.type, TNT_HS_CERTIFICATE);
    CHECK_EQ(msg.u.certificate.n_certs, 3);
    for (uint32_t i = 0; i < 3 && i < msg.u.certificate.n_certs; i++)
        CHECK(blob_eq(msg.u.certificate.certs[i].der, certs[i]));
    /* An empty list (a client without a certificate). */
    CHECK(tnt_enc_certificate(&b, NULL, 0));
    check_hex(&b, "0b000003000000");

    /* One certificate of 2^24 bytes cannot be framed. */
    uint8_t *huge = calloc(1, 1u << 24);
    CHECK(huge != NULL);
    tnt_blob h = {huge, 1u << 24};
    CHECK(!tnt_enc_certificate(&b, &h, 1));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u24 length");
    free(huge);
    tnt_bld_free(&b);
}

static void test_ske_roundtrip(void)
{
    uint8_t point[65], sig[72];
    for (int i = 0; i < 65; i++)
        point[i] = (uint8_t)(4 + i);
    for (int i = 0; i < 72; i++)
        sig[i] = (uint8_t)(0x30 + i);
    tnt_ske_ecdhe_spec s = {0x0017, {point, 65}, {0x0403, {sig, 72}}};
    tnt_builder b;
    tnt_bld_init(&b);
    for (uint16_t v = TNT_SSL3; v <= TNT_TLS12; v++) {
        CHECK(tnt_enc_ske_ecdhe(&b, v, &s));
        uint8_t *m;
        size_t len = take(&b, &m);
        CHECK_EQ(len, 4 + 1 + 2 + 1 + 65 + (v == TNT_TLS12 ? 2 : 0) + 2 + 72);
        tnt_hs_msg msg;
        CHECK(decode(m, len, v, 0xc02b, true, &msg));
        const tnt_server_key_exchange *d = &msg.u.ske;
        CHECK_EQ(d->kind, TNT_SKE_ECDHE);
        CHECK_EQ(d->curve_type.v, 3);
        CHECK_EQ(d->named_curve.v, 0x0017);
        CHECK(blob_eq(d->ec_point, s.point));
        CHECK(d->signed_params);
        CHECK_EQ(d->sig.has_algorithm, v == TNT_TLS12);
        if (v == TNT_TLS12) {
            CHECK_EQ(d->sig.scheme.v, 0x0403);
            CHECK_EQ(d->sig.hash.v, 4);
            CHECK_EQ(d->sig.sig.v, 3);
        }
        CHECK(blob_eq(d->sig.signature, s.sig.signature));
    }
    /* The params alone are what the signature covers after the randoms. */
    CHECK(tnt_enc_ecdhe_params(&b, 0x001d, tnt_blob_of("\x01\x02", 2)));
    check_hex(&b, "03001d020102");
    /* No layout for TLS 1.3 or an unknown version. */
    CHECK(!tnt_enc_ske_ecdhe(&b, TNT_TLS13, &s));
    CHECK_STR(tnt_bld_error(&b), "encode: layout unknown for this version");
    tnt_bld_reset(&b);
    CHECK(!tnt_enc_digitally_signed(&b, 0, &s.sig));
    CHECK(!tnt_enc_digitally_signed(&b, 0x02FF, &s.sig));
    tnt_bld_free(&b);
}

static void test_cert_request_roundtrip(void)
{
    static const uint8_t types[] = {1, 64};
    static const uint16_t sigs[] = {0x0401, 0x0403, 0x0201};
    tnt_blob cas[] = {tnt_blob_str("\x30\x0b\x31\x09"), tnt_blob_str("\x30\x01\x00")};
    tnt_cert_request_spec s = {{types, 2}, {sigs, 3}, {cas, 2}};
    tnt_builder b;
    tnt_bld_init(&b);
    for (uint16_t v = TNT_SSL3; v <= TNT_TLS12; v++) {
        CHECK(tnt_enc_certificate_request(&b, v, &s));
        uint8_t *m;
        size_t len = take(&b, &m);
        tnt_hs_msg msg;
        CHECK(decode(m, len, v, 0, true, &msg));
        const tnt_certificate_request *d = &msg.u.cert_request;
        CHECK_EQ(d->n_cert_types, 2);
        CHECK(d->n_cert_types == 2 && d->cert_types[0].v == 1 && d->cert_types[1].v == 64);
        CHECK_EQ(d->has_sig_algs, v == TNT_TLS12);
        CHECK_EQ(d->n_sig_algs, v == TNT_TLS12 ? 3 : 0);
        for (uint32_t i = 0; i < d->n_sig_algs && i < 3; i++)
            CHECK_EQ(d->sig_algs[i].v, sigs[i]);
        CHECK_EQ(d->n_cas, 2);
        for (uint32_t i = 0; i < d->n_cas && i < 2; i++)
            CHECK(blob_eq(d->cas[i], cas[i]));
    }
    tnt_cert_request_spec none = {{types, 1}, {NULL, 0}, {NULL, 0}};
    CHECK(tnt_enc_certificate_request(&b, TNT_TLS10, &none));
    check_hex(&b, "0d00000401010000");
    CHECK(!tnt_enc_certificate_request(&b, TNT_TLS13, &none));
    tnt_bld_free(&b);
}

static void test_cke_roundtrip(void)
{
    uint8_t epms[256];
    for (int i = 0; i < 256; i++)
        epms[i] = (uint8_t)(255 - i);
    tnt_builder b;
    tnt_bld_init(&b);
    for (uint16_t v = TNT_SSL3; v <= TNT_TLS12; v++) {
        CHECK(tnt_enc_cke_rsa(&b, v, tnt_blob_of(epms, 256)));
        uint8_t *m;
        size_t len = take(&b, &m);
        CHECK_EQ(len, 4 + (v == TNT_SSL3 ? 0 : 2) + 256);
        tnt_hs_msg msg;
        CHECK(decode(m, len, v, 0x002f, false, &msg));
        CHECK_EQ(msg.u.cke.kind, TNT_CKE_RSA);
        CHECK_EQ(msg.u.cke.rsa_has_length, v != TNT_SSL3);
        CHECK(blob_eq(msg.u.cke.encrypted_pms, tnt_blob_of(epms, 256)));
    }
    CHECK(!tnt_enc_cke_rsa(&b, TNT_TLS13, tnt_blob_of(epms, 256)));
    tnt_bld_reset(&b);

    CHECK(tnt_enc_cke_ecdh(&b, tnt_blob_of(epms, 65)));
    uint8_t *m;
    size_t len = take(&b, &m);
    tnt_hs_msg msg;
    CHECK(decode(m, len, TNT_TLS12, 0xc02f, false, &msg));
    CHECK_EQ(msg.u.cke.kind, TNT_CKE_ECDH);
    CHECK(blob_eq(msg.u.cke.ecdh_point, tnt_blob_of(epms, 65)));
    /* 255 is the largest point a u8 prefix carries. */
    CHECK(tnt_enc_cke_ecdh(&b, tnt_blob_of(epms, 255)));
    CHECK_EQ(take(&b, &m), 4 + 1 + 255);
    tnt_bld_free(&b);
}

static void test_cert_verify_finished_ticket(void)
{
    uint8_t sig[128];
    memset(sig, 0xC5, sizeof(sig));
    tnt_sig_spec s = {0x0804, {sig, 128}};
    tnt_builder b;
    tnt_bld_init(&b);
    for (uint16_t v = TNT_SSL3; v <= TNT_TLS12; v++) {
        CHECK(tnt_enc_certificate_verify(&b, v, &s));
        uint8_t *m;
        size_t len = take(&b, &m);
        tnt_hs_msg msg;
        CHECK(decode(m, len, v, 0, false, &msg));
        CHECK_EQ(msg.type, TNT_HS_CERTIFICATE_VERIFY);
        CHECK_EQ(msg.u.cert_verify.sig.has_algorithm, v == TNT_TLS12);
        if (v == TNT_TLS12)
            CHECK_EQ(msg.u.cert_verify.sig.scheme.v, 0x0804);
        CHECK(blob_eq(msg.u.cert_verify.sig.signature, s.signature));
    }

    uint8_t vd[36];
    for (int i = 0; i < 36; i++)
        vd[i] = (uint8_t)(i + 100);
    CHECK(tnt_enc_finished(&b, tnt_blob_of(vd, 12)));
    uint8_t *m;
    size_t len = take(&b, &m);
    tnt_hs_msg msg;
    CHECK(decode(m, len, TNT_TLS12, 0, false, &msg));
    CHECK(blob_eq(msg.u.finished.verify_data, tnt_blob_of(vd, 12)));
    CHECK(tnt_enc_finished(&b, tnt_blob_of(vd, 36)));
    len = take(&b, &m);
    CHECK(decode(m, len, TNT_SSL3, 0, false, &msg));
    CHECK(blob_eq(msg.u.finished.verify_data, tnt_blob_of(vd, 36)));

    CHECK(tnt_enc_new_session_ticket(&b, 0xFEDCBA98, tnt_blob_of(vd, 20)));
    len = take(&b, &m);
    CHECK(decode(m, len, TNT_TLS12, 0, true, &msg));
    CHECK_EQ(msg.u.ticket.lifetime_hint.v, 0xFEDCBA98);
    CHECK(blob_eq(msg.u.ticket.ticket, tnt_blob_of(vd, 20)));
    CHECK(tnt_enc_new_session_ticket(&b, 7200, tnt_blob_of(NULL, 0)));
    check_hex(&b, "04000006 00001c20 0000");
    tnt_bld_free(&b);
}

static void test_tnt_roundtrip(void)
{
    uint8_t der1[300], der2[40], der3[1];
    memset(der1, 0x31, sizeof(der1));
    memset(der2, 0x32, sizeof(der2));
    der3[0] = 0x33;
    tnt_blob chain_a[] = {tnt_blob_of(der1, 300), tnt_blob_of(der2, 40)};
    tnt_blob chain_b[] = {tnt_blob_of(der3, 1)};
    tnt_credential_spec creds[] = {
        {TNT_BLOB_STR("MedicalLicense"), {chain_a, 2}},
        {TNT_BLOB_STR("X"), {chain_b, 1}},
    };
    tnt_policy_spec pols[] = {
        {TNT_TARGET_RESOURCE, TNT_BLOB_STR("GET /a"), TNT_LANG_DN_EXPRESSION, TNT_BLOB_STR("true")},
        {TNT_TARGET_CREDENTIAL, TNT_BLOB_STR("X"), TNT_LANG_XML_POLICY, TNT_BLOB_STR("")},
        {TNT_TARGET_CREDENTIAL, TNT_BLOB_STR("MedicalLicense"), TNT_LANG_DN_EXPRESSION,
         TNT_BLOB_STR("cred(\"a\") or cred(\"b\")")},
    };
    tnt_negotiation_spec n = {64, TNT_STATUS_FAILURE, pols, 3, creds, 2};
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_tnt_negotiation(&b, &n));
    uint8_t *m;
    size_t len = take(&b, &m);
    CHECK_EQ(m[0], TNT_DEFAULT_HS_NEGOTIATION);
    tnt_hs_msg msg;
    CHECK(decode(m, len, TNT_TLS12, 0, true, &msg));
    const tnt_negotiation *d = &msg.u.tnt_negotiation;
    CHECK_EQ(d->round.v, 64);
    CHECK_EQ(d->status.v, TNT_STATUS_FAILURE);
    CHECK_EQ(d->n_policies, 3);
    for (uint32_t i = 0; i < 3 && i < d->n_policies; i++) {
        CHECK_EQ(d->policies[i].target_kind.v, pols[i].target_kind);
        CHECK(blob_eq(d->policies[i].target_name, pols[i].target_name));
        CHECK_EQ(d->policies[i].language.v, pols[i].language);
        CHECK(blob_eq(d->policies[i].expression, pols[i].expression));
    }
    CHECK_EQ(d->n_credentials, 2);
    for (uint32_t i = 0; i < 2 && i < d->n_credentials; i++) {
        CHECK(blob_eq(d->credentials[i].type, creds[i].type));
        CHECK_EQ(d->credentials[i].n_certs, creds[i].chain.n);
        for (uint32_t j = 0; j < d->credentials[i].n_certs && j < creds[i].chain.n; j++)
            CHECK(blob_eq(d->credentials[i].certs[j], creds[i].chain.v[j]));
    }

    /* Direct body decode too (the decoder the peer's tests will use). */
    tnt_cursor body;
    tnt_cursor_init_at(&body, m, m + 4, len - 4);
    tnt_negotiation direct;
    tnt_error err = {0};
    CHECK(tnt_negotiation_decode(&body, &arena, &direct, &err));
    CHECK_EQ(direct.n_credentials, 2);

    /* Proofs, both layouts, several entries. */
    uint8_t sig1[71], sig2[256];
    memset(sig1, 0x71, sizeof(sig1));
    memset(sig2, 0x72, sizeof(sig2));
    tnt_ownership_proof_spec pr[] = {
        {1, 0x0403, {sig1, 71}},
        {0, 0x0804, {sig2, 256}},
        {7, 0x0201, {NULL, 0}},
    };
    for (uint16_t v = TNT_SSL3; v <= TNT_TLS12; v++) {
        CHECK(tnt_enc_tnt_proof(&b, v, pr, 3));
        len = take(&b, &m);
        CHECK_EQ(m[0], TNT_DEFAULT_HS_PROOF);
        CHECK_EQ(len, 4 + 2 + 3 * (2 + (v == TNT_TLS12 ? 2 : 0) + 2) + 71 + 256);
        CHECK(decode(m, len, v, 0, true, &msg));
        const tnt_proof *p = &msg.u.tnt_proof;
        CHECK_EQ(p->n_proofs, 3);
        for (uint32_t i = 0; i < 3 && i < p->n_proofs; i++) {
            CHECK_EQ(p->proofs[i].credential_index.v, pr[i].credential_index);
            CHECK_EQ(p->proofs[i].has_algorithm, v == TNT_TLS12);
            if (v == TNT_TLS12)
                CHECK_EQ(p->proofs[i].algorithm.v, pr[i].algorithm);
            CHECK(blob_eq(p->proofs[i].signature, pr[i].signature));
        }
    }
    CHECK(!tnt_enc_tnt_proof(&b, TNT_TLS13, pr, 1));
    CHECK_STR(tnt_bld_error(&b), "encode: TNTProof layout unknown for this version");
    tnt_bld_reset(&b);

    /* Limits: a 256-byte target name, a 65536-byte expression. */
    uint8_t big[65536];
    memset(big, 'x', sizeof(big));
    tnt_policy_spec badp = {0, {big, 256}, 1, {big, 1}};
    tnt_negotiation_spec bad = {1, 0, &badp, 1, NULL, 0};
    CHECK(!tnt_enc_tnt_negotiation(&b, &bad));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u8 length");
    tnt_bld_reset(&b);
    badp = (tnt_policy_spec){0, {big, 255}, 1, {big, 65535}};
    CHECK(tnt_enc_tnt_negotiation(&b, &bad));
    len = take(&b, &m);
    CHECK(decode(m, len, 0, 0, true, &msg));
    CHECK_EQ(msg.u.tnt_negotiation.policies[0].expression.len, 65535);
    badp.expression.len = 65536;
    CHECK(!tnt_enc_tnt_negotiation(&b, &bad));
    CHECK_STR(tnt_bld_error(&b), "builder: vector too long for a u16 length");
    tnt_bld_free(&b);
}

/* Moved codepoints reach the encoders as they reach the decoders. */
static void test_codepoints(void)
{
    tnt_codepoints moved;
    CHECK(tnt_codepoints_make(&moved, 0xFE00, 230, 231));
    static const uint8_t one[] = {1};
    tnt_ext_spec ext = {.kind = TNT_EXTK_TNT, .u.tnt = {1, TNT_MODE_OFFER, {one, 1}, {one, 1}}};
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &moved;
    CHECK(tnt_enc_extension(&b, &ext));
    check_hex(&b, "fe00 0006 01 00 0101 0101");
    tnt_negotiation_spec n = {1, 0, NULL, 0, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &n));
    check_hex(&b, "e6000009 0001 00 000000 000000");
    tnt_ownership_proof_spec p = {0, 0x0403, {NULL, 0}};
    CHECK(tnt_enc_tnt_proof(&b, TNT_TLS12, &p, 1));
    uint8_t *m;
    size_t len = take(&b, &m);
    CHECK_EQ(m[0], 231);
    tnt_hs_msg msg;
    decode_cp = &moved;
    CHECK(decode(m, len, TNT_TLS12, 0, true, &msg));
    CHECK_EQ(msg.u.tnt_proof.n_proofs, 1);
    decode_cp = NULL;
    tnt_bld_free(&b);
}

/* ---- records ---- */

typedef struct flight {
    tnt_hs_reasm reasm;
    int records, messages, errors;
    size_t max_body;
    uint8_t bodies[8192]; /* record bodies, concatenated */
    size_t bodies_len;
    uint8_t msgs[8192]; /* reassembled messages, concatenated */
    size_t msgs_len;
    uint16_t version;
} flight;

static void on_message(void *u, const tnt_hs_piece *p)
{
    flight *f = u;
    f->messages++;
    if (f->msgs_len + p->raw_len <= sizeof(f->msgs)) {
        memcpy(f->msgs + f->msgs_len, p->raw, p->raw_len);
        f->msgs_len += p->raw_len;
    }
}

static void on_reasm_error(void *u, const char *what, uint32_t claimed)
{
    (void)what;
    (void)claimed;
    ((flight *)u)->errors++;
}

static const tnt_hs_reasm_callbacks reasm_cb = {on_message, on_reasm_error};

static void on_record(void *u, const tnt_record *r)
{
    flight *f = u;
    f->records++;
    if (r->type != TNT_CT_HANDSHAKE || r->version != f->version || r->sslv2)
        f->errors++;
    if (r->length > f->max_body)
        f->max_body = r->length;
    if (f->bodies_len + r->length <= sizeof(f->bodies)) {
        memcpy(f->bodies + f->bodies_len, r->body, r->length);
        f->bodies_len += r->length;
    }
    tnt_hs_reasm_feed(&f->reasm, r->body, r->length, r->stream_off, &reasm_cb, f);
}

static void on_skipped(void *u, uint64_t off, uint64_t n, const char *why)
{
    (void)off;
    (void)n;
    (void)why;
    ((flight *)u)->errors++;
}

static void on_rec_error(void *u, uint64_t off, const char *what)
{
    (void)off;
    (void)what;
    ((flight *)u)->errors++;
}

static const tnt_rec_callbacks rec_cb = {on_record, on_skipped, on_rec_error, NULL};

static void test_records(void)
{
    tnt_builder b;
    tnt_bld_init(&b);
    CHECK(tnt_enc_record(&b, TNT_CT_ALERT, TNT_TLS12, (const uint8_t *)"\x02\x28", 2));
    CHECK(tnt_enc_record(&b, TNT_CT_CHANGE_CIPHER_SPEC, TNT_TLS10, (const uint8_t *)"\x01", 1));
    check_hex(&b, "1503030002 0228 1403010001 01");
    uint8_t *big = calloc(1, TNT_MAX_RECORD_BODY + 1);
    CHECK(tnt_enc_record(&b, TNT_CT_APPLICATION_DATA, TNT_TLS12, big, TNT_MAX_RECORD_BODY));
    uint8_t *m;
    CHECK_EQ(take(&b, &m), TNT_RECORD_HEADER + TNT_MAX_RECORD_BODY);
    CHECK(m[3] == 0x48 && m[4] == 0x00);
    CHECK(!tnt_enc_record(&b, TNT_CT_APPLICATION_DATA, TNT_TLS12, big, TNT_MAX_RECORD_BODY + 1));
    CHECK_STR(tnt_bld_error(&b), "encode: record body longer than TLS allows");
    tnt_bld_reset(&b);
    CHECK(!tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, big, 10, 0));
    CHECK_STR(tnt_bld_error(&b), "encode: record fragment size out of range");
    tnt_bld_reset(&b);
    CHECK(!tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, big, 10, TNT_MAX_RECORD_BODY + 1));
    tnt_bld_reset(&b);
    CHECK(tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, big, 0, 100));
    CHECK_EQ(tnt_bld_len(&b), 0);
    /* 16384 bytes at most 16384 per record: one record; 16385: two. */
    CHECK(tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, big, 16384, 16384));
    CHECK_EQ(tnt_bld_len(&b), 5 + 16384);
    tnt_bld_reset(&b);
    CHECK(tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, big, 16385, 16384));
    CHECK_EQ(tnt_bld_len(&b), 5 + 16384 + 5 + 1);
    tnt_bld_reset(&b);
    free(big);

    /* A server flight (ServerHello, TNTNegotiation round 1, HelloRequest,
     * ServerHelloDone), cut into records of every size from 1 byte to more
     * than the flight: the record decoder and the handshake reassembler
     * must give back exactly the messages, whatever the cut. */
    tnt_server_hello_spec sh = {.version = TNT_TLS12, .suite = 0xc02f};
    memset(sh.random, 0x42, 32);
    CHECK(tnt_enc_server_hello(&b, &sh));
    tnt_policy_spec p1 = {TNT_TARGET_RESOURCE, TNT_BLOB_STR("GET /records/4711"),
                          TNT_LANG_DN_EXPRESSION,
                          TNT_BLOB_STR("cred(\"MedicalLicense\", issuer.O=\"x\")")};
    tnt_negotiation_spec r1 = {1, 0, &p1, 1, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &r1));
    CHECK(tnt_enc_hello_request(&b));
    CHECK(tnt_enc_server_hello_done(&b));
    uint8_t *fl;
    size_t fl_len = take(&b, &fl);
    for (size_t n = 1; n <= fl_len + 1; n++) {
        CHECK(tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, fl, fl_len, n));
        uint8_t *recs;
        size_t rlen = take(&b, &recs);
        size_t want_records = (fl_len + n - 1) / n;
        CHECK_EQ(rlen, fl_len + 5 * want_records);
        flight *f = calloc(1, sizeof(*f));
        f->version = TNT_TLS12;
        tnt_hs_reasm_init(&f->reasm, TNT_HS_MAX_DEFAULT);
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        /* Fed in 7-byte pieces, so that records straddle the pieces too. */
        for (size_t off = 0; off < rlen; off += 7)
            tnt_rec_feed(&d, recs + off, rlen - off < 7 ? rlen - off : 7, &rec_cb, f);
        tnt_rec_finish(&d, &rec_cb, f);
        CHECK_EQ(f->errors, 0);
        CHECK_EQ(f->records, want_records);
        CHECK(f->max_body <= n);
        CHECK_EQ(f->bodies_len, fl_len);
        CHECK_MEM(f->bodies, fl, fl_len);
        CHECK_EQ(f->messages, 4);
        CHECK_EQ(f->msgs_len, fl_len);
        CHECK_MEM(f->msgs, fl, fl_len);
        CHECK(!tnt_hs_reasm_pending(&f->reasm));
        tnt_rec_free(&d);
        tnt_hs_reasm_free(&f->reasm);
        free(f);
    }
    tnt_bld_free(&b);
}

int main(void)
{
    tnt_arena_init(&arena);
    test_builder_basics();
    test_builder_limits();
    test_builder_sticky();
    test_illustrated();
    test_clinic();
    test_client_hello_roundtrip();
    test_server_hello_roundtrip();
    test_empty_messages();
    test_certificate_roundtrip();
    test_ske_roundtrip();
    test_cert_request_roundtrip();
    test_cke_roundtrip();
    test_cert_verify_finished_ticket();
    test_tnt_roundtrip();
    test_codepoints();
    test_records();
    for (size_t i = 0; i < n_keep; i++)
        free(keep[i]);
    tnt_arena_free(&arena);
    return check_done("test_encode");
}
