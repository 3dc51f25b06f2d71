/* TLS record decompression (RFC 3749 DEFLATE, the only method besides null
 * that was ever registered), with zlib as Wireshark does it.
 *
 * One context per direction and per connection state: the compression
 * history runs across the records of an epoch (a record may refer back to
 * bytes of earlier ones) and starts afresh with the next ChangeCipherSpec,
 * when new keys and a new zlib stream begin. Every record must inflate
 * completely on its own (RFC 3749 2.1: the compressor flushes each record),
 * so a record that does not end in the flush marker 00 00 ff ff (nor ends
 * the zlib stream) was cut short.
 *
 * A record may not inflate past 2^14 bytes (RFC 5246 6.2.2): output beyond
 * that is refused, never buffered, so a decompression bomb costs at most one
 * record's worth of memory. After a failure the history is lost, so the
 * context refuses every later record of its epoch. */
#ifndef TNT_DECOMPRESS_H
#define TNT_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_COMPRESSION_NULL 0
#define TNT_COMPRESSION_DEFLATE 1
#define TNT_MAX_PLAINTEXT 16384 /* 2^14, RFC 5246 6.2.1 */

typedef enum tnt_inflate_status {
    TNT_INFLATE_OK = 0,
    TNT_INFLATE_TOO_LONG,  /* inflates past 2^14 bytes: record_overflow */
    TNT_INFLATE_CORRUPT,   /* not valid DEFLATE data, or data after the stream's end */
    TNT_INFLATE_TRUNCATED, /* valid so far, but the record does not end where a
                              flushed block ends (RFC 3749 2.1) */
    TNT_INFLATE_BROKEN,    /* an earlier record of this context failed */
    TNT_INFLATE_ERROR,     /* out of memory or a zlib failure */
} tnt_inflate_status;

const char *tnt_inflate_status_text(tnt_inflate_status s);

typedef struct tnt_inflate tnt_inflate;

/* NULL when out of memory. */
tnt_inflate *tnt_inflate_new(void);
void tnt_inflate_free(tnt_inflate *z); /* NULL is fine */

/* Inflates one record's compressed fragment into out (TNT_MAX_PLAINTEXT
 * bytes), *out_len receiving its length (0 on failure). */
tnt_inflate_status tnt_inflate_record(tnt_inflate *z, const uint8_t *in, size_t in_len,
                                      uint8_t out[TNT_MAX_PLAINTEXT], size_t *out_len);

#endif
