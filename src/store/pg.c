/* The PostgreSQL engine through libpq: connecting, its numbered migrations (migrations/pg/),
 * statements prepared per connection on their first run, and errors in Guild's terms. db.c
 * calls these; the store files see only the statement layer of store_int.h. */
#include <ctype.h>
#include <stdatomic.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "store_int.h"

extern const char *const store_pg_migrations[];
extern const char *const store_pg_migrations_names[];

#define PG_MIGRATION_LOCK "715100" /* pg_advisory_lock: one migrating process at a time */

/* A failed result's SQLSTATE in Guild's terms, as lite_rc does for SQLite. */
static int pg_rc(PGconn *c, const PGresult *r)
{
    const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r != NULL ? PQresultErrorMessage(r) : PQerrorMessage(c);
    if (state != NULL && strcmp(state, "23505") == 0) {
        return ERR_EXISTS; /* unique_violation */
    }
    if (state != NULL && strncmp(state, "23", 2) == 0) {
        log_warn("postgresql: %s", msg); /* foreign key, check, not null */
        return ERR_INVAL;
    }
    if (state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                          strcmp(state, "55P03") == 0)) {
        log_warn("postgresql: %s", msg); /* serialization failure, deadlock, lock timeout */
        return ERR_BUSY;
    }
    if (PQstatus(c) == CONNECTION_BAD || (state != NULL && (strncmp(state, "08", 2) == 0 ||
                                                            strncmp(state, "57P0", 4) == 0))) {
        log_warn("postgresql: %s", msg); /* the server went away, or is shutting down */
        return ERR_UNAVAILABLE;
    }
    if (state != NULL && strncmp(state, "22", 2) == 0) {
        log_warn("postgresql: %s", msg); /* a value out of range: the input's fault */
        return ERR_INVAL;
    }
    log_error("postgresql: %s", msg);
    return ERR_DB;
}

/* After a lost connection: reconnect, and every statement (cached or not) is prepared again
 * on its next run (its generation is older). A transaction that was open is gone with the
 * old connection: it stays marked open and failed, so that its commit reports the loss and
 * its rollback ends it, and the writer lock is held until then. */
static void pg_recover(struct store_conn *c)
{
    if (PQstatus(c->pg) != CONNECTION_BAD) {
        return;
    }
    PQreset(c->pg);
    /* while the server is away every statement tries again: one line in ten seconds per
     * process, with the server's own reason (a refused connection says why) */
    static _Atomic int64_t last_logged;
    int64_t now = now_unix();
    if (now - atomic_load(&last_logged) >= 10) {
        atomic_store(&last_logged, now);
        if (PQstatus(c->pg) == CONNECTION_OK) {
            log_warn("postgresql: connection lost; reconnected");
        } else {
            log_warn("postgresql: connection lost; reconnecting failed: %s",
                     PQerrorMessage(c->pg));
        }
    }
    c->pg_generation++;
    c->pg_tx_error = c->pg_in_tx && !c->pg_tx_failed ? ERR_UNAVAILABLE : c->pg_tx_error;
    c->pg_tx_failed = c->pg_in_tx;
    c->pg_begin_pending = false;
    c->pg_listening = false;
}

/* Notes the outcome of a statement run inside a transaction: after a failure PostgreSQL
 * refuses everything until ROLLBACK, and the commit must not pretend otherwise. */
static int pg_outcome(struct store_conn *c, PGresult *r, bool ok)
{
    if (ok) {
        return 0;
    }
    int rc = pg_rc(c->pg, r);
    if (c->pg_in_tx && !c->pg_tx_failed) {
        c->pg_tx_failed = true;
        c->pg_tx_error = rc;
    }
    pg_recover(c);
    return rc;
}

/* BEGIN is not sent on its own: it travels with the transaction's first statement (libpq's
 * pipeline mode), a round trip fewer for every transaction (a vote is eight). A transaction
 * that ends before any statement sent nothing to end. */
static bool pg_deferred(struct store_conn *c, const char *sql)
{
    if (strcmp(sql, "BEGIN") == 0) {
        c->pg_in_tx = c->pg_begin_pending = true;
        c->pg_tx_failed = false;
        c->pg_tx_error = 0;
        return true;
    }
    if (c->pg_begin_pending && (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0)) {
        c->pg_in_tx = c->pg_tx_failed = c->pg_begin_pending = false;
        return true;
    }
    return false;
}

int pg_exec_plain(struct store_conn *c, const char *sql)
{
    if (pg_deferred(c, sql)) {
        return 0;
    }
    if (c->pg_begin_pending) { /* a plain statement (a migration, SET LOCAL): BEGIN first */
        c->pg_begin_pending = false;
        int rc = pg_exec_plain(c, "START TRANSACTION");
        if (rc != 0) {
            return rc;
        }
    }
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = pg_outcome(c, r, st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
    if (rc == 0 && strcmp(sql, "BEGIN") == 0) {
        c->pg_in_tx = true;
        c->pg_tx_failed = false;
    } else if (strcmp(sql, "COMMIT") == 0 || strcmp(sql, "ROLLBACK") == 0) {
        c->pg_in_tx = c->pg_tx_failed = false;
    }
    PQclear(r);
    return rc;
}

/* SQLite's ?N and ? parameters as PostgreSQL's $N, outside quoted text. OUT: the highest,
 * and which are used (bit k-1 for ?k). */
static char *pg_translate(const char *sql, int *nparams, uint64_t *used)
{
    size_t n = strlen(sql);
    char *out = xmalloc(n * 2 + 1), *o = out;
    int highest = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote != 0) {
            quote = *p == quote ? 0 : quote;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '?') {
            int k = 0;
            while (isdigit((unsigned char)p[1])) {
                k = k * 10 + (*++p - '0');
            }
            k = k > 0 ? k : highest + 1;
            highest = k > highest ? k : highest;
            *used |= k <= 64 ? UINT64_C(1) << (k - 1) : 0;
            o += sprintf(o, "$%d", k);
            continue;
        }
        *o++ = *p;
    }
    *o = '\0';
    *nparams = highest;
    return out;
}

/* Whether a statement writes: anything but a plain read (a WITH may end in a write). */
static bool pg_writes(const char *sql)
{
    while (isspace((unsigned char)*sql)) {
        sql++;
    }
    if (strncasecmp(sql, "SELECT", 6) == 0) {
        return false;
    }
    if (strncasecmp(sql, "WITH", 4) == 0) {
        return strstr(sql, "INSERT ") != NULL || strstr(sql, "UPDATE ") != NULL ||
               strstr(sql, "DELETE ") != NULL;
    }
    return true;
}

int pg_prepare(struct store_conn *c, struct stmt *st, const char *sql)
{
    (void)c;
    int n = 0;
    uint64_t used = 0;
    st->pg_sql = pg_translate(sql, &n, &used);
    if (n > STMT_MAX_PARAMS) {
        log_error("postgresql: a statement with %d parameters (at most %d)", n, STMT_MAX_PARAMS);
        return ERR_DB;
    }
    st->nparams = n;
    st->unused = ~used;
    st->write = pg_writes(sql);
    return 0;
}

void pg_stmt_clear(struct stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
    for (int k = 0; k < STMT_MAX_PARAMS; k++) {
        free(st->owned[k]);
        st->owned[k] = NULL;
        st->vals[k] = NULL;
    }
}

/* The first statement of a transaction, after its BEGIN, in one pipeline: BEGIN's result,
 * the statement's, then the sync. The statement's result is returned (NULL when nothing
 * came back); when BEGIN failed, that failure is. */
static PGresult *pg_exec_after_begin(struct store_conn *c, struct stmt *st)
{
    PGconn *pg = c->pg;
    c->pg_begin_pending = false;
    if (!PQenterPipelineMode(pg)) {
        PGresult *r = PQexec(pg, "BEGIN");
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            return r;
        }
        PQclear(r);
        return PQexecPrepared(pg, st->name, st->nparams, st->vals, NULL, NULL, 0);
    }
    PGresult *begin = NULL, *res = NULL, *r;
    if (PQsendQueryParams(pg, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) &&
        PQsendQueryPrepared(pg, st->name, st->nparams, st->vals, NULL, NULL, 0) &&
        PQpipelineSync(pg)) {
        for (int part = 0; part < 2; part++) { /* each query's results end with a NULL */
            while ((r = PQgetResult(pg)) != NULL) {
                PGresult **keep = part == 0 ? &begin : &res;
                if (*keep == NULL) {
                    *keep = r;
                } else {
                    PQclear(r);
                }
            }
        }
        while ((r = PQgetResult(pg)) != NULL) { /* the sync, and nothing after it */
            bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (sync) {
                break;
            }
        }
    }
    PQexitPipelineMode(pg); /* fails only with results unread: a lost connection, reset next */
    if (begin != NULL && PQresultStatus(begin) != PGRES_COMMAND_OK) {
        PQclear(res);
        return begin;
    }
    PQclear(begin);
    return res;
}

int pg_run_stmt(struct stmt *st, int *changes)
{
    struct store_conn *c = st->conn;
    if (c->pg_in_tx && c->pg_tx_failed) {
        return ERR_DB; /* as PostgreSQL refuses in an aborted transaction (or a lost one) */
    }
    if (!st->prepared || st->generation != c->pg_generation) {
        for (int k = 0; k < st->nparams; k++) {
            /* a parameter the SQL leaves out (one statement of a set bound alike) has no
             * type PostgreSQL could infer */
            st->types[k] = (st->unused >> k) & 1 ? 25 /* text */ : st->types[k];
        }
        PGresult *r = PQprepare(c->pg, st->name, st->pg_sql, st->nparams, st->types);
        int rc = pg_outcome(c, r, PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
        if (rc != 0) {
            log_error("postgresql: preparing: %.300s", st->pg_sql);
            return rc;
        }
        st->prepared = true;
        st->generation = c->pg_generation;
    }
    PQclear(st->res);
    st->res = c->pg_begin_pending
                  ? pg_exec_after_begin(c, st)
                  : PQexecPrepared(c->pg, st->name, st->nparams, st->vals, NULL, NULL, 0);
    ExecStatusType es = PQresultStatus(st->res);
    int rc = pg_outcome(c, st->res, es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK);
    if (rc != 0) {
        PQclear(st->res);
        st->res = NULL;
        return rc;
    }
    st->nrows = PQntuples(st->res);
    st->row = -1;
    *changes = atoi(PQcmdTuples(st->res));
    return 0;
}

static int pg_version(PGconn *c, int *version)
{
    PGresult *r = PQexec(c, "SELECT coalesce(max(version), 0) FROM schema_migrations");
    int rc = ERR_DB;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
        *version = atoi(PQgetvalue(r, 0, 0));
        rc = 0;
    } else {
        log_error("postgresql: reading the schema version: %s", PQresultErrorMessage(r));
    }
    PQclear(r);
    return rc;
}

/* Applies migration number v (1-based) and records it, in one transaction. */
static int pg_apply(struct store_conn *c, int v, int64_t now)
{
    const char *name = store_pg_migrations_names[v - 1];
    char vs[16], ts[24];
    snprintf(vs, sizeof(vs), "%d", v);
    snprintf(ts, sizeof(ts), "%lld", (long long)now);
    const char *params[3] = {vs, name, ts};
    int rc = pg_exec_plain(c, "BEGIN");
    if (rc == 0) {
        rc = pg_exec_plain(c, store_pg_migrations[v - 1]);
    }
    if (rc == 0) {
        PGresult *r = PQexecParams(c->pg, "INSERT INTO schema_migrations (version, name, "
                                          "applied_at) VALUES ($1::int, $2, $3::bigint)",
                                   3, NULL, params, NULL, NULL, 0);
        rc = pg_outcome(c, r, PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
    }
    if (rc != 0 || (rc = pg_exec_plain(c, "COMMIT")) != 0) {
        log_error("postgresql: migration pg/%s failed", name);
        pg_exec_plain(c, "ROLLBACK");
        return ERR_DB;
    }
    log_info("applied migration pg/%s", name);
    return 0;
}

/* Brings the schema up to this build's, one process at a time. */
static int pg_migrate(struct store_conn *c)
{
    static const char setup[] =
        "SET client_min_messages = warning; SELECT pg_advisory_lock(" PG_MIGRATION_LOCK "); "
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at bigint NOT NULL)";
    int version = 0, rc = pg_exec_plain(c, setup);
    if (rc == 0) {
        rc = pg_version(c->pg, &version);
    }
    int n = 0;
    while (store_pg_migrations[n] != NULL) {
        n++;
    }
    if (rc == 0 && version > n) {
        log_error("postgresql: the database is at schema %d, newer than this build's %d",
                  version, n);
        rc = ERR_INVAL;
    }
    for (int v = version + 1; rc == 0 && v <= n; v++) {
        rc = pg_apply(c, v, now_unix());
    }
    pg_exec_plain(c, "SELECT pg_advisory_unlock(" PG_MIGRATION_LOCK ")");
    return rc;
}

/* The server's notices (a search of stop words only, a NOTICE from a migration) are for
 * whoever runs SQL by hand, not the server's log, where libpq would print them bare. */
static void pg_notice_dropped(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

int pg_open(struct store *s, const char *uri)
{
    s->own.pg = PQconnectdb(uri);
    if (s->own.pg == NULL || PQstatus(s->own.pg) != CONNECTION_OK) {
        log_error("postgresql: cannot connect: %s",
                  s->own.pg ? PQerrorMessage(s->own.pg) : "out of memory");
        return ERR_IO;
    }
    PQsetNoticeProcessor(s->own.pg, pg_notice_dropped, NULL);
    return pg_migrate(&s->own);
}

void pg_close_conn(struct store_conn *c)
{
    PQfinish(c->pg);
    c->pg = NULL;
}

int pg_write_notices(struct store_conn *c, int64_t *count)
{
    if (!c->pg_listening) {
        int rc = pg_exec_plain(c, "LISTEN guild_writes");
        if (rc != 0) {
            return rc;
        }
        c->pg_listening = true;
        c->pg_notices++; /* (re)started: whatever was sent before is unknown */
        c->pg_auth_notices++;
    }
    if (!PQconsumeInput(c->pg)) {
        log_warn("postgresql: reading write notices: %s", PQerrorMessage(c->pg));
        pg_recover(c);
        return ERR_DB;
    }
    PGnotify *n;
    while ((n = PQnotifies(c->pg)) != NULL) {
        c->pg_notices++;
        c->pg_auth_notices += strcmp(n->extra, "auth") == 0;
        PQfreemem(n);
    }
    *count = c->pg_notices;
    return 0;
}

int64_t pg_auth_notices(const struct store_conn *c)
{
    return c->pg_auth_notices;
}
