/* A TLS 1.0-1.2 endpoint (client and server) over a connected, blocking
 * socket, built from lib/'s encoders, decoders and crypto.
 *
 * It exists so that tntpeer can speak real TLS to OpenSSL and GnuTLS and add
 * the TNT messages (spec section 3) where no stock library lets anyone: in
 * the server's flight after ServerKeyExchange and in the client's flight
 * before ClientKeyExchange, inside the Finished transcript. So the engine
 * keeps the running transcript bytes of the current handshake and exposes
 * hooks at exactly those places; everything else is plain TLS:
 *
 * - versions TLS 1.0-1.2; key exchange RSA and ECDHE (secp256r1, x25519)
 *   with RSA or ECDSA certificates; AES-CBC (SHA-1/SHA-256/SHA-384 MAC),
 *   AES-GCM and ChaCha20-Poly1305;
 * - Extended Master Secret, Encrypt-then-MAC and renegotiation_info, on by
 *   default and each switchable off;
 * - renegotiation started by either side, the new handshake running under
 *   the current keys until its ChangeCipherSpec;
 * - session-ID resumption (server: an in-memory cache per tls_config);
 * - an NSS key log line (CLIENT_RANDOM) for every handshake.
 *
 * Every received message is checked (version, suite, extensions offered,
 * Finished, ServerKeyExchange signature, certificate present and fitting the
 * suite); a violation sends a fatal alert and leaves a reason in
 * tls_conn_error(). A connection that failed stays failed.
 *
 * Not done: client certificates (a CertificateRequest is answered with an
 * empty Certificate), session tickets, certificate chain validation (a
 * verify hook is offered), compression, SSL 3.0, TLS 1.3. */
#ifndef TNT_PEER_TLS_ENGINE_H
#define TNT_PEER_TLS_ENGINE_H

#include "tnt/engine/encode.h"
#include "tnt/handshake.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Alert descriptions the engine sends (RFC 5246 7.2). */
enum {
    TLS_ALERT_CLOSE_NOTIFY = 0,
    TLS_ALERT_UNEXPECTED_MESSAGE = 10,
    TLS_ALERT_BAD_RECORD_MAC = 20,
    TLS_ALERT_RECORD_OVERFLOW = 22,
    TLS_ALERT_HANDSHAKE_FAILURE = 40,
    TLS_ALERT_BAD_CERTIFICATE = 42,
    TLS_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    TLS_ALERT_ILLEGAL_PARAMETER = 47,
    TLS_ALERT_ACCESS_DENIED = 49,
    TLS_ALERT_DECODE_ERROR = 50,
    TLS_ALERT_DECRYPT_ERROR = 51,
    TLS_ALERT_PROTOCOL_VERSION = 70,
    TLS_ALERT_INSUFFICIENT_SECURITY = 71,
    TLS_ALERT_INTERNAL_ERROR = 80,
    TLS_ALERT_NO_RENEGOTIATION = 100,
    TLS_ALERT_UNSUPPORTED_EXTENSION = 110,
};

#define TLS_MAX_CERTS 8
#define TLS_MAX_LIST 32
#define TLS_MAX_HOOK_EXT 4
#define TLS_SESSION_ID_MAX 32

/* A certificate chain and its private key. */
typedef struct tls_cred {
    size_t n_certs;
    uint8_t *certs[TLS_MAX_CERTS]; /* DER, own certificate first */
    size_t cert_lens[TLS_MAX_CERTS];
    uint8_t *key; /* the key file's bytes (PEM or DER), as tnt_kx_ske_sign takes them */
    size_t key_len;
    int auth;      /* TNT_AUTH_RSA or TNT_AUTH_ECDSA, from the certificate */
    void *rsa_set; /* tnt_rsa_keyset* for RSA key transport, RSA keys only */
} tls_cred;

/* What a resumable session holds. The client keeps one to offer it again. */
typedef struct tls_session {
    uint8_t id[TLS_SESSION_ID_MAX];
    size_t id_len; /* 0: no session */
    uint8_t master_secret[48];
    uint16_t version;
    uint16_t suite;
    bool ems;
} tls_session;

/* A session as one line of text ("tls-session v1 VERSION SUITE EMS ID MS",
 * hex), for a client that resumes from another process, like
 * openssl s_client -sess_out/-sess_in. The file holds the master secret:
 * it is written with mode 0600. False on I/O or format errors. */
bool tls_session_save(const tls_session *s, const char *path);
bool tls_session_load(tls_session *s, const char *path);

typedef struct tls_conn tls_conn;

/* Where a server's TNT hook wants the handshake to go next. */
typedef enum tls_hook_result {
    TLS_HOOK_FAIL = 0, /* abort: the hook called tls_conn_fail() (else internal_error) */
    TLS_HOOK_DONE,     /* carry on with CertificateRequest/ServerHelloDone */
    TLS_HOOK_WAIT,     /* flush, read the client's next handshake message and hand it
                          to server_extra_msg */
} tls_hook_result;

/* The places where the TNT layer plugs in. Every hook may be NULL. Hooks run
 * in the middle of a handshake: they may send handshake messages with
 * tls_hs_send() (they are part of the transcript) and read the transcript
 * with tls_hs_transcript(). Sent messages go out before the engine next
 * reads from the socket. A message handed to a hook is already in the
 * transcript, so a TNTProof's signed bytes (spec section 5: up to and
 * including the TNTNegotiation) are the transcript length noted when the
 * TNTNegotiation was handed over or sent. To abort, call tls_conn_fail()
 * with the alert (e.g. access_denied) and return false / TLS_HOOK_FAIL. */
typedef struct tls_hooks {
    void *user;
    /* Extra extensions for the hello this side sends (ClientHello on a
     * client, ServerHello on a server: there peer_hello ran first). Write at
     * most cap specs; they and everything they point to must stay valid
     * until the hello is sent (i.e. until the call after this one). The
     * engine remembers the types a client offered, and a ServerHello may
     * carry only those. */
    bool (*add_hello_ext)(void *user, tls_conn *c, tnt_ext_spec *ext, size_t cap, size_t *n);
    /* The peer's hello (ClientHello on a server, ServerHello on a client),
     * after the engine checked it. False aborts the handshake. */
    bool (*peer_hello)(void *user, tls_conn *c, const tnt_hs_msg *hello);
    /* Server, full handshake: after ServerKeyExchange (or Certificate for RSA
     * key exchange), before CertificateRequest/ServerHelloDone. */
    tls_hook_result (*server_mid_flight)(void *user, tls_conn *c);
    /* Server: the client message read after a TLS_HOOK_WAIT. */
    tls_hook_result (*server_extra_msg)(void *user, tls_conn *c, const tnt_hs_msg *msg);
    /* Client, full handshake: a server message between ServerKeyExchange (or
     * Certificate) and ServerHelloDone that is not a CertificateRequest, one
     * call per message. Without this hook such a message is an
     * unexpected_message. The decoded form is there when msg->decoded. */
    bool (*client_extra_msg)(void *user, tls_conn *c, const tnt_hs_msg *msg);
    /* Client, full handshake: after ServerHelloDone, before the client's
     * Certificate/ClientKeyExchange. */
    bool (*client_before_cke)(void *user, tls_conn *c);
    /* Optional check of the server's chain (client): false aborts with
     * bad_certificate. */
    bool (*verify_chain)(void *user, tls_conn *c, const uint8_t *const *certs, const size_t *lens,
                         size_t n);
    /* A handshake (initial, renegotiation, resumption) completed. */
    void (*handshake_done)(void *user, tls_conn *c);
} tls_hooks;

/* Settings shared by connections. Fill with tls_config_init(), then change
 * fields. Must outlive its connections. */
typedef struct tls_config {
    uint16_t min_version, max_version; /* 0x0301..0x0303 */
    uint16_t suites[TLS_MAX_LIST];     /* preference order (the server's too) */
    size_t n_suites;
    uint16_t groups[TLS_MAX_LIST]; /* supported_groups, preference order */
    size_t n_groups;
    uint16_t sig_algs[TLS_MAX_LIST]; /* signature_algorithms sent (client) */
    size_t n_sig_algs;
    bool ems, etm, reneg_info; /* offer/accept RFC 7627, 7366, 5746 (default on) */
    /* Client: answer HelloRequest. Server: accept a client's ClientHello
     * after the first handshake. Default true. */
    bool allow_renegotiation;
    /* Renegotiate even when the peer did not do RFC 5746 (default false). */
    bool allow_insecure_renegotiation;
    bool session_cache; /* server: give session IDs and resume (default true) */
    /* Server: renegotiations are always full handshakes (a TNT negotiation
     * needs one). Default false. */
    bool no_resumption_on_reneg;
    const char *sni; /* client: server_name to send, or NULL */
    const char *keylog_path;
    /* Server credentials: one RSA and/or one ECDSA chain. */
    tls_cred creds[2];
    size_t n_creds;
    tls_hooks hooks;
    bool debug; /* one line per message sent/received on stderr */
    /* The TNT codepoints, for decoding, naming and building messages
     * (default: spec section 1). */
    tnt_codepoints codepoints;
    /* Server session cache (internal). */
    void *cache;
} tls_config;

void tls_config_init(tls_config *cfg);
void tls_config_free(tls_config *cfg);
/* Adds a credential: PEM chain (own certificate first) and its key file.
 * False with a reason in err. */
bool tls_config_add_cred(tls_config *cfg, const char *chain_path, const char *key_path, char *err,
                         size_t err_cap);
/* Parses "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:..." (OpenSSL names) or IANA
 * names / hex ids into cfg->suites. False on an unknown name. */
bool tls_config_set_suites(tls_config *cfg, const char *list, char *err, size_t err_cap);
/* "1.0", "1.1", "1.2" -> 0x0301..; 0 when unknown. */
uint16_t tls_version_parse(const char *s);

/* A connection over fd (not closed by the engine). */
tls_conn *tls_conn_new(const tls_config *cfg, int fd, bool is_server);
void tls_conn_free(tls_conn *c);
/* Client: offer this session for resumption in the next ClientHello. */
void tls_conn_set_session(tls_conn *c, const tls_session *s);
/* The session of the last handshake (id_len 0 if the server gave none). */
const tls_session *tls_conn_session(const tls_conn *c);

/* Runs the first handshake. False on failure (tls_conn_error() says why). */
bool tls_handshake(tls_conn *c);
/* Starts a renegotiation: the client sends a ClientHello, the server sends
 * HelloRequest and waits for it (buffering application data meanwhile), and
 * the handshake is run to the end. False if it failed or the peer refused
 * (no_renegotiation; the connection then stays usable: check
 * tls_conn_failed()). */
bool tls_renegotiate(tls_conn *c);

/* Application data. write sends everything (in records of at most 16 KB)
 * and returns false on failure. read blocks for at least one byte; it
 * returns 0 at the peer's close_notify (or EOF), -1 on failure. Handshake
 * messages the peer sends meanwhile (HelloRequest, a ClientHello) are
 * answered by a renegotiation as configured. */
bool tls_write(tls_conn *c, const void *data, size_t len);
ssize_t tls_read(tls_conn *c, void *buf, size_t cap);
/* Queues application data without sending it: it leaves with whatever is
 * sent next, in one write. A client that asks for a resource and at once
 * renegotiates (spec section 3, client-initiated) uses it so that the server
 * finds the ClientHello already waiting behind the request. */
bool tls_write_deferred(tls_conn *c, const void *data, size_t len);
/* Server: waits for a ClientHello the client sends unprompted and runs that
 * renegotiation (no HelloRequest). False if it failed, if something else
 * came, or if renegotiation is not allowed (then a no_renegotiation warning
 * went out). */
bool tls_accept_renegotiation(tls_conn *c);
/* Whether the peer has sent something not yet handled: a buffered message
 * or record, or bytes readable on the socket within timeout_ms. Flushes
 * first. */
bool tls_conn_input_pending(tls_conn *c, int timeout_ms);
/* Sends close_notify. */
void tls_close(tls_conn *c);

/* State and diagnostics. */
bool tls_conn_failed(const tls_conn *c);
const char *tls_conn_error(const tls_conn *c);  /* "" when none */
int tls_conn_alert_sent(const tls_conn *c);     /* -1 when none */
int tls_conn_alert_received(const tls_conn *c); /* -1 when none; last one */
uint16_t tls_conn_version(const tls_conn *c);
uint16_t tls_conn_suite(const tls_conn *c);
const tnt_codepoints *tls_conn_codepoints(const tls_conn *c);
bool tls_conn_is_server(const tls_conn *c);
bool tls_conn_resumed(const tls_conn *c);        /* the last handshake was abbreviated */
bool tls_conn_ems(const tls_conn *c);            /* negotiated in the last handshake */
bool tls_conn_etm(const tls_conn *c);            /* in force for the current keys */
bool tls_conn_secure_reneg(const tls_conn *c);   /* RFC 5746 in force */
unsigned tls_conn_handshakes(const tls_conn *c); /* completed handshakes */
uint16_t tls_conn_group(const tls_conn *c);      /* ECDHE group of the last full handshake */
const uint8_t *tls_conn_peer_cert(const tls_conn *c, size_t i, size_t *len);

/* ---- For hooks (valid while a handshake runs) ---- */

/* Sends one whole handshake message (4-byte header included) and adds it to
 * the transcript. */
bool tls_hs_send(tls_conn *c, const uint8_t *msg, size_t len);
/* The same for the message built in b (an encoding error fails the
 * handshake with internal_error); b is reset. */
bool tls_hs_send_bld(tls_conn *c, tnt_builder *b);
/* Everything of this handshake that the Finished messages hash, so far. */
const uint8_t *tls_hs_transcript(const tls_conn *c, size_t *len);
/* The hello of the peer in this handshake (ClientHello's decoded form on a
 * server, ServerHello's on a client). */
const tnt_hs_msg *tls_hs_peer_hello(const tls_conn *c);
/* The ClientHello's signature_algorithms (NULL when it had none). */
const uint16_t *tls_hs_client_sig_algs(const tls_conn *c, size_t *n);
/* True during a renegotiation (a handshake under existing keys). */
bool tls_hs_renegotiating(const tls_conn *c);
/* Server, from add_hello_ext on: this handshake resumes a cached session.
 * Client, from peer_hello on: the server accepted the offered session. */
bool tls_hs_resuming(const tls_conn *c);
/* The session ID of this handshake: the one offered (client, before the
 * ServerHello), the one chosen or resumed (server, from add_hello_ext on;
 * client, from peer_hello on). */
const uint8_t *tls_hs_session_id(const tls_conn *c, size_t *len);
/* The version this handshake negotiated (0 before the hellos). */
uint16_t tls_hs_version(const tls_conn *c);
const uint8_t *tls_hs_client_random(const tls_conn *c);
const uint8_t *tls_hs_server_random(const tls_conn *c);
/* Records a failure: the handshake aborts with this fatal alert. Returns
 * false for `return tls_conn_fail(...)`. */
bool tls_conn_fail(tls_conn *c, int alert, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
