/* Groups on the API: create, read, join, manage members; a group's ideas. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "api_int.h"

static void write_group(struct json_w *w, const struct store_group *g)
{
    json_w_ki64(w, "id", g->id);
    json_w_kstr(w, "slug", g->slug);
    json_w_kstr(w, "name", g->name);
    json_w_kstr(w, "description", g->description);
    json_w_kstr(w, "membership", g->membership);
    json_w_kstr(w, "organisation", g->org_domain);
    json_w_kbool(w, "customers_only", g->customers_only);
    json_w_ki64(w, "vote_budget", g->vote_budget);
    json_w_ki64(w, "members", g->members);
    json_w_ki64(w, "created_at", g->created_at);
}

int api_groups_list(struct http_request *rq)
{
    struct store_group *list;
    size_t n;
    int rc = store_group_list(http_db(rq), &rq->arena, &list, &n);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "groups");
    json_w_begin_array(&w);
    for (size_t k = 0; k < n; k++) {
        json_w_begin_object(&w);
        write_group(&w, &list[k]);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    json_w_end(&w, '}');
    return 0;
}

static int read_group(struct http_request *rq, struct store_group *g)
{
    int64_t budget = 0;
    bool present = false;
    memset(g, 0, sizeof(*g));
    int rc = api_need_json(rq);
    const char *keys[] = {"slug", "name", "description", "membership", "organisation",
                          "customers"};
    const char **out[] = {&g->slug, &g->name, &g->description, &g->membership, &g->org_domain,
                          &g->customers};
    for (size_t k = 0; rc == 0 && k < sizeof(keys) / sizeof(keys[0]); k++) {
        rc = api_json_str(rq, keys[k], out[k]);
    }
    if (rc == 0) {
        rc = api_json_int(rq, "vote_budget", &budget, &present);
    }
    json_t *only = rq->json ? json_object_get(rq->json, "customers_only") : NULL;
    if (rc == 0 && only != NULL && !json_is_boolean(only)) {
        rc = http_fail(rq, ERR_INVAL, "customers_only", "customers_only is true or false.");
    }
    g->customers_only = json_is_true(only);
    g->vote_budget = present ? (budget >= 1 && budget <= 100 ? (int)budget : -1) : 0;
    if (g->membership == NULL) {
        g->membership = "open";
    }
    return rc;
}

int api_group_create(struct http_request *rq)
{
    struct store_group in, g;
    struct rules_error e = {0};
    int64_t id = 0;
    int rc = app_rate_limit(rq->app, rq, APP_SUBMIT); /* a group is a post of sorts */
    if (rc == 0) {
        rc = read_group(rq, &in);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_group_create(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in, &id, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    if ((rc = store_group_get_id(http_db(rq), &rq->arena, id, &g)) != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 201);
    json_w_begin_object(&w);
    json_w_key(&w, "group");
    json_w_begin_object(&w);
    write_group(&w, &g);
    json_w_end(&w, '}');
    json_w_end(&w, '}');
    return 0;
}

static void write_members(struct json_w *w, const struct store_group_member *m, size_t n)
{
    json_w_key(w, "members");
    json_w_begin_array(w);
    for (size_t k = 0; k < n; k++) {
        if (strcmp(m[k].state, "active") != 0) {
            continue;
        }
        json_w_begin_object(w);
        json_w_kstr(w, "handle", m[k].handle);
        json_w_kstr(w, "role", m[k].role);
        json_w_ki64(w, "joined_at", m[k].created_at);
        json_w_end(w, '}');
    }
    json_w_end(w, ']');
}

static void write_items(struct json_w *w, const char *key, const struct store_item *it, size_t n)
{
    json_w_key(w, key);
    json_w_begin_array(w);
    for (size_t k = 0; k < n; k++) {
        api_write_item(w, &it[k]);
    }
    json_w_end(w, ']');
}

/* The viewer's place in the group: role flags and, for ideas, the votes they have left. */
static void write_viewer(struct json_w *w, const struct rules_group_role *r, int held,
                         const struct store_group *g)
{
    json_w_key(w, "you");
    json_w_begin_object(w);
    json_w_kbool(w, "member", r->member);
    json_w_kbool(w, "moderator", r->moderator);
    json_w_kbool(w, "customer", r->customer);
    json_w_kbool(w, "pending", r->pending);
    json_w_kbool(w, "invited", r->invited);
    json_w_ki64(w, "votes_left", g->vote_budget - held > 0 ? g->vote_budget - held : 0);
    json_w_end(w, '}');
}

int api_group_get(struct http_request *rq)
{
    struct app_group_page p;
    int rc = app_group_page(rq, rq->params[0], &p);
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_key(&w, "group");
    json_w_begin_object(&w);
    write_group(&w, &p.g);
    json_w_end(&w, '}');
    write_members(&w, p.members, p.nmembers);
    write_items(&w, "questions", p.questions, p.nquestions);
    write_items(&w, "links", p.links, p.nlinks);
    write_items(&w, "ideas", p.ideas, p.nideas);
    json_w_key(&w, "competitions");
    json_w_begin_array(&w);
    for (size_t k = 0; k < p.ncomps; k++) {
        json_w_begin_object(&w);
        json_w_ki64(&w, "id", p.comps[k].id);
        json_w_kstr(&w, "title", p.comps[k].title);
        json_w_ki64(&w, "entry_end", p.comps[k].entry_end);
        json_w_ki64(&w, "vote_end", p.comps[k].vote_end);
        json_w_end(&w, '}');
    }
    json_w_end(&w, ']');
    write_viewer(&w, &p.role, p.votes_held, &p.g);
    json_w_end(&w, '}');
    return 0;
}

int api_group_ideas(struct http_request *rq)
{
    struct store_group g;
    const char *status = http_query(rq, "status");
    struct store_item *ideas;
    size_t n;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc == 0 && status != NULL && status[0] && !rules_in_list(rules_idea_statuses, status)) {
        rc = http_fail(rq, ERR_INVAL, "status", "status is submitted, open, planned, started, "
                                                "completed, declined or merged.");
    }
    if (rc == 0) {
        struct store_group_query q = {g.id, "idea", status, 0, STORE_SORT_TOP, 200, false};
        rc = store_group_items(http_db(rq), &rq->arena, &q, rq->user ? rq->user->id : 0,
                               &ideas, &n);
    }
    if (rc != 0) {
        return rc;
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    write_items(&w, "ideas", ideas, n);
    json_w_end(&w, '}');
    return 0;
}

int api_group_join(struct http_request *rq)
{
    struct store_group g;
    struct rules_error e = {0};
    const char *state = NULL;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc != 0) {
        return rc;
    }
    rc = rules_group_join(http_db(rq), &rq->arena, rq->user, &g, rq->now, &state, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "group", g.slug);
    json_w_kstr(&w, "state", state);
    json_w_end(&w, '}');
    return 0;
}

int api_group_member(struct http_request *rq)
{
    struct store_group g;
    struct store_user t;
    struct rules_error e = {0};
    const char *action = NULL, *role = NULL;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc == 0) {
        rc = app_member(rq, rq->params[1], "handle", &t);
    }
    if (rc == 0) {
        rc = api_need_json(rq);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "action", &action);
    }
    if (rc == 0) {
        rc = api_json_str(rq, "role", &role);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_group_member(http_db(rq), &rq->arena, rq->user, &g, &t, action, role, rq->now, &e);
    struct store_group_member m;
    if (rc == 0) {
        rc = store_group_membership(http_db(rq), &rq->arena, g.id, t.id, &m);
        if (rc == ERR_NOTFOUND) {
            m = (struct store_group_member){.handle = t.handle, .role = "", .state = "removed"};
            rc = 0;
        } else if (rc != 0) {
            return rc;
        }
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct json_w w;
    api_begin(rq, &w, 200);
    json_w_begin_object(&w);
    json_w_kstr(&w, "group", g.slug);
    json_w_kstr(&w, "handle", t.handle);
    json_w_kstr(&w, "role", m.role);
    json_w_kstr(&w, "state", m.state);
    json_w_end(&w, '}');
    return 0;
}
