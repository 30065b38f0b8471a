/* Saves, what readers did, and the cells behind an author's statistics. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_save_set(struct store *s, int64_t user_id, int64_t item_id, bool on, int64_t now,
                   bool *changed)
{
    static const char add[] = "INSERT INTO saves (user_id, item_id, created_at) "
                              "SELECT ?1, id, ?3 FROM items WHERE id = ?2 AND status = 'ok' "
                              "ON CONFLICT DO NOTHING";
    static const char del[] = "DELETE FROM saves WHERE user_id = ?1 AND item_id = ?2 AND ?3 >= 0";
    static const char listed[] = "SELECT 1 FROM items WHERE id = ?1 AND status = 'ok'";
    struct stmt *st = stmt_get(s, on ? add : del);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    stmt_bind_i64(st, 3, now);
    int rc = stmt_exec(s, st);
    *changed = rc == 0 && store_changes(s) > 0;
    if (rc != 0 || *changed || !on) {
        return rc;
    }
    if ((st = stmt_get(s, listed)) == NULL) { /* nothing added: saved already, or not listed */
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    rc = stmt_step_one(s, st);
    stmt_done(st);
    return rc;
}

int store_reader_event(struct store *s, const struct store_reader_event *e)
{
    static const char sql[] =
        "INSERT INTO reader_events (item_id, entry_id, kind, source, reader, user_id, day, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, e->item_id);
    stmt_bind_i64(st, 2, e->entry_id);
    stmt_bind_text(st, 3, e->kind);
    stmt_bind_text(st, 4, e->source);
    if (e->reader != NULL) {
        stmt_bind_text(st, 5, e->reader);
    } else {
        stmt_bind_null(st, 5);
    }
    if (e->user_id > 0) {
        stmt_bind_i64(st, 6, e->user_id);
    } else {
        stmt_bind_null(st, 6);
    }
    stmt_bind_i64(st, 7, e->at / 86400);
    stmt_bind_i64(st, 8, e->at);
    s->quiet = true; /* a signal changes no page: cached pages stay valid */
    return stmt_exec(s, st);
}

/* ?1 item, ?2 entry, [?3, ?4) the window, ?5 the trust of a trusted reader. Events of an item
 * have entry_id 0 and of an entry item_id 0, so one filter serves both; saves, votes and
 * comments exist for items only (?2 = 0). */
#define EV " FROM reader_events e WHERE e.item_id = ?1 AND e.entry_id = ?2 AND e.at >= ?3 AND e.at < ?4 "
#define EVU                                                                                    \
    " FROM reader_events e JOIN users u ON u.id = e.user_id WHERE e.item_id = ?1 AND "        \
    "e.entry_id = ?2 AND e.at >= ?3 AND e.at < ?4 "
#define ON_ITEM(table) " FROM " table " WHERE item_id = ?1 AND ?2 = 0 AND created_at >= ?3 AND created_at < ?4 "
static const char stats_sql[] =
    "SELECT 'opens', '', count(*), count(DISTINCT e.reader)" EV "AND e.kind = 'open' "
    "UNION ALL SELECT 'readers', '', count(DISTINCT e.reader), count(DISTINCT e.reader)" EV
    "UNION ALL SELECT 'trusted', '', count(DISTINCT e.user_id), count(DISTINCT e.user_id)" EVU
    "AND u.trust >= ?5 "
    "UNION ALL SELECT 'source', e.source, count(DISTINCT e.reader), count(DISTINCT e.reader)" EV
    "GROUP BY e.source "
    "UNION ALL SELECT 'org', CASE WHEN u.org_kind <> '' THEN u.org_kind WHEN u.affiliation = '' "
    "THEN 'independent' ELSE 'unstated' END, count(DISTINCT e.user_id), count(DISTINCT e.user_id)"
    EVU "GROUP BY 2 "
    "UNION ALL SELECT 'saves', '', count(*), count(*)" ON_ITEM("saves")
    "UNION ALL SELECT 'votes', CASE WHEN value = 1 THEN 'up' WHEN reason = '' THEN 'down' ELSE "
    "reason END, count(*), count(*)" ON_ITEM("votes") "GROUP BY 2 "
    "UNION ALL SELECT 'comments', '', count(*), count(DISTINCT user_id)" ON_ITEM("comments")
    "AND deleted = 0 "
    "UNION ALL SELECT 'reshares', '', count(*), count(DISTINCT user_id)" ON_ITEM("reshares")
    "UNION ALL SELECT 'read_through', '', count(DISTINCT e.user_id), count(DISTINCT e.user_id)" EV
    "AND e.kind = 'open' AND ?2 = 0 AND (EXISTS (SELECT 1 FROM votes v WHERE v.item_id = ?1 AND "
    "v.user_id = e.user_id AND v.created_at >= e.at) OR EXISTS (SELECT 1 FROM comments c WHERE "
    "c.item_id = ?1 AND c.user_id = e.user_id AND c.created_at >= e.at AND c.deleted = 0))";
#undef EV
#undef EVU
#undef ON_ITEM

int store_stats_cells(struct store *s, struct arena *a, int64_t item_id, int64_t entry_id,
                      int64_t from, int64_t to, double trusted, struct store_stat_cell **out,
                      size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, stats_sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, entry_id);
    stmt_bind_i64(st, 3, from);
    stmt_bind_i64(st, 4, to);
    stmt_bind_double(st, 5, trusted);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_stat_cell){stmt_col_text(a, st, 0), stmt_col_text(a, st, 1),
                                                  stmt_col_i64(st, 2), stmt_col_i64(st, 3)};
    }
    stmt_done(st);
    return src;
}

static int collect_targets(struct store *s, struct arena *a, struct stmt *st,
                           struct store_stat_target **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_stat_target){stmt_col_i64(st, 0), stmt_col_text(a, st, 1),
                                                    stmt_col_i64(st, 2)};
    }
    stmt_done(st);
    return src;
}

int store_stats_own_items(struct store *s, struct arena *a, int64_t user_id, int limit,
                          struct store_stat_target **out, size_t *n)
{
    static const char sql[] = "SELECT id, title, created_at FROM items WHERE user_id = ?1 "
                              "ORDER BY created_at DESC, id DESC LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, limit);
    return collect_targets(s, a, st, out, n);
}

int store_stats_blog_entries(struct store *s, struct arena *a, int64_t blog_item_id, int limit,
                             struct store_stat_target **out, size_t *n)
{
    static const char sql[] =
        "SELECT en.id, en.title, en.published_at FROM entries en "
        "JOIN feeds f ON f.id = en.feed_id WHERE f.item_id = ?1 AND EXISTS "
        "(SELECT 1 FROM reader_events e WHERE e.entry_id = en.id) "
        "ORDER BY (SELECT count(DISTINCT e.reader) FROM reader_events e WHERE e.entry_id = en.id) "
        "DESC, en.id DESC LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, blog_item_id);
    stmt_bind_i64(st, 2, limit);
    return collect_targets(s, a, st, out, n);
}

int store_entry_target(struct store *s, struct arena *a, int64_t entry_id, int64_t *blog_item_id,
                       const char **url)
{
    static const char sql[] = "SELECT f.item_id, en.url FROM entries en JOIN feeds f ON "
                              "f.id = en.feed_id WHERE en.id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, entry_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *blog_item_id = stmt_col_i64(st, 0);
        *url = stmt_col_text(a, st, 1);
    }
    stmt_done(st);
    return rc;
}

int store_blog_owner_add(struct store *s, int64_t user_id, int64_t item_id, int64_t now)
{
    static const char sql[] = "INSERT INTO blog_owners (user_id, item_id, verified_at) "
                              "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    stmt_bind_i64(st, 3, now);
    return stmt_exec(s, st);
}

int store_blog_owner_is(struct store *s, int64_t user_id, int64_t item_id, bool *yes)
{
    static const char sql[] = "SELECT 1 FROM blog_owners WHERE user_id = ?1 AND item_id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *yes = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_verify_token(struct store *s, struct arena *a, int64_t user_id, const char *fresh,
                       const char **token)
{
    static const char set[] =
        "UPDATE users SET verify_token = ?2 WHERE id = ?1 AND verify_token = ''";
    static const char get[] = "SELECT verify_token FROM users WHERE id = ?1";
    struct stmt *st = stmt_get(s, set);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, fresh);
    int rc = stmt_exec(s, st);
    if (rc != 0) {
        return rc;
    }
    if ((st = stmt_get(s, get)) == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    rc = stmt_step_one(s, st);
    if (rc == 0) {
        *token = stmt_col_text(a, st, 0);
    }
    stmt_done(st);
    return rc;
}

int store_save_is(struct store *s, int64_t user_id, int64_t item_id, bool *yes)
{
    static const char sql[] = "SELECT 1 FROM saves WHERE user_id = ?1 AND item_id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *yes = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}
