/* Data that outlives a callback (issue 10): with tnt_conn_options.keep, the
 * record plaintext and decoded messages the events hand out live in the
 * front end's memory, and a message decodes again later from its bytes and
 * the context its event carried (tnt_hs_decode_kept).
 *
 * Every sample is decoded with an allocator that records each block it
 * gives. At each event a summary of the message (or plaintext) is taken;
 * after the connection has been freed and the whole capture read, the kept
 * messages must read the same, every pointer of theirs must lie in a block
 * of that allocator, and decoding each again from its kept bytes and context
 * must give the same summary. Under ASan a message still pointing into the
 * library's own buffers would be a use after free. */
#include "capture.h"
#include "stream_check.h"
#include "tnt/codepoints.h"
#include "tnt/conn.h"
#include "tnt/handshake.h"
#include "tnt/keylog.h"
#include "tnt/keys.h"
#include "tnt/negotiation.h"

#include <dirent.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The front end's memory: every block, freed at the very end. */
typedef struct pool {
    GPtrArray *blocks;
    GArray *sizes; /* size_t */
} pool;

static void *pool_alloc(void *ctx, size_t size)
{
    pool *p = ctx;
    void *b = g_malloc(size ? size : 1);
    g_ptr_array_add(p->blocks, b);
    g_array_append_val(p->sizes, size);
    return b;
}

static bool in_pool(const pool *p, const void *ptr, size_t len)
{
    const char *q = ptr;
    for (guint i = 0; i < p->blocks->len; i++) {
        const char *b = p->blocks->pdata[i];
        size_t n = g_array_index(p->sizes, size_t, i);
        if (q >= b && q + len <= b + n)
            return true;
    }
    return false;
}

typedef struct kept {
    const tnt_hs_msg *msg;
    tnt_hs_ctx ctx;
    char *summary;
} kept;

typedef struct kept_rec {
    const uint8_t *plain;
    uint32_t len;
    uint8_t *copy; /* what it held during the callback */
} kept_rec;

typedef struct run {
    pool mem;
    tnt_allocator alloc;
    tnt_keys *keys;
    tnt_session_store *store;
    GArray *msgs; /* kept */
    GArray *recs; /* kept_rec */
} run;

/* What a message says, as text: header, decode status and the fields of
 * the messages TNT adds (spans and bytes of every credential). */
static char *summary(const tnt_hs_msg *m)
{
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "type=%u len=%u decoded=%d err=%u:%s body=%u+%u", m->type, m->raw_len,
                           m->decoded, m->err.off, m->err.what ? m->err.what : "-", m->body_at.off,
                           m->body_at.len);
    for (uint32_t i = 0; i < m->raw_len; i++)
        g_string_append_printf(g, "%s%02x", i ? "" : " raw=", m->raw[i]);
    if (!m->decoded)
        return g_string_free(g, FALSE);
    if (m->type == TNT_HS_CLIENT_HELLO)
        g_string_append_printf(g, " suites=%u ext=%u", m->u.client_hello.n_suites,
                               m->u.client_hello.ext.n);
    if (m->type == TNT_HS_CERTIFICATE)
        for (uint32_t i = 0; i < m->u.certificate.n_certs; i++)
            g_string_append_printf(g, " cert=%u+%u", m->u.certificate.certs[i].der.whole.off,
                                   m->u.certificate.certs[i].der.whole.len);
    return g_string_free(g, FALSE);
}

static void on_message(void *user, tnt_dir dir, const tnt_message_event *ev)
{
    (void)dir;
    run *r = user;
    if (!ev->msg)
        return;
    if (!in_pool(&r->mem, ev->msg, sizeof *ev->msg) ||
        !in_pool(&r->mem, ev->msg->raw, ev->msg->raw_len))
        FAIL("message %llu is not in the front end's memory", (unsigned long long)ev->seq);
    /* The codepoints it was decoded with must outlive the connection too. */
    if (!ev->ctx.cp || !in_pool(&r->mem, ev->ctx.cp, sizeof *ev->ctx.cp))
        FAIL("message %llu: its codepoints are not in the front end's memory",
             (unsigned long long)ev->seq);
    kept k = {ev->msg, ev->ctx, summary(ev->msg)};
    g_array_append_val(r->msgs, k);
}

static void on_record(void *user, tnt_dir dir, const tnt_record_event *ev)
{
    (void)dir;
    run *r = user;
    if (!ev->plain || !ev->plain_len)
        return;
    if (!in_pool(&r->mem, ev->plain, ev->plain_len))
        FAIL("record plaintext is not in the front end's memory");
    kept_rec k = {ev->plain, ev->plain_len, g_memdup2(ev->plain, ev->plain_len)};
    g_array_append_val(r->recs, k);
}

static const tnt_conn_events events = {on_record, on_message, NULL, NULL};

static void *cap_open(void *user, const tnt_conn_info *info)
{
    run *r = user;
    tnt_conn_options opt = {.keys = r->keys,
                            .negotiation = true,
                            .sessions = r->store,
                            .conn_id = info->id,
                            .keep = &r->alloc};
    return tnt_conn_new(&events, r, &opt);
}

static void cap_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                     tnt_cap_ts ts)
{
    (void)ts;
    tnt_conn_set_frame(conn, frame);
    tnt_conn_feed(conn, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, data, len);
}

static void cap_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    tnt_conn_set_frame(conn, frame);
    tnt_conn_gap(conn, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, bytes);
}

static void cap_close(void *conn, tnt_close_reason reason, uint64_t last_frame, tnt_cap_ts ts)
{
    (void)reason;
    (void)last_frame;
    (void)ts;
    tnt_conn_finish(conn);
    tnt_conn_free(conn);
}

static void check_sample(const char *pcap, const char *keyfile)
{
    run r = {0};
    r.mem.blocks = g_ptr_array_new_with_free_func(g_free);
    r.mem.sizes = g_array_new(FALSE, FALSE, sizeof(size_t));
    r.alloc = (tnt_allocator){pool_alloc, &r.mem};
    r.keys = tnt_keys_new();
    gchar *k = NULL;
    gsize klen = 0;
    if (g_file_get_contents(keyfile, &k, &klen, NULL))
        tnt_keylog_load_buffer(r.keys->keylog, keyfile, (const uint8_t *)k, klen, NULL, NULL, NULL);
    g_free(k);
    r.store = tnt_session_store_new();
    r.msgs = g_array_new(FALSE, FALSE, sizeof(kept));
    r.recs = g_array_new(FALSE, FALSE, sizeof(kept_rec));
    char err[TNT_CAPTURE_ERRBUF_SIZE];
    tnt_capture *cap = tnt_capture_open_file(pcap, err);
    if (!cap) {
        FAIL("%s: %s", pcap, err);
        return;
    }
    tnt_capture_callbacks cb = {&r, cap_open, cap_data, cap_gap, cap_close, NULL, NULL, NULL, NULL};
    tnt_capture_run(cap, &cb, 0);
    tnt_capture_close(cap);

    /* Every connection is gone: only the front end's memory remains. */
    unsigned tnt_msgs = 0;
    for (guint i = 0; i < r.msgs->len; i++) {
        kept *m = &g_array_index(r.msgs, kept, i);
        char *now = summary(m->msg);
        if (strcmp(now, m->summary) != 0)
            FAIL("%s: message %u changed after its callback", pcap, i);
        tnt_hs_msg *again = tnt_hs_decode_kept(m->msg->raw, m->msg->raw_len, &m->ctx, &r.alloc);
        char *redo = again ? summary(again) : g_strdup("(no memory)");
        if (strcmp(redo, m->summary) != 0)
            FAIL("%s: message %u decodes differently again: %.120s / %.120s", pcap, i, redo,
                 m->summary);
        if (m->msg->decoded && m->msg->type == TNT_DEFAULT_HS_NEGOTIATION) {
            const tnt_negotiation *a = &m->msg->u.tnt_negotiation, *b = &again->u.tnt_negotiation;
            tnt_msgs++;
            if (a->n_credentials != b->n_credentials || a->n_policies != b->n_policies)
                FAIL("%s: TNTNegotiation decodes differently again", pcap);
            for (uint32_t j = 0; j < a->n_credentials && j < b->n_credentials; j++) {
                const tnt_credential *x = &a->credentials[j], *y = &b->credentials[j];
                if (!in_pool(&r.mem, x, sizeof *x) || !in_pool(&r.mem, x->certs, sizeof *x->certs))
                    FAIL("%s: credential %u is not in the front end's memory", pcap, j);
                if (x->at.off != y->at.off || x->at.len != y->at.len ||
                    x->chain_whole.off != y->chain_whole.off || x->n_certs != y->n_certs ||
                    memcmp(x->type.p, y->type.p, x->type.len) != 0)
                    FAIL("%s: credential %u decodes differently again", pcap, j);
            }
        }
        g_free(now);
        g_free(redo);
        g_free(m->summary);
    }
    for (guint i = 0; i < r.recs->len; i++) {
        kept_rec *p = &g_array_index(r.recs, kept_rec, i);
        if (memcmp(p->plain, p->copy, p->len) != 0)
            FAIL("%s: record plaintext %u changed after its callback", pcap, i);
        g_free(p->copy);
    }
    printf("%s: %u messages (%u TNTNegotiation) and %u plaintexts kept, %u blocks\n",
           strrchr(pcap, '/') ? strrchr(pcap, '/') + 1 : pcap, r.msgs->len, tnt_msgs, r.recs->len,
           r.mem.blocks->len);
    if (r.msgs->len == 0 || r.recs->len == 0)
        FAIL("%s: nothing kept", pcap);
    g_array_free(r.msgs, TRUE);
    g_array_free(r.recs, TRUE);
    tnt_session_store_free(r.store);
    tnt_keys_free(r.keys);
    g_ptr_array_free(r.mem.blocks, TRUE);
    g_array_free(r.mem.sizes, TRUE);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_kept_messages SAMPLES_DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d)
        return 77;
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l <= 7 || strcmp(e->d_name + l - 7, ".pcapng") != 0)
            continue;
        char *pcap = g_strdup_printf("%s/%s", argv[1], e->d_name);
        char *keys = g_strdup_printf("%s/%.*s.keys", argv[1], (int)(l - 7), e->d_name);
        check_sample(pcap, keys);
        g_free(pcap);
        g_free(keys);
        n++;
    }
    closedir(d);
    if (n == 0)
        return 77;
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    return failures ? 1 : 0;
}
