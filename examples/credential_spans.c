/* What a Wireshark-style front end gets from the public API alone: feed a
 * capture frame by frame, and as soon as the bytes decide round 3 of a trust
 * negotiation, print every byte span behind its credential - the message,
 * the record pieces that carried it, and where each field sits in each
 * record's plaintext.
 *
 *   credential_spans CAPTURE.pcapng KEYLOG
 *
 * Only include/tnt/ and libpcap are used. The TCP handling is the least a
 * clean capture needs (one connection, Ethernet, IPv4 or IPv6, segments in
 * order); tntdump's capture/ does the real thing. Nothing is printed from
 * tnt_conn_finish: the verdict events say when the credential is settled,
 * as Wireshark's first pass needs. */
#include <tnt/tnt.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The front end's memory: freed in one go at the end (Wireshark: a wmem
 * file-scope pool). */
typedef struct block {
    struct block *next;
    max_align_t data[];
} block;

static void *pool_alloc(void *ctx, size_t size)
{
    block **head = ctx;
    block *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->next = *head;
    *head = b;
    return b->data;
}

static void pool_free(block *b)
{
    while (b) {
        block *n = b->next;
        free(b);
        b = n;
    }
}

/* What the front end remembers of each message: enough to find its bytes
 * in the frames again (Wireshark revisits packets in any order). */
typedef struct seen_msg {
    uint64_t seq, frame;
    tnt_dir dir;
    const tnt_hs_msg *msg; /* in the pool */
    tnt_hs_part *parts;    /* in the pool */
    uint32_t n_parts;
} seen_msg;

/* And of each record: the frame that completed it. */
typedef struct seen_rec {
    tnt_dir dir;
    uint64_t stream_off, frame;
} seen_rec;

typedef struct app {
    block *pool;
    tnt_allocator mem;
    uint64_t frame;
    seen_msg *msgs;
    size_t n_msgs;
    seen_rec *recs;
    size_t n_recs;
    bool printed;
} app;

static void *grow(void *v, size_t n, size_t sz)
{
    /* Doubling at powers of two; a failure ends the example. */
    if (n & (n - 1))
        return v;
    void *p = realloc(v, (n ? 2 * n : 1) * sz);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

static void on_record(void *user, tnt_dir dir, const tnt_record_event *ev)
{
    app *a = user;
    a->recs = grow(a->recs, a->n_recs, sizeof(*a->recs));
    a->recs[a->n_recs++] = (seen_rec){dir, ev->rec->stream_off, a->frame};
}

static void on_message(void *user, tnt_dir dir, const tnt_message_event *ev)
{
    app *a = user;
    if (!ev->msg || !ev->piece)
        return;
    a->msgs = grow(a->msgs, a->n_msgs, sizeof(*a->msgs));
    seen_msg *m = &a->msgs[a->n_msgs++];
    *m = (seen_msg){ev->seq, a->frame, dir, ev->msg, NULL, ev->piece->n_parts};
    m->parts = pool_alloc(&a->pool, ev->piece->n_parts * sizeof(*m->parts));
    if (m->parts)
        memcpy(m->parts, ev->piece->parts, ev->piece->n_parts * sizeof(*m->parts));
    else
        m->n_parts = 0;
}

static const seen_msg *find_msg(const app *a, uint64_t seq)
{
    for (size_t i = 0; i < a->n_msgs; i++)
        if (a->msgs[i].seq == seq)
            return &a->msgs[i];
    return NULL;
}

static uint64_t record_frame(const app *a, tnt_dir dir, uint64_t stream_off)
{
    for (size_t i = 0; i < a->n_recs; i++)
        if (a->recs[i].dir == dir && a->recs[i].stream_off == stream_off)
            return a->recs[i].frame;
    return 0;
}

static const char *side(tnt_dir d)
{
    return d == TNT_C2S ? "C>S" : "S>C";
}

/* One span of a message, and the record pieces its bytes lie in. */
static void print_span(const app *a, const seen_msg *m, const char *what, tnt_span s)
{
    printf("  %-22s message %llu [%u, %u)", what, (unsigned long long)m->seq, s.off, s.off + s.len);
    uint32_t start = 0;
    const char *sep = " =";
    for (uint32_t i = 0; i < m->n_parts; i++) {
        const tnt_hs_part *p = &m->parts[i];
        uint32_t lo = s.off > start ? s.off : start;
        uint32_t hi = s.off + s.len < start + p->len ? s.off + s.len : start + p->len;
        if (lo < hi) {
            printf("%s record %s@%llu (frame %llu) plaintext [%u, %u)", sep, side(m->dir),
                   (unsigned long long)p->record_off,
                   (unsigned long long)record_frame(a, m->dir, p->record_off),
                   p->off + (lo - start), p->off + (hi - start));
            sep = " +";
        }
        start += p->len;
    }
    printf("\n");
}

static void print_message(const app *a, const seen_msg *m, const char *name)
{
    printf("%s: message %llu, %s, completed by frame %llu, %u bytes in %u piece%s\n", name,
           (unsigned long long)m->seq, side(m->dir), (unsigned long long)m->frame, m->msg->raw_len,
           m->n_parts, m->n_parts == 1 ? "" : "s");
    for (uint32_t i = 0; i < m->n_parts; i++)
        printf("  piece %u: record %s@%llu (frame %llu) plaintext [%u, %u)\n", i, side(m->dir),
               (unsigned long long)m->parts[i].record_off,
               (unsigned long long)record_frame(a, m->dir, m->parts[i].record_off), m->parts[i].off,
               m->parts[i].off + m->parts[i].len);
}

static void print_round3(app *a, const tnt_verdict_event *ev)
{
    const tnt_nego_hs *h = ev->hs;
    for (uint32_t i = 0; i < h->n_creds; i++) {
        const tnt_nego_cred *c = &h->creds[i];
        if (c->round != 3)
            continue;
        const seen_msg *m = find_msg(a, c->msg_seq);
        if (!m)
            continue;
        a->printed = true;
        printf("handshake %u settled at frame %llu by message %llu (%s): trust %s, outcome %s\n",
               h->index, (unsigned long long)ev->frame, (unsigned long long)ev->msg_seq,
               side(ev->dir), h->trust_established ? "established" : "not established",
               tnt_nego_outcome_name(h->outcome));
        printf("round 3 credential #%u \"%s\" from the %s, proof %s, chain %s\n", c->index, c->type,
               c->sender == TNT_C2S ? "client" : "server", tnt_proof_result_name(c->proof),
               tnt_chain_status_name(c->chain));
        print_message(a, m, "TNTNegotiation");
        print_span(a, m, "header", m->msg->type_f.at);
        print_span(a, m, "length", m->msg->length_f.at);
        print_span(a, m, "credentials", h->rounds[c->round_index].creds_at);
        print_span(a, m, "credential", c->at);
        print_span(a, m, "type", c->wire.type.whole);
        print_span(a, m, "type (value)", c->wire.type.at);
        print_span(a, m, "chain", c->wire.chain_whole);
        print_span(a, m, "chain (certificates)", c->wire.chain_at);
        for (uint32_t k = 0; k < c->wire.n_certs; k++) {
            char what[40];
            snprintf(what, sizeof what, "certificate %u", k);
            print_span(a, m, what, c->wire.certs[k].whole);
            snprintf(what, sizeof what, "certificate %u (DER)", k);
            print_span(a, m, what, c->wire.certs[k].at);
        }
        const seen_msg *p = c->proof_msg_seq ? find_msg(a, c->proof_msg_seq) : NULL;
        if (p) {
            print_message(a, p, "TNTProof");
            print_span(a, p, "ownership proof", c->proof_at);
        }
    }
}

static void on_verdict(void *user, const tnt_verdict_event *ev)
{
    app *a = user;
    if (ev->kind == TNT_VERDICT_HANDSHAKE && !a->printed)
        print_round3(a, ev);
}

static const tnt_conn_events events = {on_record, on_message, NULL, on_verdict};

/* The TCP payload of an Ethernet frame, and its direction and sequence
 * number; false for anything else. The first SYN's sender is the client. */
typedef struct tcp_seg {
    const uint8_t *payload;
    size_t len;
    uint32_t seq;
    uint16_t sport, dport;
    bool syn;
} tcp_seg;

static bool parse(const uint8_t *p, size_t n, tcp_seg *s)
{
    if (n < 14)
        return false;
    uint16_t et = (uint16_t)(p[12] << 8 | p[13]);
    p += 14;
    n -= 14;
    size_t ip_len;
    if (et == 0x0800 && n >= 20 && p[9] == 6) {
        ip_len = (size_t)(p[0] & 15) * 4;
        size_t total = (size_t)(p[2] << 8 | p[3]);
        if (total < n)
            n = total;
    } else if (et == 0x86dd && n >= 40 && p[6] == 6) {
        ip_len = 40;
    } else {
        return false;
    }
    if (n < ip_len + 20)
        return false;
    p += ip_len;
    n -= ip_len;
    size_t th = (size_t)(p[12] >> 4) * 4;
    if (th < 20 || n < th)
        return false;
    s->sport = (uint16_t)(p[0] << 8 | p[1]);
    s->dport = (uint16_t)(p[2] << 8 | p[3]);
    s->seq = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    s->syn = p[13] & 2;
    s->payload = p + th;
    s->len = n - th;
    return true;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: credential_spans CAPTURE KEYLOG\n");
        return 2;
    }
    app a = {0};
    a.mem = (tnt_allocator){pool_alloc, &a.pool};
    tnt_keys *keys = tnt_keys_new();
    FILE *kf = fopen(argv[2], "rb");
    if (!kf) {
        perror(argv[2]);
        return 1;
    }
    static uint8_t kbuf[1 << 20];
    size_t klen = fread(kbuf, 1, sizeof kbuf, kf);
    fclose(kf);
    tnt_keylog_load_buffer(keys->keylog, argv[2], kbuf, klen, NULL, NULL, NULL);

    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(argv[1], err);
    if (!pc) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    tnt_conn_options opt = {.keys = keys, .negotiation = true, .conn_id = 1, .keep = &a.mem};
    tnt_conn *conn = tnt_conn_new(&events, &a, &opt);
    uint16_t client_port = 0, server_port = 0;
    uint32_t next[2] = {0, 0};
    bool started[2] = {false, false};
    struct pcap_pkthdr *h;
    const u_char *pkt;
    while (pcap_next_ex(pc, &h, &pkt) == 1) {
        a.frame++;
        tcp_seg s;
        if (!parse(pkt, h->caplen, &s))
            continue;
        if (!client_port && s.syn) {
            client_port = s.sport;
            server_port = s.dport;
        }
        tnt_dir d;
        if (s.sport == client_port && s.dport == server_port)
            d = TNT_C2S;
        else if (s.sport == server_port && s.dport == client_port)
            d = TNT_S2C;
        else
            continue;
        if (s.syn) {
            next[d] = s.seq + 1;
            started[d] = true;
            continue;
        }
        if (!started[d] || s.len == 0)
            continue;
        if (s.seq != next[d]) {
            fprintf(stderr, "frame %llu: segment out of order\n", (unsigned long long)a.frame);
            continue;
        }
        next[d] += (uint32_t)s.len;
        tnt_conn_set_frame(conn, a.frame);
        tnt_conn_feed(conn, d, s.payload, s.len);
    }
    pcap_close(pc);
    if (!a.printed)
        printf("no verdict on a round 3 credential\n");
    tnt_conn_finish(conn);
    tnt_conn_free(conn);
    tnt_keys_free(keys);
    free(a.msgs);
    free(a.recs);
    pool_free(a.pool);
    return a.printed ? 0 : 1;
}
