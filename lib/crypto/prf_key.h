/* A PRF secret keyed once, for the many PRF calls with one master secret
 * (the key block and both Finished messages of a handshake): the public
 * tnt_prf and friends (prf.h) open and key an HMAC on every call, which
 * costs as much as the HMACs they then compute. lib/ only. */
#ifndef TNT_PRF_KEY_H
#define TNT_PRF_KEY_H

#include "prf.h"

typedef struct tnt_prf_key tnt_prf_key;

/* NULL if libgcrypt fails or alg is unknown. */
tnt_prf_key *tnt_prf_key_new(tnt_prf_alg alg, const uint8_t *secret, size_t secret_len);
void tnt_prf_key_free(tnt_prf_key *k);
/* Was k made with this algorithm and secret? */
bool tnt_prf_key_is_for(const tnt_prf_key *k, tnt_prf_alg alg, const uint8_t *secret,
                        size_t secret_len);
/* tnt_prf with k's algorithm and secret. */
bool tnt_prf_keyed(tnt_prf_key *k, const char *label, const uint8_t *seed, size_t seed_len,
                   uint8_t *out, size_t out_len);
/* tnt_derive_keys and tnt_finished_verify_data with k made from the master
 * secret. */
bool tnt_derive_keys_keyed(tnt_prf_key *k, const uint8_t client_random[32],
                           const uint8_t server_random[32], size_t mac_len, size_t key_len,
                           size_t iv_len, tnt_key_material *out);
bool tnt_finished_verify_data_keyed(tnt_prf_key *k, bool by_server, const tnt_transcript *t,
                                    uint8_t *out, size_t cap, size_t *len);

#endif
