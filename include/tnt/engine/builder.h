/* Building wire bytes (after BoringSSL's CBB), the mirror of tnt_cursor.
 *
 * Length-prefixed vectors nest (a handshake message holds an extensions block
 * that holds extensions that hold lists), and their lengths are only known
 * once their contents are written. So a prefix is opened with a placeholder
 * and filled in when it is closed; the open prefixes form a stack in the
 * builder, so helpers that write nested structures need only the one builder.
 *
 * Errors are sticky: the first failure (a value or a vector too large for its
 * field, a close without an open, out of memory) is kept, every later call
 * does nothing and returns false, and tnt_bld_finish() hands out nothing. A
 * caller can therefore write a whole message and check once at the end, and
 * never sends half a message. */
#ifndef TNT_BUILDER_H
#define TNT_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper than any TLS or TNT structure needs (a TNTNegotiation is four u24
 * levels inside its header; a ClientHello's server_name five). */
#define TNT_BLD_MAX_DEPTH 16

typedef struct tnt_builder {
    uint8_t *buf;
    size_t len, cap;
    const char *err; /* the first error (static text); NULL while none */
    unsigned depth;  /* open length prefixes */
    struct {
        size_t at;     /* offset of the prefix placeholder */
        uint8_t width; /* 1, 2 or 3 bytes */
    } open[TNT_BLD_MAX_DEPTH];
    /* The TNT codepoints the encoders write (TNT messages, the TNT
     * extension); NULL: the defaults. Set by the caller after tnt_bld_init;
     * kept by reset and finish. */
    const struct tnt_codepoints *cp;
} tnt_builder;

/* An empty builder; it allocates on the first write. */
void tnt_bld_init(tnt_builder *b);
/* Frees the buffer; the builder is then as after tnt_bld_init(). */
void tnt_bld_free(tnt_builder *b);
/* Empties the builder and clears its error, keeping the buffer. */
void tnt_bld_reset(tnt_builder *b);

/* Integers, big-endian. The value must fit the width (u8 <= 0xFF, u16 <=
 * 0xFFFF, u24 <= 0xFFFFFF): a wider value is an error, not truncated. */
bool tnt_bld_u8(tnt_builder *b, uint32_t v);
bool tnt_bld_u16(tnt_builder *b, uint32_t v);
bool tnt_bld_u24(tnt_builder *b, uint32_t v);
bool tnt_bld_u32(tnt_builder *b, uint32_t v);
/* n bytes from p (p may be NULL when n == 0). */
bool tnt_bld_bytes(tnt_builder *b, const uint8_t *p, size_t n);
bool tnt_bld_zeros(tnt_builder *b, size_t n);

/* Opens a vector with a 1-, 2- or 3-byte length prefix; everything written
 * until the matching tnt_bld_close() is its body. */
bool tnt_bld_open_u8(tnt_builder *b);
bool tnt_bld_open_u16(tnt_builder *b);
bool tnt_bld_open_u24(tnt_builder *b);
/* Closes the innermost open vector and writes its length. A body longer than
 * the prefix can express (256 bytes under a u8 prefix, 2^16 under u16, 2^24
 * under u24) is an error. */
bool tnt_bld_close(tnt_builder *b);

/* A whole vector: prefix and the n bytes at p. */
bool tnt_bld_vec8(tnt_builder *b, const uint8_t *p, size_t n);
bool tnt_bld_vec16(tnt_builder *b, const uint8_t *p, size_t n);
bool tnt_bld_vec24(tnt_builder *b, const uint8_t *p, size_t n);

/* Puts the builder in error (the first error stays) and returns false, for
 * encoders that reject their input: `return tnt_bld_fail(b, "...")`. */
bool tnt_bld_fail(tnt_builder *b, const char *what);

static inline bool tnt_bld_ok(const tnt_builder *b)
{
    return b->err == NULL;
}
/* Bytes written so far, open vectors included (their prefixes are still
 * placeholders). */
static inline size_t tnt_bld_len(const tnt_builder *b)
{
    return b->len;
}
/* The first error, or NULL. */
static inline const char *tnt_bld_error(const tnt_builder *b)
{
    return b->err;
}

/* The finished bytes without taking them: NULL (and *len = 0) while there is
 * an error or an open vector. Valid until the next write, reset or free. */
const uint8_t *tnt_bld_data(const tnt_builder *b, size_t *len);

/* Hands the bytes to the caller (free() them) and leaves the builder empty.
 * Fails, handing out nothing (*out = NULL, *len = 0) and freeing the buffer,
 * when there was an error or a vector is still open; tnt_bld_error() still
 * says why until the next reset or free. A successful build of zero bytes
 * gives a non-NULL *out. */
bool tnt_bld_finish(tnt_builder *b, uint8_t **out, size_t *len);

#endif
