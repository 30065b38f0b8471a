/* A group's idea portal page (ideas by their bound, filtered by status) and the group form
 * actions: join, a moderator's decision on a member, and posting. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

int web_group_ideas(struct http_request *rq)
{
    struct store_group g;
    struct store_item *ideas;
    size_t n;
    const char *status = http_query(rq, "status");
    int rc = app_group(rq, rq->params[0], &g);
    if (rc == 0 && status != NULL && status[0] && !rules_in_list(rules_idea_statuses, status)) {
        rc = http_fail(rq, ERR_INVAL, "status", "No such status.");
    }
    if (rc == 0) {
        struct store_group_query q = {g.id, "idea", status, 0, STORE_SORT_TOP, 200, false};
        rc = store_group_items(http_db(rq), &rq->arena, &q, rq->user ? rq->user->id : 0,
                               &ideas, &n);
    }
    struct rules_group_role r;
    int held = 0;
    if (rc == 0) {
        rc = rules_group_role(http_db(rq), &rq->arena, rq->user, &g, &r);
    }
    if (rc == 0 && rq->user != NULL) {
        rc = store_idea_votes_held(http_db(rq), g.id, rq->user->id, &held);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, arena_printf(&rq->arena, "Ideas · %s", g.name));
    HTML_LIT(b, "<h1>Ideas for <a ");
    html_href(b, "/g/", g.slug);
    HTML_LIT(b, ">");
    html_text(b, g.name);
    buf_appendf(b, "</a></h1>\n<p class=\"meta\">Ordered by what trusted voters chose with "
                   "their budgets (%d open votes each)%s.</p>\n<nav class=\"filters\" "
                   "aria-label=\"Status\">",
                g.vote_budget, g.customers_only ? "; customers vote" : "");
    /* the filter shown is plain text, the others links */
    bool all = status == NULL || !status[0];
    buf_appendf(b, all ? "<strong>all</strong>" : "<a href=\"/g/%s/ideas\">all</a>", g.slug);
    for (size_t k = 0; rules_idea_statuses[k] != NULL; k++) {
        const char *st = rules_idea_statuses[k];
        if (!all && strcmp(status, st) == 0) {
            buf_appendf(b, " <strong>%s</strong>", st);
        } else {
            buf_appendf(b, " <a href=\"/g/%s/ideas?status=%s\">%s</a>", g.slug, st, st);
        }
    }
    HTML_LIT(b, "</nav>\n");
    html_budget_line(rq, &g, &r, held);
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">No ideas here.</p>\n");
    }
    HTML_LIT(b, "<ol class=\"items\">\n");
    for (size_t k = 0; k < n; k++) {
        html_item_row(rq, &ideas[k]);
    }
    HTML_LIT(b, "</ol>\n");
    page_end(rq);
    return 0;
}

int web_group_join(struct http_request *rq)
{
    struct store_group g;
    struct rules_error e = {0};
    const char *state;
    int rc = app_group(rq, rq->params[0], &g);
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_group_join(http_db(rq), &rq->arena, rq->user, &g, rq->now, &state, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/g/%s", g.slug));
}

int web_group_member(struct http_request *rq)
{
    struct store_group g;
    struct store_user t;
    struct rules_error e = {0};
    int rc = app_group(rq, rq->params[0], &g);
    if (rc == 0) {
        rc = app_member(rq, rq->params[1], "handle", &t);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_group_member(http_db(rq), &rq->arena, rq->user, &g, &t, http_form(rq, "action"),
                            http_form(rq, "role"), rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/g/%s", g.slug));
}

int web_group_post(struct http_request *rq)
{
    struct store_group g;
    struct rules_error e = {0};
    int64_t id = 0;
    int rc = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (rc == 0) {
        rc = app_group(rq, rq->params[0], &g);
    }
    if (rc != 0) {
        return rc;
    }
    const char *url = http_form(rq, "url");
    struct rules_submission in = {.kind = http_form(rq, "kind"), .title = http_form(rq, "title"),
                                  .text = http_form(rq, "text"), .group = &g,
                                  .url = url && url[0] ? url : NULL, .tags = ""};
    in.topic_known = app_topic_score(rq->app, in.title, in.text, &in.topic_score,
                                     &in.topic_removals);
    rc = rules_submit(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in, &id, &e);
    if (rc == ERR_EXISTS) {
        return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld?existing=1", (long long)id));
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    app_note_write(rq->app);
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld", (long long)id));
}
