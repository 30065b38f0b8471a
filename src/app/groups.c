/* Groups in the application: a question's answers in their order (trust-weighted lower
 * bound; the accepted one first only while it is not clearly worse), an idea's status change
 * with its re-ranking, and a competition's results with an explanation of every place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"
#include "../rank/rank.h"
#include "app.h"

/* Whether the answerer is endorsed on one of the question's tags: OUT the topic (or NULL). */
static int endorsed_topic(struct store *db, struct arena *a, int64_t user_id, const char *tags,
                          const char **topic)
{
    struct store_endorsement *en;
    size_t n;
    *topic = NULL;
    int rc = store_endorsements_of(db, a, user_id, &en, &n);
    for (size_t k = 0; rc == 0 && k < n && *topic == NULL; k++) {
        size_t len = strlen(en[k].topic);
        for (const char *p = tags; p && *p; p += strcspn(p, " ") + (p[strcspn(p, " ")] != 0)) {
            if (strncmp(p, en[k].topic, len) == 0 && (p[len] == ' ' || p[len] == '\0')) {
                *topic = en[k].topic;
                break;
            }
        }
    }
    return rc;
}

/* Each answer's weighted evidence: trust x read factor, nothing from the answerer's own
 * organisation (before the ranker's first run, when no trust is known, everyone counts 1). */
static void answer_evidence(struct app_answer *out, size_t n, const struct store_answer_vote *v,
                            size_t nv, bool trust_known, const struct rank_params *p)
{
    for (size_t k = 0; k < nv; k++) {
        for (size_t i = 0; i < n; i++) {
            if (out[i].a.id != v[k].answer_id) {
                continue;
            }
            bool conflict = v[k].domain[0] != '\0' && out[i].a.domain[0] != '\0' &&
                            strcasecmp(v[k].domain, out[i].a.domain) == 0;
            double w = rank_lone_vote_weight(p, trust_known ? v[k].trust : 1.0, v[k].opened,
                                             v[k].value, conflict);
            *(v[k].value > 0 ? &out[i].up_weight : &out[i].down_weight) += w;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double mean;
        out[i].bound = rank_beta_bound(p, out[i].up_weight, out[i].down_weight, &mean);
        out[i].upper = mean + (mean - out[i].bound);
    }
}

static int by_bound(const void *x, const void *y)
{
    const struct app_answer *a = x, *b = y;
    if (a->bound != b->bound) {
        return a->bound < b->bound ? 1 : -1;
    }
    return (a->a.id > b->a.id) - (a->a.id < b->a.id); /* the older answer first */
}

/* The accepted answer goes first unless the best answer's lower bound is above the accepted
 * one's upper bound: then it is clearly worse, and it keeps its place with its mark. */
static void pin_accepted(struct app_answer *list, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (list[i].accepted && !(list[0].bound > list[i].upper)) {
            struct app_answer acc = list[i];
            memmove(&list[1], &list[0], i * sizeof(*list));
            list[0] = acc;
            list[0].pinned = true;
            return;
        }
    }
    if (n > 0 && list[0].accepted) {
        list[0].pinned = true;
    }
}

int app_question_answers(struct store *db, struct arena *a, const struct store_item *q,
                         int64_t viewer, struct app_answer **out, size_t *n)
{
    struct store_answer *ans;
    struct store_answer_vote *votes;
    size_t na, nv;
    bool trust_known = false;
    int rc = store_answers(db, a, q->id, viewer, &ans, &na);
    if (rc == 0) {
        rc = store_answer_votes(db, a, q->id, &votes, &nv);
    }
    if (rc == 0) {
        rc = store_trust_known(db, &trust_known);
    }
    if (rc != 0) {
        return rc;
    }
    struct app_answer *list = arena_alloc(a, (na + 1) * sizeof(*list));
    for (size_t i = 0; i < na && rc == 0; i++) {
        list[i] = (struct app_answer){.a = ans[i], .accepted = ans[i].id == q->accepted_answer};
        rc = endorsed_topic(db, a, ans[i].user_id, q->tags, &list[i].endorsed_on);
    }
    struct rank_params p;
    rank_params_default(&p);
    answer_evidence(list, na, votes, nv, trust_known, &p);
    qsort(list, na, sizeof(*list), by_bound);
    pin_accepted(list, na);
    *out = list;
    *n = na;
    return rc;
}

void app_items_changed(struct app *app, struct store *db, const int64_t *ids, size_t n,
                       int64_t now)
{
    for (size_t k = 0; k < n; k++) {
        if (ids[k] > 0) {
            app_item_changed(app, db, ids[k], now);
        }
    }
}

int app_group(struct http_request *rq, const char *slug, struct store_group *out)
{
    int rc = slug != NULL && slug[0] != '\0'
                 ? store_group_get(http_db(rq), &rq->arena, slug, out)
                 : ERR_NOTFOUND;
    return rc == ERR_NOTFOUND ? http_fail(rq, rc, "slug", "No such group.") : rc;
}

/* The group's lists: questions and links newest first, ideas by their bound. */
static int group_lists(struct store *db, struct arena *a, int64_t viewer,
                       struct app_group_page *p)
{
    struct store_group_query q = {p->g.id, "question", NULL, -1, STORE_SORT_NEW, 30, false};
    int rc = store_group_items(db, a, &q, viewer, &p->questions, &p->nquestions);
    if (rc == 0) {
        q.kind = "link"; /* competition entries are on their competition's page */
        rc = store_group_items(db, a, &q, viewer, &p->links, &p->nlinks);
    }
    if (rc == 0) {
        q.kind = "idea";
        q.sort = STORE_SORT_TOP;
        rc = store_group_items(db, a, &q, viewer, &p->ideas, &p->nideas);
    }
    if (rc == 0 && p->role.moderator) { /* what waits for them to vet */
        struct store_item *waiting;
        q.idea_status = "submitted";
        rc = store_group_items(db, a, &q, viewer, &waiting, &p->nsubmitted);
    }
    return rc;
}

int app_group_page(struct http_request *rq, const char *slug, struct app_group_page *p)
{
    struct store *db = http_db(rq);
    struct arena *a = &rq->arena;
    int64_t viewer = rq->user ? rq->user->id : 0;
    memset(p, 0, sizeof(*p));
    int rc = app_group(rq, slug, &p->g);
    if (rc == 0) {
        rc = store_group_members(db, a, p->g.id, &p->members, &p->nmembers);
    }
    if (rc == 0) {
        rc = rules_group_role(db, a, rq->user, &p->g, &p->role);
    }
    if (rc == 0) {
        rc = group_lists(db, a, viewer, p);
    }
    if (rc == 0) {
        rc = store_competition_list(db, a, p->g.id, &p->comps, &p->ncomps);
    }
    if (rc == 0 && rq->user != NULL) {
        rc = store_idea_votes_held(db, p->g.id, rq->user->id, &p->votes_held);
    }
    if (rc == 0 && rq->user != NULL && p->role.member) {
        rc = rules_group_promoter(db, &rq->app->cfg.policy, rq->user, &p->g, &p->promoter);
    }
    return rc;
}

int app_idea_status(struct http_request *rq, int64_t item_id, const char *status,
                    const char *reason, int64_t into, struct store_item *it,
                    struct store_group *g)
{
    struct store *db = http_db(rq);
    struct rules_error e = {0};
    int64_t viewer = rq->user ? rq->user->id : 0;
    int rc = store_item_get(db, &rq->arena, item_id, viewer, it);
    if (rc == ERR_NOTFOUND || (rc == 0 && (strcmp(it->kind, "idea") != 0 || it->group_id == 0))) {
        return http_fail(rq, ERR_NOTFOUND, "id", "No such idea.");
    }
    if (rc == 0) {
        rc = store_group_get_id(db, &rq->arena, it->group_id, g);
    }
    if (rc == 0) {
        rc = store_tx_begin(db);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_idea_status(db, &rq->arena, rq->user, g, it, status, reason, into, rq->now, &e);
    if (rc != 0) {
        store_tx_rollback(db);
        return app_rules_fail(rq, rc, &e);
    }
    const int64_t changed[2] = {item_id, into};
    app_items_changed(rq->app, db, changed, 2, rq->now); /* a merge moved votes */
    if ((rc = store_tx_commit(db)) != 0) {
        return rc;
    }
    app_note_write(rq->app);
    return store_item_get(db, &rq->arena, item_id, viewer, it);
}
