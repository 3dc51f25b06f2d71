#define _GNU_SOURCE /* memmem */

#include "config.h"
#include "arena_vec.h"

#include "tnt/tnt_messages.h"
#include "tnt/load.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bigger than any sane configuration, certificate chain or key; the bound
 * keeps a wrong path (a disk image, /dev/zero) from eating memory. */
#define MAX_FILE (1u << 20)

typedef struct parser {
    const char *name, *dir;
    tnt_arena *a;
    tnt_peer_config *cfg;
    unsigned line;
    char *err;
    size_t err_cap;
    uint32_t cap_creds, cap_res;
    tnt_peer_credential *cur; /* the open [credential] block */
    unsigned line_strategy, line_rounds, line_language;
} parser;

static bool fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(parser *p, const char *fmt, ...)
{
    if (!p->err || !p->err_cap)
        return false;
    int n = snprintf(p->err, p->err_cap, "%s:%u: ", p->name, p->line);
    if (n >= 0 && (size_t)n < p->err_cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->err_cap - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static char *dup_n(tnt_arena *a, const char *s, size_t n)
{
    char *d = tnt_arena_alloc(a, n + 1);
    if (d)
        memcpy(d, s, n);
    return d;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* A line being read: text[pos..len). */
typedef struct line {
    const char *s;
    size_t len, pos;
} line;

static void skip_blank(line *l)
{
    while (l->pos < l->len && is_blank(l->s[l->pos]))
        l->pos++;
}

static bool at_end(line *l)
{
    skip_blank(l);
    return l->pos == l->len;
}

/* The rest of the line without surrounding blanks. */
static size_t rest(line *l, const char **out)
{
    skip_blank(l);
    size_t end = l->len;
    while (end > l->pos && is_blank(l->s[end - 1]))
        end--;
    *out = l->s + l->pos;
    size_t n = end - l->pos;
    l->pos = l->len;
    return n;
}

static size_t word(line *l, const char **out)
{
    skip_blank(l);
    size_t start = l->pos;
    while (l->pos < l->len && ((l->s[l->pos] >= 'a' && l->s[l->pos] <= 'z') ||
                               (l->s[l->pos] >= 'A' && l->s[l->pos] <= 'Z') ||
                               l->s[l->pos] == '_' || l->s[l->pos] == '-'))
        l->pos++;
    *out = l->s + start;
    return l->pos - start;
}

static bool expect(parser *p, line *l, char c, const char *what)
{
    skip_blank(l);
    if (l->pos < l->len && l->s[l->pos] == c) {
        l->pos++;
        return true;
    }
    return fail(p, "expected '%c' %s", c, what);
}

/* A double-quoted string with the escapes of dn_expression (\" and \\ only),
 * no control bytes, well-formed UTF-8. */
static bool quoted(parser *p, line *l, const char *what, char **out, size_t *out_len)
{
    skip_blank(l);
    if (l->pos >= l->len || l->s[l->pos] != '"')
        return fail(p, "expected a double-quoted %s", what);
    l->pos++;
    char *buf = tnt_arena_alloc(p->a, l->len - l->pos + 1);
    if (!buf)
        return fail(p, "out of memory");
    size_t n = 0;
    for (;;) {
        if (l->pos >= l->len)
            return fail(p, "unterminated string in %s", what);
        unsigned char c = (unsigned char)l->s[l->pos++];
        if (c == '"')
            break;
        if (c == '\\') {
            if (l->pos >= l->len || (l->s[l->pos] != '"' && l->s[l->pos] != '\\'))
                return fail(p, "bad escape in %s: only \\\" and \\\\ are escapes", what);
            c = (unsigned char)l->s[l->pos++];
        } else if (c < 0x20 || c == 0x7f) {
            return fail(p, "control character in %s", what);
        }
        buf[n++] = (char)c;
    }
    size_t bad;
    if (!tnt_utf8_valid((const uint8_t *)buf, n, &bad))
        return fail(p, "%s is not valid UTF-8 (byte %zu)", what, bad);
    *out = buf;
    *out_len = n;
    return true;
}

static char *resolve(parser *p, const char *file, size_t n)
{
    if (!p->dir || !*p->dir || (n && file[0] == '/'))
        return dup_n(p->a, file, n);
    size_t dl = strlen(p->dir);
    char *s = tnt_arena_alloc(p->a, dl + 1 + n + 1);
    if (!s)
        return NULL;
    memcpy(s, p->dir, dl);
    s[dl] = '/';
    memcpy(s + dl + 1, file, n);
    return s;
}

/* Reads a whole file into the arena (NUL-terminated, for the text parser). */
static bool read_file(tnt_arena *a, const char *path, uint8_t **out, size_t *len, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return false;
    }
    /* Read in pieces rather than trusting a size from stat: a pipe or a
     * device has none. */
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    bool ok = buf != NULL;
    *why = "out of memory";
    while (ok) {
        if (n == cap) {
            if (cap > MAX_FILE) {
                *why = "file too large";
                ok = false;
                break;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                ok = false;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                *why = "read error";
                ok = false;
            }
            break;
        }
    }
    fclose(f);
    if (ok && n > MAX_FILE) {
        *why = "file too large";
        ok = false;
    }
    uint8_t *copy = ok ? tnt_arena_alloc(a, n + 1) : NULL;
    if (copy) {
        memcpy(copy, buf, n);
        copy[n] = 0;
        *out = copy;
        *len = n;
    }
    free(buf);
    return copy != NULL;
}

static bool looks_pem(const uint8_t *b, size_t n)
{
    return n >= 10 && memmem(b, n, "-----BEGIN", 10) != NULL;
}

static bool load_chain(parser *p, tnt_peer_credential *c, const char *file, size_t n)
{
    c->chain_file = resolve(p, file, n);
    if (!c->chain_file)
        return fail(p, "out of memory");
    uint8_t *buf;
    size_t len;
    const char *why;
    if (!read_file(p->a, c->chain_file, &buf, &len, &why))
        return fail(p, "chain file %s: %s", c->chain_file, why);
    gnutls_datum_t d = {buf, (unsigned)len};
    gnutls_x509_crt_t *crts = NULL;
    unsigned nc = 0;
    int r = gnutls_x509_crt_list_import2(
        &crts, &nc, &d, looks_pem(buf, len) ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, 0);
    if (r < 0 || nc == 0)
        return fail(p, "chain file %s: no certificate: %s", c->chain_file,
                    r < 0 ? gnutls_strerror(r) : "empty");
    bool ok = nc <= TNT_CHAIN_MAX_CERTS;
    c->certs = ok ? tnt_arena_array(p->a, nc, sizeof(*c->certs)) : NULL;
    ok = ok && c->certs;
    for (unsigned i = 0; ok && i < nc; i++) {
        gnutls_datum_t der = {NULL, 0};
        ok = gnutls_x509_crt_export2(crts[i], GNUTLS_X509_FMT_DER, &der) >= 0;
        uint8_t *copy = ok ? tnt_arena_alloc(p->a, der.size) : NULL;
        ok = ok && copy;
        if (ok) {
            memcpy(copy, der.data, der.size);
            c->certs[i].p = copy;
            c->certs[i].len = der.size;
        }
        gnutls_free(der.data);
    }
    for (unsigned i = 0; i < nc; i++)
        gnutls_x509_crt_deinit(crts[i]);
    gnutls_free(crts);
    if (!ok)
        return fail(p, "chain file %s: %s", c->chain_file,
                    nc > TNT_CHAIN_MAX_CERTS ? "too many certificates" : "cannot export");
    c->n_certs = nc;
    return true;
}

static bool load_key(parser *p, tnt_peer_credential *c, const char *file, size_t n)
{
    c->key_file = resolve(p, file, n);
    if (!c->key_file)
        return fail(p, "out of memory");
    uint8_t *buf;
    size_t len;
    const char *why;
    if (!read_file(p->a, c->key_file, &buf, &len, &why))
        return fail(p, "key file %s: %s", c->key_file, why);
    gnutls_x509_privkey_t k;
    if (gnutls_x509_privkey_init(&k) < 0)
        return fail(p, "out of memory");
    gnutls_datum_t d = {buf, (unsigned)len};
    int r = gnutls_x509_privkey_import2(
        k, &d, looks_pem(buf, len) ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, NULL, 0);
    gnutls_x509_privkey_deinit(k);
    if (r < 0)
        return fail(p, "key file %s: not a usable private key: %s", c->key_file,
                    gnutls_strerror(r));
    c->key = buf;
    c->key_len = len;
    return true;
}

/* The key must be the one of the owner's certificate, or every proof the
 * peer makes would be refused by the other side. */
static bool key_matches(const tnt_peer_credential *c)
{
    gnutls_x509_privkey_t k = NULL;
    gnutls_x509_crt_t crt = NULL;
    bool ok = false;
    unsigned char kid[64], cid[64];
    size_t kn = sizeof(kid), cn = sizeof(cid);
    gnutls_datum_t kd = {(unsigned char *)c->key, (unsigned)c->key_len};
    gnutls_datum_t cd = {(unsigned char *)c->certs[0].p, c->certs[0].len};
    if (gnutls_x509_privkey_init(&k) < 0 || gnutls_x509_crt_init(&crt) < 0)
        goto out;
    if (gnutls_x509_privkey_import2(
            k, &kd, looks_pem(c->key, c->key_len) ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, NULL,
            0) < 0 ||
        gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_DER) < 0)
        goto out;
    if (gnutls_x509_privkey_get_key_id(k, 0, kid, &kn) < 0 ||
        gnutls_x509_crt_get_key_id(crt, 0, cid, &cn) < 0)
        goto out;
    ok = kn == cn && memcmp(kid, cid, kn) == 0;
out:
    if (k)
        gnutls_x509_privkey_deinit(k);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    return ok;
}

/* Parses a policy that starts at column col of the line, into the tree and
 * its canonical text. */
static bool policy(parser *p, const char *text, size_t n, size_t col, const tnt_dn_node **tree,
                   const char **canon)
{
    if (n == 0)
        return fail(p, "empty policy (write true for a free one)");
    tnt_error e = {0, NULL};
    const tnt_dn_node *t = tnt_dn_parse((const uint8_t *)text, n, p->a, &e);
    if (!t)
        return fail(p, "malformed policy at column %zu: %s", col + e.off + 1,
                    e.what ? e.what : "error");
    size_t len = tnt_dn_format(t, NULL, 0);
    if (len > 0xffff)
        return fail(p, "policy longer than 65535 bytes");
    char *s = tnt_arena_alloc(p->a, len + 1);
    if (!s)
        return fail(p, "out of memory");
    tnt_dn_format(t, s, len + 1);
    *tree = t;
    *canon = s;
    return true;
}

static bool section(parser *p, line *l)
{
    l->pos++; /* '[' */
    const char *w;
    size_t wn = word(l, &w);
    if (wn != 10 || memcmp(w, "credential", 10) != 0)
        return fail(p, "unknown section (only [credential \"TYPE\"] exists)");
    char *type;
    size_t tn;
    if (!quoted(p, l, "credential type", &type, &tn))
        return false;
    if (tn == 0 || tn > 255)
        return fail(p, "a credential type has 1 to 255 bytes");
    if (!expect(p, l, ']', "after the credential type"))
        return false;
    if (!at_end(l))
        return fail(p, "unexpected text after ']'");
    for (uint32_t i = 0; i < p->cfg->n_creds; i++)
        if (strcmp(p->cfg->creds[i].type, type) == 0)
            return fail(p, "credential \"%s\" already defined at line %u", type,
                        p->cfg->creds[i].line);
    if (!arena_vec_grow(p->a, (void **)&p->cfg->creds, p->cfg->n_creds, &p->cap_creds,
                        sizeof(tnt_peer_credential)))
        return fail(p, "out of memory");
    p->cur = &p->cfg->creds[p->cfg->n_creds++];
    memset(p->cur, 0, sizeof(*p->cur));
    p->cur->type = type;
    p->cur->line = p->line;
    return true;
}

static bool anchor(parser *p, line *l)
{
    tnt_anchor_key keys[8];
    uint32_t nk = 0;
    for (;;) {
        skip_blank(l);
        if (l->pos < l->len && l->s[l->pos] == '=')
            break;
        const char *w;
        size_t wn = word(l, &w);
        static const struct {
            const char *name;
            tnt_dn_attr attr;
        } attrs[] = {{"CN", TNT_DN_ATTR_CN}, {"O", TNT_DN_ATTR_O},   {"OU", TNT_DN_ATTR_OU},
                     {"C", TNT_DN_ATTR_C},   {"ST", TNT_DN_ATTR_ST}, {"L", TNT_DN_ATTR_L}};
        int found = -1;
        for (int i = 0; i < 6; i++)
            if (strlen(attrs[i].name) == wn && memcmp(attrs[i].name, w, wn) == 0)
                found = i;
        if (found < 0)
            return fail(p, "anchor: expected ATTR=\"value\" (ATTR one of CN O OU C ST L) or '='");
        if (nk == 8)
            return fail(p, "anchor: at most 8 issuer attributes");
        if (!expect(p, l, '=', "after the attribute name"))
            return false;
        char *v;
        size_t vn;
        if (!quoted(p, l, "anchor attribute value", &v, &vn))
            return false;
        keys[nk].attr = attrs[found].attr;
        keys[nk].value = v;
        nk++;
    }
    l->pos++; /* '=' */
    const char *file;
    size_t fn = rest(l, &file);
    if (fn == 0)
        return fail(p, "anchor: file name missing");
    char *path = resolve(p, file, fn);
    if (!path)
        return fail(p, "out of memory");
    tnt_error e = {0, NULL};
    if (!tnt_anchors_add_file(&p->cfg->anchors, path, keys, nk, &e))
        return fail(p, "anchor file %s: %s", path, e.what ? e.what : "error");
    return true;
}

static bool resource(parser *p, line *l)
{
    char *name;
    size_t nn;
    if (!quoted(p, l, "resource name", &name, &nn))
        return false;
    if (nn == 0 || nn > 255)
        return fail(p, "a resource name has 1 to 255 bytes");
    if (!expect(p, l, '=', "after the resource name"))
        return false;
    const char *text;
    skip_blank(l);
    size_t col = l->pos;
    size_t tn = rest(l, &text);
    if (!arena_vec_grow(p->a, (void **)&p->cfg->resources, p->cfg->n_resources, &p->cap_res,
                        sizeof(tnt_peer_resource)))
        return fail(p, "out of memory");
    tnt_peer_resource *r = &p->cfg->resources[p->cfg->n_resources];
    memset(r, 0, sizeof(*r));
    r->name = name;
    r->line = p->line;
    if (!policy(p, text, tn, col, &r->policy, &r->policy_text))
        return false;
    p->cfg->n_resources++;
    return true;
}

static bool setting(parser *p, line *l, const char *w, size_t wn)
{
#define IS(s) (wn == sizeof(s) - 1 && memcmp(w, s, wn) == 0)
    if (!expect(p, l, '=', "after the setting name"))
        return false;
    skip_blank(l);
    size_t col = l->pos;
    const char *v;
    size_t vn = rest(l, &v);
#define VAL(s) (vn == sizeof(s) - 1 && memcmp(v, s, vn) == 0)
    if (IS("strategy")) {
        if (p->line_strategy)
            return fail(p, "strategy already set at line %u", p->line_strategy);
        p->line_strategy = p->line;
        if (VAL("eager"))
            p->cfg->strategy = TNT_STRATEGY_EAGER;
        else if (VAL("parsimonious"))
            p->cfg->strategy = TNT_STRATEGY_PARSIMONIOUS;
        else
            return fail(p, "strategy must be eager or parsimonious");
        return true;
    }
    if (IS("rounds")) {
        if (p->line_rounds)
            return fail(p, "rounds already set at line %u", p->line_rounds);
        p->line_rounds = p->line;
        unsigned long n = 0;
        bool ok = vn > 0 && vn <= 5;
        for (size_t i = 0; ok && i < vn; i++) {
            ok = v[i] >= '0' && v[i] <= '9';
            n = n * 10 + (unsigned long)(v[i] - '0');
        }
        if (!ok || n < 1 || n > 65535)
            return fail(p, "rounds must be a number from 1 to 65535");
        p->cfg->round_limit = (uint16_t)n;
        return true;
    }
    if (IS("language")) {
        if (p->line_language)
            return fail(p, "language already set at line %u", p->line_language);
        p->line_language = p->line;
        if (VAL("dn_expression"))
            return true;
        if (VAL("xml_policy"))
            return fail(p, "xml_policy policies cannot be evaluated; only dn_expression is "
                           "supported");
        return fail(p, "unknown policy language (only dn_expression)");
    }
    if (IS("chain") || IS("key") || IS("policy")) {
        if (!p->cur)
            return fail(p, "%.*s outside a [credential \"TYPE\"] section", (int)wn, w);
        if (IS("policy")) {
            if (p->cur->policy)
                return fail(p, "policy of credential \"%s\" already set", p->cur->type);
            return policy(p, v, vn, col, &p->cur->policy, &p->cur->policy_text);
        }
        if (vn == 0)
            return fail(p, "%.*s: file name missing", (int)wn, w);
        if (IS("chain")) {
            if (p->cur->n_certs)
                return fail(p, "chain of credential \"%s\" already set", p->cur->type);
            return load_chain(p, p->cur, v, vn);
        }
        if (p->cur->key)
            return fail(p, "key of credential \"%s\" already set", p->cur->type);
        return load_key(p, p->cur, v, vn);
    }
    return fail(p, "unknown setting \"%.*s\"", (int)wn, w);
#undef IS
#undef VAL
}

static bool statement(parser *p, line *l)
{
    skip_blank(l);
    if (l->pos == l->len || l->s[l->pos] == '#' || l->s[l->pos] == ';')
        return true;
    if (l->s[l->pos] == '[')
        return section(p, l);
    const char *w;
    size_t wn = word(l, &w);
    if (wn == 0)
        return fail(p, "expected a setting name");
    if (wn == 6 && memcmp(w, "anchor", 6) == 0)
        return anchor(p, l);
    if (wn == 8 && memcmp(w, "resource", 8) == 0)
        return resource(p, l);
    return setting(p, l, w, wn);
}

static bool finish_credentials(parser *p)
{
    for (uint32_t i = 0; i < p->cfg->n_creds; i++) {
        tnt_peer_credential *c = &p->cfg->creds[i];
        p->line = c->line;
        const char *missing = !c->n_certs ? "chain" : !c->key ? "key" : !c->policy ? "policy" : 0;
        if (missing)
            return fail(p, "credential \"%s\" has no %s", c->type, missing);
        if (!key_matches(c))
            return fail(p, "credential \"%s\": key %s does not match the first certificate of %s",
                        c->type, c->key_file, c->chain_file);
    }
    return true;
}

bool tnt_peer_config_parse(const char *text, size_t len, const char *name, const char *dir,
                           tnt_arena *a, tnt_peer_config *out, char *err, size_t err_cap)
{
    memset(out, 0, sizeof(*out));
    out->strategy = TNT_STRATEGY_PARSIMONIOUS;
    out->language = TNT_LANG_DN_EXPRESSION;
    out->round_limit = TNT_PEER_DEFAULT_ROUNDS;
    tnt_anchors_init(&out->anchors, a);
    if (err && err_cap)
        err[0] = '\0';
    parser p = {.name = name ? name : "<config>",
                .dir = dir,
                .a = a,
                .cfg = out,
                .err = err,
                .err_cap = err_cap};
    size_t pos = 0;
    while (pos < len) {
        p.line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        line l = {text + pos, end - pos, 0};
        if (memchr(l.s, '\0', l.len))
            return fail(&p, "NUL byte in the configuration");
        if (!statement(&p, &l))
            return false;
        pos = end + 1;
    }
    return finish_credentials(&p);
}

bool tnt_peer_config_load(const char *path, tnt_arena *a, tnt_peer_config *out, char *err,
                          size_t err_cap)
{
    uint8_t *buf;
    size_t len;
    const char *why;
    if (!read_file(a, path, &buf, &len, &why)) {
        if (err && err_cap)
            snprintf(err, err_cap, "%s: %s", path, why);
        return false;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? dup_n(a, path, (size_t)(slash - path)) : NULL;
    if (slash && slash == path)
        dir = "/";
    return tnt_peer_config_parse((const char *)buf, len, path, dir, a, out, err, err_cap);
}

const tnt_peer_credential *tnt_peer_config_credential(const tnt_peer_config *c, const char *type)
{
    for (uint32_t i = 0; i < c->n_creds; i++)
        if (strcmp(c->creds[i].type, type) == 0)
            return &c->creds[i];
    return NULL;
}

bool tnt_peer_config_has_resource(const tnt_peer_config *c, const char *name)
{
    for (uint32_t i = 0; i < c->n_resources; i++)
        if (strcmp(c->resources[i].name, name) == 0)
            return true;
    return false;
}
