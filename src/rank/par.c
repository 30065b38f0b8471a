/* Splitting a stage over the machine's cores. Every parallel stage partitions its output
 * (members or items) so that no two threads write the same memory and each output is summed
 * in the same order as in a single-threaded run: results do not depend on the thread count. */
#include <pthread.h>
#include <unistd.h>

#include "rank_int.h"

#define RANK_MAX_THREADS 8

struct par_job {
    void (*fn)(void *ctx, int part, int nparts);
    void *ctx;
    int part, nparts;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    j->fn(j->ctx, j->part, j->nparts);
    return NULL;
}

int rank_threads(int wanted)
{
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    int n = wanted > 0 ? wanted : (online > 0 ? (int)online : 1);
    return n > RANK_MAX_THREADS ? RANK_MAX_THREADS : n;
}

void rank_parallel(int nparts, void (*fn)(void *ctx, int part, int nparts), void *ctx)
{
    pthread_t tid[RANK_MAX_THREADS];
    struct par_job job[RANK_MAX_THREADS];
    bool started[RANK_MAX_THREADS] = {false};
    nparts = nparts < 1 ? 1 : (nparts > RANK_MAX_THREADS ? RANK_MAX_THREADS : nparts);
    for (int t = 1; t < nparts; t++) {
        job[t] = (struct par_job){fn, ctx, t, nparts};
        started[t] = pthread_create(&tid[t], NULL, par_main, &job[t]) == 0;
    }
    fn(ctx, 0, nparts);
    for (int t = 1; t < nparts; t++) {
        if (started[t]) {
            pthread_join(tid[t], NULL);
        } else {
            fn(ctx, t, nparts); /* no thread to be had: the caller does that part too */
        }
    }
}
