/* Negotiation reconstruction (lib/negotiation.c): whole handshakes built as
 * wire messages, decoded with tnt_hs_decode and fed the way the connection
 * layer does (transcript before each message). Proofs are real signatures
 * made with tnt_proof_sign over the transcript built here, with the keys of
 * tests/data/pki (make_pki.sh). The clinic negotiation is spec section 9.
 *
 * Every violation test asserts exactly its code, its severity, and that no
 * other violation is reported. */
#include "check.h"

#include "negotiation.h"
#include "negotiation_int.h" /* TNT_NEGO_MAX_KEPT, TNT_NEGO_MAX_EVAL */
#include "x509.h"
#include "tnt/load.h"

#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T2030 INT64_C(1893456000)

static char pki[512];

/* ---- bytes ---- */

typedef struct buf {
    uint8_t *b;
    size_t n, cap;
} buf;

static void put_mem(buf *w, const void *p, size_t n)
{
    if (w->n + n > w->cap) {
        w->cap = (w->n + n) * 2 + 64;
        w->b = realloc(w->b, w->cap);
        if (!w->b)
            abort();
    }
    if (n)
        memcpy(w->b + w->n, p, n);
    w->n += n;
}

static void put(buf *w, uint32_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        put_mem(w, &b, 1);
    }
}

static size_t open_vec(buf *w, int width)
{
    put(w, 0, width);
    return w->n;
}

static void close_vec(buf *w, size_t at, int width)
{
    size_t len = w->n - at;
    for (int i = 0; i < width; i++)
        w->b[at - width + i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

static size_t open_msg(buf *w, uint8_t type)
{
    put(w, type, 1);
    return open_vec(w, 3);
}

static buf load(const char *name)
{
    char path[800];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    buf b = {malloc(1 << 16), 0, 1 << 16};
    b.n = fread(b.b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

/* ---- feeding ---- */

static const uint16_t client_algs[] = {0x0804, 0x0805, 0x0806, 0x0403, 0x0503,
                                       0x0401, 0x0501, 0x0601, 0x0201};
#define N_ALGS (sizeof client_algs / sizeof client_algs[0])

typedef struct sim {
    tnt_nego *n;
    buf t;       /* transcript of the handshake in progress */
    uint32_t hs; /* its index */
    uint32_t epoch;
    uint16_t version;
    bool complete; /* what the connection layer would say about the transcript */
    uint64_t frame;
    uint8_t vd[2][12]; /* Finished verify_data of the last handshake */
} sim;

static void sim_init(sim *s, tnt_session_store *st, uint64_t conn, const tnt_anchor_set *anchors)
{
    memset(s, 0, sizeof(*s));
    tnt_nego_options o = {anchors, TNT_POLICY_DECODER, T2030, conn, NULL, NULL};
    s->n = tnt_nego_new(st, &o);
    s->complete = true;
    s->frame = 100 * conn;
}

static void sim_free(sim *s)
{
    tnt_nego_free(s->n);
    free(s->t.b);
}

static void feed(sim *s, tnt_dir d, buf m)
{
    tnt_hs_ctx ctx = {s->version, 0xC02F, d == TNT_S2C, NULL};
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    tnt_hs_decode(m.b, (uint32_t)m.n, &ctx, &a, &msg);
    if (m.b[0] == TNT_HS_CLIENT_HELLO) {
        s->hs++;
        s->t.n = 0;
    }
    tnt_nego_message(s->n, d, s->hs, s->epoch, &msg, s->t.b, s->t.n, s->complete, ++s->frame);
    if (msg.type == TNT_HS_SERVER_HELLO && msg.decoded)
        s->version = (uint16_t)msg.u.server_hello.version.v;
    if (m.b[0] != TNT_HS_HELLO_REQUEST)
        put_mem(&s->t, m.b, m.n);
    tnt_arena_free(&a);
    free(m.b);
}

/* ---- messages ---- */

typedef struct ri {
    bool present;
    const uint8_t *p;
    size_t len;
} ri;

static void ext_ri(buf *w, ri r)
{
    if (!r.present)
        return;
    put(w, 0xFF01, 2);
    size_t e = open_vec(w, 2);
    put(w, (uint32_t)r.len, 1);
    put_mem(w, r.p, r.len);
    close_vec(w, e, 2);
}

/* Knobs for the hello builders: the tnt extension's version, and whether
 * the ClientHello lists TLS_EMPTY_RENEGOTIATION_INFO_SCSV. */
static uint8_t tnt_version = 1;
static bool with_scsv;

static void ext_tnt(buf *w, int mode, bool server, uint8_t lang)
{
    if (mode < 0)
        return;
    put(w, 0xFF54, 2);
    size_t e = open_vec(w, 2);
    put(w, tnt_version, 1);
    put(w, (uint32_t)mode, 1);
    if (server) {
        put(w, 1, 1), put(w, 2, 1); /* parsimonious */
        put(w, 1, 1), put(w, lang, 1);
    } else {
        put(w, 2, 1), put(w, 2, 1), put(w, 1, 1);
        put(w, 2, 1), put(w, 1, 1), put(w, 2, 1);
    }
    close_vec(w, e, 2);
}

static buf client_hello(const uint8_t *sid, size_t sid_len, int mode, ri r)
{
    buf w = {0};
    size_t m = open_msg(&w, TNT_HS_CLIENT_HELLO);
    put(&w, 0x0303, 2);
    for (int i = 0; i < 32; i++)
        put(&w, 0x11, 1);
    put(&w, (uint32_t)sid_len, 1);
    put_mem(&w, sid, sid_len);
    put(&w, with_scsv ? 4 : 2, 2);
    put(&w, 0xC02F, 2);
    if (with_scsv)
        put(&w, 0x00FF, 2);
    put(&w, 1, 1), put(&w, 0, 1);
    size_t ex = open_vec(&w, 2);
    put(&w, TNT_EXT_SIGNATURE_ALGORITHMS, 2);
    put(&w, 2 + 2 * N_ALGS, 2);
    put(&w, 2 * N_ALGS, 2);
    for (size_t i = 0; i < N_ALGS; i++)
        put(&w, client_algs[i], 2);
    ext_ri(&w, r);
    ext_tnt(&w, mode, false, 0);
    close_vec(&w, ex, 2);
    close_vec(&w, m, 3);
    return w;
}

static buf server_hello(const uint8_t *sid, size_t sid_len, int mode, uint8_t lang, ri r)
{
    buf w = {0};
    size_t m = open_msg(&w, TNT_HS_SERVER_HELLO);
    put(&w, 0x0303, 2);
    for (int i = 0; i < 32; i++)
        put(&w, 0x22, 1);
    put(&w, (uint32_t)sid_len, 1);
    put_mem(&w, sid, sid_len);
    put(&w, 0xC02F, 2);
    put(&w, 0, 1);
    size_t ex = open_vec(&w, 2);
    ext_ri(&w, r);
    ext_tnt(&w, mode, true, lang);
    close_vec(&w, ex, 2);
    close_vec(&w, m, 3);
    return w;
}

static buf empty_msg(uint8_t type)
{
    buf w = {0};
    put(&w, type, 1);
    put(&w, 0, 3);
    return w;
}

static buf finished(const uint8_t vd[12])
{
    buf w = {0};
    size_t m = open_msg(&w, TNT_HS_FINISHED);
    put_mem(&w, vd, 12);
    close_vec(&w, m, 3);
    return w;
}

typedef struct pol {
    int kind;
    const char *target;
    int lang;
    const char *expr;
} pol;

typedef struct cred {
    const char *type;
    const char *cert, *ca; /* DER files */
    const char *key;       /* PEM private key of cert, for the proof */
} cred;

/* A TNTNegotiation up to its credentials: returns where its length goes. */
static size_t negotiation_head(buf *w, uint16_t round, uint8_t status, const pol *p, int np)
{
    size_t m = open_msg(w, 224);
    put(w, round, 2);
    put(w, status, 1);
    size_t pols = open_vec(w, 3);
    for (int i = 0; i < np; i++) {
        put(w, (uint32_t)p[i].kind, 1);
        put(w, (uint32_t)strlen(p[i].target), 1);
        put_mem(w, p[i].target, strlen(p[i].target));
        put(w, (uint32_t)p[i].lang, 1);
        put(w, (uint32_t)strlen(p[i].expr), 2);
        put_mem(w, p[i].expr, strlen(p[i].expr));
    }
    close_vec(w, pols, 3);
    return m;
}

static buf negotiation(uint16_t round, uint8_t status, const pol *p, int np, const cred *c, int nc)
{
    buf w = {0};
    size_t m = negotiation_head(&w, round, status, p, np);
    size_t creds = open_vec(&w, 3);
    for (int i = 0; i < nc; i++) {
        put(&w, (uint32_t)strlen(c[i].type), 1);
        put_mem(&w, c[i].type, strlen(c[i].type));
        size_t chain = open_vec(&w, 3);
        const char *files[2] = {c[i].cert, c[i].ca};
        for (int k = 0; k < 2 && files[k]; k++) {
            buf der = load(files[k]);
            put(&w, (uint32_t)der.n, 3);
            put_mem(&w, der.b, der.n);
            free(der.b);
        }
        close_vec(&w, chain, 3);
    }
    close_vec(&w, creds, 3);
    close_vec(&w, m, 3);
    return w;
}

/* A TNTProof for credentials c[0..nc) over the transcript so far; idx gives
 * each entry's credential_index (NULL: 0, 1, ...); flip flips one bit of
 * the signature of entry flip-1. */
static buf proof(sim *s, const cred *c, int nc, const uint16_t *idx, int flip)
{
    buf w = {0};
    size_t m = open_msg(&w, 225);
    size_t list = open_vec(&w, 2);
    for (int i = 0; i < nc; i++) {
        buf key = load(c[i].key);
        uint16_t alg;
        char why[256];
        if (!tnt_proof_pick_algorithm(key.b, key.n, client_algs, N_ALGS, &alg, why, sizeof why)) {
            fprintf(stderr, "no algorithm: %s\n", why);
            exit(1);
        }
        uint8_t sig[1024];
        size_t sig_len;
        if (!tnt_proof_sign(0x0303, key.b, key.n, true, alg, s->t.b, s->t.n, client_algs, N_ALGS,
                            sig, sizeof sig, &sig_len, why, sizeof why)) {
            fprintf(stderr, "cannot sign: %s\n", why);
            exit(1);
        }
        if (flip == i + 1)
            sig[sig_len / 2] ^= 0x08;
        put(&w, idx ? idx[i] : (uint32_t)i, 2);
        put(&w, alg, 2);
        put(&w, (uint32_t)sig_len, 2);
        put_mem(&w, sig, sig_len);
        free(key.b);
    }
    close_vec(&w, list, 2);
    close_vec(&w, m, 3);
    return w;
}

/* ---- scenario pieces ---- */

static const uint8_t SID[32] = {0x5e, 0x55, 0x10, 0x4d, 1,  2,  3,  4,  5,  6,  7,
                                8,    9,    10,   11,   12, 13, 14, 15, 16, 17, 18,
                                19,   20,   21,   22,   23, 24, 25, 26, 27, 28};
static const uint8_t SID0[32] = {0xaa, 0xbb};

static void end_handshake(sim *s)
{
    feed(s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_ccs(s->n, TNT_C2S, s->frame);
    s->epoch = s->hs;
    for (int d = 0; d < 2; d++)
        for (int i = 0; i < 12; i++)
            s->vd[d][i] = (uint8_t)(0x40 * (d + 1) + 0x10 * s->hs + i);
    feed(s, TNT_C2S, finished(s->vd[0]));
    tnt_nego_ccs(s->n, TNT_S2C, s->frame);
    feed(s, TNT_S2C, finished(s->vd[1]));
}

/* Handshake 1 in the clear (tnt: offer), then the hellos of a rehandshake
 * (handshake 2) under its keys with the given modes. */
static void initial_then_reneg(sim *s, int cmode, int smode, uint8_t lang)
{
    uint8_t none = 0;
    feed(s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(s);
    feed(s, TNT_S2C, empty_msg(TNT_HS_HELLO_REQUEST));
    uint8_t both[24];
    memcpy(both, s->vd[0], 12);
    memcpy(both + 12, s->vd[1], 12);
    feed(s, TNT_C2S, client_hello(NULL, 0, cmode, (ri){true, s->vd[0], 12}));
    feed(s, TNT_S2C, server_hello(SID, 32, smode, lang, (ri){true, both, 24}));
}

static const char SMB_POLICY[] = "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")";
static const char BBB_POLICY[] = "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")";
static const pol R1[1] = {{TNT_TARGET_RESOURCE, "GET /records/4711", 1, SMB_POLICY}};
static const pol R2[1] = {{TNT_TARGET_CREDENTIAL, "MedicalLicense", 1, BBB_POLICY}};
static cred accreditation, license, acme_accreditation;

static void set_alg(const char *alg)
{
    static char b[8][64];
    snprintf(b[0], 64, "clinic-%s.der", alg);
    snprintf(b[1], 64, "bbb-ca-%s.der", alg);
    snprintf(b[2], 64, "clinic-%s.key", alg);
    snprintf(b[3], 64, "physician-%s.der", alg);
    snprintf(b[4], 64, "smb-ca-%s.der", alg);
    snprintf(b[5], 64, "physician-%s.key", alg);
    accreditation = (cred){"Accreditation", b[0], b[1], b[2]};
    license = (cred){"MedicalLicense", b[3], b[4], b[5]};
    /* The same type label on a certificate from an unrelated CA. */
    acme_accreditation = (cred){"Accreditation", "physician-acme-rsa.der", "acme-ca-rsa.der",
                                "physician-acme-rsa.key"};
}

/* The five rounds of spec section 9. */
static void clinic_rounds(sim *s)
{
    feed(s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
    feed(s, TNT_S2C, proof(s, &accreditation, 1, NULL, 0));
    feed(s, TNT_C2S, negotiation(4, TNT_STATUS_CONTINUE, NULL, 0, &license, 1));
    feed(s, TNT_C2S, proof(s, &license, 1, NULL, 0));
    feed(s, TNT_S2C, negotiation(5, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0));
}

static uint32_t count(const tnt_nego *n, tnt_viol_code code)
{
    uint32_t nv, k = 0;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    for (uint32_t i = 0; i < nv; i++)
        k += v[i].code == code;
    return k;
}

static void dump(const tnt_nego *n)
{
    uint32_t nv, nn;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    const tnt_nego_note *t = tnt_nego_notes(n, &nn);
    for (uint32_t i = 0; i < nv; i++)
        fprintf(stderr, "  violation %s %s hs=%u round=%u frame=%llu: %s\n",
                tnt_viol_code_name(v[i].code), tnt_severity_name(v[i].severity), v[i].handshake,
                v[i].round, (unsigned long long)v[i].frame, v[i].message);
    for (uint32_t i = 0; i < nn; i++)
        fprintf(stderr, "  note hs=%u: %s\n", t[i].handshake, t[i].text);
}

/* Exactly `expect` violations, all of this code and severity. */
static const tnt_violation *only(const tnt_nego *n, tnt_viol_code code, tnt_severity sev,
                                 uint32_t expect)
{
    uint32_t nv;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    CHECK_EQ(nv, expect);
    CHECK_EQ(count(n, code), expect);
    for (uint32_t i = 0; i < nv; i++)
        CHECK_EQ(v[i].severity, sev);
    if (nv != expect || count(n, code) != expect)
        dump(n);
    return nv ? v : NULL;
}

static uint32_t n_notes(const tnt_nego *n)
{
    uint32_t k;
    tnt_nego_notes(n, &k);
    return k;
}

static bool has_note(const tnt_nego *n, const char *text)
{
    uint32_t k;
    const tnt_nego_note *t = tnt_nego_notes(n, &k);
    for (uint32_t i = 0; i < k; i++)
        if (strcmp(t[i].text, text) == 0)
            return true;
    dump(n);
    return false;
}

/* ---- tests ---- */

static void test_clinic(const char *alg, const tnt_anchor_set *anchors, tnt_session_store *st)
{
    set_alg(alg);
    sim s;
    sim_init(&s, st, 1, anchors);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, TNT_LANG_DN_EXPRESSION);
    clinic_rounds(&s);
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK_EQ(n_notes(s.n), 0);
    CHECK_EQ(tnt_nego_n_handshakes(s.n), 2);

    const tnt_nego_hs *h1 = tnt_nego_handshake(s.n, 0);
    CHECK_EQ(h1->index, 1);
    CHECK(!h1->has_negotiation);
    CHECK_EQ(h1->outcome, TNT_OUTCOME_NONE);
    CHECK_EQ(h1->ri, TNT_RI_VERIFIED);
    CHECK_EQ(h1->client_mode, TNT_MODE_OFFER);
    CHECK(!h1->trust_established);

    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK(h && h->encrypted && h->start_seen && !h->lossy && h->completed);
    CHECK_EQ(h->ri, TNT_RI_VERIFIED);
    CHECK_EQ(h->language, TNT_LANG_DN_EXPRESSION);
    CHECK_EQ(h->strategy, TNT_STRATEGY_PARSIMONIOUS);
    CHECK_STR(h->target, "GET /records/4711");
    CHECK_EQ(h->outcome, TNT_OUTCOME_SUCCESS);
    CHECK_EQ(h->final_by, TNT_S2C);
    CHECK_EQ(h->final_round, 5);
    CHECK(h->trust_established);
    CHECK(!h->insecure);
    CHECK(h->reason == NULL);
    CHECK_EQ(h->n_rounds, 5);
    for (uint32_t i = 0; i < h->n_rounds; i++) {
        CHECK_EQ(h->rounds[i].position, i + 1);
        CHECK_EQ(h->rounds[i].round, i + 1);
        CHECK_EQ(h->rounds[i].sender, i % 2 ? TNT_C2S : TNT_S2C);
        CHECK(!h->rounds[i].in_clear);
    }
    CHECK_EQ(h->rounds[4].status, TNT_STATUS_SUCCESS);
    CHECK(h->rounds[2].has_proof && h->rounds[3].has_proof && !h->rounds[0].has_proof);
    CHECK_EQ(h->rounds[2].proof_frame, h->rounds[2].frame + 1);

    CHECK_EQ(h->n_policies, 2);
    const tnt_nego_policy *p0 = &h->policies[0], *p1 = &h->policies[1];
    tnt_verdict want = anchors ? TNT_VERDICT_SATISFIED : TNT_VERDICT_UNVERIFIED;
    CHECK_EQ(p0->sender, TNT_S2C);
    CHECK_EQ(p0->target_kind, TNT_TARGET_RESOURCE);
    CHECK_STR(p0->expression, SMB_POLICY);
    CHECK(p0->tree && !p0->malformed && p0->evaluated);
    CHECK_EQ(p0->verdict, want);
    CHECK_EQ(p0->satisfied_in_round, 4);
    CHECK_EQ(p0->n_by, 1);
    CHECK_EQ(p0->n_by ? p0->by[0] : 99, 1);
    CHECK(p0->failing == NULL);
    CHECK_EQ(p1->sender, TNT_C2S);
    CHECK_STR(p1->target, "MedicalLicense");
    CHECK_EQ(p1->verdict, want);
    CHECK_EQ(p1->satisfied_in_round, 3);
    CHECK_EQ(p1->n_by ? p1->by[0] : 99, 0);
    if (!anchors)
        CHECK_STR(p1->reason, "issuer.O=\"Better Business Bureau\" not verified: chain not "
                              "validated (no trust anchors given)");
    /* Both policies rest on an issuer constraint: verified only with anchors. */
    CHECK_EQ(p0->issuer_verified, anchors ? TNT_TRI_YES : TNT_TRI_NO);
    CHECK_EQ(p1->issuer_verified, anchors ? TNT_TRI_YES : TNT_TRI_NO);
    /* A completed handshake: Finished sent, no alert; the server asked for it. */
    CHECK(!h->finished_absent && !h->ended_by_alert && !h1->finished_absent);
    CHECK_EQ(h1->initiator, TNT_C2S);
    CHECK_EQ(h->initiator, TNT_S2C);

    CHECK_EQ(h->n_creds, 2);
    const tnt_nego_cred *c0 = &h->creds[0], *c1 = &h->creds[1];
    CHECK_STR(c0->type, "Accreditation");
    CHECK_EQ(c0->sender, TNT_S2C);
    CHECK_EQ(c0->round, 3);
    CHECK_EQ(c0->n_certs, 2);
    CHECK_STR(c0->subject, "CN=Riverside Clinic,OU=Accredited Clinics,O=Riverside Clinic,"
                           "L=Lausanne,C=CH");
    CHECK_STR(c0->issuer, "CN=BBB Accreditation CA,O=Better Business Bureau,C=CH");
    CHECK_EQ(c0->proof, TNT_PROOF_VALID);
    CHECK_EQ(c1->proof, TNT_PROOF_VALID);
    CHECK_STR(c1->type, "MedicalLicense");
    CHECK_EQ(c1->round, 4);
    CHECK_STR(c1->issuer, "CN=State Medical Board Licensing CA,O=State Medical Board,ST=Vaud,C=CH");
    /* Spec section 6: not validated without anchors, validated with them. */
    CHECK_EQ(c0->chain, anchors ? TNT_CHAIN_VALID : TNT_CHAIN_NOT_VALIDATED);
    CHECK_EQ(c1->chain, anchors ? TNT_CHAIN_VALID : TNT_CHAIN_NOT_VALIDATED);
    if (anchors)
        CHECK(c0->chain_reason == NULL && c1->chain_reason == NULL);
    else
        CHECK_STR(c1->chain_reason, "no trust anchors given");
    CHECK(c0->has_algorithm);
    CHECK_EQ(c0->algorithm, strcmp(alg, "rsa") == 0 ? 0x0804 : 0x0403);
    /* SHA-256 of the first certificate, computed independently. */
    buf der = load(accreditation.cert);
    uint8_t md[32];
    CHECK(gnutls_hash_fast(GNUTLS_DIG_SHA256, der.b, der.n, md) == 0);
    CHECK(c0->have_sha256);
    CHECK_MEM(c0->sha256, md, 32);
    free(der.b);

    /* The session this handshake established. */
    if (st) {
        const tnt_session_entry *e = tnt_session_store_find(st, SID, 32);
        CHECK(e && e->trust && !e->insecure);
        CHECK(e && e->handshake == 2 && e->conn_id == 1);
        CHECK_STR(e ? e->target : NULL, "GET /records/4711");
        /* The initial handshake's session: established without trust. */
        e = tnt_session_store_find(st, SID0, 2);
        CHECK(e && !e->trust);
    }
    sim_free(&s);
}

/* A TNTNegotiation whose one credential, "Filler", is the clinic's
 * certificate followed by `junk` bytes standing for a second certificate:
 * `junk` sets the handshake's kept bytes to the byte. */
static buf negotiation_filler(uint16_t round, const pol *p, int np, size_t junk)
{
    buf w = {0};
    size_t m = negotiation_head(&w, round, TNT_STATUS_CONTINUE, p, np);
    size_t creds = open_vec(&w, 3);
    put(&w, 6, 1);
    put_mem(&w, "Filler", 6);
    size_t chain = open_vec(&w, 3);
    buf der = load(accreditation.cert);
    put(&w, (uint32_t)der.n, 3);
    put_mem(&w, der.b, der.n);
    free(der.b);
    put(&w, (uint32_t)junk, 3);
    size_t at = w.n;
    for (size_t i = 0; i < junk; i += 4096) {
        uint8_t z[4096] = {0};
        put_mem(&w, z, junk - i < sizeof z ? junk - i : sizeof z);
    }
    CHECK_EQ(w.n - at, junk);
    close_vec(&w, chain, 3);
    close_vec(&w, creds, 3);
    close_vec(&w, m, 3);
    return w;
}

static size_t der_len(const char *file)
{
    buf der = load(file);
    size_t n = der.n;
    free(der.b);
    return n;
}

/* The limit tests' end: the client's TNTProof of its MedicalLicense (its
 * last message), the server's success in round 3, the end of handshake 2;
 * no violation. */
static const tnt_nego_hs *license_proof_then_success(sim *s)
{
    feed(s, TNT_C2S, proof(s, &license, 1, NULL, 0));
    feed(s, TNT_S2C, negotiation(3, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0));
    end_handshake(s);
    tnt_nego_finish(s->n);
    only(s->n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s->n, 2);
    CHECK(h != NULL);
    return h;
}

/* Credentials kept for evaluation (docs/robustness.md, "Limits"): the
 * server's round 1 discloses certificate bytes so that the client's
 * MedicalLicense of round 2 brings the handshake to exactly
 * TNT_NEGO_MAX_KEPT (kept: its proof checked, its chain validated, the
 * server's policy satisfied by it), or one byte past it (not kept: proof and
 * chain unchecked for that reason, and the policy that needed it
 * undetermined, never "not satisfied" nor "disclosed no MedicalLicense"). */
static void test_kept_limit(const tnt_anchor_set *anchors)
{
    set_alg("rsa");
    cred filler = {"Filler", accreditation.cert, NULL, accreditation.key};
    size_t fixed = der_len(accreditation.cert) + der_len(license.cert) + der_len(license.ca);
    for (int past = 0; past <= 1; past++) {
        sim s;
        sim_init(&s, NULL, 1, anchors);
        initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, TNT_LANG_DN_EXPRESSION);
        feed(&s, TNT_S2C, negotiation_filler(1, R1, 1, TNT_NEGO_MAX_KEPT - fixed + past));
        feed(&s, TNT_S2C, proof(&s, &filler, 1, NULL, 0));
        feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, NULL, 0, &license, 1));
        const tnt_nego_hs *h = license_proof_then_success(&s);
        if (!h)
            break;
        CHECK_EQ(h->n_creds, 2);
        const tnt_nego_cred *f = &h->creds[0], *c = &h->creds[1];
        CHECK(f->kept);
        CHECK_EQ(f->proof, TNT_PROOF_VALID);
        CHECK_STR(c->type, "MedicalLicense");
        CHECK_EQ(c->n_certs, 2);
        /* Shown either way: who it names, and its digest. */
        CHECK_STR(c->issuer,
                  "CN=State Medical Board Licensing CA,O=State Medical Board,ST=Vaud,C=CH");
        CHECK(c->subject != NULL);
        CHECK(c->have_sha256);
        const tnt_nego_policy *q = &h->policies[0];
        CHECK_EQ(h->n_policies, 1);
        CHECK(q->evaluated);
        if (!past) {
            CHECK(c->kept);
            CHECK_EQ(c->wire.n_certs, 2);
            CHECK_EQ(c->proof, TNT_PROOF_VALID);
            CHECK_EQ(c->chain, TNT_CHAIN_VALID);
            CHECK_EQ(q->verdict, TNT_VERDICT_SATISFIED);
            CHECK_EQ(q->n_by, 1);
            CHECK_EQ(q->n_by ? q->by[0] : 99, 1);
            CHECK_EQ(q->satisfied_in_round, 2);
            CHECK_EQ(n_notes(s.n), 0);
        } else {
            CHECK(!c->kept);
            CHECK_EQ(c->wire.n_certs, 0);
            CHECK_EQ(c->proof, TNT_PROOF_UNCHECKED);
            CHECK_STR(c->proof_reason, "certificate chain too large to keep");
            CHECK_EQ(c->chain, TNT_CHAIN_NOT_VALIDATED);
            CHECK_STR(c->chain_reason, "certificate chain too large to keep");
            CHECK(has_note(s.n, "proof of credential #0 in round 2 unchecked: certificate chain "
                                "too large to keep"));
            CHECK_EQ(q->verdict, TNT_VERDICT_UNDETERMINED);
            CHECK(q->failing == NULL);
            CHECK_EQ(q->satisfied_in_round, 0);
            CHECK_STR(q->reason, "credentials of the client beyond the 16 MiB kept per handshake "
                                 "were not evaluated");
            CHECK_EQ(n_notes(s.n), 1);
        }
        CHECK_EQ(h->outcome, TNT_OUTCOME_SUCCESS);
        CHECK(h->trust_established);
        CHECK(!h->insecure);
        if (check_failures)
            dump(s.n);
        sim_free(&s);
    }
}

/* Policies evaluated per handshake (docs/robustness.md, "Limits"): each
 * side's first TNT_NEGO_MAX_EVAL dn_expression policies are evaluated, the
 * next one is shown but "not evaluated: too many policies in the
 * handshake", and said once. The count is per side: the client's own 1024
 * are evaluated whatever the server sent. */
static void test_eval_limit(void)
{
    set_alg("ec");
    enum { N = TNT_NEGO_MAX_EVAL + 1 };
    static pol sp[N], cp[TNT_NEGO_MAX_EVAL];
    static char targets[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(targets[i], sizeof targets[i], "GET /records/%d", i + 1);
        sp[i] = (pol){TNT_TARGET_RESOURCE, targets[i], TNT_LANG_DN_EXPRESSION, SMB_POLICY};
    }
    for (int i = 0; i < TNT_NEGO_MAX_EVAL; i++)
        cp[i] = (pol){TNT_TARGET_CREDENTIAL, "MedicalLicense", TNT_LANG_DN_EXPRESSION, "true"};
    for (int past = 0; past <= 1; past++) {
        int ns = TNT_NEGO_MAX_EVAL + past;
        sim s;
        sim_init(&s, NULL, 1, NULL);
        initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, TNT_LANG_DN_EXPRESSION);
        feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, sp, ns, NULL, 0));
        feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, cp, TNT_NEGO_MAX_EVAL, &license, 1));
        const tnt_nego_hs *h = license_proof_then_success(&s);
        if (!h)
            break;
        CHECK_EQ(h->n_policies, (uint32_t)(ns + TNT_NEGO_MAX_EVAL));
        uint32_t evaluated[2] = {0, 0}, unverified[2] = {0, 0};
        for (uint32_t i = 0; i < h->n_policies; i++) {
            const tnt_nego_policy *q = &h->policies[i];
            evaluated[q->sender] += q->evaluated;
            unverified[q->sender] += q->verdict == TNT_VERDICT_UNVERIFIED;
        }
        CHECK_EQ(evaluated[TNT_S2C], TNT_NEGO_MAX_EVAL);
        CHECK_EQ(unverified[TNT_S2C], TNT_NEGO_MAX_EVAL);
        CHECK_EQ(evaluated[TNT_C2S], TNT_NEGO_MAX_EVAL);
        /* The server's 1024th: evaluated, satisfied by the MedicalLicense. */
        const tnt_nego_policy *last = &h->policies[TNT_NEGO_MAX_EVAL - 1];
        CHECK_STR(last->target, "GET /records/1024");
        CHECK(last->evaluated);
        CHECK_EQ(last->verdict, TNT_VERDICT_UNVERIFIED);
        CHECK_EQ(last->n_by, 1);
        CHECK_EQ(last->satisfied_in_round, 2);
        if (!past) {
            CHECK_EQ(n_notes(s.n), 0);
        } else {
            const tnt_nego_policy *q = &h->policies[TNT_NEGO_MAX_EVAL];
            CHECK_STR(q->target, "GET /records/1025");
            CHECK(!q->evaluated);
            CHECK_EQ(q->verdict, TNT_VERDICT_UNDETERMINED);
            CHECK_STR(q->reason, "not evaluated: too many policies in the handshake");
            CHECK(q->failing == NULL);
            CHECK_EQ(q->satisfied_in_round, 0);
            CHECK(has_note(s.n, "server policies of handshake 2 beyond the 1024-th not evaluated"));
            CHECK_EQ(n_notes(s.n), 1);
        }
        CHECK(h->trust_established);
        sim_free(&s);
    }
}

static void test_failure_reason(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, NULL, 0, &acme_accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &acme_accreditation, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(4, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
    CHECK_EQ(h->final_by, TNT_C2S);
    CHECK_EQ(h->final_round, 4);
    CHECK(!h->trust_established && !h->insecure && h->completed);
    /* The whole cred() term, and the resource quoted as everywhere else. */
    CHECK_STR(h->reason, "client's policy on credential \"MedicalLicense\" requires "
                         "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\"); server "
                         "disclosed only Accreditation issued by O=\"Acme Trust\"");
    /* Failure by the client, no alert: nothing ended it but the handshake's own end. */
    CHECK(!h->ended_by_alert && !h->finished_absent);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_VALID);
    CHECK_EQ(h->policies[1].satisfied_in_round, 0);
    CHECK_EQ(h->policies[1].closest, 0);
    CHECK_EQ(h->policies[1].verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(h->policies[0].failing, "requires cred(\"MedicalLicense\", issuer.O=\"State Medical "
                                      "Board\"); client disclosed no MedicalLicense");
    CHECK_EQ(h->policies[0].closest, -1);
    sim_free(&s);

    /* The server gives up in round 3: it holds no accreditation. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_alert(s.n, TNT_S2C, 2, 49, ++s.frame);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
    CHECK_EQ(h->final_by, TNT_S2C);
    CHECK_STR(h->reason, "client's policy on credential \"MedicalLicense\" requires "
                         "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\"); server "
                         "disclosed no Accreditation");
    CHECK(!h->completed && !h->trust_established);
    /* Failure in round 3, then the server's fatal access_denied (49): the
     * alert ended it, and no Finished was ever sent. */
    CHECK(h->ended_by_alert);
    CHECK_EQ(h->alert_sender, TNT_S2C);
    CHECK_EQ(h->alert_desc, 49);
    CHECK_EQ(h->final_round, 3);
    CHECK(h->finished_absent);
    CHECK(!tnt_nego_handshake_by_index(s.n, 1)->finished_absent);
    CHECK(!tnt_nego_handshake_by_index(s.n, 1)->ended_by_alert);
    sim_free(&s);

    /* A fatal alert with no policy to blame. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C,
         negotiation(1, TNT_STATUS_CONTINUE, (pol[]){{TNT_TARGET_RESOURCE, "GET /", 1, "true"}}, 1,
                     NULL, 0));
    tnt_nego_alert(s.n, TNT_C2S, 2, 40, ++s.frame);
    tnt_nego_finish(s.n);
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
    CHECK_STR(h->reason, "client sent a fatal handshake_failure alert after round 1");
    CHECK(h->ended_by_alert && h->finished_absent);
    CHECK_EQ(h->alert_sender, TNT_C2S);
    CHECK_EQ(h->alert_desc, 40);
    CHECK_EQ(h->policies[0].satisfied_in_round, 1);
    CHECK_EQ(h->policies[0].verdict, TNT_VERDICT_SATISFIED);
    sim_free(&s);
}

static void test_proof_invalid(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 1));
    uint64_t proof_frame = s.frame;
    feed(&s, TNT_C2S, negotiation(4, TNT_STATUS_CONTINUE, NULL, 0, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(5, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_PROOF_INVALID, TNT_SEV_ERROR, 1);
    if (v) {
        CHECK_EQ(v->handshake, 2);
        CHECK_EQ(v->round, 3);
        CHECK_EQ(v->frame, proof_frame);
        CHECK_EQ(v->dir, TNT_S2C);
    }
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_INVALID);
    CHECK_EQ(h->creds[1].proof, TNT_PROOF_VALID);
    /* The credential counts as undisclosed. */
    CHECK_EQ(h->policies[1].verdict, TNT_VERDICT_NOT_SATISFIED);
    CHECK_STR(h->policies[1].failing, "requires cred(\"Accreditation\", issuer.O=\"Better "
                                      "Business Bureau\"); server disclosed Accreditation with "
                                      "an invalid proof");
    /* Trust still established, but with an error violation: insecure. */
    CHECK(h->trust_established && h->insecure);
    sim_free(&s);
}

static void test_transcript_incomplete(void)
{
    set_alg("ec");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    s.complete = false; /* e.g. the transcript overflowed in the connection layer */
    clinic_rounds(&s);
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_UNCHECKED);
    CHECK_EQ(h->creds[1].proof, TNT_PROOF_UNCHECKED);
    CHECK(has_note(s.n, "proof of credential #0 in round 3 unchecked: transcript incomplete"));
    CHECK(has_note(s.n, "proof of credential #0 in round 4 unchecked: transcript incomplete"));
    CHECK_EQ(n_notes(s.n), 2);
    CHECK_EQ(h->policies[0].verdict, TNT_VERDICT_UNDETERMINED);
    CHECK_EQ(h->policies[0].satisfied_in_round, 0);
    CHECK(h->policies[0].failing == NULL);
    CHECK(h->trust_established); /* the server said success */
    sim_free(&s);
}

static void test_client_success(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_SUCCESS, NULL, 0, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    uint64_t f = s.frame - 1;
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_CLIENT_SUCCESS, TNT_SEV_ERROR, 1);
    if (v) {
        CHECK_EQ(v->round, 2);
        CHECK_EQ(v->frame, f);
        CHECK_EQ(v->dir, TNT_C2S);
    }
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->outcome, TNT_OUTCOME_SUCCESS);
    CHECK_EQ(h->final_round, 3); /* the client's success does not count */
    CHECK(h->trust_established && h->insecure);
    sim_free(&s);
}

static void test_round_out_of_order(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(4, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(4, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_ROUND_OUT_OF_ORDER, TNT_SEV_ERROR, 1);
    if (v) {
        CHECK_EQ(v->round, 4);
        CHECK_STR(v->message, "TNTNegotiation #3 of handshake 2 carries round 4");
    }
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_VALID);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
    CHECK_EQ(h->policies[1].satisfied_in_round, 4); /* the carried number of position 3 */
    sim_free(&s);
}

static void test_wrong_sender(void)
{
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_WRONG_SENDER, TNT_SEV_ERROR, 1);
    if (v) {
        CHECK_EQ(v->round, 2);
        CHECK_EQ(v->dir, TNT_S2C);
    }
    sim_free(&s);
}

/* negotiate in the initial handshake: unconfidential, and the client's
 * license is protected by its own policy. */
static void test_in_clear(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    uint8_t none = 0;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0}));
    clinic_rounds(&s);
    end_handshake(&s);
    tnt_nego_finish(s.n);
    uint32_t nv;
    const tnt_violation *v = tnt_nego_violations(s.n, &nv);
    CHECK_EQ(nv, 2);
    CHECK_EQ(count(s.n, TNT_V_TNT_IN_CLEAR), 1);
    CHECK_EQ(count(s.n, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR), 1);
    if (nv == 2) {
        CHECK_EQ(v[0].code, TNT_V_TNT_IN_CLEAR);
        CHECK_EQ(v[0].severity, TNT_SEV_WARNING);
        CHECK_EQ(v[0].round, 1);
        CHECK_EQ(v[1].code, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR);
        CHECK_EQ(v[1].severity, TNT_SEV_ERROR);
        CHECK_EQ(v[1].round, 4);
        CHECK_EQ(v[1].dir, TNT_C2S);
        CHECK_STR(v[1].message, "client disclosed credential MedicalLicense (#0 of round 4) in "
                                "the clear although its own policy protects it");
    } else {
        dump(s.n);
    }
    const tnt_nego_hs *h = tnt_nego_handshake(s.n, 0);
    CHECK(!h->encrypted && h->rounds[0].in_clear);
    CHECK(h->trust_established && h->insecure);
    CHECK_EQ(h->ri, TNT_RI_VERIFIED);
    sim_free(&s);

    /* The policy may come after the credential; a `true` policy protects nothing. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0}));
    const pol mine[2] = {{TNT_TARGET_RESOURCE, "GET /", 1, "true"},
                         {TNT_TARGET_CREDENTIAL, "Accreditation", 1, "true"}};
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, mine, 2, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, NULL, 0, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    const pol late[1] = {{TNT_TARGET_CREDENTIAL, "MedicalLicense", 1, BBB_POLICY}};
    feed(&s, TNT_C2S, negotiation(3, TNT_STATUS_FAILURE, late, 1, NULL, 0));
    tnt_nego_finish(s.n);
    CHECK_EQ(count(s.n, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR), 1);
    CHECK_EQ(count(s.n, TNT_V_TNT_IN_CLEAR), 1);
    CHECK_EQ(count(s.n, TNT_V_WRONG_SENDER), 1); /* round 3 from the client */
    sim_free(&s);
}

static void test_not_negotiated(void)
{
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_OFFER, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_TNT_NOT_NEGOTIATED, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "TNT messages in handshake 2 whose ServerHello answers tnt: offer");
    sim_free(&s);

    /* No tnt extension at all in the ServerHello. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, -1, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_FAILURE, R1, 1, NULL, 0));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_TNT_NOT_NEGOTIATED, TNT_SEV_ERROR, 1);
    sim_free(&s);
}

static void test_language(void)
{
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, TNT_LANG_DN_EXPRESSION);
    const pol xml[1] = {
        {TNT_TARGET_RESOURCE, "GET /records/4711", TNT_LANG_XML_POLICY, "<policy/>"}};
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, xml, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_POLICY_LANGUAGE_NOT_NEGOTIATED, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message,
                  "server policy on resource \"GET /records/4711\" is in xml_policy; the "
                  "ServerHello chose dn_expression");
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK(!h->policies[0].evaluated);
    CHECK_STR(h->target, "GET /records/4711");
    sim_free(&s);
}

static void test_empty_round(void)
{
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_EMPTY_ROUND, TNT_SEV_WARNING, 1);
    if (v)
        CHECK_EQ(v->round, 2);
    /* The server blames the client for its resource policy. */
    CHECK_STR(tnt_nego_handshake_by_index(s.n, 2)->reason,
              "server's policy on resource \"GET /records/4711\" requires "
              "cred(\"MedicalLicense\", "
              "issuer.O=\"State Medical Board\"); client disclosed no MedicalLicense");
    sim_free(&s);
}

static void test_proof_missing(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
    uint64_t f3 = s.frame;
    feed(&s, TNT_C2S, negotiation(4, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    uint64_t fdone = s.frame;
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, 1);
    /* The client's round 4 came in between: the message names the
     * server's own next message, which is what the rule is about. */
    char want[160];
    snprintf(want, sizeof want,
             "server TNTNegotiation round 3 discloses 1 credential; the server's next message is "
             "ServerHelloDone (frame %llu), not a TNTProof",
             (unsigned long long)fdone);
    if (v) {
        CHECK_EQ(v->round, 3);
        CHECK_EQ(v->frame, f3);
        CHECK_STR(v->message, want);
    }
    CHECK_EQ(tnt_nego_handshake_by_index(s.n, 2)->creds[0].proof, TNT_PROOF_MISSING);
    sim_free(&s);

    /* Two credentials, one proof entry. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    cred two[2] = {license, accreditation};
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, NULL, 0, two, 2));
    uint16_t idx[1] = {1};
    feed(&s, TNT_C2S, proof(&s, &two[1], 1, idx, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message,
                  "credential #0 (MedicalLicense) of round 2 has no entry in the TNTProof");
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_MISSING);
    CHECK_EQ(h->creds[1].proof, TNT_PROOF_VALID);
    CHECK_STR(h->reason, "server's policy on resource \"GET /records/4711\" requires "
                         "cred(\"MedicalLicense\", "
                         "issuer.O=\"State Medical Board\"); client disclosed MedicalLicense "
                         "without a proof");
    sim_free(&s);

    /* The sender's next message is its fatal alert. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &accreditation, 1));
    tnt_nego_alert(s.n, TNT_S2C, 2, 49, ++s.frame);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, 1);
    snprintf(want, sizeof want,
             "server TNTNegotiation round 1 discloses 1 credential; the server's next message is "
             "a fatal access_denied alert (frame %llu), not a TNTProof",
             (unsigned long long)s.frame);
    if (v)
        CHECK_STR(v->message, want);
    sim_free(&s);

    /* The other side's fatal alert ends the handshake first. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &accreditation, 1));
    tnt_nego_alert(s.n, TNT_C2S, 2, 40, ++s.frame);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_PROOF_MISSING, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "server TNTNegotiation round 1 discloses 1 credential; the server "
                              "sent no TNTProof before the end of the handshake");
    sim_free(&s);

    /* Capture ends right after the credential: not judged. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &accreditation, 1));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK(has_note(s.n, "proofs of round 1 unchecked: capture ends before the next message of "
                        "its sender"));
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_UNCHECKED);
    CHECK_EQ(h->outcome, TNT_OUTCOME_INCOMPLETE);
    sim_free(&s);
}

static void test_proof_unexpected(void)
{
    set_alg("rsa");
    sim s;
    /* After a TNTNegotiation without credentials. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_PROOF_UNEXPECTED, TNT_SEV_ERROR, 1);
    sim_free(&s);

    /* An index out of range, and one given twice. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &accreditation, 1));
    cred three[3] = {accreditation, accreditation, accreditation};
    uint16_t idx[3] = {0, 5, 0};
    feed(&s, TNT_S2C, proof(&s, three, 3, idx, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_PROOF_UNEXPECTED, TNT_SEV_ERROR, 2);
    if (v) {
        CHECK_STR(v[0].message, "TNTProof entry for credential #5, but round 1 disclosed 1");
        CHECK_STR(v[1].message, "TNTProof gives credential #0 of round 1 a second proof");
    }
    CHECK_EQ(tnt_nego_handshake_by_index(s.n, 2)->creds[0].proof, TNT_PROOF_VALID);
    sim_free(&s);
}

static void test_ri(void)
{
    uint8_t none = 0;
    sim s;
    /* The ServerHello of the rehandshake lacks renegotiation_info. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, s.vd[0], 12}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){false, NULL, 0}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 1);
    if (v)
        CHECK_STR(v->message, "the rehandshake's ServerHello lacks renegotiation_info");
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->ri, TNT_RI_ABSENT);
    sim_free(&s);

    /* The client's renegotiation_info names another handshake. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    uint8_t wrong[12] = {1, 2, 3};
    uint8_t both[24];
    memcpy(both, s.vd[0], 12);
    memcpy(both + 12, s.vd[1], 12);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, wrong, 12}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){true, both, 24}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_RENEGOTIATION_INFO_MISMATCH, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "renegotiation_info of the ClientHello differs from "
                              "the Finished verify_data of handshake 1");
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->ri, TNT_RI_MISMATCH);
    sim_free(&s);

    /* Non-empty in an initial handshake. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, wrong, 12}));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_RENEGOTIATION_INFO_MISMATCH, TNT_SEV_ERROR, 1);
    sim_free(&s);

    /* The previous Finished unreadable: unchecked, not reported. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    tnt_nego_ccs(s.n, TNT_C2S, ++s.frame);
    tnt_nego_ccs(s.n, TNT_S2C, ++s.frame);
    s.epoch = 1;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, wrong, 12}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){true, both, 24}));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->ri, TNT_RI_UNCHECKED);
    CHECK(has_note(s.n, "renegotiation_info of handshake 2 unchecked: Finished of handshake 1 "
                        "not visible"));
    CHECK(tnt_nego_handshake(s.n, 0)->completed && tnt_nego_handshake(s.n, 0)->completion_inferred);
    sim_free(&s);
}

/* Abbreviated handshake resuming `sid` with tnt: resume on both hellos. */
static void resume(sim *s, const uint8_t *sid, size_t len)
{
    uint8_t none = 0;
    feed(s, TNT_C2S, client_hello(sid, len, TNT_MODE_RESUME, (ri){true, &none, 0}));
    feed(s, TNT_S2C, server_hello(sid, len, TNT_MODE_RESUME, 1, (ri){true, &none, 0}));
    s->epoch = 1;
    feed(s, TNT_S2C, finished(s->vd[1]));
    feed(s, TNT_C2S, finished(s->vd[0]));
}

static void test_resume(void)
{
    tnt_session_store *st = tnt_session_store_new();
    test_clinic("rsa", NULL, st); /* connection 1 establishes SID with trust */

    sim s;
    sim_init(&s, st, 2, NULL);
    resume(&s, SID, 32);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    const tnt_nego_hs *h = tnt_nego_handshake(s.n, 0);
    CHECK(h->resumed && h->resume_answered && h->linked && h->link_known && h->link.trust);
    CHECK_EQ(h->link.conn_id, 1);
    CHECK_EQ(h->link.handshake, 2);
    CHECK(!h->link.insecure);
    CHECK_STR(h->target, "GET /records/4711");
    CHECK(h->trust_established && !h->insecure);
    CHECK(!h->has_negotiation);
    sim_free(&s);

    /* A session this input never saw established: info. */
    sim_init(&s, st, 3, NULL);
    static const uint8_t other[4] = {9, 9, 9, 9};
    resume(&s, other, 4);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_INFO, 1);
    if (v)
        CHECK_STR(v->message, "tnt: resume answered for session 09090909, whose establishing "
                              "handshake is not in the input");
    CHECK(!tnt_nego_handshake(s.n, 0)->trust_established);
    CHECK(!tnt_nego_handshake(s.n, 0)->link_known);
    sim_free(&s);

    /* A session established without trust (connection 1's initial handshake): error. */
    sim_init(&s, st, 4, NULL);
    resume(&s, SID0, 2);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "tnt: resume answered for session aabb, which handshake 1 of "
                              "connection 1 established without trust");
    h = tnt_nego_handshake(s.n, 0);
    CHECK(!h->trust_established);
    /* The handshake names the same establishing handshake as the violation
     * (established_by, with trust false), but is not linked to trust. */
    CHECK(h->link_known && !h->linked && !h->link.trust);
    CHECK_EQ(h->link.conn_id, 1);
    CHECK_EQ(h->link.handshake, 1);
    sim_free(&s);

    /* Without a store every resume answer is unknown. */
    sim_init(&s, NULL, 5, NULL);
    resume(&s, SID, 32);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_INFO, 1);
    sim_free(&s);
    tnt_session_store_free(st);
}

/* What the reviewer of the sample decodes asked to be visible: the
 * failure reason when issuers were not verified, a forged issuer's chain,
 * the initiator of a client-initiated rehandshake, a declined resume, and
 * a handshake that ends without any Finished. */
static void test_review(const tnt_anchor_set *user)
{
    set_alg("rsa");
    for (int with = 0; with < 2; with++) {
        sim s;
        sim_init(&s, NULL, 1, with ? user : NULL);
        initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
        feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
        feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
        feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
        feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
        feed(&s, TNT_C2S, negotiation(4, TNT_STATUS_CONTINUE, NULL, 0, &license, 1));
        feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
        feed(&s, TNT_S2C, negotiation(5, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
        end_handshake(&s);
        tnt_nego_finish(s.n);
        const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
        CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
        CHECK(!h->ended_by_alert && !h->finished_absent && h->completed);
        CHECK_STR(h->reason, with ? "server sent failure in round 5 although every policy seen is "
                                    "satisfied"
                                  : "server sent failure in round 5 although every policy seen is "
                                    "satisfied as far as can be judged without trust anchors "
                                    "(issuers not verified)");
        sim_free(&s);
    }

    /* An accreditation from Acme Trust against the BBB and SMB anchors. */
    sim s;
    sim_init(&s, NULL, 1, user);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &acme_accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &acme_accreditation, 1, NULL, 0));
    tnt_nego_finish(s.n);
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->n_creds, 1);
    CHECK_EQ(h->creds[0].chain, TNT_CHAIN_INVALID);
    CHECK_STR(h->creds[0].chain_reason,
              "The certificate is NOT trusted. The certificate issuer is unknown.");
    /* The capture ends after the hellos and a round: no Finished, no CCS. */
    CHECK(h->finished_absent && !h->ended_by_alert);
    sim_free(&s);

    /* A ChangeCipherSpec each way: Finished were sent, though unreadable. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_OFFER, TNT_MODE_OFFER, 1);
    tnt_nego_ccs(s.n, TNT_C2S, ++s.frame);
    tnt_nego_ccs(s.n, TNT_S2C, ++s.frame);
    tnt_nego_finish(s.n);
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK(h->completion_inferred && !h->finished_absent);
    sim_free(&s);

    /* A rehandshake with no HelloRequest before it: the client's. */
    sim_init(&s, NULL, 1, NULL);
    uint8_t none = 0;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    uint8_t both[24];
    memcpy(both, s.vd[0], 12);
    memcpy(both + 12, s.vd[1], 12);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, s.vd[0], 12}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, both, 24}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    CHECK_EQ(tnt_nego_n_handshakes(s.n), 2);
    CHECK_EQ(tnt_nego_handshake_by_index(s.n, 2)->initiator, TNT_C2S);
    sim_free(&s);

    /* tnt: resume answered with offer: a full handshake, and a note saying so. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(SID, 32, TNT_MODE_RESUME, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    uint32_t k;
    const tnt_nego_note *t = tnt_nego_notes(s.n, &k);
    CHECK_EQ(k, 1);
    if (k == 1) {
        CHECK_EQ(t[0].kind, TNT_NOTE_INFO);
        CHECK_EQ(t[0].handshake, 1);
        CHECK_STR(t[0].text, "resume of session 5e55104d0102030405060708090a0b0c0d0e0f10111213141"
                             "5161718191a1b1c declined by the server (tnt: offer): full handshake");
    }
    sim_free(&s);

    /* ... and answered without tnt at all, the TLS session resumed. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(SID0, 2, TNT_MODE_RESUME, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, -1, 1, (ri){true, &none, 0}));
    tnt_nego_finish(s.n);
    CHECK(has_note(s.n,
                   "resume of session aabb declined by the server (no tnt in its ServerHello): "
                   "TLS session resumed without TNT"));
    /* A resume answered with resume: no such note. */
    sim_free(&s);
    sim_init(&s, NULL, 1, NULL);
    resume(&s, SID0, 2);
    tnt_nego_finish(s.n);
    t = tnt_nego_notes(s.n, &k);
    for (uint32_t i = 0; i < k; i++)
        CHECK(t[i].kind != TNT_NOTE_INFO);
    sim_free(&s);
}

/* Spec section 3, revision 2: round number and sender are both judged by
 * the message's position, each once per message, and independently. */
static void test_position_rules(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    /* #2 from the client carrying 3: wrong round, right sender. */
    feed(&s, TNT_C2S, negotiation(3, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    /* #3 from the client carrying 2: both wrong. */
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, NULL, 0));
    /* #4 from the server carrying 4: right round, wrong sender. */
    feed(&s, TNT_S2C, negotiation(4, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_finish(s.n);
    uint32_t nv;
    const tnt_violation *v = tnt_nego_violations(s.n, &nv);
    CHECK_EQ(nv, 4);
    if (nv == 4) {
        CHECK_EQ(v[0].code, TNT_V_ROUND_OUT_OF_ORDER);
        CHECK_STR(v[0].message, "TNTNegotiation #2 of handshake 2 carries round 3");
        CHECK_EQ(v[1].code, TNT_V_ROUND_OUT_OF_ORDER);
        CHECK_STR(v[1].message, "TNTNegotiation #3 of handshake 2 carries round 2");
        CHECK_EQ(v[2].code, TNT_V_WRONG_SENDER);
        CHECK_STR(v[2].message, "TNTNegotiation #3 of handshake 2 comes from the client; round 3 "
                                "belongs to the server");
        CHECK_EQ(v[2].round, 2);
        CHECK_EQ(v[3].code, TNT_V_WRONG_SENDER);
        CHECK_STR(v[3].message, "TNTNegotiation #4 of handshake 2 comes from the server; round 4 "
                                "belongs to the client");
        for (int i = 0; i < 4; i++)
            CHECK_EQ(v[i].severity, TNT_SEV_ERROR);
    } else {
        dump(s.n);
    }
    sim_free(&s);

    /* A TNTNegotiation that does not decode still has a position and a
     * sender: the client cannot send #1. Its round is unknown: no
     * round-out-of-order. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    buf bad = negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0);
    bad.b[3]--; /* body one byte short: its credentials vector overruns */
    bad.n--;
    feed(&s, TNT_C2S, bad);
    uint64_t f = s.frame;
    feed(&s, TNT_S2C, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_SERVER_HELLO_DONE));
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_WRONG_SENDER, TNT_SEV_ERROR, 2);
    tnt_nego_violations(s.n, &nv);
    if (v && nv == 2) {
        CHECK_EQ(v[0].round, 0);
        CHECK_EQ(v[0].frame, f);
        CHECK_EQ(v[0].dir, TNT_C2S);
        CHECK_STR(v[0].message, "TNTNegotiation #1 of handshake 2 comes from the client; round 1 "
                                "belongs to the server");
        CHECK_EQ(v[1].dir, TNT_S2C);
    }
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK(!h->rounds[0].decoded);
    CHECK_EQ(h->rounds[1].position, 2);
    sim_free(&s);
}

/* Spec section 2: a tnt extension of another version is unknown, as if
 * absent; nothing is reported about it, but TNT messages after a
 * ServerHello that carries only such an extension are not negotiated. */
static void test_unknown_version(void)
{
    set_alg("rsa");
    sim s;
    uint8_t none = 0;
    /* The client's unknown version: nothing to report, nothing of TNT. */
    sim_init(&s, NULL, 1, NULL);
    tnt_version = 2;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    tnt_version = 1;
    feed(&s, TNT_S2C, server_hello(SID, 32, -1, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK_EQ(n_notes(s.n), 0);
    const tnt_nego_hs *h = tnt_nego_handshake(s.n, 0);
    CHECK(!h->client_tnt && !h->server_tnt && !h->has_negotiation);
    CHECK_EQ(h->outcome, TNT_OUTCOME_NONE);
    sim_free(&s);

    /* The server's: the rounds that follow are not negotiated. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    uint8_t both[24];
    memcpy(both, s.vd[0], 12);
    memcpy(both + 12, s.vd[1], 12);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, s.vd[0], 12}));
    tnt_version = 7;
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, both, 24}));
    tnt_version = 1;
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_TNT_NOT_NEGOTIATED, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "TNT messages in handshake 2 but its ServerHello carries tnt of an "
                              "unknown version");
    h = tnt_nego_handshake(s.n, 1);
    CHECK(h->client_tnt && !h->server_tnt);
    CHECK_EQ(h->language, 0);
    sim_free(&s);
}

/* A ServerHello that does not decode may have carried tnt: negotiate, so
 * the TNT messages after it are not judged as not negotiated. */
static void test_server_hello_unreadable(void)
{
    sim s;
    uint8_t none = 0;
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, s.vd[0], 12}));
    buf sh = server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0});
    sh.b[3] = 10; /* body cut inside the random */
    sh.n = 14;
    feed(&s, TNT_S2C, sh);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK(has_note(s.n, "whether handshake 2 negotiated TNT unchecked: ServerHello does not "
                        "decode"));
    sim_free(&s);
}

/* Spec section 8, renegotiation-info-missing: either hello of a
 * rehandshake, once per rehandshake, also when one hello never came; the
 * SCSV stands for the extension in an initial ClientHello only. */
static void test_ri_missing(void)
{
    uint8_t none = 0;
    sim s;
    /* The SCSV in the initial ClientHello: verified, nothing reported. */
    sim_init(&s, NULL, 1, NULL);
    with_scsv = true;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){false, NULL, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    /* ... but not in a rehandshake's. */
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){false, NULL, 0}));
    with_scsv = false;
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){false, NULL, 0}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    CHECK_EQ(tnt_nego_handshake(s.n, 0)->ri, TNT_RI_VERIFIED);
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->ri, TNT_RI_ABSENT);
    const tnt_violation *v = only(s.n, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 1);
    if (v) {
        CHECK_EQ(v->handshake, 2);
        CHECK_STR(v->message, "both hellos of the rehandshake lack renegotiation_info");
    }
    sim_free(&s);

    /* The server refuses a rehandshake whose ClientHello lacks it: no
     * ServerHello, still a rehandshake lacking it. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){false, NULL, 0}));
    uint64_t f = s.frame;
    tnt_nego_alert(s.n, TNT_S2C, 2, 40, ++s.frame);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 1);
    if (v) {
        CHECK_EQ(v->frame, f);
        CHECK_EQ(v->dir, TNT_C2S);
        CHECK_STR(v->message, "the rehandshake's ClientHello lacks renegotiation_info");
    }
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->ri, TNT_RI_ABSENT);
    sim_free(&s);

    /* The rehandshake's ClientHello unreadable, its ServerHello without it. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    buf ch = client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, s.vd[0], 12});
    ch.b[3] = 10;
    ch.n = 14;
    feed(&s, TNT_C2S, ch);
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){false, NULL, 0}));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_RENEGOTIATION_INFO_MISSING, TNT_SEV_WARNING, 1);
    if (v)
        CHECK_STR(v->message, "the rehandshake's ServerHello lacks renegotiation_info");
    sim_free(&s);

    /* Both present and matching, ClientHello unreadable: unchecked, a note. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    end_handshake(&s);
    uint8_t both[24];
    memcpy(both, s.vd[0], 12);
    memcpy(both + 12, s.vd[1], 12);
    ch = client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, s.vd[0], 12});
    ch.b[3] = 10;
    ch.n = 14;
    feed(&s, TNT_C2S, ch);
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_OFFER, 1, (ri){true, both, 24}));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK(has_note(s.n, "renegotiation_info of handshake 2 unchecked: ClientHello not seen"));
    sim_free(&s);
}

/* Spec section 3: final rounds may disclose credentials with their
 * TNTProof; after the client's failure the server goes on to
 * CertificateRequest / ServerHelloDone. None of it is a violation. */
static void test_final_rounds(void)
{
    set_alg("rsa");
    sim s;
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, R2, 1, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    feed(&s, TNT_S2C, empty_msg(TNT_HS_CERTIFICATE_REQUEST));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[0].proof, TNT_PROOF_VALID);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
    CHECK_EQ(h->final_by, TNT_C2S);
    CHECK(!h->trust_established);
    sim_free(&s);

    /* The server's success discloses its credential too. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_SUCCESS, NULL, 0, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->creds[1].proof, TNT_PROOF_VALID);
    CHECK_EQ(h->policies[1].verdict, TNT_VERDICT_UNVERIFIED); /* no anchors */
    CHECK(h->trust_established && !h->insecure);
    sim_free(&s);

    /* Spec section 7: trust is established by the server's success in a
     * completed full handshake; a failure sent before it does not cancel
     * it (and no section 8 code covers that order). */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    h = tnt_nego_handshake_by_index(s.n, 2);
    CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE); /* the first final round */
    CHECK(h->trust_established && !h->insecure);
    sim_free(&s);
}

/* Spec section 2: sensitive-credential-in-clear needs the discloser's own
 * policy in the same handshake, other than `true`; once per credential. */
static void test_sensitive_rules(void)
{
    set_alg("rsa");
    uint8_t none = 0;
    sim s;
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0}));
    /* The server's policy on the client's MedicalLicense type (protects
     * nothing of the client's), and its own `false` policy on Accreditation
     * (protects both of its Accreditation credentials). */
    const pol sp[3] = {{TNT_TARGET_RESOURCE, "GET /", 1, "true"},
                       {TNT_TARGET_CREDENTIAL, "MedicalLicense", 1, "false"},
                       {TNT_TARGET_CREDENTIAL, "Accreditation", 1, "false"}};
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, sp, 3, NULL, 0));
    cred two[2] = {license, license};
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, NULL, 0, two, 2));
    feed(&s, TNT_C2S, proof(&s, two, 2, NULL, 0));
    cred acc2[2] = {accreditation, accreditation};
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_SUCCESS, NULL, 0, acc2, 2));
    feed(&s, TNT_S2C, proof(&s, acc2, 2, NULL, 0));
    end_handshake(&s);
    tnt_nego_finish(s.n);
    CHECK_EQ(count(s.n, TNT_V_TNT_IN_CLEAR), 1);
    CHECK_EQ(count(s.n, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR), 2);
    uint32_t nv;
    const tnt_violation *v = tnt_nego_violations(s.n, &nv);
    CHECK_EQ(nv, 3);
    for (uint32_t i = 0; i < nv; i++)
        if (v[i].code == TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR)
            CHECK_EQ(v[i].dir, TNT_S2C);
    sim_free(&s);

    /* A policy sent in an earlier handshake does not protect. */
    sim_init(&s, NULL, 1, NULL);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0}));
    const pol mine[1] = {{TNT_TARGET_CREDENTIAL, "Accreditation", 1, BBB_POLICY}};
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_FAILURE, mine, 1, NULL, 0));
    end_handshake(&s);
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_NEGOTIATE, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID, 32, TNT_MODE_NEGOTIATE, 1, (ri){true, &none, 0}));
    s.epoch = 0; /* a new connection's worth of plaintext, for the rule's sake */
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_FAILURE, NULL, 0, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    tnt_nego_finish(s.n);
    CHECK_EQ(count(s.n, TNT_V_SENSITIVE_CREDENTIAL_IN_CLEAR), 0);
    sim_free(&s);
}

/* Spec section 8, resume-unknown-session: a session whose establishing
 * handshake lost server bytes is not shown established without trust. */
static void test_resume_lossy(void)
{
    tnt_session_store *st = tnt_session_store_new();
    set_alg("rsa");
    sim s;
    sim_init(&s, st, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_CONTINUE, R2, 1, &license, 1));
    feed(&s, TNT_C2S, proof(&s, &license, 1, NULL, 0));
    tnt_nego_gap(s.n, TNT_S2C, 900, ++s.frame); /* round 3 may have been success */
    end_handshake(&s);
    tnt_nego_finish(s.n);
    CHECK(!tnt_nego_handshake(s.n, 1)->trust_established);
    sim_free(&s);

    sim_init(&s, st, 2, NULL);
    resume(&s, SID, 32);
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_INFO, 1);
    if (v)
        CHECK_STR(v->message, "tnt: resume answered for session "
                              "5e55104d0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c, "
                              "which handshake 2 of connection 1 established; whether with trust "
                              "is not in the input (server bytes missing)");
    sim_free(&s);

    /* The same with the server's failure seen: shown without trust, error. */
    sim_init(&s, st, 3, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_FAILURE, R1, 1, NULL, 0));
    tnt_nego_gap(s.n, TNT_S2C, 900, ++s.frame);
    end_handshake(&s);
    tnt_nego_finish(s.n);
    sim_free(&s);
    sim_init(&s, st, 4, NULL);
    resume(&s, SID, 32);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_RESUME_UNKNOWN_SESSION, TNT_SEV_ERROR, 1);
    sim_free(&s);
    tnt_session_store_free(st);
}

static void test_lower_layers(void)
{
    sim s;
    /* A rehandshake inside records that cannot be decrypted. */
    sim_init(&s, NULL, 1, NULL);
    uint8_t none = 0;
    feed(&s, TNT_C2S, client_hello(NULL, 0, TNT_MODE_OFFER, (ri){true, &none, 0}));
    feed(&s, TNT_S2C, server_hello(SID0, 2, TNT_MODE_OFFER, 1, (ri){true, &none, 0}));
    tnt_nego_undecryptable(s.n, 2, 77);
    tnt_nego_undecryptable(s.n, 2, 78);
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_COUNT, TNT_SEV_ERROR, 0);
    CHECK(has_note(s.n, "handshake 2 encrypted without keys: TNT negotiation not visible"));
    CHECK_EQ(n_notes(s.n), 1);
    CHECK(tnt_nego_handshake(s.n, 1)->undecryptable);
    sim_free(&s);

    /* A gap inside the negotiation: positions unknown, nothing judged. */
    set_alg("rsa");
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    tnt_nego_gap(s.n, TNT_C2S, 1448, ++s.frame);
    s.complete = false;
    feed(&s, TNT_S2C, negotiation(5, TNT_STATUS_CONTINUE, NULL, 0, &accreditation, 1));
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
    tnt_nego_finish(s.n);
    const tnt_violation *v = only(s.n, TNT_V_TCP_GAP, TNT_SEV_WARNING, 1);
    if (v) {
        CHECK_EQ(v->handshake, 2);
        CHECK_EQ(v->dir, TNT_C2S);
    }
    CHECK(has_note(s.n, "round numbers and senders of handshake 2 unchecked from round 5 on: "
                        "messages missing"));
    CHECK(has_note(s.n, "proof of credential #0 in round 5 unchecked: transcript incomplete"));
    CHECK(tnt_nego_handshake(s.n, 1)->lossy);
    sim_free(&s);

    /* A corrupted handshake record of the server. */
    sim_init(&s, NULL, 1, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    feed(&s, TNT_S2C, negotiation(1, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    tnt_nego_decrypt_failed(s.n, TNT_S2C, 22, ++s.frame, "bad record MAC");
    feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0)); /* after the loss: not judged */
    tnt_nego_finish(s.n);
    v = only(s.n, TNT_V_DECRYPT_FAILED, TNT_SEV_ERROR, 1);
    if (v)
        CHECK_STR(v->message, "server record fails authentication: bad record MAC");
    CHECK(has_note(s.n, "server TNTProof unchecked: what precedes it is not known"));
    sim_free(&s);

    /* Capture began inside the rehandshake: no ClientHello. */
    sim_init(&s, NULL, 1, NULL);
    s.hs = 1;
    s.epoch = 0;
    feed(&s, TNT_S2C, negotiation(3, TNT_STATUS_CONTINUE, R1, 1, NULL, 0));
    tnt_nego_finish(s.n);
    only(s.n, TNT_V_TNT_IN_CLEAR, TNT_SEV_WARNING, 1);
    CHECK(has_note(s.n, "whether handshake 1 negotiated TNT unchecked: ServerHello not seen"));
    CHECK(has_note(s.n, "round numbers and senders of handshake 1 unchecked from round 3 on: "
                        "capture began inside the handshake"));
    sim_free(&s);
}

/* A Finished whose verify_data the connection layer found wrong. */
static void test_finished_hook(void)
{
    tnt_session_store *st = tnt_session_store_new();
    set_alg("ec");
    sim s;
    sim_init(&s, st, 7, NULL);
    initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
    clinic_rounds(&s);
    end_handshake(&s);
    CHECK(tnt_nego_handshake(s.n, 1)->trust_established);
    CHECK(!tnt_nego_handshake(s.n, 1)->insecure);
    tnt_nego_finished_checked(s.n, 2, TNT_S2C, false);
    CHECK(tnt_nego_handshake(s.n, 1)->insecure);
    CHECK_EQ(tnt_nego_handshake(s.n, 1)->finished_ok[TNT_S2C], TNT_TRI_NO);
    const tnt_session_entry *e = tnt_session_store_find(st, SID, 32);
    CHECK(e && e->trust && e->insecure);
    sim_free(&s);
    tnt_session_store_free(st);
}

/* Malformed TNT messages at every truncation: decoded == false reaches the
 * module, which must neither crash nor judge what it cannot read. */
static void test_truncated(void)
{
    set_alg("rsa");
    buf full = negotiation(1, TNT_STATUS_CONTINUE, R1, 1, &accreditation, 1);
    for (size_t cut = 4; cut < full.n; cut++) {
        sim s;
        sim_init(&s, NULL, 1, NULL);
        initial_then_reneg(&s, TNT_MODE_NEGOTIATE, TNT_MODE_NEGOTIATE, 1);
        buf m = {malloc(full.n), cut, full.n};
        memcpy(m.b, full.b, cut);
        uint32_t body = (uint32_t)(cut - 4);
        m.b[1] = (uint8_t)(body >> 16), m.b[2] = (uint8_t)(body >> 8), m.b[3] = (uint8_t)body;
        feed(&s, TNT_S2C, m);
        feed(&s, TNT_S2C, proof(&s, &accreditation, 1, NULL, 0));
        feed(&s, TNT_C2S, negotiation(2, TNT_STATUS_FAILURE, NULL, 0, NULL, 0));
        tnt_nego_finish(s.n);
        uint32_t nv;
        tnt_nego_violations(s.n, &nv);
        CHECK_EQ(nv, 0);
        const tnt_nego_hs *h = tnt_nego_handshake(s.n, 1);
        CHECK_EQ(h->n_rounds, 2);
        CHECK(!h->rounds[0].decoded);
        CHECK_EQ(h->outcome, TNT_OUTCOME_FAILURE);
        sim_free(&s);
    }
    free(full.b);
}

static void test_names(void)
{
    static const char *const want[TNT_V_COUNT] = {"tnt-in-clear",
                                                  "sensitive-credential-in-clear",
                                                  "proof-missing",
                                                  "proof-unexpected",
                                                  "proof-invalid",
                                                  "round-out-of-order",
                                                  "wrong-sender",
                                                  "client-success",
                                                  "tnt-not-negotiated",
                                                  "policy-language-not-negotiated",
                                                  "empty-round",
                                                  "renegotiation-info-missing",
                                                  "renegotiation-info-mismatch",
                                                  "resume-unknown-session",
                                                  "tcp-gap",
                                                  "decrypt-failed"};
    for (int i = 0; i < TNT_V_COUNT; i++)
        CHECK_STR(tnt_viol_code_name((tnt_viol_code)i), want[i]);
    CHECK_STR(tnt_viol_code_name(TNT_V_COUNT), "?");
    CHECK_STR(tnt_severity_name(TNT_SEV_INFO), "info");
    CHECK_STR(tnt_severity_name(TNT_SEV_WARNING), "warning");
    CHECK_STR(tnt_severity_name(TNT_SEV_ERROR), "error");
    CHECK_STR(tnt_ri_status_name(TNT_RI_VERIFIED), "verified");
    CHECK_STR(tnt_nego_outcome_name(TNT_OUTCOME_INCOMPLETE), "incomplete");
}

int main(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    snprintf(pki, sizeof(pki), "%s/pki", dir ? dir : "tests/data");
    tnt_arena A;
    tnt_arena_init(&A);
    tnt_anchor_set user;
    tnt_anchors_init(&user, &A);
    tnt_error err;
    char p1[600], p2[600], p3[600], p4[600];
    snprintf(p1, sizeof p1, "%s/bbb-ca-rsa.pem", pki);
    snprintf(p2, sizeof p2, "%s/smb-ca-rsa.pem", pki);
    snprintf(p3, sizeof p3, "%s/bbb-ca-ec.pem", pki);
    snprintf(p4, sizeof p4, "%s/smb-ca-ec.pem", pki);
    CHECK(tnt_anchors_add_file(&user, p1, NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&user, p2, NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&user, p3, NULL, 0, &err));
    CHECK(tnt_anchors_add_file(&user, p4, NULL, 0, &err));

    test_names();
    test_clinic("rsa", NULL, NULL);
    test_clinic("ec", NULL, NULL);
    test_clinic("rsa", &user, NULL);
    test_clinic("ec", &user, NULL);
    test_failure_reason();
    test_proof_invalid();
    test_transcript_incomplete();
    test_client_success();
    test_round_out_of_order();
    test_wrong_sender();
    test_in_clear();
    test_not_negotiated();
    test_language();
    test_empty_round();
    test_proof_missing();
    test_proof_unexpected();
    test_ri();
    test_resume();
    test_review(&user);
    test_lower_layers();
    test_finished_hook();
    test_truncated();
    test_position_rules();
    test_unknown_version();
    test_server_hello_unreadable();
    test_ri_missing();
    test_final_rounds();
    test_sensitive_rules();
    test_resume_lossy();
    test_kept_limit(&user);
    test_eval_limit();
    tnt_arena_free(&A);
    return check_done("negotiation");
}
