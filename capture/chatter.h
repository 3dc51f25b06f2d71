/* Bounded chatter: repeated diagnostics of one kind are shown up to a cap per
 * input file, the rest only counted; the counts close the run on stderr and
 * go into the JSON summary. A kind is the message with its numbers taken
 * out, so "connection table full (65536): closing connection #12" and "...
 * #13" are one kind. */
#ifndef TNTDUMP_CHATTER_H
#define TNTDUMP_CHATTER_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CHATTER_CAP 10

typedef struct chatter chatter;

chatter *chatter_new(void);
void chatter_free(chatter *ch);
/* Counts one diagnostic of text; true when it is to be shown. */
bool chatter_allow(chatter *ch, const char *text);
/* A new input file: every kind may be shown again up to the cap. */
void chatter_new_file(chatter *ch);
/* Forgets the counts (a -j worker counts its own file only). */
void chatter_reset(chatter *ch);
/* "N more ... not shown" lines, one per capped kind. */
void chatter_report(const chatter *ch, FILE *f);
/* {"kind":count,...} sorted by kind; "{}" when nothing was said. */
void chatter_json(const chatter *ch, GString *o);
/* Adds counts read back from chatter_json_shown() of a worker. */
void chatter_add(chatter *ch, const char *kind, uint64_t count, uint64_t shown);
/* {"kind":[count,shown],...}: for the -j parent. */
void chatter_json_shown(const chatter *ch, GString *o);
bool chatter_empty(const chatter *ch);

#endif
