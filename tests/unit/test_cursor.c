/* The bounds-checked cursor: every getter exactly at its bound and one byte
 * short of it, prefixed vectors at their limits, failures consuming nothing,
 * and spans measured from the origin. Inputs are heap buffers of their exact
 * size, so ASan reports any read past the end. */
#include "check.h"
#include "cursor.h"

static const uint8_t BYTES[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0xfe, 0xff};

static uint8_t *dup_n(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

/* Same position, same length, same origin: nothing consumed. */
static int unchanged(const tnt_cursor *a, const tnt_cursor *b)
{
    return a->p == b->p && a->len == b->len && a->origin == b->origin;
}

enum { G_U8, G_U16, G_U24, G_U32, G_U64, G_N };
static const size_t WIDTH[G_N] = {1, 2, 3, 4, 8};
static const uint64_t WANT[G_N] = {0x01, 0x0102, 0x010203, 0x01020304, 0x0102030405060708ULL};

static bool get(int g, tnt_cursor *c, uint64_t *out)
{
    uint8_t v8;
    uint16_t v16;
    uint32_t v32;
    bool ok = false;
    switch (g) {
    case G_U8:
        ok = tnt_get_u8(c, &v8);
        *out = v8;
        break;
    case G_U16:
        ok = tnt_get_u16(c, &v16);
        *out = v16;
        break;
    case G_U24:
        ok = tnt_get_u24(c, &v32);
        *out = v32;
        break;
    case G_U32:
        ok = tnt_get_u32(c, &v32);
        *out = v32;
        break;
    case G_U64:
        ok = tnt_get_u64(c, out);
        break;
    }
    return ok;
}

static void test_getters(void)
{
    for (int g = 0; g < G_N; g++) {
        for (size_t len = 0; len <= WIDTH[g] + 1; len++) {
            uint8_t *buf = dup_n(BYTES, len);
            tnt_cursor c;
            tnt_cursor_init(&c, buf, len);
            tnt_cursor before = c;
            uint64_t v = 0xdeadbeef;
            /* get() reads into locals first, so a failed getter leaves
             * garbage there; only the cursor state is checked then. */
            bool ok = get(g, &c, &v);
            if (len >= WIDTH[g]) {
                CHECK(ok);
                CHECK_EQ(v, WANT[g]);
                CHECK_EQ(tnt_cursor_len(&c), len - WIDTH[g]);
                CHECK_EQ(tnt_cursor_offset(&c), WIDTH[g]);
            } else {
                CHECK(!ok);
                CHECK(unchanged(&c, &before));
            }
            free(buf);
        }
    }

    /* Maximum values. */
    static const uint8_t ff[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint8_t *buf = dup_n(ff, 8);
    tnt_cursor c;
    uint64_t v;
    tnt_cursor_init(&c, buf, 8);
    CHECK(tnt_get_u64(&c, &v));
    CHECK(v == UINT64_MAX);
    tnt_cursor_init(&c, buf, 8);
    CHECK(get(G_U32, &c, &v));
    CHECK_EQ(v, 0xffffffffLL);
    CHECK(get(G_U24, &c, &v));
    CHECK_EQ(v, 0xffffff);
    CHECK(!get(G_U16, &c, &v)); /* one byte left */
    CHECK(get(G_U8, &c, &v));
    CHECK_EQ(v, 0xff);
    CHECK_EQ(tnt_cursor_len(&c), 0);
    CHECK(!get(G_U8, &c, &v));
    free(buf);
}

static void test_skip_copy_peek(void)
{
    uint8_t *buf = dup_n(BYTES, 4);
    tnt_cursor c, before;
    tnt_cursor_init(&c, buf, 4);

    uint8_t b = 0;
    CHECK(tnt_peek_u8(&c, &b));
    CHECK_EQ(b, 0x01);
    CHECK_EQ(tnt_cursor_len(&c), 4); /* peek consumes nothing */

    before = c;
    CHECK(!tnt_skip(&c, 5));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_skip(&c, 0));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_skip(&c, 1));
    CHECK_EQ(tnt_cursor_offset(&c), 1);

    uint8_t out[4] = {0};
    before = c;
    CHECK(!tnt_copy(&c, out, 4));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_copy(&c, out, 0));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_copy(&c, out, 3));
    CHECK_MEM(out, "\x02\x03\x04", 3);
    CHECK_EQ(tnt_cursor_len(&c), 0);
    CHECK(!tnt_peek_u8(&c, &b));
    CHECK(tnt_skip(&c, 0));
    CHECK(!tnt_skip(&c, 1));
    CHECK(!tnt_copy(&c, out, 1));
    /* A huge n must not wrap around. */
    CHECK(!tnt_skip(&c, SIZE_MAX));
    free(buf);

    tnt_cursor_init(&c, NULL, 0);
    CHECK(!tnt_peek_u8(&c, &b));
    CHECK(!tnt_get_u8(&c, &b));
    CHECK(tnt_copy(&c, out, 0));
}

static void test_sub(void)
{
    uint8_t *buf = dup_n(BYTES, 6);
    tnt_cursor c, sub, before;
    tnt_cursor_init(&c, buf, 6);
    CHECK(tnt_skip(&c, 1));
    before = c;
    CHECK(!tnt_get_sub(&c, &sub, 6));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_get_sub(&c, &sub, 3));
    CHECK_EQ(tnt_cursor_len(&sub), 3);
    CHECK_EQ(tnt_cursor_offset(&sub), 1); /* same origin as the parent */
    CHECK(sub.origin == buf);
    CHECK_EQ(tnt_cursor_offset(&c), 4);
    tnt_span s = tnt_cursor_span(&sub);
    CHECK_EQ(s.off, 1);
    CHECK_EQ(s.len, 3);
    /* The sub-cursor is bounded by its own length, not the parent's. */
    uint32_t v;
    CHECK(tnt_get_u24(&sub, &v));
    CHECK_EQ(v, 0x020304);
    uint8_t b8;
    CHECK(!tnt_get_u8(&sub, &b8));
    CHECK(tnt_get_sub(&c, &sub, 2));
    CHECK(tnt_get_sub(&c, &sub, 0));
    CHECK_EQ(tnt_cursor_len(&sub), 0);
    CHECK_EQ(tnt_cursor_offset(&sub), 6);
    free(buf);

    /* init_at: offsets measured from another origin. */
    buf = dup_n(BYTES, 8);
    tnt_cursor_init_at(&c, buf, buf + 5, 3);
    CHECK_EQ(tnt_cursor_offset(&c), 5);
    CHECK(tnt_cursor_data(&c) == buf + 5);
    tnt_uint u;
    CHECK(tnt_read_u16(&c, &u));
    CHECK_EQ(u.v, 0x0607);
    CHECK_EQ(u.at.off, 5);
    CHECK_EQ(u.at.len, 2);
    CHECK(!tnt_read_u16(&c, &u));
    free(buf);
}

/* Length-prefixed vectors of each prefix width. */
typedef bool (*prefixed_fn)(tnt_cursor *, tnt_cursor *);
typedef bool (*vec_fn)(tnt_cursor *, tnt_bytes *);

static void check_prefixed(size_t width, prefixed_fn get_prefixed, vec_fn read_vec)
{
    /* prefix = 3, then 3 body bytes, then one more byte. */
    uint8_t raw[8] = {0};
    raw[width - 1] = 3;
    raw[width] = 0xa1;
    raw[width + 1] = 0xa2;
    raw[width + 2] = 0xa3;
    raw[width + 3] = 0xb0;
    size_t full = width + 4;

    for (size_t len = 0; len <= full; len++) {
        uint8_t *buf = dup_n(raw, len);
        tnt_cursor c, before, sub;
        tnt_cursor_init(&c, buf, len);
        before = c;
        bool ok = get_prefixed(&c, &sub);
        if (len >= width + 3) {
            CHECK(ok);
            CHECK_EQ(tnt_cursor_len(&sub), 3);
            CHECK_EQ(tnt_cursor_offset(&sub), width);
            CHECK(sub.origin == buf);
            CHECK_EQ(tnt_cursor_len(&c), len - width - 3);
        } else {
            /* A failure also leaves the prefix unread. */
            CHECK(!ok);
            CHECK(unchanged(&c, &before));
        }
        tnt_cursor_init(&c, buf, len);
        tnt_bytes b;
        ok = read_vec(&c, &b);
        if (len >= width + 3) {
            CHECK(ok);
            CHECK_EQ(b.len, 3);
            CHECK(b.p == buf + width);
            CHECK_EQ(b.at.off, width); /* the body, without its prefix */
            CHECK_EQ(b.at.len, 3);
            CHECK_MEM(b.p, "\xa1\xa2\xa3", 3);
        } else {
            CHECK(!ok);
            CHECK(unchanged(&c, &before));
        }
        free(buf);
    }

    /* Length one too long for what follows, and an empty vector. */
    raw[width - 1] = 5;
    uint8_t *buf = dup_n(raw, full);
    tnt_cursor c, before, sub;
    tnt_cursor_init(&c, buf, full);
    before = c;
    CHECK(!get_prefixed(&c, &sub));
    CHECK(unchanged(&c, &before));
    raw[width - 1] = 4;
    memcpy(buf, raw, full);
    CHECK(get_prefixed(&c, &sub));
    CHECK_EQ(tnt_cursor_len(&c), 0);
    raw[width - 1] = 0;
    memcpy(buf, raw, full);
    tnt_cursor_init(&c, buf, full);
    CHECK(get_prefixed(&c, &sub));
    CHECK_EQ(tnt_cursor_len(&sub), 0);
    CHECK_EQ(tnt_cursor_offset(&sub), width);
    CHECK_EQ(tnt_cursor_len(&c), 4);
    free(buf);
}

static bool get8(tnt_cursor *c, tnt_cursor *o)
{
    return tnt_get_u8_prefixed(c, o);
}
static bool get16(tnt_cursor *c, tnt_cursor *o)
{
    return tnt_get_u16_prefixed(c, o);
}
static bool get24(tnt_cursor *c, tnt_cursor *o)
{
    return tnt_get_u24_prefixed(c, o);
}

static void test_prefixed(void)
{
    check_prefixed(1, get8, tnt_read_vec8);
    check_prefixed(2, get16, tnt_read_vec16);
    check_prefixed(3, get24, tnt_read_vec24);

    /* The largest vectors: 0xFF, 0xFFFF and 0xFFFFFF bytes. */
    static const size_t max[3] = {0xFF, 0xFFFF, 0xFFFFFF};
    for (int w = 1; w <= 3; w++) {
        size_t n = max[w - 1];
        uint8_t *buf = calloc(w + n, 1);
        memset(buf, 0xff, (size_t)w);
        tnt_cursor c, sub, before;
        tnt_cursor_init(&c, buf, w + n);
        bool ok = w == 1 ? get8(&c, &sub) : w == 2 ? get16(&c, &sub) : get24(&c, &sub);
        CHECK(ok);
        CHECK_EQ(tnt_cursor_len(&sub), n);
        CHECK_EQ(tnt_cursor_len(&c), 0);
        /* One byte short of the maximum. */
        tnt_cursor_init(&c, buf, w + n - 1);
        before = c;
        ok = w == 1 ? get8(&c, &sub) : w == 2 ? get16(&c, &sub) : get24(&c, &sub);
        CHECK(!ok);
        CHECK(unchanged(&c, &before));
        free(buf);
    }
}

static void test_fields(void)
{
    uint8_t *buf = dup_n(BYTES, sizeof(BYTES));
    tnt_cursor c;
    tnt_cursor_init(&c, buf, sizeof(BYTES));
    tnt_uint u;
    CHECK(tnt_read_u8(&c, &u));
    CHECK_EQ(u.v, 0x01);
    CHECK_EQ(u.at.off, 0);
    CHECK_EQ(u.at.len, 1);
    CHECK(tnt_read_u24(&c, &u));
    CHECK_EQ(u.v, 0x020304);
    CHECK_EQ(u.at.off, 1);
    CHECK_EQ(u.at.len, 3);
    tnt_bytes b;
    CHECK(tnt_read_bytes(&c, 2, &b));
    CHECK_EQ(b.at.off, 4);
    CHECK_EQ(b.len, 2);
    CHECK_MEM(b.p, "\x05\x06", 2);

    /* tnt_cursor_from_bytes: a cursor over the bytes, same offsets. */
    tnt_cursor in;
    tnt_cursor_from_bytes(&in, &b, buf);
    CHECK_EQ(tnt_cursor_offset(&in), 4);
    CHECK_EQ(tnt_cursor_len(&in), 2);
    CHECK(tnt_read_u16(&in, &u));
    CHECK_EQ(u.v, 0x0506);
    CHECK_EQ(u.at.off, 4);

    tnt_cursor before = c;
    CHECK(!tnt_read_bytes(&c, 6, &b));
    CHECK(unchanged(&c, &before));
    CHECK(tnt_read_bytes(&c, 0, &b));
    CHECK_EQ(b.len, 0);
    CHECK_EQ(b.at.off, 6);

    tnt_read_rest(&c, &b);
    CHECK_EQ(b.len, 5);
    CHECK_EQ(b.at.off, 6);
    CHECK_EQ(b.at.len, 5);
    CHECK_MEM(b.p, "\x07\x08\x09\xfe\xff", 5);
    CHECK_EQ(tnt_cursor_len(&c), 0);
    CHECK_EQ(tnt_cursor_offset(&c), sizeof(BYTES));
    tnt_read_rest(&c, &b);
    CHECK_EQ(b.len, 0);
    CHECK_EQ(b.at.off, sizeof(BYTES));

    before = c;
    CHECK(!tnt_read_u8(&c, &u));
    CHECK(!tnt_read_u16(&c, &u));
    CHECK(!tnt_read_u24(&c, &u));
    CHECK(!tnt_read_vec8(&c, &b));
    CHECK(unchanged(&c, &before));
    free(buf);

    /* read_u8/16/24 at and one short of their bound. */
    for (size_t w = 1; w <= 3; w++) {
        for (size_t len = 0; len <= w; len++) {
            buf = dup_n(BYTES + 8, len);
            tnt_cursor_init(&c, buf, len);
            before = c;
            bool ok = w == 1   ? tnt_read_u8(&c, &u)
                      : w == 2 ? tnt_read_u16(&c, &u)
                               : tnt_read_u24(&c, &u);
            if (len == w) {
                CHECK(ok);
                CHECK_EQ(u.v, w == 1 ? 0x09 : w == 2 ? 0x09fe : 0x09feff);
                CHECK_EQ(u.at.len, w);
            } else {
                CHECK(!ok);
                CHECK(unchanged(&c, &before));
            }
            free(buf);
        }
    }
}

int main(void)
{
    test_getters();
    test_skip_copy_peek();
    test_sub();
    test_prefixed();
    test_fields();
    return check_done("test_cursor");
}
