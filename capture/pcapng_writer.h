/* -w: the packets of the selected connections, with the keys they used, as
 * a new pcapng file.
 *
 * Which connections qualify is known only when each ends, and Wireshark
 * applies a Decryption Secrets Block only to the packets after it, so every
 * packet read is spooled to an anonymous temporary file (this works for
 * files, standard input and live capture alike) and the output is written
 * at the end: section header, one interface per link type, one secrets block
 * with every key line, then the selected packets in the order they were
 * read, with their original timestamps. */
#ifndef TNTDUMP_PCAPNG_WRITER_H
#define TNTDUMP_PCAPNG_WRITER_H

#include "capture.h"
#include "tnt/conn.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pcapng_writer pcapng_writer;

/* Creates path now (a bad path fails before any work); NULL with a reason
 * in err when it or the temporary file cannot be made. */
pcapng_writer *pcapng_writer_new(const char *path, char *err, size_t errcap);
/* Spools one packet; returns its run-wide packet number (1-based). */
uint64_t pcapng_writer_spool(pcapng_writer *w, tnt_cap_ts ts, int dlt, const uint8_t *data,
                             size_t caplen, size_t wirelen);
/* The number of the packet spooled last. */
uint64_t pcapng_writer_last(const pcapng_writer *w);
/* Keeps these packets (numbers from pcapng_writer_spool), and the key lines
 * of the connection's handshakes: its master secrets (also those found
 * through an RSA key or a remembered session) and, for TLS 1.3, the traffic
 * secrets in kl. */
void pcapng_writer_keep(pcapng_writer *w, const uint64_t *pkts, size_t n, const tnt_conn *tls,
                        const tnt_keylog *kl);
/* Writes the file; false with a reason in err. Frees w either way. */
bool pcapng_writer_finish(pcapng_writer *w, char *err, size_t errcap);

#endif
