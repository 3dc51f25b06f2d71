/* The certificate cache (include/tnt/x509.h): each certificate seen in a
 * capture is parsed by GnuTLS once, and what the decoder asks of it (DN
 * strings, DN attribute values, the public key, chain results) is worked
 * out once per certificate and kept with it.
 *
 * Entries are keyed by the DER itself: found through a 64-bit hash of its
 * length and ends and confirmed by comparing all bytes, so equal bytes share
 * one entry whatever connection they came from, and a hash collision (even a
 * made one) costs a comparison, never a wrong answer. (A cryptographic hash
 * of each certificate at each lookup cost more than the rest of the lookup.)
 * The cache holds at most max_entries certificates; when full, the least
 * recently used one goes.
 * A pointer into an entry is good until the next lookup (which may evict):
 * callers copy what they keep into their own arena. */
#include "cert_cache.h"
#include "chain_verify.h"
#include "x509.h"
#include "x509_import.h"

#include <glib.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <string.h>

/* One attribute of the subject or issuer DN, as tnt_x509_dn_attr gives it. */
typedef struct attr_memo {
    struct attr_memo *next;
    bool issuer;
    char *oid;
    bool ok;
    uint32_t n;
    char **values;
} attr_memo;

typedef struct chain_memo {
    struct chain_memo *next;
    uint8_t rest[32]; /* SHA-256 over the other certificates of the chain */
    uint32_t n_certs;
    int64_t at;
    uint32_t n_anchors;
    const tnt_anchor **anchors; /* the anchor set, by identity */
    bool ok;
    tnt_chain_status status;
    unsigned gnutls_status;
    char *reason;
    const tnt_anchor *anchor;
} chain_memo;

/* A lookup key: an entry's own (its DER copy), or a probe on the stack. */
typedef struct probe {
    uint64_t hash;
    const uint8_t *der;
    size_t len;
} probe;

struct tnt_cert_entry {
    probe k;       /* the hash table's key */
    uint64_t used; /* tick of the last lookup */
    bool parses;
    gnutls_x509_crt_t crt;
    bool sha_done;
    uint8_t sha256[32];
    bool pub_tried;
    gnutls_pubkey_t pub;
    int pub_rc;
    bool dn_tried[2];
    bool dn_ok[2];
    char *dn[2];
    attr_memo *attrs;
    chain_memo *chains;
    uint32_t n_chains;
};

struct tnt_cert_cache {
    GHashTable *by_key; /* key (32 bytes, in the entry) -> entry */
    uint32_t max;
    uint64_t tick;
    uint64_t hits, misses, evictions;
};

/* Chain results kept per certificate: one per (anchor set, rest of chain,
 * time); a decoder has one anchor set, so a handful is plenty. */
#define CHAINS_PER_CERT 4

static guint key_hash(gconstpointer k)
{
    return (guint)((const probe *)k)->hash;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const probe *x = a, *y = b;
    return x->hash == y->hash && x->len == y->len && memcmp(x->der, y->der, x->len) == 0;
}

/* The length and up to 64 bytes at each end (the serial number near the
 * start, the signature at the end: where two certificates differ), 8 bytes
 * at a time, multiplied and folded as in splitmix64. Hashing every byte at
 * each of a connection's dozen lookups cost more than the rest of them;
 * equality is settled by comparing all bytes anyway. */
static uint64_t mix(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    uint64_t w = 0;
    memcpy(&w, p + (n & ~(size_t)7), n & 7);
    return (h ^ w) * 0x94d049bb133111ebull;
}

static uint64_t der_hash(const uint8_t *p, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    if (len <= 128)
        h = mix(h, p, len);
    else
        h = mix(mix(h, p, 64), p + len - 64, 64);
    return h ^ (h >> 29);
}

static void chain_memo_free(chain_memo *m)
{
    g_free(m->anchors);
    g_free(m->reason);
    g_free(m);
}

static void entry_free(gpointer p)
{
    tnt_cert_entry *e = p;
    g_free((void *)e->k.der);
    if (e->crt)
        gnutls_x509_crt_deinit(e->crt);
    if (e->pub)
        gnutls_pubkey_deinit(e->pub);
    g_free(e->dn[0]);
    g_free(e->dn[1]);
    for (attr_memo *m = e->attrs, *nx; m; m = nx) {
        nx = m->next;
        for (uint32_t i = 0; i < m->n; i++)
            g_free(m->values[i]);
        g_free(m->values);
        g_free(m->oid);
        g_free(m);
    }
    for (chain_memo *m = e->chains, *nx; m; m = nx) {
        nx = m->next;
        chain_memo_free(m);
    }
    g_free(e);
}

tnt_cert_cache *tnt_cert_cache_new(uint32_t max_entries)
{
    tnt_cert_cache *cc = g_new0(tnt_cert_cache, 1);
    cc->by_key = g_hash_table_new_full(key_hash, key_equal, NULL, entry_free);
    cc->max = max_entries ? max_entries : TNT_CERT_CACHE_DEFAULT;
    return cc;
}

void tnt_cert_cache_free(tnt_cert_cache *cc)
{
    if (!cc)
        return;
    g_hash_table_destroy(cc->by_key);
    g_free(cc);
}

uint32_t tnt_cert_cache_count(const tnt_cert_cache *cc)
{
    return cc ? g_hash_table_size(cc->by_key) : 0;
}

void tnt_cert_cache_stats(const tnt_cert_cache *cc, uint64_t *hits, uint64_t *misses,
                          uint64_t *evictions)
{
    *hits = cc ? cc->hits : 0;
    *misses = cc ? cc->misses : 0;
    *evictions = cc ? cc->evictions : 0;
}

static void evict_one(tnt_cert_cache *cc)
{
    GHashTableIter it;
    gpointer k, v;
    tnt_cert_entry *old = NULL;
    g_hash_table_iter_init(&it, cc->by_key);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        tnt_cert_entry *e = v;
        if (!old || e->used < old->used)
            old = e;
    }
    if (old) {
        g_hash_table_remove(cc->by_key, &old->k);
        cc->evictions++;
    }
}

tnt_cert_entry *tnt_cert_cache_get(tnt_cert_cache *cc, const uint8_t *der, size_t len)
{
    if (!cc || !der || len == 0 || len > UINT32_MAX)
        return NULL;
    probe key = {der_hash(der, len), der, len};
    tnt_cert_entry *e = g_hash_table_lookup(cc->by_key, &key);
    if (e) {
        cc->hits++;
        e->used = ++cc->tick;
        return e;
    }
    cc->misses++;
    if (g_hash_table_size(cc->by_key) >= cc->max)
        evict_one(cc);
    e = g_new0(tnt_cert_entry, 1);
    e->k = (probe){key.hash, g_memdup2(der, len), len};
    e->used = ++cc->tick;
    /* A certificate that does not parse is remembered as such. */
    e->parses = tnt_x509_import(&e->crt, der, len);
    if (!e->parses)
        e->crt = NULL;
    g_hash_table_insert(cc->by_key, &e->k, e);
    return e;
}

bool tnt_cert_entry_parses(const tnt_cert_entry *e)
{
    return e->parses;
}

gnutls_x509_crt_t tnt_cert_entry_crt(const tnt_cert_entry *e)
{
    return e->parses ? e->crt : NULL;
}

bool tnt_x509_sha256_cached(tnt_cert_cache *cc, const uint8_t *der, size_t len, uint8_t out[32])
{
    tnt_cert_entry *e = tnt_cert_cache_get(cc, der, len);
    if (!e)
        return tnt_x509_sha256(der, len, out);
    if (!e->sha_done) {
        if (!tnt_x509_sha256(der, len, e->sha256))
            return false;
        e->sha_done = true;
    }
    memcpy(out, e->sha256, 32);
    return true;
}

gnutls_pubkey_t tnt_cert_entry_pubkey(tnt_cert_entry *e, int *rc)
{
    if (!e->pub_tried) {
        e->pub_tried = true;
        e->pub_rc = GNUTLS_E_MEMORY_ERROR;
        if (e->parses && gnutls_pubkey_init(&e->pub) >= 0) {
            e->pub_rc = gnutls_pubkey_import_x509(e->pub, e->crt, 0);
            if (e->pub_rc < 0) {
                gnutls_pubkey_deinit(e->pub);
                e->pub = NULL;
            }
        } else {
            e->pub = NULL;
        }
    }
    *rc = e->pub_rc;
    return e->pub;
}

const char *tnt_cert_entry_dn(tnt_cert_entry *e, bool issuer)
{
    int i = issuer ? 1 : 0;
    if (!e->dn_tried[i]) {
        e->dn_tried[i] = true;
        char buf[1024];
        e->dn_ok[i] = e->parses && tnt_x509_crt_dn(e->crt, issuer, buf, sizeof buf);
        if (e->dn_ok[i])
            e->dn[i] = g_strdup(buf);
    }
    return e->dn_ok[i] ? e->dn[i] : NULL;
}

bool tnt_cert_entry_dn_attr(tnt_cert_entry *e, bool issuer, const char *oid, tnt_arena *a,
                            char ***values, uint32_t *n)
{
    *values = NULL;
    *n = 0;
    attr_memo *m = e->attrs;
    for (; m; m = m->next)
        if (m->issuer == issuer && !strcmp(m->oid, oid))
            break;
    if (!m) {
        if (!e->parses)
            return false;
        /* Worked out in a scratch arena, kept in the entry's own memory. */
        tnt_arena s;
        tnt_arena_init(&s);
        char **v = NULL;
        uint32_t k = 0;
        bool ok = tnt_x509_crt_dn_attr(e->crt, issuer, oid, &s, &v, &k);
        m = g_new0(attr_memo, 1);
        m->issuer = issuer;
        m->oid = g_strdup(oid);
        m->ok = ok;
        if (ok && k) {
            m->values = g_new0(char *, k);
            for (uint32_t i = 0; i < k; i++)
                m->values[i] = g_strdup(v[i]);
            m->n = k;
        }
        tnt_arena_free(&s);
        m->next = e->attrs;
        e->attrs = m;
    }
    if (!m->ok)
        return false;
    if (m->n) {
        char **v = tnt_arena_array(a, m->n, sizeof *v);
        if (!v)
            return false;
        for (uint32_t i = 0; i < m->n; i++) {
            size_t l = strlen(m->values[i]);
            v[i] = tnt_arena_alloc(a, l + 1);
            if (!v[i])
                return false;
            memcpy(v[i], m->values[i], l + 1);
        }
        *values = v;
        *n = m->n;
    }
    return true;
}

static void chain_rest_hash(const tnt_bytes *certs, uint32_t n_certs, uint8_t out[32])
{
    gnutls_hash_hd_t h;
    memset(out, 0, 32);
    if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
        return;
    for (uint32_t i = 1; i < n_certs; i++) {
        /* Length first, so that where one certificate ends is hashed too. */
        uint8_t l[4] = {(uint8_t)(certs[i].len >> 24), (uint8_t)(certs[i].len >> 16),
                        (uint8_t)(certs[i].len >> 8), (uint8_t)certs[i].len};
        gnutls_hash(h, l, 4);
        if (certs[i].len)
            gnutls_hash(h, certs[i].p, certs[i].len);
    }
    gnutls_hash_deinit(h, out);
}

bool tnt_chain_verify_cached(tnt_cert_cache *cc, const tnt_anchor *const *anchors,
                             uint32_t n_anchors, const tnt_bytes *certs, uint32_t n_certs,
                             int64_t at, tnt_arena *a, tnt_chain_result *out)
{
    tnt_cert_entry *e =
        (cc && n_anchors && n_certs) ? tnt_cert_cache_get(cc, certs[0].p, certs[0].len) : NULL;
    if (!e)
        return tnt_chain_verify(anchors, n_anchors, certs, n_certs, at, a, out);
    uint8_t rest[32];
    chain_rest_hash(certs, n_certs, rest);
    for (chain_memo *m = e->chains; m; m = m->next) {
        if (m->n_certs != n_certs || m->at != at || m->n_anchors != n_anchors ||
            memcmp(m->rest, rest, 32) || memcmp(m->anchors, anchors, n_anchors * sizeof *anchors))
            continue;
        memset(out, 0, sizeof *out);
        out->status = m->status;
        out->gnutls_status = m->gnutls_status;
        out->anchor = m->anchor;
        if (m->reason) {
            size_t l = strlen(m->reason);
            char *r = tnt_arena_alloc(a, l + 1);
            if (!r)
                return false;
            memcpy(r, m->reason, l + 1);
            out->reason = r;
        }
        return m->ok;
    }
    bool ok = tnt_chain_verify(anchors, n_anchors, certs, n_certs, at, a, out);
    if (!ok)
        return false; /* out of memory: not a result to keep */
    chain_memo *m = g_new0(chain_memo, 1);
    memcpy(m->rest, rest, 32);
    m->n_certs = n_certs;
    m->at = at;
    m->n_anchors = n_anchors;
    m->anchors = g_memdup2(anchors, n_anchors * sizeof *anchors);
    m->ok = ok;
    m->status = out->status;
    m->gnutls_status = out->gnutls_status;
    m->reason = g_strdup(out->reason);
    m->anchor = out->anchor;
    m->next = e->chains;
    e->chains = m;
    if (++e->n_chains > CHAINS_PER_CERT) {
        /* Drop the oldest (the list's tail). */
        chain_memo **p = &e->chains;
        while ((*p)->next)
            p = &(*p)->next;
        chain_memo_free(*p);
        *p = NULL;
        e->n_chains--;
    }
    return ok;
}
