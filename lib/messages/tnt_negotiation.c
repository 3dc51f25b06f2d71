/* TNTNegotiation (spec section 4).
 *
 * Lists are read twice: once to validate and count, then again to fill an
 * array of exactly that size. The second pass cannot fail, and the arena never
 * holds more entries than the message really has. */
#include "tnt_messages.h"

static tnt_span span_from(uint32_t start, const tnt_cursor *c)
{
    tnt_span s = {start, tnt_cursor_offset(c) - start};
    return s;
}

static bool read_policy(tnt_cursor *c, tnt_policy *p, tnt_error *err)
{
    uint32_t start = tnt_cursor_offset(c);
    if (!tnt_read_u8(c, &p->target_kind))
        return tnt_fail(err, start, "TNTPolicy: target kind truncated");
    uint32_t at = tnt_cursor_offset(c);
    if (!tnt_read_vec8(c, &p->target_name))
        return tnt_fail(err, at, "TNTPolicy: target name truncated");
    if (p->target_name.len == 0)
        return tnt_fail(err, at, "TNTPolicy: empty target name");
    at = tnt_cursor_offset(c);
    if (!tnt_read_u8(c, &p->language))
        return tnt_fail(err, at, "TNTPolicy: language truncated");
    at = tnt_cursor_offset(c);
    /* An empty expression is legal on the wire; it is a malformed policy,
     * which the policy layer reports, not a decode error. */
    if (!tnt_read_vec16(c, &p->expression))
        return tnt_fail(err, at, "TNTPolicy: expression truncated");
    p->at = span_from(start, c);
    return true;
}

/* Validates the ASN1Cert list and counts it; with an arena, also fills it. */
static bool read_chain(tnt_cursor *chain, tnt_arena *a, tnt_credential *cr, tnt_error *err)
{
    uint32_t n = 0;
    for (tnt_cursor t = *chain; tnt_cursor_len(&t) > 0; n++) {
        uint32_t at = tnt_cursor_offset(&t);
        tnt_bytes cert;
        if (!tnt_read_vec24(&t, &cert))
            return tnt_fail(err, at, "TNTCredential: certificate truncated");
        if (cert.len == 0)
            return tnt_fail(err, at, "TNTCredential: empty certificate");
    }
    cr->n_certs = n;
    if (!a)
        return true;
    cr->certs = tnt_arena_array(a, n, sizeof(*cr->certs));
    if (!cr->certs)
        return tnt_fail(err, cr->chain_at.off, "TNTCredential: out of memory");
    for (uint32_t i = 0; i < n; i++)
        tnt_read_vec24(chain, &cr->certs[i]);
    return true;
}

static bool read_credential(tnt_cursor *c, tnt_arena *a, tnt_credential *cr, tnt_error *err)
{
    uint32_t start = tnt_cursor_offset(c);
    if (!tnt_read_vec8(c, &cr->type))
        return tnt_fail(err, start, "TNTCredential: type truncated");
    if (cr->type.len == 0)
        return tnt_fail(err, start, "TNTCredential: empty type");
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor chain;
    if (!tnt_get_u24_prefixed(c, &chain))
        return tnt_fail(err, at, "TNTCredential: chain truncated");
    if (tnt_cursor_len(&chain) == 0)
        return tnt_fail(err, at, "TNTCredential: empty certificate chain");
    cr->chain_at = tnt_cursor_span(&chain);
    cr->chain_whole = tnt_cursor_span_from(c, at);
    if (!read_chain(&chain, a, cr, err))
        return false;
    cr->at = span_from(start, c);
    return true;
}

static bool read_policies(tnt_cursor *c, tnt_arena *a, tnt_negotiation *out, tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor list;
    if (!tnt_get_u24_prefixed(c, &list))
        return tnt_fail(err, at, "TNTNegotiation: policies truncated");
    out->policies_at = tnt_cursor_span(&list);
    out->policies_whole = tnt_cursor_span_from(c, at);
    uint32_t n = 0;
    for (tnt_cursor t = list; tnt_cursor_len(&t) > 0; n++) {
        tnt_policy tmp;
        if (!read_policy(&t, &tmp, err))
            return false;
    }
    out->n_policies = n;
    if (n == 0)
        return true;
    out->policies = tnt_arena_array(a, n, sizeof(*out->policies));
    if (!out->policies)
        return tnt_fail(err, at, "TNTNegotiation: out of memory");
    for (uint32_t i = 0; i < n; i++)
        read_policy(&list, &out->policies[i], err);
    return true;
}

static bool read_credentials(tnt_cursor *c, tnt_arena *a, tnt_negotiation *out, tnt_error *err)
{
    uint32_t at = tnt_cursor_offset(c);
    tnt_cursor list;
    if (!tnt_get_u24_prefixed(c, &list))
        return tnt_fail(err, at, "TNTNegotiation: credentials truncated");
    out->credentials_at = tnt_cursor_span(&list);
    out->credentials_whole = tnt_cursor_span_from(c, at);
    uint32_t n = 0;
    for (tnt_cursor t = list; tnt_cursor_len(&t) > 0; n++) {
        tnt_credential tmp = {0};
        if (!read_credential(&t, NULL, &tmp, err))
            return false;
    }
    out->n_credentials = n;
    if (n == 0)
        return true;
    out->credentials = tnt_arena_array(a, n, sizeof(*out->credentials));
    if (!out->credentials)
        return tnt_fail(err, at, "TNTNegotiation: out of memory");
    for (uint32_t i = 0; i < n; i++)
        if (!read_credential(&list, a, &out->credentials[i], err))
            return false; /* only when out of memory */
    return true;
}

bool tnt_negotiation_decode(tnt_cursor *body, tnt_arena *a, tnt_negotiation *out, tnt_error *err)
{
    *out = (tnt_negotiation){0};
    if (!tnt_read_u16(body, &out->round))
        return tnt_fail(err, tnt_cursor_offset(body), "TNTNegotiation: round truncated");
    if (!tnt_read_u8(body, &out->status))
        return tnt_fail(err, tnt_cursor_offset(body), "TNTNegotiation: status truncated");
    if (!read_policies(body, a, out, err) || !read_credentials(body, a, out, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "TNTNegotiation: bytes after the last field");
    return true;
}
