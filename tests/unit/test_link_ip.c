/* Link layers, IPv4/IPv6 and fragment reassembly, through the whole packet
 * decoder (frame in, TCP stream bytes out). */
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
static char last_diag[512];
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
    ndiag++;
    snprintf(last_diag, sizeof last_diag, "%s", text);
}

static const tnt_capture_callbacks cbs = {NULL,    on_open, on_data, NULL, on_close,
                                          on_diag, NULL,    NULL,    NULL};

static void reset(void)
{
    memset(stream_len, 0, sizeof stream_len);
    nopen = ndiag = nclose = 0;
    last_diag[0] = 0;
    memset(&last_info, 0, sizeof last_info);
}

/* ---- frame builders ---- */

static const char PAYLOAD[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"; /* 27 bytes */

/* TCP header (20 bytes, ACK|PSH, seq 1000) + payload. */
static size_t build_tcp(uint8_t *out, const char *payload)
{
    size_t n = check_unhex("c1f401bb 000003e8 000007d0 5018 ffff 0000 0000", out, 64);
    memcpy(out + n, payload, strlen(payload));
    return n + strlen(payload);
}

static size_t build_ipv4(uint8_t *out, const uint8_t *l4, size_t l4len, uint16_t id, uint16_t frag)
{
    size_t n = check_unhex("45000000 00000000 40060000 c0000201 c0000202", out, 20);
    out[2] = (uint8_t)((20 + l4len) >> 8);
    out[3] = (uint8_t)(20 + l4len);
    out[4] = (uint8_t)(id >> 8);
    out[5] = (uint8_t)id;
    out[6] = (uint8_t)(frag >> 8);
    out[7] = (uint8_t)frag;
    memcpy(out + n, l4, l4len);
    return n + l4len;
}

/* IPv6 2001:db8::1 > 2001:db8::2, with ext (already chained, first header nh). */
static size_t build_ipv6(uint8_t *out, uint8_t nh, const uint8_t *body, size_t blen)
{
    size_t n = check_unhex("60000000 0000 00 40"
                           "20010db8000000000000000000000001"
                           "20010db8000000000000000000000002",
                           out, 40);
    out[4] = (uint8_t)(blen >> 8);
    out[5] = (uint8_t)blen;
    out[6] = nh;
    memcpy(out + n, body, blen);
    return n + blen;
}

static size_t prefix(uint8_t *out, const char *hex, const uint8_t *l3, size_t l3len)
{
    size_t n = check_unhex(hex, out, 64);
    if (l3len)
        memcpy(out + n, l3, l3len);
    return n + l3len;
}

static tnt_cap_ts T(int64_t s)
{
    tnt_cap_ts ts = {s, 0};
    return ts;
}

/* Decodes one frame in a fresh decoder; returns client->server bytes. */
static size_t decode_one(int dlt, const uint8_t *f, size_t caplen, size_t wirelen)
{
    tnt_packet_decoder *d = tnt_packet_decoder_new(dlt, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(100), f, caplen, wirelen);
    tnt_packet_finish(d, 1);
    tnt_packet_decoder_free(d);
    return stream_len[0];
}

static void expect_payload(const char *what, int dlt, const uint8_t *f, size_t len)
{
    reset();
    size_t got = decode_one(dlt, f, len, len);
    if (got != strlen(PAYLOAD) || memcmp(stream[0], PAYLOAD, got) != 0 || ndiag != 0)
        fprintf(stderr, "link case %s failed (%zu bytes, diag \"%s\")\n", what, got, last_diag);
    CHECK_EQ(got, strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(nopen, 1);
    CHECK_EQ(nclose, 1);
    /* Every shorter capture of the frame (the length fields now lie) is
     * reported once and delivers nothing. */
    for (size_t i = 0; i < len; i++) {
        reset();
        uint8_t *copy = malloc(i ? i : 1); /* exact size, so ASan sees overreads */
        memcpy(copy, f, i);
        CHECK_EQ(decode_one(dlt, copy, i, i), 0);
        if (ndiag != 1)
            fprintf(stderr, "  %s truncated at %zu: %d diagnostics\n", what, i, ndiag);
        CHECK_EQ(ndiag, 1);
        /* Cut by snaplen instead: a short payload may be delivered, never more. */
        reset();
        decode_one(dlt, copy, i, len);
        CHECK(stream_len[0] <= i);
        CHECK(ndiag >= 1);
        free(copy);
    }
}

static void test_link_types(void)
{
    uint8_t tcp[128], ip4[256], ip6[256], f[512];
    size_t tl = build_tcp(tcp, PAYLOAD);
    size_t l4 = build_ipv4(ip4, tcp, tl, 1, 0x4000);
    size_t l6 = build_ipv6(ip6, 6, tcp, tl);
    size_t n;

    n = prefix(f, "020000000002 020000000001 0800", ip4, l4);
    expect_payload("ethernet", DLT_EN10MB, f, n);
    CHECK_EQ(last_info.family, 4);
    n = prefix(f, "020000000002 020000000001 86dd", ip6, l6);
    expect_payload("ethernet ipv6", DLT_EN10MB, f, n);
    n = prefix(f, "020000000002 020000000001 8100 0064 0800", ip4, l4);
    expect_payload("vlan", DLT_EN10MB, f, n);
    n = prefix(f, "020000000002 020000000001 88a8 00c8 8100 0064 9100 0001 86dd", ip6, l6);
    expect_payload("stacked vlan", DLT_EN10MB, f, n);
    n = prefix(f, "020000000002 020000000001 0030 aaaa03 000000 0800", ip4, l4);
    expect_payload("llc/snap", DLT_EN10MB, f, n);
    n = prefix(f, "0000 0304 0006 020000000001 0000 0800", ip4, l4);
    expect_payload("sll", DLT_LINUX_SLL, f, n);
    n = prefix(f, "86dd 0000 00000001 0304 00 06 020000000001 0000", ip6, l6);
    expect_payload("sll2", DLT_LINUX_SLL2, f, n);
    n = prefix(f, "0800 0000 00000001 0001 04 06 020000000001 0000", ip4, l4);
    expect_payload("sll2 ipv4", DLT_LINUX_SLL2, f, n);
    n = prefix(f, "02000000", ip4, l4);
    expect_payload("null little-endian", DLT_NULL, f, n);
    n = prefix(f, "00000002", ip4, l4);
    expect_payload("null big-endian", DLT_NULL, f, n);
    n = prefix(f, "1e000000", ip6, l6);
    expect_payload("null ipv6 (macOS, little-endian)", DLT_NULL, f, n);
    n = prefix(f, "0000001c", ip6, l6);
    expect_payload("null ipv6 (FreeBSD, big-endian)", DLT_NULL, f, n);
    n = prefix(f, "00000018", ip6, l6);
    expect_payload("loop ipv6", DLT_LOOP, f, n);
    n = prefix(f, "02000000", ip4, l4);
    expect_payload("loop little-endian", DLT_LOOP, f, n);
    expect_payload("raw", DLT_RAW, ip4, l4);
    expect_payload("linktype raw", TNT_LINKTYPE_RAW, ip6, l6);
    expect_payload("ipv4", DLT_IPV4, ip4, l4);
    expect_payload("ipv6", DLT_IPV6, ip6, l6);

    /* Not IP: skipped without a word. */
    reset();
    n = prefix(f, "ffffffffffff 020000000001 0806 0001080006040001", NULL, 0);
    decode_one(DLT_EN10MB, f, n, n);
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(nopen, 0);
    n = prefix(f, "17000000", ip6, l6); /* unknown address family */
    decode_one(DLT_NULL, f, n, n);
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(nopen, 0);

    /* Wrong IP version for the link type. */
    decode_one(DLT_IPV4, ip6, l6, l6);
    CHECK_STR(last_diag, "IPv6 packet on an IPv4-only link");
    CHECK_EQ(nopen, 0);

    /* Unsupported link type: one diagnostic, then silence. */
    reset();
    tnt_packet_decoder *d = tnt_packet_decoder_new(105, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(1), ip4, l4, l4);
    tnt_packet_decode(d, 2, T(1), ip4, l4, l4);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 1);
    CHECK_STR(last_diag, "unsupported link type 105: all packets skipped");
    CHECK_EQ(nopen, 0);

    /* Ethernet padding after a short IP packet is not payload. */
    reset();
    n = prefix(f, "020000000002 020000000001 0800", ip4, l4);
    memset(f + n, 0xEE, 10);
    decode_one(DLT_EN10MB, f, n + 10, n + 10);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);
}

static void test_ipv4_checks(void)
{
    uint8_t tcp[128], ip[256];
    size_t tl = build_tcp(tcp, PAYLOAD);
    size_t l = build_ipv4(ip, tcp, tl, 1, 0);
    const char *why;
    tnt_ip_packet out;
    tnt_ip_reasm *r = tnt_ip_reasm_new(NULL, NULL, NULL);
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_PACKET);
    CHECK_EQ(out.proto, 6);
    CHECK_EQ(out.len, tl);
    CHECK_MEM(out.src, "\xc0\x00\x02\x01", 4);
    ip[0] = 0x44;
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_ERROR);
    CHECK_STR(why, "IPv4 header length below 20");
    ip[0] = 0x55;
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_ERROR);
    CHECK_STR(why, "IPv4 header with version not 4");
    ip[0] = 0x4F; /* 60-byte header: options run into the TCP header, fine, */
    ip[3] = 59;   /* but a total length below the header length is not */
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_ERROR);
    CHECK_STR(why, "IPv4 total length shorter than its header");
    ip[0] = 0x45;
    ip[3] = (uint8_t)(l + 1); /* one too long */
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_ERROR);
    CHECK_STR(why, "IPv4 total length exceeds the captured frame");
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, true, 1, T(1), &out, &why), TNT_IP_PACKET);
    CHECK_EQ(out.missing, 1);
    ip[3] = (uint8_t)(l - 1); /* one too short: the last byte is padding */
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_PACKET);
    CHECK_EQ(out.len, tl - 1);
    ip[9] = 17; /* UDP: handed up, the decoder ignores it */
    ip[3] = (uint8_t)l;
    CHECK_EQ(tnt_ip_input(r, 4, ip, l, false, 1, T(1), &out, &why), TNT_IP_PACKET);
    CHECK_EQ(out.proto, 17);
    tnt_ip_reasm_free(r);
}

/* The TCP segment split into IPv4 fragments [0,24) [24,40) [40,47). */
static void test_ipv4_fragments(void)
{
    uint8_t tcp[128], frag[3][128], f[256];
    size_t tl = build_tcp(tcp, PAYLOAD); /* 47 bytes */
    CHECK_EQ(tl, 47);
    size_t fl[3];
    fl[0] = build_ipv4(frag[0], tcp, 24, 7, 0x2000 | 0);
    fl[1] = build_ipv4(frag[1], tcp + 24, 16, 7, 0x2000 | 3);
    fl[2] = build_ipv4(frag[2], tcp + 40, 7, 7, 0x0000 | 5);

    static const int orders[][3] = {{0, 1, 2}, {2, 0, 1}, {2, 1, 0}, {1, 2, 0}};
    for (size_t o = 0; o < 4; o++) {
        reset();
        tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
        for (int i = 0; i < 3; i++) {
            int k = orders[o][i];
            tnt_packet_decode(d, (uint64_t)i + 1, T(10), frag[k], fl[k], fl[k]);
            if (i < 2)
                CHECK(tnt_ip_reasm_bytes(tnt_packet_ip(d)) > 0);
        }
        CHECK_EQ(tnt_ip_reasm_bytes(tnt_packet_ip(d)), 0);
        CHECK_EQ(stream_len[0], strlen(PAYLOAD));
        CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
        tnt_packet_finish(d, 3);
        tnt_packet_decoder_free(d);
        CHECK_EQ(ndiag, 0);
    }

    /* Overlap with different data: the first copy wins. */
    reset();
    uint8_t evil[128];
    memcpy(evil, tcp, sizeof evil);
    memset(evil + 24, 'X', 16);
    size_t el = build_ipv4(f, evil + 24, 16, 7, 0x2000 | 3);
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(10), frag[1], fl[1], fl[1]);
    tnt_packet_decode(d, 2, T(10), f, el, el);
    tnt_packet_decode(d, 3, T(10), frag[2], fl[2], fl[2]);
    tnt_packet_decode(d, 4, T(10), frag[0], fl[0], fl[0]);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    tnt_packet_finish(d, 4);
    tnt_packet_decoder_free(d);

    /* Never completed: reported at end of input. */
    reset();
    d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(10), frag[0], fl[0], fl[0]);
    tnt_packet_decode(d, 2, T(10), frag[2], fl[2], fl[2]);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 1);
    CHECK_STR(last_diag, "IPv4 datagram 192.0.2.1 > 192.0.2.2 id 0x7 (first fragment in frame 1) "
                         "cannot be reassembled (end of input): 31 of 47 bytes captured, dropped");
    CHECK_EQ(nopen, 0);

    /* Timeout by capture time. */
    reset();
    d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(10), frag[0], fl[0], fl[0]);
    tnt_packet_decode(d, 2, T(10 + TNT_IP_DEFAULT_TIMEOUT + 1), frag[1], fl[1], fl[1]);
    CHECK_EQ(ndiag, 1);
    CHECK(strstr(last_diag, "(timeout): 24 of unknown bytes") != NULL);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 2); /* frag[1] started a datagram of its own */

    /* Bad non-final length; fragment past 65535; disagreeing lengths. */
    reset();
    d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    size_t bl = build_ipv4(f, tcp, 20, 9, 0x2000);
    tnt_packet_decode(d, 1, T(10), f, bl, bl);
    CHECK(strstr(last_diag, "non-final fragment length not a multiple of 8") != NULL);
    tnt_packet_decode(d, 2, T(10), frag[0], fl[0], fl[0]); /* id 7: separate */
    bl = build_ipv4(f, tcp, 16, 7, 0x1FFF);                /* 65528 + 16 > 65535 */
    tnt_packet_decode(d, 3, T(10), f, bl, bl);
    CHECK(strstr(last_diag, "fragment ends beyond 65535 bytes") != NULL);
    int before = ndiag;
    tnt_packet_decode(d, 4, T(10), frag[2], fl[2], fl[2]); /* swallowed quietly */
    CHECK_EQ(ndiag, before);
    bl = build_ipv4(f, tcp, 8, 11, 0x0000 | 10); /* last ends at 88 */
    tnt_packet_decode(d, 5, T(10), f, bl, bl);
    bl = build_ipv4(f, tcp, 8, 11, 0x0000 | 20); /* last ends at 168 */
    tnt_packet_decode(d, 6, T(10), f, bl, bl);
    CHECK(strstr(last_diag, "fragments disagree on the datagram length") != NULL);
    tnt_packet_finish(d, 6);
    tnt_packet_decoder_free(d);
    CHECK_EQ(nopen, 0);

    /* Memory bounds: count and bytes. */
    tnt_ip_limits lim = {2, 100, 60};
    int diags = 0;
    tnt_ip_reasm *r = tnt_ip_reasm_new(&lim, on_diag, &diags);
    reset();
    const char *why;
    tnt_ip_packet out;
    for (uint16_t id = 1; id <= 3; id++) {
        bl = build_ipv4(f, tcp, 24, id, 0x2000);
        CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, id, T(1), &out, &why), TNT_IP_HELD);
        CHECK(tnt_ip_reasm_bytes(r) <= 100);
    }
    CHECK_EQ(ndiag, 1); /* id 1 gave way to id 3 */
    CHECK(strstr(last_diag, "id 0x1 ") && strstr(last_diag, "too many datagrams"));
    bl = build_ipv4(f, tcp, 40, 2, 0x2000 | 20); /* grows id 2 to 200 bytes */
    CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, 4, T(1), &out, &why), TNT_IP_HELD);
    CHECK(tnt_ip_reasm_bytes(r) <= 100);
    CHECK(strstr(last_diag, "fragment memory bound reached") != NULL);
    tnt_ip_reasm_free(r);
}

static void test_ipv6(void)
{
    uint8_t tcp[128], body[256], ip[512], frag[2][256];
    size_t tl = build_tcp(tcp, PAYLOAD);
    size_t n;

    /* Hop-by-Hop (8) -> Routing (24) -> Destination Options (16) -> AH (16) -> TCP */
    n = check_unhex("2b000000 00000000"
                    "3c020000 00000000 00000000 00000000 00000000 00000000"
                    "33010104 00000000 00000000 00000000"
                    "06020000 00000001 00000001 00000000",
                    body, sizeof body);
    memcpy(body + n, tcp, tl);
    size_t l = build_ipv6(ip, 0, body, n + tl);
    reset();
    CHECK_EQ(decode_one(DLT_RAW, ip, l, l), strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    CHECK_EQ(last_info.family, 6);
    CHECK_MEM(last_info.client_addr, "\x20\x01\x0d\xb8", 4);
    CHECK_EQ(last_info.client_addr[15], 1);
    CHECK_EQ(last_info.server_port, 443);
    CHECK_EQ(ndiag, 0);
    for (size_t i = 0; i < l; i++) {
        reset();
        uint8_t *copy = malloc(i ? i : 1);
        memcpy(copy, ip, i);
        CHECK_EQ(decode_one(DLT_RAW, copy, i, i), 0);
        CHECK_EQ(ndiag, 1);
        free(copy);
    }
    /* An extension header one byte longer than the packet. */
    body[1] = 1; /* Hop-by-Hop now claims 16 bytes */
    ip[40 + 1] = 200;
    reset();
    decode_one(DLT_RAW, ip, l, l);
    CHECK_STR(last_diag, "truncated IPv6 extension header");

    /* ESP and No Next Header end the walk quietly. */
    l = build_ipv6(ip, 50, tcp, tl);
    reset();
    decode_one(DLT_RAW, ip, l, l);
    CHECK_EQ(ndiag + nopen, 0);
    l = build_ipv6(ip, 59, tcp, tl);
    decode_one(DLT_RAW, ip, l, l);
    CHECK_EQ(ndiag + nopen, 0);
    l = build_ipv6(ip, 6, tcp, tl);
    ip[4] = ip[5] = 0;
    decode_one(DLT_RAW, ip, l, l);
    CHECK_STR(last_diag, "IPv6 jumbogram or zero payload length (not supported)");

    /* Fragment header: Destination Options (8) unfragmentable part first;
     * fragmentable part = Destination Options (8) + TCP, split at 32. */
    uint8_t whole[256];
    size_t wl = check_unhex("06000000 00000000", whole, sizeof whole);
    memcpy(whole + wl, tcp, tl);
    wl += tl; /* 55 bytes */
    for (int k = 0; k < 2; k++) {
        size_t off = k ? 32 : 0, len = k ? wl - 32 : 32;
        size_t fn = check_unhex("2c000000 00000000", frag[k], 256);
        uint16_t fo = (uint16_t)((off / 8) << 3 | (k ? 0 : 1));
        fn += check_unhex("3c00", frag[k] + fn, 2);
        frag[k][fn++] = (uint8_t)(fo >> 8);
        frag[k][fn++] = (uint8_t)fo;
        fn += check_unhex("deadbeef", frag[k] + fn, 4);
        memcpy(frag[k] + fn, whole + off, len);
        fn += len;
        uint8_t pkt[512];
        size_t pl = build_ipv6(pkt, 60, frag[k], fn);
        memcpy(frag[k], pkt, pl);
        if (k == 0)
            n = pl;
        else
            l = pl;
    }
    reset();
    tnt_packet_decoder *d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(5), frag[1], l, l); /* last fragment first */
    CHECK_EQ(nopen, 0);
    tnt_packet_decode(d, 2, T(5), frag[0], n, n);
    CHECK_EQ(stream_len[0], strlen(PAYLOAD));
    CHECK_MEM(stream[0], PAYLOAD, strlen(PAYLOAD));
    CHECK_EQ(ndiag, 0);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);

    /* A fragment cut by the snap length: reported once, nothing delivered. */
    reset();
    d = tnt_packet_decoder_new(DLT_RAW, &cbs, NULL, NULL);
    tnt_packet_decode(d, 1, T(5), frag[0], n - 5, n);
    tnt_packet_decode(d, 2, T(5), frag[1], l, l);
    tnt_packet_finish(d, 2);
    tnt_packet_decoder_free(d);
    CHECK_EQ(ndiag, 1);
    CHECK(strstr(last_diag, "cut short by the capture's snap length") != NULL);
    CHECK_EQ(nopen, 0);
}

/* The default bounds of docs/robustness.md ("IP fragments held"): 256
 * incomplete datagrams and 8 MiB, each held at the limit; one more datagram,
 * or one more byte, drops the oldest datagram, said once. */
static void test_ip_default_limits(void)
{
    uint8_t tcp[128], f[256];
    build_tcp(tcp, PAYLOAD);
    const char *why;
    tnt_ip_packet out;
    size_t bl;

    /* 256 datagrams held; the 257th gives the oldest up. */
    reset();
    tnt_ip_reasm *r = tnt_ip_reasm_new(NULL, on_diag, NULL);
    for (uint16_t id = 1; id <= TNT_IP_DEFAULT_MAX_DATAGRAMS; id++) {
        bl = build_ipv4(f, tcp, 24, id, 0x2000); /* first 24 bytes of 47 */
        CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, id, T(1), &out, &why), TNT_IP_HELD);
    }
    CHECK_EQ(ndiag, 0);
    CHECK_EQ(tnt_ip_reasm_bytes(r), 256 * 24);
    bl = build_ipv4(f, tcp, 24, 257, 0x2000);
    CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, 257, T(1), &out, &why), TNT_IP_HELD);
    CHECK_EQ(ndiag, 1);
    CHECK_STR(last_diag, "IPv4 datagram 192.0.2.1 > 192.0.2.2 id 0x1 (first fragment in frame 1) "
                         "cannot be reassembled (too many datagrams being reassembled): 24 of "
                         "unknown bytes captured, dropped");
    CHECK_EQ(tnt_ip_reasm_bytes(r), 256 * 24);
    /* The second oldest was kept: its rest completes it. */
    bl = build_ipv4(f, tcp + 24, 23, 2, 0x0000 | 3);
    CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, 258, T(1), &out, &why), TNT_IP_PACKET);
    CHECK_EQ(out.len, 47);
    CHECK_MEM(out.payload, tcp, 47);
    CHECK_EQ(ndiag, 1);
    tnt_ip_reasm_free(r);

    /* Bytes: 128 datagrams of which only the last fragment came (held at
     * their full 65535 bytes) and one more ending at `last_end`: exactly
     * 8 MiB with 128, one byte more with 129. */
    for (size_t last_end = 128; last_end <= 129; last_end++) {
        reset();
        r = tnt_ip_reasm_new(NULL, on_diag, NULL);
        for (uint16_t id = 1; id <= 128; id++) {
            bl = build_ipv4(f, tcp, 7, id, 0x1FFF); /* 65528 + 7 = 65535 */
            CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, id, T(1), &out, &why), TNT_IP_HELD);
        }
        CHECK_EQ(tnt_ip_reasm_bytes(r), 128 * 65535);
        bl = build_ipv4(f, tcp, last_end - 120, 129, 120 / 8);
        CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, 129, T(1), &out, &why), TNT_IP_HELD);
        if (last_end == 128) {
            CHECK_EQ(tnt_ip_reasm_bytes(r), TNT_IP_DEFAULT_MAX_BYTES);
            CHECK_EQ(ndiag, 0);
        } else {
            CHECK_EQ(tnt_ip_reasm_bytes(r), TNT_IP_DEFAULT_MAX_BYTES + 1 - 65535);
            CHECK_EQ(ndiag, 1);
            CHECK_STR(last_diag, "IPv4 datagram 192.0.2.1 > 192.0.2.2 id 0x1 (first fragment in "
                                 "frame 1) cannot be reassembled (fragment memory bound "
                                 "reached): 7 of 65535 bytes captured, dropped");
        }
        /* The datagram that reached the bound is the one kept: its first
         * 120 bytes complete it. */
        uint8_t body[120];
        memset(body, 'B', sizeof body);
        bl = build_ipv4(f, body, 120, 129, 0x2000);
        CHECK_EQ(tnt_ip_input(r, 4, f, bl, false, 130, T(1), &out, &why), TNT_IP_PACKET);
        CHECK_EQ(out.len, last_end);
        tnt_ip_reasm_free(r);
    }
}

int main(void)
{
    test_ip_default_limits();
    test_link_types();
    test_ipv4_checks();
    test_ipv4_fragments();
    test_ipv6();
    return check_done("test_link_ip");
}
