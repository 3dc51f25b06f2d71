/* File reading for the front ends (see tnt/load.h): the decoding core never
 * opens a file. */
#include "tnt/load.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/* Whole lines to lib/: the file's first piece through tnt_keylog_load_buffer
 * (which drops a byte order mark there and starts the counts), every later
 * one through tnt_keylog_load_more (line numbers and counts go on). */
static void feed(tnt_keylog *kl, const char *path, const uint8_t *p, size_t n, bool file_start,
                 tnt_keylog_warn_fn warn, void *user, tnt_keylog_stats *total)
{
    if (file_start)
        tnt_keylog_load_buffer(kl, path, p, n, warn, user, total);
    else
        tnt_keylog_load_more(kl, path, p, n, warn, user, total);
}

/* A line too long to be a key log line: counted and said like any
 * malformed one; its bytes are not kept. */
static void long_line(const char *path, tnt_keylog_warn_fn warn, void *user,
                      tnt_keylog_stats *total)
{
    total->lines++;
    total->malformed++;
    if (warn)
        warn(user, path, total->lines, "line longer than 64 KiB");
}

bool tnt_keylog_load_file(tnt_keylog *kl, const char *path, tnt_keylog_warn_fn warn, void *user,
                          tnt_keylog_stats *stats, GError **error)
{
    tnt_keylog_stats total;
    memset(&total, 0, sizeof total);
    if (stats)
        *stats = total;
    /* Streamed in chunks of whole lines rather than read whole or mapped:
     * memory stays what the entries take whatever the file holds (a
     * gigabyte of garbage costs one chunk), and key logs are often named
     * pipes or files still being appended to, where a mapping would see a
     * stale size. */
    FILE *f = g_fopen(path, "rb");
    if (!f) {
        int e = errno;
        gchar *shown = g_filename_display_name(path);
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
                    "Failed to open file \u201c%s\u201d: %s", shown, g_strerror(e));
        g_free(shown);
        return false;
    }
    uint8_t *buf = g_malloc(TNT_KEYLOG_CHUNK + TNT_KEYLOG_MAX_LINE + 1);
    size_t have = 0;
    bool file_start = true, eof = false, read_error = false;
    bool skipping = false; /* the rest of a line longer than TNT_KEYLOG_MAX_LINE */
    while (!eof) {
        size_t got = fread(buf + have, 1, TNT_KEYLOG_CHUNK, f);
        if (got < TNT_KEYLOG_CHUNK) {
            eof = true;
            read_error = ferror(f) != 0;
        }
        have += got;
        size_t pos = 0;
        if (skipping) {
            uint8_t *nl = memchr(buf, '\n', have);
            if (!nl) {
                have = 0;
                continue;
            }
            pos = (size_t)(nl - buf) + 1;
            skipping = false;
        }
        /* Whole lines only; a last line without '\n' waits for more
         * bytes, unless the file ended. Runs of lines go in one call. */
        size_t run = pos;
        while (pos < have) {
            uint8_t *nl = memchr(buf + pos, '\n', have - pos);
            if (!nl && !eof)
                break;
            size_t line_end = nl ? (size_t)(nl - buf) : have;
            size_t next = nl ? line_end + 1 : have;
            if (line_end - pos > TNT_KEYLOG_MAX_LINE) {
                if (pos > run)
                    feed(kl, path, buf + run, pos - run, file_start, warn, user, &total);
                long_line(path, warn, user, &total);
                file_start = false;
                run = next;
            }
            pos = next;
        }
        if (pos > run || (eof && file_start))
            feed(kl, path, buf + run, pos - run, file_start, warn, user, &total);
        if (pos > 0)
            file_start = false;
        memmove(buf, buf + pos, have - pos);
        have -= pos;
        if (have > TNT_KEYLOG_MAX_LINE) {
            long_line(path, warn, user, &total);
            have = 0;
            skipping = true;
        }
    }
    fclose(f);
    g_free(buf);
    if (stats)
        *stats = total;
    if (read_error) {
        g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "Error reading file \u201c%s\u201d",
                    path);
        return false;
    }
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
