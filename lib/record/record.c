#include "record.h"
#include "cursor.h"

#include <stdlib.h>
#include <string.h>

/* How far a hunt may look before the direction is given up as not TLS. A
 * STARTTLS preamble or a record cut by a gap ends well within this. */
#define HUNT_LIMIT (1u << 20)
/* A hunt keeps enough lookahead to see one whole record and the next header. */
#define HUNT_WINDOW (2 * (TNT_RECORD_HEADER + TNT_MAX_RECORD_BODY) + TNT_RECORD_HEADER)

typedef struct header {
    uint8_t type;
    uint16_t version;
    uint32_t length;
    uint32_t header_len;
    bool sslv2;
} header;

void tnt_rec_init(tnt_rec_decoder *d)
{
    memset(d, 0, sizeof(*d));
    d->state = TNT_REC_SYNCED;
    d->at_start = true;
}

void tnt_rec_free(tnt_rec_decoder *d)
{
    free(d->buf);
    d->buf = NULL;
    d->buf_len = d->buf_cap = 0;
}

static bool version_plausible(uint16_t v)
{
    /* SSL 3.0 to TLS 1.2, and 0x0304, which TLS 1.3 never puts in a record
     * but broken stacks do. */
    return v >= 0x0300 && v <= 0x0304;
}

static bool parse_v3_header(const uint8_t *p, size_t n, header *h)
{
    tnt_cursor c;
    tnt_cursor_init(&c, p, n);
    uint8_t type;
    uint16_t version, length;
    if (!tnt_get_u8(&c, &type) || !tnt_get_u16(&c, &version) || !tnt_get_u16(&c, &length))
        return false;
    h->type = type;
    h->version = version;
    h->length = length;
    h->header_len = TNT_RECORD_HEADER;
    h->sslv2 = false;
    return true;
}

bool tnt_rec_header_plausible(const uint8_t *p)
{
    header h;
    return parse_v3_header(p, TNT_RECORD_HEADER, &h) && h.type >= TNT_CT_CHANGE_CIPHER_SPEC &&
           h.type <= TNT_CT_HEARTBEAT && version_plausible(h.version) &&
           h.length <= TNT_MAX_RECORD_BODY;
}

/* An SSLv2-format hello (RFC 5246 E.2) can only open a stream: a 2-byte
 * header with the top bit set, then a client-hello (type 1, version next) or
 * a server-hello (type 4; session-id-hit and certificate type come before
 * its version), with a version SSL 2.0 to TLS 1.2. */
typedef enum { V2_NO, V2_YES, V2_MORE } v2_result;

static v2_result parse_sslv2_header(const uint8_t *p, size_t n, header *h)
{
    tnt_cursor c;
    tnt_cursor_init(&c, p, n);
    uint16_t len;
    uint8_t msg_type;
    uint16_t version;
    if (!tnt_get_u16(&c, &len) || !tnt_get_u8(&c, &msg_type))
        return n < 3 ? V2_MORE : V2_NO;
    if (!(len & 0x8000) || (msg_type != 1 && msg_type != 4))
        return V2_NO;
    /* Whether it is SSLv2 must not depend on where TCP cut the stream:
     * wait for the version rather than guess. */
    if (msg_type == 4 && !tnt_skip(&c, 2))
        return V2_MORE;
    if (!tnt_get_u16(&c, &version))
        return V2_MORE;
    if (version != 0x0002 && !(version >= 0x0300 && version <= 0x0303))
        return V2_NO;
    h->type = msg_type;
    h->version = version;
    h->length = len & 0x7fff;
    h->header_len = 2;
    h->sslv2 = true;
    /* The message type and version belong to the body. */
    return h->length >= (msg_type == 4 ? 5u : 3u) ? V2_YES : V2_NO;
}

/* Any SSLv2 record header: 2 bytes with the top bit set, else 3 bytes (the
 * third is the padding length). */
static bool parse_sslv2_any(const uint8_t *p, size_t n, header *h)
{
    tnt_cursor c;
    tnt_cursor_init(&c, p, n);
    uint8_t b0, b1, pad;
    if (!tnt_get_u8(&c, &b0) || !tnt_get_u8(&c, &b1))
        return false;
    if (b0 & 0x80) {
        h->length = ((uint32_t)(b0 & 0x7f) << 8) | b1;
        h->header_len = 2;
    } else {
        if (!tnt_get_u8(&c, &pad))
            return false;
        h->length = ((uint32_t)(b0 & 0x3f) << 8) | b1;
        h->header_len = 3;
    }
    h->version = 0x0002;
    h->type = 0;
    h->sslv2 = true;
    return true;
}

void tnt_rec_set_sslv2(tnt_rec_decoder *d)
{
    d->sslv2_mode = true;
}

static void emit(tnt_rec_decoder *d, const header *h, const uint8_t *raw,
                 const tnt_rec_callbacks *cb, void *user)
{
    tnt_record r;
    r.type = h->type;
    r.version = h->version;
    r.length = h->length;
    r.raw = raw;
    r.header_len = h->header_len;
    r.body = raw + h->header_len;
    r.tail_len = h->length < TNT_REC_TAIL ? h->length : TNT_REC_TAIL;
    r.tail = r.body + h->length - r.tail_len;
    r.stream_off = d->off;
    r.sslv2 = h->sslv2;
    if (h->sslv2 && d->sslv2_mode && h->length > 0) {
        tnt_cursor c;
        tnt_cursor_init(&c, r.body, h->length);
        tnt_get_u8(&c, &r.type);
    }
    r.known_type = !h->sslv2 && h->type >= TNT_CT_CHANGE_CIPHER_SPEC && h->type <= TNT_CT_HEARTBEAT;
    d->off += h->header_len + h->length;
    d->at_start = false;
    d->saw_record = true;
    d->asked = false;
    if (cb->record)
        cb->record(user, &r);
}

/* The record whose body was stepped over, now that its last byte is in. */
static void emit_skipped(tnt_rec_decoder *d, const tnt_rec_callbacks *cb, void *user)
{
    tnt_record r;
    memset(&r, 0, sizeof r);
    r.type = d->skip_hdr[0];
    r.version = (uint16_t)(d->skip_hdr[1] << 8 | d->skip_hdr[2]);
    r.length = d->skip_length;
    r.raw = d->skip_hdr;
    r.header_len = TNT_RECORD_HEADER;
    r.body = NULL;
    r.tail = d->tail;
    r.tail_len = d->tail_len;
    r.stream_off = d->off;
    r.known_type = r.type >= TNT_CT_CHANGE_CIPHER_SPEC && r.type <= TNT_CT_HEARTBEAT;
    d->off += TNT_RECORD_HEADER + (uint64_t)d->skip_length;
    d->skipping = false;
    d->asked = false;
    d->at_start = false;
    d->saw_record = true;
    if (cb->record)
        cb->record(user, &r);
}

/* Takes the next n body bytes of a record stepped over, left bytes of the
 * body coming after them: only the body's last TNT_REC_TAIL bytes are kept,
 * so a piece that ends before them is not looked at. */
static void tail_add(tnt_rec_decoder *d, const uint8_t *p, size_t n, size_t left)
{
    if (left >= TNT_REC_TAIL) {
        d->tail_len = 0;
        return;
    }
    if (n >= TNT_REC_TAIL) {
        memcpy(d->tail, p + n - TNT_REC_TAIL, TNT_REC_TAIL);
        d->tail_len = TNT_REC_TAIL;
        return;
    }
    size_t keep = d->tail_len < TNT_REC_TAIL - n ? d->tail_len : TNT_REC_TAIL - n;
    memmove(d->tail, d->tail + d->tail_len - keep, keep);
    memcpy(d->tail + keep, p, n);
    d->tail_len = (uint32_t)(keep + n);
}

/* Steps over the body of the record whose header h starts p (n bytes of it
 * here, fewer than the whole record) when the receiver does not need it.
 * Returns false when the body is needed. */
static bool maybe_skip(tnt_rec_decoder *d, const header *h, const uint8_t *p, size_t n,
                       const tnt_rec_callbacks *cb, void *user)
{
    if (d->asked || !cb->need_body || h->sslv2 || h->header_len != TNT_RECORD_HEADER ||
        n < TNT_RECORD_HEADER)
        return false;
    d->asked = true;
    if (cb->need_body(user, h->type, h->version, h->length))
        return false;
    memcpy(d->skip_hdr, p, TNT_RECORD_HEADER);
    d->skip_length = h->length;
    d->skip_left = h->length - (uint32_t)(n - TNT_RECORD_HEADER);
    d->tail_len = 0;
    tail_add(d, p + TNT_RECORD_HEADER, n - TNT_RECORD_HEADER, d->skip_left);
    d->skipping = true;
    return true;
}

typedef enum { HDR_NEED_MORE, HDR_OK, HDR_BAD } hdr_result;

/* Reads the header at p while synchronised. */
static hdr_result synced_header(const tnt_rec_decoder *d, const uint8_t *p, size_t n, header *h)
{
    if (d->sslv2_mode)
        return parse_sslv2_any(p, n, h) ? HDR_OK : HDR_NEED_MORE;
    if (d->at_start) {
        v2_result v2 = parse_sslv2_header(p, n, h);
        if (v2 == V2_YES)
            return HDR_OK;
        if (v2 == V2_MORE)
            return HDR_NEED_MORE;
    }
    if (n < TNT_RECORD_HEADER)
        return HDR_NEED_MORE;
    if (!parse_v3_header(p, n, h))
        return HDR_NEED_MORE;
    if (!version_plausible(h->version) || h->length > TNT_MAX_RECORD_BODY)
        return HDR_BAD;
    /* A content type outside 20-24 is kept (the caller flags it), but at the
     * very start of a stream it means this is not TLS at all. */
    if (d->at_start && (h->type < TNT_CT_CHANGE_CIPHER_SPEC || h->type > TNT_CT_HEARTBEAT))
        return HDR_BAD;
    return HDR_OK;
}

static bool buf_reserve(tnt_rec_decoder *d, size_t need)
{
    if (need <= d->buf_cap)
        return true;
    size_t cap = d->buf_cap ? d->buf_cap : 512;
    while (cap < need)
        cap *= 2;
    uint8_t *nb = realloc(d->buf, cap);
    if (!nb)
        return false;
    d->buf = nb;
    d->buf_cap = cap;
    return true;
}

static void buf_consume(tnt_rec_decoder *d, size_t n)
{
    memmove(d->buf, d->buf + n, d->buf_len - n);
    d->buf_len -= n;
}

static void enter_hunt(tnt_rec_decoder *d)
{
    d->state = TNT_REC_HUNTING;
    d->skipped = 0;
}

static void fail(tnt_rec_decoder *d, const char *what, const tnt_rec_callbacks *cb, void *user)
{
    if (cb->error)
        cb->error(user, d->off, what);
    d->state = TNT_REC_FAILED;
    d->off += d->buf_len;
    d->buf_len = 0;
}

/* A bad header while synchronised. At the start of a stream this is STARTTLS,
 * a capture that began mid-stream, or not TLS: hunt. Later it is a decode
 * error, and the stream stops until a gap gives a reason to look again. */
static void bad_header(tnt_rec_decoder *d, const header *h, const tnt_rec_callbacks *cb, void *user)
{
    if (d->at_start && !d->saw_record) {
        enter_hunt(d);
        return;
    }
    fail(d,
         h->length > TNT_MAX_RECORD_BODY ? "record length exceeds 2^14+2048"
                                         : "record header with an invalid version",
         cb, user);
}

/* Does the candidate at buf[i] look like a real record boundary? */
typedef enum { CAND_NO, CAND_YES, CAND_WAIT } cand_result;

static cand_result candidate(const tnt_rec_decoder *d, size_t i)
{
    const uint8_t *p = d->buf + i;
    size_t avail = d->buf_len - i;
    if (avail < TNT_RECORD_HEADER)
        return CAND_WAIT;
    if (!tnt_rec_header_plausible(p))
        return CAND_NO;
    header h;
    parse_v3_header(p, avail, &h);
    if (h.length == 0)
        return CAND_NO;
    size_t end = TNT_RECORD_HEADER + (size_t)h.length;
    if (avail >= end + TNT_RECORD_HEADER)
        return tnt_rec_header_plausible(p + end) ? CAND_YES : CAND_NO;
    /* A record that ends exactly where the data so far ends: segments
     * usually end on record boundaries, and waiting for the next header would
     * hold a lone hello back until the peer's answer was already decoded. */
    if (avail == end)
        return CAND_YES;
    /* A handshake record whose first message header fits inside it. */
    if (h.type == TNT_CT_HANDSHAKE && avail >= TNT_RECORD_HEADER + 4) {
        tnt_cursor c;
        tnt_cursor_init(&c, p + TNT_RECORD_HEADER, 4);
        uint8_t t;
        uint32_t mlen;
        tnt_get_u8(&c, &t);
        tnt_get_u24(&c, &mlen);
        if ((t == 1 || t == 2) && mlen + 4 <= h.length)
            return CAND_YES;
    }
    /* Part of the next header is here: wait for the rest of it. */
    return CAND_WAIT;
}

/* Keeps the first bytes skipped before any record (see lead). */
static void keep_lead(tnt_rec_decoder *d, size_t n)
{
    if (d->saw_record || !d->at_start || d->lead_len >= TNT_REC_LEAD)
        return;
    size_t take = n < TNT_REC_LEAD - d->lead_len ? n : TNT_REC_LEAD - d->lead_len;
    memcpy(d->lead + d->lead_len, d->buf, take);
    d->lead_len += (uint32_t)take;
}

/* Hunts through the buffer. Returns true when synchronised again. */
static bool hunt(tnt_rec_decoder *d, const tnt_rec_callbacks *cb, void *user)
{
    size_t i = 0;
    for (; i < d->buf_len; i++) {
        cand_result r = candidate(d, i);
        if (r == CAND_NO)
            continue;
        if (r == CAND_WAIT)
            break;
        keep_lead(d, i);
        d->skipped += i;
        if (d->skipped && cb->skipped)
            cb->skipped(user, d->off, d->skipped,
                        d->saw_record ? "resynchronised" : "no record boundary");
        d->off += i;
        buf_consume(d, i);
        d->state = TNT_REC_SYNCED;
        d->at_start = false;
        return true;
    }
    /* Drop what cannot start a record any more. */
    keep_lead(d, i);
    d->skipped += i;
    d->off += i;
    buf_consume(d, i);
    if (d->skipped > HUNT_LIMIT) {
        /* FAILED first: the callback can tell a hunt given up from one that
         * found a record. */
        d->state = TNT_REC_FAILED;
        if (cb->skipped)
            cb->skipped(user, d->off - d->skipped, d->skipped, "no record boundary");
        d->off += d->buf_len;
        d->buf_len = 0;
    }
    return false;
}

/* Decodes every complete record in the buffer. */
static void drain(tnt_rec_decoder *d, const tnt_rec_callbacks *cb, void *user)
{
    size_t pos = 0;
    while (d->state == TNT_REC_SYNCED) {
        header h;
        hdr_result r = synced_header(d, d->buf + pos, d->buf_len - pos, &h);
        if (r == HDR_NEED_MORE)
            break;
        if (r == HDR_BAD) {
            buf_consume(d, pos);
            bad_header(d, &h, cb, user);
            return;
        }
        size_t need = h.header_len + (size_t)h.length;
        if (d->buf_len - pos < need)
            break;
        emit(d, &h, d->buf + pos, cb, user);
        pos += need;
    }
    buf_consume(d, pos);
}

bool tnt_rec_feed(tnt_rec_decoder *d, const uint8_t *data, size_t len, const tnt_rec_callbacks *cb,
                  void *user)
{
    while (len > 0) {
        if (d->state == TNT_REC_FAILED) {
            d->off += len;
            return true;
        }
        if (d->skipping) {
            size_t take = len < d->skip_left ? len : d->skip_left;
            d->skip_left -= (uint32_t)take;
            tail_add(d, data, take, d->skip_left);
            data += take;
            len -= take;
            if (d->skip_left == 0)
                emit_skipped(d, cb, user);
            continue;
        }
        if (d->state == TNT_REC_HUNTING) {
            size_t room = HUNT_WINDOW > d->buf_len ? HUNT_WINDOW - d->buf_len : 0;
            size_t take = len < room ? len : room;
            if (!buf_reserve(d, d->buf_len + take))
                goto oom;
            memcpy(d->buf + d->buf_len, data, take);
            d->buf_len += take;
            data += take;
            len -= take;
            if (hunt(d, cb, user))
                drain(d, cb, user);
            continue;
        }
        if (d->buf_len == 0) {
            /* Fast path: records wholly inside data go out without a copy. */
            while (len > 0 && d->state == TNT_REC_SYNCED) {
                header h;
                hdr_result r = synced_header(d, data, len, &h);
                if (r == HDR_NEED_MORE)
                    break;
                if (r == HDR_BAD) {
                    bad_header(d, &h, cb, user);
                    break;
                }
                size_t need = h.header_len + (size_t)h.length;
                if (len < need) {
                    if (maybe_skip(d, &h, data, len, cb, user)) {
                        data += len;
                        len = 0;
                    }
                    break;
                }
                emit(d, &h, data, cb, user);
                data += need;
                len -= need;
            }
            if (len == 0 || d->state != TNT_REC_SYNCED)
                continue;
        }
        /* Buffered path: top the buffer up to one header, then to one whole
         * record, so it never holds more than a record. */
        size_t want;
        header h;
        hdr_result r = synced_header(d, d->buf, d->buf_len, &h);
        if (r == HDR_OK)
            want = h.header_len + (size_t)h.length;
        else
            want = TNT_RECORD_HEADER;
        /* The header is whole now; the body has not come yet. */
        if (r == HDR_OK && d->buf_len < want && maybe_skip(d, &h, d->buf, d->buf_len, cb, user)) {
            d->buf_len = 0;
            continue;
        }
        size_t take = want > d->buf_len ? want - d->buf_len : 0;
        if (take > len)
            take = len;
        if (take == 0)
            take = len < TNT_RECORD_HEADER ? len : TNT_RECORD_HEADER;
        if (!buf_reserve(d, d->buf_len + take))
            goto oom;
        memcpy(d->buf + d->buf_len, data, take);
        d->buf_len += take;
        data += take;
        len -= take;
        drain(d, cb, user);
    }
    return true;
oom:
    fail(d, "out of memory", cb, user);
    return false;
}

void tnt_rec_gap(tnt_rec_decoder *d, uint64_t n, const tnt_rec_callbacks *cb, void *user)
{
    (void)cb;
    (void)user;
    d->off += tnt_rec_partial(d) + n;
    d->buf_len = 0;
    d->skipping = false;
    d->asked = false;
    /* A stream that was never TLS stays given up; otherwise look for the
     * next boundary. */
    if (d->state == TNT_REC_FAILED && !d->saw_record)
        return;
    enter_hunt(d);
}

uint64_t tnt_rec_partial(const tnt_rec_decoder *d)
{
    if (d->skipping)
        return TNT_RECORD_HEADER + (uint64_t)(d->skip_length - d->skip_left);
    return d->buf_len;
}

void tnt_rec_finish(tnt_rec_decoder *d, const tnt_rec_callbacks *cb, void *user)
{
    if (d->state == TNT_REC_SYNCED && tnt_rec_partial(d) > 0 && cb->error)
        cb->error(user, d->off, "stream ends inside a record");
    d->off += tnt_rec_partial(d);
    d->buf_len = 0;
    d->skipping = false;
    d->asked = false;
}
