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

#define RANK_MAX_THREADS 8

/* bridge.c: a vote as the factorisation reads it: the other side's index (member when grouped
 * by item, item when grouped by member) and its weight, negative for a downvote. */
struct rank_bvote {
    uint32_t who;
    float wy;
};

/* The bridging model: mpar and ipar hold (intercept, factors...) per member and per item,
 * stride floats each. The state owns mpar and ipar (kept after the run for incremental
 * updates and explanations); istart/ivotes and mstart/mrec live during a fit only. p points into the owning state (or the caller's params) for the model's life. */
/* Item factors carried from an earlier run (rank.h): stride floats per item. */
struct rank_warm {
    int dims, stride;
    size_t nitems;
    float *ipar;
    bool *known; /* per item: carried (else started at random) */
};

struct rank_bridge {
    size_t nmembers, nitems;
    int dims, stride; /* stride = 1 + dims floats per member or item */
    const struct rank_params *p;
    double mu;
    float *mpar, *ipar;
    uint32_t *istart, *mstart;
    struct rank_bvote *ivotes;
    uint64_t *mrec; /* by member: item | the signed weight's float bits << 32 */
    struct rank_state *st; /* a full run's state (its items get their camp parts on the last
                              pass), or NULL (rank_bridge_fit) */
    bool last_pass;
    double weight;  /* all vote weight in the fit */
    double share;   /* sum of every item's camp parts / weight */
    bool applied;   /* share >= bridge_min_share: the camp parts change the evidence */
};

/* group.c: records 0..n-1 grouped by key(ctx, r) < nkeys: positions start[k] .. start[k+1]
 * hold value(ctx, r) of key k's records (r itself when value is NULL), in record order
 * whatever the thread count, in rec32 (width 4: values truncated to 32 bits) or rec64 (width
 * 8: value must not be NULL). The arrays are owned by g: rank_groups_free. */
typedef uint32_t (*rank_key_fn)(const void *ctx, size_t r);
typedef uint64_t (*rank_value_fn)(const void *ctx, size_t r);
struct rank_groups {
    uint32_t *start; /* nkeys + 1 */
    uint32_t *rec32;
    uint64_t *rec64;
};
void rank_group(size_t n, size_t nkeys, rank_key_fn key, rank_value_fn value, int width,
                const void *ctx, int nthreads, struct rank_groups *g);
void rank_groups_free(struct rank_groups *g);

/* A vote as votes_by_item keeps it (items.c packs it): voter in bits 0-31, snapshot index in
 * 32-60 (the snapshot holds fewer than 2^29 votes), then up (61), opened (62), outside (63). */
static inline bool rank_packed_up(uint64_t x)
{
    return x >> 61 & 1;
}

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
    struct rank_csum_table *csum; /* nthreads tables: an item's sums live in its part's */
    int nthreads;
    uint32_t item_split[RANK_MAX_THREADS + 1]; /* part t owns items [split[t], split[t + 1]) */
    struct rank_groups votes_by_item, opens_by_item; /* during rank_run only */
    /* during rank_run, when stage 5 runs: each vote as the factorisation reads it, by
     * votes_by_item position (written by the item pass; a discounted-to-0 vote is
     * kept with weight 0, which adds exactly nothing to any sum) */
    struct rank_bvote *bvotes;
    struct rank_timing timing;
    bool no_seeds;          /* nobody is a seed: trust could not be computed */
    struct rank_bridge br;  /* stage 5's model (mpar/ipar NULL when the stage is off) */
};

/* trust.c: fills st->trust. */
void rank_trust(struct rank_state *st);
/* cluster.c: fills st->cluster and st->cluster_size. */
void rank_clusters(struct rank_state *st);
/* par.c: a zeroed array of n things, on huge pages where the kernel allows (page faults on
 * first touch were a sixth of a full run at 1M members, and random reads stop missing the
 * TLB). Freed with free(); never NULL. */
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
/* engine.c: one vote's or open's evidence added to its item's result (k: the vote's snapshot
 * index, or SIZE_MAX outside a full run); a vote's final weight from its raw weight once its
 * item's sums are complete. */
#define RANK_OUTSIDE_GROUP (UINT32_MAX - 1) /* per-item group of outside-arrival votes */
void rank_evidence_vote(struct rank_state *st, const struct rank_vote *v, size_t k);
void rank_evidence_open(struct rank_state *st, const struct rank_open *o);
double rank_settle_vote(struct rank_state *st, const struct rank_vote *v, double raw);
/* items.c: st->votes_by_item, opens_by_item and item_split; then, per part, every item's
 * evidence and settled vote weights (a rank_parallel function on the state). */
void rank_group_by_item(struct rank_state *st);
void rank_items_part(void *ctx, int part, int nparts);
/* bridge.c: stage 5 over every item after the item pass (needs votes_by_item, bvotes and
 * the settled vote_weight); the same for one item from its settled votes (v: who = member, n of them);
 * the shared pieces. */
void rank_bridge_run(struct rank_state *st, const struct rank_warm *warm);
/* Whether p's stage 5 settings can be used (dims from min_dims up; lambdas of at least 1e-6,
 * at least one pass each way, min_votes and min_share not negative). */
bool rank_bridge_params_valid(const struct rank_params *p, int min_dims);
void rank_bridge_replay(struct rank_state *st, uint32_t item, const struct rank_bvote *v, size_t n);
void rank_bridge_item_solve(const struct rank_bridge *br, const struct rank_bvote *v, size_t n,
                            float *out);
void rank_bridge_item_camp(const struct rank_bridge *br, const struct rank_bvote *v, size_t n,
                           const float *ipar, struct rank_item_result *r);
void rank_bridge_fit_grouped(struct rank_bridge *br, const struct rank_groups *by_member,
                             int nthreads, const struct rank_warm *warm);
/* engine.c helpers used by explain.c */
double rank_damp(double sum);
uint64_t rank_mix64(uint64_t x);

#endif
