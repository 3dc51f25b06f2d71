#include "hs_reasm.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

#define HS_HEADER 4

void tnt_hs_reasm_init(tnt_hs_reasm *r, uint32_t max_len)
{
    memset(r, 0, sizeof(*r));
    r->max_len = max_len ? max_len : TNT_HS_MAX_DEFAULT;
}

void tnt_hs_reasm_free(tnt_hs_reasm *r)
{
    free(r->buf);
    r->buf = NULL;
    r->buf_len = r->buf_cap = 0;
    free(r->parts);
    r->parts = NULL;
    r->n_parts = r->cap_parts = 0;
}

size_t tnt_hs_reasm_reset(tnt_hs_reasm *r)
{
    size_t n = r->buf_len + (size_t)r->skip;
    r->buf_len = 0;
    r->skip = 0;
    return n;
}

/* Body length of the message whose header starts at p (n >= 4). */
static uint32_t claimed_len(const uint8_t *p, size_t n)
{
    tnt_cursor c;
    tnt_cursor_init(&c, p, n);
    uint8_t type;
    uint32_t len = 0;
    tnt_get_u8(&c, &type);
    tnt_get_u24(&c, &len);
    return len;
}

static bool append(tnt_hs_reasm *r, const uint8_t *p, size_t n)
{
    if (r->buf_len + n > r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap : 256;
        while (cap < r->buf_len + n)
            cap *= 2;
        uint8_t *nb = realloc(r->buf, cap);
        if (!nb)
            return false;
        r->buf = nb;
        r->buf_cap = cap;
    }
    memcpy(r->buf + r->buf_len, p, n);
    r->buf_len += n;
    return true;
}

static void add_part(tnt_hs_reasm *r, uint64_t record_off, uint32_t off, size_t len)
{
    if (r->parts_lost)
        return;
    if (r->n_parts == r->cap_parts) {
        uint32_t cap = r->cap_parts ? r->cap_parts * 2 : 8;
        tnt_hs_part *p = cap <= TNT_HS_MAX_PARTS ? realloc(r->parts, cap * sizeof(*p)) : NULL;
        if (!p) {
            r->parts_lost = true;
            return;
        }
        r->parts = p;
        r->cap_parts = cap;
    }
    r->parts[r->n_parts++] = (tnt_hs_part){record_off, off, (uint32_t)len};
}

static void deliver(const uint8_t *raw, uint32_t len, uint64_t rec_off, uint32_t body_off,
                    uint32_t n_records, const tnt_hs_part *parts, uint32_t n_parts, bool complete,
                    const tnt_hs_reasm_callbacks *cb, void *user)
{
    tnt_hs_piece m = {raw, len, rec_off, body_off, n_records, parts, n_parts, complete};
    if (cb->message)
        cb->message(user, &m);
}

void tnt_hs_reasm_feed(tnt_hs_reasm *r, const uint8_t *body, size_t len, uint64_t record_off,
                       const tnt_hs_reasm_callbacks *cb, void *user)
{
    tnt_cursor c;
    tnt_cursor_init(&c, body, len);
    if (r->buf_len > 0 || r->skip > 0)
        r->n_records++;
    while (tnt_cursor_len(&c) > 0) {
        if (r->skip > 0) {
            size_t n = tnt_cursor_len(&c) < r->skip ? tnt_cursor_len(&c) : (size_t)r->skip;
            tnt_skip(&c, n);
            r->skip -= n;
            continue;
        }
        if (r->buf_len == 0) {
            /* Fast path: whole messages inside this record. */
            uint32_t off = tnt_cursor_offset(&c);
            if (tnt_cursor_len(&c) >= HS_HEADER) {
                uint32_t mlen = claimed_len(tnt_cursor_data(&c), tnt_cursor_len(&c));
                if (mlen > r->max_len) {
                    if (cb->error)
                        cb->error(user, "handshake message exceeds the size limit", mlen);
                    r->skip = (uint64_t)mlen + HS_HEADER;
                    continue;
                }
                tnt_cursor msg;
                if (tnt_get_sub(&c, &msg, HS_HEADER + (size_t)mlen)) {
                    tnt_hs_part one = {record_off, off, HS_HEADER + mlen};
                    deliver(tnt_cursor_data(&msg), HS_HEADER + mlen, record_off, off, 1, &one, 1,
                            true, cb, user);
                    continue;
                }
            }
            r->first_record_off = record_off;
            r->first_body_off = off;
            r->n_records = 1;
            r->n_parts = 0;
            r->parts_lost = false;
        }
        /* Gather: first the header, then exactly the claimed body. */
        size_t want = HS_HEADER;
        if (r->buf_len >= HS_HEADER) {
            uint32_t mlen = claimed_len(r->buf, r->buf_len);
            if (mlen > r->max_len) {
                if (cb->error)
                    cb->error(user, "handshake message exceeds the size limit", mlen);
                r->skip = (uint64_t)mlen + HS_HEADER - r->buf_len;
                r->buf_len = 0;
                continue;
            }
            want = HS_HEADER + (size_t)mlen;
        }
        size_t take = want - r->buf_len;
        if (take > tnt_cursor_len(&c))
            take = tnt_cursor_len(&c);
        if (!append(r, tnt_cursor_data(&c), take)) {
            if (cb->error)
                cb->error(user, "out of memory reassembling a handshake message", 0);
            r->skip = want - r->buf_len - take;
            r->buf_len = 0;
            tnt_skip(&c, take);
            continue;
        }
        /* A record's bytes may be appended in two steps (header, then
         * body): they are still one piece. */
        uint32_t at = tnt_cursor_offset(&c);
        if (r->n_parts > 0 && r->parts[r->n_parts - 1].record_off == record_off &&
            r->parts[r->n_parts - 1].off + r->parts[r->n_parts - 1].len == at)
            r->parts[r->n_parts - 1].len += (uint32_t)take;
        else
            add_part(r, record_off, at, take);
        tnt_skip(&c, take);
        if (r->buf_len >= HS_HEADER && r->buf_len == HS_HEADER + claimed_len(r->buf, r->buf_len)) {
            deliver(r->buf, (uint32_t)r->buf_len, r->first_record_off, r->first_body_off,
                    r->n_records, r->parts, r->n_parts, !r->parts_lost, cb, user);
            r->buf_len = 0;
            r->n_parts = 0;
        }
    }
}
