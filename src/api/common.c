#include <string.h>

#include "../core/err.h"
#include "../core/fragcache.h"
#include "api_int.h"

void api_begin(struct http_request *rq, struct json_w *w, int status)
{
    rq->status = status;
    rq->content_type = "application/json";
    json_w_init(w, &rq->out);
}

int api_need_json(struct http_request *rq)
{
    if (rq->json == NULL) {
        return http_fail(rq, ERR_INVAL, "body",
                         "Send a JSON object with Content-Type: application/json.");
    }
    return 0;
}

int api_json_str(struct http_request *rq, const char *key, const char **out)
{
    json_t *v = json_object_get(rq->json, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return 0;
    }
    if (!json_is_string(v)) {
        return http_fail(rq, ERR_INVAL, key, "Expected a string.");
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        return http_fail(rq, ERR_INVAL, key, "Text may not contain NUL characters.");
    }
    *out = s;
    return 0;
}

int api_json_int(struct http_request *rq, const char *key, int64_t *out, bool *present)
{
    json_t *v = json_object_get(rq->json, key);
    *present = v != NULL && !json_is_null(v);
    if (!*present) {
        return 0;
    }
    if (!json_is_integer(v)) {
        return http_fail(rq, ERR_INVAL, key, "Expected an integer.");
    }
    *out = json_integer_value(v);
    return 0;
}

void api_emit_json(struct json_w *w, json_t *v)
{
    const char *key;
    json_t *child;
    size_t i;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        json_w_begin_object(w);
        json_object_foreach(v, key, child)
        {
            json_w_key(w, key);
            api_emit_json(w, child);
        }
        json_w_end(w, '}');
        break;
    case JSON_ARRAY:
        json_w_begin_array(w);
        json_array_foreach(v, i, child)
        {
            api_emit_json(w, child);
        }
        json_w_end(w, ']');
        break;
    case JSON_STRING:
        json_w_strn(w, (struct str){json_string_value(v), json_string_length(v)});
        break;
    case JSON_INTEGER:
        json_w_i64(w, json_integer_value(v));
        break;
    case JSON_REAL:
        json_w_f64(w, json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        json_w_bool(w, json_is_true(v));
        break;
    default:
        json_w_null(w);
    }
}

/* Everything about an item that is the same for every viewer, as an unclosed JSON object. */
static void write_item_shared(struct json_w *w, const struct store_item *it)
{
    json_w_begin_object(w);
    json_w_ki64(w, "id", it->id);
    json_w_kstr(w, "kind", it->kind);
    json_w_kstr(w, "url", it->url);
    json_w_kstr(w, "canonical_url", it->canon_url);
    json_w_kstr(w, "domain", it->domain);
    json_w_kstr(w, "title", it->title);
    json_w_kstr(w, "text", it->body);
    if (strcmp(it->kind, "blog") == 0) {
        json_w_kstr(w, "feed_url", it->feed_url);
    }
    json_w_key(w, "tags");
    json_w_begin_array(w);
    const char *p = it->tags;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            json_w_strn(w, (struct str){p, n});
        }
        p += n;
        p += *p == ' ';
    }
    json_w_end(w, ']');
    json_w_kstr(w, "submitter", it->user_handle);
    json_w_kbool(w, "from_submitter_org", it->own_org);
    json_w_ki64(w, "created_at", it->created_at);
    json_w_ki64(w, "ups", it->ups);
    json_w_ki64(w, "downs", it->downs);
    json_w_ki64(w, "comments", it->ncomments);
    json_w_kfixed(w, "score", it->score, 6);
    json_w_kfixed(w, "hot", it->hot, 6);
    if (strcmp(it->kind, "idea") == 0) { /* an idea's status is where it is in the portal */
        json_w_kstr(w, "status", it->idea_status);
        json_w_kstr(w, "moderation", it->status);
    } else {
        json_w_kstr(w, "status", it->status);
    }
    if (it->group_id != 0) {
        json_w_kstr(w, "group", it->group_slug);
    }
    if (strcmp(it->kind, "question") == 0) {
        json_w_ki64(w, "accepted_answer", it->accepted_answer);
        json_w_ki64(w, "answer_count", it->nanswers);
    }
    if (it->competition_id != 0) {
        json_w_ki64(w, "competition", it->competition_id);
    }
    json_w_kbool(w, "locked", it->locked);
    json_w_kbool(w, "authored_by_submitter", it->authored);
    if (it->merged_into != 0) {
        json_w_ki64(w, "merged_into", it->merged_into);
    }
}

/* The viewer's own fields, and the object's end. */
static void write_item_viewer(struct buf *b, const struct store_item *it)
{
    buf_appendz(b, ",\"my_vote\":");
    buf_append_i64(b, it->my_vote);
    buf_appendz(b, it->my_opened ? ",\"opened\":true}" : ",\"opened\":false}");
}

void api_write_item(struct json_w *w, const struct store_item *it)
{
    write_item_shared(w, it);
    json_w_ki64(w, "my_vote", it->my_vote); /* the same bytes as write_item_viewer */
    json_w_kbool(w, "opened", it->my_opened);
    json_w_end(w, '}');
}

/* Items rendered once and shared until the next write: a list response is mostly the same
 * JSON for every reader. */
static struct fragcache item_json = FRAGCACHE_INIT;

void api_write_item_shared_cached(struct json_w *w, const struct store_item *it, uint64_t seq)
{
    json_w_raw(w, "", 0); /* the separator; the fragment follows */
    if (!fragcache_get(&item_json, it->id, seq, w->b)) {
        struct buf tmp;
        buf_init(&tmp, 0);
        struct json_w tw;
        json_w_init(&tw, &tmp);
        write_item_shared(&tw, it);
        buf_append(w->b, tmp.data, tmp.len);
        fragcache_put(&item_json, it->id, seq, tmp.data, tmp.len);
        buf_fini(&tmp);
    }
    write_item_viewer(w->b, it);
}

/* Integer query parameter within [lo, hi], default when absent. */
int api_query_int(struct http_request *rq, const char *name, int64_t dflt, int64_t lo,
                  int64_t hi, int64_t *out)
{
    const char *s = http_query(rq, name);
    *out = dflt;
    if (s == NULL) {
        return 0;
    }
    if (strcmp(s, "0") == 0 && lo == 0) {
        *out = 0;
        return 0;
    }
    if (!parse_id(s, out) || *out < lo || *out > hi) {
        return http_fail(rq, ERR_INVAL, name, "Out of range.");
    }
    return 0;
}
