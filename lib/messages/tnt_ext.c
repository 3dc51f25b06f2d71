/* The `tnt` hello extension body (spec section 2).
 *
 * Only version 1 is understood. Any other version makes the extension unknown:
 * a peer ignores it and a decoder shows the version and nothing further, so
 * the bytes after it are consumed without being judged (a later version may
 * lay them out differently) and that is not an error. */
#include "extensions.h"
#include "tnt_messages.h"

/* TNTStrategyFamily and TNTPolicyLanguage lists: one-byte values in a vector
 * of <1..2^8-1> bytes, so an empty list is malformed. */
static bool read_u8_list(tnt_cursor *c, tnt_arena *a, tnt_uint_list *out, const char *missing,
                         const char *empty, tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor body;
    if (!tnt_get_u8_prefixed(c, &body))
        return tnt_fail(err, at, missing);
    out->at = tnt_cursor_span(&body);
    out->whole = tnt_cursor_span_from(c, at);
    out->n = (uint32_t)tnt_cursor_len(&body);
    if (out->n == 0)
        return tnt_fail(err, at, empty);
    out->v = tnt_arena_array(a, out->n, sizeof(*out->v));
    if (!out->v)
        return tnt_fail(err, at, "tnt: out of memory");
    for (uint32_t i = 0; i < out->n; i++)
        tnt_read_u8(&body, &out->v[i]); /* cannot fail: one byte per entry */
    return true;
}

bool tnt_ext_decode(tnt_cursor *body, tnt_arena *a, struct tnt_tnt_ext *out, tnt_error *err)
{
    *out = (tnt_tnt_ext){0};
    if (!tnt_read_u8(body, &out->version))
        return tnt_fail(err, tnt_cursor_offset(body), "tnt: missing version");
    if (out->version.v != 1) {
        tnt_bytes rest;
        tnt_read_rest(body, &rest);
        return true;
    }
    out->known_version = true;
    if (!tnt_read_u8(body, &out->mode))
        return tnt_fail(err, tnt_cursor_offset(body), "tnt: missing mode");
    if (!read_u8_list(body, a, &out->strategies, "tnt: strategies truncated",
                      "tnt: empty strategies list", err))
        return false;
    if (!read_u8_list(body, a, &out->languages, "tnt: languages truncated",
                      "tnt: empty languages list", err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "tnt: bytes after the last field");
    return true;
}
