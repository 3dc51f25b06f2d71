#include "packet.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "link.h"
#include "tunnel.h"

/* Why packets could not be decapsulated, for reporting each reason once. */
typedef struct skip_reason {
    const char *why; /* static string, compared by address */
    uint64_t first_frame;
    uint64_t count;
} skip_reason;

#define SKIP_REASONS 48

/* Link types are 16 bits in pcapng, so one bit each says whether its
 * "unsupported" diagnostic was given; other values share the last flag. */
#define REPORTED_BITS 65536

struct tnt_packet_decoder {
    int dlt;
    uint8_t unsupported_reported[REPORTED_BITS / 8 + 1];
    tnt_capture_callbacks cb;
    tnt_ip_reasm *ip;
    tnt_tcp_table *tcp;
    skip_reason skipped[SKIP_REASONS];
    size_t n_skipped;
};

static void ip_diag(void *user, uint64_t frame, const char *text)
{
    tnt_packet_decoder *d = user;
    if (d->cb.on_diag)
        d->cb.on_diag(d->cb.user, frame, text);
}

tnt_packet_decoder *tnt_packet_decoder_new(int dlt, const tnt_capture_callbacks *cb,
                                           const tnt_tcp_limits *tcp_lim,
                                           const tnt_ip_limits *ip_lim)
{
    tnt_packet_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->dlt = dlt;
    d->cb = *cb;
    d->ip = tnt_ip_reasm_new(ip_lim, ip_diag, d);
    d->tcp = tnt_tcp_new(cb, tcp_lim);
    if (!d->ip || !d->tcp) {
        tnt_packet_decoder_free(d);
        return NULL;
    }
    return d;
}

void tnt_packet_decoder_free(tnt_packet_decoder *d)
{
    if (!d)
        return;
    tnt_ip_reasm_free(d->ip);
    tnt_tcp_free(d->tcp);
    free(d);
}

tnt_tcp_table *tnt_packet_tcp(tnt_packet_decoder *d)
{
    return d->tcp;
}

tnt_ip_reasm *tnt_packet_ip(tnt_packet_decoder *d)
{
    return d->ip;
}

static void diag(tnt_packet_decoder *d, uint64_t frame, const char *what)
{
    if (d->cb.on_diag)
        d->cb.on_diag(d->cb.user, frame, what);
}

/* A packet whose tunnel cannot be opened. A capture of a tunnel endpoint
 * tends to repeat the same problem on every packet (a payload type this
 * decoder does not know, a port shared with something else), so each reason
 * is reported once, like an unsupported link type, and counted; the count
 * comes at end of input. */
static void skip_diag(tnt_packet_decoder *d, uint64_t frame, const char *why)
{
    for (size_t i = 0; i < d->n_skipped; i++) {
        if (d->skipped[i].why == why) {
            d->skipped[i].count++;
            return;
        }
    }
    char text[256];
    if (d->n_skipped < SKIP_REASONS) {
        d->skipped[d->n_skipped++] = (skip_reason){why, frame, 1};
        snprintf(text, sizeof text,
                 "%s: packet not decapsulated (further packets with this problem are counted at "
                 "end of input)",
                 why);
    } else {
        snprintf(text, sizeof text, "%s: packet not decapsulated", why);
    }
    diag(d, frame, text);
}

static void tcp_segment(tnt_packet_decoder *d, const tnt_ip_packet *ip, uint64_t frame,
                        tnt_cap_ts ts)
{
    const char *why;
    tnt_tcp_segment seg;
    if (!tnt_tcp_parse(ip->payload, ip->len, ip->missing, &seg, &why)) {
        diag(d, frame, why);
        return;
    }
    if (seg.missing) {
        char text[128];
        snprintf(text, sizeof text, "TCP payload cut short by the capture: %zu of %zu bytes",
                 seg.len, seg.len + seg.missing);
        diag(d, frame, text);
    }
    seg.family = ip->family;
    memcpy(seg.src, ip->src, sizeof seg.src);
    memcpy(seg.dst, ip->dst, sizeof seg.dst);
    tnt_tcp_input(d->tcp, &seg, frame, ts);
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* IP, then tunnel after tunnel until TCP. Connections are keyed by the
 * innermost addresses, as Wireshark's tcp.stream is. Every level goes
 * through the same fragment reassembly, so fragments are put together both
 * outside and inside a tunnel. The depth bound stops crafted nesting. */
static void decode_ip(tnt_packet_decoder *d, uint64_t frame, tnt_cap_ts ts, int version,
                      const uint8_t *l3, size_t l3_len, bool cut)
{
    for (int depth = 0;; depth++) {
        tnt_ip_packet ip;
        const char *why;
        tnt_ip_result ir = tnt_ip_input(d->ip, version, l3, l3_len, cut, frame, ts, &ip, &why);
        if (ir == TNT_IP_ERROR) {
            if (depth == 0) {
                diag(d, frame, why);
            } else {
                char text[160];
                snprintf(text, sizeof text, "tunnelled packet: %s", why);
                diag(d, frame, text);
            }
            return;
        }
        if (ir != TNT_IP_PACKET)
            return;
        if (ip.proto == TNT_IPPROTO_TCP) {
            tcp_segment(d, &ip, frame, ts);
            return;
        }
        const uint8_t *inner;
        size_t inner_len;
        tnt_tunnel_result tr =
            tnt_tunnel_decode(ip.proto, ip.payload, ip.len, ip.missing, &inner, &inner_len, &why);
        if (tr == TNT_TUNNEL_NONE || tr == TNT_TUNNEL_OTHER)
            return;
        if (tr == TNT_TUNNEL_ERROR) {
            skip_diag(d, frame, why);
            return;
        }
        if (depth + 1 > TNT_TUNNEL_MAX_DEPTH) {
            skip_diag(d, frame, "tunnels nested more than " STR(TNT_TUNNEL_MAX_DEPTH) " deep");
            return;
        }
        if (tr == TNT_TUNNEL_ETHERNET) {
            tnt_link_result lr = tnt_link_decode(DLT_EN10MB, inner, inner_len, &l3, &l3_len, &why);
            if (lr == TNT_LINK_OTHER)
                return;
            if (lr == TNT_LINK_ERROR) {
                skip_diag(d, frame, why);
                return;
            }
            version = lr == TNT_LINK_IPV4 ? 4 : 6;
        } else {
            version = tr == TNT_TUNNEL_IPV4 ? 4 : 6;
            l3 = inner;
            l3_len = inner_len;
        }
        /* Only what the outer packet lost to the snap length can be missing
         * from the inner one. */
        cut = ip.missing != 0;
    }
}

/* Once per link type, not per packet: a capture holds many of them. */
static void unsupported(tnt_packet_decoder *d, int dlt, uint64_t frame)
{
    unsigned bit = dlt >= 0 && dlt < REPORTED_BITS ? (unsigned)dlt : REPORTED_BITS;
    uint8_t mask = (uint8_t)(1u << (bit % 8));
    if (d->unsupported_reported[bit / 8] & mask)
        return;
    d->unsupported_reported[bit / 8] |= mask;
    char text[96];
    snprintf(text, sizeof text, "unsupported link type %d: all packets skipped", dlt);
    diag(d, frame, text);
}

void tnt_packet_decode(tnt_packet_decoder *d, uint64_t frame, tnt_cap_ts ts, const uint8_t *data,
                       size_t caplen, size_t wirelen)
{
    tnt_packet_decode_dlt(d, d->dlt, frame, ts, data, caplen, wirelen);
}

void tnt_packet_decode_dlt(tnt_packet_decoder *d, int dlt, uint64_t frame, tnt_cap_ts ts,
                           const uint8_t *data, size_t caplen, size_t wirelen)
{
    if (!tnt_link_supported(dlt)) {
        unsupported(d, dlt, frame);
        return;
    }
    const uint8_t *l3;
    size_t l3_len;
    const char *why;
    tnt_link_result lr = tnt_link_decode(dlt, data, caplen, &l3, &l3_len, &why);
    if (lr == TNT_LINK_OTHER)
        return;
    if (lr == TNT_LINK_ERROR) {
        diag(d, frame, why);
        return;
    }
    decode_ip(d, frame, ts, lr == TNT_LINK_IPV4 ? 4 : 6, l3, l3_len, caplen < wirelen);
}

void tnt_packet_finish(tnt_packet_decoder *d, uint64_t last_frame)
{
    tnt_ip_reasm_finish(d->ip, last_frame);
    for (size_t i = 0; i < d->n_skipped; i++) {
        const skip_reason *r = &d->skipped[i];
        if (r->count < 2)
            continue;
        char text[256];
        snprintf(text, sizeof text, "%s: %llu packets not decapsulated, the first in frame %llu",
                 r->why, (unsigned long long)r->count, (unsigned long long)r->first_frame);
        diag(d, 0, text);
    }
    tnt_tcp_finish(d->tcp);
}
