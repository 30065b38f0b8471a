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

/* Filling and sorting the members' vote lists, for the part's range of members (and the
 * popularity counts of the part's items): disjoint writes whatever the split. */
static void by_member_part(void *ctx, int part, int nparts)
{
    struct votes_by_member *vm = ctx;
    const struct rank_snapshot *s = vm->snap;
    size_t lo, hi;
    rank_part_range(s->nmembers, part, nparts, &lo, &hi);
    uint32_t *fill = xmalloc((hi - lo + 1) * sizeof(*fill));
    memcpy(fill, vm->start + lo, (hi - lo + 1) * sizeof(*fill));
    for (size_t k = 0; k < s->nvotes; k++) {
        const struct rank_vote *v = &s->votes[k];
        uint32_t e = v->item * 2 + (v->value > 0);
        if (v->voter >= lo && v->voter < hi) {
            vm->elem[fill[v->voter - lo]++] = e;
        }
        if (v->item % (uint32_t)nparts == (uint32_t)part) {
            vm->pop[e]++;
        }
    }
    free(fill);
    for (size_t v = lo; v < hi; v++) {
        sort_u32(vm->elem + vm->start[v], vm->start[v + 1] - vm->start[v]);
    }
}

static void by_member(const struct rank_snapshot *s, int nthreads, struct votes_by_member *vm)
{
    size_t n = s->nmembers;
    vm->snap = s;
    vm->start = rank_array(n + 1, sizeof(*vm->start));
    vm->elem = rank_array(s->nvotes + 1, sizeof(*vm->elem));
    vm->pop = rank_array(2 * s->nitems + 1, sizeof(*vm->pop));
    for (size_t k = 0; k < s->nvotes; k++) {
        vm->start[s->votes[k].voter + 1]++;
    }
    for (size_t v = 0; v < n; v++) {
        vm->start[v + 1] += vm->start[v];
    }
    rank_parallel(nthreads, by_member_part, vm);
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

/* LSH buckets as hash chains: members are inserted in index order, so every chain lists its
 * members in ascending order and the comparisons are deterministic. */
struct buckets {
    uint64_t *key;   /* per slot */
    uint32_t *head;  /* per slot: first entry, UINT32_MAX empty */
    uint32_t *next;  /* per entry */
    uint32_t *tail;  /* per slot: last entry */
    uint32_t *member;
    size_t cap, n;
};

static void buckets_add(struct buckets *b, uint64_t key, uint32_t member)
{
    size_t i = key & (b->cap - 1);
    while (b->head[i] != UINT32_MAX && b->key[i] != key) {
        i = (i + 1) & (b->cap - 1);
    }
    uint32_t e = (uint32_t)b->n++;
    b->member[e] = member;
    b->next[e] = UINT32_MAX;
    if (b->head[i] == UINT32_MAX) {
        b->key[i] = key;
        b->head[i] = e;
    } else {
        b->next[b->tail[i]] = e;
    }
    b->tail[i] = e;
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
};

static void band_keys_part(void *ctx, int part, int nparts)
{
    struct band_keys *bk = ctx;
    size_t lo, hi;
    rank_part_range(bk->n, part, nparts, &lo, &hi);
    for (size_t v = lo; v < hi; v++) {
        uint32_t a = bk->vm->start[v], b = bk->vm->start[v + 1];
        if (b - a < (uint32_t)bk->min_votes) {
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
    by_member(s, st->nthreads, &vm);
    if (st->p.fan_min_votes > 0) {
        rank_fans(&vm, st->nthreads, parent, st->p.fan_min_votes);
    }
    struct buckets bk;
    bk.cap = 16;
    while (bk.cap < 2 * n * MH_BANDS + 16) {
        bk.cap *= 2;
    }
    bk.key = rank_array(bk.cap, sizeof(*bk.key));
    bk.head = rank_array(bk.cap, sizeof(*bk.head));
    bk.tail = rank_array(bk.cap, sizeof(*bk.tail));
    memset(bk.head, 0xff, bk.cap * sizeof(*bk.head));
    bk.next = rank_array(n * MH_BANDS + 1, sizeof(*bk.next));
    bk.member = rank_array(n * MH_BANDS + 1, sizeof(*bk.member));
    bk.n = 0;
    struct band_keys bkeys = {&vm, n, st->p.cluster_min_common,
                              rank_array(n * MH_BANDS + 1, sizeof(uint64_t))};
    rank_parallel(st->nthreads, band_keys_part, &bkeys);
    for (size_t v = 0; v < n; v++) {
        if (vm.start[v + 1] - vm.start[v] < (uint32_t)st->p.cluster_min_common) {
            continue;
        }
        for (int band = 0; band < MH_BANDS; band++) {
            buckets_add(&bk, bkeys.key[v * MH_BANDS + band], (uint32_t)v);
        }
    }
    free(bkeys.key);
    double total = (double)(s->nvotes ? s->nvotes : 1);
    for (size_t slot = 0; slot < bk.cap; slot++) {
        for (uint32_t i = bk.head[slot]; i != UINT32_MAX; i = bk.next[i]) {
            uint32_t j = bk.next[i];
            for (int w = 0; w < MH_WINDOW && j != UINT32_MAX; w++, j = bk.next[j]) {
                uint32_t a = bk.member[i], b = bk.member[j];
                if (uf_find(parent, a) != uf_find(parent, b) &&
                    co_voters(&vm, a, b, total, &st->p)) {
                    uf_union(parent, a, b);
                }
            }
        }
    }
    free(bk.key), free(bk.head), free(bk.tail), free(bk.next), free(bk.member);
    memset(st->cluster_size, 0, n * sizeof(*st->cluster_size));
    for (size_t v = 0; v < n; v++) {
        parent[v] = uf_find(parent, (uint32_t)v);
        st->cluster_size[parent[v]]++;
    }
    free(vm.start);
    free(vm.elem);
    free(vm.pop);
}
