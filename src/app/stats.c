/* An author's statistics with k-anonymity: fixed dimensions, whole weeks, no figure that one
 * to four readers (or members) make up, and no two figures that subtract to one to four. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "../core/err.h"
#include "app.h"

#define WEEK (7 * 86400)
#define ALL_TIME_BUCKET ((int64_t)1 << 40) /* wider than any window: one bucket */

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
    size_t cap = sizeof(plain_dims) / sizeof(plain_dims[0]) + 2 + nreasons + nsrc + 4;
    w->cells = arena_alloc(a, cap * sizeof(*w->cells));
    w->n = 0;
    for (size_t i = 0; i < sizeof(plain_dims) / sizeof(plain_dims[0]); i++) {
        w->cells[w->n++] = (struct app_stat){.dim = plain_dims[i], .key = ""};
    }
    w->cells[w->n++] = (struct app_stat){.dim = "votes", .key = "up"};
    for (size_t i = 0; i < nreasons; i++) {
        w->cells[w->n++] = (struct app_stat){.dim = "votes", .key = rules_downvote_reasons[i]};
    }
    w->cells[w->n++] = (struct app_stat){.dim = "votes", .key = "down"}; /* without a reason */
    for (size_t i = 0; i < nsrc; i++) {
        w->cells[w->n++] = (struct app_stat){.dim = "source", .key = src[i]};
    }
    for (size_t i = 0; i < 4; i++) {
        w->cells[w->n++] = (struct app_stat){.dim = "org", .key = org_kinds[i]};
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

/* The rows of one bucket into w; then the first rule: at least K distinct readers, and none
 * or at least K members among them (visitors cannot pad a member's figure up to K). */
static void window_apply(struct app_stats_window *w, const struct store_stat_cell *cells,
                         size_t n, int64_t bucket)
{
    for (size_t i = 0; i < n; i++) {
        struct app_stat *c = cells[i].bucket == bucket ? find(w, cells[i].dim, cells[i].key) : NULL;
        if (c != NULL) { /* a reason no longer offered is not broken down */
            c->value = cells[i].count;
            c->readers = cells[i].readers;
            c->members = cells[i].members;
        }
    }
    for (size_t i = 0; i < w->n; i++) {
        struct app_stat *c = &w->cells[i];
        c->shown = c->readers >= APP_STATS_K && (c->members == 0 || c->members >= APP_STATS_K);
    }
}

static bool small_rest(int64_t parent, int64_t shown_sum)
{
    return parent - shown_sum > 0 && parent - shown_sum < APP_STATS_K;
}

/* Withholds children (parts of parent) until what the shown ones leave of the parent is 0 or
 * at least K, in count, readers and members alike: otherwise the parent minus the children
 * shown would count one to four. The smallest goes first. Returns whether it hid any. */
static bool complement(const struct app_stat *parent, struct app_stat **child, size_t n)
{
    bool hid = false;
    for (;;) {
        int64_t value = 0, readers = 0, members = 0;
        struct app_stat *smallest = NULL;
        for (size_t k = 0; k < n; k++) {
            if (child[k]->shown) {
                value += child[k]->value;
                readers += child[k]->readers;
                members += child[k]->members;
                if (smallest == NULL || child[k]->readers < smallest->readers) {
                    smallest = child[k];
                }
            }
        }
        if (smallest == NULL || !(small_rest(parent->value, value) ||
                                  small_rest(parent->readers, readers) ||
                                  small_rest(parent->members, members))) {
            return hid;
        }
        smallest->shown = false;
        hid = true;
    }
}

/* Within one window: the sources are parts of its readers; organisations, trusted readers
 * and read-through are parts of its member readers and so of its readers; the downvotes'
 * reasons are parts of the item's downvotes, which every page shows. */
static bool within_window(struct app_stats_window *w)
{
    struct app_stat *readers = find(w, "readers", "");
    struct app_stat members = {.value = readers->members, .readers = readers->members,
                               .members = readers->members};
    struct app_stat downs = {0};
    struct app_stat *src[16], *org[4], *why[16];
    size_t ns = 0, no = 0, nw = 0;
    bool hid = false;
    for (size_t i = 0; i < w->n; i++) {
        struct app_stat *c = &w->cells[i];
        if (strcmp(c->dim, "source") == 0 && ns < 16) {
            src[ns++] = c;
        } else if (strcmp(c->dim, "org") == 0 && no < 4) {
            org[no++] = c;
        } else if (strcmp(c->dim, "votes") == 0 && strcmp(c->key, "up") != 0 && nw < 16) {
            why[nw++] = c;
            downs.value += c->value;
            downs.readers += c->readers;
            downs.members += c->members;
        }
    }
    struct app_stat *trusted = find(w, "trusted", ""), *through = find(w, "read_through", "");
    hid |= complement(readers, src, ns);
    hid |= complement(&downs, why, nw);
    const struct app_stat *wholes[2] = {&members, readers};
    for (size_t k = 0; k < 2; k++) {
        hid |= complement(wholes[k], org, no);
        hid |= complement(wholes[k], &trusted, 1);
        hid |= complement(wholes[k], &through, 1);
    }
    return hid;
}

/* Across time: each figure's weeks are parts of its total (and a withheld total withholds
 * its weeks). */
static bool across_weeks(const struct app_stats_window *all, struct app_stats_window *weeks)
{
    bool hid = false;
    for (size_t i = 0; i < all->n; i++) {
        struct app_stat *child[APP_STATS_WEEKS];
        for (int k = 0; k < APP_STATS_WEEKS; k++) {
            child[k] = &weeks[k].cells[i];
            if (!all->cells[i].shown && child[k]->shown) {
                child[k]->shown = false;
                hid = true;
            }
        }
        hid |= complement(&all->cells[i], child, APP_STATS_WEEKS);
    }
    return hid;
}

static int query(struct http_request *rq, int64_t item_id, int64_t entry_id, int64_t from,
                 int64_t to, int64_t bucket, struct store_stat_cell **cells, size_t *n)
{
    struct store_stats_query q = {item_id, entry_id, from, to, bucket, APP_STATS_TRUSTED};
    return store_stats_cells(http_db(rq), &rq->arena, &q, cells, n);
}

int app_stats_total(struct http_request *rq, int64_t item_id, int64_t entry_id,
                    struct app_stats_window *all)
{
    struct store_stat_cell *cells;
    size_t n;
    *all = (struct app_stats_window){.label = "all time", .from = 0, .to = INT64_MAX / 2};
    window_template(&rq->arena, all);
    int rc = query(rq, item_id, entry_id, all->from, all->to, ALL_TIME_BUCKET, &cells, &n);
    if (rc == 0) {
        window_apply(all, cells, n, 0);
        while (within_window(all)) {
        }
    }
    return rc;
}

/* The newest week is the current one so far: live, like the total. */
int app_stats(struct http_request *rq, int64_t item_id, int64_t entry_id,
              struct app_stats_window *all, struct app_stats_window weeks[APP_STATS_WEEKS])
{
    int rc = app_stats_total(rq, item_id, entry_id, all);
    int64_t day = rq->now / 86400;
    int64_t newest = (day - (day + 3) % 7) * 86400; /* Monday; 1970-01-01 was a Thursday */
    int64_t oldest = newest - (int64_t)(APP_STATS_WEEKS - 1) * WEEK;
    struct store_stat_cell *cells;
    size_t n;
    if (rc != 0 || (rc = query(rq, item_id, entry_id, oldest, newest + WEEK, WEEK, &cells, &n))) {
        return rc;
    }
    for (int k = 0; k < APP_STATS_WEEKS; k++) { /* newest first: bucket APP_STATS_WEEKS-1-k */
        char label[16];
        time_t t = (time_t)(newest - (int64_t)k * WEEK);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(label, sizeof(label), "%G-W%V", &tm);
        weeks[k] = (struct app_stats_window){.label = arena_strdup(&rq->arena, label),
                                             .from = (int64_t)t, .to = (int64_t)t + WEEK};
        window_template(&rq->arena, &weeks[k]);
        window_apply(&weeks[k], cells, n, APP_STATS_WEEKS - 1 - k);
    }
    /* hiding one figure can make another pair subtract to a small number: until nothing moves */
    for (bool hid = true; hid;) {
        hid = across_weeks(all, weeks);
        for (int k = 0; k < APP_STATS_WEEKS; k++) {
            hid |= within_window(&weeks[k]);
        }
    }
    return 0;
}
