/* Key derivation for SSL 3.0 and TLS 1.0-1.2 (RFC 6101, 2246, 4346, 5246,
 * 7627), the Finished check, and a running transcript hash.
 *
 * Every primitive is libgcrypt's (gcry_md, gcry_mac HMAC); this file only
 * strings them together as the RFCs say. Secrets are plain byte arrays the
 * caller owns. */
#ifndef TNT_PRF_H
#define TNT_PRF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_MASTER_SECRET_LEN 48
#define TNT_RANDOM_LEN 32
#define TNT_VERIFY_DATA_LEN 12      /* TLS 1.0-1.2 Finished */
#define TNT_SSL3_VERIFY_DATA_LEN 36 /* SSL 3.0 Finished: MD5 || SHA-1 */
#define TNT_MAX_HASH_LEN 64

/* Which key derivation a connection uses: fixed by the version, and for TLS
 * 1.2 by the cipher suite's PRF hash. */
typedef enum tnt_prf_alg {
    TNT_PRF_SSL3,   /* SSL 3.0: the MD5/SHA-1 construction of RFC 6101 */
    TNT_PRF_TLS10,  /* TLS 1.0 and 1.1: P_MD5 xor P_SHA1 */
    TNT_PRF_SHA256, /* TLS 1.2, most suites */
    TNT_PRF_SHA384, /* TLS 1.2, *_SHA384 suites */
} tnt_prf_alg;

/* Makes libgcrypt usable if nobody has yet (idempotent, thread-safe; leaves
 * an application's own initialisation alone, e.g. Wireshark's). The
 * functions below call it themselves. */
void tnt_gcrypt_init(void);

/* PRF(secret, label, seed) of RFC 2246 5 / RFC 5246 5, out_len bytes. For
 * TNT_PRF_SSL3 the label is ignored and the RFC 6101 6.1/6.2.2 expansion
 * (MD5(secret + SHA1("A" + secret + seed)) + ...) is produced, which is what
 * both the master secret and the key block of SSL 3.0 are; it is defined for
 * at most 26 * 16 bytes. False on a libgcrypt failure or a bad argument. */
bool tnt_prf(tnt_prf_alg alg, const uint8_t *secret, size_t secret_len, const char *label,
             const uint8_t *seed, size_t seed_len, uint8_t *out, size_t out_len);

/* master_secret = PRF(pms, "master secret", client_random + server_random). */
bool tnt_master_secret(tnt_prf_alg alg, const uint8_t *pms, size_t pms_len,
                       const uint8_t client_random[32], const uint8_t server_random[32],
                       uint8_t ms[48]);
/* RFC 7627: PRF(pms, "extended master secret", session_hash), where
 * session_hash is tnt_transcript_handshake_hash() taken right after the
 * ClientKeyExchange. Not defined for SSL 3.0. */
bool tnt_master_secret_ems(tnt_prf_alg alg, const uint8_t *pms, size_t pms_len,
                           const uint8_t *session_hash, size_t session_hash_len, uint8_t ms[48]);
/* key_block = PRF(ms, "key expansion", server_random + client_random). */
bool tnt_key_block(tnt_prf_alg alg, const uint8_t ms[48], const uint8_t client_random[32],
                   const uint8_t server_random[32], uint8_t *out, size_t out_len);

#define TNT_MAX_MAC_KEY_LEN 64 /* HMAC-SHA384 uses 48 */
#define TNT_MAX_ENC_KEY_LEN 32
#define TNT_MAX_IV_LEN 16

/* The key block cut up as RFC 5246 6.3 lists it. */
typedef struct tnt_key_material {
    uint8_t client_mac[TNT_MAX_MAC_KEY_LEN];
    uint8_t server_mac[TNT_MAX_MAC_KEY_LEN];
    uint8_t client_key[TNT_MAX_ENC_KEY_LEN];
    uint8_t server_key[TNT_MAX_ENC_KEY_LEN];
    uint8_t client_iv[TNT_MAX_IV_LEN];
    uint8_t server_iv[TNT_MAX_IV_LEN];
    size_t mac_len, key_len, iv_len;
} tnt_key_material;

/* Number of key block bytes the split below consumes: 2 * (mac + key + iv). */
size_t tnt_key_block_len(size_t mac_len, size_t key_len, size_t iv_len);
/* Splits kb into client MAC key, server MAC key, client key, server key,
 * client IV, server IV. mac_len is 0 for AEAD suites, iv_len is the implicit
 * part (4 for GCM, 12 for ChaCha20-Poly1305, the block size for CBC). False if
 * a length exceeds its TNT_MAX_* or kb_len is short. */
bool tnt_key_block_split(const uint8_t *kb, size_t kb_len, size_t mac_len, size_t key_len,
                         size_t iv_len, tnt_key_material *out);
/* tnt_key_block then tnt_key_block_split. */
bool tnt_derive_keys(tnt_prf_alg alg, const uint8_t ms[48], const uint8_t client_random[32],
                     const uint8_t server_random[32], size_t mac_len, size_t key_len, size_t iv_len,
                     tnt_key_material *out);

/* Export suites (RFC 2246 6.3, RFC 6101 6.2.2.3): km holds the key block's
 * km->key_len secret bytes per key and no IVs; replaces them with the final
 * key_len-byte write keys and iv_len-byte IVs (iv_len 0 for RC4). */
bool tnt_export_keys(tnt_prf_alg alg, const uint8_t client_random[32],
                     const uint8_t server_random[32], size_t key_len, size_t iv_len,
                     tnt_key_material *km);

/* ---- transcript hash ---- */

/* Hash functions the transcript keeps running. MD5 and SHA-1 for TLS <= 1.1
 * and SSL 3.0; the others for TLS 1.2 PRFs and for the signature hashes a
 * TLS 1.2 CertificateVerify may name. */
typedef enum tnt_hash {
    TNT_HASH_MD5,
    TNT_HASH_SHA1,
    TNT_HASH_SHA224,
    TNT_HASH_SHA256,
    TNT_HASH_SHA384,
    TNT_HASH_SHA512,
} tnt_hash;

/* Output length of a hash in bytes (0 if unknown). */
size_t tnt_hash_len(tnt_hash h);

typedef struct tnt_transcript tnt_transcript;

/* A transcript over nothing yet; NULL only if libgcrypt fails. */
tnt_transcript *tnt_transcript_new(void);
/* An independent copy: the state at this point, to finish later (e.g. the
 * EMS session hash after ClientKeyExchange while the transcript runs on to
 * the Finished messages). NULL only if libgcrypt fails. */
tnt_transcript *tnt_transcript_copy(const tnt_transcript *t);
void tnt_transcript_free(tnt_transcript *t);
/* Appends handshake message bytes (header included, as they are hashed in
 * TLS: msg_type, length, body). */
void tnt_transcript_update(tnt_transcript *t, const uint8_t *data, size_t len);
/* Hash of everything so far; the transcript keeps running. *len gets the
 * output length. False if cap is too small. */
bool tnt_transcript_digest(const tnt_transcript *t, tnt_hash h, uint8_t *out, size_t cap,
                           size_t *len);
/* The "handshake hash" a PRF takes (Finished, EMS session_hash): MD5 || SHA-1
 * (36 bytes) for TLS 1.0/1.1 and SSL 3.0, SHA-256 or SHA-384 for TLS 1.2. */
bool tnt_transcript_handshake_hash(const tnt_transcript *t, tnt_prf_alg alg, uint8_t *out,
                                   size_t cap, size_t *len);

/* verify_data of a Finished message sent by the client (by_server false) or
 * the server, over the transcript of all handshake messages before it.
 * TLS: PRF(ms, "client finished"/"server finished", handshake hash)[0..12].
 * SSL 3.0 (RFC 6101 5.6.9): MD5 and SHA-1 with the "CLNT"/"SRVR" sender and
 * the pads, 36 bytes. *len gets the length; false if cap is too small. */
bool tnt_finished_verify_data(tnt_prf_alg alg, const uint8_t ms[48], bool by_server,
                              const tnt_transcript *t, uint8_t *out, size_t cap, size_t *len);

#endif
