#include "merge.h"
#include "jdom.h"
#include "summary.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A session some earlier run's full handshake created, as lib's session
 * store remembers it (lib/tnt/negotiation.c: keyed by session ID, a later
 * full handshake with the same ID replaces it). */
typedef struct session {
    bool trust, insecure;
    char *target;
    int64_t conn, handshake;
} session;

static void free_session(gpointer p)
{
    session *s = p;
    g_free(s->target);
    g_free(s);
}

static void shift(jv *v, int64_t offset)
{
    if (v && v->type == JV_NUM) {
        int64_t n = jv_int(v, 0) + offset;
        g_free(v->s);
        v->s = g_strdup_printf("%lld", (long long)n);
    }
}

/* "... of connection N established..." in the resume violations lib
 * writes, renumbered like the conn fields. */
static void shift_message(jv *msg, int64_t offset)
{
    const char *s = jv_str(msg);
    const char *at = s ? strstr(s, " of connection ") : NULL;
    if (!at || !offset)
        return;
    const char *num = at + strlen(" of connection ");
    char *end;
    long long n = strtoll(num, &end, 10);
    if (end == num)
        return;
    char *t = g_strdup_printf("%.*s%lld%s", (int)(num - s), s, n + offset, end);
    g_free(msg->s);
    msg->s = t;
    msg->len = strlen(t);
}

static jv *link_object(const session *e)
{
    jv *o = jv_new_obj();
    jv_set(o, "conn", jv_new_num(e->conn));
    jv_set(o, "handshake", jv_new_num(e->handshake));
    jv_set(o, "target", e->target ? jv_new_str(e->target) : jv_new_null());
    jv_set(o, "insecure", jv_new_bool(e->insecure));
    jv_set(o, "trust", jv_new_bool(e->trust));
    return o;
}

#define UNKNOWN_TAIL "whose establishing handshake is not in the input"

/* A resumption this run could not link, and an earlier run has the session. */
static void relink(jv *conn, jv *h, GHashTable *earlier)
{
    jv *by = jv_get(h, "established_by");
    const char *sid = jv_str(jv_get(h, "session_id"));
    if (!by || by->type != JV_NULL || !sid)
        return;
    const session *e = g_hash_table_lookup(earlier, sid);
    if (!e)
        return;
    int64_t index = jv_int(jv_get(h, "index"), 0);
    jv *viols = jv_get(conn, "violations");
    for (size_t i = 0; i < jv_n(viols); i++) {
        jv *v = jv_at(viols, i);
        const char *code = jv_str(jv_get(v, "code"));
        const char *msg = jv_str(jv_get(v, "message"));
        if (!code || strcmp(code, "resume-unknown-session") || !msg ||
            jv_int(jv_get(v, "handshake"), -1) != index || !strstr(msg, UNKNOWN_TAIL))
            continue;
        /* As lib/tnt/negotiation.c links a session it knows: named either
         * way, so that the handshake agrees with the violation. */
        jv_set(h, "established_by", link_object(e));
        if (e->trust) {
            jv_remove_at(viols, i);
        } else {
            jv_set(v, "severity", jv_new_str("error"));
            char *m = g_strdup_printf("tnt: resume answered for session %s, which handshake "
                                      "%lld of connection %lld established without trust",
                                      sid, (long long)e->handshake, (long long)e->conn);
            jv_set(v, "message", jv_new_str(m));
            g_free(m);
        }
        return;
    }
}

static void remember(GHashTable *mine, const jv *conn)
{
    const jv *hs = jv_get(conn, "handshakes");
    for (size_t i = 0; i < jv_n(hs); i++) {
        const jv *h = jv_at(hs, i);
        const char *sid = jv_str(jv_get(h, "session_id"));
        if (!sid || jv_true(jv_get(h, "resumed")))
            continue;
        const jv *n = jv_get(h, "negotiation");
        session *e = g_new0(session, 1);
        e->trust = jv_true(jv_get(n, "trust_established"));
        e->insecure = jv_true(jv_get(n, "insecure"));
        e->target = g_strdup(jv_str(jv_get(n, "target")));
        e->conn = jv_int(jv_get(conn, "conn"), 0);
        e->handshake = jv_int(jv_get(h, "index"), 0);
        g_hash_table_replace(mine, g_strdup(sid), e);
    }
}

static GPtrArray *read_lines(const char *path, char *err, size_t errcap)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &text, &len, &ge)) {
        snprintf(err, errcap, "%s", ge->message);
        g_error_free(ge);
        return NULL;
    }
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
    size_t lineno = 0;
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        if (n) {
            char why[128];
            jv *v = jv_parse(p, n, why, sizeof why);
            if (!v || v->type != JV_OBJ) {
                snprintf(err, errcap, "line %zu: not a JSON object (%s)", lineno,
                         v ? "another value" : why);
                jv_free(v);
                g_ptr_array_free(out, TRUE);
                g_free(text);
                return NULL;
            }
            g_ptr_array_add(out, v);
        }
        p += n + 1;
    }
    g_free(text);
    return out;
}

int merge_main(const char *const *paths, int n_paths, bool json, bool want_summary)
{
    (void)json;
    (void)want_summary;
    if (n_paths == 0) {
        fprintf(stderr, "tntdump: --merge needs NDJSON files (tntdump --json --summary output)\n");
        return 2;
    }
    summary sum;
    summary_init(&sum);
    chatter *diag = chatter_new();
    sum.diagnostics = diag;
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    GHashTable *earlier = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_session);
    int64_t offset = 0;
    int status = 0;
    GString *o = g_string_new(NULL);
    for (int i = 0; i < n_paths; i++) {
        char err[256];
        GPtrArray *lines = read_lines(paths[i], err, sizeof err);
        if (!lines) {
            fprintf(stderr, "tntdump: %s: %s\n", paths[i], err);
            status = 1;
            continue;
        }
        int64_t count = -1, max_conn = 0;
        for (guint k = 0; k < lines->len; k++) {
            jv *v = g_ptr_array_index(lines, k);
            const char *type = jv_str(jv_get(v, "type"));
            if (type && !strcmp(type, "summary")) {
                count = jv_int(jv_get(v, "tcp_connections"), -1);
                const jv *d = jv_get(v, "diagnostics");
                for (guint m = 0; d && d->type == JV_OBJ && m < d->items->len; m++) {
                    const jmember *e = g_ptr_array_index(d->items, m);
                    uint64_t n = (uint64_t)jv_int(e->val, 0);
                    chatter_add(diag, e->key, n, n);
                }
                jv *fl = jv_get(v, "files");
                for (size_t f = 0; f < jv_n(fl); f++)
                    if (jv_str(jv_at(fl, f)))
                        g_ptr_array_add(files, g_strdup(jv_str(jv_at(fl, f))));
            } else if (type && !strcmp(type, "connection")) {
                int64_t c = jv_int(jv_get(v, "conn"), 0);
                max_conn = c > max_conn ? c : max_conn;
            }
        }
        if (count < 0) {
            fprintf(stderr,
                    "tntdump: %s: no summary with tcp_connections (not made with --json "
                    "--summary): connection numbers after it may differ from one run's\n",
                    paths[i]);
            count = max_conn;
        }
        GHashTable *mine = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_session);
        for (guint k = 0; k < lines->len; k++) {
            jv *v = g_ptr_array_index(lines, k);
            const char *type = jv_str(jv_get(v, "type"));
            if (!type || strcmp(type, "connection"))
                continue;
            shift(jv_get(v, "conn"), offset);
            jv *hs = jv_get(v, "handshakes");
            for (size_t h = 0; h < jv_n(hs); h++) {
                jv *by = jv_get(jv_at(hs, h), "established_by");
                if (by && by->type == JV_OBJ)
                    shift(jv_get(by, "conn"), offset);
            }
            jv *viols = jv_get(v, "violations");
            for (size_t x = 0; x < jv_n(viols); x++) {
                jv *vv = jv_at(viols, x);
                const char *code = jv_str(jv_get(vv, "code"));
                if (code && !strcmp(code, "resume-unknown-session"))
                    shift_message(jv_get(vv, "message"), offset);
            }
            for (size_t h = 0; h < jv_n(hs); h++)
                relink(v, jv_at(hs, h), earlier);
            remember(mine, v);
            summary_add(&sum, v);
            g_string_truncate(o, 0);
            jv_write(o, v);
            g_string_append_c(o, '\n');
            fwrite(o->str, 1, o->len, stdout);
        }
        /* Later runs see this run's sessions; it saw its own already. */
        GHashTableIter it;
        gpointer key, val;
        g_hash_table_iter_init(&it, mine);
        while (g_hash_table_iter_next(&it, &key, &val)) {
            g_hash_table_iter_steal(&it);
            g_hash_table_replace(earlier, key, val);
        }
        g_hash_table_destroy(mine);
        offset += count;
        g_ptr_array_free(lines, TRUE);
    }
    sum.tcp_connections = (uint64_t)offset;
    summary_json(stdout, &sum, (const char *const *)files->pdata, (int)files->len);
    fflush(stdout);
    g_string_free(o, TRUE);
    g_hash_table_destroy(earlier);
    g_ptr_array_free(files, TRUE);
    summary_free(&sum);
    chatter_free(diag);
    return status;
}
