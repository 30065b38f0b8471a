/* Full-text search (FTS5), saved searches and their hits, the digest and its subscribers. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

/* Search reads, for each kind (a rowid range: 2^40 * kind + id), the newest ?4 matches,
 * ranks those by bm25 (titles weigh 4x) and keeps the best ?5; hidden (removed, queued) items
 * and comments on them are then left out. The text for the snippet comes back with each row
 * (FTS5's snippet() reopens the index per row: 0.2 ms each at a million entries). Ranking a bounded
 * window keeps a common word from costing a pass over every match (docs/monitoring.md). */
#define SEARCH_WINDOW(lo, hi)                                                                  \
    "SELECT * FROM (SELECT rowid AS r, bm25(search_index, 4.0, 1.0) AS score "                \
    "FROM search_index WHERE search_index MATCH ?1 AND rowid BETWEEN " lo " AND " hi " "       \
    "ORDER BY rowid DESC LIMIT ?4)"
/* On PostgreSQL the same windows over the tsvector's GIN index; the FTS5 expression
 * ("a" AND "b c" OR "d") reads the same as websearch_to_tsquery's syntax. ts_rank grows with
 * relevance where bm25 shrinks, hence the minus; title (A) weighs 4x body (B) as above. */
#define SEARCH_TSQUERY "websearch_to_tsquery('english', ?1)"
#define SEARCH_WINDOW_PG(lo, hi)                                                               \
    "(SELECT rowid AS r, -ts_rank('{0, 0, 0.25, 1}', tsv, " SEARCH_TSQUERY ") AS score "      \
    "FROM search_index WHERE tsv @@ " SEARCH_TSQUERY " AND rowid BETWEEN " lo " AND " hi " "   \
    "ORDER BY rowid DESC LIMIT ?4)"
#define SEARCH_WINDOWS(w)                                                                      \
    "WITH cand AS (" w("1099511627776", "2199023255551") " UNION ALL "                         \
    w("2199023255552", "3298534883327") " UNION ALL " w("3298534883328", "4398046511103") "), "
#define SEARCH_ROWS                                                                            \
    "best AS (SELECT r, score FROM cand ORDER BY score LIMIT ?5), "                            \
    "m AS (SELECT r >> 40 AS kind, r & 1099511627775 AS id, score AS rank FROM best) "         \
    "SELECT 'e', e.id, f.item_id, e.title, e.url, substr(e.text, 1, 4000), i.title, "          \
    "e.published_at, m.rank "                                                                  \
    "FROM m JOIN entries e ON e.id = m.id JOIN feeds f ON f.id = e.feed_id "                   \
    "JOIN items i ON i.id = f.item_id WHERE m.kind = 1 AND i.status = 'ok' "                   \
    "UNION ALL "                                                                               \
    "SELECT CASE i.kind WHEN 'blog' THEN 'b' ELSE 'l' END, i.id, i.id, i.title, '/i/' || i.id, " \
    "substr(i.body, 1, 4000), i.domain, i.created_at, m.rank FROM m JOIN items i ON i.id = m.id " \
    "WHERE m.kind = 2 AND i.status = 'ok' "                                                    \
    "UNION ALL "                                                                               \
    "SELECT 'c', c.id, c.item_id, i.title, '/i/' || c.item_id || '#c' || c.id, "               \
    "substr(c.body, 1, 4000), "                                                                \
    "u.handle, c.created_at, m.rank FROM m JOIN comments c ON c.id = m.id "                    \
    "JOIN items i ON i.id = c.item_id JOIN users u ON u.id = c.user_id "                       \
    "WHERE m.kind = 3 AND c.deleted = 0 AND c.status = 'ok' AND i.status = 'ok' "              \
    "ORDER BY 9, 8 DESC LIMIT ?2 OFFSET ?3"
static const char search_sql[] = SEARCH_WINDOWS(SEARCH_WINDOW) SEARCH_ROWS;
static const char search_sql_pg[] = SEARCH_WINDOWS(SEARCH_WINDOW_PG) SEARCH_ROWS;

#define SEARCH_WINDOW_ROWS 600 /* newest matches ranked per kind */

int store_search(struct store *s, struct arena *a, const char *match, int limit, int offset,
                 struct store_hit **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct stmt *st = stmt_get_for(s, search_sql, search_sql_pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, match);
    stmt_input_errors(st);
    stmt_bind_i64(st, 2, limit);
    stmt_bind_i64(st, 3, offset);
    stmt_bind_i64(st, 4, SEARCH_WINDOW_ROWS);
    stmt_bind_i64(st, 5, (int64_t)(offset + limit) + 20); /* room for hidden ones */
    struct store_hit *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        struct store_hit *h = &list[k++];
        const char *kind = stmt_col_cstr(st, 0);
        h->kind = kind ? kind[0] : 'e';
        h->id = stmt_col_i64(st, 1);
        h->item_id = stmt_col_i64(st, 2);
        h->title = stmt_col_text(a, st, 3);
        h->url = stmt_col_text(a, st, 4);
        h->text = stmt_col_text(a, st, 5);
        h->context = stmt_col_text(a, st, 6);
        h->at = stmt_col_i64(st, 7);
    }
    /* a malformed MATCH expression is the caller's input, not a store failure */
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_search_only_common(struct store *s, const char *match, bool *yes)
{
    static const char sql[] = "SELECT numnode(" SEARCH_TSQUERY ") = 0";
    *yes = false;
    if (!store_on_pg(s)) {
        return 0;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, match);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *yes = stmt_col_int(st, 0) != 0;
    }
    stmt_done(st);
    return rc;
}

int store_entry_matches(struct store *s, int64_t entry_id, const char *match, bool *yes)
{
    static const char sql[] =
        "SELECT 1 FROM search_index WHERE search_index MATCH ?1 AND rowid = ?2";
    static const char pg[] =
        "SELECT 1 FROM search_index WHERE tsv @@ " SEARCH_TSQUERY " AND rowid = ?2";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, match);
    stmt_input_errors(st);
    stmt_bind_i64(st, 2, ((int64_t)1 << 40) + entry_id);
    int src = stmt_next(s, st);
    *yes = src == 1;
    int rc = src < 0 ? src : 0;
    stmt_done(st);
    return rc;
}

int store_search_index_comments(struct store *s, int *n)
{
    static const char add[] =
        "INSERT INTO search_index(rowid, title, body) SELECT 3 * 1099511627776 + id, '', body "
        "FROM comments WHERE id > (SELECT last_id FROM search_progress WHERE kind = 'comment') "
        "AND deleted = 0";
    static const char done[] =
        "UPDATE search_progress SET last_id = (SELECT coalesce(max(id), 0) FROM comments) "
        "WHERE kind = 'comment'";
    static const char behind[] =
        "SELECT 1 FROM comments WHERE id > (SELECT last_id FROM search_progress "
        "WHERE kind = 'comment') LIMIT 1";
    *n = 0;
    if (store_on_pg(s)) {
        return 0; /* indexed as they are written (migrations/pg/003_engine.sql) */
    }
    struct stmt *st = stmt_get(s, behind); /* a read first: most calls find nothing new */
    if (st == NULL) {
        return ERR_DB;
    }
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? 0 : rc;
    }
    rc = store_tx_begin(s); /* writers queue meanwhile: nothing is posted in between */
    st = rc == 0 ? stmt_get(s, add) : NULL;
    if (rc != 0 || st == NULL || (rc = stmt_exec(s, st)) != 0) {
        goto fail;
    }
    *n = store_changes(s);
    if ((st = stmt_get(s, done)) == NULL || (rc = stmt_exec(s, st)) != 0) {
        goto fail;
    }
    return store_tx_commit(s);
fail:
    store_tx_rollback(s);
    *n = 0;
    return rc != 0 ? rc : ERR_DB;
}

#define SAVED_COLS                                                                             \
    "s.id, s.user_id, s.query, s.match, s.alert, s.webhook_url, s.last_alert_error, "          \
    "u.email, u.handle, s.last_alert_at, s.token, u.email_verified "

static void saved_read(struct arena *a, struct stmt *st, struct store_saved_search *x)
{
    x->id = stmt_col_i64(st, 0);
    x->user_id = stmt_col_i64(st, 1);
    x->query = stmt_col_text(a, st, 2);
    x->match = stmt_col_text(a, st, 3);
    x->alert = stmt_col_text(a, st, 4);
    x->webhook_url = stmt_col_text(a, st, 5);
    x->last_alert_error = stmt_col_text(a, st, 6);
    x->email = stmt_col_text(a, st, 7);
    x->handle = stmt_col_text(a, st, 8);
    x->last_alert_at = stmt_col_i64(st, 9);
    x->token = stmt_col_text(a, st, 10);
    x->email_confirmed = stmt_col_int(st, 11) != 0;
}

int store_saved_search_add(struct store *s, int64_t user_id, const char *query,
                           const char *match, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO saved_searches (user_id, query, match, position, created_at, token) "
        "VALUES (?1, ?2, ?3, (SELECT coalesce(max(position), 0) + 1 FROM saved_searches "
        "WHERE user_id = ?1), ?4, ?5) RETURNING id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    stmt_bind_text(st, 2, query);
    stmt_bind_text(st, 3, match);
    stmt_bind_i64(st, 4, now_unix());
    char token[33];
    random_hex(token, 16);
    stmt_bind_text(st, 5, token);
    int rc = stmt_exec(s, st);
    if (rc == 0) {
        *id = store_last_id(s);
    }
    return rc;
}

int store_saved_search_backfill(struct store *s, int64_t search_id, const char *match,
                                int64_t now)
{
    /* the newest matching posts already stored, marked alerted: no alert for the past */
    static const char sql[] =
        "INSERT OR IGNORE INTO search_hits (search_id, entry_id, created_at, alerted) "
        "SELECT ?2, rowid - 1099511627776, ?3, 1 FROM search_index WHERE search_index MATCH ?1 "
        "AND rowid BETWEEN 1099511627776 AND 2199023255551 ORDER BY rowid DESC LIMIT 50";
    static const char pg[] =
        "INSERT INTO search_hits (search_id, entry_id, created_at, alerted) "
        "SELECT ?2, rowid - 1099511627776, ?3, 1 FROM search_index WHERE tsv @@ " SEARCH_TSQUERY
        " AND rowid BETWEEN 1099511627776 AND 2199023255551 ORDER BY rowid DESC LIMIT 50 "
        "ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get_for(s, sql, pg);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, match);
    stmt_bind_i64(st, 2, search_id);
    stmt_bind_i64(st, 3, now);
    stmt_input_errors(st);
    return stmt_exec(s, st);
}

int store_saved_search_delete(struct store *s, int64_t user_id, int64_t id)
{
    static const char hits[] = "DELETE FROM search_hits WHERE search_id = (SELECT id FROM "
                               "saved_searches WHERE id = ? AND user_id = ?)";
    static const char del[] = "DELETE FROM saved_searches WHERE id = ? AND user_id = ?";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    const char *sqls[] = {hits, del};
    for (int i = 0; i < 2 && rc == 0; i++) {
        struct stmt *st = stmt_get(s, sqls[i]);
        if (st == NULL) {
            rc = ERR_DB;
            break;
        }
        stmt_bind_i64(st, 1, id);
        stmt_bind_i64(st, 2, user_id);
        rc = stmt_exec(s, st);
    }
    if (rc == 0 && store_changes(s) == 0) {
        rc = ERR_NOTFOUND;
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

int store_saved_search_alert(struct store *s, int64_t user_id, int64_t id, const char *alert,
                             const char *webhook_url)
{
    static const char sql[] = "UPDATE saved_searches SET alert = ?, webhook_url = ?, "
                              "last_alert_error = '' WHERE id = ? AND user_id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, alert);
    stmt_bind_text(st, 2, webhook_url ? webhook_url : "");
    stmt_bind_i64(st, 3, id);
    stmt_bind_i64(st, 4, user_id);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_saved_search_get(struct store *s, struct arena *a, int64_t id, const char *token,
                           struct store_saved_search *out)
{
    static const char by_id[] = "SELECT " SAVED_COLS "FROM saved_searches s JOIN users u ON "
                                "u.id = s.user_id WHERE s.id = ?";
    static const char by_token[] = "SELECT " SAVED_COLS "FROM saved_searches s JOIN users u "
                                   "ON u.id = s.user_id WHERE s.token = ?";
    struct stmt *st = stmt_get(s, token ? by_token : by_id);
    if (st == NULL) {
        return ERR_DB;
    }
    if (token) {
        stmt_bind_text(st, 1, token);
    } else {
        stmt_bind_i64(st, 1, id);
    }
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        saved_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_saved_searches(struct store *s, struct arena *a, int64_t user_id,
                         struct store_saved_search **out, size_t *n)
{
    static const char mine[] = "SELECT " SAVED_COLS "FROM saved_searches s JOIN users u ON "
                               "u.id = s.user_id WHERE s.user_id = ? ORDER BY s.position, s.id";
    static const char all[] = "SELECT " SAVED_COLS "FROM saved_searches s JOIN users u ON "
                              "u.id = s.user_id WHERE ? = 0 AND u.banned = 0 ORDER BY s.id";
    struct stmt *st = stmt_get(s, user_id > 0 ? mine : all);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, user_id);
    struct store_saved_search *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        saved_read(a, st, &list[k++]);
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_search_hit_add(struct store *s, int64_t search_id, int64_t entry_id, int64_t now)
{
    static const char sql[] = "INSERT INTO search_hits (search_id, entry_id, created_at) "
                              "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, search_id);
    stmt_bind_i64(st, 2, entry_id);
    stmt_bind_i64(st, 3, now);
    return stmt_exec(s, st);
}

int store_search_alerted(struct store *s, int64_t search_id, int64_t now, const char *error)
{
    static const char hits[] = "UPDATE search_hits SET alerted = 1 WHERE search_id = ? AND "
                               "alerted = 0 AND created_at <= ?";
    static const char mark[] = "UPDATE saved_searches SET last_alert_at = ?, "
                               "last_alert_error = ? WHERE id = ?";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    struct stmt *st = NULL;
    if (error == NULL || error[0] == '\0') { /* a failed alert keeps its hits for the retry */
        st = stmt_get(s, hits);
        if (st == NULL) {
            rc = ERR_DB;
        } else {
            stmt_bind_i64(st, 1, search_id);
            stmt_bind_i64(st, 2, now);
            rc = stmt_exec(s, st);
        }
    }
    if (rc == 0) {
        st = stmt_get(s, mark);
        if (st == NULL) {
            rc = ERR_DB;
        } else {
            stmt_bind_i64(st, 1, now);
            stmt_bind_text(st, 2, error ? error : "");
            stmt_bind_i64(st, 3, search_id);
            rc = stmt_exec(s, st);
        }
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

int store_digest(struct store *s, struct arena *a, int64_t since, int limit,
                 struct store_digest_row **out, size_t *n)
{
    /* entries carry their blog's quality; links their own */
    static const char sql[] =
        "SELECT 'e', e.id, i.id, e.title, e.url, i.title, i.score, e.published_at "
        "FROM entries e JOIN feeds f ON f.id = e.feed_id JOIN items i ON i.id = f.item_id "
        "WHERE e.published_at >= ?1 AND i.status = 'ok' "
        "UNION ALL SELECT 'l', i.id, i.id, i.title, i.url, i.domain, i.score, i.created_at "
        "FROM items i WHERE i.kind = 'link' AND i.created_at >= ?1 AND i.status = 'ok' "
        "ORDER BY 7 DESC, 8 DESC LIMIT ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, since);
    stmt_bind_i64(st, 2, limit);
    struct store_digest_row *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        struct store_digest_row *r = &list[k++];
        const char *kind = stmt_col_cstr(st, 0);
        r->kind = kind ? kind[0] : 'e';
        r->id = stmt_col_i64(st, 1);
        r->item_id = stmt_col_i64(st, 2);
        r->title = stmt_col_text(a, st, 3);
        r->url = stmt_col_text(a, st, 4);
        r->source = stmt_col_text(a, st, 5);
        r->quality = stmt_col_double(st, 6);
        r->at = stmt_col_i64(st, 7);
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

int store_digest_subscribers(struct store *s, struct arena *a, const char *day,
                             struct store_user **out, size_t *n)
{
    static const char sql[] = "SELECT id, handle, email FROM users WHERE digest_email = 1 AND "
                              "email_verified = 1 AND banned = 0 AND digest_sent_on != ? "
                              "ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, day);
    struct store_user *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        memset(&list[k], 0, sizeof(list[k]));
        list[k].id = stmt_col_i64(st, 0);
        list[k].handle = stmt_col_text(a, st, 1);
        list[k].email = stmt_col_text(a, st, 2);
        k++;
    }
    int rc = src;
    stmt_done(st);
    *out = list;
    *n = k;
    return rc;
}

static int user_set(struct store *s, const char *sql, int64_t user_id, const char *text,
                    int64_t num)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    if (text != NULL) {
        stmt_bind_text(st, 1, text);
    } else {
        stmt_bind_i64(st, 1, num);
    }
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_exec(s, st);
    return rc == 0 && store_changes(s) == 0 ? ERR_NOTFOUND : rc;
}

int store_digest_sent(struct store *s, int64_t user_id, const char *day)
{
    static const char sql[] = "UPDATE users SET digest_sent_on = ? WHERE id = ?";
    return user_set(s, sql, user_id, day, 0);
}

int store_digest_optin(struct store *s, int64_t user_id, bool on)
{
    static const char sql[] = "UPDATE users SET digest_email = ? WHERE id = ?";
    return user_set(s, sql, user_id, NULL, on);
}

/* A member's 0/1 column read by a one-row query. */
static bool user_flag(struct store *s, const char *sql, int64_t user_id)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return false;
    }
    stmt_bind_i64(st, 1, user_id);
    bool on = stmt_step_one(s, st) == 0 && stmt_col_int(st, 0) != 0;
    stmt_done(st);
    return on;
}

bool store_digest_opted_in(struct store *s, int64_t user_id)
{
    static const char sql[] = "SELECT digest_email FROM users WHERE id = ?";
    return user_flag(s, sql, user_id);
}

int store_email_token_new(struct store *s, int64_t user_id, char token[33])
{
    static const char sql[] = "UPDATE users SET email_token = ? WHERE id = ?";
    random_hex(token, 16);
    return user_set(s, sql, user_id, token, 0);
}

int store_email_confirm(struct store *s, const char *token, int64_t *user_id)
{
    static const char find[] = "SELECT id FROM users WHERE email_token = ? AND email_token != ''";
    static const char done[] = "UPDATE users SET email_verified = 1, email_token = '' "
                               "WHERE id = ?";
    struct stmt *st = stmt_get(s, find);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, token);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *user_id = stmt_col_i64(st, 0);
    }
    stmt_done(st);
    if (rc != 0) {
        return rc;
    }
    st = stmt_get(s, done);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, *user_id);
    return stmt_exec(s, st);
}

bool store_email_confirmed(struct store *s, int64_t user_id)
{
    static const char sql[] = "SELECT email_verified FROM users WHERE id = ?";
    return user_flag(s, sql, user_id);
}
