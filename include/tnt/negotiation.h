/* Reconstruction of the trust negotiations of one connection (spec sections
 * 2-8): rounds, policies, credentials and their proofs, the negotiation
 * target, the outcome, whether trust was established (and whether insecurely),
 * renegotiation_info binding, session resumption links, and every violation
 * of spec section 8 with its exact code and severity.
 *
 * The connection layer (conn.h) feeds every decoded handshake message with the
 * transcript of its handshake as it stood BEFORE that message; alerts, gaps,
 * decryption failures and unreadable handshakes come through their own calls
 * so that all violations of a connection end up in one list.
 *
 * What cannot be judged for lack of keys or bytes is never reported as a
 * violation, and a proof that could not be checked is never called valid:
 * each such case becomes a note ("what could not be checked") instead.
 *
 * Sessions: a tnt_session_store lives for a whole run and is shared by every
 * connection's tnt_nego, so that a `tnt: resume` on any connection finds the
 * handshake that established the session, wherever it was.
 *
 * Everything returned points into the tnt_nego and stays valid until the next
 * call that feeds it (arrays may grow) or tnt_nego_free; strings and policy
 * trees stay valid until tnt_nego_free. */
#ifndef TNT_NEGOTIATION_H
#define TNT_NEGOTIATION_H

#include "tnt/chain_verify.h"
#include "tnt/types.h"
#include "tnt/dn_expression.h"
#include "tnt/handshake.h"
#include "tnt/order.h"
#include "tnt/policy_eval.h"
#include "tnt/proof_verify.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tnt_severity {
    TNT_SEV_INFO,
    TNT_SEV_WARNING,
    TNT_SEV_ERROR,
} tnt_severity;

/* The codes of spec section 8, in its order. */
typedef enum tnt_viol_code {
    TNT_V_TNT_IN_CLEAR,                   /* warning */
    TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR,  /* error */
    TNT_V_PROOF_MISSING,                  /* error */
    TNT_V_PROOF_UNEXPECTED,               /* error */
    TNT_V_PROOF_INVALID,                  /* error */
    TNT_V_ROUND_OUT_OF_ORDER,             /* error */
    TNT_V_WRONG_SENDER,                   /* error */
    TNT_V_CLIENT_SUCCESS,                 /* error */
    TNT_V_TNT_NOT_NEGOTIATED,             /* error */
    TNT_V_POLICY_LANGUAGE_NOT_NEGOTIATED, /* error */
    TNT_V_EMPTY_ROUND,                    /* warning */
    TNT_V_RENEGOTIATION_INFO_MISSING,     /* warning */
    TNT_V_RENEGOTIATION_INFO_MISMATCH,    /* error */
    TNT_V_RESUME_UNKNOWN_SESSION,         /* error, or info */
    TNT_V_TCP_GAP,                        /* warning */
    TNT_V_DECRYPT_FAILED,                 /* error */
    TNT_V_COUNT
} tnt_viol_code;

typedef struct tnt_violation {
    tnt_viol_code code;
    tnt_severity severity;
    uint32_t handshake;  /* 1-based; 0 before any handshake */
    uint32_t round;      /* round of the TNTNegotiation concerned (as carried); 0 = none */
    uint64_t frame;      /* the caller's frame id of the message concerned */
    tnt_dir dir;         /* sender of the message concerned */
    const char *message; /* one line */
    /* The handshake message concerned (tnt_message_event.seq; 0 = none, e.g.
     * a gap or an undecryptable record) and the bytes of it at fault,
     * relative to its first header byte (len 0: the message as a whole). */
    uint64_t msg_seq;
    tnt_span at;
} tnt_violation;

typedef enum tnt_note_kind {
    TNT_NOTE_NOT_CHECKED, /* something that could not be checked, and why */
    TNT_NOTE_INFO,        /* something worth seeing that is no violation (a resume declined) */
} tnt_note_kind;

/* A note: what could not be checked, or (kind TNT_NOTE_INFO) a fact a
 * reader would otherwise miss. */
typedef struct tnt_nego_note {
    uint32_t handshake;
    uint32_t round; /* 0 = not about a round */
    uint64_t frame;
    const char *text; /* one line, e.g. "handshake 2 encrypted without keys: TNT negotiation
                         not visible" */
    tnt_note_kind kind;
    uint64_t msg_seq; /* the message concerned, as in tnt_violation (0 = none) */
    tnt_span at;
} tnt_nego_note;

typedef enum tnt_tri {
    TNT_TRI_UNKNOWN,
    TNT_TRI_YES,
    TNT_TRI_NO,
} tnt_tri;

/* One TNTNegotiation. */
typedef struct tnt_nego_round {
    uint32_t position; /* n: it is the n-th TNTNegotiation of its handshake (1-based) */
    uint32_t round;    /* as carried; 0 when the message does not decode */
    tnt_dir sender;
    uint8_t status; /* TNT_STATUS_* */
    bool decoded;
    bool in_clear; /* travelled in an unencrypted handshake */
    uint64_t frame;
    uint32_t first_policy, n_policies; /* into tnt_nego_hs.policies */
    uint32_t first_cred, n_creds;      /* into tnt_nego_hs.creds */
    bool has_proof;                    /* a TNTProof was matched to it */
    uint64_t proof_frame;
    uint64_t msg_seq;       /* the TNTNegotiation (tnt_message_event.seq) */
    uint64_t proof_msg_seq; /* its TNTProof, 0 = none */
    tnt_span creds_at;      /* its credentials vector, length prefix included */
} tnt_nego_round;

typedef struct tnt_nego_policy {
    uint32_t round_index; /* into tnt_nego_hs.rounds */
    uint32_t round;       /* as carried */
    tnt_dir sender;
    uint8_t target_kind; /* TNT_TARGET_* */
    const char *target;  /* NUL-terminated copy of the name (bytes as sent) */
    uint32_t target_len;
    uint8_t language;       /* TNT_LANG_* */
    const char *expression; /* NUL-terminated copy */
    uint32_t expression_len;
    const tnt_dn_node *tree; /* dn_expression that parses; NULL otherwise */
    bool malformed;          /* dn_expression that does not parse: never satisfied */
    tnt_error parse_err;     /* its error, off relative to the expression */
    bool evaluated;          /* false: xml_policy or unknown language (shown, not judged) */
    tnt_verdict verdict;     /* at the end of the handshake, against the other side's disclosures */
    /* The round in which it became satisfied (verdict UNVERIFIED or SATISFIED):
     * the later of its own round and that of the disclosure completing it.
     * 0 = never. */
    uint32_t satisfied_in_round;
    uint32_t n_by; /* the credentials (indices into tnt_nego_hs.creds) that satisfied it */
    const uint32_t *by;
    /* When not satisfied: the failing constraint and what was disclosed
     * instead, e.g. `requires issuer.O="Better Business Bureau"; server
     * disclosed only Accreditation issued by O="Acme Trust"`. NULL otherwise. */
    const char *failing;
    /* When not satisfied: the credential (index into tnt_nego_hs.creds) that
     * came closest to it, -1 when none of a required type was disclosed. */
    int32_t closest;
    /* When satisfied: YES when it relied on issuer constraints and every
     * chain concerned verified to an anchor for that issuer (SATISFIED), NO
     * when issuers were judged on the DN alone (UNVERIFIED); UNKNOWN when
     * not satisfied or no issuer constraint was relied on. */
    tnt_tri issuer_verified;
    const char *reason; /* tnt_policy_eval's reason (also for UNVERIFIED/UNDETERMINED) */
    uint64_t msg_seq;   /* its TNTNegotiation */
    tnt_span at;        /* the whole TNTPolicy in that message (its length prefix included) */
    tnt_span target_at, expression_at; /* the fields, length prefixes included */
} tnt_nego_policy;

typedef struct tnt_nego_cred {
    uint32_t round_index; /* into tnt_nego_hs.rounds */
    uint32_t round;       /* as carried */
    tnt_dir sender;
    uint32_t index;   /* within its TNTNegotiation (what TNTProof entries name) */
    const char *type; /* NUL-terminated copy */
    uint32_t type_len;
    const char *subject, *issuer; /* RFC 4514, first certificate; NULL if it does not parse */
    bool have_sha256;
    uint8_t sha256[32]; /* of the first certificate's DER */
    uint32_t n_certs;
    tnt_credential wire; /* persistent copy: type and DER chain (spans as in the message) */
    bool kept;           /* false: chain too large to keep (not evaluated, not verified) */
    tnt_proof_result proof;
    const char *proof_reason; /* why (always set once judged) */
    /* Chain validation against every --trust-anchor given (spec section 6):
     * NOT_VALIDATED without anchors or when the chain was not kept. */
    tnt_chain_status chain;
    const char *chain_reason; /* INVALID and NOT_VALIDATED: why; VALID: NULL */
    bool has_algorithm;
    uint16_t algorithm;
    uint64_t proof_frame;
    uint64_t msg_seq;       /* its TNTNegotiation; wire's spans are relative to that message */
    tnt_span at;            /* the whole Credential in it (length prefix included) */
    uint64_t proof_msg_seq; /* the TNTProof judged for it, 0 = none */
    tnt_span proof_at;      /* its OwnershipProof entry in that TNTProof */
} tnt_nego_cred;

/* RFC 5746 binding of a handshake to the one before it. */
typedef enum tnt_ri_status {
    TNT_RI_UNCHECKED, /* the previous Finished (or a hello) was not visible */
    TNT_RI_VERIFIED,  /* both hellos carry it and it matches */
    TNT_RI_MISMATCH,
    TNT_RI_ABSENT, /* a hello lacks it */
} tnt_ri_status;

typedef enum tnt_nego_outcome {
    TNT_OUTCOME_NONE,       /* no negotiation in this handshake */
    TNT_OUTCOME_INCOMPLETE, /* neither success nor failure seen */
    TNT_OUTCOME_SUCCESS,    /* the server sent `success` */
    TNT_OUTCOME_FAILURE,    /* `failure` from either side, or a fatal alert */
} tnt_nego_outcome;

/* What the run knows about a session ID. */
typedef struct tnt_session_entry {
    uint8_t sid[32];
    uint8_t sid_len;
    bool trust;         /* established with trust (spec section 7) */
    const char *target; /* negotiation target, NULL if unknown */
    uint64_t conn_id;   /* tnt_nego_options.conn_id of the establishing connection */
    uint32_t handshake;
    bool insecure;
} tnt_session_entry;

typedef struct tnt_nego_hs {
    uint32_t index;     /* 1-based, as the connection layer numbers handshakes */
    bool visible;       /* some message of it was readable */
    bool undecryptable; /* protected and no keys: nothing of it is visible */
    bool encrypted;     /* its messages travelled inside an earlier epoch */
    bool start_seen;    /* its ClientHello was seen */
    bool lossy;         /* bytes of it are missing (gap, failed decryption) */
    bool client_hello, server_hello;
    bool resumed; /* abbreviated: ServerHello repeats the ClientHello session_id */
    uint16_t version;
    /* The `tnt` extension (version 1 only; other versions count as absent). */
    bool client_tnt, server_tnt;
    uint8_t client_mode, server_mode; /* TNT_MODE_* */
    uint8_t strategy, language;       /* chosen by the server (0 = none) */
    uint8_t session_id[32];
    uint8_t session_id_len;
    tnt_ri_status ri;
    /* Who began it: the server when a HelloRequest preceded its ClientHello. */
    tnt_dir initiator;
    bool finished[2]; /* [dir] Finished seen */
    uint8_t verify_data[2][36];
    uint8_t verify_len[2];
    tnt_tri finished_ok[2]; /* verify_data checked against the master secret (hook) */
    bool ccs[2];
    bool completed;           /* both Finished seen (or inferred, below) */
    bool completion_inferred; /* Finished unreadable; inferred from ChangeCipherSpec both ways */
    /* Over (fatal alert, end of the connection, or a later handshake) with no
     * sign of a Finished or ChangeCipherSpec from either side in an intact,
     * readable handshake: no Finished was sent, so there is nothing to check. */
    bool finished_absent;
    /* The fatal alert that ended it before completion (spec section 3: a
     * failure may be followed by one). */
    bool ended_by_alert;
    tnt_dir alert_sender;
    uint8_t alert_desc; /* AlertDescription */

    bool has_negotiation; /* server answered `negotiate`, or TNT messages were seen */
    uint32_t n_rounds, n_policies, n_creds;
    tnt_nego_round *rounds;
    tnt_nego_policy *policies;
    tnt_nego_cred *creds;
    const char *target; /* first resource policy of round 1 (or the resumed session's) */
    tnt_nego_outcome outcome;
    tnt_dir final_by;     /* sender of the success/failure (or of the fatal alert) */
    uint32_t final_round; /* round of the final TNTNegotiation; 0 for an alert */
    bool trust_established;
    bool insecure; /* trust established with an error violation or unverified renegotiation_info */
    const char *reason; /* one line, for a failed negotiation */

    bool resume_answered; /* ServerHello carried `tnt: resume` */
    bool linked;          /* ... and the session was found with trust */
    /* ... and the establishing handshake is in the input, with or without
     * trust (link.trust says which); link is valid when this is set. */
    bool link_known;
    tnt_session_entry link;
    bool finalized; /* outcome computed */
} tnt_nego_hs;

typedef struct tnt_session_store tnt_session_store;
typedef struct tnt_nego tnt_nego;

/* Verdicts as soon as the bytes decide them. Each fact below is delivered
 * once, right after the input that made it certain has been processed, so a
 * front end that never reaches the end of the stream (Wireshark's first
 * pass) still sees it; tnt_conn_finish delivers only what the end of the
 * stream itself decides (a handshake left unfinished, proofs that never came).
 * A handshake ends at its second Finished or a fatal alert; one whose
 * Finished messages cannot be read (no keys: completion inferred from
 * ChangeCipherSpec) at the second unreadable Finished, unless a TNTProof is
 * still awaited there (then at the next handshake or the end of the stream,
 * which judge it differently).
 * Policy verdicts come with the handshake verdict: until the handshake ends,
 * a later disclosure or a loss of bytes could still change them.
 * The data pointed at is that of tnt_nego_handshake() at delivery time. */
typedef enum tnt_verdict_kind {
    TNT_VERDICT_VIOLATION,  /* one violation: ev->violation */
    TNT_VERDICT_NOTE,       /* one note: ev->note */
    TNT_VERDICT_RESUMPTION, /* a `tnt: resume` answer: hs->linked, hs->link */
    TNT_VERDICT_OUTCOME,    /* hs->outcome is success or failure (final TNTNegotiation or
                               fatal alert), with final_by and final_round */
    TNT_VERDICT_PROOFS,     /* the proof results of round hs->rounds[ev->round_index]'s
                               credentials (its TNTProof, or what showed none came) */
    TNT_VERDICT_FINISHED,   /* hs->finished_ok[ev->finished_dir] was checked */
    TNT_VERDICT_HANDSHAKE,  /* the handshake is over: completed, trust_established, insecure,
                               reason, every policy's verdict, every chain result */
    TNT_VERDICT_CREDENTIAL, /* a disclosed credential hs->creds[ev->cred_index]: its owner,
                               issuer, digest and chain result (its TNTNegotiation) */
} tnt_verdict_kind;

/* What made a verdict certain. */
typedef enum tnt_verdict_cause {
    TNT_CAUSE_MESSAGE, /* a handshake message: msg_seq */
    TNT_CAUSE_ALERT,   /* an alert record: record_off */
    TNT_CAUSE_CCS,     /* a ChangeCipherSpec record: record_off */
    TNT_CAUSE_RECORD,  /* a record that failed authentication or cannot be decrypted */
    TNT_CAUSE_GAP,     /* bytes missing from the capture */
    TNT_CAUSE_END,     /* the end of the stream (tnt_conn_finish) */
} tnt_verdict_cause;

typedef struct tnt_verdict_event {
    tnt_verdict_kind kind;
    uint32_t handshake; /* 1-based; 0: before any handshake */
    /* where it was decided */
    tnt_verdict_cause cause;
    uint64_t frame;      /* the frame being fed (tnt_conn_set_frame) */
    tnt_dir dir;         /* the direction whose bytes decided it */
    uint64_t msg_seq;    /* CAUSE_MESSAGE: the deciding message (tnt_message_event.seq) */
    uint64_t record_off; /* ALERT, CCS, RECORD: stream offset of the deciding record in dir */
    /* what was decided; valid during the callback only */
    const tnt_nego_hs *hs; /* NULL for a violation or note before any handshake */
    const tnt_violation *violation;
    const tnt_nego_note *note;
    uint32_t round_index; /* PROOFS */
    uint32_t cred_index;  /* CREDENTIAL */
    tnt_dir finished_dir; /* FINISHED */
} tnt_verdict_event;

typedef void (*tnt_verdict_fn)(void *user, const tnt_verdict_event *ev);

typedef struct tnt_nego_options {
    const tnt_anchor_set *anchors; /* NULL: none (issuer constraints "not validated") */
    tnt_policy_mode mode;          /* TNT_POLICY_DECODER for a decoder */
    int64_t at;                    /* chain verification time, 0 = now */
    uint64_t conn_id;              /* the caller's connection id, kept in session links */
    const tnt_codepoints *cp;      /* the connection's TNT codepoints; NULL: the defaults */
    struct tnt_cert_cache *certs;  /* parsed certificates (tnt/x509.h); may be NULL */
} tnt_nego_options;

tnt_session_store *tnt_session_store_new(void);
void tnt_session_store_free(tnt_session_store *s);
/* Connections fed from several threads (tnt/order.h); NULL: one thread.
 * Set between runs, not while connections are fed. */
void tnt_session_store_set_order(tnt_session_store *s, const tnt_input_order *order);
/* Applies every session kept aside for its turn: after a run on several
 * threads, before the store is read from one. */
void tnt_session_store_flush(tnt_session_store *s);
/* The entry for a session ID, or NULL. */
const tnt_session_entry *tnt_session_store_find(const tnt_session_store *s, const uint8_t *sid,
                                                size_t len);

/* store may be NULL (no resumption linking across connections; a resume
 * answer is then reported as info). opt may be NULL (decoder, no anchors). */
tnt_nego *tnt_nego_new(tnt_session_store *store, const tnt_nego_options *opt);
void tnt_nego_free(tnt_nego *n);

/* One handshake message (HelloRequest is ignored). hs_index and epoch as in
 * tnt_message_event (epoch 0: the message travelled in plaintext).
 * transcript/transcript_len: the handshake's transcript BEFORE this message
 * (tnt_hs_state.transcript, length minus this message's raw_len);
 * transcript_complete: false when the transcript is not the whole
 * handshake so far (tnt_hs_state.transcript_overflow, capture began late).
 * frame: the caller's id of the packet that completed the message. */
void tnt_nego_message(tnt_nego *n, tnt_dir dir, uint32_t hs_index, uint32_t epoch,
                      const tnt_hs_msg *msg, const uint8_t *transcript, size_t transcript_len,
                      bool transcript_complete, uint64_t frame);
/* A ChangeCipherSpec of the handshake in progress: with both, an unreadable
 * pair of Finished is taken as exchanged (completion_inferred). */
void tnt_nego_ccs(tnt_nego *n, tnt_dir dir, uint64_t frame);
/* A readable alert. A fatal one ends the handshake in progress. */
void tnt_nego_alert(tnt_nego *n, tnt_dir dir, uint8_t level, uint8_t desc, uint64_t frame);
/* Lower-layer violations, so that all of them are in one list. Both make
 * the handshake in progress lossy (its positions and transcript unknown); a
 * decryption failure only when the record may hold handshake bytes
 * (content_type 22, or 0 when unknown). */
void tnt_nego_gap(tnt_nego *n, tnt_dir dir, uint64_t bytes, uint64_t frame);
/* The front end cannot tell in which order the two directions' bytes were
 * sent from here on (contradicting ACKs): what depends on the order of the
 * current handshake (transcript, rounds, proofs, Finished) becomes
 * undetermined, never a violation. Said once per handshake. */
void tnt_nego_order_unknown(tnt_nego *n, uint64_t frame);
void tnt_nego_decrypt_failed(tnt_nego *n, tnt_dir dir, uint8_t content_type, uint64_t frame,
                             const char *why);
/* Something the connection layer did not check (one line), listed with
 * the not_checked notes. */
void tnt_nego_not_checked(tnt_nego *n, uint32_t hs_index, uint64_t frame, const char *text);
/* Handshake hs_index runs inside records that cannot be decrypted. */
void tnt_nego_undecryptable(tnt_nego *n, uint32_t hs_index, uint64_t frame);
/* The Finished of handshake hs_index from dir went by in a record that
 * cannot be read. With both sides' Finished gone by, both ChangeCipherSpec
 * seen and nothing of the handshake left to judge, the handshake is over
 * (completion inferred) there, not at the next handshake or the end. */
void tnt_nego_finished_unreadable(tnt_nego *n, uint32_t hs_index, tnt_dir dir);
/* The connection layer checked a Finished verify_data against the master
 * secret. A wrong one makes trust of that handshake insecure. */
void tnt_nego_finished_checked(tnt_nego *n, uint32_t hs_index, tnt_dir dir, bool ok);
/* End of the connection: finalizes every handshake. */
void tnt_nego_finish(tnt_nego *n);
/* The message fed next (tnt_nego_message) or whose processing continues
 * (tnt_nego_finished_checked): its tnt_message_event.seq, which violations,
 * notes, rounds, policies and credentials then point at. 0 = none. */
void tnt_nego_set_msg_seq(tnt_nego *n, uint64_t seq);
/* Hands every verdict decided since the last call to fn (may be NULL: they
 * are dropped), each a copy of *where with its own fields filled in. */
void tnt_nego_deliver(tnt_nego *n, const tnt_verdict_event *where, tnt_verdict_fn fn, void *user);

uint32_t tnt_nego_n_handshakes(const tnt_nego *n);
/* The i-th handshake known (0-based, in index order), NULL past the end. */
const tnt_nego_hs *tnt_nego_handshake(const tnt_nego *n, uint32_t i);
/* By connection-layer index (1-based), NULL if unknown. */
const tnt_nego_hs *tnt_nego_handshake_by_index(const tnt_nego *n, uint32_t index);
const tnt_violation *tnt_nego_violations(const tnt_nego *n, uint32_t *count);
const tnt_nego_note *tnt_nego_notes(const tnt_nego *n, uint32_t *count);

const char *tnt_viol_code_name(tnt_viol_code c); /* "tnt-in-clear", ... exactly as spec section 8 */
const char *tnt_severity_name(tnt_severity s);   /* "info", "warning", "error" */
const char *tnt_ri_status_name(tnt_ri_status s); /* "unchecked", "verified", "mismatch", "absent" */
const char *tnt_nego_outcome_name(tnt_nego_outcome o); /* "none", "incomplete", "success", ... */

#endif
