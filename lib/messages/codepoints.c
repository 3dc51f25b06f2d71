#include "codepoints.h"

static tnt_codepoints current = {TNT_DEFAULT_EXT_TYPE, TNT_DEFAULT_HS_NEGOTIATION,
                                 TNT_DEFAULT_HS_PROOF};

const tnt_codepoints *tnt_codepoints_get(void)
{
    return &current;
}

static bool registered_hs_type(uint8_t t)
{
    /* 0-24 covers TLS 1.0-1.3 (incl. end_of_early_data, encrypted_extensions
     * and key_update); 254 is message_hash. Letting TNT take one of these
     * would make real messages decode as TNT. */
    return t <= 24 || t == 254;
}

bool tnt_codepoints_set(uint16_t ext_type, uint8_t hs_negotiation, uint8_t hs_proof)
{
    if (hs_negotiation == hs_proof || registered_hs_type(hs_negotiation) ||
        registered_hs_type(hs_proof))
        return false;
    current.ext_type = ext_type;
    current.hs_negotiation = hs_negotiation;
    current.hs_proof = hs_proof;
    return true;
}
