/* --summary: totals over a run, computed from the connection objects of the
 * NDJSON output (the same objects --json prints), so that a run, a sharded
 * run merged with --merge, and a reader of the NDJSON all count alike. */
#ifndef TNTDUMP_SUMMARY_H
#define TNTDUMP_SUMMARY_H

#include "chatter.h"
#include "jdom.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

typedef struct summary {
    uint64_t connections, tcp_connections, handshakes, negotiations, trust;
    uint64_t initial, renegotiation, resumption;
    GHashTable *versions, *suites, *outcomes, *rounds, *cred_types, *failures, *violations;
    const chatter *diagnostics; /* not owned; printed when not empty */
} summary;

void summary_init(summary *s);
void summary_free(summary *s);
/* One connection object. */
void summary_add(summary *s, const jv *conn);
/* The summary object (one line). files: the inputs. */
void summary_json(FILE *f, const summary *s, const char *const *files, int n_files);
void summary_text(FILE *f, const summary *s, int n_files);

#endif
