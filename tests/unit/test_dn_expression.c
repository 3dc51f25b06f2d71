/* The dn_expression policy language (spec section 6): every grammar form,
 * escapes, UTF-8, white space, precedence, the canonical text, evaluation,
 * and malformed policies with the exact byte position of their error. */
#include "check.h"
#include "dn_expression.h"

static tnt_arena arena;

static tnt_dn_node *parse_n(const char *s, size_t len, tnt_error *e)
{
    *e = (tnt_error){0};
    /* a heap copy of exactly len bytes, so that ASan catches any read past
     * it; freeing it right away also shows that the tree keeps no pointer
     * into the input */
    uint8_t *heap = malloc(len ? len : 1);
    memcpy(heap, s, len);
    tnt_dn_node *n = tnt_dn_parse(heap, len, &arena, e);
    free(heap);
    return n;
}

static tnt_dn_node *parse(const char *s, tnt_error *e)
{
    return parse_n(s, strlen(s), e);
}

static char text[4096];

static const char *fmt(const tnt_dn_node *n)
{
    tnt_dn_format(n, text, sizeof(text));
    return text;
}

/* Parses s, which must be well-formed, and returns its canonical text. */
static const char *canon(const char *s)
{
    tnt_error e;
    tnt_dn_node *n = parse(s, &e);
    if (!n) {
        fprintf(stderr, "unexpected error at %u: %s in: %s\n", e.off, e.what, s);
        return "(error)";
    }
    return fmt(n);
}

/* s must be malformed, with the error at off saying what. */
static void bad_n(const char *s, size_t len, uint32_t off, const char *what, int line)
{
    tnt_error e;
    tnt_dn_node *n = parse_n(s, len, &e);
    check_count++;
    if (n || e.off != off || !e.what || strcmp(e.what, what) != 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: expected error at %u \"%s\", got %s at %u \"%s\"\n", __FILE__, line,
                off, what, n ? "success" : "error", e.off, e.what ? e.what : "");
    }
}
#define BAD(s, off, what) bad_n((s), strlen(s), (off), (what), __LINE__)
#define BAD_N(s, len, off, what) bad_n((s), (len), (off), (what), __LINE__)

#define CHECK_SPAN(s, o, l)                                                                        \
    do {                                                                                           \
        CHECK_EQ((s).off, (o));                                                                    \
        CHECK_EQ((s).len, (l));                                                                    \
    } while (0)

static const char E_END[] = "expected \"and\", \"or\" or the end of the policy";
static const char E_PRIMARY[] = "expected \"(\" or \"cred\"";
static const char E_ALONE[] = "true and false must stand alone";
static const char E_CLOSE[] = "expected \"and\", \"or\" or \")\"";
static const char E_STRING[] = "expected a string";
static const char E_UTF8[] = "invalid UTF-8 in string";
static const char E_CTRL[] = "control character in string";
static const char E_ESC[] = "invalid escape (only \\\" and \\\\ are escapes)";

static void test_true_false(void)
{
    tnt_error e;
    tnt_dn_node *n = parse("true", &e);
    CHECK(n && n->kind == TNT_DN_TRUE);
    if (n)
        CHECK_SPAN(n->at, 0, 4);
    CHECK_STR(fmt(n), "true");
    n = parse("false", &e);
    CHECK(n && n->kind == TNT_DN_FALSE);
    if (n)
        CHECK_SPAN(n->at, 0, 5);
    CHECK_STR(fmt(n), "false");
}

static void test_cred_forms(void)
{
    tnt_error e;
    tnt_dn_node *n = parse("cred(\"T\")", &e);
    CHECK(n != NULL);
    if (n) {
        CHECK_EQ(n->kind, TNT_DN_CRED);
        CHECK_SPAN(n->at, 0, 9);
        CHECK_STR(n->u.cred.type.s, "T");
        CHECK_EQ(n->u.cred.type.len, 1);
        CHECK_SPAN(n->u.cred.type.at, 5, 3);
        CHECK_EQ(n->u.cred.n_constraints, 0);
    }
    /* every field and every attribute */
    const char *all = "cred(\"T\", issuer.CN=\"a\", issuer.O=\"b\", issuer.OU=\"c\", "
                      "subject.C=\"d\", subject.ST=\"e\", subject.L=\"f\")";
    n = parse(all, &e);
    CHECK(n != NULL);
    if (n) {
        CHECK_EQ(n->u.cred.n_constraints, 6);
        static const tnt_dn_field fields[] = {TNT_DN_ISSUER,  TNT_DN_ISSUER,  TNT_DN_ISSUER,
                                              TNT_DN_SUBJECT, TNT_DN_SUBJECT, TNT_DN_SUBJECT};
        static const tnt_dn_attr attrs[] = {TNT_DN_ATTR_CN, TNT_DN_ATTR_O,  TNT_DN_ATTR_OU,
                                            TNT_DN_ATTR_C,  TNT_DN_ATTR_ST, TNT_DN_ATTR_L};
        static const char *values[] = {"a", "b", "c", "d", "e", "f"};
        for (int i = 0; i < 6 && i < (int)n->u.cred.n_constraints; i++) {
            CHECK_EQ(n->u.cred.constraints[i].field, fields[i]);
            CHECK_EQ(n->u.cred.constraints[i].attr, attrs[i]);
            CHECK_STR(n->u.cred.constraints[i].value.s, values[i]);
        }
        /* issuer.CN="a" starts at 10 and is 13 bytes; its value at 20 */
        CHECK_SPAN(n->u.cred.constraints[0].at, 10, 13);
        CHECK_SPAN(n->u.cred.constraints[0].value.at, 20, 3);
        /* subject.L="f" is the last 13 bytes before ")" */
        CHECK_SPAN(n->u.cred.constraints[5].at, strlen(all) - 14, 13);
        CHECK_SPAN(n->at, 0, strlen(all));
    }
    CHECK_STR(canon(all), all);
    /* the empty string is a string */
    CHECK_STR(canon("cred(\"\")"), "cred(\"\")");
    CHECK_STR(canon("cred(\"\",subject.CN=\"\")"), "cred(\"\", subject.CN=\"\")");
    /* the same constraint twice is allowed (both must hold) */
    CHECK_STR(canon("cred(\"T\",issuer.O=\"x\",issuer.O=\"y\")"),
              "cred(\"T\", issuer.O=\"x\", issuer.O=\"y\")");
}

static void test_whitespace(void)
{
    tnt_error e;
    /* SP, HTAB, CR and LF between every two tokens, '.' and '=' included */
    const char *s = "cred \t(\r\n\"T\"\n,\tissuer\n.\nO\r=\r\"x\" )\nor\t( cred (\"A\")  and"
                    "\r\ncred(\"B\") )";
    tnt_dn_node *n = parse(s, &e);
    CHECK(n != NULL);
    CHECK_STR(fmt(n), "cred(\"T\", issuer.O=\"x\") or cred(\"A\") and cred(\"B\")");
    if (n) {
        CHECK_EQ(n->kind, TNT_DN_OR);
        CHECK_SPAN(n->at, 0, strlen(s));
        CHECK_EQ(n->u.list.n, 2);
        CHECK_SPAN(n->u.list.v[0]->at, 0, 33);
        CHECK_EQ(n->u.list.v[1]->kind, TNT_DN_AND);
        /* the parenthesised operand's span includes its parentheses */
        CHECK_SPAN(n->u.list.v[1]->at, 37, strlen(s) - 37);
    }
    /* ... and none at all: keywords need no separator where the grammar
     * puts none */
    n = parse("cred(\"a\")orcred(\"b\")andcred(\"c\")", &e);
    CHECK(n != NULL);
    CHECK_STR(fmt(n), "cred(\"a\") or cred(\"b\") and cred(\"c\")");
    CHECK_STR(canon("(cred(\"a\"))and(cred(\"b\"))"), "cred(\"a\") and cred(\"b\")");
    CHECK_STR(canon("cred(\"a\",subject.CN=\"x\",issuer.OU=\"y\")"),
              "cred(\"a\", subject.CN=\"x\", issuer.OU=\"y\")");
    /* white space inside a string is part of the value */
    n = parse("cred(\" a b \")", &e);
    CHECK(n && n->u.cred.type.len == 5);
    if (n)
        CHECK_STR(n->u.cred.type.s, " a b ");
    /* but not before the first or after the last token */
    BAD(" true", 0, "white space before the first token");
    BAD("\tcred(\"a\")", 0, "white space before the first token");
    BAD("true ", 4, "white space after the last token");
    BAD("false\n", 5, "white space after the last token");
    BAD("cred(\"a\")\r\n", 9, "white space after the last token");
    BAD("(cred(\"a\")) ", 11, "white space after the last token");
    /* only the four white-space characters */
    BAD("cred(\"a\")\vor cred(\"b\")", 9, E_END);
    BAD("cred(\"a\")\for cred(\"b\")", 9, E_END);
    BAD("cred(\"a\")\xc2\xa0or cred(\"b\")", 9, E_END); /* U+00A0 */
}

static void test_precedence(void)
{
    tnt_error e;
    tnt_dn_node *n = parse("cred(\"a\") or cred(\"b\") and cred(\"c\")", &e);
    CHECK(n && n->kind == TNT_DN_OR && n->u.list.n == 2);
    if (n && n->kind == TNT_DN_OR && n->u.list.n == 2) {
        CHECK_EQ(n->u.list.v[0]->kind, TNT_DN_CRED);
        CHECK_EQ(n->u.list.v[1]->kind, TNT_DN_AND);
        CHECK_STR(n->u.list.v[1]->u.list.v[0]->u.cred.type.s, "b");
        CHECK_STR(n->u.list.v[1]->u.list.v[1]->u.cred.type.s, "c");
    }
    n = parse("cred(\"a\") and cred(\"b\") or cred(\"c\") and cred(\"d\")", &e);
    CHECK(n && n->kind == TNT_DN_OR && n->u.list.n == 2);
    if (n && n->kind == TNT_DN_OR && n->u.list.n == 2) {
        CHECK_EQ(n->u.list.v[0]->kind, TNT_DN_AND);
        CHECK_EQ(n->u.list.v[1]->kind, TNT_DN_AND);
        CHECK_SPAN(n->u.list.v[0]->at, 0, 23);
        CHECK_SPAN(n->u.list.v[1]->at, 27, 23);
    }
    /* n-ary chains */
    n = parse("cred(\"a\") or cred(\"b\") or cred(\"c\")", &e);
    CHECK(n && n->kind == TNT_DN_OR && n->u.list.n == 3);
    n = parse("cred(\"a\") and cred(\"b\") and cred(\"c\") and cred(\"d\") and cred(\"e\")", &e);
    CHECK(n && n->kind == TNT_DN_AND && n->u.list.n == 5);
    if (n && n->u.list.n == 5)
        CHECK_STR(n->u.list.v[4]->u.cred.type.s, "e");
    /* parentheses override, and a parenthesised chain stays its own node */
    n = parse("(cred(\"a\") or cred(\"b\")) and cred(\"c\")", &e);
    CHECK(n && n->kind == TNT_DN_AND && n->u.list.n == 2);
    if (n && n->u.list.n == 2) {
        CHECK_EQ(n->u.list.v[0]->kind, TNT_DN_OR);
        CHECK_SPAN(n->u.list.v[0]->at, 0, 24);
    }
    CHECK_STR(fmt(n), "(cred(\"a\") or cred(\"b\")) and cred(\"c\")");
    n = parse("(cred(\"a\") or cred(\"b\")) or cred(\"c\")", &e);
    CHECK(n && n->kind == TNT_DN_OR && n->u.list.n == 2);
    CHECK_STR(fmt(n), "(cred(\"a\") or cred(\"b\")) or cred(\"c\")");
    CHECK_STR(canon("cred(\"a\") and (cred(\"b\") and cred(\"c\"))"),
              "cred(\"a\") and (cred(\"b\") and cred(\"c\"))");
    /* an AND under an OR needs no parentheses to keep its shape */
    CHECK_STR(canon("(cred(\"a\") and cred(\"b\")) or cred(\"c\")"),
              "cred(\"a\") and cred(\"b\") or cred(\"c\")");
    CHECK_STR(canon("((((cred(\"a\")))))"), "cred(\"a\")");
    CHECK_STR(
        canon("cred(\"a\") and (cred(\"b\") or cred(\"c\") and (cred(\"d\") or cred(\"e\")))"),
        "cred(\"a\") and (cred(\"b\") or cred(\"c\") and (cred(\"d\") or cred(\"e\")))");
}

static void test_escapes(void)
{
    tnt_error e;
    tnt_dn_node *n = parse("cred(\"a\\\"b\\\\c\")", &e);
    CHECK(n != NULL);
    if (n) {
        CHECK_EQ(n->u.cred.type.len, 5);
        CHECK_STR(n->u.cred.type.s, "a\"b\\c");
        CHECK_SPAN(n->u.cred.type.at, 5, 9);
    }
    CHECK_STR(fmt(n), "cred(\"a\\\"b\\\\c\")");
    CHECK_STR(canon("cred(\"\\\\\\\\\")"), "cred(\"\\\\\\\\\")");
    n = parse("cred(\"T\", subject.CN=\"\\\"\")", &e);
    CHECK(n && n->u.cred.constraints[0].value.len == 1 &&
          n->u.cred.constraints[0].value.s[0] == '"');
    /* every printable ASCII character */
    char s[256], want[256];
    size_t o = (size_t)sprintf(s, "cred(\""), w = 0;
    for (int c = 0x20; c <= 0x7E; c++) {
        if (c == '"' || c == '\\')
            s[o++] = '\\';
        s[o++] = (char)c;
        want[w++] = (char)c;
    }
    want[w] = 0;
    s[o++] = '"', s[o++] = ')', s[o] = 0;
    n = parse(s, &e);
    CHECK(n && n->u.cred.type.len == 95);
    if (n)
        CHECK_STR(n->u.cred.type.s, want);
    CHECK_STR(fmt(n), s);
    /* nothing else is an escape */
    BAD("cred(\"a\\n\")", 7, E_ESC);
    BAD("cred(\"a\\t\")", 7, E_ESC);
    BAD("cred(\"\\'\")", 6, E_ESC);
    BAD("cred(\"\\u0041\")", 6, E_ESC);
    BAD("cred(\"\\/\")", 6, E_ESC);
    BAD("cred(\"\\ \")", 6, E_ESC);
    BAD_N("cred(\"\\\xc3\xa4\")", 11, 6, E_ESC);
}

static void test_utf8(void)
{
    tnt_error e;
    const char *s = "cred(\"\xc3\x84rztekammer\", subject.CN=\"Dr. M\xc3\xbcller "
                    "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\")";
    tnt_dn_node *n = parse(s, &e);
    CHECK(n != NULL);
    if (n) {
        CHECK_STR(n->u.cred.type.s, "\xc3\x84rztekammer");
        CHECK_EQ(n->u.cred.type.len, 12);
        CHECK_STR(n->u.cred.constraints[0].value.s,
                  "Dr. M\xc3\xbcller \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
        CHECK_EQ(n->u.cred.constraints[0].value.len, 23);
    }
    CHECK_STR(fmt(n), s);
    /* the edges of every UTF-8 form (RFC 3629) */
    static const char *ok[] = {
        "\xc2\x80",         "\xdf\xbf",         "\xe0\xa0\x80",     "\xe0\xbf\xbf",
        "\xe1\x80\x80",     "\xec\xbf\xbf",     "\xed\x80\x80",     "\xed\x9f\xbf",
        "\xee\x80\x80",     "\xef\xbf\xbf",     "\xf0\x90\x80\x80", "\xf0\xbf\xbf\xbf",
        "\xf1\x80\x80\x80", "\xf3\xbf\xbf\xbf", "\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf",
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char p[64];
        snprintf(p, sizeof(p), "cred(\"a%s\")", ok[i]);
        n = parse(p, &e);
        CHECK(n != NULL);
        if (n) {
            CHECK_EQ(n->u.cred.type.len, 1 + strlen(ok[i]));
            CHECK_STR(n->u.cred.type.s + 1, ok[i]);
        }
        size_t bad = 99;
        CHECK(tnt_utf8_valid((const uint8_t *)ok[i], strlen(ok[i]), &bad));
        CHECK_EQ(bad, 99);
    }
    /* overlongs, surrogates, beyond U+10FFFF, stray and missing
     * continuation bytes, bytes that never occur: error at the first byte
     * of the bad sequence (offset 7, after cred(" and 'a') */
    static const char *ko[] = {
        "\xc0\x80",
        "\xc1\xbf",
        "\xe0\x80\x80",
        "\xe0\x9f\xbf",
        "\xed\xa0\x80",
        "\xed\xbf\xbf",
        "\xf0\x80\x80\x80",
        "\xf0\x8f\xbf\xbf",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\xf7\xbf\xbf\xbf",
        "\xf8\x88\x80\x80\x80",
        "\xfe",
        "\xff",
        "\x80",
        "\xbf",
        "\xc2",
        "\xc2\x41",
        "\xe2\x82",
        "\xe2\x82\x41",
        "\xf0\x9f\x98",
        "\xf0\x9f\x98\x41",
        "\xc2\xc2\x80",
        "\xed\xa0\x80\xed\xb0\x80",
    };
    for (size_t i = 0; i < sizeof(ko) / sizeof(ko[0]); i++) {
        char p[64];
        int len = snprintf(p, sizeof(p), "cred(\"a%s\")", ko[i]);
        bad_n(p, (size_t)len, 7, E_UTF8, __LINE__);
        size_t bad = 99;
        char q[16];
        int ql = snprintf(q, sizeof(q), "ab%s", ko[i]);
        CHECK(!tnt_utf8_valid((const uint8_t *)q, (size_t)ql, &bad));
        CHECK_EQ(bad, 2);
    }
    /* a bad sequence after good ones */
    BAD("cred(\"\xc3\xa4\xc3\xa4\xc3\")", 10, E_UTF8);
    /* a sequence cut by the end of the expression */
    BAD_N("cred(\"\xe2\x82", 8, 6, E_UTF8);
    CHECK(tnt_utf8_valid((const uint8_t *)"", 0, NULL));
    /* non-ASCII is only allowed inside strings */
    BAD("cred(\"a\") \xe2\x88\xa7 cred(\"b\")", 10, E_END);
    BAD("cred(\"a\", issuer.\xc3\x96=\"x\")", 17, "expected an attribute (CN, O, OU, C, ST or L)");
}

static void test_control_chars(void)
{
    BAD("cred(\"a\tb\")", 7, E_CTRL);
    BAD("cred(\"a\nb\")", 7, E_CTRL);
    BAD("cred(\"\r\")", 6, E_CTRL);
    BAD("cred(\"a\x7f\")", 7, E_CTRL);
    BAD("cred(\"a\x1f\")", 7, E_CTRL);
    BAD_N("cred(\"a\0\")", 10, 7, E_CTRL);
    /* NUL outside a string */
    BAD_N("cred(\"a\")\0", 10, 9, E_END);
}

static void test_malformed(void)
{
    BAD("", 0, "empty policy");
    BAD(" ", 0, "empty policy");
    BAD(" \t\r\n", 0, "empty policy");
    /* keywords are case-sensitive */
    BAD("True", 0, E_PRIMARY);
    BAD("FALSE", 0, E_PRIMARY);
    BAD("Cred(\"a\")", 0, E_PRIMARY);
    BAD("CRED(\"a\")", 0, E_PRIMARY);
    BAD("cred(\"a\") OR cred(\"b\")", 10, E_END);
    BAD("cred(\"a\") And cred(\"b\")", 10, E_END);
    BAD("cred(\"a\", Issuer.O=\"x\")", 10, "expected \"issuer\" or \"subject\"");
    BAD("cred(\"a\", issuer.cn=\"x\")", 17, "expected an attribute (CN, O, OU, C, ST or L)");
    BAD("cred(\"a\", issuer.Cn=\"x\")", 18, "expected \"=\"");
    /* true and false only alone */
    BAD("true or cred(\"a\")", 5, E_ALONE);
    BAD("true and false", 5, E_ALONE);
    BAD("truex", 4, E_ALONE);
    BAD("falsetrue", 5, E_ALONE);
    BAD("cred(\"a\") or true", 13, E_ALONE);
    BAD("cred(\"a\") and false", 14, E_ALONE);
    BAD("(true)", 1, E_ALONE);
    BAD("tru", 0, E_PRIMARY);
    /* cred */
    BAD("cred", 4, "expected \"(\" after cred");
    BAD("cred \"a\")", 5, "expected \"(\" after cred");
    BAD("cred()", 5, E_STRING);
    BAD("cred(a)", 5, E_STRING);
    BAD("cred('a')", 5, E_STRING);
    BAD("cred(", 5, E_STRING);
    BAD("cred(\"a\"", 8, "expected \",\" or \")\"");
    BAD("cred(\"a\";", 8, "expected \",\" or \")\"");
    BAD("cred(\"a\",)", 9, "expected \"issuer\" or \"subject\"");
    BAD("cred(\"a\", )", 10, "expected \"issuer\" or \"subject\"");
    BAD("cred(\"a\", \"b\")", 10, "expected \"issuer\" or \"subject\"");
    BAD("cred(\"a\", issuer O=\"x\")", 17, "expected \".\"");
    BAD("cred(\"a\", issuer)", 16, "expected \".\"");
    BAD("cred(\"a\", issuer.=\"x\")", 17, "expected an attribute (CN, O, OU, C, ST or L)");
    BAD("cred(\"a\", issuer.E=\"x\")", 17, "expected an attribute (CN, O, OU, C, ST or L)");
    BAD("cred(\"a\", issuer.CN\"x\")", 19, "expected \"=\"");
    BAD("cred(\"a\", issuer.O U=\"x\")", 19, "expected \"=\"");
    BAD("cred(\"a\", issuer.OUT=\"x\")", 19, "expected \"=\"");
    BAD("cred(\"a\", issuer.O==\"x\")", 19, E_STRING);
    BAD("cred(\"a\", issuer.OU=x)", 20, E_STRING);
    BAD("cred(\"a\", issuer.O=\"x\" subject.O=\"y\")", 23, "expected \",\" or \")\"");
    BAD("cred(\"a\", issuer.O=\"x\",)", 23, "expected \"issuer\" or \"subject\"");
    BAD("cred(\"a\")(", 9, E_END);
    BAD("cred(\"a\") cred(\"b\")", 10, E_END);
    BAD("cred(\"a\"),", 9, E_END);
    /* operators */
    BAD("cred(\"a\") and", 13, E_PRIMARY);
    BAD("cred(\"a\") and ", 14, E_PRIMARY);
    BAD("cred(\"a\") or or cred(\"b\")", 13, E_PRIMARY);
    BAD("or cred(\"a\")", 0, E_PRIMARY);
    BAD("and", 0, E_PRIMARY);
    BAD("cred(\"a\") order", 12, E_PRIMARY);
    /* parentheses */
    BAD("(", 1, E_PRIMARY);
    BAD("()", 1, E_PRIMARY);
    BAD("(cred(\"a\")", 10, E_CLOSE);
    BAD("(cred(\"a\") or cred(\"b\"]", 22, "expected \",\" or \")\"");
    BAD("(cred(\"a\") or cred(\"b\")]", 23, E_CLOSE);
    BAD("cred(\"a\"))", 9, E_END);
    BAD(")", 0, E_PRIMARY);
    /* strings */
    BAD("cred(\"a", 7, "unterminated string");
    BAD("cred(\"", 6, "unterminated string");
    BAD("cred(\"a\\", 8, "unterminated string");
    BAD("cred(\"a\\\"", 9, "unterminated string");
    BAD("cred(\"a\\\")", 10, "unterminated string");
}

/* Evaluation: cred(T) is satisfied when T is in the set; every call is
 * recorded to check short-circuiting. */
typedef struct held {
    const char *types;
    char calls[64];
} held;

static bool has_type(void *u, const tnt_dn_cred *c)
{
    held *h = u;
    strncat(h->calls, c->type.s, sizeof(h->calls) - strlen(h->calls) - 1);
    return strchr(h->types, c->type.s[0]) != NULL;
}

static void test_nesting(void)
{
    tnt_error e;
    /* TNT_DN_MAX_DEPTH levels are fine, one more is an error at the '(' that
     * goes too deep */
    char s[512];
    size_t o = 0;
    for (int i = 0; i < TNT_DN_MAX_DEPTH; i++)
        s[o++] = '(';
    o += (size_t)sprintf(s + o, "cred(\"a\")");
    for (int i = 0; i < TNT_DN_MAX_DEPTH; i++)
        s[o++] = ')';
    s[o] = 0;
    tnt_dn_node *n = parse(s, &e);
    CHECK(n != NULL);
    if (n) {
        CHECK_EQ(n->kind, TNT_DN_CRED);
        CHECK_SPAN(n->at, 0, o);
    }
    memmove(s + 1, s, o + 1);
    s[0] = '(';
    strcat(s, ")");
    BAD(s, TNT_DN_MAX_DEPTH, "parentheses nested too deep");

    /* a hostile expression of 100000 '(' */
    size_t big = 100000;
    char *h = malloc(big);
    memset(h, '(', big);
    BAD_N(h, big, TNT_DN_MAX_DEPTH, "parentheses nested too deep");
    free(h);

    /* the deepest real tree: alternating or/and, each level parenthesised
     * in the source; its canonical text keeps exactly the parentheses that
     * an OR under an AND needs */
    char *d = malloc(64 * 1024), *want = malloc(64 * 1024);
    o = 0;
    size_t w = 0;
    for (int i = 0; i < TNT_DN_MAX_DEPTH; i++) {
        bool is_or = i % 2 == 0;
        o += (size_t)sprintf(d + o, "cred(\"x%d\") %s (", i, is_or ? "or" : "and");
        /* the child of an AND is an OR: parenthesised; of an OR, an AND: not */
        w += (size_t)sprintf(want + w, "cred(\"x%d\") %s%s", i, is_or ? "or " : "and ",
                             !is_or && i + 1 < TNT_DN_MAX_DEPTH ? "(" : "");
    }
    o += (size_t)sprintf(d + o, "cred(\"end\")");
    w += (size_t)sprintf(want + w, "cred(\"end\")");
    for (int i = 0; i < TNT_DN_MAX_DEPTH; i++) {
        d[o++] = ')';
        if (i % 2 == 1 && i + 1 < TNT_DN_MAX_DEPTH)
            want[w++] = ')';
    }
    d[o] = want[w] = 0;
    n = parse(d, &e);
    CHECK(n != NULL);
    char *f = malloc(64 * 1024);
    size_t flen = tnt_dn_format(n, f, 64 * 1024);
    CHECK_EQ(flen, w);
    CHECK_STR(f, want);
    CHECK_STR(canon(f), want);
    /* and it evaluates: x0 alone satisfies the top OR */
    held hx = {"x", ""};
    CHECK(tnt_dn_eval(n, has_type, &hx));
    CHECK_STR(hx.calls, "x0");
    free(want);
    free(f);
    free(d);
}

static bool eval(const char *policy, const char *types, const char *calls)
{
    tnt_error e;
    tnt_dn_node *n = parse(policy, &e);
    CHECK(n != NULL);
    held h = {types, ""};
    bool r = tnt_dn_eval(n, has_type, &h);
    CHECK_STR(h.calls, calls);
    return r;
}

static void test_eval(void)
{
    CHECK(eval("true", "", ""));
    CHECK(!eval("false", "abc", ""));
    CHECK(eval("cred(\"a\")", "a", "a"));
    CHECK(!eval("cred(\"a\")", "b", "a"));
    CHECK(eval("cred(\"a\") or cred(\"b\")", "b", "ab"));
    CHECK(eval("cred(\"a\") or cred(\"b\")", "a", "a"));
    CHECK(!eval("cred(\"a\") or cred(\"b\")", "c", "ab"));
    CHECK(!eval("cred(\"a\") and cred(\"b\")", "b", "a"));
    CHECK(eval("cred(\"a\") and cred(\"b\")", "ab", "ab"));
    /* a or (b and c), not (a or b) and c */
    CHECK(eval("cred(\"a\") or cred(\"b\") and cred(\"c\")", "a", "a"));
    CHECK(!eval("(cred(\"a\") or cred(\"b\")) and cred(\"c\")", "a", "ac"));
    CHECK(eval("cred(\"a\") and cred(\"b\") or cred(\"c\")", "c", "ac"));
    CHECK(!eval("cred(\"a\") and (cred(\"b\") or cred(\"c\"))", "bc", "a"));
    /* the callback sees the constraints */
    tnt_error e;
    tnt_dn_node *n = parse("cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")", &e);
    CHECK(n && n->u.cred.n_constraints == 1);
    /* a malformed policy (NULL tree) is never satisfied */
    held h = {"abc", ""};
    CHECK(!tnt_dn_eval(NULL, has_type, &h));
    CHECK_STR(h.calls, "");
}

static void test_format(void)
{
    tnt_error e;
    tnt_dn_node *n = parse("cred(\"ab\")or cred(\"cd\")", &e);
    const char *full = "cred(\"ab\") or cred(\"cd\")";
    char small[8];
    memset(small, 'Z', sizeof(small));
    CHECK_EQ(tnt_dn_format(n, small, sizeof(small)), strlen(full));
    CHECK_STR(small, "cred(\"a");
    CHECK_EQ(tnt_dn_format(n, NULL, 0), strlen(full));
    char one[1] = {'Z'};
    CHECK_EQ(tnt_dn_format(n, one, 1), strlen(full));
    CHECK_EQ(one[0], 0);
    CHECK_EQ(tnt_dn_format(NULL, one, 1), 0);
    /* canonical text is a fixed point of parse + format */
    static const char *samples[] = {
        "cred(\"a\",issuer.O=\"x\")and(cred(\"b\")or cred(\"c\"))",
        "((cred(\"a\")or cred(\"b\"))or(cred(\"c\")and cred(\"d\")))and cred(\"e\")",
        "cred(\"\\\"\\\\\", subject.L=\"\xc3\xa9\")",
    };
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        char first[512];
        n = parse(samples[i], &e);
        CHECK(n != NULL);
        tnt_dn_format(n, first, sizeof(first));
        CHECK_STR(canon(first), first);
    }
    CHECK_STR(tnt_dn_field_name(TNT_DN_ISSUER), "issuer");
    CHECK_STR(tnt_dn_field_name(TNT_DN_SUBJECT), "subject");
    CHECK_STR(tnt_dn_attr_name(TNT_DN_ATTR_ST), "ST");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_CN), "2.5.4.3");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_O), "2.5.4.10");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_OU), "2.5.4.11");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_C), "2.5.4.6");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_ST), "2.5.4.8");
    CHECK_STR(tnt_dn_attr_oid(TNT_DN_ATTR_L), "2.5.4.7");
}

/* Every prefix of a valid policy that is not itself a policy must fail
 * cleanly at a position inside it. */
static void test_prefixes(void)
{
    const char *group = "(cred(\"T\\\"\xc3\xa4\", issuer.OU=\"x\") or cred(\"b\"))";
    char s[128];
    snprintf(s, sizeof(s), "%s and cred(\"c\")", group);
    size_t len = strlen(s);
    for (size_t k = 0; k < len; k++) {
        tnt_error e;
        tnt_dn_node *n = parse_n(s, k, &e);
        if (k == strlen(group)) {
            CHECK(n != NULL); /* the group alone is a policy */
            continue;
        }
        CHECK(n == NULL);
        CHECK(e.what != NULL);
        CHECK(e.off <= k);
    }
    tnt_error e;
    CHECK(parse_n(s, len, &e) != NULL);
}

int main(void)
{
    tnt_arena_init(&arena);
    test_true_false();
    test_cred_forms();
    test_whitespace();
    test_precedence();
    test_escapes();
    test_utf8();
    test_control_chars();
    test_malformed();
    test_nesting();
    test_eval();
    test_format();
    test_prefixes();
    tnt_arena_free(&arena);
    return check_done("test_dn_expression");
}
