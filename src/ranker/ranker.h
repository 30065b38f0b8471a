/* The ranker: builds a snapshot from the store, runs the rank library, and writes scores,
 * explanations and member trust back in one transaction. Runs once (guild rank) or as a
 * background thread of guild serve that recomputes everything on a schedule, and updates a
 * single item incrementally after each vote (ranker_item_changed). */
#ifndef GUILD_RANKER_RANKER_H
#define GUILD_RANKER_RANKER_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

/* One full recompute at time now. OUT: *nitems ranked. */
int ranker_run_once(struct store *s, int64_t now, size_t *nitems)
    __attribute__((warn_unused_result));

struct ranker;
/* Starts the thread; it takes a connection from pool for each full run. */
struct ranker *ranker_start(struct store_pool *pool, int interval_seconds);
/* Asks for a full recompute soon (debounced: at most one a second). Thread-safe. */
void ranker_poke(struct ranker *r);
/* After a vote or an open on item_id: recomputes that item alone with the trust and clusters
 * of the last full run and writes it through db (the caller's connection). Items or members
 * newer than that run trigger a full recompute instead. Thread-safe; returns 0 or an error. */
int ranker_item_changed(struct ranker *r, struct store *db, int64_t item_id, int64_t now)
    __attribute__((warn_unused_result));
/* Stops and joins the thread; NULL is a no-op. */
void ranker_stop(struct ranker *r);

#endif
