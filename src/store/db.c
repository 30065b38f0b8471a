/* The store's engine-neutral core: opening either engine, the statement layer (cache,
 * bindings, rows, writes), the writer lock and transactions. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "store_int.h"

extern const char *const store_migrations[];
extern const char *const store_pg_migrations[];

static atomic_uint_fast64_t store_writes, store_auth_writes;

uint64_t store_write_seq(void)
{
    return atomic_load(&store_writes);
}

void store_note_write(void)
{
    atomic_fetch_add(&store_writes, 1);
}

uint64_t store_auth_seq(void)
{
    return atomic_load(&store_auth_writes);
}

void store_note_auth_write(void)
{
    atomic_fetch_add(&store_auth_writes, 1);
}

/* Whether a write's SQL names a table that says who a session or token is: read once, when
 * the statement is made; a word in a string literal only costs a cache miss. */
static bool sql_writes_auth(const char *sql)
{
    return strstr(sql, "users") != NULL || strstr(sql, "sessions") != NULL ||
           strstr(sql, "api_tokens") != NULL;
}

int64_t store_last_id(const struct store *s)
{
    return s->last_id;
}

int store_changes(const struct store *s)
{
    return s->changes;
}

bool store_is_pg(const char *db)
{
    return strncmp(db, "postgresql:", 11) == 0 || strncmp(db, "postgres:", 9) == 0;
}

const char *store_db_shown(const char *db)
{
    bool uri = store_is_pg(db) || strstr(db, "://") != NULL;
    return uri ? "(the database in --db; see the log above)" : db;
}

int store_schema_latest(const struct store *s)
{
    const char *const *m = store_on_pg(s) ? store_pg_migrations : store_migrations;
    int n = 0;
    while (m[n] != NULL) {
        n++;
    }
    return n;
}

/* A statement on connection c, for its engine; named name on PostgreSQL. */
static struct stmt *stmt_make(struct store_conn *c, const char *sql, const char *pg_sql,
                              const char *name)
{
    struct stmt *st = xcalloc(1, sizeof(*st));
    st->key = sql;
    st->conn = c;
    int rc;
    if (c->pg != NULL) {
        snprintf(st->name, sizeof(st->name), "%s", name);
        rc = pg_prepare(c, st, pg_sql != NULL ? pg_sql : sql);
    } else {
        rc = lite_prepare(c, st);
    }
    if (rc != 0) {
        free(st->pg_sql);
        free(st);
        return NULL;
    }
    st->auth = st->write && sql_writes_auth(sql);
    return st;
}

struct stmt *stmt_get_for(struct store *s, const char *sqlite_sql, const char *pg_sql)
{
    struct store_conn *c = s->conn;
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i]->key == sqlite_sql) {
            return c->cache[i];
        }
    }
    if (c->ncache == STORE_STMT_CACHE) {
        abort(); /* the cache is sized for every statement in the tree */
    }
    char name[16];
    snprintf(name, sizeof(name), "g%d", c->ncache);
    struct stmt *st = stmt_make(c, sqlite_sql, pg_sql, name);
    if (st != NULL) {
        c->cache[c->ncache++] = st;
    }
    return st;
}

struct stmt *stmt_new(struct store *s, const char *sql)
{
    static atomic_int made;
    char name[16];
    snprintf(name, sizeof(name), "t%d", atomic_fetch_add(&made, 1));
    char *copy = xstrdup(sql);
    struct stmt *st = stmt_make(s->conn, copy, NULL, name);
    if (st == NULL) {
        free(copy);
        return NULL;
    }
    st->sql_copy = copy;
    return st;
}

void stmt_free(struct stmt *st)
{
    if (st == NULL) {
        return;
    }
    stmt_done(st);
    sqlite3_finalize(st->lite);
    if (st->prepared && st->conn->pg != NULL && st->generation == st->conn->pg_generation &&
        !st->conn->pg_tx_failed) {
        char sql[40];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->name);
        pg_exec_plain(st->conn, sql);
    }
    free(st->pg_sql);
    free(st->sql_copy);
    free(st);
}

struct stmt *stmt_get(struct store *s, const char *sql)
{
    return stmt_get_for(s, sql, NULL);
}

void stmt_done(struct stmt *st)
{
    if (st == NULL) {
        return;
    }
    if (st->lite != NULL) {
        sqlite3_reset(st->lite);
        sqlite3_clear_bindings(st->lite);
    } else {
        pg_stmt_clear(st);
    }
    st->err = 0;
    st->input_errors = false;
}

/* PostgreSQL takes every value as text, typed by the statement's first run. */
static void pg_bind(struct stmt *st, int i, Oid type, const char *v, bool copy)
{
    if (i < 1 || i > STMT_MAX_PARAMS) {
        st->err = ERR_DB;
        return;
    }
    int k = i - 1;
    free(st->owned[k]);
    st->owned[k] = NULL;
    if (v != NULL && copy) {
        v = st->owned[k] = xstrdup(v);
    }
    st->vals[k] = v;
    if (!st->prepared) {
        st->types[k] = type;
    }
    if (i > st->nparams) {
        st->nparams = i;
    }
}

/* Keeps the first failed binding for the run to report. */
static void lite_bound(struct stmt *st, int src)
{
    if (src != SQLITE_OK && st->err == 0) {
        log_error("sqlite bind: %s", sqlite3_errstr(src));
        st->err = src == SQLITE_TOOBIG ? ERR_TOOBIG : ERR_DB;
    }
}

void stmt_bind_text(struct stmt *st, int i, const char *v)
{
    if (st->lite != NULL) {
        lite_bound(st, sqlite3_bind_text(st->lite, i, v ? v : "", -1, SQLITE_TRANSIENT));
    } else {
        pg_bind(st, i, 0, v ? v : "", true);
    }
}

void stmt_bind_i64(struct stmt *st, int i, int64_t v)
{
    if (st->lite != NULL) {
        lite_bound(st, sqlite3_bind_int64(st->lite, i, v));
    } else if (i >= 1 && i <= STMT_MAX_PARAMS) {
        snprintf(st->num[i - 1], sizeof(st->num[0]), "%lld", (long long)v);
        pg_bind(st, i, 20 /* int8 */, st->num[i - 1], false);
    } else {
        st->err = ERR_DB;
    }
}

void stmt_bind_double(struct stmt *st, int i, double v)
{
    if (st->lite != NULL) {
        lite_bound(st, sqlite3_bind_double(st->lite, i, v));
    } else if (i >= 1 && i <= STMT_MAX_PARAMS) {
        snprintf(st->num[i - 1], sizeof(st->num[0]), "%.17g", v);
        pg_bind(st, i, 701 /* float8 */, st->num[i - 1], false);
    } else {
        st->err = ERR_DB;
    }
}

void stmt_bind_null(struct stmt *st, int i)
{
    if (st->lite != NULL) {
        lite_bound(st, sqlite3_bind_null(st->lite, i));
    } else {
        pg_bind(st, i, 0, NULL, false);
    }
}

void stmt_input_errors(struct stmt *st)
{
    st->input_errors = true;
}

int stmt_next(struct store *s, struct stmt *st)
{
    (void)s;
    if (st->err != 0) {
        return st->err;
    }
    if (st->lite != NULL) {
        return lite_step(st);
    }
    if (st->res == NULL) {
        int changes = 0;
        int rc = pg_run_stmt(st, &changes);
        if (rc != 0) {
            return rc;
        }
        st->row = -1;
    }
    return ++st->row < st->nrows ? 1 : 0;
}

static const char *pg_value(struct stmt *st, int i)
{
    if (st->res == NULL || st->row < 0 || st->row >= st->nrows || i >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, i)) {
        return NULL;
    }
    return PQgetvalue(st->res, st->row, i);
}

int64_t stmt_col_i64(struct stmt *st, int i)
{
    if (st->lite != NULL) {
        return sqlite3_column_int64(st->lite, i);
    }
    const char *v = pg_value(st, i);
    if (v == NULL) {
        return 0;
    }
    if (v[0] == 't' || v[0] == 'f') { /* a boolean expression: SQLite's 1 and 0 */
        return v[0] == 't';
    }
    return strtoll(v, NULL, 10);
}

int stmt_col_int(struct stmt *st, int i)
{
    return (int)stmt_col_i64(st, i);
}

double stmt_col_double(struct stmt *st, int i)
{
    if (st->lite != NULL) {
        return sqlite3_column_double(st->lite, i);
    }
    const char *v = pg_value(st, i);
    return v != NULL ? strtod(v, NULL) : 0.0;
}

bool stmt_col_null(struct stmt *st, int i)
{
    if (st->lite != NULL) {
        return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
    }
    return pg_value(st, i) == NULL;
}

char *stmt_col_text(struct arena *a, struct stmt *st, int i)
{
    if (st->lite != NULL) {
        const unsigned char *t = sqlite3_column_text(st->lite, i);
        return t == NULL ? arena_strdup(a, "")
                         : arena_strndup(a, (const char *)t,
                                         (size_t)sqlite3_column_bytes(st->lite, i));
    }
    const char *v = pg_value(st, i);
    if (v == NULL) {
        return arena_strdup(a, "");
    }
    return arena_strndup(a, v, (size_t)PQgetlength(st->res, st->row, i));
}

const char *stmt_col_cstr(struct stmt *st, int i)
{
    if (st->lite != NULL) {
        return (const char *)sqlite3_column_text(st->lite, i);
    }
    return pg_value(st, i);
}

int stmt_param_count(struct stmt *st)
{
    return st->lite != NULL ? sqlite3_bind_parameter_count(st->lite) : st->nparams;
}

int stmt_step_one(struct store *s, struct stmt *st)
{
    int rc = stmt_next(s, st);
    return rc == 1 ? 0 : rc == 0 ? ERR_NOTFOUND : rc;
}

/* One writer at a time per process, taken before the engine's own locks: on SQLite,
 * concurrent writers then queue on a mutex instead of SQLite's busy handler, which sleeps
 * 1-100 ms between retries (with 64 writing connections the sleeps, not the writes, set the
 * pace); other processes (the CLI) still meet the busy timeout. On PostgreSQL there is no
 * such lock: each store writes on its own connection and meets the others at PostgreSQL's
 * row locks, as other nodes' transactions do (one lock per process made a write
 * transaction's dozen round trips the node's whole write rate: 650 req/s in bench/cluster's
 * write mix with a third of the CPU idle). A deadlock PostgreSQL breaks is ERR_BUSY. */
static pthread_mutex_t store_writer = PTHREAD_MUTEX_INITIALIZER;

static bool conn_autocommit(struct store_conn *c)
{
    return c->pg != NULL ? !c->pg_in_tx : lite_autocommit(c);
}

/* Takes the writer lock, and with it the pool's writing connection. */
static void writer_lock(struct store *s)
{
    if (!s->write_locked && s->own.pg == NULL) {
        pthread_mutex_lock(&store_writer);
        s->write_locked = true;
        if (s->writer != NULL) {
            s->conn = s->writer;
        }
    }
}

/* Releases the writer lock once the connection is back in autocommit (the transaction is
 * over). */
static void writer_unlock_if_done(struct store *s)
{
    if (s->write_locked && conn_autocommit(s->conn)) {
        s->write_locked = false;
        s->conn = &s->own;
        pthread_mutex_unlock(&store_writer);
    }
}

void store_writer_hold(struct store *s, bool hold)
{
    if (hold) {
        writer_lock(s);
    } else {
        writer_unlock_if_done(s);
    }
}

/* Runs a write statement to its end; the id of a RETURNING row is kept. */
static int exec_run(struct store *s, struct stmt *st)
{
    if (st->err != 0) {
        return st->err;
    }
    if (st->conn->pg != NULL) {
        int rc = pg_run_stmt(st, &s->changes);
        if (rc == 0 && st->nrows > 0) {
            st->row = 0;
            s->last_id = stmt_col_i64(st, 0);
        }
        return rc;
    }
    int rc;
    while ((rc = lite_step(st)) == 1) {
        s->last_id = sqlite3_column_int64(st->lite, 0);
    }
    s->changes = sqlite3_changes(sqlite3_db_handle(st->lite));
    return rc;
}

int stmt_exec(struct store *s, struct stmt *st)
{
    bool write = st->write, auth = st->auth;
    if (write) {
        writer_lock(s); /* a no-op inside a transaction, which holds it already */
    }
    /* A single write outside a transaction was prepared on the store's own connection (the
     * lock was not held yet) and runs there, as before the writer connection existed: its
     * bindings cannot move to another connection (their memory belongs to this one). Inside
     * a transaction every statement comes from the writer. */
    int rc;
    if (write && st->conn != s->conn && !conn_autocommit(s->conn)) {
        log_error("store: a write prepared before its transaction began; not run");
        rc = ERR_DB;
    } else {
        rc = exec_run(s, st);
    }
    stmt_done(st);
    if (write) {
        writer_unlock_if_done(s);
    }
    if (rc == 0 && write && !s->quiet) {
        store_note_write();
    }
    if (rc == 0 && auth && s->changes > 0) { /* now, and again at the commit if in a transaction */
        store_note_auth_write();
        s->auth_written = !conn_autocommit(s->conn);
    }
    s->quiet = false;
    return rc;
}

int store_open(const char *path, struct store **out)
{
    const char *scheme = strstr(path, "://");
    if (!store_is_pg(path) && strncmp(path, "sqlite:", 7) != 0 && scheme != NULL &&
        strcspn(path, "/") > (size_t)(scheme - path)) {
        /* "postgresq://..." or "mysql://...": a URI of no engine here, not a file name */
        log_error("--db %.*s://...: not a database this build opens (a file path, sqlite:PATH "
                  "or postgresql://...)", (int)(scheme - path), path);
        return ERR_INVAL;
    }
    struct store *s = xcalloc(1, sizeof(*s));
    s->conn = &s->own;
    int rc = store_is_pg(path) ? pg_open(s, path)
                               : lite_open(s, strncmp(path, "sqlite:", 7) == 0 ? path + 7 : path);
    if (rc != 0) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (s == NULL) {
        return;
    }
    store_tx_rollback(s); /* and the writer lock with it */
    for (int i = 0; i < s->own.ncache; i++) {
        struct stmt *st = s->own.cache[i];
        stmt_done(st);
        sqlite3_finalize(st->lite);
        free(st->pg_sql);
        free(st);
    }
    if (s->own.pg != NULL) {
        pg_close_conn(&s->own);
    } else {
        lite_close_conn(&s->own);
    }
    free(s);
}

static int conn_exec(struct store_conn *c, const char *sql)
{
    return c->pg != NULL ? pg_exec_plain(c, sql) : lite_exec_plain(c, sql);
}

/* Transactions nest by depth: only the outermost BEGIN/COMMIT reach the engine, so a store
 * function that needs atomicity can run inside a caller's batch (the demo loader). A rollback
 * at any depth abandons the whole batch; the outer commit then reports ERR_DB. */
int store_tx_begin(struct store *s)
{
    if (s->tx_depth > 0) {
        s->tx_depth++;
        return 0;
    }
    writer_lock(s); /* first: BEGIN runs on the writing connection */
    int rc = conn_exec(s->conn, s->conn->pg != NULL ? "BEGIN" : "BEGIN IMMEDIATE");
    if (rc != 0) {
        writer_unlock_if_done(s);
        return rc;
    }
    s->tx_depth = 1;
    return 0;
}

int store_tx_commit(struct store *s)
{
    if (s->tx_depth > 1) {
        s->tx_depth--;
        return 0;
    }
    if (s->tx_depth == 0 || conn_autocommit(s->conn) || s->conn->pg_tx_failed) {
        /* what the failed statement met when PostgreSQL failed it (a lost server: 503, a
         * deadlock: busy), else an inner rollback already abandoned this transaction */
        int rc = s->conn->pg_tx_failed && s->conn->pg_tx_error != 0 ? s->conn->pg_tx_error
                                                                     : ERR_DB;
        log_warn("store: a transaction ended without its work (depth %d, %s)", s->tx_depth,
                 s->conn->pg_tx_failed ? "a statement in it failed" : "rolled back");
        store_tx_rollback(s);
        s->tx_depth = 0;
        return rc;
    }
    int rc = conn_exec(s->conn, "COMMIT");
    if (rc != 0) {
        store_tx_rollback(s);
        s->tx_depth = 0;
        return rc;
    }
    s->tx_depth = 0;
    writer_unlock_if_done(s);
    store_note_write();
    if (s->auth_written) {
        store_note_auth_write();
        s->auth_written = false;
    }
    return 0;
}

void store_tx_rollback(struct store *s)
{
    s->auth_written = false;
    if (!conn_autocommit(s->conn)) {
        conn_exec(s->conn, "ROLLBACK");
    }
    writer_unlock_if_done(s);
    if (s->tx_depth > 0) {
        s->tx_depth = -1; /* remembered until the outer commit sees it */
    }
}

int store_exec_tx(struct store *s, const char *const *sql, size_t n, const int64_t *args,
                  int nargs, int *changed)
{
    int rc = store_tx_begin(s);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stmt *st = stmt_get(s, sql[i]);
        if (st == NULL) {
            rc = ERR_DB;
            break;
        }
        for (int k = 0; k < nargs; k++) {
            stmt_bind_i64(st, k + 1, args[k]);
        }
        rc = stmt_exec(s, st);
    }
    if (changed != NULL) {
        *changed = rc == 0 ? store_changes(s) : 0;
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

const char *store_engine(const struct store *s)
{
    return store_on_pg(s) ? "postgresql" : "sqlite";
}
