/* Everything a decoder may know about secrets, shared by all connections of a
 * run: key logs (files and pcapng Decryption Secrets Blocks), RSA private
 * keys, and the master secrets of sessions seen so far, by session ID and by
 * session ticket, so that a resumption in a later connection (or a later
 * file) finds the secret of the handshake that created its session. */
#ifndef TNT_KEYS_H
#define TNT_KEYS_H

#include "tnt/keylog.h"
#include "tnt/order.h"
#include "tnt/rsa_key.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tnt_keys {
    tnt_keylog *keylog;
    tnt_rsa_keyset *rsa;
    void *by_session_id; /* GHashTable: GBytes -> 48-byte master secret */
    void *by_ticket;
    /* Sessions kept per table (by session ID, by ticket): a capture with
     * more distinct sessions loses resumption keys for the excess, not
     * memory. TNT_KEYS_MAX_CACHED from tnt_keys_new; tests lower it. */
    size_t max_cached;
    /* Private: session secrets kept for their turn (tnt_keys_set_order),
     * and the lock that lets threads share the RSA keys. */
    void *ordered;
    void *rsa_lock;
} tnt_keys;

#define TNT_KEYS_MAX_CACHED 1000000u

tnt_keys *tnt_keys_new(void);
void tnt_keys_free(tnt_keys *k);
/* True when anything at all could decrypt (key log entries or RSA keys). */
bool tnt_keys_any(const tnt_keys *k);

/* Connections fed from several threads (tnt/order.h); NULL: one thread.
 * Set between runs. The key log and RSA keys are only read while
 * connections are fed, so they need no order. */
void tnt_keys_set_order(tnt_keys *k, const tnt_input_order *order);
/* Applies every secret kept aside for its turn (after a run on several
 * threads). */
void tnt_keys_flush(tnt_keys *k);
/* tnt_rsa_key_decrypt_pms for a key of k->rsa, safe from several threads. */
bool tnt_keys_rsa_decrypt(tnt_keys *k, const tnt_rsa_key *key, const uint8_t *epms, size_t epms_len,
                          uint8_t pms[48]);

void tnt_keys_remember_session(tnt_keys *k, const uint8_t *sid, size_t sid_len,
                               const uint8_t ms[48]);
bool tnt_keys_session(const tnt_keys *k, const uint8_t *sid, size_t sid_len, uint8_t ms[48]);
void tnt_keys_remember_ticket(tnt_keys *k, const uint8_t *ticket, size_t len, const uint8_t ms[48]);
bool tnt_keys_ticket(const tnt_keys *k, const uint8_t *ticket, size_t len, uint8_t ms[48]);

#endif
