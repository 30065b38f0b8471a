/* Direct messages on the API: send, read a conversation or the list of them, mute. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

static void write_message(struct json_w *w, const struct store_message *m)
{
    json_w_begin_object(w);
    json_w_ki64(w, "id", m->id);
    json_w_kstr(w, "from", m->from_handle);
    json_w_kstr(w, "to", m->to_handle);
    json_w_kstr(w, "body", m->body);
    json_w_kbool(w, "form_message", m->form);
    json_w_ki64(w, "at", m->at);
    json_w_kbool(w, "read", m->read);
    json_w_end(w, '}');
}

/* {"to": HANDLE, "body": TEXT} -> 201 {"message": {...}, "form_message", "notice"} */
int api_message_send(struct http_request *rq)
{
    const char *to = NULL, *body = NULL;
    struct store_user t;
    struct rules_error e = {0};
    struct rules_message_sent sent;
    int rc = api_need_json(rq);
    if (rc == 0 && (rc = api_json_str(rq, "to", &to)) == 0) {
        rc = api_json_str(rq, "body", &body);
    }
    if (rc == 0 && to == NULL) {
        rc = http_fail(rq, ERR_INVAL, "to", "to is the handle of the member to write to.");
    }
    if (rc == 0) {
        rc = app_member(rq, to, "to", &t);
    }
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_MESSAGE);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_message(http_db(rq), &rq->arena, rq->user, &t, body, rq->now, &sent, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_message m = {sent.id, rq->user->handle, t.handle, arena_strdup(&rq->arena, body), sent.form,
                              rq->now, false};
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_key(&w, "message");
    write_message(&w, &m);
    json_w_kbool(&w, "form_message", sent.form);
    json_w_kstr(&w, "notice", sent.form ? sent.form_reason : NULL);
    json_w_end(&w, '}');
    return 0;
}

static int list_conversations(struct http_request *rq)
{
    struct store_conversation_row *c;
    size_t n;
    int rc = store_conversations(http_db(rq), &rq->arena, rq->user->id, &c, &n);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "conversations");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        json_w_begin_object(&w);
        json_w_kstr(&w, "with", c[i].handle);
        json_w_ki64(&w, "last_at", c[i].last_at);
        json_w_ki64(&w, "unread", c[i].unread);
        json_w_kbool(&w, "form_message", c[i].form);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* ?with=HANDLE: the conversation, newest first; without it, the list of conversations. */
int api_messages(struct http_request *rq)
{
    const char *with = http_query(rq, "with");
    if (with == NULL || with[0] == '\0') {
        return list_conversations(rq);
    }
    int64_t limit;
    struct store_user t;
    struct store_message *m;
    size_t n;
    int rc = api_query_int(rq, "limit", 50, 1, 200, &limit);
    if (rc == 0) {
        rc = app_member(rq, with, "with", &t);
    }
    if (rc != 0 || (rc = store_conversation(http_db(rq), &rq->arena, rq->user->id, t.id,
                                            (int)limit, &m, &n)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "messages");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        write_message(&w, &m[i]);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* {"mute": true|false}: the member's messages are no longer shown (nor announced) to me. */
int api_user_mute(struct http_request *rq)
{
    struct store_user t;
    int rc = api_need_json(rq);
    json_t *v = rc == 0 ? json_object_get(rq->json, "mute") : NULL;
    if (rc == 0 && !json_is_boolean(v)) {
        rc = http_fail(rq, ERR_INVAL, "mute", "mute is true or false.");
    }
    if (rc == 0) {
        rc = app_member(rq, rq->params[0], "handle", &t);
    }
    struct rules_error e = {0};
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_mute(http_db(rq), rq->user, &t, json_is_true(v), rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "handle", t.handle);
    json_w_kbool(&w, "muted", json_is_true(v));
    json_w_end(&w, '}');
    return 0;
}
