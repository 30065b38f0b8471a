/* Links and blogs, opens and votes. */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "store_int.h"

/* The columns item_read expects; lists leave out the ranker's explanation (about 1 KB an
 * item, shown only on /why and the item API). */
#define ITEM_COLS_WITH(explain)                                                                \
    "i.id, i.kind, i.url, i.canon_url, i.domain, i.title, i.body, i.feed_url, i.tags, "        \
    "i.user_id, u.handle, i.own_org, i.created_at, i.ups, i.downs, i.ncomments, i.score, "     \
    "i.hot, " explain ", i.ranked_at, coalesce(v.value, 0), o.user_id IS NOT NULL, "          \
    "i.status, i.queue_reason, i.locked, i.authored, coalesce(i.merged_into, 0), "              \
    "coalesce(i.group_id, 0), i.idea_status, i.accepted_answer, i.competition_id, "            \
    "coalesce(g.slug, ''), CASE WHEN i.kind = 'question' THEN (SELECT count(*) FROM answers an "  \
    "WHERE an.item_id = i.id) ELSE 0 END "
#define ITEM_COLS ITEM_COLS_WITH("i.explain")
#define ITEM_LIST_COLS ITEM_COLS_WITH("''")
#define ITEM_FROM                                                                              \
    " FROM items i JOIN users u ON u.id = i.user_id "                                          \
    "LEFT JOIN votes v ON v.item_id = i.id AND v.user_id = ?1 "                                \
    "LEFT JOIN opens o ON o.item_id = i.id AND o.user_id = ?1 "                                \
    "LEFT JOIN groups g ON g.id = i.group_id "

static void item_read(struct arena *a, struct stmt *st, struct store_item *it)
{
    it->id = stmt_col_i64(st, 0);
    it->kind = stmt_col_text(a, st, 1);
    it->url = stmt_col_text(a, st, 2);
    it->canon_url = stmt_col_text(a, st, 3);
    it->domain = stmt_col_text(a, st, 4);
    it->title = stmt_col_text(a, st, 5);
    it->body = stmt_col_text(a, st, 6);
    it->feed_url = stmt_col_text(a, st, 7);
    it->tags = stmt_col_text(a, st, 8);
    it->user_id = stmt_col_i64(st, 9);
    it->user_handle = stmt_col_text(a, st, 10);
    it->own_org = stmt_col_int(st, 11) != 0;
    it->created_at = stmt_col_i64(st, 12);
    it->ups = stmt_col_int(st, 13);
    it->downs = stmt_col_int(st, 14);
    it->ncomments = stmt_col_int(st, 15);
    it->score = stmt_col_double(st, 16);
    it->hot = stmt_col_double(st, 17);
    it->explain = stmt_col_text(a, st, 18);
    it->ranked_at = stmt_col_i64(st, 19);
    it->my_vote = stmt_col_int(st, 20);
    it->my_opened = stmt_col_int(st, 21) != 0;
    it->status = stmt_col_text(a, st, 22);
    it->queue_reason = stmt_col_text(a, st, 23);
    it->locked = stmt_col_int(st, 24) != 0;
    it->authored = stmt_col_int(st, 25) != 0;
    it->merged_into = stmt_col_i64(st, 26);
    it->group_id = stmt_col_i64(st, 27);
    it->idea_status = stmt_col_text(a, st, 28);
    it->accepted_answer = stmt_col_i64(st, 29);
    it->competition_id = stmt_col_i64(st, 30);
    it->group_slug = stmt_col_text(a, st, 31);
    it->nanswers = stmt_col_int(st, 32);
}

static int item_find_canon(struct store *s, const char *kind, const char *canon, int64_t *id)
{
    static const char sql[] = "SELECT id FROM items WHERE kind = ? AND canon_url = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, kind);
    stmt_bind_text(st, 2, canon);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *id = stmt_col_i64(st, 0);
    }
    stmt_done(st);
    return rc;
}

int store_item_create(struct store *s, const struct store_item *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO items (kind, url, canon_url, domain, title, body, feed_url, tags, user_id, "
        "own_org, created_at, authored, status, queue_reason, topic_doubt, group_id, idea_status, "
        "competition_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id";
    int64_t existing = 0;
    int rc = item_find_canon(s, in->kind, in->canon_url, &existing);
    if (rc == 0) {
        *id = existing;
        return ERR_EXISTS;
    }
    if (rc != ERR_NOTFOUND) {
        return rc;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, in->kind);
    stmt_bind_text(st, 2, in->url);
    stmt_bind_text(st, 3, in->canon_url);
    stmt_bind_text(st, 4, in->domain);
    stmt_bind_text(st, 5, in->title);
    stmt_bind_text(st, 6, in->body);
    stmt_bind_text(st, 7, in->feed_url);
    stmt_bind_text(st, 8, in->tags);
    stmt_bind_i64(st, 9, in->user_id);
    stmt_bind_i64(st, 10, in->own_org ? 1 : 0);
    stmt_bind_i64(st, 11, in->created_at ? in->created_at : now_unix());
    stmt_bind_i64(st, 12, in->authored ? 1 : 0);
    stmt_bind_text(st, 13, in->status ? in->status : "ok");
    stmt_bind_text(st, 14, in->queue_reason ? in->queue_reason : "");
    if (in->topic_doubt > 0) {
        stmt_bind_i64(st, 15, (int64_t)(in->topic_doubt * 100.0 + 0.5));
    } else {
        stmt_bind_null(st, 15);
    }
    if (in->group_id > 0) {
        stmt_bind_i64(st, 16, in->group_id);
    } else {
        stmt_bind_null(st, 16);
    }
    stmt_bind_text(st, 17, in->idea_status ? in->idea_status : "");
    stmt_bind_i64(st, 18, in->competition_id);
    rc = stmt_exec(s, st);
    if (rc == 0) {
        *id = store_last_id(s);
    } else if (rc == ERR_EXISTS && item_find_canon(s, in->kind, in->canon_url, &existing) == 0) {
        *id = existing; /* lost a race with an identical submission */
    }
    return rc;
}

int store_item_get(struct store *s, struct arena *a, int64_t id, int64_t viewer,
                   struct store_item *out)
{
    static const char sql[] = "SELECT " ITEM_COLS ITEM_FROM "WHERE i.id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        item_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

/* Lays one result row (item_id, value) of the overlay queries onto the page's rows. */
static void overlay_row(struct stmt *st, int q, struct store_item *items, size_t n)
{
    int64_t id = stmt_col_i64(st, 0);
    for (size_t i = 0; i < n; i++) {
        if (items[i].id == id) {
            if (q == 0) {
                items[i].my_vote = stmt_col_int(st, 1);
            } else {
                items[i].my_opened = true;
            }
        }
    }
}

/* The viewer's vote and open on each of the rows, so shared rows can serve every member.
 * First one range read of the viewer's own votes (and opens) between the page's lowest and
 * highest id: a single seek for most members (the front page spends a third of its time here
 * with a lookup per row). A member with more than 64 there gets the lookups instead: reading
 * on through hundreds of their votes cost more than the 30 lookups it saved. */
#define OVERLAY_RANGE_MAX 64

/* The page's ids for the lookups below: a JSON array for SQLite's json_each, an array
 * literal on PostgreSQL (= ANY of a bigint[] is an index lookup per id; the same through
 * jsonb_array_elements_text was planned as a scan of the member's opens: 0.57 ms against
 * 0.035 ms for a member with 2,000 votes, and the logged-in front page ran at a third). */
static void overlay_ids(struct buf *ids, const struct store_item *items, size_t n, bool pg)
{
    for (size_t i = 0; i < n; i++) {
        buf_appendc(ids, i ? ',' : pg ? '{' : '[');
        buf_append_i64(ids, items[i].id);
    }
    buf_appendz(ids, n == 0 ? (pg ? "{}" : "[]") : (pg ? "}" : "]"));
}

#define IDS_PG "= ANY(CAST(?2 AS bigint[]))"
#define IDS_SQLITE "IN (SELECT value FROM json_each(?2))"
#define OVERLAY_VOTES(ids)                                                                     \
    "SELECT item_id, value, 0 FROM votes WHERE user_id = ?1 AND item_id " ids
#define OVERLAY_OPENS(ids)                                                                     \
    "SELECT item_id, 1, 1 FROM opens WHERE user_id = ?1 AND item_id " ids

/* The viewer's votes (q 0), opens (q 1) or both (q 2) on the page's rows, looked up row by
 * row: column 2 says which a row is. */
static int overlay_lookup(struct store *s, int64_t viewer, int q, struct store_item *items,
                          size_t n)
{
    static const char *const lite[3] = {
        OVERLAY_VOTES(IDS_SQLITE), OVERLAY_OPENS(IDS_SQLITE),
        OVERLAY_VOTES(IDS_SQLITE) " UNION ALL " OVERLAY_OPENS(IDS_SQLITE)};
    static const char *const pg[3] = {
        OVERLAY_VOTES(IDS_PG), OVERLAY_OPENS(IDS_PG),
        OVERLAY_VOTES(IDS_PG) " UNION ALL " OVERLAY_OPENS(IDS_PG)};
    struct buf ids;
    buf_init(&ids, 0);
    overlay_ids(&ids, items, n, store_on_pg(s));
    struct stmt *st = stmt_get_for(s, lite[q], pg[q]);
    int src = ERR_DB;
    if (st != NULL) {
        stmt_bind_i64(st, 1, viewer);
        stmt_bind_text(st, 2, buf_cstr(&ids));
        while ((src = stmt_next(s, st)) == 1) {
            overlay_row(st, stmt_col_int(st, 2) != 0, items, n);
        }
        stmt_done(st);
    }
    buf_fini(&ids);
    return src;
}

int store_item_overlay(struct store *s, int64_t viewer, struct store_item *items, size_t n)
{
    /* both in one statement: a round trip fewer, which is most of its cost on PostgreSQL */
    static const char range[] =
        "SELECT * FROM (SELECT item_id, value, 0 FROM votes WHERE user_id = ?1 AND "
        "item_id BETWEEN ?2 AND ?3 LIMIT ?4) AS v UNION ALL "
        "SELECT * FROM (SELECT item_id, 1, 1 FROM opens WHERE user_id = ?1 AND "
        "item_id BETWEEN ?2 AND ?3 LIMIT ?4) AS o";
    if (n == 0 || viewer == 0) {
        return 0;
    }
    if (store_on_pg(s)) {
        /* the lookups at once: on PostgreSQL the round trip, not the index reads, is the
         * cost, and the range read sent active members (a hot page's ids spread over the
         * whole table) on to the lookups: two round trips. None while nothing was written. */
        uint64_t seq = store_write_seq(); /* before the read: a write during it is not missed */
        if (store_overlaycache_get(viewer, items, n)) {
            return 0;
        }
        int rc = overlay_lookup(s, viewer, 2, items, n);
        if (rc == 0) {
            store_overlaycache_put(viewer, seq, items, n);
        }
        return rc;
    }
    int64_t lo = items[0].id, hi = items[0].id;
    for (size_t i = 1; i < n; i++) {
        lo = items[i].id < lo ? items[i].id : lo;
        hi = items[i].id > hi ? items[i].id : hi;
    }
    struct stmt *st = stmt_get(s, range);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, lo);
    stmt_bind_i64(st, 3, hi);
    stmt_bind_i64(st, 4, OVERLAY_RANGE_MAX + 1); /* one more than taken: "there are more" */
    int src, rows[2] = {0, 0};
    while ((src = stmt_next(s, st)) == 1) {
        int q = stmt_col_int(st, 2) != 0;
        rows[q]++;
        overlay_row(st, q, items, n);
    }
    stmt_done(st);
    int rc = src;
    for (int q = 0; q < 2 && rc == 0; q++) {
        if (rows[q] > OVERLAY_RANGE_MAX) { /* too many in range: one lookup per row */
            rc = overlay_lookup(s, viewer, q, items, n);
        }
    }
    return rc;
}
#undef OVERLAY_OPENS
#undef OVERLAY_VOTES
#undef IDS_PG
#undef IDS_SQLITE

static int item_collect(struct store *s, struct arena *a, struct stmt *st,
                        struct store_item **items, size_t *n)
{
    struct store_item *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        item_read(a, st, &list[k++]);
    }
    int rc = src;
    stmt_done(st);
    *items = list;
    *n = k;
    return rc;
}

int store_item_list_rows(struct store *s, struct arena *a, const char *kind, enum store_sort sort,
                         int limit, int offset, int64_t viewer, struct store_item **items,
                         size_t *n)
{
    /* One literal per order and kind filter, each matching one of the list indexes of
     * migration 004 (a "?2 IS NULL OR kind = ?2" filter would make SQLite scan every item). */
#define LIST_SQL(filter, order)                                                                \
    "SELECT " ITEM_LIST_COLS ITEM_FROM "WHERE " filter "i.status = 'ok' AND i.group_id IS NULL " \
    "ORDER BY " order                                                                          \
    " DESC, i.id DESC LIMIT ?3 OFFSET ?4"
    static const char *const sql[2][3] = {
        {LIST_SQL("", "i.hot"), LIST_SQL("", "i.created_at"), LIST_SQL("", "i.score")},
        {LIST_SQL("i.kind = ?2 AND ", "i.hot"), LIST_SQL("i.kind = ?2 AND ", "i.created_at"),
         LIST_SQL("i.kind = ?2 AND ", "i.score")}};
#undef LIST_SQL
    int order = sort == STORE_SORT_NEW ? 1 : sort == STORE_SORT_TOP ? 2 : 0;
    struct stmt *st = stmt_get(s, sql[kind != NULL][order]);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    if (kind != NULL) {
        stmt_bind_text(st, 2, kind);
    }
    stmt_bind_i64(st, 3, limit);
    stmt_bind_i64(st, 4, offset);
    return item_collect(s, a, st, items, n);
}

int store_item_list_by_user(struct store *s, struct arena *a, int64_t user_id, int64_t viewer,
                            int limit, struct store_item **items, size_t *n)
{
    static const char sql[] = "SELECT " ITEM_LIST_COLS ITEM_FROM
                              "WHERE i.user_id = ?2 AND i.status = 'ok' AND i.group_id IS NULL "
                              "ORDER BY i.created_at DESC, i.id DESC "
                              "LIMIT ?3";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_i64(st, 3, limit);
    return item_collect(s, a, st, items, n);
}

int store_item_list_saved(struct store *s, struct arena *a, int64_t user_id, int limit,
                          int offset, struct store_item **items, size_t *n)
{
    static const char sql[] = "SELECT " ITEM_LIST_COLS ITEM_FROM
                              "JOIN saves sv ON sv.item_id = i.id AND sv.user_id = ?1 "
                              "WHERE i.status = 'ok' ORDER BY sv.created_at DESC, i.id DESC "
                              "LIMIT ?2 OFFSET ?3";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, limit);
    stmt_bind_i64(st, 3, offset);
    return item_collect(s, a, st, items, n);
}

int store_group_items(struct store *s, struct arena *a, const struct store_group_query *q,
                      int64_t viewer, struct store_item **out, size_t *n)
{
#define GROUP_SQL(order)                                                                       \
    "SELECT " ITEM_LIST_COLS ITEM_FROM "WHERE i.group_id = ?2 AND (?3 = '' OR i.kind = ?3) "   \
    "AND (?4 = '' OR i.idea_status = ?4) AND (?4 <> '' OR ?7 = 1 OR i.idea_status <> 'submitted') " \
    "AND (?5 = 0 OR i.competition_id = CASE WHEN ?5 < 0 THEN 0 ELSE ?5 END) "                 \
    "AND i.status = 'ok' AND (i.idea_status <> 'merged' OR ?4 = 'merged') "                   \
    "ORDER BY " order ", i.id DESC LIMIT ?6"
    static const char *const sql[2] = {GROUP_SQL("i.score DESC"), GROUP_SQL("i.created_at DESC")};
#undef GROUP_SQL
    struct stmt *st = stmt_get(s, sql[q->sort == STORE_SORT_NEW]);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, viewer);
    stmt_bind_i64(st, 2, q->group_id);
    stmt_bind_text(st, 3, q->kind ? q->kind : "");
    stmt_bind_text(st, 4, q->idea_status ? q->idea_status : "");
    stmt_bind_i64(st, 5, q->competition_id);
    stmt_bind_i64(st, 6, q->limit);
    stmt_bind_i64(st, 7, q->with_submitted ? 1 : 0);
    return item_collect(s, a, st, out, n);
}

int store_item_count(struct store *s, const char *kind, int64_t *n)
{
    static const char sql[] =
        "SELECT count(*) FROM items WHERE (?1 = '' OR kind = ?1) AND status = 'ok' "
        "AND group_id IS NULL";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, kind != NULL ? kind : ""); /* "": every kind */
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *n = stmt_col_i64(st, 0);
    }
    stmt_done(st);
    return rc;
}

int store_open_record(struct store *s, int64_t user_id, int64_t item_id, bool inside,
                      bool *recorded)
{
    /* an open is a fact, recorded once: the first decides how the member arrived. On
     * PostgreSQL it also locks the item's row, as a vote's counters do, so that the re-rank
     * that follows in the same transaction reads the item's votes and opens after any other
     * transaction re-ranking it has committed (otherwise the later score could leave out the
     * earlier vote; on SQLite writers take turns anyway) */
    static const char sql[] =
        "INSERT INTO opens (user_id, item_id, first_at, inside) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (user_id, item_id) DO NOTHING";
    static const char pg[] =
        "WITH item AS (SELECT id FROM items WHERE id = ?2 FOR NO KEY UPDATE) "
        "INSERT INTO opens (user_id, item_id, first_at, inside) SELECT ?1, id, ?3, ?4 FROM item "
        "ON CONFLICT (user_id, item_id) DO NOTHING";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, item_id);
    stmt_bind_i64(st, 3, now_unix());
    stmt_bind_i64(st, 4, inside ? 1 : 0);
    int rc = stmt_exec(s, st);
    if (recorded != NULL) {
        *recorded = rc == 0 && store_changes(s) > 0;
    }
    return rc;
}

/* Shared by item and comment votes: value 0 runs del, otherwise up (an upsert). */
static int vote_apply(struct store *s, const char *up, const char *del, int64_t user_id,
                      int64_t target, int value, const char *reason)
{
    struct stmt *st = stmt_get(s, value == 0 ? del : up);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, target);
    if (value != 0) {
        stmt_bind_i64(st, 3, value);
        stmt_bind_text(st, 4, value < 0 ? reason : "");
        stmt_bind_i64(st, 5, now_unix());
    }
    return stmt_exec(s, st);
}

int store_vote_set(struct store *s, int64_t user_id, int64_t item_id, int value,
                   const char *reason)
{
    static const char up[] =
        "INSERT INTO votes (user_id, item_id, value, reason, created_at, opened, outside) "
        "VALUES (?1,?2,?3,?4,?5, "
        "CAST(EXISTS (SELECT 1 FROM opens WHERE user_id = ?1 AND item_id = ?2) AS INTEGER), "
        "CAST(EXISTS (SELECT 1 FROM opens WHERE user_id = ?1 AND item_id = ?2 AND inside = 0) "
        "AS INTEGER)) "
        "ON CONFLICT (user_id, item_id) DO UPDATE SET value = excluded.value, "
        "reason = excluded.reason, created_at = excluded.created_at, opened = excluded.opened, "
        "outside = excluded.outside";
    static const char del[] = "DELETE FROM votes WHERE user_id = ?1 AND item_id = ?2";
    return vote_apply(s, up, del, user_id, item_id, value, reason);
}

int store_comment_vote_set(struct store *s, int64_t user_id, int64_t comment_id, int value,
                           const char *reason)
{
    static const char up[] =
        "INSERT INTO comment_votes (user_id, comment_id, value, reason, created_at) "
        "VALUES (?1,?2,?3,?4,?5) ON CONFLICT (user_id, comment_id) DO UPDATE SET "
        "value = excluded.value, reason = excluded.reason, created_at = excluded.created_at";
    static const char del[] = "DELETE FROM comment_votes WHERE user_id = ?1 AND comment_id = ?2";
    return vote_apply(s, up, del, user_id, comment_id, value, reason);
}
