/* Verdicts as soon as the bytes decide them (issue 10, acceptance 3).
 *
 * For every capture NAME.pcapng (with NAME.keys) in the directory given:
 *  1. The whole capture is decoded as tntdump does (one session store and one
 *     key set per file, every connection finished at its close). Every
 *     verdict event is recorded as a line of text with the frame that
 *     decided it.
 *  2. After tnt_conn_finish, each verdict delivered before the end must still
 *     hold: the final state of its handshake reads exactly as it did when it
 *     was delivered, and each violation and note is in the final lists.
 *  3. For every frame F that decided a verdict, the capture is fed again only
 *     up to F, with no finish call: every verdict the whole run delivered at
 *     F or before must already have been delivered, identically.
 *  4. A handshake that completed with readable Finished messages, or ended
 *     with a fatal alert, has its handshake verdict before the end of the
 *     stream; only what the end itself decides comes from tnt_conn_finish.
 * Prints one summary line per capture. */
#include "capture.h"
#include "stream_check.h"
#include "tnt/conn.h"
#include "tnt/keylog.h"
#include "tnt/keys.h"
#include "tnt/negotiation.h"

#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run {
    const char *path;
    tnt_keys *keys;
    tnt_session_store *store;
    bool finish; /* finish connections at their close (the whole capture) */
    /* every verdict as "conn|text", with its deciding frame */
    GPtrArray *lines;
    GArray *frames;  /* uint64 */
    GArray *at_end;  /* gboolean: delivered by tnt_conn_finish */
    GPtrArray *kind; /* the kind, for the summary */
} run;

typedef struct tconn {
    run *r;
    uint32_t id;
    tnt_conn *tls;
    bool finishing;
} tconn;

static void hs_text(GString *g, const tnt_nego_hs *H)
{
    g_string_append_printf(g,
                           "completed=%d inferred=%d finished_absent=%d alert=%d trust=%d "
                           "insecure=%d outcome=%s by=%d round=%u ri=%s linked=%d target=%s "
                           "reason=%s",
                           H->completed, H->completion_inferred, H->finished_absent,
                           H->ended_by_alert, H->trust_established, H->insecure,
                           tnt_nego_outcome_name(H->outcome), H->final_by, H->final_round,
                           tnt_ri_status_name(H->ri), H->linked, H->target ? H->target : "-",
                           H->reason ? H->reason : "-");
    for (uint32_t i = 0; i < H->n_policies; i++) {
        const tnt_nego_policy *q = &H->policies[i];
        g_string_append_printf(g, " | policy %u verdict=%d in_round=%u by=%u issuer=%d %s", i,
                               q->verdict, q->satisfied_in_round, q->n_by, q->issuer_verified,
                               q->reason ? q->reason : "-");
    }
    for (uint32_t i = 0; i < H->n_creds; i++) {
        const tnt_nego_cred *c = &H->creds[i];
        g_string_append_printf(g, " | cred %u proof=%d %s chain=%d %s", i, c->proof,
                               c->proof_reason ? c->proof_reason : "-", c->chain,
                               c->chain_reason ? c->chain_reason : "-");
    }
}

static void proofs_text(GString *g, const tnt_nego_hs *H, uint32_t ri)
{
    const tnt_nego_round *r = &H->rounds[ri];
    g_string_append_printf(g, "round %u proof_seq=%llu", r->round,
                           (unsigned long long)r->proof_msg_seq);
    for (uint32_t i = 0; i < r->n_creds; i++) {
        const tnt_nego_cred *c = &H->creds[r->first_cred + i];
        g_string_append_printf(g, " | cred %u proof=%d %s", i, c->proof,
                               c->proof_reason ? c->proof_reason : "-");
    }
}

/* The verdict as text: what it decided, read from the model. */
static char *verdict_text(const tnt_verdict_event *ev, const tnt_nego_hs *H)
{
    GString *g = g_string_new(NULL);
    switch (ev->kind) {
    case TNT_VERDICT_VIOLATION: {
        const tnt_violation *v = ev->violation;
        g_string_append_printf(g, "violation hs=%u %s %s round=%u frame=%llu seq=%llu at=%u+%u %s",
                               v->handshake, tnt_viol_code_name(v->code),
                               tnt_severity_name(v->severity), v->round,
                               (unsigned long long)v->frame, (unsigned long long)v->msg_seq,
                               v->at.off, v->at.len, v->message);
        break;
    }
    case TNT_VERDICT_NOTE:
        g_string_append_printf(g, "note hs=%u round=%u frame=%llu %s", ev->note->handshake,
                               ev->note->round, (unsigned long long)ev->note->frame,
                               ev->note->text);
        break;
    case TNT_VERDICT_OUTCOME:
        g_string_append_printf(g, "outcome hs=%u %s by=%d round=%u", H->index,
                               tnt_nego_outcome_name(H->outcome), H->final_by, H->final_round);
        break;
    case TNT_VERDICT_PROOFS:
        g_string_append_printf(g, "proofs hs=%u ", H->index);
        proofs_text(g, H, ev->round_index);
        break;
    case TNT_VERDICT_FINISHED:
        g_string_append_printf(g, "finished hs=%u dir=%d ok=%d", H->index, ev->finished_dir,
                               H->finished_ok[ev->finished_dir]);
        break;
    case TNT_VERDICT_RESUMPTION:
        g_string_append_printf(g, "resumption hs=%u linked=%d conn=%llu hs=%u trust=%d", H->index,
                               H->linked, (unsigned long long)H->link.conn_id, H->link.handshake,
                               H->link.trust);
        break;
    case TNT_VERDICT_HANDSHAKE:
        g_string_append_printf(g, "handshake hs=%u ", H->index);
        hs_text(g, H);
        break;
    case TNT_VERDICT_CREDENTIAL: {
        const tnt_nego_cred *c = &H->creds[ev->cred_index];
        g_string_append_printf(
            g, "credential hs=%u #%u round %u %s subject=%s issuer=%s chain=%d %s", H->index,
            ev->cred_index, c->round, c->type, c->subject ? c->subject : "-",
            c->issuer ? c->issuer : "-", c->chain, c->chain_reason ? c->chain_reason : "-");
        break;
    }
    }
    return g_string_free(g, FALSE);
}

static const char *kind_name(tnt_verdict_kind k)
{
    static const char *const names[] = {"violation", "note",     "resumption", "outcome",
                                        "proofs",    "finished", "handshake",  "credential"};
    return names[k];
}

static void on_verdict(void *user, const tnt_verdict_event *ev)
{
    tconn *c = user;
    if ((ev->kind != TNT_VERDICT_VIOLATION && ev->kind != TNT_VERDICT_NOTE) && !ev->hs) {
        FAIL("%s: verdict %s without its handshake", c->r->path, kind_name(ev->kind));
        return;
    }
    if (ev->cause == TNT_CAUSE_END && !c->finishing)
        FAIL("%s: verdict delivered as the end of the stream before tnt_conn_finish", c->r->path);
    if (ev->cause == TNT_CAUSE_MESSAGE && ev->msg_seq == 0)
        FAIL("%s: verdict decided by a message without its number", c->r->path);
    char *t = verdict_text(ev, ev->hs);
    g_ptr_array_add(c->r->lines, g_strdup_printf("#%u|%s", c->id, t));
    g_free(t);
    g_array_append_val(c->r->frames, ev->frame);
    gboolean end = ev->cause == TNT_CAUSE_END;
    g_array_append_val(c->r->at_end, end);
    g_ptr_array_add(c->r->kind, (gpointer)kind_name(ev->kind));
}

static const tnt_conn_events events = {NULL, NULL, NULL, on_verdict};

static void *cap_open(void *user, const tnt_conn_info *info)
{
    run *r = user;
    tconn *c = calloc(1, sizeof(*c));
    c->r = r;
    c->id = info->id;
    tnt_conn_options opt = {
        .keys = r->keys, .negotiation = true, .sessions = r->store, .conn_id = info->id};
    c->tls = tnt_conn_new(&events, c, &opt);
    return c;
}

static void cap_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                     tnt_cap_ts ts)
{
    (void)ts;
    tconn *c = conn;
    tnt_conn_set_frame(c->tls, frame);
    tnt_conn_feed(c->tls, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, data, len);
}

static void cap_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    tconn *c = conn;
    tnt_conn_set_frame(c->tls, frame);
    tnt_conn_gap(c->tls, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, bytes);
}

/* Each verdict delivered before the end still reads the same in the final
 * model; the handshake verdicts that only the end delivered are allowed for
 * handshakes the bytes never closed. */
static void check_final(tconn *c, guint first_line)
{
    run *r = c->r;
    const tnt_nego *n = tnt_conn_negotiation(c->tls);
    uint32_t nv = 0, nn = 0;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    const tnt_nego_note *notes = tnt_nego_notes(n, &nn);
    GHashTable *final = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    /* The final state, phrased as each kind of verdict would phrase it. */
    for (uint32_t i = 0; i < nv; i++) {
        tnt_verdict_event ev = {.kind = TNT_VERDICT_VIOLATION, .violation = &v[i]};
        g_hash_table_add(final, verdict_text(&ev, NULL));
    }
    for (uint32_t i = 0; i < nn; i++) {
        tnt_verdict_event ev = {.kind = TNT_VERDICT_NOTE, .note = &notes[i]};
        g_hash_table_add(final, verdict_text(&ev, NULL));
    }
    for (uint32_t h = 0; h < tnt_nego_n_handshakes(n); h++) {
        const tnt_nego_hs *H = tnt_nego_handshake(n, h);
        tnt_verdict_event ev = {.hs = H};
        tnt_verdict_kind kinds[] = {TNT_VERDICT_OUTCOME, TNT_VERDICT_RESUMPTION,
                                    TNT_VERDICT_HANDSHAKE};
        for (size_t k = 0; k < 3; k++) {
            ev.kind = kinds[k];
            g_hash_table_add(final, verdict_text(&ev, H));
        }
        for (int d = 0; d < 2; d++) {
            ev.kind = TNT_VERDICT_FINISHED;
            ev.finished_dir = (tnt_dir)d;
            g_hash_table_add(final, verdict_text(&ev, H));
        }
        for (uint32_t i = 0; i < H->n_rounds; i++) {
            ev.kind = TNT_VERDICT_PROOFS;
            ev.round_index = i;
            g_hash_table_add(final, verdict_text(&ev, H));
        }
        for (uint32_t i = 0; i < H->n_creds; i++) {
            ev.kind = TNT_VERDICT_CREDENTIAL;
            ev.cred_index = i;
            g_hash_table_add(final, verdict_text(&ev, H));
        }
        /* Acceptance: closed by its own bytes means decided before the end. */
        bool closed = (H->completed && !H->completion_inferred) || H->ended_by_alert;
        char *want = NULL;
        if (closed) {
            GString *g = g_string_new(NULL);
            g_string_append_printf(g, "#%u|handshake hs=%u ", c->id, H->index);
            hs_text(g, H);
            want = g_string_free(g, FALSE);
        }
        for (guint i = first_line; want && i < r->lines->len; i++) {
            if (strcmp(r->lines->pdata[i], want) != 0)
                continue;
            if (g_array_index(r->at_end, gboolean, i))
                FAIL("%s: #%u handshake %u closed by its bytes but decided only at the end",
                     r->path, c->id, H->index);
            g_free(want);
            want = NULL;
        }
        if (want) {
            FAIL("%s: #%u handshake %u: no handshake verdict equal to the final state", r->path,
                 c->id, H->index);
            g_free(want);
        }
    }
    char prefix[32];
    snprintf(prefix, sizeof prefix, "#%u|", c->id);
    for (guint i = first_line; i < r->lines->len; i++) {
        const char *line = r->lines->pdata[i];
        if (strncmp(line, prefix, strlen(prefix)) != 0)
            continue;
        if (!g_hash_table_contains(final, line + strlen(prefix)))
            FAIL("%s: verdict changed after delivery (frame %llu): %s", r->path,
                 (unsigned long long)g_array_index(r->frames, uint64_t, i), line);
    }
    g_hash_table_destroy(final);
}

static void cap_close(void *conn, tnt_close_reason reason, uint64_t last_frame, tnt_cap_ts ts)
{
    (void)reason;
    (void)last_frame;
    (void)ts;
    tconn *c = conn;
    if (c->r->finish) {
        guint first = 0; /* this connection's lines are found by prefix */
        c->finishing = true;
        tnt_conn_finish(c->tls);
        check_final(c, first);
    }
    tnt_conn_free(c->tls);
    free(c);
}

static void cap_diag(void *user, uint64_t frame, const char *text)
{
    (void)user;
    (void)frame;
    (void)text;
}

static char *slurp(const char *path, size_t *len)
{
    gchar *data = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &data, &n, NULL))
        return NULL;
    *len = n;
    return data;
}

static void run_init(run *r, const char *pcap, const char *keyfile, bool finish)
{
    memset(r, 0, sizeof(*r));
    r->path = pcap;
    r->finish = finish;
    r->keys = tnt_keys_new();
    size_t len = 0;
    char *k = slurp(keyfile, &len);
    if (k)
        tnt_keylog_load_buffer(r->keys->keylog, keyfile, (const uint8_t *)k, len, NULL, NULL, NULL);
    g_free(k);
    r->store = tnt_session_store_new();
    r->lines = g_ptr_array_new_with_free_func(g_free);
    r->frames = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    r->at_end = g_array_new(FALSE, FALSE, sizeof(gboolean));
    r->kind = g_ptr_array_new();
}

static void run_free(run *r)
{
    tnt_keys_free(r->keys);
    tnt_session_store_free(r->store);
    g_ptr_array_free(r->lines, TRUE);
    g_array_free(r->frames, TRUE);
    g_array_free(r->at_end, TRUE);
    g_ptr_array_free(r->kind, TRUE);
}

static bool run_capture(run *r, uint64_t max_frames)
{
    char err[TNT_CAPTURE_ERRBUF_SIZE];
    tnt_capture *cap = tnt_capture_open_file(r->path, err);
    if (!cap) {
        FAIL("%s: %s", r->path, err);
        return false;
    }
    tnt_capture_callbacks cb = {r,        cap_open, cap_data, cap_gap, cap_close,
                                cap_diag, NULL,     NULL,     NULL};
    tnt_capture_run(cap, &cb, max_frames);
    tnt_capture_close(cap);
    return true;
}

static void check_sample(const char *pcap, const char *keyfile)
{
    run whole;
    run_init(&whole, pcap, keyfile, true);
    if (!run_capture(&whole, 0)) {
        run_free(&whole);
        return;
    }
    unsigned n_end = 0, n_prefixes = 0, n_hs = 0, n_hs_end = 0;
    GHashTable *done = g_hash_table_new(g_int64_hash, g_int64_equal);
    for (guint i = 0; i < whole.lines->len; i++) {
        bool end = g_array_index(whole.at_end, gboolean, i);
        bool is_hs = strcmp(whole.kind->pdata[i], "handshake") == 0;
        n_hs += is_hs;
        n_hs_end += is_hs && end;
        if (end) {
            n_end++;
            continue;
        }
        uint64_t *f = &g_array_index(whole.frames, uint64_t, i);
        if (g_hash_table_contains(done, f))
            continue;
        g_hash_table_add(done, f);
        n_prefixes++;
        /* The capture up to the deciding frame, and no end of stream. */
        run part;
        run_init(&part, pcap, keyfile, false);
        run_capture(&part, *f);
        GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
        for (guint j = 0; j < part.lines->len; j++)
            g_hash_table_add(seen, part.lines->pdata[j]);
        for (guint j = 0; j < whole.lines->len; j++) {
            if (g_array_index(whole.at_end, gboolean, j) ||
                g_array_index(whole.frames, uint64_t, j) > *f)
                continue;
            if (!g_hash_table_contains(seen, whole.lines->pdata[j]))
                FAIL("%s: fed up to frame %llu, the verdict of frame %llu is missing or "
                     "differs: %s",
                     pcap, (unsigned long long)*f,
                     (unsigned long long)g_array_index(whole.frames, uint64_t, j),
                     (const char *)whole.lines->pdata[j]);
        }
        g_hash_table_destroy(seen);
        run_free(&part);
    }
    printf("%s: %u verdicts (%u handshake verdicts, %u of them at the end), %u decided only by "
           "the end of the stream, %u prefixes re-fed\n",
           strrchr(pcap, '/') ? strrchr(pcap, '/') + 1 : pcap, whole.lines->len, n_hs, n_hs_end,
           n_end, n_prefixes);
    g_hash_table_destroy(done);
    run_free(&whole);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc == 3) { /* one capture and its key log */
        check_sample(argv[1], argv[2]);
        return failures ? 1 : 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: test_streaming_verdicts SAMPLES_DIR | CAPTURE KEYLOG\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 77;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > 7 && strcmp(e->d_name + l - 7, ".pcapng") == 0)
            g_ptr_array_add(names, g_strndup(e->d_name, l - 7));
    }
    closedir(d);
    qsort(names->pdata, names->len, sizeof(char *), by_name);
    if (names->len == 0) {
        fprintf(stderr, "%s: no captures\n", argv[1]);
        return 77;
    }
    for (guint i = 0; i < names->len; i++) {
        char *pcap = g_strdup_printf("%s/%s.pcapng", argv[1], (char *)names->pdata[i]);
        char *keys = g_strdup_printf("%s/%s.keys", argv[1], (char *)names->pdata[i]);
        check_sample(pcap, keys);
        g_free(pcap);
        g_free(keys);
    }
    g_ptr_array_free(names, TRUE);
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
