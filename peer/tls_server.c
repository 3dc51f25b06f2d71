/* The server side of a TLS 1.0-1.2 handshake (full, resumed, renegotiated). */
#include "tls_int.h"

#include "tnt/rsa_key.h"

#include <stdlib.h>
#include <string.h>

#define FAIL(alert, ...) tls_conn_fail(c, (alert), __VA_ARGS__)

#define SCSV_RENEGOTIATION 0x00FF

typedef struct ch_info {
    uint16_t groups[TLS_MAX_LIST]; /* common groups, our preference order */
    size_t n_groups;
    bool point_formats, ems, etm;
} ch_info;

static bool ch_offers_suite(const tnt_client_hello *ch, uint16_t s)
{
    for (uint32_t i = 0; i < ch->n_suites; i++)
        if (ch->suites[i].v == s)
            return true;
    return false;
}

static const tls_cred *cred_for(const tls_config *cfg, int auth)
{
    for (size_t i = 0; i < cfg->n_creds; i++)
        if (cfg->creds[i].auth == auth)
            return &cfg->creds[i];
    return NULL;
}

static bool check_client_hello(tls_conn *c, tls_hs *hs, ch_info *ci)
{
    const tls_config *cfg = c->cfg;
    const tnt_client_hello *ch = &hs->peer_hello.u.client_hello;
    uint16_t cv = (uint16_t)ch->version.v;
    hs->client_version = cv;
    if ((cv >> 8) != 3 || cv < cfg->min_version)
        return FAIL(TLS_ALERT_PROTOCOL_VERSION, "client version 0x%04x below 0x%04x", cv,
                    cfg->min_version);
    hs->version = cv > cfg->max_version ? cfg->max_version : cv;
    if (hs->renegotiation && hs->version != c->version)
        return FAIL(TLS_ALERT_PROTOCOL_VERSION, "renegotiation would change the version");
    bool null_comp = false;
    for (uint32_t i = 0; i < ch->n_compressions; i++)
        null_comp |= ch->compressions[i].v == 0;
    if (!null_comp)
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "ClientHello without null compression");
    if (ch->session_id.len > 32)
        return FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "session_id longer than 32 bytes");
    memcpy(hs->client_random, ch->random.p, 32);

    const tnt_extension *ri = NULL;
    bool common_formats = true;
    const tnt_extensions *ex = &ch->ext;
    for (uint32_t i = 0; ch->has_extensions && i < ex->n; i++) {
        const tnt_extension *e = &ex->v[i];
        uint16_t t = (uint16_t)e->type.v;
        for (uint32_t j = 0; j < i; j++)
            if (ex->v[j].type.v == t)
                return FAIL(TLS_ALERT_DECODE_ERROR, "ClientHello repeats extension %u", t);
        if (e->kind != TNT_EXTK_UNKNOWN && !e->decoded)
            return FAIL(TLS_ALERT_DECODE_ERROR, "ClientHello extension %u: %s", t,
                        e->err.what ? e->err.what : "malformed");
        switch (t) {
        case TNT_EXT_RENEGOTIATION_INFO:
            ri = e;
            break;
        case TNT_EXT_EXTENDED_MASTER_SECRET:
            ci->ems = cfg->ems;
            break;
        case TNT_EXT_ENCRYPT_THEN_MAC:
            ci->etm = cfg->etm;
            break;
        case TNT_EXT_SIGNATURE_ALGORITHMS:
            hs->client_sent_sig_algs = true;
            for (uint32_t k = 0; k < e->u.sig_algs.n && hs->n_client_sig_algs < 64; k++)
                hs->client_sig_algs[hs->n_client_sig_algs++] = (uint16_t)e->u.sig_algs.v[k].v;
            break;
        case TNT_EXT_SUPPORTED_GROUPS:
            for (size_t k = 0; k < cfg->n_groups; k++)
                for (uint32_t j = 0; j < e->u.groups.n; j++)
                    if (e->u.groups.v[j].v == cfg->groups[k])
                        ci->groups[ci->n_groups++] = cfg->groups[k];
            break;
        case TNT_EXT_EC_POINT_FORMATS:
            ci->point_formats = true;
            common_formats = false;
            for (uint32_t j = 0; j < e->u.formats.n; j++)
                common_formats |= e->u.formats.v[j].v == 0;
            break;
        default:
            break;
        }
    }
    if (!tnt_extensions_find(ex, TNT_EXT_SUPPORTED_GROUPS) || !ch->has_extensions) {
        /* RFC 8422 4: a client that names no groups takes any. */
        ci->groups[ci->n_groups++] = cfg->groups[0];
    }
    if (!common_formats)
        ci->n_groups = 0;

    /* RFC 5746 3.6 and 3.7. */
    if (cfg->reneg_info) {
        bool scsv = ch_offers_suite(ch, SCSV_RENEGOTIATION);
        if (!hs->renegotiation) {
            if (ri && ri->u.renegotiation_info.len != 0)
                return FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                            "non-empty renegotiation_info in an initial handshake");
            hs->reneg_ext = ri || scsv;
        } else {
            if (scsv)
                return FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "renegotiation SCSV in a renegotiation");
            if (c->secure_reneg) {
                if (!ri || ri->u.renegotiation_info.len != 12 ||
                    !tls_ct_equal(ri->u.renegotiation_info.p, c->client_vd, 12))
                    return FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                                "renegotiation_info missing or wrong (RFC 5746)");
                hs->reneg_ext = true;
            } else if (ri) {
                return FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                            "renegotiation_info in a renegotiation of an insecure session");
            }
        }
    }
    c->version = hs->version;
    if (cfg->hooks.peer_hello && !cfg->hooks.peer_hello(cfg->hooks.user, c, &hs->peer_hello))
        return c->failed ? false : FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "ClientHello refused by hook");
    return true;
}

static bool choose(tls_conn *c, tls_hs *hs, const ch_info *ci)
{
    const tls_config *cfg = c->cfg;
    const tnt_client_hello *ch = &hs->peer_hello.u.client_hello;
    tls_session s;
    if (cfg->session_cache && ch->session_id.len &&
        !(hs->renegotiation && cfg->no_resumption_on_reneg) &&
        tls_cache_get(cfg, ch->session_id.p, ch->session_id.len, &s) && s.version == hs->version &&
        ch_offers_suite(ch, s.suite) && tls_list_has(cfg->suites, cfg->n_suites, s.suite)) {
        if (s.ems && !ci->ems)
            return FAIL(TLS_ALERT_HANDSHAKE_FAILURE,
                        "resumption of an EMS session without EMS (RFC 7627 5.3)");
        if (s.ems == ci->ems) {
            hs->resumed = true;
            hs->suite = s.suite;
            memcpy(hs->master_secret, s.master_secret, 48);
            memcpy(hs->session_id, s.id, s.id_len);
            hs->session_id_len = s.id_len;
        }
    }
    for (size_t i = 0; !hs->resumed && i < cfg->n_suites; i++) {
        uint16_t id = cfg->suites[i];
        if (!ch_offers_suite(ch, id) || !tls_suite_usable(id, hs->version))
            continue;
        const tnt_suite_info *si = tnt_suite_lookup(id);
        const tls_cred *cr = cred_for(cfg, si->auth);
        if (!cr || (si->kx == TNT_KX_ECDHE && ci->n_groups == 0))
            continue;
        hs->suite = id;
        hs->cred = cr;
        if (si->kx == TNT_KX_ECDHE)
            hs->group = ci->groups[0];
        break;
    }
    if (!hs->suite)
        return FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no cipher suite in common");
    hs->si = tnt_suite_lookup(hs->suite);
    hs->prf = tls_prf_for(hs->version, hs->si);
    hs->ems = ci->ems;
    hs->etm = ci->etm && !tnt_cipher_lookup(hs->si->cipher)->aead;
    tls_random(hs->server_random, 32);
    if (!hs->resumed && cfg->session_cache) {
        tls_random(hs->session_id, 32);
        hs->session_id_len = 32;
    }
    return true;
}

static bool send_server_hello(tls_conn *c, tls_hs *hs, const ch_info *ci)
{
    const tls_config *cfg = c->cfg;
    tnt_ext_spec ext[6 + TLS_MAX_HOOK_EXT];
    size_t n = 0;
    memset(ext, 0, sizeof ext);
    uint8_t ri[24];
    memcpy(ri, c->client_vd, 12);
    memcpy(ri + 12, c->server_vd, 12);
    static const uint8_t uncompressed = 0;
    if (hs->reneg_ext) {
        ext[n].kind = TNT_EXTK_RENEGOTIATION_INFO;
        ext[n++].u.renegotiation_info = tnt_blob_of(ri, hs->renegotiation ? 24 : 0);
    }
    if (hs->ems)
        ext[n++].kind = TNT_EXTK_EXTENDED_MASTER_SECRET;
    if (hs->etm)
        ext[n++].kind = TNT_EXTK_ENCRYPT_THEN_MAC;
    if (!hs->resumed && hs->si->kx == TNT_KX_ECDHE && ci->point_formats) {
        ext[n].kind = TNT_EXTK_EC_POINT_FORMATS;
        ext[n++].u.formats = (tnt_u8s){&uncompressed, 1};
    }
    if (cfg->hooks.add_hello_ext) {
        size_t extra = 0;
        if (!cfg->hooks.add_hello_ext(cfg->hooks.user, c, ext + n, TLS_MAX_HOOK_EXT, &extra))
            return c->failed ? false
                             : FAIL(TLS_ALERT_INTERNAL_ERROR, "hello extension hook failed");
        n += extra > TLS_MAX_HOOK_EXT ? TLS_MAX_HOOK_EXT : extra;
    }
    tnt_server_hello_spec sh = {0};
    sh.version = hs->version;
    memcpy(sh.random, hs->server_random, 32);
    sh.session_id = tnt_blob_of(hs->session_id, hs->session_id_len);
    sh.suite = hs->suite;
    sh.compression = 0;
    sh.has_extensions = n > 0;
    sh.ext = ext;
    sh.n_ext = n;
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &c->cfg->codepoints;
    tnt_enc_server_hello(&b, &sh);
    bool ok = tls_hs_send_bld(c, &b);
    tnt_bld_free(&b);
    return ok;
}

static bool send_cert_ske(tls_conn *c, tls_hs *hs)
{
    const tls_cred *cr = hs->cred;
    tnt_blob certs[TLS_MAX_CERTS];
    for (size_t i = 0; i < cr->n_certs; i++)
        certs[i] = tnt_blob_of(cr->certs[i], cr->cert_lens[i]);
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &c->cfg->codepoints;
    tnt_enc_certificate(&b, certs, cr->n_certs);
    bool ok = tls_hs_send_bld(c, &b);
    if (ok && hs->si->kx == TNT_KX_ECDHE) {
        tnt_error e = {0};
        uint8_t sig[1024];
        const uint8_t *params = NULL;
        size_t params_len = 0, sig_len = 0;
        uint16_t alg = 0;
        char reason[256] = "";
        const uint16_t *csa = hs->client_sent_sig_algs ? hs->client_sig_algs : NULL;
        bool has_alg = hs->version >= TNT_TLS12;
        /* The signed ServerECDHParams come from the same encoder that writes
         * them into the message, so what is signed is what is sent. */
        tnt_builder pb;
        tnt_bld_init(&pb);
        pb.cp = &c->cfg->codepoints;
        if (!tnt_kx_ecdhe_generate(hs->group, &hs->ecdhe, &e))
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "ECDHE key generation: %s", e.what);
        else if (!tnt_enc_ecdhe_params(&pb, hs->group,
                                       tnt_blob_of(hs->ecdhe.pub, hs->ecdhe.pub_len)) ||
                 !(params = tnt_bld_data(&pb, &params_len)))
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "ECDH params encoding: %s",
                      tnt_bld_error(&pb) ? tnt_bld_error(&pb) : "no bytes");
        else if (has_alg &&
                 !tnt_proof_pick_algorithm(cr->key, cr->key_len, csa, hs->n_client_sig_algs, &alg,
                                           reason, sizeof reason))
            ok = FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "no signature algorithm in common: %s", reason);
        else if (!tnt_kx_ske_sign(hs->version, cr->key, cr->key_len, hs->client_random,
                                  hs->server_random, params, params_len, has_alg, alg, csa,
                                  hs->n_client_sig_algs, sig, sizeof sig, &sig_len, reason,
                                  sizeof reason))
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "ServerKeyExchange signature: %s", reason);
        if (ok) {
            tnt_ske_ecdhe_spec s = {hs->group,
                                    tnt_blob_of(hs->ecdhe.pub, hs->ecdhe.pub_len),
                                    {alg, tnt_blob_of(sig, sig_len)}};
            tnt_enc_ske_ecdhe(&b, hs->version, &s);
            ok = tls_hs_send_bld(c, &b);
        }
        tnt_bld_free(&pb);
    }
    tnt_bld_free(&b);
    return ok;
}

static bool run_mid_flight(tls_conn *c)
{
    const tls_hooks *h = &c->cfg->hooks;
    if (!h->server_mid_flight)
        return true;
    tls_hook_result r = h->server_mid_flight(h->user, c);
    while (r == TLS_HOOK_WAIT) {
        if (!h->server_extra_msg)
            return FAIL(TLS_ALERT_INTERNAL_ERROR, "hook waits without server_extra_msg");
        GBytes *m = tls_hs_next(c);
        if (!m)
            return false;
        gsize len;
        const uint8_t *p = g_bytes_get_data(m, &len);
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_hs_msg msg;
        if (tls_hs_decode_msg(c, p, len, false, &a, &msg))
            r = h->server_extra_msg(h->user, c, &msg);
        else
            r = TLS_HOOK_FAIL;
        tnt_arena_free(&a);
        g_bytes_unref(m);
    }
    if (r != TLS_HOOK_DONE)
        return c->failed ? false : FAIL(TLS_ALERT_HANDSHAKE_FAILURE, "aborted by hook");
    return true;
}

static bool recv_cke(tls_conn *c, tls_hs *hs)
{
    GBytes *m = tls_hs_next(c);
    if (!m)
        return false;
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    bool ok = true;
    tnt_arena a;
    tnt_arena_init(&a);
    tnt_hs_msg msg;
    uint8_t pms[TNT_KX_RSA_PMS_LEN];
    size_t pms_len = 0;
    if (p[0] != TNT_HS_CLIENT_KEY_EXCHANGE)
        ok = FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "expected ClientKeyExchange, got %s",
                  tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                      ? tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                      : "?");
    else
        ok = tls_hs_decode_msg(c, p, len, false, &a, &msg);
    if (ok && hs->si->kx == TNT_KX_ECDHE) {
        tnt_error e = {0};
        if (msg.u.cke.kind != TNT_CKE_ECDH)
            ok = FAIL(TLS_ALERT_DECODE_ERROR, "ClientKeyExchange is not ECDH");
        else if (!tnt_kx_ecdhe_shared(&hs->ecdhe, msg.u.cke.ecdh_point.p, msg.u.cke.ecdh_point.len,
                                      pms, &e))
            ok = FAIL(TLS_ALERT_ILLEGAL_PARAMETER, "client ECDHE point: %s", e.what);
        pms_len = TNT_KX_ECDHE_PMS_LEN;
    } else if (ok) {
        const tnt_rsa_key *k = tnt_rsa_keyset_find_for_cert(hs->cred->rsa_set, hs->cred->certs[0],
                                                            hs->cred->cert_lens[0]);
        if (msg.u.cke.kind != TNT_CKE_RSA || !msg.u.cke.rsa_has_length)
            ok = FAIL(TLS_ALERT_DECODE_ERROR, "ClientKeyExchange is not RSA");
        else if (!k)
            ok = FAIL(TLS_ALERT_INTERNAL_ERROR, "RSA key lost");
        else
            tnt_kx_rsa_server_pms(k, msg.u.cke.encrypted_pms.p, msg.u.cke.encrypted_pms.len,
                                  hs->client_version, pms);
        pms_len = TNT_KX_RSA_PMS_LEN;
    }
    tnt_arena_free(&a);
    g_bytes_unref(m);
    ok = ok && tls_make_keys(c, pms, pms_len);
    memset(pms, 0, sizeof pms);
    return ok;
}

static bool run_server(tls_conn *c, tls_hs *hs)
{
    ch_info ci;
    memset(&ci, 0, sizeof ci);
    if (!check_client_hello(c, hs, &ci) || !choose(c, hs, &ci) || !send_server_hello(c, hs, &ci))
        return false;
    if (hs->resumed) {
        tls_keylog(c);
        if (!tls_make_pending(c) || !tls_send_ccs_finished(c) || !tls_recv_ccs_finished(c))
            return false;
        tls_hs_complete(c);
        return true;
    }
    static const uint8_t done[4] = {TNT_HS_SERVER_HELLO_DONE, 0, 0, 0};
    if (!send_cert_ske(c, hs) || !run_mid_flight(c) || !tls_hs_send(c, done, 4) ||
        !recv_cke(c, hs) || !tls_recv_ccs_finished(c) || !tls_send_ccs_finished(c))
        return false;
    tls_hs_complete(c);
    return true;
}

bool tls_server_handshake(tls_conn *c, GBytes *first)
{
    tls_hs *hs = tls_hs_new(c, c->n_handshakes > 0);
    if (!hs) {
        if (first)
            g_bytes_unref(first);
        return FAIL(TLS_ALERT_INTERNAL_ERROR, "out of memory");
    }
    GBytes *m = first;
    if (m) {
        gsize len;
        const uint8_t *p = g_bytes_get_data(m, &len);
        tls_debug(c, "recv ClientHello (%zu bytes, renegotiation)", len);
        tls_transcript_add(c, p, len);
    } else {
        m = tls_hs_next(c);
    }
    bool ok = m != NULL;
    if (ok) {
        gsize len;
        const uint8_t *p = g_bytes_get_data(m, &len);
        if (p[0] != TNT_HS_CLIENT_HELLO)
            ok = FAIL(TLS_ALERT_UNEXPECTED_MESSAGE, "expected ClientHello");
        else
            ok = tls_keep_peer_hello(c, p, len, false);
        g_bytes_unref(m);
    }
    ok = ok && run_server(c, hs);
    if (!ok) {
        tls_hs_free(c->hs);
        c->hs = NULL;
    }
    return ok;
}
