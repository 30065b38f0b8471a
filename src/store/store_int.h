/* Internal to src/store: the connection struct, the two engines and the statement layer every
 * store file uses alike on both (docs/STORE.md). */
#ifndef GUILD_STORE_INT_H
#define GUILD_STORE_INT_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/types.h>

#include "../core/util.h"
#include "store.h"

#define STORE_STMT_CACHE 256 /* every static statement in the tree fits (about 200) */
#define STMT_MAX_PARAMS 48

/* How long a statement waits for another process's write lock (a `guild fetch` from cron,
 * which commits every 25 entries) before it gives up with ERR_BUSY. Within one process writers
 * queue on a mutex instead and never meet it; the one waiting here holds that mutex, so the
 * wait is bounded well below what would stall every writer of the site for long. */
#define STORE_BUSY_MS 10000

/* A prepared statement of either engine, cached on its connection (owned by it, freed with it).
 * Borrowed by the store function that asked for it until stmt_done. Bindings are copied. */
struct stmt {
    const char *key; /* identity: the static SQLite string's address */
    char *sql_copy;  /* stmt_new's own copy of its SQL (key points to it) */
    struct store_conn *conn;
    sqlite3_stmt *lite;
    /* PostgreSQL: prepared on first run with the types of that run's bindings */
    char *pg_sql; /* the statement in PostgreSQL's terms (owned) */
    char name[16];
    bool prepared, write;
    bool auth; /* a write that may change who a session or token is (store_auth_seq) */
    unsigned generation; /* its connection's pg_generation when prepared */
    int nparams;
    uint64_t unused; /* bit k: $k+1 appears nowhere in the SQL */
    Oid types[STMT_MAX_PARAMS];
    const char *vals[STMT_MAX_PARAMS]; /* into num[] or owned[] (NULL is SQL NULL) */
    char *owned[STMT_MAX_PARAMS];
    char num[STMT_MAX_PARAMS][26]; /* an int64 or a %.17g double */
    PGresult *res; /* this run's rows */
    int row, nrows;
    int err; /* the first failed binding, reported by the run */
    bool input_errors; /* a failed run is the input's fault (stmt_input_errors) */
};

/* One connection of either engine and the statements prepared on it. */
struct store_conn {
    sqlite3 *db; /* exactly one of db and pg */
    PGconn *pg;
    struct stmt *cache[STORE_STMT_CACHE];
    int ncache;
    bool pg_in_tx, pg_tx_failed; /* PostgreSQL: inside BEGIN; a statement in it failed */
    bool pg_begin_pending;       /* BEGIN not sent yet: it goes with the first statement */
    int pg_tx_error;             /* what the failed statement met (its commit reports it) */
    bool pg_listening;           /* LISTEN guild_writes was sent on this connection */
    unsigned pg_generation;      /* reconnections so far: older statements prepare again */
    int64_t pg_notices;          /* write notices received (pg_write_notices) */
    int64_t pg_auth_notices;     /* of which about members, sessions or tokens */
    /* the database file this connection opened, to notice it moved or deleted (health.c) */
    dev_t file_dev;
    ino_t file_ino;
    bool have_file;
};

/* A pooled SQLite store runs its write transactions on the pool's one writing connection: a
 * connection's page cache is emptied whenever another connection has written since its last
 * transaction, so with every worker writing, each write transaction started cold (53 preads
 * a write in the API write mix), inside the writer lock. The writer only sees its own writes:
 * its cache stays warm. Reads, and single writes outside a transaction, stay on the store's
 * own connection. On PostgreSQL every store writes on its own connection. */
struct store {
    struct store_conn own;
    struct store_conn *conn;   /* in use: &own, or *writer while holding the writer lock */
    struct store_conn *writer; /* the pool's writing connection; NULL outside a pool */
    int tx_depth;
    bool write_locked; /* holds the process's writer lock (db.c) */
    bool auth_written; /* the open transaction ran an auth write (stmt.auth) */
    bool quiet;        /* the next write changes nothing a page shows (a lease): no cache
                        * invalidation for it (db.c stmt_exec) */
    int64_t last_id;   /* the id of this store's last INSERT ... RETURNING id, and the rows
                        * its last write changed */
    int changes;
};

static inline bool store_on_pg(const struct store *s)
{
    return s->own.pg != NULL;
}

/* --- the statement layer (db.c), the same on both engines --- */

/* The prepared statement for a static SQL literal, prepared once per connection; ?N
 * parameters (PostgreSQL's $N are derived). Borrowed: call stmt_done after use. NULL on
 * failure (logged). stmt_get_for picks pg when on PostgreSQL: for the statements whose SQL
 * differs (full-text search, JSON), written next to each other. */
struct stmt *stmt_get(struct store *s, const char *sql);
struct stmt *stmt_get_for(struct store *s, const char *sqlite_sql, const char *pg_sql);
void stmt_done(struct stmt *st);
/* A statement built at run time (guild migrate's per-table copies), outside the cache: the
 * caller owns it and frees it with stmt_free before the store closes. */
struct stmt *stmt_new(struct store *s, const char *sql);
void stmt_free(struct stmt *st);
/* Bindings (1-based), copied; a failure is kept and reported by the run (stmt_next/exec). */
void stmt_bind_text(struct stmt *st, int i, const char *v);
void stmt_bind_i64(struct stmt *st, int i, int64_t v);
void stmt_bind_double(struct stmt *st, int i, double v);
void stmt_bind_null(struct stmt *st, int i);
/* Marks a statement whose failure to run means its input is malformed (an FTS5 expression):
 * ERR_INVAL then instead of ERR_DB. Kept until stmt_done. */
void stmt_input_errors(struct stmt *st);
/* The next row: 1 with it ready to read, 0 after the last, or a store error. */
int stmt_next(struct store *s, struct stmt *st);
/* Column values of the current row; NULL reads as 0 or "". */
int64_t stmt_col_i64(struct stmt *st, int i);
int stmt_col_int(struct stmt *st, int i);
double stmt_col_double(struct stmt *st, int i);
bool stmt_col_null(struct stmt *st, int i);
/* Column text borrowed until the next row or stmt_done (NULL for NULL). */
const char *stmt_col_cstr(struct stmt *st, int i);
/* How many parameters the statement has (its highest ?N). */
int stmt_param_count(struct stmt *st);
/* Column text copied into a ("" for NULL). */
char *stmt_col_text(struct arena *a, struct stmt *st, int i);
/* Steps a statement that returns at most one row: 0 with the row ready to read, ERR_NOTFOUND
 * when there is none, or a store error. The caller reads columns, then calls stmt_done. */
int stmt_step_one(struct store *s, struct stmt *st);
/* Runs a write to the end and calls stmt_done; maps constraint errors (ERR_EXISTS for a
 * duplicate, ERR_INVAL for a missing reference or refused value). A statement ending in
 * RETURNING id leaves the id in store_last_id. */
int stmt_exec(struct store *s, struct stmt *st);
/* The id returned by this store's last write and the rows it changed. */
int64_t store_last_id(const struct store *s);
int store_changes(const struct store *s);
void store_note_write(void);
/* The same for writes that may change who a session or API token belongs to, or what that
 * member may do: to users, sessions or api_tokens, here or (by notice) on another node. The
 * session cache (authcache.c) lasts while this stays, not store_write_seq: a vote or a
 * comment does not end it. */
uint64_t store_auth_seq(void);
void store_note_auth_write(void);
/* Takes (true) or releases (false) the process's writer lock outside a statement (the WAL
 * checkpoint that holds writers off). */
void store_writer_hold(struct store *s, bool hold);
/* Runs n statements in one transaction, each with the same integer parameters ?1..?nargs
 * (a rollback when one fails). OUT: *changed, the rows the last one changed (may be NULL). */
int store_exec_tx(struct store *s, const char *const *sql, size_t n, const int64_t *args,
                  int nargs, int *changed);
/* Grows an arena array of elem-sized entries when k == *cap (doubling). Returns the array. */
void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem);
/* Runs a bound statement to its end, collecting column 0 of every row (then stmt_done).
 * OUT: *ids in a (NULL when none). 0 or a store error. */
int store_collect_ids(struct store *s, struct arena *a, struct stmt *st, int64_t **ids,
                      size_t *n);

/* --- engine internals: SQLite (lite.c) and PostgreSQL (pg.c), called by db.c only --- */
int lite_open(struct store *s, const char *path);
void lite_close_conn(struct store_conn *c);
int lite_prepare(struct store_conn *c, struct stmt *st);
int lite_step(struct stmt *st);
bool lite_autocommit(struct store_conn *c);
int lite_exec_plain(struct store_conn *c, const char *sql);
int pg_open(struct store *s, const char *uri);
void pg_close_conn(struct store_conn *c);
int pg_prepare(struct store_conn *c, struct stmt *st, const char *sql);
int pg_run_stmt(struct stmt *st, int *changes);
int pg_exec_plain(struct store_conn *c, const char *sql);
/* How many write notices (channel guild_writes, migrations/pg/004) this connection has
 * received, listening from its first call; after a reconnect it listens again and counts one
 * more, as notices sent meanwhile are lost. Reads only what has arrived: no round trip. */
int pg_write_notices(struct store_conn *c, int64_t *count);
/* Of those, the ones about members, sessions or tokens (migrations/pg/006), read by the last
 * pg_write_notices; a restart of listening counts here too. */
int64_t pg_auth_notices(const struct store_conn *c);
void pg_stmt_clear(struct stmt *st);

/* Who a session ('s') or API token ('t') belongs to, kept per process while no write has
 * been seen since seq (authcache.c). get copies into a and returns whether it knew; put
 * copies what the database said (csrf may be NULL; expires_at 0 for never). */
bool store_authcache_get(char kind, const char *token_hash, int64_t now, struct arena *a,
                         struct store_user *out, char **csrf);
void store_authcache_put(char kind, const char *token_hash, uint64_t seq, int64_t expires_at,
                         const struct store_user *u, const char *csrf);
/* The viewer's votes and opens on a page (PostgreSQL), kept per process while no write has been
 * seen since seq (overlaycache.c). get fills items[i].my_vote and my_opened and returns
 * whether it knew this viewer's page (the same ids in the same order); put remembers them. */
bool store_overlaycache_get(int64_t viewer, struct store_item *items, size_t n);
void store_overlaycache_put(int64_t viewer, uint64_t seq, const struct store_item *items,
                            size_t n);
/* SQLite's PRAGMA data_version on this store's connection: it changes when another
 * connection has committed (health.c). */
int store_data_version(struct store *s, int64_t *v);
/* Notes which file path names now, for store_health (health.c). */
void store_health_remember(struct store *s, const char *path);
/* WAL checkpoints (SQLite; nothing on PostgreSQL): automatic ones on commit (on) or not; and
 * one now: passive, then, when asked or when the WAL has grown past 16 MB, a truncating one
 * that holds writers off. */
int store_autocheckpoint(struct store *s, bool on);
void store_checkpoint(struct store *s, bool truncate);
/* items.c, for the shared list rows of listcache.c: the list query itself, and the viewer's
 * votes and opens laid over rows read for nobody in particular. */
int store_item_list_rows(struct store *s, struct arena *a, const char *kind, enum store_sort sort,
                         int limit, int offset, int64_t viewer, struct store_item **items,
                         size_t *n);
int store_item_overlay(struct store *s, int64_t viewer, struct store_item *items, size_t n);

#endif
