/* Group pages: the list of groups, creating one, a group's front page (questions, links,
 * ideas, competitions, members and moderators, the forms to join and to post), its idea
 * portal with status filters, and the form actions behind them. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

int web_groups(struct http_request *rq)
{
    struct store_group *list;
    size_t n;
    int rc = store_group_list(http_db(rq), &rq->arena, &list, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Groups");
    HTML_LIT(b, "<h1>Groups</h1>\n<p class=\"meta\">Communities of practice and product idea "
                "portals: ask and answer, share, and vote on what gets built.</p>\n");
    if (rq->user != NULL) {
        HTML_LIT(b, "<p><a class=\"button\" href=\"/g/new\">Start a group</a></p>\n");
    }
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">No groups yet.</p>\n");
    }
    HTML_LIT(b, "<ul class=\"groups\">\n");
    for (size_t k = 0; k < n; k++) {
        HTML_LIT(b, "<li><a ");
        html_href(b, "/g/", list[k].slug);
        HTML_LIT(b, ">");
        html_text(b, list[k].name);
        HTML_LIT(b, "</a> <span class=\"meta\">");
        buf_appendf(b, "%d member%s · %s", list[k].members, list[k].members == 1 ? "" : "s",
                    list[k].membership);
        HTML_LIT(b, "</span><p>");
        html_text(b, list[k].description);
        HTML_LIT(b, "</p></li>\n");
    }
    HTML_LIT(b, "</ul>\n");
    page_end(rq);
    return 0;
}

static int new_group_form(struct http_request *rq, const char *error)
{
    struct buf *b = &rq->out;
    page_begin(rq, "Start a group");
    HTML_LIT(b, "<h1>Start a group</h1>\n");
    html_error_box(b, error);
    HTML_LIT(b, "<form method=\"post\" action=\"/g\" class=\"stack\">");
    html_csrf(rq);
    html_field_max(b, "slug", "Address name (/g/NAME)", "text", http_form(rq, "slug"), "off", true,
                   "Lower-case letters, digits and hyphens, like b2b-pricing.", RULES_SLUG_MAX);
    html_field_max(b, "name", "Name", "text", http_form(rq, "name"), "off", true, NULL,
                   RULES_NAME_MAX);
    HTML_LIT(b, "<label for=\"description\">What it is about</label><textarea id=\"description\" "
                "name=\"description\" rows=\"3\" maxlength=\"2000\"></textarea>"
                "<label for=\"membership\">Who may join</label><select id=\"membership\" "
                "name=\"membership\"><option value=\"open\">Anyone</option><option "
                "value=\"request\">On request (moderators approve)</option><option "
                "value=\"invite\">By invitation</option></select>");
    html_field_max(b, "organisation", "Organisation that runs it (its domain, for an idea "
                   "portal)", "text", http_form(rq, "organisation"), "off", false,
                   "Votes from its staff on the group's ideas count nothing.", RULES_ORG_MAX);
    HTML_LIT(b, "<label for=\"customers\">Customers (organisations or domains, one a line)</label>"
                "<textarea id=\"customers\" name=\"customers\" rows=\"3\" maxlength=\"2000\">"
                "</textarea><label class=\"check\"><input type=\"checkbox\" name=\"customers_only\" "
                "value=\"1\"> Only customers vote on ideas</label>"
                "<button>Create the group</button></form>\n");
    page_end(rq);
    return 0;
}

int web_group_new(struct http_request *rq)
{
    return new_group_form(rq, NULL);
}

int web_group_create(struct http_request *rq)
{
    struct store_group in = {.slug = http_form(rq, "slug"), .name = http_form(rq, "name"),
                             .description = http_form(rq, "description"),
                             .membership = http_form(rq, "membership"),
                             .org_domain = http_form(rq, "organisation"),
                             .customers = http_form(rq, "customers")};
    in.customers_only = http_form(rq, "customers_only") != NULL;
    struct rules_error e = {0};
    int64_t id;
    int rc = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (rc != 0) {
        return rc;
    }
    rc = rules_group_create(http_db(rq), &rq->arena, &rq->app->cfg.policy, rq->user, &in,
                                &id, &e);
    if (rc == ERR_INVAL || rc == ERR_EXISTS) {
        web_form_status(rq, rc);
        return new_group_form(rq, web_rules_message(&e));
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/g/%s", in.slug));
}

static void item_list(struct http_request *rq, const char *heading, const struct store_item *it,
                      size_t n, const char *empty)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>");
    html_text(b, heading);
    HTML_LIT(b, "</h2>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">");
        html_text(b, empty);
        HTML_LIT(b, "</p>\n");
        return;
    }
    HTML_LIT(b, "<ol class=\"items\">\n");
    for (size_t k = 0; k < n; k++) {
        html_item_row(rq, &it[k]);
    }
    HTML_LIT(b, "</ol>\n");
}

/* Join, the state of a request, or the post form with the 5:1 warning. */
static void member_box(struct http_request *rq, const struct app_group_page *p)
{
    struct buf *b = &rq->out;
    if (rq->user == NULL) {
        HTML_LIT(b, "<p><a href=\"/login\">Sign in</a> to join.</p>\n");
        return;
    }
    if (p->role.pending) {
        HTML_LIT(b, "<p class=\"note\">You asked to join: a moderator will decide.</p>\n");
        return;
    }
    if (!p->role.member) {
        buf_appendf(b, "<form method=\"post\" action=\"/g/%s/join\">", p->g.slug);
        html_csrf(rq);
        HTML_LIT(b, "<button>");
        html_text(b, p->role.invited ? "Accept the invitation" : strcmp(p->g.membership, "request") == 0
                                                                     ? "Ask to join" : "Join");
        HTML_LIT(b, "</button></form>\n");
        return;
    }
    if (p->promoter) {
        HTML_LIT(b, "<p class=\"held\" role=\"status\">More than one in six of your recent posts "
                    "here point at your own organisation. Your next ones that do will wait for "
                    "a moderator: share what helps the group, not your product.</p>\n");
    }
    buf_appendf(b, "<form method=\"post\" action=\"/g/%s/post\" class=\"stack post-form\">",
                p->g.slug);
    html_csrf(rq);
    HTML_LIT(b, "<fieldset><legend>Post in this group</legend><label for=\"kind\">Kind</label>"
                "<select id=\"kind\" name=\"kind\"><option value=\"question\">Question</option>"
                "<option value=\"idea\">Idea</option><option value=\"link\">Link</option>"
                "</select>");
    html_field_max(b, "title", "Title", "text", NULL, "off", true, NULL, RULES_TITLE_MAX);
    html_field(b, "url", "Address (links only)", "url", NULL, "off", false, NULL);
    HTML_LIT(b, "<label for=\"text\">Details</label><textarea id=\"text\" name=\"text\" rows=\"4\" "
                "maxlength=\"10000\"></textarea><button>Post</button></fieldset></form>\n");
}

static void members_list(struct http_request *rq, const struct app_group_page *p)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>Members</h2>\n<ul class=\"members\">");
    for (size_t k = 0; k < p->nmembers; k++) {
        const struct store_group_member *m = &p->members[k];
        bool pending = strcmp(m->state, "pending") == 0;
        if (strcmp(m->state, "active") != 0 && !(pending && p->role.moderator)) {
            continue;
        }
        HTML_LIT(b, "<li><a ");
        html_href(b, "/u/", m->handle);
        HTML_LIT(b, ">");
        html_text(b, m->handle);
        HTML_LIT(b, "</a> <span class=\"meta\">");
        html_text(b, pending ? "asks to join" : m->role);
        HTML_LIT(b, "</span>");
        if (p->role.moderator && (pending || strcmp(m->role, "moderator") != 0)) {
            buf_appendf(b, " <form class=\"inline\" method=\"post\" action=\"/g/%s/members/",
                        p->g.slug);
            esc_url_component(b, str_z(m->handle));
            HTML_LIT(b, "\">");
            html_csrf(rq);
            HTML_LIT(b, "<input type=\"hidden\" name=\"action\" value=\"approve\">"
                        "<select name=\"role\" aria-label=\"Role\"><option>member</option>"
                        "<option>customer</option><option>moderator</option></select>"
                        "<button>");
            html_text(b, pending ? "Approve" : "Set role");
            HTML_LIT(b, "</button></form>");
        }
        HTML_LIT(b, "</li>");
    }
    HTML_LIT(b, "</ul>\n");
}

static void competitions_list(struct http_request *rq, const struct app_group_page *p)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>Competitions</h2>\n");
    if (p->ncomps == 0) {
        HTML_LIT(b, "<p class=\"empty\">No competitions yet.</p>\n");
    }
    HTML_LIT(b, "<ul>");
    for (size_t k = 0; k < p->ncomps; k++) {
        buf_appendf(b, "<li><a href=\"/competitions/%lld\">", (long long)p->comps[k].id);
        html_text(b, p->comps[k].title);
        HTML_LIT(b, "</a></li>");
    }
    HTML_LIT(b, "</ul>\n");
    if (p->role.moderator) {
        html_competition_form(rq, p->g.slug);
    }
}

int web_group(struct http_request *rq)
{
    struct app_group_page p;
    int rc = app_group_page(rq, rq->params[0], &p);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, p.g.name);
    HTML_LIT(b, "<h1>");
    html_text(b, p.g.name);
    HTML_LIT(b, "</h1>\n<p class=\"meta\">");
    buf_appendf(b, "%d member%s · membership %s", p.g.members, p.g.members == 1 ? "" : "s",
                p.g.membership);
    HTML_LIT(b, " · <a href=\"/g/");
    esc_url_component(b, str_z(p.g.slug));
    HTML_LIT(b, "/ideas\">idea portal</a></p>\n<p>");
    html_text(b, p.g.description);
    HTML_LIT(b, "</p>\n");
    if (p.role.moderator) {
        HTML_LIT(b, "<p class=\"meta\">You moderate this group: what members flag or the "
                    "5:1 rule holds waits in <a href=\"/mod\">the moderation queue</a>");
        if (p.nsubmitted > 0) {
            buf_appendf(b, "; <a href=\"/g/%s/ideas?status=submitted\">%zu idea%s wait%s for "
                           "you to vet</a>", p.g.slug, p.nsubmitted,
                        p.nsubmitted == 1 ? "" : "s", p.nsubmitted == 1 ? "s" : "");
        }
        HTML_LIT(b, ".</p>\n");
    }
    member_box(rq, &p);
    item_list(rq, "Questions", p.questions, p.nquestions, "No questions yet.");
    item_list(rq, "Ideas", p.ideas, p.nideas, "No ideas yet.");
    item_list(rq, "Links", p.links, p.nlinks, "No links yet.");
    competitions_list(rq, &p);
    members_list(rq, &p);
    page_end(rq);
    return 0;
}
