/* Internal to src/http. */
#ifndef GUILD_HTTP_INT_H
#define GUILD_HTTP_INT_H

#include <microhttpd.h>

#include "http.h"

#define ERR_METHOD (-100) /* http-only: 405 */

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

/* Calls the configured error page renderer. */
void http_render_error_page(struct http_request *rq, int status);

#endif
