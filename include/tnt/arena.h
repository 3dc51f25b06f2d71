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

/* Memory a front end owns and frees itself (the Wireshark plugin: a wmem
 * file-scope pool), so that what the library hands out can outlive the
 * callback that handed it out. alloc returns size bytes aligned to at least
 * 8 (the library aligns further where it needs to), or NULL; the library
 * never frees what it returns. */
typedef struct tnt_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *ctx;
} tnt_allocator;

typedef struct tnt_arena {
    tnt_arena_chunk *head;
    size_t total;             /* bytes handed out, for limits and tests */
    const tnt_allocator *mem; /* NULL: malloc, freed by tnt_arena_free */
} tnt_arena;

void tnt_arena_init(tnt_arena *a);
/* An arena whose chunks come from mem: tnt_arena_free forgets them, and
 * what was allocated stays valid for as long as mem's owner keeps it. */
void tnt_arena_init_with(tnt_arena *a, const tnt_allocator *mem);
/* A copy of n bytes (NULL when n is 0 or memory runs out). */
void *tnt_arena_dup(tnt_arena *a, const void *p, size_t n);
/* Zeroed memory, aligned for any type; NULL only when malloc fails. */
void *tnt_arena_alloc(tnt_arena *a, size_t size);
/* An array of n elements of size sz, checking the multiplication. */
void *tnt_arena_array(tnt_arena *a, size_t n, size_t sz);
/* Frees everything; the arena can be used again. */
void tnt_arena_free(tnt_arena *a);

#endif
