/* DigitallySigned (RFC 5246 4.7): TLS 1.2 names its algorithm, earlier
 * versions imply it from the key. */
#include "handshake.h"

static bool read_signed(tnt_cursor *c, bool with_algorithm, tnt_digitally_signed *out,
                        tnt_error *err)
{
    tnt_digitally_signed d = {0};
    d.has_algorithm = with_algorithm;
    if (with_algorithm) {
        if (!tnt_read_u16(c, &d.scheme))
            return tnt_fail(err, tnt_cursor_offset(c), "truncated SignatureAndHashAlgorithm");
        d.hash.v = d.scheme.v >> 8;
        d.hash.at.off = d.scheme.at.off;
        d.hash.at.len = 1;
        d.sig.v = d.scheme.v & 0xFF;
        d.sig.at.off = d.scheme.at.off + 1;
        d.sig.at.len = 1;
    }
    uint32_t off = tnt_cursor_offset(c);
    if (!tnt_read_vec16(c, &d.signature))
        return tnt_fail(err, off, "signature overruns the message");
    *out = d;
    return true;
}

bool tnt_digitally_signed_decode(tnt_cursor *c, uint16_t version, tnt_digitally_signed *out,
                                 tnt_error *err)
{
    if (version != 0)
        return read_signed(c, version >= TNT_TLS12, out, err);

    /* Version not known yet (a capture that starts mid-connection): a
     * signature always ends its message, so the TLS 1.2 layout is right when
     * it consumes exactly what is left, as for TNTProof. */
    tnt_cursor try12 = *c;
    tnt_digitally_signed d;
    if (read_signed(&try12, true, &d, NULL) && tnt_cursor_len(&try12) == 0) {
        *c = try12;
        *out = d;
        return true;
    }
    return read_signed(c, false, out, err);
}
