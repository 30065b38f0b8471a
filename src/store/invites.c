/* A member's open invitations (created, not yet used) and their revocation. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_invites_open(struct store *s, struct arena *a, int64_t by, struct store_invite **out,
                       size_t *n)
{
    static const char sql[] = "SELECT code, created_at FROM invites WHERE by_user = ? AND "
                              "used_by IS NULL ORDER BY created_at DESC, code LIMIT 50";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, by);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_invite){stmt_col_text(a, st, 0),
                                               stmt_col_i64(st, 1)};
    }
    int rc = src;
    stmt_done(st);
    return rc;
}

/* One statement of the revocation (bound by, code or just by). */
static int revoke_step(struct store *s, const char *sql, int64_t by, const char *code)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, by);
    if (code != NULL) {
        stmt_bind_text(st, 2, code);
    }
    return stmt_exec(s, st);
}

int store_invite_revoke(struct store *s, int64_t by, bool is_admin, const char *code)
{
    static const char del[] =
        "DELETE FROM invites WHERE by_user = ? AND code = ? AND used_by IS NULL";
    static const char refund[] = "UPDATE users SET invites_left = invites_left + 1 WHERE id = ?";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    if ((rc = revoke_step(s, del, by, code)) != 0) {
        goto out;
    }
    if (store_changes(s) == 0) {
        rc = ERR_NOTFOUND;
        goto out;
    }
    if (!is_admin && (rc = revoke_step(s, refund, by, NULL)) != 0) {
        goto out; /* a member gets the invitation back to give to someone else */
    }
    rc = store_tx_commit(s);
out:
    if (rc != 0) {
        store_tx_rollback(s);
    }
    return rc;
}
