/* Work that would hold a request worker for long (argon2id: ~60 ms of CPU and 64 MB each)
 * runs on a small pool of its own threads while the request's connection is suspended. The
 * workers meanwhile serve every other connection, so failed logins from many addresses no
 * longer stall static files and pages. The queue is bounded: past it a request is told the
 * server is busy (429) instead of waiting without end. */
#include <pthread.h>
#include <stdlib.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "http_int.h"

struct offload_job {
    struct offload_job *next;
    struct http_request *rq; /* suspended until the job has run; resumed by the pool */
};

struct http_offload {
    pthread_mutex_t mu; /* guards everything below */
    pthread_cond_t cv;
    struct offload_job *head, *tail;
    size_t reserved, capacity; /* jobs queued or promised by http_defer, and the bound */
    bool stop;
    int nthreads;
    pthread_t threads[HTTP_OFFLOAD_THREADS];
};

static void *offload_main(void *arg)
{
    struct http_offload *o = arg;
    pthread_mutex_lock(&o->mu);
    for (;;) {
        /* a stop waits for every job already promised (reserved) to be queued and run */
        while (o->head == NULL && !(o->stop && o->reserved == 0)) {
            pthread_cond_wait(&o->cv, &o->mu);
        }
        if (o->head == NULL) {
            break; /* stopping, and every promised job has run */
        }
        struct offload_job *job = o->head;
        o->head = job->next;
        o->tail = o->head ? o->tail : NULL;
        pthread_mutex_unlock(&o->mu);
        struct http_request *rq = job->rq;
        rq->defer_fn(rq->defer_arg);
        rq->defer_state = HTTP_DEFER_DONE;
        /* the request and the job live until MHD calls back after this resume */
        MHD_resume_connection(rq->conn);
        pthread_mutex_lock(&o->mu);
        if (--o->reserved == 0 && o->stop) {
            pthread_cond_broadcast(&o->cv); /* the other threads may leave too */
        }
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

struct http_offload *http_offload_start(int nthreads, size_t capacity)
{
    struct http_offload *o = xcalloc(1, sizeof(*o));
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    o->capacity = capacity;
    nthreads = nthreads < 1 ? 1 : nthreads > HTTP_OFFLOAD_THREADS ? HTTP_OFFLOAD_THREADS : nthreads;
    for (; o->nthreads < nthreads; o->nthreads++) {
        if (pthread_create(&o->threads[o->nthreads], NULL, offload_main, o) != 0) {
            log_error("cannot start a password-hashing thread");
            http_offload_drain(o);
            http_offload_free(o);
            return NULL;
        }
    }
    return o;
}

void http_offload_drain(struct http_offload *o)
{
    if (o == NULL) {
        return;
    }
    pthread_mutex_lock(&o->mu);
    o->stop = true;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
    for (int i = 0; i < o->nthreads; i++) {
        pthread_join(o->threads[i], NULL);
    }
    o->nthreads = 0;
}

void http_offload_free(struct http_offload *o)
{
    if (o == NULL) {
        return;
    }
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cv);
    free(o);
}

/* Runs the deferred work on the calling worker and finishes the request (no pool, or the
 * pool is draining for a stop). */
static int defer_inline(struct http_request *rq, void (*fn)(void *arg), void *arg)
{
    fn(arg);
    rq->defer_arg = arg;
    rq->defer_state = HTTP_DEFER_DONE;
    return rq->route->fn(rq);
}

int http_defer(struct http_request *rq, void (*fn)(void *arg), void *arg)
{
    struct http_offload *o = http_offload_of(rq);
    if (o == NULL) {
        return defer_inline(rq, fn, arg);
    }
    pthread_mutex_lock(&o->mu);
    bool stopping = o->stop, room = !stopping && o->reserved < o->capacity;
    o->reserved += room;
    pthread_mutex_unlock(&o->mu);
    if (stopping) { /* no new suspended connection once the server is stopping */
        return defer_inline(rq, fn, arg);
    }
    if (!room) {
        http_add_header(rq, "Retry-After", "2");
        return http_fail(rq, ERR_LIMIT, NULL,
                         "The server is busy checking passwords. Try again in a moment.");
    }
    rq->defer_fn = fn;
    rq->defer_arg = arg;
    rq->defer_state = HTTP_DEFER_QUEUED;
    return HTTP_DEFERRED;
}

void http_offload_submit(struct http_offload *o, struct http_request *rq)
{
    struct offload_job *job = arena_alloc(&rq->arena, sizeof(*job));
    job->next = NULL;
    job->rq = rq;
    pthread_mutex_lock(&o->mu);
    if (o->tail != NULL) {
        o->tail->next = job;
    } else {
        o->head = job;
    }
    o->tail = job;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
}
