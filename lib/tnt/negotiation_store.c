/* The run-wide session store (spec section 7): which session IDs were
 * established, by which connection and handshake, with or without trust.
 * Resumption works on any connection at any later time, so it outlives
 * every tnt_nego. */
#include "negotiation_int.h"

#include <stdlib.h>
#include <string.h>

struct tnt_session_store {
    GHashTable *by_sid; /* GBytes -> stored (malloc'd, target strdup'd) */
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

tnt_session_store *tnt_session_store_new(void)
{
    tnt_session_store *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->by_sid = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                      entry_free);
    return s;
}

void tnt_session_store_free(tnt_session_store *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->by_sid);
    free(s);
}

const tnt_session_entry *nego_store_find(const tnt_session_store *s, const uint8_t *sid, size_t len,
                                         bool *trust_unknown)
{
    *trust_unknown = false;
    if (!s || len == 0 || len > 32)
        return NULL;
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
    g_hash_table_replace(s->by_sid, g_bytes_new(e->sid, e->sid_len), c);
}
