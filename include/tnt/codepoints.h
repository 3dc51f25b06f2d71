/* The three TNT codepoints. They are private-use values, so a user whose
 * network already uses one of them for something else can move TNT elsewhere
 * (spec section 1). They are process-wide: every decoder, name table and front
 * end sees the same values. */
#ifndef TNT_CODEPOINTS_H
#define TNT_CODEPOINTS_H

#include <stdbool.h>
#include <stdint.h>

#define TNT_DEFAULT_EXT_TYPE 0xFF54
#define TNT_DEFAULT_HS_NEGOTIATION 224
#define TNT_DEFAULT_HS_PROOF 225

typedef struct tnt_codepoints {
    uint16_t ext_type;
    uint8_t hs_negotiation;
    uint8_t hs_proof;
} tnt_codepoints;

const tnt_codepoints *tnt_codepoints_get(void);
/* Returns false (and changes nothing) when the two handshake types are equal
 * or collide with a registered TLS 1.0-1.2 handshake type. */
bool tnt_codepoints_set(uint16_t ext_type, uint8_t hs_negotiation, uint8_t hs_proof);

#endif
