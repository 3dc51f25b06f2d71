/* Fuzz target: key log text (SSLKEYLOGFILE, and the body of a pcapng
 * Decryption Secrets Block, which comes straight off a capture).
 *
 * Input: the text. Checked: every line is counted exactly once (loaded,
 * skipped, malformed or unknown), and warned about exactly when it is
 * malformed or unknown, with an in-range line number; loading the same text
 * again adds no key; loading it in two pieces split at a line boundary gives
 * the same keys as loading it whole; lookups with bytes of the input never
 * misbehave and agree with tnt_keylog_add() of what they return. */
#include "fuzz_common.h"

#include "keylog.h"

typedef struct warn_state {
    unsigned n;
    unsigned max_line;
    unsigned last_line;
} warn_state;

static void on_warn(void *user, const char *source, unsigned line, const char *what)
{
    warn_state *w = user;
    FUZZ_ASSERT(source && strcmp(source, "fuzz") == 0);
    FUZZ_ASSERT(what && what[0]);
    FUZZ_ASSERT(line >= 1 && line <= w->max_line && line > w->last_line);
    w->last_line = line;
    w->n++;
}

static void counts(const tnt_keylog *kl, size_t out[TNT_KL_COUNT])
{
    for (int l = 0; l < TNT_KL_COUNT; l++)
        out[l] = tnt_keylog_count(kl, (tnt_keylog_label)l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    tnt_keylog *kl = tnt_keylog_new();
    tnt_keylog_stats st;
    /* Every byte is a potential line end: no more lines than size + 1. */
    warn_state w = {0, (unsigned)size + 1, 0};
    tnt_keylog_load_buffer(kl, "fuzz", data, size, on_warn, &w, &st);
    FUZZ_ASSERT(st.lines == st.loaded + st.skipped + st.malformed + st.unknown);
    FUZZ_ASSERT(w.n == st.malformed + st.unknown);
    size_t c1[TNT_KL_COUNT], c2[TNT_KL_COUNT], total = 0;
    counts(kl, c1);
    for (int l = 0; l < TNT_KL_COUNT; l++)
        total += c1[l];
    FUZZ_ASSERT(total <= st.loaded);

    /* Idempotent. */
    tnt_keylog_load_buffer(kl, "fuzz", data, size, NULL, NULL, NULL);
    counts(kl, c2);
    FUZZ_ASSERT(memcmp(c1, c2, sizeof(c1)) == 0);

    /* Split after the first '\n' at or after the middle. */
    const uint8_t *nl = size ? memchr(data + size / 2, '\n', size - size / 2) : NULL;
    if (nl) {
        size_t cut = (size_t)(nl - data) + 1;
        tnt_keylog *k2 = tnt_keylog_new();
        tnt_keylog_stats s1, s2;
        tnt_keylog_load_buffer(k2, "fuzz", data, cut, NULL, NULL, &s1);
        tnt_keylog_load_buffer(k2, "fuzz", data + cut, size - cut, NULL, NULL, &s2);
        /* A BOM at the start of the second piece is skipped there only. */
        bool bom2 = size - cut >= 3 && nl[1] == 0xef && nl[2] == 0xbb && nl[3] == 0xbf;
        if (!bom2) {
            FUZZ_ASSERT(s1.lines + s2.lines == st.lines);
            FUZZ_ASSERT(s1.loaded + s2.loaded == st.loaded);
            counts(k2, c2);
            FUZZ_ASSERT(memcmp(c1, c2, sizeof(c1)) == 0);
        }
        tnt_keylog_free(k2);
    }

    /* Lookups with input bytes as keys. */
    uint8_t key[32] = {0}, out[48];
    memcpy(key, data, size < 32 ? size : 32);
    if (tnt_keylog_master_secret(kl, key, out))
        fuzz_touch(out, 48);
    if (tnt_keylog_pms_by_cr(kl, key, out))
        fuzz_touch(out, 48);
    if (tnt_keylog_pms_by_rsa_prefix(kl, key, out))
        fuzz_touch(out, 48);
    for (int l = 0; l <= TNT_KL_COUNT; l++) {
        size_t len = size & 1 ? 32 : 48;
        if (tnt_keylog_tls13_secret(kl, (tnt_keylog_label)l, key, out, &len)) {
            FUZZ_ASSERT(len == 32 || len == 48);
            fuzz_touch(out, len);
        }
    }
    tnt_keylog_free(kl);
    return 0;
}
