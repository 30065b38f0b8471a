/* Whether the database answers (GET /healthz), the outbox's length (GET /metrics), and
 * whether another connection has written (the pool's checkpointer). */
#include <sys/stat.h>

#include "../core/err.h"
#include "store_int.h"

void store_health_remember(struct store *s, const char *path)
{
    struct stat st;
    s->own.have_file = stat(path, &st) == 0;
    if (s->own.have_file) {
        s->own.file_dev = st.st_dev;
        s->own.file_ino = st.st_ino;
    }
}

int store_health(struct store *s)
{
    const char *path = s->own.db != NULL ? sqlite3_db_filename(s->own.db, "main") : NULL;
    struct stat st;
    if (s->own.have_file && (path == NULL || path[0] == '\0' || stat(path, &st) != 0 ||
                             st.st_dev != s->own.file_dev || st.st_ino != s->own.file_ino)) {
        return ERR_IO;
    }
    static const char sql[] = "SELECT max(id) FROM users"; /* a real table, and O(1) */
    struct stmt *q = stmt_get(s, sql);
    if (q == NULL) {
        return ERR_DB;
    }
    int rc = stmt_step_one(s, q);
    stmt_done(q);
    return rc;
}

/* The one integer a statement without parameters returns. */
static int scalar(struct store *s, const char *sql, int64_t *out)
{
    struct stmt *q = stmt_get(s, sql);
    if (q == NULL) {
        return ERR_DB;
    }
    int rc = stmt_step_one(s, q);
    if (rc == 0) {
        *out = stmt_col_i64(q, 0);
    }
    stmt_done(q);
    return rc;
}

int store_mail_pending(struct store *s, int64_t *n)
{
    static const char sql[] = "SELECT count(*) FROM outbox WHERE status = 'queued'";
    return scalar(s, sql, n);
}

int store_data_version(struct store *s, int64_t *v)
{
    static const char sql[] = "PRAGMA data_version";
    if (store_on_pg(s)) {
        return pg_write_notices(&s->own, v);
    }
    return scalar(s, sql, v);
}
