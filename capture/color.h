/* --color: the text output with ANSI colours, for a terminal. Colour is
 * put on whole finished lines by what they say (block header, diagnostic,
 * violation by severity, outcome, TNT messages), so the printers stay
 * colour-blind and the text without colour is byte for byte the default. */
#ifndef TNTDUMP_COLOR_H
#define TNTDUMP_COLOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { COLOR_NEVER, COLOR_ALWAYS, COLOR_AUTO } color_mode;

/* False for an unknown word. */
bool color_parse(const char *s, color_mode *out);
/* auto: stdout is a terminal, TERM is not "dumb" and NO_COLOR is unset. */
bool color_wanted(color_mode m);
/* Writes text (whole lines) to out with colours. */
void color_write(const char *text, size_t len, FILE *out);

#endif
