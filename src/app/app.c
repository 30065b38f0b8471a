#include "app.h"

#include "../core/err.h"
#include "../core/log.h"

#include <stdio.h>
#include <string.h>

void app_config_default(struct app_config *c)
{
    rules_policy_default(&c->policy);
    c->db_path = "guild.db";
    c->listen = "127.0.0.1:8080";
    c->site_name = "Guild";
    c->base_url = NULL;
    c->threads = 4;
    c->secure_cookies = false;
    c->rank_interval = 60;
    c->page_cache_ttl = 10;
    c->topic_interval = 3600;
    c->header_timeout = 20;
    c->body_timeout = 30;
    c->login_max_failures = 10;
    c->login_window = 900;
    c->reader_signals = true;
    static const struct app_limit defaults[APP_ACTIONS] = {
        [APP_JOIN] = {10, 3600},    [APP_SUBMIT] = {30, 3600},   [APP_VOTE] = {500, 3600},
        [APP_COMMENT] = {120, 3600}, [APP_INVITE] = {20, 86400}, [APP_OPEN] = {600, 3600},
        [APP_CONFIRM] = {3, 3600},  [APP_FOLLOW] = {200, 3600},  [APP_CONNECT] = {50, 86400},
        [APP_MESSAGE] = {100, 3600}, [APP_READ] = {1200, 3600},
        [APP_STATS] = {300, 3600}};
    memcpy(c->limits, defaults, sizeof(defaults));
}

static const char *const app_action_names[] = {"join",    "submit",  "vote",  "comment",
                                                "invite",  "open",    "confirm", "follow",
                                                "connect", "message", "read",  "stats"};
_Static_assert(sizeof(app_action_names) / sizeof(app_action_names[0]) == APP_ACTIONS,
               "every action has a name (its --limits name and its shared limit's rows)");

int app_config_limits(struct app_config *c, const char *spec)
{
    char buf[512];
    if (strlen(spec) >= sizeof(buf)) {
        return ERR_INVAL;
    }
    strcpy(buf, spec);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char name[16];
        int max, window, used = 0;
        if (sscanf(t, "%15[a-z]=%d/%d%n", name, &max, &window, &used) != 3 ||
            t[used] != '\0' || max < 1 || window < 1 || max > APP_LIMIT_MAX ||
            window > 7 * 86400) {
            return ERR_INVAL;
        }
        int a = 0;
        while (a < APP_ACTIONS && strcmp(app_action_names[a], name) != 0) {
            a++;
        }
        if (a == APP_ACTIONS) {
            return ERR_INVAL;
        }
        c->limits[a] = (struct app_limit){max, window};
    }
    return 0;
}

void app_limits_init(struct app *app)
{
    for (int a = 0; a < APP_ACTIONS; a++) {
        const struct app_limit *l = &app->cfg.limits[a];
        app->action_limiter[a] = auth_limiter_new(l->max, l->window);
        app->action_ip_limiter[a] = auth_limiter_new(3 * l->max, l->window);
        app->new_member_limiter[a] = auth_limiter_new(l->max / 3 > 0 ? l->max / 3 : 1, l->window);
        /* the names the database knows them by when several nodes share them: one per
         * action, made from the action's own name so that a new action cannot share a row */
        snprintf(app->limit_names[0][a], sizeof(app->limit_names[0][a]), "user:%s",
                 app_action_names[a]);
        snprintf(app->limit_names[1][a], sizeof(app->limit_names[1][a]), "ip:%s",
                 app_action_names[a]);
        snprintf(app->limit_names[2][a], sizeof(app->limit_names[2][a]), "new:%s",
                 app_action_names[a]);
        auth_limiter_set_name(app->action_limiter[a], app->limit_names[0][a]);
        auth_limiter_set_name(app->action_ip_limiter[a], app->limit_names[1][a]);
        auth_limiter_set_name(app->new_member_limiter[a], app->limit_names[2][a]);
    }
}

void app_limits_fini(struct app *app)
{
    for (int a = 0; a < APP_ACTIONS; a++) {
        auth_limiter_free(app->action_limiter[a]);
        auth_limiter_free(app->action_ip_limiter[a]);
        auth_limiter_free(app->new_member_limiter[a]);
        app->action_limiter[a] = app->action_ip_limiter[a] = app->new_member_limiter[a] = NULL;
    }
}

/* Seconds until the requester may do a (0: allowed, and then counted). */
static int rate_wait(struct app *app, struct http_request *rq, enum app_action a)
{
    if (app->action_limiter[a] == NULL) {
        return 0;
    }
    char ukey[32], ipkey[80];
    snprintf(ukey, sizeof(ukey), "u:%lld", (long long)(rq->user ? rq->user->id : 0));
    snprintf(ipkey, sizeof(ipkey), "ip:%s", http_client_key(rq));
    struct auth_limiter *per_user = app->action_limiter[a];
    if (rq->user && (a == APP_SUBMIT || a == APP_COMMENT) &&
        rules_is_new(&app->cfg.policy, rq->user, rq->now)) {
        per_user = app->new_member_limiter[a];
    }
    /* both limiters count the action, or neither: a refused action costs no budget */
    if (rq->user == NULL) {
        return app_limit_take(rq, app->action_ip_limiter[a], ipkey);
    }
    return app_limit_take_both(rq, per_user, ukey, app->action_ip_limiter[a], ipkey);
}

int app_rate_limit(struct app *app, struct http_request *rq, enum app_action a)
{
    int wait = rate_wait(app, rq, a);
    if (wait > 0) {
        http_add_header(rq, "Retry-After", arena_printf(&rq->arena, "%d", wait));
        return http_fail(rq, ERR_LIMIT, NULL,
                         arena_printf(&rq->arena, "You are doing that too often. Try again in "
                                                  "%d seconds.", wait));
    }
    return 0;
}

const char *app_base_url(struct http_request *rq)
{
    if (rq->app->cfg.base_url != NULL) {
        return rq->app->cfg.base_url;
    }
    const char *listen = rq->app->cfg.listen;
    const char *colon = strrchr(listen, ':');
    if (colon != NULL && strcmp(colon, ":0") == 0) { /* the port picked at start */
        return arena_printf(&rq->arena, "http://%.*s:%d", (int)(colon - listen), listen,
                            http_local_port(rq));
    }
    return arena_printf(&rq->arena, "http://%s", listen);
}

bool app_rate_allow(struct app *app, struct http_request *rq, enum app_action a)
{
    return rate_wait(app, rq, a) == 0;
}

int app_may_act(struct http_request *rq)
{
    struct rules_error e = {0};
    int rc = rules_can_act(rq->user, rq->now, &e);
    return rc == 0 ? 0 : http_fail(rq, rc, e.field, e.message);
}

int app_rules_fail(struct http_request *rq, int rc, const struct rules_error *e)
{
    if (rc == ERR_LIMIT && e->retry_after > 0) {
        http_add_header(rq, "Retry-After", arena_printf(&rq->arena, "%d", e->retry_after));
    }
    return http_fail(rq, rc, e->field, e->message);
}

int app_item_visible(struct http_request *rq, const struct store_item *it)
{
    if (rules_view(rq->user, it->user_id, it->status, false) == RULES_VIEW_WITHHELD) {
        return http_fail(rq, ERR_GONE, "id",
                         "The moderators removed this item; the public moderation log at "
                         "/moderations says why.");
    }
    return 0;
}

void app_note_write(struct app *app)
{
    if (app->ranker != NULL) {
        ranker_poke(app->ranker);
    }
}

int app_vote_item(struct app *app, struct http_request *rq, int64_t item_id, int value,
                  const char *reason, struct rules_error *e)
{
    struct store *db = http_db(rq);
    int rc = store_tx_begin(db);
    if (rc != 0) {
        return rc;
    }
    rc = rules_vote_item(db, &rq->arena, &app->cfg.policy, rq->user, item_id, value, reason, e);
    if (rc == 0) {
        app_item_changed(app, db, item_id, rq->now);
        rc = store_tx_commit(db);
    } else {
        store_tx_rollback(db);
    }
    return rc;
}

void app_item_changed(struct app *app, struct store *db, int64_t item_id, int64_t now)
{
    if (app->ranker != NULL && ranker_item_changed(app->ranker, db, item_id, now) != 0) {
        log_warn("ranker: incremental update of item %lld failed", (long long)item_id);
    }
}

int app_member(struct http_request *rq, const char *handle, const char *field,
               struct store_user *out)
{
    int rc = handle != NULL && handle[0] != '\0'
                 ? store_user_by_handle(http_db(rq), &rq->arena, handle, out)
                 : ERR_NOTFOUND;
    return rc == ERR_NOTFOUND ? http_fail(rq, rc, field, "No such member.") : rc;
}
