/* Stage 3a: voting clusters. Members whose votes coincide far more often than independent
 * voting would explain are merged (union-find). Candidates come from MinHash signatures of
 * each member's vote set banded into buckets (LSH), so the cost stays near-linear in votes;
 * each candidate pair is then checked exactly: enough shared votes, a high Jaccard overlap,
 * and a lift over chance (shared votes on popular items are expected; on obscure ones not). */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "rank_int.h"

#define MH_K 4      /* minhash values per member */
#define MH_BANDS 2  /* bands of MH_K / MH_BANDS rows */
#define MH_WINDOW 8 /* each bucket member is compared with this many followers */

uint64_t rank_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint32_t uf_find(uint32_t *parent, uint32_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

static void uf_union(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = uf_find(parent, a), b = uf_find(parent, b);
    if (a != b) {
        parent[a > b ? a : b] = a < b ? a : b; /* smallest index is the root: deterministic */
    }
}

struct votes_by_member {
    const struct rank_snapshot *snap;
    uint32_t *start; /* nmembers + 1 */
    uint32_t *elem;  /* item * 2 + (up ? 1 : 0), sorted per member */
    uint32_t *pop;   /* per element: how many members cast it */
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Most members cast a handful of votes: insertion sort beats qsort's setup there. */
static void sort_u32(uint32_t *a, size_t n)
{
    if (n > 32) {
        qsort(a, n, sizeof(*a), cmp_u32);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

static uint32_t vote_voter_key(const void *ctx, size_t r)
{
    return ((const struct rank_snapshot *)ctx)->votes[r].voter;
}

static uint64_t vote_elem(const void *ctx, size_t r)
{
    const struct rank_vote *v = &((const struct rank_snapshot *)ctx)->votes[r];
    return (uint64_t)v->item * 2 + (v->value > 0);
}

/* Sorting the part's members' vote lists. */
static void sort_lists_part(void *ctx, int part, int nparts)
{
    struct votes_by_member *vm = ctx;
    size_t lo, hi;
    rank_part_range(vm->snap->nmembers, part, nparts, &lo, &hi);
    for (size_t v = lo; v < hi; v++) {
        sort_u32(vm->elem + vm->start[v], vm->start[v + 1] - vm->start[v]);
    }
}

/* Each member's votes as sorted elements, and how often each element was cast (read from
 * the votes grouped by item: ups and downs of each item). */
static void by_member(const struct rank_state *st, struct votes_by_member *vm)
{
    const struct rank_snapshot *s = st->snap;
    struct rank_groups g;
    rank_group(s->nvotes, s->nmembers, vote_voter_key, vote_elem, 4, s, st->nthreads, &g);
    vm->snap = s;
    vm->start = g.start;
    vm->elem = g.rec32;
    rank_parallel(st->nthreads, sort_lists_part, vm);
    vm->pop = rank_array(2 * s->nitems + 1, sizeof(*vm->pop));
    for (size_t i = 0; i < s->nitems; i++) {
        for (uint32_t p = st->votes_by_item.start[i]; p < st->votes_by_item.start[i + 1]; p++) {
            vm->pop[2 * i + rank_packed_up(st->votes_by_item.rec64[p])]++;
        }
    }
}

/* The exact test for a candidate pair. */
static bool co_voters(const struct votes_by_member *vm, uint32_t a, uint32_t b, double total,
                      const struct rank_params *p)
{
    const uint32_t *x = vm->elem + vm->start[a], *y = vm->elem + vm->start[b];
    size_t nx = vm->start[a + 1] - vm->start[a], ny = vm->start[b + 1] - vm->start[b];
    size_t i = 0, j = 0, common = 0;
    double expected = 0;
    while (i < nx && j < ny) {
        if (x[i] == y[j]) {
            common++, i++, j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    if (common < (size_t)p->cluster_min_common ||
        (double)common < p->cluster_min_jaccard * (double)(nx + ny - common)) {
        return false;
    }
    /* independent voting: b casts each of a's votes with probability pop / total * ny */
    for (i = 0; i < nx; i++) {
        expected += (double)vm->pop[x[i]] * (double)ny / total;
    }
    return (double)common >= p->cluster_min_lift * expected;
}

/* MinHash signature of one member's votes: one strong mix per vote, the K values derived
 * from it by cheap odd multipliers (enough independence for candidate generation). */
static void minhash(const uint32_t *elem, size_t n, uint64_t sig[MH_K])
{
    static const uint64_t mul[MH_K] = {0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
                                       0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL};
    for (int j = 0; j < MH_K; j++) {
        sig[j] = UINT64_MAX;
    }
    for (size_t e = 0; e < n; e++) {
        uint64_t h = rank_mix64((uint64_t)elem[e] + 1);
        for (int j = 0; j < MH_K; j++) {
            uint64_t x = (h ^ (h >> 29)) * mul[j];
            x ^= x >> 32;
            sig[j] = x < sig[j] ? x : sig[j];
        }
    }
}

/* LSH bucket keys of every member with enough votes: MinHash is the costly part of
 * clustering and each member's keys depend on its votes alone, so members are split over
 * threads. */
struct band_keys {
    const struct votes_by_member *vm;
    size_t n;
    int min_votes;
    uint64_t *key; /* n * MH_BANDS */
    size_t nbuckets; /* a power of two */
};

static bool has_keys(const struct band_keys *bk, size_t member)
{
    return bk->vm->start[member + 1] - bk->vm->start[member] >= (uint32_t)bk->min_votes;
}

static void band_keys_part(void *ctx, int part, int nparts)
{
    struct band_keys *bk = ctx;
    size_t lo, hi;
    rank_part_range(bk->n, part, nparts, &lo, &hi);
    for (size_t v = lo; v < hi; v++) {
        uint32_t a = bk->vm->start[v], b = bk->vm->start[v + 1];
        if (!has_keys(bk, v)) {
            continue;
        }
        uint64_t sig[MH_K];
        minhash(bk->vm->elem + a, b - a, sig);
        for (int band = 0; band < MH_BANDS; band++) {
            bk->key[v * MH_BANDS + band] =
                rank_mix64(sig[2 * band] ^ rank_mix64(sig[2 * band + 1] + (uint64_t)band));
        }
    }
}

/* LSH buckets: band entries (member * MH_BANDS + band) grouped by their key's low bits, so
 * each bucket lists its entries in member order; members without keys go to the extra
 * bucket nbuckets, which is never read. */
static uint32_t band_bucket(const void *ctx, size_t e)
{
    const struct band_keys *bk = ctx;
    return has_keys(bk, e / MH_BANDS) ? (uint32_t)(bk->key[e] & (bk->nbuckets - 1))
                                      : (uint32_t)bk->nbuckets;
}

/* Candidate pairs that pass the exact test, per part of the buckets. */
struct pair_list {
    uint32_t *ab;
    size_t n, cap;
};

struct lsh {
    const struct votes_by_member *vm;
    const struct band_keys *bk;
    struct rank_groups buckets;
    const struct rank_params *p;
    double total;
    struct pair_list pairs[RANK_MAX_THREADS];
};

/* Each entry is compared with the next MH_WINDOW entries of the same key. The exact tests
 * read only the vote lists, so parts of the buckets run in parallel; the unions are made
 * afterwards in bucket order (the clusters are the connected pairs, whatever the order). */
static void lsh_pairs_part(void *ctx, int part, int nparts)
{
    struct lsh *l = ctx;
    struct pair_list *out = &l->pairs[part];
    const uint32_t *start = l->buckets.start, *ent = l->buckets.rec32;
    const uint64_t *key = l->bk->key;
    size_t lo, hi;
    rank_part_range(l->bk->nbuckets, part, nparts, &lo, &hi);
    for (size_t b = lo; b < hi; b++) {
        for (uint32_t i = start[b]; i < start[b + 1]; i++) {
            int compared = 0;
            for (uint32_t j = i + 1; j < start[b + 1] && compared < MH_WINDOW; j++) {
                uint32_t a = ent[i] / MH_BANDS, c = ent[j] / MH_BANDS;
                if (key[ent[j]] != key[ent[i]]) {
                    continue;
                }
                compared++;
                if (a != c && co_voters(l->vm, a, c, l->total, l->p)) {
                    if (out->n == out->cap) {
                        out->cap = out->cap ? 2 * out->cap : 64;
                        out->ab = xrealloc(out->ab, 2 * out->cap * sizeof(*out->ab));
                    }
                    out->ab[2 * out->n] = a;
                    out->ab[2 * out->n + 1] = c;
                    out->n++;
                }
            }
        }
    }
}

/* Fans: a member whose upvotes go mostly to one submitter's items ("vote for my posts")
 * joins that submitter's cluster, so a recruited ring counts as one group from its second
 * shared item on, before its members' vote sets are large enough for the MinHash test.
 * Finding each member's idol is split over threads; the unions are made in member order. */
struct fans {
    const struct votes_by_member *vm;
    int min_fan;
    uint32_t *idol; /* per member: the submitter it is a fan of, or RANK_NONE */
};

static void fans_part(void *ctx, int part, int nparts)
{
    struct fans *f = ctx;
    const struct votes_by_member *vm = f->vm;
    const struct rank_snapshot *s = vm->snap;
    size_t lo, hi, most = 1;
    rank_part_range(s->nmembers, part, nparts, &lo, &hi);
    for (size_t v = lo; v < hi; v++) {
        most = vm->start[v + 1] - vm->start[v] > most ? vm->start[v + 1] - vm->start[v] : most;
    }
    uint32_t *subs = xmalloc(most * sizeof(*subs));
    for (size_t v = lo; v < hi; v++) {
        size_t n = 0;
        f->idol[v] = RANK_NONE;
        for (uint32_t e = vm->start[v]; e < vm->start[v + 1]; e++) {
            if (vm->elem[e] & 1) {
                subs[n++] = s->items[vm->elem[e] >> 1].submitter;
            }
        }
        if (n < (size_t)f->min_fan) {
            continue;
        }
        sort_u32(subs, n);
        size_t run = 1, best = 1;
        uint32_t who = subs[0];
        for (size_t i = 1; i < n; i++) {
            run = subs[i] == subs[i - 1] ? run + 1 : 1;
            if (run > best) {
                best = run, who = subs[i];
            }
        }
        if (best >= (size_t)f->min_fan && 2 * best >= n && who != v) {
            f->idol[v] = who;
        }
    }
    free(subs);
}

static void rank_fans(const struct votes_by_member *vm, int nthreads, uint32_t *parent,
                      int min_fan)
{
    size_t n = vm->snap->nmembers;
    struct fans f = {vm, min_fan, rank_array(n + 1, sizeof(uint32_t))};
    rank_parallel(nthreads, fans_part, &f);
    for (size_t v = 0; v < n; v++) {
        if (f.idol[v] != RANK_NONE) {
            uf_union(parent, (uint32_t)v, f.idol[v]);
        }
    }
    free(f.idol);
}

void rank_clusters(struct rank_state *st)
{
    const struct rank_snapshot *s = st->snap;
    size_t n = s->nmembers;
    uint32_t *parent = st->cluster;
    for (size_t v = 0; v < n; v++) {
        parent[v] = (uint32_t)v;
    }
    struct votes_by_member vm;
    by_member(st, &vm);
    if (st->p.fan_min_votes > 0) {
        rank_fans(&vm, st->nthreads, parent, st->p.fan_min_votes);
    }
    struct band_keys bkeys = {&vm, n, st->p.cluster_min_common,
                              rank_array(n * MH_BANDS + 1, sizeof(uint64_t)), 0};
    rank_parallel(st->nthreads, band_keys_part, &bkeys);
    bkeys.nbuckets = 16; /* about 8 entries a bucket: its counters stay in cache */
    while (bkeys.nbuckets * 8 < n * MH_BANDS) {
        bkeys.nbuckets *= 2;
    }
    struct lsh l = {&vm, &bkeys, {0}, &st->p, (double)(s->nvotes ? s->nvotes : 1), {{0}}};
    rank_group(n * MH_BANDS, bkeys.nbuckets + 1, band_bucket, NULL, 4, &bkeys, st->nthreads,
               &l.buckets);
    rank_parallel(st->nthreads, lsh_pairs_part, &l);
    for (int t = 0; t < st->nthreads; t++) { /* unions in bucket order */
        for (size_t k = 0; k < l.pairs[t].n; k++) {
            uf_union(parent, l.pairs[t].ab[2 * k], l.pairs[t].ab[2 * k + 1]);
        }
        free(l.pairs[t].ab);
    }
    rank_groups_free(&l.buckets);
    free(bkeys.key);
    memset(st->cluster_size, 0, n * sizeof(*st->cluster_size));
    for (size_t v = 0; v < n; v++) {
        parent[v] = uf_find(parent, (uint32_t)v);
        st->cluster_size[parent[v]]++;
    }
    free(vm.start);
    free(vm.elem);
    free(vm.pop);
}
