/* Moderation: fields that actions change, flags, the public log, the queue, notifications. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

/* One literal per field and direction: column names cannot be bound, and a fixed table keeps
 * every statement static and prepared. Integers are stored through CAST so that the text
 * form kept in the log round-trips; merged_into is NULL when "" / 0. */
static const struct {
    const char *name, *get, *set;
} fields[SF_COUNT] = {
    [SF_ITEM_STATUS] = {"items.status", "SELECT status FROM items WHERE id = ?1",
                        "UPDATE items SET status = ?2 WHERE id = ?1"},
    [SF_ITEM_QUEUE_REASON] = {"items.queue_reason", "SELECT queue_reason FROM items WHERE id = ?1",
                              "UPDATE items SET queue_reason = ?2 WHERE id = ?1"},
    [SF_ITEM_MERGED_INTO] = {"items.merged_into", "SELECT coalesce(merged_into, 0) FROM items WHERE id = ?1",
                             "UPDATE items SET merged_into = nullif(CAST(nullif(?2, '') AS BIGINT), 0) "
                             "WHERE id = ?1"},
    [SF_ITEM_TITLE] = {"items.title", "SELECT title FROM items WHERE id = ?1",
                       "UPDATE items SET title = ?2 WHERE id = ?1"},
    [SF_ITEM_TAGS] = {"items.tags", "SELECT tags FROM items WHERE id = ?1",
                      "UPDATE items SET tags = ?2 WHERE id = ?1"},
    [SF_ITEM_LOCKED] = {"items.locked", "SELECT locked FROM items WHERE id = ?1",
                        "UPDATE items SET locked = CAST(?2 AS BIGINT) WHERE id = ?1"},
    [SF_ITEM_FLAGS_CLEARED] = {"items.flags_cleared_at",
                               "SELECT flags_cleared_at FROM items WHERE id = ?1",
                               "UPDATE items SET flags_cleared_at = CAST(?2 AS BIGINT) "
                               "WHERE id = ?1"},
    [SF_ANSWER_STATUS] = {"answers.status", "SELECT status FROM answers WHERE id = ?1",
                          "UPDATE answers SET status = ?2 WHERE id = ?1"},
    [SF_COMMENT_STATUS] = {"comments.status", "SELECT status FROM comments WHERE id = ?1",
                           "UPDATE comments SET status = ?2 WHERE id = ?1"},
    [SF_COMMENT_QUEUE_REASON] = {"comments.queue_reason",
                                 "SELECT queue_reason FROM comments WHERE id = ?1",
                                 "UPDATE comments SET queue_reason = ?2 WHERE id = ?1"},
    [SF_COMMENT_FLAGS_CLEARED] = {"comments.flags_cleared_at",
                                  "SELECT flags_cleared_at FROM comments WHERE id = ?1",
                                  "UPDATE comments SET flags_cleared_at = CAST(?2 AS BIGINT) "
                                  "WHERE id = ?1"},
    [SF_USER_SUSPENDED_UNTIL] = {"users.suspended_until",
                                 "SELECT suspended_until FROM users WHERE id = ?1",
                                 "UPDATE users SET suspended_until = CAST(?2 AS BIGINT) "
                                 "WHERE id = ?1"},
    [SF_USER_BANNED] = {"users.banned", "SELECT banned FROM users WHERE id = ?1",
                        "UPDATE users SET banned = CAST(?2 AS BIGINT) WHERE id = ?1"},
    [SF_USER_CAN_INVITE] = {"users.can_invite", "SELECT can_invite FROM users WHERE id = ?1",
                            "UPDATE users SET can_invite = CAST(?2 AS BIGINT) WHERE id = ?1"},
};

const char *store_field_name(enum store_field f)
{
    return f < SF_COUNT ? fields[f].name : "";
}

int store_field_by_name(const char *name, enum store_field *f)
{
    for (int i = 0; i < SF_COUNT; i++) {
        if (strcmp(fields[i].name, name) == 0) {
            *f = (enum store_field)i;
            return 0;
        }
    }
    return ERR_INVAL;
}

int store_field_get(struct store *s, struct arena *a, enum store_field f, int64_t id,
                    char **value)
{
    if (f >= SF_COUNT) {
        return ERR_INVAL;
    }
    struct stmt *st = stmt_get(s, fields[f].get);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *value = stmt_col_text(a, st, 0);
    }
    stmt_done(st);
    return rc;
}

int store_field_set(struct store *s, enum store_field f, int64_t id, const char *value)
{
    if (f >= SF_COUNT) {
        return ERR_INVAL;
    }
    struct stmt *st = stmt_get(s, fields[f].set);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    stmt_bind_text(st, 2, value);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_flag_set(struct store *s, const char *target, int64_t target_id, int64_t user_id,
                   const char *reason, double weight, int64_t at)
{
    static const char sql[] =
        "INSERT INTO flags (target, target_id, user_id, reason, weight, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (target, target_id, user_id) DO UPDATE "
        "SET reason = excluded.reason, weight = excluded.weight, created_at = excluded.created_at";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, target);
    stmt_bind_i64(st, 2, target_id);
    stmt_bind_i64(st, 3, user_id);
    stmt_bind_text(st, 4, reason);
    stmt_bind_double(st, 5, weight);
    stmt_bind_i64(st, 6, at);
    return stmt_exec(s, st);
}

int store_flag_weight(struct store *s, struct arena *a, const char *target, int64_t target_id,
                      int64_t since, double *sum, char **top_reason)
{
    static const char sql[] =
        "SELECT reason, sum(weight) AS w, (SELECT coalesce(sum(weight), 0) FROM flags "
        "WHERE target = ?1 AND target_id = ?2 AND created_at > ?3) FROM flags "
        "WHERE target = ?1 AND target_id = ?2 AND created_at > ?3 "
        "GROUP BY reason ORDER BY w DESC, reason LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, target);
    stmt_bind_i64(st, 2, target_id);
    stmt_bind_i64(st, 3, since);
    int rc = stmt_step_one(s, st);
    *sum = 0;
    *top_reason = "";
    if (rc == 0) {
        *top_reason = stmt_col_text(a, st, 0);
        *sum = stmt_col_double(st, 2);
    }
    stmt_done(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_flag_list(struct store *s, struct arena *a, const char *target, int64_t target_id,
                    struct store_flag **out, size_t *n)
{
    static const char sql[] = "SELECT u.handle, f.reason, f.weight, f.created_at FROM flags f "
                              "JOIN users u ON u.id = f.user_id "
                              "WHERE f.target = ?1 AND f.target_id = ?2 ORDER BY f.created_at";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, target);
    stmt_bind_i64(st, 2, target_id);
    struct store_flag *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_flag){stmt_col_text(a, st, 0), stmt_col_text(a, st, 1),
                                        stmt_col_double(st, 2),
                                        stmt_col_i64(st, 3)};
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_modlog_add(struct store *s, const struct store_modlog *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO modlog (at, moderator_id, action, target, target_id, reason, changes, "
        "undoes, group_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9) RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, in->at);
    stmt_bind_i64(st, 2, in->moderator_id);
    stmt_bind_text(st, 3, in->action);
    stmt_bind_text(st, 4, in->target);
    stmt_bind_i64(st, 5, in->target_id);
    stmt_bind_text(st, 6, in->reason);
    stmt_bind_text(st, 7, in->changes);
    stmt_bind_i64(st, 8, in->undoes);
    stmt_bind_i64(st, 9, in->group_id);
    int rc = stmt_exec(s, st);
    if (rc == 0) {
        *id = store_last_id(s);
    }
    return rc;
}

#define MODLOG_SELECT                                                                          \
    "SELECT l.id, l.at, l.moderator_id, u.handle, l.action, l.target, l.target_id, "            \
    "CASE l.target WHEN 'item' THEN (SELECT CASE status WHEN 'removed' THEN '' ELSE title END " \
    "FROM items WHERE id = l.target_id) "                                                       \
    "WHEN 'comment' THEN (SELECT CASE status WHEN 'ok' THEN substr(body, 1, 80) ELSE '' END "  \
    "FROM comments WHERE id = l.target_id) "                                                    \
    "WHEN 'answer' THEN (SELECT CASE status WHEN 'ok' THEN substr(body, 1, 80) ELSE '' END "   \
    "FROM answers WHERE id = l.target_id) "                                                     \
    "ELSE (SELECT handle FROM users WHERE id = l.target_id) END, "                              \
    "l.reason, l.changes, coalesce(l.undoes, 0), coalesce(l.undone_by, 0), l.group_id, "       \
    "coalesce((SELECT slug FROM groups WHERE id = l.group_id), '') "                            \
    "FROM modlog l JOIN users u ON u.id = l.moderator_id "

static void modlog_read(struct arena *a, struct stmt *st, struct store_modlog *m)
{
    m->id = stmt_col_i64(st, 0);
    m->at = stmt_col_i64(st, 1);
    m->moderator_id = stmt_col_i64(st, 2);
    m->moderator = stmt_col_text(a, st, 3);
    m->action = stmt_col_text(a, st, 4);
    m->target = stmt_col_text(a, st, 5);
    m->target_id = stmt_col_i64(st, 6);
    m->target_label = stmt_col_text(a, st, 7);
    m->reason = stmt_col_text(a, st, 8);
    m->changes = stmt_col_text(a, st, 9);
    m->undoes = stmt_col_i64(st, 10);
    m->undone_by = stmt_col_i64(st, 11);
    m->group_id = stmt_col_i64(st, 12);
    m->group_slug = stmt_col_text(a, st, 13);
}

int store_modlog_get(struct store *s, struct arena *a, int64_t id, struct store_modlog *out)
{
    static const char sql[] = MODLOG_SELECT "WHERE l.id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        modlog_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_modlog_set_undone(struct store *s, int64_t id, int64_t undone_by)
{
    static const char sql[] = "UPDATE modlog SET undone_by = nullif(?2, 0) WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    stmt_bind_i64(st, 2, undone_by);
    return stmt_exec(s, st);
}

int store_modlog_list(struct store *s, struct arena *a, int limit, int offset,
                      struct store_modlog **out, size_t *n)
{
    static const char sql[] = MODLOG_SELECT "ORDER BY l.id DESC LIMIT ?1 OFFSET ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, limit);
    stmt_bind_i64(st, 2, offset);
    struct store_modlog *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        modlog_read(a, st, &list[k++]);
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_mod_queue(struct store *s, struct arena *a, int64_t group_moderator,
                    struct store_queue_entry **out, size_t *n)
{
#define MODERATED(col)                                                                         \
    "(?1 = 0 OR " col " IN (SELECT group_id FROM group_members WHERE user_id = ?1 AND "         \
    "role = 'moderator' AND state = 'active')) "
    static const char sql[] =
        "SELECT 'item', i.id, i.id, i.user_id, i.created_at, i.title, u.handle, i.queue_reason, "
        "(SELECT coalesce(sum(weight), 0) FROM flags f WHERE f.target = 'item' AND "
        "f.target_id = i.id AND f.created_at > i.flags_cleared_at), "
        "coalesce((SELECT slug FROM groups g WHERE g.id = i.group_id), '') "
        "FROM items i JOIN users u ON u.id = i.user_id WHERE i.status = 'queued' AND "
        MODERATED("i.group_id")
        "UNION ALL "
        "SELECT 'comment', c.id, c.item_id, c.user_id, c.created_at, substr(c.body, 1, 200), "
        "u.handle, c.queue_reason, (SELECT coalesce(sum(weight), 0) FROM flags f WHERE "
        "f.target = 'comment' AND f.target_id = c.id AND f.created_at > c.flags_cleared_at), "
        "coalesce((SELECT slug FROM groups g WHERE g.id = ci.group_id), '') "
        "FROM comments c JOIN users u ON u.id = c.user_id JOIN items ci ON ci.id = c.item_id "
        "WHERE c.status = 'queued' AND " MODERATED("ci.group_id")
        "ORDER BY 5, 2";
#undef MODERATED
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_moderator);
    struct store_queue_entry *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_queue_entry){
            .target = stmt_col_text(a, st, 0), .id = stmt_col_i64(st, 1),
            .item_id = stmt_col_i64(st, 2), .author_id = stmt_col_i64(st, 3),
            .created_at = stmt_col_i64(st, 4), .label = stmt_col_text(a, st, 5),
            .author = stmt_col_text(a, st, 6), .queue_reason = stmt_col_text(a, st, 7),
            .flag_weight = stmt_col_double(st, 8), .group_slug = stmt_col_text(a, st, 9)};
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_user_branch(struct store *s, struct arena *a, int64_t root, int64_t **ids, size_t *n)
{
    static const char sql[] =
        "WITH RECURSIVE branch(id) AS (SELECT id FROM users WHERE invited_by = ?1 "
        "UNION SELECT u.id FROM users u JOIN branch b ON u.invited_by = b.id) "
        "SELECT id FROM branch ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, root);
    int64_t *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = stmt_col_i64(st, 0);
    }
    int rc = src;
    stmt_done(st);
    *ids = list;
    *n = k;
    return rc;
}

int store_user_removed(struct store *s, int64_t user_id, int *items, int *comments)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM items WHERE user_id = ?1 AND status = 'removed'), "
        "(SELECT count(*) FROM comments WHERE user_id = ?1 AND status = 'removed')";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *items = stmt_col_int(st, 0);
        *comments = stmt_col_int(st, 1);
    }
    stmt_done(st);
    return rc;
}

int store_domain_seen(struct store *s, const char *domain, bool *seen)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM items WHERE domain = ?1 AND status != 'removed')";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, domain);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *seen = stmt_col_int(st, 0) != 0;
    }
    stmt_done(st);
    return rc;
}

int store_rank_ran(struct store *s, bool *ran)
{
    static const char sql[] = "SELECT EXISTS (SELECT 1 FROM items WHERE ranked_at > 0)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *ran = stmt_col_int(st, 0) != 0;
    }
    stmt_done(st);
    return rc;
}

int store_thread_pace(struct store *s, int64_t item_id, int64_t user_id, int64_t *last_at,
                      int *flags)
{
    static const char sql[] =
        "SELECT (SELECT coalesce(max(created_at), 0) FROM comments WHERE item_id = ?1 AND "
        "user_id = ?2), (SELECT count(*) FROM flags f JOIN comments c ON f.target = 'comment' "
        "AND f.target_id = c.id WHERE c.item_id = ?1)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *last_at = stmt_col_i64(st, 0);
        *flags = stmt_col_int(st, 1);
    }
    stmt_done(st);
    return rc;
}

int store_user_own_share(struct store *s, int64_t user_id, int last, int *own, int *total)
{
    static const char sql[] =
        "SELECT coalesce(sum(CASE WHEN own_org != 0 OR authored != 0 THEN 1 ELSE 0 END), 0), "
        "count(*) FROM (SELECT own_org, authored FROM items WHERE user_id = ?1 AND "
        "kind = 'link' ORDER BY created_at DESC, id DESC LIMIT ?2) AS recent";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, last);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *own = stmt_col_int(st, 0);
        *total = stmt_col_int(st, 1);
    }
    stmt_done(st);
    return rc;
}

int store_topic_corpus(struct store *s, void (*fn)(void *ctx, const char *text, bool on_topic),
                       void *ctx)
{
    static const char sql[] =
        "SELECT title || ' ' || body, CASE WHEN status = 'ok' THEN 1 ELSE 0 END FROM items i "
        "WHERE status = 'ok' OR "
        "(status = 'removed' AND (lower(queue_reason) LIKE '%off-topic%' OR EXISTS (SELECT 1 FROM "
        "modlog l WHERE l.target = 'item' AND l.target_id = i.id AND l.action = 'remove' AND "
        "l.undone_by IS NULL AND lower(l.reason) LIKE '%off-topic%'))) "
        /* the posts of the guild's own blogs are on topic too: the newest 2,000 titles (not
         * their text: a whole post's general words would count as the guild's) */
        "UNION ALL SELECT * FROM (SELECT e.title, 1 FROM "
        "entries e JOIN feeds f ON f.id = e.feed_id JOIN items b ON b.id = f.item_id WHERE "
        "b.status = 'ok' ORDER BY e.published_at DESC LIMIT 2000) AS blog_titles";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        fn(ctx, stmt_col_cstr(st, 0), stmt_col_int(st, 1) != 0);
    }
    int rc = src;
    stmt_done(st);
    return rc;
}

int store_content_group(struct store *s, const char *target, int64_t id, int64_t *group_id)
{
    static const char item[] = "SELECT coalesce(group_id, 0) FROM items WHERE id = ?1";
    static const char comment[] = "SELECT coalesce(i.group_id, 0) FROM comments c "
                                  "JOIN items i ON i.id = c.item_id WHERE c.id = ?1";
    static const char answer[] = "SELECT coalesce(i.group_id, 0) FROM answers an "
                                 "JOIN items i ON i.id = an.item_id WHERE an.id = ?1";
    *group_id = 0;
    bool is_item = strcmp(target, "item") == 0, is_comment = strcmp(target, "comment") == 0;
    if (!is_item && !is_comment && strcmp(target, "answer") != 0) {
        return 0;
    }
    struct stmt *st = stmt_get(s, is_item ? item : is_comment ? comment : answer);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *group_id = stmt_col_i64(st, 0);
    }
    stmt_done(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_group_moderates(struct store *s, int64_t user_id, int64_t group_id, bool *yes)
{
    static const char sql[] = "SELECT 1 FROM group_members WHERE user_id = ?1 AND "
                              "(?2 = 0 OR group_id = ?2) AND role = 'moderator' AND "
                              "state = 'active' LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, group_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *yes = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}
