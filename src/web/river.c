/* Monitoring pages everyone can read: the river of blog posts, search, the daily digest (page
 * and Atom), and the blog's own posts and fetch status on its item page. */
#include <string.h>
#include <time.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../monitor/monitor.h"
#include "../text/text.h"
#include "web_int.h"

#define SNIPPET_CHARS 240

/* A snippet: text escaped, then the U+E000/U+E001 marks made <mark> elements. */
static void html_marked(struct buf *b, const char *snippet)
{
    static const char open[] = "\xee\x80\x80", close[] = "\xee\x80\x81";
    const char *p = snippet;
    bool in = false;
    while (*p) {
        const char *o = strstr(p, in ? close : open);
        size_t n = o ? (size_t)(o - p) : strlen(p);
        esc_html_text(b, (struct str){p, n});
        if (o == NULL) {
            break;
        }
        buf_appendz(b, in ? "</mark>" : "<mark>");
        in = !in;
        p = o + 3;
    }
    if (in) {
        HTML_LIT(b, "</mark>");
    }
}

static void entry_row(struct http_request *rq, const struct store_entry *e, bool show_blog)
{
    struct buf *b = &rq->out;
    /* a first-party redirect that counts the open for the blog's owner (/e/ID) */
    buf_appendf(b, "<li class=\"entry\"><a class=\"title\" rel=\"nofollow\" "
                   "href=\"/e/%lld?from=river\">", (long long)e->id);
    html_text(b, e->title[0] ? e->title : "(untitled)");
    HTML_LIT(b, "</a><div class=\"meta\">");
    if (show_blog) {
        buf_appendf(b, "<a href=\"/i/%lld\">", (long long)e->item_id);
        html_text(b, e->blog_title);
        HTML_LIT(b, "</a> · ");
    }
    if (e->author[0]) {
        html_text(b, e->author);
        HTML_LIT(b, " · ");
    }
    html_age(b, e->published_at, rq->now);
    HTML_LIT(b, "</div><p class=\"snippet\">");
    text_excerpt(b, str_z(e->text), SNIPPET_CHARS);
    HTML_LIT(b, "</p></li>\n");
}

int web_river(struct http_request *rq)
{
    int page = web_page_number(rq);
    struct store_entry *e;
    size_t n;
    int rc = store_entries_river(http_db(rq), &rq->arena, WEB_PAGE_SIZE,
                                 (page - 1) * WEB_PAGE_SIZE, &e, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "River");
    HTML_LIT(b, "<h1>River</h1>\n<p>Every post from the guild's blogs, newest first. "
                "<a href=\"/digest\">Today's digest</a> has the best of them; "
                "<a href=\"/search\">search</a> finds the rest.</p>\n<ol class=\"river\">\n");
    for (size_t i = 0; i < n; i++) {
        entry_row(rq, &e[i], true);
    }
    HTML_LIT(b, "</ol>\n");
    if (n == 0) {
        HTML_LIT(b, "<p class=\"note\">No posts yet: the directory's feeds are fetched every "
                    "few minutes.</p>\n");
    }
    HTML_LIT(b, "<p class=\"pager\">");
    if (page > 1) {
        buf_appendf(b, "<a href=\"/river?p=%d\">Newer</a> ", page - 1);
    }
    if (n == WEB_PAGE_SIZE) {
        buf_appendf(b, "<a href=\"/river?p=%d\">Older</a>", page + 1);
    }
    HTML_LIT(b, "</p>\n");
    page_end(rq);
    return 0;
}

/* At most max_words of text around the query's words, marked. */
static void html_marked_snippet(struct buf *b, struct text_query *q, const char *text,
                                size_t max_words)
{
    struct buf snip;
    buf_init(&snip, 0);
    text_snippet(&snip, str_z(text), q, max_words);
    html_marked(b, buf_cstr(&snip));
    buf_fini(&snip);
}

static const char *hit_kind(char k)
{
    return k == 'e' ? "post" : k == 'l' ? "link" : k == 'b' ? "blog" : "comment";
}

/* The search's results, numbered, with the words marked, and a link to the next page. */
static void search_results(struct http_request *rq, const char *q, const struct store_hit *hits,
                           size_t n, int page)
{
    struct buf *b = &rq->out;
    buf_appendf(b, "<p>%s%zu result%s.</p>\n<ol class=\"results\">\n",
                n == WEB_PAGE_SIZE ? "At least " : "", n, n == 1 ? "" : "s");
    struct text_query *tq = text_query_new(q); /* stemmed once for the whole page */
    for (size_t i = 0; i < n; i++) {
        const struct store_hit *h = &hits[i];
        HTML_LIT(b, "<li><span class=\"badge\">");
        html_text(b, hit_kind(h->kind));
        HTML_LIT(b, "</span> <a class=\"title\" href=\"");
        html_attr(b, h->url);
        HTML_LIT(b, "\">");
        html_marked_snippet(b, tq, h->title[0] ? h->title : "(untitled)", 100);
        HTML_LIT(b, "</a> <span class=\"meta\">");
        html_text(b, h->context);
        HTML_LIT(b, " · ");
        html_age(b, h->at, rq->now);
        HTML_LIT(b, "</span><p class=\"snippet\">");
        html_marked_snippet(b, tq, h->text, 30);
        HTML_LIT(b, "</p></li>\n");
    }
    text_query_free(tq);
    HTML_LIT(b, "</ol>\n");
    if (n == WEB_PAGE_SIZE) {
        HTML_LIT(b, "<p class=\"pager\"><a href=\"/search?q=");
        esc_url_component(b, str_z(q));
        buf_appendf(b, "&amp;p=%d\">More</a></p>\n", page + 1);
    }
}

int web_search(struct http_request *rq)
{
    const char *q = http_query(rq, "q");
    int page = web_page_number(rq);
    struct buf *b = &rq->out;
    struct store_hit *hits = NULL;
    size_t n = 0;
    const char *problem = NULL;
    if (q != NULL && strlen(q) > 500) {
        rq->status = 400;
        problem = "That search is too long (500 characters at most).";
    } else if (q != NULL && q[0] != '\0') {
        char *match = monitor_search_match(&rq->arena, q);
        int rc = match ? store_search(http_db(rq), &rq->arena, match, WEB_PAGE_SIZE,
                                      (page - 1) * WEB_PAGE_SIZE, &hits, &n)
                       : ERR_INVAL;
        bool common = false;
        if (rc == ERR_INVAL) {
            rq->status = 400;
            problem = "Search for words: letters or digits (\"quoted phrases\" and OR work).";
        } else if (rc != 0) {
            return rc;
        } else if (n == 0 && (rc = store_search_only_common(http_db(rq), match, &common)) != 0) {
            return rc;
        }
        if (common) { /* PostgreSQL's index leaves them out: say so rather than "0 results" */
            problem = "Very common words (such as \"the\", \"how\" or \"not\") are not "
                      "searched. Add a more specific word.";
        }
    }
    page_begin(rq, q && q[0] ? q : "Search");
    HTML_LIT(b, "<h1>Search</h1>\n<form class=\"search\" method=\"get\" action=\"/search\">"
                "<input type=\"search\" name=\"q\" aria-label=\"Search\" maxlength=\"500\" "
                "placeholder=\"posts, links, comments\" value=\"");
    html_attr(b, q ? q : "");
    HTML_LIT(b, "\"> <button>Search</button></form>\n");
    html_error_box(b, problem);
    if (q != NULL && q[0] != '\0' && problem == NULL) {
        if (rq->user != NULL) {
            HTML_LIT(b, "<form class=\"inline\" method=\"post\" action=\"/searches\">");
            html_csrf(rq);
            HTML_LIT(b, "<input type=\"hidden\" name=\"q\" value=\"");
            html_attr(b, q);
            HTML_LIT(b, "\"><button>Save as a column</button></form>\n");
        }
        search_results(rq, q, hits, n, page);
    }
    page_end(rq);
    return 0;
}

static int digest_rows(struct http_request *rq, struct store_digest_row **rows, size_t *n)
{
    return store_digest(http_db(rq), &rq->arena, rq->now - 86400, rq->app->digest_size, rows, n);
}

int web_digest(struct http_request *rq)
{
    struct store_digest_row *rows;
    size_t n;
    int rc = digest_rows(rq, &rows, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Today's digest");
    HTML_LIT(b, "<h1>Today's digest</h1>\n<p>The best posts and links of the last 24 hours, "
                "by the guild's trust-weighted quality. Also as <a href=\"/digest.atom\">Atom"
                "</a>, or by mail (<a href=\"/settings\">settings</a>).</p>\n"
                "<ol class=\"digest\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct store_digest_row *r = &rows[i];
        HTML_LIT(b, "<li><a class=\"title\" href=\"");
        if (r->kind == 'e') {
            buf_appendf(b, "/e/%lld?from=digest", (long long)r->id);
        } else {
            buf_appendf(b, "/i/%lld?from=digest", (long long)r->item_id);
        }
        HTML_LIT(b, "\">");
        html_text(b, r->title[0] ? r->title : "(untitled)");
        HTML_LIT(b, "</a> <span class=\"meta\">");
        html_text(b, r->kind == 'e' ? "post on " : "link to ");
        html_text(b, r->source);
        HTML_LIT(b, " · ");
        html_age(b, r->at, rq->now);
        HTML_LIT(b, "</span></li>\n");
    }
    HTML_LIT(b, "</ol>\n<p class=\"end\"><strong>That's all for today.</strong></p>\n");
    page_end(rq);
    return 0;
}

int web_digest_atom(struct http_request *rq)
{
    struct store_digest_row *rows;
    size_t n;
    int rc = digest_rows(rq, &rows, &n);
    if (rc != 0) {
        return rc;
    }
    const char *base = web_base_url(rq);
    int64_t updated = 0;
    for (size_t i = 0; i < n; i++) {
        updated = rows[i].at > updated ? rows[i].at : updated;
    }
    atom_begin(rq, "today's digest", "/digest.atom", updated);
    for (size_t i = 0; i < n; i++) {
        const struct store_digest_row *r = &rows[i];
        const char *page = arena_printf(&rq->arena, "%s/i/%lld", base, (long long)r->item_id);
        const char *id = r->kind == 'e' ? arena_printf(&rq->arena, "%s/entry/%lld", base,
                                                       (long long)r->id)
                                        : page;
        atom_entry(rq, id, r->title, r->kind == 'e' ? r->url : page, page, r->source, r->at,
                   r->kind == 'e' ? "A post from the guild's blogs" : "A link members shared");
    }
    atom_end(rq);
    return 0;
}

void html_blog_entries(struct http_request *rq, const struct store_item *it)
{
    struct buf *b = &rq->out;
    struct store_feed f;
    if (store_feed_of_item(http_db(rq), &rq->arena, it->id, &f) != 0) {
        HTML_LIT(b, "<section class=\"posts\"><h2>Recent posts</h2><p class=\"note\">Not "
                    "fetched yet: the feed is checked within a few minutes.</p></section>\n");
        return;
    }
    struct store_entry *e = NULL;
    size_t n = 0;
    if (store_entries_of_blog(http_db(rq), &rq->arena, it->id, 10, &e, &n) != 0) {
        n = 0;
    }
    HTML_LIT(b, "<section class=\"posts\"><h2>Recent posts</h2>\n<ol class=\"river\">\n");
    for (size_t i = 0; i < n; i++) {
        entry_row(rq, &e[i], false);
    }
    HTML_LIT(b, "</ol>\n<p class=\"meta\">Feed <a rel=\"nofollow\" href=\"");
    html_attr(b, f.url);
    HTML_LIT(b, "\">");
    html_text(b, f.url);
    HTML_LIT(b, "</a>: ");
    if (f.last_checked_at) {
        HTML_LIT(b, "checked ");
        html_age(b, f.last_checked_at, rq->now);
    } else {
        HTML_LIT(b, "not checked yet");
    }
    buf_appendf(b, ", %lld posts kept.", (long long)f.entries);
    /* the details are for the blog's nominator and the admins */
    bool insider = rq->user != NULL && (rq->user->id == f.nominator_id ||
                                        strcmp(rq->user->role, "admin") == 0);
    if (insider) {
        HTML_LIT(b, " Status: <strong>");
        html_text(b, f.status);
        HTML_LIT(b, "</strong>");
        if (f.http_status) {
            buf_appendf(b, " (HTTP %d)", f.http_status);
        }
        if (f.last_error[0]) {
            HTML_LIT(b, "; ");
            html_text(b, f.last_error);
        }
        if (f.errors > 0) {
            char when[32];
            time_t t = (time_t)f.next_check_at;
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
            buf_appendf(b, "; %d failure%s in a row, next try %s", f.errors,
                        f.errors == 1 ? "" : "s", when);
        }
        if (f.moved_from[0]) {
            HTML_LIT(b, "; moved permanently from ");
            html_text(b, f.moved_from);
        }
        HTML_LIT(b, ".");
    }
    HTML_LIT(b, "</p></section>\n");
}
