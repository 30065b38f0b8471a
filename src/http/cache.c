/* The page cache for logged-out GETs: ready-made responses keyed by path, valid while no write
 * has happened in this process since they were rendered and for at most ttl seconds (so "3
 * hours ago" stays true). Each entry holds two libmicrohttpd responses built once, with all
 * their headers: the page as is, and gzip-compressed for clients that accept it (compressed
 * once per fill, so it pays even on loopback). libmicrohttpd counts references to a response,
 * so a hit only queues the shared one: no copy of the page, no allocation. Thread-safe. */
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../core/util.h"
#include "http_int.h"

#define CACHE_SLOTS 128
#define CACHE_MAX_BODY (512 * 1024)
#define CACHE_GZIP_MIN 1024 /* smaller pages are not worth a Content-Encoding */

struct cache_entry {
    char *key;
    struct MHD_Response *plain, *gz; /* gz NULL when not worth it */
    uint64_t seq;
    int64_t at;
};

struct http_cache {
    pthread_mutex_t mu;
    int ttl;
    struct cache_entry slot[CACHE_SLOTS];
};

struct http_cache *http_cache_new(int ttl_seconds)
{
    struct http_cache *c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    c->ttl = ttl_seconds;
    return c;
}

static void entry_clear(struct cache_entry *e)
{
    free(e->key);
    if (e->plain != NULL) {
        MHD_destroy_response(e->plain); /* drops our reference; queued copies keep theirs */
    }
    if (e->gz != NULL) {
        MHD_destroy_response(e->gz);
    }
    *e = (struct cache_entry){0};
}

void http_cache_free(struct http_cache *c)
{
    if (c == NULL) {
        return;
    }
    for (int i = 0; i < CACHE_SLOTS; i++) {
        entry_clear(&c->slot[i]);
    }
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static struct cache_entry *cache_slot(struct http_cache *c, const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const char *p = key; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return &c->slot[h % CACHE_SLOTS];
}

bool http_cache_serve(struct http_cache *c, struct MHD_Connection *conn, const char *key,
                      uint64_t seq, int64_t now, bool gzip_ok)
{
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    struct cache_entry *e = cache_slot(c, key);
    if (e->key != NULL && strcmp(e->key, key) == 0 && e->seq == seq && now - e->at < c->ttl) {
        /* queued under the lock: a concurrent put cannot drop the response meanwhile */
        struct MHD_Response *res = gzip_ok && e->gz != NULL ? e->gz : e->plain;
        hit = MHD_queue_response(conn, MHD_HTTP_OK, res) == MHD_YES;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

/* gzip of body into a malloc'd buffer, or NULL when it fails or does not shrink the page. */
static char *gzip_body(const char *body, size_t len, size_t *out_len)
{
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return NULL;
    }
    size_t cap = deflateBound(&z, (uLong)len);
    char *out = xmalloc(cap);
    z.next_in = (Bytef *)(uintptr_t)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int zrc = deflate(&z, Z_FINISH);
    *out_len = z.total_out;
    deflateEnd(&z);
    if (zrc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

static struct MHD_Response *shared_response(char *body, size_t len, const char *content_type,
                                            bool gzipped)
{
    struct MHD_Response *res = MHD_create_response_from_buffer_with_free_callback(len, body, free);
    if (res == NULL) {
        free(body);
        return NULL;
    }
    http_common_headers(res, content_type);
    MHD_add_response_header(res, "X-Guild-Cache", "hit");
    MHD_add_response_header(res, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    if (gzipped) {
        MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    }
    return res;
}

void http_cache_put(struct http_cache *c, const char *key, uint64_t seq, int64_t now,
                    const char *body, size_t len, const char *content_type)
{
    if (len > CACHE_MAX_BODY) {
        return;
    }
    char *copy = xmalloc(len + 1), *gz = NULL;
    memcpy(copy, body, len);
    size_t gz_len = 0;
    if (len >= CACHE_GZIP_MIN) {
        gz = gzip_body(body, len, &gz_len);
    }
    struct cache_entry fresh = {xstrdup(key), shared_response(copy, len, content_type, false),
                                gz ? shared_response(gz, gz_len, content_type, true) : NULL, seq,
                                now};
    if (fresh.plain == NULL) {
        entry_clear(&fresh);
        return;
    }
    pthread_mutex_lock(&c->mu);
    struct cache_entry *e = cache_slot(c, key), old = *e;
    *e = fresh;
    pthread_mutex_unlock(&c->mu);
    entry_clear(&old);
}
