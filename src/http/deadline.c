/* Request deadlines. MHD's connection timeout is an idle timeout: every trickled header line
 * resets it, so a client that sends one line every few seconds holds its connection for ever
 * (slowloris). Here a connection must finish its headers within header_timeout seconds of
 * starting to wait for them (a new connection, or the end of the previous request on a kept-
 * alive one) and its body within body_timeout seconds of its headers, however it trickles.
 * A sweeper thread shuts late sockets down; MHD then closes them as it closes any connection
 * whose client went away, and every other connection is served meanwhile. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "../core/log.h"
#include "../core/util.h"
#include "http_int.h"

struct http_conn {
    struct http_conn *prev, *next; /* the tracker's list, under its mutex */
    int fd;
    _Atomic int phase;     /* enum http_phase */
    _Atomic int64_t since; /* monotonic seconds when the phase began */
};

struct http_deadlines {
    /* guards the list: a socket is shut down only while its connection is listed, and MHD
     * reports a connection closed (which unlists it) before it closes the socket, so the
     * sweeper never touches a descriptor that was reused for another connection */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct http_conn head; /* sentinel of a circular list */
    int header_timeout, body_timeout;
    bool stop;
    pthread_t thread;
};

static int64_t mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static bool conn_late(const struct http_deadlines *d, struct http_conn *c, int64_t now)
{
    int phase = atomic_load_explicit(&c->phase, memory_order_relaxed);
    int64_t since = atomic_load_explicit(&c->since, memory_order_relaxed);
    return (phase == HTTP_PHASE_HEADERS && now - since >= d->header_timeout) ||
           (phase == HTTP_PHASE_BODY && now - since >= d->body_timeout);
}

static void *deadlines_main(void *arg)
{
    struct http_deadlines *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!d->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&d->cv, &d->mu, &until);
        int64_t now = mono_seconds();
        for (struct http_conn *c = d->head.next; c != &d->head; c = c->next) {
            if (conn_late(d, c, now)) {
                shutdown(c->fd, SHUT_RDWR);
                atomic_store_explicit(&c->phase, HTTP_PHASE_DONE, memory_order_relaxed);
            }
        }
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

struct http_deadlines *http_deadlines_start(int header_timeout, int body_timeout)
{
    struct http_deadlines *d = xcalloc(1, sizeof(*d));
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    d->head.next = d->head.prev = &d->head;
    d->header_timeout = header_timeout;
    d->body_timeout = body_timeout;
    if (pthread_create(&d->thread, NULL, deadlines_main, d) != 0) {
        log_error("cannot start the request deadline thread");
        pthread_mutex_destroy(&d->mu);
        pthread_cond_destroy(&d->cv);
        free(d);
        return NULL;
    }
    return d;
}

void http_deadlines_stop(struct http_deadlines *d)
{
    if (d == NULL) {
        return;
    }
    pthread_mutex_lock(&d->mu);
    d->stop = true;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    free(d);
}

void http_deadlines_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe)
{
    struct http_deadlines *d = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct http_conn *c = xcalloc(1, sizeof(*c));
        c->fd = ci != NULL ? ci->connect_fd : -1;
        atomic_init(&c->phase, c->fd >= 0 ? HTTP_PHASE_HEADERS : HTTP_PHASE_DONE);
        atomic_init(&c->since, mono_seconds());
        pthread_mutex_lock(&d->mu);
        c->next = d->head.next;
        c->prev = &d->head;
        d->head.next->prev = c;
        d->head.next = c;
        pthread_mutex_unlock(&d->mu);
        *socket_context = c;
    } else if (*socket_context != NULL) {
        struct http_conn *c = *socket_context;
        pthread_mutex_lock(&d->mu);
        c->prev->next = c->next;
        c->next->prev = c->prev;
        pthread_mutex_unlock(&d->mu);
        free(c);
        *socket_context = NULL;
    }
}

void http_deadlines_phase(struct MHD_Connection *conn, enum http_phase phase)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct http_conn *c = ci != NULL ? ci->socket_context : NULL;
    if (c == NULL || atomic_load_explicit(&c->phase, memory_order_relaxed) == HTTP_PHASE_DONE) {
        return;
    }
    atomic_store_explicit(&c->since, mono_seconds(), memory_order_relaxed);
    atomic_store_explicit(&c->phase, (int)phase, memory_order_relaxed);
}
