/* Several threads for one capture: the caller's thread reads packets and
 * reassembles TCP (tnt_capture_run); each connection is analysed (TLS,
 * keys, TNT, output) on one of n analysis threads, chosen in turn as
 * connections open.
 *
 * Every input handed over (a connection's opening, bytes, a gap, its end, a
 * diagnostic) is numbered in the order the reader made it. An analysis
 * thread makes its connections' callbacks in that order, with the
 * arguments the reader received; what connections share is kept in that
 * order too (tnt_pipeline_order for the session store and the keys), and
 * output is handed to tnt_pipeline_emit, which runs it in input order. So
 * the output is that of one thread, byte for byte.
 *
 * The bytes are copied; the copies in flight are bounded
 * (TNT_PIPELINE_MAX_CHUNKS chunks per analysis thread, of about
 * TNT_PIPELINE_CHUNK_BYTES each; a larger delivery gets a chunk of its own
 * size), so a slow analysis makes the reading wait, not memory grow.
 *
 * Not for live capture: a callback runs when its chunk is handed over, not
 * when its packet arrives. */
#ifndef TNT_PIPELINE_H
#define TNT_PIPELINE_H

#include "capture.h"
#include "tnt/order.h"

#define TNT_PIPELINE_CHUNK_BYTES (256u * 1024u)
#define TNT_PIPELINE_CHUNK_ITEMS 1024u
#define TNT_PIPELINE_MAX_CHUNKS 8u
#define TNT_PIPELINE_MAX_WORKERS 16u
/* Output kept waiting to be written beyond which the analysis threads wait
 * for the writer: a slow reader of the output holds the analysis back
 * instead of filling memory. */
#define TNT_PIPELINE_MAX_PENDING 1024u

typedef struct tnt_pipeline tnt_pipeline;

typedef struct tnt_pipeline_options {
    unsigned workers; /* analysis threads, 1 to TNT_PIPELINE_MAX_WORKERS */
    /* Optional: runs on an analysis thread every `every` packets read, with
     * tnt_capture_offset() as it was when the packet was read. */
    void (*progress)(void *user, uint64_t offset);
    uint64_t every;
    tnt_capture *cap; /* for progress offsets; may be NULL */
    /* Optional: runs on each analysis thread as it ends (for what the
     * callbacks kept per thread). */
    void (*thread_end)(void *user);
} tnt_pipeline_options;

/* inner: the callbacks to run on the analysis threads. on_packet and
 * on_segment are not carried (they serve -w, which reads packets as they
 * come); the others are. NULL when the threads cannot be started: then run
 * without them. */
tnt_pipeline *tnt_pipeline_start(const tnt_capture_callbacks *inner,
                                 const tnt_pipeline_options *opt);

/* The callbacks to give tnt_capture_run(). */
const tnt_capture_callbacks *tnt_pipeline_front(tnt_pipeline *p);

/* For tnt_session_store_set_order and tnt_keys_set_order while p runs. */
const tnt_input_order *tnt_pipeline_order(tnt_pipeline *p);

/* After tnt_capture_run() returns: waits until every callback handed over
 * has run, ends the threads and frees p. */
void tnt_pipeline_finish(tnt_pipeline *p);

/* Output: on an analysis thread, fn(arg) runs once the output of every
 * earlier input has run, whichever thread made it (one at a time, on some
 * analysis thread or in tnt_pipeline_finish); the thread goes on meanwhile,
 * unless TNT_PIPELINE_MAX_PENDING outputs already wait: then it waits for
 * the writer.
 * Elsewhere it runs at once. fn must not wait for a turn or emit. */
void tnt_pipeline_emit(void (*fn)(void *arg), void *arg);

/* Whether the calling thread is an analysis thread. */
bool tnt_pipeline_on_worker(void);

#endif
