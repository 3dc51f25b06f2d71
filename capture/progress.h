/* A progress line on stderr while many or large files are read: files and
 * bytes done, rate, time left. Only on a terminal (or when asked), redrawn
 * in place at most a few times a second, erased at the end; stdout never
 * sees it. */
#ifndef TNTDUMP_PROGRESS_H
#define TNTDUMP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct progress progress;

/* NULL when no line is to be shown: force < 0 never, 0 when stderr is a
 * terminal and the input is large, > 0 always (for files only). */
progress *progress_new(const char *const *files, int n_files, int force);
/* The current file (0-based) and bytes of it read so far. */
void progress_update(progress *p, int file, uint64_t bytes_in_file);
void progress_file_done(progress *p, int file);
void progress_free(progress *p); /* erases the line */

#endif
