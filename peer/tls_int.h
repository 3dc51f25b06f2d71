/* The engine's state, shared by its files. Not for users of the engine.
 *
 * The files call down only: tls_api.c (the API of tls_engine.h) drives
 * tls_client.c and tls_server.c (tls_client.h, tls_server.h), which use
 * tls_common.c (tls_common.h: keys, Finished, sessions) and tls_io.c
 * (tls_io.h: records, alerts, handshake messages); tls_common.c uses
 * tls_io.c, and tls_io.c calls none of them. */
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

#endif
