/* The member's own data: everything stored about them as JSON, and the deletion of their
 * account. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

/* One part of the export: its key, the query (?1 = the member) and its columns' names and
 * types (i integer, t text, d real), in the order selected. */
struct export_part {
    const char *key, *sql, *types;
    const char *const cols[12];
};

static const struct export_part export_parts[] = {
    {"profile",
     "SELECT handle, name, email, affiliation, domain, role, org_kind, org_admin, created_at, "
     "email_verified, digest_email, allow_messages FROM users WHERE id = ?1",
     "ttttttttiiii",
     {"handle", "name", "email", "affiliation", "domain", "role", "org_kind", "org_admin",
      "created_at", "email_verified", "digest_email", "allow_messages"}},
    {"invitations",
     "SELECT i.code, i.created_at, coalesce(u.handle, ''), coalesce(i.used_at, 0) FROM invites i "
     "LEFT JOIN users u ON u.id = i.used_by WHERE i.by_user = ?1 ORDER BY i.created_at",
     "titi", {"code", "created_at", "used_by", "used_at"}},
    {"items",
     "SELECT id, kind, url, title, body, tags, status, created_at FROM items WHERE user_id = ?1 "
     "ORDER BY id", "itttttti", {"id", "kind", "url", "title", "body", "tags", "status", "created_at"}},
    {"comments",
     "SELECT id, item_id, body, deleted, created_at FROM comments WHERE user_id = ?1 ORDER BY id",
     "iitii", {"id", "item_id", "body", "deleted", "created_at"}},
    {"answers", "SELECT id, item_id, body, created_at FROM answers WHERE user_id = ?1 ORDER BY id",
     "iiti", {"id", "item_id", "body", "created_at"}},
    {"votes",
     "SELECT item_id, value, reason, created_at FROM votes WHERE user_id = ?1 ORDER BY created_at",
     "iiti", {"item_id", "value", "reason", "created_at"}},
    {"comment_votes",
     "SELECT comment_id, value, reason, created_at FROM comment_votes WHERE user_id = ?1",
     "iiti", {"comment_id", "value", "reason", "created_at"}},
    {"opens", "SELECT item_id, first_at FROM opens WHERE user_id = ?1 ORDER BY first_at", "ii",
     {"item_id", "first_at"}},
    {"reads",
     "SELECT item_id, entry_id, kind, source, at FROM reader_events WHERE user_id = ?1 "
     "ORDER BY at", "iitti", {"item_id", "entry_id", "kind", "source", "at"}},
    {"reshares",
     "SELECT item_id, commentary, created_at FROM reshares WHERE user_id = ?1 ORDER BY id",
     "iti", {"item_id", "commentary", "created_at"}},
    {"saves", "SELECT item_id, created_at FROM saves WHERE user_id = ?1 ORDER BY created_at",
     "ii", {"item_id", "created_at"}},
    {"follows",
     "SELECT u.handle, f.created_at FROM follows f JOIN users u ON u.id = f.followee_id "
     "WHERE f.follower_id = ?1", "ti", {"handle", "created_at"}},
    {"blog_follows", "SELECT item_id, created_at FROM blog_follows WHERE follower_id = ?1", "ii",
     {"item_id", "created_at"}},
    {"connections",
     "SELECT u.handle, c.state, c.created_at FROM connections c JOIN users u ON u.id = "
     "CASE WHEN c.requester_id = ?1 THEN c.target_id ELSE c.requester_id END "
     "WHERE c.requester_id = ?1 OR c.target_id = ?1", "tti", {"with", "state", "created_at"}},
    {"messages",
     "SELECT f.handle, t.handle, m.body, m.created_at FROM messages m JOIN users f ON f.id = "
     "m.from_id JOIN users t ON t.id = m.to_id WHERE m.from_id = ?1 OR m.to_id = ?1 ORDER BY m.id",
     "ttti", {"from", "to", "body", "created_at"}},
    {"saved_searches",
     "SELECT query, alert, webhook_url, created_at FROM saved_searches WHERE user_id = ?1",
     "ttti", {"query", "alert", "webhook_url", "created_at"}},
    {"groups",
     "SELECT g.slug, m.role, m.state, m.created_at FROM group_members m JOIN groups g ON g.id = "
     "m.group_id WHERE m.user_id = ?1", "ttti", {"group", "role", "state", "created_at"}},
    {"consents",
     "SELECT org, granted_at, withdrawn_at FROM contact_consents WHERE user_id = ?1 ORDER BY id",
     "tii", {"org", "granted_at", "withdrawn_at"}},
    {"consent_exports",
     "SELECT org, how, at FROM lead_exports WHERE user_id = ?1 ORDER BY id", "tti",
     {"org", "how", "at"}},
};

static int export_part(struct store *s, int64_t user_id, const struct export_part *p,
                       json_t *into)
{
    struct stmt *st = stmt_get(s, p->sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    json_t *rows = json_array();
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        json_t *o = json_object();
        for (int c = 0; p->types[c] != '\0'; c++) {
            json_t *v = p->types[c] == 't' ? json_string(stmt_col_cstr(st, c))
                        : p->types[c] == 'd' ? json_real(stmt_col_double(st, c))
                                             : json_integer(stmt_col_i64(st, c));
            json_object_set_new(o, p->cols[c], v != NULL ? v : json_null());
        }
        json_array_append_new(rows, o);
    }
    stmt_done(st);
    if (strcmp(p->key, "profile") == 0) { /* one member: an object, not a list */
        json_t *one = json_array_get(rows, 0);
        json_object_set(into, p->key, one != NULL ? one : json_null());
        json_decref(rows);
    } else {
        json_object_set_new(into, p->key, rows);
    }
    return src;
}

int store_member_export(struct store *s, int64_t user_id, json_t **out)
{
    json_t *o = json_object();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(export_parts) / sizeof(export_parts[0]); i++) {
        rc = export_part(s, user_id, &export_parts[i], o);
    }
    if (rc != 0) {
        json_decref(o);
        o = NULL;
    }
    *out = o;
    return rc;
}

/* ?1 the member, ?2 now (each statement uses ?2 at least in a no-op, so all bind alike) */
static const char *const delete_sql[] = {
    "DELETE FROM sessions WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM api_tokens WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM password_resets WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM invites WHERE by_user = ?1 AND used_by IS NULL AND ?2 >= 0", /* unspent */
    "DELETE FROM votes WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM comment_votes WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM answer_votes WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM opens WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM saves WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM follows WHERE (follower_id = ?1 OR followee_id = ?1) AND ?2 >= 0",
    "DELETE FROM blog_follows WHERE follower_id = ?1 AND ?2 >= 0",
    "DELETE FROM connections WHERE (requester_id = ?1 OR target_id = ?1) AND ?2 >= 0",
    "DELETE FROM endorsements WHERE (from_id = ?1 OR to_id = ?1) AND ?2 >= 0",
    "DELETE FROM message_mutes WHERE (user_id = ?1 OR muted_id = ?1) AND ?2 >= 0",
    "DELETE FROM messages WHERE (from_id = ?1 OR to_id = ?1) AND ?2 >= 0",
    "DELETE FROM suggestion_dismissals WHERE (user_id = ?1 OR dismissed_id = ?1) AND ?2 >= 0",
    "DELETE FROM home_visits WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM search_hits WHERE search_id IN (SELECT id FROM saved_searches WHERE "
    "user_id = ?1) AND ?2 >= 0",
    "DELETE FROM saved_searches WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM subscriptions WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM notifications WHERE user_id = ?1 AND ?2 >= 0",
    "UPDATE notifications SET from_id = NULL WHERE from_id = ?1 AND ?2 >= 0",
    "DELETE FROM group_members WHERE user_id = ?1 AND ?2 >= 0",
    "DELETE FROM blog_owners WHERE user_id = ?1 AND ?2 >= 0",
    "UPDATE contact_consents SET withdrawn_at = ?2 WHERE user_id = ?1 AND withdrawn_at = 0",
    "DELETE FROM webhook_deliveries WHERE webhook_id IN (SELECT id FROM webhooks WHERE "
    "owner_id = ?1) AND ?2 >= 0",
    "DELETE FROM webhooks WHERE owner_id = ?1 AND ?2 >= 0",
    "DELETE FROM reshares WHERE user_id = ?1 AND ?2 >= 0",
    /* the address goes from everywhere it waits: subscriptions, queued mail, queued pushes of
     * the member's contact (before the row forgets it) */
    "DELETE FROM subscribers WHERE email = (SELECT email FROM users WHERE id = ?1) AND ?2 >= 0",
    "DELETE FROM outbox WHERE status = 'queued' AND to_addr = (SELECT email FROM users WHERE "
    "id = ?1) AND ?2 >= 0",
    "DELETE FROM webhook_deliveries WHERE status = 'queued' AND event = 'lead.consented' AND "
    "body LIKE '%' || (SELECT email FROM users WHERE id = ?1) || '%' AND ?2 >= 0",
    "UPDATE users SET handle = '_deleted_' || id, name = '[deleted member]', "
    "email = '_deleted_' || id || '@deleted.invalid', pw_hash = '!', affiliation = '', "
    "domain = '', email_verified = 0, email_token = '', verify_token = '', digest_email = 0, "
    "allow_messages = 0, org_kind = '', org_admin = 0, seed = 0, deleted_at = ?2 "
    "WHERE id = ?1",
};

#define NDELETE (sizeof(delete_sql) / sizeof(delete_sql[0]))

/* The counts authors see stay as they were, no longer tied to the member: their reader key
 * becomes a pseudonym nobody keeps, a different one for each post (still one reader per post,
 * so no count changes, and no two posts' readers can be matched up). */
static int unlink_signals(struct store *s, int64_t user_id, const char *pseudonym)
{
    static const char sql[] =
        "UPDATE reader_events SET reader = ?2 || '-' || item_id || '-' || entry_id, "
        "user_id = NULL WHERE user_id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, pseudonym);
    s->quiet = true;
    return stmt_exec(s, st);
}

int store_member_delete(struct store *s, int64_t user_id, bool remove_comments,
                        const char *pseudonym, int64_t now)
{
    /* the member's words go first when asked, then the rest, in one transaction */
    const char *sql[NDELETE + 3] = {
        "UPDATE comments SET deleted = 1, body = '' WHERE user_id = ?1 AND ?2 >= 0",
        "DELETE FROM answers WHERE user_id = ?1 AND ?2 >= 0 AND NOT EXISTS (SELECT 1 FROM "
        "answer_votes v WHERE v.answer_id = answers.id) AND NOT EXISTS (SELECT 1 FROM items i "
        "WHERE i.accepted_answer = answers.id)",
        "UPDATE answers SET body = '[removed by its author]' WHERE user_id = ?1 AND ?2 >= 0"};
    size_t skip = remove_comments ? 0 : 3;
    memcpy(sql + 3, delete_sql, sizeof(delete_sql));
    int64_t args[2] = {user_id, now};
    int rc = store_tx_begin(s);
    if (rc == 0 && (rc = unlink_signals(s, user_id, pseudonym)) == 0) {
        rc = store_exec_tx(s, sql + skip, NDELETE + 3 - skip, args, 2, NULL);
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}
