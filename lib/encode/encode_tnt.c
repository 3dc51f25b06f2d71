/* TNTNegotiation and TNTProof (spec sections 4 and 5), the mirror of
 * tnt_negotiation.c and tnt_proof.c. */
#include "codepoints.h"
#include "encode.h"
#include "handshake.h"

static void policy(tnt_builder *b, const tnt_policy_spec *p)
{
    tnt_bld_u8(b, p->target_kind);
    tnt_bld_vec8(b, p->target_name.p, p->target_name.len);
    tnt_bld_u8(b, p->language);
    tnt_bld_vec16(b, p->expression.p, p->expression.len);
}

static void credential(tnt_builder *b, const tnt_credential_spec *c)
{
    tnt_bld_vec8(b, c->type.p, c->type.len);
    tnt_bld_open_u24(b);
    for (size_t i = 0; i < c->chain.n; i++)
        tnt_bld_vec24(b, c->chain.v[i].p, c->chain.v[i].len);
    tnt_bld_close(b);
}

bool tnt_enc_tnt_negotiation(tnt_builder *b, const tnt_negotiation_spec *n)
{
    if (!tnt_enc_hs_open(b, tnt_codepoints_or_default(b->cp)->hs_negotiation))
        return false;
    tnt_bld_u16(b, n->round);
    tnt_bld_u8(b, n->status);
    tnt_bld_open_u24(b);
    for (size_t i = 0; i < n->n_policies; i++)
        policy(b, &n->policies[i]);
    tnt_bld_close(b);
    tnt_bld_open_u24(b);
    for (size_t i = 0; i < n->n_credentials; i++)
        credential(b, &n->credentials[i]);
    tnt_bld_close(b);
    return tnt_bld_close(b);
}

bool tnt_enc_tnt_proof(tnt_builder *b, uint16_t version, const tnt_ownership_proof_spec *p,
                       size_t n)
{
    /* As for CertificateVerify, the layout follows the negotiated version;
     * there is no layout to fall back on for any other. */
    if (version < TNT_SSL3 || version > TNT_TLS12)
        return tnt_bld_fail(b, "encode: TNTProof layout unknown for this version");
    if (!tnt_enc_hs_open(b, tnt_codepoints_or_default(b->cp)->hs_proof) || !tnt_bld_open_u16(b))
        return false;
    for (size_t i = 0; i < n; i++) {
        tnt_bld_u16(b, p[i].credential_index);
        if (version == TNT_TLS12)
            tnt_bld_u16(b, p[i].algorithm);
        tnt_bld_vec16(b, p[i].signature.p, p[i].signature.len);
    }
    return tnt_bld_close(b) && tnt_bld_close(b);
}
