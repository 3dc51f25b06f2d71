/* IP layer. Header checksums are not verified: captures taken on the sending
 * host or crafted for tests carry zero or offloaded checksums, and a wrong
 * checksum would not change which bytes the endpoints exchanged anyway.
 *
 * Fragments are reassembled first-copy-wins in 8-byte units (the unit of the
 * fragment offset field), bounded in count, bytes and capture time; every
 * datagram given up on is reported through the diag callback, so a TCP gap
 * that follows can be explained. Only datagrams that may carry TCP, directly
 * or through a tunnel, are reassembled. */
#include "ip.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tnt/cursor.h"
#include "tunnel.h"

#define IP_MAX_DATAGRAM 65535u
#define UNITS ((IP_MAX_DATAGRAM + 7) / 8)

typedef struct dgram {
    struct dgram *next; /* list in order of first fragment: oldest first */
    int family;
    uint8_t src[16], dst[16];
    uint32_t id;
    uint8_t proto;
    uint8_t *buf; /* grows to the highest fragment end seen */
    size_t cap;
    size_t total; /* valid when total_known (last fragment seen) */
    bool total_known;
    bool broken;      /* already reported; swallow the rest quietly */
    size_t units_set; /* 8-byte units covered */
    size_t bytes;     /* data bytes copied in */
    int64_t first_sec;
    uint64_t first_frame;
    uint8_t covered[(UNITS + 7) / 8];
} dgram;

struct tnt_ip_reasm {
    tnt_ip_limits lim;
    tnt_diag_fn diag;
    void *diag_user;
    dgram *head;
    size_t count;
    size_t held;       /* bytes of all bufs */
    uint8_t *last_out; /* payload of the last datagram handed out */
};

tnt_ip_reasm *tnt_ip_reasm_new(const tnt_ip_limits *lim, tnt_diag_fn diag, void *diag_user)
{
    tnt_ip_reasm *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (lim) {
        r->lim = *lim;
    } else {
        r->lim.max_datagrams = TNT_IP_DEFAULT_MAX_DATAGRAMS;
        r->lim.max_bytes = TNT_IP_DEFAULT_MAX_BYTES;
        r->lim.timeout_sec = TNT_IP_DEFAULT_TIMEOUT;
    }
    r->diag = diag;
    r->diag_user = diag_user;
    return r;
}

static void ip_diagf(tnt_ip_reasm *r, uint64_t frame, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ip_diagf(tnt_ip_reasm *r, uint64_t frame, const char *fmt, ...)
{
    if (!r->diag)
        return;
    char text[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    r->diag(r->diag_user, frame, text);
}

static void dgram_name(const dgram *d, char *out, size_t n)
{
    char s[INET6_ADDRSTRLEN], t[INET6_ADDRSTRLEN];
    int af = d->family == 4 ? AF_INET : AF_INET6;
    inet_ntop(af, d->src, s, sizeof s);
    inet_ntop(af, d->dst, t, sizeof t);
    snprintf(out, n, "IPv%d datagram %s > %s id 0x%x (first fragment in frame %llu)", d->family, s,
             t, (unsigned)d->id, (unsigned long long)d->first_frame);
}

static void unlink_free(tnt_ip_reasm *r, dgram *d)
{
    for (dgram **pp = &r->head; *pp; pp = &(*pp)->next) {
        if (*pp == d) {
            *pp = d->next;
            break;
        }
    }
    r->count--;
    r->held -= d->cap;
    free(d->buf);
    free(d);
}

/* Reports a datagram that will never be complete. Bounds and timeouts drop
 * the entry; a broken datagram (bad or snaplen-cut fragment) keeps a bufferless
 * entry until it expires so that its later fragments are swallowed quietly
 * instead of being reported again. */
static void give_up(tnt_ip_reasm *r, dgram *d, uint64_t frame, const char *why, bool keep)
{
    if (!d->broken) {
        char name[200], total[32];
        dgram_name(d, name, sizeof name);
        if (d->total_known)
            snprintf(total, sizeof total, "%zu", d->total);
        else
            snprintf(total, sizeof total, "unknown");
        ip_diagf(r, frame, "%s cannot be reassembled (%s): %zu of %s bytes captured, dropped", name,
                 why, d->bytes, total);
    }
    if (!keep) {
        unlink_free(r, d);
        return;
    }
    d->broken = true;
    r->held -= d->cap;
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
}

void tnt_ip_reasm_free(tnt_ip_reasm *r)
{
    if (!r)
        return;
    while (r->head)
        unlink_free(r, r->head);
    free(r->last_out);
    free(r);
}

void tnt_ip_reasm_finish(tnt_ip_reasm *r, uint64_t frame)
{
    while (r->head)
        give_up(r, r->head, frame, "end of input", false);
}

size_t tnt_ip_reasm_bytes(const tnt_ip_reasm *r)
{
    return r->held;
}

static void ip_expire(tnt_ip_reasm *r, uint64_t frame, tnt_cap_ts ts)
{
    while (r->head && ts.sec - r->head->first_sec > r->lim.timeout_sec)
        give_up(r, r->head, frame, "timeout", false);
}

static dgram *find_or_add(tnt_ip_reasm *r, int family, const uint8_t *src, const uint8_t *dst,
                          uint32_t id, uint8_t proto, uint64_t frame, tnt_cap_ts ts)
{
    size_t alen = family == 4 ? 4 : 16;
    dgram **tail = &r->head;
    for (dgram *d = r->head; d; d = d->next) {
        if (d->family == family && d->id == id && d->proto == proto && !memcmp(d->src, src, alen) &&
            !memcmp(d->dst, dst, alen))
            return d;
        tail = &d->next;
    }
    while (r->count >= r->lim.max_datagrams && r->head)
        give_up(r, r->head, frame, "too many datagrams being reassembled", false);
    dgram *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->family = family;
    memcpy(d->src, src, alen);
    memcpy(d->dst, dst, alen);
    d->id = id;
    d->proto = proto;
    d->first_sec = ts.sec;
    d->first_frame = frame;
    for (tail = &r->head; *tail; tail = &(*tail)->next)
        ;
    *tail = d;
    r->count++;
    return d;
}

static bool unit_set(const dgram *d, size_t u)
{
    return d->covered[u / 8] & (1u << (u % 8));
}

/* Adds one fragment. Returns true when the datagram is complete, with the
 * datagram still in the list (the caller takes its buffer). Every failure is
 * reported by give_up(). */
static bool add_fragment(tnt_ip_reasm *r, dgram *d, size_t off, bool more, const uint8_t *data,
                         size_t len, bool cut, uint64_t frame)
{
    if (d->broken)
        return false;
    if (cut) {
        give_up(r, d, frame, "a fragment was cut short by the capture's snap length", true);
        return false;
    }
    size_t end = off + len;
    if (end > IP_MAX_DATAGRAM) {
        give_up(r, d, frame, "fragment ends beyond 65535 bytes", true);
        return false;
    }
    if (more && (len % 8 != 0 || len == 0)) {
        give_up(r, d, frame, "non-final fragment length not a multiple of 8", true);
        return false;
    }
    if (!more) {
        if ((d->total_known && d->total != end) || (!d->total_known && d->cap > end)) {
            give_up(r, d, frame, "fragments disagree on the datagram length", true);
            return false;
        }
        d->total = end;
        d->total_known = true;
    } else if (d->total_known && end > d->total) {
        give_up(r, d, frame, "fragment beyond the end of its datagram", true);
        return false;
    }
    if (end > d->cap) {
        size_t grow = end - d->cap;
        while (r->held + grow > r->lim.max_bytes && r->head && r->head != d)
            give_up(r, r->head, frame, "fragment memory bound reached", false);
        if (r->held + grow > r->lim.max_bytes) {
            give_up(r, d, frame, "fragment memory bound reached", true);
            return false;
        }
        uint8_t *nb = realloc(d->buf, end);
        if (!nb) {
            give_up(r, d, frame, "out of memory", true);
            return false;
        }
        d->buf = nb;
        r->held += grow;
        d->cap = end;
    }
    /* First copy wins: only units nobody filled yet take this fragment's bytes. */
    for (size_t u = off / 8; u * 8 < end; u++) {
        if (unit_set(d, u))
            continue;
        size_t a = u * 8, b = a + 8 < end ? a + 8 : end;
        memcpy(d->buf + a, data + (a - off), b - a);
        d->covered[u / 8] |= (uint8_t)(1u << (u % 8));
        d->units_set++;
        d->bytes += b - a;
    }
    return d->total_known && d->units_set == (d->total + 7) / 8;
}

/* Hands a completed datagram's buffer to the caller (kept until next call). */
static const uint8_t *take(tnt_ip_reasm *r, dgram *d, size_t *len, uint64_t *first_frame)
{
    free(r->last_out);
    r->last_out = d->buf;
    *len = d->total;
    *first_frame = d->first_frame;
    r->held -= d->cap;
    d->buf = NULL;
    d->cap = 0;
    unlink_free(r, d);
    return r->last_out;
}

static tnt_ip_result ip_fail(const char **why, const char *text)
{
    *why = text;
    return TNT_IP_ERROR;
}

static tnt_ip_result ipv4(tnt_ip_reasm *r, const uint8_t *data, size_t len, bool cut,
                          uint64_t frame, tnt_cap_ts ts, tnt_ip_packet *out, const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, data, len);
    uint8_t vihl, tos, ttl, proto;
    uint16_t total, id, frag, csum;
    if (!tnt_get_u8(&c, &vihl) || !tnt_get_u8(&c, &tos) || !tnt_get_u16(&c, &total) ||
        !tnt_get_u16(&c, &id) || !tnt_get_u16(&c, &frag) || !tnt_get_u8(&c, &ttl) ||
        !tnt_get_u8(&c, &proto) || !tnt_get_u16(&c, &csum) || !tnt_copy(&c, out->src, 4) ||
        !tnt_copy(&c, out->dst, 4))
        return ip_fail(why, "truncated IPv4 header");
    if (vihl >> 4 != 4)
        return ip_fail(why, "IPv4 header with version not 4");
    size_t hlen = (size_t)(vihl & 15) * 4;
    if (hlen < 20)
        return ip_fail(why, "IPv4 header length below 20");
    if (!tnt_skip(&c, hlen - 20))
        return ip_fail(why, "truncated IPv4 options");
    if (total < hlen)
        return ip_fail(why, "IPv4 total length shorter than its header");
    size_t plen = total - hlen; /* Ethernet may pad beyond this */
    out->family = 4;
    out->proto = proto;
    out->reassembled = false;
    out->first_frame = frame;
    out->missing = 0;
    if (plen > tnt_cursor_len(&c)) {
        if (!cut)
            return ip_fail(why, "IPv4 total length exceeds the captured frame");
        out->missing = plen - tnt_cursor_len(&c);
        plen = tnt_cursor_len(&c);
    }
    out->payload = tnt_cursor_data(&c);
    out->len = plen;

    bool more = frag & 0x2000;
    size_t off = (size_t)(frag & 0x1FFF) * 8;
    if (!more && off == 0)
        return TNT_IP_PACKET;
    if (proto != TNT_IPPROTO_TCP && !tnt_tunnel_proto(proto))
        return TNT_IP_SKIP;
    dgram *d = find_or_add(r, 4, out->src, out->dst, id, proto, frame, ts);
    if (!d)
        return ip_fail(why, "out of memory for IPv4 fragment");
    if (!add_fragment(r, d, off, more, out->payload, out->len, out->missing != 0, frame))
        return TNT_IP_HELD;
    out->payload = take(r, d, &out->len, &out->first_frame);
    out->missing = 0;
    out->reassembled = true;
    return TNT_IP_PACKET;
}

enum { EXT_UPPER, EXT_FRAGMENT, EXT_SKIP, EXT_ERROR };

/* Walks IPv6 extension headers from next-header *nh. Stops at the upper-layer
 * header (cursor at its first byte) or after a Fragment header (fragment
 * fields filled in, *nh = the header that follows it). */
static int ext_walk(tnt_cursor *c, uint8_t *nh, uint16_t *fo, uint32_t *fid, const char **why)
{
    for (;;) {
        uint8_t next, hl;
        switch (*nh) {
        case 0:   /* Hop-by-Hop */
        case 43:  /* Routing */
        case 60:  /* Destination Options */
        case 135: /* Mobility */
        case 139: /* HIP */
        case 140: /* Shim6 */
            if (!tnt_get_u8(c, &next) || !tnt_get_u8(c, &hl) || !tnt_skip(c, (size_t)hl * 8 + 6)) {
                *why = "truncated IPv6 extension header";
                return EXT_ERROR;
            }
            break;
        case 51: /* AH: length in 4-byte units, minus 2 */
            if (!tnt_get_u8(c, &next) || !tnt_get_u8(c, &hl) || !tnt_skip(c, (size_t)hl * 4 + 6)) {
                *why = "truncated IPv6 authentication header";
                return EXT_ERROR;
            }
            break;
        case 44: {
            uint8_t res;
            if (!tnt_get_u8(c, &next) || !tnt_get_u8(c, &res) || !tnt_get_u16(c, fo) ||
                !tnt_get_u32(c, fid)) {
                *why = "truncated IPv6 fragment header";
                return EXT_ERROR;
            }
            *nh = next;
            return EXT_FRAGMENT;
        }
        case 50: /* ESP: the rest is encrypted */
        case 59: /* No Next Header */
            return EXT_SKIP;
        default:
            return EXT_UPPER;
        }
        *nh = next;
    }
}

static tnt_ip_result ipv6(tnt_ip_reasm *r, const uint8_t *data, size_t len, bool cut,
                          uint64_t frame, tnt_cap_ts ts, tnt_ip_packet *out, const char **why)
{
    tnt_cursor c;
    tnt_cursor_init(&c, data, len);
    uint32_t vtf;
    uint16_t plen16;
    uint8_t nh, hlim;
    if (!tnt_get_u32(&c, &vtf) || !tnt_get_u16(&c, &plen16) || !tnt_get_u8(&c, &nh) ||
        !tnt_get_u8(&c, &hlim) || !tnt_copy(&c, out->src, 16) || !tnt_copy(&c, out->dst, 16))
        return ip_fail(why, "truncated IPv6 header");
    if (vtf >> 28 != 6)
        return ip_fail(why, "IPv6 header with version not 6");
    if (plen16 == 0)
        return ip_fail(why, "IPv6 jumbogram or zero payload length (not supported)");
    out->family = 6;
    out->reassembled = false;
    out->first_frame = frame;
    out->missing = 0;
    size_t plen = plen16;
    if (plen > tnt_cursor_len(&c)) {
        if (!cut)
            return ip_fail(why, "IPv6 payload length exceeds the captured frame");
        out->missing = plen - tnt_cursor_len(&c);
        plen = tnt_cursor_len(&c);
    }
    tnt_cursor body;
    tnt_get_sub(&c, &body, plen);
    uint16_t fo = 0;
    uint32_t fid = 0;
    int w = ext_walk(&body, &nh, &fo, &fid, why);
    if (w == EXT_ERROR)
        return out->missing ? ip_fail(why, "IPv6 extension headers cut short by the capture")
                            : TNT_IP_ERROR;
    if (w == EXT_SKIP)
        return TNT_IP_SKIP;
    out->payload = tnt_cursor_data(&body);
    out->len = tnt_cursor_len(&body);
    out->proto = nh;
    if (w == EXT_UPPER)
        return TNT_IP_PACKET;

    bool more = fo & 1;
    size_t off = (size_t)(fo >> 3) * 8;
    if (!more && off == 0) /* atomic fragment (RFC 6946): just a header */
        goto after_fragment;
    /* Only TCP, or headers that may still lead to TCP, is worth reassembling. */
    if (nh != TNT_IPPROTO_TCP && !tnt_tunnel_proto(nh) && nh != 60 && nh != 51)
        return TNT_IP_SKIP;
    dgram *d = find_or_add(r, 6, out->src, out->dst, fid, nh, frame, ts);
    if (!d)
        return ip_fail(why, "out of memory for IPv6 fragment");
    if (!add_fragment(r, d, off, more, out->payload, out->len, out->missing != 0, frame))
        return TNT_IP_HELD;
    out->payload = take(r, d, &out->len, &out->first_frame);
    out->missing = 0;
    out->reassembled = true;

after_fragment:;
    tnt_cursor rest;
    tnt_cursor_init(&rest, out->payload, out->len);
    w = ext_walk(&rest, &nh, &fo, &fid, why);
    if (w == EXT_ERROR)
        return TNT_IP_ERROR;
    if (w == EXT_FRAGMENT)
        return ip_fail(why, "IPv6 fragment header inside a fragmented datagram");
    if (w == EXT_SKIP)
        return TNT_IP_SKIP;
    out->payload = tnt_cursor_data(&rest);
    out->len = tnt_cursor_len(&rest);
    out->proto = nh;
    return TNT_IP_PACKET;
}

tnt_ip_result tnt_ip_input(tnt_ip_reasm *r, int version, const uint8_t *data, size_t len,
                           bool cut_by_snaplen, uint64_t frame, tnt_cap_ts ts, tnt_ip_packet *out,
                           const char **why)
{
    *why = NULL;
    memset(out, 0, sizeof *out);
    ip_expire(r, frame, ts);
    if (version == 4)
        return ipv4(r, data, len, cut_by_snaplen, frame, ts, out, why);
    return ipv6(r, data, len, cut_by_snaplen, frame, ts, out, why);
}
