/* The judgements a front end shows about a negotiation, made once here so
 * that tntdump's text and JSON and the Wireshark plugin say the same thing:
 * the Finished status of a handshake, its outcome, each policy's verdict and
 * the reason it failed. (Violation and note wording comes with each
 * tnt_violation and tnt_nego_note; their names: tnt_viol_code_name,
 * tnt_severity_name.) */
#ifndef TNT_VERDICT_H
#define TNT_VERDICT_H

#include "tnt/negotiation.h"

typedef enum tnt_finished_status {
    TNT_FINISHED_UNCHECKED, /* not both seen and checked (no keys, one missing) */
    TNT_FINISHED_VERIFIED,  /* both Finished messages carry the expected verify_data */
    TNT_FINISHED_MISMATCH,  /* one of them does not */
    TNT_FINISHED_ABSENT,    /* the handshake ended without them */
} tnt_finished_status;

/* h may be NULL (no model of the handshake): unchecked. */
tnt_finished_status tnt_nego_finished_status(const tnt_nego_hs *h);
/* "unchecked", "verified", "mismatch", "absent". */
const char *tnt_finished_status_name(tnt_finished_status s);

/* The negotiation's outcome as shown: "success", "failure", "incomplete"
 * (also while no outcome is known). */
const char *tnt_nego_outcome_text(const tnt_nego_hs *h);

/* A policy's verdict, one value for each thing a front end says. */
typedef enum tnt_policy_status {
    TNT_PSTATUS_MALFORMED,                   /* its expression does not parse */
    TNT_PSTATUS_NOT_EVALUATED,               /* a language we do not evaluate */
    TNT_PSTATUS_SATISFIED,                   /* issuers verified or not needed */
    TNT_PSTATUS_SATISFIED_ISSUER_VERIFIED,   /* and the issuer was verified */
    TNT_PSTATUS_SATISFIED_ISSUER_UNVERIFIED, /* but no trust anchor verified the issuer */
    TNT_PSTATUS_UNDETERMINED,                /* the bytes that would decide are missing */
    TNT_PSTATUS_NOT_SATISFIED,
} tnt_policy_status;

tnt_policy_status tnt_nego_policy_status(const tnt_nego_policy *p);
/* Machine-readable ("satisfied", "satisfied-issuer-not-verified",
 * "not-evaluated", ...; issuer-verified satisfaction is "satisfied"). */
const char *tnt_policy_status_id(tnt_policy_status s);
/* In words ("satisfied (issuer verified)", "not satisfied", ...); NULL for
 * malformed and not evaluated, which a front end words with their details. */
const char *tnt_policy_status_text(tnt_policy_status s);
/* Why a policy is not satisfied (the failing part of its expression, or the
 * reason it could not be evaluated); NULL once it is satisfied. */
const char *tnt_nego_policy_failing(const tnt_nego_policy *p);

#endif
