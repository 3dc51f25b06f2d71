/* Handshake message reassembly for one direction.
 *
 * Handshake messages and records are independent framings: a message may
 * span records and a record may hold several messages. Record bodies go in;
 * complete messages (4-byte header and body) come out. A message that sits
 * wholly inside one record is passed on without copying; a split one is
 * gathered in a buffer that grows only as its bytes arrive, so a claimed
 * length of 16 MB costs nothing until 16 MB have actually been seen. */
#ifndef TNT_HS_REASM_H
#define TNT_HS_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Default bound on one handshake message. TNT credential chains are larger
 * than a server certificate, but nothing legitimate comes near this. */
#define TNT_HS_MAX_DEFAULT (4u << 20)

/* Most pieces listed for one message: a message cut into more records
 * (a hostile stream of 1-byte records) keeps its first ones only. */
#define TNT_HS_MAX_PARTS 65536u

/* One piece of a handshake message: the bytes one record carried. */
typedef struct tnt_hs_part {
    uint64_t record_off; /* stream offset of the record (as fed) */
    uint32_t off;        /* offset of the piece in that record's body (plaintext) */
    uint32_t len;
} tnt_hs_part;

typedef struct tnt_hs_piece {
    const uint8_t *raw; /* header + body; valid during the callback only */
    uint32_t raw_len;
    /* Where the message began: stream offset of the record and offset of the
     * message header inside that record's body. */
    uint64_t first_record_off;
    uint32_t first_body_off;
    uint32_t n_records; /* how many records it spans */
    /* Every piece, in order: their lengths add up to raw_len unless
     * parts_complete is false (more than TNT_HS_MAX_PARTS records). Valid
     * during the callback only. */
    const tnt_hs_part *parts;
    uint32_t n_parts;
    bool parts_complete;
} tnt_hs_piece;

typedef struct tnt_hs_reasm_callbacks {
    void (*message)(void *user, const tnt_hs_piece *msg);
    void (*error)(void *user, const char *what, uint32_t claimed_len);
} tnt_hs_reasm_callbacks;

typedef struct tnt_hs_reasm {
    uint32_t max_len;
    uint8_t *buf; /* partial message */
    size_t buf_len, buf_cap;
    uint64_t first_record_off;
    uint32_t first_body_off;
    uint32_t n_records;
    uint64_t skip;      /* bytes of an oversized message still to pass over */
    tnt_hs_part *parts; /* of the partial message */
    uint32_t n_parts, cap_parts;
    bool parts_lost; /* TNT_HS_MAX_PARTS reached, or out of memory */
} tnt_hs_reasm;

void tnt_hs_reasm_init(tnt_hs_reasm *r, uint32_t max_len);
void tnt_hs_reasm_free(tnt_hs_reasm *r);
/* Feeds one handshake record body; record_off identifies the record. */
void tnt_hs_reasm_feed(tnt_hs_reasm *r, const uint8_t *body, size_t len, uint64_t record_off,
                       const tnt_hs_reasm_callbacks *cb, void *user);
/* Drops a partial message (keys changed, or bytes went missing). Returns the
 * number of bytes dropped. */
size_t tnt_hs_reasm_reset(tnt_hs_reasm *r);
static inline bool tnt_hs_reasm_pending(const tnt_hs_reasm *r)
{
    return r->buf_len > 0 || r->skip > 0;
}

#endif
