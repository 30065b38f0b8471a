#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_CHUNK 8192

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct arena_defer {
    struct arena_defer *next;
    void (*fn)(void *);
    void *p;
};

void arena_init(struct arena *a)
{
    const char *dbg = getenv("ARENA_DEBUG");
    a->chunks = NULL;
    a->defers = NULL;
    a->debug = dbg != NULL && dbg[0] == '1';
}

void arena_fini(struct arena *a)
{
    while (a->defers != NULL) {
        struct arena_defer *d = a->defers;
        a->defers = d->next;
        d->fn(d->p); /* d itself lives in a chunk, freed below */
    }
    while (a->chunks != NULL) {
        struct arena_chunk *c = a->chunks;
        a->chunks = c->next;
        free(c);
    }
}

void *arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    size_t need = (n + align - 1) & ~(align - 1);
    if (need < n) {
        abort(); /* overflow */
    }
    struct arena_chunk *c = a->chunks;
    if (a->debug || c == NULL || c->cap - c->used < need) {
        size_t cap = (a->debug || need > ARENA_CHUNK / 2) ? need : ARENA_CHUNK;
        struct arena_chunk *nc = xmalloc(sizeof(*nc) + cap);
        nc->used = 0;
        nc->cap = cap;
        if (c != NULL && cap == need && !a->debug) {
            /* STYLE: big blocks go behind the current chunk so its free space stays usable */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->chunks = nc;
        }
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return arena_strdup(a, "");
    }
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *p)
{
    struct arena_defer *d = arena_alloc(a, sizeof(*d));
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
}
