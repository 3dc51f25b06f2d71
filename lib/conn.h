/* One TLS connection: both directions' record and handshake layers, and what
 * the handshake has negotiated so far.
 *
 * A front end feeds each direction's reassembled TCP bytes and receives
 * events: every record, every complete handshake message (decoded), and
 * diagnostics. Events are delivered synchronously from inside the feed call,
 * so the front end knows which packet completed each record or message. */
#ifndef TNT_CONN_H
#define TNT_CONN_H

#include "alert.h"
#include "arena.h"
#include "handshake.h"
#include "hs_reasm.h"
#include "record.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum tnt_dir { TNT_C2S = 0, TNT_S2C = 1 } tnt_dir;

/* Whether a direction's records are protected, as far as can be told. */
typedef enum tnt_protection {
    TNT_PROT_UNKNOWN = 0, /* no hello seen (capture began mid-connection) */
    TNT_PROT_PLAIN,
    TNT_PROT_ENCRYPTED,
} tnt_protection;

typedef struct tnt_record_event {
    const tnt_record *rec;
    bool encrypted;     /* body is ciphertext (and was not decrypted) */
    bool has_alert;     /* plaintext alert decoded */
    tnt_alert alert;
} tnt_record_event;

typedef struct tnt_message_event {
    const tnt_hs_msg *msg;     /* decoded; lives until the callback returns */
    const tnt_hs_piece *piece; /* where it came from */
    bool sslv2;                /* synthesised from an SSLv2 ClientHello */
    const tnt_sslv2_client_hello *sslv2_hello;
} tnt_message_event;

typedef enum tnt_diag_kind {
    TNT_DIAG_DECODE,   /* malformed record or message */
    TNT_DIAG_SKIPPED,  /* bytes passed over to find a record boundary */
    TNT_DIAG_GAP,      /* bytes missing from the capture */
    TNT_DIAG_TRUNCATED /* stream ended inside a record or message */
} tnt_diag_kind;

typedef struct tnt_conn_events {
    void (*record)(void *user, tnt_dir dir, const tnt_record_event *ev);
    void (*message)(void *user, tnt_dir dir, const tnt_message_event *ev);
    void (*diag)(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t stream_off,
                 const char *text);
} tnt_conn_events;

typedef struct tnt_conn_dir {
    tnt_rec_decoder rec;
    tnt_hs_reasm hs;
    tnt_protection prot;
    uint32_t n_records;
    uint32_t n_ccs;
} tnt_conn_dir;

typedef struct tnt_conn {
    tnt_conn_dir dir[2];
    const tnt_conn_events *ev;
    void *user;
    tnt_arena arena; /* per message; reset after each message event */
    uint16_t version; /* negotiated (ServerHello), 0 while unknown */
    uint16_t suite;
    bool tls13;
    bool saw_client_hello, saw_server_hello;
    /* while delivering: the record being processed, for events and errors */
    tnt_dir cur_dir;
    const tnt_record *cur_rec;
} tnt_conn;

void tnt_conn_init(tnt_conn *c, const tnt_conn_events *ev, void *user);
void tnt_conn_free(tnt_conn *c);
void tnt_conn_feed(tnt_conn *c, tnt_dir d, const uint8_t *data, size_t len);
void tnt_conn_gap(tnt_conn *c, tnt_dir d, uint64_t n);
/* End of both streams: reports anything left incomplete. */
void tnt_conn_finish(tnt_conn *c);
/* True once any TLS record has been seen in either direction. */
bool tnt_conn_is_tls(const tnt_conn *c);

#endif
