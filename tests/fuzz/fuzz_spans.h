/* Span checks shared by the harnesses that decode handshake messages: every
 * byte string a decoder hands out must point into the decoded buffer, and its
 * span must say exactly where (front ends highlight bytes by span). */
#ifndef TNT_FUZZ_SPANS_H
#define TNT_FUZZ_SPANS_H

#include "fuzz_common.h"
#include "codepoints.h"
#include "handshake.h"

static inline void fuzz_check_span(tnt_span s, uint32_t raw_len)
{
    FUZZ_ASSERT(s.off <= raw_len && s.len <= raw_len - s.off);
}

/* inner lies inside outer (a field inside the structure that holds it). */
static inline void fuzz_check_within(tnt_span inner, tnt_span outer)
{
    FUZZ_ASSERT(inner.off >= outer.off && inner.len <= outer.len &&
                inner.off - outer.off <= outer.len - inner.len);
}

/* A vector: whole is its length prefix (1 to 3 bytes) followed by the body at. */
static inline void fuzz_check_vector(tnt_span body, tnt_span whole, uint32_t raw_len)
{
    fuzz_check_span(body, raw_len);
    fuzz_check_span(whole, raw_len);
    FUZZ_ASSERT(whole.off + whole.len == body.off + body.len);
    FUZZ_ASSERT(whole.len >= body.len && whole.len - body.len <= 3);
}

static inline void fuzz_check_uint(const tnt_uint *u, uint32_t raw_len)
{
    if (u->at.len)
        fuzz_check_span(u->at, raw_len);
}

static inline void fuzz_check_bytes(const tnt_bytes *b, const uint8_t *raw, uint32_t raw_len)
{
    if (!b->p) {
        FUZZ_ASSERT(b->len == 0);
        return;
    }
    FUZZ_ASSERT(b->at.len == b->len);
    fuzz_check_span(b->at, raw_len);
    /* whole: the same bytes, with the length prefix when there is one. */
    fuzz_check_vector(b->at, b->whole, raw_len);
    FUZZ_ASSERT(b->p == raw + b->at.off);
    fuzz_touch(b->p, b->len);
}

static inline void fuzz_check_uint_list(const tnt_uint_list *l, uint32_t raw_len)
{
    fuzz_check_span(l->at, raw_len);
    fuzz_check_vector(l->at, l->whole, raw_len);
    for (uint32_t i = 0; i < l->n; i++)
        fuzz_check_uint(&l->v[i], raw_len);
}

static inline void fuzz_check_extensions(const tnt_extensions *e, const uint8_t *raw,
                                         uint32_t raw_len)
{
    fuzz_check_vector(e->list_at, e->list_whole, raw_len);
    for (uint32_t i = 0; i < e->n; i++) {
        const tnt_extension *x = &e->v[i];
        fuzz_check_uint(&x->type, raw_len);
        fuzz_check_bytes(&x->data, raw, raw_len);
        if (!x->decoded)
            continue;
        switch (x->kind) {
        case TNT_EXTK_SERVER_NAME:
            for (uint32_t j = 0; j < x->u.sni.n; j++)
                fuzz_check_bytes(&x->u.sni.names[j].name, raw, raw_len);
            break;
        case TNT_EXTK_SUPPORTED_GROUPS:
        case TNT_EXTK_EC_POINT_FORMATS:
        case TNT_EXTK_SIGNATURE_ALGORITHMS:
            fuzz_check_uint_list(&x->u.groups, raw_len);
            break;
        case TNT_EXTK_ALPN:
            for (uint32_t j = 0; j < x->u.alpn.n; j++)
                fuzz_check_bytes(&x->u.alpn.protocols[j], raw, raw_len);
            break;
        case TNT_EXTK_SUPPORTED_VERSIONS:
            if (x->u.supported_versions.is_list)
                fuzz_check_uint_list(&x->u.supported_versions.list, raw_len);
            break;
        case TNT_EXTK_RENEGOTIATION_INFO:
            fuzz_check_bytes(&x->u.renegotiation_info, raw, raw_len);
            break;
        case TNT_EXTK_TNT:
            fuzz_check_uint_list(&x->u.tnt.strategies, raw_len);
            fuzz_check_uint_list(&x->u.tnt.languages, raw_len);
            break;
        default:
            break;
        }
    }
}

static inline void fuzz_check_sig(const tnt_digitally_signed *s, const uint8_t *raw,
                                  uint32_t raw_len)
{
    fuzz_check_uint(&s->scheme, raw_len);
    fuzz_check_bytes(&s->signature, raw, raw_len);
}

static inline void fuzz_check_negotiation(const tnt_negotiation *g, const uint8_t *raw, uint32_t n);
static inline void fuzz_check_proof(const tnt_proof *p, const uint8_t *raw, uint32_t n);

/* Checks a decoded message; msg->raw must be the buffer that was decoded. */
static inline void fuzz_check_hs_msg(const tnt_hs_msg *m)
{
    const uint8_t *raw = m->raw;
    uint32_t n = m->raw_len;
    if (!m->decoded)
        return;
    fuzz_check_span(m->body_at, n);
    switch (m->type) {
    case TNT_HS_CLIENT_HELLO: {
        const tnt_client_hello *h = &m->u.client_hello;
        fuzz_check_bytes(&h->random, raw, n);
        FUZZ_ASSERT(h->random.len == 32);
        fuzz_check_bytes(&h->session_id, raw, n);
        fuzz_check_vector(h->suites_at, h->suites_whole, n);
        fuzz_check_vector(h->compressions_at, h->compressions_whole, n);
        for (uint32_t i = 0; i < h->n_suites; i++) {
            fuzz_check_uint(&h->suites[i], n);
            fuzz_check_within(h->suites[i].at, h->suites_at);
        }
        for (uint32_t i = 0; i < h->n_compressions; i++) {
            fuzz_check_uint(&h->compressions[i], n);
            fuzz_check_within(h->compressions[i].at, h->compressions_at);
        }
        if (h->has_extensions)
            fuzz_check_extensions(&h->ext, raw, n);
        break;
    }
    case TNT_HS_SERVER_HELLO: {
        const tnt_server_hello *h = &m->u.server_hello;
        fuzz_check_bytes(&h->random, raw, n);
        fuzz_check_bytes(&h->session_id, raw, n);
        if (h->has_extensions)
            fuzz_check_extensions(&h->ext, raw, n);
        break;
    }
    case TNT_HS_CERTIFICATE:
        fuzz_check_vector(m->u.certificate.list_at, m->u.certificate.list_whole, n);
        for (uint32_t i = 0; i < m->u.certificate.n_certs; i++) {
            fuzz_check_bytes(&m->u.certificate.certs[i].der, raw, n);
            fuzz_check_within(m->u.certificate.certs[i].der.whole, m->u.certificate.list_at);
        }
        break;
    case TNT_HS_SERVER_KEY_EXCHANGE: {
        const tnt_server_key_exchange *s = &m->u.ske;
        const tnt_bytes *b[] = {&s->psk_identity_hint, &s->dh_p,        &s->dh_g,         &s->dh_ys,
                                &s->ec_point,          &s->rsa_modulus, &s->rsa_exponent, &s->raw};
        for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
            fuzz_check_bytes(b[i], raw, n);
        if (s->signed_params)
            fuzz_check_sig(&s->sig, raw, n);
        break;
    }
    case TNT_HS_CERTIFICATE_REQUEST: {
        const tnt_certificate_request *r = &m->u.cert_request;
        for (uint32_t i = 0; i < r->n_cert_types; i++)
            fuzz_check_uint(&r->cert_types[i], n);
        for (uint32_t i = 0; i < r->n_sig_algs; i++)
            fuzz_check_uint(&r->sig_algs[i], n);
        for (uint32_t i = 0; i < r->n_cas; i++)
            fuzz_check_bytes(&r->cas[i], raw, n);
        break;
    }
    case TNT_HS_CLIENT_KEY_EXCHANGE: {
        const tnt_client_key_exchange *k = &m->u.cke;
        fuzz_check_bytes(&k->psk_identity, raw, n);
        fuzz_check_bytes(&k->encrypted_pms, raw, n);
        fuzz_check_bytes(&k->dh_yc, raw, n);
        fuzz_check_bytes(&k->ecdh_point, raw, n);
        fuzz_check_bytes(&k->raw, raw, n);
        break;
    }
    case TNT_HS_CERTIFICATE_VERIFY:
        fuzz_check_sig(&m->u.cert_verify.sig, raw, n);
        break;
    case TNT_HS_FINISHED:
        fuzz_check_bytes(&m->u.finished.verify_data, raw, n);
        break;
    case TNT_HS_NEW_SESSION_TICKET:
        fuzz_check_bytes(&m->u.ticket.ticket, raw, n);
        break;
    case TNT_HS_CERTIFICATE_STATUS:
        fuzz_check_bytes(&m->u.cert_status.response, raw, n);
        break;
    case TNT_DEFAULT_HS_NEGOTIATION:
        fuzz_check_negotiation(&m->u.tnt_negotiation, raw, n);
        break;
    case TNT_DEFAULT_HS_PROOF:
        fuzz_check_proof(&m->u.tnt_proof, raw, n);
        break;
    default:
        break;
    }
}

/* TNTNegotiation / TNTProof, decoded from a buffer starting at raw. */
static inline void fuzz_check_negotiation(const tnt_negotiation *g, const uint8_t *raw, uint32_t n)
{
    fuzz_check_uint(&g->round, n);
    fuzz_check_uint(&g->status, n);
    fuzz_check_vector(g->policies_at, g->policies_whole, n);
    fuzz_check_vector(g->credentials_at, g->credentials_whole, n);
    for (uint32_t i = 0; i < g->n_policies; i++) {
        const tnt_policy *p = &g->policies[i];
        fuzz_check_span(p->at, n);
        fuzz_check_within(p->at, g->policies_at);
        fuzz_check_uint(&p->target_kind, n);
        fuzz_check_bytes(&p->target_name, raw, n);
        fuzz_check_uint(&p->language, n);
        fuzz_check_bytes(&p->expression, raw, n);
        fuzz_check_within(p->target_kind.at, p->at);
        fuzz_check_within(p->target_name.whole, p->at);
        fuzz_check_within(p->language.at, p->at);
        fuzz_check_within(p->expression.whole, p->at);
    }
    for (uint32_t i = 0; i < g->n_credentials; i++) {
        const tnt_credential *c = &g->credentials[i];
        fuzz_check_span(c->at, n);
        fuzz_check_within(c->at, g->credentials_at);
        fuzz_check_vector(c->chain_at, c->chain_whole, n);
        fuzz_check_within(c->chain_whole, c->at);
        fuzz_check_bytes(&c->type, raw, n);
        fuzz_check_within(c->type.whole, c->at);
        for (uint32_t j = 0; j < c->n_certs; j++) {
            fuzz_check_bytes(&c->certs[j], raw, n);
            fuzz_check_within(c->certs[j].whole, c->chain_at);
        }
    }
}

static inline void fuzz_check_proof(const tnt_proof *p, const uint8_t *raw, uint32_t n)
{
    fuzz_check_vector(p->proofs_at, p->proofs_whole, n);
    for (uint32_t i = 0; i < p->n_proofs; i++) {
        const tnt_ownership_proof *o = &p->proofs[i];
        fuzz_check_span(o->at, n);
        fuzz_check_within(o->at, p->proofs_at);
        fuzz_check_within(o->signature.whole, o->at);
        fuzz_check_uint(&o->credential_index, n);
        if (o->has_algorithm)
            fuzz_check_uint(&o->algorithm, n);
        fuzz_check_bytes(&o->signature, raw, n);
    }
}

#endif
