#include "conn.h"
#include "names.h"

#include <stdio.h>
#include <string.h>

static void on_record(void *user, const tnt_record *rec);
static void on_rec_skipped(void *user, uint64_t off, uint64_t n, const char *why);
static void on_rec_error(void *user, uint64_t off, const char *what);
static void on_message(void *user, const tnt_hs_piece *piece);
static void on_hs_error(void *user, const char *what, uint32_t claimed);

static const tnt_rec_callbacks rec_cb = {on_record, on_rec_skipped, on_rec_error};
static const tnt_hs_reasm_callbacks hs_cb = {on_message, on_hs_error};

void tnt_conn_init(tnt_conn *c, const tnt_conn_events *ev, void *user)
{
    memset(c, 0, sizeof(*c));
    c->ev = ev;
    c->user = user;
    tnt_arena_init(&c->arena);
    for (int i = 0; i < 2; i++) {
        tnt_rec_init(&c->dir[i].rec);
        tnt_hs_reasm_init(&c->dir[i].hs, 0);
    }
}

void tnt_conn_free(tnt_conn *c)
{
    for (int i = 0; i < 2; i++) {
        tnt_rec_free(&c->dir[i].rec);
        tnt_hs_reasm_free(&c->dir[i].hs);
    }
    tnt_arena_free(&c->arena);
}

static void diag(tnt_conn *c, tnt_diag_kind kind, uint64_t off, const char *text)
{
    if (c->ev->diag)
        c->ev->diag(c->user, c->cur_dir, kind, off, text);
}

void tnt_conn_feed(tnt_conn *c, tnt_dir d, const uint8_t *data, size_t len)
{
    c->cur_dir = d;
    tnt_rec_feed(&c->dir[d].rec, data, len, &rec_cb, c);
}

void tnt_conn_gap(tnt_conn *c, tnt_dir d, uint64_t n)
{
    c->cur_dir = d;
    tnt_conn_dir *D = &c->dir[d];
    char text[96];
    snprintf(text, sizeof(text), "%llu bytes missing from the capture", (unsigned long long)n);
    diag(c, TNT_DIAG_GAP, D->rec.off + D->rec.buf_len, text);
    tnt_rec_gap(&D->rec, n, &rec_cb, c);
    tnt_hs_reasm_reset(&D->hs);
}

void tnt_conn_finish(tnt_conn *c)
{
    for (int d = 0; d < 2; d++) {
        c->cur_dir = (tnt_dir)d;
        tnt_conn_dir *D = &c->dir[d];
        if (D->rec.state == TNT_REC_SYNCED && D->rec.buf_len > 0 && D->rec.saw_record)
            diag(c, TNT_DIAG_TRUNCATED, D->rec.off, "stream ends inside a record");
        tnt_rec_finish(&D->rec, &(tnt_rec_callbacks){0}, NULL);
        if (tnt_hs_reasm_pending(&D->hs))
            diag(c, TNT_DIAG_TRUNCATED, D->rec.off, "stream ends inside a handshake message");
        tnt_hs_reasm_reset(&D->hs);
    }
}

bool tnt_conn_is_tls(const tnt_conn *c)
{
    return c->dir[0].rec.saw_record || c->dir[1].rec.saw_record;
}

static void on_rec_skipped(void *user, uint64_t off, uint64_t n, const char *why)
{
    tnt_conn *c = user;
    /* Bytes before the first record of a direction are not news unless the
     * direction turns out to be TLS; the front end decides what to show. */
    char text[128];
    snprintf(text, sizeof(text), "%s: skipped %llu bytes", why, (unsigned long long)n);
    diag(c, TNT_DIAG_SKIPPED, off, text);
}

static void on_rec_error(void *user, uint64_t off, const char *what)
{
    diag(user, TNT_DIAG_DECODE, off, what);
}

static void on_hs_error(void *user, const char *what, uint32_t claimed)
{
    tnt_conn *c = user;
    char text[160];
    snprintf(text, sizeof(text), "%s (claimed %u bytes)", what, claimed);
    diag(c, TNT_DIAG_DECODE, c->cur_rec ? c->cur_rec->stream_off : 0, text);
}

/* With no hello seen, a handshake record is taken as plaintext only when it
 * starts with a known message type whose length fits: after a missed
 * ChangeCipherSpec it is ciphertext, which rarely passes this test. */
static bool looks_plain(const tnt_conn_dir *D, const tnt_record *rec)
{
    if (tnt_hs_reasm_pending(&D->hs))
        return true;
    tnt_cursor cur;
    tnt_cursor_init(&cur, rec->body, rec->length);
    uint8_t type;
    uint32_t len;
    if (!tnt_get_u8(&cur, &type) || !tnt_get_u24(&cur, &len))
        return false;
    return tnt_handshake_type_name(type) != NULL && len <= tnt_cursor_len(&cur);
}

static void sslv2_hello(tnt_conn *c, const tnt_record *rec)
{
    tnt_sslv2_client_hello h;
    tnt_error err = {0, NULL};
    if (!tnt_sslv2_client_hello_decode(rec->raw, rec->header_len + rec->length, &c->arena, &h,
                                       &err)) {
        char text[160];
        snprintf(text, sizeof(text), "SSLv2 ClientHello: %s at offset %u", err.what, err.off);
        diag(c, TNT_DIAG_DECODE, rec->stream_off, text);
    } else {
        c->saw_client_hello = true;
        for (int i = 0; i < 2; i++)
            if (c->dir[i].prot == TNT_PROT_UNKNOWN)
                c->dir[i].prot = TNT_PROT_PLAIN;
        tnt_message_event me = {NULL, NULL, true, &h};
        if (c->ev->message)
            c->ev->message(c->user, c->cur_dir, &me);
    }
    tnt_arena_free(&c->arena);
}

static void on_record(void *user, const tnt_record *rec)
{
    tnt_conn *c = user;
    tnt_conn_dir *D = &c->dir[c->cur_dir];
    D->n_records++;
    c->cur_rec = rec;
    tnt_record_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.rec = rec;

    if (rec->sslv2) {
        if (c->ev->record)
            c->ev->record(c->user, c->cur_dir, &ev);
        if (rec->type == 1)
            sslv2_hello(c, rec);
        c->cur_rec = NULL;
        return;
    }

    bool feed_hs = false;
    switch (rec->type) {
    case TNT_CT_CHANGE_CIPHER_SPEC:
        /* TLS 1.3 sends it only for middlebox compatibility, always in clear. */
        ev.encrypted = !c->tls13 && D->prot == TNT_PROT_ENCRYPTED;
        break;
    case TNT_CT_ALERT:
        /* A protected alert is longer than two bytes (MAC, tag or IV). */
        ev.encrypted = D->prot == TNT_PROT_ENCRYPTED && rec->length != 2;
        if (!ev.encrypted)
            ev.has_alert = tnt_alert_decode(rec->body, rec->length, &ev.alert, NULL);
        if (!ev.encrypted && !ev.has_alert)
            diag(c, TNT_DIAG_DECODE, rec->stream_off, "alert record is not 2 bytes");
        break;
    case TNT_CT_HANDSHAKE:
        if (D->prot == TNT_PROT_PLAIN)
            feed_hs = true;
        else if (D->prot == TNT_PROT_UNKNOWN)
            feed_hs = looks_plain(D, rec);
        ev.encrypted = !feed_hs;
        break;
    case TNT_CT_APPLICATION_DATA:
        ev.encrypted = D->prot != TNT_PROT_PLAIN;
        break;
    default:
        ev.encrypted = D->prot == TNT_PROT_ENCRYPTED;
        break;
    }
    if (c->ev->record)
        c->ev->record(c->user, c->cur_dir, &ev);

    if (rec->type == TNT_CT_CHANGE_CIPHER_SPEC && !c->tls13) {
        D->n_ccs++;
        size_t dropped = tnt_hs_reasm_reset(&D->hs);
        if (dropped)
            diag(c, TNT_DIAG_DECODE, rec->stream_off,
                 "ChangeCipherSpec inside a handshake message");
        D->prot = TNT_PROT_ENCRYPTED;
    }
    if (feed_hs)
        tnt_hs_reasm_feed(&D->hs, rec->body, rec->length, rec->stream_off, &hs_cb, c);
    c->cur_rec = NULL;
}

static void after_server_hello(tnt_conn *c, const tnt_server_hello *sh)
{
    c->saw_server_hello = true;
    c->version = (uint16_t)sh->version.v;
    c->suite = (uint16_t)sh->suite.v;
    const tnt_extension *sv =
        sh->has_extensions ? tnt_extensions_find(&sh->ext, TNT_EXT_SUPPORTED_VERSIONS) : NULL;
    if (sv && sv->decoded && !sv->u.supported_versions.is_list)
        c->version = (uint16_t)sv->u.supported_versions.selected.v;
    if (c->version == TNT_TLS13 && !sh->is_hello_retry_request) {
        /* Everything after the ServerHello is protected, except the
         * compatibility ChangeCipherSpec. */
        c->tls13 = true;
        c->dir[TNT_C2S].prot = TNT_PROT_ENCRYPTED;
        c->dir[TNT_S2C].prot = TNT_PROT_ENCRYPTED;
    }
}

static void on_message(void *user, const tnt_hs_piece *piece)
{
    tnt_conn *c = user;
    tnt_conn_dir *D = &c->dir[c->cur_dir];
    tnt_hs_ctx ctx = {c->version, c->suite, c->cur_dir == TNT_S2C};
    tnt_hs_msg msg;
    if (!tnt_hs_decode(piece->raw, piece->raw_len, &ctx, &c->arena, &msg)) {
        const char *name = tnt_handshake_type_name(msg.type);
        char text[200];
        snprintf(text, sizeof(text), "%s: %s (offset %u)", name ? name : "handshake message",
                 msg.err.what ? msg.err.what : "malformed", msg.err.off);
        diag(c, TNT_DIAG_DECODE, piece->first_record_off, text);
    }
    if (msg.type == TNT_HS_CLIENT_HELLO) {
        c->saw_client_hello = true;
        if (D->prot == TNT_PROT_UNKNOWN)
            D->prot = TNT_PROT_PLAIN;
        if (c->dir[TNT_S2C].prot == TNT_PROT_UNKNOWN)
            c->dir[TNT_S2C].prot = TNT_PROT_PLAIN;
    } else if (msg.type == TNT_HS_SERVER_HELLO && msg.decoded) {
        if (D->prot == TNT_PROT_UNKNOWN)
            D->prot = TNT_PROT_PLAIN;
        after_server_hello(c, &msg.u.server_hello);
    }
    tnt_message_event me = {&msg, piece, false, NULL};
    if (c->ev->message)
        c->ev->message(c->user, c->cur_dir, &me);
    tnt_arena_free(&c->arena);
}
