/* Connections decoded on several threads with the results of one.
 *
 * Connections share two things: the session store (which handshake
 * established which session, with or without trust) and the keys' memory of
 * session secrets (for decrypting a resumption). A front end that feeds
 * different connections from different threads numbers every input it
 * hands out (a segment's bytes, a gap, an end) in the order of the capture,
 * and gives both a tnt_input_order (tnt_session_store_set_order,
 * tnt_keys_set_order). They then change and answer exactly as if every
 * input had been fed in that order on one thread: a change is kept aside
 * until every earlier input has been fed, and a question (a resumption
 * looking up its session) waits until then. Questions are rare (only
 * resumptions ask), so the threads seldom wait. */
#ifndef TNT_ORDER_H
#define TNT_ORDER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tnt_input_order {
    void *user;
    /* The number of the input the calling thread is feeding. */
    uint64_t (*position)(void *user);
    /* Returns once every input numbered below position() has been fed. */
    void (*wait_turn)(void *user);
    /* Whether that is already so (never waits). */
    bool (*is_turn)(void *user);
} tnt_input_order;

#endif
