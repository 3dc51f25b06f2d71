/* The end of a connection's block: each trust negotiation's outcome, its
 * policies and what satisfied them, violations, and what could not be
 * checked (docs/tntdump.md). */
#ifndef TNTDUMP_PRINT_NEGO_H
#define TNTDUMP_PRINT_NEGO_H

#include "tnt/negotiation.h"
#include "textbuf.h"

void print_nego_summary(textbuf *t, const tnt_nego *n, int verbose);
/* The part of the one-line (-q) form: "TNT success rounds=5 violations=0". */
void print_nego_oneline(FILE *f, const tnt_nego *n);
/* Proof results of the round a TNTProof just completed, as message detail. */
void print_nego_proofs(textbuf *t, const tnt_nego *n, uint32_t hs_index);

#endif
