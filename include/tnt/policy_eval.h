/* Evaluating a `dn_expression` policy against what the other party disclosed
 * in this handshake (spec section 6), with explanations.
 *
 * cred("T", c...) holds when a disclosed credential of type T, with a valid
 * ownership proof, has a first certificate whose issuer/subject DN has, for
 * every constraint, that attribute with exactly that value (decoded UTF-8,
 * any occurrence). On top of the DN check, each `issuer` constraint needs the
 * chain to verify up to an anchor configured for that issuer
 * (chain_verify.h):
 * - TNT_POLICY_PEER: anchors are required; without a valid chain to such an
 *   anchor the constraint is not met.
 * - TNT_POLICY_DECODER: when anchors for the issuer were given (the user's
 *   --trust-anchor files) the chain must verify to one of them; otherwise the
 *   issuer is judged on the DN alone and the result says so
 *   (TNT_VERDICT_UNVERIFIED).
 *
 * Credentials whose proof is invalid or missing count as undisclosed (spec
 * section 3). A proof that could not be checked makes the decoder unable to
 * say (TNT_VERDICT_UNDETERMINED) where that credential would decide.
 *
 * Verdicts are ordered NOT_SATISFIED < UNDETERMINED < UNVERIFIED < SATISFIED;
 * `and` takes the lowest of its operands, `or` the highest (so a definite
 * answer on one side wins over doubt on the other). For policies whose
 * credentials all have checked proofs and, in peer mode, this agrees with
 * tnt_dn_eval(). Every cred() is evaluated (no short-circuit), so each one
 * gets its own outcome. */
#ifndef TNT_POLICY_EVAL_H
#define TNT_POLICY_EVAL_H

#include "tnt/arena.h"
#include "tnt/chain_verify.h"
#include "tnt/dn_expression.h"
#include "tnt/proof_verify.h"
#include "tnt/tnt_messages.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum tnt_verdict {
    TNT_VERDICT_NOT_SATISFIED = 0,
    TNT_VERDICT_UNDETERMINED = 1, /* hinges on a proof that was not checked */
    TNT_VERDICT_UNVERIFIED = 2,   /* satisfied if the issuer DNs relied on are honest */
    TNT_VERDICT_SATISFIED = 3,
} tnt_verdict;

/* One credential the other party disclosed in this handshake. */
typedef struct tnt_disclosed {
    const tnt_credential *cred; /* as decoded from its TNTNegotiation */
    tnt_proof_result proof;
    uint32_t round; /* of the TNTNegotiation that carried it */
} tnt_disclosed;

typedef enum tnt_policy_mode {
    TNT_POLICY_DECODER,
    TNT_POLICY_PEER,
} tnt_policy_mode;

typedef struct tnt_policy_ctx {
    tnt_policy_mode mode;
    const tnt_anchor_set *anchors; /* NULL: none */
    int64_t at;                    /* chain verification time, 0 = now */
    uint32_t up_to_round;          /* only credentials of rounds <= this count; 0 = all */
    struct tnt_cert_cache *certs;  /* parsed certificates (tnt/x509.h); may be NULL */
} tnt_policy_ctx;

/* The outcome of one cred() of the policy. */
typedef struct tnt_cred_outcome {
    const tnt_dn_node *node; /* the cred() leaf */
    tnt_verdict verdict;
    /* The disclosed credential (index into the list given) that gave the
     * verdict: the first one reaching it when it is above NOT_SATISFIED, the
     * one that came closest otherwise; -1 when no credential of the type
     * counted. */
    int32_t by;
    /* Chain validation of `by` when issuer constraints needed it, else
     * NOT_VALIDATED with a NULL reason. */
    tnt_chain_result chain;
    /* One line: why not satisfied, why undetermined, or what is unverified;
     * NULL when SATISFIED. */
    const char *reason;
} tnt_cred_outcome;

typedef struct tnt_policy_result {
    tnt_verdict verdict;
    const char *reason; /* one line for the whole policy; NULL when SATISFIED */
    bool malformed;     /* the policy tree was NULL */
    uint32_t n_creds;   /* every cred() of the policy, in source order */
    tnt_cred_outcome *creds;
} tnt_policy_result;

/* Evaluates policy (NULL = malformed: never satisfied) against the n
 * credentials d, in disclosure order. Everything returned lives in a.
 * Returns false only when memory runs out. */
bool tnt_policy_eval(const tnt_dn_node *policy, const tnt_disclosed *d, uint32_t n,
                     const tnt_policy_ctx *ctx, tnt_arena *a, tnt_policy_result *out);

/* True when credential index i (into d) decided a cred() of r with a
 * verdict above NOT_SATISFIED: "this disclosure satisfied that policy". */
bool tnt_policy_used(const tnt_policy_result *r, uint32_t i);

/* "not satisfied", "undetermined", "satisfied (issuer unverified)", "satisfied". */
const char *tnt_verdict_name(tnt_verdict v);

#endif
