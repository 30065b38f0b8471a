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

/* Writes every item's scores and every member's trust from a finished run. */
static int ranker_write_all(struct store *s, const struct ranker_snap *rs,
                            const struct rank_state *st, int64_t now)
{
    struct buf explain;
    buf_init(&explain, 0);
    int rc = store_tx_begin(s);
    for (size_t i = 0; i < rs->nitem_ids && rc == 0; i++) {
        const struct rank_item_result *r = rank_item_get(st, i);
        buf_reset(&explain);
        rank_explain_json(st, i, &explain);
        rc = store_rank_write(s, rs->item_ids[i], r->bound, r->hot, r->mean, buf_cstr(&explain),
                              now);
    }
    for (size_t m = 0; m < rs->nmember_ids && rc == 0; m++) {
        rc = store_rank_write_trust(s, rs->member_ids[m], rank_member_trust(st, m));
    }
    rc = rc == 0 ? store_tx_commit(s) : rc;
    if (rc != 0) {
        store_tx_rollback(s);
    }
    buf_fini(&explain);
    return rc;
}

/* A full run. OUT: the snapshot and state (caller frees), unless the store failed. */
static int ranker_full(struct store *s, int64_t now, struct ranker_snap *rs,
                       struct rank_state **state)
{
    struct arena a;
    arena_init(&a);
    struct store_rank_data d;
    int rc = store_rank_load(s, &a, &d);
    if (rc == 0) {
        ranker_snap_build(rs, &d, now);
        struct rank_params p;
        rank_params_default(&p);
        rc = rank_run(&rs->snap, &p, state);
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
    int rc = ranker_full(s, now, &rs, &st);
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

static void *ranker_main(void *arg)
{
    struct ranker *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->interval;
        while (!r->stop && !r->poked) {
            if (pthread_cond_timedwait(&r->cv, &r->mu, &until) == ETIMEDOUT) {
                break;
            }
        }
        if (r->stop) {
            break;
        }
        r->poked = false;
        pthread_mutex_unlock(&r->mu);
        struct store *s = store_pool_acquire(r->pool);
        /* on the heap, never on this stack: the state keeps a pointer to it and request
         * threads read both until the next swap */
        struct ranker_snap *rs = xcalloc(1, sizeof(*rs));
        struct rank_state *st = NULL;
        double began = metrics_clock();
        if (ranker_full(s, now_unix(), rs, &st) != 0) {
            log_warn("ranker: recompute failed; will retry");
            metric_add(METRIC_RANKER_FAILURES, 1);
        } else {
            metric_add(METRIC_RANKER_RUNS, 1);
            metric_set(METRIC_RANKER_LAST_MS, (uint64_t)((metrics_clock() - began) * 1000));
        }
        store_pool_release(r->pool, s);
        if (st != NULL) { /* swap in the new state and its snapshot together */
            pthread_mutex_lock(&r->mu);
            ranker_drop_run(r);
            r->state = st;
            r->snap = rs;
            pthread_mutex_unlock(&r->mu);
        } else {
            free(rs); /* ranker_full freed its arrays on failure */
        }
        /* debounce: a burst of votes costs one recompute a second, not one per vote;
         * the pause ends early only to stop */
        pthread_mutex_lock(&r->mu);
        struct timespec pause;
        clock_gettime(CLOCK_REALTIME, &pause);
        pause.tv_sec += 1;
        while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &pause) != ETIMEDOUT) {
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
    r->poked = true; /* rank once at start */
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

int ranker_item_changed(struct ranker *r, struct store *db, int64_t item_id, int64_t now)
{
    struct arena a;
    arena_init(&a);
    /* the store's writer lock first, then the ranker's: callers inside a write transaction
     * already hold the former, so every path takes the two in the same order */
    int rc = store_tx_begin(db);
    if (rc != 0) {
        arena_fini(&a);
        return rc;
    }
    pthread_mutex_lock(&r->mu);
    uint32_t idx =
        r->state ? ranker_index(r->snap->item_ids, r->snap->nitem_ids, item_id) : RANK_NONE;
    struct store_rank_data d;
    if (idx == RANK_NONE) {
        r->poked = true; /* new since the last full run: rank everything soon */
        pthread_cond_signal(&r->cv);
        goto out;
    }
    if ((rc = store_rank_load_item(db, &a, item_id, &d)) != 0) {
        goto out;
    }
    struct rank_vote *votes = arena_alloc(&a, (d.nvotes + 1) * sizeof(*votes));
    struct rank_open *opens = arena_alloc(&a, (d.nopens + 1) * sizeof(*opens));
    size_t nv, no;
    ranker_map_votes(r->snap, &d, votes, &nv, opens, &no);
    if ((rc = rank_item_replay(r->state, idx, votes, nv, opens, no, now)) != 0) {
        goto out;
    }
    const struct rank_item_result *res = rank_item_get(r->state, idx);
    struct buf explain;
    buf_init(&explain, 0);
    rank_explain_json(r->state, idx, &explain);
    rc = store_rank_write(db, item_id, res->bound, res->hot, res->mean, buf_cstr(&explain), now);
    buf_fini(&explain);
out:
    pthread_mutex_unlock(&r->mu);
    /* committed even on failure: inside a caller's transaction a rollback would take the
     * caller's vote with it, and a failed statement has already undone itself */
    int crc = store_tx_commit(db);
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
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    ranker_drop_run(r);
    free(r);
}
