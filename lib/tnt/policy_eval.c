#include "dn_unmet.h"
#include "policy_eval.h"

#include "x509.h"
#include "x509_import.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <string.h>

/* A growable string in the arena, for reasons whose parts (policy text, DN
 * values) have no useful upper bound. */
typedef struct sbuf {
    tnt_arena *a;
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = tnt_arena_alloc(b->a, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        if (b->len)
            memcpy(p, b->p, b->len);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* A value from a certificate, quoted as in a policy; control bytes are shown
 * as \xHH so that a reason stays one line whatever the DN holds. */
static void sb_quoted(sbuf *b, const char *s, size_t n)
{
    sb_add(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[5];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            sb_add(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof(esc), "\\x%02x", c);
            sb_add(b, esc, 4);
        } else {
            sb_add(b, (const char *)&s[i], 1);
        }
    }
    sb_add(b, "\"", 1);
}

static void sb_node(sbuf *b, const tnt_dn_node *n)
{
    size_t len = tnt_dn_format(n, NULL, 0);
    char *t = tnt_arena_alloc(b->a, len + 1);
    if (!t) {
        b->oom = true;
        return;
    }
    tnt_dn_format(n, t, len + 1);
    sb_add(b, t, len);
}

static void sb_constraint(sbuf *b, const tnt_dn_constraint *c)
{
    sb_str(b, tnt_dn_field_name(c->field));
    sb_str(b, ".");
    sb_str(b, tnt_dn_attr_name(c->attr));
    sb_str(b, "=");
    sb_quoted(b, c->value.s, c->value.len);
}

/* "issuer.O="x", issuer.C="y"": the issuer constraints of a cred(). */
static void sb_issuer_constraints(sbuf *b, const tnt_dn_cred *c)
{
    bool first = true;
    for (uint32_t i = 0; i < c->n_constraints; i++) {
        if (c->constraints[i].field != TNT_DN_ISSUER)
            continue;
        if (!first)
            sb_str(b, ", ");
        first = false;
        sb_constraint(b, &c->constraints[i]);
    }
}

static void sb_type(sbuf *b, const tnt_dn_cred *c)
{
    sb_add(b, c->type.s, c->type.len);
}

typedef struct ev {
    const tnt_disclosed *d;
    uint32_t n;
    const tnt_policy_ctx *ctx;
    tnt_arena *a;
    tnt_policy_result *out;
    uint32_t next; /* next cred() outcome to fill */
    bool oom;
} ev;

/* How far a credential got through the checks of one cred(): the furthest
 * one explains best why the cred() failed. */
enum stage {
    ST_PROOF = 1, /* stopped at an invalid or missing proof */
    ST_PARSE,     /* first certificate unusable */
    ST_DN,        /* a DN constraint does not hold */
    ST_CHAIN,     /* issuer not backed by a configured anchor */
    ST_PASSED,
};

static bool is_candidate(const ev *e, const tnt_dn_cred *c, const tnt_disclosed *d)
{
    if (!d->cred || (e->ctx->up_to_round && d->round > e->ctx->up_to_round))
        return false;
    return d->cred->type.len == c->type.len &&
           (c->type.len == 0 || memcmp(d->cred->type.p, c->type.s, c->type.len) == 0);
}

static bool cert_parses(tnt_cert_cache *cc, const tnt_credential *cr)
{
    if (cr->n_certs == 0 || !cr->certs)
        return false;
    return tnt_x509_parses(cc, cr->certs[0].p, cr->certs[0].len);
}

bool tnt_dn_first_unmet(tnt_cert_cache *cc, const tnt_dn_cred *c, const tnt_credential *cr,
                        tnt_arena *a, tnt_dn_unmet *out)
{
    for (uint32_t i = 0; i < c->n_constraints; i++) {
        const tnt_dn_constraint *k = &c->constraints[i];
        bool issuer = k->field == TNT_DN_ISSUER;
        const char *attr = tnt_dn_attr_name(k->attr);
        char **vals = NULL;
        uint32_t n = 0;
        bool readable = tnt_x509_dn_attr_cached(cc, cr->certs[0].p, cr->certs[0].len, issuer, attr,
                                                a, &vals, &n);
        bool found = false;
        for (uint32_t j = 0; readable && j < n && !found; j++)
            found =
                strlen(vals[j]) == k->value.len && memcmp(vals[j], k->value.s, k->value.len) == 0;
        if (!found) {
            *out = (tnt_dn_unmet){k, issuer, attr, readable, vals, n};
            return true;
        }
    }
    return false;
}

/* Checks the DN constraints on the first certificate; on a mismatch, writes
 * the reason for the first constraint that fails. */
static bool dn_matches(ev *e, const tnt_dn_node *node, const tnt_credential *cr, sbuf *why)
{
    const tnt_dn_cred *c = &node->u.cred;
    tnt_dn_unmet u;
    if (tnt_dn_first_unmet(e->ctx->certs, c, cr, e->a, &u)) {
        sb_str(why, "requires ");
        sb_node(why, node);
        sb_str(why, "; disclosed only ");
        sb_type(why, c);
        if (!u.readable || u.n_vals == 0) {
            sb_str(why, u.issuer ? " issued by a DN " : " with a subject DN ");
            sb_str(why, u.readable ? "without " : "whose ");
            sb_str(why, u.attr);
            if (!u.readable)
                sb_str(why, " cannot be read as text");
        } else {
            sb_str(why, u.issuer ? " issued by " : " with subject ");
            for (uint32_t j = 0; j < u.n_vals; j++) {
                if (j)
                    sb_str(why, ", ");
                sb_str(why, u.attr);
                sb_str(why, "=");
                sb_quoted(why, u.vals[j], strlen(u.vals[j]));
            }
        }
        return false;
    }
    return true;
}

static bool has_issuer_constraint(const tnt_dn_cred *c)
{
    for (uint32_t i = 0; i < c->n_constraints; i++)
        if (c->constraints[i].field == TNT_DN_ISSUER)
            return true;
    return false;
}

/* One credential against one cred(): its verdict, how far it got, why, and
 * the chain validation if one was needed. */
static tnt_verdict candidate(ev *e, const tnt_dn_node *node, const tnt_disclosed *d, enum stage *st,
                             sbuf *why, tnt_chain_result *chain)
{
    const tnt_dn_cred *c = &node->u.cred;
    memset(chain, 0, sizeof(*chain));
    chain->status = TNT_CHAIN_NOT_VALIDATED;
    if (d->proof == TNT_PROOF_INVALID || d->proof == TNT_PROOF_MISSING) {
        *st = ST_PROOF;
        sb_type(why, c);
        sb_str(why, d->proof == TNT_PROOF_INVALID ? " proof invalid" : " proof missing");
        return TNT_VERDICT_NOT_SATISFIED;
    }
    if (!cert_parses(e->ctx->certs, d->cred)) {
        *st = ST_PARSE;
        sb_type(why, c);
        sb_str(why, " certificate does not parse");
        return TNT_VERDICT_NOT_SATISFIED;
    }
    *st = ST_DN;
    if (!dn_matches(e, node, d->cred, why))
        return TNT_VERDICT_NOT_SATISFIED;

    tnt_verdict v = TNT_VERDICT_SATISFIED;
    *st = ST_CHAIN;
    if (has_issuer_constraint(c)) {
        const tnt_anchor **anchors;
        uint32_t na = tnt_anchors_for_issuer(e->ctx->anchors, c->constraints, c->n_constraints,
                                             e->a, &anchors);
        bool any = e->ctx->anchors && e->ctx->anchors->n;
        if (na == 0) {
            chain->reason =
                any ? "no trust anchor configured for that issuer" : "no trust anchors given";
            sb_issuer_constraints(why, c);
            if (e->ctx->mode == TNT_POLICY_PEER) {
                sb_str(why, " claimed but no trust anchor is configured for that issuer");
                return TNT_VERDICT_NOT_SATISFIED;
            }
            sb_str(why, " not verified: chain not validated (");
            sb_str(why, chain->reason);
            sb_str(why, ")");
            v = TNT_VERDICT_UNVERIFIED;
        } else {
            if (!tnt_chain_verify_cached(e->ctx->certs, anchors, na, d->cred->certs,
                                         d->cred->n_certs, e->ctx->at, e->a, chain)) {
                e->oom = true;
                return TNT_VERDICT_NOT_SATISFIED;
            }
            if (chain->status != TNT_CHAIN_VALID) {
                sb_issuer_constraints(why, c);
                sb_str(why, " claimed but chain does not verify to a configured anchor: ");
                sb_str(why, chain->reason ? chain->reason : "unknown reason");
                return TNT_VERDICT_NOT_SATISFIED;
            }
        }
    }
    *st = ST_PASSED;
    if (d->proof == TNT_PROOF_UNCHECKED) {
        /* The proof outranks an unverified issuer as the reason: without it
         * the credential may not count at all. */
        why->len = 0;
        if (why->p)
            why->p[0] = '\0';
        sb_type(why, c);
        sb_str(why, " proof not checked");
        return TNT_VERDICT_UNDETERMINED;
    }
    return v;
}

typedef struct val {
    tnt_verdict v;
    const char *reason;
} val;

static val eval_cred(ev *e, const tnt_dn_node *node)
{
    const tnt_dn_cred *c = &node->u.cred;
    tnt_cred_outcome *o = &e->out->creds[e->next++];
    o->node = node;
    o->verdict = TNT_VERDICT_NOT_SATISFIED;
    o->by = -1;
    o->chain.status = TNT_CHAIN_NOT_VALIDATED;
    enum stage best_st = 0;
    for (uint32_t i = 0; i < e->n && !e->oom; i++) {
        if (!is_candidate(e, c, &e->d[i]))
            continue;
        sbuf why = {.a = e->a};
        enum stage st = 0;
        tnt_chain_result chain;
        tnt_verdict v = candidate(e, node, &e->d[i], &st, &why, &chain);
        if (why.oom)
            e->oom = true;
        /* Better verdict wins; among failures, the credential that got
         * furthest; ties go to the earliest disclosure. */
        bool better = v > o->verdict || (o->by < 0) ||
                      (v == TNT_VERDICT_NOT_SATISFIED && o->verdict == v && st > best_st);
        if (better) {
            o->verdict = v;
            o->by = (int32_t)i;
            o->chain = chain;
            o->reason = v == TNT_VERDICT_SATISFIED ? NULL : why.p;
            best_st = st;
        }
    }
    if (o->by < 0) {
        sbuf why = {.a = e->a};
        sb_str(&why, "no credential of type ");
        sb_type(&why, c);
        sb_str(&why, " disclosed");
        e->oom |= why.oom;
        o->reason = why.p;
    }
    return (val){o->verdict, o->reason};
}

static val eval_node(ev *e, const tnt_dn_node *n)
{
    switch (n->kind) {
    case TNT_DN_TRUE:
        return (val){TNT_VERDICT_SATISFIED, NULL};
    case TNT_DN_FALSE:
        return (val){TNT_VERDICT_NOT_SATISFIED, "policy is false"};
    case TNT_DN_CRED:
        return eval_cred(e, n);
    case TNT_DN_AND:
    case TNT_DN_OR:
        break;
    }
    bool is_and = n->kind == TNT_DN_AND;
    uint32_t k = n->u.list.n;
    val *sub = tnt_arena_array(e->a, k ? k : 1, sizeof(*sub));
    if (!sub) {
        e->oom = true;
        return (val){TNT_VERDICT_NOT_SATISFIED, NULL};
    }
    tnt_verdict v = is_and ? TNT_VERDICT_SATISFIED : TNT_VERDICT_NOT_SATISFIED;
    for (uint32_t i = 0; i < k; i++) {
        sub[i] = eval_node(e, n->u.list.v[i]);
        if (is_and ? sub[i].v < v : sub[i].v > v)
            v = sub[i].v;
    }
    if (v == TNT_VERDICT_SATISFIED)
        return (val){v, NULL};
    if (is_and || v != TNT_VERDICT_NOT_SATISFIED) {
        for (uint32_t i = 0; i < k; i++)
            if (sub[i].v == v)
                return (val){v, sub[i].reason};
    }
    sbuf why = {.a = e->a};
    sb_str(&why, "no alternative holds: ");
    for (uint32_t i = 0; i < k; i++) {
        if (i)
            sb_str(&why, " or ");
        sb_str(&why, "(");
        sb_str(&why, sub[i].reason ? sub[i].reason : "?");
        sb_str(&why, ")");
    }
    e->oom |= why.oom;
    return (val){v, why.p};
}

static uint32_t count_creds(const tnt_dn_node *n)
{
    if (n->kind == TNT_DN_CRED)
        return 1;
    if (n->kind != TNT_DN_AND && n->kind != TNT_DN_OR)
        return 0;
    uint32_t c = 0;
    for (uint32_t i = 0; i < n->u.list.n; i++)
        c += count_creds(n->u.list.v[i]);
    return c;
}

bool tnt_policy_eval(const tnt_dn_node *policy, const tnt_disclosed *d, uint32_t n,
                     const tnt_policy_ctx *ctx, tnt_arena *a, tnt_policy_result *out)
{
    memset(out, 0, sizeof(*out));
    out->verdict = TNT_VERDICT_NOT_SATISFIED;
    if (!policy) {
        out->malformed = true;
        out->reason = "malformed policy";
        return true;
    }
    out->n_creds = count_creds(policy);
    if (out->n_creds) {
        out->creds = tnt_arena_array(a, out->n_creds, sizeof(*out->creds));
        if (!out->creds)
            return false;
    }
    ev e = {.d = d, .n = d ? n : 0, .ctx = ctx, .a = a, .out = out};
    val r = eval_node(&e, policy);
    if (e.oom)
        return false;
    out->verdict = r.v;
    out->reason = r.reason;
    return true;
}

bool tnt_policy_used(const tnt_policy_result *r, uint32_t i)
{
    if (r->verdict == TNT_VERDICT_NOT_SATISFIED)
        return false;
    for (uint32_t k = 0; k < r->n_creds; k++)
        if (r->creds[k].by == (int32_t)i && r->creds[k].verdict != TNT_VERDICT_NOT_SATISFIED)
            return true;
    return false;
}

const char *tnt_verdict_name(tnt_verdict v)
{
    switch (v) {
    case TNT_VERDICT_NOT_SATISFIED:
        return "not satisfied";
    case TNT_VERDICT_UNDETERMINED:
        return "undetermined";
    case TNT_VERDICT_UNVERIFIED:
        return "satisfied (issuer unverified)";
    case TNT_VERDICT_SATISFIED:
        return "satisfied";
    }
    return "?";
}
