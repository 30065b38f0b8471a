/* The votes cast on the portal. Honest customers look at a few ideas, open those whose title
 * draws them in (better ideas more often), judge each with some noise against a threshold of
 * their own, and want to upvote what beats it and now and then downvote what falls well
 * short. With ten open votes each, they keep their ten favourites. Attackers spend one of
 * their votes on the target. Honest draws come from one stream and the attack's from
 * another, so an honest-only run and an attacked run share every honest draw. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "ideasim.h"

#define OWN_PREF 9.0f /* a submitter's own vote, cast on submitting: spent first */

struct wish {
    uint32_t item;
    int8_t value;
    bool outside; /* opened it after arriving from an outside link */
    float pref;   /* perceived quality: the budget keeps the highest upvotes first */
};

static void push_vote(struct rank_vote **v, size_t *n, size_t *cap, struct rank_vote x)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = x;
}

static void push_open(struct ballots *b, uint32_t m, uint32_t item, bool inside)
{
    if (b->nopens == b->capopens) {
        b->capopens = b->capopens ? b->capopens * 2 : 4096;
        b->opens = xrealloc(b->opens, b->capopens * sizeof(*b->opens));
    }
    b->opens[b->nopens++] = (struct rank_open){m, item, inside};
}

static struct rank_vote as_vote(const struct world *w, uint32_t m, const struct wish *x)
{
    return (struct rank_vote){m, x->item, x->value, true, x->outside, w->now - 3600};
}

/* One vote into both lists: a vote within the budget is one the app stores. */
static void cast_kept(const struct world *w, uint32_t m, const struct wish *x, struct ballots *b)
{
    push_vote(&b->all, &b->nall, &b->capall, as_vote(w, m, x));
    push_vote(&b->kept, &b->nkept, &b->capkept, as_vote(w, m, x));
}

static double normal(struct rng *r)
{
    double u = rng_unit(r), v = rng_unit(r);
    return sqrt(-2.0 * log(u > 0 ? u : 1e-300)) * cos(2.0 * 3.14159265358979323846 * v);
}

/* Upvotes first, the best liked first; then downvotes, the least liked first. */
static int cmp_wish(const void *a, const void *b)
{
    const struct wish *x = a, *y = b;
    if (x->value != y->value) {
        return x->value > y->value ? -1 : 1;
    }
    float kx = x->value > 0 ? -x->pref : x->pref, ky = y->value > 0 ? -y->pref : y->pref;
    if (kx != ky) {
        return kx < ky ? -1 : 1;
    }
    return (x->item > y->item) - (x->item < y->item);
}

/* The votes member m would cast with no budget: their own ideas, then what they browsed.
 * out holds IDEAS + 1 wishes. */
static size_t member_wishes(const struct world *w, uint32_t m, struct rng *r,
                            struct ballots *b, struct wish *out)
{
    size_t n = 0;
    for (uint32_t i = 0; i < IDEAS; i++) {
        if (w->items[i].submitter == m) {
            out[n++] = (struct wish){i, 1, false, OWN_PREF};
        }
    }
    const struct voter *v = &w->voters[m];
    if (!v->active) {
        return n;
    }
    uint32_t pick[IDEAS];
    for (uint32_t i = 0; i < IDEAS; i++) {
        pick[i] = i;
    }
    int32_t aff = w->members[m].affiliation;
    for (size_t k = 0; k < v->browse && k < IDEAS; k++) {
        size_t j = k + (size_t)(rng_next(r) % (IDEAS - k)); /* partial Fisher-Yates */
        uint32_t i = pick[j];
        pick[j] = pick[k], pick[k] = i;
        double q = w->q[i], open = rng_unit(r), from = rng_unit(r), noise = normal(r),
               down = rng_unit(r);
        if (open >= 0.25 + 0.5 * q || w->items[i].submitter == m) {
            continue; /* the title did not draw them in */
        }
        bool outside = from < 0.1; /* a notification e-mail, a link in a chat */
        push_open(b, m, i, !outside);
        bool colleague = aff >= 0 && aff == w->items[i].affiliation;
        double p = q + 0.12 * noise + (colleague ? 0.3 : 0.0); /* colleagues like theirs */
        if (p > v->threshold) {
            out[n++] = (struct wish){i, 1, outside, (float)p};
        } else if (p < v->threshold - 0.3 && down < 0.3) {
            out[n++] = (struct wish){i, -1, outside, (float)p};
        }
    }
    return n;
}

/* Every wish is a vote for the plain count; the budget keeps the first BUDGET (after a
 * forced vote, which takes one of them). */
static void spend(const struct world *w, uint32_t m, struct wish *x, size_t n,
                  const struct wish *forced, struct ballots *b)
{
    qsort(x, n, sizeof(*x), cmp_wish);
    size_t budget = BUDGET;
    if (forced != NULL) {
        cast_kept(w, m, forced, b);
        budget--;
    }
    for (size_t k = 0; k < n; k++) {
        if (forced != NULL && x[k].item == forced->item) {
            continue; /* already cast */
        }
        if (budget > 0) {
            cast_kept(w, m, &x[k], b);
            budget--;
        } else {
            push_vote(&b->all, &b->nall, &b->capall, as_vote(w, m, &x[k]));
        }
    }
}

static bool opened(const struct ballots *b, size_t from, uint32_t m, uint32_t item)
{
    for (size_t k = from; k < b->nopens; k++) {
        if (b->opens[k].member == m && b->opens[k].item == item) {
            return true;
        }
    }
    return false;
}

/* The vendor's staff and the pile-on's existing members: their honest votes, and the target
 * upvote that takes one of their ten (opened from the portal, or from the outside link). */
static void honest_members(const struct world *w, bool attack, struct ballots *b)
{
    struct rng r = idea_stream(w->seed, 2);
    struct wish *x = xmalloc((IDEAS + 1) * sizeof(*x));
    bool pileon = w->sc == IS_PILEON;
    for (uint32_t m = 0; m < w->nhonest; m++) {
        size_t first_open = b->nopens;
        size_t n = member_wishes(w, m, &r, b, x);
        bool forced = attack && (w->sc == IS_VENDOR || pileon) && world_in_cast(w, m);
        struct wish f = {w->target, 1, pileon, OWN_PREF};
        if (forced && !opened(b, first_open, m, w->target)) {
            push_open(b, m, w->target, !pileon);
        }
        spend(w, m, x, n, forced ? &f : NULL, b);
    }
    free(x);
}

/* An account opens an idea and upvotes it. */
static void open_up(const struct world *w, uint32_t m, uint32_t item, bool outside,
                    struct ballots *b)
{
    struct wish x = {item, 1, outside, OWN_PREF};
    push_open(b, m, item, !outside);
    cast_kept(w, m, &x, b);
}

/* The recently joined accounts. The ring opens its idea from the portal, backs the ring's
 * other ideas and, to look like customers, three good-looking ideas; the pile-on's new
 * accounts arrive through the outside link and vote on the target alone. */
static void new_accounts(const struct world *w, struct ballots *b)
{
    struct rng r = idea_stream(w->seed, 200 + (uint64_t)w->sc);
    for (size_t k = 0; k < w->ncast; k++) {
        uint32_t m = w->cast[k];
        if (m < w->nhonest) {
            continue; /* existing members voted with the honest ones */
        }
        open_up(w, m, w->target, w->sc == IS_PILEON, b);
        if (w->sc != IS_RING) {
            continue;
        }
        for (int s = 0; s < 2; s++) {
            if (w->items[w->side[s]].submitter == m || rng_unit(&r) < 0.5) {
                open_up(w, m, w->side[s], false, b);
            }
        }
        for (int c = 0; c < 3;) {
            uint32_t i = (uint32_t)(rng_next(&r) % IDEAS);
            if (w->q[i] > 0.6 && i != w->target && i != w->side[0] && i != w->side[1] &&
                !opened(b, b->nopens - (size_t)c, m, i)) {
                open_up(w, m, i, false, b);
                c++;
            }
        }
    }
}

void ballots_cast(const struct world *w, bool attack, struct ballots *b)
{
    memset(b, 0, sizeof(*b));
    honest_members(w, attack, b);
    if (attack) {
        new_accounts(w, b);
    }
}

void ballots_free(struct ballots *b)
{
    free(b->all), free(b->kept), free(b->opens);
    memset(b, 0, sizeof(*b));
}
