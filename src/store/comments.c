/* Comment threads. */
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define COMMENT_COLS                                                                           \
    "c.id, c.item_id, coalesce(c.parent_id, 0), c.user_id, u.handle, c.body, c.created_at, "   \
    "coalesce(c.edited_at, 0), c.deleted, c.ups, c.downs, c.status "

static void comment_read(struct arena *a, struct stmt *st, struct store_comment *c)
{
    c->id = stmt_col_i64(st, 0);
    c->item_id = stmt_col_i64(st, 1);
    c->parent_id = stmt_col_i64(st, 2);
    c->user_id = stmt_col_i64(st, 3);
    c->handle = stmt_col_text(a, st, 4);
    c->body = stmt_col_text(a, st, 5);
    c->created_at = stmt_col_i64(st, 6);
    c->edited_at = stmt_col_i64(st, 7);
    c->deleted = stmt_col_int(st, 8) != 0;
    c->ups = stmt_col_int(st, 9);
    c->downs = stmt_col_int(st, 10);
    c->status = stmt_col_text(a, st, 11);
    c->my_vote = 0;
    c->depth = 0;
}

int store_comment_create(struct store *s, int64_t item_id, int64_t parent_id, int64_t user_id,
                         const char *body, int64_t at, int64_t *id)
{
    /* one statement: the item (and the parent, on this item) must exist as it is written,
     * and on PostgreSQL a comment costs one round trip instead of four */
    static const char ins[] =
        "INSERT INTO comments (item_id, parent_id, user_id, body, created_at) "
        "SELECT ?1, nullif(?2, 0), ?3, ?4, ?5 "
        "WHERE EXISTS (SELECT 1 FROM items WHERE id = ?1) AND (?2 = 0 OR EXISTS "
        "(SELECT 1 FROM comments WHERE id = ?2 AND item_id = ?1)) RETURNING id";
    struct stmt *st = stmt_get(s, ins);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, parent_id);
    stmt_bind_i64(st, 3, user_id);
    stmt_bind_text(st, 4, body);
    stmt_bind_i64(st, 5, at ? at : now_unix());
    int rc = stmt_exec(s, st);
    if (rc == 0 && store_changes(s) == 0) {
        return ERR_NOTFOUND;
    }
    *id = store_last_id(s);
    return rc;
}

int store_comment_get(struct store *s, struct arena *a, int64_t id, struct store_comment *out)
{
    static const char sql[] =
        "SELECT " COMMENT_COLS "FROM comments c JOIN users u ON u.id = c.user_id WHERE c.id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        comment_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_comment_update(struct store *s, int64_t id, const char *body)
{
    static const char sql[] =
        "UPDATE comments SET body = ?, edited_at = ? WHERE id = ? AND deleted = 0";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, body);
    stmt_bind_i64(st, 2, now_unix());
    stmt_bind_i64(st, 3, id);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_comment_delete(struct store *s, int64_t id)
{
    static const char sql[] = "UPDATE comments SET body = '', deleted = 1 WHERE id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    return stmt_exec(s, st);
}

/* Siblings: best net score first, then oldest. */
static int comment_cmp(const void *pa, const void *pb)
{
    const struct store_comment *a = *(const struct store_comment *const *)pa;
    const struct store_comment *b = *(const struct store_comment *const *)pb;
    int na = a->ups - a->downs, nb = b->ups - b->downs;
    if (na != nb) {
        return nb - na;
    }
    return (a->id > b->id) - (a->id < b->id);
}

static int comment_id_cmp(const void *key, const void *elem)
{
    int64_t id = *(const int64_t *)key, other = ((const struct store_comment *)elem)->id;
    return (id > other) - (id < other);
}

/* Orders rows (ascending id) into thread order in O(n log n) without recursion, since
 * hostile threads can be deep: sibling lists are built best-first, then walked preorder. */
static void comment_order(struct arena *a, struct store_comment *rows, size_t n,
                          struct store_comment *out)
{
    const size_t none = (size_t)-1;
    struct store_comment **sorted = arena_alloc(a, (n + 1) * sizeof(*sorted));
    size_t *first = arena_alloc(a, (n + 1) * sizeof(*first));
    size_t *next = arena_alloc(a, (n + 1) * sizeof(*next));
    size_t *stack = arena_alloc(a, (n + 1) * sizeof(*stack));
    for (size_t i = 0; i < n; i++) {
        sorted[i] = &rows[i];
        first[i] = next[i] = none;
    }
    qsort(sorted, n, sizeof(*sorted), comment_cmp);
    size_t roots = none;
    for (size_t i = n; i-- > 0;) { /* prepending in reverse keeps best-first order */
        size_t idx = (size_t)(sorted[i] - rows);
        struct store_comment *parent =
            sorted[i]->parent_id ? bsearch(&sorted[i]->parent_id, rows, n, sizeof(*rows),
                                           comment_id_cmp)
                                 : NULL;
        size_t *head = parent ? &first[parent - rows] : &roots;
        next[idx] = *head;
        *head = idx;
    }
    size_t k = 0, top = 0, cur = roots;
    while (cur != none) {
        rows[cur].depth = (int)top;
        out[k++] = rows[cur];
        if (first[cur] != none) {
            stack[top++] = next[cur];
            cur = first[cur];
            continue;
        }
        cur = next[cur];
        while (cur == none && top > 0) {
            cur = stack[--top];
        }
    }
}

int store_comment_tree(struct store *s, struct arena *a, int64_t item_id, int64_t viewer,
                       struct store_comment **list, size_t *n)
{
    static const char sql[] = "SELECT " COMMENT_COLS ", coalesce(v.value, 0) FROM comments c "
                              "JOIN users u ON u.id = c.user_id "
                              "LEFT JOIN comment_votes v ON v.comment_id = c.id AND v.user_id = ?2 "
                              "WHERE c.item_id = ?1 ORDER BY c.id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, viewer);
    struct store_comment *rows = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        rows = store_grow(a, rows, k, &cap, sizeof(*rows));
        comment_read(a, st, &rows[k]);
        rows[k].my_vote = stmt_col_int(st, 12);
        k++;
    }
    stmt_done(st);
    if (src != 0) {
        return src;
    }
    struct store_comment *out = arena_alloc(a, (k + 1) * sizeof(*out));
    comment_order(a, rows, k, out);
    *list = out;
    *n = k;
    return 0;
}
