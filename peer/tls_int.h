/* Internals shared by tls_io.c, tls_common.c, tls_client.c and
 * tls_server.c. Not for users of the engine. */
#ifndef TNT_PEER_TLS_INT_H
#define TNT_PEER_TLS_INT_H

#include "tls_engine.h"

#include "tnt/arena.h"
#include "tnt/hs_reasm.h"
#include "tnt/engine/kx.h"
#include "tnt/names.h"
#include "tnt/engine/prf.h"
#include "tnt/record.h"
#include "tnt/record_protection.h"

#include <glib.h>

/* The state of one handshake. */
typedef struct tls_hs {
    bool renegotiation;
    uint8_t client_random[32], server_random[32];
    uint16_t client_version; /* ClientHello.client_version (RSA PMS) */
    uint16_t version;        /* negotiated */
    uint16_t suite;
    const tnt_suite_info *si;
    tnt_prf_alg prf;
    bool resumed;
    bool ems, etm, reneg_ext; /* negotiated in this handshake */
    uint8_t session_id[TLS_SESSION_ID_MAX];
    size_t session_id_len;
    uint8_t master_secret[48];
    /* Transcript: the bytes (for TNT proofs) and the running hashes. */
    GByteArray *bytes;
    tnt_transcript *t;
    /* The peer's hello, kept decoded for hooks. */
    uint8_t *peer_hello_raw;
    tnt_arena peer_hello_arena;
    tnt_hs_msg peer_hello;
    bool have_peer_hello;
    uint16_t client_sig_algs[64];
    size_t n_client_sig_algs;
    bool client_sent_sig_algs;
    /* Client: the extension types offered (a ServerHello may echo only these). */
    uint16_t offered_ext[32];
    size_t n_offered_ext;
    /* ECDHE */
    uint16_t group;
    tnt_kx_ecdhe_key ecdhe;
    /* Peer certificate chain (client side). */
    size_t n_peer_certs;
    uint8_t *peer_certs[TLS_MAX_CERTS];
    size_t peer_cert_lens[TLS_MAX_CERTS];
    const tls_cred *cred; /* server: chosen credential */
    bool cert_requested;
} tls_hs;

struct tls_conn {
    int fd;
    bool is_server;
    const tls_config *cfg;
    /* Record layer. */
    uint16_t version; /* record version once negotiated, 0 before */
    tnt_rp_state *rd, *wr, *pend_rd, *pend_wr;
    bool etm_rd, etm_wr, pend_etm;
    GByteArray *out; /* records not yet written */
    tnt_hs_reasm reasm;
    GQueue msgs; /* complete handshake messages (GBytes) */
    GByteArray *app_in;
    size_t app_off;
    bool expect_ccs, got_ccs;
    bool peer_closed, sent_close, failed, app_allowed;
    bool reneg_refused;
    int alert_sent, alert_recv;
    char err[256];
    /* Handshake. */
    tls_hs *hs;
    /* After a handshake. */
    unsigned n_handshakes;
    bool secure_reneg; /* RFC 5746 in force */
    uint8_t client_vd[12], server_vd[12];
    tls_session session; /* of the last handshake */
    tls_session offer;   /* client: session to offer */
    bool resumed, ems;
    uint16_t suite, group;
    size_t n_peer_certs;
    uint8_t *peer_certs[TLS_MAX_CERTS];
    size_t peer_cert_lens[TLS_MAX_CERTS];
};

/* tls_io.c */
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

/* tls_common.c */
tls_hs *tls_hs_new(tls_conn *c, bool renegotiation);
void tls_hs_free(tls_hs *hs);
void tls_transcript_add(tls_conn *c, const uint8_t *msg, size_t len);
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

/* tls_client.c / tls_server.c */
bool tls_client_handshake(tls_conn *c, bool renegotiation);
/* first: a ClientHello already read (renegotiation), or NULL. */
bool tls_server_handshake(tls_conn *c, GBytes *first);
void tls_cache_put(const tls_config *cfg, const tls_session *s);
bool tls_cache_get(const tls_config *cfg, const uint8_t *id, size_t len, tls_session *out);

#endif
