/* The run-wide session store (spec section 7): which session IDs were
 * established, by which connection and handshake, with or without trust.
 * Resumption works on any connection at any later time, so it outlives
 * every tnt_nego. */
#include "negotiation_int.h"
#include "ordered.h"

#include <stdlib.h>
#include <string.h>

struct tnt_session_store {
    GHashTable *by_sid; /* GBytes -> stored (malloc'd, target strdup'd) */
    tnt_ordered puts;   /* stored, kept until their turn (tnt/order.h) */
};

typedef struct stored {
    tnt_session_entry e; /* first: find hands out &e */
    bool trust_unknown;
} stored;

static void entry_free(gpointer p)
{
    stored *w = p;
    free((char *)w->e.target);
    free(w);
}

static void apply_put(void *target, void *write)
{
    tnt_session_store *s = target;
    stored *c = write;
    g_hash_table_replace(s->by_sid, g_bytes_new(c->e.sid, c->e.sid_len), c);
}

tnt_session_store *tnt_session_store_new(void)
{
    tnt_session_store *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->by_sid = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                      entry_free);
    tnt_ordered_init(&s->puts, s, apply_put, entry_free);
    return s;
}

void tnt_session_store_free(tnt_session_store *s)
{
    if (!s)
        return;
    tnt_ordered_clear(&s->puts);
    g_hash_table_destroy(s->by_sid);
    free(s);
}

void tnt_session_store_set_order(tnt_session_store *s, const tnt_input_order *order)
{
    if (s)
        tnt_ordered_set(&s->puts, order);
}

void tnt_session_store_flush(tnt_session_store *s)
{
    if (s)
        tnt_ordered_flush(&s->puts);
}

const tnt_session_entry *nego_store_find(const tnt_session_store *s, const uint8_t *sid, size_t len,
                                         bool *trust_unknown)
{
    *trust_unknown = false;
    if (!s || len == 0 || len > 32)
        return NULL;
    /* The store is not changed, only brought up to this input. */
    tnt_ordered_before_read(&((tnt_session_store *)s)->puts);
    GBytes *k = g_bytes_new(sid, len);
    const stored *w = g_hash_table_lookup(s->by_sid, k);
    g_bytes_unref(k);
    if (!w)
        return NULL;
    *trust_unknown = w->trust_unknown;
    return &w->e;
}

const tnt_session_entry *tnt_session_store_find(const tnt_session_store *s, const uint8_t *sid,
                                                size_t len)
{
    bool unknown;
    return nego_store_find(s, sid, len, &unknown);
}

/* A later full handshake that reuses a session ID names a new session. */
void nego_store_put(tnt_session_store *s, const tnt_session_entry *e, bool trust_unknown)
{
    if (!s || e->sid_len == 0 || e->sid_len > 32)
        return;
    stored *c = malloc(sizeof(*c));
    if (!c)
        return;
    c->e = *e;
    c->e.target = e->target ? strdup(e->target) : NULL;
    c->trust_unknown = trust_unknown;
    tnt_ordered_write(&s->puts, c);
}
