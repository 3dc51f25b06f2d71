/* TLS record decompression with zlib: see decompress.h. */
#include "decompress.h"

#include <stdlib.h>

#include <zlib.h>

#include "cursor.h"

struct tnt_inflate {
    z_stream zs;
    bool broken;
};

const char *tnt_inflate_status_text(tnt_inflate_status s)
{
    switch (s) {
    case TNT_INFLATE_OK:
        return "ok";
    case TNT_INFLATE_TOO_LONG:
        return "inflates past 2^14 bytes (decompression bomb?)";
    case TNT_INFLATE_CORRUPT:
        return "corrupt DEFLATE data";
    case TNT_INFLATE_TRUNCATED:
        return "truncated DEFLATE data: the record does not end in a flush";
    case TNT_INFLATE_BROKEN:
        return "an earlier record of this epoch did not inflate";
    case TNT_INFLATE_ERROR:
        return "zlib failure";
    }
    return "?";
}

tnt_inflate *tnt_inflate_new(void)
{
    tnt_inflate *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    /* A zlib header (RFC 1950) leads the stream, as RFC 3749 2 says. */
    if (inflateInit(&z->zs) != Z_OK) {
        free(z);
        return NULL;
    }
    return z;
}

void tnt_inflate_free(tnt_inflate *z)
{
    if (!z)
        return;
    inflateEnd(&z->zs);
    free(z);
}

tnt_inflate_status tnt_inflate_record(tnt_inflate *z, const uint8_t *in, size_t in_len,
                                      uint8_t out[TNT_MAX_PLAINTEXT], size_t *out_len)
{
    *out_len = 0;
    if (z->broken)
        return TNT_INFLATE_BROKEN;
    if (in_len == 0)
        return TNT_INFLATE_OK;
    z->zs.next_in = (Bytef *)in;
    z->zs.avail_in = (uInt)in_len;
    z->zs.next_out = out;
    z->zs.avail_out = TNT_MAX_PLAINTEXT;
    int r = inflate(&z->zs, Z_SYNC_FLUSH);
    size_t produced = TNT_MAX_PLAINTEXT - z->zs.avail_out;
    tnt_inflate_status st = TNT_INFLATE_OK;
    if (r == Z_DATA_ERROR || r == Z_NEED_DICT) {
        st = TNT_INFLATE_CORRUPT;
    } else if (r == Z_MEM_ERROR || r == Z_STREAM_ERROR) {
        st = TNT_INFLATE_ERROR;
    } else if (z->zs.avail_out == 0) {
        /* The 2^14 bytes are full: one more byte of output means the record
         * is longer than any plaintext may be. */
        uint8_t probe;
        z->zs.next_out = &probe;
        z->zs.avail_out = 1;
        r = inflate(&z->zs, Z_SYNC_FLUSH);
        if (z->zs.avail_out == 0)
            st = TNT_INFLATE_TOO_LONG;
        else if (r == Z_DATA_ERROR || r == Z_NEED_DICT)
            st = TNT_INFLATE_CORRUPT;
    }
    /* Input left over: bytes after the end of the zlib stream. */
    if (st == TNT_INFLATE_OK && z->zs.avail_in != 0)
        st = TNT_INFLATE_CORRUPT;
    if (st == TNT_INFLATE_OK && r != Z_STREAM_END) {
        tnt_cursor c;
        uint32_t tail = 0;
        tnt_cursor_init(&c, in, in_len);
        if (in_len < 4 || !tnt_skip(&c, in_len - 4) || !tnt_get_u32(&c, &tail) ||
            tail != 0x0000ffffu)
            st = TNT_INFLATE_TRUNCATED;
    }
    if (st != TNT_INFLATE_OK) {
        z->broken = true;
        return st;
    }
    *out_len = produced;
    return TNT_INFLATE_OK;
}
