/* Questions and ideas on their pages: a question's answers (in the order of their trust-
 * weighted bound, the accepted one first while it is not clearly worse), the answer form and
 * the asker's Accept buttons; an idea's status, its public history, the voter's budget and
 * the moderators' status form; and the form actions behind them. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../text/text.h"
#include "web_int.h"

static void answer_votes(struct http_request *rq, const struct app_answer *x, bool member)
{
    struct buf *b = &rq->out;
    bool mine = !member || rq->user == NULL || rq->user->id == x->a.user_id; /* no buttons */
    HTML_LIT(b, "<div class=\"votes\">");
    if (rq->user != NULL && !mine) {
        buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/answers/%lld/vote\">",
                    (long long)x->a.id);
        html_csrf(rq);
        buf_appendf(b, "<input type=\"hidden\" name=\"value\" value=\"%s\"><button class=\"up%s\" "
                       "aria-label=\"%s\">▲</button></form>",
                    x->a.my_vote == 1 ? "0" : "1", x->a.my_vote == 1 ? " on" : "",
                    x->a.my_vote == 1 ? "Withdraw your upvote of this answer" : "Upvote this answer");
    }
    HTML_LIT(b, "<span class=\"points\">");
    html_num(b, x->a.ups - x->a.downs);
    HTML_LIT(b, "</span>");
    if (rq->user != NULL && !mine) {
        buf_appendf(b, "<form class=\"downvote\" method=\"post\" action=\"/answers/%lld/vote\">",
                    (long long)x->a.id);
        html_csrf(rq);
        buf_appendf(b, "<input type=\"hidden\" name=\"value\" value=\"%s\">",
                    x->a.my_vote == -1 ? "0" : "-1");
        if (x->a.my_vote != -1) {
            html_reason_select(b);
        }
        buf_appendf(b, "<button class=\"down%s\" aria-label=\"%s\">▼</button></form>",
                    x->a.my_vote == -1 ? " on" : "",
                    x->a.my_vote == -1 ? "Withdraw your downvote" : "Downvote this answer");
    }
    HTML_LIT(b, "</div>");
}

static void answer_row(struct http_request *rq, const struct store_item *q,
                       const struct app_answer *x, bool member, bool moderator)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<li class=\"answer%s\" id=\"a%lld\">", x->accepted ? " accepted" : "",
                (long long)x->a.id);
    answer_votes(rq, x, member);
    HTML_LIT(b, "<div class=\"body\"><p class=\"meta\">");
    if (x->accepted) {
        HTML_LIT(b, "<span class=\"badge\">Accepted by the asker</span> ");
    }
    if (x->endorsed_on != NULL) {
        HTML_LIT(b, "<span class=\"badge\">endorsed on ");
        html_text(b, x->endorsed_on);
        HTML_LIT(b, "</span> ");
    }
    html_member_link(b, x->a.handle);
    HTML_LIT(b, " ");
    html_age(b, x->a.created_at, rq->now);
    buf_appendf(b, " · <span title=\"How highly trusted readers of the question rate it, at the "
                   "cautious end: more votes make it surer\">readers' estimate %.2f</span></p>",
                x->bound);
    if (text_markdown_html(b, str_z(x->a.body)) != 0) {
        html_text(b, x->a.body); /* md4c refused it: the text as it was written */
    }
    if (moderator) { /* a group's moderators remove an answer through the public log */
        HTML_LIT(b, "<form class=\"inline mod-answer\" method=\"post\" action=\"/mod/act\">");
        html_csrf(rq);
        buf_appendf(b, "<input type=\"hidden\" name=\"action\" value=\"remove\"><input "
                       "type=\"hidden\" name=\"target\" value=\"answer\"><input type=\"hidden\" "
                       "name=\"target_id\" value=\"%lld\"><input name=\"reason\" required "
                       "maxlength=\"500\" aria-label=\"Reason for removing answer %lld\" "
                       "placeholder=\"reason (public)\"> <button>Remove</button></form>",
                    (long long)x->a.id, (long long)x->a.id);
    }
    if (rq->user != NULL && rq->user->id == q->user_id && rq->user->id != x->a.user_id) {
        buf_appendf(b, "<form method=\"post\" action=\"/i/%lld/accept\">", (long long)q->id);
        html_csrf(rq);
        buf_appendf(b, "<input type=\"hidden\" name=\"answer\" value=\"%lld\"><button>%s</button>"
                       "</form>",
                    x->accepted ? 0LL : (long long)x->a.id,
                    x->accepted ? "Take the acceptance back" : "Accept this answer");
    }
    HTML_LIT(b, "</div></li>\n");
}

int html_question_answers(struct http_request *rq, const struct store_item *it)
{
    struct app_answer *list;
    struct store_group g;
    struct rules_group_role r;
    size_t n;
    int rc = app_question_answers(http_db(rq), &rq->arena, it, rq->user ? rq->user->id : 0,
                                  &list, &n);
    if (rc == 0) {
        rc = store_group_get_id(http_db(rq), &rq->arena, it->group_id, &g);
    }
    if (rc == 0) {
        rc = rules_group_role(http_db(rq), &rq->arena, rq->user, &g, &r);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    buf_appendf(b, "<section class=\"answers\" id=\"answers\"><h2>%zu answer%s</h2>\n", n,
                n == 1 ? "" : "s");
    if (n > 1) {
        HTML_LIT(b, "<p class=\"meta\">Ordered by what trusted readers of the question thought "
                    "of each answer. The answer the asker accepted comes first unless another "
                    "is clearly better: better even at the cautious end of its estimate than "
                    "the accepted one could be at the hopeful end.</p>\n");
    }
    HTML_LIT(b, "<ol class=\"answers\">\n");
    for (size_t k = 0; k < n; k++) {
        answer_row(rq, it, &list[k], r.member, r.moderator);
    }
    HTML_LIT(b, "</ol>\n");
    if (rq->user != NULL && r.member) {
        buf_appendf(b, "<form method=\"post\" action=\"/i/%lld/answers\" class=\"answer-form\">",
                    (long long)it->id);
        html_csrf(rq);
        HTML_LIT(b, "<label for=\"answer-body\">Your answer</label><textarea id=\"answer-body\" "
                    "name=\"body\" rows=\"6\" maxlength=\"10000\" required></textarea>"
                    "<p class=\"hint\">An answer to the question (Markdown). Help, not "
                    "promotion: answers that pitch your own product get flagged. Comments below "
                    "are for asking the asker more.</p><button>Post your answer</button></form>\n");
    } else if (rq->user != NULL) {
        HTML_LIT(b, "<p class=\"note\"><a ");
        html_href(b, "/g/", g.slug);
        HTML_LIT(b, ">Join ");
        html_text(b, g.name);
        HTML_LIT(b, "</a> to answer and vote on answers.</p>\n");
    }
    HTML_LIT(b, "</section>\n");
    return 0;
}

/* The moderators' form: the statuses an idea may move to, a public reason, and for a merge
 * the idea it duplicates. */
static void status_form(struct http_request *rq, const struct store_item *it)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<form method=\"post\" action=\"/i/%lld/status\" class=\"idea-status\">",
                (long long)it->id);
    html_csrf(rq);
    HTML_LIT(b, "<fieldset><legend>Change the status (moderators)</legend>"
                "<label for=\"new-status\">New status</label><select id=\"new-status\" name=\"status\">");
    static const char *const offer[] = {"approved", "planned", "started", "completed",
                                        "declined", "merged"};
    for (size_t k = 0; k < sizeof(offer) / sizeof(offer[0]); k++) {
        HTML_LIT(b, "<option>");
        html_text(b, offer[k]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select><label for=\"reason\">Public reason (voters read it)</label>"
                "<textarea id=\"reason\" name=\"reason\" rows=\"2\" maxlength=\"1000\" required>"
                "</textarea><label for=\"into\">Duplicate of idea number (for merged)</label>"
                "<input id=\"into\" name=\"into\" type=\"number\" min=\"1\">"
                "<button>Change status</button></fieldset></form>\n");
}

void html_budget_line(struct http_request *rq, const struct store_group *g,
                      const struct rules_group_role *r, int held)
{
    struct buf *b = &rq->out;
    if (rq->user == NULL || !r->member) {
        return;
    }
    if (g->customers_only && !r->customer) {
        HTML_LIT(b, "<p class=\"meta\">Only the portal's customers vote on its ideas.</p>\n");
        return;
    }
    int left = g->vote_budget - held > 0 ? g->vote_budget - held : 0;
    buf_appendf(b, "<p class=\"meta\">You have %d of your %d votes left in this portal%s.</p>\n",
                left, g->vote_budget,
                left == 0 ? ": take one back from another idea to vote here, or wait until one "
                            "of yours is completed or declined"
                          : "");
}

int html_idea_status(struct http_request *rq, const struct store_item *it)
{
    struct store_idea_event *ev;
    struct store_group g;
    struct rules_group_role r;
    size_t n;
    int held = 0;
    struct store *db = http_db(rq);
    int rc = store_idea_events(db, &rq->arena, it->id, &ev, &n);
    if (rc == 0) {
        rc = store_group_get_id(db, &rq->arena, it->group_id, &g);
    }
    if (rc == 0) {
        rc = rules_group_role(db, &rq->arena, rq->user, &g, &r);
    }
    if (rc == 0 && rq->user != NULL) {
        rc = store_idea_votes_held(db, g.id, rq->user->id, &held);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section class=\"idea\" id=\"status\"><h2>Status: ");
    html_text(b, strcmp(it->idea_status, "submitted") == 0 ? "waiting to be vetted" : it->idea_status);
    HTML_LIT(b, "</h2>\n");
    html_budget_line(rq, &g, &r, held);
    HTML_LIT(b, "<ol class=\"history\">");
    for (size_t k = 0; k < n; k++) {
        HTML_LIT(b, "<li><strong>");
        html_text(b, ev[k].status);
        HTML_LIT(b, "</strong> ");
        html_age(b, ev[k].at, rq->now);
        HTML_LIT(b, " by ");
        html_text(b, ev[k].actor_handle);
        HTML_LIT(b, ": ");
        html_text(b, ev[k].reason);
        if (ev[k].into_id) {
            buf_appendf(b, " (<a href=\"/i/%lld\">the idea it duplicates</a>)", (long long)ev[k].into_id);
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ol>\n");
    if (r.moderator) {
        status_form(rq, it);
    }
    HTML_LIT(b, "</section>\n");
    return 0;
}

static int form_id(struct http_request *rq, const char *name, int64_t *out)
{
    const char *s = http_form(rq, name);
    *out = 0;
    if (s == NULL || s[0] == '\0') {
        return 0;
    }
    return parse_id(s, out) || strcmp(s, "0") == 0 ? 0 : http_fail(rq, ERR_INVAL, name, "Give a number.");
}

int web_answer_post(struct http_request *rq)
{
    struct rules_error e = {0};
    int64_t aid;
    int rc = app_rate_limit(rq->app, rq, APP_COMMENT);
    if (rc != 0) {
        return rc;
    }
    rc = rules_answer(http_db(rq), &rq->arena, rq->user, rq->id, http_form(rq, "body"), rq->now,
                      &aid, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#a%lld", (long long)rq->id,
                                          (long long)aid));
}

int web_answer_vote(struct http_request *rq)
{
    struct rules_error e = {0};
    int value = 0;
    int rc = app_rate_limit(rq->app, rq, APP_VOTE);
    if (rc == 0) {
        rc = web_vote_value(rq, &value);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_answer_vote(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, rq->id,
                           value, http_form(rq, "reason"), &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct store_answer a;
    if ((rc = store_answer_get(http_db(rq), &rq->arena, rq->id, rq->user->id, &a)) != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#a%lld", (long long)a.item_id,
                                          (long long)a.id));
}

int web_item_accept(struct http_request *rq)
{
    struct rules_error e = {0};
    int64_t answer;
    int rc = form_id(rq, "answer", &answer);
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_accept(http_db(rq), &rq->arena, rq->user, rq->id, answer, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#answers", (long long)rq->id));
}

int web_item_status(struct http_request *rq)
{
    int64_t into;
    struct store_item it;
    struct store_group g;
    int rc = form_id(rq, "into", &into);
    if (rc == 0) {
        rc = app_idea_status(rq, rq->id, http_form(rq, "status"), http_form(rq, "reason"), into,
                             &it, &g);
    }
    if (rc != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/i/%lld#status", (long long)rq->id));
}
