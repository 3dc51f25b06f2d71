/* ClientHello body (RFC 5246 7.4.1.2). */
#include "handshake.h"

bool tnt_client_hello_decode(tnt_cursor *body, const tnt_codepoints *cp, tnt_arena *a,
                             tnt_client_hello *out, tnt_error *err)
{
    *out = (tnt_client_hello){0};
    uint32_t at = tnt_cursor_offset(body);
    if (!tnt_read_u16(body, &out->version))
        return tnt_fail(err, at, "missing client_version");
    at = tnt_cursor_offset(body);
    if (!tnt_read_bytes(body, 32, &out->random))
        return tnt_fail(err, at, "truncated random");
    at = tnt_cursor_offset(body);
    if (!tnt_read_vec8(body, &out->session_id))
        return tnt_fail(err, at, "session_id overruns");
    if (out->session_id.len > 32)
        return tnt_fail(err, at, "session_id longer than 32 bytes");

    at = tnt_cursor_offset(body);
    tnt_cursor vec;
    if (!tnt_get_u16_prefixed(body, &vec))
        return tnt_fail(err, at, "cipher_suites overruns");
    out->suites_at = tnt_cursor_span(&vec);
    out->suites_whole = tnt_cursor_span_from(body, at);
    if (tnt_cursor_len(&vec) == 0)
        return tnt_fail(err, at, "empty cipher_suites");
    if (tnt_cursor_len(&vec) % 2 != 0)
        return tnt_fail(err, at, "odd cipher_suites length");
    out->n_suites = (uint32_t)(tnt_cursor_len(&vec) / 2);
    out->suites = tnt_arena_array(a, out->n_suites, sizeof(*out->suites));
    if (!out->suites)
        return tnt_fail(err, at, "out of memory");
    for (uint32_t i = 0; i < out->n_suites; i++)
        tnt_read_u16(&vec, &out->suites[i]); /* cannot fail: even length */

    at = tnt_cursor_offset(body);
    if (!tnt_get_u8_prefixed(body, &vec))
        return tnt_fail(err, at, "compression_methods overruns");
    out->compressions_at = tnt_cursor_span(&vec);
    out->compressions_whole = tnt_cursor_span_from(body, at);
    if (tnt_cursor_len(&vec) == 0)
        return tnt_fail(err, at, "empty compression_methods");
    out->n_compressions = (uint32_t)tnt_cursor_len(&vec);
    out->compressions = tnt_arena_array(a, out->n_compressions, sizeof(*out->compressions));
    if (!out->compressions)
        return tnt_fail(err, at, "out of memory");
    for (uint32_t i = 0; i < out->n_compressions; i++)
        tnt_read_u8(&vec, &out->compressions[i]);

    /* RFC 5246 7.4.1.2: a hello may end here; extensions are then absent,
     * which is not the same as an empty extensions block. */
    if (tnt_cursor_len(body) == 0)
        return true;
    out->has_extensions = true;
    if (!tnt_extensions_decode(body, false, cp, a, &out->ext, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "bytes after extensions");
    return true;
}
