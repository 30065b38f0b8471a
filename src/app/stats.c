/* An author's statistics with k-anonymity: fixed dimensions, whole weeks, every figure under
 * five distinct readers withheld, and no pair of figures that subtracts to fewer than five. */
#include <string.h>
#include <time.h>

#include "../core/err.h"
#include "app.h"

static const char *const org_kinds[] = {"vendor", "buyer", "independent", "unstated"};
static const char *const plain_dims[] = {"opens",    "readers",  "trusted",     "saves",
                                         "comments", "reshares", "read_through"};

/* Every figure a window shows, zeros included, so that an absent row says nothing. */
static void window_template(struct arena *a, struct app_stats_window *w)
{
    size_t nsrc, nreasons = 0;
    const char *const *src = app_signal_sources(&nsrc);
    while (rules_downvote_reasons[nreasons] != NULL) {
        nreasons++;
    }
    size_t cap = sizeof(plain_dims) / sizeof(plain_dims[0]) + 1 + nreasons + nsrc + 4;
    w->cells = arena_alloc(a, cap * sizeof(*w->cells));
    w->n = 0;
    for (size_t i = 0; i < sizeof(plain_dims) / sizeof(plain_dims[0]); i++) {
        w->cells[w->n++] = (struct app_stat){plain_dims[i], "", 0, false};
    }
    w->cells[w->n++] = (struct app_stat){"votes", "up", 0, false};
    for (size_t i = 0; i < nreasons; i++) {
        w->cells[w->n++] = (struct app_stat){"votes", rules_downvote_reasons[i], 0, false};
    }
    for (size_t i = 0; i < nsrc; i++) {
        w->cells[w->n++] = (struct app_stat){"source", src[i], 0, false};
    }
    for (size_t i = 0; i < 4; i++) {
        w->cells[w->n++] = (struct app_stat){"org", org_kinds[i], 0, false};
    }
}

static struct app_stat *find(const struct app_stats_window *w, const char *dim, const char *key)
{
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->cells[i].dim, dim) == 0 && strcmp(w->cells[i].key, key) == 0) {
            return &w->cells[i];
        }
    }
    return NULL;
}

int64_t app_stat_value(const struct app_stats_window *w, const char *dim, const char *key)
{
    const struct app_stat *c = find(w, dim, key);
    return c != NULL && c->shown ? c->value : -1;
}

static int window_fill(struct http_request *rq, int64_t item_id, int64_t entry_id,
                       struct app_stats_window *w)
{
    struct store_stat_cell *cells;
    size_t n;
    window_template(&rq->arena, w);
    int rc = store_stats_cells(http_db(rq), &rq->arena, item_id, entry_id, w->from, w->to,
                               APP_STATS_TRUSTED, &cells, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct app_stat *c = find(w, cells[i].dim, cells[i].key);
        if (c != NULL) { /* a reason no longer offered is not broken down */
            c->value = cells[i].count;
            c->shown = cells[i].readers >= APP_STATS_K;
        }
    }
    return rc;
}

/* Monday 00:00 UTC of the week holding t. */
static int64_t week_start(int64_t t)
{
    int64_t day = t / 86400;
    return (day - (day + 3) % 7) * 86400; /* 1970-01-01 was a Thursday */
}

/* Withholds weekly figures until what the shown ones leave of the total is 0 or at least K:
 * otherwise the total minus the weeks shown would count one to four readers. */
static void complement(const struct app_stat *total, struct app_stats_window *weeks, size_t cell)
{
    for (;;) {
        int64_t shown_sum = 0;
        struct app_stat *smallest = NULL;
        for (size_t k = 0; k < APP_STATS_WEEKS; k++) {
            struct app_stat *c = &weeks[k].cells[cell];
            if (!c->shown) {
                continue;
            }
            shown_sum += c->value;
            if (smallest == NULL || c->value < smallest->value) {
                smallest = c;
            }
        }
        int64_t rest = total->value - shown_sum;
        if (smallest == NULL || rest <= 0 || rest >= APP_STATS_K) {
            return;
        }
        smallest->shown = false;
    }
}

int app_stats(struct http_request *rq, int64_t item_id, int64_t entry_id,
              struct app_stats_window *all, struct app_stats_window weeks[APP_STATS_WEEKS])
{
    *all = (struct app_stats_window){.label = "all time", .from = 0, .to = INT64_MAX / 2};
    int rc = window_fill(rq, item_id, entry_id, all);
    int64_t start = week_start(rq->now);
    for (int k = 0; rc == 0 && k < APP_STATS_WEEKS; k++) {
        struct app_stats_window *w = &weeks[k];
        char label[16];
        time_t t = (time_t)(start - (int64_t)k * 7 * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(label, sizeof(label), "%G-W%V", &tm);
        *w = (struct app_stats_window){.label = arena_strdup(&rq->arena, label),
                                       .from = (int64_t)t, .to = (int64_t)t + 7 * 86400};
        rc = window_fill(rq, item_id, entry_id, w);
    }
    for (size_t i = 0; rc == 0 && i < all->n; i++) {
        complement(&all->cells[i], weeks, i);
    }
    return rc;
}
