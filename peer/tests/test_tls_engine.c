/* The TLS engine against itself over a socketpair (client and server in two
 * threads): every version x suite the engine offers, resumption,
 * renegotiation both ways, the TNT hooks (messages inside the server's
 * flight and the client's answer, in the transcript of both sides), and the
 * strict checks: each violation must end with the right alert on both sides. */
#include "../../tests/unit/check.h"
#include "tls_engine.h"

#include "tnt/names.h"
#include "tnt/codepoints.h"
#include "tnt/tnt_messages.h"

#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

/* The test PKI: $TNT_TEST_DATA/pki (set by ctest), else tests/data/pki. */
static char pki_dir[1024];

static const char *pki(char *buf, size_t cap, const char *file)
{
    snprintf(buf, cap, "%s/%s", pki_dir, file);
    return buf;
}

typedef struct side side;
typedef void (*side_fn)(side *s);

struct side {
    tls_config cfg;
    tls_conn *c;
    bool server;
    side_fn fn;
    /* results, checked by the main thread */
    bool ok, data_ok;
    char err[256];
    int alert_sent, alert_recv;
    unsigned handshakes;
    bool resumed, ems, etm, secure;
    uint16_t version, suite;
    tls_session session;
    /* TNT hook bookkeeping */
    int tnt_msgs_seen;
    size_t transcript_at[8];
    int n_transcript_at;
    uint16_t rounds_seen[8];
    bool renegotiate; /* the scenario renegotiates */
    bool reneg_ok;
};

static void base_cfg(side *s, bool server)
{
    memset(s, 0, sizeof *s);
    s->server = server;
    tls_config_init(&s->cfg);
    if (server) {
        char err[256], a[1100], b[1100], d[1100], e[1100];
        if (!tls_config_add_cred(&s->cfg, pki(a, sizeof a, "clinic-web-rsa.pem"),
                                 pki(b, sizeof b, "clinic-web-rsa.key"), err, sizeof err) ||
            !tls_config_add_cred(&s->cfg, pki(d, sizeof d, "clinic-web-ec.pem"),
                                 pki(e, sizeof e, "clinic-web-ec.key"), err, sizeof err)) {
            fprintf(stderr, "credentials: %s\n", err);
            exit(2);
        }
    }
}

static bool exchange(side *s)
{
    char buf[64];
    if (!s->server) {
        if (!tls_write(s->c, "ping", 4))
            return false;
        ssize_t n = tls_read(s->c, buf, sizeof buf);
        return n == 4 && !memcmp(buf, "pong", 4);
    }
    ssize_t n = tls_read(s->c, buf, sizeof buf);
    return n == 4 && !memcmp(buf, "ping", 4) && tls_write(s->c, "pong", 4);
}

static void record(side *s)
{
    snprintf(s->err, sizeof s->err, "%s", tls_conn_error(s->c));
    s->alert_sent = tls_conn_alert_sent(s->c);
    s->alert_recv = tls_conn_alert_received(s->c);
    s->handshakes = tls_conn_handshakes(s->c);
    s->resumed = tls_conn_resumed(s->c);
    s->ems = tls_conn_ems(s->c);
    s->etm = tls_conn_etm(s->c);
    s->secure = tls_conn_secure_reneg(s->c);
    s->version = tls_conn_version(s->c);
    s->suite = tls_conn_suite(s->c);
    s->session = *tls_conn_session(s->c);
}

/* Handshake, ping/pong, optional renegotiation (started by the side whose
 * `renegotiate` is set) and a second ping/pong, close. */
static void default_fn(side *s)
{
    s->ok = tls_handshake(s->c);
    if (s->ok)
        s->data_ok = exchange(s);
    if (s->ok && s->data_ok && s->renegotiate) {
        s->reneg_ok = tls_renegotiate(s->c);
        s->data_ok = exchange(s);
    } else if (s->ok && s->data_ok) {
        /* The other side may renegotiate: the second exchange drives it. */
        s->data_ok = exchange(s);
    }
    tls_close(s->c);
    record(s);
}

static void *thread_main(void *arg)
{
    side *s = arg;
    s->fn(s);
    return NULL;
}

static void run_pair(side *cl, side *sv, int fd[2])
{
    int own[2];
    if (!fd) {
        socketpair(AF_UNIX, SOCK_STREAM, 0, own);
        fd = own;
    }
    cl->c = tls_conn_new(&cl->cfg, fd[0], false);
    sv->c = tls_conn_new(&sv->cfg, fd[1], true);
    if (cl->session.id_len)
        tls_conn_set_session(cl->c, &cl->session);
    if (!cl->fn)
        cl->fn = default_fn;
    if (!sv->fn)
        sv->fn = default_fn;
    pthread_t t1, t2;
    pthread_create(&t1, NULL, thread_main, cl);
    pthread_create(&t2, NULL, thread_main, sv);
    /* A side that failed stops reading; closing its end unblocks the other. */
    pthread_join(t1, NULL);
    shutdown(fd[0], SHUT_RDWR);
    pthread_join(t2, NULL);
    tls_conn_free(cl->c);
    tls_conn_free(sv->c);
    cl->c = sv->c = NULL;
    close(fd[0]);
    close(fd[1]);
}

static void test_matrix(void)
{
    static const uint16_t versions[] = {TNT_TLS10, TNT_TLS11, TNT_TLS12};
    side tmp;
    base_cfg(&tmp, false);
    int ran = 0;
    for (size_t v = 0; v < 3; v++) {
        for (size_t i = 0; i < tmp.cfg.n_suites; i++) {
            uint16_t suite = tmp.cfg.suites[i];
            const tnt_suite_info *si = tnt_suite_lookup(suite);
            bool tls12_only = si->mac != TNT_MAC_SHA1;
            if (tls12_only && versions[v] < TNT_TLS12)
                continue;
            side cl, sv;
            base_cfg(&cl, false);
            base_cfg(&sv, true);
            cl.cfg.suites[0] = suite;
            cl.cfg.n_suites = 1;
            cl.cfg.max_version = versions[v];
            /* Alternate the options so every combination meets every suite
             * family somewhere. */
            cl.cfg.ems = (i + v) % 3 != 0;
            cl.cfg.etm = (i + v) % 2 == 0;
            if (i % 2)
                cl.cfg.groups[0] = 0x0017, cl.cfg.groups[1] = 0x001d;
            run_pair(&cl, &sv, NULL);
            ran++;
            bool good = cl.ok && sv.ok && cl.data_ok && sv.data_ok && cl.suite == suite &&
                        sv.suite == suite && cl.version == versions[v] && cl.ems == cl.cfg.ems &&
                        sv.ems == cl.cfg.ems && cl.etm == (cl.cfg.etm && si->mac != TNT_MAC_AEAD) &&
                        sv.etm == cl.etm;
            if (!good)
                fprintf(stderr, "matrix %s %s: client '%s' server '%s'\n",
                        tnt_version_name(versions[v]), tnt_suite_name(suite), cl.err, sv.err);
            CHECK(good);
            tls_config_free(&cl.cfg);
            tls_config_free(&sv.cfg);
        }
    }
    CHECK_EQ(ran, 6 * 2 + 20); /* the 6 SHA-1 suites at TLS 1.0/1.1, all 20 at 1.2 */
    tls_config_free(&tmp.cfg);
}

static void test_resumption(void)
{
    side cl, sv;
    base_cfg(&cl, false);
    base_cfg(&sv, true);
    run_pair(&cl, &sv, NULL);
    CHECK(cl.ok && sv.ok && !cl.resumed);
    CHECK_EQ(cl.session.id_len, 32);
    CHECK_MEM(cl.session.master_secret, sv.session.master_secret, 48);
    tls_session first = cl.session;

    /* Same server config (its cache), the client offers the session. */
    tls_config scfg = sv.cfg;
    side cl2, sv2;
    base_cfg(&cl2, false);
    memset(&sv2, 0, sizeof sv2);
    sv2.server = true;
    sv2.cfg = scfg;
    cl2.session = first;
    run_pair(&cl2, &sv2, NULL);
    CHECK(cl2.ok && sv2.ok && cl2.data_ok && sv2.data_ok);
    CHECK(cl2.resumed && sv2.resumed);
    CHECK_MEM(cl2.session.id, first.id, 32);
    CHECK_MEM(cl2.session.master_secret, first.master_secret, 48);

    /* RFC 7627 5.3: an EMS session offered without EMS is refused. */
    side cl3, sv3;
    base_cfg(&cl3, false);
    memset(&sv3, 0, sizeof sv3);
    sv3.server = true;
    sv3.cfg = scfg;
    cl3.cfg.ems = false;
    cl3.session = first;
    run_pair(&cl3, &sv3, NULL);
    CHECK(!cl3.ok && !sv3.ok);
    CHECK(strstr(sv3.err, "RFC 7627") != NULL);
    CHECK_EQ(sv3.alert_sent, TLS_ALERT_HANDSHAKE_FAILURE);
    CHECK_EQ(cl3.alert_recv, TLS_ALERT_HANDSHAKE_FAILURE);

    /* An unknown session ID gives a full handshake. */
    side cl4, sv4;
    base_cfg(&cl4, false);
    memset(&sv4, 0, sizeof sv4);
    sv4.server = true;
    sv4.cfg = scfg;
    cl4.session = first;
    cl4.session.id[0] ^= 1;
    run_pair(&cl4, &sv4, NULL);
    CHECK(cl4.ok && sv4.ok && !cl4.resumed && !sv4.resumed);

    tls_config_free(&cl.cfg);
    tls_config_free(&cl2.cfg);
    tls_config_free(&cl3.cfg);
    tls_config_free(&cl4.cfg);
    tls_config_free(&scfg);
}

static void test_renegotiation(void)
{
    for (int who = 0; who < 2; who++) {
        side cl, sv;
        base_cfg(&cl, false);
        base_cfg(&sv, true);
        sv.cfg.no_resumption_on_reneg = true;
        (who ? &sv : &cl)->renegotiate = true;
        run_pair(&cl, &sv, NULL);
        CHECK(cl.ok && sv.ok && cl.data_ok && sv.data_ok);
        CHECK((who ? sv.reneg_ok : cl.reneg_ok));
        CHECK_EQ(cl.handshakes, 2);
        CHECK_EQ(sv.handshakes, 2);
        CHECK(cl.secure && sv.secure);
        tls_config_free(&cl.cfg);
        tls_config_free(&sv.cfg);
    }
    /* The server refuses a client's renegotiation: a warning, and the
     * connection goes on. */
    side cl, sv;
    base_cfg(&cl, false);
    base_cfg(&sv, true);
    sv.cfg.allow_renegotiation = false;
    cl.renegotiate = true;
    run_pair(&cl, &sv, NULL);
    CHECK(cl.ok && sv.ok && cl.data_ok && sv.data_ok);
    CHECK(!cl.reneg_ok);
    CHECK_EQ(cl.handshakes, 1);
    CHECK_EQ(cl.alert_recv, TLS_ALERT_NO_RENEGOTIATION);
    CHECK(strstr(cl.err, "refused") != NULL);
    tls_config_free(&cl.cfg);
    tls_config_free(&sv.cfg);
    /* Without RFC 5746 on the server, the client will not renegotiate. */
    base_cfg(&cl, false);
    base_cfg(&sv, true);
    sv.cfg.reneg_info = false;
    cl.renegotiate = true;
    run_pair(&cl, &sv, NULL);
    CHECK(cl.ok && sv.ok && cl.data_ok && !cl.reneg_ok && !cl.secure);
    CHECK(strstr(cl.err, "secure renegotiation") != NULL);
    tls_config_free(&cl.cfg);
    tls_config_free(&sv.cfg);
}

/* ---- TNT hooks: round 1 from the server after ServerKeyExchange, round 2
 * from the client, round 3 (success) from the server, then
 * ServerHelloDone. Run in a server-initiated renegotiation, as TNT does. */

static bool tnt_send_round(tls_conn *c, uint16_t round, uint8_t status)
{
    tnt_policy_spec pol = {TNT_TARGET_RESOURCE, TNT_BLOB_STR("GET /records/4711"),
                           TNT_LANG_DN_EXPRESSION, TNT_BLOB_STR("true")};
    tnt_negotiation_spec n = {round, status, round == 1 ? &pol : NULL, round == 1, NULL, 0};
    tnt_builder b;
    tnt_bld_init(&b);
    tnt_enc_tnt_negotiation(&b, &n);
    size_t len;
    const uint8_t *p = tnt_bld_data(&b, &len);
    bool ok = p && tls_hs_send(c, p, len);
    tnt_bld_free(&b);
    return ok;
}

static const uint8_t tnt_strategies[] = {TNT_STRATEGY_PARSIMONIOUS};
static const uint8_t tnt_languages[] = {TNT_LANG_DN_EXPRESSION};

static bool hook_add_ext(void *user, tls_conn *c, tnt_ext_spec *ext, size_t cap, size_t *n)
{
    side *s = user;
    (void)cap;
    *n = 0;
    if (!tls_hs_renegotiating(c))
        return true;
    if (s->server) {
        const tnt_hs_msg *ch = tls_hs_peer_hello(c);
        if (!tnt_extensions_find(&ch->u.client_hello.ext, tnt_codepoints_default.ext_type))
            return true;
    }
    ext[0].kind = TNT_EXTK_TNT;
    ext[0].u.tnt.version = 1;
    ext[0].u.tnt.mode = TNT_MODE_NEGOTIATE;
    ext[0].u.tnt.strategies = (tnt_u8s){tnt_strategies, 1};
    ext[0].u.tnt.languages = (tnt_u8s){tnt_languages, 1};
    *n = 1;
    return true;
}

static void note_transcript(side *s, tls_conn *c)
{
    size_t len;
    tls_hs_transcript(c, &len);
    if (s->n_transcript_at < 8)
        s->transcript_at[s->n_transcript_at++] = len;
}

static tls_hook_result hook_server_mid(void *user, tls_conn *c)
{
    side *s = user;
    const tnt_hs_msg *ch = tls_hs_peer_hello(c);
    if (!tls_hs_renegotiating(c) ||
        !tnt_extensions_find(&ch->u.client_hello.ext, tnt_codepoints_default.ext_type))
        return TLS_HOOK_DONE;
    if (!tnt_send_round(c, 1, TNT_STATUS_CONTINUE))
        return TLS_HOOK_FAIL;
    note_transcript(s, c);
    return TLS_HOOK_WAIT;
}

static tls_hook_result hook_server_msg(void *user, tls_conn *c, const tnt_hs_msg *m)
{
    side *s = user;
    if (m->type != tnt_codepoints_default.hs_negotiation || !m->decoded) {
        tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "not a TNTNegotiation");
        return TLS_HOOK_FAIL;
    }
    note_transcript(s, c);
    s->rounds_seen[s->tnt_msgs_seen++ % 8] = (uint16_t)m->u.tnt_negotiation.round.v;
    if (!tnt_send_round(c, 3, TNT_STATUS_SUCCESS))
        return TLS_HOOK_FAIL;
    note_transcript(s, c);
    return TLS_HOOK_DONE;
}

static bool hook_client_msg(void *user, tls_conn *c, const tnt_hs_msg *m)
{
    side *s = user;
    if (m->type != tnt_codepoints_default.hs_negotiation || !m->decoded)
        return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "not a TNTNegotiation");
    note_transcript(s, c);
    uint16_t round = (uint16_t)m->u.tnt_negotiation.round.v;
    s->rounds_seen[s->tnt_msgs_seen++ % 8] = round;
    if (round == 1) {
        bool ok = tnt_send_round(c, 2, TNT_STATUS_CONTINUE);
        note_transcript(s, c);
        return ok;
    }
    return true;
}

static void test_tnt_hooks(void)
{
    side cl, sv;
    base_cfg(&cl, false);
    base_cfg(&sv, true);
    sv.cfg.no_resumption_on_reneg = true;
    tls_hooks ch = {
        .user = &cl, .add_hello_ext = hook_add_ext, .client_extra_msg = hook_client_msg};
    tls_hooks sh = {.user = &sv,
                    .add_hello_ext = hook_add_ext,
                    .server_mid_flight = hook_server_mid,
                    .server_extra_msg = hook_server_msg};
    cl.cfg.hooks = ch;
    sv.cfg.hooks = sh;
    sv.renegotiate = true;
    run_pair(&cl, &sv, NULL);
    CHECK(cl.ok && sv.ok && cl.data_ok && sv.data_ok && sv.reneg_ok);
    CHECK_EQ(cl.handshakes, 2);
    CHECK_EQ(cl.tnt_msgs_seen, 2);
    CHECK_EQ(sv.tnt_msgs_seen, 1);
    CHECK_EQ(cl.rounds_seen[0], 1);
    CHECK_EQ(cl.rounds_seen[1], 3);
    CHECK_EQ(sv.rounds_seen[0], 2);
    /* Both sides saw the same transcript at the same points: after round 1,
     * after round 2, after round 3. (Finished verifying says the same for
     * the whole handshake.) */
    CHECK_EQ(sv.n_transcript_at, 3);
    CHECK_EQ(cl.n_transcript_at, 3);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(cl.transcript_at[i], sv.transcript_at[i]);
    tls_config_free(&cl.cfg);
    tls_config_free(&sv.cfg);

    /* A client without the hook gets an unexpected message. */
    base_cfg(&cl, false);
    base_cfg(&sv, true);
    sv.cfg.no_resumption_on_reneg = true;
    ch.client_extra_msg = NULL;
    ch.user = &cl;
    sh.user = &sv;
    cl.cfg.hooks = ch;
    sv.cfg.hooks = sh;
    sv.renegotiate = true;
    run_pair(&cl, &sv, NULL);
    CHECK(cl.ok && sv.ok && !sv.reneg_ok);
    CHECK_EQ(cl.alert_sent, TLS_ALERT_UNEXPECTED_MESSAGE);
    CHECK_EQ(sv.alert_recv, TLS_ALERT_UNEXPECTED_MESSAGE);
    tls_config_free(&cl.cfg);
    tls_config_free(&sv.cfg);
}

/* ---- strict checks ---- */

static bool hook_bogus_ext(void *user, tls_conn *c, tnt_ext_spec *ext, size_t cap, size_t *n)
{
    (void)user;
    (void)c;
    (void)cap;
    ext[0].kind = TNT_EXTK_UNKNOWN;
    ext[0].type = 0x1234;
    ext[0].u.raw = tnt_blob_of(NULL, 0);
    *n = 1;
    return true;
}

static bool refuse_chain(void *user, tls_conn *c, const uint8_t *const *certs, const size_t *lens,
                         size_t n)
{
    (void)user;
    (void)c;
    (void)certs;
    (void)lens;
    return n == 0;
}

typedef void (*tweak_fn)(side *cl, side *sv);

static void tw_unoffered_ext(side *cl, side *sv)
{
    (void)cl;
    sv->cfg.hooks.add_hello_ext = hook_bogus_ext;
}
static void tw_server_too_old(side *cl, side *sv)
{
    cl->cfg.min_version = TNT_TLS12;
    sv->cfg.max_version = TNT_TLS11;
}
static void tw_client_too_old(side *cl, side *sv)
{
    cl->cfg.max_version = TNT_TLS11;
    sv->cfg.min_version = TNT_TLS12;
}
static void tw_no_suite(side *cl, side *sv)
{
    char err[64];
    tls_config_set_suites(&cl->cfg, "AES128-SHA", err, sizeof err);
    tls_config_set_suites(&sv->cfg, "AES256-SHA", err, sizeof err);
}
static void tw_chain_refused(side *cl, side *sv)
{
    (void)sv;
    cl->cfg.hooks.verify_chain = refuse_chain;
}
static void tw_no_ecdsa_cert(side *cl, side *sv)
{
    char err[64];
    tls_config_set_suites(&cl->cfg, "ECDHE-ECDSA-AES128-GCM-SHA256", err, sizeof err);
    sv->cfg.n_creds = 1; /* RSA only (the ECDSA one is freed with n_creds 2 below) */
}
static void tw_no_common_group(side *cl, side *sv)
{
    char err[64];
    tls_config_set_suites(&cl->cfg, "ECDHE-RSA-AES128-GCM-SHA256", err, sizeof err);
    cl->cfg.groups[0] = 0x001d;
    cl->cfg.n_groups = 1;
    sv->cfg.groups[0] = 0x0017;
    sv->cfg.n_groups = 1;
}

static void test_violations(void)
{
    static const struct {
        const char *name;
        tweak_fn tweak;
        bool client_detects;
        int alert;
        const char *what;
    } cases[] = {
        {"extension not offered", tw_unoffered_ext, true, TLS_ALERT_UNSUPPORTED_EXTENSION,
         "not offered"},
        {"server below client minimum", tw_server_too_old, true, TLS_ALERT_PROTOCOL_VERSION,
         "outside"},
        {"client below server minimum", tw_client_too_old, false, TLS_ALERT_PROTOCOL_VERSION,
         "below"},
        {"no common suite", tw_no_suite, false, TLS_ALERT_HANDSHAKE_FAILURE, "in common"},
        {"chain refused", tw_chain_refused, true, TLS_ALERT_BAD_CERTIFICATE, "refused"},
        {"no ECDSA certificate", tw_no_ecdsa_cert, false, TLS_ALERT_HANDSHAKE_FAILURE, "in common"},
        {"no common group", tw_no_common_group, false, TLS_ALERT_HANDSHAKE_FAILURE, "in common"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        side cl, sv;
        base_cfg(&cl, false);
        base_cfg(&sv, true);
        cases[i].tweak(&cl, &sv);
        size_t n_creds = sv.cfg.n_creds;
        run_pair(&cl, &sv, NULL);
        side *det = cases[i].client_detects ? &cl : &sv;
        side *other = cases[i].client_detects ? &sv : &cl;
        bool good = !cl.ok && !sv.ok && det->alert_sent == cases[i].alert &&
                    other->alert_recv == cases[i].alert && strstr(det->err, cases[i].what);
        if (!good)
            fprintf(stderr,
                    "violation '%s': client '%s' (sent %d recv %d), server '%s' (sent %d "
                    "recv %d)\n",
                    cases[i].name, cl.err, cl.alert_sent, cl.alert_recv, sv.err, sv.alert_sent,
                    sv.alert_recv);
        CHECK(good);
        sv.cfg.n_creds = n_creds < 2 ? 2 : n_creds;
        tls_config_free(&cl.cfg);
        tls_config_free(&sv.cfg);
    }
}

/* ---- malformed hellos: each truncation of a valid hello, with consistent
 * framing, sent to the engine by hand. The engine must fail cleanly (under
 * ASan: no overread) and never complete. ---- */

static void hs_only_fn(side *s)
{
    s->ok = tls_handshake(s->c);
    record(s);
}

/* Sends the message's first `keep` bytes of body as one handshake record and
 * half-closes; returns what the engine concluded. */
static void feed_truncated(side *eng, const uint8_t *msg, size_t len, size_t keep)
{
    int fd[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, fd);
    eng->c = tls_conn_new(&eng->cfg, fd[1], eng->server);
    eng->fn = hs_only_fn;
    pthread_t t;
    pthread_create(&t, NULL, thread_main, eng);
    uint8_t rec[5 + 4 + 1024];
    size_t body = keep > len - 4 ? len - 4 : keep;
    rec[0] = 22, rec[1] = 3, rec[2] = 1;
    rec[3] = (uint8_t)((4 + body) >> 8), rec[4] = (uint8_t)(4 + body);
    rec[5] = msg[0];
    rec[6] = (uint8_t)(body >> 16), rec[7] = (uint8_t)(body >> 8), rec[8] = (uint8_t)body;
    memcpy(rec + 9, msg + 4, body);
    if (write(fd[0], rec, 9 + body) < 0)
        perror("write");
    shutdown(fd[0], SHUT_WR);
    /* What the engine answers is small enough for the socket buffer. */
    pthread_join(t, NULL);
    tls_conn_free(eng->c);
    eng->c = NULL;
    close(fd[0]);
    close(fd[1]);
}

static void test_truncated_hellos(void)
{
    static const uint16_t suites[] = {0xC02F, 0x002F};
    static const uint16_t groups[] = {0x001d};
    static const uint8_t formats[] = {0};
    static const uint16_t sigs[] = {0x0401, 0x0804};
    tnt_ext_spec ext[5];
    memset(ext, 0, sizeof ext);
    ext[0].kind = TNT_EXTK_SUPPORTED_GROUPS;
    ext[0].u.groups = (tnt_u16s){groups, 1};
    ext[1].kind = TNT_EXTK_EC_POINT_FORMATS;
    ext[1].u.formats = (tnt_u8s){formats, 1};
    ext[2].kind = TNT_EXTK_SIGNATURE_ALGORITHMS;
    ext[2].u.sig_algs = (tnt_u16s){sigs, 2};
    ext[3].kind = TNT_EXTK_EXTENDED_MASTER_SECRET;
    ext[4].kind = TNT_EXTK_RENEGOTIATION_INFO;
    tnt_client_hello_spec ch = {0};
    ch.version = TNT_TLS12;
    memset(ch.random, 0x5a, 32);
    ch.suites = (tnt_u16s){suites, 2};
    ch.compressions = (tnt_u8s){formats, 1};
    ch.has_extensions = true;
    ch.ext = ext;
    ch.n_ext = 5;
    tnt_builder b;
    tnt_bld_init(&b);
    tnt_enc_client_hello(&b, &ch);
    size_t len;
    const uint8_t *msg = tnt_bld_data(&b, &len);
    CHECK(msg != NULL);
    int completed = 0, decode_errors = 0;
    for (size_t keep = 0; msg && keep + 4 < len; keep++) {
        side sv;
        base_cfg(&sv, true);
        feed_truncated(&sv, msg, len, keep);
        completed += sv.ok;
        decode_errors += sv.alert_sent == TLS_ALERT_DECODE_ERROR;
        tls_config_free(&sv.cfg);
    }
    CHECK_EQ(completed, 0);
    /* Cuts inside the fixed part and inside any vector are decode errors;
     * only cuts at the end of compressions (a hello without extensions) or
     * between whole extensions decode. */
    CHECK(decode_errors >= (int)len - 4 - 8);

    /* The same for a ServerHello to a client. */
    tnt_bld_reset(&b);
    tnt_ext_spec sext[2];
    memset(sext, 0, sizeof sext);
    sext[0].kind = TNT_EXTK_RENEGOTIATION_INFO;
    sext[1].kind = TNT_EXTK_EXTENDED_MASTER_SECRET;
    uint8_t sid[32];
    memset(sid, 7, 32);
    tnt_server_hello_spec sh = {0};
    sh.version = TNT_TLS12;
    memset(sh.random, 0x33, 32);
    sh.session_id = tnt_blob_of(sid, 32);
    sh.suite = 0xC02F;
    sh.has_extensions = true;
    sh.ext = sext;
    sh.n_ext = 2;
    tnt_enc_server_hello(&b, &sh);
    msg = tnt_bld_data(&b, &len);
    CHECK(msg != NULL);
    completed = decode_errors = 0;
    for (size_t keep = 0; msg && keep + 4 <= len; keep++) {
        side cl;
        base_cfg(&cl, false);
        feed_truncated(&cl, msg, len, keep);
        completed += cl.ok;
        decode_errors += cl.alert_sent == TLS_ALERT_DECODE_ERROR;
        tls_config_free(&cl.cfg);
    }
    CHECK_EQ(completed, 0);
    CHECK(decode_errors >= (int)len - 4 - 4);
    tnt_bld_free(&b);
}

int main(void)
{
    const char *data = getenv("TNT_TEST_DATA");
    snprintf(pki_dir, sizeof pki_dir, "%s/pki", data ? data : "tests/data");
    test_matrix();
    test_resumption();
    test_renegotiation();
    test_tnt_hooks();
    test_violations();
    test_truncated_hellos();
    return check_done("test_tls_engine");
}
