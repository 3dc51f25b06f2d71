/* NewSessionTicket, TLS 1.2 form (RFC 5077 3.3). */
#include "handshake.h"

bool tnt_new_session_ticket_decode(tnt_cursor *body, tnt_new_session_ticket *out, tnt_error *err)
{
    uint32_t off = tnt_cursor_offset(body);
    uint32_t lifetime;
    if (!tnt_get_u32(body, &lifetime))
        return tnt_fail(err, off, "truncated ticket_lifetime_hint");
    out->lifetime_hint.v = lifetime;
    out->lifetime_hint.at.off = off;
    out->lifetime_hint.at.len = 4;
    off = tnt_cursor_offset(body);
    /* An empty ticket is legal: the server had promised one and changed its
     * mind (RFC 5077 3.3). */
    if (!tnt_read_vec16(body, &out->ticket))
        return tnt_fail(err, off, "ticket overruns the message");
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after ticket");
    return true;
}
