/* guild backup: a consistent copy of a live SQLite database (store.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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

/* fsyncs the directory holding path, so that a rename or link in it survives a crash. */
static void sync_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else if (slash == dir) {
        dir[1] = '\0';
    } else {
        *slash = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
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
    /* a name of our own beside `to` (mkstemp): never a file somebody else has, so nothing
     * but our own copy is ever removed */
    char partial[4096];
    int len = snprintf(partial, sizeof(partial), "%s.partial-", to);
    if (len < 0 || (size_t)len + 7 > sizeof(partial)) {
        return ERR_INVAL;
    }
    memset(partial + len, 'X', 6); /* mkstemp's template: six characters it replaces */
    partial[len + 6] = '\0';
    int fd = mkstemp(partial);
    if (fd < 0) {
        log_error("backup: cannot create a file beside %s: %s", to, strerror(errno));
        return ERR_IO;
    }
    close(fd);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = ERR_IO;
    if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_open_v2(partial, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        log_error("backup: cannot open %s", dst == NULL ? partial : from);
        goto cleanup;
    }
    sqlite3_busy_timeout(src, STORE_BUSY_MS);
    if ((rc = backup_pages(src, dst, pages)) != 0 || (rc = backup_seal(dst)) != 0) {
        goto cleanup;
    }
    sqlite3_close(dst);
    dst = NULL;
    if ((rc = sync_file(partial)) != 0) {
        goto cleanup;
    }
    /* link, not rename: it fails when `to` appeared meanwhile, where rename would replace it */
    if (link(partial, to) != 0) {
        rc = errno == EEXIST ? ERR_EXISTS : ERR_IO;
        goto cleanup;
    }
    sync_dir_of(to);
    rc = 0;
cleanup:
    sqlite3_close(src);
    sqlite3_close(dst);
    unlink(partial); /* ours: the copy now lives on as `to`, or failed */
    return rc;
}
