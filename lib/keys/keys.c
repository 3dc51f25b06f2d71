#include "keys.h"

#include <glib.h>
#include <string.h>

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
    return k;
}

void tnt_keys_free(tnt_keys *k)
{
    if (!k)
        return;
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

static void remember(GHashTable *t, size_t max_cached, const uint8_t *key, size_t len,
                     const uint8_t ms[48])
{
    if (len == 0)
        return;
    GBytes *b = g_bytes_new(key, len);
    /* Full: no new session, but one already kept still takes its new secret
     * (a session ID reused by a later full handshake). */
    if (g_hash_table_size(t) >= max_cached && !g_hash_table_contains(t, b)) {
        g_bytes_unref(b);
        return;
    }
    g_hash_table_replace(t, b, g_memdup2(ms, 48));
}

static bool lookup(GHashTable *t, const uint8_t *key, size_t len, uint8_t ms[48])
{
    if (len == 0)
        return false;
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
    remember(k->by_session_id, k->max_cached, sid, sid_len, ms);
}

bool tnt_keys_session(const tnt_keys *k, const uint8_t *sid, size_t sid_len, uint8_t ms[48])
{
    return lookup(k->by_session_id, sid, sid_len, ms);
}

void tnt_keys_remember_ticket(tnt_keys *k, const uint8_t *ticket, size_t len, const uint8_t ms[48])
{
    remember(k->by_ticket, k->max_cached, ticket, len, ms);
}

bool tnt_keys_ticket(const tnt_keys *k, const uint8_t *ticket, size_t len, uint8_t ms[48])
{
    return lookup(k->by_ticket, ticket, len, ms);
}
