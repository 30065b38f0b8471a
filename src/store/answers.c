/* Answers to questions and their votes (store_groups.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_answer_create(struct store *s, int64_t item_id, int64_t user_id, const char *body,
                        int64_t now, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO answers (item_id, user_id, body, created_at) "
        "SELECT id, ?2, ?3, ?4 FROM items WHERE id = ?1 AND kind = 'question' RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_text(st, 3, body);
    stmt_bind_i64(st, 4, now);
    int rc = stmt_exec(s, st);
    if (rc == 0 && store_changes(s) == 0) {
        return ERR_NOTFOUND;
    }
    *id = store_last_id(s);
    return rc;
}

#define ANSWER_COLS                                                                            \
    "a.id, a.item_id, a.user_id, u.handle, a.body, u.domain, a.created_at, a.ups, a.downs, "   \
    "coalesce(v.value, 0), a.status FROM answers a JOIN users u ON u.id = a.user_id "          \
    "LEFT JOIN answer_votes v ON v.answer_id = a.id AND v.user_id = ?1 "

static void answer_read(struct arena *a, struct stmt *st, struct store_answer *out)
{
    out->id = stmt_col_i64(st, 0);
    out->item_id = stmt_col_i64(st, 1);
    out->user_id = stmt_col_i64(st, 2);
    out->handle = stmt_col_text(a, st, 3);
    out->body = stmt_col_text(a, st, 4);
    out->domain = stmt_col_text(a, st, 5);
    out->created_at = stmt_col_i64(st, 6);
    out->ups = stmt_col_int(st, 7);
    out->downs = stmt_col_int(st, 8);
    out->my_vote = stmt_col_int(st, 9);
    out->status = stmt_col_text(a, st, 10);
}

int store_answer_get(struct store *s, struct arena *a, int64_t id, int64_t viewer,
                     struct store_answer *out)
{
    static const char sql[] = "SELECT " ANSWER_COLS "WHERE a.id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        answer_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_answers(struct store *s, struct arena *a, int64_t item_id, int64_t viewer,
                  struct store_answer **out, size_t *n)
{
    static const char sql[] = "SELECT " ANSWER_COLS "WHERE a.item_id = ?2 AND a.status = 'ok' "
                              "ORDER BY a.id LIMIT 500";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, item_id);
    size_t cap = 0;
    int src;
    *out = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        answer_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}

int store_answer_vote_set(struct store *s, int64_t user_id, int64_t answer_id, int value,
                          const char *reason, int64_t now)
{
    static const char del[] = "DELETE FROM answer_votes WHERE user_id = ?1 AND answer_id = ?2";
    static const char set[] =
        "INSERT INTO answer_votes (answer_id, user_id, value, reason, opened, created_at) "
        "SELECT a.id, ?1, ?3, ?4, CAST(EXISTS (SELECT 1 FROM opens o WHERE o.item_id = a.item_id "
        "AND o.user_id = ?1) AS INTEGER), ?5 FROM answers a WHERE a.id = ?2 "
        "ON CONFLICT (answer_id, user_id) DO UPDATE SET value = excluded.value, "
        "reason = excluded.reason, opened = excluded.opened";
    struct stmt *st = stmt_get(s, value == 0 ? del : set);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, answer_id);
    if (value != 0) {
        stmt_bind_i64(st, 3, value);
        stmt_bind_text(st, 4, reason ? reason : "");
        stmt_bind_i64(st, 5, now);
    }
    return stmt_exec(s, st);
}

int store_answer_votes(struct store *s, struct arena *a, int64_t item_id,
                       struct store_answer_vote **out, size_t *n)
{
    static const char sql[] =
        "SELECT v.answer_id, v.user_id, v.value, v.opened, u.trust, u.domain "
        "FROM answer_votes v JOIN answers a ON a.id = v.answer_id "
        "JOIN users u ON u.id = v.user_id WHERE a.item_id = ?1 AND a.status = 'ok' "
        "ORDER BY v.answer_id";
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
        struct store_answer_vote *v = &(*out)[(*n)++];
        v->answer_id = stmt_col_i64(st, 0);
        v->user_id = stmt_col_i64(st, 1);
        v->value = stmt_col_int(st, 2);
        v->opened = stmt_col_int(st, 3) != 0;
        v->trust = stmt_col_double(st, 4);
        v->domain = stmt_col_text(a, st, 5);
    }
    stmt_done(st);
    return src;
}

int store_item_accept(struct store *s, int64_t item_id, int64_t answer_id)
{
    static const char sql[] = "UPDATE items SET accepted_answer = ?2 WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, answer_id);
    return stmt_exec(s, st);
}

int store_trust_known(struct store *s, bool *known)
{
    static const char sql[] = "SELECT 1 FROM users WHERE trust > 0 LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *known = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}
