/* HTML helpers and the page frame shared by every page. */
#include <stdlib.h>
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../rules/rules.h"
#include "web_int.h"

void html_text(struct buf *b, const char *s)
{
    esc_html_text(b, str_z(s));
}

void html_attr(struct buf *b, const char *s)
{
    esc_html_attr(b, str_z(s));
}

void html_num(struct buf *b, long long v)
{
    buf_append_i64(b, v);
}

void html_href(struct buf *b, const char *prefix, const char *part)
{
    struct buf u;
    buf_init(&u, 0);
    buf_appendz(&u, prefix);
    esc_url_component(&u, str_z(part));
    HTML_LIT(b, "href=\"");
    esc_html_attr(b, (struct str){u.data, u.len});
    HTML_LIT(b, "\"");
    buf_fini(&u);
}

void html_handle_links(struct buf *b, char *const *handles, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf_appendz(b, i ? ", <a " : "<a ");
        html_href(b, "/u/", handles[i]);
        HTML_LIT(b, ">");
        html_text(b, handles[i]);
        HTML_LIT(b, "</a>");
    }
}

void html_member_link(struct buf *b, const char *handle)
{
    if (strncmp(handle, "_deleted_", 9) == 0) { /* store_member_delete's handles */
        HTML_LIT(b, "[deleted member]");
        return;
    }
    HTML_LIT(b, "<a ");
    html_href(b, "/u/", handle);
    HTML_LIT(b, ">");
    html_text(b, handle);
    HTML_LIT(b, "</a>");
}

void html_age(struct buf *b, int64_t then, int64_t now)
{
    char t[64];
    age_text(now - then, t, sizeof(t));
    html_text(b, t);
}

void html_csrf(struct http_request *rq)
{
    HTML_LIT(&rq->out, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_attr(&rq->out, http_csrf_token(rq));
    HTML_LIT(&rq->out, "\">");
}

void html_field(struct buf *b, const char *id, const char *label, const char *type,
                const char *value, const char *autocomplete, bool required, const char *hint)
{
    html_field_max(b, id, label, type, value, autocomplete, required, hint, 0);
}

void html_field_max(struct buf *b, const char *id, const char *label, const char *type,
                    const char *value, const char *autocomplete, bool required,
                    const char *hint, int maxlength)
{
    HTML_LIT(b, "<label for=\"");
    html_attr(b, id);
    HTML_LIT(b, "\">");
    html_text(b, label);
    HTML_LIT(b, "</label><input id=\"");
    html_attr(b, id);
    HTML_LIT(b, "\" name=\"");
    html_attr(b, id);
    HTML_LIT(b, "\" type=\"");
    html_attr(b, type);
    HTML_LIT(b, "\" value=\"");
    html_attr(b, value ? value : "");
    HTML_LIT(b, "\"");
    if (autocomplete != NULL) {
        HTML_LIT(b, " autocomplete=\"");
        html_attr(b, autocomplete);
        HTML_LIT(b, "\"");
    }
    if (required) {
        HTML_LIT(b, " required");
    }
    if (maxlength > 0) {
        buf_appendf(b, " maxlength=\"%d\"", maxlength);
    }
    HTML_LIT(b, ">");
    if (hint != NULL) {
        HTML_LIT(b, "<p class=\"hint\">");
        html_text(b, hint);
        HTML_LIT(b, "</p>");
    }
}

void html_error_box(struct buf *b, const char *message)
{
    if (message == NULL) {
        return;
    }
    HTML_LIT(b, "<p class=\"error\" role=\"alert\">");
    html_text(b, message);
    HTML_LIT(b, "</p>\n");
}

/* A same-site path to return to after a form: fallback when none was sent, "/" when what was
 * sent is not a path of this site (a single "/", then neither "/" nor a backslash). Control
 * characters, which browsers drop ("/\t/evil.example" would leave the site), are refused
 * for every redirect by http_redirect. */
const char *web_back(struct http_request *rq, const char *fallback)
{
    const char *back = http_form(rq, "back");
    if (back == NULL && rq->method_bit == HTTP_GET) {
        back = http_query(rq, "back"); /* /login?back=/i/12 */
    }
    if (back == NULL) {
        return fallback;
    }
    if (back[0] != '/' || back[1] == '/' || back[1] == '\\' || strlen(back) >= 300) {
        return "/";
    }
    return back;
}

/* The path of the page a form was sent from (the Referer, which the same-origin referrer
 * policy sends to this site only), if it is a plain path here; else NULL. */
static const char *referer_path(struct http_request *rq)
{
    const char *ref = http_header(rq, "Referer");
    const char *scheme = ref ? strstr(ref, "://") : NULL;
    const char *path = scheme ? strchr(scheme + 3, '/') : NULL;
    if (path == NULL || path[1] == '/' || path[1] == '\\' || strlen(path) >= 300) {
        return NULL;
    }
    for (const char *p = path; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return NULL;
        }
    }
    return path;
}

void page_begin(struct http_request *rq, const char *title)
{
    struct buf *b = &rq->out;
    const char *site = rq->app->cfg.site_name;
    rq->content_type = "text/html; charset=utf-8";
    HTML_LIT(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(b, title);
    HTML_LIT(b, " · ");
    html_text(b, site);
    HTML_LIT(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/guild.css\">\n"
                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
                "<script src=\"/static/guild.js\" defer></script>\n"
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Front page\" "
                "href=\"/feed.atom\">\n</head>\n<body>\n"
                "<a class=\"skip\" href=\"#main\">Skip to the content</a>\n"
                "<header class=\"top\">\n<nav aria-label=\"Site\">"
                "<a class=\"brand\" href=\"/\">");
    html_text(b, site);
    HTML_LIT(b, "</a> <a href=\"/\">Front</a> <a href=\"/new\">New</a> "
                "<a href=\"/directory\">Directory</a> <a href=\"/river\">River</a> "
                "<a href=\"/digest\">Digest</a> <a href=\"/g\">Groups</a> "
                "<a href=\"/search\">Search</a> "
                "<a href=\"/submit\">Submit</a> "
                "<a href=\"/moderations\">Moderation</a>"
                "<div class=\"me\">");
    if (rq->user != NULL) {
        HTML_LIT(b, "<a ");
        html_href(b, "/u/", rq->user->handle);
        HTML_LIT(b, ">");
        html_text(b, rq->user->handle);
        HTML_LIT(b, "</a> ");
        if (strcmp(rq->user->role, "admin") == 0) {
            HTML_LIT(b, "<a href=\"/mod\">Queue</a> <a href=\"/admin\">Dashboard</a> ");
        }
        HTML_LIT(b, "<a href=\"/home\">Home</a> <a href=\"/notifications\">Notifications</a> "
                    "<a href=\"/messages\">Messages</a> "
                    "<a href=\"/columns\">Columns</a> <a href=\"/settings\">Settings</a> "
                    "<form class=\"inline\" method=\"post\" action=\"/logout\">");
        html_csrf(rq);
        HTML_LIT(b, "<button class=\"link\">Sign out</button></form>");
    } else {
        HTML_LIT(b, "<a href=\"/login");
        /* not from pages whose path is a secret (invitations, reset and confirmation links) */
        if (strcmp(rq->path, "/") != 0 && strncmp(rq->path, "/login", 6) != 0 &&
            strncmp(rq->path, "/join/", 6) != 0 && strncmp(rq->path, "/reset/", 7) != 0 &&
            strncmp(rq->path, "/verify/", 8) != 0) {
            HTML_LIT(b, "?back=");
            esc_url_component(b, str_z(rq->path)); /* come back here after signing in */
        }
        HTML_LIT(b, "\">Sign in</a>");
    }
    HTML_LIT(b, "</div></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct http_request *rq)
{
    HTML_LIT(&rq->out,
             "</main>\n<footer><p>Ranked by members who read before they vote. "
             "<a href=\"/directory\">Blog directory</a> · <a href=\"/feed.atom\">Atom feed</a>"
             " · Every ranking explains itself: follow “why here?”.</p></footer>\n"
             "</body>\n</html>\n");
}

void html_reason_select(struct buf *b)
{
    HTML_LIT(b, "<select name=\"reason\" aria-label=\"Reason for the downvote\" required>"
                "<option value=\"\">reason…</option>");
    for (size_t i = 0; rules_downvote_reasons[i] != NULL; i++) {
        HTML_LIT(b, "<option value=\"");
        html_attr(b, rules_downvote_reasons[i]);
        HTML_LIT(b, "\">");
        html_text(b, rules_reason_label(rules_downvote_reasons[i]));
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select>");
}

bool web_can_vote_item(const struct http_request *rq, const struct store_item *it)
{
    bool idea = strcmp(it->kind, "idea") == 0;
    if (idea && strcmp(it->idea_status, "open") != 0 && strcmp(it->idea_status, "planned") != 0 &&
        strcmp(it->idea_status, "started") != 0) {
        return false; /* waiting to be vetted, or settled: no votes */
    }
    /* an idea's colleagues may vote on it: their votes count nothing in its ranking */
    return rq->user != NULL && it->user_id != rq->user->id &&
           (idea || !rules_same_org(rq->user, it->domain));
}

/* A one-button form posting value to the item's vote action. */
static void vote_button(struct http_request *rq, int64_t id, const char *value, const char *cls,
                        const char *label, const char *text)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/i/");
    html_num(b, id);
    HTML_LIT(b, "/vote\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"back\" value=\"");
    html_attr(b, rq->path);
    HTML_LIT(b, "#i");
    html_num(b, id);
    HTML_LIT(b, "\"><input type=\"hidden\" name=\"value\" value=\"");
    html_attr(b, value);
    HTML_LIT(b, "\"><button class=\"");
    html_attr(b, cls);
    HTML_LIT(b, "\" title=\"");
    html_attr(b, label);
    HTML_LIT(b, "\" aria-label=\"");
    html_attr(b, label);
    HTML_LIT(b, "\">");
    html_text(b, text);
    HTML_LIT(b, "</button></form>");
}

bool web_member_is_new(struct http_request *rq)
{
    return rq->user != NULL && rules_is_new(&rq->app->cfg.policy, rq->user, rq->now);
}

void html_new_member_note(struct http_request *rq)
{
    int64_t until = rq->user->created_at + (int64_t)rq->app->cfg.policy.new_member_days * 86400;
    int days = (int)((until - rq->now + 86399) / 86400);
    buf_appendf(&rq->out, "<p class=\"hint\">New members can upvote and comment; downvoting and "
                          "flagging open in %d day%s.</p>", days, days == 1 ? "" : "s");
}

void html_item_vote_box(struct http_request *rq, const struct store_item *it, bool full)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<div class=\"votes\">");
    if (rq->user == NULL) {
        HTML_LIT(b, "<a class=\"up\" href=\"/login\" title=\"Sign in to vote\" "
                    "aria-label=\"Sign in to vote\">▲</a>");
    } else if (web_can_vote_item(rq, it)) {
        bool up = it->my_vote == 1;
        vote_button(rq, it->id, up ? "0" : "1", up ? "up on" : "up",
                    up ? "Withdraw your upvote" : "Upvote", "▲");
    } else {
        HTML_LIT(b, "<span class=\"up off\" title=\"You cannot vote on this\">▲</span>");
    }
    HTML_LIT(b, "<span class=\"points\">");
    html_num(b, it->ups - it->downs);
    HTML_LIT(b, "</span>");
    bool idea = strcmp(it->kind, "idea") == 0; /* ideas take upvotes only */
    if (rq->user != NULL && web_can_vote_item(rq, it) && !idea &&
        (it->my_vote == -1 || !web_member_is_new(rq))) { /* not offered what they may not do */
        if (it->my_vote == -1) {
            vote_button(rq, it->id, "0", "down on", "Withdraw your downvote", "▼");
        } else if (full) {
            buf_appendf(b, "<form class=\"downvote\" method=\"post\" action=\"/i/%lld/vote\">",
                        (long long)it->id);
            html_csrf(rq);
            HTML_LIT(b, "<input type=\"hidden\" name=\"value\" value=\"-1\">");
            html_reason_select(b);
            HTML_LIT(b, "<button class=\"down\" title=\"Downvote\" aria-label=\"Downvote\">▼ "
                        "Downvote</button></form>");
        } else {
            HTML_LIT(b, "<a class=\"down\" href=\"/i/");
            html_num(b, it->id);
            HTML_LIT(b, "#vote\" title=\"Downvote (needs a reason)\" aria-label=\"Downvote\">▼</a>");
        }
    }
    HTML_LIT(b, "</div>");
}

bool web_item_links_out(const struct store_item *it)
{
    return strcmp(it->kind, "link") == 0;
}

void html_item_where(struct buf *b, const struct store_item *it)
{
    if (it->group_id == 0 || web_item_links_out(it)) {
        HTML_LIT(b, "<span class=\"domain\">");
        html_text(b, it->domain);
        HTML_LIT(b, "</span>");
        return;
    }
    HTML_LIT(b, "<span class=\"domain\">");
    html_text(b, it->kind);
    if (strcmp(it->kind, "idea") == 0) {
        HTML_LIT(b, ", ");
        html_text(b, it->idea_status);
    }
    HTML_LIT(b, " in <a ");
    html_href(b, "/g/", it->group_slug);
    HTML_LIT(b, ">");
    html_text(b, it->group_slug);
    HTML_LIT(b, "</a></span>");
}

void html_item_row(struct http_request *rq, const struct store_item *it)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<li class=\"item\" id=\"i");
    html_num(b, it->id);
    HTML_LIT(b, "\">");
    html_item_vote_box(rq, it, false);
    HTML_LIT(b, "<div class=\"body\">");
    if (!web_item_links_out(it)) {
        HTML_LIT(b, "<a class=\"title\" href=\"/i/");
        html_num(b, it->id);
        HTML_LIT(b, "\">");
    } else {
        HTML_LIT(b, "<a class=\"title\" href=\"/go/");
        html_num(b, it->id);
        HTML_LIT(b, "\" rel=\"nofollow\">");
    }
    html_text(b, it->title);
    HTML_LIT(b, "</a> ");
    html_item_where(b, it);
    if (it->own_org) {
        HTML_LIT(b, " <span class=\"badge\">from the submitter's organisation</span>");
    }
    HTML_LIT(b, "<div class=\"meta\">");
    html_num(b, it->ups);
    HTML_LIT(b, " up, ");
    html_num(b, it->downs);
    HTML_LIT(b, " down · by ");
    html_member_link(b, it->user_handle);
    HTML_LIT(b, " · ");
    html_age(b, it->created_at, rq->now);
    if (strcmp(it->kind, "question") == 0) { /* a question's news is its answers */
        buf_appendf(b, " · <a href=\"/i/%lld#answers\">%d answer%s</a>%s", (long long)it->id,
                    it->nanswers, it->nanswers == 1 ? "" : "s",
                    it->accepted_answer ? " · answered" : "");
    }
    HTML_LIT(b, " · <a href=\"/i/");
    html_num(b, it->id);
    HTML_LIT(b, "\">");
    html_num(b, it->ncomments);
    if (it->ncomments == 1) {
        HTML_LIT(b, " comment</a> · <a href=\"/why/");
    } else {
        HTML_LIT(b, " comments</a> · <a href=\"/why/");
    }
    html_num(b, it->id);
    HTML_LIT(b, "\">why here?</a>");
    if (it->tags[0] != '\0') {
        HTML_LIT(b, " · <span class=\"tags\">");
        html_text(b, it->tags);
        HTML_LIT(b, "</span>");
    }
    HTML_LIT(b, "</div></div></li>\n");
}

int web_page_number(struct http_request *rq)
{
    int64_t p = 1;
    const char *s = http_query(rq, "p");
    if (s != NULL && (!parse_id(s, &p) || p > 1000)) {
        p = 1;
    }
    return (int)p;
}

void web_form_status(struct http_request *rq, int rc)
{
    rq->status = http_status_for(rc);
}

void web_error_page(struct http_request *rq, int status)
{
    static const struct {
        int status;
        const char *title, *text;
    } pages[] = {
        {400, "Bad request", "The request could not be understood."},
        {401, "Sign in needed", "Sign in to do that."},
        {403, "Not allowed", "You are not allowed to do that."},
        {404, "Not found", "There is nothing at this address."},
        {405, "Method not allowed", "That method is not allowed here."},
        {409, "Already there", "That conflicts with something already stored."},
        {413, "Too large", "The request is too large."},
        {410, "Removed", "The moderators removed this; see the public moderation log at "
                         "/moderations."},
        {429, "Slow down", "Too many attempts. Wait a little and try again."},
        {503, "Unavailable for a moment", "The site's database is not answering. Try again in "
                                          "a moment."},
    };
    const char *title = "Something went wrong", *text = "The server could not finish that. "
                                                        "Nothing was half-written; try again.";
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        if (pages[i].status == status) {
            title = pages[i].title;
            text = pages[i].text;
        }
    }
    if (rq->err_message != NULL && status < 500) {
        text = rq->err_message;
    }
    if (status == 409 && rq->err_field != NULL && strcmp(rq->err_field, "value") == 0) {
        title = "No votes left"; /* an idea portal's budget, not a duplicate */
    }
    /* a form that met a refusal, or an outage (which wrote nothing), goes back to its input */
    bool back = status < 500 || status == 503;
    const char *form = rq->method_bit == HTTP_POST && back ? referer_path(rq) : NULL;
    if (rq->method_bit == HTTP_POST && status == 503) {
        text = "The site's database is not answering, so nothing was saved. Go back to the "
               "form and send it again in a moment.";
    }
    if (form != NULL && status == 400 && rq->err_message != NULL) {
        title = "Please check the form";
    }
    page_begin(rq, title);
    HTML_LIT(&rq->out, "<h1>");
    html_text(&rq->out, title);
    HTML_LIT(&rq->out, "</h1>\n<p class=\"error\">");
    html_text(&rq->out, text);
    HTML_LIT(&rq->out, "</p>\n<p>");
    if (form != NULL) { /* guild.js turns it into the browser's back, which keeps the input */
        HTML_LIT(&rq->out, "<a class=\"back\" href=\"");
        html_attr(&rq->out, form);
        HTML_LIT(&rq->out, "\">Back to the form</a> · ");
    }
    HTML_LIT(&rq->out, "<a href=\"/\">Back to the front page</a></p>\n");
    page_end(rq);
}

const char *web_rules_message(const struct rules_error *e)
{
    return e->message != NULL ? e->message
                              : "That could not be saved: something it refers to is gone, or a "
                                "value is not allowed. Reload the page and try again.";
}
