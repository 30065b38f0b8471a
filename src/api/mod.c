/* Moderation over the API: flags, the public log, the queue and moderator actions. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../mod/mod.h"
#include "api_int.h"

static int flag(struct http_request *rq, const char *target)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t id = rq->id; /* validated by the route table */
    const char *reason = NULL;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "reason", &reason);
    }
    if (rc != 0) {
        return rc;
    }
    bool queued;
    struct rules_error e = {0};
    rc = rules_flag(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, target, id, reason,
                    rq->now, &queued, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "target", target);
    json_w_ki64(&w, "id", id);
    json_w_kstr(&w, "reason", reason);
    json_w_kbool(&w, "queued", queued);
    json_w_end(&w, '}');
    return 0;
}

int api_item_flag(struct http_request *rq)
{
    return flag(rq, "item");
}

int api_comment_flag(struct http_request *rq)
{
    return flag(rq, "comment");
}

void api_write_modlog(struct json_w *w, const struct store_modlog *m)
{
    json_w_begin_object(w);
    json_w_ki64(w, "id", m->id);
    json_w_ki64(w, "at", m->at);
    json_w_kstr(w, "moderator", m->moderator);
    json_w_kstr(w, "action", m->action);
    json_w_kstr(w, "target", m->target);
    json_w_ki64(w, "target_id", m->target_id);
    json_w_kstr(w, "target_label", m->target_label);
    json_w_kstr(w, "reason", m->reason);
    json_w_kstr(w, "group", m->group_slug[0] ? m->group_slug : NULL);
    json_w_key(w, "changes");
    json_t *changes = json_loads(m->changes, 0, NULL);
    if (changes != NULL) {
        api_emit_json(w, changes);
        json_decref(changes);
    } else {
        json_w_null(w);
    }
    if (m->undoes != 0) {
        json_w_ki64(w, "undoes", m->undoes);
    }
    if (m->undone_by != 0) {
        json_w_ki64(w, "undone_by", m->undone_by);
    }
    json_w_end(w, '}');
}

int api_modlog(struct http_request *rq)
{
    int64_t limit, offset;
    int rc = api_query_int(rq, "limit", 50, 1, 200, &limit);
    if (rc == 0) {
        rc = api_query_int(rq, "offset", 0, 0, 1000000, &offset);
    }
    struct store_modlog *l;
    size_t n;
    if (rc != 0 ||
        (rc = store_modlog_list(http_db(rq), &rq->arena, (int)limit, (int)offset, &l, &n)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "entries");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        api_write_modlog(&w, &l[i]);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

int api_mod_queue(struct http_request *rq)
{
    struct store_queue_entry *q;
    size_t n;
    struct rules_error e = {0};
    int rc = mod_queue(http_db(rq), &rq->arena, rq->user, &q, &n, &e);
    if (rc != 0) {
        return e.message ? http_fail(rq, rc, e.field, e.message) : rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "queue");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_begin_object(&w);
        json_w_kstr(&w, "target", q[i].target);
        json_w_ki64(&w, "id", q[i].id);
        json_w_ki64(&w, "item_id", q[i].item_id);
        json_w_kstr(&w, "label", q[i].label);
        json_w_kstr(&w, "author", q[i].author);
        json_w_kstr(&w, "queue_reason", q[i].queue_reason);
        json_w_kf64(&w, "flag_weight", q[i].flag_weight);
        json_w_kstr(&w, "group", q[i].group_slug[0] ? q[i].group_slug : NULL);
        json_w_ki64(&w, "created_at", q[i].created_at);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* {"action","target","target_id","reason","into","title","tags","days"} */
int api_mod_act(struct http_request *rq)
{
    struct mod_request m = {0};
    int64_t days = 0;
    bool present;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "action", &m.action);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "target", &m.target);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "target_id", &m.target_id, &present);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "reason", &m.reason);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "into", &m.into, &present);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "title", &m.title);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "tags", &m.tags);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "days", &days, &present);
    }
    if (rc != 0) {
        return rc;
    }
    m.days = days > 0 && days <= 365 ? (int)days : (days == 0 ? 0 : -1);
    int64_t log_id;
    struct rules_error e = {0};
    rc = mod_act(http_db(rq), &rq->arena, rq->user, &m, rq->now, &log_id, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    struct store_modlog entry;
    if ((rc = store_modlog_get(http_db(rq), &rq->arena, log_id, &entry)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    api_write_modlog(&w, &entry);
    return 0;
}
