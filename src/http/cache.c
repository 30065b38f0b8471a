/* The page cache for logged-out GETs: whole responses keyed by path, valid while no write has
 * happened in this process since they were rendered and for at most ttl seconds (so "3 hours
 * ago" stays true). Thread-safe; bodies are copied in and out (a copy of a page is far cheaper
 * than rendering it). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "http_int.h"

#define CACHE_SLOTS 128
#define CACHE_MAX_BODY (512 * 1024)

struct cache_entry {
    char *key;
    char *body;
    size_t len;
    const char *content_type; /* a string literal from the handler */
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

void http_cache_free(struct http_cache *c)
{
    if (c == NULL) {
        return;
    }
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->slot[i].key);
        free(c->slot[i].body);
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

bool http_cache_get(struct http_cache *c, const char *key, uint64_t seq, int64_t now,
                    struct buf *out, const char **content_type)
{
    bool hit = false;
    pthread_mutex_lock(&c->mu);
    struct cache_entry *e = cache_slot(c, key);
    if (e->key != NULL && strcmp(e->key, key) == 0 && e->seq == seq && now - e->at < c->ttl) {
        buf_append(out, e->body, e->len);
        *content_type = e->content_type;
        hit = buf_err(out) == 0;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void http_cache_put(struct http_cache *c, const char *key, uint64_t seq, int64_t now,
                    const char *body, size_t len, const char *content_type)
{
    if (len > CACHE_MAX_BODY) {
        return;
    }
    char *k = xstrdup(key), *b = xmalloc(len + 1);
    memcpy(b, body, len);
    b[len] = '\0';
    pthread_mutex_lock(&c->mu);
    struct cache_entry *e = cache_slot(c, key);
    char *old_key = e->key, *old_body = e->body;
    *e = (struct cache_entry){k, b, len, content_type, seq, now};
    pthread_mutex_unlock(&c->mu);
    free(old_key);
    free(old_body);
}
