/* Relationships on the pages: the ties on a profile and their buttons (follow, connect,
 * accept, decline, remove, endorse), following a blog, and the forms' handlers. Every button is
 * a plain form: nothing needs JavaScript. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

/* A one-button form posting name=value (and, for an endorsement, a topic picker). */
static void tie_button(struct http_request *rq, const char *action_path, const char *handle,
                       const char *name, const char *value, const char *label)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/u/");
    esc_url_component(b, str_z(handle));
    html_text(b, action_path);
    HTML_LIT(b, "\">");
    html_csrf(rq);
    HTML_LIT(b, "<input type=\"hidden\" name=\"");
    html_attr(b, name);
    HTML_LIT(b, "\" value=\"");
    html_attr(b, value);
    HTML_LIT(b, "\"><button>");
    html_text(b, label);
    HTML_LIT(b, "</button></form> ");
}

static void endorse_form(struct http_request *rq, const char *handle)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/u/");
    esc_url_component(b, str_z(handle));
    HTML_LIT(b, "/endorse\">");
    html_csrf(rq);
    HTML_LIT(b, "<label for=\"topic\">Vouch for them on</label> <select id=\"topic\" "
                "name=\"topic\">");
    for (size_t i = 0; rules_tags[i] != NULL; i++) {
        HTML_LIT(b, "<option>");
        html_text(b, rules_tags[i]);
        HTML_LIT(b, "</option>");
    }
    HTML_LIT(b, "</select> <button>Endorse</button></form>");
}

/* The viewer's buttons for u: follow or unfollow, and the connection's next steps. */
static int tie_buttons(struct http_request *rq, const struct store_user *u)
{
    struct store_tie_state ts;
    int rc = store_tie_state(http_db(rq), rq->user->id, u->id, &ts);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    const char *c = ts.connection;
    HTML_LIT(b, "<div class=\"ties-actions\">");
    tie_button(rq, "/follow", u->handle, "follow", ts.follows ? "0" : "1",
               ts.follows ? "Unfollow" : "Follow");
    if (strcmp(c, "accepted") == 0) {
        tie_button(rq, "/connection", u->handle, "action", "remove", "Remove connection");
    } else if (strcmp(c, "pending_out") == 0) {
        HTML_LIT(b, "<span class=\"meta\">Connection requested.</span> ");
        tie_button(rq, "/connection", u->handle, "action", "remove", "Withdraw request");
    } else if (strcmp(c, "pending_in") == 0) {
        HTML_LIT(b, "<span class=\"meta\">They asked to connect.</span> ");
        tie_button(rq, "/connection", u->handle, "action", "accept", "Accept");
        tie_button(rq, "/connection", u->handle, "action", "decline", "Decline");
    } else if (strcmp(c, "declined_out") != 0) {
        tie_button(rq, "/connection", u->handle, "action", "request", "Connect");
    }
    HTML_LIT(b, "<a ");
    html_href(b, "/messages/", u->handle);
    HTML_LIT(b, ">Message</a> ");
    if (ts.followed_by) {
        HTML_LIT(b, "<span class=\"meta\">Follows you.</span>");
    }
    if (strcmp(c, "accepted") == 0) {
        endorse_form(rq, u->handle);
    }
    HTML_LIT(b, "</div>\n");
    return 0;
}

static void handle_list(struct buf *b, const char *title, char **handles, size_t n, int total)
{
    if (n == 0) {
        return;
    }
    HTML_LIT(b, "<details><summary>");
    html_text(b, title);
    buf_appendf(b, " (%d)</summary><p>", total);
    html_handle_links(b, handles, n);
    buf_appendz(b, (size_t)total > n ? ", …</p></details>\n" : "</p></details>\n");
}

static void endorsement_list(struct buf *b, const struct store_endorsement *e, size_t n)
{
    if (n == 0) {
        return;
    }
    HTML_LIT(b, "<h2>Endorsements</h2>\n<ul class=\"endorsements\">");
    for (size_t i = 0; i < n; i++) {
        bool first = i == 0 || strcmp(e[i].topic, e[i - 1].topic) != 0;
        if (first) {
            buf_appendz(b, i ? "</li><li><strong>" : "<li><strong>");
            html_text(b, e[i].topic);
            HTML_LIT(b, "</strong>: vouched for by ");
        } else {
            HTML_LIT(b, ", ");
        }
        HTML_LIT(b, "<a ");
        html_href(b, "/u/", e[i].from_handle);
        HTML_LIT(b, ">");
        html_text(b, e[i].from_handle);
        HTML_LIT(b, "</a>");
    }
    HTML_LIT(b, "</li></ul>\n");
}

int html_profile_ties(struct http_request *rq, const struct store_user *u)
{
    struct store *db = http_db(rq);
    struct store_ties t;
    struct store_endorsement *ends;
    size_t nends, nf, ng, nc;
    char **followers, **following, **conns;
    int rc = store_ties(db, u->id, &t);
    if (rc == 0) {
        rc = store_endorsements_of(db, &rq->arena, u->id, &ends, &nends);
    }
    if (rc == 0) {
        rc = store_tie_handles(db, &rq->arena, u->id, STORE_FOLLOWERS, 30, &followers, &nf);
    }
    if (rc == 0) {
        rc = store_tie_handles(db, &rq->arena, u->id, STORE_FOLLOWING, 30, &following, &ng);
    }
    if (rc == 0) {
        rc = store_tie_handles(db, &rq->arena, u->id, STORE_CONNECTIONS, 30, &conns, &nc);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section class=\"ties\" aria-label=\"Ties\">");
    buf_appendf(b, "<p class=\"meta\">%d follower%s · follows %d member%s and %d blog%s · "
                   "%d connection%s · influence %.1f</p>\n",
                t.followers, t.followers == 1 ? "" : "s", t.following,
                t.following == 1 ? "" : "s", t.blogs, t.blogs == 1 ? "" : "s", t.connections,
                t.connections == 1 ? "" : "s", t.influence);
    if (rq->user != NULL && rq->user->id != u->id && (rc = tie_buttons(rq, u)) != 0) {
        return rc;
    }
    handle_list(b, "Followers", followers, nf, t.followers);
    handle_list(b, "Following", following, ng, t.following);
    handle_list(b, "Connections", conns, nc, t.connections);
    HTML_LIT(b, "<details><summary>How influence is counted</summary><p>Not by counting "
                "followers. Followers are grouped into the communities they belong to; each "
                "community counts the square root of its members' standing, and counts in full "
                "only when people outside it follow its members. Fifty followers from ten "
                "communities outweigh a thousand from one closed circle.</p></details>\n"
                "</section>\n");
    endorsement_list(b, ends, nends);
    return 0;
}

static int back_to_profile(struct http_request *rq, const struct store_user *t)
{
    return http_redirect(rq, web_back(rq, arena_printf(&rq->arena, "/u/%s", t->handle)));
}

int web_user_follow(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    const char *f = http_form(rq, "follow");
    bool on = f == NULL || strcmp(f, "0") != 0;
    int rc = app_member(rq, rq->params[0], "handle", &t);
    if (rc == 0 && on) {
        rc = app_rate_limit(rq->app, rq, APP_FOLLOW);
    }
    if (rc == 0) {
        rc = rules_follow(http_db(rq), &rq->arena, rq->user, &t, on, rq->now, &e);
        rc = rc != 0 ? app_rules_fail(rq, rc, &e) : back_to_profile(rq, &t);
    }
    return rc;
}

int web_user_connection(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    const char *action = http_form(rq, "action");
    int rc = app_member(rq, rq->params[0], "handle", &t);
    if (rc == 0 && action != NULL && strcmp(action, "request") == 0) {
        rc = app_rate_limit(rq->app, rq, APP_CONNECT);
    }
    if (rc == 0) {
        rc = rules_connection(http_db(rq), &rq->arena, rq->user, &t, action, rq->now, &e);
        rc = rc != 0 ? app_rules_fail(rq, rc, &e) : back_to_profile(rq, &t);
    }
    return rc;
}

int web_user_endorse(struct http_request *rq)
{
    struct store_user t;
    struct rules_error e = {0};
    int rc = app_member(rq, rq->params[0], "handle", &t);
    if (rc == 0) {
        rc = app_rate_limit(rq->app, rq, APP_CONNECT);
    }
    if (rc == 0) {
        rc = rules_endorse(http_db(rq), &rq->arena, rq->user, &t, http_form(rq, "topic"),
                           rq->now, &e);
        rc = rc != 0 ? app_rules_fail(rq, rc, &e) : back_to_profile(rq, &t);
    }
    return rc;
}

int web_blog_follow(struct http_request *rq)
{
    struct rules_error e = {0};
    const char *f = http_form(rq, "follow");
    bool on = f == NULL || strcmp(f, "0") != 0;
    int rc = on ? app_rate_limit(rq->app, rq, APP_FOLLOW) : 0;
    if (rc != 0) {
        return rc; /* the limit's own message and Retry-After are set */
    }
    if ((rc = rules_follow_blog(http_db(rq), rq->user, rq->id, on, rq->now, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, web_back(rq, arena_printf(&rq->arena, "/i/%lld", (long long)rq->id)));
}

/* A blog's follow button (a signed-in member, a blog). */
static void blog_follow_button(struct http_request *rq, const struct store_item *it)
{
    bool on = false;
    if (strcmp(it->kind, "blog") != 0 ||
        store_blog_followed(http_db(rq), rq->user->id, it->id, &on) != 0) {
        return;
    }
    buf_appendf(&rq->out, "<form class=\"inline\" method=\"post\" action=\"/i/%lld/follow\">",
                (long long)it->id);
    html_csrf(rq);
    buf_appendf(&rq->out, "<input type=\"hidden\" name=\"follow\" value=\"%d\"><button>%s"
                          "</button></form>\n", on ? 0 : 1,
                on ? "Unfollow this blog" : "Follow this blog");
}

void html_item_social(struct http_request *rq, const struct store_item *it)
{
    if (rq->user == NULL || strcmp(it->status, "ok") != 0) {
        return;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<div class=\"social-actions\">");
    blog_follow_button(rq, it);
    html_save_button(rq, it);
    buf_appendf(b, "<details class=\"inline\"><summary>Reshare</summary><form method=\"post\" "
                   "action=\"/i/%lld/reshare\">", (long long)it->id);
    html_csrf(rq);
    buf_appendf(b, "<label for=\"commentary-%lld\">Why your followers should read it "
                   "(optional)</label><textarea id=\"commentary-%lld\" name=\"commentary\" "
                   "rows=\"2\" maxlength=\"%d\"></textarea><button>Reshare to your "
                   "followers</button></form></details></div>\n",
                (long long)it->id, (long long)it->id, RULES_TEXT_MAX);
}

int web_item_reshare(struct http_request *rq)
{
    struct rules_error e = {0};
    int64_t id;
    int rc = app_rate_limit(rq->app, rq, APP_SUBMIT);
    if (rc == 0) {
        rc = rules_reshare(http_db(rq), rq->user, rq->id, http_form(rq, "commentary"), rq->now,
                           &id, &e);
        rc = rc != 0 ? app_rules_fail(rq, rc, &e) : http_redirect(rq, "/home");
    }
    return rc;
}
