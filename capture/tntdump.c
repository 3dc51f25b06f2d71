/* tntdump: prints the TLS (and TNT) conversations in a capture.
 *
 * Packets come from capture.h as in-order TCP byte streams; each connection's
 * streams go to a lib/ tnt_conn, whose events are printed into the
 * connection's text block. A block is written out when its connection ends,
 * so blocks never interleave, even on a live interface; there (and with -l)
 * each negotiation's verdict goes out on one line as soon as it is settled. */
#include "capture.h"
#include "tnt/codepoints.h"
#include "tnt/conn.h"
#include "tnt/chain_verify.h"
#include "json_out.h"
#include "tnt/keys.h"
#include "tnt/names.h"
#include "tnt/x509.h"
#include "tnt/negotiation.h"
#include "print_nego.h"
#include "inputs.h"
#include "color.h"
#include "diagram.h"
#include "jdom.h"
#include "jobs.h"
#include "merge.h"
#include "pcapng_writer.h"
#include "pipeline.h"
#include "progress.h"
#include "chatter.h"
#include "summary.h"
#include "pcapng_dsb.h"
#include "print_tls.h"
#include "textbuf.h"
#include "tnt/load.h"

#include <glib.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <pcap/pcap.h>

#define EXIT_OK 0
#define EXIT_INPUT 1 /* an input could not be opened or read at all */
#define EXIT_USAGE 2
#define EXIT_DAMAGED 3 /* an input was read only in part (e.g. truncated) */

typedef struct options {
    const char **files;
    int n_files;
    const char *iface;
    char *filter;
    int verbose;
    int quiet;
    uint64_t count;
    int snaplen;
    bool promisc;
    bool app_data;
    const char **keylogs;
    int n_keylogs;
    const char **rsa_keys;
    int n_rsa_keys;
    const char **anchors;
    int n_anchors;
    bool json;
    const char *write_file; /* -w */
    bool tnt_only;          /* -w keeps only connections that carry TNT */
    bool summary;
    bool merge;
    int jobs;
    int threads;         /* --threads; 0: the default (tntdump(): CPUs + 2) */
    const char *diagram; /* --diagram */
    bool files_owned;    /* files are the expanded copies */
    color_mode color;
    int progress;              /* -1 never, 0 on a terminal for large input, 1 always */
    tnt_codepoints codepoints; /* --tnt-ext-type and the handshake types */
    bool line_buffered;        /* -l: verdicts early, output flushed as it is made */
} options;

typedef struct app {
    const options *opt;
    tnt_keys *keys;
    tnt_conn_options conn_opt;
    tnt_session_store *sessions;
    tnt_cert_cache *certs; /* every certificate of the run parsed once */
    tnt_arena anchor_arena;
    tnt_anchor_set anchors;
    uint32_t conn_base;  /* connections of earlier files: ids are unique in a run */
    uint32_t conn_count; /* connections of the current file */
    json_totals totals;
    const char *source;    /* file name or interface, for messages */
    pcapng_writer *writer; /* -w */
    summary sum;           /* --summary */
    diagram *diagram;      /* --diagram */
    bool color;            /* colour the text */
    progress *progress;
    int file_index; /* the file being read */
    uint64_t packets;
    /* -j workers */
    bool silent;     /* loading earlier files' secrets: no warnings */
    bool depends;    /* a lookup missed that an earlier file might answer */
    FILE *side;      /* the connection objects, for the parent's totals */
    chatter *chat;   /* diagnostics on stderr, capped by kind */
    uint64_t *bases; /* connection numbers before each file */
    /* -i or -l: each negotiation's verdict printed when the core settles it,
     * and each block flushed when its connection ends. */
    bool live;
} app;

typedef struct dconn {
    app *app;
    tnt_conn *tls;
    textbuf out;
    uint32_t id;
    char client[64], server[64];
    uint64_t first_frame;
    tnt_cap_ts first_ts;
    uint64_t frame; /* packet being processed */
    tnt_cap_ts ts;
    GArray *msgs;          /* json_msg, for --json */
    GArray *gaps;          /* json_gap */
    GByteArray *initiator; /* per handshake: 0 client, 1 server */
    bool hello_request;    /* a HelloRequest awaits its ClientHello */
    GArray *pkts;          /* -w: run-wide numbers of its packets */
} dconn;

static tnt_capture *running;

/* On an analysis thread (pipeline.h): its own parsed certificates, since
 * GnuTLS objects are for one thread at a time. */
static __thread tnt_cert_cache *thread_certs;

static void thread_end(void *user)
{
    (void)user;
    tnt_cert_cache_free(thread_certs);
    thread_certs = NULL;
}

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        tnt_capture_stop(running);
}

/* A diagnostic line for stderr, shown unless its kind is over its cap
 * (chatter.h): both decided in input order (pipeline.h). */
typedef struct diag_line {
    app *a;
    char *kind; /* what the cap counts */
    char *line;
} diag_line;

static void show_diag(void *arg)
{
    diag_line *l = arg;
    if (chatter_allow(l->a->chat, l->kind) && l->line)
        fputs(l->line, stderr);
    g_free(l->kind);
    g_free(l->line);
    g_free(l);
}

/* Takes line. */
static void emit_diag(app *a, const char *kind, char *line)
{
    diag_line *l = g_new(diag_line, 1);
    *l = (diag_line){a, g_strdup(kind), line};
    tnt_pipeline_emit(show_diag, l);
}

static const char *dir_str(tnt_dir d)
{
    return d == TNT_C2S ? "C>S" : "S>C";
}

static double rel_time(const dconn *c)
{
    return (double)(c->ts.sec - c->first_ts.sec) +
           ((double)c->ts.usec - (double)c->first_ts.usec) / 1e6;
}

static void prefix(const dconn *c, tnt_dir d, char *buf, size_t cap)
{
    snprintf(buf, cap, "%8llu %10.6f %s", (unsigned long long)c->frame, rel_time(c), dir_str(d));
}

static void ev_record(void *user, tnt_dir d, const tnt_record_event *ev)
{
    dconn *c = user;
    /* -q shows no records: formatting them only to throw them away cost
     * a sixth of the time on bulk captures. */
    if (c->app->opt->quiet || c->app->opt->json)
        return;
    char p[64];
    prefix(c, d, p, sizeof p);
    print_record(&c->out, p, ev, c->app->opt->verbose);
    uint8_t type = ev->inner_type ? ev->inner_type : ev->rec->type;
    if ((ev->decrypted || ev->null_cipher) && type == TNT_CT_APPLICATION_DATA &&
        c->app->opt->app_data)
        print_dump(&c->out, ev->plain, ev->plain_len);
}

static void ev_message(void *user, tnt_dir d, const tnt_message_event *ev)
{
    dconn *c = user;
    bool text = !c->app->opt->quiet && !c->app->opt->json;
    char p[64];
    if (text) {
        prefix(c, d, p, sizeof p);
        print_message(&c->out, p, ev, tnt_conn_codepoints(c->tls), c->app->opt->verbose);
    }
    if (!ev->msg)
        return;
    uint8_t type = ev->msg->type;
    if (type == TNT_HS_HELLO_REQUEST)
        c->hello_request = true;
    if (type == TNT_HS_CLIENT_HELLO) {
        while (c->initiator->len + 1 < ev->handshake)
            g_byte_array_append(c->initiator, (const guint8[]){0}, 1);
        uint8_t who = c->hello_request ? 1 : 0;
        if (c->initiator->len < ev->handshake)
            g_byte_array_append(c->initiator, &who, 1);
        c->hello_request = false;
    }
    if (type != TNT_HS_HELLO_REQUEST) {
        json_msg m = {ev->handshake, (uint8_t)d, type, c->frame, c->ts};
        g_array_append_val(c->msgs, m);
    }
    if (text && type == tnt_conn_codepoints(c->tls)->hs_proof) {
        const tnt_nego *n = tnt_conn_negotiation(c->tls);
        if (n)
            print_nego_proofs(&c->out, n, ev->handshake);
    }
}

static void ev_diag(void *user, tnt_dir d, tnt_diag_kind kind, uint64_t off, const char *text)
{
    dconn *c = user;
    char p[64];
    prefix(c, d, p, sizeof p);
    if (kind == TNT_DIAG_GAP) {
        textbuf_printf(&c->out, "%s gap %s\n", p, text);
        json_gap g = {(uint8_t)d, 0, c->frame};
        g.bytes = strtoull(text, NULL, 10);
        g_array_append_val(c->gaps, g);
        return;
    }
    if (kind == TNT_DIAG_CLEARTEXT) {
        textbuf_printf(&c->out, "%s %s\n", p, text);
        return;
    }
    if (kind == TNT_DIAG_SKIPPED) {
        /* Bytes before the first record are expected (STARTTLS, a capture
         * that began mid-stream): shown in the block, not as an error. */
        textbuf_printf(&c->out, "%s ! %s\n", p, text);
        return;
    }
    textbuf_printf(&c->out, "%s ! %s (stream offset %llu)\n", p, text, (unsigned long long)off);
    if (c->app->opt->quiet) {
        emit_diag(c->app, text, NULL); /* counted, not shown */
        return;
    }
    char *line = g_strdup_printf("tntdump: %s: frame %llu: #%u %s: %s\n", c->app->source,
                                 (unsigned long long)c->frame, c->id, dir_str(d), text);
    emit_diag(c->app, text, line);
}

static const char *cause_name(tnt_verdict_cause c)
{
    static const char *const names[] = {"message", "alert", "change_cipher_spec",
                                        "record",  "gap",   "end"};
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "unknown";
}

static void write_text(const app *a, const char *s, size_t len)
{
    if (a->color)
        color_write(s, len, stdout);
    else
        fwrite(s, 1, len, stdout);
}

/* Live output: a connection may stay open for hours, so its negotiations'
 * verdicts are printed as soon as the core settles them (the handshake is
 * over), each on its own line and flushed at once; the block comes when the
 * connection ends. */
static void ev_verdict(void *user, const tnt_verdict_event *ev)
{
    dconn *c = user;
    const tnt_nego_hs *h = ev->hs;
    if (ev->kind != TNT_VERDICT_HANDSHAKE || !h || (!h->has_negotiation && !h->resume_answered))
        return;
    if (c->app->opt->json) {
        json_conn jc = {.file = c->app->source,
                        .id = c->id,
                        .client = c->client,
                        .server = c->server,
                        .tls = c->tls};
        json_verdict(stdout, &jc, h, ev->frame, c->ts, cause_name(ev->cause));
    } else {
        textbuf t;
        textbuf_init(&t);
        textbuf_printf(&t, "#%u %s > %s  handshake %u verdict at frame %llu: ", c->id, c->client,
                       c->server, h->index, (unsigned long long)ev->frame);
        print_nego_verdict(&t, h);
        textbuf_printf(&t, "\n");
        /* Through a memory stream so that colour sees the whole line. */
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (m) {
            textbuf_flush(&t, m);
            fclose(m);
            write_text(c->app, buf, len);
            free(buf);
        }
        textbuf_free(&t);
    }
    fflush(stdout);
}

static const tnt_conn_events conn_events = {ev_record, ev_message, ev_diag, NULL};
static const tnt_conn_events conn_events_live = {ev_record, ev_message, ev_diag, ev_verdict};

static void endpoint(char *buf, size_t cap, int family, const uint8_t *addr, uint16_t port)
{
    char a[INET6_ADDRSTRLEN];
    if (family == 6) {
        inet_ntop(AF_INET6, addr, a, sizeof a);
        snprintf(buf, cap, "[%s]:%u", a, port);
    } else {
        inet_ntop(AF_INET, addr, a, sizeof a);
        snprintf(buf, cap, "%s:%u", a, port);
    }
}

static void *cap_open(void *user, const tnt_conn_info *info)
{
    dconn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->app = user;
    tnt_conn_options opt = c->app->conn_opt;
    opt.conn_id = c->app->conn_base + info->id;
    if (tnt_pipeline_on_worker()) {
        if (!thread_certs)
            thread_certs = tnt_cert_cache_new(TNT_CERT_CACHE_DEFAULT);
        opt.certs = thread_certs;
    }
    c->tls = tnt_conn_new(c->app->live ? &conn_events_live : &conn_events, c, &opt);
    if (!c->tls) {
        free(c);
        return NULL;
    }
    c->id = c->app->conn_base + info->id;
    /* Connections open on several threads: the count is the highest id. */
    uint32_t seen = __atomic_load_n(&c->app->conn_count, __ATOMIC_RELAXED);
    while (seen < info->id &&
           !__atomic_compare_exchange_n(&c->app->conn_count, &seen, info->id, false,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    endpoint(c->client, sizeof c->client, info->family, info->client_addr, info->client_port);
    endpoint(c->server, sizeof c->server, info->family, info->server_addr, info->server_port);
    c->first_frame = info->first_frame;
    c->first_ts = info->first_ts;
    c->frame = info->first_frame;
    c->ts = info->first_ts;
    textbuf_init(&c->out);
    c->msgs = g_array_new(FALSE, FALSE, sizeof(json_msg));
    c->gaps = g_array_new(FALSE, FALSE, sizeof(json_gap));
    c->initiator = g_byte_array_new();
    if (c->app->writer)
        c->pkts = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    return c;
}

static void cap_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                     tnt_cap_ts ts)
{
    dconn *c = conn;
    if (!c)
        return;
    c->frame = frame;
    c->ts = ts;
    tnt_conn_set_frame(c->tls, frame);
    tnt_conn_feed(c->tls, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, data, len);
}

static void cap_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    dconn *c = conn;
    if (!c)
        return;
    c->frame = frame;
    c->ts = ts;
    tnt_conn_set_frame(c->tls, frame);
    tnt_conn_gap(c->tls, dir == TNT_DIR_C2S ? TNT_C2S : TNT_S2C, bytes);
}

static void fmt_time(char *buf, size_t cap, tnt_cap_ts ts)
{
    time_t t = (time_t)ts.sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf + n, cap - n, ".%06u", ts.usec);
}

static bool carries_tnt(const tnt_nego *n)
{
    uint32_t nh = n ? tnt_nego_n_handshakes(n) : 0;
    for (uint32_t i = 0; i < nh; i++) {
        const tnt_nego_hs *h = tnt_nego_handshake(n, i);
        /* An offer the server ignored is not TNT on the wire. */
        if ((h->client_tnt && h->server_tnt) || h->has_negotiation || h->resume_answered)
            return true;
    }
    return false;
}

/* -j: a worker analyses a file without the sessions of the files before
 * it. Whether that mattered: a resumption whose secret or whose trust it
 * could not find might have found them there. */
static bool depends_on_earlier(const dconn *c)
{
    tnt_hs_info hi;
    tnt_hs_keys hk;
    for (uint32_t i = 0; tnt_conn_handshake_info(c->tls, i, &hi); i++)
        if (hi.resumed && tnt_conn_handshake_keys(c->tls, i, &hk) && !hk.have_ms)
            return true;
    const tnt_nego *n = tnt_conn_negotiation(c->tls);
    uint32_t nh = n ? tnt_nego_n_handshakes(n) : 0;
    for (uint32_t i = 0; i < nh; i++) {
        const tnt_nego_hs *h = tnt_nego_handshake(n, i);
        if (h->resume_answered && !h->linked)
            return true;
    }
    return false;
}

/* The summary counts the connection objects --json prints, read back, so
 * that it and --merge (which only has the NDJSON) count alike. */
static void add_to_summary(app *a, const char *buf, size_t len)
{
    /* --diagram draws from the same objects. */
    jv *v = jv_parse(buf, len, NULL, 0);
    if (v && a->opt->summary)
        summary_add(&a->sum, v);
    if (v && a->diagram)
        diagram_add(a->diagram, v);
    jv_free(v);
}

static void totals_merge(json_totals *t, const json_totals *add, int times)
{
    for (int k = 0; k < times; k++) {
        t->connections += add->connections;
        t->handshakes += add->handshakes;
        t->negotiations += add->negotiations;
        t->success += add->success;
        t->failure += add->failure;
        t->incomplete += add->incomplete;
        t->trust += add->trust;
        for (int i = 0; i < TNT_V_COUNT; i++)
            t->violations[i] += add->violations[i];
    }
}

/* A connection's output, made when it ends and written in input order
 * (tnt_pipeline_emit): head (its text line, or the whole coloured block)
 * then body (its text so far, perhaps spilled to a file); json, its
 * connection object, for stdout, -j's side file, the summary and the
 * diagram; the run-wide counts it adds. */
typedef struct closed {
    app *a;
    char *head;
    size_t head_len;
    textbuf body;
    char *json;
    size_t json_len;
    json_totals totals;
    bool depends;
} closed;

static void write_closed(void *arg)
{
    closed *k = arg;
    app *a = k->a;
    const options *o = a->opt;
    if (k->depends)
        a->depends = true;
    if (k->json) {
        /* Counted once per place the object went, as they always were. */
        int places = (a->side ? 1 : 0) + (o->summary || a->diagram || o->json ? 1 : 0);
        totals_merge(&a->totals, &k->totals, places);
        if (a->side)
            fwrite(k->json, 1, k->json_len, a->side);
        if (o->json)
            fwrite(k->json, 1, k->json_len, stdout);
        if (o->summary || a->diagram)
            add_to_summary(a, k->json, k->json_len);
    }
    if (k->head)
        fwrite(k->head, 1, k->head_len, stdout);
    textbuf_flush(&k->body, stdout);
    if (a->live)
        fflush(stdout);
    textbuf_free(&k->body);
    free(k->head);
    free(k->json);
    free(k);
}

/* The connection's line to out; its text (c->out, with the negotiation's
 * summary added) follows it there when flush_body, else stays in c->out. */
static void print_text_block(dconn *c, FILE *out, tnt_close_reason reason, uint64_t last_frame,
                             tnt_cap_ts last_ts, bool flush_body)
{
    const options *o = c->app->opt;
    const tnt_nego *n = tnt_conn_negotiation(c->tls);
    char t0[64], t1[64];
    fmt_time(t0, sizeof t0, c->first_ts);
    fmt_time(t1, sizeof t1, last_ts);
    fprintf(out, "#%u %s > %s  %s .. %s UTC", c->id, c->client, c->server, t0, t1);
    const char *vn = tnt_version_name(tnt_conn_version(c->tls));
    if (tnt_conn_sslv2(c->tls))
        fprintf(out, "  SSL 2.0");
    else if (vn)
        fprintf(out, "  %s", vn);
    if (o->quiet && n)
        print_nego_oneline(out, n);
    if (o->verbose)
        fprintf(out, "  frames %llu-%llu, %s", (unsigned long long)c->first_frame,
                (unsigned long long)last_frame, tnt_close_reason_name(reason));
    fprintf(out, "\n");
    if (!o->quiet) {
        if (n)
            print_nego_summary(&c->out, n, o->verbose);
        if (flush_body)
            textbuf_flush(&c->out, out);
    }
}

static void cap_close(void *conn, tnt_close_reason reason, uint64_t last_frame, tnt_cap_ts last_ts)
{
    dconn *c = conn;
    if (!c)
        return;
    c->frame = last_frame;
    c->ts = last_ts;
    tnt_conn_finish(c->tls);
    const options *o = c->app->opt;
    bool tls = tnt_conn_is_tls(c->tls);
    json_conn jc = {c->app->source,   c->id,
                    c->client,        c->server,
                    c->first_ts,      last_ts,
                    c->tls,           (const json_msg *)c->msgs->data,
                    c->msgs->len,     (const json_gap *)c->gaps->data,
                    c->gaps->len,     c->initiator->data,
                    c->initiator->len};
    if (tls && c->app->writer && (!o->tnt_only || carries_tnt(tnt_conn_negotiation(c->tls))))
        pcapng_writer_keep(c->app->writer, (const uint64_t *)c->pkts->data, c->pkts->len, c->tls,
                           c->app->keys->keylog);
    closed *k = calloc(1, sizeof *k);
    if (!k) {
        /* Nothing to write the connection with: said, not silently lost. */
        fprintf(stderr, "tntdump: out of memory writing connection #%u\n", c->id);
    } else {
        k->a = c->app;
        textbuf_init(&k->body);
        if (tls)
            k->depends = depends_on_earlier(c);
        if (tls && (c->app->side || o->summary || c->app->diagram || o->json)) {
            FILE *m = open_memstream(&k->json, &k->json_len);
            if (m) {
                json_connection(m, &jc, &k->totals);
                fclose(m);
            }
        }
        if (tls && !o->json) {
            FILE *m = open_memstream(&k->head, &k->head_len);
            if (m && c->app->color) {
                /* Coloured as a whole block, after it is complete. */
                char *buf = NULL;
                size_t len = 0;
                FILE *b = open_memstream(&buf, &len);
                if (b) {
                    print_text_block(c, b, reason, last_frame, last_ts, true);
                    fclose(b);
                    color_write(buf, len, m);
                    free(buf);
                }
            } else if (m) {
                /* A long block stays where it spilled until written. */
                print_text_block(c, m, reason, last_frame, last_ts, false);
                if (!o->quiet) {
                    k->body = c->out;
                    textbuf_init(&c->out);
                }
            }
            if (m)
                fclose(m);
        } else if (!tls && o->verbose >= 2 && !o->json) {
            /* What lib said about the bytes (an incomplete first record) is
             * why it is not "no TLS". */
            bool said = c->out.len || c->out.spill;
            FILE *m = open_memstream(&k->head, &k->head_len);
            if (m) {
                fprintf(m, "#%u %s > %s  %s\n", c->id, c->client, c->server,
                        said ? "no complete TLS record" : "no TLS");
                fclose(m);
            }
            if (said) {
                k->body = c->out; /* moved: written when its turn comes */
                textbuf_init(&c->out);
            }
        }
        tnt_pipeline_emit(write_closed, k);
    }
    if (c->pkts)
        g_array_free(c->pkts, TRUE);
    g_array_free(c->msgs, TRUE);
    g_array_free(c->gaps, TRUE);
    g_byte_array_free(c->initiator, TRUE);
    textbuf_free(&c->out);
    tnt_conn_free(c->tls);
    free(c);
}

static void cap_packet(void *user, uint64_t frame, tnt_cap_ts ts, int dlt, const uint8_t *data,
                       size_t caplen, size_t wirelen)
{
    (void)frame;
    app *a = user;
    if (a->writer)
        pcapng_writer_spool(a->writer, ts, dlt, data, caplen, wirelen);
    if (a->progress && running && ++a->packets % 1024 == 0)
        progress_update(a->progress, a->file_index, tnt_capture_offset(running));
}

static void pipeline_progress(void *user, uint64_t offset)
{
    app *a = user;
    progress_update(a->progress, a->file_index, offset);
}

static void cap_segment(void *conn, uint64_t frame)
{
    (void)frame;
    dconn *c = conn;
    if (c && c->pkts) {
        uint64_t n = pcapng_writer_last(c->app->writer);
        g_array_append_val(c->pkts, n);
    }
}

static void cap_order_unknown(void *conn, uint64_t frame)
{
    dconn *c = conn;
    if (!c)
        return;
    tnt_conn_set_frame(c->tls, frame);
    tnt_conn_order_unknown(c->tls);
}

static void cap_diag(void *user, uint64_t frame, const char *text)
{
    app *a = user;
    if (a->opt->quiet) {
        /* Counted all the same (the summary's diagnostics). */
        emit_diag(a, text, NULL);
        return;
    }
    if (frame)
        emit_diag(a, text,
                  g_strdup_printf("tntdump: %s: frame %llu: %s\n", a->source,
                                  (unsigned long long)frame, text));
    else
        emit_diag(a, text, g_strdup_printf("tntdump: %s: %s\n", a->source, text));
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tntdump [-qvl] [--json] [-c count] [-s snaplen] [-p]\n"
               "               [-k keylog] [--rsa-key file] [--app-data] [--trust-anchor file]\n"
               "               [--tnt-ext N] [--tnt-negotiation N] [--tnt-proof N]\n"
               "               [-w out.pcapng [--tnt-only]] [--summary] [-j N] [--threads N]\n"
               "               [--diagram path]\n"
               "               [--color[=when]] [--progress | --no-progress]\n"
               "               (-r input ... | -i interface) [expression]\n"
               "       tntdump --merge shard.ndjson ...\n"
               "       tntdump --print-inputs -r input ...\n"
               "  -r input    a pcap or pcapng file (\"-\" for stdin), a directory (recursive)\n"
               "              or a glob; repeatable; all inputs are one body of evidence\n"
               "  -i iface    capture live from an interface\n"
               "  expression  a BPF filter (pcap-filter(7))\n"
               "  -q          quiet: connection lines only, no diagnostics on stderr\n"
               "  -v          more detail (repeat for more)\n"
               "  -c count    stop after count packets\n"
               "  -l, --line-buffered\n"
               "              print each negotiation's verdict as soon as it is settled and\n"
               "              each connection's block when it ends (always so with -i)\n"
               "  -s snaplen  live capture snapshot length (default 262144)\n"
               "  -p          do not put the interface into promiscuous mode\n"
               "  -k, --keylog FILE\n"
               "              NSS key log (SSLKEYLOGFILE format); repeatable. Secrets in pcapng\n"
               "              Decryption Secrets Blocks are used automatically\n"
               "  --rsa-key FILE\n"
               "              RSA private key (PEM, PKCS#1 or PKCS#8) of a server; repeatable\n"
               "  --app-data  decrypt application data and print it as hex and ASCII\n"
               "  --trust-anchor FILE\n"
               "              CA certificate(s), PEM or DER, to validate disclosed TNT chains\n"
               "  --json      NDJSON: one object per connection, then a summary object\n"
               "  -w FILE     write the TLS connections' packets and their keys (a DSB) to FILE\n"
               "  --tnt-only  with -w: only connections that carry TNT\n"
               "  --summary   totals of the run (text, or more summary fields with --json)\n"
               "  -j, --jobs N  analyse input files in N processes (same output)\n"
               "  --threads N  1: one thread; N > 1: one reads and reassembles TCP, N - 1\n"
               "              analyse the connections (same output; default: CPUs + 2, at\n"
               "              most 10, with 2 CPUs or more; always 1 with -i, -l or -w)\n"
               "  --merge     combine the NDJSON of runs made with --json --summary\n"
               "  --print-inputs  list the files -r names, in reading order\n"
               "  --diagram PATH  sequence chart of each negotiation (.svg, .mmd, or a directory)\n"
               "  --color[=never|always|auto]  colour the text (auto: on a terminal)\n"
               "  --progress, --no-progress  progress line on stderr (default: large input\n"
               "              on a terminal)\n"
               "  --tnt-ext N, --tnt-negotiation N, --tnt-proof N\n"
               "              TNT codepoints (defaults 0xff54, 224, 225)\n"
               "  --version   print the version\n"
               "exit status: 0 success, 1 input unreadable, 2 usage, 3 input damaged\n");
}

static bool parse_num(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s || *end || v > max)
        return false;
    *out = v;
    return true;
}

static void keylog_warning(void *user, const char *source, unsigned line, const char *what)
{
    app *a = user;
    if (a && a->silent)
        return;
    char *kind = g_strdup_printf("key log line ignored: %s", what);
    bool show = !a || chatter_allow(a->chat, kind);
    g_free(kind);
    if (!show)
        return;
    fprintf(stderr, "tntdump: %s:%u: %s (line ignored)\n", source, line, what);
}

/* Key files are given once for the whole run; a file that cannot be read at
 * all is an input error, a bad line only a warning. */
static int load_keys(app *a)
{
    const options *o = a->opt;
    a->keys = tnt_keys_new();
    a->conn_opt.keys = a->keys;
    a->conn_opt.decrypt_app_data = o->app_data;
    a->conn_opt.negotiation = true;
    a->conn_opt.sessions = a->sessions;
    a->conn_opt.certs = a->certs;
    a->conn_opt.anchors = o->n_anchors ? &a->anchors : NULL;
    a->conn_opt.codepoints = &o->codepoints;
    for (int i = 0; i < o->n_anchors; i++) {
        tnt_error err = {0, NULL};
        if (!tnt_anchors_add_file(&a->anchors, o->anchors[i], NULL, 0, &err)) {
            fprintf(stderr, "tntdump: %s: %s\n", o->anchors[i], err.what ? err.what : "unreadable");
            return EXIT_INPUT;
        }
    }
    for (int i = 0; i < o->n_keylogs; i++) {
        GError *err = NULL;
        tnt_keylog_stats st;
        if (!tnt_keylog_load_file(a->keys->keylog, o->keylogs[i], keylog_warning, a, &st, &err)) {
            fprintf(stderr, "tntdump: %s: %s\n", o->keylogs[i], err ? err->message : "unreadable");
            g_clear_error(&err);
            return EXIT_INPUT;
        }
        if (st.loaded == 0)
            fprintf(stderr, "tntdump: %s: no usable key log line\n", o->keylogs[i]);
    }
    for (int i = 0; i < o->n_rsa_keys; i++) {
        GError *err = NULL;
        if (tnt_rsa_keyset_load_file(a->keys->rsa, o->rsa_keys[i], &err) < 0) {
            /* GnuTLS-side messages already name the file. */
            fprintf(stderr, "tntdump: %s\n", err ? err->message : o->rsa_keys[i]);
            g_clear_error(&err);
            return EXIT_INPUT;
        }
    }
    return EXIT_OK;
}

static void dsb_secrets(void *user, uint32_t type, const uint8_t *data, size_t len)
{
    app *a = user;
    if (type != PCAPNG_SECRETS_TLS_KEYLOG)
        return;
    char name[600];
    snprintf(name, sizeof name, "%s (Decryption Secrets Block)", a->source);
    tnt_keylog_load_buffer(a->keys->keylog, name, data, len, keylog_warning, a, NULL);
}

static pcapng_dsb_result load_dsb(app *a, const char *path)
{
    char err[256];
    if (strcmp(path, "-") == 0)
        return PCAPNG_DSB_UNREADABLE;
    pcapng_dsb_result r = pcapng_read_secrets(path, dsb_secrets, a, err, sizeof err);
    if (r == PCAPNG_DSB_DAMAGED && !a->silent)
        fprintf(stderr, "tntdump: %s: while looking for decryption secrets: %s\n", path, err);
    return r;
}

static int run_source(app *a, tnt_capture *cap)
{
    char errbuf[TNT_CAPTURE_ERRBUF_SIZE];
    if (a->opt->filter && !tnt_capture_set_filter(cap, a->opt->filter, errbuf)) {
        fprintf(stderr, "tntdump: bad filter expression: %s\n", errbuf);
        return EXIT_USAGE;
    }
    tnt_capture_callbacks cb = {a,        cap_open, cap_data, cap_gap,          cap_close,
                                cap_diag, NULL,     NULL,     cap_order_unknown};
    if (a->writer)
        cb.on_segment = cap_segment;
    if (a->writer || a->progress)
        cb.on_packet = cap_packet;
    /* -w numbers each connection's packets as they are spooled, and live
     * output must not wait for a chunk to fill: both stay on one thread. */
    tnt_pipeline *pl = NULL;
    if (a->opt->threads >= 2 && !a->writer && !a->live) {
        tnt_pipeline_options po = {(unsigned)a->opt->threads - 1,
                                   a->progress ? pipeline_progress : NULL, 1024, cap, thread_end};
        pl = tnt_pipeline_start(&cb, &po);
    }
    if (pl) {
        tnt_session_store_set_order(a->sessions, tnt_pipeline_order(pl));
        tnt_keys_set_order(a->keys, tnt_pipeline_order(pl));
    }
    running = cap;
    tnt_capture_status st = tnt_capture_run(cap, pl ? tnt_pipeline_front(pl) : &cb, a->opt->count);
    tnt_pipeline_finish(pl);
    /* What the threads kept for its turn, applied for the next file. */
    tnt_session_store_set_order(a->sessions, NULL);
    tnt_keys_set_order(a->keys, NULL);
    running = NULL;
    fflush(stdout);
    if (st == TNT_CAPTURE_READ_ERROR)
        return EXIT_DAMAGED;
    return EXIT_OK;
}

/* One input file; its status (EXIT_USAGE: stop the run). */
static int run_file(app *a, int i)
{
    const options *o = a->opt;
    char errbuf[TNT_CAPTURE_ERRBUF_SIZE];
    a->source = o->files[i];
    chatter_new_file(a->chat);
    /* Secrets first: a block may stand after the packets it decrypts. */
    pcapng_dsb_result dsb = load_dsb(a, o->files[i]);
    tnt_capture *cap = tnt_capture_open_file(o->files[i], errbuf);
    if (!cap && dsb == PCAPNG_DSB_OK) {
        /* libpcap refuses a pcapng without interfaces; one that only
         * carries secrets is still a good input. */
        fprintf(stderr, "tntdump: %s: no packets (%s)\n", o->files[i], errbuf);
        return EXIT_OK;
    }
    if (!cap) {
        fprintf(stderr, "tntdump: %s: %s\n", o->files[i], errbuf);
        return EXIT_INPUT;
    }
    if (o->n_files > 1 && !o->json) {
        char *line = g_strdup_printf("== %s\n", o->files[i]);
        write_text(a, line, strlen(line));
        g_free(line);
    }
    a->file_index = i;
    a->conn_count = 0;
    int st = run_source(a, cap);
    tnt_capture_close(cap);
    a->conn_base += a->conn_count;
    progress_file_done(a->progress, i);
    return st;
}

static void *count_open(void *user, const tnt_conn_info *info)
{
    *(uint32_t *)user = info->id;
    return NULL;
}

/* -j, first pass: the TCP connections of a file (which number the
 * connections of the files after it), without decoding TLS. */
static void job_count(void *ctx, int i, FILE *side, job_result *r)
{
    (void)side;
    app *a = ctx;
    char errbuf[TNT_CAPTURE_ERRBUF_SIZE];
    uint32_t n = 0;
    tnt_capture *cap = tnt_capture_open_file(a->opt->files[i], errbuf);
    if (cap && (!a->opt->filter || tnt_capture_set_filter(cap, a->opt->filter, errbuf))) {
        tnt_capture_callbacks cb = {&n, count_open, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        tnt_capture_run(cap, &cb, a->opt->count);
    }
    tnt_capture_close(cap);
    r->value = n;
}

/* -j, second pass: a file as the sequential run would read it, but for the
 * sessions of the files before it (see depends_on_earlier). */
static void job_analyse(void *ctx, int i, FILE *side, job_result *r)
{
    app *a = ctx;
    a->silent = true;
    for (int j = 0; j < i; j++)
        load_dsb(a, a->opt->files[j]);
    a->silent = false;
    a->side = side;
    a->diagram = NULL; /* drawn by the parent, in order */
    a->progress = NULL;
    a->conn_base = a->bases[i];
    chatter_reset(a->chat); /* the parent counts the run's */
    r->status = run_file(a, i);
    if (!chatter_empty(a->chat)) {
        GString *d = g_string_new("{\"type\":\"diagnostics\",\"counts\":");
        chatter_json_shown(a->chat, d);
        g_string_append(d, "}\n");
        fwrite(d->str, 1, d->len, side);
        g_string_free(d, TRUE);
    }
    r->value = a->conn_base - a->bases[i];
    r->flag = a->depends;
}

/* The default --json summary's totals, from a connection object. */
static void totals_add(json_totals *t, const jv *c)
{
    t->connections++;
    const jv *hs = jv_get(c, "handshakes");
    for (size_t i = 0; i < jv_n(hs); i++) {
        t->handshakes++;
        const jv *n = jv_get(jv_at(hs, i), "negotiation");
        if (!n || n->type != JV_OBJ)
            continue;
        t->negotiations++;
        const char *out = jv_str(jv_get(n, "outcome"));
        t->success += out && !strcmp(out, "success");
        t->failure += out && !strcmp(out, "failure");
        t->incomplete += out && !strcmp(out, "incomplete");
        t->trust += jv_true(jv_get(n, "trust_established"));
    }
    const jv *v = jv_get(c, "violations");
    for (size_t i = 0; i < jv_n(v); i++)
        for (int k = 0; k < TNT_V_COUNT; k++)
            if (!g_strcmp0(jv_str(jv_get(jv_at(v, i), "code")), tnt_viol_code_name(k)))
                t->violations[k]++;
}

/* -j N: the files analysed by N workers, written out in input order, the
 * same bytes as one process would write. Connection numbers continue across
 * files, so a first pass counts each file's connections. A file whose
 * worker missed a session that an earlier file may hold is where worker
 * and sequential run may differ: then the whole run is made sequentially.
 * False when the run is not made here (one job, one file, -w, stdin). */
/* A worker's {"kind":[count,shown],...}. */
static void add_diagnostics(chatter *ch, const jv *counts)
{
    if (!counts || counts->type != JV_OBJ)
        return;
    for (guint i = 0; i < counts->items->len; i++) {
        const jmember *m = g_ptr_array_index(counts->items, i);
        chatter_add(ch, m->key, (uint64_t)jv_int(jv_at(m->val, 0), 0),
                    (uint64_t)jv_int(jv_at(m->val, 1), 0));
    }
}

static bool parallel_files(app *a, const options *o, int *status)
{
    if (o->jobs < 2 || o->n_files < 2 || a->writer)
        return false;
    for (int i = 0; i < o->n_files; i++)
        if (!strcmp(o->files[i], "-"))
            return false;
    int n = o->n_files;
    job_result *counts = calloc((size_t)n, sizeof *counts);
    job_result *res = calloc((size_t)n, sizeof *res);
    a->bases = calloc((size_t)n + 1, sizeof *a->bases);
    bool done = false;
    if (counts && res && a->bases && jobs_map(n, o->jobs, job_count, a, counts)) {
        for (int i = 0; i < n; i++)
            a->bases[i + 1] = a->bases[i] + counts[i].value;
        bool ok = jobs_map(n, o->jobs, job_analyse, a, res);
        for (int i = 0; ok && i < n; i++)
            ok = !res[i].crashed && (i == 0 || !res[i].flag) && res[i].value == counts[i].value;
        if (ok) {
            done = true;
            for (int i = 0; i < n; i++) {
                jobs_copy(res[i].out, stdout);
                fflush(stdout);
                jobs_copy(res[i].err, stderr);
                char *line = NULL;
                size_t cap = 0;
                ssize_t len;
                while ((len = getline(&line, &cap, res[i].side)) > 0) {
                    jv *v = jv_parse(line, (size_t)len, NULL, 0);
                    if (v && !g_strcmp0(jv_str(jv_get(v, "type")), "diagnostics")) {
                        add_diagnostics(a->chat, jv_get(v, "counts"));
                        jv_free(v);
                        continue;
                    }
                    if (v && o->summary)
                        summary_add(&a->sum, v);
                    if (v && a->diagram)
                        diagram_add(a->diagram, v);
                    if (v)
                        totals_add(&a->totals, v);
                    jv_free(v);
                }
                free(line);
                a->conn_base = a->bases[i + 1];
                progress_file_done(a->progress, i);
                if (res[i].status == EXIT_USAGE) {
                    *status = EXIT_USAGE;
                    break;
                }
                if (res[i].status != EXIT_OK && *status == EXIT_OK)
                    *status = res[i].status;
            }
        }
    }
    /* For tests: which way the run went (the output must not say). */
    if (getenv("TNTDUMP_JOBS_TRACE"))
        fprintf(stderr, "tntdump: -j %d: %s\n", o->jobs,
                done ? "files analysed in parallel" : "made sequentially");
    if (counts)
        jobs_free(counts, n);
    if (res)
        jobs_free(res, n);
    free(counts);
    free(res);
    free(a->bases);
    a->bases = NULL;
    return done;
}

/* After the last input: the summary, and the -w file. */
static void finish_run(app *a, const options *o, int *status)
{
    progress_free(a->progress);
    a->progress = NULL;
    if (!o->quiet)
        chatter_report(a->chat, stderr);
    if (o->summary) {
        a->sum.diagnostics = a->chat;
        a->sum.tcp_connections = a->conn_base + (o->iface ? a->conn_count : 0);
        if (o->json)
            summary_json(stdout, &a->sum, o->files, o->n_files);
        else
            summary_text(stdout, &a->sum, o->n_files);
        summary_free(&a->sum);
    } else if (o->json) {
        json_summary(stdout, o->files, o->n_files, &a->totals, a->chat);
    }
    fflush(stdout);
    if (a->diagram && !diagram_finish(a->diagram) && *status == EXIT_OK)
        *status = EXIT_INPUT;
    a->diagram = NULL;
    if (a->writer) {
        char err[600];
        if (!pcapng_writer_finish(a->writer, err, sizeof err)) {
            fprintf(stderr, "tntdump: %s\n", err);
            if (*status == EXIT_OK)
                *status = EXIT_INPUT;
        }
        a->writer = NULL;
    }
}

static int tntdump(int argc, char **argv, options *o, app *a)
{
    unsigned long ext = TNT_DEFAULT_EXT_TYPE, neg = TNT_DEFAULT_HS_NEGOTIATION,
                  proof = TNT_DEFAULT_HS_PROOF;
    enum {
        OPT_EXT = 256,
        OPT_NEG,
        OPT_PROOF,
        OPT_VERSION,
        OPT_RSA,
        OPT_APPDATA,
        OPT_ANCHOR,
        OPT_JSON,
        OPT_TNT_ONLY,
        OPT_SUMMARY,
        OPT_MERGE,
        OPT_DIAGRAM,
        OPT_COLOR,
        OPT_PROGRESS,
        OPT_NO_PROGRESS,
        OPT_PRINT_INPUTS,
        OPT_THREADS,
    };
    static const struct option longopts[] = {
        {"read", required_argument, NULL, 'r'},
        {"interface", required_argument, NULL, 'i'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"count", required_argument, NULL, 'c'},
        {"snaplen", required_argument, NULL, 's'},
        {"no-promiscuous-mode", no_argument, NULL, 'p'},
        {"keylog", required_argument, NULL, 'k'},
        {"rsa-key", required_argument, NULL, OPT_RSA},
        {"app-data", no_argument, NULL, OPT_APPDATA},
        {"trust-anchor", required_argument, NULL, OPT_ANCHOR},
        {"json", no_argument, NULL, OPT_JSON},
        {"write", required_argument, NULL, 'w'},
        {"tnt-only", no_argument, NULL, OPT_TNT_ONLY},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"merge", no_argument, NULL, OPT_MERGE},
        {"diagram", required_argument, NULL, OPT_DIAGRAM},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"progress", no_argument, NULL, OPT_PROGRESS},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"print-inputs", no_argument, NULL, OPT_PRINT_INPUTS},
        {"jobs", required_argument, NULL, 'j'},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"line-buffered", no_argument, NULL, 'l'},
        {"tnt-ext", required_argument, NULL, OPT_EXT},
        {"tnt-negotiation", required_argument, NULL, OPT_NEG},
        {"tnt-proof", required_argument, NULL, OPT_PROOF},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int ch;
    unsigned long v;
    bool print_inputs = false;
    while ((ch = getopt_long(argc, argv, "r:i:qvc:s:phk:w:j:l", longopts, NULL)) != -1) {
        switch (ch) {
        case 'r':
            o->files[o->n_files++] = optarg;
            break;
        case 'i':
            o->iface = optarg;
            break;
        case 'k':
            o->keylogs[o->n_keylogs++] = optarg;
            break;
        case OPT_RSA:
            o->rsa_keys[o->n_rsa_keys++] = optarg;
            break;
        case OPT_APPDATA:
            o->app_data = true;
            break;
        case OPT_ANCHOR:
            o->anchors[o->n_anchors++] = optarg;
            break;
        case OPT_JSON:
            o->json = true;
            break;
        case 'w':
            o->write_file = optarg;
            break;
        case OPT_TNT_ONLY:
            o->tnt_only = true;
            break;
        case OPT_SUMMARY:
            o->summary = true;
            break;
        case OPT_MERGE:
            o->merge = true;
            break;
        case OPT_DIAGRAM:
            o->diagram = optarg;
            break;
        case OPT_COLOR:
            if (!optarg)
                o->color = COLOR_ALWAYS;
            else if (!color_parse(optarg, &o->color)) {
                fprintf(stderr, "tntdump: --color takes never, always or auto, not %s\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_PROGRESS:
            o->progress = 1;
            break;
        case OPT_NO_PROGRESS:
            o->progress = -1;
            break;
        case OPT_PRINT_INPUTS:
            print_inputs = true;
            break;
        case 'j':
            if (!parse_num(optarg, 256, &v) || v == 0) {
                fprintf(stderr, "tntdump: bad number of jobs: %s\n", optarg);
                return EXIT_USAGE;
            }
            o->jobs = (int)v;
            break;
        case OPT_THREADS:
            if (!parse_num(optarg, TNT_PIPELINE_MAX_WORKERS + 1, &v) || v == 0) {
                fprintf(stderr, "tntdump: --threads takes 1 to %u, not %s\n",
                        TNT_PIPELINE_MAX_WORKERS + 1, optarg);
                return EXIT_USAGE;
            }
            o->threads = (int)v;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'l':
            o->line_buffered = true;
            break;
        case 'v':
            o->verbose++;
            break;
        case 'c':
            if (!parse_num(optarg, ~0ul, &v) || v == 0) {
                fprintf(stderr, "tntdump: bad count: %s\n", optarg);
                return EXIT_USAGE;
            }
            o->count = v;
            break;
        case 's':
            if (!parse_num(optarg, 262144, &v)) {
                fprintf(stderr, "tntdump: bad snaplen: %s\n", optarg);
                return EXIT_USAGE;
            }
            o->snaplen = (int)v;
            break;
        case 'p':
            o->promisc = false;
            break;
        case OPT_EXT:
        case OPT_NEG:
        case OPT_PROOF:
            if (!parse_num(optarg, ch == OPT_EXT ? 0xffff : 0xff, &v)) {
                fprintf(stderr, "tntdump: bad codepoint: %s\n", optarg);
                return EXIT_USAGE;
            }
            *(ch == OPT_EXT ? &ext : ch == OPT_NEG ? &neg : &proof) = v;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        case OPT_VERSION:
            printf("tntdump %s\n%s\n", TNT_VERSION, pcap_lib_version());
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (o->merge)
        return merge_main((const char *const *)argv + optind, argc - optind, o->json, o->summary);
    if ((o->n_files == 0) == (o->iface == NULL)) {
        fprintf(stderr, "tntdump: give either -r file or -i interface\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!tnt_codepoints_make(&o->codepoints, (uint16_t)ext, (uint8_t)neg, (uint8_t)proof)) {
        fprintf(stderr, "tntdump: TNT handshake types must differ and not be registered TLS "
                        "handshake types\n");
        return EXIT_USAGE;
    }
    /* The trailing words form one BPF expression, as in tcpdump. */
    if (optind < argc) {
        size_t len = 1;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        o->filter = calloc(1, len);
        if (!o->filter)
            return EXIT_INPUT;
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(o->filter, " ");
            strcat(o->filter, argv[i]);
        }
    }

    GPtrArray *expanded = g_ptr_array_new_with_free_func(g_free);
    inputs_expand(o->files, o->n_files, expanded);
    g_ptr_array_add(expanded, NULL);
    free(o->files);
    o->n_files = (int)expanded->len - 1;
    o->files = (const char **)g_ptr_array_free(expanded, FALSE);
    o->files_owned = true;
    /* For drivers that shard a run (scripts/tntdump-dask.py): the files in
     * the order a run reads them. */
    if (print_inputs) {
        for (int i = 0; i < o->n_files; i++)
            printf("%s\n", o->files[i]);
        return EXIT_OK;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    a->opt = o;
    int status = load_keys(a);
    if (status != EXIT_OK)
        return status;
    /* Made once the keys load, so that no early return leaves them. */
    if (o->write_file) {
        char err[256];
        a->writer = pcapng_writer_new(o->write_file, err, sizeof err);
        if (!a->writer) {
            fprintf(stderr, "tntdump: %s\n", err);
            return EXIT_INPUT;
        }
    }
    if (o->summary)
        summary_init(&a->sum);
    if (o->diagram)
        a->diagram = diagram_new(o->diagram);
    a->color = !o->json && color_wanted(o->color);
    a->live = o->iface || o->line_buffered;
    if (o->threads == 0) {
        /* A second thread only pays where a CPU is free for it. */
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        int procs = o->jobs > 1 && o->n_files > 1 ? o->jobs : 1;
        long per = ncpu / procs;
        /* One analysis thread more than CPUs: while one waits (for memory,
         * a lock, its next chunk) the CPUs stay busy (measured on 2 CPUs:
         * 3 analysis threads 12 % faster than 2). */
        o->threads = per >= 2 ? (int)(per > 8 ? 10 : per + 2) : 1;
    }
    if (!o->iface)
        a->progress = progress_new(o->files, o->n_files, o->progress);
    char errbuf[TNT_CAPTURE_ERRBUF_SIZE];
    if (o->iface) {
        a->source = o->iface;
        tnt_capture *cap = tnt_capture_open_live(o->iface, o->snaplen, o->promisc, errbuf);
        if (!cap) {
            fprintf(stderr, "tntdump: %s: %s\n", o->iface, errbuf);
            status = EXIT_INPUT;
        } else {
            status = run_source(a, cap);
            tnt_capture_close(cap);
        }
    }
    if (!o->iface && !parallel_files(a, o, &status)) {
        for (int i = 0; i < o->n_files; i++) {
            int st = run_file(a, i);
            if (st == EXIT_USAGE) {
                status = st;
                break;
            }
            if (st != EXIT_OK && status == EXIT_OK)
                status = st;
        }
    }
    finish_run(a, o, &status);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.promisc = true;
    o.color = COLOR_AUTO;
    o.files = calloc((size_t)argc, sizeof(char *));
    o.keylogs = calloc((size_t)argc, sizeof(char *));
    o.rsa_keys = calloc((size_t)argc, sizeof(char *));
    o.anchors = calloc((size_t)argc, sizeof(char *));
    app a;
    memset(&a, 0, sizeof a);
    tnt_arena_init(&a.anchor_arena);
    tnt_anchors_init(&a.anchors, &a.anchor_arena);
    a.sessions = tnt_session_store_new();
    a.certs = tnt_cert_cache_new(TNT_CERT_CACHE_DEFAULT);
    a.chat = chatter_new();
    int status = EXIT_INPUT;
    if (o.files && o.keylogs && o.rsa_keys && o.anchors)
        status = tntdump(argc, argv, &o, &a);
    free(o.anchors);
    tnt_session_store_free(a.sessions);
    /* Before the anchors: its chain results point at them. */
    tnt_cert_cache_free(a.certs);
    tnt_arena_free(&a.anchor_arena);
    free(o.filter);
    for (int i = 0; o.files_owned && i < o.n_files; i++)
        g_free((char *)o.files[i]);
    g_free(o.files);
    free(o.keylogs);
    free(o.rsa_keys);
    tnt_keys_free(a.keys);
    chatter_free(a.chat);
    return status;
}
