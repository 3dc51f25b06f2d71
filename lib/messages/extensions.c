/* Hello extensions (RFC 5246 7.4.1.4 and the RFCs of each extension).
 *
 * The block is walked twice: once to count the extensions and to check that
 * every header and length fits (a length that overruns makes the whole block
 * unusable, because nothing after it can be located), then once to decode each
 * body. A body that does not match its RFC only marks that one extension: the
 * bytes around it are still well delimited, so the hello remains usable. */
#include "extensions.h"
#include "codepoints.h"
#include "tnt_messages.h"

#include <string.h>

/* Fixed-width integers filling a vector body that follows a length prefix
 * of `prefix` bytes: width 1 or 2, at least min_bytes bytes (the RFC's
 * <min..max> lower bound), whole entries only. */
static bool read_uint_list(tnt_cursor *vec, size_t prefix, size_t width, size_t min_bytes,
                           tnt_arena *a, tnt_uint_list *out, tnt_error *err, const char *too_short,
                           const char *odd)
{
    uint32_t at = tnt_cursor_offset(vec);
    size_t len = tnt_cursor_len(vec);
    out->at = tnt_cursor_span(vec);
    out->whole = (tnt_span){out->at.off - (uint32_t)prefix, out->at.len + (uint32_t)prefix};
    if (len < min_bytes)
        return tnt_fail(err, at, too_short);
    if (len % width != 0)
        return tnt_fail(err, at, odd);
    out->n = (uint32_t)(len / width);
    if (out->n == 0)
        return true;
    out->v = tnt_arena_array(a, out->n, sizeof(*out->v));
    if (!out->v)
        return tnt_fail(err, at, "out of memory");
    for (uint32_t i = 0; i < out->n; i++) {
        /* Cannot fail: the length is a whole number of entries. */
        if (width == 1)
            tnt_read_u8(vec, &out->v[i]);
        else
            tnt_read_u16(vec, &out->v[i]);
    }
    return true;
}

/* server_name (RFC 6066 3). The server acknowledges with an empty body. */
static bool dec_server_name(tnt_cursor *c, bool from_server, tnt_arena *a, tnt_extension *e,
                            tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    if (from_server) {
        if (tnt_cursor_len(c) != 0)
            return tnt_fail(err, at, "server_name: server's extension must be empty");
        return true;
    }
    tnt_cursor list;
    if (!tnt_get_u16_prefixed(c, &list))
        return tnt_fail(err, at, "server_name: list length overruns");
    if (tnt_cursor_len(&list) == 0)
        return tnt_fail(err, at, "server_name: empty list");
    /* Count first so the names land in one array. */
    tnt_cursor walk = list;
    uint32_t n = 0;
    while (tnt_cursor_len(&walk) > 0) {
        uint32_t name_at = tnt_cursor_offset(&walk);
        uint8_t type;
        tnt_cursor name;
        if (!tnt_get_u8(&walk, &type))
            return tnt_fail(err, name_at, "server_name: truncated entry");
        /* Only host_name is defined; RFC 6066 gives every type the same
         * opaque<1..2^16-1> shape so that unknown types can be skipped. */
        if (!tnt_get_u16_prefixed(&walk, &name))
            return tnt_fail(err, name_at, "server_name: name length overruns");
        if (tnt_cursor_len(&name) == 0)
            return tnt_fail(err, name_at, "server_name: empty name");
        n++;
    }
    e->u.sni.names = tnt_arena_array(a, n, sizeof(*e->u.sni.names));
    if (!e->u.sni.names)
        return tnt_fail(err, at, "out of memory");
    e->u.sni.n = n;
    for (uint32_t i = 0; i < n; i++) {
        /* Cannot fail: the walk above checked every entry. */
        tnt_read_u8(&list, &e->u.sni.names[i].type);
        tnt_read_vec16(&list, &e->u.sni.names[i].name);
    }
    return true;
}

/* status_request (RFC 6066 8): CertificateStatusRequest from the client, an
 * empty body from a server that will staple. */
static bool dec_status_request(tnt_cursor *c, bool from_server, tnt_extension *e, tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    if (from_server) {
        if (tnt_cursor_len(c) != 0)
            return tnt_fail(err, at, "status_request: server's extension must be empty");
        e->u.status_request.empty = true;
        return true;
    }
    if (!tnt_read_u8(c, &e->u.status_request.type))
        return tnt_fail(err, at, "status_request: missing status_type");
    if (e->u.status_request.type.v != 1)
        return tnt_fail(err, at, "status_request: unknown status_type");
    at = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &e->u.status_request.responder_ids))
        return tnt_fail(err, at, "status_request: responder_id_list overruns");
    /* Each ResponderID is opaque<1..2^16-1>. */
    tnt_cursor ids;
    tnt_cursor_from_bytes(&ids, &e->u.status_request.responder_ids, c->origin);
    while (tnt_cursor_len(&ids) > 0) {
        uint32_t id_at = tnt_cursor_offset(&ids);
        tnt_cursor id;
        if (!tnt_get_u16_prefixed(&ids, &id))
            return tnt_fail(err, id_at, "status_request: ResponderID overruns");
        if (tnt_cursor_len(&id) == 0)
            return tnt_fail(err, id_at, "status_request: empty ResponderID");
    }
    at = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &e->u.status_request.extensions))
        return tnt_fail(err, at, "status_request: request_extensions overruns");
    return true;
}

/* application_layer_protocol_negotiation (RFC 7301 3.1). */
static bool dec_alpn(tnt_cursor *c, bool from_server, tnt_arena *a, tnt_extension *e,
                     tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor list;
    if (!tnt_get_u16_prefixed(c, &list))
        return tnt_fail(err, at, "alpn: list length overruns");
    if (tnt_cursor_len(&list) == 0)
        return tnt_fail(err, at, "alpn: empty list");
    tnt_cursor walk = list;
    uint32_t n = 0;
    while (tnt_cursor_len(&walk) > 0) {
        uint32_t name_at = tnt_cursor_offset(&walk);
        tnt_cursor name;
        if (!tnt_get_u8_prefixed(&walk, &name))
            return tnt_fail(err, name_at, "alpn: protocol name overruns");
        if (tnt_cursor_len(&name) == 0)
            return tnt_fail(err, name_at, "alpn: empty protocol name");
        n++;
    }
    if (from_server && n != 1)
        return tnt_fail(err, at, "alpn: server must select exactly one protocol");
    e->u.alpn.protocols = tnt_arena_array(a, n, sizeof(*e->u.alpn.protocols));
    if (!e->u.alpn.protocols)
        return tnt_fail(err, at, "out of memory");
    e->u.alpn.n = n;
    for (uint32_t i = 0; i < n; i++)
        tnt_read_vec8(&list, &e->u.alpn.protocols[i]); /* checked above */
    return true;
}

/* supported_versions (RFC 8446 4.2.1): a list from the client, the selected
 * version alone from the server (ServerHello and HelloRetryRequest). */
static bool dec_supported_versions(tnt_cursor *c, bool from_server, tnt_arena *a, tnt_extension *e,
                                   tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    if (from_server) {
        if (!tnt_read_u16(c, &e->u.supported_versions.selected))
            return tnt_fail(err, at, "supported_versions: missing selected_version");
        return true;
    }
    e->u.supported_versions.is_list = true;
    tnt_cursor vec;
    if (!tnt_get_u8_prefixed(c, &vec))
        return tnt_fail(err, at, "supported_versions: list length overruns");
    return read_uint_list(&vec, 1, 2, 2, a, &e->u.supported_versions.list, err,
                          "supported_versions: empty list", "supported_versions: odd list length");
}

static bool must_be_empty(tnt_cursor *c, tnt_error *err, const char *what)
{
    if (tnt_cursor_len(c) != 0)
        return tnt_fail(err, tnt_cursor_offset(c), what);
    return true;
}

static tnt_ext_kind kind_of(uint16_t type, const tnt_codepoints *cp)
{
    /* The TNT codepoint is checked first: a user who moved it onto a value
     * that is also registered has said which meaning applies on this network. */
    if (type == tnt_codepoints_or_default(cp)->ext_type)
        return TNT_EXTK_TNT;
    switch (type) {
    case TNT_EXT_SERVER_NAME:
        return TNT_EXTK_SERVER_NAME;
    case TNT_EXT_STATUS_REQUEST:
        return TNT_EXTK_STATUS_REQUEST;
    case TNT_EXT_SUPPORTED_GROUPS:
        return TNT_EXTK_SUPPORTED_GROUPS;
    case TNT_EXT_EC_POINT_FORMATS:
        return TNT_EXTK_EC_POINT_FORMATS;
    case TNT_EXT_SIGNATURE_ALGORITHMS:
        return TNT_EXTK_SIGNATURE_ALGORITHMS;
    case TNT_EXT_ALPN:
        return TNT_EXTK_ALPN;
    case TNT_EXT_PADDING:
        return TNT_EXTK_PADDING;
    case TNT_EXT_ENCRYPT_THEN_MAC:
        return TNT_EXTK_ENCRYPT_THEN_MAC;
    case TNT_EXT_EXTENDED_MASTER_SECRET:
        return TNT_EXTK_EXTENDED_MASTER_SECRET;
    case TNT_EXT_RECORD_SIZE_LIMIT:
        return TNT_EXTK_RECORD_SIZE_LIMIT;
    case TNT_EXT_SESSION_TICKET:
        return TNT_EXTK_SESSION_TICKET;
    case TNT_EXT_SUPPORTED_VERSIONS:
        return TNT_EXTK_SUPPORTED_VERSIONS;
    case TNT_EXT_RENEGOTIATION_INFO:
        return TNT_EXTK_RENEGOTIATION_INFO;
    default:
        return TNT_EXTK_UNKNOWN;
    }
}

/* Decodes e->data into e->u according to e->kind. Leaves any bytes it does
 * not understand in c, for the caller's trailing-bytes check. */
static bool decode_body(tnt_cursor *c, bool from_server, tnt_arena *a, tnt_extension *e,
                        tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor vec;
    switch (e->kind) {
    case TNT_EXTK_SERVER_NAME:
        return dec_server_name(c, from_server, a, e, err);
    case TNT_EXTK_STATUS_REQUEST:
        return dec_status_request(c, from_server, e, err);
    case TNT_EXTK_SUPPORTED_GROUPS: /* RFC 8422 5.1.1: NamedCurve<2..2^16-1> */
        if (!tnt_get_u16_prefixed(c, &vec))
            return tnt_fail(err, at, "supported_groups: list length overruns");
        return read_uint_list(&vec, 2, 2, 2, a, &e->u.groups, err, "supported_groups: empty list",
                              "supported_groups: odd list length");
    case TNT_EXTK_EC_POINT_FORMATS: /* RFC 8422 5.1.2: ECPointFormat<1..2^8-1> */
        if (!tnt_get_u8_prefixed(c, &vec))
            return tnt_fail(err, at, "ec_point_formats: list length overruns");
        return read_uint_list(&vec, 1, 1, 1, a, &e->u.formats, err, "ec_point_formats: empty list",
                              "ec_point_formats: empty list");
    case TNT_EXTK_SIGNATURE_ALGORITHMS: /* RFC 5246 7.4.1.4.1: <2..2^16-2> */
        if (!tnt_get_u16_prefixed(c, &vec))
            return tnt_fail(err, at, "signature_algorithms: list length overruns");
        return read_uint_list(&vec, 2, 2, 2, a, &e->u.sig_algs, err,
                              "signature_algorithms: empty list",
                              "signature_algorithms: odd list length");
    case TNT_EXTK_ALPN:
        return dec_alpn(c, from_server, a, e, err);
    case TNT_EXTK_PADDING:
        /* RFC 7685 asks for zeros but a receiver has no reason to reject
         * others; they are kept for front ends to show. */
        tnt_read_rest(c, &e->u.padding);
        return true;
    case TNT_EXTK_ENCRYPT_THEN_MAC:
        return must_be_empty(c, err, "encrypt_then_mac: extension must be empty");
    case TNT_EXTK_EXTENDED_MASTER_SECRET:
        return must_be_empty(c, err, "extended_master_secret: extension must be empty");
    case TNT_EXTK_RECORD_SIZE_LIMIT:
        /* Values below 64 are a protocol error for the peer to answer, not a
         * reason to hide the value. */
        if (!tnt_read_u16(c, &e->u.record_size_limit))
            return tnt_fail(err, at, "record_size_limit: missing value");
        return true;
    case TNT_EXTK_SESSION_TICKET:
        tnt_read_rest(c, &e->u.session_ticket);
        return true;
    case TNT_EXTK_SUPPORTED_VERSIONS:
        return dec_supported_versions(c, from_server, a, e, err);
    case TNT_EXTK_RENEGOTIATION_INFO: /* RFC 5746 3.2 */
        if (!tnt_read_vec8(c, &e->u.renegotiation_info))
            return tnt_fail(err, at, "renegotiation_info: length overruns");
        return true;
    case TNT_EXTK_TNT:
        return tnt_ext_decode(c, a, &e->u.tnt, err);
    case TNT_EXTK_UNKNOWN:
        break;
    }
    return true;
}

static void decode_one(tnt_cursor *c, bool from_server, const tnt_codepoints *cp, tnt_arena *a,
                       tnt_extension *e)
{
    /* Cannot fail: the counting walk checked every header and length. */
    tnt_read_u16(c, &e->type);
    tnt_read_u16(c, &e->length);
    tnt_read_bytes(c, e->length.v, &e->data);
    e->kind = kind_of((uint16_t)e->type.v, cp);
    if (e->kind == TNT_EXTK_UNKNOWN)
        return;

    tnt_cursor body;
    tnt_cursor_from_bytes(&body, &e->data, c->origin);
    tnt_error err = {0};
    bool ok = decode_body(&body, from_server, a, e, &err);
    if (ok && tnt_cursor_len(&body) != 0)
        ok = tnt_fail(&err, tnt_cursor_offset(&body), "bytes after the extension's last field");
    if (!ok) {
        /* kind stays, so front ends can say which extension was malformed;
         * the union is cleared so no half-decoded value is mistaken for one. */
        memset(&e->u, 0, sizeof(e->u));
        e->err = err;
        return;
    }
    e->decoded = true;
}

bool tnt_extensions_decode(tnt_cursor *c, bool from_server, const tnt_codepoints *cp, tnt_arena *a,
                           tnt_extensions *out, tnt_error *err)
{
    *out = (tnt_extensions){0};
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor save = *c;
    if (!tnt_read_u16(c, &out->length))
        return tnt_fail(err, at, "extensions: truncated length");
    tnt_cursor list;
    if (!tnt_get_sub(c, &list, out->length.v)) {
        *c = save;
        return tnt_fail(err, at, "extensions: length overruns the message");
    }
    out->list_at = tnt_cursor_span(&list);
    out->list_whole = tnt_cursor_span_from(c, at);

    tnt_cursor walk = list;
    uint32_t n = 0;
    while (tnt_cursor_len(&walk) > 0) {
        uint32_t ext_at = tnt_cursor_offset(&walk);
        uint16_t type;
        tnt_cursor body;
        if (!tnt_get_u16(&walk, &type) || !tnt_get_u16_prefixed(&walk, &body)) {
            *c = save;
            return tnt_fail(err, ext_at, "extensions: extension overruns the list");
        }
        n++;
    }
    if (n == 0)
        return true;
    out->v = tnt_arena_array(a, n, sizeof(*out->v));
    if (!out->v) {
        *c = save;
        return tnt_fail(err, at, "out of memory");
    }
    out->n = n;
    for (uint32_t i = 0; i < n; i++)
        decode_one(&list, from_server, cp, a, &out->v[i]);
    return true;
}

const tnt_extension *tnt_extensions_find(const tnt_extensions *e, uint16_t type)
{
    for (uint32_t i = 0; i < e->n; i++) {
        if (e->v[i].type.v == type)
            return &e->v[i];
    }
    return NULL;
}
