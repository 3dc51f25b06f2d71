/* The TNT layer of tntpeer: the `tnt` hello extension, the negotiation
 * (negotiator.h) and the ownership proofs, plugged into the TLS engine's
 * hooks (tls_engine.h). One tnt_party per connection.
 *
 * What it decides (spec sections 2, 3, 5 and 7):
 * - Client hellos: `offer` in an initial handshake, `resume` when it offers
 *   a session whose trust TNT established, `negotiate` in every rehandshake
 *   with a server that spoke TNT (that is why a TNT server asks for one).
 * - Server hellos: the answer is chosen from what the client offered; the
 *   server answers `negotiate` only when it knows the resource to negotiate
 *   for (tnt_party_set_resource(), from the request), `resume` only when it
 *   resumes a session of its trust cache. Anything it will not do in this
 *   handshake, it answers with `offer` (initial) or no extension.
 * - Rounds go out as the negotiator says; each credential-disclosing
 *   TNTNegotiation is followed in the same flight by a TNTProof signed over
 *   the transcript up to that TNTNegotiation.
 * - Received proofs are checked (proof_verify.h) before the negotiator
 *   sees the round; a TNTNegotiation that discloses credentials is held
 *   until its TNTProof comes, or until it is clear that none will (the
 *   next message is something else, or nothing arrives in proof_wait_ms).
 * - Ordering errors (wrong round, `success` from a client, TNT without
 *   `negotiate`, a TNTProof after nothing) end the handshake with a fatal
 *   unexpected_message; a server whose negotiation failed either completes
 *   the handshake without trust or sends access_denied (deny_on_failure).
 * - Trust established (server `success`, both Finished) is kept with the
 *   session: the server puts it in its trust cache, the client remembers
 *   the target, and a resumption that both sides mark `resume` carries it.
 *
 * Fault injection (faults, TNT_FAULT_*) deliberately breaks the rules, once,
 * so that samples can show each violation of spec section 8. */
#ifndef TNT_PEER_TNT_PARTY_H
#define TNT_PEER_TNT_PARTY_H

#include "config.h"
#include "negotiator.h"
#include "tls_engine.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
    /* Client: `negotiate` in the initial ClientHello. Server: negotiate in
     * an initial handshake, for its first configured resource. */
    TNT_FAULT_IN_CLEAR = 1 << 0,
    /* The first credential-disclosing round goes without its TNTProof. */
    TNT_FAULT_NO_PROOF = 1 << 1,
    /* The first proof sent has one bit of its signature flipped. */
    TNT_FAULT_BAD_PROOF = 1 << 2,
    /* The first round sent carries the next round's number. */
    TNT_FAULT_ROUND_ORDER = 1 << 3,
    /* Client: its first credential-disclosing round (else its first round)
     * says `success` instead of `continue`. */
    TNT_FAULT_CLIENT_SUCCESS = 1 << 4,
};

/* Server: which sessions hold trust, and for what (spec section 7). Shared
 * by the connections of one server process. */
typedef struct tnt_trust_entry {
    uint8_t id[TLS_SESSION_ID_MAX];
    size_t id_len;
    char *target;
} tnt_trust_entry;

typedef struct tnt_trust_cache {
    size_t n, cap;
    tnt_trust_entry *v;
} tnt_trust_cache;

void tnt_trust_cache_put(tnt_trust_cache *tc, const uint8_t *id, size_t id_len, const char *target);
const char *tnt_trust_cache_get(const tnt_trust_cache *tc, const uint8_t *id, size_t id_len);
void tnt_trust_cache_free(tnt_trust_cache *tc);

typedef struct tnt_party_opts {
    const tnt_peer_config *cfg; /* NULL: this side does not speak TNT */
    bool deny_on_failure;       /* server: access_denied instead of completing */
    unsigned faults;            /* TNT_FAULT_* */
    int proof_wait_ms;          /* 0: 1000 */
    FILE *log;                  /* the diagnostic log (NULL: none) */
    tnt_trust_cache *cache;     /* server */
    /* Parsed certificates shared by the negotiations of this thread (NULL:
     * each parses its own): a server sees the same credentials connection
     * after connection. See tnt_negotiator_use_certs. */
    struct tnt_cert_cache *certs;
} tnt_party_opts;

typedef enum tnt_party_outcome {
    TNT_PARTY_NONE,    /* no negotiation (yet) */
    TNT_PARTY_SUCCESS, /* trust established */
    TNT_PARTY_FAILURE, /* ended with failure; the handshake may have completed */
    TNT_PARTY_ERROR,   /* ended by an ordering error or a TLS failure */
} tnt_party_outcome;

typedef struct tnt_party {
    tnt_party_opts o;
    bool is_server;
    tls_conn *c;
    /* The connection. */
    bool peer_spoke_tnt; /* the peer's hello carried a version-1 `tnt` */
    bool peer_silent;    /* the first handshake showed the peer has no TNT */
    char *resource;      /* server: what the client asked for */
    char *trusted;       /* the target whose trust the current session holds */
    char *offer_trust;   /* client: the trusted target of the session offered */
    /* The current handshake. */
    int sent_mode; /* -1: none */
    int peer_mode; /* -1: none */
    bool negotiating;
    bool neg_live;
    tnt_negotiator neg;
    uint8_t strategy, language; /* as chosen by the server */
    uint8_t my_strategies[2];   /* client: offered in its hello (outlives the hook) */
    uint8_t *held;              /* a received TNTNegotiation awaiting its TNTProof */
    size_t held_len, held_transcript;
    unsigned sent_rounds;
    unsigned faults_left;
    /* The last negotiation. */
    tnt_party_outcome outcome;
    char target[512];
    char reason[512];
    uint16_t rounds;
    bool resumed_trust; /* the last handshake carried trust over by `resume` */
    bool denied;        /* access_denied sent or received */
} tnt_party;

void tnt_party_init(tnt_party *p, const tnt_party_opts *o, bool is_server);
void tnt_party_free(tnt_party *p);
/* The hooks for tls_config.hooks (user = p). */
void tnt_party_hooks(tnt_party *p, tls_hooks *h);
/* Before the connection's first handshake. */
void tnt_party_attach(tnt_party *p, tls_conn *c);
/* Server: the resource ("METHOD path") that the next negotiation is for. */
void tnt_party_set_resource(tnt_party *p, const char *resource);
/* Client: the session to be offered holds trust for this target (NULL:
 * none); the ClientHello then says `resume`. */
void tnt_party_offer_trust(tnt_party *p, const char *target);

const char *tnt_party_outcome_name(tnt_party_outcome o);

#endif
