/* Fuzz target: tntpeer's decision engine (peer/negotiator.h), a server and a
 * client negotiator built from the party configurations of samples/configs
 * (the clinic of spec section 9 and its variants), fed rounds chosen by the
 * input - what a hostile or broken other side can send.
 *
 * Input: a selector byte, then items.
 *   selector bits 0-1: server configuration (servers[]), bits 2-4: client
 *   configuration (clients[], modulo their number); bit 5: the server starts
 *   for a resource it has no policy for; bit 6: the server is not started
 *   (its first round comes from the input); bit 7: the in-memory pair
 *   server_x/client_x instead of bits 0-4.
 *   item: a header byte; bit 0 set: the round delivered is the other
 *   negotiator's last reply as encoded (nothing more is read; skipped when
 *   there is none); otherwise a u16 length and that many bytes of a
 *   TNTNegotiation body (without the 4-byte handshake header; an item that
 *   does not decode is skipped and does not count). Bit 1: the round comes
 *   without a TNTProof (proofs NULL). Bit 2: every proof is valid. Then,
 *   unless bit 1 or 2, one byte per credential of the round: its proof
 *   result (value % 4, tnt_proof_result). So 0x05 0x05 ... plays the two
 *   engines against each other.
 * Decodable items go alternately to the client and to the server (the
 * client first: the server's round 1 comes from tnt_negotiator_start()).
 *
 * Checked, besides sanitizer reports and leaks: a negotiator's state only
 * moves forward (ready -> waiting -> success/failure/error, and an ended
 * state never changes); once it ended before a round arrives, the reply is
 * send = false; a reply that is sent is `continue` in state waiting, or
 * `success`/`failure` in that state; every credential index of a reply is
 * < cfg->n_creds and no credential is disclosed twice in the negotiation;
 * the round numbers of one side's replies strictly increase and have its
 * parity (server odd, client even) and answers the round received with
 * the next number; every reply encodes
 * (tnt_negotiator_round_spec + tnt_enc_tnt_negotiation) and decodes back
 * (tnt_negotiation_decode) to the same round, status, policies and
 * credentials. */
#include "fuzz_common.h"

#include "codepoints.h"
#include "config.h"
#include "encode.h"
#include "negotiator.h"
#include "tnt/x509.h"

#ifndef TNT_FUZZ_SAMPLES_DIR
#define TNT_FUZZ_SAMPLES_DIR "samples"
#endif

/* Chain verification time: fixed (inside the test PKI's validity,
 * 2025-2100), so that a finding replays the same way on any day. */
#define FUZZ_NEG_TIME 1767225600 /* 2026-01-01 */

static const char *const servers[] = {
    "clinic-server.conf",
    "clinic-server-ec.conf",
    "clinic-server-two.conf",
    "clinic-server-large.conf",
};
static const char *const clients[] = {
    "physician-client.conf",      "physician-client-ec.conf",   "physician-client-two.conf",
    "physician-client-free.conf", "forged-license-client.conf", "unlicensed-client.conf",
};
#define N_SERVERS (sizeof(servers) / sizeof(servers[0]))
#define N_CLIENTS (sizeof(clients) / sizeof(clients[0]))

/* Selector bit 7: this pair instead, for what the sample configurations
 * lack: the eager strategy, a round limit within reach, policies with and/or,
 * and credentials whose policy is false. Paths relative to samples/configs. */
static const char server_x[] =
    "strategy = eager\nrounds = 6\n"
    "anchor O=\"State Medical Board\" = ../../tests/data/pki/smb-ca-rsa.pem\n"
    "resource \"GET /records/4711\" = cred(\"MedicalLicense\", issuer.O=\"State Medical Board\") "
    "and (cred(\"Employment\", subject.O=\"Riverside Clinic\") or cred(\"MedicalLicense\", "
    "subject.OU=\"Cardiology\"))\n"
    "[credential \"Accreditation\"]\nchain = ../../tests/data/pki/clinic-rsa.pem\n"
    "key = ../../tests/data/pki/clinic-rsa.key\n"
    "policy = cred(\"MedicalLicense\", subject.O=\"Riverside Clinic\") or cred(\"Employment\")\n"
    "[credential \"Insurance\"]\nchain = ../../tests/data/pki/clinic-web-rsa.pem\n"
    "key = ../../tests/data/pki/clinic-web-rsa.key\npolicy = false\n";
static const char client_x[] =
    "strategy = eager\nrounds = 6\n"
    "anchor O=\"Better Business Bureau\" = ../../tests/data/pki/bbb-ca-rsa.pem\n"
    "[credential \"MedicalLicense\"]\nchain = ../../tests/data/pki/physician-rsa.pem\n"
    "key = ../../tests/data/pki/physician-rsa.key\n"
    "policy = cred(\"Accreditation\", issuer.O=\"Better Business Bureau\") and "
    "cred(\"Accreditation\", subject.O=\"Riverside Clinic\")\n"
    "[credential \"Employment\"]\nchain = ../../tests/data/pki/physician-ec.pem\n"
    "key = ../../tests/data/pki/physician-ec.key\npolicy = true\n"
    "[credential \"Secret\"]\nchain = ../../tests/data/pki/physician-acme-rsa.pem\n"
    "key = ../../tests/data/pki/physician-acme-rsa.key\npolicy = false\n";

static tnt_arena g_cfg_arena;
/* Shared by every input, as tntpeer shares one per thread: the same
 * configuration certificates are parsed once, not on every input (without
 * it the harness ran at ~200 executions per second, most of them in
 * libtasn1 and its allocations). */
static struct tnt_cert_cache *g_certs;
static tnt_peer_config g_server[N_SERVERS], g_client[N_CLIENTS], g_server_x, g_client_x;

/* TNT_FUZZ_SAMPLES, else the samples/ of the tree TNT_FUZZ_DATA (set by the
 * regression replay) belongs to, else the build tree's. */
static void configs_dir(char *buf, size_t size)
{
    const char *s = getenv("TNT_FUZZ_SAMPLES");
    const char *d = getenv("TNT_FUZZ_DATA");
    if (s)
        snprintf(buf, size, "%s/configs", s);
    else if (d)
        snprintf(buf, size, "%s/../../samples/configs", d);
    else
        snprintf(buf, size, "%s/configs", TNT_FUZZ_SAMPLES_DIR);
}

static void load(const char *dir, const char *name, tnt_peer_config *out)
{
    char path[4096], err[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (!tnt_peer_config_load(path, &g_cfg_arena, out, err, sizeof(err))) {
        /* Without the configurations nothing is fuzzed. */
        fprintf(stderr, "fuzz_negotiator: %s (set TNT_FUZZ_SAMPLES)\n", err);
        abort();
    }
}

static void parse(const char *dir, const char *name, const char *text, tnt_peer_config *out)
{
    char err[512];
    if (!tnt_peer_config_parse(text, strlen(text), name, dir, &g_cfg_arena, out, err,
                               sizeof(err))) {
        fprintf(stderr, "fuzz_negotiator: %s\n", err);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[4000];
    configs_dir(dir, sizeof(dir));
    tnt_arena_init(&g_cfg_arena);
    g_certs = tnt_cert_cache_new(0);
    for (size_t i = 0; i < N_SERVERS; i++)
        load(dir, servers[i], &g_server[i]);
    for (size_t i = 0; i < N_CLIENTS; i++)
        load(dir, clients[i], &g_client[i]);
    parse(dir, "server-x", server_x, &g_server_x);
    parse(dir, "client-x", client_x, &g_client_x);
    return 0;
}

/* One side: its engine and what the harness remembers about it. */
typedef struct side {
    tnt_negotiator n;
    const tnt_peer_config *cfg;
    bool server;
    bool *disclosed; /* per credential of cfg, over the whole negotiation */
    bool any_round;
    uint16_t last_round;
    /* Its last reply, encoded (the message with its 4-byte header). */
    uint8_t *wire;
    size_t wire_len;
} side;

static bool ended(tnt_neg_state s)
{
    return s == TNT_NEG_SUCCESS || s == TNT_NEG_FAILURE || s == TNT_NEG_ERROR;
}

static bool blob_eq(const tnt_bytes *b, const char *s)
{
    size_t n = strlen(s);
    return b->len == n && (n == 0 || memcmp(b->p, s, n) == 0);
}

/* Checks a reply of s (just returned in state `after`, having been in state
 * `before`) and keeps its encoding for the other side. */
static void check_reply(side *s, tnt_neg_state before, const tnt_neg_round *r, uint32_t answers)
{
    tnt_neg_state after = s->n.state;
    FUZZ_ASSERT(tnt_neg_state_name(after) != NULL);
    /* Forward only. A round received after the end is an ordering error
     * (negotiator.h): an ended state may still become error, so that the
     * peer answers it with unexpected_message instead of carrying on
     * (the regressions/negotiator/ inputs named ...-becomes-error pin this down). */
    if (ended(before))
        FUZZ_ASSERT(after == before || after == TNT_NEG_ERROR);
    if (before == TNT_NEG_WAITING)
        FUZZ_ASSERT(after != TNT_NEG_READY);
    for (uint32_t i = 0; i < r->n_log; i++) {
        FUZZ_ASSERT(r->log[i] != NULL);
        fuzz_touch(r->log[i], strlen(r->log[i]));
    }
    free(s->wire);
    s->wire = NULL;
    s->wire_len = 0;
    if (!r->send) {
        FUZZ_ASSERT(after != TNT_NEG_WAITING);
        return;
    }
    /* Nothing goes out after the end, nor after an error. */
    FUZZ_ASSERT(!ended(before));
    FUZZ_ASSERT(after != TNT_NEG_ERROR && after != TNT_NEG_READY);
    FUZZ_ASSERT(r->status <= TNT_STATUS_FAILURE);
    if (r->status == TNT_STATUS_CONTINUE)
        FUZZ_ASSERT(after == TNT_NEG_WAITING);
    else if (r->status == TNT_STATUS_SUCCESS)
        FUZZ_ASSERT(after == TNT_NEG_SUCCESS && s->server);
    else
        FUZZ_ASSERT(after == TNT_NEG_FAILURE);
    /* Rounds: strictly increasing, server odd, client even. */
    if (s->any_round)
        FUZZ_ASSERT(r->round > s->last_round);
    FUZZ_ASSERT(r->round % 2 == (s->server ? 1 : 0));
    /* A reply answers the round just received (answers: its number + 1). */
    if (answers)
        FUZZ_ASSERT(r->round == answers);
    s->any_round = true;
    s->last_round = r->round;
    /* Each credential of mine at most once, ever. */
    for (uint32_t i = 0; i < r->n_creds; i++) {
        FUZZ_ASSERT(r->creds[i] < s->cfg->n_creds);
        FUZZ_ASSERT(!s->disclosed[r->creds[i]]);
        s->disclosed[r->creds[i]] = true;
    }
    for (uint32_t i = 0; i < r->n_policies; i++) {
        FUZZ_ASSERT(r->policies[i].target && r->policies[i].expression);
        FUZZ_ASSERT(r->policies[i].target_kind == TNT_TARGET_RESOURCE ||
                    r->policies[i].target_kind == TNT_TARGET_CREDENTIAL);
    }

    /* Encode, decode back, compare. */
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_negotiation_spec spec;
    FUZZ_ASSERT(tnt_negotiator_round_spec(&s->n, r, &a, &spec));
    FUZZ_ASSERT(spec.round == r->round && spec.status == r->status);
    FUZZ_ASSERT(spec.n_policies == r->n_policies && spec.n_credentials == r->n_creds);
    tnt_builder b;
    tnt_bld_init(&b);
    FUZZ_ASSERT(tnt_enc_tnt_negotiation(&b, &spec));
    size_t len = 0;
    const uint8_t *msg = tnt_bld_data(&b, &len);
    FUZZ_ASSERT(msg && len >= 4 && msg[0] == tnt_codepoints_default.hs_negotiation);
    tnt_cursor body;
    tnt_cursor_init_at(&body, msg, msg + 4, len - 4);
    tnt_negotiation m;
    tnt_error err;
    FUZZ_ASSERT(tnt_negotiation_decode(&body, &a, &m, &err));
    FUZZ_ASSERT(m.round.v == r->round && m.status.v == r->status);
    FUZZ_ASSERT(m.n_policies == r->n_policies && m.n_credentials == r->n_creds);
    for (uint32_t i = 0; i < m.n_policies; i++) {
        FUZZ_ASSERT(m.policies[i].target_kind.v == r->policies[i].target_kind);
        FUZZ_ASSERT(blob_eq(&m.policies[i].target_name, r->policies[i].target));
        FUZZ_ASSERT(blob_eq(&m.policies[i].expression, r->policies[i].expression));
    }
    for (uint32_t i = 0; i < m.n_credentials; i++) {
        const tnt_peer_credential *c = &s->cfg->creds[r->creds[i]];
        FUZZ_ASSERT(blob_eq(&m.credentials[i].type, c->type));
        FUZZ_ASSERT(m.credentials[i].n_certs == c->n_certs);
    }
    s->wire = malloc(len);
    memcpy(s->wire, msg, len);
    s->wire_len = len;
    tnt_bld_free(&b);
    tnt_arena_free(&a);
}

static void side_init(side *s, bool server, const tnt_peer_config *cfg)
{
    memset(s, 0, sizeof(*s));
    s->server = server;
    s->cfg = cfg;
    s->disclosed = calloc(cfg->n_creds ? cfg->n_creds : 1, sizeof(bool));
    FUZZ_ASSERT(
        tnt_negotiator_init(&s->n, server ? TNT_NEG_SERVER : TNT_NEG_CLIENT, cfg, FUZZ_NEG_TIME));
    FUZZ_ASSERT(s->n.state == TNT_NEG_READY);
    tnt_negotiator_use_certs(&s->n, g_certs);
}

static void side_free(side *s)
{
    tnt_negotiator_free(&s->n);
    free(s->disclosed);
    free(s->wire);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    uint32_t sel = fuzz_u8(&in);
    side sides[2]; /* 0 client, 1 server */
    bool x = sel & 0x80;
    side_init(&sides[0], false, x ? &g_client_x : &g_client[(sel >> 2 & 7) % N_CLIENTS]);
    side_init(&sides[1], true, x ? &g_server_x : &g_server[(sel & 3) % N_SERVERS]);

    if (!(sel & 0x40)) {
        const tnt_peer_config *cfg = sides[1].cfg;
        const char *res =
            (sel & 0x20) || cfg->n_resources == 0 ? "GET /nowhere" : cfg->resources[0].name;
        tnt_neg_round out;
        bool known = tnt_peer_config_has_resource(cfg, res);
        bool ok = tnt_negotiator_start(&sides[1].n, res, &out);
        FUZZ_ASSERT(ok == known);
        if (!ok)
            FUZZ_ASSERT(sides[1].n.state == TNT_NEG_ERROR && !out.send);
        else
            FUZZ_ASSERT(out.send && out.round == 1);
        check_reply(&sides[1], TNT_NEG_READY, &out, 1);
    }

    unsigned to = 0; /* the client first */
    unsigned delivered = 0;
    while (in.n > 0 && delivered < 256) {
        uint32_t h = fuzz_u8(&in);
        const side *other = &sides[!to];
        uint8_t *copy = NULL;
        size_t n = 0;
        if (h & 1) {
            if (!other->wire)
                continue;
            n = other->wire_len - 4;
            copy = malloc(n ? n : 1);
            memcpy(copy, other->wire + 4, n);
        } else {
            const uint8_t *p;
            n = fuzz_take(&in, fuzz_u16(&in), &p);
            /* An exact copy, so that a read past the body is caught. */
            copy = malloc(n ? n : 1);
            if (n)
                memcpy(copy, p, n);
        }
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_negotiation m;
        tnt_error err;
        tnt_cursor body;
        tnt_cursor_init(&body, copy, n);
        if (!tnt_negotiation_decode(&body, &a, &m, &err)) {
            /* The other side's reply decoded in check_reply already. */
            FUZZ_ASSERT(!(h & 1));
            free(copy);
            tnt_arena_free(&a);
            continue;
        }
        tnt_proof_result *proofs = NULL;
        if (!(h & 2)) {
            proofs = malloc((m.n_credentials ? m.n_credentials : 1) * sizeof(*proofs));
            for (uint32_t i = 0; i < m.n_credentials; i++)
                proofs[i] = (h & 4) ? TNT_PROOF_VALID : (tnt_proof_result)(fuzz_u8(&in) % 4);
        }
        side *s = &sides[to];
        tnt_neg_state before = s->n.state;
        tnt_neg_round out;
        FUZZ_ASSERT(tnt_negotiator_receive(&s->n, &m, proofs, &out));
        /* The message may go as soon as receive returns: scribble over it,
         * so that a pointer the engine kept into it shows. */
        memset(copy, 0xA5, n);
        free(copy);
        free(proofs);
        tnt_arena_free(&a);
        check_reply(s, before, &out, m.round.v + 1);
        to = !to;
        delivered++;
    }
    if (getenv("TNT_FUZZ_VERBOSE"))
        fprintf(stderr, "%u rounds delivered: client %s, server %s\n", delivered,
                tnt_neg_state_name(sides[0].n.state), tnt_neg_state_name(sides[1].n.state));
    side_free(&sides[0]);
    side_free(&sides[1]);
    return 0;
}
