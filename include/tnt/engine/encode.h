/* Encoders for the TLS 1.0-1.2 and TNT messages that lib/ decodes.
 *
 * They let the reference peer and the test tools build messages from the same
 * definitions the decoders read, so that a change to the wire format shows up
 * on both sides at once. Each encoder appends to a tnt_builder; the handshake
 * message encoders write the whole message, 4-byte header included, which is
 * what tnt_hs_decode() takes and what the Finished transcript hashes.
 *
 * Inputs are plain "spec" structs: values and (pointer, count) arrays that the
 * caller owns; nothing is copied or kept after the call. They are not the
 * decoder's output structs, which carry spans and arena lists.
 *
 * Encoders enforce what the wire can express - integer widths, the maximum of
 * every length prefix, a version whose layout is known where the layout
 * depends on it - and nothing more. Lower bounds (non-empty lists, a 32-byte
 * session_id limit, TNT version 1) are the caller's business, so test tools
 * can build the malformed messages that decoders must reject. Every error is
 * the builder's sticky error (tnt_bld_error()); an encoder returns false
 * exactly when the builder is in error after it. */
#ifndef TNT_ENCODE_H
#define TNT_ENCODE_H

#include "tnt/engine/builder.h"
#include "tnt/extensions.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A byte string the caller owns (p may be NULL when len == 0). */
typedef struct tnt_blob {
    const uint8_t *p;
    size_t len;
} tnt_blob;

/* For initializers: TNT_BLOB_STR("GET /records/4711") (no terminating NUL). */
#define TNT_BLOB_STR(s)                                                                            \
    {                                                                                              \
        (const uint8_t *)(s), sizeof(s) - 1                                                        \
    }

static inline tnt_blob tnt_blob_of(const void *p, size_t len)
{
    tnt_blob b = {(const uint8_t *)p, len};
    return b;
}
static inline tnt_blob tnt_blob_str(const char *s)
{
    return tnt_blob_of(s, strlen(s));
}

/* Arrays of values, in wire order. */
typedef struct tnt_u8s {
    const uint8_t *v;
    size_t n;
} tnt_u8s;
typedef struct tnt_u16s {
    const uint16_t *v;
    size_t n;
} tnt_u16s;
typedef struct tnt_blobs {
    const tnt_blob *v;
    size_t n;
} tnt_blobs;

/* ---- Handshake framing (encode_messages.c) ---- */

/* Writes msg_type and opens the u24 length; tnt_bld_close() ends the message.
 * For message bodies that no encoder here writes. */
bool tnt_enc_hs_open(tnt_builder *b, uint8_t type);
/* A handshake message with the given body bytes. */
bool tnt_enc_handshake(tnt_builder *b, uint8_t type, tnt_blob body);

/* ---- Hello extensions (encode_extensions.c) ---- */

/* One extension. kind picks the layout and the ExtensionType (the registered
 * one, or the builder's codepoints' ext_type for TNT_EXTK_TNT); TNT_EXTK_UNKNOWN
 * writes `type` with u.raw as the body, verbatim. The forms that differ by
 * sender are chosen by the fields, not by the hello they go into. */
typedef struct tnt_ext_spec {
    tnt_ext_kind kind;
    uint16_t type; /* TNT_EXTK_UNKNOWN only */
    union {
        tnt_blob raw;
        /* host_name (0) entries; n == 0 writes the server's empty body. */
        tnt_blobs sni;
        /* empty: the server's empty body; otherwise an ocsp (1) request with
         * these two vector bodies (the ResponderID list and the
         * request_extensions, already encoded; both may be empty). */
        struct {
            bool empty;
            tnt_blob responder_ids;
            tnt_blob extensions;
        } status_request;
        tnt_u16s groups;
        tnt_u8s formats;
        tnt_u16s sig_algs;
        tnt_blobs alpn; /* protocol names */
        size_t padding; /* that many zero bytes */
        uint16_t record_size_limit;
        tnt_blob session_ticket; /* the whole body; may be empty */
        /* is_list: the ClientHello's u8-prefixed list; otherwise the
         * ServerHello's selected_version alone. */
        struct {
            bool is_list;
            tnt_u16s list;
            uint16_t selected;
        } supported_versions;
        tnt_blob renegotiation_info; /* renegotiated_connection; empty initially */
        /* Spec section 2. version is written as given (1 is the one defined);
         * the rest follows the version 1 layout whatever the version. */
        struct {
            uint8_t version;
            uint8_t mode;
            tnt_u8s strategies;
            tnt_u8s languages;
        } tnt;
        /* ENCRYPT_THEN_MAC and EXTENDED_MASTER_SECRET have no fields. */
    } u;
} tnt_ext_spec;

/* extension_type, u16 length, body. An unknown kind is an error. */
bool tnt_enc_extension(tnt_builder *b, const tnt_ext_spec *e);
/* The u16-prefixed extensions block holding n extensions (n == 0: an empty
 * block, which is not the same as no block). */
bool tnt_enc_extensions(tnt_builder *b, const tnt_ext_spec *e, size_t n);

/* ---- Hellos (encode_hello.c) ---- */

typedef struct tnt_client_hello_spec {
    uint16_t version; /* client_version */
    uint8_t random[32];
    tnt_blob session_id;
    tnt_u16s suites;
    tnt_u8s compressions; /* the caller writes {0} for "null" */
    bool has_extensions;  /* false: the hello ends after compressions */
    const tnt_ext_spec *ext;
    size_t n_ext;
} tnt_client_hello_spec;

typedef struct tnt_server_hello_spec {
    uint16_t version;
    uint8_t random[32];
    tnt_blob session_id;
    uint16_t suite;
    uint8_t compression;
    bool has_extensions;
    const tnt_ext_spec *ext;
    size_t n_ext;
} tnt_server_hello_spec;

bool tnt_enc_client_hello(tnt_builder *b, const tnt_client_hello_spec *h);
bool tnt_enc_server_hello(tnt_builder *b, const tnt_server_hello_spec *h);

/* ---- Other TLS handshake messages (encode_messages.c) ----
 *
 * Where the layout depends on the negotiated version (digitally-signed,
 * CertificateRequest, RSA ClientKeyExchange), version must be SSL 3.0 or
 * TLS 1.0-1.2 (0x0300-0x0303); anything else is an error. */

bool tnt_enc_hello_request(tnt_builder *b);
bool tnt_enc_server_hello_done(tnt_builder *b);
/* certificate_list: DER certificates, sender's first. */
bool tnt_enc_certificate(tnt_builder *b, const tnt_blob *certs, size_t n);

/* A digitally-signed value (RFC 5246 4.7): the SignatureAndHashAlgorithm
 * (hash << 8 | signature) only in TLS 1.2, then the u16-prefixed signature. */
typedef struct tnt_sig_spec {
    uint16_t algorithm; /* ignored below TLS 1.2 */
    tnt_blob signature;
} tnt_sig_spec;
bool tnt_enc_digitally_signed(tnt_builder *b, uint16_t version, const tnt_sig_spec *s);

/* ServerECDHParams (RFC 8422 5.4), named_curve form: curve_type 3, the
 * NamedCurve, the u8-prefixed point. Without a header: these are the bytes
 * the ServerKeyExchange signature covers after the two randoms. */
bool tnt_enc_ecdhe_params(tnt_builder *b, uint16_t named_curve, tnt_blob point);

typedef struct tnt_ske_ecdhe_spec {
    uint16_t named_curve;
    tnt_blob point;
    tnt_sig_spec sig;
} tnt_ske_ecdhe_spec;
/* ServerKeyExchange for ECDHE_RSA / ECDHE_ECDSA suites. */
bool tnt_enc_ske_ecdhe(tnt_builder *b, uint16_t version, const tnt_ske_ecdhe_spec *s);

typedef struct tnt_cert_request_spec {
    tnt_u8s cert_types;
    tnt_u16s sig_algs; /* supported_signature_algorithms; TLS 1.2 only, ignored below */
    tnt_blobs cas;     /* DER DistinguishedNames */
} tnt_cert_request_spec;
bool tnt_enc_certificate_request(tnt_builder *b, uint16_t version, const tnt_cert_request_spec *s);

/* RSA ClientKeyExchange: the EncryptedPreMasterSecret, with a u16 length in
 * TLS 1.0-1.2, bare in SSL 3.0. */
bool tnt_enc_cke_rsa(tnt_builder *b, uint16_t version, tnt_blob encrypted_pms);
/* ECDH(E) ClientKeyExchange: the u8-prefixed ecdh_Yc point (explicit form). */
bool tnt_enc_cke_ecdh(tnt_builder *b, tnt_blob point);
bool tnt_enc_certificate_verify(tnt_builder *b, uint16_t version, const tnt_sig_spec *s);
/* verify_data is the whole body: 12 bytes in TLS, 36 in SSL 3.0. */
bool tnt_enc_finished(tnt_builder *b, tnt_blob verify_data);
/* RFC 5077 3.3. */
bool tnt_enc_new_session_ticket(tnt_builder *b, uint32_t lifetime_hint, tnt_blob ticket);

/* ---- TNT handshake messages (encode_tnt.c), types from
 * the builder's codepoints ---- */

typedef struct tnt_policy_spec {
    uint8_t target_kind; /* TNT_TARGET_* */
    tnt_blob target_name;
    uint8_t language; /* TNT_LANG_* */
    tnt_blob expression;
} tnt_policy_spec;

typedef struct tnt_credential_spec {
    tnt_blob type;
    tnt_blobs chain; /* DER, owner's certificate first */
} tnt_credential_spec;

typedef struct tnt_negotiation_spec {
    uint16_t round;
    uint8_t status; /* TNT_STATUS_* */
    const tnt_policy_spec *policies;
    size_t n_policies;
    const tnt_credential_spec *credentials;
    size_t n_credentials;
} tnt_negotiation_spec;

typedef struct tnt_ownership_proof_spec {
    uint16_t credential_index;
    uint16_t algorithm; /* TLS 1.2 only, ignored below */
    tnt_blob signature;
} tnt_ownership_proof_spec;

/* TNTNegotiation (spec section 4). */
bool tnt_enc_tnt_negotiation(tnt_builder *b, const tnt_negotiation_spec *n);
/* TNTProof (spec section 5) with n entries, laid out for the negotiated
 * version (0x0300-0x0303; the algorithm only in TLS 1.2). */
bool tnt_enc_tnt_proof(tnt_builder *b, uint16_t version, const tnt_ownership_proof_spec *p,
                       size_t n);

/* ---- Records (encode_record.c) ---- */

/* One record: type, version, u16 length, body. A body over
 * TNT_MAX_RECORD_BODY is not a TLS record and is an error. */
bool tnt_enc_record(tnt_builder *b, uint8_t type, uint16_t version, const uint8_t *body,
                    size_t len);
/* data cut into consecutive records of at most max_fragment body bytes
 * (1..TNT_MAX_RECORD_BODY; 16384 is the TLSPlaintext limit), all of the same
 * type and version. Handshake messages are a byte stream to the record layer,
 * so this is how a message comes to span records, or a record to hold
 * several. len == 0 writes nothing: TLS forbids empty handshake records. */
bool tnt_enc_records(tnt_builder *b, uint8_t type, uint16_t version, const uint8_t *data,
                     size_t len, size_t max_fragment);
/* A tnt_rp_rng (tnt_rp_set_rng) for explicit CBC IVs: libgcrypt's nonce
 * generator (IVs must be unpredictable, not secret). ctx is unused. */
void tnt_enc_record_iv(void *ctx, uint8_t *buf, size_t len);

#endif
