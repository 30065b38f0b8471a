/* /home, the timeline of what the people and blogs a member follows did, which ends; and
 * /notifications. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

#define HOME_PAGE 30

static void timeline_row(struct http_request *rq, const struct store_timeline_entry *t,
                         int64_t last_visit)
{
    struct buf *b = &rq->out;
    bool entry = strcmp(t->kind, "entry") == 0;
    buf_appendz(b, last_visit > 0 && t->at > last_visit ? "<li class=\"new\">" : "<li>");
    if (entry) {
        HTML_LIT(b, "<a ");
        buf_appendf(b, "href=\"/i/%lld\">", (long long)t->item_id);
        html_text(b, t->actor);
        HTML_LIT(b, "</a> posted <a rel=\"nofollow\" href=\"");
        html_attr(b, t->url);
        HTML_LIT(b, "\">");
        html_text(b, t->title[0] ? t->title : t->url);
        HTML_LIT(b, "</a>");
    } else {
        HTML_LIT(b, "<a ");
        html_href(b, "/u/", t->actor);
        HTML_LIT(b, ">");
        html_text(b, t->actor);
        HTML_LIT(b, "</a> ");
        html_text(b, strcmp(t->kind, "comment") == 0   ? "commented on"
                     : strcmp(t->kind, "reshare") == 0 ? "reshared"
                     : strcmp(t->item_kind, "blog") == 0 ? "nominated the blog"
                                                        : "shared");
        buf_appendf(b, " <a href=\"/i/%lld\">", (long long)t->item_id);
        html_text(b, t->title);
        HTML_LIT(b, "</a>");
    }
    HTML_LIT(b, " <span class=\"meta\">");
    html_age(b, t->at, rq->now);
    HTML_LIT(b, "</span>");
    if (t->text[0] != '\0' && strcmp(t->kind, "item") != 0) {
        HTML_LIT(b, "<blockquote>");
        html_text(b, t->text);
        HTML_LIT(b, "</blockquote>");
    }
    HTML_LIT(b, "</li>\n");
}

int web_home(struct http_request *rq)
{
    struct app_timeline tl;
    const char *before = http_query(rq, "before");
    int rc = app_timeline(rq, before, HOME_PAGE, &tl);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Home");
    HTML_LIT(b, "<h1>Home</h1>\n<p class=\"meta\">What the members and blogs you follow shared, "
                "said and posted, newest first. <a href=\"/people\">Find people to "
                "follow</a>.</p>\n");
    if (tl.n > 0) {
        HTML_LIT(b, "<ol class=\"timeline\">\n");
        for (size_t i = 0; i < tl.n; i++) {
            timeline_row(rq, &tl.entries[i], tl.last_visit);
        }
        HTML_LIT(b, "</ol>\n");
    }
    if (!tl.up_to_date) {
        HTML_LIT(b, "<p><a rel=\"next\" href=\"/home?before=");
        esc_url_component(b, str_z(tl.next));
        HTML_LIT(b, "\">Older</a></p>\n");
    } else if (tl.n == 0 && (before == NULL || before[0] == '\0')) {
        HTML_LIT(b, "<p class=\"end\">Nothing new from the people and blogs you follow. "
                    "Follow members from their profiles, blogs from the "
                    "<a href=\"/directory\">directory</a>, or see <a href=\"/people\">who to "
                    "follow</a>.</p>\n");
    } else {
        HTML_LIT(b, "<p class=\"end\">You are up to date since your last visit.</p>\n");
    }
    page_end(rq);
    return 0;
}

/* "Asking to connect with you: ana, bo." and the like, when there are any. */
static void pending_line(struct buf *b, const char *label, char **handles, size_t n)
{
    if (n == 0) {
        return;
    }
    HTML_LIT(b, "<p class=\"pending\">");
    html_text(b, label);
    HTML_LIT(b, " ");
    html_handle_links(b, handles, n);
    HTML_LIT(b, ".</p>\n");
}

int web_notifications(struct http_request *rq)
{
    struct store_notification *list;
    char **in, **out;
    size_t n, nin, nout;
    struct store *db = http_db(rq);
    int rc = store_notification_list(db, &rq->arena, rq->user->id, 0, 50, &list, &n);
    if (rc == 0) {
        rc = store_tie_handles(db, &rq->arena, rq->user->id, STORE_REQUESTS_IN, 50, &in, &nin);
    }
    if (rc == 0) {
        rc = store_tie_handles(db, &rq->arena, rq->user->id, STORE_REQUESTS_OUT, 50, &out, &nout);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Notifications");
    HTML_LIT(b, "<h1>Notifications</h1>\n");
    pending_line(b, "Asking to connect with you (answer on their profiles):", in, nin);
    pending_line(b, "Your requests to connect, not answered yet:", out, nout);
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">None yet.</p>\n");
        page_end(rq);
        return 0;
    }
    bool unread = false;
    HTML_LIT(b, "<ul class=\"notifications\">\n");
    for (size_t i = 0; i < n; i++) {
        unread |= !list[i].seen;
        buf_appendz(b, list[i].seen ? "<li>" : "<li class=\"new\"><span class=\"tag\">new</span> ");
        bool about_item = list[i].ref_id > 0 && (strcmp(list[i].kind, "idea") == 0 ||
                                                 strcmp(list[i].kind, "answer") == 0);
        if (about_item) { /* an idea's news or an answer: the page it is about */
            buf_appendf(b, "<a href=\"/i/%lld#%s\">", (long long)list[i].ref_id,
                        strcmp(list[i].kind, "idea") == 0 ? "status" : "answers");
            html_text(b, list[i].text);
            HTML_LIT(b, "</a>");
        } else if (list[i].from_handle[0] != '\0') {
            HTML_LIT(b, "<a ");
            html_href(b, "/u/", list[i].from_handle);
            HTML_LIT(b, ">");
            html_text(b, list[i].text);
            HTML_LIT(b, "</a>");
        } else {
            html_text(b, list[i].text);
        }
        HTML_LIT(b, " <span class=\"meta\">");
        html_age(b, list[i].at, rq->now);
        HTML_LIT(b, "</span></li>\n");
    }
    HTML_LIT(b, "</ul>\n");
    if (unread) {
        buf_appendf(b, "<form method=\"post\" action=\"/notifications/read\">"
                       "<input type=\"hidden\" name=\"upto\" value=\"%lld\">",
                    (long long)list[0].id);
        html_csrf(rq);
        HTML_LIT(b, "<button>Mark all read</button></form>\n");
    }
    page_end(rq);
    return 0;
}

int web_notifications_read(struct http_request *rq)
{
    const char *upto = http_form(rq, "upto");
    int64_t id = 0;
    if (upto != NULL && upto[0] != '\0' && !parse_id(upto, &id)) {
        return http_fail(rq, ERR_INVAL, "upto", "Bad notification.");
    }
    int rc = store_notifications_read(http_db(rq), rq->user->id, id);
    return rc != 0 ? rc : http_redirect(rq, "/notifications");
}
