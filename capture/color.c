#include "color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define BOLD_RED "\033[1;31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BLUE "\033[34m"
#define MAGENTA "\033[35m"
#define CYAN "\033[36m"

bool color_parse(const char *s, color_mode *out)
{
    static const struct {
        const char *name;
        color_mode m;
    } words[] = {{"never", COLOR_NEVER},   {"no", COLOR_NEVER},   {"none", COLOR_NEVER},
                 {"always", COLOR_ALWAYS}, {"yes", COLOR_ALWAYS}, {"force", COLOR_ALWAYS},
                 {"auto", COLOR_AUTO},     {"tty", COLOR_AUTO},   {"if-tty", COLOR_AUTO}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(s, words[i].name)) {
            *out = words[i].m;
            return true;
        }
    return false;
}

bool color_wanted(color_mode m)
{
    if (m != COLOR_AUTO)
        return m == COLOR_ALWAYS;
    const char *term = getenv("TERM");
    const char *no = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && (!term || strcmp(term, "dumb")) && !(no && *no);
}

static bool has(const char *line, size_t n, const char *what)
{
    size_t w = strlen(what);
    for (size_t i = 0; i + w <= n; i++)
        if (!memcmp(line + i, what, w))
            return true;
    return false;
}

static bool starts(const char *line, size_t n, const char *what)
{
    size_t w = strlen(what);
    return n >= w && !memcmp(line, what, w);
}

static const char *pick(const char *l, size_t n)
{
    if (starts(l, n, "#"))
        return BOLD;
    if (starts(l, n, "== "))
        return BOLD CYAN;
    if (starts(l, n, "  violation error"))
        return BOLD_RED;
    if (starts(l, n, "  violation warning"))
        return YELLOW;
    if (starts(l, n, "  violation info"))
        return CYAN;
    if (starts(l, n, "    outcome: success"))
        return GREEN;
    if (starts(l, n, "    outcome: failure") || starts(l, n, "    reason:"))
        return RED;
    if (starts(l, n, "  not checked:") || starts(l, n, "  note:"))
        return DIM;
    if (starts(l, n, "  handshake "))
        return BOLD;
    /* Record and message lines: "frame time dir ..." */
    if (has(l, n, " ! "))
        return YELLOW;
    if (has(l, n, "decrypt-failed") || has(l, n, "proof invalid") || has(l, n, "proof missing"))
        return RED;
    if (has(l, n, "  TNTNegotiation") || has(l, n, "  TNTProof") || has(l, n, "credential #"))
        return BLUE;
    if (has(l, n, " alert "))
        return MAGENTA;
    return NULL;
}

void color_write(const char *text, size_t len, FILE *out)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *c = pick(p, n);
        if (c)
            fputs(c, out);
        fwrite(p, 1, n, out);
        if (c)
            fputs(RESET, out);
        if (nl)
            fputc('\n', out);
        p += n + 1;
    }
}
