/* /people: who to follow, each with its reasons in words, a Follow button and a way to say
 * "not interested". */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

#define PEOPLE_PAGE 10

int web_people(struct http_request *rq)
{
    struct app_suggestion *s;
    size_t n;
    int rc = app_suggestions(rq->app, rq, PEOPLE_PAGE, &s, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Who to follow");
    HTML_LIT(b, "<h1>Who to follow</h1>\n<p class=\"meta\">Suggestions from the people you "
                "follow, the people who follow you, what you read and whom you talk with. "
                "Following gives nobody trust; connecting and endorsing do.</p>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">No suggestions yet: follow a few members from their "
                    "profiles, or read from the <a href=\"/\">front page</a>.</p>\n");
    }
    HTML_LIT(b, "<ul class=\"people\">\n");
    for (size_t i = 0; i < n; i++) {
        HTML_LIT(b, "<li><a class=\"who\" ");
        html_href(b, "/u/", s[i].handle);
        HTML_LIT(b, ">");
        html_text(b, s[i].handle);
        HTML_LIT(b, "</a><ul class=\"reasons\">");
        for (size_t r = 0; r < s[i].nreasons; r++) {
            HTML_LIT(b, "<li>");
            html_text(b, s[i].reasons[r]);
            HTML_LIT(b, "</li>");
        }
        HTML_LIT(b, "</ul><form class=\"inline\" method=\"post\" action=\"/u/");
        esc_url_component(b, str_z(s[i].handle));
        HTML_LIT(b, "/follow\">");
        html_csrf(rq);
        HTML_LIT(b, "<input type=\"hidden\" name=\"follow\" value=\"1\"><input type=\"hidden\" "
                    "name=\"back\" value=\"/people\"><button>Follow ");
        html_text(b, s[i].handle);
        HTML_LIT(b, "</button></form> <form class=\"inline\" method=\"post\" "
                    "action=\"/people/dismiss\">");
        html_csrf(rq);
        HTML_LIT(b, "<input type=\"hidden\" name=\"handle\" value=\"");
        html_attr(b, s[i].handle);
        HTML_LIT(b, "\"><button class=\"link\">Not interested</button></form></li>\n");
    }
    HTML_LIT(b, "</ul>\n");
    page_end(rq);
    return 0;
}

int web_people_dismiss(struct http_request *rq)
{
    struct store_user t;
    int rc = app_member(rq, http_form(rq, "handle"), "handle", &t);
    struct rules_error e = {0};
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_dismiss(http_db(rq), rq->user, &t, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, "/people");
}
