#include "merge.h"
#include "chatter.h"
#include "jdom.h"
#include "summary.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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

/* A shard is read twice, a line at a time, so that memory follows the
 * longest line and not the file (shards of a large capture run to
 * gigabytes): the first pass checks every line and takes the summary, whose
 * connection count numbers the next shard; the second rewrites the
 * connections. A bad line anywhere leaves the whole shard out: the first
 * pass finds it before anything of the shard is written. Input that cannot
 * be read again (a pipe) is kept in a temporary file during the first pass. */
typedef struct shard {
    FILE *in;      /* the second pass reads this */
    int64_t count; /* tcp_connections of its summary, or -1 */
    int64_t max_conn;
} shard;

typedef struct line_reader {
    char *buf;
    size_t cap;
    size_t lineno;
} line_reader;

/* The next non-empty line's value (an object), NULL at the end or on error
 * (err set, and *bad true). */
static jv *next_object(FILE *f, line_reader *r, FILE *copy, bool *bad, char *err, size_t errcap)
{
    ssize_t n;
    while ((n = getline(&r->buf, &r->cap, f)) >= 0) {
        r->lineno++;
        if (copy && fwrite(r->buf, 1, (size_t)n, copy) != (size_t)n) {
            snprintf(err, errcap, "cannot keep a copy of the input: %s", strerror(errno));
            *bad = true;
            return NULL;
        }
        size_t len = (size_t)n;
        if (len && r->buf[len - 1] == '\n')
            len--;
        if (!len)
            continue;
        char why[128];
        jv *v = jv_parse(r->buf, len, why, sizeof why);
        if (!v || v->type != JV_OBJ) {
            snprintf(err, errcap, "line %zu: not a JSON object (%s)", r->lineno,
                     v ? "another value" : why);
            jv_free(v);
            *bad = true;
            return NULL;
        }
        return v;
    }
    if (ferror(f)) {
        snprintf(err, errcap, "read error: %s", strerror(errno));
        *bad = true;
    }
    return NULL;
}

static bool first_pass(const char *path, shard *sh, chatter *diag, GPtrArray *files, char *err,
                       size_t errcap)
{
    memset(sh, 0, sizeof *sh);
    sh->count = -1;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s", strerror(errno));
        return false;
    }
    FILE *spill = NULL; /* a pipe's copy */
    if (fseeko(f, 0, SEEK_CUR) != 0) {
        spill = tmpfile();
        if (!spill) {
            snprintf(err, errcap, "not seekable, and no temporary file for it: %s",
                     strerror(errno));
            fclose(f);
            return false;
        }
    }
    /* Its summaries count only once the whole shard is known to be good. */
    GPtrArray *sums = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
    line_reader r = {0};
    bool bad = false;
    jv *v;
    while ((v = next_object(f, &r, spill, &bad, err, errcap))) {
        const char *type = jv_str(jv_get(v, "type"));
        if (type && !strcmp(type, "summary")) {
            g_ptr_array_add(sums, v);
            continue;
        }
        if (type && !strcmp(type, "connection")) {
            int64_t c = jv_int(jv_get(v, "conn"), 0);
            sh->max_conn = c > sh->max_conn ? c : sh->max_conn;
        }
        jv_free(v);
    }
    free(r.buf);
    if (!bad && spill && fflush(spill) != 0) {
        snprintf(err, errcap, "cannot keep a copy of the input: %s", strerror(errno));
        bad = true;
    }
    for (guint k = 0; !bad && k < sums->len; k++) {
        v = g_ptr_array_index(sums, k);
        sh->count = jv_int(jv_get(v, "tcp_connections"), -1);
        const jv *d = jv_get(v, "diagnostics");
        for (guint m = 0; d && d->type == JV_OBJ && m < d->items->len; m++) {
            const jmember *e = g_ptr_array_index(d->items, m);
            uint64_t n = (uint64_t)jv_int(e->val, 0);
            chatter_add(diag, e->key, n, n);
        }
        jv *fl = jv_get(v, "files");
        for (size_t i = 0; i < jv_n(fl); i++)
            if (jv_str(jv_at(fl, i)))
                g_ptr_array_add(files, g_strdup(jv_str(jv_at(fl, i))));
    }
    g_ptr_array_free(sums, TRUE);
    if (spill) {
        fclose(f);
        f = spill;
    }
    if (bad) {
        fclose(f);
        return false;
    }
    if (fseeko(f, 0, SEEK_SET) != 0) {
        snprintf(err, errcap, "cannot read it again: %s", strerror(errno));
        fclose(f);
        return false;
    }
    sh->in = f;
    return true;
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
        shard sh;
        if (!first_pass(paths[i], &sh, diag, files, err, sizeof err)) {
            fprintf(stderr, "tntdump: %s: %s\n", paths[i], err);
            status = 1;
            continue;
        }
        int64_t count = sh.count;
        if (count < 0) {
            fprintf(stderr,
                    "tntdump: %s: no summary with tcp_connections (not made with --json "
                    "--summary): connection numbers after it may differ from one run's\n",
                    paths[i]);
            count = sh.max_conn;
        }
        GHashTable *mine = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_session);
        line_reader r = {0};
        bool bad = false;
        jv *v;
        while ((v = next_object(sh.in, &r, NULL, &bad, err, sizeof err))) {
            const char *type = jv_str(jv_get(v, "type"));
            if (!type || strcmp(type, "connection")) {
                jv_free(v);
                continue;
            }
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
            jv_free(v);
        }
        free(r.buf);
        fclose(sh.in);
        if (bad) { /* the file changed between the passes */
            fprintf(stderr, "tntdump: %s: %s\n", paths[i], err);
            status = 1;
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
