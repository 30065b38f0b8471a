/* Connection lifecycle, migrations, pool, transactions and the statement cache. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "store_int.h"


extern const char *const store_migrations[];
extern const char *const store_migrations_names[];

static atomic_uint_fast64_t store_writes;

uint64_t store_write_seq(void)
{
    return atomic_load(&store_writes);
}

void store_note_write(void)
{
    atomic_fetch_add(&store_writes, 1);
}

/* A failed statement's code as Guild's: a duplicate is ERR_EXISTS; a reference to a row that
 * is not there (foreign key), or a value the schema refuses (CHECK, NOT NULL), is ERR_INVAL:
 * neither is a duplicate, and answering "already exists" would mislead. */
static int store_rc_db(sqlite3 *db, int src)
{
    if ((src & 0xff) == SQLITE_CONSTRAINT) {
        int ext = sqlite3_extended_errcode(db);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ||
            ext == SQLITE_CONSTRAINT_ROWID) {
            return ERR_EXISTS;
        }
        log_warn("sqlite: %s (%d)", sqlite3_errmsg(db), ext);
        return ERR_INVAL;
    }
    if ((src & 0xff) == SQLITE_BUSY) { /* (SQLITE_LOCKED would be a bug of ours: ERR_DB) */
        log_warn("sqlite: still locked by another process after %d s: %s", STORE_BUSY_MS / 1000,
                 sqlite3_errmsg(db));
        return ERR_BUSY;
    }
    log_error("sqlite: %s (%d)", sqlite3_errmsg(db), src);
    return ERR_DB;
}

int store_rc(struct store *s, int src)
{
    return store_rc_db(s->conn->db, src);
}

int64_t store_last_id(const struct store *s)
{
    return s->last_id;
}

int store_changes(const struct store *s)
{
    return s->changes;
}

sqlite3_stmt *stmt_get(struct store *s, const char *sql)
{
    struct store_conn *c = s->conn;
    for (int i = 0; i < c->ncache; i++) {
        if (c->cache[i].sql == sql) {
            return c->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("sqlite prepare: %s", sqlite3_errmsg(c->db));
        return NULL;
    }
    if (c->ncache < STORE_STMT_CACHE) {
        c->cache[c->ncache].sql = sql;
        c->cache[c->ncache].st = st;
        c->ncache++;
    } else {
        abort(); /* the cache is sized for every statement in the tree */
    }
    return st;
}

void stmt_done(sqlite3_stmt *st)
{
    if (st != NULL) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

int stmt_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

int stmt_bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st, i, v);
}

char *stmt_col_text(struct arena *a, sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (t == NULL) {
        return arena_strdup(a, "");
    }
    return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int stmt_step_one(struct store *s, sqlite3_stmt *st)
{
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        return 0;
    }
    return src == SQLITE_DONE ? ERR_NOTFOUND : store_rc(s, src);
}

/* One writer at a time per process, taken before SQLite's own lock: concurrent writers then
 * queue on a mutex instead of SQLite's busy handler, which sleeps 1-100 ms between retries
 * (with 64 writing connections the sleeps, not the writes, set the pace). Other processes
 * (the CLI) still meet the busy timeout. */
static pthread_mutex_t store_writer = PTHREAD_MUTEX_INITIALIZER;
#define STORE_WAL_MAX_FRAMES 4096 /* 16 MB of 4 KB pages: past this, checkpoints truncate */

/* Takes the writer lock, and with it the pool's writing connection. */
static void writer_lock(struct store *s)
{
    if (!s->write_locked) {
        pthread_mutex_lock(&store_writer);
        s->write_locked = true;
        if (s->writer != NULL) {
            s->conn = s->writer;
        }
    }
}

/* Releases the writer lock once SQLite is back in autocommit (the transaction is over). */
static void writer_unlock_if_done(struct store *s)
{
    if (s->write_locked && sqlite3_get_autocommit(s->conn->db)) {
        s->write_locked = false;
        s->conn = &s->own;
        pthread_mutex_unlock(&store_writer);
    }
}

int stmt_exec(struct store *s, sqlite3_stmt *st)
{
    bool write = !sqlite3_stmt_readonly(st);
    if (write) {
        writer_lock(s); /* a no-op inside a transaction, which holds it already */
    }
    /* A single write outside a transaction was prepared on the store's own connection (the
     * lock was not held yet) and runs there, as before the writer connection existed: its
     * bindings cannot move to another connection (their memory belongs to this one). Inside
     * a transaction every statement comes from the writer. */
    sqlite3 *db = sqlite3_db_handle(st);
    int rc;
    if (write && db != s->conn->db && !sqlite3_get_autocommit(s->conn->db)) {
        log_error("sqlite: a write prepared before its transaction began; not run");
        rc = ERR_DB;
    } else {
        int src = sqlite3_step(st);
        rc = src == SQLITE_DONE ? 0 : store_rc_db(db, src);
    }
    if (write) {
        s->last_id = sqlite3_last_insert_rowid(db);
        s->changes = sqlite3_changes(db);
    }
    stmt_done(st);
    if (write) {
        writer_unlock_if_done(s);
    }
    if (rc == 0 && write && !s->quiet) {
        store_note_write();
    }
    s->quiet = false;
    return rc;
}

int store_schema_latest(void)
{
    int n = 0;
    while (store_migrations[n] != NULL) {
        n++;
    }
    return n;
}

int store_schema_version(struct store *s)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->own.db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

/* Applies each migration past user_version in its own transaction; the version bump is in the
 * same transaction, so a crash never leaves a half-applied migration. */
static int store_migrate(struct store *s)
{
    static const char *const bump[] = {
        "PRAGMA user_version = 1", "PRAGMA user_version = 2", "PRAGMA user_version = 3",
        "PRAGMA user_version = 4", "PRAGMA user_version = 5", "PRAGMA user_version = 6",
        "PRAGMA user_version = 7", "PRAGMA user_version = 8", "PRAGMA user_version = 9",
        "PRAGMA user_version = 10", "PRAGMA user_version = 11", "PRAGMA user_version = 12"};
    int have = store_schema_version(s), latest = store_schema_latest();
    if (have < 0) {
        return ERR_DB;
    }
    if (have > latest) {
        log_error("database schema %d is newer than this binary (%d)", have, latest);
        return ERR_INVAL;
    }
    if (latest > (int)(sizeof(bump) / sizeof(bump[0]))) {
        abort(); /* extend bump[] with the migration */
    }
    for (int v = have; v < latest; v++) {
        char *msg = NULL;
        sqlite3 *db = s->own.db;
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, bump[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            log_error("migration %s failed: %s", store_migrations_names[v], msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return ERR_DB;
        }
        log_info("applied migration %s", store_migrations_names[v]);
    }
    return 0;
}

int store_open(const char *path, struct store **out)
{
    struct store *s = xcalloc(1, sizeof(*s));
    s->conn = &s->own;
    int rc = ERR_DB;
    if (sqlite3_open_v2(path, &s->own.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        log_error("cannot open database %s: %s", path,
                  s->own.db ? sqlite3_errmsg(s->own.db) : "out of memory");
        rc = ERR_IO;
        goto fail;
    }
    sqlite3_busy_timeout(s->own.db, STORE_BUSY_MS);
    /* 8 MB of page cache per connection (SQLite's default is 2 MB; at 20,000 links the write
     * mix spent a fifth of its time in pread). No mmap: measured, it read pages ~3% faster but cut the write mix from ~2,500 to ~650
     * requests/s on this VM (page faults on a paravirtualised host are dear) */
    static const char pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                  "PRAGMA cache_size=-8000;";
    char *msg = NULL;
    if (sqlite3_exec(s->own.db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("cannot configure database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        rc = ERR_IO;
        goto fail;
    }
    rc = store_migrate(s);
    if (rc != 0) {
        goto fail;
    }
    store_health_remember(s, path);
    *out = s;
    return 0;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (s == NULL) {
        return;
    }
    store_tx_rollback(s); /* and the writer lock with it */
    for (int i = 0; i < s->own.ncache; i++) {
        sqlite3_finalize(s->own.cache[i].st);
    }
    sqlite3_close(s->own.db);
    free(s);
}

/* Transactions nest by depth: only the outermost BEGIN/COMMIT reach SQLite, so a store
 * function that needs atomicity can run inside a caller's batch (the demo loader). A rollback
 * at any depth abandons the whole batch; the outer commit then reports ERR_DB. */
int store_tx_begin(struct store *s)
{
    static const char sql[] = "BEGIN IMMEDIATE";
    if (s->tx_depth > 0) {
        s->tx_depth++;
        return 0;
    }
    writer_lock(s); /* first: BEGIN runs on the writing connection */
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        writer_unlock_if_done(s);
        return ERR_DB;
    }
    int src = sqlite3_step(st);
    stmt_done(st);
    if (src != SQLITE_DONE) {
        writer_unlock_if_done(s);
        return store_rc(s, src);
    }
    s->tx_depth = 1;
    return 0;
}

int store_tx_commit(struct store *s)
{
    static const char sql[] = "COMMIT";
    if (s->tx_depth > 1) {
        s->tx_depth--;
        return 0;
    }
    if (s->tx_depth == 0 || sqlite3_get_autocommit(s->conn->db)) {
        s->tx_depth = 0;
        writer_unlock_if_done(s);
        return ERR_DB; /* an inner rollback already abandoned this transaction */
    }
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int src = sqlite3_step(st);
    stmt_done(st);
    if (src != SQLITE_DONE) {
        int rc = store_rc(s, src);
        store_tx_rollback(s);
        return rc;
    }
    s->tx_depth = 0;
    writer_unlock_if_done(s);
    store_note_write();
    return 0;
}

void store_tx_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->conn->db)) {
        sqlite3_exec(s->conn->db, "ROLLBACK", NULL, NULL, NULL);
    }
    writer_unlock_if_done(s);
    if (s->tx_depth > 0) {
        s->tx_depth = -1; /* remembered until the outer commit sees it */
    }
}

int store_autocheckpoint(struct store *s, bool on)
{
    char *err = NULL;
    int src = sqlite3_exec(s->own.db, on ? "PRAGMA wal_autocheckpoint=1000" : "PRAGMA wal_autocheckpoint=0",
                           NULL, NULL, &err);
    sqlite3_free(err);
    return src == SQLITE_OK ? 0 : ERR_DB;
}

void store_checkpoint(struct store *s, bool truncate)
{
    int log = 0, done = 0;
    int src = sqlite3_wal_checkpoint_v2(s->conn->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (src == SQLITE_OK && (truncate || log > STORE_WAL_MAX_FRAMES)) {
        /* under steady writes a passive checkpoint never catches up and the WAL never
         * restarts: hold the writers off for the remainder and empty it */
        writer_lock(s);
        src = sqlite3_wal_checkpoint_v2(s->conn->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        writer_unlock_if_done(s);
    }
    if (src != SQLITE_OK && src != SQLITE_BUSY) {
        log_warn("WAL checkpoint failed: %s", sqlite3_errmsg(s->conn->db));
    }
}

int store_exec_tx(struct store *s, const char *const *sql, size_t n, const int64_t *args,
                  int nargs, int *changed)
{
    int rc = store_tx_begin(s);
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_stmt *st = stmt_get(s, sql[i]);
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

void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem)
{
    if (arr != NULL && k < *cap) {
        return arr;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    if (elem == 0 || ncap < *cap || ncap > SIZE_MAX / elem) {
        log_error("store: a result of %zu rows of %zu bytes does not fit in memory", k, elem);
        abort(); /* as an allocation failure: no caller could go on with a cut list */
    }
    void *bigger = arena_alloc(a, ncap * elem);
    if (arr != NULL && k > 0) {
        memcpy(bigger, arr, k * elem);
    }
    *cap = ncap;
    return bigger;
}
