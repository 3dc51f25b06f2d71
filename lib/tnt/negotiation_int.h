/* Internals shared by negotiation.c (message flow, violations),
 * negotiation_eval.c (policy evaluation, failure reasons) and
 * negotiation_store.c (sessions). Not for front ends. */
#ifndef TNT_NEGOTIATION_INT_H
#define TNT_NEGOTIATION_INT_H

#include "negotiation.h"
#include "transcript_hasher.h"

#include <glib.h>
#include <stdarg.h>

/* More policies than this in one handshake are shown but not evaluated, so
 * that a hostile handshake cannot make evaluation quadratic. */
#define TNT_NEGO_MAX_EVAL 1024
/* Certificate bytes kept per handshake for evaluation and proofs. */
#define TNT_NEGO_MAX_KEPT (16u << 20)

/* What the previous message of one sender in a handshake was, for the
 * TNTProof adjacency rules (spec section 3). */
typedef enum last_kind {
    LAST_NONE,
    LAST_NEG_CREDS,   /* a TNTNegotiation disclosing credentials */
    LAST_NEG_NOCREDS, /* a TNTNegotiation disclosing none */
    LAST_NEG_UNKNOWN, /* a TNTNegotiation that does not decode */
    LAST_PROOF,
    LAST_OTHER,
} last_kind;

/* A credential-disclosing TNTNegotiation waiting for its TNTProof. */
typedef struct pending_proof {
    bool active;
    uint32_t round_index;
    size_t neg_end;    /* transcript length just after the TNTNegotiation */
    bool neg_complete; /* transcript complete at that point */
    uint32_t loss;     /* the sender's loss count at that point */
} pending_proof;

typedef struct hs_priv {
    tnt_nego_hs pub; /* first: front ends get &pub */
    uint32_t cap_rounds, cap_policies, cap_creds;
    bool has_sig_algs;
    uint16_t *sig_algs; /* arena */
    uint32_t n_sig_algs;
    uint8_t client_sid[32];
    uint8_t client_sid_len;
    uint64_t client_hello_frame;
    uint64_t client_hello_seq;
    bool client_scsv;
    bool client_ri_present, server_ri_present;
    const uint8_t *client_ri, *server_ri; /* arena copies */
    uint32_t client_ri_len, server_ri_len;
    bool server_tnt_unknown_version;
    last_kind last[2];
    bool have_last[2];
    uint32_t loss[2];         /* losses seen in each direction */
    uint32_t loss_at_last[2]; /* loss count when last[] was recorded */
    pending_proof pend[2];
    uint32_t n_neg; /* TNTNegotiations seen so far: the position of the next is n_neg + 1 */
    bool said_in_clear, said_not_negotiated, said_positions, said_undecryptable;
    bool said_ri_missing;     /* renegotiation-info-missing: once per rehandshake */
    bool server_hello_unread; /* a ServerHello came but does not decode */
    bool server_success;      /* the server sent `success` (spec section 7), whatever came before */
    bool fatal_alert;
    bool finished_unreadable[2]; /* [dir] its Finished went by unreadable */
    tnt_dir alert_by;
    uint8_t alert_desc;
    size_t kept;
    /* sensitive-credential-in-clear, per sender: the credential types that
     * sender protects with a policy other than `true`, and its in-clear
     * credentials of types not (yet) known to be protected. */
    GHashTable *protected_types[2]; /* GBytes -> non-NULL */
    GHashTable *clear_creds[2];     /* GBytes -> GArray of uint32 cred indices */
} hs_priv;

/* A verdict decided but not yet handed to the front end (tnt_nego_deliver):
 * the connection layer delivers them once the input that decided them has
 * been fully processed, so that a verdict shows every effect of that input. */
typedef struct nego_queued {
    tnt_verdict_kind kind;
    uint32_t hs;  /* handshake index */
    uint32_t idx; /* violation, note or round index; FINISHED: the direction */
} nego_queued;

struct tnt_nego {
    tnt_session_store *store;
    tnt_nego_options opt;
    tnt_arena arena; /* strings, copies, trees: freed with the tnt_nego */
    hs_priv **hs;    /* ordered by index */
    uint32_t n_hs, cap_hs;
    tnt_violation *viol;
    uint32_t n_viol, cap_viol;
    tnt_nego_note *notes;
    uint32_t n_notes, cap_notes;
    bool hello_request; /* a HelloRequest came since the last ClientHello */
    nego_queued *queue;
    uint32_t n_queue, cap_queue;
    uint64_t cur_seq;             /* tnt_message_event.seq of the message being fed (0 = none) */
    tnt_transcript_hasher hasher; /* digest == NULL: none */
};

void nego_queue(tnt_nego *n, tnt_verdict_kind kind, uint32_t hs, uint32_t idx);
/* Points the latest violation at its message and bytes. */
void nego_violation_at(tnt_nego *n, uint64_t msg_seq, tnt_span at);

char *nego_strndup(tnt_nego *n, const void *p, size_t len);
char *nego_printf(tnt_nego *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nego_violation(tnt_nego *n, uint32_t hs, tnt_viol_code code, tnt_severity sev, uint32_t round,
                    uint64_t frame, tnt_dir dir, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
void nego_note(tnt_nego *n, uint32_t hs, uint32_t round, uint64_t frame, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void nego_info(tnt_nego *n, uint32_t hs, uint64_t frame, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *nego_side(tnt_dir d); /* "client", "server" */

/* negotiation_eval.c: verdicts, satisfied_in_round, used credentials and
 * failing constraints of every policy; then the failure reason. */
void nego_evaluate(tnt_nego *n, hs_priv *h);

/* negotiation_store.c. trust_unknown: the establishing handshake lost server
 * bytes, so e->trust == false is not shown by the input (spec section 8,
 * resume-unknown-session is then info, not error). */
void nego_store_put(tnt_session_store *s, const tnt_session_entry *e, bool trust_unknown);
const tnt_session_entry *nego_store_find(const tnt_session_store *s, const uint8_t *sid, size_t len,
                                         bool *trust_unknown);

#endif
