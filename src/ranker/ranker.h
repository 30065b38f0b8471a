/* The ranker: builds a snapshot from the store, runs the rank library, writes scores and
 * explanations back in one transaction. Runs once (guild rank) or as a background thread of
 * guild serve that recomputes on a schedule and shortly after writes. */
#ifndef GUILD_RANKER_RANKER_H
#define GUILD_RANKER_RANKER_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

/* One full recompute at time now. OUT: *nitems ranked. */
int ranker_run_once(struct store *s, int64_t now, size_t *nitems)
    __attribute__((warn_unused_result));

struct ranker;
/* Starts the thread; it takes a connection from pool for each run. */
struct ranker *ranker_start(struct store_pool *pool, int interval_seconds);
/* Asks for a recompute soon (debounced: at most one run per second). Thread-safe. */
void ranker_poke(struct ranker *r);
/* Stops and joins the thread; NULL is a no-op. */
void ranker_stop(struct ranker *r);

#endif
