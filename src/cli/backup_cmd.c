/* Keeping and moving a guild's data: guild backup (a consistent copy of a SQLite guild while
 * its server runs) and guild migrate (a SQLite guild into PostgreSQL). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/err.h"
#include "cli.h"

int cmd_backup(const struct cli_flags *in)
{
    static const char *const valued[] = {"db", "to", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild backup --db PATH --to FILE\n"
              "  Copies the guild in PATH into the new file FILE, consistently, while guild serve\n"
              "  keeps writing to PATH (SQLite's online backup). FILE is whole or absent; an\n"
              "  existing FILE is never overwritten. Restore by serving FILE (or copying it to\n"
              "  PATH while the server is stopped). PostgreSQL: see docs/deploy.md.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    const char *from = cli_db_path(&f), *to = cli_need(&f, "to");
    if (from == NULL || to == NULL) {
        return 2;
    }
    if (store_is_pg(from)) {
        fprintf(stderr, "guild: backup copies a SQLite file; for PostgreSQL use pg_dump "
                        "(docs/deploy.md)\n");
        return 2;
    }
    int pages = 0;
    int rc = store_backup(from, to, &pages);
    if (rc == ERR_EXISTS) {
        fprintf(stderr, "guild: %s already exists; a backup never overwrites a file\n", to);
        return 1;
    }
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "guild: there is no database at %s\n", from);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "guild: backup of %s failed (%s); nothing was written to %s\n", from,
                err_code(rc), to);
        return 1;
    }
    struct stat st;
    long long bytes = stat(to, &st) == 0 ? (long long)st.st_size : 0;
    printf("backup of %s written to %s: %d pages, %lld bytes, quick check ok\n", from, to, pages,
           bytes);
    return 0;
}

/* Prints the comparison, one line a table; true when every table is the same on both. */
static bool migrate_report(const struct store_migrate_table *r, size_t n)
{
    bool same = true;
    int64_t rows = 0;
    printf("%-22s %10s %10s  %s\n", "table", "sqlite", "postgresql", "checksum");
    for (size_t i = 0; i < n; i++) {
        bool ok = r[i].rows_from == r[i].rows_to && r[i].sum_from == r[i].sum_to &&
                  r[i].copied == r[i].rows_from;
        printf("%-22s %10" PRId64 " %10" PRId64 "  %016" PRIx64 " %s\n", r[i].table,
               r[i].rows_from, r[i].rows_to, r[i].sum_to, ok ? "same" : "DIFFERS");
        same &= ok;
        rows += r[i].rows_to;
    }
    printf("migrated %zu tables, %" PRId64 " rows: %s\n", n, rows,
           same ? "every table the same on both" : "SOME TABLES DIFFER");
    return same;
}

int cmd_migrate(const struct cli_flags *in)
{
    static const char *const valued[] = {"from", "to", NULL};
    struct cli_flags f = *in;
    f.usage = "usage: guild migrate --from PATH.db --to postgresql://...\n"
              "  Copies a whole guild from a SQLite file into an empty PostgreSQL database\n"
              "  (create it and run guild init --db URI first, or let migrate apply the schema),\n"
              "  in one transaction; members sign in again. Ends by comparing every table's rows\n"
              "  and checksum; exits 1 unless all are the same. Stop guild serve first.\n";
    int x = cli_check_exit(&f, valued, NULL);
    if (x >= 0) {
        return x;
    }
    const char *from = cli_need(&f, "from"), *to = cli_need(&f, "to");
    if (from == NULL || to == NULL) {
        return 2;
    }
    if (store_is_pg(from) || !store_is_pg(to)) {
        fprintf(stderr, "guild: migrate copies from a SQLite file (--from) to a PostgreSQL URI "
                        "(--to)\n");
        return 2;
    }
    const char *path = strncmp(from, "sqlite:", 7) == 0 ? from + 7 : from;
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "guild: there is no database at %s\n", path);
        return 1;
    }
    struct store *src = NULL, *dst = NULL;
    int rc = store_open(path, &src);
    if (rc == 0 && (rc = store_open(to, &dst)) != 0) {
        fprintf(stderr, "guild: cannot open the PostgreSQL database (%s)\n", err_code(rc));
    }
    struct arena a;
    arena_init(&a);
    struct store_migrate_table *r = NULL;
    size_t n = 0;
    if (rc == 0) {
        rc = store_migrate_guild(src, dst, &a, &r, &n);
        if (rc == ERR_EXISTS) {
            fprintf(stderr, "guild: the PostgreSQL database already holds a guild; migrate "
                            "only fills an empty one\n");
        } else if (rc != 0) {
            fprintf(stderr, "guild: migrate failed (%s); nothing was kept in PostgreSQL\n",
                    err_code(rc));
        }
    }
    bool same = rc == 0 && migrate_report(r, n);
    arena_fini(&a);
    store_close(dst);
    store_close(src);
    return rc == 0 && same ? 0 : 1;
}
