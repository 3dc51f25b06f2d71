#include "x509.h"
#include "cert_cache.h"
#include "x509_import.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <strings.h>

static bool copy_out(const gnutls_datum_t *s, char *buf, size_t cap)
{
    if (s->size >= cap || memchr(s->data, 0, s->size))
        return false;
    memcpy(buf, s->data, s->size);
    buf[s->size] = '\0';
    return true;
}

bool tnt_x509_import(gnutls_x509_crt_t *crt, const uint8_t *der, size_t len)
{
    if (!der || len == 0 || len > UINT32_MAX)
        return false;
    if (gnutls_x509_crt_init(crt) < 0)
        return false;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
    if (gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER) < 0) {
        gnutls_x509_crt_deinit(*crt);
        return false;
    }
    return true;
}

bool tnt_x509_dn(const uint8_t *der, size_t len, bool issuer, char *buf, size_t cap)
{
    return tnt_x509_dn_cached(NULL, der, len, issuer, buf, cap);
}

bool tnt_x509_dn_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, bool issuer, char *buf,
                        size_t cap)
{
    if (!buf || cap == 0)
        return false;
    buf[0] = '\0';
    tnt_cert_entry *e = tnt_cert_cache_get(cc, der, len);
    if (e) {
        const char *s = tnt_cert_entry_dn(e, issuer);
        size_t l = s ? strlen(s) : 0;
        if (!s || l >= cap)
            return false;
        memcpy(buf, s, l + 1);
        return true;
    }
    gnutls_x509_crt_t crt;
    if (!tnt_x509_import(&crt, der, len))
        return false;
    bool ok = tnt_x509_crt_dn(crt, issuer, buf, cap);
    gnutls_x509_crt_deinit(crt);
    return ok;
}

bool tnt_x509_parses(tnt_cert_cache *cc, const uint8_t *der, size_t len)
{
    tnt_cert_entry *e = tnt_cert_cache_get(cc, der, len);
    if (e)
        return tnt_cert_entry_parses(e);
    gnutls_x509_crt_t crt;
    if (!tnt_x509_import(&crt, der, len))
        return false;
    gnutls_x509_crt_deinit(crt);
    return true;
}

bool tnt_x509_crt_dn(gnutls_x509_crt_t crt, bool issuer, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return false;
    buf[0] = '\0';
    gnutls_datum_t s = {NULL, 0};
    /* Flags 0: RFC 4514 order and escaping (not the old reversed form). */
    int r =
        issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &s, 0) : gnutls_x509_crt_get_dn3(crt, &s, 0);
    bool ok = r >= 0 && copy_out(&s, buf, cap);
    if (!ok)
        buf[0] = '\0';
    gnutls_free(s.data);
    return ok;
}

bool tnt_x509_name_str(const uint8_t *der, size_t len, char *buf, size_t cap)
{
    if (!buf || cap == 0)
        return false;
    buf[0] = '\0';
    if (!der || len == 0 || len > UINT32_MAX)
        return false;
    gnutls_x509_dn_t dn;
    if (gnutls_x509_dn_init(&dn) < 0)
        return false;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned)len};
    gnutls_datum_t s = {NULL, 0};
    bool ok = gnutls_x509_dn_import(dn, &d) >= 0 && gnutls_x509_dn_get_str2(dn, &s, 0) >= 0 &&
              copy_out(&s, buf, cap);
    if (!ok)
        buf[0] = '\0';
    gnutls_free(s.data);
    gnutls_x509_dn_deinit(dn);
    return ok;
}

bool tnt_x509_sha256(const uint8_t *der, size_t len, uint8_t out[32])
{
    if (!der && len)
        return false;
    return gnutls_hash_fast(GNUTLS_DIG_SHA256, der, len, out) == 0;
}

static const struct {
    const char *name;
    const char *oid;
} attrs[] = {
    {"CN", GNUTLS_OID_X520_COMMON_NAME},
    {"O", GNUTLS_OID_X520_ORGANIZATION_NAME},
    {"OU", GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME},
    {"C", GNUTLS_OID_X520_COUNTRY_NAME},
    {"ST", GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME},
    {"L", GNUTLS_OID_X520_LOCALITY_NAME},
};

static bool is_dotted_oid(const char *s)
{
    /* digits and single dots, at least one dot, no leading/trailing dot */
    bool dot = false, digit = false;
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            digit = true;
        } else if (*p == '.' && digit) {
            dot = true;
            digit = false;
        } else {
            return false;
        }
    }
    return dot && digit;
}

const char *tnt_x509_attr_oid(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
        if (strcasecmp(name, attrs[i].name) == 0)
            return attrs[i].oid;
    return is_dotted_oid(name) ? name : NULL;
}

/* GnuTLS gives a value it cannot show as text (an embedded NUL, an
 * unconvertible string type) as "#" and the hex of its DER, the RFC 4514
 * escape. Policies compare text, so such a value must not pass for the
 * string "#0c..."; it is recognised by comparing with the raw DER. A real
 * value cannot collide: its hex would be longer than itself. */
static bool is_hex_fallback(gnutls_x509_crt_t crt, bool issuer, const char *oid, unsigned idx,
                            tnt_arena *a, const char *value)
{
    if (value[0] != '#')
        return false;
    size_t size = 0;
    int r = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, oid, idx, 1, NULL, &size)
                   : gnutls_x509_crt_get_dn_by_oid(crt, oid, idx, 1, NULL, &size);
    if (r != GNUTLS_E_SHORT_MEMORY_BUFFER && r < 0)
        return true; /* cannot tell: treat as not text */
    uint8_t *der = tnt_arena_alloc(a, size + 1);
    char *hex = tnt_arena_alloc(a, 2 * size + 1);
    if (!der || !hex)
        return true;
    size_t got = size + 1;
    r = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, oid, idx, 1, der, &got)
               : gnutls_x509_crt_get_dn_by_oid(crt, oid, idx, 1, der, &got);
    if (r < 0 || got > size)
        return true;
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < got; i++) {
        hex[2 * i] = digits[der[i] >> 4];
        hex[2 * i + 1] = digits[der[i] & 15];
    }
    hex[2 * got] = '\0';
    return strcasecmp(value + 1, hex) == 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* GnuTLS returns each value RFC 4514-escaped ("\#", "\,", "\+"...), which
 * is right inside a DN string but not for comparing one value: undo it in
 * place. Returns the new length. */
static size_t unescape_4514(char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            int h = hexval(s[i + 1]), l = i + 2 < len ? hexval(s[i + 2]) : -1;
            if (h >= 0 && l >= 0) {
                s[o++] = (char)(h << 4 | l);
                i += 2;
            } else {
                s[o++] = s[++i];
            }
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

/* One value; *out NULL when there is no value at idx. */
static bool get_value(gnutls_x509_crt_t crt, bool issuer, const char *oid, unsigned idx,
                      tnt_arena *a, char **out)
{
    *out = NULL;
    size_t size = 0;
    /* raw_flag 0: GnuTLS converts the DirectoryString to UTF-8 and refuses
     * types it cannot convert. */
    int r = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, oid, idx, 0, NULL, &size)
                   : gnutls_x509_crt_get_dn_by_oid(crt, oid, idx, 0, NULL, &size);
    if (r == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return true;
    if (r != GNUTLS_E_SHORT_MEMORY_BUFFER && r < 0)
        return false;
    char *buf = tnt_arena_alloc(a, size + 1);
    if (!buf)
        return false;
    size_t got = size + 1;
    r = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, oid, idx, 0, buf, &got)
               : gnutls_x509_crt_get_dn_by_oid(crt, oid, idx, 0, buf, &got);
    if (r < 0 || got > size)
        return false;
    buf[got] = '\0';
    if (strlen(buf) != got || is_hex_fallback(crt, issuer, oid, idx, a, buf))
        return false;
    got = unescape_4514(buf, got);
    if (strlen(buf) != got) /* "\00" */
        return false;
    *out = buf;
    return true;
}

bool tnt_x509_dn_attr(const uint8_t *der, size_t len, bool issuer, const char *name, tnt_arena *a,
                      char ***values, uint32_t *n)
{
    return tnt_x509_dn_attr_cached(NULL, der, len, issuer, name, a, values, n);
}

bool tnt_x509_dn_attr_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, bool issuer,
                             const char *name, tnt_arena *a, char ***values, uint32_t *n)
{
    *values = NULL;
    *n = 0;
    const char *oid = tnt_x509_attr_oid(name);
    if (!oid)
        return false;
    tnt_cert_entry *e = tnt_cert_cache_get(cc, der, len);
    if (e)
        return tnt_cert_entry_dn_attr(e, issuer, oid, a, values, n);
    gnutls_x509_crt_t crt;
    if (!tnt_x509_import(&crt, der, len))
        return false;
    bool ok = tnt_x509_crt_dn_attr(crt, issuer, oid, a, values, n);
    gnutls_x509_crt_deinit(crt);
    return ok;
}

bool tnt_x509_crt_dn_attr(gnutls_x509_crt_t crt, bool issuer, const char *oid, tnt_arena *a,
                          char ***values, uint32_t *n)
{
    *values = NULL;
    *n = 0;
    bool ok = true;
    uint32_t count = 0;
    char **v = NULL;
    for (;;) {
        char *s;
        if (!get_value(crt, issuer, oid, count, a, &s)) {
            ok = false;
            break;
        }
        if (!s)
            break;
        /* Grow by copying: DNs have a handful of values, and the arena has
         * no realloc. */
        char **nv = tnt_arena_array(a, (size_t)count + 1, sizeof(*nv));
        if (!nv) {
            ok = false;
            break;
        }
        if (count)
            memcpy(nv, v, count * sizeof(*nv));
        nv[count++] = s;
        v = nv;
    }
    if (!ok)
        return false;
    *values = v;
    *n = count;
    return true;
}
