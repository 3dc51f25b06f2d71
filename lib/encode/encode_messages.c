/* TLS 1.0-1.2 handshake messages other than the hellos (RFC 5246 7.4, RFC
 * 6101 for SSL 3.0, RFC 8422 for the ECDHE forms, RFC 5077 for the ticket).
 * The mirror of the per-message decoders. */
#include "encode.h"
#include "handshake.h"

/* The version-dependent layouts exist for SSL 3.0 to TLS 1.2 only; guessing
 * one for another version would produce bytes no peer expects. */
static bool known_version(tnt_builder *b, uint16_t version)
{
    if (version < TNT_SSL3 || version > TNT_TLS12)
        return tnt_bld_fail(b, "encode: layout unknown for this version");
    return true;
}

bool tnt_enc_hs_open(tnt_builder *b, uint8_t type)
{
    return tnt_bld_u8(b, type) && tnt_bld_open_u24(b);
}

bool tnt_enc_handshake(tnt_builder *b, uint8_t type, tnt_blob body)
{
    return tnt_enc_hs_open(b, type) && tnt_bld_bytes(b, body.p, body.len) && tnt_bld_close(b);
}

bool tnt_enc_hello_request(tnt_builder *b)
{
    return tnt_enc_hs_open(b, TNT_HS_HELLO_REQUEST) && tnt_bld_close(b);
}

bool tnt_enc_server_hello_done(tnt_builder *b)
{
    return tnt_enc_hs_open(b, TNT_HS_SERVER_HELLO_DONE) && tnt_bld_close(b);
}

bool tnt_enc_certificate(tnt_builder *b, const tnt_blob *certs, size_t n)
{
    if (!tnt_enc_hs_open(b, TNT_HS_CERTIFICATE) || !tnt_bld_open_u24(b))
        return false;
    for (size_t i = 0; i < n; i++)
        tnt_bld_vec24(b, certs[i].p, certs[i].len);
    return tnt_bld_close(b) && tnt_bld_close(b);
}

bool tnt_enc_digitally_signed(tnt_builder *b, uint16_t version, const tnt_sig_spec *s)
{
    if (!known_version(b, version))
        return false;
    if (version == TNT_TLS12)
        tnt_bld_u16(b, s->algorithm);
    return tnt_bld_vec16(b, s->signature.p, s->signature.len);
}

bool tnt_enc_ecdhe_params(tnt_builder *b, uint16_t named_curve, tnt_blob point)
{
    enum { NAMED_CURVE = 3 };
    return tnt_bld_u8(b, NAMED_CURVE) && tnt_bld_u16(b, named_curve) &&
           tnt_bld_vec8(b, point.p, point.len);
}

bool tnt_enc_ske_ecdhe(tnt_builder *b, uint16_t version, const tnt_ske_ecdhe_spec *s)
{
    return tnt_enc_hs_open(b, TNT_HS_SERVER_KEY_EXCHANGE) &&
           tnt_enc_ecdhe_params(b, s->named_curve, s->point) &&
           tnt_enc_digitally_signed(b, version, &s->sig) && tnt_bld_close(b);
}

bool tnt_enc_certificate_request(tnt_builder *b, uint16_t version, const tnt_cert_request_spec *s)
{
    if (!known_version(b, version) || !tnt_enc_hs_open(b, TNT_HS_CERTIFICATE_REQUEST))
        return false;
    tnt_bld_vec8(b, s->cert_types.v, s->cert_types.n);
    if (version == TNT_TLS12) {
        tnt_bld_open_u16(b);
        for (size_t i = 0; i < s->sig_algs.n; i++)
            tnt_bld_u16(b, s->sig_algs.v[i]);
        tnt_bld_close(b);
    }
    tnt_bld_open_u16(b);
    for (size_t i = 0; i < s->cas.n; i++)
        tnt_bld_vec16(b, s->cas.v[i].p, s->cas.v[i].len);
    return tnt_bld_close(b) && tnt_bld_close(b);
}

bool tnt_enc_cke_rsa(tnt_builder *b, uint16_t version, tnt_blob encrypted_pms)
{
    if (!known_version(b, version) || !tnt_enc_hs_open(b, TNT_HS_CLIENT_KEY_EXCHANGE))
        return false;
    /* SSL 3.0 predates the length prefix (RFC 5246 7.4.7.1 notes the
     * difference); the body is the ciphertext alone. */
    if (version == TNT_SSL3)
        tnt_bld_bytes(b, encrypted_pms.p, encrypted_pms.len);
    else
        tnt_bld_vec16(b, encrypted_pms.p, encrypted_pms.len);
    return tnt_bld_close(b);
}

bool tnt_enc_cke_ecdh(tnt_builder *b, tnt_blob point)
{
    return tnt_enc_hs_open(b, TNT_HS_CLIENT_KEY_EXCHANGE) && tnt_bld_vec8(b, point.p, point.len) &&
           tnt_bld_close(b);
}

bool tnt_enc_certificate_verify(tnt_builder *b, uint16_t version, const tnt_sig_spec *s)
{
    return tnt_enc_hs_open(b, TNT_HS_CERTIFICATE_VERIFY) &&
           tnt_enc_digitally_signed(b, version, s) && tnt_bld_close(b);
}

bool tnt_enc_finished(tnt_builder *b, tnt_blob verify_data)
{
    return tnt_enc_handshake(b, TNT_HS_FINISHED, verify_data);
}

bool tnt_enc_new_session_ticket(tnt_builder *b, uint32_t lifetime_hint, tnt_blob ticket)
{
    return tnt_enc_hs_open(b, TNT_HS_NEW_SESSION_TICKET) && tnt_bld_u32(b, lifetime_hint) &&
           tnt_bld_vec16(b, ticket.p, ticket.len) && tnt_bld_close(b);
}
