/*
 * proof_check: verify one TNTProof signature with GnuTLS alone, as an oracle that
 * shares no code with lib/ (tests/scripts/test_proof_independent.py rebuilds the
 * transcript from tshark's decryption and asks this program).
 *
 *   proof_check CERT.der VERSION ALGORITHM SIG.bin DATA.bin
 *
 * VERSION is the negotiated version as hex (0x0301, 0x0302, 0x0303).
 * ALGORITHM is the TLS 1.2 SignatureAndHashAlgorithm as hex (0x0804); it is
 * ignored (give "-") for TLS 1.0 and 1.1, where the key type alone decides the
 * form, as for CertificateVerify (spec section 5).
 * DATA.bin is the transcript (handshake_messages) that was signed.
 *
 * Exit: 0 the signature verifies, 1 it does not (bad signature, or algorithm
 * that does not fit the key), 2 usage or input error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_ERROR = 2 };

struct tls_sig_alg {
    unsigned code;
    gnutls_sign_algorithm_t sign;
};

/* Spelled out rather than asked of GnuTLS: it has no public lookup from the TLS
 * codepoint, and the curve-bound ECDSA entries make a P-384 key under 0x0403 fail
 * as the spec requires. */
static const struct tls_sig_alg tls12_algs[] = {
    {0x0201, GNUTLS_SIGN_RSA_SHA1},
    {0x0401, GNUTLS_SIGN_RSA_SHA256},
    {0x0501, GNUTLS_SIGN_RSA_SHA384},
    {0x0601, GNUTLS_SIGN_RSA_SHA512},
    {0x0804, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256},
    {0x0805, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384},
    {0x0806, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512},
    {0x0203, GNUTLS_SIGN_ECDSA_SHA1},
    {0x0403, GNUTLS_SIGN_ECDSA_SECP256R1_SHA256},
    {0x0503, GNUTLS_SIGN_ECDSA_SECP384R1_SHA384},
    {0x0603, GNUTLS_SIGN_ECDSA_SECP521R1_SHA512},
};

static int read_file(const char *path, gnutls_datum_t *out)
{
    int rc = gnutls_load_file(path, out);
    if (rc < 0) {
        fprintf(stderr, "proof_check: %s: %s\n", path, gnutls_strerror(rc));
        return -1;
    }
    return 0;
}

static int parse_hex(const char *s, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 16);
    if (errno != 0 || end == s || *end != '\0' || v > 0xffff)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* A verification failure and a key/algorithm mismatch are both "the proof is not
 * valid"; anything else GnuTLS refuses is an input problem of this program. */
static int classify(int rc)
{
    if (rc >= 0)
        return EXIT_VALID;
    fprintf(stderr, "proof_check: %s\n", gnutls_strerror(rc));
    switch (rc) {
    case GNUTLS_E_PK_SIG_VERIFY_FAILED:
    case GNUTLS_E_INCOMPATIBLE_SIG_WITH_KEY:
    case GNUTLS_E_CONSTRAINT_ERROR:
    case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
        return EXIT_INVALID;
    default:
        return EXIT_ERROR;
    }
}

static int verify_tls12(gnutls_pubkey_t key, unsigned alg, const gnutls_datum_t *data,
                        const gnutls_datum_t *sig)
{
    for (size_t i = 0; i < sizeof tls12_algs / sizeof tls12_algs[0]; i++) {
        if (tls12_algs[i].code != alg)
            continue;
        unsigned flags = GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1;
        return classify(gnutls_pubkey_verify_data2(key, tls12_algs[i].sign, flags, data, sig));
    }
    fprintf(stderr, "proof_check: unknown SignatureAndHashAlgorithm 0x%04x\n", alg);
    return EXIT_INVALID;
}

/* TLS 1.0/1.1 CertificateVerify form: RSA signs MD5||SHA-1 as a bare PKCS#1 v1.5
 * block (no DigestInfo), (EC)DSA signs SHA-1. */
static int verify_tls10(gnutls_pubkey_t key, const gnutls_datum_t *data, const gnutls_datum_t *sig)
{
    int pk = gnutls_pubkey_get_pk_algorithm(key, NULL);
    if (pk == GNUTLS_PK_RSA) {
        unsigned char digest[16 + 20];
        int rc = gnutls_hash_fast(GNUTLS_DIG_MD5, data->data, data->size, digest);
        if (rc >= 0)
            rc = gnutls_hash_fast(GNUTLS_DIG_SHA1, data->data, data->size, digest + 16);
        if (rc < 0) {
            fprintf(stderr, "proof_check: hash: %s\n", gnutls_strerror(rc));
            return EXIT_ERROR;
        }
        gnutls_datum_t hash = {digest, sizeof digest};
        return classify(gnutls_pubkey_verify_hash2(key, GNUTLS_SIGN_RSA_RAW,
                                                   GNUTLS_PUBKEY_VERIFY_FLAG_TLS1_RSA, &hash, sig));
    }
    gnutls_sign_algorithm_t sign;
    if (pk == GNUTLS_PK_ECDSA)
        sign = GNUTLS_SIGN_ECDSA_SHA1;
    else if (pk == GNUTLS_PK_DSA)
        sign = GNUTLS_SIGN_DSA_SHA1;
    else {
        fprintf(stderr, "proof_check: key type %d has no TLS 1.0 signature form\n", pk);
        return EXIT_INVALID;
    }
    return classify(
        gnutls_pubkey_verify_data2(key, sign, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, data, sig));
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: proof_check CERT.der VERSION ALGORITHM|- SIG.bin DATA.bin\n");
        return EXIT_ERROR;
    }
    unsigned version = 0, alg = 0;
    if (parse_hex(argv[2], &version) != 0 || version < 0x0301 || version > 0x0303) {
        fprintf(stderr, "proof_check: version must be 0x0301, 0x0302 or 0x0303\n");
        return EXIT_ERROR;
    }
    if (version == 0x0303 && parse_hex(argv[3], &alg) != 0) {
        fprintf(stderr, "proof_check: TLS 1.2 needs a hex SignatureAndHashAlgorithm\n");
        return EXIT_ERROR;
    }

    int result = EXIT_ERROR;
    gnutls_datum_t cert = {NULL, 0}, sig = {NULL, 0}, data = {NULL, 0};
    gnutls_pubkey_t key = NULL;
    if (read_file(argv[1], &cert) != 0 || read_file(argv[4], &sig) != 0 ||
        read_file(argv[5], &data) != 0)
        goto out;
    int rc = gnutls_pubkey_init(&key);
    if (rc >= 0)
        rc = gnutls_pubkey_import_x509_raw(key, &cert, GNUTLS_X509_FMT_DER, 0);
    if (rc < 0) {
        fprintf(stderr, "proof_check: %s: %s\n", argv[1], gnutls_strerror(rc));
        goto out;
    }
    result =
        version == 0x0303 ? verify_tls12(key, alg, &data, &sig) : verify_tls10(key, &data, &sig);
out:
    if (key != NULL)
        gnutls_pubkey_deinit(key);
    gnutls_free(cert.data);
    gnutls_free(sig.data);
    gnutls_free(data.data);
    return result;
}
