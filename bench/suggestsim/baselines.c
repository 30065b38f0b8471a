/* The baselines: common neighbours and Adamic-Adar (on the graph taken as undirected),
 * personalised PageRank from the member (restart 0.15), and Twitter's WTF design (a circle
 * of trust by personalised PageRank, then SALSA on that circle and whom they follow). And
 * Guild's own, through src/social. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "suggestsim.h"

void sim_scores_init(struct sim_scores *s, size_t n)
{
    s->v = xcalloc(n + 1, sizeof(*s->v));
    s->touched = xmalloc((n + 1) * sizeof(*s->touched));
    s->ntouched = 0;
    s->n = n;
}

void sim_scores_fini(struct sim_scores *s)
{
    free(s->v);
    free(s->touched);
}

void sim_scores_add(struct sim_scores *s, uint32_t m, double x)
{
    if (s->v[m] == 0.0) {
        s->touched[s->ntouched++] = m;
    }
    s->v[m] += x;
    if (s->v[m] == 0.0) {
        s->v[m] = 1e-300; /* stays touched */
    }
}

void sim_scores_clear(struct sim_scores *s)
{
    for (size_t i = 0; i < s->ntouched; i++) {
        s->v[s->touched[i]] = 0.0;
    }
    s->ntouched = 0;
}

size_t sim_scores_top(const struct sim_scores *s, const struct social_adj *g, uint32_t u,
                      uint32_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ntouched; i++) {
        uint32_t c = s->touched[i];
        if (c == u || social_adj_has(g->out, g->out_at[u], g->out_at[u + 1], c)) {
            continue;
        }
        double v = s->v[c];
        size_t j = n < SIM_K ? n++ : SIM_K;
        if (j == SIM_K) {
            uint32_t w = out[SIM_K - 1];
            if (v < s->v[w] || (v == s->v[w] && c > w)) {
                continue;
            }
            j = SIM_K - 1;
        }
        for (; j > 0 && (v > s->v[out[j - 1]] || (v == s->v[out[j - 1]] && c < out[j - 1])); j--) {
            out[j] = out[j - 1];
        }
        out[j] = c;
    }
    return n;
}

/* ---- neighbourhood baselines: Γ(x) = followers and followees ---- */
static void *scores_setup(const struct social_adj *g)
{
    struct sim_scores *s = xmalloc(sizeof(*s));
    sim_scores_init(s, g->n);
    return s;
}

static void scores_done(void *ctx)
{
    sim_scores_fini(ctx);
    free(ctx);
}

static size_t degree(const struct social_adj *g, uint32_t z)
{
    return (g->out_at[z + 1] - g->out_at[z]) + (g->in_at[z + 1] - g->in_at[z]);
}

/* Every neighbour of every neighbour of u gets w(z) per shared neighbour z. */
static size_t neighbourhood(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out,
                            bool adamic)
{
    struct sim_scores *s = ctx;
    const uint32_t *lists[2] = {g->out, g->in};
    const size_t *at[2] = {g->out_at, g->in_at};
    for (int a = 0; a < 2; a++) {
        for (size_t i = at[a][u]; i < at[a][u + 1]; i++) {
            uint32_t z = lists[a][i];
            double w = adamic ? 1.0 / log((double)degree(g, z) + 1.0) : 1.0;
            for (int b = 0; b < 2; b++) {
                for (size_t j = at[b][z]; j < at[b][z + 1]; j++) {
                    sim_scores_add(s, lists[b][j], w);
                }
            }
        }
    }
    size_t n = sim_scores_top(s, g, u, out);
    sim_scores_clear(s);
    return n;
}

static size_t cn_top(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out)
{
    return neighbourhood(ctx, g, u, out, false);
}

static size_t aa_top(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out)
{
    return neighbourhood(ctx, g, u, out, true);
}

const struct sim_algo sim_common_neighbors = {"common_neighbors", scores_setup, cn_top,
                                              scores_done};
const struct sim_algo sim_adamic_adar = {"adamic_adar", scores_setup, aa_top, scores_done};

/* ---- personalised PageRank by forward push (Andersen, Chung, Lang 2006) ---- */
#define PPR_ALPHA 0.15
#define PPR_EPS 1e-7

struct ppr_ctx {
    struct sim_scores p, r;
    uint32_t *queue;
    bool *queued;
};

static void *ppr_setup(const struct social_adj *g)
{
    struct ppr_ctx *c = xcalloc(1, sizeof(*c));
    sim_scores_init(&c->p, g->n);
    sim_scores_init(&c->r, g->n);
    c->queue = xmalloc((g->n + 1) * sizeof(*c->queue));
    c->queued = xcalloc(g->n + 1, sizeof(*c->queued));
    return c;
}

static void ppr_done(void *ctx)
{
    struct ppr_ctx *c = ctx;
    sim_scores_fini(&c->p);
    sim_scores_fini(&c->r);
    free(c->queue);
    free(c->queued);
    free(c);
}

/* p: the approximate PageRank vector personalised on u (walks along follows; a member who
 * follows nobody sends the walk home). */
static void ppr_run(struct ppr_ctx *c, const struct social_adj *g, uint32_t u)
{
    size_t head = 0, tail = 0, cap = g->n + 1;
    sim_scores_add(&c->r, u, 1.0);
    c->queue[tail++ % cap] = u;
    c->queued[u] = true;
    while (head != tail) {
        uint32_t v = c->queue[head++ % cap];
        c->queued[v] = false;
        double rv = c->r.v[v];
        size_t d = g->out_at[v + 1] - g->out_at[v];
        if (rv < PPR_EPS * (double)(d ? d : 1)) {
            continue;
        }
        sim_scores_add(&c->p, v, PPR_ALPHA * rv);
        c->r.v[v] = 1e-300;
        double share = (1 - PPR_ALPHA) * rv;
        if (d == 0) {
            sim_scores_add(&c->r, u, share);
            if (!c->queued[u]) {
                c->queued[u] = true, c->queue[tail++ % cap] = u;
            }
            continue;
        }
        for (size_t j = g->out_at[v]; j < g->out_at[v + 1]; j++) {
            uint32_t w = g->out[j];
            sim_scores_add(&c->r, w, share / (double)d);
            size_t dw = g->out_at[w + 1] - g->out_at[w];
            if (!c->queued[w] && c->r.v[w] >= PPR_EPS * (double)(dw ? dw : 1)) {
                c->queued[w] = true, c->queue[tail++ % cap] = w;
            }
        }
    }
}

static size_t ppr_top(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out)
{
    struct ppr_ctx *c = ctx;
    ppr_run(c, g, u);
    size_t n = sim_scores_top(&c->p, g, u, out);
    sim_scores_clear(&c->p);
    sim_scores_clear(&c->r);
    return n;
}

const struct sim_algo sim_ppr = {"ppr", ppr_setup, ppr_top, ppr_done};

/* ---- WTF: circle of trust (top SALSA_CIRCLE by PPR), then SALSA on the bipartite graph of
 * the circle (hubs) and whom they follow (authorities) ---- */
#define SALSA_CIRCLE 500
#define SALSA_ROUNDS 2 /* its best on both graphs among 1, 2, 3 and 10 (seed 7) */

struct salsa_ctx {
    struct ppr_ctx *ppr;
    struct sim_scores hub, auth, next;
    uint32_t *circle;
};

static void *salsa_setup(const struct social_adj *g)
{
    struct salsa_ctx *c = xcalloc(1, sizeof(*c));
    c->ppr = ppr_setup(g);
    sim_scores_init(&c->hub, g->n);
    sim_scores_init(&c->auth, g->n);
    sim_scores_init(&c->next, g->n);
    c->circle = xmalloc(SALSA_CIRCLE * sizeof(*c->circle));
    return c;
}

static void salsa_done(void *ctx)
{
    struct salsa_ctx *c = ctx;
    ppr_done(c->ppr);
    sim_scores_fini(&c->hub), sim_scores_fini(&c->auth), sim_scores_fini(&c->next);
    free(c->circle);
    free(c);
}

static const double *sort_key;
static int by_key_desc(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return sort_key[x] != sort_key[y] ? (sort_key[x] > sort_key[y] ? -1 : 1) : (x > y) - (x < y);
}

/* One SALSA step each way; hub and auth scores stay within the circle and its follows. */
static void salsa_round(struct salsa_ctx *c, const struct social_adj *g, size_t nc,
                        const bool *in_circle)
{
    for (size_t i = 0; i < nc; i++) { /* hubs spread over whom they follow */
        uint32_t h = c->circle[i];
        size_t d = g->out_at[h + 1] - g->out_at[h];
        for (size_t j = g->out_at[h]; d > 0 && j < g->out_at[h + 1]; j++) {
            sim_scores_add(&c->next, g->out[j], c->hub.v[h] / (double)d);
        }
    }
    sim_scores_clear(&c->auth);
    for (size_t i = 0; i < c->next.ntouched; i++) {
        sim_scores_add(&c->auth, c->next.touched[i], c->next.v[c->next.touched[i]]);
    }
    sim_scores_clear(&c->next);
    for (size_t i = 0; i < c->auth.ntouched; i++) { /* authorities back to their hubs */
        uint32_t a = c->auth.touched[i];
        size_t d = 0;
        for (size_t j = g->in_at[a]; j < g->in_at[a + 1]; j++) {
            d += in_circle[g->in[j]];
        }
        for (size_t j = g->in_at[a]; d > 0 && j < g->in_at[a + 1]; j++) {
            if (in_circle[g->in[j]]) {
                sim_scores_add(&c->next, g->in[j], c->auth.v[a] / (double)d);
            }
        }
    }
    sim_scores_clear(&c->hub);
    for (size_t i = 0; i < c->next.ntouched; i++) {
        sim_scores_add(&c->hub, c->next.touched[i], c->next.v[c->next.touched[i]]);
    }
    sim_scores_clear(&c->next);
}

static size_t salsa_top(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out)
{
    struct salsa_ctx *c = ctx;
    ppr_run(c->ppr, g, u);
    struct sim_scores *p = &c->ppr->p;
    sort_key = p->v;
    qsort(p->touched, p->ntouched, sizeof(*p->touched), by_key_desc);
    size_t nc = p->ntouched < SALSA_CIRCLE ? p->ntouched : SALSA_CIRCLE;
    bool *in_circle = xcalloc(g->n + 1, sizeof(*in_circle));
    for (size_t i = 0; i < nc; i++) {
        c->circle[i] = p->touched[i];
        in_circle[c->circle[i]] = true;
        sim_scores_add(&c->hub, c->circle[i], p->v[c->circle[i]]);
    }
    sim_scores_clear(&c->ppr->p);
    sim_scores_clear(&c->ppr->r);
    for (int r = 0; r < SALSA_ROUNDS; r++) {
        salsa_round(c, g, nc, in_circle);
    }
    size_t n = sim_scores_top(&c->auth, g, u, out);
    sim_scores_clear(&c->auth);
    sim_scores_clear(&c->hub);
    free(in_circle);
    return n;
}

const struct sim_algo sim_salsa = {"salsa", salsa_setup, salsa_top, salsa_done};

/* ---- Guild: src/social's suggestions, follow spammers left out ---- */
struct guild_ctx {
    struct social_suggest_opts o;
    struct social_scratch *scratch;
    bool *spammer;
    struct social_suggestion top[SIM_K];
};

static void *guild_setup(const struct social_adj *g)
{
    struct guild_ctx *c = xcalloc(1, sizeof(*c));
    social_suggest_default(&c->o);
    c->spammer = xcalloc(g->n + 1, sizeof(*c->spammer));
    for (size_t m = 0; m < g->n; m++) {
        c->spammer[m] = social_follow_spammer(g->out_at[m + 1] - g->out_at[m],
                                              g->in_at[m + 1] - g->in_at[m]);
    }
    c->o.exclude = c->spammer;
    c->scratch = social_scratch_new(g->n);
    return c;
}

static size_t guild_top(void *ctx, const struct social_adj *g, uint32_t u, uint32_t *out)
{
    struct guild_ctx *c = ctx;
    size_t n = social_suggest(g, &c->o, u, SIM_K, c->scratch, c->top);
    for (size_t i = 0; i < n; i++) {
        out[i] = c->top[i].member;
    }
    return n;
}

static void guild_done(void *ctx)
{
    struct guild_ctx *c = ctx;
    social_scratch_free(c->scratch);
    free(c->spammer);
    free(c);
}

const struct sim_algo sim_guild = {"guild", guild_setup, guild_top, guild_done};
