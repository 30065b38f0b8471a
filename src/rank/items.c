/* Stages 2 and 4 over every item: the votes and opens grouped by item, so that each item's
 * evidence is gathered in one place (its result stays in cache), in snapshot order, and its
 * votes' final weights are settled as soon as its cluster sums are complete. */
#include "rank_int.h"

static uint32_t vote_item_key(const void *ctx, size_t r)
{
    return ((const struct rank_snapshot *)ctx)->votes[r].item;
}

static uint32_t open_item_key(const void *ctx, size_t r)
{
    return ((const struct rank_snapshot *)ctx)->opens[r].item;
}

/* What the item pass needs of a vote, in 64 bits (the layout is rank_int.h's). */
static uint64_t vote_packed(const void *ctx, size_t r)
{
    const struct rank_vote *v = &((const struct rank_snapshot *)ctx)->votes[r];
    return (uint64_t)v->voter | (uint64_t)r << 32 | (uint64_t)(v->value > 0) << 61 |
           (uint64_t)v->opened << 62 | (uint64_t)v->outside << 63;
}

static struct rank_vote vote_unpack(uint64_t x, uint32_t item, uint32_t *k)
{
    *k = (uint32_t)(x >> 32) & ((1u << 29) - 1);
    return (struct rank_vote){(uint32_t)x, item, rank_packed_up(x) ? 1 : -1, x >> 62 & 1, x >> 63,
                              0};
}

static uint64_t open_packed(const void *ctx, size_t r)
{
    const struct rank_open *o = &((const struct rank_snapshot *)ctx)->opens[r];
    return (uint64_t)o->member | (uint64_t)o->inside << 32;
}

/* The items split into nthreads contiguous ranges of about equal work (votes plus opens). */
static void split_items(struct rank_state *st)
{
    const struct rank_snapshot *s = st->snap;
    size_t total = s->nvotes + s->nopens, i = 0;
    st->item_split[0] = 0;
    for (int t = 1; t < st->nthreads; t++) {
        size_t want = total * (size_t)t / (size_t)st->nthreads;
        while (i < s->nitems &&
               (size_t)st->votes_by_item.start[i] + st->opens_by_item.start[i] < want) {
            i++;
        }
        st->item_split[t] = (uint32_t)i;
    }
    st->item_split[st->nthreads] = (uint32_t)s->nitems;
}

/* Voters a few places ahead: the pass waits on memory otherwise. */
#define RANK_AHEAD 16

/* Evidence from each of the part's items' votes and opens, in snapshot order, then each of
 * its votes' final weight (its cluster's share) once the item's sums are known. */
void rank_items_part(void *ctx, int part, int nparts)
{
    struct rank_state *st = ctx;
    const uint32_t *vstart = st->votes_by_item.start, *ostart = st->opens_by_item.start;
    const uint64_t *vrec = st->votes_by_item.rec64, *orec = st->opens_by_item.rec64;
    uint32_t lo = st->item_split[part], hi = st->item_split[part + 1], k;
    (void)nparts;
    for (uint32_t i = lo; i < hi; i++) {
        for (uint32_t p = vstart[i]; p < vstart[i + 1]; p++) {
            if (p + RANK_AHEAD < vstart[hi]) {
                __builtin_prefetch(&st->minfo[(uint32_t)vrec[p + RANK_AHEAD]]);
            }
            struct rank_vote v = vote_unpack(vrec[p], i, &k);
            rank_evidence_vote(st, &v, k);
        }
        for (uint32_t p = ostart[i]; p < ostart[i + 1]; p++) {
            if (p + RANK_AHEAD < ostart[hi]) {
                __builtin_prefetch(&st->minfo[(uint32_t)orec[p + RANK_AHEAD]]);
            }
            struct rank_open o = {(uint32_t)orec[p], i, orec[p] >> 32 & 1};
            rank_evidence_open(st, &o);
        }
        struct rank_item_result *r = &st->items[i];
        for (uint32_t p = vstart[i]; p < vstart[i + 1]; p++) {
            struct rank_vote v = vote_unpack(vrec[p], i, &k);
            st->vote_weight[k] = (float)rank_settle_vote(st, &v, st->vote_weight[k]);
            if (st->bvotes != NULL) {
                float w = st->vote_weight[k] > 0 ? st->vote_weight[k] : 0.0f;
                st->bvotes[p] = (struct rank_bvote){v.voter, v.value > 0 ? w : -w};
            }
            bool full = st->vote_weight[k] >= 0.9;
            r->counted += full;
            r->discounted += !full;
        }
    }
    const struct rank_csum_table *t = &st->csum[part];
    for (size_t i = 0; i < t->cap; i++) {
        const struct rank_csum *c = &t->slot[i];
        if (c->sign != 0 && c->cluster != RANK_OUTSIDE_GROUP && c->sum > 0 &&
            rank_damp(c->sum) < c->sum) {
            st->items[c->item].clusters++;
        }
    }
}

/* Votes and opens grouped by item, for the clusters' popularity counts and the item pass. */
void rank_group_by_item(struct rank_state *st)
{
    const struct rank_snapshot *s = st->snap;
    rank_group(s->nvotes, s->nitems, vote_item_key, vote_packed, 8, s, st->nthreads,
               &st->votes_by_item);
    rank_group(s->nopens, s->nitems, open_item_key, open_packed, 8, s, st->nthreads,
               &st->opens_by_item);
    split_items(st);
}

