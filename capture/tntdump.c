/* tntdump: prints the TLS (and TNT) conversations in a capture.
 *
 * Packets come from capture.h as in-order TCP byte streams; each connection's
 * streams go to a lib/ tnt_conn, whose events are printed into the
 * connection's text block. A block is written out when its connection ends,
 * so blocks never interleave, even on a live interface. */
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
#include <arpa/inet.h>

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
    tnt_codepoints codepoints; /* --tnt-ext-type and the handshake types */
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
    const char *source; /* file name or interface, for messages */
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
} dconn;

static tnt_capture *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        tnt_capture_stop(running);
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
    const tnt_nego *n = tnt_conn_negotiation(c->tls);
    if (text && n && type == tnt_conn_codepoints(c->tls)->hs_proof)
        print_nego_proofs(&c->out, n, ev->handshake);
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
    if (!c->app->opt->quiet)
        fprintf(stderr, "tntdump: %s: frame %llu: #%u %s: %s\n", c->app->source,
                (unsigned long long)c->frame, c->id, dir_str(d), text);
}

static const tnt_conn_events conn_events = {ev_record, ev_message, ev_diag, NULL};

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
    c->tls = tnt_conn_new(&conn_events, c, &opt);
    if (!c->tls) {
        free(c);
        return NULL;
    }
    c->id = c->app->conn_base + info->id;
    c->app->conn_count = info->id;
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

static void cap_close(void *conn, tnt_close_reason reason, uint64_t last_frame, tnt_cap_ts last_ts)
{
    dconn *c = conn;
    if (!c)
        return;
    c->frame = last_frame;
    c->ts = last_ts;
    tnt_conn_finish(c->tls);
    const options *o = c->app->opt;
    const tnt_nego *n = tnt_conn_negotiation(c->tls);
    if (tnt_conn_is_tls(c->tls) && o->json) {
        json_conn jc = {c->app->source,   c->id,
                        c->client,        c->server,
                        c->first_ts,      last_ts,
                        c->tls,           (const json_msg *)c->msgs->data,
                        c->msgs->len,     (const json_gap *)c->gaps->data,
                        c->gaps->len,     c->initiator->data,
                        c->initiator->len};
        json_connection(stdout, &jc, &c->app->totals);
    } else if (tnt_conn_is_tls(c->tls)) {
        char t0[64], t1[64];
        fmt_time(t0, sizeof t0, c->first_ts);
        fmt_time(t1, sizeof t1, last_ts);
        printf("#%u %s > %s  %s .. %s UTC", c->id, c->client, c->server, t0, t1);
        const char *vn = tnt_version_name(tnt_conn_version(c->tls));
        if (tnt_conn_sslv2(c->tls))
            printf("  SSL 2.0");
        else if (vn)
            printf("  %s", vn);
        if (o->quiet && n)
            print_nego_oneline(stdout, n);
        if (o->verbose)
            printf("  frames %llu-%llu, %s", (unsigned long long)c->first_frame,
                   (unsigned long long)last_frame, tnt_close_reason_name(reason));
        printf("\n");
        if (!o->quiet) {
            if (n)
                print_nego_summary(&c->out, n, o->verbose);
            textbuf_flush(&c->out, stdout);
        }
    } else if (o->verbose >= 2 && !o->json) {
        printf("#%u %s > %s  no TLS\n", c->id, c->client, c->server);
    }
    g_array_free(c->msgs, TRUE);
    g_array_free(c->gaps, TRUE);
    g_byte_array_free(c->initiator, TRUE);
    textbuf_free(&c->out);
    tnt_conn_free(c->tls);
    free(c);
}

static void cap_diag(void *user, uint64_t frame, const char *text)
{
    app *a = user;
    if (a->opt->quiet)
        return;
    if (frame)
        fprintf(stderr, "tntdump: %s: frame %llu: %s\n", a->source, (unsigned long long)frame,
                text);
    else
        fprintf(stderr, "tntdump: %s: %s\n", a->source, text);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tntdump [-qv] [--json] [-c count] [-s snaplen] [-p]\n"
               "               [-k keylog] [--rsa-key file] [--app-data] [--trust-anchor file]\n"
               "               [--tnt-ext N] [--tnt-negotiation N] [--tnt-proof N]\n"
               "               (-r file ... | -i interface) [expression]\n"
               "  -r file     read a pcap or pcapng file (\"-\" for stdin); repeatable\n"
               "  -i iface    capture live from an interface\n"
               "  expression  a BPF filter (pcap-filter(7))\n"
               "  -q          quiet: connection lines only, no diagnostics on stderr\n"
               "  -v          more detail (repeat for more)\n"
               "  -c count    stop after count packets\n"
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
               "  --tnt-ext N, --tnt-negotiation N, --tnt-proof N\n"
               "              TNT codepoints (defaults 0xff54, 224, 225)\n"
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
    (void)user;
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
    if (r == PCAPNG_DSB_DAMAGED)
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
    tnt_capture_callbacks cb = {a, cap_open, cap_data, cap_gap, cap_close, cap_diag};
    running = cap;
    tnt_capture_status st = tnt_capture_run(cap, &cb, a->opt->count);
    running = NULL;
    fflush(stdout);
    if (st == TNT_CAPTURE_READ_ERROR)
        return EXIT_DAMAGED;
    return EXIT_OK;
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
        OPT_JSON
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
        {"tnt-ext", required_argument, NULL, OPT_EXT},
        {"tnt-negotiation", required_argument, NULL, OPT_NEG},
        {"tnt-proof", required_argument, NULL, OPT_PROOF},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int ch;
    unsigned long v;
    while ((ch = getopt_long(argc, argv, "r:i:qvc:s:phk:", longopts, NULL)) != -1) {
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
        case 'q':
            o->quiet = 1;
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
            printf("tntdump 0.1.0\n");
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
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

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    a->opt = o;
    int status = load_keys(a);
    if (status != EXIT_OK)
        return status;
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
    for (int i = 0; i < o->n_files; i++) {
        a->source = o->files[i];
        /* Secrets first: a block may stand after the packets it decrypts. */
        pcapng_dsb_result dsb = load_dsb(a, o->files[i]);
        tnt_capture *cap = tnt_capture_open_file(o->files[i], errbuf);
        if (!cap && dsb == PCAPNG_DSB_OK) {
            /* libpcap refuses a pcapng without interfaces; one that only
             * carries secrets is still a good input. */
            fprintf(stderr, "tntdump: %s: no packets (%s)\n", o->files[i], errbuf);
            continue;
        }
        if (!cap) {
            fprintf(stderr, "tntdump: %s: %s\n", o->files[i], errbuf);
            status = status == EXIT_OK ? EXIT_INPUT : status;
            continue;
        }
        if (o->n_files > 1 && !o->json)
            printf("== %s\n", o->files[i]);
        a->conn_count = 0;
        int st = run_source(a, cap);
        tnt_capture_close(cap);
        a->conn_base += a->conn_count;
        if (st == EXIT_USAGE) {
            status = st;
            break;
        }
        if (st != EXIT_OK && status == EXIT_OK)
            status = st;
    }
    if (o->json)
        json_summary(stdout, o->files, o->n_files, &a->totals);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    memset(&o, 0, sizeof o);
    o.promisc = true;
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
    int status = EXIT_INPUT;
    if (o.files && o.keylogs && o.rsa_keys && o.anchors)
        status = tntdump(argc, argv, &o, &a);
    free(o.anchors);
    tnt_session_store_free(a.sessions);
    /* Before the anchors: its chain results point at them. */
    tnt_cert_cache_free(a.certs);
    tnt_arena_free(&a.anchor_arena);
    free(o.filter);
    free(o.files);
    free(o.keylogs);
    free(o.rsa_keys);
    tnt_keys_free(a.keys);
    return status;
}
