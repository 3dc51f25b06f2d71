/* The handshake message dispatcher: header, then one decoder per type. */
#include "handshake.h"

#include "codepoints.h"

#include <string.h>

/* Types that exist only in TLS 1.3 or DTLS, or that no TLS 1.0-1.2 decoder
 * here understands: they are shown as type and bytes, never as errors. */
static bool undecoded_type(uint8_t type)
{
    switch (type) {
    case TNT_HS_HELLO_VERIFY_REQUEST:
    case TNT_HS_END_OF_EARLY_DATA:
    case TNT_HS_ENCRYPTED_EXTENSIONS:
    case TNT_HS_CERTIFICATE_URL:
    case TNT_HS_SUPPLEMENTAL_DATA:
    case TNT_HS_KEY_UPDATE:
    case TNT_HS_MESSAGE_HASH:
        return true;
    default:
        return false;
    }
}

/* The negotiated version fixes the Finished length: a Finished of the other
 * length is a decode error, not just an odd value. */
static bool finished_length_ok(const tnt_hs_ctx *ctx, uint32_t len)
{
    if (ctx->version == TNT_SSL3)
        return len == 36;
    if (ctx->version >= TNT_TLS10)
        return len == 12;
    return true; /* unknown version: the body decoder accepts 12 or 36 */
}

static bool decode_body(tnt_cursor *body, uint8_t type, const tnt_hs_ctx *ctx, tnt_arena *a,
                        tnt_hs_msg *msg, bool *known)
{
    const tnt_codepoints *cp = tnt_codepoints_or_default(ctx->cp);
    tnt_error *err = &msg->err;
    *known = true;

    if (type == cp->hs_negotiation)
        return tnt_negotiation_decode(body, a, &msg->u.tnt_negotiation, err);
    if (type == cp->hs_proof)
        return tnt_proof_decode(body, ctx->version, a, &msg->u.tnt_proof, err);

    switch (type) {
    case TNT_HS_HELLO_REQUEST:
        if (tnt_cursor_len(body) != 0)
            return tnt_fail(err, tnt_cursor_offset(body), "HelloRequest must be empty");
        return true;
    case TNT_HS_SERVER_HELLO_DONE:
        if (tnt_cursor_len(body) != 0)
            return tnt_fail(err, tnt_cursor_offset(body), "ServerHelloDone must be empty");
        return true;
    case TNT_HS_CLIENT_HELLO:
        return tnt_client_hello_decode(body, ctx->cp, a, &msg->u.client_hello, err);
    case TNT_HS_SERVER_HELLO:
        return tnt_server_hello_decode(body, ctx->cp, a, &msg->u.server_hello, err);
    case TNT_HS_NEW_SESSION_TICKET:
        return tnt_new_session_ticket_decode(body, &msg->u.ticket, err);
    case TNT_HS_CERTIFICATE:
        return tnt_certificate_decode(body, a, &msg->u.certificate, err);
    case TNT_HS_SERVER_KEY_EXCHANGE:
        return tnt_server_key_exchange_decode(body, ctx, a, &msg->u.ske, err);
    case TNT_HS_CERTIFICATE_REQUEST:
        return tnt_certificate_request_decode(body, ctx, a, &msg->u.cert_request, err);
    case TNT_HS_CERTIFICATE_VERIFY:
        return tnt_certificate_verify_decode(body, ctx, &msg->u.cert_verify, err);
    case TNT_HS_CLIENT_KEY_EXCHANGE:
        return tnt_client_key_exchange_decode(body, ctx, &msg->u.cke, err);
    case TNT_HS_FINISHED:
        if (!finished_length_ok(ctx, (uint32_t)tnt_cursor_len(body)))
            return tnt_fail(err, tnt_cursor_offset(body),
                            "Finished length does not match the negotiated version");
        return tnt_finished_decode(body, &msg->u.finished, err);
    case TNT_HS_CERTIFICATE_STATUS:
        return tnt_certificate_status_decode(body, &msg->u.cert_status, err);
    default:
        *known = false;
        return true;
    }
}

tnt_hs_msg *tnt_hs_decode_kept(const uint8_t *raw, uint32_t raw_len, const tnt_hs_ctx *ctx,
                               const tnt_allocator *mem)
{
    if (!mem)
        return NULL;
    tnt_arena a;
    tnt_arena_init_with(&a, mem);
    tnt_hs_msg *msg = tnt_arena_alloc(&a, sizeof(*msg));
    if (msg)
        tnt_hs_decode(raw, raw_len, ctx, &a, msg);
    return msg;
}

bool tnt_hs_decode(const uint8_t *raw, uint32_t raw_len, const tnt_hs_ctx *ctx, tnt_arena *arena,
                   tnt_hs_msg *msg)
{
    static const tnt_hs_ctx no_ctx;
    if (!ctx)
        ctx = &no_ctx;
    memset(msg, 0, sizeof(*msg));
    msg->raw = raw;
    msg->raw_len = raw_len;

    tnt_cursor c;
    tnt_cursor_init(&c, raw, raw_len);
    if (!tnt_read_u8(&c, &msg->type_f))
        return tnt_fail(&msg->err, 0, "truncated handshake header");
    msg->type = (uint8_t)msg->type_f.v;
    if (!tnt_read_u24(&c, &msg->length_f))
        return tnt_fail(&msg->err, 1, "truncated handshake header");
    msg->length = msg->length_f.v;
    msg->body_at = tnt_cursor_span(&c);
    /* The reassembler hands over exactly one message, so any disagreement
     * means the caller or the wire is broken; neither is worth guessing at. */
    if (msg->length != raw_len - 4)
        return tnt_fail(&msg->err, 1, "handshake length does not match message size");

    /* TLS 1.3 reuses type numbers with other layouts (Certificate,
     * CertificateRequest, NewSessionTicket...): this core decodes 1.0-1.2. */
    if (undecoded_type(msg->type) ||
        (ctx->version == TNT_TLS13 && msg->type != TNT_HS_CLIENT_HELLO &&
         msg->type != TNT_HS_SERVER_HELLO))
        return true;

    bool known;
    if (!decode_body(&c, msg->type, ctx, arena, msg, &known))
        return false;
    if (!known)
        return true;
    if (tnt_cursor_len(&c) != 0)
        return tnt_fail(&msg->err, tnt_cursor_offset(&c), "trailing bytes after message body");
    msg->decoded = true;
    return true;
}
