/* Shared by the fuzz harnesses (tests/fuzz/fuzz_*.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput() (and, if it needs one-time
 * set-up, LLVMFuzzerInitialize()). Built with -fsanitize=fuzzer it is a
 * libFuzzer target. Built with -DTNT_FUZZ_MAIN it gets the main() below
 * instead, which runs every file (or every file in every directory) named on
 * the command line once: that is how tests/scripts/test_fuzz_regressions.sh
 * replays the saved crashers with a plain compiler, without libFuzzer. */
#ifndef TNT_FUZZ_COMMON_H
#define TNT_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: weak, so that the replay main can tell whether a harness has it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A check that must hold for every input. abort() so that libFuzzer records
 * the input as a crash and the replay main exits non-zero. */
#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__, #cond);      \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Reads every byte of a buffer the library handed out, so that ASan reports a
 * pointer or length that does not describe live memory. */
static volatile uint8_t fuzz_sink;
static inline void fuzz_touch(const void *p, size_t n)
{
    const volatile uint8_t *b = p;
    uint8_t x = 0;
    for (size_t i = 0; i < n; i++)
        x ^= b[i];
    fuzz_sink ^= x;
}

/* Consumes the input from the front: the harnesses take their "knobs" (chunk
 * sizes, versions, directions) from the input itself, so that libFuzzer can
 * mutate them and a saved crasher replays deterministically. */
typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline uint32_t fuzz_u8(fuzz_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint32_t fuzz_u16(fuzz_in *in)
{
    uint32_t hi = fuzz_u8(in);
    return hi << 8 | fuzz_u8(in);
}

/* Up to n bytes (fewer at the end of the input). */
static inline size_t fuzz_take(fuzz_in *in, size_t n, const uint8_t **out)
{
    if (n > in->n)
        n = in->n;
    *out = in->p;
    in->p += n;
    in->n -= n;
    return n;
}

#ifdef TNT_FUZZ_MAIN
#include <dirent.h>
#include <sys/stat.h>

static int fuzz_run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                fclose(f);
                free(buf);
                return 1;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        if (got == 0)
            break;
        len += got;
    }
    fclose(f);
    /* An exact-size copy, so that ASan sees a read past the input. */
    uint8_t *exact = malloc(len ? len : 1);
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    fprintf(stderr, "running %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int bad = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            bad++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            bad += fuzz_run_file(argv[i]);
            n++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                bad += fuzz_run_file(path);
                n++;
            }
        }
        if (d)
            closedir(d);
    }
    fprintf(stderr, "%d inputs run, %d unreadable\n", n, bad);
    return bad ? 1 : 0;
}
#endif

#endif
