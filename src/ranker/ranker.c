#include "ranker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/metrics.h"
#include "../core/util.h"
#include "../rank/rank.h"
#include "ranker_int.h"

#define RANKER_WRITE_BATCH 500 /* items a statement (on PostgreSQL; one each on SQLite) */

/* Writes items [from, from + n) of a finished run in one call. */
static int ranker_write_batch(struct store *s, const struct ranker_snap *rs,
                              const struct rank_state *st, size_t from, size_t n, int64_t now)
{
    struct arena a; /* the batch's explanations, about 1 KB each */
    arena_init(&a);
    struct store_rank_score *rows = arena_alloc(&a, n * sizeof(*rows));
    struct buf explain;
    buf_init(&explain, 0);
    for (size_t k = 0; k < n; k++) {
        const struct rank_item_result *r = rank_item_get(st, from + k);
        buf_reset(&explain);
        rank_explain_json(st, from + k, &explain);
        rows[k] = (struct store_rank_score){rs->item_ids[from + k], r->bound, r->hot, r->mean,
                                            arena_strdup(&a, buf_cstr(&explain))};
    }
    buf_fini(&explain);
    int rc = store_rank_write_many(s, rows, n, now);
    arena_fini(&a);
    return rc;
}

/* Each member's influence from the follows, its followers' standing being their trust now
 * (docs/influence.md): communities over follows and trust ties. */
static void ranker_influence(const struct ranker_snap *rs, const double *trust, double *influence)
{
    struct social_edge *ties = xmalloc((rs->nedges + 1) * sizeof(*ties));
    for (size_t k = 0; k < rs->nedges; k++) {
        ties[k] = (struct social_edge){rs->edges[k].a, rs->edges[k].b};
    }
    struct social_graph g = {rs->nmember_ids, rs->follows, rs->nfollows, ties, rs->nedges};
    struct social_adj adj;
    social_adj_build(&g, &adj);
    uint32_t *label = xmalloc((rs->nmember_ids + 1) * sizeof(*label));
    social_communities(&adj, 1, label);
    social_influence(&adj, label, trust, influence);
    free(label);
    free(ties);
    social_adj_free(&adj);
}

/* Writes every item's scores and every member's trust and influence from a finished run. The
 * influence is computed first: the write transaction (on SQLite, the process's writer lock)
 * is held for the writes only. */
static int ranker_write_all(struct store *s, const struct ranker_snap *rs,
                            const struct rank_state *st, int64_t now)
{
    size_t nm = rs->nmember_ids;
    double *trust = xcalloc(nm + 1, sizeof(*trust)), *influence = xcalloc(nm + 1, sizeof(*trust));
    for (size_t m = 0; m < nm; m++) {
        trust[m] = rank_member_trust(st, m);
    }
    ranker_influence(rs, trust, influence);
    int rc = store_tx_begin(s);
    for (size_t i = 0; i < rs->nitem_ids && rc == 0; i += RANKER_WRITE_BATCH) {
        size_t n = rs->nitem_ids - i < RANKER_WRITE_BATCH ? rs->nitem_ids - i : RANKER_WRITE_BATCH;
        rc = ranker_write_batch(s, rs, st, i, n, now);
    }
    if (rc == 0 && nm > 0) {
        rc = store_rank_write_trusts(s, rs->member_ids, trust, nm);
    }
    if (rc == 0 && nm > 0) {
        rc = store_rank_write_influence(s, rs->member_ids, influence, nm);
    }
    free(influence);
    free(trust);
    rc = rc == 0 ? store_tx_commit(s) : rc;
    if (rc != 0) {
        store_tx_rollback(s);
    }
    return rc;
}

/* The last run's item factors, for the next run's warm start (rank.h), mapped by item id:
 * the last run's snapshot is only read (the ranker thread alone replaces it), its state's
 * factors are written by incremental updates, so they are copied under mu. */
struct ranker_last {
    const struct ranker_snap *snap;
    const struct rank_state *state;
    pthread_mutex_t *mu;
};

static struct rank_warm *ranker_warm(const struct ranker_last *last, const struct ranker_snap *rs)
{
    if (last == NULL || last->state == NULL) {
        return NULL;
    }
    uint32_t *from = xmalloc((rs->nitem_ids + 1) * sizeof(*from));
    for (size_t i = 0; i < rs->nitem_ids; i++) {
        from[i] = ranker_index(last->snap->item_ids, last->snap->nitem_ids, rs->item_ids[i]);
    }
    pthread_mutex_lock(last->mu);
    struct rank_warm *w = rank_warm_take(last->state, from, rs->nitem_ids);
    pthread_mutex_unlock(last->mu);
    free(from);
    return w;
}

/* A full run (from the last run's factors when there is one). OUT: the snapshot and state
 * (caller frees), unless the store failed. */
static int ranker_full(struct store *s, int64_t now, const struct ranker_last *last,
                       struct ranker_snap *rs, struct rank_state **state)
{
    struct arena a;
    arena_init(&a);
    struct store_rank_data d;
    int rc = store_rank_load(s, &a, &d);
    if (rc == 0) {
        ranker_snap_build(rs, &d, now);
        struct rank_params p;
        rank_params_default(&p);
        struct rank_warm *warm = ranker_warm(last, rs);
        rc = rank_run_warm(&rs->snap, &p, warm, state);
        rank_warm_free(warm);
        if (rc == 0) {
            rc = ranker_write_all(s, rs, *state, now);
        }
        if (rc != 0) {
            rank_state_free(*state);
            *state = NULL;
            ranker_snap_free(rs);
        }
    }
    arena_fini(&a); /* the snapshot holds copies, not pointers into the arena */
    return rc;
}

int ranker_run_once(struct store *s, int64_t now, size_t *nitems)
{
    struct ranker_snap rs;
    struct rank_state *st = NULL;
    int rc = ranker_full(s, now, NULL, &rs, &st);
    if (rc == 0) {
        *nitems = rs.nitem_ids;
        rank_state_free(st);
        ranker_snap_free(&rs);
    }
    return rc;
}

struct ranker {
    pthread_t thread;
    pthread_mutex_t mu;    /* guards everything below */
    pthread_cond_t cv;
    struct store_pool *pool;
    int interval;
    bool poked, stop;
    char holder[33];  /* this process's name on the "ranker" lease (random) */
    double last_run;  /* seconds the last full run took: the lease outlasts a run */
    bool leading;     /* held the lease at the last look (for the log) */
    /* the last full run, for incremental updates: state points into *snap (rank.h), so both
     * live on the heap and are replaced together under mu; NULL until the first full run */
    struct ranker_snap *snap;
    struct rank_state *state;
};

/* Frees the last full run's state and snapshot. The caller holds r->mu (or is the only
 * thread left). */
static void ranker_drop_run(struct ranker *r)
{
    rank_state_free(r->state);
    if (r->snap != NULL) {
        ranker_snap_free(r->snap);
        free(r->snap);
    }
    r->state = NULL;
    r->snap = NULL;
}

/* One full run on the pool, swapped in for incremental updates. */
static void ranker_full_swap(struct ranker *r, struct store *s)
{
    /* on the heap, never on this stack: the state keeps a pointer to it and request threads
     * read both until the next swap */
    struct ranker_snap *rs = xcalloc(1, sizeof(*rs));
    struct rank_state *st = NULL;
    double began = metrics_clock();
    struct ranker_last last = {r->snap, r->state, &r->mu}; /* replaced below, by this thread */
    if (ranker_full(s, now_unix(), &last, rs, &st) != 0) {
        log_warn("ranker: recompute failed; will retry");
        metric_add(METRIC_RANKER_FAILURES, 1);
    } else {
        r->last_run = metrics_clock() - began;
        if (r->last_run > 1.0) { /* worth an operator's notice: the lease is sized by it */
            log_info("ranker: a full recompute took %.1f s", r->last_run);
        }
        metric_add(METRIC_RANKER_RUNS, 1);
        metric_set(METRIC_RANKER_LAST_MS, (uint64_t)(r->last_run * 1000));
    }
    if (st != NULL) { /* swap in the new state and its snapshot together */
        pthread_mutex_lock(&r->mu);
        ranker_drop_run(r);
        r->state = st;
        r->snap = rs;
        pthread_mutex_unlock(&r->mu);
    } else {
        free(rs); /* ranker_full freed its arrays on failure */
    }
}

/* Whether this process does the full runs now: it holds the "ranker" lease, which lasts at
 * most one interval (plus up to half of that for a long run), so another process takes over
 * within two intervals; store_lease_hold renews and takes it. The holder collects other
 * processes' requests for a run into *poked; a process without the lease passes its own on. */
static bool ranker_leads(struct ranker *r, struct store *s, int64_t now, bool *poked)
{
    /* another process takes over within two intervals: the lease lasts at most one interval
     * (whole seconds, so a second more), and a second passes between looks */
    int span = r->interval < 4 ? 2 : r->interval > 10 ? 10 : r->interval;
    int margin = (int)(2 * r->last_run); /* a run longer than the lease: someone else may */
    margin = margin > span / 2 ? span / 2 : margin; /* start one too: harmless, and rare */
    bool held = false, asked = false;
    if (store_lease_hold(s, "ranker", r->holder, now, span + margin, &held, &asked) != 0) {
        return false; /* the database is busy: try again in a second */
    }
    if (held != r->leading) { /* an operator wants to see which process ranks */
        log_info("ranker: this process %s the full recomputes", held ? "now does" : "no longer does");
        r->leading = held;
    }
    if (!held && *poked && store_lease_poke(s, "ranker") != 0) {
        log_warn("ranker: could not ask the lease holder for a recompute");
    }
    *poked = *poked || asked;
    return held;
}

/* Wakes every second (or when poked): full runs every interval and soon after a poke, in
 * whichever process holds the lease. Pokes come at most once a second this way, so a burst
 * of votes costs one recompute a second, not one per vote. */
static void *ranker_main(void *arg)
{
    struct ranker *r = arg;
    int64_t next_full = 0; /* the first run as soon as this process leads */
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!r->stop && !r->poked &&
               pthread_cond_timedwait(&r->cv, &r->mu, &until) != ETIMEDOUT) {
        }
        if (r->stop) {
            break;
        }
        bool poked = r->poked;
        r->poked = false;
        pthread_mutex_unlock(&r->mu);
        struct store *s = store_pool_acquire(r->pool);
        int64_t now = now_unix();
        if (ranker_leads(r, s, now, &poked) && (poked || now >= next_full)) {
            ranker_full_swap(r, s);
            next_full = now_unix() + r->interval;
        }
        store_pool_release(r->pool, s);
        pthread_mutex_lock(&r->mu);
        if (poked) { /* debounce: at most one run a second, however many votes arrive */
            struct timespec pause;
            clock_gettime(CLOCK_REALTIME, &pause);
            pause.tv_sec += 1;
            while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &pause) != ETIMEDOUT) {
            }
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

struct ranker *ranker_start(struct store_pool *pool, int interval_seconds)
{
    struct ranker *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->pool = pool;
    r->interval = interval_seconds > 0 ? interval_seconds : 60;
    r->poked = true; /* rank once at start (when this process leads) */
    random_hex(r->holder, 16);
    if (pthread_create(&r->thread, NULL, ranker_main, r) != 0) {
        log_error("cannot start the ranker thread");
        free(r);
        return NULL;
    }
    return r;
}

void ranker_poke(struct ranker *r)
{
    pthread_mutex_lock(&r->mu);
    r->poked = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* Re-ranks one item from votes and opens already read: under r->mu, which guards the last
 * full run's state; the score and its explanation come out in *res and explain, and *ranked
 * says whether there was one (an item newer than the last full run has none). */
static int ranker_replay_item(struct ranker *r, struct arena *a, int64_t item_id,
                              const struct store_rank_data *d, int64_t now, bool *ranked,
                              struct rank_item_result *res, struct buf *explain)
{
    uint32_t idx =
        r->state ? ranker_index(r->snap->item_ids, r->snap->nitem_ids, item_id) : RANK_NONE;
    *ranked = idx != RANK_NONE;
    if (idx == RANK_NONE) {
        r->poked = true; /* new since the last full run: rank everything soon */
        pthread_cond_signal(&r->cv);
        return 0;
    }
    struct rank_vote *votes = arena_alloc(a, (d->nvotes + 1) * sizeof(*votes));
    struct rank_open *opens = arena_alloc(a, (d->nopens + 1) * sizeof(*opens));
    size_t nv, no;
    ranker_map_votes(r->snap, d, votes, &nv, opens, &no);
    int rc = rank_item_replay(r->state, idx, votes, nv, opens, no, now);
    if (rc == 0) {
        *res = *rank_item_get(r->state, idx);
        rank_explain_json(r->state, idx, explain);
    }
    return rc;
}

int ranker_item_changed(struct ranker *r, struct store *db, int64_t item_id, int64_t now)
{
    struct arena a;
    arena_init(&a);
    struct buf explain;
    buf_init(&explain, 0);
    /* inside the caller's transaction when there is one: the vote and its score commit
     * together. The reads and the write happen outside r->mu, so that concurrent votes on
     * other items (on PostgreSQL each on its own connection) wait for the replay only, never
     * for another request's round trips. */
    int rc = store_tx_begin(db);
    if (rc != 0) {
        buf_fini(&explain);
        arena_fini(&a);
        return rc;
    }
    struct store_rank_data d;
    struct rank_item_result res;
    bool ranked = false;
    rc = store_rank_load_item(db, &a, item_id, &d);
    if (rc == 0) {
        pthread_mutex_lock(&r->mu);
        rc = ranker_replay_item(r, &a, item_id, &d, now, &ranked, &res, &explain);
        pthread_mutex_unlock(&r->mu);
    }
    if (rc == 0 && ranked) {
        rc = store_rank_write(db, item_id, res.bound, res.hot, res.mean, buf_cstr(&explain),
                              now);
    }
    /* committed even when the score failed: inside a caller's transaction a rollback would
     * take the caller's vote with it. (On PostgreSQL a failed statement fails the whole
     * transaction; the score's statements fail only when the connection or the server does,
     * and the commit with them.) */
    int crc = store_tx_commit(db);
    buf_fini(&explain);
    arena_fini(&a);
    return rc != 0 ? rc : crc;
}

void ranker_stop(struct ranker *r)
{
    if (r == NULL) {
        return;
    }
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_signal(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->thread, NULL);
    struct store *s = store_pool_acquire(r->pool); /* hand the lease over at once */
    if (store_lease_release(s, "ranker", r->holder) != 0) {
        log_warn("ranker: could not release its lease; another process takes it when it ends");
    }
    store_pool_release(r->pool, s);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    ranker_drop_run(r);
    free(r);
}
