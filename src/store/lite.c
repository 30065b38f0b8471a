/* The SQLite engine: opening a file, its migrations, statements and WAL checkpoints. db.c
 * calls these; the store files see only the statement layer of store_int.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "store_int.h"

extern const char *const store_migrations[];
extern const char *const store_migrations_names[];

#define STORE_WAL_MAX_FRAMES 4096 /* 16 MB of 4 KB pages: past this, checkpoints truncate */

/* A failed statement's code as Guild's: a duplicate is ERR_EXISTS; a reference to a row that
 * is not there (foreign key), or a value the schema refuses (CHECK, NOT NULL), is ERR_INVAL:
 * neither is a duplicate, and answering "already exists" would mislead. */
static int lite_rc(sqlite3 *db, int src)
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

int lite_prepare(struct store_conn *c, struct stmt *st)
{
    if (sqlite3_prepare_v3(c->db, st->key, -1, SQLITE_PREPARE_PERSISTENT, &st->lite, NULL) !=
        SQLITE_OK) {
        log_error("sqlite prepare: %s", sqlite3_errmsg(c->db));
        return ERR_DB;
    }
    st->write = !sqlite3_stmt_readonly(st->lite);
    return 0;
}

int lite_step(struct stmt *st)
{
    int src = sqlite3_step(st->lite);
    if (src == SQLITE_ROW) {
        return 1;
    }
    if (src == SQLITE_ERROR && st->input_errors) {
        log_info("sqlite: %s", sqlite3_errmsg(sqlite3_db_handle(st->lite)));
        return ERR_INVAL;
    }
    return src == SQLITE_DONE ? 0 : lite_rc(sqlite3_db_handle(st->lite), src);
}

bool lite_autocommit(struct store_conn *c)
{
    return sqlite3_get_autocommit(c->db) != 0;
}

int lite_exec_plain(struct store_conn *c, const char *sql)
{
    int src = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return src == SQLITE_OK ? 0 : lite_rc(c->db, src);
}

void lite_close_conn(struct store_conn *c)
{
    sqlite3_close(c->db);
    c->db = NULL;
}

static int lite_schema_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

/* After a migration that edited the schema table's text (writable_schema: SQLite's way of
 * loosening a CHECK constraint), a new schema_version makes every connection re-read it. */
static int lite_schema_reread(sqlite3 *db, const char *migration, char **msg)
{
    if (strstr(migration, "writable_schema") == NULL) {
        return SQLITE_OK;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA schema_version", -1, &st, NULL);
    int version = rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (version < 0) {
        return SQLITE_ERROR;
    }
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA schema_version = %d", version + 1);
    return sqlite3_exec(db, sql, NULL, NULL, msg);
}

/* Applies each migration past user_version in its own transaction; the version bump is in the
 * same transaction, so a crash never leaves a half-applied migration. */
static int lite_migrate(sqlite3 *db)
{
    static const char *const bump[] = {
        "PRAGMA user_version = 1", "PRAGMA user_version = 2", "PRAGMA user_version = 3",
        "PRAGMA user_version = 4", "PRAGMA user_version = 5", "PRAGMA user_version = 6",
        "PRAGMA user_version = 7", "PRAGMA user_version = 8", "PRAGMA user_version = 9",
        "PRAGMA user_version = 10", "PRAGMA user_version = 11", "PRAGMA user_version = 12",
        "PRAGMA user_version = 13", "PRAGMA user_version = 14", "PRAGMA user_version = 15",
        "PRAGMA user_version = 16", "PRAGMA user_version = 17", "PRAGMA user_version = 18",
        "PRAGMA user_version = 19", "PRAGMA user_version = 20"};
    int have = lite_schema_version(db), latest = 0;
    while (store_migrations[latest] != NULL) {
        latest++;
    }
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
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
            lite_schema_reread(db, store_migrations[v], &msg) != SQLITE_OK ||
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

int lite_open(struct store *s, const char *path)
{
    if (sqlite3_open_v2(path, &s->own.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        log_error("cannot open database %s: %s", path,
                  s->own.db ? sqlite3_errmsg(s->own.db) : "out of memory");
        return ERR_IO;
    }
    sqlite3_busy_timeout(s->own.db, STORE_BUSY_MS);
    /* 8 MB of page cache per connection (SQLite's default is 2 MB; at 20,000 links the write
     * mix spent a fifth of its time in pread). No mmap: measured, it read pages ~3% faster but
     * cut the write mix from ~2,500 to ~650 requests/s on this VM (page faults on a
     * paravirtualised host are dear) */
    static const char pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                  "PRAGMA cache_size=-8000;";
    char *msg = NULL;
    if (sqlite3_exec(s->own.db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("cannot configure database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        return ERR_IO;
    }
    int rc = lite_migrate(s->own.db);
    if (rc == 0) {
        store_health_remember(s, path);
    }
    return rc;
}

int store_schema_version(struct store *s)
{
    if (store_on_pg(s)) {
        struct stmt *st = stmt_get(s, "SELECT coalesce(max(version), 0) FROM schema_migrations");
        int v = st != NULL && stmt_step_one(s, st) == 0 ? stmt_col_int(st, 0) : -1;
        stmt_done(st);
        return v;
    }
    return lite_schema_version(s->own.db);
}

int store_autocheckpoint(struct store *s, bool on)
{
    if (store_on_pg(s)) {
        return 0;
    }
    return lite_exec_plain(&s->own, on ? "PRAGMA wal_autocheckpoint=1000"
                                       : "PRAGMA wal_autocheckpoint=0");
}

void store_checkpoint(struct store *s, bool truncate)
{
    if (store_on_pg(s)) {
        return; /* the server checkpoints its own WAL */
    }
    int log = 0, done = 0;
    int src = sqlite3_wal_checkpoint_v2(s->conn->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (src == SQLITE_OK && (truncate || log > STORE_WAL_MAX_FRAMES)) {
        /* under steady writes a passive checkpoint never catches up and the WAL never
         * restarts: hold the writers off for the remainder and empty it */
        store_writer_hold(s, true);
        src = sqlite3_wal_checkpoint_v2(s->conn->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        store_writer_hold(s, false);
    }
    if (src != SQLITE_OK && src != SQLITE_BUSY) {
        log_warn("WAL checkpoint failed: %s", sqlite3_errmsg(s->conn->db));
    }
}
