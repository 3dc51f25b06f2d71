/* The hand-over between the reading thread and the analysis threads: the
 * reader appends each input, numbered, to the chunk of the thread that
 * analyses its connection (bytes copied into it); when a chunk is full, the
 * chunks of all threads are queued at once, so that a thread with an empty
 * queue has nothing before the inputs queued elsewhere. An analysis thread
 * runs the inputs of each chunk in order and gives the chunk back. Handing
 * over chunks, not inputs, keeps the locking to a few hundred times a
 * second.
 *
 * Turns: each thread publishes the number of the input it is analysing
 * (UINT64_MAX when it has nothing queued). Everything before input x has
 * been analysed once every other thread shows a number above x; the thread
 * analysing the lowest number never waits, so waiting cannot deadlock. */
#include "pipeline.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum kind { K_OPEN, K_DATA, K_GAP, K_CLOSE, K_DIAG, K_ORDER, K_PROGRESS } kind;

typedef struct worker worker;

/* Output made while analysing input pos, run once every earlier input's
 * output has run (tnt_pipeline_emit). */
typedef struct emission {
    struct emission *next;
    uint64_t pos;
    void (*fn)(void *arg);
    void *arg;
} emission;

/* What the reader returned as a connection's pointer: the analysis thread
 * fills in the inner callbacks' pointer when it runs the open, and frees
 * this after the close. The reader only reads w. */
typedef struct proxy {
    void *inner;
    worker *w;
} proxy;

typedef struct item {
    uint8_t kind;
    uint8_t dir;
    uint8_t reason;
    proxy *conn;
    uint64_t pos; /* the input's number */
    uint64_t frame;
    tnt_cap_ts ts;
    uint64_t n; /* data length, gap bytes, progress offset */
    size_t off; /* bytes in the chunk: data, tnt_conn_info, diagnostic text */
} item;

typedef struct chunk {
    struct chunk *next;
    size_t n_items;
    item items[TNT_PIPELINE_CHUNK_ITEMS];
    uint8_t *data;
    size_t len, cap;
} chunk;

struct worker {
    tnt_pipeline *p;
    chunk *cur;           /* the reader's, being filled */
    chunk *head, *tail;   /* queued (p->mu) */
    uint64_t progress;    /* atomic: the input being analysed; UINT64_MAX: none queued */
    pthread_cond_t ready; /* a chunk queued, or the end */
    pthread_t thread;
    bool started;
    emission *eh, *et; /* its output not yet run, in input order (p->emit_mu) */
};

struct tnt_pipeline {
    tnt_capture_callbacks front;
    tnt_capture_callbacks inner;
    tnt_pipeline_options opt;
    tnt_input_order order;
    uint64_t packets;
    uint64_t next_pos; /* the reader's: the number of the next input */
    unsigned next_worker;

    pthread_mutex_t mu;
    pthread_cond_t space; /* a chunk given back */
    chunk *spare;         /* given back */
    unsigned allocated;   /* chunks in existence */
    bool done;
    unsigned n;
    worker w[TNT_PIPELINE_MAX_WORKERS];
    pthread_mutex_t emit_mu; /* the workers' emission lists */
    pthread_mutex_t run_mu;  /* held while output runs: one at a time */
    uint64_t emit_pending;   /* atomic: emissions not yet run */
    bool pump_again;         /* atomic: a pump found run_mu taken */
};

static __thread worker *tl_worker;
static __thread uint64_t tl_pos;

static chunk *chunk_new(void)
{
    chunk *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = TNT_PIPELINE_CHUNK_BYTES;
    c->data = malloc(c->cap);
    if (!c->data) {
        free(c);
        return NULL;
    }
    return c;
}

static void chunk_free(chunk *c)
{
    if (c) {
        free(c->data);
        free(c);
    }
}

static uint64_t progress_of(const worker *w)
{
    return __atomic_load_n(&w->progress, __ATOMIC_ACQUIRE);
}

static bool turn_of(const tnt_pipeline *p, const worker *me, uint64_t pos)
{
    for (unsigned i = 0; i < p->n; i++)
        if (&p->w[i] != me && progress_of(&p->w[i]) <= pos)
            return false;
    return true;
}

/* Returns once every input before the one this analysis thread is on has
 * been analysed, on whichever thread (at once elsewhere). */
static void wait_turn(void)
{
    worker *me = tl_worker;
    if (!me)
        return;
    /* Waits are short (another thread finishing an input that came
     * earlier) and rare (a resumption's lookup, a pile-up of kept writes),
     * so the thread yields rather than sleeps. */
    while (!turn_of(me->p, me, tl_pos))
        sched_yield();
}

/* The first kept output, by input number, whose input comes before `safe`,
 * taken off its list; NULL when there is none. */
static emission *next_safe(tnt_pipeline *p, uint64_t safe)
{
    pthread_mutex_lock(&p->emit_mu);
    worker *best = NULL;
    for (unsigned i = 0; i < p->n; i++)
        if (p->w[i].eh && (!best || p->w[i].eh->pos < best->eh->pos))
            best = &p->w[i];
    emission *e = NULL;
    if (best && best->eh->pos < safe) {
        e = best->eh;
        best->eh = e->next;
        if (!best->eh)
            best->et = NULL;
    }
    pthread_mutex_unlock(&p->emit_mu);
    return e;
}

/* Runs (p->run_mu held), in input order, every kept output whose input
 * comes before what any thread still analyses: all output of those inputs
 * has been kept by then. */
static void drain(tnt_pipeline *p)
{
    uint64_t safe = UINT64_MAX;
    for (unsigned i = 0; i < p->n; i++) {
        uint64_t g = progress_of(&p->w[i]);
        if (g < safe)
            safe = g;
    }
    emission *e;
    while ((e = next_safe(p, safe)) != NULL) {
        e->fn(e->arg);
        free(e);
        __atomic_sub_fetch(&p->emit_pending, 1, __ATOMIC_RELEASE);
    }
}

/* Output is written by whichever thread gets here first; the others go
 * back to analysis rather than queue up behind a write (queueing put the
 * threads to sleep hundreds of times a run). A thread that finds the
 * writer busy leaves a note, and the writer looks again before it goes, so
 * output that became safe meanwhile does not wait for the next input. */
static void pump(tnt_pipeline *p)
{
    while (__atomic_load_n(&p->emit_pending, __ATOMIC_ACQUIRE) != 0) {
        if (pthread_mutex_trylock(&p->run_mu) != 0) {
            __atomic_store_n(&p->pump_again, true, __ATOMIC_SEQ_CST);
            /* The writer may have read the note just before it was left
             * and gone since: then this thread writes. */
            if (pthread_mutex_trylock(&p->run_mu) != 0)
                return;
        }
        __atomic_store_n(&p->pump_again, false, __ATOMIC_SEQ_CST);
        drain(p);
        pthread_mutex_unlock(&p->run_mu);
        if (!__atomic_load_n(&p->pump_again, __ATOMIC_SEQ_CST))
            return;
    }
}

/* Too much output waits (the writer is behind: a pipe read slowly). A
 * thread ahead of another waits until the output is written down to the
 * bound or it is the furthest behind; that one goes on, so that the
 * waiting ends. Rare, so the wait polls rather than adding a condition to
 * every write. */
static void hold_back(tnt_pipeline *p, worker *me)
{
    static const struct timespec tick = {0, 100000};
    while (__atomic_load_n(&p->emit_pending, __ATOMIC_ACQUIRE) > TNT_PIPELINE_MAX_PENDING &&
           !turn_of(p, me, tl_pos)) {
        pump(p);
        nanosleep(&tick, NULL);
    }
    pthread_mutex_lock(&p->run_mu);
    drain(p);
    pthread_mutex_unlock(&p->run_mu);
}

void tnt_pipeline_emit(void (*fn)(void *arg), void *arg)
{
    worker *me = tl_worker;
    emission *e = me ? malloc(sizeof *e) : NULL;
    if (!e) {
        if (!me) {
            fn(arg);
            return;
        }
        /* No memory to keep it: wait for the turn instead. */
        wait_turn();
        pthread_mutex_lock(&me->p->run_mu);
        drain(me->p);
        fn(arg);
        pthread_mutex_unlock(&me->p->run_mu);
        return;
    }
    *e = (emission){NULL, tl_pos, fn, arg};
    tnt_pipeline *p = me->p;
    pthread_mutex_lock(&p->emit_mu);
    if (me->et)
        me->et->next = e;
    else
        me->eh = e;
    me->et = e;
    uint64_t pending = __atomic_add_fetch(&p->emit_pending, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&p->emit_mu);
    if (pending > TNT_PIPELINE_MAX_PENDING)
        hold_back(p, me);
}

bool tnt_pipeline_on_worker(void)
{
    return tl_worker != NULL;
}

static uint64_t order_position(void *user)
{
    (void)user;
    return tl_pos;
}

static void order_wait(void *user)
{
    (void)user;
    wait_turn();
}

static bool order_is_turn(void *user)
{
    (void)user;
    return !tl_worker || turn_of(tl_worker->p, tl_worker, tl_pos);
}

static void run_item(tnt_pipeline *p, const chunk *c, const item *it)
{
    const tnt_capture_callbacks *cb = &p->inner;
    switch ((kind)it->kind) {
    case K_OPEN: {
        tnt_conn_info info;
        memcpy(&info, c->data + it->off, sizeof info);
        it->conn->inner = cb->on_conn_open ? cb->on_conn_open(cb->user, &info) : NULL;
        break;
    }
    case K_DATA:
        if (cb->on_data)
            cb->on_data(it->conn->inner, it->dir, c->data + it->off, (size_t)it->n, it->frame,
                        it->ts);
        break;
    case K_GAP:
        if (cb->on_gap)
            cb->on_gap(it->conn->inner, it->dir, it->n, it->frame, it->ts);
        break;
    case K_CLOSE:
        if (cb->on_conn_close)
            cb->on_conn_close(it->conn->inner, (tnt_close_reason)it->reason, it->frame, it->ts);
        free(it->conn);
        break;
    case K_DIAG:
        if (cb->on_diag)
            cb->on_diag(cb->user, it->frame, (const char *)c->data + it->off);
        break;
    case K_ORDER:
        if (cb->on_order_unknown)
            cb->on_order_unknown(it->conn->inner, it->frame);
        break;
    case K_PROGRESS:
        if (p->opt.progress)
            p->opt.progress(cb->user, it->n);
        break;
    }
}

static void *analyse(void *arg)
{
    worker *w = arg;
    tnt_pipeline *p = w->p;
    tl_worker = w;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!w->head && !p->done) {
            __atomic_store_n(&w->progress, UINT64_MAX, __ATOMIC_RELEASE);
            /* Idle: what waited for this thread may run now. */
            pthread_mutex_unlock(&p->mu);
            pump(p);
            pthread_mutex_lock(&p->mu);
            if (w->head || p->done)
                break;
            pthread_cond_wait(&w->ready, &p->mu);
        }
        chunk *c = w->head;
        if (!c)
            break;
        w->head = c->next;
        if (!w->head)
            w->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < c->n_items; i++) {
            tl_pos = c->items[i].pos;
            __atomic_store_n(&w->progress, tl_pos, __ATOMIC_RELEASE);
            run_item(p, c, &c->items[i]);
            pump(p);
        }
        c->n_items = 0;
        c->len = 0;
        /* One oversized delivery must not keep its memory for the run. */
        if (c->cap > TNT_PIPELINE_CHUNK_BYTES) {
            uint8_t *d = realloc(c->data, TNT_PIPELINE_CHUNK_BYTES);
            if (d) {
                c->data = d;
                c->cap = TNT_PIPELINE_CHUNK_BYTES;
            }
        }
        pthread_mutex_lock(&p->mu);
        c->next = p->spare;
        p->spare = c;
        pthread_cond_signal(&p->space);
    }
    __atomic_store_n(&w->progress, UINT64_MAX, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&p->mu);
    if (p->opt.thread_end)
        p->opt.thread_end(p->inner.user);
    tl_worker = NULL;
    return NULL;
}

/* Queues every thread's non-empty chunk (p->mu held). A thread that had
 * nothing queued shows its first input's number from now on, before any
 * other thread can see a later input. */
static void queue_all(tnt_pipeline *p)
{
    for (unsigned i = 0; i < p->n; i++) {
        worker *w = &p->w[i];
        chunk *c = w->cur;
        if (!c || c->n_items == 0)
            continue;
        c->next = NULL;
        if (w->tail)
            w->tail->next = c;
        else
            w->head = c;
        w->tail = c;
        w->cur = NULL;
        if (progress_of(w) == UINT64_MAX)
            __atomic_store_n(&w->progress, c->items[0].pos, __ATOMIC_RELEASE);
        pthread_cond_signal(&w->ready);
    }
}

/* Gives w an empty chunk, queueing everything first when flush is set or
 * no chunk is left; NULL only when out of memory with no chunk to wait
 * for. */
static chunk *take_chunk(tnt_pipeline *p, worker *w, bool flush)
{
    pthread_mutex_lock(&p->mu);
    if (flush)
        queue_all(p);
    while (!w->cur) {
        if (p->spare) {
            w->cur = p->spare;
            p->spare = w->cur->next;
        } else if (p->allocated < TNT_PIPELINE_MAX_CHUNKS * p->n &&
                   (w->cur = chunk_new()) != NULL) {
            p->allocated++;
        } else if (p->allocated > 0) {
            /* Chunks of other threads being filled are not coming back:
             * queue them so that the wait ends. */
            queue_all(p);
            if (!w->cur)
                pthread_cond_wait(&p->space, &p->mu);
        } else {
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
    return w->cur;
}

/* An input for w with room for `bytes` bytes; NULL when memory ran out
 * (the callback is then lost: a connection's pointer the analysis never
 * sees is the same as an open that failed). */
static item *add(tnt_pipeline *p, worker *w, kind k, size_t bytes)
{
    chunk *c = w->cur;
    if (c &&
        (c->n_items == TNT_PIPELINE_CHUNK_ITEMS || (c->len + bytes > c->cap && c->n_items > 0)))
        c = take_chunk(p, w, true);
    else if (!c)
        c = take_chunk(p, w, false);
    if (!c)
        return NULL;
    if (c->len + bytes > c->cap) {
        uint8_t *d = realloc(c->data, c->len + bytes);
        if (!d)
            return NULL;
        c->data = d;
        c->cap = c->len + bytes;
    }
    item *it = &c->items[c->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)k;
    it->pos = p->next_pos++;
    it->off = c->len;
    c->len += bytes;
    return it;
}

/* An input of connection x, with the fields every such input has. */
static item *conn_item(proxy *x, kind k, size_t bytes, int dir, uint64_t frame, tnt_cap_ts ts)
{
    item *it = add(x->w->p, x->w, k, bytes);
    if (it) {
        it->conn = x;
        it->dir = (uint8_t)dir;
        it->frame = frame;
        it->ts = ts;
    }
    return it;
}

static void *front_open(void *user, const tnt_conn_info *info)
{
    tnt_pipeline *p = user;
    proxy *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->w = &p->w[p->next_worker];
    p->next_worker = (p->next_worker + 1) % p->n;
    item *it = add(p, x->w, K_OPEN, sizeof *info);
    if (!it) {
        free(x);
        return NULL;
    }
    it->conn = x;
    memcpy(x->w->cur->data + it->off, info, sizeof *info);
    return x;
}

static void front_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = conn_item(x, K_GAP, 0, dir, frame, ts);
    if (it)
        it->n = bytes;
}

static void front_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                       tnt_cap_ts ts)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = conn_item(x, K_DATA, len, dir, frame, ts);
    if (!it) {
        /* No memory for the copy: the analysis is told the bytes are
         * missing rather than not told at all. */
        front_gap(conn, dir, len, frame, ts);
        return;
    }
    it->n = len;
    memcpy(x->w->cur->data + it->off, data, len);
}

static void front_close(void *conn, tnt_close_reason reason, uint64_t last_frame,
                        tnt_cap_ts last_ts)
{
    proxy *x = conn;
    if (!x)
        return;
    /* No bytes: always has room. */
    item *it = conn_item(x, K_CLOSE, 0, 0, last_frame, last_ts);
    if (it)
        it->reason = (uint8_t)reason;
}

static void front_diag(void *user, uint64_t frame, const char *text)
{
    tnt_pipeline *p = user;
    size_t n = strlen(text) + 1;
    item *it = add(p, &p->w[0], K_DIAG, n);
    if (!it)
        return;
    it->frame = frame;
    memcpy(p->w[0].cur->data + it->off, text, n);
}

static void front_order(void *conn, uint64_t frame)
{
    proxy *x = conn;
    if (!x)
        return;
    conn_item(x, K_ORDER, 0, 0, frame, (tnt_cap_ts){0, 0});
}

static void front_packet(void *user, uint64_t frame, tnt_cap_ts ts, int dlt, const uint8_t *data,
                         size_t caplen, size_t wirelen)
{
    (void)frame;
    (void)ts;
    (void)dlt;
    (void)data;
    (void)caplen;
    (void)wirelen;
    tnt_pipeline *p = user;
    if (++p->packets % p->opt.every != 0)
        return;
    item *it = add(p, &p->w[0], K_PROGRESS, 0);
    if (it)
        it->n = p->opt.cap ? tnt_capture_offset(p->opt.cap) : 0;
}

static void stop_workers(tnt_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    queue_all(p);
    p->done = true;
    for (unsigned i = 0; i < p->n; i++)
        pthread_cond_signal(&p->w[i].ready);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n; i++)
        if (p->w[i].started)
            pthread_join(p->w[i].thread, NULL);
}

static void free_pipeline(tnt_pipeline *p)
{
    /* Every thread has ended: what is kept runs now, in order. */
    pump(p);
    pthread_mutex_destroy(&p->emit_mu);
    pthread_mutex_destroy(&p->run_mu);
    for (unsigned i = 0; i < p->n; i++) {
        chunk_free(p->w[i].cur);
        pthread_cond_destroy(&p->w[i].ready);
    }
    while (p->spare) {
        chunk *c = p->spare;
        p->spare = c->next;
        chunk_free(c);
    }
    pthread_cond_destroy(&p->space);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

tnt_pipeline *tnt_pipeline_start(const tnt_capture_callbacks *inner,
                                 const tnt_pipeline_options *opt)
{
    if (opt->workers == 0 || opt->workers > TNT_PIPELINE_MAX_WORKERS)
        return NULL;
    tnt_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->inner = *inner;
    p->opt = *opt;
    if (!p->opt.every)
        p->opt.every = 1;
    p->n = opt->workers;
    p->next_pos = 1;
    p->order = (tnt_input_order){p, order_position, order_wait, order_is_turn};
    p->front = (tnt_capture_callbacks){.user = p,
                                       .on_conn_open = front_open,
                                       .on_data = front_data,
                                       .on_gap = front_gap,
                                       .on_conn_close = front_close,
                                       .on_diag = front_diag,
                                       .on_packet = opt->progress ? front_packet : NULL,
                                       .on_segment = NULL,
                                       .on_order_unknown = front_order};
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->emit_mu, NULL);
    pthread_mutex_init(&p->run_mu, NULL);
    pthread_cond_init(&p->space, NULL);
    for (unsigned i = 0; i < p->n; i++) {
        p->w[i].p = p;
        p->w[i].progress = UINT64_MAX;
        pthread_cond_init(&p->w[i].ready, NULL);
    }
    for (unsigned i = 0; i < p->n; i++) {
        if (pthread_create(&p->w[i].thread, NULL, analyse, &p->w[i]) != 0) {
            stop_workers(p);
            free_pipeline(p);
            return NULL;
        }
        p->w[i].started = true;
    }
    return p;
}

const tnt_capture_callbacks *tnt_pipeline_front(tnt_pipeline *p)
{
    return &p->front;
}

const tnt_input_order *tnt_pipeline_order(tnt_pipeline *p)
{
    return &p->order;
}

void tnt_pipeline_finish(tnt_pipeline *p)
{
    if (!p)
        return;
    stop_workers(p);
    free_pipeline(p);
}
