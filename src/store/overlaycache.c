/* The viewer's votes and opens on a page of items, remembered per process until the next
 * write this process sees (store_write_seq: its own, or another node's by notice within about
 * a quarter of a second), as the list and page caches are. Used on PostgreSQL, where the
 * lookup is the one round trip a signed-in member's list page makes (on SQLite it is a
 * function call). A slot is a fixed block: no allocation, nothing to free at exit. */
#include <pthread.h>
#include <string.h>

#include "store_int.h"

#define OVERLAY_SLOTS 512
#define OVERLAY_MAX_ROWS 100 /* larger pages are looked up each time */

struct overlay_slot {
    int64_t viewer; /* 0: empty */
    uint64_t seq;   /* store_write_seq when it was read from the database */
    size_t n;
    int64_t ids[OVERLAY_MAX_ROWS];
    signed char votes[OVERLAY_MAX_ROWS];
    bool opened[OVERLAY_MAX_ROWS];
};

static struct overlay_slot slots[OVERLAY_SLOTS];
static pthread_mutex_t overlay_mu = PTHREAD_MUTEX_INITIALIZER;

static struct overlay_slot *overlay_slot_for(int64_t viewer, const struct store_item *items,
                                             size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)viewer;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (uint64_t)items[i].id) * UINT64_C(0x100000001b3);
    }
    return &slots[h % OVERLAY_SLOTS];
}

static bool overlay_same_page(const struct overlay_slot *sl, int64_t viewer,
                              const struct store_item *items, size_t n)
{
    if (sl->viewer != viewer || sl->n != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (sl->ids[i] != items[i].id) {
            return false;
        }
    }
    return true;
}

bool store_overlaycache_get(int64_t viewer, struct store_item *items, size_t n)
{
    if (n > OVERLAY_MAX_ROWS || viewer == 0) {
        return false;
    }
    bool hit = false;
    pthread_mutex_lock(&overlay_mu);
    struct overlay_slot *sl = overlay_slot_for(viewer, items, n);
    if (sl->seq == store_write_seq() && overlay_same_page(sl, viewer, items, n)) {
        for (size_t i = 0; i < n; i++) {
            items[i].my_vote = sl->votes[i];
            items[i].my_opened = sl->opened[i];
        }
        hit = true;
    }
    pthread_mutex_unlock(&overlay_mu);
    return hit;
}

void store_overlaycache_put(int64_t viewer, uint64_t seq, const struct store_item *items,
                            size_t n)
{
    if (n > OVERLAY_MAX_ROWS || viewer == 0) {
        return;
    }
    pthread_mutex_lock(&overlay_mu);
    struct overlay_slot *sl = overlay_slot_for(viewer, items, n);
    sl->viewer = viewer;
    sl->seq = seq;
    sl->n = n;
    for (size_t i = 0; i < n; i++) {
        sl->ids[i] = items[i].id;
        sl->votes[i] = (signed char)items[i].my_vote;
        sl->opened[i] = items[i].my_opened;
    }
    pthread_mutex_unlock(&overlay_mu);
}
