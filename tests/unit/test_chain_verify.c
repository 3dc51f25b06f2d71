/* Chain validation against per-issuer trust anchors, on the PKI of
 * tests/data/pki (make_pki.sh). Verification time is fixed at 2030-01-01
 * unless a test says otherwise; every certificate is valid 2025..2100. */
#include "chain_verify.h"
#include "check.h"
#include "tnt/load.h"

#include <gnutls/gnutls.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T2030 INT64_C(1893456000) /* 2030-01-01T00:00:00Z */
#define T2101 INT64_C(4133980800) /* 2101-01-01T00:00:00Z */
#define T2024 INT64_C(1704067200) /* 2024-01-01T00:00:00Z */

static char pki[512];

static const char *path_of(const char *name)
{
    static char buf[8][640];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 640, "%s/%s", pki, name);
    return p;
}

/* A whole file, kept in the arena. */
static tnt_bytes load(tnt_arena *a, const char *name)
{
    tnt_bytes b = {0};
    FILE *f = fopen(path_of(name), "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path_of(name));
        exit(1);
    }
    uint8_t *buf = tnt_arena_alloc(a, 1 << 16);
    size_t n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    b.p = buf;
    b.len = (uint32_t)n;
    return b;
}

static const char SMB_DN[] =
    "CN=State Medical Board Licensing CA,O=State Medical Board,ST=Vaud,C=CH";
static const char NOT_TRUSTED_UNKNOWN[] =
    "The certificate is NOT trusted. The certificate issuer is unknown.";

static void test_anchor_loading(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_anchor_set s;
    tnt_anchors_init(&s, &a);
    tnt_error err = {0};

    CHECK(tnt_anchors_add_file(&s, path_of("smb-ca-rsa.pem"), NULL, 0, &err));
    CHECK_EQ(s.n, 1);
    CHECK_STR(s.v[0].subject, SMB_DN);
    CHECK_STR(s.v[0].source, path_of("smb-ca-rsa.pem"));
    CHECK_EQ(s.v[0].n_keys, 0);
    tnt_bytes der = load(&a, "smb-ca-rsa.der");
    CHECK_EQ(s.v[0].len, der.len);
    CHECK(s.v[0].len == der.len && memcmp(s.v[0].der, der.p, der.len) == 0);

    /* A DER file is accepted as well. */
    CHECK(tnt_anchors_add_file(&s, path_of("bbb-ca-ec.der"), NULL, 0, &err));
    CHECK_EQ(s.n, 2);
    CHECK_STR(s.v[1].subject, "CN=BBB Accreditation CA,O=Better Business Bureau,C=CH");

    /* Explicit keys are copied. */
    char val[] = "Better Business Bureau";
    tnt_anchor_key k = {TNT_DN_ATTR_O, val};
    CHECK(tnt_anchors_add_file(&s, path_of("webca-rsa.pem"), &k, 1, &err));
    val[0] = 'X';
    CHECK_EQ(s.n, 3);
    CHECK_EQ(s.v[2].n_keys, 1);
    CHECK_EQ(s.v[2].keys[0].attr, TNT_DN_ATTR_O);
    CHECK_STR(s.v[2].keys[0].value, "Better Business Bureau");

    /* Growing past the initial capacity keeps earlier entries. */
    for (int i = 0; i < 10; i++)
        CHECK(tnt_anchors_add_file(&s, path_of("acme-ca-rsa.pem"), NULL, 0, &err));
    CHECK_EQ(s.n, 13);
    CHECK_STR(s.v[0].subject, SMB_DN);
    CHECK_STR(s.v[12].subject, "CN=Acme Trust Root CA,O=Acme Trust,C=CH");

    /* A PEM bundle of several certificates gives several anchors. */
    char bundle[] = "/tmp/tnt-test-anchors-XXXXXX";
    int fd = mkstemp(bundle);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    const char *parts[] = {"smb-ca-ec.pem", "acme-ca-ec.pem"};
    for (int i = 0; i < 2; i++) {
        tnt_bytes b = load(&a, parts[i]);
        fwrite(b.p, 1, b.len, f);
    }
    fclose(f);
    tnt_anchor_set s2;
    tnt_anchors_init(&s2, &a);
    CHECK(tnt_anchors_add_file(&s2, bundle, NULL, 0, &err));
    CHECK_EQ(s2.n, 2);
    CHECK_STR(s2.v[0].subject, SMB_DN);
    CHECK_STR(s2.v[1].subject, "CN=Acme Trust Root CA,O=Acme Trust,C=CH");
    unlink(bundle);

    /* Not certificates. */
    err.what = NULL;
    CHECK(!tnt_anchors_add_file(&s2, path_of("smb-ca-rsa.key"), NULL, 0, &err));
    CHECK_STR(err.what, "trust anchor file holds no PEM or DER certificate");
    CHECK(!tnt_anchors_add_file(&s2, path_of("no-such-file.pem"), NULL, 0, &err));
    CHECK_STR(err.what, "cannot read trust anchor file");
    CHECK(!tnt_anchors_add_der(&s2, der.p, der.len - 1, "x", NULL, 0, &err));
    CHECK_STR(err.what, "trust anchor is not a DER certificate");
    CHECK(!tnt_anchors_add_der(&s2, der.p, 0, "x", NULL, 0, &err));
    tnt_anchor_key bad = {TNT_DN_ATTR_O, NULL};
    CHECK(!tnt_anchors_add_der(&s2, der.p, der.len, "x", &bad, 1, &err));
    CHECK_STR(err.what, "bad trust anchor key");
    CHECK_EQ(s2.n, 2);
    tnt_arena_free(&a);
}

static void test_key_parse(void)
{
    tnt_anchor_key k;
    CHECK(tnt_anchor_key_parse("O=State Medical Board", &k));
    CHECK_EQ(k.attr, TNT_DN_ATTR_O);
    CHECK_STR(k.value, "State Medical Board");
    CHECK(tnt_anchor_key_parse("OU=a=b", &k));
    CHECK_EQ(k.attr, TNT_DN_ATTR_OU);
    CHECK_STR(k.value, "a=b");
    CHECK(tnt_anchor_key_parse("L=", &k));
    CHECK_EQ(k.attr, TNT_DN_ATTR_L);
    CHECK_STR(k.value, "");
    CHECK(tnt_anchor_key_parse("ST=Vaud", &k) && k.attr == TNT_DN_ATTR_ST);
    CHECK(tnt_anchor_key_parse("C=CH", &k) && k.attr == TNT_DN_ATTR_C);
    CHECK(tnt_anchor_key_parse("CN=x", &k) && k.attr == TNT_DN_ATTR_CN);
    CHECK(!tnt_anchor_key_parse("o=x", &k));  /* case-sensitive, as in policies */
    CHECK(!tnt_anchor_key_parse("SN=x", &k)); /* not a dn_expression attribute */
    CHECK(!tnt_anchor_key_parse("=x", &k));
    CHECK(!tnt_anchor_key_parse("O", &k));
    CHECK(!tnt_anchor_key_parse(" O=x", &k));
    CHECK(!tnt_anchor_key_parse(NULL, &k));
}

/* Constraints of the single cred() of a policy text. */
static const tnt_dn_cred *cred_of(tnt_arena *a, const char *policy)
{
    tnt_error err = {0};
    tnt_policy_ast *t = tnt_dn_parse((const uint8_t *)policy, strlen(policy), a, &err);
    if (!t || t->kind != TNT_DN_CRED) {
        fprintf(stderr, "bad test policy %s\n", policy);
        exit(1);
    }
    return &t->u.cred;
}

static void test_anchors_for_issuer(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_anchor_set s;
    tnt_anchors_init(&s, &a);
    tnt_error err;
    tnt_anchor_key smb = {TNT_DN_ATTR_O, "State Medical Board"};
    CHECK(tnt_anchors_add_file(&s, path_of("smb-ca-rsa.pem"), NULL, 0, &err));  /* 0 */
    CHECK(tnt_anchors_add_file(&s, path_of("bbb-ca-rsa.pem"), NULL, 0, &err));  /* 1 */
    CHECK(tnt_anchors_add_file(&s, path_of("acme-ca-rsa.pem"), &smb, 1, &err)); /* 2 */
    CHECK(tnt_anchors_add_file(&s, path_of("smb-ca-ec.pem"), NULL, 0, &err));   /* 3 */
    const tnt_anchor **v;

    const tnt_dn_cred *c =
        cred_of(&a, "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 3);
    CHECK(v[0] == &s.v[0] && v[1] == &s.v[2] && v[2] == &s.v[3]);

    /* Every issuer constraint must be served; subject constraints do not count. */
    c = cred_of(&a, "cred(\"M\", subject.O=\"x\", issuer.O=\"State Medical Board\","
                    " issuer.ST=\"Vaud\", issuer.CN=\"State Medical Board Licensing CA\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 2);
    CHECK(v[0] == &s.v[0] && v[1] == &s.v[3]);
    /* An explicitly keyed anchor serves only its keys, not its subject. */
    c = cred_of(&a, "cred(\"M\", issuer.O=\"Acme Trust\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 0);
    CHECK(v == NULL);
    c = cred_of(&a, "cred(\"M\", issuer.O=\"State Medical Board\", issuer.C=\"US\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 0);
    /* Exact comparison: no case folding, no trimming. */
    c = cred_of(&a, "cred(\"M\", issuer.O=\"state medical board\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 0);
    c = cred_of(&a, "cred(\"M\", issuer.O=\"State Medical Board \")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 0);
    /* No issuer constraint: every anchor qualifies. */
    c = cred_of(&a, "cred(\"M\", subject.O=\"Riverside Clinic\")");
    CHECK_EQ(tnt_anchors_for_issuer(&s, c->constraints, c->n_constraints, &a, &v), 4);
    CHECK_EQ(tnt_anchors_for_issuer(NULL, c->constraints, c->n_constraints, &a, &v), 0);
    tnt_arena_free(&a);
}

typedef struct fixture {
    tnt_arena a;
    tnt_anchor_set s;
} fixture;

/* Verifies [names...] against the anchors of s. */
static tnt_chain_result run(fixture *fx, const tnt_anchor_set *s, int64_t at, int n, ...)
{
    tnt_bytes certs[4];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        certs[i] = load(&fx->a, va_arg(ap, const char *));
    va_end(ap);
    tnt_chain_result r;
    CHECK(tnt_chain_verify_set(s, certs, (uint32_t)n, at, &fx->a, &r));
    return r;
}

static void test_verify(void)
{
    fixture fx;
    tnt_arena_init(&fx.a);
    tnt_anchor_set smb, all, none, smb_ec;
    tnt_anchors_init(&smb, &fx.a);
    tnt_anchors_init(&all, &fx.a);
    tnt_anchors_init(&none, &fx.a);
    tnt_anchors_init(&smb_ec, &fx.a);
    tnt_error err;
    CHECK(tnt_anchors_add_file(&smb, path_of("smb-ca-rsa.pem"), NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&smb_ec, path_of("smb-ca-ec.pem"), NULL, 0, &err));
    const char *roots[] = {"webca-rsa.pem", "acme-ca-rsa.pem", "bbb-ca-rsa.pem", "smb-ca-rsa.pem",
                           "bbb-ca-ec.pem"};
    for (int i = 0; i < 5; i++)
        CHECK(tnt_anchors_add_file(&all, path_of(roots[i]), NULL, 0, &err));

    /* Valid: with and without the CA in the chain, both algorithms. */
    tnt_chain_result r = run(&fx, &smb, T2030, 2, "physician-rsa.der", "smb-ca-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    CHECK_EQ(r.gnutls_status, 0);
    CHECK(r.reason == NULL);
    CHECK(r.anchor == &smb.v[0]);
    r = run(&fx, &smb, T2030, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    r = run(&fx, &smb_ec, T2030, 2, "physician-ec.der", "smb-ca-ec.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    CHECK(r.anchor == &smb_ec.v[0]);
    /* Among several anchors the one reached is named. */
    r = run(&fx, &all, T2030, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    CHECK(r.anchor == &all.v[3]);
    r = run(&fx, &all, T2030, 1, "clinic-ec.der");
    CHECK(r.status == TNT_CHAIN_VALID && r.anchor == &all.v[4]);
    r = run(&fx, &all, T2030, 1, "clinic-web-rsa.der");
    CHECK(r.status == TNT_CHAIN_VALID && r.anchor == &all.v[0]);
    /* Current time (the certificates are valid until 2100). */
    r = run(&fx, &smb, 0, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);

    /* Wrong anchor: same DN name family, other CA, or other key type. */
    r = run(&fx, &smb, T2030, 1, "clinic-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND);
    CHECK_STR(r.reason, NOT_TRUSTED_UNKNOWN);
    CHECK(r.anchor == NULL);
    r = run(&fx, &smb_ec, T2030, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    CHECK(r.gnutls_status & GNUTLS_CERT_INVALID);
    r = run(&fx, &smb, T2030, 2, "physician-acme-rsa.der", "acme-ca-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    CHECK_STR(r.reason, NOT_TRUSTED_UNKNOWN);

    /* The forgery: its CA has the real CA's DN but not its key. */
    for (int ec = 0; ec < 2; ec++) {
        const tnt_anchor_set *s = ec ? &smb_ec : &smb;
        r = run(&fx, s, T2030, 2, ec ? "physician-forged-ec.der" : "physician-forged-rsa.der",
                ec ? "forged-smb-ca-ec.der" : "forged-smb-ca-rsa.der");
        CHECK_EQ(r.status, TNT_CHAIN_INVALID);
        /* GnuTLS finds no anchor with the forged CA's key identifier. */
        CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND);
        CHECK_STR(r.reason, NOT_TRUSTED_UNKNOWN);
        r = run(&fx, s, T2030, 1, ec ? "physician-forged-ec.der" : "physician-forged-rsa.der");
        CHECK_EQ(r.status, TNT_CHAIN_INVALID);
        CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND);
        /* Even with every real root on offer. */
        r = run(&fx, &all, T2030, 2, "physician-forged-rsa.der", "forged-smb-ca-rsa.der");
        CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    }
    /* The forged CA itself, presented as a credential. */
    r = run(&fx, &smb, T2030, 1, "forged-smb-ca-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);

    /* Fixed verification time. */
    r = run(&fx, &smb, T2101, 2, "physician-rsa.der", "smb-ca-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_INVALID);
    CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED);
    CHECK_STR(r.reason, "The certificate is NOT trusted. The certificate chain uses expired "
                        "certificate.");
    r = run(&fx, &smb, T2024, 1, "physician-rsa.der");
    CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_NOT_ACTIVATED);
    CHECK_STR(r.reason, "The certificate is NOT trusted. The certificate chain uses not yet "
                        "valid certificate.");
    /* Boundaries: 2025-01-01T00:00:00Z and 2100-01-01T00:00:00Z are inside. */
    r = run(&fx, &smb, INT64_C(1735689600), 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    r = run(&fx, &smb, INT64_C(1735689599), 1, "physician-rsa.der");
    CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_NOT_ACTIVATED);
    r = run(&fx, &smb, INT64_C(4102444800), 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    r = run(&fx, &smb, INT64_C(4102444801), 1, "physician-rsa.der");
    CHECK_EQ(r.gnutls_status, GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED);

    /* No anchors: not validated, whatever the chain. */
    r = run(&fx, &none, T2030, 1, "physician-forged-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_NOT_VALIDATED);
    CHECK_STR(r.reason, "no trust anchor configured");
    r = run(&fx, NULL, T2030, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_NOT_VALIDATED);

    /* Degenerate chains. */
    tnt_chain_result r2;
    CHECK(tnt_chain_verify_set(&smb, NULL, 0, T2030, &fx.a, &r2));
    CHECK_EQ(r2.status, TNT_CHAIN_INVALID);
    CHECK_STR(r2.reason, "empty certificate chain");
    tnt_bytes many[TNT_CHAIN_MAX_CERTS + 1];
    tnt_bytes phys = load(&fx.a, "physician-rsa.der");
    tnt_bytes ca = load(&fx.a, "smb-ca-rsa.der");
    for (int i = 0; i <= TNT_CHAIN_MAX_CERTS; i++)
        many[i] = i ? ca : phys;
    CHECK(tnt_chain_verify_set(&smb, many, TNT_CHAIN_MAX_CERTS + 1, T2030, &fx.a, &r2));
    CHECK_EQ(r2.status, TNT_CHAIN_INVALID);
    CHECK_STR(r2.reason, "certificate chain longer than 16 certificates");
    /* 16 is allowed (GnuTLS drops the repeated CA). */
    CHECK(tnt_chain_verify_set(&smb, many, TNT_CHAIN_MAX_CERTS, T2030, &fx.a, &r2));
    CHECK_EQ(r2.status, TNT_CHAIN_VALID);
    tnt_bytes two[2] = {phys, ca};
    two[1].len = 0;
    CHECK(tnt_chain_verify_set(&smb, two, 2, T2030, &fx.a, &r2));
    CHECK_EQ(r2.status, TNT_CHAIN_INVALID);
    CHECK_STR(r2.reason, "certificate 1 of the chain does not parse");
    /* Truncation of the owner's certificate at every length. */
    for (uint32_t n = 0; n < phys.len; n++) {
        tnt_bytes t = phys;
        t.len = n;
        CHECK(tnt_chain_verify_set(&smb, &t, 1, T2030, &fx.a, &r2));
        if (r2.status != TNT_CHAIN_INVALID ||
            strcmp(r2.reason, "certificate 0 of the chain does not parse") != 0) {
            CHECK(!"truncated certificate accepted");
            break;
        }
    }
    /* One flipped bit in the signature (last byte) breaks it. */
    uint8_t *bad = tnt_arena_alloc(&fx.a, phys.len);
    memcpy(bad, phys.p, phys.len);
    bad[phys.len - 1] ^= 1;
    tnt_bytes flipped = {bad, phys.len, {0, 0}, {0, 0}};
    CHECK(tnt_chain_verify_set(&smb, &flipped, 1, T2030, &fx.a, &r2));
    CHECK_EQ(r2.status, TNT_CHAIN_INVALID);
    CHECK(r2.gnutls_status & GNUTLS_CERT_SIGNATURE_FAILURE);

    /* The same anchor twice still verifies, and names the first copy. */
    tnt_anchor_set twice;
    tnt_anchors_init(&twice, &fx.a);
    CHECK(tnt_anchors_add_file(&twice, path_of("smb-ca-rsa.pem"), NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&twice, path_of("smb-ca-rsa.pem"), NULL, 0, &err));
    r = run(&fx, &twice, T2030, 1, "physician-rsa.der");
    CHECK_EQ(r.status, TNT_CHAIN_VALID);
    CHECK(r.anchor == &twice.v[0]);

    CHECK_STR(tnt_chain_status_name(TNT_CHAIN_NOT_VALIDATED), "not validated");
    CHECK_STR(tnt_chain_status_name(TNT_CHAIN_VALID), "valid");
    CHECK_STR(tnt_chain_status_name(TNT_CHAIN_INVALID), "invalid");
    tnt_arena_free(&fx.a);
}

int main(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    snprintf(pki, sizeof(pki), "%s/pki", dir ? dir : "tests/data");
    test_anchor_loading();
    test_key_parse();
    test_anchors_for_issuer();
    test_verify();
    return check_done("chain_verify");
}
