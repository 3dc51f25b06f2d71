#include "pcapng_writer.h"
#include "tnt/keylog.h"
#include "pcapng_dsb.h"

#include <errno.h>
#include <glib.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BT_DSB 0x0000000Au

typedef struct spooled {
    uint64_t n;
    int64_t sec;
    uint32_t usec;
    int32_t dlt;
    uint32_t caplen, wirelen;
} spooled;

struct pcapng_writer {
    FILE *out; /* opened at once, so that a bad path fails before the work */
    char *path;
    FILE *spool;
    uint64_t count;
    GArray *keep;      /* uint64_t packet numbers */
    GHashTable *lines; /* key log lines, deduplicated */
    GPtrArray *order;  /* the same lines, in the order first seen */
};

pcapng_writer *pcapng_writer_new(const char *path, char *err, size_t errcap)
{
    pcapng_writer *w = g_new0(pcapng_writer, 1);
    w->out = fopen(path, "wb");
    if (!w->out) {
        snprintf(err, errcap, "%s: cannot create: %s", path, g_strerror(errno));
        g_free(w);
        return NULL;
    }
    w->spool = tmpfile();
    if (!w->spool) {
        snprintf(err, errcap, "cannot make a temporary file to hold the packets");
        fclose(w->out);
        g_free(w);
        return NULL;
    }
    w->path = g_strdup(path);
    w->keep = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    w->lines = g_hash_table_new(g_str_hash, g_str_equal);
    w->order = g_ptr_array_new_with_free_func(g_free);
    return w;
}

uint64_t pcapng_writer_spool(pcapng_writer *w, tnt_cap_ts ts, int dlt, const uint8_t *data,
                             size_t caplen, size_t wirelen)
{
    spooled h = {++w->count, ts.sec, ts.usec, dlt, (uint32_t)caplen, (uint32_t)wirelen};
    fwrite(&h, sizeof h, 1, w->spool);
    fwrite(data, 1, caplen, w->spool);
    return w->count;
}

uint64_t pcapng_writer_last(const pcapng_writer *w)
{
    return w->count;
}

static void add_line(pcapng_writer *w, const char *label, const uint8_t cr[32],
                     const uint8_t *secret, size_t len)
{
    GString *s = g_string_new(label);
    g_string_append_c(s, ' ');
    for (int i = 0; i < 32; i++)
        g_string_append_printf(s, "%02x", cr[i]);
    g_string_append_c(s, ' ');
    for (size_t i = 0; i < len; i++)
        g_string_append_printf(s, "%02x", secret[i]);
    g_string_append_c(s, '\n');
    if (g_hash_table_contains(w->lines, s->str)) {
        g_string_free(s, TRUE);
        return;
    }
    char *line = g_string_free(s, FALSE);
    g_ptr_array_add(w->order, line);
    g_hash_table_add(w->lines, line);
}

void pcapng_writer_keep(pcapng_writer *w, const uint64_t *pkts, size_t n, const tnt_conn *tls,
                        const tnt_keylog *kl)
{
    g_array_append_vals(w->keep, pkts, (guint)n);
    tnt_hs_keys st;
    for (uint32_t i = 0; tnt_conn_handshake_keys(tls, i, &st); i++) {
        if (!st.have_client_random)
            continue;
        if (st.have_ms)
            add_line(w, "CLIENT_RANDOM", st.client_random, st.ms, 48);
        if (!kl)
            continue;
        for (int l = TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET; l < TNT_KL_COUNT; l++) {
            uint8_t sec[TNT_KEYLOG_MAX_SECRET_LEN];
            size_t len = sizeof sec;
            if (tnt_keylog_tls13_secret(kl, (tnt_keylog_label)l, st.client_random, sec, &len))
                add_line(w, tnt_keylog_label_name((tnt_keylog_label)l), st.client_random, sec, len);
        }
    }
}

/* Files store LINKTYPE_ values; the few DLT_ values that differ, as in
 * pcap_input.c's inverse mapping. */
static uint32_t dlt_to_linktype(int dlt)
{
    switch (dlt) {
    case DLT_ATM_RFC1483:
        return 100;
    case DLT_RAW:
        return 101;
    case DLT_SLIP_BSDOS:
        return 102;
    case DLT_PPP_BSDOS:
        return 103;
    case DLT_ATM_CLIP:
        return 106;
    default:
        return (uint32_t)dlt;
    }
}

static void put32(GByteArray *b, uint32_t v)
{
    g_byte_array_append(b, (const guint8 *)&v, 4); /* host order: the SHB says which */
}

static void block(FILE *f, uint32_t type, const GByteArray *body)
{
    static const uint8_t zero[4] = {0};
    size_t pad = (4 - body->len % 4) % 4;
    uint32_t total = (uint32_t)(12 + body->len + pad);
    fwrite(&type, 4, 1, f);
    fwrite(&total, 4, 1, f);
    fwrite(body->data, 1, body->len, f);
    fwrite(zero, 1, pad, f);
    fwrite(&total, 4, 1, f);
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void free_writer(pcapng_writer *w)
{
    fclose(w->spool);
    g_free(w->path);
    g_array_free(w->keep, TRUE);
    g_hash_table_destroy(w->lines);
    g_ptr_array_free(w->order, TRUE);
    g_free(w);
}

bool pcapng_writer_finish(pcapng_writer *w, char *err, size_t errcap)
{
    FILE *f = w->out;
    g_array_sort(w->keep, cmp_u64);
    GByteArray *b = g_byte_array_new();
    /* Section header: byte-order magic, version 1.0, length unknown. */
    put32(b, 0x1A2B3C4Du);
    uint16_t ver[2] = {1, 0};
    g_byte_array_append(b, (const guint8 *)ver, 4);
    put32(b, 0xffffffffu);
    put32(b, 0xffffffffu);
    block(f, BT_SHB, b);

    /* Interfaces: one per link type met among the kept packets, found with
     * a first pass over the spool headers. */
    GArray *dlts = g_array_new(FALSE, FALSE, sizeof(int32_t));
    GByteArray *data = g_byte_array_new();
    rewind(w->spool);
    spooled h;
    guint k = 0;
    while (k < w->keep->len && fread(&h, sizeof h, 1, w->spool) == 1) {
        uint64_t want = g_array_index(w->keep, uint64_t, k);
        if (h.n == want) {
            bool seen = false;
            for (guint i = 0; i < dlts->len; i++)
                seen |= g_array_index(dlts, int32_t, i) == h.dlt;
            if (!seen)
                g_array_append_val(dlts, h.dlt);
            while (k < w->keep->len && g_array_index(w->keep, uint64_t, k) == want)
                k++;
        }
        fseek(w->spool, h.caplen, SEEK_CUR);
    }
    for (guint i = 0; i < dlts->len; i++) {
        g_byte_array_set_size(b, 0);
        uint16_t lt[2] = {(uint16_t)dlt_to_linktype(g_array_index(dlts, int32_t, i)), 0};
        g_byte_array_append(b, (const guint8 *)lt, 4);
        put32(b, 0); /* snap length: no limit */
        block(f, BT_IDB, b);
    }
    if (w->order->len) {
        GString *kl = g_string_new(NULL);
        for (guint i = 0; i < w->order->len; i++)
            g_string_append(kl, g_ptr_array_index(w->order, i));
        g_byte_array_set_size(b, 0);
        put32(b, PCAPNG_SECRETS_TLS_KEYLOG);
        put32(b, (uint32_t)kl->len);
        g_byte_array_append(b, (const guint8 *)kl->str, (guint)kl->len);
        block(f, BT_DSB, b);
        g_string_free(kl, TRUE);
    }
    rewind(w->spool);
    k = 0;
    while (k < w->keep->len && fread(&h, sizeof h, 1, w->spool) == 1) {
        uint64_t want = g_array_index(w->keep, uint64_t, k);
        if (h.n != want) {
            fseek(w->spool, h.caplen, SEEK_CUR);
            continue;
        }
        while (k < w->keep->len && g_array_index(w->keep, uint64_t, k) == want)
            k++;
        g_byte_array_set_size(data, h.caplen);
        if (h.caplen && fread(data->data, 1, h.caplen, w->spool) != h.caplen)
            break;
        uint32_t iface = 0;
        for (guint i = 0; i < dlts->len; i++)
            if (g_array_index(dlts, int32_t, i) == h.dlt)
                iface = i;
        uint64_t t = (uint64_t)h.sec * 1000000u + h.usec;
        g_byte_array_set_size(b, 0);
        put32(b, iface);
        put32(b, (uint32_t)(t >> 32));
        put32(b, (uint32_t)t);
        put32(b, h.caplen);
        put32(b, h.wirelen);
        g_byte_array_append(b, data->data, h.caplen);
        block(f, BT_EPB, b);
    }
    g_byte_array_free(b, TRUE);
    g_byte_array_free(data, TRUE);
    g_array_free(dlts, TRUE);
    bool ok = !ferror(f) && !ferror(w->spool);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errcap, "%s: write error", w->path);
    free_writer(w);
    return ok;
}
