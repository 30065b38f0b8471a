/* The guild's topic model in a running server: trained from the store at start-up and then
 * every topic interval by a background thread, swapped in under a mutex; submissions are
 * scored against the current model. */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/log.h"
#include "../text/text.h"
#include "app.h"

struct app_topic {
    struct app *app;
    pthread_t thread;
    bool started, stopping;
    pthread_mutex_t mu; /* guards model and stopping */
    pthread_cond_t cv;
    struct text_topic *model;
};

static void corpus_add(void *ctx, const char *text, bool on_topic)
{
    text_topic_add(ctx, str_z(text), on_topic);
}

/* Builds a model from the store and swaps it in. */
static void topic_train(struct app_topic *t)
{
    struct text_topic *m = text_topic_new(), *old;
    struct store *db = store_pool_acquire(t->app->pool);
    int rc = store_topic_corpus(db, corpus_add, m);
    store_pool_release(t->app->pool, db);
    if (rc != 0) {
        log_error("topic model: reading the corpus failed (%d)", rc);
        text_topic_free(m);
        return;
    }
    log_info("topic model: %zu on-topic texts, %zu removed as off-topic",
             text_topic_docs(m, true), text_topic_docs(m, false));
    pthread_mutex_lock(&t->mu);
    old = t->model;
    t->model = m;
    pthread_mutex_unlock(&t->mu);
    text_topic_free(old);
}

static void *topic_main(void *arg)
{
    struct app_topic *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += t->app->cfg.topic_interval;
        pthread_cond_timedwait(&t->cv, &t->mu, &until);
        if (t->stopping) {
            break;
        }
        pthread_mutex_unlock(&t->mu);
        topic_train(t);
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

void app_topic_start(struct app *app)
{
    if (app->cfg.policy.topic_threshold <= 0) {
        return; /* the check is off: no model to train or keep */
    }
    struct app_topic *t = xcalloc(1, sizeof(*t));
    t->app = app;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    app->topic = t;
    topic_train(t);
    t->started = pthread_create(&t->thread, NULL, topic_main, t) == 0;
}

void app_topic_stop(struct app *app)
{
    struct app_topic *t = app->topic;
    if (t == NULL) {
        return;
    }
    pthread_mutex_lock(&t->mu);
    t->stopping = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    if (t->started) {
        pthread_join(t->thread, NULL);
    }
    text_topic_free(t->model);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
    app->topic = NULL;
}

bool app_topic_score(struct app *app, const char *title, const char *text, double *score,
                     size_t *removals)
{
    *removals = 0;
    struct app_topic *t = app->topic;
    if (t == NULL || app->cfg.policy.topic_threshold <= 0) {
        return false;
    }
    struct buf b;
    buf_init(&b, 0);
    buf_appendz(&b, title ? title : "");
    buf_appendc(&b, ' ');
    buf_appendz(&b, text ? text : "");
    bool known = false;
    pthread_mutex_lock(&t->mu);
    if (t->model != NULL &&
        text_topic_docs(t->model, true) >= (size_t)app->cfg.policy.topic_min_docs) {
        *score = text_topic_score(t->model, str_z(buf_cstr(&b)));
        *removals = text_topic_docs(t->model, false);
        known = true;
    }
    pthread_mutex_unlock(&t->mu);
    buf_fini(&b);
    return known;
}
