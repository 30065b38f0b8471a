/* Feeds of directory blogs, and their entries (the fetcher's writes, the river's reads). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define FEED_COLS                                                                              \
    "f.id, f.item_id, i.user_id, f.url, f.status, f.last_error, f.etag, f.last_modified, "     \
    "f.title, f.moved_from, i.title, i.url, f.discover, f.errors, f.http_status, "             \
    "f.next_check_at, f.last_checked_at, f.last_ok_at, f.entries "

static void feed_read(struct arena *a, struct stmt *st, struct store_feed *f)
{
    f->id = stmt_col_i64(st, 0);
    f->item_id = stmt_col_i64(st, 1);
    f->nominator_id = stmt_col_i64(st, 2);
    f->url = stmt_col_text(a, st, 3);
    f->status = stmt_col_text(a, st, 4);
    f->last_error = stmt_col_text(a, st, 5);
    f->etag = stmt_col_text(a, st, 6);
    f->last_modified = stmt_col_text(a, st, 7);
    f->title = stmt_col_text(a, st, 8);
    f->moved_from = stmt_col_text(a, st, 9);
    f->blog_title = stmt_col_text(a, st, 10);
    f->blog_url = stmt_col_text(a, st, 11);
    f->discover = stmt_col_int(st, 12) != 0;
    f->errors = stmt_col_int(st, 13);
    f->http_status = stmt_col_int(st, 14);
    f->next_check_at = stmt_col_i64(st, 15);
    f->last_checked_at = stmt_col_i64(st, 16);
    f->last_ok_at = stmt_col_i64(st, 17);
    f->entries = stmt_col_i64(st, 18);
}

/* Runs a feed query with up to two integer parameters into a list. */
static int feed_list(struct store *s, struct arena *a, const char *sql, int nparams, int64_t p1,
                     int64_t p2, struct store_feed **out, size_t *n)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    if (nparams > 0) {
        stmt_bind_i64(st, 1, p1);
    }
    if (nparams > 1) {
        stmt_bind_i64(st, 2, p2);
    }
    struct store_feed *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        feed_read(a, st, &list[k++]);
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_feeds_sync(struct store *s)
{
    /* a new blog: its feed URL, or its own page to discover the feed from */
    static const char add[] =
        "INSERT INTO feeds (item_id, url, discover) SELECT id, "
        "CASE WHEN feed_url != '' THEN feed_url ELSE url END, "
        "CASE WHEN feed_url = '' THEN 1 ELSE 0 END FROM items "
        "WHERE kind = 'blog' AND status = 'ok' ON CONFLICT DO NOTHING";
    /* a nominator or moderator changed the feed URL: start over with it */
    static const char follow[] =
        "UPDATE feeds SET url = (SELECT feed_url FROM items WHERE id = feeds.item_id), "
        "discover = 0, status = 'new', errors = 0, etag = '', last_modified = '', "
        "next_check_at = 0 WHERE (SELECT feed_url FROM items WHERE id = feeds.item_id) "
        "NOT IN ('', feeds.url, feeds.moved_from)";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    const char *sqls[] = {add, follow};
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        struct stmt *st = stmt_get(s, sqls[i]);
        rc = st ? stmt_exec(s, st) : ERR_DB;
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

int store_feeds_due(struct store *s, struct arena *a, int64_t now, int limit,
                    struct store_feed **out, size_t *n)
{
    static const char sql[] = "SELECT " FEED_COLS "FROM feeds f JOIN items i ON i.id = f.item_id "
                              "WHERE f.status != 'gone' AND f.next_check_at <= ? AND "
                              "i.status = 'ok' ORDER BY f.next_check_at, f.id LIMIT ?";
    return feed_list(s, a, sql, 2, now, limit, out, n);
}

static int feed_one(struct store *s, struct arena *a, const char *sql, int64_t key,
                    struct store_feed *out)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, key);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        feed_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_feed_of_item(struct store *s, struct arena *a, int64_t item_id, struct store_feed *out)
{
    static const char sql[] =
        "SELECT " FEED_COLS "FROM feeds f JOIN items i ON i.id = f.item_id WHERE f.item_id = ?";
    return feed_one(s, a, sql, item_id, out);
}

int store_feed_get(struct store *s, struct arena *a, int64_t id, struct store_feed *out)
{
    static const char sql[] =
        "SELECT " FEED_COLS "FROM feeds f JOIN items i ON i.id = f.item_id WHERE f.id = ?";
    return feed_one(s, a, sql, id, out);
}

int store_feed_save(struct store *s, const struct store_feed *f)
{
    static const char sql[] =
        "UPDATE feeds SET url = ?, status = ?, last_error = ?, etag = ?, last_modified = ?, "
        "title = ?, moved_from = ?, discover = ?, errors = ?, http_status = ?, "
        "next_check_at = ?, last_checked_at = ?, last_ok_at = ?, "
        "entries = (SELECT count(*) FROM entries WHERE feed_id = feeds.id) WHERE id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    const char *texts[] = {f->url, f->status, f->last_error, f->etag, f->last_modified, f->title,
                           f->moved_from};
    for (int i = 0; i < 7; i++) {
        stmt_bind_text(st, i + 1, texts[i] ? texts[i] : "");
    }
    stmt_bind_i64(st, 8, f->discover);
    stmt_bind_i64(st, 9, f->errors);
    stmt_bind_i64(st, 10, f->http_status);
    stmt_bind_i64(st, 11, f->next_check_at);
    stmt_bind_i64(st, 12, f->last_checked_at);
    stmt_bind_i64(st, 13, f->last_ok_at);
    stmt_bind_i64(st, 14, f->id);
    return stmt_exec(s, st);
}

int store_entry_upsert(struct store *s, const struct store_entry_new *e, int64_t *id,
                       enum store_upsert *what)
{
    static const char find[] = "SELECT id, content_hash FROM entries WHERE feed_id = ? AND "
                               "dedupe_key = ?";
    static const char ins[] =
        "INSERT INTO entries (feed_id, dedupe_key, content_hash, url, title, summary_html, "
        "content_html, text, author, published_at, updated_at, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    /* an update keeps the entry's place in the river (published_at stays) */
    static const char upd[] =
        "UPDATE entries SET content_hash = ?3, url = ?4, title = ?5, summary_html = ?6, "
        "content_html = ?7, text = ?8, author = ?9, updated_at = ?11, fetched_at = ?12 "
        "WHERE id = ?13";
    *what = STORE_UNCHANGED;
    struct stmt *st = stmt_get(s, find);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, e->feed_id);
    stmt_bind_text(st, 2, e->dedupe_key);
    int rc = stmt_step_one(s, st);
    int64_t existing = 0;
    bool same = false;
    if (rc == 0) {
        existing = stmt_col_i64(st, 0);
        const char *h = stmt_col_cstr(st, 1);
        same = h != NULL && strcmp(h, e->content_hash) == 0;
    }
    stmt_done(st);
    if (rc != 0 && rc != ERR_NOTFOUND) {
        return rc;
    }
    *id = existing;
    if (same) {
        return 0;
    }
    st = stmt_get(s, existing ? upd : ins);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, e->feed_id);
    const char *texts[] = {e->dedupe_key, e->content_hash, e->url, e->title, e->summary_html,
                           e->content_html, e->text, e->author};
    for (int i = 0; i < 8; i++) {
        stmt_bind_text(st, i + 2, texts[i] ? texts[i] : "");
    }
    stmt_bind_i64(st, 10, e->published_at);
    stmt_bind_i64(st, 11, e->updated_at);
    stmt_bind_i64(st, 12, e->fetched_at);
    if (existing) {
        stmt_bind_i64(st, 13, existing);
    }
    if ((rc = stmt_exec(s, st)) != 0) {
        return rc;
    }
    if (!existing) {
        *id = store_last_id(s);
    }
    *what = existing ? STORE_UPDATED : STORE_NEW;
    return 0;
}

#define ENTRY_COLS                                                                             \
    "e.id, e.feed_id, f.item_id, e.url, e.title, e.summary_html, e.text, e.author, "          \
    "i.title, e.published_at, i.score "

static int entry_list(struct store *s, struct arena *a, const char *sql, int64_t p1, int64_t p2,
                      int64_t p3, struct store_entry **out, size_t *n)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int np = stmt_param_count(st);
    int64_t ps[] = {p1, p2, p3};
    for (int i = 0; i < np && i < 3; i++) {
        stmt_bind_i64(st, i + 1, ps[i]);
    }
    struct store_entry *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        struct store_entry *e = &list[k++];
        e->id = stmt_col_i64(st, 0);
        e->feed_id = stmt_col_i64(st, 1);
        e->item_id = stmt_col_i64(st, 2);
        e->url = stmt_col_text(a, st, 3);
        e->title = stmt_col_text(a, st, 4);
        e->summary_html = stmt_col_text(a, st, 5);
        e->text = stmt_col_text(a, st, 6);
        e->author = stmt_col_text(a, st, 7);
        e->blog_title = stmt_col_text(a, st, 8);
        e->published_at = stmt_col_i64(st, 9);
        e->quality = stmt_col_double(st, 10);
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_entries_river(struct store *s, struct arena *a, int limit, int offset,
                        struct store_entry **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ENTRY_COLS "FROM entries e JOIN feeds f ON f.id = e.feed_id "
        "JOIN items i ON i.id = f.item_id WHERE i.status = 'ok' "
        "ORDER BY e.published_at DESC, e.id DESC LIMIT ? OFFSET ?";
    return entry_list(s, a, sql, limit, offset, 0, out, n);
}

int store_entries_of_blog(struct store *s, struct arena *a, int64_t item_id, int limit,
                          struct store_entry **out, size_t *n)
{
    static const char sql[] =
        "SELECT " ENTRY_COLS "FROM entries e JOIN feeds f ON f.id = e.feed_id "
        "JOIN items i ON i.id = f.item_id WHERE f.item_id = ? "
        "ORDER BY e.published_at DESC, e.id DESC LIMIT ?";
    return entry_list(s, a, sql, item_id, limit, 0, out, n);
}

int store_search_hits(struct store *s, struct arena *a, int64_t search_id, bool pending,
                      int limit, struct store_entry **out, size_t *n)
{
    /* an alert ranks its new matches by quality; a column shows the newest */
    static const char pending_sql[] =
        "SELECT " ENTRY_COLS "FROM search_hits h JOIN entries e ON e.id = h.entry_id "
        "JOIN feeds f ON f.id = e.feed_id JOIN items i ON i.id = f.item_id "
        "WHERE h.search_id = ? AND h.alerted = 0 AND i.status = 'ok' "
        "ORDER BY i.score DESC, e.published_at DESC LIMIT ?";
    static const char column_sql[] =
        "SELECT " ENTRY_COLS "FROM search_hits h JOIN entries e ON e.id = h.entry_id "
        "JOIN feeds f ON f.id = e.feed_id JOIN items i ON i.id = f.item_id "
        "WHERE h.search_id = ? AND i.status = 'ok' "
        "ORDER BY e.published_at DESC, e.id DESC LIMIT ?";
    return entry_list(s, a, pending ? pending_sql : column_sql, search_id, limit, 0, out, n);
}

int store_subscribe(struct store *s, int64_t user_id, int64_t feed_id, int64_t now, bool *added)
{
    static const char sql[] = "INSERT INTO subscriptions (user_id, feed_id, created_at) "
                              "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_i64(st, 2, feed_id);
    stmt_bind_i64(st, 3, now);
    int rc = stmt_exec(s, st);
    *added = rc == 0 && store_changes(s) > 0;
    return rc;
}

int store_subscriptions(struct store *s, struct arena *a, int64_t user_id,
                        struct store_feed **out, size_t *n)
{
    static const char sql[] = "SELECT " FEED_COLS "FROM subscriptions x JOIN feeds f ON "
                              "f.id = x.feed_id JOIN items i ON i.id = f.item_id "
                              "WHERE x.user_id = ? ORDER BY i.title";
    return feed_list(s, a, sql, 1, user_id, 0, out, n);
}

int store_feeds_all(struct store *s, struct arena *a, struct store_feed **out, size_t *n)
{
    static const char sql[] = "SELECT " FEED_COLS "FROM feeds f JOIN items i ON "
                              "i.id = f.item_id WHERE i.status = 'ok' ORDER BY i.title";
    return feed_list(s, a, sql, 0, 0, 0, out, n);
}

int store_feed_by_url(struct store *s, struct arena *a, const char *url, struct store_feed *out)
{
    static const char sql[] =
        "SELECT " FEED_COLS "FROM feeds f JOIN items i ON i.id = f.item_id "
        "WHERE (f.url = ?1 OR i.feed_url = ?1 OR i.url = ?1 OR i.canon_url = ?1) "
        "AND i.status = 'ok' LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, url);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        feed_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_entries_prune(struct store *s, int64_t feed_id, int keep, int *removed)
{
#define PRUNED "(SELECT id FROM entries WHERE feed_id = ?1 ORDER BY published_at DESC, id DESC " \
               "LIMIT 9223372036854775807 OFFSET ?2)" /* (no LIMIT ALL in SQLite) */
    static const char *const sql[] = {"DELETE FROM search_hits WHERE entry_id IN " PRUNED,
                                      "DELETE FROM entries WHERE id IN " PRUNED};
#undef PRUNED
    const int64_t args[] = {feed_id, keep};
    return store_exec_tx(s, sql, 2, args, 2, removed);
}
