/* The connection pool (one connection per worker thread) and its WAL checkpointer. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../core/log.h"
#include "../core/metrics.h"
#include "../core/util.h"
#include "store_int.h"

struct store_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store **free_list;
    int nfree, n;
    struct store *writer; /* where every pooled store runs its write transactions (store_int.h) */
    /* the checkpointer: its own connection and thread; guarded by mu */
    struct store *ckpt;
    pthread_cond_t ckpt_cv; /* its own: a pool release must wake a waiting request */
    pthread_t ckpt_thread;
    bool ckpt_started, stopping;
    int64_t data_version; /* the checkpointer's baseline, taken when the pool opened */
};

/* Background upkeep for a store: new comments into the search index (store.h), then the
 * WAL into the database, so that no request pays for either. */
static void upkeep(struct store *s, bool truncate)
{
    int n;
    if (store_search_index_comments(s, &n) != 0) {
        log_warn("search: indexing new comments failed; will retry");
    }
    store_checkpoint(s, truncate);
}

/* Another process's commit (a second `guild serve` on the same database, or a `guild fetch`
 * from cron) counts as a write here too, so that this process's page and list caches drop what
 * it changed within a second. SQLite's data_version moves whenever another connection
 * commits; on PostgreSQL every such commit sends a notice (pg.c pg_write_notices). */
static void notice_other_writers(struct store *s, int64_t *last, int64_t *last_auth)
{
    int64_t v;
    if (store_data_version(s, &v) == 0 && v != *last) {
        store_note_write();
        *last = v;
        int64_t auth = store_on_pg(s) ? pg_auth_notices(&s->own) : 0;
        if (auth != *last_auth) {
            store_note_auth_write();
            *last_auth = auth;
        }
    }
}

/* Once a minute: rate-limit windows that started a week ago or more go (store_limit_*). */
static void expire_limits(struct store *s, int64_t *last)
{
    int64_t now = now_unix();
    if (now - *last < 60) {
        return;
    }
    *last = now;
    if (store_limits_expire(s, now - 7 * 86400) != 0) {
        log_warn("rate limits: dropping old windows failed; will retry");
    }
}

/* Runs upkeep once a second when something was written (pool connections have automatic
 * checkpoints off). On PostgreSQL it looks for notices four times a second: reading those
 * that arrived costs no round trip. */
static void *checkpointer(void *arg)
{
    struct store_pool *p = arg;
    uint64_t seen = store_write_seq();
    int64_t version = p->data_version; /* read before the pool served anything */
    int64_t auth_version = store_on_pg(p->ckpt) ? pg_auth_notices(&p->ckpt->own) : 0;
    int64_t expired_at = 0;
    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        if (store_on_pg(p->ckpt)) {
            until.tv_nsec += 250 * 1000 * 1000;
            until.tv_sec += until.tv_nsec / 1000000000;
            until.tv_nsec %= 1000000000;
        } else {
            until.tv_sec += 1;
        }
        pthread_cond_timedwait(&p->ckpt_cv, &p->mu, &until);
        pthread_mutex_unlock(&p->mu);
        notice_other_writers(p->ckpt, &version, &auth_version);
        expire_limits(p->ckpt, &expired_at);
        pthread_mutex_lock(&p->mu);
        uint64_t now = store_write_seq();
        if (p->stopping || now == seen) {
            continue;
        }
        seen = now;
        pthread_mutex_unlock(&p->mu);
        upkeep(p->ckpt, false);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int store_pool_new(const char *path, int n, struct store_pool **out)
{
    struct store_pool *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_cond_init(&p->ckpt_cv, NULL);
    p->free_list = xcalloc((size_t)n, sizeof(*p->free_list));
    int rc = store_open(path, &p->ckpt);
    if (rc == 0) {
        rc = store_open(path, &p->writer);
    }
    /* on PostgreSQL every store writes on its own connection (db.c writer_lock) */
    struct store_conn *writer = rc == 0 && !store_on_pg(p->writer) ? &p->writer->own : NULL;
    if (rc == 0) {
        p->ckpt->writer = writer; /* its indexing writes go through the writer too */
        rc = store_autocheckpoint(p->writer, false);
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        rc = store_open(path, &p->free_list[i]);
        if (rc == 0) {
            p->free_list[i]->writer = writer;
            rc = store_autocheckpoint(p->free_list[i], false);
        }
        p->nfree = p->n = rc == 0 ? i + 1 : i;
        if (rc != 0) {
            store_close(p->free_list[i]);
        }
    }
    if (rc == 0) {
        upkeep(p->ckpt, false); /* comments a command posted are searchable from the start */
        if (store_data_version(p->ckpt, &p->data_version) != 0) {
            p->data_version = -1; /* the first look then counts as a change: harmless */
        }
        p->ckpt_started = pthread_create(&p->ckpt_thread, NULL, checkpointer, p) == 0;
        if (!p->ckpt_started) { /* no thread: the writer checkpoints as it commits */
            rc = store_autocheckpoint(p->writer, true);
        }
    }
    if (rc != 0) {
        store_pool_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

struct store *store_pool_acquire(struct store_pool *p)
{
    pthread_mutex_lock(&p->mu);
    if (p->nfree == 0) {
        metric_add(METRIC_POOL_WAITS, 1);
    }
    while (p->nfree == 0) {
        pthread_cond_wait(&p->cv, &p->mu);
    }
    struct store *s = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return s;
}

void store_pool_release(struct store_pool *p, struct store *s)
{
    store_tx_rollback(s); /* a request that failed mid-transaction leaves nothing half-written */
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = s;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void store_pool_free(struct store_pool *p)
{
    if (p == NULL) {
        return;
    }
    if (p->ckpt_started) {
        pthread_mutex_lock(&p->mu);
        p->stopping = true;
        pthread_cond_signal(&p->ckpt_cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->ckpt_thread, NULL);
    }
    if (p->ckpt != NULL) {
        if (p->writer != NULL) {
            upkeep(p->ckpt, true); /* leave the index complete and a small WAL behind */
        }
        store_close(p->ckpt);
    }
    for (int i = 0; i < p->nfree; i++) {
        store_close(p->free_list[i]);
    }
    store_close(p->writer); /* after the stores that write through it */
    free(p->free_list);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    pthread_cond_destroy(&p->ckpt_cv);
    free(p);
}
