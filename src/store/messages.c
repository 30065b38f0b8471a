/* Direct messages, the recent ones a sender wrote (the form-message check), conversations,
 * mutes and the settings that say who may write to a member. */
#include "../core/err.h"
#include "store_int.h"

int store_message_create(struct store *s, const struct store_message_new *m, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO messages (from_id, to_id, body, fingerprint, form, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, m->from_id);
    stmt_bind_i64(st, 2, m->to_id);
    stmt_bind_text(st, 3, m->body);
    stmt_bind_text(st, 4, m->fingerprint);
    stmt_bind_i64(st, 5, m->form ? 1 : 0);
    stmt_bind_i64(st, 6, m->at);
    int rc = stmt_exec(s, st);
    *id = rc == 0 ? store_last_id(s) : 0;
    return rc;
}

int store_messages_sent_since(struct store *s, struct arena *a, int64_t from, int64_t since,
                              struct store_sent **out, size_t *n)
{
    static const char sql[] = "SELECT id, to_id, fingerprint, form FROM messages "
                              "WHERE from_id = ?1 AND created_at >= ?2 ORDER BY id DESC LIMIT 5000";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, from);
    stmt_bind_i64(st, 2, since);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_sent){stmt_col_i64(st, 0), stmt_col_i64(st, 1),
                                             stmt_col_text(a, st, 2), stmt_col_int(st, 3) != 0};
    }
    stmt_done(st);
    return src;
}

int store_message_mark_form(struct store *s, int64_t id)
{
    static const char sql[] = "UPDATE messages SET form = 1 WHERE id = ?1 AND form = 0";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    return stmt_exec(s, st);
}

int store_message_rights(struct store *s, int64_t from, int64_t to, struct store_msg_rights *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM connections WHERE state = 'accepted' AND "
        " ((requester_id = ?1 AND target_id = ?2) OR (requester_id = ?2 AND target_id = ?1))), "
        "(SELECT allow_messages FROM users WHERE id = ?2), "
        "(SELECT max(t) FROM (SELECT max(created_at) AS t FROM follows WHERE "
        " (follower_id = ?1 AND followee_id = ?2) OR (follower_id = ?2 AND followee_id = ?1) "
        " UNION ALL SELECT max(at) FROM notifications WHERE kind = 'follow' AND "
        " ((user_id = ?2 AND from_id = ?1) OR (user_id = ?1 AND from_id = ?2))) f), "
        "(SELECT count(*) FROM message_mutes WHERE user_id = ?2 AND muted_id = ?1)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, from);
    stmt_bind_i64(st, 2, to);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *out = (struct store_msg_rights){stmt_col_int(st, 0) > 0, stmt_col_int(st, 1) != 0,
                                         stmt_col_i64(st, 2), stmt_col_int(st, 3) > 0};
    }
    stmt_done(st);
    return rc;
}

/* Messages between me and other that I may see (not those from a sender I muted), newest
 * first; marks the ones to me read. */
int store_conversation(struct store *s, struct arena *a, int64_t me, int64_t other, int limit,
                       struct store_message **out, size_t *n)
{
    static const char sql[] =
        "SELECT m.id, f.handle, t.handle, m.body, m.form, m.created_at, m.read "
        "FROM messages m JOIN users f ON f.id = m.from_id JOIN users t ON t.id = m.to_id "
        "WHERE ((m.from_id = ?1 AND m.to_id = ?2) OR (m.from_id = ?2 AND m.to_id = ?1 AND "
        " NOT EXISTS (SELECT 1 FROM message_mutes WHERE user_id = ?1 AND muted_id = ?2))) "
        "ORDER BY m.id DESC LIMIT ?3";
    static const char mark[] =
        "UPDATE messages SET read = 1 WHERE to_id = ?1 AND from_id = ?2 AND read = 0";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, me);
    stmt_bind_i64(st, 2, other);
    stmt_bind_i64(st, 3, limit);
    size_t cap = 0;
    int src;
    bool unread = false;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        struct store_message *m = &(*out)[(*n)++];
        *m = (struct store_message){stmt_col_i64(st, 0), stmt_col_text(a, st, 1),
                                    stmt_col_text(a, st, 2), stmt_col_text(a, st, 3),
                                    stmt_col_int(st, 4) != 0, stmt_col_i64(st, 5),
                                    stmt_col_int(st, 6) != 0};
        unread |= !m->read;
    }
    stmt_done(st);
    if (src != 0 || !unread) {
        return src;
    }
    struct stmt *up = stmt_get(s, mark);
    if (up == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(up, 1, me);
    stmt_bind_i64(up, 2, other);
    return stmt_exec(s, up);
}

int store_conversations(struct store *s, struct arena *a, int64_t me,
                        struct store_conversation_row **out, size_t *n)
{
    static const char sql[] =
        "SELECT u.handle, max(m.created_at), "
        "sum(CASE WHEN m.to_id = ?1 AND m.read = 0 THEN 1 ELSE 0 END), "
        "max(CASE WHEN m.to_id = ?1 THEN m.form ELSE 0 END) "
        "FROM messages m JOIN users u ON u.id = CASE WHEN m.from_id = ?1 THEN m.to_id "
        " ELSE m.from_id END "
        "WHERE (m.from_id = ?1 OR m.to_id = ?1) AND NOT (m.to_id = ?1 AND EXISTS (SELECT 1 "
        " FROM message_mutes mm WHERE mm.user_id = ?1 AND mm.muted_id = m.from_id)) "
        "GROUP BY u.handle ORDER BY 2 DESC LIMIT 100";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, me);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_conversation_row){
            stmt_col_text(a, st, 0), stmt_col_i64(st, 1), stmt_col_int(st, 2),
            stmt_col_int(st, 3) != 0};
    }
    stmt_done(st);
    return src;
}

int store_mute_set(struct store *s, int64_t user_id, int64_t muted, bool on, int64_t now)
{
    static const char add[] = "INSERT INTO message_mutes (user_id, muted_id, created_at) "
                              "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM message_mutes WHERE user_id = ?1 AND muted_id = ?2";
    struct stmt *st = stmt_get(s, on ? add : del);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, muted);
    if (on) {
        stmt_bind_i64(st, 3, now);
    }
    return stmt_exec(s, st);
}

int store_set_allow_messages(struct store *s, int64_t user_id, bool on)
{
    static const char sql[] = "UPDATE users SET allow_messages = ?2 WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, on ? 1 : 0);
    return stmt_exec(s, st);
}

int store_allow_messages(struct store *s, int64_t user_id, bool *on)
{
    static const char sql[] = "SELECT allow_messages FROM users WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    *on = rc == 0 && stmt_col_int(st, 0) != 0;
    stmt_done(st);
    return rc;
}
