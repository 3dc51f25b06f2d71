/* The inside of a tnt_conn: only lib/conn/ reads it. */
#ifndef TNT_CONN_INT_H
#define TNT_CONN_INT_H

#include "decompress.h"
#include "hs_state.h"
#include "tnt/conn.h"

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
    tnt_conn_options opt; /* opt.codepoints points at cp */
    tnt_codepoints cp;
    /* With opt.keep: a copy of cp in the front end's memory, which the
     * message events' ctx point at so that it outlives the connection. */
    const tnt_codepoints *kept_cp;
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
    uint64_t n_msgs;        /* messages delivered so far (tnt_message_event.seq) */
    /* while delivering: */
    tnt_dir cur_dir;
    const tnt_record *cur_rec;
    uint32_t cur_epoch; /* of the record being processed; 0 = plaintext */
} tnt_conn;

/* The handshake in progress (or the last one), NULL before any. */
tnt_hs_state *tnt_conn_current_hs(const tnt_conn *c);

#endif
