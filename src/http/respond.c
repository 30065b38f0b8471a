/* The one place errors become HTTP statuses, and where every response gets its headers. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/json.h"
#include "../core/log.h"
#include "http_int.h"

static int http_no_route(struct http_request *rq)
{
    (void)rq;
    return ERR_NOTFOUND;
}

const struct http_route http_fallback_route = {HTTP_GET, "", http_no_route, 0};
const struct http_route http_fallback_json_route = {HTTP_GET, "", http_no_route, ROUTE_JSON};

int http_status_for(int rc)
{
    switch (rc) {
    case 0:
        return MHD_HTTP_OK;
    case ERR_INVAL:
        return MHD_HTTP_BAD_REQUEST;
    case ERR_AUTH:
        return MHD_HTTP_UNAUTHORIZED;
    case ERR_DENIED:
        return MHD_HTTP_FORBIDDEN;
    case ERR_NOTFOUND:
        return MHD_HTTP_NOT_FOUND;
    case ERR_METHOD:
        return MHD_HTTP_METHOD_NOT_ALLOWED;
    case ERR_EXISTS:
    case ERR_BUDGET: /* a choice to make, not a retry: take a vote back first */
        return MHD_HTTP_CONFLICT;
    case ERR_TOOBIG:
        return MHD_HTTP_CONTENT_TOO_LARGE;
    case ERR_LIMIT:
        return MHD_HTTP_TOO_MANY_REQUESTS;
    case ERR_GONE:
        return MHD_HTTP_GONE;
    case ERR_BUSY: /* nothing was written: the member may simply try again */
        return MHD_HTTP_TOO_MANY_REQUESTS;
    case ERR_UNAVAILABLE: /* for load balancers as for people: another node, or later */
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

int http_fail(struct http_request *rq, int rc, const char *field, const char *message)
{
    rq->err_field = field;
    rq->err_message = message;
    return rc;
}

void http_add_header(struct http_request *rq, const char *name, const char *value)
{
    if (rq->nheaders < HTTP_MAX_HEADERS) {
        rq->headers[rq->nheaders].name = name;
        rq->headers[rq->nheaders].value = value;
        rq->nheaders++;
    }
}

void http_set_cookie(struct http_request *rq, const char *name, const char *value, int max_age)
{
    char *c = arena_printf(&rq->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name,
                           max_age < 0 ? "" : value,
                           max_age < 0 ? "; Max-Age=0" : "",
                           http_secure_cookies(rq) ? "; Secure" : "");
    if (max_age > 0) {
        c = arena_printf(&rq->arena, "%s; Max-Age=%d", c, max_age);
    }
    http_add_header(rq, MHD_HTTP_HEADER_SET_COOKIE, c);
}

int http_redirect(struct http_request *rq, const char *location)
{
    for (const unsigned char *p = (const unsigned char *)location; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) { /* no header splitting, no "/\t/host" tricks */
            location = "/";
            break;
        }
    }
    rq->status = MHD_HTTP_SEE_OTHER;
    http_add_header(rq, MHD_HTTP_HEADER_LOCATION, arena_strdup(&rq->arena, location));
    buf_reset(&rq->out);
    return 0;
}

static void http_error_json(struct http_request *rq, int rc)
{
    struct json_w w;
    buf_reset(&rq->out);
    json_w_init(&w, &rq->out);
    json_w_begin_object(&w);
    json_w_kstr(&w, "error", rc == ERR_METHOD ? "method_not_allowed" : err_code(rc));
    if (rq->err_field != NULL) {
        json_w_kstr(&w, "field", rq->err_field);
    }
    if (rq->err_message != NULL) {
        json_w_kstr(&w, "message", rq->err_message);
    }
    json_w_end(&w, '}');
    rq->content_type = "application/json";
}

void http_common_headers(struct MHD_Response *res, const char *content_type)
{
    MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header(res, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "same-origin");
}

int http_respond(struct http_request *rq, int rc)
{
    if (rc == ERR_BUSY && rq->err_message == NULL) {
        http_add_header(rq, "Retry-After", "5");
        http_fail(rq, rc, NULL, "The site is busy with another writer; nothing was saved. Try "
                                "again in a few seconds.");
    }
    if (rc == ERR_UNAVAILABLE && rq->err_message == NULL) {
        http_add_header(rq, "Retry-After", "5");
        http_fail(rq, rc, NULL, "The site's database is not answering; nothing was saved. Try "
                                "again in a moment.");
    }
    if (rc != 0) {
        rq->status = http_status_for(rc);
        if (rq->status >= 500) {
            log_error("%s %s failed: %s", rq->method, rq->path, err_code(rc));
        }
        if (rq->route != NULL && (rq->route->flags & ROUTE_JSON)) {
            http_error_json(rq, rc);
        } else {
            buf_reset(&rq->out);
            http_render_error_page(rq, rq->status);
            rq->content_type = "text/html; charset=utf-8";
        }
    }
    if (rq->status == 0) {
        rq->status = MHD_HTTP_OK;
    }
    if (buf_err(&rq->out)) {
        log_error("%s %s: response too large", rq->method, rq->path);
        buf_reset(&rq->out);
        rq->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
    if (rc == 0 && rq->cache_status != NULL && strcmp(rq->cache_status, "miss") == 0) {
        http_cache_store(rq);
    }
    size_t len;
    char *body = buf_detach(&rq->out, &len);
    struct MHD_Response *res = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (res == NULL) {
        free(body);
        return -1;
    }
    if (rq->content_type == NULL) {
        rq->content_type = "text/html; charset=utf-8";
    }
    http_common_headers(res, rq->content_type);
    if (rq->user != NULL || rq->method_bit == HTTP_POST) {
        MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
    }
    for (int i = 0; i < rq->nheaders; i++) {
        MHD_add_response_header(res, rq->headers[i].name, rq->headers[i].value);
    }
    if (rq->cache_status != NULL) {
        MHD_add_response_header(res, "X-Guild-Cache", rq->cache_status);
        MHD_add_response_header(res, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    }
    enum MHD_Result ok = MHD_queue_response(rq->conn, (unsigned int)rq->status, res);
    MHD_destroy_response(res);
    return ok == MHD_YES ? 0 : -1;
}
