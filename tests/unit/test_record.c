/* The streaming record decoder: framing, chunking, limits, SSLv2, hunting. */
#include "check.h"
#include "record.h"

#include <stdlib.h>

#define MAXREC 64

typedef struct seen {
    int n;
    uint8_t type[MAXREC];
    uint16_t version[MAXREC];
    uint32_t length[MAXREC];
    uint64_t off[MAXREC];
    bool sslv2[MAXREC], known[MAXREC];
    uint8_t first_body_byte[MAXREC];
    int errors, skips;
    uint64_t skipped_bytes;
    const char *last_error;
} seen;

static void rec(void *u, const tnt_record *r)
{
    seen *s = u;
    if (s->n < MAXREC) {
        s->type[s->n] = r->type;
        s->version[s->n] = r->version;
        s->length[s->n] = r->length;
        s->off[s->n] = r->stream_off;
        s->sslv2[s->n] = r->sslv2;
        s->known[s->n] = r->known_type;
        s->first_body_byte[s->n] = r->length && r->body ? r->body[0] : 0;
    }
    s->n++;
}

static void skipped(void *u, uint64_t off, uint64_t n, const char *why)
{
    (void)off;
    (void)why;
    seen *s = u;
    s->skips++;
    s->skipped_bytes += n;
}

static void error(void *u, uint64_t off, const char *what)
{
    (void)off;
    seen *s = u;
    s->errors++;
    s->last_error = what;
}

static const tnt_rec_callbacks cb = {rec, skipped, error, NULL};

/* Appends a record with a body of n bytes, each byte = fill. */
static size_t put(uint8_t *buf, uint8_t type, uint16_t ver, uint32_t n, uint8_t fill)
{
    buf[0] = type;
    buf[1] = (uint8_t)(ver >> 8);
    buf[2] = (uint8_t)ver;
    buf[3] = (uint8_t)(n >> 8);
    buf[4] = (uint8_t)n;
    memset(buf + 5, fill, n);
    return 5 + n;
}

static void feed_chunks(tnt_rec_decoder *d, const uint8_t *p, size_t n, size_t chunk, seen *s)
{
    for (size_t i = 0; i < n; i += chunk)
        tnt_rec_feed(d, p + i, (n - i) < chunk ? n - i : chunk, &cb, s);
}

static void test_chunking(void)
{
    static uint8_t stream[70000];
    size_t n = 0;
    n += put(stream + n, 22, 0x0301, 100, 1);
    n += put(stream + n, 20, 0x0303, 1, 2);
    n += put(stream + n, 23, 0x0303, 16384 + 2048, 3);
    n += put(stream + n, 21, 0x0303, 2, 4);
    n += put(stream + n, 23, 0x0303, 0, 0); /* empty fragments are legal for app data */
    n += put(stream + n, 24, 0x0303, 3, 5);
    n += put(stream + n, 30, 0x0303, 4, 6); /* unknown content type: kept, flagged */
    size_t chunks[] = {1, 2, 3, 5, 7, 1000, 16389, sizeof(stream)};
    for (size_t k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++) {
        seen s = {0};
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        feed_chunks(&d, stream, n, chunks[k], &s);
        CHECK_EQ(s.n, 7);
        CHECK_EQ(s.errors, 0);
        CHECK_EQ(s.type[0], 22);
        CHECK_EQ(s.version[0], 0x0301);
        CHECK_EQ(s.length[0], 100);
        CHECK_EQ(s.off[0], 0);
        CHECK_EQ(s.off[1], 105);
        CHECK_EQ(s.type[2], 23);
        CHECK_EQ(s.length[2], 18432);
        CHECK_EQ(s.first_body_byte[2], 3);
        CHECK_EQ(s.off[3], 105 + 6 + 18437);
        CHECK_EQ(s.length[4], 0);
        CHECK_EQ(s.type[5], 24);
        CHECK(s.known[5]);
        CHECK_EQ(s.type[6], 30);
        CHECK(!s.known[6]);
        CHECK_EQ(d.off, n);
        /* The buffer never holds more than one maximal record. */
        CHECK(d.buf_cap <= 2 * (TNT_RECORD_HEADER + TNT_MAX_RECORD_BODY));
        tnt_rec_free(&d);
    }
}

static void test_oversized(void)
{
    uint8_t stream[100];
    size_t n = put(stream, 22, 0x0303, 10, 1);
    /* 2^14 + 2049: one byte over the limit */
    stream[n] = 23;
    stream[n + 1] = 3;
    stream[n + 2] = 3;
    stream[n + 3] = 0x48;
    stream[n + 4] = 0x01;
    n += 5;
    n += put(stream + n, 22, 0x0303, 10, 1);
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    feed_chunks(&d, stream, n, 1, &s);
    CHECK_EQ(s.n, 1);
    CHECK_EQ(s.errors, 1);
    CHECK_STR(s.last_error, "record length exceeds 2^14+2048");
    CHECK_EQ(d.state, TNT_REC_FAILED);
    /* No resynchronisation on its own... */
    tnt_rec_feed(&d, stream, 15, &cb, &s);
    CHECK_EQ(s.n, 1);
    /* ...but a gap is a reason to look again. */
    tnt_rec_gap(&d, 100, &cb, &s);
    uint8_t more[64];
    size_t m = put(more, 22, 0x0303, 4, 9);
    m += put(more + m, 21, 0x0303, 2, 9);
    tnt_rec_feed(&d, more, m, &cb, &s);
    CHECK_EQ(s.n, 3);
    tnt_rec_free(&d);
}

static void test_bad_version_midstream(void)
{
    uint8_t stream[64];
    size_t n = put(stream, 22, 0x0303, 4, 1);
    n += put(stream + n, 22, 0x0205, 4, 1);
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    tnt_rec_feed(&d, stream, n, &cb, &s);
    CHECK_EQ(s.n, 1);
    CHECK_EQ(s.errors, 1);
    CHECK_STR(s.last_error, "record header with an invalid version");
    tnt_rec_free(&d);
}

static void test_sslv2(void)
{
    /* SSLv2 ClientHello header: 0x80 len, msg_type 1, version 3.1 */
    uint8_t stream[128];
    size_t n = 0;
    uint8_t v2[] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
    memcpy(stream, v2, sizeof v2);
    memset(stream + sizeof v2, 0xaa, 0x2e - 9);
    n = 2 + 0x2e;
    n += put(stream + n, 22, 0x0301, 4, 0x10);
    for (size_t chunk = 1; chunk <= n; chunk++) {
        seen s = {0};
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        feed_chunks(&d, stream, n, chunk, &s);
        CHECK_EQ(s.n, 2);
        CHECK(s.sslv2[0]);
        CHECK_EQ(s.type[0], 1);
        CHECK_EQ(s.version[0], 0x0301);
        CHECK_EQ(s.length[0], 0x2e);
        CHECK(!s.sslv2[1]);
        CHECK_EQ(s.off[1], 2 + 0x2e);
        tnt_rec_free(&d);
    }
    /* An SSLv2 server-hello cut after 5 bytes: its version is at offsets
     * 5-6, so the decoder must wait instead of calling it not SSLv2. */
    {
        const uint8_t sh[] = {0x80, 0x07, 0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00};
        for (size_t cut = 1; cut < sizeof sh; cut++) {
            seen s2 = {0};
            tnt_rec_decoder d2;
            tnt_rec_init(&d2);
            tnt_rec_feed(&d2, sh, cut, &cb, &s2);
            tnt_rec_feed(&d2, sh + cut, sizeof sh - cut, &cb, &s2);
            CHECK_EQ(s2.n, 1);
            CHECK(s2.sslv2[0]);
            CHECK_EQ(s2.type[0], 4);
            CHECK_EQ(s2.length[0], 7);
            tnt_rec_free(&d2);
        }
    }
    /* Only at the start of a stream. */
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    uint8_t later[128];
    size_t m = put(later, 22, 0x0301, 4, 0x10);
    memcpy(later + m, stream, 2 + 0x2e);
    tnt_rec_feed(&d, later, m + 2 + 0x2e, &cb, &s);
    CHECK_EQ(s.n, 1);
    CHECK_EQ(s.errors, 1);
    tnt_rec_free(&d);
}

static void test_starttls_prefix(void)
{
    /* A plaintext preamble, then a handshake record holding a ClientHello
     * header whose length fits: found without waiting for more data. */
    uint8_t stream[256];
    const char *pre = "STARTTLS\r\n";
    size_t n = strlen(pre);
    memcpy(stream, pre, n);
    size_t r = put(stream + n, 22, 0x0301, 40, 0);
    stream[n + 5] = 1;
    stream[n + 6] = 0;
    stream[n + 7] = 0;
    stream[n + 8] = 36;
    n += r;
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    tnt_rec_feed(&d, stream, n, &cb, &s);
    CHECK_EQ(s.n, 1);
    CHECK_EQ(s.off[0], strlen(pre));
    CHECK_EQ(s.skips, 1);
    CHECK_EQ(s.skipped_bytes, strlen(pre));
    tnt_rec_free(&d);
}

static void test_gap_resync(void)
{
    /* After a gap the decoder lands in the middle of an application data
     * record; it must skip its tail and find the next two records. */
    static uint8_t stream[4000];
    size_t n = 0;
    n += put(stream + n, 23, 0x0303, 1000, 0x17); /* tail of this survives */
    size_t second = n;
    n += put(stream + n, 23, 0x0303, 500, 0x33);
    n += put(stream + n, 21, 0x0303, 26, 0x44);
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    uint8_t hello[16];
    size_t h = put(hello, 22, 0x0303, 4, 0);
    tnt_rec_feed(&d, hello, h, &cb, &s);
    CHECK_EQ(s.n, 1);
    tnt_rec_gap(&d, 600, &cb, &s);
    /* deliver from the middle of the first record, one byte at a time */
    feed_chunks(&d, stream + 600, n - 600, 1, &s);
    CHECK_EQ(s.n, 3);
    CHECK_EQ(s.type[1], 23);
    CHECK_EQ(s.length[1], 500);
    CHECK_EQ(s.off[1], h + 600 + (second - 600));
    CHECK_EQ(s.type[2], 21);
    CHECK_EQ(s.skipped_bytes, second - 600);
    tnt_rec_free(&d);
}

static void test_gap_partial_next_header(void)
{
    /* After a gap, a whole record followed by only part of the next header
     * (nDPI tls-appdata.pcap, frame 37): wait for the header, do not skip. */
    static uint8_t stream[9000];
    size_t n = put(stream, 23, 0x0303, 7253, 0x11);
    n += put(stream + n, 23, 0x0303, 100, 0x22);
    seen s = {0};
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    uint8_t hello[16];
    size_t h = put(hello, 22, 0x0303, 4, 0);
    tnt_rec_feed(&d, hello, h, &cb, &s);
    tnt_rec_gap(&d, 5000, &cb, &s);
    tnt_rec_feed(&d, stream, 7258 + 2, &cb, &s);
    tnt_rec_feed(&d, stream + 7260, n - 7260, &cb, &s);
    CHECK_EQ(s.n, 3);
    CHECK_EQ(s.length[1], 7253);
    CHECK_EQ(s.length[2], 100);
    CHECK_EQ(s.skipped_bytes, 0);
    tnt_rec_free(&d);
}

static void test_not_tls(void)
{
    /* 2 MB of HTTP-like text never yields a record and stays bounded. */
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    seen s = {0};
    static uint8_t text[65536];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (uint8_t)("GET / HTTP/1.1\r\nHost: example\r\n\r\n"[i % 34]);
    for (int i = 0; i < 32; i++)
        tnt_rec_feed(&d, text, sizeof text, &cb, &s);
    CHECK_EQ(s.n, 0);
    CHECK_EQ(d.state, TNT_REC_FAILED);
    CHECK(d.buf_cap <= 4 * (TNT_RECORD_HEADER + TNT_MAX_RECORD_BODY));
    tnt_rec_free(&d);
}

static void test_random_fuzz(void)
{
    /* Random bytes in random chunks: never crashes, offsets stay consistent. */
    srand(1234);
    static uint8_t buf[50000];
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (uint8_t)rand();
        if (round % 2)
            put(buf, 22, 0x0303, 100, 1);
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        seen s = {0};
        size_t i = 0;
        uint64_t gaps = 0;
        bool consistent = true;
        while (i < sizeof buf) {
            size_t c = 1 + (size_t)rand() % 3000;
            if (c > sizeof buf - i)
                c = sizeof buf - i;
            tnt_rec_feed(&d, buf + i, c, &cb, &s);
            i += c;
            if (rand() % 10 == 0) {
                uint64_t g = (uint64_t)(rand() % 5000);
                tnt_rec_gap(&d, g, &cb, &s);
                gaps += g;
            }
            /* Every byte is accounted for: consumed, or waiting in the buffer. */
            if (d.off + d.buf_len != i + gaps)
                consistent = false;
        }
        CHECK(consistent);
        if (round % 2)
            CHECK(s.n >= 1 && s.off[0] == 0 && s.length[0] == 100);
        tnt_rec_finish(&d, &cb, &s);
        CHECK_EQ(d.off, sizeof buf + gaps);
        tnt_rec_free(&d);
    }
}

/* need_body: the receiver declines application data bodies. */
typedef struct skipper {
    seen s;
    int asked, stepped;
    bool tail_ok;
    const uint8_t *stream;
} skipper;

static void rec_skip(void *u, const tnt_record *r)
{
    skipper *k = u;
    rec(&k->s, r);
    if (!r->body) {
        k->stepped++;
        if (r->type != 23 || r->raw[0] != 23)
            k->tail_ok = false;
    }
    uint32_t want = r->length < TNT_REC_TAIL ? r->length : TNT_REC_TAIL;
    const uint8_t *end = k->stream + r->stream_off + r->header_len + r->length;
    if (r->tail_len != want || memcmp(r->tail, end - want, want) != 0)
        k->tail_ok = false;
}

static bool decline_app(void *u, uint8_t type, uint16_t version, uint32_t length)
{
    (void)version;
    (void)length;
    skipper *k = u;
    k->asked++;
    return type != 23;
}

static void skipped_k(void *u, uint64_t off, uint64_t n, const char *why)
{
    skipped(&((skipper *)u)->s, off, n, why);
}

static void error_k(void *u, uint64_t off, const char *what)
{
    error(&((skipper *)u)->s, off, what);
}

static const tnt_rec_callbacks skip_cb = {rec_skip, skipped_k, error_k, decline_app};

static void test_step_over_bodies(void)
{
    /* Records split across pieces whose bodies the receiver declines come
     * out the same, at the same offsets, with their last bytes, and are
     * never buffered: the buffer stays at the size of the records read. */
    static uint8_t stream[60000];
    size_t n = 0;
    n += put(stream + n, 22, 0x0303, 100, 1);
    size_t app1 = n;
    n += put(stream + n, 23, 0x0303, 16384 + 2048, 0);
    for (size_t i = 0; i < 16384 + 2048; i++)
        stream[app1 + 5 + i] = (uint8_t)(i * 7 + i / 251);
    n += put(stream + n, 23, 0x0303, 40, 9); /* shorter than the tail kept */
    n += put(stream + n, 21, 0x0303, 2, 4);
    size_t app2 = n;
    n += put(stream + n, 23, 0x0303, 9000, 0);
    for (size_t i = 0; i < 9000; i++)
        stream[app2 + 5 + i] = (uint8_t)(i ^ (i >> 8));
    n += put(stream + n, 22, 0x0303, 300, 2);
    size_t chunks[] = {1, 3, 5, 6, 64, 1460, 16389, sizeof(stream)};
    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        skipper k = {.tail_ok = true, .stream = stream};
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        for (size_t i = 0; i < n; i += chunks[c])
            tnt_rec_feed(&d, stream + i, (n - i) < chunks[c] ? n - i : chunks[c], &skip_cb, &k);
        tnt_rec_finish(&d, &skip_cb, &k);
        CHECK_EQ(k.s.n, 6);
        CHECK_EQ(k.s.errors, 0);
        CHECK(k.tail_ok);
        CHECK_EQ(k.s.off[1], app1);
        CHECK_EQ(k.s.length[1], 18432);
        CHECK_EQ(k.s.off[4], app2);
        CHECK_EQ(k.s.type[5], 22);
        CHECK_EQ(k.s.length[5], 300);
        CHECK_EQ(k.s.first_body_byte[5], 2);
        CHECK_EQ(d.off, n);
        /* Asked at most once per record, only about split ones; a record
         * that arrived whole was not stepped over. */
        CHECK(k.asked <= 6);
        if (chunks[c] == sizeof(stream)) {
            CHECK_EQ(k.asked, 0);
            CHECK_EQ(k.stepped, 0);
        } else if (chunks[c] <= 64) {
            CHECK(k.stepped >= 2);
        }
        /* Only the handshake records (at most 305 bytes) were buffered. */
        CHECK(d.buf_cap <= 512);
        tnt_rec_free(&d);
    }

    /* A gap inside a body being stepped over: the offsets stay right and the
     * next records are found. */
    {
        skipper k = {.tail_ok = true, .stream = stream};
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        tnt_rec_feed(&d, stream, app1 + 1000, &skip_cb, &k);
        CHECK(d.skipping);
        CHECK_EQ(d.buf_len, 0);
        CHECK_EQ(tnt_rec_partial(&d), 1000); /* where the gap starts: d.off + this */
        tnt_rec_gap(&d, 5000, &skip_cb, &k);
        CHECK_EQ(tnt_rec_partial(&d), 0);
        CHECK(!d.skipping);
        CHECK_EQ(d.off, app1 + 6000);
        tnt_rec_feed(&d, stream + app1 + 6000, n - (app1 + 6000), &skip_cb, &k);
        CHECK_EQ(d.off, n);
        CHECK_EQ(k.s.type[k.s.n - 1], 22);
        CHECK_EQ(k.s.off[k.s.n - 1], n - 305);
        tnt_rec_free(&d);
    }

    /* The stream ends inside a body being stepped over: said, and counted. */
    {
        skipper k = {.tail_ok = true, .stream = stream};
        tnt_rec_decoder d;
        tnt_rec_init(&d);
        tnt_rec_feed(&d, stream, app1 + 3, &skip_cb, &k);
        tnt_rec_feed(&d, stream + app1 + 3, 700, &skip_cb, &k);
        tnt_rec_finish(&d, &skip_cb, &k);
        CHECK_EQ(k.s.n, 1);
        CHECK_EQ(k.s.errors, 1);
        CHECK_STR(k.s.last_error, "stream ends inside a record");
        CHECK_EQ(d.off, app1 + 703);
        tnt_rec_free(&d);
    }
}

int main(void)
{
    test_chunking();
    test_oversized();
    test_bad_version_midstream();
    test_sslv2();
    test_starttls_prefix();
    test_gap_resync();
    test_gap_partial_next_header();
    test_not_tls();
    test_random_fuzz();
    test_step_over_bodies();
    return check_done("test_record");
}
