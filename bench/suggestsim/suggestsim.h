/* bench/suggestsim: who-to-follow algorithms measured on real follow graphs (issue 16). */
#ifndef GUILD_BENCH_SUGGESTSIM_H
#define GUILD_BENCH_SUGGESTSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../src/social/social.h"

#define SIM_K 10

/* An algorithm's top SIM_K for u (never u, never someone u follows): fills out, returns how
 * many. ctx is the algorithm's own working memory for this graph. */
struct sim_algo {
    const char *name;
    void *(*setup)(const struct social_adj *g);
    size_t (*top)(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out);
    void (*done)(void *ctx);
};

extern const struct sim_algo sim_common_neighbors, sim_adamic_adar, sim_ppr, sim_salsa,
    sim_guild;

/* Dense per-member scores with a list of the touched ones (reset in O(touched)). */
struct sim_scores {
    double *v;
    uint32_t *touched;
    size_t ntouched, n;
};
void sim_scores_init(struct sim_scores *s, size_t n);
void sim_scores_fini(struct sim_scores *s);
void sim_scores_add(struct sim_scores *s, uint32_t m, double x);
void sim_scores_clear(struct sim_scores *s);
/* The best SIM_K touched members by score (ties: lower index), not u, not followed by u. */
size_t sim_scores_top(const struct sim_scores *s, const struct social_adj *g, uint32_t u,
                      uint32_t *out);

#endif
