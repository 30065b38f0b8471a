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
