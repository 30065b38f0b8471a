#include <string.h>

#include "../core/err.h"
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

void api_write_item(struct json_w *w, const struct store_item *it)
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
    json_w_kf64(w, "score", it->score);
    json_w_kf64(w, "hot", it->hot);
    json_w_ki64(w, "my_vote", it->my_vote);
    json_w_kbool(w, "opened", it->my_opened);
    json_w_kstr(w, "status", it->status);
    json_w_kbool(w, "locked", it->locked);
    json_w_kbool(w, "authored_by_submitter", it->authored);
    if (it->merged_into != 0) {
        json_w_ki64(w, "merged_into", it->merged_into);
    }
    json_w_end(w, '}');
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
