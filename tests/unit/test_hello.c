/* ClientHello, ServerHello and SSLv2 ClientHello decoders.
 *
 * Vectors are real hellos, copied byte for byte (handshake header included,
 * so spans are message-relative as the decoders promise):
 *  - ILL_*: https://github.com/syncsynchalt/illustrated-tls12 @d0e54d66 (MIT),
 *    corpus third_party/illustrated-tls12/captures/caps/{clienthello,serverhello}
 *    (the same bytes as frames 5 and 7 of its capture.pcap).
 *  - ZEEK_*: https://github.com/zeek/zeek (BSD-3-Clause), corpus
 *    third_party/zeek/client-certificate.pcap (Firefox TLS 1.2, 15 extensions)
 *    and third_party/zeek/hrr.pcap (TLS 1.3 HelloRetryRequest).
 *  - SNET13_SH: https://github.com/Voev/snet (Unlicense), corpus
 *    third_party/snet/decrypt_by_keylog/TLS1_3_TLS_AES_128_GCM_SHA256.pcap.
 *  - SSLv2 ClientHellos: suricata-verify (MIT) tests/sslv2-tls-upgrade-01/
 *    ssl-v2-s1.pcap frame 4, and zeek testing/btest/Traces/tls/ssl-v2.pcap
 *    frame 4 (corpus third_party/zeek/ssl-v2.pcap).
 * Expected values were read off `tshark -V` (4.0.17) for the same frames.
 *
 * Every input is put in a heap buffer of its exact size, so ASan reports any
 * read past the end. */
#include "check.h"
#include "codepoints.h"
#include "handshake.h"

/* illustrated-tls12 captures/caps/clienthello, record header removed (165 bytes) */
static const char ILL_CH[] =
    "010000a10303000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f000020cca8cca9c0"
    "2fc030c02bc02cc013c009c014c00a009c009d002f0035c012000a010000580000001800160000136578616d706c"
    "652e756c666865696d2e6e6574000500050100000000000a000a0008001d001700180019000b00020100000d0012"
    "001004010403050105030601060302010203ff0100010000120000";

/* illustrated-tls12 captures/caps/serverhello, record header removed (49 bytes) */
static const char ILL_SH[] =
    "0200002d0303707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f00c013000005ff01"
    "000100";

/* zeek client-certificate.pcap frame 4, ClientHello (512 bytes) */
static const char ZEEK_CH[] =
    "010001fc030365ab8392880aeb2a68e9e83604c444329974a527ce9b2b2e33e2aa8ed5b273be20bf6aed7f0711fc"
    "268e775f95995da1d36ce085ac7a15406ea1832dbb9042b5730022130113031302c02bc02fcca9cca8c02cc030c0"
    "0ac009c013c014009c009d002f00350100019100000016001400001163657274617574682e69647269782e667200"
    "170000ff01000100000a000e000c001d00170018001901000101000b00020100002300000010000e000c02683208"
    "687474702f312e310005000501000000000022000a000804030503060302030033006b0069001d0020019fa9694f"
    "569d9cef1f98390b05ba8c0fad668d0882dc4051c1092350a2c43800170041043a7c1ea971b4412270c87aedf506"
    "9b387d37c221efde0f5488783296b28f3aafb780803c05e0a0cf9fa4fb5c8c479feda923726b5f66cb9cc3d271e1"
    "dccb8be8002b00050403040303000d0018001604030503060308040805080604010501060102030201002d000201"
    "01001c00024001001500850000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000";

/* zeek client-certificate.pcap, ServerHello (84 bytes) */
static const char ZEEK_SH[] =
    "02000050030330d76f5b34c3c233401f2824bbcdb192ff560e538b36e08cbc53a61246071c6b00c030000028ff01"
    "00010000000000000b000403000102002300000010000b000908687474702f312e3100170000";

/* zeek hrr.pcap frame 4, first ClientHello (231 bytes) */
static const char HRR_CH[] =
    "010000e3030330f1903e37d4f598a70d696a9172b296c96852c9dae4a3c9ca6b49d2021668a1201a6bb8368add0e"
    "28015bd6cced648236f49e2407f19653ac1fdd1ffa48bfaecd000813021303130100ff01000092000b0004030001"
    "02000a00080006001500170018002300000016000000170000000d001e001c040305030603080708080809080a08"
    "0b080408050806040105010601002b0003020304002d000201010033003f003d0015003904742beee2f40d71fd7d"
    "e442c4829450b081225514e22c5d87b47fc5958bccc7ff69835d7731166b62e92de516b8af90fe45cbb056ce364f"
    "40";

/* zeek hrr.pcap frame 6, HelloRetryRequest (88 bytes) */
static const char HRR_SH[] =
    "020000540303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c201a6bb8368add0e"
    "28015bd6cced648236f49e2407f19653ac1fdd1ffa48bfaecd130200000c002b00020304003300020017";

/* snet TLS1_3_TLS_AES_128_GCM_SHA256.pcap, TLS 1.3 ServerHello (122 bytes) */
static const char SNET13_SH[] =
    "020000760303e9cca66cc0c374fed2687b855417102f737c5bc69e28baee402bc3a9c5efd52c209caac75012f2ba"
    "226edc1fbf51d093759c87e8ae298efaaab2eb1e6260d16e65130100002e002b0002030400330024001d0020d129"
    "38b7be35595e3617ab803081dbd7c2efebc4104162a4d0f561df73b39008";

/* SSLv2 ClientHello, upgrade to TLS 1.0 (suricata-verify ssl-v2-s1.pcap
 * frame 4, 105 bytes, 2-byte record header). */
static const char V2_SURICATA[] =
    "8067010301004e000000100100800300800700c006004002008004008000003900003800003500003300003200"
    "000400000500002f00001600001300feff00000a00001500001200fefe0000090000640000620000030000063143"
    "c465d52771e466a42be1701787fd";

/* SSLv2 ClientHello for SSL 2.0 itself (zeek ssl-v2.pcap frame 4, 48 bytes). */
static const char V2_ZEEK[] =
    "802e0100020015000000100700c00500800300800100800600400400800200801c30e2b12f4c04525476f280c07a"
    "bee5";

/* A message in a heap buffer of its exact size, decoded from its body. */
typedef struct msg {
    uint8_t *buf;
    size_t len;
    tnt_arena arena;
    tnt_error err;
    bool ok;
    size_t left;
    tnt_client_hello ch;
    tnt_server_hello sh;
} msg;

static size_t unhex_alloc(const char *hex, uint8_t **out)
{
    static uint8_t tmp[140000];
    size_t n = check_unhex(hex, tmp, sizeof(tmp));
    *out = malloc(n ? n : 1);
    memcpy(*out, tmp, n);
    return n;
}

/* Decodes the first 4 + body_len bytes of raw (header kept as is). */
static void decode_raw(msg *m, const uint8_t *raw, size_t body_len, bool server)
{
    m->len = 4 + body_len;
    m->buf = malloc(m->len);
    memcpy(m->buf, raw, m->len);
    tnt_arena_init(&m->arena);
    tnt_cursor c;
    tnt_cursor_init_at(&c, m->buf, m->buf + 4, body_len);
    m->err = (tnt_error){0};
    if (server)
        m->ok = tnt_server_hello_decode(&c, NULL, &m->arena, &m->sh, &m->err);
    else
        m->ok = tnt_client_hello_decode(&c, NULL, &m->arena, &m->ch, &m->err);
    m->left = tnt_cursor_len(&c);
}

static void decode_hex(msg *m, const char *hex, bool server)
{
    uint8_t *raw;
    size_t n = unhex_alloc(hex, &raw);
    decode_raw(m, raw, n - 4, server);
    free(raw);
}

static void release(msg *m)
{
    tnt_arena_free(&m->arena);
    free(m->buf);
}

static void expect_types(const tnt_extensions *e, const uint16_t *types, uint32_t n)
{
    CHECK_EQ(e->n, n);
    for (uint32_t i = 0; i < n && i < e->n; i++)
        CHECK_EQ(e->v[i].type.v, types[i]);
}

static void test_illustrated_ch(void)
{
    msg m;
    decode_hex(&m, ILL_CH, false);
    CHECK(m.ok);
    CHECK(m.err.what == NULL);
    CHECK_EQ(m.left, 0);
    const tnt_client_hello *ch = &m.ch;
    CHECK_EQ(ch->version.v, TNT_TLS12);
    CHECK_EQ(ch->version.at.off, 4);
    CHECK_EQ(ch->version.at.len, 2);
    CHECK_EQ(ch->random.len, 32);
    CHECK_EQ(ch->random.at.off, 6);
    for (int i = 0; i < 32; i++)
        CHECK_EQ(ch->random.p[i], i);
    CHECK_EQ(ch->session_id.len, 0);
    CHECK_EQ(ch->session_id.at.off, 39);
    CHECK_EQ(ch->suites_at.off, 41);
    CHECK_EQ(ch->suites_at.len, 32);
    static const uint16_t suites[] = {0xcca8, 0xcca9, 0xc02f, 0xc030, 0xc02b, 0xc02c,
                                      0xc013, 0xc009, 0xc014, 0xc00a, 0x009c, 0x009d,
                                      0x002f, 0x0035, 0xc012, 0x000a};
    CHECK_EQ(ch->n_suites, 16);
    for (int i = 0; i < 16; i++) {
        CHECK_EQ(ch->suites[i].v, suites[i]);
        CHECK_EQ(ch->suites[i].at.off, 41 + 2 * i);
    }
    CHECK_EQ(ch->compressions_at.off, 74);
    CHECK_EQ(ch->compressions_at.len, 1);
    CHECK_EQ(ch->n_compressions, 1);
    CHECK_EQ(ch->compressions[0].v, 0);
    CHECK_EQ(ch->compressions[0].at.off, 74);
    CHECK(ch->has_extensions);
    CHECK_EQ(ch->ext.length.v, 88);
    CHECK_EQ(ch->ext.length.at.off, 75);
    CHECK_EQ(ch->ext.list_at.off, 77);
    CHECK_EQ(ch->ext.list_at.len, 88);
    static const uint16_t types[] = {0, 5, 10, 11, 13, 0xff01, 18};
    expect_types(&ch->ext, types, 7);
    for (uint32_t i = 0; i < 6 && i < ch->ext.n; i++)
        CHECK(ch->ext.v[i].decoded);
    const tnt_extension *sni = tnt_extensions_find(&ch->ext, TNT_EXT_SERVER_NAME);
    CHECK(sni != NULL);
    if (sni) {
        CHECK_EQ(sni->u.sni.n, 1);
        CHECK_EQ(sni->u.sni.names[0].name.at.off, 86);
        CHECK_EQ(sni->u.sni.names[0].name.len, 19);
        CHECK_MEM(sni->u.sni.names[0].name.p, "example.ulfheim.net", 19);
    }
    const tnt_extension *ri = tnt_extensions_find(&ch->ext, TNT_EXT_RENEGOTIATION_INFO);
    CHECK(ri && ri->decoded && ri->u.renegotiation_info.len == 0);
    if (ri)
        CHECK_EQ(ri->u.renegotiation_info.at.off, 161);
    release(&m);
}

static void test_illustrated_sh(void)
{
    msg m;
    decode_hex(&m, ILL_SH, true);
    CHECK(m.ok);
    const tnt_server_hello *sh = &m.sh;
    CHECK_EQ(sh->version.v, TNT_TLS12);
    CHECK_EQ(sh->random.at.off, 6);
    CHECK_EQ(sh->random.len, 32);
    CHECK_EQ(sh->random.p[0], 0x70);
    CHECK_EQ(sh->random.p[31], 0x8f);
    CHECK(!sh->is_hello_retry_request);
    CHECK_EQ(sh->session_id.len, 0);
    CHECK_EQ(sh->session_id.at.off, 39);
    CHECK_EQ(sh->suite.v, 0xc013);
    CHECK_EQ(sh->suite.at.off, 39);
    CHECK_EQ(sh->suite.at.len, 2);
    CHECK_EQ(sh->compression.v, 0);
    CHECK_EQ(sh->compression.at.off, 41);
    CHECK(sh->has_extensions);
    CHECK_EQ(sh->ext.length.v, 5);
    CHECK_EQ(sh->ext.list_at.off, 44);
    CHECK_EQ(sh->ext.n, 1);
    if (sh->ext.n == 1) {
        CHECK_EQ(sh->ext.v[0].type.v, TNT_EXT_RENEGOTIATION_INFO);
        CHECK(sh->ext.v[0].decoded);
        CHECK_EQ(sh->ext.v[0].u.renegotiation_info.len, 0);
        CHECK_EQ(sh->ext.v[0].u.renegotiation_info.at.off, 49);
    }
    release(&m);
}

static void test_zeek(void)
{
    msg m;
    decode_hex(&m, ZEEK_CH, false);
    CHECK(m.ok);
    const tnt_client_hello *ch = &m.ch;
    CHECK_EQ(ch->version.v, TNT_TLS12);
    CHECK_EQ(ch->random.p[0], 0x65);
    CHECK_EQ(ch->random.p[31], 0xbe);
    CHECK_EQ(ch->session_id.len, 32);
    CHECK_EQ(ch->session_id.at.off, 39);
    CHECK_EQ(ch->session_id.p[0], 0xbf);
    CHECK_EQ(ch->session_id.p[31], 0x73);
    CHECK_EQ(ch->n_suites, 17);
    CHECK_EQ(ch->suites[0].v, 0x1301);
    CHECK_EQ(ch->suites[16].v, 0x0035);
    CHECK_EQ(ch->suites[16].at.off, 73 + 32);
    CHECK_EQ(ch->n_compressions, 1);
    CHECK_EQ(ch->ext.length.v, 401);
    CHECK_EQ(ch->ext.list_at.off, 111);
    static const uint16_t types[] = {0, 23, 0xff01, 10, 11, 35, 16, 5, 34, 51, 43, 13, 45, 28, 21};
    expect_types(&ch->ext, types, 15);
    static const tnt_ext_kind kinds[] = {TNT_EXTK_SERVER_NAME,
                                         TNT_EXTK_EXTENDED_MASTER_SECRET,
                                         TNT_EXTK_RENEGOTIATION_INFO,
                                         TNT_EXTK_SUPPORTED_GROUPS,
                                         TNT_EXTK_EC_POINT_FORMATS,
                                         TNT_EXTK_SESSION_TICKET,
                                         TNT_EXTK_ALPN,
                                         TNT_EXTK_STATUS_REQUEST,
                                         TNT_EXTK_UNKNOWN,
                                         TNT_EXTK_UNKNOWN,
                                         TNT_EXTK_SUPPORTED_VERSIONS,
                                         TNT_EXTK_SIGNATURE_ALGORITHMS,
                                         TNT_EXTK_UNKNOWN,
                                         TNT_EXTK_RECORD_SIZE_LIMIT,
                                         TNT_EXTK_PADDING};
    for (uint32_t i = 0; i < 15 && i < ch->ext.n; i++) {
        CHECK_EQ(ch->ext.v[i].kind, kinds[i]);
        CHECK_EQ(ch->ext.v[i].decoded, kinds[i] != TNT_EXTK_UNKNOWN);
        CHECK(ch->ext.v[i].err.what == NULL);
    }
    const tnt_extension *e = tnt_extensions_find(&ch->ext, TNT_EXT_SERVER_NAME);
    if (e) {
        CHECK_EQ(e->u.sni.names[0].name.len, 17);
        CHECK_MEM(e->u.sni.names[0].name.p, "certauth.idrix.fr", 17);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_SUPPORTED_GROUPS);
    if (e) {
        static const uint16_t g[] = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101};
        CHECK_EQ(e->u.groups.n, 6);
        for (int i = 0; i < 6; i++)
            CHECK_EQ(e->u.groups.v[i].v, g[i]);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_ALPN);
    if (e) {
        CHECK_EQ(e->u.alpn.n, 2);
        CHECK_MEM(e->u.alpn.protocols[0].p, "h2", 2);
        CHECK_MEM(e->u.alpn.protocols[1].p, "http/1.1", 8);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_STATUS_REQUEST);
    if (e) {
        CHECK_EQ(e->u.status_request.type.v, 1);
        CHECK_EQ(e->u.status_request.responder_ids.len, 0);
        CHECK_EQ(e->u.status_request.extensions.len, 0);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_SUPPORTED_VERSIONS);
    if (e) {
        CHECK(e->u.supported_versions.is_list);
        CHECK_EQ(e->u.supported_versions.list.n, 2);
        CHECK_EQ(e->u.supported_versions.list.v[0].v, TNT_TLS13);
        CHECK_EQ(e->u.supported_versions.list.v[1].v, TNT_TLS12);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_SIGNATURE_ALGORITHMS);
    if (e) {
        static const uint16_t s[] = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806,
                                     0x0401, 0x0501, 0x0601, 0x0203, 0x0201};
        CHECK_EQ(e->u.sig_algs.n, 11);
        for (int i = 0; i < 11; i++)
            CHECK_EQ(e->u.sig_algs.v[i].v, s[i]);
    }
    e = tnt_extensions_find(&ch->ext, TNT_EXT_RECORD_SIZE_LIMIT);
    if (e)
        CHECK_EQ(e->u.record_size_limit.v, 16385);
    e = tnt_extensions_find(&ch->ext, TNT_EXT_PADDING);
    if (e) {
        CHECK_EQ(e->u.padding.len, 133);
        CHECK_EQ(e->u.padding.at.off + e->u.padding.at.len, 512);
    }
    release(&m);

    decode_hex(&m, ZEEK_SH, true);
    CHECK(m.ok);
    const tnt_server_hello *sh = &m.sh;
    CHECK_EQ(sh->version.v, TNT_TLS12);
    CHECK_EQ(sh->random.p[0], 0x30);
    CHECK_EQ(sh->suite.v, 0xc030);
    CHECK_EQ(sh->ext.length.v, 40);
    static const uint16_t sh_types[] = {0xff01, 0, 11, 35, 16, 23};
    expect_types(&sh->ext, sh_types, 6);
    for (uint32_t i = 0; i < sh->ext.n; i++)
        CHECK(sh->ext.v[i].decoded);
    e = tnt_extensions_find(&sh->ext, TNT_EXT_SERVER_NAME);
    if (e)
        CHECK_EQ(e->u.sni.n, 0);
    e = tnt_extensions_find(&sh->ext, TNT_EXT_EC_POINT_FORMATS);
    if (e) {
        CHECK_EQ(e->u.formats.n, 3);
        CHECK_EQ(e->u.formats.v[2].v, 2);
    }
    e = tnt_extensions_find(&sh->ext, TNT_EXT_ALPN);
    if (e) {
        CHECK_EQ(e->u.alpn.n, 1);
        CHECK_MEM(e->u.alpn.protocols[0].p, "http/1.1", 8);
    }
    release(&m);
}

static const uint8_t HRR_MAGIC[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

static void test_tls13(void)
{
    msg m;
    decode_hex(&m, HRR_CH, false);
    CHECK(m.ok);
    CHECK_EQ(m.ch.n_suites, 4);
    CHECK_EQ(m.ch.suites[3].v, 0x00ff);
    CHECK_EQ(m.ch.session_id.len, 32);
    static const uint16_t types[] = {11, 10, 35, 22, 23, 13, 43, 45, 51};
    expect_types(&m.ch.ext, types, 9);
    const tnt_extension *e = tnt_extensions_find(&m.ch.ext, TNT_EXT_ENCRYPT_THEN_MAC);
    CHECK(e && e->decoded && e->kind == TNT_EXTK_ENCRYPT_THEN_MAC);
    e = tnt_extensions_find(&m.ch.ext, TNT_EXT_SUPPORTED_GROUPS);
    if (e) {
        CHECK_EQ(e->u.groups.n, 3);
        CHECK_EQ(e->u.groups.v[0].v, 0x0015);
    }
    e = tnt_extensions_find(&m.ch.ext, TNT_EXT_SIGNATURE_ALGORITHMS);
    if (e)
        CHECK_EQ(e->u.sig_algs.n, 14);
    e = tnt_extensions_find(&m.ch.ext, TNT_EXT_SUPPORTED_VERSIONS);
    if (e) {
        CHECK_EQ(e->u.supported_versions.list.n, 1);
        CHECK_EQ(e->u.supported_versions.list.v[0].v, TNT_TLS13);
    }
    release(&m);

    decode_hex(&m, HRR_SH, true);
    CHECK(m.ok);
    CHECK(m.sh.is_hello_retry_request);
    CHECK_MEM(m.sh.random.p, HRR_MAGIC, 32);
    CHECK_EQ(m.sh.version.v, TNT_TLS12);
    CHECK_EQ(m.sh.session_id.len, 32);
    CHECK_EQ(m.sh.suite.v, 0x1302);
    CHECK_EQ(m.sh.suite.at.off, 71);
    CHECK_EQ(m.sh.ext.n, 2);
    e = tnt_extensions_find(&m.sh.ext, TNT_EXT_SUPPORTED_VERSIONS);
    CHECK(e && e->decoded);
    if (e) {
        CHECK(!e->u.supported_versions.is_list);
        CHECK_EQ(e->u.supported_versions.selected.v, TNT_TLS13);
        CHECK_EQ(e->u.supported_versions.selected.at.off, 80);
    }
    e = tnt_extensions_find(&m.sh.ext, TNT_EXT_KEY_SHARE);
    CHECK(e && !e->decoded && e->kind == TNT_EXTK_UNKNOWN && e->data.len == 2);
    release(&m);

    /* One bit off the magic: an ordinary ServerHello. */
    uint8_t *raw;
    size_t n = unhex_alloc(HRR_SH, &raw);
    raw[37] ^= 1;
    decode_raw(&m, raw, n - 4, true);
    CHECK(m.ok);
    CHECK(!m.sh.is_hello_retry_request);
    release(&m);
    free(raw);

    decode_hex(&m, SNET13_SH, true);
    CHECK(m.ok);
    CHECK(!m.sh.is_hello_retry_request);
    CHECK_EQ(m.sh.suite.v, 0x1301);
    e = tnt_extensions_find(&m.sh.ext, TNT_EXT_SUPPORTED_VERSIONS);
    CHECK(e && e->decoded && e->u.supported_versions.selected.v == TNT_TLS13);
    release(&m);
}

/* A ServerHello answering TNT negotiate (spec section 2), made from ILL_SH
 * by appending the tnt extension: version 1, negotiate, one strategy
 * (eager), one language (dn_expression). */
static const char TNT_SH[] = "02000037"
                             "0303707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
                             "00c01300000f"
                             "ff01000100"
                             "ff540006010101010101";

static void test_tnt_sh(void)
{
    msg m;
    decode_hex(&m, TNT_SH, true);
    CHECK(m.ok);
    CHECK_EQ(m.sh.ext.n, 2);
    const tnt_extension *e = tnt_extensions_find(&m.sh.ext, tnt_codepoints_default.ext_type);
    CHECK(e != NULL);
    if (e) {
        CHECK_EQ(e->kind, TNT_EXTK_TNT);
        CHECK(e->decoded);
        CHECK_EQ(e->type.at.off, 49);
        CHECK_EQ(e->u.tnt.version.v, 1);
        CHECK_EQ(e->u.tnt.mode.v, TNT_MODE_NEGOTIATE);
        CHECK_EQ(e->u.tnt.mode.at.off, 54);
        CHECK_EQ(e->u.tnt.strategies.n, 1);
        CHECK_EQ(e->u.tnt.strategies.v[0].v, TNT_STRATEGY_EAGER);
        CHECK_EQ(e->u.tnt.languages.n, 1);
        CHECK_EQ(e->u.tnt.languages.v[0].v, TNT_LANG_DN_EXPRESSION);
        CHECK_EQ(e->u.tnt.languages.v[0].at.off, 58);
    }
    release(&m);
}

typedef struct vec {
    const char *name;
    const char *hex;
    bool server;
} vec;

static const vec VECS[] = {
    {"ILL_CH", ILL_CH, false},      {"ILL_SH", ILL_SH, true},  {"ZEEK_CH", ZEEK_CH, false},
    {"ZEEK_SH", ZEEK_SH, true},     {"HRR_CH", HRR_CH, false}, {"HRR_SH", HRR_SH, true},
    {"SNET13_SH", SNET13_SH, true}, {"TNT_SH", TNT_SH, true},
};
#define N_VECS (sizeof(VECS) / sizeof(VECS[0]))

/* Cutting the body at every length: only two lengths decode, the whole body
 * and the body that ends right before the extensions block (a hello without
 * extensions). Every error points inside what was given. */
static void test_truncation(void)
{
    for (size_t v = 0; v < N_VECS; v++) {
        uint8_t *raw;
        size_t n = unhex_alloc(VECS[v].hex, &raw);
        msg full;
        decode_raw(&full, raw, n - 4, VECS[v].server);
        CHECK(full.ok);
        tnt_extensions *ext = VECS[v].server ? &full.sh.ext : &full.ch.ext;
        size_t ext_start = ext->length.at.off - 4;
        release(&full);
        for (size_t len = 0; len < n - 4; len++) {
            msg m;
            decode_raw(&m, raw, len, VECS[v].server);
            if (len == ext_start) {
                CHECK(m.ok);
                CHECK(!(VECS[v].server ? m.sh.has_extensions : m.ch.has_extensions));
                CHECK_EQ((VECS[v].server ? m.sh.ext.n : m.ch.ext.n), 0);
            } else {
                if (m.ok)
                    fprintf(stderr, "%s: truncated to %zu decoded\n", VECS[v].name, len);
                CHECK(!m.ok);
                CHECK(m.err.what != NULL);
                CHECK(m.err.off >= 4 && m.err.off <= 4 + len);
            }
            release(&m);
        }
        free(raw);
    }
}

/* Adds delta to the big-endian length field of width bytes at off. */
static void bump(uint8_t *p, size_t off, int width, int delta)
{
    uint32_t v = 0;
    for (int i = 0; i < width; i++)
        v = (v << 8) | p[off + i];
    v += (uint32_t)delta;
    for (int i = width - 1; i >= 0; i--) {
        p[off + i] = (uint8_t)v;
        v >>= 8;
    }
}

static void expect_fail(const uint8_t *raw, size_t n, size_t off, int width, int delta, bool server,
                        const char *what, uint32_t err_off)
{
    uint8_t *p = malloc(n);
    memcpy(p, raw, n);
    bump(p, off, width, delta);
    msg m;
    decode_raw(&m, p, n - 4, server);
    CHECK(!m.ok);
    if (m.ok || !m.err.what || strcmp(m.err.what, what) != 0 || m.err.off != err_off)
        fprintf(stderr, "length at %zu %+d: got %s at %u, want %s at %u\n", off, delta,
                m.ok ? "success" : m.err.what, m.err.off, what, err_off);
    CHECK_STR(m.err.what, what);
    CHECK_EQ(m.err.off, err_off);
    release(&m);
    free(p);
}

/* Each length field of the hellos one too short and one too long. */
static void test_lengths(void)
{
    uint8_t *raw;
    size_t n = unhex_alloc(ILL_CH, &raw);
    /* session_id: 1 byte then a suites length of 0x20cc overruns; 0xff
     * overruns at once. */
    expect_fail(raw, n, 38, 1, +1, false, "cipher_suites overruns", 40);
    bump(raw, 38, 1, -1);
    expect_fail(raw, n, 38, 1, 0, false, "session_id overruns", 38);
    bump(raw, 38, 1, +1);
    expect_fail(raw, n, 39, 2, +1, false, "odd cipher_suites length", 39);
    expect_fail(raw, n, 39, 2, -1, false, "odd cipher_suites length", 39);
    /* compression_methods: one too long eats the extensions length's first
     * byte, so 0x5800 is read as the length; one too short is empty. */
    expect_fail(raw, n, 73, 1, +1, false, "extensions: length overruns the message", 76);
    expect_fail(raw, n, 73, 1, -1, false, "empty compression_methods", 73);
    expect_fail(raw, n, 75, 2, +1, false, "extensions: length overruns the message", 75);
    expect_fail(raw, n, 75, 2, -1, false, "extensions: extension overruns the list", 161);
    /* Each extension's length field: one too long or short misaligns all
     * that follows, so the block can no longer be walked. */
    msg full;
    decode_raw(&full, raw, n - 4, false);
    for (uint32_t i = 0; i < full.ch.ext.n; i++) {
        const tnt_extension *e = &full.ch.ext.v[i];
        for (int d = -1; d <= 1; d += 2) {
            if (e->length.v == 0 && d < 0)
                continue; /* 0xFFFF: covered by "+1" of the last one */
            uint8_t *p = malloc(n);
            memcpy(p, raw, n);
            bump(p, e->length.at.off, 2, d);
            msg m;
            decode_raw(&m, p, n - 4, false);
            CHECK(!m.ok);
            CHECK(m.err.what != NULL && strncmp(m.err.what, "extensions: ", 12) == 0);
            release(&m);
            free(p);
        }
    }
    release(&full);
    free(raw);

    n = unhex_alloc(ILL_SH, &raw);
    /* session_id one too long: the extensions length is then read from
     * 0x05ff. */
    expect_fail(raw, n, 38, 1, +1, true, "extensions: length overruns the message", 43);
    expect_fail(raw, n, 42, 2, +1, true, "extensions: length overruns the message", 42);
    expect_fail(raw, n, 42, 2, -1, true, "extensions: extension overruns the list", 44);
    expect_fail(raw, n, 46, 2, +1, true, "extensions: extension overruns the list", 44);
    /* A renegotiation_info whose inner length is wrong fails alone. */
    {
        uint8_t *p = malloc(n);
        memcpy(p, raw, n);
        p[48] = 1;
        msg m;
        decode_raw(&m, p, n - 4, true);
        CHECK(m.ok);
        CHECK_EQ(m.sh.ext.n, 1);
        CHECK(!m.sh.ext.v[0].decoded);
        CHECK_STR(m.sh.ext.v[0].err.what, "renegotiation_info: length overruns");
        CHECK_EQ(m.sh.ext.v[0].err.off, 48);
        release(&m);
        free(p);
    }
    free(raw);

    n = unhex_alloc(HRR_SH, &raw);
    expect_fail(raw, n, 38, 1, +1, true, "session_id longer than 32 bytes", 38);
    /* 31 bytes: the suite and compression shift left by one and 0x0000 is
     * read as an empty extensions block, leaving the real one behind. */
    expect_fail(raw, n, 38, 1, -1, true, "bytes after extensions", 75);
    free(raw);
}

/* Builds a ClientHello body from parts (hex) with a correct header. */
static void build(msg *m, bool server, const char *body_hex)
{
    static uint8_t tmp[200000];
    size_t n = check_unhex(body_hex, tmp + 4, sizeof(tmp) - 4);
    tmp[0] = server ? 2 : 1;
    tmp[1] = (uint8_t)(n >> 16);
    tmp[2] = (uint8_t)(n >> 8);
    tmp[3] = (uint8_t)n;
    decode_raw(m, tmp, n, server);
}

#define RND "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static void test_edges(void)
{
    msg m;
    /* No extensions at all. */
    build(&m, false, "0303" RND "00 0002 002f 01 00");
    CHECK(m.ok);
    CHECK(!m.ch.has_extensions);
    CHECK_EQ(m.ch.n_suites, 1);
    CHECK_EQ(m.ch.suites[0].v, 0x002f);
    release(&m);
    build(&m, true, "0300" RND "00 0004 00");
    CHECK(m.ok);
    CHECK(!m.sh.has_extensions);
    CHECK_EQ(m.sh.version.v, TNT_SSL3);
    CHECK_EQ(m.sh.suite.v, 4);
    release(&m);

    /* An empty extensions block is present but empty. */
    build(&m, false, "0303" RND "00 0002 002f 01 00 0000");
    CHECK(m.ok);
    CHECK(m.ch.has_extensions);
    CHECK_EQ(m.ch.ext.n, 0);
    CHECK_EQ(m.ch.ext.list_at.off, 47);
    release(&m);

    /* Empty vectors. */
    build(&m, false, "0303" RND "00 0000 01 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "empty cipher_suites");
    CHECK_EQ(m.err.off, 39);
    release(&m);
    build(&m, false, "0303" RND "00 0002 002f 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "empty compression_methods");
    CHECK_EQ(m.err.off, 43);
    release(&m);
    build(&m, false, "0303" RND "00 0003 002f00 01 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "odd cipher_suites length");
    release(&m);

    /* Trailing bytes: after the extensions, or a lone byte where a block
     * would start. */
    build(&m, false, "0303" RND "00 0002 002f 01 00 0000 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "bytes after extensions");
    CHECK_EQ(m.err.off, 47);
    release(&m);
    build(&m, false, "0303" RND "00 0002 002f 01 00 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "extensions: truncated length");
    CHECK_EQ(m.err.off, 45);
    release(&m);
    build(&m, true, "0303" RND "00 c02f 00 0000 ff");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "bytes after extensions");
    CHECK_EQ(m.err.off, 44);
    release(&m);

    /* session_id: 32 bytes is the most; 33 is an error. */
    build(&m, false, "0303" RND "20" RND "0002 002f 01 00");
    CHECK(m.ok);
    CHECK_EQ(m.ch.session_id.len, 32);
    CHECK_EQ(m.ch.session_id.at.off, 39);
    release(&m);
    build(&m, false, "0303" RND "21" RND "ff 0002 002f 01 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "session_id longer than 32 bytes");
    CHECK_EQ(m.err.off, 38);
    release(&m);
    build(&m, true, "0303" RND "21" RND "ff c02f 00");
    CHECK(!m.ok);
    CHECK_STR(m.err.what, "session_id longer than 32 bytes");
    release(&m);

    /* The largest lists: 32767 suites, 255 compression methods, an
     * extensions block of 0xFFFF bytes. */
    static char hex[300000];
    int w = sprintf(hex, "0303" RND "00 fffe");
    for (int i = 0; i < 32767; i++)
        w += sprintf(hex + w, "%04x", i);
    w += sprintf(hex + w, "ff");
    for (int i = 0; i < 255; i++)
        w += sprintf(hex + w, "%02x", i);
    w += sprintf(hex + w, "ffff 0015 fffb");
    for (int i = 0; i < 0xfffb; i++)
        w += sprintf(hex + w, "00");
    build(&m, false, hex);
    CHECK(m.ok);
    CHECK_EQ(m.ch.n_suites, 32767);
    CHECK_EQ(m.ch.suites[32766].v, 32766);
    CHECK_EQ(m.ch.suites[32766].at.off, 41 + 2 * 32766);
    CHECK_EQ(m.ch.n_compressions, 255);
    CHECK_EQ(m.ch.compressions[254].v, 254);
    CHECK_EQ(m.ch.ext.n, 1);
    CHECK_EQ(m.ch.ext.v[0].u.padding.len, 0xfffb);
    release(&m);

    /* Duplicate extensions are kept in order. */
    build(&m, true, "0303" RND "00 c02f 00 000a ff01000100 ff01000100");
    CHECK(m.ok);
    CHECK_EQ(m.sh.ext.n, 2);
    CHECK(tnt_extensions_find(&m.sh.ext, TNT_EXT_RENEGOTIATION_INFO) == &m.sh.ext.v[0]);
    release(&m);
}

/* ---- SSLv2 ClientHello ---- */

typedef struct v2 {
    uint8_t *buf;
    tnt_arena arena;
    tnt_sslv2_client_hello ch;
    tnt_error err;
    bool ok;
} v2;

static void v2_decode(v2 *d, const uint8_t *raw, size_t n)
{
    d->buf = malloc(n ? n : 1);
    memcpy(d->buf, raw, n);
    tnt_arena_init(&d->arena);
    d->err = (tnt_error){0};
    d->ok = tnt_sslv2_client_hello_decode(d->buf, (uint32_t)n, &d->arena, &d->ch, &d->err);
}

static void v2_release(v2 *d)
{
    tnt_arena_free(&d->arena);
    free(d->buf);
}

static void test_sslv2(void)
{
    uint8_t *raw;
    size_t n = unhex_alloc(V2_SURICATA, &raw);
    v2 d;
    v2_decode(&d, raw, n);
    CHECK(d.ok);
    CHECK_EQ(d.ch.msg_type.v, 1);
    CHECK_EQ(d.ch.msg_type.at.off, 2);
    CHECK_EQ(d.ch.version.v, TNT_TLS10);
    CHECK_EQ(d.ch.version.at.off, 3);
    CHECK_EQ(d.ch.n_specs, 26);
    CHECK_EQ(d.ch.specs[0].v, 0x010080);
    CHECK_EQ(d.ch.specs[0].at.off, 11);
    CHECK_EQ(d.ch.specs[0].at.len, 3);
    CHECK_EQ(d.ch.specs[6].v, 0x000039); /* TLS_DHE_RSA_WITH_AES_256_CBC_SHA */
    CHECK_EQ(d.ch.specs[25].v, 0x000006);
    CHECK_EQ(d.ch.session_id.len, 0);
    CHECK_EQ(d.ch.challenge.len, 16);
    CHECK_EQ(d.ch.challenge.at.off, 89);
    CHECK_MEM(d.ch.challenge.p, "\x31\x43\xc4\x65\xd5\x27\x71\xe4\x66\xa4\x2b\xe1\x70\x17\x87\xfd",
              16);
    v2_release(&d);
    for (size_t len = 0; len < n; len++) {
        v2_decode(&d, raw, len);
        CHECK(!d.ok);
        CHECK(d.err.what != NULL && d.err.off <= len);
        v2_release(&d);
    }
    free(raw);

    n = unhex_alloc(V2_ZEEK, &raw);
    v2_decode(&d, raw, n);
    CHECK(d.ok);
    CHECK_EQ(d.ch.version.v, TNT_SSL2);
    static const uint32_t specs[] = {0x0700c0, 0x050080, 0x030080, 0x010080,
                                     0x060040, 0x040080, 0x020080};
    CHECK_EQ(d.ch.n_specs, 7);
    for (int i = 0; i < 7; i++)
        CHECK_EQ(d.ch.specs[i].v, specs[i]);
    CHECK_EQ(d.ch.challenge.len, 16);
    CHECK_EQ(d.ch.challenge.p[0], 0x1c);
    CHECK_EQ(d.ch.challenge.p[15], 0xe5);
    CHECK_EQ(d.ch.challenge.at.off + 16, 48);
    v2_release(&d);
    for (size_t len = 0; len < n; len++) {
        v2_decode(&d, raw, len);
        CHECK(!d.ok);
        v2_release(&d);
    }

    /* Length fields one off. Record length: */
    static const struct {
        size_t off;
        int width, delta;
        const char *what;
        uint32_t err_off;
    } bad[] = {
        {0, 2, +1, "truncated record", 2},
        {0, 2, -1, "bytes after the record", 47},
        {5, 2, +1, "cipher_spec_length not a non-zero multiple of 3", 5},
        {5, 2, -1, "cipher_spec_length not a non-zero multiple of 3", 5},
        {5, 2, +3, "truncated challenge", 35},
        {5, 2, -3, "bytes after the challenge", 45},
        {5, 2, -21, "cipher_spec_length not a non-zero multiple of 3", 5},
        {7, 2, +1, "session_id_length neither 0 nor 16", 7},
        {7, 2, +16, "truncated challenge", 48},
        {9, 2, +1, "truncated challenge", 32},
        {9, 2, -1, "challenge_length outside 16..32", 9},
        {9, 2, +17, "challenge_length outside 16..32", 9},
        {2, 1, +1, "not a CLIENT-HELLO", 2},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *p = malloc(n);
        memcpy(p, raw, n);
        bump(p, bad[i].off, bad[i].width, bad[i].delta);
        v2_decode(&d, p, n);
        CHECK(!d.ok);
        if (d.ok || !d.err.what || strcmp(d.err.what, bad[i].what) != 0 ||
            d.err.off != bad[i].err_off)
            fprintf(stderr, "sslv2 case %zu: got %s at %u\n", i, d.ok ? "success" : d.err.what,
                    d.err.off);
        CHECK_STR(d.err.what, bad[i].what);
        CHECK_EQ(d.err.off, bad[i].err_off);
        v2_release(&d);
        free(p);
    }

    /* The 3-byte header form of the same message; the is-escape bit is not
     * part of the length; a non-zero padding count is refused. */
    uint8_t *p = malloc(n + 1);
    p[0] = 0x00;
    p[1] = 0x2e;
    p[2] = 0x00;
    memcpy(p + 3, raw + 2, n - 2);
    v2_decode(&d, p, n + 1);
    CHECK(d.ok);
    CHECK_EQ(d.ch.msg_type.at.off, 3);
    CHECK_EQ(d.ch.n_specs, 7);
    CHECK_EQ(d.ch.challenge.at.off + 16, 49);
    v2_release(&d);
    p[0] = 0x40;
    v2_decode(&d, p, n + 1);
    CHECK(d.ok);
    v2_release(&d);
    p[0] = 0x00;
    p[2] = 0x01;
    v2_decode(&d, p, n + 1);
    CHECK(!d.ok);
    CHECK_STR(d.err.what, "padding in a cleartext record");
    v2_release(&d);
    free(p);
    free(raw);

    /* Largest records: 2-byte header 0x7FFF, 3-byte header 0x3FFF. */
    size_t specs_len = 0x7FFF - 9 - 16;
    specs_len -= specs_len % 3;
    size_t chal = 0x7FFF - 9 - specs_len;
    CHECK(chal >= 16 && chal <= 32);
    p = calloc(2 + 0x7FFF, 1);
    p[0] = 0xFF;
    p[1] = 0xFF;
    p[2] = 1;
    p[3] = 0x03;
    p[4] = 0x01;
    p[5] = (uint8_t)(specs_len >> 8);
    p[6] = (uint8_t)specs_len;
    p[10] = (uint8_t)chal;
    for (size_t i = 0; i < specs_len; i++)
        p[11 + i] = 0xFF;
    v2_decode(&d, p, 2 + 0x7FFF);
    CHECK(d.ok);
    CHECK_EQ(d.ch.n_specs, specs_len / 3);
    if (d.ok)
        CHECK_EQ(d.ch.specs[d.ch.n_specs - 1].v, 0xFFFFFF);
    CHECK_EQ(d.ch.challenge.len, chal);
    CHECK_EQ(d.ch.challenge.at.off + chal, 2 + 0x7FFF);
    v2_release(&d);
    free(p);

    specs_len = 0x3FFF - 9 - 16;
    specs_len -= specs_len % 3;
    chal = 0x3FFF - 9 - specs_len;
    p = calloc(3 + 0x3FFF, 1);
    p[0] = 0x3F;
    p[1] = 0xFF;
    p[3] = 1;
    p[4] = 0x03;
    p[5] = 0x00;
    p[6] = (uint8_t)(specs_len >> 8);
    p[7] = (uint8_t)specs_len;
    p[11] = (uint8_t)chal;
    v2_decode(&d, p, 3 + 0x3FFF);
    CHECK(d.ok);
    CHECK_EQ(d.ch.version.v, TNT_SSL3);
    CHECK_EQ(d.ch.n_specs, specs_len / 3);
    if (d.ok)
        CHECK_EQ(d.ch.specs[0].v, 0);
    v2_release(&d);
    free(p);

    /* Empty record. */
    static const uint8_t empty[] = {0x80, 0x00};
    v2_decode(&d, empty, 2);
    CHECK(!d.ok);
    CHECK_STR(d.err.what, "missing msg_type");
    v2_release(&d);
}

/* Every byte of every vector set to a few values: whatever the outcome,
 * reads stay in bounds (ASan) and reported spans lie inside the message. */
static void test_mutations(void)
{
    static const uint8_t vals[] = {0x00, 0x01, 0x80, 0xff};
    for (size_t v = 0; v < N_VECS; v++) {
        uint8_t *raw;
        size_t n = unhex_alloc(VECS[v].hex, &raw);
        for (size_t i = 4; i < n; i++) {
            for (size_t k = 0; k < sizeof(vals); k++) {
                uint8_t *p = malloc(n);
                memcpy(p, raw, n);
                p[i] = vals[k];
                msg m;
                decode_raw(&m, p, n - 4, VECS[v].server);
                if (m.ok) {
                    const tnt_extensions *e = VECS[v].server ? &m.sh.ext : &m.ch.ext;
                    for (uint32_t j = 0; j < e->n; j++)
                        CHECK(e->v[j].data.at.off + e->v[j].data.at.len <= n);
                } else {
                    CHECK(m.err.what != NULL && m.err.off <= n);
                }
                release(&m);
                free(p);
            }
        }
        free(raw);
    }
}

int main(void)
{
    test_illustrated_ch();
    test_illustrated_sh();
    test_zeek();
    test_tls13();
    test_tnt_sh();
    test_truncation();
    test_lengths();
    test_edges();
    test_sslv2();
    test_mutations();
    return check_done("test_hello");
}
