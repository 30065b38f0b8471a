/* libcurl under the SSRF guard: resolve, check, pin, fetch one hop, repeat for redirects. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <stddef.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/err.h"
#include "../core/util.h"
#include "fetch_int.h"

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_global_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT); /* STYLE: once per process, before any handle */
}

void fetch_init(void)
{
    pthread_once(&fetch_once, fetch_global_init);
}

void fetch_options_default(struct fetch_options *o)
{
    *o = (struct fetch_options){.max_bytes = 4 * 1024 * 1024, .timeout_ms = 20000,
                                .max_redirects = 5};
}

void fetch_result_fini(struct fetch_result *r)
{
    buf_fini(&r->body);
    free(r->final_url), free(r->etag), free(r->last_modified), free(r->content_type);
    free(r->content_language);
    free(r->cache_control), free(r->expires), free(r->retry_after), free(r->date);
    memset(r, 0, sizeof(*r));
}

int fetch_check_host(const char *url, bool allow_loopback, char *resolve, size_t n,
                            const char **refused)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = ERR_INVAL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        *refused = "not a valid URL";
        goto out;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        *refused = "only http and https are fetched";
        rc = ERR_DENIED;
        goto out;
    }
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
        *refused = "not a valid URL";
        goto out;
    }
    char name[256];
    size_t hl = strlen(host);
    if (host[0] == '[' && hl > 2 && hl - 2 < sizeof(name)) { /* IPv6 literal */
        memcpy(name, host + 1, hl - 2);
        name[hl - 2] = '\0';
    } else if (hl < sizeof(name)) {
        memcpy(name, host, hl + 1);
    } else {
        *refused = "host name too long";
        goto out;
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(name, NULL, &hints, &res) != 0 || res == NULL) {
        *refused = "the host name does not resolve";
        rc = ERR_IO;
        goto out;
    }
    char addr[INET6_ADDRSTRLEN] = "";
    rc = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        const char *why = fetch_addr_refusal(ai->ai_addr, allow_loopback);
        if (why != NULL) { /* any bad address refuses the host: no choosing among them */
            *refused = why;
            rc = ERR_DENIED;
            break;
        }
        if (addr[0] == '\0') {
            const void *a = ai->ai_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr;
            inet_ntop(ai->ai_family, a, addr, sizeof(addr));
        }
    }
    freeaddrinfo(res);
    if (rc == 0) {
        bool v6 = strchr(addr, ':') != NULL;
        snprintf(resolve, n, "%s:%s:%s%s%s", name, port, v6 ? "[" : "", addr, v6 ? "]" : "");
    }
out:
    curl_free(scheme), curl_free(host), curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct fetch_hop *h = ud;
    size_t n = size * nmemb;
    if (h->r->body.len + n > h->max) {
        h->too_big = true;
        return 0; /* aborts the transfer */
    }
    buf_append(&h->r->body, p, n);
    return n;
}

static void keep_header(char **slot, const char *value, size_t n)
{
    while (n > 0 && (value[n - 1] == '\r' || value[n - 1] == '\n' || value[n - 1] == ' ')) {
        n--;
    }
    while (n > 0 && *value == ' ') {
        value++, n--;
    }
    free(*slot);
    *slot = xmalloc(n + 1);
    memcpy(*slot, value, n);
    (*slot)[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    struct fetch_result *r = ((struct fetch_hop *)ud)->r;
    size_t n = size * nmemb;
    static const struct {
        const char *name;
        size_t off;
    } wanted[] = {{"etag:", offsetof(struct fetch_result, etag)},
                  {"last-modified:", offsetof(struct fetch_result, last_modified)},
                  {"content-type:", offsetof(struct fetch_result, content_type)},
                  {"content-language:", offsetof(struct fetch_result, content_language)},
                  {"cache-control:", offsetof(struct fetch_result, cache_control)},
                  {"expires:", offsetof(struct fetch_result, expires)},
                  {"retry-after:", offsetof(struct fetch_result, retry_after)},
                  {"date:", offsetof(struct fetch_result, date)}};
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        size_t k = strlen(wanted[i].name);
        if (n > k && strncasecmp(p, wanted[i].name, k) == 0) {
            keep_header((char **)(void *)((char *)r + wanted[i].off), p + k, n - k);
        }
    }
    return n;
}

long fetch_ms_left(const struct timespec *start, long budget)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long used = (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
    return budget - used;
}

CURL *fetch_hop_begin(const char *url, const char *resolve, const struct fetch_options *o,
                      long timeout_ms, struct fetch_hop *h)
{
    CURL *c = curl_easy_init();
    if (c == NULL) {
        return NULL;
    }
    h->pin = curl_slist_append(NULL, resolve);
    h->hdrs = NULL;
    h->max = o->max_bytes;
    h->too_big = false;
    char line[512];
    if (o->if_none_match) {
        snprintf(line, sizeof(line), "If-None-Match: %s", o->if_none_match);
        h->hdrs = curl_slist_append(h->hdrs, line);
    }
    if (o->if_modified_since) {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", o->if_modified_since);
        h->hdrs = curl_slist_append(h->hdrs, line);
    }
    if (o->post_body) {
        snprintf(line, sizeof(line), "Content-Type: %s",
                 o->post_type ? o->post_type : "application/json");
        h->hdrs = curl_slist_append(h->hdrs, line);
        for (const char *const *x = o->post_headers; x != NULL && *x != NULL; x++) {
            h->hdrs = curl_slist_append(h->hdrs, *x);
        }
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, o->post_body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(o->post_body));
    }
    buf_reset(&h->r->body);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_RESOLVE, h->pin);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never through an environment proxy */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "Guild/1 (+feed fetcher)");
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(c, CURLOPT_PRIVATE, h);
    return c;
}

int fetch_hop_end(CURL *c, CURLcode cc, struct fetch_hop *h, bool follow, char **next)
{
    struct fetch_result *r = h->r;
    int rc = 0;
    *next = NULL;
    if (h->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        rc = ERR_TOOBIG;
    } else if (cc != CURLE_OK) {
        r->refused = cc == CURLE_OPERATION_TIMEDOUT ? "timed out" : "network error";
        rc = ERR_IO;
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        char *loc = NULL;
        if (follow && r->status >= 300 && r->status < 400 &&
            curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc != NULL) {
            *next = xstrdup(loc);
        }
    }
    curl_slist_free_all(h->pin);
    curl_slist_free_all(h->hdrs);
    h->pin = h->hdrs = NULL;
    curl_easy_cleanup(c);
    return rc;
}

/* One request to url (already checked: resolve pins it). OUT: *next when redirected. */
static int fetch_hop(const char *url, const char *resolve, const struct fetch_options *o,
                     long timeout_ms, struct fetch_result *r, char **next)
{
    struct fetch_hop h = {.r = r};
    CURL *c = fetch_hop_begin(url, resolve, o, timeout_ms, &h);
    if (c == NULL) {
        return ERR_NOMEM;
    }
    CURLcode cc = curl_easy_perform(c);
    return fetch_hop_end(c, cc, &h, o->post_body == NULL, next);
}

int fetch_url(const char *url, const struct fetch_options *o, struct fetch_result *out)
{
    fetch_init();
    memset(out, 0, sizeof(*out));
    buf_init(&out->body, 0);
    out->permanent = true;
    if (o->allow_loopback && !fetch_test_mode()) {
        out->refused = "the loopback allow-list works only in test mode (GUILD_TEST_MODE=1)";
        return ERR_INVAL;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *cur = xstrdup(url);
    int rc = 0;
    for (;;) {
        char resolve[512];
        if ((rc = fetch_check_host(cur, o->allow_loopback, resolve, sizeof(resolve),
                                   &out->refused)) != 0) {
            if (rc == ERR_INVAL && out->redirects > 0) {
                rc = ERR_DENIED; /* the server sent us somewhere we do not go */
                out->refused = "the redirect does not lead to an http or https URL";
            }
            break;
        }
        long left = fetch_ms_left(&start, o->timeout_ms);
        if (left <= 0) {
            out->refused = "timed out";
            rc = ERR_IO;
            break;
        }
        char *next = NULL;
        if ((rc = fetch_hop(cur, resolve, o, left, out, &next)) != 0 || next == NULL) {
            break;
        }
        if (out->redirects == o->max_redirects) {
            free(next);
            out->refused = "too many redirects";
            rc = ERR_IO;
            break;
        }
        out->redirects++;
        out->permanent = out->permanent && (out->status == 301 || out->status == 308);
        free(cur);
        cur = next; /* the next hop is checked and pinned afresh: no rebinding */
    }
    out->final_url = cur;
    if (out->redirects == 0) {
        out->permanent = false;
    }
    return rc;
}
