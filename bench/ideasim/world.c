/* The simulated idea portal: members of a real trust graph (customers of a company, the
 * host, which runs the portal), 200 ideas with a hidden quality, and the scenario's
 * attacking accounts. The base world is drawn from its own stream, in the same order in
 * every scenario, so that scenarios differ only by their attack's changes. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "ideasim.h"

const char *const idea_scenario_names[IS_COUNT] = {"clean", "ring", "vendor", "pileon"};

#define SEEDS 10        /* the admins' trusted members: the highest-degree customers */
#define RING 20         /* colleagues of the ring's submitter who joined to vote */
#define RING_ATTACH 2   /* connection requests honest members accepted (plus one invitation) */
#define VENDOR 15       /* the vendor's employees, long-standing members */
#define PILE_OLD 20     /* quiet existing members who followed the outside link */
#define PILE_NEW 20     /* accounts they invited on the way */
#define EXTRA_ACCOUNTS 20 /* the most accounts a scenario adds (ring, pileon) */

struct rng idea_stream(uint64_t seed, uint64_t salt)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL + salt * 0xbf58476d1ce4e5b9ULL + 1;
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    return (struct rng){x ? x : 1};
}

/* Organisations: the host is 0, customers 1 .. orgs, the attack's own is orgs + 1. */
static size_t customer_orgs(size_t n)
{
    return n / 25 + 1;
}

static void world_members(struct world *w, const struct graph *g, struct rng *r)
{
    size_t orgs = customer_orgs(g->n);
    w->host = 0;
    w->attack_org = (int32_t)orgs + 1;
    for (size_t e = 0; e < g->nedges; e++) {
        w->degree[g->edges[e].a]++, w->degree[g->edges[e].b]++;
    }
    for (size_t v = 0; v < g->n; v++) {
        /* 2% work for the host, 68% for a customer organisation, the rest independent */
        double u = rng_unit(r);
        int32_t aff = u < 0.02 ? w->host : (u < 0.70 ? 1 + (int32_t)(rng_next(r) % orgs) : -1);
        w->members[v] = (struct rank_member){RANK_NONE, aff, false};
        double a = rng_unit(r), b = rng_unit(r), c = rng_unit(r);
        /* three customers in twenty vote on this company's portal; most look at a few
         * ideas, nearly one in five at thirty or more (the ones whose budget runs out) */
        w->voters[v] = (struct voter){a < 0.15, (uint8_t)(3 + (int)(50 * b * b * b)),
                                      (float)(0.45 + 0.3 * c)};
    }
    for (int k = 0; k < SEEDS; k++) { /* the best-connected customers (not the host's staff) */
        size_t best = SIZE_MAX;
        for (size_t v = 0; v < g->n; v++) {
            if (!w->members[v].seed && w->members[v].affiliation != w->host &&
                (best == SIZE_MAX || w->degree[v] > w->degree[best])) {
                best = v;
            }
        }
        w->members[best].seed = true;
    }
}

struct by_quality {
    uint32_t i;
    double q;
};

static int cmp_by_quality(const void *a, const void *b)
{
    const struct by_quality *x = a, *y = b;
    if (x->q != y->q) {
        return x->q > y->q ? -1 : 1;
    }
    return (x->i > y->i) - (x->i < y->i);
}

/* Ideas arrive over 50 days; each carries its submitter's organisation and the host. */
static void world_ideas(struct world *w, struct rng *r)
{
    struct by_quality bq[IDEAS];
    for (uint32_t i = 0; i < IDEAS; i++) {
        uint32_t sub = (uint32_t)(rng_next(r) % w->nhonest);
        w->items[i] = (struct rank_item){RANK_IDEA, sub, w->members[sub].affiliation,
                                         w->t0 + (int64_t)i * (50 * 86400 / IDEAS), w->host};
        w->q[i] = rng_beta22(r);
        bq[i] = (struct by_quality){i, w->q[i]};
    }
    qsort(bq, IDEAS, sizeof(*bq), cmp_by_quality);
    w->target = bq[TARGET_QRANK - 1].i;
}

/* A random customer of the real graph: no seed, not the host's staff, not yet cast. */
static uint32_t random_customer(const struct world *w, struct rng *r, uint32_t min_degree,
                                bool inactive)
{
    for (;;) {
        uint32_t m = (uint32_t)(rng_next(r) % w->nhonest);
        if (!w->members[m].seed && w->members[m].affiliation != w->host &&
            w->degree[m] >= min_degree && (!inactive || !w->voters[m].active) &&
            !world_in_cast(w, m)) {
            return m;
        }
    }
}

/* A recently joined account: invited by `by`, no portal habits of its own. */
static uint32_t new_account(struct world *w, uint32_t by, int32_t aff)
{
    uint32_t m = (uint32_t)w->nmembers++;
    w->members[m] = (struct rank_member){by, aff, false};
    w->voters[m] = (struct voter){false, 0, 1.0f};
    return m;
}

/* Twenty colleagues of one customer organisation join within days: an invitation tree (each
 * invites three) hung off one honest member, endorsements among themselves, and two
 * connection requests honest members accepted: three edges into the honest graph. */
static void world_ring(struct world *w, struct rng *r)
{
    for (size_t k = 0; k < RING; k++) {
        uint32_t by = k == 0 ? random_customer(w, r, 1, false) : w->cast[(k - 1) / 3];
        uint32_t m = new_account(w, by, w->attack_org);
        w->cast[w->ncast++] = m;
        for (int j = 0; j < 2 && k >= 2; j++) {
            w->edges[w->nedges++] = (struct rank_edge){m, w->cast[rng_next(r) % k]};
        }
    }
    for (int k = 0; k < RING_ATTACH; k++) {
        w->edges[w->nedges++] = (struct rank_edge){random_customer(w, r, 1, false),
                                                   w->cast[rng_next(r) % RING]};
    }
    w->items[w->target].submitter = w->cast[0];
    w->items[w->target].affiliation = w->attack_org;
    for (int s = 0; s < 2; s++) { /* two more of the ring's ideas, of whatever quality */
        uint32_t i;
        do {
            i = (uint32_t)(rng_next(r) % IDEAS);
        } while (i == w->target || (s == 1 && i == w->side[0]));
        w->side[s] = i;
        w->items[i].submitter = w->cast[1 + s];
        w->items[i].affiliation = w->attack_org;
    }
}

/* Fifteen long-standing, well-connected members work for a vendor; one of them submits the
 * vendor's idea. */
static void world_vendor(struct world *w, struct rng *r)
{
    for (size_t k = 0; k < VENDOR; k++) {
        uint32_t m = random_customer(w, r, 5, false);
        w->members[m].affiliation = w->attack_org;
        w->cast[w->ncast++] = m;
    }
    w->items[w->target].submitter = w->cast[0];
    w->items[w->target].affiliation = w->attack_org;
}

/* The idea was shared outside (a forum thread): twenty members who rarely use the portal
 * follow the link, and each brings one newly invited account. The idea stays its submitter's. */
static void world_pileon(struct world *w, struct rng *r)
{
    for (size_t k = 0; k < PILE_OLD; k++) {
        w->cast[w->ncast++] = random_customer(w, r, 0, true);
    }
    size_t orgs = customer_orgs(w->nhonest);
    for (size_t k = 0; k < PILE_NEW; k++) {
        int32_t aff = rng_unit(r) < 0.5 ? -1 : 1 + (int32_t)(rng_next(r) % orgs);
        w->cast[w->ncast++] = new_account(w, w->cast[k], aff);
    }
}

bool world_in_cast(const struct world *w, uint32_t m)
{
    for (size_t k = 0; k < w->ncast; k++) {
        if (w->cast[k] == m) {
            return true;
        }
    }
    return false;
}

void world_build(struct world *w, const struct graph *g, uint64_t seed, enum idea_scenario sc)
{
    memset(w, 0, sizeof(*w));
    w->seed = seed;
    w->sc = sc;
    w->t0 = 1700000000;
    w->now = w->t0 + 60 * 86400;
    w->nhonest = w->nmembers = g->n;
    size_t cap = g->n + 2 * EXTRA_ACCOUNTS;
    w->members = xcalloc(cap, sizeof(*w->members));
    w->voters = xcalloc(cap, sizeof(*w->voters));
    w->degree = xcalloc(cap, sizeof(*w->degree));
    w->cast = xcalloc(PILE_OLD + PILE_NEW + RING + VENDOR, sizeof(*w->cast));
    w->edges = xmalloc((g->nedges + 3 * RING + 1) * sizeof(*w->edges));
    memcpy(w->edges, g->edges, g->nedges * sizeof(*w->edges));
    w->nedges = g->nedges;
    struct rng base = idea_stream(seed, 1), attack = idea_stream(seed, 100 + (uint64_t)sc);
    world_members(w, g, &base);
    world_ideas(w, &base);
    if (sc == IS_RING) {
        world_ring(w, &attack);
    } else if (sc == IS_VENDOR) {
        world_vendor(w, &attack);
    } else if (sc == IS_PILEON) {
        world_pileon(w, &attack);
    }
}

void world_free(struct world *w)
{
    free(w->members), free(w->voters), free(w->degree), free(w->cast), free(w->edges);
    memset(w, 0, sizeof(*w));
}
