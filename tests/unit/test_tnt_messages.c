/* TNT wire decoders: the `tnt` extension, TNTNegotiation and TNTProof.
 *
 * The main vectors are the clinic negotiation of spec section 9, encoded by
 * hand (one message per round, 4-byte handshake header included, so that
 * spans are message-relative as the decoders promise). The certificates are
 * real DER (ECDSA P-256, made with openssl for this test): the clinic's
 * "Accreditation" certificate issued by O=Better Business Bureau, and the
 * physician's "MedicalLicense" certificate issued by O=State Medical Board,
 * sent with that CA's certificate. The proof signatures are real ECDSA
 * signatures but over the TNTNegotiation message alone, not over a handshake
 * transcript: these vectors test decoding, not verification. */
#include "check.h"
#include "dn_expression.h"
#include "extensions.h"
#include "handshake.h"
#include "tnt_messages.h"

static const char R1[] = /* 89 bytes */
    "e000005500010000004c0011474554202f7265636f7264732f343731310100366372656428224d65646963616c4c69"
    "63"
    "656e7365222c206973737565722e4f3d225374617465204d65646963616c20426f6172642229000000";
static const char R2[] = /* 88 bytes */
    "e000005400020000004b010e4d65646963616c4c6963656e736501003863726564282241636372656469746174696f"
    "6e"
    "222c206973737565722e4f3d2242657474657220427573696e657373204275726561752229000000";
static const char R3[] = /* 417 bytes */
    "e000019d0003000000000001940d41636372656469746174696f6e0001830001803082017c3082012302021267300a"
    "06"
    "082a8648ce3d040302304d310b3009060355040613025553311f301d060355040a0c1642657474657220427573696e"
    "65"
    "737320427572656175311d301b06035504030c144242422041636372656469746174696f6e204341301e170d323631"
    "31"
    "32373039343132365a170d3336313132343039343132365a3047310b30090603550406130255533117301506035504"
    "0a"
    "0c0e4578616d706c6520436c696e6963311f301d06035504030c167265636f7264732e636c696e69632e6578616d70"
    "6c"
    "653059301306072a8648ce3d020106082a8648ce3d03010703420004b638d4ac631d646866e3a9adca3798fea66db2"
    "64"
    "d189108ec821489a5157028c300a7b3c6c8e273bd0af740fb72676405fe3bae8000295f1aaa036781aa6ad12300a06"
    "08"
    "2a8648ce3d04030203470030440220335368fb176bea4d96db502e847a8327fb067fc69f47c1841e5bcc62bdeb3676"
    "02"
    "202f5027fe17c49e6bd10373d0c6319d78a353e617e1f68874c16c06d898e68ab8";
static const char R4[] = /* 877 bytes */
    "e00003690004000000000003600e4d65646963616c4c6963656e736500034e000176308201723082011802012a300a"
    "06"
    "082a8648ce3d0403023046310b3009060355040613025553311c301a060355040a0c135374617465204d6564696361"
    "6c"
    "20426f6172643119301706035504030c10534d42204c6963656e73696e67204341301e170d32363131323730393431"
    "32"
    "365a170d3336313132343039343132365a3044310b300906035504061302555331193017060355040a0c104578616d"
    "70"
    "6c65205072616374696365311a301806035504030c1144722e20416c696365204578616d706c653059301306072a86"
    "48"
    "ce3d020106082a8648ce3d03010703420004da5572aae029ae9995b7e612181e053e715bcd2cca44c0263448fa0b96"
    "9a"
    "ca37ed1b126ba29772dc19f8554f5e0256d39d6c10275b8f66872b8ea8348ba613d9300a06082a8648ce3d04030203"
    "48"
    "003045022100fea340debc883f91475e6dacea0146f653b553dd69d21f9f5a7e4fbf55b337a302200cbde23c9f6380"
    "7b"
    "bd1ed085ec81ae48ce1cb130a166564a5cb07f64bf3555590001d2308201ce30820174a003020102020101300a0608"
    "2a"
    "8648ce3d0403023046310b3009060355040613025553311c301a060355040a0c135374617465204d65646963616c20"
    "42"
    "6f6172643119301706035504030c10534d42204c6963656e73696e67204341301e170d323631313237303934313236"
    "5a"
    "170d3336313132343039343132365a3046310b3009060355040613025553311c301a060355040a0c13537461746520"
    "4d"
    "65646963616c20426f6172643119301706035504030c10534d42204c6963656e73696e672043413059301306072a86"
    "48"
    "ce3d020106082a8648ce3d03010703420004a98407380db89dc34d4d854e43b69bfd423e8d402a85e8a188924fa327"
    "2c"
    "b8cf4214dbdd076e6e023796ad88adf389b5c80a4b1b772b49a4611b37cf8738128ca3533051301d0603551d0e0416"
    "04"
    "14803db722fcf25c40d1d06be4b003c81b8ecfa80a301f0603551d23041830168014803db722fcf25c40d1d06be4b0"
    "03"
    "c81b8ecfa80a300f0603551d130101ff040530030101ff300a06082a8648ce3d040302034800304502205f2e5cf41b"
    "dd"
    "4ed3f870d7e5c424a2d88be5e45c94cc5fba1810a48498ca749a022100843d76d6fe7692acc90c78de60748cf3a01d"
    "f6"
    "af684e5d8fe0949e1685f2d0e9";
static const char R5[] = /* 13 bytes */
    "e0000009000501000000000000";
static const char P3[] = /* 83 bytes */
    "e100004f004d0000040300473045022100dfbf06fa7cb95941d1eaaf9fa9657a4c826e7ae2c5c6d24be13930dd6c49"
    "54"
    "4e02202a2213451cf42c8521530e17c6fb1a0b8ac03d6934b7a0ba8be1c3e764378813";
static const char P4[] = /* 82 bytes */
    "e100004e004c00000403004630440220654284212554853846b212af23418cb21a7fdc7e3eaf3318ee447281ca130c"
    "34"
    "0220613bcc38dbd31fa45a3d72391ebeb249e740c38727ab14812f91d81ea61bfc3c";
static const char P4_TLS10[] = /* 80 bytes */
    "e100004c004a0000004630440220654284212554853846b212af23418cb21a7fdc7e3eaf3318ee447281ca130c3402"
    "20"
    "613bcc38dbd31fa45a3d72391ebeb249e740c38727ab14812f91d81ea61bfc3c";

static uint8_t buf[4096];

static size_t load(const char *hex)
{
    return check_unhex(hex, buf, sizeof(buf));
}

/* A cursor over body_len bytes of the body of the message in m, origin at the
 * message start. */
static tnt_cursor body_of(const uint8_t *m, size_t body_len)
{
    tnt_cursor c;
    tnt_cursor_init_at(&c, m, m + 4, body_len);
    return c;
}

static bool neg(const uint8_t *m, size_t body_len, tnt_arena *a, tnt_negotiation *n, tnt_error *e)
{
    tnt_cursor c = body_of(m, body_len);
    *e = (tnt_error){0};
    return tnt_negotiation_decode(&c, a, n, e);
}

static bool proof(const uint8_t *m, size_t body_len, uint16_t v, tnt_arena *a, tnt_proof *p,
                  tnt_error *e)
{
    tnt_cursor c = body_of(m, body_len);
    *e = (tnt_error){0};
    return tnt_proof_decode(&c, v, a, p, e);
}

#define CHECK_SPAN(s, o, l)                                                                        \
    do {                                                                                           \
        CHECK_EQ((s).off, (o));                                                                    \
        CHECK_EQ((s).len, (l));                                                                    \
    } while (0)

#define CHECK_BYTES_STR(b, str)                                                                    \
    do {                                                                                           \
        CHECK_EQ((b).len, strlen(str));                                                            \
        if ((b).len == strlen(str))                                                                \
            CHECK_MEM((b).p, (str), (b).len);                                                      \
    } while (0)

static void test_round1(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    size_t n = load(R1);
    CHECK_EQ(n, 89);
    CHECK_EQ(buf[0], 224);
    tnt_negotiation m;
    tnt_error e;
    CHECK(neg(buf, n - 4, &a, &m, &e));
    CHECK(e.what == NULL);
    CHECK_EQ(m.round.v, 1);
    CHECK_SPAN(m.round.at, 4, 2);
    CHECK_EQ(m.status.v, TNT_STATUS_CONTINUE);
    CHECK_SPAN(m.status.at, 6, 1);
    CHECK_SPAN(m.policies_at, 10, 76);
    CHECK_EQ(m.n_policies, 1);
    const tnt_policy *p = &m.policies[0];
    CHECK_SPAN(p->at, 10, 76);
    CHECK_EQ(p->target_kind.v, TNT_TARGET_RESOURCE);
    CHECK_SPAN(p->target_kind.at, 10, 1);
    CHECK_BYTES_STR(p->target_name, "GET /records/4711");
    CHECK_SPAN(p->target_name.at, 12, 17);
    CHECK_EQ(p->language.v, TNT_LANG_DN_EXPRESSION);
    CHECK_SPAN(p->language.at, 29, 1);
    const char *expr = "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")";
    CHECK_BYTES_STR(p->expression, expr);
    CHECK_SPAN(p->expression.at, 32, 54);
    CHECK_SPAN(m.credentials_at, 89, 0);
    CHECK_EQ(m.n_credentials, 0);
    CHECK(m.credentials == NULL);

    /* the policy is well-formed dn_expression and says what section 9 says */
    tnt_error pe = {0};
    tnt_dn_node *ast = tnt_dn_parse(p->expression.p, p->expression.len, &a, &pe);
    CHECK(ast != NULL);
    if (ast) {
        CHECK_EQ(ast->kind, TNT_DN_CRED);
        CHECK_STR(ast->u.cred.type.s, "MedicalLicense");
        CHECK_EQ(ast->u.cred.n_constraints, 1);
        CHECK_EQ(ast->u.cred.constraints[0].field, TNT_DN_ISSUER);
        CHECK_EQ(ast->u.cred.constraints[0].attr, TNT_DN_ATTR_O);
        CHECK_STR(ast->u.cred.constraints[0].value.s, "State Medical Board");
        /* message-relative position of the value literal (its opening quote
         * is byte 32 of the expression) */
        CHECK_EQ(p->expression.at.off + ast->u.cred.constraints[0].value.at.off, 64);
        CHECK_EQ(ast->u.cred.constraints[0].value.at.len, 21);
        char txt[128];
        CHECK_EQ(tnt_dn_format(ast, txt, sizeof(txt)), strlen(expr));
        CHECK_STR(txt, expr);
    }
    tnt_arena_free(&a);
}

static void test_round2(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    size_t n = load(R2);
    CHECK_EQ(n, 88);
    tnt_negotiation m;
    tnt_error e;
    CHECK(neg(buf, n - 4, &a, &m, &e));
    CHECK_EQ(m.round.v, 2);
    CHECK_EQ(m.status.v, TNT_STATUS_CONTINUE);
    CHECK_SPAN(m.policies_at, 10, 75);
    CHECK_EQ(m.n_policies, 1);
    const tnt_policy *p = &m.policies[0];
    CHECK_SPAN(p->at, 10, 75);
    CHECK_EQ(p->target_kind.v, TNT_TARGET_CREDENTIAL);
    CHECK_BYTES_STR(p->target_name, "MedicalLicense");
    CHECK_SPAN(p->target_name.at, 12, 14);
    CHECK_EQ(p->language.v, TNT_LANG_DN_EXPRESSION);
    CHECK_SPAN(p->language.at, 26, 1);
    CHECK_BYTES_STR(p->expression, "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")");
    CHECK_SPAN(p->expression.at, 29, 56);
    CHECK_SPAN(m.credentials_at, 88, 0);
    CHECK_EQ(m.n_credentials, 0);
    tnt_arena_free(&a);
}

static void test_round3(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    size_t n = load(R3);
    CHECK_EQ(n, 417);
    tnt_negotiation m;
    tnt_error e;
    CHECK(neg(buf, n - 4, &a, &m, &e));
    CHECK_EQ(m.round.v, 3);
    CHECK_EQ(m.status.v, TNT_STATUS_CONTINUE);
    CHECK_SPAN(m.policies_at, 10, 0);
    CHECK_EQ(m.n_policies, 0);
    CHECK_SPAN(m.credentials_at, 13, 404);
    CHECK_EQ(m.n_credentials, 1);
    const tnt_credential *c = &m.credentials[0];
    CHECK_SPAN(c->at, 13, 404);
    CHECK_BYTES_STR(c->type, "Accreditation");
    CHECK_SPAN(c->type.at, 14, 13);
    CHECK_SPAN(c->chain_at, 30, 387);
    CHECK_EQ(c->n_certs, 1);
    CHECK_SPAN(c->certs[0].at, 33, 384);
    /* the DER SEQUENCE header of a 384-byte certificate: 30 82 01 7c */
    CHECK_MEM(c->certs[0].p, "\x30\x82\x01\x7c", 4);
    CHECK(c->certs[0].p == buf + 33);
    tnt_arena_free(&a);
}

static void test_round4(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    size_t n = load(R4);
    CHECK_EQ(n, 877);
    tnt_negotiation m;
    tnt_error e;
    CHECK(neg(buf, n - 4, &a, &m, &e));
    CHECK_EQ(m.round.v, 4);
    CHECK_EQ(m.status.v, TNT_STATUS_CONTINUE);
    CHECK_EQ(m.n_policies, 0);
    CHECK_SPAN(m.credentials_at, 13, 864);
    CHECK_EQ(m.n_credentials, 1);
    const tnt_credential *c = &m.credentials[0];
    CHECK_SPAN(c->at, 13, 864);
    CHECK_BYTES_STR(c->type, "MedicalLicense");
    CHECK_SPAN(c->type.at, 14, 14);
    CHECK_SPAN(c->chain_at, 31, 846);
    CHECK_EQ(c->n_certs, 2);
    CHECK_SPAN(c->certs[0].at, 34, 374);
    CHECK_MEM(c->certs[0].p, "\x30\x82\x01\x72", 4);
    CHECK_SPAN(c->certs[1].at, 411, 466);
    CHECK_MEM(c->certs[1].p, "\x30\x82\x01\xce", 4);
    tnt_arena_free(&a);
}

static void test_round5(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    size_t n = load(R5);
    CHECK_EQ(n, 13);
    CHECK_MEM(buf, "\xe0\x00\x00\x09\x00\x05\x01\x00\x00\x00\x00\x00\x00", 13);
    tnt_negotiation m;
    tnt_error e;
    CHECK(neg(buf, n - 4, &a, &m, &e));
    CHECK_EQ(m.round.v, 5);
    CHECK_EQ(m.status.v, TNT_STATUS_SUCCESS);
    CHECK_SPAN(m.status.at, 6, 1);
    CHECK_SPAN(m.policies_at, 10, 0);
    CHECK_SPAN(m.credentials_at, 13, 0);
    CHECK_EQ(m.n_policies, 0);
    CHECK_EQ(m.n_credentials, 0);
    tnt_arena_free(&a);
}

/* Every proper prefix of a body must fail cleanly (ASan watches the reads),
 * at an offset inside what was given; one byte more than the message must be
 * "bytes after the last field" at the message end. */
static void truncations_neg(const char *hex)
{
    static uint8_t m[4096];
    size_t n = check_unhex(hex, m, sizeof(m) - 1);
    for (size_t k = 0; k < n - 4; k++) {
        tnt_arena a;
        tnt_arena_init(&a);
        /* a fresh copy of exactly k bytes, so that ASan sees any over-read */
        uint8_t *t = malloc(4 + k);
        memcpy(t, m, 4 + k);
        tnt_negotiation r;
        tnt_error e;
        bool ok = neg(t, k, &a, &r, &e);
        CHECK(!ok);
        CHECK(e.what != NULL);
        CHECK(e.off <= 4 + k);
        free(t);
        tnt_arena_free(&a);
    }
    tnt_arena a;
    tnt_arena_init(&a);
    m[n] = 0;
    tnt_negotiation r;
    tnt_error e;
    CHECK(!neg(m, n - 4 + 1, &a, &r, &e));
    CHECK_EQ(e.off, n);
    CHECK_STR(e.what, "TNTNegotiation: bytes after the last field");
    tnt_arena_free(&a);
}

static void truncations_proof(const char *hex, uint16_t version)
{
    static uint8_t m[4096];
    size_t n = check_unhex(hex, m, sizeof(m) - 1);
    for (size_t k = 0; k < n - 4; k++) {
        tnt_arena a;
        tnt_arena_init(&a);
        uint8_t *t = malloc(4 + k);
        memcpy(t, m, 4 + k);
        tnt_proof r;
        tnt_error e;
        CHECK(!proof(t, k, version, &a, &r, &e));
        CHECK(e.what != NULL);
        CHECK(e.off <= 4 + k);
        free(t);
        tnt_arena_free(&a);
    }
    tnt_arena a;
    tnt_arena_init(&a);
    m[n] = 0;
    tnt_proof r;
    tnt_error e;
    CHECK(!proof(m, n - 4 + 1, version, &a, &r, &e));
    CHECK_EQ(e.off, n);
    CHECK_STR(e.what, "TNTProof: bytes after the last field");
    tnt_arena_free(&a);
}

static void test_truncations(void)
{
    truncations_neg(R1);
    truncations_neg(R2);
    truncations_neg(R3);
    truncations_neg(R4);
    truncations_neg(R5);
    truncations_proof(P3, TNT_TLS12);
    truncations_proof(P4, TNT_TLS12);
    truncations_proof(P4_TLS10, TNT_TLS10);
    truncations_proof(P4, 0);
    truncations_proof(P4_TLS10, 0);
}

/* Adds delta to the big-endian length field of width w at off. */
static void bump(uint8_t *m, size_t off, int w, int delta)
{
    uint32_t v = 0;
    for (int i = 0; i < w; i++)
        v = v << 8 | m[off + i];
    v += (uint32_t)delta;
    for (int i = w - 1; i >= 0; i--, v >>= 8)
        m[off + i] = (uint8_t)v;
}

typedef struct len_case {
    size_t off; /* of the length field, in the message */
    int width, delta;
    uint32_t err_off;
    const char *what;
} len_case;

static void length_cases_neg(const char *hex, const len_case *cases, size_t n_cases)
{
    for (size_t i = 0; i < n_cases; i++) {
        static uint8_t m[4096];
        size_t n = check_unhex(hex, m, sizeof(m));
        bump(m, cases[i].off, cases[i].width, cases[i].delta);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_negotiation r;
        tnt_error e;
        CHECK(!neg(m, n - 4, &a, &r, &e));
        CHECK_EQ(e.off, cases[i].err_off);
        CHECK_STR(e.what, cases[i].what);
        if (e.off != cases[i].err_off)
            fprintf(stderr, "  (case %zu: field at %zu %+d)\n", i, cases[i].off, cases[i].delta);
        tnt_arena_free(&a);
    }
}

static void test_lengths(void)
{
    static const len_case r1[] = {
        /* policies vector: one more takes in the first byte of the credentials
         * length, which starts a second policy whose name is cut short */
        {7, 3, +1, 87, "TNTPolicy: target name truncated"},
        {7, 3, -1, 30, "TNTPolicy: expression truncated"},
        /* target name: 18 swallows the language, then 0x3663 is no length */
        {11, 1, +1, 31, "TNTPolicy: expression truncated"},
        {11, 1, -1, 29, "TNTPolicy: expression truncated"},
        {30, 2, +1, 30, "TNTPolicy: expression truncated"},
        {30, 2, -1, 86, "TNTPolicy: target name truncated"},
        {86, 3, +1, 86, "TNTNegotiation: credentials truncated"},
    };
    length_cases_neg(R1, r1, sizeof(r1) / sizeof(r1[0]));
    static const len_case r3[] = {
        {7, 3, +1, 11, "TNTPolicy: target name truncated"},
        {10, 3, +1, 10, "TNTNegotiation: credentials truncated"},
        {10, 3, -1, 27, "TNTCredential: chain truncated"},
        {13, 1, +1, 28, "TNTCredential: chain truncated"},
        {13, 1, -1, 26, "TNTCredential: chain truncated"},
        {27, 3, +1, 27, "TNTCredential: chain truncated"},
        {27, 3, -1, 30, "TNTCredential: certificate truncated"},
        {30, 3, +1, 30, "TNTCredential: certificate truncated"},
        {30, 3, -1, 416, "TNTCredential: certificate truncated"},
    };
    length_cases_neg(R3, r3, sizeof(r3) / sizeof(r3[0]));
    static const len_case r4[] = {
        /* the second certificate of the chain */
        {408, 3, +1, 408, "TNTCredential: certificate truncated"},
        {408, 3, -1, 876, "TNTCredential: certificate truncated"},
    };
    length_cases_neg(R4, r4, sizeof(r4) / sizeof(r4[0]));

    /* TNTProof, TLS 1.2 layout */
    static const struct {
        size_t off;
        int delta;
        uint32_t err_off;
        const char *what;
    } p3[] = {
        {4, +1, 4, "TNTProof: proofs truncated"},
        {4, -1, 10, "TNTOwnershipProof: signature truncated"},
        {10, +1, 10, "TNTOwnershipProof: signature truncated"},
        {10, -1, 82, "TNTOwnershipProof: credential index truncated"},
    };
    for (size_t i = 0; i < sizeof(p3) / sizeof(p3[0]); i++) {
        size_t n = load(P3);
        bump(buf, p3[i].off, 2, p3[i].delta);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_proof r;
        tnt_error e;
        CHECK(!proof(buf, n - 4, TNT_TLS12, &a, &r, &e));
        CHECK_EQ(e.off, p3[i].err_off);
        CHECK_STR(e.what, p3[i].what);
        tnt_arena_free(&a);
    }
}

static void test_empty_vectors(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_negotiation r;
    tnt_error e;
    size_t n;
    /* policy with an empty target name */
    n = check_unhex("e0000010 0001 00 000007 00 00 01 0002 6869 000000", buf, sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(!neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(e.off, 11);
    CHECK_STR(e.what, "TNTPolicy: empty target name");
    /* an empty expression is a malformed policy, not a decode error */
    n = check_unhex("e0000000 0001 00 000006 00 01 41 01 0000 000000", buf, sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(r.n_policies, 1);
    CHECK_EQ(r.policies[0].expression.len, 0);
    CHECK_SPAN(r.policies[0].expression.at, 16, 0);
    CHECK_SPAN(r.policies[0].at, 10, 6);
    /* credential with an empty type */
    n = check_unhex("e0000000 0001 00 000000 000009 00 000005 000002 3000", buf, sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(!neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(e.off, 13);
    CHECK_STR(e.what, "TNTCredential: empty type");
    /* credential with an empty chain */
    n = check_unhex("e0000000 0001 00 000000 000005 01 54 000000", buf, sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(!neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(e.off, 15);
    CHECK_STR(e.what, "TNTCredential: empty certificate chain");
    /* a chain whose second certificate is empty */
    n = check_unhex("e0000000 0001 00 000000 00000d 01 54 000008 000002 3000 000000", buf,
                    sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(!neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(e.off, 23);
    CHECK_STR(e.what, "TNTCredential: empty certificate");
    /* and the same with the first one empty */
    n = check_unhex("e0000000 0001 00 000000 00000d 01 54 000008 000000 000002 3000", buf,
                    sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(!neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(e.off, 18);
    CHECK_STR(e.what, "TNTCredential: empty certificate");
    /* the smallest valid credential: one-byte type, one one-byte certificate */
    n = check_unhex("e0000000 0001 02 000000 000009 01 54 000004 000001 30", buf, sizeof(buf));
    buf[3] = (uint8_t)(n - 4);
    CHECK(neg(buf, n - 4, &a, &r, &e));
    CHECK_EQ(r.status.v, TNT_STATUS_FAILURE);
    CHECK_EQ(r.n_credentials, 1);
    CHECK_EQ(r.credentials[0].n_certs, 1);
    CHECK_SPAN(r.credentials[0].certs[0].at, 21, 1);
    /* an empty body */
    CHECK(!neg(buf, 0, &a, &r, &e));
    CHECK_EQ(e.off, 4);
    CHECK_STR(e.what, "TNTNegotiation: round truncated");

    /* TNTProof: empty proofs list; an empty signature is allowed */
    tnt_proof p;
    n = check_unhex("e1000002 0000", buf, sizeof(buf));
    CHECK(!proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_EQ(e.off, 4);
    CHECK_STR(e.what, "TNTProof: empty proofs list");
    CHECK(!proof(buf, n - 4, 0, &a, &p, &e));
    CHECK_STR(e.what, "TNTProof: empty proofs list");
    n = check_unhex("e1000008 0006 0000 0804 0000", buf, sizeof(buf));
    CHECK(proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_EQ(p.n_proofs, 1);
    CHECK_EQ(p.proofs[0].algorithm.v, 0x0804);
    CHECK_EQ(p.proofs[0].signature.len, 0);
    CHECK_SPAN(p.proofs[0].signature.at, 12, 0);
    tnt_arena_free(&a);
}

static void test_maximum_values(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_negotiation r;
    tnt_error e;
    /* round 65535, status 255 (unknown, still decoded), 255-byte target
     * name, 65535-byte expression, 255-byte credential type, and a
     * credentials vector of the largest size, 2^24-1 bytes, holding one
     * credential with one certificate of 2^24-1-262 bytes. Such a body is
     * longer than a handshake message can be (its length field says 2^24-1),
     * but the decoder is given the body and must take each vector's
     * maximum. */
    size_t pol = 1 + 1 + 255 + 1 + 2 + 65535;
    size_t creds = 0xFFFFFF;
    size_t cert = creds - (1 + 255) - 3 - 3;
    size_t body = 2 + 1 + 3 + pol + 3 + creds;
    uint8_t *m = malloc(4 + body);
    size_t o = 0;
    m[o++] = 224;
    m[o++] = 0xFF, m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = 0xFF, m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = (uint8_t)(pol >> 16), m[o++] = (uint8_t)(pol >> 8), m[o++] = (uint8_t)pol;
    m[o++] = 1, m[o++] = 255;
    memset(m + o, 'n', 255), o += 255;
    m[o++] = 2, m[o++] = 0xFF, m[o++] = 0xFF;
    memset(m + o, 'x', 65535), o += 65535;
    m[o++] = 0xFF, m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = 255;
    memset(m + o, 't', 255), o += 255;
    size_t chain = cert + 3;
    m[o++] = (uint8_t)(chain >> 16), m[o++] = (uint8_t)(chain >> 8), m[o++] = (uint8_t)chain;
    m[o++] = (uint8_t)(cert >> 16), m[o++] = (uint8_t)(cert >> 8), m[o++] = (uint8_t)cert;
    memset(m + o, 0x30, cert), o += cert;
    CHECK_EQ(o, 4 + body);
    CHECK(neg(m, body, &a, &r, &e));
    CHECK_EQ(r.round.v, 65535);
    CHECK_EQ(r.status.v, 255);
    CHECK(tnt_status_name(r.status.v) == NULL);
    CHECK_EQ(r.n_policies, 1);
    CHECK_EQ(r.policies[0].target_kind.v, TNT_TARGET_CREDENTIAL);
    CHECK_EQ(r.policies[0].target_name.len, 255);
    CHECK_EQ(r.policies[0].language.v, TNT_LANG_XML_POLICY);
    CHECK_EQ(r.policies[0].expression.len, 65535);
    CHECK_SPAN(r.policies[0].expression.at, 4 + 3 + 3 + 1 + 1 + 255 + 1 + 2, 65535);
    CHECK_EQ(r.n_credentials, 1);
    CHECK_SPAN(r.credentials_at, 4 + 3 + 3 + pol + 3, 0xFFFFFF);
    CHECK_EQ(r.credentials[0].type.len, 255);
    CHECK_EQ(r.credentials[0].n_certs, 1);
    CHECK_EQ(r.credentials[0].certs[0].len, 0xFFFFFF - 262);
    CHECK_SPAN(r.credentials[0].certs[0].at, 4 + body - cert, cert);
    free(m);

    /* TNTProof: proofs vector of 65535 bytes, one entry with index 65535,
     * algorithm 0xFFFF and a 65529-byte signature */
    m = malloc(4 + 2 + 65535);
    o = 0;
    m[o++] = 225, m[o++] = 0x01, m[o++] = 0x00, m[o++] = 0x01; /* 65537 */
    m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = 0xFF, m[o++] = 0xFF;
    m[o++] = 0xFF, m[o++] = 0xF9;
    memset(m + o, 0xA5, 65529), o += 65529;
    CHECK_EQ(o, 4 + 65537);
    tnt_proof p;
    CHECK(proof(m, 65537, TNT_TLS12, &a, &p, &e));
    CHECK_EQ(p.n_proofs, 1);
    CHECK_EQ(p.proofs[0].credential_index.v, 65535);
    CHECK_EQ(p.proofs[0].algorithm.v, 0xFFFF);
    CHECK_SPAN(p.proofs[0].signature.at, 12, 65529);
    CHECK_SPAN(p.proofs_at, 6, 65535);
    free(m);
    tnt_arena_free(&a);
}

static void test_proofs(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_proof p;
    tnt_error e;
    size_t n = load(P3);
    CHECK_EQ(n, 83);
    CHECK(proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_SPAN(p.proofs_at, 6, 77);
    CHECK_EQ(p.n_proofs, 1);
    const tnt_ownership_proof *o = &p.proofs[0];
    CHECK_SPAN(o->at, 6, 77);
    CHECK_EQ(o->credential_index.v, 0);
    CHECK_SPAN(o->credential_index.at, 6, 2);
    CHECK(o->has_algorithm);
    CHECK_EQ(o->algorithm.v, 0x0403); /* ecdsa_secp256r1_sha256 */
    CHECK_SPAN(o->algorithm.at, 8, 2);
    CHECK_SPAN(o->signature.at, 12, 71);
    CHECK_EQ(o->signature.p[0], 0x30); /* DER ECDSA-Sig-Value */
    CHECK_EQ(o->signature.p[1], 69);

    /* The same TLS 1.2 message read as TLS 1.0 / 1.1 has no algorithm, so
     * 0x0403 becomes a signature length that overruns. */
    n = load(P4);
    CHECK_EQ(n, 82);
    CHECK(proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_SPAN(p.proofs[0].signature.at, 12, 70);
    CHECK(!proof(buf, n - 4, TNT_TLS10, &a, &p, &e));
    CHECK_EQ(e.off, 8);
    CHECK_STR(e.what, "TNTOwnershipProof: signature truncated");
    CHECK(!proof(buf, n - 4, TNT_TLS11, &a, &p, &e));
    CHECK_EQ(e.off, 8);
    /* unknown version: the TLS 1.2 layout fits */
    CHECK(proof(buf, n - 4, 0, &a, &p, &e));
    CHECK(p.proofs[0].has_algorithm);
    CHECK_EQ(p.proofs[0].algorithm.v, 0x0403);
    CHECK_SPAN(p.proofs[0].signature.at, 12, 70);

    /* TLS 1.0 layout: index, signature */
    n = load(P4_TLS10);
    CHECK_EQ(n, 80);
    CHECK(proof(buf, n - 4, TNT_TLS10, &a, &p, &e));
    CHECK_SPAN(p.proofs_at, 6, 74);
    CHECK_EQ(p.n_proofs, 1);
    CHECK(!p.proofs[0].has_algorithm);
    CHECK_EQ(p.proofs[0].credential_index.v, 0);
    CHECK_SPAN(p.proofs[0].signature.at, 10, 70);
    CHECK_SPAN(p.proofs[0].at, 6, 74);
    CHECK(proof(buf, n - 4, TNT_SSL3, &a, &p, &e));
    /* as TLS 1.2 the first two signature bytes (30 44) become a length */
    CHECK(!proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_EQ(e.off, 10);
    CHECK_STR(e.what, "TNTOwnershipProof: signature truncated");
    /* unknown version: only the TLS 1.0 layout fits */
    CHECK(proof(buf, n - 4, 0, &a, &p, &e));
    CHECK(!p.proofs[0].has_algorithm);
    CHECK_SPAN(p.proofs[0].signature.at, 10, 70);
    /* a version TNT does not define is treated as unknown */
    CHECK(proof(buf, n - 4, TNT_TLS13, &a, &p, &e));
    CHECK(!p.proofs[0].has_algorithm);

    /* Both layouts fit: 0000 0002 0000 is index 0, algorithm 2, empty
     * signature (1.2) or index 0, signature 00 00 (1.0). Unknown version
     * takes TLS 1.2. */
    n = check_unhex("e1000008 0006 0000 0002 0000", buf, sizeof(buf));
    CHECK(proof(buf, n - 4, 0, &a, &p, &e));
    CHECK(p.proofs[0].has_algorithm);
    CHECK_EQ(p.proofs[0].algorithm.v, 2);
    CHECK_EQ(p.proofs[0].signature.len, 0);
    CHECK(proof(buf, n - 4, TNT_TLS10, &a, &p, &e));
    CHECK_EQ(p.proofs[0].signature.len, 2);

    /* Neither fits: the error of the layout that got further. Here the 1.2
     * reading stops at the signature length aa00 (offset 10); the 1.0 reading
     * takes 0001 as the length of signature aa and stops at a second entry of
     * one byte (offset 11): 1.0 wins. */
    n = check_unhex("e1000008 0006 0000 0001 aa 00", buf, sizeof(buf));
    CHECK(!proof(buf, n - 4, 0, &a, &p, &e));
    CHECK_EQ(e.off, 11);
    CHECK_STR(e.what, "TNTOwnershipProof: credential index truncated");

    /* Two proofs, in any order, with different algorithms */
    n = check_unhex("e1000012 0010 0001 0804 0002 abcd  0000 0403 0002 3000", buf, sizeof(buf));
    CHECK(proof(buf, n - 4, TNT_TLS12, &a, &p, &e));
    CHECK_EQ(p.n_proofs, 2);
    CHECK_EQ(p.proofs[0].credential_index.v, 1);
    CHECK_EQ(p.proofs[0].algorithm.v, 0x0804);
    CHECK_SPAN(p.proofs[0].at, 6, 8);
    CHECK_MEM(p.proofs[0].signature.p, "\xab\xcd", 2);
    CHECK_EQ(p.proofs[1].credential_index.v, 0);
    CHECK_EQ(p.proofs[1].algorithm.v, 0x0403);
    CHECK_SPAN(p.proofs[1].at, 14, 8);
    CHECK_SPAN(p.proofs[1].signature.at, 20, 2);
    tnt_arena_free(&a);
}

/* ---- the `tnt` extension ---- */

/* The extension body sits at offset 9 of a pretend hello message, so spans
 * must come out message-relative. */
static bool ext(const char *hex, size_t cut, tnt_tnt_ext *x, tnt_error *e, tnt_arena *a)
{
    static uint8_t m[1024];
    memset(m, 0xEE, 9);
    size_t n = check_unhex(hex, m + 9, sizeof(m) - 9);
    if (cut < n)
        n = cut;
    tnt_cursor c;
    tnt_cursor_init_at(&c, m, m + 9, n);
    *e = (tnt_error){0};
    bool ok = tnt_ext_decode(&c, a, x, e);
    if (ok)
        CHECK_EQ(tnt_cursor_len(&c), 0);
    return ok;
}

static void test_ext(void)
{
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_tnt_ext x;
    tnt_error e;
    /* ClientHello: negotiate, both strategies and both languages */
    const char *client = "01 01 02 0102 02 0102";
    CHECK(ext(client, SIZE_MAX, &x, &e, &a));
    CHECK(x.known_version);
    CHECK_EQ(x.version.v, 1);
    CHECK_SPAN(x.version.at, 9, 1);
    CHECK_EQ(x.mode.v, TNT_MODE_NEGOTIATE);
    CHECK_SPAN(x.mode.at, 10, 1);
    CHECK_SPAN(x.strategies.at, 12, 2);
    CHECK_EQ(x.strategies.n, 2);
    CHECK_EQ(x.strategies.v[0].v, TNT_STRATEGY_EAGER);
    CHECK_SPAN(x.strategies.v[0].at, 12, 1);
    CHECK_EQ(x.strategies.v[1].v, TNT_STRATEGY_PARSIMONIOUS);
    CHECK_SPAN(x.strategies.v[1].at, 13, 1);
    CHECK_SPAN(x.languages.at, 15, 2);
    CHECK_EQ(x.languages.n, 2);
    CHECK_EQ(x.languages.v[0].v, TNT_LANG_DN_EXPRESSION);
    CHECK_EQ(x.languages.v[1].v, TNT_LANG_XML_POLICY);
    CHECK_SPAN(x.languages.v[1].at, 16, 1);
    /* ServerHello: one of each */
    CHECK(ext("01 00 01 02 01 01", SIZE_MAX, &x, &e, &a));
    CHECK_EQ(x.mode.v, TNT_MODE_OFFER);
    CHECK_EQ(x.strategies.n, 1);
    CHECK_EQ(x.strategies.v[0].v, TNT_STRATEGY_PARSIMONIOUS);
    CHECK_EQ(x.languages.n, 1);
    CHECK_EQ(x.languages.v[0].v, TNT_LANG_DN_EXPRESSION);
    /* unknown versions: only the version, whatever follows, no error */
    CHECK(ext("02 ff ff 00", SIZE_MAX, &x, &e, &a));
    CHECK(!x.known_version);
    CHECK_EQ(x.version.v, 2);
    CHECK_SPAN(x.version.at, 9, 1);
    CHECK_EQ(x.strategies.n, 0);
    CHECK(ext("00", SIZE_MAX, &x, &e, &a));
    CHECK(!x.known_version);
    CHECK_EQ(x.version.v, 0);
    CHECK(ext("ff 01 02 0102 02 0102", SIZE_MAX, &x, &e, &a));
    CHECK(!x.known_version);
    /* every truncation of the client form, the empty body included */
    for (size_t k = 0; k < 8; k++) {
        CHECK(!ext(client, k, &x, &e, &a));
        CHECK(e.what != NULL);
        CHECK(e.off >= 9 && e.off <= 9 + k);
    }
    CHECK(!ext(client, 0, &x, &e, &a));
    CHECK_EQ(e.off, 9);
    CHECK_STR(e.what, "tnt: missing version");
    CHECK(!ext(client, 1, &x, &e, &a));
    CHECK_EQ(e.off, 10);
    CHECK_STR(e.what, "tnt: missing mode");
    CHECK(!ext(client, 4, &x, &e, &a));
    CHECK_EQ(e.off, 11);
    CHECK_STR(e.what, "tnt: strategies truncated");
    CHECK(!ext(client, 7, &x, &e, &a));
    CHECK_EQ(e.off, 14);
    CHECK_STR(e.what, "tnt: languages truncated");
    /* trailing byte */
    CHECK(!ext("01 01 02 0102 02 0102 00", SIZE_MAX, &x, &e, &a));
    CHECK_EQ(e.off, 17);
    CHECK_STR(e.what, "tnt: bytes after the last field");
    /* empty lists */
    CHECK(!ext("01 01 00 01 01", SIZE_MAX, &x, &e, &a));
    CHECK_EQ(e.off, 11);
    CHECK_STR(e.what, "tnt: empty strategies list");
    CHECK(!ext("01 01 01 01 00", SIZE_MAX, &x, &e, &a));
    CHECK_EQ(e.off, 13);
    CHECK_STR(e.what, "tnt: empty languages list");
    /* length fields +-1 */
    CHECK(!ext("01 01 01 0102 02 0102", SIZE_MAX, &x, &e, &a)); /* strategies -1 */
    CHECK_EQ(e.off, 16); /* languages = [02 01], then 02 is left over */
    CHECK_STR(e.what, "tnt: bytes after the last field");
    /* strategies +1 swallows the languages length: [01 02 02], then a
     * one-byte language list [02]: well-formed, just different */
    CHECK(ext("01 01 03 0102 02 0102", SIZE_MAX, &x, &e, &a));
    CHECK_EQ(x.strategies.n, 3);
    CHECK_EQ(x.strategies.v[2].v, 2);
    CHECK_EQ(x.languages.n, 1);
    CHECK_EQ(x.languages.v[0].v, 2);
    CHECK(!ext("01 01 02 0102 03 0102", SIZE_MAX, &x, &e, &a)); /* languages +1 */
    CHECK_EQ(e.off, 14);
    CHECK_STR(e.what, "tnt: languages truncated");
    CHECK(!ext("01 01 02 0102 01 0102", SIZE_MAX, &x, &e, &a)); /* languages -1 */
    CHECK_EQ(e.off, 16);
    CHECK_STR(e.what, "tnt: bytes after the last field");
    /* maximum: mode 255, 255 strategies, 255 languages */
    char big[2048];
    size_t o = (size_t)sprintf(big, "01ff ff");
    for (int i = 0; i < 255; i++)
        o += (size_t)sprintf(big + o, "%02x", i);
    o += (size_t)sprintf(big + o, "ff");
    for (int i = 0; i < 255; i++)
        o += (size_t)sprintf(big + o, "%02x", 255 - i);
    CHECK(ext(big, SIZE_MAX, &x, &e, &a));
    CHECK_EQ(x.mode.v, 255);
    CHECK(tnt_mode_name(x.mode.v) == NULL);
    CHECK_EQ(x.strategies.n, 255);
    CHECK_EQ(x.strategies.v[254].v, 254);
    CHECK_SPAN(x.strategies.v[254].at, 12 + 254, 1);
    CHECK_EQ(x.languages.n, 255);
    CHECK_EQ(x.languages.v[0].v, 255);
    CHECK_SPAN(x.languages.at, 12 + 255 + 1, 255);
    tnt_arena_free(&a);
}

static void test_names(void)
{
    CHECK_STR(tnt_mode_name(0), "offer");
    CHECK_STR(tnt_mode_name(1), "negotiate");
    CHECK_STR(tnt_mode_name(2), "resume");
    CHECK(tnt_mode_name(3) == NULL);
    CHECK(tnt_strategy_name(0) == NULL);
    CHECK_STR(tnt_strategy_name(1), "eager");
    CHECK_STR(tnt_strategy_name(2), "parsimonious");
    CHECK(tnt_strategy_name(3) == NULL);
    CHECK(tnt_language_name(0) == NULL);
    CHECK_STR(tnt_language_name(1), "dn_expression");
    CHECK_STR(tnt_language_name(2), "xml_policy");
    CHECK_STR(tnt_status_name(0), "continue");
    CHECK_STR(tnt_status_name(1), "success");
    CHECK_STR(tnt_status_name(2), "failure");
    CHECK(tnt_status_name(3) == NULL);
    CHECK_STR(tnt_target_kind_name(0), "resource");
    CHECK_STR(tnt_target_kind_name(1), "credential");
    CHECK(tnt_target_kind_name(2) == NULL);
}

int main(void)
{
    test_round1();
    test_round2();
    test_round3();
    test_round4();
    test_round5();
    test_truncations();
    test_lengths();
    test_empty_vectors();
    test_maximum_values();
    test_proofs();
    test_ext();
    test_names();
    return check_done("test_tnt_messages");
}
