/* ideasim internals: the simulated idea portal (the world), the votes cast on it (ballots)
 * and the three rankings compared (count, uservoice, guild). */
#ifndef GUILD_BENCH_IDEASIM_H
#define GUILD_BENCH_IDEASIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../ranksim/sim.h" /* struct graph, graph_load, struct rng and its draws */

#define IDEAS 200          /* ideas on the portal */
#define BUDGET 10          /* open votes a member may hold on one portal (the app enforces it) */
#define BALL 2000          /* members: the BFS ball of the real graph */
#define TARGET_QRANK 90    /* the attacked idea: the 90th best of 200 by hidden quality */

enum idea_scenario { IS_CLEAN, IS_RING, IS_VENDOR, IS_PILEON, IS_COUNT };
extern const char *const idea_scenario_names[IS_COUNT];

enum idea_algorithm { IA_COUNT, IA_USERVOICE, IA_GUILD, IA_NALG };
extern const char *const idea_algorithm_names[IA_NALG];

/* How one member uses the portal: drawn once per seed, the same in every scenario and in
 * both the honest-only and the attacked run. */
struct voter {
    bool active;     /* browses the portal at all (most customers never do) */
    uint8_t browse;  /* ideas looked at */
    float threshold; /* perceived quality an idea must beat for an upvote */
};

struct world {
    uint64_t seed;
    enum idea_scenario sc;
    size_t nhonest;  /* members of the real graph: 0 .. nhonest-1 */
    size_t nmembers; /* plus recently joined attacking accounts after them */
    struct rank_member *members;
    struct voter *voters;
    uint32_t *degree; /* per member, in the real graph */
    struct rank_edge *edges;
    size_t nedges;
    struct rank_item items[IDEAS];
    double q[IDEAS]; /* hidden true quality */
    uint32_t target;
    int32_t host, attack_org;
    uint32_t *cast; /* the attacking accounts (existing members first, new ones after) */
    size_t ncast;
    uint32_t side[2]; /* ring: the ring's two other ideas */
    int64_t t0, now;
};

/* A random stream of its own per purpose (salt): a change in one part of the simulation
 * leaves the draws of the others alone. */
struct rng idea_stream(uint64_t seed, uint64_t salt);

/* Builds the portal of scenario sc on the honest graph g. Free with world_free. */
void world_build(struct world *w, const struct graph *g, uint64_t seed, enum idea_scenario sc);
void world_free(struct world *w);
bool world_in_cast(const struct world *w, uint32_t m);

/* Every vote and open of one run. all: every vote anyone wanted to cast (what a plain count
 * sees); kept: each voter's votes within the budget (what the app stores: uservoice, guild). */
struct ballots {
    struct rank_vote *all, *kept;
    size_t nall, nkept, capall, capkept;
    struct rank_open *opens;
    size_t nopens, capopens;
};

/* Casts the honest members' votes and, with attack, the scenario's attack. Deterministic
 * from the world's seed; the honest votes are the same draws in both runs. */
void ballots_cast(const struct world *w, bool attack, struct ballots *b);
void ballots_free(struct ballots *b);

/* order[0..IDEAS-1]: the ideas best first under alg. */
void ideas_rank(const struct world *w, const struct ballots *b, enum idea_algorithm alg,
                uint32_t *order);
/* 1-based place of item in order. */
int ideas_place(const uint32_t *order, uint32_t item);
/* NDCG@10 of order against the hidden qualities. */
double ideas_ndcg10(const struct world *w, const uint32_t *order);

#endif
