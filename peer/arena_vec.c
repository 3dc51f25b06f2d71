#include "arena_vec.h"

#include <string.h>

bool arena_vec_grow(tnt_arena *a, void **v, uint32_t n, uint32_t *cap, size_t sz)
{
    if (n < *cap)
        return true;
    uint32_t nc = *cap ? *cap * 2 : 8;
    void *nv = tnt_arena_array(a, nc, sz);
    if (!nv)
        return false;
    if (n)
        memcpy(nv, *v, n * sz);
    *v = nv;
    *cap = nc;
    return true;
}
