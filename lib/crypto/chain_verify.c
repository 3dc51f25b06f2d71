#include "chain_verify.h"

#include "x509.h"
#include "x509_import.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

void tnt_anchors_init(tnt_anchor_set *s, tnt_arena *a)
{
    s->a = a;
    s->n = s->cap = 0;
    s->v = NULL;
}

static char *arena_strndup(tnt_arena *a, const char *p, size_t n)
{
    char *s = tnt_arena_alloc(a, n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

bool tnt_anchors_add_der(tnt_anchor_set *s, const uint8_t *der, size_t len, const char *source,
                         const tnt_anchor_key *keys, uint32_t n_keys, tnt_error *err)
{
    gnutls_x509_crt_t crt;
    if (!tnt_x509_import(&crt, der, len))
        return tnt_fail(err, 0, "trust anchor is not a DER certificate");
    gnutls_datum_t dn = {NULL, 0};
    int r = gnutls_x509_crt_get_dn3(crt, &dn, 0);
    gnutls_x509_crt_deinit(crt);
    if (r < 0)
        return tnt_fail(err, 0, "trust anchor subject DN unreadable");

    tnt_anchor x = {0};
    x.subject = arena_strndup(s->a, (const char *)dn.data, dn.size);
    gnutls_free(dn.data);
    uint8_t *copy = tnt_arena_alloc(s->a, len);
    x.source = arena_strndup(s->a, source ? source : "", source ? strlen(source) : 0);
    if (n_keys)
        x.keys = tnt_arena_array(s->a, n_keys, sizeof(*x.keys));
    if (!x.subject || !copy || !x.source || (n_keys && !x.keys))
        return tnt_fail(err, 0, "out of memory");
    memcpy(copy, der, len);
    x.der = copy;
    x.len = (uint32_t)len;
    for (uint32_t i = 0; i < n_keys; i++) {
        if (!keys[i].value || !tnt_dn_attr_name(keys[i].attr))
            return tnt_fail(err, 0, "bad trust anchor key");
        x.keys[i].attr = keys[i].attr;
        x.keys[i].value = arena_strndup(s->a, keys[i].value, strlen(keys[i].value));
        if (!x.keys[i].value)
            return tnt_fail(err, 0, "out of memory");
    }
    x.n_keys = n_keys;

    if (s->n == s->cap) {
        /* The arena has no realloc; doubling keeps the copies linear. */
        uint32_t cap = s->cap ? 2 * s->cap : 4;
        tnt_anchor *v = tnt_arena_array(s->a, cap, sizeof(*v));
        if (!v)
            return tnt_fail(err, 0, "out of memory");
        if (s->n)
            memcpy(v, s->v, s->n * sizeof(*v));
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return true;
}

bool tnt_anchors_add_buffer(tnt_anchor_set *s, const char *name, const uint8_t *data, size_t len,
                            const tnt_anchor_key *keys, uint32_t n_keys, tnt_error *err)
{
    if (len > UINT_MAX)
        return tnt_fail(err, 0, "trust anchor file holds no PEM or DER certificate");
    gnutls_datum_t file = {(unsigned char *)data, (unsigned)len};
    gnutls_x509_crt_t *crts = NULL;
    unsigned n = 0;
    bool ok = true;
    if (gnutls_x509_crt_list_import2(&crts, &n, &file, GNUTLS_X509_FMT_PEM, 0) < 0 || n == 0) {
        crts = NULL;
        n = 0;
        ok = tnt_anchors_add_der(s, file.data, file.size, name, keys, n_keys, err);
        if (!ok)
            tnt_fail(err, 0, "trust anchor file holds no PEM or DER certificate");
    }
    for (unsigned i = 0; i < n; i++) {
        gnutls_datum_t der = {NULL, 0};
        if (ok && gnutls_x509_crt_export2(crts[i], GNUTLS_X509_FMT_DER, &der) < 0)
            ok = tnt_fail(err, 0, "cannot export trust anchor");
        if (ok)
            ok = tnt_anchors_add_der(s, der.data, der.size, name, keys, n_keys, err);
        gnutls_free(der.data);
        gnutls_x509_crt_deinit(crts[i]);
    }
    gnutls_free(crts);
    return ok;
}

bool tnt_anchor_key_parse(const char *text, tnt_anchor_key *out)
{
    const char *eq = text ? strchr(text, '=') : NULL;
    if (!eq)
        return false;
    for (int i = TNT_DN_ATTR_CN; i <= TNT_DN_ATTR_L; i++) {
        const char *name = tnt_dn_attr_name((tnt_dn_attr)i);
        if (name && strlen(name) == (size_t)(eq - text) && memcmp(name, text, eq - text) == 0) {
            out->attr = (tnt_dn_attr)i;
            out->value = eq + 1;
            return true;
        }
    }
    return false;
}

static bool same(const char *s, const tnt_dn_string *v)
{
    return strlen(s) == v->len && memcmp(s, v->s, v->len) == 0;
}

bool tnt_anchor_serves(const tnt_anchor *x, const tnt_dn_constraint *cs, uint32_t n_cs,
                       tnt_arena *a)
{
    for (uint32_t i = 0; i < n_cs; i++) {
        const tnt_dn_constraint *c = &cs[i];
        if (c->field != TNT_DN_ISSUER)
            continue;
        bool found = false;
        if (x->n_keys) {
            for (uint32_t k = 0; k < x->n_keys && !found; k++)
                found = x->keys[k].attr == c->attr && same(x->keys[k].value, &c->value);
        } else {
            char **vals;
            uint32_t n;
            if (!tnt_x509_dn_attr(x->der, x->len, false, tnt_dn_attr_name(c->attr), a, &vals, &n))
                return false;
            for (uint32_t k = 0; k < n && !found; k++)
                found = same(vals[k], &c->value);
        }
        if (!found)
            return false;
    }
    return true;
}

uint32_t tnt_anchors_for_issuer(const tnt_anchor_set *s, const tnt_dn_constraint *cs, uint32_t n_cs,
                                tnt_arena *a, const tnt_anchor ***out)
{
    *out = NULL;
    if (!s || s->n == 0)
        return 0;
    const tnt_anchor **v = tnt_arena_array(a, s->n, sizeof(*v));
    if (!v)
        return 0;
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n; i++)
        if (tnt_anchor_serves(&s->v[i], cs, n_cs, a))
            v[n++] = &s->v[i];
    if (n)
        *out = v;
    return n;
}

/* GnuTLS verifies against the current time only, so a fixed time means
 * switching its time checks off and redoing them here. */
static unsigned time_status(gnutls_x509_crt_t crt, int64_t at)
{
    time_t from = gnutls_x509_crt_get_activation_time(crt);
    time_t until = gnutls_x509_crt_get_expiration_time(crt);
    unsigned st = 0;
    if (from == (time_t)-1 || (int64_t)from > at)
        st |= GNUTLS_CERT_NOT_ACTIVATED;
    if (until == (time_t)-1 || (int64_t)until < at)
        st |= GNUTLS_CERT_EXPIRED;
    return st;
}

/* One GnuTLS verification of the imported chain against anchors; the trust
 * list takes ownership of the anchor certificates it is given. */
static bool verify_with(const tnt_anchor *const *anchors, uint32_t n_anchors,
                        gnutls_x509_crt_t *chain, uint32_t n_chain, unsigned flags,
                        unsigned *status)
{
    gnutls_x509_trust_list_t tl;
    if (gnutls_x509_trust_list_init(&tl, 0) < 0)
        return false;
    bool ok = true;
    for (uint32_t i = 0; i < n_anchors && ok; i++) {
        gnutls_x509_crt_t crt;
        ok = tnt_x509_import(&crt, anchors[i]->der, anchors[i]->len);
        if (ok && gnutls_x509_trust_list_add_cas(tl, &crt, 1, 0) != 1) {
            /* a duplicate is not added, and then not owned by the list */
            gnutls_x509_crt_deinit(crt);
        }
    }
    if (ok)
        ok = gnutls_x509_trust_list_verify_crt2(tl, chain, n_chain, NULL, 0, flags, status, NULL) >=
             0;
    gnutls_x509_trust_list_deinit(tl, 1);
    return ok;
}

static const char *status_text(tnt_arena *a, unsigned status)
{
    gnutls_datum_t out = {NULL, 0};
    if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0) < 0)
        return "certificate chain does not verify";
    size_t n = out.size;
    while (n && (out.data[n - 1] == ' ' || out.data[n - 1] == '\n' || out.data[n - 1] == '\0'))
        n--;
    char *s = arena_strndup(a, (const char *)out.data, n);
    gnutls_free(out.data);
    if (s)
        for (char *p = s; *p; p++)
            if (*p == '\n')
                *p = ' ';
    return s;
}

bool tnt_chain_verify(const tnt_anchor *const *anchors, uint32_t n_anchors, const tnt_bytes *certs,
                      uint32_t n_certs, int64_t at, tnt_arena *a, tnt_chain_result *out)
{
    memset(out, 0, sizeof(*out));
    if (n_anchors == 0) {
        out->status = TNT_CHAIN_NOT_VALIDATED;
        out->reason = "no trust anchor configured";
        return true;
    }
    out->status = TNT_CHAIN_INVALID;
    if (n_certs == 0) {
        out->reason = "empty certificate chain";
        return true;
    }
    if (n_certs > TNT_CHAIN_MAX_CERTS) {
        out->reason = "certificate chain longer than 16 certificates";
        return true;
    }
    gnutls_x509_crt_t chain[TNT_CHAIN_MAX_CERTS];
    uint32_t n_chain = 0;
    for (; n_chain < n_certs; n_chain++) {
        if (!tnt_x509_import(&chain[n_chain], certs[n_chain].p, certs[n_chain].len)) {
            char buf[64];
            snprintf(buf, sizeof(buf), "certificate %u of the chain does not parse",
                     (unsigned)n_chain);
            out->reason = arena_strndup(a, buf, strlen(buf));
            goto done;
        }
    }

    unsigned flags =
        at ? GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS : 0;
    unsigned status = 0;
    if (!verify_with(anchors, n_anchors, chain, n_chain, flags, &status)) {
        out->reason = "GnuTLS could not run the verification";
        goto done;
    }
    if (status == 0) {
        /* Which anchor: GnuTLS does not say, so ask it once per anchor. */
        for (uint32_t i = 0; i < n_anchors && !out->anchor; i++) {
            unsigned st1 = 0;
            if (n_anchors == 1 ||
                (verify_with(&anchors[i], 1, chain, n_chain, flags, &st1) && st1 == 0))
                out->anchor = anchors[i];
        }
    }
    if (at) {
        for (uint32_t i = 0; i < n_chain; i++)
            status |= time_status(chain[i], at);
        gnutls_x509_crt_t anchor;
        if (out->anchor && tnt_x509_import(&anchor, out->anchor->der, out->anchor->len)) {
            status |= time_status(anchor, at);
            gnutls_x509_crt_deinit(anchor);
        }
        if (status)
            status |= GNUTLS_CERT_INVALID;
    }
    out->gnutls_status = status;
    if (status == 0) {
        out->status = out->anchor ? TNT_CHAIN_VALID : TNT_CHAIN_INVALID;
        out->reason = out->anchor ? NULL : "verifies, but to no single anchor";
    } else {
        out->anchor = NULL;
        out->reason = status_text(a, status);
    }
done:
    for (uint32_t i = 0; i < n_chain; i++)
        gnutls_x509_crt_deinit(chain[i]);
    return out->reason || out->status == TNT_CHAIN_VALID;
}

bool tnt_chain_verify_set(const tnt_anchor_set *s, const tnt_bytes *certs, uint32_t n_certs,
                          int64_t at, tnt_arena *a, tnt_chain_result *out)
{
    uint32_t n = s ? s->n : 0;
    const tnt_anchor **v = n ? tnt_arena_array(a, n, sizeof(*v)) : NULL;
    if (n && !v)
        return false;
    for (uint32_t i = 0; i < n; i++)
        v[i] = &s->v[i];
    return tnt_chain_verify(v, n, certs, n_certs, at, a, out);
}

const char *tnt_chain_status_name(tnt_chain_status s)
{
    switch (s) {
    case TNT_CHAIN_NOT_VALIDATED:
        return "not validated";
    case TNT_CHAIN_VALID:
        return "valid";
    case TNT_CHAIN_INVALID:
        return "invalid";
    }
    return "?";
}
