/* TNT ownership proofs: the spec section 5 rules on top of GnuTLS's
 * public-key operations. See proof_verify.h for the decisions taken. */
#include "proof_verify.h"
#include "cert_cache.h"
#include "transcript_hasher.h"

#include "names.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TLS10 0x0301
#define TLS11 0x0302
#define TLS12 0x0303

/* The algorithm table of spec section 5. need says which key the code may be
 * used with, because a code is only meaningful together with its key type. */
typedef enum key_need { NEED_RSA, NEED_P256, NEED_P384 } key_need;

typedef struct alg_info {
    uint16_t code;
    key_need need;
    gnutls_sign_algorithm_t sign;
    unsigned hash_len; /* for PSS: the salt length TLS requires, and the key size check */
    bool pss;
    /* Verified from a running transcript hash when one is at hand: only
     * SHA-256 and SHA-384, the hashes of the TLS 1.2 PRFs. SHA-1 stays on
     * the data path, where GnuTLS applies its SHA-1 policy (and the flag
     * that lifts it); no transcript hash runs SHA-512. */
    bool by_digest;
    tnt_hash digest;
} alg_info;

static const alg_info tls12_algs[] = {
    {0x0201, NEED_RSA, GNUTLS_SIGN_RSA_SHA1, 20, false, false, TNT_HASH_SHA1},
    {0x0401, NEED_RSA, GNUTLS_SIGN_RSA_SHA256, 32, false, true, TNT_HASH_SHA256},
    {0x0501, NEED_RSA, GNUTLS_SIGN_RSA_SHA384, 48, false, true, TNT_HASH_SHA384},
    {0x0601, NEED_RSA, GNUTLS_SIGN_RSA_SHA512, 64, false, false, TNT_HASH_SHA512},
    {0x0804, NEED_RSA, GNUTLS_SIGN_RSA_PSS_RSAE_SHA256, 32, true, true, TNT_HASH_SHA256},
    {0x0805, NEED_RSA, GNUTLS_SIGN_RSA_PSS_RSAE_SHA384, 48, true, true, TNT_HASH_SHA384},
    {0x0806, NEED_RSA, GNUTLS_SIGN_RSA_PSS_RSAE_SHA512, 64, true, false, TNT_HASH_SHA512},
    {0x0403, NEED_P256, GNUTLS_SIGN_ECDSA_SHA256, 32, false, true, TNT_HASH_SHA256},
    {0x0503, NEED_P384, GNUTLS_SIGN_ECDSA_SHA384, 48, false, true, TNT_HASH_SHA384},
};

/* RFC 5246 7.4.1.4.1: {sha1,rsa}, {sha1,dsa}, {sha1,ecdsa}. A proof is not
 * tied to the key exchange, so all three are assumed at once. */
static const uint16_t default_sig_algs[] = {0x0201, 0x0202, 0x0203};

typedef struct key_info {
    gnutls_pk_algorithm_t pk;
    unsigned bits;
    gnutls_ecc_curve_t curve; /* ECDSA only */
    char desc[64];            /* "a P-256 key", for reasons */
} key_info;

/* What to do for one proof once the rules are met. */
typedef struct proof_plan {
    char name[64];
    gnutls_sign_algorithm_t sign;
    bool tls1_rsa;  /* MD5||SHA-1 with raw PKCS#1 v1.5 padding */
    bool by_digest; /* alg_info.by_digest */
    tnt_hash digest;
} proof_plan;

static void say(char *reason, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *reason, size_t cap, const char *fmt, ...)
{
    if (!reason || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, cap, fmt, ap);
    va_end(ap);
}

const char *tnt_proof_result_name(tnt_proof_result r)
{
    switch (r) {
    case TNT_PROOF_VALID:
        return "valid";
    case TNT_PROOF_INVALID:
        return "invalid";
    case TNT_PROOF_MISSING:
        return "missing";
    case TNT_PROOF_UNCHECKED:
        return "unchecked";
    }
    return "?";
}

/* Names the algorithm even when names.c does not know it, so a reason never
 * prints "(null)". */
static const char *alg_name(uint16_t code, char *buf, size_t cap)
{
    const char *n = tnt_sigscheme_name(code);
    if (n)
        return n;
    snprintf(buf, cap, "0x%04x", code);
    return buf;
}

static const char *version_label(uint16_t version, char *buf, size_t cap)
{
    const char *n = tnt_version_name(version);
    if (n)
        return n;
    snprintf(buf, cap, "version 0x%04x", version);
    return buf;
}

static void describe_key(gnutls_pubkey_t pub, key_info *k)
{
    int pk = gnutls_pubkey_get_pk_algorithm(pub, &k->bits);
    k->pk = pk < 0 ? GNUTLS_PK_UNKNOWN : (gnutls_pk_algorithm_t)pk;
    k->curve = GNUTLS_ECC_CURVE_INVALID;
    switch (k->pk) {
    case GNUTLS_PK_RSA:
        snprintf(k->desc, sizeof k->desc, "an RSA key");
        break;
    case GNUTLS_PK_RSA_PSS:
        /* rsa_pss_rsae_* needs rsaEncryption; an id-RSASSA-PSS key would
         * need rsa_pss_pss_*, which TNT does not allow. */
        snprintf(k->desc, sizeof k->desc, "an RSA-PSS (id-RSASSA-PSS) key");
        break;
    case GNUTLS_PK_DSA:
        snprintf(k->desc, sizeof k->desc, "a DSA key");
        break;
    case GNUTLS_PK_ECDSA:
        if (gnutls_pubkey_export_ecc_raw2(pub, &k->curve, NULL, NULL, 0) < 0)
            k->curve = GNUTLS_ECC_CURVE_INVALID;
        if (k->curve == GNUTLS_ECC_CURVE_SECP256R1)
            snprintf(k->desc, sizeof k->desc, "a P-256 key");
        else if (k->curve == GNUTLS_ECC_CURVE_SECP384R1)
            snprintf(k->desc, sizeof k->desc, "a P-384 key");
        else if (k->curve == GNUTLS_ECC_CURVE_SECP521R1)
            snprintf(k->desc, sizeof k->desc, "a P-521 key");
        else {
            const char *cn = gnutls_ecc_curve_get_name(k->curve);
            snprintf(k->desc, sizeof k->desc, "an ECDSA key on curve %s", cn ? cn : "unknown");
        }
        break;
    case GNUTLS_PK_EDDSA_ED25519:
        snprintf(k->desc, sizeof k->desc, "an Ed25519 key");
        break;
    case GNUTLS_PK_EDDSA_ED448:
        snprintf(k->desc, sizeof k->desc, "an Ed448 key");
        break;
    default: {
        const char *pn = gnutls_pk_get_name(k->pk);
        snprintf(k->desc, sizeof k->desc, "a %s key", pn ? pn : "unknown");
        break;
    }
    }
}

static bool key_fits(const key_info *k, key_need need)
{
    switch (need) {
    case NEED_RSA:
        return k->pk == GNUTLS_PK_RSA;
    case NEED_P256:
        return k->pk == GNUTLS_PK_ECDSA && k->curve == GNUTLS_ECC_CURVE_SECP256R1;
    case NEED_P384:
        return k->pk == GNUTLS_PK_ECDSA && k->curve == GNUTLS_ECC_CURVE_SECP384R1;
    }
    return false;
}

static const alg_info *tls12_lookup(uint16_t code)
{
    for (size_t i = 0; i < sizeof tls12_algs / sizeof tls12_algs[0]; i++)
        if (tls12_algs[i].code == code)
            return &tls12_algs[i];
    return NULL;
}

static bool listed(uint16_t code, const uint16_t *list, size_t n)
{
    if (!list) {
        list = default_sig_algs;
        n = sizeof default_sig_algs / sizeof default_sig_algs[0];
    }
    for (size_t i = 0; i < n; i++)
        if (list[i] == code)
            return true;
    return false;
}

/* The TLS 1.2 rules for one algorithm and key, without the signature: false
 * with the reason when the proof cannot be valid whatever its bytes. */
static bool tls12_rules(const key_info *k, uint16_t code, const uint16_t *list, size_t n,
                        const alg_info **out, char *why, size_t why_cap)
{
    char nb[16];
    const char *name = alg_name(code, nb, sizeof nb);
    const alg_info *a = tls12_lookup(code);
    if (!a) {
        say(why, why_cap, "algorithm %s is not allowed for TNT proofs", name);
        return false;
    }
    if (!key_fits(k, a->need)) {
        say(why, why_cap, "algorithm %s does not match %s", name, k->desc);
        return false;
    }
    if (a->pss) {
        /* RFC 8017 9.1.1 with sLen = hLen: emLen >= 2*hLen + 2, where
         * emLen = ceil((modBits - 1) / 8). */
        unsigned em_len = (k->bits + 6) / 8;
        if (em_len < 2 * a->hash_len + 2) {
            say(why, why_cap,
                "RSA-PSS with a key too small: %s needs at least %u bytes, a %u-bit key has %u",
                name, 2 * a->hash_len + 2, k->bits, em_len);
            return false;
        }
    }
    if (!listed(code, list, n)) {
        if (list)
            say(why, why_cap, "algorithm %s is not in the ClientHello's signature_algorithms",
                name);
        else
            say(why, why_cap,
                "algorithm %s is not among the RFC 5246 defaults (the ClientHello has no "
                "signature_algorithms)",
                name);
        return false;
    }
    *out = a;
    return true;
}

/* Every rule that does not need the signature or transcript, shared by the
 * verifier and the signer so that the signer never makes a proof the
 * verifier rejects. */
static bool plan_proof(uint16_t version, const key_info *k, bool has_algorithm, uint16_t algorithm,
                       const uint16_t *list, size_t n, proof_plan *p, char *why, size_t why_cap)
{
    char vb[24], nb[16];
    const char *vname = version_label(version, vb, sizeof vb);
    memset(p, 0, sizeof *p);
    if (version == TLS12) {
        if (!has_algorithm) {
            say(why, why_cap, "a TLS 1.2 proof without an algorithm");
            return false;
        }
        const alg_info *a;
        if (!tls12_rules(k, algorithm, list, n, &a, why, why_cap))
            return false;
        snprintf(p->name, sizeof p->name, "%s", alg_name(algorithm, nb, sizeof nb));
        p->sign = a->sign;
        p->by_digest = a->by_digest;
        p->digest = a->digest;
        return true;
    }
    if (has_algorithm) {
        say(why, why_cap, "a %s proof with an algorithm field", vname);
        return false;
    }
    switch (k->pk) {
    case GNUTLS_PK_RSA:
        snprintf(p->name, sizeof p->name, "%s RSA MD5||SHA-1", vname);
        p->tls1_rsa = true;
        return true;
    case GNUTLS_PK_DSA:
        snprintf(p->name, sizeof p->name, "%s DSA SHA-1", vname);
        p->sign = GNUTLS_SIGN_DSA_SHA1;
        return true;
    case GNUTLS_PK_ECDSA:
        snprintf(p->name, sizeof p->name, "%s ECDSA SHA-1", vname);
        p->sign = GNUTLS_SIGN_ECDSA_SHA1;
        return true;
    default:
        say(why, why_cap, "a %s proof cannot be made with %s", vname, k->desc);
        return false;
    }
}

static bool tnt_version(uint16_t v)
{
    return v == TLS10 || v == TLS11 || v == TLS12;
}

/* The 36-byte MD5(t)||SHA-1(t) that TLS 1.0/1.1 RSA signatures cover. */
static bool md5_sha1(const uint8_t *t, size_t len, uint8_t out[36])
{
    return gnutls_hash_fast(GNUTLS_DIG_MD5, t, len, out) == 0 &&
           gnutls_hash_fast(GNUTLS_DIG_SHA1, t, len, out + 16) == 0;
}

/* GnuTLS takes non-const datum pointers for input it does not modify. */
static gnutls_datum_t datum(const uint8_t *p, size_t len)
{
    gnutls_datum_t d = {(unsigned char *)(uintptr_t)p, (unsigned)len};
    return d;
}

/* When the transcript is not known the result is unchecked (spec section 8),
 * but the reason keeps what was already seen to be wrong. */
static tnt_proof_result static_failure(bool transcript_known, const char *why, char *reason,
                                       size_t cap)
{
    if (!transcript_known) {
        say(reason, cap, "transcript not fully known (also: %s)", why);
        return TNT_PROOF_UNCHECKED;
    }
    say(reason, cap, "%s", why);
    return TNT_PROOF_INVALID;
}

/* The transcript's digest from the hasher, when the plan allows it and the
 * hasher has it. */
static bool running_digest(const proof_plan *p, const tnt_transcript_hasher *hasher,
                           uint32_t hs_index, size_t transcript_len, uint8_t *out, size_t cap,
                           size_t *len)
{
    return p->by_digest && hasher && hasher->digest &&
           hasher->digest(hasher->user, hs_index, transcript_len, p->digest, out, cap, len) &&
           *len == tnt_hash_len(p->digest);
}

static tnt_proof_result check_sig(gnutls_pubkey_t pub, const key_info *k, const proof_plan *p,
                                  const uint8_t *sig, size_t sig_len, const uint8_t *transcript,
                                  size_t transcript_len, const tnt_transcript_hasher *hasher,
                                  uint32_t hs_index, char *reason, size_t cap)
{
    bool known = transcript != NULL;
    char why[160];
    if (sig_len == 0)
        return static_failure(known, "empty signature", reason, cap);
    if (k->pk == GNUTLS_PK_RSA) {
        /* RFC 8017 8.2.2 requires exactly k bytes. GnuTLS 3.7.9 refuses
         * other lengths too (even a zero-stripped one, the same integer), but
         * only as "does not verify"; a peer that strips zeros deserves a
         * reason that says so. */
        size_t want = (k->bits + 7) / 8;
        if (sig_len != want) {
            snprintf(why, sizeof why, "RSA signature is %zu bytes, a %u-bit key needs %zu", sig_len,
                     k->bits, want);
            return static_failure(known, why, reason, cap);
        }
    }
    if (!known) {
        say(reason, cap, "transcript not fully known");
        return TNT_PROOF_UNCHECKED;
    }

    gnutls_datum_t s = datum(sig, sig_len);
    int rc;
    if (p->tls1_rsa) {
        uint8_t h[36];
        if (!md5_sha1(transcript, transcript_len, h)) {
            say(reason, cap, "cannot hash the transcript with MD5 and SHA-1 here");
            return TNT_PROOF_UNCHECKED;
        }
        gnutls_datum_t hd = datum(h, sizeof h);
        /* In GnuTLS 3.7.9 GNUTLS_SIGN_RSA_RAW is refused by verify_hash2
         * ("request is invalid"); only the TLS1_RSA flag selects the raw
         * form. Signing takes RSA_RAW (see tnt_proof_sign). */
        rc = gnutls_pubkey_verify_hash2(pub, GNUTLS_SIGN_UNKNOWN, GNUTLS_VERIFY_USE_TLS1_RSA, &hd,
                                        &s);
    } else {
        /* SHA-1 is what the client offered (TLS 1.2) or what the version
         * mandates (TLS 1.0), so GnuTLS's distrust of it for certificates does
         * not apply; the salt length rule is RFC 8446 4.2.3. */
        unsigned flags =
            GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 | GNUTLS_VERIFY_RSA_PSS_FIXED_SALT_LENGTH;
        uint8_t h[TNT_MAX_HASH_LEN];
        size_t hlen;
        if (running_digest(p, hasher, hs_index, transcript_len, h, sizeof h, &hlen)) {
            gnutls_datum_t hd = datum(h, hlen);
            rc = gnutls_pubkey_verify_hash2(pub, p->sign, flags, &hd, &s);
        } else {
            gnutls_datum_t d = datum(transcript, transcript_len);
            rc = gnutls_pubkey_verify_data2(pub, p->sign, flags, &d, &s);
        }
    }
    if (rc >= 0) {
        say(reason, cap, "%s signature by %s verifies", p->name, k->desc);
        return TNT_PROOF_VALID;
    }
    if (rc == GNUTLS_E_PK_SIG_VERIFY_FAILED) {
        say(reason, cap, "signature does not verify");
        return TNT_PROOF_INVALID;
    }
    if (rc == GNUTLS_E_ASN1_DER_ERROR || rc == GNUTLS_E_ASN1_TAG_ERROR ||
        rc == GNUTLS_E_ASN1_ELEMENT_NOT_FOUND || rc == GNUTLS_E_ASN1_DER_OVERFLOW ||
        rc == GNUTLS_E_ASN1_GENERIC_ERROR || rc == GNUTLS_E_ASN1_VALUE_NOT_VALID ||
        rc == GNUTLS_E_ASN1_TYPE_ANY_ERROR || rc == GNUTLS_E_ASN1_SYNTAX_ERROR) {
        say(reason, cap, "signature does not verify (not a DER (EC)DSA signature value)");
        return TNT_PROOF_INVALID;
    }
    /* Anything else is GnuTLS declining to judge (policy, missing algorithm),
     * which says nothing about the proof. */
    say(reason, cap, "GnuTLS cannot check this %s signature: %s", p->name, gnutls_strerror(rc));
    return TNT_PROOF_UNCHECKED;
}

tnt_proof_result tnt_proof_verify(uint16_t version, const uint8_t *cert_der, size_t cert_len,
                                  bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                  size_t sig_len, const uint8_t *transcript, size_t transcript_len,
                                  const uint16_t *client_sig_algs, size_t n_client_sig_algs,
                                  char *reason, size_t reason_cap)
{
    return tnt_proof_verify_cached(NULL, version, cert_der, cert_len, has_algorithm, algorithm, sig,
                                   sig_len, transcript, transcript_len, client_sig_algs,
                                   n_client_sig_algs, reason, reason_cap);
}

tnt_proof_result tnt_proof_verify_cached(tnt_cert_cache *cc, uint16_t version,
                                         const uint8_t *cert_der, size_t cert_len,
                                         bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                         size_t sig_len, const uint8_t *transcript,
                                         size_t transcript_len, const uint16_t *client_sig_algs,
                                         size_t n_client_sig_algs, char *reason, size_t reason_cap)
{
    return tnt_proof_verify_hashed(cc, version, cert_der, cert_len, has_algorithm, algorithm, sig,
                                   sig_len, transcript, transcript_len, NULL, 0, client_sig_algs,
                                   n_client_sig_algs, reason, reason_cap);
}

tnt_proof_result tnt_proof_verify_hashed(tnt_cert_cache *cc, uint16_t version,
                                         const uint8_t *cert_der, size_t cert_len,
                                         bool has_algorithm, uint16_t algorithm, const uint8_t *sig,
                                         size_t sig_len, const uint8_t *transcript,
                                         size_t transcript_len, const tnt_transcript_hasher *hasher,
                                         uint32_t hs_index, const uint16_t *client_sig_algs,
                                         size_t n_client_sig_algs, char *reason, size_t reason_cap)
{
    char vb[24];
    say(reason, reason_cap, "%s", "");
    if (!tnt_version(version)) {
        say(reason, reason_cap, "TNT proofs are not defined for %s",
            version_label(version, vb, sizeof vb));
        return TNT_PROOF_UNCHECKED;
    }
    if (!sig) {
        say(reason, reason_cap, "no proof entry for this credential");
        return TNT_PROOF_MISSING;
    }
    bool known = transcript != NULL;
    if (!cert_der || cert_len == 0)
        return static_failure(known, "no certificate", reason, reason_cap);

    gnutls_x509_crt_t crt = NULL;
    gnutls_pubkey_t pub = NULL;
    tnt_proof_result res;
    char why[192];
    int rc;
    /* With a cache the key is the entry's: nothing to free here. */
    tnt_cert_entry *ce = tnt_cert_cache_get(cc, cert_der, cert_len);
    if (ce) {
        if (!tnt_cert_entry_parses(ce))
            return static_failure(known, "certificate does not parse", reason, reason_cap);
        gnutls_pubkey_t cpub = tnt_cert_entry_pubkey(ce, &rc);
        if (!cpub) {
            snprintf(why, sizeof why, "certificate's public key is not usable (%s)",
                     gnutls_strerror(rc));
            return static_failure(known, why, reason, reason_cap);
        }
        key_info k;
        describe_key(cpub, &k);
        proof_plan p;
        if (!plan_proof(version, &k, has_algorithm, algorithm, client_sig_algs, n_client_sig_algs,
                        &p, why, sizeof why))
            return static_failure(known, why, reason, reason_cap);
        return check_sig(cpub, &k, &p, sig, sig_len, transcript, transcript_len, hasher, hs_index,
                         reason, reason_cap);
    }
    if (gnutls_x509_crt_init(&crt) < 0 || gnutls_pubkey_init(&pub) < 0) {
        say(reason, reason_cap, "out of memory");
        res = TNT_PROOF_UNCHECKED;
        goto out;
    }
    gnutls_datum_t cd = datum(cert_der, cert_len);
    if (gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_DER) < 0) {
        res = static_failure(known, "certificate does not parse", reason, reason_cap);
        goto out;
    }
    rc = gnutls_pubkey_import_x509(pub, crt, 0);
    if (rc < 0) {
        snprintf(why, sizeof why, "certificate's public key is not usable (%s)",
                 gnutls_strerror(rc));
        res = static_failure(known, why, reason, reason_cap);
        goto out;
    }
    key_info k;
    describe_key(pub, &k);
    proof_plan p;
    if (!plan_proof(version, &k, has_algorithm, algorithm, client_sig_algs, n_client_sig_algs, &p,
                    why, sizeof why)) {
        res = static_failure(known, why, reason, reason_cap);
        goto out;
    }
    res = check_sig(pub, &k, &p, sig, sig_len, transcript, transcript_len, hasher, hs_index, reason,
                    reason_cap);
out:
    gnutls_pubkey_deinit(pub);
    gnutls_x509_crt_deinit(crt);
    return res;
}

/* Loads a private key, PEM first (the usual file) then DER, and its public
 * half for the shared rules. */
static bool load_key(const uint8_t *key, size_t key_len, gnutls_privkey_t *priv,
                     gnutls_pubkey_t *pub, char *reason, size_t cap)
{
    *priv = NULL;
    *pub = NULL;
    if (!key || key_len == 0) {
        say(reason, cap, "no private key");
        return false;
    }
    if (gnutls_privkey_init(priv) < 0 || gnutls_pubkey_init(pub) < 0) {
        say(reason, cap, "out of memory");
        return false;
    }
    gnutls_datum_t kd = datum(key, key_len);
    if (gnutls_privkey_import_x509_raw(*priv, &kd, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 &&
        gnutls_privkey_import_x509_raw(*priv, &kd, GNUTLS_X509_FMT_DER, NULL, 0) < 0) {
        say(reason, cap, "private key does not parse (or is encrypted)");
        return false;
    }
    int rc = gnutls_pubkey_import_privkey(*pub, *priv, 0, 0);
    if (rc < 0) {
        say(reason, cap, "private key has no usable public half (%s)", gnutls_strerror(rc));
        return false;
    }
    return true;
}

static void free_key(gnutls_privkey_t priv, gnutls_pubkey_t pub)
{
    gnutls_pubkey_deinit(pub);
    gnutls_privkey_deinit(priv);
}

bool tnt_proof_sign(uint16_t version, const uint8_t *key, size_t key_len, bool has_algorithm,
                    uint16_t algorithm, const uint8_t *transcript, size_t transcript_len,
                    const uint16_t *client_sig_algs, size_t n_client_sig_algs, uint8_t *sig,
                    size_t sig_cap, size_t *sig_len, char *reason, size_t reason_cap)
{
    char vb[24];
    say(reason, reason_cap, "%s", "");
    if (sig_len)
        *sig_len = 0;
    if (!tnt_version(version)) {
        say(reason, reason_cap, "TNT proofs are not defined for %s",
            version_label(version, vb, sizeof vb));
        return false;
    }
    if (!transcript || !sig || !sig_len) {
        say(reason, reason_cap, "no transcript or no output buffer");
        return false;
    }
    gnutls_privkey_t priv;
    gnutls_pubkey_t pub;
    bool ok = false;
    gnutls_datum_t out = {NULL, 0};
    if (!load_key(key, key_len, &priv, &pub, reason, reason_cap))
        goto done;
    key_info k;
    describe_key(pub, &k);
    proof_plan p;
    if (!plan_proof(version, &k, has_algorithm, algorithm, client_sig_algs, n_client_sig_algs, &p,
                    reason, reason_cap))
        goto done;

    int rc;
    if (p.tls1_rsa) {
        uint8_t h[36];
        if (!md5_sha1(transcript, transcript_len, h)) {
            say(reason, reason_cap, "cannot hash the transcript with MD5 and SHA-1 here");
            goto done;
        }
        gnutls_datum_t hd = datum(h, sizeof h);
        rc = gnutls_privkey_sign_hash2(priv, GNUTLS_SIGN_RSA_RAW, 0, &hd, &out);
    } else {
        gnutls_datum_t d = datum(transcript, transcript_len);
        rc = gnutls_privkey_sign_data2(priv, p.sign, 0, &d, &out);
    }
    if (rc < 0) {
        say(reason, reason_cap, "GnuTLS cannot make this %s signature: %s", p.name,
            gnutls_strerror(rc));
        goto done;
    }
    if (out.size > 0xFFFF || out.size > sig_cap) {
        say(reason, reason_cap, "signature of %u bytes does not fit in %zu", out.size,
            sig_cap > 0xFFFF ? (size_t)0xFFFF : sig_cap);
        goto done;
    }
    memcpy(sig, out.data, out.size);
    *sig_len = out.size;
    say(reason, reason_cap, "%s signature by %s", p.name, k.desc);
    ok = true;
done:
    gnutls_free(out.data);
    free_key(priv, pub);
    return ok;
}

bool tnt_proof_pick_algorithm(const uint8_t *key, size_t key_len, const uint16_t *client_sig_algs,
                              size_t n_client_sig_algs, uint16_t *algorithm, char *reason,
                              size_t reason_cap)
{
    say(reason, reason_cap, "%s", "");
    gnutls_privkey_t priv;
    gnutls_pubkey_t pub;
    bool ok = false;
    if (!load_key(key, key_len, &priv, &pub, reason, reason_cap))
        goto done;
    key_info k;
    describe_key(pub, &k);
    const uint16_t *list = client_sig_algs ? client_sig_algs : default_sig_algs;
    size_t n =
        client_sig_algs ? n_client_sig_algs : sizeof default_sig_algs / sizeof default_sig_algs[0];
    for (size_t i = 0; i < n; i++) {
        const alg_info *a;
        char why[160];
        if (tls12_rules(&k, list[i], client_sig_algs, n_client_sig_algs, &a, why, sizeof why)) {
            *algorithm = list[i];
            ok = true;
            goto done;
        }
    }
    say(reason, reason_cap, "no algorithm the client offers suits %s", k.desc);
done:
    free_key(priv, pub);
    return ok;
}
