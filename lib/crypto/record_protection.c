/* TLS record protection with libgcrypt: see record_protection.h.
 *
 * Record layouts (SSL 3.0 - TLS 1.2):
 *   stream/NULL: E(content || MAC)
 *   CBC, MtE:    [IV] || E(content || MAC || padding || padding_length)
 *   CBC, EtM:    [IV] || E(content || padding || padding_length) || MAC  (RFC 7366)
 *   GCM/CCM:     explicit_nonce(8) || E(content) || tag               (RFC 5288, 6655)
 *   ChaCha20:    E(content) || tag, nonce = fixed_iv ^ seq            (RFC 7905)
 * TLS 1.3 (RFC 8446 5.2, 5.3), every AEAD alike:
 *   E(content || type || zeros) || tag, nonce = iv(12) ^ seq, AAD = the
 *   5-byte record header
 * [IV] is the explicit per-record IV of TLS 1.1+ (RFC 4346 6.2.3.2); SSL 3.0
 * and TLS 1.0 chain instead: the IV of a record is the last ciphertext block
 * of the previous one (the first uses the key block's IV). */
#include "record_protection.h"
#include "prf.h"
#include "record_protection_int.h"

#include <stdlib.h>
#include <string.h>

#include <gcrypt.h>

#include "cursor.h"

/* TLSCiphertext.length may not exceed 2^14 + 2048 (RFC 5246 6.2.3); it also
 * keeps every length that goes into a MAC header within 16 bits. */
#define RP_MAX_BODY (16384 + 2048)
/* TLS 1.3 is tighter (RFC 8446 5.2): TLSCiphertext.length <= 2^14 + 256. */
#define RP_MAX_BODY13 (16384 + 256)
#define RP_MAX_PLAIN 16384
#define RP_MAX_MAC 48
#define RP_MAX_BLOCK 16
#define RP_MAX_TAG 16
#define RP_NONCE 12

typedef enum rp_kind { RP_STREAM, RP_CBC, RP_AEAD } rp_kind;
typedef enum rp_aead { RP_GCM, RP_CCM, RP_CHACHA } rp_aead;

struct tnt_rp_state {
    uint16_t version;
    tnt_cipher cipher;
    tnt_mac mac;
    rp_kind kind;
    rp_aead aead;
    bool ssl3;
    bool etm;
    bool implicit_iv; /* SSL 3.0 / TLS 1.0 CBC chaining */
    bool tls13;       /* version 0x0304: only the *13 record functions apply */
    size_t block;
    size_t mac_len;
    size_t tag_len;
    size_t explicit_len; /* AEAD explicit nonce bytes in each record */
    gcry_cipher_hd_t h;  /* NULL for the NULL cipher */
    uint8_t mac_key[RP_MAX_MAC];
    size_t mac_key_len;
    uint8_t iv[RP_MAX_BLOCK];   /* CBC: next record's IV when implicit */
    uint8_t fixed_iv[RP_NONCE]; /* AEAD: salt (4) or ChaCha20 IV (12) */
    size_t fixed_iv_len;
    uint64_t seq;
    tnt_rp_rng rng;
    void *rng_ctx;
};

const char *tnt_rp_status_name(tnt_rp_status s)
{
    switch (s) {
    case TNT_RP_OK:
        return "ok";
    case TNT_RP_BAD_MAC:
        return "bad_mac";
    case TNT_RP_BAD_PADDING:
        return "bad_padding";
    case TNT_RP_BAD_LENGTH:
        return "bad_length";
    case TNT_RP_UNSUPPORTED:
        return "unsupported";
    case TNT_RP_ERROR:
        return "error";
    }
    return "?";
}

typedef struct rp_algo {
    tnt_cipher cipher;
    int algo; /* GCRY_CIPHER_* */
    int mode; /* GCRY_CIPHER_MODE_* */
    rp_kind kind;
    rp_aead aead;
    /* Export ciphers: the length of the final key after the export
     * expansion (RFC 2246 6.3 "Expanded Key Material", RFC 6101 6.2.2), 0
     * for every other cipher. RC2 then runs with all 128 effective key bits
     * and DES with the 8 expanded bytes as its key, as OpenSSL and
     * Wireshark do. */
    uint8_t export_key;
} rp_algo;

/* Everything not listed (ARIA, SM4) is unsupported: they are not in the
 * libgcrypt we build against. */
static const rp_algo rp_algos[] = {
    {TNT_CIPHER_RC4_40, GCRY_CIPHER_ARCFOUR, GCRY_CIPHER_MODE_STREAM, RP_STREAM, 0, 16},
    {TNT_CIPHER_RC4_128, GCRY_CIPHER_ARCFOUR, GCRY_CIPHER_MODE_STREAM, RP_STREAM, 0, 0},
    {TNT_CIPHER_RC2_40_CBC, GCRY_CIPHER_RFC2268_128, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 16},
    {TNT_CIPHER_IDEA_CBC, GCRY_CIPHER_IDEA, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_DES40_CBC, GCRY_CIPHER_DES, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 8},
    {TNT_CIPHER_DES_CBC, GCRY_CIPHER_DES, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_3DES_EDE_CBC, GCRY_CIPHER_3DES, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_SEED_CBC, GCRY_CIPHER_SEED, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_AES_128_CBC, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_AES_256_CBC, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_CAMELLIA_128_CBC, GCRY_CIPHER_CAMELLIA128, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_CAMELLIA_256_CBC, GCRY_CIPHER_CAMELLIA256, GCRY_CIPHER_MODE_CBC, RP_CBC, 0, 0},
    {TNT_CIPHER_AES_128_GCM, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, RP_AEAD, RP_GCM, 0},
    {TNT_CIPHER_AES_256_GCM, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM, RP_AEAD, RP_GCM, 0},
    {TNT_CIPHER_CAMELLIA_128_GCM, GCRY_CIPHER_CAMELLIA128, GCRY_CIPHER_MODE_GCM, RP_AEAD, RP_GCM,
     0},
    {TNT_CIPHER_CAMELLIA_256_GCM, GCRY_CIPHER_CAMELLIA256, GCRY_CIPHER_MODE_GCM, RP_AEAD, RP_GCM,
     0},
    {TNT_CIPHER_AES_128_CCM, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, RP_AEAD, RP_CCM, 0},
    {TNT_CIPHER_AES_256_CCM, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CCM, RP_AEAD, RP_CCM, 0},
    {TNT_CIPHER_AES_128_CCM_8, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CCM, RP_AEAD, RP_CCM, 0},
    {TNT_CIPHER_AES_256_CCM_8, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CCM, RP_AEAD, RP_CCM, 0},
    {TNT_CIPHER_CHACHA20_POLY1305, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_POLY1305, RP_AEAD,
     RP_CHACHA, 0},
};

static const rp_algo *find_algo(tnt_cipher c)
{
    for (size_t i = 0; i < sizeof rp_algos / sizeof rp_algos[0]; i++)
        if (rp_algos[i].cipher == c)
            return &rp_algos[i];
    return NULL;
}

size_t tnt_rp_key_len(tnt_cipher c)
{
    const rp_algo *a = find_algo(c);
    if (a && a->export_key)
        return a->export_key;
    const tnt_cipher_info *ci = tnt_cipher_lookup(c);
    return ci ? ci->key_len : 0;
}

static bool is_des(int algo)
{
    return algo == GCRY_CIPHER_DES || algo == GCRY_CIPHER_3DES;
}

static int md_algo(tnt_mac m)
{
    switch (m) {
    case TNT_MAC_MD5:
        return GCRY_MD_MD5;
    case TNT_MAC_SHA1:
        return GCRY_MD_SHA1;
    case TNT_MAC_SHA256:
        return GCRY_MD_SHA256;
    case TNT_MAC_SHA384:
        return GCRY_MD_SHA384;
    default:
        return 0;
    }
}

static int hmac_algo(tnt_mac m)
{
    switch (m) {
    case TNT_MAC_MD5:
        return GCRY_MAC_HMAC_MD5;
    case TNT_MAC_SHA1:
        return GCRY_MAC_HMAC_SHA1;
    case TNT_MAC_SHA256:
        return GCRY_MAC_HMAC_SHA256;
    case TNT_MAC_SHA384:
        return GCRY_MAC_HMAC_SHA384;
    default:
        return 0;
    }
}

/* A MAC comparison that does not stop at the first difference. We are a
 * passive decoder so timing does not matter here, but the reference peer
 * encrypts with the same code and a careful compare costs nothing. */
static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

/* memmove that accepts (NULL, 0), which a zero-length record may give. */
static void move(uint8_t *dst, const uint8_t *src, size_t n)
{
    if (n)
        memmove(dst, src, n);
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* The SSL 3.0 MAC (RFC 6101 5.2.3.1) is an early HMAC-like construction over
 * plain hashes: hash(secret || pad_2 || hash(secret || pad_1 || data)), with
 * 48 pad bytes for MD5 and 40 for SHA-1. */
static tnt_rp_status ssl3_mac(tnt_mac m, const uint8_t *key, size_t key_len,
                              const uint8_t *const *parts, const size_t *part_lens, size_t n,
                              uint8_t *out)
{
    size_t pad_len = m == TNT_MAC_MD5 ? 48 : m == TNT_MAC_SHA1 ? 40 : 0;
    if (!pad_len)
        return TNT_RP_UNSUPPORTED;
    int algo = md_algo(m);
    size_t len = gcry_md_get_algo_dlen(algo);
    uint8_t pad1[48], pad2[48], inner[RP_MAX_MAC];
    memset(pad1, 0x36, sizeof pad1);
    memset(pad2, 0x5c, sizeof pad2);

    gcry_md_hd_t h;
    if (gcry_md_open(&h, algo, 0))
        return TNT_RP_ERROR;
    gcry_md_write(h, key, key_len);
    gcry_md_write(h, pad1, pad_len);
    for (size_t i = 0; i < n; i++)
        gcry_md_write(h, parts[i], part_lens[i]);
    memcpy(inner, gcry_md_read(h, algo), len);
    gcry_md_reset(h);
    gcry_md_write(h, key, key_len);
    gcry_md_write(h, pad2, pad_len);
    gcry_md_write(h, inner, len);
    memcpy(out, gcry_md_read(h, algo), len);
    gcry_md_close(h);
    return TNT_RP_OK;
}

tnt_rp_status tnt_rp_mac(tnt_mac m, bool ssl3, const uint8_t *key, size_t key_len,
                         const uint8_t *const *parts, const size_t *part_lens, size_t n,
                         uint8_t *out)
{
    tnt_gcrypt_init();
    if (!md_algo(m))
        return TNT_RP_UNSUPPORTED;
    if (ssl3)
        return ssl3_mac(m, key, key_len, parts, part_lens, n, out);

    gcry_mac_hd_t h;
    if (gcry_mac_open(&h, hmac_algo(m), 0, NULL))
        return TNT_RP_ERROR;
    /* An HMAC key may be any length, even 0; libgcrypt wants a non-NULL one. */
    static const uint8_t empty[1];
    if (gcry_mac_setkey(h, key_len ? key : empty, key_len)) {
        gcry_mac_close(h);
        return TNT_RP_ERROR;
    }
    for (size_t i = 0; i < n; i++)
        if (part_lens[i])
            gcry_mac_write(h, parts[i], part_lens[i]);
    size_t len = gcry_mac_get_algo_maclen(hmac_algo(m));
    gcry_error_t e = gcry_mac_read(h, out, &len);
    gcry_mac_close(h);
    return e ? TNT_RP_ERROR : TNT_RP_OK;
}

/* The MAC of one record: over seq_num || type || [version ||] length || data,
 * the version being absent in SSL 3.0 (RFC 6101 5.2.3.1, RFC 5246 6.2.3.1). */
static tnt_rp_status record_mac(const tnt_rp_state *st, uint8_t type, uint16_t version,
                                const uint8_t *data, size_t len, uint8_t *out)
{
    uint8_t hdr[13];
    size_t hl = 0;
    put_u64(hdr, st->seq);
    hl = 8;
    hdr[hl++] = type;
    if (!st->ssl3) {
        hdr[hl++] = (uint8_t)(version >> 8);
        hdr[hl++] = (uint8_t)version;
    }
    hdr[hl++] = (uint8_t)(len >> 8);
    hdr[hl++] = (uint8_t)len;
    const uint8_t *parts[2] = {hdr, data};
    size_t lens[2] = {hl, len};
    return tnt_rp_mac(st->mac, st->ssl3, st->mac_key, st->mac_key_len, parts, lens, 2, out);
}

/* Everything tnt_rp_new decides before it opens the cipher: whether the
 * suite, version and parameters make a record protection state, and that
 * state's fields. *algo gets the cipher (NULL for the NULL cipher). */
static tnt_rp_status rp_setup(const tnt_rp_params *p, tnt_rp_state *st, const rp_algo **algo)
{
    *algo = NULL;
    if (!p || !p->suite)
        return TNT_RP_ERROR;
    if (p->version < 0x0300 || p->version > 0x0304)
        return TNT_RP_UNSUPPORTED;
    tnt_cipher c = p->suite->cipher;
    tnt_mac m = p->suite->mac;
    const tnt_cipher_info *ci = tnt_cipher_lookup(c);
    if (!ci)
        return TNT_RP_UNSUPPORTED;

    st->version = p->version;
    st->cipher = c;
    st->mac = m;
    st->ssl3 = p->version == 0x0300;
    st->tls13 = p->version == 0x0304;
    st->rng = NULL;

    const rp_algo *a = NULL;
    if (c == TNT_CIPHER_NULL) {
        st->kind = RP_STREAM;
    } else {
        a = find_algo(c);
        if (!a || gcry_cipher_test_algo(a->algo))
            return TNT_RP_UNSUPPORTED;
        st->kind = a->kind;
        st->aead = a->aead;
    }

    if (st->tls13) {
        /* TLS 1.3 protects records with its own AEAD suites only (RFC 8446
         * B.4); a TLS 1.2 suite, CBC or NULL cannot occur with it. */
        if (st->kind != RP_AEAD || m != TNT_MAC_AEAD || p->suite->kx != TNT_KX_TLS13)
            return TNT_RP_UNSUPPORTED;
    } else if (st->kind == RP_AEAD) {
        /* AEAD suites exist from TLS 1.2 on (RFC 5246 6.2.3.3). */
        if (m != TNT_MAC_AEAD || p->version < 0x0303)
            return TNT_RP_UNSUPPORTED;
    } else if (m == TNT_MAC_NULL) {
        /* Only TLS_NULL_WITH_NULL_NULL: a block cipher with no MAC is no suite. */
        if (c != TNT_CIPHER_NULL)
            return TNT_RP_UNSUPPORTED;
    } else if (!md_algo(m) || (st->ssl3 && m != TNT_MAC_MD5 && m != TNT_MAC_SHA1)) {
        return TNT_RP_UNSUPPORTED;
    }

    st->mac_len = st->kind == RP_AEAD ? 0 : tnt_mac_len(m);
    if (st->kind != RP_AEAD) {
        if (p->mac_key_len != st->mac_len || st->mac_len > RP_MAX_MAC ||
            (st->mac_len && !p->mac_key))
            return TNT_RP_ERROR;
        if (st->mac_len)
            memcpy(st->mac_key, p->mac_key, st->mac_len);
        st->mac_key_len = st->mac_len;
    }
    st->etm = p->encrypt_then_mac && st->kind == RP_CBC;

    if (!a)
        return TNT_RP_OK;

    size_t want_key = a->export_key ? a->export_key : ci->key_len;
    if (c == TNT_CIPHER_RC4_40) {
        if (p->key_len < 5 || p->key_len > 16)
            return TNT_RP_ERROR;
        want_key = p->key_len;
    } else if (want_key != gcry_cipher_get_algo_keylen(a->algo)) {
        return TNT_RP_ERROR; /* the suite table and libgcrypt disagree: a bug, not a record */
    }
    if (!p->key || p->key_len != want_key)
        return TNT_RP_ERROR;

    if (st->kind == RP_CBC) {
        st->block = gcry_cipher_get_algo_blklen(a->algo);
        if (st->block > RP_MAX_BLOCK || st->block != ci->block_len)
            return TNT_RP_ERROR;
        st->implicit_iv = p->version <= 0x0301;
        if (st->implicit_iv) {
            if (!p->iv || p->iv_len != st->block)
                return TNT_RP_ERROR;
            memcpy(st->iv, p->iv, st->block);
        }
    } else if (st->kind == RP_AEAD) {
        st->tag_len = ci->tag_len;
        /* TLS 1.3 has no explicit nonce: the whole 12-byte nonce is the
         * derived iv xor the sequence number (RFC 8446 5.3). */
        st->explicit_len = st->tls13 ? 0 : ci->explicit_iv;
        st->fixed_iv_len = st->tls13 ? RP_NONCE : ci->iv_len;
        /* The nonce is always 12 bytes: 4 fixed + 8 explicit, or 12 fixed. */
        if (!p->iv || p->iv_len != st->fixed_iv_len ||
            st->fixed_iv_len + st->explicit_len != RP_NONCE || st->tag_len > RP_MAX_TAG ||
            st->tag_len < 8)
            return TNT_RP_ERROR;
        memcpy(st->fixed_iv, p->iv, st->fixed_iv_len);
    }
    *algo = a;
    return TNT_RP_OK;
}

/* Wipes key material (a plain memset before the memory is released may be
 * optimised away; explicit_bzero is not). */
static void wipe(void *p, size_t n)
{
    explicit_bzero(p, n);
}

tnt_rp_status tnt_rp_check(const tnt_rp_params *p)
{
    tnt_gcrypt_init();
    tnt_rp_state st;
    memset(&st, 0, sizeof st);
    const rp_algo *a;
    tnt_rp_status rs = rp_setup(p, &st, &a);
    wipe(&st, sizeof st);
    return rs;
}

tnt_rp_status tnt_rp_new(const tnt_rp_params *p, tnt_rp_state **out)
{
    *out = NULL;
    tnt_gcrypt_init();
    tnt_rp_state *st = calloc(1, sizeof *st);
    if (!st)
        return TNT_RP_ERROR;
    const rp_algo *a;
    tnt_rp_status rs = rp_setup(p, st, &a);
    if (rs != TNT_RP_OK)
        goto fail;
    if (!a) {
        *out = st;
        return TNT_RP_OK;
    }
    rs = TNT_RP_ERROR;
    if (gcry_cipher_open(&st->h, a->algo, a->mode, 0))
        goto fail;
    /* A DES key the peer derived is the key the peer used, weak or not:
     * libgcrypt still reports GPG_ERR_WEAK_KEY but keeps the key. */
    if (is_des(a->algo) && gcry_cipher_ctl(st->h, GCRYCTL_SET_ALLOW_WEAK_KEY, NULL, 1))
        goto fail;
    gcry_error_t ke = gcry_cipher_setkey(st->h, p->key, p->key_len);
    if (ke && !(is_des(a->algo) && gcry_err_code(ke) == GPG_ERR_WEAK_KEY))
        goto fail;
    *out = st;
    return TNT_RP_OK;

fail:
    tnt_rp_free(st);
    return rs;
}

void tnt_rp_free(tnt_rp_state *st)
{
    if (!st)
        return;
    if (st->h)
        gcry_cipher_close(st->h);
    wipe(st, sizeof *st);
    free(st);
}

uint64_t tnt_rp_seq(const tnt_rp_state *st)
{
    return st->seq;
}

void tnt_rp_set_seq(tnt_rp_state *st, uint64_t seq)
{
    st->seq = seq;
}

bool tnt_rp_resyncable(const tnt_rp_state *st)
{
    if (!st)
        return false;
    if (st->kind == RP_AEAD)
        return true;
    if (st->kind == RP_CBC)
        return !st->implicit_iv;
    return !st->h; /* the NULL cipher */
}

size_t tnt_rp_explicit_nonce_len(const tnt_rp_state *st)
{
    return st && st->kind == RP_AEAD && !st->tls13 ? st->explicit_len : 0;
}

void tnt_rp_set_rng(tnt_rp_state *st, tnt_rp_rng rng, void *ctx)
{
    st->rng = rng;
    st->rng_ctx = ctx;
}

/* ---- AEAD ---- */

static tnt_rp_status aead_start(tnt_rp_state *st, const uint8_t *nonce, size_t nonce_len,
                                const uint8_t *aad, size_t aad_len, size_t len)
{
    if (st->kind != RP_AEAD)
        return TNT_RP_ERROR;
    gcry_cipher_reset(st->h);
    if (gcry_cipher_setiv(st->h, nonce, nonce_len))
        return TNT_RP_ERROR;
    if (st->aead == RP_CCM) {
        /* CCM encodes the lengths in its first block, so it needs them first. */
        uint64_t l[3] = {len, aad_len, st->tag_len};
        if (gcry_cipher_ctl(st->h, GCRYCTL_SET_CCM_LENGTHS, l, sizeof l))
            return TNT_RP_ERROR;
    }
    if (gcry_cipher_authenticate(st->h, aad, aad_len))
        return TNT_RP_ERROR;
    gcry_cipher_final(st->h);
    return TNT_RP_OK;
}

tnt_rp_status tnt_rp_aead_open(tnt_rp_state *st, const uint8_t *nonce, size_t nonce_len,
                               const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
                               const uint8_t *tag, uint8_t *pt)
{
    tnt_rp_status rs = aead_start(st, nonce, nonce_len, aad, aad_len, len);
    if (rs != TNT_RP_OK)
        return rs;
    /* libgcrypt's in-place form is in == NULL. */
    if (gcry_cipher_decrypt(st->h, pt, len, pt == ct ? NULL : ct, pt == ct ? 0 : len))
        return TNT_RP_ERROR;
    gcry_error_t e = gcry_cipher_checktag(st->h, tag, st->tag_len);
    if (gcry_err_code(e) == GPG_ERR_CHECKSUM) {
        memset(pt, 0, len); /* unauthenticated plaintext is not handed out */
        return TNT_RP_BAD_MAC;
    }
    return e ? TNT_RP_ERROR : TNT_RP_OK;
}

tnt_rp_status tnt_rp_aead_seal(tnt_rp_state *st, const uint8_t *nonce, size_t nonce_len,
                               const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
                               uint8_t *ct, uint8_t *tag)
{
    tnt_rp_status rs = aead_start(st, nonce, nonce_len, aad, aad_len, len);
    if (rs != TNT_RP_OK)
        return rs;
    if (gcry_cipher_encrypt(st->h, ct, len, pt == ct ? NULL : pt, pt == ct ? 0 : len))
        return TNT_RP_ERROR;
    return gcry_cipher_gettag(st->h, tag, st->tag_len) ? TNT_RP_ERROR : TNT_RP_OK;
}

/* GCM/CCM: fixed salt || the record's explicit nonce (RFC 5288 3, RFC 6655 3).
 * ChaCha20: the fixed IV xor the big-endian sequence number, left-padded to 12
 * bytes (RFC 7905 2). */
static void aead_nonce(const tnt_rp_state *st, const uint8_t *explicit_nonce, uint8_t *nonce)
{
    memcpy(nonce, st->fixed_iv, st->fixed_iv_len);
    if (st->explicit_len) {
        memcpy(nonce + st->fixed_iv_len, explicit_nonce, st->explicit_len);
    } else {
        uint8_t s[8];
        put_u64(s, st->seq);
        for (int i = 0; i < 8; i++)
            nonce[4 + i] ^= s[i];
    }
}

/* additional_data = seq_num || type || version || length (RFC 5246 6.2.3.3),
 * length being the plaintext's. */
static void aead_aad(const tnt_rp_state *st, uint8_t type, uint16_t version, size_t len,
                     uint8_t *aad)
{
    put_u64(aad, st->seq);
    aad[8] = type;
    aad[9] = (uint8_t)(version >> 8);
    aad[10] = (uint8_t)version;
    aad[11] = (uint8_t)(len >> 8);
    aad[12] = (uint8_t)len;
}

static tnt_rp_status aead_decrypt(tnt_rp_state *st, uint8_t type, uint16_t version, tnt_cursor *c,
                                  uint8_t *out, size_t *out_len)
{
    uint8_t explicit_nonce[8], tag[RP_MAX_TAG], nonce[RP_NONCE], aad[13];
    size_t in_len = tnt_cursor_len(c);
    if (in_len < st->explicit_len + st->tag_len || in_len > RP_MAX_BODY)
        return TNT_RP_BAD_LENGTH;
    size_t len = in_len - st->explicit_len - st->tag_len;
    tnt_cursor body;
    if (!tnt_copy(c, explicit_nonce, st->explicit_len) || !tnt_get_sub(c, &body, len) ||
        !tnt_copy(c, tag, st->tag_len))
        return TNT_RP_BAD_LENGTH;
    aead_nonce(st, explicit_nonce, nonce);
    aead_aad(st, type, version, len, aad);
    /* Into a separate out the cipher decrypts straight from the record. When
     * out is the input buffer the ciphertext moves to its front first (the
     * tag is already copied out) and is decrypted in place. */
    const uint8_t *ct = tnt_cursor_data(&body);
    if (len && out < ct + len && ct < out + len) {
        move(out, ct, len);
        ct = out;
    }
    tnt_rp_status rs = tnt_rp_aead_open(st, nonce, RP_NONCE, aad, sizeof aad, ct, len, tag, out);
    if (rs == TNT_RP_OK)
        *out_len = len;
    return rs;
}

/* ---- CBC ---- */

static tnt_rp_status cbc_run(tnt_rp_state *st, bool enc, const uint8_t *iv, uint8_t *buf,
                             size_t len)
{
    if (gcry_cipher_setiv(st->h, iv, st->block))
        return TNT_RP_ERROR;
    if (!len)
        return TNT_RP_OK;
    gcry_error_t e = enc ? gcry_cipher_encrypt(st->h, buf, len, NULL, 0)
                         : gcry_cipher_decrypt(st->h, buf, len, NULL, 0);
    return e ? TNT_RP_ERROR : TNT_RP_OK;
}

/* Checks TLS padding at the end of the n decrypted bytes in buf and returns
 * its total length (padding_length + 1) in *pad_total. All padding bytes must
 * equal padding_length in TLS (RFC 5246 6.2.3.2); SSL 3.0 leaves them
 * arbitrary but requires padding_length < block size (RFC 6101 5.2.3.2).
 * min_left is what must remain before the padding (the MAC for MtE). */
static tnt_rp_status check_padding(const tnt_rp_state *st, const uint8_t *buf, size_t n,
                                   size_t min_left, size_t *pad_total)
{
    tnt_cursor c;
    uint8_t pad;
    tnt_cursor_init(&c, buf, n);
    if (!tnt_skip(&c, n - 1) || !tnt_get_u8(&c, &pad))
        return TNT_RP_BAD_LENGTH;
    if ((size_t)pad + 1 + min_left > n)
        return TNT_RP_BAD_PADDING;
    if (st->ssl3) {
        if (pad >= st->block)
            return TNT_RP_BAD_PADDING;
    } else {
        tnt_cursor_init(&c, buf, n);
        if (!tnt_skip(&c, n - 1 - pad))
            return TNT_RP_BAD_PADDING;
        for (unsigned i = 0; i < pad; i++) {
            uint8_t b;
            if (!tnt_get_u8(&c, &b) || b != pad)
                return TNT_RP_BAD_PADDING;
        }
    }
    *pad_total = (size_t)pad + 1;
    return TNT_RP_OK;
}

static tnt_rp_status cbc_decrypt(tnt_rp_state *st, uint8_t type, uint16_t version, tnt_cursor *c,
                                 uint8_t *out, size_t *out_len)
{
    size_t in_len = tnt_cursor_len(c);
    size_t iv_len = st->implicit_iv ? 0 : st->block;
    size_t mac_in_ct = st->etm ? 0 : st->mac_len; /* MAC bytes inside the ciphertext */
    size_t tail_mac = st->etm ? st->mac_len : 0;  /* MAC bytes after it */
    if (in_len > RP_MAX_BODY || in_len < iv_len + tail_mac + st->block)
        return TNT_RP_BAD_LENGTH;
    size_t ct_len = in_len - iv_len - tail_mac;
    /* The ciphertext must hold the MAC (MtE) and a padding_length byte. */
    if (ct_len % st->block || ct_len < mac_in_ct + 1)
        return TNT_RP_BAD_LENGTH;

    uint8_t iv[RP_MAX_BLOCK], mac[RP_MAX_MAC], next_iv[RP_MAX_BLOCK];
    tnt_cursor prot, ct, last;
    if (!tnt_get_sub(c, &prot, iv_len + ct_len) || !tnt_copy(c, mac, tail_mac))
        return TNT_RP_BAD_LENGTH;
    tnt_cursor body = prot;
    if (st->implicit_iv)
        memcpy(iv, st->iv, st->block);
    else if (!tnt_copy(&body, iv, st->block))
        return TNT_RP_BAD_LENGTH;
    ct = body;
    if (!tnt_skip(&body, ct_len - st->block) || !tnt_get_sub(&body, &last, st->block) ||
        !tnt_copy(&last, next_iv, st->block))
        return TNT_RP_BAD_LENGTH;

    /* The chaining IV moves on whether or not this record verifies: the peer
     * encrypted the next record with it either way. */
    if (st->implicit_iv)
        memcpy(st->iv, next_iv, st->block);

    if (st->etm) {
        /* RFC 7366 3: the MAC covers IV + ciphertext, with that as length,
         * and is checked before anything is decrypted. */
        uint8_t want[RP_MAX_MAC];
        tnt_rp_status rs =
            record_mac(st, type, version, tnt_cursor_data(&prot), iv_len + ct_len, want);
        if (rs != TNT_RP_OK)
            return rs;
        if (!same(want, mac, st->mac_len))
            return TNT_RP_BAD_MAC;
    }

    move(out, tnt_cursor_data(&ct), ct_len);
    tnt_rp_status rs = cbc_run(st, false, iv, out, ct_len);
    if (rs != TNT_RP_OK)
        return rs;
    size_t pad_total;
    rs = check_padding(st, out, ct_len, mac_in_ct, &pad_total);
    if (rs != TNT_RP_OK)
        return rs;
    size_t len = ct_len - pad_total - mac_in_ct;
    if (!st->etm) {
        uint8_t want[RP_MAX_MAC];
        tnt_cursor pc;
        tnt_cursor_init(&pc, out, ct_len);
        if (!tnt_skip(&pc, len) || !tnt_copy(&pc, mac, st->mac_len))
            return TNT_RP_BAD_LENGTH;
        rs = record_mac(st, type, version, out, len, want);
        if (rs != TNT_RP_OK)
            return rs;
        if (!same(want, mac, st->mac_len))
            return TNT_RP_BAD_MAC;
    }
    *out_len = len;
    return TNT_RP_OK;
}

/* ---- stream (RC4) and NULL ---- */

static tnt_rp_status stream_decrypt(tnt_rp_state *st, uint8_t type, uint16_t version, tnt_cursor *c,
                                    uint8_t *out, size_t *out_len)
{
    size_t in_len = tnt_cursor_len(c);
    move(out, tnt_cursor_data(c), in_len);
    /* Decrypt before any length check: the keystream must advance over every
     * byte the peer encrypted, or the next record would not decrypt. */
    if (st->h && in_len && gcry_cipher_decrypt(st->h, out, in_len, NULL, 0))
        return TNT_RP_ERROR;
    if (in_len > RP_MAX_BODY || in_len < st->mac_len)
        return TNT_RP_BAD_LENGTH;
    size_t len = in_len - st->mac_len;
    if (st->mac_len) {
        uint8_t want[RP_MAX_MAC], mac[RP_MAX_MAC];
        tnt_cursor pc;
        tnt_cursor_init(&pc, out, in_len);
        if (!tnt_skip(&pc, len) || !tnt_copy(&pc, mac, st->mac_len))
            return TNT_RP_BAD_LENGTH;
        tnt_rp_status rs = record_mac(st, type, version, out, len, want);
        if (rs != TNT_RP_OK)
            return rs;
        if (!same(want, mac, st->mac_len))
            return TNT_RP_BAD_MAC;
    }
    *out_len = len;
    return TNT_RP_OK;
}

/* ---- skipping ---- */

/* Keeps the state in step with the peer over a record that is not decrypted.
 * What has to be carried from one record to the next differs by cipher:
 *  - AEAD and TLS 1.1+ CBC: nothing but the sequence number. Each record
 *    brings its own nonce/IV (or derives it from the sequence number), so
 *    nothing needs computing.
 *  - RC4: the keystream position is the number of bytes encrypted so far, so
 *    we must generate (and discard) exactly as many keystream bytes as the
 *    record holds; the content itself is not needed.
 *  - SSL 3.0/TLS 1.0 CBC: the next record's IV is this record's last
 *    ciphertext block (before the MAC with EtM). That is ciphertext, so it is
 *    taken as is, without decrypting anything. */
/* tail: the record body's last tail_len bytes (tail_len <= in_len). The
 * implicit IV of the next record is the last ciphertext block, which comes
 * before the MAC under encrypt_then_mac. */
static tnt_rp_status advance(tnt_rp_state *st, size_t in_len, const uint8_t *tail, size_t tail_len)
{
    if (st->kind == RP_STREAM && st->h) {
        static const uint8_t zero[256];
        uint8_t sink[256];
        for (size_t done = 0; done < in_len;) {
            size_t n = in_len - done < sizeof sink ? in_len - done : sizeof sink;
            if (gcry_cipher_encrypt(st->h, sink, n, zero, n))
                return TNT_RP_ERROR;
            done += n;
        }
    } else if (st->kind == RP_CBC && st->implicit_iv) {
        size_t ct_len = st->etm ? (in_len >= st->mac_len ? in_len - st->mac_len : 0) : in_len;
        if (ct_len >= st->block) {
            size_t from_end = in_len - ct_len + st->block;
            if (!tail || tail_len < from_end)
                return TNT_RP_ERROR;
            memcpy(st->iv, tail + tail_len - from_end, st->block);
        }
    }
    st->seq++;
    return TNT_RP_OK;
}

tnt_rp_status tnt_rp_skip(tnt_rp_state *st, const uint8_t *in, size_t in_len)
{
    if (!st || (!in && in_len && st->kind == RP_CBC && st->implicit_iv))
        return TNT_RP_ERROR;
    return advance(st, in_len, in, in ? in_len : 0);
}

tnt_rp_status tnt_rp_skip_tail(tnt_rp_state *st, size_t in_len, const uint8_t *tail,
                               size_t tail_len)
{
    if (!st || tail_len > in_len || (!tail && tail_len))
        return TNT_RP_ERROR;
    return advance(st, in_len, tail, tail_len);
}

tnt_rp_status tnt_rp_decrypt(tnt_rp_state *st, uint8_t content_type, uint16_t version,
                             const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                             size_t *out_len)
{
    *out_len = 0;
    if (!st || st->tls13 || (!in && in_len) || !out || out_cap < in_len)
        return TNT_RP_ERROR;
    tnt_cursor c;
    tnt_cursor_init(&c, in, in_len);
    tnt_rp_status rs;
    switch (st->kind) {
    case RP_AEAD:
        rs = aead_decrypt(st, content_type, version, &c, out, out_len);
        break;
    case RP_CBC:
        rs = cbc_decrypt(st, content_type, version, &c, out, out_len);
        /* A record too malformed to decrypt still moves the IV chain on. */
        if (rs == TNT_RP_BAD_LENGTH && st->implicit_iv) {
            if (advance(st, in_len, in, in_len) != TNT_RP_OK)
                return TNT_RP_ERROR;
            return rs;
        }
        break;
    default:
        rs = stream_decrypt(st, content_type, version, &c, out, out_len);
        break;
    }
    if (rs == TNT_RP_ERROR)
        return rs;
    if (rs != TNT_RP_OK)
        *out_len = 0;
    st->seq++;
    return rs;
}

/* ---- encryption ---- */

size_t tnt_rp_encrypted_len(const tnt_rp_state *st, size_t in_len)
{
    if (st->tls13)
        return in_len + 1 + st->tag_len; /* content type byte, no padding */
    switch (st->kind) {
    case RP_AEAD:
        return st->explicit_len + in_len + st->tag_len;
    case RP_CBC: {
        size_t iv_len = st->implicit_iv ? 0 : st->block;
        size_t inner = in_len + (st->etm ? 0 : st->mac_len) + 1;
        size_t padded = (inner + st->block - 1) / st->block * st->block;
        return iv_len + padded + (st->etm ? st->mac_len : 0);
    }
    default:
        return in_len + st->mac_len;
    }
}

tnt_rp_status tnt_rp_encrypt(tnt_rp_state *st, uint8_t content_type, uint16_t version,
                             const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                             size_t *out_len)
{
    *out_len = 0;
    if (!st || st->tls13 || (!in && in_len) || !out || in_len > RP_MAX_PLAIN)
        return TNT_RP_ERROR;
    size_t total = tnt_rp_encrypted_len(st, in_len);
    if (out_cap < total)
        return TNT_RP_ERROR;
    /* The decoding core draws no random numbers: explicit IVs come from
     * the caller (tntenc's tnt_enc_record_iv). */
    if (st->kind == RP_CBC && !st->implicit_iv && !st->rng)
        return TNT_RP_ERROR;
    tnt_rp_status rs = TNT_RP_OK;

    if (st->kind == RP_AEAD) {
        uint8_t nonce[RP_NONCE], aad[13], explicit_nonce[8];
        put_u64(explicit_nonce, st->seq);
        uint8_t *ct = out + st->explicit_len;
        move(ct, in, in_len);
        memcpy(out, explicit_nonce, st->explicit_len);
        aead_nonce(st, explicit_nonce, nonce);
        aead_aad(st, content_type, version, in_len, aad);
        rs = tnt_rp_aead_seal(st, nonce, RP_NONCE, aad, sizeof aad, ct, in_len, ct, ct + in_len);
    } else if (st->kind == RP_CBC) {
        size_t iv_len = st->implicit_iv ? 0 : st->block;
        size_t tail_mac = st->etm ? st->mac_len : 0;
        size_t ct_len = total - iv_len - tail_mac;
        uint8_t *p = out + iv_len;
        move(p, in, in_len);
        size_t n = in_len;
        if (!st->etm) {
            rs = record_mac(st, content_type, version, p, in_len, p + n);
            n += st->mac_len;
        }
        size_t pad = ct_len - n - 1;
        /* SSL 3.0 padding content is arbitrary; zeros, as OpenSSL sends. */
        memset(p + n, st->ssl3 ? 0 : (int)pad, pad);
        p[n + pad] = (uint8_t)pad;
        uint8_t iv[RP_MAX_BLOCK];
        if (st->implicit_iv) {
            memcpy(iv, st->iv, st->block);
        } else {
            st->rng(st->rng_ctx, iv, st->block);
            memcpy(out, iv, st->block);
        }
        if (rs == TNT_RP_OK)
            rs = cbc_run(st, true, iv, p, ct_len);
        if (rs == TNT_RP_OK && st->implicit_iv)
            memcpy(st->iv, p + ct_len - st->block, st->block);
        if (rs == TNT_RP_OK && st->etm)
            rs = record_mac(st, content_type, version, out, iv_len + ct_len, p + ct_len);
    } else {
        move(out, in, in_len);
        if (st->mac_len)
            rs = record_mac(st, content_type, version, out, in_len, out + in_len);
        if (rs == TNT_RP_OK && st->h && total && gcry_cipher_encrypt(st->h, out, total, NULL, 0))
            rs = TNT_RP_ERROR;
    }
    if (rs != TNT_RP_OK)
        return rs;
    st->seq++;
    *out_len = total;
    return TNT_RP_OK;
}

/* ---- TLS 1.3 ---- */

/* The content type is the last non-zero byte of TLSInnerPlaintext; what
 * follows it is padding (RFC 8446 5.4). A forward scan keeps to the cursor
 * getters and costs the same as a backward one. */
static bool inner_type_at(const uint8_t *pt, size_t len, size_t *type_off, uint8_t *type)
{
    tnt_cursor c;
    tnt_cursor_init(&c, pt, len);
    bool found = false;
    for (size_t i = 0; i < len; i++) {
        uint8_t b;
        if (!tnt_get_u8(&c, &b))
            return false;
        if (b) {
            *type_off = i;
            *type = b;
            found = true;
        }
    }
    return found;
}

tnt_rp_status tnt_rp_decrypt13(tnt_rp_state *st, const uint8_t hdr[5], const uint8_t *in,
                               size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                               uint8_t *inner_type)
{
    *out_len = 0;
    *inner_type = 0;
    if (!st || !st->tls13 || !hdr || (!in && in_len) || !out || out_cap < in_len)
        return TNT_RP_ERROR;
    /* The header is the AAD exactly as sent; its length field must be this
     * body's, or the caller handed us the wrong header. */
    tnt_cursor hc;
    uint16_t hdr_len;
    tnt_cursor_init(&hc, hdr, 5);
    if (!tnt_skip(&hc, 3) || !tnt_get_u16(&hc, &hdr_len) || hdr_len != in_len)
        return TNT_RP_ERROR;

    tnt_rp_status rs = TNT_RP_BAD_LENGTH;
    if (in_len >= st->tag_len + 1 && in_len <= RP_MAX_BODY13) {
        size_t len = in_len - st->tag_len;
        uint8_t tag[RP_MAX_TAG], nonce[RP_NONCE];
        tnt_cursor c, body;
        tnt_cursor_init(&c, in, in_len);
        if (!tnt_get_sub(&c, &body, len) || !tnt_copy(&c, tag, st->tag_len))
            return TNT_RP_ERROR;
        aead_nonce(st, NULL, nonce);
        move(out, tnt_cursor_data(&body), len);
        rs = tnt_rp_aead_open(st, nonce, RP_NONCE, hdr, 5, out, len, tag, out);
        if (rs == TNT_RP_ERROR)
            return rs;
        if (rs == TNT_RP_OK) {
            size_t off;
            uint8_t type;
            if (!inner_type_at(out, len, &off, &type)) {
                rs = TNT_RP_BAD_PADDING; /* all zeros: no content type at all */
            } else if (off > RP_MAX_PLAIN) {
                rs = TNT_RP_BAD_LENGTH; /* content over 2^14: record_overflow */
            } else {
                *out_len = off;
                *inner_type = type;
            }
        }
    }
    /* Authenticated or not, the peer used this sequence number. */
    st->seq++;
    return rs;
}

tnt_rp_status tnt_rp_encrypt13(tnt_rp_state *st, uint8_t inner_type, const uint8_t *in,
                               size_t in_len, size_t pad_len, uint8_t hdr[5], uint8_t *out,
                               size_t out_cap, size_t *out_len)
{
    *out_len = 0;
    if (!st || !st->tls13 || !inner_type || !hdr || (!in && in_len) || !out ||
        in_len > RP_MAX_PLAIN || pad_len > RP_MAX_PLAIN + 1 - in_len - 1)
        return TNT_RP_ERROR;
    size_t len = in_len + 1 + pad_len;
    size_t total = len + st->tag_len;
    if (out_cap < total)
        return TNT_RP_ERROR;
    move(out, in, in_len);
    out[in_len] = inner_type;
    if (pad_len)
        memset(out + in_len + 1, 0, pad_len);
    hdr[0] = 23; /* opaque_type: application_data, whatever the content */
    hdr[1] = 0x03;
    hdr[2] = 0x03; /* legacy_record_version */
    hdr[3] = (uint8_t)(total >> 8);
    hdr[4] = (uint8_t)total;
    uint8_t nonce[RP_NONCE];
    aead_nonce(st, NULL, nonce);
    tnt_rp_status rs = tnt_rp_aead_seal(st, nonce, RP_NONCE, hdr, 5, out, len, out, out + len);
    if (rs != TNT_RP_OK)
        return rs;
    st->seq++;
    *out_len = total;
    return TNT_RP_OK;
}
