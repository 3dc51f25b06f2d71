/* The hand-over between the reading thread and the analysis thread: the
 * reader appends callbacks to a chunk (their bytes copied into it) and
 * queues the chunk when it is full; the analysis thread makes the callbacks
 * of each chunk in order and gives the chunk back for reuse. Handing over a
 * chunk, not a callback, keeps the locking to a few hundred times a second. */
#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef enum kind { K_OPEN, K_DATA, K_GAP, K_CLOSE, K_DIAG, K_ORDER, K_PROGRESS } kind;

/* What the reader returned as a connection's pointer: the analysis thread
 * fills in the inner callbacks' pointer when it runs the open, and frees
 * this after the close. The reader never reads it. */
typedef struct proxy {
    void *inner;            /* written and read by the analysis thread only */
    struct tnt_pipeline *p; /* set by the reader before the open is queued */
} proxy;

typedef struct item {
    uint8_t kind;
    uint8_t dir;
    uint8_t reason;
    proxy *conn;
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

struct tnt_pipeline {
    tnt_capture_callbacks front;
    tnt_capture_callbacks inner;
    tnt_capture *cap;
    tnt_pipeline_progress_fn progress;
    uint64_t every, packets;

    chunk *cur; /* the reader's, being filled */
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a chunk queued, or the end */
    pthread_cond_t space; /* a chunk given back */
    chunk *head, *tail;   /* queued */
    chunk *spare;         /* given back */
    unsigned allocated;   /* chunks in existence */
    bool done;
    pthread_t thread;
};

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
        if (p->progress)
            p->progress(cb->user, it->n);
        break;
    }
}

static void *analyse(void *arg)
{
    tnt_pipeline *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->head && !p->done)
            pthread_cond_wait(&p->ready, &p->mu);
        chunk *c = p->head;
        if (c) {
            p->head = c->next;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->mu);
        if (!c)
            return NULL;
        for (size_t i = 0; i < c->n_items; i++)
            run_item(p, c, &c->items[i]);
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
        pthread_mutex_unlock(&p->mu);
    }
}

/* Queues the reader's chunk and takes an empty one (NULL only when out of
 * memory with no chunk to wait for). */
static void hand_over(tnt_pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->cur && p->cur->n_items) {
        p->cur->next = NULL;
        if (p->tail)
            p->tail->next = p->cur;
        else
            p->head = p->cur;
        p->tail = p->cur;
        p->cur = NULL;
        pthread_cond_signal(&p->ready);
    }
    while (!p->cur) {
        if (p->spare) {
            p->cur = p->spare;
            p->spare = p->cur->next;
        } else if (p->allocated < TNT_PIPELINE_MAX_CHUNKS && (p->cur = chunk_new()) != NULL) {
            p->allocated++;
        } else if (p->allocated > 0) {
            pthread_cond_wait(&p->space, &p->mu);
        } else {
            break;
        }
    }
    pthread_mutex_unlock(&p->mu);
}

/* An item with room for `bytes` bytes in the reader's chunk; NULL when
 * memory ran out (the callback is then lost: a connection's pointer the
 * analysis never sees is the same as an open that failed). */
static item *add(tnt_pipeline *p, kind k, size_t bytes)
{
    chunk *c = p->cur;
    if (c &&
        (c->n_items == TNT_PIPELINE_CHUNK_ITEMS || (c->len + bytes > c->cap && c->n_items > 0))) {
        hand_over(p);
        c = p->cur;
    }
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
    it->off = c->len;
    c->len += bytes;
    return it;
}

static void *front_open(void *user, const tnt_conn_info *info)
{
    tnt_pipeline *p = user;
    proxy *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->p = p;
    item *it = add(p, K_OPEN, sizeof *info);
    if (!it) {
        free(x);
        return NULL;
    }
    it->conn = x;
    memcpy(p->cur->data + it->off, info, sizeof *info);
    return x;
}

static void front_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = add(x->p, K_GAP, 0);
    if (!it)
        return;
    it->conn = x;
    it->dir = (uint8_t)dir;
    it->frame = frame;
    it->ts = ts;
    it->n = bytes;
}

static void front_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                       tnt_cap_ts ts)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = add(x->p, K_DATA, len);
    if (!it) {
        /* No memory for the copy: the analysis is told the bytes are
         * missing rather than not told at all. */
        front_gap(conn, dir, len, frame, ts);
        return;
    }
    it->conn = x;
    it->dir = (uint8_t)dir;
    it->frame = frame;
    it->ts = ts;
    it->n = len;
    memcpy(x->p->cur->data + it->off, data, len);
}

static void front_close(void *conn, tnt_close_reason reason, uint64_t last_frame,
                        tnt_cap_ts last_ts)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = add(x->p, K_CLOSE, 0); /* no bytes: always has room */
    if (!it)
        return;
    it->conn = x;
    it->reason = (uint8_t)reason;
    it->frame = last_frame;
    it->ts = last_ts;
}

static void front_diag(void *user, uint64_t frame, const char *text)
{
    tnt_pipeline *p = user;
    size_t n = strlen(text) + 1;
    item *it = add(p, K_DIAG, n);
    if (!it)
        return;
    it->frame = frame;
    memcpy(p->cur->data + it->off, text, n);
}

static void front_order(void *conn, uint64_t frame)
{
    proxy *x = conn;
    if (!x)
        return;
    item *it = add(x->p, K_ORDER, 0);
    if (!it)
        return;
    it->conn = x;
    it->frame = frame;
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
    if (++p->packets % p->every != 0)
        return;
    item *it = add(p, K_PROGRESS, 0);
    if (it)
        it->n = p->cap ? tnt_capture_offset(p->cap) : 0;
}

tnt_pipeline *tnt_pipeline_start(const tnt_capture_callbacks *inner, tnt_capture *cap,
                                 tnt_pipeline_progress_fn progress, uint64_t every)
{
    tnt_pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->inner = *inner;
    p->cap = cap;
    p->progress = progress;
    p->every = every ? every : 1;
    p->front = (tnt_capture_callbacks){.user = p,
                                       .on_conn_open = front_open,
                                       .on_data = front_data,
                                       .on_gap = front_gap,
                                       .on_conn_close = front_close,
                                       .on_diag = front_diag,
                                       .on_packet = progress ? front_packet : NULL,
                                       .on_segment = NULL,
                                       .on_order_unknown = front_order};
    p->cur = chunk_new();
    if (!p->cur) {
        free(p);
        return NULL;
    }
    p->allocated = 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->space, NULL);
    if (pthread_create(&p->thread, NULL, analyse, p) != 0) {
        pthread_cond_destroy(&p->space);
        pthread_cond_destroy(&p->ready);
        pthread_mutex_destroy(&p->mu);
        chunk_free(p->cur);
        free(p);
        return NULL;
    }
    return p;
}

const tnt_capture_callbacks *tnt_pipeline_front(tnt_pipeline *p)
{
    return &p->front;
}

void tnt_pipeline_finish(tnt_pipeline *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    if (p->cur && p->cur->n_items) {
        p->cur->next = NULL;
        if (p->tail)
            p->tail->next = p->cur;
        else
            p->head = p->cur;
        p->tail = p->cur;
        p->cur = NULL;
    }
    p->done = true;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    chunk_free(p->cur);
    while (p->spare) {
        chunk *c = p->spare;
        p->spare = c->next;
        chunk_free(c);
    }
    pthread_cond_destroy(&p->space);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
