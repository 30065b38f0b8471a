/* Webhooks and their deliveries: queued with the event, tried by the monitor's worker. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define HOOK_COLS "id, owner_id, org, url, events, secret, created_at "

static void hook_read(struct arena *a, struct stmt *st, struct store_webhook *w)
{
    *w = (struct store_webhook){stmt_col_i64(st, 0),     stmt_col_i64(st, 1),
                                stmt_col_text(a, st, 2), stmt_col_text(a, st, 3),
                                stmt_col_text(a, st, 4), stmt_col_text(a, st, 5),
                                stmt_col_i64(st, 6)};
}

static int hooks_collect(struct store *s, struct arena *a, struct stmt *st,
                         struct store_webhook **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        hook_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}

int store_webhook_create(struct store *s, const struct store_webhook *w, int64_t *id)
{
    static const char sql[] = "INSERT INTO webhooks (owner_id, org, url, events, secret, "
                              "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, w->owner_id);
    stmt_bind_text(st, 2, w->org);
    stmt_bind_text(st, 3, w->url);
    stmt_bind_text(st, 4, w->events);
    stmt_bind_text(st, 5, w->secret);
    stmt_bind_i64(st, 6, w->created_at);
    int rc = stmt_exec(s, st);
    *id = rc == 0 ? store_last_id(s) : 0;
    return rc;
}

int store_webhook_get(struct store *s, struct arena *a, int64_t id, struct store_webhook *out)
{
    static const char sql[] = "SELECT " HOOK_COLS "FROM webhooks WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        hook_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_webhooks_for(struct store *s, struct arena *a, const char *event, const char *org,
                       struct store_webhook **out, size_t *n)
{
    /* events is "a,b,c": matched with commas on both sides, so "item.created" never matches
     * a longer name that contains it */
    static const char sql[] = "SELECT " HOOK_COLS "FROM webhooks WHERE "
                              "(',' || events || ',') LIKE ('%,' || ?1 || ',%') AND "
                              "org = ?2 ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, event);
    stmt_bind_text(st, 2, org != NULL ? org : "");
    return hooks_collect(s, a, st, out, n);
}

int store_webhooks_of(struct store *s, struct arena *a, int64_t owner_id,
                      struct store_webhook **out, size_t *n)
{
    static const char sql[] = "SELECT " HOOK_COLS "FROM webhooks WHERE owner_id = ?1 ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, owner_id);
    return hooks_collect(s, a, st, out, n);
}

int store_delivery_queue(struct store *s, int64_t webhook_id, const char *event,
                         const char *body, int64_t now)
{
    static const char sql[] = "INSERT INTO webhook_deliveries (webhook_id, event, body, "
                              "next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, webhook_id);
    stmt_bind_text(st, 2, event);
    stmt_bind_text(st, 3, body);
    stmt_bind_i64(st, 4, now);
    s->quiet = true; /* the delivery log is on no cached page */
    return stmt_exec(s, st);
}

#define DELIVERY_COLS                                                                          \
    "id, webhook_id, event, body, status, last_error, attempts, last_status, "                 \
    "next_attempt_at, created_at, delivered_at "

static int deliveries_collect(struct store *s, struct arena *a, struct stmt *st,
                              struct store_delivery **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_delivery){
            stmt_col_i64(st, 0),     stmt_col_i64(st, 1),     stmt_col_text(a, st, 2),
            stmt_col_text(a, st, 3), stmt_col_text(a, st, 4), stmt_col_text(a, st, 5),
            stmt_col_int(st, 6),     stmt_col_int(st, 7),     stmt_col_i64(st, 8),
            stmt_col_i64(st, 9),     stmt_col_i64(st, 10)};
    }
    stmt_done(st);
    return src;
}

int store_deliveries_due(struct store *s, struct arena *a, int64_t now, int limit,
                         struct store_delivery **out, size_t *n)
{
    static const char sql[] = "SELECT " DELIVERY_COLS "FROM webhook_deliveries WHERE "
                              "status = 'queued' AND next_attempt_at <= ?1 ORDER BY "
                              "next_attempt_at, id LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, now);
    stmt_bind_i64(st, 2, limit);
    return deliveries_collect(s, a, st, out, n);
}

int store_delivery_result(struct store *s, int64_t id, bool delivered, int http_status,
                          const char *error, int64_t next, int64_t now)
{
    static const char sql[] =
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?2, "
        "last_error = ?3, status = ?4, next_attempt_at = ?5, delivered_at = ?6 WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    stmt_bind_i64(st, 2, http_status);
    stmt_bind_text(st, 3, error != NULL ? error : "");
    stmt_bind_text(st, 4, delivered ? "delivered" : next > 0 ? "queued" : "failed");
    stmt_bind_i64(st, 5, next);
    stmt_bind_i64(st, 6, delivered ? now : 0);
    s->quiet = true;
    return stmt_exec(s, st);
}

int store_deliveries_of(struct store *s, struct arena *a, int64_t webhook_id, int limit,
                        struct store_delivery **out, size_t *n)
{
    static const char sql[] = "SELECT " DELIVERY_COLS "FROM webhook_deliveries WHERE "
                              "webhook_id = ?1 ORDER BY id DESC LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, webhook_id);
    stmt_bind_i64(st, 2, limit);
    return deliveries_collect(s, a, st, out, n);
}
