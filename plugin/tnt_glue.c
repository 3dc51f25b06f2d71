/* The plugin's glue to lib/: the only file that includes lib/ headers (its
 * public API, include/tnt/).
 *
 * First pass: one tnt_conn per TNT connection is fed each direction's bytes
 * as TCP hands them over. Record plaintext and decoded messages are kept in
 * Wireshark's file-scope memory (tnt_conn_options.keep), and lib/'s events
 * (records, messages, verdicts as soon as the bytes decide them) are
 * stored with the frame that produced them, so later passes never touch
 * lib/ state and every pass shows the same tree. */
#include "tnt_glue.h"

#include <epan/strutil.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "tnt/load.h"
#include "tnt/tnt.h"
#include "tnt/verdict.h"

#include <string.h>

/* The preference's codepoints; each new connection takes a copy. */
static tnt_codepoints pref_cp = {TNT_DEFAULT_EXT_TYPE, TNT_DEFAULT_HS_NEGOTIATION,
                                 TNT_DEFAULT_HS_PROOF};

bool tnt_glue_set_codepoints(uint16_t ext_type, uint8_t hs_negotiation, uint8_t hs_proof)
{
    tnt_codepoints cp;
    if (!tnt_codepoints_make(&cp, ext_type, hs_negotiation, hs_proof))
        return false;
    pref_cp = cp;
    return true;
}

bool tnt_glue_hello_has_tnt(const uint8_t *data, size_t len)
{
    tnt_cursor c;
    uint8_t ct, type;
    uint16_t ver, rlen;
    uint32_t mlen;
    tnt_cursor_init(&c, data, len);
    if (!tnt_get_u8(&c, &ct) || ct != TNT_CT_HANDSHAKE || !tnt_get_u16(&c, &ver) ||
        !tnt_get_u16(&c, &rlen))
        return false;
    /* Only the first record: a hello split across records is rare and then
     * decided by its ServerHello or by Decode As. */
    if (rlen < tnt_cursor_len(&c))
        c.len = rlen;
    const uint8_t *msg = tnt_cursor_data(&c);
    size_t avail = tnt_cursor_len(&c);
    if (!tnt_get_u8(&c, &type) || !tnt_get_u24(&c, &mlen) || mlen + 4 > avail)
        return false;
    if (type != TNT_HS_CLIENT_HELLO && type != TNT_HS_SERVER_HELLO)
        return false;
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg m;
    tnt_hs_ctx ctx = {0, 0, type == TNT_HS_SERVER_HELLO, &pref_cp};
    bool found = false;
    if (tnt_hs_decode(msg, mlen + 4, &ctx, &a, &m) && m.decoded) {
        const tnt_extensions *e =
            type == TNT_HS_CLIENT_HELLO ? &m.u.client_hello.ext : &m.u.server_hello.ext;
        found = tnt_extensions_find(e, pref_cp.ext_type) != NULL;
    }
    tnt_arena_free(&a);
    return found;
}

/* ---- run-wide state ---------------------------------------------------------- */

typedef struct run_state {
    tnt_keys *keys;
    bool loaded;
    tnt_session_store *sessions;
    /* Every certificate of the file parsed once: without it lib/ imports
     * each credential with GnuTLS again for every DN test, proof and chain,
     * in every connection (most of the plugin's cost on a capture of many
     * negotiations with the same credentials). */
    tnt_cert_cache *certs;
    tnt_arena anchor_arena;
    tnt_anchor_set anchors;
    bool have_anchors;
    GHashTable *established; /* (conn_id << 16 | handshake) -> frame */
} run_state;

static run_state *run;

static run_state *run_get(const tnt_glue_keysrc *src)
{
    if (run)
        return run;
    run = g_new0(run_state, 1);
    run->keys = tnt_keys_new();
    run->sessions = tnt_session_store_new();
    run->certs = tnt_cert_cache_new(TNT_CERT_CACHE_DEFAULT);
    run->established = g_hash_table_new(g_int64_hash, g_int64_equal);
    tnt_arena_init(&run->anchor_arena);
    tnt_anchors_init(&run->anchors, &run->anchor_arena);
    for (int i = 0; i < 2; i++)
        if (src->keylog_files[i])
            tnt_keylog_load_file(run->keys->keylog, src->keylog_files[i], NULL, NULL, NULL, NULL);
    for (const char *const *f = src->rsa_key_files; f && *f; f++)
        tnt_rsa_keyset_load_file(run->keys->rsa, *f, NULL);
    if (src->anchor_files) {
        gchar **v = g_strsplit(src->anchor_files, ";", -1);
        for (gchar **p = v; *p; p++) {
            g_strstrip(*p);
            tnt_error err = {0, NULL};
            if (**p && tnt_anchors_add_file(&run->anchors, *p, NULL, 0, &err))
                run->have_anchors = true;
        }
        g_strfreev(v);
    }
    return run;
}

void tnt_glue_run_reset(void)
{
    if (!run)
        return;
    tnt_keys_free(run->keys);
    tnt_session_store_free(run->sessions);
    tnt_cert_cache_free(run->certs);
    tnt_arena_free(&run->anchor_arena);
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, run->established);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_free(k);
    g_hash_table_destroy(run->established);
    g_free(run);
    run = NULL;
}

/* ---- one connection ---------------------------------------------------------- */

struct tnt_glue_conn {
    tnt_conn *conn;
    tnt_codepoints cp;
    tnt_conn_options opt;
    bool (*master_secret)(const uint8_t cr[32], uint8_t ms[48]);
    uint64_t conn_id;
    /* while feeding */
    tntp_chunk *chunk;
    uint32_t frame;
    tntp_rec_info *cur_rec[2];
    /* record framing of handshake messages, per direction */
    tntp_msg_info *cur[2]; /* the message being received */
    uint32_t have[2];      /* its bytes so far */
    uint8_t hdr[2][4];
    GQueue *done[2];           /* complete by framing, not yet reported by lib/ */
    GHashTable *by_seq;        /* tnt_message_event.seq -> tntp_msg_info */
    uint64_t counted;          /* handshakes whose outcome the stats counted */
    uint32_t no_keys_epoch[2]; /* epoch + 1 already reported as without keys */
};

/* Wireshark's file scope as lib/'s memory for what outlives a callback. */
static void *fs_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return wmem_alloc0(wmem_file_scope(), size);
}
static const tnt_allocator fs_allocator = {fs_alloc, NULL};

static const char *fs_strdup(const char *s)
{
    return s ? wmem_strdup(wmem_file_scope(), s) : NULL;
}

static tntp_note *add_chunk_note(tnt_glue_conn *g, int kind, int sev, const char *text,
                                 uint64_t off)
{
    if (!g->chunk)
        return NULL;
    tntp_note *n = wmem_new0(wmem_file_scope(), tntp_note);
    n->kind = kind;
    n->severity = sev;
    n->text = fs_strdup(text);
    n->stream_off = off;
    *g->chunk->notes_tail = n;
    g->chunk->notes_tail = &n->next;
    return n;
}

/* Which messages a handshake record's plaintext holds, decided when the
 * record arrives, so that a record carrying the first pieces of a message
 * shows the same on every pass. (lib/ reports a message's pieces only when
 * the message is complete.) */
static void frame_handshake(tnt_glue_conn *g, int dir, tntp_rec_info *r, const uint8_t *p,
                            uint32_t len)
{
    uint32_t pos = 0;
    while (pos < len) {
        tntp_msg_info *m = g->cur[dir];
        if (!m) {
            m = g->cur[dir] = wmem_new0(wmem_file_scope(), tntp_msg_info);
            g->have[dir] = 0;
        }
        uint32_t have = g->have[dir];
        uint32_t want = have < 4 ? 4 - have : m->expected_len - have;
        uint32_t n = MIN(want, len - pos);
        if (have < 4)
            memcpy(g->hdr[dir] + have, p + pos, n);
        if (!r->frags)
            r->frags = wmem_array_new(wmem_file_scope(), sizeof(tntp_fragment));
        guint nf = wmem_array_get_count(r->frags);
        tntp_fragment *last = nf ? wmem_array_index(r->frags, nf - 1) : NULL;
        if (last && last->msg == m) {
            last->len += n;
        } else {
            tntp_fragment f = {m, pos, n, have};
            wmem_array_append_one(r->frags, f);
        }
        pos += n;
        have += n;
        g->have[dir] = have;
        if (have == 4 && !m->expected_len) {
            const uint8_t *h = g->hdr[dir];
            m->type = h[0];
            m->expected_len = 4 + ((uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3]);
        }
        if (have >= 4 && have == m->expected_len) {
            g_queue_push_tail(g->done[dir], m);
            g->cur[dir] = NULL;
        }
    }
}

static void ev_record(void *user, tnt_dir dir, const tnt_record_event *ev)
{
    tnt_glue_conn *g = user;
    if (!g->chunk)
        return;
    const tnt_record *rec = ev->rec;
    tntp_rec_info *r = wmem_new0(wmem_file_scope(), tntp_rec_info);
    r->stream_off = rec->stream_off;
    r->type = rec->type;
    r->version = rec->version;
    r->length = rec->length;
    r->epoch = ev->epoch;
    r->dir = dir;
    const uint8_t *plain = NULL;
    uint32_t plain_len = 0;
    if (ev->decrypted || ev->null_cipher) {
        r->state = ev->decrypted ? TNTP_REC_DECRYPTED : TNTP_REC_NULL;
        plain = ev->plain;
        plain_len = ev->plain_len;
    } else if (ev->decrypt_failed) {
        r->state = TNTP_REC_FAILED;
    } else if (ev->encrypted) {
        r->state = TNTP_REC_ENCRYPTED;
    } else {
        r->state = TNTP_REC_CLEAR;
    }
    if (plain && plain_len)
        r->plain = plain; /* kept in file scope (opt.keep) */
    r->plain_len = plain_len;
    if (r->state == TNTP_REC_CLEAR)
        r->plain_len = rec->length;
    if (ev->has_alert) {
        r->has_alert = true;
        r->alert_level = (uint8_t)ev->alert.level.v;
        r->alert_desc = (uint8_t)ev->alert.description.v;
    }
    *g->chunk->recs_tail = r;
    g->chunk->recs_tail = &r->next;
    /* Missing keys: once per epoch and direction, at its first record. */
    if (r->state == TNTP_REC_ENCRYPTED && g->no_keys_epoch[dir] != r->epoch + 1) {
        g->no_keys_epoch[dir] = r->epoch + 1;
        char *t = g_strdup_printf("no keys for the %s's records under the keys of handshake %u: "
                                  "not decrypted (key log, Decryption Secrets or RSA key needed)",
                                  dir == TNT_C2S ? "client" : "server", r->epoch);
        add_chunk_note(g, -2, 1, t, r->stream_off);
        g_free(t);
    }
    g->cur_rec[dir] = r;
    if (rec->type == TNT_CT_HANDSHAKE) {
        if (r->state == TNTP_REC_CLEAR)
            frame_handshake(g, dir, r, rec->body, rec->length);
        else if (r->plain)
            frame_handshake(g, dir, r, r->plain, r->plain_len);
    }
}

/* Info column text for a message, in Wireshark's words for TLS ones. */
static const char *summary(const tnt_codepoints *cp, const tnt_hs_msg *m, bool from_server)
{
    if (m->type == cp->hs_negotiation && m->decoded) {
        const tnt_negotiation *n = &m->u.tnt_negotiation;
        GString *s = g_string_new(NULL);
        g_string_printf(s, "TNT round %u (%s): ", n->round.v, from_server ? "server" : "client");
        for (uint32_t i = 0; i < n->n_credentials; i++)
            g_string_append_printf(s, "%s%.*s", i ? " + " : "", (int)n->credentials[i].type.len,
                                   (const char *)n->credentials[i].type.p);
        if (n->n_credentials == 0) {
            for (uint32_t i = 0; i < n->n_policies; i++)
                g_string_append_printf(s, "%s%.*s", i ? ", " : "policy for ",
                                       (int)n->policies[i].target_name.len,
                                       (const char *)n->policies[i].target_name.p);
            if (n->n_policies == 0)
                g_string_append(s, "nothing");
        } else if (n->n_policies) {
            g_string_append_printf(s, ", %u polic%s", n->n_policies,
                                   n->n_policies == 1 ? "y" : "ies");
        }
        if (n->status.v != TNT_STATUS_CONTINUE)
            g_string_append_printf(s, " [%s]", tnt_status_name(n->status.v));
        const char *r = fs_strdup(s->str);
        g_string_free(s, TRUE);
        return r;
    }
    if (m->type == cp->hs_proof)
        return "TNT proof";
    switch (m->type) {
    case TNT_HS_HELLO_REQUEST:
        return "Hello Request";
    case TNT_HS_CLIENT_HELLO:
        return "Client Hello";
    case TNT_HS_SERVER_HELLO:
        return "Server Hello";
    case TNT_HS_NEW_SESSION_TICKET:
        return "New Session Ticket";
    case TNT_HS_CERTIFICATE:
        return "Certificate";
    case TNT_HS_SERVER_KEY_EXCHANGE:
        return "Server Key Exchange";
    case TNT_HS_CERTIFICATE_REQUEST:
        return "Certificate Request";
    case TNT_HS_SERVER_HELLO_DONE:
        return "Server Hello Done";
    case TNT_HS_CERTIFICATE_VERIFY:
        return "Certificate Verify";
    case TNT_HS_CLIENT_KEY_EXCHANGE:
        return "Client Key Exchange";
    case TNT_HS_FINISHED:
        return "Finished";
    case TNT_HS_CERTIFICATE_STATUS:
        return "Certificate Status";
    default:
        return fs_strdup(tnt_handshake_type_name(cp, m->type));
    }
}

static void ev_message(void *user, tnt_dir dir, const tnt_message_event *ev)
{
    tnt_glue_conn *g = user;
    if (!g->chunk || !ev->msg || !ev->piece)
        return;
    const tnt_hs_msg *m = ev->msg;
    const tnt_hs_piece *p = ev->piece;
    const tnt_codepoints *cp = &g->cp;

    if (m->type == TNT_HS_CLIENT_HELLO && m->decoded && g->master_secret &&
        m->u.client_hello.random.len == 32) {
        uint8_t ms[48];
        const uint8_t *cr = m->u.client_hello.random.p;
        if (!tnt_keylog_master_secret(g->opt.keys->keylog, cr, ms) && g->master_secret(cr, ms))
            tnt_keylog_add(g->opt.keys->keylog, TNT_KL_CLIENT_RANDOM, cr, 32, ms, 48);
    }

    /* The message the record framing (frame_handshake) saw complete; lib/
     * drops a partial message at a key change or a gap, so stale ones are
     * passed over. */
    tntp_msg_info *mi = NULL;
    GQueue *q = g->done[dir];
    while (!g_queue_is_empty(q)) {
        tntp_msg_info *h = g_queue_pop_head(q);
        if (h->expected_len == p->raw_len && h->type == m->type) {
            mi = h;
            break;
        }
    }
    if (!mi) {
        /* framing lost track: the message still shows, at the record that
         * completed it */
        mi = wmem_new0(wmem_file_scope(), tntp_msg_info);
        mi->expected_len = p->raw_len;
        tntp_rec_info *r = g->cur_rec[dir];
        if (r && p->n_records == 1 && r->plain_len >= p->first_body_off + p->raw_len) {
            if (!r->frags)
                r->frags = wmem_array_new(wmem_file_scope(), sizeof(tntp_fragment));
            tntp_fragment f = {mi, p->first_body_off, p->raw_len, 0};
            wmem_array_append_one(r->frags, f);
        }
    }
    mi->type = m->type;
    mi->from_server = dir == TNT_S2C;
    mi->version = ev->ctx.version;
    mi->suite = ev->ctx.suite;
    mi->decoded = m; /* kept in file scope (opt.keep), with its bytes */
    mi->hs_index = ev->handshake;
    mi->epoch = ev->epoch;
    mi->raw = m->raw;
    mi->raw_len = p->raw_len;
    mi->n_records = p->n_records;
    mi->frame = g->frame;
    mi->summary = summary(cp, m, dir == TNT_S2C);
    if (m->type == cp->hs_negotiation && m->decoded) {
        const tnt_negotiation *n = &m->u.tnt_negotiation;
        mi->round = n->round.v;
        mi->n_creds = n->n_credentials;
        mi->cred_types = wmem_alloc0_array(wmem_file_scope(), const char *, n->n_credentials + 1);
        for (uint32_t i = 0; i < n->n_credentials; i++)
            mi->cred_types[i] =
                wmem_strndup(wmem_file_scope(), (const char *)n->credentials[i].type.p,
                             n->credentials[i].type.len);
    }
    mi->cp = &g->cp;
    g_hash_table_insert(g->by_seq, GUINT_TO_POINTER((guint)ev->seq), mi);
}

static void ev_diag(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t off, const char *text)
{
    tnt_glue_conn *g = user;
    int k = kind == TNT_DIAG_KEYS      ? -2
            : kind == TNT_DIAG_DECRYPT ? -3
            : kind == TNT_DIAG_DECODE  ? -4
            : kind == TNT_DIAG_GAP     ? -5
                                       : -1;
    add_chunk_note(g, k, kind == TNT_DIAG_SKIPPED ? 0 : 1, text, off);
}

static tntp_verdict *snapshot(tnt_glue_conn *g, const tnt_nego_hs *h)
{
    tntp_verdict *v = wmem_new0(wmem_file_scope(), tntp_verdict);
    v->hs_index = h->index;
    v->outcome = tnt_nego_outcome_text(h);
    v->final = h->outcome == TNT_OUTCOME_SUCCESS || h->outcome == TNT_OUTCOME_FAILURE;
    v->completed = h->completed;
    v->trust = h->trust_established;
    v->insecure = h->insecure;
    v->reason = fs_strdup(h->reason);
    v->n_creds = h->n_creds;
    v->creds = wmem_alloc0_array(wmem_file_scope(), tntp_verdict_cred, h->n_creds ? h->n_creds : 1);
    for (uint32_t i = 0; i < h->n_creds; i++) {
        const tnt_nego_cred *c = &h->creds[i];
        tntp_verdict_cred *o = &v->creds[i];
        o->round = c->round;
        o->index = c->index;
        o->type = fs_strdup(c->type);
        o->subject = fs_strdup(c->subject);
        o->issuer = fs_strdup(c->issuer);
        /* lib/ sets the reason once it has judged the proof: before that
         * (its TNTProof still to come) it is pending, not "unchecked". */
        o->proof = fs_strdup(c->proof_reason ? tnt_proof_result_name(c->proof) : "pending");
        o->proof_reason = fs_strdup(c->proof_reason);
        o->chain = fs_strdup(tnt_chain_status_name(c->chain));
        o->chain_reason = fs_strdup(c->chain_reason);
    }
    v->n_policies = h->n_policies;
    v->policies = wmem_alloc0_array(wmem_file_scope(), tntp_verdict_policy,
                                    h->n_policies ? h->n_policies : 1);
    for (uint32_t i = 0; i < h->n_policies; i++) {
        const tnt_nego_policy *p = &h->policies[i];
        tntp_verdict_policy *o = &v->policies[i];
        o->round = p->round;
        o->target = fs_strdup(p->target);
        o->expression = fs_strdup(p->expression);
        /* Policies are judged with the handshake's verdict (a later
         * disclosure or lost bytes can still change them): before it, a
         * snapshot says so rather than "not satisfied". */
        if (!h->finalized) {
            o->verdict = "pending";
            continue;
        }
        tnt_policy_status st = tnt_nego_policy_status(p);
        const char *text = tnt_policy_status_text(st);
        o->verdict = fs_strdup(text ? text : tnt_policy_status_id(st));
        o->reason = fs_strdup(tnt_nego_policy_failing(p) ? tnt_nego_policy_failing(p) : p->reason);
        o->satisfied_in = p->satisfied_in_round;
    }
    if (h->linked) {
        int64_t key = (int64_t)(h->link.conn_id << 16 | h->link.handshake);
        gpointer f = g_hash_table_lookup(run->established, &key);
        v->resumes_frame = GPOINTER_TO_UINT(f);
        v->resumes_conn = h->link.conn_id;
    }
    return v;
}

static void place_note(tnt_glue_conn *g, tntp_note *n, uint64_t msg_seq, tnt_span at)
{
    tntp_msg_info *m =
        msg_seq ? g_hash_table_lookup(g->by_seq, GUINT_TO_POINTER((guint)msg_seq)) : NULL;
    /* At its bytes when the message is shown in this frame; otherwise at
     * the frame where it became certain, with its text saying where. */
    if (m && m->frame == g->frame) {
        n->msg = m;
        n->at_off = at.off;
        n->at_len = at.len;
    }
}

/* Each verdict of lib/'s negotiation model, as soon as the bytes decide it:
 * kept with the message or record that decided it. */
static void ev_verdict(void *user, const tnt_verdict_event *ev)
{
    tnt_glue_conn *g = user;
    if (!g->chunk)
        return;
    if (ev->kind == TNT_VERDICT_VIOLATION && ev->violation) {
        const tnt_violation *v = ev->violation;
        char *text = g_strdup_printf("%s (%s): %s", tnt_viol_code_name(v->code),
                                     tnt_severity_name(v->severity), v->message);
        tntp_note *n = add_chunk_note(g, (int)v->code, (int)v->severity, text, UINT64_MAX);
        g_free(text);
        if (n)
            place_note(g, n, v->msg_seq, v->at);
        return;
    }
    if (ev->kind == TNT_VERDICT_NOTE && ev->note) {
        tntp_note *n = add_chunk_note(g, -1, 0, ev->note->text, UINT64_MAX);
        if (n)
            place_note(g, n, ev->note->msg_seq, ev->note->at);
        return;
    }
    const tnt_nego_hs *h = ev->hs;
    if (!h || !(h->has_negotiation || h->linked || ev->kind == TNT_VERDICT_HANDSHAKE))
        return;
    tntp_verdict *v = snapshot(g, h);
    if (ev->kind == TNT_VERDICT_OUTCOME && h->index < 64 &&
        !(g->counted & (UINT64_C(1) << h->index))) {
        g->counted |= UINT64_C(1) << h->index;
        v->first_final = true;
    }
    if (ev->kind == TNT_VERDICT_HANDSHAKE && h->trust_established) {
        int64_t *key = g_new(int64_t, 1);
        *key = (int64_t)(g->conn_id << 16 | h->index);
        if (!g_hash_table_contains(run->established, key))
            g_hash_table_insert(run->established, key, GUINT_TO_POINTER(g->frame));
        else
            g_free(key);
    }
    /* A handshake without TNT shows only a resumption link or nothing. */
    if (!h->has_negotiation && !h->linked)
        return;
    tntp_verdict **slot = NULL;
    if (ev->cause == TNT_CAUSE_MESSAGE) {
        tntp_msg_info *m = g_hash_table_lookup(g->by_seq, GUINT_TO_POINTER((guint)ev->msg_seq));
        if (m)
            slot = &m->verdict;
    } else if (ev->cause == TNT_CAUSE_ALERT || ev->cause == TNT_CAUSE_CCS ||
               ev->cause == TNT_CAUSE_RECORD) {
        for (tntp_rec_info *r = g->chunk->recs; r; r = r->next)
            if (r->stream_off == ev->record_off && r->dir == (int)ev->dir)
                slot = &r->verdict;
    }
    if (!slot)
        slot = &g->chunk->verdict;
    /* Several verdicts at one place: the latest knows everything earlier
     * ones did; the stats count an outcome once. */
    if (*slot && (*slot)->first_final)
        v->first_final = true;
    *slot = v;
}

static const tnt_conn_events glue_events = {ev_record, ev_message, ev_diag, ev_verdict};

tnt_glue_conn *tnt_glue_conn_new(const tnt_glue_keysrc *keys, uint64_t conn_id)
{
    run_state *rs = run_get(keys);
    tnt_glue_conn *g = g_new0(tnt_glue_conn, 1);
    g->opt.keys = rs->keys;
    g->opt.decrypt_app_data = true;
    g->opt.negotiation = true;
    g->opt.sessions = rs->sessions;
    g->opt.certs = rs->certs;
    g->opt.anchors = rs->have_anchors ? &rs->anchors : NULL;
    g->opt.conn_id = conn_id;
    g->opt.keep = &fs_allocator;
    g->conn_id = conn_id;
    g->cp = pref_cp;
    g->opt.codepoints = &g->cp;
    g->master_secret = keys->master_secret;
    g->done[0] = g_queue_new();
    g->done[1] = g_queue_new();
    g->by_seq = g_hash_table_new(g_direct_hash, g_direct_equal);
    g->conn = tnt_conn_new(&glue_events, g, &g->opt);
    if (!g->conn) {
        tnt_glue_conn_free(g);
        return NULL;
    }
    return g;
}

void tnt_glue_conn_free(tnt_glue_conn *g)
{
    if (!g)
        return;
    if (g->conn)
        tnt_conn_free(g->conn);
    g_queue_free(g->done[0]);
    g_queue_free(g->done[1]);
    g_hash_table_destroy(g->by_seq);
    g_free(g);
}

void tnt_glue_feed(tnt_glue_conn *g, int dir, uint32_t frame, const uint8_t *data, size_t len,
                   tntp_chunk *chunk)
{
    g->chunk = chunk;
    g->frame = frame;
    tnt_conn_set_frame(g->conn, frame);
    tnt_conn_feed(g->conn, (tnt_dir)dir, data, len);
    g->chunk = NULL;
}

void tnt_glue_gap(tnt_glue_conn *g, int dir, uint32_t frame, uint64_t n, tntp_chunk *chunk)
{
    /* lib/'s record and handshake layers resynchronise; the framing here
     * starts afresh as well. */
    g->cur[dir] = NULL;
    g->have[dir] = 0;
    g->chunk = chunk;
    g->frame = frame;
    tnt_conn_set_frame(g->conn, frame);
    tnt_conn_gap(g->conn, (tnt_dir)dir, n);
    g->chunk = NULL;
}

/* ---- message trees ----------------------------------------------------------- */

static proto_item *add_u(proto_tree *t, int hf, tvbuff_t *tvb, tnt_uint u)
{
    return proto_tree_add_uint(t, hf, tvb, u.at.off, u.at.len, u.v);
}

static proto_item *add_u_named(proto_tree *t, int hf, tvbuff_t *tvb, tnt_uint u, const char *name)
{
    return proto_tree_add_uint_format_value(t, hf, tvb, u.at.off, u.at.len, u.v, "%s (%u)",
                                            name ? name : "unknown", u.v);
}

static proto_item *add_b(proto_tree *t, int hf, tvbuff_t *tvb, tnt_bytes b)
{
    return proto_tree_add_item(t, hf, tvb, b.at.off, b.at.len, ENC_NA);
}

static proto_item *add_s(proto_tree *t, int hf, tvbuff_t *tvb, tnt_bytes b)
{
    return proto_tree_add_item(t, hf, tvb, b.at.off, b.at.len, ENC_UTF_8);
}

/* The length prefix of a field: what its span with the prefix (whole) has
 * in front of its body. */
static void add_len(proto_tree *t, int hf, tvbuff_t *tvb, tnt_span whole, tnt_span body)
{
    if (body.off > whole.off && body.off - whole.off <= 4)
        proto_tree_add_item(t, hf, tvb, whole.off, body.off - whole.off, ENC_BIG_ENDIAN);
}

/* Violations and notes about this message, at the bytes at fault. */
static void add_notes_at(const tntp_note *notes, const tntp_msg_info *mi, tvbuff_t *tvb,
                         packet_info *pinfo, proto_tree *t)
{
    for (const tntp_note *n = notes; n; n = n->next) {
        if (n->msg != mi)
            continue;
        uint32_t off = n->at_len ? n->at_off : 0, len = n->at_len ? n->at_len : mi->raw_len;
        if (off > mi->raw_len || len > mi->raw_len - off) {
            off = 0;
            len = mi->raw_len;
        }
        proto_tree_add_expert_format(t, pinfo, tnt_glue_note_expert(n), tvb, off, len, "%s",
                                     n->text);
    }
}

static void hidden(proto_item *it)
{
    if (it)
        proto_item_set_hidden(it);
}

/* Protocols that can put fields inside a certificate: BER, the expert
 * pseudo-protocol, and every dissector of the "ber.oid" table (X.509's own
 * and each extension's). Collected at the first use, after every handoff
 * has registered its OIDs. */
static GArray *cert_protos;
static int expert_tap = -1;

static void add_cert_proto(GArray *a, int id)
{
    if (id < 0)
        return;
    for (guint i = 0; i < a->len; i++)
        if (g_array_index(a, int, i) == id)
            return;
    g_array_append_val(a, id);
}

static void collect_oid_proto(const gchar *table, ftenum_t type, gpointer key, gpointer value,
                              gpointer user)
{
    (void)table;
    (void)type;
    (void)key;
    dissector_handle_t h = dtbl_entry_get_handle(value);
    if (h)
        add_cert_proto(user, dissector_handle_get_protocol_index(h));
}

/* Whether anything will read what the X.509 dissector adds for a credential:
 * a tree on screen (or -V, JSON, PDML), a filter, column or tap naming a
 * field of one of those protocols, real protocols wanted (-z io,phs), or an
 * expert tap. Stock tshark never sees TNT credentials (they are inside
 * encrypted TNT messages), so dissecting them when nothing reads the result
 * was the plugin's largest extra cost on `tshark -q` (bench/RESULTS_PLUGIN.md).
 * The TLS Certificate message is dissected always, as TLS does. */
static bool credential_certs_wanted(proto_tree *t)
{
    if (!t)
        return false;
    if (!cert_protos) {
        cert_protos = g_array_new(FALSE, FALSE, sizeof(int));
        add_cert_proto(cert_protos, proto_get_id_by_filter_name("ber"));
        add_cert_proto(cert_protos, proto_get_id_by_filter_name("_ws.expert"));
        add_cert_proto(cert_protos, proto_get_id_by_filter_name("x509af"));
        dissector_table_foreach("ber.oid", collect_oid_proto, cert_protos);
        expert_tap = find_tap_id("expert");
    }
    if (expert_tap >= 0 && have_tap_listener(expert_tap))
        return true;
    for (guint i = 0; i < cert_protos->len; i++)
        if (proto_field_is_referenced(t, g_array_index(cert_protos, int, i)))
            return true;
    return false;
}

static void dissect_x509(tvbuff_t *tvb, tnt_bytes der, packet_info *pinfo, proto_tree *t)
{
    /* Wireshark's own X.509 dissector, through BER's OID table
     * (id-at-userCertificate is registered to dissect a Certificate). */
    proto_item *ci = add_b(t, tnt_id.cert, tvb, der);
    proto_tree *ct = proto_item_add_subtree(ci, tnt_id.ett_certs);
    tvbuff_t *sub = tvb_new_subset_length(tvb, der.at.off, der.at.len);
    dissector_table_t ber_oid = find_dissector_table("ber.oid");
    if (ber_oid)
        dissector_try_string(ber_oid, "2.5.4.36", sub, pinfo, ct, NULL);
}

static void dissect_extensions(const tnt_codepoints *cp, const tnt_extensions *e, tvbuff_t *tvb,
                               packet_info *pinfo, proto_tree *t)
{
    add_u(t, tnt_id.ext_len, tvb, e->length);
    for (uint32_t i = 0; i < e->n; i++) {
        const tnt_extension *x = &e->v[i];
        uint32_t start = x->type.at.off;
        uint32_t end = x->data.at.off + x->data.at.len;
        proto_item *xi = proto_tree_add_none_format(
            t, tnt_id.ext, tvb, start, end - start, "Extension: %s (len=%u)",
            tnt_extension_name(cp, (uint16_t)x->type.v), x->length.v);
        proto_tree *xt = proto_item_add_subtree(xi, tnt_id.ett_ext);
        add_u_named(xt, tnt_id.ext_type, tvb, x->type, tnt_extension_name(cp, (uint16_t)x->type.v));
        if (tnt_id.tls_ext_type > 0)
            hidden(add_u(xt, tnt_id.tls_ext_type, tvb, x->type));
        add_u(xt, tnt_id.ext_length, tvb, x->length);
        if (!x->decoded) {
            if (x->data.len)
                add_b(xt, tnt_id.ext_data, tvb, x->data);
            if (x->err.what)
                expert_add_info_format(pinfo, xi, &tnt_id.ei_malformed, "%s", x->err.what);
            continue;
        }
        switch (x->kind) {
        case TNT_EXTK_TNT: {
            const tnt_tnt_ext *te = &x->u.tnt;
            add_u(xt, tnt_id.ext_version, tvb, te->version);
            if (!te->known_version)
                break;
            add_u_named(xt, tnt_id.ext_mode, tvb, te->mode, tnt_mode_name(te->mode.v));
            for (uint32_t j = 0; j < te->strategies.n; j++)
                add_u_named(xt, tnt_id.ext_strategy, tvb, te->strategies.v[j],
                            tnt_strategy_name(te->strategies.v[j].v));
            for (uint32_t j = 0; j < te->languages.n; j++)
                add_u_named(xt, tnt_id.ext_language, tvb, te->languages.v[j],
                            tnt_language_name(te->languages.v[j].v));
            break;
        }
        case TNT_EXTK_SERVER_NAME:
            for (uint32_t j = 0; j < x->u.sni.n; j++)
                add_s(xt, tnt_id.sni, tvb, x->u.sni.names[j].name);
            break;
        case TNT_EXTK_ALPN:
            for (uint32_t j = 0; j < x->u.alpn.n; j++)
                add_s(xt, tnt_id.alpn, tvb, x->u.alpn.protocols[j]);
            break;
        case TNT_EXTK_SUPPORTED_GROUPS:
            for (uint32_t j = 0; j < x->u.groups.n; j++)
                add_u_named(xt, tnt_id.group, tvb, x->u.groups.v[j],
                            tnt_group_name((uint16_t)x->u.groups.v[j].v));
            break;
        case TNT_EXTK_SIGNATURE_ALGORITHMS:
            for (uint32_t j = 0; j < x->u.sig_algs.n; j++)
                add_u_named(xt, tnt_id.sigalg, tvb, x->u.sig_algs.v[j],
                            tnt_sigscheme_name((uint16_t)x->u.sig_algs.v[j].v));
            break;
        case TNT_EXTK_SUPPORTED_VERSIONS:
            if (x->u.supported_versions.is_list) {
                for (uint32_t j = 0; j < x->u.supported_versions.list.n; j++)
                    add_u(xt, tnt_id.supported_version, tvb, x->u.supported_versions.list.v[j]);
            } else {
                add_u(xt, tnt_id.supported_version, tvb, x->u.supported_versions.selected);
            }
            break;
        case TNT_EXTK_RENEGOTIATION_INFO:
            add_b(xt, tnt_id.reneg_info, tvb, x->u.renegotiation_info);
            break;
        default:
            if (x->data.len)
                add_b(xt, tnt_id.ext_data, tvb, x->data);
            break;
        }
    }
}

static void add_text(proto_tree *t, int hf, tvbuff_t *tvb, const char *s)
{
    if (s)
        proto_item_set_generated(proto_tree_add_string(t, hf, tvb, 0, 0, s));
}

void tnt_glue_dissect_verdict(const tntp_verdict *v, tvbuff_t *tvb, proto_tree *t)
{
    proto_item *vi = proto_tree_add_string_format(t, tnt_id.outcome, tvb, 0, 0, v->outcome,
                                                  "Handshake %u negotiation: %s%s", v->hs_index,
                                                  v->outcome, v->final ? "" : " (so far)");
    proto_item_set_generated(vi);
    proto_tree *vt = proto_item_add_subtree(vi, tnt_id.ett_verdict);
    proto_item_set_generated(proto_tree_add_uint(vt, tnt_id.verdict_hs, tvb, 0, 0, v->hs_index));
    /* Trust needs the Finished messages (spec section 7); a failure
     * settles it earlier. */
    if (v->completed || (v->final && !v->trust && v->reason)) {
        proto_item_set_generated(proto_tree_add_boolean(vt, tnt_id.trust, tvb, 0, 0, v->trust));
        if (v->trust)
            proto_item_set_generated(
                proto_tree_add_boolean(vt, tnt_id.insecure, tvb, 0, 0, v->insecure));
    }
    if (v->final)
        add_text(vt, tnt_id.reason, tvb, v->reason);
    if (v->resumes_frame)
        proto_item_set_generated(
            proto_tree_add_uint(vt, tnt_id.resumes, tvb, 0, 0, v->resumes_frame));
    if (v->resumes_conn)
        proto_item_set_generated(
            proto_tree_add_uint64(vt, tnt_id.resumes_conn, tvb, 0, 0, v->resumes_conn));
    for (uint32_t i = 0; i < v->n_policies; i++) {
        const tntp_verdict_policy *p = &v->policies[i];
        proto_item *pi = proto_tree_add_string_format(
            vt, tnt_id.policy_verdict, tvb, 0, 0, p->verdict, "Policy (round %u) %s: %s", p->round,
            p->target ? p->target : "", p->verdict);
        proto_item_set_generated(pi);
        proto_tree *pt = proto_item_add_subtree(pi, tnt_id.ett_policy);
        if (p->satisfied_in)
            proto_item_set_generated(
                proto_tree_add_uint(pt, tnt_id.policy_satisfied_in, tvb, 0, 0, p->satisfied_in));
        add_text(pt, tnt_id.reason, tvb, p->reason);
    }
    for (uint32_t i = 0; i < v->n_creds; i++) {
        const tntp_verdict_cred *c = &v->creds[i];
        proto_item *ci = proto_tree_add_string_format(
            vt, tnt_id.cred_proof_status, tvb, 0, 0, c->proof,
            "Credential (round %u, #%u) %s: proof %s, chain %s", c->round, c->index,
            c->type ? c->type : "", c->proof, c->chain);
        proto_item_set_generated(ci);
        proto_tree *ct = proto_item_add_subtree(ci, tnt_id.ett_cred);
        add_text(ct, tnt_id.proof_status, tvb, c->proof);
        add_text(ct, tnt_id.reason, tvb, c->proof_reason);
        add_text(ct, tnt_id.cred_chain_status, tvb, c->chain);
        add_text(ct, tnt_id.cred_subject, tvb, c->subject);
        add_text(ct, tnt_id.cred_issuer, tvb, c->issuer);
    }
}

proto_item *tnt_glue_dissect_message(const tntp_msg_info *mi, tvbuff_t *tvb, packet_info *pinfo,
                                     proto_tree *tree, const tntp_note *notes)
{
    /* The message as lib/ decoded it on the first pass (kept in file
     * scope); decoded again only when the first pass had no event for it. */
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg m;
    bool ok;
    if (mi->decoded) {
        m = *(const tnt_hs_msg *)mi->decoded;
        ok = m.err.what == NULL;
    } else {
        tnt_hs_ctx ctx = {mi->version, mi->suite, mi->from_server, mi->cp};
        ok = tnt_hs_decode(tvb_get_ptr(tvb, 0, mi->raw_len), mi->raw_len, &ctx, &a, &m);
    }
    const tnt_codepoints *cp = tnt_codepoints_or_default(mi->cp);

    proto_item *hi =
        proto_tree_add_none_format(tree, tnt_id.hs, tvb, 0, mi->raw_len, "Handshake Protocol: %s",
                                   mi->summary ? mi->summary : "");
    proto_tree *ht = proto_item_add_subtree(hi, tnt_id.ett_hs);
    add_u_named(ht, tnt_id.hs_type, tvb, m.type_f, tnt_handshake_type_name(cp, m.type));
    if (tnt_id.tls_hs_type > 0)
        hidden(add_u(ht, tnt_id.tls_hs_type, tvb, m.type_f));
    add_u(ht, tnt_id.hs_length, tvb, m.length_f);
    if (!ok) {
        expert_add_info_format(pinfo, hi, &tnt_id.ei_malformed, "%s at byte %u of the message",
                               m.err.what ? m.err.what : "malformed", m.err.off);
        tnt_arena_free(&a);
        add_notes_at(notes, mi, tvb, pinfo, ht);
        return hi;
    }
    if (!m.decoded) {
        if (m.body_at.len)
            proto_tree_add_item(ht, tnt_id.unknown_body, tvb, m.body_at.off, m.body_at.len, ENC_NA);
        expert_add_info(pinfo, hi, &tnt_id.ei_undecoded);
        tnt_arena_free(&a);
        add_notes_at(notes, mi, tvb, pinfo, ht);
        return hi;
    }
    if (m.type == TNT_HS_CLIENT_HELLO || m.type == TNT_HS_SERVER_HELLO) {
        bool ch = m.type == TNT_HS_CLIENT_HELLO;
        tnt_uint ver = ch ? m.u.client_hello.version : m.u.server_hello.version;
        tnt_bytes rnd = ch ? m.u.client_hello.random : m.u.server_hello.random;
        tnt_bytes sid = ch ? m.u.client_hello.session_id : m.u.server_hello.session_id;
        add_u_named(ht, tnt_id.version, tvb, ver, tnt_version_name((uint16_t)ver.v));
        add_b(ht, tnt_id.random, tvb, rnd);
        if (tnt_id.tls_random > 0)
            hidden(add_b(ht, tnt_id.tls_random, tvb, rnd));
        add_len(ht, tnt_id.session_id_len, tvb, sid.whole, sid.at);
        if (sid.len) {
            add_b(ht, tnt_id.session_id, tvb, sid);
            if (tnt_id.tls_session_id > 0)
                hidden(add_b(ht, tnt_id.tls_session_id, tvb, sid));
        }
        if (ch) {
            const tnt_client_hello *c = &m.u.client_hello;
            add_len(ht, tnt_id.suites_len, tvb, c->suites_whole, c->suites_at);
            proto_item *si = proto_tree_add_none_format(ht, tnt_id.suites_list, tvb,
                                                        c->suites_at.off, c->suites_at.len,
                                                        "Cipher Suites (%u suites)", c->n_suites);
            proto_tree *st = proto_item_add_subtree(si, tnt_id.ett_suites);
            for (uint32_t i = 0; i < c->n_suites; i++) {
                add_u_named(st, tnt_id.suite, tvb, c->suites[i],
                            tnt_suite_name((uint16_t)c->suites[i].v));
                if (tnt_id.tls_suite > 0)
                    hidden(add_u(st, tnt_id.tls_suite, tvb, c->suites[i]));
            }
            add_len(ht, tnt_id.comp_len, tvb, c->compressions_whole, c->compressions_at);
            for (uint32_t i = 0; i < c->n_compressions; i++)
                add_u(ht, tnt_id.comp, tvb, c->compressions[i]);
            if (c->has_extensions)
                dissect_extensions(cp, &c->ext, tvb, pinfo, ht);
        } else {
            const tnt_server_hello *s = &m.u.server_hello;
            add_u_named(ht, tnt_id.suite, tvb, s->suite, tnt_suite_name((uint16_t)s->suite.v));
            if (tnt_id.tls_suite > 0)
                hidden(add_u(ht, tnt_id.tls_suite, tvb, s->suite));
            add_u(ht, tnt_id.comp, tvb, s->compression);
            if (s->has_extensions)
                dissect_extensions(cp, &s->ext, tvb, pinfo, ht);
        }
    } else if (m.type == TNT_HS_CERTIFICATE) {
        const tnt_certificate *c = &m.u.certificate;
        add_len(ht, tnt_id.certs_len, tvb, c->list_whole, c->list_at);
        for (uint32_t i = 0; i < c->n_certs; i++) {
            add_len(ht, tnt_id.cert_len, tvb, c->certs[i].der.whole, c->certs[i].der.at);
            dissect_x509(tvb, c->certs[i].der, pinfo, ht);
        }
    } else if (m.type == TNT_HS_SERVER_KEY_EXCHANGE) {
        const tnt_server_key_exchange *s = &m.u.ske;
        add_b(ht, tnt_id.ske_params, tvb, s->raw);
        if (s->signed_params) {
            if (s->sig.has_algorithm)
                add_u_named(ht, tnt_id.sig_scheme, tvb, s->sig.scheme,
                            tnt_sigscheme_name((uint16_t)s->sig.scheme.v));
            add_b(ht, tnt_id.signature, tvb, s->sig.signature);
        }
    } else if (m.type == TNT_HS_CERTIFICATE_REQUEST) {
        const tnt_certificate_request *r = &m.u.cert_request;
        for (uint32_t i = 0; i < r->n_cert_types; i++)
            add_u(ht, tnt_id.cert_types, tvb, r->cert_types[i]);
        for (uint32_t i = 0; i < r->n_sig_algs; i++)
            add_u_named(ht, tnt_id.sigalg, tvb, r->sig_algs[i],
                        tnt_sigscheme_name((uint16_t)r->sig_algs[i].v));
        for (uint32_t i = 0; i < r->n_cas; i++)
            add_b(ht, tnt_id.ca_dn, tvb, r->cas[i]);
    } else if (m.type == TNT_HS_CLIENT_KEY_EXCHANGE) {
        add_b(ht, tnt_id.cke_data, tvb, m.u.cke.raw);
    } else if (m.type == TNT_HS_CERTIFICATE_VERIFY) {
        if (m.u.cert_verify.sig.has_algorithm)
            add_u_named(ht, tnt_id.sig_scheme, tvb, m.u.cert_verify.sig.scheme,
                        tnt_sigscheme_name((uint16_t)m.u.cert_verify.sig.scheme.v));
        add_b(ht, tnt_id.signature, tvb, m.u.cert_verify.sig.signature);
    } else if (m.type == TNT_HS_FINISHED) {
        add_b(ht, tnt_id.verify_data, tvb, m.u.finished.verify_data);
    } else if (m.type == TNT_HS_NEW_SESSION_TICKET) {
        add_u(ht, tnt_id.ticket_lifetime, tvb, m.u.ticket.lifetime_hint);
        add_b(ht, tnt_id.ticket, tvb, m.u.ticket.ticket);
    } else if (m.type == TNT_HS_CERTIFICATE_STATUS) {
        add_b(ht, tnt_id.status_response, tvb, m.u.cert_status.response);
    } else if (m.type == cp->hs_negotiation) {
        const tnt_negotiation *n = &m.u.tnt_negotiation;
        add_u(ht, tnt_id.neg_round, tvb, n->round);
        add_u_named(ht, tnt_id.neg_status, tvb, n->status, tnt_status_name(n->status.v));
        add_len(ht, tnt_id.policies_len, tvb, n->policies_whole, n->policies_at);
        for (uint32_t i = 0; i < n->n_policies; i++) {
            const tnt_policy *p = &n->policies[i];
            proto_item *pi = proto_tree_add_none_format(
                ht, tnt_id.policy, tvb, p->at.off, p->at.len, "Policy: %s %s",
                tnt_target_kind_name(p->target_kind.v),
                format_text(pinfo->pool, p->target_name.p, p->target_name.len));
            proto_tree *pt = proto_item_add_subtree(pi, tnt_id.ett_policy);
            add_u_named(pt, tnt_id.policy_target_kind, tvb, p->target_kind,
                        tnt_target_kind_name(p->target_kind.v));
            add_s(pt, tnt_id.policy_target, tvb, p->target_name);
            add_u_named(pt, tnt_id.policy_language, tvb, p->language,
                        tnt_language_name(p->language.v));
            add_s(pt, tnt_id.policy_expression, tvb, p->expression);
        }
        add_len(ht, tnt_id.creds_len, tvb, n->credentials_whole, n->credentials_at);
        bool certs_wanted = n->n_credentials && credential_certs_wanted(ht);
        for (uint32_t i = 0; i < n->n_credentials; i++) {
            const tnt_credential *c = &n->credentials[i];
            proto_item *ci = proto_tree_add_none_format(
                ht, tnt_id.credential, tvb, c->at.off, c->at.len, "Credential #%u: %s", i,
                format_text(pinfo->pool, c->type.p, c->type.len));
            proto_tree *ct = proto_item_add_subtree(ci, tnt_id.ett_cred);
            add_s(ct, tnt_id.cred_type, tvb, c->type);
            add_len(ct, tnt_id.cred_chain_len, tvb, c->chain_whole, c->chain_at);
            for (uint32_t j = 0; j < c->n_certs; j++) {
                add_len(ct, tnt_id.cert_len, tvb, c->certs[j].whole, c->certs[j].at);
                if (certs_wanted)
                    dissect_x509(tvb, c->certs[j], pinfo, ct);
                else
                    add_b(ct, tnt_id.cert, tvb, c->certs[j]);
            }
        }
    } else if (m.type == cp->hs_proof) {
        const tnt_proof *p = &m.u.tnt_proof;
        add_len(ht, tnt_id.proofs_len, tvb, p->proofs_whole, p->proofs_at);
        for (uint32_t i = 0; i < p->n_proofs; i++) {
            const tnt_ownership_proof *o = &p->proofs[i];
            proto_item *oi = proto_tree_add_none_format(ht, tnt_id.proof, tvb, o->at.off, o->at.len,
                                                        "Ownership proof for credential #%u",
                                                        o->credential_index.v);
            proto_tree *ot = proto_item_add_subtree(oi, tnt_id.ett_proof);
            add_u(ot, tnt_id.proof_cred_index, tvb, o->credential_index);
            if (o->has_algorithm)
                add_u_named(ot, tnt_id.proof_algorithm, tvb, o->algorithm,
                            tnt_sigscheme_name((uint16_t)o->algorithm.v));
            add_b(ot, tnt_id.proof_signature, tvb, o->signature);
        }
    }
    if (mi->verdict)
        tnt_glue_dissect_verdict(mi->verdict, tvb, ht);
    tnt_arena_free(&a);
    add_notes_at(notes, mi, tvb, pinfo, ht);
    return hi;
}

const char *tnt_glue_content_type_name(uint8_t t)
{
    switch (t) {
    case 20:
        return "Change Cipher Spec";
    case 21:
        return "Alert";
    case 22:
        return "Handshake Protocol";
    case 23:
        return "Application Data";
    case 24:
        return "Heartbeat";
    default:
        return "Unknown";
    }
}

const char *tnt_glue_alert_name(uint8_t desc)
{
    return tnt_alert_description_name(desc);
}

const char *tnt_glue_alert_level_name(uint8_t level)
{
    return tnt_alert_level_name(level);
}

const char *tnt_glue_violation_name(int code)
{
    return tnt_viol_code_name((tnt_viol_code)code);
}
