/* Tunnels (GTP-U, VXLAN, GRE, IP-in-IP) and link-layer encapsulations (MPLS,
 * PPPoE), through the whole packet decoder: crafted frame in, the inner TCP
 * connection's bytes out. */
#include "check.h"

#include <pcap/dlt.h>

/* capture/ is not part of tntcore, so the units under test are compiled in. */
#include "ip.c"
#include "link.c"
#include "packet.c"
#include "tcp_reassembly.c"
#include "tunnel.c"

static uint8_t stream[2][8192];
static size_t stream_len[2];
static int nopen, ndiag, nclose;
static char last_diag[512], first_diag[512];
static tnt_conn_info last_info;

static void *on_open(void *user, const tnt_conn_info *info)
{
    (void)user;
    nopen++;
    last_info = *info;
    return NULL;
}

static void on_data(void *conn, int dir, const uint8_t *p, size_t n, uint64_t frame, tnt_cap_ts ts)
{
    (void)conn;
    (void)frame;
    (void)ts;
    if (stream_len[dir] + n <= sizeof stream[dir]) {
        memcpy(stream[dir] + stream_len[dir], p, n);
        stream_len[dir] += n;
    }
}

static void on_close(void *conn, tnt_close_reason r, uint64_t frame, tnt_cap_ts ts)
{
    (void)conn;
    (void)r;
    (void)frame;
    (void)ts;
    nclose++;
}

static void on_diag(void *user, uint64_t frame, const char *text)
{
    (void)user;
    (void)frame;
    if (ndiag++ == 0)
        snprintf(first_diag, sizeof first_diag, "%s", text);
    snprintf(last_diag, sizeof last_diag, "%s", text);
}

static const tnt_capture_callbacks cbs = {NULL,    on_open, on_data, NULL, on_close,
                                          on_diag, NULL,    NULL,    NULL};

static void reset(void)
{
    memset(stream_len, 0, sizeof stream_len);
    nopen = ndiag = nclose = 0;
    last_diag[0] = first_diag[0] = 0;
    memset(&last_info, 0, sizeof last_info);
}

static tnt_cap_ts T(int64_t s)
{
    tnt_cap_ts ts = {s, 0};
    return ts;
}

/* ---- frame builders: each wraps a body in one more header ---- */

typedef struct pkt {
    uint8_t b[4096];
    size_t n;
} pkt;

static pkt b_hex(const char *h)
{
    pkt p;
    p.n = check_unhex(h, p.b, sizeof p.b);
    return p;
}

/* hex header, then body */
static pkt b_wrap(const char *h, const pkt *body)
{
    pkt p = b_hex(h);
    memcpy(p.b + p.n, body->b, body->n);
    p.n += body->n;
    return p;
}

static void put16(uint8_t *at, size_t v)
{
    at[0] = (uint8_t)(v >> 8);
    at[1] = (uint8_t)v;
}

static const char PAYLOAD[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"; /* 27 bytes */
static const char REPLY[] = "HTTP/1.1 204 No Content\r\n\r\n";

/* 49652 -> 443, seq 1000, ACK|PSH */
static pkt tcp_c2s(void)
{
    pkt p = b_hex("c1f401bb 000003e8 000007d0 5018 ffff 0000 0000");
    memcpy(p.b + p.n, PAYLOAD, strlen(PAYLOAD));
    p.n += strlen(PAYLOAD);
    return p;
}

static pkt tcp_s2c(void)
{
    pkt p = b_hex("01bbc1f4 000007d0 00000403 5018 ffff 0000 0000");
    memcpy(p.b + p.n, REPLY, strlen(REPLY));
    p.n += strlen(REPLY);
    return p;
}

/* src/dst as 8 hex digits */
static pkt b_ipv4a(uint8_t proto, const char *src, const char *dst, uint16_t id, uint16_t frag,
                   const pkt *body)
{
    char h[128];
    snprintf(h, sizeof h, "45000000 00000000 40%02x0000 %s %s", proto, src, dst);
    pkt p = b_wrap(h, body);
    put16(p.b + 2, p.n);
    put16(p.b + 4, id);
    put16(p.b + 6, frag);
    return p;
}

static pkt b_ipv4(uint8_t proto, const pkt *body) /* outer 10.0.0.1 > 10.0.0.2 */
{
    return b_ipv4a(proto, "0a000001", "0a000002", 0, 0x4000, body);
}

static pkt inner4(void) /* 192.0.2.1 > 192.0.2.2 */
{
    pkt t = tcp_c2s();
    return b_ipv4a(6, "c0000201", "c0000202", 1, 0x4000, &t);
}

static pkt b_ipv6a(uint8_t nh, const char *src, const char *dst, const pkt *body)
{
    char h[160];
    snprintf(h, sizeof h, "60000000 0000 %02x 40 %s %s", nh, src, dst);
    pkt p = b_wrap(h, body);
    put16(p.b + 4, body->n);
    return p;
}

#define OUTER6_SRC "20010db8ffff00000000000000000001"
#define OUTER6_DST "20010db8ffff00000000000000000002"
#define INNER6_SRC "20010db8000000000000000000000001"
#define INNER6_DST "20010db8000000000000000000000002"

static pkt b_ipv6(uint8_t nh, const pkt *body)
{
    return b_ipv6a(nh, OUTER6_SRC, OUTER6_DST, body);
}

static pkt inner6(void)
{
    pkt t = tcp_c2s();
    return b_ipv6a(6, INNER6_SRC, INNER6_DST, &t);
}

static pkt b_udp(uint16_t sport, uint16_t dport, const pkt *body)
{
    pkt p = b_wrap("0000 0000 0000 0000", body);
    put16(p.b, sport);
    put16(p.b + 2, dport);
    put16(p.b + 4, p.n);
    return p;
}

/* GTPv1-U: flags, message type, length (computed), TEID 0x92480006, then the
 * optional fields/extension headers given in hex. */
static pkt b_gtp(uint8_t flags, uint8_t type, const char *opt, const pkt *body)
{
    char h[256];
    snprintf(h, sizeof h, "%02x%02x 0000 92480006 %s", flags, type, opt);
    pkt p = b_wrap(h, body);
    put16(p.b + 2, p.n - 8);
    return p;
}

static pkt b_eth(const char *type_and_tags, const pkt *body)
{
    char h[256];
    snprintf(h, sizeof h, "020000000002 020000000001 %s", type_and_tags);
    return b_wrap(h, body);
}

/* ---- running frames ---- */

static size_t decode_one(const uint8_t *f, size_t caplen, size_t wirelen)
{
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(100), f, caplen, wirelen);
    tnt_packet_finish(d, 1);
    tnt_packet_decoder_free(d);
    return stream_len[0];
}

/* The frame delivers PAYLOAD on a connection with the given inner family and
 * no diagnostic; every shorter capture of it (so that length fields lie) is
 * reported exactly once and delivers nothing; cut by the snap length instead,
 * it is reported at least once and never delivers more than was captured. */
static void expect_payload(const char *what, const pkt *f, int family)
{
    reset();
    size_t got = decode_one(f->b, f->n, f->n);
    if (got != strlen(PAYLOAD) || ndiag != 0)
        fprintf(stderr, "case %s failed (%zu bytes, diag \"%s\")\n", what, got, last_diag);
    CHECK_EQ(got, strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(nopen, 1);
    CHECK_EQ(nclose, 1);
    CHECK_EQ(last_info.family, family);
    /* keyed by the inner addresses and ports */
    if (family == 4)
        CHECK_MEM(last_info.client_addr, "\xc0\x00\x02\x01", 4);
    else
        CHECK_MEM(last_info.server_addr,
                  "\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                  "\x00\x02",
                  16);
    CHECK_EQ(last_info.client_port, 49652);
    CHECK_EQ(last_info.server_port, 443);
    for (size_t i = 0; i < f->n; i++) {
        uint8_t *copy = malloc(i ? i : 1); /* exact size, so ASan sees overreads */
        memcpy(copy, f->b, i);
        reset();
        CHECK_EQ(decode_one(copy, i, i), 0);
        if (ndiag != 1)
            fprintf(stderr, "  %s truncated at %zu: %d diagnostics\n", what, i, ndiag);
        CHECK_EQ(ndiag, 1);
        CHECK_EQ(nopen, 0);
        reset();
        decode_one(copy, i, f->n);
        CHECK(stream_len[0] <= i);
        if (ndiag < 1)
            fprintf(stderr, "  %s cut at %zu: no diagnostic\n", what, i);
        CHECK(ndiag >= 1);
        free(copy);
    }
}

/* The frame is decoded without a connection; returns the diagnostic count
 * and leaves the first one in first_diag. */
static int expect_nothing(const pkt *f)
{
    reset();
    decode_one(f->b, f->n, f->n);
    CHECK_EQ(nopen, 0);
    CHECK_EQ(stream_len[0], 0);
    return ndiag;
}

static const char *NOT_DECAP = ": packet not decapsulated (further packets with this problem are "
                               "counted at end of input)";

static void check_skip(const pkt *f, const char *why)
{
    CHECK_EQ(expect_nothing(f), 1);
    char want[400];
    snprintf(want, sizeof want, "%s%s", why, NOT_DECAP);
    CHECK_STR(first_diag, want);
}

/* ---- GTP-U ---- */

static void test_gtpu(void)
{
    pkt in4 = inner4(), in6 = inner6(), g, u, ip, f;

    /* As in the nDPI captures: two 802.1Q tags, outer IPv4/UDP 2152-2152. */
    g = b_gtp(0x30, 0xFF, "", &in4);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("8100 0d42 8100 0071 0800", &ip);
    expect_payload("gtp-u vlan ipv4", &f, 4);

    /* Sequence number, then two extension headers (PDU session container,
     * 4 bytes; a 8-byte one of type 0x40), inner IPv6; outer IPv6 and 2152 as
     * the source port only. */
    g = b_gtp(0x36, 0xFF, "1234 00 85  01 1009 40  02 000000000000 00", &in6);
    u = b_udp(2152, 40000, &g);
    ip = b_ipv6(17, &u);
    f = b_eth("86dd", &ip);
    expect_payload("gtp-u ext headers ipv6", &f, 6);

    /* N-PDU number only (still four optional bytes), destination port. */
    g = b_gtp(0x31, 0xFF, "0000 07 00", &in4);
    u = b_udp(40000, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    expect_payload("gtp-u pn", &f, 4);

    /* Signalling (echo request) and an empty G-PDU: nothing, silently. */
    pkt empty = {.n = 0};
    g = b_gtp(0x32, 0x01, "0001 00 00", &empty);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);
    g = b_gtp(0x30, 0xFF, "", &empty);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);

    /* Other UDP is not looked at. */
    u = b_udp(53, 40000, &in4);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);

    /* Length fields: GTP one too long / one too short, UDP one too long / one
     * too short / below 8. */
    g = b_gtp(0x30, 0xFF, "", &in4);
    u = b_udp(2152, 2152, &g);
    u.b[8 + 3]++;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "GTP-U length exceeds the UDP payload");
    u.b[8 + 3] -= 2;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 1);
    CHECK_STR(first_diag, "tunnelled packet: IPv4 total length exceeds the captured frame");
    u = b_udp(2152, 2152, &g);
    u.b[5]++;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "UDP length exceeds the IP payload");
    u.b[5] -= 2;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "GTP-U length exceeds the UDP payload");
    u.b[4] = 0;
    u.b[5] = 7;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "UDP length below 8");
    /* UDP shorter than the IP payload: the rest is padding. */
    u = b_udp(2152, 2152, &g);
    u.b[u.n++] = 0xEE;
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    reset();
    decode_one(f.b, f.n, f.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);

    /* Not GTPv1-U: version 2, and PT = 0 (GTP'). */
    g = b_gtp(0x48, 0xFF, "", &in4);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "UDP port 2152 but not GTPv1-U");
    g = b_gtp(0x20, 0xFF, "", &in4);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "UDP port 2152 but not GTPv1-U");

    /* Extension header of length 0; chain running past the end; non-IP. */
    g = b_gtp(0x34, 0xFF, "0000 00 85 00 0000", &in4);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "GTP-U extension header with length 0");
    g = b_gtp(0x34, 0xFF, "0000 00 85 ff", &empty);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "truncated GTP-U extension header");
    pkt junk = b_hex("ffff0000");
    g = b_gtp(0x30, 0xFF, "", &junk);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "GTP-U G-PDU not carrying IP");

    /* The same problem again is counted, not repeated; the count comes at the
     * end. */
    reset();
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    for (uint64_t fr = 1; fr <= 5; fr++)
        tnt_packet_decode(d, fr + 1, T(1), f.b, f.n, f.n);
    CHECK_EQ(ndiag, 1);
    tnt_packet_finish(d, 6);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 2);
    CHECK_STR(last_diag, "GTP-U G-PDU not carrying IP: 5 packets not decapsulated, the first in "
                         "frame 2");
}

/* Both directions through different tunnel endpoints and tunnel types are one
 * connection: the key is the inner 4-tuple. */
static void test_inner_key(void)
{
    pkt in = inner4(), t = tcp_s2c();
    pkt back = b_ipv4a(6, "c0000202", "c0000201", 2, 0x4000, &t);
    pkt g = b_gtp(0x30, 0xFF, "", &in), u = b_udp(2152, 2152, &g), ip = b_ipv4(17, &u);
    pkt f1 = b_eth("0800", &ip);
    g = b_gtp(0x30, 0xFF, "", &back);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4a(17, "0a000009", "0a000001", 0, 0, &u);
    pkt f2 = b_eth("0800", &ip);
    pkt f3 = b_wrap("00000000", &back); /* GRE, no options */
    f3.b[2] = 0x08;
    ip = b_ipv4(47, &f3);
    f3 = b_eth("0800", &ip);
    reset();
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), f1.b, f1.n, f1.n);
    tnt_packet_decode(d, 2, T(1), f2.b, f2.n, f2.n);
    tnt_packet_decode(d, 3, T(1), f3.b, f3.n, f3.n); /* retransmission */
    tnt_packet_finish(d, 3);
    tnt_packet_decoder_free(d);
    CHECK_EQ(nopen, 1);
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_EQ(stream_len[1], strlen(REPLY));
    CHECK_MEM(stream[1], REPLY, strlen(REPLY));
    CHECK_MEM(last_info.client_addr, "\xc0\x00\x02\x01", 4);
    CHECK_MEM(last_info.server_addr, "\xc0\x00\x02\x02", 4);
}

/* ---- VXLAN ---- */

static void test_vxlan(void)
{
    pkt in4 = inner4(), in6 = inner6();
    pkt e = b_eth("8100 0064 0800", &in4);
    pkt v = b_wrap("08000000 00123400", &e);
    pkt u = b_udp(51234, 4789, &v), ip = b_ipv4(17, &u), f = b_eth("0800", &ip);
    expect_payload("vxlan", &f, 4);
    e = b_eth("86dd", &in6);
    v = b_wrap("08000000 00123400", &e);
    u = b_udp(4789, 51234, &v);
    ip = b_ipv6(17, &u);
    f = b_eth("86dd", &ip);
    expect_payload("vxlan over ipv6", &f, 6);
    /* ARP inside: quiet. */
    pkt arp = b_hex("0001080006040001");
    e = b_eth("0806", &arp);
    v = b_wrap("08000000 00123400", &e);
    u = b_udp(51234, 4789, &v);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);
    /* An inner Ethernet header cut short. */
    pkt part = b_hex("0200000000020200");
    v = b_wrap("08000000 00123400", &part);
    u = b_udp(51234, 4789, &v);
    ip = b_ipv4(17, &u);
    f = b_eth("0800", &ip);
    check_skip(&f, "truncated Ethernet header");
}

/* ---- GRE ---- */

static void test_gre(void)
{
    pkt in4 = inner4(), in6 = inner6(), g, ip, f, e;

    g = b_wrap("0000 0800", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("gre ipv4 in ipv4", &f, 4);
    ip = b_ipv6(47, &g);
    f = b_eth("86dd", &ip);
    expect_payload("gre ipv4 in ipv6", &f, 4);

    /* checksum + key + sequence number */
    g = b_wrap("b000 86dd  abcd0000 0000002a 00000007", &in6);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("gre c+k+s ipv6", &f, 6);

    /* RFC 1701 routing: checksum/offset, one 4-byte SRE, the null SRE. */
    g = b_wrap("c000 0800  00000000  0001 00 04 0a000001  0000 00 00", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("gre routing", &f, 4);

    /* Transparent Ethernet Bridging, with a key */
    e = b_eth("0800", &in4);
    g = b_wrap("2000 6558 00000064", &e);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("gre teb", &f, 4);

    /* MPLS over GRE */
    g = b_wrap("0000 8847 00064140", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("gre mpls", &f, 4);

    /* ERSPAN type II (sequence number present) and type I (none), type III
     * with the platform subheader. */
    g = b_wrap("1000 88be 00000001 10640001 00000000", &e);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("erspan ii", &f, 4);
    g = b_wrap("0000 88be", &e);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("erspan i", &f, 4);
    g = b_wrap("1000 22eb 00000001 20640001 11223344 00000001 0000000000000000", &e);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("erspan iii", &f, 4);
    g = b_wrap("1000 22eb 00000001 20640001 11223344 00000800", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    check_skip(&f, "ERSPAN type III frame type not Ethernet");

    /* PPTP: version 1, key = payload length + call id, sequence and
     * acknowledgement, PPP with address/control; then with both compressed. */
    char h[128];
    pkt ppp = b_wrap("ff03 0021", &in4);
    snprintf(h, sizeof h, "3081 880b %04zx 0001 00000005 00000004", ppp.n);
    g = b_wrap(h, &ppp);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("pptp", &f, 4);
    ppp = b_wrap("57", &in6);
    snprintf(h, sizeof h, "2001 880b %04zx 0001", ppp.n);
    g = b_wrap(h, &ppp);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    expect_payload("pptp compressed ppp", &f, 6);
    /* Payload length one too long; zero (an acknowledgement only). */
    ppp = b_wrap("ff03 0021", &in4);
    snprintf(h, sizeof h, "2001 880b %04zx 0001", ppp.n + 1);
    g = b_wrap(h, &ppp);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    check_skip(&f, "PPTP payload length exceeds the packet");
    g = b_hex("2081 880b 0000 0001 00000005");
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);
    pkt lcp = b_hex("ff03 c021 01010004");
    snprintf(h, sizeof h, "2001 880b %04zx 0001", lcp.n);
    g = b_wrap(h, &lcp);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 0);

    g = b_wrap("0000 883e", &in4); /* WCCP */
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    check_skip(&f, "GRE payload protocol type not supported");
    g = b_wrap("0002 0800", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    check_skip(&f, "GRE version not 0 or 1");
    g = b_wrap("2001 0800 00000000", &in4);
    ip = b_ipv4(47, &g);
    f = b_eth("0800", &ip);
    check_skip(&f, "GRE version 1 that is not PPTP");
}

/* ---- IP in IP ---- */

static void test_ipip(void)
{
    pkt in4 = inner4(), in6 = inner6(), ip, f;
    ip = b_ipv4(4, &in4);
    f = b_eth("0800", &ip);
    expect_payload("ipv4 in ipv4", &f, 4);
    ip = b_ipv4(41, &in6);
    f = b_eth("0800", &ip);
    expect_payload("ipv6 in ipv4", &f, 6);
    ip = b_ipv6(4, &in4);
    f = b_eth("86dd", &ip);
    expect_payload("ipv4 in ipv6", &f, 4);
    ip = b_ipv6(41, &in6);
    f = b_eth("86dd", &ip);
    expect_payload("ipv6 in ipv6", &f, 6);
    /* The wrong family inside. */
    ip = b_ipv4(4, &in6);
    f = b_eth("0800", &ip);
    CHECK_EQ(expect_nothing(&f), 1);
    CHECK_STR(first_diag, "tunnelled packet: IPv4 header with version not 4");
}

/* ---- MPLS and PPPoE on Ethernet ---- */

static void test_link_encaps(void)
{
    pkt in4 = inner4(), in6 = inner6(), f;
    f = b_eth("8847 00064040 000c8140", &in4);
    expect_payload("mpls two labels", &f, 4);
    f = b_eth("8100 0064 8848 00064140", &in6);
    expect_payload("vlan mpls multicast ipv6", &f, 6);
    /* A pseudowire control word after the stack: not IP, quiet. */
    f = b_eth("8847 00064140 00000000", &in4);
    CHECK_EQ(expect_nothing(&f), 0);

    char h[64];
    snprintf(h, sizeof h, "8864 1100 1234 %04zx 0021", in4.n + 2);
    f = b_eth(h, &in4);
    expect_payload("pppoe ipv4", &f, 4);
    snprintf(h, sizeof h, "8864 1100 1234 %04zx 0057", in6.n + 2);
    f = b_eth(h, &in6);
    expect_payload("pppoe ipv6", &f, 6);
    /* PPPoE length one too short: the IP packet is cut by one byte. */
    snprintf(h, sizeof h, "8864 1100 1234 %04zx 0021", in4.n + 1);
    f = b_eth(h, &in4);
    CHECK_EQ(expect_nothing(&f), 1);
    CHECK_STR(first_diag, "IPv4 total length exceeds the captured frame");
    /* One too long: left to the IP layer, which finds the packet complete. */
    snprintf(h, sizeof h, "8864 1100 1234 %04zx 0021", in4.n + 3);
    f = b_eth(h, &in4);
    reset();
    decode_one(f.b, f.n, f.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    /* Ethernet padding after the PPPoE payload. */
    snprintf(h, sizeof h, "8864 1100 1234 %04zx 0021", in4.n + 2);
    f = b_eth(h, &in4);
    memset(f.b + f.n, 0xEE, 6);
    f.n += 6;
    reset();
    decode_one(f.b, f.n, f.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);
    pkt lcp = b_hex("01010004");
    f = b_eth("8864 1100 1234 0006 c021", &lcp);
    CHECK_EQ(expect_nothing(&f), 0);
    f = b_eth("8864 1200 1234 0006 0021", &lcp);
    CHECK_EQ(expect_nothing(&f), 1);
    CHECK_STR(first_diag, "PPPoE session frame with bad version, type or code");
    f = b_eth("8864 1100 1234 0001 0021", &lcp);
    CHECK_EQ(expect_nothing(&f), 1);
    CHECK_STR(first_diag, "PPPoE length too short for a PPP protocol field");
    pkt none = {.n = 0};
    f = b_eth("8863 1109 0000 0000", &none); /* discovery (PADI) */
    CHECK_EQ(expect_nothing(&f), 0);
}

/* ---- nesting ---- */

static pkt nest(int levels)
{
    pkt p = inner4();
    for (int i = 0; i < levels; i++) {
        if (i % 2) {
            p = b_ipv4(4, &p);
        } else {
            pkt g = b_wrap("0000 0800", &p);
            p = b_ipv4(47, &g);
        }
    }
    return p;
}

static void test_nesting(void)
{
    /* TNT_TUNNEL_MAX_DEPTH tunnels are opened ... */
    pkt p = nest(TNT_TUNNEL_MAX_DEPTH);
    pkt f = b_eth("0800", &p);
    expect_payload("nested 8 deep", &f, 4);
    /* ... one more is not. */
    p = nest(TNT_TUNNEL_MAX_DEPTH + 1);
    f = b_eth("0800", &p);
    check_skip(&f, "tunnels nested more than 8 deep");
    /* Crafted deep nesting up to the frame size ends at the bound too. */
    p = inner4();
    while (p.n + 40 < sizeof p.b)
        p = b_ipv4(4, &p);
    f = b_eth("0800", &p);
    check_skip(&f, "tunnels nested more than 8 deep");
}

/* ---- fragments outside and inside a tunnel ---- */

static void test_fragments(void)
{
    /* Outer fragments: the UDP datagram carrying GTP split at 32 bytes. */
    pkt in = inner4();
    pkt g = b_gtp(0x30, 0xFF, "", &in), u = b_udp(2152, 2152, &g);
    pkt a = {.n = 32}, b = {.n = u.n - 32};
    memcpy(a.b, u.b, a.n);
    memcpy(b.b, u.b + 32, b.n);
    pkt fa = b_ipv4a(17, "0a000001", "0a000002", 99, 0x2000, &a);
    pkt fb = b_ipv4a(17, "0a000001", "0a000002", 99, 4, &b);
    pkt e1 = b_eth("0800", &fb), e2 = b_eth("0800", &fa);
    reset();
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), e1.b, e1.n, e1.n);
    CHECK_EQ(nopen, 0);
    tnt_packet_decode(d, 2, T(1), e2.b, e2.n, e2.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 0);

    /* Outer IPv6 fragments of a GRE packet. */
    pkt gr = b_wrap("0000 0800", &in);
    for (int k = 0; k < 2; k++) {
        size_t off = k ? 24 : 0, len = k ? gr.n - 24 : 24;
        char h[64];
        snprintf(h, sizeof h, "2f00 %04x 0000abcd", (unsigned)(off | (k ? 0 : 1)));
        pkt part = {.n = len};
        memcpy(part.b, gr.b + off, len);
        pkt fh = b_wrap(h, &part);
        pkt ip = b_ipv6(44, &fh);
        *(k ? &e1 : &e2) = b_eth("86dd", &ip);
    }
    reset();
    d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), e1.b, e1.n, e1.n);
    tnt_packet_decode(d, 2, T(1), e2.b, e2.n, e2.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 0);

    /* Inner fragments: the inner IPv4 TCP packet split at 24 bytes of its
     * payload, each fragment in its own GTP-U packet. */
    pkt t = tcp_c2s();
    pkt t1 = {.n = 24}, t2 = {.n = t.n - 24};
    memcpy(t1.b, t.b, 24);
    memcpy(t2.b, t.b + 24, t2.n);
    pkt i1 = b_ipv4a(6, "c0000201", "c0000202", 5, 0x2000, &t1);
    pkt i2 = b_ipv4a(6, "c0000201", "c0000202", 5, 3, &t2);
    g = b_gtp(0x30, 0xFF, "", &i1);
    u = b_udp(2152, 2152, &g);
    pkt ip = b_ipv4(17, &u);
    e1 = b_eth("0800", &ip);
    g = b_gtp(0x30, 0xFF, "", &i2);
    u = b_udp(2152, 2152, &g);
    ip = b_ipv4(17, &u);
    e2 = b_eth("0800", &ip);
    reset();
    d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), e2.b, e2.n, e2.n);
    CHECK_EQ(nopen, 0);
    tnt_packet_decode(d, 2, T(1), e1.b, e1.n, e1.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    CHECK_MEM(last_info.client_addr, "\xc0\x00\x02\x01", 4);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 0);

    /* Both at once: the outer fragments of the first inner fragment. */
    g = b_gtp(0x30, 0xFF, "", &i1);
    u = b_udp(2152, 2152, &g);
    a.n = 16;
    memcpy(a.b, u.b, 16);
    b.n = u.n - 16;
    memcpy(b.b, u.b + 16, b.n);
    fa = b_ipv4a(17, "0a000001", "0a000002", 77, 0x2000, &a);
    fb = b_ipv4a(17, "0a000001", "0a000002", 77, 2, &b);
    pkt e3 = b_eth("0800", &fa), e4 = b_eth("0800", &fb);
    reset();
    d = tnt_packet_decoder_new(DLT_EN10MB, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), e2.b, e2.n, e2.n);
    tnt_packet_decode(d, 2, T(1), e3.b, e3.n, e3.n);
    CHECK_EQ(nopen, 0);
    tnt_packet_decode(d, 3, T(1), e4.b, e4.n, e4.n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_EQ(tnt_ip_reasm_bytes(tnt_packet_ip(d)), 0);
    tnt_packet_finish(d, 3);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 0);
}

int main(void)
{
    test_gtpu();
    test_inner_key();
    test_vxlan();
    test_gre();
    test_ipip();
    test_link_encaps();
    test_nesting();
    test_fragments();
    return check_done("test_tunnel");
}
