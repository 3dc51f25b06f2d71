#include "pcapng_reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_PB 0x00000002u
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0
#define OPT_IF_TSRESOL 9
#define OPT_IF_TSOFFSET 14

static uint32_t swap32(uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static uint16_t swap16(uint16_t v)
{
    return (uint16_t)((v >> 8) | (v << 8));
}

/* The cursor reads big-endian; swap is set for a little-endian section. */
static bool get32(tnt_cursor *c, bool swap, uint32_t *v)
{
    if (!tnt_get_u32(c, v))
        return false;
    if (swap)
        *v = swap32(*v);
    return true;
}

static bool get16(tnt_cursor *c, bool swap, uint16_t *v)
{
    if (!tnt_get_u16(c, v))
        return false;
    if (swap)
        *v = swap16(*v);
    return true;
}

/* An 8-byte integer in section byte order (options). */
static bool get64(tnt_cursor *c, bool swap, uint64_t *v)
{
    uint32_t a, b;
    if (!get32(c, swap, &a) || !get32(c, swap, &b))
        return false;
    *v = swap ? ((uint64_t)b << 32 | a) : ((uint64_t)a << 32 | b);
    return true;
}

/* A packet timestamp: two 32-bit words, the high one first whatever the
 * byte order, unlike an 8-byte option value. */
static bool get_ts(tnt_cursor *c, bool swap, uint64_t *v)
{
    uint32_t hi, lo;
    if (!get32(c, swap, &hi) || !get32(c, swap, &lo))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

void pcapng_reader_init(pcapng_reader *r, const uint8_t *data, size_t len, bool mapped)
{
    memset(r, 0, sizeof *r);
    r->base = data;
    r->size = len;
    r->mapped = mapped;
    tnt_cursor_init(&r->file, data, len);
}

void pcapng_reader_free(pcapng_reader *r)
{
    free(r->ifaces);
    r->ifaces = NULL;
    r->n_ifaces = r->cap_ifaces = 0;
}

bool pcapng_is_pcapng(const uint8_t *data, size_t len)
{
    tnt_cursor c;
    uint32_t type;
    tnt_cursor_init(&c, data, len);
    return tnt_get_u32(&c, &type) && type == BT_SHB;
}

static pcapng_next_result fail(pcapng_reader *r, const char *fmt, size_t at)
{
    snprintf(r->err, sizeof r->err, fmt, at);
    return PCAPNG_ERROR;
}

/* The next block: its type and its body (between the length fields).
 * PCAPNG_PACKET here means "a block". Checks both length fields. */
static pcapng_next_result next_block(pcapng_reader *r, uint32_t *type, tnt_cursor *body,
                                     size_t *at_out)
{
    if (tnt_cursor_len(&r->file) == 0)
        return r->started ? PCAPNG_END : fail(r, "not a pcapng file: nothing at offset %zu", 0);
    /* A position in size_t: the cursor's offsets are 32-bit, files are not. */
    size_t at = (size_t)(tnt_cursor_data(&r->file) - r->base);
    *at_out = at;
    /* A mapped file's pages already walked past are given back, so that a
     * long capture never sits in memory whole. */
    const size_t window = 2u << 20;
    if (r->mapped && at - r->released >= 2 * window && r->released + window <= r->size) {
        madvise((void *)(r->base + r->released), window, MADV_DONTNEED);
        r->released += window;
    }
    tnt_cursor peek = r->file;
    uint32_t raw;
    if (!tnt_get_u32(&peek, &raw))
        return fail(r, "truncated pcapng file: block header at offset %zu cut short", at);
    if (raw == BT_SHB) {
        uint32_t len_raw, magic;
        if (!tnt_get_u32(&peek, &len_raw) || !tnt_get_u32(&peek, &magic))
            return fail(r, "truncated pcapng file: section header at offset %zu cut short", at);
        if (magic == BYTE_ORDER_MAGIC)
            r->swap = false;
        else if (swap32(magic) == BYTE_ORDER_MAGIC)
            r->swap = true;
        else
            return fail(r, "bad byte-order magic in the section header at offset %zu", at);
    } else if (!r->started) {
        return fail(r, "not a pcapng file (no section header at offset %zu)", at);
    }
    tnt_cursor hdr = r->file;
    uint32_t len;
    get32(&hdr, r->swap, type);
    if (!get32(&hdr, r->swap, &len))
        return fail(r, "truncated pcapng file: block header at offset %zu cut short", at);
    if (len < 12 || len % 4 != 0)
        return fail(r, "pcapng block at offset %zu has a bad length", at);
    tnt_cursor block;
    if (!tnt_get_sub(&r->file, &block, len))
        return fail(r, "truncated pcapng file: block at offset %zu runs past the end", at);
    uint32_t trailer;
    tnt_skip(&block, 8);
    if (!tnt_get_sub(&block, body, len - 12) || !get32(&block, r->swap, &trailer) || trailer != len)
        return fail(r, "pcapng block at offset %zu: its two length fields differ", at);
    return PCAPNG_PACKET;
}

pcapng_next_result pcapng_reader_block(pcapng_reader *r, uint32_t *type, tnt_cursor *body,
                                       size_t *at)
{
    pcapng_next_result res = next_block(r, type, body, at);
    if (res == PCAPNG_PACKET && *type == BT_SHB)
        r->started = true;
    return res;
}

bool pcapng_reader_get32(const pcapng_reader *r, tnt_cursor *c, uint32_t *v)
{
    return get32(c, r->swap, v);
}

static pcapng_next_result read_shb(pcapng_reader *r, tnt_cursor *body, size_t at)
{
    uint32_t magic;
    uint16_t major, minor;
    if (!tnt_get_u32(body, &magic) || !get16(body, r->swap, &major) ||
        !get16(body, r->swap, &minor) || !tnt_skip(body, 8))
        return fail(r, "pcapng section header at offset %zu is too short", at);
    if (major != 1)
        return fail(r, "pcapng section header at offset %zu: unsupported version", at);
    r->started = true;
    r->n_ifaces = 0; /* interface ids count from 0 again in each section */
    return PCAPNG_PACKET;
}

static pcapng_next_result read_idb_options(pcapng_reader *r, tnt_cursor *opts, pcapng_iface *ifc,
                                           size_t at)
{
    while (tnt_cursor_len(opts) > 0) {
        uint16_t code, olen;
        tnt_cursor val;
        if (!get16(opts, r->swap, &code) || !get16(opts, r->swap, &olen) ||
            !tnt_get_sub(opts, &val, olen) || !tnt_skip(opts, (4 - olen % 4) % 4))
            return fail(r, "pcapng interface block at offset %zu: an option overruns it", at);
        if (code == OPT_ENDOFOPT)
            break;
        if (code == OPT_IF_TSRESOL) {
            uint8_t v;
            if (olen != 1 || !tnt_get_u8(&val, &v))
                return fail(r, "pcapng interface block at offset %zu: bad if_tsresol", at);
            ifc->res_binary = (v & 0x80) != 0;
            ifc->res_exp = v & 0x7f;
            /* The unit must fit in 64 bits, as libpcap requires. */
            if ((ifc->res_binary && ifc->res_exp > 63) || (!ifc->res_binary && ifc->res_exp > 19))
                return fail(r, "pcapng interface block at offset %zu: if_tsresol too fine", at);
        } else if (code == OPT_IF_TSOFFSET) {
            uint64_t v;
            if (olen != 8 || !get64(&val, r->swap, &v))
                return fail(r, "pcapng interface block at offset %zu: bad if_tsoffset", at);
            ifc->tsoffset = (int64_t)v;
        }
    }
    return PCAPNG_PACKET;
}

static pcapng_next_result read_idb(pcapng_reader *r, tnt_cursor *body, size_t at)
{
    pcapng_iface ifc = {0};
    uint16_t linktype, reserved;
    if (!get16(body, r->swap, &linktype) || !get16(body, r->swap, &reserved) ||
        !get32(body, r->swap, &ifc.snaplen))
        return fail(r, "pcapng interface block at offset %zu is too short", at);
    ifc.linktype = linktype;
    ifc.res_exp = 6; /* default: microseconds */
    if (read_idb_options(r, body, &ifc, at) == PCAPNG_ERROR)
        return PCAPNG_ERROR;
    if (r->n_ifaces == r->cap_ifaces) {
        size_t cap = r->cap_ifaces ? 2 * r->cap_ifaces : 8;
        pcapng_iface *n = realloc(r->ifaces, cap * sizeof *n);
        if (!n)
            return fail(r, "out of memory at the interface block at offset %zu", at);
        r->ifaces = n;
        r->cap_ifaces = cap;
    }
    r->ifaces[r->n_ifaces++] = ifc;
    return PCAPNG_PACKET;
}

static uint64_t pow10u(unsigned e)
{
    uint64_t v = 1;
    while (e--)
        v *= 10;
    return v;
}

/* A timestamp in the interface's unit to seconds and microseconds, truncating
 * as libpcap does when it scales a finer resolution down. */
static void set_time(const pcapng_iface *ifc, uint64_t t, pcapng_packet *pkt)
{
    uint64_t sec, frac;
    if (ifc->res_binary) {
        unsigned e = ifc->res_exp;
        sec = e ? t >> e : t;
        frac = e ? t & ((UINT64_C(1) << e) - 1) : 0;
        pkt->usec = (uint32_t)(((unsigned __int128)frac * 1000000u) >> e);
    } else {
        uint64_t unit = pow10u(ifc->res_exp);
        sec = t / unit;
        frac = t % unit;
        if (ifc->res_exp <= 6)
            pkt->usec = (uint32_t)(frac * pow10u(6 - ifc->res_exp));
        else
            pkt->usec = (uint32_t)(frac / pow10u(ifc->res_exp - 6u));
    }
    pkt->sec = (int64_t)sec + ifc->tsoffset;
}

static pcapng_next_result packet_data(pcapng_reader *r, tnt_cursor *body, pcapng_packet *pkt,
                                      size_t at)
{
    tnt_cursor data;
    if (!tnt_get_sub(body, &data, pkt->caplen))
        return fail(r, "pcapng packet block at offset %zu: captured length exceeds the block", at);
    pkt->data = tnt_cursor_data(&data);
    return PCAPNG_PACKET;
}

static pcapng_next_result iface_of(pcapng_reader *r, uint32_t id, pcapng_packet *pkt, size_t at)
{
    if (id >= r->n_ifaces)
        return fail(r, "pcapng packet block at offset %zu names an undescribed interface", at);
    pkt->iface = id;
    pkt->linktype = r->ifaces[id].linktype;
    return PCAPNG_PACKET;
}

static pcapng_next_result read_epb(pcapng_reader *r, tnt_cursor *body, pcapng_packet *pkt,
                                   size_t at, bool obsolete)
{
    uint32_t id;
    uint64_t t;
    if (obsolete) {
        uint16_t id16, drops;
        if (!get16(body, r->swap, &id16) || !get16(body, r->swap, &drops))
            return fail(r, "pcapng packet block at offset %zu is too short", at);
        id = id16;
    } else if (!get32(body, r->swap, &id)) {
        return fail(r, "pcapng packet block at offset %zu is too short", at);
    }
    if (!get_ts(body, r->swap, &t) || !get32(body, r->swap, &pkt->caplen) ||
        !get32(body, r->swap, &pkt->wirelen))
        return fail(r, "pcapng packet block at offset %zu is too short", at);
    if (iface_of(r, id, pkt, at) == PCAPNG_ERROR)
        return PCAPNG_ERROR;
    set_time(&r->ifaces[id], t, pkt);
    return packet_data(r, body, pkt, at);
}

/* A Simple Packet Block has no captured length: it is what the block holds,
 * cut to the original length and the interface's snap length. */
static pcapng_next_result read_spb(pcapng_reader *r, tnt_cursor *body, pcapng_packet *pkt,
                                   size_t at)
{
    if (!get32(body, r->swap, &pkt->wirelen))
        return fail(r, "pcapng simple packet block at offset %zu is too short", at);
    if (iface_of(r, 0, pkt, at) == PCAPNG_ERROR)
        return PCAPNG_ERROR;
    size_t room = tnt_cursor_len(body);
    uint32_t cap = pkt->wirelen;
    if (room < cap)
        cap = (uint32_t)room;
    if (r->ifaces[0].snaplen && r->ifaces[0].snaplen < cap)
        cap = r->ifaces[0].snaplen;
    pkt->caplen = cap;
    pkt->sec = 0;
    pkt->usec = 0;
    return packet_data(r, body, pkt, at);
}

pcapng_next_result pcapng_reader_next(pcapng_reader *r, pcapng_packet *pkt)
{
    for (;;) {
        uint32_t type;
        tnt_cursor body;
        size_t at;
        pcapng_next_result res = next_block(r, &type, &body, &at);
        if (res != PCAPNG_PACKET)
            return res;
        switch (type) {
        case BT_SHB:
            res = read_shb(r, &body, at);
            break;
        case BT_IDB:
            res = read_idb(r, &body, at);
            break;
        case BT_EPB:
            return read_epb(r, &body, pkt, at, false);
        case BT_PB:
            return read_epb(r, &body, pkt, at, true);
        case BT_SPB:
            return read_spb(r, &body, pkt, at);
        default:
            break;
        }
        if (res == PCAPNG_ERROR)
            return res;
    }
}

pcapng_scan_result pcapng_scan_linktypes(const uint8_t *data, size_t len, bool mapped,
                                         uint32_t *types, size_t cap, size_t *n)
{
    pcapng_reader r;
    pcapng_reader_init(&r, data, len, mapped);
    *n = 0;
    pcapng_scan_result res = PCAPNG_SCAN_OK;
    for (;;) {
        uint32_t type;
        tnt_cursor body;
        size_t at;
        pcapng_next_result b = next_block(&r, &type, &body, &at);
        if (b == PCAPNG_END)
            break;
        if (b == PCAPNG_ERROR) {
            res = r.started ? PCAPNG_SCAN_DAMAGED : PCAPNG_SCAN_NOT_PCAPNG;
            break;
        }
        if (type == BT_SHB) {
            r.started = true;
            continue;
        }
        uint16_t lt;
        if (type != BT_IDB || !get16(&body, r.swap, &lt))
            continue;
        size_t i = 0;
        while (i < *n && i < cap && types[i] != lt)
            i++;
        if (i < *n && i < cap)
            continue;
        if (*n < cap)
            types[*n] = lt;
        (*n)++;
    }
    pcapng_reader_free(&r);
    return res;
}
