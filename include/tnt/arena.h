/* A bump allocator for the results of one decode.
 *
 * A decoded message owns lists (cipher suites, extensions, certificates) whose
 * sizes are only known while decoding. They are carved out of an arena that the
 * caller frees in one go, so decoders never free on their error paths. Each
 * list is bounded by the size of the message it came from, so an arena never
 * holds more than a small multiple of its input. */
#ifndef TNT_ARENA_H
#define TNT_ARENA_H

#include <stddef.h>

typedef struct tnt_arena_chunk tnt_arena_chunk;

typedef struct tnt_arena {
    tnt_arena_chunk *head;
    size_t total; /* bytes handed out, for limits and tests */
} tnt_arena;

void tnt_arena_init(tnt_arena *a);
/* Zeroed memory, aligned for any type; NULL only when malloc fails. */
void *tnt_arena_alloc(tnt_arena *a, size_t size);
/* An array of n elements of size sz, checking the multiplication. */
void *tnt_arena_array(tnt_arena *a, size_t n, size_t sz);
/* Frees everything; the arena can be used again. */
void tnt_arena_free(tnt_arena *a);

#endif
