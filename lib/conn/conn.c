#include "conn_int.h"
#include "codepoints.h"
#include "names.h"
#include "negotiation.h"
#include "starttls.h"
#include "tls13_keys.h"
#include "transcript_hasher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_record(void *user, const tnt_record *rec);
static void on_rec_skipped(void *user, uint64_t off, uint64_t n, const char *why);
static void on_rec_error(void *user, uint64_t off, const char *what);
static void on_message(void *user, const tnt_hs_piece *piece);
static void on_hs_error(void *user, const char *what, uint32_t claimed);

static bool rec_need_body(void *user, uint8_t type, uint16_t version, uint32_t length);
static const tnt_rec_callbacks rec_cb = {on_record, on_rec_skipped, on_rec_error, rec_need_body};
static const tnt_hs_reasm_callbacks hs_cb = {on_message, on_hs_error};

/* The negotiation model's proofs take their digest from the running hash
 * of the Finished checks (transcript_hasher.h). */
static bool transcript_digest(void *user, uint32_t hs_index, size_t len, tnt_hash h, uint8_t *out,
                              size_t cap, size_t *out_len)
{
    tnt_conn *c = user;
    if (hs_index == 0 || hs_index > c->n_hs)
        return false;
    tnt_hs_state *hs = c->hs[hs_index - 1];
    return hs->index == hs_index && tnt_hs_state_transcript_digest(hs, len, h, out, cap, out_len);
}

tnt_conn *tnt_conn_new(const tnt_conn_events *ev, void *user, const tnt_conn_options *opt)
{
    tnt_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->ev = ev;
    c->user = user;
    if (opt)
        c->opt = *opt;
    c->cp = *tnt_codepoints_or_default(c->opt.codepoints);
    c->opt.codepoints = &c->cp;
    /* With keep, what decoding a message allocates is the front end's. */
    tnt_arena_init_with(&c->arena, c->opt.keep);
    if (c->opt.keep) {
        tnt_codepoints *cp = c->opt.keep->alloc(c->opt.keep->ctx, sizeof(*cp));
        if (cp)
            *cp = c->cp;
        c->kept_cp = cp;
    }
    for (int i = 0; i < 2; i++) {
        tnt_rec_init(&c->dir[i].rec);
        tnt_hs_reasm_init(&c->dir[i].hs, 0);
    }
    if (c->opt.negotiation) {
        tnt_nego_options no = {c->opt.anchors, TNT_POLICY_DECODER, 0, c->opt.conn_id,
                               &c->cp,         c->opt.certs};
        c->nego = tnt_nego_new(c->opt.sessions, &no);
        if (c->nego)
            tnt_nego_set_hasher(c->nego, &(tnt_transcript_hasher){transcript_digest, c});
    }
    return c;
}

void tnt_conn_free(tnt_conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < 2; i++) {
        tnt_rec_free(&c->dir[i].rec);
        tnt_hs_reasm_free(&c->dir[i].hs);
        tnt_rp_free(c->dir[i].rp);
        c->dir[i].rp = NULL;
        tnt_inflate_free(c->dir[i].zin);
        c->dir[i].zin = NULL;
    }
    for (uint32_t i = 0; i < c->n_hs; i++)
        tnt_hs_state_free(c->hs[i]);
    free(c->hs);
    c->hs = NULL;
    c->n_hs = 0;
    tnt_nego_free(c->nego);
    c->nego = NULL;
    tnt_arena_free(&c->arena);
    free(c);
}

tnt_hs_state *tnt_conn_current_hs(const tnt_conn *c)
{
    return c->n_hs ? c->hs[c->n_hs - 1] : NULL;
}

void tnt_conn_set_frame(tnt_conn *c, uint64_t frame)
{
    c->frame = frame;
}

const tnt_codepoints *tnt_conn_codepoints(const tnt_conn *c)
{
    return &c->cp;
}

const struct tnt_nego *tnt_conn_negotiation(const tnt_conn *c)
{
    return c->nego;
}

uint16_t tnt_conn_version(const tnt_conn *c)
{
    return c->version;
}

bool tnt_conn_sslv2(const tnt_conn *c)
{
    return c->sslv2;
}

uint32_t tnt_conn_n_handshakes(const tnt_conn *c)
{
    return c->n_hs;
}

bool tnt_conn_handshake_info(const tnt_conn *c, uint32_t i, tnt_hs_info *out)
{
    if (i >= c->n_hs)
        return false;
    const tnt_hs_state *st = c->hs[i];
    memset(out, 0, sizeof(*out));
    out->index = st->index;
    out->protected_ = st->protected_;
    out->resumed = st->resumed;
    out->have_server_random = st->have_server_random;
    out->version = st->version;
    out->suite = st->suite;
    out->session_id_len = st->session_id_len;
    memcpy(out->session_id, st->session_id, st->session_id_len);
    return true;
}

bool tnt_conn_handshake_keys(const tnt_conn *c, uint32_t i, tnt_hs_keys *out)
{
    if (i >= c->n_hs)
        return false;
    const tnt_hs_state *st = c->hs[i];
    memset(out, 0, sizeof(*out));
    out->have_client_random = st->have_client_random;
    memcpy(out->client_random, st->client_random, 32);
    out->have_ms = st->have_ms;
    memcpy(out->ms, st->ms, 48);
    return true;
}

/* Resynchronisation after a gap: at most this many sequence numbers are
 * tried for one record (besides the explicit nonce, tried first), and after
 * this many records that match none the epoch is given up. */
#define RESYNC_MAX_WINDOW 512u
#define RESYNC_MAX_FAILURES 4u
/* Trial decryption allowed per direction: this much at first, and this many
 * times the bytes of every record the direction carries. */
#define RESYNC_BUDGET_BASE (1u << 20)
#define RESYNC_BUDGET_FACTOR 16u

static void diag(tnt_conn *c, tnt_diag_kind kind, uint64_t off, const char *text)
{
    if (c->ev->diag)
        c->ev->diag(c->user, c->cur_dir, kind, off, text);
}

/* Hands the negotiation model's new verdicts to the front end, saying what
 * decided them: called once the deciding input has been fully processed. */
static void deliver(tnt_conn *c, tnt_verdict_cause cause, uint64_t msg_seq, uint64_t record_off)
{
    if (!c->nego)
        return;
    tnt_verdict_event where = {.cause = cause,
                               .frame = c->frame,
                               .dir = c->cur_dir,
                               .msg_seq = msg_seq,
                               .record_off = record_off};
    tnt_nego_deliver(c->nego, &where, c->ev->verdict, c->user);
}

void tnt_conn_feed(tnt_conn *c, tnt_dir d, const uint8_t *data, size_t len)
{
    c->cur_dir = d;
    tnt_rec_feed(&c->dir[d].rec, data, len, &rec_cb, c);
}

void tnt_conn_order_unknown(tnt_conn *c)
{
    if (c->nego)
        tnt_nego_order_unknown(c->nego, c->frame);
}

void tnt_conn_gap(tnt_conn *c, tnt_dir d, uint64_t n)
{
    c->cur_dir = d;
    tnt_conn_dir *D = &c->dir[d];
    char text[120];
    snprintf(text, sizeof(text), "%llu bytes missing from the capture", (unsigned long long)n);
    diag(c, TNT_DIAG_GAP, D->rec.off + tnt_rec_partial(&D->rec), text);
    if (c->nego)
        tnt_nego_gap(c->nego, d, n, c->frame);
    deliver(c, TNT_CAUSE_GAP, 0, 0);
    tnt_rec_gap(&D->rec, n, &rec_cb, c);
    tnt_hs_reasm_reset(&D->hs);
    D->hs_hunt = true;
    /* Records lost from a protected direction leave the sequence number
     * unknown. Where it is the only state (AEAD, explicit IVs), the next
     * records are tried under the numbers the lost bytes could have used;
     * RC4 and implicit-IV chaining cannot be recovered. */
    if (D->rp && !D->epoch_bad && tnt_rp_resyncable(D->rp)) {
        /* A lost record is at least a header, one byte and a 16-byte tag
         * or MAC: that bounds how many records the gap can hold. */
        uint64_t most = n / 22 + 2;
        if (!D->resync) {
            D->resync = true;
            D->resync_base = tnt_rp_seq(D->rp);
            D->resync_window = 0;
            D->resync_failures = 0;
        }
        D->resync_window += most;
        if (D->resync_window > RESYNC_MAX_WINDOW)
            D->resync_window = RESYNC_MAX_WINDOW;
    } else if (D->rp) {
        tnt_rp_free(D->rp);
        D->rp = NULL;
        D->lost_to_gap = true;
        snprintf(text, sizeof(text),
                 "epoch %u cannot be decrypted past the gap (record sequence lost)", D->epoch);
        diag(c, TNT_DIAG_KEYS, D->rec.off, text);
    }
    /* The DEFLATE history ran through the lost bytes, and records may refer
     * back to any of them: nothing after can be inflated in this epoch. */
    if (D->zin && !D->comp_bad) {
        D->comp_bad = true;
        if (!D->lost_to_gap) {
            snprintf(text, sizeof(text),
                     "epoch %u cannot be decompressed past the gap (DEFLATE history lost)",
                     D->epoch);
            diag(c, TNT_DIAG_KEYS, D->rec.off, text);
        }
    }
    tnt_hs_state *hs = tnt_conn_current_hs(c);
    if (hs)
        hs->transcript_overflow = true; /* incomplete: nothing can be checked */
}

/* The epoch's only attempted record failed and nothing came after to tell
 * a wrong key from one damaged record: say both. */
static void report_suspect(tnt_conn *c, tnt_conn_dir *D)
{
    if (!D->suspect)
        return;
    char text[200];
    snprintf(text, sizeof text,
             "wrong key for handshake %u, or a corrupted record: the only record tried in epoch %u "
             "fails authentication (%s)",
             D->epoch, D->epoch, tnt_rp_status_name(D->suspect_status));
    diag(c, TNT_DIAG_KEYS, D->suspect_off, text);
    D->suspect = false;
}

void tnt_conn_finish(tnt_conn *c)
{
    for (int d = 0; d < 2; d++) {
        c->cur_dir = (tnt_dir)d;
        tnt_conn_dir *D = &c->dir[d];
        if (D->rec.state == TNT_REC_SYNCED && tnt_rec_partial(&D->rec) > 0 && D->rec.saw_record)
            diag(c, TNT_DIAG_TRUNCATED, D->rec.off, "stream ends inside a record");
        else if (D->rec.state == TNT_REC_SYNCED && !D->rec.saw_record && D->rec.buf_len > 0 &&
                 D->rec.buf[0] >= 20 && D->rec.buf[0] <= 24 &&
                 (D->rec.buf_len < 2 || D->rec.buf[1] == 3)) {
            /* Not "no TLS": what came looks like the start of a record
             * that the capture (or the connection) cut short. */
            char text[160];
            if (D->rec.buf_len >= 5)
                snprintf(text, sizeof text,
                         "stream ends inside its first record: %zu of %u bytes of a TLS "
                         "record (content type %u)",
                         D->rec.buf_len, 5u + ((unsigned)D->rec.buf[3] << 8 | D->rec.buf[4]),
                         D->rec.buf[0]);
            else
                snprintf(text, sizeof text,
                         "stream ends inside its first record: %zu bytes of a TLS record "
                         "header",
                         D->rec.buf_len);
            diag(c, TNT_DIAG_TRUNCATED, D->rec.off, text);
        }
        tnt_rec_finish(&D->rec, &(tnt_rec_callbacks){0}, NULL);
        if (tnt_hs_reasm_pending(&D->hs))
            diag(c, TNT_DIAG_TRUNCATED, D->rec.off, "stream ends inside a handshake message");
        tnt_hs_reasm_reset(&D->hs);
        report_suspect(c, D);
    }
    /* Spec section 8: say what was not checked. By default application
     * data is passed over, so its MACs/tags are not verified. */
    for (uint32_t i = 0; c->nego && i < c->n_hs; i++) {
        uint32_t n = c->hs[i]->app_unauthenticated;
        if (!n)
            continue;
        char text[200];
        snprintf(text, sizeof text,
                 "%u application data record%s under the keys of handshake %u not "
                 "authenticated: application data is not decrypted by default (--app-data)",
                 n, n == 1 ? "" : "s", c->hs[i]->index);
        tnt_nego_not_checked(c->nego, c->hs[i]->index, c->frame, text);
    }
    if (c->nego)
        tnt_nego_finish(c->nego);
    deliver(c, TNT_CAUSE_END, 0, 0);
}

bool tnt_conn_is_tls(const tnt_conn *c)
{
    return c->dir[0].rec.saw_record || c->dir[1].rec.saw_record;
}

static void on_rec_skipped(void *user, uint64_t off, uint64_t n, const char *why)
{
    tnt_conn *c = user;
    char text[160];
    const tnt_rec_decoder *me = &c->dir[c->cur_dir].rec, *peer = &c->dir[!c->cur_dir].rec;
    /* Bytes before the first record of a direction that then speaks TLS:
     * a protocol that switched to TLS (STARTTLS), when they are another
     * protocol's commands or text, not the tail of records a capture began
     * in the middle of. */
    if (!me->saw_record && me->at_start && me->state != TNT_REC_FAILED &&
        me->lead_len == (n < TNT_REC_LEAD ? n : TNT_REC_LEAD) &&
        strcmp(why, "no record boundary") == 0) {
        const tnt_rec_decoder *cl = c->cur_dir == TNT_C2S ? me : peer;
        const tnt_rec_decoder *sv = c->cur_dir == TNT_C2S ? peer : me;
        const char *proto = tnt_starttls_protocol(cl->lead, cl->lead_len, sv->lead, sv->lead_len);
        if (proto || tnt_starttls_is_text(me->lead, me->lead_len)) {
            snprintf(text, sizeof text, "%llu byte%s of cleartext before TLS%s%s%s",
                     (unsigned long long)n, n == 1 ? "" : "s", proto ? " (" : "",
                     proto ? proto : "", proto ? ")" : "");
            diag(c, TNT_DIAG_CLEARTEXT, off, text);
            return;
        }
    }
    snprintf(text, sizeof(text), "%s: skipped %llu bytes", why, (unsigned long long)n);
    diag(c, TNT_DIAG_SKIPPED, off, text);
}

static void on_rec_error(void *user, uint64_t off, const char *what)
{
    diag(user, TNT_DIAG_DECODE, off, what);
}

static void on_hs_error(void *user, const char *what, uint32_t claimed)
{
    tnt_conn *c = user;
    char text[160];
    snprintf(text, sizeof(text), "%s (claimed %u bytes)", what, claimed);
    diag(c, TNT_DIAG_DECODE, c->cur_rec ? c->cur_rec->stream_off : 0, text);
}

/* ---- handshakes ---- */

static tnt_hs_state *new_handshake(tnt_conn *c, bool protected_)
{
    if (c->n_hs == c->cap_hs) {
        uint32_t cap = c->cap_hs ? c->cap_hs * 2 : 2;
        tnt_hs_state **n = realloc(c->hs, cap * sizeof(*n));
        if (!n)
            return NULL;
        c->hs = n;
        c->cap_hs = cap;
    }
    tnt_hs_state *prev = tnt_conn_current_hs(c);
    if (prev)
        tnt_hs_state_trim(prev);
    tnt_hs_state *hs = tnt_hs_state_new(c->n_hs + 1, protected_);
    if (!hs)
        return NULL;
    c->hs[c->n_hs++] = hs;
    return hs;
}

static uint8_t *dup_bytes(const tnt_bytes *b)
{
    uint8_t *p = malloc(b->len ? b->len : 1);
    if (p && b->len)
        memcpy(p, b->p, b->len);
    return p;
}

static bool has_ext(const tnt_extensions *e, bool present, uint16_t type)
{
    return present && tnt_extensions_find(e, type) != NULL;
}

/* A hello's random and session ID, which key derivation and resumption need. */
static void keep_hello_ids(const tnt_bytes *random, const tnt_bytes *sid, uint8_t out_random[32],
                           bool *have_random, uint8_t out_sid[32], uint8_t *out_sid_len)
{
    if (random->len == 32) {
        memcpy(out_random, random->p, 32);
        *have_random = true;
    }
    if (sid->len <= 32) {
        memcpy(out_sid, sid->p, sid->len);
        *out_sid_len = (uint8_t)sid->len;
    }
}

static void note_client_hello(tnt_hs_state *hs, const tnt_client_hello *ch)
{
    keep_hello_ids(&ch->random, &ch->session_id, hs->client_random, &hs->have_client_random,
                   hs->client_sid, &hs->client_sid_len);
    hs->client_ems = has_ext(&ch->ext, ch->has_extensions, TNT_EXT_EXTENDED_MASTER_SECRET);
    hs->client_etm = has_ext(&ch->ext, ch->has_extensions, TNT_EXT_ENCRYPT_THEN_MAC);
    const tnt_extension *t =
        ch->has_extensions ? tnt_extensions_find(&ch->ext, TNT_EXT_SESSION_TICKET) : NULL;
    if (t && t->decoded && t->u.session_ticket.len > 0) {
        hs->client_ticket = dup_bytes(&t->u.session_ticket);
        hs->client_ticket_len = hs->client_ticket ? t->u.session_ticket.len : 0;
    }
}

/* TLS 1.3 (RFC 8446 7.1): a direction's records are protected first by its
 * handshake traffic secret, from the ServerHello on, then by its
 * application traffic secret after its own Finished, then by each
 * KeyUpdate's successor. The secrets come from the key log by client random. */
static bool tls13_install(tnt_conn *c, int d, const tnt_suite_info *s, const uint8_t *secret,
                          size_t len)
{
    tnt_conn_dir *D = &c->dir[d];
    tnt_rp_free(D->rp);
    D->rp = NULL;
    D->epoch_ok = 0;
    D->epoch_bad = false;
    D->suspect = false;
    if (tnt_tls13_rp_new(s, secret, len, &D->rp) != TNT_RP_OK) {
        D->rp = NULL;
        return false;
    }
    memcpy(D->secret13, secret, len);
    D->secret13_len = len;
    return true;
}

static void tls13_handshake_keys(tnt_conn *c, tnt_hs_state *hs, uint16_t suite)
{
    for (int d = 0; d < 2; d++) {
        c->dir[d].epoch = hs ? hs->index : 1;
        c->dir[d].epoch_suite = suite;
    }
    if (!c->opt.keys || !tnt_keys_any(c->opt.keys) || !hs || !hs->have_client_random)
        return;
    const tnt_suite_info *s = tnt_suite_lookup(suite);
    char text[200];
    if (!s || s->kx != TNT_KX_TLS13) {
        snprintf(text, sizeof text, "cipher suite 0x%04x is not supported for decryption", suite);
        diag(c, TNT_DIAG_KEYS, c->cur_rec ? c->cur_rec->stream_off : 0, text);
        return;
    }
    static const tnt_keylog_label labels[2] = {TNT_KL_CLIENT_HANDSHAKE_TRAFFIC_SECRET,
                                               TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET};
    bool all = true;
    for (int d = 0; d < 2; d++) {
        uint8_t secret[48];
        size_t len = sizeof secret;
        if (!tnt_keylog_tls13_secret(c->opt.keys->keylog, labels[d], hs->client_random, secret,
                                     &len) ||
            !tls13_install(c, d, s, secret, len))
            all = false;
        memset(secret, 0, sizeof secret);
    }
    if (!all) {
        char cr[65];
        for (int i = 0; i < 32; i++)
            sprintf(cr + 2 * i, "%02x", hs->client_random[i]);
        snprintf(text, sizeof text, "no key for handshake %u (client random %s)", hs->index, cr);
        diag(c, TNT_DIAG_KEYS, c->cur_rec ? c->cur_rec->stream_off : 0, text);
    }
}

/* After a record of direction D that ended with its Finished or a
 * KeyUpdate: the next records use the next secret. */
static void tls13_next_keys(tnt_conn *c, tnt_conn_dir *D, int d)
{
    int what = D->tls13_next;
    D->tls13_next = TLS13_KEEP;
    if (what == TLS13_KEEP || !D->rp)
        return;
    const tnt_suite_info *s = tnt_suite_lookup(D->epoch_suite);
    tnt_hs_state *hs = tnt_conn_current_hs(c);
    uint8_t secret[48];
    size_t len = sizeof secret;
    bool ok = false;
    if (what == TLS13_TO_APP && hs && s) {
        tnt_keylog_label l =
            d == TNT_C2S ? TNT_KL_CLIENT_TRAFFIC_SECRET_0 : TNT_KL_SERVER_TRAFFIC_SECRET_0;
        ok = tnt_keylog_tls13_secret(c->opt.keys->keylog, l, hs->client_random, secret, &len) &&
             tls13_install(c, d, s, secret, len);
    } else if (what == TLS13_UPDATE && s) {
        tnt_hash h;
        len = D->secret13_len;
        ok = tnt_tls13_suite_hash(s, &h) &&
             tnt_tls13_update_secret(h, D->secret13, D->secret13_len, secret) &&
             tls13_install(c, d, s, secret, len);
    }
    memset(secret, 0, sizeof secret);
    if (!ok) {
        tnt_rp_free(D->rp);
        D->rp = NULL;
        diag(c, TNT_DIAG_KEYS, c->cur_rec ? c->cur_rec->stream_off : 0,
             what == TLS13_TO_APP ? "no application traffic secret in the key log for this "
                                    "direction: later records are not decrypted"
                                  : "cannot follow the KeyUpdate: later records are not decrypted");
    }
}

static void after_server_hello(tnt_conn *c, tnt_hs_state *hs, const tnt_server_hello *sh)
{
    c->saw_server_hello = true;
    c->version = (uint16_t)sh->version.v;
    c->suite = (uint16_t)sh->suite.v;
    const tnt_extension *sv =
        sh->has_extensions ? tnt_extensions_find(&sh->ext, TNT_EXT_SUPPORTED_VERSIONS) : NULL;
    if (sv && sv->decoded && !sv->u.supported_versions.is_list)
        c->version = (uint16_t)sv->u.supported_versions.selected.v;
    c->hrr_pending = sh->is_hello_retry_request;
    /* In TLS 1.3 ChangeCipherSpec is only for middlebox compatibility and
     * switches nothing, also when it follows a HelloRetryRequest. */
    if (c->version == TNT_TLS13)
        c->tls13 = true;
    if (c->version == TNT_TLS13 && !sh->is_hello_retry_request) {
        tls13_handshake_keys(c, hs, (uint16_t)sh->suite.v);
        /* Everything after the ServerHello is protected. */
        c->dir[TNT_C2S].prot = TNT_PROT_ENCRYPTED;
        c->dir[TNT_S2C].prot = TNT_PROT_ENCRYPTED;
    }
    if (!hs)
        return;
    hs->saw_server_hello = true;
    hs->version = c->version;
    hs->suite = c->suite;
    hs->compression = (uint8_t)sh->compression.v;
    keep_hello_ids(&sh->random, &sh->session_id, hs->server_random, &hs->have_server_random,
                   hs->session_id, &hs->session_id_len);
    hs->server_ems = has_ext(&sh->ext, sh->has_extensions, TNT_EXT_EXTENDED_MASTER_SECRET);
    hs->server_etm = has_ext(&sh->ext, sh->has_extensions, TNT_EXT_ENCRYPT_THEN_MAC);
}

/* Keeps what key derivation and later checks need from each message. */
static void note_message(tnt_conn *c, tnt_hs_state *hs, const tnt_hs_msg *m)
{
    switch (m->type) {
    case TNT_HS_CERTIFICATE:
        if (c->cur_dir == TNT_S2C && m->decoded && m->u.certificate.n_certs > 0 &&
            !hs->server_cert) {
            hs->server_cert = dup_bytes(&m->u.certificate.certs[0].der);
            hs->server_cert_len = hs->server_cert ? m->u.certificate.certs[0].der.len : 0;
        }
        break;
    case TNT_HS_SERVER_HELLO_DONE:
        hs->saw_server_hello_done = true;
        break;
    case TNT_HS_CLIENT_KEY_EXCHANGE:
        hs->saw_cke = true;
        hs->transcript_at_cke = hs->transcript_len;
        if (m->decoded && m->u.cke.kind == TNT_CKE_RSA && !hs->epms) {
            hs->epms = dup_bytes(&m->u.cke.encrypted_pms);
            hs->epms_len = hs->epms ? m->u.cke.encrypted_pms.len : 0;
        }
        break;
    case TNT_HS_NEW_SESSION_TICKET:
        if (m->decoded && !hs->new_ticket) {
            hs->new_ticket = dup_bytes(&m->u.ticket.ticket);
            hs->new_ticket_len = hs->new_ticket ? m->u.ticket.ticket.len : 0;
            if (hs->have_ms && c->opt.keys)
                tnt_keys_remember_ticket(c->opt.keys, hs->new_ticket, hs->new_ticket_len, hs->ms);
        }
        break;
    default:
        break;
    }
}

/* Finished carries PRF(master secret, transcript before it): with the
 * master secret known, both directions are checked. */
static void check_finished(tnt_conn *c, tnt_hs_state *hs, const tnt_hs_piece *piece)
{
    if (!hs->have_ms || hs->transcript_overflow || !c->nego)
        return;
    uint8_t want[36];
    size_t len = 0;
    size_t before = hs->transcript_len - piece->raw_len;
    if (!tnt_hs_state_expected_finished(hs, c->cur_dir == TNT_S2C, before, want, sizeof want, &len))
        return;
    bool ok = piece->raw_len == 4 + len && memcmp(piece->raw + 4, want, len) == 0;
    tnt_nego_finished_checked(c->nego, hs->index, c->cur_dir, ok);
    if (!ok)
        diag(c, TNT_DIAG_DECODE, piece->first_record_off,
             "Finished verify_data does not match the handshake transcript");
}

static void on_message(void *user, const tnt_hs_piece *piece)
{
    tnt_conn *c = user;
    tnt_conn_dir *D = &c->dir[c->cur_dir];
    tnt_hs_ctx ctx = {c->version, c->suite, c->cur_dir == TNT_S2C, &c->cp};
    tnt_hs_msg msg;
    /* With keep, the event's message points only into the front end's
     * memory: its bytes are copied there before decoding. */
    const uint8_t *raw = piece->raw;
    if (c->opt.keep) {
        uint8_t *copy = tnt_arena_dup(&c->arena, piece->raw, piece->raw_len);
        if (copy)
            raw = copy;
    }
    if (!tnt_hs_decode(raw, piece->raw_len, &ctx, &c->arena, &msg)) {
        const char *name = tnt_handshake_type_name(&c->cp, msg.type);
        char text[200];
        const char *what = msg.err.what ? msg.err.what : "malformed";
        /* Some decoders name their message already. */
        if (name && strncmp(what, name, strlen(name)) == 0)
            snprintf(text, sizeof(text), "%s (offset %u)", what, msg.err.off);
        else
            snprintf(text, sizeof(text), "%s: %s (offset %u)", name ? name : "handshake message",
                     what, msg.err.off);
        diag(c, TNT_DIAG_DECODE, piece->first_record_off, text);
    }
    tnt_hs_state *hs = tnt_conn_current_hs(c);
    if (c->tls13 && c->cur_epoch) {
        if (msg.type == TNT_HS_FINISHED)
            D->tls13_next = TLS13_TO_APP;
        else if (msg.type == TNT_HS_KEY_UPDATE)
            D->tls13_next = TLS13_UPDATE;
    }
    if (msg.type == TNT_HS_CLIENT_HELLO) {
        c->saw_client_hello = true;
        if (D->prot == TNT_PROT_UNKNOWN)
            D->prot = TNT_PROT_PLAIN;
        if (c->dir[TNT_S2C].prot == TNT_PROT_UNKNOWN)
            c->dir[TNT_S2C].prot = TNT_PROT_PLAIN;
        /* A second ClientHello after a HelloRetryRequest continues the
         * same handshake; any other starts a new one. */
        if (!(hs && c->hrr_pending))
            hs = new_handshake(c, c->cur_epoch != 0);
        c->hrr_pending = false;
        if (hs && msg.decoded)
            note_client_hello(hs, &msg.u.client_hello);
    } else if (!hs && msg.type != TNT_HS_HELLO_REQUEST) {
        /* The capture began after this handshake's ClientHello. */
        hs = new_handshake(c, c->cur_epoch != 0);
    }
    if (hs && msg.type != TNT_HS_HELLO_REQUEST) {
        bool too_long =
            !hs->transcript_overflow && hs->transcript_len + piece->raw_len > TNT_TRANSCRIPT_MAX;
        tnt_hs_state_transcript_add(hs, piece->raw, piece->raw_len);
        /* Said once, so that a Finished left unchecked has its reason. */
        if (too_long && c->nego) {
            char text[160];
            snprintf(text, sizeof text,
                     "transcript of handshake %u exceeds %u MiB: the proofs and Finished "
                     "messages from here on are not checked",
                     hs->index, TNT_TRANSCRIPT_MAX >> 20);
            tnt_nego_not_checked(c->nego, hs->index, c->frame, text);
        }
    }
    if (msg.type == TNT_HS_SERVER_HELLO && msg.decoded) {
        if (D->prot == TNT_PROT_UNKNOWN)
            D->prot = TNT_PROT_PLAIN;
        after_server_hello(c, hs, &msg.u.server_hello);
    } else if (hs) {
        note_message(c, hs, &msg);
    }
    uint64_t seq = ++c->n_msgs;
    if (c->nego)
        tnt_nego_set_msg_seq(c->nego, seq);
    if (c->nego && hs) {
        bool in_transcript = msg.type != TNT_HS_HELLO_REQUEST && !hs->transcript_overflow;
        size_t before = in_transcript ? hs->transcript_len - piece->raw_len : hs->transcript_len;
        tnt_nego_message(c->nego, c->cur_dir, hs->index, c->cur_epoch, &msg,
                         hs->transcript_overflow ? NULL : hs->transcript,
                         hs->transcript_overflow ? 0 : before, !hs->transcript_overflow, c->frame);
    }
    const tnt_hs_msg *shown = &msg;
    if (c->opt.keep) {
        tnt_hs_msg *kept = tnt_arena_dup(&c->arena, &msg, sizeof msg);
        if (kept)
            shown = kept;
    }
    tnt_message_event me = {shown, piece, hs ? hs->index : 0, c->cur_epoch, false, 0, NULL,
                            seq,   ctx};
    if (c->kept_cp)
        me.ctx.cp = c->kept_cp;
    if (c->ev->message)
        c->ev->message(c->user, c->cur_dir, &me);
    /* After the message, so that a mismatch is reported below it. */
    if (hs && msg.type == TNT_HS_FINISHED && msg.decoded)
        check_finished(c, hs, piece);
    deliver(c, TNT_CAUSE_MESSAGE, seq, 0);
    if (c->nego)
        tnt_nego_set_msg_seq(c->nego, 0);
    tnt_arena_free(&c->arena);
}

/* ---- records ---- */

/* With no hello seen, a handshake record is taken as plaintext only when it
 * starts with a known message type whose length fits: after a missed
 * ChangeCipherSpec it is ciphertext, which rarely passes this test. */
static bool looks_plain(const tnt_conn *c, const tnt_conn_dir *D, const tnt_record *rec)
{
    if (tnt_hs_reasm_pending(&D->hs))
        return true;
    tnt_cursor cur;
    tnt_cursor_init(&cur, rec->body, rec->length);
    uint8_t type;
    uint32_t len;
    if (!tnt_get_u8(&cur, &type) || !tnt_get_u24(&cur, &len))
        return false;
    return tnt_handshake_type_name(&c->cp, type) != NULL && len <= tnt_cursor_len(&cur);
}

static void sslv2_hello(tnt_conn *c, const tnt_record *rec)
{
    tnt_sslv2_client_hello h;
    tnt_error err = {0, NULL};
    if (!tnt_sslv2_client_hello_decode(rec->raw, rec->header_len + rec->length, &c->arena, &h,
                                       &err)) {
        char text[160];
        snprintf(text, sizeof(text), "SSLv2 ClientHello: %s at offset %u", err.what, err.off);
        diag(c, TNT_DIAG_DECODE, rec->stream_off, text);
    } else {
        c->saw_client_hello = true;
        for (int i = 0; i < 2; i++)
            if (c->dir[i].prot == TNT_PROT_UNKNOWN)
                c->dir[i].prot = TNT_PROT_PLAIN;
        tnt_hs_state *hs = new_handshake(c, false);
        if (hs) {
            /* RFC 5246 E.2: the challenge, right-aligned, is the client random. */
            uint32_t n = h.challenge.len > 32 ? 32 : h.challenge.len;
            memset(hs->client_random, 0, 32);
            memcpy(hs->client_random + 32 - n, h.challenge.p + h.challenge.len - n, n);
            hs->have_client_random = true;
            /* The transcript holds the SSLv2 message body (without its
             * record header), as for Finished. */
            tnt_hs_state_transcript_add(hs, rec->body, rec->length);
        }
        tnt_message_event me = {NULL, NULL, hs ? hs->index : 0, 0, true, 1, &h, ++c->n_msgs, {0}};
        if (c->ev->message)
            c->ev->message(c->user, c->cur_dir, &me);
    }
    tnt_arena_free(&c->arena);
}

/* SSL 2.0: the client's hello may be answered in SSL 2.0, and then the
 * whole connection is. Only the hellos and the client-master-key travel in
 * clear; everything after is encrypted. */
static void sslv2_record(tnt_conn *c, tnt_conn_dir *D, tnt_record_event *ev, const tnt_record *rec)
{
    bool first = D->n_records == 1;
    bool plain = (c->cur_dir == TNT_C2S && first && rec->type == 1) ||
                 (c->cur_dir == TNT_S2C && first && rec->type == 4) ||
                 (c->cur_dir == TNT_C2S && c->sslv2 && D->n_records == 2 && rec->type == 2);
    ev->encrypted = !plain;
    if (c->ev->record)
        c->ev->record(c->user, c->cur_dir, ev);
    if (!plain)
        return;
    if (rec->type == 1) {
        sslv2_hello(c, rec);
        return;
    }
    if (rec->type == 4 && !c->sslv2) {
        c->sslv2 = true;
        tnt_rec_set_sslv2(&c->dir[TNT_C2S].rec);
        tnt_rec_set_sslv2(&c->dir[TNT_S2C].rec);
    }
    tnt_message_event me = {NULL, NULL, c->n_hs, 0, true, rec->type, NULL, ++c->n_msgs, {0}};
    if (c->ev->message)
        c->ev->message(c->user, c->cur_dir, &me);
}

/* New keys bring a new compression state (RFC 5246 6.1: the compression
 * algorithm is part of the connection state): a fresh zlib stream for
 * DEFLATE, and for a method we cannot undo, one diagnostic per method. */
static void start_compression(tnt_conn *c, tnt_conn_dir *D, tnt_hs_state *hs, const tnt_record *rec)
{
    tnt_inflate_free(D->zin);
    D->zin = NULL;
    D->comp_bad = false;
    D->compression = hs ? hs->compression : TNT_COMPRESSION_NULL;
    if (D->compression == TNT_COMPRESSION_NULL)
        return;
    if (D->compression == TNT_COMPRESSION_DEFLATE) {
        D->zin = tnt_inflate_new();
        D->comp_bad = D->zin == NULL;
        return;
    }
    D->comp_bad = true;
    uint32_t bit = 1u << (D->compression % 32);
    if (c->comp_reported & bit)
        return;
    c->comp_reported |= bit;
    const char *name = tnt_compression_name(D->compression);
    char text[200];
    snprintf(text, sizeof text,
             "compression method %s (%u) is not supported: the content of epoch %u cannot be "
             "read",
             name ? name : "unassigned", D->compression, hs ? hs->index : 0);
    diag(c, TNT_DIAG_KEYS, rec->stream_off, text);
}

/* Undoes the epoch's compression on readable content (*body, *len); false
 * when it cannot be, after saying why once per epoch. */
static bool decompress(tnt_conn *c, tnt_conn_dir *D, const tnt_record *rec, const uint8_t **body,
                       uint32_t *len, uint8_t *out)
{
    if (D->compression == TNT_COMPRESSION_NULL)
        return true;
    if (D->comp_bad)
        return false;
    size_t n = 0;
    tnt_inflate_status st = tnt_inflate_record(D->zin, *body, *len, out, &n);
    if (st != TNT_INFLATE_OK) {
        char text[200];
        snprintf(text, sizeof text,
                 "record does not decompress (%s): the rest of epoch %u is not read",
                 tnt_inflate_status_text(st), D->epoch);
        diag(c, TNT_DIAG_DECODE, rec->stream_off, text);
        D->comp_bad = true;
        return false;
    }
    *body = out;
    *len = (uint32_t)n;
    return true;
}

/* This direction sent ChangeCipherSpec: its next records use the keys of
 * the handshake in progress. */
static void switch_epoch(tnt_conn *c, tnt_conn_dir *D, const tnt_record *rec)
{
    D->n_ccs++;
    D->epoch_records = 0;
    c->hidden_hs_open = false;
    if (c->nego)
        tnt_nego_ccs(c->nego, c->cur_dir, c->frame);
    if (tnt_hs_reasm_reset(&D->hs))
        diag(c, TNT_DIAG_DECODE, rec->stream_off, "ChangeCipherSpec inside a handshake message");
    D->prot = TNT_PROT_ENCRYPTED;
    report_suspect(c, D);
    tnt_rp_free(D->rp);
    D->rp = NULL;
    D->epoch_ok = 0;
    D->epoch_bad = false;
    D->suspect = false;
    D->lost_to_gap = false;
    D->resync = false;
    D->hs_hunt = false;
    tnt_hs_state *hs = tnt_conn_current_hs(c);
    start_compression(c, D, hs, rec);
    if (!hs) {
        D->epoch = 0;
        return;
    }
    D->epoch = hs->index;
    D->epoch_suite = hs->suite;
    if (!c->opt.keys || !tnt_keys_any(c->opt.keys))
        return;
    int w = c->cur_dir == TNT_C2S ? 0 : 1;
    if (!hs->keys_tried) {
        /* The abbreviated handshake has no ClientKeyExchange. */
        hs->resumed = !hs->saw_cke;
        char why[256];
        tnt_key_status st = tnt_hs_state_derive(hs, c->opt.keys, why, sizeof why);
        if (st != TNT_KEYS_OK)
            diag(c, TNT_DIAG_KEYS, rec->stream_off, why);
    }
    D->rp = hs->write[w];
    hs->write[w] = NULL;
}

static void note_auth(tnt_conn *c, tnt_conn_dir *D, const tnt_record *rec, tnt_rp_status st,
                      tnt_record_event *ev)
{
    char text[200];
    if (st == TNT_RP_OK) {
        if (D->suspect) {
            snprintf(text, sizeof text,
                     "corrupted record: the record at stream offset %llu failed authentication "
                     "(%s) in epoch %u, later records decrypt",
                     (unsigned long long)D->suspect_off, tnt_rp_status_name(D->suspect_status),
                     D->epoch);
            diag(c, TNT_DIAG_DECRYPT, D->suspect_off, text);
            D->suspect = false;
        }
        D->epoch_ok++;
        ev->decrypted = true;
        return;
    }
    ev->decrypt_failed = true;
    ev->failure = st;
    if (c->nego)
        tnt_nego_decrypt_failed(c->nego, c->cur_dir, rec->type, c->frame, tnt_rp_status_name(st));
    if (D->epoch_ok > 0) {
        snprintf(text, sizeof text,
                 "corrupted record: fails authentication (%s) in epoch %u, earlier records "
                 "decrypted",
                 tnt_rp_status_name(st), D->epoch);
        diag(c, TNT_DIAG_DECRYPT, rec->stream_off, text);
    } else if (!D->suspect) {
        D->suspect = true;
        D->suspect_off = rec->stream_off;
        D->suspect_status = st;
    } else {
        tnt_hs_state *hs = D->epoch >= 1 && D->epoch <= c->n_hs ? c->hs[D->epoch - 1] : NULL;
        if (!hs || !hs->wrong_key_reported) {
            snprintf(text, sizeof text,
                     "wrong key for handshake %u: records of epoch %u fail authentication (%s)",
                     D->epoch, D->epoch, tnt_rp_status_name(st));
            diag(c, TNT_DIAG_KEYS, rec->stream_off, text);
            if (hs)
                hs->wrong_key_reported = true;
        }
        D->suspect = false;
        D->epoch_bad = true;
    }
}

/* A record of a direction that lost records at a gap: tries the explicit
 * nonce (most stacks send the sequence number there), then every sequence
 * number the lost bytes allow. TNT_RP_OK resumes the epoch; anything else
 * leaves the record unread (not a decryption failure: no key was wrong). */
static tnt_rp_status resync_decrypt(tnt_conn *c, tnt_conn_dir *D, const tnt_record *rec,
                                    uint8_t *plain, size_t cap, size_t *out_len, uint8_t *inner)
{
    uint64_t base = D->resync_base, nonce = UINT64_MAX;
    if (tnt_rp_explicit_nonce_len(D->rp) == 8) {
        tnt_cursor cur;
        tnt_cursor_init(&cur, rec->body, rec->length);
        uint64_t v;
        if (tnt_get_u64(&cur, &v) && v >= base && v - base <= UINT32_MAX)
            nonce = v;
    }
    bool found = false;
    uint64_t hit = 0;
    for (uint64_t k = 0; k <= D->resync_window + 1 && !found; k++) {
        uint64_t seq = k == 0 ? nonce : base + k - 1;
        if ((k == 0 && nonce == UINT64_MAX) || (k > 0 && seq == nonce))
            continue;
        if (D->resync_budget < rec->length)
            break; /* the allowance is spent: this record stays unread */
        D->resync_budget -= rec->length;
        tnt_rp_set_seq(D->rp, seq);
        tnt_rp_status st = c->tls13 ? tnt_rp_decrypt13(D->rp, rec->raw, rec->body, rec->length,
                                                       plain, cap, out_len, inner)
                                    : tnt_rp_decrypt(D->rp, rec->type, rec->version, rec->body,
                                                     rec->length, plain, cap, out_len);
        if (st == TNT_RP_OK) {
            found = true;
            hit = seq;
        } else if (st != TNT_RP_BAD_MAC && st != TNT_RP_BAD_PADDING) {
            break; /* a length or format problem: no sequence number helps */
        }
    }
    char text[200];
    if (found) {
        D->resync = false;
        snprintf(text, sizeof text,
                 "decryption of epoch %u resumed after the gap: %llu record%s lost", D->epoch,
                 (unsigned long long)(hit - base), hit - base == 1 ? "" : "s");
        diag(c, TNT_DIAG_SKIPPED, rec->stream_off, text);
        return TNT_RP_OK;
    }
    tnt_rp_set_seq(D->rp, base);
    if (++D->resync_failures >= RESYNC_MAX_FAILURES) {
        tnt_rp_free(D->rp);
        D->rp = NULL;
        D->resync = false;
        D->lost_to_gap = true;
        snprintf(text, sizeof text,
                 "epoch %u cannot be decrypted past the gap: no sequence number fits the records "
                 "after it",
                 D->epoch);
        diag(c, TNT_DIAG_KEYS, rec->stream_off, text);
    }
    *out_len = 0;
    return TNT_RP_BAD_MAC;
}

/* After a gap: does this handshake record start with a message header? */
static bool plausible_hs_start(const tnt_conn *c, const uint8_t *body, uint32_t len)
{
    tnt_cursor cur;
    tnt_cursor_init(&cur, body, len);
    uint8_t type;
    uint32_t mlen;
    return tnt_get_u8(&cur, &type) && tnt_get_u24(&cur, &mlen) &&
           tnt_handshake_type_name(&c->cp, type) != NULL && mlen <= TNT_HS_MAX_DEFAULT;
}

/* Whether on_record will read the body of a record that spans pieces:
 * TLS 1.0-1.2 application data is passed over unread unless its
 * decryption was asked for or the epoch still needs it (a first failure to
 * confirm, a resynchronisation, the DEFLATE history, a NULL cipher's
 * cleartext). Not buffering those bodies is most of the bytes of a capture.
 * Before the version is known, and in TLS 1.3 (whose records all look like
 * application data), every body is read. */
_Static_assert(TNT_REC_TAIL >= TNT_RP_SKIP_TAIL,
               "a stepped-over record keeps what the CBC chain needs");

static bool rec_need_body(void *user, uint8_t type, uint16_t version, uint32_t length)
{
    (void)version;
    (void)length;
    const tnt_conn *c = user;
    const tnt_conn_dir *D = &c->dir[c->cur_dir];
    if (type != TNT_CT_APPLICATION_DATA || c->tls13 || c->version == 0 || c->version >= TNT_TLS13)
        return true;
    if (D->prot != TNT_PROT_ENCRYPTED)
        return false;
    if (D->rp && !D->epoch_bad)
        return c->opt.decrypt_app_data || D->suspect || D->resync || D->zin;
    if (!D->rp) {
        const tnt_suite_info *s = tnt_suite_lookup(D->epoch_suite);
        return s && s->cipher == TNT_CIPHER_NULL;
    }
    return false;
}

static void on_record(void *user, const tnt_record *rec)
{
    tnt_conn *c = user;
    tnt_conn_dir *D = &c->dir[c->cur_dir];
    if (D->n_records == 0)
        D->resync_budget = RESYNC_BUDGET_BASE;
    if (D->resync_budget < UINT64_MAX / 2)
        D->resync_budget += (uint64_t)RESYNC_BUDGET_FACTOR * rec->length;
    D->n_records++;
    c->cur_rec = rec;
    c->cur_epoch = 0;
    tnt_record_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.rec = rec;

    if (rec->sslv2) {
        sslv2_record(c, D, &ev, rec);
        c->cur_rec = NULL;
        return;
    }

    const uint8_t *body = rec->body;
    uint32_t body_len = rec->length;
    uint8_t plain[TNT_MAX_RECORD_BODY];
    bool protected_ =
        D->prot == TNT_PROT_ENCRYPTED && !(c->tls13 && rec->type == TNT_CT_CHANGE_CIPHER_SPEC);
    uint8_t type = rec->type;
    if (protected_ && c->tls13) {
        /* The real content type is inside: every record is decrypted. */
        ev.epoch = D->epoch;
        /* A body stepped over (rec_need_body) is read by nothing below; it
         * comes only as TLS 1.0-1.2 application data. */
        if (D->rp && !D->epoch_bad && rec->body) {
            size_t out_len = 0;
            uint8_t inner = 0;
            bool resyncing = D->resync;
            tnt_rp_status st =
                resyncing ? resync_decrypt(c, D, rec, plain, sizeof plain, &out_len, &inner)
                          : tnt_rp_decrypt13(D->rp, rec->raw, rec->body, rec->length, plain,
                                             sizeof plain, &out_len, &inner);
            if (!resyncing || st == TNT_RP_OK)
                note_auth(c, D, rec, st, &ev);
            if (st == TNT_RP_OK) {
                body = plain;
                body_len = (uint32_t)out_len;
                ev.plain = plain;
                ev.plain_len = body_len;
                ev.inner_type = inner;
                type = inner;
                c->cur_epoch = D->epoch;
            }
        }
        ev.encrypted = !ev.decrypted && !ev.decrypt_failed;
    } else if (protected_) {
        ev.epoch = D->epoch;
        /* The DEFLATE history needs every record of the epoch. */
        bool want = rec->body && (rec->type != TNT_CT_APPLICATION_DATA || c->opt.decrypt_app_data ||
                                  D->suspect || D->resync || D->zin);
        if (D->rp && !D->epoch_bad && want) {
            size_t out_len = 0;
            bool resyncing = D->resync;
            tnt_rp_status st = resyncing
                                   ? resync_decrypt(c, D, rec, plain, sizeof plain, &out_len, NULL)
                                   : tnt_rp_decrypt(D->rp, rec->type, rec->version, rec->body,
                                                    rec->length, plain, sizeof plain, &out_len);
            if (!resyncing || st == TNT_RP_OK)
                note_auth(c, D, rec, st, &ev);
            if (st == TNT_RP_OK) {
                body = plain;
                body_len = (uint32_t)out_len;
                ev.plain = plain;
                ev.plain_len = body_len;
                c->cur_epoch = D->epoch;
            }
        } else if (D->rp && !D->epoch_bad) {
            if (rec->body)
                tnt_rp_skip(D->rp, rec->body, rec->length);
            else
                tnt_rp_skip_tail(D->rp, rec->length, rec->tail, rec->tail_len);
            if (D->epoch >= 1 && D->epoch <= c->n_hs)
                c->hs[D->epoch - 1]->app_unauthenticated++;
        } else if (!D->rp && rec->body) {
            /* A NULL cipher hides nothing: without keys the content is
             * still readable, only its MAC cannot be checked. */
            const tnt_suite_info *s = tnt_suite_lookup(D->epoch_suite);
            unsigned mac_len = s ? tnt_mac_len(s->mac) : 0;
            if (s && s->cipher == TNT_CIPHER_NULL && s->mac != TNT_MAC_NULL &&
                rec->length >= mac_len) {
                ev.null_cipher = true;
                body_len = rec->length - mac_len;
                ev.plain = body;
                ev.plain_len = body_len;
                c->cur_epoch = D->epoch;
            }
        }
        ev.encrypted = !ev.decrypted && !ev.decrypt_failed && !ev.null_cipher;
    }
    bool readable = !protected_ || ev.decrypted || ev.null_cipher;
    uint8_t inflated[TNT_MAX_PLAINTEXT];
    if (protected_ && readable && !c->tls13) {
        if (decompress(c, D, rec, &body, &body_len, inflated)) {
            ev.plain = body;
            ev.plain_len = body_len;
        } else {
            readable = false;
            ev.plain = NULL;
            ev.plain_len = 0;
        }
    }
    if (protected_)
        D->epoch_records++;
    /* The epoch's first protected handshake record is its handshake's
     * Finished: unreadable, it still shows that the Finished was sent. */
    if (protected_ && !readable && rec->type == TNT_CT_HANDSHAKE && D->epoch_records == 1 &&
        !c->tls13 && !D->lost_to_gap && D->epoch && c->nego)
        tnt_nego_finished_unreadable(c->nego, D->epoch, c->cur_dir);
    /* A protected handshake record other than the epoch's first (its
     * Finished) that cannot be read is a rehandshake nobody can see. */
    if (protected_ && !readable && rec->type == TNT_CT_HANDSHAKE && D->epoch_records > 1 &&
        !c->tls13 && !c->hidden_hs_open && !D->lost_to_gap && !D->comp_bad) {
        c->hidden_hs_open = true;
        tnt_hs_state *hidden = new_handshake(c, true);
        if (hidden && c->nego)
            tnt_nego_undecryptable(c->nego, hidden->index, c->frame);
    }

    bool feed_hs = false;
    switch (type) {
    case TNT_CT_ALERT:
        if (readable) {
            ev.has_alert = tnt_alert_decode(body, body_len, &ev.alert, NULL);
            if (!ev.has_alert)
                diag(c, TNT_DIAG_DECODE, rec->stream_off, "alert record is not 2 bytes");
            else if (c->nego)
                tnt_nego_alert(c->nego, c->cur_dir, (uint8_t)ev.alert.level.v,
                               (uint8_t)ev.alert.description.v, c->frame);
        }
        break;
    case TNT_CT_HANDSHAKE:
        if (protected_)
            feed_hs = readable;
        else if (D->prot == TNT_PROT_PLAIN)
            feed_hs = true;
        else if (looks_plain(c, D, rec))
            feed_hs = true;
        else
            ev.encrypted = true;
        break;
    case TNT_CT_APPLICATION_DATA:
        /* Before any ChangeCipherSpec application data is still protected
         * in practice (a capture that began mid-connection). */
        if (!protected_ && D->prot != TNT_PROT_PLAIN)
            ev.encrypted = true;
        break;
    default:
        break;
    }
    if (c->opt.keep && ev.plain && ev.plain_len) {
        uint8_t *kept = c->opt.keep->alloc(c->opt.keep->ctx, ev.plain_len);
        if (kept)
            memcpy(kept, ev.plain, ev.plain_len);
        ev.plain = kept;
        if (!kept)
            ev.plain_len = 0;
    }
    if (c->ev->record)
        c->ev->record(c->user, c->cur_dir, &ev);

    /* The record type is in clear, so even a ChangeCipherSpec that cannot
     * be decrypted (a renegotiation's, in an epoch without keys) switches. */
    if (rec->type == TNT_CT_CHANGE_CIPHER_SPEC && !c->tls13)
        switch_epoch(c, D, rec);
    if (feed_hs && D->hs_hunt) {
        if (plausible_hs_start(c, body, body_len)) {
            D->hs_hunt = false;
        } else {
            feed_hs = false;
            diag(c, TNT_DIAG_SKIPPED, rec->stream_off,
                 "handshake record after the gap skipped: it continues a message whose start is "
                 "lost");
        }
    }
    if (feed_hs)
        tnt_hs_reasm_feed(&D->hs, body, body_len, rec->stream_off, &hs_cb, c);
    if (c->tls13)
        tls13_next_keys(c, D, c->cur_dir);
    /* What the record itself decided (its messages delivered their own). */
    deliver(c,
            rec->type == TNT_CT_ALERT                ? TNT_CAUSE_ALERT
            : rec->type == TNT_CT_CHANGE_CIPHER_SPEC ? TNT_CAUSE_CCS
                                                     : TNT_CAUSE_RECORD,
            0, rec->stream_off);
    c->cur_rec = NULL;
    c->cur_epoch = 0;
}
