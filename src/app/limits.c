/* Rate limits as the request sees them: kept in this process (src/auth's limiter) on SQLite,
 * or in the database on PostgreSQL, where several `guild serve` nodes serve one guild and a
 * per-process count would give a client each node's budget (app.h). */
#include "../auth/auth.h"
#include "../core/log.h"
#include "../http/http.h"
#include "app.h"

/* A store that fails here lets the attempt through: the action itself then meets the same
 * database, and an outage must not lock every member out for a window afterwards. */
static void limit_failed(const struct auth_limiter *l, int rc)
{
    log_warn("rate limit %s: the database did not answer (%d); not counted", auth_limiter_name(l),
             rc);
}

int app_limit_wait(struct http_request *rq, struct auth_limiter *l, const char *key)
{
    if (!rq->app->shared_limits) {
        return auth_limiter_wait(l, key, rq->now);
    }
    int wait = 0;
    int rc = store_limit_wait(http_db(rq), auth_limiter_name(l), key, rq->now,
                              auth_limiter_window(l), auth_limiter_max(l), &wait);
    if (rc != 0) {
        limit_failed(l, rc);
    }
    return rc == 0 ? wait : 0;
}

int app_limit_take(struct http_request *rq, struct auth_limiter *l, const char *key)
{
    if (!rq->app->shared_limits) {
        return auth_limiter_take(l, key, rq->now);
    }
    int wait = 0;
    int rc = store_limit_take(http_db(rq), auth_limiter_name(l), key, rq->now,
                              auth_limiter_window(l), auth_limiter_max(l), &wait);
    if (rc != 0) {
        limit_failed(l, rc);
    }
    return rc == 0 ? wait : 0;
}

int app_limit_take_both(struct http_request *rq, struct auth_limiter *l1, const char *key1,
                        struct auth_limiter *l2, const char *key2)
{
    if (!rq->app->shared_limits) {
        int wait = app_limit_take(rq, l1, key1);
        if (wait > 0) { /* the longer wait, as in the database */
            int wait2 = auth_limiter_wait(l2, key2, rq->now);
            return wait2 > wait ? wait2 : wait;
        }
        wait = app_limit_take(rq, l2, key2);
        if (wait > 0) { /* refused by the second: the first's count goes back */
            auth_limiter_unfail(l1, key1, rq->now);
        }
        return wait;
    }
    struct store_limit_ask ask[2] = {
        {auth_limiter_name(l1), key1, auth_limiter_window(l1), auth_limiter_max(l1)},
        {auth_limiter_name(l2), key2, auth_limiter_window(l2), auth_limiter_max(l2)}};
    int wait = 0;
    int rc = store_limit_take_both(http_db(rq), ask, rq->now, &wait);
    if (rc != 0) {
        limit_failed(l1, rc);
    }
    return rc == 0 ? wait : 0;
}

static void limit_add(struct http_request *rq, struct auth_limiter *l, const char *key,
                      int delta)
{
    int rc = store_limit_add(http_db(rq), auth_limiter_name(l), key, rq->now,
                             auth_limiter_window(l), delta);
    if (rc != 0) {
        limit_failed(l, rc);
    }
}

void app_limit_fail(struct http_request *rq, struct auth_limiter *l, const char *key)
{
    if (rq->app->shared_limits) {
        limit_add(rq, l, key, 1);
    } else {
        auth_limiter_fail(l, key, rq->now);
    }
}

void app_limit_unfail(struct http_request *rq, struct auth_limiter *l, const char *key)
{
    if (rq->app->shared_limits) {
        limit_add(rq, l, key, -1);
    } else {
        auth_limiter_unfail(l, key, rq->now);
    }
}

void app_limit_reset(struct http_request *rq, struct auth_limiter *l, const char *key)
{
    if (!rq->app->shared_limits) {
        auth_limiter_reset(l, key, rq->now);
        return;
    }
    int rc = store_limit_reset(http_db(rq), auth_limiter_name(l), key);
    if (rc != 0) {
        limit_failed(l, rc);
    }
}
