/* libpcap: the only file that talks to it. Files are filtered per packet with
 * pcap_offline_filter() instead of pcap_setfilter() so that frame numbers
 * keep counting the packets a filter rejects, as Wireshark's do.
 *
 * A pcapng file whose interfaces differ in link type is the exception:
 * libpcap 1.10 refuses it at the second interface, so such a file is read by
 * pcapng_reader.c, with the link type and the compiled filter chosen per
 * packet. Every other input stays with libpcap. */
#include "capture.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "link.h"
#include "packet.h"
#include "pcapng_reader.h"

/* Link types named in the mixed-file description; more are summarised. */
#define NAMED_TYPES 8
#define PCAP_READ_BUFFER (1u << 20)

/* A mixed file's filter, compiled for one link type. */
typedef struct lt_filter {
    uint32_t linktype;
    struct bpf_program prog;
    bool have_prog; /* false: the filter does not apply, packets rejected */
} lt_filter;

struct tnt_capture {
    pcap_t *p;   /* NULL for a mixed pcapng file */
    char *iobuf; /* stdio buffer of p's file; freed after pcap_close */
    /* mixed pcapng file */
    pcapng_reader ng;
    const uint8_t *map;
    size_t map_size;
    uint32_t types[NAMED_TYPES];
    size_t n_types;
    char *filter_expr;
    lt_filter *filters;
    size_t n_filters, cap_filters;
    char filter_note[PCAP_ERRBUF_SIZE + 160]; /* reported when the run starts */
    char name[160];

    bool live;
    struct bpf_program prog;
    bool have_prog;
    tnt_packet_decoder *dec;
    uint64_t frames;
    uint64_t max_packets;
    volatile sig_atomic_t stop;
    void (*tee)(void *user, uint64_t frame, tnt_cap_ts ts, int dlt, const uint8_t *data,
                size_t caplen, size_t wirelen);
    void *tee_user;
    char err[PCAP_ERRBUF_SIZE + 64];
    bool have_err;
};

static void set_errbuf(char errbuf[TNT_CAPTURE_ERRBUF_SIZE], const char *text)
{
    snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "%s", text);
}

/* Files store LINKTYPE_ values, libpcap works with DLT_ ones; they differ
 * for a few historical types, as in libpcap's own mapping. */
static int linktype_to_dlt(uint32_t lt)
{
    switch (lt) {
    case 100:
        return DLT_ATM_RFC1483;
    case TNT_LINKTYPE_RAW:
        return DLT_RAW;
    case 102:
        return DLT_SLIP_BSDOS;
    case 103:
        return DLT_PPP_BSDOS;
    case 106:
        return DLT_ATM_CLIP;
    default:
        return (int)lt;
    }
}

static const char *dlt_name(int dlt)
{
    const char *n = pcap_datalink_val_to_name(dlt);
    return n ? n : "unknown";
}

/* Whether path is a pcapng file whose interfaces differ in link type; if so
 * the file stays mapped for pcapng_reader. A file that cannot be mapped (stdin,
 * a pipe) is left to libpcap, whatever it holds. */
static bool open_mixed(tnt_capture *cap, const char *path)
{
    if (strcmp(path, "-") == 0)
        return false;
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 12) {
        if (fd >= 0)
            close(fd);
        return false;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return false;
    size_t n = 0;
    if (pcapng_is_pcapng(map, size)) {
        madvise((void *)map, size, MADV_SEQUENTIAL);
        pcapng_scan_linktypes(map, size, true, cap->types, NAMED_TYPES, &n);
    }
    if (n < 2) {
        munmap((void *)map, size);
        return false;
    }
    cap->map = map;
    cap->map_size = size;
    cap->n_types = n;
    pcapng_reader_init(&cap->ng, map, size, true);
    size_t used = (size_t)snprintf(cap->name, sizeof cap->name, "mixed (");
    for (size_t i = 0; i < n && i < NAMED_TYPES && used < sizeof cap->name; i++)
        used += (size_t)snprintf(cap->name + used, sizeof cap->name - used, "%s%s", i ? ", " : "",
                                 dlt_name(linktype_to_dlt(cap->types[i])));
    if (used < sizeof cap->name)
        snprintf(cap->name + used, sizeof cap->name - used, "%s)", n > NAMED_TYPES ? ", ..." : "");
    return true;
}

tnt_capture *tnt_capture_open_file(const char *path, char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    char pe[PCAP_ERRBUF_SIZE] = "";
    tnt_capture *cap = calloc(1, sizeof *cap);
    if (!cap) {
        set_errbuf(errbuf, "out of memory");
        return NULL;
    }
    if (open_mixed(cap, path))
        return cap;
    /* libpcap reads through stdio, whose buffer is one file system block:
     * a read(2) per 4 to 8 KiB cost a tenth of the time of a run without
     * keys. A larger buffer makes those reads few. */
    FILE *fp = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
    if (fp) {
        cap->iobuf = malloc(PCAP_READ_BUFFER);
        if (cap->iobuf)
            setvbuf(fp, cap->iobuf, _IOFBF, PCAP_READ_BUFFER);
        cap->p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, pe);
        if (!cap->p)
            fclose(fp);
    } else {
        cap->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, pe);
    }
    if (!cap->p) {
        set_errbuf(errbuf, pe);
        free(cap->iobuf);
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

/* A handle to compile a filter for one link type: an empty classic pcap
 * file in memory rather than pcap_open_dead(), because for the loopback link
 * types libpcap only accepts every BSD AF_INET6 value (24, 28, 30) when it
 * believes it reads a file; a dead handle would match Linux's value only. */
static pcap_t *savefile_handle(uint32_t linktype)
{
    struct {
        uint32_t magic;
        uint16_t major, minor;
        int32_t thiszone;
        uint32_t sigfigs, snaplen, linktype;
    } hdr = {0xa1b2c3d4u, 2, 4, 0, 0, 262144, linktype};
    char pe[PCAP_ERRBUF_SIZE];
    FILE *fp = fmemopen(&hdr, sizeof hdr, "rb");
    if (!fp)
        return NULL;
    pcap_t *h = pcap_fopen_offline(fp, pe);
    if (!h)
        fclose(fp);
    return h;
}

/* The filter compiled for one link type of a mixed file, compiled on first
 * use. NULL when out of memory. */
static lt_filter *filter_for(tnt_capture *cap, uint32_t linktype, char *msg, size_t msgcap)
{
    for (size_t i = 0; i < cap->n_filters; i++)
        if (cap->filters[i].linktype == linktype)
            return &cap->filters[i];
    if (cap->n_filters == cap->cap_filters) {
        size_t n = cap->cap_filters ? 2 * cap->cap_filters : 4;
        lt_filter *f = realloc(cap->filters, n * sizeof *f);
        if (!f)
            return NULL;
        cap->filters = f;
        cap->cap_filters = n;
    }
    lt_filter *f = &cap->filters[cap->n_filters++];
    memset(f, 0, sizeof *f);
    f->linktype = linktype;
    pcap_t *h = savefile_handle(linktype);
    if (!h) {
        snprintf(msg, msgcap, "cannot compile the filter for link type %s",
                 dlt_name(linktype_to_dlt(linktype)));
        return f;
    }
    if (pcap_compile(h, &f->prog, cap->filter_expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
        snprintf(msg, msgcap, "%s", pcap_geterr(h));
    else
        f->have_prog = true;
    pcap_close(h);
    return f;
}

/* A mixed file: the filter is compiled for every link type of the file now,
 * so that a bad expression is still a usage error. One that compiles for some
 * link types but not others (an "ether" test and a raw-IP interface) rejects
 * the packets of the others, which is said when the run starts. */
static bool set_filter_mixed(tnt_capture *cap, const char *expr,
                             char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    free(cap->filter_expr);
    for (size_t i = 0; i < cap->n_filters; i++)
        if (cap->filters[i].have_prog)
            pcap_freecode(&cap->filters[i].prog);
    cap->n_filters = 0;
    cap->filter_note[0] = 0;
    cap->filter_expr = strdup(expr);
    if (!cap->filter_expr) {
        set_errbuf(errbuf, "out of memory");
        return false;
    }
    size_t ok = 0, stored = cap->n_types < NAMED_TYPES ? cap->n_types : NAMED_TYPES;
    char first_err[PCAP_ERRBUF_SIZE] = "";
    for (size_t i = 0; i < stored; i++) {
        char msg[PCAP_ERRBUF_SIZE] = "";
        lt_filter *f = filter_for(cap, cap->types[i], msg, sizeof msg);
        if (!f) {
            set_errbuf(errbuf, "out of memory");
            return false;
        }
        if (f->have_prog) {
            ok++;
        } else {
            if (!first_err[0])
                snprintf(first_err, sizeof first_err, "%s", msg);
            if (!cap->filter_note[0])
                snprintf(cap->filter_note, sizeof cap->filter_note,
                         "filter does not apply to link type %s (%s): its packets are skipped",
                         dlt_name(linktype_to_dlt(f->linktype)), msg);
        }
    }
    if (ok == 0) {
        snprintf(errbuf, TNT_CAPTURE_ERRBUF_SIZE, "bad filter \"%s\": %s", expr, first_err);
        return false;
    }
    cap->have_prog = true;
    return true;
}

bool tnt_capture_set_filter(tnt_capture *cap, const char *expr,
                            char errbuf[TNT_CAPTURE_ERRBUF_SIZE])
{
    if (!cap->p)
        return set_filter_mixed(cap, expr, errbuf);
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
    if (!cap->p)
        return cap->name;
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
    if (cap->tee)
        cap->tee(cap->tee_user, frame, ts, pcap_datalink(cap->p), bytes, h->caplen, h->len);
    tnt_packet_decode(cap->dec, frame, ts, bytes, h->caplen, h->len);
out:
    if (cap->max_packets && cap->frames >= cap->max_packets) {
        cap->stop = 1;
        pcap_breakloop(cap->p);
    }
}

static void read_error(tnt_capture *cap, const tnt_capture_callbacks *cb)
{
    cap->have_err = true;
    if (cb->on_diag) {
        char text[sizeof cap->err + 64];
        snprintf(text, sizeof text, "capture read error after frame %llu: %s",
                 (unsigned long long)cap->frames, cap->err);
        cb->on_diag(cb->user, 0, text);
    }
}

static bool mixed_accepts(tnt_capture *cap, const tnt_capture_callbacks *cb,
                          const pcapng_packet *pkt, uint64_t frame)
{
    if (!cap->have_prog)
        return true;
    char msg[PCAP_ERRBUF_SIZE] = "";
    size_t before = cap->n_filters;
    lt_filter *f = filter_for(cap, pkt->linktype, msg, sizeof msg);
    if (f && !f->have_prog && cap->n_filters != before && cb->on_diag) {
        char text[sizeof msg + 160];
        snprintf(text, sizeof text,
                 "filter does not apply to link type %s (%s): its packets are skipped",
                 dlt_name(linktype_to_dlt(pkt->linktype)), msg);
        cb->on_diag(cb->user, frame, text);
    }
    if (!f || !f->have_prog)
        return false;
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.ts.tv_sec = (time_t)pkt->sec;
    h.ts.tv_usec = (suseconds_t)pkt->usec;
    h.caplen = pkt->caplen;
    h.len = pkt->wirelen;
    return pcap_offline_filter(&f->prog, &h, pkt->data) != 0;
}

static tnt_capture_status run_mixed(tnt_capture *cap, const tnt_capture_callbacks *cb)
{
    if (cap->filter_note[0] && cb->on_diag)
        cb->on_diag(cb->user, 0, cap->filter_note);
    for (;;) {
        if (cap->stop)
            return TNT_CAPTURE_STOPPED;
        pcapng_packet pkt;
        pcapng_next_result r = pcapng_reader_next(&cap->ng, &pkt);
        if (r == PCAPNG_END)
            return TNT_CAPTURE_EOF;
        if (r == PCAPNG_ERROR) {
            snprintf(cap->err, sizeof cap->err, "%s", cap->ng.err);
            read_error(cap, cb);
            return TNT_CAPTURE_READ_ERROR;
        }
        uint64_t frame = ++cap->frames;
        if (mixed_accepts(cap, cb, &pkt, frame)) {
            tnt_cap_ts ts = {pkt.sec, pkt.usec};
            if (cb->on_packet)
                cb->on_packet(cb->user, frame, ts, linktype_to_dlt(pkt.linktype), pkt.data,
                              pkt.caplen, pkt.wirelen);
            tnt_packet_decode_dlt(cap->dec, linktype_to_dlt(pkt.linktype), frame, ts, pkt.data,
                                  pkt.caplen, pkt.wirelen);
        }
        if (cap->max_packets && cap->frames >= cap->max_packets)
            return TNT_CAPTURE_STOPPED;
    }
}

tnt_capture_status tnt_capture_run(tnt_capture *cap, const tnt_capture_callbacks *cb,
                                   uint64_t max_packets)
{
    int dlt = cap->p ? pcap_datalink(cap->p) : linktype_to_dlt(cap->types[0]);
    cap->max_packets = max_packets;
    cap->tee = cb->on_packet;
    cap->tee_user = cb->user;
    cap->dec = tnt_packet_decoder_new(dlt, cb, NULL, NULL);
    if (!cap->dec) {
        snprintf(cap->err, sizeof cap->err, "out of memory");
        cap->have_err = true;
        return TNT_CAPTURE_READ_ERROR;
    }
    if (!cap->p) {
        tnt_capture_status st = run_mixed(cap, cb);
        tnt_packet_finish(cap->dec, cap->frames);
        return st;
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
            read_error(cap, cb);
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
    if (cap->p)
        pcap_breakloop(cap->p);
}

const char *tnt_capture_error(const tnt_capture *cap)
{
    return cap->have_err ? cap->err : NULL;
}

uint64_t tnt_capture_offset(const tnt_capture *cap)
{
    if (!cap->p)
        return cap->map_size - tnt_cursor_len(&cap->ng.file);
    FILE *f = cap->live ? NULL : pcap_file(cap->p);
    off_t o = f ? ftello(f) : -1;
    return o > 0 ? (uint64_t)o : 0;
}

uint64_t tnt_capture_frames(const tnt_capture *cap)
{
    return cap->frames;
}

void tnt_capture_close(tnt_capture *cap)
{
    if (!cap)
        return;
    if (cap->have_prog && cap->p)
        pcap_freecode(&cap->prog);
    for (size_t i = 0; i < cap->n_filters; i++)
        if (cap->filters[i].have_prog)
            pcap_freecode(&cap->filters[i].prog);
    free(cap->filters);
    free(cap->filter_expr);
    tnt_packet_decoder_free(cap->dec);
    if (cap->p)
        pcap_close(cap->p);
    if (cap->map) {
        pcapng_reader_free(&cap->ng);
        munmap((void *)cap->map, cap->map_size);
    }
    free(cap->iobuf);
    free(cap);
}
