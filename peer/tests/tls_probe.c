/* A small client/server on the TLS engine, for interop tests against
 * openssl s_server/s_client and gnutls-serv/gnutls-cli.
 *
 *   tls_probe client HOST PORT [options]   sends each --send line, expects
 *                                          each one back reversed (s_server -rev)
 *   tls_probe server PORT [options]        accepts --accept connections and
 *                                          answers every line reversed
 *
 * Options: --min V --max V (1.0|1.1|1.2), --suites LIST, --groups LIST
 * (x25519, secp256r1), --no-ems, --no-etm, --no-reneg-info, --keylog FILE,
 * --cert PEM --key KEY (server, up to twice), --send LINE (repeatable),
 * --reneg-after N (renegotiate after the N-th line; server: HelloRequest),
 * --reconnect (client: a second connection offering the first session),
 * --expect-version V, --expect-suite NAME, --expect-ems 0|1,
 * --expect-etm 0|1, --expect-resumed 0|1 (of the last connection),
 * --expect-reneg N (handshakes on the connection), --accept N, --debug,
 * --no-echo (client: do not wait for replies), --no-cache and
 * --no-resume-on-reneg (server), --expect-fail TEXT (the handshake must fail
 * with TEXT in the error), --sess-out FILE / --sess-in FILE (client: save
 * the session / offer a saved one).
 * Prints one summary line per handshake; exits 0 only if every expectation
 * held. */
#include "tls_engine.h"

#include "tnt/names.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct opts {
    const char *sends[16];
    int n_sends;
    int reneg_after;
    bool reconnect;
    int expect_version;
    const char *expect_suite;
    int expect_ems, expect_etm, expect_resumed, expect_reneg;
    int accept_n;
    bool no_echo;
    const char *expect_fail; /* the handshake must fail with this in the error */
    const char *sess_in, *sess_out;
} opts;

static int failures;

static void summary(tls_conn *c, const char *what)
{
    printf("%s: %s %s%s%s%s%s handshakes=%u\n", what, tnt_version_name(tls_conn_version(c)),
           tnt_suite_name(tls_conn_suite(c)), tls_conn_ems(c) ? " ems" : "",
           tls_conn_etm(c) ? " etm" : "", tls_conn_resumed(c) ? " resumed" : "",
           tls_conn_secure_reneg(c) ? " secure-reneg" : "", tls_conn_handshakes(c));
    fflush(stdout);
}

static void check(bool ok, const char *what)
{
    if (!ok) {
        printf("EXPECTATION FAILED: %s\n", what);
        failures++;
    }
}

static void check_expectations(tls_conn *c, const opts *o)
{
    if (o->expect_version)
        check(tls_conn_version(c) == o->expect_version, "version");
    if (o->expect_suite) {
        const char *n = tnt_suite_name(tls_conn_suite(c));
        check(n && strstr(n, o->expect_suite), "suite");
    }
    if (o->expect_ems >= 0)
        check(tls_conn_ems(c) == (o->expect_ems == 1), "ems");
    if (o->expect_etm >= 0)
        check(tls_conn_etm(c) == (o->expect_etm == 1), "etm");
    if (o->expect_resumed >= 0)
        check(tls_conn_resumed(c) == (o->expect_resumed == 1), "resumed");
    if (o->expect_reneg >= 0)
        check(tls_conn_handshakes(c) == (unsigned)o->expect_reneg, "number of handshakes");
}

static bool read_line(tls_conn *c, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = tls_read(c, buf + n, 1);
        if (r <= 0)
            return false;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = 0;
    return true;
}

static void reverse_line(char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '\n')
        n--;
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints = {0}, *ai;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *p = ai; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, 0);
        if (fd >= 0 && connect(fd, p->ai_addr, p->ai_addrlen) == 0)
            break;
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static bool client_once(tls_config *cfg, const char *host, const char *port, const opts *o,
                        tls_session *sess, bool last)
{
    int fd = connect_to(host, port);
    if (fd < 0) {
        printf("cannot connect to %s:%s\n", host, port);
        return false;
    }
    tls_conn *c = tls_conn_new(cfg, fd, false);
    if (sess->id_len)
        tls_conn_set_session(c, sess);
    bool ok = tls_handshake(c);
    if (ok) {
        summary(c, "handshake");
        for (int i = 0; ok && i < o->n_sends; i++) {
            char line[1024], want[1024];
            snprintf(line, sizeof line, "%s\n", o->sends[i]);
            ok = tls_write(c, line, strlen(line));
            if (ok && !o->no_echo) {
                snprintf(want, sizeof want, "%s", line);
                reverse_line(want);
                ok = read_line(c, line, sizeof line);
                if (ok && strcmp(line, want) != 0) {
                    printf("reply '%s' is not '%s'\n", line, want);
                    ok = false;
                }
                if (ok)
                    printf("echo ok: %s", line);
            }
            if (ok && o->reneg_after == i + 1) {
                ok = tls_renegotiate(c);
                if (ok)
                    summary(c, "renegotiation");
                else
                    printf("renegotiation failed: %s\n", tls_conn_error(c));
                ok = ok || !tls_conn_failed(c);
            }
        }
        *sess = *tls_conn_session(c);
        if (last)
            check_expectations(c, o);
        tls_close(c);
    }
    if (!ok || tls_conn_failed(c))
        printf("client error: %s (alert sent %d, received %d)\n", tls_conn_error(c),
               tls_conn_alert_sent(c), tls_conn_alert_received(c));
    ok = ok && !tls_conn_failed(c);
    if (o->expect_fail) {
        bool as_expected = !ok && strstr(tls_conn_error(c), o->expect_fail);
        printf("expected failure '%s': %s\n", o->expect_fail, as_expected ? "yes" : "NO");
        ok = as_expected;
    }
    tls_conn_free(c);
    close(fd);
    return ok;
}

static bool serve_one(tls_config *cfg, int fd, const opts *o)
{
    tls_conn *c = tls_conn_new(cfg, fd, true);
    bool ok = tls_handshake(c);
    int lines = 0;
    if (ok) {
        summary(c, "handshake");
        unsigned seen = tls_conn_handshakes(c);
        char line[1024];
        while (read_line(c, line, sizeof line)) {
            if (tls_conn_handshakes(c) != seen) {
                seen = tls_conn_handshakes(c);
                summary(c, "client renegotiation");
            }
            lines++;
            reverse_line(line);
            if (!tls_write(c, line, strlen(line)))
                break;
            if (o->reneg_after == lines) {
                if (tls_renegotiate(c))
                    summary(c, "renegotiation");
                else
                    printf("renegotiation failed: %s\n", tls_conn_error(c));
                seen = tls_conn_handshakes(c);
            }
        }
        check_expectations(c, o);
        tls_close(c);
    }
    if (tls_conn_failed(c))
        printf("server error: %s (alert sent %d, received %d)\n", tls_conn_error(c),
               tls_conn_alert_sent(c), tls_conn_alert_received(c));
    ok = ok && !tls_conn_failed(c);
    if (o->expect_fail) {
        bool as_expected = !ok && strstr(tls_conn_error(c), o->expect_fail);
        printf("expected failure '%s': %s\n", o->expect_fail, as_expected ? "yes" : "NO");
        ok = as_expected;
    }
    fflush(stdout);
    tls_conn_free(c);
    return ok;
}

static int usage(void)
{
    fprintf(stderr, "usage: tls_probe client HOST PORT [options] | server PORT [options]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    bool server = !strcmp(argv[1], "server");
    if (!server && strcmp(argv[1], "client"))
        return usage();
    int argi = server ? 3 : 4;
    if (argc < argi)
        return usage();
    tls_config cfg;
    tls_config_init(&cfg);
    opts o = {.expect_ems = -1,
              .expect_etm = -1,
              .expect_resumed = -1,
              .expect_reneg = -1,
              .accept_n = 1};
    const char *cert = NULL;
    char err[256];
    for (int i = argi; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDV()                                                                                    \
    do {                                                                                           \
        if (!v)                                                                                    \
            return usage();                                                                        \
        i++;                                                                                       \
    } while (0)
        if (!strcmp(a, "--min")) {
            NEEDV();
            cfg.min_version = tls_version_parse(v);
        } else if (!strcmp(a, "--max")) {
            NEEDV();
            cfg.max_version = tls_version_parse(v);
        } else if (!strcmp(a, "--suites")) {
            NEEDV();
            if (!tls_config_set_suites(&cfg, v, err, sizeof err)) {
                fprintf(stderr, "%s\n", err);
                return 2;
            }
        } else if (!strcmp(a, "--groups")) {
            NEEDV();
            cfg.n_groups = 0;
            if (strstr(v, "x25519"))
                cfg.groups[cfg.n_groups++] = 0x001d;
            if (strstr(v, "secp256r1") || strstr(v, "P-256"))
                cfg.groups[cfg.n_groups++] = 0x0017;
            if (strstr(v, "secp256r1") && strstr(v, "x25519") &&
                strstr(v, "secp256r1") < strstr(v, "x25519")) {
                cfg.groups[0] = 0x0017;
                cfg.groups[1] = 0x001d;
            }
        } else if (!strcmp(a, "--no-ems")) {
            cfg.ems = false;
        } else if (!strcmp(a, "--no-etm")) {
            cfg.etm = false;
        } else if (!strcmp(a, "--no-reneg-info")) {
            cfg.reneg_info = false;
        } else if (!strcmp(a, "--keylog")) {
            NEEDV();
            cfg.keylog_path = v;
        } else if (!strcmp(a, "--cert")) {
            NEEDV();
            cert = v;
        } else if (!strcmp(a, "--key")) {
            NEEDV();
            if (!cert || !tls_config_add_cred(&cfg, cert, v, err, sizeof err)) {
                fprintf(stderr, "%s\n", cert ? err : "--key needs --cert first");
                return 2;
            }
        } else if (!strcmp(a, "--send")) {
            NEEDV();
            if (o.n_sends < 16)
                o.sends[o.n_sends++] = v;
        } else if (!strcmp(a, "--reneg-after")) {
            NEEDV();
            o.reneg_after = atoi(v);
        } else if (!strcmp(a, "--reconnect")) {
            o.reconnect = true;
        } else if (!strcmp(a, "--expect-version")) {
            NEEDV();
            o.expect_version = tls_version_parse(v);
        } else if (!strcmp(a, "--expect-suite")) {
            NEEDV();
            o.expect_suite = v;
        } else if (!strcmp(a, "--expect-ems")) {
            NEEDV();
            o.expect_ems = atoi(v);
        } else if (!strcmp(a, "--expect-etm")) {
            NEEDV();
            o.expect_etm = atoi(v);
        } else if (!strcmp(a, "--expect-resumed")) {
            NEEDV();
            o.expect_resumed = atoi(v);
        } else if (!strcmp(a, "--expect-reneg")) {
            NEEDV();
            o.expect_reneg = atoi(v);
        } else if (!strcmp(a, "--accept")) {
            NEEDV();
            o.accept_n = atoi(v);
        } else if (!strcmp(a, "--sess-in")) {
            NEEDV();
            o.sess_in = v;
        } else if (!strcmp(a, "--sess-out")) {
            NEEDV();
            o.sess_out = v;
        } else if (!strcmp(a, "--no-cache")) {
            cfg.session_cache = false;
        } else if (!strcmp(a, "--no-resume-on-reneg")) {
            cfg.no_resumption_on_reneg = true;
        } else if (!strcmp(a, "--expect-fail")) {
            NEEDV();
            o.expect_fail = v;
        } else if (!strcmp(a, "--no-echo")) {
            o.no_echo = true;
        } else if (!strcmp(a, "--debug")) {
            cfg.debug = true;
        } else {
            fprintf(stderr, "unknown option %s\n", a);
            return 2;
        }
    }
    bool ok = true;
    if (!server) {
        tls_session sess = {0};
        if (o.sess_in && !tls_session_load(&sess, o.sess_in)) {
            printf("cannot load session from %s\n", o.sess_in);
            return 1;
        }
        ok = client_once(&cfg, argv[2], argv[3], &o, &sess, !o.reconnect);
        if (ok && o.reconnect) {
            if (!sess.id_len)
                printf("server gave no session ID\n");
            ok = client_once(&cfg, argv[2], argv[3], &o, &sess, true);
        }
        if (ok && o.sess_out && !tls_session_save(&sess, o.sess_out)) {
            printf("cannot save session to %s\n", o.sess_out);
            ok = false;
        }
    } else {
        int ls = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        struct sockaddr_in sa = {0};
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)atoi(argv[2]));
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 4) != 0) {
            perror("bind/listen");
            return 2;
        }
        printf("listening\n");
        fflush(stdout);
        for (int i = 0; i < o.accept_n; i++) {
            int fd = accept(ls, NULL, NULL);
            if (fd < 0)
                break;
            ok = serve_one(&cfg, fd, &o) && ok;
            close(fd);
        }
        close(ls);
    }
    tls_config_free(&cfg);
    ok = ok && failures == 0;
    printf("%s\n", ok ? "PROBE OK" : "PROBE FAILED");
    return ok ? 0 : 1;
}
