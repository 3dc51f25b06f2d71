/* What the client and server handshakes share (tls_common.c): handshake
 * state, keys, ChangeCipherSpec and Finished, the session cache. */
#ifndef TNT_PEER_TLS_COMMON_H
#define TNT_PEER_TLS_COMMON_H

#include "tls_io.h"

tls_hs *tls_hs_new(tls_conn *c, bool renegotiation);
void tls_hs_free(tls_hs *hs);
bool tls_suite_usable(uint16_t suite, uint16_t version);
tnt_prf_alg tls_prf_for(uint16_t version, const tnt_suite_info *si);
/* Master secret (EMS or not) from the pms, key log line, pending states. */
bool tls_make_keys(tls_conn *c, const uint8_t *pms, size_t pms_len);
/* Pending states from hs->master_secret (also for resumption). */
bool tls_make_pending(tls_conn *c);
bool tls_send_ccs_finished(tls_conn *c);
bool tls_recv_ccs_finished(tls_conn *c);
void tls_keylog(tls_conn *c);
void tls_hs_complete(tls_conn *c);
bool tls_keep_peer_hello(tls_conn *c, const uint8_t *raw, size_t len, bool from_server);
bool tls_list_has(const uint16_t *v, size_t n, uint16_t x);
bool tls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);
void tls_random(uint8_t *buf, size_t len);
void tls_cache_put(const tls_config *cfg, const tls_session *s);
bool tls_cache_get(const tls_config *cfg, const uint8_t *id, size_t len, tls_session *out);

#endif
