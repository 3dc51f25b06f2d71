/* The judgements worded once for every front end (tnt/verdict.h). */
#include "check.h"

#include "tnt/verdict.h"

#include <string.h>

static void test_finished(void)
{
    tnt_nego_hs h;
    memset(&h, 0, sizeof h);
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(NULL)), "unchecked");
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(&h)), "unchecked");
    h.finished_ok[0] = TNT_TRI_YES;
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(&h)), "unchecked");
    h.finished_ok[1] = TNT_TRI_YES;
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(&h)), "verified");
    h.finished_ok[0] = TNT_TRI_NO;
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(&h)), "mismatch");
    /* Absent wins: the handshake ended before either could be compared. */
    h.finished_absent = true;
    CHECK_STR(tnt_finished_status_name(tnt_nego_finished_status(&h)), "absent");
}

static void test_outcome(void)
{
    tnt_nego_hs h;
    memset(&h, 0, sizeof h);
    CHECK_STR(tnt_nego_outcome_text(&h), "incomplete");
    h.outcome = TNT_OUTCOME_SUCCESS;
    CHECK_STR(tnt_nego_outcome_text(&h), "success");
    h.outcome = TNT_OUTCOME_FAILURE;
    CHECK_STR(tnt_nego_outcome_text(&h), "failure");
}

static void test_policy(void)
{
    tnt_nego_policy p;
    memset(&p, 0, sizeof p);
    p.malformed = true;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "malformed");
    CHECK(tnt_policy_status_text(tnt_nego_policy_status(&p)) == NULL);
    p.malformed = false;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "not-evaluated");
    p.evaluated = true;
    p.verdict = TNT_VERDICT_SATISFIED;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "satisfied");
    CHECK_STR(tnt_policy_status_text(tnt_nego_policy_status(&p)), "satisfied");
    p.issuer_verified = TNT_TRI_YES;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "satisfied");
    CHECK_STR(tnt_policy_status_text(tnt_nego_policy_status(&p)), "satisfied (issuer verified)");
    p.verdict = TNT_VERDICT_UNVERIFIED;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "satisfied-issuer-not-verified");
    CHECK_STR(tnt_policy_status_text(tnt_nego_policy_status(&p)),
              "satisfied (issuer not verified)");
    p.verdict = TNT_VERDICT_UNDETERMINED;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "undetermined");
    p.verdict = TNT_VERDICT_NOT_SATISFIED;
    CHECK_STR(tnt_policy_status_id(tnt_nego_policy_status(&p)), "not-satisfied");
    CHECK_STR(tnt_policy_status_text(tnt_nego_policy_status(&p)), "not satisfied");

    /* The failing part wins over the general reason, and neither is shown
     * once the policy is satisfied. */
    p.reason = "no credential of that type";
    CHECK_STR(tnt_nego_policy_failing(&p), "no credential of that type");
    p.failing = "CN=\"x\"";
    CHECK_STR(tnt_nego_policy_failing(&p), "CN=\"x\"");
    p.satisfied_in_round = 2;
    CHECK(tnt_nego_policy_failing(&p) == NULL);
}

int main(void)
{
    test_finished();
    test_outcome();
    test_policy();
    return check_done("test_verdict");
}
