#include "progress.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "Large": what takes long enough for a line to be worth it. */
#define LARGE_BYTES (256ull << 20)
#define MANY_FILES 50
#define REDRAW_US 200000

struct progress {
    int n_files, done_files;
    uint64_t total, before; /* all bytes; bytes of the files finished */
    uint64_t *sizes;
    int64_t start, last;
    bool drawn;
};

progress *progress_new(const char *const *files, int n_files, int force)
{
    if (force < 0 || n_files == 0)
        return NULL;
    uint64_t total = 0;
    uint64_t *sizes = calloc((size_t)n_files, sizeof *sizes);
    if (!sizes)
        return NULL;
    for (int i = 0; i < n_files; i++) {
        struct stat st;
        if (strcmp(files[i], "-") && stat(files[i], &st) == 0 && S_ISREG(st.st_mode))
            sizes[i] = (uint64_t)st.st_size;
        total += sizes[i];
    }
    if (force == 0 && (!isatty(STDERR_FILENO) || (total < LARGE_BYTES && n_files < MANY_FILES))) {
        free(sizes);
        return NULL;
    }
    progress *p = calloc(1, sizeof *p);
    if (!p) {
        free(sizes);
        return NULL;
    }
    p->n_files = n_files;
    p->sizes = sizes;
    p->total = total;
    p->start = g_get_monotonic_time();
    return p;
}

static void human(char *buf, size_t cap, double v)
{
    const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(buf, cap, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void draw(progress *p, uint64_t done)
{
    double secs = (double)(g_get_monotonic_time() - p->start) / 1e6;
    double rate = secs > 0 ? (double)done / secs : 0;
    char d[32], t[32], r[32], left[32] = "?";
    human(d, sizeof d, (double)done);
    human(t, sizeof t, (double)p->total);
    human(r, sizeof r, rate);
    if (rate > 0 && p->total >= done) {
        long s = (long)((double)(p->total - done) / rate);
        snprintf(left, sizeof left, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    }
    fprintf(stderr, "\r\033[Ktntdump: %d/%d files, %s of %s, %s/s, %s left", p->done_files,
            p->n_files, d, t, r, left);
    fflush(stderr);
    p->drawn = true;
}

void progress_update(progress *p, int file, uint64_t bytes_in_file)
{
    if (!p)
        return;
    int64_t now = g_get_monotonic_time();
    if (now - p->last < REDRAW_US)
        return;
    p->last = now;
    (void)file;
    draw(p, p->before + bytes_in_file);
}

void progress_file_done(progress *p, int file)
{
    if (!p)
        return;
    p->done_files++;
    p->before += p->sizes[file];
    p->last = g_get_monotonic_time();
    draw(p, p->before);
}

void progress_free(progress *p)
{
    if (!p)
        return;
    if (p->drawn) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    free(p->sizes);
    free(p);
}
