/* The serve worker: every `every` seconds one fetch cycle, the alerts, and the mail sender,
 * on a connection of its own from the pool, in the one process on the database that holds
 * the "fetcher" lease (several `guild serve` processes must not fetch a feed twice or send a
 * mail twice). Stops promptly (condition variable), handing the lease over. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "../core/log.h"
#include "../core/metrics.h"
#include "../core/util.h"
#include "monitor.h"

struct monitor_worker {
    struct store_pool *pool;
    struct monitor_options o;
    int every;
    pthread_t thread;
    bool started;
    volatile bool stopping; /* also read by fetch_many, to cut a long cycle short */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char holder[33]; /* this process's name on the "fetcher" lease (random) */
};

static void run_once(struct monitor_worker *w)
{
    struct store *s = store_pool_acquire(w->pool);
    struct monitor_stats st = {0};
    int64_t now = now_unix();
    bool held = false, poked = false;
    /* the lease outlasts two cycles, so its holder renews it every cycle; another process
     * takes over within three cycles of the holder's end */
    if (store_lease_hold(s, "fetcher", w->holder, now, 2 * w->every, &held, &poked) != 0 ||
        !held) {
        store_pool_release(w->pool, s);
        return;
    }
    if (monitor_fetch_cycle(s, &w->o, now, &st) != 0 || monitor_alerts(s, &w->o, now, &st) != 0 ||
        monitor_deliver_webhooks(s, &w->o, now, &st) != 0 ||
        monitor_send_mail(s, &w->o, now, &st) != 0) {
        log_warn("monitor: a cycle stopped early (database busy?); the next one retries");
    }
    store_pool_release(w->pool, s);
    metric_add(METRIC_FETCH_OK, (uint64_t)st.ok);
    metric_add(METRIC_FETCH_NOT_MODIFIED, (uint64_t)st.not_modified);
    metric_add(METRIC_FETCH_FAILED, (uint64_t)st.failed);
    metric_add(METRIC_FETCH_GONE, (uint64_t)st.gone);
    metric_add(METRIC_FETCH_ENTRIES, (uint64_t)st.new_entries);
    metric_add(METRIC_MAIL_SENT, (uint64_t)st.mails_sent);
    metric_add(METRIC_MAIL_FAILED, (uint64_t)st.mails_failed);
    metric_add(METRIC_ALERTS_SENT, (uint64_t)st.alerts_sent);
    metric_add(METRIC_ALERTS_FAILED, (uint64_t)st.alerts_failed);
    if (st.checked > 0 || st.alerts_sent > 0 || st.mails_sent > 0) {
        log_info("monitor: %d feeds checked (%d new entries, %d failed), %d alerts, %d mails",
                 st.checked, st.new_entries, st.failed, st.alerts_sent, st.mails_sent);
    }
}

static void *worker_main(void *arg)
{
    struct monitor_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->mu);
        run_once(w);
        pthread_mutex_lock(&w->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->every;
        while (!w->stopping &&
               pthread_cond_timedwait(&w->cv, &w->mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

struct monitor_worker *monitor_start(struct store_pool *pool, const struct monitor_options *o,
                                     int every)
{
    if (every <= 0) {
        return NULL; /* fetching is off */
    }
    struct monitor_worker *w = xcalloc(1, sizeof(*w));
    w->pool = pool;
    w->o = *o;
    w->every = every;
    w->o.cancel = &w->stopping;
    random_hex(w->holder, 16);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->started = pthread_create(&w->thread, NULL, worker_main, w) == 0;
    return w;
}

void monitor_stop(struct monitor_worker *w)
{
    if (w == NULL) {
        return;
    }
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (w->started) {
        pthread_join(w->thread, NULL);
    }
    struct store *s = store_pool_acquire(w->pool);
    if (store_lease_release(s, "fetcher", w->holder) != 0) {
        log_warn("monitor: could not release the fetcher lease; another process takes it when "
                 "it expires");
    }
    store_pool_release(w->pool, s);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
