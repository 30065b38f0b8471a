/* Stage 1: trust by an early-terminated, degree-normalised random walk from the seeds
 * (SybilRank, Cao et al. NSDI 2012). After O(log n) steps the walk has mixed inside the
 * well-connected honest region but has leaked into a sybil region only through its few
 * attack edges, so per-degree landing probability separates the two. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "rank_int.h"

struct csr {
    uint32_t *start; /* n + 1 */
    uint32_t *adj;
};

static void csr_build(const struct rank_snapshot *s, struct csr *g, size_t *nedges)
{
    size_t n = s->nmembers, m = 0;
    g->start = rank_array(n + 1, sizeof(*g->start));
    for (size_t i = 0; i < s->nedges; i++) {
        if (s->edges[i].a != s->edges[i].b) {
            g->start[s->edges[i].a + 1]++, g->start[s->edges[i].b + 1]++, m++;
        }
    }
    for (size_t v = 0; v < n; v++) {
        uint32_t p = s->members[v].invited_by;
        if (p != RANK_NONE && p != v) {
            g->start[v + 1]++, g->start[p + 1]++, m++;
        }
    }
    for (size_t v = 0; v < n; v++) {
        g->start[v + 1] += g->start[v];
    }
    g->adj = rank_array(2 * m + 1, sizeof(*g->adj));
    uint32_t *fill = xmalloc((n + 1) * sizeof(*fill));
    memcpy(fill, g->start, (n + 1) * sizeof(*fill));
    for (size_t i = 0; i < s->nedges; i++) {
        uint32_t a = s->edges[i].a, b = s->edges[i].b;
        if (a != b) {
            g->adj[fill[a]++] = b;
            g->adj[fill[b]++] = a;
        }
    }
    for (size_t v = 0; v < n; v++) {
        uint32_t p = s->members[v].invited_by;
        if (p != RANK_NONE && p != v) {
            g->adj[fill[v]++] = p;
            g->adj[fill[p]++] = (uint32_t)v;
        }
    }
    free(fill);
    *nedges = m;
}

/* One step of the walk, pulled: every member sums its neighbours' shares, so members can be
 * split over threads and each sum is taken in the same order whatever the split. */
struct walk {
    const struct csr *g;
    size_t n;
    const double *p;
    double *share, *next;
};

static void walk_share(void *ctx, int part, int nparts)
{
    struct walk *w = ctx;
    size_t lo, hi;
    rank_part_range(w->n, part, nparts, &lo, &hi);
    for (size_t u = lo; u < hi; u++) {
        uint32_t deg = w->g->start[u + 1] - w->g->start[u];
        w->share[u] = deg ? w->p[u] / deg : 0.0;
    }
}

static void walk_pull(void *ctx, int part, int nparts)
{
    struct walk *w = ctx;
    const uint32_t *start = w->g->start, *adj = w->g->adj;
    size_t lo, hi;
    rank_part_range(w->n, part, nparts, &lo, &hi);
    for (size_t v = lo; v < hi; v++) {
        double sum = 0.0;
        for (uint32_t e = start[v]; e < start[v + 1]; e++) {
            if (e + 16 < start[hi]) {
                __builtin_prefetch(&w->share[adj[e + 16]]);
            }
            sum += w->share[adj[e]];
        }
        w->next[v] = sum;
    }
}

void rank_trust(struct rank_state *st)
{
    const struct rank_snapshot *s = st->snap;
    size_t n = s->nmembers, nseeds = 0, m = 0;
    for (size_t v = 0; v < n; v++) {
        nseeds += s->members[v].seed;
    }
    st->no_seeds = nseeds == 0;
    if (n == 0 || nseeds == 0) {
        for (size_t v = 0; v < n; v++) {
            st->trust[v] = 1.0; /* nothing to anchor trust on: everyone counts */
        }
        return;
    }
    struct csr g;
    csr_build(s, &g, &m);
    double *p = rank_array(n, sizeof(*p)), *next = rank_array(n, sizeof(*next));
    for (size_t v = 0; v < n; v++) {
        p[v] = s->members[v].seed ? 1.0 / (double)nseeds : 0.0;
    }
    int steps = st->p.trust_steps > 0 ? st->p.trust_steps : (int)ceil(log2((double)n + 1));
    double *share = rank_array(n, sizeof(*share));
    struct walk w = {&g, n, p, share, next};
    memcpy(next, p, n * sizeof(*p)); /* with zero steps, "the step before" is the start */
    for (int k = 0; k < steps; k++) {
        w.p = p, w.next = next;
        rank_parallel(st->nthreads, walk_share, &w);
        rank_parallel(st->nthreads, walk_pull, &w);
        double *t = p;
        p = next, next = t; /* next now holds the step before p */
    }
    free(share);
    /* The average of the last two steps: on a bipartite part of the graph a walk of one
     * parity leaves every other member empty-handed; the average reaches both sides. */
    for (size_t v = 0; v < n; v++) {
        p[v] = 0.5 * (p[v] + next[v]);
    }
    /* At stationarity every member holds deg / 2m, so p / deg * 2m is 1 for a well-connected
     * honest member; a sybil region fed through a few attack edges stays far below. The ramp
     * between zero_at and full_at turns that ratio into a vote weight. */
    double lo = st->p.trust_zero_at, hi = st->p.trust_full_at;
    for (size_t v = 0; v < n; v++) {
        uint32_t deg = g.start[v + 1] - g.start[v];
        double ratio = deg > 0 && m > 0 ? p[v] / deg * 2.0 * (double)m : 0.0;
        double t = (ratio - lo) / (hi - lo);
        t = t < 0 ? 0 : (t > 1 ? 1 : t);
        st->trust[v] = s->members[v].seed ? 1.0 : t;
    }
    free(p);
    free(next);
    free(g.start);
    free(g.adj);
}
