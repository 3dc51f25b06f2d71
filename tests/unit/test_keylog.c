/* NSS key log parsing: real logs from the corpus, every label, every kind of
 * bad line (with its line number), truncation at every offset, and lookups
 * after loading a generated 100k-line log. */
#include "check.h"
#include "keylog.h"
#include "tnt/load.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <unistd.h>

static char *data_path(const char *name)
{
    const char *dir = getenv("TNT_TEST_DATA");
    return g_build_filename(dir ? dir : "tests/data", name, NULL);
}

/* Warnings collected as "line:what". */
typedef struct {
    GPtrArray *msgs;
    const char *expect_source;
} warnings;

static void collect(void *user, const char *source, unsigned line, const char *what)
{
    warnings *w = user;
    if (w->expect_source)
        CHECK_STR(source, w->expect_source);
    g_ptr_array_add(w->msgs, g_strdup_printf("%u:%s", line, what));
}

static void warnings_init(warnings *w, const char *source)
{
    w->msgs = g_ptr_array_new_with_free_func(g_free);
    w->expect_source = source;
}

static const char *warning(const warnings *w, unsigned i)
{
    return i < w->msgs->len ? g_ptr_array_index(w->msgs, i) : "(none)";
}

static void load_str(tnt_keylog *kl, const char *s, warnings *w, tnt_keylog_stats *st)
{
    tnt_keylog_load_buffer(kl, "buf", (const uint8_t *)s, strlen(s), w ? collect : NULL, w, st);
}

#define CR "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define R2(s) s s
#define R4(s) R2(s) R2(s)
#define R8(s) R4(s) R4(s)
#define R16(s) R8(s) R8(s)
#define R32(s) R16(s) R16(s)
#define R48(s) R32(s) R16(s)
#define MS                                                                                         \
    "916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7387ac06ae237" \
    "344c"

static void test_corpus_files(void)
{
    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    GError *err = NULL;
    char *p = data_path("illustrated-tls12-keylog.txt");
    CHECK(tnt_keylog_load_file(kl, p, NULL, NULL, &st, &err));
    g_free(p);
    CHECK_EQ(st.lines, 1);
    CHECK_EQ(st.loaded, 1);
    uint8_t cr[32], ms[48], want[48];
    check_unhex(CR, cr, sizeof cr);
    check_unhex(MS, want, sizeof want);
    CHECK(tnt_keylog_master_secret(kl, cr, ms));
    CHECK_MEM(ms, want, 48);
    /* Not a PMS, and not under any other label. */
    CHECK(!tnt_keylog_pms_by_cr(kl, cr, ms));
    size_t len = 48;
    CHECK(!tnt_keylog_tls13_secret(kl, TNT_KL_CLIENT_TRAFFIC_SECRET_0, cr, ms, &len));

    /* A second source (OpenSSL's, with a comment and RSA lines) adds to the first. */
    p = data_path("made_here-tls12-aes128sha-server-reneg.keys");
    CHECK(tnt_keylog_load_file(kl, p, NULL, NULL, &st, &err));
    g_free(p);
    CHECK_EQ(st.lines, 5);
    CHECK_EQ(st.skipped, 1);
    CHECK_EQ(st.loaded, 4);
    CHECK_EQ(st.malformed, 0);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_CLIENT_RANDOM), 3);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_RSA), 2);
    uint8_t prefix[8], pms[48];
    check_unhex("6e5b96def4641637", prefix, sizeof prefix);
    check_unhex("03038dae57b985cf5fc55924d19ed95d836051234a4bcf68b11c8a17a8a96f93"
                "d39b40e6072d251e04453c530ad968c8",
                want, sizeof want);
    CHECK(tnt_keylog_pms_by_rsa_prefix(kl, prefix, pms));
    CHECK_MEM(pms, want, 48);
    CHECK(tnt_keylog_master_secret(kl, cr, ms)); /* the first file's entry is still there */

    /* TLS 1.3 with SHA-384: 48-byte secrets. */
    p = data_path("snet-TLS1_3_TLS_AES_256_GCM_SHA384.keylog.txt");
    CHECK(tnt_keylog_load_file(kl, p, NULL, NULL, &st, &err));
    g_free(p);
    CHECK_EQ(st.loaded, 10);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET), 2);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_EXPORTER_SECRET), 2);
    check_unhex("6c45f3fd5e565d8e406704f7c56f67ed7c2e62c285bb93c52201a96b7a310139", cr, sizeof cr);
    check_unhex("d9aa7ff96bb50c5b67e604225ea03bc077072b350c94f0bee9de81ada05c984b"
                "6a4e15d0f7b523190209070ed2052135",
                want, sizeof want);
    uint8_t sec[48];
    len = sizeof sec;
    CHECK(tnt_keylog_tls13_secret(kl, TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET, cr, sec, &len));
    CHECK_EQ(len, 48);
    CHECK_MEM(sec, want, 48);
    len = 47; /* too small */
    CHECK(!tnt_keylog_tls13_secret(kl, TNT_KL_SERVER_HANDSHAKE_TRAFFIC_SECRET, cr, sec, &len));
    len = 48; /* a TLS 1.2 label through the TLS 1.3 lookup */
    CHECK(!tnt_keylog_tls13_secret(kl, TNT_KL_CLIENT_RANDOM, cr, sec, &len));
    CHECK(!tnt_keylog_tls13_secret(kl, TNT_KL_COUNT, cr, sec, &len));
    tnt_keylog_free(kl);

    /* Unreadable file: an error, and nothing else happens. */
    kl = tnt_keylog_new();
    CHECK(!tnt_keylog_load_file(kl, "/nonexistent/keylog.txt", NULL, NULL, &st, &err));
    CHECK(err != NULL && g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT));
    g_clear_error(&err);
    CHECK_EQ(st.lines, 0);
    tnt_keylog_free(kl);
}

static void test_formatting(void)
{
    tnt_keylog *kl = tnt_keylog_new();
    warnings w;
    warnings_init(&w, "buf");
    tnt_keylog_stats st;
    /* BOM, comments, blank lines, CRLF, tabs, surrounding blanks, upper-case
     * hex, every label, and an unterminated last line. */
    const char *text =
        "\xef\xbb\xbf# a comment\r\n"
        "\r\n"
        "   \t  \n"
        "  # indented comment\n"
        "\t CLIENT_RANDOM \t " CR "   " MS "  \r\n"
        "RSA 0102030405060708 " R48(
            "AA") "\n"
                  "PMS_CLIENT_RANDOM " CR " " R48(
                      "bb") "\n"
                            "CLIENT_EARLY_TRAFFIC_SECRET " CR " " R32(
                                "01") "\n"
                                      "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR " " R32(
                                          "02") "\n"
                                                "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR " " R32(
                                                    "03") "\n"
                                                          "CLIENT_TRAFFIC_SECRET_0 " CR " " R32(
                                                              "04") "\n"
                                                                    "SERVER_TRAFFIC_SECRET_0 " CR
                                                                    " " R32(
                                                                        "05") "\n"
                                                                              "EARLY_EXPORTER_"
                                                                              "SECRET " CR " " R32(
                                                                                  "06") "\n"
                                                                                        "EXPORTER_"
                                                                                        "SECRET " CR
                                                                                        " " R48(
                                                                                            "07");
    load_str(kl, text, &w, &st);
    CHECK_EQ(st.lines, 14);
    CHECK_EQ(st.skipped, 4);
    CHECK_EQ(st.loaded, 10);
    CHECK_EQ(st.malformed, 0);
    CHECK_EQ(st.unknown, 0);
    CHECK_EQ(w.msgs->len, 0);
    for (unsigned l = 0; l < TNT_KL_COUNT; l++)
        CHECK_EQ(tnt_keylog_count(kl, (tnt_keylog_label)l), 1);

    uint8_t cr[32], out[48], want[48];
    check_unhex(CR, cr, sizeof cr);
    check_unhex(MS, want, sizeof want);
    CHECK(tnt_keylog_master_secret(kl, cr, out));
    CHECK_MEM(out, want, 48);
    uint8_t prefix[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(tnt_keylog_pms_by_rsa_prefix(kl, prefix, out));
    CHECK_EQ(out[0], 0xaa);
    CHECK_EQ(out[47], 0xaa);
    prefix[7] = 9;
    CHECK(!tnt_keylog_pms_by_rsa_prefix(kl, prefix, out));
    CHECK(tnt_keylog_pms_by_cr(kl, cr, out));
    CHECK_EQ(out[47], 0xbb);
    for (unsigned l = TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET; l < TNT_KL_COUNT; l++) {
        size_t len = sizeof out;
        CHECK(tnt_keylog_tls13_secret(kl, (tnt_keylog_label)l, cr, out, &len));
        CHECK_EQ(len, l == TNT_KL_EXPORTER_SECRET ? 48 : 32);
        CHECK_EQ(out[len - 1], l - TNT_KL_CLIENT_EARLY_TRAFFIC_SECRET + 1);
    }

    /* Duplicates: the later line wins, silently. */
    char *dup = g_strdup_printf("CLIENT_RANDOM %s %s\nCLIENT_RANDOM %s 11%s", CR, MS, CR, MS + 2);
    load_str(kl, dup, &w, &st);
    g_free(dup);
    CHECK_EQ(st.loaded, 2);
    CHECK_EQ(w.msgs->len, 0);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_CLIENT_RANDOM), 1);
    CHECK(tnt_keylog_master_secret(kl, cr, out));
    CHECK_EQ(out[0], 0x11);
    CHECK_MEM(out + 1, want + 1, 47);
    tnt_keylog_free(kl);
    g_ptr_array_free(w.msgs, TRUE);
}

static void test_malformed(void)
{
    tnt_keylog *kl = tnt_keylog_new();
    warnings w;
    warnings_init(&w, "buf");
    tnt_keylog_stats st;
    static const char text[] = "CLIENT_RANDOM " CR "\n"                   /* 1: 2 fields */
                               "CLIENT_RANDOM " CR " " MS " extra\n"      /* 2: 4 fields */
                               "CLIENT_RANDOM 0" CR " " MS "\n"           /* 3: cr 65 digits */
                               "CLIENT_RANDOM " CR " " MS "0\n"           /* 4: ms 97 digits */
                               "CLIENT_RANDOM " CR " zz" MS "\n"          /* 5: ms not hex */
                               "RSA 01020304050607 " MS "\n"              /* 6: prefix 7 bytes */
                               "SERVER_TRAFFIC_SECRET_0 " CR " 0102\n"    /* 7: 2-byte secret */
                               "CLIENT_TRAFFIC_SECRET_1 " CR " " MS "\n"  /* 8: unknown label */
                               "client_random " CR " " MS "\n"            /* 9: lower-case label */
                               "CLIENT_RANDOM " CR " " MS "\n"            /* 10: fine */
                               "\x01\x02\xff garbage\n"                   /* 11 */
                               "CLIENT_RANDOM\0" CR " " MS "\n"           /* 12: NUL in label */
                               "RSA Session-ID:0102 Master-Key:" MS "\n"; /* 13: old format */
    /* sizeof, not strlen: line 12 holds a NUL. */
    tnt_keylog_load_buffer(kl, "buf", (const uint8_t *)text, sizeof text - 1, collect, &w, &st);
    CHECK_EQ(st.lines, 13);
    CHECK_EQ(st.loaded, 1);
    CHECK_EQ(st.unknown, 1);
    CHECK_EQ(st.malformed, 11);
    CHECK_EQ(w.msgs->len, 12);
    CHECK_STR(warning(&w, 0), "1:expected 3 fields: label, key, secret");
    CHECK_STR(warning(&w, 1), "2:expected 3 fields: label, key, secret");
    CHECK_STR(warning(&w, 2), "3:client random is not 64 hex digits");
    CHECK_STR(warning(&w, 3), "4:secret is not 96 hex digits");
    CHECK_STR(warning(&w, 4), "5:secret is not 96 hex digits");
    CHECK_STR(warning(&w, 5), "6:encrypted pre-master secret prefix is not 16 hex digits");
    CHECK_STR(warning(&w, 6), "7:secret is not 64 or 96 hex digits");
    CHECK_STR(warning(&w, 7), "8:unknown label, line ignored");
    CHECK_STR(warning(&w, 8), "9:not a key log line");
    CHECK_STR(warning(&w, 9), "11:not a key log line");
    CHECK_STR(warning(&w, 10), "12:not a key log line");
    CHECK_STR(warning(&w, 11), "13:encrypted pre-master secret prefix is not 16 hex digits");
    /* The good line among them loaded. */
    uint8_t cr[32], out[48];
    check_unhex(CR, cr, sizeof cr);
    CHECK(tnt_keylog_master_secret(kl, cr, out));
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_CLIENT_RANDOM), 1);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_RSA), 0);
    tnt_keylog_free(kl);
    g_ptr_array_free(w.msgs, TRUE);
}

/* Every field one hex digit and one byte too short and too long. */
static void test_field_lengths(void)
{
    static const struct {
        const char *label;
        size_t key_hex;
        size_t secrets[2]; /* valid secret lengths in hex digits */
    } f[] = {
        {"CLIENT_RANDOM", 64, {96, 96}},         {"RSA", 16, {96, 96}},
        {"PMS_CLIENT_RANDOM", 64, {96, 96}},     {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", 64, {64, 96}},
        {"EARLY_EXPORTER_SECRET", 64, {64, 96}},
    };
    static const int deltas[] = {-2, -1, 0, 1, 2};
    for (size_t i = 0; i < G_N_ELEMENTS(f); i++) {
        for (size_t s = 0; s < 2; s++) {
            for (size_t dk = 0; dk < G_N_ELEMENTS(deltas); dk++) {
                for (size_t ds = 0; ds < G_N_ELEMENTS(deltas); ds++) {
                    size_t kh = f[i].key_hex + deltas[dk], sh = f[i].secrets[s] + deltas[ds];
                    gchar *k = g_strnfill(kh, 'a'), *v = g_strnfill(sh, '5');
                    char *line = g_strdup_printf("%s %s %s\n", f[i].label, k, v);
                    tnt_keylog *kl = tnt_keylog_new();
                    tnt_keylog_stats st;
                    load_str(kl, line, NULL, &st);
                    bool valid = deltas[dk] == 0 && deltas[ds] == 0;
                    CHECK_EQ(st.loaded, valid ? 1 : 0);
                    CHECK_EQ(st.malformed, valid ? 0 : 1);
                    g_free(k);
                    g_free(v);
                    g_free(line);
                    tnt_keylog_free(kl);
                }
            }
        }
    }
}

/* Every prefix of a valid line: never loads, never crashes, warns at most once. */
static void test_truncation(void)
{
    const char *lines[] = {
        "CLIENT_RANDOM " CR " " MS "\n",
        "RSA 0102030405060708 " MS "\n",
        /* 64 digits: no shorter prefix of the secret is a valid length */
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR " " CR "\n",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        size_t full = strlen(lines[i]);
        for (size_t n = 0; n <= full; n++) {
            /* An exact-size heap copy, so ASan catches any read past the end. */
            uint8_t *buf = g_memdup2(lines[i], n ? n : 1);
            tnt_keylog *kl = tnt_keylog_new();
            tnt_keylog_stats st;
            tnt_keylog_load_buffer(kl, "t", buf, n, NULL, NULL, &st);
            bool complete = n >= full - 1; /* the '\n' is optional */
            CHECK_EQ(st.lines, n ? 1 : 0);
            CHECK_EQ(st.loaded, complete ? 1 : 0);
            CHECK_EQ(st.malformed + st.unknown, (n && !complete) ? 1 : 0);
            tnt_keylog_free(kl);
            g_free(buf);
        }
    }
    /* Empty input, and a single very long garbage line. */
    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    tnt_keylog_load_buffer(kl, "t", NULL, 0, NULL, NULL, &st);
    CHECK_EQ(st.lines, 0);
    size_t big = 1 << 20;
    uint8_t *buf = g_malloc(big);
    memset(buf, 'A', big);
    warnings w;
    warnings_init(&w, "t");
    tnt_keylog_load_buffer(kl, "t", buf, big, collect, &w, &st);
    CHECK_EQ(st.lines, 1);
    CHECK_EQ(st.unknown, 1);
    CHECK_STR(warning(&w, 0), "1:unknown label, line ignored");
    memset(buf, 'z', big);
    tnt_keylog_load_buffer(kl, "t", buf, big, collect, &w, &st);
    CHECK_EQ(st.malformed, 1);
    g_free(buf);
    g_ptr_array_free(w.msgs, TRUE);
    tnt_keylog_free(kl);
}

static void test_add_and_names(void)
{
    tnt_keylog *kl = tnt_keylog_new();
    uint8_t key[32] = {9}, sec[48] = {7}, out[48];
    CHECK(tnt_keylog_add(kl, TNT_KL_CLIENT_RANDOM, key, 32, sec, 48));
    CHECK(!tnt_keylog_add(kl, TNT_KL_CLIENT_RANDOM, key, 31, sec, 48));
    CHECK(!tnt_keylog_add(kl, TNT_KL_CLIENT_RANDOM, key, 32, sec, 32));
    CHECK(!tnt_keylog_add(kl, TNT_KL_RSA, key, 32, sec, 48));
    CHECK(tnt_keylog_add(kl, TNT_KL_RSA, key, 8, sec, 48));
    CHECK(!tnt_keylog_add(kl, TNT_KL_EXPORTER_SECRET, key, 32, sec, 33));
    CHECK(tnt_keylog_add(kl, TNT_KL_EXPORTER_SECRET, key, 32, sec, 32));
    CHECK(!tnt_keylog_add(kl, TNT_KL_COUNT, key, 32, sec, 48));
    CHECK(tnt_keylog_master_secret(kl, key, out));
    CHECK_EQ(out[0], 7);
    CHECK(tnt_keylog_pms_by_rsa_prefix(kl, key, out));
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_CLIENT_RANDOM), 1);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_RSA), 1);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_EXPORTER_SECRET), 1);
    CHECK_EQ(tnt_keylog_count(kl, TNT_KL_COUNT), 0);
    tnt_keylog_free(kl);
    tnt_keylog_free(NULL);

    for (unsigned l = 0; l < TNT_KL_COUNT; l++) {
        tnt_keylog_label back;
        CHECK(tnt_keylog_label_from_name(tnt_keylog_label_name((tnt_keylog_label)l), &back));
        CHECK_EQ(back, l);
    }
    tnt_keylog_label x;
    CHECK_STR(tnt_keylog_label_name(TNT_KL_PMS_CLIENT_RANDOM), "PMS_CLIENT_RANDOM");
    CHECK(tnt_keylog_label_name(TNT_KL_COUNT) == NULL);
    CHECK(!tnt_keylog_label_from_name("CLIENT_RANDOM ", &x));
}

/* A generated 100k-line log: every entry found afterwards, with its secret. */
static void entry_bytes(unsigned i, uint8_t *key, size_t key_len, uint8_t *sec, size_t sec_len)
{
    /* Distinct keys (index in the last 4 bytes), secrets derived from i. */
    for (size_t j = 0; j < key_len; j++)
        key[j] = (uint8_t)(i * 131u + j * 7u);
    key[key_len - 4] = (uint8_t)(i >> 24);
    key[key_len - 3] = (uint8_t)(i >> 16);
    key[key_len - 2] = (uint8_t)(i >> 8);
    key[key_len - 1] = (uint8_t)i;
    for (size_t j = 0; j < sec_len; j++)
        sec[j] = (uint8_t)(i * 31u + j);
}

static void append_hex(GString *s, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(s, digits[b[i] >> 4]);
        g_string_append_c(s, digits[b[i] & 15]);
    }
}

static void test_large(void)
{
    enum { N = 100000 };
    static const tnt_keylog_label labels[] = {
        TNT_KL_CLIENT_RANDOM, TNT_KL_RSA, TNT_KL_PMS_CLIENT_RANDOM, TNT_KL_CLIENT_TRAFFIC_SECRET_0};
    GString *s = g_string_new("# generated\n");
    for (unsigned i = 0; i < N; i++) {
        tnt_keylog_label l = labels[i % 4];
        size_t kl_len = l == TNT_KL_RSA ? 8 : 32,
               sl = (l == TNT_KL_CLIENT_TRAFFIC_SECRET_0 && i % 8 == 3) ? 32 : 48;
        uint8_t key[32], sec[48];
        entry_bytes(i, key, kl_len, sec, sl);
        g_string_append_printf(s, "%s ", tnt_keylog_label_name(l));
        append_hex(s, key, kl_len);
        g_string_append_c(s, ' ');
        append_hex(s, sec, sl);
        g_string_append(s, i % 2 ? "\r\n" : "\n");
    }
    gchar *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("tnt-keylog-XXXXXX.txt", &path, &err);
    CHECK(fd >= 0);
    close(fd);
    CHECK(g_file_set_contents(path, s->str, (gssize)s->len, &err));
    g_string_free(s, TRUE);

    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    CHECK(tnt_keylog_load_file(kl, path, NULL, NULL, &st, &err));
    g_unlink(path);
    g_free(path);
    CHECK_EQ(st.lines, N + 1);
    CHECK_EQ(st.loaded, N);
    CHECK_EQ(st.malformed, 0);
    for (unsigned l = 0; l < 4; l++)
        CHECK_EQ(tnt_keylog_count(kl, labels[l]), N / 4);

    unsigned found = 0, right = 0;
    for (unsigned i = 0; i < N; i++) {
        tnt_keylog_label l = labels[i % 4];
        size_t kl_len = l == TNT_KL_RSA ? 8 : 32,
               sl = (l == TNT_KL_CLIENT_TRAFFIC_SECRET_0 && i % 8 == 3) ? 32 : 48;
        uint8_t key[32], sec[48], out[48];
        entry_bytes(i, key, kl_len, sec, sl);
        bool ok = false;
        size_t len = sizeof out;
        switch (l) {
        case TNT_KL_CLIENT_RANDOM:
            ok = tnt_keylog_master_secret(kl, key, out);
            break;
        case TNT_KL_RSA:
            ok = tnt_keylog_pms_by_rsa_prefix(kl, key, out);
            break;
        case TNT_KL_PMS_CLIENT_RANDOM:
            ok = tnt_keylog_pms_by_cr(kl, key, out);
            break;
        default:
            ok = tnt_keylog_tls13_secret(kl, l, key, out, &len) && len == sl;
            break;
        }
        found += ok;
        right += ok && memcmp(out, sec, sl) == 0;
    }
    CHECK_EQ(found, N);
    CHECK_EQ(right, N);
    /* A key that was never logged, and one logged under another label. */
    uint8_t key[32], sec[48], out[48];
    entry_bytes(N + 5, key, 32, sec, 48);
    CHECK(!tnt_keylog_master_secret(kl, key, out));
    entry_bytes(0, key, 32, sec, 48); /* CLIENT_RANDOM entry */
    CHECK(!tnt_keylog_pms_by_cr(kl, key, out));
    tnt_keylog_free(kl);
}

static char *write_tmp(const char *data, size_t len)
{
    gchar *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("tnt-keylog-XXXXXX.txt", &path, &err);
    CHECK(fd >= 0);
    close(fd);
    CHECK(g_file_set_contents(path, data, (gssize)len, &err));
    return path;
}

static void same_warnings(const warnings *a, const warnings *b)
{
    CHECK_EQ(a->msgs->len, b->msgs->len);
    for (unsigned i = 0; i < a->msgs->len && i < b->msgs->len; i++)
        CHECK_STR(warning(a, i), warning(b, i));
}

/* Files are read TNT_KEYLOG_CHUNK bytes at a time: whatever falls on a
 * chunk boundary (a line, a byte order mark starting a line, a bad line
 * further on) gives exactly what the whole text gives in one buffer, with
 * the same line numbers. */
static void test_streamed(void)
{
    GString *s = g_string_new("\xef\xbb\xbf"
                              "CLIENT_RANDOM " CR " " MS "\n");
    unsigned n = 0;
    while (s->len < TNT_KEYLOG_CHUNK - 40)
        g_string_append_printf(s, "# comment %u\n", n++);
    /* A line straddling the first boundary, then a line that starts at the
     * second chunk's first byte with a byte order mark (garbage there). */
    g_string_append(s, "CLIENT_RANDOM 00 zz\n");
    while (s->len < TNT_KEYLOG_CHUNK)
        g_string_append_c(s, '#');
    g_string_truncate(s, TNT_KEYLOG_CHUNK - 1);
    g_string_append_c(s, '\n');
    g_string_append(s, "\xef\xbb\xbf"
                       "CLIENT_RANDOM " CR " " MS "\n");
    for (unsigned i = 0; i < 20000; i++)
        g_string_append_printf(s, "# more %u\n", i);
    g_string_append(s, "NOT_A_LABEL 00 11\nCLIENT_RANDOM " CR " 00\n");

    warnings whole, streamed;
    warnings_init(&whole, NULL);
    warnings_init(&streamed, NULL);
    tnt_keylog *a = tnt_keylog_new(), *b = tnt_keylog_new();
    tnt_keylog_stats sa, sb;
    tnt_keylog_load_buffer(a, "x", (const uint8_t *)s->str, s->len, collect, &whole, &sa);
    gchar *path = write_tmp(s->str, s->len);
    GError *err = NULL;
    CHECK(tnt_keylog_load_file(b, path, collect, &streamed, &sb, &err));
    CHECK_EQ(sb.lines, sa.lines);
    CHECK_EQ(sb.loaded, sa.loaded);
    CHECK_EQ(sb.loaded, 1);
    CHECK_EQ(sb.skipped, sa.skipped);
    CHECK_EQ(sb.malformed, sa.malformed);
    CHECK_EQ(sb.malformed, 3);
    CHECK_EQ(sb.unknown, sa.unknown);
    same_warnings(&whole, &streamed);
    uint8_t cr[32], ms[48], want[48];
    check_unhex(CR, cr, sizeof cr);
    check_unhex(MS, want, sizeof want);
    CHECK(tnt_keylog_master_secret(b, cr, ms) && memcmp(ms, want, 48) == 0);
    g_unlink(path);
    g_free(path);
    g_string_free(s, TRUE);
    tnt_keylog_free(a);
    tnt_keylog_free(b);
    g_ptr_array_free(whole.msgs, TRUE);
    g_ptr_array_free(streamed.msgs, TRUE);
}

/* The longest line a key log file may have, TNT_KEYLOG_MAX_LINE bytes, and
 * one byte more: within one chunk, straddling two, and at the end. */
static void test_line_limit(void)
{
    GString *s = g_string_new("#");
    for (unsigned i = 1; i < TNT_KEYLOG_MAX_LINE; i++) /* line 1: at the limit */
        g_string_append_c(s, '.');
    g_string_append(s, "\n#");
    for (unsigned i = 0; i < TNT_KEYLOG_MAX_LINE; i++) /* line 2: one past */
        g_string_append_c(s, '.');
    g_string_append(s, "\nCLIENT_RANDOM " CR " " MS "\n"); /* line 3 */
    unsigned line = 3;
    while (s->len < TNT_KEYLOG_CHUNK - 1000) {
        g_string_append(s, "# pad\n");
        line++;
    }
    g_string_append_c(s, '#'); /* one past, across the chunk boundary */
    for (unsigned i = 0; i < TNT_KEYLOG_MAX_LINE; i++)
        g_string_append_c(s, '.');
    g_string_append_c(s, '\n');
    unsigned straddling = ++line;
    g_string_append(s, "CLIENT_RANDOM " CR " zz\n");
    unsigned bad = ++line;
    g_string_append_c(s, '#'); /* one past, last line, no newline */
    for (unsigned i = 0; i < TNT_KEYLOG_MAX_LINE; i++)
        g_string_append_c(s, '.');
    unsigned last = ++line;

    gchar *path = write_tmp(s->str, s->len);
    g_string_free(s, TRUE);
    warnings w;
    warnings_init(&w, path);
    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    GError *err = NULL;
    CHECK(tnt_keylog_load_file(kl, path, collect, &w, &st, &err));
    CHECK_EQ(st.lines, last);
    CHECK_EQ(st.loaded, 1);
    CHECK_EQ(st.malformed, 4);
    CHECK_EQ(st.skipped, last - 5);
    CHECK_EQ(w.msgs->len, 4);
    CHECK_STR(warning(&w, 0), "2:line longer than 64 KiB");
    char want[64];
    snprintf(want, sizeof want, "%u:line longer than 64 KiB", straddling);
    CHECK_STR(warning(&w, 1), want);
    snprintf(want, sizeof want, "%u:", bad);
    CHECK(g_str_has_prefix(warning(&w, 2), want));
    snprintf(want, sizeof want, "%u:line longer than 64 KiB", last);
    CHECK_STR(warning(&w, 3), want);
    g_unlink(path);
    g_free(path);
    tnt_keylog_free(kl);
    g_ptr_array_free(w.msgs, TRUE);
}

/* 48 MiB without a newline (a binary file given as key log): one malformed
 * line, and the memory of one chunk, not of the file. */
static void test_garbage_memory(void)
{
    gchar *path = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("tnt-keylog-XXXXXX.bin", &path, &err);
    CHECK(fd >= 0);
    char block[65536];
    memset(block, 'x', sizeof block);
    for (unsigned i = 0; i < 48 * 16; i++)
        CHECK(write(fd, block, sizeof block) == (ssize_t)sizeof block);
    close(fd);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    warnings w;
    warnings_init(&w, path);
    CHECK(tnt_keylog_load_file(kl, path, collect, &w, &st, &err));
    getrusage(RUSAGE_SELF, &after);
    CHECK_EQ(st.lines, 1);
    CHECK_EQ(st.malformed, 1);
    CHECK_EQ(w.msgs->len, 1);
    CHECK_STR(warning(&w, 0), "1:line longer than 64 KiB");
    /* ru_maxrss is in KiB; reading the file whole would add 48 MiB. */
    CHECK((after.ru_maxrss - before.ru_maxrss) < 16 * 1024);
    g_unlink(path);
    g_free(path);
    tnt_keylog_free(kl);
    g_ptr_array_free(w.msgs, TRUE);
}

int main(void)
{
    /* First: its memory check reads the process's peak RSS, which the
     * large logs of the other tests would raise above what it measures. */
    test_garbage_memory();
    test_corpus_files();
    test_formatting();
    test_malformed();
    test_field_lengths();
    test_truncation();
    test_add_and_names();
    test_large();
    test_streamed();
    test_line_limit();
    return check_done("test_keylog");
}
