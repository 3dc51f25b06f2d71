/* TLS record protection (SSL 3.0 - TLS 1.3): one direction's cipher state.
 *
 * A state is made from what the handshake settled (version, cipher suite,
 * encrypt_then_mac) and the key block slices for one direction, then takes the
 * records of that direction in order: it owns the sequence number and, for RC4
 * and the implicit-IV CBC of SSL 3.0/TLS 1.0, the cipher state carried from
 * one record to the next. Every primitive is libgcrypt's.
 *
 * Decrypting is for a passive decoder, so a record that fails (bad MAC, bad
 * padding, too short) still advances the state exactly as the peer's did: the
 * next record decrypts normally and the caller can report the bad one and go
 * on. The same holds for tnt_rp_skip.
 *
 * TLS 1.3 (version 0x0304) has its own record functions, tnt_rp_decrypt13 and
 * tnt_rp_encrypt13, because its records hide the real content type inside the
 * encryption and authenticate the record header instead of a pseudo-header.
 * A state made for 0x0304 refuses tnt_rp_decrypt/tnt_rp_encrypt (and an older
 * one the *13 functions) with TNT_RP_ERROR. Each TLS 1.3 traffic secret gets
 * a state of its own: a key change (handshake -> application, KeyUpdate)
 * means a new state, since the sequence number starts again at 0.
 *
 * Buffers: the plaintext is never longer than the record body, so an out
 * buffer of in_len bytes always suffices. out may be the same buffer as in
 * (decrypt/encrypt in place); any other overlap is not allowed. */
#ifndef TNT_RECORD_PROTECTION_H
#define TNT_RECORD_PROTECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tnt/names.h"

typedef enum tnt_rp_status {
    TNT_RP_OK = 0,
    TNT_RP_BAD_MAC,     /* HMAC / SSL 3.0 MAC / AEAD tag did not verify */
    TNT_RP_BAD_PADDING, /* CBC padding malformed or longer than the record allows */
    TNT_RP_BAD_LENGTH,  /* record too short for IV + MAC/tag + padding, not a whole
                           number of blocks, or longer than 2^14 + 2048 */
    TNT_RP_UNSUPPORTED, /* (state creation) cipher, MAC or version we cannot do,
                           e.g. ARIA, SM4, AEAD before TLS 1.2 */
    TNT_RP_ERROR,       /* caller error (key length, buffer too small, NULL) or
                           a libgcrypt failure; the state did not advance */
} tnt_rp_status;

const char *tnt_rp_status_name(tnt_rp_status s); /* "ok", "bad_mac", ... */

typedef struct tnt_rp_params {
    uint16_t version;            /* negotiated version: 0x0300 (SSL 3.0) .. 0x0304 */
    const tnt_suite_info *suite; /* cipher and mac are what matter */
    const uint8_t *mac_key;      /* tnt_mac_len(suite->mac) bytes; unused for AEAD */
    size_t mac_key_len;
    const uint8_t *key; /* tnt_rp_key_len(cipher) bytes: for export ciphers the
                           final, expanded key (RC4_40 takes 5..16 bytes) */
    size_t key_len;
    /* SSL 3.0/TLS 1.0 CBC: the initial IV (block_len bytes). AEAD: the fixed
     * IV (4 bytes GCM/CCM, 12 ChaCha20; 12 for every TLS 1.3 suite). Ignored
     * otherwise (TLS 1.1+ CBC uses the explicit per-record IV), so may be
     * NULL. */
    const uint8_t *iv;
    size_t iv_len;
    /* RFC 7366 was negotiated. Only affects CBC suites (the RFC does not apply
     * it to stream or AEAD ciphers), so it is ignored for the others. */
    bool encrypt_then_mac;
} tnt_rp_params;

typedef struct tnt_rp_state tnt_rp_state;

/* The key length a state for cipher c takes: tnt_cipher_lookup(c)->key_len,
 * except for the export ciphers, whose key block holds 5 secret bytes but
 * whose cipher runs with the expanded key (16 bytes RC4_40 and RC2_CBC_40,
 * 8 DES40_CBC). 0 for an unknown cipher. */
size_t tnt_rp_key_len(tnt_cipher c);

/* Source of explicit CBC IVs for tnt_rp_encrypt, set by the caller
 * (tntenc's tnt_enc_record_iv draws them from libgcrypt): the decoding core
 * never draws random numbers, so without one tnt_rp_encrypt refuses the
 * CBC suites of TLS 1.1 and later with TNT_RP_ERROR. */
typedef void (*tnt_rp_rng)(void *ctx, uint8_t *buf, size_t len);

/* Creates a state with sequence number 0. On anything but TNT_RP_OK, *out is
 * NULL. Keys are copied: the caller's buffers need not outlive the call. */
tnt_rp_status tnt_rp_new(const tnt_rp_params *p, tnt_rp_state **out);
void tnt_rp_free(tnt_rp_state *st); /* NULL is fine; wipes key material */

uint64_t tnt_rp_seq(const tnt_rp_state *st);
/* E.g. to start mid-connection, or after renegotiation bookkeeping. */
void tnt_rp_set_seq(tnt_rp_state *st, uint64_t seq);
void tnt_rp_set_rng(tnt_rp_state *st, tnt_rp_rng rng, void *ctx);
/* True when the sequence number is the only state carried from one record to
 * the next (AEAD, CBC with explicit IVs, the NULL cipher): after records were
 * lost, decryption can resume under a later sequence number. False for RC4
 * and the chained IVs of SSL 3.0 / TLS 1.0 CBC. */
bool tnt_rp_resyncable(const tnt_rp_state *st);
/* Bytes of explicit nonce at the start of each record (8 for TLS 1.2 GCM and
 * CCM; 0 otherwise). Most implementations send the sequence number there. */
size_t tnt_rp_explicit_nonce_len(const tnt_rp_state *st);

/* Decrypts and verifies one record body (TLSCiphertext.fragment) of the given
 * content type and record-header version, writing the plaintext (without MAC,
 * padding, IV or tag) to out (out_cap >= in_len always suffices) and its length
 * to *out_len. The sequence number is used and incremented. On failure
 * *out_len is 0 and out holds no meaningful plaintext. */
tnt_rp_status tnt_rp_decrypt(tnt_rp_state *st, uint8_t content_type, uint16_t version,
                             const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                             size_t *out_len);

/* Passes over one record without decrypting it, keeping the state in step
 * (see record_protection.c for what each cipher needs). in may be NULL for
 * AEAD, NULL and explicit-IV CBC, whose skip needs only the sequence number;
 * RC4 needs only in_len; SSL 3.0/TLS 1.0 CBC needs the bytes. For a TLS 1.3
 * state it only advances the sequence number: tnt_rp_skip(st, NULL, 0). */
tnt_rp_status tnt_rp_skip(tnt_rp_state *st, const uint8_t *in, size_t in_len);

/* The same for a record whose body the record layer stepped over: only its
 * length and its last tail_len bytes are known. TNT_RP_SKIP_TAIL bytes (or
 * the whole body, if shorter) are enough for every cipher; fewer give
 * TNT_RP_ERROR where the CBC chain needs them. */
#define TNT_RP_SKIP_TAIL 64 /* one block after the largest MAC (SHA-384, for encrypt_then_mac) */
tnt_rp_status tnt_rp_skip_tail(tnt_rp_state *st, size_t in_len, const uint8_t *tail,
                               size_t tail_len);

/* The body length tnt_rp_encrypt produces for in_len bytes of plaintext;
 * for a TLS 1.3 state, what tnt_rp_encrypt13 produces without padding
 * (in_len + 1 + tag). */
size_t tnt_rp_encrypted_len(const tnt_rp_state *st, size_t in_len);

/* Protects one record: out receives exactly tnt_rp_encrypted_len(in_len)
 * bytes, which tnt_rp_decrypt of a state made from the same params accepts.
 * CBC uses minimal padding and, from TLS 1.1 on, an explicit IV from the RNG;
 * GCM and CCM use the sequence number as the explicit nonce (as OpenSSL and
 * GnuTLS do: unique without an RNG). in_len must be <= 2^14. */
tnt_rp_status tnt_rp_encrypt(tnt_rp_state *st, uint8_t content_type, uint16_t version,
                             const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
                             size_t *out_len);

/* ---- TLS 1.3 (RFC 8446 5.2-5.4) ---- */

/* Decrypts one TLS 1.3 record: hdr is its 5-byte header exactly as on the
 * wire (opaque type 23, legacy version, length == in_len; it is the AAD), in
 * the encrypted_record. The nonce is the state's iv xor the sequence number,
 * which is used and incremented whatever the outcome (except TNT_RP_ERROR).
 * On success out holds the content without its type byte and padding,
 * *out_len its length and *inner_type the real content type (never 0).
 * Failures (*out_len and *inner_type 0): TNT_RP_BAD_MAC (tag),
 * TNT_RP_BAD_LENGTH (shorter than tag + 1, longer than 2^14 + 256, or content
 * over 2^14), TNT_RP_BAD_PADDING (authentic but all zeros: no content type),
 * TNT_RP_ERROR (not a 0x0304 state, header length != in_len, out_cap <
 * in_len, NULL). out may be in. */
tnt_rp_status tnt_rp_decrypt13(tnt_rp_state *st, const uint8_t hdr[5], const uint8_t *in,
                               size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len,
                               uint8_t *inner_type);

/* Protects in_len bytes of content of type inner_type (non-zero) followed by
 * pad_len zero bytes of padding: hdr receives the record header (23, 0x0303,
 * length) and out the body, *out_len = in_len + 1 + pad_len + tag bytes.
 * in_len + 1 + pad_len may not exceed 2^14 + 1. out may be in. */
tnt_rp_status tnt_rp_encrypt13(tnt_rp_state *st, uint8_t inner_type, const uint8_t *in,
                               size_t in_len, size_t pad_len, uint8_t hdr[5], uint8_t *out,
                               size_t out_cap, size_t *out_len);

/* The building blocks the record functions use, exposed so that they can be
 * tested against published vectors (whose AAD/nonce/message framing is not a
 * TLS record's). */

/* The record MAC of a state made for mac m: HMAC for TLS, the SSL 3.0 MAC
 * (RFC 6101 5.2.3.1) when ssl3, computed over the concatenation of the n
 * parts. out receives tnt_mac_len(m) bytes. */
tnt_rp_status tnt_rp_mac(tnt_mac m, bool ssl3, const uint8_t *key, size_t key_len,
                         const uint8_t *const *parts, const size_t *part_lens, size_t n,
                         uint8_t *out);

/* AEAD open/seal with the state's cipher and key but the caller's nonce and
 * AAD. ct/pt are len bytes; tag is the cipher's tag_len. open verifies the
 * tag (TNT_RP_BAD_MAC on mismatch) and writes pt. The state's sequence number
 * is not touched. Only for states of an AEAD suite. */
tnt_rp_status tnt_rp_aead_open(tnt_rp_state *st, const uint8_t *nonce, size_t nonce_len,
                               const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
                               const uint8_t *tag, uint8_t *pt);
tnt_rp_status tnt_rp_aead_seal(tnt_rp_state *st, const uint8_t *nonce, size_t nonce_len,
                               const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
                               uint8_t *ct, uint8_t *tag);

#endif
