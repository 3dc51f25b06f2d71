/* -r arguments to the list of capture files read, as one body of evidence:
 * a file as given, "-" for standard input, a directory as every capture file
 * below it (recursively), and a pattern that names no file as its glob(7)
 * matches. Directories and matches are sorted bytewise (not by locale), so
 * the order, and with it connection numbers and resumption links, is the
 * same on every machine. */
#ifndef TNTDUMP_INPUTS_H
#define TNTDUMP_INPUTS_H

#include <glib.h>

/* Appends the paths (newly allocated strings) to out. An argument that names
 * nothing and matches nothing is kept as it is, so that opening it fails
 * with the system's reason. Inside directories and among a pattern's matches,
 * files that do not start with a pcap or pcapng magic number (key logs,
 * notes) are skipped silently; a file named as such is always read. */
void inputs_expand(const char *const *args, int n_args, GPtrArray *out);

/* Whether the file starts with a pcap or pcapng magic number. */
gboolean inputs_is_capture(const char *path);

#endif
