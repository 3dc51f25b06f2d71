/* Hello extensions: each decoder on well-formed bodies (RFC examples and
 * bytes taken from corpus hellos), then on malformed ones, where only the
 * extension itself must be marked and the block must stay usable.
 *
 * Every block is placed 4 bytes into its buffer (as after a handshake header)
 * so that the spans are checked to be relative to the origin, not to the
 * block. Every input sits in a heap buffer of its exact size so that ASan
 * catches any read past the end. */
#include "check.h"
#include "codepoints.h"
#include "extensions.h"
#include "tnt_messages.h"

#define PREFIX 4

typedef struct decoded {
    uint8_t *buf;
    size_t len;
    tnt_arena arena;
    tnt_extensions ext;
    tnt_error err;
    bool ok;
    size_t left; /* bytes of the cursor not consumed */
} decoded;

/* The codepoints decode() uses (NULL: the defaults). */
static const tnt_codepoints *decode_cp;

/* Decodes hex (an extensions block, length prefix included). */
static void decode(decoded *d, const char *hex, bool from_server)
{
    uint8_t tmp[70000];
    size_t n = check_unhex(hex, tmp + PREFIX, sizeof(tmp) - PREFIX);
    memset(tmp, 0xEE, PREFIX);
    d->len = n + PREFIX;
    d->buf = malloc(d->len);
    memcpy(d->buf, tmp, d->len);
    tnt_arena_init(&d->arena);
    tnt_cursor c;
    tnt_cursor_init_at(&c, d->buf, d->buf + PREFIX, n);
    d->err = (tnt_error){0};
    d->ok = tnt_extensions_decode(&c, from_server, decode_cp, &d->arena, &d->ext, &d->err);
    d->left = tnt_cursor_len(&c);
}

static void release(decoded *d)
{
    tnt_arena_free(&d->arena);
    free(d->buf);
}

/* Wraps one extension (type, body hex) into a block and decodes it. */
static const tnt_extension *one(decoded *d, uint16_t type, const char *body_hex, bool from_server)
{
    uint8_t body[66000];
    size_t n = check_unhex(body_hex, body, sizeof(body));
    static char hex[140000];
    int w = sprintf(hex, "%04zx%04x%04zx", n + 4, type, n);
    for (size_t i = 0; i < n; i++)
        w += sprintf(hex + w, "%02x", body[i]);
    decode(d, hex, from_server);
    CHECK(d->ok);
    CHECK_EQ(d->ext.n, 1);
    if (!d->ok || d->ext.n != 1)
        return NULL;
    return &d->ext.v[0];
}

/* A well-formed extension from the extensions of the illustrated-tls12
 * ClientHello (third_party/illustrated-tls12/captures/caps/clienthello,
 * https://github.com/syncsynchalt/illustrated-tls12, MIT): the whole
 * 88-byte extensions block, length prefix included. */
static const char ILLUSTRATED_CH_EXT[] = "0058"
                                         "000000180016000013"
                                         "6578616d706c652e756c666865696d2e6e6574"
                                         "000500050100000000"
                                         "000a000a0008001d001700180019"
                                         "000b00020100"
                                         "000d0012001004010403050105030601060302010203"
                                         "ff01000100"
                                         "00120000";

static void test_illustrated_block(void)
{
    decoded d;
    decode(&d, ILLUSTRATED_CH_EXT, false);
    CHECK(d.ok);
    CHECK_EQ(d.left, 0);
    CHECK_EQ(d.ext.length.v, 88);
    CHECK_EQ(d.ext.length.at.off, 4);
    CHECK_EQ(d.ext.length.at.len, 2);
    CHECK_EQ(d.ext.list_at.off, 6);
    CHECK_EQ(d.ext.list_at.len, 88);
    CHECK_EQ(d.ext.n, 7);

    const tnt_extension *e = &d.ext.v[0];
    CHECK_EQ(e->type.v, TNT_EXT_SERVER_NAME);
    CHECK_EQ(e->type.at.off, 6);
    CHECK_EQ(e->length.v, 24);
    CHECK_EQ(e->length.at.off, 8);
    CHECK_EQ(e->data.at.off, 10);
    CHECK_EQ(e->data.len, 24);
    CHECK_EQ(e->kind, TNT_EXTK_SERVER_NAME);
    CHECK(e->decoded);
    CHECK(e->err.what == NULL);
    CHECK_EQ(e->u.sni.n, 1);
    CHECK_EQ(e->u.sni.names[0].type.v, 0);
    CHECK_EQ(e->u.sni.names[0].type.at.off, 12);
    CHECK_EQ(e->u.sni.names[0].name.len, 19);
    CHECK_EQ(e->u.sni.names[0].name.at.off, 15);
    CHECK_MEM(e->u.sni.names[0].name.p, "example.ulfheim.net", 19);

    e = &d.ext.v[1];
    CHECK_EQ(e->kind, TNT_EXTK_STATUS_REQUEST);
    CHECK(e->decoded);
    CHECK_EQ(e->u.status_request.type.v, 1);
    CHECK_EQ(e->u.status_request.type.at.off, 38);
    CHECK_EQ(e->u.status_request.responder_ids.len, 0);
    CHECK_EQ(e->u.status_request.responder_ids.at.off, 41);
    CHECK_EQ(e->u.status_request.extensions.len, 0);
    CHECK_EQ(e->u.status_request.extensions.at.off, 43);
    CHECK(!e->u.status_request.empty);

    e = &d.ext.v[2];
    CHECK_EQ(e->kind, TNT_EXTK_SUPPORTED_GROUPS);
    CHECK(e->decoded);
    CHECK_EQ(e->u.groups.n, 4);
    CHECK_EQ(e->u.groups.at.off, 49);
    CHECK_EQ(e->u.groups.at.len, 8);
    CHECK_EQ(e->u.groups.v[0].v, 0x001d);
    CHECK_EQ(e->u.groups.v[0].at.off, 49);
    CHECK_EQ(e->u.groups.v[1].v, 0x0017);
    CHECK_EQ(e->u.groups.v[2].v, 0x0018);
    CHECK_EQ(e->u.groups.v[3].v, 0x0019);
    CHECK_EQ(e->u.groups.v[3].at.off, 55);

    e = &d.ext.v[3];
    CHECK_EQ(e->kind, TNT_EXTK_EC_POINT_FORMATS);
    CHECK(e->decoded);
    CHECK_EQ(e->u.formats.n, 1);
    CHECK_EQ(e->u.formats.v[0].v, 0);
    CHECK_EQ(e->u.formats.v[0].at.off, 62);
    CHECK_EQ(e->u.formats.v[0].at.len, 1);

    e = &d.ext.v[4];
    CHECK_EQ(e->kind, TNT_EXTK_SIGNATURE_ALGORITHMS);
    CHECK(e->decoded);
    CHECK_EQ(e->u.sig_algs.n, 8);
    static const uint16_t schemes[8] = {0x0401, 0x0403, 0x0501, 0x0503,
                                        0x0601, 0x0603, 0x0201, 0x0203};
    for (int i = 0; i < 8; i++) {
        CHECK_EQ(e->u.sig_algs.v[i].v, schemes[i]);
        CHECK_EQ(e->u.sig_algs.v[i].at.off, 69 + 2 * i);
    }

    e = &d.ext.v[5];
    CHECK_EQ(e->kind, TNT_EXTK_RENEGOTIATION_INFO);
    CHECK(e->decoded);
    CHECK_EQ(e->u.renegotiation_info.len, 0);
    CHECK_EQ(e->u.renegotiation_info.at.off, 90);

    /* signed_certificate_timestamp (18) has no decoder: type and bytes. */
    e = &d.ext.v[6];
    CHECK_EQ(e->type.v, 18);
    CHECK_EQ(e->kind, TNT_EXTK_UNKNOWN);
    CHECK(!e->decoded);
    CHECK(e->err.what == NULL);
    CHECK_EQ(e->data.len, 0);
    CHECK_EQ(e->data.at.off, 94);

    CHECK(tnt_extensions_find(&d.ext, TNT_EXT_RENEGOTIATION_INFO) == &d.ext.v[5]);
    CHECK(tnt_extensions_find(&d.ext, TNT_EXT_SERVER_NAME) == &d.ext.v[0]);
    CHECK(tnt_extensions_find(&d.ext, 18) == &d.ext.v[6]);
    CHECK(tnt_extensions_find(&d.ext, TNT_EXT_ALPN) == NULL);
    release(&d);
}

/* Extensions that the illustrated hello does not carry; bodies from the
 * ClientHello / ServerHello of third_party/zeek/client-certificate.pcap
 * (https://github.com/zeek/zeek, BSD-3-Clause) as decoded by tshark 4.0.17. */
static void test_more_kinds(void)
{
    decoded d;
    const tnt_extension *e;

    e = one(&d, TNT_EXT_ALPN, "000c02683208687474702f312e31", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->kind, TNT_EXTK_ALPN);
        CHECK_EQ(e->u.alpn.n, 2);
        CHECK_EQ(e->u.alpn.protocols[0].len, 2);
        CHECK_MEM(e->u.alpn.protocols[0].p, "h2", 2);
        CHECK_EQ(e->u.alpn.protocols[0].at.off, 13);
        CHECK_EQ(e->u.alpn.protocols[1].len, 8);
        CHECK_MEM(e->u.alpn.protocols[1].p, "http/1.1", 8);
        CHECK_EQ(e->u.alpn.protocols[1].at.off, 16);
    }
    release(&d);

    /* The server's ALPN answer: exactly one protocol. */
    e = one(&d, TNT_EXT_ALPN, "000908687474702f312e31", true);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.alpn.n, 1);
        CHECK_MEM(e->u.alpn.protocols[0].p, "http/1.1", 8);
    }
    release(&d);

    e = one(&d, TNT_EXT_EXTENDED_MASTER_SECRET, "", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->kind, TNT_EXTK_EXTENDED_MASTER_SECRET);
    }
    release(&d);

    e = one(&d, TNT_EXT_ENCRYPT_THEN_MAC, "", true);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->kind, TNT_EXTK_ENCRYPT_THEN_MAC);
    }
    release(&d);

    e = one(&d, TNT_EXT_RECORD_SIZE_LIMIT, "4001", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.record_size_limit.v, 16385);
        CHECK_EQ(e->u.record_size_limit.at.off, 10);
        CHECK_EQ(e->u.record_size_limit.at.len, 2);
    }
    release(&d);

    /* RFC 8449 forbids values below 64 but the value is still what was sent. */
    e = one(&d, TNT_EXT_RECORD_SIZE_LIMIT, "003f", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.record_size_limit.v, 63);
    }
    release(&d);

    e = one(&d, TNT_EXT_SESSION_TICKET, "", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->kind, TNT_EXTK_SESSION_TICKET);
        CHECK_EQ(e->u.session_ticket.len, 0);
        CHECK_EQ(e->u.session_ticket.at.off, 10);
    }
    release(&d);

    e = one(&d, TNT_EXT_SESSION_TICKET, "deadbeef01", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.session_ticket.len, 5);
        CHECK_MEM(e->u.session_ticket.p, "\xde\xad\xbe\xef\x01", 5);
    }
    release(&d);

    e = one(&d, TNT_EXT_SUPPORTED_VERSIONS, "0403040303", false);
    if (e) {
        CHECK(e->decoded);
        CHECK(e->u.supported_versions.is_list);
        CHECK_EQ(e->u.supported_versions.list.n, 2);
        CHECK_EQ(e->u.supported_versions.list.at.off, 11);
        CHECK_EQ(e->u.supported_versions.list.v[0].v, 0x0304);
        CHECK_EQ(e->u.supported_versions.list.v[1].v, 0x0303);
        CHECK_EQ(e->u.supported_versions.list.v[1].at.off, 13);
    }
    release(&d);

    /* RFC 8446 4.2.1: the server sends the selected version alone. */
    e = one(&d, TNT_EXT_SUPPORTED_VERSIONS, "0304", true);
    if (e) {
        CHECK(e->decoded);
        CHECK(!e->u.supported_versions.is_list);
        CHECK_EQ(e->u.supported_versions.selected.v, 0x0304);
        CHECK_EQ(e->u.supported_versions.selected.at.off, 10);
    }
    release(&d);

    e = one(&d, TNT_EXT_PADDING, "0000000000", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.padding.len, 5);
        CHECK_EQ(e->u.padding.at.off, 10);
    }
    release(&d);

    /* RFC 7685 wants zeros; other bytes are still shown, not rejected. */
    e = one(&d, TNT_EXT_PADDING, "00ff", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.padding.len, 2);
    }
    release(&d);

    e = one(&d, TNT_EXT_PADDING, "", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.padding.len, 0);
    }
    release(&d);

    /* The server's acknowledgements of server_name and status_request. */
    e = one(&d, TNT_EXT_SERVER_NAME, "", true);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.sni.n, 0);
    }
    release(&d);

    e = one(&d, TNT_EXT_STATUS_REQUEST, "", true);
    if (e) {
        CHECK(e->decoded);
        CHECK(e->u.status_request.empty);
    }
    release(&d);

    /* Two host names, and a ResponderID list with two ids plus request
     * extensions (RFC 6066 8 layout). */
    e = one(&d, TNT_EXT_SERVER_NAME, "000d 0000036131 2e 00 0004 622e636f", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.sni.n, 2);
        CHECK_MEM(e->u.sni.names[0].name.p, "a1.", 3);
        CHECK_EQ(e->u.sni.names[1].type.v, 0);
        CHECK_EQ(e->u.sni.names[1].name.len, 4);
        CHECK_MEM(e->u.sni.names[1].name.p, "b.co", 4);
        CHECK_EQ(e->u.sni.names[1].name.at.off, 21);
    }
    release(&d);

    e = one(&d, TNT_EXT_STATUS_REQUEST, "01 0009 0002aabb 0003ccddee 0003 010203", false);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.status_request.responder_ids.len, 9);
        CHECK_EQ(e->u.status_request.responder_ids.at.off, 13);
        CHECK_EQ(e->u.status_request.extensions.len, 3);
        CHECK_EQ(e->u.status_request.extensions.at.off, 24);
        CHECK_MEM(e->u.status_request.extensions.p, "\x01\x02\x03", 3);
    }
    release(&d);

    e = one(&d, TNT_EXT_RENEGOTIATION_INFO, "0c 0102030405060708090a0b0c", true);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.renegotiation_info.len, 12);
        CHECK_EQ(e->u.renegotiation_info.at.off, 11);
        CHECK_MEM(e->u.renegotiation_info.p, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c",
                  12);
    }
    release(&d);

    /* key_share has no decoder in this toolkit: kept as bytes. */
    e = one(&d, TNT_EXT_KEY_SHARE, "0017", true);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_UNKNOWN);
        CHECK(!e->decoded);
        CHECK(e->err.what == NULL);
        CHECK_EQ(e->data.len, 2);
    }
    release(&d);
}

/* The tnt extension (spec section 2), through the real tnt_ext_decode(). */
static void test_tnt(void)
{
    decoded d;
    const tnt_extension *e;

    /* ClientHello: version 1, negotiate, strategies {eager, parsimonious},
     * languages {dn_expression}. */
    e = one(&d, TNT_DEFAULT_EXT_TYPE, "01 01 02 0102 01 01", false);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_TNT);
        CHECK(e->decoded);
        CHECK_EQ(e->u.tnt.version.v, 1);
        CHECK(e->u.tnt.known_version);
        CHECK_EQ(e->u.tnt.mode.v, TNT_MODE_NEGOTIATE);
        CHECK_EQ(e->u.tnt.mode.at.off, 11);
        CHECK_EQ(e->u.tnt.strategies.n, 2);
        CHECK_EQ(e->u.tnt.strategies.v[0].v, TNT_STRATEGY_EAGER);
        CHECK_EQ(e->u.tnt.strategies.v[1].v, TNT_STRATEGY_PARSIMONIOUS);
        CHECK_EQ(e->u.tnt.strategies.v[1].at.off, 14);
        CHECK_EQ(e->u.tnt.languages.n, 1);
        CHECK_EQ(e->u.tnt.languages.v[0].v, TNT_LANG_DN_EXPRESSION);
        CHECK_EQ(e->u.tnt.languages.v[0].at.off, 16);
    }
    release(&d);

    /* A later version: shown, the rest not judged, not an error. */
    e = one(&d, TNT_DEFAULT_EXT_TYPE, "02 ffffff", true);
    if (e) {
        CHECK(e->decoded);
        CHECK_EQ(e->u.tnt.version.v, 2);
        CHECK(!e->u.tnt.known_version);
    }
    release(&d);

    /* Malformed tnt body: only this extension is marked. */
    e = one(&d, TNT_DEFAULT_EXT_TYPE, "01 01 00 01 01", false);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_TNT);
        CHECK(!e->decoded);
        CHECK(e->err.what != NULL);
        CHECK_EQ(e->err.off, 12);
    }
    release(&d);

    /* The codepoint is configurable: with it moved, 0xFF54 is unknown and
     * the new value (even a registered one) decodes as tnt. */
    tnt_codepoints moved;
    CHECK(tnt_codepoints_make(&moved, TNT_EXT_PADDING, 230, 231));
    decode_cp = &moved;
    e = one(&d, TNT_DEFAULT_EXT_TYPE, "01 00 01 01 01 01", false);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_UNKNOWN);
        CHECK(!e->decoded);
    }
    release(&d);
    e = one(&d, TNT_EXT_PADDING, "01 00 01 01 01 01", false);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_TNT);
        CHECK(e->decoded);
        CHECK_EQ(e->u.tnt.mode.v, TNT_MODE_OFFER);
    }
    release(&d);
    decode_cp = NULL;
}

/* One malformed extension body per case: the extension keeps its type and
 * bytes, gets decoded == false and an error at a message-relative offset,
 * and the extensions after it still decode. */
typedef struct bad_case {
    uint16_t type;
    const char *body;
    bool from_server;
    uint32_t err_off; /* relative to the origin (block starts at 4) */
    const char *what;
} bad_case;

static const bad_case BAD[] = {
    /* server_name: list length one too long / one too short, empty list,
     * empty name, name length too long, a body from the server. */
    {0, "0017 000013 6578616d706c652e756c666865696d2e6e6574", false, 10,
     "server_name: list length overruns"},
    {0, "0015 000013 6578616d706c652e756c666865696d2e6e6574", false, 12,
     "server_name: name length overruns"},
    {0, "0016 000014 6578616d706c652e756c666865696d2e6e6574", false, 12,
     "server_name: name length overruns"},
    {0, "0016 000012 6578616d706c652e756c666865696d2e6e6574", false, 33,
     "server_name: name length overruns"},
    {0, "0000", false, 10, "server_name: empty list"},
    {0, "0003 000000", false, 12, "server_name: empty name"},
    {0, "0001 00", false, 12, "server_name: name length overruns"},
    {0, "", false, 10, "server_name: list length overruns"},
    {0, "00", true, 10, "server_name: server's extension must be empty"},
    /* status_request */
    {5, "", false, 10, "status_request: missing status_type"},
    {5, "02 0000 0000", false, 10, "status_request: unknown status_type"},
    {5, "01 0005 0000", false, 11, "status_request: responder_id_list overruns"},
    {5, "01 0000 0001", false, 13, "status_request: request_extensions overruns"},
    {5, "01 0000 00", false, 13, "status_request: request_extensions overruns"},
    {5, "01 0000 0000 00", false, 15, "bytes after the extension's last field"},
    {5, "01 0002 0000 0000", false, 13, "status_request: empty ResponderID"},
    {5, "01 0003 0002aa 0000", false, 13, "status_request: ResponderID overruns"},
    {5, "00", true, 10, "status_request: server's extension must be empty"},
    /* supported_groups */
    {10, "0009 001d001700180019", false, 10, "supported_groups: list length overruns"},
    {10, "0007 001d001700180019", false, 12, "supported_groups: odd list length"},
    {10, "0006 001d001700180019", false, 18, "bytes after the extension's last field"},
    {10, "0000", false, 12, "supported_groups: empty list"},
    {10, "00", false, 10, "supported_groups: list length overruns"},
    /* ec_point_formats */
    {11, "02 00", false, 10, "ec_point_formats: list length overruns"},
    {11, "00", false, 11, "ec_point_formats: empty list"},
    {11, "", false, 10, "ec_point_formats: list length overruns"},
    /* signature_algorithms */
    {13, "0005 04010403", false, 10, "signature_algorithms: list length overruns"},
    {13, "0003 04010403", false, 12, "signature_algorithms: odd list length"},
    {13, "0000", false, 12, "signature_algorithms: empty list"},
    /* ALPN */
    {16, "000d 02683208687474702f312e31", false, 10, "alpn: list length overruns"},
    {16, "000b 02683208687474702f312e31", false, 15, "alpn: protocol name overruns"},
    {16, "000c 02683209687474702f312e31", false, 15, "alpn: protocol name overruns"},
    {16, "000c 02683207687474702f312e31", false, 23, "alpn: protocol name overruns"},
    {16, "0000", false, 10, "alpn: empty list"},
    {16, "0001 00", false, 12, "alpn: empty protocol name"},
    {16, "000c 02683208687474702f312e31", true, 10,
     "alpn: server must select exactly one protocol"},
    /* encrypt_then_mac and extended_master_secret carry nothing */
    {22, "00", false, 10, "encrypt_then_mac: extension must be empty"},
    {23, "0000", true, 10, "extended_master_secret: extension must be empty"},
    /* record_size_limit */
    {28, "40", false, 10, "record_size_limit: missing value"},
    {28, "400100", false, 12, "bytes after the extension's last field"},
    /* supported_versions */
    {43, "05 03040303", false, 10, "supported_versions: list length overruns"},
    {43, "03 03040303", false, 11, "supported_versions: odd list length"},
    {43, "00", false, 11, "supported_versions: empty list"},
    {43, "03", true, 10, "supported_versions: missing selected_version"},
    {43, "030403", true, 12, "bytes after the extension's last field"},
    {43, "02 0304", true, 12, "bytes after the extension's last field"},
    /* renegotiation_info */
    {0xFF01, "01", false, 10, "renegotiation_info: length overruns"},
    {0xFF01, "00 00", false, 11, "bytes after the extension's last field"},
    {0xFF01, "", true, 10, "renegotiation_info: length overruns"},
};

static void test_bad_bodies(void)
{
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        const bad_case *b = &BAD[i];
        uint8_t body[300];
        size_t n = check_unhex(b->body, body, sizeof(body));
        /* The bad extension, then a good EMS, so that recovery is seen. */
        char hex[1000];
        int w = sprintf(hex, "%04zx%04x%04zx", n + 8, b->type, n);
        for (size_t k = 0; k < n; k++)
            w += sprintf(hex + w, "%02x", body[k]);
        sprintf(hex + w, "00170000");
        decoded d;
        decode(&d, hex, b->from_server);
        CHECK(d.ok);
        CHECK_EQ(d.ext.n, 2);
        if (d.ok && d.ext.n == 2) {
            const tnt_extension *e = &d.ext.v[0];
            if (!e->decoded && e->err.what && strcmp(e->err.what, b->what) == 0 &&
                e->err.off == b->err_off) {
                CHECK(1);
            } else {
                fprintf(stderr, "bad case %zu (type %u, %s): decoded=%d err=%s at %u\n", i, b->type,
                        b->body, e->decoded, e->err.what ? e->err.what : "(none)", e->err.off);
                CHECK(0);
            }
            CHECK_EQ(e->type.v, b->type);
            CHECK_EQ(e->data.len, n);
            CHECK_EQ(e->data.at.off, 10);
            CHECK(e->kind != TNT_EXTK_UNKNOWN);
            CHECK(d.ext.v[1].decoded);
            CHECK_EQ(d.ext.v[1].kind, TNT_EXTK_EXTENDED_MASTER_SECRET);
        }
        release(&d);
    }
}

/* Errors of the block itself: the list cannot be walked. */
static void test_block(void)
{
    decoded d;

    /* Empty block: valid, no extensions. */
    decode(&d, "0000", false);
    CHECK(d.ok);
    CHECK_EQ(d.ext.n, 0);
    CHECK(d.ext.v == NULL);
    CHECK_EQ(d.ext.list_at.off, 6);
    CHECK_EQ(d.ext.list_at.len, 0);
    CHECK_EQ(d.left, 0);
    release(&d);

    /* The block length bounds the list: bytes after it are the caller's. */
    decode(&d, "0000 ff", false);
    CHECK(d.ok);
    CHECK_EQ(d.left, 1);
    release(&d);

    static const struct {
        const char *hex;
        uint32_t off;
        const char *what;
    } cases[] = {
        {"", 4, "extensions: truncated length"},
        {"00", 4, "extensions: truncated length"},
        {"0001", 4, "extensions: length overruns the message"},
        {"0004 00170001", 6, "extensions: extension overruns the list"},
        {"0005 0017000000", 10, "extensions: extension overruns the list"},
        {"0003 001700", 6, "extensions: extension overruns the list"},
        {"0001 00", 6, "extensions: extension overruns the list"},
        {"0008 00170000 00160001", 10, "extensions: extension overruns the list"},
        {"000a 00170000 0016000100", 4, "extensions: length overruns the message"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        decode(&d, cases[i].hex, false);
        CHECK(!d.ok);
        CHECK_STR(d.err.what, cases[i].what);
        CHECK_EQ(d.err.off, cases[i].off);
        /* A failed decode consumes nothing. */
        CHECK_EQ(d.left, d.len - PREFIX);
        release(&d);
    }

    /* Truncating the illustrated block at every length: only the complete
     * block decodes. */
    uint8_t full[200];
    size_t n = check_unhex(ILLUSTRATED_CH_EXT, full, sizeof(full));
    for (size_t len = 0; len < n; len++) {
        uint8_t *p = malloc(len ? len : 1);
        memcpy(p, full, len);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_cursor c;
        tnt_cursor_init(&c, p, len);
        tnt_extensions ext;
        tnt_error err = {0};
        CHECK(!tnt_extensions_decode(&c, false, NULL, &a, &ext, &err));
        CHECK(err.what != NULL);
        CHECK(err.off <= len);
        CHECK_EQ(tnt_cursor_len(&c), len);
        tnt_arena_free(&a);
        free(p);
    }
}

/* Duplicates are kept in order; find returns the first. */
static void test_duplicates(void)
{
    decoded d;
    decode(&d, "000e ff01000100 00170000 ff01000100", false);
    CHECK(d.ok);
    CHECK_EQ(d.ext.n, 3);
    const tnt_extension *e = tnt_extensions_find(&d.ext, TNT_EXT_RENEGOTIATION_INFO);
    CHECK(e == &d.ext.v[0]);
    CHECK_EQ(d.ext.v[2].type.v, TNT_EXT_RENEGOTIATION_INFO);
    CHECK(d.ext.v[2].decoded);
    CHECK_EQ(d.ext.v[2].type.at.off, 15);
    release(&d);
}

/* Maximum sizes: a block of 0xFFFF bytes (one padding extension of 0xFFFB
 * bytes), and lists at their largest. */
static void test_maximum(void)
{
    static char hex[140000];
    int w = sprintf(hex, "ffff0015fffb");
    for (int i = 0; i < 0xFFFB; i++)
        w += sprintf(hex + w, "00");
    decoded d;
    decode(&d, hex, false);
    CHECK(d.ok);
    CHECK_EQ(d.ext.n, 1);
    if (d.ext.n == 1) {
        CHECK(d.ext.v[0].decoded);
        CHECK_EQ(d.ext.v[0].u.padding.len, 0xFFFB);
        CHECK_EQ(d.ext.v[0].u.padding.at.off, 10);
    }
    release(&d);

    /* supported_groups filling a whole block: odd length, then one byte
     * after a 0xFFF8-byte list, then 32764 groups (all 0xFFFF). */
    w = sprintf(hex, "ffff000afffb fff9");
    for (int i = 0; i < 0xFFF9 / 2; i++)
        w += sprintf(hex + w, "ffff");
    sprintf(hex + w, "ff"); /* odd: 0xFFF9 */
    decode(&d, hex, false);
    CHECK(d.ok);
    CHECK(!d.ext.v[0].decoded);
    CHECK_STR(d.ext.v[0].err.what, "supported_groups: odd list length");
    release(&d);

    w = sprintf(hex, "ffff000afffb fff9");
    for (int i = 0; i < 0xFFF8 / 2; i++)
        w += sprintf(hex + w, "ffff");
    sprintf(hex + w, "00"); /* last byte: leftover after a 0xFFF8 list */
    hex[16] = '8';          /* list length 0xfff8 */
    decode(&d, hex, false);
    CHECK(d.ok);
    CHECK(!d.ext.v[0].decoded);
    CHECK_STR(d.ext.v[0].err.what, "bytes after the extension's last field");
    release(&d);

    w = sprintf(hex, "fffe000afffa fff8");
    for (int i = 0; i < 0xFFF8 / 2; i++)
        w += sprintf(hex + w, "ffff");
    decode(&d, hex, false);
    CHECK(d.ok);
    CHECK(d.ext.v[0].decoded);
    CHECK_EQ(d.ext.v[0].u.groups.n, 0xFFF8 / 2);
    CHECK_EQ(d.ext.v[0].u.groups.v[0xFFF8 / 2 - 1].v, 0xFFFF);
    CHECK_EQ(d.ext.v[0].u.groups.v[0xFFF8 / 2 - 1].at.off, PREFIX + 8 + 0xFFF8 - 2);
    release(&d);

    /* ec_point_formats with 255 formats; renegotiation_info of 255 bytes. */
    w = sprintf(hex, "0208 000b0100 ff");
    for (int i = 0; i < 255; i++)
        w += sprintf(hex + w, "%02x", i);
    w += sprintf(hex + w, "ff010100ff");
    for (int i = 0; i < 255; i++)
        w += sprintf(hex + w, "ff");
    decode(&d, hex, false);
    CHECK(d.ok);
    CHECK_EQ(d.ext.n, 2);
    if (d.ext.n == 2) {
        CHECK(d.ext.v[0].decoded);
        CHECK_EQ(d.ext.v[0].u.formats.n, 255);
        CHECK_EQ(d.ext.v[0].u.formats.v[254].v, 254);
        CHECK(d.ext.v[1].decoded);
        CHECK_EQ(d.ext.v[1].u.renegotiation_info.len, 255);
    }
    release(&d);
}

/* Every byte of a block set to a few values: whatever comes out, the
 * decoder stays inside the buffer (ASan) and every span it reports too. */
static void test_mutations(void)
{
    uint8_t full[200];
    size_t n = check_unhex(ILLUSTRATED_CH_EXT, full, sizeof(full));
    static const uint8_t vals[] = {0x00, 0x01, 0x7f, 0xff};
    size_t oks = 0, runs = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < sizeof(vals); k++) {
            uint8_t *p = malloc(n);
            memcpy(p, full, n);
            p[i] = vals[k];
            tnt_arena a;
            tnt_arena_init(&a);
            tnt_cursor c;
            tnt_cursor_init(&c, p, n);
            tnt_extensions ext;
            tnt_error err = {0};
            runs++;
            if (tnt_extensions_decode(&c, k & 1, NULL, &a, &ext, &err)) {
                oks++;
                for (uint32_t j = 0; j < ext.n; j++) {
                    CHECK(ext.v[j].data.at.off + ext.v[j].data.at.len <= n);
                    if (!ext.v[j].decoded && ext.v[j].kind != TNT_EXTK_UNKNOWN)
                        CHECK(ext.v[j].err.what != NULL);
                }
            }
            tnt_arena_free(&a);
            free(p);
        }
    }
    CHECK(oks > 0 && oks < runs);
}

int main(void)
{
    test_illustrated_block();
    test_more_kinds();
    test_tnt();
    test_bad_bodies();
    test_block();
    test_duplicates();
    test_maximum();
    test_mutations();
    return check_done("test_extensions");
}
