#include "json_out.h"
#include "tnt/names.h"
#include "tnt/tnt_messages.h"
#include "tnt/verdict.h"

#include <glib.h>
#include <string.h>

/* Wire text is not trusted to be UTF-8: invalid bytes become U+FFFD, so
 * that every line is valid JSON. */
/* g_string_append_len for the short appends a connection object is made
 * of: a copy when it fits, GLib's general insert otherwise. */
static inline void app(GString *o, const char *p, size_t n)
{
    if (o->len + n < o->allocated_len) {
        memcpy(o->str + o->len, p, n);
        o->len += n;
        o->str[o->len] = '\0';
    } else {
        g_string_append_len(o, p, (gssize)n);
    }
}

static inline void apps(GString *o, const char *s)
{
    app(o, s, strlen(s));
}

/* A decimal number without printf (many per connection). */
static void num(GString *o, unsigned long long v)
{
    char b[24];
    int i = sizeof b;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    app(o, b + i, sizeof b - (size_t)i);
}

void json_string(GString *o, const char *s, size_t n)
{
    g_string_append_c(o, '"');
    const char *end = s + n;
    while (s < end) {
        /* Plain ASCII, the usual case, is copied in runs. */
        const char *run = s;
        while (s < end && (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f && *s != '"' &&
               *s != '\\')
            s++;
        if (s > run)
            app(o, run, (size_t)(s - run));
        if (s == end)
            break;
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x80) {
            if (ch == '"')
                app(o, "\\\"", 2);
            else if (ch == '\\')
                app(o, "\\\\", 2);
            else if (ch < 0x20 || ch == 0x7f)
                g_string_append_printf(o, "\\u%04x", ch);
            else
                g_string_append_c(o, (char)ch);
            s++;
            continue;
        }
        gunichar u = g_utf8_get_char_validated(s, end - s);
        if (u != (gunichar)-1 && u != (gunichar)-2) {
            int len = g_unichar_to_utf8(u, NULL);
            g_string_append_len(o, s, len);
            s += len;
            continue;
        }
        apps(o, "\xef\xbf\xbd");
        s++;
    }
    g_string_append_c(o, '"');
}

static void str(GString *o, const char *s, size_t n)
{
    json_string(o, s, n);
}

static void cstr(GString *o, const char *s)
{
    if (!s)
        apps(o, "null");
    else
        str(o, s, strlen(s));
}

static void key(GString *o, const char *k)
{
    if (o->len && o->str[o->len - 1] != '{' && o->str[o->len - 1] != '[')
        g_string_append_c(o, ',');
    /* Keys are plain literals: appended, not formatted (this runs for every
     * field of every connection). */
    g_string_append_c(o, '"');
    app(o, k, strlen(k));
    app(o, "\":", 2);
}

static void item(GString *o)
{
    if (o->len && o->str[o->len - 1] != '[')
        g_string_append_c(o, ',');
}

/* seconds.microseconds, as "%lld.%06u" writes it, without printf (several
 * per connection). */
static void ts(GString *o, tnt_cap_ts t)
{
    if (t.sec < 0 || t.usec > 999999) {
        g_string_append_printf(o, "%lld.%06u", (long long)t.sec, t.usec);
        return;
    }
    num(o, (unsigned long long)t.sec);
    char b[7] = {'.'};
    uint32_t u = t.usec;
    for (int i = 6; i >= 1; i--, u /= 10)
        b[i] = (char)('0' + u % 10);
    g_string_append_len(o, b, sizeof b);
}

static void hex(GString *o, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    g_string_append_c(o, '"');
    for (size_t i = 0; i < n; i++) {
        g_string_append_c(o, digits[p[i] >> 4]);
        g_string_append_c(o, digits[p[i] & 15]);
    }
    g_string_append_c(o, '"');
}

static const char *dir_name(int d)
{
    return d == TNT_C2S ? "client" : "server";
}

static const char *finished(const tnt_nego_hs *h)
{
    return tnt_finished_status_name(tnt_nego_finished_status(h));
}

/* The policy's verdict, one enum for what the text says in words. */
static const char *verdict(const tnt_nego_policy *p)
{
    return tnt_policy_status_id(tnt_nego_policy_status(p));
}

static void tri(GString *o, tnt_tri v)
{
    apps(o, v == TNT_TRI_YES ? "true" : v == TNT_TRI_NO ? "false" : "null");
}

static void alert(GString *o, const tnt_nego_hs *h)
{
    if (!h || !h->ended_by_alert) {
        apps(o, "null");
        return;
    }
    char buf[32];
    const char *name = tnt_alert_description_name(h->alert_desc);
    if (!name) {
        snprintf(buf, sizeof buf, "alert-%u", h->alert_desc);
        name = buf;
    }
    g_string_append_c(o, '{');
    key(o, "sender");
    cstr(o, dir_name(h->alert_sender));
    key(o, "description");
    cstr(o, name);
    g_string_append_c(o, '}');
}

static const char *msg_name(const tnt_codepoints *cp, uint8_t type, char *buf, size_t cap)
{
    const char *n = tnt_handshake_type_name(cp, type);
    if (n)
        return n;
    snprintf(buf, cap, "handshake-type-%u", type);
    return buf;
}

/* The negotiation notes of one kind, as an array of strings. */
static void note_array(GString *o, const char *name, const tnt_nego *n, tnt_note_kind kind)
{
    key(o, name);
    g_string_append_c(o, '[');
    uint32_t nn = 0;
    const tnt_nego_note *notes = n ? tnt_nego_notes(n, &nn) : NULL;
    for (uint32_t i = 0; i < nn; i++) {
        if (notes[i].kind != kind)
            continue;
        item(o);
        cstr(o, notes[i].text);
    }
    apps(o, "]");
}

static void negotiation(GString *o, const tnt_nego_hs *h, const tnt_hs_info *st)
{
    g_string_append_c(o, '{');
    key(o, "target");
    cstr(o, h->target);
    key(o, "confidential");
    apps(o, h->encrypted || (st && st->protected_) ? "true" : "false");
    key(o, "rounds");
    g_string_append_c(o, '[');
    for (uint32_t r = 0; r < h->n_rounds; r++) {
        const tnt_nego_round *rd = &h->rounds[r];
        item(o);
        g_string_append_c(o, '{');
        key(o, "round");
        num(o, rd->round);
        key(o, "sender");
        cstr(o, dir_name(rd->sender));
        key(o, "status");
        cstr(o, tnt_status_name(rd->status) ? tnt_status_name(rd->status) : "unknown");
        key(o, "frame");
        num(o, rd->frame);
        key(o, "policies");
        g_string_append_c(o, '[');
        for (uint32_t k = 0; k < rd->n_policies; k++) {
            const tnt_nego_policy *p = &h->policies[rd->first_policy + k];
            item(o);
            g_string_append_c(o, '{');
            key(o, "target_kind");
            cstr(o, tnt_target_kind_name(p->target_kind));
            key(o, "target");
            str(o, p->target, p->target_len);
            key(o, "language");
            cstr(o, tnt_language_name(p->language));
            key(o, "expression");
            str(o, p->expression, p->expression_len);
            key(o, "satisfied_in_round");
            if (p->satisfied_in_round)
                num(o, p->satisfied_in_round);
            else
                apps(o, "null");
            key(o, "malformed");
            apps(o, p->malformed ? "true" : "false");
            key(o, "failing");
            cstr(o, tnt_nego_policy_failing(p));
            key(o, "verdict");
            cstr(o, verdict(p));
            key(o, "issuer_verified");
            tri(o, p->issuer_verified);
            g_string_append_c(o, '}');
        }
        apps(o, "]");
        key(o, "credentials");
        g_string_append_c(o, '[');
        for (uint32_t k = 0; k < rd->n_creds; k++) {
            const tnt_nego_cred *c = &h->creds[rd->first_cred + k];
            item(o);
            g_string_append_c(o, '{');
            key(o, "type");
            str(o, c->type, c->type_len);
            key(o, "subject");
            cstr(o, c->subject);
            key(o, "issuer");
            cstr(o, c->issuer);
            key(o, "sha256");
            if (c->have_sha256)
                hex(o, c->sha256, 32);
            else
                apps(o, "null");
            key(o, "proof");
            cstr(o, tnt_proof_result_name(c->proof));
            key(o, "proof_reason");
            cstr(o, c->proof == TNT_PROOF_VALID ? NULL : c->proof_reason);
            key(o, "chain");
            cstr(o, tnt_chain_status_name(c->chain));
            key(o, "chain_reason");
            cstr(o, c->chain_reason);
            g_string_append_c(o, '}');
        }
        apps(o, "]}");
    }
    apps(o, "]");
    key(o, "outcome");
    cstr(o, tnt_nego_outcome_text(h));
    key(o, "trust_established");
    apps(o, h->trust_established ? "true" : "false");
    key(o, "insecure");
    apps(o, h->insecure ? "true" : "false");
    key(o, "reason");
    cstr(o, h->reason);
    g_string_append_c(o, '}');
}

/* The fields that open the objects about a connection. */
static GString *object_head(const char *type, const json_conn *c)
{
    /* A TNT connection's object is a few KB: sized once, not regrown. */
    GString *o = g_string_sized_new(8192);
    g_string_append_c(o, '{');
    key(o, "type");
    cstr(o, type);
    key(o, "file");
    cstr(o, c->file);
    key(o, "conn");
    num(o, c->id);
    key(o, "client");
    cstr(o, c->client);
    key(o, "server");
    cstr(o, c->server);
    return o;
}

/* A `tnt: resume` answer: the handshake that established the session. */
static void established_by(GString *o, const tnt_nego_hs *h)
{
    if (!h || !h->resume_answered)
        return;
    key(o, "established_by");
    if (!h->link_known) {
        apps(o, "null");
        return;
    }
    g_string_append_c(o, '{');
    key(o, "conn");
    num(o, h->link.conn_id);
    key(o, "handshake");
    num(o, h->link.handshake);
    key(o, "target");
    cstr(o, h->link.target);
    key(o, "insecure");
    apps(o, h->link.insecure ? "true" : "false");
    key(o, "trust");
    apps(o, h->link.trust ? "true" : "false");
    g_string_append_c(o, '}');
}

void json_connection(FILE *f, const json_conn *c, json_totals *tot)
{
    const tnt_conn *tls = c->tls;
    const tnt_nego *n = tnt_conn_negotiation(tls);
    GString *o = object_head("connection", c);
    key(o, "start");
    ts(o, c->start);
    key(o, "end");
    ts(o, c->end);
    key(o, "version");
    cstr(o, tnt_conn_sslv2(tls) ? "SSL 2.0" : tnt_version_name(tnt_conn_version(tls)));
    key(o, "handshakes");
    g_string_append_c(o, '[');
    tot->connections++;
    tnt_hs_info info;
    for (uint32_t i = 0; tnt_conn_handshake_info(tls, i, &info); i++) {
        const tnt_hs_info *st = &info;
        const tnt_nego_hs *h = n ? tnt_nego_handshake_by_index(n, st->index) : NULL;
        tot->handshakes++;
        item(o);
        g_string_append_c(o, '{');
        key(o, "index");
        num(o, st->index);
        key(o, "kind");
        cstr(o, st->resumed ? "resumption" : st->index == 1 ? "initial" : "renegotiation");
        key(o, "initiator");
        cstr(o, dir_name(st->index - 1 < c->n_initiator ? c->initiator[st->index - 1] : 0));
        key(o, "encrypted");
        apps(o, st->protected_ ? "true" : "false");
        key(o, "decrypted");
        apps(o, st->protected_ && h && h->visible ? "true" : "false");
        key(o, "version");
        cstr(o, st->version ? tnt_version_name(st->version) : NULL);
        key(o, "cipher_suite");
        cstr(o, st->suite || st->have_server_random ? tnt_suite_name(st->suite) : NULL);
        key(o, "session_id");
        if (st->session_id_len)
            hex(o, st->session_id, st->session_id_len);
        else
            apps(o, "null");
        key(o, "resumed");
        apps(o, st->resumed ? "true" : "false");
        key(o, "tnt");
        if (h && (h->client_tnt || h->server_tnt)) {
            g_string_append_c(o, '{');
            key(o, "client_mode");
            cstr(o, h->client_tnt ? tnt_mode_name(h->client_mode) : NULL);
            key(o, "server_mode");
            cstr(o, h->server_tnt ? tnt_mode_name(h->server_mode) : NULL);
            key(o, "strategy");
            cstr(o, h->strategy ? tnt_strategy_name(h->strategy) : NULL);
            key(o, "language");
            cstr(o, h->language ? tnt_language_name(h->language) : NULL);
            g_string_append_c(o, '}');
        } else {
            apps(o, "null");
        }
        key(o, "renegotiation_info");
        cstr(o, h ? tnt_ri_status_name(h->ri) : "unchecked");
        key(o, "finished");
        cstr(o, finished(h));
        key(o, "aborted");
        apps(o, h && h->ended_by_alert ? "true" : "false");
        key(o, "ended_by_alert");
        alert(o, h);
        key(o, "messages");
        g_string_append_c(o, '[');
        for (uint32_t m = 0; m < c->n_msgs; m++) {
            if (c->msgs[m].handshake != st->index)
                continue;
            char nb[32];
            item(o);
            g_string_append_c(o, '{');
            key(o, "dir");
            cstr(o, c->msgs[m].dir == TNT_C2S ? "C>S" : "S>C");
            key(o, "type");
            cstr(o, msg_name(tnt_conn_codepoints(tls), c->msgs[m].type, nb, sizeof nb));
            key(o, "frame");
            num(o, c->msgs[m].frame);
            key(o, "ts");
            ts(o, c->msgs[m].ts);
            g_string_append_c(o, '}');
        }
        apps(o, "]");
        key(o, "negotiation");
        if (h && h->has_negotiation) {
            negotiation(o, h, st);
            tot->negotiations++;
            tot->success += h->outcome == TNT_OUTCOME_SUCCESS;
            tot->failure += h->outcome == TNT_OUTCOME_FAILURE;
            tot->incomplete += h->outcome == TNT_OUTCOME_INCOMPLETE;
            tot->trust += h->trust_established;
        } else {
            apps(o, "null");
        }
        established_by(o, h);
        g_string_append_c(o, '}');
    }
    apps(o, "]");
    key(o, "violations");
    g_string_append_c(o, '[');
    uint32_t nv = 0;
    const tnt_violation *v = n ? tnt_nego_violations(n, &nv) : NULL;
    for (uint32_t i = 0; i < nv; i++) {
        tot->violations[v[i].code]++;
        item(o);
        g_string_append_c(o, '{');
        key(o, "code");
        cstr(o, tnt_viol_code_name(v[i].code));
        key(o, "severity");
        cstr(o, tnt_severity_name(v[i].severity));
        key(o, "handshake");
        num(o, v[i].handshake);
        key(o, "round");
        if (v[i].round)
            num(o, v[i].round);
        else
            apps(o, "null");
        key(o, "frame");
        num(o, v[i].frame);
        key(o, "message");
        cstr(o, v[i].message);
        g_string_append_c(o, '}');
    }
    apps(o, "]");
    note_array(o, "not_checked", n, TNT_NOTE_NOT_CHECKED);
    note_array(o, "notes", n, TNT_NOTE_INFO);
    key(o, "gaps");
    g_string_append_c(o, '[');
    for (uint32_t i = 0; i < c->n_gaps; i++) {
        item(o);
        g_string_append_printf(o, "{\"dir\":\"%s\",\"bytes\":%llu,\"frame\":%llu}",
                               c->gaps[i].dir == TNT_C2S ? "C>S" : "S>C",
                               (unsigned long long)c->gaps[i].bytes,
                               (unsigned long long)c->gaps[i].frame);
    }
    apps(o, "]}\n");
    fwrite(o->str, 1, o->len, f);
    g_string_free(o, TRUE);
}

void json_summary(FILE *f, const char *const *files, int n_files, const json_totals *tot,
                  const chatter *diag)
{
    GString *o = g_string_new("{");
    key(o, "type");
    cstr(o, "summary");
    key(o, "files");
    g_string_append_c(o, '[');
    for (int i = 0; i < n_files; i++) {
        item(o);
        cstr(o, files[i]);
    }
    apps(o, "]");
    key(o, "connections");
    num(o, tot->connections);
    key(o, "handshakes");
    num(o, tot->handshakes);
    key(o, "negotiations");
    num(o, tot->negotiations);
    key(o, "outcomes");
    g_string_append_printf(o, "{\"success\":%llu,\"failure\":%llu,\"incomplete\":%llu}",
                           (unsigned long long)tot->success, (unsigned long long)tot->failure,
                           (unsigned long long)tot->incomplete);
    key(o, "trust_established");
    num(o, tot->trust);
    key(o, "violations");
    g_string_append_c(o, '{');
    for (int i = 0; i < TNT_V_COUNT; i++) {
        if (!tot->violations[i])
            continue;
        key(o, tnt_viol_code_name((tnt_viol_code)i));
        num(o, tot->violations[i]);
    }
    g_string_append_c(o, '}');
    if (diag && !chatter_empty(diag)) {
        key(o, "diagnostics");
        chatter_json(diag, o);
    }
    apps(o, "}\n");
    fwrite(o->str, 1, o->len, f);
    g_string_free(o, TRUE);
}

void json_verdict(FILE *f, const json_conn *c, const tnt_nego_hs *h, uint64_t frame, tnt_cap_ts at,
                  const char *decided_by)
{
    tnt_hs_info info, *st = NULL;
    for (uint32_t i = 0; !st && tnt_conn_handshake_info(c->tls, i, &info); i++)
        if (info.index == h->index)
            st = &info;
    GString *o = object_head("verdict", c);
    key(o, "handshake");
    g_string_append_printf(o, "%u", h->index);
    key(o, "frame");
    g_string_append_printf(o, "%llu", (unsigned long long)frame);
    key(o, "ts");
    ts(o, at);
    key(o, "decided_by");
    cstr(o, decided_by);
    /* The same fields, with the same values, as the handshake's object in
     * the connection object that follows when the connection ends. */
    key(o, "renegotiation_info");
    cstr(o, tnt_ri_status_name(h->ri));
    key(o, "finished");
    cstr(o, finished(h));
    key(o, "aborted");
    apps(o, h->ended_by_alert ? "true" : "false");
    key(o, "ended_by_alert");
    alert(o, h);
    key(o, "negotiation");
    if (h->has_negotiation)
        negotiation(o, h, st);
    else
        apps(o, "null");
    established_by(o, h);
    apps(o, "}\n");
    fwrite(o->str, 1, o->len, f);
    g_string_free(o, TRUE);
}
