/* Record protection internals for lib/ (not part of the public API). */
#ifndef TNT_RECORD_PROTECTION_INT_H
#define TNT_RECORD_PROTECTION_INT_H

#include "record_protection.h"

/* What tnt_rp_new would answer for these parameters, short of opening the
 * cipher (which fails only when libgcrypt runs out of memory): the key
 * schedule asks it of every handshake before it looks for keys, and opening
 * and keying a cipher just to ask cost as much as the two real ones. */
tnt_rp_status tnt_rp_check(const tnt_rp_params *p);

#endif
