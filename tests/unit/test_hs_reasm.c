/* Handshake reassembly: messages across records, several per record, limits. */
#include "check.h"
#include "hs_reasm.h"

#define MAXMSG 32

typedef struct got {
    int n;
    uint8_t type[MAXMSG];
    uint32_t len[MAXMSG];
    uint32_t n_records[MAXMSG];
    uint64_t first_rec[MAXMSG];
    uint32_t first_off[MAXMSG];
    bool body_ok[MAXMSG];
    int errors;
    uint32_t claimed;
    /* When set: the stream fed in records of rec_size bytes, each record
     * counted as 5 + its length in stream offsets. */
    const uint8_t *stream;
    size_t rec_size;
    bool parts_ok[MAXMSG];
} got;

/* Every piece points at the right bytes of its record, and together they
 * are the message. */
static bool parts_ok(const got *g, const tnt_hs_piece *m)
{
    if (!m->parts_complete || m->n_parts != m->n_records)
        return false;
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->n_parts; i++) {
        const tnt_hs_part *p = &m->parts[i];
        size_t pos = (size_t)(p->record_off / (5 + g->rec_size)) * g->rec_size + p->off;
        if (p->len == 0 || p->off + p->len > g->rec_size ||
            memcmp(g->stream + pos, m->raw + total, p->len) != 0)
            return false;
        total += p->len;
    }
    return total == m->raw_len && m->parts[0].record_off == m->first_record_off &&
           m->parts[0].off == m->first_body_off;
}

static void msg(void *u, const tnt_hs_piece *m)
{
    got *g = u;
    if (g->n < MAXMSG) {
        g->type[g->n] = m->raw[0];
        g->len[g->n] = m->raw_len;
        g->n_records[g->n] = m->n_records;
        g->first_rec[g->n] = m->first_record_off;
        g->first_off[g->n] = m->first_body_off;
        /* bodies are filled with the message type byte */
        bool ok = true;
        for (uint32_t i = 4; i < m->raw_len; i++)
            ok = ok && m->raw[i] == m->raw[0];
        g->body_ok[g->n] = ok;
        g->parts_ok[g->n] = g->stream ? parts_ok(g, m) : true;
    }
    g->n++;
}

static void err(void *u, const char *what, uint32_t claimed)
{
    (void)what;
    got *g = u;
    g->errors++;
    g->claimed = claimed;
}

static const tnt_hs_reasm_callbacks cb = {msg, err};

static size_t put(uint8_t *b, uint8_t type, uint32_t len)
{
    b[0] = type;
    b[1] = (uint8_t)(len >> 16);
    b[2] = (uint8_t)(len >> 8);
    b[3] = (uint8_t)len;
    memset(b + 4, type, len);
    return 4 + len;
}

static void test_splits(void)
{
    static uint8_t stream[40000];
    size_t n = 0;
    n += put(stream + n, 1, 200);
    n += put(stream + n, 2, 0); /* empty body */
    n += put(stream + n, 11, 30000);
    n += put(stream + n, 14, 0);
    /* every record size from 1 byte up: same messages every time */
    size_t sizes[] = {1, 2, 3, 4, 5, 100, 204, 16384, sizeof(stream)};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        got g = {0};
        g.stream = stream;
        g.rec_size = sizes[k];
        tnt_hs_reasm r;
        tnt_hs_reasm_init(&r, 0);
        uint64_t rec = 0;
        for (size_t i = 0; i < n; i += sizes[k]) {
            size_t c = n - i < sizes[k] ? n - i : sizes[k];
            tnt_hs_reasm_feed(&r, stream + i, c, rec, &cb, &g);
            rec += 5 + c;
        }
        CHECK_EQ(g.n, 4);
        CHECK_EQ(g.errors, 0);
        CHECK_EQ(g.type[0], 1);
        CHECK_EQ(g.len[0], 204);
        CHECK_EQ(g.type[1], 2);
        CHECK_EQ(g.len[1], 4);
        CHECK_EQ(g.type[2], 11);
        CHECK_EQ(g.len[2], 30004);
        CHECK(g.body_ok[2]);
        CHECK_EQ(g.type[3], 14);
        for (int i = 0; i < 4; i++)
            CHECK(g.parts_ok[i]);
        CHECK(!tnt_hs_reasm_pending(&r));
        if (sizes[k] == 1)
            CHECK_EQ(g.n_records[2], 30004);
        if (sizes[k] == sizeof(stream)) {
            CHECK_EQ(g.n_records[2], 1);
            CHECK_EQ(g.first_off[2], 208);
        }
        tnt_hs_reasm_free(&r);
    }
}

static void test_limit_and_lazy_allocation(void)
{
    got g = {0};
    tnt_hs_reasm r;
    tnt_hs_reasm_init(&r, 1000);
    /* claims 16 MB: over the limit, its bytes are skipped, then decoding goes on */
    uint8_t big[4] = {11, 0xff, 0xff, 0xff};
    tnt_hs_reasm_feed(&r, big, 4, 0, &cb, &g);
    CHECK_EQ(g.errors, 1);
    CHECK_EQ(g.claimed, 0xffffff);
    CHECK(r.buf_cap == 0);
    tnt_hs_reasm_reset(&r);
    /* claims 900 bytes (allowed) and sends 10: only what arrived is held */
    uint8_t part[14] = {11, 0, 3, 0x84};
    tnt_hs_reasm_feed(&r, part, sizeof part, 0, &cb, &g);
    CHECK(tnt_hs_reasm_pending(&r));
    CHECK(r.buf_cap < 900);
    CHECK_EQ(tnt_hs_reasm_reset(&r), 14);
    CHECK(!tnt_hs_reasm_pending(&r));
    /* exactly at the limit is fine */
    static uint8_t ok[1004];
    put(ok, 12, 1000);
    tnt_hs_reasm_feed(&r, ok, sizeof ok, 0, &cb, &g);
    CHECK_EQ(g.n, 1);
    CHECK_EQ(g.len[0], 1004);
    /* one past it is refused */
    static uint8_t over[1005];
    put(over, 12, 1001);
    tnt_hs_reasm_feed(&r, over, sizeof over, 0, &cb, &g);
    CHECK_EQ(g.errors, 2);
    CHECK_EQ(g.claimed, 1001);
    CHECK_EQ(g.n, 1);
    tnt_hs_reasm_free(&r);

    /* the default limit (docs/robustness.md): TNT_HS_MAX_DEFAULT is held,
     * one byte more is refused before anything is buffered */
    got d = {0};
    tnt_hs_reasm_init(&r, 0);
    uint32_t m = TNT_HS_MAX_DEFAULT;
    uint8_t at[4] = {11, (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m};
    tnt_hs_reasm_feed(&r, at, 4, 0, &cb, &d);
    CHECK_EQ(d.errors, 0);
    CHECK(tnt_hs_reasm_pending(&r));
    tnt_hs_reasm_reset(&r);
    m++;
    uint8_t past[4] = {11, (uint8_t)(m >> 16), (uint8_t)(m >> 8), (uint8_t)m};
    tnt_hs_reasm_feed(&r, past, 4, 0, &cb, &d);
    CHECK_EQ(d.errors, 1);
    CHECK_EQ(d.claimed, TNT_HS_MAX_DEFAULT + 1);
    tnt_hs_reasm_free(&r);
}

static void test_skip_oversized_then_continue(void)
{
    got g = {0};
    tnt_hs_reasm r;
    tnt_hs_reasm_init(&r, 100);
    static uint8_t s[300];
    size_t n = put(s, 11, 150);
    n += put(s + n, 14, 0);
    for (size_t i = 0; i < n; i += 7)
        tnt_hs_reasm_feed(&r, s + i, n - i < 7 ? n - i : 7, i, &cb, &g);
    CHECK_EQ(g.errors, 1);
    CHECK_EQ(g.n, 1);
    CHECK_EQ(g.type[0], 14);
    tnt_hs_reasm_free(&r);
}

int main(void)
{
    test_splits();
    test_limit_and_lazy_allocation();
    test_skip_oversized_then_continue();
    return check_done("test_hs_reasm");
}
