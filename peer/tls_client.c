/* The client side of a TLS 1.0-1.2 handshake (full, resumed, renegotiated). */
#include "tls_int.h"

#include <stdlib.h>
#include <string.h>

#define FAIL(alert, ...) tls_conn_fail(c, (alert), __VA_ARGS__)

static const char *type_name(const tls_conn *c, uint8_t t)
{
    const char *n = tnt_handshake_type_name(&c->cfg->codepoints, t);
    return n ? n : "unknown handshake message";
}

static bool offered_ext(const tls_hs *hs, uint16_t type)
{
    return tls_list_has(hs->offered_ext, hs->n_offered_ext, type);
}

static bool send_client_hello(tls_conn *c, tls_hs *hs, uint16_t *suites, size_t *n_suites)
{
    const tls_config *cfg = c->cfg;
    tls_random(hs->client_random, 32);
    hs->client_version = cfg->max_version;
    bool any_ecdhe = false, any_cbc = false;
    *n_suites = 0;
    for (size_t i = 0; i < cfg->n_suites; i++) {
        if (!tls_suite_usable(cfg->suites[i], cfg->max_version))
            continue;
        const tnt_suite_info *si = tnt_suite_lookup(cfg->suites[i]);
        any_ecdhe |= si->kx == TNT_KX_ECDHE;
        any_cbc |= !tnt_cipher_lookup(si->cipher)->aead;
        suites[(*n_suites)++] = cfg->suites[i];
    }
    if (*n_suites == 0)
        return FAIL(TLS_ALERT_INTERNAL_ERROR, "no usable cipher suite configured");
    const tls_session *o = &c->offer;
    if (o->id_len && o->version >= cfg->min_version && o->version <= cfg->max_version &&
        tls_list_has(suites, *n_suites, o->suite)) {
        memcpy(hs->session_id, o->id, o->id_len);
        hs->session_id_len = o->id_len;
    }

    tnt_ext_spec ext[8 + TLS_MAX_HOOK_EXT];
    size_t n = 0;
    memset(ext, 0, sizeof ext);
    tnt_blob sni = tnt_blob_str(cfg->sni ? cfg->sni : "");
    static const uint8_t uncompressed = 0;
    if (cfg->sni) {
        ext[n].kind = TNT_EXTK_SERVER_NAME;
        ext[n++].u.sni = (tnt_blobs){&sni, 1};
    }
    if (any_ecdhe) {
        ext[n].kind = TNT_EXTK_SUPPORTED_GROUPS;
        ext[n++].u.groups = (tnt_u16s){cfg->groups, cfg->n_groups};
        ext[n].kind = TNT_EXTK_EC_POINT_FORMATS;
        ext[n++].u.formats = (tnt_u8s){&uncompressed, 1};
    }
    if (cfg->max_version >= TNT_TLS12) {
        ext[n].kind = TNT_EXTK_SIGNATURE_ALGORITHMS;
        ext[n++].u.sig_algs = (tnt_u16s){cfg->sig_algs, cfg->n_sig_algs};
        hs->client_sent_sig_algs = true;
        for (size_t i = 0; i < cfg->n_sig_algs && i < 64; i++)
            hs->client_sig_algs[hs->n_client_sig_algs++] = cfg->sig_algs[i];
    }
    if (cfg->etm && any_cbc)
        ext[n++].kind = TNT_EXTK_ENCRYPT_THEN_MAC;
    if (cfg->ems)
        ext[n++].kind = TNT_EXTK_EXTENDED_MASTER_SECRET;
    if (cfg->reneg_info && (!hs->renegotiation || c->secure_reneg)) {
        ext[n].kind = TNT_EXTK_RENEGOTIATION_INFO;
        ext[n++].u.renegotiation_info =
            hs->renegotiation ? tnt_blob_of(c->client_vd, 12) : tnt_blob_of(NULL, 0);
    }
    if (cfg->hooks.add_hello_ext) {
        size_t extra = 0;
        if (!cfg->hooks.add_hello_ext(cfg->hooks.user, c, ext + n, TLS_MAX_HOOK_EXT, &extra))
            return c->failed ? false
                             : FAIL(TLS_ALERT_INTERNAL_ERROR, "hello extension hook failed");
        n += extra > TLS_MAX_HOOK_EXT ? TLS_MAX_HOOK_EXT : extra;
    }

    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &c->cfg->codepoints;
    /* Remember the types by encoding each one alone: the spec says the kind,
     * and the encoder knows the type each kind has. */
    for (size_t i = 0; i < n && hs->n_offered_ext < 32; i++) {
        tnt_bld_reset(&b);
        size_t len;
        if (!tnt_enc_extension(&b, &ext[i]))
            break;
        const uint8_t *p = tnt_bld_data(&b, &len);
        hs->offered_ext[hs->n_offered_ext++] = (uint16_t)(p[0] << 8 | p[1]);
    }
    tnt_bld_reset(&b);
    tnt_client_hello_spec ch = {0};
    ch.version = hs->client_version;
    memcpy(ch.random, hs->client_random, 32);
    ch.session_id = tnt_blob_of(hs->session_id, hs->session_id_len);
    ch.suites = (tnt_u16s){suites, *n_suites};
    ch.compressions = (tnt_u8s){&uncompressed, 1};
    ch.has_extensions = true;
    ch.ext = ext;
    ch.n_ext = n;
    tnt_enc_client_hello(&b, &ch);
    bool ok = tls_hs_send_bld(c, &b);
    tnt_bld_free(&b);
    return ok;
}

/* Expects the next message to be of type want; returns it (caller unrefs). */
static GBytes *expect(tls_conn *c, uint8_t want)
{
    GBytes *m = tls_hs_next(c);
    if (!m)
        return NULL;
    const uint8_t *p = g_bytes_get_data(m, NULL);
    if (p[0] != want) {
        FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "expected %s, got %s", type_name(c, want),
             type_name(c, p[0]));
        g_bytes_unref(m);
        return NULL;
    }
    return m;
}

static bool check_server_hello(tls_conn *c, tls_hs *hs, const uint16_t *suites, size_t n_suites)
{
    const tls_config *cfg = c->cfg;
    const tnt_server_hello *sh = &hs->peer_hello.u.server_hello;
    uint16_t v = (uint16_t)sh->version.v;
    if (sh->is_hello_retry_request)
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "HelloRetryRequest to a TLS 1.2 client");
    if (v < cfg->min_version || v > cfg->max_version)
        return FAIL(TLS_ALERT_PROTOCOL_VERSION, "server chose version 0x%04x outside 0x%04x-0x%04x",
                    v, cfg->min_version, cfg->max_version);
    if (hs->renegotiation && v != c->version)
        return FAIL(TLS_ALERT_PROTOCOL_VERSION, "renegotiation changed the version to 0x%04x", v);
    uint16_t suite = (uint16_t)sh->suite.v;
    if (!tls_list_has(suites, n_suites, suite) || !tls_suite_usable(suite, v))
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "server chose cipher suite 0x%04x not offered",
                    suite);
    if (sh->compression.v != 0)
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "server chose compression %u", sh->compression.v);
    if (sh->session_id.len > 32)
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "session_id longer than 32 bytes");
    hs->version = v;
    c->version = v;
    hs->suite = suite;
    hs->si = tnt_suite_lookup(suite);
    hs->prf = tls_prf_for(v, hs->si);
    memcpy(hs->server_random, sh->random.p, 32);

    bool reneg_seen = false;
    const tnt_extensions *ex = &sh->ext;
    for (uint32_t i = 0; sh->has_extensions && i < ex->n; i++) {
        const tnt_extension *e = &ex->v[i];
        uint16_t t = (uint16_t)e->type.v;
        if (!offered_ext(hs, t))
            return FAIL(TLS_ALERT_UNSUPPORTED_EXTENSION,
                        "ServerHello has extension %u (%s) not "
                        "offered",
                        t,
                        tnt_extension_name(&c->cfg->codepoints, t)
                            ? tnt_extension_name(&c->cfg->codepoints, t)
                            : "?");
        for (uint32_t j = 0; j < i; j++)
            if (ex->v[j].type.v == t)
                return FAIL(TLS_ALERT_DECODE_ERROR, "ServerHello repeats extension %u", t);
        if (e->kind != TNT_EXTK_UNKNOWN && !e->decoded)
            return FAIL(TLS_ALERT_DECODE_ERROR, "ServerHello extension %u: %s", t,
                        e->err.what ? e->err.what : "malformed");
        switch (t) {
        case TNT_EXT_RENEGOTIATION_INFO: {
            const tnt_bytes *ri = &e->u.renegotiation_info;
            reneg_seen = true;
            uint8_t want[24];
            memcpy(want, c->client_vd, 12);
            memcpy(want + 12, c->server_vd, 12);
            size_t want_len = hs->renegotiation ? 24 : 0;
            if (ri->len != want_len || (want_len && !tls_ct_equal(ri->p, want, 24)))
                return FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "renegotiation_info mismatch (RFC 5746)");
            break;
        }
        case TNT_EXT_EXTENDED_MASTER_SECRET:
            if (e->data.len)
                return FAIL(TLS_ALERT_DECODE_ERROR, "extended_master_secret not empty");
            hs->ems = true;
            break;
        case TNT_EXT_ENCRYPT_THEN_MAC:
            if (e->data.len)
                return FAIL(TLS_ALERT_DECODE_ERROR, "encrypt_then_mac not empty");
            if (tnt_cipher_lookup(hs->si->cipher)->aead)
                return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "encrypt_then_mac with an AEAD suite");
            hs->etm = true;
            break;
        default:
            break;
        }
    }
    if (hs->renegotiation && c->secure_reneg && !reneg_seen)
        return FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "renegotiation_info missing in renegotiation");
    hs->reneg_ext = reneg_seen;

    if (hs->session_id_len && sh->session_id.len == hs->session_id_len &&
        !memcmp(sh->session_id.p, hs->session_id, hs->session_id_len)) {
        const tls_session *o = &c->offer;
        if (o->version != v || o->suite != suite)
            return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "resumed session with other version/suite");
        if (o->ems != hs->ems)
            return FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                        "resumption changes extended_master_secret (RFC 7627 5.3)");
        hs->resumed = true;
        memcpy(hs->master_secret, o->master_secret, 48);
    } else {
        memcpy(hs->session_id, sh->session_id.p, sh->session_id.len);
        hs->session_id_len = sh->session_id.len;
    }
    if (cfg->hooks.peer_hello && !cfg->hooks.peer_hello(cfg->hooks.user, c, &hs->peer_hello))
        return c->failed ? false : FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "ServerHello refused by hook");
    return true;
}

static bool recv_certificate(tls_conn *c, tls_hs *hs)
{
    GBytes *m = expect(c, TNT_HS_CERTIFICATE);
    if (!m)
        return false;
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    bool ok = tls_hs_decode_msg(c, p, len, true, &a, &msg);
    if (ok && msg.u.certificate.n_certs == 0)
        ok = FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "server sent no certificate");
    for (uint32_t i = 0; ok && i < msg.u.certificate.n_certs && i < TLS_MAX_CERTS; i++) {
        const tnt_bytes *d = &msg.u.certificate.certs[i].der;
        hs->peer_certs[i] = malloc(d->len ? d->len : 1);
        memcpy(hs->peer_certs[i], d->p, d->len);
        hs->peer_cert_lens[i] = d->len;
        hs->n_peer_certs = i + 1;
    }
    char reason[200];
    if (ok && !tnt_kx_cert_fits_auth(hs->peer_certs[0], hs->peer_cert_lens[0], hs->si->auth, reason,
                                     sizeof reason))
        ok = FAIL(TLS_ALERT_UNSUPPORTED_CERTIFICATE, "server certificate: %s", reason);
    const tls_hooks *h = &c->cfg->hooks;
    if (ok && h->verify_chain &&
        !h->verify_chain(h->user, c, (const uint8_t *const *)hs->peer_certs, hs->peer_cert_lens,
                         hs->n_peer_certs))
        ok = c->failed ? false : FAIL(TLS_ALERT_BAD_CERTIFICATE, "server chain refused");
    tnt_arena_free(&a);
    g_bytes_unref(m);
    return ok;
}

static bool recv_ske(tls_conn *c, tls_hs *hs, uint8_t *point, size_t *point_len)
{
    GBytes *m = expect(c, TNT_HS_SERVER_KEY_EXCHANGE);
    if (!m)
        return false;
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    bool ok = tls_hs_decode_msg(c, p, len, true, &a, &msg);
    const tnt_server_key_exchange *ske = &msg.u.ske;
    /* The decoder keeps explicit curves undecoded (raw only), and only the
     * named form is negotiable (RFC 8422 5.4), so anything else is as
     * malformed as a truncated body for this peer. */
    if (ok && (ske->kind != TNT_SKE_ECDHE || !ske->signed_params || ske->curve_type.v != 3))
        ok = FAIL(TLS_ALERT_DECODE_ERROR, "ServerKeyExchange: not a signed named_curve ECDHE");
    /* The signature covers ServerECDHParams exactly as sent: curve_type,
     * named_curve, the point's length byte and the point (RFC 8422 5.4),
     * which lead the body. */
    tnt_bytes params = {0};
    if (ok) {
        tnt_cursor body;
        tnt_cursor_init(&body, ske->raw.p, ske->raw.len);
        if (!tnt_read_bytes(&body, 4 + (size_t)ske->ec_point.len, &params))
            ok = FAIL(TLS_ALERT_DECODE_ERROR, "ServerKeyExchange: params overrun the message");
    }
    if (ok && !tls_list_has(c->cfg->groups, c->cfg->n_groups, (uint16_t)ske->named_curve.v))
        ok = FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "ServerKeyExchange group 0x%04x not offered",
                  ske->named_curve.v);
    if (ok) {
        char reason[256];
        tnt_proof_result r = tnt_kx_ske_verify(
            hs->version, hs->peer_certs[0], hs->peer_cert_lens[0], hs->client_random,
            hs->server_random, params.p, params.len, ske->sig.has_algorithm,
            (uint16_t)ske->sig.scheme.v, ske->sig.signature.p, ske->sig.signature.len,
            hs->client_sig_algs, hs->n_client_sig_algs, reason, sizeof reason);
        if (r != TNT_PROOF_VALID)
            ok = FAIL(TLS_ALERT_DECRYPT_ERROR, "ServerKeyExchange signature %s: %s",
                      tnt_proof_result_name(r), reason);
    }
    if (ok) {
        hs->group = (uint16_t)ske->named_curve.v;
        if (ske->ec_point.len > TNT_KX_MAX_PUBLIC_LEN)
            ok = FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "ServerKeyExchange point too long");
        else {
            memcpy(point, ske->ec_point.p, ske->ec_point.len);
            *point_len = ske->ec_point.len;
        }
    }
    tnt_arena_free(&a);
    g_bytes_unref(m);
    return ok;
}

/* From after the key exchange messages up to and including ServerHelloDone. */
static bool recv_until_done(tls_conn *c, tls_hs *hs)
{
    const tls_hooks *h = &c->cfg->hooks;
    for (;;) {
        GBytes *m = tls_hs_next(c);
        if (!m)
            return false;
        gsize len;
        const uint8_t *p = g_bytes_get_data(m, &len);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_hs_msg msg;
        bool ok = true, done = false;
        if (p[0] == TNT_HS_SERVER_HELLO_DONE) {
            if (len != 4)
                ok = FAIL(TLS_ALERT_DECODE_ERROR, "ServerHelloDone not empty");
            done = true;
        } else if (p[0] == TNT_HS_CERTIFICATE_REQUEST && !hs->cert_requested) {
            ok = tls_hs_decode_msg(c, p, len, true, &a, &msg);
            hs->cert_requested = true;
        } else if (h->client_extra_msg && !hs->cert_requested && p[0] != TNT_HS_CERTIFICATE &&
                   p[0] != TNT_HS_SERVER_KEY_EXCHANGE && p[0] != TNT_HS_SERVER_HELLO &&
                   p[0] != TNT_HS_FINISHED && p[0] != TNT_HS_CLIENT_HELLO) {
            ok = tls_hs_decode_msg(c, p, len, true, &a, &msg);
            if (ok && !h->client_extra_msg(h->user, c, &msg))
                ok = c->failed ? false
                               : FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "%s refused by hook",
                                      type_name(c, p[0]));
        } else {
            ok = FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "unexpected %s before ServerHelloDone",
                      type_name(c, p[0]));
        }
        tnt_arena_free(&a);
        g_bytes_unref(m);
        if (!ok)
            return false;
        if (done)
            return true;
    }
}

static bool send_cke(tls_conn *c, tls_hs *hs, const uint8_t *point, size_t point_len)
{
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &c->cfg->codepoints;
    bool ok = true;
    if (hs->cert_requested) {
        /* No client certificates: an empty list lets the server decide. */
        tnt_enc_certificate(&b, NULL, 0);
        ok = tls_hs_send_bld(c, &b);
    }
    uint8_t pms[TNT_KX_RSA_PMS_LEN];
    size_t pms_len = 0;
    tnt_error e = {0};
    if (ok && hs->si->kx == TNT_KX_ECDHE) {
        if (!tnt_kx_ecdhe_generate(hs->group, &hs->ecdhe, &e))
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "ECDHE key generation: %s", e.what);
        else if (!tnt_kx_ecdhe_shared(&hs->ecdhe, point, point_len, pms, &e))
            ok = FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "server ECDHE point: %s", e.what);
        pms_len = TNT_KX_ECDHE_PMS_LEN;
        if (ok)
            tnt_enc_cke_ecdh(&b, tnt_blob_of(hs->ecdhe.pub, hs->ecdhe.pub_len));
    } else if (ok) {
        uint8_t epms[1024];
        size_t epms_len = 0;
        tnt_kx_rsa_make_pms(hs->client_version, pms);
        pms_len = TNT_KX_RSA_PMS_LEN;
        if (!tnt_kx_rsa_encrypt_pms(hs->peer_certs[0], hs->peer_cert_lens[0], pms, epms,
                                    sizeof epms, &epms_len, &e))
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "RSA key exchange: %s", e.what);
        else
            tnt_enc_cke_rsa(&b, hs->version, tnt_blob_of(epms, epms_len));
    }
    ok = ok && tls_hs_send_bld(c, &b) && tls_make_keys(c, pms, pms_len);
    memset(pms, 0, sizeof pms);
    tnt_bld_free(&b);
    return ok;
}

static bool run_client(tls_conn *c, tls_hs *hs)
{
    uint16_t suites[TLS_MAX_LIST];
    size_t n_suites = 0;
    if (!send_client_hello(c, hs, suites, &n_suites))
        return false;
    GBytes *m = expect(c, TNT_HS_SERVER_HELLO);
    if (!m)
        return false;
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    bool ok = tls_keep_peer_hello(c, p, len, true);
    g_bytes_unref(m);
    if (!ok || !check_server_hello(c, hs, suites, n_suites))
        return false;
    if (hs->resumed) {
        tls_keylog(c);
        if (!tls_make_pending(c) || !tls_recv_ccs_finished(c) || !tls_send_ccs_finished(c))
            return false;
        tls_hs_complete(c);
        return true;
    }
    uint8_t point[TNT_KX_MAX_PUBLIC_LEN];
    size_t point_len = 0;
    if (!recv_certificate(c, hs))
        return false;
    if (hs->si->kx == TNT_KX_ECDHE && !recv_ske(c, hs, point, &point_len))
        return false;
    if (!recv_until_done(c, hs))
        return false;
    const tls_hooks *h = &c->cfg->hooks;
    if (h->client_before_cke && !h->client_before_cke(h->user, c))
        return c->failed ? false : FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "aborted by hook");
    if (!send_cke(c, hs, point, point_len) || !tls_send_ccs_finished(c) ||
        !tls_recv_ccs_finished(c))
        return false;
    tls_hs_complete(c);
    return true;
}

bool tls_client_handshake(tls_conn *c, bool renegotiation)
{
    c->reneg_refused = false;
    tls_hs *hs = tls_hs_new(c, renegotiation);
    if (!hs)
        return FAIL(TLS_ALERT_INTERNAL_ERROR, "out of memory");
    if (run_client(c, hs))
        return true;
    tls_hs_free(c->hs);
    c->hs = NULL;
    return false;
}
