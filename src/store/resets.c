/* Password reset links (password_resets): created for a member, looked up by the hash of the
 * token mailed to them, ended when the password is set. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_reset_create(struct store *s, int64_t user_id, const char *token_hash,
                       int64_t expires_at)
{
    static const char sql[] =
        "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_i64(st, 3, expires_at);
    return stmt_exec(s, st);
}

int store_reset_find(struct store *s, const char *token_hash, int64_t now, int64_t *user_id)
{
    static const char sql[] = "SELECT r.user_id FROM password_resets r JOIN users u ON "
                              "u.id = r.user_id WHERE r.token_hash = ? AND r.expires_at > ? "
                              "AND u.banned = 0";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, now);
    int rc = stmt_step_one(s, st);
    *user_id = rc == 0 ? stmt_col_i64(st, 0) : 0;
    stmt_done(st);
    return rc;
}

int store_reset_prune(struct store *s, int64_t now)
{
    static const char sql[] = "DELETE FROM password_resets WHERE expires_at <= ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, now);
    return stmt_exec(s, st);
}

int store_reset_take(struct store *s, const char *token_hash, int64_t user_id, int64_t now)
{
    static const char sql[] = "DELETE FROM password_resets WHERE token_hash = ? AND user_id = ? "
                              "AND expires_at > ? AND user_id IN "
                              "(SELECT id FROM users WHERE banned = 0)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_i64(st, 3, now);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) != 1 ? ERR_NOTFOUND : rc;
}

int store_reset_end_all(struct store *s, int64_t user_id)
{
    static const char sql[] = "DELETE FROM password_resets WHERE user_id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    return stmt_exec(s, st);
}

int store_user_replace_password(struct store *s, int64_t user_id, const char *pw_hash)
{
    int rc = store_user_set_password(s, user_id, pw_hash);
    if (rc == 0) {
        rc = store_user_end_access(s, user_id);
    }
    return rc == 0 ? store_reset_end_all(s, user_id) : rc;
}

int store_user_by_email(struct store *s, struct arena *a, const char *email,
                        struct store_user *out)
{
    static const char sql[] = "SELECT handle FROM users WHERE email = ? COLLATE NOCASE "
                              "ORDER BY id LIMIT 1";
    static const char pg[] = /* email is citext there: = ignores case */
        "SELECT handle FROM users WHERE email = ? ORDER BY id LIMIT 1";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, email);
    int rc = stmt_step_one(s, st);
    char *handle = rc == 0 ? stmt_col_text(a, st, 0) : NULL;
    stmt_done(st);
    return rc == 0 ? store_user_by_handle(s, a, handle, out) : rc;
}
