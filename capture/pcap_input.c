/* libpcap: the only file that talks to it. Files are filtered per packet with
 * pcap_offline_filter() instead of pcap_setfilter() so that frame numbers
 * keep counting the packets a filter rejects, as Wireshark's do. */
#include "capture.h"

#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

struct tnt_capture {
    pcap_t *p;
    bool live;
    struct bpf_program prog;
    bool have_prog;
    tnt_packet_decoder *dec;
    uint64_t frames;
    uint64_t max_packets;
    volatile sig_atomic_t stop;
    char err[PCAP_ERRBUF_SIZE + 64];
    bool have_err;
};

static void set_errbuf(char errbuf[TNT_CAPTURE_ERRBUF_SIZE], const char *text)
{
    snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "%s", text);
}

tnt_capture *tnt_capture_open_file(const char *path, char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    tnt_capture *cap = calloc(1, sizeof *cap);
    if (!cap) {
        set_errbuf(errbuf, "out of memory");
        return NULL;
    }
    cap->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, pe);
    if (!cap->p) {
        set_errbuf(errbuf, pe);
        free(cap);
        return NULL;
    }
    return cap;
}

tnt_capture *tnt_capture_open_live(const char *iface, int snaplen, bool promisc,
                                   char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    tnt_capture *cap = calloc(1, sizeof *cap);
    if (!cap) {
        set_errbuf(errbuf, "out of memory");
        return NULL;
    }
    cap->live = true;
    cap->p = pcap_create(iface, pe);
    if (!cap->p) {
        set_errbuf(errbuf, pe);
        free(cap);
        return NULL;
    }
    pcap_set_snaplen(cap->p, snaplen > 0 ? snaplen : 262144);
    pcap_set_promisc(cap->p, promisc);
    pcap_set_timeout(cap->p, 200);
    pcap_set_immediate_mode(cap->p, 1);
    int rc = pcap_activate(cap->p);
    if (rc < 0) {
        snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "%s: %s", iface,
                 rc == PCAP_ERROR ? pcap_geterr(cap->p) : pcap_statustostr(rc));
        pcap_close(cap->p);
        free(cap);
        return NULL;
    }
    return cap;
}

bool tnt_capture_set_filter(tnt_capture *cap, const char *expr,
                            char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    if (cap->have_prog) {
        pcap_freecode(&cap->prog);
        cap->have_prog = false;
    }
    if (pcap_compile(cap->p, &cap->prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
        snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "bad filter \"%s\": %s", expr,
                 pcap_geterr(cap->p));
        return false;
    }
    cap->have_prog = true;
    if (cap->live && pcap_setfilter(cap->p, &cap->prog) < 0) {
        snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "cannot set filter: %s", pcap_geterr(cap->p));
        return false;
    }
    return true;
}

const char *tnt_capture_linktype_name(const tnt_capture *cap)
{
    const char *n = pcap_datalink_val_to_name(pcap_datalink(cap->p));
    return n ? n : "unknown";
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
    tnt_capture *cap = (tnt_capture *)user;
    uint64_t frame = ++cap->frames;
    if (cap->have_prog && !cap->live && !pcap_offline_filter(&cap->prog, h, bytes))
        goto out;
    tnt_cap_ts ts = {h->ts.tv_sec, (uint32_t)h->ts.tv_usec};
    tnt_packet_decode(cap->dec, frame, ts, bytes, h->caplen, h->len);
out:
    if (cap->max_packets && cap->frames >= cap->max_packets) {
        cap->stop = 1;
        pcap_breakloop(cap->p);
    }
}

tnt_capture_status tnt_capture_run(tnt_capture *cap, const tnt_capture_callbacks *cb,
                                   uint64_t max_packets)
{
    int dlt = pcap_datalink(cap->p);
    cap->max_packets = max_packets;
    cap->dec = tnt_packet_decoder_new(dlt, cb, NULL, NULL);
    if (!cap->dec) {
        snprintf(cap->err, sizeof cap->err, "out of memory");
        cap->have_err = true;
        return TNT_CAPTURE_READ_ERROR;
    }
    tnt_capture_status st = TNT_CAPTURE_EOF;
    for (;;) {
        if (cap->stop) {
            st = TNT_CAPTURE_STOPPED;
            break;
        }
        int rc = pcap_dispatch(cap->p, -1, on_packet, (u_char *)cap);
        if (rc == PCAP_ERROR_BREAK || cap->stop) {
            st = TNT_CAPTURE_STOPPED;
            break;
        }
        if (rc == PCAP_ERROR) {
            snprintf(cap->err, sizeof cap->err, "%s", pcap_geterr(cap->p));
            cap->have_err = true;
            if (cb->on_diag) {
                char text[sizeof cap->err + 64];
                snprintf(text, sizeof text, "capture read error after frame %llu: %s",
                         (unsigned long long)cap->frames, cap->err);
                cb->on_diag(cb->user, 0, text);
            }
            st = TNT_CAPTURE_READ_ERROR;
            break;
        }
        if (rc == 0 && !cap->live)
            break; /* end of file */
    }
    tnt_packet_finish(cap->dec, cap->frames);
    return st;
}

void tnt_capture_stop(tnt_capture *cap)
{
    cap->stop = 1;
    pcap_breakloop(cap->p);
}

const char *tnt_capture_error(const tnt_capture *cap)
{
    return cap->have_err ? cap->err : NULL;
}

uint64_t tnt_capture_frames(const tnt_capture *cap)
{
    return cap->frames;
}

void tnt_capture_close(tnt_capture *cap)
{
    if (!cap)
        return;
    if (cap->have_prog)
        pcap_freecode(&cap->prog);
    tnt_packet_decoder_free(cap->dec);
    pcap_close(cap->p);
    free(cap);
}
