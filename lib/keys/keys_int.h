/* Internals of keys.c for the unit tests. Not for front ends. */
#ifndef TNT_KEYS_INT_H
#define TNT_KEYS_INT_H

#include <stddef.h>

/* Session caches stop growing here: a capture with more distinct sessions
 * than this loses resumption keys for the excess, not memory. Each of the
 * two tables (by session ID, by ticket) has its own. */
#define TNT_KEYS_MAX_CACHED 1000000u

/* Tests only: the limit of every tnt_keys from now on (0: back to
 * TNT_KEYS_MAX_CACHED), so that the limit can be tested at and past it
 * without a million entries (which take seconds and 200 MB). */
void tnt_keys_set_cache_limit(size_t n);

#endif
