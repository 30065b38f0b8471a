/* Reader signals on pages: "Save for later" and the saved list, and what readers did with a
 * member's posts (/stats) or a blog's (/stats/blog/ID), every figure under five distinct
 * readers shown as "fewer than 5". */
#include <string.h>

#include "../app/app.h"
#include "../core/err.h"
#include "web_int.h"

void html_save_button(struct http_request *rq, const struct store_item *it)
{
    bool saved = false;
    if (store_save_is(http_db(rq), rq->user->id, it->id, &saved) != 0) {
        return; /* the page goes on without the button */
    }
    struct buf *b = &rq->out;
    buf_appendf(b, "<form class=\"inline\" method=\"post\" action=\"/i/%lld/save\">",
                (long long)it->id);
    html_csrf(rq);
    buf_appendf(b, "<input type=\"hidden\" name=\"save\" value=\"%d\"><button>%s</button></form>",
                saved ? 0 : 1, saved ? "Saved: unsave" : "Save for later");
    if (rq->user->id == it->user_id || strcmp(rq->user->role, "admin") == 0) {
        buf_appendf(b, " <a href=\"/stats/i/%lld\">What readers did</a>", (long long)it->id);
    }
}

int web_item_save(struct http_request *rq)
{
    struct rules_error e = {0};
    const char *v = http_form(rq, "save");
    bool on = v == NULL || strcmp(v, "0") != 0;
    int rc = app_rate_limit(rq->app, rq, APP_FOLLOW);
    if (rc != 0) {
        return rc;
    }
    rc = rules_save(http_db(rq), rq->user, rq->id, on, rq->now, &e);
    if (rc != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    return http_redirect(rq, web_back(rq, arena_printf(&rq->arena, "/i/%lld", (long long)rq->id)));
}

int web_saved(struct http_request *rq)
{
    struct store_item *items;
    size_t n;
    int page = web_page_number(rq);
    int rc = store_item_list_saved(http_db(rq), &rq->arena, rq->user->id, WEB_PAGE_SIZE,
                                   (page - 1) * WEB_PAGE_SIZE, &items, &n);
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Saved for later");
    HTML_LIT(b, "<h1>Saved for later</h1>\n");
    if (n == 0) {
        HTML_LIT(b, "<p>Nothing saved yet: \"Save for later\" on an item's page keeps it here, "
                    "for you alone.</p>\n");
    } else {
        HTML_LIT(b, "<ol class=\"items\">\n");
        for (size_t i = 0; i < n; i++) {
            html_item_row(rq, &items[i]);
        }
        HTML_LIT(b, "</ol>\n");
    }
    if (n == WEB_PAGE_SIZE) {
        buf_appendf(b, "<p class=\"pager\"><a href=\"/saved?p=%d\">More</a></p>\n", page + 1);
    }
    page_end(rq);
    return 0;
}

static const char *figure_label(const struct app_stat *c)
{
    static const struct { const char *dim, *label; } labels[] = {
        {"opens", "Opens"},        {"readers", "Distinct readers"},
        {"trusted", "Trusted readers"}, {"saves", "Saves"},
        {"comments", "Comments"},  {"reshares", "Reshares"},
        {"read_through", "Opened, then voted or commented"}};
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (strcmp(c->dim, labels[i].dim) == 0) {
            return labels[i].label;
        }
    }
    return NULL;
}

static void figure_cell(struct buf *b, const struct app_stat *c)
{
    if (c->shown) {
        buf_appendf(b, "<td>%lld</td>", (long long)c->value);
    } else {
        HTML_LIT(b, "<td class=\"muted\">fewer than 5</td>");
    }
}

/* One row per figure, one column per window: all time, then the weeks. */
void html_stats_table(struct http_request *rq, const char *caption,
                        const struct app_stats_window *all, const struct app_stats_window *weeks)
{
    struct buf *b = &rq->out;
    HTML_LIT(b, "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-label=\"");
    html_attr(b, caption);
    HTML_LIT(b, "\"><table class=\"stats\"><caption>");
    html_text(b, caption);
    HTML_LIT(b, "</caption><thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">All time"
                "</th>");
    for (int k = 0; k < APP_STATS_WEEKS; k++) {
        HTML_LIT(b, "<th scope=\"col\">");
        html_text(b, weeks[k].label);
        HTML_LIT(b, "</th>");
    }
    HTML_LIT(b, "</tr></thead><tbody>");
    for (size_t i = 0; i < all->n; i++) {
        const struct app_stat *c = &all->cells[i];
        const char *label = figure_label(c);
        HTML_LIT(b, "<tr><th scope=\"row\">");
        if (label != NULL) {
            html_text(b, label);
        } else {
            html_text(b, strcmp(c->dim, "votes") == 0    ? "Votes: "
                         : strcmp(c->dim, "source") == 0 ? "Came from: "
                                                         : "Readers' organisations: ");
            html_text(b, strcmp(c->dim, "votes") == 0 ? rules_reason_label(c->key) : c->key);
        }
        HTML_LIT(b, "</th>");
        figure_cell(b, c);
        for (int k = 0; k < APP_STATS_WEEKS; k++) {
            figure_cell(b, &weeks[k].cells[i]);
        }
        HTML_LIT(b, "</tr>");
    }
    HTML_LIT(b, "</tbody></table></div>\n");
}

static void stats_explainer(struct buf *b)
{
    HTML_LIT(b, "<p>What readers did, counted without their addresses and never listed by "
                "name. A figure that fewer than 5 distinct readers make up says \"fewer than "
                "5\", and so does one that would let two figures be compared to single out "
                "fewer than 5. Weeks run Monday to Monday (UTC); the first is this week so far."
                "</p>\n");
}

int web_item_stats(struct http_request *rq)
{
    struct store_item it;
    struct rules_error e = {0};
    int rc = app_rate_limit(rq->app, rq, APP_STATS);
    if (rc == 0) {
        rc = store_item_get(http_db(rq), &rq->arena, rq->id, 0, &it);
    }
    if (rc == ERR_NOTFOUND) {
        return http_fail(rq, rc, "id", "No such item.");
    }
    if (rc == 0 && (rc = rules_stats_access(http_db(rq), rq->user, &it, &e)) != 0) {
        return app_rules_fail(rq, rc, &e);
    }
    struct app_stats_window all, weeks[APP_STATS_WEEKS];
    if (rc != 0 || (rc = app_stats(rq, it.id, 0, &all, weeks)) != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "What readers did");
    HTML_LIT(b, "<h1>What readers did with <a href=\"");
    buf_appendf(b, "/i/%lld\">", (long long)it.id);
    html_text(b, it.title);
    HTML_LIT(b, "</a></h1>\n");
    stats_explainer(b);
    html_stats_table(rq, "Figures by week", &all, weeks);
    page_end(rq);
    return 0;
}

int web_stats(struct http_request *rq)
{
    struct store_stat_target *t;
    size_t n;
    int rc = app_rate_limit(rq->app, rq, APP_STATS);
    if (rc == 0) {
        rc = store_stats_own_items(http_db(rq), &rq->arena, rq->user->id, 30, &t, &n);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf *b = &rq->out;
    page_begin(rq, "Your statistics");
    HTML_LIT(b, "<h1>What readers did with your posts</h1>\n");
    stats_explainer(b);
    if (n == 0) {
        HTML_LIT(b, "<p>You have not submitted anything yet.</p>\n");
    }
    HTML_LIT(b, "<ul class=\"stats-list\">\n");
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct app_stats_window all;
        if ((rc = app_stats_total(rq, t[i].id, 0, &all)) != 0) {
            break;
        }
        buf_appendf(b, "<li><a href=\"/stats/i/%lld\">", (long long)t[i].id);
        html_text(b, t[i].title);
        HTML_LIT(b, "</a><div class=\"meta\">");
        static const char *const dims[][2] = {
            {"opens", "opens"}, {"readers", "readers"}, {"trusted", "trusted readers"},
            {"saves", "saves"}};
        for (size_t k = 0; k < 4; k++) {
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
    page_end(rq);
    return rc;
}
