#include "keylog.h"

#include "cursor.h"

#include <string.h>

/* One secret. Key and secret live in the same allocation, which doubles as
 * the hash table key (the tables are sets), so a million-line log costs a
 * million small allocations rather than three million. */
typedef struct kl_entry {
    uint8_t key_len;
    uint8_t secret_len;
    uint8_t key[TNT_KEYLOG_RANDOM_LEN];
    uint8_t secret[TNT_KEYLOG_MAX_SECRET_LEN];
} kl_entry;

struct tnt_keylog {
    GHashTable *by_label[TNT_KL_COUNT];
};

static const char *const label_names[TNT_KL_COUNT] = {
    [TNT_KL_CLIENT_RANDOM] = "CLIENT_RANDOM",
    [TNT_KL_RSA] = "RSA",
    [TNT_KL_PMS_CLIENT_RANDOM] = "PMS_CLIENT_RANDOM",
    [TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET] = "CLIENT_EARLY_TRAFFIC_SECRET",
    [TNT_KL_CLIENT_HANDSHAKE_TRAFFIC_SECRET] = "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    [TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET] = "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    [TNT_KL_CLIENT_TRAFFIC_SECRET_0] = "CLIENT_TRAFFIC_SECRET_0",
    [TNT_KL_SERVER_TRAFFIC_SECRET_0] = "SERVER_TRAFFIC_SECRET_0",
    [TNT_KL_EARLY_EXPORTER_SECRET] = "EARLY_EXPORTER_SECRET",
    [TNT_KL_EXPORTER_SECRET] = "EXPORTER_SECRET",
};

/* Longer than any label name; longer tokens cannot be a known label. */
#define LABEL_MAX 40

const char *tnt_keylog_label_name(tnt_keylog_label label)
{
    if ((unsigned)label >= TNT_KL_COUNT)
        return NULL;
    return label_names[label];
}

bool tnt_keylog_label_from_name(const char *name, tnt_keylog_label *out)
{
    for (unsigned i = 0; i < TNT_KL_COUNT; i++) {
        if (strcmp(name, label_names[i]) == 0) {
            *out = (tnt_keylog_label)i;
            return true;
        }
    }
    return false;
}

static bool is_tls13_label(tnt_keylog_label label)
{
    return label >= TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET && label < TNT_KL_COUNT;
}

static size_t key_len_for(tnt_keylog_label label)
{
    return label == TNT_KL_RSA ? TNT_KEYLOG_RSA_PREFIX_LEN : TNT_KEYLOG_RANDOM_LEN;
}

static bool secret_len_ok(tnt_keylog_label label, size_t len)
{
    if (is_tls13_label(label))
        return len == 32 || len == 48;
    return len == TNT_KEYLOG_SECRET_LEN;
}

/* FNV-1a: client randoms of TLS <= 1.2 may start with a timestamp, so every
 * byte of the key has to take part in the hash. This only spreads table
 * buckets; it is not cryptography. */
static guint entry_hash(gconstpointer p)
{
    const kl_entry *e = p;
    guint32 h = 2166136261u;
    for (unsigned i = 0; i < e->key_len; i++) {
        h ^= e->key[i];
        h *= 16777619u;
    }
    return h;
}

static gboolean entry_equal(gconstpointer a, gconstpointer b)
{
    const kl_entry *x = a, *y = b;
    return x->key_len == y->key_len && memcmp(x->key, y->key, x->key_len) == 0;
}

tnt_keylog *tnt_keylog_new(void)
{
    tnt_keylog *kl = g_new0(tnt_keylog, 1);
    for (unsigned i = 0; i < TNT_KL_COUNT; i++)
        kl->by_label[i] = g_hash_table_new_full(entry_hash, entry_equal, g_free, NULL);
    return kl;
}

void tnt_keylog_free(tnt_keylog *kl)
{
    if (!kl)
        return;
    for (unsigned i = 0; i < TNT_KL_COUNT; i++)
        g_hash_table_destroy(kl->by_label[i]);
    g_free(kl);
}

bool tnt_keylog_add(tnt_keylog *kl, tnt_keylog_label label, const uint8_t *key, size_t key_len,
                    const uint8_t *secret, size_t secret_len)
{
    if ((unsigned)label >= TNT_KL_COUNT || key_len != key_len_for(label) ||
        !secret_len_ok(label, secret_len))
        return false;
    kl_entry *e = g_new0(kl_entry, 1);
    e->key_len = (uint8_t)key_len;
    e->secret_len = (uint8_t)secret_len;
    memcpy(e->key, key, key_len);
    memcpy(e->secret, secret, secret_len);
    /* In a set, add replaces an equal key (freeing the old one): later wins. */
    g_hash_table_add(kl->by_label[label], e);
    return true;
}

static const kl_entry *find(const tnt_keylog *kl, tnt_keylog_label label, const uint8_t *key)
{
    kl_entry probe;
    probe.key_len = (uint8_t)key_len_for(label);
    memcpy(probe.key, key, probe.key_len);
    return g_hash_table_lookup(kl->by_label[label], &probe);
}

static bool lookup48(const tnt_keylog *kl, tnt_keylog_label label, const uint8_t *key,
                     uint8_t out[48])
{
    const kl_entry *e = find(kl, label, key);
    if (!e)
        return false;
    memcpy(out, e->secret, TNT_KEYLOG_SECRET_LEN);
    return true;
}

bool tnt_keylog_master_secret(const tnt_keylog *kl, const uint8_t client_random[32],
                              uint8_t out[48])
{
    return lookup48(kl, TNT_KL_CLIENT_RANDOM, client_random, out);
}

bool tnt_keylog_pms_by_cr(const tnt_keylog *kl, const uint8_t client_random[32], uint8_t out[48])
{
    return lookup48(kl, TNT_KL_PMS_CLIENT_RANDOM, client_random, out);
}

bool tnt_keylog_pms_by_rsa_prefix(const tnt_keylog *kl, const uint8_t epms_prefix[8],
                                  uint8_t out[48])
{
    return lookup48(kl, TNT_KL_RSA, epms_prefix, out);
}

bool tnt_keylog_tls13_secret(const tnt_keylog *kl, tnt_keylog_label label,
                             const uint8_t client_random[32], uint8_t *out, size_t *len)
{
    if (!is_tls13_label(label))
        return false;
    const kl_entry *e = find(kl, label, client_random);
    if (!e || *len < e->secret_len)
        return false;
    memcpy(out, e->secret, e->secret_len);
    *len = e->secret_len;
    return true;
}

size_t tnt_keylog_count(const tnt_keylog *kl, tnt_keylog_label label)
{
    if ((unsigned)label >= TNT_KL_COUNT)
        return 0;
    return g_hash_table_size(kl->by_label[label]);
}

/* ---- text parsing (all through cursors: a DSB comes straight off a capture) ---- */

static bool is_space(uint8_t b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\v' || b == '\f';
}

/* Splits off the next line, without its '\n'; false at the end of input. */
static bool next_line(tnt_cursor *c, tnt_cursor *line)
{
    size_t len = tnt_cursor_len(c);
    if (len == 0)
        return false;
    const uint8_t *nl = memchr(tnt_cursor_data(c), '\n', len);
    size_t n = nl ? (size_t)(nl - tnt_cursor_data(c)) : len;
    tnt_get_sub(c, line, n);
    tnt_skip(c, 1); /* the '\n'; absent on an unterminated last line */
    return true;
}

static void skip_space(tnt_cursor *c)
{
    uint8_t b;
    while (tnt_peek_u8(c, &b) && is_space(b))
        tnt_skip(c, 1);
}

/* The next whitespace-separated token; false if only whitespace is left. */
static bool next_token(tnt_cursor *c, tnt_cursor *tok)
{
    skip_space(c);
    /* Scanned inside the cursor's own bounds; a key log of millions of
     * lines is read byte by byte here. */
    const uint8_t *p = tnt_cursor_data(c);
    size_t len = tnt_cursor_len(c), n = 0;
    if (len == 0)
        return false;
    while (n < len && !is_space(p[n]))
        n++;
    return tnt_get_sub(c, tok, n);
}

/* Hex digit values plus one (either case); 0 for any other byte. */
static const uint8_t hex_value1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* A token of exactly 2*n hex digits (either case) into n bytes. */
static bool unhex(tnt_cursor *tok, uint8_t *out, size_t n)
{
    if (tnt_cursor_len(tok) != 2 * n)
        return false;
    const uint8_t *p = tnt_cursor_data(tok);
    for (size_t i = 0; i < n; i++) {
        uint8_t h = hex_value1[p[2 * i]], l = hex_value1[p[2 * i + 1]];
        if (!h || !l)
            return false;
        out[i] = (uint8_t)((h - 1) << 4 | (l - 1));
    }
    return tnt_skip(tok, 2 * n);
}

static bool looks_like_label(tnt_cursor tok)
{
    uint8_t b;
    while (tnt_get_u8(&tok, &b)) {
        if (!g_ascii_isupper((gchar)b) && !g_ascii_isdigit((gchar)b) && b != '_')
            return false;
    }
    return true;
}

static bool token_label(const tnt_cursor *tok, tnt_keylog_label *out)
{
    size_t n = tnt_cursor_len(tok);
    if (n >= LABEL_MAX)
        return false;
    char name[LABEL_MAX];
    tnt_cursor t = *tok;
    if (!tnt_copy(&t, (uint8_t *)name, n))
        return false;
    name[n] = '\0';
    /* A NUL inside the token would make strcmp stop early. */
    if (memchr(name, '\0', n))
        return false;
    return tnt_keylog_label_from_name(name, out);
}

typedef enum { LINE_SKIPPED, LINE_LOADED, LINE_MALFORMED, LINE_UNKNOWN } line_result;

static line_result parse_line(tnt_keylog *kl, tnt_cursor line, const char **what)
{
    tnt_cursor label_tok, key_tok, secret_tok, extra;
    if (!next_token(&line, &label_tok))
        return LINE_SKIPPED;
    uint8_t first;
    if (tnt_peek_u8(&label_tok, &first) && first == '#')
        return LINE_SKIPPED;

    tnt_keylog_label label;
    if (!token_label(&label_tok, &label)) {
        if (looks_like_label(label_tok)) {
            *what = "unknown label, line ignored";
            return LINE_UNKNOWN;
        }
        *what = "not a key log line";
        return LINE_MALFORMED;
    }
    if (!next_token(&line, &key_tok) || !next_token(&line, &secret_tok) ||
        next_token(&line, &extra)) {
        *what = "expected 3 fields: label, key, secret";
        return LINE_MALFORMED;
    }

    uint8_t key[TNT_KEYLOG_RANDOM_LEN];
    size_t key_len = key_len_for(label);
    if (!unhex(&key_tok, key, key_len)) {
        *what = label == TNT_KL_RSA ? "encrypted pre-master secret prefix is not 16 hex digits"
                                    : "client random is not 64 hex digits";
        return LINE_MALFORMED;
    }

    uint8_t secret[TNT_KEYLOG_MAX_SECRET_LEN];
    size_t secret_len = tnt_cursor_len(&secret_tok) / 2;
    if (!secret_len_ok(label, secret_len) || !unhex(&secret_tok, secret, secret_len)) {
        *what = is_tls13_label(label) ? "secret is not 64 or 96 hex digits"
                                      : "secret is not 96 hex digits";
        return LINE_MALFORMED;
    }
    tnt_keylog_add(kl, label, key, key_len, secret, secret_len);
    return LINE_LOADED;
}

void tnt_keylog_load_buffer(tnt_keylog *kl, const char *name, const uint8_t *data, size_t len,
                            tnt_keylog_warn_fn warn, void *user, tnt_keylog_stats *stats)
{
    tnt_keylog_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    /* Editors on Windows like to start UTF-8 text with a byte order mark. */
    tnt_cursor c, bom;
    tnt_cursor_init(&c, data, len);
    bom = c;
    uint8_t b0, b1, b2;
    if (tnt_get_u8(&bom, &b0) && tnt_get_u8(&bom, &b1) && tnt_get_u8(&bom, &b2) && b0 == 0xef &&
        b1 == 0xbb && b2 == 0xbf)
        c = bom;
    tnt_keylog_load_more(kl, name, tnt_cursor_data(&c), tnt_cursor_len(&c), warn, user, stats);
}

void tnt_keylog_load_more(tnt_keylog *kl, const char *name, const uint8_t *data, size_t len,
                          tnt_keylog_warn_fn warn, void *user, tnt_keylog_stats *stats)
{
    tnt_cursor c, line;
    tnt_cursor_init(&c, data, len);
    while (next_line(&c, &line)) {
        stats->lines++;
        const char *what = NULL;
        switch (parse_line(kl, line, &what)) {
        case LINE_SKIPPED:
            stats->skipped++;
            break;
        case LINE_LOADED:
            stats->loaded++;
            break;
        case LINE_MALFORMED:
            stats->malformed++;
            break;
        case LINE_UNKNOWN:
            stats->unknown++;
            break;
        }
        if (what && warn)
            warn(user, name, stats->lines, what);
    }
}
