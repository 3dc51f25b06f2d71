/* The growable byte builder (see builder.h). */
#include "builder.h"

#include <stdlib.h>
#include <string.h>

void tnt_bld_init(tnt_builder *b)
{
    memset(b, 0, sizeof(*b));
}

void tnt_bld_free(tnt_builder *b)
{
    free(b->buf);
    tnt_bld_init(b);
}

void tnt_bld_reset(tnt_builder *b)
{
    b->len = 0;
    b->err = NULL;
    b->depth = 0;
}

/* Records the first error only: the first one is the cause, later ones are
 * its consequences. */
bool tnt_bld_fail(tnt_builder *b, const char *what)
{
    if (!b->err)
        b->err = what;
    return false;
}

/* Makes room for n more bytes and returns where they go, or NULL. */
static uint8_t *grow(tnt_builder *b, size_t n)
{
    if (b->err)
        return NULL;
    if (n > SIZE_MAX / 2 - b->len) {
        tnt_bld_fail(b, "builder: size overflow");
        return NULL;
    }
    size_t need = b->len + n;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        uint8_t *p = realloc(b->buf, cap);
        if (!p) {
            tnt_bld_fail(b, "builder: out of memory");
            return NULL;
        }
        b->buf = p;
        b->cap = cap;
    }
    uint8_t *at = b->buf + b->len;
    b->len = need;
    return at;
}

static bool put_be(tnt_builder *b, uint32_t v, unsigned width)
{
    uint8_t *p = grow(b, width);
    if (!p)
        return false;
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
    return true;
}

bool tnt_bld_u8(tnt_builder *b, uint32_t v)
{
    if (b->err)
        return false;
    if (v > 0xFF)
        return tnt_bld_fail(b, "builder: value too large for u8");
    return put_be(b, v, 1);
}

bool tnt_bld_u16(tnt_builder *b, uint32_t v)
{
    if (b->err)
        return false;
    if (v > 0xFFFF)
        return tnt_bld_fail(b, "builder: value too large for u16");
    return put_be(b, v, 2);
}

bool tnt_bld_u24(tnt_builder *b, uint32_t v)
{
    if (b->err)
        return false;
    if (v > 0xFFFFFF)
        return tnt_bld_fail(b, "builder: value too large for u24");
    return put_be(b, v, 3);
}

bool tnt_bld_u32(tnt_builder *b, uint32_t v)
{
    return put_be(b, v, 4);
}

bool tnt_bld_bytes(tnt_builder *b, const uint8_t *p, size_t n)
{
    uint8_t *dst = grow(b, n);
    if (!dst)
        return false;
    if (n)
        memcpy(dst, p, n);
    return true;
}

bool tnt_bld_zeros(tnt_builder *b, size_t n)
{
    uint8_t *dst = grow(b, n);
    if (!dst)
        return false;
    memset(dst, 0, n);
    return true;
}

static bool open_prefix(tnt_builder *b, uint8_t width)
{
    if (b->err)
        return false;
    if (b->depth == TNT_BLD_MAX_DEPTH)
        return tnt_bld_fail(b, "builder: length prefixes nested too deep");
    size_t at = b->len;
    if (!tnt_bld_zeros(b, width))
        return false;
    b->open[b->depth].at = at;
    b->open[b->depth].width = width;
    b->depth++;
    return true;
}

bool tnt_bld_open_u8(tnt_builder *b)
{
    return open_prefix(b, 1);
}

bool tnt_bld_open_u16(tnt_builder *b)
{
    return open_prefix(b, 2);
}

bool tnt_bld_open_u24(tnt_builder *b)
{
    return open_prefix(b, 3);
}

bool tnt_bld_close(tnt_builder *b)
{
    if (b->err)
        return false;
    if (b->depth == 0)
        return tnt_bld_fail(b, "builder: close without an open length prefix");
    b->depth--;
    size_t at = b->open[b->depth].at;
    unsigned width = b->open[b->depth].width;
    size_t body = b->len - at - width;
    if (body >> (8 * width) != 0) {
        static const char *const too_long[] = {
            "builder: vector too long for a u8 length",
            "builder: vector too long for a u16 length",
            "builder: vector too long for a u24 length",
        };
        return tnt_bld_fail(b, too_long[width - 1]);
    }
    for (unsigned i = 0; i < width; i++)
        b->buf[at + i] = (uint8_t)(body >> (8 * (width - 1 - i)));
    return true;
}

static bool vec(tnt_builder *b, uint8_t width, const uint8_t *p, size_t n)
{
    return open_prefix(b, width) && tnt_bld_bytes(b, p, n) && tnt_bld_close(b);
}

bool tnt_bld_vec8(tnt_builder *b, const uint8_t *p, size_t n)
{
    return vec(b, 1, p, n);
}

bool tnt_bld_vec16(tnt_builder *b, const uint8_t *p, size_t n)
{
    return vec(b, 2, p, n);
}

bool tnt_bld_vec24(tnt_builder *b, const uint8_t *p, size_t n)
{
    return vec(b, 3, p, n);
}

const uint8_t *tnt_bld_data(const tnt_builder *b, size_t *len)
{
    if (b->err || b->depth != 0) {
        *len = 0;
        return NULL;
    }
    *len = b->len;
    /* A builder that never wrote has no buffer; an empty result is still a
     * result, so it must not look like the error case. */
    static const uint8_t empty[1];
    return b->buf ? b->buf : empty;
}

bool tnt_bld_finish(tnt_builder *b, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!b->err && b->depth != 0)
        tnt_bld_fail(b, "builder: finish with a length prefix still open");
    if (b->err) {
        /* The error stays readable; only the partial bytes go. */
        free(b->buf);
        b->buf = NULL;
        b->len = b->cap = 0;
        b->depth = 0;
        return false;
    }
    if (!b->buf) {
        b->buf = malloc(1);
        if (!b->buf) {
            tnt_bld_fail(b, "builder: out of memory");
            return false;
        }
    }
    *out = b->buf;
    *len = b->len;
    b->buf = NULL;
    const struct tnt_codepoints *cp = b->cp;
    tnt_bld_init(b);
    b->cp = cp;
    return true;
}
