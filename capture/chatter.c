#include "chatter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct kind {
    uint64_t count;   /* in the run */
    uint64_t shown;   /* in the run */
    unsigned in_file; /* in the current file */
} kind;

struct chatter {
    GHashTable *kinds; /* normalised text -> kind */
};

chatter *chatter_new(void)
{
    chatter *ch = g_new0(chatter, 1);
    ch->kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return ch;
}

void chatter_free(chatter *ch)
{
    if (!ch)
        return;
    g_hash_table_destroy(ch->kinds);
    g_free(ch);
}

/* Digit runs become "N"; long texts are cut so that a kind stays a kind. */
static char *normalise(const char *text)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text; *p && s->len < 120; p++) {
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)p[1]))
                p++;
            g_string_append_c(s, 'N');
        } else
            g_string_append_c(s, *p);
    }
    return g_string_free(s, FALSE);
}

static kind *get(chatter *ch, const char *name)
{
    kind *k = g_hash_table_lookup(ch->kinds, name);
    if (!k) {
        k = g_new0(kind, 1);
        g_hash_table_insert(ch->kinds, g_strdup(name), k);
    }
    return k;
}

bool chatter_allow(chatter *ch, const char *text)
{
    char *n = normalise(text);
    kind *k = get(ch, n);
    g_free(n);
    k->count++;
    if (k->in_file >= CHATTER_CAP)
        return false;
    k->in_file++;
    k->shown++;
    return true;
}

void chatter_new_file(chatter *ch)
{
    GHashTableIter it;
    gpointer key, val;
    g_hash_table_iter_init(&it, ch->kinds);
    while (g_hash_table_iter_next(&it, &key, &val))
        ((kind *)val)->in_file = 0;
}

void chatter_reset(chatter *ch)
{
    g_hash_table_remove_all(ch->kinds);
}

void chatter_add(chatter *ch, const char *name, uint64_t count, uint64_t shown)
{
    kind *k = get(ch, name);
    k->count += count;
    k->shown += shown;
}

bool chatter_empty(const chatter *ch)
{
    return g_hash_table_size(ch->kinds) == 0;
}

static GList *sorted(const chatter *ch)
{
    return g_list_sort(g_hash_table_get_keys(ch->kinds), (GCompareFunc)strcmp);
}

void chatter_report(const chatter *ch, FILE *f)
{
    GList *keys = sorted(ch);
    for (GList *l = keys; l; l = l->next) {
        const kind *k = g_hash_table_lookup(ch->kinds, l->data);
        if (k->count > k->shown)
            fprintf(f, "tntdump: %llu more \"%s\" not shown (%llu in all)\n",
                    (unsigned long long)(k->count - k->shown), (const char *)l->data,
                    (unsigned long long)k->count);
    }
    g_list_free(keys);
}

static void jstr(GString *o, const char *s)
{
    g_string_append_c(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(o, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(o, "\\u%04x", *p);
        else
            g_string_append_c(o, (char)*p);
    }
    g_string_append_c(o, '"');
}

static void json(const chatter *ch, GString *o, bool shown)
{
    g_string_append_c(o, '{');
    GList *keys = sorted(ch);
    for (GList *l = keys; l; l = l->next) {
        const kind *k = g_hash_table_lookup(ch->kinds, l->data);
        if (l != keys)
            g_string_append_c(o, ',');
        jstr(o, l->data);
        if (shown)
            g_string_append_printf(o, ":[%llu,%llu]", (unsigned long long)k->count,
                                   (unsigned long long)k->shown);
        else
            g_string_append_printf(o, ":%llu", (unsigned long long)k->count);
    }
    g_list_free(keys);
    g_string_append_c(o, '}');
}

void chatter_json(const chatter *ch, GString *o)
{
    json(ch, o, false);
}

void chatter_json_shown(const chatter *ch, GString *o)
{
    json(ch, o, true);
}
