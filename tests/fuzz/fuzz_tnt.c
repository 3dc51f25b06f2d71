/* Fuzz target: the TNT wire decoders (TNTNegotiation, TNTProof, the `tnt`
 * hello extension) and what the decoder does with a decoded negotiation:
 * parsing its dn_expression policies and evaluating them against its own
 * credentials (which runs the X.509 DN matching over fuzzed certificates).
 *
 * Input: one selector byte, then a handshake message (4-byte header and
 * body; the header is not checked, so that spans are message-relative as in
 * the real decoder). Selector bits 0-1: the decoder (0 negotiation, 1 proof,
 * 2 `tnt` extension body, 3 all three); bits 2-4: the version for TNTProof
 * (0, 0x0300..0x0304); bits 5-6: the proof result assumed for every
 * credential (valid, invalid, missing, unchecked); bit 7: trust anchors (the
 * CAs of tests/data/pki) configured, so issuer constraints verify chains.
 *
 * Checked: no crash or sanitizer report; spans and byte strings lie in the
 * message; arena use is bounded by the input size. */
#include "fuzz_keys.h"
#include "fuzz_spans.h"

#include "dn_expression.h"
#include "policy_eval.h"
#include "tnt_messages.h"

static const uint16_t versions[8] = {0, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x0002, 0xffff};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_load_anchors();
    return 0;
}

static void eval_policies(const tnt_negotiation *g, tnt_proof_result pr, bool anchors, tnt_arena *a)
{
    if (g->n_credentials > 64 || g->n_policies > 64)
        return;
    tnt_disclosed d[64];
    for (uint32_t i = 0; i < g->n_credentials; i++) {
        d[i].cred = &g->credentials[i];
        d[i].proof = pr;
        d[i].round = g->round.v;
    }
    for (uint32_t i = 0; i < g->n_policies; i++) {
        const tnt_policy *p = &g->policies[i];
        if (p->language.v != TNT_LANG_DN_EXPRESSION)
            continue;
        tnt_error err;
        tnt_policy_ast *t = tnt_dn_parse(p->expression.p, p->expression.len, a, &err);
        if (!t)
            continue;
        for (int mode = 0; mode < 2; mode++) {
            tnt_policy_ctx ctx = {mode ? TNT_POLICY_PEER : TNT_POLICY_DECODER,
                                  anchors ? &g_anchors : NULL, 0, 0, NULL};
            tnt_policy_result r;
            if (!tnt_policy_eval(t, d, g->n_credentials, &ctx, a, &r))
                continue;
            FUZZ_ASSERT(tnt_verdict_name(r.verdict) != NULL);
            FUZZ_ASSERT(r.verdict == TNT_VERDICT_SATISFIED || r.reason != NULL);
            for (uint32_t k = 0; k < r.n_creds; k++) {
                const tnt_cred_outcome *o = &r.creds[k];
                FUZZ_ASSERT(o->node && o->node->kind == TNT_DN_CRED);
                FUZZ_ASSERT(o->by >= -1 && o->by < (int32_t)g->n_credentials);
                FUZZ_ASSERT(o->verdict == TNT_VERDICT_SATISFIED || o->reason != NULL);
            }
            for (uint32_t k = 0; k < g->n_credentials; k++)
                (void)tnt_policy_used(&r, k);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    uint32_t sel = data[0];
    uint32_t len = (uint32_t)(size - 1);
    uint8_t *raw = malloc(len ? len : 1);
    if (len)
        memcpy(raw, data + 1, len);
    uint32_t hdr = len < 4 ? len : 4;
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_error err;

    if ((sel & 3) == 0 || (sel & 3) == 3) {
        tnt_cursor c;
        tnt_cursor_init_at(&c, raw, raw + hdr, len - hdr);
        tnt_negotiation g;
        memset(&g, 0, sizeof(g));
        if (tnt_negotiation_decode(&c, &a, &g, &err)) {
            fuzz_check_negotiation(&g, raw, len);
            eval_policies(&g, (tnt_proof_result)((sel >> 5) & 3), sel & 0x80, &a);
        } else {
            FUZZ_ASSERT(err.what != NULL && err.off <= len);
        }
    }
    if ((sel & 3) == 1 || (sel & 3) == 3) {
        tnt_cursor c;
        tnt_cursor_init_at(&c, raw, raw + hdr, len - hdr);
        tnt_proof p;
        memset(&p, 0, sizeof(p));
        if (tnt_proof_decode(&c, versions[(sel >> 2) & 7], &a, &p, &err))
            fuzz_check_proof(&p, raw, len);
        else
            FUZZ_ASSERT(err.what != NULL && err.off <= len);
    }
    if ((sel & 3) == 2 || (sel & 3) == 3) {
        tnt_cursor c;
        tnt_cursor_init_at(&c, raw, raw + hdr, len - hdr);
        tnt_tnt_ext e;
        memset(&e, 0, sizeof(e));
        if (tnt_ext_decode(&c, &a, &e, &err)) {
            fuzz_check_uint(&e.version, len);
            if (e.known_version) {
                fuzz_check_uint(&e.mode, len);
                fuzz_check_uint_list(&e.strategies, len);
                fuzz_check_uint_list(&e.languages, len);
            }
        }
    }
    FUZZ_ASSERT(a.total <= 64 * (size_t)len + 65536);
    tnt_arena_free(&a);
    free(raw);
    return 0;
}
