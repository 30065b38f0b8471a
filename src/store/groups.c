/* Groups and their members (store_groups.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

#define GROUP_COLS                                                                             \
    "g.id, g.slug, g.name, g.description, g.membership, g.org_domain, g.customers, "           \
    "g.customers_only, g.vote_budget, g.created_by, g.created_at, "                            \
    "(SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.state = 'active') "

static void group_read(struct arena *a, struct stmt *st, struct store_group *g)
{
    g->id = stmt_col_i64(st, 0);
    g->slug = stmt_col_text(a, st, 1);
    g->name = stmt_col_text(a, st, 2);
    g->description = stmt_col_text(a, st, 3);
    g->membership = stmt_col_text(a, st, 4);
    g->org_domain = stmt_col_text(a, st, 5);
    g->customers = stmt_col_text(a, st, 6);
    g->customers_only = stmt_col_int(st, 7) != 0;
    g->vote_budget = stmt_col_int(st, 8);
    g->created_by = stmt_col_i64(st, 9);
    g->created_at = stmt_col_i64(st, 10);
    g->members = stmt_col_int(st, 11);
}

int store_group_create(struct store *s, const struct store_group *in, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO groups (slug, name, description, membership, org_domain, customers, "
        "customers_only, vote_budget, created_by, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        rc = ERR_DB;
        goto cleanup;
    }
    stmt_bind_text(st, 1, in->slug);
    stmt_bind_text(st, 2, in->name);
    stmt_bind_text(st, 3, in->description);
    stmt_bind_text(st, 4, in->membership);
    stmt_bind_text(st, 5, in->org_domain);
    stmt_bind_text(st, 6, in->customers);
    stmt_bind_i64(st, 7, in->customers_only ? 1 : 0);
    stmt_bind_i64(st, 8, in->vote_budget);
    stmt_bind_i64(st, 9, in->created_by);
    stmt_bind_i64(st, 10, in->created_at);
    if ((rc = stmt_exec(s, st)) != 0) {
        goto cleanup;
    }
    *id = store_last_id(s);
    rc = store_group_member_set(s, *id, in->created_by, "moderator", "active", in->created_at);
cleanup:
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

static int group_get_by(struct store *s, struct arena *a, const char *sql, const char *slug,
                        int64_t id, struct store_group *out)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    if (slug != NULL) {
        stmt_bind_text(st, 1, slug);
    } else {
        stmt_bind_i64(st, 1, id);
    }
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        group_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_group_get(struct store *s, struct arena *a, const char *slug, struct store_group *out)
{
    static const char sql[] = "SELECT " GROUP_COLS "FROM groups g WHERE g.slug = ?1";
    return group_get_by(s, a, sql, slug, 0, out);
}

int store_group_get_id(struct store *s, struct arena *a, int64_t id, struct store_group *out)
{
    static const char sql[] = "SELECT " GROUP_COLS "FROM groups g WHERE g.id = ?1";
    return group_get_by(s, a, sql, NULL, id, out);
}

int store_group_list(struct store *s, struct arena *a, struct store_group **out, size_t *n)
{
    static const char sql[] = "SELECT * FROM (SELECT " GROUP_COLS "FROM groups g) AS l "
                              "ORDER BY 12 DESC, 2 LIMIT 500";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    size_t cap = 0;
    int src;
    *out = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        group_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}

#define MEMBER_COLS                                                                            \
    "m.user_id, u.handle, m.role, m.state, u.affiliation, u.domain, m.created_at "             \
    "FROM group_members m JOIN users u ON u.id = m.user_id "

static void member_read(struct arena *a, struct stmt *st, struct store_group_member *m)
{
    m->user_id = stmt_col_i64(st, 0);
    m->handle = stmt_col_text(a, st, 1);
    m->role = stmt_col_text(a, st, 2);
    m->state = stmt_col_text(a, st, 3);
    m->affiliation = stmt_col_text(a, st, 4);
    m->domain = stmt_col_text(a, st, 5);
    m->created_at = stmt_col_i64(st, 6);
}

int store_group_membership(struct store *s, struct arena *a, int64_t group_id, int64_t user_id,
                           struct store_group_member *out)
{
    static const char sql[] = "SELECT " MEMBER_COLS "WHERE m.group_id = ?1 AND m.user_id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        member_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_group_members(struct store *s, struct arena *a, int64_t group_id,
                        struct store_group_member **out, size_t *n)
{
    static const char sql[] = "SELECT " MEMBER_COLS "WHERE m.group_id = ?1 "
                              "ORDER BY m.role <> 'moderator', m.created_at, m.user_id LIMIT 1000";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    size_t cap = 0;
    int src;
    *out = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        member_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}

int store_group_member_set(struct store *s, int64_t group_id, int64_t user_id, const char *role,
                           const char *state, int64_t now)
{
    static const char sql[] =
        "INSERT INTO group_members (group_id, user_id, role, state, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (group_id, user_id) "
        "DO UPDATE SET role = excluded.role, state = excluded.state";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_text(st, 3, role);
    stmt_bind_text(st, 4, state);
    stmt_bind_i64(st, 5, now);
    return stmt_exec(s, st);
}

int store_group_member_remove(struct store *s, int64_t group_id, int64_t user_id)
{
    static const char sql[] = "DELETE FROM group_members WHERE group_id = ?1 AND user_id = ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    return stmt_exec(s, st);
}

int store_group_moderator_ids(struct store *s, struct arena *a, int64_t group_id, int64_t **ids,
                              size_t *n)
{
    static const char sql[] = "SELECT user_id FROM group_members WHERE group_id = ?1 "
                              "AND role = 'moderator' AND state = 'active' ORDER BY user_id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    return store_collect_ids(s, a, st, ids, n);
}

int store_group_own_posts(struct store *s, int64_t group_id, int64_t user_id, int window,
                          int *own, int *total)
{
    static const char sql[] =
        "SELECT coalesce(sum(own_org), 0), count(*) FROM (SELECT own_org FROM items "
        "WHERE group_id = ?1 AND user_id = ?2 ORDER BY created_at DESC, id DESC LIMIT ?3) AS r";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, group_id);
    stmt_bind_i64(st, 2, user_id);
    stmt_bind_i64(st, 3, window);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *own = stmt_col_int(st, 0);
        *total = stmt_col_int(st, 1);
    }
    stmt_done(st);
    return rc;
}
