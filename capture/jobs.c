#include "jobs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct report {
    int status;
    uint64_t value;
    bool flag;
} report;

typedef struct running {
    pid_t pid;
    int index;
    int fd; /* read end of the report pipe */
} running;

static void start(int index, job_fn fn, void *ctx, job_result *r, running *slot)
{
    r->out = tmpfile();
    r->err = tmpfile();
    r->side = tmpfile();
    int p[2];
    slot->pid = -1;
    if (!r->out || !r->err || !r->side || pipe(p) != 0)
        return;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return;
    }
    if (pid == 0) {
        close(p[0]);
        dup2(fileno(r->out), STDOUT_FILENO);
        dup2(fileno(r->err), STDERR_FILENO);
        job_result mine = {0};
        fn(ctx, index, r->side, &mine);
        fflush(stdout);
        fflush(stderr);
        fflush(r->side);
        report rep;
        memset(&rep, 0, sizeof rep); /* no uninitialised padding down the pipe */
        rep.status = mine.status;
        rep.value = mine.value;
        rep.flag = mine.flag;
        ssize_t w = write(p[1], &rep, sizeof rep);
        _exit(w == (ssize_t)sizeof rep ? 0 : 1);
    }
    close(p[1]);
    slot->pid = pid;
    slot->index = index;
    slot->fd = p[0];
}

static void finish(running *slot, job_result *results)
{
    job_result *r = &results[slot->index];
    report rep;
    ssize_t got;
    do
        got = read(slot->fd, &rep, sizeof rep);
    while (got < 0 && errno == EINTR);
    close(slot->fd);
    int ws;
    while (waitpid(slot->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (got == (ssize_t)sizeof rep) {
        r->status = rep.status;
        r->value = rep.value;
        r->flag = rep.flag;
    } else {
        r->crashed = true;
    }
    rewind(r->out);
    rewind(r->err);
    rewind(r->side);
    slot->pid = -1;
}

bool jobs_map(int n, int jobs, job_fn fn, void *ctx, job_result *results)
{
    memset(results, 0, (size_t)n * sizeof *results);
    running *slots = calloc((size_t)jobs, sizeof *slots);
    if (!slots)
        return false;
    for (int i = 0; i < jobs; i++)
        slots[i].pid = -1;
    int next = 0, active = 0;
    bool ok = true;
    while (next < n || active > 0) {
        while (next < n && active < jobs) {
            int s = 0;
            while (slots[s].pid != -1)
                s++;
            start(next, fn, ctx, &results[next], &slots[s]);
            if (slots[s].pid == -1) {
                results[next].crashed = true;
                ok = false;
            } else {
                active++;
            }
            next++;
        }
        if (active == 0)
            break;
        /* The oldest running worker: results are consumed in order anyway. */
        int oldest = -1;
        for (int s = 0; s < jobs; s++)
            if (slots[s].pid != -1 && (oldest < 0 || slots[s].index < slots[oldest].index))
                oldest = s;
        finish(&slots[oldest], results);
        active--;
    }
    free(slots);
    return ok;
}

void jobs_free(job_result *results, int n)
{
    for (int i = 0; i < n; i++) {
        if (results[i].out)
            fclose(results[i].out);
        if (results[i].err)
            fclose(results[i].err);
        if (results[i].side)
            fclose(results[i].side);
    }
}

void jobs_copy(FILE *from, FILE *to)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        fwrite(buf, 1, n, to);
}
