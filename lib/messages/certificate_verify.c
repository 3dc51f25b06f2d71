/* CertificateVerify (RFC 5246 7.4.8): one digitally-signed value. */
#include "handshake.h"

bool tnt_certificate_verify_decode(tnt_cursor *body, const tnt_hs_ctx *ctx,
                                   tnt_certificate_verify *out, tnt_error *err)
{
    if (!tnt_digitally_signed_decode(body, ctx ? ctx->version : 0, &out->sig, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after signature");
    return true;
}
