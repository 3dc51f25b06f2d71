/* Bounds-checked reading of untrusted bytes (after BoringSSL's CBS).
 *
 * Every byte that came off the wire is read through a tnt_cursor. Every getter
 * checks the length first and, on failure, consumes nothing and returns false,
 * so a decoder can never read past the end of its input. Length-prefixed
 * vectors come back as sub-cursors that share the parent's origin, which is
 * what lets every decoded field report its offset (tnt_span) relative to the
 * start of the buffer the decoder was given: the Wireshark plugin highlights
 * exactly those bytes. */
#ifndef TNT_CURSOR_H
#define TNT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a decoded thing sits, relative to the origin of the buffer decoded. */
typedef struct tnt_span {
    uint32_t off;
    uint32_t len;
} tnt_span;

typedef struct tnt_cursor {
    const uint8_t *p;      /* next unread byte */
    size_t len;            /* unread bytes */
    const uint8_t *origin; /* offsets are measured from here */
} tnt_cursor;

/* An integer field and where it was read from. */
typedef struct tnt_uint {
    uint32_t v;
    tnt_span at;
} tnt_uint;

/* A byte-string field. p points into the decoded buffer (never copied), so it
 * lives exactly as long as that buffer. */
typedef struct tnt_bytes {
    const uint8_t *p;
    uint32_t len;
    tnt_span at;    /* the bytes themselves, without any length prefix */
    tnt_span whole; /* the field as on the wire: its length prefix (if any) and the bytes */
} tnt_bytes;

void tnt_cursor_init(tnt_cursor *c, const uint8_t *data, size_t len);
/* A cursor over data whose offsets are reported relative to origin. */
void tnt_cursor_init_at(tnt_cursor *c, const uint8_t *origin, const uint8_t *data, size_t len);

static inline size_t tnt_cursor_len(const tnt_cursor *c)
{
    return c->len;
}
static inline const uint8_t *tnt_cursor_data(const tnt_cursor *c)
{
    return c->p;
}
static inline uint32_t tnt_cursor_offset(const tnt_cursor *c)
{
    return (uint32_t)(c->p - c->origin);
}
/* The span of the unread bytes. */
tnt_span tnt_cursor_span(const tnt_cursor *c);
/* The span from offset start up to the next unread byte of c: a field as
 * read, e.g. a vector with its length prefix. */
tnt_span tnt_cursor_span_from(const tnt_cursor *c, uint32_t start);

bool tnt_get_u8(tnt_cursor *c, uint8_t *out);
bool tnt_get_u16(tnt_cursor *c, uint16_t *out);
bool tnt_get_u24(tnt_cursor *c, uint32_t *out);
bool tnt_get_u32(tnt_cursor *c, uint32_t *out);
bool tnt_get_u64(tnt_cursor *c, uint64_t *out);
bool tnt_skip(tnt_cursor *c, size_t n);
/* Copies n bytes out (for fixed-size values such as randoms). */
bool tnt_copy(tnt_cursor *c, uint8_t *out, size_t n);
/* The next n bytes as a sub-cursor. */
bool tnt_get_sub(tnt_cursor *c, tnt_cursor *out, size_t n);
/* A vector with a 1-, 2- or 3-byte length prefix, as a sub-cursor of its body. */
bool tnt_get_u8_prefixed(tnt_cursor *c, tnt_cursor *out);
bool tnt_get_u16_prefixed(tnt_cursor *c, tnt_cursor *out);
bool tnt_get_u24_prefixed(tnt_cursor *c, tnt_cursor *out);
/* Peek without consuming. */
bool tnt_peek_u8(const tnt_cursor *c, uint8_t *out);

/* Field readers: the value plus the span it was read from. */
bool tnt_read_u8(tnt_cursor *c, tnt_uint *out);
bool tnt_read_u16(tnt_cursor *c, tnt_uint *out);
bool tnt_read_u24(tnt_cursor *c, tnt_uint *out);
/* Fixed-length byte string. */
bool tnt_read_bytes(tnt_cursor *c, size_t n, tnt_bytes *out);
/* Length-prefixed byte strings (prefix width 1, 2 or 3 bytes); at covers
 * the body only, whole the prefix too. */
bool tnt_read_vec8(tnt_cursor *c, tnt_bytes *out);
bool tnt_read_vec16(tnt_cursor *c, tnt_bytes *out);
bool tnt_read_vec24(tnt_cursor *c, tnt_bytes *out);
/* The remaining bytes as a tnt_bytes, consuming them. */
void tnt_read_rest(tnt_cursor *c, tnt_bytes *out);

/* A cursor over the bytes of a tnt_bytes, with the same origin. */
void tnt_cursor_from_bytes(tnt_cursor *c, const tnt_bytes *b, const uint8_t *origin);

#endif
