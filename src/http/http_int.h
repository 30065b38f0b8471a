/* Internal to src/http. */
#ifndef GUILD_HTTP_INT_H
#define GUILD_HTTP_INT_H

#include "http.h"

#define ERR_METHOD (-100) /* http-only: 405 */

extern const struct http_route http_fallback_route;
extern const struct http_route http_fallback_json_route;

/* Queues rq's response (or the error page/JSON for rc). Returns 0 or -1 if MHD refused. */
int http_respond(struct http_request *rq, int rc);
/* Calls the configured error page renderer. */
void http_render_error_page(struct http_request *rq, int status);

#endif
