/* ranksim --scale: full recompute at 1M members / 10M votes / 100k items, the incremental
 * update guild serve makes after a vote (one item replayed from all its votes and opens),
 * peak RSS, and the memory floor (streaming the same input bytes once). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "../../src/core/util.h"
#include "sim.h"

int scale_run(uint64_t seed);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Positions of the records of each item (CSR: item i's are at idx[start[i]..start[i+1])). */
static void by_item(size_t n, size_t ni, const uint32_t *item_of, size_t **start, uint32_t **idx)
{
    *start = xcalloc(ni + 2, sizeof(**start));
    *idx = xmalloc((n + 1) * sizeof(**idx));
    for (size_t k = 0; k < n; k++) {
        (*start)[item_of[k] + 2]++;
    }
    for (size_t i = 2; i < ni + 2; i++) {
        (*start)[i] += (*start)[i - 1];
    }
    for (size_t k = 0; k < n; k++) {
        (*idx)[(*start)[item_of[k] + 1]++] = (uint32_t)k;
    }
}

/* Microseconds per incremental update of a random item (its votes and opens gathered as the
 * ranker reads them from the store), or -1 on failure. */
static double replay_us(struct rank_state *st, const struct rank_snapshot *s, struct rng *r)
{
    uint32_t *vi = xmalloc((s->nvotes + 1) * sizeof(*vi)), *oi = xmalloc((s->nopens + 1) * sizeof(*oi));
    for (size_t k = 0; k < s->nvotes; k++) {
        vi[k] = s->votes[k].item;
    }
    for (size_t k = 0; k < s->nopens; k++) {
        oi[k] = s->opens[k].item;
    }
    size_t *vstart, *ostart;
    uint32_t *vidx, *oidx;
    by_item(s->nvotes, s->nitems, vi, &vstart, &vidx);
    by_item(s->nopens, s->nitems, oi, &ostart, &oidx);
    struct rank_vote *v = xmalloc((s->nvotes + 1) * sizeof(*v));
    struct rank_open *o = xmalloc((s->nopens + 1) * sizeof(*o));
    const int n = 20000;
    double total = 0;
    for (int k = 0; k < n && total >= 0; k++) {
        uint32_t item = (uint32_t)(rng_next(r) % s->nitems);
        double t0 = now_ms();
        size_t nv = 0, no = 0;
        for (size_t j = vstart[item]; j < vstart[item + 1]; j++) {
            v[nv++] = s->votes[vidx[j]];
        }
        for (size_t j = ostart[item]; j < ostart[item + 1]; j++) {
            o[no++] = s->opens[oidx[j]];
        }
        total = rank_item_replay(st, item, v, nv, o, no, s->now) == 0 ? total + now_ms() - t0 : -1;
    }
    free(vi), free(oi), free(vstart), free(ostart), free(vidx), free(oidx), free(v), free(o);
    return total < 0 ? -1 : total * 1e3 / n;
}

int scale_run(uint64_t seed)
{
    const size_t nm = 1000000, ni = 100000, nv = 10000000;
    struct rng r = {seed * 104729 + 7};
    struct rank_member *m = xcalloc(nm, sizeof(*m));
    struct rank_edge *e = xmalloc(2 * nm * sizeof(*e));
    size_t ne = 0;
    for (size_t v = 0; v < nm; v++) { /* an invitation tree plus two connections each */
        m[v] = (struct rank_member){v ? (uint32_t)(rng_next(&r) % v) : RANK_NONE,
                                    (int32_t)(rng_next(&r) % 20000) - 5000, v < 1000};
        if (v > 2) {
            e[ne++] = (struct rank_edge){(uint32_t)v, (uint32_t)(rng_next(&r) % v)};
            e[ne++] = (struct rank_edge){(uint32_t)v, (uint32_t)(rng_next(&r) % v)};
        }
    }
    struct rank_item *it = xcalloc(ni, sizeof(*it));
    for (size_t i = 0; i < ni; i++) {
        it[i] = (struct rank_item){i % 10 ? RANK_LINK : RANK_BLOG, (uint32_t)(rng_next(&r) % nm),
                                   -1, 1700000000 + (int64_t)(i * 30), -1};
    }
    struct rank_vote *vs = xmalloc(nv * sizeof(*vs));
    struct rank_open *op = xmalloc(nv * sizeof(*op));
    size_t no = 0;
    for (size_t k = 0; k < nv; k++) { /* popular items get more votes: a squared uniform */
        double u = rng_unit(&r);
        uint32_t item = (uint32_t)(u * u * (double)ni), voter = (uint32_t)(rng_next(&r) % nm);
        bool opened = rng_unit(&r) < 0.7;
        bool outside = opened && rng_unit(&r) < 0.1;
        vs[k] = (struct rank_vote){voter, item, rng_unit(&r) < 0.7 ? 1 : -1, opened, outside,
                                   1700000000 + (int64_t)k};
        if (opened) {
            op[no++] = (struct rank_open){voter, item, !outside};
        }
    }
    struct rank_snapshot s = {m, nm, e, ne, it, ni, op, no, vs, nv, 1700000000 + 4000000};
    struct rank_params p;
    rank_params_default(&p);
    p.threads = getenv("RANKSIM_THREADS") ? atoi(getenv("RANKSIM_THREADS")) : 0;

    /* floor: read every input byte once (what any full recompute must at least do) */
    double t0 = now_ms();
    uint64_t sum = 0;
    const uint64_t *words[] = {(const uint64_t *)(const void *)vs, (const uint64_t *)(const void *)op,
                               (const uint64_t *)(const void *)e, (const uint64_t *)(const void *)m};
    size_t bytes[] = {nv * sizeof(*vs), no * sizeof(*op), ne * sizeof(*e), nm * sizeof(*m)};
    size_t total = 0;
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < bytes[k] / 8; i++) {
            sum += words[k][i];
        }
        total += bytes[k];
    }
    double floor_ms = now_ms() - t0;

    /* The first run in the process also pays for faulting in memory it never touched and
     * fits stage 5 from a cold start; the server's ranker thread recomputes every
     * --rank-interval from the last run's factors, so the repeats are reported beside it
     * (their median) and the first run is the figure held to the target. */
    enum { RUNS = 5 };
    double run_ms[RUNS];
    struct rank_state *st = NULL;
    struct rank_timing first_stages = {0};
    for (int k = 0; k < RUNS; k++) {
        /* the first run starts stage 5 cold; the repeats, as the ranker thread does, from
         * the last run's item factors (taken within the timed run, as the ranker does) */
        struct rank_state *prev = st;
        st = NULL;
        t0 = now_ms();
        struct rank_warm *warm = rank_warm_take(prev, NULL, s.nitems);
        rank_state_free(prev);
        int rc = rank_run_warm(&s, &p, warm, &st);
        rank_warm_free(warm);
        if (rc != 0) {
            fprintf(stderr, "ranksim: scale run failed\n");
            return 1;
        }
        run_ms[k] = now_ms() - t0;
        if (k == 0) {
            first_stages = *rank_timing_get(st);
        }
    }
    double full_ms = run_ms[0];
    double repeat[RUNS - 1];
    memcpy(repeat, run_ms + 1, sizeof(repeat));
    qsort(repeat, RUNS - 1, sizeof(*repeat), cmp_double);
    const int nrep = RUNS - 1;
    double repeat_ms = (repeat[(nrep - 1) / 2] + repeat[nrep / 2]) / 2.0;

    double incr_us = replay_us(st, &s, &r);
    if (incr_us < 0) {
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("scale: members=%zu votes=%zu items=%zu edges=%zu opens=%zu (checksum %llu)\n", nm, nv,
           ni, ne, no, (unsigned long long)(sum & 0xffff));
    printf("| measure | value |\n|---|---|\n");
    printf("| full recompute (first run) | %.0f ms |\n", full_ms);
    printf("| full recompute (median of %d repeats; min %.0f) | %.0f ms |\n", RUNS - 1, repeat[0],
           repeat_ms);
    printf("| incremental update (one item replayed, as guild serve does after a vote) | %.2f us "
           "|\n", incr_us);
    const struct rank_timing *tm = rank_timing_get(st);
    const struct rank_timing *stages[] = {&first_stages, tm};
    for (int k = 0; k < 2; k++) {
        printf("| stages of the %s run: trust / clusters / grouping / items / bridging / quality "
               "| %.0f / %.0f / %.0f / %.0f / %.0f / %.0f ms |\n", k ? "last" : "first",
               stages[k]->trust_ms, stages[k]->clusters_ms, stages[k]->grouping_ms,
               stages[k]->items_ms, stages[k]->bridge_ms, stages[k]->quality_ms);
    }
    printf("| memory floor (stream %.0f MB once) | %.0f ms |\n", (double)total / 1e6, floor_ms);
    printf("| full recompute / floor | %.1fx |\n| peak RSS | %ld MB |\n", full_ms / floor_ms,
           ru.ru_maxrss / 1024);
    printf("full_ms=%.0f repeat_ms=%.0f incremental_us=%.2f floor_ratio=%.1f bridge_ms=%.0f\n",
           full_ms, repeat_ms, incr_us, full_ms / floor_ms, tm->bridge_ms);
    rank_state_free(st);
    free(m), free(e), free(it), free(vs), free(op);
    return 0;
}
