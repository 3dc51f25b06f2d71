/* Decode errors.
 *
 * A decoder that fails says where (byte offset from the origin of what it was
 * given) and what, as a static string, so reporting an error never allocates
 * and never fails. */
#ifndef TNT_ERROR_H
#define TNT_ERROR_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tnt_error {
    uint32_t off;     /* where decoding stopped */
    const char *what; /* static text; NULL when there is no error */
} tnt_error;

/* Sets *err (if err is non-NULL) and returns false, so that decoders can
 * write `return tnt_fail(err, off, "...")`. */
static inline bool tnt_fail(tnt_error *err, uint32_t off, const char *what)
{
    if (err) {
        err->off = off;
        err->what = what;
    }
    return false;
}

#endif
