#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct tnt_arena_chunk {
    tnt_arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

#define CHUNK_MIN 4096

void tnt_arena_init(tnt_arena *a)
{
    a->head = NULL;
    a->total = 0;
    a->mem = NULL;
}

void tnt_arena_init_with(tnt_arena *a, const tnt_allocator *mem)
{
    tnt_arena_init(a);
    a->mem = mem;
}

void *tnt_arena_dup(tnt_arena *a, const void *p, size_t n)
{
    void *q = n ? tnt_arena_alloc(a, n) : NULL;
    if (q)
        memcpy(q, p, n);
    return q;
}

/* A chunk from a front end's allocator, which may align less than malloc
 * (wmem and ASan's malloc give 8 bytes): aligned here for any type. */
static tnt_arena_chunk *mem_chunk(const tnt_allocator *mem, size_t size)
{
    const size_t align = _Alignof(tnt_arena_chunk);
    if (size > SIZE_MAX - align)
        return NULL;
    char *p = mem->alloc(mem->ctx, size + align - 1);
    if (!p)
        return NULL;
    return (tnt_arena_chunk *)(void *)(p + ((align - (uintptr_t)p % align) % align));
}

void *tnt_arena_alloc(tnt_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size_t need = (size + align - 1) / align * align;
    if (need < size)
        return NULL;
    if (need == 0)
        need = align;
    tnt_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < need) {
        /* Memory from a front end is never reused after tnt_arena_free,
         * so its chunks are kept small. */
        size_t min = a->mem ? CHUNK_MIN / 8 : CHUNK_MIN;
        size_t cap = need > min ? need : min;
        c = a->mem ? mem_chunk(a->mem, sizeof(*c) + cap) : malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += need;
    a->total += need;
    memset(p, 0, size);
    return p;
}

void *tnt_arena_array(tnt_arena *a, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        return NULL;
    return tnt_arena_alloc(a, n * sz);
}

void tnt_arena_free(tnt_arena *a)
{
    tnt_arena_chunk *c = a->mem ? NULL : a->head;
    while (c) {
        tnt_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
