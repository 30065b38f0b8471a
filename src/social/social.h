/* The relationship graph's algorithms: communities, influence (docs/influence.md) and
 * who-to-follow suggestions. Pure C, no I/O, no globals, no locks: members are indices 0..n-1,
 * and every function reads its inputs only during the call (it keeps no pointer to them).
 * Outputs go to caller-allocated arrays; results are the same for the same inputs and seed. */
#ifndef GUILD_SOCIAL_SOCIAL_H
#define GUILD_SOCIAL_SOCIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A directed edge: from follows to; for ties, an undirected trust tie (a connection or an
 * endorsement). */
struct social_edge {
    uint32_t from, to;
};

struct social_graph {
    size_t n;
    const struct social_edge *follows;
    size_t nfollows;
    const struct social_edge *ties;
    size_t nties;
};

/* Compressed adjacency of a graph: for member m, the members m follows are out[out_at[m] ..
 * out_at[m+1]), its followers in[in_at[m] .. in_at[m+1]), its ties tie[tie_at[m] ..
 * tie_at[m+1]). Built by social_adj_build (heap; social_adj_free); sorted, duplicates and
 * self-edges dropped, edges naming no member ignored. */
struct social_adj {
    size_t n;
    size_t *out_at, *in_at, *tie_at;
    uint32_t *out, *in, *tie;
};
void social_adj_build(const struct social_graph *g, struct social_adj *adj);
void social_adj_free(struct social_adj *adj);
bool social_adj_has(const uint32_t *list, size_t from, size_t to, uint32_t v);

/* Communities by label propagation over follows and ties taken as undirected: label[m] is the
 * smallest member index of m's community. Deterministic for a seed. */
void social_communities(const struct social_adj *adj, uint64_t seed, uint32_t *label);

/* Influence (docs/influence.md): for each member, the sum over the communities its followers
 * come from of that community's openness weight times the square root of the summed standing
 * (0..1; the ranker's trust) of the followers from it. influence[n] is written. */
#define SOCIAL_OPEN_HALF 5.0 /* outside followers that make a community half open */
#define SOCIAL_CLOSED_WEIGHT 0.1 /* what a community nobody outside follows still counts */
void social_influence(const struct social_adj *adj, const uint32_t *label, const double *standing,
                      double *influence);

#endif
