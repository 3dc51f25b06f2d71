/* Fuzz target: TLS DEFLATE (RFC 3749) record decompression, lib/record/decompress.c.
 *
 * Input: mode byte, then records as u16 length + bytes.
 *  - mode bit 0 clear: the records are fed to one tnt_inflate as compressed
 *    fragments (hostile input: bombs, bad streams, records that do not end in
 *    a flush). Checked: output never exceeds 2^14 bytes, a failed record
 *    gives no output, every status has a name.
 *  - mode bit 0 set: the records are plaintext, compressed here with zlib
 *    (one stream, a sync flush per record, as TLS does) and inflated back.
 *    Checked: each record inflates to exactly its plaintext. */
#include "fuzz_common.h"

#include <zlib.h>

#include "decompress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 18))
        return 0;
    uint8_t mode = data[0];
    size_t off = 1;
    tnt_inflate *z = tnt_inflate_new();
    if (!z)
        return 0;
    static uint8_t out[TNT_MAX_PLAINTEXT];
    z_stream d;
    bool roundtrip = mode & 1;
    if (roundtrip) {
        memset(&d, 0, sizeof d);
        if (deflateInit(&d, (mode >> 1) % 10) != Z_OK) {
            tnt_inflate_free(z);
            return 0;
        }
    }
    while (off + 2 <= size) {
        size_t n = (size_t)data[off] << 8 | data[off + 1];
        off += 2;
        if (n > size - off)
            n = size - off;
        const uint8_t *rec = data + off;
        off += n;
        size_t out_len = 12345;
        if (!roundtrip) {
            tnt_inflate_status st = tnt_inflate_record(z, rec, n, out, &out_len);
            FUZZ_ASSERT(tnt_inflate_status_text(st) != NULL);
            FUZZ_ASSERT(out_len <= TNT_MAX_PLAINTEXT);
            if (st != TNT_INFLATE_OK)
                FUZZ_ASSERT(out_len == 0);
            fuzz_touch(out, out_len);
            continue;
        }
        if (n > TNT_MAX_PLAINTEXT)
            n = TNT_MAX_PLAINTEXT;
        uint8_t comp[TNT_MAX_PLAINTEXT + 1024];
        d.next_in = (Bytef *)rec;
        d.avail_in = (uInt)n;
        d.next_out = comp;
        d.avail_out = sizeof comp;
        int r = deflate(&d, Z_SYNC_FLUSH);
        FUZZ_ASSERT(r == Z_OK || r == Z_BUF_ERROR);
        FUZZ_ASSERT(d.avail_in == 0);
        size_t clen = sizeof comp - d.avail_out;
        tnt_inflate_status st = tnt_inflate_record(z, comp, clen, out, &out_len);
        FUZZ_ASSERT(st == TNT_INFLATE_OK);
        FUZZ_ASSERT(out_len == n);
        FUZZ_ASSERT(n == 0 || memcmp(out, rec, n) == 0);
    }
    if (roundtrip)
        deflateEnd(&d);
    tnt_inflate_free(z);
    return 0;
}
