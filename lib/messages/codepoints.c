#include "codepoints.h"

const tnt_codepoints tnt_codepoints_default = {TNT_DEFAULT_EXT_TYPE, TNT_DEFAULT_HS_NEGOTIATION,
                                               TNT_DEFAULT_HS_PROOF};

const tnt_codepoints *tnt_codepoints_or_default(const tnt_codepoints *cp)
{
    return cp ? cp : &tnt_codepoints_default;
}

static bool registered_hs_type(uint8_t t)
{
    /* 0-24 covers TLS 1.0-1.3 (incl. end_of_early_data, encrypted_extensions
     * and key_update); 254 is message_hash. Letting TNT take one of these
     * would make real messages decode as TNT. */
    return t <= 24 || t == 254;
}

bool tnt_codepoints_make(tnt_codepoints *out, uint16_t ext_type, uint8_t hs_negotiation,
                         uint8_t hs_proof)
{
    if (hs_negotiation == hs_proof || registered_hs_type(hs_negotiation) ||
        registered_hs_type(hs_proof))
        return false;
    out->ext_type = ext_type;
    out->hs_negotiation = hs_negotiation;
    out->hs_proof = hs_proof;
    return true;
}
