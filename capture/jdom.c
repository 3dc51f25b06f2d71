#include "jdom.h"
#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const char *p, *end;
    const char *err;
    int depth;
} parser;

static void ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static jv *new_jv(jv_type t)
{
    jv *v = g_new0(jv, 1);
    v->type = t;
    return v;
}

static void free_member(gpointer m)
{
    jmember *x = m;
    g_free(x->key);
    jv_free(x->val);
    g_free(x);
}

void jv_free(jv *v)
{
    if (!v)
        return;
    g_free(v->s);
    if (v->items)
        g_ptr_array_free(v->items, TRUE);
    g_free(v);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool parse_string(parser *ps, GString *out)
{
    ps->p++; /* opening quote */
    while (ps->p < ps->end) {
        char c = *ps->p++;
        if (c == '"')
            return true;
        if (c != '\\') {
            g_string_append_c(out, c);
            continue;
        }
        if (ps->p >= ps->end)
            break;
        char e = *ps->p++;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            g_string_append_c(out, e);
            break;
        case 'b':
            g_string_append_c(out, '\b');
            break;
        case 'f':
            g_string_append_c(out, '\f');
            break;
        case 'n':
            g_string_append_c(out, '\n');
            break;
        case 'r':
            g_string_append_c(out, '\r');
            break;
        case 't':
            g_string_append_c(out, '\t');
            break;
        case 'u': {
            if (ps->end - ps->p < 4)
                goto bad;
            unsigned u = 0;
            for (int i = 0; i < 4; i++) {
                int h = hexval(ps->p[i]);
                if (h < 0)
                    goto bad;
                u = u << 4 | (unsigned)h;
            }
            ps->p += 4;
            if (u >= 0xd800 && u < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
                ps->p[1] == 'u') {
                unsigned lo = 0;
                for (int i = 0; i < 4; i++) {
                    int h = hexval(ps->p[2 + i]);
                    if (h < 0)
                        goto bad;
                    lo = lo << 4 | (unsigned)h;
                }
                ps->p += 6;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            }
            g_string_append_unichar(out, u);
            break;
        }
        default:
            goto bad;
        }
    }
bad:
    ps->err = "bad string";
    return false;
}

static jv *parse_value(parser *ps)
{
    ws(ps);
    if (ps->p >= ps->end) {
        ps->err = "unexpected end";
        return NULL;
    }
    if (++ps->depth > 64) {
        ps->err = "nested too deeply";
        return NULL;
    }
    jv *v = NULL;
    char c = *ps->p;
    if (c == '"') {
        GString *s = g_string_new(NULL);
        if (!parse_string(ps, s)) {
            g_string_free(s, TRUE);
            return NULL;
        }
        v = new_jv(JV_STR);
        v->len = s->len;
        v->s = g_string_free(s, FALSE);
    } else if (c == '{' || c == '[') {
        bool obj = c == '{';
        v = new_jv(obj ? JV_OBJ : JV_ARR);
        v->items = g_ptr_array_new_with_free_func(obj ? free_member : (GDestroyNotify)jv_free);
        ps->p++;
        ws(ps);
        if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
            ps->p++;
        } else {
            for (;;) {
                ws(ps);
                char *k = NULL;
                if (obj) {
                    GString *ks = g_string_new(NULL);
                    if (ps->p >= ps->end || *ps->p != '"' || !parse_string(ps, ks)) {
                        g_string_free(ks, TRUE);
                        ps->err = ps->err ? ps->err : "expected a key";
                        jv_free(v);
                        return NULL;
                    }
                    k = g_string_free(ks, FALSE);
                    ws(ps);
                    if (ps->p >= ps->end || *ps->p != ':') {
                        g_free(k);
                        ps->err = "expected ':'";
                        jv_free(v);
                        return NULL;
                    }
                    ps->p++;
                }
                jv *x = parse_value(ps);
                if (!x) {
                    g_free(k);
                    jv_free(v);
                    return NULL;
                }
                if (obj) {
                    jmember *m = g_new(jmember, 1);
                    m->key = k;
                    m->val = x;
                    g_ptr_array_add(v->items, m);
                } else {
                    g_ptr_array_add(v->items, x);
                }
                ws(ps);
                if (ps->p < ps->end && *ps->p == ',') {
                    ps->p++;
                    continue;
                }
                if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
                    ps->p++;
                    break;
                }
                ps->err = "expected ',' or a closing bracket";
                jv_free(v);
                return NULL;
            }
        }
    } else if (ps->end - ps->p >= 4 && !strncmp(ps->p, "null", 4)) {
        v = new_jv(JV_NULL);
        ps->p += 4;
    } else if (ps->end - ps->p >= 4 && !strncmp(ps->p, "true", 4)) {
        v = new_jv(JV_BOOL);
        v->b = true;
        ps->p += 4;
    } else if (ps->end - ps->p >= 5 && !strncmp(ps->p, "false", 5)) {
        v = new_jv(JV_BOOL);
        ps->p += 5;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *s = ps->p;
        while (ps->p < ps->end && strchr("0123456789+-.eE", *ps->p))
            ps->p++;
        v = new_jv(JV_NUM);
        v->s = g_strndup(s, (gsize)(ps->p - s));
    } else {
        ps->err = "unexpected character";
        return NULL;
    }
    ps->depth--;
    return v;
}

jv *jv_parse(const char *text, size_t len, char *err, size_t errcap)
{
    parser ps = {text, text + len, NULL, 0};
    jv *v = parse_value(&ps);
    if (v) {
        ws(&ps);
        if (ps.p != ps.end) {
            jv_free(v);
            v = NULL;
            ps.err = "text after the value";
        }
    }
    if (!v && err)
        snprintf(err, errcap, "%s at byte %zu", ps.err ? ps.err : "bad JSON",
                 (size_t)(ps.p - text));
    return v;
}

/* Written as json_out.c writes strings, so that merged output is byte for
 * byte what one run prints. */
void jv_write_string(GString *o, const char *s, size_t n)
{
    json_string(o, s, n);
}

void jv_write(GString *o, const jv *v)
{
    switch (v->type) {
    case JV_NULL:
        g_string_append(o, "null");
        break;
    case JV_BOOL:
        g_string_append(o, v->b ? "true" : "false");
        break;
    case JV_NUM:
        g_string_append(o, v->s);
        break;
    case JV_STR:
        jv_write_string(o, v->s, v->len);
        break;
    case JV_ARR:
        g_string_append_c(o, '[');
        for (guint i = 0; i < v->items->len; i++) {
            if (i)
                g_string_append_c(o, ',');
            jv_write(o, g_ptr_array_index(v->items, i));
        }
        g_string_append_c(o, ']');
        break;
    case JV_OBJ:
        g_string_append_c(o, '{');
        for (guint i = 0; i < v->items->len; i++) {
            const jmember *m = g_ptr_array_index(v->items, i);
            if (i)
                g_string_append_c(o, ',');
            jv_write_string(o, m->key, strlen(m->key));
            g_string_append_c(o, ':');
            jv_write(o, m->val);
        }
        g_string_append_c(o, '}');
        break;
    }
}

jv *jv_get(const jv *obj, const char *key)
{
    if (!obj || obj->type != JV_OBJ)
        return NULL;
    for (guint i = 0; i < obj->items->len; i++) {
        jmember *m = g_ptr_array_index(obj->items, i);
        if (!strcmp(m->key, key))
            return m->val;
    }
    return NULL;
}

const char *jv_str(const jv *v)
{
    return v && v->type == JV_STR ? v->s : NULL;
}

int64_t jv_int(const jv *v, int64_t dflt)
{
    return v && v->type == JV_NUM ? g_ascii_strtoll(v->s, NULL, 10) : dflt;
}

bool jv_true(const jv *v)
{
    return v && v->type == JV_BOOL && v->b;
}

size_t jv_n(const jv *v)
{
    return v && v->type == JV_ARR ? v->items->len : 0;
}

jv *jv_at(const jv *v, size_t i)
{
    return i < jv_n(v) ? g_ptr_array_index(v->items, i) : NULL;
}

jv *jv_new_null(void)
{
    return new_jv(JV_NULL);
}

jv *jv_new_bool(bool b)
{
    jv *v = new_jv(JV_BOOL);
    v->b = b;
    return v;
}

jv *jv_new_num(int64_t n)
{
    jv *v = new_jv(JV_NUM);
    v->s = g_strdup_printf("%lld", (long long)n);
    return v;
}

jv *jv_new_str(const char *s)
{
    jv *v = new_jv(JV_STR);
    v->s = g_strdup(s);
    v->len = strlen(s);
    return v;
}

jv *jv_new_obj(void)
{
    jv *v = new_jv(JV_OBJ);
    v->items = g_ptr_array_new_with_free_func(free_member);
    return v;
}

void jv_set(jv *obj, const char *key, jv *val)
{
    for (guint i = 0; i < obj->items->len; i++) {
        jmember *m = g_ptr_array_index(obj->items, i);
        if (!strcmp(m->key, key)) {
            jv_free(m->val);
            m->val = val;
            return;
        }
    }
    jmember *m = g_new(jmember, 1);
    m->key = g_strdup(key);
    m->val = val;
    g_ptr_array_add(obj->items, m);
}

void jv_remove_at(jv *arr, size_t i)
{
    if (i < jv_n(arr))
        g_ptr_array_remove_index(arr->items, (guint)i);
}
