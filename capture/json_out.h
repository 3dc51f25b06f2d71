/* NDJSON output (--json): one object per connection when it ends, then one
 * summary object. The field names are an interface: docs/tntdump.md and
 * docs/tntdump.schema.json describe them. */
#ifndef TNTDUMP_JSON_OUT_H
#define TNTDUMP_JSON_OUT_H

#include "capture.h"
#include "chatter.h"
#include "tnt/conn.h"
#include "tnt/negotiation.h"

#include <stdio.h>

/* What tntdump collects per connection beyond lib's state. */
typedef struct json_msg {
    uint32_t handshake;
    uint8_t dir, type;
    uint64_t frame;
    tnt_cap_ts ts;
} json_msg;

typedef struct json_gap {
    uint8_t dir;
    uint64_t bytes, frame;
} json_gap;

typedef struct json_conn {
    const char *file;
    uint32_t id;
    const char *client, *server;
    tnt_cap_ts start, end;
    const tnt_conn *tls;
    const json_msg *msgs;
    uint32_t n_msgs;
    const json_gap *gaps;
    uint32_t n_gaps;
    const uint8_t *initiator; /* [handshake-1]: 0 client, 1 server */
    uint32_t n_initiator;
} json_conn;

typedef struct json_totals {
    uint64_t connections, handshakes, negotiations, success, failure, incomplete, trust,
        violations[TNT_V_COUNT];
} json_totals;

/* A JSON string of n bytes of wire text, which is not trusted to be UTF-8:
 * invalid bytes become U+FFFD, control characters are escaped. */
void json_string(GString *o, const char *s, size_t n);
void json_connection(FILE *f, const json_conn *c, json_totals *tot);
/* Live output: one handshake's settled verdict, as a "verdict" object (only
 * the connection's identity fields of c are used). decided_by: what made it
 * certain (the names of tnt_verdict_cause). */
void json_verdict(FILE *f, const json_conn *c, const tnt_nego_hs *h, uint64_t frame, tnt_cap_ts at,
                  const char *decided_by);
/* diag: counts of diagnostics by kind, printed when not empty (may be NULL). */
void json_summary(FILE *f, const char *const *files, int n_files, const json_totals *tot,
                  const chatter *diag);

#endif
