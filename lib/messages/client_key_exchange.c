/* ClientKeyExchange (RFC 5246 7.4.7, RFC 6101 5.6.7, RFC 4492/8422 5.7,
 * RFC 4279 and 5489). Like ServerKeyExchange, the negotiated suite's key
 * exchange decides the layout. */
#include "handshake.h"

#include "names.h"

/* SSL 3.0 sends the RSA ciphertext bare; TLS puts a u16 length in front. */
static bool read_rsa(tnt_cursor *c, uint16_t version, tnt_client_key_exchange *out, tnt_error *err)
{
    out->kind = TNT_CKE_RSA;
    bool prefixed = version >= TNT_TLS10;
    if (version == 0) {
        /* Unknown version: the TLS form is the one whose length prefix
         * accounts for exactly the rest of the body. */
        tnt_cursor peek = *c;
        uint16_t n;
        prefixed = tnt_get_u16(&peek, &n) && n == tnt_cursor_len(&peek);
    }
    out->rsa_has_length = prefixed;
    uint32_t off = tnt_cursor_offset(c);
    if (prefixed) {
        if (!tnt_read_vec16(c, &out->encrypted_pms))
            return tnt_fail(err, off, "EncryptedPreMasterSecret overruns the message");
    } else {
        tnt_read_rest(c, &out->encrypted_pms);
    }
    if (out->encrypted_pms.len == 0)
        return tnt_fail(err, off, "empty EncryptedPreMasterSecret");
    return true;
}

/* Static DH and ECDH may leave the client's public value implicit (it is in
 * the client certificate), which is an empty body; ephemeral ones may not. */
static bool read_dh(tnt_cursor *c, bool implicit_ok, tnt_client_key_exchange *out, tnt_error *err)
{
    out->kind = TNT_CKE_DH;
    uint32_t off = tnt_cursor_offset(c);
    if (implicit_ok && tnt_cursor_len(c) == 0) {
        tnt_read_rest(c, &out->dh_yc);
        return true;
    }
    if (!tnt_read_vec16(c, &out->dh_yc))
        return tnt_fail(err, off, "dh_Yc overruns the message");
    if (out->dh_yc.len == 0)
        return tnt_fail(err, off, "empty dh_Yc");
    return true;
}

static bool read_ecdh(tnt_cursor *c, bool implicit_ok, tnt_client_key_exchange *out, tnt_error *err)
{
    out->kind = TNT_CKE_ECDH;
    uint32_t off = tnt_cursor_offset(c);
    if (implicit_ok && tnt_cursor_len(c) == 0) {
        tnt_read_rest(c, &out->ecdh_point);
        return true;
    }
    if (!tnt_read_vec8(c, &out->ecdh_point))
        return tnt_fail(err, off, "ecdh_Yc overruns the message");
    if (out->ecdh_point.len == 0)
        return tnt_fail(err, off, "empty ecdh_Yc");
    return true;
}

static bool read_identity(tnt_cursor *c, tnt_client_key_exchange *out, tnt_error *err)
{
    uint32_t off = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &out->psk_identity))
        return tnt_fail(err, off, "psk_identity overruns the message");
    return true;
}

bool tnt_client_key_exchange_decode(tnt_cursor *body, const tnt_hs_ctx *ctx,
                                    tnt_client_key_exchange *out, tnt_error *err)
{
    *out = (tnt_client_key_exchange){0};
    tnt_cursor all = *body;
    tnt_read_rest(&all, &out->raw);

    const tnt_suite_info *info = ctx ? tnt_suite_lookup(ctx->suite) : NULL;
    uint16_t version = ctx ? ctx->version : 0;
    bool ok;
    switch (info ? info->kx : TNT_KX_UNKNOWN) {
    case TNT_KX_RSA:
        ok = read_rsa(body, version, out, err);
        break;
    case TNT_KX_DH:
        ok = read_dh(body, true, out, err);
        break;
    case TNT_KX_DHE:
        ok = read_dh(body, false, out, err);
        break;
    case TNT_KX_ECDH:
        ok = read_ecdh(body, true, out, err);
        break;
    case TNT_KX_ECDHE:
        ok = read_ecdh(body, false, out, err);
        break;
    case TNT_KX_PSK:
        ok = read_identity(body, out, err);
        break;
    case TNT_KX_DHE_PSK:
        ok = read_identity(body, out, err) && read_dh(body, false, out, err);
        break;
    case TNT_KX_ECDHE_PSK:
        ok = read_identity(body, out, err) && read_ecdh(body, false, out, err);
        break;
    case TNT_KX_RSA_PSK:
        /* RFC 4279 4: always the TLS (length-prefixed) form. */
        ok = read_identity(body, out, err) && read_rsa(body, TNT_TLS10, out, err);
        break;
    default: {
        /* Unknown suite, or SRP/KRB5: raw only, not an error. */
        tnt_bytes rest;
        tnt_read_rest(body, &rest);
        out->kind = TNT_CKE_UNKNOWN;
        return true;
    }
    }
    if (!ok)
        return false;
    if (info->kx == TNT_KX_PSK || info->kx == TNT_KX_DHE_PSK || info->kx == TNT_KX_ECDHE_PSK ||
        info->kx == TNT_KX_RSA_PSK)
        out->kind = TNT_CKE_PSK;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after ClientKeyExchange");
    return true;
}
