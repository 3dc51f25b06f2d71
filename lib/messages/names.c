/* Name tables. Each registry is a static table so lookups never allocate and
 * the front ends can print names for every record of a large capture cheaply.
 *
 * Naming policy: IANA names. Where IANA later renamed a value to *_RESERVED
 * because TLS 1.3 retired it, the name from the RFC in which it was live is
 * used, since this toolkit decodes TLS 1.0-1.2 traffic where those values
 * still mean something (e.g. no_renegotiation is central to rehandshakes). */
#include "names.h"

#include <stddef.h>

#include "codepoints.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Cipher suites: the whole IANA registry (TLS 1.0-1.3), sorted by id so that
 * tnt_suite_lookup can binary-search it; it runs for every ClientHello suite.
 *
 * kx/auth/cipher/mac/prf follow from the suite name. Columns stay UNKNOWN for
 * what the enums cannot express (ECCPWD and GOST key exchange, GOST and AEGIS
 * ciphers, GOST MACs) and for the two SCSVs, which are signals, not suites;
 * the crypto code refuses UNKNOWN, so such suites are named but never
 * decrypted. prf is SHA-384 exactly for *_SHA384 suites, SM3 for the SM
 * suites, SHA-256 otherwise (and meaningless where cipher is UNKNOWN).
 * TLS 1.3 suites (incl. RFC 8998 SM4 and RFC 9150 integrity-only ones) carry
 * kx TLS13 and auth UNKNOWN: TLS 1.3 negotiates both outside the suite. */
// clang-format off
#define S(id, name, kx, au, ci, mac, prf, exp) \
    {id, name, TNT_KX_##kx, TNT_AUTH_##au, TNT_CIPHER_##ci, TNT_MAC_##mac, TNT_SUITE_PRF_##prf, exp}

static const tnt_suite_info suites[] = {
    S(0x0000, "TLS_NULL_WITH_NULL_NULL",                       NULL,      NULL,    NULL,              NULL,    SHA256, 0),
    S(0x0001, "TLS_RSA_WITH_NULL_MD5",                         RSA,       RSA,     NULL,              MD5,     SHA256, 0),
    S(0x0002, "TLS_RSA_WITH_NULL_SHA",                         RSA,       RSA,     NULL,              SHA1,    SHA256, 0),
    S(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5",                RSA,       RSA,     RC4_40,            MD5,     SHA256, 1),
    S(0x0004, "TLS_RSA_WITH_RC4_128_MD5",                      RSA,       RSA,     RC4_128,           MD5,     SHA256, 0),
    S(0x0005, "TLS_RSA_WITH_RC4_128_SHA",                      RSA,       RSA,     RC4_128,           SHA1,    SHA256, 0),
    S(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5",            RSA,       RSA,     RC2_40_CBC,        MD5,     SHA256, 1),
    S(0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA",                     RSA,       RSA,     IDEA_CBC,          SHA1,    SHA256, 0),
    S(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",             RSA,       RSA,     DES40_CBC,         SHA1,    SHA256, 1),
    S(0x0009, "TLS_RSA_WITH_DES_CBC_SHA",                      RSA,       RSA,     DES_CBC,           SHA1,    SHA256, 0),
    S(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA",                 RSA,       RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA",          DH,        DSS,     DES40_CBC,         SHA1,    SHA256, 1),
    S(0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA",                   DH,        DSS,     DES_CBC,           SHA1,    SHA256, 0),
    S(0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA",              DH,        DSS,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA",          DH,        RSA,     DES40_CBC,         SHA1,    SHA256, 1),
    S(0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA",                   DH,        RSA,     DES_CBC,           SHA1,    SHA256, 0),
    S(0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA",              DH,        RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",         DHE,       DSS,     DES40_CBC,         SHA1,    SHA256, 1),
    S(0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA",                  DHE,       DSS,     DES_CBC,           SHA1,    SHA256, 0),
    S(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",             DHE,       DSS,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",         DHE,       RSA,     DES40_CBC,         SHA1,    SHA256, 1),
    S(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA",                  DHE,       RSA,     DES_CBC,           SHA1,    SHA256, 0),
    S(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",             DHE,       RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5",            DHE,       NULL,    RC4_40,            MD5,     SHA256, 1),
    S(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5",                  DHE,       NULL,    RC4_128,           MD5,     SHA256, 0),
    S(0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA",         DHE,       NULL,    DES40_CBC,         SHA1,    SHA256, 1),
    S(0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA",                  DHE,       NULL,    DES_CBC,           SHA1,    SHA256, 0),
    S(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA",             DHE,       NULL,    3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x001E, "TLS_KRB5_WITH_DES_CBC_SHA",                     KRB5,      KRB5,    DES_CBC,           SHA1,    SHA256, 0),
    S(0x001F, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA",                KRB5,      KRB5,    3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0020, "TLS_KRB5_WITH_RC4_128_SHA",                     KRB5,      KRB5,    RC4_128,           SHA1,    SHA256, 0),
    S(0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA",                    KRB5,      KRB5,    IDEA_CBC,          SHA1,    SHA256, 0),
    S(0x0022, "TLS_KRB5_WITH_DES_CBC_MD5",                     KRB5,      KRB5,    DES_CBC,           MD5,     SHA256, 0),
    S(0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5",                KRB5,      KRB5,    3DES_EDE_CBC,      MD5,     SHA256, 0),
    S(0x0024, "TLS_KRB5_WITH_RC4_128_MD5",                     KRB5,      KRB5,    RC4_128,           MD5,     SHA256, 0),
    S(0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5",                    KRB5,      KRB5,    IDEA_CBC,          MD5,     SHA256, 0),
    S(0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA",           KRB5,      KRB5,    DES40_CBC,         SHA1,    SHA256, 1),
    S(0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA",           KRB5,      KRB5,    RC2_40_CBC,        SHA1,    SHA256, 1),
    S(0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA",               KRB5,      KRB5,    RC4_40,            SHA1,    SHA256, 1),
    S(0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5",           KRB5,      KRB5,    DES40_CBC,         MD5,     SHA256, 1),
    S(0x002A, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5",           KRB5,      KRB5,    RC2_40_CBC,        MD5,     SHA256, 1),
    S(0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5",               KRB5,      KRB5,    RC4_40,            MD5,     SHA256, 1),
    S(0x002C, "TLS_PSK_WITH_NULL_SHA",                         PSK,       PSK,     NULL,              SHA1,    SHA256, 0),
    S(0x002D, "TLS_DHE_PSK_WITH_NULL_SHA",                     DHE_PSK,   PSK,     NULL,              SHA1,    SHA256, 0),
    S(0x002E, "TLS_RSA_PSK_WITH_NULL_SHA",                     RSA_PSK,   RSA,     NULL,              SHA1,    SHA256, 0),
    S(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA",                  RSA,       RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA",               DH,        DSS,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA",               DH,        RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",              DHE,       DSS,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",              DHE,       RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA",              DHE,       NULL,    AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA",                  RSA,       RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA",               DH,        DSS,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA",               DH,        RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",              DHE,       DSS,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",              DHE,       RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA",              DHE,       NULL,    AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x003B, "TLS_RSA_WITH_NULL_SHA256",                      RSA,       RSA,     NULL,              SHA256,  SHA256, 0),
    S(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256",               RSA,       RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256",               RSA,       RSA,     AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256",            DH,        DSS,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256",            DH,        RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",           DHE,       DSS,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",             RSA,       RSA,     CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA",          DH,        DSS,     CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA",          DH,        RSA,     CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA",         DHE,       DSS,     CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",         DHE,       RSA,     CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",         DHE,       NULL,    CAMELLIA_128_CBC,  SHA1,    SHA256, 0),
    S(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",           DHE,       RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256",            DH,        DSS,     AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256",            DH,        RSA,     AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",           DHE,       DSS,     AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",           DHE,       RSA,     AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256",           DHE,       NULL,    AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256",           DHE,       NULL,    AES_256_CBC,       SHA256,  SHA256, 0),
    S(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",             RSA,       RSA,     CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA",          DH,        DSS,     CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA",          DH,        RSA,     CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA",         DHE,       DSS,     CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",         DHE,       RSA,     CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",         DHE,       NULL,    CAMELLIA_256_CBC,  SHA1,    SHA256, 0),
    S(0x008A, "TLS_PSK_WITH_RC4_128_SHA",                      PSK,       PSK,     RC4_128,           SHA1,    SHA256, 0),
    S(0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA",                 PSK,       PSK,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA",                  PSK,       PSK,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA",                  PSK,       PSK,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x008E, "TLS_DHE_PSK_WITH_RC4_128_SHA",                  DHE_PSK,   PSK,     RC4_128,           SHA1,    SHA256, 0),
    S(0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA",             DHE_PSK,   PSK,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA",              DHE_PSK,   PSK,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA",              DHE_PSK,   PSK,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA",                  RSA_PSK,   RSA,     RC4_128,           SHA1,    SHA256, 0),
    S(0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA",             RSA_PSK,   RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",              RSA_PSK,   RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",              RSA_PSK,   RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0x0096, "TLS_RSA_WITH_SEED_CBC_SHA",                     RSA,       RSA,     SEED_CBC,          SHA1,    SHA256, 0),
    S(0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA",                  DH,        DSS,     SEED_CBC,          SHA1,    SHA256, 0),
    S(0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA",                  DH,        RSA,     SEED_CBC,          SHA1,    SHA256, 0),
    S(0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA",                 DHE,       DSS,     SEED_CBC,          SHA1,    SHA256, 0),
    S(0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA",                 DHE,       RSA,     SEED_CBC,          SHA1,    SHA256, 0),
    S(0x009B, "TLS_DH_anon_WITH_SEED_CBC_SHA",                 DHE,       NULL,    SEED_CBC,          SHA1,    SHA256, 0),
    S(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256",               RSA,       RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384",               RSA,       RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",           DHE,       RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",           DHE,       RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00A0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256",            DH,        RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00A1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384",            DH,        RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",           DHE,       DSS,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",           DHE,       DSS,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00A4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256",            DH,        DSS,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00A5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384",            DH,        DSS,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256",           DHE,       NULL,    AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384",           DHE,       NULL,    AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256",               PSK,       PSK,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384",               PSK,       PSK,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",           DHE_PSK,   PSK,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",           DHE_PSK,   PSK,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",           RSA_PSK,   RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384",           RSA_PSK,   RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256",               PSK,       PSK,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384",               PSK,       PSK,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0x00B0, "TLS_PSK_WITH_NULL_SHA256",                      PSK,       PSK,     NULL,              SHA256,  SHA256, 0),
    S(0x00B1, "TLS_PSK_WITH_NULL_SHA384",                      PSK,       PSK,     NULL,              SHA384,  SHA384, 0),
    S(0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256",           DHE_PSK,   PSK,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",           DHE_PSK,   PSK,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256",                  DHE_PSK,   PSK,     NULL,              SHA256,  SHA256, 0),
    S(0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384",                  DHE_PSK,   PSK,     NULL,              SHA384,  SHA384, 0),
    S(0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",           RSA_PSK,   RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",           RSA_PSK,   RSA,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256",                  RSA_PSK,   RSA,     NULL,              SHA256,  SHA256, 0),
    S(0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384",                  RSA_PSK,   RSA,     NULL,              SHA384,  SHA384, 0),
    S(0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",          RSA,       RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00BB, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256",       DH,        DSS,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00BC, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256",       DH,        RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256",      DHE,       DSS,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",      DHE,       RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256",      DHE,       NULL,    CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",          RSA,       RSA,     CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256",       DH,        DSS,     CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256",       DH,        RSA,     CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256",      DHE,       DSS,     CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",      DHE,       RSA,     CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256",      DHE,       NULL,    CAMELLIA_256_CBC,  SHA256,  SHA256, 0),
    S(0x00C6, "TLS_SM4_GCM_SM3",                               TLS13,     UNKNOWN, SM4_GCM,           AEAD,    SM3,    0),
    S(0x00C7, "TLS_SM4_CCM_SM3",                               TLS13,     UNKNOWN, SM4_CCM,           AEAD,    SM3,    0),
    S(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",             UNKNOWN,   UNKNOWN, UNKNOWN,           UNKNOWN, SHA256, 0),
    S(0x1301, "TLS_AES_128_GCM_SHA256",                        TLS13,     UNKNOWN, AES_128_GCM,       AEAD,    SHA256, 0),
    S(0x1302, "TLS_AES_256_GCM_SHA384",                        TLS13,     UNKNOWN, AES_256_GCM,       AEAD,    SHA384, 0),
    S(0x1303, "TLS_CHACHA20_POLY1305_SHA256",                  TLS13,     UNKNOWN, CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0x1304, "TLS_AES_128_CCM_SHA256",                        TLS13,     UNKNOWN, AES_128_CCM,       AEAD,    SHA256, 0),
    S(0x1305, "TLS_AES_128_CCM_8_SHA256",                      TLS13,     UNKNOWN, AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0x1306, "TLS_AEGIS_256_SHA384",                          TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA384, 0),
    S(0x1307, "TLS_AEGIS_128L_SHA256",                         TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA256, 0),
    S(0x5600, "TLS_FALLBACK_SCSV",                             UNKNOWN,   UNKNOWN, UNKNOWN,           UNKNOWN, SHA256, 0),
    S(0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA",                  ECDH,      ECDSA,   NULL,              SHA1,    SHA256, 0),
    S(0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA",               ECDH,      ECDSA,   RC4_128,           SHA1,    SHA256, 0),
    S(0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",          ECDH,      ECDSA,   3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",           ECDH,      ECDSA,   AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",           ECDH,      ECDSA,   AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA",                 ECDHE,     ECDSA,   NULL,              SHA1,    SHA256, 0),
    S(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",              ECDHE,     ECDSA,   RC4_128,           SHA1,    SHA256, 0),
    S(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",         ECDHE,     ECDSA,   3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",          ECDHE,     ECDSA,   AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",          ECDHE,     ECDSA,   AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA",                    ECDH,      RSA,     NULL,              SHA1,    SHA256, 0),
    S(0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA",                 ECDH,      RSA,     RC4_128,           SHA1,    SHA256, 0),
    S(0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",            ECDH,      RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",             ECDH,      RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",             ECDH,      RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA",                   ECDHE,     RSA,     NULL,              SHA1,    SHA256, 0),
    S(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA",                ECDHE,     RSA,     RC4_128,           SHA1,    SHA256, 0),
    S(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",           ECDHE,     RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",            ECDHE,     RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",            ECDHE,     RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA",                   ECDHE,     NULL,    NULL,              SHA1,    SHA256, 0),
    S(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA",                ECDHE,     NULL,    RC4_128,           SHA1,    SHA256, 0),
    S(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA",           ECDHE,     NULL,    3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",            ECDHE,     NULL,    AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",            ECDHE,     NULL,    AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA",             SRP,       SRP,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA",         SRP,       RSA,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",         SRP,       DSS,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",              SRP,       SRP,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",          SRP,       RSA,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA",          SRP,       DSS,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",              SRP,       SRP,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA",          SRP,       RSA,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA",          SRP,       DSS,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",       ECDHE,     ECDSA,   AES_128_CBC,       SHA256,  SHA256, 0),
    S(0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",       ECDHE,     ECDSA,   AES_256_CBC,       SHA384,  SHA384, 0),
    S(0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",        ECDH,      ECDSA,   AES_128_CBC,       SHA256,  SHA256, 0),
    S(0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",        ECDH,      ECDSA,   AES_256_CBC,       SHA384,  SHA384, 0),
    S(0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",         ECDHE,     RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",         ECDHE,     RSA,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",          ECDH,      RSA,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",          ECDH,      RSA,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",       ECDHE,     ECDSA,   AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",       ECDHE,     ECDSA,   AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",        ECDH,      ECDSA,   AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",        ECDH,      ECDSA,   AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",         ECDHE,     RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",         ECDHE,     RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",          ECDH,      RSA,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",          ECDH,      RSA,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xC033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA",                ECDHE_PSK, PSK,     RC4_128,           SHA1,    SHA256, 0),
    S(0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA",           ECDHE_PSK, PSK,     3DES_EDE_CBC,      SHA1,    SHA256, 0),
    S(0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",            ECDHE_PSK, PSK,     AES_128_CBC,       SHA1,    SHA256, 0),
    S(0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",            ECDHE_PSK, PSK,     AES_256_CBC,       SHA1,    SHA256, 0),
    S(0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",         ECDHE_PSK, PSK,     AES_128_CBC,       SHA256,  SHA256, 0),
    S(0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384",         ECDHE_PSK, PSK,     AES_256_CBC,       SHA384,  SHA384, 0),
    S(0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA",                   ECDHE_PSK, PSK,     NULL,              SHA1,    SHA256, 0),
    S(0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256",                ECDHE_PSK, PSK,     NULL,              SHA256,  SHA256, 0),
    S(0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384",                ECDHE_PSK, PSK,     NULL,              SHA384,  SHA384, 0),
    S(0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256",              RSA,       RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC03D, "TLS_RSA_WITH_ARIA_256_CBC_SHA384",              RSA,       RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC03E, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256",           DH,        DSS,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC03F, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384",           DH,        DSS,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256",           DH,        RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384",           DH,        RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256",          DHE,       DSS,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384",          DHE,       DSS,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256",          DHE,       RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384",          DHE,       RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC046, "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256",          DHE,       NULL,    ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC047, "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384",          DHE,       NULL,    ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256",      ECDHE,     ECDSA,   ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384",      ECDHE,     ECDSA,   ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC04A, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256",       ECDH,      ECDSA,   ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC04B, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384",       ECDH,      ECDSA,   ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC04C, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256",        ECDHE,     RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384",        ECDHE,     RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC04E, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256",         ECDH,      RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC04F, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384",         ECDH,      RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256",              RSA,       RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384",              RSA,       RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",          DHE,       RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",          DHE,       RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256",           DH,        RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384",           DH,        RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256",          DHE,       DSS,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384",          DHE,       DSS,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256",           DH,        DSS,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384",           DH,        DSS,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC05A, "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256",          DHE,       NULL,    ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC05B, "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384",          DHE,       NULL,    ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",      ECDHE,     ECDSA,   ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",      ECDHE,     ECDSA,   ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC05E, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256",       ECDH,      ECDSA,   ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC05F, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384",       ECDH,      ECDSA,   ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",        ECDHE,     RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",        ECDHE,     RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256",         ECDH,      RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384",         ECDH,      RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256",              PSK,       PSK,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384",              PSK,       PSK,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256",          DHE_PSK,   PSK,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384",          DHE_PSK,   PSK,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256",          RSA_PSK,   RSA,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384",          RSA_PSK,   RSA,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256",              PSK,       PSK,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384",              PSK,       PSK,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256",          DHE_PSK,   PSK,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384",          DHE_PSK,   PSK,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256",          RSA_PSK,   RSA,     ARIA_128_GCM,      AEAD,    SHA256, 0),
    S(0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",          RSA_PSK,   RSA,     ARIA_256_GCM,      AEAD,    SHA384, 0),
    S(0xC070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256",        ECDHE_PSK, PSK,     ARIA_128_CBC,      SHA256,  SHA256, 0),
    S(0xC071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384",        ECDHE_PSK, PSK,     ARIA_256_CBC,      SHA384,  SHA384, 0),
    S(0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",  ECDHE,     ECDSA,   CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",  ECDHE,     ECDSA,   CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",   ECDH,      ECDSA,   CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",   ECDH,      ECDSA,   CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",    ECDHE,     RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",    ECDHE,     RSA,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256",     ECDH,      RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384",     ECDH,      RSA,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC07A, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256",          RSA,       RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC07B, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384",          RSA,       RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC07C, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",      DHE,       RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC07D, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",      DHE,       RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC07E, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256",       DH,        RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC07F, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384",       DH,        RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256",      DHE,       DSS,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384",      DHE,       DSS,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256",       DH,        DSS,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384",       DH,        DSS,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256",      DHE,       NULL,    CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384",      DHE,       NULL,    CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",  ECDHE,     ECDSA,   CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",  ECDHE,     ECDSA,   CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",   ECDH,      ECDSA,   CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",   ECDH,      ECDSA,   CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",    ECDHE,     RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC08B, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",    ECDHE,     RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC08C, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256",     ECDH,      RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC08D, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384",     ECDH,      RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC08E, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256",          PSK,       PSK,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC08F, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384",          PSK,       PSK,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256",      DHE_PSK,   PSK,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384",      DHE_PSK,   PSK,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256",      RSA_PSK,   RSA,     CAMELLIA_128_GCM,  AEAD,    SHA256, 0),
    S(0xC093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384",      RSA_PSK,   RSA,     CAMELLIA_256_GCM,  AEAD,    SHA384, 0),
    S(0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256",          PSK,       PSK,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384",          PSK,       PSK,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",      DHE_PSK,   PSK,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",      DHE_PSK,   PSK,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256",      RSA_PSK,   RSA,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",      RSA_PSK,   RSA,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",    ECDHE_PSK, PSK,     CAMELLIA_128_CBC,  SHA256,  SHA256, 0),
    S(0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",    ECDHE_PSK, PSK,     CAMELLIA_256_CBC,  SHA384,  SHA384, 0),
    S(0xC09C, "TLS_RSA_WITH_AES_128_CCM",                      RSA,       RSA,     AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC09D, "TLS_RSA_WITH_AES_256_CCM",                      RSA,       RSA,     AES_256_CCM,       AEAD,    SHA256, 0),
    S(0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM",                  DHE,       RSA,     AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM",                  DHE,       RSA,     AES_256_CCM,       AEAD,    SHA256, 0),
    S(0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8",                    RSA,       RSA,     AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8",                    RSA,       RSA,     AES_256_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8",                DHE,       RSA,     AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8",                DHE,       RSA,     AES_256_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0A4, "TLS_PSK_WITH_AES_128_CCM",                      PSK,       PSK,     AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC0A5, "TLS_PSK_WITH_AES_256_CCM",                      PSK,       PSK,     AES_256_CCM,       AEAD,    SHA256, 0),
    S(0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM",                  DHE_PSK,   PSK,     AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM",                  DHE_PSK,   PSK,     AES_256_CCM,       AEAD,    SHA256, 0),
    S(0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8",                    PSK,       PSK,     AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8",                    PSK,       PSK,     AES_256_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8",                DHE_PSK,   PSK,     AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8",                DHE_PSK,   PSK,     AES_256_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",              ECDHE,     ECDSA,   AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",              ECDHE,     ECDSA,   AES_256_CCM,       AEAD,    SHA256, 0),
    S(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",            ECDHE,     ECDSA,   AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",            ECDHE,     ECDSA,   AES_256_CCM_8,     AEAD,    SHA256, 0),
    S(0xC0B0, "TLS_ECCPWD_WITH_AES_128_GCM_SHA256",            UNKNOWN,   UNKNOWN, AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xC0B1, "TLS_ECCPWD_WITH_AES_256_GCM_SHA384",            UNKNOWN,   UNKNOWN, AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xC0B2, "TLS_ECCPWD_WITH_AES_128_CCM_SHA256",            UNKNOWN,   UNKNOWN, AES_128_CCM,       AEAD,    SHA256, 0),
    S(0xC0B3, "TLS_ECCPWD_WITH_AES_256_CCM_SHA384",            UNKNOWN,   UNKNOWN, AES_256_CCM,       AEAD,    SHA384, 0),
    S(0xC0B4, "TLS_SHA256_SHA256",                             TLS13,     UNKNOWN, NULL,              SHA256,  SHA256, 0),
    S(0xC0B5, "TLS_SHA384_SHA384",                             TLS13,     UNKNOWN, NULL,              SHA384,  SHA384, 0),
    S(0xC100, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",  UNKNOWN,   UNKNOWN, UNKNOWN,           UNKNOWN, SHA256, 0),
    S(0xC101, "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC",       UNKNOWN,   UNKNOWN, UNKNOWN,           UNKNOWN, SHA256, 0),
    S(0xC102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",       UNKNOWN,   UNKNOWN, UNKNOWN,           UNKNOWN, SHA256, 0),
    S(0xC103, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L",     TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA256, 0),
    S(0xC104, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L",          TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA256, 0),
    S(0xC105, "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S",     TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA256, 0),
    S(0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",          TLS13,     UNKNOWN, UNKNOWN,           AEAD,    SHA256, 0),
    S(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",   ECDHE,     RSA,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", ECDHE,     ECDSA,   CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",     DHE,       RSA,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",         PSK,       PSK,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",   ECDHE_PSK, PSK,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCAD, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",     DHE_PSK,   PSK,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xCCAE, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",     RSA_PSK,   RSA,     CHACHA20_POLY1305, AEAD,    SHA256, 0),
    S(0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",         ECDHE_PSK, PSK,     AES_128_GCM,       AEAD,    SHA256, 0),
    S(0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384",         ECDHE_PSK, PSK,     AES_256_GCM,       AEAD,    SHA384, 0),
    S(0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256",       ECDHE_PSK, PSK,     AES_128_CCM_8,     AEAD,    SHA256, 0),
    S(0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",         ECDHE_PSK, PSK,     AES_128_CCM,       AEAD,    SHA256, 0),
};
// clang-format on
#undef S

const tnt_suite_info *tnt_suite_lookup(uint16_t id)
{
    size_t lo = 0, hi = COUNT(suites);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (suites[mid].id == id)
            return &suites[mid];
        if (suites[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *tnt_suite_name(uint16_t id)
{
    const tnt_suite_info *s = tnt_suite_lookup(id);
    return s ? s->name : NULL;
}

/* iv_len and explicit_iv describe the TLS 1.2 record layout (RFC 5288/6655:
 * 4-byte salt from the key block plus an 8-byte explicit nonce per record;
 * RFC 7905: 12-byte IV, no explicit nonce). TLS 1.3 always derives a 12-byte
 * IV and sends no explicit nonce, whatever the cipher. Export ciphers'
 * key_len is the 5 secret bytes taken from the key block, before the export
 * key expansion. */
// clang-format off
static const tnt_cipher_info ciphers[] = {
    /* cipher                      name                 key iv blk exp tag aead */
    {TNT_CIPHER_NULL,              "NULL",               0,  0,  0, 0,  0, false},
    {TNT_CIPHER_RC4_40,            "RC4_40",             5,  0,  0, 0,  0, false},
    {TNT_CIPHER_RC4_128,           "RC4_128",           16,  0,  0, 0,  0, false},
    {TNT_CIPHER_RC2_40_CBC,        "RC2_CBC_40",         5,  8,  8, 0,  0, false},
    {TNT_CIPHER_IDEA_CBC,          "IDEA_CBC",          16,  8,  8, 0,  0, false},
    {TNT_CIPHER_DES40_CBC,         "DES40_CBC",          5,  8,  8, 0,  0, false},
    {TNT_CIPHER_DES_CBC,           "DES_CBC",            8,  8,  8, 0,  0, false},
    {TNT_CIPHER_3DES_EDE_CBC,      "3DES_EDE_CBC",      24,  8,  8, 0,  0, false},
    {TNT_CIPHER_AES_128_CBC,       "AES_128_CBC",       16, 16, 16, 0,  0, false},
    {TNT_CIPHER_AES_256_CBC,       "AES_256_CBC",       32, 16, 16, 0,  0, false},
    {TNT_CIPHER_CAMELLIA_128_CBC,  "CAMELLIA_128_CBC",  16, 16, 16, 0,  0, false},
    {TNT_CIPHER_CAMELLIA_256_CBC,  "CAMELLIA_256_CBC",  32, 16, 16, 0,  0, false},
    {TNT_CIPHER_SEED_CBC,          "SEED_CBC",          16, 16, 16, 0,  0, false},
    {TNT_CIPHER_ARIA_128_CBC,      "ARIA_128_CBC",      16, 16, 16, 0,  0, false},
    {TNT_CIPHER_ARIA_256_CBC,      "ARIA_256_CBC",      32, 16, 16, 0,  0, false},
    {TNT_CIPHER_AES_128_GCM,       "AES_128_GCM",       16,  4,  0, 8, 16, true},
    {TNT_CIPHER_AES_256_GCM,       "AES_256_GCM",       32,  4,  0, 8, 16, true},
    {TNT_CIPHER_AES_128_CCM,       "AES_128_CCM",       16,  4,  0, 8, 16, true},
    {TNT_CIPHER_AES_256_CCM,       "AES_256_CCM",       32,  4,  0, 8, 16, true},
    {TNT_CIPHER_AES_128_CCM_8,     "AES_128_CCM_8",     16,  4,  0, 8,  8, true},
    {TNT_CIPHER_AES_256_CCM_8,     "AES_256_CCM_8",     32,  4,  0, 8,  8, true},
    {TNT_CIPHER_CAMELLIA_128_GCM,  "CAMELLIA_128_GCM",  16,  4,  0, 8, 16, true},
    {TNT_CIPHER_CAMELLIA_256_GCM,  "CAMELLIA_256_GCM",  32,  4,  0, 8, 16, true},
    {TNT_CIPHER_ARIA_128_GCM,      "ARIA_128_GCM",      16,  4,  0, 8, 16, true},
    {TNT_CIPHER_ARIA_256_GCM,      "ARIA_256_GCM",      32,  4,  0, 8, 16, true},
    {TNT_CIPHER_CHACHA20_POLY1305, "CHACHA20_POLY1305", 32, 12,  0, 0, 16, true},
    {TNT_CIPHER_SM4_GCM,           "SM4_GCM",           16,  4,  0, 8, 16, true},
    {TNT_CIPHER_SM4_CCM,           "SM4_CCM",           16,  4,  0, 8, 16, true},
};
// clang-format on

const tnt_cipher_info *tnt_cipher_lookup(tnt_cipher c)
{
    /* The table is in enum order starting at NULL (1); checking the entry's
     * own tag guards against the two drifting apart. */
    size_t i = (size_t)c - 1;
    if (c == TNT_CIPHER_UNKNOWN || i >= COUNT(ciphers) || ciphers[i].cipher != c)
        return NULL;
    return &ciphers[i];
}

unsigned tnt_mac_len(tnt_mac m)
{
    switch (m) {
    case TNT_MAC_MD5:
        return 16;
    case TNT_MAC_SHA1:
        return 20;
    case TNT_MAC_SHA256:
        return 32;
    case TNT_MAC_SHA384:
        return 48;
    default:
        return 0;
    }
}

const char *tnt_mac_name(tnt_mac m)
{
    switch (m) {
    case TNT_MAC_NULL:
        return "NULL";
    case TNT_MAC_MD5:
        return "MD5";
    case TNT_MAC_SHA1:
        return "SHA1";
    case TNT_MAC_SHA256:
        return "SHA256";
    case TNT_MAC_SHA384:
        return "SHA384";
    case TNT_MAC_AEAD:
        return "AEAD";
    default:
        return NULL;
    }
}

const char *tnt_kx_name(tnt_kx kx)
{
    switch (kx) {
    case TNT_KX_NULL:
        return "NULL";
    case TNT_KX_RSA:
        return "RSA";
    case TNT_KX_DH:
        return "DH";
    case TNT_KX_DHE:
        return "DHE";
    case TNT_KX_ECDH:
        return "ECDH";
    case TNT_KX_ECDHE:
        return "ECDHE";
    case TNT_KX_PSK:
        return "PSK";
    case TNT_KX_DHE_PSK:
        return "DHE_PSK";
    case TNT_KX_RSA_PSK:
        return "RSA_PSK";
    case TNT_KX_ECDHE_PSK:
        return "ECDHE_PSK";
    case TNT_KX_SRP:
        return "SRP";
    case TNT_KX_KRB5:
        return "KRB5";
    case TNT_KX_TLS13:
        return "TLS13";
    default:
        return NULL;
    }
}

const char *tnt_version_name(uint16_t v)
{
    switch (v) {
    case 0x0002: /* the version field of an SSLv2-format hello */
        return "SSL 2.0";
    case 0x0300:
        return "SSL 3.0";
    case 0x0301:
        return "TLS 1.0";
    case 0x0302:
        return "TLS 1.1";
    case 0x0303:
        return "TLS 1.2";
    case 0x0304:
        return "TLS 1.3";
    case 0xFEFF:
        return "DTLS 1.0";
    case 0xFEFD:
        return "DTLS 1.2";
    case 0xFEFC:
        return "DTLS 1.3";
    default:
        return NULL;
    }
}

const char *tnt_content_type_name(uint8_t t)
{
    switch (t) {
    case 20:
        return "change_cipher_spec";
    case 21:
        return "alert";
    case 22:
        return "handshake";
    case 23:
        return "application_data";
    case 24:
        return "heartbeat";
    default:
        return NULL;
    }
}

/* Exactly the message names of the tntdump output format (OUTPUT_FORMAT.md);
 * types outside it print as handshake-type-<N>, so the list is not extended
 * with newer IANA types that the format does not name. */
// clang-format off
static const char *const handshake_types[256] = {
    [0] = "HelloRequest",
    [1] = "ClientHello",
    [2] = "ServerHello",
    [3] = "HelloVerifyRequest",
    [4] = "NewSessionTicket",
    [5] = "EndOfEarlyData",
    [8] = "EncryptedExtensions",
    [11] = "Certificate",
    [12] = "ServerKeyExchange",
    [13] = "CertificateRequest",
    [14] = "ServerHelloDone",
    [15] = "CertificateVerify",
    [16] = "ClientKeyExchange",
    [20] = "Finished",
    [21] = "CertificateURL",
    [22] = "CertificateStatus",
    [23] = "SupplementalData",
    [24] = "KeyUpdate",
    [254] = "MessageHash",
};
// clang-format on

const char *tnt_handshake_type_name(const tnt_codepoints *codepoints, uint8_t t)
{
    /* The TNT names win because the decoders treat the value as TNT. */
    const tnt_codepoints *cp = tnt_codepoints_or_default(codepoints);
    if (t == cp->hs_negotiation)
        return "TNTNegotiation";
    if (t == cp->hs_proof)
        return "TNTProof";
    return handshake_types[t];
}

const char *tnt_alert_level_name(uint8_t l)
{
    switch (l) {
    case 1:
        return "warning";
    case 2:
        return "fatal";
    default:
        return NULL;
    }
}

// clang-format off
static const char *const alert_descriptions[256] = {
    [0] = "close_notify",
    [10] = "unexpected_message",
    [20] = "bad_record_mac",
    [21] = "decryption_failed",
    [22] = "record_overflow",
    [30] = "decompression_failure",
    [40] = "handshake_failure",
    [41] = "no_certificate",
    [42] = "bad_certificate",
    [43] = "unsupported_certificate",
    [44] = "certificate_revoked",
    [45] = "certificate_expired",
    [46] = "certificate_unknown",
    [47] = "illegal_parameter",
    [48] = "unknown_ca",
    [49] = "access_denied",
    [50] = "decode_error",
    [51] = "decrypt_error",
    [52] = "too_many_cids_requested",
    [60] = "export_restriction",
    [70] = "protocol_version",
    [71] = "insufficient_security",
    [80] = "internal_error",
    [86] = "inappropriate_fallback",
    [90] = "user_canceled",
    [100] = "no_renegotiation",
    [109] = "missing_extension",
    [110] = "unsupported_extension",
    [111] = "certificate_unobtainable",
    [112] = "unrecognized_name",
    [113] = "bad_certificate_status_response",
    [114] = "bad_certificate_hash_value",
    [115] = "unknown_psk_identity",
    [116] = "certificate_required",
    [120] = "no_application_protocol",
    [121] = "ech_required",
};
// clang-format on

const char *tnt_alert_description_name(uint8_t d)
{
    return alert_descriptions[d];
}

const char *tnt_extension_name(const tnt_codepoints *cp, uint16_t t)
{
    /* Checked first for the same reason as in tnt_handshake_type_name. */
    if (t == tnt_codepoints_or_default(cp)->ext_type)
        return "tnt";
    switch (t) {
    case 0:
        return "server_name";
    case 1:
        return "max_fragment_length";
    case 2:
        return "client_certificate_url";
    case 3:
        return "trusted_ca_keys";
    case 4:
        return "truncated_hmac";
    case 5:
        return "status_request";
    case 6:
        return "user_mapping";
    case 7:
        return "client_authz";
    case 8:
        return "server_authz";
    case 9:
        return "cert_type";
    case 10:
        return "supported_groups";
    case 11:
        return "ec_point_formats";
    case 12:
        return "srp";
    case 13:
        return "signature_algorithms";
    case 14:
        return "use_srtp";
    case 15:
        return "heartbeat";
    case 16:
        return "application_layer_protocol_negotiation";
    case 17:
        return "status_request_v2";
    case 18:
        return "signed_certificate_timestamp";
    case 19:
        return "client_certificate_type";
    case 20:
        return "server_certificate_type";
    case 21:
        return "padding";
    case 22:
        return "encrypt_then_mac";
    case 23:
        return "extended_master_secret";
    case 24:
        return "token_binding";
    case 25:
        return "cached_info";
    case 26:
        return "tls_lts";
    case 27:
        return "compress_certificate";
    case 28:
        return "record_size_limit";
    case 29:
        return "pwd_protect";
    case 30:
        return "pwd_clear";
    case 31:
        return "password_salt";
    case 32:
        return "ticket_pinning";
    case 33:
        return "tls_cert_with_extern_psk";
    case 34:
        return "delegated_credential";
    case 35:
        return "session_ticket";
    case 36:
        return "TLMSP";
    case 37:
        return "TLMSP_proxying";
    case 38:
        return "TLMSP_delegate";
    case 39:
        return "supported_ekt_ciphers";
    case 41:
        return "pre_shared_key";
    case 42:
        return "early_data";
    case 43:
        return "supported_versions";
    case 44:
        return "cookie";
    case 45:
        return "psk_key_exchange_modes";
    case 47:
        return "certificate_authorities";
    case 48:
        return "oid_filters";
    case 49:
        return "post_handshake_auth";
    case 50:
        return "signature_algorithms_cert";
    case 51:
        return "key_share";
    case 52:
        return "transparency_info";
    case 53:
        /* IANA: "connection_id (deprecated)"; no spaces, names go in lists */
        return "connection_id_deprecated";
    case 54:
        return "connection_id";
    case 55:
        return "external_id_hash";
    case 56:
        return "external_session_id";
    case 57:
        return "quic_transport_parameters";
    case 58:
        return "ticket_request";
    case 59:
        return "dnssec_chain";
    case 60:
        return "sequence_number_encryption_algorithms";
    case 61:
        return "rrc";
    case 62:
        return "tls_flags";
    case 13172:
        /* Never registered, but in nearly every 2011-2016 browser hello. */
        return "next_protocol_negotiation";
    case 0xFD00:
        return "ech_outer_extensions";
    case 0xFE0D:
        return "encrypted_client_hello";
    case 0xFF01:
        return "renegotiation_info";
    default:
        return NULL;
    }
}

const char *tnt_group_name(uint16_t g)
{
    switch (g) {
    case 1:
        return "sect163k1";
    case 2:
        return "sect163r1";
    case 3:
        return "sect163r2";
    case 4:
        return "sect193r1";
    case 5:
        return "sect193r2";
    case 6:
        return "sect233k1";
    case 7:
        return "sect233r1";
    case 8:
        return "sect239k1";
    case 9:
        return "sect283k1";
    case 10:
        return "sect283r1";
    case 11:
        return "sect409k1";
    case 12:
        return "sect409r1";
    case 13:
        return "sect571k1";
    case 14:
        return "sect571r1";
    case 15:
        return "secp160k1";
    case 16:
        return "secp160r1";
    case 17:
        return "secp160r2";
    case 18:
        return "secp192k1";
    case 19:
        return "secp192r1";
    case 20:
        return "secp224k1";
    case 21:
        return "secp224r1";
    case 22:
        return "secp256k1";
    case 23:
        return "secp256r1";
    case 24:
        return "secp384r1";
    case 25:
        return "secp521r1";
    case 26:
        return "brainpoolP256r1";
    case 27:
        return "brainpoolP384r1";
    case 28:
        return "brainpoolP512r1";
    case 29:
        return "x25519";
    case 30:
        return "x448";
    case 31:
        return "brainpoolP256r1tls13";
    case 32:
        return "brainpoolP384r1tls13";
    case 33:
        return "brainpoolP512r1tls13";
    case 34:
        return "GC256A";
    case 35:
        return "GC256B";
    case 36:
        return "GC256C";
    case 37:
        return "GC256D";
    case 38:
        return "GC512A";
    case 39:
        return "GC512B";
    case 40:
        return "GC512C";
    case 41:
        return "curveSM2";
    case 256:
        return "ffdhe2048";
    case 257:
        return "ffdhe3072";
    case 258:
        return "ffdhe4096";
    case 259:
        return "ffdhe6144";
    case 260:
        return "ffdhe8192";
    case 0x0200:
        return "MLKEM512";
    case 0x0201:
        return "MLKEM768";
    case 0x0202:
        return "MLKEM1024";
    case 0x11EB:
        return "SecP256r1MLKEM768";
    case 0x11EC:
        return "X25519MLKEM768";
    case 0x11ED:
        return "SecP384r1MLKEM1024";
    case 0x6399:
        return "X25519Kyber768Draft00";
    case 0x639A:
        return "SecP256r1Kyber768Draft00";
    case 0xFF01:
        return "arbitrary_explicit_prime_curves";
    case 0xFF02:
        return "arbitrary_explicit_char2_curves";
    default:
        return NULL;
    }
}

/* TLS 1.3 SignatureScheme names, plus names for the TLS 1.2 (hash, signature)
 * pairs that TLS 1.3 left without one. Those follow the scheme the registry
 * uses for its own legacy entries (0x0201 rsa_pkcs1_sha1, 0x0203 ecdsa_sha1),
 * as OpenSSL does: rsa_pkcs1_<hash>, dsa_<hash>, ecdsa_<hash>. */
const char *tnt_sigscheme_name(uint16_t s)
{
    switch (s) {
    case 0x0101:
        return "rsa_pkcs1_md5";
    case 0x0102:
        return "dsa_md5";
    case 0x0103:
        return "ecdsa_md5";
    case 0x0201:
        return "rsa_pkcs1_sha1";
    case 0x0202:
        return "dsa_sha1";
    case 0x0203:
        return "ecdsa_sha1";
    case 0x0301:
        return "rsa_pkcs1_sha224";
    case 0x0302:
        return "dsa_sha224";
    case 0x0303:
        return "ecdsa_sha224";
    case 0x0401:
        return "rsa_pkcs1_sha256";
    case 0x0402:
        return "dsa_sha256";
    case 0x0403:
        return "ecdsa_secp256r1_sha256";
    case 0x0420:
        return "rsa_pkcs1_sha256_legacy";
    case 0x0501:
        return "rsa_pkcs1_sha384";
    case 0x0502:
        return "dsa_sha384";
    case 0x0503:
        return "ecdsa_secp384r1_sha384";
    case 0x0520:
        return "rsa_pkcs1_sha384_legacy";
    case 0x0601:
        return "rsa_pkcs1_sha512";
    case 0x0602:
        return "dsa_sha512";
    case 0x0603:
        return "ecdsa_secp521r1_sha512";
    case 0x0620:
        return "rsa_pkcs1_sha512_legacy";
    case 0x0704:
        return "eccsi_sha256";
    case 0x0705:
        return "iso_ibs1";
    case 0x0706:
        return "iso_ibs2";
    case 0x0707:
        return "iso_chinese_ibs";
    case 0x0708:
        return "sm2sig_sm3";
    case 0x0709:
        return "gostr34102012_256a";
    case 0x070A:
        return "gostr34102012_256b";
    case 0x070B:
        return "gostr34102012_256c";
    case 0x070C:
        return "gostr34102012_256d";
    case 0x070D:
        return "gostr34102012_512a";
    case 0x070E:
        return "gostr34102012_512b";
    case 0x070F:
        return "gostr34102012_512c";
    case 0x0804:
        return "rsa_pss_rsae_sha256";
    case 0x0805:
        return "rsa_pss_rsae_sha384";
    case 0x0806:
        return "rsa_pss_rsae_sha512";
    case 0x0807:
        return "ed25519";
    case 0x0808:
        return "ed448";
    case 0x0809:
        return "rsa_pss_pss_sha256";
    case 0x080A:
        return "rsa_pss_pss_sha384";
    case 0x080B:
        return "rsa_pss_pss_sha512";
    case 0x081A:
        return "ecdsa_brainpoolP256r1tls13_sha256";
    case 0x081B:
        return "ecdsa_brainpoolP384r1tls13_sha384";
    case 0x081C:
        return "ecdsa_brainpoolP512r1tls13_sha512";
    case 0x0904:
        return "mldsa44";
    case 0x0905:
        return "mldsa65";
    case 0x0906:
        return "mldsa87";
    default:
        return NULL;
    }
}

const char *tnt_ec_point_format_name(uint8_t f)
{
    switch (f) {
    case 0:
        return "uncompressed";
    case 1:
        return "ansiX962_compressed_prime";
    case 2:
        return "ansiX962_compressed_char2";
    default:
        return NULL;
    }
}

const char *tnt_compression_name(uint8_t c)
{
    switch (c) {
    case 0:
        return "null";
    case 1:
        return "DEFLATE";
    case 64:
        return "LZS";
    default:
        return NULL;
    }
}

const char *tnt_cert_type_name(uint8_t t)
{
    switch (t) {
    case 1:
        return "rsa_sign";
    case 2:
        return "dss_sign";
    case 3:
        return "rsa_fixed_dh";
    case 4:
        return "dss_fixed_dh";
    case 5:
        return "rsa_ephemeral_dh";
    case 6:
        return "dss_ephemeral_dh";
    case 20:
        return "fortezza_dms";
    case 64:
        return "ecdsa_sign";
    case 65:
        return "rsa_fixed_ecdh";
    case 66:
        return "ecdsa_fixed_ecdh";
    case 67:
        return "gost_sign256";
    case 68:
        return "gost_sign512";
    default:
        return NULL;
    }
}

const char *tnt_hash_name(uint8_t h)
{
    switch (h) {
    case 0:
        return "none";
    case 1:
        return "md5";
    case 2:
        return "sha1";
    case 3:
        return "sha224";
    case 4:
        return "sha256";
    case 5:
        return "sha384";
    case 6:
        return "sha512";
    case 8:
        return "intrinsic";
    default:
        return NULL;
    }
}

const char *tnt_sig_name(uint8_t s)
{
    switch (s) {
    case 0:
        return "anonymous";
    case 1:
        return "rsa";
    case 2:
        return "dsa";
    case 3:
        return "ecdsa";
    case 7:
        return "ed25519";
    case 8:
        return "ed448";
    case 64:
        return "gostr34102012_256";
    case 65:
        return "gostr34102012_512";
    default:
        return NULL;
    }
}

const char *tnt_curve_type_name(uint8_t t)
{
    switch (t) {
    case 1:
        return "explicit_prime";
    case 2:
        return "explicit_char2";
    case 3:
        return "named_curve";
    default:
        return NULL;
    }
}

const char *tnt_status_type_name(uint8_t t)
{
    switch (t) {
    case 1:
        return "ocsp";
    case 2:
        return "ocsp_multi";
    default:
        return NULL;
    }
}

const char *tnt_sni_type_name(uint8_t t)
{
    return t == 0 ? "host_name" : NULL;
}

bool tnt_is_grease(uint16_t v)
{
    /* RFC 8701: 0x0A0A, 0x1A1A, ..., 0xFAFA. */
    return (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);
}
