/* The mail outbox the SMTP sender drains, and how much one address was sent lately. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_mail_queue(struct store *s, const char *to, const char *subject, const char *body,
                     int64_t now)
{
    return store_mail_queue_unsub(s, to, subject, body, "", now);
}

int store_mail_queue_unsub(struct store *s, const char *to, const char *subject,
                           const char *body, const char *unsubscribe, int64_t now)
{
    static const char sql[] = "INSERT INTO outbox (to_addr, subject, body, next_attempt_at, "
                              "created_at, unsubscribe) VALUES (?, ?, ?, ?, ?, ?)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, to);
    stmt_bind_text(st, 2, subject);
    stmt_bind_text(st, 3, body);
    stmt_bind_i64(st, 4, now);
    stmt_bind_i64(st, 5, now);
    stmt_bind_text(st, 6, unsubscribe);
    return stmt_exec(s, st);
}

int store_mail_due(struct store *s, struct arena *a, int64_t now, int limit,
                   struct store_mail **out, size_t *n)
{
    static const char sql[] = "SELECT id, to_addr, subject, body, attempts, unsubscribe FROM outbox WHERE "
                              "status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, now);
    stmt_bind_i64(st, 2, limit);
    struct store_mail *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_mail){stmt_col_i64(st, 0), stmt_col_text(a, st, 1),
                                        stmt_col_text(a, st, 2), stmt_col_text(a, st, 3),
                                        stmt_col_int(st, 4), stmt_col_text(a, st, 5)};
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_mail_result(struct store *s, int64_t id, bool sent, const char *error, int64_t next_at)
{
    static const char sql[] =
        "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, "
        "next_attempt_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END "
        "WHERE id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    const char *status = sent ? "sent" : next_at > 0 ? "queued" : "failed";
    stmt_bind_text(st, 1, status);
    stmt_bind_text(st, 2, error ? error : "");
    stmt_bind_i64(st, 3, next_at);
    stmt_bind_text(st, 4, status);
    stmt_bind_i64(st, 5, now_unix());
    stmt_bind_i64(st, 6, id);
    return stmt_exec(s, st);
}

int store_mail_count_recent(struct store *s, const char *to, const char *subject, int64_t since,
                            int *n)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE to_addr = ? AND subject = ? "
                              "AND created_at >= ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, to);
    stmt_bind_text(st, 2, subject);
    stmt_bind_i64(st, 3, since);
    int rc = stmt_step_one(s, st);
    *n = rc == 0 ? stmt_col_int(st, 0) : 0;
    stmt_done(st);
    return rc;
}
