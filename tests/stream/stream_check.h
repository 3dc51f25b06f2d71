/* Shared by the tests of tests/stream/: failures counted, not fatal, so that
 * one run reports every sample that breaks. */
#ifndef TNT_STREAM_CHECK_H
#define TNT_STREAM_CHECK_H

#include <stdio.h>

static int failures;
#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "FAIL: " __VA_ARGS__);                                                     \
        fputc('\n', stderr);                                                                       \
        failures++;                                                                                \
    } while (0)

#endif
