/* CertificateStatus (RFC 6066 8; RFC 6961 2.2 for ocsp_multi). */
#include "handshake.h"

enum { STATUS_OCSP = 1, STATUS_OCSP_MULTI = 2 };

bool tnt_certificate_status_decode(tnt_cursor *body, tnt_certificate_status *out, tnt_error *err)
{
    if (!tnt_read_u8(body, &out->status_type))
        return tnt_fail(err, tnt_cursor_offset(body), "truncated status_type");
    /* ocsp carries one OCSPResponse, ocsp_multi a list of them; both are one
     * u24 vector, kept whole (the list is for the front end to split). */
    if (out->status_type.v != STATUS_OCSP && out->status_type.v != STATUS_OCSP_MULTI)
        return tnt_fail(err, out->status_type.at.off, "unknown CertificateStatusType");
    uint32_t off = tnt_cursor_offset(body);
    if (!tnt_read_vec24(body, &out->response))
        return tnt_fail(err, off, "OCSP response overruns the message");
    if (out->response.len == 0)
        return tnt_fail(err, off, "empty OCSP response");
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "trailing bytes after OCSP response");
    return true;
}
