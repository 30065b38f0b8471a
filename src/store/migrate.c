/* guild migrate: a whole guild copied from a SQLite file into an empty PostgreSQL database, in
 * one transaction, then compared table by table (store.h). The tables and their columns are
 * read from SQLite's own schema, so a table a later migration adds is copied without a change
 * here; the SQL is built from those names (checked to be plain identifiers), never from
 * values, which are bound as everywhere else. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/log.h"
#include "store_int.h"

#define COPY_MAX_COLS STMT_MAX_PARAMS

/* Not copied: sessions (members sign in again), leases (which process does what), the
 * search index (PostgreSQL's is rebuilt from the rows) and SQLite's own tables. */
static const char tables_sql[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
    "ESCAPE '\\' AND name NOT LIKE 'search\\_index%' ESCAPE '\\' "
    "AND name NOT IN ('sessions', 'leases') ORDER BY name";
static const char columns_sql[] = "SELECT name, upper(type) FROM pragma_table_info(?1) ORDER BY cid";
static const char pg_has_id_sql[] =
    "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = ?1 AND column_name = 'id'";

struct copy_table {
    char *name;
    int ncols;
    char *cols[COPY_MAX_COLS];
    char kind[COPY_MAX_COLS]; /* 'i' integer, 'r' real, 't' text */
    bool rowid_as_id;         /* SQLite's rowid becomes PostgreSQL's id (api_tokens) */
};

static bool plain_identifier(const char *s)
{
    if (s == NULL || s[0] == '\0' || strlen(s) > 63) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            return false;
        }
    }
    return true;
}

/* The columns of one SQLite table, and whether PostgreSQL names its rowid. */
static int read_columns(struct store *from, struct store *to, struct arena *a,
                        struct copy_table *t)
{
    struct stmt *st = stmt_get(from, columns_sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, t->name);
    bool has_id = false;
    int src;
    while ((src = stmt_next(from, st)) == 1 && t->ncols < COPY_MAX_COLS - 1) {
        const char *type = stmt_col_cstr(st, 1);
        char *col = stmt_col_text(a, st, 0);
        has_id |= strcmp(col, "id") == 0;
        t->kind[t->ncols] = strstr(type ? type : "", "INT") ? 'i'
                            : strstr(type ? type : "", "REAL") ? 'r' : 't';
        t->cols[t->ncols++] = col;
    }
    stmt_done(st);
    if (src == 1) {
        log_error("migrate: %s has more than %d columns", t->name, COPY_MAX_COLS - 1);
        return ERR_INVAL;
    }
    for (int i = 0; i < t->ncols; i++) {
        if (!plain_identifier(t->cols[i])) {
            log_error("migrate: %s has a column named %s", t->name, t->cols[i]);
            return ERR_INVAL;
        }
    }
    if (src < 0 || has_id) {
        return src < 0 ? src : 0;
    }
    struct stmt *q = stmt_get(to, pg_has_id_sql);
    int rc = q != NULL ? 0 : ERR_DB;
    if (q != NULL) {
        stmt_bind_text(q, 1, t->name);
        rc = stmt_step_one(to, q);
        if (rc == 0 && stmt_col_i64(q, 0) > 0) {
            t->rowid_as_id = true;
            t->kind[t->ncols] = 'i';
            t->cols[t->ncols++] = "id";
        }
        stmt_done(q);
    }
    return rc;
}

static int read_tables(struct store *from, struct store *to, struct arena *a,
                       struct copy_table **out, size_t *n)
{
    struct stmt *st = stmt_get(from, tables_sql);
    if (st == NULL) {
        return ERR_DB;
    }
    struct copy_table *list = NULL;
    size_t k = 0, cap = 0;
    int src;
    while ((src = stmt_next(from, st)) == 1) {
        list = store_grow(a, list, k, &cap, sizeof(*list));
        memset(&list[k], 0, sizeof(list[k]));
        list[k++].name = stmt_col_text(a, st, 0);
    }
    stmt_done(st);
    int rc = src;
    for (size_t i = 0; i < k && rc == 0; i++) {
        rc = plain_identifier(list[i].name) ? read_columns(from, to, a, &list[i]) : ERR_INVAL;
    }
    *out = list;
    *n = k;
    return rc;
}

/* "SELECT a, b, rowid FROM t" (what the engine that has the table calls each column). */
static char *select_sql(struct arena *a, const struct copy_table *t, bool on_pg)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_appendz(&b, "SELECT ");
    for (int i = 0; i < t->ncols; i++) {
        bool rowid = t->rowid_as_id && i == t->ncols - 1 && !on_pg;
        buf_appendz(&b, i ? ", " : "");
        buf_appendz(&b, rowid ? "rowid" : t->cols[i]);
    }
    buf_appendz(&b, " FROM ");
    buf_appendz(&b, t->name);
    char *sql = arena_strdup(a, buf_cstr(&b));
    buf_fini(&b);
    return sql;
}

static char *insert_sql(struct arena *a, const struct copy_table *t)
{
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_appendz(&b, "INSERT INTO ");
    buf_appendz(&b, t->name);
    buf_appendz(&b, " (");
    for (int i = 0; i < t->ncols; i++) {
        buf_appendz(&b, i ? ", " : "");
        buf_appendz(&b, t->cols[i]);
    }
    buf_appendz(&b, ") VALUES (");
    for (int i = 0; i < t->ncols; i++) {
        buf_appendz(&b, i ? ", ?" : "?");
    }
    buf_appendz(&b, ")");
    char *sql = arena_strdup(a, buf_cstr(&b));
    buf_fini(&b);
    return sql;
}

/* Copies one column of the current row of from into parameter i+1 of to, as its kind. */
static void copy_value(struct stmt *from, struct stmt *to, const struct copy_table *t, int i)
{
    if (stmt_col_null(from, i)) {
        stmt_bind_null(to, i + 1);
    } else if (t->kind[i] == 'i') {
        stmt_bind_i64(to, i + 1, stmt_col_i64(from, i));
    } else if (t->kind[i] == 'r') {
        stmt_bind_double(to, i + 1, stmt_col_double(from, i));
    } else {
        stmt_bind_text(to, i + 1, stmt_col_cstr(from, i));
    }
}

static int copy_rows(struct store *from, struct store *to, struct arena *a,
                     const struct copy_table *t, int64_t *copied)
{
    struct stmt *rd = stmt_new(from, select_sql(a, t, false));
    struct stmt *wr = stmt_new(to, insert_sql(a, t));
    int rc = rd == NULL || wr == NULL ? ERR_DB : 0, src = 0;
    *copied = 0;
    while (rc == 0 && (src = stmt_next(from, rd)) == 1) {
        for (int i = 0; i < t->ncols; i++) {
            copy_value(rd, wr, t, i);
        }
        rc = stmt_exec(to, wr);
        *copied += rc == 0;
    }
    rc = rc != 0 ? rc : src;
    stmt_free(rd);
    stmt_free(wr);
    return rc;
}

/* An order-free checksum of a table: the sum of each row's FNV-1a hash over its values in a
 * form both engines give alike (integers in decimal, reals to 17 digits, text as bytes). */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ c[i]) * UINT64_C(0x100000001b3);
    }
    return h;
}

static uint64_t row_hash(struct stmt *st, const struct copy_table *t)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (int i = 0; i < t->ncols; i++) {
        char num[40];
        const char *v = num;
        if (stmt_col_null(st, i)) {
            v = "\x01NULL";
        } else if (t->kind[i] == 'i') {
            snprintf(num, sizeof(num), "%lld", (long long)stmt_col_i64(st, i));
        } else if (t->kind[i] == 'r') {
            snprintf(num, sizeof(num), "%.17g", stmt_col_double(st, i));
        } else {
            v = stmt_col_cstr(st, i);
        }
        h = fnv1a(h, v, strlen(v) + 1); /* with its NUL: "ab","c" is not "a","bc" */
    }
    return h;
}

static int table_sum(struct store *s, struct arena *a, const struct copy_table *t,
                     int64_t *rows, uint64_t *sum)
{
    struct stmt *st = stmt_new(s, select_sql(a, t, store_on_pg(s)));
    if (st == NULL) {
        return ERR_DB;
    }
    *rows = 0;
    *sum = 0;
    int src;
    while ((src = stmt_next(s, st)) == 1) {
        *sum += row_hash(st, t);
        (*rows)++;
    }
    stmt_free(st);
    return src;
}

/* After the rows: PostgreSQL's search index from them (its triggers were off), and each
 * identity's next value past the copied ids. */
static int finish_copy(struct store *to, struct arena *a, const struct copy_table *t, size_t n)
{
    static const char *const index_sql[] = {
        "INSERT INTO search_index (rowid, title, body) "
        "SELECT 1099511627776 + id, title, text FROM entries",
        "INSERT INTO search_index (rowid, title, body) "
        "SELECT 2 * 1099511627776 + id, title, body FROM items",
        "INSERT INTO search_index (rowid, title, body) "
        "SELECT 3 * 1099511627776 + id, '', body FROM comments WHERE deleted = 0"};
    int rc = 0;
    for (size_t i = 0; i < sizeof(index_sql) / sizeof(index_sql[0]) && rc == 0; i++) {
        struct stmt *st = stmt_get(to, index_sql[i]);
        rc = st != NULL ? stmt_exec(to, st) : ERR_DB;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        bool has_id = false;
        for (int c = 0; c < t[i].ncols; c++) {
            has_id |= strcmp(t[i].cols[c], "id") == 0;
        }
        if (!has_id) {
            continue;
        }
        struct stmt *st = stmt_new(to, arena_printf(a,
            "SELECT setval(pg_get_serial_sequence('%s', 'id'), coalesce(max(id), 0) + 1, false) "
            "FROM %s", t[i].name, t[i].name));
        int src = st != NULL ? stmt_next(to, st) : ERR_DB;
        rc = src < 0 ? src : 0;
        stmt_free(st);
    }
    return rc;
}

static int copy_all(struct store *from, struct store *to, struct arena *a,
                    const struct copy_table *t, size_t n, struct store_migrate_table *report)
{
    int rc = store_tx_begin(to);
    if (rc != 0) {
        return rc;
    }
    /* off for the copy: foreign keys (rows come table by table, in any order; SQLite kept
     * its own foreign keys on, so they hold) and the counting triggers (the counters are
     * copied as they are). Nothing checks them again at COMMIT. */
    rc = pg_exec_plain(to->conn, "SET LOCAL session_replication_role = replica");
    if (rc != 0) {
        log_error("migrate: the PostgreSQL user must be a superuser, or be granted "
                  "SET ON PARAMETER session_replication_role");
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        report[i].table = t[i].name;
        rc = copy_rows(from, to, a, &t[i], &report[i].copied);
        if (rc != 0) {
            log_error("migrate: copying %s failed", t[i].name);
        }
    }
    if (rc == 0) {
        rc = finish_copy(to, a, t, n);
    }
    if (rc != 0) {
        store_tx_rollback(to);
        return rc;
    }
    if ((rc = store_tx_commit(to)) == 0 && pg_exec_plain(to->conn, "VACUUM (ANALYZE)") != 0) {
        /* statistics for the planner now, not when autovacuum gets to 400,000 new rows: the
         * first requests would otherwise be planned blind; and the visibility map, without
         * which autovacuum would vacuum every copied table during the first minutes of
         * serving (bench/cluster saw it take a core). Without either the copy still holds */
        log_warn("migrate: VACUUM failed; autovacuum will do it later");
    }
    return rc;
}

int store_migrate_guild(struct store *from, struct store *to, struct arena *a,
                        struct store_migrate_table **report, size_t *n)
{
    static const char used_sql[] = "SELECT (SELECT count(*) FROM users) + "
                                   "(SELECT count(*) FROM items) + (SELECT count(*) FROM invites)";
    *report = NULL;
    *n = 0;
    if (store_on_pg(from) || !store_on_pg(to)) {
        return ERR_INVAL;
    }
    struct stmt *st = stmt_get(to, used_sql);
    int rc = st != NULL ? stmt_step_one(to, st) : ERR_DB;
    int64_t used = rc == 0 ? stmt_col_i64(st, 0) : 0;
    stmt_done(st);
    if (rc != 0 || used > 0) {
        return rc != 0 ? rc : ERR_EXISTS;
    }
    struct copy_table *t = NULL;
    size_t nt = 0;
    if ((rc = read_tables(from, to, a, &t, &nt)) != 0) {
        return rc;
    }
    struct store_migrate_table *r = arena_alloc(a, (nt ? nt : 1) * sizeof(*r));
    memset(r, 0, (nt ? nt : 1) * sizeof(*r));
    if ((rc = copy_all(from, to, a, t, nt, r)) != 0) {
        return rc;
    }
    /* the copy is committed: a table that cannot be read back is reported as differing
     * (rows -1), not as a failed copy */
    for (size_t i = 0; i < nt; i++) {
        if (table_sum(from, a, &t[i], &r[i].rows_from, &r[i].sum_from) != 0 ||
            table_sum(to, a, &t[i], &r[i].rows_to, &r[i].sum_to) != 0) {
            log_error("migrate: %s could not be compared", t[i].name);
            r[i].rows_to = -1;
        }
    }
    *report = r;
    *n = nt;
    return 0;
}
