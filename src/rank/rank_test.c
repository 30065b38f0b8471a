/* Unit tests for the ranking engine, one per stage, on hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "rank.h"
#include "rank_int.h"

#define NOW 1800000000
#define MAXM 400

struct fx {
    struct rank_member m[MAXM];
    struct rank_edge e[8 * MAXM];
    struct rank_item it[32];
    struct rank_open o[4 * MAXM];
    struct rank_vote v[4 * MAXM];
    size_t nm, ne, ni, no, nv;
};

static uint32_t member(struct fx *f, int32_t aff, bool seed)
{
    f->m[f->nm] = (struct rank_member){RANK_NONE, aff, seed};
    return (uint32_t)f->nm++;
}

static void edge(struct fx *f, uint32_t a, uint32_t b)
{
    f->e[f->ne++] = (struct rank_edge){a, b};
}

static uint32_t item(struct fx *f, uint32_t by, int32_t aff, int64_t age_h)
{
    f->it[f->ni] = (struct rank_item){RANK_LINK, by, aff, NOW - age_h * 3600, -1};
    return (uint32_t)f->ni++;
}

static void vote(struct fx *f, uint32_t who, uint32_t what, int value, bool opened)
{
    if (opened) {
        f->o[f->no++] = (struct rank_open){who, what, true};
    }
    f->v[f->nv++] = (struct rank_vote){who, what, (int8_t)value, opened, false, NOW};
}

static struct rank_state *run(struct fx *f, const struct rank_params *p)
{
    static struct rank_snapshot snap;
    snap = (struct rank_snapshot){f->m, f->nm, f->e, f->ne, f->it, f->ni, f->o, f->no, f->v, f->nv, NOW};
    struct rank_state *st = NULL;
    assert_int_equal(rank_run(&snap, p, &st), 0);
    return st;
}

/* An honest ring lattice of n members with seeds. */
static void honest_region(struct fx *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        member(f, -1, i % 10 == 0);
    }
    for (size_t i = 0; i < n; i++) {
        edge(f, (uint32_t)i, (uint32_t)((i + 1) % n));
        edge(f, (uint32_t)i, (uint32_t)((i + 7) % n));
        edge(f, (uint32_t)i, (uint32_t)((i + 31) % n));
    }
}

static void sybil_region_behind_one_edge_gets_little_trust(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 200);
    uint32_t first = (uint32_t)f->nm;
    for (int i = 0; i < 150; i++) { /* a dense fake region, as many as it likes */
        uint32_t s = member(f, -1, false);
        for (uint32_t j = first; j < s && j < first + 5; j++) {
            edge(f, s, j);
        }
        if (s > first + 5) {
            edge(f, s, s - 1), edge(f, s, s - 2), edge(f, s, s - 3);
        }
    }
    edge(f, 17, first); /* the one attack edge */
    struct rank_params p;
    rank_params_default(&p);
    struct rank_state *st = run(f, &p);
    double honest = 0, sybil = 0;
    for (size_t v = 0; v < 200; v++) {
        honest += rank_member_trust(st, v);
    }
    for (size_t v = first; v < f->nm; v++) {
        sybil += rank_member_trust(st, v);
    }
    assert_true(honest > 190);       /* honest members count (nearly) fully */
    assert_true(sybil < 5);          /* 150 fakes behind one edge: a few votes' worth at most */
    rank_state_free(st);
    free(f);
}

static void unread_and_conflict_votes_are_discounted(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    f->m[5].affiliation = 3;
    uint32_t link = item(f, 1, 3, 2);   /* published by organisation 3 */
    vote(f, 2, link, -1, false);        /* unread downvote: counts 0 */
    vote(f, 4, link, 1, false);         /* unread upvote: a quarter */
    vote(f, 5, link, 1, true);          /* same organisation: 0 */
    vote(f, 1, link, 1, true);          /* the submitter: 0 */
    vote(f, 6, link, 1, true);          /* an independent reader: full */
    struct rank_params p;
    rank_params_default(&p);
    struct rank_state *st = run(f, &p);
    enum rank_discount why;
    assert_true(rank_vote_weight(st, 0, &why) == 0.0f && why == RANK_D_UNREAD);
    assert_true(rank_vote_weight(st, 1, &why) == 0.25f && why == RANK_D_UNREAD);
    assert_true(rank_vote_weight(st, 2, &why) == 0.0f && why == RANK_D_CONFLICT);
    assert_true(rank_vote_weight(st, 3, &why) == 0.0f && why == RANK_D_CONFLICT);
    assert_true(rank_vote_weight(st, 4, &why) == 1.0f && why == RANK_D_NONE);
    const struct rank_item_result *r = rank_item_get(st, link);
    assert_int_equal(r->ups, 4);
    assert_int_equal(r->downs, 1);
    assert_int_equal(r->counted, 1);
    assert_int_equal(r->discounted, 4);
    assert_true(r->up_weight > 1.24 && r->up_weight < 1.26);
    assert_true(r->down_weight == 0.0);
    rank_state_free(st);
    free(f);
}

static void ring_of_friends_counts_as_few(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 120);
    uint32_t leader = 3;
    uint32_t ring_items[4], fair = item(f, 50, -1, 1);
    for (int k = 0; k < 4; k++) {
        ring_items[k] = item(f, leader, -1, 1);
    }
    for (uint32_t r = 60; r < 80; r++) { /* 20 friends upvote the leader's items, nothing else */
        for (int k = 0; k < 4; k++) {
            vote(f, r, ring_items[k], 1, true);
        }
    }
    for (uint32_t r = 80; r < 100; r++) { /* 20 independent readers upvote another item */
        vote(f, r, fair, 1, true);
    }
    uint32_t others[5];
    for (int k = 0; k < 5; k++) {
        others[k] = item(f, 90, -1, 1);
    }
    for (uint32_t r = 100; r < 120; r++) { /* other readers spread their votes */
        vote(f, r, others[r % 5], 1, true);
    }
    struct rank_params p;
    rank_params_default(&p);
    struct rank_state *st = run(f, &p);
    const struct rank_item_result *ring = rank_item_get(st, ring_items[0]);
    const struct rank_item_result *indep = rank_item_get(st, fair);
    assert_int_equal(rank_member_cluster(st, 60), rank_member_cluster(st, 79));
    assert_true(rank_member_cluster(st, 80) != rank_member_cluster(st, 81));
    assert_true(ring->clustered >= 20);
    assert_true(ring->up_weight < 6.0);    /* twenty friends: about four votes */
    assert_true(indep->up_weight > 19.0);  /* twenty independent readers: twenty */
    assert_true(indep->bound > ring->bound);
    rank_state_free(st);
    free(f);
}

static void quality_prior_bound_and_silence(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    uint32_t fresh = item(f, 0, -1, 1), loved = item(f, 0, -1, 1), shrugged = item(f, 0, -1, 1);
    for (uint32_t r = 10; r < 30; r++) {
        vote(f, r, loved, 1, true);
        f->o[f->no++] = (struct rank_open){r, shrugged, true}; /* opened, said nothing */
    }
    vote(f, 31, shrugged, 1, true);
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    struct rank_state *st = run(f, &p);
    const struct rank_item_result *a = rank_item_get(st, fresh), *b = rank_item_get(st, loved),
                                  *c = rank_item_get(st, shrugged);
    assert_true(a->mean > 0.49 && a->mean < 0.51); /* the prior alone: 2 / (2 + 2) */
    assert_true(b->bound > 0.8);
    assert_true(c->silent_weight > 19.0);
    assert_true(c->mean < a->mean + 0.2 && c->bound < b->bound);
    assert_true(a->bound < a->mean);
    rank_state_free(st);
    free(f);
}

/* The stages split members and items over threads; the split must not change any figure. */
struct keyed {
    const uint32_t *in;
    uint32_t nkeys;
};

static uint32_t mod_key(const void *ctx, size_t r)
{
    const struct keyed *k = ctx;
    return k->in[r] % k->nkeys;
}

static uint64_t times3(const void *ctx, size_t r)
{
    return (uint64_t)((const struct keyed *)ctx)->in[r] * 3;
}

/* The passes read votes grouped by item and by voter: every record in its key's group, in
 * record order, however many threads grouped them, with few keys and with many. */
static void grouping_keeps_record_order(void **state)
{
    (void)state;
    enum { N = 200000 };
    uint32_t *in = malloc(N * sizeof(*in));
    for (size_t r = 0; r < N; r++) {
        in[r] = (uint32_t)(r * 7919 % 100003);
    }
    const uint32_t nkeys[] = {7, 4001, 50021};
    for (size_t t = 0; t < sizeof(nkeys) / sizeof(*nkeys); t++) {
        struct keyed ctx = {in, nkeys[t]};
        for (int threads = 1; threads <= 3; threads += 2) {
            struct rank_groups g32, g64;
            rank_group(N, ctx.nkeys, mod_key, NULL, 4, &ctx, threads, &g32);
            rank_group(N, ctx.nkeys, mod_key, times3, 8, &ctx, threads, &g64);
            assert_int_equal(g32.start[0], 0);
            assert_int_equal(g32.start[ctx.nkeys], N);
            assert_memory_equal(g32.start, g64.start, (ctx.nkeys + 1) * sizeof(uint32_t));
            for (uint32_t k = 0; k < ctx.nkeys; k++) {
                assert_true(g32.start[k + 1] >= g32.start[k]);
                for (uint32_t p = g32.start[k]; p < g32.start[k + 1]; p++) {
                    assert_int_equal(in[g32.rec32[p]] % ctx.nkeys, k);
                    assert_int_equal(g64.rec64[p], (uint64_t)in[g32.rec32[p]] * 3);
                    if (p > g32.start[k]) {
                        assert_true(g32.rec32[p] > g32.rec32[p - 1]);
                    }
                }
            }
            rank_groups_free(&g32);
            rank_groups_free(&g64);
        }
    }
    free(in);
}

static void results_do_not_depend_on_thread_count(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 200);
    for (int k = 0; k < 12; k++) {
        item(f, k < 4 ? 199 : (uint32_t)(40 + k * 7 % 150), k % 3 ? -1 : 2, k);
    }
    for (uint32_t r = 0; r < 190; r++) { /* a ring on member 199's items, mixed votes elsewhere */
        for (uint32_t k = 0; k < (r < 30 ? 4u : 3u); k++) {
            uint32_t what = r < 30 ? k : 4 + (r * 5 + k * 3) % 8;
            vote(f, r, what, r < 30 || (r + k) % 4 ? 1 : -1, r < 30 || (r + k) % 3 != 0);
        }
    }
    struct rank_params p;
    rank_params_default(&p);
    p.threads = 1;
    struct rank_state *one = run(f, &p);
    p.threads = 3;
    struct rank_state *three = run(f, &p);
    int clustered = 0;
    for (size_t i = 0; i < f->ni; i++) {
        const struct rank_item_result *a = rank_item_get(one, i), *b = rank_item_get(three, i);
        assert_true(a->up_weight == b->up_weight && a->down_weight == b->down_weight);
        assert_true(a->hot == b->hot && a->silent_weight == b->silent_weight);
        assert_true(a->camp_up == b->camp_up && a->camp_down == b->camp_down &&
                    a->intercept == b->intercept); /* stage 5 too */
        assert_int_equal(a->clusters, b->clusters);
        assert_int_equal(a->counted, b->counted);
        clustered += a->clustered;
    }
    for (size_t v = 0; v < f->nm; v++) {
        assert_true(rank_member_trust(one, v) == rank_member_trust(three, v));
        assert_int_equal(rank_member_cluster(one, v), rank_member_cluster(three, v));
    }
    for (size_t k = 0; k < f->nv; k++) {
        enum rank_discount w1, w3;
        assert_true(rank_vote_weight(one, k, &w1) == rank_vote_weight(three, k, &w3));
        assert_int_equal(w1, w3);
    }
    assert_true(clustered > 0); /* the cluster sums were exercised */
    /* a warm start (the next run, from this one's item factors) on 1 and 3 threads */
    struct rank_warm *warm = rank_warm_take(one, NULL, f->ni);
    assert_non_null(warm);
    static struct rank_snapshot snap2;
    snap2 = (struct rank_snapshot){f->m, f->nm, f->e, f->ne, f->it, f->ni, f->o, f->no, f->v, f->nv, NOW};
    struct rank_state *w1 = NULL, *w3 = NULL;
    p.threads = 1;
    assert_int_equal(rank_run_warm(&snap2, &p, warm, &w1), 0);
    p.threads = 3;
    assert_int_equal(rank_run_warm(&snap2, &p, warm, &w3), 0);
    for (size_t i = 0; i < f->ni; i++) {
        assert_true(rank_item_get(w1, i)->bound == rank_item_get(w3, i)->bound);
        assert_true(rank_item_get(w1, i)->camp_up == rank_item_get(w3, i)->camp_up);
    }
    rank_warm_free(warm);
    rank_state_free(w1);
    rank_state_free(w3);
    rank_state_free(one);
    rank_state_free(three);
    free(f);
}

/* The item's votes and opens out of a fixture, as the ranker reads them from the store. */
static size_t item_records(const struct fx *f, uint32_t x, struct rank_vote *v,
                           struct rank_open *o, size_t *no)
{
    size_t nv = 0;
    *no = 0;
    for (size_t k = 0; k < f->nv; k++) {
        if (f->v[k].item == x) {
            v[nv++] = f->v[k];
        }
    }
    for (size_t k = 0; k < f->no; k++) {
        if (f->o[k].item == x) {
            o[(*no)++] = f->o[k];
        }
    }
    return nv;
}

static void assert_same_item(const struct rank_item_result *a, const struct rank_item_result *b)
{
    assert_int_equal(a->ups, b->ups);
    assert_int_equal(a->downs, b->downs);
    assert_int_equal(a->counted, b->counted);
    assert_int_equal(a->discounted, b->discounted);
    const double pairs[][2] = {{a->up_weight, b->up_weight}, {a->down_weight, b->down_weight},
                               {a->silent_weight, b->silent_weight}, {a->mean, b->mean},
                               {a->bound, b->bound}, {a->hot, b->hot}};
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        assert_true(fabs(pairs[i][0] - pairs[i][1]) < 1e-9);
    }
}

/* The incremental path guild serve takes after a vote or a first open (rank_item_replay):
 * a new vote, a changed vote, a withdrawn vote and a silent open on one item give that item
 * the same result as a full run over the same records. Each state keeps its own snapshot. */
static void item_replay_matches_full_run(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f)), *g = calloc(1, sizeof(*g));
    honest_region(f, 60);
    uint32_t x = item(f, 0, -1, 3), y = item(f, 1, -1, 5);
    for (uint32_t r = 10; r < 20; r++) {
        vote(f, r, x, r % 3 ? 1 : -1, r % 2 == 0);
        vote(f, r + 20, y, 1, true);
    }
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    struct rank_snapshot before_snap = {f->m, f->nm, f->e, f->ne, f->it, f->ni,
                                        f->o, f->no, f->v, f->nv, NOW};
    struct rank_state *before = NULL;
    assert_int_equal(rank_run(&before_snap, &p, &before), 0);
    struct rank_item_result y_before = *rank_item_get(before, y);
    /* what changed since: the same fixture, then the changes, in g */
    *g = *f;
    vote(g, 40, x, 1, true);                 /* a new, read vote */
    g->v[0].value = (int8_t)-g->v[0].value; /* a changed vote */
    g->v[2] = g->v[--g->nv];                /* a withdrawn vote (the last one takes its place) */
    g->o[g->no++] = (struct rank_open){41, x, true}; /* a silent opener */
    struct rank_vote *v = calloc(g->nv, sizeof(*v));
    struct rank_open *o = calloc(g->no, sizeof(*o));
    size_t no, nv = item_records(g, x, v, o, &no);
    assert_int_equal(rank_item_replay(before, x, v, nv, o, no, NOW), 0);
    struct rank_snapshot full_snap = {g->m, g->nm, g->e, g->ne, g->it, g->ni,
                                      g->o, g->no, g->v, g->nv, NOW};
    struct rank_state *full = NULL;
    assert_int_equal(rank_run(&full_snap, &p, &full), 0);
    assert_same_item(rank_item_get(before, x), rank_item_get(full, x));
    assert_same_item(rank_item_get(before, y), &y_before); /* other items untouched */
    /* records that do not belong to the item, or name nobody, are refused */
    struct rank_vote bad = {9999, x, 1, true, false, NOW};
    assert_int_equal(rank_item_replay(before, x, &bad, 1, NULL, 0, NOW), ERR_INVAL);
    assert_int_equal(rank_item_replay(before, y, v, nv, o, no, NOW), ERR_INVAL);
    assert_int_equal(rank_item_replay(before, 999, NULL, 0, NULL, 0, NOW), ERR_INVAL);
    rank_state_free(before);
    rank_state_free(full);
    free(v), free(o), free(f), free(g);
}

static void explanation_names_the_discounts(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 40);
    uint32_t x = item(f, 0, -1, 2);
    vote(f, 5, x, -1, false);
    vote(f, 6, x, -1, false);
    vote(f, 7, x, 1, true);
    struct rank_params p;
    rank_params_default(&p);
    struct rank_state *st = run(f, &p);
    struct buf b;
    buf_init(&b, 0);
    rank_explain_json(st, x, &b);
    json_t *j = json_loads(buf_cstr(&b), 0, NULL);
    assert_non_null(j);
    const char *first = json_string_value(json_array_get(json_object_get(j, "steps"), 0));
    assert_non_null(strstr(first, "1 vote counted in full, 2 discounted: 2 unread downvotes"));
    assert_int_equal(json_integer_value(json_object_get(j, "unread_downs")), 2);
    json_decref(j);
    buf_fini(&b);
    struct rank_snapshot bad = {f->m, f->nm, f->e, f->ne, f->it, f->ni, f->o, f->no, f->v, f->nv, NOW};
    f->v[0].voter = 5000;
    struct rank_state *none = NULL;
    assert_int_equal(rank_run(&bad, &p, &none), ERR_INVAL);
    rank_state_free(st);
    free(f);
}

/* A group's post carries the organisation that runs the group (`host`): its members' votes
 * count nothing, like votes from the item's own organisation. Three items with the same two
 * independent upvotes; on two of them a member of the host organisation upvotes as well. */
static void host_organisation_votes_count_nothing(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    f->m[5].affiliation = 7; /* works for the organisation that runs the group */
    /* three submitters: nobody's upvotes all go to one submitter (no fans' cluster) */
    uint32_t plain = item(f, 20, -1, 2), hosted = item(f, 30, -1, 2);
    uint32_t elsewhere = item(f, 40, -1, 2);
    f->it[plain].host = 7;
    f->it[hosted].host = 7;
    f->it[elsewhere].host = 9; /* a group run by another organisation */
    const uint32_t items[3] = {plain, hosted, elsewhere};
    for (int k = 0; k < 3; k++) {
        vote(f, 6, items[k], 1, true);
        vote(f, 8, items[k], 1, true);
        if (items[k] != plain) {
            vote(f, 5, items[k], 1, true);
        }
    }
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    struct rank_state *st = run(f, &p);
    assert_true(rank_member_trust(st, 5) > 0.9); /* a trusted member: only the conflict stops it */
    const struct rank_item_result *a = rank_item_get(st, plain), *b = rank_item_get(st, hosted),
                                  *c = rank_item_get(st, elsewhere);
    enum rank_discount why;
    assert_true(rank_vote_weight(st, 4, &why) == 0.0f && why == RANK_D_CONFLICT);
    assert_true(rank_vote_weight(st, 7, &why) > 0.9f && why == RANK_D_NONE);
    assert_int_equal(a->conflict, 0);
    assert_int_equal(b->conflict, 1);
    assert_int_equal(c->conflict, 0);
    assert_int_equal(b->ups, 3);
    assert_true(fabs(b->up_weight - a->up_weight) < 1e-9);
    assert_true(fabs(b->bound - a->bound) < 1e-9); /* as if the host's vote were not there */
    assert_true(c->up_weight > a->up_weight + 0.9);
    assert_true(c->bound > a->bound + 0.01); /* the same vote elsewhere lifts the item */
    /* the incremental path applies the same rule */
    struct rank_vote v[3];
    struct rank_open o[3];
    size_t no, nv = item_records(f, hosted, v, o, &no);
    assert_int_equal(nv, 3);
    double before = b->bound;
    assert_int_equal(rank_item_replay(st, hosted, v, nv, o, no, NOW), 0);
    assert_int_equal(rank_item_get(st, hosted)->conflict, 1);
    assert_true(fabs(rank_item_get(st, hosted)->bound - before) < 1e-9);
    rank_state_free(st);
    free(f);
}

/* An upvote from a member who opened the item from an outside link: on a link it is outside
 * traffic, damped but counted; on an idea (a portal's budgeted vote) it counts nothing. */
static void outside_vote_counts_nothing_on_an_idea(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    uint32_t idea = item(f, 20, -1, 2), link = item(f, 30, -1, 2), none = item(f, 40, -1, 2);
    f->it[idea].kind = RANK_IDEA;
    f->it[none].kind = RANK_IDEA; /* no evidence at all: the prior */
    const uint32_t items[2] = {idea, link};
    for (int k = 0; k < 2; k++) {
        f->o[f->no++] = (struct rank_open){6, items[k], false};
        f->v[f->nv++] = (struct rank_vote){6, items[k], 1, true, true, NOW};
    }
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    struct rank_state *st = run(f, &p);
    assert_true(rank_member_trust(st, 6) > 0.9);
    const struct rank_item_result *i = rank_item_get(st, idea), *l = rank_item_get(st, link),
                                  *n = rank_item_get(st, none);
    enum rank_discount why;
    assert_true(rank_vote_weight(st, 0, &why) == 0.0f && why == RANK_D_OUTSIDE);
    assert_true(rank_vote_weight(st, 1, &why) > 0.9f && why == RANK_D_OUTSIDE);
    assert_int_equal(i->ups, 1);
    assert_int_equal(i->outside, 1);
    assert_true(i->up_weight == 0.0 && i->outside_up == 0.0);
    assert_true(fabs(i->bound - n->bound) < 1e-12); /* as if nobody had voted */
    assert_true(l->outside_up > 0.9);
    assert_true(l->bound > i->bound + 0.01);
    /* the incremental path: the idea's vote still adds nothing */
    struct rank_vote v = f->v[0];
    struct rank_open o = f->o[0];
    assert_int_equal(rank_item_replay(st, idea, &v, 1, &o, 1, NOW), 0);
    assert_true(rank_item_get(st, idea)->outside_up == 0.0);
    assert_true(fabs(rank_item_get(st, idea)->bound - n->bound) < 1e-12);
    rank_state_free(st);
    free(f);
}



/* Sixty members voting on 24 items at random, with no divide: the fitted axis
 * explains little, the stage changes nothing and /why says there is no divide. */
static void no_divide_changes_nothing(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    uint64_t r = 11;
    for (uint32_t k = 0; k < 24; k++) {
        uint32_t x = item(f, 50 + k % 4, -1, 30);
        for (uint32_t m = 0; m < 60; m++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            if ((r >> 33) % 10 < 8) {
                vote(f, m, x, (r >> 40) % 10 < 6 + k % 3 ? 1 : -1, true);
            }
        }
    }
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    struct rank_params off = p;
    off.bridge_dims = 0;
    struct rank_state *st = run(f, &p), *plain = run(f, &off);
    bool applied = true;
    double share = rank_camp_share(st, &applied);
    assert_true(share < 0.1 && !applied);
    for (size_t i = 0; i < f->ni; i++) {
        assert_true(rank_item_get(st, i)->bound == rank_item_get(plain, i)->bound);
    }
    struct buf b;
    buf_init(&b, 0);
    rank_explain_json(st, 0, &b);
    assert_non_null(strstr(buf_cstr(&b), "show no clear divide"));
    assert_null(strstr(buf_cstr(&b), "one camp"));
    assert_null(strstr(buf_cstr(&b), "counts for it instead"));
    assert_null(strstr(buf_cstr(&b), "camp_up - camp_down;"));
    buf_fini(&b);
    rank_state_free(st);
    rank_state_free(plain);
    free(f);
}

/* Two camps of 20 who vote along camp lines on twelve items (each member on a random 70% of
 * them: too loosely to be a voting cluster), then: item "one" upvoted by 18 of camp A and
 * nobody else; item "across" upvoted by 5 of each camp. Without the bridging stage the item
 * with more upvotes ranks first; with it, the camp's part of "one"'s upvotes is taken out and
 * the item both camps like ranks first. */
static void cross_camp_item_outranks_one_camp_item(void **state)
{
    (void)state;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 60);
    uint64_t r = 7;
    for (uint32_t k = 0; k < 12; k++) {
        uint32_t x = item(f, 50 + k % 4, -1, 30);
        for (uint32_t m = 0; m < 40; m++) {
            r = r * 6364136223846793005ULL + 1442695040888963407ULL;
            if ((r >> 33) % 10 < 7) {
                bool camp_a = m < 20, likes = (k % 2 == 0) == camp_a;
                vote(f, m, x, likes ? 1 : -1, true);
            }
        }
    }
    uint32_t one = item(f, 56, -1, 3), across = item(f, 57, -1, 3);
    for (uint32_t m = 0; m < 18; m++) {
        vote(f, m, one, 1, true);
    }
    for (uint32_t m = 0; m < 5; m++) {
        vote(f, m, across, 1, true);
        vote(f, 20 + m, across, 1, true);
    }
    struct rank_params p;
    rank_params_default(&p);
    p.explore_slots = 0;
    p.cluster_min_common = 1 << 30; /* the bridging stage alone */
    p.fan_min_votes = 0;
    struct rank_params off = p;
    off.bridge_dims = 0;
    struct rank_state *plain = run(f, &off);
    assert_true(rank_item_get(plain, one)->bound > rank_item_get(plain, across)->bound);
    rank_state_free(plain);
    struct rank_state *st = run(f, &p);
    bool applied = false;
    assert_true(rank_camp_share(st, &applied) >= 0.1 && applied);
    const struct rank_item_result *o = rank_item_get(st, one), *a = rank_item_get(st, across);
    assert_true(a->bound > o->bound);
    assert_true(a->intercept > o->intercept);
    assert_true(o->camp_up > 3.0);  /* most of its upvotes followed camp lines */
    assert_true(a->camp_up < 0.5 * o->camp_up);
    assert_true(rank_member_factor(st, 0) * rank_member_factor(st, 20) < 0); /* opposite sides */
    struct buf b;
    buf_init(&b, 0);
    rank_explain_json(st, one, &b);
    assert_non_null(strstr(buf_cstr(&b), "liked mostly within one camp (its votes count as one group)"));
    buf_reset(&b);
    rank_explain_json(st, across, &b);
    assert_non_null(strstr(buf_cstr(&b), "liked by members across camps"));
    buf_fini(&b);
    /* the next run, from this run's item factors, keeps the order */
    struct rank_warm *warm = rank_warm_take(st, NULL, f->ni);
    static struct rank_snapshot again;
    again = (struct rank_snapshot){f->m, f->nm, f->e, f->ne, f->it, f->ni, f->o, f->no, f->v, f->nv, NOW};
    struct rank_state *next = NULL;
    assert_int_equal(rank_run_warm(&again, &p, warm, &next), 0);
    assert_true(rank_item_get(next, across)->bound > rank_item_get(next, one)->bound);
    rank_warm_free(warm);
    rank_state_free(next);
    /* the incremental path refits the item against the members' axes: the same result */
    struct rank_vote v[64];
    struct rank_open o2[64];
    size_t no, nv = item_records(f, one, v, o2, &no);
    double before = o->bound;
    assert_int_equal(rank_item_replay(st, one, v, nv, o2, no, NOW), 0);
    assert_true(fabs(rank_item_get(st, one)->bound - before) < 1e-9);
    rank_state_free(st);
    free(f);
}

/* The Beta(prior) lower bound (stage 4 on its own, as answers use it): with no evidence it is
 * the prior's, computed here from the Beta distribution's mean and variance; upvote weight
 * raises it, downvote weight lowers it; a full run's unvoted item has the same bound. */
static void beta_bound_from_the_prior_up(void **state)
{
    (void)state;
    struct rank_params p;
    rank_params_default(&p);
    double mean = -1;
    double a = p.prior_up, b = p.prior_down;
    double prior_mean = a / (a + b);
    double prior_sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
    double bound = rank_beta_bound(&p, 0.0, 0.0, &mean);
    assert_true(fabs(mean - prior_mean) < 1e-12);
    assert_true(fabs(bound - (prior_mean - p.bound_z * prior_sd)) < 1e-12);
    assert_true(bound > 0.213 && bound < 0.214); /* Beta(2, 2): 0.5 - 1.2816 x 0.2236 */
    assert_true(rank_beta_bound(&p, 0.0, 0.0, NULL) == bound);
    const double ups[] = {0.25, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0};
    double last = bound;
    for (size_t k = 0; k < sizeof(ups) / sizeof(ups[0]); k++) {
        double up = rank_beta_bound(&p, ups[k], 0.0, NULL);
        assert_true(up > last);
        assert_true(up < 1.0);
        last = up;
    }
    assert_true(rank_beta_bound(&p, 0.0, 1.0, NULL) < bound);
    assert_true(rank_beta_bound(&p, 3.0, 3.0, NULL) > bound); /* same mean, less doubt */
    assert_true(rank_beta_bound(&p, 0.0, 1000.0, NULL) >= 0.0);
    p.prior_up = p.prior_down = 1.0; /* another prior, another bound */
    double flat = rank_beta_bound(&p, 0.0, 0.0, &mean);
    assert_true(fabs(mean - 0.5) < 1e-12);
    assert_true(fabs(flat - (0.5 - p.bound_z * sqrt(1.0 / 12.0))) < 1e-12);
    /* the engine's quality stage gives an item without evidence the same bound */
    rank_params_default(&p);
    p.explore_slots = 0;
    struct fx *f = calloc(1, sizeof(*f));
    honest_region(f, 20);
    uint32_t x = item(f, 0, -1, 1);
    struct rank_state *st = run(f, &p);
    assert_true(fabs(rank_item_get(st, x)->bound - bound) < 1e-12);
    rank_state_free(st);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sybil_region_behind_one_edge_gets_little_trust),
        cmocka_unit_test(unread_and_conflict_votes_are_discounted),
        cmocka_unit_test(ring_of_friends_counts_as_few),
        cmocka_unit_test(quality_prior_bound_and_silence),
        cmocka_unit_test(grouping_keeps_record_order),
        cmocka_unit_test(results_do_not_depend_on_thread_count),
        cmocka_unit_test(item_replay_matches_full_run),
        cmocka_unit_test(explanation_names_the_discounts),
        cmocka_unit_test(host_organisation_votes_count_nothing),
        cmocka_unit_test(outside_vote_counts_nothing_on_an_idea),
        cmocka_unit_test(beta_bound_from_the_prior_up),
        cmocka_unit_test(cross_camp_item_outranks_one_camp_item),
        cmocka_unit_test(no_divide_changes_nothing),
    };
    return cmocka_run_group_tests_name("rank", tests, NULL, NULL);
}
