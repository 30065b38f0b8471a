/* Honest-region graphs: a real SNAP edge list sampled by BFS, or a synthetic one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "sim.h"

uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / (double)(1ULL << 53);
}

double rng_beta22(struct rng *r)
{
    /* the median of three uniforms is Beta(2,2) */
    double a = rng_unit(r), b = rng_unit(r), c = rng_unit(r);
    if (a > b) {
        double t = a;
        a = b, b = t;
    }
    return c < a ? a : (c > b ? b : c);
}

void graph_free(struct graph *g)
{
    free(g->edges);
    g->edges = NULL;
}

void graph_synthetic(size_t n, int m, struct rng *r, struct graph *g)
{
    size_t cap = n * (size_t)m + 1, k = 0;
    uint32_t *ends = xmalloc(2 * cap * sizeof(*ends)); /* endpoints: sampling them is by degree */
    g->edges = xmalloc(cap * sizeof(*g->edges));
    size_t nends = 0;
    for (size_t v = 1; v < n; v++) {
        for (int j = 0; j < m && j < (int)v; j++) {
            uint32_t u = nends ? ends[rng_next(r) % nends] : 0;
            if (u == v) {
                u = (uint32_t)(rng_next(r) % v);
            }
            g->edges[k++] = (struct rank_edge){(uint32_t)v, u};
            ends[nends++] = (uint32_t)v;
            ends[nends++] = u;
        }
    }
    free(ends);
    g->n = n;
    g->nedges = k;
}

struct raw_edges {
    uint32_t *a, *b;
    size_t n, cap;
    uint32_t maxid;
};

static int read_edges(const char *path, struct raw_edges *re)
{
    char cmd[1024];
    bool gz = strlen(path) > 3 && strcmp(path + strlen(path) - 3, ".gz") == 0;
    snprintf(cmd, sizeof(cmd), "%s '%s'", gz ? "gzip -dc" : "cat", path);
    if (strchr(path, '\'') != NULL) {
        fprintf(stderr, "ranksim: bad graph path\n");
        return -1;
    }
    FILE *fp = popen(cmd, "r");
    if (fp == NULL) {
        fprintf(stderr, "ranksim: cannot read %s\n", path);
        return -1;
    }
    char line[256];
    while (fgets(line, sizeof(line), fp)) {
        unsigned long x, y;
        if (line[0] == '#' || sscanf(line, "%lu %lu", &x, &y) != 2 || x == y) {
            continue;
        }
        if (re->n == re->cap) {
            re->cap = re->cap ? re->cap * 2 : 1 << 16;
            re->a = xrealloc(re->a, re->cap * sizeof(*re->a));
            re->b = xrealloc(re->b, re->cap * sizeof(*re->b));
        }
        re->a[re->n] = (uint32_t)x, re->b[re->n] = (uint32_t)y, re->n++;
        re->maxid = (uint32_t)(x > re->maxid ? x : re->maxid);
        re->maxid = (uint32_t)(y > re->maxid ? y : re->maxid);
    }
    int rc = pclose(fp);
    if (rc != 0 || re->n == 0) {
        fprintf(stderr, "ranksim: no edges read from %s\n", path);
        return -1;
    }
    return 0;
}

int graph_load(const char *path, size_t want, struct graph *g)
{
    struct raw_edges re = {0};
    if (read_edges(path, &re) != 0) {
        return -1;
    }
    size_t n = (size_t)re.maxid + 1;
    uint32_t *deg = xcalloc(n + 1, sizeof(*deg)), *start = xcalloc(n + 2, sizeof(*start));
    for (size_t i = 0; i < re.n; i++) {
        deg[re.a[i]]++, deg[re.b[i]]++;
    }
    for (size_t v = 0; v < n; v++) {
        start[v + 1] = start[v] + deg[v];
    }
    uint32_t *adj = xmalloc((2 * re.n + 1) * sizeof(*adj)), *fill = xmalloc((n + 1) * sizeof(*fill));
    memcpy(fill, start, (n + 1) * sizeof(*fill));
    for (size_t i = 0; i < re.n; i++) {
        adj[fill[re.a[i]]++] = re.b[i];
        adj[fill[re.b[i]]++] = re.a[i];
    }
    uint32_t best = 0; /* BFS from the highest-degree node: a connected, realistic region */
    for (size_t v = 0; v < n; v++) {
        best = deg[v] > deg[best] ? (uint32_t)v : best;
    }
    int64_t *label = xmalloc(n * sizeof(*label));
    for (size_t v = 0; v < n; v++) {
        label[v] = -1;
    }
    uint32_t *queue = xmalloc(n * sizeof(*queue));
    size_t head = 0, tail = 0, kept = 0;
    if (want == 0 || want > n) {
        want = n;
    }
    queue[tail++] = best;
    label[best] = (int64_t)kept++;
    while (head < tail && kept < want) {
        uint32_t u = queue[head++];
        for (uint32_t e = start[u]; e < start[u + 1] && kept < want; e++) {
            if (label[adj[e]] < 0) {
                label[adj[e]] = (int64_t)kept++;
                queue[tail++] = adj[e];
            }
        }
    }
    g->edges = xmalloc((re.n + 1) * sizeof(*g->edges));
    g->nedges = 0;
    for (size_t i = 0; i < re.n; i++) {
        if (label[re.a[i]] >= 0 && label[re.b[i]] >= 0) {
            g->edges[g->nedges++] = (struct rank_edge){(uint32_t)label[re.a[i]], (uint32_t)label[re.b[i]]};
        }
    }
    g->n = kept;
    free(deg), free(start), free(adj), free(fill), free(label), free(queue), free(re.a), free(re.b);
    return 0;
}
