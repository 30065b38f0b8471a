/* Bump allocator freed all at once; one per request (and per CLI command).
 * Ownership: everything allocated from an arena lives until arena_fini. Deferred calls run LIFO
 * at arena_fini, so a request can tie a heap buffer or a statement reset to its lifetime.
 * With ARENA_DEBUG=1 in the environment each allocation is a real malloc (for ASan). */
#ifndef GUILD_CORE_ARENA_H
#define GUILD_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena_defer;

struct arena {
    struct arena_chunk *chunks;
    struct arena_defer *defers;
    int debug; /* every allocation its own chunk */
};

void arena_init(struct arena *a);
void arena_fini(struct arena *a);
/* Zeroed memory aligned for any type; aborts on OOM (never returns NULL). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(p) at arena_fini, last registered first. */
void arena_defer(struct arena *a, void (*fn)(void *), void *p);

#endif
