/* A recursive-descent parser for `dn_expression` (spec section 6); the reading
 * of the grammar is described in dn_expression.h.
 *
 * The parser has no separate lexer: each keyword is matched as the literal the
 * ABNF names, which is what makes `cred("a")orcred("b")` parse exactly as the
 * grammar allows, and white space is skipped before each token. The expression
 * is wire data, so it is read only through a tnt_cursor. */
#include "dn_expression.h"

#include <string.h>

typedef struct parser {
    tnt_cursor c;
    tnt_arena *a;
    tnt_error *err;
    uint32_t last_end; /* just after the last token consumed */
    int depth;
} parser;

static const char E_NOMEM[] = "out of memory";

static uint32_t pos(const parser *p)
{
    return tnt_cursor_offset(&p->c);
}

static bool at_end(const parser *p)
{
    return tnt_cursor_len(&p->c) == 0;
}

static bool is_ws(uint8_t b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static void skip_ws(parser *p)
{
    uint8_t b;
    while (tnt_peek_u8(&p->c, &b) && is_ws(b))
        tnt_skip(&p->c, 1);
}

/* Consumes the literal s if the input continues with it. */
static bool lit(parser *p, const char *s)
{
    tnt_cursor t = p->c;
    for (; *s; s++) {
        uint8_t b;
        if (!tnt_get_u8(&t, &b) || b != (uint8_t)*s)
            return false;
    }
    p->c = t;
    p->last_end = pos(p);
    return true;
}

/* White space, then the literal s. */
static bool tok(parser *p, const char *s)
{
    skip_ws(p);
    return lit(p, s);
}

static void *fail(parser *p, uint32_t off, const char *what)
{
    tnt_fail(p->err, off, what);
    return NULL;
}

static tnt_span span_to_here(const parser *p, uint32_t start)
{
    tnt_span s = {start, p->last_end - start};
    return s;
}

/* One non-ASCII UTF-8 sequence (RFC 3629 UTF8-2 / UTF8-3 / UTF8-4), consumed
 * only when it is well-formed. The narrowed second-byte ranges are what rule
 * out overlong forms (E0, F0), surrogates (ED) and values past U+10FFFF (F4). */
static bool utf8_char(tnt_cursor *c)
{
    tnt_cursor t = *c;
    uint8_t b0, b;
    if (!tnt_get_u8(&t, &b0))
        return false;
    int n;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        n = 1;
    else if (b0 == 0xE0)
        n = 2, lo = 0xA0;
    else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
        n = 2;
    else if (b0 == 0xED)
        n = 2, hi = 0x9F;
    else if (b0 == 0xF0)
        n = 3, lo = 0x90;
    else if (b0 >= 0xF1 && b0 <= 0xF3)
        n = 3;
    else if (b0 == 0xF4)
        n = 3, hi = 0x8F;
    else
        return false;
    for (int i = 0; i < n; i++) {
        if (!tnt_get_u8(&t, &b) || b < lo || b > hi)
            return false;
        lo = 0x80;
        hi = 0xBF;
    }
    *c = t;
    return true;
}

bool tnt_utf8_valid(const uint8_t *b, size_t len, size_t *bad)
{
    tnt_cursor c;
    tnt_cursor_init(&c, b, len);
    uint8_t v;
    while (tnt_peek_u8(&c, &v)) {
        if (v < 0x80)
            tnt_skip(&c, 1);
        else if (!utf8_char(&c)) {
            if (bad)
                *bad = tnt_cursor_offset(&c);
            return false;
        }
    }
    return true;
}

/* Reads the body of a string literal (after its opening quote) up to and
 * including the closing quote. With out == NULL it only validates and counts
 * the unescaped bytes; otherwise it writes them. */
static bool string_body(parser *p, tnt_cursor *c, char *out, size_t *n)
{
    *n = 0;
    for (;;) {
        uint32_t at = tnt_cursor_offset(c);
        uint8_t b;
        if (!tnt_peek_u8(c, &b)) {
            tnt_fail(p->err, at, "unterminated string");
            return false;
        }
        if (b >= 0x80) {
            tnt_cursor t = *c;
            if (!utf8_char(c)) {
                tnt_fail(p->err, at, "invalid UTF-8 in string");
                return false;
            }
            /* copy the sequence byte by byte, through the cursor */
            while (tnt_cursor_offset(&t) < tnt_cursor_offset(c)) {
                tnt_get_u8(&t, &b);
                if (out)
                    out[*n] = (char)b;
                (*n)++;
            }
            continue;
        }
        tnt_skip(c, 1);
        if (b == '"')
            return true;
        if (b == '\\') {
            if (!tnt_get_u8(c, &b)) {
                tnt_fail(p->err, tnt_cursor_offset(c), "unterminated string");
                return false;
            }
            if (b != '"' && b != '\\') {
                tnt_fail(p->err, at, "invalid escape (only \\\" and \\\\ are escapes)");
                return false;
            }
        } else if (b < 0x20 || b == 0x7F) {
            tnt_fail(p->err, at, "control character in string");
            return false;
        }
        if (out)
            out[*n] = (char)b;
        (*n)++;
    }
}

static bool string(parser *p, tnt_dn_string *s)
{
    skip_ws(p);
    uint32_t start = pos(p);
    if (!lit(p, "\""))
        return fail(p, start, "expected a string");
    tnt_cursor body = p->c;
    size_t n;
    if (!string_body(p, &p->c, NULL, &n))
        return false;
    char *buf = tnt_arena_alloc(p->a, n + 1);
    if (!buf)
        return fail(p, start, E_NOMEM);
    string_body(p, &body, buf, &n);
    buf[n] = '\0';
    s->s = buf;
    s->len = n;
    p->last_end = pos(p);
    s->at = span_to_here(p, start);
    return true;
}

/* Arena-backed growing arrays for operand and constraint lists; the abandoned
 * copies stay in the arena, at most doubling what the lists need. */
static void *grow(parser *p, void *v, uint32_t n, uint32_t *cap, size_t sz)
{
    if (n < *cap)
        return v;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *nv = tnt_arena_array(p->a, ncap, sz);
    if (!nv)
        return NULL;
    if (n)
        memcpy(nv, v, n * sz);
    *cap = ncap;
    return nv;
}

static const struct {
    const char *name;
    tnt_dn_attr attr;
} attrs[] = {
    /* longer names first: "CN" before "C", "OU" before "O" */
    {"CN", TNT_DN_ATTR_CN}, {"C", TNT_DN_ATTR_C},   {"OU", TNT_DN_ATTR_OU},
    {"O", TNT_DN_ATTR_O},   {"ST", TNT_DN_ATTR_ST}, {"L", TNT_DN_ATTR_L},
};

static bool constraint(parser *p, tnt_dn_constraint *k)
{
    skip_ws(p);
    uint32_t start = pos(p);
    if (lit(p, "issuer"))
        k->field = TNT_DN_ISSUER;
    else if (lit(p, "subject"))
        k->field = TNT_DN_SUBJECT;
    else
        return fail(p, start, "expected \"issuer\" or \"subject\"");
    if (!tok(p, "."))
        return fail(p, pos(p), "expected \".\"");
    skip_ws(p);
    size_t i;
    for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        if (lit(p, attrs[i].name))
            break;
    if (i == sizeof(attrs) / sizeof(attrs[0]))
        return fail(p, pos(p), "expected an attribute (CN, O, OU, C, ST or L)");
    k->attr = attrs[i].attr;
    if (!tok(p, "="))
        return fail(p, pos(p), "expected \"=\"");
    if (!string(p, &k->value))
        return false;
    k->at = span_to_here(p, start);
    return true;
}

/* After the keyword "cred", which starts at start. */
static tnt_dn_node *cred(parser *p, uint32_t start)
{
    tnt_dn_node *n = tnt_arena_alloc(p->a, sizeof(*n));
    if (!n)
        return fail(p, start, E_NOMEM);
    n->kind = TNT_DN_CRED;
    tnt_dn_cred *c = &n->u.cred;
    if (!tok(p, "("))
        return fail(p, pos(p), "expected \"(\" after cred");
    if (!string(p, &c->type))
        return NULL;
    uint32_t cap = 0;
    for (;;) {
        if (tok(p, ")"))
            break;
        if (!lit(p, ","))
            return fail(p, pos(p), "expected \",\" or \")\"");
        c->constraints = grow(p, c->constraints, c->n_constraints, &cap, sizeof(*c->constraints));
        if (!c->constraints)
            return fail(p, pos(p), E_NOMEM);
        if (!constraint(p, &c->constraints[c->n_constraints]))
            return NULL;
        c->n_constraints++;
    }
    n->at = span_to_here(p, start);
    return n;
}

static tnt_dn_node *or_expr(parser *p);

static tnt_dn_node *primary(parser *p)
{
    skip_ws(p);
    uint32_t start = pos(p);
    if (lit(p, "(")) {
        if (++p->depth > TNT_DN_MAX_DEPTH)
            return fail(p, start, "parentheses nested too deep");
        tnt_dn_node *n = or_expr(p);
        if (!n)
            return NULL;
        if (!tok(p, ")"))
            return fail(p, pos(p), "expected \"and\", \"or\" or \")\"");
        p->depth--;
        n->at = span_to_here(p, start);
        return n;
    }
    if (lit(p, "cred"))
        return cred(p, start);
    if (lit(p, "true") || lit(p, "false"))
        return fail(p, start, "true and false must stand alone");
    return fail(p, start, "expected \"(\" or \"cred\"");
}

static bool push(parser *p, tnt_dn_node *list, uint32_t *cap, tnt_dn_node *k)
{
    list->u.list.v = grow(p, list->u.list.v, list->u.list.n, cap, sizeof(*list->u.list.v));
    if (!list->u.list.v)
        return fail(p, pos(p), E_NOMEM);
    list->u.list.v[list->u.list.n++] = k;
    return true;
}

/* and-expr (op "and", operands primary) or or-expr (op "or", operands
 * and-expr): a chain of one operand is that operand itself. */
static tnt_dn_node *chain(parser *p, const char *op, tnt_dn_kind kind,
                          tnt_dn_node *(*operand)(parser *))
{
    tnt_dn_node *first = operand(p);
    if (!first || !tok(p, op))
        return first;
    tnt_dn_node *n = tnt_arena_alloc(p->a, sizeof(*n));
    if (!n)
        return fail(p, first->at.off, E_NOMEM);
    n->kind = kind;
    uint32_t cap = 0;
    if (!push(p, n, &cap, first))
        return NULL;
    do {
        tnt_dn_node *next = operand(p);
        if (!next || !push(p, n, &cap, next))
            return NULL;
    } while (tok(p, op));
    n->at = span_to_here(p, first->at.off);
    return n;
}

static tnt_dn_node *and_expr(parser *p)
{
    return chain(p, "and", TNT_DN_AND, primary);
}

static tnt_dn_node *or_expr(parser *p)
{
    return chain(p, "or", TNT_DN_OR, and_expr);
}

/* After the last token: only the end of the expression may follow. */
static bool at_clean_end(parser *p, const char *expected)
{
    skip_ws(p);
    if (!at_end(p))
        return fail(p, pos(p), expected);
    if (p->last_end != pos(p))
        return fail(p, p->last_end, "white space after the last token");
    return true;
}

tnt_policy_ast *tnt_dn_parse(const uint8_t *expr, size_t len, tnt_arena *a, tnt_error *err)
{
    parser p = {.a = a, .err = err};
    if (len > UINT32_MAX)
        return fail(&p, 0, "policy too long");
    tnt_cursor_init(&p.c, expr, len);
    skip_ws(&p);
    if (at_end(&p))
        return fail(&p, 0, "empty policy");
    if (pos(&p) != 0)
        return fail(&p, 0, "white space before the first token");
    tnt_dn_node *n;
    bool is_true = lit(&p, "true");
    if (is_true || lit(&p, "false")) {
        n = tnt_arena_alloc(a, sizeof(*n));
        if (!n)
            return fail(&p, 0, E_NOMEM);
        n->kind = is_true ? TNT_DN_TRUE : TNT_DN_FALSE;
        n->at = span_to_here(&p, 0);
        return at_clean_end(&p, "true and false must stand alone") ? n : NULL;
    }
    n = or_expr(&p);
    if (!n)
        return NULL;
    return at_clean_end(&p, "expected \"and\", \"or\" or the end of the policy") ? n : NULL;
}

/* ---- canonical text ---- */

typedef struct out {
    char *buf;
    size_t cap, n;
} out;

static void put(out *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++, o->n++)
        if (o->n + 1 < o->cap)
            o->buf[o->n] = s[i];
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_string(out *o, const tnt_dn_string *s)
{
    puts_(o, "\"");
    for (size_t i = 0; i < s->len; i++) {
        if (s->s[i] == '"' || s->s[i] == '\\')
            puts_(o, "\\");
        put(o, &s->s[i], 1);
    }
    puts_(o, "\"");
}

static void format(out *o, const tnt_dn_node *n)
{
    switch (n->kind) {
    case TNT_DN_TRUE:
        puts_(o, "true");
        return;
    case TNT_DN_FALSE:
        puts_(o, "false");
        return;
    case TNT_DN_CRED:
        puts_(o, "cred(");
        put_string(o, &n->u.cred.type);
        for (uint32_t i = 0; i < n->u.cred.n_constraints; i++) {
            const tnt_dn_constraint *k = &n->u.cred.constraints[i];
            puts_(o, ", ");
            puts_(o, tnt_dn_field_name(k->field));
            puts_(o, ".");
            puts_(o, tnt_dn_attr_name(k->attr));
            puts_(o, "=");
            put_string(o, &k->value);
        }
        puts_(o, ")");
        return;
    case TNT_DN_OR:
    case TNT_DN_AND:
        for (uint32_t i = 0; i < n->u.list.n; i++) {
            const tnt_dn_node *k = n->u.list.v[i];
            if (i)
                puts_(o, n->kind == TNT_DN_OR ? " or " : " and ");
            /* Only an AND under an OR keeps its shape without parentheses
             * (and binds tighter); any other nested chain came from them. */
            bool paren = (k->kind == TNT_DN_OR || k->kind == TNT_DN_AND) &&
                         !(k->kind == TNT_DN_AND && n->kind == TNT_DN_OR);
            if (paren)
                puts_(o, "(");
            format(o, k);
            if (paren)
                puts_(o, ")");
        }
        return;
    }
}

size_t tnt_dn_format(const tnt_dn_node *n, char *buf, size_t cap)
{
    out o = {buf, cap, 0};
    if (n)
        format(&o, n);
    if (cap)
        buf[o.n < cap ? o.n : cap - 1] = '\0';
    return o.n;
}

bool tnt_dn_eval(const tnt_dn_node *n, bool (*cred_matches)(void *u, const tnt_dn_cred *c), void *u)
{
    if (!n)
        return false;
    switch (n->kind) {
    case TNT_DN_TRUE:
        return true;
    case TNT_DN_FALSE:
        return false;
    case TNT_DN_CRED:
        return cred_matches(u, &n->u.cred);
    case TNT_DN_OR:
        for (uint32_t i = 0; i < n->u.list.n; i++)
            if (tnt_dn_eval(n->u.list.v[i], cred_matches, u))
                return true;
        return false;
    case TNT_DN_AND:
        for (uint32_t i = 0; i < n->u.list.n; i++)
            if (!tnt_dn_eval(n->u.list.v[i], cred_matches, u))
                return false;
        return true;
    }
    return false;
}

const char *tnt_dn_field_name(tnt_dn_field f)
{
    return f == TNT_DN_ISSUER ? "issuer" : f == TNT_DN_SUBJECT ? "subject" : NULL;
}

const char *tnt_dn_attr_name(tnt_dn_attr a)
{
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        if (attrs[i].attr == a)
            return attrs[i].name;
    return NULL;
}

const char *tnt_dn_attr_oid(tnt_dn_attr a)
{
    switch (a) {
    case TNT_DN_ATTR_CN:
        return "2.5.4.3";
    case TNT_DN_ATTR_O:
        return "2.5.4.10";
    case TNT_DN_ATTR_OU:
        return "2.5.4.11";
    case TNT_DN_ATTR_C:
        return "2.5.4.6";
    case TNT_DN_ATTR_ST:
        return "2.5.4.8";
    case TNT_DN_ATTR_L:
        return "2.5.4.7";
    }
    return NULL;
}
