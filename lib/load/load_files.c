/* File reading for the front ends (see tnt/load.h): the decoding core never
 * opens a file. */
#include "tnt/load.h"

#include <string.h>

bool tnt_keylog_load_file(tnt_keylog *kl, const char *path, tnt_keylog_warn_fn warn, void *user,
                          tnt_keylog_stats *stats, GError **error)
{
    gchar *text = NULL;
    gsize len = 0;
    /* Read whole rather than mapped: key logs are often named pipes or files
     * still being appended to, where a mapping would see a stale size. */
    if (!g_file_get_contents(path, &text, &len, error)) {
        if (stats)
            memset(stats, 0, sizeof *stats);
        return false;
    }
    tnt_keylog_load_buffer(kl, path, (const uint8_t *)text, len, warn, user, stats);
    g_free(text);
    return true;
}

int tnt_rsa_keyset_load_file(tnt_rsa_keyset *ks, const char *path, GError **error)
{
    gchar *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, error))
        return -1;
    int n = tnt_rsa_keyset_load_buffer(ks, path, (const uint8_t *)text, len, error);
    g_free(text);
    return n;
}

bool tnt_anchors_add_file(tnt_anchor_set *s, const char *path, const tnt_anchor_key *keys,
                          uint32_t n_keys, tnt_error *err)
{
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return tnt_fail(err, 0, "cannot read trust anchor file");
    bool ok = tnt_anchors_add_buffer(s, path, (const uint8_t *)data, len, keys, n_keys, err);
    g_free(data);
    return ok;
}
