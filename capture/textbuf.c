#include "textbuf.h"

#include <stdlib.h>
#include <string.h>

#define SPILL_AT (4u << 20)

void textbuf_init(textbuf *t)
{
    memset(t, 0, sizeof(*t));
}

void textbuf_vprintf(textbuf *t, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        textbuf_append(t, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        t->failed = 1;
        return;
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    textbuf_append(t, big, (size_t)n);
    free(big);
}

void textbuf_append(textbuf *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->spill) {
        fwrite(s, 1, n, t->spill);
        return;
    }
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *nm = realloc(t->mem, cap);
        if (!nm) {
            t->failed = 1;
            return;
        }
        t->mem = nm;
        t->cap = cap;
    }
    memcpy(t->mem + t->len, s, n);
    t->len += n;
    t->mem[t->len] = '\0';
    if (t->len > SPILL_AT) {
        t->spill = tmpfile();
        if (t->spill) {
            fwrite(t->mem, 1, t->len, t->spill);
            free(t->mem);
            t->mem = NULL;
            t->len = t->cap = 0;
        }
    }
}

void textbuf_printf(textbuf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(t, fmt, ap);
    va_end(ap);
}

void textbuf_flush(textbuf *t, FILE *out)
{
    if (t->spill) {
        char chunk[65536];
        size_t n;
        rewind(t->spill);
        while ((n = fread(chunk, 1, sizeof(chunk), t->spill)) > 0)
            fwrite(chunk, 1, n, out);
        fclose(t->spill);
        t->spill = NULL;
    }
    if (t->len)
        fwrite(t->mem, 1, t->len, out);
    t->len = 0;
}

void textbuf_free(textbuf *t)
{
    if (t->spill)
        fclose(t->spill);
    free(t->mem);
    memset(t, 0, sizeof(*t));
}
