/* The plugin's only door into lib/: the dissector calls these, and only
 * tnt_glue.c includes lib/ headers. When lib/ gains its public API
 * (include/tnt/), this pair of files is what changes. */
#ifndef TNT_GLUE_H
#define TNT_GLUE_H

#include "packet-tnt.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where secrets come from; every member may be NULL. */
typedef struct tnt_glue_keysrc {
    const char *keylog_files[2];      /* tls.keylog_file, tnt.keylog_file */
    const char *const *rsa_key_files; /* NULL-terminated; may be NULL */
    const char *anchor_files;         /* ';'-separated PEM/DER files */
    /* The TLS dissector's client random -> master secret map (pcapng
     * Decryption Secrets Blocks end up there). */
    bool (*master_secret)(const uint8_t client_random[32], uint8_t ms[48]);
} tnt_glue_keysrc;

/* The three TNT codepoints (spec section 1), from the preferences. Returns
 * false when lib/ refuses them (a collision); the defaults then stay. */
bool tnt_glue_set_codepoints(uint16_t ext_type, uint8_t hs_negotiation, uint8_t hs_proof);

/* data (len bytes, the start of a TCP stream direction) begins with a TLS
 * record holding a ClientHello or ServerHello that carries the `tnt`
 * extension. */
bool tnt_glue_hello_has_tnt(const uint8_t *data, size_t len);

/* Run-wide state (keys, sessions for resumption links): one per capture
 * file, dropped by tnt_glue_run_reset at the file's end. */
void tnt_glue_run_reset(void);

typedef struct tnt_glue_conn tnt_glue_conn;
/* conn_id: a number unique in the file (the conversation's first frame). */
tnt_glue_conn *tnt_glue_conn_new(const tnt_glue_keysrc *keys, uint64_t conn_id);
void tnt_glue_conn_free(tnt_glue_conn *g);
/* First pass only: the next len bytes of direction dir (0 = client), all in
 * frame `frame`. What they completed is appended to chunk, in file scope. */
void tnt_glue_feed(tnt_glue_conn *g, int dir, uint32_t frame, const uint8_t *data, size_t len,
                   tntp_chunk *chunk);

/* First pass only: n bytes of direction dir are missing from the capture. */
void tnt_glue_gap(tnt_glue_conn *g, int dir, uint32_t frame, uint64_t n, tntp_chunk *chunk);

/* Any pass: the tree of one complete handshake message in tvb (exactly the
 * message: header and body). */
proto_item *tnt_glue_dissect_message(const tntp_msg_info *m, tvbuff_t *tvb, packet_info *pinfo,
                                     proto_tree *tree, const tntp_note *notes);
/* The expert info for a note or violation (packet-tnt.c). */
expert_field *tnt_glue_note_expert(const tntp_note *n);

/* The facts a message or fatal alert settled (generated items). */
void tnt_glue_dissect_verdict(const struct tntp_verdict *v, tvbuff_t *tvb, proto_tree *tree);

/* Names for display. */
const char *tnt_glue_content_type_name(uint8_t t);
const char *tnt_glue_alert_name(uint8_t desc);
const char *tnt_glue_alert_level_name(uint8_t level);
const char *tnt_glue_violation_name(int code);

#endif
