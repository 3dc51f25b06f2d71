/* The judgements front ends show (see tnt/verdict.h). */
#include "verdict.h"

tnt_finished_status tnt_nego_finished_status(const tnt_nego_hs *h)
{
    if (!h)
        return TNT_FINISHED_UNCHECKED;
    if (h->finished_absent)
        return TNT_FINISHED_ABSENT;
    if (h->finished_ok[0] == TNT_TRI_NO || h->finished_ok[1] == TNT_TRI_NO)
        return TNT_FINISHED_MISMATCH;
    if (h->finished_ok[0] == TNT_TRI_YES && h->finished_ok[1] == TNT_TRI_YES)
        return TNT_FINISHED_VERIFIED;
    return TNT_FINISHED_UNCHECKED;
}

const char *tnt_finished_status_name(tnt_finished_status s)
{
    switch (s) {
    case TNT_FINISHED_VERIFIED:
        return "verified";
    case TNT_FINISHED_MISMATCH:
        return "mismatch";
    case TNT_FINISHED_ABSENT:
        return "absent";
    case TNT_FINISHED_UNCHECKED:
        break;
    }
    return "unchecked";
}

const char *tnt_nego_outcome_text(const tnt_nego_hs *h)
{
    return h->outcome == TNT_OUTCOME_NONE ? "incomplete" : tnt_nego_outcome_name(h->outcome);
}

tnt_policy_status tnt_nego_policy_status(const tnt_nego_policy *p)
{
    if (p->malformed)
        return TNT_PSTATUS_MALFORMED;
    if (!p->evaluated)
        return TNT_PSTATUS_NOT_EVALUATED;
    switch (p->verdict) {
    case TNT_VERDICT_SATISFIED:
        return p->issuer_verified == TNT_TRI_YES ? TNT_PSTATUS_SATISFIED_ISSUER_VERIFIED
                                                 : TNT_PSTATUS_SATISFIED;
    case TNT_VERDICT_UNVERIFIED:
        return TNT_PSTATUS_SATISFIED_ISSUER_UNVERIFIED;
    case TNT_VERDICT_UNDETERMINED:
        return TNT_PSTATUS_UNDETERMINED;
    case TNT_VERDICT_NOT_SATISFIED:
        break;
    }
    return TNT_PSTATUS_NOT_SATISFIED;
}

const char *tnt_policy_status_id(tnt_policy_status s)
{
    switch (s) {
    case TNT_PSTATUS_MALFORMED:
        return "malformed";
    case TNT_PSTATUS_NOT_EVALUATED:
        return "not-evaluated";
    case TNT_PSTATUS_SATISFIED:
    case TNT_PSTATUS_SATISFIED_ISSUER_VERIFIED:
        return "satisfied";
    case TNT_PSTATUS_SATISFIED_ISSUER_UNVERIFIED:
        return "satisfied-issuer-not-verified";
    case TNT_PSTATUS_UNDETERMINED:
        return "undetermined";
    case TNT_PSTATUS_NOT_SATISFIED:
        break;
    }
    return "not-satisfied";
}

const char *tnt_policy_status_text(tnt_policy_status s)
{
    switch (s) {
    case TNT_PSTATUS_MALFORMED:
    case TNT_PSTATUS_NOT_EVALUATED:
        return NULL;
    case TNT_PSTATUS_SATISFIED:
        return "satisfied";
    case TNT_PSTATUS_SATISFIED_ISSUER_VERIFIED:
        return "satisfied (issuer verified)";
    case TNT_PSTATUS_SATISFIED_ISSUER_UNVERIFIED:
        return "satisfied (issuer not verified)";
    case TNT_PSTATUS_UNDETERMINED:
        return "undetermined";
    case TNT_PSTATUS_NOT_SATISFIED:
        break;
    }
    return "not satisfied";
}

const char *tnt_nego_policy_failing(const tnt_nego_policy *p)
{
    if (p->satisfied_in_round)
        return NULL;
    return p->failing ? p->failing : p->reason;
}
