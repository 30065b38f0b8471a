/* A blog's statistics for its owner (/stats/blog/ID): its page here and each of its posts
 * read through Guild, k-anonymous like a member's own. Ownership is the declared
 * organisation's domain, or a token published at /.well-known/guild-verify.txt on the blog,
 * fetched through the fetch guard off the request workers. */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "../core/url.h"
#include "../fetch/fetch.h"
#include "../auth/auth.h"
#include "web_int.h"

#define VERIFY_PATH "/.well-known/guild-verify.txt"

struct verify_job {
    const char *url, *token;
    bool found;
    const char *why;
};

static void verify_fetch(void *arg)
{
    struct verify_job *j = arg;
    struct fetch_options fo;
    fetch_options_default(&fo);
    fo.allow_loopback = true; /* honoured in test mode only (GUILD_TEST_MODE=1) */
    fo.max_bytes = 4096;
    fo.timeout_ms = 10000;
    fo.max_redirects = 2;
    struct fetch_result r;
    int rc = fetch_url(j->url, &fo, &r);
    if (rc != 0) {
        j->why = r.refused != NULL ? r.refused : "the blog could not be reached";
    } else if (r.status != 200) {
        j->why = "the file is not there (the blog did not answer 200)";
    } else {
        j->found = strstr(buf_cstr(&r.body), j->token) != NULL;
        j->why = j->found ? NULL : "the file does not hold your token";
    }
    fetch_result_fini(&r);
}

/* The blog's verification address: its scheme and host with the well-known path. */
static const char *verify_url(struct arena *a, const struct store_item *blog)
{
    const char *p = strstr(blog->url, "://");
    if (p == NULL) {
        return NULL;
    }
    size_t host_end = strcspn(p + 3, "/?#");
    return arena_printf(a, "%.*s" VERIFY_PATH, (int)(p + 3 + host_end - blog->url), blog->url);
}

static int blog_page(struct http_request *rq, struct store_item *blog)
{
    int rc = store_item_get(http_db(rq), &rq->arena, rq->id, 0, blog);
    if (rc == 0 && strcmp(blog->kind, "blog") != 0) {
        rc = ERR_NOTFOUND;
    }
    return rc == ERR_NOTFOUND ? http_fail(rq, rc, "id", "No such blog in the directory.") : rc;
}

static int render_claim(struct http_request *rq, const struct store_item *blog,
                        const char *problem)
{
    char fresh[AUTH_SECRET_HEX];
    auth_secret_new(fresh);
    fresh[40] = '\0';
    const char *token;
    int rc = rules_blog_claim_token(http_db(rq), &rq->arena, rq->user,
                                    arena_printf(&rq->arena, "guild-verify-%s", fresh), &token);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Prove this blog is yours");
    HTML_LIT(b, "<h1>Is ");
    html_text(b, blog->title);
    HTML_LIT(b, " yours?</h1>\n");
    html_error_box(b, problem);
    HTML_LIT(b, "<p>A blog's owner sees what Guild's readers did with its posts. Owners are "
                "members whose declared organisation domain is the blog's, or who publish "
                "their token on it. Put this line in a file at <code>");
    html_text(b, verify_url(&rq->arena, blog));
    HTML_LIT(b, "</code>:</p>\n<pre>");
    html_text(b, token);
    buf_appendf(b, "</pre>\n<form method=\"post\" action=\"/stats/blog/%lld/verify\">",
                (long long)blog->id);
    html_csrf(rq);
    HTML_LIT(b, "<button>Check it now</button></form>\n");
    page_end(rq);
    return 0;
}

static void entry_rows(struct http_request *rq, const struct store_stat_target *t, size_t n)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<h2>Its posts, read through Guild</h2>\n");
    if (n == 0) {
        HTML_LIT(b, "<p>None of its posts has been opened from Guild by 5 readers yet.</p>\n");
        return;
    }
    HTML_LIT(b, "<ul class=\"stats-list\">\n");
    for (size_t i = 0; i < n; i++) {
        struct app_stats_window all;
        if (app_stats_total(rq, 0, t[i].id, &all) != 0) {
            break;
        }
        HTML_LIT(b, "<li>");
        html_text(b, t[i].title[0] ? t[i].title : "(untitled)");
        HTML_LIT(b, "<div class=\"meta\">");
        static const char *const dims[][2] = {
            {"opens", "opens"}, {"readers", "readers"}, {"trusted", "trusted readers"}};
        for (size_t k = 0; k < 3; k++) {
            int64_t v = app_stat_value(&all, dims[k][0], "");
            buf_appendf(b, "%s", k ? " · " : "");
            if (v < 0) {
                HTML_LIT(b, "fewer than 5 ");
            } else {
                buf_appendf(b, "%lld ", (long long)v);
            }
            html_text(b, dims[k][1]);
        }
        HTML_LIT(b, "</div></li>\n");
    }
    HTML_LIT(b, "</ul>\n");
}

int web_blog_stats(struct http_request *rq)
{
    struct store_item blog;
    bool owner = false;
    int rc = app_rate_limit(rq->app, rq, APP_STATS);
    if (rc == 0) {
        rc = blog_page(rq, &blog);
    }
    if (rc == 0) {
        rc = rules_blog_owner(http_db(rq), rq->user, &blog, &owner);
    }
    if (rc != 0) {
        return rc;
    }
    if (!owner && strcmp(rq->user->role, "admin") != 0) {
        return render_claim(rq, &blog, NULL);
    }
    struct app_stats_window all, weeks[APP_STATS_WEEKS];
    struct store_stat_target *t;
    size_t n;
    if ((rc = app_stats(rq, blog.id, 0, &all, weeks)) != 0 ||
        (rc = store_stats_blog_entries(http_db(rq), &rq->arena, blog.id, APP_STATS_K, 30, &t,
                                        &n)) != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Blog statistics");
    HTML_LIT(b, "<h1>What readers did with ");
    html_text(b, blog.title);
    HTML_LIT(b, "</h1>\n<p>Figures that fewer than 5 distinct readers make up say \"fewer than "
                "5\"; readers are never listed.</p>\n");
    entry_rows(rq, t, n);
    HTML_LIT(b, "<h2>Its page on Guild</h2>\n");
    html_stats_table(rq, "Its page on Guild, by week", &all, weeks);
    page_end(rq);
    return 0;
}

int web_blog_verify(struct http_request *rq)
{
    struct verify_job *j = http_deferred(rq);
    struct store_item blog;
    int rc = blog_page(rq, &blog);
    if (rc != 0) {
        return rc;
    }
    if (j == NULL) {
        const char *token;
        const char *url = verify_url(&rq->arena, &blog);
        rc = rules_blog_claim_token(http_db(rq), &rq->arena, rq->user, "", &token);
        if (rc == 0 && (url == NULL || token[0] == '\0')) {
            return render_claim(rq, &blog, "Open this page first: it gives you your token.");
        }
        if (rc != 0 || (rc = app_rate_limit(rq->app, rq, APP_CONFIRM)) != 0) {
            return rc;
        }
        j = arena_alloc(&rq->arena, sizeof(*j));
        *j = (struct verify_job){.url = url, .token = token};
        return http_defer(rq, verify_fetch, j);
    }
    struct rules_error e = {0};
    rc = rules_blog_verified(http_db(rq), rq->user, &blog, j->found, rq->now, &e);
    if (rc == ERR_INVAL) {
        web_form_status(rq, ERR_INVAL);
        return render_claim(rq, &blog, arena_printf(&rq->arena, "Not verified: %s.", j->why));
    }
    if (rc != 0) {
        return rc;
    }
    return http_redirect(rq, arena_printf(&rq->arena, "/stats/blog/%lld", (long long)blog.id));
}
