#include "negotiator.h"
#include "arena_vec.h"

#include "tnt/x509.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- small helpers ---- */

/* Bytes from the other side as log text, control bytes as \xHH so that a
 * log line stays one line whatever they sent. Names shown between quotes
 * (quoted) also get \" and \\; policy text is shown as it is. */
static const char *printable_as(tnt_arena *a, const uint8_t *p, size_t n, bool quoted)
{
    char *s = tnt_arena_alloc(a, n * 4 + 1);
    if (!s)
        return "?";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f) {
            k += (size_t)snprintf(s + k, 5, "\\x%02x", p[i]);
        } else {
            if (quoted && (p[i] == '"' || p[i] == '\\'))
                s[k++] = '\\';
            s[k++] = (char)p[i];
        }
    }
    s[k] = '\0';
    return s;
}

static const char *printable(tnt_arena *a, const uint8_t *p, size_t n)
{
    return printable_as(a, p, n, true);
}

static const char *policy_shown(tnt_arena *a, const char *expr)
{
    return printable_as(a, (const uint8_t *)expr, strlen(expr), false);
}

static bool logf_(tnt_negotiator *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool logf_(tnt_negotiator *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return false;
    char *s = tnt_arena_alloc(&n->scratch, (size_t)len + 1);
    if (!s ||
        !arena_vec_grow(&n->scratch, (void **)&n->log, n->n_log, &n->cap_log, sizeof(*n->log)))
        return false;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    n->log[n->n_log++] = s;
    return true;
}

/* Growing text for the lists inside one log line. */
typedef struct text {
    tnt_arena *a;
    char *p;
    size_t len, cap;
} text;

static void add(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = tnt_arena_alloc(t->a, cap);
        if (!p)
            return;
        if (t->len)
            memcpy(p, t->p, t->len);
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
}

static const char *str(const text *t)
{
    return t->p ? t->p : "";
}

static bool type_is(const tnt_bytes *b, const char *s, size_t len)
{
    return b->len == len && (len == 0 || memcmp(b->p, s, len) == 0);
}

static bool leaf_names(const tnt_dn_cred *c, const char *type)
{
    return c->type.len == strlen(type) && memcmp(c->type.s, type, c->type.len) == 0;
}

/* True when a cred() of the tree names that credential type. */
static bool names_type(const tnt_dn_node *t, const char *type)
{
    if (!t)
        return false;
    if (t->kind == TNT_DN_CRED)
        return leaf_names(&t->u.cred, type);
    if (t->kind != TNT_DN_AND && t->kind != TNT_DN_OR)
        return false;
    for (uint32_t i = 0; i < t->u.list.n; i++)
        if (names_type(t->u.list.v[i], type))
            return true;
    return false;
}

/* Every cred() leaf, in source order. */
static void leaves(const tnt_dn_node *t, const tnt_dn_cred **out, uint32_t *n, uint32_t cap)
{
    if (!t)
        return;
    if (t->kind == TNT_DN_CRED) {
        if (*n < cap)
            out[(*n)++] = &t->u.cred;
        return;
    }
    if (t->kind != TNT_DN_AND && t->kind != TNT_DN_OR)
        return;
    for (uint32_t i = 0; i < t->u.list.n; i++)
        leaves(t->u.list.v[i], out, n, cap);
}

static uint32_t count_leaves(const tnt_dn_node *t)
{
    if (!t)
        return 0;
    if (t->kind == TNT_DN_CRED)
        return 1;
    if (t->kind != TNT_DN_AND && t->kind != TNT_DN_OR)
        return 0;
    uint32_t c = 0;
    for (uint32_t i = 0; i < t->u.list.n; i++)
        c += count_leaves(t->u.list.v[i]);
    return c;
}

const char *tnt_neg_state_name(tnt_neg_state s)
{
    switch (s) {
    case TNT_NEG_READY:
        return "ready";
    case TNT_NEG_WAITING:
        return "waiting";
    case TNT_NEG_SUCCESS:
        return "success";
    case TNT_NEG_FAILURE:
        return "failure";
    case TNT_NEG_ERROR:
        return "error";
    }
    return "?";
}

/* ---- life cycle ---- */

bool tnt_negotiator_init(tnt_negotiator *n, tnt_neg_role role, const tnt_peer_config *cfg,
                         int64_t at)
{
    memset(n, 0, sizeof(*n));
    n->role = role;
    n->cfg = cfg;
    n->ctx.mode = TNT_POLICY_PEER;
    n->ctx.anchors = &cfg->anchors;
    n->ctx.at = at;
    n->state = TNT_NEG_READY;
    n->next_round = 1;
    tnt_arena_init(&n->a);
    tnt_arena_init(&n->scratch);
    uint32_t k = cfg->n_creds ? cfg->n_creds : 1;
    n->disclosed_in = tnt_arena_array(&n->a, k, sizeof(*n->disclosed_in));
    n->policy_sent = tnt_arena_array(&n->a, k, sizeof(*n->policy_sent));
    return n->disclosed_in && n->policy_sent;
}

void tnt_negotiator_use_certs(tnt_negotiator *n, struct tnt_cert_cache *cc)
{
    n->ctx.certs = cc;
}

void tnt_negotiator_free(tnt_negotiator *n)
{
    tnt_arena_free(&n->scratch);
    tnt_arena_free(&n->a);
    memset(n, 0, sizeof(*n));
}

static void begin_call(tnt_negotiator *n, tnt_neg_round *out)
{
    tnt_arena_free(&n->scratch);
    n->log = NULL;
    n->n_log = n->cap_log = 0;
    memset(out, 0, sizeof(*out));
}

static void end_call(tnt_negotiator *n, tnt_neg_round *out)
{
    out->n_log = n->n_log;
    out->log = n->log;
}

static bool error_out(tnt_negotiator *n, tnt_neg_round *out, bool ret)
{
    n->state = TNT_NEG_ERROR;
    out->send = false;
    end_call(n, out);
    return ret;
}

/* ---- policy evaluation ---- */

/* "\"Accreditation\" (round 3), ...": the other side's disclosures that
 * decided a cred() of r. */
static const char *used_list(tnt_negotiator *n, const tnt_policy_result *r)
{
    text t = {.a = &n->scratch};
    for (uint32_t i = 0; i < n->n_disclosed; i++) {
        if (!tnt_policy_used(r, i))
            continue;
        char buf[32];
        if (t.len)
            add(&t, ", ");
        add(&t, "\"");
        add(&t,
            printable(&n->scratch, n->disclosed[i].cred->type.p, n->disclosed[i].cred->type.len));
        snprintf(buf, sizeof(buf), "\" (round %u)", n->disclosed[i].round);
        add(&t, buf);
    }
    return t.len ? str(&t) : "nothing (policy true)";
}

/* One of my policies against everything the other side disclosed. */
static bool eval_mine(tnt_negotiator *n, const tnt_dn_node *tree, tnt_policy_result *r)
{
    return tnt_policy_eval(tree, n->disclosed, n->n_disclosed, &n->ctx, &n->scratch, r);
}

/* My disclosures, for judging whether a policy of the other side is still
 * outstanding. */
typedef struct mine {
    tnt_disclosed *d;
    uint32_t n;
} mine;

static bool my_disclosures(tnt_negotiator *n, mine *m)
{
    const tnt_peer_config *cfg = n->cfg;
    m->n = 0;
    m->d = tnt_arena_array(&n->scratch, cfg->n_creds ? cfg->n_creds : 1, sizeof(*m->d));
    if (!m->d)
        return false;
    for (uint32_t i = 0; i < cfg->n_creds; i++) {
        if (!n->disclosed_in[i])
            continue;
        tnt_credential *c = tnt_arena_alloc(&n->scratch, sizeof(*c));
        if (!c)
            return false;
        c->type.p = (const uint8_t *)cfg->creds[i].type;
        c->type.len = (uint32_t)strlen(cfg->creds[i].type);
        c->n_certs = cfg->creds[i].n_certs;
        c->certs = cfg->creds[i].certs;
        m->d[m->n++] = (tnt_disclosed){c, TNT_PROOF_VALID, n->disclosed_in[i]};
    }
    return true;
}

/* Whether my disclosures already meet a policy of theirs, as far as I can
 * tell: DN constraints only, their anchors being unknown to me. */
static bool theirs_met(tnt_negotiator *n, const mine *m, const tnt_dn_node *tree, bool *oom)
{
    tnt_policy_ctx ctx = {TNT_POLICY_DECODER, NULL, n->ctx.at, 0, n->ctx.certs};
    tnt_policy_result r;
    if (!tnt_policy_eval(tree, m->d, m->n, &ctx, &n->scratch, &r)) {
        *oom = true;
        return false;
    }
    return r.verdict >= TNT_VERDICT_UNVERIFIED;
}

static bool they_disclosed(const tnt_negotiator *n, const char *type)
{
    for (uint32_t i = 0; i < n->n_disclosed; i++)
        if (n->disclosed[i].proof == TNT_PROOF_VALID &&
            type_is(&n->disclosed[i].cred->type, type, strlen(type)))
            return true;
    return false;
}

static const char *their_policy_name(tnt_negotiator *n, const tnt_neg_their_policy *p)
{
    text t = {.a = &n->scratch};
    add(&t, p->target_kind == TNT_TARGET_RESOURCE ? "resource \"" : "credential \"");
    add(&t, printable(&n->scratch, (const uint8_t *)p->target, strlen(p->target)));
    add(&t, "\"");
    return str(&t);
}

/* ---- deciding a round ---- */

typedef struct plan {
    bool *unlocked;              /* per credential of mine */
    tnt_policy_result *res;      /* per credential of mine: its policy's evaluation */
    int32_t *asked_by;           /* per credential of mine: their policy asking for it, or -1 */
    uint32_t n_missing;          /* types asked for that I do not hold */
    const tnt_dn_cred **missing; /* the leaves naming them */
    int32_t *missing_by;         /* and the policies */
} plan;

/* Is type T something I am waiting for from the other side? */
static bool wanted(tnt_negotiator *n, const plan *pl, const char *type)
{
    const tnt_peer_config *cfg = n->cfg;
    if (n->role == TNT_NEG_SERVER)
        for (uint32_t i = 0; i < cfg->n_resources; i++)
            if (strcmp(cfg->resources[i].name, n->target) == 0 &&
                names_type(cfg->resources[i].policy, type))
                return true;
    for (uint32_t i = 0; i < cfg->n_creds; i++)
        if (n->policy_sent[i] && !n->disclosed_in[i] && !pl->unlocked[i] &&
            names_type(cfg->creds[i].policy, type))
            return true;
    return false;
}

/* Fills asked_by and the missing list from the other side's outstanding
 * policies. */
static bool find_asked(tnt_negotiator *n, plan *pl)
{
    const tnt_peer_config *cfg = n->cfg;
    mine m;
    if (!my_disclosures(n, &m))
        return false;
    uint32_t total = 0;
    for (uint32_t i = 0; i < n->n_policies; i++)
        total += count_leaves(n->policies[i].tree);
    pl->missing = tnt_arena_array(&n->scratch, total ? total : 1, sizeof(*pl->missing));
    pl->missing_by = tnt_arena_array(&n->scratch, total ? total : 1, sizeof(*pl->missing_by));
    if (!pl->missing || !pl->missing_by)
        return false;
    bool oom = false;
    for (uint32_t i = 0; i < n->n_policies; i++) {
        const tnt_neg_their_policy *p = &n->policies[i];
        if (p->ignored || !p->tree)
            continue;
        if (p->target_kind == TNT_TARGET_CREDENTIAL &&
            (!wanted(n, pl, p->target) || they_disclosed(n, p->target)))
            continue;
        if (theirs_met(n, &m, p->tree, &oom))
            continue;
        if (oom)
            return false;
        uint32_t nl = 0, cap = count_leaves(p->tree);
        const tnt_dn_cred **lv = tnt_arena_array(&n->scratch, cap ? cap : 1, sizeof(*lv));
        if (!lv)
            return false;
        leaves(p->tree, lv, &nl, cap);
        for (uint32_t j = 0; j < nl; j++) {
            bool held = false;
            for (uint32_t c = 0; c < cfg->n_creds; c++) {
                if (!leaf_names(lv[j], cfg->creds[c].type))
                    continue;
                held = true;
                if (pl->asked_by[c] < 0)
                    pl->asked_by[c] = (int32_t)i;
            }
            bool known = false;
            for (uint32_t k = 0; k < pl->n_missing && !known; k++)
                known = pl->missing[k]->type.len == lv[j]->type.len &&
                        memcmp(pl->missing[k]->type.s, lv[j]->type.s, lv[j]->type.len) == 0;
            if (!held && !known) {
                pl->missing_by[pl->n_missing] = (int32_t)i;
                pl->missing[pl->n_missing++] = lv[j];
            }
        }
    }
    return !oom;
}

static const char *asked_text(tnt_negotiator *n, int32_t by)
{
    if (by < 0)
        return NULL;
    const tnt_neg_their_policy *p = &n->policies[by];
    text t = {.a = &n->scratch};
    add(&t, "their ");
    add(&t, their_policy_name(n, p));
    add(&t, " policy ");
    add(&t, policy_shown(&n->scratch, p->expression));
    return str(&t);
}

/* The resource policies of the target, for round 1 and for success. */
static uint32_t resource_policies(tnt_negotiator *n, tnt_neg_policy *out)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n->cfg->n_resources; i++) {
        const tnt_peer_resource *r = &n->cfg->resources[i];
        if (strcmp(r->name, n->target) != 0)
            continue;
        out[k++] = (tnt_neg_policy){TNT_TARGET_RESOURCE, r->name, n->cfg->language, r->policy_text};
    }
    return k;
}

/* "asked for X, which I do not hold": fresh == true logs the requests that
 * came in the last round, fresh == false the older ones. */
static void log_missing(tnt_negotiator *n, const plan *pl, uint16_t round, bool fresh)
{
    for (uint32_t k = 0; k < pl->n_missing; k++) {
        if ((n->policies[pl->missing_by[k]].round + 1 == round) != fresh)
            continue;
        logf_(n, "asked for credential \"%s\" by %s, which I do not hold",
              printable(&n->scratch, (const uint8_t *)pl->missing[k]->type.s,
                        pl->missing[k]->type.len),
              asked_text(n, pl->missing_by[k]));
    }
}

/* Decides my next round from the state and fills out. */
static bool decide(tnt_negotiator *n, tnt_neg_round *out)
{
    const tnt_peer_config *cfg = n->cfg;
    uint32_t nc = cfg->n_creds;
    uint16_t round = n->next_round;
    bool eager = cfg->strategy == TNT_STRATEGY_EAGER;
    tnt_neg_policy *pol = tnt_arena_array(&n->scratch, cfg->n_resources + nc + 1, sizeof(*pol));
    uint32_t *disc = tnt_arena_array(&n->scratch, nc + 1, sizeof(*disc));
    plan pl;
    pl.unlocked = tnt_arena_array(&n->scratch, nc + 1, sizeof(*pl.unlocked));
    pl.res = tnt_arena_array(&n->scratch, nc + 1, sizeof(*pl.res));
    pl.asked_by = tnt_arena_array(&n->scratch, nc + 1, sizeof(*pl.asked_by));
    pl.n_missing = 0;
    if (!pol || !disc || !pl.unlocked || !pl.res || !pl.asked_by)
        return false;
    uint32_t np = 0, nd = 0;
    out->round = round;
    out->policies = pol;
    out->creds = disc;
    out->send = true;

    /* Round 1 always carries the resource policies, whatever follows. */
    uint32_t n_resource = 0;
    if (n->role == TNT_NEG_SERVER && round == 1)
        np = n_resource = resource_policies(n, pol);

    if (n->role == TNT_NEG_SERVER) {
        bool all = true;
        for (uint32_t i = 0; i < cfg->n_resources; i++) {
            const tnt_peer_resource *r = &cfg->resources[i];
            if (strcmp(r->name, n->target) != 0)
                continue;
            tnt_policy_result res;
            if (!eval_mine(n, r->policy, &res))
                return false;
            if (res.verdict == TNT_VERDICT_SATISFIED) {
                logf_(n, "resource \"%s\": policy %s satisfied by %s", r->name, r->policy_text,
                      used_list(n, &res));
            } else {
                all = false;
                logf_(n, "resource \"%s\": policy %s not satisfied: %s", r->name, r->policy_text,
                      res.reason ? res.reason : "?");
            }
        }
        if (all) {
            logf_(n, "success: trust established for resource \"%s\"", n->target);
            out->status = TNT_STATUS_SUCCESS;
            out->n_policies = np;
            n->state = TNT_NEG_SUCCESS;
            n->next_round = round + 1;
            return true;
        }
    }

    for (uint32_t i = 0; i < nc; i++) {
        pl.asked_by[i] = -1;
        if (n->disclosed_in[i])
            continue;
        if (!eval_mine(n, cfg->creds[i].policy, &pl.res[i]))
            return false;
        pl.unlocked[i] = pl.res[i].verdict == TNT_VERDICT_SATISFIED;
    }
    if (!find_asked(n, &pl))
        return false;

    for (uint32_t i = 0; i < nc; i++) {
        const tnt_peer_credential *c = &cfg->creds[i];
        if (n->disclosed_in[i] || !(eager || pl.asked_by[i] >= 0))
            continue;
        const char *asked = asked_text(n, pl.asked_by[i]);
        if (pl.unlocked[i]) {
            disc[nd++] = i;
            if (c->policy->kind == TNT_DN_TRUE)
                logf_(n, "disclose credential \"%s\"%s%s: free (policy true)", c->type,
                      asked ? ", asked for by " : "", asked ? asked : "");
            else
                logf_(n, "disclose credential \"%s\"%s%s: its policy %s is satisfied by %s",
                      c->type, asked ? ", asked for by " : "", asked ? asked : "", c->policy_text,
                      used_list(n, &pl.res[i]));
        } else if (!n->policy_sent[i] && c->policy->kind != TNT_DN_FALSE) {
            pol[np++] =
                (tnt_neg_policy){TNT_TARGET_CREDENTIAL, c->type, cfg->language, c->policy_text};
            logf_(n, "send policy for credential \"%s\": %s (%s)", c->type, c->policy_text,
                  asked ? asked : "eager: not satisfied yet");
        }
    }

    /* Noted when the request arrives, and again when it ends the negotiation. */
    log_missing(n, &pl, round, true);

    bool nothing_new = np == 0 && nd == 0;
    bool limit = !nothing_new && round >= cfg->round_limit;
    if (nothing_new || limit) {
        /* Why it stops: what is still locked and what I lack. */
        for (uint32_t i = 0; i < nc; i++) {
            const tnt_peer_credential *c = &cfg->creds[i];
            if (n->disclosed_in[i] || pl.unlocked[i] || !(eager || pl.asked_by[i] >= 0))
                continue;
            if (c->policy->kind == TNT_DN_FALSE)
                logf_(n, "credential \"%s\" is never released (policy false)", c->type);
            else
                logf_(n, "credential \"%s\" stays locked: policy %s not satisfied: %s", c->type,
                      c->policy_text, pl.res[i].reason ? pl.res[i].reason : "?");
        }
        log_missing(n, &pl, round, false);
        if (limit)
            logf_(n, "failure: round limit %u reached", cfg->round_limit);
        else
            logf_(n, "failure: nothing new to disclose");
        out->status = TNT_STATUS_FAILURE;
        out->n_policies = n_resource;
        out->n_creds = 0;
        n->state = TNT_NEG_FAILURE;
        n->next_round = round + 1;
        return true;
    }

    for (uint32_t k = 0; k < nd; k++)
        n->disclosed_in[disc[k]] = round;
    for (uint32_t k = n_resource; k < np; k++)
        for (uint32_t i = 0; i < nc; i++)
            if (pol[k].target == cfg->creds[i].type)
                n->policy_sent[i] = true;
    out->status = TNT_STATUS_CONTINUE;
    out->n_policies = np;
    out->n_creds = nd;
    n->state = TNT_NEG_WAITING;
    n->next_round = round + 1;
    return true;
}

/* ---- the two entry points ---- */

bool tnt_negotiator_start(tnt_negotiator *n, const char *resource, tnt_neg_round *out)
{
    begin_call(n, out);
    if (n->role != TNT_NEG_SERVER) {
        logf_(n, "only the server starts a negotiation");
        return error_out(n, out, false);
    }
    if (n->state != TNT_NEG_READY) {
        logf_(n, "negotiation already started");
        return error_out(n, out, false);
    }
    if (!tnt_peer_config_has_resource(n->cfg, resource)) {
        logf_(n, "no policy for resource \"%s\" in the configuration", resource);
        return error_out(n, out, false);
    }
    size_t len = strlen(resource);
    char *t = tnt_arena_alloc(&n->a, len + 1);
    if (!t)
        return false;
    memcpy(t, resource, len);
    n->target = t;
    logf_(n, "negotiating resource \"%s\" (%s)", t, tnt_strategy_name(n->cfg->strategy));
    bool ok = decide(n, out);
    end_call(n, out);
    return ok;
}

static bool copy_policy(tnt_negotiator *n, const tnt_policy *in, uint16_t round)
{
    if (!arena_vec_grow(&n->a, (void **)&n->policies, n->n_policies, &n->cap_policies,
                        sizeof(*n->policies)))
        return false;
    tnt_neg_their_policy *p = &n->policies[n->n_policies];
    memset(p, 0, sizeof(*p));
    char *target = tnt_arena_alloc(&n->a, in->target_name.len + 1);
    char *expr = tnt_arena_alloc(&n->a, in->expression.len + 1);
    if (!target || !expr)
        return false;
    if (in->target_name.len)
        memcpy(target, in->target_name.p, in->target_name.len);
    if (in->expression.len)
        memcpy(expr, in->expression.p, in->expression.len);
    p->target_kind = (uint8_t)in->target_kind.v;
    p->target = target;
    p->language = in->language.v;
    p->expression = expr;
    p->round = round;
    n->n_policies++;

    const char *what = their_policy_name(n, p);
    const char *shown = printable_as(&n->scratch, in->expression.p, in->expression.len, false);
    /* A name with a NUL byte could never equal one of ours. */
    bool clean_target = strlen(target) == in->target_name.len;
    if (p->target_kind == TNT_TARGET_RESOURCE) {
        if (n->role == TNT_NEG_SERVER || round != 1) {
            p->ignored = true;
            logf_(n, "ignored policy for %s: resource policies come only in the server's round 1",
                  what);
            return true;
        }
        if (!n->target && clean_target)
            n->target = target;
        if (!n->target || strcmp(n->target, target) != 0 || !clean_target) {
            p->ignored = true;
            logf_(n, "ignored policy for %s: not the negotiation target", what);
            return true;
        }
    } else if (p->target_kind != TNT_TARGET_CREDENTIAL || !clean_target) {
        p->ignored = true;
        logf_(n, "ignored policy with unknown target kind %u", in->target_kind.v);
        return true;
    }
    if (p->language != n->cfg->language) {
        logf_(n, "received policy for %s in %s, which was not negotiated: never satisfied", what,
              tnt_language_name(p->language));
        return true;
    }
    tnt_error e = {0, NULL};
    p->tree = tnt_dn_parse(in->expression.p, in->expression.len, &n->a, &e);
    if (!p->tree)
        logf_(n, "received malformed policy for %s: %s (byte %u): never satisfied", what,
              e.what ? e.what : "error", e.off);
    else
        logf_(n, "received policy for %s: %s", what, shown);
    return true;
}

static bool copy_credential(tnt_negotiator *n, const tnt_credential *in, tnt_proof_result proof,
                            uint16_t round)
{
    if (!arena_vec_grow(&n->a, (void **)&n->disclosed, n->n_disclosed, &n->cap_disclosed,
                        sizeof(*n->disclosed)))
        return false;
    tnt_credential *c = tnt_arena_alloc(&n->a, sizeof(*c));
    uint8_t *type = tnt_arena_alloc(&n->a, in->type.len + 1);
    tnt_bytes *certs = tnt_arena_array(&n->a, in->n_certs ? in->n_certs : 1, sizeof(*certs));
    if (!c || !type || !certs)
        return false;
    if (in->type.len)
        memcpy(type, in->type.p, in->type.len);
    c->type.p = type;
    c->type.len = in->type.len;
    for (uint32_t i = 0; i < in->n_certs; i++) {
        uint8_t *der = tnt_arena_alloc(&n->a, in->certs[i].len ? in->certs[i].len : 1);
        if (!der)
            return false;
        if (in->certs[i].len)
            memcpy(der, in->certs[i].p, in->certs[i].len);
        certs[i].p = der;
        certs[i].len = in->certs[i].len;
    }
    c->n_certs = in->n_certs;
    c->certs = certs;
    n->disclosed[n->n_disclosed++] = (tnt_disclosed){c, proof, round};

    const char *type_s = printable(&n->scratch, in->type.p, in->type.len);
    char subject[512], issuer[512];
    bool parses =
        in->n_certs &&
        tnt_x509_dn_cached(n->ctx.certs, certs[0].p, certs[0].len, false, subject,
                           sizeof(subject)) &&
        tnt_x509_dn_cached(n->ctx.certs, certs[0].p, certs[0].len, true, issuer, sizeof(issuer));
    if (proof == TNT_PROOF_VALID)
        logf_(n, "received credential \"%s\": %s%s%s%s, proof valid", type_s,
              parses ? "subject " : "certificate unreadable", parses ? subject : "",
              parses ? ", issuer " : "", parses ? issuer : "");
    else
        logf_(n, "received credential \"%s\": proof %s: counts as undisclosed", type_s,
              tnt_proof_result_name(proof));
    return true;
}

bool tnt_negotiator_receive(tnt_negotiator *n, const tnt_negotiation *msg,
                            const tnt_proof_result *proofs, tnt_neg_round *out)
{
    begin_call(n, out);
    uint32_t round = msg->round.v;
    if (n->state == TNT_NEG_SUCCESS || n->state == TNT_NEG_FAILURE || n->state == TNT_NEG_ERROR) {
        logf_(n, "round %u received after the negotiation ended", round);
        return error_out(n, out, true);
    }
    if (n->role == TNT_NEG_SERVER && n->state == TNT_NEG_READY) {
        logf_(n, "round %u received before the server started the negotiation", round);
        return error_out(n, out, true);
    }
    if (round != n->next_round) {
        logf_(n, "round %u received where round %u was expected", round, n->next_round);
        return error_out(n, out, true);
    }
    uint32_t status = msg->status.v;
    if (status > TNT_STATUS_FAILURE) {
        logf_(n, "round %u has unknown status %u", round, status);
        return error_out(n, out, true);
    }
    if (status == TNT_STATUS_SUCCESS && n->role == TNT_NEG_SERVER) {
        logf_(n, "round %u: success from the client", round);
        return error_out(n, out, true);
    }
    for (uint32_t i = 0; i < msg->n_policies; i++)
        if (!copy_policy(n, &msg->policies[i], (uint16_t)round))
            return false;
    if (n->role == TNT_NEG_CLIENT && round == 1 && !n->target) {
        logf_(n, "round 1 names no resource");
        return error_out(n, out, true);
    }
    for (uint32_t i = 0; i < msg->n_credentials; i++)
        if (!copy_credential(n, &msg->credentials[i], proofs ? proofs[i] : TNT_PROOF_MISSING,
                             (uint16_t)round))
            return false;
    n->next_round = (uint16_t)(round + 1);
    if (status == TNT_STATUS_SUCCESS) {
        logf_(n, "server sent success: trust established for resource \"%s\"",
              printable(&n->scratch, (const uint8_t *)n->target, strlen(n->target)));
        n->state = TNT_NEG_SUCCESS;
        end_call(n, out);
        return true;
    }
    if (status == TNT_STATUS_FAILURE) {
        logf_(n, "the other side sent failure");
        n->state = TNT_NEG_FAILURE;
        end_call(n, out);
        return true;
    }
    if (msg->n_policies == 0 && msg->n_credentials == 0)
        logf_(n, "round %u is an empty continue (it should have been failure)", round);
    if (round == 0xffff) {
        /* No round 65536 exists to answer with. */
        logf_(n, "failure: round numbers exhausted");
        n->state = TNT_NEG_FAILURE;
        end_call(n, out);
        return true;
    }
    bool ok = decide(n, out);
    end_call(n, out);
    return ok;
}

bool tnt_negotiator_round_spec(const tnt_negotiator *n, const tnt_neg_round *r, tnt_arena *a,
                               tnt_negotiation_spec *out)
{
    memset(out, 0, sizeof(*out));
    out->round = r->round;
    out->status = r->status;
    tnt_policy_spec *ps = tnt_arena_array(a, r->n_policies ? r->n_policies : 1, sizeof(*ps));
    tnt_credential_spec *cs = tnt_arena_array(a, r->n_creds ? r->n_creds : 1, sizeof(*cs));
    if (!ps || !cs)
        return false;
    for (uint32_t i = 0; i < r->n_policies; i++) {
        const tnt_neg_policy *p = &r->policies[i];
        ps[i] = (tnt_policy_spec){p->target_kind, tnt_blob_str(p->target), p->language,
                                  tnt_blob_str(p->expression)};
    }
    for (uint32_t i = 0; i < r->n_creds; i++) {
        const tnt_peer_credential *c = &n->cfg->creds[r->creds[i]];
        tnt_blob *chain = tnt_arena_array(a, c->n_certs, sizeof(*chain));
        if (!chain)
            return false;
        for (uint32_t k = 0; k < c->n_certs; k++)
            chain[k] = tnt_blob_of(c->certs[k].p, c->certs[k].len);
        cs[i].type = tnt_blob_str(c->type);
        cs[i].chain.v = chain;
        cs[i].chain.n = c->n_certs;
    }
    out->policies = ps;
    out->n_policies = r->n_policies;
    out->credentials = cs;
    out->n_credentials = r->n_creds;
    return true;
}
