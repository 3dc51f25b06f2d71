/* What the dissector (packet-tnt.c) and the glue to lib/ (tnt_glue.c) share:
 * registration entry points, field ids, and the per-frame facts the first
 * pass stores so that later passes only read them. Nothing here includes a
 * lib/ header: switching lib's API touches tnt_glue.c alone. */
#ifndef TNT_PACKET_TNT_H
#define TNT_PACKET_TNT_H

#include <wireshark.h>

#include <epan/expert.h>
#include <epan/packet.h>

#include <stdbool.h>
#include <stdint.h>

/* The Wireshark release the plugin is built for, for the places where
 * later releases changed the API (ws_version.h, from wireshark.h). */
#ifndef WIRESHARK_VERSION_MAJOR
#define WIRESHARK_VERSION_MAJOR TNT_WS_MAJOR
#define WIRESHARK_VERSION_MINOR TNT_WS_MINOR
#endif
#define TNT_WS_AT_LEAST(maj, min)                                                                  \
    (WIRESHARK_VERSION_MAJOR > (maj) ||                                                            \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

void proto_register_tnt(void);
void proto_reg_handoff_tnt(void);

/* Field, subtree and expert ids (registered in packet-tnt.c). */
typedef struct tnt_ids {
    int proto;
    /* records */
    int record, rec_content_type, rec_version, rec_length, rec_body, rec_decrypted_flag, rec_epoch,
        decrypted, fragment, fragment_of, app_data, ccs, alert_level, alert_desc;
    /* handshake header */
    int hs, hs_type, hs_length, hs_body;
    /* hello fields */
    int suites_list, version, random, session_id, session_id_len, suites_len, suite, comp_len, comp,
        ext_len, ext, ext_type, ext_length, ext_data, ext_mode, ext_version, ext_strategy,
        ext_language, sni, alpn, group, sigalg, supported_version, reneg_info;
    /* other TLS messages */
    int certs_len, cert_len, cert, ske_params, signature, sig_scheme, cke_data, verify_data,
        ticket_lifetime, ticket, cert_types, ca_dn, status_response, unknown_body;
    /* TNT */
    int neg_round, neg_status, policies_len, policy, policy_target_kind, policy_target,
        policy_language, policy_expression, policy_verdict, policy_satisfied_in, creds_len,
        credential, cred_type, cred_chain_len, cred_subject, cred_issuer, cred_chain_status,
        cred_proof_status, proofs_len, proof, proof_cred_index, proof_algorithm, proof_signature,
        proof_status, verdict_hs, outcome, trust, insecure, reason, resumes, resumes_conn, summary;
    /* stock tls.* fields the plugin fills as well (-1 when absent) */
    int tls_ct, tls_version, tls_hs_type, tls_suite, tls_ext_type, tls_random, tls_session_id;
    /* subtrees */
    int ett_tnt, ett_record, ett_hs, ett_ext, ett_exts, ett_suites, ett_policy, ett_cred, ett_certs,
        ett_proof, ett_verdict, ett_list;
    /* expert infos: one per spec section 8 code, in its order */
    expert_field ei_violation[16];
    expert_field ei_no_keys, ei_decrypt_failed, ei_malformed, ei_undecoded, ei_note, ei_gap;
} tnt_ids;
extern tnt_ids tnt_id;

/* One handshake message, kept (file scope) for redisplay on any pass. */
typedef struct tntp_msg_info {
    uint8_t type;
    bool from_server;
    uint16_t version, suite;         /* what decoding it needs to know */
    const struct tnt_codepoints *cp; /* its connection's (lives with the conversation) */
    const void *decoded;             /* lib/'s tnt_hs_msg, kept in file scope */
    uint32_t hs_index;               /* its handshake (1-based) */
    uint32_t epoch;                  /* 0: travelled in clear */
    uint32_t expected_len;           /* from its header (4 + length), as framed */
    const uint8_t *raw;              /* header + body; NULL until complete */
    uint32_t raw_len;
    uint32_t n_records;  /* records it spans */
    uint32_t frame;      /* the frame that completed it */
    const char *summary; /* Info column text */
    uint32_t round;      /* TNTNegotiation: as carried */
    uint32_t n_creds;    /* TNTNegotiation: its credentials' types */
    const char **cred_types;
    struct tntp_verdict *verdict; /* facts decided by this message, or NULL */
} tntp_msg_info;

/* A slice of one message inside one record's plaintext. */
typedef struct tntp_fragment {
    tntp_msg_info *msg;
    uint32_t off, len; /* in the record's plaintext */
    uint32_t msg_off;  /* where the slice sits in the message */
} tntp_fragment;

enum { TNTP_REC_CLEAR, TNTP_REC_DECRYPTED, TNTP_REC_ENCRYPTED, TNTP_REC_FAILED, TNTP_REC_NULL };

typedef struct tntp_rec_info {
    uint64_t stream_off;
    uint8_t type;
    uint16_t version;
    uint32_t length;
    uint8_t state; /* TNT_REC_* */
    int dir;
    uint32_t epoch;
    const uint8_t *plain; /* plaintext (decrypted or clear), file scope */
    uint32_t plain_len;
    bool has_alert;
    uint8_t alert_level, alert_desc;
    wmem_array_t *frags;          /* tntp_fragment, in plaintext order */
    struct tntp_verdict *verdict; /* a fatal alert's: what it settled */
    struct tntp_rec_info *next;
} tntp_rec_info;

/* A fact the negotiation model settled, shown as an expert info. */
typedef struct tntp_note {
    int kind;     /* -1: a note; 0..15: a section 8 violation code */
    int severity; /* 0 info, 1 warning, 2 error */
    const char *text;
    uint64_t stream_off;             /* where in the stream, when known (else UINT64_MAX) */
    const struct tntp_msg_info *msg; /* the offending message, completed in this chunk */
    uint32_t at_off, at_len;         /* the bytes at fault in it (len 0: all of it) */
    struct tntp_note *next;
} tntp_note;

/* What one call of the dissector on the first pass fed and got back. */
typedef struct tntp_chunk {
    int dir;             /* 0 client->server, 1 server->client */
    uint64_t stream_off; /* of the tvb's first byte */
    uint32_t len;        /* bytes of the tvb consumed (skip included) */
    uint32_t skip;       /* leading bytes fed before (a retransmission) */
    tntp_rec_info *recs, **recs_tail;
    tntp_note *notes, **notes_tail;
    struct tntp_verdict *verdict; /* decided by no message or record of this chunk (a gap) */
} tntp_chunk;

/* Per-handshake verdicts at the point the bytes decided them. */
typedef struct tntp_verdict_cred {
    uint32_t round, index;
    const char *type, *subject, *issuer, *proof, *proof_reason, *chain, *chain_reason;
} tntp_verdict_cred;
typedef struct tntp_verdict_policy {
    uint32_t round;
    const char *target, *expression, *verdict, *reason;
    uint32_t satisfied_in;
} tntp_verdict_policy;
typedef struct tntp_verdict {
    uint32_t hs_index;
    const char *outcome;
    bool final;       /* the outcome is settled */
    bool completed;   /* both Finished seen: trust is settled */
    bool first_final; /* the first settled verdict of its handshake (counted once) */
    bool trust, insecure;
    const char *reason;
    uint32_t n_creds, n_policies;
    tntp_verdict_cred *creds;
    tntp_verdict_policy *policies;
    uint32_t resumes_frame; /* frame of the establishing handshake, 0 = none */
    uint64_t resumes_conn;
} tntp_verdict;

/* What dissect_tnt hands to the "tnt" tap (stats tree) for one frame. */
typedef struct tntp_tap_info {
    wmem_array_t *msgs;     /* const tntp_msg_info *: TNT messages completed */
    wmem_array_t *verdicts; /* const tntp_verdict *: settled here for the first time */
    wmem_array_t *notes;    /* const tntp_note *: violations shown here */
} tntp_tap_info;

#endif
