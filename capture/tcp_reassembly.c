#include "tcp_reassembly.h"

#include <arpa/inet.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tnt/cursor.h"

/* A run of bytes held out of order. Held runs never overlap: a later copy
 * only fills what no earlier copy covered. */
typedef struct seg {
    struct seg *next;
    uint64_t start, end; /* stream positions */
    uint64_t dep;        /* of the segment that carried them: see item */
    uint64_t order;      /* frame that carried them */
    tnt_cap_ts ts;
    uint8_t data[];
} seg;

/* Bytes (or a gap) of one direction in stream order, waiting for the
 * consumer. A segment carrying ack=X was sent after its sender had received
 * the peer's bytes up to X: dep is that peer position, and the item is
 * delivered only once the peer's stream has been delivered that far. That
 * puts the two directions in the order the endpoints produced them, whatever
 * order the capture saw them in. */
typedef struct item {
    struct item *next;
    uint64_t dep;
    uint64_t order; /* arrival (frame) for concurrent bytes: capture order */
    uint64_t gap;   /* > 0: a gap of that many bytes instead of data */
    tnt_cap_ts ts;  /* of frame order */
    size_t len;
    uint8_t data[];
} item;

/* One direction. Stream position 0 is the byte after the SYN, or the first
 * byte seen when the SYN was not captured. */
typedef struct half {
    bool init;
    bool syn_seen;
    uint32_t base_seq; /* sequence number of position 0 */
    uint64_t next;     /* next position to deliver */
    uint64_t max_seen; /* highest position known to exist (data, FIN, cut tail) */
    bool fin_seen;
    uint64_t fin_at; /* position of the FIN */
    bool done;       /* delivered up to the FIN */
    uint64_t acked;  /* highest position the peer ACKed beyond next (a FIN counts 1) */
    bool peer_ack_known;
    uint32_t peer_ack; /* an ACK seen before this direction sent anything */
    seg *ooo;
    size_t ooo_bytes, ooo_count;
    item *q, *q_tail; /* delivered by reassembly, not yet to the consumer */
    size_t q_bytes;
    uint64_t out; /* position delivered to the consumer */
} half;

typedef struct conn {
    uint8_t key[37]; /* family, then both endpoints in canonical order */
    uint32_t id;
    void *user;
    int family;
    uint8_t client_addr[16];
    uint16_t client_port;
    half h[2];
    bool closed;
    uint64_t last_frame;
    tnt_cap_ts last_ts;
    struct conn *prev, *next; /* activity order in the open or closed list */
    /* After a RST the peer's data already in flight still arrives (and
     * Wireshark still shows it): the connection closes RST_LINGER seconds
     * of capture time after the RST rather than at once. */
    bool rst;
    int64_t rst_clock;
    int64_t last_clock;
    bool fin_linger;            /* the linger is after FINs, not a RST */
    bool order_said;            /* the directions' order was undeterminable once */
    struct conn *rprev, *rnext; /* order of RSTs */
} conn;

typedef struct conn_list {
    conn *head, *tail;
} conn_list;

struct tnt_tcp_table {
    tnt_capture_callbacks cb;
    tnt_tcp_limits lim;
    GHashTable *by_key;
    conn_list open, closed;
    conn *rst_head, *rst_tail;
    size_t count;
    uint32_t next_id;
    size_t ooo_total;
    size_t q_total; /* bytes in all connections' items */
    uint64_t frame; /* of the packet being processed, for gaps */
    tnt_cap_ts ts;
    /* Expiry runs on this clock, not on the timestamps: it advances with
     * each plausible step between packets only. A step back or a leap
     * beyond the idle timeout is a bad clock, not idleness. */
    int64_t clock;
    bool clock_init, clock_said;
    tnt_cap_ts last_raw;
    /* what the segment being processed depends on and carries */
    uint64_t cur_dep;
    bool flushing; /* a connection is closing: bytes keep their own frames */
};

static const uint16_t tls_ports[] = {443, 465, 636, 853, 989, 990, 992, 993, 994, 995, 5061, 8443};

void tnt_tcp_default_limits(tnt_tcp_limits *l)
{
    l->max_ooo_bytes = TNT_TCP_DEFAULT_MAX_OOO_BYTES;
    l->max_ooo_segments = TNT_TCP_DEFAULT_MAX_OOO_SEGMENTS;
    l->max_ooo_total = TNT_TCP_DEFAULT_MAX_OOO_TOTAL;
    l->max_conns = TNT_TCP_DEFAULT_MAX_CONNS;
    l->idle_timeout = TNT_TCP_DEFAULT_IDLE_TIMEOUT;
    l->closed_linger = TNT_TCP_DEFAULT_CLOSED_LINGER;
}

const char *tnt_close_reason_name(tnt_close_reason r)
{
    switch (r) {
    case TNT_CLOSE_FIN:
        return "fin";
    case TNT_CLOSE_RST:
        return "rst";
    case TNT_CLOSE_END_OF_INPUT:
        return "end-of-input";
    case TNT_CLOSE_IDLE:
        return "idle";
    case TNT_CLOSE_EVICTED:
        return "evicted";
    case TNT_CLOSE_REUSED:
        return "reused";
    }
    return "unknown";
}

bool tnt_tcp_parse(const uint8_t *data, size_t len, size_t missing, tnt_tcp_segment *seg,
                   const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, data, len);
    uint16_t offflags, win, csum, urg;
    if (!tnt_get_u16(&c, &seg->sport) || !tnt_get_u16(&c, &seg->dport) ||
        !tnt_get_u32(&c, &seg->seq) || !tnt_get_u32(&c, &seg->ack) || !tnt_get_u16(&c, &offflags) ||
        !tnt_get_u16(&c, &win) || !tnt_get_u16(&c, &csum) || !tnt_get_u16(&c, &urg)) {
        *why = missing ? "TCP header cut short by the capture" : "truncated TCP header";
        return false;
    }
    size_t hlen = (size_t)(offflags >> 12) * 4;
    if (hlen < 20) {
        *why = "TCP data offset below 5";
        return false;
    }
    if (!tnt_skip(&c, hlen - 20)) {
        *why = missing ? "TCP options cut short by the capture" : "truncated TCP options";
        return false;
    }
    seg->flags = (uint8_t)offflags;
    seg->payload = tnt_cursor_data(&c);
    seg->len = tnt_cursor_len(&c);
    seg->missing = missing;
    return true;
}

static void tcp_diagf(tnt_tcp_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tcp_diagf(tnt_tcp_table *t, const char *fmt, ...)
{
    if (!t->cb.on_diag)
        return;
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    t->cb.on_diag(t->cb.user, t->frame, text);
}

/* ---- connection lists and table ---- */

static void list_remove(conn_list *l, conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        l->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        l->tail = c->prev;
    c->prev = c->next = NULL;
}

static void list_append(conn_list *l, conn *c)
{
    c->prev = l->tail;
    c->next = NULL;
    if (l->tail)
        l->tail->next = c;
    else
        l->head = c;
    l->tail = c;
}

static guint key_hash(gconstpointer k)
{
    const uint8_t *p = k;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < 37; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, 37) == 0;
}

static void make_key(uint8_t key[37], const tnt_tcp_segment *s)
{
    uint8_t a[18], b[18];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    size_t alen = s->family == 4 ? 4 : 16;
    memcpy(a, s->src, alen);
    a[16] = (uint8_t)(s->sport >> 8);
    a[17] = (uint8_t)s->sport;
    memcpy(b, s->dst, alen);
    b[16] = (uint8_t)(s->dport >> 8);
    b[17] = (uint8_t)s->dport;
    key[0] = (uint8_t)s->family;
    bool swap = memcmp(a, b, 18) > 0;
    memcpy(key + 1, swap ? b : a, 18);
    memcpy(key + 19, swap ? a : b, 18);
}

tnt_tcp_table *tnt_tcp_new(const tnt_capture_callbacks *cb, const tnt_tcp_limits *lim)
{
    tnt_tcp_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cb = *cb;
    if (lim)
        t->lim = *lim;
    else
        tnt_tcp_default_limits(&t->lim);
    t->by_key = g_hash_table_new(key_hash, key_equal);
    t->next_id = 1;
    return t;
}

size_t tnt_tcp_ooo_bytes(const tnt_tcp_table *t)
{
    return t->ooo_total;
}

size_t tnt_tcp_conn_count(const tnt_tcp_table *t)
{
    return t->count;
}

/* ---- one direction's stream ---- */

static int64_t pos_of(const half *h, uint32_t seq)
{
    uint32_t next_seq = h->base_seq + (uint32_t)h->next;
    return (int64_t)h->next + (int32_t)(seq - next_seq);
}

static void pump(tnt_tcp_table *t, conn *c, bool force);

static void enqueue(tnt_tcp_table *t, conn *c, int dir, const uint8_t *p, size_t n, uint64_t gap,
                    uint64_t dep, uint64_t order, tnt_cap_ts ts)
{
    half *h = &c->h[dir];
    item *it = malloc(sizeof *it + n);
    if (!it)
        return; /* out of memory: the consumer misses these bytes */
    it->next = NULL;
    it->dep = dep;
    it->order = order;
    it->gap = gap;
    it->ts = ts;
    it->len = n;
    if (n)
        memcpy(it->data, p, n);
    if (h->q_tail)
        h->q_tail->next = it;
    else
        h->q = it;
    h->q_tail = it;
    h->q_bytes += n;
    t->q_total += n;
}

static uint64_t need_pos(const conn *c, int dir, uint64_t dep);

static void emit_data_dep(tnt_tcp_table *t, conn *c, int dir, const uint8_t *p, size_t n,
                          uint64_t dep, uint64_t order, tnt_cap_ts ts)
{
    if (!n)
        return;
    /* Nothing waits and the peer is far enough: what pump() would do at
     * once, without the copy (the common case of a clean capture). */
    if (!t->flushing && !c->h[0].q && !c->h[1].q && need_pos(c, dir, dep) <= c->h[!dir].out) {
        c->h[dir].out += n;
        if (t->cb.on_data)
            t->cb.on_data(c->user, dir, p, n, t->frame, t->ts);
        return;
    }
    enqueue(t, c, dir, p, n, 0, dep, order, ts);
}

static void emit_data(tnt_tcp_table *t, conn *c, int dir, const uint8_t *p, size_t n)
{
    emit_data_dep(t, c, dir, p, n, t->cur_dep, t->frame, t->ts);
}

static void emit_gap(tnt_tcp_table *t, conn *c, int dir, uint64_t n)
{
    if (!n)
        return;
    half *h = &c->h[dir];
    h->next += n;
    /* Given up on at the end, a hole is shown where the bytes after it came. */
    const seg *after = h->ooo && h->ooo->start == h->next ? h->ooo : NULL;
    enqueue(t, c, dir, NULL, 0, n, 0, after ? after->order : t->frame, after ? after->ts : t->ts);
}

/* Bytes the end of the connection releases keep the frame that carried
 * them; otherwise the frame is the packet that made them deliverable. */
static void deliver_head(tnt_tcp_table *t, conn *c, int dir, bool force)
{
    half *h = &c->h[dir];
    item *it = h->q;
    h->q = it->next;
    if (!h->q)
        h->q_tail = NULL;
    h->q_bytes -= it->len;
    t->q_total -= it->len;
    if (it->gap) {
        h->out += it->gap;
        if (t->cb.on_gap)
            t->cb.on_gap(c->user, dir, it->gap, force ? it->order : t->frame,
                         force ? it->ts : t->ts);
    } else {
        h->out += it->len;
        if (t->cb.on_data)
            t->cb.on_data(c->user, dir, it->data, it->len, force ? it->order : t->frame,
                          force ? it->ts : t->ts);
    }
    free(it);
}

/* The peer position an item waits for; a FIN's sequence number is no byte. */
static uint64_t need_pos(const conn *c, int dir, uint64_t dep)
{
    const half *p = &c->h[!dir];
    if (p->fin_seen && dep > p->fin_at)
        return p->fin_at;
    return dep;
}

static uint64_t need(const conn *c, int dir, const item *it)
{
    return need_pos(c, dir, it->dep);
}

static void flush_until(tnt_tcp_table *t, conn *c, int dir, uint64_t limit);

/* Hands the consumer what the order evidence allows. force: the connection
 * ends, everything goes (still in the best order known). */
static void pump(tnt_tcp_table *t, conn *c, bool force)
{
    for (;;) {
        item *a = c->h[0].q, *b = c->h[1].q;
        bool ea = a && need(c, 0, a) <= c->h[1].out;
        bool eb = b && need(c, 1, b) <= c->h[0].out;
        int pick;
        if (ea && eb)
            pick = b->order < a->order ? 1 : 0;
        else if (ea)
            pick = 0;
        else if (eb)
            pick = 1;
        else if (a && b) {
            /* Each waits for the other: the ACKs contradict each other. */
            pick = b->order < a->order ? 1 : 0;
            if (!c->order_said) {
                c->order_said = true;
                tcp_diagf(t,
                          "connection #%u: the ACKs of the two directions contradict each "
                          "other; their order is taken from the capture",
                          (unsigned)c->id);
                if (t->cb.on_order_unknown)
                    t->cb.on_order_unknown(c->user, t->frame);
            }
        } else if (a || b) {
            int d = a ? 0 : 1;
            const item *w = a ? a : b;
            bool over = c->h[d].q_bytes > t->lim.max_ooo_bytes || t->q_total > t->lim.max_ooo_total;
            if (!force && !over)
                break; /* the peer's bytes it answers are still to come */
            /* Past the budget or at the end the peer's bytes it answers are
             * gone for good: a gap, then this. */
            half *p = &c->h[!d];
            uint64_t want = need(c, d, w);
            if (want > p->max_seen)
                want = p->max_seen; /* an ACK of bytes never seen proves little */
            if (!force && p->init && p->next < want) {
                flush_until(t, c, !d, want);
                continue;
            }
            pick = d;
        } else
            break;
        deliver_head(t, c, pick, force);
    }
}

static void drop_head(tnt_tcp_table *t, half *h)
{
    seg *s = h->ooo;
    h->ooo = s->next;
    h->ooo_bytes -= s->end - s->start;
    h->ooo_count--;
    t->ooo_total -= s->end - s->start;
    free(s);
}

/* Delivers held runs that have become contiguous. */
static void drain(tnt_tcp_table *t, conn *c, int dir)
{
    half *h = &c->h[dir];
    while (h->ooo && h->ooo->start <= h->next) {
        seg *s = h->ooo;
        if (s->end > h->next) {
            emit_data_dep(t, c, dir, s->data + (h->next - s->start), s->end - h->next, s->dep,
                          s->order, s->ts);
            h->next = s->end;
        }
        drop_head(t, h);
    }
}

/* Gives up on the hole before the first held run. */
static void skip_hole(tnt_tcp_table *t, conn *c, int dir)
{
    half *h = &c->h[dir];
    if (h->ooo && h->ooo->start > h->next)
        emit_gap(t, c, dir, h->ooo->start - h->next);
    drain(t, c, dir);
}

/* Delivers everything up to limit: held bytes as data, the rest as gaps. */
static void flush_until(tnt_tcp_table *t, conn *c, int dir, uint64_t limit)
{
    half *h = &c->h[dir];
    while (h->next < limit) {
        drain(t, c, dir);
        if (h->next >= limit)
            break;
        uint64_t to = h->ooo && h->ooo->start < limit ? h->ooo->start : limit;
        emit_gap(t, c, dir, to - h->next);
    }
    drain(t, c, dir);
}

static seg *new_seg(const tnt_tcp_table *t, uint64_t start, uint64_t end, const uint8_t *src)
{
    seg *s = malloc(sizeof *s + (size_t)(end - start));
    if (!s)
        return NULL;
    s->next = NULL;
    s->dep = t->cur_dep;
    s->order = t->frame;
    s->ts = t->ts;
    s->start = start;
    s->end = end;
    memcpy(s->data, src, (size_t)(end - start));
    return s;
}

/* Holds [off, end) (data = bytes of off) where no earlier copy covers it. */
static void hold(tnt_tcp_table *t, half *h, uint64_t off, uint64_t end, const uint8_t *data)
{
    seg **pp = &h->ooo;
    uint64_t s = off;
    while (s < end) {
        seg *cur = *pp;
        if (cur && cur->end <= s) {
            pp = &cur->next;
            continue;
        }
        uint64_t piece_end = cur && cur->start < end ? cur->start : end;
        if (s < piece_end) {
            seg *n = new_seg(t, s, piece_end, data + (s - off));
            if (!n)
                return; /* out of memory: the hole is reported later */
            n->next = cur;
            *pp = n;
            pp = &n->next;
            h->ooo_bytes += piece_end - s;
            h->ooo_count++;
            t->ooo_total += piece_end - s;
        }
        if (!cur || cur->start >= end)
            break;
        s = cur->end;
        pp = &cur->next;
    }
}

static bool over_bounds(const tnt_tcp_table *t, const half *h, size_t add)
{
    return h->ooo_bytes + add > t->lim.max_ooo_bytes ||
           h->ooo_count + 1 > t->lim.max_ooo_segments || t->ooo_total + add > t->lim.max_ooo_total;
}

/* Stream bytes [off, end) arrived. */
static void stream_data(tnt_tcp_table *t, conn *c, int dir, uint64_t off, uint64_t end,
                        const uint8_t *data)
{
    half *h = &c->h[dir];
    if (end <= h->next)
        return; /* retransmission of delivered bytes */
    if (off > h->next) {
        /* Out of order. Make room by giving up on the oldest holes first;
         * if even an empty buffer is too small, this run becomes in order. */
        while (h->ooo && over_bounds(t, h, end - off))
            skip_hole(t, c, dir);
        if (off > h->next) {
            if (!over_bounds(t, h, end - off)) {
                hold(t, h, off, end, data);
                return;
            }
            emit_gap(t, c, dir, off - h->next);
        }
        if (end <= h->next)
            return;
    }
    /* In order: new bytes fill up to the next held run, held runs win where
     * they overlap (they arrived first). */
    while (h->next < end) {
        drain(t, c, dir);
        if (h->next >= end)
            break;
        uint64_t to = h->ooo && h->ooo->start < end ? h->ooo->start : end;
        emit_data(t, c, dir, data + (h->next - off), (size_t)(to - h->next));
        h->next = to;
    }
    drain(t, c, dir);
}

/* ---- connections ---- */

static void free_halves(tnt_tcp_table *t, conn *c)
{
    for (int d = 0; d < 2; d++) {
        half *h = &c->h[d];
        while (h->ooo)
            drop_head(t, h);
        while (h->q) {
            item *it = h->q;
            h->q = it->next;
            t->q_total -= it->len;
            free(it);
        }
        h->q_tail = NULL;
        h->q_bytes = 0;
    }
}

/* Everything still held or known to exist is delivered or reported. */
static void flush_all(tnt_tcp_table *t, conn *c)
{
    for (int d = 0; d < 2; d++) {
        half *h = &c->h[d];
        if (!h->init)
            continue;
        while (h->ooo)
            skip_hole(t, c, d);
        uint64_t target = h->acked;
        /* An ACK that arrived before the FIN it covers counted the FIN's
         * sequence number as a byte. */
        if (h->fin_seen)
            target = h->fin_at;
        if (target > h->next)
            emit_gap(t, c, d, target - h->next);
    }
}

#define RST_LINGER 2

static void rst_remove(tnt_tcp_table *t, conn *c)
{
    if (c->rprev)
        c->rprev->rnext = c->rnext;
    else
        t->rst_head = c->rnext;
    if (c->rnext)
        c->rnext->rprev = c->rprev;
    else
        t->rst_tail = c->rprev;
    c->rprev = c->rnext = NULL;
}

static void rst_append(tnt_tcp_table *t, conn *c)
{
    c->rprev = t->rst_tail;
    c->rnext = NULL;
    if (t->rst_tail)
        t->rst_tail->rnext = c;
    else
        t->rst_head = c;
    t->rst_tail = c;
}

static void close_conn(tnt_tcp_table *t, conn *c, tnt_close_reason why, bool keep)
{
    if (c->rst) {
        rst_remove(t, c);
        c->rst = false;
        why = c->fin_linger ? TNT_CLOSE_FIN : TNT_CLOSE_RST;
    }
    uint64_t frame = t->frame;
    tnt_cap_ts ts = t->ts;
    t->frame = c->last_frame;
    t->ts = c->last_ts;
    t->flushing = true;
    flush_all(t, c);
    pump(t, c, true);
    t->flushing = false;
    t->frame = frame;
    t->ts = ts;
    free_halves(t, c);
    if (t->cb.on_conn_close)
        t->cb.on_conn_close(c->user, why, c->last_frame, c->last_ts);
    list_remove(&t->open, c);
    c->closed = true;
    if (keep) {
        list_append(&t->closed, c);
        return;
    }
    g_hash_table_remove(t->by_key, c->key);
    t->count--;
    free(c);
}

static void forget_closed(tnt_tcp_table *t, conn *c)
{
    list_remove(&t->closed, c);
    g_hash_table_remove(t->by_key, c->key);
    t->count--;
    free(c);
}

/* Advances the expiry clock by the step from the previous packet when the
 * step is plausible. Said once per input. */
static void tick(tnt_tcp_table *t, tnt_cap_ts ts)
{
    if (!t->clock_init) {
        t->clock_init = true;
        t->clock = 0;
        t->last_raw = ts;
        return;
    }
    int64_t step = ts.sec - t->last_raw.sec;
    bool back = step < 0 || (step == 0 && ts.usec < t->last_raw.usec);
    if (back || step > t->lim.idle_timeout) {
        if (!t->clock_said) {
            t->clock_said = true;
            if (back)
                tcp_diagf(t,
                          "timestamps are not monotonic (this packet is %lld s before the "
                          "previous one): they are labels only, never idle time or order; "
                          "said once",
                          (long long)(t->last_raw.sec - ts.sec));
            else
                tcp_diagf(t,
                          "timestamps leap %lld s forward (beyond the idle timeout): taken as "
                          "a jump, not as idle time; said once",
                          (long long)step);
        }
    } else
        t->clock += step;
    t->last_raw = ts;
}

static void tcp_expire(tnt_tcp_table *t)
{
    while (t->rst_head && t->clock - t->rst_head->rst_clock > RST_LINGER)
        close_conn(t, t->rst_head, TNT_CLOSE_RST, true);
    while (t->closed.head && t->clock - t->closed.head->last_clock > t->lim.closed_linger)
        forget_closed(t, t->closed.head);
    while (t->open.head && t->clock - t->open.head->last_clock > t->lim.idle_timeout)
        close_conn(t, t->open.head, TNT_CLOSE_IDLE, true);
}

static bool server_port(uint16_t p)
{
    if (p < 1024)
        return true;
    for (size_t i = 0; i < sizeof tls_ports / sizeof tls_ports[0]; i++)
        if (tls_ports[i] == p)
            return true;
    return false;
}

static conn *open_conn(tnt_tcp_table *t, const tnt_tcp_segment *s, const uint8_t key[37])
{
    while (t->count >= t->lim.max_conns && t->closed.head)
        forget_closed(t, t->closed.head);
    if (t->count >= t->lim.max_conns && t->open.head) {
        tcp_diagf(t, "connection table full (%zu): closing connection #%u", t->lim.max_conns,
                  (unsigned)t->open.head->id);
        close_conn(t, t->open.head, TNT_CLOSE_EVICTED, false);
    }
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    memcpy(c->key, key, 37);
    c->id = t->next_id++;
    c->family = s->family;

    bool src_is_client;
    bool syn = s->flags & TNT_TCP_SYN, ack = s->flags & TNT_TCP_ACK;
    if (syn && !ack)
        src_is_client = true;
    else if (syn)
        src_is_client = false;
    else if (server_port(s->dport) != server_port(s->sport))
        src_is_client = server_port(s->dport);
    else
        src_is_client = true;

    tnt_conn_info info;
    memset(&info, 0, sizeof info);
    info.id = c->id;
    info.family = s->family;
    size_t alen = s->family == 4 ? 4 : 16;
    memcpy(info.client_addr, src_is_client ? s->src : s->dst, alen);
    memcpy(info.server_addr, src_is_client ? s->dst : s->src, alen);
    info.client_port = src_is_client ? s->sport : s->dport;
    info.server_port = src_is_client ? s->dport : s->sport;
    info.syn_seen = syn;
    info.first_frame = t->frame;
    info.first_ts = t->ts;
    memcpy(c->client_addr, info.client_addr, 16);
    c->client_port = info.client_port;

    g_hash_table_insert(t->by_key, c->key, c);
    t->count++;
    list_append(&t->open, c);
    c->user = t->cb.on_conn_open ? t->cb.on_conn_open(t->cb.user, &info) : NULL;
    return c;
}

static void init_half(half *h, uint32_t base_seq)
{
    h->init = true;
    h->base_seq = base_seq;
    h->next = 0;
    h->max_seen = 0;
}

/* The peer ACKed up to seq: bytes up to there exist even if never captured. */
static void peer_acked(tnt_tcp_table *t, conn *c, int dir, uint32_t ack)
{
    half *h = &c->h[dir];
    if (!h->init) {
        h->peer_ack_known = true;
        h->peer_ack = ack;
        return;
    }
    /* Past a FIN by one when the FIN is ACKed (it takes a sequence number). */
    int64_t a = pos_of(h, ack);
    if (a <= (int64_t)h->next || (uint64_t)a <= h->acked)
        return;
    /* The ACK proves the bytes existed, not that the capture lost them: a
     * segment may still turn up after its ACK (multi-queue NICs, SPAN
     * ports). The hole is a gap only at the end or past the out-of-order
     * budget. An ACK far beyond anything seen is bogus and ignored. */
    if ((uint64_t)a <= h->max_seen || (uint64_t)a - h->max_seen <= t->lim.max_ooo_bytes)
        h->acked = (uint64_t)a;
}

/* The peer position a segment from dir carrying ack depends on (0: none). */
static uint64_t dep_of(const conn *c, int dir, const tnt_tcp_segment *s)
{
    const half *p = &c->h[!dir];
    if (!(s->flags & TNT_TCP_ACK) || !p->init)
        return 0;
    int64_t a = pos_of(p, s->ack);
    return a > 0 ? (uint64_t)a : 0;
}

static void segment(tnt_tcp_table *t, conn *c, int dir, const tnt_tcp_segment *s)
{
    half *h = &c->h[dir];
    bool syn = s->flags & TNT_TCP_SYN;
    if (syn && !h->init) {
        init_half(h, s->seq + 1);
        h->syn_seen = true;
    }
    bool fin = s->flags & TNT_TCP_FIN;
    if (!h->init && (s->len || s->missing || fin)) {
        uint32_t base = s->seq;
        /* Mid-stream start: an earlier ACK from the peer says where this
         * direction's stream stood; a first segment a little beyond it was
         * reordered rather than the start. */
        if (h->peer_ack_known && s->seq != h->peer_ack &&
            (uint32_t)(s->seq - h->peer_ack) <= t->lim.max_ooo_bytes)
            base = h->peer_ack;
        init_half(h, base);
    }
    t->cur_dep = dep_of(c, dir, s);
    if (h->init && !h->done && (s->len || s->missing || fin)) {
        int64_t off = pos_of(h, syn ? s->seq + 1 : s->seq);
        int64_t end = off + (int64_t)s->len;
        int64_t cut_end = end + (int64_t)s->missing;
        if (fin && !h->fin_seen && cut_end >= (int64_t)h->next) {
            h->fin_seen = true;
            h->fin_at = (uint64_t)cut_end;
        }
        if (cut_end > (int64_t)h->max_seen)
            h->max_seen = (uint64_t)cut_end;
        /* Bytes beyond a FIN were never part of the stream. */
        if (h->fin_seen && end > (int64_t)h->fin_at)
            end = (int64_t)h->fin_at;
        if (end > (int64_t)h->next && end > off) {
            uint64_t from = off < 0 ? 0 : (uint64_t)off;
            stream_data(t, c, dir, from, (uint64_t)end, s->payload + (from - (uint64_t)off));
        }
        if (s->missing && h->next == (uint64_t)end && cut_end > end) {
            emit_gap(t, c, dir, (uint64_t)(cut_end - end));
            drain(t, c, dir);
        }
    }
    if (s->flags & TNT_TCP_ACK)
        peer_acked(t, c, !dir, s->ack);
    if (h->fin_seen && !h->done && h->next >= h->fin_at)
        h->done = true;
}

/* Delivered up to the FIN, or the peer ACKed the FIN: what is missing before
 * it is gone (the connection is over). */
static bool ended(const half *h)
{
    return h->done || (h->fin_seen && h->acked > h->fin_at);
}

void tnt_tcp_input(tnt_tcp_table *t, const tnt_tcp_segment *s, uint64_t frame, tnt_cap_ts ts)
{
    t->frame = frame;
    t->ts = ts;
    tick(t, ts);
    tcp_expire(t);

    uint8_t key[37];
    make_key(key, s);
    conn *c = g_hash_table_lookup(t->by_key, key);
    bool new_syn = (s->flags & (TNT_TCP_SYN | TNT_TCP_ACK)) == TNT_TCP_SYN;
    if (c && c->closed) {
        if (!new_syn)
            return; /* a straggler of a finished connection */
        forget_closed(t, c);
        c = NULL;
    }
    if (c && new_syn) {
        const half *h = &c->h[0];
        bool from_client =
            !memcmp(c->client_addr, s->src, c->family == 4 ? 4 : 16) && c->client_port == s->sport;
        if (!from_client || (h->init && (!h->syn_seen || h->base_seq != s->seq + 1))) {
            close_conn(t, c, TNT_CLOSE_REUSED, false);
            c = NULL;
        }
    }
    if (!c) {
        c = open_conn(t, s, key);
        if (!c)
            return;
    }
    c->last_frame = frame;
    c->last_ts = ts;
    c->last_clock = t->clock;
    list_remove(&t->open, c);
    list_append(&t->open, c);
    if (t->cb.on_segment)
        t->cb.on_segment(c->user, frame);

    int dir =
        (!memcmp(c->client_addr, s->src, c->family == 4 ? 4 : 16) && c->client_port == s->sport)
            ? TNT_DIR_C2S
            : TNT_DIR_S2C;
    if (s->flags & TNT_TCP_RST) {
        /* The sender of a RST sends nothing more; its peer's data in flight
         * may still come. */
        c->h[dir].done = true;
        c->fin_linger = false;
        if (!c->rst) {
            c->rst = true;
            c->rst_clock = t->clock;
            rst_append(t, c);
        }
        if (c->h[!dir].done)
            close_conn(t, c, TNT_CLOSE_RST, true);
        return;
    }
    segment(t, c, dir, s);
    pump(t, c, false);
    if (c->h[0].done && c->h[1].done)
        close_conn(t, c, TNT_CLOSE_FIN, true);
    else if (ended(&c->h[0]) && ended(&c->h[1]) && !c->rst) {
        /* Both FINs ACKed with holes left: a late segment may still come,
         * as after a RST. */
        c->rst = true;
        c->fin_linger = true;
        c->rst_clock = t->clock;
        rst_append(t, c);
    }
}

static gint by_id(gconstpointer a, gconstpointer b)
{
    const conn *x = *(conn *const *)a, *y = *(conn *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

void tnt_tcp_finish(tnt_tcp_table *t)
{
    GPtrArray *all = g_ptr_array_new();
    for (conn *c = t->open.head; c; c = c->next)
        g_ptr_array_add(all, c);
    g_ptr_array_sort(all, by_id);
    for (guint i = 0; i < all->len; i++)
        close_conn(t, g_ptr_array_index(all, i), TNT_CLOSE_END_OF_INPUT, true);
    g_ptr_array_free(all, TRUE);
}

void tnt_tcp_free(tnt_tcp_table *t)
{
    if (!t)
        return;
    while (t->open.head) {
        conn *c = t->open.head;
        list_remove(&t->open, c);
        free_halves(t, c);
        free(c);
    }
    while (t->closed.head) {
        conn *c = t->closed.head;
        list_remove(&t->closed, c);
        free(c);
    }
    g_hash_table_destroy(t->by_key);
    free(t);
}
