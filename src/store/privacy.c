/* A member's organisation kind, consents to be contacted and every export of a contact, and
 * subscribers by mail (sign-up in one field). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_user_org_set(struct store *s, int64_t user_id, const char *kind, int org_admin)
{
    static const char sql[] = "UPDATE users SET org_kind = coalesce(?2, org_kind), "
                              "org_admin = CASE WHEN ?3 < 0 THEN org_admin ELSE ?3 END WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    if (kind != NULL) {
        stmt_bind_text(st, 2, kind);
    } else {
        stmt_bind_null(st, 2);
    }
    stmt_bind_i64(st, 3, org_admin);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_user_org_get(struct store *s, struct arena *a, int64_t user_id, const char **kind,
                       bool *org_admin)
{
    static const char sql[] = "SELECT org_kind, org_admin FROM users WHERE id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *kind = stmt_col_text(a, st, 0);
        *org_admin = stmt_col_int(st, 1) != 0;
    }
    stmt_done(st);
    return rc;
}

int store_consent_set(struct store *s, int64_t user_id, const char *org, bool on, int64_t now,
                      bool *changed)
{
    static const char add[] = "INSERT INTO contact_consents (user_id, org, granted_at) "
                              "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
    static const char end[] = "UPDATE contact_consents SET withdrawn_at = ?3 "
                              "WHERE user_id = ?1 AND org = ?2 AND withdrawn_at = 0";
    struct stmt *st = stmt_get(s, on ? add : end);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, org);
    stmt_bind_i64(st, 3, now);
    s->quiet = true; /* on no cached page */
    int rc = stmt_exec(s, st);
    *changed = rc == 0 && store_changes(s) > 0;
    return rc;
}

int store_consents(struct store *s, struct arena *a, int64_t user_id, bool current_only,
                   struct store_consent **out, size_t *n)
{
    static const char sql[] =
        "SELECT org, granted_at, withdrawn_at FROM contact_consents WHERE user_id = ?1 AND "
        "(?2 = 0 OR withdrawn_at = 0) ORDER BY granted_at DESC, id DESC";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, current_only ? 1 : 0);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_consent){stmt_col_text(a, st, 0), stmt_col_i64(st, 1),
                                                stmt_col_i64(st, 2)};
    }
    stmt_done(st);
    return src;
}

int store_leads(struct store *s, struct arena *a, const char *org, struct store_lead **out,
                size_t *n)
{
    static const char sql[] =
        "SELECT u.id, u.handle, u.name, u.email, u.affiliation, c.granted_at FROM "
        "contact_consents c JOIN users u ON u.id = c.user_id WHERE c.org = ?1 AND "
        "c.withdrawn_at = 0 AND u.deleted_at = 0 AND u.banned = 0 ORDER BY c.granted_at, c.id";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, org);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_lead){stmt_col_i64(st, 0),       stmt_col_text(a, st, 1),
                                             stmt_col_text(a, st, 2),   stmt_col_text(a, st, 3),
                                             stmt_col_text(a, st, 4),   stmt_col_i64(st, 5)};
    }
    stmt_done(st);
    return src;
}

int store_lead_export_log(struct store *s, int64_t user_id, const char *org, int64_t by_user,
                          const char *how, int64_t now)
{
    static const char sql[] = "INSERT INTO lead_exports (user_id, org, by_user, how, at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, org);
    if (by_user > 0) {
        stmt_bind_i64(st, 3, by_user);
    } else {
        stmt_bind_null(st, 3);
    }
    stmt_bind_text(st, 4, how);
    stmt_bind_i64(st, 5, now);
    return stmt_exec(s, st);
}

int store_lead_exports(struct store *s, struct arena *a, int64_t user_id,
                       struct store_lead_export **out, size_t *n)
{
    static const char sql[] = "SELECT org, how, at FROM lead_exports WHERE user_id = ?1 "
                              "ORDER BY at DESC, id DESC LIMIT 200";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_lead_export){stmt_col_text(a, st, 0),
                                                    stmt_col_text(a, st, 1), stmt_col_i64(st, 2)};
    }
    stmt_done(st);
    return src;
}

#define SUB_COLS                                                                               \
    "id, email, name, what, target, token, confirmed_at, unsubscribed_at, last_sent_at, "      \
    "created_at "

static void subscriber_read(struct arena *a, struct stmt *st, struct store_subscriber *o)
{
    *o = (struct store_subscriber){stmt_col_i64(st, 0),     stmt_col_text(a, st, 1),
                                   stmt_col_text(a, st, 2), stmt_col_text(a, st, 3),
                                   stmt_col_text(a, st, 4), stmt_col_text(a, st, 5),
                                   stmt_col_i64(st, 6),     stmt_col_i64(st, 7),
                                   stmt_col_i64(st, 8),     stmt_col_i64(st, 9)};
}

int store_subscriber_add(struct store *s, struct arena *a, const char *email, const char *name,
                         const char *what, const char *target, const char *token, int64_t now,
                         const char **token_out, bool *confirmed)
{
    /* a new row; or, for one never confirmed or ended, a fresh token and a fresh start */
    static const char sql[] =
        "INSERT INTO subscribers (email, name, what, target, token, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (email, what, target) DO UPDATE SET "
        "token = CASE WHEN subscribers.unsubscribed_at = 0 THEN subscribers.token "
        "ELSE excluded.token END, "
        "confirmed_at = CASE WHEN subscribers.unsubscribed_at = 0 THEN subscribers.confirmed_at "
        "ELSE 0 END, unsubscribed_at = 0, name = CASE WHEN subscribers.confirmed_at > 0 AND "
        "subscribers.unsubscribed_at = 0 THEN subscribers.name ELSE excluded.name END";
    static const char get[] =
        "SELECT token, confirmed_at FROM subscribers WHERE email = ?1 AND what = ?2 AND target = ?3";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, email);
    stmt_bind_text(st, 2, name);
    stmt_bind_text(st, 3, what);
    stmt_bind_text(st, 4, target);
    stmt_bind_text(st, 5, token);
    stmt_bind_i64(st, 6, now);
    int rc = stmt_exec(s, st);
    if (rc != 0) {
        return rc;
    }
    if ((st = stmt_get(s, get)) == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, email);
    stmt_bind_text(st, 2, what);
    stmt_bind_text(st, 3, target);
    rc = stmt_step_one(s, st);
    if (rc == 0) {
        *token_out = stmt_col_text(a, st, 0);
        *confirmed = stmt_col_i64(st, 1) > 0;
    }
    stmt_done(st);
    return rc;
}

int store_subscriber_by_token(struct store *s, struct arena *a, const char *token,
                              struct store_subscriber *out)
{
    static const char sql[] = "SELECT " SUB_COLS "FROM subscribers WHERE token = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        subscriber_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

static int subscriber_stamp(struct store *s, const char *sql, int64_t id, int64_t now)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    stmt_bind_i64(st, 2, now);
    return stmt_exec(s, st);
}

int store_subscriber_confirm(struct store *s, int64_t id, int64_t now)
{
    return subscriber_stamp(s,
                            "UPDATE subscribers SET confirmed_at = ?2 WHERE id = ?1 AND "
                            "confirmed_at = 0 AND unsubscribed_at = 0",
                            id, now);
}

int store_subscriber_end(struct store *s, int64_t id, int64_t now)
{
    return subscriber_stamp(
        s, "UPDATE subscribers SET unsubscribed_at = ?2 WHERE id = ?1 AND unsubscribed_at = 0",
        id, now);
}

int store_subscriber_sent(struct store *s, int64_t id, int64_t now)
{
    return subscriber_stamp(s, "UPDATE subscribers SET last_sent_at = ?2 WHERE id = ?1", id,
                            now);
}

int store_subscriber_checked(struct store *s, int64_t id, int64_t now)
{
    return subscriber_stamp(s, "UPDATE subscribers SET checked_at = ?2 WHERE id = ?1", id, now);
}

int store_subscribers_due(struct store *s, struct arena *a, const char *what, int64_t before,
                          struct store_subscriber **out, size_t *n)
{
    static const char sql[] = "SELECT " SUB_COLS "FROM subscribers WHERE what = ?1 AND "
                              "confirmed_at > 0 AND unsubscribed_at = 0 AND last_sent_at < ?2 "
                              "AND checked_at < ?2 ORDER BY checked_at, id LIMIT 1000";
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, what);
    stmt_bind_i64(st, 2, before);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        subscriber_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}
