/* Writes to run-wide state kept aside until their turn (tnt/order.h): each
 * write carries the position of the input that made it; a write is applied
 * once nothing before it can still be fed, and a read first waits for its
 * turn and applies every earlier write. Without an order a write is applied
 * at once. */
#ifndef TNT_ORDERED_H
#define TNT_ORDERED_H

#include "tnt/order.h"

#include <glib.h>
#include <pthread.h>
#include <stddef.h>

/* Kept writes beyond which a write waits for its turn, so that a thread far
 * behind cannot make the others' writes pile up without bound. */
#define TNT_ORDERED_MAX_KEPT 65536u

typedef struct tnt_ordered {
    const tnt_input_order *order; /* NULL: every write at once */
    pthread_mutex_t mu;           /* pthread: what thread checkers understand */
    GArray *kept;                 /* kept_write, in arrival order */
    uint64_t arrivals;
    void *target;
    void (*apply)(void *target, void *write); /* takes the write */
    void (*drop)(void *write);                /* frees a write never applied */
} tnt_ordered;

void tnt_ordered_init(tnt_ordered *o, void *target, void (*apply)(void *, void *),
                      void (*drop)(void *));
/* Drops what is still kept (tnt_ordered_flush first to keep it). */
void tnt_ordered_clear(tnt_ordered *o);
/* Applies what is kept first, so the order changes between runs, not during. */
void tnt_ordered_set(tnt_ordered *o, const tnt_input_order *order);
void tnt_ordered_write(tnt_ordered *o, void *write);
/* Before reading the target: this thread's turn, and every earlier write applied. */
void tnt_ordered_before_read(tnt_ordered *o);
/* Every kept write, in order (no thread may be feeding). */
void tnt_ordered_flush(tnt_ordered *o);

#endif
