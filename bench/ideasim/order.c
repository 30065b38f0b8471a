/* The three orders of the portal's ideas and how they are measured. count: net upvotes of
 * every vote anyone wanted to cast; uservoice: the same over the votes kept within each
 * voter's budget; guild: src/rank's lower bound over those votes, the opens and the trust
 * graph. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "ideasim.h"

const char *const idea_algorithm_names[IA_NALG] = {"count", "uservoice", "guild"};

struct scored {
    uint32_t i;
    double score;
};

/* Higher scores first; ties by idea index, the same in every run. */
static int cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return (x->i > y->i) - (x->i < y->i);
}

static void net_scores(const struct rank_vote *v, size_t n, double *score)
{
    for (size_t k = 0; k < n; k++) {
        score[v[k].item] += v[k].value;
    }
}

/* IDEASIM_DEBUG=1: the target's evidence under guild, and the attacking accounts' trust. */
static void debug_target(const struct world *w, const struct rank_state *st)
{
    const struct rank_item_result *r = rank_item_get(st, w->target);
    double tsum = 0;
    for (size_t k = 0; k < w->ncast; k++) {
        tsum += rank_member_trust(st, w->cast[k]);
    }
    fprintf(stderr, "debug %s target: ups %d downs %d up_w %.2f down_w %.2f silent %.2f "
            "openers %.2f out_up %.2f out_down %.2f conflict %d low_trust %d mean %.3f "
            "bound %.3f; cast trust sum %.2f of %zu\n", idea_scenario_names[w->sc],
            r->ups, r->downs, r->up_weight, r->down_weight, r->silent_weight,
            r->trusted_openers, r->outside_up, r->outside_down, r->conflict, r->low_trust,
            r->mean, r->bound, tsum, w->ncast);
}

static void guild_scores(const struct world *w, const struct ballots *b, double *score)
{
    struct rank_snapshot snap = {w->members, w->nmembers, w->edges, w->nedges, w->items,
                                 IDEAS, b->opens, b->nopens, b->kept, b->nkept, w->now};
    struct rank_params p;
    rank_params_default(&p);
    struct rank_state *st = NULL;
    if (rank_run(&snap, &p, &st) != 0) {
        abort(); /* the world is built valid: an error here is a bug in the benchmark */
    }
    for (size_t i = 0; i < IDEAS; i++) {
        score[i] = rank_item_get(st, i)->bound;
    }
    if (getenv("IDEASIM_DEBUG") != NULL) {
        debug_target(w, st);
    }
    rank_state_free(st); /* before snap leaves scope: the state reads it */
}

void ideas_rank(const struct world *w, const struct ballots *b, enum idea_algorithm alg,
                uint32_t *order)
{
    double score[IDEAS] = {0};
    if (alg == IA_COUNT) {
        net_scores(b->all, b->nall, score);
    } else if (alg == IA_USERVOICE) {
        net_scores(b->kept, b->nkept, score);
    } else {
        guild_scores(w, b, score);
    }
    struct scored s[IDEAS];
    for (uint32_t i = 0; i < IDEAS; i++) {
        s[i] = (struct scored){i, score[i]};
    }
    qsort(s, IDEAS, sizeof(*s), cmp_scored);
    for (size_t k = 0; k < IDEAS; k++) {
        order[k] = s[k].i;
    }
}

int ideas_place(const uint32_t *order, uint32_t item)
{
    for (size_t k = 0; k < IDEAS; k++) {
        if (order[k] == item) {
            return (int)k + 1;
        }
    }
    return -1;
}

static int cmp_double_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

double ideas_ndcg10(const struct world *w, const uint32_t *order)
{
    double best[IDEAS], dcg = 0, idcg = 0;
    memcpy(best, w->q, sizeof(best));
    qsort(best, IDEAS, sizeof(*best), cmp_double_desc);
    for (size_t k = 0; k < 10; k++) {
        dcg += w->q[order[k]] / log2((double)k + 2);
        idcg += best[k] / log2((double)k + 2);
    }
    return idcg > 0 ? dcg / idcg : 0;
}
