/* The one walk over a cred() term's DN constraints (policy_eval.c): the
 * policy evaluator and the negotiation model's explanation of a failure
 * both ask which constraint a certificate misses first. */
#ifndef TNT_DN_UNMET_H
#define TNT_DN_UNMET_H

#include "tnt/arena.h"
#include "tnt/dn_expression.h"
#include "tnt/tnt_messages.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct tnt_dn_unmet {
    const tnt_dn_constraint *k; /* the first constraint not met */
    bool issuer;                /* on the issuer DN (else the subject) */
    const char *attr;           /* its attribute's name */
    bool readable;              /* the DN's values could be read as text */
    char **vals;                /* what the DN has for attr (in the arena) */
    uint32_t n_vals;
} tnt_dn_unmet;

/* True when cr's first certificate misses one of c's constraints; *out then
 * describes the first one missed. */
struct tnt_cert_cache;
bool tnt_dn_first_unmet(struct tnt_cert_cache *cc, const tnt_dn_cred *c, const tnt_credential *cr,
                        tnt_arena *a, tnt_dn_unmet *out);

#endif
