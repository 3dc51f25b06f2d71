/* The Alert protocol decoder: exactly two bytes. */
#include "alert.h"
#include "check.h"

int main(void)
{
    const uint8_t close_notify[] = {1, 0}, handshake_failure[] = {2, 40}, access_denied[] = {2, 49};
    tnt_alert a;
    tnt_error err = {0, NULL};
    CHECK(tnt_alert_decode(close_notify, 2, &a, &err));
    CHECK_EQ(a.level.v, 1);
    CHECK_EQ(a.description.v, 0);
    CHECK_EQ(a.level.at.off, 0);
    CHECK_EQ(a.description.at.off, 1);
    CHECK(tnt_alert_decode(handshake_failure, 2, &a, &err));
    CHECK_EQ(a.description.v, 40);
    CHECK(tnt_alert_decode(access_denied, 2, &a, &err));
    CHECK_EQ(a.level.v, 2);
    CHECK_EQ(a.description.v, 49);
    /* truncation at every offset, and one byte too many */
    CHECK(!tnt_alert_decode(close_notify, 0, &a, &err));
    CHECK_STR(err.what, "alert: missing level");
    CHECK(!tnt_alert_decode(close_notify, 1, &a, &err));
    CHECK_STR(err.what, "alert: missing description");
    CHECK_EQ(err.off, 1);
    const uint8_t three[] = {2, 49, 0};
    CHECK(!tnt_alert_decode(three, 3, &a, &err));
    CHECK_STR(err.what, "alert: trailing bytes");
    CHECK_EQ(err.off, 2);
    return check_done("test_alert");
}
