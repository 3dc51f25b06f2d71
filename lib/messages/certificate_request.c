/* CertificateRequest (RFC 5246 7.4.4; RFC 4346 7.4.4 and RFC 6101 5.6.4
 * for the versions without supported_signature_algorithms). */
#include "handshake.h"

/* A vector of fixed-width integers as an arena array. */
static bool read_uints(tnt_cursor *v, unsigned width, tnt_arena *a, uint32_t *n, tnt_uint **out,
                       tnt_error *err)
{
    size_t len = tnt_cursor_len(v);
    if (len % width != 0)
        return tnt_fail(err, tnt_cursor_offset(v), "list length is not a multiple of its items");
    *n = (uint32_t)(len / width);
    *out = NULL;
    if (*n == 0)
        return true;
    *out = tnt_arena_array(a, *n, sizeof(**out));
    if (!*out)
        return tnt_fail(err, tnt_cursor_offset(v), "out of memory");
    for (uint32_t i = 0; i < *n; i++) {
        if (width == 1)
            tnt_read_u8(v, &(*out)[i]);
        else
            tnt_read_u16(v, &(*out)[i]);
    }
    return true;
}

static bool read_cas(tnt_cursor *body, tnt_arena *a, tnt_certificate_request *out, tnt_error *err)
{
    tnt_cursor list;
    uint32_t off = tnt_cursor_offset(body);
    if (!tnt_get_u16_prefixed(body, &list))
        return tnt_fail(err, off, "certificate_authorities overruns the message");
    tnt_cursor scan = list;
    uint32_t n = 0;
    while (tnt_cursor_len(&scan) > 0) {
        tnt_bytes dn;
        off = tnt_cursor_offset(&scan);
        if (!tnt_read_vec16(&scan, &dn))
            return tnt_fail(err, off, "DistinguishedName overruns certificate_authorities");
        if (dn.len == 0)
            return tnt_fail(err, off, "empty DistinguishedName");
        n++;
    }
    out->n_cas = n;
    out->cas = NULL;
    if (n) {
        out->cas = tnt_arena_array(a, n, sizeof(*out->cas));
        if (!out->cas)
            return tnt_fail(err, tnt_cursor_offset(&list), "out of memory");
    }
    for (uint32_t i = 0; i < n; i++)
        tnt_read_vec16(&list, &out->cas[i]); /* checked by the scan above */
    return true;
}

static bool decode(tnt_cursor *body, bool with_sig_algs, tnt_arena *a, tnt_certificate_request *out,
                   tnt_error *err)
{
    tnt_certificate_request r = {0};
    tnt_cursor v;
    uint32_t off = tnt_cursor_offset(body);
    if (!tnt_get_u8_prefixed(body, &v))
        return tnt_fail(err, off, "certificate_types overruns the message");
    if (tnt_cursor_len(&v) == 0)
        return tnt_fail(err, off, "empty certificate_types");
    if (!read_uints(&v, 1, a, &r.n_cert_types, &r.cert_types, err))
        return false;

    r.has_sig_algs = with_sig_algs;
    if (with_sig_algs) {
        off = tnt_cursor_offset(body);
        if (!tnt_get_u16_prefixed(body, &v))
            return tnt_fail(err, off, "supported_signature_algorithms overruns the message");
        if (tnt_cursor_len(&v) == 0)
            return tnt_fail(err, off, "empty supported_signature_algorithms");
        if (!read_uints(&v, 2, a, &r.n_sig_algs, &r.sig_algs, err))
            return false;
    }
    if (!read_cas(body, a, &r, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body),
                        "trailing bytes after certificate_authorities");
    *out = r;
    return true;
}

bool tnt_certificate_request_decode(tnt_cursor *body, const tnt_hs_ctx *ctx, tnt_arena *a,
                                    tnt_certificate_request *out, tnt_error *err)
{
    uint16_t version = ctx ? ctx->version : 0;
    if (version != 0)
        return decode(body, version >= TNT_TLS12, a, out, err);
    /* Version unknown: take the TLS 1.2 layout when the whole body parses
     * that way, as for the other version-dependent messages. */
    tnt_cursor try12 = *body;
    if (decode(&try12, true, a, out, NULL)) {
        *body = try12;
        return true;
    }
    return decode(body, false, a, out, err);
}
