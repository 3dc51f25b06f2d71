/* TLS records (RFC 5246 6.2.1). */
#include "encode.h"
#include "prf.h"
#include "record.h"

#include <gcrypt.h>

bool tnt_enc_record(tnt_builder *b, uint8_t type, uint16_t version, const uint8_t *body, size_t len)
{
    /* The u16 length could say more, but the record decoder (rightly) takes
     * anything longer for a stream that is not TLS. */
    if (len > TNT_MAX_RECORD_BODY)
        return tnt_bld_fail(b, "encode: record body longer than TLS allows");
    return tnt_bld_u8(b, type) && tnt_bld_u16(b, version) && tnt_bld_vec16(b, body, len);
}

bool tnt_enc_records(tnt_builder *b, uint8_t type, uint16_t version, const uint8_t *data,
                     size_t len, size_t max_fragment)
{
    if (max_fragment == 0 || max_fragment > TNT_MAX_RECORD_BODY)
        return tnt_bld_fail(b, "encode: record fragment size out of range");
    for (size_t off = 0; off < len; off += max_fragment) {
        size_t n = len - off < max_fragment ? len - off : max_fragment;
        if (!tnt_enc_record(b, type, version, data + off, n))
            return false;
    }
    return tnt_bld_ok(b);
}

void tnt_enc_record_iv(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    tnt_gcrypt_init();
    gcry_create_nonce(buf, len);
}
