/* ranksim internals: the simulated guild (world), graphs, baselines and metrics. */
#ifndef GUILD_BENCH_SIM_H
#define GUILD_BENCH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../src/rank/rank.h"

struct rng {
    uint64_t s;
};
uint64_t rng_next(struct rng *r);
double rng_unit(struct rng *r);
double rng_beta22(struct rng *r); /* Beta(2,2) */

/* An undirected graph over n nodes (honest region). */
struct graph {
    size_t n;
    struct rank_edge *edges;
    size_t nedges;
};
/* Loads a SNAP edge list (gzipped or plain), keeps the BFS ball of `want` nodes around a
 * high-degree start, relabelled 0..n-1. Returns 0 or -1 with a message on stderr. */
int graph_load(const char *path, size_t want, struct graph *g);
/* Preferential-attachment graph with m edges per new node (deterministic from r). */
void graph_synthetic(size_t n, int m, struct rng *r, struct graph *g);
void graph_free(struct graph *g);

/* followspam: sybils that follow everyone and send connection requests, a few of which honest
 * members accept (each a trust edge; their follows are no edges in the trust walk, so the
 * simulation has nothing to add for them); endorsering: the ring also endorses itself (trust
 * edges among its members). */
enum scenario { SC_CLEAN, SC_SYBIL, SC_RING, SC_BRIGADE, SC_OFFTOPIC, SC_SELFPROMO,
                SC_FOLLOWSPAM, SC_ENDORSERING, SC_FRIENDLYRING, SC_FACTION, SC_ALL, SC_COUNT };
extern const char *const scenario_names[SC_COUNT];

/* guild: the quality list (lower bound: directory, "top"); guild_front: the front page (bound
 * with decay and exploration slots). Every guild variant browses its front page. */
enum algorithm { ALG_NETSCORE, ALG_HN, ALG_REDDIT_HOT, ALG_REDDIT_BEST, ALG_LOBSTERS, ALG_GUILD,
                 ALG_GUILD_FRONT, ALG_GUILD_NOCLUSTER, ALG_COMMUNITYNOTES, ALG_GUILD_NOBRIDGE,
                 ALG_POSTERIOR, ALG_COUNT };
/* ALG_POSTERIOR is a reference, run only with --with-posterior (baselines.c says what it is) */
extern const char *const algorithm_names[ALG_COUNT];

struct sim_config {
    uint64_t seed;
    const struct graph *honest;
    size_t items;
    int rounds;
    size_t sybils, attack_edges, ring, brigade;
    bool posterior; /* --with-posterior: also the reference rows (baselines.c) */
    int engine_threads; /* the engine's own (rank_params.threads; results do not depend on it) */
};

struct sim_result {
    double ndcg10;
    int target_best_rank; /* best rank any attacker target reached (1-based); -1 none */
    double attacker_top10_share;
    double honest_weight_kept;
    double ms; /* time of the final ranking computation (other runs may share the cores) */
    /* guild with cfg->posterior: the reference posterior's NDCG@10 over the honest readers'
     * evidence only (votes and opens) of this same run, which Guild's own exposure gathered:
     * what a defence that knew every attacker could reach on it. -1 otherwise. */
    double oracle_ndcg10;
};

/* Runs one scenario under one algorithm. */
void sim_run(const struct sim_config *cfg, enum scenario sc, enum algorithm alg,
             struct sim_result *out);

/* Scores for a baseline (higher ranks first); items not yet visible are skipped by caller. */
void baseline_scores(enum algorithm alg, const struct rank_snapshot *s, double *score);
void posterior_scores(const struct rank_snapshot *s, const uint32_t *looks, double *score);

#endif
