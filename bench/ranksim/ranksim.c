/* ranksim: the gaming-attack benchmark of RANKING.md. Deterministic from --seed.
 * Prints a Markdown table (or CSV with --csv) of scenario x algorithm x metric, and with
 * --scale the full-recompute and incremental-vote timings at 1M members / 10M votes. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../../src/core/util.h"
#include "sim.h"

static const char usage[] =
    "usage: ranksim [--seed N] [--graph FILE | --members U] [--scenario clean|sybil|ring|brigade|\n"
    "               offtopic|selfpromo|followspam|endorsering|friendlyring|faction|all] [--sybils N] [--attack-edges K] [--ring R]\n"
    "               [--brigade B] [--items M] [--rounds T] [--quick] [--csv] [--scale]\n               [--with-posterior]\n";

struct opts {
    uint64_t seed;
    const char *graph, *scenario;
    size_t members, items, sybils, attack_edges, ring, brigade;
    int rounds;
    bool quick, csv, scale, posterior;
};

static bool num(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = s ? strtoull(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end != '\0') {
        return false;
    }
    *out = (size_t)v;
    return true;
}

static int parse(int argc, char **argv, struct opts *o)
{
    *o = (struct opts){1, NULL, "all", 20000, 2000, 1000, 10, 30, 30, 48, false, false, false, false};
    bool members_set = false, items_set = false, rounds_set = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t x;
        if (strcmp(a, "--quick") == 0) {
            o->quick = true;
        } else if (strcmp(a, "--csv") == 0) {
            o->csv = true;
        } else if (strcmp(a, "--with-posterior") == 0) {
            o->posterior = true;
        } else if (strcmp(a, "--scale") == 0) {
            o->scale = true;
        } else if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            exit(0);
        } else if (v != NULL && strcmp(a, "--graph") == 0) {
            o->graph = v, i++;
        } else if (v != NULL && strcmp(a, "--scenario") == 0) {
            o->scenario = v, i++;
        } else if (num(v, &x) && strcmp(a, "--seed") == 0) {
            o->seed = x, i++;
        } else if (num(v, &x) && strcmp(a, "--members") == 0) {
            o->members = x, i++, members_set = true;
        } else if (num(v, &x) && strcmp(a, "--items") == 0) {
            o->items = x, i++, items_set = true;
        } else if (num(v, &x) && strcmp(a, "--rounds") == 0) {
            o->rounds = (int)x, i++, rounds_set = true;
        } else if (num(v, &x) && strcmp(a, "--sybils") == 0) {
            o->sybils = x, i++;
        } else if (num(v, &x) && strcmp(a, "--attack-edges") == 0) {
            o->attack_edges = x, i++;
        } else if (num(v, &x) && strcmp(a, "--ring") == 0) {
            o->ring = x, i++;
        } else if (num(v, &x) && strcmp(a, "--brigade") == 0) {
            o->brigade = x, i++;
        } else {
            fprintf(stderr, "ranksim: bad argument '%s'\n%s", a, usage);
            return 2;
        }
    }
    if (o->quick) {
        o->members = members_set ? o->members : 4000;
        o->items = items_set ? o->items : 400;
        o->rounds = rounds_set ? o->rounds : 24;
    }
    if (o->members < 50 || o->items < 20 || o->rounds < 8 || o->rounds > 1000 ||
        o->ring + o->brigade + 10 > o->members / 2) {
        fprintf(stderr, "ranksim: need --members >= 50, --items >= 20, 8 <= --rounds <= 1000 "
                        "and attack casts smaller than half the members\n");
        return 2;
    }
    return 0;
}

int scale_run(uint64_t seed); /* scale.c */

/* The runs of one invocation: every scenario x algorithm is its own world, so they run on
 * worker threads (one per core, RANKSIM_JOBS=N to choose; 1 when a RANKSIM_DEBUG or
 * RANKSIM_TOP print is asked for, so its lines do not interleave) and are printed in order
 * as each finishes. The engine's own threads run inside each. Lives on main's stack. */
struct run_queue {
    const struct sim_config *cfg;
    int first, nalg;
    size_t n, next;   /* runs, the next to hand out */
    struct sim_result *res;
    bool *done;
    pthread_mutex_t lock;
    pthread_cond_t finished;
};

static void *run_worker(void *arg)
{
    struct run_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t i = q->next < q->n ? q->next++ : q->n;
        pthread_mutex_unlock(&q->lock);
        if (i == q->n) {
            return NULL;
        }
        struct sim_result res;
        sim_run(q->cfg, (enum scenario)(q->first + (int)i / q->nalg),
                (enum algorithm)(i % (size_t)q->nalg), &res);
        pthread_mutex_lock(&q->lock);
        q->res[i] = res;
        q->done[i] = true;
        pthread_cond_broadcast(&q->finished);
        pthread_mutex_unlock(&q->lock);
    }
}

static void print_result(int sc, int alg, const struct sim_result *res, bool csv)
{
    printf(csv ? "%s,%s,%.4f,%d,%.2f,%.3f,%.2f\n"
               : "| %s | %s | %.4f | %d | %.2f | %.3f | %.2f |\n",
           scenario_names[sc], algorithm_names[alg], res->ndcg10, res->target_best_rank,
           res->attacker_top10_share, res->honest_weight_kept, res->ms);
    if (res->oracle_ndcg10 >= 0) { /* a reference row: no list of its own to attack */
        printf(csv ? "%s,posterior_oracle,%.4f,-1,0.00,1.000,0.00\n"
                   : "| %s | posterior_oracle | %.4f | -1 | 0.00 | 1.000 | 0.00 |\n",
               scenario_names[sc], res->oracle_ndcg10);
    }
    fflush(stdout);
}

static int worker_count(size_t runs)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (getenv("RANKSIM_JOBS") != NULL) {
        n = atol(getenv("RANKSIM_JOBS"));
    }
    if (getenv("RANKSIM_DEBUG") != NULL || getenv("RANKSIM_TOP") != NULL) {
        n = 1;
    }
    n = n < 1 ? 1 : n > 16 ? 16 : n;
    return (int)((size_t)n < runs ? (size_t)n : runs);
}

static void run_all(const struct sim_config *cfg, int first, int last, bool csv)
{
    int nalg = cfg->posterior ? ALG_COUNT : ALG_POSTERIOR;
    size_t n = (size_t)(last - first + 1) * (size_t)nalg;
    int nworkers = worker_count(n);
    /* with runs side by side, the engine's own threads would only contend with them (19 s
     * for the quick run with both, 8 s with one engine thread per run, on 2 cores) */
    struct sim_config c = *cfg;
    c.engine_threads = nworkers > 1 ? 1 : 0;
    struct run_queue q = {&c, first, nalg, n, 0, NULL, NULL, PTHREAD_MUTEX_INITIALIZER,
                          PTHREAD_COND_INITIALIZER};
    q.res = xcalloc(q.n, sizeof(*q.res));
    q.done = xcalloc(q.n, sizeof(*q.done));
    pthread_t *workers = xcalloc((size_t)nworkers, sizeof(*workers));
    for (int t = 0; t < nworkers; t++) {
        if (pthread_create(&workers[t], NULL, run_worker, &q) != 0) {
            abort();
        }
    }
    for (size_t i = 0; i < q.n; i++) {
        pthread_mutex_lock(&q.lock);
        while (!q.done[i]) {
            pthread_cond_wait(&q.finished, &q.lock);
        }
        struct sim_result res = q.res[i];
        pthread_mutex_unlock(&q.lock);
        print_result(first + (int)i / q.nalg, (int)(i % (size_t)q.nalg), &res, csv);
    }
    for (int t = 0; t < nworkers; t++) {
        pthread_join(workers[t], NULL);
    }
    free(workers);
    free(q.res);
    free(q.done);
}

int main(int argc, char **argv)
{
    struct opts o;
    int rc = parse(argc, argv, &o);
    if (rc != 0) {
        return rc;
    }
    if (o.scale) {
        return scale_run(o.seed);
    }
    int first = 0, last = SC_COUNT - 1;
    if (strcmp(o.scenario, "all") != 0) {
        for (first = 0; first < SC_COUNT && strcmp(scenario_names[first], o.scenario) != 0; first++) {
        }
        if (first == SC_COUNT) {
            fprintf(stderr, "ranksim: unknown scenario '%s'\n%s", o.scenario, usage);
            return 2;
        }
        last = first;
    }
    struct graph g;
    struct rng r = {o.seed * 7919 + 13};
    if (o.graph != NULL) {
        if (graph_load(o.graph, o.members, &g) != 0) {
            return 1;
        }
    } else {
        graph_synthetic(o.members, 3, &r, &g);
    }
    struct sim_config cfg = {o.seed, &g, o.items, o.rounds, o.sybils, o.attack_edges, o.ring,
                             o.brigade, o.posterior, 0};
    printf("%sranksim seed=%llu graph=%s members=%zu edges=%zu items=%zu rounds=%d sybils=%zu "
           "attack_edges=%zu ring=%zu brigade=%zu\n",
           o.csv ? "# " : "", (unsigned long long)o.seed, o.graph ? o.graph : "synthetic-pa3",
           g.n, g.nedges, o.items, o.rounds, o.sybils, o.attack_edges, o.ring, o.brigade);
    if (o.csv) {
        puts("scenario,algorithm,ndcg10,target_best_rank,attacker_top10_share,honest_weight_kept,ms");
    } else {
        puts("\n| scenario | algorithm | ndcg10 | target_best_rank | attacker_top10_share | "
             "honest_weight_kept | ms |\n|---|---|---|---|---|---|---|");
    }
    run_all(&cfg, first, last, o.csv);
    graph_free(&g);
    return 0;
}
