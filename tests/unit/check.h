/* A tiny assertion harness for the unit tests: each failed CHECK prints where
 * and what, and the test's exit status says whether any failed, which is all
 * ctest needs. */
#ifndef TNT_TEST_CHECK_H
#define TNT_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        check_count++;                                                                             \
        if (!(cond)) {                                                                             \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                      \
        check_count++;                                                                             \
        if (va_ != vb_) {                                                                          \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld != %lld)\n", __FILE__,         \
                    __LINE__, #a, #b, va_, vb_);                                                   \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *sa_ = (a), *sb_ = (b);                                                         \
        check_count++;                                                                             \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                               \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_STR failed: %s == %s (\"%s\" != \"%s\")\n", __FILE__,    \
                    __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                 \
        }                                                                                          \
    } while (0)

#define CHECK_MEM(a, b, n)                                                                         \
    do {                                                                                           \
        check_count++;                                                                             \
        if (memcmp((a), (b), (n)) != 0) {                                                          \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK_MEM failed: %s == %s\n", __FILE__, __LINE__, #a, #b);    \
        }                                                                                          \
    } while (0)

/* Ends main(): prints a summary and returns the exit status. */
static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

/* Hex string (no separators) to bytes; returns the length. Aborts on bad
 * input because a bad vector is a bug in the test itself. */
static inline size_t check_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*hex) {
        if (*hex == ' ' || *hex == '\n' || *hex == ':') {
            hex++;
            continue;
        }
        unsigned v;
        if (n >= cap || sscanf(hex, "%2x", &v) != 1) {
            fprintf(stderr, "bad hex vector\n");
            abort();
        }
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

/* Reads tests/data/<name> (TNT_TEST_DATA points there under ctest) into
 * buf; returns the length. A missing file ends the test: it is a broken
 * checkout, not a result. */
static inline size_t check_load_into(const char *name, uint8_t *buf, size_t cap)
{
    const char *dir = getenv("TNT_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* The same into memory from malloc (free it). */
static inline uint8_t *check_load(const char *name, size_t *len)
{
    static uint8_t tmp[1 << 20];
    size_t n = check_load_into(name, tmp, sizeof tmp);
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        abort();
    memcpy(p, tmp, n);
    *len = n;
    return p;
}

#endif
