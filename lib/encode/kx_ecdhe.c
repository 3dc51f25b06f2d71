/* ECDHE over secp256r1 and x25519 with libgcrypt. See kx.h for the rules.
 *
 * P-256 uses the gcry_mpi_ec_* context API rather than gcry_pk_encrypt's
 * ECDH: it hands back the point itself (no S-expression to pick apart), and
 * gcry_mpi_ec_get_affine() reports the point at infinity. x25519 is
 * gcry_ecc_mul_point(), which clamps the scalar and masks the top bit of u
 * exactly as RFC 7748 5 says (test_kx checks both with the RFC vectors). */
#include "kx.h"

#include "prf.h"

#include <gcrypt.h>
#include <string.h>

#define P256_COORD_LEN 32
#define P256_POINT_LEN 65
#define X25519_LEN 32

bool tnt_kx_ecdhe_supported(uint16_t group)
{
    return group == TNT_GROUP_SECP256R1 || group == TNT_GROUP_X25519;
}

size_t tnt_kx_ecdhe_public_len(uint16_t group)
{
    switch (group) {
    case TNT_GROUP_SECP256R1:
        return P256_POINT_LEN;
    case TNT_GROUP_X25519:
        return X25519_LEN;
    }
    return 0;
}

void tnt_kx_ecdhe_clear(tnt_kx_ecdhe_key *key)
{
    if (key)
        explicit_bzero(key, sizeof *key);
}

/* ---- P-256 ---- */

/* An MPI as exactly len big-endian bytes, leading zeros kept (RFC 8422 5.10
 * wants the premaster secret at full field length). */
static bool mpi_to_fixed(gcry_mpi_t m, uint8_t *out, size_t len)
{
    size_t n = 0;
    uint8_t buf[P256_COORD_LEN + 1];
    if (gcry_mpi_print(GCRYMPI_FMT_USG, buf, sizeof buf, &n, m) != 0 || n > len)
        return false;
    memset(out, 0, len - n);
    memcpy(out + (len - n), buf, n);
    explicit_bzero(buf, sizeof buf);
    return true;
}

static gcry_mpi_t mpi_from(const uint8_t *p, size_t len, bool secret)
{
    gcry_mpi_t m = NULL;
    if (gcry_mpi_scan(&m, GCRYMPI_FMT_USG, p, len, NULL) != 0)
        return NULL;
    /* libgcrypt multiplies in constant time only by a scalar in secure
     * memory. (It asserts when moving a zero MPI there; zero is refused
     * anyway, so it can stay where it is.) */
    if (secret && gcry_mpi_cmp_ui(m, 0) != 0)
        gcry_mpi_set_flag(m, GCRYMPI_FLAG_SECURE);
    return m;
}

static gcry_ctx_t p256_ctx(void)
{
    gcry_ctx_t ctx = NULL;
    tnt_gcrypt_init();
    if (gcry_mpi_ec_new(&ctx, NULL, "NIST P-256") != 0)
        return NULL;
    return ctx;
}

/* 0x04 || x || y from a point, or false for the point at infinity. */
static bool p256_encode(gcry_mpi_point_t pt, gcry_ctx_t ctx, uint8_t out[P256_POINT_LEN])
{
    gcry_mpi_t x = gcry_mpi_new(0), y = gcry_mpi_new(0);
    bool ok = gcry_mpi_ec_get_affine(x, y, pt, ctx) == 0 &&
              mpi_to_fixed(x, out + 1, P256_COORD_LEN) &&
              mpi_to_fixed(y, out + 1 + P256_COORD_LEN, P256_COORD_LEN);
    out[0] = 0x04;
    gcry_mpi_release(x);
    gcry_mpi_release(y);
    return ok;
}

/* The peer's point, validated (kx.h); NULL with err set otherwise. */
static gcry_mpi_point_t p256_point(gcry_ctx_t ctx, const uint8_t *pub, size_t len, tnt_error *err)
{
    tnt_cursor c, xc, yc;
    uint8_t form;
    tnt_cursor_init(&c, pub, len);
    if (len != P256_POINT_LEN || !tnt_get_u8(&c, &form) || !tnt_get_sub(&c, &xc, P256_COORD_LEN) ||
        !tnt_get_sub(&c, &yc, P256_COORD_LEN)) {
        tnt_fail(err, 0, "secp256r1 public value is not 65 bytes");
        return NULL;
    }
    if (form != 0x04) {
        tnt_fail(err, 0, "secp256r1 point is not in uncompressed form (0x04)");
        return NULL;
    }
    gcry_mpi_t p = gcry_mpi_ec_get_mpi("p", ctx, 1);
    gcry_mpi_t x = mpi_from(tnt_cursor_data(&xc), tnt_cursor_len(&xc), false);
    gcry_mpi_t y = mpi_from(tnt_cursor_data(&yc), tnt_cursor_len(&yc), false);
    gcry_mpi_point_t pt = NULL;
    if (!p || !x || !y) {
        tnt_fail(err, 0, "libgcrypt cannot read the secp256r1 point");
    } else if (gcry_mpi_cmp(x, p) >= 0) {
        tnt_fail(err, tnt_cursor_offset(&xc), "secp256r1 point: x is not below p");
    } else if (gcry_mpi_cmp(y, p) >= 0) {
        tnt_fail(err, tnt_cursor_offset(&yc), "secp256r1 point: y is not below p");
    } else {
        gcry_mpi_t one = gcry_mpi_set_ui(NULL, 1);
        pt = gcry_mpi_point_set(NULL, x, y, one);
        gcry_mpi_release(one);
        if (!gcry_mpi_ec_curve_point(pt, ctx)) {
            gcry_mpi_point_release(pt);
            pt = NULL;
            tnt_fail(err, 0, "secp256r1 point is not on the curve");
        }
    }
    gcry_mpi_release(p);
    gcry_mpi_release(x);
    gcry_mpi_release(y);
    return pt;
}

static bool p256_from_private(const uint8_t priv[32], tnt_kx_ecdhe_key *key, tnt_error *err)
{
    gcry_ctx_t ctx = p256_ctx();
    if (!ctx)
        return tnt_fail(err, 0, "libgcrypt does not know NIST P-256");
    gcry_mpi_t n = gcry_mpi_ec_get_mpi("n", ctx, 1);
    gcry_mpi_point_t g = gcry_mpi_ec_get_point("g", ctx, 1);
    gcry_mpi_t d = mpi_from(priv, TNT_KX_PRIVATE_LEN, true);
    gcry_mpi_point_t q = gcry_mpi_point_new(0);
    bool ok = false;
    if (!n || !g || !d) {
        tnt_fail(err, 0, "libgcrypt cannot set up the secp256r1 key");
    } else if (gcry_mpi_cmp_ui(d, 0) == 0 || gcry_mpi_cmp(d, n) >= 0) {
        tnt_fail(err, 0, "secp256r1 private key is not in [1, n-1]");
    } else {
        gcry_mpi_ec_mul(q, d, g, ctx);
        ok = p256_encode(q, ctx, key->pub);
        if (!ok)
            tnt_fail(err, 0, "libgcrypt cannot compute the secp256r1 public key");
    }
    if (ok) {
        key->group = TNT_GROUP_SECP256R1;
        memcpy(key->priv, priv, TNT_KX_PRIVATE_LEN);
        key->pub_len = P256_POINT_LEN;
    }
    gcry_mpi_point_release(q);
    gcry_mpi_release(d);
    gcry_mpi_point_release(g);
    gcry_mpi_release(n);
    gcry_ctx_release(ctx);
    return ok;
}

static bool p256_generate(tnt_kx_ecdhe_key *key, tnt_error *err)
{
    gcry_sexp_t parms = NULL, pair = NULL, dtok = NULL;
    gcry_mpi_t d = NULL;
    uint8_t priv[TNT_KX_PRIVATE_LEN];
    bool ok = false;
    tnt_gcrypt_init();
    if (gcry_sexp_build(&parms, NULL, "(genkey (ecc (curve \"NIST P-256\")))") == 0 &&
        gcry_pk_genkey(&pair, parms) == 0 && (dtok = gcry_sexp_find_token(pair, "d", 0)) &&
        (d = gcry_sexp_nth_mpi(dtok, 1, GCRYMPI_FMT_USG)) && mpi_to_fixed(d, priv, sizeof priv))
        ok = p256_from_private(priv, key, err);
    else
        tnt_fail(err, 0, "libgcrypt cannot generate a secp256r1 key");
    explicit_bzero(priv, sizeof priv);
    gcry_mpi_release(d);
    gcry_sexp_release(dtok);
    gcry_sexp_release(pair);
    gcry_sexp_release(parms);
    return ok;
}

static bool p256_shared(const tnt_kx_ecdhe_key *key, const uint8_t *peer, size_t peer_len,
                        uint8_t pms[32], tnt_error *err)
{
    gcry_ctx_t ctx = p256_ctx();
    if (!ctx)
        return tnt_fail(err, 0, "libgcrypt does not know NIST P-256");
    bool ok = false;
    gcry_mpi_point_t q = p256_point(ctx, peer, peer_len, err);
    if (q) {
        gcry_mpi_t d = mpi_from(key->priv, TNT_KX_PRIVATE_LEN, true);
        gcry_mpi_point_t s = gcry_mpi_point_new(0);
        uint8_t point[P256_POINT_LEN];
        if (d) {
            gcry_mpi_ec_mul(s, d, q, ctx);
            /* On a prime-order curve a valid point times a scalar in
             * [1, n-1] is never the identity; checked all the same. */
            ok = p256_encode(s, ctx, point);
        }
        if (ok)
            memcpy(pms, point + 1, P256_COORD_LEN);
        else
            tnt_fail(err, 0, "secp256r1 shared point is the point at infinity");
        explicit_bzero(point, sizeof point);
        gcry_mpi_point_release(s);
        gcry_mpi_release(d);
        gcry_mpi_point_release(q);
    }
    gcry_ctx_release(ctx);
    return ok;
}

/* ---- x25519 ---- */

static bool x25519_from_private(const uint8_t priv[32], tnt_kx_ecdhe_key *key, tnt_error *err)
{
    tnt_gcrypt_init();
    /* A NULL point means the base point u = 9. */
    if (gcry_ecc_mul_point(GCRY_ECC_CURVE25519, key->pub, priv, NULL) != 0)
        return tnt_fail(err, 0, "libgcrypt cannot compute the x25519 public key");
    key->group = TNT_GROUP_X25519;
    memcpy(key->priv, priv, X25519_LEN);
    key->pub_len = X25519_LEN;
    return true;
}

static bool x25519_generate(tnt_kx_ecdhe_key *key, tnt_error *err)
{
    uint8_t priv[X25519_LEN];
    tnt_gcrypt_init();
    /* RFC 7748 5: a private key is 32 random bytes; the clamping belongs to
     * the function, not to the key. */
    gcry_randomize(priv, sizeof priv, GCRY_STRONG_RANDOM);
    bool ok = x25519_from_private(priv, key, err);
    explicit_bzero(priv, sizeof priv);
    return ok;
}

static bool x25519_shared(const tnt_kx_ecdhe_key *key, const uint8_t *peer, size_t peer_len,
                          uint8_t pms[32], tnt_error *err)
{
    if (peer_len != X25519_LEN)
        return tnt_fail(err, 0, "x25519 public value is not 32 bytes");
    tnt_gcrypt_init();
    if (gcry_ecc_mul_point(GCRY_ECC_CURVE25519, pms, key->priv, peer) != 0)
        return tnt_fail(err, 0, "libgcrypt cannot compute the x25519 shared secret");
    /* RFC 7748 6.1: compare with zero without revealing where it differs. */
    uint8_t acc = 0;
    for (size_t i = 0; i < X25519_LEN; i++)
        acc |= pms[i];
    if (acc == 0)
        return tnt_fail(err, 0, "x25519 shared secret is all zeros (small-order public value)");
    return true;
}

/* ---- dispatch ---- */

bool tnt_kx_ecdhe_generate(uint16_t group, tnt_kx_ecdhe_key *key, tnt_error *err)
{
    memset(key, 0, sizeof *key);
    switch (group) {
    case TNT_GROUP_SECP256R1:
        return p256_generate(key, err);
    case TNT_GROUP_X25519:
        return x25519_generate(key, err);
    }
    return tnt_fail(err, 0, "unsupported ECDHE group");
}

bool tnt_kx_ecdhe_from_private(uint16_t group, const uint8_t *priv, size_t priv_len,
                               tnt_kx_ecdhe_key *key, tnt_error *err)
{
    memset(key, 0, sizeof *key);
    if (!tnt_kx_ecdhe_supported(group))
        return tnt_fail(err, 0, "unsupported ECDHE group");
    if (!priv || priv_len != TNT_KX_PRIVATE_LEN)
        return tnt_fail(err, 0, "ECDHE private key is not 32 bytes");
    bool ok = group == TNT_GROUP_SECP256R1 ? p256_from_private(priv, key, err)
                                           : x25519_from_private(priv, key, err);
    if (!ok)
        tnt_kx_ecdhe_clear(key);
    return ok;
}

bool tnt_kx_ecdhe_check_public(uint16_t group, const uint8_t *pub, size_t pub_len, tnt_error *err)
{
    if (!pub)
        pub_len = 0;
    switch (group) {
    case TNT_GROUP_SECP256R1: {
        gcry_ctx_t ctx = p256_ctx();
        if (!ctx)
            return tnt_fail(err, 0, "libgcrypt does not know NIST P-256");
        gcry_mpi_point_t pt = p256_point(ctx, pub, pub_len, err);
        gcry_mpi_point_release(pt);
        gcry_ctx_release(ctx);
        return pt != NULL;
    }
    case TNT_GROUP_X25519:
        /* Every 32-byte string is a u-coordinate; small-order ones show
         * only in the all-zero output. */
        if (pub_len != X25519_LEN)
            return tnt_fail(err, 0, "x25519 public value is not 32 bytes");
        return true;
    }
    return tnt_fail(err, 0, "unsupported ECDHE group");
}

bool tnt_kx_ecdhe_shared(const tnt_kx_ecdhe_key *key, const uint8_t *peer, size_t peer_len,
                         uint8_t pms[TNT_KX_ECDHE_PMS_LEN], tnt_error *err)
{
    bool ok;
    if (!peer)
        peer_len = 0;
    switch (key->group) {
    case TNT_GROUP_SECP256R1:
        ok = p256_shared(key, peer, peer_len, pms, err);
        break;
    case TNT_GROUP_X25519:
        ok = x25519_shared(key, peer, peer_len, pms, err);
        break;
    default:
        ok = tnt_fail(err, 0, "unsupported ECDHE group");
        break;
    }
    if (!ok)
        memset(pms, 0, TNT_KX_ECDHE_PMS_LEN);
    return ok;
}
