/* The three TNT codepoints. They are private-use values, so a user whose
 * network already uses one of them for something else can move TNT elsewhere
 * (spec section 1). They are not process-wide: each connection carries its
 * own (tnt_conn_options.codepoints), and so do the decoders (tnt_hs_ctx),
 * the name functions, the builder and tntpeer's party. Wherever a
 * `const tnt_codepoints *` is taken, NULL means the defaults. */
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

/* The defaults of spec section 1. */
extern const tnt_codepoints tnt_codepoints_default;
/* cp, or the defaults when cp is NULL. */
const tnt_codepoints *tnt_codepoints_or_default(const tnt_codepoints *cp);
/* Fills *out; returns false (and leaves *out alone) when the two handshake
 * types are equal or collide with a registered TLS handshake type. */
bool tnt_codepoints_make(tnt_codepoints *out, uint16_t ext_type, uint8_t hs_negotiation,
                         uint8_t hs_proof);

#endif
