/* What client and server share: configuration, credentials, the handshake
 * state and transcript, key derivation, ChangeCipherSpec/Finished, the key
 * log and the server session cache. */
#include "tls_int.h"

#include "tnt/rsa_key.h"

#include <fcntl.h>
#include <gcrypt.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const struct {
    const char *name;
    uint16_t id;
} suite_names[] = {
    {"ECDHE-ECDSA-AES128-GCM-SHA256", 0xC02B},
    {"ECDHE-RSA-AES128-GCM-SHA256", 0xC02F},
    {"ECDHE-ECDSA-AES256-GCM-SHA384", 0xC02C},
    {"ECDHE-RSA-AES256-GCM-SHA384", 0xC030},
    {"ECDHE-ECDSA-CHACHA20-POLY1305", 0xCCA9},
    {"ECDHE-RSA-CHACHA20-POLY1305", 0xCCA8},
    {"ECDHE-ECDSA-AES128-SHA256", 0xC023},
    {"ECDHE-RSA-AES128-SHA256", 0xC027},
    {"ECDHE-ECDSA-AES256-SHA384", 0xC024},
    {"ECDHE-RSA-AES256-SHA384", 0xC028},
    {"ECDHE-ECDSA-AES128-SHA", 0xC009},
    {"ECDHE-RSA-AES128-SHA", 0xC013},
    {"ECDHE-ECDSA-AES256-SHA", 0xC00A},
    {"ECDHE-RSA-AES256-SHA", 0xC014},
    {"AES128-GCM-SHA256", 0x009C},
    {"AES256-GCM-SHA384", 0x009D},
    {"AES128-SHA256", 0x003C},
    {"AES256-SHA256", 0x003D},
    {"AES128-SHA", 0x002F},
    {"AES256-SHA", 0x0035},
};

void tls_config_init(tls_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->codepoints = tnt_codepoints_default;
    cfg->min_version = TNT_TLS10;
    cfg->max_version = TNT_TLS12;
    for (size_t i = 0; i < sizeof suite_names / sizeof suite_names[0]; i++)
        cfg->suites[cfg->n_suites++] = suite_names[i].id;
    cfg->groups[cfg->n_groups++] = TNT_GROUP_X25519;
    cfg->groups[cfg->n_groups++] = TNT_GROUP_SECP256R1;
    static const uint16_t sa[] = {0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
                                  0x0601, 0x0403, 0x0503, 0x0201};
    for (size_t i = 0; i < sizeof sa / sizeof sa[0]; i++)
        cfg->sig_algs[cfg->n_sig_algs++] = sa[i];
    cfg->ems = cfg->etm = cfg->reneg_info = true;
    cfg->allow_renegotiation = true;
    cfg->session_cache = true;
}

void tls_config_free(tls_config *cfg)
{
    for (size_t i = 0; i < cfg->n_creds; i++) {
        tls_cred *cr = &cfg->creds[i];
        for (size_t j = 0; j < cr->n_certs; j++)
            free(cr->certs[j]);
        if (cr->key)
            memset(cr->key, 0, cr->key_len);
        free(cr->key);
        if (cr->rsa_set)
            tnt_rsa_keyset_free(cr->rsa_set);
    }
    if (cfg->cache)
        g_hash_table_destroy(cfg->cache);
    memset(cfg, 0, sizeof *cfg);
}

bool tls_config_add_cred(tls_config *cfg, const char *chain_path, const char *key_path, char *err,
                         size_t err_cap)
{
    if (cfg->n_creds >= 2) {
        snprintf(err, err_cap, "at most two credentials");
        return false;
    }
    gchar *pem = NULL, *key = NULL;
    gsize pem_len = 0, key_len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(chain_path, &pem, &pem_len, &ge) ||
        !g_file_get_contents(key_path, &key, &key_len, &ge)) {
        snprintf(err, err_cap, "%s", ge->message);
        g_error_free(ge);
        g_free(pem);
        return false;
    }
    tls_cred cr = {0};
    gnutls_x509_crt_t *crts = NULL;
    unsigned n = 0;
    gnutls_datum_t d = {(unsigned char *)pem, (unsigned)pem_len};
    bool ok = false;
    if (gnutls_x509_crt_list_import2(&crts, &n, &d, GNUTLS_X509_FMT_PEM, 0) < 0 || n == 0) {
        snprintf(err, err_cap, "%s: no PEM certificate", chain_path);
        goto out;
    }
    for (unsigned i = 0; i < n && i < TLS_MAX_CERTS; i++) {
        gnutls_datum_t der = {NULL, 0};
        if (gnutls_x509_crt_export2(crts[i], GNUTLS_X509_FMT_DER, &der) < 0) {
            snprintf(err, err_cap, "%s: certificate %u does not export", chain_path, i);
            goto out;
        }
        cr.certs[cr.n_certs] = malloc(der.size);
        memcpy(cr.certs[cr.n_certs], der.data, der.size);
        cr.cert_lens[cr.n_certs++] = der.size;
        gnutls_free(der.data);
    }
    int pk = gnutls_x509_crt_get_pk_algorithm(crts[0], NULL);
    if (pk == GNUTLS_PK_RSA) {
        cr.auth = TNT_AUTH_RSA;
        GError *ke = NULL;
        cr.rsa_set = tnt_rsa_keyset_new();
        if (tnt_rsa_keyset_load_buffer(cr.rsa_set, key_path, (const uint8_t *)key, key_len, &ke) <
            1) {
            snprintf(err, err_cap, "%s: %s", key_path, ke ? ke->message : "no RSA key");
            if (ke)
                g_error_free(ke);
            goto out;
        }
        if (!tnt_rsa_keyset_find_for_cert(cr.rsa_set, cr.certs[0], cr.cert_lens[0])) {
            snprintf(err, err_cap, "%s does not match %s", key_path, chain_path);
            goto out;
        }
    } else if (pk == GNUTLS_PK_ECDSA) {
        cr.auth = TNT_AUTH_ECDSA;
    } else {
        snprintf(err, err_cap, "%s: only RSA and ECDSA certificates", chain_path);
        goto out;
    }
    cr.key = malloc(key_len);
    memcpy(cr.key, key, key_len);
    cr.key_len = key_len;
    cfg->creds[cfg->n_creds++] = cr;
    memset(&cr, 0, sizeof cr);
    ok = true;
out:
    for (unsigned i = 0; i < n; i++)
        gnutls_x509_crt_deinit(crts[i]);
    gnutls_free(crts);
    for (size_t j = 0; j < cr.n_certs; j++)
        free(cr.certs[j]);
    if (cr.rsa_set)
        tnt_rsa_keyset_free(cr.rsa_set);
    if (key)
        memset(key, 0, key_len);
    g_free(key);
    g_free(pem);
    return ok;
}

bool tls_config_set_suites(tls_config *cfg, const char *list, char *err, size_t err_cap)
{
    uint16_t out[TLS_MAX_LIST];
    size_t n = 0;
    gchar **parts = g_strsplit_set(list, ":, ", -1);
    bool ok = true;
    for (gchar **p = parts; *p && ok; p++) {
        if (!**p)
            continue;
        uint16_t id = 0;
        for (size_t i = 0; i < sizeof suite_names / sizeof suite_names[0]; i++)
            if (!strcasecmp(*p, suite_names[i].name))
                id = suite_names[i].id;
        for (size_t i = 0; !id && i < sizeof suite_names / sizeof suite_names[0]; i++) {
            const char *iana = tnt_suite_name(suite_names[i].id);
            if (iana && !strcasecmp(*p, iana))
                id = suite_names[i].id;
        }
        if (!id && !strncasecmp(*p, "0x", 2)) {
            unsigned long v = strtoul(*p, NULL, 16);
            for (size_t i = 0; i < sizeof suite_names / sizeof suite_names[0]; i++)
                if (suite_names[i].id == v)
                    id = (uint16_t)v;
        }
        if (!id || n >= TLS_MAX_LIST) {
            snprintf(err, err_cap, "unknown or unsupported cipher suite '%s'", *p);
            ok = false;
        } else {
            out[n++] = id;
        }
    }
    g_strfreev(parts);
    if (ok && n == 0) {
        snprintf(err, err_cap, "empty cipher suite list");
        ok = false;
    }
    if (ok) {
        memcpy(cfg->suites, out, n * sizeof out[0]);
        cfg->n_suites = n;
    }
    return ok;
}

uint16_t tls_version_parse(const char *s)
{
    if (!strcmp(s, "1.0") || !strcasecmp(s, "tls1") || !strcasecmp(s, "tls1.0"))
        return TNT_TLS10;
    if (!strcmp(s, "1.1") || !strcasecmp(s, "tls1.1") || !strcasecmp(s, "tls1_1"))
        return TNT_TLS11;
    if (!strcmp(s, "1.2") || !strcasecmp(s, "tls1.2") || !strcasecmp(s, "tls1_2"))
        return TNT_TLS12;
    return 0;
}

bool tls_list_has(const uint16_t *v, size_t n, uint16_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

bool tls_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

void tls_random(uint8_t *buf, size_t len)
{
    tnt_gcrypt_init();
    gcry_randomize(buf, len, GCRY_STRONG_RANDOM);
}

/* Whether the engine can run this suite at this version: the kx, auth and
 * ciphers it implements, and no TLS 1.2-only suite below TLS 1.2. */
bool tls_suite_usable(uint16_t suite, uint16_t version)
{
    const tnt_suite_info *si = tnt_suite_lookup(suite);
    if (!si || (si->kx != TNT_KX_RSA && si->kx != TNT_KX_ECDHE) ||
        (si->auth != TNT_AUTH_RSA && si->auth != TNT_AUTH_ECDSA) || si->exportable)
        return false;
    switch (si->cipher) {
    case TNT_CIPHER_AES_128_CBC:
    case TNT_CIPHER_AES_256_CBC:
        if (si->mac != TNT_MAC_SHA1 && version < TNT_TLS12)
            return false;
        return si->mac == TNT_MAC_SHA1 || si->mac == TNT_MAC_SHA256 || si->mac == TNT_MAC_SHA384;
    case TNT_CIPHER_AES_128_GCM:
    case TNT_CIPHER_AES_256_GCM:
    case TNT_CIPHER_CHACHA20_POLY1305:
        return version >= TNT_TLS12;
    default:
        return false;
    }
}

tnt_prf_alg tls_prf_for(uint16_t version, const tnt_suite_info *si)
{
    if (version < TNT_TLS12)
        return TNT_PRF_TLS10;
    return si->prf == TNT_SUITE_PRF_SHA384 ? TNT_PRF_SHA384 : TNT_PRF_SHA256;
}

tls_hs *tls_hs_new(tls_conn *c, bool renegotiation)
{
    tls_hs *hs = calloc(1, sizeof *hs);
    if (!hs)
        return NULL;
    hs->renegotiation = renegotiation;
    hs->bytes = g_byte_array_new();
    hs->t = tnt_transcript_new();
    tnt_arena_init(&hs->peer_hello_arena);
    if (!hs->t) {
        tls_hs_free(hs);
        return NULL;
    }
    tls_hs_free(c->hs);
    c->hs = hs;
    c->got_ccs = false;
    c->expect_ccs = false;
    return hs;
}

void tls_hs_free(tls_hs *hs)
{
    if (!hs)
        return;
    g_byte_array_free(hs->bytes, TRUE);
    tnt_transcript_free(hs->t);
    tnt_arena_free(&hs->peer_hello_arena);
    free(hs->peer_hello_raw);
    tnt_kx_ecdhe_clear(&hs->ecdhe);
    for (size_t i = 0; i < hs->n_peer_certs; i++)
        free(hs->peer_certs[i]);
    memset(hs->master_secret, 0, 48);
    free(hs);
}

void tls_transcript_add(tls_conn *c, const uint8_t *msg, size_t len)
{
    if (!c->hs)
        return;
    g_byte_array_append(c->hs->bytes, msg, (guint)len);
    tnt_transcript_update(c->hs->t, msg, len);
}

bool tls_keep_peer_hello(tls_conn *c, const uint8_t *raw, size_t len, bool from_server)
{
    tls_hs *hs = c->hs;
    hs->peer_hello_raw = malloc(len);
    if (!hs->peer_hello_raw)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "out of memory");
    memcpy(hs->peer_hello_raw, raw, len);
    if (!tls_hs_decode_msg(c, hs->peer_hello_raw, len, from_server, &hs->peer_hello_arena,
                           &hs->peer_hello))
        return false;
    hs->have_peer_hello = true;
    return true;
}

void tls_keylog(tls_conn *c)
{
    if (!c->cfg->keylog_path)
        return;
    FILE *f = fopen(c->cfg->keylog_path, "a");
    if (!f)
        return;
    fputs("CLIENT_RANDOM ", f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", c->hs->client_random[i]);
    fputc(' ', f);
    for (int i = 0; i < 48; i++)
        fprintf(f, "%02x", c->hs->master_secret[i]);
    fputc('\n', f);
    fclose(f);
}

bool tls_make_pending(tls_conn *c)
{
    tls_hs *hs = c->hs;
    const tnt_cipher_info *ci = tnt_cipher_lookup(hs->si->cipher);
    size_t mac_len = ci->aead ? 0 : tnt_mac_len(hs->si->mac);
    tnt_key_material km;
    if (!tnt_derive_keys(hs->prf, hs->master_secret, hs->client_random, hs->server_random, mac_len,
                         ci->key_len, ci->iv_len, &km))
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "key derivation failed");
    bool etm = hs->etm && !ci->aead;
    tnt_rp_params cp = {hs->version, hs->si,       km.client_mac, mac_len, km.client_key,
                        ci->key_len, km.client_iv, ci->iv_len,    etm};
    tnt_rp_params sp = {hs->version, hs->si,       km.server_mac, mac_len, km.server_key,
                        ci->key_len, km.server_iv, ci->iv_len,    etm};
    tnt_rp_state *cs = NULL, *ss = NULL;
    tnt_rp_status s1 = tnt_rp_new(&cp, &cs), s2 = tnt_rp_new(&sp, &ss);
    memset(&km, 0, sizeof km);
    if (s1 != TNT_RP_OK || s2 != TNT_RP_OK) {
        tnt_rp_free(cs);
        tnt_rp_free(ss);
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "cipher state: %s",
                             tnt_rp_status_name(s1 != TNT_RP_OK ? s1 : s2));
    }
    tnt_rp_set_rng(cs, tnt_enc_record_iv, NULL);
    tnt_rp_set_rng(ss, tnt_enc_record_iv, NULL);
    tnt_rp_free(c->pend_rd);
    tnt_rp_free(c->pend_wr);
    c->pend_rd = c->is_server ? cs : ss;
    c->pend_wr = c->is_server ? ss : cs;
    c->pend_etm = etm;
    c->expect_ccs = true;
    return true;
}

bool tls_make_keys(tls_conn *c, const uint8_t *pms, size_t pms_len)
{
    tls_hs *hs = c->hs;
    bool ok;
    if (hs->ems) {
        uint8_t sh[TNT_MAX_HASH_LEN];
        size_t sh_len = 0;
        ok = tnt_transcript_handshake_hash(hs->t, hs->prf, sh, sizeof sh, &sh_len) &&
             tnt_master_secret_ems(hs->prf, pms, pms_len, sh, sh_len, hs->master_secret);
    } else {
        ok = tnt_master_secret(hs->prf, pms, pms_len, hs->client_random, hs->server_random,
                               hs->master_secret);
    }
    if (!ok)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "master secret derivation failed");
    tls_keylog(c);
    return tls_make_pending(c);
}

static bool finished_data(tls_conn *c, bool by_server, uint8_t vd[12])
{
    size_t len = 0;
    if (!tnt_finished_verify_data(c->hs->prf, c->hs->master_secret, by_server, c->hs->t, vd, 12,
                                  &len) ||
        len != 12)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "Finished computation failed");
    return true;
}

bool tls_send_ccs_finished(tls_conn *c)
{
    static const uint8_t one = 1;
    if (!c->pend_wr)
        return tls_conn_fail(c, TLS_ALERT_INTERNAL_ERROR, "no pending keys");
    tls_debug(c, "send ChangeCipherSpec");
    if (!tls_send_record(c, TNT_CT_CHANGE_CIPHER_SPEC, &one, 1))
        return false;
    tnt_rp_free(c->wr);
    c->wr = c->pend_wr;
    c->pend_wr = NULL;
    c->etm_wr = c->pend_etm;
    uint8_t *vd = c->is_server ? c->server_vd : c->client_vd;
    if (!finished_data(c, c->is_server, vd))
        return false;
    tnt_builder b;
    tnt_bld_init(&b);
    b.cp = &c->cfg->codepoints;
    tnt_enc_finished(&b, tnt_blob_of(vd, 12));
    bool ok = tls_hs_send_bld(c, &b);
    tnt_bld_free(&b);
    return ok && tls_flush(c);
}

bool tls_recv_ccs_finished(tls_conn *c)
{
    uint8_t expect[12];
    /* The peer's Finished covers the transcript before it. */
    if (!finished_data(c, !c->is_server, expect))
        return false;
    c->expect_ccs = true;
    GBytes *m = tls_hs_next(c);
    if (!m)
        return false;
    gsize len;
    const uint8_t *p = g_bytes_get_data(m, &len);
    bool ok = true;
    if (p[0] != TNT_HS_FINISHED) {
        ok = tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "expected Finished, got %s",
                           tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                               ? tnt_handshake_type_name(&c->cfg->codepoints, p[0])
                               : "?");
    } else if (!c->got_ccs) {
        ok = tls_conn_fail(c, TLS_ALERT_UNEXPECTED_MESSAGE, "Finished before ChangeCipherSpec");
    } else {
        tnt_arena a;
        tnt_arena_init(&a);
        tnt_hs_msg msg;
        ok = tls_hs_decode_msg(c, p, len, !c->is_server, &a, &msg);
        if (ok && (msg.u.finished.verify_data.len != 12 ||
                   !tls_ct_equal(msg.u.finished.verify_data.p, expect, 12)))
            ok = tls_conn_fail(c, TLS_ALERT_DECRYPT_ERROR, "peer Finished does not verify");
        if (ok)
            memcpy(c->is_server ? c->client_vd : c->server_vd, expect, 12);
        tnt_arena_free(&a);
    }
    g_bytes_unref(m);
    return ok;
}

void tls_hs_complete(tls_conn *c)
{
    tls_hs *hs = c->hs;
    c->n_handshakes++;
    c->app_allowed = true;
    c->resumed = hs->resumed;
    c->ems = hs->ems;
    c->suite = hs->suite;
    c->secure_reneg = hs->reneg_ext;
    if (!hs->resumed) {
        c->group = hs->group;
        if (hs->n_peer_certs) {
            for (size_t i = 0; i < c->n_peer_certs; i++)
                free(c->peer_certs[i]);
            for (size_t i = 0; i < hs->n_peer_certs; i++) {
                c->peer_certs[i] = hs->peer_certs[i];
                c->peer_cert_lens[i] = hs->peer_cert_lens[i];
            }
            c->n_peer_certs = hs->n_peer_certs;
            hs->n_peer_certs = 0;
        }
    }
    tls_session *s = &c->session;
    memset(s, 0, sizeof *s);
    memcpy(s->id, hs->session_id, hs->session_id_len);
    s->id_len = hs->session_id_len;
    memcpy(s->master_secret, hs->master_secret, 48);
    s->version = hs->version;
    s->suite = hs->suite;
    s->ems = hs->ems;
    if (c->is_server && s->id_len && !hs->resumed && c->cfg->session_cache)
        tls_cache_put(c->cfg, s);
    tls_debug(c, "handshake %u done: %s %s%s%s%s", c->n_handshakes, tnt_version_name(hs->version),
              tnt_suite_name(hs->suite), hs->resumed ? " resumed" : "", hs->ems ? " EMS" : "",
              c->etm_wr ? " EtM" : "");
    tls_hs_free(hs);
    c->hs = NULL;
    if (c->cfg->hooks.handshake_done)
        c->cfg->hooks.handshake_done(c->cfg->hooks.user, c);
}

/* ---- server session cache: session ID -> tls_session ---- */

void tls_cache_put(const tls_config *cfg, const tls_session *s)
{
    /* The cache is the one mutable part of a shared config: a cache is what
     * lets a later connection of the same server resume. */
    tls_config *mcfg = (tls_config *)cfg;
    if (!mcfg->cache)
        mcfg->cache =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, free);
    tls_session *copy = malloc(sizeof *copy);
    if (!copy)
        return;
    *copy = *s;
    g_hash_table_replace(mcfg->cache, g_bytes_new(s->id, s->id_len), copy);
}

bool tls_cache_get(const tls_config *cfg, const uint8_t *id, size_t len, tls_session *out)
{
    if (!cfg->cache || len == 0)
        return false;
    GBytes *k = g_bytes_new(id, len);
    tls_session *s = g_hash_table_lookup(cfg->cache, k);
    g_bytes_unref(k);
    if (!s)
        return false;
    *out = *s;
    return true;
}

/* ---- sessions on disk ---- */

static void hex_put(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static bool hex_get(const char *s, uint8_t *out, size_t cap, size_t *n)
{
    size_t len = strlen(s);
    if (len % 2 || len / 2 > cap)
        return false;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned v;
        if (!g_ascii_isxdigit(s[2 * i]) || !g_ascii_isxdigit(s[2 * i + 1]) ||
            sscanf(s + 2 * i, "%2x", &v) != 1)
            return false;
        out[i] = (uint8_t)v;
    }
    *n = len / 2;
    return true;
}

bool tls_session_save(const tls_session *s, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return false;
    }
    fprintf(f, "tls-session v1 %04x %04x %d ", s->version, s->suite, s->ems ? 1 : 0);
    hex_put(f, s->id, s->id_len);
    fputc(' ', f);
    hex_put(f, s->master_secret, 48);
    fputc('\n', f);
    return fclose(f) == 0;
}

bool tls_session_load(tls_session *s, const char *path)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return false;
    gchar **f = g_strsplit(g_strstrip(text), " ", -1);
    tls_session t;
    memset(&t, 0, sizeof t);
    size_t ms_len = 0;
    char *end1 = NULL, *end2 = NULL;
    bool ok = g_strv_length(f) == 7 && !strcmp(f[0], "tls-session") && !strcmp(f[1], "v1");
    if (ok) {
        unsigned long v = strtoul(f[2], &end1, 16), su = strtoul(f[3], &end2, 16);
        ok = !*end1 && !*end2 && v >= TNT_TLS10 && v <= TNT_TLS12 && su <= 0xFFFF &&
             (!strcmp(f[4], "0") || !strcmp(f[4], "1")) &&
             hex_get(f[5], t.id, sizeof t.id, &t.id_len) && t.id_len > 0 &&
             hex_get(f[6], t.master_secret, 48, &ms_len) && ms_len == 48;
        t.version = (uint16_t)v;
        t.suite = (uint16_t)su;
        t.ems = f[4][0] == '1';
    }
    g_strfreev(f);
    memset(text, 0, strlen(text));
    g_free(text);
    if (ok)
        *s = t;
    memset(&t, 0, sizeof t);
    return ok;
}
