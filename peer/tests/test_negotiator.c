/* The negotiation engine, two instances talking to each other in memory:
 * every round goes through the real encoder and decoder
 * (tnt_enc_tnt_negotiation / tnt_negotiation_decode), on the PKI of
 * tests/data/pki (make_pki.sh). Each test pins the exact sequence of rounds:
 * sender, status, policies and credentials as they were on the wire. */
#include "check.h"
#include "tnt/codepoints.h"
#include "config.h"
#include "tnt/engine/encode.h"
#include "negotiator.h"

#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char pki[512];
static tnt_arena A;

#define MAX_ROUNDS 80
#define LINE 1024

/* A proof result chosen by the test for credential idx of a round; the
 * default is valid. Returning TNT_PROOF_MISSING for idx 0 with the whole
 * round missing is what `proofs == NULL` expresses, see missing_round. */
typedef tnt_proof_result (*proof_fn)(uint16_t round, uint32_t idx);
static int missing_round; /* this round arrives without a TNTProof */

typedef struct transcript {
    int n;
    char line[MAX_ROUNDS][LINE];
    char *log; /* every log line, "S3: ..." / "C4: ...", newline separated */
    size_t log_len, log_cap;
    tnt_neg_state server, client;
} transcript;

static void log_add(transcript *t, char who, uint16_t round, const tnt_neg_round *r)
{
    for (uint32_t i = 0; i < r->n_log; i++) {
        size_t need = strlen(r->log[i]) + 16;
        if (t->log_len + need + 1 > t->log_cap) {
            t->log_cap = (t->log_cap + need) * 2;
            t->log = realloc(t->log, t->log_cap);
        }
        t->log_len += (size_t)sprintf(t->log + t->log_len, "%c%u: %s\n", who, round, r->log[i]);
    }
}

static bool has_log(const transcript *t, const char *s)
{
    return t->log && strstr(t->log, s) != NULL;
}

/* One decoded round as "1 server continue | policies | credentials". */
static void format_round(char *out, const tnt_negotiation *m)
{
    int k = snprintf(out, LINE, "%u %s %s |", m->round.v, m->round.v % 2 ? "server" : "client",
                     tnt_status_name(m->status.v));
    for (uint32_t i = 0; i < m->n_policies; i++) {
        const tnt_policy *p = &m->policies[i];
        k += snprintf(out + k, LINE - (size_t)k, "%s %s \"%.*s\": %.*s", i ? ";" : "",
                      tnt_target_kind_name(p->target_kind.v), (int)p->target_name.len,
                      (const char *)p->target_name.p, (int)p->expression.len,
                      (const char *)p->expression.p);
    }
    if (!m->n_policies)
        k += snprintf(out + k, LINE - (size_t)k, " -");
    k += snprintf(out + k, LINE - (size_t)k, " |");
    for (uint32_t i = 0; i < m->n_credentials; i++)
        k += snprintf(out + k, LINE - (size_t)k, "%s %.*s", i ? "," : "",
                      (int)m->credentials[i].type.len, (const char *)m->credentials[i].type.p);
    if (!m->n_credentials)
        snprintf(out + k, LINE - (size_t)k, " -");
}

static const tnt_peer_config *config(const char *fmt, ...)
{
    char text[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    tnt_peer_config *c = tnt_arena_alloc(&A, sizeof(*c));
    char err[512];
    if (!tnt_peer_config_parse(text, strlen(text), "test.conf", pki, &A, c, err, sizeof(err))) {
        fprintf(stderr, "test config does not load: %s\n%s\n", err, text);
        exit(1);
    }
    return c;
}

/* Runs a whole negotiation; returns the number of rounds. */
static int run(const tnt_peer_config *scfg, const tnt_peer_config *ccfg, const char *resource,
               proof_fn proof, transcript *t)
{
    memset(t, 0, sizeof(*t));
    tnt_negotiator S, C;
    CHECK(tnt_negotiator_init(&S, TNT_NEG_SERVER, scfg, 0));
    CHECK(tnt_negotiator_init(&C, TNT_NEG_CLIENT, ccfg, 0));
    tnt_neg_round out;
    CHECK(tnt_negotiator_start(&S, resource, &out));
    log_add(t, 'S', out.round, &out);
    tnt_negotiator *from = &S, *to = &C;
    while (out.send && t->n < MAX_ROUNDS) {
        tnt_arena wire;
        tnt_arena_init(&wire);
        tnt_negotiation_spec spec;
        CHECK(tnt_negotiator_round_spec(from, &out, &wire, &spec));
        tnt_builder b;
        tnt_bld_init(&b);
        CHECK(tnt_enc_tnt_negotiation(&b, &spec));
        size_t len;
        const uint8_t *msg = tnt_bld_data(&b, &len);
        CHECK(msg && len > 4 && msg[0] == tnt_codepoints_default.hs_negotiation);
        tnt_cursor body;
        tnt_cursor_init_at(&body, msg, msg + 4, len - 4);
        tnt_negotiation m;
        tnt_error err;
        CHECK(tnt_negotiation_decode(&body, &wire, &m, &err));
        format_round(t->line[t->n++], &m);
        tnt_proof_result proofs[16];
        for (uint32_t i = 0; i < m.n_credentials && i < 16; i++)
            proofs[i] = proof ? proof((uint16_t)m.round.v, i) : TNT_PROOF_VALID;
        bool no_proof = (int)m.round.v == missing_round;
        CHECK(tnt_negotiator_receive(to, &m, no_proof ? NULL : proofs, &out));
        /* The message is gone before the engine looks at it again. */
        tnt_bld_free(&b);
        tnt_arena_free(&wire);
        log_add(t, to == &S ? 'S' : 'C', (uint16_t)(m.round.v + 1), &out);
        tnt_negotiator *x = from;
        from = to;
        to = x;
    }
    t->server = S.state;
    t->client = C.state;
    tnt_negotiator_free(&S);
    tnt_negotiator_free(&C);
    return t->n;
}

static void check_rounds(const transcript *t, const char *const *want, int n, int line)
{
    int bad = t->n != n;
    for (int i = 0; i < n && i < t->n; i++)
        bad |= strcmp(t->line[i], want[i]) != 0;
    CHECK_EQ(t->n, n);
    for (int i = 0; i < n && i < t->n; i++)
        CHECK_STR(t->line[i], want[i]);
    if (bad) {
        fprintf(stderr, "  (rounds checked at line %d)\n", line);
        for (int i = 0; i < t->n; i++)
            fprintf(stderr, "  got: %s\n", t->line[i]);
        fprintf(stderr, "%s", t->log ? t->log : "");
    }
}
#define ROUNDS(t, ...)                                                                             \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        check_rounds((t), want_, (int)(sizeof(want_) / sizeof(want_[0])), __LINE__);               \
    } while (0)

/* ---- the clinic (spec section 9) ---- */

#define RES "GET /records/4711"
#define SMB "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")"
#define BBB "cred(\"Accreditation\", issuer.O=\"Better Business Bureau\")"
#define EMP "cred(\"Employment\", subject.O=\"Riverside Clinic\")"

#define R1 "1 server continue | resource \"" RES "\": " SMB " | -"
#define R2 "2 client continue | credential \"MedicalLicense\": " BBB " | -"
#define R3 "3 server continue | - | Accreditation"
#define R4 "4 client continue | - | MedicalLicense"

static const tnt_peer_config *server_cfg(const char *strategy, const char *alg, bool extended)
{
    char ext[512] = "";
    if (extended)
        snprintf(ext, sizeof(ext),
                 "[credential \"Insurance\"]\npolicy = " EMP "\nchain = clinic-web-%s.pem\n"
                 "key = clinic-web-%s.key\n",
                 alg, alg);
    return config("# Riverside Clinic\n"
                  "strategy = %s\n"
                  "anchor O=\"State Medical Board\" = smb-ca-%s.pem\n"
                  "resource \"" RES "\" = " SMB "\n"
                  "\n[credential \"Accreditation\"]\n"
                  "chain = clinic-%s.pem\nkey = clinic-%s.key\npolicy = true\n%s",
                  strategy, alg, alg, alg, ext);
}

/* license: the file stem of the MedicalLicense chain, NULL for none. */
static const tnt_peer_config *client_cfg(const char *strategy, const char *alg, const char *license,
                                         bool employment)
{
    char lic[512] = "", emp[512] = "";
    if (license)
        snprintf(lic, sizeof(lic),
                 "[credential \"MedicalLicense\"]\nchain = %s-%s.pem\nkey = %s-%s.key\n"
                 "policy = " BBB "\n",
                 license, alg, license, alg);
    if (employment)
        snprintf(emp, sizeof(emp),
                 "[credential \"Employment\"]\nchain = physician-acme-%s.pem\n"
                 "key = physician-acme-%s.key\npolicy = true\n",
                 alg, alg);
    return config("strategy = %s\nanchor O=\"Better Business Bureau\" = bbb-ca-%s.pem\n%s%s",
                  strategy, alg, lic, emp);
}

static void test_spec_table(void)
{
    /* Exactly the five rounds of spec section 9, with the minimal
     * configurations and with extra credentials that nobody asks for. */
    static const char *algs[] = {"rsa", "ec"};
    for (int a = 0; a < 2; a++) {
        for (int ext = 0; ext < 2; ext++) {
            transcript t;
            run(server_cfg("parsimonious", algs[a], ext),
                client_cfg("parsimonious", algs[a], "physician", ext), RES, NULL, &t);
            ROUNDS(&t, R1, R2, R3, R4, "5 server success | - | -");
            CHECK_EQ(t.server, TNT_NEG_SUCCESS);
            CHECK_EQ(t.client, TNT_NEG_SUCCESS);
            CHECK(has_log(&t, "S1: negotiating resource \"GET /records/4711\" (parsimonious)"));
            CHECK(has_log(&t, "C2: send policy for credential \"MedicalLicense\": " BBB
                              " (their resource \"GET /records/4711\" policy " SMB ")"));
            CHECK(has_log(&t, "S3: disclose credential \"Accreditation\", asked for by their "
                              "credential \"MedicalLicense\" policy " BBB ": free (policy true)"));
            CHECK(has_log(&t, "C4: disclose credential \"MedicalLicense\", asked for by their "
                              "resource \"GET /records/4711\" policy " SMB ": its policy " BBB
                              " is satisfied by \"Accreditation\" (round 3)"));
            CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " SMB
                              " satisfied by \"MedicalLicense\" (round 4)"));
            CHECK(has_log(&t, "S5: success: trust established for resource \"GET /records/4711\""));
            CHECK(has_log(&t, "C6: server sent success: trust established for resource "
                              "\"GET /records/4711\""));
            CHECK(!has_log(&t, "Insurance"));
            CHECK(!has_log(&t, "Employment"));
            free(t.log);
        }
    }
}

static void test_eager_and_mixed(void)
{
    transcript t;
    /* Eager discloses what is free at once and states every policy. */
    run(server_cfg("eager", "rsa", false), client_cfg("eager", "rsa", "physician", false), RES,
        NULL, &t);
    ROUNDS(&t, "1 server continue | resource \"" RES "\": " SMB " | Accreditation",
           "2 client continue | - | MedicalLicense", "3 server success | - | -");
    CHECK(has_log(&t, "S1: disclose credential \"Accreditation\": free (policy true)"));
    CHECK(has_log(&t, "C2: disclose credential \"MedicalLicense\", asked for by their resource "
                      "\"GET /records/4711\" policy " SMB ": its policy " BBB
                      " is satisfied by \"Accreditation\" (round 1)"));
    CHECK_EQ(t.server, TNT_NEG_SUCCESS);
    CHECK_EQ(t.client, TNT_NEG_SUCCESS);
    free(t.log);

    run(server_cfg("eager", "rsa", true), client_cfg("eager", "rsa", "physician", true), RES, NULL,
        &t);
    ROUNDS(&t,
           "1 server continue | resource \"" RES "\": " SMB "; credential \"Insurance\": " EMP
           " | Accreditation",
           "2 client continue | - | MedicalLicense, Employment", "3 server success | - | -");
    CHECK(has_log(&t, "S1: send policy for credential \"Insurance\": " EMP
                      " (eager: not satisfied yet)"));
    CHECK(has_log(&t, "C2: disclose credential \"Employment\", asked for by their credential "
                      "\"Insurance\" policy " EMP ": free (policy true)") == false);
    CHECK(has_log(&t, "C2: disclose credential \"Employment\": free (policy true)"));
    CHECK(has_log(&t, "S3: resource \"GET /records/4711\": policy " SMB
                      " satisfied by \"MedicalLicense\" (round 2)"));
    free(t.log);

    /* Eager server, parsimonious client: the client ignores the Insurance
     * policy (it wants no Insurance) and shows only its license. */
    run(server_cfg("eager", "rsa", true), client_cfg("parsimonious", "rsa", "physician", true), RES,
        NULL, &t);
    ROUNDS(&t,
           "1 server continue | resource \"" RES "\": " SMB "; credential \"Insurance\": " EMP
           " | Accreditation",
           "2 client continue | - | MedicalLicense", "3 server success | - | -");
    CHECK_EQ(t.client, TNT_NEG_SUCCESS);
    free(t.log);

    /* Parsimonious server, eager client: the client states its policy and
     * shows its free credential at once; the server answers only what was
     * asked. */
    run(server_cfg("parsimonious", "rsa", true), client_cfg("eager", "rsa", "physician", true), RES,
        NULL, &t);
    ROUNDS(&t, R1, "2 client continue | credential \"MedicalLicense\": " BBB " | Employment", R3,
           R4, "5 server success | - | -");
    CHECK(has_log(&t, "C2: send policy for credential \"MedicalLicense\": " BBB
                      " (their resource \"GET /records/4711\" policy " SMB ")"));
    CHECK_EQ(t.server, TNT_NEG_SUCCESS);
    free(t.log);
}

static void test_client_lacks_credential(void)
{
    transcript t;
    run(server_cfg("parsimonious", "rsa", true), client_cfg("parsimonious", "rsa", NULL, true), RES,
        NULL, &t);
    ROUNDS(&t, R1, "2 client failure | - | -");
    CHECK(has_log(&t, "C2: asked for credential \"MedicalLicense\" by their resource "
                      "\"GET /records/4711\" policy " SMB ", which I do not hold"));
    CHECK(has_log(&t, "C2: failure: nothing new to disclose"));
    CHECK(has_log(&t, "S3: the other side sent failure"));
    CHECK_EQ(t.server, TNT_NEG_FAILURE);
    CHECK_EQ(t.client, TNT_NEG_FAILURE);
    free(t.log);

    /* Eager: both sides show everything they may before giving up. */
    run(server_cfg("eager", "rsa", true), client_cfg("eager", "rsa", NULL, true), RES, NULL, &t);
    ROUNDS(&t,
           "1 server continue | resource \"" RES "\": " SMB "; credential \"Insurance\": " EMP
           " | Accreditation",
           "2 client continue | - | Employment", "3 server continue | - | Insurance",
           "4 client failure | - | -");
    CHECK(has_log(&t, "S3: disclose credential \"Insurance\": its policy " EMP
                      " is satisfied by \"Employment\" (round 2)"));
    CHECK(has_log(&t, "S3: resource \"GET /records/4711\": policy " SMB
                      " not satisfied: no credential of type MedicalLicense disclosed"));
    CHECK_EQ(t.server, TNT_NEG_FAILURE);
    free(t.log);
}

static void test_forged_license(void)
{
    static const char *algs[] = {"rsa", "ec"};
    for (int a = 0; a < 2; a++) {
        transcript t;
        run(server_cfg("parsimonious", algs[a], false),
            client_cfg("parsimonious", algs[a], "physician-forged", false), RES, NULL, &t);
        ROUNDS(&t, R1, R2, R3, R4, "5 server failure | - | -");
        CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " SMB
                          " not satisfied: issuer.O=\"State Medical Board\" claimed but chain "
                          "does not verify to a configured anchor: The certificate is NOT "
                          "trusted."));
        CHECK(has_log(&t, "S5: failure: nothing new to disclose"));
        CHECK_EQ(t.server, TNT_NEG_FAILURE);
        CHECK_EQ(t.client, TNT_NEG_FAILURE);
        free(t.log);
    }
    /* A license from a CA the server has no anchor for at all. */
    transcript t;
    run(server_cfg("eager", "rsa", false), client_cfg("eager", "rsa", "physician-acme", false), RES,
        NULL, &t);
    ROUNDS(&t, "1 server continue | resource \"" RES "\": " SMB " | Accreditation",
           "2 client continue | - | MedicalLicense", "3 server failure | - | -");
    CHECK(has_log(&t,
                  "S3: resource \"GET /records/4711\": policy " SMB " not satisfied: requires " SMB
                  "; disclosed only MedicalLicense issued by O=\"Acme Trust\""));
    free(t.log);
}

static void test_two_credentials(void)
{
    /* One policy needing two credentials. */
    const tnt_peer_config *s =
        config("anchor O=\"State Medical Board\" = smb-ca-rsa.pem\n"
               "resource \"" RES "\" = " SMB " and " EMP "\n"
               "[credential \"Accreditation\"]\nchain = clinic-rsa.pem\nkey = clinic-rsa.key\n"
               "policy = true\n");
    transcript t;
    run(s, client_cfg("parsimonious", "rsa", "physician", true), RES, NULL, &t);
    ROUNDS(&t, "1 server continue | resource \"" RES "\": " SMB " and " EMP " | -",
           "2 client continue | credential \"MedicalLicense\": " BBB " | Employment", R3, R4,
           "5 server success | - | -");
    CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " SMB " and " EMP
                      " satisfied by \"Employment\" (round 2), \"MedicalLicense\" (round 4)"));
    free(t.log);

    /* The same as two policies for one resource: they add up. */
    s = config("anchor O=\"State Medical Board\" = smb-ca-rsa.pem\n"
               "resource \"" RES "\" = " SMB "\n"
               "resource \"GET /other\" = false\n"
               "resource \"" RES "\" = " EMP "\n"
               "[credential \"Accreditation\"]\nchain = clinic-rsa.pem\nkey = clinic-rsa.key\n"
               "policy = true\n");
    run(s, client_cfg("parsimonious", "rsa", "physician", true), RES, NULL, &t);
    ROUNDS(&t,
           "1 server continue | resource \"" RES "\": " SMB "; resource \"" RES "\": " EMP " | -",
           "2 client continue | credential \"MedicalLicense\": " BBB " | Employment", R3, R4,
           "5 server success | - | -");
    free(t.log);

    /* Without the second credential the first alone is not enough. */
    run(s, client_cfg("parsimonious", "rsa", "physician", false), RES, NULL, &t);
    ROUNDS(&t,
           "1 server continue | resource \"" RES "\": " SMB "; resource \"" RES "\": " EMP " | -",
           R2, R3, R4, "5 server failure | - | -");
    CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " SMB
                      " satisfied by \"MedicalLicense\" (round 4)"));
    CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " EMP
                      " not satisfied: no credential of type Employment disclosed"));
    CHECK(has_log(&t, "C2: asked for credential \"Employment\" by their resource "
                      "\"GET /records/4711\" policy " EMP ", which I do not hold"));
    free(t.log);
}

static tnt_proof_result invalid_in_round_3(uint16_t round, uint32_t idx)
{
    return round == 3 && idx == 0 ? TNT_PROOF_INVALID : TNT_PROOF_VALID;
}

static void test_bad_proofs(void)
{
    transcript t;
    run(server_cfg("parsimonious", "rsa", false),
        client_cfg("parsimonious", "rsa", "physician", false), RES, invalid_in_round_3, &t);
    ROUNDS(&t, R1, R2, R3, "4 client failure | - | -");
    CHECK(has_log(&t, "C4: received credential \"Accreditation\": proof invalid: counts as "
                      "undisclosed"));
    CHECK(has_log(&t, "C4: credential \"MedicalLicense\" stays locked: policy " BBB
                      " not satisfied: Accreditation proof invalid"));
    CHECK(has_log(&t, "C4: failure: nothing new to disclose"));
    free(t.log);

    /* The license arrives without a TNTProof: missing, so undisclosed. */
    missing_round = 4;
    run(server_cfg("parsimonious", "rsa", false),
        client_cfg("parsimonious", "rsa", "physician", false), RES, NULL, &t);
    missing_round = 0;
    ROUNDS(&t, R1, R2, R3, R4, "5 server failure | - | -");
    CHECK(has_log(&t, "S5: received credential \"MedicalLicense\": proof missing: counts as "
                      "undisclosed"));
    CHECK(has_log(&t, "S5: resource \"GET /records/4711\": policy " SMB
                      " not satisfied: MedicalLicense proof missing"));
    free(t.log);
}

/* A chain of k credentials: the resource needs L1, L1 needs L2, ... and Lk
 * is free. Odd levels belong to the client, even ones to the server. */
static const tnt_peer_config *chain_cfg(bool server, int k, const char *strategy, int rounds)
{
    size_t cap = 256 + (size_t)k * 160, len = 0;
    char *text = tnt_arena_alloc(&A, cap);
    len += (size_t)snprintf(text + len, cap - len, "strategy = %s\n", strategy);
    if (rounds)
        len += (size_t)snprintf(text + len, cap - len, "rounds = %d\n", rounds);
    if (server)
        len += (size_t)snprintf(text + len, cap - len, "resource \"GET /x\" = cred(\"L1\")\n");
    for (int i = 1; i <= k; i++) {
        if ((i % 2 == 1) == server)
            continue;
        len += (size_t)snprintf(text + len, cap - len,
                                "[credential \"L%d\"]\nchain = physician-acme-rsa.pem\n"
                                "key = physician-acme-rsa.key\n",
                                i);
        if (i == k)
            len += (size_t)snprintf(text + len, cap - len, "policy = true\n");
        else
            len += (size_t)snprintf(text + len, cap - len, "policy = cred(\"L%d\")\n", i + 1);
    }
    return config("%s", text);
}

static void test_round_limit(void)
{
    transcript t;
    /* The clinic with a client that gives up after 4 rounds. */
    const tnt_peer_config *c = config(
        "rounds = 4\nanchor O=\"Better Business Bureau\" = bbb-ca-rsa.pem\n"
        "[credential \"MedicalLicense\"]\nchain = physician-rsa.pem\nkey = physician-rsa.key\n"
        "policy = " BBB "\n");
    run(server_cfg("parsimonious", "rsa", false), c, RES, NULL, &t);
    ROUNDS(&t, R1, R2, R3, "4 client failure | - | -");
    CHECK(has_log(&t, "C4: failure: round limit 4 reached"));
    free(t.log);

    /* A limit of 1: round 1 still names the resource. */
    const tnt_peer_config *s1 =
        config("rounds = 1\nresource \"" RES "\" = " SMB "\n"
               "[credential \"Accreditation\"]\nchain = clinic-rsa.pem\nkey = clinic-rsa.key\n"
               "policy = true\n");
    run(s1, client_cfg("parsimonious", "rsa", "physician", false), RES, NULL, &t);
    ROUNDS(&t, "1 server failure | resource \"" RES "\": " SMB " | -");
    CHECK_EQ(t.client, TNT_NEG_FAILURE);
    free(t.log);

    /* A short chain completes: 2k+1 rounds parsimonious, fewer eager. */
    run(chain_cfg(true, 3, "parsimonious", 0), chain_cfg(false, 3, "parsimonious", 0), "GET /x",
        NULL, &t);
    ROUNDS(&t, "1 server continue | resource \"GET /x\": cred(\"L1\") | -",
           "2 client continue | credential \"L1\": cred(\"L2\") | -",
           "3 server continue | credential \"L2\": cred(\"L3\") | -", "4 client continue | - | L3",
           "5 server continue | - | L2", "6 client continue | - | L1", "7 server success | - | -");
    free(t.log);
    run(chain_cfg(true, 3, "eager", 0), chain_cfg(false, 3, "eager", 0), "GET /x", NULL, &t);
    ROUNDS(&t,
           "1 server continue | resource \"GET /x\": cred(\"L1\"); credential \"L2\": "
           "cred(\"L3\") | -",
           "2 client continue | credential \"L1\": cred(\"L2\") | L3", "3 server continue | - | L2",
           "4 client continue | - | L1", "5 server success | - | -");
    free(t.log);

    /* A chain of 40 needs 81 rounds: the default limit stops it at 64. */
    int n = run(chain_cfg(true, 40, "parsimonious", 0), chain_cfg(false, 40, "parsimonious", 0),
                "GET /x", NULL, &t);
    CHECK_EQ(n, 64);
    CHECK_STR(t.line[39], "40 client continue | credential \"L39\": cred(\"L40\") | -");
    CHECK_STR(t.line[40], "41 server continue | - | L40");
    CHECK_STR(t.line[62], "63 server continue | - | L18");
    CHECK_STR(t.line[63], "64 client failure | - | -");
    CHECK(has_log(&t, "C64: failure: round limit 64 reached"));
    CHECK_EQ(t.server, TNT_NEG_FAILURE);
    CHECK_EQ(t.client, TNT_NEG_FAILURE);
    free(t.log);
}

/* ---- ordering errors and misuse, with hand-made rounds ---- */

static tnt_negotiation bare(uint32_t round, uint32_t status)
{
    tnt_negotiation m;
    memset(&m, 0, sizeof(m));
    m.round.v = round;
    m.status.v = status;
    return m;
}

static tnt_policy resource_policy(const char *name, const char *expr)
{
    tnt_policy p;
    memset(&p, 0, sizeof(p));
    p.target_kind.v = TNT_TARGET_RESOURCE;
    p.target_name.p = (const uint8_t *)name;
    p.target_name.len = (uint32_t)strlen(name);
    p.language.v = TNT_LANG_DN_EXPRESSION;
    p.expression.p = (const uint8_t *)expr;
    p.expression.len = (uint32_t)strlen(expr);
    return p;
}

static bool round_log(const tnt_neg_round *r, const char *s)
{
    for (uint32_t i = 0; i < r->n_log; i++)
        if (strstr(r->log[i], s))
            return true;
    return false;
}

static void test_errors(void)
{
    const tnt_peer_config *s = server_cfg("parsimonious", "rsa", false);
    const tnt_peer_config *c = client_cfg("parsimonious", "rsa", "physician", false);
    tnt_negotiator n;
    tnt_neg_round out;

    /* Misuse of start. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    CHECK(!tnt_negotiator_start(&n, RES, &out));
    CHECK_EQ(n.state, TNT_NEG_ERROR);
    CHECK(round_log(&out, "only the server starts a negotiation"));
    tnt_negotiator_free(&n);
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    CHECK(!tnt_negotiator_start(&n, "GET /nothing", &out));
    CHECK(!out.send);
    CHECK(round_log(&out, "no policy for resource \"GET /nothing\" in the configuration"));
    tnt_negotiator_free(&n);

    /* Client: wrong round number first. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    tnt_negotiation m = bare(2, TNT_STATUS_CONTINUE);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(!out.send);
    CHECK_EQ(n.state, TNT_NEG_ERROR);
    CHECK(round_log(&out, "round 2 received where round 1 was expected"));
    /* Nothing more after an error. */
    m = bare(1, TNT_STATUS_CONTINUE);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "round 1 received after the negotiation ended"));
    tnt_negotiator_free(&n);

    /* Client: round 1 without a resource policy. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    m = bare(1, TNT_STATUS_CONTINUE);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK_EQ(n.state, TNT_NEG_ERROR);
    CHECK(round_log(&out, "round 1 names no resource"));
    tnt_negotiator_free(&n);

    /* Client: unknown status. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    m = bare(1, 3);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "round 1 has unknown status 3"));
    tnt_negotiator_free(&n);

    /* Client: a malformed resource policy is never satisfied; the client
     * cannot tell what is asked and stops. A second resource policy for
     * another target is ignored. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    tnt_policy pols[2] = {resource_policy(RES, "cred(\"MedicalLicense\""),
                          resource_policy("GET /elsewhere", "true")};
    m = bare(1, TNT_STATUS_CONTINUE);
    m.n_policies = 2;
    m.policies = pols;
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(out.send);
    CHECK_EQ(out.round, 2);
    CHECK_EQ(out.status, TNT_STATUS_FAILURE);
    CHECK_EQ(out.n_policies, 0);
    CHECK_EQ(out.n_creds, 0);
    CHECK(round_log(&out, "received malformed policy for resource \"GET /records/4711\": "));
    CHECK(round_log(&out, "never satisfied"));
    CHECK(round_log(&out, "ignored policy for resource \"GET /elsewhere\": not the negotiation "
                          "target"));
    CHECK_STR(n.target, RES);
    tnt_negotiator_free(&n);

    /* Client: a policy in a language that was not negotiated. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    pols[0] = resource_policy(RES, SMB);
    pols[0].language.v = TNT_LANG_XML_POLICY;
    m = bare(1, TNT_STATUS_CONTINUE);
    m.n_policies = 1;
    m.policies = pols;
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK_EQ(out.status, TNT_STATUS_FAILURE);
    CHECK(round_log(&out, "in xml_policy, which was not negotiated: never satisfied"));
    tnt_negotiator_free(&n);

    /* Server: success from the client, and a resource policy from it. */
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    m = bare(2, TNT_STATUS_CONTINUE);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "round 2 received before the server started the negotiation"));
    tnt_negotiator_free(&n);
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    CHECK(tnt_negotiator_start(&n, RES, &out));
    CHECK(!tnt_negotiator_start(&n, RES, &out));
    CHECK(round_log(&out, "negotiation already started"));
    tnt_negotiator_free(&n);
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    CHECK(tnt_negotiator_start(&n, RES, &out));
    CHECK(out.send);
    CHECK_EQ(out.round, 1);
    CHECK_EQ(n.state, TNT_NEG_WAITING);
    m = bare(2, TNT_STATUS_SUCCESS);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK_EQ(n.state, TNT_NEG_ERROR);
    CHECK(round_log(&out, "round 2: success from the client"));
    tnt_negotiator_free(&n);
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    CHECK(tnt_negotiator_start(&n, RES, &out));
    pols[0] = resource_policy(RES, "true");
    m = bare(2, TNT_STATUS_CONTINUE);
    m.n_policies = 1;
    m.policies = pols;
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "ignored policy for resource \"GET /records/4711\": resource policies "
                          "come only in the server's round 1"));
    CHECK(round_log(&out, "round 2 is an empty continue") == false);
    CHECK_EQ(out.status, TNT_STATUS_FAILURE);
    tnt_negotiator_free(&n);

    /* Server: an empty continue is noted; the server has nothing new. */
    tnt_negotiator_init(&n, TNT_NEG_SERVER, s, 0);
    CHECK(tnt_negotiator_start(&n, RES, &out));
    m = bare(2, TNT_STATUS_CONTINUE);
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "round 2 is an empty continue (it should have been failure)"));
    CHECK_EQ(out.round, 3);
    CHECK_EQ(out.status, TNT_STATUS_FAILURE);
    CHECK_EQ(n.state, TNT_NEG_FAILURE);
    tnt_negotiator_free(&n);

    /* A free resource: success in round 1, which still names it. */
    const tnt_peer_config *free_res = config("resource \"GET /\" = true\n");
    tnt_negotiator_init(&n, TNT_NEG_SERVER, free_res, 0);
    CHECK(tnt_negotiator_start(&n, "GET /", &out));
    CHECK_EQ(out.status, TNT_STATUS_SUCCESS);
    CHECK_EQ(out.n_policies, 1);
    CHECK_STR(out.policies[0].expression, "true");
    CHECK_EQ(n.state, TNT_NEG_SUCCESS);
    tnt_negotiator_free(&n);

    /* Hostile bytes in names stay on one log line. */
    tnt_negotiator_init(&n, TNT_NEG_CLIENT, c, 0);
    pols[0] = resource_policy("GET /\n\"x", "true");
    m = bare(1, TNT_STATUS_CONTINUE);
    m.n_policies = 1;
    m.policies = pols;
    CHECK(tnt_negotiator_receive(&n, &m, NULL, &out));
    CHECK(round_log(&out, "received policy for resource \"GET /\\x0a\\\"x\": true"));
    for (uint32_t i = 0; i < out.n_log; i++)
        CHECK(strchr(out.log[i], '\n') == NULL);
    tnt_negotiator_free(&n);
}

int main(void)
{
    const char *data = getenv("TNT_TEST_DATA");
    char rel[512];
    snprintf(rel, sizeof(rel), "%s/pki", data ? data : "tests/data");
    /* Absolute, so that file names in generated configurations work from
     * any directory. */
    char abs[PATH_MAX];
    if (!realpath(rel, abs) || strlen(abs) >= sizeof(pki)) {
        fprintf(stderr, "no test PKI at %s\n", rel);
        return 1;
    }
    memcpy(pki, abs, strlen(abs) + 1);
    tnt_arena_init(&A);
    test_spec_table();
    test_eager_and_mixed();
    test_client_lacks_credential();
    test_forged_license();
    test_two_credentials();
    test_bad_proofs();
    test_round_limit();
    test_errors();
    tnt_arena_free(&A);
    return check_done("test_negotiator");
}
