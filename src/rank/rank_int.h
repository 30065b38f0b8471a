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
    struct rank_csum *csum; /* open addressing, power-of-two capacity */
    size_t csum_cap, csum_n;
    bool no_seeds;          /* nobody is a seed: trust could not be computed */
};

/* trust.c: fills st->trust. */
void rank_trust(struct rank_state *st);
/* cluster.c: fills st->cluster and st->cluster_size. */
void rank_clusters(struct rank_state *st);
/* engine.c helpers used by explain.c */
double rank_damp(double sum);
uint64_t rank_mix64(uint64_t x);

#endif
