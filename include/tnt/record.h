/* The TLS record layer, as a streaming decoder for one direction of a
 * connection.
 *
 * Bytes arrive in whatever pieces TCP reassembly hands over (one byte at a
 * time works); whole records come out through a callback, each with its offset
 * in the direction's byte stream. A record that arrives in one piece is passed
 * on without copying; only a record split across pieces is buffered, and the
 * buffer never exceeds one maximum-size record. A split record whose body the
 * receiver does not read (need_body) is not buffered at all: its body is
 * stepped over, and only its header and last bytes are kept.
 *
 * Where the stream is not (or no longer) at a record boundary - a capture that
 * starts mid-stream, STARTTLS, a TCP gap - the decoder hunts: it skips bytes
 * until it finds a header that is plausible and is followed by another
 * plausible header, so that random ciphertext is not taken for a record. */
#ifndef TNT_RECORD_H
#define TNT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    TNT_CT_CHANGE_CIPHER_SPEC = 20,
    TNT_CT_ALERT = 21,
    TNT_CT_HANDSHAKE = 22,
    TNT_CT_APPLICATION_DATA = 23,
    TNT_CT_HEARTBEAT = 24,
};

/* TLSPlaintext.length may reach 2^14 + 2048 for TLSCiphertext (RFC 5246
 * 6.2.3); anything larger is not a TLS record. */
#define TNT_MAX_RECORD_BODY (16384 + 2048)
#define TNT_RECORD_HEADER 5

typedef struct tnt_record {
    uint8_t type;        /* content type (SSLv2: the first body byte, the message type
                            when the record is not encrypted) */
    uint16_t version;    /* record version (SSLv2: the hello's version) */
    uint32_t length;     /* body length */
    const uint8_t *raw;  /* header + body (only the header when body is NULL), valid during
                            the callback only */
    uint32_t header_len; /* 5, or 2/3 for SSLv2 */
    const uint8_t *body; /* NULL when need_body declined it */
    const uint8_t *tail; /* the body's last tail_len bytes: min(length, TNT_REC_TAIL) */
    uint32_t tail_len;
    uint64_t stream_off; /* offset of the header in the direction's stream */
    bool sslv2;          /* an SSLv2-format record (RFC 5246 E.2) */
    bool known_type;     /* content type 20..24 */
} tnt_record;

typedef enum tnt_rec_state {
    TNT_REC_SYNCED,  /* at a record boundary */
    TNT_REC_HUNTING, /* looking for one */
    TNT_REC_FAILED,  /* a decode error stopped the stream (until a gap) */
} tnt_rec_state;

typedef struct tnt_rec_callbacks {
    void (*record)(void *user, const tnt_record *rec);
    /* Bytes passed over while hunting, or a fatal decode error (what). */
    void (*skipped)(void *user, uint64_t stream_off, uint64_t n, const char *why);
    void (*error)(void *user, uint64_t stream_off, const char *what);
    /* Optional. Asked once for a record that is not whole in the bytes fed so
     * far (never for an SSLv2 one); false lets the decoder step over its
     * body instead of buffering it, and the record comes out when its last
     * byte has been fed, with body NULL and its tail. NULL: every body is
     * needed. */
    bool (*need_body)(void *user, uint8_t type, uint16_t version, uint32_t length);
} tnt_rec_callbacks;

/* What a record stepped over keeps of its body: enough for the CBC chain of
 * SSL 3.0/TLS 1.0 (tnt_rp_skip_tail). */
#define TNT_REC_TAIL 64

#define TNT_REC_LEAD 512

typedef struct tnt_rec_decoder {
    tnt_rec_state state;
    bool at_start;   /* nothing decoded yet: SSLv2 and non-TLS checks apply */
    bool sslv2_mode; /* the connection speaks SSL 2.0: every record has a v2 header */
    bool saw_record; /* at least one record came out */
    uint64_t off;    /* stream offset of buf[0] (or of the next byte fed) */
    uint8_t *buf;    /* partial record, or hunt lookahead */
    size_t buf_len, buf_cap;
    uint64_t skipped; /* bytes skipped in the current hunt */
    /* The first bytes skipped before any record: another protocol's
     * cleartext when the connection switched to TLS (STARTTLS), which the
     * skipped callback's receiver may want to name. */
    uint8_t lead[TNT_REC_LEAD];
    uint32_t lead_len;
    bool asked;    /* need_body was asked about the record at off */
    bool skipping; /* stepping over the body of the record at off */
    uint8_t skip_hdr[TNT_RECORD_HEADER];
    uint32_t skip_length; /* its body length */
    uint32_t skip_left;   /* body bytes still to come */
    uint8_t tail[TNT_REC_TAIL];
    uint32_t tail_len;
} tnt_rec_decoder;

void tnt_rec_init(tnt_rec_decoder *d);
void tnt_rec_free(tnt_rec_decoder *d);
/* Feeds the next len bytes of the stream. Returns false when memory ran out
 * (the stream is then FAILED). */
bool tnt_rec_feed(tnt_rec_decoder *d, const uint8_t *data, size_t len, const tnt_rec_callbacks *cb,
                  void *user);
/* n bytes of the stream are missing: drop any partial record and hunt for the
 * next record boundary. */
void tnt_rec_gap(tnt_rec_decoder *d, uint64_t n, const tnt_rec_callbacks *cb, void *user);
/* The bytes of a record begun but not finished: buffered, or fed while its
 * body is being stepped over. */
uint64_t tnt_rec_partial(const tnt_rec_decoder *d);
/* End of stream: reports a partial record left over, if any. */
void tnt_rec_finish(tnt_rec_decoder *d, const tnt_rec_callbacks *cb, void *user);

/* The peer answered in SSL 2.0: from now on every record of this direction
 * has an SSLv2 header (RFC 6101 appendix E / the SSL 2.0 draft). */
void tnt_rec_set_sslv2(tnt_rec_decoder *d);

/* True when h (at least 5 bytes) looks like a TLS record header. */
bool tnt_rec_header_plausible(const uint8_t *h);

#endif
