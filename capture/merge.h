/* --merge: the NDJSON of separate runs (shards of one set of captures, each
 * run with --json --summary) as if it came from one run over all their
 * inputs in the order given: connection numbers continue across the runs,
 * resumptions of sessions whose trust an earlier run established are linked
 * to that handshake again (established_by, and the resume-unknown-session
 * violation the shard could not avoid is dropped), and the summary is
 * recomputed. */
#ifndef TNTDUMP_MERGE_H
#define TNTDUMP_MERGE_H

#include <stdbool.h>

/* Returns tntdump's exit status. Output is NDJSON (with the --summary
 * summary object) whatever json says; text cannot be rebuilt from it. */
int merge_main(const char *const *paths, int n_paths, bool json, bool summary);

#endif
