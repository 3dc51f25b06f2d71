/* Fuzz target: the dn_expression policy language.
 *
 * Input: the policy text. Checked, for every input that parses: the
 * canonical text (tnt_dn_format) parses again, to the same tree, and formats
 * to the same text (the format is a fixed point); truncated formatting gives
 * a NUL-terminated prefix of the full text; spans lie inside the text;
 * tnt_dn_eval gives the same answer on both trees. For every input:
 * tnt_utf8_valid() agrees with GLib's validator. */
#include "fuzz_common.h"

#include "dn_expression.h"

#include <glib.h>

static void check_span(tnt_span s, size_t len)
{
    FUZZ_ASSERT(s.off <= len && s.len <= len - s.off);
}

static void check_string(const tnt_dn_string *s, size_t len)
{
    FUZZ_ASSERT(s->s != NULL && strlen(s->s) == s->len);
    check_span(s->at, len);
    /* at covers the quotes: at least two bytes more than the unescaped text. */
    FUZZ_ASSERT(s->at.len >= s->len + 2);
}

static void check_tree(const tnt_dn_node *n, size_t len, int depth)
{
    FUZZ_ASSERT(depth <= TNT_DN_MAX_DEPTH + 2);
    check_span(n->at, len);
    switch (n->kind) {
    case TNT_DN_TRUE:
    case TNT_DN_FALSE:
        break;
    case TNT_DN_OR:
    case TNT_DN_AND:
        FUZZ_ASSERT(n->u.list.n >= 2);
        for (uint32_t i = 0; i < n->u.list.n; i++)
            check_tree(n->u.list.v[i], len, depth + 1);
        break;
    case TNT_DN_CRED:
        check_string(&n->u.cred.type, len);
        for (uint32_t i = 0; i < n->u.cred.n_constraints; i++) {
            const tnt_dn_constraint *k = &n->u.cred.constraints[i];
            check_span(k->at, len);
            check_string(&k->value, len);
            FUZZ_ASSERT(tnt_dn_field_name(k->field) && tnt_dn_attr_name(k->attr) &&
                        tnt_dn_attr_oid(k->attr));
        }
        break;
    default:
        FUZZ_ASSERT(!"bad node kind");
    }
}

static bool same_string(const tnt_dn_string *a, const tnt_dn_string *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static bool same_tree(const tnt_dn_node *a, const tnt_dn_node *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case TNT_DN_OR:
    case TNT_DN_AND:
        if (a->u.list.n != b->u.list.n)
            return false;
        for (uint32_t i = 0; i < a->u.list.n; i++)
            if (!same_tree(a->u.list.v[i], b->u.list.v[i]))
                return false;
        return true;
    case TNT_DN_CRED:
        if (!same_string(&a->u.cred.type, &b->u.cred.type) ||
            a->u.cred.n_constraints != b->u.cred.n_constraints)
            return false;
        for (uint32_t i = 0; i < a->u.cred.n_constraints; i++) {
            const tnt_dn_constraint *x = &a->u.cred.constraints[i];
            const tnt_dn_constraint *y = &b->u.cred.constraints[i];
            if (x->field != y->field || x->attr != y->attr || !same_string(&x->value, &y->value))
                return false;
        }
        return true;
    default:
        return true;
    }
}

/* A deterministic, content-dependent answer for each cred(). */
static bool cred_matches(void *u, const tnt_dn_cred *c)
{
    (*(unsigned *)u)++;
    unsigned h = (unsigned)c->type.len + c->n_constraints;
    for (size_t i = 0; i < c->type.len; i++)
        h = h * 31 + (uint8_t)c->type.s[i];
    return (h & 1) != 0;
}

static void check_utf8(const uint8_t *data, size_t size)
{
    size_t bad = (size_t)-1;
    bool ok = tnt_utf8_valid(data, size, &bad);
    if (memchr(data, 0, size))
        return; /* GLib treats NUL as the end of the text */
    const gchar *end = NULL;
    gboolean gok = g_utf8_validate((const gchar *)data, (gssize)size, &end);
    FUZZ_ASSERT(ok == (bool)gok);
    if (!ok)
        FUZZ_ASSERT(bad == (size_t)((const uint8_t *)end - data));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    check_utf8(data, size);

    tnt_arena a;
    tnt_arena_init(&a);
    tnt_error err = {0};
    tnt_policy_ast *t1 = tnt_dn_parse(data, size, &a, &err);
    if (!t1) {
        FUZZ_ASSERT(err.what != NULL && err.off <= size);
        tnt_arena_free(&a);
        return 0;
    }
    check_tree(t1, size, 0);

    size_t n1 = tnt_dn_format(t1, NULL, 0);
    char *s1 = malloc(n1 + 1);
    FUZZ_ASSERT(tnt_dn_format(t1, s1, n1 + 1) == n1);
    FUZZ_ASSERT(strlen(s1) == n1);

    /* Truncated output: a NUL-terminated prefix. */
    size_t caps[] = {1, n1 / 2 + 1, n1};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        char *t = malloc(caps[i]);
        FUZZ_ASSERT(tnt_dn_format(t1, t, caps[i]) == n1);
        FUZZ_ASSERT(strlen(t) == caps[i] - 1 && memcmp(t, s1, caps[i] - 1) == 0);
        free(t);
    }

    /* Round trip. */
    tnt_error err2 = {0};
    tnt_policy_ast *t2 = tnt_dn_parse((const uint8_t *)s1, n1, &a, &err2);
    if (!t2) {
        fprintf(stderr, "canonical text does not parse: \"%s\" at %u: %s\n", s1, err2.off,
                err2.what);
        FUZZ_ASSERT(!"round trip: canonical text must parse");
    }
    check_tree(t2, n1, 0);
    FUZZ_ASSERT(same_tree(t1, t2));
    size_t n2 = tnt_dn_format(t2, NULL, 0);
    char *s2 = malloc(n2 + 1);
    tnt_dn_format(t2, s2, n2 + 1);
    FUZZ_ASSERT(n2 == n1 && memcmp(s1, s2, n1) == 0);

    unsigned calls1 = 0, calls2 = 0;
    bool e1 = tnt_dn_eval(t1, cred_matches, &calls1);
    bool e2 = tnt_dn_eval(t2, cred_matches, &calls2);
    FUZZ_ASSERT(e1 == e2 && calls1 == calls2);

    free(s1);
    free(s2);
    tnt_arena_free(&a);
    return 0;
}
