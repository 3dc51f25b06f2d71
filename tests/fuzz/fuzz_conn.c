/* Fuzz target: one TLS connection (lib/conn.h), both directions, with
 * decryption keys loaded and the TNT negotiation model on - the whole path a
 * captured connection takes through tntdump, minus libpcap and TCP.
 *
 * Input: a flags byte, then chunks. Flags bit 0: decrypt application data;
 * bit 1: feed the whole connection a second time as a new connection sharing
 * the first one's session store (resumption lookups); bit 2: trust anchors
 * (the CAs of tests/data/pki) configured; bit 3: messages and plaintext kept
 * in the harness's own memory (options.keep), read again after the
 * connection is freed. Each chunk starts with a
 * header byte: bit 0 the direction (0 client-to-server); bit 1 set: a gap of
 * the next 2 bytes' worth of missing stream bytes; otherwise a 2-byte length
 * and that many stream bytes (fewer at the end of the input). Bit 2 starts a
 * new "packet" (frame number). tests/fuzz/make_seeds.py turns captures into
 * this format, so the seeds are real handshakes that the keys decrypt.
 *
 * Keys: the key logs and the RSA key of tests/data (TNT_FUZZ_DATA, or the
 * TNT_FUZZ_DATA_DIR the harness was built with), including reneg.keys, so
 * that inputs derived from reneg.pcapng decrypt and the renegotiation, the
 * Finished check and the decrypted-message paths run.
 *
 * Checked: no crash, sanitizer report, leak or hang; every buffer an event
 * hands out is readable for its full length; record offsets only grow;
 * every decoded message's spans lie inside it; each message's pieces are
 * its bytes; every span a verdict, violation, note, policy or credential
 * points at lies inside the message it names. */
#include "fuzz_keys.h"
#include "fuzz_spans.h"

#include "conn.h"
#include "negotiation.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_keys();
    return 0;
}

/* The harness's own memory for options.keep: freed after the connection. */
typedef struct kept_pool {
    void **blocks;
    size_t n, cap;
} kept_pool;

static void *pool_alloc(void *ctx, size_t size)
{
    kept_pool *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->blocks = realloc(p->blocks, p->cap * sizeof(*p->blocks));
        FUZZ_ASSERT(p->blocks);
    }
    void *b = malloc(size ? size : 1);
    FUZZ_ASSERT(b);
    return p->blocks[p->n++] = b;
}

static void pool_free(kept_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->blocks[i]);
    free(p->blocks);
}

typedef struct state {
    uint64_t last_off[2];
    bool any[2];
    unsigned records, decrypted, messages, diags;
    uint32_t *msg_len; /* raw_len of each message, by seq - 1 */
    uint64_t n_msg, cap_msg;
    struct kept_pool *pool; /* options.keep in use */
    struct kept_msg {
        const tnt_hs_msg *msg;
        tnt_hs_ctx ctx;
    } * kept;
    uint64_t n_kept;
} state;

/* span lies inside message seq (which must have been delivered). */
static void check_in_msg(const state *s, uint64_t seq, tnt_span at)
{
    FUZZ_ASSERT(seq >= 1 && seq <= s->n_msg);
    fuzz_check_span(at, s->msg_len[seq - 1]);
}

static void on_record(void *user, tnt_dir dir, const tnt_record_event *ev)
{
    state *s = user;
    const tnt_record *r = ev->rec;
    FUZZ_ASSERT(dir == TNT_C2S || dir == TNT_S2C);
    FUZZ_ASSERT(r->length <= TNT_MAX_RECORD_BODY + 2048);
    if (r->body) {
        fuzz_touch(r->raw, (size_t)r->header_len + r->length);
        FUZZ_ASSERT(r->body == r->raw + r->header_len);
    } else {
        /* Stepped over (rec_need_body): TLS 1.0-1.2 application data, read
         * by nothing, so neither decrypted nor readable. */
        fuzz_touch(r->raw, r->header_len);
        FUZZ_ASSERT(!r->sslv2 && r->type == TNT_CT_APPLICATION_DATA);
        FUZZ_ASSERT(!ev->decrypted && !ev->decrypt_failed && !ev->null_cipher && !ev->plain);
    }
    FUZZ_ASSERT(r->tail_len == (r->length < TNT_REC_TAIL ? r->length : TNT_REC_TAIL));
    fuzz_touch(r->tail, r->tail_len);
    if (s->any[dir])
        FUZZ_ASSERT(r->stream_off > s->last_off[dir]);
    s->last_off[dir] = r->stream_off;
    s->any[dir] = true;
    if (ev->decrypted || ev->null_cipher) {
        FUZZ_ASSERT(ev->plain_len <= 16384 + 2048);
        fuzz_touch(ev->plain, ev->plain_len);
    }
    FUZZ_ASSERT(!(ev->decrypted && ev->decrypt_failed));
    s->decrypted += ev->decrypted;
    s->records++;
}

static void on_message(void *user, tnt_dir dir, const tnt_message_event *ev)
{
    state *s = user;
    (void)dir;
    if (ev->msg) {
        FUZZ_ASSERT(ev->msg->raw_len == ev->msg->length + 4);
        fuzz_touch(ev->msg->raw, ev->msg->raw_len);
        fuzz_check_hs_msg(ev->msg);
    }
    if (ev->piece) {
        const tnt_hs_piece *p = ev->piece;
        fuzz_touch(p->raw, p->raw_len);
        uint64_t total = 0;
        FUZZ_ASSERT(p->n_parts >= 1 && p->n_parts <= p->n_records);
        for (uint32_t i = 0; i < p->n_parts; i++)
            total += p->parts[i].len;
        FUZZ_ASSERT(p->parts_complete ? total == p->raw_len : total < p->raw_len);
    }
    FUZZ_ASSERT(ev->seq == s->n_msg + 1);
    if (s->n_msg == s->cap_msg) {
        s->cap_msg = s->cap_msg ? 2 * s->cap_msg : 64;
        s->msg_len = realloc(s->msg_len, s->cap_msg * sizeof(*s->msg_len));
        FUZZ_ASSERT(s->msg_len);
    }
    s->msg_len[s->n_msg++] = ev->msg ? ev->msg->raw_len : 0;
    if (s->pool && ev->msg) {
        if ((s->n_kept & (s->n_kept - 1)) == 0) {
            s->kept = realloc(s->kept, (s->n_kept ? 2 * s->n_kept : 1) * sizeof(*s->kept));
            FUZZ_ASSERT(s->kept);
        }
        s->kept[s->n_kept++] = (struct kept_msg){ev->msg, ev->ctx};
    }
    /* 0 only for a HelloRequest before any handshake. */
    FUZZ_ASSERT(ev->handshake >= 1 || ev->sslv2 ||
                (ev->msg && ev->msg->type == TNT_HS_HELLO_REQUEST));
    s->messages++;
}

static void on_diag(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t off, const char *text)
{
    state *s = user;
    (void)dir;
    (void)kind;
    (void)off;
    FUZZ_ASSERT(text != NULL);
    fuzz_touch(text, strlen(text));
    s->diags++;
}

static void on_verdict(void *user, const tnt_verdict_event *ev)
{
    const state *s = user;
    if (ev->cause == TNT_CAUSE_MESSAGE)
        FUZZ_ASSERT(ev->msg_seq >= 1 && ev->msg_seq <= s->n_msg);
    if (ev->violation) {
        FUZZ_ASSERT(ev->kind == TNT_VERDICT_VIOLATION);
        if (ev->violation->msg_seq)
            check_in_msg(s, ev->violation->msg_seq, ev->violation->at);
        else
            FUZZ_ASSERT(ev->violation->at.len == 0);
    }
    if (ev->note && ev->note->msg_seq)
        check_in_msg(s, ev->note->msg_seq, ev->note->at);
    if (ev->kind != TNT_VERDICT_HANDSHAKE)
        return;
    const tnt_nego_hs *h = ev->hs;
    FUZZ_ASSERT(h && h->finalized);
    for (uint32_t i = 0; i < h->n_rounds; i++) {
        check_in_msg(s, h->rounds[i].msg_seq, h->rounds[i].creds_at);
        if (h->rounds[i].proof_msg_seq)
            FUZZ_ASSERT(h->rounds[i].proof_msg_seq > h->rounds[i].msg_seq);
    }
    for (uint32_t i = 0; i < h->n_policies; i++) {
        const tnt_nego_policy *q = &h->policies[i];
        check_in_msg(s, q->msg_seq, q->at);
        fuzz_check_within(q->target_at, q->at);
        fuzz_check_within(q->expression_at, q->at);
        FUZZ_ASSERT(q->msg_seq == h->rounds[q->round_index].msg_seq);
    }
    for (uint32_t i = 0; i < h->n_creds; i++) {
        const tnt_nego_cred *c = &h->creds[i];
        check_in_msg(s, c->msg_seq, c->at);
        fuzz_check_within(c->wire.type.whole, c->at);
        fuzz_check_within(c->wire.chain_whole, c->at);
        for (uint32_t j = 0; j < c->wire.n_certs; j++)
            fuzz_check_within(c->wire.certs[j].whole, c->wire.chain_at);
        if (c->proof_at.len)
            check_in_msg(s, c->proof_msg_seq, c->proof_at);
    }
}

static const tnt_conn_events events = {on_record, on_message, on_diag, on_verdict};

static void check_nego(const tnt_nego *n)
{
    if (!n)
        return;
    uint32_t count;
    const tnt_violation *v = tnt_nego_violations(n, &count);
    for (uint32_t i = 0; i < count; i++) {
        FUZZ_ASSERT(v[i].message && tnt_viol_code_name(v[i].code) &&
                    tnt_severity_name(v[i].severity));
        fuzz_touch(v[i].message, strlen(v[i].message));
    }
    const tnt_nego_note *notes = tnt_nego_notes(n, &count);
    for (uint32_t i = 0; i < count; i++) {
        FUZZ_ASSERT(notes[i].text);
        fuzz_touch(notes[i].text, strlen(notes[i].text));
    }
    uint32_t nh = tnt_nego_n_handshakes(n);
    for (uint32_t i = 0; i < nh; i++) {
        const tnt_nego_hs *h = tnt_nego_handshake(n, i);
        FUZZ_ASSERT(h != NULL);
        FUZZ_ASSERT(tnt_nego_outcome_name(h->outcome) != NULL);
        if (h->reason)
            fuzz_touch(h->reason, strlen(h->reason));
        if (h->target)
            fuzz_touch(h->target, strlen(h->target));
    }
}

static void run(const uint8_t *data, size_t size, tnt_keys *keys, tnt_session_store *store,
                uint64_t id)
{
    fuzz_in in = {data, size};
    uint32_t flags = fuzz_u8(&in);
    tnt_conn_options opt = {0};
    opt.keys = keys;
    opt.decrypt_app_data = flags & 1;
    opt.negotiation = true;
    opt.sessions = store;
    opt.conn_id = id;
    /* Every other input with the trust anchors of tests/data/pki. */
    opt.anchors = (flags & 4) ? &g_anchors : NULL;
    kept_pool pool = {0};
    tnt_allocator keep = {pool_alloc, &pool};
    if (flags & 8)
        opt.keep = &keep;
    state s = {0};
    s.pool = opt.keep ? &pool : NULL;
    tnt_conn *c = tnt_conn_new(&events, &s, &opt);
    FUZZ_ASSERT(c != NULL);
    uint64_t frame = 1;
    tnt_conn_set_frame(c, frame);
    while (in.n > 0) {
        uint32_t h = fuzz_u8(&in);
        tnt_dir d = (h & 1) ? TNT_S2C : TNT_C2S;
        if (h & 4)
            tnt_conn_set_frame(c, ++frame);
        if (h & 2) {
            tnt_conn_gap(c, d, fuzz_u16(&in));
            continue;
        }
        const uint8_t *p;
        size_t n = fuzz_take(&in, fuzz_u16(&in), &p);
        /* An exact copy, so that reads past the chunk are caught. */
        uint8_t *chunk = malloc(n ? n : 1);
        if (n)
            memcpy(chunk, p, n);
        tnt_conn_feed(c, d, chunk, n);
        free(chunk);
    }
    tnt_conn_finish(c);
    (void)tnt_conn_is_tls(c);
    check_nego(tnt_conn_negotiation(c));
    tnt_conn_free(c);
    /* What was kept outlives the connection. */
    for (uint64_t i = 0; i < s.n_kept; i++) {
        const tnt_hs_msg *m = s.kept[i].msg;
        fuzz_touch(m->raw, m->raw_len);
        fuzz_check_hs_msg(m);
        tnt_hs_msg *again = tnt_hs_decode_kept(m->raw, m->raw_len, &s.kept[i].ctx, &keep);
        FUZZ_ASSERT(again && again->type == m->type && again->decoded == m->decoded);
    }
    free(s.kept);
    pool_free(&pool);
    free(s.msg_len);
    if (getenv("TNT_FUZZ_VERBOSE"))
        fprintf(stderr, "conn %llu: %u records (%u decrypted), %u messages, %u diagnostics\n",
                (unsigned long long)id, s.records, s.decrypted, s.messages, s.diags);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    tnt_keys *keys = fuzz_keys_new();
    tnt_session_store *store = tnt_session_store_new();

    run(data, size, keys, store, 1);
    if (size > 0 && (data[0] & 2))
        run(data, size, keys, store, 2);

    tnt_session_store_free(store);
    fuzz_keys_free(keys);
    return 0;
}
