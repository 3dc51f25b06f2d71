/* --diagram: a message sequence chart of each TNT negotiation, drawn from
 * the connection objects --json prints (read back, as --summary does).
 *
 * FILE.svg: every negotiation of the run, one chart under the other, in one
 * SVG; FILE.mmd: the same as Mermaid sequence diagrams; an existing
 * directory: one SVG per negotiation, conn<N>-hs<K>.svg.
 *
 * Layout is one row per element (message arrow with its label, each line of
 * a round's annotation), and lines are cut to what fits between the margins
 * at a fixed-width font, so no text can overlap another. */
#ifndef TNTDUMP_DIAGRAM_H
#define TNTDUMP_DIAGRAM_H

#include "jdom.h"

#include <stdbool.h>

typedef struct diagram diagram;

diagram *diagram_new(const char *path);
/* One connection object; draws its handshakes that carried a negotiation.
 * False (with a message on stderr) when a file cannot be written. */
bool diagram_add(diagram *d, const jv *conn);
/* Writes the single-file forms; frees d. */
bool diagram_finish(diagram *d);

#endif
