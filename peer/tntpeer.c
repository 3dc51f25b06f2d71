/* tntpeer: the reference TNT endpoint (server and client) over real TCP
 * sockets, speaking TLS 1.0-1.2 through the engine of tls_engine.h and TNT
 * through tnt_party.h. See tntpeer.1 and docs/tntpeer.md.
 *
 * The application protocol is the smallest HTTP/1.0 that shows why TNT
 * exists: the client sends one request, `GET /records/4711 HTTP/1.0`; the
 * server learns from it which resource is wanted ("GET /records/4711", the
 * negotiation target of spec section 3), asks for a rehandshake in which
 * the trust negotiation runs, and answers 200 with the resource or 403. */
#include "tnt/chain_verify.h"
#include "config.h"
#include "tnt/names.h"
#include "tls_engine.h"
#include "tnt_party.h"
#include "tnt/load.h"
#include "tnt/x509.h"

#include <arpa/inet.h>
#include <glib.h>
#include <gnutls/x509.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Exit codes, as documented in tntpeer.1. */
enum {
    EXIT_GRANTED = 0, /* client: 200; server: every connection served */
    EXIT_REFUSED = 1, /* client: 403, access_denied, or the negotiation failed */
    EXIT_USAGE = 2,   /* bad options or configuration */
    EXIT_TLS = 3,     /* network or TLS failure */
};

#define REQ_MAX 8192

typedef struct options {
    bool server;
    const char *config;
    const char *listen;
    const char *connect;
    const char *path;
    const char *certs[2], *keys[2];
    int n_certs, n_keys;
    const char *tls_min, *tls_max, *ciphers, *groups, *keylog, *sni;
    bool no_ems, no_etm, no_reneg_info, allow_insecure_reneg;
    int mss;
    unsigned faults;
    bool deny;
    long count;
    long body_size; /* --body-size: pad a granted answer to this many bytes */
    const char *ready;
    long hold; /* seconds the server keeps a connection open after answering */
    bool initiate, resume, renegotiate;
    const char *sess_in, *sess_out;
    bool quiet, debug, no_tnt;
    const char *cas[8];
    int n_cas;
} options;

static FILE *logf;

static void say(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const char *who, const char *fmt, ...)
{
    if (!logf)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(logf, "tntpeer %s: ", who);
    vfprintf(logf, fmt, ap);
    fputc('\n', logf);
    fflush(logf);
    va_end(ap);
}

static int usage(FILE *f, int code)
{
    fprintf(f,
            "usage: tntpeer server -c CONFIG --cert CHAIN --key KEY [options]\n"
            "       tntpeer client -c CONFIG [options] HOST:PORT PATH\n"
            "\n"
            "common options:\n"
            "  -c, --config FILE     TNT party configuration (credentials, policies, anchors);\n"
            "                        without it this side does not speak TNT\n"
            "  --tls V               only TLS version V (1.0, 1.1, 1.2); --tls-min/--tls-max V\n"
            "  --ciphers LIST        cipher suites, OpenSSL or IANA names, ':'-separated\n"
            "  --groups LIST         ECDHE groups (x25519, secp256r1)\n"
            "  --keylog FILE         append every handshake's keys (NSS key log format)\n"
            "  --no-ems --no-etm --no-reneg-info   switch off RFC 7627, 7366, 5746\n"
            "  --allow-insecure-reneg  renegotiate with a peer without RFC 5746\n"
            "  --mss N               TCP maximum segment size of the socket\n"
            "  --fault NAME          break the protocol once, for violation samples: in-clear,\n"
            "                        no-proof, bad-proof, round-order, client-success\n"
            "  -q, --quiet           no diagnostic log;  -d, --debug  log every TLS message\n"
            "server options:\n"
            "  -l, --listen ADDR:PORT  (default 127.0.0.1:4433; port 0 picks one)\n"
            "  --cert FILE --key FILE  TLS certificate chain and key (RSA and/or ECDSA)\n"
            "  --count N             serve N connections, then exit (default: forever)\n"
            "  --body-size N         pad a granted answer's body to N bytes (benchmarks)\n"
            "  --on-failure complete|deny  after a failed negotiation, finish the handshake\n"
            "                        without trust (default) or send access_denied\n"
            "  --ready FILE          write the listening port to FILE once listening\n"
            "  --renegotiate         send HelloRequest after every request, even when no\n"
            "                        trust is needed (interop tests of renegotiation)\n"
            "  --hold SECONDS        after answering, keep the connection open up to SECONDS\n"
            "                        (until the client closes it or SIGUSR1 arrives)\n"
            "client options:\n"
            "  --initiate            start the negotiation: ClientHello right after the request\n"
            "  --renegotiate         renegotiate (client-initiated) before sending the request\n"
            "  --resume              then connect again, resuming the session and its trust\n"
            "  --sess-out FILE, --sess-in FILE  save / offer a session (and its trust)\n"
            "  --sni NAME            server_name to send (and, with --ca, to check)\n"
            "  --ca FILE             verify the server's certificate chain up to this CA\n"
            "                        (PEM; repeatable); without it the chain is not checked\n"
            "exit status: 0 access granted (server: all served), 1 refused, 2 usage, 3 TLS or "
            "network error\n");
    return code;
}

static bool split_hostport(const char *s, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || !colon[1])
        return false;
    const char *h = s;
    size_t hl = (size_t)(colon - s);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl >= hcap || strlen(colon + 1) >= pcap)
        return false;
    memcpy(host, h, hl);
    host[hl] = 0;
    strcpy(port, colon + 1);
    return true;
}

static void set_mss(int fd, int mss)
{
    if (mss > 0 && setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss) != 0)
        say("warning", "TCP_MAXSEG %d: %s", mss, strerror(errno));
}

static int connect_to(const char *hostport, int mss)
{
    char host[256], port[32];
    if (!split_hostport(hostport, host, sizeof host, port, sizeof port))
        return -2;
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo(host, port, &hints, &ai);
    if (e) {
        say("client", "%s: %s", hostport, gai_strerror(e));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *p = ai; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, 0);
        if (fd < 0)
            continue;
        set_mss(fd, mss);
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0)
            break;
        e = errno;
        close(fd);
        fd = -1;
        errno = e;
    }
    if (fd < 0)
        say("client", "connect %s: %s", hostport, strerror(errno));
    freeaddrinfo(ai);
    return fd;
}

static bool setup_tls(const options *o, tls_config *tc, char *err, size_t cap)
{
    tls_config_init(tc);
    if (o->tls_min && !(tc->min_version = tls_version_parse(o->tls_min)))
        return snprintf(err, cap, "unknown TLS version %s", o->tls_min), false;
    if (o->tls_max && !(tc->max_version = tls_version_parse(o->tls_max)))
        return snprintf(err, cap, "unknown TLS version %s", o->tls_max), false;
    if (tc->min_version > tc->max_version)
        return snprintf(err, cap, "--tls-min above --tls-max"), false;
    if (o->ciphers && !tls_config_set_suites(tc, o->ciphers, err, cap))
        return false;
    if (o->groups) {
        tc->n_groups = 0;
        char *dup = strdup(o->groups), *save = NULL;
        for (char *t = strtok_r(dup, ":,", &save); t; t = strtok_r(NULL, ":,", &save)) {
            uint16_t g =
                !strcmp(t, "x25519")                                                         ? 29
                : !strcmp(t, "secp256r1") || !strcmp(t, "P-256") || !strcmp(t, "prime256v1") ? 23
                                                                                             : 0;
            if (!g || tc->n_groups >= TLS_MAX_LIST) {
                snprintf(err, cap, "unknown group %s (x25519, secp256r1)", t);
                free(dup);
                return false;
            }
            tc->groups[tc->n_groups++] = g;
        }
        free(dup);
    }
    tc->ems = !o->no_ems;
    tc->etm = !o->no_etm;
    tc->reneg_info = !o->no_reneg_info;
    tc->allow_insecure_renegotiation = o->allow_insecure_reneg;
    tc->keylog_path = o->keylog;
    tc->sni = o->sni;
    tc->debug = o->debug;
    /* A negotiation needs a full handshake: never resume in a rehandshake. */
    tc->no_resumption_on_reneg = true;
    for (int i = 0; i < o->n_certs; i++)
        if (!tls_config_add_cred(tc, o->certs[i], o->keys[i], err, cap))
            return false;
    return true;
}

static const char *conn_desc(tls_conn *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s %s%s%s%s", tnt_version_name(tls_conn_version(c)),
             tnt_suite_name(tls_conn_suite(c)) ? tnt_suite_name(tls_conn_suite(c)) : "?",
             tls_conn_ems(c) ? ", EMS" : "", tls_conn_etm(c) ? ", EtM" : "",
             tls_conn_secure_reneg(c) ? ", secure renegotiation" : "");
    return buf;
}

/* ---- server ---- */

/* Reads the request head (up to the blank line) and makes "METHOD path". */
static bool read_request(tls_conn *c, char *resource, size_t cap)
{
    char buf[REQ_MAX + 1];
    size_t n = 0;
    while (n < REQ_MAX) {
        ssize_t r = tls_read(c, buf + n, REQ_MAX - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = 0;
        if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
            break;
    }
    buf[n] = 0;
    char method[16], path[1024];
    if (sscanf(buf, "%15s %1023s", method, path) != 2)
        return false;
    snprintf(resource, cap, "%s %s", method, path);
    return true;
}

static void respond(tls_conn *c, int code, const char *body)
{
    char head[256];
    snprintf(head, sizeof head,
             "HTTP/1.0 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
             "%zu\r\n\r\n",
             code,
             code == 200   ? "OK"
             : code == 403 ? "Forbidden"
                           : "Bad Request",
             strlen(body));
    tls_write_deferred(c, head, strlen(head));
    tls_write(c, body, strlen(body));
}

static void on_usr1(int sig)
{
    (void)sig;
}

/* --hold: a connection that stays open after its negotiation, as real ones
 * do for hours, so that tests can show a live tntdump reporting the verdict
 * before the connection ends. The client's data or close, or SIGUSR1
 * (installed without SA_RESTART, so poll returns), end it early. */
static void hold_open(const options *o, int fd, unsigned long n)
{
    if (o->hold <= 0)
        return;
    say("server", "connection %lu: holding it open for %ld s", n, o->hold);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, (int)(o->hold * 1000));
    say("server", "connection %lu: hold ended (%s)", n,
        r > 0    ? "the client sent or closed"
        : r == 0 ? "time"
                 : "signal");
}

static void serve(const options *o, tls_config *tc, const tnt_peer_config *pc,
                  tnt_trust_cache *cache, tnt_cert_cache *certs, int fd, unsigned long n)
{
    tnt_party_opts po = {.cfg = pc,
                         .deny_on_failure = o->deny,
                         .faults = o->faults,
                         .log = logf,
                         .cache = cache,
                         .certs = certs};
    tnt_party party;
    tnt_party_init(&party, &po, true);
    /* One config for every connection: its session cache is what lets a
     * later connection resume. Connections are served one at a time. */
    tnt_party_hooks(&party, &tc->hooks);
    tls_conn *c = tls_conn_new(tc, fd, true);
    tnt_party_attach(&party, c);
    char desc[256], resource[1100];
    if (!tls_handshake(c)) {
        say("server", "connection %lu: handshake failed: %s", n, tls_conn_error(c));
        goto out;
    }
    say("server", "connection %lu: %s%s", n, conn_desc(c, desc, sizeof desc),
        tls_conn_resumed(c) ? ", resumed" : "");
    if (!read_request(c, resource, sizeof resource)) {
        if (tls_conn_failed(c))
            say("server", "connection %lu: %s", n, tls_conn_error(c));
        else
            respond(c, 400, "one request line, please: GET /path HTTP/1.0\n");
        goto out;
    }
    say("server", "connection %lu: request \"%s\"", n, resource);
    bool protected_ = pc && tnt_peer_config_has_resource(pc, resource);
    bool granted = !protected_ || (party.trusted && !strcmp(party.trusted, resource));
    if (protected_ && granted)
        say("server", "connection %lu: \"%s\": trust already established%s", n, resource,
            party.resumed_trust ? " (resumed session)" : "");
    /* A client may have sent a ClientHello right behind its request
     * (client-initiated): it is answered whatever the resource. */
    bool client_reneg = tls_conn_input_pending(c, 0);
    bool needs_trust = !granted && party.peer_spoke_tnt;
    if (!granted && !party.peer_spoke_tnt)
        say("server", "connection %lu: \"%s\" needs trust, but the client does not speak TNT", n,
            resource);
    if (client_reneg || needs_trust || o->renegotiate) {
        if (needs_trust)
            tnt_party_set_resource(&party, resource);
        bool ok;
        if (client_reneg) {
            say("server", "connection %lu: the client renegotiates on its own", n);
            ok = tls_accept_renegotiation(c);
        } else if (needs_trust) {
            say("server", "connection %lu: HelloRequest: trust needed for \"%s\"", n, resource);
            ok = tls_renegotiate(c);
        } else {
            say("server", "connection %lu: HelloRequest (--renegotiate)", n);
            ok = tls_renegotiate(c);
        }
        if (!ok) {
            say("server", "connection %lu: rehandshake: %s", n, tls_conn_error(c));
            if (tls_conn_failed(c))
                goto out;
        } else {
            say("server", "connection %lu: rehandshake done: %s", n,
                conn_desc(c, desc, sizeof desc));
        }
        granted = !protected_ || (party.trusted && !strcmp(party.trusted, resource));
    }
    if (granted) {
        char body[1400];
        snprintf(body, sizeof body, "%s: granted%s.\n", resource,
                 protected_ ? " (trust established by TNT)" : " (public)");
        if (o->body_size > (long)strlen(body)) {
            /* Bench traffic: a record-sized answer, in lines of text. */
            size_t n = (size_t)o->body_size, have = strlen(body);
            char *big = malloc(n + 1);
            if (big) {
                memcpy(big, body, have);
                for (size_t i = have; i < n; i++)
                    big[i] = (i - have) % 64 == 63 ? '\n' : (char)('a' + (i - have) % 26);
                big[n] = 0;
                respond(c, 200, big);
                free(big);
            } else {
                respond(c, 200, body);
            }
        } else {
            respond(c, 200, body);
        }
        say("server", "connection %lu: 200 \"%s\"", n, resource);
    } else {
        char body[2048];
        snprintf(body, sizeof body, "%s: trust not established%s%s\n", resource,
                 party.reason[0] ? ": " : ".", party.reason);
        respond(c, 403, body);
        say("server", "connection %lu: 403 \"%s\"", n, resource);
    }
    hold_open(o, fd, n);
    tls_close(c);
out:
    tls_conn_free(c);
    tnt_party_free(&party);
}

static int run_server(const options *o, tls_config *tc, const tnt_peer_config *pc)
{
    char host[256], port[32];
    if (!split_hostport(o->listen, host, sizeof host, port, sizeof port)) {
        fprintf(stderr, "tntpeer: --listen wants ADDR:PORT, not %s\n", o->listen);
        return EXIT_USAGE;
    }
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int e = getaddrinfo(host, port, &hints, &ai);
    if (e) {
        fprintf(stderr, "tntpeer: %s: %s\n", o->listen, gai_strerror(e));
        return EXIT_USAGE;
    }
    int ls = socket(ai->ai_family, ai->ai_socktype, 0), one = 1;
    if (ls >= 0)
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ls >= 0)
        set_mss(ls, o->mss);
    if (ls < 0 || bind(ls, ai->ai_addr, ai->ai_addrlen) != 0 || listen(ls, 8) != 0) {
        fprintf(stderr, "tntpeer: listen on %s: %s\n", o->listen, strerror(errno));
        freeaddrinfo(ai);
        return EXIT_TLS;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage sa;
    socklen_t sl = sizeof sa;
    getsockname(ls, (struct sockaddr *)&sa, &sl);
    int bound = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
                                               : ((struct sockaddr_in *)&sa)->sin_port);
    say("server", "listening on %s:%d%s", host, bound, pc ? "" : " (no TNT)");
    if (o->ready) {
        FILE *f = fopen(o->ready, "w");
        if (!f || fprintf(f, "%d\n", bound) < 0 || fclose(f) != 0) {
            fprintf(stderr, "tntpeer: %s: %s\n", o->ready, strerror(errno));
            close(ls);
            return EXIT_USAGE;
        }
    }
    tnt_trust_cache cache = {0};
    /* NULL when out of memory: each negotiation then parses its own. */
    tnt_cert_cache *certs = tnt_cert_cache_new(0);
    for (unsigned long n = 1; o->count <= 0 || n <= (unsigned long)o->count; n++) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "tntpeer: accept: %s\n", strerror(errno));
            break;
        }
        serve(o, tc, pc, &cache, certs, fd, n);
        close(fd);
    }
    tnt_cert_cache_free(certs);
    tnt_trust_cache_free(&cache);
    close(ls);
    return EXIT_GRANTED;
}

/* ---- client ---- */

typedef struct client_result {
    int code; /* HTTP status, 0 if none */
    tls_session session;
    char trusted[512];
} client_result;

/* The client's check of the server's TLS certificate (--ca): the chain must
 * verify to one of the given CAs and, with --sni, name that host. */
static tnt_anchor_set server_cas;
static const char *server_name;

static bool verify_server_chain(void *user, tls_conn *c, const uint8_t *const *certs,
                                const size_t *lens, size_t n)
{
    (void)user;
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_bytes *v = tnt_arena_alloc(&a, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        v[i].p = certs[i];
        v[i].len = (uint32_t)lens[i];
    }
    tnt_chain_result r;
    bool ok = v && tnt_chain_verify_set(&server_cas, v, (uint32_t)n, 0, &a, &r) &&
              r.status == TNT_CHAIN_VALID;
    if (!ok)
        tls_conn_fail(c, TLS_ALERT_BAD_CERTIFICATE, "server certificate: %s",
                      v ? (r.reason ? r.reason : tnt_chain_status_name(r.status))
                        : "out of memory");
    if (ok && server_name && n) {
        gnutls_x509_crt_t crt;
        gnutls_datum_t d = {(unsigned char *)certs[0], (unsigned)lens[0]};
        ok = gnutls_x509_crt_init(&crt) == 0;
        if (ok) {
            ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0 &&
                 gnutls_x509_crt_check_hostname(crt, server_name);
            gnutls_x509_crt_deinit(crt);
        }
        if (!ok)
            tls_conn_fail(c, TLS_ALERT_BAD_CERTIFICATE, "server certificate is not for %s",
                          server_name);
    }
    if (ok)
        say("client", "server certificate verifies%s%s", server_name ? " for " : "",
            server_name ? server_name : "");
    tnt_arena_free(&a);
    return ok;
}

static int client_once(const options *o, const tls_config *tc, const tnt_peer_config *pc,
                       tnt_cert_cache *certs, const tls_session *offer, const char *offer_trust,
                       client_result *res)
{
    memset(res, 0, sizeof *res);
    int fd = connect_to(o->connect, o->mss);
    if (fd == -2) {
        fprintf(stderr, "tntpeer: HOST:PORT expected, not %s\n", o->connect);
        return EXIT_USAGE;
    }
    if (fd < 0)
        return EXIT_TLS;
    tnt_party_opts po = {.cfg = pc, .faults = o->faults, .log = logf, .certs = certs};
    tnt_party party;
    tnt_party_init(&party, &po, false);
    tls_config local = *tc;
    tnt_party_hooks(&party, &local.hooks);
    if (o->n_cas)
        local.hooks.verify_chain = verify_server_chain;
    tls_conn *c = tls_conn_new(&local, fd, false);
    tnt_party_attach(&party, c);
    if (offer && offer->id_len) {
        tls_conn_set_session(c, offer);
        tnt_party_offer_trust(&party, offer_trust);
    }
    int rc = EXIT_TLS;
    char desc[256], line[1200];
    if (!tls_handshake(c)) {
        say("client", "handshake failed: %s", tls_conn_error(c));
        goto out;
    }
    say("client", "connected: %s%s", conn_desc(c, desc, sizeof desc),
        tls_conn_resumed(c) ? ", resumed" : "");
    snprintf(line, sizeof line, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", o->path,
             o->sni ? o->sni : "tnt");
    if (o->renegotiate) {
        /* A plain client-initiated renegotiation, before the request: a
         * server that answers and closes would leave one sent after the
         * request unanswered. */
        say("client", "renegotiating");
        if (!tls_renegotiate(c)) {
            say("client", "rehandshake: %s", tls_conn_error(c));
            if (tls_conn_failed(c))
                goto out;
        } else {
            say("client", "rehandshake done: %s", conn_desc(c, desc, sizeof desc));
        }
    }
    if (o->initiate && pc && party.peer_spoke_tnt) {
        /* Request and ClientHello leave in one write, so the server finds
         * the hello waiting when it has read the request. */
        say("client", "requesting %s and starting the negotiation", o->path);
        if (!tls_write_deferred(c, line, strlen(line)) || !tls_renegotiate(c)) {
            say("client", "rehandshake: %s", tls_conn_error(c));
            if (tls_conn_failed(c)) {
                rc =
                    tls_conn_alert_received(c) == TLS_ALERT_ACCESS_DENIED ? EXIT_REFUSED : EXIT_TLS;
                goto out;
            }
        }
    } else {
        say("client", "requesting %s", o->path);
        if (!tls_write(c, line, strlen(line))) {
            say("client", "write: %s", tls_conn_error(c));
            goto out;
        }
    }
    GString *resp = g_string_new(NULL);
    char buf[4096];
    ssize_t r;
    while ((r = tls_read(c, buf, sizeof buf)) > 0)
        g_string_append_len(resp, buf, r);
    if (r < 0) {
        say("client", "%s", tls_conn_error(c));
        rc = tls_conn_alert_received(c) == TLS_ALERT_ACCESS_DENIED ? EXIT_REFUSED : EXIT_TLS;
        if (party.outcome == TNT_PARTY_FAILURE)
            rc = EXIT_REFUSED;
        g_string_free(resp, TRUE);
        goto out;
    }
    int code = 0;
    sscanf(resp->str, "HTTP/%*s %d", &code);
    res->code = code;
    fwrite(resp->str, 1, resp->len, stdout);
    fflush(stdout);
    say("client", "response %d%s%s", code, party.trusted ? "; trust held for " : "",
        party.trusted ? party.trusted : "");
    g_string_free(resp, TRUE);
    res->session = *tls_conn_session(c);
    if (party.trusted)
        snprintf(res->trusted, sizeof res->trusted, "%s", party.trusted);
    rc = code == 200 ? EXIT_GRANTED : EXIT_REFUSED;
out:
    tls_conn_free(c);
    tnt_party_free(&party);
    close(fd);
    return rc;
}

static int run_client_sessions(const options *o, const tls_config *tc, const tnt_peer_config *pc);

static bool load_session(const char *path, tls_session *s, char *trust, size_t cap)
{
    if (!tls_session_load(s, path))
        return false;
    trust[0] = 0;
    char tpath[4096];
    snprintf(tpath, sizeof tpath, "%s.trust", path);
    gchar *t = NULL;
    if (g_file_get_contents(tpath, &t, NULL, NULL)) {
        snprintf(trust, cap, "%s", g_strstrip(t));
        g_free(t);
    }
    return true;
}

static bool save_session(const char *path, const client_result *r)
{
    if (!r->session.id_len || !tls_session_save(&r->session, path))
        return false;
    char tpath[4096];
    snprintf(tpath, sizeof tpath, "%s.trust", path);
    if (!r->trusted[0]) {
        unlink(tpath);
        return true;
    }
    FILE *f = fopen(tpath, "w");
    return f && fprintf(f, "%s\n", r->trusted) > 0 && fclose(f) == 0;
}

static int run_client(const options *o, const tls_config *tc, const tnt_peer_config *pc)
{
    tnt_arena ca_arena;
    tnt_arena_init(&ca_arena);
    tnt_anchors_init(&server_cas, &ca_arena);
    server_name = o->sni;
    for (int i = 0; i < o->n_cas; i++) {
        tnt_error e = {0};
        if (!tnt_anchors_add_file(&server_cas, o->cas[i], NULL, 0, &e)) {
            fprintf(stderr, "tntpeer: %s: %s\n", o->cas[i], e.what ? e.what : "unreadable");
            tnt_arena_free(&ca_arena);
            return EXIT_USAGE;
        }
    }
    int rc = run_client_sessions(o, tc, pc);
    tnt_arena_free(&ca_arena);
    return rc;
}

static int run_client_sessions(const options *o, const tls_config *tc, const tnt_peer_config *pc)
{
    tls_session offer = {0};
    char trust[512] = "";
    if (o->sess_in && !load_session(o->sess_in, &offer, trust, sizeof trust)) {
        fprintf(stderr, "tntpeer: %s: not a session file\n", o->sess_in);
        return EXIT_USAGE;
    }
    client_result r;
    tnt_cert_cache *certs = tnt_cert_cache_new(0); /* NULL: each parses its own */
    int rc =
        client_once(o, tc, pc, certs, offer.id_len ? &offer : NULL, trust[0] ? trust : NULL, &r);
    if (o->resume && (rc == EXIT_GRANTED || rc == EXIT_REFUSED)) {
        say("client", "reconnecting to resume the session%s", r.trusted[0] ? " and its trust" : "");
        client_result r2;
        tls_session s = r.session;
        rc = client_once(o, tc, pc, certs, &s, r.trusted[0] ? r.trusted : NULL, &r2);
        r = r2;
    }
    tnt_cert_cache_free(certs);
    if (o->sess_out && !save_session(o->sess_out, &r))
        say("client", "%s: no session saved", o->sess_out);
    return rc;
}

/* ---- main ---- */

static bool parse_fault(const char *s, unsigned *f)
{
    static const struct {
        const char *name;
        unsigned bit;
    } v[] = {{"in-clear", TNT_FAULT_IN_CLEAR},
             {"no-proof", TNT_FAULT_NO_PROOF},
             {"bad-proof", TNT_FAULT_BAD_PROOF},
             {"round-order", TNT_FAULT_ROUND_ORDER},
             {"client-success", TNT_FAULT_CLIENT_SUCCESS}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!strcmp(s, v[i].name)) {
            *f |= v[i].bit;
            return true;
        }
    return false;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    logf = stderr;
    if (argc < 2)
        return usage(stderr, EXIT_USAGE);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
        return usage(stdout, 0);
    options o = {.listen = "127.0.0.1:4433"};
    if (!strcmp(argv[1], "server"))
        o.server = true;
    else if (strcmp(argv[1], "client"))
        return usage(stderr, EXIT_USAGE);
    enum {
        O_TLS = 256,
        O_TLS_MIN,
        O_TLS_MAX,
        O_CIPHERS,
        O_GROUPS,
        O_KEYLOG,
        O_NO_EMS,
        O_NO_ETM,
        O_NO_RI,
        O_INSECURE,
        O_MSS,
        O_FAULT,
        O_CERT,
        O_KEY,
        O_COUNT,
        O_BODY_SIZE,
        O_ON_FAILURE,
        O_READY,
        O_INITIATE,
        O_RENEGOTIATE,
        O_RESUME,
        O_SESS_IN,
        O_SESS_OUT,
        O_SNI,
        O_CA,
        O_HOLD,
    };
    static const struct option lo[] = {{"config", required_argument, 0, 'c'},
                                       {"listen", required_argument, 0, 'l'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"debug", no_argument, 0, 'd'},
                                       {"help", no_argument, 0, 'h'},
                                       {"tls", required_argument, 0, O_TLS},
                                       {"tls-min", required_argument, 0, O_TLS_MIN},
                                       {"tls-max", required_argument, 0, O_TLS_MAX},
                                       {"ciphers", required_argument, 0, O_CIPHERS},
                                       {"groups", required_argument, 0, O_GROUPS},
                                       {"keylog", required_argument, 0, O_KEYLOG},
                                       {"no-ems", no_argument, 0, O_NO_EMS},
                                       {"no-etm", no_argument, 0, O_NO_ETM},
                                       {"no-reneg-info", no_argument, 0, O_NO_RI},
                                       {"allow-insecure-reneg", no_argument, 0, O_INSECURE},
                                       {"mss", required_argument, 0, O_MSS},
                                       {"fault", required_argument, 0, O_FAULT},
                                       {"cert", required_argument, 0, O_CERT},
                                       {"key", required_argument, 0, O_KEY},
                                       {"count", required_argument, 0, O_COUNT},
                                       {"body-size", required_argument, 0, O_BODY_SIZE},
                                       {"on-failure", required_argument, 0, O_ON_FAILURE},
                                       {"ready", required_argument, 0, O_READY},
                                       {"initiate", no_argument, 0, O_INITIATE},
                                       {"renegotiate", no_argument, 0, O_RENEGOTIATE},
                                       {"resume", no_argument, 0, O_RESUME},
                                       {"sess-in", required_argument, 0, O_SESS_IN},
                                       {"sess-out", required_argument, 0, O_SESS_OUT},
                                       {"sni", required_argument, 0, O_SNI},
                                       {"ca", required_argument, 0, O_CA},
                                       {"hold", required_argument, 0, O_HOLD},
                                       {0, 0, 0, 0}};
    optind = 2;
    int ch;
    while ((ch = getopt_long(argc, argv, "c:l:qdh", lo, NULL)) != -1) {
        switch (ch) {
        case 'c':
            o.config = optarg;
            break;
        case 'l':
            o.listen = optarg;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'd':
            o.debug = true;
            break;
        case 'h':
            return usage(stdout, 0);
        case O_TLS:
            o.tls_min = o.tls_max = optarg;
            break;
        case O_TLS_MIN:
            o.tls_min = optarg;
            break;
        case O_TLS_MAX:
            o.tls_max = optarg;
            break;
        case O_CIPHERS:
            o.ciphers = optarg;
            break;
        case O_GROUPS:
            o.groups = optarg;
            break;
        case O_KEYLOG:
            o.keylog = optarg;
            break;
        case O_NO_EMS:
            o.no_ems = true;
            break;
        case O_NO_ETM:
            o.no_etm = true;
            break;
        case O_NO_RI:
            o.no_reneg_info = true;
            o.allow_insecure_reneg = true;
            break;
        case O_INSECURE:
            o.allow_insecure_reneg = true;
            break;
        case O_MSS:
            o.mss = atoi(optarg);
            if (o.mss < 88 || o.mss > 65535) {
                fprintf(stderr, "tntpeer: --mss wants 88..65535\n");
                return EXIT_USAGE;
            }
            break;
        case O_FAULT:
            if (!parse_fault(optarg, &o.faults)) {
                fprintf(stderr,
                        "tntpeer: unknown fault %s (in-clear, no-proof, bad-proof, "
                        "round-order, client-success)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case O_CERT:
            if (o.n_certs == 2)
                return fprintf(stderr, "tntpeer: at most two --cert\n"), EXIT_USAGE;
            o.certs[o.n_certs++] = optarg;
            break;
        case O_KEY:
            if (o.n_keys == 2)
                return fprintf(stderr, "tntpeer: at most two --key\n"), EXIT_USAGE;
            o.keys[o.n_keys++] = optarg;
            break;
        case O_COUNT:
            o.count = atol(optarg);
            break;
        case O_BODY_SIZE:
            o.body_size = atol(optarg);
            if (o.body_size < 0 || o.body_size > (1L << 24))
                return fprintf(stderr, "tntpeer: --body-size 0..16777216\n"), EXIT_USAGE;
            break;
        case O_ON_FAILURE:
            if (!strcmp(optarg, "deny"))
                o.deny = true;
            else if (strcmp(optarg, "complete"))
                return fprintf(stderr, "tntpeer: --on-failure complete|deny\n"), EXIT_USAGE;
            break;
        case O_READY:
            o.ready = optarg;
            break;
        case O_HOLD: {
            char *end;
            o.hold = strtol(optarg, &end, 10);
            if (end == optarg || *end || o.hold < 1 || o.hold > 86400)
                return fprintf(stderr, "tntpeer: --hold wants 1..86400 seconds\n"), EXIT_USAGE;
            break;
        }
        case O_INITIATE:
            o.initiate = true;
            break;
        case O_RENEGOTIATE:
            o.renegotiate = true;
            break;
        case O_RESUME:
            o.resume = true;
            break;
        case O_SESS_IN:
            o.sess_in = optarg;
            break;
        case O_SESS_OUT:
            o.sess_out = optarg;
            break;
        case O_SNI:
            o.sni = optarg;
            break;
        case O_CA:
            if (o.n_cas == 8)
                return fprintf(stderr, "tntpeer: at most eight --ca\n"), EXIT_USAGE;
            o.cas[o.n_cas++] = optarg;
            break;
        default:
            return usage(stderr, EXIT_USAGE);
        }
    }
    if (o.quiet)
        logf = NULL;
    if (o.n_certs != o.n_keys) {
        fprintf(stderr, "tntpeer: every --cert needs its --key\n");
        return EXIT_USAGE;
    }
    if (o.server) {
        if (optind != argc || !o.n_certs)
            return usage(stderr, EXIT_USAGE);
        struct sigaction sa = {.sa_handler = on_usr1};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
    } else {
        if (argc - optind != 2 || o.n_certs)
            return usage(stderr, EXIT_USAGE);
        o.connect = argv[optind];
        o.path = argv[optind + 1];
        if (o.path[0] != '/' || strpbrk(o.path, " \r\n")) {
            fprintf(stderr, "tntpeer: PATH must start with / and hold no blanks\n");
            return EXIT_USAGE;
        }
    }
    char err[512];
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_peer_config pc;
    if (o.config && !tnt_peer_config_load(o.config, &a, &pc, err, sizeof err)) {
        fprintf(stderr, "tntpeer: %s\n", err);
        tnt_arena_free(&a);
        return EXIT_USAGE;
    }
    tls_config tc;
    if (!setup_tls(&o, &tc, err, sizeof err)) {
        fprintf(stderr, "tntpeer: %s\n", err);
        tls_config_free(&tc);
        tnt_arena_free(&a);
        return EXIT_USAGE;
    }
    int rc = o.server ? run_server(&o, &tc, o.config ? &pc : NULL)
                      : run_client(&o, &tc, o.config ? &pc : NULL);
    tls_config_free(&tc);
    tnt_arena_free(&a);
    return rc;
}
