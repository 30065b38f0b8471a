/* The fragment cache (fragcache.h). */
#include "fragcache.h"

#include <stdlib.h>
#include <string.h>

bool fragcache_get(struct fragcache *c, int64_t id, uint64_t stamp, struct buf *out)
{
    size_t k = (size_t)((uint64_t)id % FRAGCACHE_SLOTS);
    pthread_mutex_lock(&c->mu);
    bool hit = c->slot[k].data != NULL && c->slot[k].id == id && c->slot[k].stamp == stamp;
    if (hit) {
        buf_append(out, c->slot[k].data, c->slot[k].len);
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

void fragcache_put(struct fragcache *c, int64_t id, uint64_t stamp, const char *p, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy == NULL) {
        return; /* only a cache */
    }
    memcpy(copy, p, n);
    copy[n] = '\0';
    size_t k = (size_t)((uint64_t)id % FRAGCACHE_SLOTS);
    pthread_mutex_lock(&c->mu);
    char *old = c->slot[k].data;
    c->slot[k].id = id;
    c->slot[k].stamp = stamp;
    c->slot[k].data = copy;
    c->slot[k].len = n;
    pthread_mutex_unlock(&c->mu);
    free(old);
}
