/* PostgreSQL: the part of the second engine that exists so far (issue 15) — connecting
 * through libpq and applying the numbered PostgreSQL migrations (migrations/pg/), which is
 * what `guild init --db postgresql://...` does. The rest of the store runs on SQLite only. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "store.h"

extern const char *const store_pg_migrations[];
extern const char *const store_pg_migrations_names[];

/* pg_advisory_lock(715100) below: one init at a time per database */

bool store_is_pg(const char *db)
{
    return strncmp(db, "postgresql:", 11) == 0 || strncmp(db, "postgres:", 9) == 0;
}

/* Runs sql (one or more statements, no parameters); false with the error logged. */
static bool pg_run(PGconn *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        log_error("postgresql: %s: %s", what, PQresultErrorMessage(r));
    }
    PQclear(r);
    return ok;
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
static int pg_apply(PGconn *c, int v, int64_t now)
{
    const char *name = store_pg_migrations_names[v - 1];
    char vs[16], ts[24];
    snprintf(vs, sizeof(vs), "%d", v);
    snprintf(ts, sizeof(ts), "%lld", (long long)now);
    const char *params[3] = {vs, name, ts};
    if (!pg_run(c, "BEGIN", "begin")) {
        return ERR_DB;
    }
    bool ok = pg_run(c, store_pg_migrations[v - 1], name);
    if (ok) {
        PGresult *r = PQexecParams(c, "INSERT INTO schema_migrations (version, name, applied_at) "
                                      "VALUES ($1::int, $2, $3::bigint)",
                                   3, NULL, params, NULL, NULL, 0);
        ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            log_error("postgresql: recording %s: %s", name, PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    if (!ok || !pg_run(c, "COMMIT", "commit")) {
        pg_run(c, "ROLLBACK", "rollback");
        return ERR_DB;
    }
    log_info("applied migration pg/%s", name);
    return 0;
}

int store_pg_init(const char *uri, int *version)
{
    PGconn *c = PQconnectdb(uri);
    int rc = ERR_IO;
    if (PQstatus(c) != CONNECTION_OK) {
        log_error("postgresql: cannot connect: %s", PQerrorMessage(c));
        goto cleanup;
    }
    rc = ERR_DB;
    static const char setup[] =
        "SET client_min_messages = warning; SELECT pg_advisory_lock(715100); "
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at bigint NOT NULL)";
    if (!pg_run(c, setup, "preparing migrations") || pg_version(c, version) != 0) {
        goto cleanup;
    }
    int n = 0;
    while (store_pg_migrations[n] != NULL) {
        n++;
    }
    if (*version > n) {
        log_error("postgresql: the database is at schema %d, newer than this build's %d",
                  *version, n);
        goto cleanup;
    }
    for (int v = *version + 1; v <= n; v++) {
        if ((rc = pg_apply(c, v, now_unix())) != 0) {
            goto cleanup;
        }
        *version = v;
    }
    rc = 0;
cleanup:
    if (PQstatus(c) == CONNECTION_OK) {
        pg_run(c, "SELECT pg_advisory_unlock(715100)", "unlocking");
    }
    PQfinish(c);
    return rc;
}
