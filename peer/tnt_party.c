/* See tnt_party.h. */
#include "tnt_party.h"

#include "tnt/codepoints.h"
#include "tnt/engine/encode.h"
#include "tnt/extensions.h"
#include "tnt/handshake.h"
#include "tnt/names.h"
#include "tnt/proof_verify.h"
#include "tnt/tnt_messages.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PROOF_SIG_MAX 1024
/* Limits on what one round of the other side may carry: every policy is
 * parsed and may be evaluated against every credential (chain validation
 * included), so a peer must not make that unbounded. Far above any real
 * negotiation. */
#define MAX_ROUND_POLICIES 256
#define MAX_ROUND_CREDENTIALS 32

/* ---- trust cache ---- */

void tnt_trust_cache_put(tnt_trust_cache *tc, const uint8_t *id, size_t id_len, const char *target)
{
    if (!id_len || id_len > TLS_SESSION_ID_MAX)
        return;
    for (size_t i = 0; i < tc->n; i++)
        if (tc->v[i].id_len == id_len && !memcmp(tc->v[i].id, id, id_len)) {
            free(tc->v[i].target);
            tc->v[i].target = strdup(target);
            return;
        }
    if (tc->n == tc->cap) {
        size_t cap = tc->cap ? tc->cap * 2 : 16;
        tnt_trust_entry *v = realloc(tc->v, cap * sizeof *v);
        if (!v)
            return;
        tc->v = v;
        tc->cap = cap;
    }
    tnt_trust_entry *e = &tc->v[tc->n++];
    memcpy(e->id, id, id_len);
    e->id_len = id_len;
    e->target = strdup(target);
}

const char *tnt_trust_cache_get(const tnt_trust_cache *tc, const uint8_t *id, size_t id_len)
{
    for (size_t i = 0; tc && i < tc->n; i++)
        if (tc->v[i].id_len == id_len && !memcmp(tc->v[i].id, id, id_len))
            return tc->v[i].target;
    return NULL;
}

void tnt_trust_cache_free(tnt_trust_cache *tc)
{
    for (size_t i = 0; i < tc->n; i++)
        free(tc->v[i].target);
    free(tc->v);
    memset(tc, 0, sizeof *tc);
}

/* ---- helpers ---- */

const char *tnt_party_outcome_name(tnt_party_outcome o)
{
    switch (o) {
    case TNT_PARTY_NONE:
        return "none";
    case TNT_PARTY_SUCCESS:
        return "success";
    case TNT_PARTY_FAILURE:
        return "failure";
    case TNT_PARTY_ERROR:
        return "error";
    }
    return "?";
}

static void plog(const tnt_party *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void plog(const tnt_party *p, const char *fmt, ...)
{
    if (!p->o.log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(p->o.log, "tntpeer %s: ", p->is_server ? "server" : "client");
    vfprintf(p->o.log, fmt, ap);
    fputc('\n', p->o.log);
    fflush(p->o.log);
    va_end(ap);
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? strdup(s) : NULL;
}

static bool fault(tnt_party *p, unsigned f)
{
    if (!(p->faults_left & f))
        return false;
    p->faults_left &= ~f;
    return true;
}

static const char *mode_name(int m)
{
    if (m < 0)
        return "none";
    const char *s = tnt_mode_name((uint32_t)m);
    return s ? s : "unknown";
}

static void end_handshake(tnt_party *p)
{
    if (p->neg_live)
        tnt_negotiator_free(&p->neg);
    p->neg_live = false;
    free(p->held);
    p->held = NULL;
    p->negotiating = false;
    p->sent_mode = p->peer_mode = -1;
}

void tnt_party_init(tnt_party *p, const tnt_party_opts *o, bool is_server)
{
    memset(p, 0, sizeof *p);
    p->o = *o;
    if (!p->o.proof_wait_ms)
        p->o.proof_wait_ms = 1000;
    p->is_server = is_server;
    p->sent_mode = p->peer_mode = -1;
    p->faults_left = o->faults;
}

void tnt_party_free(tnt_party *p)
{
    end_handshake(p);
    free(p->resource);
    free(p->trusted);
    free(p->offer_trust);
    memset(p, 0, sizeof *p);
}

void tnt_party_attach(tnt_party *p, tls_conn *c)
{
    p->c = c;
}

void tnt_party_set_resource(tnt_party *p, const char *resource)
{
    set_str(&p->resource, resource);
}

void tnt_party_offer_trust(tnt_party *p, const char *target)
{
    set_str(&p->offer_trust, target);
}

/* The peer's `tnt` extension in a hello, when it is one we understand
 * (version 1); an unknown version is ignored as if absent (spec section 2). */
static const tnt_tnt_ext *hello_tnt(const tls_conn *c, const tnt_hs_msg *hello, bool from_server)
{
    if (!hello)
        return NULL;
    const tnt_extensions *exts =
        from_server ? &hello->u.server_hello.ext : &hello->u.client_hello.ext;
    const tnt_extension *e = tnt_extensions_find(exts, tls_conn_codepoints(c)->ext_type);
    if (!e || !e->decoded || !e->u.tnt.known_version)
        return NULL;
    return &e->u.tnt;
}

static bool list_has(const tnt_uint_list *l, uint32_t v)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i].v == v)
            return true;
    return false;
}

/* ---- the hello extension ---- */

static const uint8_t my_languages[1] = {TNT_LANG_DN_EXPRESSION};

static void fill_ext(tnt_ext_spec *e, uint8_t mode, const uint8_t *strategies, size_t n_strategies,
                     const uint8_t *languages, size_t n_languages)
{
    memset(e, 0, sizeof *e);
    e->kind = TNT_EXTK_TNT;
    e->u.tnt.version = 1;
    e->u.tnt.mode = mode;
    e->u.tnt.strategies = (tnt_u8s){strategies, n_strategies};
    e->u.tnt.languages = (tnt_u8s){languages, n_languages};
}

static int client_mode(tnt_party *p)
{
    if (!tls_hs_renegotiating(p->c)) {
        if (fault(p, TNT_FAULT_IN_CLEAR))
            return TNT_MODE_NEGOTIATE;
        return p->offer_trust ? TNT_MODE_RESUME : TNT_MODE_OFFER;
    }
    /* A TNT server asks for a rehandshake to negotiate; a client that asks
     * for one does so to negotiate too. */
    return p->peer_spoke_tnt ? TNT_MODE_NEGOTIATE : TNT_MODE_OFFER;
}

/* What the server answers, or -1 for no extension. */
static int server_mode(tnt_party *p, const tnt_tnt_ext *ct)
{
    bool reneg = tls_hs_renegotiating(p->c);
    switch (ct->mode.v) {
    case TNT_MODE_OFFER:
        return TNT_MODE_OFFER;
    case TNT_MODE_NEGOTIATE:
        if (reneg) {
            if (p->resource)
                return TNT_MODE_NEGOTIATE;
            plog(p, "client asks to negotiate, but no request of this connection needs trust: "
                    "no TNT in this handshake");
            return -1;
        }
        if (fault(p, TNT_FAULT_IN_CLEAR)) {
            if (p->o.cfg->n_resources) {
                set_str(&p->resource, p->o.cfg->resources[0].name);
                plog(p,
                     "fault injection: negotiating \"%s\" in the initial, unencrypted "
                     "handshake",
                     p->resource);
                return TNT_MODE_NEGOTIATE;
            }
        }
        plog(p, "client asks to negotiate in the initial handshake: answering offer, the "
                "negotiation waits for the encrypted rehandshake");
        return TNT_MODE_OFFER;
    case TNT_MODE_RESUME:
        if (tls_hs_resuming(p->c)) {
            size_t n;
            const uint8_t *id = tls_hs_session_id(p->c, &n);
            const char *t = tnt_trust_cache_get(p->o.cache, id, n);
            if (t)
                return TNT_MODE_RESUME;
            plog(p,
                 "client offers to resume trust, but the session it resumes holds none: "
                 "answering %s",
                 reneg ? "without TNT" : "offer");
            return reneg ? -1 : TNT_MODE_OFFER;
        }
        if (!reneg)
            return TNT_MODE_OFFER;
        return p->resource ? TNT_MODE_NEGOTIATE : -1;
    }
    plog(p, "client's tnt extension has unknown mode %u: ignored", ct->mode.v);
    return -1;
}

static bool hook_add_ext(void *user, tls_conn *c, tnt_ext_spec *ext, size_t cap, size_t *n)
{
    tnt_party *p = user;
    *n = 0;
    p->c = c;
    end_handshake(p);
    p->resumed_trust = false;
    if (!p->o.cfg || cap < 1)
        return true;
    const tnt_peer_config *cfg = p->o.cfg;
    if (!p->is_server) {
        p->my_strategies[0] = cfg->strategy;
        p->my_strategies[1] =
            cfg->strategy == TNT_STRATEGY_EAGER ? TNT_STRATEGY_PARSIMONIOUS : TNT_STRATEGY_EAGER;
        p->sent_mode = client_mode(p);
        fill_ext(ext, (uint8_t)p->sent_mode, p->my_strategies, 2, my_languages, 1);
        *n = 1;
        return true;
    }
    const tnt_tnt_ext *ct = hello_tnt(c, tls_hs_peer_hello(c), false);
    if (!ct) {
        plog(p, "client does not speak TNT%s", tls_hs_renegotiating(c) ? " in this handshake" : "");
        return true;
    }
    p->peer_mode = (int)ct->mode.v;
    if (!list_has(&ct->languages, TNT_LANG_DN_EXPRESSION)) {
        plog(p, "client offers no policy language this server evaluates (dn_expression): no TNT");
        return true;
    }
    int mode = server_mode(p, ct);
    if (mode < 0)
        return true;
    p->strategy = list_has(&ct->strategies, cfg->strategy) || !ct->strategies.n
                      ? cfg->strategy
                      : (uint8_t)ct->strategies.v[0].v;
    p->language = TNT_LANG_DN_EXPRESSION;
    p->sent_mode = mode;
    p->negotiating = mode == TNT_MODE_NEGOTIATE;
    /* The chosen values must outlive this call: they live in p. */
    fill_ext(ext, (uint8_t)mode, &p->strategy, 1, &p->language, 1);
    *n = 1;
    plog(p, "tnt: client %s, server %s (%s, %s)", mode_name(p->peer_mode), mode_name(mode),
         tnt_strategy_name(p->strategy) ? tnt_strategy_name(p->strategy) : "?",
         tnt_language_name(p->language));
    return true;
}

static bool client_check_server_ext(tnt_party *p, const tnt_tnt_ext *st)
{
    tls_conn *c = p->c;
    bool reneg = tls_hs_renegotiating(c);
    if (p->sent_mode < 0)
        return tls_conn_fail(c, TLS_ALERT_UNSUPPORTED_EXTENSION, "tnt extension not offered");
    if (st->strategies.n != 1 || st->languages.n != 1)
        return tls_conn_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                             "server's tnt extension must choose one strategy and one language");
    uint32_t s = st->strategies.v[0].v, l = st->languages.v[0].v;
    if (s != p->my_strategies[0] && s != p->my_strategies[1])
        return tls_conn_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                             "server chose strategy %u, which was not offered", s);
    if (l != TNT_LANG_DN_EXPRESSION)
        return tls_conn_fail(c, TLS_ALERT_ILLEGAL_PARAMETER,
                             "server chose policy language %u, which was not offered", l);
    p->strategy = (uint8_t)s;
    p->language = (uint8_t)l;
    int m = (int)st->mode.v;
    bool ok;
    switch (p->sent_mode) {
    case TNT_MODE_OFFER:
        ok = m == TNT_MODE_OFFER;
        break;
    case TNT_MODE_NEGOTIATE:
        ok = m == TNT_MODE_NEGOTIATE || (!reneg && m == TNT_MODE_OFFER);
        break;
    default: /* resume */
        ok = (m == TNT_MODE_RESUME && tls_hs_resuming(c)) ||
             (!tls_hs_resuming(c) && (reneg ? m == TNT_MODE_NEGOTIATE : m == TNT_MODE_OFFER)) ||
             (tls_hs_resuming(c) && m == TNT_MODE_OFFER);
        break;
    }
    if (!ok)
        return tls_conn_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, "server answered tnt %s to %s%s",
                             mode_name(m), mode_name(p->sent_mode),
                             m == TNT_MODE_RESUME ? " without resuming the session" : "");
    p->peer_mode = m;
    p->negotiating = m == TNT_MODE_NEGOTIATE;
    return true;
}

static bool hook_peer_hello(void *user, tls_conn *c, const tnt_hs_msg *hello)
{
    tnt_party *p = user;
    p->c = c;
    if (p->is_server) {
        if (hello_tnt(c, hello, false))
            p->peer_spoke_tnt = true;
        return true;
    }
    if (!p->o.cfg)
        return true;
    const tnt_tnt_ext *st = hello_tnt(c, hello, true);
    if (!st) {
        if (!tls_hs_renegotiating(c) && !p->peer_spoke_tnt) {
            p->peer_silent = true;
            plog(p, "peer does not speak TNT (no tnt extension in its ServerHello)");
        } else if (p->sent_mode == TNT_MODE_NEGOTIATE) {
            plog(p, "server declined to negotiate in this handshake");
        }
        if (p->sent_mode == TNT_MODE_RESUME && tls_hs_resuming(c))
            plog(p, "session resumed without its trust");
        return true;
    }
    if (!client_check_server_ext(p, st))
        return false;
    p->peer_spoke_tnt = true;
    p->peer_silent = false;
    plog(p, "tnt: client %s, server %s (%s, %s)", mode_name(p->sent_mode), mode_name(p->peer_mode),
         tnt_strategy_name(p->strategy) ? tnt_strategy_name(p->strategy) : "?",
         tnt_language_name(p->language));
    return true;
}

/* ---- sending a round ---- */

static bool neg_start(tnt_party *p)
{
    if (p->neg_live)
        return true;
    if (!tnt_negotiator_init(&p->neg, p->is_server ? TNT_NEG_SERVER : TNT_NEG_CLIENT, p->o.cfg, 0))
        return tls_conn_fail(p->c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    tnt_negotiator_use_certs(&p->neg, p->o.certs);
    p->neg_live = true;
    p->sent_rounds = 0;
    p->outcome = TNT_PARTY_NONE;
    p->reason[0] = 0;
    p->target[0] = 0;
    p->rounds = 0;
    return true;
}

static void log_round(tnt_party *p, const tnt_neg_round *r)
{
    for (uint32_t i = 0; i < r->n_log; i++)
        plog(p, "  %s", r->log[i]);
}

/* Why a negotiation ended, from the round's log: the line that ends it
 * ("failure: ...", "success: ...", "the other side sent failure"), after the
 * last policy that was not satisfied, if any. */
static void note_reason(tnt_party *p, const tnt_neg_round *r)
{
    const char *end = NULL, *unmet = NULL;
    for (uint32_t i = 0; i < r->n_log; i++) {
        const char *l = r->log[i];
        if (!strncmp(l, "failure", 7) || !strncmp(l, "success", 7) ||
            !strncmp(l, "the other side", 14) || strstr(l, "sent success"))
            end = l;
        else if (strstr(l, "not satisfied"))
            unmet = l;
    }
    if (end && unmet && strncmp(end, "success", 7))
        snprintf(p->reason, sizeof p->reason, "%s; %s", end, unmet);
    else if (end || unmet)
        snprintf(p->reason, sizeof p->reason, "%s", end ? end : unmet);
}

static bool send_proofs(tnt_party *p, const tnt_neg_round *r)
{
    tls_conn *c = p->c;
    uint16_t version = tls_hs_version(c);
    size_t n_algs;
    const uint16_t *algs = tls_hs_client_sig_algs(c, &n_algs);
    size_t tlen;
    const uint8_t *t = tls_hs_transcript(c, &tlen);
    tnt_ownership_proof_spec *pr = calloc(r->n_creds, sizeof *pr);
    uint8_t(*sigs)[PROOF_SIG_MAX] = calloc(r->n_creds, PROOF_SIG_MAX);
    bool ok = pr && sigs;
    if (!ok)
        tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    for (uint32_t i = 0; ok && i < r->n_creds; i++) {
        const tnt_peer_credential *cr = &p->o.cfg->creds[r->creds[i]];
        char why[256] = "";
        uint16_t alg = 0;
        bool tls12 = version == TNT_TLS12;
        if (tls12 &&
            !tnt_proof_pick_algorithm(cr->key, cr->key_len, algs, n_algs, &alg, why, sizeof why)) {
            ok = tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "proof for \"%s\": %s", cr->type, why);
            break;
        }
        size_t sl = 0;
        if (!tnt_proof_sign(version, cr->key, cr->key_len, tls12, alg, t, tlen, algs, n_algs,
                            sigs[i], PROOF_SIG_MAX, &sl, why, sizeof why)) {
            ok = tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "proof for \"%s\": %s", cr->type, why);
            break;
        }
        if (fault(p, TNT_FAULT_BAD_PROOF)) {
            sigs[i][sl / 2] ^= 0x01;
            plog(p, "  fault injection: one bit of the proof for \"%s\" flipped", cr->type);
        }
        pr[i].credential_index = (uint16_t)i;
        pr[i].algorithm = alg;
        pr[i].signature = tnt_blob_of(sigs[i], sl);
        const char *an = tnt_sigscheme_name(alg);
        plog(p, "  proof for \"%s\": %s over %zu transcript bytes", cr->type,
             tls12 ? (an ? an : "?") : "MD5||SHA-1 or SHA-1 (TLS 1.0/1.1)", tlen);
    }
    if (ok) {
        tnt_builder b;
        tnt_bld_init(&b);
        b.cp = tls_conn_codepoints(c);
        tnt_enc_tnt_proof(&b, version, pr, r->n_creds);
        ok = tls_hs_send_bld(c, &b);
        tnt_bld_free(&b);
    }
    free(pr);
    free(sigs);
    return ok;
}

static bool send_round(tnt_party *p, const tnt_neg_round *r)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_negotiation_spec spec;
    if (!tnt_negotiator_round_spec(&p->neg, r, &a, &spec)) {
        tnt_arena_free(&a);
        return tls_conn_fail(p->c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    }
    p->sent_rounds++;
    log_round(p, r);
    if (fault(p, TNT_FAULT_ROUND_ORDER)) {
        plog(p, "  fault injection: round %u sent as round %u", spec.round, spec.round + 1u);
        spec.round++;
    }
    if (!p->is_server && spec.status == TNT_STATUS_CONTINUE && r->n_creds &&
        fault(p, TNT_FAULT_CLIENT_SUCCESS)) {
        plog(p, "  fault injection: client round %u sent with status success", spec.round);
        spec.status = TNT_STATUS_SUCCESS;
    }
    plog(p, "round %u sent: %s, %u polic%s, %u credential%s", spec.round,
         tnt_status_name(spec.status), r->n_policies, r->n_policies == 1 ? "y" : "ies", r->n_creds,
         r->n_creds == 1 ? "" : "s");
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = tls_conn_codepoints(p->c);
    tnt_enc_tnt_negotiation(&b, &spec);
    bool ok = tls_hs_send_bld(p->c, &b);
    tnt_bld_free(&b);
    tnt_arena_free(&a);
    p->rounds = r->round;
    if (ok && r->n_creds) {
        if (fault(p, TNT_FAULT_NO_PROOF))
            plog(p, "  fault injection: no TNTProof for round %u", r->round);
        else
            ok = send_proofs(p, r);
    }
    if (r->status != TNT_STATUS_CONTINUE)
        note_reason(p, r);
    return ok;
}

/* ---- receiving a round ---- */

/* The negotiation after the other side's round, with proofs checked. The
 * held TNTNegotiation is consumed. proof: the TNTProof that followed it, or
 * NULL. */
static bool process_held(tnt_party *p, const tnt_hs_msg *proof, tnt_neg_round *out)
{
    tls_conn *c = p->c;
    uint16_t version = tls_hs_version(c);
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg m;
    tnt_hs_ctx ctx = {version, tls_conn_suite(c), !p->is_server, tls_conn_codepoints(c)};
    bool ok = tnt_hs_decode(p->held, (uint32_t)p->held_len, &ctx, &a, &m) && m.decoded;
    if (!ok) {
        tnt_arena_free(&a);
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "held TNTNegotiation lost");
    }
    const tnt_negotiation *n = &m.u.tnt_negotiation;
    if (n->n_policies > MAX_ROUND_POLICIES || n->n_credentials > MAX_ROUND_CREDENTIALS) {
        tnt_arena_free(&a);
        p->outcome = TNT_PARTY_ERROR;
        snprintf(p->reason, sizeof p->reason,
                 "round %u carries %u policies and %u credentials (at most %u and %u)",
                 (unsigned)n->round.v, n->n_policies, n->n_credentials, MAX_ROUND_POLICIES,
                 MAX_ROUND_CREDENTIALS);
        return tls_conn_fail(c, TLS_ALERT_ILLEGAL_PARAMETER, "%s", p->reason);
    }
    plog(p, "round %u received: %s, %u polic%s, %u credential%s%s", n->round.v,
         tnt_status_name(n->status.v) ? tnt_status_name(n->status.v) : "?", n->n_policies,
         n->n_policies == 1 ? "y" : "ies", n->n_credentials, n->n_credentials == 1 ? "" : "s",
         n->n_credentials && !proof ? ", without TNTProof" : "");
    tnt_proof_result *res = NULL;
    if (proof) {
        res = calloc(n->n_credentials ? n->n_credentials : 1, sizeof *res);
        if (!res) {
            tnt_arena_free(&a);
            return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
        }
        size_t tlen;
        const uint8_t *t = tls_hs_transcript(c, &tlen);
        size_t n_algs;
        const uint16_t *algs = tls_hs_client_sig_algs(c, &n_algs);
        for (uint32_t i = 0; i < n->n_credentials; i++)
            res[i] = TNT_PROOF_MISSING;
        const tnt_proof *pf = &proof->u.tnt_proof;
        bool *seen = calloc(n->n_credentials ? n->n_credentials : 1, 1);
        for (uint32_t k = 0; seen && k < pf->n_proofs; k++) {
            const tnt_ownership_proof *op = &pf->proofs[k];
            uint32_t idx = (uint32_t)op->credential_index.v;
            if (idx >= n->n_credentials || seen[idx]) {
                plog(p, "  proof entry %u: credential index %u %s: ignored", k, idx,
                     idx >= n->n_credentials ? "out of range" : "given twice");
                continue;
            }
            seen[idx] = true;
            const tnt_credential *cr = &n->credentials[idx];
            char why[256] = "";
            res[idx] =
                tnt_proof_verify(version, cr->certs[0].p, cr->certs[0].len, op->has_algorithm,
                                 (uint16_t)op->algorithm.v, op->signature.p, op->signature.len, t,
                                 p->held_transcript <= tlen ? p->held_transcript : 0, algs,
                                 algs ? n_algs : 0, why, sizeof why);
            plog(p, "  proof for \"%.*s\": %s: %s", (int)cr->type.len, (const char *)cr->type.p,
                 tnt_proof_result_name(res[idx]), why);
        }
        free(seen);
    }
    ok = tnt_negotiator_receive(&p->neg, n, res, out);
    free(res);
    tnt_arena_free(&a);
    free(p->held);
    p->held = NULL;
    if (!ok)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    if (out->round > p->rounds)
        p->rounds = out->round;
    if (n->round.v > p->rounds)
        p->rounds = (uint16_t)n->round.v;
    if (!out->send) {
        log_round(p, out);
        note_reason(p, out);
    }
    return true;
}

static bool hold(tnt_party *p, const tnt_hs_msg *msg)
{
    free(p->held);
    p->held = malloc(msg->raw_len);
    if (!p->held)
        return tls_conn_fail(p->c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    memcpy(p->held, msg->raw, msg->raw_len);
    p->held_len = msg->raw_len;
    /* The message is already in the transcript: what its proofs sign ends
     * here. */
    tls_hs_transcript(p->c, &p->held_transcript);
    return true;
}

static void finish(tnt_party *p)
{
    switch (p->neg.state) {
    case TNT_NEG_SUCCESS:
        p->outcome = TNT_PARTY_SUCCESS;
        break;
    case TNT_NEG_FAILURE:
        p->outcome = TNT_PARTY_FAILURE;
        break;
    case TNT_NEG_ERROR:
        p->outcome = TNT_PARTY_ERROR;
        break;
    default:
        break;
    }
    if (p->neg.target)
        snprintf(p->target, sizeof p->target, "%s", p->neg.target);
}

/* What happens after the other side's round was processed (out: my reply).
 * Returns the hook result the engine should act on. */
static tls_hook_result after_round(tnt_party *p, tnt_neg_round *out)
{
    tls_conn *c = p->c;
    if (p->neg.state == TNT_NEG_ERROR) {
        finish(p);
        const char *why = out->n_log ? out->log[out->n_log - 1] : "";
        snprintf(p->reason, sizeof p->reason, "%s", why);
        tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "TNT ordering error: %s", why);
        return TLS_HOOK_FAIL;
    }
    if (out->send && !send_round(p, out))
        return TLS_HOOK_FAIL;
    finish(p);
    if (p->neg.state == TNT_NEG_WAITING)
        return TLS_HOOK_WAIT;
    if (p->is_server && p->neg.state == TNT_NEG_FAILURE && p->o.deny_on_failure) {
        p->denied = true;
        plog(p, "negotiation failed: access_denied");
        tls_conn_fail(c, TLS_ALERT_ACCESS_DENIED, "negotiation failed: %s", p->reason);
        return TLS_HOOK_FAIL;
    }
    return TLS_HOOK_DONE;
}

static bool is_type(const tnt_hs_msg *m, uint8_t t)
{
    return m->type == t;
}

/* A TNT message from the other side. Returns the next step. */
static tls_hook_result on_tnt_msg(tnt_party *p, const tnt_hs_msg *m)
{
    tls_conn *c = p->c;
    const tnt_codepoints *cp = tls_conn_codepoints(c);
    if (!p->negotiating) {
        tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                      "TNT message in a handshake without tnt: negotiate");
        return TLS_HOOK_FAIL;
    }
    if (!neg_start(p))
        return TLS_HOOK_FAIL;
    tnt_neg_round out;
    if (is_type(m, cp->hs_proof)) {
        if (!p->held) {
            p->outcome = TNT_PARTY_ERROR;
            snprintf(p->reason, sizeof p->reason, "TNTProof that follows no credential");
            tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                          "TNTProof that does not follow a credential-disclosing TNTNegotiation");
            return TLS_HOOK_FAIL;
        }
        if (!process_held(p, m, &out))
            return TLS_HOOK_FAIL;
        return after_round(p, &out);
    }
    /* A TNTNegotiation. One still held lost its proof. */
    if (p->held) {
        if (!process_held(p, NULL, &out))
            return TLS_HOOK_FAIL;
        tls_hook_result r = after_round(p, &out);
        if (r == TLS_HOOK_FAIL)
            return r;
    }
    if (!hold(p, m))
        return TLS_HOOK_FAIL;
    if (m->u.tnt_negotiation.n_credentials && tls_conn_input_pending(c, p->o.proof_wait_ms))
        return TLS_HOOK_WAIT; /* its TNTProof, or whatever comes instead */
    if (!process_held(p, NULL, &out))
        return TLS_HOOK_FAIL;
    return after_round(p, &out);
}

/* ---- server hooks ---- */

static tls_hook_result hook_server_mid(void *user, tls_conn *c)
{
    tnt_party *p = user;
    p->c = c;
    if (!p->negotiating)
        return TLS_HOOK_DONE;
    if (!neg_start(p))
        return TLS_HOOK_FAIL;
    tnt_neg_round out;
    plog(p, "negotiating \"%s\"%s", p->resource, tls_hs_renegotiating(c) ? "" : " in the clear");
    if (!tnt_negotiator_start(&p->neg, p->resource, &out)) {
        log_round(p, &out);
        tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "cannot start the negotiation");
        return TLS_HOOK_FAIL;
    }
    return after_round(p, &out);
}

static tls_hook_result hook_server_msg(void *user, tls_conn *c, const tnt_hs_msg *m)
{
    tnt_party *p = user;
    p->c = c;
    const tnt_codepoints *cp = tls_conn_codepoints(c);
    if (is_type(m, cp->hs_negotiation) || is_type(m, cp->hs_proof))
        return on_tnt_msg(p, m);
    if (p->held) {
        /* The TNTProof we waited for did not come. */
        tnt_neg_round out;
        if (!process_held(p, NULL, &out))
            return TLS_HOOK_FAIL;
        tls_hook_result r = after_round(p, &out);
        if (r != TLS_HOOK_WAIT)
            return r;
    }
    p->outcome = TNT_PARTY_ERROR;
    snprintf(p->reason, sizeof p->reason, "client sent %s while its round was due",
             tnt_handshake_type_name(cp, m->type) ? tnt_handshake_type_name(cp, m->type)
                                                  : "a message");
    tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "%s", p->reason);
    return TLS_HOOK_FAIL;
}

/* ---- client hooks ---- */

static bool hook_client_msg(void *user, tls_conn *c, const tnt_hs_msg *m)
{
    tnt_party *p = user;
    p->c = c;
    const tnt_codepoints *cp = tls_conn_codepoints(c);
    if (!is_type(m, cp->hs_negotiation) && !is_type(m, cp->hs_proof))
        return tls_conn_fail(
            c, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s before ServerHelloDone",
            tnt_handshake_type_name(cp, m->type) ? tnt_handshake_type_name(cp, m->type)
                                                 : "handshake message");
    return on_tnt_msg(p, m) != TLS_HOOK_FAIL;
}

static bool hook_client_before_cke(void *user, tls_conn *c)
{
    tnt_party *p = user;
    p->c = c;
    if (p->held) {
        tnt_neg_round out;
        if (!process_held(p, NULL, &out) || after_round(p, &out) == TLS_HOOK_FAIL)
            return false;
    }
    if (p->negotiating && p->neg_live && p->neg.state == TNT_NEG_WAITING) {
        p->outcome = TNT_PARTY_ERROR;
        snprintf(p->reason, sizeof p->reason,
                 "ServerHelloDone while the negotiation awaits the server's round");
        return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "%s", p->reason);
    }
    if (p->negotiating && !p->neg_live) {
        p->outcome = TNT_PARTY_ERROR;
        snprintf(p->reason, sizeof p->reason, "server answered negotiate but sent no round");
        return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "%s", p->reason);
    }
    return true;
}

/* ---- both ---- */

static void hook_done(void *user, tls_conn *c)
{
    tnt_party *p = user;
    p->c = c;
    const tls_session *s = tls_conn_session(c);
    if (p->peer_mode == TNT_MODE_RESUME && p->sent_mode == TNT_MODE_RESUME && tls_conn_resumed(c)) {
        const char *t =
            p->is_server ? tnt_trust_cache_get(p->o.cache, s->id, s->id_len) : p->offer_trust;
        if (t) {
            set_str(&p->trusted, t);
            p->resumed_trust = true;
            plog(p, "trust for \"%s\" resumed with the session", t);
        }
    } else if (p->negotiating && p->neg_live) {
        finish(p);
        if (p->outcome == TNT_PARTY_SUCCESS) {
            set_str(&p->trusted, p->target);
            if (p->is_server && p->o.cache)
                tnt_trust_cache_put(p->o.cache, s->id, s->id_len, p->target);
            plog(p, "handshake complete: trust established for \"%s\" after %u rounds", p->target,
                 p->rounds);
        } else {
            plog(p, "handshake complete without trust (%s): %s", tnt_party_outcome_name(p->outcome),
                 p->reason);
        }
    } else if (!tls_conn_resumed(c) && tls_conn_handshakes(c) > 1) {
        /* A full rehandshake without negotiation starts a new session
         * without trust. */
        set_str(&p->trusted, NULL);
    }
    end_handshake(p);
}

void tnt_party_hooks(tnt_party *p, tls_hooks *h)
{
    memset(h, 0, sizeof *h);
    h->user = p;
    h->add_hello_ext = hook_add_ext;
    h->peer_hello = hook_peer_hello;
    h->handshake_done = hook_done;
    if (p->is_server) {
        h->server_mid_flight = hook_server_mid;
        h->server_extra_msg = hook_server_msg;
    } else {
        h->client_extra_msg = hook_client_msg;
        h->client_before_cke = hook_client_before_cke;
    }
}
