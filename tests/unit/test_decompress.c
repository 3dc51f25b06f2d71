/* TLS record decompression (lib/record/decompress.c): DEFLATE history across
 * records, the 2^14 bound, corrupt and truncated records, and that a failure
 * ends the context. The compressed records are made with zlib's deflate and
 * Z_SYNC_FLUSH per record, as OpenSSL, GnuTLS and NSS wrote them. */
#include "check.h"
#include "decompress.h"

#include <zlib.h>

typedef struct deflater {
    z_stream zs;
} deflater;

static void def_init(deflater *d)
{
    memset(d, 0, sizeof *d);
    CHECK_EQ(deflateInit(&d->zs, 6), Z_OK);
}

/* One record's compressed fragment for in[0..n). */
static size_t def_record(deflater *d, const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
    d->zs.next_in = (Bytef *)in;
    d->zs.avail_in = (uInt)n;
    d->zs.next_out = out;
    d->zs.avail_out = (uInt)cap;
    CHECK_EQ(deflate(&d->zs, Z_SYNC_FLUSH), Z_OK);
    CHECK_EQ(d->zs.avail_in, 0);
    return cap - d->zs.avail_out;
}

static uint8_t out[TNT_MAX_PLAINTEXT];

static void test_history_across_records(void)
{
    deflater d;
    def_init(&d);
    tnt_inflate *z = tnt_inflate_new();
    const char *a = "the same phrase, the same phrase, the same phrase";
    uint8_t c1[256], c2[256];
    size_t n1 = def_record(&d, (const uint8_t *)a, strlen(a), c1, sizeof c1);
    size_t n2 = def_record(&d, (const uint8_t *)a, strlen(a), c2, sizeof c2);
    CHECK(n2 < n1); /* the second refers back to the first */
    size_t n = 0;
    CHECK_EQ(tnt_inflate_record(z, c1, n1, out, &n), TNT_INFLATE_OK);
    CHECK_EQ(n, strlen(a));
    CHECK_MEM(out, a, n);
    CHECK_EQ(tnt_inflate_record(z, c2, n2, out, &n), TNT_INFLATE_OK);
    CHECK_EQ(n, strlen(a));
    CHECK_MEM(out, a, n);
    /* An empty record is allowed and changes nothing. */
    CHECK_EQ(tnt_inflate_record(z, c2, 0, out, &n), TNT_INFLATE_OK);
    CHECK_EQ(n, 0);
    tnt_inflate_free(z);

    /* A fresh context (new keys) cannot read the second record alone: it
     * lacks the zlib header and the history. */
    z = tnt_inflate_new();
    CHECK(tnt_inflate_record(z, c2, n2, out, &n) != TNT_INFLATE_OK);
    CHECK_EQ(n, 0);
    CHECK_EQ(tnt_inflate_record(z, c1, n1, out, &n), TNT_INFLATE_BROKEN);
    tnt_inflate_free(z);
    deflateEnd(&d.zs);
}

static void test_bound(void)
{
    static uint8_t big[TNT_MAX_PLAINTEXT + 1];
    static uint8_t c[4096];
    memset(big, 'A', sizeof big);
    for (int extra = 0; extra <= 1; extra++) {
        deflater d;
        def_init(&d);
        size_t cn = def_record(&d, big, TNT_MAX_PLAINTEXT + (size_t)extra, c, sizeof c);
        CHECK(cn < 200); /* 16 KB of 'A' is a tiny record: a bomb */
        tnt_inflate *z = tnt_inflate_new();
        size_t n = 1;
        tnt_inflate_status st = tnt_inflate_record(z, c, cn, out, &n);
        if (extra) {
            CHECK_EQ(st, TNT_INFLATE_TOO_LONG);
            CHECK_EQ(n, 0);
            CHECK_EQ(tnt_inflate_record(z, c, cn, out, &n), TNT_INFLATE_BROKEN);
        } else {
            CHECK_EQ(st, TNT_INFLATE_OK); /* exactly 2^14 is allowed */
            CHECK_EQ(n, TNT_MAX_PLAINTEXT);
        }
        tnt_inflate_free(z);
        deflateEnd(&d.zs);
    }
}

static void test_corrupt_and_truncated(void)
{
    size_t n;
    /* Reserved block type 3 (RFC 1951 3.2.3). */
    static const uint8_t bad[] = {0x78, 0x9c, 0x07, 0x00, 0x00, 0xff, 0xff};
    tnt_inflate *z = tnt_inflate_new();
    CHECK_EQ(tnt_inflate_record(z, bad, sizeof bad, out, &n), TNT_INFLATE_CORRUPT);
    tnt_inflate_free(z);

    /* Not a zlib header at all. */
    static const uint8_t nohdr[] = {0x12, 0x34, 0x56};
    z = tnt_inflate_new();
    CHECK_EQ(tnt_inflate_record(z, nohdr, sizeof nohdr, out, &n), TNT_INFLATE_CORRUPT);
    tnt_inflate_free(z);

    /* A good record cut short: every cut before the flush marker's end. */
    deflater d;
    def_init(&d);
    const char *a = "a record that will be cut short before its flush marker";
    uint8_t c[256];
    size_t cn = def_record(&d, (const uint8_t *)a, strlen(a), c, sizeof c);
    deflateEnd(&d.zs);
    for (size_t cut = 1; cut <= 4; cut++) {
        z = tnt_inflate_new();
        tnt_inflate_status st = tnt_inflate_record(z, c, cn - cut, out, &n);
        CHECK(st == TNT_INFLATE_TRUNCATED || st == TNT_INFLATE_CORRUPT);
        CHECK_EQ(n, 0);
        tnt_inflate_free(z);
    }
    z = tnt_inflate_new();
    CHECK_EQ(tnt_inflate_record(z, c, cn, out, &n), TNT_INFLATE_OK);
    CHECK_EQ(n, strlen(a));
    tnt_inflate_free(z);

    /* Bytes after the end of a finished zlib stream. */
    uint8_t fin[256];
    uLongf fl = sizeof fin - 1;
    CHECK_EQ(compress(fin, &fl, (const Bytef *)a, strlen(a)), Z_OK);
    fin[fl] = 0x00;
    z = tnt_inflate_new();
    CHECK_EQ(tnt_inflate_record(z, fin, fl + 1, out, &n), TNT_INFLATE_CORRUPT);
    tnt_inflate_free(z);
    z = tnt_inflate_new();
    CHECK_EQ(tnt_inflate_record(z, fin, fl, out, &n), TNT_INFLATE_OK);
    tnt_inflate_free(z);

    CHECK_STR(tnt_inflate_status_text(TNT_INFLATE_TOO_LONG),
              "inflates past 2^14 bytes (decompression bomb?)");
    tnt_inflate_free(NULL);
}

int main(void)
{
    test_history_across_records();
    test_bound();
    test_corrupt_and_truncated();
    return check_done("test_decompress");
}
