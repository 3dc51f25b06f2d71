/* TLS 1.3 traffic key derivation: see tls13_keys.h. */
#include "tls13_keys.h"

#include <gcrypt.h>
#include <string.h>

#define LABEL_PREFIX "tls13 "
#define LABEL_PREFIX_LEN 6
/* HkdfLabel: uint16 length, label<7..255>, context<0..255>. */
#define HKDF_LABEL_MAX (2 + 1 + 255 + 1 + 255)

static int hmac_algo(tnt_hash h)
{
    switch (h) {
    case TNT_HASH_SHA256:
        return GCRY_MAC_HMAC_SHA256;
    case TNT_HASH_SHA384:
        return GCRY_MAC_HMAC_SHA384;
    default:
        return 0;
    }
}

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    for (size_t i = 0; i < n; i++)
        v[i] = 0;
}

/* HKDF-Expand of RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) || info || i), the
 * output being T(1) || T(2) || ... cut to out_len. */
static bool hkdf_expand(tnt_hash h, const uint8_t *prk, size_t prk_len, const uint8_t *info,
                        size_t info_len, uint8_t *out, size_t out_len)
{
    int algo = hmac_algo(h);
    size_t hl = tnt_hash_len(h);
    if (!algo || !hl || !prk || !prk_len || out_len > 255 * hl)
        return false;
    gcry_mac_hd_t m;
    if (gcry_mac_open(&m, algo, 0, NULL))
        return false;
    uint8_t t[TNT_MAX_HASH_LEN];
    size_t t_len = 0, done = 0;
    bool ok = !gcry_mac_setkey(m, prk, prk_len);
    for (uint8_t i = 1; ok && done < out_len; i++) {
        ok = !gcry_mac_reset(m) && (!t_len || !gcry_mac_write(m, t, t_len)) &&
             !gcry_mac_write(m, info, info_len) && !gcry_mac_write(m, &i, 1);
        size_t n = hl;
        ok = ok && !gcry_mac_read(m, t, &n) && n == hl;
        if (!ok)
            break;
        t_len = hl;
        size_t take = out_len - done < hl ? out_len - done : hl;
        memcpy(out + done, t, take);
        done += take;
    }
    gcry_mac_close(m);
    wipe(t, sizeof t);
    if (!ok)
        wipe(out, out_len);
    return ok;
}

bool tnt_hkdf_expand_label(tnt_hash h, const uint8_t *secret, size_t secret_len, const char *label,
                           const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len)
{
    tnt_gcrypt_init();
    if (!label || !out || (context_len && !context) || out_len > 0xffff)
        return false;
    size_t ll = strlen(label);
    if (!ll || LABEL_PREFIX_LEN + ll > 255 || context_len > 255)
        return false;
    uint8_t info[HKDF_LABEL_MAX];
    size_t n = 0;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(LABEL_PREFIX_LEN + ll);
    memcpy(info + n, LABEL_PREFIX, LABEL_PREFIX_LEN);
    n += LABEL_PREFIX_LEN;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = (uint8_t)context_len;
    if (context_len)
        memcpy(info + n, context, context_len);
    n += context_len;
    return hkdf_expand(h, secret, secret_len, info, n, out, out_len);
}

bool tnt_tls13_traffic_keys(tnt_hash h, const uint8_t *secret, size_t secret_len, size_t key_len,
                            uint8_t *key, uint8_t iv[TNT_TLS13_IV_LEN])
{
    if (!hmac_algo(h) || secret_len != tnt_hash_len(h) || !key_len ||
        key_len > TNT_TLS13_MAX_KEY_LEN || !key || !iv)
        return false;
    if (tnt_hkdf_expand_label(h, secret, secret_len, "key", NULL, 0, key, key_len) &&
        tnt_hkdf_expand_label(h, secret, secret_len, "iv", NULL, 0, iv, TNT_TLS13_IV_LEN))
        return true;
    wipe(key, key_len);
    wipe(iv, TNT_TLS13_IV_LEN);
    return false;
}

bool tnt_tls13_update_secret(tnt_hash h, const uint8_t *secret, size_t len, uint8_t *out)
{
    if (!hmac_algo(h) || len != tnt_hash_len(h) || !secret || !out)
        return false;
    /* A copy, so that out may alias secret: HKDF reads the key once, but the
     * contract should not depend on that. */
    uint8_t in[TNT_MAX_HASH_LEN], next[TNT_MAX_HASH_LEN];
    memcpy(in, secret, len);
    bool ok = tnt_hkdf_expand_label(h, in, len, "traffic upd", NULL, 0, next, len);
    if (ok)
        memcpy(out, next, len);
    wipe(in, sizeof in);
    wipe(next, sizeof next);
    return ok;
}

bool tnt_tls13_suite_hash(const tnt_suite_info *s, tnt_hash *out)
{
    if (!s || s->kx != TNT_KX_TLS13)
        return false;
    switch (s->prf) {
    case TNT_SUITE_PRF_SHA256:
        *out = TNT_HASH_SHA256;
        return true;
    case TNT_SUITE_PRF_SHA384:
        *out = TNT_HASH_SHA384;
        return true;
    default:
        return false;
    }
}

tnt_rp_status tnt_tls13_rp_new(const tnt_suite_info *s, const uint8_t *secret, size_t secret_len,
                               tnt_rp_state **out)
{
    *out = NULL;
    tnt_hash h;
    const tnt_cipher_info *ci = s ? tnt_cipher_lookup(s->cipher) : NULL;
    if (!tnt_tls13_suite_hash(s, &h) || !ci || !ci->aead || ci->key_len > TNT_TLS13_MAX_KEY_LEN)
        return TNT_RP_UNSUPPORTED;
    if (!secret || secret_len != tnt_hash_len(h))
        return TNT_RP_ERROR;
    uint8_t key[TNT_TLS13_MAX_KEY_LEN], iv[TNT_TLS13_IV_LEN];
    if (!tnt_tls13_traffic_keys(h, secret, secret_len, ci->key_len, key, iv))
        return TNT_RP_ERROR;
    tnt_rp_params p = {0x0304, s, NULL, 0, key, ci->key_len, iv, sizeof iv, false};
    tnt_rp_status rs = tnt_rp_new(&p, out);
    wipe(key, sizeof key);
    wipe(iv, sizeof iv);
    return rs;
}
