/* Internal to src/rank: the state and the stage functions shared by its files. */
#ifndef GUILD_RANK_INT_H
#define GUILD_RANK_INT_H

#include "rank.h"

/* One (item, cluster, sign) sum of raw vote weights, kept for incremental updates. */
struct rank_csum {
    uint32_t item, cluster;
    int8_t sign; /* 0 = empty slot */
    double sum;
};

/* Open addressing, power-of-two capacity. */
struct rank_csum_table {
    struct rank_csum *slot;
    size_t cap, n;
};

/* What a vote needs of its voter, packed so that one cache line serves it. */
struct rank_minfo {
    float trust;
    uint32_t group;  /* cluster root when in a cluster of two or more, else RANK_NONE */
    int32_t affiliation;
};

struct rank_state {
    const struct rank_snapshot *snap;
    struct rank_params p;
    struct rank_minfo *minfo; /* per member, filled after trust and clusters */
    double *trust;          /* per member, 0..1 */
    uint32_t *cluster;      /* per member: root member of its cluster */
    uint32_t *cluster_size; /* per root */
    struct rank_item_result *items;
    float *vote_weight;     /* per snapshot vote */
    uint8_t *vote_why;
    struct rank_csum_table *csum; /* nthreads tables: item i's sums live in table i % nthreads */
    int nthreads;
    struct rank_timing timing;
    bool no_seeds;          /* nobody is a seed: trust could not be computed */
};

/* trust.c: fills st->trust. */
void rank_trust(struct rank_state *st);
/* cluster.c: fills st->cluster and st->cluster_size. */
void rank_clusters(struct rank_state *st);
/* A large zeroed array, backed by huge pages where the kernel allows (page faults on
 * first touch were a sixth of a full run at 1M members). Freed with free(); never NULL. */
void *rank_array(size_t n, size_t size);
/* par.c: how many parts to split stages into (wanted > 0, else the online cores, at most
 * 8), and running fn(ctx, part, nparts) for every part, the caller taking part 0. */
int rank_threads(int wanted);
void rank_parallel(int nparts, void (*fn)(void *ctx, int part, int nparts), void *ctx);
/* The contiguous range [lo, hi) of part of n things. */
static inline void rank_part_range(size_t n, int part, int nparts, size_t *lo, size_t *hi)
{
    *lo = n * (size_t)part / (size_t)nparts;
    *hi = n * (size_t)(part + 1) / (size_t)nparts;
}
/* engine.c helpers used by explain.c */
double rank_damp(double sum);
uint64_t rank_mix64(uint64_t x);

#endif
