/* Decoded TLS 1.0-1.2 handshake messages (and the TNT ones).
 *
 * tnt_hs_decode() takes one complete handshake message (4-byte header and
 * body, as reassembled by tnt_hs_reasm) and fills a tnt_hs_msg. All spans are
 * relative to the first byte of the message header, so a front end that knows
 * where the message starts can point at any field. Byte strings point into the
 * message buffer; lists are allocated from the caller's arena. */
#ifndef TNT_HANDSHAKE_H
#define TNT_HANDSHAKE_H

#include "tnt/arena.h"
#include "tnt/codepoints.h"
#include "tnt/cursor.h"
#include "tnt/error.h"
#include "tnt/extensions.h"
#include "tnt/tnt_messages.h"

#include <stdbool.h>
#include <stdint.h>

enum {
    TNT_HS_HELLO_REQUEST = 0,
    TNT_HS_CLIENT_HELLO = 1,
    TNT_HS_SERVER_HELLO = 2,
    TNT_HS_HELLO_VERIFY_REQUEST = 3,
    TNT_HS_NEW_SESSION_TICKET = 4,
    TNT_HS_END_OF_EARLY_DATA = 5,
    TNT_HS_ENCRYPTED_EXTENSIONS = 8,
    TNT_HS_CERTIFICATE = 11,
    TNT_HS_SERVER_KEY_EXCHANGE = 12,
    TNT_HS_CERTIFICATE_REQUEST = 13,
    TNT_HS_SERVER_HELLO_DONE = 14,
    TNT_HS_CERTIFICATE_VERIFY = 15,
    TNT_HS_CLIENT_KEY_EXCHANGE = 16,
    TNT_HS_FINISHED = 20,
    TNT_HS_CERTIFICATE_URL = 21,
    TNT_HS_CERTIFICATE_STATUS = 22,
    TNT_HS_SUPPLEMENTAL_DATA = 23,
    TNT_HS_KEY_UPDATE = 24,
    TNT_HS_MESSAGE_HASH = 254,
};

/* Protocol versions as on the wire. */
enum {
    TNT_SSL2 = 0x0002,
    TNT_SSL3 = 0x0300,
    TNT_TLS10 = 0x0301,
    TNT_TLS11 = 0x0302,
    TNT_TLS12 = 0x0303,
    TNT_TLS13 = 0x0304,
};

typedef struct tnt_client_hello {
    tnt_uint version;
    tnt_bytes random; /* 32 bytes */
    tnt_bytes session_id;
    tnt_span suites_at; /* the vector body; *_whole: with the length prefix */
    tnt_span suites_whole;
    uint32_t n_suites;
    tnt_uint *suites;
    tnt_span compressions_at;
    tnt_span compressions_whole;
    uint32_t n_compressions;
    tnt_uint *compressions;
    bool has_extensions; /* false when the message ends after compressions */
    tnt_extensions ext;
} tnt_client_hello;

/* An SSLv2-format ClientHello (RFC 5246 appendix E.2). It is not a handshake
 * message: tnt_sslv2_client_hello_decode() reads it from the record bytes. */
typedef struct tnt_sslv2_client_hello {
    tnt_uint msg_type; /* 1 */
    tnt_uint version;
    uint32_t n_specs;
    tnt_uint *specs; /* 3-byte cipher specs; values <= 0xFFFF are TLS suites */
    tnt_bytes session_id;
    tnt_bytes challenge;
} tnt_sslv2_client_hello;

typedef struct tnt_server_hello {
    tnt_uint version;
    tnt_bytes random;
    tnt_bytes session_id;
    tnt_uint suite;
    tnt_uint compression;
    bool has_extensions;
    tnt_extensions ext;
    bool is_hello_retry_request; /* TLS 1.3 HRR magic random */
} tnt_server_hello;

typedef struct tnt_cert_entry {
    tnt_bytes der;
} tnt_cert_entry;

typedef struct tnt_certificate {
    uint32_t n_certs;
    tnt_cert_entry *certs;
    tnt_span list_at;
    tnt_span list_whole; /* with its length prefix */
} tnt_certificate;

typedef enum tnt_ske_kind {
    TNT_SKE_UNKNOWN = 0, /* suite unknown: body kept as bytes */
    TNT_SKE_RSA,         /* RSA_EXPORT ephemeral key */
    TNT_SKE_DHE,
    TNT_SKE_ECDHE,
    TNT_SKE_PSK_HINT, /* plain PSK: only identity_hint */
} tnt_ske_kind;

/* A signature as in ServerKeyExchange and CertificateVerify. */
typedef struct tnt_digitally_signed {
    bool has_algorithm; /* TLS 1.2 only */
    tnt_uint hash;      /* SignatureAndHashAlgorithm.hash */
    tnt_uint sig;       /* SignatureAndHashAlgorithm.signature */
    tnt_uint scheme;    /* both bytes as one uint16 (same span as hash+sig) */
    tnt_bytes signature;
} tnt_digitally_signed;

typedef struct tnt_server_key_exchange {
    tnt_ske_kind kind;
    tnt_bytes psk_identity_hint; /* *_PSK suites */
    /* DHE */
    tnt_bytes dh_p, dh_g, dh_ys;
    /* ECDHE (named_curve only; explicit curves are kept as raw) */
    tnt_uint curve_type;
    tnt_uint named_curve;
    tnt_bytes ec_point;
    /* RSA_EXPORT */
    tnt_bytes rsa_modulus, rsa_exponent;
    bool signed_params; /* false for anonymous and PSK suites */
    tnt_digitally_signed sig;
    tnt_bytes raw; /* whole body, always set */
} tnt_server_key_exchange;

typedef struct tnt_certificate_request {
    uint32_t n_cert_types;
    tnt_uint *cert_types;
    bool has_sig_algs; /* TLS 1.2 */
    uint32_t n_sig_algs;
    tnt_uint *sig_algs;
    uint32_t n_cas;
    tnt_bytes *cas; /* DER DistinguishedNames */
} tnt_certificate_request;

typedef enum tnt_cke_kind {
    TNT_CKE_UNKNOWN = 0,
    TNT_CKE_RSA,  /* EncryptedPreMasterSecret */
    TNT_CKE_DH,   /* dh_Yc (empty when implicit) */
    TNT_CKE_ECDH, /* ecdh_Yc */
    TNT_CKE_PSK,  /* psk_identity (+ the kx part for DHE/ECDHE/RSA_PSK) */
} tnt_cke_kind;

typedef struct tnt_client_key_exchange {
    tnt_cke_kind kind;
    tnt_bytes psk_identity;
    /* RSA: SSL 3.0 omits the 2-byte length; has_length says which form. */
    bool rsa_has_length;
    tnt_bytes encrypted_pms;
    tnt_bytes dh_yc;
    tnt_bytes ecdh_point;
    tnt_bytes raw;
} tnt_client_key_exchange;

typedef struct tnt_certificate_verify {
    tnt_digitally_signed sig;
} tnt_certificate_verify;

typedef struct tnt_finished {
    tnt_bytes verify_data; /* 12 bytes in TLS; 36 in SSL 3.0 */
} tnt_finished;

typedef struct tnt_new_session_ticket {
    tnt_uint lifetime_hint;
    tnt_bytes ticket;
} tnt_new_session_ticket;

typedef struct tnt_certificate_status {
    tnt_uint status_type; /* 1 = ocsp */
    tnt_bytes response;   /* DER OCSPResponse */
} tnt_certificate_status;

/* What decoding a message needs to know about its connection. */
typedef struct tnt_hs_ctx {
    uint16_t version;         /* negotiated (ServerHello); 0 while unknown */
    uint16_t suite;           /* negotiated suite; 0 while unknown */
    bool from_server;         /* sender: some messages differ by direction */
    const tnt_codepoints *cp; /* the connection's TNT codepoints; NULL: the defaults */
} tnt_hs_ctx;

typedef struct tnt_hs_msg {
    uint8_t type;
    uint32_t length;    /* body length from the header */
    const uint8_t *raw; /* header + body */
    uint32_t raw_len;
    tnt_uint type_f; /* the header fields, for front ends */
    tnt_uint length_f;
    tnt_span body_at;
    bool decoded;  /* body understood (false: unknown type or error) */
    tnt_error err; /* set when decoding failed */
    union {
        tnt_client_hello client_hello;
        tnt_server_hello server_hello;
        tnt_certificate certificate;
        tnt_server_key_exchange ske;
        tnt_certificate_request cert_request;
        tnt_client_key_exchange cke;
        tnt_certificate_verify cert_verify;
        tnt_finished finished;
        tnt_new_session_ticket ticket;
        tnt_certificate_status cert_status;
        tnt_negotiation tnt_negotiation; /* TNT codepoint hs_negotiation */
        tnt_proof tnt_proof;             /* TNT codepoint hs_proof */
    } u;
} tnt_hs_msg;

/* Decodes one handshake message (header and body, exactly raw_len bytes).
 * Returns false on a decode error: msg->err says where and what; the header
 * fields are still filled when the header itself was present. Unknown types
 * return true with decoded == false. */
bool tnt_hs_decode(const uint8_t *raw, uint32_t raw_len, const tnt_hs_ctx *ctx, tnt_arena *arena,
                   tnt_hs_msg *msg);

/* Decodes a handshake message again, later, from its bytes and the context
 * its message event gave (tnt_message_event.ctx): Wireshark revisits packets
 * in any order. The result and its lists come from mem (NULL: returns NULL);
 * byte strings point into raw, which the caller keeps. NULL when mem gives no
 * memory; otherwise ->decoded and ->err say how decoding went. */
tnt_hs_msg *tnt_hs_decode_kept(const uint8_t *raw, uint32_t raw_len, const tnt_hs_ctx *ctx,
                               const tnt_allocator *mem);

/* Per-message decoders (body cursor: origin = message start). */
bool tnt_client_hello_decode(tnt_cursor *body, const tnt_codepoints *cp, tnt_arena *a,
                             tnt_client_hello *out, tnt_error *err);
bool tnt_server_hello_decode(tnt_cursor *body, const tnt_codepoints *cp, tnt_arena *a,
                             tnt_server_hello *out, tnt_error *err);
bool tnt_certificate_decode(tnt_cursor *body, tnt_arena *a, tnt_certificate *out, tnt_error *err);
bool tnt_server_key_exchange_decode(tnt_cursor *body, const tnt_hs_ctx *ctx, tnt_arena *a,
                                    tnt_server_key_exchange *out, tnt_error *err);
bool tnt_certificate_request_decode(tnt_cursor *body, const tnt_hs_ctx *ctx, tnt_arena *a,
                                    tnt_certificate_request *out, tnt_error *err);
bool tnt_client_key_exchange_decode(tnt_cursor *body, const tnt_hs_ctx *ctx,
                                    tnt_client_key_exchange *out, tnt_error *err);
bool tnt_certificate_verify_decode(tnt_cursor *body, const tnt_hs_ctx *ctx,
                                   tnt_certificate_verify *out, tnt_error *err);
bool tnt_finished_decode(tnt_cursor *body, tnt_finished *out, tnt_error *err);
bool tnt_new_session_ticket_decode(tnt_cursor *body, tnt_new_session_ticket *out, tnt_error *err);
bool tnt_certificate_status_decode(tnt_cursor *body, tnt_certificate_status *out, tnt_error *err);
/* Reads SignatureAndHashAlgorithm (when version is TLS 1.2) and the signature. */
bool tnt_digitally_signed_decode(tnt_cursor *c, uint16_t version, tnt_digitally_signed *out,
                                 tnt_error *err);
/* SSLv2 ClientHello from the record bytes (2-byte header first). */
bool tnt_sslv2_client_hello_decode(const uint8_t *rec, uint32_t len, tnt_arena *a,
                                   tnt_sslv2_client_hello *out, tnt_error *err);

#endif
