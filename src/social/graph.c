/* The graph's adjacency, communities by label propagation, and influence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "social.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* One CSR list: for each edge (key, val) that names two members, val goes in key's row; rows
 * sorted and without repeats. OUT: *at (n + 1 offsets) and *list (heap). */
static void csr_build(size_t n, const struct social_edge *e, size_t ne, bool reverse, bool both,
                      size_t **at, uint32_t **list)
{
    size_t *cnt = xcalloc(n + 2, sizeof(*cnt));
    for (size_t k = 0; k < ne; k++) {
        if (e[k].from < n && e[k].to < n && e[k].from != e[k].to) {
            cnt[(reverse ? e[k].to : e[k].from) + 1]++;
            if (both) {
                cnt[(reverse ? e[k].from : e[k].to) + 1]++;
            }
        }
    }
    for (size_t m = 0; m < n; m++) {
        cnt[m + 1] += cnt[m];
    }
    uint32_t *l = xmalloc((cnt[n] + 1) * sizeof(*l));
    size_t *fill = xmalloc((n + 1) * sizeof(*fill));
    memcpy(fill, cnt, (n + 1) * sizeof(*fill));
    for (size_t k = 0; k < ne; k++) {
        uint32_t a = reverse ? e[k].to : e[k].from, b = reverse ? e[k].from : e[k].to;
        if (a < n && b < n && a != b) {
            l[fill[a]++] = b;
            if (both) {
                l[fill[b]++] = a;
            }
        }
    }
    size_t w = 0; /* sort each row and squeeze out repeats, in place */
    for (size_t m = 0; m < n; m++) {
        size_t from = cnt[m], to = fill[m];
        qsort(l + from, to - from, sizeof(*l), cmp_u32);
        cnt[m] = w;
        for (size_t k = from; k < to; k++) {
            if (k == from || l[k] != l[k - 1]) {
                l[w++] = l[k];
            }
        }
    }
    cnt[n] = w;
    free(fill);
    *at = cnt;
    *list = l;
}

void social_adj_build(const struct social_graph *g, struct social_adj *adj)
{
    adj->n = g->n;
    csr_build(g->n, g->follows, g->nfollows, false, false, &adj->out_at, &adj->out);
    csr_build(g->n, g->follows, g->nfollows, true, false, &adj->in_at, &adj->in);
    csr_build(g->n, g->ties, g->nties, false, true, &adj->tie_at, &adj->tie);
}

void social_adj_free(struct social_adj *adj)
{
    free(adj->out_at), free(adj->in_at), free(adj->tie_at);
    free(adj->out), free(adj->in), free(adj->tie);
    memset(adj, 0, sizeof(*adj));
}

bool social_adj_has(const uint32_t *list, size_t from, size_t to, uint32_t v)
{
    return to > from && bsearch(&v, list + from, to - from, sizeof(*list), cmp_u32) != NULL;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The label most of m's neighbours (follows both ways, ties) carry; m's own on a tie. */
static uint32_t popular_label(const struct social_adj *adj, const uint32_t *label, uint32_t m,
                              uint32_t *scratch)
{
    size_t k = 0;
    for (size_t i = adj->out_at[m]; i < adj->out_at[m + 1]; i++) {
        scratch[k++] = label[adj->out[i]];
    }
    for (size_t i = adj->in_at[m]; i < adj->in_at[m + 1]; i++) {
        scratch[k++] = label[adj->in[i]];
    }
    for (size_t i = adj->tie_at[m]; i < adj->tie_at[m + 1]; i++) {
        scratch[k++] = label[adj->tie[i]];
    }
    if (k == 0) {
        return label[m];
    }
    qsort(scratch, k, sizeof(*scratch), cmp_u32);
    uint32_t best = label[m];
    size_t best_n = 0, own_n = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i;
        while (j < k && scratch[j] == scratch[i]) {
            j++;
        }
        own_n = scratch[i] == label[m] ? j - i : own_n;
        if (j - i > best_n) {
            best_n = j - i;
            best = scratch[i];
        }
        i = j;
    }
    return own_n == best_n ? label[m] : best; /* stay put on a tie: it settles */
}

void social_communities(const struct social_adj *adj, uint64_t seed, uint32_t *label)
{
    size_t n = adj->n, maxdeg = 0;
    uint32_t *order = xmalloc((n + 1) * sizeof(*order));
    for (size_t m = 0; m < n; m++) {
        label[m] = (uint32_t)m;
        order[m] = (uint32_t)m;
        size_t d = (adj->out_at[m + 1] - adj->out_at[m]) + (adj->in_at[m + 1] - adj->in_at[m]) +
                   (adj->tie_at[m + 1] - adj->tie_at[m]);
        maxdeg = d > maxdeg ? d : maxdeg;
    }
    uint32_t *scratch = xmalloc((maxdeg + 1) * sizeof(*scratch));
    uint64_t rng = seed;
    for (int round = 0; round < 30; round++) {
        for (size_t i = n; i > 1; i--) { /* a fresh order each round (Fisher-Yates) */
            size_t j = (size_t)(splitmix(&rng) % i);
            uint32_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        size_t moved = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t m = order[i], l = popular_label(adj, label, m, scratch);
            moved += l != label[m];
            label[m] = l;
        }
        if (moved == 0) {
            break;
        }
    }
    /* name each community by its smallest member, whatever label won */
    uint32_t *first = xmalloc((n + 1) * sizeof(*first));
    for (size_t m = 0; m < n; m++) {
        first[m] = UINT32_MAX;
    }
    for (size_t m = 0; m < n; m++) {
        if (first[label[m]] == UINT32_MAX) {
            first[label[m]] = (uint32_t)m;
        }
    }
    for (size_t m = 0; m < n; m++) {
        label[m] = first[label[m]];
    }
    free(first);
    free(scratch);
    free(order);
}

/* For each community (by label): how many members outside it follow someone in it. */
static double *community_reach(const struct social_adj *adj, const uint32_t *label)
{
    size_t n = adj->n;
    double *reach = xcalloc(n + 1, sizeof(*reach));
    uint32_t *last = xmalloc((n + 1) * sizeof(*last)); /* the community f was last counted for */
    for (size_t m = 0; m < n; m++) {
        last[m] = UINT32_MAX;
    }
    /* members of one community are visited together (a counting sort by label), so that
     * each outsider counts once for it */
    uint32_t *by = xmalloc((n + 1) * sizeof(*by));
    size_t *start = xcalloc(n + 2, sizeof(*start));
    for (size_t m = 0; m < n; m++) {
        start[label[m] + 1]++;
    }
    for (size_t c = 0; c < n; c++) {
        start[c + 1] += start[c];
    }
    for (size_t m = 0; m < n; m++) {
        by[start[label[m]]++] = (uint32_t)m;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t m = by[i], c = label[m];
        for (size_t k = adj->in_at[m]; k < adj->in_at[m + 1]; k++) {
            uint32_t f = adj->in[k];
            if (label[f] != c && last[f] != c) {
                last[f] = c;
                reach[c] += 1.0;
            }
        }
    }
    free(start);
    free(by);
    free(last);
    return reach;
}

void social_influence(const struct social_adj *adj, const uint32_t *label, const double *standing,
                      double *influence)
{
    size_t n = adj->n;
    double *reach = community_reach(adj, label);
    double *sum = xcalloc(n + 1, sizeof(*sum)); /* per community, for the member at hand */
    uint32_t *touched = xmalloc((n + 1) * sizeof(*touched));
    for (size_t m = 0; m < n; m++) {
        size_t nt = 0;
        for (size_t k = adj->in_at[m]; k < adj->in_at[m + 1]; k++) {
            uint32_t f = adj->in[k], c = label[f];
            double s = standing[f] > 0 ? (standing[f] < 1 ? standing[f] : 1) : 0;
            if (sum[c] == 0 && s > 0) {
                touched[nt++] = c;
            }
            sum[c] += s;
        }
        double total = 0;
        for (size_t t = 0; t < nt; t++) {
            uint32_t c = touched[t];
            double open = reach[c] / (reach[c] + SOCIAL_OPEN_HALF);
            total += (SOCIAL_CLOSED_WEIGHT + (1 - SOCIAL_CLOSED_WEIGHT) * open) * sqrt(sum[c]);
            sum[c] = 0;
        }
        influence[m] = total;
    }
    free(touched);
    free(sum);
    free(reach);
}
