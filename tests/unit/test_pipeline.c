/* capture/pipeline.c: the reading thread's callbacks run on analysis
 * threads in input order per connection, output handed to
 * tnt_pipeline_emit comes out in input order whatever thread finishes
 * first, and the bytes in flight are bounded (docs/robustness.md, "Limits":
 * TNT_PIPELINE_MAX_CHUNKS chunks of TNT_PIPELINE_CHUNK_BYTES per analysis
 * thread; a larger delivery gets a chunk of its own size). */
#include "check.h"

#include "pipeline.c"

#include <sys/resource.h>
#include <time.h>

#define CONNS 4

/* pcap_input.c is not linked: progress offsets are not used here. */
uint64_t tnt_capture_offset(const tnt_capture *cap)
{
    (void)cap;
    return 0;
}

typedef struct conn_state {
    int id;
    uint64_t bytes;
    uint32_t sum; /* of the bytes, in order */
    bool closed;
} conn_state;

typedef struct run {
    conn_state conns[CONNS];
    int slow_conn;      /* its first data callback sleeps */
    uint64_t sleep_ms;  /* how long */
    pthread_mutex_t mu; /* the order of emitted output */
    int order[64];
    int n_order;
} run;

static run R;

static void nap(uint64_t ms)
{
    struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void *on_open(void *user, const tnt_conn_info *info)
{
    (void)user;
    conn_state *c = &R.conns[info->id - 1];
    c->id = (int)info->id;
    return c;
}

static void on_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                    tnt_cap_ts ts)
{
    (void)dir;
    (void)frame;
    (void)ts;
    conn_state *c = conn;
    if (c->id == R.slow_conn && c->bytes == 0)
        nap(R.sleep_ms);
    for (size_t i = 0; i < len; i++)
        c->sum = c->sum * 31 + data[i];
    c->bytes += len;
}

static void write_close(void *arg)
{
    /* Emitted output runs one at a time: the lock only satisfies checkers. */
    pthread_mutex_lock(&R.mu);
    if (R.n_order < 64)
        R.order[R.n_order++] = (int)(intptr_t)arg;
    pthread_mutex_unlock(&R.mu);
}

static void on_close(void *conn, tnt_close_reason reason, uint64_t frame, tnt_cap_ts ts)
{
    (void)reason;
    (void)frame;
    (void)ts;
    conn_state *c = conn;
    c->closed = true;
    tnt_pipeline_emit(write_close, (void *)(intptr_t)c->id);
}

static const tnt_capture_callbacks inner = {NULL, on_open, on_data, NULL, on_close,
                                            NULL, NULL,    NULL,    NULL};

static uint32_t expected_sum(int id, uint64_t total, size_t piece)
{
    uint32_t sum = 0;
    for (uint64_t off = 0; off < total; off += piece)
        for (size_t i = 0; i < piece && off + i < total; i++)
            sum = sum * 31 + (uint8_t)(id * 7 + (off + i) % 251);
    return sum;
}

static long max_rss_kib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* CONNS connections, their data interleaved in pieces, on `workers`
 * threads; connection 1 is slow at first, so later connections finish on
 * other threads first. */
static void feed(unsigned workers, uint64_t per_conn, size_t piece)
{
    memset(&R.conns, 0, sizeof R.conns);
    R.n_order = 0;
    tnt_pipeline_options po = {workers, NULL, 0, NULL, NULL};
    tnt_pipeline *p = tnt_pipeline_start(&inner, &po);
    CHECK(p != NULL);
    if (!p)
        return;
    const tnt_capture_callbacks *f = tnt_pipeline_front(p);
    void *h[CONNS];
    for (int i = 0; i < CONNS; i++) {
        tnt_conn_info info = {.id = (uint32_t)i + 1, .family = 4};
        h[i] = f->on_conn_open(f->user, &info);
    }
    uint8_t *buf = malloc(piece);
    for (uint64_t off = 0; off < per_conn; off += piece) {
        size_t n = per_conn - off < piece ? (size_t)(per_conn - off) : piece;
        for (int i = 0; i < CONNS; i++) {
            for (size_t k = 0; k < n; k++)
                buf[k] = (uint8_t)((i + 1) * 7 + (off + k) % 251);
            f->on_data(h[i], 0, buf, n, 1, (tnt_cap_ts){0, 0});
        }
    }
    free(buf);
    for (int i = 0; i < CONNS; i++)
        f->on_conn_close(h[i], TNT_CLOSE_FIN, 1, (tnt_cap_ts){0, 0});
    tnt_pipeline_finish(p);
    for (int i = 0; i < CONNS; i++) {
        CHECK(R.conns[i].closed);
        CHECK_EQ(R.conns[i].bytes, per_conn);
        CHECK_EQ(R.conns[i].sum, expected_sum(i + 1, per_conn, piece));
    }
    /* Output in input order: the closes were made 1, 2, 3, 4. */
    CHECK_EQ(R.n_order, CONNS);
    for (int i = 0; i < R.n_order; i++)
        CHECK_EQ(R.order[i], i + 1);
}

/* 256 MiB through 2 threads whose first one sleeps 300 ms: without the
 * bound the reader would copy it all meanwhile; with it, at most 8 chunks
 * of 256 KiB per thread wait. */
static void test_memory_bound(void)
{
    R.slow_conn = 1;
    R.sleep_ms = 300;
    long before = max_rss_kib();
    feed(2, 64u << 20, 1448);
    long grown = max_rss_kib() - before;
#ifndef __SANITIZE_THREAD__ /* ThreadSanitizer's own memory grows with the work */
    CHECK(grown < 16 * 1024);
#endif
    fprintf(stderr, "test_pipeline: 256 MiB through 2 threads, peak RSS +%ld KiB\n", grown);
}

static void test_order(void)
{
    R.slow_conn = 1;
    R.sleep_ms = 50;
    for (unsigned w = 1; w <= 5; w++)
        feed(w, 100000, 1448);
}

/* A delivery larger than a chunk (3 MiB) gets a chunk of its own size and
 * arrives whole. */
static void test_oversized(void)
{
    R.slow_conn = 0;
    feed(2, 3u << 20, 3u << 20);
}

/* A slow writer (a pipe read slowly): the analysis threads wait for it
 * instead of piling up output. Without the bound all 6,000 would wait at
 * once. */
static uint64_t emitted, written, most_waiting;

static void slow_write(void *arg)
{
    (void)arg;
    uint64_t w = __atomic_add_fetch(&written, 1, __ATOMIC_SEQ_CST);
    if (w % 4 == 0)
        nap(1);
}

static void *open_any(void *user, const tnt_conn_info *info)
{
    (void)user;
    return (void *)(uintptr_t)info->id;
}

static void close_any(void *conn, tnt_close_reason reason, uint64_t frame, tnt_cap_ts ts)
{
    (void)conn;
    (void)reason;
    (void)frame;
    (void)ts;
    tnt_pipeline_emit(slow_write, NULL);
    /* Counted once handed over (the pipeline holds it or has written it), so
     * that "waiting" is what the pipeline holds. Another thread's output can
     * be written before its emit returns: hence the guard. */
    uint64_t e = __atomic_add_fetch(&emitted, 1, __ATOMIC_SEQ_CST);
    uint64_t w = __atomic_load_n(&written, __ATOMIC_SEQ_CST);
    uint64_t waiting = e > w ? e - w : 0;
    uint64_t most = __atomic_load_n(&most_waiting, __ATOMIC_SEQ_CST);
    while (waiting > most && !__atomic_compare_exchange_n(&most_waiting, &most, waiting, false,
                                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
}

static void test_slow_writer(void)
{
    static const tnt_capture_callbacks cbs = {NULL, open_any, NULL, NULL, close_any,
                                              NULL, NULL,     NULL, NULL};
    tnt_pipeline_options po = {3, NULL, 0, NULL, NULL};
    tnt_pipeline *p = tnt_pipeline_start(&cbs, &po);
    CHECK(p != NULL);
    if (!p)
        return;
    const tnt_capture_callbacks *f = tnt_pipeline_front(p);
    for (uint32_t i = 1; i <= 6000; i++) {
        tnt_conn_info info = {.id = i, .family = 4};
        void *h = f->on_conn_open(f->user, &info);
        f->on_conn_close(h, TNT_CLOSE_FIN, 1, (tnt_cap_ts){0, 0});
    }
    tnt_pipeline_finish(p);
    CHECK_EQ(written, 6000);
    /* The bound, plus the one each of the 3 threads adds before it sees the
     * bound passed. */
    CHECK(most_waiting <= TNT_PIPELINE_MAX_PENDING + 3);
    CHECK(most_waiting >= TNT_PIPELINE_MAX_PENDING / 2);
    fprintf(stderr, "test_pipeline: slow writer, at most %llu outputs waiting\n",
            (unsigned long long)most_waiting);
}

int main(void)
{
    pthread_mutex_init(&R.mu, NULL);
    test_memory_bound(); /* first: later tests raise the peak it compares */
    test_order();
    test_oversized();
    test_slow_writer();
    return check_done("test_pipeline");
}
