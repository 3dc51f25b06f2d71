/* Proof verification from a running transcript hash (lib/ only, not part of
 * the public API).
 *
 * A TNTProof signs handshake_messages up to its TNTNegotiation (spec section
 * 5), the same bytes the connection layer already hashes for the Finished
 * checks. Handing GnuTLS the whole transcript made it hash them again, once
 * per proof; with a hasher, the proof takes a snapshot of the connection's
 * running hash instead and GnuTLS verifies the digest. Whatever the hasher
 * cannot give (another hash algorithm, a prefix the running hash has passed,
 * no hasher at all) is verified from the transcript bytes as before: the two
 * paths give the same verdicts and reasons (test_proof_verify.c). */
#ifndef TNT_TRANSCRIPT_HASHER_H
#define TNT_TRANSCRIPT_HASHER_H

#include "negotiation.h"
#include "prf.h"
#include "proof_verify.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tnt_transcript_hasher {
    /* The digest under h of the first len bytes of handshake hs_index's
     * transcript (the bytes tnt_nego_message was given), written to out
     * (cap bytes) with its length in *out_len. False when there is no
     * running hash with h, or it is past len. */
    bool (*digest)(void *user, uint32_t hs_index, size_t len, tnt_hash h, uint8_t *out, size_t cap,
                   size_t *out_len);
    void *user;
} tnt_transcript_hasher;

/* tnt_proof_verify_cached, asking hasher (may be NULL) for the digest of
 * the transcript of handshake hs_index first. */
tnt_proof_result tnt_proof_verify_hashed(struct tnt_cert_cache *cc, uint16_t version,
                                         const uint8_t *cert_der, size_t cert_len,
                                         bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                         size_t sig_len, const uint8_t *transcript,
                                         size_t transcript_len, const tnt_transcript_hasher *hasher,
                                         uint32_t hs_index, const uint16_t *client_sig_algs,
                                         size_t n_client_sig_algs, char *reason, size_t reason_cap);

/* The negotiation model verifies its proofs through hasher (copied; NULL:
 * none, the transcript bytes are hashed by GnuTLS). */
void tnt_nego_set_hasher(tnt_nego *n, const tnt_transcript_hasher *hasher);

#endif
