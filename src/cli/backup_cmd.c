/* guild backup: a consistent copy of a guild while its server runs. */
#include <stdio.h>
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
