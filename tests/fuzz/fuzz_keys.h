/* The keys the connection-level harnesses (conn, packet) decrypt with: the
 * key logs and the RSA key of tests/data, and every key log of samples/ (so that
 * the seeds made from the TNT sample captures decrypt), loaded once.
 * TNT_FUZZ_DATA (run time) or TNT_FUZZ_DATA_DIR (build time, set by
 * build.sh) says where tests/data is; the samples are TNT_FUZZ_SAMPLES, else
 * the samples/ of the tree TNT_FUZZ_DATA belongs to, else
 * TNT_FUZZ_SAMPLES_DIR. */
#ifndef TNT_FUZZ_KEYS_H
#define TNT_FUZZ_KEYS_H

#include "fuzz_common.h"

#include "chain_verify.h"
#include "keys.h"
#include "tnt/load.h"

#include <glob.h>

#ifndef TNT_FUZZ_DATA_DIR
#define TNT_FUZZ_DATA_DIR "tests/data"
#endif
#ifndef TNT_FUZZ_SAMPLES_DIR
#define TNT_FUZZ_SAMPLES_DIR "samples"
#endif

static tnt_keylog *g_keylog;
/* Trust anchors (--trust-anchor): the CAs of tests/data/pki, so that issuer
 * constraints run chain verification. */
static tnt_arena g_anchor_arena;
static tnt_anchor_set g_anchors;
static const char *const anchor_files[] = {
    "pki/smb-ca-ec.der",  "pki/smb-ca-rsa.der", "pki/bbb-ca-ec.der",
    "pki/bbb-ca-rsa.der", "pki/acme-ca-ec.der",
};

static inline const char *fuzz_data_dir(void)
{
    const char *dir = getenv("TNT_FUZZ_DATA");
    return dir ? dir : TNT_FUZZ_DATA_DIR;
}

static inline void fuzz_load_anchors(void)
{
    char path[4096];
    tnt_arena_init(&g_anchor_arena);
    tnt_anchors_init(&g_anchors, &g_anchor_arena);
    for (size_t i = 0; i < sizeof(anchor_files) / sizeof(anchor_files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", fuzz_data_dir(), anchor_files[i]);
        tnt_error err;
        tnt_anchors_add_file(&g_anchors, path, NULL, 0, &err);
    }
}
static tnt_rsa_keyset *g_rsa;

static const char *const keylogs[] = {
    "reneg.keys",
    "bigresponse.keys",
    "made_here-tls12-aes128sha-server-reneg.keys",
    "illustrated-tls12-keylog.txt",
    "snet-ssl3_0.keylog",
    "snet-TLS1_3_TLS_AES_256_GCM_SHA384.keylog.txt",
    "decrypt-neg/client-reneg.keys",
    "decrypt-neg/noetm.keys",
    "decrypt-neg/hotplace-tls12-sslkeylog",
    "tls13/ssldump-log.txt",
    "large-chain-gap.keys",
};

/* A replay names TNT_FUZZ_DATA only: the samples are then its tree's, not
 * the build tree's. */
static inline void fuzz_samples_dir(char *buf, size_t size)
{
    const char *s = getenv("TNT_FUZZ_SAMPLES");
    const char *d = getenv("TNT_FUZZ_DATA");
    if (s)
        snprintf(buf, size, "%s", s);
    else if (d)
        snprintf(buf, size, "%s/../../samples", d);
    else
        snprintf(buf, size, "%s", TNT_FUZZ_SAMPLES_DIR);
}

static inline void fuzz_load_sample_keys(void)
{
    char pattern[4096];
    fuzz_samples_dir(pattern, sizeof(pattern) - 8);
    strcat(pattern, "/*.keys");
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) {
        /* Not fatal (the tests/data keys still decrypt most seeds), but the
         * sample seeds would only exercise the encrypted-record paths. */
        fprintf(stderr, "fuzz: no key logs match %s (set TNT_FUZZ_SAMPLES)\n", pattern);
        return;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        tnt_keylog_stats st;
        tnt_keylog_load_file(g_keylog, g.gl_pathv[i], NULL, NULL, &st, NULL);
    }
    globfree(&g);
}

static inline void fuzz_load_keys(void)
{
    const char *dir = fuzz_data_dir();
    g_keylog = tnt_keylog_new();
    g_rsa = tnt_rsa_keyset_new();
    char path[4096];
    for (size_t i = 0; i < sizeof(keylogs) / sizeof(keylogs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, keylogs[i]);
        tnt_keylog_stats st;
        if (!tnt_keylog_load_file(g_keylog, path, NULL, NULL, &st, NULL) && i == 0) {
            /* Without reneg.keys nothing decrypts: fuzzing would silently
             * miss the decryption paths. */
            fprintf(stderr, "fuzz_conn: cannot read %s (set TNT_FUZZ_DATA)\n", path);
            abort();
        }
    }
    snprintf(path, sizeof(path), "%s/%s", dir, "scapy-ssl_tls-openssl_1_0_1_f_server.pem");
    tnt_rsa_keyset_load_file(g_rsa, path, NULL);
    fuzz_load_sample_keys();
    fuzz_load_anchors();
}

/* Fresh session caches for every input (so that a finding replays on its
 * own), sharing the key logs and RSA keys loaded once. */
static inline tnt_keys *fuzz_keys_new(void)
{
    tnt_keys *keys = tnt_keys_new();
    tnt_keylog_free(keys->keylog);
    tnt_rsa_keyset_free(keys->rsa);
    keys->keylog = g_keylog;
    keys->rsa = g_rsa;
    return keys;
}

static inline void fuzz_keys_free(tnt_keys *keys)
{
    keys->keylog = NULL;
    keys->rsa = NULL;
    tnt_keys_free(keys);
}

#endif
