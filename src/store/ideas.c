/* The idea portal's statuses, events and vote budgets (store_groups.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_idea_status_set(struct store *s, int64_t item_id, const char *from,
                          const char *status, const char *reason, int64_t actor_id, int64_t into,
                          int64_t now)
{
    /* only from the status the caller checked: of two changes at once, one wins */
    static const char set[] = "UPDATE items SET idea_status = ?2, merged_into = "
                              "CASE WHEN ?3 > 0 THEN ?3 ELSE merged_into END "
                              "WHERE id = ?1 AND kind = 'idea' AND idea_status = ?4";
    static const char event[] =
        "INSERT INTO idea_events (item_id, status, reason, actor_id, into_id, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    struct stmt *st = stmt_get(s, set);
    if (st == NULL) {
        rc = ERR_DB;
        goto cleanup;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_text(st, 2, status);
    stmt_bind_i64(st, 3, into);
    stmt_bind_text(st, 4, from);
    if ((rc = stmt_exec(s, st)) != 0) {
        goto cleanup;
    }
    if (store_changes(s) == 0) {
        rc = ERR_EXISTS; /* it is not `from` any more */
        goto cleanup;
    }
    if ((st = stmt_get(s, event)) == NULL) {
        rc = ERR_DB;
        goto cleanup;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_text(st, 2, status);
    stmt_bind_text(st, 3, reason);
    stmt_bind_i64(st, 4, actor_id);
    stmt_bind_i64(st, 5, into);
    stmt_bind_i64(st, 6, now);
    rc = stmt_exec(s, st);
cleanup:
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

int store_idea_events(struct store *s, struct arena *a, int64_t item_id,
                      struct store_idea_event **out, size_t *n)
{
    static const char sql[] =
        "SELECT e.id, e.item_id, e.status, e.reason, u.handle, e.into_id, e.at "
        "FROM idea_events e JOIN users u ON u.id = e.actor_id WHERE e.item_id = ?1 "
        "ORDER BY e.id LIMIT 200";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    size_t cap = 0;
    int src;
    *out = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        struct store_idea_event *e = &(*out)[(*n)++];
        e->id = stmt_col_i64(st, 0);
        e->item_id = stmt_col_i64(st, 1);
        e->status = stmt_col_text(a, st, 2);
        e->reason = stmt_col_text(a, st, 3);
        e->actor_handle = stmt_col_text(a, st, 4);
        e->into_id = stmt_col_i64(st, 5);
        e->at = stmt_col_i64(st, 6);
    }
    stmt_done(st);
    return src;
}

int store_idea_votes_held(struct store *s, int64_t group_id, int64_t user_id, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM votes v JOIN items i ON i.id = v.item_id WHERE v.user_id = ?2 "
        "AND v.value = 1 AND i.group_id = ?1 AND i.kind = 'idea' AND i.status = 'ok' "
        "AND i.idea_status IN ('submitted', 'open', 'planned', 'started')";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *n = stmt_col_int(st, 0);
    }
    stmt_done(st);
    return rc;
}

int store_item_voter_ids(struct store *s, struct arena *a, int64_t item_id, int64_t **ids,
                         size_t *n)
{
    static const char sql[] = "SELECT user_id FROM votes WHERE item_id = ?1 ORDER BY user_id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    return store_collect_ids(s, a, st, ids, n);
}

int store_votes_move(struct store *s, int64_t from, int64_t into)
{
    /* a vote keeps whether its voter had read the idea: they read its duplicate */
    static const char *const sql[] = {
        "INSERT INTO votes (user_id, item_id, value, reason, created_at, opened, outside) "
        "SELECT user_id, ?2, value, reason, created_at, opened, outside FROM votes "
        "WHERE item_id = ?1 AND user_id NOT IN (SELECT user_id FROM votes WHERE item_id = ?2) "
        "AND user_id <> (SELECT user_id FROM items WHERE id = ?2)",
        "DELETE FROM votes WHERE item_id = ?1 AND item_id <> ?2"};
    const int64_t args[2] = {from, into};
    return store_exec_tx(s, sql, 2, args, 2, NULL);
}

int store_group_member_lock(struct store *s, int64_t group_id, int64_t user_id)
{
    /* PostgreSQL: the member's row stays locked until the transaction ends, so two votes of
     * one member check the budget one after the other (SQLite's writer lock does that) */
    static const char lite[] = "SELECT 1 FROM group_members WHERE group_id = ?1 AND user_id = ?2";
    static const char pg[] = "SELECT 1 FROM group_members WHERE group_id = ?1 AND user_id = ?2 "
                             "FOR UPDATE";
    struct stmt *st = stmt_get_for(s, lite, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}
