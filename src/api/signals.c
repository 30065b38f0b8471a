/* Reader signals on the API: saves, an author's statistics (k-anonymous), consents to be
 * contacted, the organisation's consenting contacts as CSV, and webhooks. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../monitor/monitor.h"
#include "api_int.h"

/* {"save": true|false} */
int api_item_save(struct http_request *rq)
{
    int rc = api_need_json(rq);
    if (rc != 0) {
        return rc;
    }
    json_t *v = json_object_get(rq->json, "save");
    if (!json_is_boolean(v)) {
        return http_fail(rq, ERR_INVAL, "save", "save is true or false.");
    }
    struct rules_error e = {0};
    if ((rc = app_rate_limit(rq->app, rq, APP_FOLLOW)) != 0) {
        return rc;
    }
    rc = rules_save(http_db(rq), rq->user, rq->id, json_is_true(v), rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", rq->id);
    json_w_kbool(&w, "saved", json_is_true(v));
    json_w_end(&w, '}');
    return 0;
}

int api_saved(struct http_request *rq)
{
    int64_t page;
    int rc = api_query_int(rq, "page", 1, 1, 1000, &page);
    struct store_item *items;
    size_t n;
    if (rc == 0) {
        rc = store_item_list_saved(http_db(rq), &rq->arena, rq->user->id, 50,
                                   (int)(page - 1) * 50, &items, &n);
    }
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "items");
    json_w_begin_array(&w);
    for (size_t i = 0; i < n; i++) {
        api_write_item(&w, &items[i]);
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

/* One figure: its number, or null when fewer than APP_STATS_K distinct readers are behind it
 * (or it is withheld so that no two answers subtract to fewer). */
static void write_figure(struct json_w *w, const char *key, const struct app_stat *c)
{
    json_w_key(w, key);
    if (c->shown) {
        json_w_i64(w, c->value);
    } else {
        json_w_null(w);
    }
}

static const char *api_dim_name(const char *dim)
{
    return strcmp(dim, "trusted") == 0 ? "trusted_readers" : dim;
}

/* Plain figures at the top level; votes, sources and organisations as objects. */
static void write_window(struct json_w *w, const struct app_stats_window *win)
{
    static const char *const groups[][2] = {
        {"votes", "votes"}, {"source", "sources"}, {"org", "organisations"}};
    for (size_t i = 0; i < win->n; i++) {
        if (win->cells[i].key[0] == '\0') {
            write_figure(w, api_dim_name(win->cells[i].dim), &win->cells[i]);
        }
    }
    for (size_t g = 0; g < 3; g++) {
        json_w_key(w, groups[g][1]);
        json_w_begin_object(w);
        for (size_t i = 0; i < win->n; i++) {
            if (strcmp(win->cells[i].dim, groups[g][0]) == 0) {
                write_figure(w, win->cells[i].key, &win->cells[i]);
            }
        }
        json_w_end(w, '}');
    }
}

static void api_write_stats(struct json_w *w, const struct app_stats_window *all,
                     const struct app_stats_window *weeks)
{
    json_w_ki64(w, "k", APP_STATS_K);
    write_window(w, all);
    json_w_key(w, "weeks");
    json_w_begin_array(w);
    for (int k = 0; k < APP_STATS_WEEKS; k++) {
        json_w_begin_object(w);
        json_w_kstr(w, "week", weeks[k].label);
        json_w_ki64(w, "from", weeks[k].from);
        json_w_ki64(w, "to", weeks[k].to);
        write_window(w, &weeks[k]);
        json_w_end(w, '}');
    }
    json_w_end(w, ']');
}

/* Statistics come for fixed windows only (all time and whole weeks): a range chosen by the
 * asker would let two overlapping ranges be subtracted. */
static int stats_no_ranges(struct http_request *rq)
{
    if (http_query_count(rq) > 0) {
        return http_fail(rq, ERR_INVAL, "query",
                         "Statistics come for all time and for whole weeks (Monday to Monday, "
                         "UTC) only: they take no parameters.");
    }
    return 0;
}

int api_item_stats(struct http_request *rq)
{
    struct store_item it;
    struct rules_error e = {0};
    int rc = stats_no_ranges(rq);
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_STATS);
    }
    if (rc == 0) {
        rc = store_item_get(http_db(rq), &rq->arena, rq->id, 0, &it);
    }
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "id", "No such item.");
    }
    if (rc == 0 && (rc = rules_stats_access(http_db(rq), rq->user, &it, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct app_stats_window all, weeks[APP_STATS_WEEKS];
    if (rc != 0 || (rc = app_stats(rq, it.id, 0, &all, weeks)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_ki64(&w, "item_id", it.id);
    json_w_kstr(&w, "title", it.title);
    api_write_stats(&w, &all, weeks);
    json_w_end(&w, '}');
    return 0;
}

/* {"org": DOMAIN, "allow": true|false} */
int api_consent(struct http_request *rq)
{
    const char *org = NULL;
    int rc = api_need_json(rq);
    if (rc == 0) {
        rc = api_json_str(rq, "org", &org);
    }
    json_t *allow = rc == 0 ? json_object_get(rq->json, "allow") : NULL;
    if (rc == 0 && !json_is_boolean(allow)) {
        rc = http_fail(rq, ERR_INVAL, "allow", "allow is true or false.");
    }
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_CONNECT);
    }
    if (rc != 0) {
        return rc;
    }
    struct rules_error e = {0};
    const char *domain;
    rc = rules_consent(http_db(rq), &rq->arena, rq->user, org, json_is_true(allow), rq->now,
                       &domain, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "org", domain);
    json_w_kbool(&w, "allowed", json_is_true(allow));
    json_w_end(&w, '}');
    return 0;
}

int api_consents(struct http_request *rq)
{
    struct store_consent *c;
    struct store_lead_export *x;
    size_t nc, nx;
    struct store *db = http_db(rq);
    int rc = store_consents(db, &rq->arena, rq->user->id, false, &c, &nc);
    if (rc == 0) {
        rc = store_lead_exports(db, &rq->arena, rq->user->id, &x, &nx);
    }
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "consents");
    json_w_begin_array(&w);
    for (size_t i = 0; i < nc; i++) {
        json_w_begin_object(&w);
        json_w_kstr(&w, "org", c[i].org);
        json_w_ki64(&w, "granted_at", c[i].granted_at);
        json_w_ki64(&w, "withdrawn_at", c[i].withdrawn_at);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_key(&w, "exports");
    json_w_begin_array(&w);
    for (size_t i = 0; i < nx; i++) {
        json_w_begin_object(&w);
        json_w_kstr(&w, "org", x[i].org);
        json_w_kstr(&w, "how", x[i].how);
        json_w_ki64(&w, "at", x[i].at);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}
