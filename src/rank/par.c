/* Splitting a stage over the machine's cores, and the large arrays the stages work in. Every
 * parallel stage partitions its output (members or items) so that no two threads write the
 * same memory and each output is summed in the same order as in a single-threaded run:
 * results do not depend on the thread count. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../core/util.h"
#include "rank_int.h"

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

void *rank_array(size_t n, size_t size)
{
    const uintptr_t huge = (uintptr_t)2 << 20;
    void *p = xcalloc(n ? n : 1, size);
#ifdef MADV_HUGEPAGE
    /* calloc maps large blocks fresh and leaves them untouched (they are zero already), so
     * the pages are faulted in by the pass that first writes them, on its own thread; the
     * hint covers the whole 2 MB pages inside the block. */
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + (n ? n : 1) * size) & ~(huge - 1);
    if (hi > lo) {
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    return p;
}
