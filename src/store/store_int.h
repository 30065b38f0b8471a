/* Internal to src/store: the connection struct and statement helpers. */
#ifndef GUILD_STORE_INT_H
#define GUILD_STORE_INT_H

#include <sqlite3.h>
#include <sys/types.h>

#include "../core/util.h"
#include "store.h"

#define STORE_STMT_CACHE 160

/* One SQLite connection and the statements prepared on it. */
/* How long a statement waits for another process's write lock (a `guild fetch` from cron,
 * which commits every 25 entries) before it gives up with ERR_BUSY. Within one process writers
 * queue on a mutex instead and never meet it; the one waiting here holds that mutex, so the
 * wait is bounded well below what would stall every writer of the site for long. */
#define STORE_BUSY_MS 10000

struct store_conn {
    sqlite3 *db;
    struct {
        const char *sql; /* identity: the static string's address */
        sqlite3_stmt *st;
    } cache[STORE_STMT_CACHE];
    int ncache;
    /* the database file this connection opened, to notice it moved or deleted (health.c) */
    dev_t file_dev;
    ino_t file_ino;
    bool have_file;
};

/* A pooled store runs its write transactions on the pool's one writing connection: a
 * connection's page cache is emptied whenever another connection has written since its last
 * transaction, so with every worker writing, each write transaction started cold (53 preads
 * a write in the API write mix), inside the writer lock. The writer only sees its own writes:
 * its cache stays warm. Reads, and single writes outside a transaction, stay on the store's
 * own connection. */
struct store {
    struct store_conn own;
    struct store_conn *conn;   /* in use: &own, or *writer while holding the writer lock */
    struct store_conn *writer; /* the pool's writing connection; NULL outside a pool */
    int tx_depth;
    bool write_locked; /* holds the process's writer lock (db.c) */
    bool quiet;        /* the next write changes nothing a page shows (a lease): no cache
                        * invalidation for it (db.c stmt_exec) */
    int64_t last_id;   /* rowid and changes of this store's last write, read under the lock */
    int changes;
};

/* SQLite's PRAGMA data_version on this store's connection: it changes when another
 * connection has committed (health.c). */
int store_data_version(struct store *s, int64_t *v);
/* Notes which file path names now, for store_health (health.c). */
void store_health_remember(struct store *s, const char *path);

/* The prepared statement for a static SQL literal, prepared once per connection.
 * Borrowed: call stmt_done after use. NULL on failure (logged). */
sqlite3_stmt *stmt_get(struct store *s, const char *sql);
void stmt_done(sqlite3_stmt *st);
int stmt_bind_text(sqlite3_stmt *st, int i, const char *v);
int stmt_bind_i64(sqlite3_stmt *st, int i, int64_t v);
/* Column text copied into a ("" for NULL). */
char *stmt_col_text(struct arena *a, sqlite3_stmt *st, int i);
/* Steps a statement that returns at most one row: 0 with the row ready to read, ERR_NOTFOUND
 * when there is none, or a store error. The caller reads columns, then calls stmt_done. */
int stmt_step_one(struct store *s, sqlite3_stmt *st);
/* Runs a statement expected to finish with SQLITE_DONE; maps constraint errors to ERR_EXISTS. */
int stmt_exec(struct store *s, sqlite3_stmt *st);
int store_rc(struct store *s, int src);
/* The rowid inserted and the rows changed by this store's last write statement. */
int64_t store_last_id(const struct store *s);
int store_changes(const struct store *s);
void store_note_write(void);
/* WAL checkpoints: automatic ones on commit (on) or not; and one now: passive, then, when
 * asked or when the WAL has grown past 16 MB, a truncating one that holds writers off. */
int store_autocheckpoint(struct store *s, bool on);
void store_checkpoint(struct store *s, bool truncate);
/* items.c, for the shared list rows of listcache.c: the list query itself, and the viewer's
 * votes and opens laid over rows read for nobody in particular. */
int store_item_list_rows(struct store *s, struct arena *a, const char *kind, enum store_sort sort,
                         int limit, int offset, int64_t viewer, struct store_item **items,
                         size_t *n);
int store_item_overlay(struct store *s, int64_t viewer, struct store_item *items, size_t n);
/* Grows an arena array of elem-sized entries when k == *cap (doubling). Returns the array. */
/* Runs n statements in one transaction, each with the same integer parameters ?1..?nargs
 * (a rollback when one fails). OUT: *changed, the rows the last one changed (may be NULL). */
int store_exec_tx(struct store *s, const char *const *sql, size_t n, const int64_t *args,
                  int nargs, int *changed);
void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem);

#endif
