/* Rate-limit counts in the database, shared by every process serving the guild (store.h). A
 * fixed window per (limiter, key), as src/auth's in-memory limiter keeps it: it starts at the
 * first counted attempt and lasts window seconds. Writes here change no page: quiet. */
#include "../core/err.h"
#include "store_int.h"

/* The statement for sql with ?1 name, ?2 key, ?3 now and ?4 window bound; NULL on failure. */
static struct stmt *limit_stmt(struct store *s, const char *sql, const char *name,
                               const char *key, int64_t now, int window)
{
    struct stmt *st = stmt_get(s, sql);
    if (st != NULL) {
        stmt_bind_text(st, 1, name);
        stmt_bind_text(st, 2, key);
        stmt_bind_i64(st, 3, now);
        stmt_bind_i64(st, 4, window);
    }
    return st;
}

int store_limit_wait(struct store *s, const char *name, const char *key, int64_t now,
                     int window, int max, int *wait)
{
    static const char sql[] = "SELECT window_start, count FROM rate_limits WHERE name = ?1 AND "
                              "key = ?2 AND count > 0 AND ?3 - window_start < ?4";
    struct stmt *st = limit_stmt(s, sql, name, key, now, window);
    if (st == NULL) {
        return ERR_DB;
    }
    *wait = 0;
    int rc = stmt_step_one(s, st);
    if (rc == 0 && stmt_col_i64(st, 1) >= max) {
        int64_t until = stmt_col_i64(st, 0) + window;
        *wait = until > now ? (int)(until - now) : 0;
    }
    stmt_done(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_limit_take(struct store *s, const char *name, const char *key, int64_t now,
                     int window, int max, int *wait)
{
    /* counted only while under max in the live window (or as the first of a new one): the
     * check and the count are one statement, so two nodes cannot both take the last one */
    static const char take[] =
        "INSERT INTO rate_limits (name, key, window_start, count) VALUES (?1, ?2, ?3, 1) "
        "ON CONFLICT (name, key) DO UPDATE SET "
        "count = CASE WHEN rate_limits.count > 0 AND ?3 - rate_limits.window_start < ?4 "
        "THEN rate_limits.count + 1 ELSE 1 END, "
        "window_start = CASE WHEN rate_limits.count > 0 AND ?3 - rate_limits.window_start < ?4 "
        "THEN rate_limits.window_start ELSE ?3 END "
        "WHERE NOT (rate_limits.count >= ?5 AND ?3 - rate_limits.window_start < ?4) "
        "RETURNING count";
    struct stmt *st = limit_stmt(s, take, name, key, now, window);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 5, max);
    s->quiet = true;
    int rc = stmt_exec(s, st);
    if (rc != 0) {
        return rc;
    }
    *wait = 0;
    /* no row changed: the window is full; how long it lasts is one more look */
    if (store_changes(s) > 0) {
        return 0;
    }
    rc = store_limit_wait(s, name, key, now, window, max, wait);
    *wait = *wait > 0 ? *wait : 1; /* refused and not counted: a place freed since is for later */
    return rc;
}

/* The window and the max of the limit a row of store_limit_take_both belongs to. */
#define ASKED(first, second)                                                                   \
    "(CASE WHEN excluded.name = ?1 AND excluded.key = ?2 THEN " first " ELSE " second " END)"
#define LIVE "rate_limits.count > 0 AND ?9 - rate_limits.window_start < " ASKED("?3", "?7")

int store_limit_take_both(struct store *s, const struct store_limit_ask ask[2], int64_t now,
                          int *wait)
{
    /* store_limit_take for two limits in one statement (one round trip on PostgreSQL); the
     * RETURNING value says which was taken when only one was */
    static const char take[] =
        "INSERT INTO rate_limits (name, key, window_start, count) "
        "VALUES (?1, ?2, ?9, 1), (?5, ?6, ?9, 1) ON CONFLICT (name, key) DO UPDATE SET "
        "count = CASE WHEN " LIVE " THEN rate_limits.count + 1 ELSE 1 END, "
        "window_start = CASE WHEN " LIVE " THEN rate_limits.window_start ELSE ?9 END "
        "WHERE NOT (rate_limits.count >= " ASKED("?4", "?8") " AND " LIVE ") "
        "RETURNING CASE WHEN name = ?1 AND key = ?2 THEN 0 ELSE 1 END";
    struct stmt *st = stmt_get(s, take);
    if (st == NULL) {
        return ERR_DB;
    }
    for (int k = 0; k < 2; k++) {
        stmt_bind_text(st, 4 * k + 1, ask[k].name);
        stmt_bind_text(st, 4 * k + 2, ask[k].key);
        stmt_bind_i64(st, 4 * k + 3, ask[k].window);
        stmt_bind_i64(st, 4 * k + 4, ask[k].max);
    }
    stmt_bind_i64(st, 9, now);
    s->quiet = true;
    int rc = stmt_exec(s, st);
    int taken = store_changes(s);
    int which = store_last_id(s) == 1;
    *wait = 0;
    if (rc != 0 || taken == 2) {
        return rc;
    }
    /* refused by one or both: the one taken is given back, and the wait is the refusal's */
    if (taken == 1 &&
        (rc = store_limit_add(s, ask[which].name, ask[which].key, now, ask[which].window, -1))) {
        return rc;
    }
    for (int k = 0; k < 2 && rc == 0; k++) {
        int w = 0;
        if (taken == 0 || k != which) {
            rc = store_limit_wait(s, ask[k].name, ask[k].key, now, ask[k].window, ask[k].max, &w);
        }
        *wait = w > *wait ? w : *wait;
    }
    *wait = *wait > 0 ? *wait : 1; /* refused and not counted: a place freed since is for later */
    return rc;
}
#undef LIVE
#undef ASKED

int store_limit_add(struct store *s, const char *name, const char *key, int64_t now,
                    int window, int delta)
{
    /* one more in the live window, or the first of a new one */
    static const char up[] =
        "INSERT INTO rate_limits (name, key, window_start, count) VALUES (?1, ?2, ?3, 1) "
        "ON CONFLICT (name, key) DO UPDATE SET "
        "count = CASE WHEN rate_limits.count > 0 AND ?3 - rate_limits.window_start < ?4 "
        "THEN rate_limits.count + 1 ELSE 1 END, "
        "window_start = CASE WHEN rate_limits.count > 0 AND ?3 - rate_limits.window_start < ?4 "
        "THEN rate_limits.window_start ELSE ?3 END";
    /* one fewer, in the live window only */
    static const char down[] = "UPDATE rate_limits SET count = count - 1 WHERE name = ?1 AND "
                               "key = ?2 AND count > 0 AND ?3 - window_start < ?4";
    struct stmt *st = limit_stmt(s, delta > 0 ? up : down, name, key, now, window);
    if (st == NULL) {
        return ERR_DB;
    }
    s->quiet = true;
    return stmt_exec(s, st);
}

int store_limit_reset(struct store *s, const char *name, const char *key)
{
    static const char sql[] = "DELETE FROM rate_limits WHERE name = ?1 AND key = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, name);
    stmt_bind_text(st, 2, key);
    s->quiet = true;
    return stmt_exec(s, st);
}

int store_limits_expire(struct store *s, int64_t before)
{
    static const char sql[] = "DELETE FROM rate_limits WHERE window_start < ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, before);
    s->quiet = true;
    return stmt_exec(s, st);
}
