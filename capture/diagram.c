#include "diagram.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Geometry, in SVG user units. The font is monospace so that a line's width
 * is its character count times CHAR_W (0.6 em), which the tests assume too. */
#define WIDTH 960
#define MARGIN 20
#define CLIENT_X 170
#define SERVER_X 790
#define FONT 12
#define CHAR_W (FONT * 0.6)
#define ROW 20   /* a line of annotation */
#define ARROW 30 /* a message: label, then its arrow */
#define TOP 70   /* titles and lifeline heads */

typedef enum { MODE_SVG, MODE_MERMAID, MODE_DIR } mode;

struct diagram {
    char *path;
    mode mode;
    GString *body; /* single-file forms: the charts so far */
    double y;      /* single SVG: where the next chart starts */
    int charts;
    bool failed;
};

diagram *diagram_new(const char *path)
{
    diagram *d = g_new0(diagram, 1);
    d->path = g_strdup(path);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        d->mode = MODE_DIR;
    else if (g_str_has_suffix(path, ".mmd") || g_str_has_suffix(path, ".mermaid"))
        d->mode = MODE_MERMAID;
    else
        d->mode = MODE_SVG;
    d->body = g_string_new(NULL);
    return d;
}

static void esc(GString *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            g_string_append(o, "&amp;");
            break;
        case '<':
            g_string_append(o, "&lt;");
            break;
        case '>':
            g_string_append(o, "&gt;");
            break;
        case '"':
            g_string_append(o, "&quot;");
            break;
        default:
            g_string_append_c(o, *s);
        }
    }
}

/* At most max characters (not bytes), with "..." when cut. */
static char *fit(const char *s, long max)
{
    glong n = g_utf8_strlen(s, -1);
    if (n <= max)
        return g_strdup(s);
    const char *end = g_utf8_offset_to_pointer(s, max - 3);
    return g_strdup_printf("%.*s...", (int)(end - s), s);
}

typedef struct chart {
    GString *o;
    double y;
} chart;

static void text(chart *c, double x, double y, const char *anchor, const char *cls, const char *s,
                 long max_chars)
{
    char *t = fit(s, max_chars);
    g_string_append_printf(c->o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x,
                           y, anchor, cls);
    esc(c->o, t);
    g_string_append(c->o, "</text>\n");
    g_free(t);
}

/* Annotation lines span the chart between the margins. */
#define NOTE_CHARS ((long)((WIDTH - 2 * MARGIN - 20) / CHAR_W))
/* Message labels sit between the lifelines. */
#define LABEL_CHARS ((long)((SERVER_X - CLIENT_X - 20) / CHAR_W))

/* One line of s from *s on, at most max characters: cut at the last blank
 * that fits (the blank dropped) or, in a word longer than the line, at max.
 * Advances *s past what it took. */
static char *take_line(const char **s, long max)
{
    const char *p = *s;
    if (g_utf8_strlen(p, -1) <= max) {
        *s = p + strlen(p);
        return g_strdup(p);
    }
    const char *end = g_utf8_offset_to_pointer(p, max);
    const char *cut = NULL;
    /* A blank in the first third would leave a short line: cut the word. */
    const char *min = g_utf8_offset_to_pointer(p, max / 3);
    for (const char *q = end; q > min; q = g_utf8_prev_char(q))
        if (*q == ' ') {
            cut = q;
            break;
        }
    char *line = g_strchomp(g_strndup(p, (gsize)((cut ? cut : end) - p)));
    for (p = cut ? cut : end; *p == ' ';)
        p++;
    *s = p;
    return line;
}

/* A line of annotation on a light band, so that the lifelines it crosses
 * do not run through its letters. Leading spaces indent (SVG collapses
 * them). Long lines wrap onto further lines, indented one step more; those
 * carry the class "cont" too, so that a reader (or the tests) can tell a
 * new line of the chart from the rest of one. */
static void note(chart *c, const char *cls, const char *s)
{
    int indent = 0;
    while (s[0] == ' ' && s[1] == ' ') {
        indent++;
        s += 2;
    }
    char *cont = g_strdup_printf("%s cont", cls);
    for (bool first = true; first || *s; first = false) {
        int level = indent + (first ? 0 : 1);
        c->y += first ? ROW : ROW - 4;
        double x = MARGIN + 10 + level * 2 * CHAR_W;
        long max = NOTE_CHARS - level * 2;
        char *line = take_line(&s, max);
        glong n = g_utf8_strlen(line, -1);
        g_string_append_printf(c->o,
                               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                               "class=\"band\"/>\n",
                               x - 3, c->y - FONT, n * CHAR_W + 6, FONT + 4);
        text(c, x, c->y, "start", first ? cls : cont, line, max);
        g_free(line);
    }
    g_free(cont);
}

static void arrow(chart *c, bool c2s, const char *label, const char *cls)
{
    c->y += ARROW;
    text(c, (CLIENT_X + SERVER_X) / 2.0, c->y - 8, "middle", cls, label, LABEL_CHARS);
    double x1 = c2s ? CLIENT_X : SERVER_X, x2 = c2s ? SERVER_X : CLIENT_X;
    g_string_append_printf(c->o,
                           "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"msg %s\" "
                           "marker-end=\"url(#head)\"/>\n",
                           (int)x1, c->y, (int)(x2 + (c2s ? -4 : 4)), c->y, cls);
}

static const char *proof_mark(const char *proof)
{
    if (!proof)
        return "?";
    if (!strcmp(proof, "valid"))
        return "\xe2\x9c\x94"; /* check mark */
    if (!strcmp(proof, "unchecked"))
        return "?";
    return "\xe2\x9c\x98"; /* ballot x */
}

static void violations(chart *c, const jv *conn, int64_t hs, int64_t round, bool mermaid,
                       GString *m)
{
    const jv *v = jv_get(conn, "violations");
    for (size_t i = 0; i < jv_n(v); i++) {
        const jv *x = jv_at(v, i);
        const jv *r = jv_get(x, "round");
        int64_t xr = r && r->type == JV_NUM ? jv_int(r, 0) : 0;
        if (jv_int(jv_get(x, "handshake"), -1) != hs || xr != round)
            continue;
        char *s = g_strdup_printf("\xe2\x9a\xa0 violation %s (%s): %s", jv_str(jv_get(x, "code")),
                                  jv_str(jv_get(x, "severity")), jv_str(jv_get(x, "message")));
        if (mermaid)
            g_string_append_printf(m, "    Note over C,S: %s\n", s);
        else
            note(c, "violation", s);
        g_free(s);
    }
}

/* The lines that describe one round, in the order they are drawn. */
static GPtrArray *round_lines(const jv *r, GPtrArray *classes)
{
    GPtrArray *l = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(l,
                    g_strdup_printf("round %lld: %s, %s", (long long)jv_int(jv_get(r, "round"), 0),
                                    jv_str(jv_get(r, "sender")), jv_str(jv_get(r, "status"))));
    g_ptr_array_add(classes, "round");
    const jv *pol = jv_get(r, "policies");
    for (size_t i = 0; i < jv_n(pol); i++) {
        const jv *p = jv_at(pol, i);
        g_ptr_array_add(
            l, g_strdup_printf("  policy on %s \"%s\": %s  [%s]",
                               jv_str(jv_get(p, "target_kind")) ? jv_str(jv_get(p, "target_kind"))
                                                                : "?",
                               jv_str(jv_get(p, "target")), jv_str(jv_get(p, "expression")),
                               jv_str(jv_get(p, "verdict"))));
        g_ptr_array_add(classes, "policy");
    }
    const jv *cr = jv_get(r, "credentials");
    for (size_t i = 0; i < jv_n(cr); i++) {
        const jv *x = jv_at(cr, i);
        const char *proof = jv_str(jv_get(x, "proof"));
        g_ptr_array_add(l, g_strdup_printf("  discloses %s %s proof %s, chain %s",
                                           jv_str(jv_get(x, "type")), proof_mark(proof),
                                           proof ? proof : "?", jv_str(jv_get(x, "chain"))));
        g_ptr_array_add(classes, proof && !strcmp(proof, "valid") ? "proof" : "badproof");
    }
    if (!jv_n(pol) && !jv_n(cr)) {
        g_ptr_array_add(l, g_strdup("  discloses nothing"));
        g_ptr_array_add(classes, "policy");
    }
    return l;
}

/* A round's lines and its violations, below its TNTNegotiation arrow. */
static void draw_round(chart *c, GString *m, const jv *conn, int64_t hs, const jv *r)
{
    GPtrArray *cls = g_ptr_array_new();
    GPtrArray *lines = round_lines(r, cls);
    for (guint k = 0; k < lines->len; k++) {
        if (m)
            g_string_append_printf(m, "    Note over C,S: %s\n",
                                   (const char *)g_ptr_array_index(lines, k));
        else
            note(c, g_ptr_array_index(cls, k), g_ptr_array_index(lines, k));
    }
    g_ptr_array_free(lines, TRUE);
    g_ptr_array_free(cls, TRUE);
    violations(c, conn, hs, jv_int(jv_get(r, "round"), 0), m != NULL, m);
}

/* One negotiation: the chart's SVG elements from y on (returns its height),
 * or Mermaid text. */
static double draw(GString *o, GString *m, double y0, const jv *conn, const jv *h)
{
    chart c = {o, y0};
    const jv *n = jv_get(h, "negotiation");
    int64_t hs = jv_int(jv_get(h, "index"), 0);
    char *title = g_strdup_printf(
        "connection %lld, handshake %lld (%s%s): TNT negotiation for \"%s\"",
        (long long)jv_int(jv_get(conn, "conn"), 0), (long long)hs, jv_str(jv_get(h, "kind")),
        jv_true(jv_get(h, "encrypted")) ? ", encrypted" : "",
        jv_str(jv_get(n, "target")) ? jv_str(jv_get(n, "target")) : "?");
    char *cl = g_strdup_printf("client %s", jv_str(jv_get(conn, "client")));
    char *sv = g_strdup_printf("server %s", jv_str(jv_get(conn, "server")));
    const char *outcome = jv_str(jv_get(n, "outcome"));
    char *end =
        g_strdup_printf("outcome: %s%s%s%s", outcome ? outcome : "?",
                        jv_true(jv_get(n, "trust_established")) ? ", trust established" : "",
                        jv_str(jv_get(n, "reason")) ? " \xe2\x80\x94 " : "",
                        jv_str(jv_get(n, "reason")) ? jv_str(jv_get(n, "reason")) : "");
    const jv *msgs = jv_get(h, "messages");
    const jv *rounds = jv_get(n, "rounds");
    if (m) {
        g_string_append_printf(m,
                               "%%%% %s\nsequenceDiagram\n    participant C as %s\n"
                               "    participant S as %s\n",
                               title, cl, sv);
    } else {
        c.y += 24;
        text(&c, MARGIN, c.y, "start", "title", title, NOTE_CHARS);
        c.y += 30;
        text(&c, CLIENT_X, c.y, "middle", "head", cl, (long)((CLIENT_X - MARGIN) * 2 / CHAR_W) - 1);
        text(&c, SERVER_X, c.y, "middle", "head", sv,
             (long)((WIDTH - MARGIN - SERVER_X) * 2 / CHAR_W) - 1);
        c.y += 8;
    }
    double life_top = c.y;
    size_t next_round = 0;
    for (size_t i = 0; i < jv_n(msgs); i++) {
        const jv *msg = jv_at(msgs, i);
        const char *type = jv_str(jv_get(msg, "type"));
        bool c2s = !g_strcmp0(jv_str(jv_get(msg, "dir")), "C>S");
        bool nego = type && !strcmp(type, "TNTNegotiation");
        bool proof = type && !strcmp(type, "TNTProof");
        char *label = g_strdup_printf("%s  (frame %lld)", type ? type : "?",
                                      (long long)jv_int(jv_get(msg, "frame"), 0));
        if (m)
            g_string_append_printf(m, "    %s->>%s: %s\n", c2s ? "C" : "S", c2s ? "S" : "C", label);
        else
            arrow(&c, c2s, label, nego ? "tnt" : proof ? "tntproof" : "tls");
        g_free(label);
        if (!nego || next_round >= jv_n(rounds))
            continue;
        draw_round(&c, m, conn, hs, jv_at(rounds, next_round++));
    }
    /* Rounds without a message seen (should not happen; never drop one). */
    for (; next_round < jv_n(rounds); next_round++)
        draw_round(&c, m, conn, hs, jv_at(rounds, next_round));
    violations(&c, conn, hs, 0, m != NULL, m);
    if (m) {
        g_string_append_printf(m, "    Note over C,S: %s\n\n", end);
    } else {
        c.y += 10;
        double bottom = c.y;
        note(&c, outcome && !strcmp(outcome, "success") ? "success" : "failure", end);
        g_string_append_printf(
            o,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"life\"/>\n"
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"life\"/>\n",
            CLIENT_X, life_top, CLIENT_X, bottom, SERVER_X, life_top, SERVER_X, bottom);
        c.y += 16;
    }
    g_free(title);
    g_free(cl);
    g_free(sv);
    g_free(end);
    return c.y - y0;
}

static bool write_svg(const char *path, const GString *body, double height)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "tntdump: %s: %s\n", path, g_strerror(errno));
        return false;
    }
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" "
            "font-size=\"%d\">\n"
            "<style>\n"
            "text { fill: #222; white-space: pre; }\n"
            ".title { font-weight: bold; font-size: %dpx; }\n"
            ".head { font-weight: bold; }\n"
            ".life { stroke: #999; stroke-dasharray: 4 3; }\n"
            ".band { fill: #f3f6fb; }\n"
            ".msg { stroke: #444; stroke-width: 1.2; }\n"
            ".msg.tnt { stroke: #1f5fbf; stroke-width: 2; }\n"
            ".msg.tntproof { stroke: #7a3fbf; stroke-width: 2; }\n"
            "text.tnt { fill: #1f5fbf; font-weight: bold; }\n"
            "text.tntproof { fill: #7a3fbf; font-weight: bold; }\n"
            ".round { fill: #1f5fbf; font-weight: bold; }\n"
            ".proof { fill: #1c7c32; }\n"
            ".badproof, .violation, .failure { fill: #b3261e; }\n"
            ".violation { font-weight: bold; }\n"
            ".success { fill: #1c7c32; font-weight: bold; }\n"
            "</style>\n"
            "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
            "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 "
            "z\" fill=\"#444\"/></marker></defs>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            WIDTH, (int)height + 10, WIDTH, (int)height + 10, FONT, FONT + 2);
    fwrite(body->str, 1, body->len, f);
    fprintf(f, "</svg>\n");
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "tntdump: %s: write error\n", path);
        return false;
    }
    return true;
}

bool diagram_add(diagram *d, const jv *conn)
{
    const jv *hs = jv_get(conn, "handshakes");
    for (size_t i = 0; i < jv_n(hs); i++) {
        const jv *h = jv_at(hs, i);
        const jv *n = jv_get(h, "negotiation");
        if (!n || n->type != JV_OBJ)
            continue;
        d->charts++;
        if (d->mode == MODE_MERMAID) {
            draw(NULL, d->body, 0, conn, h);
        } else if (d->mode == MODE_SVG) {
            d->y += draw(d->body, NULL, d->y, conn, h);
        } else {
            GString *one = g_string_new(NULL);
            double height = draw(one, NULL, 0, conn, h);
            char name[64];
            snprintf(name, sizeof name, "conn%lld-hs%lld.svg",
                     (long long)jv_int(jv_get(conn, "conn"), 0),
                     (long long)jv_int(jv_get(h, "index"), 0));
            char *p = g_build_filename(d->path, name, NULL);
            if (!write_svg(p, one, height))
                d->failed = true;
            g_free(p);
            g_string_free(one, TRUE);
        }
    }
    return !d->failed;
}

bool diagram_finish(diagram *d)
{
    bool ok = !d->failed;
    if (d->mode == MODE_SVG) {
        if (!d->charts) {
            d->y = 40;
            g_string_append_printf(d->body,
                                   "<text x=\"%d\" y=\"26\" class=\"head\">no TNT negotiation in "
                                   "the input</text>\n",
                                   MARGIN);
        }
        ok = write_svg(d->path, d->body, d->y) && ok;
    } else if (d->mode == MODE_MERMAID) {
        FILE *f = fopen(d->path, "w");
        if (!f || fwrite(d->body->str, 1, d->body->len, f) != d->body->len) {
            fprintf(stderr, "tntdump: %s: %s\n", d->path, g_strerror(errno));
            ok = false;
        }
        if (f && fclose(f) != 0)
            ok = false;
    }
    g_string_free(d->body, TRUE);
    g_free(d->path);
    g_free(d);
    return ok;
}
