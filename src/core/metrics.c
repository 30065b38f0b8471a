/* Process-wide counters for /metrics: see metrics.h. */
#include "metrics.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

static _Atomic uint64_t values[METRIC_COUNT];

/* Each metric's family, label and help; a family's members are adjacent so that its # HELP
 * and # TYPE lines are written once. */
static const struct {
    const char *family, *label, *type, *help;
    double scale; /* printed value = raw * scale */
} metric_info[METRIC_COUNT] = {
    [METRIC_POOL_WAITS] = {"guild_db_pool_waits_total", NULL, "counter",
                           "Requests that waited for a free database connection.", 1},
    [METRIC_CACHE_HITS] = {"guild_page_cache_total", "result=\"hit\"", "counter",
                           "Cacheable logged-out page requests, by page-cache result.", 1},
    [METRIC_CACHE_MISSES] = {"guild_page_cache_total", "result=\"miss\"", "counter", NULL, 1},
    [METRIC_RANKER_RUNS] = {"guild_ranker_runs_total", "result=\"ok\"", "counter",
                            "Full ranking recomputes, by result.", 1},
    [METRIC_RANKER_FAILURES] = {"guild_ranker_runs_total", "result=\"failed\"", "counter",
                                NULL, 1},
    [METRIC_RANKER_LAST_MS] = {"guild_ranker_last_duration_seconds", NULL, "gauge",
                               "How long the last full ranking recompute took.", 0.001},
    [METRIC_FETCH_OK] = {"guild_feed_fetches_total", "result=\"ok\"", "counter",
                         "Feed fetches, by result.", 1},
    [METRIC_FETCH_NOT_MODIFIED] = {"guild_feed_fetches_total", "result=\"not-modified\"",
                                   "counter", NULL, 1},
    [METRIC_FETCH_FAILED] = {"guild_feed_fetches_total", "result=\"failed\"", "counter", NULL,
                             1},
    [METRIC_FETCH_GONE] = {"guild_feed_fetches_total", "result=\"gone\"", "counter", NULL, 1},
    [METRIC_FETCH_ENTRIES] = {"guild_feed_entries_new_total", NULL, "counter",
                              "Feed entries stored for the first time.", 1},
    [METRIC_MAIL_SENT] = {"guild_mail_total", "result=\"sent\"", "counter",
                          "Mail delivery attempts, by result.", 1},
    [METRIC_MAIL_FAILED] = {"guild_mail_total", "result=\"failed\"", "counter", NULL, 1},
    [METRIC_ALERTS_SENT] = {"guild_alerts_total", "result=\"sent\"", "counter",
                            "Saved-search alerts, by result.", 1},
    [METRIC_ALERTS_FAILED] = {"guild_alerts_total", "result=\"failed\"", "counter", NULL, 1},
};

void metric_add(enum metric m, uint64_t n)
{
    atomic_fetch_add_explicit(&values[m], n, memory_order_relaxed);
}

void metric_set(enum metric m, uint64_t v)
{
    atomic_store_explicit(&values[m], v, memory_order_relaxed);
}

uint64_t metric_get(enum metric m)
{
    return atomic_load_explicit(&values[m], memory_order_relaxed);
}

void metrics_write(struct buf *b)
{
    for (int m = 0; m < METRIC_COUNT; m++) {
        bool first = m == 0 || strcmp(metric_info[m].family, metric_info[m - 1].family) != 0;
        if (first) {
            buf_appendf(b, "# HELP %s %s\n# TYPE %s %s\n", metric_info[m].family,
                        metric_info[m].help, metric_info[m].family, metric_info[m].type);
        }
        uint64_t v = metric_get((enum metric)m);
        const char *label = metric_info[m].label;
        if (metric_info[m].scale == 1) {
            buf_appendf(b, "%s%s%s%s %llu\n", metric_info[m].family, label ? "{" : "",
                        label ? label : "", label ? "}" : "", (unsigned long long)v);
        } else {
            buf_appendf(b, "%s%s%s%s %.3f\n", metric_info[m].family, label ? "{" : "",
                        label ? label : "", label ? "}" : "", (double)v * metric_info[m].scale);
        }
    }
}

double metrics_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
