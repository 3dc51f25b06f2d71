/* Text lines for records and handshake messages (see docs/tntdump.md). */
#ifndef TNTDUMP_PRINT_TLS_H
#define TNTDUMP_PRINT_TLS_H

#include "tnt/conn.h"
#include "textbuf.h"

/* prefix: "<frame> <time> <dir>", already formatted by the caller. */
void print_record(textbuf *t, const char *prefix, const tnt_record_event *ev, int verbose);
/* Hex and ASCII, 16 bytes a line, each line containing "| " and an offset. */
void print_dump(textbuf *t, const uint8_t *p, uint32_t n);
/* cp: the codepoints the message was decoded with. */
void print_message(textbuf *t, const char *prefix, const tnt_message_event *ev,
                   const tnt_codepoints *cp, int verbose);

#endif
