/* /messages: conversations, one conversation with its reply form, form messages marked with a
 * "Mute this sender" button, and the setting that opens the inbox to everyone. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../text/text.h"
#include "web_int.h"

int web_messages(struct http_request *rq)
{
    struct store_conversation_row *c;
    size_t n;
    int rc = store_conversations(http_db(rq), &rq->arena, rq->user->id, &c, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Messages");
    HTML_LIT(b, "<h1>Messages</h1>\n<p class=\"meta\">You can write to your connections, and to "
                "members who accept messages from anyone. Start from a member's profile.</p>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">No messages yet.</p>\n");
    } else {
        HTML_LIT(b, "<ul class=\"conversations\">\n");
        for (size_t i = 0; i < n; i++) {
            HTML_LIT(b, "<li><a ");
            html_href(b, "/messages/", c[i].handle);
            HTML_LIT(b, ">");
            html_text(b, c[i].handle);
            HTML_LIT(b, "</a> <span class=\"meta\">");
            html_age(b, c[i].last_at, rq->now);
            if (c[i].unread > 0) {
                buf_appendf(b, " · %d unread", c[i].unread);
            }
            HTML_LIT(b, "</span>");
            if (c[i].form) {
                HTML_LIT(b, " <span class=\"tag\">form message</span>");
            }
            HTML_LIT(b, "</li>\n");
        }
        HTML_LIT(b, "</ul>\n");
    }
    page_end(rq);
    return 0;
}

static void mute_form(struct http_request *rq, const char *handle)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/messages/");
    esc_url_component(b, str_z(handle));
    HTML_LIT(b, "/mute\">");
    html_csrf(rq);
    HTML_LIT(b, "<button>Mute this sender</button></form>");
}

static void message_row(struct http_request *rq, const struct store_message *m, bool mine)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<li><div class=\"meta\"><a ");
    html_href(b, "/u/", m->from_handle);
    HTML_LIT(b, ">");
    html_text(b, m->from_handle);
    HTML_LIT(b, "</a> · ");
    html_age(b, m->at, rq->now);
    if (m->form) {
        HTML_LIT(b, " · <span class=\"tag\">form message</span> ");
        if (mine) {
            HTML_LIT(b, "<span>shown to them as a form message</span>");
        } else {
            HTML_LIT(b, "<span>the same text went to many members, or came right after a "
                        "follow</span> ");
            mute_form(rq, m->from_handle);
        }
    }
    HTML_LIT(b, "</div><div class=\"body\">");
    if (text_markdown_html(b, str_z(m->body)) != 0) {
        html_text(b, m->body);
    }
    HTML_LIT(b, "</div></li>\n");
}

/* The conversation with the member in the path, with a notice or an error above it and the
 * draft kept in the form after an error. */
static int render_conversation(struct http_request *rq, const char *notice, const char *error,
                               const char *draft)
{
    struct store_user t;
    struct store_message *m;
    size_t n;
    int rc = app_member(rq, rq->params[0], "handle", &t);
    if (rc != 0 || (rc = store_conversation(http_db(rq), &rq->arena, rq->user->id, t.id, 100,
                                            &m, &n)) != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, arena_printf(&rq->arena, "Messages with %s", t.handle));
    HTML_LIT(b, "<h1>Messages with <a ");
    html_href(b, "/u/", t.handle);
    HTML_LIT(b, ">");
    html_text(b, t.handle);
    HTML_LIT(b, "</a></h1>\n");
    if (notice != NULL) {
        HTML_LIT(b, "<p class=\"note\" role=\"status\">");
        html_text(b, notice);
        HTML_LIT(b, "</p>\n");
    }
    if (error != NULL) {
        html_error_box(b, error);
    }
    HTML_LIT(b, "<form method=\"post\" action=\"/messages/");
    esc_url_component(b, str_z(t.handle));
    HTML_LIT(b, "\">");
    html_csrf(rq);
    buf_appendf(b, "<label for=\"body\">Your message</label><textarea id=\"body\" name=\"body\" "
                   "rows=\"4\" maxlength=\"%d\" required>", RULES_MESSAGE_MAX);
    html_text(b, draft != NULL ? draft : "");
    HTML_LIT(b, "</textarea><button>Send</button></form>\n<ol class=\"messages\">\n");
    for (size_t i = 0; i < n; i++) {
        message_row(rq, &m[i], strcmp(m[i].from_handle, rq->user->handle) == 0);
    }
    HTML_LIT(b, "</ol>\n");
    page_end(rq);
    return 0;
}

int web_conversation(struct http_request *rq)
{
    const char *form = http_query(rq, "form");
    enum rules_form why = form == NULL               ? RULES_FORM_NONE
                          : strcmp(form, "follow") == 0 ? RULES_FORM_AFTER_FOLLOW
                          : strcmp(form, "copies") == 0 ? RULES_FORM_COPIES
                                                        : RULES_FORM_NONE;
    const char *notice = why != RULES_FORM_NONE
                             ? arena_printf(&rq->arena, "Sent, and shown to %s as a form "
                                            "message: %s", rq->params[0], rules_form_reason(why))
                             : NULL;
    return render_conversation(rq, notice, NULL, NULL);
}

int web_message_send(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    struct rules_message_sent sent;
    const char *body = http_form(rq, "body");
    int rc = app_member(rq, rq->params[0], "handle", &t);
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_MESSAGE);
    }
    if (rc != 0) {
        return rc;
    }
    rc = rules_message(http_db(rq), &rq->arena, rq->user, &t, body, rq->now, &sent, &e);
    if (rc == ERR_INVAL || rc == ERR_DENIED) {
        web_form_status(rq, rc);
        return render_conversation(rq, NULL, web_rules_message(&e), body);
    }
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    /* the sender is told on the page they land on (a redirect: reloading sends nothing) */
    return http_redirect(rq, arena_printf(&rq->arena, "/messages/%s%s", t.handle,
                                          sent.form ? (sent.why == RULES_FORM_AFTER_FOLLOW
                                                           ? "?form=follow" : "?form=copies")
                                                    : ""));
}

int web_message_mute(struct http_request *rq)
{
    struct store_user t;
    int rc = app_member(rq, rq->params[0], "handle", &t);
    struct rules_error e = {0};
    if (rc != 0) {
        return rc;
    }
    if ((rc = rules_mute(http_db(rq), rq->user, &t, true, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, "/messages");
}

int web_settings_messages(struct http_request *rq)
{
    bool on = http_form(rq, "anyone") != NULL;
    int rc = store_set_allow_messages(http_db(rq), rq->user->id, on);
    return rc != 0 ? rc : http_redirect(rq, "/settings?saved=messages");
}

void html_settings_messages(struct http_request *rq)
{
    bool on = false;
    if (store_allow_messages(http_db(rq), rq->user->id, &on) != 0) {
        return;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section><h2>Messages</h2><form method=\"post\" action=\"/settings/messages\">");
    html_csrf(rq);
    buf_appendf(b, "<label><input type=\"checkbox\" name=\"anyone\" value=\"1\"%s> Members who "
                   "are not my connections may write to me</label> <button>Save</button></form>"
                   "</section>\n", on ? " checked" : "");
}
