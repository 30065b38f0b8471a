/* The front page (hot links), new links, the blog directory, their Atom feeds, and the
 * embedded stylesheet. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

/* For a visitor who is not signed in: what this guild is for (the admins' words) and how one
 * joins. */
static int about_visitor(struct http_request *rq)
{
    char *about;
    int rc = store_setting_get(http_db(rq), &rq->arena, "about", &about);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    HTML_LIT(b, "<section class=\"about\"><p>");
    if (about[0] != '\0') {
        html_text(b, about);
    } else {
        HTML_LIT(b, "Members of this guild share and rank the links and blogs worth reading in "
                    "their field. Only votes from members who opened what they vote on count.");
    }
    HTML_LIT(b, "</p><p>Anyone may read. Membership is by invitation: a member sends you a "
                "link. Members <a href=\"/login\">sign in here</a>.</p></section>\n");
    return 0;
}

static int render_list(struct http_request *rq, const char *kind, enum store_sort sort,
                       const char *title, const char *intro, const char *self)
{
    int page = web_page_number(rq);
    struct store_item *items;
    size_t n;
    int64_t viewer = rq->user ? rq->user->id : 0;
    int rc = store_item_list(http_db(rq), &rq->arena, kind, sort, WEB_PAGE_SIZE + 1,
                             (page - 1) * WEB_PAGE_SIZE, viewer, &items, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, title);
    HTML_LIT(b, "<h1>");
    html_text(b, title);
    HTML_LIT(b, "</h1>\n");
    if (rq->user == NULL && sort == STORE_SORT_HOT && page == 1 && (rc = about_visitor(rq)) != 0) {
        return rc;
    }
    HTML_LIT(b, "<p class=\"intro\">");
    html_text(b, intro);
    HTML_LIT(b, "</p>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"empty\">Nothing here yet. <a href=\"/submit\">Submit "
                    "something worth reading.</a></p>\n");
    } else {
        buf_appendf(b, "<ol class=\"items\" start=\"%d\">\n", (page - 1) * WEB_PAGE_SIZE + 1);
        for (size_t i = 0; i < n && i < WEB_PAGE_SIZE; i++) {
            html_item_row(rq, &items[i]);
        }
        HTML_LIT(b, "</ol>\n");
    }
    HTML_LIT(b, "<p class=\"pager\">");
    if (page > 1) {
        buf_appendf(b, "<a href=\"%s?p=%d\">← Newer</a> ", self, page - 1);
    }
    if (n > WEB_PAGE_SIZE) {
        buf_appendf(b, "<a href=\"%s?p=%d\">More →</a>", self, page + 1);
    }
    HTML_LIT(b, "</p>\n");
    page_end(rq);
    return 0;
}

int web_front(struct http_request *rq)
{
    return render_list(rq, "link", STORE_SORT_HOT, "Front page",
                       "The guild's best recent links, ordered by how trusted members who "
                       "opened them voted, newer ones first among equals. The number beside each "
                       "is upvotes minus downvotes; \"why here?\" on a link explains its place.",
                       "/");
}

int web_new(struct http_request *rq)
{
    return render_list(rq, "link", STORE_SORT_NEW, "New links",
                       "Just submitted, newest first: read them and vote, so the good ones "
                       "rise. The number beside each is upvotes minus downvotes.", "/new");
}

int web_directory(struct http_request *rq)
{
    return render_list(rq, "blog", STORE_SORT_TOP, "Blog directory",
                       "Blogs worth following, nominated by members they do not belong to, "
                       "ordered by how trusted members who read them voted (not by the raw "
                       "count: the number beside each is upvotes minus downvotes).",
                       "/directory");
}


static int render_atom(struct http_request *rq, const char *kind, enum store_sort sort,
                       const char *title, const char *self)
{
    struct store_item *items;
    size_t n;
    int rc = store_item_list(http_db(rq), &rq->arena, kind, sort, WEB_PAGE_SIZE, 0, 0, &items,
                             &n);
    if (rc != 0) {
        return rc;
    }
    const char *base = web_base_url(rq);
    int64_t updated = 0;
    for (size_t i = 0; i < n; i++) {
        updated = items[i].created_at > updated ? items[i].created_at : updated;
    }
    atom_begin(rq, title, self, updated);
    for (size_t i = 0; i < n; i++) {
        const struct store_item *it = &items[i];
        const char *page = arena_printf(&rq->arena, "%s/i/%lld", base, (long long)it->id);
        atom_entry(rq, page, it->title, it->url, page, it->user_handle, it->created_at,
                   arena_printf(&rq->arena, "%d up, %d down, %d comments on %s", it->ups,
                                it->downs, it->ncomments, it->domain));
    }
    atom_end(rq);
    return 0;
}

int web_atom_front(struct http_request *rq)
{
    return render_atom(rq, "link", STORE_SORT_HOT, "front page", "/feed.atom");
}

int web_atom_directory(struct http_request *rq)
{
    return render_atom(rq, "blog", STORE_SORT_TOP, "blog directory", "/directory.atom");
}

extern const char *const web_static_files[];
extern const char *const web_static_files_names[];

int web_static(struct http_request *rq)
{
    const char *name = rq->params[0];
    for (size_t i = 0; web_static_files_names[i] != NULL; i++) {
        if (strcmp(web_static_files_names[i], name) == 0) {
            buf_appendz(&rq->out, web_static_files[i]);
            rq->content_type = strstr(name, ".css")  ? "text/css; charset=utf-8"
                               : strstr(name, ".js") ? "text/javascript; charset=utf-8"
                               : strstr(name, ".svg") ? "image/svg+xml"
                                                      : "text/plain; charset=utf-8";
            http_add_header(rq, "Cache-Control", "public, max-age=3600");
            return 0;
        }
    }
    return ERR_NOTFOUND;
}
