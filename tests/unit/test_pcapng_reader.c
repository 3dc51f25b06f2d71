/* pcapng_reader: blocks built here in both byte orders, every field value
 * written by hand so that each expected result follows from the format
 * description (draft-ietf-opsawg-pcapng) alone. */
#include "check.h"

#include "pcapng_reader.c"

typedef struct buf {
    uint8_t b[4096];
    size_t n;
    bool be;
} buf;

static void put8(buf *o, uint8_t v)
{
    o->b[o->n++] = v;
}

static void put16(buf *o, uint16_t v)
{
    if (o->be) {
        put8(o, (uint8_t)(v >> 8));
        put8(o, (uint8_t)v);
    } else {
        put8(o, (uint8_t)v);
        put8(o, (uint8_t)(v >> 8));
    }
}

static void put32(buf *o, uint32_t v)
{
    if (o->be) {
        put16(o, (uint16_t)(v >> 16));
        put16(o, (uint16_t)v);
    } else {
        put16(o, (uint16_t)v);
        put16(o, (uint16_t)(v >> 16));
    }
}

static void put64(buf *o, uint64_t v)
{
    if (o->be) {
        put32(o, (uint32_t)(v >> 32));
        put32(o, (uint32_t)v);
    } else {
        put32(o, (uint32_t)v);
        put32(o, (uint32_t)(v >> 32));
    }
}

static void pad(buf *o)
{
    while (o->n % 4)
        put8(o, 0);
}

/* Starts a block; end_block() fills in both lengths. */
static size_t begin(buf *o, uint32_t type)
{
    size_t at = o->n;
    put32(o, type);
    put32(o, 0);
    return at;
}

static void end_block(buf *o, size_t at)
{
    pad(o);
    uint32_t len = (uint32_t)(o->n - at + 4);
    size_t save = o->n;
    o->n = at + 4;
    put32(o, len);
    o->n = save;
    put32(o, len);
}

static void shb(buf *o)
{
    size_t at = begin(o, BT_SHB);
    put32(o, BYTE_ORDER_MAGIC);
    put16(o, 1);
    put16(o, 0);
    put64(o, UINT64_MAX); /* section length unknown */
    end_block(o, at);
}

/* tsresol < 0: no option; tsoffset 0: no option. */
static void idb(buf *o, uint16_t lt, uint32_t snap, int tsresol, int64_t tsoffset)
{
    size_t at = begin(o, BT_IDB);
    put16(o, lt);
    put16(o, 0);
    put32(o, snap);
    if (tsresol >= 0) {
        put16(o, OPT_IF_TSRESOL);
        put16(o, 1);
        put8(o, (uint8_t)tsresol);
        pad(o);
    }
    if (tsoffset) {
        put16(o, OPT_IF_TSOFFSET);
        put16(o, 8);
        put64(o, (uint64_t)tsoffset);
    }
    if (tsresol >= 0 || tsoffset) {
        put16(o, OPT_ENDOFOPT);
        put16(o, 0);
    }
    end_block(o, at);
}

static void epb(buf *o, uint32_t ifc, uint64_t ts, uint32_t cap, uint32_t orig, uint8_t fill)
{
    size_t at = begin(o, BT_EPB);
    put32(o, ifc);
    put32(o, (uint32_t)(ts >> 32));
    put32(o, (uint32_t)ts);
    put32(o, cap);
    put32(o, orig);
    for (uint32_t i = 0; i < cap; i++)
        put8(o, (uint8_t)(fill + i));
    pad(o);
    /* an epb_flags option, to be skipped */
    put16(o, 2);
    put16(o, 4);
    put32(o, 1);
    put32(o, 0);
    end_block(o, at);
}

static void spb(buf *o, uint32_t orig, uint32_t stored, uint8_t fill)
{
    size_t at = begin(o, BT_SPB);
    put32(o, orig);
    for (uint32_t i = 0; i < stored; i++)
        put8(o, (uint8_t)(fill + i));
    end_block(o, at);
}

static void pb(buf *o, uint16_t ifc, uint64_t ts, uint32_t cap, uint32_t orig, uint8_t fill)
{
    size_t at = begin(o, BT_PB);
    put16(o, ifc);
    put16(o, 7); /* drops */
    put32(o, (uint32_t)(ts >> 32));
    put32(o, (uint32_t)ts);
    put32(o, cap);
    put32(o, orig);
    for (uint32_t i = 0; i < cap; i++)
        put8(o, (uint8_t)(fill + i));
    end_block(o, at);
}

static void other(buf *o, uint32_t type)
{
    size_t at = begin(o, type);
    put32(o, 0x11223344);
    put8(o, 9);
    end_block(o, at);
}

/* Builds the reference file in one byte order; block_ends receives the
 * offset after each block. */
static void build(buf *o, bool be, size_t *ends, size_t *n_ends)
{
    memset(o, 0, sizeof *o);
    o->be = be;
    *n_ends = 0;
#define MARK() (ends[(*n_ends)++] = o->n)
    shb(o);
    MARK();
    /* Ethernet in nanoseconds. */
    idb(o, 1, 0, 9, 0);
    MARK();
    other(o, 0x0000000Au); /* a DSB: skipped */
    MARK();
    /* Linux cooked, 2^-10 s, 100 s offset, snap length 64. */
    idb(o, 113, 64, 0x80 | 10, 100);
    MARK();
    epb(o, 0, UINT64_C(1234567890123456789), 5, 60, 0x10);
    MARK();
    epb(o, 1, (UINT64_C(5) << 10) | 512, 0, 0, 0);
    MARK();
    other(o, 4); /* a name resolution block: skipped */
    MARK();
    spb(o, 6, 6, 0x20); /* interface 0, 6 bytes padded to 8 */
    MARK();
    spb(o, 300, 12, 0x30); /* cut when written: 12 of 300 bytes */
    MARK();
    pb(o, 1, (UINT64_C(7) << 10) | 256, 3, 3, 0x40);
    MARK();
    /* A second section forgets both interfaces: raw IP, default microseconds. */
    shb(o);
    MARK();
    idb(o, 101, 0, -1, 0);
    MARK();
    epb(o, 0, UINT64_C(1700000000654321), 2, 2, 0x50);
    MARK();
#undef MARK
}

static void test_reference(bool be)
{
    buf o;
    size_t ends[32], n_ends;
    build(&o, be, ends, &n_ends);
    pcapng_reader r;
    pcapng_packet p;
    pcapng_reader_init(&r, o.b, o.n, false);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.iface, 0);
    CHECK_EQ(p.linktype, 1);
    CHECK_EQ(p.sec, 1234567890);
    CHECK_EQ(p.usec, 123456);
    CHECK_EQ(p.caplen, 5);
    CHECK_EQ(p.wirelen, 60);
    CHECK_MEM(p.data, "\x10\x11\x12\x13\x14", 5);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.iface, 1);
    CHECK_EQ(p.linktype, 113);
    CHECK_EQ(p.sec, 105); /* 5 + if_tsoffset 100 */
    CHECK_EQ(p.usec, 500000);
    CHECK_EQ(p.caplen, 0);
    CHECK_EQ(p.wirelen, 0);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.iface, 0);
    CHECK_EQ(p.linktype, 1);
    CHECK_EQ(p.sec, 0);
    CHECK_EQ(p.usec, 0);
    CHECK_EQ(p.caplen, 6); /* the original length, not the padding */
    CHECK_EQ(p.wirelen, 6);
    CHECK_MEM(p.data, "\x20\x21\x22\x23\x24\x25", 6);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.caplen, 12); /* what the block holds */
    CHECK_EQ(p.wirelen, 300);
    CHECK_EQ(p.data[11], 0x3b);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.iface, 1);
    CHECK_EQ(p.linktype, 113);
    CHECK_EQ(p.sec, 107);
    CHECK_EQ(p.usec, 250000);
    CHECK_EQ(p.caplen, 3);
    CHECK_MEM(p.data, "\x40\x41\x42", 3);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_PACKET);
    CHECK_EQ(p.iface, 0);
    CHECK_EQ(p.linktype, 101);
    CHECK_EQ(p.sec, 1700000000);
    CHECK_EQ(p.usec, 654321);
    CHECK_MEM(p.data, "\x50\x51", 2);

    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_END);
    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_END);
    pcapng_reader_free(&r);

    uint32_t types[4];
    size_t n;
    CHECK_EQ(pcapng_scan_linktypes(o.b, o.n, false, types, 4, &n), PCAPNG_SCAN_OK);
    CHECK_EQ(n, 3);
    CHECK_EQ(types[0], 1);
    CHECK_EQ(types[1], 113);
    CHECK_EQ(types[2], 101);
    /* Fewer slots than types: still more than one counted. */
    CHECK_EQ(pcapng_scan_linktypes(o.b, o.n, false, types, 1, &n), PCAPNG_SCAN_OK);
    CHECK_EQ(types[0], 1);
    CHECK(n > 1);

    /* Cut at every offset: never a crash; a clean end exactly at block
     * boundaries, otherwise an error after the packets before the cut. */
    for (size_t len = 0; len < o.n; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, o.b, len);
        pcapng_reader_init(&r, copy, len, false);
        pcapng_next_result res;
        int packets = 0;
        while ((res = pcapng_reader_next(&r, &p)) == PCAPNG_PACKET) {
            packets++;
            CHECK(p.data + p.caplen <= copy + len);
        }
        bool boundary = false;
        for (size_t i = 0; i < n_ends; i++)
            boundary |= ends[i] == len;
        CHECK_EQ(res, boundary ? PCAPNG_END : PCAPNG_ERROR);
        CHECK(packets <= 6);
        if (res == PCAPNG_ERROR)
            CHECK(r.err[0] != 0);
        pcapng_reader_free(&r);
        pcapng_scan_result sr = pcapng_scan_linktypes(copy, len, false, types, 4, &n);
        CHECK(n <= 3);
        if (len < ends[0])
            CHECK_EQ(sr, PCAPNG_SCAN_NOT_PCAPNG);
        else
            CHECK_EQ(sr, boundary ? PCAPNG_SCAN_OK : PCAPNG_SCAN_DAMAGED);
        free(copy);
    }
}

/* Reads the first packet of an SHB + IDB + one tampered block. */
static pcapng_next_result first(const buf *o, pcapng_packet *p, char *err)
{
    pcapng_reader r;
    pcapng_reader_init(&r, o->b, o->n, false);
    pcapng_next_result res = pcapng_reader_next(&r, p);
    snprintf(err, PCAPNG_ERR_SIZE, "%s", r.err);
    pcapng_reader_free(&r);
    return res;
}

static void set32(buf *o, size_t at, uint32_t v)
{
    size_t save = o->n;
    o->n = at;
    put32(o, v);
    o->n = save;
}

static void test_lengths(bool be)
{
    buf o;
    pcapng_packet p;
    char err[PCAPNG_ERR_SIZE];

    /* The EPB's captured length: exact, one short, one too long. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    idb(&o, 1, 0, -1, 0);
    size_t at = o.n;
    epb(&o, 0, 0, 8, 8, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    CHECK_EQ(p.caplen, 8);
    set32(&o, at + 20, 7);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    CHECK_EQ(p.caplen, 7);
    /* 9 still fits in the block (its options follow the data) ... */
    set32(&o, at + 20, 9);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    /* ... past the end of the block does not. */
    set32(&o, at + 20, 8 + 12 + 1);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "captured length exceeds the block") != NULL);
    set32(&o, at + 20, UINT32_MAX);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    set32(&o, at + 20, 8);

    /* The block's total length: not a multiple of 4, 4 short (trailer
     * mismatch), 4 long (past the end), below the minimum. */
    uint32_t len = (uint32_t)(o.n - at);
    set32(&o, at + 4, len - 1);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "bad length") != NULL);
    set32(&o, at + 4, len + 1);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    set32(&o, at + 4, len - 4);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "length fields differ") != NULL);
    set32(&o, at + 4, len + 4);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "truncated pcapng file") != NULL);
    set32(&o, at + 4, 8);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    set32(&o, at + 4, len);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);

    /* An EPB too short for its fixed fields; a packet on interface 1 of a
     * section with one interface. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    idb(&o, 1, 0, -1, 0);
    at = begin(&o, BT_EPB);
    put32(&o, 0);
    put32(&o, 0);
    end_block(&o, at);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "too short") != NULL);
    o.n = at;
    epb(&o, 1, 0, 1, 1, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "undescribed interface") != NULL);

    /* An SPB before any IDB, and one of an interface with a snap length. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    spb(&o, 4, 4, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    idb(&o, 1, 3, -1, 0);
    spb(&o, 4, 4, 0x61);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    CHECK_EQ(p.caplen, 3);
    CHECK_EQ(p.wirelen, 4);
    /* An empty SPB. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    idb(&o, 1, 0, -1, 0);
    spb(&o, 0, 0, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    CHECK_EQ(p.caplen, 0);

    /* IDB options: if_tsresol of the wrong length, an option longer than the
     * block, resolutions at and past the 64-bit limit. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    at = begin(&o, BT_IDB);
    put16(&o, 1);
    put16(&o, 0);
    put32(&o, 0);
    put16(&o, OPT_IF_TSRESOL);
    put16(&o, 2);
    put16(&o, 0x0909);
    end_block(&o, at);
    epb(&o, 0, 0, 0, 0, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "bad if_tsresol") != NULL);
    set32(&o, at + 16, be ? (OPT_IF_TSRESOL << 16 | 5) : (5u << 16 | OPT_IF_TSRESOL));
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "overruns") != NULL);

    static const struct {
        int res;
        uint64_t ts;
        bool ok;
        int64_t sec;
        uint32_t usec;
    } res[] = {
        {19, UINT64_MAX, true, 1, 844674},              /* 10^-19 s */
        {20, 0, false, 0, 0},                           /* 10^-20: too fine */
        {0x80 | 63, UINT64_MAX, true, 1, 999999},       /* 2^-63 s */
        {0x80 | 64, 0, false, 0, 0},                    /* 2^-64: too fine */
        {0, UINT64_C(4000000000), true, 4000000000, 0}, /* whole seconds */
        {0x80, 77, true, 77, 0},                        /* 2^0 = seconds */
        {3, 1234567, true, 1234, 567000},               /* milliseconds */
    };
    for (size_t i = 0; i < sizeof res / sizeof res[0]; i++) {
        memset(&o, 0, sizeof o);
        o.be = be;
        shb(&o);
        idb(&o, 1, 0, res[i].res, 0);
        epb(&o, 0, res[i].ts, 0, 0, 0);
        CHECK_EQ(first(&o, &p, err), res[i].ok ? PCAPNG_PACKET : PCAPNG_ERROR);
        if (res[i].ok) {
            CHECK_EQ(p.sec, res[i].sec);
            CHECK_EQ(p.usec, res[i].usec);
        } else {
            CHECK(strstr(err, "too fine") != NULL);
        }
    }
    /* A negative if_tsoffset. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    idb(&o, 1, 0, -1, -1000);
    epb(&o, 0, UINT64_C(1500000000), 0, 0, 0);
    CHECK_EQ(first(&o, &p, err), PCAPNG_PACKET);
    CHECK_EQ(p.sec, 500);
    CHECK_EQ(p.usec, 0);

    /* Section header: unsupported version, bad magic. */
    memset(&o, 0, sizeof o);
    o.be = be;
    shb(&o);
    set32(&o, 12, be ? 0x00020000 : 0x00000002);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "version") != NULL);
    set32(&o, 8, 0x1A2B3C4E);
    CHECK_EQ(first(&o, &p, err), PCAPNG_ERROR);
    CHECK(strstr(err, "byte-order magic") != NULL);
}

static void test_not_pcapng(void)
{
    /* A classic pcap header, an empty buffer, a lone IDB. */
    static const uint8_t pcap[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
    uint32_t types[2];
    size_t n = 9;
    CHECK(!pcapng_is_pcapng(pcap, sizeof pcap));
    CHECK_EQ(pcapng_scan_linktypes(pcap, sizeof pcap, false, types, 2, &n), PCAPNG_SCAN_NOT_PCAPNG);
    CHECK_EQ(n, 0);
    CHECK_EQ(pcapng_scan_linktypes(pcap, 0, false, types, 2, &n), PCAPNG_SCAN_NOT_PCAPNG);
    CHECK_EQ(n, 0);
    pcapng_reader r;
    pcapng_packet p;
    pcapng_reader_init(&r, pcap, 0, false);
    CHECK_EQ(pcapng_reader_next(&r, &p), PCAPNG_ERROR);
    pcapng_reader_free(&r);
    buf o;
    memset(&o, 0, sizeof o);
    idb(&o, 1, 0, -1, 0);
    CHECK(!pcapng_is_pcapng(o.b, o.n));
    CHECK_EQ(pcapng_scan_linktypes(o.b, o.n, false, types, 2, &n), PCAPNG_SCAN_NOT_PCAPNG);
    /* One link type on several interfaces is not mixed. */
    memset(&o, 0, sizeof o);
    shb(&o);
    idb(&o, 1, 0, -1, 0);
    idb(&o, 1, 128, 9, 0);
    CHECK(pcapng_is_pcapng(o.b, o.n));
    CHECK_EQ(pcapng_scan_linktypes(o.b, o.n, false, types, 2, &n), PCAPNG_SCAN_OK);
    CHECK_EQ(n, 1);
}

int main(void)
{
    test_reference(false);
    test_reference(true);
    test_lengths(false);
    test_lengths(true);
    test_not_pcapng();
    return check_done("test_pcapng_reader");
}
