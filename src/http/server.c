/* libmicrohttpd glue and request dispatch. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/metrics.h"
#include "../core/log.h"
#include "http_int.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_config cfg;
    struct http_cache *cache; /* NULL when off */
    struct http_deadlines *deadlines;
    struct http_offload *offload; /* NULL: deferred work runs on the worker */
    struct http_stats *stats;
};

struct http_offload *http_offload_of(struct http_request *rq)
{
    return rq->srv->offload;
}

void *http_deferred(const struct http_request *rq)
{
    return rq->defer_state == HTTP_DEFER_DONE ? rq->defer_arg : NULL;
}

static void http_release_db(void *p)
{
    struct http_request *rq = p;
    if (rq->db != NULL) {
        store_pool_release(rq->srv->cfg.pool, rq->db);
        rq->db = NULL;
    }
}

struct store *http_db(struct http_request *rq)
{
    if (rq->db == NULL) {
        rq->db = store_pool_acquire(rq->srv->cfg.pool);
        arena_defer(&rq->arena, http_release_db, rq);
    }
    return rq->db;
}

bool http_secure_cookies(const struct http_request *rq)
{
    return rq->srv->cfg.secure_cookies;
}

const char *http_query(struct http_request *rq, const char *name)
{
    const char *v = MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
    if (v == NULL || !utf8_valid_text(v, strlen(v))) {
        return NULL;
    }
    return v;
}

int http_query_count(struct http_request *rq)
{
    return MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL);
}

bool http_form_not_text(struct http_request *rq, const char *name)
{
    for (size_t i = 0; i < rq->nform; i++) {
        if (strcmp(rq->form[i].name, name) == 0) {
            return rq->form[i].not_text;
        }
    }
    return false;
}

const char *http_form(struct http_request *rq, const char *name)
{
    for (size_t i = 0; i < rq->nform; i++) {
        if (strcmp(rq->form[i].name, name) == 0) {
            return rq->form[i].value;
        }
    }
    return NULL;
}

const char *http_header(struct http_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

const char *http_csrf_token(struct http_request *rq)
{
    if (rq->session_csrf != NULL) {
        return rq->session_csrf;
    }
    const char *c = http_cookie(rq, HTTP_CSRF_COOKIE);
    if (c != NULL && strlen(c) == AUTH_SECRET_HEX - 1) {
        return c;
    }
    /* signed out: a double-submit token tied to this browser by a cookie */
    char *fresh = arena_alloc(&rq->arena, AUTH_SECRET_HEX);
    auth_secret_new(fresh);
    http_set_cookie(rq, HTTP_CSRF_COOKIE, fresh, 0);
    rq->session_csrf = fresh;
    return fresh;
}

/* Who is asking: a Bearer token (JSON routes) or the session cookie. */
static int http_identify(struct http_request *rq)
{
    const char *authz = http_header(rq, MHD_HTTP_HEADER_AUTHORIZATION);
    char hash[AUTH_SECRET_HEX];
    struct store_user *u = arena_alloc(&rq->arena, sizeof(*u));
    if (authz != NULL && (rq->route->flags & ROUTE_JSON)) {
        if (strncasecmp(authz, "Bearer ", 7) != 0) {
            return http_fail(rq, ERR_AUTH, "authorization", "Use: Authorization: Bearer TOKEN");
        }
        auth_secret_hash(authz + 7, hash);
        int rc = store_token_user(http_db(rq), &rq->arena, hash, u);
        if (rc == ERR_NOTFOUND) {
            return http_fail(rq, ERR_AUTH, "authorization", "Unknown API token.");
        }
        if (rc == 0 && u->banned) { /* a ban deletes tokens; this covers any left behind */
            return http_fail(rq, ERR_AUTH, "authorization", "This account is banned.");
        }
        if (rc == 0) {
            rq->user = u;
            rq->via_token = true;
        }
        return rc;
    }
    const char *sess = http_cookie(rq, HTTP_SESSION_COOKIE);
    if (sess == NULL || strlen(sess) != AUTH_SECRET_HEX - 1) {
        return 0;
    }
    auth_secret_hash(sess, hash);
    char *csrf = NULL;
    int rc = store_session_user(http_db(rq), &rq->arena, hash, u, &csrf);
    if (rc == 0 && u->banned) { /* a ban ends sessions; one left behind is ended here */
        rc = store_session_delete(http_db(rq), hash);
        return rc;
    }
    if (rc == 0) {
        rq->user = u;
        rq->session_csrf = csrf;
        rq->session_hash = arena_strdup(&rq->arena, hash);
    }
    return rc == ERR_NOTFOUND ? 0 : rc;
}

static void http_json_release(void *p)
{
    json_decref(p);
}

/* Parses the body for the route: urlencoded form or (JSON routes) a JSON document. */
static int http_parse_body(struct http_request *rq)
{
    if (rq->body_too_big) {
        return http_fail(rq, ERR_TOOBIG, "body", "The request is too large.");
    }
    if (rq->method_bit != HTTP_POST) {
        return 0;
    }
    const char *ct = http_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
    bool json = ct != NULL && strncasecmp(ct, "application/json", 16) == 0;
    if ((rq->route->flags & ROUTE_JSON) && json) {
        json_error_t jerr;
        rq->json = json_loadb(rq->body.data ? rq->body.data : "", rq->body.len,
                              JSON_REJECT_DUPLICATES, &jerr);
        if (rq->json != NULL) {
            arena_defer(&rq->arena, http_json_release, rq->json);
        }
        if (rq->json == NULL || !json_is_object(rq->json)) {
            rq->json = NULL;
            return http_fail(rq, ERR_INVAL, "body", "The body must be a JSON object.");
        }
        return 0;
    }
    if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
        (rq->route->flags & ROUTE_UPLOAD)) {
        if (http_multipart_parse(&rq->arena, ct, buf_cstr(&rq->body), rq->body.len, &rq->form,
                                 &rq->nform) != 0) {
            return http_fail(rq, ERR_INVAL, "body",
                             "The upload is malformed, or a field in it is not text.");
        }
        return 0;
    }
    if (rq->body.len > HTTP_MAX_BODY) {
        return http_fail(rq, ERR_TOOBIG, "body", "The request is too large.");
    }
    if (ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
        return http_fail(rq, ERR_INVAL, "body",
                         "Send forms as application/x-www-form-urlencoded (or JSON to the API).");
    }
    if (http_form_parse(&rq->arena, buf_cstr(&rq->body), rq->body.len, &rq->form, &rq->nform) !=
        0) {
        return http_fail(rq, ERR_INVAL, "body", "The form data is malformed or not valid text.");
    }
    return 0;
}

static int http_check_csrf(struct http_request *rq)
{
    if (rq->via_token || !(rq->route->flags & ROUTE_CSRF)) {
        return 0;
    }
    const char *sent = rq->json ? NULL : http_form(rq, "csrf");
    if (sent == NULL && (rq->route->flags & ROUTE_JSON)) {
        sent = http_header(rq, "X-CSRF-Token"); /* session-authenticated scripts */
    }
    const char *want = rq->session_csrf ? rq->session_csrf : http_cookie(rq, HTTP_CSRF_COOKIE);
    if (sent == NULL || want == NULL || !auth_secret_equal(sent, want)) {
        return http_fail(rq, ERR_DENIED, "csrf",
                         "This form has expired or did not come from this site. Reload the "
                         "page and try again.");
    }
    return 0;
}

static const struct http_route *http_find_route(struct http_request *rq, bool *path_known)
{
    const struct http_config *cfg = &rq->srv->cfg;
    *path_known = false;
    rq->route_index = cfg->nroutes; /* none: counted as unmatched */
    for (size_t i = 0; i < cfg->nroutes; i++) {
        const char *params[HTTP_MAX_PARAMS] = {0};
        int64_t id = 0;
        if (!http_route_match(&rq->arena, cfg->routes[i].pattern, rq->path, params, &id)) {
            continue;
        }
        *path_known = true;
        if (cfg->routes[i].method == rq->method_bit) {
            memcpy(rq->params, params, sizeof(params));
            rq->id = id;
            rq->route_index = i;
            return &cfg->routes[i];
        }
    }
    return NULL;
}

/* Whether the request's path and method name a route with a file field (ROUTE_UPLOAD),
 * asked before the body arrives to choose its cap. */
static bool http_takes_upload(struct http_request *rq)
{
    bool known;
    const struct http_route *r = http_find_route(rq, &known);
    return r != NULL && (r->flags & ROUTE_UPLOAD);
}

/* Whether the request comes from a signed-in member, asked before a large body is let in
 * (an upload route's cap is for members only). The connection goes back to the pool at once:
 * a slow upload must not hold one; dispatch identifies the member again. */
static bool http_signed_in_now(struct http_request *rq)
{
    if (http_cookie(rq, HTTP_SESSION_COOKIE) == NULL) {
        return false;
    }
    bool member = http_identify(rq) == 0 && rq->user != NULL;
    rq->user = NULL;
    rq->session_csrf = NULL;
    rq->session_hash = NULL;
    http_release_db(rq);
    return member;
}

/* A logged-out GET of a cacheable page: serve it from the cache when fresh (true), else mark
 * the request so that its response is stored. The write sequence is read before rendering,
 * so a write during rendering makes the stored copy stale at once. */
static bool http_try_cache(struct http_request *rq)
{
    struct http_cache *cache = rq->srv->cache;
    if (cache == NULL || !(rq->route->flags & ROUTE_CACHE) || rq->method_bit != HTTP_GET ||
        http_cookie(rq, HTTP_SESSION_COOKIE) != NULL ||
        http_header(rq, MHD_HTTP_HEADER_AUTHORIZATION) != NULL ||
        MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0) {
        return false;
    }
    rq->cache_seq = store_write_seq();
    const char *enc = http_header(rq, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (http_cache_serve(cache, rq->conn, rq->path, rq->cache_seq, rq->now,
                         enc != NULL && strstr(enc, "gzip") != NULL)) {
        rq->served = true;
        metric_add(METRIC_CACHE_HITS, 1);
        if ((rq->route->flags & ROUTE_OBSERVE) && rq->srv->cfg.observe != NULL) {
            rq->srv->cfg.observe(rq);
        }
        return true;
    }
    metric_add(METRIC_CACHE_MISSES, 1);
    buf_reset(&rq->out);
    rq->cacheable = true;
    rq->cache_status = "miss";
    return false;
}

void http_cache_store(struct http_request *rq)
{
    if (rq->cacheable && rq->status == MHD_HTTP_OK && !buf_err(&rq->out)) {
        for (int i = 0; i < rq->nheaders; i++) {
            if (strcasecmp(rq->headers[i].name, MHD_HTTP_HEADER_SET_COOKIE) == 0) {
                return; /* a page that hands out a cookie is not the same for everyone */
            }
        }
        http_cache_put(rq->srv->cache, rq->path, rq->cache_seq, rq->now, rq->out.data,
                       rq->out.len, rq->content_type);
    }
}

static int http_dispatch(struct http_request *rq)
{
    bool known;
    rq->route = http_find_route(rq, &known);
    if (rq->route == NULL) {
        rq->route = &http_fallback_route;
        if (strncmp(rq->path, "/api/", 5) == 0) {
            rq->route = &http_fallback_json_route;
        }
        (void)http_identify(rq); /* the error page's header shows who is signed in */
        return known ? http_fail(rq, ERR_METHOD, NULL, "That method is not allowed here.")
                     : http_fail(rq, ERR_NOTFOUND, NULL, "There is nothing at this address.");
    }
    if (http_try_cache(rq)) {
        return 0;
    }
    /* who first, then the body: a refused body's error page still knows the member, and a
     * body that needs a member is not parsed for anyone else */
    int rc = http_identify(rq);
    if (rc == 0 && !((rq->route->flags & ROUTE_AUTH) && rq->user == NULL)) {
        rc = http_parse_body(rq);
    }
    if (rc == 0 && (rq->route->flags & ROUTE_AUTH) && rq->user == NULL) {
        if (!(rq->route->flags & ROUTE_JSON) && rq->method_bit == HTTP_GET) {
            /* back where they were going after signing in (web_back checks it again) */
            return http_redirect(rq, strlen(rq->path) < 200 && strchr(rq->path, '%') == NULL &&
                                             strchr(rq->path, '&') == NULL &&
                                             strchr(rq->path, '#') == NULL
                                         ? arena_printf(&rq->arena, "/login?back=%s", rq->path)
                                         : "/login");
        }
        rc = http_fail(rq, ERR_AUTH, NULL, "Sign in first.");
    }
    if (rc == 0) {
        rc = http_check_csrf(rq);
    }
    /* every write by a member passes their standing first (suspended members read only) */
    if (rc == 0 && rq->user != NULL && rq->method_bit == HTTP_POST &&
        (rq->route->flags & ROUTE_AUTH) && !(rq->route->flags & ROUTE_SELF) &&
        rq->srv->cfg.may_act != NULL) {
        rc = rq->srv->cfg.may_act(rq);
    }
    if (rc == 0) {
        rc = rq->route->fn(rq);
    }
    return rc;
}

/* Queues the response for the handler's result, or suspends the connection while deferred
 * work runs (the pool resumes it, and MHD calls http_access again). */
static enum MHD_Result http_finish(struct http_request *rq, int rc)
{
    /* Give the store connection back now, not at completion: a worker thread serves many
     * connections, and completion waits for the response to be sent by that same thread. */
    if (rc == HTTP_DEFERRED) {
        http_release_db(rq);
        MHD_suspend_connection(rq->conn);
        http_offload_submit(rq->srv->offload, rq);
        return MHD_YES;
    }
    int queued = rq->served ? 0 : http_respond(rq, rc);
    http_release_db(rq);
    return queued == 0 ? MHD_YES : MHD_NO;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *conn, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **req_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct http_request *rq = *req_cls;
    if (rq == NULL) {
        /* first call: headers only. Never queue here (MHD would close the connection). */
        rq = xcalloc(1, sizeof(*rq));
        arena_init(&rq->arena);
        rq->srv = srv;
        rq->app = srv->cfg.app;
        rq->conn = conn;
        rq->path = arena_strdup(&rq->arena, url);
        rq->method = arena_strdup(&rq->arena, method);
        rq->method_bit = (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) ? HTTP_GET
                         : strcmp(method, "POST") == 0                               ? HTTP_POST
                                                                                     : 0;
        rq->now = now_unix();
        rq->started = metrics_clock();
        rq->write_seq = store_write_seq(); /* before anything is read for this request */
        /* only a route with a file field takes multipart, and a larger body */
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_TYPE);
        bool upload = ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0 &&
                      http_takes_upload(rq) && http_signed_in_now(rq);
        buf_init(&rq->body, upload ? HTTP_MAX_UPLOAD : HTTP_MAX_BODY);
        buf_init(&rq->out, 0);
        http_client_ip(rq, conn, srv->cfg.trust_proxy);
        *req_cls = rq;
        http_deadlines_phase(conn, HTTP_PHASE_BODY);
        return MHD_YES;
    }
    if (rq->defer_state == HTTP_DEFER_DONE) { /* resumed: the handler finishes its work */
        return http_finish(rq, rq->route->fn(rq));
    }
    if (*upload_data_size > 0) {
        if (!rq->body_too_big) {
            buf_append(&rq->body, upload_data, *upload_data_size);
            rq->body_too_big = buf_err(&rq->body) != 0;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    http_deadlines_phase(conn, HTTP_PHASE_HANDLING);
    return http_finish(rq, http_dispatch(rq));
}

/* Counts a request that got an answer, by route and status, with its latency. */
static void http_count(struct http_request *rq)
{
    int status = rq->status != 0 ? rq->status : rq->served ? 200 : 0;
    if (status == 0 || rq->route == NULL) {
        return; /* the connection ended before an answer */
    }
    http_stats_record(rq->srv->stats, rq->route_index, status, metrics_clock() - rq->started);
}

void http_metrics_write(struct http_request *rq, struct buf *b)
{
    http_stats_write(rq->srv->stats, rq->srv->cfg.routes, b);
}

static void http_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                           enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)toe;
    http_deadlines_phase(conn, HTTP_PHASE_HEADERS); /* a kept-alive connection waits again */
    struct http_request *rq = *req_cls;
    if (rq == NULL) {
        return;
    }
    http_count(rq);
    arena_fini(&rq->arena); /* releases the store connection and JSON documents */
    buf_fini(&rq->body);
    buf_fini(&rq->out);
    free(rq);
    *req_cls = NULL;
}

static int http_parse_listen(const char *listen, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host)) {
        return ERR_INVAL;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    int64_t port = 0;
    if (strcmp(colon + 1, "0") != 0 && (!parse_id(colon + 1, &port) || port > 65535)) {
        return ERR_INVAL;
    }
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        return ERR_INVAL;
    }
    return 0;
}

/* Percent-decoding for the path and query values, in place. %00 is left as it is: a NUL
 * would cut the string short ("/static/guild.css%00.txt" would serve guild.css), while the
 * literal text simply names nothing. */
static size_t http_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls, (void)conn;
    char *w = s;
    for (const char *r = s; *r != '\0'; r++) {
        int hi = r[0] == '%' ? hex_digit(r[1]) : -1, lo = hi >= 0 ? hex_digit(r[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

/* As many connections as the descriptor limit allows (raised to its hard limit), up to 8192:
 * a few addresses that each hold the per-address maximum must not fill the server. */
static unsigned int http_connection_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        return 1000;
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            getrlimit(RLIMIT_NOFILE, &rl);
        }
    }
    rlim_t room = rl.rlim_cur > 256 ? rl.rlim_cur - 128 : rl.rlim_cur / 2;
    return room > 8192 ? 8192 : (unsigned int)room;
}

static struct MHD_Daemon *http_daemon_start(struct http_server *srv, struct sockaddr_in *sa)
{
    const struct http_config *cfg = &srv->cfg;
    return MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL, http_access, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(cfg->threads > 0 ? cfg->threads : 4),
        MHD_OPTION_CONNECTION_LIMIT, http_connection_limit(), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)256, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        http_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, http_deadlines_notify,
        srv->deadlines, MHD_OPTION_UNESCAPE_CALLBACK, http_unescape, NULL, MHD_OPTION_END);
}

int http_start(const struct http_config *cfg, struct http_server **out, int *port)
{
    struct sockaddr_in sa;
    if (http_parse_listen(cfg->listen, &sa) != 0) {
        log_error("--listen wants IPV4:PORT, e.g. 127.0.0.1:8080 (got '%s')", cfg->listen);
        return ERR_INVAL;
    }
    struct http_server *srv = xcalloc(1, sizeof(*srv));
    srv->cfg = *cfg;
    srv->cache = cfg->cache_ttl > 0 ? http_cache_new(cfg->cache_ttl) : NULL;
    srv->deadlines = http_deadlines_start(cfg->header_timeout > 0 ? cfg->header_timeout : 20,
                                          cfg->body_timeout > 0 ? cfg->body_timeout : 30);
    srv->offload = http_offload_start(HTTP_OFFLOAD_THREADS, 64);
    srv->stats = http_stats_new(cfg->nroutes);
    srv->daemon = srv->deadlines ? http_daemon_start(srv, &sa) : NULL;
    if (srv->daemon == NULL) {
        log_error("cannot listen on %s", cfg->listen);
        http_offload_drain(srv->offload);
        http_offload_free(srv->offload);
        http_deadlines_stop(srv->deadlines);
        http_cache_free(srv->cache);
        http_stats_free(srv->stats);
        free(srv);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : 0;
    *out = srv;
    return 0;
}

void http_stop(struct http_server *srv)
{
    if (srv == NULL) {
        return;
    }
    http_offload_drain(srv->offload); /* resumes every suspended connection first */
    MHD_stop_daemon(srv->daemon);
    http_deadlines_stop(srv->deadlines);
    http_offload_free(srv->offload);
    http_cache_free(srv->cache);
    http_stats_free(srv->stats);
    free(srv);
}

void http_render_error_page(struct http_request *rq, int status)
{
    rq->srv->cfg.render_error_page(rq, status);
}
