/* Stage 5, bridging: a matrix factorisation of the weighted votes (Community Notes' model:
 * approval = mu + member intercept + item intercept + member factors . item factors, with
 * the intercepts regularised harder than the factors), fitted by alternating least squares.
 * The factors capture what the votes share along camp lines; the part of each vote that its
 * voter's side explains (the factor product) changes sides in the item's evidence, so a camp
 * voting its own side up and the other side down moves an item's quality only as far as the
 * rest of the guild agrees. Deterministic: the initial factors come from the seed, every
 * member's and item's solve reads its votes in snapshot order, and the passes split members
 * and items into ranges whose results do not depend on the split. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "rank_int.h"

#define BR_MAXN (1 + RANK_BRIDGE_MAX_DIMS)

/* A solve's normal equations, (1 + dims) unknowns: intercept, then the factors. */
struct br_normal {
    double a[BR_MAXN][BR_MAXN], b[BR_MAXN];
};

static void br_add(struct br_normal *ne, int dims, const float *other, double w, double r)
{
    double x[BR_MAXN] = {1.0};
    for (int d = 0; d < dims; d++) {
        x[1 + d] = other[1 + d];
    }
    for (int i = 0; i <= dims; i++) {
        ne->b[i] += w * r * x[i];
        for (int j = 0; j <= i; j++) {
            ne->a[i][j] += w * x[i] * x[j];
        }
    }
}

/* Regularised solve: the ridge terms on the diagonal make the matrix positive definite, so
 * one intercept and one factor is a 2 x 2 solve by its determinant and two factors a 3 x 3
 * Cholesky solve. */
static void br_solve(struct br_normal *ne, int dims, const struct rank_params *p, float *out)
{
    int n = dims + 1;
    ne->a[0][0] += p->bridge_lambda_i;
    for (int d = 1; d < n; d++) {
        ne->a[d][d] += p->bridge_lambda_f;
    }
    if (dims == 1) {
        double det = ne->a[0][0] * ne->a[1][1] - ne->a[1][0] * ne->a[1][0];
        if (!(det > 0)) { /* only with lambdas near 0 and no votes: nothing to say */
            out[0] = out[1] = 0.0f;
            return;
        }
        out[0] = (float)((ne->b[0] * ne->a[1][1] - ne->a[1][0] * ne->b[1]) / det);
        out[1] = (float)((ne->a[0][0] * ne->b[1] - ne->a[1][0] * ne->b[0]) / det);
        return;
    }
    double l[BR_MAXN][BR_MAXN] = {{0}}, y[BR_MAXN], x[BR_MAXN];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
            double s = ne->a[i][j];
            for (int k = 0; k < j; k++) {
                s -= l[i][k] * l[j][k];
            }
            l[i][j] = i == j ? sqrt(s > 1e-12 ? s : 1e-12) : s / l[j][j];
        }
    }
    for (int i = 0; i < n; i++) {
        double s = ne->b[i];
        for (int k = 0; k < i; k++) {
            s -= l[i][k] * y[k];
        }
        y[i] = s / l[i][i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = y[i];
        for (int k = i + 1; k < n; k++) {
            s -= l[k][i] * x[k];
        }
        x[i] = s / l[i][i];
    }
    for (int i = 0; i < n; i++) {
        out[i] = (float)x[i];
    }
}

static double br_dot(const float *a, const float *b, int dims)
{
    double s = 0;
    for (int d = 1; d <= dims; d++) {
        s += (double)a[d] * b[d];
    }
    return s;
}

/* One solve from a run of (other side's parameters, weight, vote) records: the member pass
 * and the item pass differ only in where the records and parameters are. */
#define BR_AHEAD 12 /* records ahead: the other side's parameters are random reads */
#define BR_SOLVE_LOOP(ne, dims, count, other_of, ahead_ok, ahead_of, w_of, y_of, mu)             \
    do {                                                                                          \
        if ((dims) == 1) { /* the common case, unrolled: five sums */                            \
            double sw = 0, swf = 0, swff = 0, swr = 0, swrf = 0;                                  \
            for (size_t k_ = 0; k_ < (count); k_++) {                                             \
                if (ahead_ok) {                                                                   \
                    __builtin_prefetch(ahead_of);                                                 \
                }                                                                                 \
                const float *o_ = (other_of);                                                     \
                double w_ = (w_of), r_ = (y_of) - (mu) - o_[0], f_ = o_[1];                       \
                sw += w_, swf += w_ * f_, swff += w_ * f_ * f_, swr += w_ * r_, swrf += w_ * r_ * f_; \
            }                                                                                     \
            (ne).a[0][0] = sw, (ne).a[1][0] = swf, (ne).a[1][1] = swff;                           \
            (ne).b[0] = swr, (ne).b[1] = swrf;                                                    \
        } else {                                                                                  \
            for (size_t k_ = 0; k_ < (count); k_++) {                                             \
                const float *o_ = (other_of);                                                     \
                br_add(&(ne), (dims), o_, (w_of), (y_of) - (mu) - o_[0]);                         \
            }                                                                                     \
        }                                                                                         \
    } while (0)

void rank_bridge_item_solve(const struct rank_bridge *br, const struct rank_bvote *v, size_t n,
                            float *out)
{
    struct br_normal ne;
    memset(&ne, 0, sizeof(ne));
    BR_SOLVE_LOOP(ne, br->dims, n, &br->mpar[(size_t)v[k_].who * br->stride], k_ + BR_AHEAD < n,
                  &br->mpar[(size_t)v[k_ + BR_AHEAD].who * br->stride], fabsf(v[k_].wy),
                  (v[k_].wy > 0 ? 1.0 : 0.0), br->mu);
    br_solve(&ne, br->dims, br->p, out);
}

void rank_bridge_item_camp(const struct rank_bridge *br, const struct rank_bvote *v, size_t n,
                           const float *ipar, struct rank_item_result *r)
{
    r->camp_up = r->camp_down = r->side_up[0] = r->side_up[1] = 0;
    for (size_t k = 0; k < n; k++) {
        const float *m = &br->mpar[(size_t)v[k].who * br->stride];
        double c = br_dot(m, ipar, br->dims);
        double w = fabsf(v[k].wy), s = v[k].wy > 0 ? c : -c;
        s = s < 0 ? 0 : (s > 1 ? 1 : s);
        *(v[k].wy > 0 ? &r->camp_up : &r->camp_down) += w * s;
        if (v[k].wy > 0 && m[1] != 0) { /* a member with too few votes sits on no side */
            r->side_up[m[1] > 0] += w;
        }
    }
}

/* A member-grouped record: item in the low 32 bits, the signed weight's float bits above. */
static float br_rec_wy(uint64_t x)
{
    uint32_t bits = (uint32_t)(x >> 32);
    float f;
    memcpy(&f, &bits, sizeof(f));
    return f;
}

static void br_set_item(struct rank_state *st, uint32_t i, const struct rank_bvote *v, size_t n);

static void br_members_part(void *ctx, int part, int nparts)
{
    struct rank_bridge *br = ctx;
    size_t lo, hi;
    rank_part_range(br->nmembers, part, nparts, &lo, &hi);
    uint32_t end = br->mstart[br->nmembers]; /* prefetches run on into the next members' */
    for (size_t u = lo; u < hi; u++) {
        uint32_t a = br->mstart[u], b = br->mstart[u + 1], counted = 0;
        const uint64_t *rec = br->mrec + a;
        for (uint32_t k = 0; k < b - a; k++) {
            counted += br_rec_wy(rec[k]) != 0.0f;
        }
        if (counted < (uint32_t)br->p->bridge_min_votes) {
            continue; /* stays at 0: too few votes to place on any axis */
        }
        struct br_normal ne;
        memset(&ne, 0, sizeof(ne));
        BR_SOLVE_LOOP(ne, br->dims, (size_t)(b - a), &br->ipar[(size_t)(uint32_t)rec[k_] * br->stride],
                      a + k_ + BR_AHEAD < end, &br->ipar[(size_t)(uint32_t)rec[k_ + BR_AHEAD] * br->stride],
                      fabsf(br_rec_wy(rec[k_])), (br_rec_wy(rec[k_]) > 0 ? 1.0 : 0.0), br->mu);
        br_solve(&ne, br->dims, br->p, &br->mpar[u * br->stride]);
    }
}

static void br_items_part(void *ctx, int part, int nparts)
{
    struct rank_bridge *br = ctx;
    size_t lo, hi;
    rank_part_range(br->nitems, part, nparts, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const struct rank_bvote *v = br->ivotes + br->istart[i];
        size_t n = br->istart[i + 1] - br->istart[i];
        rank_bridge_item_solve(br, v, n, &br->ipar[i * br->stride]);
        if (br->last_pass && br->st != NULL) { /* its voters' factors are in cache now */
            br_set_item(br->st, (uint32_t)i, v, n);
        }
    }
}

/* The member grouping for a full run reads the snapshot's votes in order, with each vote's
 * final weight (sequential reads; the item order of ivotes would need each record's item). */
static uint32_t br_member_key(const void *ctx, size_t r)
{
    return ((const struct rank_state *)ctx)->snap->votes[r].voter;
}

static uint64_t br_member_rec(const void *ctx, size_t r)
{
    const struct rank_state *st = ctx;
    const struct rank_vote *v = &st->snap->votes[r];
    float w = st->vote_weight[r] > 0 ? st->vote_weight[r] : 0.0f, wy = v->value > 0 ? w : -w;
    uint32_t bits;
    memcpy(&bits, &wy, sizeof(bits));
    return (uint64_t)v->item | (uint64_t)bits << 32;
}

/* The same for rank_bridge_fit: its votes as given. */
static uint32_t br_plain_key(const void *ctx, size_t r)
{
    return ((const struct rank_bridge_vote *)ctx)[r].member;
}

static uint64_t br_plain_rec(const void *ctx, size_t r)
{
    const struct rank_bridge_vote *v = &((const struct rank_bridge_vote *)ctx)[r];
    float wy = v->up ? v->weight : -v->weight;
    uint32_t bits;
    memcpy(&bits, &wy, sizeof(bits));
    return (uint64_t)v->item | (uint64_t)bits << 32;
}

/* Each item's starting factors: the warm start's where it has the item, else a small random
 * value from the seed along each axis. */
static int br_start(struct rank_bridge *br, const struct rank_warm *warm)
{
    bool carry = warm != NULL && warm->dims == br->dims;
    size_t carried = 0, voted = 0;
    for (size_t i = 0; i < br->nitems; i++) {
        voted += br->istart[i + 1] > br->istart[i];
        /* a factor at 0 stays at 0 (no votes yet, or shrunk away): it starts afresh */
        if (carry && i < warm->nitems && warm->known[i] &&
            br_dot(&warm->ipar[i * warm->stride], &warm->ipar[i * warm->stride], br->dims) > 1e-8) {
            memcpy(&br->ipar[i * br->stride], &warm->ipar[i * warm->stride],
                   (size_t)br->stride * sizeof(float));
            carried += br->istart[i + 1] > br->istart[i];
            continue;
        }
        for (int d = 1; d <= br->dims; d++) {
            uint64_t h = rank_mix64(br->p->bridge_seed * 0x9e3779b97f4a7c15ULL + i * 4 + (uint64_t)d);
            br->ipar[i * br->stride + (size_t)d] = (float)((double)(h >> 11) / 9007199254740992.0 - 0.5);
        }
    }
    /* a warm start that carries fewer than half of the voted items is a cold one */
    return carry && 2 * carried >= voted ? br->p->bridge_warm_iterations
                                         : br->p->bridge_iterations;
}

void rank_bridge_fit_grouped(struct rank_bridge *br, const struct rank_groups *by_member,
                             int nthreads, const struct rank_warm *warm)
{
    size_t n = br->istart[br->nitems];
    double sw = 0, swy = 0;
    for (size_t k = 0; k < n; k++) {
        sw += fabsf(br->ivotes[k].wy);
        swy += br->ivotes[k].wy > 0 ? br->ivotes[k].wy : 0;
    }
    br->mu = sw > 0 ? swy / sw : 0.5;
    br->weight = sw;
    br->mstart = by_member->start;
    br->mrec = by_member->rec64;
    int passes = br_start(br, warm);
    for (int it = 0; it < passes || it == 0; it++) { /* at least one: the camp parts */
        br->last_pass = it + 1 >= passes;
        if (it < passes) {
            rank_parallel(nthreads, br_members_part, br);
        }
        rank_parallel(nthreads, br_items_part, br);
    }
    br->mrec = NULL;
    br->mstart = NULL;
}

bool rank_bridge_params_valid(const struct rank_params *p, int min_dims)
{
    return p->bridge_dims >= min_dims && p->bridge_dims <= RANK_BRIDGE_MAX_DIMS &&
           p->bridge_iterations >= 1 && p->bridge_warm_iterations >= 1 &&
           p->bridge_min_votes >= 0 && p->bridge_min_share >= 0 && p->bridge_lambda_i >= 1e-6 &&
           p->bridge_lambda_f >= 1e-6 && isfinite(p->bridge_lambda_i) &&
           isfinite(p->bridge_lambda_f);
}

int rank_bridge_fit(const struct rank_bridge_vote *votes, size_t n, size_t nmembers, size_t nitems,
                    const struct rank_params *p, double *intercept)
{
    if (!rank_bridge_params_valid(p, 1) || n >= (size_t)1 << 31) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        if (votes[k].member >= nmembers || votes[k].item >= nitems || !(votes[k].weight > 0) ||
            !isfinite(votes[k].weight)) {
            return -1;
        }
    }
    struct rank_bridge br = {.nmembers = nmembers, .nitems = nitems, .dims = p->bridge_dims,
                             .stride = p->bridge_dims + 1, .p = p};
    uint32_t *start = xcalloc(nitems + 2, sizeof(*start));
    uint32_t *fill = xmalloc((nitems + 1) * sizeof(*fill));
    br.ivotes = xmalloc((n + 1) * sizeof(*br.ivotes));
    for (size_t k = 0; k < n; k++) {
        start[votes[k].item + 1]++;
    }
    for (size_t i = 0; i < nitems; i++) {
        start[i + 1] += start[i];
    }
    memcpy(fill, start, nitems * sizeof(*fill));
    for (size_t k = 0; k < n; k++) {
        uint32_t at = fill[votes[k].item]++;
        br.ivotes[at] = (struct rank_bvote){votes[k].member,
                                            votes[k].up ? votes[k].weight : -votes[k].weight};
    }
    br.istart = start;
    br.mpar = xcalloc((nmembers + 1) * (size_t)br.stride, sizeof(float));
    br.ipar = xcalloc((nitems + 1) * (size_t)br.stride, sizeof(float));
    struct rank_groups by_member = {0};
    int nthreads = rank_threads(p->threads);
    rank_group(n, nmembers, br_plain_key, br_plain_rec, 8, votes, nthreads, &by_member);
    rank_bridge_fit_grouped(&br, &by_member, nthreads, NULL);
    rank_groups_free(&by_member);
    for (size_t i = 0; i < nitems; i++) {
        intercept[i] = br.mu + br.ipar[i * (size_t)br.stride];
    }
    free(fill), free(start), free(br.ivotes), free(br.mpar), free(br.ipar);
    return 0;
}

static void br_set_item(struct rank_state *st, uint32_t i, const struct rank_bvote *v, size_t n)
{
    const struct rank_bridge *br = &st->br;
    struct rank_item_result *r = &st->items[i];
    const float *ip = &br->ipar[(size_t)i * br->stride];
    rank_bridge_item_camp(br, v, n, ip, r);
    r->intercept = br->mu + ip[0];
    r->lean = sqrt(br_dot(ip, ip, br->dims));
}

void rank_bridge_run(struct rank_state *st, const struct rank_warm *warm)
{
    const struct rank_snapshot *s = st->snap;
    struct rank_bridge *br = &st->br;
    *br = (struct rank_bridge){.nmembers = s->nmembers, .nitems = s->nitems,
                               .dims = st->p.bridge_dims, .stride = st->p.bridge_dims + 1,
                               .p = &st->p, .st = st};
    if (br->dims < 1) {
        return;
    }
    br->istart = st->votes_by_item.start; /* borrowed: bvotes share its positions */
    br->ivotes = st->bvotes;
    br->mpar = rank_array((s->nmembers + 1) * (size_t)br->stride, sizeof(float));
    br->ipar = rank_array((s->nitems + 1) * (size_t)br->stride, sizeof(float));
    struct rank_groups by_member = {0};
    rank_group(s->nvotes, s->nmembers, br_member_key, br_member_rec, 8, st, st->nthreads,
               &by_member);
    rank_bridge_fit_grouped(br, &by_member, st->nthreads, warm);
    rank_groups_free(&by_member);
    br->ivotes = NULL;
    br->istart = NULL;
    double camp = 0; /* in item order: the same sum whatever the thread count */
    for (size_t i = 0; i < s->nitems; i++) {
        camp += st->items[i].camp_up + st->items[i].camp_down;
    }
    br->share = br->weight > 0 ? camp / br->weight : 0.0;
    br->applied = br->share >= st->p.bridge_min_share;
}

double rank_camp_share(const struct rank_state *st, bool *applied)
{
    *applied = st->br.applied;
    return st->br.share;
}

void rank_bridge_replay(struct rank_state *st, uint32_t item, const struct rank_bvote *v, size_t n)
{
    struct rank_bridge *br = &st->br;
    if (br->mpar == NULL) {
        return;
    }
    rank_bridge_item_solve(br, v, n, &br->ipar[(size_t)item * br->stride]);
    br_set_item(st, item, v, n);
}

double rank_member_factor(const struct rank_state *st, size_t member)
{
    return st->br.mpar != NULL ? st->br.mpar[member * (size_t)st->br.stride + 1] : 0.0;
}

struct rank_warm *rank_warm_take(const struct rank_state *prev, const uint32_t *item_from,
                                 size_t nitems)
{
    if (prev == NULL || prev->br.ipar == NULL) {
        return NULL;
    }
    const struct rank_bridge *br = &prev->br;
    struct rank_warm *w = xcalloc(1, sizeof(*w));
    *w = (struct rank_warm){br->dims, br->stride, nitems,
                            xcalloc((nitems + 1) * (size_t)br->stride, sizeof(float)),
                            xcalloc(nitems + 1, sizeof(bool))};
    for (size_t i = 0; i < nitems; i++) {
        size_t from = item_from != NULL ? item_from[i] : i;
        if (from < br->nitems) {
            memcpy(&w->ipar[i * (size_t)w->stride], &br->ipar[from * (size_t)br->stride],
                   (size_t)br->stride * sizeof(float));
            w->known[i] = true;
        }
    }
    return w;
}

void rank_warm_free(struct rank_warm *w)
{
    if (w != NULL) {
        free(w->ipar);
        free(w->known);
        free(w);
    }
}
