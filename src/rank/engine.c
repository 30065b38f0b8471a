/* Stages 2 and 4: vote weights, per-item evidence, Beta-prior quality, bound, decay and
 * exploration slots; plus incremental updates for single votes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/err.h"
#include "../core/util.h"
#include "rank_int.h"


void rank_params_default(struct rank_params *p)
{
    p->trust_steps = 0;
    p->trust_zero_at = 0.05;
    p->trust_full_at = 0.25;
    p->unread_up = 0.25;
    p->unread_down = 0.0;
    p->silence = 0.15;
    p->prior_up = 2.0;
    p->prior_down = 2.0;
    p->bound_z = 1.2816;
    p->cluster_min_common = 4;
    p->cluster_min_jaccard = 0.6;
    p->cluster_min_lift = 10.0;
    p->fan_min_votes = 2;
    p->outside_free = 2.0;
    p->half_life_hours = 36.0;
    p->explore_slots = 2;
    p->explore_max_hours = 24.0;
    p->explore_min_evidence = 3.0;
    p->threads = 0;
    p->bridge_dims = 1;
    p->bridge_lambda_i = 0.15;
    p->bridge_lambda_f = 0.03;
    p->bridge_iterations = 3;
    p->bridge_warm_iterations = 1;
    p->bridge_min_votes = 5;
    p->bridge_seed = 1;
    p->bridge_min_share = 0.1;
}

/* A cluster's summed weight on one item grows only logarithmically once above 1: twenty
 * friends count as 1 + ln 20 = 4 voters (the square root would give 4.5; both are
 * sub-linear, the benchmark chose the log). */
double rank_damp(double sum)
{
    return sum <= 1.0 ? sum : 1.0 + log(sum);
}

static bool rank_conflict_aff(const struct rank_snapshot *s, uint32_t member, int32_t aff,
                              uint32_t item)
{
    const struct rank_item *it = &s->items[item];
    return member == it->submitter || (aff >= 0 && (aff == it->affiliation || aff == it->host));
}


/* The damping group of a vote: the voter's cluster, else the item's outside-arrival group,
 * else none (RANK_NONE: counted alone). */
static uint32_t vote_group(const struct rank_state *st, const struct rank_vote *v, bool opened,
                           bool outside)
{
    uint32_t c = st->minfo[v->voter].group;
    if (c != RANK_NONE) {
        return c;
    }
    return opened && outside ? RANK_OUTSIDE_GROUP : RANK_NONE;
}

/* Raw weight before cluster damping, and the main reason for any discount. */
static double vote_raw(const struct rank_state *st, const struct rank_vote *v, bool opened,
                       int value, enum rank_discount *why)
{
    double read = opened ? 1.0 : (value > 0 ? st->p.unread_up : st->p.unread_down);
    const struct rank_minfo *mi = &st->minfo[v->voter];
    double t = mi->trust;
    *why = RANK_D_NONE;
    if (rank_conflict_aff(st->snap, v->voter, mi->affiliation, v->item)) {
        *why = RANK_D_CONFLICT;
        return 0.0;
    }
    if (opened && v->outside && st->snap->items[v->item].kind == RANK_IDEA) {
        *why = RANK_D_OUTSIDE;
        return 0.0;
    }
    if (!opened) {
        *why = RANK_D_UNREAD;
    } else if (t < 0.5) {
        *why = RANK_D_LOW_TRUST;
    }
    return t * read;
}

static struct rank_csum *table_slot(struct rank_csum_table *t, uint32_t item, uint32_t cluster,
                                    int8_t sign)
{
    if (t->n * 2 >= t->cap) {
        size_t old = t->cap, cap = old ? old * 2 : 1024;
        struct rank_csum *prev = t->slot;
        t->slot = rank_array(cap, sizeof(*t->slot));
        t->cap = cap;
        t->n = 0;
        for (size_t i = 0; i < old; i++) {
            if (prev[i].sign != 0) {
                *table_slot(t, prev[i].item, prev[i].cluster, prev[i].sign) = prev[i];
                t->n++;
            }
        }
        free(prev);
    }
    uint64_t h = rank_mix64(((uint64_t)item << 32 | cluster) ^ (uint64_t)(sign + 2));
    for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct rank_csum *c = &t->slot[i];
        if (c->sign == 0 || (c->item == item && c->cluster == cluster && c->sign == sign)) {
            return c;
        }
    }
}

/* A monotonic clock read (vDSO, no I/O): stage timings for benchmarks. */
static double rank_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The part that owns an item (and its cluster sums): parts are contiguous item ranges. */
static int item_part(const struct rank_state *st, uint32_t item)
{
    int t = 0;
    while (t + 1 < st->nthreads && item >= st->item_split[t + 1]) {
        t++;
    }
    return t;
}

/* Items are split over the tables the way the parallel passes split them, so a thread only
 * ever touches its own table. */
static struct rank_csum *csum_slot(struct rank_state *st, uint32_t item, uint32_t cluster,
                                   int8_t sign)
{
    struct rank_csum_table *t = &st->csum[item_part(st, item)];
    struct rank_csum *c = table_slot(t, item, cluster, sign);
    if (c->sign == 0) {
        *c = (struct rank_csum){item, cluster, sign, 0.0};
        t->n++;
    }
    return c;
}

/* Damped weight of a group's summed raw weight on one item. */
static double group_damp(const struct rank_state *st, uint32_t group, double sum)
{
    double free_weight = group == RANK_OUTSIDE_GROUP ? st->p.outside_free : 0.0;
    return sum <= free_weight ? sum : free_weight + rank_damp(sum - free_weight);
}

/* Adds delta to a cluster's raw sum on an item; returns the change of its damped weight. */
static double cluster_add(struct rank_state *st, uint32_t item, uint32_t cluster, int8_t sign,
                          double delta)
{
    struct rank_csum *c = csum_slot(st, item, cluster, sign);
    double before = group_damp(st, cluster, c->sum);
    c->sum += delta;
    if (c->sum < 1e-12) {
        c->sum = 0.0;
    }
    return group_damp(st, cluster, c->sum) - before;
}

/* Outside traffic may add at most as much weight as the trusted readers who saw the item in
 * the guild's own lists (at least one reader's worth). */
static double outside_cap(const struct rank_item_result *r)
{
    return r->trusted_openers > 1.0 ? r->trusted_openers : 1.0;
}

double rank_beta_bound(const struct rank_params *p, double up, double down, double *mean)
{
    double a = p->prior_up + up, b = p->prior_down + down;
    double m = a / (a + b);
    double sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
    if (mean != NULL) {
        *mean = m;
    }
    return m - p->bound_z * sd > 0 ? m - p->bound_z * sd : 0.0;
}

double rank_lone_vote_weight(const struct rank_params *p, double trust, bool opened, int value,
                             bool conflict)
{
    if (conflict) {
        return 0.0;
    }
    return trust * (opened ? 1.0 : value > 0 ? p->unread_up : p->unread_down);
}

static void item_quality(const struct rank_params *p, struct rank_item_result *r, int64_t now,
                         int64_t created, bool bridged)
{
    double cap = outside_cap(r);
    double up = r->up_weight + (r->outside_up < cap ? r->outside_up : cap);
    double down = r->down_weight + (r->outside_down < cap ? r->outside_down : cap) +
                  p->silence * r->silent_weight;
    double moved = bridged ? r->camp_up - r->camp_down : 0.0; /* stage 5: camp parts cross */
    up = up - moved > 0 ? up - moved : 0.0;
    down = down + moved > 0 ? down + moved : 0.0;
    double age = (double)(now - created) / 3600.0;
    r->age_hours = age > 0 ? age : 0.0;
    r->bound = rank_beta_bound(p, up, down, &r->mean);
    r->hot = r->bound * exp2(-r->age_hours / p->half_life_hours);
}

/* Adds one vote's evidence to its item; k is its snapshot index, or SIZE_MAX. */
void rank_evidence_vote(struct rank_state *st, const struct rank_vote *v, size_t k)
{
    const struct rank_snapshot *s = st->snap;
    struct rank_item_result *r = &st->items[v->item];
    enum rank_discount why;
    double w = vote_raw(st, v, v->opened, v->value, &why);
    uint32_t c = vote_group(st, v, v->opened, v->outside);
    bool in_cluster = c != RANK_NONE && w > 0;
    double eff = in_cluster ? cluster_add(st, v->item, c, v->value > 0 ? 1 : -1, w) : w;
    if (c == RANK_OUTSIDE_GROUP) {
        *(v->value > 0 ? &r->outside_up : &r->outside_down) += eff;
    } else {
        *(v->value > 0 ? &r->up_weight : &r->down_weight) += eff;
    }
    if (v->value > 0) {
        r->ups++;
        r->unread_up += !v->opened;
    } else {
        r->downs++;
        r->unread_down += !v->opened;
    }
    if (why == RANK_D_NONE && in_cluster) {
        why = c == RANK_OUTSIDE_GROUP ? RANK_D_OUTSIDE : RANK_D_CLUSTER;
    }
    r->conflict += why == RANK_D_CONFLICT;
    r->low_trust += why == RANK_D_LOW_TRUST;
    r->clustered += in_cluster && c != RANK_OUTSIDE_GROUP;
    r->outside += (in_cluster && c == RANK_OUTSIDE_GROUP) || (why == RANK_D_OUTSIDE && w == 0);
    if (k != SIZE_MAX) {
        st->vote_why[k] = (uint8_t)why;
        st->vote_weight[k] = (float)w; /* the cluster share is settled once sums are known */
    }
    if (v->opened && !v->outside && why != RANK_D_CONFLICT) {
        r->silent_weight -= st->minfo[v->voter].trust; /* an opener who voted is not silent */
    }
    (void)s;
}

/* Exposure: openers who came from a guild list. */
void rank_evidence_open(struct rank_state *st, const struct rank_open *o)
{
    if (o->inside && !rank_conflict_aff(st->snap, o->member, st->minfo[o->member].affiliation,
                                        o->item)) {
        st->items[o->item].trusted_openers += st->minfo[o->member].trust;
        st->items[o->item].silent_weight += st->minfo[o->member].trust;
    }
}

/* Final weight of a vote given its raw weight, after its group's damping (and, for outside
 * arrivals, the exposure cap). */
double rank_settle_vote(struct rank_state *st, const struct rank_vote *v, double raw)
{
    uint32_t c = vote_group(st, v, v->opened, v->outside);
    if (c == RANK_NONE || raw <= 0) {
        return raw;
    }
    struct rank_csum *cs = csum_slot(st, v->item, c, v->value > 0 ? 1 : -1);
    double w = cs->sum > 0 ? raw * group_damp(st, c, cs->sum) / cs->sum : raw;
    if (c == RANK_OUTSIDE_GROUP) {
        const struct rank_item_result *r = &st->items[v->item];
        double total = v->value > 0 ? r->outside_up : r->outside_down, cap = outside_cap(r);
        w = total > cap ? w * cap / total : w;
    }
    return w;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Lends the 5th and 10th places of the link stream to the newest links with little evidence,
 * so that new items get seen and can earn their place. */
static void rank_explore(struct rank_state *st)
{
    const struct rank_snapshot *s = st->snap;
    if (st->p.explore_slots <= 0) {
        return;
    }
    double *hots = xmalloc((s->nitems + 1) * sizeof(*hots));
    size_t nh = 0;
    for (size_t i = 0; i < s->nitems; i++) {
        if (s->items[i].kind == RANK_LINK) {
            hots[nh++] = st->items[i].hot;
        }
    }
    qsort(hots, nh, sizeof(*hots), cmp_desc);
    for (int slot = 0; slot < st->p.explore_slots && (size_t)(slot + 1) * 5 <= nh; slot++) {
        double target = hots[(size_t)(slot + 1) * 5 - 1];
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < s->nitems; i++) {
            const struct rank_item_result *r = &st->items[i];
            double evidence = r->up_weight + r->down_weight + r->outside_up + r->outside_down +
                              st->p.silence * r->silent_weight;
            if (s->items[i].kind != RANK_LINK || r->exploring || r->hot >= target ||
                r->age_hours > st->p.explore_max_hours ||
                evidence >= st->p.explore_min_evidence) {
                continue;
            }
            if (best == SIZE_MAX || s->items[i].created_at > s->items[best].created_at) {
                best = i;
            }
        }
        if (best != SIZE_MAX) {
            st->items[best].exploring = true;
            st->items[best].hot = target * (1.0 - 1e-9); /* just below: takes that place */
        }
    }
    free(hots);
}

const struct rank_timing *rank_timing_get(const struct rank_state *st)
{
    return &st->timing;
}

static bool snapshot_valid(const struct rank_snapshot *s)
{
    if (s->nvotes >= (size_t)1 << 29 || s->nmembers >= UINT32_MAX - 1 || s->nitems >= UINT32_MAX) {
        return false; /* the item pass packs a vote's index in 29 bits */
    }
    for (size_t k = 0; k < s->nvotes; k++) {
        if (s->votes[k].voter >= s->nmembers || s->votes[k].item >= s->nitems ||
            (s->votes[k].value != 1 && s->votes[k].value != -1)) {
            return false;
        }
    }
    for (size_t k = 0; k < s->nopens; k++) {
        if (s->opens[k].member >= s->nmembers || s->opens[k].item >= s->nitems) {
            return false;
        }
    }
    for (size_t k = 0; k < s->nedges; k++) {
        if (s->edges[k].a >= s->nmembers || s->edges[k].b >= s->nmembers) {
            return false;
        }
    }
    for (size_t i = 0; i < s->nitems; i++) {
        if (s->items[i].submitter >= s->nmembers) {
            return false;
        }
    }
    for (size_t v = 0; v < s->nmembers; v++) {
        if (s->members[v].invited_by != RANK_NONE && s->members[v].invited_by >= s->nmembers) {
            return false;
        }
    }
    return true;
}

int rank_run(const struct rank_snapshot *snap, const struct rank_params *p,
             struct rank_state **out)
{
    return rank_run_warm(snap, p, NULL, out);
}

int rank_run_warm(const struct rank_snapshot *snap, const struct rank_params *p,
                  const struct rank_warm *warm, struct rank_state **out)
{
    if (!(p->prior_up > 0) || !(p->prior_down > 0) || !(p->half_life_hours > 0) ||
        !(p->trust_full_at > p->trust_zero_at) || p->trust_zero_at < 0 || p->cluster_min_common < 1 ||
        !rank_bridge_params_valid(p, 0) || !snapshot_valid(snap)) {
        return ERR_INVAL;
    }
    struct rank_state *st = xcalloc(1, sizeof(*st));
    st->snap = snap;
    st->p = *p;
    st->nthreads = rank_threads(p->threads);
    st->csum = xcalloc((size_t)st->nthreads, sizeof(*st->csum));
    st->trust = rank_array(snap->nmembers + 1, sizeof(*st->trust));
    st->cluster = rank_array(snap->nmembers + 1, sizeof(*st->cluster));
    st->cluster_size = rank_array(snap->nmembers + 1, sizeof(*st->cluster_size));
    st->items = rank_array(snap->nitems + 1, sizeof(*st->items));
    st->vote_weight = rank_array(snap->nvotes + 1, sizeof(*st->vote_weight));
    st->vote_why = rank_array(snap->nvotes + 1, sizeof(*st->vote_why));
    double t0 = rank_now_ms();
    rank_group_by_item(st);
    double tg = rank_now_ms();
    rank_trust(st);
    double t1 = rank_now_ms();
    rank_clusters(st);
    double t2 = rank_now_ms();
    st->minfo = rank_array(snap->nmembers + 1, sizeof(*st->minfo));
    for (size_t v = 0; v < snap->nmembers; v++) {
        uint32_t c = st->cluster[v];
        st->minfo[v] = (struct rank_minfo){(float)st->trust[v],
                                           st->cluster_size[c] > 1 ? c : RANK_NONE,
                                           snap->members[v].affiliation};
    }
    if (p->bridge_dims > 0) {
        st->bvotes = rank_array(snap->nvotes + 1, sizeof(*st->bvotes));
    }
    rank_parallel(st->nthreads, rank_items_part, st);
    double t3 = rank_now_ms();
    rank_bridge_run(st, warm);
    free(st->bvotes);
    st->bvotes = NULL;
    double tb = rank_now_ms();
    rank_groups_free(&st->votes_by_item);
    rank_groups_free(&st->opens_by_item);
    double t4 = rank_now_ms();
    for (size_t i = 0; i < snap->nitems; i++) {
        struct rank_item_result *r = &st->items[i];
        r->silent_weight = r->silent_weight > 0 ? r->silent_weight : 0.0;
        item_quality(p, r, snap->now, snap->items[i].created_at, st->br.applied);
    }
    rank_explore(st);
    st->timing = (struct rank_timing){t1 - tg, t2 - t1, tg - t0, t3 - t2, rank_now_ms() - t4,
                                      tb - t3};
    *out = st;
    return 0;
}

void rank_state_free(struct rank_state *st)
{
    if (st == NULL) {
        return;
    }
    free(st->trust);
    free(st->minfo);
    free(st->cluster);
    free(st->cluster_size);
    free(st->items);
    free(st->vote_weight);
    free(st->vote_why);
    free(st->br.mpar);
    free(st->br.ipar);
    for (int t = 0; st->csum != NULL && t < st->nthreads; t++) {
        free(st->csum[t].slot);
    }
    free(st->csum);
    free(st);
}

const struct rank_item_result *rank_item_get(const struct rank_state *st, size_t item)
{
    return &st->items[item];
}

double rank_member_trust(const struct rank_state *st, size_t member)
{
    return st->trust[member];
}

uint32_t rank_member_cluster(const struct rank_state *st, size_t member)
{
    return st->cluster_size[st->cluster[member]] > 1 ? st->cluster[member] : (uint32_t)member;
}

double rank_vote_weight(const struct rank_state *st, size_t k, enum rank_discount *why)
{
    *why = (enum rank_discount)st->vote_why[k];
    return st->vote_weight[k];
}

int rank_item_replay(struct rank_state *st, uint32_t item, const struct rank_vote *votes,
                     size_t nvotes, const struct rank_open *opens, size_t nopens, int64_t now)
{
    const struct rank_snapshot *s = st->snap;
    if (item >= s->nitems) {
        return ERR_INVAL;
    }
    for (size_t k = 0; k < nvotes; k++) {
        if (votes[k].item != item || votes[k].voter >= s->nmembers ||
            (votes[k].value != 1 && votes[k].value != -1)) {
            return ERR_INVAL;
        }
    }
    for (size_t k = 0; k < nopens; k++) {
        if (opens[k].item != item || opens[k].member >= s->nmembers) {
            return ERR_INVAL;
        }
    }
    struct rank_item_result *r = &st->items[item];
    bool exploring = r->exploring;
    double hot_before = r->hot;
    *r = (struct rank_item_result){0};
    for (size_t k = 0; k < nvotes; k++) { /* forget this item's group sums */
        uint32_t c = vote_group(st, &votes[k], votes[k].opened, votes[k].outside);
        if (c != RANK_NONE) {
            struct rank_csum *cs = csum_slot(st, item, c, votes[k].value > 0 ? 1 : -1);
            if (cs->sign != 0) {
                cs->sum = 0;
            }
        }
    }
    for (size_t k = 0; k < nvotes; k++) {
        rank_evidence_vote(st, &votes[k], SIZE_MAX);
    }
    for (size_t k = 0; k < nopens; k++) {
        rank_evidence_open(st, &opens[k]);
    }
    struct rank_bvote *settled = xmalloc((nvotes + 1) * sizeof(*settled));
    size_t nsettled = 0;
    for (size_t k = 0; k < nvotes; k++) {
        enum rank_discount why;
        /* the raw weight as a float, as the full run keeps it before settling */
        float raw = (float)vote_raw(st, &votes[k], votes[k].opened, votes[k].value, &why);
        float w = (float)rank_settle_vote(st, &votes[k], raw);
        r->counted += w >= 0.9;
        r->discounted += !(w >= 0.9);
        if (w > 0) {
            settled[nsettled++] = (struct rank_bvote){votes[k].voter, votes[k].value > 0 ? w : -w};
        }
    }
    rank_bridge_replay(st, item, settled, nsettled);
    free(settled);
    r->silent_weight = r->silent_weight > 0 ? r->silent_weight : 0.0;
    item_quality(&st->p, r, now, s->items[item].created_at, st->br.applied);
    if (exploring && r->hot < hot_before) {
        r->exploring = true;
        r->hot = hot_before; /* keeps its lent place until the next full run */
    }
    return 0;
}
