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
    s->quiet = true; /* a member's own list: on no cached page */
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

/* ?1 item, ?2 entry, [?3, ?4) the window, ?5 the width of a bucket in seconds, ?6 the trust
 * of a trusted reader. Events of an item have entry_id 0 and of an entry item_id 0, so one
 * filter serves both; saves, votes and comments exist for items only (?2 = 0). Each figure
 * comes per bucket ((time - ?3) / ?5) with its count, its distinct readers and its distinct
 * members. */
#define EV " FROM reader_events e WHERE e.item_id = ?1 AND e.entry_id = ?2 AND e.at >= ?3 AND e.at < ?4 "
#define EVU                                                                                    \
    " FROM reader_events e JOIN users u ON u.id = e.user_id WHERE e.item_id = ?1 AND "        \
    "e.entry_id = ?2 AND e.at >= ?3 AND e.at < ?4 "
#define ON_ITEM(table)                                                                         \
    " FROM " table " WHERE item_id = ?1 AND ?2 = 0 AND created_at >= ?3 AND created_at < ?4 "
#define EB "(e.at - ?3) / ?5, "
#define CB "(created_at - ?3) / ?5, "
#define MEMBERS3 "count(DISTINCT e.user_id), count(DISTINCT e.user_id), count(DISTINCT e.user_id)"
static const char stats_sql[] =
    "SELECT 'opens', '', " EB "count(*), count(DISTINCT e.reader), count(DISTINCT e.user_id)" EV
    "AND e.kind = 'open' GROUP BY 3 "
    "UNION ALL SELECT 'readers', '', " EB "count(DISTINCT e.reader), count(DISTINCT e.reader), "
    "count(DISTINCT e.user_id)" EV "GROUP BY 3 "
    "UNION ALL SELECT 'trusted', '', " EB MEMBERS3 EVU "AND u.trust >= ?6 GROUP BY 3 "
    "UNION ALL SELECT 'source', e.source, " EB "count(DISTINCT e.reader), count(DISTINCT e.reader), "
    "count(DISTINCT e.user_id)" EV "GROUP BY 2, 3 "
    "UNION ALL SELECT 'org', CASE WHEN u.org_kind <> '' THEN u.org_kind WHEN "
    "lower(u.affiliation) IN ('', 'independent') THEN 'independent' ELSE 'unstated' END, " EB MEMBERS3 EVU "GROUP BY 2, 3 "
    "UNION ALL SELECT 'saves', '', " CB "count(*), count(*), count(*)" ON_ITEM("saves") "GROUP BY 3 "
    "UNION ALL SELECT 'votes', CASE WHEN value = 1 THEN 'up' WHEN reason = '' THEN 'down' ELSE "
    "reason END, " CB "count(*), count(*), count(*)" ON_ITEM("votes") "GROUP BY 2, 3 "
    "UNION ALL SELECT 'comments', '', " CB "count(*), count(DISTINCT user_id), "
    "count(DISTINCT user_id)" ON_ITEM("comments") "AND deleted = 0 GROUP BY 3 "
    "UNION ALL SELECT 'reshares', '', " CB "count(*), count(DISTINCT user_id), "
    "count(DISTINCT user_id)" ON_ITEM("reshares") "GROUP BY 3 "
    "UNION ALL SELECT 'read_through', '', " EB MEMBERS3 EV "AND e.kind = 'open' AND ?2 = 0 AND "
    "(EXISTS (SELECT 1 FROM votes v WHERE v.item_id = ?1 AND v.user_id = e.user_id AND "
    "v.created_at >= e.at) OR EXISTS (SELECT 1 FROM comments c WHERE c.item_id = ?1 AND "
    "c.user_id = e.user_id AND c.created_at >= e.at AND c.deleted = 0)) GROUP BY 3";
#undef EV
#undef EVU
#undef ON_ITEM
#undef EB
#undef CB
#undef MEMBERS3

int store_stats_cells(struct store *s, struct arena *a, const struct store_stats_query *q,
                      struct store_stat_cell **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, stats_sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, q->item_id);
    stmt_bind_i64(st, 2, q->entry_id);
    stmt_bind_i64(st, 3, q->from);
    stmt_bind_i64(st, 4, q->to);
    stmt_bind_i64(st, 5, q->bucket);
    stmt_bind_double(st, 6, q->trusted);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_stat_cell){
            stmt_col_text(a, st, 0), stmt_col_text(a, st, 1), stmt_col_i64(st, 2),
            stmt_col_i64(st, 3),     stmt_col_i64(st, 4),     stmt_col_i64(st, 5)};
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

int store_stats_blog_entries(struct store *s, struct arena *a, int64_t blog_item_id, int min_readers,
                             int limit, struct store_stat_target **out, size_t *n)
{
    /* only posts enough readers opened, the newest first: which posts had one to four
     * readers, and their order by readers, are not told */
    static const char sql[] =
        "SELECT en.id, en.title, en.published_at FROM entries en "
        "JOIN feeds f ON f.id = en.feed_id WHERE f.item_id = ?1 AND "
        "(SELECT count(DISTINCT e.reader) FROM reader_events e WHERE e.item_id = 0 AND "
        "e.entry_id = en.id) >= ?3 "
        "ORDER BY en.published_at DESC, en.id DESC LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, blog_item_id);
    stmt_bind_i64(st, 2, limit);
    stmt_bind_i64(st, 3, min_readers);
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
