/* Growing an array carved from an arena (tntpeer's configuration and
 * negotiator keep lists whose length is only known as they are read). */
#ifndef TNT_PEER_ARENA_VEC_H
#define TNT_PEER_ARENA_VEC_H

#include "tnt/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes room in *v (n elements of sz bytes used, *cap allocated) for one
 * more: when full, a doubled copy from the arena (the old one stays in the
 * arena until it is freed). False when out of memory; *v is then unchanged. */
bool arena_vec_grow(tnt_arena *a, void **v, uint32_t n, uint32_t *cap, size_t sz);

#endif
