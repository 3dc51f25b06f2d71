/* A connection's text block, held until the connection ends so that blocks
 * never interleave. Memory is bounded: past a threshold the block spills to
 * an unlinked temporary file. */
#ifndef TNTDUMP_TEXTBUF_H
#define TNTDUMP_TEXTBUF_H

#include <stdarg.h>
#include <stdio.h>

typedef struct textbuf {
    char *mem;
    size_t len, cap;
    FILE *spill;
    int failed;
} textbuf;

void textbuf_init(textbuf *t);
void textbuf_printf(textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textbuf_vprintf(textbuf *t, const char *fmt, va_list ap);
/* Appends n bytes as they are (the fast path for pre-formatted lines). */
void textbuf_append(textbuf *t, const char *s, size_t n);
/* Writes everything to out and empties the buffer. */
void textbuf_flush(textbuf *t, FILE *out);
void textbuf_free(textbuf *t);

#endif
