/* The home timeline: what the people and blogs a member follows did, newest first, in pages,
 * and the visits that tell the member where the new part ends; reshares. */
#include "../core/err.h"
#include "store_int.h"

/* k orders the kinds within one second (the cursor's tie-break): 3 item, 2 reshare, 1 comment,
 * 0 a followed blog's entry. An entry counts from when Guild first saw it if its feed dates it
 * later (a feed's clock is not ours). */
static const char timeline_sql[] =
    "SELECT k, id, t_at, item_id, actor, title, url, body, ikind FROM ("
    "SELECT 3 AS k, i.id AS id, i.created_at AS t_at, i.id AS item_id, u.handle AS actor, "
    " i.title AS title, i.url AS url, i.body AS body, i.kind AS ikind "
    " FROM follows f JOIN items i ON i.user_id = f.followee_id JOIN users u ON u.id = i.user_id "
    " WHERE f.follower_id = ?1 AND i.status = 'ok' AND i.created_at >= ?2 "
    "UNION ALL SELECT 2, r.id, r.created_at, r.item_id, u.handle, i.title, i.url, r.commentary, "
    " i.kind FROM follows f JOIN reshares r ON r.user_id = f.followee_id "
    " JOIN items i ON i.id = r.item_id JOIN users u ON u.id = r.user_id "
    " WHERE f.follower_id = ?1 AND i.status = 'ok' AND r.created_at >= ?2 "
    "UNION ALL SELECT 1, c.id, c.created_at, c.item_id, u.handle, i.title, i.url, c.body, i.kind "
    " FROM follows f JOIN comments c ON c.user_id = f.followee_id "
    " JOIN items i ON i.id = c.item_id JOIN users u ON u.id = c.user_id "
    " WHERE f.follower_id = ?1 AND c.deleted = 0 AND c.status = 'ok' AND i.status = 'ok' "
    " AND c.created_at >= ?2 "
    "UNION ALL SELECT 0, e.id, CASE WHEN e.published_at < e.fetched_at THEN e.published_at "
    " ELSE e.fetched_at END, b.item_id, bi.title, e.title, e.url, substr(e.text, 1, 400), 'blog' "
    " FROM blog_follows b JOIN feeds fd ON fd.item_id = b.item_id "
    " JOIN entries e ON e.feed_id = fd.id JOIN items bi ON bi.id = b.item_id "
    " WHERE b.follower_id = ?1 AND bi.status = 'ok' AND e.fetched_at >= ?2 "
    " AND e.published_at >= ?2"
    ") t WHERE ?3 = 0 OR t_at < ?3 OR (t_at = ?3 AND (k < ?4 OR (k = ?4 AND id < ?5))) "
    "ORDER BY t_at DESC, k DESC, id DESC LIMIT ?6";

static const char *const kind_names[] = {"entry", "comment", "reshare", "item"};

int store_timeline(struct store *s, struct arena *a, int64_t user_id, int64_t since,
                   const struct store_timeline_cursor *cur, int limit,
                   struct store_timeline_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get(s, timeline_sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, since);
    stmt_bind_i64(st, 3, cur != NULL ? cur->at : 0);
    stmt_bind_i64(st, 4, cur != NULL ? cur->kind : 0);
    stmt_bind_i64(st, 5, cur != NULL ? cur->id : 0);
    stmt_bind_i64(st, 6, limit);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        int k = stmt_col_int(st, 0);
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_timeline_entry){
            .kind = kind_names[k >= 0 && k <= 3 ? k : 0],
            .id = stmt_col_i64(st, 1),
            .at = stmt_col_i64(st, 2),
            .item_id = stmt_col_i64(st, 3),
            .actor = stmt_col_text(a, st, 4),
            .title = stmt_col_text(a, st, 5),
            .url = stmt_col_text(a, st, 6),
            .text = stmt_col_text(a, st, 7),
            .item_kind = stmt_col_text(a, st, 8),
            .order = k >= 0 && k <= 3 ? k : 0,
        };
    }
    stmt_done(st);
    return src;
}

#define HOME_VISIT_GAP (30 * 60)

int store_home_visit(struct store *s, int64_t user_id, int64_t now, int64_t *previous)
{
    static const char get[] = "SELECT seen_at, prev_at FROM home_visits WHERE user_id = ?1";
    static const char put[] =
        "INSERT INTO home_visits (user_id, seen_at, prev_at) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at, prev_at = excluded.prev_at";
    struct stmt *st = stmt_get(s, get);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    int rc = stmt_step_one(s, st);
    int64_t seen = rc == 0 ? stmt_col_i64(st, 0) : 0, prev = rc == 0 ? stmt_col_i64(st, 1) : 0;
    stmt_done(st);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    if (seen > 0 && now - seen > HOME_VISIT_GAP) {
        prev = seen; /* a new visit: the last one ended where the member last looked */
    }
    *previous = prev;
    st = stmt_get(s, put);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, now);
    stmt_bind_i64(st, 3, prev);
    return stmt_exec(s, st);
}

int store_reshare_create(struct store *s, int64_t user_id, int64_t item_id,
                         const char *commentary, int64_t now, int64_t *id)
{
    static const char sql[] = "INSERT INTO reshares (user_id, item_id, commentary, created_at) "
                              "SELECT ?1, id, ?3, ?4 FROM items WHERE id = ?2 AND status = 'ok' "
                              "RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    stmt_bind_text(st, 3, commentary);
    stmt_bind_i64(st, 4, now);
    int rc = stmt_exec(s, st);
    if (rc == 0 && store_changes(s) == 0) {
        rc = ERR_NOTFOUND;
    }
    *id = rc == 0 ? store_last_id(s) : 0;
    return rc;
}
