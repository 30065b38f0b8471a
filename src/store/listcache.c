/* Shared list rows: the front page, new, the directory and the API lists are the same rows for
 * every member except for the member's own vote and open. The rows are read once per write
 * (keyed by the process's write sequence, read before the query so a write during it makes
 * them stale at once) and copied out to each request, and the viewer's votes and opens are
 * laid over them with two small queries (logged-in front page ~13,700 -> see
 * docs/performance.md). Thread-safe; process-wide like the write sequence. */
#include <pthread.h>
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define LIST_SLOTS 64

struct list_entry {
    bool used;
    int kind, order, limit, offset; /* kind: 0 every kind, 1 link, 2 blog */
    uint64_t seq;
    struct arena arena; /* owns rows and their strings */
    struct store_item *rows;
    size_t n;
};

static struct {
    pthread_mutex_t mu;
    struct list_entry slot[LIST_SLOTS];
} lists = {.mu = PTHREAD_MUTEX_INITIALIZER};

static char *dup(struct arena *a, const char *s)
{
    return arena_strdup(a, s ? s : "");
}

/* A copy of rows whose strings live in a. */
static struct store_item *copy_rows(struct arena *a, const struct store_item *rows, size_t n)
{
    struct store_item *out = arena_alloc(a, (n ? n : 1) * sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        out[i] = rows[i];
        out[i].kind = dup(a, rows[i].kind);
        out[i].url = dup(a, rows[i].url);
        out[i].canon_url = dup(a, rows[i].canon_url);
        out[i].domain = dup(a, rows[i].domain);
        out[i].title = dup(a, rows[i].title);
        out[i].body = dup(a, rows[i].body);
        out[i].feed_url = dup(a, rows[i].feed_url);
        out[i].tags = dup(a, rows[i].tags);
        out[i].user_handle = dup(a, rows[i].user_handle);
        out[i].explain = "";
        out[i].status = dup(a, rows[i].status);
        out[i].queue_reason = dup(a, rows[i].queue_reason);
        out[i].my_vote = 0;
        out[i].my_opened = false;
    }
    return out;
}

static struct list_entry *slot_for(int kind, int order, int limit, int offset)
{
    unsigned h = (unsigned)(kind * 131 + order * 31 + limit * 7) + (unsigned)offset * 2654435761u;
    return &lists.slot[h % LIST_SLOTS];
}

int store_item_list(struct store *s, struct arena *a, const char *kind, enum store_sort sort,
                    int limit, int offset, int64_t viewer, struct store_item **items, size_t *n)
{
    int k = kind == NULL ? 0 : strcmp(kind, "link") == 0 ? 1 : strcmp(kind, "blog") == 0 ? 2 : -1;
    if (k < 0) {
        return store_item_list_rows(s, a, kind, sort, limit, offset, viewer, items, n);
    }
    int order = (int)sort;
    uint64_t seq = store_write_seq();
    pthread_mutex_lock(&lists.mu);
    struct list_entry *e = slot_for(k, order, limit, offset);
    bool hit = e->used && e->seq == seq && e->kind == k && e->order == order &&
               e->limit == limit && e->offset == offset;
    if (hit) {
        *items = copy_rows(a, e->rows, e->n);
        *n = e->n;
    }
    pthread_mutex_unlock(&lists.mu);
    if (!hit) {
        struct list_entry fresh = {true, k, order, limit, offset, seq, {0}, NULL, 0};
        arena_init(&fresh.arena);
        int rc = store_item_list_rows(s, &fresh.arena, kind, sort, limit, offset, 0, &fresh.rows,
                                      &fresh.n);
        if (rc != 0) {
            arena_fini(&fresh.arena);
            return rc;
        }
        *items = copy_rows(a, fresh.rows, fresh.n);
        *n = fresh.n;
        pthread_mutex_lock(&lists.mu);
        e = slot_for(k, order, limit, offset);
        struct list_entry old = *e;
        *e = fresh;
        pthread_mutex_unlock(&lists.mu);
        if (old.used) {
            arena_fini(&old.arena);
        }
    }
    return store_item_overlay(s, viewer, *items, *n);
}
