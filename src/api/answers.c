/* Questions and ideas on the API: answers, their votes, accepting one, an idea's status, and
 * what GET /api/v1/items/ID adds for a question (its answers in order) or an idea (its
 * status history). */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

static void write_answer(struct json_w *w, const struct app_answer *x)
{
    json_w_begin_object(w);
    json_w_ki64(w, "id", x->a.id);
    json_w_ki64(w, "question", x->a.item_id);
    json_w_kstr(w, "author", x->a.handle);
    json_w_kstr(w, "body", x->a.body);
    json_w_ki64(w, "created_at", x->a.created_at);
    json_w_ki64(w, "ups", x->a.ups);
    json_w_ki64(w, "downs", x->a.downs);
    json_w_kfixed(w, "bound", x->bound, 6);
    json_w_kbool(w, "accepted", x->accepted);
    json_w_kbool(w, "shown_first_as_accepted", x->pinned);
    json_w_kstr(w, "endorsed_on", x->endorsed_on);
    json_w_ki64(w, "my_vote", x->a.my_vote);
    json_w_end(w, '}');
}

int api_item_extras_load(struct http_request *rq, const struct store_item *it,
                         struct api_item_extras *x)
{
    memset(x, 0, sizeof(*x));
    int64_t viewer = rq->user ? rq->user->id : 0;
    if (strcmp(it->kind, "question") == 0) {
        return app_question_answers(http_db(rq), &rq->arena, it, viewer, &x->answers,
                                    &x->nanswers);
    }
    if (strcmp(it->kind, "idea") == 0) {
        return store_idea_events(http_db(rq), &rq->arena, it->id, &x->events, &x->nevents);
    }
    return 0;
}

void api_item_extras_write(struct json_w *w, const struct store_item *it,
                           const struct api_item_extras *x)
{
    if (strcmp(it->kind, "question") == 0) {
        json_w_key(w, "answers");
        json_w_begin_array(w);
        for (size_t k = 0; k < x->nanswers; k++) {
            write_answer(w, &x->answers[k]);
        }
        json_w_end(w, ']');
    } else if (strcmp(it->kind, "idea") == 0) {
        json_w_key(w, "status_history");
        json_w_begin_array(w);
        for (size_t k = 0; k < x->nevents; k++) {
            json_w_begin_object(w);
            json_w_kstr(w, "status", x->events[k].status);
            json_w_kstr(w, "reason", x->events[k].reason);
            json_w_kstr(w, "by", x->events[k].actor_handle);
            if (x->events[k].into_id) {
                json_w_ki64(w, "into", x->events[k].into_id);
            }
            json_w_ki64(w, "at", x->events[k].at);
            json_w_end(w, '}');
        }
        json_w_end(w, ']');
    }
}

int api_item_answer(struct http_request *rq)
{
    const char *body = NULL;
    struct rules_error e = {0};
    int64_t id = 0;
    int rc = app_rate_limit(rq->app, rq, APP_COMMENT);
    if (rc == 0) {
        rc = api_need_json(rq);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "body", &body);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_answer(http_db(rq), &rq->arena, rq->user, rq->id, body, rq->now, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_answer a;
    if ((rc = store_answer_get(http_db(rq), &rq->arena, id, rq->user->id, &a)) != 0) {
        return rc;
    }
    struct app_answer x = {.a = a};
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_key(&w, "answer");
    write_answer(&w, &x);
    json_w_end(&w, '}');
    return 0;
}

int api_answer_vote(struct http_request *rq)
{
    int64_t v = 0;
    bool present = false;
    const char *reason = NULL;
    struct rules_error e = {0};
    int rc = app_rate_limit(rq->app, rq, APP_VOTE);
    if (rc == 0) {
        rc = api_need_json(rq);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "value", &v, &present);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "reason", &reason);
    }
    if (rc == 0 && !present) {
        rc = http_fail(rq, ERR_INVAL, "value", "value is 1, -1 or 0.");
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_answer_vote(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, rq->id,
                           v < -1 || v > 1 ? 2 : (int)v, reason, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_answer a;
    if ((rc = store_answer_get(http_db(rq), &rq->arena, rq->id, rq->user->id, &a)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "answer_id", a.id);
    json_w_ki64(&w, "value", a.my_vote);
    json_w_ki64(&w, "ups", a.ups);
    json_w_ki64(&w, "downs", a.downs);
    json_w_end(&w, '}');
    return 0;
}

int api_item_accept(struct http_request *rq)
{
    int64_t answer = 0;
    bool present = false;
    struct rules_error e = {0};
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_int(rq, "answer", &answer, &present);
    }
    if (rc == 0 && !present) {
        rc = http_fail(rq, ERR_INVAL, "answer", "answer is the id of the answer to accept (0 "
                                                "takes an acceptance back).");
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_accept(http_db(rq), &rq->arena, rq->user, rq->id, answer, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", rq->id);
    json_w_ki64(&w, "accepted_answer", answer);
    json_w_end(&w, '}');
    return 0;
}

int api_item_status(struct http_request *rq)
{
    const char *status = NULL, *reason = NULL;
    int64_t into = 0;
    bool present = false;
    struct store_item it;
    struct store_group g;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "status", &status);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "reason", &reason);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "into", &into, &present);
    }
    if (rc == 0) {
        rc = app_idea_status(rq, rq->id, status, reason, into, &it, &g);
    }
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "item");
    api_write_item(&w, &it);
    json_w_end(&w, '}');
    return 0;
}
