/* The trust negotiation engine of tntpeer (spec sections 2, 3 and 6),
 * independent of sockets and TLS.
 *
 * The caller decodes each TNTNegotiation of the other side and checks its
 * TNTProof (proof_verify.h), hands both to tnt_negotiator_receive(), and gets
 * back the content of its own next round, which it encodes
 * (tnt_negotiator_round_spec() + tnt_enc_tnt_negotiation()) and proves with
 * the keys of the credentials disclosed. The server begins with
 * tnt_negotiator_start().
 *
 * Rules applied (spec section 3):
 * - Rounds alternate, the server sends the odd ones; a received round with
 *   the wrong number, or `success` from the client, is an ordering error
 *   (state TNT_NEG_ERROR: the caller sends a fatal unexpected_message).
 * - Resource policies go out only in the server's round 1 (every policy of
 *   the configuration for the requested resource: they add up). A resource
 *   policy received elsewhere is ignored, with a log line. A round 1 without
 *   one is an error.
 * - A credential is disclosed only when its own policy is SATISFIED by what
 *   the other side disclosed in this handshake with a valid proof; issuer
 *   constraints need the chain to verify to an anchor configured for that
 *   issuer (policy_eval.h, TNT_POLICY_PEER). A credential whose proof is not
 *   TNT_PROOF_VALID counts as undisclosed. It is disclosed at most once.
 * - Only the server sends `success`: every policy of its resource holds.
 *   A success round carries nothing else (after round 1).
 * - A round with nothing new (no credential and no policy not sent before)
 *   is `failure`, never an empty `continue`. A `continue` that would reach
 *   the round limit becomes `failure` and carries nothing.
 * - Policies sent are never `false` ones (they only say "never", and reveal
 *   that the credential exists) and never `true` ones (a free credential is
 *   disclosed instead).
 *
 * Strategies (spec section 2):
 * - eager: discloses every credential whose policy holds, as soon as it
 *   holds; sends the policy of every other credential of its own, once.
 * - parsimonious: a credential of type T is "asked for" when T is named in a
 *   cred() of an outstanding policy of the other side: its resource policy
 *   (client), or its policy for a credential type that one of my own
 *   unsatisfied policies names (the server's resource policy, or a policy I
 *   sent for a credential still locked). Outstanding = not yet satisfied by
 *   what I disclosed, judged on DN constraints alone (I do not know the
 *   other side's anchors). Asked-for credentials are disclosed when their
 *   policy holds; otherwise their policy is sent, once.
 *
 * Every round carries log lines: what was received and whether it counts,
 * what is disclosed and which policy each disclosure satisfies, which of the
 * other side's disclosures satisfied the policy that released it, and why
 * the negotiation stopped. */
#ifndef TNT_PEER_NEGOTIATOR_H
#define TNT_PEER_NEGOTIATOR_H

#include "tnt/arena.h"
#include "config.h"
#include "tnt/engine/encode.h"
#include "tnt/policy_eval.h"
#include "tnt/proof_verify.h"
#include "tnt/tnt_messages.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum tnt_neg_role {
    TNT_NEG_CLIENT,
    TNT_NEG_SERVER,
} tnt_neg_role;

typedef enum tnt_neg_state {
    TNT_NEG_READY,   /* nothing sent or received yet */
    TNT_NEG_WAITING, /* my last round was `continue`: the other side's turn */
    TNT_NEG_SUCCESS, /* server: sent success; client: received it */
    TNT_NEG_FAILURE, /* either side sent failure */
    TNT_NEG_ERROR,   /* ordering error by the other side, or misuse (see log) */
} tnt_neg_state;

/* A policy of mine to send. */
typedef struct tnt_neg_policy {
    uint8_t target_kind;    /* TNT_TARGET_RESOURCE or TNT_TARGET_CREDENTIAL */
    const char *target;     /* resource name or credential type */
    uint8_t language;       /* TNT_LANG_DN_EXPRESSION */
    const char *expression; /* canonical text */
} tnt_neg_policy;

/* What to send next. Everything points into the negotiator and stays valid
 * until its next start/receive/free. */
typedef struct tnt_neg_round {
    bool send; /* false: send nothing (the negotiation ended, or an error) */
    uint16_t round;
    uint8_t status; /* TNT_STATUS_* */
    uint32_t n_policies;
    const tnt_neg_policy *policies;
    /* Credentials to disclose, as indices into cfg->creds, in wire order:
     * the TNTProof credential_index of creds[i] is i. */
    uint32_t n_creds;
    const uint32_t *creds;
    uint32_t n_log;
    const char *const *log; /* one line each, no newline */
} tnt_neg_round;

/* One of the other side's policies, as received. */
typedef struct tnt_neg_their_policy {
    uint8_t target_kind;
    const char *target; /* NUL-terminated copy */
    uint32_t language;
    const char *expression;  /* NUL-terminated copy (raw bytes) */
    const tnt_dn_node *tree; /* NULL: malformed or not dn_expression */
    uint16_t round;
    bool ignored; /* a resource policy outside the server's round 1, or another target */
} tnt_neg_their_policy;

/* The engine. Fields are for reading (tests, diagnostics); change them only
 * through the functions below. */
typedef struct tnt_negotiator {
    tnt_neg_role role;
    const tnt_peer_config *cfg;
    tnt_policy_ctx ctx; /* TNT_POLICY_PEER with cfg->anchors; ctx.certs: see below */
    tnt_neg_state state;
    uint16_t next_round; /* the round number expected next, in or out */
    const char *target;  /* the resource negotiated, once known */
    /* Mine: per credential of cfg, the round that disclosed it (0: not
     * yet) and whether its policy was sent. */
    uint16_t *disclosed_in;
    bool *policy_sent;
    /* Theirs. */
    uint32_t n_policies, cap_policies;
    tnt_neg_their_policy *policies;
    uint32_t n_disclosed, cap_disclosed;
    tnt_disclosed *disclosed; /* every credential received, valid proof or not */
    tnt_arena a;              /* lives as long as the negotiator */
    tnt_arena scratch;        /* the last round returned and its evaluations */
    /* The log being built for the next round. */
    uint32_t n_log, cap_log;
    const char **log;
} tnt_negotiator;

/* Sets up an engine for one handshake. cfg (and its anchors) must outlive
 * it. at: chain verification time (seconds since the epoch, 0 = now). */
bool tnt_negotiator_init(tnt_negotiator *n, tnt_neg_role role, const tnt_peer_config *cfg,
                         int64_t at);
void tnt_negotiator_free(tnt_negotiator *n);
/* Parsed certificates for its policy evaluations and log lines (NULL: none,
 * the default). The engine re-evaluates policies against the same
 * certificates every round, so a cache shared by the negotiations of one
 * thread spares most X.509 parsing; results are the same without it. The
 * cache must outlive the engine's use. */
void tnt_negotiator_use_certs(tnt_negotiator *n, struct tnt_cert_cache *cc);

/* Server: round 1 for the requested resource ("METHOD path"). A resource
 * without a policy in the configuration, a second start, or a client makes
 * TNT_NEG_ERROR and returns false; memory exhaustion also returns false. */
bool tnt_negotiator_start(tnt_negotiator *n, const char *resource, tnt_neg_round *out);

/* The other side's round, as decoded, with one proof result per credential
 * of msg (proofs may be NULL: no TNTProof, every credential is missing its
 * proof). Fills out with my reply (out->send false when the negotiation ended
 * with their round or on error). msg is copied: it may be freed afterwards.
 * Returns false only when memory runs out. */
bool tnt_negotiator_receive(tnt_negotiator *n, const tnt_negotiation *msg,
                            const tnt_proof_result *proofs, tnt_neg_round *out);

/* The round as the encoder takes it (tnt_enc_tnt_negotiation()); the arrays
 * live in a. */
bool tnt_negotiator_round_spec(const tnt_negotiator *n, const tnt_neg_round *r, tnt_arena *a,
                               tnt_negotiation_spec *out);

const char *tnt_neg_state_name(tnt_neg_state s); /* "ready", "waiting", "success", ... */

#endif
