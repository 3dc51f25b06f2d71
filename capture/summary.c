#include "summary.h"

#include <string.h>

#define TOP 10

static GHashTable *counter(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void summary_init(summary *s)
{
    memset(s, 0, sizeof *s);
    s->versions = counter();
    s->suites = counter();
    s->outcomes = counter();
    s->rounds = counter();
    s->cred_types = counter();
    s->failures = counter();
    s->violations = counter();
}

void summary_free(summary *s)
{
    g_hash_table_destroy(s->versions);
    g_hash_table_destroy(s->suites);
    g_hash_table_destroy(s->outcomes);
    g_hash_table_destroy(s->rounds);
    g_hash_table_destroy(s->cred_types);
    g_hash_table_destroy(s->failures);
    g_hash_table_destroy(s->violations);
}

static void count(GHashTable *h, const char *key)
{
    if (!key)
        return;
    gpointer old = NULL, k = NULL;
    if (g_hash_table_lookup_extended(h, key, &k, &old))
        g_hash_table_insert(h, g_strdup(key), GSIZE_TO_POINTER(GPOINTER_TO_SIZE(old) + 1));
    else
        g_hash_table_insert(h, g_strdup(key), GSIZE_TO_POINTER(1));
}

static uint64_t get(GHashTable *h, const char *key)
{
    return GPOINTER_TO_SIZE(g_hash_table_lookup(h, key));
}

void summary_add(summary *s, const jv *c)
{
    s->connections++;
    count(s->versions, jv_str(jv_get(c, "version")));
    const jv *hs = jv_get(c, "handshakes");
    for (size_t i = 0; i < jv_n(hs); i++) {
        const jv *h = jv_at(hs, i);
        s->handshakes++;
        const char *kind = jv_str(jv_get(h, "kind"));
        if (kind && !strcmp(kind, "initial"))
            s->initial++;
        else if (kind && !strcmp(kind, "renegotiation"))
            s->renegotiation++;
        else if (kind)
            s->resumption++;
        count(s->suites, jv_str(jv_get(h, "cipher_suite")));
        const jv *n = jv_get(h, "negotiation");
        if (!n || n->type != JV_OBJ)
            continue;
        s->negotiations++;
        const char *outcome = jv_str(jv_get(n, "outcome"));
        count(s->outcomes, outcome);
        s->trust += jv_true(jv_get(n, "trust_established"));
        const jv *rounds = jv_get(n, "rounds");
        char buf[32];
        snprintf(buf, sizeof buf, "%zu", jv_n(rounds));
        count(s->rounds, buf);
        for (size_t r = 0; r < jv_n(rounds); r++) {
            const jv *creds = jv_get(jv_at(rounds, r), "credentials");
            for (size_t k = 0; k < jv_n(creds); k++)
                count(s->cred_types, jv_str(jv_get(jv_at(creds, k), "type")));
        }
        if (outcome && !strcmp(outcome, "failure"))
            count(s->failures,
                  jv_str(jv_get(n, "reason")) ? jv_str(jv_get(n, "reason")) : "(no reason given)");
    }
    const jv *v = jv_get(c, "violations");
    for (size_t i = 0; i < jv_n(v); i++)
        count(s->violations, jv_str(jv_get(jv_at(v, i), "code")));
}

typedef struct kv {
    const char *key;
    uint64_t n;
} kv;

/* Most frequent first, ties bytewise by key: the same order on every run. */
static gint by_count(gconstpointer a, gconstpointer b)
{
    const kv *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Round counts in numeric order. */
static gint by_number(gconstpointer a, gconstpointer b)
{
    const kv *x = a, *y = b;
    long long p = atoll(x->key), q = atoll(y->key);
    return p < q ? -1 : p > q;
}

static GArray *sorted(GHashTable *h, GCompareFunc cmp)
{
    GArray *a = g_array_new(FALSE, FALSE, sizeof(kv));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, h);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        kv e = {k, GPOINTER_TO_SIZE(v)};
        g_array_append_val(a, e);
    }
    g_array_sort(a, cmp);
    return a;
}

static void json_str(GString *o, const char *s)
{
    jv_write_string(o, s, strlen(s));
}

/* An object of counts; limit 0 = all. */
static void json_counts(GString *o, const char *name, GHashTable *h, GCompareFunc cmp, guint limit)
{
    g_string_append_printf(o, ",\"%s\":{", name);
    GArray *a = sorted(h, cmp);
    for (guint i = 0; i < a->len && (!limit || i < limit); i++) {
        kv *e = &g_array_index(a, kv, i);
        if (i)
            g_string_append_c(o, ',');
        json_str(o, e->key);
        g_string_append_printf(o, ":%llu", (unsigned long long)e->n);
    }
    g_string_append_c(o, '}');
    g_array_free(a, TRUE);
}

/* The top entries as [{"name":..,"count":n}]: an order that JSON objects do
 * not promise to keep. */
static void json_top(GString *o, const char *name, const char *field, GHashTable *h)
{
    g_string_append_printf(o, ",\"%s\":[", name);
    GArray *a = sorted(h, by_count);
    for (guint i = 0; i < a->len && i < TOP; i++) {
        kv *e = &g_array_index(a, kv, i);
        g_string_append_printf(o, "%s{\"%s\":", i ? "," : "", field);
        json_str(o, e->key);
        g_string_append_printf(o, ",\"count\":%llu}", (unsigned long long)e->n);
    }
    g_string_append_c(o, ']');
    g_array_free(a, TRUE);
}

void summary_json(FILE *f, const summary *s, const char *const *files, int n_files)
{
    GString *o = g_string_new("{\"type\":\"summary\",\"files\":[");
    for (int i = 0; i < n_files; i++) {
        if (i)
            g_string_append_c(o, ',');
        json_str(o, files[i]);
    }
    g_string_append_printf(
        o,
        "],\"connections\":%llu,\"handshakes\":%llu,\"negotiations\":%llu,"
        "\"outcomes\":{\"success\":%llu,\"failure\":%llu,\"incomplete\":%llu},"
        "\"trust_established\":%llu",
        (unsigned long long)s->connections, (unsigned long long)s->handshakes,
        (unsigned long long)s->negotiations, (unsigned long long)get(s->outcomes, "success"),
        (unsigned long long)get(s->outcomes, "failure"),
        (unsigned long long)get(s->outcomes, "incomplete"), (unsigned long long)s->trust);
    /* json_out.c lists violations in code order; a count order here says
     * the same and needs no code table. */
    json_counts(o, "violations", s->violations, by_count, 0);
    g_string_append_printf(o,
                           ",\"tcp_connections\":%llu,\"handshake_kinds\":{\"initial\":%llu,"
                           "\"renegotiation\":%llu,\"resumption\":%llu}",
                           (unsigned long long)s->tcp_connections, (unsigned long long)s->initial,
                           (unsigned long long)s->renegotiation, (unsigned long long)s->resumption);
    json_counts(o, "versions", s->versions, by_count, 0);
    json_counts(o, "cipher_suites", s->suites, by_count, 0);
    json_counts(o, "round_counts", s->rounds, by_number, 0);
    json_top(o, "credential_types", "type", s->cred_types);
    json_top(o, "failure_reasons", "reason", s->failures);
    if (s->diagnostics && !chatter_empty(s->diagnostics)) {
        g_string_append(o, ",\"diagnostics\":");
        chatter_json(s->diagnostics, o);
    }
    g_string_append(o, "}\n");
    fwrite(o->str, 1, o->len, f);
    g_string_free(o, TRUE);
}

static void text_counts(FILE *f, const char *title, GHashTable *h, GCompareFunc cmp, guint limit,
                        const char *suffix)
{
    GArray *a = sorted(h, cmp);
    fprintf(f, "%s:", title);
    if (!a->len)
        fprintf(f, " none");
    fprintf(f, "\n");
    for (guint i = 0; i < a->len && (!limit || i < limit); i++) {
        kv *e = &g_array_index(a, kv, i);
        fprintf(f, "  %6llu  %s%s\n", (unsigned long long)e->n, e->key, suffix);
    }
    g_array_free(a, TRUE);
}

void summary_text(FILE *f, const summary *s, int n_files)
{
    fprintf(f, "== summary of %d input%s\n", n_files, n_files == 1 ? "" : "s");
    fprintf(f, "connections: %llu with TLS (of %llu TCP)\n", (unsigned long long)s->connections,
            (unsigned long long)s->tcp_connections);
    text_counts(f, "versions", s->versions, by_count, 0, "");
    text_counts(f, "cipher suites", s->suites, by_count, 0, "");
    fprintf(f, "handshakes: %llu (initial %llu, renegotiations %llu, resumptions %llu)\n",
            (unsigned long long)s->handshakes, (unsigned long long)s->initial,
            (unsigned long long)s->renegotiation, (unsigned long long)s->resumption);
    fprintf(f,
            "negotiations: %llu (success %llu, failure %llu, incomplete %llu), trust established "
            "%llu\n",
            (unsigned long long)s->negotiations, (unsigned long long)get(s->outcomes, "success"),
            (unsigned long long)get(s->outcomes, "failure"),
            (unsigned long long)get(s->outcomes, "incomplete"), (unsigned long long)s->trust);
    text_counts(f, "rounds per negotiation", s->rounds, by_number, 0, " rounds");
    text_counts(f, "most disclosed credential types", s->cred_types, by_count, TOP, "");
    text_counts(f, "most common failure reasons", s->failures, by_count, TOP, "");
    text_counts(f, "violations", s->violations, by_count, 0, "");
}
