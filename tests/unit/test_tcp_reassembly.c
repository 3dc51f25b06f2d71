/* TCP reassembly fed with crafted segments: every test checks the exact bytes
 * delivered per direction and the exact gap/close events. */
#include "check.h"

/* capture/ is not part of tntcore, so the unit under test is compiled in. */
#include "tcp_reassembly.c"

#define MAXC 8

typedef struct rec_conn {
    tnt_conn_info info;
    uint8_t stream[2][4096];
    size_t len[2];
    char events[2048]; /* "D0:5@3 G1:100@7 C:fin@9" */
    bool closed;
    tnt_close_reason reason;
} rec_conn;

static rec_conn conns[MAXC];
static int nconns;
static int ndiags;

static void ev(rec_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ev(rec_conn *c, const char *fmt, ...)
{
    size_t n = strlen(c->events);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->events + n, sizeof c->events - n, fmt, ap);
    va_end(ap);
}

static void *on_open(void *user, const tnt_conn_info *info)
{
    (void)user;
    rec_conn *c = &conns[nconns++];
    memset(c, 0, sizeof *c);
    c->info = *info;
    return c;
}

static void on_data(void *conn, int dir, const uint8_t *p, size_t n, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    rec_conn *c = conn;
    CHECK(c->len[dir] + n <= sizeof c->stream[dir]);
    if (c->len[dir] + n <= sizeof c->stream[dir]) {
        memcpy(c->stream[dir] + c->len[dir], p, n);
        c->len[dir] += n;
    }
    ev(c, "D%d:%zu@%llu ", dir, n, (unsigned long long)frame);
}

static void on_gap(void *conn, int dir, uint64_t n, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    ev(conn, "G%d:%llu@%llu ", dir, (unsigned long long)n, (unsigned long long)frame);
}

static void on_close(void *conn, tnt_close_reason r, uint64_t frame, tnt_cap_ts ts)
{
    (void)ts;
    rec_conn *c = conn;
    CHECK(!c->closed);
    c->closed = true;
    c->reason = r;
    ev(c, "C:%s@%llu", tnt_close_reason_name(r), (unsigned long long)frame);
}

static void on_diag(void *user, uint64_t frame, const char *text)
{
    (void)user;
    (void)frame;
    (void)text;
    ndiags++;
}

static int norder;
static void on_order(void *conn, uint64_t frame)
{
    (void)conn, (void)frame;
    norder++;
}

static const tnt_capture_callbacks cbs = {NULL,    on_open, on_data, on_gap,  on_close,
                                          on_diag, NULL,    NULL,    on_order};

static tnt_tcp_table *fresh(const tnt_tcp_limits *lim)
{
    memset(conns, 0, sizeof conns);
    nconns = 0;
    ndiags = 0;
    return tnt_tcp_new(&cbs, lim);
}

static const uint8_t A_ADDR[4] = {10, 0, 0, 1}, B_ADDR[4] = {10, 0, 0, 2};
static uint64_t frame_no;
static int64_t now_sec = 1000;

/* from_a: 10.0.0.1:pa -> 10.0.0.2:pb, else the reverse. */
static void tx(tnt_tcp_table *t, bool from_a, uint16_t pa, uint16_t pb, uint32_t seq, uint32_t ack,
               uint8_t flags, const char *data, size_t missing)
{
    tnt_tcp_segment s;
    memset(&s, 0, sizeof s);
    s.family = 4;
    memcpy(s.src, from_a ? A_ADDR : B_ADDR, 4);
    memcpy(s.dst, from_a ? B_ADDR : A_ADDR, 4);
    s.sport = from_a ? pa : pb;
    s.dport = from_a ? pb : pa;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.payload = (const uint8_t *)data;
    s.len = data ? strlen(data) : 0;
    s.missing = missing;
    tnt_cap_ts ts = {now_sec, 0};
    tnt_tcp_input(t, &s, ++frame_no, ts);
}

/* Client 10.0.0.1:40000, server 10.0.0.2:443. */
#define C2S(t, seq, ack, fl, d) tx(t, true, 40000, 443, seq, ack, fl, d, 0)
#define S2C(t, seq, ack, fl, d) tx(t, false, 40000, 443, seq, ack, fl, d, 0)
#define ACK TNT_TCP_ACK
#define SYN TNT_TCP_SYN
#define FIN TNT_TCP_FIN
#define RST TNT_TCP_RST

static void handshake(tnt_tcp_table *t, uint32_t cisn, uint32_t sisn)
{
    C2S(t, cisn, 0, SYN, NULL);
    S2C(t, sisn, cisn + 1, SYN | ACK, NULL);
    C2S(t, cisn + 1, sisn + 1, ACK, NULL);
}

static void test_in_order(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 1000, 5000);
    C2S(t, 1001, 5001, ACK, "hello");
    S2C(t, 5001, 1006, ACK, "world!");
    C2S(t, 1006, 5007, ACK | FIN, NULL);
    S2C(t, 5007, 1007, ACK | FIN, NULL);
    C2S(t, 1007, 5008, ACK, NULL); /* last ACK: must not open a phantom connection */
    CHECK_EQ(nconns, 1);
    rec_conn *c = &conns[0];
    CHECK_EQ(c->info.id, 1);
    CHECK_EQ(c->info.family, 4);
    CHECK_MEM(c->info.client_addr, A_ADDR, 4);
    CHECK_MEM(c->info.server_addr, B_ADDR, 4);
    CHECK_EQ(c->info.client_port, 40000);
    CHECK_EQ(c->info.server_port, 443);
    CHECK(c->info.syn_seen);
    CHECK_EQ(c->info.first_frame, 1);
    CHECK_EQ(c->len[0], 5);
    CHECK_MEM(c->stream[0], "hello", 5);
    CHECK_EQ(c->len[1], 6);
    CHECK_MEM(c->stream[1], "world!", 6);
    CHECK_STR(c->events, "D0:5@4 D1:6@5 C:fin@7");
    CHECK_EQ(tnt_tcp_conn_count(t), 1); /* remembered while lingering */
    tnt_tcp_finish(t);
    CHECK_EQ(nconns, 1);
    tnt_tcp_free(t);
}

static void test_reordered(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    S2C(t, 211, 101, ACK, "CCCCC"); /* frame 4: [10,15) */
    S2C(t, 206, 101, ACK, "BBBBB"); /* frame 5: [5,10) */
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 10);
    S2C(t, 201, 101, ACK, "AAAAA"); /* frame 6: fills the hole */
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 0);
    rec_conn *c = &conns[0];
    CHECK_EQ(c->len[1], 15);
    CHECK_MEM(c->stream[1], "AAAAABBBBBCCCCC", 15);
    CHECK_STR(c->events, "D1:5@6 D1:5@6 D1:5@6 ");
    tnt_tcp_finish(t);
    CHECK_STR(c->events, "D1:5@6 D1:5@6 D1:5@6 C:end-of-input@6");
    tnt_tcp_free(t);
}

static void test_duplicates_and_overlaps(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    C2S(t, 101, 201, ACK, "0123456789");
    C2S(t, 101, 201, ACK, "0123456789"); /* exact duplicate */
    C2S(t, 106, 201, ACK, "xxxxxABCDE"); /* overlaps delivered bytes: first wins */
    /* held out of order, then a later copy overlapping it: first wins */
    C2S(t, 121, 201, ACK, "KKKKKKKKKK"); /* [20,30) */
    C2S(t, 126, 201, ACK, "zzzzzLLLLL"); /* [25,35): only [30,35) is new */
    C2S(t, 116, 201, ACK, "FGHIJyyyyy"); /* in order [15,25): [20,25) already held */
    rec_conn *c = &conns[0];
    CHECK_EQ(c->len[0], 35);
    CHECK_MEM(c->stream[0], "0123456789ABCDEFGHIJKKKKKKKKKKLLLLL", 35);
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 0);
    /* old retransmission and a keep-alive (seq - 1) change nothing */
    C2S(t, 101, 201, ACK, "0123");
    C2S(t, 135, 201, ACK, "");
    CHECK_EQ(c->len[0], 35);
    CHECK_STR(c->events, "D0:10@4 D0:5@6 D0:5@9 D0:10@9 D0:5@9 ");
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
}

/* A segment that turns up after the peer ACKed it is data, not a gap. */
static void test_late_after_ack(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    char buf[101];
    memset(buf, 'a', 100);
    buf[100] = 0;
    S2C(t, 201, 101, ACK, buf); /* frame 4: [0,100) */
    memset(buf, 'c', 100);
    S2C(t, 401, 101, ACK, buf); /* frame 5: [200,300); [100,200) not yet here */
    rec_conn *c = &conns[0];
    CHECK_EQ(c->len[1], 100);
    C2S(t, 101, 501, ACK, NULL); /* frame 6: the client got it all */
    CHECK_EQ(c->len[1], 100);
    memset(buf, 'b', 100);
    S2C(t, 301, 101, ACK, buf); /* frame 7: the late segment */
    CHECK_EQ(c->len[1], 300);
    CHECK_EQ(c->stream[1][100], 'b');
    CHECK_EQ(c->stream[1][200], 'c');
    CHECK_STR(c->events, "D1:100@4 D1:100@7 D1:100@7 ");
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 0);
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
}

/* ...and a segment that never turns up is a gap at the end. */
static void test_drop_gap_by_ack(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    char buf[101];
    memset(buf, 'a', 100);
    buf[100] = 0;
    S2C(t, 201, 101, ACK, buf); /* frame 4: [0,100) */
    memset(buf, 'c', 100);
    S2C(t, 401, 101, ACK, buf); /* frame 5: [200,300); [100,200) never captured */
    rec_conn *c = &conns[0];
    C2S(t, 101, 501, ACK, NULL); /* frame 6 */
    CHECK_EQ(c->len[1], 100);
    tnt_tcp_finish(t);
    CHECK_EQ(c->len[1], 200);
    CHECK_EQ(c->stream[1][99], 'a');
    CHECK_EQ(c->stream[1][100], 'c');
    /* the hole shows where the bytes after it came */
    CHECK_STR(c->events, "D1:100@4 G1:100@5 D1:100@5 C:end-of-input@6");
    tnt_tcp_free(t);
}

/* The client's bytes that the server's answer ACKs come first, whatever
 * order the capture has them in. */
static void test_cross_direction_order(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    C2S(t, 101, 201, ACK, "hello");  /* frame 4: [0,5) */
    S2C(t, 201, 111, ACK, "answer"); /* frame 5: answers up to client [0,10) */
    rec_conn *c = &conns[0];
    CHECK_EQ(c->len[1], 0);         /* waits for the client's [5,10) */
    C2S(t, 106, 201, ACK, "world"); /* frame 6 */
    CHECK_EQ(c->len[0], 10);
    CHECK_EQ(c->len[1], 6);
    CHECK_STR(c->events, "D0:5@4 D0:5@6 D1:6@6 ");
    /* Concurrent bytes (neither ACKs the other) keep the capture's order. */
    S2C(t, 207, 111, ACK, "x"); /* frame 7 */
    C2S(t, 111, 207, ACK, "y"); /* frame 8 */
    CHECK_STR(c->events, "D0:5@4 D0:5@6 D1:6@6 D1:1@7 D0:1@8 ");
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
}

/* docs/robustness.md: max_ooo_bytes per direction are held out of order;
 * one byte more gives up on the oldest hole. */
static void test_ooo_limit(void)
{
    tnt_tcp_limits lim;
    tnt_tcp_default_limits(&lim);
    lim.max_ooo_bytes = 10;
    tnt_tcp_table *t = fresh(&lim);
    frame_no = 0;
    handshake(t, 100, 200);
    C2S(t, 106, 201, ACK, "FGHIJKLMNO"); /* [5,15): exactly the budget */
    rec_conn *c = &conns[0];
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 10);
    CHECK_STR(c->events, "");
    C2S(t, 101, 201, ACK, "ABCDE"); /* the hole fills: all of it is data */
    CHECK_EQ(c->len[0], 15);
    CHECK_STR(c->events, "D0:5@5 D0:10@5 ");
    C2S(t, 121, 201, ACK, "UVWXYZabcd"); /* [20,30): at the budget again */
    CHECK_EQ(c->len[0], 15);
    C2S(t, 131, 201, ACK, "e"); /* [30,31): one past it: [15,20) is a gap */
    CHECK_EQ(c->len[0], 26);
    CHECK_STR(c->events, "D0:5@5 D0:10@5 G0:5@7 D0:10@7 D0:1@7 ");
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 0);
    tnt_tcp_finish(t);
    CHECK_EQ(c->len[0], 26);
    tnt_tcp_free(t);
}

/* Each side ACKs bytes the other sent only after: no order fits, so the
 * capture's is used and the consumer is told, once. */
static void test_contradicting_acks(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    norder = 0;
    handshake(t, 100, 200);
    S2C(t, 201, 106, ACK, "srv"); /* frame 4: claims client [0,5) first */
    C2S(t, 101, 204, ACK, "cli"); /* frame 5: [0,3), claims server [0,3) first */
    C2S(t, 104, 204, ACK, "ent"); /* frame 6: [3,6) */
    rec_conn *c = &conns[0];
    CHECK_EQ(norder, 1);
    CHECK_EQ(c->len[0], 6);
    CHECK_EQ(c->len[1], 3);
    CHECK_STR(c->events, "D1:3@5 D0:3@5 D0:3@6 ");
    tnt_tcp_finish(t);
    CHECK_EQ(norder, 1);
    tnt_tcp_free(t);
}

/* Timestamps decades ahead, then back: labels only. */
static void test_bad_clock(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    int64_t saved = now_sec;
    handshake(t, 100, 200);
    C2S(t, 101, 201, ACK, "abc");
    now_sec += 40LL * 365 * 86400;
    S2C(t, 201, 104, ACK, "def");
    now_sec = saved - 30LL * 365 * 86400;
    C2S(t, 104, 204, ACK, "ghi");
    now_sec = saved + 1;
    S2C(t, 204, 107, ACK, "jkl");
    CHECK_EQ(nconns, 1);
    CHECK(!conns[0].closed);
    CHECK_EQ(conns[0].len[0], 6);
    CHECK_EQ(conns[0].len[1], 6);
    CHECK_EQ(ndiags, 1); /* "not monotonic", once */
    tnt_tcp_finish(t);
    CHECK_EQ(conns[0].reason, TNT_CLOSE_END_OF_INPUT);
    tnt_tcp_free(t);
    now_sec = saved + 1;
}

static void test_drop_gap_at_end(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    S2C(t, 201, 101, ACK, "12345");
    S2C(t, 216, 101, ACK, "ABCDE"); /* [15,20): 10 bytes missing before */
    S2C(t, 221, 101, ACK | FIN, NULL);
    S2C(t, 231, 101, ACK, "ZZ"); /* beyond the FIN: not stream data */
    rec_conn *c = &conns[0];
    tnt_tcp_finish(t);
    CHECK_STR(c->events, "D1:5@4 G1:10@5 D1:5@5 C:end-of-input@7");
    CHECK_EQ(c->len[1], 10);
    CHECK_MEM(c->stream[1], "12345ABCDE", 10);
    tnt_tcp_free(t);

    /* A hole up to a FIN, nothing held: the FIN's position says how much. */
    t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    S2C(t, 201, 101, ACK, "12345");
    S2C(t, 230, 101, ACK | FIN, NULL); /* 24 bytes never seen */
    tnt_tcp_finish(t);
    CHECK_STR(conns[0].events, "D1:5@4 G1:24@5 C:end-of-input@5");
    tnt_tcp_free(t);
}

static void test_rst(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    C2S(t, 101, 201, ACK, "abc");
    C2S(t, 110, 201, ACK, "xyz");  /* [9,12) held behind a 6-byte hole */
    S2C(t, 201, 0, RST, NULL);     /* frame 6: the server stops */
    S2C(t, 201, 0, ACK, "no");     /* the RST's sender sends nothing more: ignored */
    C2S(t, 113, 201, ACK, "late"); /* frame 8: the client's data in flight still counts */
    CHECK_EQ(nconns, 1);
    CHECK_STR(conns[0].events, "D0:3@4 ");
    /* RST_LINGER seconds of capture time later, the connection closes. */
    now_sec += 3;
    C2S(t, 117, 201, ACK, "x"); /* frame 9: past the linger; a straggler */
    now_sec -= 3;
    CHECK_STR(conns[0].events, "D0:3@4 G0:6@5 D0:3@5 D0:4@8 C:rst@8");
    CHECK_EQ(nconns, 1);
    /* A new SYN on the same 4-tuple is a new connection. */
    C2S(t, 9000, 0, SYN, NULL);
    CHECK_EQ(nconns, 2);
    CHECK_EQ(conns[1].info.id, 2);
    CHECK(conns[1].info.syn_seen);
    tnt_tcp_finish(t);
    CHECK_STR(conns[1].events, "C:end-of-input@10");
    tnt_tcp_free(t);
}

static void test_rst_both_sides(void)
{
    /* Both sides reset: closed at once, no linger. */
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    C2S(t, 101, 201, ACK, "abc");
    S2C(t, 201, 0, RST, NULL);
    C2S(t, 104, 0, RST, NULL);
    CHECK_STR(conns[0].events, "D0:3@4 C:rst@6");
    tnt_tcp_free(t);
}

static void test_no_syn_and_roles(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    /* Mid-stream: first packet from the server port; start at its seq. */
    S2C(t, 777777, 5555, ACK | TNT_TCP_PSH, "srv");
    C2S(t, 5555, 777780, ACK, "cli");
    rec_conn *c = &conns[0];
    CHECK(!c->info.syn_seen);
    CHECK_EQ(c->info.client_port, 40000);
    CHECK_EQ(c->info.server_port, 443);
    CHECK_MEM(c->info.client_addr, A_ADDR, 4);
    CHECK_MEM(c->stream[1], "srv", 3);
    CHECK_MEM(c->stream[0], "cli", 3);
    CHECK_STR(c->events, "D1:3@1 D0:3@2 ");

    /* SYN-ACK first: its receiver is the client (port 8080 is no hint). */
    tx(t, false, 50000, 8080, 10, 21, SYN | ACK, NULL, 0);
    CHECK_EQ(conns[1].info.client_port, 50000);
    CHECK_EQ(conns[1].info.server_port, 8080);
    CHECK(conns[1].info.syn_seen);
    /* Both ports high and unknown: the first sender is the client. */
    tx(t, false, 50001, 50002, 10, 0, ACK, "x", 0);
    CHECK_EQ(conns[2].info.client_port, 50002);
    CHECK_MEM(conns[2].info.client_addr, B_ADDR, 4);
    /* Well-known TLS port above 1024. */
    tx(t, true, 8443, 50003, 10, 0, ACK, "x", 0);
    CHECK_EQ(conns[3].info.server_port, 8443);
    CHECK_MEM(conns[3].info.server_addr, A_ADDR, 4);
    /* Both ports privileged: the first sender is the client. */
    tx(t, true, 993, 995, 10, 0, ACK, "x", 0);
    CHECK_EQ(conns[4].info.client_port, 993);
    /* A SYN sender is the client whatever the ports. */
    tx(t, true, 443, 50004, 10, 0, SYN, NULL, 0);
    CHECK_EQ(conns[5].info.client_port, 443);
    CHECK_EQ(nconns, 6);

    /* Mid-stream where the peer's ACK says where the stream stands: the
     * first captured segment is the second one sent. */
    tx(t, true, 50010, 443, 100, 9000, ACK, NULL, 0);
    tx(t, false, 50010, 443, 9005, 100, ACK, "world", 0);
    tx(t, false, 50010, 443, 9000, 100, ACK, "hello", 0);
    CHECK_EQ(conns[6].len[1], 10);
    CHECK_MEM(conns[6].stream[1], "helloworld", 10);
    tnt_tcp_finish(t);
    for (int i = 0; i < nconns; i++)
        CHECK(conns[i].closed && conns[i].reason == TNT_CLOSE_END_OF_INPUT);
    tnt_tcp_free(t);
}

static void test_wraparound(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 0xFFFFFFF0u, 0x7FFFFFFFu);
    /* stream starts at seq 0xFFFFFFF1: 15 bytes before the wrap */
    C2S(t, 0x00000009u, 0x80000000u, ACK, "after-wrap");              /* [24,34) held */
    C2S(t, 0xFFFFFFF1u, 0x80000000u, ACK, "0123456789abcdefghijklm"); /* [0,23) */
    C2S(t, 0x00000008u, 0x80000000u, ACK, "!");                       /* [23,24) fills */
    rec_conn *c = &conns[0];
    CHECK_EQ(c->len[0], 34);
    CHECK_MEM(c->stream[0], "0123456789abcdefghijklm!after-wrap", 34);
    /* server direction wraps 2^31 -> past the sign boundary */
    S2C(t, 0x80000000u, 0x00000013u, ACK, "S");
    CHECK_EQ(c->len[1], 1);
    C2S(t, 0x00000013u, 0x80000001u, ACK | FIN, NULL);
    S2C(t, 0x80000001u, 0x00000014u, ACK | FIN, NULL);
    CHECK(c->closed);
    CHECK_EQ(c->reason, TNT_CLOSE_FIN);
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
}

static void test_memory_bound(void)
{
    tnt_tcp_limits lim;
    tnt_tcp_default_limits(&lim);
    lim.max_ooo_bytes = 1000;
    tnt_tcp_table *t = fresh(&lim);
    frame_no = 0;
    handshake(t, 100, 200);
    char buf[101];
    memset(buf, 'q', 100);
    buf[100] = 0;
    /* [0,50) lost; 100-byte segments from 50 on */
    size_t max_held = 0;
    for (int i = 0; i < 15; i++) {
        C2S(t, 101 + 50 + 100 * i, 201, ACK, buf);
        if (tnt_tcp_ooo_bytes(t) > max_held)
            max_held = tnt_tcp_ooo_bytes(t);
    }
    rec_conn *c = &conns[0];
    CHECK(max_held <= 1000);
    CHECK_EQ(max_held, 1000);
    /* The 11th segment did not fit: the 50-byte hole was given up on (frame
     * 14), the 10 held segments delivered, and delivery went on in order. */
    CHECK_EQ(c->len[0], 1500);
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 0);
    CHECK(strncmp(c->events, "G0:50@14 D0:100@14 ", 19) == 0);
    tnt_tcp_finish(t);
    tnt_tcp_free(t);

    /* Segment count bound. */
    lim.max_ooo_bytes = 1u << 20;
    lim.max_ooo_segments = 4;
    t = fresh(&lim);
    frame_no = 0;
    handshake(t, 100, 200);
    for (int i = 0; i < 6; i++)
        C2S(t, 111 + 2 * i, 201, ACK, "x"); /* 1-byte runs with 1-byte holes */
    /* 5th run: gives up the first hole (10 bytes) and delivers run 1. */
    CHECK(strncmp(conns[0].events, "G0:10@8 D0:1@8 ", 15) == 0);
    CHECK(tnt_tcp_ooo_bytes(t) <= 4);
    tnt_tcp_finish(t);
    tnt_tcp_free(t);

    /* Global bound across connections. */
    tnt_tcp_default_limits(&lim);
    lim.max_ooo_total = 150;
    t = fresh(&lim);
    frame_no = 0;
    tx(t, true, 40001, 443, 1000, 0, SYN, NULL, 0);
    tx(t, true, 40002, 443, 1000, 0, SYN, NULL, 0);
    tx(t, true, 40001, 443, 1011, 0, ACK, buf, 0); /* conn 1 holds 100 */
    tx(t, true, 40002, 443, 1011, 0, ACK, buf, 0); /* conn 2 cannot: its hole gives way */
    CHECK_EQ(tnt_tcp_ooo_bytes(t), 100);
    CHECK_STR(conns[1].events, "G0:10@4 D0:100@4 ");
    tnt_tcp_finish(t);
    CHECK_STR(conns[0].events, "G0:10@3 D0:100@3 C:end-of-input@3");
    tnt_tcp_free(t);
}

static void test_snaplen_cut(void)
{
    tnt_tcp_table *t = fresh(NULL);
    frame_no = 0;
    handshake(t, 100, 200);
    tx(t, false, 40000, 443, 201, 101, ACK, "head", 96); /* 100-byte segment, 4 captured */
    tx(t, false, 40000, 443, 301, 101, ACK, "next", 0);
    CHECK_STR(conns[0].events, "D1:4@4 G1:96@4 D1:4@5 ");
    tnt_tcp_finish(t);
    tnt_tcp_free(t);
}

static void test_conn_bounds(void)
{
    tnt_tcp_limits lim;
    tnt_tcp_default_limits(&lim);
    lim.max_conns = 2;
    tnt_tcp_table *t = fresh(&lim);
    frame_no = 0;
    tx(t, true, 40001, 443, 1, 0, ACK, "a", 0);
    tx(t, true, 40002, 443, 1, 0, ACK, "b", 0);
    tx(t, true, 40003, 443, 1, 0, ACK, "c", 0);
    CHECK_EQ(tnt_tcp_conn_count(t), 2);
    CHECK(conns[0].closed);
    CHECK_EQ(conns[0].reason, TNT_CLOSE_EVICTED);
    CHECK_EQ(ndiags, 1);
    /* idle timeout, by capture time */
    now_sec += TNT_TCP_DEFAULT_IDLE_TIMEOUT / 2;
    tx(t, true, 40003, 443, 2, 0, ACK, "d", 0);
    CHECK(!conns[1].closed);
    now_sec += TNT_TCP_DEFAULT_IDLE_TIMEOUT / 2 + 1;
    tx(t, true, 40003, 443, 3, 0, ACK, "e", 0);
    CHECK(conns[1].closed);
    CHECK_EQ(conns[1].reason, TNT_CLOSE_IDLE);
    CHECK(!conns[2].closed);
    CHECK_EQ(conns[2].len[0], 3);
    tnt_tcp_finish(t);
    CHECK_EQ(conns[2].reason, TNT_CLOSE_END_OF_INPUT);
    tnt_tcp_free(t);
}

static void test_parse(void)
{
    uint8_t h[64];
    size_t n = check_unhex("c1f401bb 000003e8 000007d0 8018 ffff 0000 0000"
                           "0101080a00000001 00000002 6869",
                           h, sizeof h);
    tnt_tcp_segment s;
    const char *why = NULL;
    CHECK(tnt_tcp_parse(h, n, 0, &s, &why));
    CHECK_EQ(s.sport, 49652);
    CHECK_EQ(s.dport, 443);
    CHECK_EQ(s.seq, 1000);
    CHECK_EQ(s.ack, 2000);
    CHECK_EQ(s.flags, TNT_TCP_ACK | TNT_TCP_PSH);
    CHECK_EQ(s.len, 2);
    CHECK_MEM(s.payload, "hi", 2);
    for (size_t i = 0; i < 32; i++)
        CHECK(!tnt_tcp_parse(h, i, 0, &s, &why));
    CHECK(tnt_tcp_parse(h, 32, 0, &s, &why));
    CHECK_EQ(s.len, 0);
    h[12] = 0x40; /* data offset 4 */
    CHECK(!tnt_tcp_parse(h, n, 0, &s, &why));
    CHECK_STR(why, "TCP data offset below 5");
    h[12] = 0xF0; /* 60-byte header, longer than the segment */
    CHECK(!tnt_tcp_parse(h, n, 0, &s, &why));
    CHECK_STR(why, "truncated TCP options");
}

int main(void)
{
    test_in_order();
    test_reordered();
    test_duplicates_and_overlaps();
    test_late_after_ack();
    test_drop_gap_by_ack();
    test_cross_direction_order();
    test_bad_clock();
    test_ooo_limit();
    test_contradicting_acks();
    test_drop_gap_at_end();
    test_rst();
    test_rst_both_sides();
    test_no_syn_and_roles();
    test_wraparound();
    test_memory_bound();
    test_snaplen_cut();
    test_conn_bounds();
    test_parse();
    return check_done("test_tcp_reassembly");
}
