/* build/suggestsim --graph FILE [--seed N] [--hide 0.2] [--users N] [--spam N] [--csv]
 *
 * Who-to-follow on a real directed graph (a follows b): samples members who follow at least
 * 10, hides a random share of each one's follows, asks every algorithm for 10 suggestions per
 * sampled member on the graph without the hidden edges, and counts how many hidden edges come
 * back. --spam N adds N accounts that each follow thousands of members, some of whom follow
 * back (a follow-back scheme); spam_in_top10 is the share of sampled members with one of them
 * among their 10. CSV: graph,algorithm,precision10,recall10,spam_in_top10,ms_per_user. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/core/util.h"
#include "suggestsim.h"

struct opts {
    const char *graph;
    uint64_t seed;
    double hide;
    size_t users, spam;
    bool csv;
};

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

struct edges {
    struct social_edge *e;
    size_t n, cap;
    uint32_t maxid;
};

static void push(struct edges *es, uint32_t a, uint32_t b)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 1 << 16;
        es->e = xrealloc(es->e, es->cap * sizeof(*es->e));
    }
    es->e[es->n++] = (struct social_edge){a, b};
    es->maxid = a > es->maxid ? a : es->maxid;
    es->maxid = b > es->maxid ? b : es->maxid;
}

static int load(const char *path, struct edges *es)
{
    if (strchr(path, '\'') != NULL) {
        fprintf(stderr, "suggestsim: bad graph path\n");
        return -1;
    }
    char cmd[1200];
    size_t len = strlen(path);
    snprintf(cmd, sizeof(cmd), "%s '%s'", len > 3 && strcmp(path + len - 3, ".gz") == 0
                                              ? "gzip -dc" : "cat", path);
    FILE *fp = popen(cmd, "r");
    char line[256];
    while (fp != NULL && fgets(line, sizeof(line), fp)) {
        unsigned long x, y;
        if (line[0] != '#' && sscanf(line, "%lu %lu", &x, &y) == 2 && x != y &&
            x < UINT32_MAX / 2 && y < UINT32_MAX / 2) {
            push(es, (uint32_t)x, (uint32_t)y);
        }
    }
    if (fp == NULL || pclose(fp) != 0 || es->n == 0) {
        fprintf(stderr, "suggestsim: no edges read from %s\n", path);
        return -1;
    }
    return 0;
}

/* Follow-back scheme: each spam account follows `reach` random members, a share follows it
 * back, and the spam accounts follow each other. */
static void add_spam(struct edges *es, size_t n, size_t spam, uint64_t *rng)
{
    size_t reach = n / 2 < 3000 ? n / 2 : 3000;
    for (size_t s = 0; s < spam; s++) {
        uint32_t a = (uint32_t)(n + s);
        for (size_t k = 0; k < reach; k++) {
            uint32_t m = (uint32_t)(rng_next(rng) % n);
            push(es, a, m);
            if (rng_next(rng) % 100 < 8) {
                push(es, m, a); /* 8% follow back */
            }
        }
        for (size_t t = 0; t < spam; t++) {
            if (t != s) {
                push(es, a, (uint32_t)(n + t));
            }
        }
    }
}

struct sample {
    uint32_t *users;
    size_t n;
    struct social_edge *hidden; /* sorted by from */
    size_t nhidden;
};

/* Picks members with at least 10 follows and hides a share of each one's follows: the edges
 * stay in es flagged by their position in keep[]. */
static void pick(const struct edges *es, size_t n, size_t honest, const struct opts *o,
                 uint64_t *rng, bool *keep, struct sample *sm)
{
    size_t *outdeg = xcalloc(n + 1, sizeof(*outdeg));
    for (size_t i = 0; i < es->n; i++) {
        outdeg[es->e[i].from]++;
    }
    uint32_t *pool = xmalloc((n + 1) * sizeof(*pool));
    size_t np = 0;
    for (size_t m = 0; m < honest; m++) { /* members, not the spam accounts */
        if (outdeg[m] >= 10) {
            pool[np++] = (uint32_t)m;
        }
    }
    for (size_t i = np; i > 1; i--) {
        size_t j = (size_t)(rng_next(rng) % i);
        uint32_t t = pool[i - 1];
        pool[i - 1] = pool[j], pool[j] = t;
    }
    sm->n = o->users < np ? o->users : np;
    sm->users = pool;
    bool *chosen = xcalloc(n + 1, sizeof(*chosen));
    for (size_t i = 0; i < sm->n; i++) {
        chosen[pool[i]] = true;
    }
    sm->hidden = xmalloc((es->n + 1) * sizeof(*sm->hidden));
    sm->nhidden = 0;
    for (size_t i = 0; i < es->n; i++) {
        keep[i] = true;
        if (chosen[es->e[i].from] && (double)(rng_next(rng) % 1000000) / 1e6 < o->hide) {
            keep[i] = false;
            sm->hidden[sm->nhidden++] = es->e[i];
        }
    }
    free(chosen);
    free(outdeg);
}

static int cmp_edge(const void *a, const void *b)
{
    const struct social_edge *x = a, *y = b;
    return x->from != y->from ? (x->from > y->from) - (x->from < y->from)
                              : (x->to > y->to) - (x->to < y->to);
}

static bool hidden_has(const struct sample *sm, uint32_t u, uint32_t v)
{
    struct social_edge key = {u, v};
    return bsearch(&key, sm->hidden, sm->nhidden, sizeof(key), cmp_edge) != NULL;
}

static size_t hidden_count(const struct sample *sm, uint32_t u)
{
    size_t k = 0;
    for (size_t i = 0; i < sm->nhidden; i++) {
        k += sm->hidden[i].from == u;
    }
    return k;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void run_algo(const struct sim_algo *a, const struct social_adj *g, const struct sample *sm,
                     const size_t *nhid, size_t honest, const char *gname, bool csv)
{
    void *ctx = a->setup(g);
    double prec = 0, rec = 0, t0 = now_ms();
    size_t with_spam = 0;
    for (size_t i = 0; i < sm->n; i++) {
        uint32_t u = sm->users[i], top[SIM_K];
        size_t n = a->top(ctx, g, u, top), hits = 0;
        bool spam = false;
        for (size_t k = 0; k < n; k++) {
            hits += hidden_has(sm, u, top[k]);
            spam |= top[k] >= honest;
        }
        prec += (double)hits / SIM_K;
        rec += nhid[i] ? (double)hits / (double)nhid[i] : 0;
        with_spam += spam;
    }
    double ms = (now_ms() - t0) / (double)(sm->n ? sm->n : 1);
    a->done(ctx);
    double d = sm->n ? (double)sm->n : 1;
    if (csv) {
        printf("%s,%s,%.4f,%.4f,%.4f,%.3f\n", gname, a->name, prec / d, rec / d,
               (double)with_spam / d, ms);
    } else {
        printf("%-18s %-17s precision@10 %.4f  recall@10 %.4f  spam_in_top10 %.3f  %.2f ms/user\n",
               gname, a->name, prec / d, rec / d, (double)with_spam / d, ms);
    }
    fflush(stdout);
}

static int parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){NULL, 1, 0.2, 500, 0, false};
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--csv") == 0) {
            o->csv = true;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "suggestsim: %s needs a value\n", argv[i]);
            return -1;
        }
        char *end = NULL;
        if (strcmp(argv[i], "--graph") == 0) {
            o->graph = v;
        } else if (strcmp(argv[i], "--seed") == 0) {
            o->seed = strtoull(v, &end, 10);
        } else if (strcmp(argv[i], "--hide") == 0) {
            o->hide = strtod(v, &end);
        } else if (strcmp(argv[i], "--users") == 0) {
            o->users = strtoull(v, &end, 10);
        } else if (strcmp(argv[i], "--spam") == 0) {
            o->spam = strtoull(v, &end, 10);
        } else {
            fprintf(stderr, "suggestsim: unknown option %s\n", argv[i]);
            return -1;
        }
        if (end != NULL && (*end != '\0' || end == v)) {
            fprintf(stderr, "suggestsim: bad value for %s: %s\n", argv[i], v);
            return -1;
        }
        i++;
    }
    if (o->graph == NULL || o->hide <= 0 || o->hide >= 1 || o->users == 0 || o->spam > 1000) {
        fprintf(stderr, "usage: suggestsim --graph FILE [--seed N] [--hide 0.2] [--users N] "
                        "[--spam N (<= 1000)] [--csv]\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    struct edges es = {0};
    if (parse(argc, argv, &o) != 0 || load(o.graph, &es) != 0) {
        return 2;
    }
    uint64_t rng = o.seed * 0x9e3779b97f4a7c15ULL + 1;
    size_t honest = (size_t)es.maxid + 1, n = honest + o.spam;
    add_spam(&es, honest, o.spam, &rng);
    bool *keep = xmalloc((es.n + 1) * sizeof(*keep));
    struct sample sm;
    pick(&es, n, honest, &o, &rng, keep, &sm);
    qsort(sm.hidden, sm.nhidden, sizeof(*sm.hidden), cmp_edge);
    size_t kept = 0;
    for (size_t i = 0; i < es.n; i++) {
        if (keep[i]) {
            es.e[kept++] = es.e[i];
        }
    }
    struct social_graph sg = {n, es.e, kept, NULL, 0};
    struct social_adj g;
    social_adj_build(&sg, &g);
    size_t *nhid = xcalloc(sm.n + 1, sizeof(*nhid));
    for (size_t i = 0; i < sm.n; i++) {
        nhid[i] = hidden_count(&sm, sm.users[i]);
    }
    const char *gname = strrchr(o.graph, '/') ? strrchr(o.graph, '/') + 1 : o.graph;
    if (o.csv) {
        printf("graph,algorithm,precision10,recall10,spam_in_top10,ms_per_user\n");
    } else {
        printf("%s: %zu members (+%zu spam), %zu follows kept, %zu hidden from %zu members, "
               "seed %llu\n", gname, honest, o.spam, kept, sm.nhidden, sm.n,
               (unsigned long long)o.seed);
    }
    const struct sim_algo *algos[] = {&sim_common_neighbors, &sim_adamic_adar, &sim_ppr,
                                      &sim_salsa, &sim_guild};
    for (size_t a = 0; a < sizeof(algos) / sizeof(algos[0]); a++) {
        run_algo(algos[a], &g, &sm, nhid, honest, gname, o.csv);
    }
    social_adj_free(&g);
    free(nhid), free(keep), free(sm.users), free(sm.hidden), free(es.e);
    return 0;
}
