/* Ownership proofs of TNT credentials (spec section 5): checking a
 * TNTOwnershipProof signature against the credential's first certificate,
 * and making one with a private key.
 *
 * A proof is exactly a CertificateVerify signature over handshake_messages.
 * All public-key work and hashing is GnuTLS's; this module only encodes the
 * TNT rules (which algorithm is allowed with which key, what the ClientHello
 * permits) and turns the outcome into a result plus a specific reason.
 *
 * Decisions that the spec leaves to us (all documented in test_proof_verify.c
 * by a test):
 * - TLS 1.2 algorithms allowed: rsa_pkcs1_sha1/sha256/sha384/sha512 (0x0201,
 *   0x0401, 0x0501, 0x0601) and rsa_pss_rsae_sha256/384/512 (0x0804-0x0806)
 *   for rsaEncryption keys; ecdsa_secp256r1_sha256 (0x0403) for P-256 keys
 *   only; ecdsa_secp384r1_sha384 (0x0503) for P-384 keys only. "rsa_pkcs1_*"
 *   is read as RFC 8446 names it, so rsa_pkcs1_md5/sha224, the dsa_* and
 *   ecdsa_sha1 codes, rsa_pss_pss_* (id-RSASSA-PSS keys) and EdDSA are refused.
 * - A ClientHello without signature_algorithms: RFC 5246 7.4.1.4.1 makes the
 *   peer assume {sha1,rsa}, {sha1,dsa} or {sha1,ecdsa} by key exchange. A proof
 *   is not tied to the key exchange, so the union {0x0201, 0x0202, 0x0203} is
 *   assumed; of these TNT allows only rsa_pkcs1_sha1, so such a handshake can
 *   carry valid TLS 1.2 proofs only from RSA keys, with SHA-1.
 * - RSA-PSS salt length must equal the hash length (RFC 8446 4.2.3, which is
 *   what defines rsa_pss_rsae_* for TLS 1.2 too); other salt lengths do not
 *   verify.
 * - An RSA signature must be exactly as long as the modulus (RFC 8017 8.2.2
 *   step 1), also in the TLS 1.0 form.
 * - TLS 1.0/1.1: RSA keys sign MD5(t)||SHA-1(t) with PKCS#1 v1.5 type 1
 *   padding and no DigestInfo; DSA and ECDSA keys (any curve GnuTLS knows)
 *   sign SHA-1(t). Other key types cannot make a TLS 1.0 proof.
 * - SSL 3.0 and TLS 1.3 (and unknown versions): TNT is not defined there, the
 *   proof is TNT_PROOF_UNCHECKED. */
#ifndef TNT_PROOF_VERIFY_H
#define TNT_PROOF_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tnt_proof_result {
    TNT_PROOF_VALID,     /* the signature verifies and every rule is met */
    TNT_PROOF_INVALID,   /* proof-invalid: bad signature, disallowed or mismatched algorithm, ... */
    TNT_PROOF_MISSING,   /* no proof entry for the credential (sig == NULL) */
    TNT_PROOF_UNCHECKED, /* cannot be judged: transcript unknown, version without TNT, ... */
} tnt_proof_result;

/* "valid", "invalid", "missing", "unchecked". */
const char *tnt_proof_result_name(tnt_proof_result r);

/* Checks one ownership proof.
 *
 * version: the negotiated version (0x0301..0x0303 carry TNT).
 * cert_der: the first certificate of the credential's chain (DER).
 * has_algorithm/algorithm: the SignatureAndHashAlgorithm, present exactly in
 *   TLS 1.2 (a mismatch with the version is invalid).
 * sig: the signature bytes without their length prefix; NULL means the
 *   credential has no proof entry (TNT_PROOF_MISSING). A non-NULL empty
 *   signature is invalid.
 * transcript: handshake_messages as spec section 5 defines it, from the
 *   ClientHello up to and including the TNTNegotiation being proven; NULL
 *   when not fully known (then TNT_PROOF_UNCHECKED, spec section 8: the
 *   reason still names an algorithm problem if one was seen).
 * client_sig_algs: the ClientHello's signature_algorithms, NULL if it had
 *   none (RFC 5246 defaults, see above). Non-NULL with n == 0 lists nothing.
 *
 * reason receives a NUL-terminated human-readable explanation (also for
 * VALID, e.g. "rsa_pss_rsae_sha256 signature by a 2048-bit RSA key verifies");
 * it may be NULL when reason_cap is 0. */
tnt_proof_result tnt_proof_verify(uint16_t version, const uint8_t *cert_der, size_t cert_len,
                                  bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                  size_t sig_len, const uint8_t *transcript, size_t transcript_len,
                                  const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                                  char *reason, size_t reason_cap);
/* The same, taking the certificate's public key from a certificate cache
 * (tnt/x509.h; NULL: none). */
struct tnt_cert_cache;
tnt_proof_result tnt_proof_verify_cached(struct tnt_cert_cache *cc, uint16_t version,
                                         const uint8_t *cert_der, size_t cert_len,
                                         bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                         size_t sig_len, const uint8_t *transcript,
                                         size_t transcript_len, const uint16_t *client_sig_algs,
                                         size_t n_client_sig_algs, char *reason, size_t reason_cap);

/* Makes the signature of an ownership proof with a private key (PEM, PKCS#1,
 * SEC1 or unencrypted PKCS#8, or the same as DER), under the same rules as
 * tnt_proof_verify: it refuses an algorithm that the verifier would reject
 * (not allowed, not matching the key, not in client_sig_algs, a PSS key too
 * small). has_algorithm must be true exactly for TLS 1.2. The signature goes
 * to sig (at most sig_cap bytes; a TNTOwnershipProof holds at most 65535),
 * its length to *sig_len. False with a reason on any failure. */
bool tnt_proof_sign(uint16_t version, const uint8_t *key, size_t key_len, bool has_algorithm,
                    uint16_t algorithm, const uint8_t *transcript, size_t transcript_len,
                    const uint16_t *client_sig_algs, size_t n_client_sig_algs, uint8_t *sig,
                    size_t sig_cap, size_t *sig_len, char *reason, size_t reason_cap);

/* For a TLS 1.2 signer: the first algorithm of client_sig_algs (the client's
 * preference order; RFC 5246 defaults when NULL) that a proof by this private
 * key may use. False, with a reason, if there is none or the key does not
 * load. */
bool tnt_proof_pick_algorithm(const uint8_t *key, size_t key_len, const uint16_t *client_sig_algs,
                              size_t n_client_sig_algs, uint16_t *algorithm, char *reason,
                              size_t reason_cap);

#endif
