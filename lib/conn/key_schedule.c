/* From what a handshake showed and the key material given, to the record
 * protection states of its epoch (RFC 5246 6.3, RFC 7627, RFC 5077). */
#include "hs_state.h"
#include "names.h"
#include "prf.h"
#include "prf_key.h"
#include "record_protection_int.h"

#include <stdio.h>
#include <string.h>

static tnt_prf_alg prf_alg(uint16_t version, const tnt_suite_info *s)
{
    if (version == 0x0300)
        return TNT_PRF_SSL3;
    if (version < 0x0303)
        return TNT_PRF_TLS10;
    return s->prf == TNT_SUITE_PRF_SHA384 ? TNT_PRF_SHA384 : TNT_PRF_SHA256;
}

/* The master secret keyed once for the key block and both Finished checks
 * of the handshake. */
static tnt_prf_key *ms_key(tnt_hs_state *hs, tnt_prf_alg alg)
{
    if (!tnt_prf_key_is_for(hs->ms_key, alg, hs->ms, sizeof hs->ms)) {
        tnt_prf_key_free(hs->ms_key);
        hs->ms_key = tnt_prf_key_new(alg, hs->ms, sizeof hs->ms);
    }
    return hs->ms_key;
}

static void hex32(char *out, const uint8_t *p)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[64] = '\0';
}

/* Would record protection accept this suite at all? Asked before looking
 * for keys so that an unsupported cipher is never reported as a missing or
 * wrong key. */
static bool suite_supported(uint16_t version, const tnt_suite_info *s, bool etm)
{
    const tnt_cipher_info *ci = tnt_cipher_lookup(s->cipher);
    if (!ci)
        return false;
    uint8_t zero[TNT_MAX_MAC_KEY_LEN] = {0};
    tnt_rp_params p = {
        version, s,          zero, tnt_mac_len(s->mac), zero, tnt_rp_key_len(s->cipher),
        zero,    ci->iv_len, etm};
    return tnt_rp_check(&p) == TNT_RP_OK;
}

static bool pms_to_ms(tnt_hs_state *hs, tnt_prf_alg alg, const uint8_t *pms, size_t pms_len)
{
    if (hs->client_ems && hs->server_ems && alg != TNT_PRF_SSL3) {
        if (hs->transcript_overflow || hs->transcript_at_cke == 0)
            return false;
        uint8_t digest[TNT_MAX_HASH_LEN];
        size_t dlen;
        tnt_transcript *t = tnt_transcript_new_for(alg);
        if (!t)
            return false;
        tnt_transcript_update(t, hs->transcript, hs->transcript_at_cke);
        bool ok = tnt_transcript_handshake_hash(t, alg, digest, sizeof digest, &dlen) &&
                  tnt_master_secret_ems(alg, pms, pms_len, digest, dlen, hs->ms);
        tnt_transcript_free(t);
        return ok;
    }
    return tnt_master_secret(alg, pms, pms_len, hs->client_random, hs->server_random, hs->ms);
}

tnt_key_status tnt_hs_state_derive(tnt_hs_state *hs, tnt_keys *keys, char *why, size_t cap)
{
    hs->keys_tried = true;
    if (!hs->have_client_random || !hs->have_server_random) {
        snprintf(why, cap, "the hellos of handshake %u are not in the capture", hs->index);
        return TNT_KEYS_INCOMPLETE;
    }
    const tnt_suite_info *s = tnt_suite_lookup(hs->suite);
    bool etm = hs->client_etm && hs->server_etm;
    if (!s || hs->version < 0x0300 || hs->version > 0x0303 ||
        !suite_supported(hs->version, s, etm)) {
        const char *n = tnt_suite_name(hs->suite);
        if (n)
            snprintf(why, cap, "cipher suite %s is not supported for decryption", n);
        else
            snprintf(why, cap, "cipher suite 0x%04x is not supported for decryption", hs->suite);
        return TNT_KEYS_UNSUPPORTED;
    }
    tnt_prf_alg alg = prf_alg(hs->version, s);
    bool rsa_mismatch = false;
    if (!hs->have_ms && keys) {
        uint8_t pms[48];
        if (tnt_keylog_master_secret(keys->keylog, hs->client_random, hs->ms)) {
            hs->have_ms = true;
        } else if (hs->resumed) {
            hs->have_ms = tnt_keys_session(keys, hs->session_id, hs->session_id_len, hs->ms) ||
                          tnt_keys_ticket(keys, hs->client_ticket, hs->client_ticket_len, hs->ms);
        } else if (tnt_keylog_pms_by_cr(keys->keylog, hs->client_random, pms)) {
            hs->have_ms = pms_to_ms(hs, alg, pms, sizeof pms);
        } else if (hs->epms && hs->epms_len >= 8 &&
                   tnt_keylog_pms_by_rsa_prefix(keys->keylog, hs->epms, pms)) {
            hs->have_ms = pms_to_ms(hs, alg, pms, sizeof pms);
        } else if (hs->epms && tnt_rsa_keyset_count(keys->rsa) > 0) {
            const tnt_rsa_key *k =
                hs->server_cert
                    ? tnt_rsa_keyset_find_for_cert(keys->rsa, hs->server_cert, hs->server_cert_len)
                    : NULL;
            if (k && tnt_keys_rsa_decrypt(keys, k, hs->epms, hs->epms_len, pms))
                hs->have_ms = pms_to_ms(hs, alg, pms, sizeof pms);
            else if (!k)
                rsa_mismatch = true;
        }
        memset(pms, 0, sizeof pms);
    }
    if (!hs->have_ms) {
        /* The whole client random, so that a user can grep a key log for
         * it; written only when it is said. */
        char cr[65];
        hex32(cr, hs->client_random);
        if (rsa_mismatch) {
            snprintf(why, cap,
                     "no RSA key given matches the server certificate of handshake %u "
                     "(client random %s)",
                     hs->index, cr);
            return TNT_KEYS_RSA_MISMATCH;
        }
        snprintf(why, cap, "no key for handshake %u (client random %s)", hs->index, cr);
        return TNT_KEYS_MISSING;
    }
    if (keys && !hs->resumed) {
        tnt_keys_remember_session(keys, hs->session_id, hs->session_id_len, hs->ms);
        tnt_keys_remember_ticket(keys, hs->new_ticket, hs->new_ticket_len, hs->ms);
    }

    const tnt_cipher_info *ci = tnt_cipher_lookup(s->cipher);
    size_t mac_len = tnt_mac_len(s->mac);
    size_t key_len = tnt_rp_key_len(s->cipher);
    tnt_key_material km;
    /* An export suite's key block has 5 secret bytes per key and no IVs;
     * the final keys and IVs are expanded from them and the randoms. */
    tnt_prf_key *k = ms_key(hs, alg);
    bool ok = k && tnt_derive_keys_keyed(k, hs->client_random, hs->server_random, mac_len,
                                         ci->key_len, s->exportable ? 0 : ci->iv_len, &km);
    if (ok && s->exportable)
        ok = tnt_export_keys(alg, hs->client_random, hs->server_random, key_len, ci->iv_len, &km);
    if (!ok) {
        memset(&km, 0, sizeof km);
        snprintf(why, cap, "key derivation failed for handshake %u", hs->index);
        return TNT_KEYS_ERROR;
    }
    tnt_rp_params cp = {
        hs->version, s,  km.client_mac, mac_len, km.client_key, key_len, km.client_iv,
        ci->iv_len,  etm};
    tnt_rp_params sp = {
        hs->version, s,  km.server_mac, mac_len, km.server_key, key_len, km.server_iv,
        ci->iv_len,  etm};
    tnt_rp_free(hs->write[0]);
    tnt_rp_free(hs->write[1]);
    hs->write[0] = hs->write[1] = NULL;
    tnt_rp_status a = tnt_rp_new(&cp, &hs->write[0]);
    tnt_rp_status b = tnt_rp_new(&sp, &hs->write[1]);
    memset(&km, 0, sizeof km);
    if (a != TNT_RP_OK || b != TNT_RP_OK) {
        tnt_rp_free(hs->write[0]);
        tnt_rp_free(hs->write[1]);
        hs->write[0] = hs->write[1] = NULL;
        snprintf(why, cap, "cannot set up record protection for handshake %u", hs->index);
        return TNT_KEYS_ERROR;
    }
    return TNT_KEYS_OK;
}

/* The running hash fed up to transcript_len, made with what the PRF of
 * this handshake's version and suite needs; NULL when those are not known,
 * or when it has already passed transcript_len. */
static tnt_transcript *running_hash(tnt_hs_state *hs, const tnt_suite_info *s,
                                    size_t transcript_len)
{
    if (!s || hs->version < 0x0300 || hs->version > 0x0303 || hs->transcript_overflow ||
        transcript_len > hs->transcript_len)
        return NULL;
    if (!hs->fin_hash) {
        hs->fin_hash = tnt_transcript_new_for(prf_alg(hs->version, s));
        hs->fin_hashed = 0;
        if (!hs->fin_hash)
            return NULL;
    }
    if (hs->fin_hashed > transcript_len)
        return NULL;
    tnt_transcript_update(hs->fin_hash, hs->transcript + hs->fin_hashed,
                          transcript_len - hs->fin_hashed);
    hs->fin_hashed = transcript_len;
    return hs->fin_hash;
}

bool tnt_hs_state_expected_finished(tnt_hs_state *hs, bool by_server, size_t transcript_len,
                                    uint8_t *out, size_t cap, size_t *len)
{
    const tnt_suite_info *s = tnt_suite_lookup(hs->suite);
    if (!hs->have_ms || !s || hs->version < 0x0300 || hs->version > 0x0303 ||
        transcript_len > hs->transcript_len)
        return false;
    tnt_prf_alg alg = prf_alg(hs->version, s);
    /* The running hash serves the checks in transcript order (proofs, then
     * the client and server Finished); an earlier prefix gets a hash of its
     * own. */
    if (hs->fin_hash && hs->fin_hashed > transcript_len) {
        tnt_transcript *t = tnt_transcript_new_for(alg);
        if (!t)
            return false;
        tnt_transcript_update(t, hs->transcript, transcript_len);
        tnt_prf_key *k = ms_key(hs, alg);
        bool ok = k && tnt_finished_verify_data_keyed(k, by_server, t, out, cap, len);
        tnt_transcript_free(t);
        return ok;
    }
    tnt_transcript *t = running_hash(hs, s, transcript_len);
    tnt_prf_key *k = t ? ms_key(hs, alg) : NULL;
    return k && tnt_finished_verify_data_keyed(k, by_server, t, out, cap, len);
}

bool tnt_hs_state_transcript_digest(tnt_hs_state *hs, size_t transcript_len, tnt_hash h,
                                    uint8_t *out, size_t cap, size_t *len)
{
    const tnt_suite_info *s = tnt_suite_lookup(hs->suite);
    if (!s)
        return false;
    /* Only a hash the Finished checks run anyway: another would be a second
     * pass over the same bytes, which the caller does as well. */
    tnt_prf_alg alg = prf_alg(hs->version, s);
    bool runs = (alg == TNT_PRF_SHA256 && h == TNT_HASH_SHA256) ||
                (alg == TNT_PRF_SHA384 && h == TNT_HASH_SHA384);
    tnt_transcript *t = runs ? running_hash(hs, s, transcript_len) : NULL;
    return t && tnt_transcript_digest(t, h, out, cap, len);
}
