/* SSLv2-format ClientHello (RFC 6101 appendix E, RFC 5246 appendix E.2).
 *
 * Old clients open with it so that SSL 2.0 servers understand them too; the
 * version field then says which SSL/TLS version they really want. Offsets
 * are relative to the first byte of the record header. */
#include "handshake.h"

bool tnt_sslv2_client_hello_decode(const uint8_t *rec, uint32_t len, tnt_arena *a,
                                   tnt_sslv2_client_hello *out, tnt_error *err)
{
    *out = (tnt_sslv2_client_hello){0};
    tnt_cursor c;
    tnt_cursor_init(&c, rec, len);

    /* A set top bit means a 2-byte header with a 15-bit length; otherwise the
     * header has 3 bytes, a 14-bit length (bit 6 is is-escape) and a padding
     * count, which must be 0 as nothing is encrypted yet. */
    uint16_t hdr;
    if (!tnt_get_u16(&c, &hdr))
        return tnt_fail(err, 0, "truncated record header");
    uint32_t rec_len;
    if (hdr & 0x8000) {
        rec_len = hdr & 0x7FFF;
    } else {
        uint8_t padding;
        rec_len = hdr & 0x3FFF;
        if (!tnt_get_u8(&c, &padding))
            return tnt_fail(err, 0, "truncated record header");
        if (padding != 0)
            return tnt_fail(err, 2, "padding in a cleartext record");
    }
    uint32_t at = tnt_cursor_offset(&c);
    tnt_cursor msg;
    if (!tnt_get_sub(&c, &msg, rec_len))
        return tnt_fail(err, at, "truncated record");
    if (tnt_cursor_len(&c) != 0)
        return tnt_fail(err, tnt_cursor_offset(&c), "bytes after the record");

    if (!tnt_read_u8(&msg, &out->msg_type))
        return tnt_fail(err, at, "missing msg_type");
    if (out->msg_type.v != 1)
        return tnt_fail(err, at, "not a CLIENT-HELLO");
    at = tnt_cursor_offset(&msg);
    if (!tnt_read_u16(&msg, &out->version))
        return tnt_fail(err, at, "missing version");
    at = tnt_cursor_offset(&msg);
    uint16_t specs_len, sid_len, chal_len;
    if (!tnt_get_u16(&msg, &specs_len) || !tnt_get_u16(&msg, &sid_len) ||
        !tnt_get_u16(&msg, &chal_len))
        return tnt_fail(err, at, "truncated lengths");
    if (specs_len == 0 || specs_len % 3 != 0)
        return tnt_fail(err, at, "cipher_spec_length not a non-zero multiple of 3");
    /* SSL 2.0 session ids are 16 bytes; challenges 16 to 32 (E.2). */
    if (sid_len != 0 && sid_len != 16)
        return tnt_fail(err, at + 2, "session_id_length neither 0 nor 16");
    if (chal_len < 16 || chal_len > 32)
        return tnt_fail(err, at + 4, "challenge_length outside 16..32");

    at = tnt_cursor_offset(&msg);
    tnt_cursor specs;
    if (!tnt_get_sub(&msg, &specs, specs_len))
        return tnt_fail(err, at, "truncated cipher_specs");
    out->n_specs = specs_len / 3u;
    out->specs = tnt_arena_array(a, out->n_specs, sizeof(*out->specs));
    if (!out->specs)
        return tnt_fail(err, at, "out of memory");
    for (uint32_t i = 0; i < out->n_specs; i++)
        tnt_read_u24(&specs, &out->specs[i]); /* cannot fail: multiple of 3 */
    at = tnt_cursor_offset(&msg);
    if (!tnt_read_bytes(&msg, sid_len, &out->session_id))
        return tnt_fail(err, at, "truncated session_id");
    at = tnt_cursor_offset(&msg);
    if (!tnt_read_bytes(&msg, chal_len, &out->challenge))
        return tnt_fail(err, at, "truncated challenge");
    if (tnt_cursor_len(&msg) != 0)
        return tnt_fail(err, tnt_cursor_offset(&msg), "bytes after the challenge");
    return true;
}
