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

#include "tnt/alert.h"
#include "tnt/arena.h"
#include "tnt/codepoints.h"
#include "tnt/handshake.h"
#include "tnt/hs_reasm.h"
#include "tnt/keys.h"
#include "tnt/record.h"
#include "tnt/record_protection.h"
#include "tnt/types.h"

#include <stdbool.h>
#include <stdint.h>

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
    const uint8_t *plain;  /* decrypted content (when decrypted); with opt.keep in the
                              front end's memory, otherwise valid during the callback */
    uint32_t plain_len;
    bool has_alert; /* alert decoded (plaintext or decrypted) */
    tnt_alert alert;
} tnt_record_event;

typedef struct tnt_message_event {
    /* Decoded. With opt.keep the message, its bytes and every list it points
     * to are in the front end's memory; otherwise they live until the
     * callback returns. */
    const tnt_hs_msg *msg;
    const tnt_hs_piece *piece; /* where it came from */
    uint32_t handshake;        /* its handshake, 1-based (0: a HelloRequest before any) */
    uint32_t epoch;            /* keys it was decrypted under; 0 = plaintext */
    bool sslv2;                /* an SSLv2 message (msg is NULL) */
    uint8_t sslv2_type;        /* its SSL 2.0 message type */
    const tnt_sslv2_client_hello *sslv2_hello; /* for a client-hello */
    /* The message's number in the connection (both directions, 1-based):
     * verdicts, violations, notes, policies and credentials name their
     * message by it. */
    uint64_t seq;
    /* What decoding it needed besides its bytes (version, suite, sender,
     * codepoints): tnt_hs_decode_kept(raw, raw_len, &ctx, mem) decodes it
     * again later. ctx.cp points into the front end's memory with opt.keep,
     * otherwise into the connection (valid until tnt_conn_free). */
    tnt_hs_ctx ctx;
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

struct tnt_nego;
struct tnt_session_store;
struct tnt_anchor_set;
struct tnt_verdict_event;

typedef struct tnt_conn_events {
    void (*record)(void *user, tnt_dir dir, const tnt_record_event *ev);
    void (*message)(void *user, tnt_dir dir, const tnt_message_event *ev);
    void (*diag)(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t stream_off,
                 const char *text);
    /* With opt.negotiation: each verdict of the negotiation model (negotiation.h)
     * as soon as the bytes decide it, after the message or record event that
     * decided it. May be NULL. */
    void (*verdict)(void *user, const struct tnt_verdict_event *ev);
} tnt_conn_events;

typedef struct tnt_conn_options {
    tnt_keys *keys;        /* may be NULL: nothing is decrypted */
    bool decrypt_app_data; /* otherwise application data is only stepped over */
    /* Trust negotiation reconstruction (lib/negotiation.h): on when set. */
    bool negotiation;
    struct tnt_session_store *sessions;   /* shared by the run; may be NULL */
    const struct tnt_anchor_set *anchors; /* --trust-anchor; may be NULL */
    /* Parsed certificates shared by the run (tnt/x509.h); may be NULL. */
    struct tnt_cert_cache *certs;
    uint64_t conn_id; /* the front end's connection number */
    /* The TNT codepoints on this connection (copied); NULL: the defaults. */
    const tnt_codepoints *codepoints;
    /* When set, record plaintext and decoded messages handed to the events
     * are placed in this memory, which the front end owns (see
     * tnt_message_event.msg, tnt_record_event.plain). The allocator must
     * outlive the tnt_conn. */
    const tnt_allocator *keep;
} tnt_conn_options;

/* Opaque: front ends read a connection through the functions below. */
typedef struct tnt_conn tnt_conn;

/* What a front end shows about one handshake of a connection. */
typedef struct tnt_hs_info {
    uint32_t index;  /* 1-based within the connection */
    bool protected_; /* carried inside an earlier epoch's records */
    bool resumed;    /* an abbreviated handshake */
    bool have_server_random;
    uint16_t version; /* of its ServerHello; 0 while unknown */
    uint16_t suite;
    uint8_t session_id[32]; /* the ServerHello's */
    uint8_t session_id_len;
} tnt_hs_info;

/* A new connection (NULL only when memory runs out); ev and opt->keys,
 * opt->sessions and opt->anchors must outlive it. */
tnt_conn *tnt_conn_new(const tnt_conn_events *ev, void *user, const tnt_conn_options *opt);
void tnt_conn_free(tnt_conn *c);
/* The packet whose bytes the next feed or gap carries (frame number), so
 * that the negotiation model can say where things happened. */
void tnt_conn_set_frame(tnt_conn *c, uint64_t frame);
void tnt_conn_feed(tnt_conn *c, tnt_dir d, const uint8_t *data, size_t len);
void tnt_conn_gap(tnt_conn *c, tnt_dir d, uint64_t n);
/* The front end lost the order of the two directions (see
 * tnt_nego_order_unknown): verdicts that depend on it become undetermined. */
void tnt_conn_order_unknown(tnt_conn *c);
/* End of both streams: reports anything left incomplete. */
void tnt_conn_finish(tnt_conn *c);
/* True once any TLS record has been seen in either direction. */
bool tnt_conn_is_tls(const tnt_conn *c);
/* The negotiation model, when enabled (finalised by tnt_conn_finish). */
const struct tnt_nego *tnt_conn_negotiation(const tnt_conn *c);
/* The TNT codepoints this connection decodes with. */
const tnt_codepoints *tnt_conn_codepoints(const tnt_conn *c);
/* The version and suite negotiated by the latest ServerHello (0 while
 * unknown), and whether the server answered in SSL 2.0. */
uint16_t tnt_conn_version(const tnt_conn *c);
bool tnt_conn_sslv2(const tnt_conn *c);
/* The handshakes seen, in order: i from 0 to tnt_conn_n_handshakes - 1.
 * False when i is out of range. */
uint32_t tnt_conn_n_handshakes(const tnt_conn *c);
bool tnt_conn_handshake_info(const tnt_conn *c, uint32_t i, tnt_hs_info *out);

/* The key material a handshake used, for tools that export it (tntdump -w
 * writes it into a pcapng Decryption Secrets Block): its client random and
 * its master secret (TLS 1.0-1.2; found in a key log, through an RSA key or
 * a remembered session). */
typedef struct tnt_hs_keys {
    bool have_client_random;
    uint8_t client_random[32];
    bool have_ms;
    uint8_t ms[48];
} tnt_hs_keys;
bool tnt_conn_handshake_keys(const tnt_conn *c, uint32_t i, tnt_hs_keys *out);

#endif
