/* Fuzz target: tntdump's packet path without libpcap - link layer, tunnels,
 * IP fragment reassembly, TCP reassembly (capture/packet.h) - with every TCP
 * connection fed to a tnt_conn (keys loaded, negotiation on), as tntdump does.
 *
 * Input: a link-type byte (index into the table below), then frames, each a
 * 2-byte big-endian caplen and that many bytes (fewer at the end of the
 * input); the first byte of each frame's length word also says whether the
 * frame was cut short (wirelen = caplen + 100 when bit 15 is set). Each frame
 * is 1 ms after the previous one. tests/fuzz/make_seeds.py writes the classic
 * pcaps of tests/data (several link types) in this format.
 *
 * Checked: no crash, sanitizer report, leak or hang; every connection opened
 * is closed exactly once; stream data handed out is readable. */
#include "fuzz_keys.h"

#include "conn.h"
#include "negotiation.h"
#include "packet.h"

#include <pcap/dlt.h>

static const int dlts[] = {DLT_EN10MB, DLT_RAW,  DLT_NULL,       DLT_LOOP, DLT_LINUX_SLL,
                           DLT_IPV4,   DLT_IPV6, DLT_LINUX_SLL2, 101 /* LINKTYPE_RAW */};

#define MAX_CONNS 64

typedef struct fconn {
    tnt_conn *c;
    bool closed;
} fconn;

typedef struct state {
    tnt_keys *keys;
    tnt_session_store *store;
    fconn *conns[MAX_CONNS];
    unsigned n_open, n_closed, n_untracked;
} state;

static void ev_record(void *u, tnt_dir d, const tnt_record_event *ev)
{
    (void)u;
    (void)d;
    fuzz_touch(ev->rec->raw, (size_t)ev->rec->header_len + ev->rec->length);
    if (ev->decrypted)
        fuzz_touch(ev->plain, ev->plain_len);
}

static void ev_message(void *u, tnt_dir d, const tnt_message_event *ev)
{
    (void)u;
    (void)d;
    if (ev->msg)
        fuzz_touch(ev->msg->raw, ev->msg->raw_len);
}

static void ev_diag(void *u, tnt_dir d, tnt_diag_kind k, uint64_t off, const char *text)
{
    (void)u;
    (void)d;
    (void)k;
    (void)off;
    fuzz_touch(text, strlen(text));
}

static const tnt_conn_events events = {ev_record, ev_message, ev_diag, NULL};

static state *g_state;

static void *on_open(void *user, const tnt_conn_info *info)
{
    state *s = user;
    FUZZ_ASSERT(info->family == 4 || info->family == 6);
    FUZZ_ASSERT(info->id == s->n_open + s->n_untracked + 1);
    if (s->n_open >= MAX_CONNS) {
        s->n_untracked++;
        return NULL;
    }
    fconn *f = calloc(1, sizeof(*f));
    tnt_conn_options opt = {0};
    opt.keys = s->keys;
    opt.decrypt_app_data = true;
    opt.negotiation = true;
    opt.sessions = s->store;
    opt.conn_id = info->id;
    opt.anchors = &g_anchors;
    f->c = tnt_conn_new(&events, NULL, &opt);
    FUZZ_ASSERT(f->c != NULL);
    s->conns[s->n_open++] = f;
    return f;
}

static void on_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                    tnt_cap_ts ts)
{
    (void)ts;
    FUZZ_ASSERT(dir == TNT_DIR_C2S || dir == TNT_DIR_S2C);
    fuzz_touch(data, len);
    fconn *f = conn;
    if (!f)
        return;
    FUZZ_ASSERT(!f->closed);
    tnt_conn_set_frame(f->c, frame);
    tnt_conn_feed(f->c, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, data, len);
}

static void on_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    fconn *f = conn;
    if (!f)
        return;
    FUZZ_ASSERT(!f->closed);
    tnt_conn_set_frame(f->c, frame);
    tnt_conn_gap(f->c, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, bytes);
}

static void on_close(void *conn, tnt_close_reason reason, uint64_t last_frame, tnt_cap_ts ts)
{
    (void)last_frame;
    (void)ts;
    FUZZ_ASSERT(tnt_close_reason_name(reason) != NULL);
    g_state->n_closed++;
    fconn *f = conn;
    if (!f)
        return;
    FUZZ_ASSERT(!f->closed);
    f->closed = true;
    tnt_conn_finish(f->c);
}

static void on_cap_diag(void *user, uint64_t frame, const char *text)
{
    (void)user;
    (void)frame;
    FUZZ_ASSERT(text != NULL);
    fuzz_touch(text, strlen(text));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_keys();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    fuzz_in in = {data, size};
    int dlt = dlts[fuzz_u8(&in) % (sizeof(dlts) / sizeof(dlts[0]))];
    state s = {0};
    s.keys = fuzz_keys_new();
    s.store = tnt_session_store_new();
    g_state = &s;
    tnt_capture_callbacks cb = {&s,          on_open, on_data, on_gap, on_close,
                                on_cap_diag, NULL,    NULL,    NULL};
    tnt_packet_decoder *d = tnt_packet_decoder_new(dlt, &cb, NULL, NULL);
    FUZZ_ASSERT(d != NULL);
    uint64_t frame = 0;
    tnt_cap_ts ts = {1700000000, 0};
    while (in.n > 0) {
        uint32_t w = fuzz_u16(&in);
        const uint8_t *p;
        size_t n = fuzz_take(&in, w & 0x7fff, &p);
        uint8_t *pkt = malloc(n ? n : 1);
        if (n)
            memcpy(pkt, p, n);
        ts.usec += 1000;
        if (ts.usec >= 1000000) {
            ts.sec++;
            ts.usec -= 1000000;
        }
        tnt_packet_decode(d, ++frame, ts, pkt, n, (w & 0x8000) ? n + 100 : n);
        free(pkt);
    }
    tnt_packet_finish(d, frame);
    tnt_packet_decoder_free(d);
    /* Every connection opened was closed exactly once. */
    FUZZ_ASSERT(s.n_closed == s.n_open + s.n_untracked);
    for (unsigned i = 0; i < s.n_open; i++) {
        FUZZ_ASSERT(s.conns[i]->closed);
        tnt_conn_free(s.conns[i]->c);
        free(s.conns[i]);
    }
    tnt_session_store_free(s.store);
    fuzz_keys_free(s.keys);
    g_state = NULL;
    return 0;
}
