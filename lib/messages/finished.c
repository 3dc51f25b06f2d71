/* Finished (RFC 5246 7.4.9; RFC 6101 5.6.9 for SSL 3.0). */
#include "handshake.h"

bool tnt_finished_decode(tnt_cursor *body, tnt_finished *out, tnt_error *err)
{
    /* verify_data is the whole body: 12 bytes in TLS, MD5+SHA-1 (36) in
     * SSL 3.0. No suite in use defines another verify_data_length, so any
     * other size means a misframed or mis-decrypted message. */
    size_t len = tnt_cursor_len(body);
    if (len != 12 && len != 36)
        return tnt_fail(err, tnt_cursor_offset(body), "Finished is neither 12 nor 36 bytes");
    tnt_read_rest(body, &out->verify_data);
    return true;
}
