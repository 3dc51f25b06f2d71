/* Policy evaluation at the end of a handshake: for every policy, its verdict
 * against what the other side disclosed in this handshake (tnt_policy_eval),
 * the credentials that satisfied it, the round in which it became satisfied,
 * and otherwise the failing constraint; then the one-line reason of a failed
 * negotiation.
 *
 * Evaluation is monotone in the disclosures (cred() takes the best candidate,
 * `and`/`or` take min/max), so the round of satisfaction is found by binary
 * search over the other side's disclosure rounds instead of re-evaluating
 * after every round. */
#include "dn_unmet.h"
#include "names.h"
#include "negotiation_int.h"

#include "x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends s[0..len) quoted as a dn_expression string, control bytes as \xHH,
 * so that reasons stay on one line whatever a certificate holds. */
static void quote(GString *g, const char *s, size_t len)
{
    g_string_append_c(g, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            g_string_append_c(g, '\\');
            g_string_append_c(g, (char)c);
        } else if (c < 0x20 || c == 0x7f) {
            g_string_append_printf(g, "\\x%02x", c);
        } else {
            g_string_append_c(g, (char)c);
        }
    }
    g_string_append_c(g, '"');
}

/* A label from the wire (type, target) made printable for a one-line reason. */
static void label(GString *g, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            g_string_append_printf(g, "\\x%02x", c);
        else
            g_string_append_c(g, (char)c);
    }
}

static void node_text(GString *g, const tnt_dn_node *node)
{
    size_t len = tnt_dn_format(node, NULL, 0);
    char *t = malloc(len + 1);
    if (!t)
        return;
    tnt_dn_format(node, t, len + 1);
    g_string_append_len(g, t, (gssize)len);
    free(t);
}

static char *keep(tnt_nego *n, GString *g)
{
    char *s = nego_strndup(n, g->str, g->len);
    g_string_free(g, TRUE);
    return s;
}

/* Whether cred() node's certificate misses one of its constraints, written
 * as `requires <the whole cred()>; <who> disclosed only <T> issued by
 * <attr>=<values>` for the first one missed (the whole term, so that the
 * reader sees what else was asked); false when all are met. */
static bool dn_failure(GString *g, const tnt_dn_node *node, const tnt_credential *cr,
                       const char *who, tnt_arena *a)
{
    tnt_dn_unmet u;
    if (tnt_dn_first_unmet(NULL, &node->u.cred, cr, a, &u)) {
        g_string_append(g, "requires ");
        node_text(g, node);
        g_string_append_printf(g, "; %s disclosed only ", who);
        label(g, (const char *)cr->type.p, cr->type.len);
        g_string_append(g, u.issuer ? " issued by " : " with subject ");
        if (!u.readable)
            g_string_append_printf(g, "a DN whose %s cannot be read as text", u.attr);
        else if (u.n_vals == 0)
            g_string_append_printf(g, "a DN without %s", u.attr);
        for (uint32_t j = 0; u.readable && j < u.n_vals; j++) {
            g_string_append_printf(g, "%s%s=", j ? ", " : "", u.attr);
            quote(g, u.vals[j], strlen(u.vals[j]));
        }
        return true;
    }
    return false;
}

/* Why a policy that is not satisfied fails, from the outcome of its decisive
 * cred(): the first one not satisfied that some disclosure came close to, or
 * else the first one not satisfied. */
static const char *failing(tnt_nego *n, tnt_nego_policy *q, const tnt_policy_result *r,
                           const tnt_disclosed *d, const uint32_t *d_cred, tnt_arena *a)
{
    GString *g = g_string_new(NULL);
    const char *who = nego_side(!q->sender);
    if (q->malformed) {
        g_string_append_printf(g, "is malformed (%s at byte %u)",
                               q->parse_err.what ? q->parse_err.what : "error", q->parse_err.off);
        return keep(n, g);
    }
    if (q->tree->kind == TNT_DN_FALSE) {
        g_string_append(g, "is false");
        return keep(n, g);
    }
    const tnt_cred_outcome *o = NULL;
    for (uint32_t i = 0; i < r->n_creds && !o; i++)
        if (r->creds[i].verdict == TNT_VERDICT_NOT_SATISFIED && r->creds[i].by >= 0)
            o = &r->creds[i];
    for (uint32_t i = 0; i < r->n_creds && !o; i++)
        if (r->creds[i].verdict == TNT_VERDICT_NOT_SATISFIED)
            o = &r->creds[i];
    if (!o) {
        g_string_append_printf(g, "is not satisfied (%s)", r->reason ? r->reason : "?");
        return keep(n, g);
    }
    const tnt_dn_cred *c = &o->node->u.cred;
    if (o->by < 0) {
        g_string_append(g, "requires ");
        node_text(g, o->node);
        g_string_append_printf(g, "; %s disclosed no ", who);
        label(g, c->type.s, c->type.len);
        return keep(n, g);
    }
    const tnt_disclosed *x = &d[o->by];
    q->closest = (int32_t)d_cred[o->by];
    if (x->proof == TNT_PROOF_INVALID || x->proof == TNT_PROOF_MISSING) {
        g_string_append(g, "requires ");
        node_text(g, o->node);
        g_string_append_printf(g, "; %s disclosed ", who);
        label(g, c->type.s, c->type.len);
        g_string_append(g, x->proof == TNT_PROOF_INVALID ? " with an invalid proof"
                                                         : " without a proof");
        return keep(n, g);
    }
    char dn[4096];
    if (!tnt_x509_dn_cached(n->opt.certs, x->cred->certs[0].p, x->cred->certs[0].len, false, dn,
                            sizeof dn)) {
        g_string_append(g, "requires ");
        node_text(g, o->node);
        g_string_append_printf(g, "; %s's ", who);
        label(g, c->type.s, c->type.len);
        g_string_append(g, " certificate does not parse");
        return keep(n, g);
    }
    if (dn_failure(g, o->node, x->cred, who, a))
        return keep(n, g);
    g_string_append(g, "requires ");
    node_text(g, o->node);
    g_string_append_printf(g, "; %s's ", who);
    label(g, c->type.s, c->type.len);
    g_string_append_printf(g, " is not backed by a trust anchor for that issuer (%s)",
                           o->chain.reason ? o->chain.reason
                           : o->reason     ? o->reason
                                           : "chain not validated");
    return keep(n, g);
}

static void evaluate_policy(tnt_nego *n, hs_priv *h, tnt_nego_policy *q, const tnt_disclosed *d,
                            const uint32_t *d_cred, uint32_t nd)
{
    tnt_nego_hs *H = &h->pub;
    tnt_policy_ctx ctx = {n->opt.mode, n->opt.anchors, n->opt.at, 0, n->opt.certs};
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_policy_result r;
    if (!tnt_policy_eval(q->tree, d, nd, &ctx, &a, &r)) {
        q->verdict = TNT_VERDICT_UNDETERMINED;
        q->reason = "out of memory";
        tnt_arena_free(&a);
        return;
    }
    q->verdict = r.verdict;
    q->reason = r.reason ? nego_strndup(n, r.reason, strlen(r.reason)) : NULL;
    uint32_t own_pos = H->rounds[q->round_index].position;
    if (r.verdict >= TNT_VERDICT_UNVERIFIED) {
        uint32_t *by = tnt_arena_array(&n->arena, nd ? nd : 1, sizeof(*by));
        for (uint32_t i = 0; by && i < nd; i++)
            if (tnt_policy_used(&r, i))
                by[q->n_by++] = d_cred[i];
        q->by = by;
        q->issuer_verified = r.verdict == TNT_VERDICT_UNVERIFIED ? TNT_TRI_NO : TNT_TRI_UNKNOWN;
        for (uint32_t i = 0; r.verdict == TNT_VERDICT_SATISFIED && i < r.n_creds; i++) {
            const tnt_cred_outcome *o = &r.creds[i];
            if (o->verdict < TNT_VERDICT_UNVERIFIED || o->by < 0)
                continue;
            for (uint32_t k = 0; k < o->node->u.cred.n_constraints; k++)
                if (o->node->u.cred.constraints[k].field == TNT_DN_ISSUER)
                    q->issuer_verified = TNT_TRI_YES;
        }
        /* The earliest prefix of the disclosures that already satisfies it. */
        uint32_t lo = 0, hi = nd; /* answer: smallest k with prefix [0,k) satisfying */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            tnt_policy_result t;
            ctx.up_to_round = d[mid].round;
            tnt_arena b;
            tnt_arena_init(&b);
            bool ok = tnt_policy_eval(q->tree, d, nd, &ctx, &b, &t) &&
                      t.verdict >= TNT_VERDICT_UNVERIFIED;
            tnt_arena_free(&b);
            if (ok)
                hi = mid;
            else
                lo = mid + 1;
        }
        uint32_t pos = lo < nd ? d[lo].round : own_pos;
        if (pos < own_pos)
            pos = own_pos;
        q->satisfied_in_round = pos >= 1 && pos <= H->n_rounds ? H->rounds[pos - 1].round : 0;
        /* 0 means never, so a message that carried round 0 is named by its position */
        if (q->satisfied_in_round == 0)
            q->satisfied_in_round = pos;
    } else if (r.verdict == TNT_VERDICT_NOT_SATISFIED) {
        q->failing = failing(n, q, &r, d, d_cred, &a);
    }
    tnt_arena_free(&a);
}

static bool satisfied(const tnt_nego_policy *q)
{
    return q->evaluated && q->verdict >= TNT_VERDICT_UNVERIFIED;
}

/* Order of preference among a side's unsatisfied policies for the reason:
 * one that a disclosure came close to, then one on the resource, then any. */
static const tnt_nego_policy *pick(const tnt_nego_hs *H, tnt_dir side, bool attempted_only)
{
    const tnt_nego_policy *best = NULL;
    int best_rank = -1;
    for (uint32_t i = 0; i < H->n_policies; i++) {
        const tnt_nego_policy *q = &H->policies[i];
        if (q->sender != side || !q->evaluated || q->verdict != TNT_VERDICT_NOT_SATISFIED ||
            !q->failing)
            continue;
        bool attempted = q->closest >= 0;
        if (attempted_only && !attempted)
            continue;
        int rank = (attempted ? 2 : 0) + (q->target_kind == TNT_TARGET_RESOURCE ? 1 : 0);
        if (rank > best_rank) {
            best = q;
            best_rank = rank;
        }
    }
    return best;
}

static const char *failure_reason(tnt_nego *n, hs_priv *h)
{
    tnt_nego_hs *H = &h->pub;
    tnt_dir f = H->final_by, other = (tnt_dir)!f;
    const tnt_nego_policy *q = pick(H, f, true);
    if (!q)
        q = pick(H, other, false);
    if (!q)
        q = pick(H, f, false);
    GString *g = g_string_new(NULL);
    /* A handshake cut short by an alert ended for that reason, whatever
     * the policies stood at. */
    if (H->final_round == 0 && h->fatal_alert) {
        const char *name = tnt_alert_description_name(h->alert_desc);
        g_string_append_printf(g, "%s sent a fatal %s alert", nego_side(f),
                               name ? name : "unknown");
        if (H->n_rounds)
            g_string_append_printf(g, " after round %u", H->rounds[H->n_rounds - 1].position);
        return keep(n, g);
    }
    if (q) {
        const char *kind = tnt_target_kind_name(q->target_kind);
        g_string_append_printf(g, "%s's policy on %s ", nego_side(q->sender),
                               kind ? kind : "target");
        quote(g, q->target, q->target_len);
        g_string_append_printf(g, " %s", q->failing);
        return keep(n, g);
    }
    bool undecided = false, unverified = false;
    for (uint32_t i = 0; i < H->n_policies; i++) {
        if (!satisfied(&H->policies[i]))
            undecided = true;
        else if (H->policies[i].verdict == TNT_VERDICT_UNVERIFIED)
            unverified = true;
    }
    g_string_append_printf(g, "%s sent failure in round %u %s", nego_side(f), H->final_round,
                           undecided    ? "while some policies could not be judged"
                           : unverified ? "although every policy seen is satisfied as far as can "
                                          "be judged without trust anchors (issuers not verified)"
                                        : "although every policy seen is satisfied");
    return keep(n, g);
}

void nego_evaluate(tnt_nego *n, hs_priv *h)
{
    tnt_nego_hs *H = &h->pub;
    for (int side = 0; side < 2; side++) {
        /* What the other side disclosed, as tnt_policy_eval wants it; the
         * round field holds the disclosure's position in the handshake. */
        tnt_disclosed *d = calloc(H->n_creds ? H->n_creds : 1, sizeof(*d));
        uint32_t *d_cred = calloc(H->n_creds ? H->n_creds : 1, sizeof(*d_cred));
        uint32_t nd = 0;
        bool unkept = false; /* the other side disclosed certificates not kept */
        for (uint32_t i = 0; d && d_cred && i < H->n_creds; i++) {
            const tnt_nego_cred *c = &H->creds[i];
            if (c->sender != (tnt_dir)side && !c->kept && c->n_certs > 0)
                unkept = true;
            if (c->sender == (tnt_dir)side || !c->kept || c->wire.n_certs == 0)
                continue;
            d[nd] = (tnt_disclosed){&c->wire, c->proof, H->rounds[c->round_index].position};
            d_cred[nd++] = i;
        }
        uint32_t evaluated = 0;
        for (uint32_t i = 0; d && d_cred && i < H->n_policies; i++) {
            tnt_nego_policy *q = &H->policies[i];
            if (q->sender != (tnt_dir)side)
                continue;
            if (!q->evaluated) {
                q->verdict = TNT_VERDICT_UNDETERMINED;
                q->reason = nego_printf(n, "%s is not evaluated", tnt_language_name(q->language));
                continue;
            }
            if (++evaluated > TNT_NEGO_MAX_EVAL) {
                q->evaluated = false;
                q->verdict = TNT_VERDICT_UNDETERMINED;
                q->reason = "not evaluated: too many policies in the handshake";
                continue;
            }
            evaluate_policy(n, h, q, d, d_cred, nd);
            /* Bytes of the other side are missing: what it disclosed may
             * be among them, so "not satisfied" cannot be concluded. */
            if (q->verdict == TNT_VERDICT_NOT_SATISFIED && h->loss[!side]) {
                q->verdict = TNT_VERDICT_UNDETERMINED;
                q->failing = NULL;
                q->reason = nego_printf(n,
                                        "bytes of the %s's stream are missing: its disclosures "
                                        "are not fully known",
                                        nego_side(!side));
            }
            /* Likewise for credentials not kept (TNT_NEGO_MAX_KEPT): one of
             * them may be what the policy asks for. */
            if (q->verdict == TNT_VERDICT_NOT_SATISFIED && unkept) {
                q->verdict = TNT_VERDICT_UNDETERMINED;
                q->failing = NULL;
                q->reason = nego_printf(n,
                                        "credentials of the %s beyond the %u MiB kept per "
                                        "handshake were not evaluated",
                                        nego_side(!side), TNT_NEGO_MAX_KEPT >> 20);
            }
        }
        if (evaluated > TNT_NEGO_MAX_EVAL)
            nego_note(n, H->index, 0, 0,
                      "%s policies of handshake %u beyond the %u-th not evaluated", nego_side(side),
                      H->index, TNT_NEGO_MAX_EVAL);
        free(d);
        free(d_cred);
    }
    if (H->outcome == TNT_OUTCOME_FAILURE)
        H->reason = failure_reason(n, h);
}
