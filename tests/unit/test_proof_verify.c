/* Ownership proofs (lib/proof_verify.c, spec section 5).
 *
 * Independent checks: every "valid" case below is a signature made by OpenSSL
 * (tests/data/proof/make_vectors.sh) or by a real OpenSSL TLS stack (the snet
 * CertificateVerify messages, which are signed exactly like a TNT proof), and
 * the deterministic GnuTLS-made signatures (RSA PKCS#1 v1.5, TLS 1.0 RSA) must
 * equal OpenSSL's byte for byte. The rest is round trips and rejections.
 * Data: tests/data/proof, see PROVENANCE.md.
 *
 * The verification tests run twice: hashing the transcript bytes (GnuTLS),
 * and taking the digest from a running transcript hash (transcript_hasher.h,
 * what tntdump does), which must give the same verdicts and reasons. */
#include "check.h"

#include "prf.h"
#include "proof_verify.h"
#include "transcript_hasher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

static blob load(const char *name)
{
    const char *dir = getenv("TNT_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    blob b = {malloc(65536), 0};
    if (!b.p)
        abort();
    b.n = fread(b.p, 1, 65536, f);
    fclose(f);
    return b;
}

static blob proof_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "proof/%s", name);
    return load(path);
}

static blob copy(blob b)
{
    blob c = {malloc(b.n + 1), b.n};
    if (!c.p)
        abort();
    memcpy(c.p, b.p, b.n);
    return c;
}

/* The client's list in transcript.bin's ClientHello (make_transcript.py). */
static const uint16_t client_algs[] = {0x0804, 0x0805, 0x0806, 0x0403, 0x0503,
                                       0x0401, 0x0501, 0x0601, 0x0201};
#define N_CLIENT_ALGS (sizeof client_algs / sizeof client_algs[0])

static blob transcript, rsa_cert, rsab_cert, rsa1024_cert, p256_cert, p384_cert, dsa_cert, ed_cert,
    rsapss_cert;
static char reason[256];

/* A running transcript hash as the connection layer keeps one: libgcrypt
 * over the transcript being verified (test_hasher.t), independent of the
 * hashing inside GnuTLS that the other path uses. */
static struct test_hasher {
    blob t;
    unsigned calls;   /* digests given */
    bool corrupt;     /* give a digest with one bit changed */
    bool decline;     /* give none */
    uint32_t hs_seen; /* the handshake index asked for */
} th;

static bool test_digest(void *user, uint32_t hs_index, size_t len, tnt_hash h, uint8_t *out,
                        size_t cap, size_t *out_len)
{
    struct test_hasher *x = user;
    x->hs_seen = hs_index;
    if (x->decline || len > x->t.n)
        return false;
    tnt_transcript *t = tnt_transcript_new();
    CHECK(t != NULL);
    if (!t)
        return false;
    tnt_transcript_update(t, x->t.p, len);
    bool ok = tnt_transcript_digest(t, h, out, cap, out_len);
    tnt_transcript_free(t);
    if (ok && x->corrupt)
        out[*out_len - 1] ^= 0x80;
    x->calls += ok;
    return ok;
}

static const tnt_transcript_hasher test_hasher = {test_digest, &th};
/* NULL: the transcript bytes; &test_hasher: the digest path. */
static const tnt_transcript_hasher *hasher_now;

static tnt_proof_result v12(blob cert, uint16_t alg, blob sig, blob t)
{
    th.t = t;
    return tnt_proof_verify_hashed(NULL, 0x0303, cert.p, cert.n, true, alg, sig.p, sig.n, t.p, t.n,
                                   hasher_now, 7, client_algs, N_CLIENT_ALGS, reason,
                                   sizeof reason);
}

static tnt_proof_result v10(uint16_t version, blob cert, blob sig, blob t)
{
    th.t = t;
    return tnt_proof_verify_hashed(NULL, version, cert.p, cert.n, false, 0, sig.p, sig.n, t.p, t.n,
                                   hasher_now, 7, NULL, 0, reason, sizeof reason);
}

/* transcript.bin without one message: TNTNegotiation round 2, the fifth
 * message (offsets from make_transcript.py, checked below). */
static blob omit_round2(void)
{
    const size_t at = 1170, len = 4 + 84;
    blob t = copy(transcript);
    CHECK_EQ(t.p[at], 224);
    CHECK_EQ(t.p[at + 4 + 1], 2); /* round 2 */
    memmove(t.p + at, t.p + at + len, t.n - at - len);
    t.n -= len;
    return t;
}

typedef struct vec12 {
    blob *cert;
    uint16_t alg;
    const char *sig;
    const char *valid_reason;
} vec12;

static const vec12 openssl12[] = {
    {&rsa_cert, 0x0201, "rsa2048-rsa_pkcs1_sha1.sig",
     "rsa_pkcs1_sha1 signature by an RSA key verifies"},
    {&rsa_cert, 0x0401, "rsa2048-rsa_pkcs1_sha256.sig",
     "rsa_pkcs1_sha256 signature by an RSA key verifies"},
    {&rsa_cert, 0x0501, "rsa2048-rsa_pkcs1_sha384.sig",
     "rsa_pkcs1_sha384 signature by an RSA key verifies"},
    {&rsa_cert, 0x0601, "rsa2048-rsa_pkcs1_sha512.sig",
     "rsa_pkcs1_sha512 signature by an RSA key verifies"},
    {&rsa_cert, 0x0804, "rsa2048-rsa_pss_rsae_sha256.sig",
     "rsa_pss_rsae_sha256 signature by an RSA key verifies"},
    {&rsa_cert, 0x0805, "rsa2048-rsa_pss_rsae_sha384.sig",
     "rsa_pss_rsae_sha384 signature by an RSA key verifies"},
    {&rsa_cert, 0x0806, "rsa2048-rsa_pss_rsae_sha512.sig",
     "rsa_pss_rsae_sha512 signature by an RSA key verifies"},
    {&p256_cert, 0x0403, "p256-ecdsa_sha256.sig",
     "ecdsa_secp256r1_sha256 signature by a P-256 key verifies"},
    {&p384_cert, 0x0503, "p384-ecdsa_sha384.sig",
     "ecdsa_secp384r1_sha384 signature by a P-384 key verifies"},
};
#define N_OPENSSL12 (sizeof openssl12 / sizeof openssl12[0])

typedef struct vec10 {
    blob *cert;
    const char *sig;
    const char *valid_reason; /* for TLS 1.0 */
} vec10;

static const vec10 openssl10[] = {
    {&rsa_cert, "rsa2048-tls10.sig", "TLS 1.0 RSA MD5||SHA-1 signature by an RSA key verifies"},
    {&p256_cert, "p256-tls10.sig", "TLS 1.0 ECDSA SHA-1 signature by a P-256 key verifies"},
    {&p384_cert, "p384-tls10.sig", "TLS 1.0 ECDSA SHA-1 signature by a P-384 key verifies"},
    {&dsa_cert, "dsa2048-tls10.sig", "TLS 1.0 DSA SHA-1 signature by a DSA key verifies"},
};
#define N_OPENSSL10 (sizeof openssl10 / sizeof openssl10[0])

/* Every bit of the signature, one at a time: never valid, always a plain
 * "invalid" (not unchecked, which would hide a forged proof). */
static void flip_every_bit(const char *what, blob cert, bool tls12, uint16_t alg, blob sig)
{
    int not_invalid = 0;
    for (size_t i = 0; i < sig.n * 8; i++) {
        sig.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        tnt_proof_result r =
            tls12 ? v12(cert, alg, sig, transcript) : v10(0x0301, cert, sig, transcript);
        if (r != TNT_PROOF_INVALID) {
            if (not_invalid++ < 3)
                fprintf(stderr, "%s: bit %zu flipped gives %s (%s)\n", what, i,
                        tnt_proof_result_name(r), reason);
        }
        sig.p[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    CHECK_EQ(not_invalid, 0);
}

/* Every proper prefix of the signature. */
static void truncate_everywhere(const char *what, blob cert, bool tls12, uint16_t alg, blob sig)
{
    int not_invalid = 0;
    for (size_t n = 0; n < sig.n; n++) {
        blob s = {sig.p, n};
        tnt_proof_result r =
            tls12 ? v12(cert, alg, s, transcript) : v10(0x0301, cert, s, transcript);
        if (r != TNT_PROOF_INVALID && not_invalid++ < 3)
            fprintf(stderr, "%s: %zu-byte prefix gives %s (%s)\n", what, n,
                    tnt_proof_result_name(r), reason);
    }
    CHECK_EQ(not_invalid, 0);
}

static void test_openssl_tls12(void)
{
    blob short_t = omit_round2();
    for (size_t i = 0; i < N_OPENSSL12; i++) {
        const vec12 *v = &openssl12[i];
        blob sig = proof_file(v->sig);
        CHECK_EQ(v12(*v->cert, v->alg, sig, transcript), TNT_PROOF_VALID);
        CHECK_STR(reason, v->valid_reason);

        /* The same signature over the transcript without one message. */
        CHECK_EQ(v12(*v->cert, v->alg, sig, short_t), TNT_PROOF_INVALID);
        CHECK_STR(reason, "signature does not verify");

        /* One bit of the transcript changed (in the last message, the
         * credential being proven). */
        blob t = copy(transcript);
        t.p[t.n - 100] ^= 0x01;
        CHECK_EQ(v12(*v->cert, v->alg, sig, t), TNT_PROOF_INVALID);
        CHECK_STR(reason, "signature does not verify");
        free(t.p);

        flip_every_bit(v->sig, *v->cert, true, v->alg, sig);
        truncate_everywhere(v->sig, *v->cert, true, v->alg, sig);

        /* Transcript unknown: not judged (spec section 8). */
        CHECK_EQ(tnt_proof_verify(0x0303, v->cert->p, v->cert->n, true, v->alg, sig.p, sig.n, NULL,
                                  0, client_algs, N_CLIENT_ALGS, reason, sizeof reason),
                 TNT_PROOF_UNCHECKED);
        CHECK_STR(reason, "transcript not fully known");
        free(sig.p);
    }
    free(short_t.p);
}

static void test_openssl_tls10(void)
{
    blob short_t = omit_round2();
    for (size_t i = 0; i < N_OPENSSL10; i++) {
        const vec10 *v = &openssl10[i];
        blob sig = proof_file(v->sig);
        CHECK_EQ(v10(0x0301, *v->cert, sig, transcript), TNT_PROOF_VALID);
        CHECK_STR(reason, v->valid_reason);
        /* TLS 1.1 signs the same way. */
        CHECK_EQ(v10(0x0302, *v->cert, sig, transcript), TNT_PROOF_VALID);
        CHECK(strncmp(reason, "TLS 1.1 ", 8) == 0);

        CHECK_EQ(v10(0x0301, *v->cert, sig, short_t), TNT_PROOF_INVALID);
        CHECK_STR(reason, "signature does not verify");

        /* The TLS 1.0 form needs no algorithm; one present is invalid. */
        CHECK_EQ(tnt_proof_verify(0x0301, v->cert->p, v->cert->n, true, 0x0201, sig.p, sig.n,
                                  transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
                 TNT_PROOF_INVALID);
        CHECK_STR(reason, "a TLS 1.0 proof with an algorithm field");

        flip_every_bit(v->sig, *v->cert, false, 0, sig);
        truncate_everywhere(v->sig, *v->cert, false, 0, sig);
        free(sig.p);
    }
    free(short_t.p);

    /* TLS 1.2's DigestInfo form is not the TLS 1.0 form, and vice versa. */
    blob di = proof_file("rsa2048-tls10-with-digestinfo.sig");
    CHECK_EQ(v10(0x0301, rsa_cert, di, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    CHECK_EQ(v12(rsa_cert, 0x0201, di, transcript), TNT_PROOF_VALID);
    free(di.p);
    blob raw = proof_file("rsa2048-tls10.sig");
    CHECK_EQ(v12(rsa_cert, 0x0201, raw, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    free(raw.p);

    /* A TLS 1.2 proof must carry the algorithm. */
    blob s = proof_file("rsa2048-rsa_pkcs1_sha256.sig");
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, false, 0, s.p, s.n, transcript.p,
                              transcript.n, client_algs, N_CLIENT_ALGS, reason, sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason, "a TLS 1.2 proof without an algorithm");
    free(s.p);

    /* Keys that cannot make a TLS 1.0 CertificateVerify. */
    blob any = proof_file("p256-tls10.sig");
    CHECK_EQ(v10(0x0301, ed_cert, any, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "a TLS 1.0 proof cannot be made with an Ed25519 key");
    CHECK_EQ(v10(0x0302, rsapss_cert, any, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "a TLS 1.1 proof cannot be made with an RSA-PSS (id-RSASSA-PSS) key");
    free(any.p);
}

static void test_wrong_key(void)
{
    blob s = proof_file("rsa2048b-rsa_pkcs1_sha256.sig");
    CHECK_EQ(v12(rsab_cert, 0x0401, s, transcript), TNT_PROOF_VALID);
    CHECK_EQ(v12(rsa_cert, 0x0401, s, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    free(s.p);

    /* An ECDSA signature by the other curve's key, under an algorithm that
     * fits the certificate: the signature itself fails. */
    blob e = proof_file("p384-ecdsa_sha256.sig");
    CHECK_EQ(v12(p256_cert, 0x0403, e, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    free(e.p);
}

/* RFC 8446 4.2.3: rsa_pss_rsae_* salt is the hash length. OpenSSL verifies
 * the other two files with their own salt length (make_vectors.sh was
 * checked with `openssl pkeyutl -verify -pkeyopt rsa_pss_saltlen:20/max`),
 * so only the salt rule rejects them. */
static void test_pss_salt(void)
{
    blob s20 = proof_file("rsa2048-rsa_pss_rsae_sha256-salt20.sig");
    blob smax = proof_file("rsa2048-rsa_pss_rsae_sha256-saltmax.sig");
    CHECK_EQ(v12(rsa_cert, 0x0804, s20, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    CHECK_EQ(v12(rsa_cert, 0x0804, smax, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    free(s20.p);
    free(smax.p);

    /* A 1024-bit key has 128 bytes of encoded message: SHA-512 with a
     * 64-byte salt needs 130, SHA-384 with 48 needs 98. */
    uint8_t dummy[128] = {0};
    blob d = {dummy, sizeof dummy};
    CHECK_EQ(v12(rsa1024_cert, 0x0806, d, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "RSA-PSS with a key too small: rsa_pss_rsae_sha512 needs at least 130 bytes, "
                      "a 1024-bit key has 128");
    CHECK_EQ(v12(rsa1024_cert, 0x0805, d, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
}

static void test_algorithm_rules(void)
{
    blob p256s = proof_file("p256-ecdsa_sha256.sig");
    blob p256s384 = proof_file("p256-ecdsa_sha384.sig");
    blob p384s256 = proof_file("p384-ecdsa_sha256.sig");
    blob rsas = proof_file("rsa2048-rsa_pkcs1_sha256.sig");
    blob rsas1 = proof_file("rsa2048-rsa_pkcs1_sha1.sig");

    /* Good signatures (OpenSSL made them with exactly these hashes) that the
     * curve rule alone rejects. */
    CHECK_EQ(v12(p256_cert, 0x0503, p256s384, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm ecdsa_secp384r1_sha384 does not match a P-256 key");
    CHECK_EQ(v12(p384_cert, 0x0403, p384s256, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm ecdsa_secp256r1_sha256 does not match a P-384 key");

    CHECK_EQ(v12(rsa_cert, 0x0403, p256s, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm ecdsa_secp256r1_sha256 does not match an RSA key");
    CHECK_EQ(v12(p256_cert, 0x0401, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm rsa_pkcs1_sha256 does not match a P-256 key");
    CHECK_EQ(v12(p256_cert, 0x0804, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm rsa_pss_rsae_sha256 does not match a P-256 key");
    CHECK_EQ(v12(rsapss_cert, 0x0804, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason,
              "algorithm rsa_pss_rsae_sha256 does not match an RSA-PSS (id-RSASSA-PSS) key");
    CHECK_EQ(v12(dsa_cert, 0x0401, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm rsa_pkcs1_sha256 does not match a DSA key");

    /* Codes outside the spec's list, even when the client offered them. */
    static const uint16_t everything[] = {0x0101, 0x0203, 0x0301, 0x0402, 0x0603,
                                          0x0807, 0x0809, 0x0420, 0x1234};
    static const char *const not_allowed[] = {
        "algorithm rsa_pkcs1_md5 is not allowed for TNT proofs",
        "algorithm ecdsa_sha1 is not allowed for TNT proofs",
        "algorithm rsa_pkcs1_sha224 is not allowed for TNT proofs",
        "algorithm dsa_sha256 is not allowed for TNT proofs",
        "algorithm ecdsa_secp521r1_sha512 is not allowed for TNT proofs",
        "algorithm ed25519 is not allowed for TNT proofs",
        "algorithm rsa_pss_pss_sha256 is not allowed for TNT proofs",
        "algorithm rsa_pkcs1_sha256_legacy is not allowed for TNT proofs",
        "algorithm 0x1234 is not allowed for TNT proofs",
    };
    for (size_t i = 0; i < sizeof everything / sizeof everything[0]; i++) {
        CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, everything[i], rsas.p,
                                  rsas.n, transcript.p, transcript.n, everything,
                                  sizeof everything / sizeof everything[0], reason, sizeof reason),
                 TNT_PROOF_INVALID);
        CHECK_STR(reason, not_allowed[i]);
    }

    /* Not in the client's list. */
    static const uint16_t no256[] = {0x0804, 0x0501, 0x0403};
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, no256, 3, reason, sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason,
              "algorithm rsa_pkcs1_sha256 is not in the ClientHello's signature_algorithms");
    /* A list that is present but empty offers nothing. */
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, no256, 0, reason, sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason,
              "algorithm rsa_pkcs1_sha256 is not in the ClientHello's signature_algorithms");

    /* No signature_algorithms: RFC 5246 defaults, so only rsa_pkcs1_sha1. */
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0201, rsas1.p, rsas1.n,
                              transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
             TNT_PROOF_VALID);
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm rsa_pkcs1_sha256 is not among the RFC 5246 defaults (the "
                      "ClientHello has no signature_algorithms)");
    CHECK_EQ(tnt_proof_verify(0x0303, p256_cert.p, p256_cert.n, true, 0x0403, p256s.p, p256s.n,
                              transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason, "algorithm ecdsa_secp256r1_sha256 is not among the RFC 5246 defaults (the "
                      "ClientHello has no signature_algorithms)");

    /* A rule broken while the transcript is unknown: unchecked, but said. */
    CHECK_EQ(tnt_proof_verify(0x0303, p256_cert.p, p256_cert.n, true, 0x0503, p256s384.p,
                              p256s384.n, NULL, 0, client_algs, N_CLIENT_ALGS, reason,
                              sizeof reason),
             TNT_PROOF_UNCHECKED);
    CHECK_STR(reason, "transcript not fully known (also: algorithm ecdsa_secp384r1_sha384 does "
                      "not match a P-256 key)");

    free(p256s.p);
    free(p256s384.p);
    free(p384s256.p);
    free(rsas.p);
    free(rsas1.p);
}

static void test_bad_inputs(void)
{
    blob rsas = proof_file("rsa2048-rsa_pkcs1_sha256.sig");

    /* Garbage certificate, and every truncation of a good one. */
    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0xde, 0xad};
    blob g = {(uint8_t *)garbage, sizeof garbage};
    CHECK_EQ(v12(g, 0x0401, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "certificate does not parse");
    int bad = 0;
    for (size_t n = 1; n < rsa_cert.n; n++) {
        blob c = {rsa_cert.p, n};
        if (v12(c, 0x0401, rsas, transcript) != TNT_PROOF_INVALID ||
            strcmp(reason, "certificate does not parse") != 0)
            bad++;
    }
    CHECK_EQ(bad, 0);
    blob longer = copy(rsa_cert);
    longer.p[longer.n++] = 0; /* DER allows nothing after the certificate */
    CHECK_EQ(v12(longer, 0x0401, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "certificate does not parse");
    free(longer.p);
    blob none = {NULL, 0};
    CHECK_EQ(v12(none, 0x0401, rsas, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "no certificate");

    /* Empty signature, and no proof entry at all. */
    uint8_t nothing[1];
    blob empty = {nothing, 0};
    CHECK_EQ(v12(rsa_cert, 0x0401, empty, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "empty signature");
    CHECK_EQ(v10(0x0301, p256_cert, empty, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "empty signature");
    CHECK_EQ(v12(rsa_cert, 0x0401, none, transcript), TNT_PROOF_MISSING);
    CHECK_STR(reason, "no proof entry for this credential");

    /* An RSA signature one byte short or long (a leading zero added: the
     * same integer, but not a k-byte signature, RFC 8017 8.2.2). */
    blob s255 = {rsas.p + 1, 255};
    CHECK_EQ(v12(rsa_cert, 0x0401, s255, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "RSA signature is 255 bytes, a 2048-bit key needs 256");
    blob s257 = {malloc(257), 257};
    s257.p[0] = 0;
    memcpy(s257.p + 1, rsas.p, 256);
    CHECK_EQ(v12(rsa_cert, 0x0401, s257, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "RSA signature is 257 bytes, a 2048-bit key needs 256");
    free(s257.p);

    /* A signature whose first byte is zero, sent without it: the same
     * integer, refused for its length (RFC 8017 8.2.2). Deterministic PKCS#1
     * v1.5 makes one in about 256 tries over varied transcripts. */
    blob key = proof_file("rsa2048.key.pem");
    blob t = copy(transcript);
    uint8_t sig[256];
    size_t sig_len = 0;
    bool found = false;
    for (unsigned i = 0; i < 4096 && !found; i++) {
        t.p[t.n - 1] = (uint8_t)i;
        t.p[t.n - 2] = (uint8_t)(i >> 8);
        CHECK(tnt_proof_sign(0x0303, key.p, key.n, true, 0x0401, t.p, t.n, client_algs,
                             N_CLIENT_ALGS, sig, sizeof sig, &sig_len, reason, sizeof reason));
        found = sig_len == 256 && sig[0] == 0;
    }
    CHECK(found);
    blob full = {sig, 256}, stripped = {sig + 1, 255};
    CHECK_EQ(v12(rsa_cert, 0x0401, full, t), TNT_PROOF_VALID);
    CHECK_EQ(v12(rsa_cert, 0x0401, stripped, t), TNT_PROOF_INVALID);
    CHECK_STR(reason, "RSA signature is 255 bytes, a 2048-bit key needs 256");
    free(t.p);
    free(key.p);

    /* An ECDSA signature with a byte appended after the DER value. */
    blob e = proof_file("p256-ecdsa_sha256.sig");
    e.p[e.n++] = 0;
    CHECK_EQ(v12(p256_cert, 0x0403, e, transcript), TNT_PROOF_INVALID);
    free(e.p);

    /* Versions without TNT. */
    CHECK_EQ(tnt_proof_verify(0x0300, rsa_cert.p, rsa_cert.n, false, 0, rsas.p, rsas.n,
                              transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
             TNT_PROOF_UNCHECKED);
    CHECK_STR(reason, "TNT proofs are not defined for SSL 3.0");
    CHECK_EQ(tnt_proof_verify(0x0304, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, NULL, 0, reason, sizeof reason),
             TNT_PROOF_UNCHECKED);
    CHECK_STR(reason, "TNT proofs are not defined for TLS 1.3");

    /* A reason buffer of any size, or none, is fine. */
    char tiny[8];
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, client_algs, N_CLIENT_ALGS, tiny,
                              sizeof tiny),
             TNT_PROOF_VALID);
    CHECK_STR(tiny, "rsa_pkc");
    CHECK_EQ(tnt_proof_verify(0x0303, rsa_cert.p, rsa_cert.n, true, 0x0401, rsas.p, rsas.n,
                              transcript.p, transcript.n, client_algs, N_CLIENT_ALGS, NULL, 0),
             TNT_PROOF_VALID);
    free(rsas.p);

    CHECK_STR(tnt_proof_result_name(TNT_PROOF_VALID), "valid");
    CHECK_STR(tnt_proof_result_name(TNT_PROOF_INVALID), "invalid");
    CHECK_STR(tnt_proof_result_name(TNT_PROOF_MISSING), "missing");
    CHECK_STR(tnt_proof_result_name(TNT_PROOF_UNCHECKED), "unchecked");
}

/* Real CertificateVerify messages from OpenSSL TLS stacks (snet captures),
 * signed exactly as TNT proofs are: TLS 1.1 with a DSA key, TLS 1.2 with
 * rsa_pss_rsae_sha256. The list passed is the CertificateRequest's, which is
 * what governs a CertificateVerify. */
static void test_snet(void)
{
    blob t11 = proof_file("snet-tls11-dsa-transcript.bin");
    blob c11 = proof_file("snet-tls11-dsa-client-cert.der");
    blob cv11 = load("handshake/snet-tls11-dss-certverify.bin");
    CHECK_EQ(cv11.n, 53);
    CHECK_EQ(cv11.p[0], 15);
    CHECK_EQ((cv11.p[4] << 8) | cv11.p[5], 47);
    blob s11 = {cv11.p + 6, 47};
    CHECK_EQ(v10(0x0302, c11, s11, t11), TNT_PROOF_VALID);
    CHECK_STR(reason, "TLS 1.1 DSA SHA-1 signature by a DSA key verifies");
    t11.p[0] ^= 1;
    CHECK_EQ(v10(0x0302, c11, s11, t11), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");

    blob t12 = proof_file("snet-tls12-rsa-transcript.bin");
    blob c12 = proof_file("snet-tls12-rsa-client-cert.der");
    blob cv12 = load("handshake/snet-tls12-rsa-certverify.bin");
    CHECK_EQ(cv12.n, 264);
    CHECK_EQ((cv12.p[4] << 8) | cv12.p[5], 0x0804);
    CHECK_EQ((cv12.p[6] << 8) | cv12.p[7], 256);
    blob s12 = {cv12.p + 8, 256};
    static const uint16_t certreq_algs[] = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809,
                                            0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
                                            0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201,
                                            0x0302, 0x0202, 0x0402, 0x0502, 0x0602};
    CHECK_EQ(tnt_proof_verify(0x0303, c12.p, c12.n, true, 0x0804, s12.p, s12.n, t12.p, t12.n,
                              certreq_algs, sizeof certreq_algs / sizeof certreq_algs[0], reason,
                              sizeof reason),
             TNT_PROOF_VALID);
    CHECK_STR(reason, "rsa_pss_rsae_sha256 signature by an RSA key verifies");
    /* Claimed as PKCS#1 v1.5 the same bytes do not verify. */
    CHECK_EQ(tnt_proof_verify(0x0303, c12.p, c12.n, true, 0x0401, s12.p, s12.n, t12.p, t12.n,
                              certreq_algs, sizeof certreq_algs / sizeof certreq_algs[0], reason,
                              sizeof reason),
             TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");

    free(t11.p);
    free(c11.p);
    free(cv11.p);
    free(t12.p);
    free(c12.p);
    free(cv12.p);
}

typedef struct signer {
    const char *key;
    blob *cert;
} signer;

static void test_sign_round_trip(void)
{
    static const uint16_t all[] = {0x0201, 0x0401, 0x0501, 0x0601, 0x0804,
                                   0x0805, 0x0806, 0x0403, 0x0503};
    const signer signers[] = {
        {"rsa2048.key.pem", &rsa_cert}, {"rsa1024.key.pem", &rsa1024_cert},
        {"p256.key.pem", &p256_cert},   {"p384.key.pem", &p384_cert},
        {"dsa2048.key.pem", &dsa_cert}, {"ed25519.key.pem", &ed_cert},
    };
    uint8_t sig[1024];
    size_t sig_len;
    for (size_t i = 0; i < sizeof signers / sizeof signers[0]; i++) {
        blob key = proof_file(signers[i].key);
        blob cert = *signers[i].cert;
        for (size_t j = 0; j < sizeof all / sizeof all[0]; j++) {
            bool made = tnt_proof_sign(0x0303, key.p, key.n, true, all[j], transcript.p,
                                       transcript.n, client_algs, N_CLIENT_ALGS, sig, sizeof sig,
                                       &sig_len, reason, sizeof reason);
            /* The signer never makes a proof the verifier rejects, and refuses
             * exactly what the verifier's rules reject, with the same reason
             * (a junk signature of the right size isolates the rules). */
            char vr[256];
            if (made) {
                blob s = {sig, sig_len};
                tnt_proof_result r = v12(cert, all[j], s, transcript);
                if (r != TNT_PROOF_VALID)
                    fprintf(stderr, "%s 0x%04x: made but %s (%s)\n", signers[i].key, all[j],
                            tnt_proof_result_name(r), reason);
                CHECK_EQ(r, TNT_PROOF_VALID);
            } else {
                snprintf(vr, sizeof vr, "%s", reason);
                uint8_t junk[256] = {0};
                blob s = {junk, cert.p == rsa1024_cert.p ? 128u : 256u};
                CHECK_EQ(v12(cert, all[j], s, transcript), TNT_PROOF_INVALID);
                if (strcmp(reason, "signature does not verify") == 0)
                    fprintf(stderr, "%s 0x%04x: signer refused (%s) but rules pass\n",
                            signers[i].key, all[j], vr);
                CHECK(strcmp(reason, "signature does not verify") != 0);
                CHECK_STR(vr, reason);
            }
        }
        free(key.p);
    }

    /* Which (key, algorithm) pairs are accepted: exactly the spec's. */
    blob k = proof_file("rsa2048.key.pem");
    CHECK(tnt_proof_sign(0x0303, k.p, k.n, true, 0x0804, transcript.p, transcript.n, client_algs,
                         N_CLIENT_ALGS, sig, sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_EQ(sig_len, 256);
    CHECK_STR(reason, "rsa_pss_rsae_sha256 signature by an RSA key");
    CHECK(!tnt_proof_sign(0x0303, k.p, k.n, true, 0x0403, transcript.p, transcript.n, client_algs,
                          N_CLIENT_ALGS, sig, sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "algorithm ecdsa_secp256r1_sha256 does not match an RSA key");
    CHECK_EQ(sig_len, 0);
    CHECK(!tnt_proof_sign(0x0303, k.p, k.n, true, 0x0401, transcript.p, transcript.n, NULL, 0, sig,
                          sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "algorithm rsa_pkcs1_sha256 is not among the RFC 5246 defaults (the "
                      "ClientHello has no signature_algorithms)");
    CHECK(!tnt_proof_sign(0x0303, k.p, k.n, true, 0x0401, transcript.p, transcript.n, client_algs,
                          N_CLIENT_ALGS, sig, 255, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "signature of 256 bytes does not fit in 255");
    CHECK(!tnt_proof_sign(0x0301, k.p, k.n, true, 0x0401, transcript.p, transcript.n, NULL, 0, sig,
                          sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "a TLS 1.0 proof with an algorithm field");
    CHECK(!tnt_proof_sign(0x0300, k.p, k.n, false, 0, transcript.p, transcript.n, NULL, 0, sig,
                          sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "TNT proofs are not defined for SSL 3.0");
    static const uint8_t not_a_key[] =
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    CHECK(!tnt_proof_sign(0x0303, not_a_key, sizeof not_a_key - 1, true, 0x0401, transcript.p,
                          transcript.n, client_algs, N_CLIENT_ALGS, sig, sizeof sig, &sig_len,
                          reason, sizeof reason));
    CHECK_STR(reason, "private key does not parse (or is encrypted)");
    CHECK(!tnt_proof_sign(0x0303, NULL, 0, true, 0x0401, transcript.p, transcript.n, client_algs,
                          N_CLIENT_ALGS, sig, sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "no private key");

    /* PKCS#1 v1.5 is deterministic, so GnuTLS's signature must be OpenSSL's
     * byte for byte: an independent check of the signer, TLS 1.2 and 1.0. */
    blob o = proof_file("rsa2048-rsa_pkcs1_sha256.sig");
    CHECK(tnt_proof_sign(0x0303, k.p, k.n, true, 0x0401, transcript.p, transcript.n, client_algs,
                         N_CLIENT_ALGS, sig, sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_EQ(sig_len, o.n);
    CHECK_MEM(sig, o.p, o.n);
    free(o.p);
    o = proof_file("rsa2048-tls10.sig");
    CHECK(tnt_proof_sign(0x0301, k.p, k.n, false, 0, transcript.p, transcript.n, NULL, 0, sig,
                         sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "TLS 1.0 RSA MD5||SHA-1 signature by an RSA key");
    CHECK_EQ(sig_len, o.n);
    CHECK_MEM(sig, o.p, o.n);
    free(o.p);
    free(k.p);

    /* TLS 1.0/1.1 round trips for every key type that can make one. */
    const signer tls10[] = {{"rsa2048.key.pem", &rsa_cert},
                            {"p256.key.pem", &p256_cert},
                            {"p384.key.pem", &p384_cert},
                            {"dsa2048.key.pem", &dsa_cert}};
    for (size_t i = 0; i < sizeof tls10 / sizeof tls10[0]; i++) {
        blob key = proof_file(tls10[i].key);
        for (uint16_t ver = 0x0301; ver <= 0x0302; ver++) {
            CHECK(tnt_proof_sign(ver, key.p, key.n, false, 0, transcript.p, transcript.n, NULL, 0,
                                 sig, sizeof sig, &sig_len, reason, sizeof reason));
            blob s = {sig, sig_len};
            CHECK_EQ(v10(ver, *tls10[i].cert, s, transcript), TNT_PROOF_VALID);
            /* and not by another key */
            CHECK_EQ(v10(ver, tls10[i].cert == &rsa_cert ? rsab_cert : rsa_cert, s, transcript),
                     TNT_PROOF_INVALID);
        }
        free(key.p);
    }
    blob ed = proof_file("ed25519.key.pem");
    CHECK(!tnt_proof_sign(0x0301, ed.p, ed.n, false, 0, transcript.p, transcript.n, NULL, 0, sig,
                          sizeof sig, &sig_len, reason, sizeof reason));
    CHECK_STR(reason, "a TLS 1.0 proof cannot be made with an Ed25519 key");
    free(ed.p);
}

static void test_pick(void)
{
    struct {
        const char *key;
        const uint16_t *list;
        size_t n;
        bool ok;
        uint16_t want;
    } cases[] = {
        {"rsa2048.key.pem", client_algs, N_CLIENT_ALGS, true, 0x0804},
        {"p256.key.pem", client_algs, N_CLIENT_ALGS, true, 0x0403},
        {"p384.key.pem", client_algs, N_CLIENT_ALGS, true, 0x0503},
        {"rsa2048.key.pem", NULL, 0, true, 0x0201},
        {"p256.key.pem", NULL, 0, false, 0},
        {"dsa2048.key.pem", client_algs, N_CLIENT_ALGS, false, 0},
        {"ed25519.key.pem", client_algs, N_CLIENT_ALGS, false, 0},
        /* The PSS codes first, but too big for 1024 bits only with SHA-512. */
        {"rsa1024.key.pem", (const uint16_t[]){0x0806, 0x0805, 0x0401}, 3, true, 0x0805},
        {"rsa1024.key.pem", (const uint16_t[]){0x0806, 0x0401}, 2, true, 0x0401},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        blob key = proof_file(cases[i].key);
        uint16_t alg = 0;
        bool ok = tnt_proof_pick_algorithm(key.p, key.n, cases[i].list, cases[i].n, &alg, reason,
                                           sizeof reason);
        CHECK_EQ(ok, cases[i].ok);
        if (ok)
            CHECK_EQ(alg, cases[i].want);
        free(key.p);
    }
    blob key = proof_file("p256.key.pem");
    uint16_t alg;
    CHECK(!tnt_proof_pick_algorithm(key.p, key.n, NULL, 0, &alg, reason, sizeof reason));
    CHECK_STR(reason, "no algorithm the client offers suits a P-256 key");
    free(key.p);
}

/* The digest path by itself: which algorithms take it, that it is the
 * digest (not the transcript) that GnuTLS checks, and the fallback. */
static void test_digest_path(void)
{
    hasher_now = &test_hasher;
    for (size_t i = 0; i < N_OPENSSL12; i++) {
        const vec12 *v = &openssl12[i];
        /* SHA-256 and SHA-384, the TLS 1.2 PRF hashes; SHA-1 keeps GnuTLS's
         * policy check of the data path, and no transcript runs SHA-512. */
        bool by_digest = v->alg != 0x0201 && v->alg != 0x0601 && v->alg != 0x0806;
        blob sig = proof_file(v->sig);
        th = (struct test_hasher){.calls = 0};
        CHECK_EQ(v12(*v->cert, v->alg, sig, transcript), TNT_PROOF_VALID);
        CHECK_STR(reason, v->valid_reason);
        CHECK_EQ(th.calls, by_digest ? 1 : 0);
        if (by_digest)
            CHECK_EQ(th.hs_seen, 7);

        /* A wrong digest with the right transcript: so the digest is what
         * was verified. */
        th = (struct test_hasher){.corrupt = true};
        CHECK_EQ(v12(*v->cert, v->alg, sig, transcript),
                 by_digest ? TNT_PROOF_INVALID : TNT_PROOF_VALID);
        if (by_digest)
            CHECK_STR(reason, "signature does not verify");

        /* A hasher that has no digest: the transcript bytes, same verdict. */
        th = (struct test_hasher){.decline = true};
        CHECK_EQ(v12(*v->cert, v->alg, sig, transcript), TNT_PROOF_VALID);
        CHECK_STR(reason, v->valid_reason);
        CHECK_EQ(th.calls, 0);

        /* Transcript unknown: the hasher is not asked. */
        th = (struct test_hasher){.calls = 0};
        CHECK_EQ(tnt_proof_verify_hashed(NULL, 0x0303, v->cert->p, v->cert->n, true, v->alg, sig.p,
                                         sig.n, NULL, 0, &test_hasher, 7, client_algs,
                                         N_CLIENT_ALGS, reason, sizeof reason),
                 TNT_PROOF_UNCHECKED);
        CHECK_STR(reason, "transcript not fully known");
        CHECK_EQ(th.calls, 0);
        free(sig.p);
    }

    /* An invalid signature and a wrong key's proof through the digest. */
    th = (struct test_hasher){.calls = 0};
    blob s = proof_file("rsa2048b-rsa_pkcs1_sha256.sig");
    CHECK_EQ(v12(rsab_cert, 0x0401, s, transcript), TNT_PROOF_VALID);
    CHECK_EQ(v12(rsa_cert, 0x0401, s, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    s.p[10] ^= 0x04;
    CHECK_EQ(v12(rsab_cert, 0x0401, s, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    CHECK_EQ(th.calls, 3);
    free(s.p);
    blob pss = proof_file("rsa2048-rsa_pss_rsae_sha256.sig");
    CHECK_EQ(v12(rsab_cert, 0x0804, pss, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    free(pss.p);
    blob e = proof_file("p384-ecdsa_sha384.sig");
    blob p256e = proof_file("p256-ecdsa_sha256.sig");
    CHECK_EQ(v12(p384_cert, 0x0503, p256e, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    e.p[e.n - 1] ^= 0x01;
    CHECK_EQ(v12(p384_cert, 0x0503, e, transcript), TNT_PROOF_INVALID);
    CHECK_STR(reason, "signature does not verify");
    CHECK_EQ(th.calls, 6);
    free(e.p);
    free(p256e.p);

    /* TLS 1.0/1.1 proofs always hash the transcript bytes. */
    th = (struct test_hasher){.calls = 0};
    blob s10 = proof_file("rsa2048-tls10.sig");
    CHECK_EQ(v10(0x0301, rsa_cert, s10, transcript), TNT_PROOF_VALID);
    CHECK_EQ(th.calls, 0);
    free(s10.p);
    hasher_now = NULL;
}

int main(void)
{
    transcript = proof_file("transcript.bin");
    CHECK_EQ(transcript.n, 2120);
    rsa_cert = proof_file("rsa2048.cert.der");
    rsab_cert = proof_file("rsa2048b.cert.der");
    rsa1024_cert = proof_file("rsa1024.cert.der");
    p256_cert = proof_file("p256.cert.der");
    p384_cert = proof_file("p384.cert.der");
    dsa_cert = proof_file("dsa2048.cert.der");
    ed_cert = proof_file("ed25519.cert.der");
    rsapss_cert = proof_file("rsapss.cert.der");

    /* Both paths, with the same expectations. */
    for (int pass = 0; pass < 2; pass++) {
        hasher_now = pass ? &test_hasher : NULL;
        th = (struct test_hasher){.calls = 0};
        test_openssl_tls12();
        test_openssl_tls10();
        test_wrong_key();
        test_pss_salt();
        test_algorithm_rules();
        test_bad_inputs();
        test_snet();
        /* The second pass did go through the digests. */
        if (pass)
            CHECK(th.calls > 1000);
        else
            CHECK_EQ(th.calls, 0);
    }
    hasher_now = NULL;
    test_digest_path();
    test_sign_round_trip();
    test_pick();

    blob *all[] = {&transcript, &rsa_cert, &rsab_cert, &rsa1024_cert, &p256_cert,
                   &p384_cert,  &dsa_cert, &ed_cert,   &rsapss_cert};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]->p);
    return check_done("test_proof_verify");
}
