/* Arrays built from result rows, in the caller's arena (store_int.h). */
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "store_int.h"

void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem)
{
    if (arr != NULL && k < *cap) {
        return arr;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    if (elem == 0 || ncap < *cap || ncap > SIZE_MAX / elem) {
        log_error("store: a result of %zu rows of %zu bytes does not fit in memory", k, elem);
        abort(); /* as an allocation failure: no caller could go on with a cut list */
    }
    void *bigger = arena_alloc(a, ncap * elem);
    if (arr != NULL && k > 0) {
        memcpy(bigger, arr, k * elem);
    }
    *cap = ncap;
    return bigger;
}

int store_collect_ids(struct store *s, struct arena *a, struct stmt *st, int64_t **ids, size_t *n)
{
    size_t cap = 0;
    int src;
    *ids = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *ids = store_grow(a, *ids, *n, &cap, sizeof(**ids));
        (*ids)[(*n)++] = stmt_col_i64(st, 0);
    }
    stmt_done(st);
    return src;
}
