/* Policy evaluation against disclosed credentials, on the PKI of
 * tests/data/pki (make_pki.sh), ending with the clinic negotiation of spec
 * section 9 built as wire messages and decoded by tnt_negotiation_decode. */
#include "check.h"
#include "policy_eval.h"
#include "tnt/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T2030 INT64_C(1893456000) /* 2030-01-01T00:00:00Z */

static char pki[512];
static tnt_arena A; /* everything of the test lives here */

static const char *path_of(const char *name)
{
    static char buf[4][640];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 640, "%s/%s", pki, name);
    return p;
}

static tnt_bytes load(const char *name)
{
    FILE *f = fopen(path_of(name), "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path_of(name));
        exit(1);
    }
    uint8_t *buf = tnt_arena_alloc(&A, 1 << 16);
    size_t n = fread(buf, 1, 1 << 16, f);
    fclose(f);
    tnt_bytes b = {buf, (uint32_t)n, {0, 0}, {0, 0}};
    return b;
}

/* A credential of type `type` whose chain is the named DER files. */
static const tnt_credential *cred(const char *type, const char *c0, const char *c1)
{
    tnt_credential *c = tnt_arena_alloc(&A, sizeof(*c));
    c->type.p = (const uint8_t *)type;
    c->type.len = (uint32_t)strlen(type);
    c->n_certs = c1 ? 2 : 1;
    c->certs = tnt_arena_array(&A, 2, sizeof(tnt_bytes));
    c->certs[0] = load(c0);
    if (c1)
        c->certs[1] = load(c1);
    return c;
}

static const tnt_dn_node *parse_raw(const char *text)
{
    tnt_error err = {0};
    return tnt_dn_parse((const uint8_t *)text, strlen(text), &A, &err);
}

static const tnt_dn_node *parse(const char *text)
{
    tnt_error err = {0};
    const tnt_dn_node *t = tnt_dn_parse((const uint8_t *)text, strlen(text), &A, &err);
    if (!t) {
        fprintf(stderr, "test policy does not parse: %s (%s at %u)\n", text, err.what, err.off);
        exit(1);
    }
    return t;
}

static const tnt_anchor_set *anchors(const char *f1, const char *f2)
{
    tnt_anchor_set *s = tnt_arena_alloc(&A, sizeof(*s));
    tnt_anchors_init(s, &A);
    tnt_error err;
    if (f1 && !tnt_anchors_add_file(s, path_of(f1), NULL, 0, &err))
        exit(1);
    if (f2 && !tnt_anchors_add_file(s, path_of(f2), NULL, 0, &err))
        exit(1);
    return s;
}

static tnt_policy_ctx decoder(const tnt_anchor_set *s)
{
    return (tnt_policy_ctx){TNT_POLICY_DECODER, s, T2030, 0};
}
static tnt_policy_ctx peer(const tnt_anchor_set *s)
{
    return (tnt_policy_ctx){TNT_POLICY_PEER, s, T2030, 0};
}

static tnt_policy_result eval(const char *policy, const tnt_disclosed *d, uint32_t n,
                              tnt_policy_ctx ctx)
{
    tnt_policy_result r;
    CHECK(tnt_policy_eval(parse(policy), d, n, &ctx, &A, &r));
    return r;
}

static const char SMB_POLICY[] = "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")";
static const char NOT_TRUSTED[] =
    "The certificate is NOT trusted. The certificate issuer is unknown.";

static const tnt_credential *physician, *physician_ec, *physician_acme, *physician_forged, *clinic;

static void test_constants(void)
{
    tnt_disclosed d[1] = {{physician, TNT_PROOF_VALID, 2}};
    tnt_policy_result r = eval("true", NULL, 0, peer(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.reason == NULL);
    CHECK_EQ(r.n_creds, 0);
    CHECK(!r.malformed);
    r = eval("false", d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "policy is false");
    CHECK(!r.malformed);
    CHECK(!tnt_policy_used(&r, 0));

    /* Malformed: never satisfied, whatever was disclosed. */
    const char *bad[] = {"",
                         "true or cred(\"A\")",
                         "cred(\"MedicalLicense\"",
                         "cred(\"MedicalLicense\", issuer.SN=\"x\")",
                         "TRUE",
                         " true"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const tnt_dn_node *t = parse_raw(bad[i]);
        CHECK(t == NULL);
        tnt_policy_ctx dc = decoder(NULL);
        CHECK(tnt_policy_eval(t, d, 1, &dc, &A, &r));
        CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
        CHECK(r.malformed);
        CHECK_STR(r.reason, "malformed policy");
        CHECK_EQ(r.n_creds, 0);
    }
    tnt_policy_ctx ctx = peer(NULL);
    CHECK(tnt_policy_eval(NULL, d, 1, &ctx, &A, &r));
    CHECK(r.malformed && r.verdict == TNT_VERDICT_NOT_SATISFIED);

    CHECK_STR(tnt_verdict_name(TNT_VERDICT_NOT_SATISFIED), "not satisfied");
    CHECK_STR(tnt_verdict_name(TNT_VERDICT_UNDETERMINED), "undetermined");
    CHECK_STR(tnt_verdict_name(TNT_VERDICT_UNVERIFIED), "satisfied (issuer unverified)");
    CHECK_STR(tnt_verdict_name(TNT_VERDICT_SATISFIED), "satisfied");
}

static void test_issuer_modes(void)
{
    tnt_disclosed d[1] = {{physician, TNT_PROOF_VALID, 4}};
    const tnt_anchor_set *smb = anchors("smb-ca-rsa.pem", NULL);
    const tnt_anchor_set *others = anchors("bbb-ca-rsa.pem", "acme-ca-rsa.pem");

    /* Decoder without anchors: judged on the DN, flagged unverified. */
    tnt_policy_result r = eval(SMB_POLICY, d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" not verified: chain not validated (no "
                        "trust anchors given)");
    CHECK_EQ(r.n_creds, 1);
    CHECK_EQ(r.creds[0].by, 0);
    CHECK_EQ(r.creds[0].verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_EQ(r.creds[0].chain.status, TNT_CHAIN_NOT_VALIDATED);
    CHECK(r.creds[0].node->kind == TNT_DN_CRED);
    CHECK(tnt_policy_used(&r, 0));
    /* Decoder with anchors, none for that issuer. */
    r = eval(SMB_POLICY, d, 1, decoder(others));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" not verified: chain not validated (no "
                        "trust anchor configured for that issuer)");
    /* Decoder with the right anchor: verified. */
    r = eval(SMB_POLICY, d, 1, decoder(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.reason == NULL && r.creds[0].reason == NULL);
    CHECK_EQ(r.creds[0].chain.status, TNT_CHAIN_VALID);
    CHECK(r.creds[0].chain.anchor == &smb->v[0]);

    /* Peer: an anchor for the issuer is required. */
    r = eval(SMB_POLICY, d, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(tnt_policy_used(&r, 0));
    for (int i = 0; i < 2; i++) {
        r = eval(SMB_POLICY, d, 1, peer(i ? others : NULL));
        CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
        CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" claimed but no trust anchor is "
                            "configured for that issuer");
        CHECK_EQ(r.creds[0].by, 0);
        CHECK(!tnt_policy_used(&r, 0));
    }
    /* Peer with an explicitly keyed anchor. */
    tnt_anchor_set *keyed = tnt_arena_alloc(&A, sizeof(*keyed));
    tnt_anchors_init(keyed, &A);
    tnt_anchor_key k = {TNT_DN_ATTR_O, "State Medical Board"};
    tnt_error err;
    CHECK(tnt_anchors_add_file(keyed, path_of("smb-ca-rsa.pem"), &k, 1, &err));
    r = eval(SMB_POLICY, d, 1, peer(keyed));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    /* ... which does not vouch for the issuer's other attributes. */
    r = eval("cred(\"MedicalLicense\", issuer.O=\"State Medical Board\", issuer.C=\"CH\")", d, 1,
             peer(keyed));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\", issuer.C=\"CH\" claimed but no trust "
                        "anchor is configured for that issuer");
    r = eval("cred(\"MedicalLicense\", issuer.O=\"State Medical Board\", issuer.C=\"CH\")", d, 1,
             peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);

    /* Without issuer constraints no chain is needed, in either mode. */
    r = eval("cred(\"MedicalLicense\", subject.O=\"Riverside Clinic\")", d, 1, peer(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.creds[0].chain.status, TNT_CHAIN_NOT_VALIDATED);
    CHECK(r.creds[0].chain.reason == NULL);
    r = eval("cred(\"MedicalLicense\")", d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);

    /* The chain's last element is optional: [physician] alone verifies too. */
    tnt_disclosed d1[1] = {{cred("MedicalLicense", "physician-rsa.der", NULL), TNT_PROOF_VALID, 4}};
    r = eval(SMB_POLICY, d1, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    /* The RSA physician does not chain to the ECDSA CA of the same name. */
    r = eval(SMB_POLICY, d1, 1, peer(anchors("smb-ca-ec.pem", NULL)));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" claimed but chain does not verify to a "
                        "configured anchor: The certificate is NOT trusted. The certificate "
                        "issuer is unknown.");
    tnt_disclosed dec[1] = {{physician_ec, TNT_PROOF_VALID, 4}};
    r = eval(SMB_POLICY, dec, 1, peer(anchors("smb-ca-ec.pem", NULL)));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
}

static void test_forged(void)
{
    tnt_disclosed d[1] = {{physician_forged, TNT_PROOF_VALID, 4}};
    const tnt_anchor_set *smb = anchors("smb-ca-rsa.pem", "smb-ca-ec.pem");
    char expect[512];
    snprintf(expect, sizeof(expect),
             "issuer.O=\"State Medical Board\" claimed but chain does not verify to a configured "
             "anchor: %s",
             NOT_TRUSTED);
    /* Peer: refused by chain validation, although every DN constraint holds. */
    tnt_policy_result r = eval(SMB_POLICY, d, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, expect);
    CHECK_STR(r.creds[0].reason, expect);
    CHECK_EQ(r.creds[0].chain.status, TNT_CHAIN_INVALID);
    CHECK_EQ(r.creds[0].by, 0);
    r = eval("cred(\"MedicalLicense\", issuer.O=\"State Medical Board\", issuer.CN=\"State Medical "
             "Board Licensing CA\", subject.CN=\"Dr. Zoë Müller\")",
             d, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    /* Decoder with the real anchor given: refused as well. */
    r = eval(SMB_POLICY, d, 1, decoder(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, expect);
    /* Decoder without anchors: cannot tell the forgery, says so. */
    r = eval(SMB_POLICY, d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" not verified: chain not validated (no "
                        "trust anchors given)");
    /* Forged and genuine licenses both disclosed: the genuine one decides. */
    tnt_disclosed two[2] = {{physician_forged, TNT_PROOF_VALID, 4},
                            {physician, TNT_PROOF_VALID, 4}};
    r = eval(SMB_POLICY, two, 2, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.creds[0].by, 1);
    CHECK(!tnt_policy_used(&r, 0));
    CHECK(tnt_policy_used(&r, 1));
}

static void test_unsatisfied_reasons(void)
{
    tnt_disclosed d[3] = {{clinic, TNT_PROOF_VALID, 3},
                          {physician_acme, TNT_PROOF_VALID, 4},
                          {physician, TNT_PROOF_VALID, 4}};
    tnt_policy_result r = eval(SMB_POLICY, d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "no credential of type MedicalLicense disclosed");
    CHECK_EQ(r.creds[0].by, -1);
    r = eval(SMB_POLICY, NULL, 0, decoder(NULL));
    CHECK_STR(r.reason, "no credential of type MedicalLicense disclosed");
    /* Types compare exactly. */
    r = eval("cred(\"medicallicense\")", d, 3, decoder(NULL));
    CHECK_STR(r.reason, "no credential of type medicallicense disclosed");
    r = eval("cred(\"MedicalLicense \")", d, 3, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);

    /* Attribute mismatch, issuer and subject side. */
    r = eval("cred(\"MedicalLicense\", issuer.O=\"Better Business Bureau\")", d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", issuer.O=\"Better Business Bureau\"); "
                        "disclosed only MedicalLicense issued by O=\"Acme Trust\"");
    CHECK_EQ(r.creds[0].by, 1);
    r = eval("cred(\"MedicalLicense\",subject.O=\"Other Clinic\")", d, 2, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.O=\"Other Clinic\"); disclosed "
                        "only MedicalLicense with subject O=\"Riverside Clinic\"");
    r = eval("cred(\"MedicalLicense\", subject.ST=\"Vaud\")", d, 2, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.ST=\"Vaud\"); disclosed only "
                        "MedicalLicense with a subject DN without ST");
    r = eval("cred(\"MedicalLicense\", issuer.L=\"Bern\")", d, 2, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", issuer.L=\"Bern\"); disclosed only "
                        "MedicalLicense issued by a DN without L");
    /* The first failing constraint is the one named. */
    r = eval("cred(\"MedicalLicense\", subject.CN=\"Dr. Zoë Müller\", issuer.C=\"CH\", "
             "issuer.O=\"X\", subject.O=\"Y\")",
             d, 2, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.CN=\"Dr. Zoë Müller\", "
                        "issuer.C=\"CH\", issuer.O=\"X\", subject.O=\"Y\"); disclosed only "
                        "MedicalLicense issued by O=\"Acme Trust\"");
    /* A later matching credential satisfies despite an earlier mismatch. */
    r = eval(SMB_POLICY, d, 3, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_EQ(r.creds[0].by, 2);
    CHECK(!tnt_policy_used(&r, 1));
    CHECK(tnt_policy_used(&r, 2));
    /* Escaping in the policy text and in reasons. */
    r = eval("cred(\"MedicalLicense\", subject.O=\"Say \\\"hi\\\" \\\\o/\")", d, 2, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.O=\"Say \\\"hi\\\" \\\\o/\"); "
                        "disclosed only MedicalLicense with subject O=\"Riverside Clinic\"");
}

static void test_multiple_and_utf8(void)
{
    tnt_disclosed d[1] = {{physician, TNT_PROOF_VALID, 4}};
    const char *yes[] = {
        "cred(\"MedicalLicense\", subject.OU=\"Cardiology\")",
        "cred(\"MedicalLicense\", subject.OU=\"Médecine d’urgence\")",
        "cred(\"MedicalLicense\", subject.OU=\"Cardiology\", subject.OU=\"Médecine d’urgence\")",
        "cred(\"MedicalLicense\", subject.CN=\"Dr. Zoë Müller\")",
        "cred(\"MedicalLicense\", subject.CN=\"Dr. Zo\xc3\xab M\xc3\xbcller\", "
        "subject.L=\"Lausanne\","
        " subject.C=\"CH\", issuer.ST=\"Vaud\", issuer.CN=\"State Medical Board Licensing CA\")",
    };
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        tnt_policy_result r = eval(yes[i], d, 1, peer(anchors("smb-ca-rsa.pem", NULL)));
        CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    }
    /* No normalisation: decomposed ë (e + U+0308), case, spaces differ. */
    const char *no[] = {
        "cred(\"MedicalLicense\", subject.CN=\"Dr. Zoe\xcc\x88 M\xc3\xbcller\")",
        "cred(\"MedicalLicense\", subject.CN=\"dr. zoë müller\")",
        "cred(\"MedicalLicense\", subject.CN=\"Dr. Zoë Müller \")",
        "cred(\"MedicalLicense\", subject.CN=\"Dr. Zoë\")",
        "cred(\"MedicalLicense\", subject.OU=\"Cardio\")",
        "cred(\"MedicalLicense\", subject.OU=\"\")",
    };
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        tnt_policy_result r = eval(no[i], d, 1, decoder(NULL));
        CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    }
    /* Every occurrence is shown, in DN order. */
    tnt_policy_result r =
        eval("cred(\"MedicalLicense\", subject.OU=\"Cardio\")", d, 1, decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.OU=\"Cardio\"); disclosed only "
                        "MedicalLicense with subject OU=\"Cardiology\", OU=\"Médecine d’urgence\"");
    r = eval("cred(\"MedicalLicense\", subject.CN=\"Dr. Zoe\xcc\x88 M\xc3\xbcller\")", d, 1,
             decoder(NULL));
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", subject.CN=\"Dr. Zoe\xcc\x88 "
                        "M\xc3\xbcller\"); disclosed only MedicalLicense with subject CN=\"Dr. "
                        "Zo\xc3\xab M\xc3\xbcller\"");
}

static void test_proofs(void)
{
    const tnt_anchor_set *smb = anchors("smb-ca-rsa.pem", NULL);
    tnt_disclosed d[1] = {{physician, TNT_PROOF_INVALID, 4}};
    tnt_policy_result r = eval(SMB_POLICY, d, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "MedicalLicense proof invalid");
    CHECK_EQ(r.creds[0].by, 0);
    CHECK(!tnt_policy_used(&r, 0));
    /* Ignored even where no constraint would need the certificate. */
    r = eval("cred(\"MedicalLicense\")", d, 1, decoder(NULL));
    CHECK_STR(r.reason, "MedicalLicense proof invalid");
    d[0].proof = TNT_PROOF_MISSING;
    r = eval("cred(\"MedicalLicense\")", d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "MedicalLicense proof missing");

    /* Unchecked proof: the decoder cannot say. */
    d[0].proof = TNT_PROOF_UNCHECKED;
    r = eval(SMB_POLICY, d, 1, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_STR(r.reason, "MedicalLicense proof not checked");
    CHECK_EQ(r.creds[0].chain.status, TNT_CHAIN_VALID);
    CHECK(tnt_policy_used(&r, 0));
    r = eval(SMB_POLICY, d, 1, decoder(NULL)); /* unchecked outranks unverified */
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_STR(r.reason, "MedicalLicense proof not checked");
    /* ... but a failing constraint is a definite no. */
    r = eval("cred(\"MedicalLicense\", subject.O=\"X\")", d, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);

    /* The best credential of the type decides; the furthest failure explains. */
    tnt_disclosed m[3] = {{physician, TNT_PROOF_INVALID, 2},
                          {physician_acme, TNT_PROOF_VALID, 2},
                          {physician, TNT_PROOF_MISSING, 2}};
    r = eval(SMB_POLICY, m, 3, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_EQ(r.creds[0].by, 1);
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", issuer.O=\"State Medical Board\"); "
                        "disclosed only MedicalLicense issued by O=\"Acme Trust\"");
    m[2].proof = TNT_PROOF_UNCHECKED;
    r = eval(SMB_POLICY, m, 3, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_EQ(r.creds[0].by, 2);
    m[0].proof = TNT_PROOF_VALID;
    r = eval(SMB_POLICY, m, 3, peer(smb));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.creds[0].by, 0);

    /* An unparsable certificate. */
    tnt_credential *junk = tnt_arena_alloc(&A, sizeof(*junk));
    *junk = *physician;
    junk->certs = tnt_arena_array(&A, 1, sizeof(tnt_bytes));
    junk->certs[0] = physician->certs[0];
    junk->certs[0].len = 100;
    junk->n_certs = 1;
    tnt_disclosed j[1] = {{junk, TNT_PROOF_UNCHECKED, 2}};
    r = eval("cred(\"MedicalLicense\")", j, 1, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "MedicalLicense certificate does not parse");
    junk->n_certs = 0;
    r = eval("cred(\"MedicalLicense\")", j, 1, decoder(NULL));
    CHECK_STR(r.reason, "MedicalLicense certificate does not parse");
}

static void test_and_or(void)
{
    tnt_disclosed d[2] = {{clinic, TNT_PROOF_VALID, 3}, {physician, TNT_PROOF_VALID, 4}};
    const tnt_anchor_set *both = anchors("smb-ca-rsa.pem", "bbb-ca-rsa.pem");
    tnt_policy_result r = eval("cred(\"Accreditation\", issuer.O=\"Better Business Bureau\") and "
                               "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")",
                               d, 2, peer(both));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.n_creds, 2);
    CHECK_EQ(r.creds[0].by, 0);
    CHECK_EQ(r.creds[1].by, 1);
    CHECK(tnt_policy_used(&r, 0) && tnt_policy_used(&r, 1));

    /* and: the first failing operand explains. */
    r = eval("cred(\"Accreditation\") and cred(\"Ticket\") and cred(\"Badge\")", d, 2, peer(both));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "no credential of type Ticket disclosed");
    CHECK_EQ(r.n_creds, 3);
    CHECK_EQ(r.creds[0].verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.creds[2].verdict, TNT_VERDICT_NOT_SATISFIED); /* evaluated all the same */
    CHECK(!tnt_policy_used(&r, 0));                          /* the policy failed */

    /* or: every alternative explains. */
    r = eval("cred(\"Ticket\") or cred(\"MedicalLicense\", subject.O=\"X\")", d, 2, peer(both));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "no alternative holds: (no credential of type Ticket disclosed) or "
                        "(requires cred(\"MedicalLicense\", subject.O=\"X\"); disclosed only "
                        "MedicalLicense with subject O=\"Riverside Clinic\")");
    r = eval("cred(\"Ticket\") or cred(\"MedicalLicense\")", d, 2, peer(both));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.reason == NULL);
    CHECK(!tnt_policy_used(&r, 0) && tnt_policy_used(&r, 1));

    /* Nesting, and = min, or = max over the verdict order. */
    const char *nested = "(cred(\"Ticket\") or cred(\"Accreditation\", subject.L=\"Lausanne\")) "
                         "and (cred(\"Badge\") or (cred(\"MedicalLicense\", issuer.O=\"State "
                         "Medical Board\") and cred(\"Accreditation\", subject.OU=\"Accredited "
                         "Clinics\")))";
    r = eval(nested, d, 2, peer(both));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.n_creds, 5);
    CHECK_EQ(r.creds[3].by, 1);
    CHECK_EQ(r.creds[4].by, 0);
    r = eval(nested, d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" not verified: chain not validated (no "
                        "trust anchors given)");
    d[0].proof = TNT_PROOF_UNCHECKED;
    r = eval(nested, d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_STR(r.reason, "Accreditation proof not checked");
    /* or: a definite yes wins over doubt. */
    r = eval("cred(\"Accreditation\") or cred(\"MedicalLicense\")", d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    r = eval("cred(\"Accreditation\") or cred(\"Ticket\")", d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_STR(r.reason, "Accreditation proof not checked");
    /* and: a definite no wins over doubt. */
    r = eval("cred(\"Accreditation\") and cred(\"Ticket\")", d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "no credential of type Ticket disclosed");
    r = eval("cred(\"Accreditation\") and "                                /* undetermined */
             "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")", /* unverified */
             d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNDETERMINED);
    r = eval("cred(\"Ticket\") or (cred(\"Accreditation\") or "
             "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\"))",
             d, 2, decoder(NULL));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
}

/* With checked proofs in peer mode the verdict is tnt_dn_eval()'s. */
typedef struct match_ctx {
    const tnt_disclosed *d;
    uint32_t n;
    const tnt_anchor_set *anchors;
} match_ctx;

static bool reference_match(void *u, const tnt_dn_cred *c)
{
    match_ctx *m = u;
    /* A single-cred policy evaluated on its own is a reference independent
     * of the and/or logic under test. */
    tnt_dn_node leaf = {.kind = TNT_DN_CRED};
    leaf.u.cred = *c;
    tnt_policy_ctx ctx = peer(m->anchors);
    tnt_policy_result r;
    if (!tnt_policy_eval(&leaf, m->d, m->n, &ctx, &A, &r))
        return false;
    return r.verdict == TNT_VERDICT_SATISFIED;
}

static void test_agrees_with_dn_eval(void)
{
    tnt_disclosed d[3] = {{clinic, TNT_PROOF_VALID, 3},
                          {physician_forged, TNT_PROOF_VALID, 4},
                          {physician_acme, TNT_PROOF_INVALID, 4}};
    const char *atoms[] = {"cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")",
                           "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")",
                           "cred(\"MedicalLicense\")", "cred(\"Ticket\")"};
    match_ctx m = {d, 3, anchors("smb-ca-rsa.pem", "bbb-ca-rsa.pem")};
    char text[1024];
    int agreed = 0;
    /* Every a op b op c over the four atoms and both operators, flat and grouped. */
    for (int i = 0; i < 64; i++) {
        for (int ops = 0; ops < 4; ops++) {
            for (int g = 0; g < 2; g++) {
                const char *o1 = ops & 1 ? "and" : "or", *o2 = ops & 2 ? "and" : "or";
                snprintf(text, sizeof(text), g ? "%s %s (%s %s %s)" : "%s %s %s %s %s",
                         atoms[i & 3], o1, atoms[(i >> 2) & 3], o2, atoms[(i >> 4) & 3]);
                const tnt_dn_node *t = parse(text);
                tnt_policy_ctx ctx = peer(m.anchors);
                tnt_policy_result r;
                CHECK(tnt_policy_eval(t, d, 3, &ctx, &A, &r));
                bool ref = tnt_dn_eval(t, reference_match, &m);
                if ((r.verdict == TNT_VERDICT_SATISFIED) == ref &&
                    (r.verdict == TNT_VERDICT_SATISFIED || r.verdict == TNT_VERDICT_NOT_SATISFIED))
                    agreed++;
                else
                    fprintf(stderr, "disagree on %s\n", text);
            }
        }
    }
    CHECK_EQ(agreed, 64 * 4 * 2);
}

static void test_rounds(void)
{
    tnt_disclosed d[2] = {{physician_acme, TNT_PROOF_VALID, 2}, {physician, TNT_PROOF_VALID, 4}};
    tnt_policy_ctx ctx = decoder(NULL);
    ctx.up_to_round = 3;
    tnt_policy_result r;
    CHECK(tnt_policy_eval(parse(SMB_POLICY), d, 2, &ctx, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "requires cred(\"MedicalLicense\", issuer.O=\"State Medical Board\"); "
                        "disclosed only MedicalLicense issued by O=\"Acme Trust\"");
    ctx.up_to_round = 1;
    CHECK(tnt_policy_eval(parse(SMB_POLICY), d, 2, &ctx, &A, &r));
    CHECK_STR(r.reason, "no credential of type MedicalLicense disclosed");
    ctx.up_to_round = 4;
    CHECK(tnt_policy_eval(parse(SMB_POLICY), d, 2, &ctx, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_EQ(r.creds[0].by, 1);
}

/* ---- The clinic negotiation of spec section 9, as wire messages. ---- */

typedef struct wbuf {
    uint8_t b[16384];
    size_t n;
} wbuf;

static void put(wbuf *w, uint32_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        w->b[w->n++] = (uint8_t)(v >> (8 * i));
}
static void put_mem(wbuf *w, const void *p, size_t n)
{
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
/* Opens a vector: returns where its length goes. */
static size_t open_vec(wbuf *w, int bytes)
{
    size_t at = w->n;
    put(w, 0, bytes);
    return at;
}
static void close_vec(wbuf *w, size_t at, int bytes)
{
    size_t len = w->n - at - (size_t)bytes;
    for (int i = bytes - 1; i >= 0; i--)
        w->b[at + (size_t)(bytes - 1 - i)] = (uint8_t)(len >> (8 * i));
}

/* A TNTNegotiation body with at most one policy and one credential. */
static tnt_negotiation *negotiation(uint16_t round, uint8_t status, int kind, const char *target,
                                    const char *expr, const char *type, const char *c0,
                                    const char *c1)
{
    wbuf *w = tnt_arena_alloc(&A, sizeof(*w));
    put(w, round, 2);
    put(w, status, 1);
    size_t pols = open_vec(w, 3);
    if (expr) {
        put(w, (uint32_t)kind, 1);
        put(w, (uint32_t)strlen(target), 1);
        put_mem(w, target, strlen(target));
        put(w, TNT_LANG_DN_EXPRESSION, 1);
        put(w, (uint32_t)strlen(expr), 2);
        put_mem(w, expr, strlen(expr));
    }
    close_vec(w, pols, 3);
    size_t creds = open_vec(w, 3);
    if (type) {
        put(w, (uint32_t)strlen(type), 1);
        put_mem(w, type, strlen(type));
        size_t chain = open_vec(w, 3);
        const char *files[2] = {c0, c1};
        for (int i = 0; i < 2 && files[i]; i++) {
            tnt_bytes der = load(files[i]);
            put(w, der.len, 3);
            put_mem(w, der.p, der.len);
        }
        close_vec(w, chain, 3);
    }
    close_vec(w, creds, 3);

    tnt_cursor c;
    tnt_cursor_init(&c, w->b, w->n);
    tnt_negotiation *m = tnt_arena_alloc(&A, sizeof(*m));
    tnt_error err = {0};
    if (!tnt_negotiation_decode(&c, &A, m, &err)) {
        fprintf(stderr, "test message does not decode: %s at %u\n", err.what, err.off);
        exit(1);
    }
    return m;
}

static const tnt_dn_node *policy_of(const tnt_negotiation *m)
{
    tnt_error err;
    return tnt_dn_parse(m->policies[0].expression.p, m->policies[0].expression.len, &A, &err);
}

static void test_clinic(int ec)
{
    const char *alg = ec ? "ec" : "rsa";
    char clinic_der[64], bbb_der[64], phys_der[64], smb_der[64], forged_der[64], fca_der[64];
    char bbb_pem[64], smb_pem[64];
    snprintf(clinic_der, 64, "clinic-%s.der", alg);
    snprintf(bbb_der, 64, "bbb-ca-%s.der", alg);
    snprintf(phys_der, 64, "physician-%s.der", alg);
    snprintf(smb_der, 64, "smb-ca-%s.der", alg);
    snprintf(forged_der, 64, "physician-forged-%s.der", alg);
    snprintf(fca_der, 64, "forged-smb-ca-%s.der", alg);
    snprintf(bbb_pem, 64, "bbb-ca-%s.pem", alg);
    snprintf(smb_pem, 64, "smb-ca-%s.pem", alg);

    /* The policies exactly as spec section 9 states them. */
    tnt_negotiation *r1 =
        negotiation(1, TNT_STATUS_CONTINUE, TNT_TARGET_RESOURCE, "GET /records/4711",
                    "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")", NULL, NULL, NULL);
    tnt_negotiation *r2 = negotiation(
        2, TNT_STATUS_CONTINUE, TNT_TARGET_CREDENTIAL, "MedicalLicense",
        "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")", NULL, NULL, NULL);
    tnt_negotiation *r3 =
        negotiation(3, TNT_STATUS_CONTINUE, 0, NULL, NULL, "Accreditation", clinic_der, bbb_der);
    tnt_negotiation *r4 =
        negotiation(4, TNT_STATUS_CONTINUE, 0, NULL, NULL, "MedicalLicense", phys_der, smb_der);
    tnt_negotiation *r4f =
        negotiation(4, TNT_STATUS_CONTINUE, 0, NULL, NULL, "MedicalLicense", forged_der, fca_der);
    CHECK_EQ(r1->n_policies, 1);
    CHECK_EQ(r3->n_credentials, 1);
    CHECK_EQ(r3->credentials[0].n_certs, 2);
    const tnt_dn_node *server_policy = policy_of(r1), *client_policy = policy_of(r2);
    CHECK(server_policy && client_policy);

    /* What each side discloses, with proofs that checked out. */
    tnt_disclosed by_server[1] = {{&r3->credentials[0], TNT_PROOF_VALID, 3}};
    tnt_disclosed by_client[1] = {{&r4->credentials[0], TNT_PROOF_VALID, 4}};
    tnt_disclosed forged[1] = {{&r4f->credentials[0], TNT_PROOF_VALID, 4}};

    /* The peers: the client trusts the BBB for accreditations, the server
     * the State Medical Board for licenses. */
    tnt_anchor_key bbb_key = {TNT_DN_ATTR_O, "Better Business Bureau"};
    tnt_anchor_key smb_key = {TNT_DN_ATTR_O, "State Medical Board"};
    tnt_anchor_set client_anchors, server_anchors;
    tnt_anchors_init(&client_anchors, &A);
    tnt_anchors_init(&server_anchors, &A);
    tnt_error err;
    CHECK(tnt_anchors_add_file(&client_anchors, path_of(bbb_pem), &bbb_key, 1, &err));
    CHECK(tnt_anchors_add_file(&server_anchors, path_of(smb_pem), &smb_key, 1, &err));
    tnt_policy_ctx client = peer(&client_anchors), server = peer(&server_anchors);
    tnt_policy_result r;

    /* After round 2 the client may not release its license yet... */
    client.up_to_round = 2;
    CHECK(tnt_policy_eval(client_policy, by_server, 1, &client, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "no credential of type Accreditation disclosed");
    /* ... after round 3 it may. */
    client.up_to_round = 3;
    CHECK(tnt_policy_eval(client_policy, by_server, 1, &client, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK_EQ(r.creds[0].by, 0);
    CHECK(r.creds[0].chain.anchor == &client_anchors.v[0]);
    CHECK(tnt_policy_used(&r, 0));
    /* Round 4 satisfies the server's policy for the resource: success in round 5. */
    server.up_to_round = 4;
    CHECK(tnt_policy_eval(server_policy, by_client, 1, &server, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.reason == NULL);
    CHECK(r.creds[0].chain.anchor == &server_anchors.v[0]);
    /* The forged license does not get the record. */
    CHECK(tnt_policy_eval(server_policy, forged, 1, &server, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(r.reason, "issuer.O=\"State Medical Board\" claimed but chain does not verify to a "
                        "configured anchor: The certificate is NOT trusted. The certificate "
                        "issuer is unknown.");
    /* Swapped anchors: each peer lacks the anchor for the other's issuer. */
    CHECK(tnt_policy_eval(server_policy, by_client, 1, &client, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);

    /* A decoder watching the same handshake. */
    tnt_policy_ctx dec = decoder(NULL);
    CHECK(tnt_policy_eval(server_policy, by_client, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK(tnt_policy_eval(server_policy, forged, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED); /* indistinguishable without anchors */
    CHECK(tnt_policy_eval(client_policy, by_server, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_UNVERIFIED);
    CHECK_STR(r.reason, "issuer.O=\"Better Business Bureau\" not verified: chain not validated "
                        "(no trust anchors given)");
    /* ... given --trust-anchor files, matched by their subjects. */
    tnt_anchor_set user;
    tnt_anchors_init(&user, &A);
    CHECK(tnt_anchors_add_file(&user, path_of(bbb_pem), NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&user, path_of(smb_pem), NULL, 0, &err));
    dec.anchors = &user;
    CHECK(tnt_policy_eval(server_policy, by_client, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.creds[0].chain.anchor == &user.v[1]);
    CHECK(tnt_policy_eval(client_policy, by_server, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_SATISFIED);
    CHECK(r.creds[0].chain.anchor == &user.v[0]);
    CHECK(tnt_policy_eval(server_policy, forged, 1, &dec, &A, &r));
    CHECK_EQ(r.verdict, TNT_VERDICT_NOT_SATISFIED);
    /* Credentials disclosed by the wrong side never count: the server's
     * Accreditation does not satisfy the server's own policy. */
    CHECK(tnt_policy_eval(server_policy, by_server, 1, &dec, &A, &r));
    CHECK_STR(r.reason, "no credential of type MedicalLicense disclosed");
}

int main(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    snprintf(pki, sizeof(pki), "%s/pki", dir ? dir : "tests/data");
    tnt_arena_init(&A);
    physician = cred("MedicalLicense", "physician-rsa.der", "smb-ca-rsa.der");
    physician_ec = cred("MedicalLicense", "physician-ec.der", "smb-ca-ec.der");
    physician_acme = cred("MedicalLicense", "physician-acme-rsa.der", "acme-ca-rsa.der");
    physician_forged = cred("MedicalLicense", "physician-forged-rsa.der", "forged-smb-ca-rsa.der");
    clinic = cred("Accreditation", "clinic-rsa.der", "bbb-ca-rsa.der");

    test_constants();
    test_issuer_modes();
    test_forged();
    test_unsatisfied_reasons();
    test_multiple_and_utf8();
    test_proofs();
    test_and_or();
    test_agrees_with_dn_eval();
    test_rounds();
    test_clinic(0);
    test_clinic(1);
    tnt_arena_free(&A);
    return check_done("policy_eval");
}
