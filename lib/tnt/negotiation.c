/* Negotiation reconstruction: the message flow of each handshake, the
 * section 8 rules that are judged message by message, proofs, hellos,
 * renegotiation_info and resumption. Policy evaluation and failure reasons
 * are in negotiation_eval.c.
 *
 * Judging rules by position (round numbers, senders, TNTProof adjacency)
 * needs every earlier message of the handshake: after a loss, or when the
 * capture began inside a handshake, those rules are not judged and a note
 * says so. Loss is counted per direction, because TNTProof adjacency only
 * concerns one sender's flight. */
#include "negotiation_int.h"

#include "codepoints.h"
#include "names.h"
#include "x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

char *nego_strndup(tnt_nego *n, const void *p, size_t len)
{
    char *s = tnt_arena_alloc(&n->arena, len + 1);
    if (s && len)
        memcpy(s, p, len);
    return s;
}

static char *vprintf_arena(tnt_nego *n, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        return NULL;
    char *s = tnt_arena_alloc(&n->arena, (size_t)len + 1);
    if (s)
        vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

char *nego_printf(tnt_nego *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vprintf_arena(n, fmt, ap);
    va_end(ap);
    return s;
}

/* Grows a malloc'd array to hold one more element; false when memory runs out. */
static bool grow(void **v, uint32_t n, uint32_t *cap, size_t sz)
{
    if (n < *cap)
        return true;
    uint32_t nc = *cap ? *cap * 2 : 8;
    if (nc <= n)
        return false;
    void *p = realloc(*v, (size_t)nc * sz);
    if (!p)
        return false;
    *v = p;
    *cap = nc;
    return true;
}

void nego_violation(tnt_nego *n, uint32_t hs, tnt_viol_code code, tnt_severity sev, uint32_t round,
                    uint64_t frame, tnt_dir dir, const char *fmt, ...)
{
    if (!grow((void **)&n->viol, n->n_viol, &n->cap_viol, sizeof(*n->viol)))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = vprintf_arena(n, fmt, ap);
    va_end(ap);
    /* A violation judged without a frame (the end of a handshake) concerns
     * no message being fed; callers that know its message say so after. */
    n->viol[n->n_viol++] = (tnt_violation){
        code, sev, hs, round, frame, dir, msg ? msg : "", frame ? n->cur_seq : 0, {0, 0}};
    nego_queue(n, TNT_VERDICT_VIOLATION, hs, n->n_viol - 1);
}

void nego_violation_at(tnt_nego *n, uint64_t msg_seq, tnt_span at)
{
    if (n->n_viol == 0)
        return;
    n->viol[n->n_viol - 1].msg_seq = msg_seq;
    n->viol[n->n_viol - 1].at = at;
}

void nego_queue(tnt_nego *n, tnt_verdict_kind kind, uint32_t hs, uint32_t idx)
{
    if (!grow((void **)&n->queue, n->n_queue, &n->cap_queue, sizeof(*n->queue)))
        return;
    n->queue[n->n_queue++] = (nego_queued){kind, hs, idx};
}

static void add_note(tnt_nego *n, uint32_t hs, uint32_t round, uint64_t frame, tnt_note_kind kind,
                     const char *fmt, va_list ap)
{
    if (!grow((void **)&n->notes, n->n_notes, &n->cap_notes, sizeof(*n->notes)))
        return;
    char *msg = vprintf_arena(n, fmt, ap);
    n->notes[n->n_notes++] =
        (tnt_nego_note){hs, round, frame, msg ? msg : "", kind, frame ? n->cur_seq : 0, {0, 0}};
    nego_queue(n, TNT_VERDICT_NOTE, hs, n->n_notes - 1);
}

void nego_note(tnt_nego *n, uint32_t hs, uint32_t round, uint64_t frame, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(n, hs, round, frame, TNT_NOTE_NOT_CHECKED, fmt, ap);
    va_end(ap);
}

void nego_info(tnt_nego *n, uint32_t hs, uint64_t frame, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_note(n, hs, 0, frame, TNT_NOTE_INFO, fmt, ap);
    va_end(ap);
}

const char *nego_side(tnt_dir d)
{
    return d == TNT_C2S ? "client" : "server";
}

static const char *const viol_names[TNT_V_COUNT] = {
    "tnt-in-clear",
    "sensitive-credential-in-clear",
    "proof-missing",
    "proof-unexpected",
    "proof-invalid",
    "round-out-of-order",
    "wrong-sender",
    "client-success",
    "tnt-not-negotiated",
    "policy-language-not-negotiated",
    "empty-round",
    "renegotiation-info-missing",
    "renegotiation-info-mismatch",
    "resume-unknown-session",
    "tcp-gap",
    "decrypt-failed",
};

const char *tnt_viol_code_name(tnt_viol_code c)
{
    return (unsigned)c < TNT_V_COUNT ? viol_names[c] : "?";
}

const char *tnt_severity_name(tnt_severity s)
{
    switch (s) {
    case TNT_SEV_INFO:
        return "info";
    case TNT_SEV_WARNING:
        return "warning";
    case TNT_SEV_ERROR:
        return "error";
    }
    return "?";
}

const char *tnt_ri_status_name(tnt_ri_status s)
{
    switch (s) {
    case TNT_RI_UNCHECKED:
        return "unchecked";
    case TNT_RI_VERIFIED:
        return "verified";
    case TNT_RI_MISMATCH:
        return "mismatch";
    case TNT_RI_ABSENT:
        return "absent";
    }
    return "?";
}

const char *tnt_nego_outcome_name(tnt_nego_outcome o)
{
    switch (o) {
    case TNT_OUTCOME_NONE:
        return "none";
    case TNT_OUTCOME_INCOMPLETE:
        return "incomplete";
    case TNT_OUTCOME_SUCCESS:
        return "success";
    case TNT_OUTCOME_FAILURE:
        return "failure";
    }
    return "?";
}

/* ---- lifetime ---- */

tnt_nego *tnt_nego_new(tnt_session_store *store, const tnt_nego_options *opt)
{
    tnt_nego *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->store = store;
    if (opt)
        n->opt = *opt;
    tnt_arena_init(&n->arena);
    return n;
}

static void hs_free(hs_priv *h)
{
    free(h->pub.rounds);
    free(h->pub.policies);
    free(h->pub.creds);
    for (int d = 0; d < 2; d++) {
        if (h->protected_types[d])
            g_hash_table_destroy(h->protected_types[d]);
        if (h->clear_creds[d])
            g_hash_table_destroy(h->clear_creds[d]);
    }
    free(h);
}

void tnt_nego_free(tnt_nego *n)
{
    if (!n)
        return;
    for (uint32_t i = 0; i < n->n_hs; i++)
        hs_free(n->hs[i]);
    free(n->hs);
    free(n->viol);
    free(n->notes);
    free(n->queue);
    tnt_arena_free(&n->arena);
    free(n);
}

void tnt_nego_set_hasher(tnt_nego *n, const tnt_transcript_hasher *hasher)
{
    n->hasher = hasher ? *hasher : (tnt_transcript_hasher){NULL, NULL};
}

void tnt_nego_set_msg_seq(tnt_nego *n, uint64_t seq)
{
    n->cur_seq = seq;
}

void tnt_nego_deliver(tnt_nego *n, const tnt_verdict_event *where, tnt_verdict_fn fn, void *user)
{
    /* The callback sees the model read-only (it must not feed the
     * connection), so nothing is queued while the queue is walked. */
    for (uint32_t i = 0; i < n->n_queue; i++) {
        const nego_queued *q = &n->queue[i];
        tnt_verdict_event ev = *where;
        ev.kind = q->kind;
        ev.handshake = q->hs;
        ev.hs = q->hs ? tnt_nego_handshake_by_index(n, q->hs) : NULL;
        ev.violation = q->kind == TNT_VERDICT_VIOLATION ? &n->viol[q->idx] : NULL;
        ev.note = q->kind == TNT_VERDICT_NOTE ? &n->notes[q->idx] : NULL;
        ev.round_index = q->kind == TNT_VERDICT_PROOFS ? q->idx : 0;
        ev.cred_index = q->kind == TNT_VERDICT_CREDENTIAL ? q->idx : 0;
        ev.finished_dir = q->kind == TNT_VERDICT_FINISHED ? (tnt_dir)q->idx : TNT_C2S;
        if (fn)
            fn(user, &ev);
    }
    n->n_queue = 0;
}

uint32_t tnt_nego_n_handshakes(const tnt_nego *n)
{
    return n->n_hs;
}

const tnt_nego_hs *tnt_nego_handshake(const tnt_nego *n, uint32_t i)
{
    return i < n->n_hs ? &n->hs[i]->pub : NULL;
}

static hs_priv *find_hs(const tnt_nego *n, uint32_t index)
{
    for (uint32_t i = n->n_hs; i-- > 0;)
        if (n->hs[i]->pub.index == index)
            return n->hs[i];
    return NULL;
}

const tnt_nego_hs *tnt_nego_handshake_by_index(const tnt_nego *n, uint32_t index)
{
    hs_priv *h = find_hs(n, index);
    return h ? &h->pub : NULL;
}

const tnt_violation *tnt_nego_violations(const tnt_nego *n, uint32_t *count)
{
    *count = n->n_viol;
    return n->viol;
}

const tnt_nego_note *tnt_nego_notes(const tnt_nego *n, uint32_t *count)
{
    *count = n->n_notes;
    return n->notes;
}

static hs_priv *latest(const tnt_nego *n)
{
    return n->n_hs ? n->hs[n->n_hs - 1] : NULL;
}

static void finalize(tnt_nego *n, hs_priv *h, bool at_end);

/* The handshake with this index, created (and every older one finalized:
 * a new handshake means the old ones are over) when new. */
static hs_priv *get_hs(tnt_nego *n, uint32_t index)
{
    hs_priv *h = find_hs(n, index);
    if (h)
        return h;
    if (!grow((void **)&n->hs, n->n_hs, &n->cap_hs, sizeof(*n->hs)))
        return NULL;
    h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->pub.index = index;
    for (uint32_t i = 0; i < n->n_hs; i++)
        if (n->hs[i]->pub.index < index)
            finalize(n, n->hs[i], false);
    uint32_t at = n->n_hs;
    while (at > 0 && n->hs[at - 1]->pub.index > index)
        at--;
    memmove(&n->hs[at + 1], &n->hs[at], (n->n_hs - at) * sizeof(*n->hs));
    n->hs[at] = h;
    n->n_hs++;
    return h;
}

/* ---- hellos ---- */

static const tnt_tnt_ext *find_tnt(const tnt_nego *n, const tnt_extensions *e, bool has,
                                   bool *unknown_version)
{
    if (!has)
        return NULL;
    const tnt_extension *x = tnt_extensions_find(e, tnt_codepoints_or_default(n->opt.cp)->ext_type);
    if (!x || x->kind != TNT_EXTK_TNT || !x->decoded)
        return NULL;
    if (!x->u.tnt.known_version) {
        *unknown_version = true;
        return NULL;
    }
    return &x->u.tnt;
}

static const tnt_extension *find_ri(const tnt_extensions *e, bool has)
{
    if (!has)
        return NULL;
    const tnt_extension *x = tnt_extensions_find(e, TNT_EXT_RENEGOTIATION_INFO);
    return x && x->decoded ? x : NULL;
}

static void client_hello(tnt_nego *n, hs_priv *h, const tnt_client_hello *ch, uint64_t frame)
{
    h->pub.client_hello = true;
    h->client_hello_frame = frame;
    h->client_hello_seq = n->cur_seq;
    memcpy(h->client_sid, ch->session_id.p, ch->session_id.len <= 32 ? ch->session_id.len : 0);
    h->client_sid_len = ch->session_id.len <= 32 ? (uint8_t)ch->session_id.len : 0;
    for (uint32_t i = 0; i < ch->n_suites; i++)
        if (ch->suites[i].v == 0x00FF) /* TLS_EMPTY_RENEGOTIATION_INFO_SCSV */
            h->client_scsv = true;
    const tnt_extension *ri = find_ri(&ch->ext, ch->has_extensions);
    if (ri) {
        h->client_ri_present = true;
        h->client_ri = (const uint8_t *)nego_strndup(n, ri->u.renegotiation_info.p,
                                                     ri->u.renegotiation_info.len);
        h->client_ri_len = ri->u.renegotiation_info.len;
    }
    bool unknown = false;
    const tnt_tnt_ext *t = find_tnt(n, &ch->ext, ch->has_extensions, &unknown);
    if (t) {
        h->pub.client_tnt = true;
        h->pub.client_mode = (uint8_t)t->mode.v;
    }
    const tnt_extension *sa =
        ch->has_extensions ? tnt_extensions_find(&ch->ext, TNT_EXT_SIGNATURE_ALGORITHMS) : NULL;
    if (sa && sa->decoded) {
        h->has_sig_algs = true;
        h->n_sig_algs = sa->u.sig_algs.n;
        h->sig_algs =
            tnt_arena_array(&n->arena, h->n_sig_algs ? h->n_sig_algs : 1, sizeof(*h->sig_algs));
        if (!h->sig_algs)
            h->n_sig_algs = 0;
        for (uint32_t i = 0; h->sig_algs && i < h->n_sig_algs; i++)
            h->sig_algs[i] = (uint16_t)sa->u.sig_algs.v[i].v;
    }
}

static bool bytes_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* RFC 5746 3.5 / 3.7: what each hello must carry, given the handshake
 * before this one. Judged once both hellos are known. */
static void check_ri(tnt_nego *n, hs_priv *h, uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    bool rehandshake = H->index > 1;
    if (!H->client_hello) {
        /* One hello lacking it is enough for the violation (spec section 8). */
        if (rehandshake && !h->server_ri_present) {
            H->ri = TNT_RI_ABSENT;
            h->said_ri_missing = true;
            nego_violation(n, H->index, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 0, frame,
                           TNT_S2C, "the rehandshake's ServerHello lacks renegotiation_info");
            return;
        }
        H->ri = TNT_RI_UNCHECKED;
        nego_note(n, H->index, 0, frame,
                  "renegotiation_info of handshake %u unchecked: ClientHello not seen", H->index);
        return;
    }
    bool client_has = h->client_ri_present || (!rehandshake && h->client_scsv);
    if (!client_has || !h->server_ri_present) {
        H->ri = TNT_RI_ABSENT;
        h->said_ri_missing = rehandshake;
        if (rehandshake)
            nego_violation(n, H->index, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 0, frame,
                           client_has ? TNT_S2C : TNT_C2S, "%s renegotiation_info",
                           !client_has && !h->server_ri_present
                               ? "both hellos of the rehandshake lack"
                           : !client_has ? "the rehandshake's ClientHello lacks"
                                         : "the rehandshake's ServerHello lacks");
    }
    if (!rehandshake) {
        bool bad_c = h->client_ri_present && h->client_ri_len != 0;
        bool bad_s = h->server_ri_present && h->server_ri_len != 0;
        if (bad_c || bad_s) {
            H->ri = TNT_RI_MISMATCH;
            nego_violation(n, H->index, TNT_V_RENEGOTIATION_INFO_MISMATCH, TNT_SEV_ERROR, 0, frame,
                           bad_c ? TNT_C2S : TNT_S2C,
                           "renegotiation_info of the %s is not empty in an initial handshake",
                           bad_c && bad_s ? "ClientHello and ServerHello"
                           : bad_c        ? "ClientHello"
                                          : "ServerHello");
        } else if (H->ri != TNT_RI_ABSENT) {
            H->ri = TNT_RI_VERIFIED;
        }
        return;
    }
    hs_priv *p = find_hs(n, H->index - 1);
    bool have_c = p && p->pub.finished[TNT_C2S], have_s = p && p->pub.finished[TNT_S2C];
    bool mism_c = false, mism_s = false;
    if (h->client_ri_present && have_c)
        mism_c = !bytes_eq(h->client_ri, h->client_ri_len, p->pub.verify_data[TNT_C2S],
                           p->pub.verify_len[TNT_C2S]);
    if (h->server_ri_present && have_c && have_s) {
        uint8_t both[72];
        size_t lc = p->pub.verify_len[TNT_C2S], ls = p->pub.verify_len[TNT_S2C];
        memcpy(both, p->pub.verify_data[TNT_C2S], lc);
        memcpy(both + lc, p->pub.verify_data[TNT_S2C], ls);
        mism_s = !bytes_eq(h->server_ri, h->server_ri_len, both, lc + ls);
    }
    if (mism_c || mism_s) {
        H->ri = TNT_RI_MISMATCH;
        nego_violation(n, H->index, TNT_V_RENEGOTIATION_INFO_MISMATCH, TNT_SEV_ERROR, 0, frame,
                       mism_c ? TNT_C2S : TNT_S2C,
                       "renegotiation_info of the %s differs from the Finished verify_data of "
                       "handshake %u",
                       mism_c && mism_s ? "ClientHello and ServerHello"
                       : mism_c         ? "ClientHello"
                                        : "ServerHello",
                       H->index - 1);
        return;
    }
    if (H->ri == TNT_RI_ABSENT)
        return;
    if (!have_c || !have_s) {
        H->ri = TNT_RI_UNCHECKED;
        nego_note(n, H->index, 0, frame,
                  "renegotiation_info of handshake %u unchecked: Finished of handshake %u not "
                  "visible",
                  H->index, H->index - 1);
        return;
    }
    if (p->pub.finished_ok[TNT_C2S] == TNT_TRI_NO || p->pub.finished_ok[TNT_S2C] == TNT_TRI_NO) {
        H->ri = TNT_RI_UNCHECKED;
        nego_note(n, H->index, 0, frame,
                  "renegotiation_info of handshake %u unchecked: a Finished verify_data of "
                  "handshake %u is wrong",
                  H->index, H->index - 1);
        return;
    }
    H->ri = TNT_RI_VERIFIED;
}

static void resume_link(tnt_nego *n, hs_priv *h, uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    bool unknown = false;
    const tnt_session_entry *e =
        nego_store_find(n->store, H->session_id, H->session_id_len, &unknown);
    char hex[65] = "";
    for (uint32_t i = 0; i < H->session_id_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", H->session_id[i]);
    if (e && (e->trust || !unknown)) {
        /* Known either way: a session without trust is named as well, so
         * that the handshake agrees with the violation below. */
        H->link_known = true;
        H->link = *e;
        H->link.target = e->target ? nego_strndup(n, e->target, strlen(e->target)) : NULL;
    }
    if (e && e->trust) {
        H->linked = true;
        H->target = H->link.target;
        return;
    }
    if (e && unknown)
        nego_violation(n, H->index, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_INFO, 0, frame, TNT_S2C,
                       "tnt: resume answered for session %s, which handshake %u of connection "
                       "%llu established; whether with trust is not in the input (server bytes "
                       "missing)",
                       hex, e->handshake, (unsigned long long)e->conn_id);
    else if (e)
        nego_violation(n, H->index, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_ERROR, 0, frame, TNT_S2C,
                       "tnt: resume answered for session %s, which handshake %u of connection "
                       "%llu established without trust",
                       hex, e->handshake, (unsigned long long)e->conn_id);
    else
        nego_violation(n, H->index, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_INFO, 0, frame, TNT_S2C,
                       "tnt: resume answered for session %s, whose establishing handshake is "
                       "not in the input",
                       hex[0] ? hex : "(empty)");
}

static void server_hello(tnt_nego *n, hs_priv *h, const tnt_server_hello *sh, uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    H->server_hello = true;
    H->version = (uint16_t)sh->version.v;
    if (sh->session_id.len <= 32) {
        memcpy(H->session_id, sh->session_id.p, sh->session_id.len);
        H->session_id_len = (uint8_t)sh->session_id.len;
    }
    H->resumed = H->client_hello && H->session_id_len > 0 &&
                 bytes_eq(H->session_id, H->session_id_len, h->client_sid, h->client_sid_len);
    const tnt_extension *ri = find_ri(&sh->ext, sh->has_extensions);
    if (ri) {
        h->server_ri_present = true;
        h->server_ri = (const uint8_t *)nego_strndup(n, ri->u.renegotiation_info.p,
                                                     ri->u.renegotiation_info.len);
        h->server_ri_len = ri->u.renegotiation_info.len;
    }
    const tnt_tnt_ext *t =
        find_tnt(n, &sh->ext, sh->has_extensions, &h->server_tnt_unknown_version);
    if (t) {
        H->server_tnt = true;
        H->server_mode = (uint8_t)t->mode.v;
        H->strategy = t->strategies.n ? (uint8_t)t->strategies.v[0].v : 0;
        H->language = t->languages.n ? (uint8_t)t->languages.v[0].v : 0;
        if (H->server_mode == TNT_MODE_NEGOTIATE)
            H->has_negotiation = true;
    }
    check_ri(n, h, frame);
    if (H->client_tnt && H->client_mode == TNT_MODE_RESUME &&
        !(t && H->server_mode == TNT_MODE_RESUME)) {
        char sid[65] = "";
        for (uint32_t i = 0; i < h->client_sid_len; i++)
            snprintf(sid + 2 * i, 3, "%02x", h->client_sid[i]);
        const char *mode = t ? tnt_mode_name(H->server_mode) : NULL;
        nego_info(n, H->index, frame, "resume of session %s declined by the server (%s%s): %s",
                  sid[0] ? sid : "(empty)", t ? "tnt: " : "no tnt in its ServerHello",
                  t ? (mode ? mode : "?") : "",
                  H->resumed ? "TLS session resumed without TNT" : "full handshake");
    }
    if (t && H->server_mode == TNT_MODE_RESUME) {
        H->resume_answered = true;
        resume_link(n, h, frame);
        nego_queue(n, TNT_VERDICT_RESUMPTION, H->index, 0);
    }
}

/* ---- TNT messages ---- */

/* Records every TNT-message-level rule that does not depend on position. */
static void tnt_common(tnt_nego *n, hs_priv *h, tnt_dir dir, uint32_t epoch, uint32_t round,
                       uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    H->has_negotiation = true;
    if (epoch == 0 && !h->said_in_clear) {
        h->said_in_clear = true;
        nego_violation(n, H->index, TNT_V_TNT_IN_CLEAR, TNT_SEV_WARNING, round, frame, dir,
                       "handshake %u carries TNT messages without encryption", H->index);
    }
    if (h->said_not_negotiated)
        return;
    bool negotiated = H->server_tnt && H->server_mode == TNT_MODE_NEGOTIATE;
    if (negotiated)
        return;
    h->said_not_negotiated = true;
    /* An unreadable ServerHello may well have carried tnt: negotiate. */
    if (H->server_hello || (H->client_hello && h->loss[TNT_S2C] == 0 && !h->server_hello_unread)) {
        const char *why = !H->server_hello ? "before any ServerHello"
                          : h->server_tnt_unknown_version
                              ? "but its ServerHello carries tnt of an unknown version"
                          : !H->server_tnt ? "but its ServerHello does not carry tnt"
                                           : NULL;
        if (why)
            nego_violation(n, H->index, TNT_V_TNT_NOT_NEGOTIATED, TNT_SEV_ERROR, round, frame, dir,
                           "TNT messages in handshake %u %s", H->index, why);
        else
            nego_violation(n, H->index, TNT_V_TNT_NOT_NEGOTIATED, TNT_SEV_ERROR, round, frame, dir,
                           "TNT messages in handshake %u whose ServerHello answers tnt: %s",
                           H->index, tnt_mode_name(H->server_mode));
    } else {
        nego_note(n, H->index, round, frame,
                  "whether handshake %u negotiated TNT unchecked: ServerHello %s", H->index,
                  h->server_hello_unread ? "does not decode" : "not seen");
    }
}

static GBytes *type_key(const tnt_nego_cred *c)
{
    return g_bytes_new(c->type, c->type_len);
}

static void flag_sensitive(tnt_nego *n, hs_priv *h, uint32_t ci)
{
    const tnt_nego_cred *c = &h->pub.creds[ci];
    const tnt_nego_round *r = &h->pub.rounds[c->round_index];
    nego_violation(n, h->pub.index, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR, TNT_SEV_ERROR, c->round,
                   r->frame, c->sender,
                   "%s disclosed credential %s (#%u of round %u) in the clear although its own "
                   "policy protects it",
                   nego_side(c->sender), c->type, c->index, c->round);
    nego_violation_at(n, c->msg_seq, c->at);
}

/* spec section 8, sensitive-credential-in-clear: the policy may come before
 * or after the credential, so both orders are caught, each credential once. */
static void sensitive_policy(tnt_nego *n, hs_priv *h, tnt_dir d, const char *type, uint32_t len)
{
    if (!h->protected_types[d])
        h->protected_types[d] =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    GBytes *k = g_bytes_new(type, len);
    if (g_hash_table_contains(h->protected_types[d], k)) {
        g_bytes_unref(k);
        return;
    }
    GArray *waiting = h->clear_creds[d] ? g_hash_table_lookup(h->clear_creds[d], k) : NULL;
    for (guint i = 0; waiting && i < waiting->len; i++)
        flag_sensitive(n, h, g_array_index(waiting, uint32_t, i));
    if (waiting)
        g_hash_table_remove(h->clear_creds[d], k);
    g_hash_table_add(h->protected_types[d], k);
}

static void sensitive_cred(tnt_nego *n, hs_priv *h, uint32_t ci)
{
    const tnt_nego_cred *c = &h->pub.creds[ci];
    tnt_dir d = c->sender;
    GBytes *k = type_key(c);
    if (h->protected_types[d] && g_hash_table_contains(h->protected_types[d], k)) {
        g_bytes_unref(k);
        flag_sensitive(n, h, ci);
        return;
    }
    if (!h->clear_creds[d])
        h->clear_creds[d] =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                  (GDestroyNotify)g_array_unref);
    GArray *waiting = g_hash_table_lookup(h->clear_creds[d], k);
    if (!waiting) {
        waiting = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_hash_table_insert(h->clear_creds[d], k, waiting);
    } else {
        g_bytes_unref(k);
    }
    g_array_append_val(waiting, ci);
}

static bool add_policy(tnt_nego *n, hs_priv *h, uint32_t ri, const tnt_policy *p, uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    if (!grow((void **)&H->policies, H->n_policies, &h->cap_policies, sizeof(*H->policies)))
        return false;
    const tnt_nego_round *r = &H->rounds[ri];
    tnt_nego_policy *q = &H->policies[H->n_policies++];
    memset(q, 0, sizeof(*q));
    q->round_index = ri;
    q->round = r->round;
    q->sender = r->sender;
    q->target_kind = (uint8_t)p->target_kind.v;
    q->target = nego_strndup(n, p->target_name.p, p->target_name.len);
    q->target_len = p->target_name.len;
    q->language = (uint8_t)p->language.v;
    q->expression = nego_strndup(n, p->expression.p, p->expression.len);
    q->expression_len = p->expression.len;
    q->verdict = TNT_VERDICT_NOT_SATISFIED;
    q->closest = -1;
    q->msg_seq = n->cur_seq;
    q->at = p->at;
    q->target_at = p->target_name.whole;
    q->expression_at = p->expression.whole;
    if (q->language == TNT_LANG_DN_EXPRESSION) {
        q->evaluated = true;
        q->tree = tnt_dn_parse(p->expression.p, p->expression.len, &n->arena, &q->parse_err);
        q->malformed = q->tree == NULL;
    }
    if (H->language && q->language != H->language)
        nego_violation(
            n, H->index, TNT_V_POLICY_LANGUAGE_NOT_NEGOTIATED, TNT_SEV_ERROR, r->round, frame,
            r->sender, "%s policy on %s \"%s\" is in %s; the ServerHello chose %s",
            nego_side(r->sender),
            tnt_target_kind_name(q->target_kind) ? tnt_target_kind_name(q->target_kind) : "target",
            q->target ? q->target : "?", tnt_language_name(q->language),
            tnt_language_name(H->language));
    if (H->language && q->language != H->language)
        nego_violation_at(n, n->cur_seq, p->language.at);
    bool is_true = q->tree && q->tree->kind == TNT_DN_TRUE;
    if (r->in_clear && q->target_kind == TNT_TARGET_CREDENTIAL && !is_true && q->target)
        sensitive_policy(n, h, r->sender, q->target, q->target_len);
    return true;
}

/* Spec section 6: a decoder reports a chain as not validated unless the
 * user gave anchors; then it is validated against all of them, whatever
 * issuer they are for (the policies judge the issuer binding). */
static void cred_chain(tnt_nego *n, tnt_nego_cred *q)
{
    q->chain = TNT_CHAIN_NOT_VALIDATED;
    if (!n->opt.anchors || n->opt.anchors->n == 0) {
        q->chain_reason = "no trust anchors given";
        return;
    }
    if (!q->kept || q->wire.n_certs == 0) {
        q->chain_reason = q->n_certs ? "certificate chain too large to keep" : "no certificate";
        return;
    }
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_chain_result r;
    uint32_t na = n->opt.anchors ? n->opt.anchors->n : 0;
    const tnt_anchor **av = na ? tnt_arena_array(&a, na, sizeof *av) : NULL;
    for (uint32_t i = 0; av && i < na; i++)
        av[i] = &n->opt.anchors->v[i];
    if ((!na || av) && tnt_chain_verify_cached(n->opt.certs, av, na, q->wire.certs, q->wire.n_certs,
                                               n->opt.at, &a, &r)) {
        q->chain = r.status;
        q->chain_reason = r.reason ? nego_strndup(n, r.reason, strlen(r.reason)) : NULL;
    } else {
        q->chain_reason = "out of memory";
    }
    tnt_arena_free(&a);
}

static bool add_cred(tnt_nego *n, hs_priv *h, uint32_t ri, uint32_t idx, const tnt_credential *c)
{
    tnt_nego_hs *H = &h->pub;
    if (!grow((void **)&H->creds, H->n_creds, &h->cap_creds, sizeof(*H->creds)))
        return false;
    const tnt_nego_round *r = &H->rounds[ri];
    tnt_nego_cred *q = &H->creds[H->n_creds++];
    memset(q, 0, sizeof(*q));
    q->round_index = ri;
    q->round = r->round;
    q->sender = r->sender;
    q->index = idx;
    q->type = nego_strndup(n, c->type.p, c->type.len);
    q->type_len = c->type.len;
    q->n_certs = c->n_certs;
    q->proof = TNT_PROOF_UNCHECKED;
    q->msg_seq = n->cur_seq;
    q->at = c->at;
    q->wire = *c;
    q->wire.type.p = (const uint8_t *)q->type;
    size_t bytes = 0;
    for (uint32_t i = 0; i < c->n_certs; i++)
        bytes += c->certs[i].len;
    q->kept = h->kept + bytes <= TNT_NEGO_MAX_KEPT;
    q->wire.certs = NULL;
    if (q->kept && c->n_certs) {
        tnt_bytes *certs = tnt_arena_array(&n->arena, c->n_certs, sizeof(*certs));
        q->kept = certs != NULL;
        for (uint32_t i = 0; certs && i < c->n_certs; i++) {
            certs[i] = c->certs[i];
            certs[i].p = (const uint8_t *)nego_strndup(n, c->certs[i].p, c->certs[i].len);
            if (!certs[i].p)
                q->kept = false;
        }
        q->wire.certs = q->kept ? certs : NULL;
    }
    if (q->kept)
        h->kept += bytes;
    else
        q->wire.n_certs = 0;
    if (c->n_certs) {
        char dn[1024];
        if (tnt_x509_dn_cached(n->opt.certs, c->certs[0].p, c->certs[0].len, false, dn, sizeof dn))
            q->subject = nego_strndup(n, dn, strlen(dn));
        if (tnt_x509_dn_cached(n->opt.certs, c->certs[0].p, c->certs[0].len, true, dn, sizeof dn))
            q->issuer = nego_strndup(n, dn, strlen(dn));
        q->have_sha256 =
            tnt_x509_sha256_cached(n->opt.certs, c->certs[0].p, c->certs[0].len, q->sha256);
    }
    cred_chain(n, q);
    nego_queue(n, TNT_VERDICT_CREDENTIAL, H->index, H->n_creds - 1);
    if (r->in_clear)
        sensitive_cred(n, h, H->n_creds - 1);
    return true;
}

/* What a sender's still-pending TNTProof turns into when its next message
 * (or its alert, or a new handshake) shows that none came. judged: the
 * sender's stream is known to be intact since the TNTNegotiation.
 * instead: the sender's next message (frame: where it is), or with frame 0
 * what ended the wait. Other senders' messages between the two do not
 * matter: the TNTProof must be the sender's very next message. */
static void proof_not_sent(tnt_nego *n, hs_priv *h, tnt_dir dir, bool judged, const char *instead,
                           uint64_t frame)
{
    pending_proof *p = &h->pend[dir];
    if (!p->active)
        return;
    p->active = false;
    tnt_nego_round *r = &h->pub.rounds[p->round_index];
    for (uint32_t i = 0; i < r->n_creds; i++) {
        tnt_nego_cred *c = &h->pub.creds[r->first_cred + i];
        c->proof = judged ? TNT_PROOF_MISSING : TNT_PROOF_UNCHECKED;
        c->proof_reason = judged ? "no TNTProof follows its TNTNegotiation"
                                 : "unknown whether a TNTProof followed";
    }
    nego_queue(n, TNT_VERDICT_PROOFS, h->pub.index, p->round_index);
    if (judged && frame)
        nego_violation(n, h->pub.index, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, r->round, r->frame, dir,
                       "%s TNTNegotiation round %u discloses %u credential%s; the %s's next "
                       "message is %s (frame %llu), not a TNTProof",
                       nego_side(dir), r->round, r->n_creds, r->n_creds == 1 ? "" : "s",
                       nego_side(dir), instead, (unsigned long long)frame);
    else if (judged)
        nego_violation(n, h->pub.index, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, r->round, r->frame, dir,
                       "%s TNTNegotiation round %u discloses %u credential%s; the %s sent no "
                       "TNTProof before %s",
                       nego_side(dir), r->round, r->n_creds, r->n_creds == 1 ? "" : "s",
                       nego_side(dir), instead);
    if (judged)
        nego_violation_at(n, r->msg_seq, r->creds_at);
    else
        nego_note(n, h->pub.index, r->round, frame, "proofs of round %u unchecked: %s", r->round,
                  instead);
}

static void on_negotiation(tnt_nego *n, hs_priv *h, tnt_dir dir, uint32_t epoch,
                           const tnt_hs_msg *msg, size_t transcript_len, bool complete,
                           uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    const tnt_negotiation *m = &msg->u.tnt_negotiation;
    uint32_t round = msg->decoded ? m->round.v : 0;
    tnt_common(n, h, dir, epoch, round, frame);
    uint32_t pos = ++h->n_neg;
    if (!grow((void **)&H->rounds, H->n_rounds, &h->cap_rounds, sizeof(*H->rounds)))
        return;
    uint32_t ri = H->n_rounds++;
    tnt_nego_round *r = &H->rounds[ri];
    *r = (tnt_nego_round){.position = pos,
                          .round = round,
                          .sender = dir,
                          .decoded = msg->decoded,
                          .in_clear = epoch == 0,
                          .frame = frame,
                          .first_policy = H->n_policies,
                          .first_cred = H->n_creds,
                          .msg_seq = n->cur_seq};
    h->last[dir] = LAST_NEG_UNKNOWN;

    /* Both rules are judged by position (spec section 3), so the sender rule
     * needs nothing of the body: it holds for a message that does not decode
     * too, and a wrong round number alone never makes a wrong sender. */
    bool positions_known = H->start_seen && !H->lossy;
    if (positions_known) {
        if (msg->decoded && round != pos) {
            nego_violation(n, H->index, TNT_V_ROUND_OUT_OF_ORDER, TNT_SEV_ERROR, round, frame, dir,
                           "TNTNegotiation #%u of handshake %u carries round %u", pos, H->index,
                           round);
            nego_violation_at(n, n->cur_seq, m->round.at);
        }
        tnt_dir want = pos % 2 ? TNT_S2C : TNT_C2S;
        if (dir != want)
            nego_violation(n, H->index, TNT_V_WRONG_SENDER, TNT_SEV_ERROR, round, frame, dir,
                           "TNTNegotiation #%u of handshake %u comes from the %s; round %u "
                           "belongs to the %s",
                           pos, H->index, nego_side(dir), pos, nego_side(want));
    } else if (!h->said_positions) {
        h->said_positions = true;
        char from[40] = "an unreadable TNTNegotiation";
        if (msg->decoded)
            snprintf(from, sizeof from, "round %u", round);
        nego_note(n, H->index, round, frame,
                  "round numbers and senders of handshake %u unchecked from %s on: %s", H->index,
                  from, H->start_seen ? "messages missing" : "capture began inside the handshake");
    }
    if (!msg->decoded)
        return;
    r->status = (uint8_t)m->status.v;
    r->creds_at = m->credentials_whole;
    if (dir == TNT_S2C && m->status.v == TNT_STATUS_SUCCESS)
        h->server_success = true;
    if (dir == TNT_C2S && m->status.v == TNT_STATUS_SUCCESS) {
        nego_violation(n, H->index, TNT_V_CLIENT_SUCCESS, TNT_SEV_ERROR, round, frame, dir,
                       "client TNTNegotiation round %u has status success", round);
        nego_violation_at(n, n->cur_seq, m->status.at);
    }
    if (m->status.v == TNT_STATUS_CONTINUE && m->n_policies == 0 && m->n_credentials == 0)
        nego_violation(n, H->index, TNT_V_EMPTY_ROUND, TNT_SEV_WARNING, round, frame, dir,
                       "%s round %u is a continue that discloses nothing", nego_side(dir), round);

    for (uint32_t i = 0; i < m->n_policies; i++)
        if (!add_policy(n, h, ri, &m->policies[i], frame))
            break;
    r = &H->rounds[ri];
    r->n_policies = H->n_policies - r->first_policy;
    for (uint32_t i = 0; i < m->n_credentials; i++)
        if (!add_cred(n, h, ri, i, &m->credentials[i]))
            break;
    r = &H->rounds[ri];
    r->n_creds = H->n_creds - r->first_cred;

    /* The target: round 1 as carried when positions are unknown. */
    if (!H->target && (pos == 1 || (!positions_known && round == 1))) {
        for (uint32_t i = 0; i < r->n_policies; i++) {
            const tnt_nego_policy *q = &H->policies[r->first_policy + i];
            if (q->target_kind == TNT_TARGET_RESOURCE) {
                H->target = q->target;
                break;
            }
        }
    }
    if (H->outcome != TNT_OUTCOME_SUCCESS && H->outcome != TNT_OUTCOME_FAILURE) {
        if ((m->status.v == TNT_STATUS_SUCCESS && dir == TNT_S2C) ||
            m->status.v == TNT_STATUS_FAILURE) {
            H->outcome =
                m->status.v == TNT_STATUS_SUCCESS ? TNT_OUTCOME_SUCCESS : TNT_OUTCOME_FAILURE;
            H->final_by = dir;
            H->final_round = round;
            nego_queue(n, TNT_VERDICT_OUTCOME, H->index, 0);
        }
    }
    if (r->n_creds) {
        h->last[dir] = LAST_NEG_CREDS;
        h->pend[dir] = (pending_proof){true, ri, transcript_len + msg->raw_len,
                                       complete && H->start_seen && !H->lossy, h->loss[dir]};
    } else {
        h->last[dir] = LAST_NEG_NOCREDS;
    }
}

static void verify_entry(tnt_nego *n, hs_priv *h, const pending_proof *p, tnt_nego_cred *c,
                         const tnt_ownership_proof *e, const uint8_t *transcript,
                         size_t transcript_len, bool complete, uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    c->has_algorithm = e->has_algorithm;
    c->algorithm = (uint16_t)e->algorithm.v;
    c->proof_frame = frame;
    c->proof_msg_seq = n->cur_seq;
    c->proof_at = e->at;
    bool known =
        complete && p->neg_complete && !H->lossy && transcript && transcript_len >= p->neg_end;
    char reason[256] = "";
    if (!c->kept || c->wire.n_certs == 0) {
        c->proof = TNT_PROOF_UNCHECKED;
        c->proof_reason = "certificate chain too large to keep";
    } else {
        c->proof = tnt_proof_verify_hashed(
            n->opt.certs, H->version, c->wire.certs[0].p, c->wire.certs[0].len, e->has_algorithm,
            (uint16_t)e->algorithm.v, e->signature.p ? e->signature.p : (const uint8_t *)"",
            e->signature.len, known ? transcript : NULL, known ? p->neg_end : 0, &n->hasher,
            H->index, h->has_sig_algs ? h->sig_algs : NULL, h->n_sig_algs, reason, sizeof reason);
        c->proof_reason = nego_strndup(n, reason, strlen(reason));
    }
    if (c->proof == TNT_PROOF_INVALID) {
        nego_violation(n, H->index, TNT_V_PROOF_INVALID, TNT_SEV_ERROR, c->round, frame, c->sender,
                       "proof of %s credential #%u (%s) in round %u is invalid: %s",
                       nego_side(c->sender), c->index, c->type, c->round, reason);
        nego_violation_at(n, n->cur_seq, e->at);
    } else if (c->proof == TNT_PROOF_UNCHECKED)
        nego_note(n, H->index, c->round, frame, "proof of credential #%u in round %u unchecked: %s",
                  c->index, c->round, known ? c->proof_reason : "transcript incomplete");
}

static void on_proof(tnt_nego *n, hs_priv *h, tnt_dir dir, uint32_t epoch, const tnt_hs_msg *msg,
                     const uint8_t *transcript, size_t transcript_len, bool complete,
                     uint64_t frame)
{
    tnt_nego_hs *H = &h->pub;
    pending_proof *p = &h->pend[dir];
    uint32_t round = p->active ? H->rounds[p->round_index].round : 0;
    tnt_common(n, h, dir, epoch, round, frame);
    last_kind before = h->last[dir];
    bool intact = (h->have_last[dir] || H->start_seen) && h->loss[dir] == h->loss_at_last[dir];
    h->last[dir] = LAST_PROOF;
    if (p->active && p->loss != h->loss[dir]) {
        proof_not_sent(n, h, dir, false, "bytes missing before the TNTProof", frame);
        return;
    }
    if (!p->active) {
        if (intact && before != LAST_NEG_UNKNOWN)
            nego_violation(n, H->index, TNT_V_PROOF_UNEXPECTED, TNT_SEV_ERROR, 0, frame, dir,
                           "%s TNTProof does not follow a credential-disclosing TNTNegotiation "
                           "of the %s",
                           nego_side(dir), nego_side(dir));
        else
            nego_note(n, H->index, 0, frame, "%s TNTProof unchecked: what precedes it is not known",
                      nego_side(dir));
        return;
    }
    p->active = false;
    tnt_nego_round *r = &H->rounds[p->round_index];
    r->has_proof = true;
    r->proof_frame = frame;
    r->proof_msg_seq = n->cur_seq;
    nego_queue(n, TNT_VERDICT_PROOFS, H->index, p->round_index);
    if (!msg->decoded) {
        for (uint32_t i = 0; i < r->n_creds; i++) {
            tnt_nego_cred *c = &H->creds[r->first_cred + i];
            c->proof = TNT_PROOF_INVALID;
            c->proof_reason = "its TNTProof does not decode";
            c->proof_frame = frame;
            c->proof_msg_seq = n->cur_seq;
        }
        return;
    }
    const tnt_proof *m = &msg->u.tnt_proof;
    bool *seen = calloc(r->n_creds ? r->n_creds : 1, sizeof(*seen));
    if (!seen)
        return;
    for (uint32_t k = 0; k < m->n_proofs; k++) {
        const tnt_ownership_proof *e = &m->proofs[k];
        uint32_t idx = e->credential_index.v;
        if (idx >= r->n_creds) {
            nego_violation(n, H->index, TNT_V_PROOF_UNEXPECTED, TNT_SEV_ERROR, r->round, frame, dir,
                           "TNTProof entry for credential #%u, but round %u disclosed %u", idx,
                           r->round, r->n_creds);
            nego_violation_at(n, n->cur_seq, e->at);
            continue;
        }
        if (seen[idx]) {
            nego_violation(n, H->index, TNT_V_PROOF_UNEXPECTED, TNT_SEV_ERROR, r->round, frame, dir,
                           "TNTProof gives credential #%u of round %u a second proof", idx,
                           r->round);
            nego_violation_at(n, n->cur_seq, e->at);
            continue;
        }
        seen[idx] = true;
        verify_entry(n, h, p, &H->creds[r->first_cred + idx], e, transcript, transcript_len,
                     complete, frame);
    }
    for (uint32_t i = 0; i < r->n_creds; i++) {
        if (seen[i])
            continue;
        tnt_nego_cred *c = &H->creds[r->first_cred + i];
        c->proof = TNT_PROOF_MISSING;
        c->proof_reason = "no entry in its TNTProof";
        c->proof_msg_seq = n->cur_seq;
        nego_violation(n, H->index, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, r->round, frame, dir,
                       "credential #%u (%s) of round %u has no entry in the TNTProof", i, c->type,
                       r->round);
    }
    free(seen);
}

/* ---- the message entry point ---- */

static void on_finished(tnt_nego *n, hs_priv *h, tnt_dir dir, const tnt_hs_msg *msg)
{
    tnt_nego_hs *H = &h->pub;
    if (!msg->decoded || msg->u.finished.verify_data.len > sizeof H->verify_data[0])
        return;
    H->finished[dir] = true;
    H->verify_len[dir] = (uint8_t)msg->u.finished.verify_data.len;
    memcpy(H->verify_data[dir], msg->u.finished.verify_data.p, H->verify_len[dir]);
    if (H->finished[0] && H->finished[1]) {
        H->completed = true;
        finalize(n, h, false);
    }
}

void tnt_nego_message(tnt_nego *n, tnt_dir dir, uint32_t hs_index, uint32_t epoch,
                      const tnt_hs_msg *msg, const uint8_t *transcript, size_t transcript_len,
                      bool transcript_complete, uint64_t frame)
{
    if (msg && msg->type == TNT_HS_HELLO_REQUEST && dir == TNT_S2C)
        n->hello_request = true;
    if (!msg || hs_index == 0 || msg->type == TNT_HS_HELLO_REQUEST)
        return;
    hs_priv *h = get_hs(n, hs_index);
    if (!h)
        return;
    tnt_nego_hs *H = &h->pub;
    H->visible = true;
    /* A handshake's own keys protect only its Finished. */
    if (epoch != 0 && epoch != hs_index)
        H->encrypted = true;
    if (msg->type == TNT_HS_CLIENT_HELLO && !H->client_hello && h->n_neg == 0 && !h->have_last[0] &&
        !h->have_last[1])
        H->start_seen = true;
    const tnt_codepoints *cp = tnt_codepoints_or_default(n->opt.cp);
    bool is_neg = msg->type == cp->hs_negotiation, is_proof = msg->type == cp->hs_proof;
    if (h->pend[dir].active && !is_proof)
        proof_not_sent(n, h, dir, h->pend[dir].loss == h->loss[dir],
                       tnt_handshake_type_name(cp, msg->type)
                           ? tnt_handshake_type_name(cp, msg->type)
                           : "another message",
                       frame);
    if (is_neg) {
        on_negotiation(n, h, dir, epoch, msg, transcript_len, transcript_complete, frame);
    } else if (is_proof) {
        on_proof(n, h, dir, epoch, msg, transcript, transcript_len, transcript_complete, frame);
    } else {
        h->last[dir] = LAST_OTHER;
        switch (msg->type) {
        case TNT_HS_CLIENT_HELLO:
            if (!H->client_hello && n->hello_request && hs_index > 1)
                H->initiator = TNT_S2C;
            n->hello_request = false;
            if (msg->decoded && !H->client_hello)
                client_hello(n, h, &msg->u.client_hello, frame);
            break;
        case TNT_HS_SERVER_HELLO:
            if (msg->decoded && !H->server_hello)
                server_hello(n, h, &msg->u.server_hello, frame);
            else if (!msg->decoded)
                h->server_hello_unread = true;
            break;
        case TNT_HS_FINISHED:
            on_finished(n, h, dir, msg);
            break;
        default:
            break;
        }
    }
    h->have_last[dir] = true;
    h->loss_at_last[dir] = h->loss[dir];
}

/* ---- other inputs ---- */

void tnt_nego_ccs(tnt_nego *n, tnt_dir dir, uint64_t frame)
{
    (void)frame;
    hs_priv *h = latest(n);
    if (h)
        h->pub.ccs[dir] = true;
}

void tnt_nego_alert(tnt_nego *n, tnt_dir dir, uint8_t level, uint8_t desc, uint64_t frame)
{
    hs_priv *h = latest(n);
    if (!h || h->pub.finalized)
        return;
    const char *name = tnt_alert_description_name(desc);
    char what[64];
    snprintf(what, sizeof what, "a %s %s alert", level == 2 ? "fatal" : "warning",
             name ? name : "unknown");
    proof_not_sent(n, h, dir, h->pend[dir].loss == h->loss[dir], what, frame);
    if (level != 2)
        return;
    h->fatal_alert = true;
    h->alert_by = dir;
    h->alert_desc = desc;
    h->pub.ended_by_alert = true;
    h->pub.alert_sender = dir;
    h->pub.alert_desc = desc;
    if (h->pub.has_negotiation && h->pub.outcome != TNT_OUTCOME_SUCCESS &&
        h->pub.outcome != TNT_OUTCOME_FAILURE) {
        h->pub.outcome = TNT_OUTCOME_FAILURE;
        h->pub.final_by = dir;
        h->pub.final_round = 0;
        nego_queue(n, TNT_VERDICT_OUTCOME, h->pub.index, 0);
    }
    finalize(n, h, false);
}

static void lose(tnt_nego *n, tnt_dir dir)
{
    hs_priv *h = latest(n);
    if (!h || h->pub.finalized)
        return;
    h->pub.lossy = true;
    h->loss[dir]++;
}

void tnt_nego_gap(tnt_nego *n, tnt_dir dir, uint64_t bytes, uint64_t frame)
{
    hs_priv *h = latest(n);
    nego_violation(n, h ? h->pub.index : 0, TNT_V_TCP_GAP, TNT_SEV_WARNING, 0, frame, dir,
                   "%llu bytes of the %s's stream missing from the capture",
                   (unsigned long long)bytes, nego_side(dir));
    lose(n, dir);
}

void tnt_nego_order_unknown(tnt_nego *n, uint64_t frame)
{
    hs_priv *h = latest(n);
    if (!h || h->pub.finalized || (h->loss[TNT_C2S] && h->loss[TNT_S2C]))
        return;
    nego_note(n, h->pub.index, 0, frame,
              "the order of the two directions' bytes of handshake %u is not known (their ACKs "
              "contradict each other): rounds and proofs that depend on it unchecked",
              h->pub.index);
    lose(n, TNT_C2S);
    lose(n, TNT_S2C);
}

void tnt_nego_decrypt_failed(tnt_nego *n, tnt_dir dir, uint8_t content_type, uint64_t frame,
                             const char *why)
{
    hs_priv *h = latest(n);
    nego_violation(n, h ? h->pub.index : 0, TNT_V_DECRYPT_FAILED, TNT_SEV_ERROR, 0, frame, dir,
                   "%s record fails authentication%s%s", nego_side(dir), why ? ": " : "",
                   why ? why : "");
    if (content_type == 22 || content_type == 0)
        lose(n, dir);
}

void tnt_nego_not_checked(tnt_nego *n, uint32_t hs_index, uint64_t frame, const char *text)
{
    nego_note(n, hs_index, 0, frame, "%s", text);
}

void tnt_nego_undecryptable(tnt_nego *n, uint32_t hs_index, uint64_t frame)
{
    if (hs_index == 0)
        return;
    hs_priv *h = get_hs(n, hs_index);
    if (!h || h->said_undecryptable)
        return;
    h->said_undecryptable = true;
    h->pub.undecryptable = true;
    h->pub.encrypted = true;
    nego_note(n, hs_index, 0, frame,
              "handshake %u encrypted without keys: TNT negotiation not visible", hs_index);
}

void tnt_nego_finished_unreadable(tnt_nego *n, uint32_t hs_index, tnt_dir dir)
{
    hs_priv *h = find_hs(n, hs_index);
    if (!h || h->pub.finalized)
        return;
    h->finished_unreadable[dir] = true;
    /* A pending TNTProof would be judged differently at the next handshake
     * than at the end of the capture: such a handshake waits. */
    const tnt_nego_hs *H = &h->pub;
    if (h->finished_unreadable[0] && h->finished_unreadable[1] && H->ccs[0] && H->ccs[1] &&
        !H->finished[0] && !H->finished[1] && !h->pend[0].active && !h->pend[1].active &&
        !h->fatal_alert && h == latest(n))
        finalize(n, h, false);
}

void tnt_nego_finished_checked(tnt_nego *n, uint32_t hs_index, tnt_dir dir, bool ok)
{
    hs_priv *h = find_hs(n, hs_index);
    if (!h)
        return;
    h->pub.finished_ok[dir] = ok ? TNT_TRI_YES : TNT_TRI_NO;
    nego_queue(n, TNT_VERDICT_FINISHED, hs_index, dir);
    if (!ok && h->pub.trust_established && !h->pub.insecure) {
        h->pub.insecure = true;
        tnt_session_entry e = {0};
        const tnt_session_entry *old =
            tnt_session_store_find(n->store, h->pub.session_id, h->pub.session_id_len);
        if (old && old->conn_id == n->opt.conn_id && old->handshake == hs_index) {
            e = *old;
            e.insecure = true;
            nego_store_put(n->store, &e, false);
        }
    }
}

void tnt_nego_finish(tnt_nego *n)
{
    for (uint32_t i = 0; i < n->n_hs; i++)
        finalize(n, n->hs[i], true);
}

/* ---- the end of a handshake ---- */

static bool has_error(const tnt_nego *n, uint32_t hs)
{
    for (uint32_t i = 0; i < n->n_viol; i++)
        if (n->viol[i].handshake == hs && n->viol[i].severity == TNT_SEV_ERROR)
            return true;
    return false;
}

/* at_end: the capture ended (nothing more can be judged); otherwise the
 * handshake is over because it completed, a fatal alert came, or a later
 * handshake began. */
static void finalize(tnt_nego *n, hs_priv *h, bool at_end)
{
    tnt_nego_hs *H = &h->pub;
    if (H->finalized)
        return;
    H->finalized = true;
    for (int d = 0; d < 2; d++)
        proof_not_sent(n, h, (tnt_dir)d, !at_end && h->pend[d].loss == h->loss[d],
                       at_end ? "capture ends before the next message of its sender"
                              : "the end of the handshake",
                       0);
    if (!H->completed && !H->finished[0] && !H->finished[1] && H->ccs[0] && H->ccs[1] &&
        !h->fatal_alert) {
        H->completed = true;
        H->completion_inferred = true;
        nego_note(n, H->index, 0, 0,
                  "Finished messages of handshake %u not readable: completion inferred from "
                  "ChangeCipherSpec in both directions",
                  H->index);
    }
    /* A rehandshake whose ServerHello never came (the server refused it, or
     * the capture ends) is still one in which the ClientHello lacks it. */
    if (H->index > 1 && H->client_hello && !H->server_hello && !h->client_ri_present &&
        !h->said_ri_missing) {
        h->said_ri_missing = true;
        H->ri = TNT_RI_ABSENT;
        nego_violation(n, H->index, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 0,
                       h->client_hello_frame, TNT_C2S,
                       "the rehandshake's ClientHello lacks renegotiation_info");
        nego_violation_at(n, h->client_hello_seq, (tnt_span){0, 0});
    }
    H->finished_absent = !H->completed && !H->finished[0] && !H->finished[1] && !H->ccs[0] &&
                         !H->ccs[1] && H->visible && !H->undecryptable && !H->lossy &&
                         H->client_hello;
    if (H->has_negotiation && H->outcome == TNT_OUTCOME_NONE)
        H->outcome = TNT_OUTCOME_INCOMPLETE;
    if (H->has_negotiation)
        nego_evaluate(n, h);

    /* Spec section 7: the server's success and a completed full handshake
     * establish trust; nothing else, not even a failure sent before the
     * success (a violation without a code of its own), cancels it. */
    bool full = H->completed && !H->resumed;
    if (full && h->server_success)
        H->trust_established = true;
    if (H->completed && H->resumed && H->resume_answered && H->linked)
        H->trust_established = true;
    if (H->trust_established) {
        H->insecure = has_error(n, H->index) || H->ri != TNT_RI_VERIFIED ||
                      H->finished_ok[0] == TNT_TRI_NO || H->finished_ok[1] == TNT_TRI_NO ||
                      (H->linked && H->link.insecure);
    }
    if (full && H->session_id_len > 0) {
        tnt_session_entry e = {.sid_len = H->session_id_len,
                               .trust = H->trust_established,
                               .target = H->target,
                               .conn_id = n->opt.conn_id,
                               .handshake = H->index,
                               .insecure = H->insecure};
        memcpy(e.sid, H->session_id, H->session_id_len);
        /* Server bytes lost without a failure seen: a success may have been
         * among them, so the input does not show the session without trust. */
        bool unknown =
            !H->trust_established && h->loss[TNT_S2C] > 0 && H->outcome != TNT_OUTCOME_FAILURE;
        nego_store_put(n->store, &e, unknown);
    }
    nego_queue(n, TNT_VERDICT_HANDSHAKE, H->index, 0);
}
