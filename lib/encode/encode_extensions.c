/* Hello extensions, the mirror of extensions.c and tnt_ext.c. */
#include "codepoints.h"
#include "encode.h"

static void u16_list(tnt_builder *b, tnt_u16s l)
{
    for (size_t i = 0; i < l.n; i++)
        tnt_bld_u16(b, l.v[i]);
}

static bool type_of(const tnt_builder *b, const tnt_ext_spec *e, uint16_t *type)
{
    switch (e->kind) {
    case TNT_EXTK_UNKNOWN:
        *type = e->type;
        return true;
    case TNT_EXTK_SERVER_NAME:
        *type = TNT_EXT_SERVER_NAME;
        return true;
    case TNT_EXTK_STATUS_REQUEST:
        *type = TNT_EXT_STATUS_REQUEST;
        return true;
    case TNT_EXTK_SUPPORTED_GROUPS:
        *type = TNT_EXT_SUPPORTED_GROUPS;
        return true;
    case TNT_EXTK_EC_POINT_FORMATS:
        *type = TNT_EXT_EC_POINT_FORMATS;
        return true;
    case TNT_EXTK_SIGNATURE_ALGORITHMS:
        *type = TNT_EXT_SIGNATURE_ALGORITHMS;
        return true;
    case TNT_EXTK_ALPN:
        *type = TNT_EXT_ALPN;
        return true;
    case TNT_EXTK_PADDING:
        *type = TNT_EXT_PADDING;
        return true;
    case TNT_EXTK_ENCRYPT_THEN_MAC:
        *type = TNT_EXT_ENCRYPT_THEN_MAC;
        return true;
    case TNT_EXTK_EXTENDED_MASTER_SECRET:
        *type = TNT_EXT_EXTENDED_MASTER_SECRET;
        return true;
    case TNT_EXTK_RECORD_SIZE_LIMIT:
        *type = TNT_EXT_RECORD_SIZE_LIMIT;
        return true;
    case TNT_EXTK_SESSION_TICKET:
        *type = TNT_EXT_SESSION_TICKET;
        return true;
    case TNT_EXTK_SUPPORTED_VERSIONS:
        *type = TNT_EXT_SUPPORTED_VERSIONS;
        return true;
    case TNT_EXTK_RENEGOTIATION_INFO:
        *type = TNT_EXT_RENEGOTIATION_INFO;
        return true;
    case TNT_EXTK_TNT:
        *type = tnt_codepoints_or_default(b->cp)->ext_type;
        return true;
    }
    return false;
}

/* The extension_data body; the caller has opened its u16 length. */
static void body(tnt_builder *b, const tnt_ext_spec *e)
{
    switch (e->kind) {
    case TNT_EXTK_UNKNOWN:
        tnt_bld_bytes(b, e->u.raw.p, e->u.raw.len);
        break;
    case TNT_EXTK_SERVER_NAME: /* RFC 6066 3 */
        if (e->u.sni.n == 0)
            break;
        tnt_bld_open_u16(b);
        for (size_t i = 0; i < e->u.sni.n; i++) {
            tnt_bld_u8(b, 0); /* host_name, the only NameType */
            tnt_bld_vec16(b, e->u.sni.v[i].p, e->u.sni.v[i].len);
        }
        tnt_bld_close(b);
        break;
    case TNT_EXTK_STATUS_REQUEST: /* RFC 6066 8 */
        if (e->u.status_request.empty)
            break;
        tnt_bld_u8(b, 1); /* ocsp, the only CertificateStatusType in TLS 1.2 */
        tnt_bld_vec16(b, e->u.status_request.responder_ids.p,
                      e->u.status_request.responder_ids.len);
        tnt_bld_vec16(b, e->u.status_request.extensions.p, e->u.status_request.extensions.len);
        break;
    case TNT_EXTK_SUPPORTED_GROUPS:
        tnt_bld_open_u16(b);
        u16_list(b, e->u.groups);
        tnt_bld_close(b);
        break;
    case TNT_EXTK_EC_POINT_FORMATS:
        tnt_bld_vec8(b, e->u.formats.v, e->u.formats.n);
        break;
    case TNT_EXTK_SIGNATURE_ALGORITHMS:
        tnt_bld_open_u16(b);
        u16_list(b, e->u.sig_algs);
        tnt_bld_close(b);
        break;
    case TNT_EXTK_ALPN: /* RFC 7301 3.1 */
        tnt_bld_open_u16(b);
        for (size_t i = 0; i < e->u.alpn.n; i++)
            tnt_bld_vec8(b, e->u.alpn.v[i].p, e->u.alpn.v[i].len);
        tnt_bld_close(b);
        break;
    case TNT_EXTK_PADDING:
        tnt_bld_zeros(b, e->u.padding);
        break;
    case TNT_EXTK_ENCRYPT_THEN_MAC:
    case TNT_EXTK_EXTENDED_MASTER_SECRET:
        break;
    case TNT_EXTK_RECORD_SIZE_LIMIT:
        tnt_bld_u16(b, e->u.record_size_limit);
        break;
    case TNT_EXTK_SESSION_TICKET:
        tnt_bld_bytes(b, e->u.session_ticket.p, e->u.session_ticket.len);
        break;
    case TNT_EXTK_SUPPORTED_VERSIONS: /* RFC 8446 4.2.1 */
        if (!e->u.supported_versions.is_list) {
            tnt_bld_u16(b, e->u.supported_versions.selected);
            break;
        }
        tnt_bld_open_u8(b);
        u16_list(b, e->u.supported_versions.list);
        tnt_bld_close(b);
        break;
    case TNT_EXTK_RENEGOTIATION_INFO: /* RFC 5746 3.2 */
        tnt_bld_vec8(b, e->u.renegotiation_info.p, e->u.renegotiation_info.len);
        break;
    case TNT_EXTK_TNT: /* spec section 2 */
        tnt_bld_u8(b, e->u.tnt.version);
        tnt_bld_u8(b, e->u.tnt.mode);
        tnt_bld_vec8(b, e->u.tnt.strategies.v, e->u.tnt.strategies.n);
        tnt_bld_vec8(b, e->u.tnt.languages.v, e->u.tnt.languages.n);
        break;
    }
}

bool tnt_enc_extension(tnt_builder *b, const tnt_ext_spec *e)
{
    uint16_t type;
    if (!type_of(b, e, &type))
        return tnt_bld_fail(b, "encode: unknown extension kind");
    if (!tnt_bld_u16(b, type) || !tnt_bld_open_u16(b))
        return false;
    body(b, e);
    return tnt_bld_close(b);
}

bool tnt_enc_extensions(tnt_builder *b, const tnt_ext_spec *e, size_t n)
{
    if (!tnt_bld_open_u16(b))
        return false;
    for (size_t i = 0; i < n; i++)
        tnt_enc_extension(b, &e[i]);
    return tnt_bld_close(b);
}
