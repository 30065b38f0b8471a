/* Who to follow, for the page and the API: the relationship graph kept in memory (rebuilt
 * when something was written, at most once a second), src/social's suggestions on it, then
 * what the graph does not hold: people the member interacts with, people who share on topics
 * the member reads, and, for a member who follows nobody yet, the guild's most influential. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "../social/social.h"
#include "app.h"

#define GRAPH_MIN_AGE 1    /* seconds between rebuilds */
#define TRUST_FLOOR 0.05   /* "trust near zero": never suggested (members the ranker scored) */
#define GRAPH_CANDIDATES 60

/* One immutable build of the graph, shared by requests (refs) until a newer one replaces it. */
struct people_graph {
    int refs;
    struct arena arena; /* handles and the store's rows */
    struct store_people_data d;
    struct social_adj adj;
    bool *excluded;           /* spammers, barred, no standing */
    uint64_t *shared, *read;  /* topic bits (rules_tags) */
    struct social_adj talk;   /* comments: out = whose posts m comments on, in = who on m's */
    uint32_t *by_influence;   /* members with influence, the most first */
    size_t ninfluential;
    uint64_t seq;
    int64_t built_at;
};

struct app_people {
    pthread_mutex_t mu;
    struct people_graph *cur;
    bool building; /* a request is building a newer graph: others use cur meanwhile */
};

struct app_people *app_people_new(void)
{
    struct app_people *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    return p;
}

static void graph_unref(struct app_people *p, struct people_graph *g)
{
    pthread_mutex_lock(&p->mu);
    bool last = g != NULL && --g->refs == 0;
    pthread_mutex_unlock(&p->mu);
    if (last) {
        social_adj_free(&g->adj);
        social_adj_free(&g->talk);
        free(g->excluded), free(g->shared), free(g->read), free(g->by_influence);
        arena_fini(&g->arena);
        free(g);
    }
}

void app_people_free(struct app_people *p)
{
    if (p == NULL) {
        return;
    }
    graph_unref(p, p->cur);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = ((const struct store_people_member *)a)->id;
    int64_t y = ((const struct store_people_member *)b)->id;
    return (x > y) - (x < y);
}

static uint32_t index_of(const struct people_graph *g, int64_t id)
{
    struct store_people_member key = {.id = id};
    const struct store_people_member *m =
        bsearch(&key, g->d.members, g->d.nmembers, sizeof(key), cmp_id);
    return m != NULL ? (uint32_t)(m - g->d.members) : UINT32_MAX;
}

static uint64_t tag_bits(const char *tags)
{
    uint64_t bits = 0;
    for (size_t t = 0; rules_tags[t] != NULL && t < 64; t++) {
        size_t n = strlen(rules_tags[t]);
        for (const char *p = strstr(tags, rules_tags[t]); p != NULL; p = strstr(p + 1, rules_tags[t])) {
            if ((p == tags || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ')) {
                bits |= 1ULL << t;
                break;
            }
        }
    }
    return bits;
}

/* Edges by id -> by index (dropping any that name a member newer than the load). */
static struct social_edge *to_index(const struct people_graph *g, const struct store_rank_edge *e,
                                    size_t n, size_t *kept)
{
    struct social_edge *out = xmalloc((n + 1) * sizeof(*out));
    *kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = index_of(g, e[i].a), b = index_of(g, e[i].b);
        if (a != UINT32_MAX && b != UINT32_MAX) {
            out[(*kept)++] = (struct social_edge){a, b};
        }
    }
    return out;
}

static const struct store_people_member *sort_members; /* for qsort; under build_mu */
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;

static int by_influence_desc(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    double ix = sort_members[x].influence, iy = sort_members[y].influence;
    return ix != iy ? (ix > iy ? -1 : 1) : (x > y) - (x < y);
}

static void derive(struct people_graph *g)
{
    size_t n = g->d.nmembers, nf, nt, ni;
    struct social_edge *f = to_index(g, g->d.follows, g->d.nfollows, &nf);
    struct social_edge *t = to_index(g, g->d.ties, g->d.nties, &nt);
    struct social_edge *in = to_index(g, g->d.interactions, g->d.ninteractions, &ni);
    struct social_graph sg = {n, f, nf, t, nt};
    social_adj_build(&sg, &g->adj);
    struct social_graph talk = {n, in, ni, NULL, 0};
    social_adj_build(&talk, &g->talk);
    free(f), free(t), free(in);
    g->by_influence = xmalloc((n + 1) * sizeof(*g->by_influence));
    for (size_t m = 0; m < n; m++) {
        if (g->d.members[m].influence > 0) {
            g->by_influence[g->ninfluential++] = (uint32_t)m;
        }
    }
    sort_members = g->d.members;
    qsort(g->by_influence, g->ninfluential, sizeof(*g->by_influence), by_influence_desc);
    g->excluded = xcalloc(n + 1, sizeof(*g->excluded));
    for (size_t m = 0; m < n; m++) {
        const struct store_people_member *pm = &g->d.members[m];
        bool scored = g->d.ranked_at > 0 && pm->created_at < g->d.ranked_at;
        g->excluded[m] = pm->barred || (scored && pm->trust < TRUST_FLOOR) ||
                         social_follow_spammer(g->adj.out_at[m + 1] - g->adj.out_at[m],
                                               g->adj.in_at[m + 1] - g->adj.in_at[m]);
    }
    g->shared = xcalloc(n + 1, sizeof(*g->shared));
    g->read = xcalloc(n + 1, sizeof(*g->read));
    for (size_t i = 0; i < g->d.nshared; i++) {
        uint32_t m = index_of(g, g->d.shared[i].user_id);
        if (m != UINT32_MAX) {
            g->shared[m] |= tag_bits(g->d.shared[i].tags);
        }
    }
    for (size_t i = 0; i < g->d.nread; i++) {
        uint32_t m = index_of(g, g->d.read[i].user_id);
        if (m != UINT32_MAX) {
            g->read[m] |= tag_bits(g->d.read[i].tags);
        }
    }
}

/* The current graph (a reference: graph_unref it), rebuilt first when stale. One request
 * rebuilds at a time; the others keep using the graph they have meanwhile. */
static int graph_get(struct app_people *p, struct store *db, int64_t now, struct people_graph **out)
{
    uint64_t seq = store_write_seq();
    pthread_mutex_lock(&p->mu);
    struct people_graph *g = p->cur;
    bool fresh = g != NULL && (g->seq == seq || now - g->built_at < GRAPH_MIN_AGE);
    bool build = !fresh && (g == NULL || !p->building);
    if (g != NULL) {
        g->refs++;
    }
    p->building |= build;
    pthread_mutex_unlock(&p->mu);
    *out = g;
    if (!build) {
        return 0; /* fresh, or someone else is building a newer one */
    }
    struct people_graph *ng = xcalloc(1, sizeof(*ng));
    arena_init(&ng->arena);
    int rc = store_people_load(db, &ng->arena, now, &ng->d);
    if (rc != 0) {
        arena_fini(&ng->arena);
        free(ng);
        pthread_mutex_lock(&p->mu);
        p->building = false;
        pthread_mutex_unlock(&p->mu);
        return g != NULL ? 0 : rc; /* the older graph serves until the store answers */
    }
    pthread_mutex_lock(&build_mu);
    derive(ng);
    pthread_mutex_unlock(&build_mu);
    ng->seq = seq;
    ng->built_at = now;
    ng->refs = 2; /* the app's and this request's */
    pthread_mutex_lock(&p->mu);
    struct people_graph *old = p->cur;
    p->cur = ng;
    p->building = false;
    pthread_mutex_unlock(&p->mu);
    graph_unref(p, old);
    graph_unref(p, g);
    *out = ng;
    return 0;
}

/* A candidate being gathered: the graph's reasons and the others. */
struct cand {
    uint32_t m;
    double score;
    struct social_suggestion s; /* zero when the graph did not propose them */
    bool they_interact, you_interact, popular;
    uint64_t topics;
};

static struct cand *cand_of(struct cand *c, size_t *n, size_t cap, uint32_t m)
{
    for (size_t i = 0; i < *n; i++) {
        if (c[i].m == m) {
            return &c[i];
        }
    }
    if (*n == cap) {
        return NULL;
    }
    c[*n] = (struct cand){.m = m};
    return &c[(*n)++];
}

static bool may_suggest(const struct people_graph *g, const bool *ex, uint32_t u, uint32_t m)
{
    return m != u && !ex[m] &&
           !social_adj_has(g->adj.out, g->adj.out_at[u], g->adj.out_at[u + 1], m);
}

/* The candidates beyond the graph's: comments both ways, topics, then the influential. */
static void add_others(const struct people_graph *g, const bool *ex, uint32_t u, size_t k,
                       struct cand *c, size_t *n, size_t cap)
{
    const struct social_adj *t = &g->talk;
    for (size_t i = t->in_at[u]; i < t->in_at[u + 1]; i++) { /* they comment on u's posts */
        struct cand *x = may_suggest(g, ex, u, t->in[i]) ? cand_of(c, n, cap, t->in[i]) : NULL;
        if (x != NULL) {
            x->they_interact = true;
        }
    }
    for (size_t i = t->out_at[u]; i < t->out_at[u + 1]; i++) { /* u comments on theirs */
        struct cand *x = may_suggest(g, ex, u, t->out[i]) ? cand_of(c, n, cap, t->out[i]) : NULL;
        if (x != NULL) {
            x->you_interact = true;
        }
    }
    for (size_t m = 0; m < g->d.nmembers && g->read[u] != 0; m++) {
        uint64_t bits = g->shared[m] & g->read[u];
        struct cand *x = bits && may_suggest(g, ex, u, (uint32_t)m)
                             ? cand_of(c, n, cap, (uint32_t)m) : NULL;
        if (x != NULL) {
            x->topics = bits;
        }
    }
    for (size_t i = 0; *n < k && i < g->ninfluential; i++) { /* a member who follows nobody */
        uint32_t m = g->by_influence[i];
        struct cand *x = may_suggest(g, ex, u, m) ? cand_of(c, n, cap, m) : NULL;
        if (x != NULL) {
            x->popular = true;
        }
    }
}

static double cand_score(const struct cand *x, const struct people_graph *g)
{
    int topics = 0;
    for (uint64_t bits = x->topics; bits != 0; bits &= bits - 1) {
        topics++;
    }
    return x->s.score + 0.8 * x->they_interact + 0.4 * x->you_interact +
           0.25 * (topics < 3 ? topics : 3) + (x->popular ? 0.01 * g->d.members[x->m].influence : 0);
}

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    return x->score != y->score ? (x->score > y->score ? -1 : 1) : (x->m > y->m) - (x->m < y->m);
}

/* "pricing", "pricing and seo": the first two topics of bits. */
static const char *topic_words(struct arena *a, uint64_t bits)
{
    const char *first = NULL, *second = NULL;
    for (size_t t = 0; rules_tags[t] != NULL && t < 64 && second == NULL; t++) {
        if (bits & (1ULL << t)) {
            *(first == NULL ? &first : &second) = rules_tags[t];
        }
    }
    return second ? arena_printf(a, "%s and %s", first, second) : first;
}

static const char *followed_by_words(struct arena *a, const struct people_graph *g,
                                     const struct social_suggestion *s)
{
    const char *names = g->d.members[s->via[0]].handle;
    if (s->followed_by == 1) {
        return arena_printf(a, "Followed by %s, whom you follow", names);
    }
    for (uint32_t i = 1; i < s->nvia; i++) {
        names = arena_printf(a, "%s, %s", names, g->d.members[s->via[i]].handle);
    }
    return arena_printf(a, "Followed by %u people you follow: %s%s", s->followed_by, names,
                        s->followed_by > s->nvia ? ", \u2026" : "");
}

/* Each reason in a sentence, the strongest first. */
static void reasons(struct arena *a, const struct people_graph *g, const struct cand *x,
                    struct app_suggestion *out)
{
    const struct social_suggestion *s = &x->s;
    size_t n = 0;
    const char **r = out->reasons;
    if (s->connected) {
        r[n++] = "You are connected";
    }
    if (s->followed_by > 0 && s->nvia > 0) {
        r[n++] = followed_by_words(a, g, s);
    }
    if (s->follows_you) {
        r[n++] = "Follows you";
    }
    if (x->they_interact) {
        r[n++] = "Comments on what you share";
    }
    if (x->you_interact) {
        r[n++] = "You comment on what they share";
    }
    if (x->topics) {
        r[n++] = arena_printf(a, "Shares on %s, which you read", topic_words(a, x->topics));
    }
    if (s->followers_follow > 0 && n < 4) { /* the weaker reasons only when few are said */
        r[n++] = s->followers_follow == 1 ? "Followed by one of your followers"
                                          : arena_printf(a, "Followed by %u of your followers",
                                                         s->followers_follow);
    }
    if (s->same_follows > 1 && n < 4) {
        r[n++] = arena_printf(a, "Follows %u of the people you follow", s->same_follows);
    }
    if (n == 0) {
        r[n++] = arena_printf(a, "Followed across the guild's communities (influence %.1f)",
                              g->d.members[x->m].influence);
    }
    out->nreasons = n;
}

int app_suggestions(struct app *app, struct http_request *rq, size_t k,
                    struct app_suggestion **out, size_t *nout)
{
    struct people_graph *g;
    struct store *db = http_db(rq);
    int64_t *dismissed;
    size_t nd;
    *out = NULL;
    *nout = 0;
    int rc = store_dismissed(db, &rq->arena, rq->user->id, &dismissed, &nd);
    if (rc != 0 || (rc = graph_get(app->people, db, rq->now, &g)) != 0) {
        return rc;
    }
    uint32_t u = index_of(g, rq->user->id);
    size_t n = g->d.nmembers, nc = 0, cap = GRAPH_CANDIDATES + k + 64;
    if (u == UINT32_MAX || k == 0) {
        graph_unref(app->people, g);
        return 0;
    }
    bool *ex = arena_alloc(&rq->arena, n + 1);
    memcpy(ex, g->excluded, n);
    for (size_t i = 0; i < nd; i++) {
        uint32_t m = index_of(g, dismissed[i]);
        if (m != UINT32_MAX) {
            ex[m] = true;
        }
    }
    struct social_suggest_opts o;
    social_suggest_default(&o);
    o.exclude = ex;
    struct social_scratch *scratch = social_scratch_new(n);
    struct social_suggestion top[GRAPH_CANDIDATES];
    size_t nt = social_suggest(&g->adj, &o, u, GRAPH_CANDIDATES, scratch, top);
    social_scratch_free(scratch);
    struct cand *c = arena_alloc(&rq->arena, cap * sizeof(*c));
    for (size_t i = 0; i < nt; i++) {
        c[nc++] = (struct cand){.m = top[i].member, .s = top[i]};
    }
    add_others(g, ex, u, k, c, &nc, cap);
    for (size_t i = 0; i < nc; i++) {
        c[i].score = cand_score(&c[i], g);
    }
    qsort(c, nc, sizeof(*c), cmp_cand);
    *nout = nc < k ? nc : k;
    *out = arena_alloc(&rq->arena, (*nout + 1) * sizeof(**out));
    for (size_t i = 0; i < *nout; i++) {
        (*out)[i] = (struct app_suggestion){arena_strdup(&rq->arena, g->d.members[c[i].m].handle),
                                            c[i].score, {NULL}, 0};
        reasons(&rq->arena, g, &c[i], &(*out)[i]);
    }
    graph_unref(app->people, g);
    return 0;
}
