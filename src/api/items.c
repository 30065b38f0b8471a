/* /api/v1/items and its sub-resources. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "api_int.h"

static int64_t viewer_of(const struct http_request *rq)
{
    return rq->user ? rq->user->id : 0;
}

int api_items_list(struct http_request *rq)
{
    const char *sort = http_query(rq, "sort"), *kind = http_query(rq, "kind");
    enum store_sort order = STORE_SORT_HOT;
    if (sort == NULL || strcmp(sort, "hot") == 0) {
        sort = "hot";
    } else if (strcmp(sort, "new") == 0) {
        order = STORE_SORT_NEW;
    } else if (strcmp(sort, "top") == 0) {
        order = STORE_SORT_TOP;
    } else {
        return http_fail(rq, ERR_INVAL, "sort", "sort is hot, new or top.");
    }
    if (kind != NULL && strcmp(kind, "link") != 0 && strcmp(kind, "blog") != 0) {
        return http_fail(rq, ERR_INVAL, "kind", "kind is link or blog.");
    }
    int64_t limit, offset;
    int rc = api_query_int(rq, "limit", 30, 1, 100, &limit);
    if (rc == 0) {
        rc = api_query_int(rq, "offset", 0, 0, 1000000, &offset);
    }
    if (rc != 0) {
        return rc;
    }
    struct store_item *items;
    size_t n;
    rc = store_item_list(http_db(rq), &rq->arena, kind, order, (int)limit, (int)offset,
                         viewer_of(rq), &items, &n);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "sort", sort);
    json_w_kstr(&w, "kind", kind);
    json_w_ki64(&w, "limit", limit);
    json_w_ki64(&w, "offset", offset);
    json_w_key(&w, "items");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        api_write_item_shared_cached(&w, &items[i], rq->write_seq);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* The thread as nested objects: list is in preorder with depths. A comment withheld from
 * the viewer (rules_view) keeps its place in the tree without its author and body. */
static void write_comment_tree(struct http_request *rq, struct json_w *w,
                               const struct store_comment *list, size_t n)
{
    int open = 0;
    json_w_begin_array(w);
    for (size_t i = 0; i < n; i++) {
        const struct store_comment *c = &list[i];
        for (; open > c->depth; open--) {
            json_w_end(w, ']');
            json_w_end(w, '}');
        }
        json_w_begin_object(w);
        json_w_ki64(w, "id", c->id);
        json_w_ki64(w, "parent", c->parent_id);
        bool withheld = rules_view(rq->user, c->user_id, c->status, true) == RULES_VIEW_WITHHELD;
        json_w_kstr(w, "author", c->deleted || withheld ? NULL : c->handle);
        json_w_kstr(w, "body", c->deleted ? "[deleted]" : withheld ? NULL : c->body);
        json_w_kbool(w, "deleted", c->deleted);
        json_w_kstr(w, "status", c->status);
        json_w_ki64(w, "created_at", c->created_at);
        json_w_ki64(w, "edited_at", c->edited_at);
        json_w_ki64(w, "ups", c->ups);
        json_w_ki64(w, "downs", c->downs);
        json_w_ki64(w, "my_vote", c->my_vote);
        json_w_key(w, "children");
        json_w_begin_array(w);
        open++;
    }
    for (; open > 0; open--) {
        json_w_end(w, ']');
        json_w_end(w, '}');
    }
    json_w_end(w, ']');
}

int api_item_get(struct http_request *rq)
{
    int64_t id;
    struct store_item it;
    struct store_comment *list;
    size_t n;
    id = rq->id; /* validated by the route table */
    int rc = store_item_get(http_db(rq), &rq->arena, id, viewer_of(rq), &it);
    if (rc == 0) {
        rc = store_comment_tree(http_db(rq), &rq->arena, id, viewer_of(rq), &list, &n);
    }
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? http_fail(rq, rc, "id", "No such item.") : rc;
    }
    struct api_item_extras extras;
    if ((rc = app_item_visible(rq, &it)) != 0 ||
        (rc = api_item_extras_load(rq, &it, &extras)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "item");
    api_write_item(&w, &it);
    api_item_extras_write(&w, &it, &extras);
    json_w_key(&w, "comments");
    write_comment_tree(rq, &w, list, n);
    json_w_end(&w, '}');
    return 0;
}

/* tags: an array of strings or one string; joined with spaces for the rules. */
static int read_tags(struct http_request *rq, const char **out)
{
    json_t *t = json_object_get(rq->json, "tags");
    *out = "";
    if (t == NULL || json_is_null(t)) {
        return 0;
    }
    if (json_is_string(t)) {
        *out = json_string_value(t);
        return 0;
    }
    if (!json_is_array(t) || json_array_size(t) > 16) {
        return http_fail(rq, ERR_INVAL, "tags", "tags is an array of strings.");
    }
    struct buf b;
    buf_init(&b, 1024);
    size_t i;
    json_t *v;
    json_array_foreach(t, i, v)
    {
        if (!json_is_string(v)) {
            buf_fini(&b);
            return http_fail(rq, ERR_INVAL, "tags", "tags is an array of strings.");
        }
        buf_appendz(&b, json_string_value(v));
        buf_appendc(&b, ' ');
    }
    *out = arena_strdup(&rq->arena, buf_cstr(&b));
    buf_fini(&b);
    return 0;
}

/* "group": SLUG and "competition": ID place the post in a group (and a competition). */
static int read_group_target(struct http_request *rq, struct rules_submission *in)
{
    const char *slug = NULL;
    bool present = false;
    int rc = api_json_str(rq, "group", &slug);
    if (rc == 0) {
        rc = api_json_int(rq, "competition", &in->competition_id, &present);
    }
    if (rc != 0 || slug == NULL) {
        return rc != 0 || in->competition_id == 0
                   ? rc
                   : http_fail(rq, ERR_INVAL, "group", "A competition entry names its group.");
    }
    struct store_group *g = arena_alloc(&rq->arena, sizeof(*g));
    if ((rc = app_group(rq, slug, g)) == 0) {
        in->group = g;
    }
    return rc;
}

int api_item_create(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (limited != 0) {
        return limited;
    }
    struct rules_submission in = {0};
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "kind", &in.kind);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "url", &in.url);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "title", &in.title);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "text", &in.text);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "feed_url", &in.feed_url);
    }
    if (rc == 0) {
        rc = read_tags(rq, &in.tags);
    }
    if (rc == 0) {
        rc = read_group_target(rq, &in);
    }
    json_t *authored = json_object_get(rq->json, "authored");
    if (rc == 0 && authored != NULL && !json_is_boolean(authored)) {
        rc = http_fail(rq, ERR_INVAL, "authored", "authored is true or false.");
    }
    in.authored = json_is_true(authored);
    if (rc != 0) {
        return rc;
    }
    if (in.kind == NULL) {
        in.kind = "link";
    }
    in.topic_known = app_topic_score(rq->app, in.title, in.text, &in.topic_score,
                                     &in.topic_removals);
    int64_t id = 0;
    struct rules_error e = {0};
    rc = rules_submit(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in, &id, &e);
    if (rc != 0 && rc != ERR_EXISTS) {
        return http_fail(rq, rc, e.field, e.message);
    }
    struct store_item it;
    int grc = store_item_get(http_db(rq), &rq->arena, id, rq->user->id, &it);
    if (grc == 0 && rc == ERR_EXISTS) { /* an earlier share of the URL may have been removed */
        grc = app_item_visible(rq, &it);
    }
    if (grc != 0) {
        return grc;
    }
    app_note_write(rq->app);
    struct json_w w;
    api_begin(rq, &w, rc == ERR_EXISTS ? 200 : 201);
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", id);
    json_w_kbool(&w, "duplicate", rc == ERR_EXISTS);
    json_w_key(&w, "item");
    api_write_item(&w, &it);
    json_w_end(&w, '}');
    return 0;
}

/* {"value": 1|-1|0, "reason": "..."} for item and comment votes. */
static int read_vote(struct http_request *rq, int *value, const char **reason)
{
    int64_t v = 0;
    bool present;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_int(rq, "value", &v, &present);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "reason", reason);
    }
    if (rc == 0 && (!present || v < -1 || v > 1)) {
        rc = http_fail(rq, ERR_INVAL, "value", "value is 1, -1 or 0.");
    }
    *value = (int)v;
    return rc;
}

int api_item_vote(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t id;
    int value;
    const char *reason = NULL;
    struct rules_error e = {0};
    id = rq->id; /* validated by the route table */
    int rc = read_vote(rq, &value, &reason);
    if (rc != 0) {
        return rc;
    }
    rc = app_vote_item(rq->app, rq, id, value, reason, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    struct store_item it;
    if ((rc = store_item_get(http_db(rq), &rq->arena, id, rq->user->id, &it)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", id);
    json_w_ki64(&w, "value", it.my_vote);
    json_w_kstr(&w, "reason", value < 0 ? reason : NULL);
    json_w_kbool(&w, "opened", it.my_opened);
    json_w_ki64(&w, "ups", it.ups);
    json_w_ki64(&w, "downs", it.downs);
    json_w_end(&w, '}');
    return 0;
}

int api_item_comment(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_COMMENT);
    if (limited != 0) {
        return limited;
    }
    int64_t id, parent = 0, cid;
    bool present;
    const char *body = NULL;
    struct rules_error e = {0};
    id = rq->id; /* validated by the route table */
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "body", &body);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "parent", &parent, &present);
    }
    if (rc != 0) {
        return rc;
    }
    if (parent < 0) {
        return http_fail(rq, ERR_INVAL, "parent", "parent is a comment id.");
    }
    rc = rules_comment_add(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, id, parent, body, &cid, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_ki64(&w, "id", cid);
    json_w_ki64(&w, "item_id", id);
    json_w_ki64(&w, "parent", parent);
    json_w_end(&w, '}');
    return 0;
}

int api_item_why(struct http_request *rq)
{
    int64_t id;
    struct store_item it;
    id = rq->id; /* validated by the route table */
    int rc = store_item_get(http_db(rq), &rq->arena, id, 0, &it);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? http_fail(rq, rc, "id", "No such item.") : rc;
    }
    if ((rc = app_item_visible(rq, &it)) != 0) {
        return rc;
    }
    json_t *ex = it.explain[0] ? json_loads(it.explain, 0, NULL) : NULL;
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", id);
    json_w_ki64(&w, "ups", it.ups);
    json_w_ki64(&w, "downs", it.downs);
    json_w_kfixed(&w, "score", it.score, 6);
    json_w_kfixed(&w, "hot", it.hot, 6);
    json_w_ki64(&w, "ranked_at", it.ranked_at);
    json_w_key(&w, "explanation");
    if (ex != NULL) {
        api_emit_json(&w, ex);
        json_decref(ex);
    } else {
        json_w_null(&w);
    }
    json_w_end(&w, '}');
    return 0;
}

int api_comment_vote(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t cid = rq->id; /* validated by the route table */
    int value;
    const char *reason = NULL;
    struct rules_error e = {0};
    int rc = read_vote(rq, &value, &reason);
    if (rc != 0) {
        return rc;
    }
    rc = rules_vote_comment(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, cid, value, reason, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "comment_id", cid);
    json_w_ki64(&w, "value", value);
    json_w_end(&w, '}');
    return 0;
}
