/* TNTProof (spec section 5).
 *
 * The layout of TNTOwnershipProof depends on the negotiated version, as that
 * of CertificateVerify does: TLS 1.2 (0x0303) puts a SignatureAndHashAlgorithm
 * before the signature, SSL 3.0 / TLS 1.0 / TLS 1.1 (0x0300-0x0302) do not.
 *
 * Any other version, 0 included, means the caller does not know it (a capture
 * that starts after the ServerHello, or a version TNT does not define). Such a
 * message is decoded with the TLS 1.2 layout if the whole message decodes that
 * way, else with the TLS 1.0 layout. TLS 1.2 goes first because it is by far
 * the most common. A crafted message can decode both ways; it then gets the
 * TLS 1.2 reading, and has_algorithm tells the caller which one was taken.
 * When neither layout fits, the error reported is that of the layout that
 * got further into the message (TLS 1.2 on a tie), as it is the likelier one. */
#include "handshake.h"
#include "tnt_messages.h"

static bool read_entry(tnt_cursor *c, bool has_alg, tnt_ownership_proof *p, tnt_error *err)
{
    uint32_t start = tnt_cursor_offset(c);
    if (!tnt_read_u16(c, &p->credential_index))
        return tnt_fail(err, start, "TNTOwnershipProof: credential index truncated");
    p->has_algorithm = has_alg;
    if (has_alg && !tnt_read_u16(c, &p->algorithm))
        return tnt_fail(err, tnt_cursor_offset(c), "TNTOwnershipProof: algorithm truncated");
    uint32_t at = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &p->signature))
        return tnt_fail(err, at, "TNTOwnershipProof: signature truncated");
    p->at.off = start;
    p->at.len = tnt_cursor_offset(c) - start;
    return true;
}

static bool decode_as(tnt_cursor *body, bool has_alg, tnt_arena *a, tnt_proof *out, tnt_error *err)
{
    *out = (tnt_proof){0};
    uint32_t at = tnt_cursor_offset(body);
    tnt_cursor list;
    if (!tnt_get_u16_prefixed(body, &list))
        return tnt_fail(err, at, "TNTProof: proofs truncated");
    if (tnt_cursor_len(&list) == 0)
        return tnt_fail(err, at, "TNTProof: empty proofs list");
    out->proofs_at = tnt_cursor_span(&list);
    out->proofs_whole = tnt_cursor_span_from(body, at);
    uint32_t n = 0;
    for (tnt_cursor t = list; tnt_cursor_len(&t) > 0; n++) {
        tnt_ownership_proof tmp;
        if (!read_entry(&t, has_alg, &tmp, err))
            return false;
    }
    out->proofs = tnt_arena_array(a, n, sizeof(*out->proofs));
    if (!out->proofs)
        return tnt_fail(err, at, "TNTProof: out of memory");
    out->n_proofs = n;
    for (uint32_t i = 0; i < n; i++)
        read_entry(&list, has_alg, &out->proofs[i], err);
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "TNTProof: bytes after the last field");
    return true;
}

bool tnt_proof_decode(tnt_cursor *body, uint16_t version, tnt_arena *a, tnt_proof *out,
                      tnt_error *err)
{
    switch (version) {
    case TNT_TLS12:
        return decode_as(body, true, a, out, err);
    case TNT_SSL3:
    case TNT_TLS10:
    case TNT_TLS11:
        return decode_as(body, false, a, out, err);
    }
    tnt_cursor start = *body;
    tnt_error e12 = {0}, e10 = {0};
    if (decode_as(body, true, a, out, &e12))
        return true;
    *body = start;
    if (decode_as(body, false, a, out, &e10))
        return true;
    if (e12.off >= e10.off)
        return tnt_fail(err, e12.off, e12.what);
    return tnt_fail(err, e10.off, e10.what);
}
