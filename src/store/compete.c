/* Competitions, their judges and the judges' scores (store_groups.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

static int judges_add(struct store *s, int64_t id, const int64_t *judges, size_t n)
{
    static const char sql[] = "INSERT INTO competition_judges (competition_id, user_id) "
                              "VALUES (?1, ?2) ON CONFLICT DO NOTHING";
    for (size_t k = 0; k < n; k++) {
        struct stmt *st = stmt_get(s, sql);
        if (st == NULL) {
            return ERR_DB;
        }
        stmt_bind_i64(st, 1, id);
        stmt_bind_i64(st, 2, judges[k]);
        int rc = stmt_exec(s, st);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int store_competition_create(struct store *s, const struct store_competition *in,
                             const int64_t *judges, size_t njudges, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO competitions (group_id, title, rules, entry_start, entry_end, vote_start, "
        "vote_end, voters, judge_weight, created_by, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
    int rc = store_tx_begin(s);
    if (rc != 0) {
        return rc;
    }
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        rc = ERR_DB;
        goto cleanup;
    }
    stmt_bind_i64(st, 1, in->group_id);
    stmt_bind_text(st, 2, in->title);
    stmt_bind_text(st, 3, in->rules);
    stmt_bind_i64(st, 4, in->entry_start);
    stmt_bind_i64(st, 5, in->entry_end);
    stmt_bind_i64(st, 6, in->vote_start);
    stmt_bind_i64(st, 7, in->vote_end);
    stmt_bind_text(st, 8, in->voters);
    stmt_bind_double(st, 9, in->judge_weight);
    stmt_bind_i64(st, 10, in->created_by);
    stmt_bind_i64(st, 11, in->created_at);
    if ((rc = stmt_exec(s, st)) == 0) {
        *id = store_last_id(s);
        rc = judges_add(s, *id, judges, njudges);
    }
cleanup:
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

#define COMP_COLS                                                                              \
    "c.id, c.group_id, g.slug, c.title, c.rules, c.entry_start, c.entry_end, c.vote_start, "   \
    "c.vote_end, c.voters, c.judge_weight, c.created_by, c.created_at "                        \
    "FROM competitions c JOIN groups g ON g.id = c.group_id "

static void comp_read(struct arena *a, struct stmt *st, struct store_competition *c)
{
    c->id = stmt_col_i64(st, 0);
    c->group_id = stmt_col_i64(st, 1);
    c->group_slug = stmt_col_text(a, st, 2);
    c->title = stmt_col_text(a, st, 3);
    c->rules = stmt_col_text(a, st, 4);
    c->entry_start = stmt_col_i64(st, 5);
    c->entry_end = stmt_col_i64(st, 6);
    c->vote_start = stmt_col_i64(st, 7);
    c->vote_end = stmt_col_i64(st, 8);
    c->voters = stmt_col_text(a, st, 9);
    c->judge_weight = stmt_col_double(st, 10);
    c->created_by = stmt_col_i64(st, 11);
    c->created_at = stmt_col_i64(st, 12);
}

int store_competition_get(struct store *s, struct arena *a, int64_t id,
                          struct store_competition *out)
{
    static const char sql[] = "SELECT " COMP_COLS "WHERE c.id = ?1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        comp_read(a, st, out);
    }
    stmt_done(st);
    return rc;
}

int store_competition_list(struct store *s, struct arena *a, int64_t group_id,
                           struct store_competition **out, size_t *n)
{
    static const char sql[] = "SELECT " COMP_COLS "WHERE c.group_id = ?1 ORDER BY c.id DESC "
                              "LIMIT 100";
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
        comp_read(a, st, &(*out)[(*n)++]);
    }
    stmt_done(st);
    return src;
}

int store_competition_judges(struct store *s, struct arena *a, int64_t id, int64_t **ids,
                             char ***handles, size_t *n)
{
    static const char sql[] = "SELECT j.user_id, u.handle FROM competition_judges j "
                              "JOIN users u ON u.id = j.user_id WHERE j.competition_id = ?1 "
                              "ORDER BY u.handle";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, id);
    size_t cap = 0, hcap = 0;
    int src;
    *ids = NULL;
    *handles = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *ids = store_grow(a, *ids, *n, &cap, sizeof(**ids));
        *handles = store_grow(a, *handles, *n, &hcap, sizeof(**handles));
        (*ids)[*n] = stmt_col_i64(st, 0);
        (*handles)[(*n)++] = stmt_col_text(a, st, 1);
    }
    stmt_done(st);
    return src;
}

int store_judge_score_set(struct store *s, int64_t item_id, int64_t judge_id, double score,
                          int64_t now)
{
    static const char sql[] =
        "INSERT INTO judge_scores (item_id, judge_id, score, created_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (item_id, judge_id) DO UPDATE SET score = excluded.score, "
        "created_at = excluded.created_at";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, item_id);
    stmt_bind_i64(st, 2, judge_id);
    stmt_bind_double(st, 3, score);
    stmt_bind_i64(st, 4, now);
    return stmt_exec(s, st);
}

int store_judge_means(struct store *s, struct arena *a, int64_t competition_id,
                      struct store_judge_mean **out, size_t *n)
{
    /* only the scores of the competition's judges count (a judge removed later does not) */
    static const char sql[] =
        "SELECT j.item_id, avg(j.score), count(*) FROM judge_scores j "
        "JOIN items i ON i.id = j.item_id JOIN competition_judges cj "
        "ON cj.competition_id = i.competition_id AND cj.user_id = j.judge_id "
        "WHERE i.competition_id = ?1 GROUP BY j.item_id ORDER BY j.item_id";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, competition_id);
    size_t cap = 0;
    int src;
    *out = NULL;
    *n = 0;
    while ((src = stmt_next(s, st)) == 1) {
        *out = store_grow(a, *out, *n, &cap, sizeof(**out));
        (*out)[*n] = (struct store_judge_mean){stmt_col_i64(st, 0), stmt_col_double(st, 1),
                                                stmt_col_int(st, 2)};
        (*n)++;
    }
    stmt_done(st);
    return src;
}

int store_competition_entered(struct store *s, int64_t competition_id, int64_t user_id,
                              bool *entered)
{
    static const char sql[] = "SELECT 1 FROM items WHERE competition_id = ?1 AND user_id = ?2 "
                              "AND status <> 'removed' LIMIT 1";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_i64(st, 1, competition_id);
    stmt_bind_i64(st, 2, user_id);
    int rc = stmt_step_one(s, st);
    stmt_done(st);
    *entered = rc == 0;
    return rc == ERR_NOTFOUND ? 0 : rc;
}
