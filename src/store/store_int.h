/* Internal to src/store: the connection struct and statement helpers. */
#ifndef GUILD_STORE_INT_H
#define GUILD_STORE_INT_H

#include <sqlite3.h>

#include "../core/util.h"
#include "store.h"

#define STORE_STMT_CACHE 160

struct store {
    sqlite3 *db;
    struct {
        const char *sql; /* identity: the static string's address */
        sqlite3_stmt *st;
    } cache[STORE_STMT_CACHE];
    int ncache;
    int tx_depth;
    bool write_locked; /* holds the process's writer lock (db.c) */
};

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
void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem);

#endif
