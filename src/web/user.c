/* Member profiles: affiliation, invitation tree, own-vs-others ratio, recent submissions. */
#include <string.h>

#include "../core/err.h"
#include "web_int.h"

static void render_invitees(struct buf *b, char **handles, size_t n)
{
    if (n == 0) {
        return;
    }
    HTML_LIT(b, "<p>Invited: ");
    html_handle_links(b, handles, n);
    HTML_LIT(b, "</p>\n");
}

/* Affiliation, role, when they joined and who invited them. */
static void render_meta(struct http_request *rq, const struct store_user *u)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<p class=\"meta\">");
    if (strcmp(u->affiliation, "independent") == 0 || u->affiliation[0] == '\0') {
        HTML_LIT(b, "Independent");
    } else {
        html_text(b, u->affiliation); /* "Fractional CMO" may have no organisation's domain */
        if (u->domain[0] != '\0') {
            HTML_LIT(b, " (");
            html_text(b, u->domain);
            HTML_LIT(b, ")");
        }
    }
    if (strcmp(u->role, "admin") == 0) {
        HTML_LIT(b, " · admin");
    }
    HTML_LIT(b, " · joined ");
    html_age(b, u->created_at, rq->now);
    HTML_LIT(b, " · ");
    if (u->inviter_handle[0]) {
        HTML_LIT(b, "invited by <a ");
        html_href(b, "/u/", u->inviter_handle);
        HTML_LIT(b, ">");
        html_text(b, u->inviter_handle);
        HTML_LIT(b, "</a>");
    } else {
        HTML_LIT(b, "added by an admin");
    }
    HTML_LIT(b, "</p>\n");
}

/* Counts of what the member did, and the own-organisation share once there is one. */
static void render_stats(struct buf *b, const struct store_user_stats *st)
{
    int total = st->links + st->blogs;
    buf_appendf(b, "<ul class=\"stats\"><li>%d link%s submitted</li><li>%d blog%s nominated</li>"
                   "<li>%d comment%s</li>",
                st->links, st->links == 1 ? "" : "s", st->blogs, st->blogs == 1 ? "" : "s",
                st->comments, st->comments == 1 ? "" : "s");
    if (total > 0) { /* "0 of 0 (0%)" says nothing to a new member */
        buf_appendf(b, "<li class=\"ratio\">Own organisation: %d of %d submissions (%d%%)</li>",
                    st->own_org, total, st->own_org * 100 / total);
    }
    HTML_LIT(b, "</ul>\n");
}

int web_user(struct http_request *rq)
{
    struct store_user u;
    struct store_user_stats st;
    char **invitees;
    size_t ninv, nitems;
    struct store_item *items;
    struct store *db = http_db(rq);
    int rc = store_user_by_handle(db, &rq->arena, rq->params[0], &u);
    if (rc == 0) {
        rc = store_user_stats(db, u.id, &st);
    }
    if (rc == 0) {
        rc = store_user_invitees(db, &rq->arena, u.id, &invitees, &ninv);
    }
    if (rc == 0) {
        rc = store_item_list_by_user(db, &rq->arena, u.id, rq->user ? rq->user->id : 0, 20, &items,
                                     &nitems);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, u.handle);
    HTML_LIT(b, "<h1>");
    html_text(b, u.name);
    HTML_LIT(b, " <span class=\"handle\">@");
    html_text(b, u.handle);
    HTML_LIT(b, "</span></h1>\n");
    render_meta(rq, &u);
    if (rq->user != NULL && strcmp(rq->user->role, "admin") == 0) {
        buf_appendf(b, "<p class=\"note\">Admins only: trust %.2f%s.</p>\n", u.trust,
                    u.seed ? " (a seed member)" : "");
    }
    render_invitees(b, invitees, ninv);
    if ((rc = html_profile_ties(rq, &u)) != 0) {
        return rc;
    }
    render_stats(b, &st);
    HTML_LIT(b, "<h2>Recent submissions</h2>\n");
    if (nitems == 0) {
        HTML_LIT(b, "<p class=\"empty\">None yet.</p>\n");
    } else {
        HTML_LIT(b, "<ol class=\"items\">\n");
        for (size_t i = 0; i < nitems; i++) {
            html_item_row(rq, &items[i]);
        }
        HTML_LIT(b, "</ol>\n");
    }
    page_end(rq);
    return 0;
}
