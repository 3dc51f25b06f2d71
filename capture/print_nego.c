#include "print_nego.h"
#include "tnt/names.h"
#include "tnt/tnt_messages.h"
#include "tnt/verdict.h"

#include <stdio.h>

#define DETAIL "                              "

static const char *dir_name(tnt_dir d)
{
    return d == TNT_C2S ? "client" : "server";
}

static const char *verdict_text(const tnt_nego_policy *p)
{
    return tnt_policy_status_text(tnt_nego_policy_status(p));
}

static const char *finished_status(const tnt_nego_hs *h)
{
    return tnt_finished_status_name(tnt_nego_finished_status(h));
}

static void print_alert(textbuf *t, const tnt_nego_hs *h)
{
    if (!h->ended_by_alert)
        return;
    const char *name = tnt_alert_description_name(h->alert_desc);
    if (name)
        textbuf_printf(t, ", ended by the %s's fatal %s alert", dir_name(h->alert_sender), name);
    else
        textbuf_printf(t, ", ended by the %s's fatal alert %u", dir_name(h->alert_sender),
                       h->alert_desc);
}

static void print_policy(textbuf *t, const tnt_nego_hs *h, const tnt_nego_policy *p, int verbose)
{
    const char *k = tnt_target_kind_name(p->target_kind);
    textbuf_printf(t, "    round %u %s policy on %s \"%s\": ", p->round, dir_name(p->sender),
                   k ? k : "?", p->target);
    if (p->malformed)
        textbuf_printf(t, "malformed at byte %u (%s), never satisfied\n", p->parse_err.off,
                       p->parse_err.what ? p->parse_err.what : "?");
    else if (!p->evaluated)
        textbuf_printf(t, "not evaluated (%s)\n",
                       tnt_language_name(p->language) ? tnt_language_name(p->language)
                                                      : "unknown language");
    else if (p->satisfied_in_round) {
        textbuf_printf(t, "%s in round %u by", verdict_text(p), p->satisfied_in_round);
        /* A credential's own round only when it is not the round named. */
        for (uint32_t i = 0; i < p->n_by; i++) {
            const tnt_nego_cred *c = &h->creds[p->by[i]];
            textbuf_printf(t, "%s %s", i ? "," : "", c->type);
            if (c->round != p->satisfied_in_round)
                textbuf_printf(t, " (round %u)", c->round);
        }
        textbuf_printf(t, "\n");
    } else {
        textbuf_printf(t, "%s", verdict_text(p));
        if (tnt_nego_policy_failing(p))
            textbuf_printf(t, ": %s", tnt_nego_policy_failing(p));
        textbuf_printf(t, "\n");
    }
    if (verbose)
        textbuf_printf(t, "      %s\n", p->expression);
}

void print_nego_summary(textbuf *t, const tnt_nego *n, int verbose)
{
    uint32_t nh = tnt_nego_n_handshakes(n);
    for (uint32_t i = 0; i < nh; i++) {
        const tnt_nego_hs *h = tnt_nego_handshake(n, i);
        if (!h->has_negotiation && !h->resume_answered && !h->undecryptable && !verbose)
            continue;
        textbuf_printf(t, "  handshake %u", h->index);
        const char *sep = " (";
        if (h->encrypted) {
            textbuf_printf(t, "%sencrypted", sep);
            sep = ", ";
        }
        if (h->resumed) {
            textbuf_printf(t, "%sresumed", sep);
            sep = ", ";
        }
        /* The initial handshake is always the client's; an unseen
         * ClientHello leaves the initiator unknown. */
        if (h->index > 1 && h->client_hello) {
            textbuf_printf(t, "%s%s-initiated", sep, dir_name(h->initiator));
            sep = ", ";
        }
        textbuf_printf(t, "%s:", sep[0] == ',' ? ")" : "");
        if (h->undecryptable) {
            textbuf_printf(t, " not visible (no keys)\n");
            continue;
        }
        if (h->resume_answered) {
            if (h->linked)
                textbuf_printf(t,
                               " TNT resume of a session with trust (target \"%s\", "
                               "connection %llu handshake %u)%s\n",
                               h->link.target ? h->link.target : "?",
                               (unsigned long long)h->link.conn_id, h->link.handshake,
                               h->link.insecure ? ", insecure" : "");
            else if (h->link_known)
                textbuf_printf(t,
                               " TNT resume of a session established without trust "
                               "(connection %llu handshake %u)\n",
                               (unsigned long long)h->link.conn_id, h->link.handshake);
            else
                textbuf_printf(t, " TNT resume of a session not established here\n");
            continue;
        }
        if (!h->has_negotiation) {
            textbuf_printf(t, " no TNT negotiation");
            print_alert(t, h);
            textbuf_printf(t, "; renegotiation_info %s, Finished %s\n", tnt_ri_status_name(h->ri),
                           finished_status(h));
            continue;
        }
        textbuf_printf(t, " TNT negotiation");
        if (h->target)
            textbuf_printf(t, " for \"%s\"", h->target);
        textbuf_printf(t, ", %u round%s", h->n_rounds, h->n_rounds == 1 ? "" : "s");
        if (h->strategy)
            textbuf_printf(t, ", %s",
                           tnt_strategy_name(h->strategy) ? tnt_strategy_name(h->strategy) : "?");
        textbuf_printf(t, "\n    outcome: %s", tnt_nego_outcome_text(h));
        if ((h->outcome == TNT_OUTCOME_SUCCESS || h->outcome == TNT_OUTCOME_FAILURE) &&
            h->final_round)
            textbuf_printf(t, " (%s, round %u)", dir_name(h->final_by), h->final_round);
        print_alert(t, h);
        if (h->trust_established)
            textbuf_printf(t, ", trust established%s", h->insecure ? " (insecure)" : "");
        textbuf_printf(t, "; renegotiation_info %s, Finished %s\n", tnt_ri_status_name(h->ri),
                       finished_status(h));
        if (h->reason)
            textbuf_printf(t, "    reason: %s\n", h->reason);
        for (uint32_t k = 0; k < h->n_policies; k++)
            print_policy(t, h, &h->policies[k], verbose);
    }
    uint32_t nv = 0, nn = 0;
    const tnt_violation *v = tnt_nego_violations(n, &nv);
    for (uint32_t i = 0; i < nv; i++) {
        textbuf_printf(t, "  violation %s %s: frame %llu, handshake %u",
                       tnt_severity_name(v[i].severity), tnt_viol_code_name(v[i].code),
                       (unsigned long long)v[i].frame, v[i].handshake);
        if (v[i].round)
            textbuf_printf(t, ", round %u", v[i].round);
        textbuf_printf(t, ": %s\n", v[i].message);
    }
    const tnt_nego_note *notes = tnt_nego_notes(n, &nn);
    for (uint32_t i = 0; i < nn; i++)
        textbuf_printf(t, "  %s: %s\n", notes[i].kind == TNT_NOTE_INFO ? "note" : "not checked",
                       notes[i].text);
}

void print_nego_oneline(FILE *f, const tnt_nego *n)
{
    uint32_t nh = tnt_nego_n_handshakes(n), rounds = 0, nv = 0;
    const tnt_nego_hs *last = NULL;
    for (uint32_t i = 0; i < nh; i++) {
        const tnt_nego_hs *h = tnt_nego_handshake(n, i);
        if (h->has_negotiation || h->resume_answered) {
            last = h;
            rounds += h->n_rounds;
        }
    }
    tnt_nego_violations(n, &nv);
    if (!last)
        fprintf(f, "  TNT none");
    else if (last->resume_answered)
        fprintf(f, "  TNT resume%s", last->linked ? "" : "(unknown session)");
    else
        fprintf(f, "  TNT %s%s", tnt_nego_outcome_text(last),
                last->trust_established ? (last->insecure ? " trust(insecure)" : " trust") : "");
    fprintf(f, " rounds=%u violations=%u", rounds, nv);
}

void print_nego_proofs(textbuf *t, const tnt_nego *n, uint32_t hs_index)
{
    const tnt_nego_hs *h = tnt_nego_handshake_by_index(n, hs_index);
    if (!h || h->n_rounds == 0)
        return;
    const tnt_nego_round *r = &h->rounds[h->n_rounds - 1];
    for (uint32_t i = 0; i < r->n_creds; i++) {
        const tnt_nego_cred *c = &h->creds[r->first_cred + i];
        textbuf_printf(t, DETAIL "  credential #%u %s: proof %s", c->index, c->type,
                       tnt_proof_result_name(c->proof));
        if (c->proof != TNT_PROOF_VALID && c->proof_reason)
            textbuf_printf(t, " (%s)", c->proof_reason);
        textbuf_printf(t, ", chain %s", tnt_chain_status_name(c->chain));
        if (c->chain == TNT_CHAIN_INVALID && c->chain_reason)
            textbuf_printf(t, " (%s)", c->chain_reason);
        textbuf_printf(t, "\n");
    }
}
