#include "prf.h"
#include "prf_key.h"

#include <gcrypt.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* The one place libgcrypt is set up. It must be initialised once per
 * process, and an application that did it already (Wireshark) must not see
 * us redo it; libgcrypt's own flag says which, so we keep no state of our
 * own. Secure memory is off because we do not run setuid and it only brings
 * "insecure memory" warnings. */
void tnt_gcrypt_init(void)
{
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        gcry_check_version(NULL);
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
}

/* libgcrypt's initialisation is not thread-safe, and tntpeer's engine (and
 * its tests) run client and server in threads that may both reach their
 * first hash at the same moment: one of them then got a failed gcry_md_open
 * now and then. Doing it when the library is loaded, before any thread
 * exists, needs no lock and no state of our own (GnuTLS does the same). */
__attribute__((constructor)) static void gcrypt_init_at_load(void)
{
    tnt_gcrypt_init();
}

static int md_algo(tnt_hash h)
{
    switch (h) {
    case TNT_HASH_MD5:
        return GCRY_MD_MD5;
    case TNT_HASH_SHA1:
        return GCRY_MD_SHA1;
    case TNT_HASH_SHA224:
        return GCRY_MD_SHA224;
    case TNT_HASH_SHA256:
        return GCRY_MD_SHA256;
    case TNT_HASH_SHA384:
        return GCRY_MD_SHA384;
    case TNT_HASH_SHA512:
        return GCRY_MD_SHA512;
    }
    return GCRY_MD_NONE;
}

size_t tnt_hash_len(tnt_hash h)
{
    int a = md_algo(h);
    return a == GCRY_MD_NONE ? 0 : gcry_md_get_algo_dlen(a);
}

/* ---- P_hash (RFC 5246 5) ---- */

/* One HMAC over up to three pieces with the key already set on h. */
static bool hmac3(gcry_mac_hd_t h, const void *a, size_t alen, const void *b, size_t blen,
                  const void *c, size_t clen, uint8_t *out, size_t outlen)
{
    size_t n = outlen;
    return gcry_mac_reset(h) == 0 && (alen == 0 || gcry_mac_write(h, a, alen) == 0) &&
           (blen == 0 || gcry_mac_write(h, b, blen) == 0) &&
           (clen == 0 || gcry_mac_write(h, c, clen) == 0) && gcry_mac_read(h, out, &n) == 0 &&
           n == outlen;
}

/* out ^= P_<hash>(secret, label + seed) with the HMAC key (the secret)
 * already set on h: the caller zeroes out first, so the TLS 1.0 PRF is two
 * calls and TLS 1.2 is one. */
static bool p_hash_xor(gcry_mac_hd_t h, const char *label, const uint8_t *seed, size_t seed_len,
                       uint8_t *out, size_t out_len)
{
    size_t label_len = label ? strlen(label) : 0;
    size_t hl = gcry_mac_get_algo_maclen(gcry_mac_get_algo(h));
    if (hl == 0 || hl > TNT_MAX_HASH_LEN)
        return false;
    uint8_t a[TNT_MAX_HASH_LEN], block[TNT_MAX_HASH_LEN];
    /* A(1) = HMAC(label + seed); each output block is HMAC(A(i) + label + seed). */
    bool ok = hmac3(h, label, label_len, seed, seed_len, NULL, 0, a, hl);
    for (size_t off = 0; ok && off < out_len; off += hl) {
        ok = hmac3(h, a, hl, label, label_len, seed, seed_len, block, hl);
        size_t n = MIN(hl, out_len - off);
        for (size_t i = 0; ok && i < n; i++)
            out[off + i] ^= block[i];
        /* A(i+1) only when another block follows. */
        if (off + hl < out_len)
            ok = ok && hmac3(h, a, hl, NULL, 0, NULL, 0, a, hl);
    }
    memset(a, 0, sizeof a);
    memset(block, 0, sizeof block);
    return ok;
}

/* RFC 6101 6.1/6.2.2: MD5(secret + SHA1("A" + secret + seed)) +
 * MD5(secret + SHA1("BB" + secret + seed)) + ... */
static bool ssl3_expand(const uint8_t *secret, size_t secret_len, const uint8_t *seed,
                        size_t seed_len, uint8_t *out, size_t out_len)
{
    if (out_len > 26 * 16)
        return false;
    uint8_t letters[26], sha[20], md5[16];
    bool ok = true;
    for (size_t i = 0, off = 0; ok && off < out_len; i++, off += 16) {
        memset(letters, 'A' + (int)i, i + 1);
        gcry_buffer_t inner[3] = {
            {.size = i + 1, .len = i + 1, .data = letters},
            {.size = secret_len, .len = secret_len, .data = (void *)secret},
            {.size = seed_len, .len = seed_len, .data = (void *)seed},
        };
        gcry_buffer_t outer[2] = {
            {.size = secret_len, .len = secret_len, .data = (void *)secret},
            {.size = sizeof sha, .len = sizeof sha, .data = sha},
        };
        ok = gcry_md_hash_buffers(GCRY_MD_SHA1, 0, sha, inner, 3) == 0 &&
             gcry_md_hash_buffers(GCRY_MD_MD5, 0, md5, outer, 2) == 0;
        memcpy(out + off, md5, MIN(sizeof md5, out_len - off));
    }
    memset(sha, 0, sizeof sha);
    memset(md5, 0, sizeof md5);
    return ok;
}

/* ---- a PRF secret keyed once ---- */

struct tnt_prf_key {
    tnt_prf_alg alg;
    /* HMAC handles with the secret set: [0] the PRF's hash (for TLS 1.0 the
     * MD5 half), [1] TLS 1.0's SHA-1 half. None for SSL 3.0. */
    gcry_mac_hd_t h[2];
    size_t secret_len;
    uint8_t secret[]; /* SSL 3.0 expands and finishes with it; and is_for */
};

static bool keyed_mac(gcry_mac_hd_t *h, int algo, const uint8_t *key, size_t len)
{
    if (gcry_mac_open(h, algo, 0, NULL) != 0) {
        *h = NULL;
        return false;
    }
    return gcry_mac_setkey(*h, key, len) == 0;
}

tnt_prf_key *tnt_prf_key_new(tnt_prf_alg alg, const uint8_t *secret, size_t secret_len)
{
    tnt_gcrypt_init();
    tnt_prf_key *k = calloc(1, sizeof *k + secret_len);
    if (!k)
        return NULL;
    k->alg = alg;
    k->secret_len = secret_len;
    if (secret_len)
        memcpy(k->secret, secret, secret_len);
    bool ok = true;
    switch (alg) {
    case TNT_PRF_SSL3:
        break;
    case TNT_PRF_TLS10: {
        /* The halves overlap by one byte when the secret's length is odd. */
        size_t half = (secret_len + 1) / 2;
        ok = keyed_mac(&k->h[0], GCRY_MAC_HMAC_MD5, secret, half) &&
             keyed_mac(&k->h[1], GCRY_MAC_HMAC_SHA1, secret + (secret_len - half), half);
        break;
    }
    case TNT_PRF_SHA256:
        ok = keyed_mac(&k->h[0], GCRY_MAC_HMAC_SHA256, secret, secret_len);
        break;
    case TNT_PRF_SHA384:
        ok = keyed_mac(&k->h[0], GCRY_MAC_HMAC_SHA384, secret, secret_len);
        break;
    default:
        ok = false;
    }
    if (!ok) {
        tnt_prf_key_free(k);
        return NULL;
    }
    return k;
}

void tnt_prf_key_free(tnt_prf_key *k)
{
    if (!k)
        return;
    for (int i = 0; i < 2; i++)
        if (k->h[i])
            gcry_mac_close(k->h[i]);
    volatile uint8_t *v = k->secret;
    for (size_t i = 0; i < k->secret_len; i++)
        v[i] = 0;
    free(k);
}

bool tnt_prf_key_is_for(const tnt_prf_key *k, tnt_prf_alg alg, const uint8_t *secret,
                        size_t secret_len)
{
    return k && k->alg == alg && k->secret_len == secret_len &&
           (secret_len == 0 || memcmp(k->secret, secret, secret_len) == 0);
}

bool tnt_prf_keyed(tnt_prf_key *k, const char *label, const uint8_t *seed, size_t seed_len,
                   uint8_t *out, size_t out_len)
{
    memset(out, 0, out_len);
    switch (k->alg) {
    case TNT_PRF_SSL3:
        return ssl3_expand(k->secret, k->secret_len, seed, seed_len, out, out_len);
    case TNT_PRF_TLS10:
        return p_hash_xor(k->h[0], label, seed, seed_len, out, out_len) &&
               p_hash_xor(k->h[1], label, seed, seed_len, out, out_len);
    case TNT_PRF_SHA256:
    case TNT_PRF_SHA384:
        return p_hash_xor(k->h[0], label, seed, seed_len, out, out_len);
    }
    return false;
}

bool tnt_prf(tnt_prf_alg alg, const uint8_t *secret, size_t secret_len, const char *label,
             const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len)
{
    memset(out, 0, out_len);
    tnt_prf_key *k = tnt_prf_key_new(alg, secret, secret_len);
    bool ok = k && tnt_prf_keyed(k, label, seed, seed_len, out, out_len);
    tnt_prf_key_free(k);
    return ok;
}

bool tnt_master_secret(tnt_prf_alg alg, const uint8_t *pms, size_t pms_len,
                       const uint8_t client_random[32], const uint8_t server_random[32],
                       uint8_t ms[48])
{
    uint8_t seed[2 * TNT_RANDOM_LEN];
    memcpy(seed, client_random, TNT_RANDOM_LEN);
    memcpy(seed + TNT_RANDOM_LEN, server_random, TNT_RANDOM_LEN);
    return tnt_prf(alg, pms, pms_len, "master secret", seed, sizeof seed, ms,
                   TNT_MASTER_SECRET_LEN);
}

bool tnt_master_secret_ems(tnt_prf_alg alg, const uint8_t *pms, size_t pms_len,
                           const uint8_t *session_hash, size_t session_hash_len, uint8_t ms[48])
{
    if (alg == TNT_PRF_SSL3)
        return false;
    return tnt_prf(alg, pms, pms_len, "extended master secret", session_hash, session_hash_len, ms,
                   TNT_MASTER_SECRET_LEN);
}

static bool key_block_keyed(tnt_prf_key *k, const uint8_t client_random[32],
                            const uint8_t server_random[32], uint8_t *out, size_t out_len)
{
    /* Server random first here, unlike for the master secret. */
    uint8_t seed[2 * TNT_RANDOM_LEN];
    memcpy(seed, server_random, TNT_RANDOM_LEN);
    memcpy(seed + TNT_RANDOM_LEN, client_random, TNT_RANDOM_LEN);
    return tnt_prf_keyed(k, "key expansion", seed, sizeof seed, out, out_len);
}

bool tnt_key_block(tnt_prf_alg alg, const uint8_t ms[48], const uint8_t client_random[32],
                   const uint8_t server_random[32], uint8_t *out, size_t out_len)
{
    tnt_prf_key *k = tnt_prf_key_new(alg, ms, TNT_MASTER_SECRET_LEN);
    bool ok = k && key_block_keyed(k, client_random, server_random, out, out_len);
    tnt_prf_key_free(k);
    return ok;
}

size_t tnt_key_block_len(size_t mac_len, size_t key_len, size_t iv_len)
{
    return 2 * (mac_len + key_len + iv_len);
}

bool tnt_key_block_split(const uint8_t *kb, size_t kb_len, size_t mac_len, size_t key_len,
                         size_t iv_len, tnt_key_material *out)
{
    if (mac_len > TNT_MAX_MAC_KEY_LEN || key_len > TNT_MAX_ENC_KEY_LEN || iv_len > TNT_MAX_IV_LEN ||
        kb_len < tnt_key_block_len(mac_len, key_len, iv_len))
        return false;
    memset(out, 0, sizeof *out);
    size_t off = 0;
    memcpy(out->client_mac, kb + off, mac_len);
    off += mac_len;
    memcpy(out->server_mac, kb + off, mac_len);
    off += mac_len;
    memcpy(out->client_key, kb + off, key_len);
    off += key_len;
    memcpy(out->server_key, kb + off, key_len);
    off += key_len;
    memcpy(out->client_iv, kb + off, iv_len);
    off += iv_len;
    memcpy(out->server_iv, kb + off, iv_len);
    out->mac_len = mac_len;
    out->key_len = key_len;
    out->iv_len = iv_len;
    return true;
}

bool tnt_derive_keys_keyed(tnt_prf_key *k, const uint8_t client_random[32],
                           const uint8_t server_random[32], size_t mac_len, size_t key_len,
                           size_t iv_len, tnt_key_material *out)
{
    uint8_t kb[2 * (TNT_MAX_MAC_KEY_LEN + TNT_MAX_ENC_KEY_LEN + TNT_MAX_IV_LEN)];
    size_t n = tnt_key_block_len(mac_len, key_len, iv_len);
    if (mac_len > TNT_MAX_MAC_KEY_LEN || key_len > TNT_MAX_ENC_KEY_LEN || iv_len > TNT_MAX_IV_LEN)
        return false;
    bool ok = key_block_keyed(k, client_random, server_random, kb, n) &&
              tnt_key_block_split(kb, n, mac_len, key_len, iv_len, out);
    memset(kb, 0, sizeof kb);
    return ok;
}

bool tnt_derive_keys(tnt_prf_alg alg, const uint8_t ms[48], const uint8_t client_random[32],
                     const uint8_t server_random[32], size_t mac_len, size_t key_len, size_t iv_len,
                     tnt_key_material *out)
{
    tnt_prf_key *k = tnt_prf_key_new(alg, ms, TNT_MASTER_SECRET_LEN);
    bool ok =
        k && tnt_derive_keys_keyed(k, client_random, server_random, mac_len, key_len, iv_len, out);
    tnt_prf_key_free(k);
    return ok;
}

/* MD5(a + b + c)[0..out_len-1]: SSL 3.0's export expansion. */
static bool md5_3(const uint8_t *a, size_t alen, const uint8_t *b, const uint8_t *c, uint8_t *out,
                  size_t out_len)
{
    uint8_t md5[16];
    gcry_buffer_t in[3] = {
        {.size = alen, .len = alen, .data = (void *)a},
        {.size = TNT_RANDOM_LEN, .len = TNT_RANDOM_LEN, .data = (void *)b},
        {.size = TNT_RANDOM_LEN, .len = TNT_RANDOM_LEN, .data = (void *)c},
    };
    if (out_len > sizeof md5 || gcry_md_hash_buffers(GCRY_MD_MD5, 0, md5, in, 3) != 0)
        return false;
    memcpy(out, md5, out_len);
    memset(md5, 0, sizeof md5);
    return true;
}

bool tnt_export_keys(tnt_prf_alg alg, const uint8_t client_random[32],
                     const uint8_t server_random[32], size_t key_len, size_t iv_len,
                     tnt_key_material *km)
{
    if (key_len > TNT_MAX_ENC_KEY_LEN || iv_len > TNT_MAX_IV_LEN || km->key_len > key_len ||
        key_len > 16 || iv_len > 16)
        return false;
    uint8_t ck[TNT_MAX_ENC_KEY_LEN], sk[TNT_MAX_ENC_KEY_LEN], ivs[2 * TNT_MAX_IV_LEN];
    bool ok;
    if (alg == TNT_PRF_SSL3) {
        /* RFC 6101 6.2.2.3: final keys MD5(key + own random + other random),
         * IVs MD5(client random + server random) and the reverse. */
        ok = md5_3(km->client_key, km->key_len, client_random, server_random, ck, key_len) &&
             md5_3(km->server_key, km->key_len, server_random, client_random, sk, key_len) &&
             md5_3(NULL, 0, client_random, server_random, ivs, iv_len) &&
             md5_3(NULL, 0, server_random, client_random, ivs + iv_len, iv_len);
    } else {
        /* RFC 2246 6.3: both keys are expanded with client_random +
         * server_random, and the IVs come from the keyless "IV block". */
        uint8_t seed[2 * TNT_RANDOM_LEN];
        memcpy(seed, client_random, TNT_RANDOM_LEN);
        memcpy(seed + TNT_RANDOM_LEN, server_random, TNT_RANDOM_LEN);
        ok = tnt_prf(alg, km->client_key, km->key_len, "client write key", seed, sizeof seed, ck,
                     key_len) &&
             tnt_prf(alg, km->server_key, km->key_len, "server write key", seed, sizeof seed, sk,
                     key_len) &&
             (iv_len == 0 || tnt_prf(alg, NULL, 0, "IV block", seed, sizeof seed, ivs, 2 * iv_len));
    }
    if (ok) {
        memcpy(km->client_key, ck, key_len);
        memcpy(km->server_key, sk, key_len);
        memcpy(km->client_iv, ivs, iv_len);
        memcpy(km->server_iv, ivs + iv_len, iv_len);
        km->key_len = key_len;
        km->iv_len = iv_len;
    }
    memset(ck, 0, sizeof ck);
    memset(sk, 0, sizeof sk);
    memset(ivs, 0, sizeof ivs);
    return ok;
}

/* ---- transcript ---- */

struct tnt_transcript {
    gcry_md_hd_t h; /* one handle with every tnt_hash enabled */
};

static const tnt_hash all_hashes[] = {TNT_HASH_MD5,    TNT_HASH_SHA1,   TNT_HASH_SHA224,
                                      TNT_HASH_SHA256, TNT_HASH_SHA384, TNT_HASH_SHA512};

tnt_transcript *tnt_transcript_new(void)
{
    tnt_gcrypt_init();
    gcry_md_hd_t h;
    if (gcry_md_open(&h, 0, 0) != 0)
        return NULL;
    /* A failing enable (MD5 under FIPS) only makes that digest unavailable. */
    for (size_t i = 0; i < G_N_ELEMENTS(all_hashes); i++)
        gcry_md_enable(h, md_algo(all_hashes[i]));
    tnt_transcript *t = g_new0(tnt_transcript, 1);
    t->h = h;
    return t;
}

tnt_transcript *tnt_transcript_new_for(tnt_prf_alg alg)
{
    tnt_gcrypt_init();
    gcry_md_hd_t h;
    if (gcry_md_open(&h, 0, 0) != 0)
        return NULL;
    switch (alg) {
    case TNT_PRF_SSL3:
    case TNT_PRF_TLS10:
        gcry_md_enable(h, md_algo(TNT_HASH_MD5));
        gcry_md_enable(h, md_algo(TNT_HASH_SHA1));
        break;
    case TNT_PRF_SHA256:
        gcry_md_enable(h, md_algo(TNT_HASH_SHA256));
        break;
    case TNT_PRF_SHA384:
        gcry_md_enable(h, md_algo(TNT_HASH_SHA384));
        break;
    }
    tnt_transcript *t = g_new0(tnt_transcript, 1);
    t->h = h;
    return t;
}

tnt_transcript *tnt_transcript_copy(const tnt_transcript *t)
{
    gcry_md_hd_t h;
    if (gcry_md_copy(&h, t->h) != 0)
        return NULL;
    tnt_transcript *c = g_new0(tnt_transcript, 1);
    c->h = h;
    return c;
}

void tnt_transcript_free(tnt_transcript *t)
{
    if (!t)
        return;
    gcry_md_close(t->h);
    g_free(t);
}

void tnt_transcript_update(tnt_transcript *t, const uint8_t *data, size_t len)
{
    if (len)
        gcry_md_write(t->h, data, len);
}

/* Finishes a copy of h after appending extra bytes (SSL 3.0 needs that). */
static bool finish_copy(gcry_md_hd_t h, tnt_hash hash, const void *extra1, size_t len1,
                        const void *extra2, size_t len2, const void *extra3, size_t len3,
                        uint8_t *out, size_t cap, size_t *len)
{
    int algo = md_algo(hash);
    size_t dlen = tnt_hash_len(hash);
    if (dlen == 0 || dlen > cap)
        return false;
    gcry_md_hd_t c;
    if (gcry_md_copy(&c, h) != 0)
        return false;
    gcry_md_write(c, extra1, len1);
    gcry_md_write(c, extra2, len2);
    gcry_md_write(c, extra3, len3);
    const unsigned char *d = gcry_md_read(c, algo);
    if (d) {
        memcpy(out, d, dlen);
        *len = dlen;
    }
    gcry_md_close(c);
    return d != NULL;
}

bool tnt_transcript_digest(const tnt_transcript *t, tnt_hash h, uint8_t *out, size_t cap,
                           size_t *len)
{
    return finish_copy(t->h, h, NULL, 0, NULL, 0, NULL, 0, out, cap, len);
}

bool tnt_transcript_handshake_hash(const tnt_transcript *t, tnt_prf_alg alg, uint8_t *out,
                                   size_t cap, size_t *len)
{
    size_t n1, n2;
    switch (alg) {
    case TNT_PRF_SSL3:
    case TNT_PRF_TLS10:
        if (cap < 36 || !tnt_transcript_digest(t, TNT_HASH_MD5, out, cap, &n1) ||
            !tnt_transcript_digest(t, TNT_HASH_SHA1, out + n1, cap - n1, &n2))
            return false;
        *len = n1 + n2;
        return true;
    case TNT_PRF_SHA256:
        return tnt_transcript_digest(t, TNT_HASH_SHA256, out, cap, len);
    case TNT_PRF_SHA384:
        return tnt_transcript_digest(t, TNT_HASH_SHA384, out, cap, len);
    }
    return false;
}

/* RFC 6101 5.6.9. */
static bool ssl3_finished(const uint8_t ms[48], bool by_server, const tnt_transcript *t,
                          uint8_t *out)
{
    static const uint8_t clnt[4] = {0x43, 0x4c, 0x4e, 0x54}, srvr[4] = {0x53, 0x52, 0x56, 0x52};
    const uint8_t *sender = by_server ? srvr : clnt;
    uint8_t pad1[48], pad2[48], inner[20];
    memset(pad1, 0x36, sizeof pad1);
    memset(pad2, 0x5c, sizeof pad2);
    size_t n = 0;
    bool ok = true;
    /* MD5 takes 48 bytes of padding, SHA-1 40. */
    const struct {
        tnt_hash h;
        int algo;
        size_t pad, dlen;
    } parts[2] = {{TNT_HASH_MD5, GCRY_MD_MD5, 48, 16}, {TNT_HASH_SHA1, GCRY_MD_SHA1, 40, 20}};
    for (int i = 0; ok && i < 2; i++) {
        ok = finish_copy(t->h, parts[i].h, sender, 4, ms, 48, pad1, parts[i].pad, inner,
                         sizeof inner, &n);
        gcry_buffer_t outer[3] = {
            {.size = 48, .len = 48, .data = (void *)ms},
            {.size = parts[i].pad, .len = parts[i].pad, .data = pad2},
            {.size = n, .len = n, .data = inner},
        };
        ok = ok && gcry_md_hash_buffers(parts[i].algo, 0, out + (i ? 16 : 0), outer, 3) == 0;
    }
    memset(inner, 0, sizeof inner);
    return ok;
}

bool tnt_finished_verify_data_keyed(tnt_prf_key *k, bool by_server, const tnt_transcript *t,
                                    uint8_t *out, size_t cap, size_t *len)
{
    if (k->alg == TNT_PRF_SSL3) {
        if (k->secret_len != TNT_MASTER_SECRET_LEN || cap < TNT_SSL3_VERIFY_DATA_LEN ||
            !ssl3_finished(k->secret, by_server, t, out))
            return false;
        *len = TNT_SSL3_VERIFY_DATA_LEN;
        return true;
    }
    uint8_t hs[TNT_MAX_HASH_LEN];
    size_t hs_len;
    if (cap < TNT_VERIFY_DATA_LEN ||
        !tnt_transcript_handshake_hash(t, k->alg, hs, sizeof hs, &hs_len))
        return false;
    if (!tnt_prf_keyed(k, by_server ? "server finished" : "client finished", hs, hs_len, out,
                       TNT_VERIFY_DATA_LEN))
        return false;
    *len = TNT_VERIFY_DATA_LEN;
    return true;
}

bool tnt_finished_verify_data(tnt_prf_alg alg, const uint8_t ms[48], bool by_server,
                              const tnt_transcript *t, uint8_t *out, size_t cap, size_t *len)
{
    tnt_prf_key *k = tnt_prf_key_new(alg, ms, TNT_MASTER_SECRET_LEN);
    bool ok = k && tnt_finished_verify_data_keyed(k, by_server, t, out, cap, len);
    tnt_prf_key_free(k);
    return ok;
}
