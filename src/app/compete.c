/* A competition's results: each entry's members' estimate (the ranker's trust-weighted lower
 * bound, as on every list) combined with its judges' mean score by the competition's stated
 * weight, ranked, and each place explained in sentences. */
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../rank/rank.h"
#include "app.h"

#define WHY_MAX 5

static int by_score(const void *x, const void *y)
{
    const struct app_entry *a = x, *b = y;
    if (a->score != b->score) {
        return a->score < b->score ? 1 : -1;
    }
    return (a->it.id > b->it.id) - (a->it.id < b->it.id); /* a tie goes to the earlier entry */
}

static void entry_score(struct app_entry *e, const struct store_competition *c,
                        const struct store_judge_mean *m, size_t nm)
{
    struct rank_params p;
    rank_params_default(&p);
    /* not ranked yet (entered since the ranker's last full run): the prior's bound, what the
     * ranker gives an entry without votes */
    e->bound = e->it.ranked_at > 0 ? e->it.score : rank_beta_bound(&p, 0.0, 0.0, NULL);
    for (size_t k = 0; k < nm; k++) {
        if (m[k].item_id == e->it.id) {
            e->judge_mean = m[k].mean;
            e->judges = m[k].judges;
        }
    }
    /* unscored by the judges: the members' estimate stands for the judges' part too, so a
     * judge who has not got to an entry yet neither sinks nor lifts it */
    double judged = e->judges > 0 ? e->judge_mean / 10.0 : e->bound;
    e->score = (1.0 - c->judge_weight) * e->bound + c->judge_weight * judged;
}

static void explain_place(struct arena *a, struct app_entry *list, size_t n, size_t i,
                          const struct store_competition *c, size_t njudges)
{
    struct app_entry *e = &list[i];
    e->why = arena_alloc(a, WHY_MAX * sizeof(*e->why));
    e->nwhy = 0;
    e->why[e->nwhy++] = arena_printf(
        a, "Members' estimate %.3f: the trust-weighted lower bound of %d upvote%s and %d "
           "downvote%s (how each vote was weighed: its explanation).",
        e->bound, e->it.ups, e->it.ups == 1 ? "" : "s", e->it.downs, e->it.downs == 1 ? "" : "s");
    if (c->judge_weight > 0) {
        e->why[e->nwhy++] =
            e->judges > 0
                ? arena_printf(a, "Judges: a mean of %.1f out of 10 from %d of %zu judge%s.",
                               e->judge_mean, e->judges, njudges, njudges == 1 ? "" : "s")
                : arena_printf(a, "No judge has scored it yet: the members' estimate stands "
                                  "for the judges' part.");
        e->why[e->nwhy++] = arena_printf(
            a, "Score: %.2f x %.3f (members) + %.2f x %.3f (judges) = %.3f.",
            1.0 - c->judge_weight, e->bound, c->judge_weight,
            e->judges > 0 ? e->judge_mean / 10.0 : e->bound, e->score);
    } else {
        e->why[e->nwhy++] = arena_printf(a, "Score: the members' estimate, %.3f (no judges' "
                                            "weight in this competition).", e->score);
    }
    if (i + 1 < n) {
        e->why[e->nwhy++] = arena_printf(a, "Place %zu of %zu: %.3f above place %zu, \"%s\".",
                                         i + 1, n, e->score - list[i + 1].score, i + 2,
                                         list[i + 1].it.title);
    } else {
        e->why[e->nwhy++] = arena_printf(a, "Place %zu of %zu.", i + 1, n);
    }
}

int app_competition_results(struct store *db, struct arena *a, const struct store_competition *c,
                            int64_t viewer, struct app_entry **out, size_t *n)
{
    struct store_group_query q = {.group_id = c->group_id, .competition_id = c->id,
                                  .sort = STORE_SORT_TOP, .limit = 500};
    struct store_item *items;
    struct store_judge_mean *means;
    int64_t *jids;
    char **jhandles;
    size_t ni, nm, nj;
    int rc = store_group_items(db, a, &q, 0, &items, &ni);
    if (rc == 0) {
        rc = store_judge_means(db, a, c->id, &means, &nm);
    }
    if (rc == 0) {
        rc = store_competition_judges(db, a, c->id, &jids, &jhandles, &nj);
    }
    if (rc != 0) {
        return rc;
    }
    struct app_entry *list = arena_alloc(a, (ni + 1) * sizeof(*list));
    for (size_t i = 0; i < ni && rc == 0; i++) {
        memset(&list[i], 0, sizeof(list[i]));
        rc = store_item_get(db, a, items[i].id, viewer, &list[i].it); /* with its explanation */
        entry_score(&list[i], c, means, nm);
    }
    if (rc != 0) {
        return rc;
    }
    qsort(list, ni, sizeof(*list), by_score);
    for (size_t i = 0; i < ni; i++) {
        list[i].place = (int)i + 1;
        explain_place(a, list, ni, i, c, nj);
    }
    *out = list;
    *n = ni;
    return 0;
}

static const char *phase_of(const struct store_competition *c, int64_t now)
{
    if (now < c->entry_start) {
        return "upcoming";
    }
    if (now < c->entry_end) {
        return now >= c->vote_start && now < c->vote_end ? "entries and voting" : "entries";
    }
    if (now < c->vote_start) {
        return "waiting for voting";
    }
    return now < c->vote_end ? "voting" : "closed";
}

int app_competition_page(struct http_request *rq, int64_t id, struct app_competition_page *p)
{
    struct store *db = http_db(rq);
    memset(p, 0, sizeof(*p));
    int rc = store_competition_get(db, &rq->arena, id, &p->c);
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "id", "No such competition.");
    }
    struct store_group g;
    if (rc == 0) {
        rc = store_competition_judges(db, &rq->arena, id, &p->judge_ids, &p->judges, &p->njudges);
    }
    if (rc == 0) {
        rc = app_competition_results(db, &rq->arena, &p->c, rq->user ? rq->user->id : 0,
                                     &p->entries, &p->nentries);
    }
    if (rc == 0) {
        rc = store_group_get_id(db, &rq->arena, p->c.group_id, &g);
    }
    if (rc == 0) {
        rc = rules_group_role(db, &rq->arena, rq->user, &g, &p->role);
    }
    for (size_t k = 0; rc == 0 && rq->user != NULL && k < p->njudges; k++) {
        p->judge |= p->judge_ids[k] == rq->user->id;
    }
    p->phase = phase_of(&p->c, rq->now);
    return rc;
}
