/* Key exchange for a TLS 1.0-1.2 peer: ECDHE over secp256r1 and x25519,
 * RSA key transport, and the signature of the ServerKeyExchange that
 * carries the server's ECDHE share.
 *
 * All curve arithmetic is libgcrypt's and all RSA and signature work is
 * GnuTLS's; these files only add what TLS requires around them: encodings,
 * validation of the peer's public value, and the RFC 5246 7.4.7.1 handling of
 * a bad EncryptedPreMasterSecret.
 *
 * The decisions (each checked by tests/unit/test_kx.c):
 * - Only uncompressed P-256 points (0x04 || x || y, 65 bytes) are accepted.
 *   RFC 8422 5.1.2 deprecates the other formats and a client that sends
 *   none of them in ec_point_formats gets uncompressed points only.
 * - A P-256 point is validated as SP 800-56A 5.6.2.3.4 partial validation
 *   asks: both coordinates below p and the point on the curve (libgcrypt
 *   1.10's ECDH multiplies an off-curve point without complaint, which is
 *   the invalid-curve attack, so the check is done here before it). The
 *   identity has no 65-byte encoding, so it never passes.
 * - x25519: any 32 bytes are a public value (RFC 7748 5; the top bit is
 *   ignored), but an all-zero shared secret is refused (RFC 7748 6.1,
 *   RFC 8422 5.11): it means a small-order peer value.
 * - The ECDHE premaster secret is the x coordinate of the shared point (32
 *   bytes, leading zeros kept, RFC 8422 5.10) or the x25519 output. */
#ifndef TNT_KX_H
#define TNT_KX_H

#include "tnt/cursor.h"
#include "tnt/error.h"
#include "tnt/names.h"
#include "tnt/proof_verify.h"
#include "tnt/rsa_key.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* NamedGroup code points (RFC 8422 5.1.1). */
#define TNT_GROUP_SECP256R1 0x0017
#define TNT_GROUP_X25519 0x001d

#define TNT_KX_PRIVATE_LEN 32    /* both groups */
#define TNT_KX_MAX_PUBLIC_LEN 65 /* P-256 uncompressed; x25519 is 32 */
#define TNT_KX_ECDHE_PMS_LEN 32  /* both groups */
#define TNT_KX_RSA_PMS_LEN 48

/* ---- ECDHE ---- */

/* An ephemeral key pair. priv is secret: tnt_kx_ecdhe_clear() wipes it. */
typedef struct tnt_kx_ecdhe_key {
    uint16_t group;
    /* P-256: the scalar, big-endian. x25519: the 32 bytes of RFC 7748 5
     * (clamped by the function, so stored as generated). */
    uint8_t priv[TNT_KX_PRIVATE_LEN];
    uint8_t pub[TNT_KX_MAX_PUBLIC_LEN]; /* as it goes on the wire */
    size_t pub_len;                     /* 65 or 32 */
} tnt_kx_ecdhe_key;

/* True for the groups above. */
bool tnt_kx_ecdhe_supported(uint16_t group);
/* 65 for secp256r1, 32 for x25519, 0 otherwise. */
size_t tnt_kx_ecdhe_public_len(uint16_t group);

/* A fresh key pair from libgcrypt's strong random generator. False (with
 * err) only for an unsupported group or a libgcrypt failure. */
bool tnt_kx_ecdhe_generate(uint16_t group, tnt_kx_ecdhe_key *key, tnt_error *err);
/* The key pair of a given private key (test vectors, or a key chosen
 * elsewhere). P-256 scalars must be in [1, n-1]; x25519 takes any 32 bytes. */
bool tnt_kx_ecdhe_from_private(uint16_t group, const uint8_t *priv, size_t priv_len,
                               tnt_kx_ecdhe_key *key, tnt_error *err);
/* Whether a peer's public value is acceptable for group (see the decisions
 * above); err->what says why not, err->off is the offending byte in pub (0
 * when the whole value is at fault). */
bool tnt_kx_ecdhe_check_public(uint16_t group, const uint8_t *pub, size_t pub_len, tnt_error *err);
/* The premaster secret from our key and the peer's public value (the
 * ServerKeyExchange or ClientKeyExchange point, without its length byte).
 * Validates the peer's value first. On failure pms is zeroed. */
bool tnt_kx_ecdhe_shared(const tnt_kx_ecdhe_key *key, const uint8_t *peer, size_t peer_len,
                         uint8_t pms[TNT_KX_ECDHE_PMS_LEN], tnt_error *err);
/* Wipes the key (also the private part) so it cannot linger in memory. */
void tnt_kx_ecdhe_clear(tnt_kx_ecdhe_key *key);

/* ---- RSA key transport (RFC 5246 7.4.7.1) ---- */

/* The client's premaster secret: client_version (the version in the
 * ClientHello, not the negotiated one) followed by 46 random bytes. */
void tnt_kx_rsa_make_pms(uint16_t client_version, uint8_t pms[TNT_KX_RSA_PMS_LEN]);
/* EncryptedPreMasterSecret: pms encrypted PKCS#1 v1.5 with the public key
 * of the server's certificate (DER), exactly modulus-size bytes, without
 * the 2-byte length TLS 1.0+ puts in front. False if the certificate does
 * not parse, its key is not RSA, or cap is too small. */
bool tnt_kx_rsa_encrypt_pms(const uint8_t *cert_der, size_t cert_len,
                            const uint8_t pms[TNT_KX_RSA_PMS_LEN], uint8_t *out, size_t cap,
                            size_t *out_len, tnt_error *err);
/* The server side as RFC 5246 7.4.7.1 prescribes against Bleichenbacher's
 * attack: never fails. If epms does not decrypt to 48 bytes, pms becomes
 * client_version || 46 random bytes; otherwise client_version || the 46
 * decrypted bytes after the version (a wrong version inside is thus not
 * reported either: the Finished exchange fails instead). The choice is made
 * without branching on the decryption result. */
void tnt_kx_rsa_server_pms(const tnt_rsa_key *key, const uint8_t *epms, size_t epms_len,
                           uint16_t client_version, uint8_t pms[TNT_KX_RSA_PMS_LEN]);

/* ---- ServerKeyExchange for ECDHE_RSA / ECDHE_ECDSA (RFC 8422 5.4) ---- */

/* The ServerECDHParams themselves are encoded by tnt_enc_ecdhe_params()
 * (encode.h) and decoded with the whole message by tnt_hs_decode()
 * (handshake.h); what is here is their signature. */

/* Length of the signed content: 64 + params_len. */
size_t tnt_kx_signed_params_len(size_t params_len);
/* client_random || server_random || params, the bytes a ServerKeyExchange
 * signature covers (RFC 5246 7.4.3). False if cap is too small. */
bool tnt_kx_signed_params(const uint8_t client_random[32], const uint8_t server_random[32],
                          const uint8_t *params, size_t params_len, uint8_t *out, size_t cap);

/* Checks a ServerKeyExchange signature with the server certificate (DER,
 * the first of its chain). The signature is a digitally-signed struct like
 * CertificateVerify's, so this is tnt_proof_verify() over the signed
 * content above, with the same rules (proof_verify.h): TLS 1.0/1.1 RSA
 * MD5||SHA-1 without DigestInfo, DSA/ECDSA SHA-1; TLS 1.2 the algorithm
 * named, which must be in client_sig_algs (the client's own ClientHello
 * signature_algorithms; NULL = RFC 5246 defaults) and fit the key. Only
 * TNT_PROOF_VALID means the parameters may be used; MISSING is sig == NULL,
 * UNCHECKED a version outside TLS 1.0-1.2 or GnuTLS unable to judge. The
 * caller still checks that the key type fits the suite
 * (tnt_kx_cert_fits_auth). */
tnt_proof_result tnt_kx_ske_verify(uint16_t version, const uint8_t *cert_der, size_t cert_len,
                                   const uint8_t client_random[32], const uint8_t server_random[32],
                                   const uint8_t *params, size_t params_len, bool has_algorithm,
                                   uint16_t algorithm, const uint8_t *sig, size_t sig_len,
                                   const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                                   char *reason, size_t reason_cap);
/* Signs ServerKeyExchange parameters with the server's private key (PEM or
 * DER, as tnt_proof_sign takes it), refusing what tnt_kx_ske_verify would
 * reject. For TLS 1.2 pick the algorithm with tnt_proof_pick_algorithm(). */
bool tnt_kx_ske_sign(uint16_t version, const uint8_t *key, size_t key_len,
                     const uint8_t client_random[32], const uint8_t server_random[32],
                     const uint8_t *params, size_t params_len, bool has_algorithm,
                     uint16_t algorithm, const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                     uint8_t *sig, size_t sig_cap, size_t *sig_len, char *reason,
                     size_t reason_cap);

/* Whether the certificate's key can authenticate a suite of this auth
 * (RFC 8422 5.3, RFC 5246 7.4.2): TNT_AUTH_RSA needs an rsaEncryption key,
 * TNT_AUTH_ECDSA an id-ecPublicKey key; other auths are refused. */
bool tnt_kx_cert_fits_auth(const uint8_t *cert_der, size_t cert_len, tnt_auth auth, char *reason,
                           size_t reason_cap);

#endif
