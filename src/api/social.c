/* Relationships on the API: follow, connect, endorse, the timeline and notifications. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

/* {"follow": true|false}: required. */
static int read_follow(struct http_request *rq, bool *on)
{
    int rc = api_need_json(rq);
    if (rc != 0) {
        return rc;
    }
    json_t *v = json_object_get(rq->json, "follow");
    if (!json_is_boolean(v)) {
        return http_fail(rq, ERR_INVAL, "follow", "follow is true or false.");
    }
    *on = json_is_true(v);
    return 0;
}

static void reply_follow(struct http_request *rq, const char *key, const char *who, int64_t id,
                         bool on)
{
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    if (who != NULL) {
        json_w_kstr(&w, key, who);
    } else {
        json_w_ki64(&w, key, id);
    }
    json_w_kbool(&w, "following", on);
    json_w_end(&w, '}');
}

int api_user_follow(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    bool on;
    int rc = read_follow(rq, &on);
    if (rc == 0) {
        rc = app_member(rq, rq->params[0], "handle", &t);
    }
    if (rc == 0 && on) {
        rc = app_rate_limit(rq->app, rq, APP_FOLLOW);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_follow(http_db(rq), &rq->arena, rq->user, &t, on, rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    reply_follow(rq, "handle", t.handle, 0, on);
    return 0;
}

int api_blog_follow(struct http_request *rq)
{
    struct rules_error e = {0};
    bool on;
    int rc = read_follow(rq, &on);
    if (rc == 0 && on) {
        rc = app_rate_limit(rq->app, rq, APP_FOLLOW);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_follow_blog(http_db(rq), rq->user, rq->id, on, rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    reply_follow(rq, "item_id", NULL, rq->id, on);
    return 0;
}

/* {"commentary": TEXT}: 201 with the reshare, and the original item it points to. */
int api_item_reshare(struct http_request *rq)
{
    struct rules_error e = {0};
    const char *commentary = NULL;
    int64_t id;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "commentary", &commentary);
    }
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_SUBMIT);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_reshare(http_db(rq), rq->user, rq->id, commentary, rq->now, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_item it;
    if ((rc = store_item_get(http_db(rq), &rq->arena, rq->id, rq->user->id, &it)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_key(&w, "reshare");
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", id);
    json_w_ki64(&w, "item_id", rq->id);
    json_w_kstr(&w, "by", rq->user->handle);
    json_w_kstr(&w, "commentary", commentary != NULL ? commentary : "");
    json_w_ki64(&w, "created_at", rq->now);
    json_w_end(&w, '}');
    json_w_key(&w, "item");
    api_write_item(&w, &it);
    json_w_end(&w, '}');
    return 0;
}

/* The viewer's tie to t as JSON after a change. */
static int reply_tie(struct http_request *rq, const struct store_user *t)
{
    struct store_tie_state ts;
    int rc = store_tie_state(http_db(rq), rq->user->id, t->id, &ts);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", t->handle);
    json_w_kstr(&w, "connection", ts.connection[0] ? ts.connection : "none");
    json_w_kbool(&w, "following", ts.follows);
    json_w_kbool(&w, "followed_by", ts.followed_by);
    json_w_end(&w, '}');
    return 0;
}

int api_user_connection(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    const char *action = NULL;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "action", &action);
    }
    if (rc == 0) {
        rc = app_member(rq, rq->params[0], "handle", &t);
    }
    if (rc == 0 && action != NULL && strcmp(action, "request") == 0) {
        rc = app_rate_limit(rq->app, rq, APP_CONNECT);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_connection(http_db(rq), &rq->arena, rq->user, &t, action, rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return reply_tie(rq, &t);
}

int api_user_endorse(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    const char *topic = NULL;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "topic", &topic);
    }
    if (rc == 0) {
        rc = app_member(rq, rq->params[0], "handle", &t);
    }
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_CONNECT);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_endorse(http_db(rq), &rq->arena, rq->user, &t, topic, rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", t.handle);
    json_w_kstr(&w, "topic", topic);
    json_w_kbool(&w, "endorsed", true);
    json_w_end(&w, '}');
    return 0;
}

static void write_entry(struct json_w *w, const struct store_timeline_entry *t, int64_t last_visit)
{
    json_w_begin_object(w);
    json_w_kstr(w, "kind", t->kind);
    json_w_ki64(w, "id", t->id);
    json_w_ki64(w, "at", t->at);
    json_w_ki64(w, "item_id", t->item_id);
    json_w_kstr(w, strcmp(t->kind, "entry") == 0 ? "blog" : "by", t->actor);
    json_w_kstr(w, "title", t->title);
    json_w_kstr(w, "url", t->url);
    json_w_kstr(w, strcmp(t->kind, "reshare") == 0 ? "commentary" : "text", t->text);
    json_w_kbool(w, "new", last_visit > 0 && t->at > last_visit);
    json_w_end(w, '}');
}

int api_timeline(struct http_request *rq)
{
    int64_t limit;
    int rc = api_query_int(rq, "limit", 30, 1, 100, &limit);
    if (rc != 0) {
        return rc;
    }
    struct app_timeline tl;
    if ((rc = app_timeline(rq, http_query(rq, "before"), (int)limit, &tl)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "items");
    json_w_begin_array(&w);
    for (size_t i = 0; i < tl.n; i++) {
        write_entry(&w, &tl.entries[i], tl.last_visit);
    }
    json_w_end(&w, ']');
    json_w_kbool(&w, "up_to_date", tl.up_to_date);
    json_w_kstr(&w, "next_before", tl.next);
    json_w_ki64(&w, "since", tl.since);
    json_w_end(&w, '}');
    return 0;
}

int api_notifications(struct http_request *rq)
{
    int64_t limit, before;
    int rc = api_query_int(rq, "limit", 30, 1, 100, &limit);
    if (rc == 0) {
        rc = api_query_int(rq, "before", 0, 0, INT64_MAX, &before);
    }
    struct store_notification *list;
    size_t n;
    if (rc != 0 || (rc = store_notification_list(http_db(rq), &rq->arena, rq->user->id, before,
                                                 (int)limit, &list, &n)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "notifications");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_begin_object(&w);
        json_w_ki64(&w, "id", list[i].id);
        json_w_kstr(&w, "kind", list[i].kind);
        json_w_kstr(&w, "from", list[i].from_handle[0] ? list[i].from_handle : NULL);
        json_w_kbool(&w, "read", list[i].seen);
        json_w_kstr(&w, "text", list[i].text);
        json_w_ki64(&w, "at", list[i].at);
        if (list[i].ref_id > 0) {
            json_w_ki64(&w, "ref_id", list[i].ref_id);
        }
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* {"upto": ID} (optional): marks notifications read, all of them without it. */
int api_notifications_read(struct http_request *rq)
{
    int64_t upto = 0;
    bool present;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_int(rq, "upto", &upto, &present);
    }
    if (rc == 0 && upto < 0) {
        rc = http_fail(rq, ERR_INVAL, "upto", "upto is a notification id.");
    }
    if (rc != 0 || (rc = store_notifications_read(http_db(rq), rq->user->id, upto)) != 0) {
        return rc;
    }
    int unread;
    if ((rc = store_notifications_unread(http_db(rq), rq->user->id, &unread)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "unread", unread);
    json_w_end(&w, '}');
    return 0;
}

/* ?limit= (1..50, 10): {"suggestions": [{"handle", "reasons": [sentence, ...]}]} */
int api_suggestions(struct http_request *rq)
{
    int64_t limit;
    struct app_suggestion *s;
    size_t n;
    int rc = api_query_int(rq, "limit", 10, 1, 50, &limit);
    if (rc != 0 || (rc = app_suggestions(rq->app, rq, (size_t)limit, &s, &n)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "suggestions");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_begin_object(&w);
        json_w_kstr(&w, "handle", s[i].handle);
        json_w_key(&w, "reasons");
        json_w_begin_array(&w);
        for (size_t r = 0; r < s[i].nreasons; r++) {
            json_w_str(&w, s[i].reasons[r]);
        }
        json_w_end(&w, ']');
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* {"handle": H}: H is no longer suggested to me. */
int api_suggestion_dismiss(struct http_request *rq)
{
    const char *h = NULL;
    struct store_user t;
    int rc = api_need_json(rq);
    if (rc == 0 && (rc = api_json_str(rq, "handle", &h)) == 0 && h == NULL) {
        rc = http_fail(rq, ERR_INVAL, "handle", "handle is the member not to suggest.");
    }
    if (rc == 0) {
        rc = app_member(rq, h, "handle", &t);
    }
    struct rules_error e = {0};
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_dismiss(http_db(rq), rq->user, &t, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", t.handle);
    json_w_kbool(&w, "dismissed", true);
    json_w_end(&w, '}');
    return 0;
}
