#include "keys.h"
#include "ordered.h"

#include <glib.h>
#include <pthread.h>
#include <string.h>

/* A session secret learnt, to be kept once its turn comes. */
typedef struct remembered {
    GHashTable *table;
    size_t max_cached;
    GBytes *key;
    uint8_t ms[48];
} remembered;

static void drop_remembered(void *p)
{
    remembered *r = p;
    g_bytes_unref(r->key);
    g_free(r);
}

/* Full: no new session, but one already kept still takes its new secret
 * (a session ID reused by a later full handshake). */
static void apply_remembered(void *target, void *p)
{
    (void)target;
    remembered *r = p;
    if (g_hash_table_size(r->table) < r->max_cached || g_hash_table_contains(r->table, r->key))
        g_hash_table_replace(r->table, g_bytes_ref(r->key), g_memdup2(r->ms, 48));
    drop_remembered(r);
}

tnt_keys *tnt_keys_new(void)
{
    tnt_keys *k = g_new0(tnt_keys, 1);
    k->keylog = tnt_keylog_new();
    k->rsa = tnt_rsa_keyset_new();
    k->by_session_id =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
    k->by_ticket =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
    k->max_cached = TNT_KEYS_MAX_CACHED;
    tnt_ordered *o = g_new0(tnt_ordered, 1);
    tnt_ordered_init(o, k, apply_remembered, drop_remembered);
    k->ordered = o;
    pthread_mutex_t *m = g_new0(pthread_mutex_t, 1);
    pthread_mutex_init(m, NULL);
    k->rsa_lock = m;
    return k;
}

void tnt_keys_set_order(tnt_keys *k, const tnt_input_order *order)
{
    if (k)
        tnt_ordered_set(k->ordered, order);
}

void tnt_keys_flush(tnt_keys *k)
{
    if (k)
        tnt_ordered_flush(k->ordered);
}

bool tnt_keys_rsa_decrypt(tnt_keys *k, const tnt_rsa_key *key, const uint8_t *epms, size_t epms_len,
                          uint8_t pms[48])
{
    /* GnuTLS keys are for one thread at a time. */
    pthread_mutex_lock(k->rsa_lock);
    bool ok = tnt_rsa_key_decrypt_pms(key, epms, epms_len, pms);
    pthread_mutex_unlock(k->rsa_lock);
    return ok;
}

void tnt_keys_free(tnt_keys *k)
{
    if (!k)
        return;
    tnt_ordered_clear(k->ordered);
    g_free(k->ordered);
    pthread_mutex_destroy(k->rsa_lock);
    g_free(k->rsa_lock);
    tnt_keylog_free(k->keylog);
    tnt_rsa_keyset_free(k->rsa);
    g_hash_table_destroy(k->by_session_id);
    g_hash_table_destroy(k->by_ticket);
    g_free(k);
}

bool tnt_keys_any(const tnt_keys *k)
{
    if (!k)
        return false;
    if (tnt_rsa_keyset_count(k->rsa) > 0)
        return true;
    for (int l = 0; l < TNT_KL_COUNT; l++)
        if (tnt_keylog_count(k->keylog, (tnt_keylog_label)l) > 0)
            return true;
    return false;
}

static void remember(const tnt_keys *k, GHashTable *t, const uint8_t *key, size_t len,
                     const uint8_t ms[48])
{
    if (len == 0)
        return;
    remembered *r = g_new(remembered, 1);
    r->table = t;
    r->max_cached = k->max_cached;
    r->key = g_bytes_new(key, len);
    memcpy(r->ms, ms, 48);
    tnt_ordered_write(k->ordered, r);
}

static bool lookup(const tnt_keys *k, GHashTable *t, const uint8_t *key, size_t len, uint8_t ms[48])
{
    if (len == 0)
        return false;
    tnt_ordered_before_read(k->ordered);
    GBytes *b = g_bytes_new_static(key, len);
    const uint8_t *v = g_hash_table_lookup(t, b);
    g_bytes_unref(b);
    if (!v)
        return false;
    memcpy(ms, v, 48);
    return true;
}

void tnt_keys_remember_session(tnt_keys *k, const uint8_t *sid, size_t sid_len,
                               const uint8_t ms[48])
{
    remember(k, k->by_session_id, sid, sid_len, ms);
}

bool tnt_keys_session(const tnt_keys *k, const uint8_t *sid, size_t sid_len, uint8_t ms[48])
{
    return lookup(k, k->by_session_id, sid, sid_len, ms);
}

void tnt_keys_remember_ticket(tnt_keys *k, const uint8_t *ticket, size_t len, const uint8_t ms[48])
{
    remember(k, k->by_ticket, ticket, len, ms);
}

bool tnt_keys_ticket(const tnt_keys *k, const uint8_t *ticket, size_t len, uint8_t ms[48])
{
    return lookup(k, k->by_ticket, ticket, len, ms);
}
