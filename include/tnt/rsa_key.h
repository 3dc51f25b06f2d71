/* Server RSA private keys, for decrypting RSA key exchange.
 *
 * The user hands us key files (PEM, PKCS#1 "RSA PRIVATE KEY" or unencrypted
 * PKCS#8 "PRIVATE KEY", or a bare DER key); all parsing is GnuTLS's. A set
 * holds several keys because one capture often has several servers; the key
 * for a connection is the one whose public half is in the server certificate
 * (compared by SHA-256 key id, i.e. over the SubjectPublicKeyInfo). */
#ifndef TNT_RSA_KEY_H
#define TNT_RSA_KEY_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TNT_RSA_KEY_ERROR (tnt_rsa_key_error_quark())
GQuark tnt_rsa_key_error_quark(void);

typedef enum tnt_rsa_key_error_code {
    TNT_RSA_KEY_ERROR_NO_KEY,    /* no private key in the input at all */
    TNT_RSA_KEY_ERROR_PARSE,     /* a key block GnuTLS cannot parse (garbage, truncated) */
    TNT_RSA_KEY_ERROR_ENCRYPTED, /* password-protected key: not supported */
    TNT_RSA_KEY_ERROR_NOT_RSA,   /* only non-RSA keys (EC, DSA, RSA-PSS) */
} tnt_rsa_key_error_code;

typedef struct tnt_rsa_key tnt_rsa_key;
typedef struct tnt_rsa_keyset tnt_rsa_keyset;

tnt_rsa_keyset *tnt_rsa_keyset_new(void);
void tnt_rsa_keyset_free(tnt_rsa_keyset *ks);

/* Adds every RSA private key in a buffer (a key file's contents: one or more
 * PEM blocks, other blocks such as certificates are ignored; or one DER
 * key). name is used in error messages and key sources. Returns the number
 * of keys added, or -1 with *error set: then nothing from it is added.
 * Non-RSA keys are skipped, but a buffer holding nothing else is an error.
 * (Reading a file: tnt/load.h.) */
int tnt_rsa_keyset_load_buffer(tnt_rsa_keyset *ks, const char *name, const uint8_t *data,
                               size_t len, GError **error);

size_t tnt_rsa_keyset_count(const tnt_rsa_keyset *ks);
/* Key i in load order (NULL if out of range); owned by the set. */
const tnt_rsa_key *tnt_rsa_keyset_get(const tnt_rsa_keyset *ks, size_t i);
/* The key whose public half is the one in this DER X.509 certificate; NULL
 * if none matches or the certificate does not parse. */
const tnt_rsa_key *tnt_rsa_keyset_find_for_cert(const tnt_rsa_keyset *ks, const uint8_t *cert_der,
                                                size_t cert_len);

bool tnt_rsa_key_matches_cert(const tnt_rsa_key *k, const uint8_t *cert_der, size_t cert_len);
/* Modulus size in bits. */
unsigned tnt_rsa_key_bits(const tnt_rsa_key *k);
/* "<file or buffer name>#<n>", n counting PEM key blocks from 1. */
const char *tnt_rsa_key_source(const tnt_rsa_key *k);
/* SHA-256 over the SubjectPublicKeyInfo (32 bytes). */
const uint8_t *tnt_rsa_key_id(const tnt_rsa_key *k, size_t *len);

/* Decrypts an EncryptedPreMasterSecret (PKCS#1 v1.5), given without the
 * 2-byte length prefix TLS puts before it, into the 48-byte pre-master
 * secret. False if it does not decrypt or the plaintext is not 48 bytes
 * (the caller then has the wrong key, or a damaged/attacking handshake). The
 * version bytes inside are left for the caller to judge. */
bool tnt_rsa_key_decrypt_pms(const tnt_rsa_key *k, const uint8_t *epms, size_t epms_len,
                             uint8_t pms[48]);

#endif
