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

/* Bytes that stand for themselves inside a JSON string: printable ASCII
 * but the quote and the backslash. */
static const uint8_t json_plain[256] = {
    [0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1};

void json_string(GString *o, const char *s, size_t n)
{
    g_string_append_c(o, '"');
    const char *end = s + n;
    while (s < end) {
        /* Plain ASCII, the usual case, is copied in runs. */
        const char *run = s;
        while (s < end && json_plain[(unsigned char)*s])
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
            else
                g_string_append_printf(o, "\\u%04x", ch);
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

/* A separating comma unless the key opens its object. */
static inline void comma(GString *o)
{
    if (o->len && o->str[o->len - 1] != '{' && o->str[o->len - 1] != '[')
        g_string_append_c(o, ',');
}

static void key(GString *o, const char *k)
{
    comma(o);
    g_string_append_c(o, '"');
    apps(o, k);
    app(o, "\":", 2);
}

/* A literal key, quoted and with its colon at compile time: one copy (this
 * runs for every field of every connection). */
#define KEY(o, k)                                                                                  \
    do {                                                                                           \
        comma(o);                                                                                  \
        app((o), "\"" k "\":", sizeof("\"" k "\":") - 1);                                          \
    } while (0)

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
    app(o, b, sizeof b);
}

static void hex(GString *o, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char b[2 * 64 + 2];
    size_t k = 0;
    b[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (k + 3 > sizeof b) {
            app(o, b, k);
            k = 0;
        }
        b[k++] = digits[p[i] >> 4];
        b[k++] = digits[p[i] & 15];
    }
    b[k++] = '"';
    app(o, b, k);
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
    KEY(o, "sender");
    cstr(o, dir_name(h->alert_sender));
    KEY(o, "description");
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
    KEY(o, "target");
    cstr(o, h->target);
    KEY(o, "confidential");
    apps(o, h->encrypted || (st && st->protected_) ? "true" : "false");
    KEY(o, "rounds");
    g_string_append_c(o, '[');
    for (uint32_t r = 0; r < h->n_rounds; r++) {
        const tnt_nego_round *rd = &h->rounds[r];
        item(o);
        g_string_append_c(o, '{');
        KEY(o, "round");
        num(o, rd->round);
        KEY(o, "sender");
        cstr(o, dir_name(rd->sender));
        KEY(o, "status");
        cstr(o, tnt_status_name(rd->status) ? tnt_status_name(rd->status) : "unknown");
        KEY(o, "frame");
        num(o, rd->frame);
        KEY(o, "policies");
        g_string_append_c(o, '[');
        for (uint32_t k = 0; k < rd->n_policies; k++) {
            const tnt_nego_policy *p = &h->policies[rd->first_policy + k];
            item(o);
            g_string_append_c(o, '{');
            KEY(o, "target_kind");
            cstr(o, tnt_target_kind_name(p->target_kind));
            KEY(o, "target");
            str(o, p->target, p->target_len);
            KEY(o, "language");
            cstr(o, tnt_language_name(p->language));
            KEY(o, "expression");
            str(o, p->expression, p->expression_len);
            KEY(o, "satisfied_in_round");
            if (p->satisfied_in_round)
                num(o, p->satisfied_in_round);
            else
                apps(o, "null");
            KEY(o, "malformed");
            apps(o, p->malformed ? "true" : "false");
            KEY(o, "failing");
            cstr(o, tnt_nego_policy_failing(p));
            KEY(o, "verdict");
            cstr(o, verdict(p));
            KEY(o, "issuer_verified");
            tri(o, p->issuer_verified);
            g_string_append_c(o, '}');
        }
        apps(o, "]");
        KEY(o, "credentials");
        g_string_append_c(o, '[');
        for (uint32_t k = 0; k < rd->n_creds; k++) {
            const tnt_nego_cred *c = &h->creds[rd->first_cred + k];
            item(o);
            g_string_append_c(o, '{');
            KEY(o, "type");
            str(o, c->type, c->type_len);
            KEY(o, "subject");
            cstr(o, c->subject);
            KEY(o, "issuer");
            cstr(o, c->issuer);
            KEY(o, "sha256");
            if (c->have_sha256)
                hex(o, c->sha256, 32);
            else
                apps(o, "null");
            KEY(o, "proof");
            cstr(o, tnt_proof_result_name(c->proof));
            KEY(o, "proof_reason");
            cstr(o, c->proof == TNT_PROOF_VALID ? NULL : c->proof_reason);
            KEY(o, "chain");
            cstr(o, tnt_chain_status_name(c->chain));
            KEY(o, "chain_reason");
            cstr(o, c->chain_reason);
            g_string_append_c(o, '}');
        }
        apps(o, "]}");
    }
    apps(o, "]");
    KEY(o, "outcome");
    cstr(o, tnt_nego_outcome_text(h));
    KEY(o, "trust_established");
    apps(o, h->trust_established ? "true" : "false");
    KEY(o, "insecure");
    apps(o, h->insecure ? "true" : "false");
    KEY(o, "reason");
    cstr(o, h->reason);
    g_string_append_c(o, '}');
}

/* The fields that open the objects about a connection. */
static GString *object_head(const char *type, const json_conn *c)
{
    /* A TNT connection's object is a few KB: sized once, not regrown. */
    GString *o = g_string_sized_new(8192);
    g_string_append_c(o, '{');
    KEY(o, "type");
    cstr(o, type);
    KEY(o, "file");
    cstr(o, c->file);
    KEY(o, "conn");
    num(o, c->id);
    KEY(o, "client");
    cstr(o, c->client);
    KEY(o, "server");
    cstr(o, c->server);
    return o;
}

/* A `tnt: resume` answer: the handshake that established the session. */
static void established_by(GString *o, const tnt_nego_hs *h)
{
    if (!h || !h->resume_answered)
        return;
    KEY(o, "established_by");
    if (!h->link_known) {
        apps(o, "null");
        return;
    }
    g_string_append_c(o, '{');
    KEY(o, "conn");
    num(o, h->link.conn_id);
    KEY(o, "handshake");
    num(o, h->link.handshake);
    KEY(o, "target");
    cstr(o, h->link.target);
    KEY(o, "insecure");
    apps(o, h->link.insecure ? "true" : "false");
    KEY(o, "trust");
    apps(o, h->link.trust ? "true" : "false");
    g_string_append_c(o, '}');
}

void json_connection(FILE *f, const json_conn *c, json_totals *tot)
{
    const tnt_conn *tls = c->tls;
    const tnt_nego *n = tnt_conn_negotiation(tls);
    GString *o = object_head("connection", c);
    KEY(o, "start");
    ts(o, c->start);
    KEY(o, "end");
    ts(o, c->end);
    KEY(o, "version");
    cstr(o, tnt_conn_sslv2(tls) ? "SSL 2.0" : tnt_version_name(tnt_conn_version(tls)));
    KEY(o, "handshakes");
    g_string_append_c(o, '[');
    tot->connections++;
    tnt_hs_info info;
    for (uint32_t i = 0; tnt_conn_handshake_info(tls, i, &info); i++) {
        const tnt_hs_info *st = &info;
        const tnt_nego_hs *h = n ? tnt_nego_handshake_by_index(n, st->index) : NULL;
        tot->handshakes++;
        item(o);
        g_string_append_c(o, '{');
        KEY(o, "index");
        num(o, st->index);
        KEY(o, "kind");
        cstr(o, st->resumed ? "resumption" : st->index == 1 ? "initial" : "renegotiation");
        KEY(o, "initiator");
        cstr(o, dir_name(st->index - 1 < c->n_initiator ? c->initiator[st->index - 1] : 0));
        KEY(o, "encrypted");
        apps(o, st->protected_ ? "true" : "false");
        KEY(o, "decrypted");
        apps(o, st->protected_ && h && h->visible ? "true" : "false");
        KEY(o, "version");
        cstr(o, st->version ? tnt_version_name(st->version) : NULL);
        KEY(o, "cipher_suite");
        cstr(o, st->suite || st->have_server_random ? tnt_suite_name(st->suite) : NULL);
        KEY(o, "session_id");
        if (st->session_id_len)
            hex(o, st->session_id, st->session_id_len);
        else
            apps(o, "null");
        KEY(o, "resumed");
        apps(o, st->resumed ? "true" : "false");
        KEY(o, "tnt");
        if (h && (h->client_tnt || h->server_tnt)) {
            g_string_append_c(o, '{');
            KEY(o, "client_mode");
            cstr(o, h->client_tnt ? tnt_mode_name(h->client_mode) : NULL);
            KEY(o, "server_mode");
            cstr(o, h->server_tnt ? tnt_mode_name(h->server_mode) : NULL);
            KEY(o, "strategy");
            cstr(o, h->strategy ? tnt_strategy_name(h->strategy) : NULL);
            KEY(o, "language");
            cstr(o, h->language ? tnt_language_name(h->language) : NULL);
            g_string_append_c(o, '}');
        } else {
            apps(o, "null");
        }
        KEY(o, "renegotiation_info");
        cstr(o, h ? tnt_ri_status_name(h->ri) : "unchecked");
        KEY(o, "finished");
        cstr(o, finished(h));
        KEY(o, "aborted");
        apps(o, h && h->ended_by_alert ? "true" : "false");
        KEY(o, "ended_by_alert");
        alert(o, h);
        KEY(o, "messages");
        g_string_append_c(o, '[');
        for (uint32_t m = 0; m < c->n_msgs; m++) {
            if (c->msgs[m].handshake != st->index)
                continue;
            char nb[32];
            item(o);
            g_string_append_c(o, '{');
            KEY(o, "dir");
            cstr(o, c->msgs[m].dir == TNT_C2S ? "C>S" : "S>C");
            KEY(o, "type");
            cstr(o, msg_name(tnt_conn_codepoints(tls), c->msgs[m].type, nb, sizeof nb));
            KEY(o, "frame");
            num(o, c->msgs[m].frame);
            KEY(o, "ts");
            ts(o, c->msgs[m].ts);
            g_string_append_c(o, '}');
        }
        apps(o, "]");
        KEY(o, "negotiation");
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
    KEY(o, "violations");
    g_string_append_c(o, '[');
    uint32_t nv = 0;
    const tnt_violation *v = n ? tnt_nego_violations(n, &nv) : NULL;
    for (uint32_t i = 0; i < nv; i++) {
        tot->violations[v[i].code]++;
        item(o);
        g_string_append_c(o, '{');
        KEY(o, "code");
        cstr(o, tnt_viol_code_name(v[i].code));
        KEY(o, "severity");
        cstr(o, tnt_severity_name(v[i].severity));
        KEY(o, "handshake");
        num(o, v[i].handshake);
        KEY(o, "round");
        if (v[i].round)
            num(o, v[i].round);
        else
            apps(o, "null");
        KEY(o, "frame");
        num(o, v[i].frame);
        KEY(o, "message");
        cstr(o, v[i].message);
        g_string_append_c(o, '}');
    }
    apps(o, "]");
    note_array(o, "not_checked", n, TNT_NOTE_NOT_CHECKED);
    note_array(o, "notes", n, TNT_NOTE_INFO);
    KEY(o, "gaps");
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
    KEY(o, "type");
    cstr(o, "summary");
    KEY(o, "files");
    g_string_append_c(o, '[');
    for (int i = 0; i < n_files; i++) {
        item(o);
        cstr(o, files[i]);
    }
    apps(o, "]");
    KEY(o, "connections");
    num(o, tot->connections);
    KEY(o, "handshakes");
    num(o, tot->handshakes);
    KEY(o, "negotiations");
    num(o, tot->negotiations);
    KEY(o, "outcomes");
    g_string_append_printf(o, "{\"success\":%llu,\"failure\":%llu,\"incomplete\":%llu}",
                           (unsigned long long)tot->success, (unsigned long long)tot->failure,
                           (unsigned long long)tot->incomplete);
    KEY(o, "trust_established");
    num(o, tot->trust);
    KEY(o, "violations");
    g_string_append_c(o, '{');
    for (int i = 0; i < TNT_V_COUNT; i++) {
        if (!tot->violations[i])
            continue;
        key(o, tnt_viol_code_name((tnt_viol_code)i));
        num(o, tot->violations[i]);
    }
    g_string_append_c(o, '}');
    if (diag && !chatter_empty(diag)) {
        KEY(o, "diagnostics");
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
    KEY(o, "handshake");
    g_string_append_printf(o, "%u", h->index);
    KEY(o, "frame");
    g_string_append_printf(o, "%llu", (unsigned long long)frame);
    KEY(o, "ts");
    ts(o, at);
    KEY(o, "decided_by");
    cstr(o, decided_by);
    /* The same fields, with the same values, as the handshake's object in
     * the connection object that follows when the connection ends. */
    KEY(o, "renegotiation_info");
    cstr(o, tnt_ri_status_name(h->ri));
    KEY(o, "finished");
    cstr(o, finished(h));
    KEY(o, "aborted");
    apps(o, h->ended_by_alert ? "true" : "false");
    KEY(o, "ended_by_alert");
    alert(o, h);
    KEY(o, "negotiation");
    if (h->has_negotiation)
        negotiation(o, h, st);
    else
        apps(o, "null");
    established_by(o, h);
    apps(o, "}\n");
    fwrite(o->str, 1, o->len, f);
    g_string_free(o, TRUE);
}
