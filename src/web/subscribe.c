/* Sign-up in one field: /subscribe (email, and a name if you like) for the daily digest, a
 * blog's new posts or a search; the confirmation link; and the unsubscribe page, whose POST
 * is also RFC 8058's one-click unsubscribe (no login, no cookie: the token is the key). */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

static void render_subscribe(struct http_request *rq, const char *what, const char *target,
                             const char *error)
{
    struct buf *b = &rq->out;
    const char *about = strcmp(what, "blog") == 0     ? "this blog's new posts"
                        : strcmp(what, "search") == 0 ? "new matches for this search"
                                                      : "the guild's daily digest";
    page_begin(rq, "Subscribe");
    HTML_LIT(b, "<h1>Subscribe by mail</h1>\n");
    html_error_box(b, error);
    HTML_LIT(b, "<p>Get ");
    html_text(b, about);
    if (strcmp(what, "search") == 0) {
        HTML_LIT(b, " (\"");
        html_text(b, target);
        HTML_LIT(b, "\")");
    }
    HTML_LIT(b, " by mail. Only your email address is needed; we mail you a link to confirm, "
                "and every mail has a one-click unsubscribe. Subscribers read; members vote "
                "and comment.</p>\n<form class=\"stack narrow\" method=\"post\" "
                "action=\"/subscribe\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"what\" value=\"");
    html_attr(b, what);
    HTML_LIT(b, "\"><input type=\"hidden\" name=\"target\" value=\"");
    html_attr(b, target != NULL ? target : "");
    HTML_LIT(b, "\">");
    html_field(b, "email", "Email", "email", http_form(rq, "email"), "email", true, NULL);
    html_field(b, "name", "Name (optional)", "text", http_form(rq, "name"), "name", false, NULL);
    HTML_LIT(b, "<button>Subscribe</button></form>\n");
    page_end(rq);
}

static const char *subscribe_what(const char *what)
{
    return what != NULL && (strcmp(what, "blog") == 0 || strcmp(what, "search") == 0) ? what
                                                                                       : "digest";
}

int web_subscribe_form(struct http_request *rq)
{
    const char *blog = http_query(rq, "blog"), *q = http_query(rq, "q");
    const char *what = blog != NULL ? "blog" : q != NULL ? "search" : "digest";
    render_subscribe(rq, what, blog != NULL ? blog : q, NULL);
    return 0;
}

int web_subscribe(struct http_request *rq)
{
    const char *what = subscribe_what(http_form(rq, "what"));
    const char *target = http_form(rq, "target");
    const char *email = http_form(rq, "email");
    bool already = false;
    int rc = app_subscribe(rq, email, http_form(rq, "name"), what, target, &already);
    if (rc == ERR_INVAL || rc == ERR_LIMIT) {
        web_form_status(rq, rc);
        render_subscribe(rq, what, target, rq->err_message);
        return 0;
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Check your mail");
    /* the same answer whether the address was subscribed already or not: the page tells no one
     * who reads what */
    (void)already;
    HTML_LIT(b, "<h1>Check your mail</h1>\n<p role=\"status\">Unless ");
    html_text(b, email);
    HTML_LIT(b, " is subscribed already, a confirmation link is on its way to it. Nothing is "
                "mailed until it is opened.</p>\n");
    page_end(rq);
    return 0;
}

static int subscriber_of(struct http_request *rq, struct store_subscriber *s)
{
    int rc = store_subscriber_by_token(http_db(rq), &rq->arena, rq->params[0], s);
    return rc == ERR_NOTFOUND
               ? http_fail(rq, rc, "token", "This link is not (or no longer) a subscription.")
               : rc;
}

static void render_token_page(struct http_request *rq, const char *title, const char *text,
                              const char *action, const char *button)
{
    struct buf *b = &rq->out;
    page_begin(rq, title);
    HTML_LIT(b, "<h1>");
    html_text(b, title);
    HTML_LIT(b, "</h1>\n<p role=\"status\">");
    html_text(b, text);
    HTML_LIT(b, "</p>\n");
    if (action != NULL) {
        HTML_LIT(b, "<form method=\"post\" action=\"");
        html_attr(b, action);
        HTML_LIT(b, "\">");
        if (strncmp(action, "/subscribe/", 11) == 0) {
            html_csrf(rq);
        }
        HTML_LIT(b, "<button>");
        html_text(b, button);
        HTML_LIT(b, "</button></form>\n");
    }
    page_end(rq);
}

/* GET shows a button (mail scanners open links; a person presses the button). */
int web_subscribe_confirm_form(struct http_request *rq)
{
    struct store_subscriber s;
    int rc = subscriber_of(rq, &s);
    if (rc != 0) {
        return rc;
    }
    if (s.confirmed_at > 0 && s.unsubscribed_at == 0) {
        render_token_page(rq, "Subscribed", "Your subscription is confirmed.", NULL, NULL);
        return 0;
    }
    render_token_page(rq, "Confirm your subscription",
                      arena_printf(&rq->arena, "Confirm that %s wants these mails.", s.email),
                      arena_printf(&rq->arena, "/subscribe/confirm/%s", s.token), "Confirm");
    return 0;
}

int web_subscribe_confirm(struct http_request *rq)
{
    struct store_subscriber s;
    struct rules_error e = {0};
    int rc = subscriber_of(rq, &s);
    if (rc == 0 && (rc = rules_subscription(http_db(rq), &s, true, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    if (rc != 0) {
        return rc;
    }
    render_token_page(rq, "Subscribed",
                      "Confirmed: the mails start with the next one. Each has a link to "
                      "unsubscribe with one click.",
                      NULL, NULL);
    return 0;
}

int web_unsubscribe_form(struct http_request *rq)
{
    struct store_subscriber s;
    int rc = subscriber_of(rq, &s);
    if (rc != 0) {
        return rc;
    }
    if (s.unsubscribed_at > 0) {
        render_token_page(rq, "Unsubscribed", "You are unsubscribed: no more mails.", NULL, NULL);
        return 0;
    }
    render_token_page(rq, "Unsubscribe",
                      arena_printf(&rq->arena, "Stop these mails to %s?", s.email),
                      arena_printf(&rq->arena, "/unsubscribe/%s", s.token), "Unsubscribe");
    return 0;
}

int web_unsubscribe(struct http_request *rq)
{
    struct store_subscriber s;
    struct rules_error e = {0};
    int rc = subscriber_of(rq, &s);
    if (rc == 0 && (rc = rules_subscription(http_db(rq), &s, false, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    if (rc != 0) {
        return rc;
    }
    render_token_page(rq, "Unsubscribed", "You are unsubscribed: no more mails.", NULL, NULL);
    return 0;
}
