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
#include "../core/util.h"
#include "../rank/rank.h"

static int item_id_cmp(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const struct store_rank_item *)elem)->id;
    return (id > other) - (id < other);
}

int ranker_run_once(struct store *s, int64_t now, size_t *nitems)
{
    struct arena a;
    arena_init(&a);
    struct buf explain;
    buf_init(&explain, 0);
    struct rank_result *res = NULL;
    struct store_rank_item *items;
    struct store_rank_vote *votes;
    size_t ni, nv;
    int rc = store_rank_load(s, &a, &items, &ni, &votes, &nv);
    if (rc != 0) {
        goto out;
    }
    struct rank_item *ri = arena_alloc(&a, (ni + 1) * sizeof(*ri));
    struct rank_vote *rv = arena_alloc(&a, (nv + 1) * sizeof(*rv));
    for (size_t i = 0; i < ni; i++) {
        ri[i].kind = items[i].is_blog ? RANK_BLOG : RANK_LINK;
        ri[i].submitter = items[i].user_id;
        ri[i].created_at = items[i].created_at;
    }
    size_t k = 0;
    for (size_t j = 0; j < nv; j++) {
        const struct store_rank_item *it =
            bsearch(&votes[j].item_id, items, ni, sizeof(*items), item_id_cmp);
        if (it == NULL) {
            continue;
        }
        rv[k].voter = votes[j].user_id;
        rv[k].item = (int64_t)(it - items);
        rv[k].value = (int8_t)votes[j].value;
        rv[k].opened = votes[j].opened;
        rv[k].at = votes[j].created_at;
        k++;
    }
    struct rank_snapshot snap = {NULL, 0, ri, ni, rv, k, now};
    struct rank_params params;
    rank_params_default(&params);
    res = xcalloc(ni + 1, sizeof(*res));
    if ((rc = rank_compute(&snap, &params, res)) != 0) {
        goto out;
    }
    if ((rc = store_tx_begin(s)) != 0) {
        goto out;
    }
    for (size_t i = 0; i < ni && rc == 0; i++) {
        buf_reset(&explain);
        rank_explain_json(&params, ri[i].kind, &res[i], &explain);
        rc = store_rank_write(s, items[i].id, res[i].score, res[i].hot, buf_cstr(&explain), now);
    }
    rc = rc == 0 ? store_tx_commit(s) : rc;
    if (rc != 0) {
        store_tx_rollback(s);
    }
    *nitems = ni;
out:
    free(res);
    buf_fini(&explain);
    arena_fini(&a);
    return rc;
}

struct ranker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store_pool *pool;
    int interval;
    bool poked, stop;
};

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
        size_t n = 0;
        if (ranker_run_once(s, now_unix(), &n) != 0) {
            log_warn("ranker: recompute failed; will retry");
        }
        store_pool_release(r->pool, s);
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
    free(r);
}
