/* Comment actions: vote, edit (form and save), delete. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "web_int.h"

static int comment_back(struct http_request *rq, int64_t cid)
{
    struct store_comment c;
    int rc = store_comment_get(http_db(rq), &rq->arena, cid, &c);
    if (rc != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#c%lld", (long long)c.item_id,
                                          (long long)cid));
}

int web_comment_vote(struct http_request *rq)
{
    int limited = app_rate_limit(rq->app, rq, APP_VOTE);
    if (limited != 0) {
        return limited;
    }
    int64_t cid;
    struct rules_error e = {0};
    cid = rq->id; /* validated by the route table */
    const char *v = http_form(rq, "value");
    int value = 2;
    if (v != NULL) {
        value = strcmp(v, "1") == 0 ? 1 : strcmp(v, "-1") == 0 ? -1 : strcmp(v, "0") == 0 ? 0 : 2;
    }
    int rc = rules_vote_comment(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, cid, value,
                                http_form(rq, "reason"), &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    return comment_back(rq, cid);
}

static int render_edit(struct http_request *rq, const struct store_comment *c, const char *body,
                       const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Edit comment");
    HTML_LIT(b, "<h1>Edit your comment</h1>\n");
    buf_appendf(b, "<form class=\"comment-form\" method=\"post\" action=\"/c/%lld/edit\">",
                (long long)c->id);
    html_csrf(rq);
    html_error_box(b, error);
    HTML_LIT(b, "<label for=\"body\">Comment (Markdown)</label><textarea id=\"body\" name=\"body\" "
                "rows=\"8\" maxlength=\"10000\" required>");
    html_text(b, body);
    buf_appendf(b, "</textarea><button>Save</button> <a href=\"/i/%lld#c%lld\">cancel</a></form>\n",
                (long long)c->item_id, (long long)c->id);
    page_end(rq);
    return 0;
}

int web_comment_edit_form(struct http_request *rq)
{
    int64_t cid;
    struct store_comment c;
    cid = rq->id; /* validated by the route table */
    int rc = store_comment_get(http_db(rq), &rq->arena, cid, &c);
    if (rc != 0) {
        return rc;
    }
    if (c.deleted || c.user_id != rq->user->id) {
        return http_fail(rq, ERR_DENIED, "comment", "Only the author can edit this comment.");
    }
    if (rq->now - c.created_at > RULES_EDIT_WINDOW) {
        return http_fail(rq, ERR_DENIED, "comment",
                         "Comments can be edited for 30 minutes after posting.");
    }
    return render_edit(rq, &c, c.body, NULL);
}

int web_comment_edit(struct http_request *rq)
{
    int64_t cid;
    struct rules_error e = {0};
    cid = rq->id; /* validated by the route table */
    const char *body = http_form(rq, "body");
    int rc = rules_comment_edit(http_db(rq), &rq->arena, rq->user, cid, body, rq->now, &e);
    if (rc == ERR_INVAL) {
        struct store_comment c;
        if (store_comment_get(http_db(rq), &rq->arena, cid, &c) == 0) {
            web_form_status(rq, rc);
            return render_edit(rq, &c, body ? body : "", web_rules_message(&e));
        }
    }
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    return comment_back(rq, cid);
}

int web_comment_delete(struct http_request *rq)
{
    int64_t cid;
    struct rules_error e = {0};
    cid = rq->id; /* validated by the route table */
    int rc = rules_comment_delete(http_db(rq), &rq->arena, rq->user, cid, &e);
    if (rc != 0) {
        return http_fail(rq, rc, e.field, e.message);
    }
    return comment_back(rq, cid);
}
