/* -j: a small pool of worker processes. Processes rather than threads: each
 * worker gets its own copy of the run's state (keys, session store, lib's
 * codepoints) and its own stdout and stderr, which the parent then writes
 * out in input order, so the output cannot interleave. */
#ifndef TNTDUMP_JOBS_H
#define TNTDUMP_JOBS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct job_result {
    int status;             /* set by the task */
    uint64_t value;         /* set by the task */
    bool flag;              /* set by the task */
    bool crashed;           /* the worker died without reporting */
    FILE *out, *err, *side; /* what the task wrote, rewound for reading */
} job_result;

/* Runs in a worker: stdout and stderr go to r->out / r->err; side is a
 * third stream for the task's own use. */
typedef void (*job_fn)(void *ctx, int index, FILE *side, job_result *r);

/* Runs fn for indexes 0..n-1, at most jobs at a time. results[n] are filled
 * (the caller closes their streams with jobs_free). False if no worker could
 * be started at all. */
bool jobs_map(int n, int jobs, job_fn fn, void *ctx, job_result *results);
void jobs_free(job_result *results, int n);
/* Copies a stream to another. */
void jobs_copy(FILE *from, FILE *to);

#endif
