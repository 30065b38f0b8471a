/* ranksim's world, shared by the simulation (sim.c) and the scenarios kept apart
 * (faction.c). */
#ifndef GUILD_BENCH_WORLD_H
#define GUILD_BENCH_WORLD_H

#include "sim.h"

enum { ROLE_HONEST, ROLE_TARGET, ROLE_VICTIM };         /* items */
enum { M_HONEST, M_RING, M_SYBIL };                       /* members */

struct world {
    struct rng rng;
    const struct sim_config *cfg;
    size_t nhonest, nmembers, nitems, nedges;
    struct rank_member *members;
    uint8_t *mrole;
    struct rank_edge *edges;
    struct rank_item *items;
    double *q;
    uint8_t *role;
    int *arrive;
    uint32_t *looks; /* per item: honest readers who considered opening it (browse) */
    struct rank_open *opens;
    size_t nopens, capopens;
    struct rank_vote *votes;
    bool *honest;
    bool *open_honest; /* per open: an honest reader's (browse), not an attack's */
    size_t nvotes, capvotes;
    uint64_t *seen; /* (member << 32 | item) + 1, open addressing */
    size_t seen_cap, seen_n;
    int64_t t0;
    /* attack casts */
    uint32_t *ring, *brigade, *accomplices, *colleagues;
    size_t nring, nbrigade, naccomplices, ncolleagues;
    uint32_t first_sybil, victim;
    uint8_t *camp; /* faction: per member 0 (none), 1 or 2 */
    bool friendly; /* the ring also browses and arrives from inside half the time */
};

bool seen_test_set(struct world *w, uint32_t m, uint32_t item);
void add_open(struct world *w, uint32_t m, uint32_t item, bool inside, bool honest);
void add_vote(struct world *w, uint32_t m, uint32_t item, int value, bool opened, bool outside,
              bool honest, int round);
uint32_t add_item(struct world *w, uint32_t submitter, int32_t aff, double q, int role, int round);
uint32_t random_honest(struct world *w);
uint32_t *recruit(struct world *w, size_t n, int role);
/* One member looks down a list (position bias) and opens and votes as their role makes them. */
void browse(struct world *w, uint32_t m, const size_t *list, size_t n, int round);

/* faction.c: two camps by organisation (even and odd ids; independents in neither), and
 * whether a partisan's encounter with an item was a camp vote (already recorded). */
void faction_setup(struct world *w);
bool faction_vote(struct world *w, uint32_t m, uint32_t item, int round);
/* faction.c: the partisans' extra visits of a round (front page: front, n; newest: fresh, nf). */
void faction_round(struct world *w, const size_t *front, size_t n, const size_t *fresh, size_t nf,
                   int round);
/* faction.c: the communitynotes baseline's scores (CN's filters: raters with 10 ratings,
 * notes with 5 raters; others score -1). */
void communitynotes_scores(const struct rank_snapshot *s, double *score);
/* faction.c, RANKSIM_DEBUG: where the camps sit on the fitted axis, and the weight moved. */
void faction_debug(const struct world *w, const struct rank_state *st);

#endif
