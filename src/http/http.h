/* HTTP: libmicrohttpd glue, the route table type, request lifecycle, forms, cookies, the
 * signed-in member, CSRF, and the one place errors become statuses (respond.c).
 *
 * Lifecycle: a request is allocated on MHD's first callback, collects its body (capped),
 * is dispatched on the final callback, and is destroyed only in MHD's completion callback,
 * which runs arena_fini (releasing the store connection and anything deferred).
 * Ownership: everything reachable from struct http_request lives in rq->arena unless noted;
 * the response body buffer is handed to MHD, never pointing into the arena. */
#ifndef GUILD_HTTP_HTTP_H
#define GUILD_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../core/buf.h"
#include "../store/store.h"

struct app;
struct http_request;
struct http_server;

#define HTTP_GET 1
#define HTTP_POST 2

/* route flags */
#define ROUTE_JSON 1 /* errors as JSON; body may be JSON; Bearer tokens accepted */
#define ROUTE_AUTH 2 /* must be signed in: 401 JSON, or a redirect to /login for pages */
#define ROUTE_CSRF 4 /* form POST: the csrf field must match */
#define ROUTE_CACHE 8 /* logged-out GETs without a query string may come from the page cache */
#define ROUTE_SELF 16 /* a member's care of their own account (password, tokens, mail, own
                       * comments): open to suspended members, whose other writes are refused */

#define ROUTE_UPLOAD 32 /* form may be multipart/form-data (a file field), up to
                         * HTTP_MAX_UPLOAD bytes; other routes refuse multipart */

#define ROUTE_OBSERVE 64 /* a page whose reading is a signal: when the page cache answers a
                          * logged-out GET of it, http_config.observe is still called */

#define HTTP_MAX_BODY (64 * 1024)
#define HTTP_MAX_UPLOAD (1024 * 1024)
#define HTTP_SESSION_COOKIE "guild_session"
#define HTTP_CSRF_COOKIE "guild_csrf"
#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 8

typedef int (*http_handler)(struct http_request *rq);

struct http_route {
    int method;
    const char *pattern; /* "/i/:id": ":" segments are captured into rq->params */
    http_handler fn;
    int flags;
};

struct http_field {
    const char *name, *value;
    bool not_text; /* an uploaded file that is not UTF-8 text: value is "" */
};

struct http_request {
    struct arena arena;
    struct app *app;
    struct http_server *srv;
    void *conn; /* struct MHD_Connection */
    const struct http_route *route;
    size_t route_index; /* route's place in the table; nroutes when none matched */
    const char *method, *path;
    int method_bit;
    struct buf body;
    bool body_too_big;
    const char *params[HTTP_MAX_PARAMS];
    int64_t id; /* the route's ":id", a positive integer (the route table checked it); else 0 */
    struct http_field *form;
    size_t nform;
    json_t *json; /* parsed JSON body on ROUTE_JSON POSTs; released with the arena */
    struct store *db;
    struct store_user *user; /* NULL when signed out */
    char *session_csrf;      /* the session's CSRF token when signed in by cookie */
    char *session_hash;
    bool via_token;
    char ip[64];
    int64_t now;
    double started; /* metrics_clock() when the headers arrived, for the latency histogram */
    uint64_t write_seq; /* the store's write sequence when the request began (fragment caches) */

    /* response */
    int status;
    struct buf out;
    const char *content_type;
    struct {
        const char *name, *value;
    } headers[HTTP_MAX_HEADERS];
    int nheaders;
    bool cacheable;          /* set on dispatch: store the response in the page cache */
    uint64_t cache_seq;      /* the store's write sequence before rendering */
    const char *cache_status; /* "miss" for X-Guild-Cache; NULL when not cacheable */
    bool served;             /* the page cache already queued the response */
    /* deferred work (http_defer): set by the handler's first call, run on the offload pool */
    void (*defer_fn)(void *arg);
    void *defer_arg;
    enum { HTTP_DEFER_NONE, HTTP_DEFER_QUEUED, HTTP_DEFER_DONE } defer_state;
    const char *err_field;   /* for JSON errors: the offending field */
    const char *err_message; /* sentence for the member */
};

/* What the server needs from the application. */
struct http_config {
    const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
    int threads;
    bool secure_cookies;
    bool trust_proxy;   /* a loopback peer's X-Real-IP is the client (behind nginx) */
    int cache_ttl;      /* seconds a logged-out page may be reused; 0 turns the cache off */
    const struct http_route *routes;
    size_t nroutes;
    struct app *app;
    struct store_pool *pool;
    /* 0 when the signed-in member may write, else an http_fail code: asked before every
     * POST to a route that needs a member (NULL: no check) */
    int (*may_act)(struct http_request *rq);
    int header_timeout; /* seconds a request may take to send its headers (default 20) */
    int body_timeout;   /* seconds it may then take to send its body (default 30) */
    /* after the page cache answered a ROUTE_OBSERVE route (rq->params set, no member; NULL:
     * nothing); it may use http_db but writes nothing to the response */
    void (*observe)(struct http_request *rq);
    /* renders an HTML error page into rq->out for status (rq->err_message may be set) */
    void (*render_error_page)(struct http_request *rq, int status);
};

struct http_server;
/* This server's request counts by route and status and its latency histogram, in the
 * Prometheus text format (for /metrics). */
void http_metrics_write(struct http_request *rq, struct buf *b);
/* True when the request came straight from this machine (a loopback peer, and no proxy
 * header saying it was forwarded for someone else). */
bool http_from_loopback(struct http_request *rq);
/* The client's address as rate limits count it: an IPv4 address, or an IPv6 address's /64
 * (in rq's arena, or rq->ip itself). */
const char *http_client_key(struct http_request *rq);
/* The port this request's server listens on (the one picked when configured as 0). */
int http_local_port(const struct http_request *rq);
/* Starts listening; OUT: *out (stop with http_stop). *port gets the bound port. */
int http_start(const struct http_config *cfg, struct http_server **out, int *port)
    __attribute__((warn_unused_result));
void http_stop(struct http_server *srv);

/* ---- helpers for handlers ---- */
/* The store connection for this request (acquired on first use, released at the end). */
struct store *http_db(struct http_request *rq);
const char *http_query(struct http_request *rq, const char *name); /* NULL if absent/invalid */
const char *http_form(struct http_request *rq, const char *name);  /* NULL if absent */
int http_query_count(struct http_request *rq); /* parameters in the query string */
/* True when the form's file field name holds a file that is not text (multipart only). */
bool http_form_not_text(struct http_request *rq, const char *name);
const char *http_header(struct http_request *rq, const char *name);
const char *http_cookie(struct http_request *rq, const char *name);
/* The CSRF token forms on this page must carry (sets a pre-session cookie when needed). */
const char *http_csrf_token(struct http_request *rq);
bool http_secure_cookies(const struct http_request *rq);
/* Runs fn(arg) off the request workers (argon2id): the handler returns what this returns at
 * once; when fn has run, the handler is called again and http_deferred gives it arg back. arg
 * must live in rq->arena (or longer) and fn must touch nothing but arg: it runs on another
 * thread while the request waits. ERR_LIMIT (429, Retry-After set) when the queue is full. */
int http_defer(struct http_request *rq, void (*fn)(void *arg), void *arg)
    __attribute__((warn_unused_result));
/* The arg of rq's finished deferred work, or NULL on the handler's first call. */
void *http_deferred(const struct http_request *rq);

void http_add_header(struct http_request *rq, const char *name, const char *value);
/* Set-Cookie with HttpOnly, SameSite=Lax, Path=/ (+ Secure when configured). max_age < 0
 * deletes it. */
void http_set_cookie(struct http_request *rq, const char *name, const char *value, int max_age);
/* 303 See Other to a local path. Returns 0 for `return http_redirect(...)`. */
int http_redirect(struct http_request *rq, const char *location);
/* Records the member-facing message and returns rc, for `return http_fail(...)`. */
int http_fail(struct http_request *rq, int rc, const char *field, const char *message);
/* Status for an error code (respond.c): ERR_INVAL -> 400, ERR_NOTFOUND -> 404 ... */
int http_status_for(int rc);

/* ---- parsers (pure, fuzzable) ---- */
/* application/x-www-form-urlencoded: decodes + and %XX. ERR_INVAL on bad escapes, invalid
 * UTF-8 or more than 64 fields. OUT: array in a; later duplicates of a name are dropped. */
int http_form_parse(struct arena *a, const char *body, size_t n, struct http_field **out,
                    size_t *nout) __attribute__((warn_unused_result));
/* multipart/form-data with the boundary from content_type: each part's value (a file's
 * contents too) under its name. ERR_INVAL when malformed, when a field that is not a file is
 * not valid UTF-8 text, or past 64 fields; a file that is not text is "" and not_text. OUT: array and strings in a; later duplicates of a name are dropped. */
int http_multipart_parse(struct arena *a, const char *content_type, const char *body, size_t n,
                         struct http_field **out, size_t *nout) __attribute__((warn_unused_result));
/* Matches path against pattern, capturing ":" segments (arena copies) into params. A ":id"
 * segment must be a positive integer (else no match: the path names nothing); OUT: *id. */
bool http_route_match(struct arena *a, const char *pattern, const char *path,
                      const char *params[HTTP_MAX_PARAMS], int64_t *id);

#endif
