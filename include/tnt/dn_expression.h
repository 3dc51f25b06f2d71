/* The `dn_expression` policy language (spec section 6).
 *
 *   policy     = "true" / "false" / or-expr
 *   or-expr    = and-expr *( "or" and-expr )
 *   and-expr   = primary *( "and" primary )
 *   primary    = "(" or-expr ")" / cred
 *   cred       = "cred" "(" string *( "," constraint ) ")"
 *   constraint = ( "issuer" / "subject" ) "." attr "=" string
 *   attr       = "CN" / "O" / "OU" / "C" / "ST" / "L"
 *
 * How the parser reads the grammar, where the spec leaves room:
 * - White space (SP, HTAB, CR, LF) may stand between any two tokens and
 *   nowhere else: before the first or after the last token it is an error.
 * - Keywords are the literal strings of the grammar, case-sensitive, and need
 *   no white space around them when the grammar does not: `cred("a")orcred("b")`
 *   is a policy, as the ABNF says. `true` and `false` must be the whole
 *   policy.
 * - Strings: only \" and \\ are escapes; bytes below 0x20 and 0x7F are not
 *   allowed; non-ASCII bytes must be well-formed UTF-8 (RFC 3629: no overlong
 *   forms, no surrogates, nothing above U+10FFFF). The empty string is legal.
 * - Parentheses nest at most TNT_DN_MAX_DEPTH deep, so that a hostile
 *   "((((..." is a reported error rather than a stack overflow. Every tree
 *   this parser builds is therefore shallow enough for the recursive
 *   tnt_dn_format() and tnt_dn_eval().
 *
 * Positions (spans, error offsets) are byte offsets from the first byte of the
 * expression; add tnt_policy.expression.at.off for message-relative ones. */
#ifndef TNT_DN_EXPRESSION_H
#define TNT_DN_EXPRESSION_H

#include "tnt/arena.h"
#include "tnt/cursor.h"
#include "tnt/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_DN_MAX_DEPTH 64

typedef enum tnt_dn_kind {
    TNT_DN_TRUE,
    TNT_DN_FALSE,
    TNT_DN_OR,
    TNT_DN_AND,
    TNT_DN_CRED,
} tnt_dn_kind;

typedef enum tnt_dn_field {
    TNT_DN_ISSUER,
    TNT_DN_SUBJECT,
} tnt_dn_field;

typedef enum tnt_dn_attr {
    TNT_DN_ATTR_CN,
    TNT_DN_ATTR_O,
    TNT_DN_ATTR_OU,
    TNT_DN_ATTR_C,
    TNT_DN_ATTR_ST,
    TNT_DN_ATTR_L,
} tnt_dn_attr;

/* A string literal, unescaped. s is NUL-terminated (a literal cannot contain
 * NUL) and lives in the arena; at covers the literal with its quotes. */
typedef struct tnt_dn_string {
    const char *s;
    size_t len;
    tnt_span at;
} tnt_dn_string;

typedef struct tnt_dn_constraint {
    tnt_dn_field field;
    tnt_dn_attr attr;
    tnt_dn_string value;
    tnt_span at;
} tnt_dn_constraint;

typedef struct tnt_dn_cred {
    tnt_dn_string type;
    uint32_t n_constraints;
    tnt_dn_constraint *constraints;
} tnt_dn_cred;

typedef struct tnt_dn_node tnt_dn_node;
struct tnt_dn_node {
    tnt_dn_kind kind;
    tnt_span at;
    union {
        struct { /* OR, AND: n >= 2 operands, in source order */
            uint32_t n;
            tnt_dn_node **v;
        } list;
        tnt_dn_cred cred; /* CRED */
    } u;
};
/* The whole parsed policy is its root node. */
typedef tnt_dn_node tnt_policy_ast;

/* Parses a policy. Returns its tree, allocated from a, or NULL with *err set
 * (err->off = byte position of the error) for a malformed policy, which the
 * empty expression is. A parenthesised OR or AND stays a node of its own, so
 * "(a or b) or c" is OR(OR(a, b), c). */
tnt_policy_ast *tnt_dn_parse(const uint8_t *expr, size_t len, tnt_arena *a, tnt_error *err);

/* Writes the canonical text of a tree, NUL-terminated and truncated to cap,
 * and returns the length of the full text (as snprintf does). Canonical: no
 * white space but single spaces around and/or and after commas, strings
 * escaped with \" and \\ only, and parentheses exactly where the tree needs
 * them, so that parsing the text gives back the same tree. */
size_t tnt_dn_format(const tnt_dn_node *n, char *buf, size_t cap);

/* Evaluates a tree, asking cred_matches() for each cred() reached (and/or
 * short-circuit, left to right). A NULL tree (malformed policy) is false: a
 * malformed policy is never satisfied. */
bool tnt_dn_eval(const tnt_dn_node *n, bool (*cred_matches)(void *u, const tnt_dn_cred *c),
                 void *u);

const char *tnt_dn_field_name(tnt_dn_field f); /* "issuer", "subject" */
const char *tnt_dn_attr_name(tnt_dn_attr a);   /* "CN", "O", ... */
/* The X.520 attribute type OID, as GnuTLS's gnutls_x509_crt_get_*_dn_by_oid()
 * take it ("2.5.4.3" for CN). */
const char *tnt_dn_attr_oid(tnt_dn_attr a);

/* True when b[0..len) is well-formed UTF-8 (RFC 3629); otherwise *bad (if
 * non-NULL) is the offset of the first byte of the first bad sequence. */
bool tnt_utf8_valid(const uint8_t *b, size_t len, size_t *bad);

#endif
