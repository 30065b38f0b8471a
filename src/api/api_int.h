/* Internal to src/api: JSON body reading and shared writers. */
#ifndef GUILD_API_INT_H
#define GUILD_API_INT_H

#include <jansson.h>

#include "../core/json.h"
#include "../store/store.h"
#include "api.h"

/* Starts a JSON response: sets the content type and status and returns the writer. */
void api_begin(struct http_request *rq, struct json_w *w, int status);
/* Requires a JSON object body; ERR_INVAL (with message) otherwise. */
int api_need_json(struct http_request *rq);
/* Optional string member: *out NULL when absent or null; ERR_INVAL when another type. */
int api_json_str(struct http_request *rq, const char *key, const char **out);
/* Optional integer member (*present says whether it was there). */
int api_json_int(struct http_request *rq, const char *key, int64_t *out, bool *present);
/* Writes a jansson value through the writer (for stored explanations). */
void api_emit_json(struct json_w *w, json_t *v);
void api_write_item(struct json_w *w, const struct store_item *it);
/* The same object, its shared part reused from earlier requests made at write sequence seq
 * (store_write_seq() read before the rows were). */
void api_write_item_shared_cached(struct json_w *w, const struct store_item *it, uint64_t seq);
void api_write_modlog(struct json_w *w, const struct store_modlog *m);
/* Integer query parameter within [lo, hi], dflt when absent; ERR_INVAL (with message). */
int api_query_int(struct http_request *rq, const char *name, int64_t dflt, int64_t lo,
                  int64_t hi, int64_t *out);

/* What GET /api/v1/items/ID adds for a question (its answers in order) or an idea (its
 * status history), read before the response starts (answers.c). Arrays in rq's arena. */
struct app_answer;
struct api_item_extras {
    struct app_answer *answers;
    size_t nanswers;
    struct store_idea_event *events;
    size_t nevents;
};
int api_item_extras_load(struct http_request *rq, const struct store_item *it,
                         struct api_item_extras *x) __attribute__((warn_unused_result));
void api_item_extras_write(struct json_w *w, const struct store_item *it,
                           const struct api_item_extras *x);

#endif
