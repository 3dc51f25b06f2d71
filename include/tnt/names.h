/* Name tables: IANA registries the decoders and front ends need by number.
 *
 * Every lookup returns NULL for a value it does not know; front ends print the
 * number then. The cipher suite table also carries what decryption needs to
 * know about each suite, so the crypto code never parses suite names. */
#ifndef TNT_NAMES_H
#define TNT_NAMES_H

#include "tnt/codepoints.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum tnt_kx {
    TNT_KX_UNKNOWN = 0,
    TNT_KX_NULL,  /* TLS_NULL_WITH_NULL_NULL */
    TNT_KX_RSA,   /* RSA key transport (incl. RSA_EXPORT) */
    TNT_KX_DH,    /* static DH (DH_DSS, DH_RSA): ClientKeyExchange carries Yc */
    TNT_KX_DHE,   /* DHE_RSA, DHE_DSS, DH_anon */
    TNT_KX_ECDH,  /* static ECDH (ECDH_ECDSA, ECDH_RSA) */
    TNT_KX_ECDHE, /* ECDHE_RSA, ECDHE_ECDSA, ECDH_anon */
    TNT_KX_PSK,   /* plain PSK */
    TNT_KX_DHE_PSK,
    TNT_KX_RSA_PSK,
    TNT_KX_ECDHE_PSK,
    TNT_KX_SRP,
    TNT_KX_KRB5,
    TNT_KX_TLS13, /* TLS 1.3 suites: no key exchange in the suite */
} tnt_kx;

typedef enum tnt_auth {
    TNT_AUTH_UNKNOWN = 0,
    TNT_AUTH_NULL, /* anonymous */
    TNT_AUTH_RSA,
    TNT_AUTH_DSS,
    TNT_AUTH_ECDSA,
    TNT_AUTH_PSK,
    TNT_AUTH_SRP,
    TNT_AUTH_KRB5,
} tnt_auth;

typedef enum tnt_cipher {
    TNT_CIPHER_UNKNOWN = 0,
    TNT_CIPHER_NULL,
    TNT_CIPHER_RC4_40,
    TNT_CIPHER_RC4_128,
    TNT_CIPHER_RC2_40_CBC,
    TNT_CIPHER_IDEA_CBC,
    TNT_CIPHER_DES40_CBC,
    TNT_CIPHER_DES_CBC,
    TNT_CIPHER_3DES_EDE_CBC,
    TNT_CIPHER_AES_128_CBC,
    TNT_CIPHER_AES_256_CBC,
    TNT_CIPHER_CAMELLIA_128_CBC,
    TNT_CIPHER_CAMELLIA_256_CBC,
    TNT_CIPHER_SEED_CBC,
    TNT_CIPHER_ARIA_128_CBC,
    TNT_CIPHER_ARIA_256_CBC,
    TNT_CIPHER_AES_128_GCM,
    TNT_CIPHER_AES_256_GCM,
    TNT_CIPHER_AES_128_CCM,
    TNT_CIPHER_AES_256_CCM,
    TNT_CIPHER_AES_128_CCM_8,
    TNT_CIPHER_AES_256_CCM_8,
    TNT_CIPHER_CAMELLIA_128_GCM,
    TNT_CIPHER_CAMELLIA_256_GCM,
    TNT_CIPHER_ARIA_128_GCM,
    TNT_CIPHER_ARIA_256_GCM,
    TNT_CIPHER_CHACHA20_POLY1305,
    TNT_CIPHER_SM4_GCM,
    TNT_CIPHER_SM4_CCM,
} tnt_cipher;

typedef enum tnt_mac {
    TNT_MAC_UNKNOWN = 0,
    TNT_MAC_NULL,
    TNT_MAC_MD5,
    TNT_MAC_SHA1,
    TNT_MAC_SHA256,
    TNT_MAC_SHA384,
    TNT_MAC_AEAD, /* AEAD suites: no separate MAC */
} tnt_mac;

/* The hash of the TLS 1.2 PRF (and of the TLS 1.3 HKDF). TLS 1.0/1.1 always
 * use MD5+SHA-1 whatever this says. */
typedef enum tnt_suite_prf {
    TNT_SUITE_PRF_SHA256 = 0,
    TNT_SUITE_PRF_SHA384,
    TNT_SUITE_PRF_SM3,
} tnt_suite_prf;

typedef struct tnt_suite_info {
    uint16_t id;
    const char *name; /* IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
    tnt_kx kx;
    tnt_auth auth;
    tnt_cipher cipher;
    tnt_mac mac;
    tnt_suite_prf prf;
    bool exportable;
} tnt_suite_info;

const tnt_suite_info *tnt_suite_lookup(uint16_t id);
const char *tnt_suite_name(uint16_t id);

typedef struct tnt_cipher_info {
    tnt_cipher cipher;
    const char *name;
    uint8_t key_len;     /* bytes */
    uint8_t iv_len;      /* CBC block size, AEAD fixed (implicit) IV part */
    uint8_t block_len;   /* 0 for stream and AEAD ciphers */
    uint8_t explicit_iv; /* AEAD: explicit nonce bytes per record (8 for GCM/CCM, 0 ChaCha) */
    uint8_t tag_len;     /* AEAD tag length */
    bool aead;
} tnt_cipher_info;
const tnt_cipher_info *tnt_cipher_lookup(tnt_cipher c);

/* MAC output length in bytes (0 for NULL and AEAD). */
unsigned tnt_mac_len(tnt_mac m);
const char *tnt_mac_name(tnt_mac m);
const char *tnt_kx_name(tnt_kx kx);

const char *tnt_version_name(uint16_t v);     /* "TLS 1.2", "SSL 3.0", ... */
const char *tnt_content_type_name(uint8_t t); /* "handshake", ... */
/* IANA names; TNT names per the codepoints (NULL: the defaults) */
const char *tnt_handshake_type_name(const tnt_codepoints *cp, uint8_t t);
const char *tnt_alert_level_name(uint8_t l);
const char *tnt_alert_description_name(uint8_t d);
/* "server_name", ...; "tnt" per the codepoints (NULL: the defaults) */
const char *tnt_extension_name(const tnt_codepoints *cp, uint16_t t);
const char *tnt_group_name(uint16_t g);     /* supported_groups: "x25519", "secp256r1" */
const char *tnt_sigscheme_name(uint16_t s); /* "rsa_pkcs1_sha256", "ecdsa_secp256r1_sha256" */
const char *tnt_ec_point_format_name(uint8_t f);
const char *tnt_compression_name(uint8_t c);
const char *tnt_cert_type_name(uint8_t t);   /* ClientCertificateType */
const char *tnt_hash_name(uint8_t h);        /* TLS 1.2 HashAlgorithm */
const char *tnt_sig_name(uint8_t s);         /* TLS 1.2 SignatureAlgorithm */
const char *tnt_curve_type_name(uint8_t t);  /* ECCurveType */
const char *tnt_status_type_name(uint8_t t); /* CertificateStatusType */
const char *tnt_sni_type_name(uint8_t t);    /* NameType */

/* GREASE values (RFC 8701) appear in suites, groups, extensions and versions. */
bool tnt_is_grease(uint16_t v);

#endif
