/* The admin dashboard's queries: flagging patterns, votes without reads, invitation branches
 * with many moderated members, domains with many removals, listed posts the off-topic check
 * doubted. Each returns at most 20 rows. */
#include "../core/err.h"
#include "store_int.h"

static const char flag_pairs[] =
    "WITH f AS (SELECT f.user_id AS flagger, coalesce(i.user_id, c.user_id) AS author "
    "FROM flags f LEFT JOIN items i ON f.target = 'item' AND i.id = f.target_id "
    "LEFT JOIN comments c ON f.target = 'comment' AND c.id = f.target_id) "
    "SELECT uf.handle, ua.handle, count(*) AS n, "
    "(SELECT count(*) FROM flags x WHERE x.user_id = f.flagger) "
    "FROM f JOIN users uf ON uf.id = f.flagger JOIN users ua ON ua.id = f.author "
    "GROUP BY f.flagger, f.author HAVING n >= 3 ORDER BY n DESC, uf.handle LIMIT 20";

static const char unread_voters[] =
    "SELECT u.handle, NULL, count(*) AS n, sum(v.opened) AS o FROM votes v "
    "JOIN users u ON u.id = v.user_id GROUP BY v.user_id "
    "HAVING n >= 10 AND o * 5 < n ORDER BY n - o DESC, u.handle LIMIT 20";

static const char branches[] =
    "WITH moderated(uid) AS (SELECT target_id FROM modlog WHERE target = 'user' AND "
    "undone_by IS NULL AND undoes IS NULL UNION SELECT user_id FROM items WHERE status = "
    "'removed' UNION SELECT user_id FROM comments WHERE status = 'removed') "
    "SELECT p.handle, NULL, count(*) AS n, sum(u.id IN (SELECT uid FROM moderated)) AS m "
    "FROM users u JOIN users p ON p.id = u.invited_by GROUP BY p.id HAVING m >= 2 "
    "ORDER BY m DESC, p.handle LIMIT 20";

static const char domains[] =
    "SELECT domain, NULL, count(*) AS n, sum(status = 'removed') AS r FROM items "
    "GROUP BY domain HAVING r >= 2 ORDER BY r DESC, domain LIMIT 20";

/* listed posts the off-topic check doubted but did not hold, newest first */
static const char topic_doubts[] =
    "SELECT i.title, u.handle, i.id, i.topic_doubt FROM items i JOIN users u ON u.id = i.user_id "
    "WHERE i.topic_doubt IS NOT NULL AND i.status = 'ok' ORDER BY i.id DESC LIMIT 20";

int store_dashboard(struct store *s, struct arena *a, enum store_dash which,
                    struct store_dash_row **rows, size_t *n)
{
    const char *sql = which == STORE_DASH_FLAG_PAIRS      ? flag_pairs
                      : which == STORE_DASH_UNREAD_VOTERS ? unread_voters
                      : which == STORE_DASH_BRANCHES      ? branches
                      : which == STORE_DASH_DOMAINS       ? domains
                                                          : topic_doubts;
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    struct store_dash_row *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_dash_row){stmt_col_text(a, st, 0), stmt_col_text(a, st, 1),
                                            sqlite3_column_int64(st, 2),
                                            sqlite3_column_int64(st, 3)};
    }
    int rc = src == SQLITE_DONE ? 0 : store_rc(s, src);
    stmt_done(st);
    *rows = list;
    *n = k;
    return rc;
}
