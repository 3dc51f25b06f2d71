/* The engine's API (tls_engine.h): connections, handshakes and
 * renegotiation, application data, and what a connection negotiated. The
 * top of the engine: it drives tls_client.c and tls_server.c, which call
 * down into tls_common.c and tls_io.c and never back up here. */
#include "tls_client.h"
#include "tls_common.h"
#include "tls_io.h"
#include "tls_server.h"

#include "tnt/record.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tls_conn *tls_conn_new(const tls_config *cfg, int fd, bool is_server)
{
    tls_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->fd = fd;
    c->is_server = is_server;
    c->cfg = cfg;
    c->out = g_byte_array_new();
    c->app_in = g_byte_array_new();
    g_queue_init(&c->msgs);
    tnt_hs_reasm_init(&c->reasm, 1u << 20);
    c->alert_sent = c->alert_recv = -1;
    return c;
}

static void free_certs(uint8_t **certs, size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        free(certs[i]);
    *n = 0;
}

void tls_conn_free(tls_conn *c)
{
    if (!c)
        return;
    tnt_rp_free(c->rd);
    tnt_rp_free(c->wr);
    tnt_rp_free(c->pend_rd);
    tnt_rp_free(c->pend_wr);
    g_byte_array_free(c->out, TRUE);
    g_byte_array_free(c->app_in, TRUE);
    g_queue_clear_full(&c->msgs, (GDestroyNotify)g_bytes_unref);
    tnt_hs_reasm_free(&c->reasm);
    tls_hs_free(c->hs);
    free_certs(c->peer_certs, &c->n_peer_certs);
    memset(c->session.master_secret, 0, 48);
    free(c);
}

/* ---- application data and renegotiation ---- */

bool tls_handshake(tls_conn *c)
{
    if (c->failed || c->n_handshakes)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "handshake already done or failed");
    return c->is_server ? tls_server_handshake(c, NULL) : tls_client_handshake(c, false);
}

bool tls_renegotiate(tls_conn *c)
{
    if (c->failed || !c->n_handshakes)
        return false;
    if (!c->secure_reneg && !c->cfg->allow_insecure_renegotiation) {
        snprintf(c->err, sizeof c->err, "peer does not support secure renegotiation");
        return false;
    }
    if (!c->is_server)
        return tls_client_handshake(c, true);
    static const uint8_t hello_request[4] = {TNT_HS_HELLO_REQUEST, 0, 0, 0};
    c->reneg_refused = false;
    if (!tls_hs_send(c, hello_request, 4) || !tls_flush(c))
        return false;
    /* Application data may still arrive before the client's hello. */
    while (g_queue_is_empty(&c->msgs)) {
        if (!tls_read_record(c))
            return false;
        if (c->reneg_refused) {
            snprintf(c->err, sizeof c->err, "client refused renegotiation");
            return false;
        }
    }
    GBytes *m = g_queue_pop_head(&c->msgs);
    const uint8_t *p = g_bytes_get_data(m, NULL);
    if (p[0] != TNT_HS_CLIENT_HELLO) {
        g_bytes_unref(m);
        return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                             "expected ClientHello after HelloRequest");
    }
    return tls_server_handshake(c, m);
}

/* A handshake message outside a handshake: the start of a renegotiation. */
static bool post_handshake_message(tls_conn *c)
{
    GBytes *m = g_queue_pop_head(&c->msgs);
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    bool allowed =
        c->cfg->allow_renegotiation && (c->secure_reneg || c->cfg->allow_insecure_renegotiation);
    if (!c->is_server && p[0] == TNT_HS_HELLO_REQUEST && len == 4) {
        g_bytes_unref(m);
        if (!allowed) {
            tls_send_alert(c, 1, TLS_ALERT_NO_RENEGOTIATION);
            return tls_flush(c);
        }
        tls_debug(c, "recv HelloRequest: renegotiating");
        return tls_client_handshake(c, true);
    }
    if (c->is_server && p[0] == TNT_HS_CLIENT_HELLO) {
        if (!allowed) {
            g_bytes_unref(m);
            tls_send_alert(c, 1, TLS_ALERT_NO_RENEGOTIATION);
            return tls_flush(c);
        }
        return tls_server_handshake(c, m);
    }
    g_bytes_unref(m);
    return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                         "handshake message type %u outside a handshake", p[0]);
}

ssize_t tls_read(tls_conn *c, void *buf, size_t cap)
{
    while (c->app_off >= c->app_in->len) {
        g_byte_array_set_size(c->app_in, 0);
        c->app_off = 0;
        if (c->failed)
            return -1;
        if (c->peer_closed)
            return 0;
        if (!g_queue_is_empty(&c->msgs)) {
            if (!post_handshake_message(c))
                return -1;
            continue;
        }
        if (!tls_read_record(c))
            return c->failed ? -1 : 0;
    }
    size_t n = c->app_in->len - c->app_off;
    if (n > cap)
        n = cap;
    memcpy(buf, c->app_in->data + c->app_off, n);
    c->app_off += n;
    return (ssize_t)n;
}

bool tls_write(tls_conn *c, const void *data, size_t len)
{
    if (c->failed || !c->app_allowed || c->sent_close)
        return false;
    if (len && !tls_send_record(c, TNT_CT_APPLICATION_DATA, data, len))
        return false;
    return tls_flush(c);
}

void tls_close(tls_conn *c)
{
    if (c->failed || c->sent_close)
        return;
    tls_send_alert(c, 1, TLS_ALERT_CLOSE_NOTIFY);
    tls_flush(c);
}

/* ---- accessors ---- */

bool tls_conn_failed(const tls_conn *c)
{
    return c->failed;
}
const char *tls_conn_error(const tls_conn *c)
{
    return c->err;
}
int tls_conn_alert_sent(const tls_conn *c)
{
    return c->alert_sent;
}
int tls_conn_alert_received(const tls_conn *c)
{
    return c->alert_recv;
}
uint16_t tls_conn_version(const tls_conn *c)
{
    return c->version;
}
uint16_t tls_conn_suite(const tls_conn *c)
{
    return c->suite;
}
const tnt_codepoints *tls_conn_codepoints(const tls_conn *c)
{
    return &c->cfg->codepoints;
}
bool tls_conn_is_server(const tls_conn *c)
{
    return c->is_server;
}
bool tls_conn_resumed(const tls_conn *c)
{
    return c->resumed;
}
bool tls_conn_ems(const tls_conn *c)
{
    return c->ems;
}
bool tls_conn_etm(const tls_conn *c)
{
    return c->etm_wr;
}
bool tls_conn_secure_reneg(const tls_conn *c)
{
    return c->secure_reneg;
}
unsigned tls_conn_handshakes(const tls_conn *c)
{
    return c->n_handshakes;
}
uint16_t tls_conn_group(const tls_conn *c)
{
    return c->group;
}
const uint8_t *tls_conn_peer_cert(const tls_conn *c, size_t i, size_t *len)
{
    if (i >= c->n_peer_certs)
        return NULL;
    *len = c->peer_cert_lens[i];
    return c->peer_certs[i];
}
const tls_session *tls_conn_session(const tls_conn *c)
{
    return &c->session;
}
void tls_conn_set_session(tls_conn *c, const tls_session *s)
{
    c->offer = *s;
}
const uint8_t *tls_hs_transcript(const tls_conn *c, size_t *len)
{
    if (!c->hs) {
        *len = 0;
        return NULL;
    }
    *len = c->hs->bytes->len;
    return c->hs->bytes->data;
}
const tnt_hs_msg *tls_hs_peer_hello(const tls_conn *c)
{
    return c->hs && c->hs->have_peer_hello ? &c->hs->peer_hello : NULL;
}
const uint16_t *tls_hs_client_sig_algs(const tls_conn *c, size_t *n)
{
    if (!c->hs || !c->hs->client_sent_sig_algs) {
        *n = 0;
        return NULL;
    }
    *n = c->hs->n_client_sig_algs;
    return c->hs->client_sig_algs;
}
bool tls_hs_renegotiating(const tls_conn *c)
{
    return c->hs && c->hs->renegotiation;
}
const uint8_t *tls_hs_client_random(const tls_conn *c)
{
    return c->hs ? c->hs->client_random : NULL;
}
const uint8_t *tls_hs_server_random(const tls_conn *c)
{
    return c->hs ? c->hs->server_random : NULL;
}
bool tls_hs_resuming(const tls_conn *c)
{
    return c->hs && c->hs->resumed;
}
const uint8_t *tls_hs_session_id(const tls_conn *c, size_t *len)
{
    if (!c->hs) {
        *len = 0;
        return NULL;
    }
    *len = c->hs->session_id_len;
    return c->hs->session_id;
}
uint16_t tls_hs_version(const tls_conn *c)
{
    return c->hs ? c->hs->version : 0;
}

bool tls_conn_input_pending(tls_conn *c, int timeout_ms)
{
    if (!g_queue_is_empty(&c->msgs) || tnt_hs_reasm_pending(&c->reasm) ||
        c->app_off < c->app_in->len)
        return true;
    /* Whatever we owe the peer must be on its way, or it has nothing to
     * answer. */
    if (!tls_flush(c))
        return false;
    struct pollfd p = {.fd = c->fd, .events = POLLIN};
    int r;
    do
        r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    return r > 0;
}

bool tls_write_deferred(tls_conn *c, const void *data, size_t len)
{
    if (c->failed || !c->app_allowed || c->sent_close)
        return false;
    return !len || tls_send_record(c, TNT_CT_APPLICATION_DATA, data, len);
}

bool tls_accept_renegotiation(tls_conn *c)
{
    if (c->failed || !c->n_handshakes || !c->is_server)
        return false;
    unsigned before = c->n_handshakes;
    while (g_queue_is_empty(&c->msgs)) {
        if (!tls_read_record(c))
            return false;
    }
    if (!post_handshake_message(c))
        return false;
    return c->n_handshakes > before;
}
