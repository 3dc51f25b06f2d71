/* Validating a TNT credential's certificate chain against trust anchors
 * (spec section 6).
 *
 * An `issuer` constraint of a cred() is only a claim about a DN until the
 * chain verifies up to a trust anchor that is configured *for that issuer*.
 * Anchors are therefore kept in a set where each one carries the issuer
 * identity it vouches for:
 * - explicitly (a peer's configuration: "this PEM is the State Medical
 *   Board", i.e. keys {O="State Medical Board"}), or
 * - by its own subject DN (a decoder given --trust-anchor files: the anchor
 *   vouches for whatever attributes its subject has).
 * An anchor is configured for a cred() when, for every issuer constraint of
 * that cred(), its identity has that attribute with exactly that value
 * (decoded UTF-8, any occurrence, as for the DN constraints themselves).
 * Consequence worth knowing: with intermediate CAs, an issuer.CN constraint
 * names the intermediate while the anchor is the root, so a by-subject root
 * only qualifies for issuer.CN if it has that CN too; configure explicit keys
 * for such cases.
 *
 * All chain and signature work is GnuTLS's (gnutls_x509_trust_list_verify_crt2).
 * Everything returned lives in the caller's arena; no GnuTLS object outlives
 * a call, so nothing needs to be freed but the arena. */
#ifndef TNT_CHAIN_VERIFY_H
#define TNT_CHAIN_VERIFY_H

#include "tnt/arena.h"
#include "tnt/cursor.h"
#include "tnt/dn_expression.h"
#include "tnt/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Chains longer than this are refused without asking GnuTLS (its own default
 * maximum verification depth is 16 as well). */
#define TNT_CHAIN_MAX_CERTS 16

/* One attribute of an issuer identity, e.g. {TNT_DN_ATTR_O, "State Medical Board"}. */
typedef struct tnt_anchor_key {
    tnt_dn_attr attr;
    const char *value; /* UTF-8, NUL-terminated */
} tnt_anchor_key;

typedef struct tnt_anchor {
    const uint8_t *der; /* arena copy of the certificate */
    uint32_t len;
    const char *subject; /* RFC 4514 */
    const char *source;  /* file name or caller's label */
    uint32_t n_keys;     /* 0: keyed by its own subject DN */
    tnt_anchor_key *keys;
} tnt_anchor;

typedef struct tnt_anchor_set {
    tnt_arena *a; /* where anchors and their copies live */
    uint32_t n, cap;
    tnt_anchor *v;
} tnt_anchor_set;

void tnt_anchors_init(tnt_anchor_set *s, tnt_arena *a);

/* Adds one DER certificate. keys/n_keys: the issuer identity it is configured
 * for; n_keys == 0 keys it by its subject DN. Key values are copied. */
bool tnt_anchors_add_der(tnt_anchor_set *s, const uint8_t *der, size_t len, const char *source,
                         const tnt_anchor_key *keys, uint32_t n_keys, tnt_error *err);

/* Adds every certificate of a buffer (a file's contents): PEM (one or more
 * CERTIFICATE blocks) or a single DER certificate. name is each anchor's
 * source. err->off is 0 (the buffer as a whole). (Reading a file:
 * tnt/load.h.) */
bool tnt_anchors_add_buffer(tnt_anchor_set *s, const char *name, const uint8_t *data, size_t len,
                            const tnt_anchor_key *keys, uint32_t n_keys, tnt_error *err);

/* Parses "ATTR=value" (ATTR one of CN O OU C ST L, case-sensitive as in
 * dn_expression; the value is everything after the first '=', taken
 * literally) for command lines and configuration files. The key points into
 * text. */
bool tnt_anchor_key_parse(const char *text, tnt_anchor_key *out);

/* True when anchor x is configured for every issuer constraint among cs
 * (subject constraints are ignored; no issuer constraint at all gives true).
 * a holds the DN values looked up for a by-subject anchor. */
bool tnt_anchor_serves(const tnt_anchor *x, const tnt_dn_constraint *cs, uint32_t n_cs,
                       tnt_arena *a);

/* The anchors of s configured for the issuer constraints cs, as an arena
 * array of pointers; returns how many (0 with *out == NULL when none). */
uint32_t tnt_anchors_for_issuer(const tnt_anchor_set *s, const tnt_dn_constraint *cs, uint32_t n_cs,
                                tnt_arena *a, const tnt_anchor ***out);

typedef enum tnt_chain_status {
    TNT_CHAIN_NOT_VALIDATED, /* no anchor to validate against */
    TNT_CHAIN_VALID,
    TNT_CHAIN_INVALID,
} tnt_chain_status;

typedef struct tnt_chain_result {
    tnt_chain_status status;
    /* gnutls_certificate_status_t bits (0 when VALID, NOT_VALIDATED, or when
     * INVALID for a reason found before GnuTLS, e.g. a certificate that does
     * not parse). */
    unsigned gnutls_status;
    /* One line, arena. INVALID: gnutls_certificate_verification_status_print()
     * text or our own; NOT_VALIDATED: why; VALID: NULL. */
    const char *reason;
    /* VALID: the anchor the chain verified to. */
    const tnt_anchor *anchor;
} tnt_chain_result;

/* Verifies a chain (DER, owner's certificate first; GnuTLS tolerates the
 * rest unsorted) against the given anchors, with the usual GnuTLS checks
 * (signatures, CA basic constraints, key usage for signing, path length,
 * broken algorithms refused).
 *
 * at: the verification time in seconds since the epoch, or 0 for now. With a
 * fixed time the activation/expiration checks are done here, against at, for
 * every certificate given and for the anchor reached (GnuTLS only knows the
 * current time), and reported with GnuTLS's own status bits
 * (GNUTLS_CERT_EXPIRED, GNUTLS_CERT_NOT_ACTIVATED).
 *
 * n_anchors == 0 gives NOT_VALIDATED. Returns false only when memory runs
 * out; every verdict about the chain is in *out. */
bool tnt_chain_verify(const tnt_anchor *const *anchors, uint32_t n_anchors, const tnt_bytes *certs,
                      uint32_t n_certs, int64_t at, tnt_arena *a, tnt_chain_result *out);

/* The same against every anchor of s (s may be NULL). */
bool tnt_chain_verify_set(const tnt_anchor_set *s, const tnt_bytes *certs, uint32_t n_certs,
                          int64_t at, tnt_arena *a, tnt_chain_result *out);

/* tnt_chain_verify through a certificate cache (tnt/x509.h): the result is
 * kept with the first certificate, per anchor list (by identity), rest of
 * the chain and at. cc NULL: tnt_chain_verify. */
struct tnt_cert_cache;
bool tnt_chain_verify_cached(struct tnt_cert_cache *cc, const tnt_anchor *const *anchors,
                             uint32_t n_anchors, const tnt_bytes *certs, uint32_t n_certs,
                             int64_t at, tnt_arena *a, tnt_chain_result *out);

const char *tnt_chain_status_name(tnt_chain_status s); /* "not validated", "valid", "invalid" */

#endif
