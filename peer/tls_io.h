/* The record layer (tls_io.c): records, alerts, handshake messages and
 * the transcript. */
#ifndef TNT_PEER_TLS_IO_H
#define TNT_PEER_TLS_IO_H

#include "tls_int.h"

bool tls_flush(tls_conn *c);
bool tls_send_record(tls_conn *c, uint8_t type, const uint8_t *data, size_t len);
void tls_send_alert(tls_conn *c, uint8_t level, uint8_t desc);
/* Reads one record and files its content (handshake -> msgs, application
 * data -> app_in, alerts and CCS handled). False on failure or EOF. */
bool tls_read_record(tls_conn *c);
/* Next handshake message of this handshake (added to the transcript, except
 * HelloRequest). The GBytes is the caller's. NULL on failure. */
GBytes *tls_hs_next(tls_conn *c);
/* Decodes raw into msg (arena a); on a decode error fails with decode_error. */
bool tls_hs_decode_msg(tls_conn *c, const uint8_t *raw, size_t len, bool from_server, tnt_arena *a,
                       tnt_hs_msg *msg);
void tls_debug(const tls_conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tls_transcript_add(tls_conn *c, const uint8_t *msg, size_t len);

#endif
