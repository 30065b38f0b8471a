/* Competitions on the API: open one, its results with every place explained, judges'
 * scores. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

/* The four times, Unix seconds, all required. */
static int read_times(struct http_request *rq, struct store_competition *c)
{
    static const char *const keys[] = {"entry_start", "entry_end", "vote_start", "vote_end"};
    int64_t *out[] = {&c->entry_start, &c->entry_end, &c->vote_start, &c->vote_end};
    for (size_t k = 0; k < 4; k++) {
        bool present = false;
        int rc = api_json_int(rq, keys[k], out[k], &present);
        if (rc != 0) {
            return rc;
        }
        if (!present) {
            return http_fail(rq, ERR_INVAL, keys[k], "Give the entry and voting windows: "
                                                     "entry_start, entry_end, vote_start and "
                                                     "vote_end, in Unix seconds.");
        }
    }
    return 0;
}

/* "judges": [handle, ...] (optional). OUT: handles in rq's arena. */
static int read_judges(struct http_request *rq, const char ***out, size_t *n)
{
    json_t *arr = json_object_get(rq->json, "judges");
    *n = 0;
    *out = NULL;
    if (arr == NULL || json_is_null(arr)) {
        return 0;
    }
    if (!json_is_array(arr) || json_array_size(arr) > RULES_JUDGE_MAX) {
        return http_fail(rq, ERR_INVAL, "judges", "judges is a list of at most 10 handles.");
    }
    *out = arena_alloc(&rq->arena, (json_array_size(arr) + 1) * sizeof(**out));
    for (size_t k = 0; k < json_array_size(arr); k++) {
        json_t *v = json_array_get(arr, k);
        if (!json_is_string(v)) {
            return http_fail(rq, ERR_INVAL, "judges", "judges is a list of handles.");
        }
        (*out)[(*n)++] = arena_strdup(&rq->arena, json_string_value(v));
    }
    return 0;
}

static int read_competition(struct http_request *rq, struct store_competition *c)
{
    memset(c, 0, sizeof(*c));
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "title", &c->title);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "rules", &c->rules);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "voters", &c->voters);
    }
    if (rc == 0) {
        rc = read_times(rq, c);
    }
    json_t *w = rc == 0 ? json_object_get(rq->json, "judge_weight") : NULL;
    if (w != NULL && !json_is_number(w)) {
        rc = http_fail(rq, ERR_INVAL, "judge_weight", "judge_weight is a number from 0 to 1.");
    }
    c->judge_weight = w ? json_number_value(w) : 0.0;
    if (c->voters == NULL) {
        c->voters = "members";
    }
    return rc;
}

static void write_competition(struct json_w *w, const struct store_competition *c,
                              char *const *judges, size_t nj)
{
    json_w_ki64(w, "id", c->id);
    json_w_kstr(w, "group", c->group_slug);
    json_w_kstr(w, "title", c->title);
    json_w_kstr(w, "rules", c->rules);
    json_w_ki64(w, "entry_start", c->entry_start);
    json_w_ki64(w, "entry_end", c->entry_end);
    json_w_ki64(w, "vote_start", c->vote_start);
    json_w_ki64(w, "vote_end", c->vote_end);
    json_w_kstr(w, "voters", c->voters);
    json_w_kfixed(w, "judge_weight", c->judge_weight, 3);
    json_w_key(w, "judges");
    json_w_begin_array(w);
    for (size_t k = 0; k < nj; k++) {
        json_w_str(w, judges[k]);
    }
    json_w_end(w, ']');
}

int api_competition_create(struct http_request *rq)
{
    struct store_group g;
    struct store_competition in, c;
    const char **judges;
    size_t nj;
    struct rules_error e = {0};
    int64_t id = 0;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc == 0) {
        rc = read_competition(rq, &in);
    }
    if (rc == 0) {
        rc = read_judges(rq, &judges, &nj);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_competition_create(http_db(rq), &rq->arena, rq->user, &g, &in,
                                  (const char *const *)judges, nj, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    int64_t *jids;
    char **jh;
    if ((rc = store_competition_get(http_db(rq), &rq->arena, id, &c)) != 0 ||
        (rc = store_competition_judges(http_db(rq), &rq->arena, id, &jids, &jh, &nj)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_key(&w, "competition");
    json_w_begin_object(&w);
    write_competition(&w, &c, jh, nj);
    json_w_end(&w, '}');
    json_w_end(&w, '}');
    return 0;
}

static void write_entry(struct json_w *w, const struct app_entry *e)
{
    json_w_begin_object(w);
    json_w_ki64(w, "place", e->place);
    json_w_key(w, "item");
    api_write_item(w, &e->it);
    json_w_kfixed(w, "members_bound", e->bound, 6);
    json_w_ki64(w, "judges_scored", e->judges);
    if (e->judges > 0) {
        json_w_kfixed(w, "judges_mean", e->judge_mean, 3);
    }
    json_w_kfixed(w, "score", e->score, 6);
    json_w_key(w, "why");
    json_w_begin_array(w);
    for (size_t k = 0; k < e->nwhy; k++) {
        json_w_str(w, e->why[k]);
    }
    json_w_end(w, ']');
    json_w_key(w, "explanation"); /* the ranker's, as on /why/ID */
    json_t *ex = e->it.explain[0] ? json_loads(e->it.explain, 0, NULL) : NULL;
    if (ex != NULL) {
        api_emit_json(w, ex);
        json_decref(ex);
    } else {
        json_w_null(w);
    }
    json_w_end(w, '}');
}

int api_competition_get(struct http_request *rq)
{
    struct app_competition_page p;
    int rc = app_competition_page(rq, rq->id, &p);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "competition");
    json_w_begin_object(&w);
    write_competition(&w, &p.c, p.judges, p.njudges);
    json_w_kstr(&w, "phase", p.phase);
    json_w_end(&w, '}');
    json_w_key(&w, "results");
    json_w_begin_array(&w);
    for (size_t k = 0; k < p.nentries; k++) {
        write_entry(&w, &p.entries[k]);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

int api_competition_score(struct http_request *rq)
{
    int64_t item = 0;
    bool present = false;
    struct rules_error e = {0};
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_int(rq, "item", &item, &present);
    }
    json_t *s = rc == 0 ? json_object_get(rq->json, "score") : NULL;
    if (rc == 0 && (!present || !json_is_number(s))) {
        rc = http_fail(rq, ERR_INVAL, "score", "Give the entry (\"item\") and a \"score\" from 0 "
                                               "to 10.");
    }
    if (rc != 0) {
        return rc;
    }
    struct store_item it;
    rc = store_item_get(http_db(rq), &rq->arena, item, 0, &it);
    if (rc == ERR_NOTFOUND || (rc == 0 && it.competition_id != rq->id)) {
        return http_fail(rq, ERR_NOTFOUND, "item", "No such entry in this competition.");
    }
    if (rc == 0) {
        rc = rules_judge_score(http_db(rq), &rq->arena, rq->user, item, json_number_value(s),
                               rq->now, &e);
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", item);
    json_w_kfixed(&w, "score", json_number_value(s), 3);
    json_w_end(&w, '}');
    return 0;
}
