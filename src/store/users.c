/* Members, invitations, sessions and API tokens. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define USER_COLS                                                                              \
    "u.id, u.handle, u.name, u.email, u.affiliation, u.domain, u.role, "                       \
    "coalesce(u.invited_by, 0), coalesce(p.handle, ''), u.invites_left, u.created_at, "       \
    "u.seed, u.trust, u.suspended_until, u.banned, u.can_invite "
#define USER_NCOLS 16 /* columns of USER_COLS: queries may select more after them */
#define USER_FROM " FROM users u LEFT JOIN users p ON p.id = u.invited_by "

static void user_read(struct arena *a, struct stmt *st, int c, struct store_user *u)
{
    u->id = stmt_col_i64(st, c + 0);
    u->handle = stmt_col_text(a, st, c + 1);
    u->name = stmt_col_text(a, st, c + 2);
    u->email = stmt_col_text(a, st, c + 3);
    u->affiliation = stmt_col_text(a, st, c + 4);
    u->domain = stmt_col_text(a, st, c + 5);
    u->role = stmt_col_text(a, st, c + 6);
    u->invited_by = stmt_col_i64(st, c + 7);
    u->inviter_handle = stmt_col_text(a, st, c + 8);
    u->invites_left = stmt_col_int(st, c + 9);
    u->created_at = stmt_col_i64(st, c + 10);
    u->seed = stmt_col_int(st, c + 11) != 0;
    u->trust = stmt_col_double(st, c + 12);
    u->suspended_until = stmt_col_i64(st, c + 13);
    u->banned = stmt_col_int(st, c + 14) != 0;
    u->can_invite = stmt_col_int(st, c + 15) != 0;
}

/* Steps a statement bound by the caller that returns at most one user row. */
static int user_fetch(struct store *s, struct arena *a, struct stmt *st, struct store_user *out)
{
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        user_read(a, st, 0, out);
    }
    stmt_done(st);
    return rc;
}

int store_user_create(struct store *s, const struct store_user_new *u, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO users (handle, name, email, pw_hash, affiliation, domain, role, "
        "invited_by, invites_left, created_at, seed) VALUES (?,?,?,?,?,?,?,nullif(?,0),?,?,"
        "CASE WHEN ?7 = 'admin' THEN 1 ELSE 0 END) RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, u->handle);
    stmt_bind_text(st, 2, u->name);
    stmt_bind_text(st, 3, u->email);
    stmt_bind_text(st, 4, u->pw_hash);
    stmt_bind_text(st, 5, u->affiliation);
    stmt_bind_text(st, 6, u->domain);
    stmt_bind_text(st, 7, u->role && *u->role ? u->role : "member");
    stmt_bind_i64(st, 8, u->invited_by);
    stmt_bind_i64(st, 9, u->invites_left);
    stmt_bind_i64(st, 10, u->created_at ? u->created_at : now_unix());
    int rc = stmt_exec(s, st);
    if (rc == 0) {
        *id = store_last_id(s);
    }
    return rc;
}

int store_user_by_handle(struct store *s, struct arena *a, const char *handle,
                         struct store_user *out)
{
    static const char sql[] = "SELECT " USER_COLS USER_FROM "WHERE u.handle = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, handle);
    return user_fetch(s, a, st, out);
}

int store_user_by_id(struct store *s, struct arena *a, int64_t id, struct store_user *out)
{
    static const char sql[] = "SELECT " USER_COLS USER_FROM "WHERE u.id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    return user_fetch(s, a, st, out);
}

int store_user_pw_hash(struct store *s, struct arena *a, const char *handle, int64_t *id,
                       char **hash, bool *banned)
{
    static const char sql[] = "SELECT id, pw_hash, banned FROM users WHERE handle = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, handle);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *id = stmt_col_i64(st, 0);
        *hash = stmt_col_text(a, st, 1);
        *banned = stmt_col_int(st, 2) != 0;
    }
    stmt_done(st);
    return rc;
}

int store_user_set_seed(struct store *s, const char *handle, bool seed)
{
    static const char sql[] = "UPDATE users SET seed = ? WHERE handle = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, seed ? 1 : 0);
    stmt_bind_text(st, 2, handle);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_user_set_password(struct store *s, int64_t id, const char *pw_hash)
{
    static const char sql[] = "UPDATE users SET pw_hash = ? WHERE id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, pw_hash);
    stmt_bind_i64(st, 2, id);
    return stmt_exec(s, st);
}

int store_user_invitees(struct store *s, struct arena *a, int64_t id, char ***handles,
                        size_t *n)
{
    static const char sql[] = "SELECT handle FROM users WHERE invited_by = ? ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    size_t cap = 8, k = 0;
    char **list = arena_alloc(a, cap * sizeof(*list));
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        if (k == cap) {
            char **bigger = arena_alloc(a, 2 * cap * sizeof(*list));
            memcpy(bigger, list, cap * sizeof(*list));
            list = bigger;
            cap *= 2;
        }
        list[k++] = stmt_col_text(a, st, 0);
    }
    int rc = src;
    stmt_done(st);
    *handles = list;
    *n = k;
    return rc;
}

int store_user_stats(struct store *s, int64_t id, struct store_user_stats *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM items WHERE user_id = ?1 AND kind = 'link'),"
        " (SELECT count(*) FROM items WHERE user_id = ?1 AND kind = 'blog'),"
        " (SELECT count(*) FROM items WHERE user_id = ?1 AND own_org = 1),"
        " (SELECT count(*) FROM comments WHERE user_id = ?1 AND deleted = 0),"
        " (SELECT count(*) FROM votes WHERE user_id = ?1)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        out->links = stmt_col_int(st, 0);
        out->blogs = stmt_col_int(st, 1);
        out->own_org = stmt_col_int(st, 2);
        out->comments = stmt_col_int(st, 3);
        out->votes_cast = stmt_col_int(st, 4);
    }
    stmt_done(st);
    return rc;
}

/* ---- invitations ---- */

int store_invite_create(struct store *s, int64_t by, bool is_admin, const char *code)
{
    static const char spend[] =
        "UPDATE users SET invites_left = invites_left - 1 WHERE id = ? AND invites_left > 0";
    static const char ins[] = "INSERT INTO invites (code, by_user, created_at) VALUES (?,?,?)";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    if (!is_admin) {
        struct stmt *st = stmt_get(s, spend);
        if (st == NULL) {
            rc = ERR_DB;
            goto out;
        }
        stmt_bind_i64(st, 1, by);
        if ((rc = stmt_exec(s, st)) != 0) {
            goto out;
        }
        if (store_changes(s) == 0) {
            rc = ERR_DENIED;
            goto out;
        }
    }
    struct stmt *st = stmt_get(s, ins);
    if (st == NULL) {
        rc = ERR_DB;
        goto out;
    }
    stmt_bind_text(st, 1, code);
    stmt_bind_i64(st, 2, by);
    stmt_bind_i64(st, 3, now_unix());
    if ((rc = stmt_exec(s, st)) != 0) {
        goto out;
    }
    rc = store_tx_commit(s);
out:
    if (rc != 0) {
        store_tx_rollback(s);
    }
    return rc;
}

int store_invite_get(struct store *s, struct arena *a, const char *code, int64_t *by,
                     char **by_handle)
{
    static const char sql[] = "SELECT i.by_user, u.handle, i.used_by IS NOT NULL FROM invites i "
                              "JOIN users u ON u.id = i.by_user WHERE i.code = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, code);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *by = stmt_col_i64(st, 0);
        *by_handle = stmt_col_text(a, st, 1);
        rc = stmt_col_int(st, 2) ? ERR_EXISTS : 0;
    }
    stmt_done(st);
    return rc;
}

static int store_user_taken(struct store *s, const char *handle, const char *email,
                            const char **field)
{
    static const char sql[] = "SELECT (SELECT count(*) FROM users WHERE handle = ?1),"
                              " (SELECT count(*) FROM users WHERE email = ?2)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, handle);
    stmt_bind_text(st, 2, email);
    int rc = stmt_step_one(s, st);
    if (rc != 0) {
        rc = rc == ERR_NOTFOUND ? ERR_DB : rc;
    } else if (stmt_col_int(st, 0) > 0) {
        *field = "handle";
        rc = ERR_EXISTS;
    } else if (stmt_col_int(st, 1) > 0) {
        *field = "email";
        rc = ERR_EXISTS;
    }
    stmt_done(st);
    return rc;
}

int store_invite_redeem(struct store *s, const char *code, const struct store_user_new *u,
                        int64_t *id, const char **field)
{
    static const char use[] =
        "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL";
    *field = "";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    if ((rc = store_user_taken(s, u->handle, u->email, field)) != 0) {
        goto out;
    }
    if ((rc = store_user_create(s, u, id)) != 0) {
        goto out;
    }
    struct stmt *st = stmt_get(s, use);
    if (st == NULL) {
        rc = ERR_DB;
        goto out;
    }
    stmt_bind_i64(st, 1, *id);
    stmt_bind_i64(st, 2, now_unix());
    stmt_bind_text(st, 3, code);
    if ((rc = stmt_exec(s, st)) != 0) {
        goto out;
    }
    if (store_changes(s) != 1) {
        *field = "code"; /* redeemed by someone else since the form was shown */
        rc = ERR_EXISTS;
        goto out;
    }
    rc = store_tx_commit(s);
out:
    if (rc != 0) {
        store_tx_rollback(s);
    }
    return rc;
}

/* ---- sessions and tokens ---- */

int store_session_create(struct store *s, const char *token_hash, int64_t user_id,
                         const char *csrf, int64_t expires_at)
{
    static const char sql[] = "INSERT INTO sessions (token_hash, user_id, csrf, created_at, "
                              "expires_at) VALUES (?,?,?,?,?)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_text(st, 3, csrf);
    stmt_bind_i64(st, 4, now_unix());
    stmt_bind_i64(st, 5, expires_at);
    return stmt_exec(s, st);
}

int store_session_user(struct store *s, struct arena *a, const char *token_hash,
                       struct store_user *out, char **csrf)
{
    static const char sql[] = "SELECT " USER_COLS ", x.csrf, x.expires_at FROM sessions x "
                              "JOIN users u ON u.id = x.user_id "
                              "LEFT JOIN users p ON p.id = u.invited_by "
                              "WHERE x.token_hash = ? AND x.expires_at > ?";
    uint64_t seq = store_auth_seq(); /* before the read: a write during it is not missed */
    int64_t now = now_unix();
    if (store_on_pg(s) && store_authcache_get('s', token_hash, now, a, out, csrf)) {
        return 0;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, now);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        user_read(a, st, 0, out);
        *csrf = stmt_col_text(a, st, USER_NCOLS);
        if (store_on_pg(s)) {
            store_authcache_put('s', token_hash, seq, stmt_col_i64(st, USER_NCOLS + 1), out,
                                *csrf);
        }
    }
    stmt_done(st);
    return rc;
}

int store_session_delete(struct store *s, const char *token_hash)
{
    static const char sql[] = "DELETE FROM sessions WHERE token_hash = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    return stmt_exec(s, st);
}

int store_user_end_access(struct store *s, int64_t user_id)
{
    static const char *const sql[] = {"DELETE FROM sessions WHERE user_id = ?",
                                      "DELETE FROM api_tokens WHERE user_id = ?"};
    return store_exec_tx(s, sql, 2, &user_id, 1, NULL);
}

int store_token_create(struct store *s, const char *token_hash, int64_t user_id,
                       const char *label)
{
    static const char sql[] =
        "INSERT INTO api_tokens (token_hash, user_id, created_at, label) VALUES (?,?,?,?)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_i64(st, 3, now_unix());
    stmt_bind_text(st, 4, label ? label : "");
    return stmt_exec(s, st);
}

int store_token_list(struct store *s, struct arena *a, int64_t user_id,
                     struct store_token **out, size_t *n)
{
    static const char sql[] =
        "SELECT rowid, label, created_at FROM api_tokens WHERE user_id = ? ORDER BY rowid";
    static const char pg[] = /* no rowid: an id column (migrations/pg/003_engine.sql) */
        "SELECT id, label, created_at FROM api_tokens WHERE user_id = ? ORDER BY id";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    struct store_token *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k].id = stmt_col_i64(st, 0);
        list[k].label = stmt_col_text(a, st, 1);
        list[k].created_at = stmt_col_i64(st, 2);
        k++;
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id)
{
    static const char sql[] = "DELETE FROM api_tokens WHERE rowid = ? AND user_id = ?";
    static const char pg[] = "DELETE FROM api_tokens WHERE id = ? AND user_id = ?";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, token_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_token_user(struct store *s, struct arena *a, const char *token_hash,
                     struct store_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM api_tokens t "
                              "JOIN users u ON u.id = t.user_id "
                              "LEFT JOIN users p ON p.id = u.invited_by WHERE t.token_hash = ?";
    uint64_t seq = store_auth_seq(); /* before the read: a write during it is not missed */
    if (store_on_pg(s) && store_authcache_get('t', token_hash, now_unix(), a, out, NULL)) {
        return 0;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token_hash);
    int rc = user_fetch(s, a, st, out);
    if (rc == 0 && store_on_pg(s)) {
        store_authcache_put('t', token_hash, seq, 0, out, NULL);
    }
    return rc;
}
