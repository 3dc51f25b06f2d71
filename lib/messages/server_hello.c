/* ServerHello body (RFC 5246 7.4.1.3), including the TLS 1.3 form and its
 * HelloRetryRequest disguise (RFC 8446 4.1.3), which share the layout. */
#include "handshake.h"

#include <string.h>

/* SHA-256("HelloRetryRequest"), RFC 8446 4.1.3. */
static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

bool tnt_server_hello_decode(tnt_cursor *body, const tnt_codepoints *cp, tnt_arena *a,
                             tnt_server_hello *out, tnt_error *err)
{
    *out = (tnt_server_hello){0};
    uint32_t at = tnt_cursor_offset(body);
    if (!tnt_read_u16(body, &out->version))
        return tnt_fail(err, at, "missing server_version");
    at = tnt_cursor_offset(body);
    uint8_t random[32];
    tnt_cursor r = *body;
    if (!tnt_read_bytes(body, 32, &out->random) || !tnt_copy(&r, random, sizeof(random)))
        return tnt_fail(err, at, "truncated random");
    out->is_hello_retry_request = memcmp(random, hrr_random, sizeof(random)) == 0;
    at = tnt_cursor_offset(body);
    if (!tnt_read_vec8(body, &out->session_id))
        return tnt_fail(err, at, "session_id overruns");
    if (out->session_id.len > 32)
        return tnt_fail(err, at, "session_id longer than 32 bytes");
    at = tnt_cursor_offset(body);
    if (!tnt_read_u16(body, &out->suite))
        return tnt_fail(err, at, "missing cipher_suite");
    at = tnt_cursor_offset(body);
    if (!tnt_read_u8(body, &out->compression))
        return tnt_fail(err, at, "missing compression_method");

    if (tnt_cursor_len(body) == 0)
        return true;
    out->has_extensions = true;
    if (!tnt_extensions_decode(body, true, cp, a, &out->ext, err))
        return false;
    if (tnt_cursor_len(body) != 0)
        return tnt_fail(err, tnt_cursor_offset(body), "bytes after extensions");
    return true;
}
