/* ServerKeyExchange (RFC 5246 7.4.3, RFC 4492/8422 5.4, RFC 4279 and 5489
 * for the PSK forms). Its layout is not self-describing: the negotiated
 * suite's key exchange decides it, so the connection context is needed. */
#include "handshake.h"

#include "names.h"

enum { CURVE_NAMED = 3 };

/* opaque x<1..2^16-1>, as every DH and RSA parameter is. */
static bool read_param16(tnt_cursor *c, tnt_bytes *out, const char *overrun, const char *empty,
                         tnt_error *err)
{
    uint32_t off = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, out))
        return tnt_fail(err, off, overrun);
    if (out->len == 0)
        return tnt_fail(err, off, empty);
    return true;
}

static bool read_dh(tnt_cursor *c, tnt_server_key_exchange *out, tnt_error *err)
{
    out->kind = TNT_SKE_DHE;
    return read_param16(c, &out->dh_p, "dh_p overruns the message", "empty dh_p", err) &&
           read_param16(c, &out->dh_g, "dh_g overruns the message", "empty dh_g", err) &&
           read_param16(c, &out->dh_ys, "dh_Ys overruns the message", "empty dh_Ys", err);
}

static bool read_rsa(tnt_cursor *c, tnt_server_key_exchange *out, tnt_error *err)
{
    out->kind = TNT_SKE_RSA;
    return read_param16(c, &out->rsa_modulus, "rsa_modulus overruns the message",
                        "empty rsa_modulus", err) &&
           read_param16(c, &out->rsa_exponent, "rsa_exponent overruns the message",
                        "empty rsa_exponent", err);
}

/* Returns false with *complete == true on error; *complete == false means
 * the curve is not a named one and the rest of the body stays undecoded. */
static bool read_ec(tnt_cursor *c, tnt_server_key_exchange *out, bool *complete, tnt_error *err)
{
    out->kind = TNT_SKE_ECDHE;
    *complete = true;
    if (!tnt_read_u8(c, &out->curve_type))
        return tnt_fail(err, tnt_cursor_offset(c), "truncated ECCurveType");
    if (out->curve_type.v != CURVE_NAMED) {
        /* Explicit curves (deprecated by RFC 8422) have their own nested
         * layout; the bytes stay in raw for whoever needs them. */
        *complete = false;
        return true;
    }
    if (!tnt_read_u16(c, &out->named_curve))
        return tnt_fail(err, tnt_cursor_offset(c), "truncated NamedCurve");
    uint32_t off = tnt_cursor_offset(c);
    if (!tnt_read_vec8(c, &out->ec_point))
        return tnt_fail(err, off, "ECPoint overruns the message");
    if (out->ec_point.len == 0)
        return tnt_fail(err, off, "empty ECPoint");
    return true;
}

static bool read_hint(tnt_cursor *c, tnt_server_key_exchange *out, tnt_error *err)
{
    uint32_t off = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &out->psk_identity_hint))
        return tnt_fail(err, off, "psk_identity_hint overruns the message");
    return true;
}

/* Anonymous and PSK suites send their parameters unsigned (RFC 5246
 * 7.4.3 for DH_anon, RFC 4279 and 5489 for the PSK ones). */
static bool is_signed(const tnt_suite_info *info)
{
    switch (info->kx) {
    case TNT_KX_PSK:
    case TNT_KX_DHE_PSK:
    case TNT_KX_ECDHE_PSK:
    case TNT_KX_RSA_PSK:
        return false;
    default:
        return info->auth != TNT_AUTH_NULL && info->auth != TNT_AUTH_PSK;
    }
}

bool tnt_server_key_exchange_decode(tnt_cursor *body, const tnt_hs_ctx *ctx, tnt_arena *a,
                                    tnt_server_key_exchange *out, tnt_error *err)
{
    (void)a;
    *out = (tnt_server_key_exchange){0};
    tnt_cursor all = *body;
    tnt_read_rest(&all, &out->raw);

    const tnt_suite_info *info = ctx ? tnt_suite_lookup(ctx->suite) : NULL;
    bool ok = true, complete = true;
    switch (info ? info->kx : TNT_KX_UNKNOWN) {
    case TNT_KX_RSA:
        ok = read_rsa(body, out, err);
        break;
    case TNT_KX_DHE:
        ok = read_dh(body, out, err);
        break;
    case TNT_KX_ECDHE:
        ok = read_ec(body, out, &complete, err);
        break;
    case TNT_KX_PSK:
    case TNT_KX_RSA_PSK:
        out->kind = TNT_SKE_PSK_HINT;
        ok = read_hint(body, out, err);
        break;
    case TNT_KX_DHE_PSK:
        ok = read_hint(body, out, err) && read_dh(body, out, err);
        break;
    case TNT_KX_ECDHE_PSK:
        ok = read_hint(body, out, err) && read_ec(body, out, &complete, err);
        break;
    default:
        /* Unknown suite, or one whose ServerKeyExchange is not decoded here
         * (SRP, KRB5, static DH): raw only, which is not an error. */
        out->kind = TNT_SKE_UNKNOWN;
        complete = false;
        break;
    }
    if (!ok)
        return false;
    if (!complete) {
        tnt_bytes rest;
        tnt_read_rest(body, &rest);
        return true;
    }

    out->signed_params = is_signed(info);
    if (out->signed_params && !tnt_digitally_signed_decode(body, ctx->version, &out->sig, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after ServerKeyExchange");
    return true;
}
