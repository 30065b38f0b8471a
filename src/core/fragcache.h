/* Rendered fragments shared between requests (an item's list-row HTML, its API JSON): most of
 * a signed-in member's list page is the same for every reader, so it is rendered once per
 * version and copied after that. Direct-mapped by id: a slot holds the last id that used it.
 * The stamp says which version of the data the fragment shows (the store's write sequence,
 * and the minute when it shows an age); a different stamp is a miss.
 * Ownership: the cache owns its copies (heap) for the life of the process; callers get bytes
 * appended to their buffer. Thread-safe. */
#ifndef GUILD_CORE_FRAGCACHE_H
#define GUILD_CORE_FRAGCACHE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define FRAGCACHE_SLOTS 4096

struct fragcache {
    pthread_mutex_t mu;
    struct {
        int64_t id;
        uint64_t stamp;
        char *data;
        size_t len;
    } slot[FRAGCACHE_SLOTS];
};

#define FRAGCACHE_INIT {.mu = PTHREAD_MUTEX_INITIALIZER}

/* Appends the fragment of id at stamp to out and returns true, or returns false. */
bool fragcache_get(struct fragcache *c, int64_t id, uint64_t stamp, struct buf *out);
/* Keeps a copy of p[0..n) as the fragment of id at stamp. */
void fragcache_put(struct fragcache *c, int64_t id, uint64_t stamp, const char *p, size_t n);

#endif
