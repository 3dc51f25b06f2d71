/* Two threads for one capture: the caller's thread reads packets and
 * reassembles TCP (tnt_capture_run), a second thread runs the analysis
 * callbacks (TLS, keys, TNT, output) on what the first hands over.
 *
 * The second thread makes every callback in the order, and with the
 * arguments, the first one received it, so the analysis, its output and its
 * diagnostics are those of one thread: nothing of the analysis is shared
 * between the two. The bytes are copied; the copies in flight are bounded
 * (TNT_PIPELINE_MAX_CHUNKS chunks of about TNT_PIPELINE_CHUNK_BYTES each;
 * a larger delivery gets a chunk of its own size), so a slow analysis makes
 * the reading wait, not memory grow.
 *
 * Not for live capture: a callback runs when its chunk is full, not when its
 * packet arrives. */
#ifndef TNT_PIPELINE_H
#define TNT_PIPELINE_H

#include "capture.h"

#define TNT_PIPELINE_CHUNK_BYTES (256u * 1024u)
#define TNT_PIPELINE_CHUNK_ITEMS 1024u
#define TNT_PIPELINE_MAX_CHUNKS 8u

typedef struct tnt_pipeline tnt_pipeline;

/* Runs on the analysis thread every `every` packets read, with
 * tnt_capture_offset() as it was when the packet was read. */
typedef void (*tnt_pipeline_progress_fn)(void *user, uint64_t offset);

/* inner: the callbacks to run on the second thread. on_packet and on_segment
 * are not carried (they serve -w, which reads packets as they come); the
 * other callbacks are. cap (may be NULL) gives progress its offsets.
 * NULL when the thread cannot be started: then run without it. */
tnt_pipeline *tnt_pipeline_start(const tnt_capture_callbacks *inner, tnt_capture *cap,
                                 tnt_pipeline_progress_fn progress, uint64_t every);

/* The callbacks to give tnt_capture_run(). */
const tnt_capture_callbacks *tnt_pipeline_front(tnt_pipeline *p);

/* After tnt_capture_run() returns: waits until every callback handed over
 * has run on the second thread, ends it and frees p. */
void tnt_pipeline_finish(tnt_pipeline *p);

#endif
