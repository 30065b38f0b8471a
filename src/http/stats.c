/* Request counts by route and status, and a latency histogram, for /metrics. Counted once
 * per request when it ends (server.c), with relaxed atomics: no lock on the request path. */
#include <stdatomic.h>
#include <stdlib.h>

#include "../core/util.h"
#include "http_int.h"

static const int tracked_status[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404,
                                     405, 409, 410, 413, 429, 500, 503};
#define NSTATUS (sizeof(tracked_status) / sizeof(tracked_status[0]) + 1) /* + "other" */
static const double bucket_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                   0.25,  0.5,    1,     2.5,  5,     10};
#define NBUCKETS (sizeof(bucket_le) / sizeof(bucket_le[0]))

struct http_stats {
    size_t nroutes;                 /* + 1 row for requests no route matched */
    _Atomic uint64_t *count;        /* [(nroutes + 1) * NSTATUS] */
    _Atomic uint64_t bucket[NBUCKETS + 1]; /* + the +Inf bucket; not cumulative here */
    _Atomic uint64_t sum_us, total;
};

struct http_stats *http_stats_new(size_t nroutes)
{
    struct http_stats *st = xcalloc(1, sizeof(*st));
    st->nroutes = nroutes;
    st->count = xcalloc((nroutes + 1) * NSTATUS, sizeof(*st->count));
    return st;
}

void http_stats_free(struct http_stats *st)
{
    if (st != NULL) {
        free(st->count);
        free(st);
    }
}

static size_t status_slot(int status)
{
    for (size_t i = 0; i < NSTATUS - 1; i++) {
        if (tracked_status[i] == status) {
            return i;
        }
    }
    return NSTATUS - 1;
}

void http_stats_record(struct http_stats *st, size_t route, int status, double seconds)
{
    if (route > st->nroutes) {
        route = st->nroutes;
    }
    atomic_fetch_add_explicit(&st->count[route * NSTATUS + status_slot(status)], 1,
                              memory_order_relaxed);
    size_t b = 0;
    while (b < NBUCKETS && seconds > bucket_le[b]) {
        b++;
    }
    atomic_fetch_add_explicit(&st->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&st->sum_us, (uint64_t)(seconds * 1e6), memory_order_relaxed);
    atomic_fetch_add_explicit(&st->total, 1, memory_order_relaxed);
}

static void write_counts(const struct http_stats *st, const struct http_route *routes,
                         struct buf *b)
{
    buf_appendz(b, "# HELP guild_http_requests_total Requests answered, by route pattern and "
                "status.\n# TYPE guild_http_requests_total counter\n");
    for (size_t r = 0; r <= st->nroutes; r++) {
        for (size_t k = 0; k < NSTATUS; k++) {
            uint64_t n = atomic_load_explicit(&st->count[r * NSTATUS + k], memory_order_relaxed);
            if (n == 0) {
                continue;
            }
            const char *method = r < st->nroutes && routes[r].method == HTTP_POST ? "POST" : "GET";
            buf_appendf(b, "guild_http_requests_total{method=\"%s\",route=\"%s\",status=\"",
                        r < st->nroutes ? method : "any",
                        r < st->nroutes ? routes[r].pattern : "unmatched");
            if (k < NSTATUS - 1) {
                buf_appendf(b, "%d", tracked_status[k]);
            } else {
                buf_appendz(b, "other");
            }
            buf_appendf(b, "\"} %llu\n", (unsigned long long)n);
        }
    }
}

void http_stats_write(const struct http_stats *st, const struct http_route *routes,
                      struct buf *b)
{
    write_counts(st, routes, b);
    buf_appendz(b, "# HELP guild_http_request_duration_seconds Time from a request's headers to "
                "its response.\n# TYPE guild_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= NBUCKETS; i++) {
        cumulative += atomic_load_explicit(&st->bucket[i], memory_order_relaxed);
        if (i < NBUCKETS) {
            buf_appendf(b, "guild_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                        bucket_le[i], (unsigned long long)cumulative);
        } else {
            buf_appendf(b, "guild_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                        (unsigned long long)cumulative);
        }
    }
    buf_appendf(b, "guild_http_request_duration_seconds_sum %.6f\n",
                (double)atomic_load_explicit(&st->sum_us, memory_order_relaxed) / 1e6);
    buf_appendf(b, "guild_http_request_duration_seconds_count %llu\n",
                (unsigned long long)cumulative);
}
