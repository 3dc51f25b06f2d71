#include "print_tls.h"
#include "tnt/codepoints.h"
#include "tnt/names.h"
#include "tnt/x509.h"

#include <stdio.h>
#include <string.h>

/* Continuation lines line up under the message name. */
#define DETAIL "                              "

static const char *version_str(uint32_t v, char *buf, size_t cap)
{
    const char *n = tnt_version_name((uint16_t)v);
    if (n)
        return n;
    snprintf(buf, cap, "0x%04x", v);
    return buf;
}

static void hex(textbuf *t, const uint8_t *p, uint32_t n, uint32_t max)
{
    uint32_t show = n < max ? n : max;
    for (uint32_t i = 0; i < show; i++)
        textbuf_printf(t, "%02x", p[i]);
    if (show < n)
        textbuf_printf(t, "...(%u bytes)", n);
}

/* Bytes that should be text (SNI, ALPN, TNT names) are printed with anything
 * outside printable ASCII escaped, so hostile bytes cannot forge output lines. */
static void text(textbuf *t, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t ch = p[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '"')
            textbuf_printf(t, "%c", ch);
        else if (ch >= 0x80)
            textbuf_printf(t, "%c", ch); /* UTF-8 passes through */
        else
            textbuf_printf(t, "\\x%02x", ch);
    }
}

/* The same for text that runs to the end of its line (policy expressions):
 * quotes and backslashes cannot be confused with a delimiter there, and
 * policies are full of them. */
static void text_to_eol(textbuf *t, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint8_t ch = p[i];
        if (ch >= 0x20 && ch != 0x7f)
            textbuf_printf(t, "%c", ch);
        else
            textbuf_printf(t, "\\x%02x", ch);
    }
}

static void name_or_num(textbuf *t, const char *name, unsigned v, int width)
{
    if (name)
        textbuf_printf(t, "%s", name);
    else
        textbuf_printf(t, width == 2 ? "0x%04x" : "%u", v);
}

void print_record(textbuf *t, const char *prefix, const tnt_record_event *ev, int verbose)
{
    const tnt_record *r = ev->rec;
    char vb[16];
    if (r->sslv2) {
        textbuf_printf(t, "%s sslv2 %s len=%u%s\n", prefix, version_str(r->version, vb, sizeof vb),
                       r->length, ev->encrypted ? " encrypted" : "");
        return;
    }
    const char *ct = tnt_content_type_name(r->type);
    if (ct)
        textbuf_printf(t, "%s %s", prefix, ct);
    else
        textbuf_printf(t, "%s content-type-%u", prefix, r->type);
    textbuf_printf(t, " %s len=%u", version_str(r->version, vb, sizeof vb), r->length);
    if (ev->decrypted) {
        textbuf_printf(t, " decrypted e%u", ev->epoch);
        if (ev->inner_type) {
            /* TLS 1.3 hides the real type inside the encryption. */
            const char *in = tnt_content_type_name(ev->inner_type);
            if (in)
                textbuf_printf(t, " inner=%s", in);
            else
                textbuf_printf(t, " inner=content-type-%u", ev->inner_type);
        }
    } else if (ev->decrypt_failed)
        textbuf_printf(t, " decrypt-failed e%u %s", ev->epoch, tnt_rp_status_name(ev->failure));
    else if (ev->null_cipher)
        textbuf_printf(t, " null-cipher e%u", ev->epoch);
    else if (ev->encrypted)
        textbuf_printf(t, " encrypted");
    if (ev->has_alert) {
        textbuf_printf(t, " ");
        name_or_num(t, tnt_alert_level_name((uint8_t)ev->alert.level.v), ev->alert.level.v, 1);
        textbuf_printf(t, " ");
        name_or_num(t, tnt_alert_description_name((uint8_t)ev->alert.description.v),
                    ev->alert.description.v, 1);
    }
    if (verbose >= 2)
        textbuf_printf(t, " @%llu", (unsigned long long)r->stream_off);
    textbuf_printf(t, "\n");
}

void print_dump(textbuf *t, const uint8_t *p, uint32_t n)
{
    /* Formatted by hand: with --app-data this runs over every byte of the
     * capture, and printf per byte made it slower than tshark. */
    static const char digits[] = "0123456789abcdef";
    char line[128];
    for (uint32_t off = 0; off < n; off += 16) {
        size_t k = 0;
        memset(line, ' ', 24);
        k = 24;
        line[k++] = '|';
        line[k++] = ' ';
        for (int sh = 12; sh >= 0; sh -= 4)
            line[k++] = digits[(off >> sh) & 0xf];
        line[k++] = ' ';
        for (uint32_t i = 0; i < 16; i++) {
            line[k++] = ' ';
            if (off + i < n) {
                line[k++] = digits[p[off + i] >> 4];
                line[k++] = digits[p[off + i] & 0xf];
            } else {
                line[k++] = ' ';
                line[k++] = ' ';
            }
        }
        line[k++] = ' ';
        line[k++] = ' ';
        for (uint32_t i = 0; i < 16 && off + i < n; i++) {
            uint8_t ch = p[off + i];
            line[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
        }
        line[k++] = '\n';
        textbuf_append(t, line, k);
    }
}

static void ext_list(textbuf *t, const tnt_extensions *e, const tnt_codepoints *cp, int verbose)
{
    textbuf_printf(t, " ext=");
    for (uint32_t i = 0; i < e->n; i++) {
        const tnt_extension *x = &e->v[i];
        if (i)
            textbuf_printf(t, ",");
        const char *n = tnt_extension_name(cp, (uint16_t)x->type.v);
        if (n)
            textbuf_printf(t, "%s", n);
        else if (tnt_is_grease((uint16_t)x->type.v))
            textbuf_printf(t, "grease");
        else
            textbuf_printf(t, "ext-%u", x->type.v);
        if (!x->decoded && x->err.what) {
            textbuf_printf(t, "(malformed)");
            continue;
        }
        if (x->kind == TNT_EXTK_SERVER_NAME && x->u.sni.n > 0) {
            textbuf_printf(t, "(");
            text(t, x->u.sni.names[0].name.p, x->u.sni.names[0].name.len);
            textbuf_printf(t, ")");
        } else if (x->kind == TNT_EXTK_TNT && x->decoded) {
            const tnt_tnt_ext *tn = &x->u.tnt;
            if (!tn->known_version) {
                textbuf_printf(t, "(version %u)", tn->version.v);
                continue;
            }
            textbuf_printf(t, "(%s", tnt_mode_name(tn->mode.v) ? tnt_mode_name(tn->mode.v) : "?");
            if (verbose) {
                for (uint32_t k = 0; k < tn->strategies.n; k++)
                    textbuf_printf(t, "%s%s", k ? "/" : " ",
                                   tnt_strategy_name(tn->strategies.v[k].v)
                                       ? tnt_strategy_name(tn->strategies.v[k].v)
                                       : "?");
                for (uint32_t k = 0; k < tn->languages.n; k++)
                    textbuf_printf(t, "%s%s", k ? "/" : " ",
                                   tnt_language_name(tn->languages.v[k].v)
                                       ? tnt_language_name(tn->languages.v[k].v)
                                       : "?");
            }
            textbuf_printf(t, ")");
        } else if (x->kind == TNT_EXTK_ALPN && verbose && x->u.alpn.n > 0) {
            textbuf_printf(t, "(");
            for (uint32_t k = 0; k < x->u.alpn.n; k++) {
                if (k)
                    textbuf_printf(t, "/");
                text(t, x->u.alpn.protocols[k].p, x->u.alpn.protocols[k].len);
            }
            textbuf_printf(t, ")");
        } else if (x->kind == TNT_EXTK_RENEGOTIATION_INFO && verbose) {
            textbuf_printf(t, "(%u bytes)", x->u.renegotiation_info.len);
        }
    }
}

static void ext_details(textbuf *t, const tnt_extensions *e, const tnt_codepoints *cp)
{
    for (uint32_t i = 0; i < e->n; i++) {
        const tnt_extension *x = &e->v[i];
        const char *n = tnt_extension_name(cp, (uint16_t)x->type.v);
        textbuf_printf(t, DETAIL "  extension %s (%u) len=%u", n ? n : "unknown", x->type.v,
                       x->data.len);
        if (!x->decoded && x->err.what)
            textbuf_printf(t, " malformed: %s at offset %u", x->err.what, x->err.off);
        const tnt_uint_list *l = NULL;
        const char *(*namer)(uint16_t) = NULL;
        switch (x->kind) {
        case TNT_EXTK_SUPPORTED_GROUPS:
            l = &x->u.groups;
            namer = tnt_group_name;
            break;
        case TNT_EXTK_SIGNATURE_ALGORITHMS:
            l = &x->u.sig_algs;
            namer = tnt_sigscheme_name;
            break;
        case TNT_EXTK_SUPPORTED_VERSIONS:
            if (x->u.supported_versions.is_list) {
                l = &x->u.supported_versions.list;
                namer = tnt_version_name;
            } else {
                const char *vn = tnt_version_name((uint16_t)x->u.supported_versions.selected.v);
                textbuf_printf(t, " %s", vn ? vn : "?");
            }
            break;
        case TNT_EXTK_RECORD_SIZE_LIMIT:
            textbuf_printf(t, " %u", x->u.record_size_limit.v);
            break;
        case TNT_EXTK_RENEGOTIATION_INFO:
            if (x->u.renegotiation_info.len == 0)
                textbuf_printf(t, " (empty)");
            else {
                textbuf_printf(t, " ");
                hex(t, x->u.renegotiation_info.p, x->u.renegotiation_info.len, 48);
            }
            break;
        default:
            break;
        }
        if (l) {
            for (uint32_t k = 0; k < l->n; k++) {
                const char *vn = namer((uint16_t)l->v[k].v);
                textbuf_printf(t, k ? "," : " ");
                if (vn)
                    textbuf_printf(t, "%s", vn);
                else
                    textbuf_printf(t, "0x%04x", l->v[k].v);
            }
        }
        textbuf_printf(t, "\n");
    }
}

static void hello_ids(textbuf *t, const tnt_bytes *random, const tnt_bytes *sid)
{
    textbuf_printf(t, DETAIL "  random=");
    hex(t, random->p, random->len, 32);
    textbuf_printf(t, "\n" DETAIL "  session_id=");
    hex(t, sid->p, sid->len, 32);
    textbuf_printf(t, "\n");
}

static void suite_str(textbuf *t, uint32_t s)
{
    const char *n = tnt_suite_name((uint16_t)s);
    if (n)
        textbuf_printf(t, "%s", n);
    else
        textbuf_printf(t, "0x%04x", s);
}

static void cert_line(textbuf *t, const char *label, const uint8_t *der, uint32_t len)
{
    char subj[512], iss[512];
    uint8_t fp[32];
    textbuf_printf(t, DETAIL "  %s", label);
    if (tnt_x509_dn(der, len, false, subj, sizeof subj))
        textbuf_printf(t, " subject=\"%s\"", subj);
    else
        textbuf_printf(t, " (unparsable certificate, %u bytes)", len);
    if (tnt_x509_dn(der, len, true, iss, sizeof iss))
        textbuf_printf(t, " issuer=\"%s\"", iss);
    if (tnt_x509_sha256(der, len, fp)) {
        textbuf_printf(t, " sha256=");
        hex(t, fp, 8, 8);
    }
    textbuf_printf(t, "\n");
}

static void print_tnt_negotiation(textbuf *t, const tnt_negotiation *n)
{
    const char *st = tnt_status_name(n->status.v);
    textbuf_printf(t, " round=%u status=%s policies=%u credentials=%u\n", n->round.v, st ? st : "?",
                   n->n_policies, n->n_credentials);
    for (uint32_t i = 0; i < n->n_policies; i++) {
        const tnt_policy *p = &n->policies[i];
        const char *k = tnt_target_kind_name(p->target_kind.v);
        const char *l = tnt_language_name(p->language.v);
        textbuf_printf(t, DETAIL "  policy %s \"", k ? k : "?");
        text(t, p->target_name.p, p->target_name.len);
        textbuf_printf(t, "\" %s: ", l ? l : "?");
        text_to_eol(t, p->expression.p, p->expression.len);
        textbuf_printf(t, "\n");
    }
    for (uint32_t i = 0; i < n->n_credentials; i++) {
        const tnt_credential *c = &n->credentials[i];
        textbuf_printf(t, DETAIL "  credential #%u \"", i);
        text(t, c->type.p, c->type.len);
        textbuf_printf(t, "\" chain of %u\n", c->n_certs);
        for (uint32_t k = 0; k < c->n_certs; k++)
            cert_line(t, k ? "  ca" : "  owner", c->certs[k].p, c->certs[k].len);
    }
}

void print_message(textbuf *t, const char *prefix, const tnt_message_event *ev,
                   const tnt_codepoints *cp, int verbose)
{
    char vb[16];
    if (ev->sslv2 && !ev->sslv2_hello) {
        static const char *names[] = {"Error",          "ClientHello",        "ClientMasterKey",
                                      "ClientFinished", "ServerHello",        "ServerVerify",
                                      "ServerFinished", "RequestCertificate", "ClientCertificate"};
        if (ev->sslv2_type < sizeof names / sizeof names[0])
            textbuf_printf(t, "%s   %s(SSLv2)\n", prefix, names[ev->sslv2_type]);
        else
            textbuf_printf(t, "%s   sslv2-type-%u\n", prefix, ev->sslv2_type);
        return;
    }
    if (ev->sslv2) {
        const tnt_sslv2_client_hello *h = ev->sslv2_hello;
        textbuf_printf(t, "%s   ClientHello(SSLv2) %s specs=%u challenge=%u bytes\n", prefix,
                       version_str(h->version.v, vb, sizeof vb), h->n_specs, h->challenge.len);
        return;
    }
    const tnt_hs_msg *m = ev->msg;
    const char *name = tnt_handshake_type_name(cp, m->type);
    if (name)
        textbuf_printf(t, "%s   %s", prefix, name);
    else
        textbuf_printf(t, "%s   handshake-type-%u", prefix, m->type);
    if (!m->decoded) {
        if (m->err.what) {
            /* Some decoders name their message in the error already. */
            const char *what = m->err.what;
            size_t nl = name ? strlen(name) : 0;
            if (nl && strncmp(what, name, nl) == 0 && what[nl] == ':')
                what += nl + (what[nl + 1] == ' ' ? 2 : 1);
            textbuf_printf(t, " len=%u malformed: %s at offset %u\n", m->length, what, m->err.off);
        } else
            textbuf_printf(t, " len=%u\n", m->length);
        return;
    }
    switch (m->type) {
    case TNT_HS_CLIENT_HELLO: {
        const tnt_client_hello *h = &m->u.client_hello;
        textbuf_printf(t, " %s suites=%u", version_str(h->version.v, vb, sizeof vb), h->n_suites);
        if (h->session_id.len)
            textbuf_printf(t, " sid=%ubytes", h->session_id.len);
        if (h->has_extensions)
            ext_list(t, &h->ext, cp, verbose);
        textbuf_printf(t, "\n");
        if (verbose) {
            hello_ids(t, &h->random, &h->session_id);
            textbuf_printf(t, DETAIL "  suites:");
            for (uint32_t i = 0; i < h->n_suites; i++) {
                textbuf_printf(t, " ");
                suite_str(t, h->suites[i].v);
            }
            textbuf_printf(t, "\n");
            if (h->has_extensions)
                ext_details(t, &h->ext, cp);
        }
        break;
    }
    case TNT_HS_SERVER_HELLO: {
        const tnt_server_hello *h = &m->u.server_hello;
        /* TLS 1.3 names itself in supported_versions; the version field
         * stays at TLS 1.2 for middleboxes. */
        uint32_t version = h->version.v;
        const tnt_extension *sv =
            h->has_extensions ? tnt_extensions_find(&h->ext, TNT_EXT_SUPPORTED_VERSIONS) : NULL;
        if (sv && sv->decoded && !sv->u.supported_versions.is_list)
            version = sv->u.supported_versions.selected.v;
        textbuf_printf(t, " %s ", version_str(version, vb, sizeof vb));
        suite_str(t, h->suite.v);
        if (h->is_hello_retry_request)
            textbuf_printf(t, " HelloRetryRequest");
        if (h->session_id.len)
            textbuf_printf(t, " sid=%ubytes", h->session_id.len);
        if (h->has_extensions)
            ext_list(t, &h->ext, cp, verbose);
        textbuf_printf(t, "\n");
        if (verbose) {
            hello_ids(t, &h->random, &h->session_id);
            if (h->has_extensions)
                ext_details(t, &h->ext, cp);
        }
        break;
    }
    case TNT_HS_CERTIFICATE: {
        const tnt_certificate *c = &m->u.certificate;
        textbuf_printf(t, " %u cert%s", c->n_certs, c->n_certs == 1 ? "" : "s");
        char subj[512];
        if (c->n_certs > 0 &&
            tnt_x509_dn(c->certs[0].der.p, c->certs[0].der.len, false, subj, sizeof subj))
            textbuf_printf(t, " subject=\"%s\"", subj);
        textbuf_printf(t, "\n");
        if (verbose)
            for (uint32_t i = 0; i < c->n_certs; i++)
                cert_line(t, "cert", c->certs[i].der.p, c->certs[i].der.len);
        break;
    }
    case TNT_HS_SERVER_KEY_EXCHANGE: {
        const tnt_server_key_exchange *s = &m->u.ske;
        switch (s->kind) {
        case TNT_SKE_ECDHE:
            textbuf_printf(t, " ECDHE ");
            name_or_num(t, tnt_group_name((uint16_t)s->named_curve.v), s->named_curve.v, 2);
            break;
        case TNT_SKE_DHE:
            textbuf_printf(t, " DHE p=%u bits", s->dh_p.len * 8);
            break;
        case TNT_SKE_RSA:
            textbuf_printf(t, " RSA modulus=%u bits", s->rsa_modulus.len * 8);
            break;
        case TNT_SKE_PSK_HINT:
            textbuf_printf(t, " PSK hint");
            break;
        default:
            textbuf_printf(t, " len=%u", m->length);
            break;
        }
        if (s->signed_params && s->sig.has_algorithm) {
            textbuf_printf(t, " sig=");
            name_or_num(t, tnt_sigscheme_name((uint16_t)s->sig.scheme.v), s->sig.scheme.v, 2);
        }
        textbuf_printf(t, "\n");
        break;
    }
    case TNT_HS_CERTIFICATE_REQUEST: {
        const tnt_certificate_request *r = &m->u.cert_request;
        textbuf_printf(t, " types=%u", r->n_cert_types);
        if (r->has_sig_algs)
            textbuf_printf(t, " sig_algs=%u", r->n_sig_algs);
        textbuf_printf(t, " cas=%u\n", r->n_cas);
        break;
    }
    case TNT_HS_CLIENT_KEY_EXCHANGE: {
        const tnt_client_key_exchange *k = &m->u.cke;
        static const char *kinds[] = {"", " RSA", " DH", " ECDH", " PSK"};
        textbuf_printf(t, "%s len=%u\n", k->kind <= TNT_CKE_PSK ? kinds[k->kind] : "", m->length);
        break;
    }
    case TNT_HS_CERTIFICATE_VERIFY: {
        const tnt_certificate_verify *v = &m->u.cert_verify;
        if (v->sig.has_algorithm) {
            textbuf_printf(t, " ");
            name_or_num(t, tnt_sigscheme_name((uint16_t)v->sig.scheme.v), v->sig.scheme.v, 2);
        }
        textbuf_printf(t, " signature=%u bytes\n", v->sig.signature.len);
        break;
    }
    case TNT_HS_FINISHED:
        textbuf_printf(t, " verify_data=");
        hex(t, m->u.finished.verify_data.p, m->u.finished.verify_data.len, 36);
        textbuf_printf(t, "\n");
        break;
    case TNT_HS_NEW_SESSION_TICKET:
        textbuf_printf(t, " lifetime=%u ticket=%u bytes\n", m->u.ticket.lifetime_hint.v,
                       m->u.ticket.ticket.len);
        break;
    case TNT_HS_CERTIFICATE_STATUS:
        textbuf_printf(t, " type=%u response=%u bytes\n", m->u.cert_status.status_type.v,
                       m->u.cert_status.response.len);
        break;
    default:
        if (m->type == tnt_codepoints_or_default(cp)->hs_negotiation) {
            print_tnt_negotiation(t, &m->u.tnt_negotiation);
        } else if (m->type == tnt_codepoints_or_default(cp)->hs_proof) {
            const tnt_proof *p = &m->u.tnt_proof;
            textbuf_printf(t, " proofs=%u\n", p->n_proofs);
            for (uint32_t i = 0; i < p->n_proofs; i++) {
                const tnt_ownership_proof *o = &p->proofs[i];
                textbuf_printf(t, DETAIL "  proof for credential #%u", o->credential_index.v);
                if (o->has_algorithm) {
                    textbuf_printf(t, " ");
                    name_or_num(t, tnt_sigscheme_name((uint16_t)o->algorithm.v), o->algorithm.v, 2);
                }
                textbuf_printf(t, " signature=%u bytes\n", o->signature.len);
            }
        } else {
            textbuf_printf(t, " len=%u\n", m->length);
        }
        break;
    }
}
