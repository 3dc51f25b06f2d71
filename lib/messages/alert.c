#include "alert.h"

bool tnt_alert_decode(const uint8_t *body, uint32_t len, tnt_alert *out, tnt_error *err)
{
    tnt_cursor c;
    tnt_cursor_init(&c, body, len);
    if (!tnt_read_u8(&c, &out->level))
        return tnt_fail(err, 0, "alert: missing level");
    if (!tnt_read_u8(&c, &out->description))
        return tnt_fail(err, 1, "alert: missing description");
    if (tnt_cursor_len(&c) != 0)
        return tnt_fail(err, 2, "alert: trailing bytes");
    return true;
}
