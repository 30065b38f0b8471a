/* guild backup: a consistent copy of a live SQLite database (store.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "store_int.h"

/* Copies every page of from into dst inside one read transaction of from's: a snapshot, while
 * writers in other processes go on (WAL). */
static int backup_pages(sqlite3 *src, sqlite3 *dst, int *pages)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (b == NULL) {
        log_error("backup: %s", sqlite3_errmsg(dst));
        return ERR_DB;
    }
    int src_rc;
    for (int tries = 0;; tries++) {
        src_rc = sqlite3_backup_step(b, -1);
        if ((src_rc != SQLITE_BUSY && src_rc != SQLITE_LOCKED) || tries == 50) {
            break;
        }
        usleep(100 * 1000); /* a writer is checkpointing or holds an exclusive lock */
    }
    *pages = sqlite3_backup_pagecount(b);
    int fin = sqlite3_backup_finish(b);
    if (src_rc != SQLITE_DONE || fin != SQLITE_OK) {
        log_error("backup: %s", sqlite3_errmsg(dst));
        return src_rc == SQLITE_BUSY || src_rc == SQLITE_LOCKED ? ERR_BUSY : ERR_DB;
    }
    return 0;
}

/* A backup is one self-contained file (no WAL beside it) that passes SQLite's quick check. */
static int backup_seal(sqlite3 *dst)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(dst, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return ERR_DB;
    }
    int rc = sqlite3_step(st) == SQLITE_ROW &&
                     strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0
                 ? 0
                 : ERR_DB;
    sqlite3_finalize(st);
    return rc;
}

static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return ERR_IO;
    }
    int rc = fsync(fd) == 0 ? 0 : ERR_IO;
    close(fd);
    return rc;
}

int store_backup(const char *from, const char *to, int *pages)
{
    struct stat st;
    if (stat(to, &st) == 0) {
        return ERR_EXISTS;
    }
    if (stat(from, &st) != 0) {
        return ERR_NOTFOUND;
    }
    char partial[4096];
    if (snprintf(partial, sizeof(partial), "%s.partial", to) >= (int)sizeof(partial)) {
        return ERR_INVAL;
    }
    unlink(partial); /* left by an interrupted backup */
    sqlite3 *src = NULL, *dst = NULL;
    int rc = ERR_IO;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_open_v2(partial, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK) {
        log_error("backup: cannot open %s", src == NULL || dst == NULL ? from : partial);
        goto cleanup;
    }
    sqlite3_busy_timeout(src, STORE_BUSY_MS);
    if ((rc = backup_pages(src, dst, pages)) != 0 || (rc = backup_seal(dst)) != 0) {
        goto cleanup;
    }
    sqlite3_close(dst);
    dst = NULL;
    if ((rc = sync_file(partial)) != 0 || rename(partial, to) != 0) {
        rc = ERR_IO;
        goto cleanup;
    }
cleanup:
    sqlite3_close(src);
    sqlite3_close(dst);
    if (rc != 0) {
        unlink(partial);
    }
    return rc;
}
