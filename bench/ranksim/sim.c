/* The simulated guild: honest members browse ranked lists with position bias, open items more
 * often the better they are, and vote; attackers run the scenario's attack each round. Every
 * algorithm drives its own front page, so exposure follows its own ranking. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "../../src/core/util.h"
#include "sim.h"
#include "world.h"

const char *const scenario_names[SC_COUNT] = {"clean",    "sybil",     "ring",
                                             "brigade",  "offtopic",  "selfpromo",
                                             "followspam", "endorsering", "friendlyring",
                                             "faction", "all"};

#define SPAM_REQUESTS 20      /* connection requests each follow spammer sends */
#define SPAM_ACCEPTED 0.02    /* the share an honest member accepts (a stranger's request) */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    return x;
}

bool seen_test_set(struct world *w, uint32_t m, uint32_t item)
{
    if (w->seen_n * 2 >= w->seen_cap) {
        size_t old = w->seen_cap;
        uint64_t *prev = w->seen;
        w->seen_cap = old ? old * 2 : 1 << 16;
        w->seen = xcalloc(w->seen_cap, sizeof(*w->seen));
        w->seen_n = 0;
        for (size_t i = 0; i < old; i++) {
            if (prev[i]) {
                seen_test_set(w, (uint32_t)((prev[i] - 1) >> 32), (uint32_t)(prev[i] - 1));
            }
        }
        free(prev);
    }
    uint64_t key = ((uint64_t)m << 32 | item) + 1;
    for (size_t i = mix(key) & (w->seen_cap - 1);; i = (i + 1) & (w->seen_cap - 1)) {
        if (w->seen[i] == key) {
            return true;
        }
        if (w->seen[i] == 0) {
            w->seen[i] = key;
            w->seen_n++;
            return false;
        }
    }
}

void add_open(struct world *w, uint32_t m, uint32_t item, bool inside, bool honest)
{
    if (w->nopens == w->capopens) {
        w->capopens = w->capopens ? w->capopens * 2 : 4096;
        w->opens = xrealloc(w->opens, w->capopens * sizeof(*w->opens));
        w->open_honest = xrealloc(w->open_honest, w->capopens * sizeof(*w->open_honest));
    }
    w->open_honest[w->nopens] = honest;
    w->opens[w->nopens++] = (struct rank_open){m, item, inside};
}

void add_vote(struct world *w, uint32_t m, uint32_t item, int value, bool opened,
                     bool outside, bool honest, int round)
{
    if (w->nvotes == w->capvotes) {
        w->capvotes = w->capvotes ? w->capvotes * 2 : 4096;
        w->votes = xrealloc(w->votes, w->capvotes * sizeof(*w->votes));
        w->honest = xrealloc(w->honest, w->capvotes * sizeof(*w->honest));
    }
    w->honest[w->nvotes] = honest;
    w->votes[w->nvotes++] = (struct rank_vote){m, item, (int8_t)value, opened, opened && outside,
                                               w->t0 + (int64_t)round * 3600};
}

uint32_t add_item(struct world *w, uint32_t submitter, int32_t aff, double q, int role,
                         int round)
{
    size_t i = w->nitems++;
    w->items[i] = (struct rank_item){RANK_LINK, submitter, aff, w->t0 + (int64_t)round * 3600, -1};
    w->q[i] = q;
    w->role[i] = (uint8_t)role;
    w->arrive[i] = round;
    return (uint32_t)i;
}

uint32_t random_honest(struct world *w)
{
    return (uint32_t)(rng_next(&w->rng) % w->nhonest);
}

/* Distinct honest members who browse normally, marked with role. */
uint32_t *recruit(struct world *w, size_t n, int role)
{
    uint32_t *list = xmalloc((n + 1) * sizeof(*list));
    for (size_t k = 0; k < n; k++) {
        uint32_t m;
        do {
            m = random_honest(w);
        } while (w->mrole[m] != M_HONEST);
        w->mrole[m] = (uint8_t)role;
        list[k] = m;
    }
    return list;
}

static void world_honest(struct world *w)
{
    const struct sim_config *c = w->cfg;
    size_t n = c->honest->n, orgs = n / 25 + 1;
    uint32_t *deg = xcalloc(n, sizeof(*deg));
    for (size_t e = 0; e < c->honest->nedges; e++) {
        deg[c->honest->edges[e].a]++, deg[c->honest->edges[e].b]++;
    }
    for (size_t v = 0; v < n; v++) {
        int32_t aff = rng_unit(&w->rng) < 0.7 ? (int32_t)(rng_next(&w->rng) % orgs) : -1;
        w->members[v] = (struct rank_member){RANK_NONE, aff, false};
    }
    size_t want = n / 100 < 10 ? 10 : (n / 100 > 200 ? 200 : n / 100), got = 0;
    for (size_t tries = 0; got < want && tries < 100 * n; tries++) {
        uint32_t v = random_honest(w);
        if (deg[v] >= 3 && !w->members[v].seed) {
            w->members[v].seed = true, got++;
        }
    }
    free(deg);
    memcpy(w->edges, c->honest->edges, c->honest->nedges * sizeof(*w->edges));
    w->nedges = c->honest->nedges;
    for (size_t i = 0; i < c->items; i++) {
        uint32_t sub = random_honest(w);
        double u = rng_unit(&w->rng);
        int32_t aff = u < 0.15 ? w->members[sub].affiliation
                               : (u < 0.25 ? (int32_t)(rng_next(&w->rng) % orgs) : -1);
        add_item(w, sub, aff, rng_beta22(&w->rng), ROLE_HONEST,
                 (int)((double)i * c->rounds / (double)c->items));
    }
}

/* Connection requests from every sybil to random members; each one accepted is an attack
 * edge (following everyone, which they also do, is no edge at all). */
static void spam_requests(struct world *w)
{
    const struct sim_config *c = w->cfg;
    for (size_t k = 0; k < c->sybils; k++) {
        for (int r = 0; r < SPAM_REQUESTS; r++) {
            uint32_t h = random_honest(w);
            if (rng_unit(&w->rng) < SPAM_ACCEPTED) {
                w->edges[w->nedges++] = (struct rank_edge){h, w->first_sybil + (uint32_t)k};
            }
        }
    }
}

static void attack_sybil(struct world *w, bool requests)
{
    const struct sim_config *c = w->cfg;
    w->first_sybil = (uint32_t)w->nmembers;
    for (size_t k = 0; k < c->sybils; k++) {
        uint32_t s = (uint32_t)w->nmembers++;
        w->members[s] = (struct rank_member){RANK_NONE, -1, false};
        w->mrole[s] = M_SYBIL;
        for (int j = 0; j < 3 && k > 0; j++) { /* a dense fake region */
            w->edges[w->nedges++] = (struct rank_edge){s, w->first_sybil + (uint32_t)(rng_next(&w->rng) % k)};
        }
    }
    for (size_t k = 0; k < c->attack_edges && c->sybils > 0 && !requests; k++) {
        w->edges[w->nedges++] = (struct rank_edge){
            random_honest(w), w->first_sybil + (uint32_t)(rng_next(&w->rng) % c->sybils)};
    }
    if (requests) {
        spam_requests(w);
    }
    if (c->sybils > 0) {
        add_item(w, w->first_sybil, -1, 0.1, ROLE_TARGET, c->rounds / 4);
    }
}

static void attack_setup(struct world *w, enum scenario sc)
{
    const struct sim_config *c = w->cfg;
    int T = c->rounds;
    if (sc == SC_SYBIL || sc == SC_FOLLOWSPAM || sc == SC_ALL) {
        attack_sybil(w, sc == SC_FOLLOWSPAM);
    }
    if (sc == SC_FACTION) {
        faction_setup(w);
    }
    if (sc == SC_RING || sc == SC_ENDORSERING || sc == SC_FRIENDLYRING || sc == SC_ALL) {
        uint32_t leader = random_honest(w);
        w->ring = recruit(w, c->ring, M_RING), w->nring = c->ring;
        for (size_t a = 0; a < w->nring && sc == SC_FRIENDLYRING; a++) {
            w->mrole[w->ring[a]] = M_HONEST; /* they browse and vote like everyone else */
        }
        w->friendly = sc == SC_FRIENDLYRING;
        for (size_t a = 0; a < w->nring && (sc == SC_ENDORSERING || sc == SC_ALL); a++) {
            for (size_t b = a + 1; b < w->nring; b++) { /* each vouches for every other */
                w->edges[w->nedges++] = (struct rank_edge){w->ring[a], w->ring[b]};
            }
        }
        for (int k = 1; k <= 4; k++) {
            add_item(w, leader, -1, 0.3, ROLE_TARGET, k * T / 8);
        }
    }
    if (sc == SC_BRIGADE || sc == SC_ALL) {
        w->brigade = recruit(w, c->brigade, M_HONEST), w->nbrigade = c->brigade;
        w->victim = add_item(w, random_honest(w), -1, 0.9, sc == SC_BRIGADE ? ROLE_VICTIM : ROLE_HONEST, T / 4);
    }
    if (sc == SC_OFFTOPIC || sc == SC_ALL) {
        w->accomplices = recruit(w, 5, M_RING), w->naccomplices = 5;
        uint32_t spammer[2] = {random_honest(w), random_honest(w)};
        for (int k = 0; k < 10; k++) {
            add_item(w, spammer[k % 2], -1, 0.05, ROLE_TARGET, T / 4 + k * T / 20);
        }
    }
    if (sc == SC_SELFPROMO || sc == SC_ALL) {
        uint32_t promoter;
        do {
            promoter = random_honest(w);
        } while (w->members[promoter].affiliation < 0);
        int32_t org = w->members[promoter].affiliation;
        w->colleagues = xmalloc((w->nhonest + 1) * sizeof(*w->colleagues));
        for (size_t v = 0; v < w->nhonest; v++) {
            if (w->members[v].affiliation == org && v != promoter) {
                w->colleagues[w->ncolleagues++] = (uint32_t)v;
            }
        }
        for (int k = 0; k < 6; k++) {
            add_item(w, promoter, org, 0.35, ROLE_TARGET, T / 8 + k * T / 10);
        }
    }
}

static void world_init(struct world *w, const struct sim_config *c, enum scenario sc)
{
    memset(w, 0, sizeof(*w));
    w->cfg = c;
    w->rng.s = c->seed * 0x9e3779b97f4a7c15ULL + 1;
    w->t0 = 1700000000;
    w->nhonest = w->nmembers = c->honest->n;
    size_t maxm = c->honest->n + c->sybils + 1, maxi = c->items + 32;
    w->members = xcalloc(maxm, sizeof(*w->members));
    w->mrole = xcalloc(maxm, sizeof(*w->mrole));
    w->edges = xmalloc((c->honest->nedges + (3 + SPAM_REQUESTS) * c->sybils + c->attack_edges +
                        c->ring * c->ring + 1) * sizeof(*w->edges));
    w->items = xcalloc(maxi, sizeof(*w->items));
    w->q = xcalloc(maxi, sizeof(*w->q));
    w->role = xcalloc(maxi, sizeof(*w->role));
    w->arrive = xcalloc(maxi, sizeof(*w->arrive));
    w->looks = xcalloc(maxi, sizeof(*w->looks));
    world_honest(w);
    attack_setup(w, sc);
}

static void world_free(struct world *w)
{
    free(w->members), free(w->mrole), free(w->edges), free(w->items), free(w->q);
    free(w->role), free(w->arrive), free(w->looks), free(w->opens), free(w->open_honest), free(w->votes), free(w->honest);
    free(w->seen), free(w->ring), free(w->brigade), free(w->accomplices), free(w->colleagues);
    free(w->camp);
}

struct ranking {
    size_t *order; /* visible items, best first */
    size_t n;
    struct rank_state *state; /* guild algorithms only */
    struct rank_snapshot snap;
    double ms;
};

/* qsort has no context argument: the list being sorted, per thread (runs go in parallel) */
static _Thread_local const double *sort_scores;
static _Thread_local const struct rank_item *sort_items;
static int cmp_rank(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_scores[x] != sort_scores[y]) {
        return sort_scores[x] > sort_scores[y] ? -1 : 1;
    }
    return (sort_items[x].created_at < sort_items[y].created_at) - (sort_items[x].created_at > sort_items[y].created_at);
}

/* front: order by the front-page score (what members browse); else by the algorithm's
 * evaluated list (for guild: the quality list). */
static void rank_now(struct world *w, enum algorithm alg, int round, struct ranking *rk, bool front)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rk->snap = (struct rank_snapshot){w->members, w->nmembers, w->edges, w->nedges, w->items,
                                      w->nitems, w->opens, w->nopens, w->votes, w->nvotes,
                                      w->t0 + (int64_t)round * 3600};
    double *score = xcalloc(w->nitems + 1, sizeof(*score));
    struct rank_state *prev = rk->state;
    rk->state = NULL;
    if (alg == ALG_GUILD || alg == ALG_GUILD_FRONT || alg == ALG_GUILD_NOCLUSTER ||
        alg == ALG_GUILD_NOBRIDGE) {
        struct rank_params p;
        rank_params_default(&p);
        p.threads = w->cfg->engine_threads;
        p.bridge_dims = alg == ALG_GUILD_NOBRIDGE ? 0 : p.bridge_dims;
        if (alg == ALG_GUILD_NOCLUSTER) {
            p.cluster_min_common = 1 << 30;
            p.fan_min_votes = 0;
        }
        struct rank_warm *warm = rank_warm_take(prev, NULL, w->nitems); /* as the ranker does */
        if (rank_run_warm(&rk->snap, &p, warm, &rk->state) != 0) {
            abort();
        }
        rank_warm_free(warm);
        bool hot = front || alg == ALG_GUILD_FRONT;
        for (size_t i = 0; i < w->nitems; i++) {
            score[i] = hot ? rank_item_get(rk->state, i)->hot : rank_item_get(rk->state, i)->bound;
        }
    } else if (alg == ALG_COMMUNITYNOTES) {
        communitynotes_scores(&rk->snap, score);
    } else if (alg == ALG_POSTERIOR) {
        posterior_scores(&rk->snap, NULL, score);
    } else {
        baseline_scores(alg, &rk->snap, score);
    }
    rank_state_free(prev);
    rk->n = 0;
    for (size_t i = 0; i < w->nitems; i++) {
        if (w->arrive[i] <= round) {
            rk->order[rk->n++] = i;
        }
    }
    sort_scores = score, sort_items = w->items;
    qsort(rk->order, rk->n, sizeof(*rk->order), cmp_rank);
    free(score);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rk->ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* One honest member looks down a list with position bias. */
void browse(struct world *w, uint32_t m, const size_t *list, size_t n, int round)
{
    for (size_t pos = 0; pos < n && pos < 30; pos++) {
        if (rng_unit(&w->rng) > pow(0.88, (double)pos)) {
            continue;
        }
        uint32_t item = (uint32_t)list[pos];
        if (seen_test_set(w, m, item) || (w->camp != NULL && faction_vote(w, m, item, round))) {
            continue;
        }
        w->looks[item]++; /* an honest reader considers opening it */
        double q = w->q[item];
        bool colleague = w->members[m].affiliation >= 0 &&
                         w->members[m].affiliation == w->items[item].affiliation;
        if (rng_unit(&w->rng) < 0.1 + 0.5 * q) {
            bool outside = rng_unit(&w->rng) < 0.1; /* some saw it shared elsewhere first */
            add_open(w, m, item, !outside, true);
            double u = rng_unit(&w->rng), up = colleague ? fmin(1, q + 0.4) : 0.6 * q;
            if (u < up) {
                add_vote(w, m, item, 1, true, outside, true, round);
            } else if (u < up + 0.3 * (1 - q)) {
                add_vote(w, m, item, -1, true, outside, true, round);
            }
        } else if (rng_unit(&w->rng) < 0.02) { /* a few vote from the title alone */
            add_vote(w, m, item, rng_unit(&w->rng) < q ? 1 : -1, false, false, true, round);
        }
    }
}

/* Every cast member votes (once) on every visible item of the given role set. */
static void cast_votes(struct world *w, const uint32_t *cast, size_t n, uint32_t item, int value,
                       bool opened, int round, double share)
{
    for (size_t k = 0; k < n; k++) {
        if (rng_unit(&w->rng) < share && !seen_test_set(w, cast[k], item)) {
            /* recruited: they follow an outside link; a friendly ring's members find it in
             * the guild's own lists half the time */
            bool outside = !(w->friendly && rng_unit(&w->rng) < 0.5);
            if (opened) {
                add_open(w, cast[k], item, !outside, false);
            }
            add_vote(w, cast[k], item, value, opened, outside, false, round);
        }
    }
}

static void attacks(struct world *w, const struct ranking *rk, int round)
{
    for (size_t i = 0; i < w->nitems; i++) {
        if (w->arrive[i] > round || w->role[i] == ROLE_HONEST) {
            continue;
        }
        uint32_t sub = w->items[i].submitter;
        if (w->mrole[sub] == M_SYBIL) {
            for (size_t s = w->first_sybil; s < w->nmembers; s++) {
                if (rng_unit(&w->rng) < 0.3 && !seen_test_set(w, (uint32_t)s, (uint32_t)i)) {
                    add_open(w, (uint32_t)s, (uint32_t)i, false, false);
                    add_vote(w, (uint32_t)s, (uint32_t)i, 1, true, true, false, round);
                    for (size_t top = 0; top < 3 && top < rk->n; top++) { /* bury the best */
                        uint32_t t = (uint32_t)rk->order[top];
                        if (w->role[t] == ROLE_HONEST && !seen_test_set(w, (uint32_t)s, t)) {
                            add_open(w, (uint32_t)s, t, true, false); /* seen on the front page */
                            add_vote(w, (uint32_t)s, t, -1, true, false, false, round);
                        }
                    }
                }
            }
        } else if (w->items[i].affiliation >= 0 && w->ncolleagues > 0) {
            cast_votes(w, w->colleagues, w->ncolleagues, (uint32_t)i, 1, true, round, 0.5);
        } else if (w->q[i] < 0.1 && w->naccomplices > 0) {
            cast_votes(w, w->accomplices, w->naccomplices, (uint32_t)i, 1, true, round, 0.5);
        } else if (w->ring != NULL && w->role[i] == ROLE_TARGET) {
            cast_votes(w, w->ring, w->nring, (uint32_t)i, 1, true, round, 0.5);
        }
    }
    if (w->brigade != NULL && w->arrive[w->victim] <= round) {
        cast_votes(w, w->brigade, w->nbrigade, w->victim, -1, false, round, 0.5);
    }
}

static double ndcg10(const struct world *w, const struct ranking *rk)
{
    double dcg = 0, idcg = 0, best[10] = {0};
    for (size_t k = 0; k < rk->n && k < 10; k++) {
        dcg += w->q[rk->order[k]] / log2((double)k + 2);
    }
    for (size_t k = 0; k < rk->n; k++) { /* the ten best latent qualities among visible items */
        double q = w->q[rk->order[k]];
        for (int j = 0; j < 10; j++) {
            if (q > best[j]) {
                memmove(best + j + 1, best + j, (size_t)(9 - j) * sizeof(double));
                best[j] = q;
                break;
            }
        }
    }
    for (int j = 0; j < 10; j++) {
        idcg += best[j] / log2((double)j + 2);
    }
    return idcg > 0 ? dcg / idcg : 0;
}

/* The reference posterior over the honest evidence of w's final snapshot (see sim.h). */
static double oracle_ndcg10(struct world *w, const struct ranking *final)
{
    struct rank_vote *votes = xmalloc((w->nvotes + 1) * sizeof(*votes));
    struct rank_open *opens = xmalloc((w->nopens + 1) * sizeof(*opens));
    size_t nv = 0, no = 0;
    for (size_t k = 0; k < w->nvotes; k++) {
        if (w->honest[k]) {
            votes[nv++] = w->votes[k];
        }
    }
    for (size_t k = 0; k < w->nopens; k++) {
        if (w->open_honest[k]) {
            opens[no++] = w->opens[k];
        }
    }
    struct rank_snapshot snap = final->snap;
    snap.votes = votes, snap.nvotes = nv, snap.opens = opens, snap.nopens = no;
    double *score = xcalloc(w->nitems + 1, sizeof(*score));
    posterior_scores(&snap, w->looks, score);
    struct ranking rk = {xmalloc((w->nitems + 1) * sizeof(size_t)), 0, NULL, snap, 0};
    for (size_t i = 0; i < w->nitems; i++) {
        if (w->arrive[i] <= w->cfg->rounds) {
            rk.order[rk.n++] = i;
        }
    }
    sort_scores = score, sort_items = w->items;
    qsort(rk.order, rk.n, sizeof(*rk.order), cmp_rank);
    double ndcg = ndcg10(w, &rk);
    free(rk.order), free(score), free(opens), free(votes);
    return ndcg;
}

void sim_run(const struct sim_config *c, enum scenario sc, enum algorithm alg,
             struct sim_result *out)
{
    struct world w;
    world_init(&w, c, sc);
    struct ranking rk = {0};
    rk.order = xmalloc((w.nitems + 1) * sizeof(*rk.order));
    int best = -1;
    size_t browsers = w.nhonest / 33 > 20 ? w.nhonest / 33 : 20;
    for (int round = 0; round < c->rounds; round++) {
        rank_now(&w, alg, round, &rk, true);
        for (size_t k = 0; k < rk.n; k++) {
            uint8_t role = w.role[rk.order[k]];
            if ((role == ROLE_TARGET || role == ROLE_VICTIM) && (best < 0 || (int)k + 1 < best)) {
                best = (int)k + 1;
                if (getenv("RANKSIM_DEBUG") && rk.state) {
                    const struct rank_item_result *ir = rank_item_get(rk.state, rk.order[k]);
                    fprintf(stderr, "debug %s best %d at round %d: item %zu q=%.2f sub-role=%d ups=%d "
                                    "downs=%d up_w=%.2f down_w=%.2f silent=%.2f bound=%.3f explore=%d clustered=%d outside=%d clusters=%d out_up=%.2f openers=%.1f\n",
                            algorithm_names[alg], best, round, rk.order[k], w.q[rk.order[k]],
                            w.mrole[w.items[rk.order[k]].submitter], ir->ups, ir->downs,
                            ir->up_weight, ir->down_weight, ir->silent_weight, ir->bound, ir->exploring, ir->clustered, ir->outside, ir->clusters, ir->outside_up, ir->trusted_openers);
                }
            }
        }
        size_t *fresh = xmalloc((rk.n + 1) * sizeof(*fresh)), nf = 0;
        for (size_t i = w.nitems; i-- > 0;) {
            if (w.arrive[i] <= round) {
                fresh[nf++] = i;
            }
        }
        for (size_t b = 0; b < browsers; b++) {
            uint32_t m = random_honest(&w);
            if (w.mrole[m] == M_HONEST) {
                bool front = rng_unit(&w.rng) < 0.6;
                browse(&w, m, front ? rk.order : fresh, front ? rk.n : nf, round);
            }
        }
        if (w.camp != NULL) {
            faction_round(&w, rk.order, rk.n, fresh, nf, round);
        }
        free(fresh);
        attacks(&w, &rk, round);
    }
    rank_now(&w, alg, c->rounds, &rk, false);
    out->ndcg10 = ndcg10(&w, &rk);
    out->oracle_ndcg10 = c->posterior && alg == ALG_GUILD ? oracle_ndcg10(&w, &rk) : -1;
    for (size_t k = 0; getenv("RANKSIM_TOP") && rk.state && k < 10 && k < rk.n; k++) {
        const struct rank_item_result *ir = rank_item_get(rk.state, rk.order[k]);
        fprintf(stderr, "top %zu: q=%.2f ups=%d downs=%d up_w=%.1f down_w=%.1f silent=%.1f clustered=%d clusters=%d camp_up=%.1f camp_down=%.1f bound=%.3f\n",
                k, w.q[rk.order[k]], ir->ups, ir->downs, ir->up_weight, ir->down_weight, ir->silent_weight, ir->clustered, ir->clusters, ir->camp_up, ir->camp_down, ir->bound);
    }
    out->ms = rk.ms;
    int in_top = 0;
    for (size_t k = 0; k < rk.n && k < 10; k++) {
        in_top += w.role[rk.order[k]] == ROLE_TARGET;
    }
    out->attacker_top10_share = in_top / 10.0;
    out->target_best_rank = sc == SC_CLEAN ? -1 : best;
    double kept = 0, total = 0;
    for (size_t k = 0; k < w.nvotes; k++) {
        if (w.honest[k]) {
            enum rank_discount why;
            total += 1;
            kept += rk.state ? rank_vote_weight(rk.state, k, &why) : 1.0;
        }
    }
    out->honest_weight_kept = total > 0 ? kept / total : 1.0;
    if (getenv("RANKSIM_DEBUG") && rk.state) {
        faction_debug(&w, rk.state);
        double hs = 0, ss = 0;
        size_t hfull = 0, clustered_h = 0, hv = 0;
        for (size_t v = 0; v < w.nmembers; v++) {
            double t = rank_member_trust(rk.state, v);
            if (w.mrole[v] == M_SYBIL) {
                ss += t;
            } else {
                hs += t, hfull += t >= 0.999;
            }
        }
        for (size_t k = 0; k < w.nvotes; k++) {
            if (w.honest[k]) {
                hv++;
                clustered_h += rank_member_cluster(rk.state, w.votes[k].voter) != w.votes[k].voter;
            }
        }
        fprintf(stderr, "debug %s/%s: honest trust sum %.0f of %zu (full %zu), sybil trust sum %.1f "
                        "of %zu; honest votes %zu, in clusters %zu\n",
                scenario_names[sc], algorithm_names[alg], hs, w.nhonest, hfull, ss,
                w.nmembers - w.nhonest, hv, clustered_h);
    }
    rank_state_free(rk.state);
    free(rk.order);
    world_free(&w);
}
