/* What the decoder knows about one handshake of a connection: the values
 * that key derivation needs (randoms, suite, extensions, the encrypted
 * pre-master secret, the server certificate), the transcript of its messages,
 * and the record protection states it produces. A connection has one per
 * handshake: the initial one and each renegotiation. */
#ifndef TNT_HS_STATE_H
#define TNT_HS_STATE_H

#include "keys.h"
#include "prf.h"
#include "record_protection.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A transcript longer than this is not kept (and cannot be checked). */
#define TNT_TRANSCRIPT_MAX (16u << 20)

typedef struct tnt_hs_state {
    uint32_t index;  /* 1-based within the connection */
    bool protected_; /* carried inside an earlier epoch's records */
    bool have_client_random, have_server_random;
    uint8_t client_random[32], server_random[32];
    uint8_t client_sid[32];
    uint8_t client_sid_len;
    uint8_t session_id[32]; /* the ServerHello's */
    uint8_t session_id_len;
    uint8_t *client_ticket; /* session_ticket extension of the ClientHello */
    uint32_t client_ticket_len;
    uint8_t *new_ticket; /* NewSessionTicket of this handshake */
    uint32_t new_ticket_len;
    uint16_t version, suite;
    uint8_t compression; /* the ServerHello's compression_method */
    bool client_ems, server_ems, client_etm, server_etm;
    bool saw_server_hello, saw_server_hello_done, saw_cke;
    bool resumed;
    uint8_t *epms; /* RSA EncryptedPreMasterSecret, without its length */
    uint32_t epms_len;
    uint8_t *server_cert; /* first certificate of the server's Certificate */
    uint32_t server_cert_len;
    uint8_t *transcript; /* every handshake message but HelloRequest */
    size_t transcript_len, transcript_cap;
    size_t transcript_at_cke; /* for the EMS session hash */
    bool transcript_overflow;
    /* The running hash for the Finished checks, which the ownership proofs
     * share: made at the first Finished check or proof, when version and
     * suite are known, with only the hashes the PRF needs, and fed each byte
     * of the transcript once (fin_hashed bytes so far). */
    struct tnt_transcript *fin_hash;
    size_t fin_hashed;
    bool have_ms;
    uint8_t ms[48];
    struct tnt_prf_key *ms_key; /* ms keyed for the PRF (prf_key.h), made at first use */
    bool keys_tried;            /* derivation attempted (success or not) */
    bool wrong_key_reported;    /* said once per handshake, not per direction */
    /* Application data records of this handshake's epochs that were passed
     * over undecrypted (the default), so not authenticated. */
    uint32_t app_unauthenticated;
    tnt_rp_state *write[2]; /* [0] client write, [1] server write */
} tnt_hs_state;

typedef enum tnt_key_status {
    TNT_KEYS_OK,
    TNT_KEYS_MISSING,      /* nothing in the key material for this session */
    TNT_KEYS_RSA_MISMATCH, /* RSA keys given, none matches the server certificate */
    TNT_KEYS_UNSUPPORTED,  /* suite or version we cannot decrypt */
    TNT_KEYS_INCOMPLETE,   /* hellos missing from the capture */
    TNT_KEYS_ERROR,
} tnt_key_status;

tnt_hs_state *tnt_hs_state_new(uint32_t index, bool protected_);
void tnt_hs_state_free(tnt_hs_state *hs);
/* Appends a handshake message to the transcript. */
void tnt_hs_state_transcript_add(tnt_hs_state *hs, const uint8_t *msg, size_t len);
/* Frees what is only needed while the handshake runs (the transcript, the
 * pre-master material), once a later handshake has begun. */
void tnt_hs_state_trim(tnt_hs_state *hs);

/* Finds the master secret and builds both record protection states.
 * why gets a one-line explanation for anything but OK. */
tnt_key_status tnt_hs_state_derive(tnt_hs_state *hs, tnt_keys *keys, char *why, size_t cap);

/* The verify_data a Finished must carry, from the master secret and the
 * first transcript_len bytes of the transcript. False when the master
 * secret is unknown or the suite is not one we derive keys for. */
bool tnt_hs_state_expected_finished(tnt_hs_state *hs, bool by_server, size_t transcript_len,
                                    uint8_t *out, size_t cap, size_t *len);

/* The digest under h of the first transcript_len bytes of the transcript,
 * from the running hash of the Finished checks (made here if need be), so
 * that an ownership proof does not hash those bytes again. False when that
 * hash does not run h (the PRF's is SHA-256 or SHA-384), version or suite
 * are unknown, or it is already past transcript_len. */
bool tnt_hs_state_transcript_digest(tnt_hs_state *hs, size_t transcript_len, tnt_hash h,
                                    uint8_t *out, size_t cap, size_t *len);

#endif
