/* TLS 1.3 traffic keys from traffic secrets (RFC 8446 7.1-7.3).
 *
 * A passive decoder never runs the TLS 1.3 key schedule itself: the key log
 * gives it the traffic secrets (CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...), and
 * what is left is to expand each secret into the record key and IV, and to
 * roll an application secret forward when a KeyUpdate passes. Both are
 * HKDF-Expand-Label, built on libgcrypt's HMAC.
 *
 * Hashes: only SHA-256 and SHA-384, the hashes of the TLS 1.3 suites we can
 * decrypt (RFC 8446 B.4); anything else makes the functions return false. */
#ifndef TNT_TLS13_KEYS_H
#define TNT_TLS13_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "prf.h"
#include "record_protection.h"

#define TNT_TLS13_IV_LEN 12         /* every TLS 1.3 AEAD we know: iv_length = 12 */
#define TNT_TLS13_MAX_SECRET_LEN 48 /* SHA-384 */
#define TNT_TLS13_MAX_KEY_LEN 32

/* HKDF-Expand-Label(secret, label, context, out_len) of RFC 8446 7.1: the
 * label is given without the "tls13 " prefix ("key", "iv", "traffic upd").
 * False on an unsupported hash, a label of more than 249 bytes, an empty
 * label, a context over 255 bytes, out_len over 255 * hash length, or a
 * libgcrypt failure. */
bool tnt_hkdf_expand_label(tnt_hash h, const uint8_t *secret, size_t secret_len, const char *label,
                           const uint8_t *context, size_t context_len, uint8_t *out,
                           size_t out_len);

/* [sender]_write_key and [sender]_write_iv of RFC 8446 7.3: "key" and "iv"
 * with an empty context. secret_len must be the hash's length (a 48-byte
 * secret for a SHA-256 suite means a wrong key log line, not a key). key gets
 * key_len bytes (1..32), iv 12. */
bool tnt_tls13_traffic_keys(tnt_hash h, const uint8_t *secret, size_t secret_len, size_t key_len,
                            uint8_t *key, uint8_t iv[TNT_TLS13_IV_LEN]);

/* application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd",
 * "", Hash.length) (RFC 8446 7.2): the sender's next secret after it sends a
 * KeyUpdate. out gets len bytes; len must be the hash's length. out may be the
 * same buffer as secret. */
bool tnt_tls13_update_secret(tnt_hash h, const uint8_t *secret, size_t len, uint8_t *out);

/* The HKDF hash of a TLS 1.3 suite (its kx is TNT_KX_TLS13): SHA-384 for
 * TLS_AES_256_GCM_SHA384, SHA-256 for the other four of RFC 8446. False for a
 * suite that is not TLS 1.3 or whose hash we lack (SM3). */
bool tnt_tls13_suite_hash(const tnt_suite_info *s, tnt_hash *out);

/* Everything a connection needs at an epoch switch: the suite's hash and key
 * length, the key and IV from the traffic secret, and a record protection
 * state for version 0x0304 with sequence number 0 (RFC 8446 5.3: every key
 * change resets it). The secret is copied; the caller may wipe it. Returns
 * TNT_RP_UNSUPPORTED for a suite that is not a TLS 1.3 one we can decrypt,
 * TNT_RP_ERROR for a secret of the wrong length. */
tnt_rp_status tnt_tls13_rp_new(const tnt_suite_info *s, const uint8_t *secret, size_t secret_len,
                               tnt_rp_state **out);

#endif
