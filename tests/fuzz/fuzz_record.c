/* Fuzz target: the streaming record decoder (lib/record.h) and handshake
 * reassembly (lib/hs_reasm.h) under arbitrary segmentation and gaps.
 *
 * Input: a seed byte for the chunk sizes and gaps, a mode byte, then one
 * direction's byte stream. Mode bit 0: gaps; bits 1-2: chunk sizes (1 byte,
 * up to 16, up to 1500, up to 40000); bit 3: the stream is in SSL 2.0 mode
 * from the start; bit 4: the receiver declines the bodies of application
 * data records (need_body), which the decoder then steps over.
 *
 * The stream is decoded three ways: in one piece; in pieces (no gaps); in
 * pieces with some bytes left out and reported with tnt_rec_gap(). Checked:
 * - every record's bytes are the stream's bytes at its stream_off (so the
 *   offsets a front end prints are right, gaps or not), records do not
 *   overlap, and no record exceeds the maximum; a record stepped over has
 *   its header and the stream's last bytes of its body as its tail;
 * - when the stream is exactly a sequence of records (the one-piece decode
 *   found them back to back from offset 0), the piecewise decode gives
 *   exactly the same records: TCP segmentation must not change what is
 *   decoded;
 * - the decoder's buffer stays bounded by its documented window;
 * - handshake reassembly of the records' bodies hands out messages whose
 *   length matches their header, also with a small size limit. */
#include "fuzz_common.h"

#include "hs_reasm.h"
#include "record.h"

#define MAX_RECS 4096

typedef struct rec_info {
    uint8_t type;
    uint16_t version;
    uint32_t length, header_len;
    uint64_t off;
    bool sslv2;
} rec_info;

typedef struct run {
    const uint8_t *stream;
    size_t stream_len;
    rec_info recs[MAX_RECS];
    size_t n_recs;
    uint64_t end; /* stream offset just after the last record */
    unsigned skips, errors;
    bool decline; /* need_body says no to application data */
    tnt_hs_reasm hs, hs_small;
    tnt_rec_decoder *d;
} run;

static void on_message(void *user, const tnt_hs_piece *m)
{
    (void)user;
    FUZZ_ASSERT(m->raw_len >= 4);
    uint32_t mlen = (uint32_t)m->raw[1] << 16 | (uint32_t)m->raw[2] << 8 | m->raw[3];
    FUZZ_ASSERT(m->raw_len == mlen + 4);
    FUZZ_ASSERT(m->n_records >= 1);
    /* The pieces are the message, in order, each inside its record. */
    FUZZ_ASSERT(m->n_parts >= 1 && m->n_parts <= m->n_records);
    FUZZ_ASSERT(m->parts[0].record_off == m->first_record_off &&
                m->parts[0].off == m->first_body_off);
    uint64_t total = 0;
    for (uint32_t i = 0; i < m->n_parts; i++) {
        FUZZ_ASSERT(m->parts[i].len > 0);
        total += m->parts[i].len;
    }
    FUZZ_ASSERT(m->parts_complete ? total == m->raw_len : total < m->raw_len);
    fuzz_touch(m->raw, m->raw_len);
}

static void on_hs_error(void *user, const char *what, uint32_t claimed)
{
    (void)user;
    (void)claimed;
    FUZZ_ASSERT(what != NULL);
}

static const tnt_hs_reasm_callbacks hs_cb = {on_message, on_hs_error};

static void on_record(void *user, const tnt_record *r)
{
    run *R = user;
    size_t n = (size_t)r->header_len + r->length;
    FUZZ_ASSERT(r->length <= TNT_MAX_RECORD_BODY || r->sslv2);
    FUZZ_ASSERT(r->stream_off >= R->end);
    FUZZ_ASSERT(r->stream_off + n <= R->stream_len);
    if (r->body) {
        FUZZ_ASSERT(r->body == r->raw + r->header_len);
        FUZZ_ASSERT(memcmp(r->raw, R->stream + r->stream_off, n) == 0);
    } else {
        FUZZ_ASSERT(R->decline && !r->sslv2 && r->type == TNT_CT_APPLICATION_DATA);
        FUZZ_ASSERT(r->header_len == TNT_RECORD_HEADER);
        FUZZ_ASSERT(memcmp(r->raw, R->stream + r->stream_off, TNT_RECORD_HEADER) == 0);
    }
    FUZZ_ASSERT(r->tail_len == (r->length < TNT_REC_TAIL ? r->length : TNT_REC_TAIL));
    FUZZ_ASSERT(memcmp(r->tail, R->stream + r->stream_off + n - r->tail_len, r->tail_len) == 0);
    R->end = r->stream_off + n;
    if (R->n_recs < MAX_RECS)
        R->recs[R->n_recs++] =
            (rec_info){r->type, r->version, r->length, r->header_len, r->stream_off, r->sslv2};
    if (!r->sslv2 && r->type == TNT_CT_HANDSHAKE) {
        tnt_hs_reasm_feed(&R->hs, r->body, r->length, r->stream_off, &hs_cb, R);
        tnt_hs_reasm_feed(&R->hs_small, r->body, r->length, r->stream_off, &hs_cb, R);
    }
}

static void on_skipped(void *user, uint64_t off, uint64_t n, const char *why)
{
    run *R = user;
    FUZZ_ASSERT(why != NULL && n > 0);
    FUZZ_ASSERT(off >= R->end);
    R->skips++;
}

static void on_error(void *user, uint64_t off, const char *what)
{
    run *R = user;
    FUZZ_ASSERT(what != NULL);
    FUZZ_ASSERT(off >= R->end);
    R->errors++;
}

static bool need_body(void *user, uint8_t type, uint16_t version, uint32_t length)
{
    run *R = user;
    (void)version;
    FUZZ_ASSERT(length <= TNT_MAX_RECORD_BODY);
    return !R->decline || type != TNT_CT_APPLICATION_DATA;
}

static const tnt_rec_callbacks cb = {on_record, on_skipped, on_error, need_body};

static uint32_t rng_next(uint32_t *s)
{
    /* xorshift32: the chunking must replay exactly from the input. */
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static void feed_copy(tnt_rec_decoder *d, const uint8_t *p, size_t n, run *R)
{
    uint8_t *c = malloc(n ? n : 1);
    if (n)
        memcpy(c, p, n);
    tnt_rec_feed(d, c, n, &cb, R);
    free(c);
    /* One maximum-size record while synchronised; the hunt window otherwise. */
    FUZZ_ASSERT(d->buf_len <= 2 * (TNT_RECORD_HEADER + TNT_MAX_RECORD_BODY) + TNT_RECORD_HEADER);
    /* Stepping over a body buffers none of it. */
    FUZZ_ASSERT(!d->skipping || (R->decline && d->buf_len == 0));
}

static void decode(run *R, const uint8_t *s, size_t len, uint32_t seed, uint32_t mode, bool chunked,
                   bool gaps)
{
    memset(R, 0, sizeof(*R));
    R->stream = s;
    R->stream_len = len;
    R->decline = (mode & 16) != 0;
    tnt_hs_reasm_init(&R->hs, 0);
    tnt_hs_reasm_init(&R->hs_small, 64);
    tnt_rec_decoder d;
    tnt_rec_init(&d);
    R->d = &d;
    if (mode & 8)
        tnt_rec_set_sslv2(&d);
    static const uint32_t max_chunk[4] = {1, 16, 1500, 40000};
    uint32_t rs = seed * 2654435761u + 1;
    size_t pos = 0;
    while (pos < len) {
        size_t k = chunked ? 1 + rng_next(&rs) % max_chunk[(mode >> 1) & 3] : len - pos;
        if (k > len - pos)
            k = len - pos;
        if (gaps && rng_next(&rs) % 8 == 0) {
            size_t g = rng_next(&rs) % 2000 + 1;
            if (g > len - pos)
                g = len - pos;
            tnt_rec_gap(&d, g, &cb, R);
            tnt_hs_reasm_reset(&R->hs);
            tnt_hs_reasm_reset(&R->hs_small);
            pos += g;
            continue;
        }
        feed_copy(&d, s + pos, k, R);
        pos += k;
    }
    tnt_rec_finish(&d, &cb, R);
    FUZZ_ASSERT(d.off == len);
    tnt_rec_free(&d);
    tnt_hs_reasm_free(&R->hs);
    tnt_hs_reasm_free(&R->hs_small);
}

static run A, B;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > (1u << 20))
        return 0;
    uint32_t seed = data[0], mode = data[1];
    const uint8_t *s = data + 2;
    size_t len = size - 2;

    decode(&A, s, len, seed, mode, false, false);
    decode(&B, s, len, seed, mode, true, false);
    /* Only a stream that is exactly a sequence of records, decoded so in one
     * piece: where the decoder hunts, segment ends are a deliberate hint
     * (a record ending where a segment ends is taken as a boundary). */
    bool contiguous = A.skips == 0 && A.errors == 0 && A.n_recs < MAX_RECS && A.end == len;
    for (size_t i = 0; contiguous && i < A.n_recs; i++)
        contiguous = A.recs[i].off ==
                     (i ? A.recs[i - 1].off + A.recs[i - 1].header_len + A.recs[i - 1].length : 0);
    if (contiguous) {
        if (B.n_recs != A.n_recs || memcmp(A.recs, B.recs, A.n_recs * sizeof(rec_info)) != 0) {
            fprintf(stderr, "whole: %zu records, pieces: %zu records (%u skips, %u errors)\n",
                    A.n_recs, B.n_recs, B.skips, B.errors);
            for (size_t i = 0; i < A.n_recs || i < B.n_recs; i++) {
                if (i < A.n_recs)
                    fprintf(stderr, "  whole  #%zu off %llu type %u len %u v2 %d\n", i,
                            (unsigned long long)A.recs[i].off, A.recs[i].type, A.recs[i].length,
                            A.recs[i].sslv2);
                if (i < B.n_recs)
                    fprintf(stderr, "  pieces #%zu off %llu type %u len %u v2 %d\n", i,
                            (unsigned long long)B.recs[i].off, B.recs[i].type, B.recs[i].length,
                            B.recs[i].sslv2);
            }
            FUZZ_ASSERT(!"segmentation changed the records decoded");
        }
    }
    if (mode & 1)
        decode(&B, s, len, seed, mode, true, true);
    return 0;
}
