/* The admin dashboard's queries: flagging patterns, votes without reads, invitation branches
 * with many moderated members, domains with many removals, listed posts the off-topic check
 * doubted. Each returns at most 20 rows. */
#include "../core/err.h"
#include "store_int.h"

/* Each pattern counts in an inner query and filters outside it: an output column's alias
 * cannot be used in HAVING or in an ORDER BY expression on PostgreSQL. */
static const char flag_pairs[] =
    "WITH f AS (SELECT f.user_id AS flagger, coalesce(i.user_id, c.user_id) AS author "
    "FROM flags f LEFT JOIN items i ON f.target = 'item' AND i.id = f.target_id "
    "LEFT JOIN comments c ON f.target = 'comment' AND c.id = f.target_id), "
    "pairs AS (SELECT flagger, author, count(*) AS n FROM f GROUP BY flagger, author) "
    "SELECT uf.handle, ua.handle, p.n, (SELECT count(*) FROM flags x WHERE x.user_id = p.flagger) "
    "FROM pairs p JOIN users uf ON uf.id = p.flagger JOIN users ua ON ua.id = p.author "
    "WHERE p.n >= 3 ORDER BY p.n DESC, uf.handle LIMIT 20";

static const char unread_voters[] =
    "SELECT u.handle, NULL, t.n, t.o FROM (SELECT user_id, count(*) AS n, sum(opened) AS o "
    "FROM votes GROUP BY user_id) AS t JOIN users u ON u.id = t.user_id "
    "WHERE t.n >= 10 AND t.o * 5 < t.n ORDER BY t.n - t.o DESC, u.handle LIMIT 20";

static const char branches[] =
    "WITH moderated(uid) AS (SELECT target_id FROM modlog WHERE target = 'user' AND "
    "undone_by IS NULL AND undoes IS NULL UNION SELECT user_id FROM items WHERE status = "
    "'removed' UNION SELECT user_id FROM comments WHERE status = 'removed'), "
    "t AS (SELECT u.invited_by AS pid, count(*) AS n, "
    "sum(CASE WHEN u.id IN (SELECT uid FROM moderated) THEN 1 ELSE 0 END) AS m "
    "FROM users u WHERE u.invited_by IS NOT NULL GROUP BY u.invited_by) "
    "SELECT p.handle, NULL, t.n, t.m FROM t JOIN users p ON p.id = t.pid WHERE t.m >= 2 "
    "ORDER BY t.m DESC, p.handle LIMIT 20";

static const char domains[] =
    "SELECT domain, NULL, n, r FROM (SELECT domain, count(*) AS n, "
    "sum(CASE WHEN status = 'removed' THEN 1 ELSE 0 END) AS r FROM items GROUP BY domain) "
    "AS d WHERE r >= 2 ORDER BY r DESC, domain LIMIT 20";

/* listed posts the off-topic check doubted but did not hold, newest first */
static const char topic_doubts[] =
    "SELECT i.title, u.handle, i.id, i.topic_doubt FROM items i JOIN users u ON u.id = i.user_id "
    "WHERE i.topic_doubt IS NOT NULL AND i.status = 'ok' ORDER BY i.id DESC LIMIT 20";

/* follow-back schemes: bursts of 50+ follows in an hour, and 3x more follows than followers */
static const char follow_spam[] =
    "WITH bursts AS (SELECT fid FROM (SELECT follower_id AS fid, count(*) AS n FROM follows "
    "GROUP BY follower_id, created_at / 3600) b WHERE n >= 50 GROUP BY fid), "
    "t AS (SELECT fid, (SELECT count(*) FROM follows WHERE follower_id = fid) AS n, "
    "(SELECT count(*) FROM follows WHERE followee_id = fid) AS back FROM bursts) "
    "SELECT u.handle, NULL, t.n, t.back FROM t JOIN users u ON u.id = t.fid "
    "WHERE t.n > 3 * t.back ORDER BY t.n DESC, u.handle LIMIT 20";

int store_dashboard(struct store *s, struct arena *a, enum store_dash which,
                    struct store_dash_row **rows, size_t *n)
{
    const char *sql = which == STORE_DASH_FLAG_PAIRS      ? flag_pairs
                      : which == STORE_DASH_UNREAD_VOTERS ? unread_voters
                      : which == STORE_DASH_BRANCHES      ? branches
                      : which == STORE_DASH_DOMAINS       ? domains
                      : which == STORE_DASH_FOLLOW_SPAM   ? follow_spam
                                                          : topic_doubts;
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    struct store_dash_row *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        list[k++] = (struct store_dash_row){stmt_col_text(a, st, 0), stmt_col_text(a, st, 1),
                                            stmt_col_i64(st, 2),
                                            stmt_col_i64(st, 3)};
    }
    int rc = src;
    stmt_done(st);
    *rows = list;
    *n = k;
    return rc;
}
