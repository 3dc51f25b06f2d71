/* ClientHello and ServerHello (RFC 5246 7.4.1.2 and 7.4.1.3). */
#include "encode.h"
#include "handshake.h"

bool tnt_enc_client_hello(tnt_builder *b, const tnt_client_hello_spec *h)
{
    if (!tnt_enc_hs_open(b, TNT_HS_CLIENT_HELLO))
        return false;
    tnt_bld_u16(b, h->version);
    tnt_bld_bytes(b, h->random, sizeof(h->random));
    tnt_bld_vec8(b, h->session_id.p, h->session_id.len);
    tnt_bld_open_u16(b);
    for (size_t i = 0; i < h->suites.n; i++)
        tnt_bld_u16(b, h->suites.v[i]);
    tnt_bld_close(b);
    tnt_bld_vec8(b, h->compressions.v, h->compressions.n);
    if (h->has_extensions)
        tnt_enc_extensions(b, h->ext, h->n_ext);
    return tnt_bld_close(b);
}

bool tnt_enc_server_hello(tnt_builder *b, const tnt_server_hello_spec *h)
{
    if (!tnt_enc_hs_open(b, TNT_HS_SERVER_HELLO))
        return false;
    tnt_bld_u16(b, h->version);
    tnt_bld_bytes(b, h->random, sizeof(h->random));
    tnt_bld_vec8(b, h->session_id.p, h->session_id.len);
    tnt_bld_u16(b, h->suite);
    tnt_bld_u8(b, h->compression);
    if (h->has_extensions)
        tnt_enc_extensions(b, h->ext, h->n_ext);
    return tnt_bld_close(b);
}
