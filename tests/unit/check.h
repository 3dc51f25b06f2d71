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

#endif
