/* Follows, connections and endorsements (store_social.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

/* Runs a write bound with (x, y[, now]) and says whether it changed a row. */
static int exec_pair(struct store *s, const char *sql, int64_t x, int64_t y, int64_t now,
                     bool *changed)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, x);
    stmt_bind_i64(st, 2, y);
    if (stmt_param_count(st) >= 3) {
        stmt_bind_i64(st, 3, now);
    }
    int rc = stmt_exec(s, st);
    if (changed != NULL) {
        *changed = rc == 0 && store_changes(s) > 0;
    }
    return rc;
}

int store_follow_set(struct store *s, int64_t follower, int64_t followee, bool on, int64_t now,
                     bool *changed)
{
    static const char add[] = "INSERT INTO follows (follower_id, followee_id, created_at) "
                              "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM follows WHERE follower_id = ?1 AND followee_id = ?2";
    *changed = false;
    if (follower == followee) {
        return ERR_INVAL;
    }
    return exec_pair(s, on ? add : del, follower, followee, now, changed);
}

int store_blog_follow_set(struct store *s, int64_t follower, int64_t item_id, bool on,
                          int64_t now, bool *changed)
{
    static const char add[] = "INSERT INTO blog_follows (follower_id, item_id, created_at) "
                              "SELECT ?1, id, ?3 FROM items WHERE id = ?2 AND kind = 'blog' "
                              "AND status = 'ok' ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM blog_follows WHERE follower_id = ?1 AND item_id = ?2";
    static const char is_blog[] =
        "SELECT 1 FROM items WHERE id = ?1 AND kind = 'blog' AND status = 'ok'";
    int rc = exec_pair(s, on ? add : del, follower, item_id, now, changed);
    if (rc != 0 || *changed || !on) {
        return rc;
    }
    struct stmt *st = stmt_get(s, is_blog); /* nothing added: followed already, or no blog */
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    rc = stmt_step_one(s, st);
    stmt_done(st);
    return rc;
}

int store_blog_followed(struct store *s, int64_t follower, int64_t item_id, bool *on)
{
    static const char sql[] = "SELECT 1 FROM blog_follows WHERE follower_id = ?1 AND item_id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, follower);
    stmt_bind_i64(st, 2, item_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *on = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_ties(struct store *s, int64_t user_id, struct store_ties *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM follows WHERE followee_id = ?1), "
        "(SELECT count(*) FROM follows WHERE follower_id = ?1), "
        "(SELECT count(*) FROM blog_follows WHERE follower_id = ?1), "
        "(SELECT count(*) FROM connections WHERE state = 'accepted' AND "
        " (requester_id = ?1 OR target_id = ?1)), "
        "(SELECT count(*) FROM connections WHERE state = 'pending' AND target_id = ?1), "
        "influence FROM users WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *out = (struct store_ties){stmt_col_int(st, 0), stmt_col_int(st, 1), stmt_col_int(st, 2),
                                   stmt_col_int(st, 3), stmt_col_int(st, 4),
                                   stmt_col_double(st, 5)};
    }
    stmt_done(st);
    return rc;
}

int store_tie_handles(struct store *s, struct arena *a, int64_t user_id, enum store_tie_list which,
                      int limit, char ***handles, size_t *n)
{
    static const char *const sql[] = {
        [STORE_FOLLOWERS] = "SELECT u.handle FROM follows f JOIN users u ON u.id = f.follower_id "
                            "WHERE f.followee_id = ?1 ORDER BY f.created_at DESC, u.id LIMIT ?2",
        [STORE_FOLLOWING] = "SELECT u.handle FROM follows f JOIN users u ON u.id = f.followee_id "
                            "WHERE f.follower_id = ?1 ORDER BY f.created_at DESC, u.id LIMIT ?2",
        [STORE_CONNECTIONS] =
            "SELECT u.handle FROM connections c JOIN users u ON u.id = CASE WHEN c.requester_id "
            "= ?1 THEN c.target_id ELSE c.requester_id END WHERE c.state = 'accepted' AND "
            "(c.requester_id = ?1 OR c.target_id = ?1) ORDER BY c.decided_at DESC, u.id LIMIT ?2",
        [STORE_REQUESTS_IN] = "SELECT u.handle FROM connections c JOIN users u ON u.id = "
                              "c.requester_id WHERE c.target_id = ?1 AND c.state = 'pending' "
                              "ORDER BY c.created_at DESC, u.id LIMIT ?2",
        [STORE_REQUESTS_OUT] = "SELECT u.handle FROM connections c JOIN users u ON u.id = "
                               "c.target_id WHERE c.requester_id = ?1 AND c.state = 'pending' "
                               "ORDER BY c.created_at DESC, u.id LIMIT ?2",
    };
    *handles = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql[which]);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, limit);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *handles = store_grow(a, *handles, *n, &cap, sizeof(**handles));
        (*handles)[(*n)++] = stmt_col_text(a, st, 0);
    }
    stmt_done(st);
    return src;
}

int store_connection_get(struct store *s, struct arena *a, int64_t x, int64_t y,
                         struct store_connection *out)
{
    static const char sql[] =
        "SELECT requester_id, target_id, state, created_at, decided_at FROM connections "
        "WHERE (requester_id = ?1 AND target_id = ?2) OR (requester_id = ?2 AND target_id = ?1)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, x);
    stmt_bind_i64(st, 2, y);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *out = (struct store_connection){stmt_col_i64(st, 0), stmt_col_i64(st, 1),
                                         stmt_col_text(a, st, 2), stmt_col_i64(st, 3),
                                         stmt_col_i64(st, 4)};
    }
    stmt_done(st);
    return rc;
}

int store_connection_delete(struct store *s, int64_t x, int64_t y)
{
    static const char *const sql[] = {
        "DELETE FROM connections WHERE (requester_id = ?1 AND target_id = ?2) OR "
        "(requester_id = ?2 AND target_id = ?1)",
        "DELETE FROM endorsements WHERE (from_id = ?1 AND to_id = ?2) OR "
        "(from_id = ?2 AND to_id = ?1)"};
    int64_t args[2] = {x, y};
    return store_exec_tx(s, sql, 2, args, 2, NULL);
}

int store_connection_put(struct store *s, const struct store_connection *c)
{
    static const char del[] = "DELETE FROM connections WHERE requester_id = ?2 AND target_id = ?1";
    static const char put[] =
        "INSERT INTO connections (requester_id, target_id, state, created_at, decided_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (requester_id, target_id) DO UPDATE SET "
        "state = excluded.state, created_at = excluded.created_at, "
        "decided_at = excluded.decided_at";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    if ((rc = exec_pair(s, del, c->requester_id, c->target_id, 0, NULL)) != 0) {
        goto out; /* the pair has one row: the other direction's goes */
    }
    struct stmt *st = stmt_get(s, put);
    if (st == NULL) {
        rc = ERR_DB;
        goto out;
    }
    stmt_bind_i64(st, 1, c->requester_id);
    stmt_bind_i64(st, 2, c->target_id);
    stmt_bind_text(st, 3, c->state);
    stmt_bind_i64(st, 4, c->created_at);
    stmt_bind_i64(st, 5, c->decided_at);
    if ((rc = stmt_exec(s, st)) == 0) {
        rc = store_tx_commit(s);
    }
out:
    if (rc != 0) {
        store_tx_rollback(s);
    }
    return rc;
}

int store_endorse(struct store *s, int64_t from, int64_t to, const char *topic, int64_t now,
                  bool *added)
{
    static const char sql[] = "INSERT INTO endorsements (from_id, to_id, topic, created_at) "
                              "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, from);
    stmt_bind_i64(st, 2, to);
    stmt_bind_text(st, 3, topic);
    stmt_bind_i64(st, 4, now);
    int rc = stmt_exec(s, st);
    *added = rc == 0 && store_changes(s) > 0;
    return rc;
}

int store_endorsements_of(struct store *s, struct arena *a, int64_t user_id,
                          struct store_endorsement **out, size_t *n)
{
    static const char sql[] = "SELECT e.topic, u.handle FROM endorsements e JOIN users u ON "
                              "u.id = e.from_id WHERE e.to_id = ?1 "
                              "ORDER BY e.topic, e.created_at DESC, u.id LIMIT 200";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_endorsement){stmt_col_text(a, st, 0),
                                                    stmt_col_text(a, st, 1)};
    }
    stmt_done(st);
    return src;
}

int store_tie_state(struct store *s, int64_t viewer, int64_t user_id, struct store_tie_state *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM follows WHERE follower_id = ?1 AND followee_id = ?2), "
        "(SELECT count(*) FROM follows WHERE follower_id = ?2 AND followee_id = ?1), "
        "(SELECT CASE WHEN state = 'accepted' THEN 'accepted' WHEN requester_id = ?1 "
        " THEN state || '_out' ELSE state || '_in' END FROM connections WHERE "
        " (requester_id = ?1 AND target_id = ?2) OR (requester_id = ?2 AND target_id = ?1))";
    static const char *const states[] = {"accepted", "pending_out", "pending_in", "declined_out",
                                         "declined_in"};
    *out = (struct store_tie_state){false, false, ""};
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        out->follows = stmt_col_int(st, 0) != 0;
        out->followed_by = stmt_col_int(st, 1) != 0;
        const char *c = stmt_col_cstr(st, 2);
        for (size_t i = 0; c != NULL && i < sizeof(states) / sizeof(states[0]); i++) {
            if (strcmp(c, states[i]) == 0) {
                out->connection = states[i]; /* static: the row's text ends with stmt_done */
            }
        }
    }
    stmt_done(st);
    return rc;
}

int store_dismissed(struct store *s, struct arena *a, int64_t user_id, int64_t **ids, size_t *n)
{
    static const char sql[] =
        "SELECT dismissed_id FROM suggestion_dismissals WHERE user_id = ?1 UNION "
        "SELECT followee_id FROM follows WHERE follower_id = ?1 ORDER BY 1 LIMIT 20000";
    *ids = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    return store_collect_ids(s, a, st, ids, n);
}

int store_dismiss(struct store *s, int64_t user_id, int64_t dismissed, int64_t now)
{
    static const char sql[] = "INSERT INTO suggestion_dismissals (user_id, dismissed_id, "
                              "created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
    return exec_pair(s, sql, user_id, dismissed, now, NULL);
}
