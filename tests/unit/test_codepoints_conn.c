/* The TNT codepoints belong to a connection, not to the process: two
 * connections with different codepoints decode side by side, each its own
 * TNT messages, and neither sees the other's as TNT. Uses only the public
 * API (a front end's view) and tntenc to write the bytes. */
#include "check.h"

#include "tnt/conn.h"
#include "tnt/engine/encode.h"
#include "tnt/names.h"
#include "tnt/negotiation.h"

#include <stdlib.h>
#include <string.h>

/* What one connection's events showed. */
typedef struct seen {
    unsigned n_msgs;
    uint8_t type[8];
    bool decoded[8];
    bool hello_tnt[2]; /* [0] ClientHello, [1] ServerHello: a decoded tnt extension */
    uint32_t round;    /* of the TNTNegotiation, when one decoded */
    bool negotiation_decoded;
    const tnt_codepoints *cp; /* the connection's, to recognise its TNT types */
} seen;

static bool has_tnt(const tnt_extensions *e)
{
    for (uint32_t i = 0; i < e->n; i++)
        if (e->v[i].kind == TNT_EXTK_TNT && e->v[i].decoded)
            return true;
    return false;
}

static void on_message(void *user, tnt_dir dir, const tnt_message_event *ev)
{
    (void)dir;
    seen *s = user;
    const tnt_hs_msg *m = ev->msg;
    if (!m || s->n_msgs >= 8)
        return;
    s->type[s->n_msgs] = m->type;
    s->decoded[s->n_msgs] = m->decoded;
    s->n_msgs++;
    if (m->type == TNT_HS_CLIENT_HELLO && m->decoded)
        s->hello_tnt[0] = has_tnt(&m->u.client_hello.ext);
    if (m->type == TNT_HS_SERVER_HELLO && m->decoded)
        s->hello_tnt[1] = has_tnt(&m->u.server_hello.ext);
    if (m->type == s->cp->hs_negotiation && m->decoded) {
        s->negotiation_decoded = true;
        s->round = m->u.tnt_negotiation.round.v;
    }
}

static const tnt_conn_events events = {.message = on_message};

typedef struct flow {
    uint8_t *c2s, *s2c;
    size_t c2s_len, s2c_len;
} flow;

/* Wraps one handshake message (taken from b) into a plaintext record. */
static void record(tnt_builder *b, tnt_builder *out)
{
    uint8_t *m;
    size_t len;
    CHECK(tnt_bld_finish(b, &m, &len));
    CHECK(tnt_enc_record(out, TNT_CT_HANDSHAKE, TNT_TLS12, m, len));
    free(m);
}

/* ClientHello and ServerHello with the tnt extension, then the server's
 * round-1 TNTNegotiation, all written with the codepoints cp. */
static flow make_flow(const tnt_codepoints *cp)
{
    static const uint8_t one[] = {1};
    static const uint16_t suites[] = {0xC02F};
    static const uint8_t null_comp[] = {0};
    tnt_ext_spec ext = {.kind = TNT_EXTK_TNT, .u.tnt = {1, TNT_MODE_NEGOTIATE, {one, 1}, {one, 1}}};
    tnt_builder b, out;
    tnt_bld_init(&b);
    tnt_bld_init(&out);
    b.cp = cp;
    flow f;

    tnt_client_hello_spec ch = {TNT_TLS12,      {1},  {NULL, 0}, {suites, 1},
                                {null_comp, 1}, true, &ext,      1};
    CHECK(tnt_enc_client_hello(&b, &ch));
    record(&b, &out);
    CHECK(tnt_bld_finish(&out, &f.c2s, &f.c2s_len));

    tnt_server_hello_spec sh = {TNT_TLS12, {2}, {NULL, 0}, 0xC02F, 0, true, &ext, 1};
    CHECK(tnt_enc_server_hello(&b, &sh));
    record(&b, &out);
    tnt_negotiation_spec n = {1, 0, NULL, 0, NULL, 0};
    CHECK(tnt_enc_tnt_negotiation(&b, &n));
    record(&b, &out);
    CHECK(tnt_bld_finish(&out, &f.s2c, &f.s2c_len));
    tnt_bld_free(&b);
    tnt_bld_free(&out);
    return f;
}

static tnt_conn *open_conn(seen *s, const tnt_codepoints *cp)
{
    memset(s, 0, sizeof(*s));
    tnt_conn_options opt = {0};
    opt.negotiation = true;
    opt.codepoints = cp;
    tnt_conn *c = tnt_conn_new(&events, s, &opt);
    CHECK(c != NULL);
    s->cp = tnt_conn_codepoints(c);
    return c;
}

static void check_own(const seen *s, uint8_t neg_type)
{
    CHECK_EQ(s->n_msgs, 3);
    CHECK_EQ(s->type[2], neg_type);
    CHECK(s->decoded[2]);
    CHECK(s->negotiation_decoded);
    CHECK_EQ(s->round, 1);
    CHECK(s->hello_tnt[0]);
    CHECK(s->hello_tnt[1]);
}

static void test_side_by_side(void)
{
    tnt_codepoints moved;
    CHECK(tnt_codepoints_make(&moved, 0xFE00, 230, 231));
    flow fa = make_flow(NULL), fb = make_flow(&moved);

    seen sa, sb, sx;
    tnt_conn *a = open_conn(&sa, NULL);
    tnt_conn *b = open_conn(&sb, &moved);
    /* The copy a connection keeps is its own: changing the caller's value
     * afterwards changes nothing. */
    tnt_codepoints temp = moved;
    tnt_conn *x = open_conn(&sx, &temp); /* the defaults' bytes under moved codepoints */
    CHECK(tnt_codepoints_make(&temp, TNT_DEFAULT_EXT_TYPE, TNT_DEFAULT_HS_NEGOTIATION,
                              TNT_DEFAULT_HS_PROOF));
    CHECK_EQ(tnt_conn_codepoints(x)->hs_negotiation, 230);

    /* Interleaved, as a capture of two connections would be. */
    tnt_conn_feed(a, TNT_C2S, fa.c2s, fa.c2s_len);
    tnt_conn_feed(b, TNT_C2S, fb.c2s, fb.c2s_len);
    tnt_conn_feed(x, TNT_C2S, fa.c2s, fa.c2s_len);
    tnt_conn_feed(a, TNT_S2C, fa.s2c, fa.s2c_len);
    tnt_conn_feed(b, TNT_S2C, fb.s2c, fb.s2c_len);
    tnt_conn_feed(x, TNT_S2C, fa.s2c, fa.s2c_len);

    check_own(&sa, TNT_DEFAULT_HS_NEGOTIATION);
    check_own(&sb, 230);
    CHECK_EQ(tnt_conn_codepoints(a)->hs_negotiation, TNT_DEFAULT_HS_NEGOTIATION);
    CHECK_EQ(tnt_conn_codepoints(b)->ext_type, 0xFE00);

    /* Under the other codepoints the same bytes carry no TNT: type 224 is
     * just an unknown message, 0xFF54 just an unknown extension. */
    CHECK_EQ(sx.n_msgs, 3);
    CHECK_EQ(sx.type[2], TNT_DEFAULT_HS_NEGOTIATION);
    CHECK(!sx.decoded[2]);
    CHECK(!sx.negotiation_decoded);
    CHECK(!sx.hello_tnt[0]);
    CHECK(!sx.hello_tnt[1]);

    /* The negotiation models agree with their decoders. */
    tnt_conn_finish(a);
    tnt_conn_finish(b);
    tnt_conn_finish(x);
    const tnt_nego_hs *ha = tnt_nego_handshake_by_index(tnt_conn_negotiation(a), 1);
    const tnt_nego_hs *hb = tnt_nego_handshake_by_index(tnt_conn_negotiation(b), 1);
    const tnt_nego_hs *hx = tnt_nego_handshake_by_index(tnt_conn_negotiation(x), 1);
    CHECK(ha && ha->client_tnt && ha->server_tnt);
    CHECK(hb && hb->client_tnt && hb->server_tnt);
    CHECK(hx && !hx->client_tnt && !hx->server_tnt);

    /* The names follow each connection's codepoints. */
    CHECK_STR(tnt_handshake_type_name(tnt_conn_codepoints(b), 230), "TNTNegotiation");
    CHECK(tnt_handshake_type_name(tnt_conn_codepoints(a), 230) == NULL);

    tnt_conn_free(a);
    tnt_conn_free(b);
    tnt_conn_free(x);
    free(fa.c2s);
    free(fa.s2c);
    free(fb.c2s);
    free(fb.s2c);
}

int main(void)
{
    test_side_by_side();
    return check_done("test_codepoints_conn");
}
