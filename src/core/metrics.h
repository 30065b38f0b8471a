/* Process-wide counters and gauges for GET /metrics (Prometheus text exposition). Every update
 * is one relaxed atomic operation, so any thread may count without a lock; values are read
 * when /metrics is answered. The HTTP layer keeps its own per-route counts (http.h). */
#ifndef GUILD_CORE_METRICS_H
#define GUILD_CORE_METRICS_H

#include <stdint.h>

#include "buf.h"

enum metric {
    METRIC_POOL_WAITS,       /* a request found no free database connection and waited */
    METRIC_CACHE_HITS,       /* logged-out pages served from the page cache */
    METRIC_CACHE_MISSES,     /* cacheable pages that had to be rendered */
    METRIC_RANKER_RUNS,      /* full recomputes finished */
    METRIC_RANKER_FAILURES,  /* full recomputes that failed (retried) */
    METRIC_RANKER_LAST_MS,   /* gauge: how long the last full recompute took */
    METRIC_FETCH_OK,         /* feed fetches by result */
    METRIC_FETCH_NOT_MODIFIED,
    METRIC_FETCH_FAILED,
    METRIC_FETCH_GONE,
    METRIC_FETCH_ENTRIES,    /* new entries stored */
    METRIC_MAIL_SENT,        /* mails handed to the relay */
    METRIC_MAIL_FAILED,      /* mail attempts that failed (retried or given up) */
    METRIC_ALERTS_SENT,      /* saved-search alerts (mail or webhook) */
    METRIC_ALERTS_FAILED,
    METRIC_COUNT
};

void metric_add(enum metric m, uint64_t n);
void metric_set(enum metric m, uint64_t v);
uint64_t metric_get(enum metric m);
/* Appends every metric above with its # HELP and # TYPE lines (names start with guild_). */
void metrics_write(struct buf *b);
/* Monotonic seconds, for durations. */
double metrics_clock(void);

#endif
