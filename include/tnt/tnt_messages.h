/* The TNT wire structures: the `tnt` hello extension's modes and the two TNT
 * handshake messages, TNTNegotiation and TNTProof (spec sections 2, 4, 5). */
#ifndef TNT_TNT_MESSAGES_H
#define TNT_TNT_MESSAGES_H

#include "tnt/arena.h"
#include "tnt/cursor.h"
#include "tnt/error.h"

#include <stdbool.h>
#include <stdint.h>

enum { TNT_MODE_OFFER = 0, TNT_MODE_NEGOTIATE = 1, TNT_MODE_RESUME = 2 };
enum { TNT_STRATEGY_EAGER = 1, TNT_STRATEGY_PARSIMONIOUS = 2 };
enum { TNT_LANG_DN_EXPRESSION = 1, TNT_LANG_XML_POLICY = 2 };
enum { TNT_STATUS_CONTINUE = 0, TNT_STATUS_SUCCESS = 1, TNT_STATUS_FAILURE = 2 };
enum { TNT_TARGET_RESOURCE = 0, TNT_TARGET_CREDENTIAL = 1 };

typedef struct tnt_policy {
    tnt_uint target_kind;
    tnt_bytes target_name; /* UTF-8 */
    tnt_uint language;
    tnt_bytes expression;
    tnt_span at; /* the whole TNTPolicy */
} tnt_policy;

typedef struct tnt_credential {
    tnt_bytes type;       /* UTF-8 */
    tnt_span chain_at;    /* vector body */
    tnt_span chain_whole; /* with its length prefix */
    uint32_t n_certs;
    tnt_bytes *certs; /* DER, owner's certificate first */
    tnt_span at;
} tnt_credential;

typedef struct tnt_negotiation {
    tnt_uint round;
    tnt_uint status;
    tnt_span policies_at; /* vector body; *_whole: with the length prefix */
    tnt_span policies_whole;
    uint32_t n_policies;
    tnt_policy *policies;
    tnt_span credentials_at;
    tnt_span credentials_whole;
    uint32_t n_credentials;
    tnt_credential *credentials;
} tnt_negotiation;

typedef struct tnt_ownership_proof {
    tnt_uint credential_index;
    bool has_algorithm; /* TLS 1.2 */
    tnt_uint algorithm; /* SignatureAndHashAlgorithm as one uint16 */
    tnt_bytes signature;
    tnt_span at;
} tnt_ownership_proof;

typedef struct tnt_proof {
    tnt_span proofs_at;
    tnt_span proofs_whole;
    uint32_t n_proofs;
    tnt_ownership_proof *proofs;
} tnt_proof;

/* Body decoders; body is a cursor over the message body whose origin is the
 * message start. version is the negotiated version (the TNTProof layout
 * depends on it; 0 = unknown, decoded as TLS 1.2 if it fits, else as 1.0). */
bool tnt_negotiation_decode(tnt_cursor *body, tnt_arena *a, tnt_negotiation *out, tnt_error *err);
bool tnt_proof_decode(tnt_cursor *body, uint16_t version, tnt_arena *a, tnt_proof *out,
                      tnt_error *err);
/* The `tnt` extension body. */
struct tnt_tnt_ext;
bool tnt_ext_decode(tnt_cursor *body, tnt_arena *a, struct tnt_tnt_ext *out, tnt_error *err);

const char *tnt_mode_name(uint32_t m);
const char *tnt_strategy_name(uint32_t s);
const char *tnt_language_name(uint32_t l);
const char *tnt_status_name(uint32_t s);
const char *tnt_target_kind_name(uint32_t k);

#endif
