/* Certificate (RFC 5246 7.4.2): a u24 list of u24-prefixed DER certificates. */
#include "handshake.h"

bool tnt_certificate_decode(tnt_cursor *body, tnt_arena *a, tnt_certificate *out, tnt_error *err)
{
    tnt_cursor list;
    uint32_t off = tnt_cursor_offset(body);
    if (!tnt_get_u24_prefixed(body, &list))
        return tnt_fail(err, off, "certificate_list overruns the message");
    out->list_at = tnt_cursor_span(&list);
    out->list_whole = tnt_cursor_span_from(body, off);

    /* Count first so the array is exactly as long as the list. */
    tnt_cursor scan = list;
    uint32_t n = 0;
    while (tnt_cursor_len(&scan) > 0) {
        tnt_bytes der;
        off = tnt_cursor_offset(&scan);
        if (!tnt_read_vec24(&scan, &der))
            return tnt_fail(err, off, "certificate overruns certificate_list");
        if (der.len == 0)
            return tnt_fail(err, off, "empty certificate");
        n++;
    }
    out->n_certs = n;
    out->certs = NULL;
    if (n) {
        out->certs = tnt_arena_array(a, n, sizeof(*out->certs));
        if (!out->certs)
            return tnt_fail(err, out->list_at.off, "out of memory");
    }
    for (uint32_t i = 0; i < n; i++)
        tnt_read_vec24(&list, &out->certs[i].der); /* checked by the scan above */
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after certificate_list");
    return true;
}
