/* Internal to src/http. */
#ifndef GUILD_HTTP_INT_H
#define GUILD_HTTP_INT_H

#include <microhttpd.h>

#include "http.h"

#define ERR_METHOD (-100) /* http-only: 405 */
#define HTTP_DEFERRED 100 /* a handler's work runs on the offload pool (offload.c) */
#define HTTP_OFFLOAD_THREADS 2

/* deadline.c: header and body deadlines that trickled bytes do not reset. The tracker is
 * MHD's connection-notify callback (cls = the tracker); each connection's state is its MHD
 * socket context, freed when MHD reports it closed. */
enum http_phase { HTTP_PHASE_HEADERS, HTTP_PHASE_BODY, HTTP_PHASE_HANDLING, HTTP_PHASE_DONE };
struct http_deadlines;
struct http_deadlines *http_deadlines_start(int header_timeout, int body_timeout);
void http_deadlines_stop(struct http_deadlines *d); /* after MHD_stop_daemon */
void http_deadlines_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                           enum MHD_ConnectionNotificationCode toe);
/* The connection now waits for headers (after a response), reads a body or is handled. */
void http_deadlines_phase(struct MHD_Connection *conn, enum http_phase phase);

/* offload.c: the pool that runs deferred work while its connection is suspended. Stopping
 * is two steps around MHD_stop_daemon: drain first (runs every job already promised and
 * resumes its connection; later deferrals run inline), free after (MHD's workers read the
 * pool until the daemon has stopped). */
struct http_offload;
struct http_offload *http_offload_start(int nthreads, size_t capacity);
void http_offload_drain(struct http_offload *o);
void http_offload_free(struct http_offload *o);
/* Queues rq's deferred work; rq's connection must already be suspended. */
void http_offload_submit(struct http_offload *o, struct http_request *rq);
struct http_offload *http_offload_of(struct http_request *rq); /* NULL: run inline */

extern const struct http_route http_fallback_route;
extern const struct http_route http_fallback_json_route;

/* Queues rq's response (or the error page/JSON for rc). Returns 0 or -1 if MHD refused. */
int http_respond(struct http_request *rq, int rc);
/* The page cache (cache.c). */
struct http_cache;
struct http_cache *http_cache_new(int ttl_seconds);
void http_cache_free(struct http_cache *c);
/* Queues the cached response for key on conn when fresh (same write sequence, within the
 * ttl), gzip-compressed when the client accepts it; false when there is none. */
bool http_cache_serve(struct http_cache *c, struct MHD_Connection *conn, const char *key,
                      uint64_t seq, int64_t now, bool gzip_ok);
/* Builds the shared responses (plain and gzip) for a page; copies body. */
void http_cache_put(struct http_cache *c, const char *key, uint64_t seq, int64_t now,
                    const char *body, size_t len, const char *content_type);
/* The headers every response carries: content type and the security headers. */
void http_common_headers(struct MHD_Response *res, const char *content_type);

/* Stores rq's response in the page cache when it may be shared (server.c). */
void http_cache_store(struct http_request *rq);

/* Request counts and latency for /metrics (stats.c); thread-safe, lock-free. route is the
 * index in the route table, or nroutes for a request no route matched. */
struct http_stats;
struct http_stats *http_stats_new(size_t nroutes);
void http_stats_free(struct http_stats *st);
void http_stats_record(struct http_stats *st, size_t route, int status, double seconds);
void http_stats_write(const struct http_stats *st, const struct http_route *routes,
                      struct buf *b);

/* Fills rq->ip with the peer's address in text ("unknown" when MHD cannot tell), or with
 * trust_proxy the X-Real-IP a proxy on this machine gives (peer.c). */
void http_client_ip(struct http_request *rq, struct MHD_Connection *c, bool trust_proxy);

/* Calls the configured error page renderer. */
void http_render_error_page(struct http_request *rq, int status);

#endif
