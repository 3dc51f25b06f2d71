#include "packet.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"

struct tnt_packet_decoder {
    int dlt;
    bool unsupported_reported;
    tnt_capture_callbacks cb;
    tnt_ip_reasm *ip;
    tnt_tcp_table *tcp;
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

void tnt_packet_decode(tnt_packet_decoder *d, uint64_t frame, tnt_cap_ts ts, const uint8_t *data,
                       size_t caplen, size_t wirelen)
{
    if (!tnt_link_supported(d->dlt)) {
        if (!d->unsupported_reported) {
            char text[96];
            snprintf(text, sizeof text, "unsupported link type %d: all packets skipped", d->dlt);
            diag(d, frame, text);
            d->unsupported_reported = true;
        }
        return;
    }
    bool cut = caplen < wirelen;
    const uint8_t *l3;
    size_t l3_len;
    const char *why;
    tnt_link_result lr = tnt_link_decode(d->dlt, data, caplen, &l3, &l3_len, &why);
    if (lr == TNT_LINK_OTHER)
        return;
    if (lr == TNT_LINK_ERROR) {
        diag(d, frame, why);
        return;
    }
    tnt_ip_packet ip;
    tnt_ip_result ir =
        tnt_ip_input(d->ip, lr == TNT_LINK_IPV4 ? 4 : 6, l3, l3_len, cut, frame, ts, &ip, &why);
    if (ir == TNT_IP_ERROR) {
        diag(d, frame, why);
        return;
    }
    if (ir != TNT_IP_PACKET || ip.proto != TNT_IPPROTO_TCP)
        return;
    tnt_tcp_segment seg;
    if (!tnt_tcp_parse(ip.payload, ip.len, ip.missing, &seg, &why)) {
        diag(d, frame, why);
        return;
    }
    if (seg.missing) {
        char text[128];
        snprintf(text, sizeof text, "TCP payload cut short by the capture: %zu of %zu bytes",
                 seg.len, seg.len + seg.missing);
        diag(d, frame, text);
    }
    seg.family = ip.family;
    memcpy(seg.src, ip.src, sizeof seg.src);
    memcpy(seg.dst, ip.dst, sizeof seg.dst);
    tnt_tcp_input(d->tcp, &seg, frame, ts);
}

void tnt_packet_finish(tnt_packet_decoder *d, uint64_t last_frame)
{
    tnt_ip_reasm_finish(d->ip, last_frame);
    tnt_tcp_finish(d->tcp);
}
