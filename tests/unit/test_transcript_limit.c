/* The handshake transcript limit (TNT_TRANSCRIPT_MAX, lib/conn/hs_state.c;
 * docs/robustness.md, "Limits"), through the connection layer: a whole TLS
 * 1.2 handshake with a TNT negotiation, written with tntenc, whose
 * TNTNegotiations are padded with policies so that its transcript is
 *   - exactly 16 MiB up to and including the server's Finished: everything
 *     checked (the TNTProof valid, both Finished right);
 *   - one byte more: the server's Finished is unchecked, never wrong;
 *   - one byte past the limit at the client's credential-disclosing
 *     TNTNegotiation: its proof and both Finished unchecked, never invalid,
 *     and the policy it would satisfy undetermined.
 * The Finished messages are encrypted (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
 * under a master secret given in the key log. */
#include "check.h"

#include "hs_state.h" /* TNT_TRANSCRIPT_MAX */
#include "tnt/conn.h"
#include "tnt/engine/encode.h"
#include "tnt/engine/prf.h"
#include "tnt/keys.h"
#include "tnt/names.h"
#include "tnt/negotiation.h"
#include "tnt/proof_verify.h"
#include "tnt/record_protection.h"

#define SUITE 0xC02F
#define N_PADDED 6 /* TNTNegotiations carrying padding: rounds 1 to 6 */
#define EXPR_MAX 65535u

static char pki[512];

static const uint16_t sig_algs[] = {0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0401, 0x0501};
#define N_SIG_ALGS (sizeof sig_algs / sizeof sig_algs[0])
static const char SMB_POLICY[] = "cred(\"MedicalLicense\", issuer.O=\"State Medical Board\")";

static uint8_t *load(const char *name, size_t *len)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", pki, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    uint8_t *b = malloc(1 << 16);
    if (!b)
        abort();
    *len = fread(b, 1, 1 << 16, f);
    fclose(f);
    return b;
}

/* ---- the handshake ---- */

typedef struct msg {
    tnt_dir dir;
    uint8_t *b;
    size_t n;
    bool finished; /* sent after a ChangeCipherSpec, encrypted */
} msg;

typedef struct hs {
    msg m[20];
    int n;
    uint8_t *tr; /* the transcript, as the test computes it */
    size_t tr_len, tr_cap;
    size_t through_creds; /* transcript length after the credential-disclosing round */
} hs;

static void add(hs *h, tnt_dir dir, tnt_builder *b, bool finished)
{
    msg *m = &h->m[h->n++];
    m->dir = dir;
    m->finished = finished;
    if (!tnt_bld_finish(b, &m->b, &m->n)) {
        fprintf(stderr, "build failed: %s\n", tnt_bld_error(b));
        exit(1);
    }
    if (h->tr_len + m->n > h->tr_cap) {
        h->tr_cap = (h->tr_len + m->n) * 2;
        h->tr = realloc(h->tr, h->tr_cap);
        if (!h->tr)
            abort();
    }
    memcpy(h->tr + h->tr_len, m->b, m->n);
    h->tr_len += m->n;
}

static void hs_free(hs *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->m[i].b);
    free(h->tr);
}

/* Policies that take exactly `bytes` bytes of a policies vector (0, or at
 * least PAD_MIN): `cred("MedicalLicense")` on the credential "p", white
 * space inside making each as long as needed. Free with free_padding. */
#define PAD_TAIL "\"MedicalLicense\")"
#define PAD_MIN (6 + 5 + sizeof PAD_TAIL - 1)
static tnt_policy_spec *padding(size_t bytes, size_t *n)
{
    size_t cap = bytes / (6 + EXPR_MAX) + 2;
    tnt_policy_spec *p = calloc(cap, sizeof *p);
    if (!p)
        abort();
    *n = 0;
    while (bytes > 0) {
        size_t e = bytes - 6; /* kind, target length, "p", language, expression length */
        if (e > EXPR_MAX)
            e = bytes - 6 - EXPR_MAX >= PAD_MIN ? EXPR_MAX : EXPR_MAX / 2;
        uint8_t *x = malloc(e);
        if (!x)
            abort();
        memset(x, ' ', e);
        memcpy(x, "cred(", 5);
        memcpy(x + e - (sizeof PAD_TAIL - 1), PAD_TAIL, sizeof PAD_TAIL - 1);
        p[*n] = (tnt_policy_spec){TNT_TARGET_CREDENTIAL, tnt_blob_str("p"), TNT_LANG_DN_EXPRESSION,
                                  tnt_blob_of(x, e)};
        (*n)++;
        bytes -= 6 + e;
    }
    return p;
}

static void free_padding(tnt_policy_spec *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((void *)p[i].expression.p);
    free(p);
}

static const uint8_t CR[32] = {0xc1, 0x1e, 0x47, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
static const uint8_t SR[32] = {0x5e, 0x4f, 0xe4, 0x00, 9, 8, 7, 6, 5, 4, 3, 2, 1};
static uint8_t MS[48];

/* Padding pad[i] in the policies of round i + 1. */
static void build(hs *h, const size_t pad[N_PADDED])
{
    memset(h, 0, sizeof *h);
    tnt_builder b;
    tnt_bld_init(&b);
    static const uint16_t suites[] = {SUITE};
    static const uint8_t null_comp[] = {0};
    static const uint8_t strategies[] = {TNT_STRATEGY_PARSIMONIOUS};
    static const uint8_t langs[] = {TNT_LANG_DN_EXPRESSION};

    tnt_ext_spec ch_ext[3] = {
        {.kind = TNT_EXTK_SIGNATURE_ALGORITHMS, .u.sig_algs = {sig_algs, N_SIG_ALGS}},
        {.kind = TNT_EXTK_RENEGOTIATION_INFO, .u.renegotiation_info = {NULL, 0}},
        {.kind = TNT_EXTK_TNT, .u.tnt = {1, TNT_MODE_NEGOTIATE, {strategies, 1}, {langs, 1}}},
    };
    tnt_client_hello_spec ch = {TNT_TLS12,      {0},  {NULL, 0}, {suites, 1},
                                {null_comp, 1}, true, ch_ext,    3};
    memcpy(ch.random, CR, 32);
    tnt_enc_client_hello(&b, &ch);
    add(h, TNT_C2S, &b, false);

    static const uint8_t sid[32] = {0x51, 0xd0};
    tnt_server_hello_spec sh = {TNT_TLS12, {0}, {sid, 32}, SUITE, 0, true, ch_ext + 1, 2};
    memcpy(sh.random, SR, 32);
    tnt_enc_server_hello(&b, &sh);
    add(h, TNT_S2C, &b, false);

    size_t phys_len, smb_len;
    uint8_t *phys = load("physician-rsa.der", &phys_len);
    uint8_t *smb = load("smb-ca-rsa.der", &smb_len);
    tnt_blob chain[2] = {tnt_blob_of(phys, phys_len), tnt_blob_of(smb, smb_len)};
    tnt_credential_spec license = {tnt_blob_str("MedicalLicense"), {chain, 2}};

    /* Rounds 1 to 6, alternating from the server; round 1 carries the
     * server's policy, round 6 the client's MedicalLicense. */
    for (int r = 1; r <= N_PADDED; r++) {
        size_t np;
        tnt_policy_spec *p = padding(pad[r - 1], &np);
        tnt_policy_spec *all = calloc(np + 1, sizeof *all);
        if (!all)
            abort();
        size_t k = 0;
        if (r == 1)
            all[k++] = (tnt_policy_spec){TNT_TARGET_RESOURCE, tnt_blob_str("GET /records/4711"),
                                         TNT_LANG_DN_EXPRESSION, tnt_blob_str(SMB_POLICY)};
        memcpy(all + k, p, np * sizeof *p);
        tnt_negotiation_spec n = {
            (uint16_t)r,          TNT_STATUS_CONTINUE, all, k + np, r == N_PADDED ? &license : NULL,
            r == N_PADDED ? 1 : 0};
        tnt_enc_tnt_negotiation(&b, &n);
        add(h, r % 2 ? TNT_S2C : TNT_C2S, &b, false);
        free_padding(p, np);
        free(all);
    }
    h->through_creds = h->tr_len;

    /* The client's TNTProof over the transcript so far. */
    size_t key_len;
    uint8_t *key = load("physician-rsa.key", &key_len);
    uint16_t alg;
    char why[256];
    uint8_t sig[1024];
    size_t sig_len = 0;
    if (!tnt_proof_pick_algorithm(key, key_len, sig_algs, N_SIG_ALGS, &alg, why, sizeof why) ||
        !tnt_proof_sign(TNT_TLS12, key, key_len, true, alg, h->tr, h->tr_len, sig_algs, N_SIG_ALGS,
                        sig, sizeof sig, &sig_len, why, sizeof why)) {
        fprintf(stderr, "cannot sign: %s\n", why);
        exit(1);
    }
    tnt_ownership_proof_spec op = {0, alg, tnt_blob_of(sig, sig_len)};
    tnt_enc_tnt_proof(&b, TNT_TLS12, &op, 1);
    add(h, TNT_C2S, &b, false);

    tnt_negotiation_spec success = {N_PADDED + 1, TNT_STATUS_SUCCESS, NULL, 0, NULL, 0};
    tnt_enc_tnt_negotiation(&b, &success);
    add(h, TNT_S2C, &b, false);
    tnt_enc_server_hello_done(&b);
    add(h, TNT_S2C, &b, false);
    uint8_t point[65] = {4, 1, 2, 3};
    tnt_enc_cke_ecdh(&b, tnt_blob_of(point, sizeof point));
    add(h, TNT_C2S, &b, false);

    /* Finished: the client's over everything before it, the server's over
     * that and the client's Finished. */
    for (int by_server = 0; by_server <= 1; by_server++) {
        tnt_transcript *t = tnt_transcript_new_for(TNT_PRF_SHA256);
        tnt_transcript_update(t, h->tr, h->tr_len);
        uint8_t vd[12];
        size_t vd_len;
        CHECK(tnt_finished_verify_data(TNT_PRF_SHA256, MS, by_server, t, vd, sizeof vd, &vd_len));
        tnt_transcript_free(t);
        tnt_enc_finished(&b, tnt_blob_of(vd, sizeof vd));
        add(h, by_server ? TNT_S2C : TNT_C2S, &b, true);
    }
    tnt_bld_free(&b);
    free(phys);
    free(smb);
    free(key);
}

/* ---- feeding ---- */

typedef struct seen {
    unsigned n_diags;
    char diag[4][300];
} seen;

static void on_diag(void *user, tnt_dir dir, tnt_diag_kind kind, uint64_t off, const char *text)
{
    (void)dir;
    (void)kind;
    (void)off;
    seen *s = user;
    if (s->n_diags < 4)
        snprintf(s->diag[s->n_diags], sizeof s->diag[0], "%s", text);
    s->n_diags++;
}

static tnt_rp_state *write_state(bool server)
{
    tnt_key_material km;
    CHECK(tnt_derive_keys(TNT_PRF_SHA256, MS, CR, SR, 0, 16, 4, &km));
    tnt_rp_params p = {TNT_TLS12,
                       tnt_suite_lookup(SUITE),
                       NULL,
                       0,
                       server ? km.server_key : km.client_key,
                       16,
                       server ? km.server_iv : km.client_iv,
                       4,
                       false};
    tnt_rp_state *st = NULL;
    CHECK_EQ(tnt_rp_new(&p, &st), TNT_RP_OK);
    return st;
}

/* Feeds the handshake to a new connection and finishes it. */
static tnt_conn *run(const hs *h, tnt_keys *keys, seen *s)
{
    memset(s, 0, sizeof *s);
    static const tnt_conn_events ev = {.diag = on_diag};
    tnt_conn_options opt = {0};
    opt.keys = keys;
    opt.negotiation = true;
    tnt_conn *c = tnt_conn_new(&ev, s, &opt);
    tnt_builder b;
    tnt_bld_init(&b);
    for (int i = 0; i < h->n; i++) {
        const msg *m = &h->m[i];
        if (m->finished) {
            static const uint8_t one = 1;
            tnt_enc_record(&b, TNT_CT_CHANGE_CIPHER_SPEC, TNT_TLS12, &one, 1);
            tnt_rp_state *st = write_state(m->dir == TNT_S2C);
            uint8_t out[128];
            size_t out_len = 0;
            CHECK_EQ(tnt_rp_encrypt(st, TNT_CT_HANDSHAKE, TNT_TLS12, m->b, m->n, out, sizeof out,
                                    &out_len),
                     TNT_RP_OK);
            tnt_rp_free(st);
            tnt_enc_record(&b, TNT_CT_HANDSHAKE, TNT_TLS12, out, out_len);
        } else {
            tnt_enc_records(&b, TNT_CT_HANDSHAKE, TNT_TLS12, m->b, m->n, 16384);
        }
        size_t len;
        const uint8_t *bytes = tnt_bld_data(&b, &len);
        CHECK(bytes != NULL);
        tnt_conn_set_frame(c, (uint64_t)i + 1);
        tnt_conn_feed(c, m->dir, bytes, len);
        tnt_bld_reset(&b);
    }
    tnt_bld_free(&b);
    tnt_conn_finish(c);
    return c;
}

static unsigned count(const tnt_nego *n, tnt_viol_code code)
{
    uint32_t nv;
    unsigned k = 0;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    for (uint32_t i = 0; i < nv; i++)
        k += v[i].code == code;
    return k;
}

static void dump(const tnt_nego *n, const seen *s)
{
    uint32_t nv, nn;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    const tnt_nego_note *t = tnt_nego_notes(n, &nn);
    for (uint32_t i = 0; i < nv; i++)
        fprintf(stderr, "  violation %s %s: %s\n", tnt_viol_code_name(v[i].code),
                tnt_severity_name(v[i].severity), v[i].message);
    for (uint32_t i = 0; i < nn; i++)
        fprintf(stderr, "  note: %s\n", t[i].text);
    for (unsigned i = 0; i < s->n_diags && i < 4; i++)
        fprintf(stderr, "  diag: %s\n", s->diag[i]);
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
    return false;
}

/* Spreads `total` padding bytes over the six rounds (each share 0 or >= PAD_MIN). */
static void spread(size_t total, size_t pad[N_PADDED])
{
    for (int i = 0; i < N_PADDED; i++)
        pad[i] = total / N_PADDED;
    pad[N_PADDED - 1] += total % N_PADDED;
}

enum which { AT_LIMIT, PAST_AT_FINISHED, PAST_AT_CREDENTIALS };

static void test_case(enum which w, size_t base_total, size_t base_creds, tnt_keys *keys)
{
    size_t pad[N_PADDED];
    if (w == AT_LIMIT)
        spread(TNT_TRANSCRIPT_MAX - base_total, pad);
    else if (w == PAST_AT_FINISHED)
        spread(TNT_TRANSCRIPT_MAX + 1 - base_total, pad);
    else
        spread(TNT_TRANSCRIPT_MAX + 1 - base_creds, pad);
    hs h;
    build(&h, pad);
    if (w == PAST_AT_CREDENTIALS)
        CHECK_EQ(h.through_creds, TNT_TRANSCRIPT_MAX + 1);
    else
        CHECK_EQ(h.tr_len, TNT_TRANSCRIPT_MAX + (w == PAST_AT_FINISHED));
    seen s;
    tnt_conn *c = run(&h, keys, &s);
    const tnt_nego *n = tnt_conn_negotiation(c);
    const tnt_nego_hs *x = tnt_nego_handshake_by_index(n, 1);
    CHECK(x != NULL);
    if (!x) {
        tnt_conn_free(c);
        hs_free(&h);
        return;
    }
    /* The TNT messages travelled in the clear (tnt-in-clear, one warning per
     * TNT message); nothing else is a violation, above all no wrong proof. */
    uint32_t nv;
    tnt_nego_violations(n, &nv);
    CHECK_EQ(count(n, TNT_V_TNT_IN_CLEAR), nv);
    CHECK_EQ(count(n, TNT_V_PROOF_INVALID), 0);
    CHECK_EQ(s.n_diags, 0);
    CHECK(x->completed);
    CHECK_EQ(x->outcome, TNT_OUTCOME_SUCCESS);
    CHECK(x->trust_established);
    CHECK(!x->insecure);
    CHECK_EQ(x->n_rounds, N_PADDED + 1);
    CHECK_EQ(x->n_creds, 1);
    const tnt_nego_cred *cr = &x->creds[0];
    const tnt_nego_policy *q = &x->policies[0];
    CHECK_STR(q->target, "GET /records/4711");
    switch (w) {
    case AT_LIMIT:
        CHECK_EQ(x->finished_ok[TNT_C2S], TNT_TRI_YES);
        CHECK_EQ(x->finished_ok[TNT_S2C], TNT_TRI_YES);
        CHECK_EQ(cr->proof, TNT_PROOF_VALID);
        CHECK_EQ(q->verdict, TNT_VERDICT_UNVERIFIED);
        CHECK_EQ(q->satisfied_in_round, N_PADDED);
        CHECK_EQ(n_notes(n), 0);
        /* The padding: policies of the longest expression the wire allows,
         * every one parsed and evaluated: the server's satisfied by the
         * client's MedicalLicense, the client's not (the server disclosed
         * nothing). */
        uint32_t longest = 0, judged = 0;
        for (uint32_t i = 1; i < x->n_policies; i++) {
            const tnt_nego_policy *p = &x->policies[i];
            bool by_server = p->sender == TNT_S2C;
            judged += p->tree && p->evaluated &&
                      p->verdict == (by_server ? TNT_VERDICT_SATISFIED : TNT_VERDICT_NOT_SATISFIED);
            if (p->expression_len > longest)
                longest = p->expression_len;
        }
        CHECK(x->n_policies > 250);
        CHECK_EQ(judged, x->n_policies - 1);
        CHECK_EQ(longest, EXPR_MAX);
        break;
    case PAST_AT_FINISHED:
        /* Everything before the server's Finished was within the limit. */
        CHECK_EQ(x->finished_ok[TNT_C2S], TNT_TRI_YES);
        CHECK_EQ(x->finished_ok[TNT_S2C], TNT_TRI_UNKNOWN);
        CHECK_EQ(cr->proof, TNT_PROOF_VALID);
        CHECK_EQ(q->verdict, TNT_VERDICT_UNVERIFIED);
        CHECK_EQ(n_notes(n), 1);
        CHECK(has_note(n, "transcript of handshake 1 exceeds 16 MiB: the proofs and Finished "
                          "messages from here on are not checked"));
        break;
    case PAST_AT_CREDENTIALS:
        CHECK_EQ(x->finished_ok[TNT_C2S], TNT_TRI_UNKNOWN);
        CHECK_EQ(x->finished_ok[TNT_S2C], TNT_TRI_UNKNOWN);
        CHECK_EQ(cr->proof, TNT_PROOF_UNCHECKED);
        CHECK(has_note(n, "proof of credential #0 in round 6 unchecked: transcript incomplete"));
        CHECK(has_note(n, "transcript of handshake 1 exceeds 16 MiB: the proofs and Finished "
                          "messages from here on are not checked"));
        /* The credential is there, its proof unknown: the policy is
         * undetermined, not unsatisfied. */
        CHECK_EQ(q->verdict, TNT_VERDICT_UNDETERMINED);
        CHECK(q->failing == NULL);
        CHECK_EQ(n_notes(n), 2);
        break;
    }
    if (check_failures)
        dump(n, &s);
    tnt_conn_free(c);
    hs_free(&h);
}

int main(void)
{
    const char *dir = getenv("TNT_TEST_DATA");
    snprintf(pki, sizeof(pki), "%s/pki", dir ? dir : "tests/data");
    for (int i = 0; i < 48; i++)
        MS[i] = (uint8_t)(0x80 + i);
    tnt_keys *keys = tnt_keys_new();
    CHECK(tnt_keylog_add(keys->keylog, TNT_KL_CLIENT_RANDOM, CR, 32, MS, 48));

    /* Without padding, to learn the fixed part of the transcript. */
    size_t zero[N_PADDED] = {0};
    hs h;
    build(&h, zero);
    size_t base_total = h.tr_len, base_creds = h.through_creds;
    hs_free(&h);

    test_case(AT_LIMIT, base_total, base_creds, keys);
    test_case(PAST_AT_FINISHED, base_total, base_creds, keys);
    test_case(PAST_AT_CREDENTIALS, base_total, base_creds, keys);
    tnt_keys_free(keys);
    return check_done("test_transcript_limit");
}
