/* One TLS connection: both directions' record and handshake layers, the
 * handshakes it carried (initial, renegotiations), and the keys of each epoch.
 *
 * A front end feeds each direction's reassembled TCP bytes and receives
 * events: every record (decrypted where keys allow), every complete handshake
 * message (decoded), and diagnostics. Events are delivered synchronously from
 * inside the feed call, so the front end knows which packet completed each
 * record or message.
 *
 * Epochs: each direction switches keys at its own ChangeCipherSpec, to the
 * keys of the handshake in progress. A renegotiation's messages therefore
 * travel under the previous epoch's keys, and its own keys start at its
 * ChangeCipherSpec. Epoch K means "the keys of handshake K". */
#ifndef TNT_CONN_H
#define TNT_CONN_H

#include "alert.h"
#include "arena.h"
#include "decompress.h"
#include "handshake.h"
#include "hs_reasm.h"
#include "hs_state.h"
#include "keys.h"
#include "record.h"
#include "record_protection.h"

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
    bool encrypted;        /* protected and not decrypted */
    bool decrypted;        /* protected, decrypted and authenticated */
    bool decrypt_failed;   /* protected, and its MAC/tag/padding did not check */
    bool null_cipher;      /* protected by a NULL cipher: readable, MAC not checked */
    uint8_t inner_type;    /* TLS 1.3, decrypted: the real content type */
    tnt_rp_status failure; /* why, when decrypt_failed */
    uint32_t epoch;        /* handshake whose keys protect it; 0 = none/unknown */
    const uint8_t *plain;  /* decrypted content (when decrypted) */
    uint32_t plain_len;
    bool has_alert; /* alert decoded (plaintext or decrypted) */
    tnt_alert alert;
} tnt_record_event;

typedef struct tnt_message_event {
    const tnt_hs_msg *msg;     /* decoded; lives until the callback returns */
    const tnt_hs_piece *piece; /* where it came from */
    uint32_t handshake;        /* its handshake, 1-based (0: a HelloRequest before any) */
    uint32_t epoch;            /* keys it was decrypted under; 0 = plaintext */
    bool sslv2;                /* an SSLv2 message (msg is NULL) */
    uint8_t sslv2_type;        /* its SSL 2.0 message type */
    const tnt_sslv2_client_hello *sslv2_hello; /* for a client-hello */
} tnt_message_event;

typedef enum tnt_diag_kind {
    TNT_DIAG_DECODE,    /* malformed record or message */
    TNT_DIAG_SKIPPED,   /* bytes passed over to find a record boundary */
    TNT_DIAG_GAP,       /* bytes missing from the capture */
    TNT_DIAG_TRUNCATED, /* stream ended inside a record or message */
    TNT_DIAG_KEYS,      /* an epoch cannot be decrypted: missing, wrong or unsupported */
    TNT_DIAG_DECRYPT,   /* one record failed authentication (corrupted) */
    TNT_DIAG_CLEARTEXT, /* another protocol's cleartext before TLS (STARTTLS): no damage */
} tnt_diag_kind;

typedef struct tnt_conn_events {
    void (*record)(void *user, tnt_dir dir, const tnt_record_event *ev);
    void (*message)(void *user, tnt_dir dir, const tnt_message_event *ev);
    void (*diag)(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t stream_off,
                 const char *text);
} tnt_conn_events;

struct tnt_nego;
struct tnt_session_store;
struct tnt_anchor_set;

typedef struct tnt_conn_options {
    tnt_keys *keys;        /* may be NULL: nothing is decrypted */
    bool decrypt_app_data; /* otherwise application data is only stepped over */
    /* Trust negotiation reconstruction (lib/negotiation.h): on when set. */
    bool negotiation;
    struct tnt_session_store *sessions;   /* shared by the run; may be NULL */
    const struct tnt_anchor_set *anchors; /* --trust-anchor; may be NULL */
    uint64_t conn_id;                     /* the front end's connection number */
} tnt_conn_options;

typedef struct tnt_conn_dir {
    tnt_rec_decoder rec;
    tnt_hs_reasm hs;
    tnt_protection prot;
    uint32_t n_records;
    uint32_t n_ccs;
    /* the current epoch */
    tnt_rp_state *rp; /* NULL: no keys for it */
    uint32_t epoch;
    uint16_t epoch_suite;   /* the suite that protects it */
    uint32_t epoch_ok;      /* records that authenticated */
    uint32_t epoch_records; /* records seen in this epoch */
    /* TLS 1.3: this direction's current traffic secret, and a key change
     * due after the record being processed (its Finished or KeyUpdate). */
    uint8_t secret13[48];
    size_t secret13_len;
    enum { TLS13_KEEP, TLS13_TO_APP, TLS13_UPDATE } tls13_next;
    bool epoch_bad; /* concluded: wrong keys; no more attempts */
    /* The epoch's keys were dropped at a gap: its unreadable records are
     * the rest of what was in flight, not a hidden rehandshake. */
    bool lost_to_gap;
    /* After a gap in a protected direction whose only state is the
     * sequence number: records are tried under the sequence numbers the
     * lost bytes could have used, until one authenticates. */
    bool resync;
    uint64_t resync_base;     /* the sequence number expected before the gap */
    uint64_t resync_window;   /* how many records the lost bytes could hold */
    uint32_t resync_failures; /* records after the gap that matched no number */
    /* Bytes that resynchronisation may still decrypt on trial: a fixed
     * allowance plus a multiple of what the direction carried, so that the
     * work stays linear in the capture however its gaps are placed. */
    uint64_t resync_budget;
    /* After a gap the next handshake bytes may be the middle of a message:
     * skip records until one starts with a plausible message header. */
    bool hs_hunt;
    bool suspect; /* the epoch's first attempt failed; the next decides */
    uint64_t suspect_off;
    tnt_rp_status suspect_status;
    /* The epoch's compression method (RFC 3749), and for DEFLATE its
     * history, which runs across the epoch's records. comp_bad: content
     * that cannot be decompressed (unsupported method, or a record that did
     * not inflate, after which the history is lost) is not parsed. */
    uint8_t compression;
    tnt_inflate *zin;
    bool comp_bad;
} tnt_conn_dir;

typedef struct tnt_conn {
    tnt_conn_dir dir[2];
    const tnt_conn_events *ev;
    void *user;
    tnt_conn_options opt;
    tnt_arena arena;   /* per message; emptied after each message event */
    tnt_hs_state **hs; /* every handshake seen, in order */
    uint32_t n_hs, cap_hs;
    uint16_t version; /* negotiated by the latest ServerHello; 0 while unknown */
    uint16_t suite;
    bool tls13;
    bool hrr_pending; /* a HelloRetryRequest awaits the second ClientHello */
    bool saw_client_hello, saw_server_hello;
    uint32_t comp_reported; /* unsupported compression methods said (bit per method % 32) */
    bool sslv2;             /* the server answered in SSL 2.0 */
    struct tnt_nego *nego;  /* NULL unless opt.negotiation */
    bool hidden_hs_open;    /* an undecryptable rehandshake is in progress */
    uint64_t frame;         /* the front end's id of the packet being fed */
    /* while delivering: */
    tnt_dir cur_dir;
    const tnt_record *cur_rec;
    uint32_t cur_epoch; /* of the record being processed; 0 = plaintext */
} tnt_conn;

void tnt_conn_init(tnt_conn *c, const tnt_conn_events *ev, void *user, const tnt_conn_options *opt);
void tnt_conn_free(tnt_conn *c);
/* The packet whose bytes the next feed or gap carries (frame number), so
 * that the negotiation model can say where things happened. */
static inline void tnt_conn_set_frame(tnt_conn *c, uint64_t frame)
{
    c->frame = frame;
}
void tnt_conn_feed(tnt_conn *c, tnt_dir d, const uint8_t *data, size_t len);
void tnt_conn_gap(tnt_conn *c, tnt_dir d, uint64_t n);
/* End of both streams: reports anything left incomplete. */
void tnt_conn_finish(tnt_conn *c);
/* True once any TLS record has been seen in either direction. */
bool tnt_conn_is_tls(const tnt_conn *c);
/* The negotiation model, when enabled (finalised by tnt_conn_finish). */
static inline const struct tnt_nego *tnt_conn_negotiation(const tnt_conn *c)
{
    return c->nego;
}
/* The handshake in progress (or the last one), NULL before any. */
tnt_hs_state *tnt_conn_current_hs(const tnt_conn *c);

#endif
