/* The record layer of the engine: reading and writing records over the
 * socket, the epochs (current and pending cipher states), alerts, and the
 * application data API. */
#include "tls_int.h"

#include "tnt/alert.h"
#include "tnt/record.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void tls_debug(const tls_conn *c, const char *fmt, ...)
{
    if (!c->cfg->debug)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "[tls %s] ", c->is_server ? "server" : "client");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool tls_conn_fail(tls_conn *c, int alert, const char *fmt, ...)
{
    if (c->failed)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    c->failed = true;
    tls_debug(c, "FAIL (alert %d): %s", alert, c->err);
    /* No alert in answer to the peer's fatal alert or a dead socket. */
    if (alert >= 0) {
        tls_send_alert(c, 2, (uint8_t)alert);
        tls_flush(c);
    }
    return false;
}

static void reasm_message(void *user, const tnt_hs_piece *m)
{
    tls_conn *c = user;
    g_queue_push_tail(&c->msgs, g_bytes_new(m->raw, m->raw_len));
}

static void reasm_error(void *user, const char *what, uint32_t claimed)
{
    tls_conn *c = user;
    tls_conn_fail(c, TLS_ALERT_DECODE_ERROR, "handshake message: %s (length %u)", what, claimed);
}

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

bool tls_flush(tls_conn *c)
{
    size_t off = 0;
    while (off < c->out->len) {
        /* MSG_NOSIGNAL: a peer that hung up is an error, not a SIGPIPE. */
        ssize_t n = send(c->fd, c->out->data + off, c->out->len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = write(c->fd, c->out->data + off, c->out->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            g_byte_array_set_size(c->out, 0);
            if (!c->failed) {
                snprintf(c->err, sizeof c->err, "write: %s", strerror(errno));
                c->failed = true;
            }
            return false;
        }
        off += (size_t)n;
    }
    g_byte_array_set_size(c->out, 0);
    return true;
}

bool tls_send_record(tls_conn *c, uint8_t type, const uint8_t *data, size_t len)
{
    uint16_t ver = c->version ? c->version : TNT_TLS10;
    do {
        size_t n = len > 16384 ? 16384 : len;
        uint8_t hdr[5];
        size_t body_len = c->wr ? tnt_rp_encrypted_len(c->wr, n) : n;
        hdr[0] = type;
        hdr[1] = (uint8_t)(ver >> 8);
        hdr[2] = (uint8_t)ver;
        hdr[3] = (uint8_t)(body_len >> 8);
        hdr[4] = (uint8_t)body_len;
        g_byte_array_append(c->out, hdr, 5);
        if (c->wr) {
            size_t at = c->out->len, out_len = 0;
            g_byte_array_set_size(c->out, (guint)(at + body_len));
            tnt_rp_status st =
                tnt_rp_encrypt(c->wr, type, ver, data, n, c->out->data + at, body_len, &out_len);
            if (st != TNT_RP_OK || out_len != body_len) {
                g_byte_array_set_size(c->out, (guint)(at - 5));
                c->wr = NULL; /* never send plaintext by accident either */
                return tls_conn_fail(c, -1, "encrypt: %s", tnt_rp_status_name(st));
            }
        } else {
            g_byte_array_append(c->out, data, (guint)n);
        }
        data += n;
        len -= n;
    } while (len > 0);
    return true;
}

void tls_send_alert(tls_conn *c, uint8_t level, uint8_t desc)
{
    if (c->sent_close && desc != TLS_ALERT_CLOSE_NOTIFY)
        return;
    uint8_t a[2] = {level, desc};
    if (level == 2 || desc == TLS_ALERT_CLOSE_NOTIFY)
        c->sent_close = true;
    c->alert_sent = desc;
    tls_debug(c, "send alert %u/%u (%s)", level, desc, tnt_alert_description_name(desc));
    tls_send_record(c, TNT_CT_ALERT, a, 2);
}

static bool read_full(tls_conn *c, uint8_t *buf, size_t len, bool eof_ok)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = read(c->fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return tls_conn_fail(c, -1, "read: %s", strerror(errno));
        if (n == 0) {
            if (eof_ok && off == 0) {
                c->peer_closed = true;
                return false;
            }
            return tls_conn_fail(c, -1, "connection closed by peer in the middle of %s",
                                 off ? "a record" : "the handshake");
        }
        off += (size_t)n;
    }
    return true;
}

static bool handle_alert(tls_conn *c, const uint8_t *body, size_t len)
{
    tnt_alert al;
    tnt_error e = {0};
    if (!tnt_alert_decode(body, (uint32_t)len, &al, &e))
        return tls_conn_fail(c, TLS_ALERT_DECODE_ERROR, "alert record: %s", e.what);
    c->alert_recv = (int)al.description.v;
    tls_debug(c, "recv alert %u/%u (%s)", al.level.v, al.description.v,
              tnt_alert_description_name((uint8_t)al.description.v));
    if (al.description.v == TLS_ALERT_CLOSE_NOTIFY) {
        c->peer_closed = true;
        if (c->hs)
            return tls_conn_fail(c, -1, "peer closed the connection during the handshake");
        return true;
    }
    if (al.level.v == 1 && al.description.v == TLS_ALERT_NO_RENEGOTIATION) {
        c->reneg_refused = true;
        return true;
    }
    if (al.level.v == 1 && !c->hs)
        return true; /* other warnings outside handshakes carry no meaning here */
    const char *name = tnt_alert_description_name((uint8_t)al.description.v);
    return tls_conn_fail(c, -1, "peer sent %s alert %u (%s)", al.level.v == 1 ? "warning" : "fatal",
                         al.description.v, name ? name : "?");
}

bool tls_read_record(tls_conn *c)
{
    if (c->failed)
        return false;
    uint8_t hdr[5];
    if (!read_full(c, hdr, 5, !c->hs)) {
        if (c->peer_closed && !c->failed && c->hs)
            return tls_conn_fail(c, -1, "EOF during the handshake");
        return false;
    }
    tnt_cursor cur;
    uint8_t type, major, minor;
    uint16_t len;
    tnt_cursor_init(&cur, hdr, 5);
    tnt_get_u8(&cur, &type);
    tnt_get_u8(&cur, &major);
    tnt_get_u8(&cur, &minor);
    tnt_get_u16(&cur, &len);
    uint16_t ver = (uint16_t)(major << 8 | minor);
    if (type < TNT_CT_CHANGE_CIPHER_SPEC || type > TNT_CT_APPLICATION_DATA)
        return tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "record of unknown content type %u",
                             type);
    if (major != 3)
        return tls_conn_fail(c, TLS_ALERT_PROTOCOL_VERSION, "record version 0x%04x is not TLS",
                             ver);
    /* An alert may come from a peer that has not (or not yet) accepted the
     * version: it is still worth reading. */
    if (c->version && ver != c->version && type != TNT_CT_ALERT)
        return tls_conn_fail(c, TLS_ALERT_PROTOCOL_VERSION,
                             "record version 0x%04x, negotiated 0x%04x", ver, c->version);
    if (len > (c->rd ? TNT_MAX_RECORD_BODY : 16384))
        return tls_conn_fail(c, TLS_ALERT_RECORD_OVERFLOW, "record of %u bytes", len);
    uint8_t *body = malloc(len ? len : 1);
    if (!body)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    if (!read_full(c, body, len, false)) {
        free(body);
        return false;
    }
    size_t plen = len;
    if (c->rd) {
        tnt_rp_status st = tnt_rp_decrypt(c->rd, type, ver, body, len, body, len, &plen);
        if (st != TNT_RP_OK) {
            free(body);
            return tls_conn_fail(
                c, st == TNT_RP_BAD_LENGTH ? TLS_ALERT_DECODE_ERROR : TLS_ALERT_BAD_RECORD_MAC,
                "record decryption failed: %s", tnt_rp_status_name(st));
        }
        if (plen > 16384) {
            free(body);
            return tls_conn_fail(c, TLS_ALERT_RECORD_OVERFLOW, "plaintext of %zu bytes", plen);
        }
    }
    bool ok = true;
    switch (type) {
    case TNT_CT_HANDSHAKE:
        if (plen == 0) {
            ok = tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "empty handshake record");
            break;
        }
        {
            tnt_hs_reasm_callbacks cb = {reasm_message, reasm_error};
            tnt_hs_reasm_feed(&c->reasm, body, plen, 0, &cb, c);
            ok = !c->failed;
        }
        break;
    case TNT_CT_ALERT:
        ok = handle_alert(c, body, plen);
        break;
    case TNT_CT_CHANGE_CIPHER_SPEC: {
        uint8_t one = 0;
        tnt_cursor cc;
        tnt_cursor_init(&cc, body, plen);
        if (!tnt_get_u8(&cc, &one) || one != 1 || tnt_cursor_len(&cc) != 0) {
            ok = tls_conn_fail(c, TLS_ALERT_DECODE_ERROR, "malformed ChangeCipherSpec");
            break;
        }
        if (!c->expect_ccs || !c->pend_rd || tnt_hs_reasm_pending(&c->reasm) ||
            !g_queue_is_empty(&c->msgs)) {
            ok = tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected ChangeCipherSpec");
            break;
        }
        tls_debug(c, "recv ChangeCipherSpec");
        tnt_rp_free(c->rd);
        c->rd = c->pend_rd;
        c->pend_rd = NULL;
        c->etm_rd = c->pend_etm;
        c->expect_ccs = false;
        c->got_ccs = true;
        break;
    }
    case TNT_CT_APPLICATION_DATA:
        if (!c->app_allowed || !c->rd) {
            ok = tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE,
                               "application data before the handshake completed");
            break;
        }
        g_byte_array_append(c->app_in, body, (guint)plen);
        break;
    }
    free(body);
    return ok;
}

GBytes *tls_hs_next(tls_conn *c)
{
    if (!tls_flush(c))
        return NULL;
    for (;;) {
        while (g_queue_is_empty(&c->msgs)) {
            if (!tls_read_record(c)) {
                if (!c->failed)
                    tls_conn_fail(c, -1, "connection closed during the handshake");
                return NULL;
            }
            if (c->reneg_refused && c->hs && c->hs->renegotiation && !c->is_server) {
                /* The server declined: the old session goes on. */
                snprintf(c->err, sizeof c->err, "server refused renegotiation");
                return NULL;
            }
        }
        GBytes *m = g_queue_pop_head(&c->msgs);
        gsize len;
        const uint8_t *p = g_bytes_get_data(m, &len);
        if (p[0] == TNT_HS_HELLO_REQUEST) {
            /* Not part of any transcript; during a handshake a client
             * ignores it (RFC 5246 7.4.1.1), a server never gets one. */
            if (c->is_server || len != 4) {
                g_bytes_unref(m);
                tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected HelloRequest");
                return NULL;
            }
            g_bytes_unref(m);
            continue;
        }
        tls_debug(c, "recv %s (%zu bytes)",
                  tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                      ? tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                      : "?",
                  len);
        tls_transcript_add(c, p, len);
        return m;
    }
}

bool tls_hs_decode_msg(tls_conn *c, const uint8_t *raw, size_t len, bool from_server, tnt_arena *a,
                       tnt_hs_msg *msg)
{
    tnt_hs_ctx ctx = {c->hs ? c->hs->version : 0, c->hs ? c->hs->suite : 0, from_server,
                      &c->cfg->codepoints};
    if (!tnt_hs_decode(raw, (uint32_t)len, &ctx, a, msg))
        return tls_conn_fail(c, TLS_ALERT_DECODE_ERROR, "%s: %s at offset %u",
                             tnt_handshake_type_name(&c->cfg->codepoints, raw[0])
                                 ? tnt_handshake_type_name(&c->cfg->codepoints, raw[0])
                                 : "handshake message",
                             msg->err.what ? msg->err.what : "malformed", msg->err.off);
    return true;
}

bool tls_hs_send(tls_conn *c, const uint8_t *msg, size_t len)
{
    if (c->failed)
        return false;
    if (len < 4)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "short handshake message");
    tls_debug(c, "send %s (%zu bytes)",
              tnt_handshake_type_name(&c->cfg->codepoints, msg[0])
                  ? tnt_handshake_type_name(&c->cfg->codepoints, msg[0])
                  : "?",
              len);
    if (msg[0] != TNT_HS_HELLO_REQUEST)
        tls_transcript_add(c, msg, len);
    return tls_send_record(c, TNT_CT_HANDSHAKE, msg, len);
}

bool tls_hs_send_bld(tls_conn *c, tnt_builder *b)
{
    size_t len;
    const uint8_t *p = tnt_bld_data(b, &len);
    if (!p)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "encoding: %s",
                             tnt_bld_error(b) ? tnt_bld_error(b) : "open vector");
    bool ok = tls_hs_send(c, p, len);
    tnt_bld_reset(b);
    return ok;
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
