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

int store_rc(struct store *s, int src)
{
    if (src == SQLITE_CONSTRAINT || (src & 0xff) == SQLITE_CONSTRAINT) {
        return ERR_EXISTS;
    }
    log_error("sqlite: %s (%d)", sqlite3_errmsg(s->db), src);
    return ERR_DB;
}

sqlite3_stmt *stmt_get(struct store *s, const char *sql)
{
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            return s->cache[i].st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("sqlite prepare: %s", sqlite3_errmsg(s->db));
        return NULL;
    }
    if (s->ncache < STORE_STMT_CACHE) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
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

int stmt_exec(struct store *s, sqlite3_stmt *st)
{
    int src = sqlite3_step(st);
    int rc = src == SQLITE_DONE ? 0 : store_rc(s, src);
    stmt_done(st);
    if (rc == 0 && !sqlite3_stmt_readonly(st)) {
        store_note_write();
    }
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
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
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
        "PRAGMA user_version = 7", "PRAGMA user_version = 8", "PRAGMA user_version = 9"};
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
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, bump[v], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            log_error("migration %s failed: %s", store_migrations_names[v], msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return ERR_DB;
        }
        log_info("applied migration %s", store_migrations_names[v]);
    }
    return 0;
}

int store_open(const char *path, struct store **out)
{
    struct store *s = xcalloc(1, sizeof(*s));
    int rc = ERR_DB;
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        log_error("cannot open database %s: %s", path,
                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
        rc = ERR_IO;
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    static const char pragmas[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("cannot configure database %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        rc = ERR_IO;
        goto fail;
    }
    rc = store_migrate(s);
    if (rc != 0) {
        goto fail;
    }
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
    for (int i = 0; i < s->ncache; i++) {
        sqlite3_finalize(s->cache[i].st);
    }
    sqlite3_close(s->db);
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
    sqlite3_stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    int src = sqlite3_step(st);
    stmt_done(st);
    if (src != SQLITE_DONE) {
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
    if (s->tx_depth == 0 || sqlite3_get_autocommit(s->db)) {
        s->tx_depth = 0;
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
    store_note_write();
    return 0;
}

void store_tx_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (s->tx_depth > 0) {
        s->tx_depth = -1; /* remembered until the outer commit sees it */
    }
}

/* ---- pool ---- */

struct store_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct store **free_list;
    int nfree, n;
};

int store_pool_new(const char *path, int n, struct store_pool **out)
{
    struct store_pool *p = xcalloc(1, sizeof(*p));
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->free_list = xcalloc((size_t)n, sizeof(*p->free_list));
    for (int i = 0; i < n; i++) {
        int rc = store_open(path, &p->free_list[i]);
        if (rc != 0) {
            p->nfree = p->n = i;
            store_pool_free(p);
            return rc;
        }
    }
    p->nfree = p->n = n;
    *out = p;
    return 0;
}

struct store *store_pool_acquire(struct store_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0) {
        pthread_cond_wait(&p->cv, &p->mu);
    }
    struct store *s = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return s;
}

void store_pool_release(struct store_pool *p, struct store *s)
{
    store_tx_rollback(s); /* a request that failed mid-transaction leaves nothing half-written */
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = s;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void store_pool_free(struct store_pool *p)
{
    if (p == NULL) {
        return;
    }
    for (int i = 0; i < p->nfree; i++) {
        store_close(p->free_list[i]);
    }
    free(p->free_list);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

void *store_grow(struct arena *a, void *arr, size_t k, size_t *cap, size_t elem)
{
    if (arr != NULL && k < *cap) {
        return arr;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    void *bigger = arena_alloc(a, ncap * elem);
    if (arr != NULL && k > 0) {
        memcpy(bigger, arr, k * elem);
    }
    *cap = ncap;
    return bigger;
}
