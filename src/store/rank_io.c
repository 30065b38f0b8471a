/* The ranker's view of the store: every member, item, vote and open, and the score writes. */
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "store_int.h"

static int load_members(struct store *s, struct arena *a, struct store_rank_data *d)
{
    static const char sql[] =
        "SELECT id, coalesce(invited_by, 0), domain, seed FROM users ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        d->members = store_grow(a, d->members, d->nmembers, &cap, sizeof(*d->members));
        struct store_rank_member *m = &d->members[d->nmembers++];
        m->id = stmt_col_i64(st, 0);
        m->invited_by = stmt_col_i64(st, 1);
        m->domain = stmt_col_text(a, st, 2);
        m->seed = stmt_col_int(st, 3) != 0;
    }
    stmt_done(st);
    return src;
}

static int load_items(struct store *s, struct arena *a, struct store_rank_data *d)
{
    static const char sql[] =
        "SELECT i.id, i.user_id, i.created_at, i.domain, i.kind = 'blog', "
        "coalesce(g.org_domain, ''), i.kind = 'idea', i.kind = 'question' "
        "FROM items i LEFT JOIN groups g ON g.id = i.group_id "
        "ORDER BY i.id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        d->items = store_grow(a, d->items, d->nitems, &cap, sizeof(*d->items));
        struct store_rank_item *it = &d->items[d->nitems++];
        it->id = stmt_col_i64(st, 0);
        it->user_id = stmt_col_i64(st, 1);
        it->created_at = stmt_col_i64(st, 2);
        it->domain = stmt_col_text(a, st, 3);
        it->is_blog = stmt_col_int(st, 4) != 0;
        it->host_domain = stmt_col_text(a, st, 5);
        it->is_idea = stmt_col_int(st, 6) != 0;
        it->is_question = stmt_col_int(st, 7) != 0;
    }
    stmt_done(st);
    return src;
}

/* Votes and opens of every item (item_id 0) or of one, in one statement: a vote re-ranks its
 * item inside the vote's transaction, where each statement is a round trip on PostgreSQL.
 * Column 0 says which: 0 a vote (user, item, created_at, value, opened, outside), 1 an open
 * (user, item, inside). */
static int load_votes_opens(struct store *s, struct arena *a, int64_t item_id,
                            struct store_rank_data *d)
{
#define VOTES_OPENS(where)                                                                     \
    "SELECT 0, user_id, item_id, created_at, value, opened, outside FROM votes " where         \
    " UNION ALL SELECT 1, user_id, item_id, 0, 0, inside, 0 FROM opens " where
    /* separate literals for all and one: "?1 = 0 OR item_id = ?1" would scan every row even
     * for one item (a vote re-ranks its item: that scan cost 8 ms per vote at 200k votes) */
    static const char all[] = VOTES_OPENS("");
    static const char one[] = VOTES_OPENS("WHERE item_id = ?1");
#undef VOTES_OPENS
    struct stmt *st = stmt_get(s, item_id ? one : all);
    if (st == NULL) {
        return ERR_DB;
    }
    if (item_id) {
        stmt_bind_i64(st, 1, item_id);
    }
    size_t vcap = 0, ocap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        if (stmt_col_int(st, 0) == 0) {
            d->votes = store_grow(a, d->votes, d->nvotes, &vcap, sizeof(*d->votes));
            struct store_rank_vote *v = &d->votes[d->nvotes++];
            v->user_id = stmt_col_i64(st, 1);
            v->item_id = stmt_col_i64(st, 2);
            v->created_at = stmt_col_i64(st, 3);
            v->value = stmt_col_int(st, 4);
            v->opened = stmt_col_int(st, 5) != 0;
            v->outside = stmt_col_int(st, 6) != 0;
        } else {
            d->opens = store_grow(a, d->opens, d->nopens, &ocap, sizeof(*d->opens));
            struct store_rank_open *o = &d->opens[d->nopens++];
            o->user_id = stmt_col_i64(st, 1);
            o->item_id = stmt_col_i64(st, 2);
            o->inside = stmt_col_int(st, 5) != 0;
        }
    }
    stmt_done(st);
    return src;
}

/* Pairs (a, b) of a two-column statement into *out; since, when not 0, is bound as ?1. */
static int load_pairs_since(struct store *s, struct arena *a, const char *sql, int64_t since,
                            struct store_rank_edge **out, size_t *n)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    if (since != 0) {
        stmt_bind_i64(st, 1, since);
    }
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_rank_edge){stmt_col_i64(st, 0), stmt_col_i64(st, 1)};
    }
    stmt_done(st);
    return src;
}

static int load_pairs(struct store *s, struct arena *a, const char *sql,
                      struct store_rank_edge **out, size_t *n)
{
    return load_pairs_since(s, a, sql, 0, out, n);
}

/* Follows, and the trust ties: accepted connections and endorsements (one tie per pair, an
 * endorsement adds none to a connection that has one). */
static int load_edges(struct store *s, struct arena *a, struct store_rank_data *d)
{
    static const char follows[] = "SELECT follower_id, followee_id FROM follows ORDER BY 1, 2";
    /* each pair as (smaller id, larger id), so that UNION keeps one edge per pair: a
     * connection and an endorsement either way are one tie, not two */
    static const char ties[] =
        "SELECT CASE WHEN requester_id < target_id THEN requester_id ELSE target_id END, "
        "CASE WHEN requester_id < target_id THEN target_id ELSE requester_id END "
        "FROM connections WHERE state = 'accepted' UNION "
        "SELECT CASE WHEN from_id < to_id THEN from_id ELSE to_id END, "
        "CASE WHEN from_id < to_id THEN to_id ELSE from_id END FROM endorsements ORDER BY 1, 2";
    int rc = load_pairs(s, a, follows, &d->follows, &d->nfollows);
    return rc == 0 ? load_pairs(s, a, ties, &d->ties, &d->nties) : rc;
}

static int load_people_members(struct store *s, struct arena *a, int64_t now,
                               struct store_people_data *d)
{
    static const char sql[] = "SELECT id, handle, trust, influence, banned = 1 OR "
                              "suspended_until > ?1, created_at FROM users ORDER BY id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, now);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        d->members = store_grow(a, d->members, d->nmembers, &cap, sizeof(*d->members));
        d->members[d->nmembers++] = (struct store_people_member){
            stmt_col_i64(st, 0), stmt_col_text(a, st, 1), stmt_col_double(st, 2),
            stmt_col_double(st, 3), stmt_col_int(st, 4) != 0, stmt_col_i64(st, 5)};
    }
    stmt_done(st);
    if (src != 0) {
        return src;
    }
    static const char ranked[] = "SELECT coalesce(max(ranked_at), 0) FROM items";
    if ((st = stmt_get(s, ranked)) == NULL) {
        return ERR_DB;
    }
    src = stmt_step_one(s, st);
    d->ranked_at = src == 0 ? stmt_col_i64(st, 0) : 0;
    stmt_done(st);
    return src;
}

static int load_tags(struct store *s, struct arena *a, const char *sql, int64_t since,
                     struct store_people_tags **out, size_t *n)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, since);
    size_t cap = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[(*n)++] = (struct store_people_tags){stmt_col_i64(st, 0), stmt_col_text(a, st, 1)};
    }
    stmt_done(st);
    return src;
}

int store_people_load(struct store *s, struct arena *a, int64_t now,
                      struct store_people_data *out)
{
    /* comments only: they are public, where a vote is not (a reason "upvotes what you
     * share" would tell who voted) */
    static const char interactions[] =
        "SELECT DISTINCT c.user_id, i.user_id FROM comments c JOIN items i ON i.id = c.item_id "
        "WHERE c.created_at >= ?1 AND c.deleted = 0 AND c.status = 'ok' AND i.status = 'ok' "
        "AND c.user_id <> i.user_id ORDER BY 1, 2";
    static const char shared[] = "SELECT DISTINCT user_id, tags FROM items WHERE tags <> '' "
                                 "AND status = 'ok' AND created_at >= ?1";
    static const char read[] = "SELECT DISTINCT o.user_id, i.tags FROM opens o JOIN items i "
                               "ON i.id = o.item_id WHERE i.tags <> '' AND o.first_at >= ?1";
    memset(out, 0, sizeof(*out));
    int64_t since = now - 90 * 86400;
    struct store_rank_data edges;
    memset(&edges, 0, sizeof(edges));
    int rc = load_people_members(s, a, now, out);
    if (rc == 0 && (rc = load_edges(s, a, &edges)) == 0) {
        out->follows = edges.follows, out->nfollows = edges.nfollows;
        out->ties = edges.ties, out->nties = edges.nties;
    }
    if (rc == 0) {
        rc = load_pairs_since(s, a, interactions, since, &out->interactions, &out->ninteractions);
    }
    if (rc == 0) {
        rc = load_tags(s, a, shared, since, &out->shared, &out->nshared);
    }
    return rc == 0 ? load_tags(s, a, read, since, &out->read, &out->nread) : rc;
}

int store_rank_load(struct store *s, struct arena *a, struct store_rank_data *out)
{
    memset(out, 0, sizeof(*out));
    int rc = load_members(s, a, out);
    if (rc == 0) {
        rc = load_items(s, a, out);
    }
    if (rc == 0) {
        rc = load_votes_opens(s, a, 0, out);
    }
    if (rc == 0) {
        rc = load_edges(s, a, out);
    }
    return rc;
}

int store_rank_load_item(struct store *s, struct arena *a, int64_t item_id,
                         struct store_rank_data *out)
{
    memset(out, 0, sizeof(*out));
    return load_votes_opens(s, a, item_id, out);
}

int store_rank_write(struct store *s, int64_t item_id, double score, double hot, double estimate,
                     const char *explain, int64_t ranked_at)
{
    static const char sql[] = "UPDATE items SET score = ?, hot = ?, estimate = ?, explain = ?, "
                              "ranked_at = ? WHERE id = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_double(st, 1, score);
    stmt_bind_double(st, 2, hot);
    stmt_bind_double(st, 3, estimate);
    stmt_bind_text(st, 4, explain);
    stmt_bind_i64(st, 5, ranked_at);
    stmt_bind_i64(st, 6, item_id);
    return stmt_exec(s, st);
}

/* PostgreSQL's array literal of n values: numbers as they are, text quoted ({"a\"b"}). */
static void pg_array_i64(struct buf *b, const int64_t *v, size_t n, size_t stride)
{
    buf_appendc(b, '{');
    for (size_t i = 0; i < n; i++) {
        buf_appendz(b, i ? "," : "");
        buf_append_i64(b, *(const int64_t *)((const char *)v + i * stride));
    }
    buf_appendc(b, '}');
}

static void pg_array_double(struct buf *b, const double *v, size_t n, size_t stride)
{
    buf_appendc(b, '{');
    for (size_t i = 0; i < n; i++) {
        char num[32];
        snprintf(num, sizeof(num), "%s%.17g", i ? "," : "",
                 *(const double *)((const char *)v + i * stride));
        buf_appendz(b, num);
    }
    buf_appendc(b, '}');
}

static void pg_array_text(struct buf *b, const struct store_rank_score *rows, size_t n)
{
    buf_appendc(b, '{');
    for (size_t i = 0; i < n; i++) {
        buf_appendz(b, i ? ",\"" : "\"");
        for (const char *c = rows[i].explain ? rows[i].explain : ""; *c; c++) {
            if (*c == '"' || *c == '\\') {
                buf_appendc(b, '\\');
            }
            buf_appendc(b, *c);
        }
        buf_appendc(b, '"');
    }
    buf_appendc(b, '}');
}

int store_rank_write_many(struct store *s, const struct store_rank_score *rows, size_t n,
                          int64_t ranked_at)
{
    static const char sql[] =
        "UPDATE items AS i SET score = v.score, hot = v.hot, estimate = v.estimate, "
        "explain = v.explain, ranked_at = ?6 FROM unnest(CAST(?1 AS bigint[]), "
        "CAST(?2 AS float8[]), CAST(?3 AS float8[]), CAST(?4 AS float8[]), "
        "CAST(?5 AS text[])) AS v(id, score, hot, estimate, explain) WHERE i.id = v.id";
    int rc = 0;
    if (!store_on_pg(s)) {
        for (size_t i = 0; i < n && rc == 0; i++) {
            rc = store_rank_write(s, rows[i].item_id, rows[i].score, rows[i].hot,
                                  rows[i].estimate, rows[i].explain, ranked_at);
        }
        return rc;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL || n == 0) {
        return st == NULL ? ERR_DB : 0;
    }
    struct buf b;
    buf_init(&b, 0);
    pg_array_i64(&b, &rows[0].item_id, n, sizeof(rows[0]));
    stmt_bind_text(st, 1, buf_cstr(&b));
    const double *cols[] = {&rows[0].score, &rows[0].hot, &rows[0].estimate};
    for (int k = 0; k < 3; k++) {
        buf_reset(&b);
        pg_array_double(&b, cols[k], n, sizeof(rows[0]));
        stmt_bind_text(st, 2 + k, buf_cstr(&b));
    }
    buf_reset(&b);
    pg_array_text(&b, rows, n);
    stmt_bind_text(st, 5, buf_cstr(&b));
    stmt_bind_i64(st, 6, ranked_at);
    rc = buf_err(&b) ? ERR_NOMEM : stmt_exec(s, st);
    buf_fini(&b);
    return rc;
}

/* One double column of users (trust or influence) for many members: an UPDATE per member on
 * SQLite (one transaction, in the caller's), one UPDATE from arrays on PostgreSQL. */
static int write_user_doubles(struct store *s, bool influence, const int64_t *user_ids,
                              const double *v, size_t n)
{
    static const char lite_trust[] = "UPDATE users SET trust = ?1 WHERE id = ?2 AND trust != ?1";
    static const char lite_infl[] =
        "UPDATE users SET influence = ?1 WHERE id = ?2 AND influence != ?1";
    static const char pg_trust[] =
        "UPDATE users AS u SET trust = v.x FROM unnest(CAST(?1 AS bigint[]), "
        "CAST(?2 AS float8[])) AS v(id, x) WHERE u.id = v.id AND u.trust != v.x";
    static const char pg_infl[] =
        "UPDATE users AS u SET influence = v.x FROM unnest(CAST(?1 AS bigint[]), "
        "CAST(?2 AS float8[])) AS v(id, x) WHERE u.id = v.id AND u.influence != v.x";
    int rc = 0;
    if (!store_on_pg(s)) {
        for (size_t i = 0; i < n && rc == 0; i++) {
            struct stmt *st = stmt_get(s, influence ? lite_infl : lite_trust);
            if (st == NULL) {
                return ERR_DB;
            }
            stmt_bind_double(st, 1, v[i]);
            stmt_bind_i64(st, 2, user_ids[i]);
            rc = stmt_exec(s, st);
        }
        return rc;
    }
    struct stmt *st = stmt_get(s, influence ? pg_infl : pg_trust);
    if (st == NULL || n == 0) {
        if (st != NULL) {
            stmt_done(st);
        }
        return st == NULL ? ERR_DB : 0;
    }
    struct buf b;
    buf_init(&b, 0);
    pg_array_i64(&b, user_ids, n, sizeof(user_ids[0]));
    stmt_bind_text(st, 1, buf_cstr(&b));
    buf_reset(&b);
    pg_array_double(&b, v, n, sizeof(v[0]));
    stmt_bind_text(st, 2, buf_cstr(&b));
    rc = buf_err(&b) ? ERR_NOMEM : stmt_exec(s, st);
    buf_fini(&b);
    return rc;
}

int store_rank_write_trusts(struct store *s, const int64_t *user_ids, const double *trust,
                            size_t n)
{
    return write_user_doubles(s, false, user_ids, trust, n);
}

int store_rank_write_influence(struct store *s, const int64_t *user_ids, const double *influence,
                               size_t n)
{
    return write_user_doubles(s, true, user_ids, influence, n);
}
