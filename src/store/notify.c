/* Notifications: moderation notices (mod.c writes them) and what other members did concerning
 * the member: followed, asked to connect, accepted, endorsed, mentioned, replied, wrote. */
#include "../core/err.h"
#include "store_int.h"

int store_notify_kind(struct store *s, int64_t user_id, const char *kind, int64_t from,
                      int64_t ref_id, int64_t at, const char *text)
{
    static const char sql[] = "INSERT INTO notifications (user_id, at, text, kind, from_id, ref_id) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, at);
    stmt_bind_text(st, 3, text);
    stmt_bind_text(st, 4, kind);
    if (from > 0) {
        stmt_bind_i64(st, 5, from);
    } else {
        stmt_bind_null(st, 5);
    }
    stmt_bind_i64(st, 6, ref_id);
    return stmt_exec(s, st);
}

int store_notify(struct store *s, int64_t user_id, int64_t at, const char *text)
{
    return store_notify_kind(s, user_id, "moderation", 0, 0, at, text);
}

#define NOTE_COLS                                                                                 \
    "SELECT n.id, n.at, n.text, n.seen, n.kind, coalesce(u.handle, ''), n.ref_id "               \
    "FROM notifications n LEFT JOIN users u ON u.id = n.from_id "

/* Rows of a NOTE_COLS statement bound with (user, limit[, before]). */
static int read_notes(struct store *s, struct arena *a, struct stmt *st,
                      struct store_notification **out, size_t *n)
{
    struct store_notification *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_notification){
            stmt_col_i64(st, 0),       stmt_col_i64(st, 1),       stmt_col_text(a, st, 2),
            stmt_col_int(st, 3) != 0,  stmt_col_text(a, st, 4),   stmt_col_text(a, st, 5),
            stmt_col_i64(st, 6)};
    }
    stmt_done(st);
    *out = list;
    *n = k;
    return src;
}

int store_notifications(struct store *s, struct arena *a, int64_t user_id, int limit,
                        struct store_notification **out, size_t *n)
{
    static const char sql[] = NOTE_COLS "WHERE n.user_id = ?1 AND n.kind = 'moderation' "
                                        "ORDER BY n.id DESC LIMIT ?2";
    static const char seen[] = "UPDATE notifications SET seen = 1 WHERE user_id = ?1 AND "
                               "seen = 0 AND kind = 'moderation'";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, limit);
    int rc = read_notes(s, a, st, out, n);
    if (rc == 0 && *n > 0 && !(*out)[0].seen) {
        struct stmt *up = stmt_get(s, seen);
        if (up == NULL) {
            return ERR_DB;
        }
        stmt_bind_i64(up, 1, user_id);
        rc = stmt_exec(s, up);
    }
    return rc;
}

int store_notification_list(struct store *s, struct arena *a, int64_t user_id, int64_t before_id,
                            int limit, struct store_notification **out, size_t *n)
{
    /* not the messages of a sender the member muted since (muting silences them all) */
    static const char sql[] = NOTE_COLS "WHERE n.user_id = ?1 AND (?3 = 0 OR n.id < ?3) AND NOT "
                                        "(n.kind = 'message' AND EXISTS (SELECT 1 FROM "
                                        "message_mutes mm WHERE mm.user_id = n.user_id AND "
                                        "mm.muted_id = n.from_id)) ORDER BY n.id DESC LIMIT ?2";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, limit);
    stmt_bind_i64(st, 3, before_id);
    return read_notes(s, a, st, out, n);
}

int store_notifications_read(struct store *s, int64_t user_id, int64_t upto_id)
{
    static const char sql[] = "UPDATE notifications SET seen = 1 WHERE user_id = ?1 AND "
                              "seen = 0 AND (?2 = 0 OR id <= ?2)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, upto_id);
    return stmt_exec(s, st);
}

int store_notifications_unread(struct store *s, int64_t user_id, int *n)
{
    static const char sql[] =
        "SELECT count(*) FROM notifications n WHERE n.user_id = ?1 AND n.seen = 0 AND NOT "
        "(n.kind = 'message' AND EXISTS (SELECT 1 FROM message_mutes mm WHERE mm.user_id = "
        "n.user_id AND mm.muted_id = n.from_id))";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    *n = rc == 0 ? stmt_col_int(st, 0) : 0;
    stmt_done(st);
    return rc;
}

int store_notify_reply(struct store *s, int64_t parent_id, int64_t item_owner, int64_t from,
                       int64_t comment_id, int64_t at, const char *text, int64_t *notified)
{
    static const char sql[] =
        "INSERT INTO notifications (user_id, at, text, kind, from_id, ref_id) "
        "SELECT o.uid, ?1, ?2, 'reply', ?3, ?4 FROM (SELECT coalesce((SELECT user_id FROM "
        "comments WHERE id = ?5), ?6) AS uid) o WHERE o.uid <> ?3 RETURNING user_id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, at);
    stmt_bind_text(st, 2, text);
    stmt_bind_i64(st, 3, from);
    stmt_bind_i64(st, 4, comment_id);
    stmt_bind_i64(st, 5, parent_id);
    stmt_bind_i64(st, 6, item_owner);
    int rc = stmt_exec(s, st);
    *notified = rc == 0 && store_changes(s) > 0 ? store_last_id(s) : 0;
    return rc;
}

int store_notified(struct store *s, int64_t user_id, const char *kind, int64_t from,
                   int64_t since, bool *found)
{
    static const char sql[] = "SELECT 1 FROM notifications WHERE user_id = ?1 AND kind = ?2 "
                              "AND from_id = ?3 AND at >= ?4 LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, kind);
    stmt_bind_i64(st, 3, from);
    stmt_bind_i64(st, 4, since);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *found = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}
