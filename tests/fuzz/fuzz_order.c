/* Fuzz target: the order of the two directions (capture/tcp_reassembly.c).
 *
 * Input: a conversation the harness sends as two TCP endpoints would, then
 * captures in a scrambled order. Bytes: for each turn a header byte (bit 0
 * the sender, bits 1-7 the length / 4 + 1) and then that many payload bytes
 * (fewer at the end); every segment carries the ACK of all the peer's bytes
 * its sender has received (the turns before it). The rest of the input, or
 * nothing, permutes the capture: each byte swaps the packet at its index
 * with a neighbour a few places on, moves one late, or duplicates one.
 *
 * Checked, with every packet in the capture (so nothing is really lost):
 * each direction delivers exactly its stream, with no gap; and no byte is
 * delivered before the peer's bytes that its segment ACKs (send order),
 * whatever the capture order was. */
#include "fuzz_common.h"

#include "tcp_reassembly.h"

#define MAX_PKTS 256
#define MAX_STREAM 8192

typedef struct pkt {
    int dir;
    uint32_t seq, ack;
    uint8_t flags;
    size_t off, len; /* in its direction's stream */
} pkt;

typedef struct state {
    uint8_t stream[2][MAX_STREAM];
    size_t len[2];
    uint64_t dep[2][MAX_STREAM]; /* peer bytes its segment ACKed */
    size_t got[2];
    bool gap, opened, closed;
} state;

static state S;

static void *on_open(void *user, const tnt_conn_info *info)
{
    (void)info;
    FUZZ_ASSERT(!S.opened);
    S.opened = true;
    return user;
}

static void on_data(void *conn, int dir, const uint8_t *data, size_t len, uint64_t frame,
                    tnt_cap_ts ts)
{
    (void)conn, (void)frame, (void)ts;
    FUZZ_ASSERT(S.got[dir] + len <= S.len[dir]);
    FUZZ_ASSERT(memcmp(S.stream[dir] + S.got[dir], data, len) == 0);
    for (size_t i = 0; i < len; i++)
        FUZZ_ASSERT(S.dep[dir][S.got[dir] + i] <= S.got[!dir]);
    S.got[dir] += len;
}

static void on_gap(void *conn, int dir, uint64_t bytes, uint64_t frame, tnt_cap_ts ts)
{
    (void)conn, (void)dir, (void)bytes, (void)frame, (void)ts;
    S.gap = true;
}

static void on_close(void *conn, tnt_close_reason r, uint64_t f, tnt_cap_ts ts)
{
    (void)conn, (void)r, (void)f, (void)ts;
    S.closed = true;
}

static void capture_pkt(tnt_tcp_table *t, const pkt *p, uint64_t frame, const uint8_t *payload)
{
    static const uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
    tnt_tcp_segment s;
    memset(&s, 0, sizeof s);
    s.family = 4;
    memcpy(s.src, p->dir ? b : a, 4);
    memcpy(s.dst, p->dir ? a : b, 4);
    s.sport = p->dir ? 443 : 40000;
    s.dport = p->dir ? 40000 : 443;
    s.seq = p->seq;
    s.ack = p->ack;
    s.flags = p->flags;
    s.payload = payload;
    s.len = p->len;
    tnt_cap_ts ts = {1000 + (int64_t)frame, 0};
    tnt_tcp_input(t, &s, frame, ts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&S, 0, sizeof S);
    static pkt pk[MAX_PKTS + 8];
    size_t n = 0, i = 0;
    const uint32_t isn[2] = {1000, 700000};
    /* the handshake */
    pk[n++] = (pkt){0, isn[0], 0, TNT_TCP_SYN, 0, 0};
    pk[n++] = (pkt){1, isn[1], isn[0] + 1, TNT_TCP_SYN | TNT_TCP_ACK, 0, 0};
    pk[n++] = (pkt){0, isn[0] + 1, isn[1] + 1, TNT_TCP_ACK, 0, 0};
    size_t turns_end = size;
    while (i < size && n < MAX_PKTS) {
        int dir = data[i] & 1;
        size_t len = (size_t)(data[i] >> 1) / 4 + 1;
        i++;
        if (len > size - i)
            len = size - i;
        if (len == 0 || S.len[dir] + len > MAX_STREAM) {
            turns_end = i;
            break;
        }
        memcpy(S.stream[dir] + S.len[dir], data + i, len);
        for (size_t k = 0; k < len; k++)
            S.dep[dir][S.len[dir] + k] = S.len[!dir];
        pk[n++] = (pkt){dir,
                        isn[dir] + 1 + (uint32_t)S.len[dir],
                        isn[!dir] + 1 + (uint32_t)S.len[!dir],
                        TNT_TCP_ACK | TNT_TCP_PSH,
                        S.len[dir],
                        len};
        S.len[dir] += len;
        i += len;
        turns_end = i;
        /* the rest permutes: a byte 0xff ends the turns */
        if (i < size && data[i] == 0xff) {
            i++;
            turns_end = i;
            break;
        }
    }
    /* The permutation, after the three-way handshake: an ACK is evidence
     * only once the peer's initial sequence number is known (a data segment
     * before the SYN-ACK has nothing to measure its ACK against). */
    size_t order[MAX_PKTS + 8];
    for (size_t k = 0; k < n; k++)
        order[k] = k;
    for (size_t j = turns_end; j < size && n > 4; j++) {
        size_t at = 3 + data[j] % (n - 3);
        size_t by = 1 + (data[j] >> 6);
        size_t to = at + by < n ? at + by : n - 1;
        size_t x = order[at];
        memmove(order + at, order + at + 1, (to - at) * sizeof *order);
        order[to] = x;
    }
    tnt_capture_callbacks cb = {NULL, on_open, on_data, on_gap, on_close, NULL, NULL, NULL, NULL};
    tnt_tcp_table *t = tnt_tcp_new(&cb, NULL);
    if (!t)
        return 0;
    for (size_t k = 0; k < n; k++) {
        const pkt *p = &pk[order[k]];
        capture_pkt(t, p, k + 1, S.stream[p->dir] + p->off);
    }
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
    FUZZ_ASSERT(S.opened && S.closed);
    FUZZ_ASSERT(!S.gap);
    FUZZ_ASSERT(S.got[0] == S.len[0] && S.got[1] == S.len[1]);
    return 0;
}
