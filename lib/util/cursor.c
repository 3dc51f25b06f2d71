#include "cursor.h"

#include <string.h>

void tnt_cursor_init(tnt_cursor *c, const uint8_t *data, size_t len)
{
    c->p = data;
    c->len = len;
    c->origin = data;
}

void tnt_cursor_init_at(tnt_cursor *c, const uint8_t *origin, const uint8_t *data, size_t len)
{
    c->p = data;
    c->len = len;
    c->origin = origin;
}

tnt_span tnt_cursor_span(const tnt_cursor *c)
{
    tnt_span s = {tnt_cursor_offset(c), (uint32_t)c->len};
    return s;
}

static bool get_be(tnt_cursor *c, size_t n, uint64_t *out)
{
    if (c->len < n)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | c->p[i];
    c->p += n;
    c->len -= n;
    *out = v;
    return true;
}

bool tnt_get_u8(tnt_cursor *c, uint8_t *out)
{
    uint64_t v;
    if (!get_be(c, 1, &v))
        return false;
    *out = (uint8_t)v;
    return true;
}

bool tnt_get_u16(tnt_cursor *c, uint16_t *out)
{
    uint64_t v;
    if (!get_be(c, 2, &v))
        return false;
    *out = (uint16_t)v;
    return true;
}

bool tnt_get_u24(tnt_cursor *c, uint32_t *out)
{
    uint64_t v;
    if (!get_be(c, 3, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool tnt_get_u32(tnt_cursor *c, uint32_t *out)
{
    uint64_t v;
    if (!get_be(c, 4, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

bool tnt_get_u64(tnt_cursor *c, uint64_t *out)
{
    return get_be(c, 8, out);
}

bool tnt_skip(tnt_cursor *c, size_t n)
{
    if (c->len < n)
        return false;
    c->p += n;
    c->len -= n;
    return true;
}

bool tnt_copy(tnt_cursor *c, uint8_t *out, size_t n)
{
    if (c->len < n)
        return false;
    if (n)
        memcpy(out, c->p, n);
    c->p += n;
    c->len -= n;
    return true;
}

bool tnt_get_sub(tnt_cursor *c, tnt_cursor *out, size_t n)
{
    if (c->len < n)
        return false;
    tnt_cursor_init_at(out, c->origin, c->p, n);
    c->p += n;
    c->len -= n;
    return true;
}

static bool get_prefixed(tnt_cursor *c, size_t width, tnt_cursor *out)
{
    tnt_cursor save = *c;
    uint64_t n;
    if (!get_be(c, width, &n) || !tnt_get_sub(c, out, (size_t)n)) {
        *c = save;
        return false;
    }
    return true;
}

bool tnt_get_u8_prefixed(tnt_cursor *c, tnt_cursor *out)
{
    return get_prefixed(c, 1, out);
}

bool tnt_get_u16_prefixed(tnt_cursor *c, tnt_cursor *out)
{
    return get_prefixed(c, 2, out);
}

bool tnt_get_u24_prefixed(tnt_cursor *c, tnt_cursor *out)
{
    return get_prefixed(c, 3, out);
}

bool tnt_peek_u8(const tnt_cursor *c, uint8_t *out)
{
    if (c->len < 1)
        return false;
    *out = c->p[0];
    return true;
}

static bool read_uint(tnt_cursor *c, size_t n, tnt_uint *out)
{
    uint32_t off = tnt_cursor_offset(c);
    uint64_t v;
    if (!get_be(c, n, &v))
        return false;
    out->v = (uint32_t)v;
    out->at.off = off;
    out->at.len = (uint32_t)n;
    return true;
}

bool tnt_read_u8(tnt_cursor *c, tnt_uint *out)
{
    return read_uint(c, 1, out);
}

bool tnt_read_u16(tnt_cursor *c, tnt_uint *out)
{
    return read_uint(c, 2, out);
}

bool tnt_read_u24(tnt_cursor *c, tnt_uint *out)
{
    return read_uint(c, 3, out);
}

static void bytes_from_cursor(const tnt_cursor *sub, tnt_bytes *out)
{
    out->p = sub->p;
    out->len = (uint32_t)sub->len;
    out->at = tnt_cursor_span(sub);
    out->whole = out->at;
}

tnt_span tnt_cursor_span_from(const tnt_cursor *c, uint32_t start)
{
    tnt_span s = {start, tnt_cursor_offset(c) - start};
    return s;
}

bool tnt_read_bytes(tnt_cursor *c, size_t n, tnt_bytes *out)
{
    tnt_cursor sub;
    if (!tnt_get_sub(c, &sub, n))
        return false;
    bytes_from_cursor(&sub, out);
    return true;
}

static bool read_vec(tnt_cursor *c, size_t width, tnt_bytes *out)
{
    uint32_t start = tnt_cursor_offset(c);
    tnt_cursor sub;
    if (!get_prefixed(c, width, &sub))
        return false;
    bytes_from_cursor(&sub, out);
    out->whole = tnt_cursor_span_from(c, start);
    return true;
}

bool tnt_read_vec8(tnt_cursor *c, tnt_bytes *out)
{
    return read_vec(c, 1, out);
}

bool tnt_read_vec16(tnt_cursor *c, tnt_bytes *out)
{
    return read_vec(c, 2, out);
}

bool tnt_read_vec24(tnt_cursor *c, tnt_bytes *out)
{
    return read_vec(c, 3, out);
}

void tnt_read_rest(tnt_cursor *c, tnt_bytes *out)
{
    bytes_from_cursor(c, out);
    c->p += c->len;
    c->len = 0;
}

void tnt_cursor_from_bytes(tnt_cursor *c, const tnt_bytes *b, const uint8_t *origin)
{
    tnt_cursor_init_at(c, origin, b->p, b->len);
}
