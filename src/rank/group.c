/* Grouping records by a small integer key (a parallel, stable counting sort). The engine's
 * passes want votes by item and by voter; reading them in snapshot order and updating the
 * item or voter each one names cost a random read-modify-write per vote (140 ns each at 1M
 * members), where reading a group's records together keeps its state in registers. What a
 * pass needs of each record is copied into the groups, because reading the snapshot's
 * records in group order instead missed the TLB on every one (the caller's arrays are not
 * on huge pages; a nested page walk on this VM costs more than the read). */
#include <stdlib.h>

#include "../core/util.h"
#include "rank_int.h"

struct group_job {
    size_t n, nkeys;
    rank_key_fn key;
    rank_value_fn value;
    const void *ctx;
    uint32_t **count; /* per part: nkeys counters, then that part's write offsets */
    uint32_t *start;
    uint32_t *out32;  /* one of the two, by the values' width */
    uint64_t *out64;
};

static void group_count(void *arg, int part, int nparts)
{
    struct group_job *j = arg;
    size_t lo, hi;
    rank_part_range(j->n, part, nparts, &lo, &hi);
    uint32_t *c = j->count[part];
    for (size_t r = lo; r < hi; r++) {
        c[j->key(j->ctx, r)]++;
    }
}

/* Part p writes key k's records after those of parts before it: the order within a group is
 * the records' order, whatever the split. */
static void group_scatter(void *arg, int part, int nparts)
{
    struct group_job *j = arg;
    size_t lo, hi;
    rank_part_range(j->n, part, nparts, &lo, &hi);
    uint32_t *at = j->count[part];
    if (j->out64 != NULL) {
        for (size_t r = lo; r < hi; r++) {
            j->out64[at[j->key(j->ctx, r)]++] = j->value(j->ctx, r);
        }
        return;
    }
    for (size_t r = lo; r < hi; r++) {
        j->out32[at[j->key(j->ctx, r)]++] = j->value ? (uint32_t)j->value(j->ctx, r) : (uint32_t)r;
    }
}

void rank_group(size_t n, size_t nkeys, rank_key_fn key, rank_value_fn value, int width,
                const void *ctx, int nthreads, struct rank_groups *g)
{
    int nparts = nthreads < 1 ? 1 : (nthreads > RANK_MAX_THREADS ? RANK_MAX_THREADS : nthreads);
    struct group_job j = {n, nkeys, key, value, ctx, xcalloc((size_t)nparts, sizeof(uint32_t *)),
                          rank_array(nkeys + 1, sizeof(uint32_t)), NULL, NULL};
    if (width == 8) {
        j.out64 = rank_array(n + 1, sizeof(uint64_t));
    } else {
        j.out32 = rank_array(n + 1, sizeof(uint32_t));
    }
    for (int p = 0; p < nparts; p++) {
        j.count[p] = rank_array(nkeys + 1, sizeof(uint32_t));
    }
    rank_parallel(nparts, group_count, &j);
    uint32_t at = 0;
    for (size_t k = 0; k < nkeys; k++) {
        j.start[k] = at;
        for (int p = 0; p < nparts; p++) {
            uint32_t c = j.count[p][k];
            j.count[p][k] = at;
            at += c;
        }
    }
    j.start[nkeys] = at;
    rank_parallel(nparts, group_scatter, &j);
    for (int p = 0; p < nparts; p++) {
        free(j.count[p]);
    }
    free(j.count);
    g->start = j.start;
    g->rec32 = j.out32;
    g->rec64 = j.out64;
}

void rank_groups_free(struct rank_groups *g)
{
    free(g->start);
    free(g->rec32);
    free(g->rec64);
    *g = (struct rank_groups){NULL, NULL, NULL};
}
