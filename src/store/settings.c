/* Site settings the admins edit in the browser (site_settings): the guild's description. */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_setting_get(struct store *s, struct arena *a, const char *key, char **value)
{
    static const char sql[] = "SELECT value FROM site_settings WHERE key = ?";
    *value = arena_strdup(a, "");
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, key);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *value = stmt_col_text(a, st, 0);
    }
    stmt_done(st);
    return rc == ERR_NOTFOUND ? 0 : rc;
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO site_settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, key);
    stmt_bind_text(st, 2, value);
    return stmt_exec(s, st);
}

int store_setting_add(struct store *s, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO site_settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO NOTHING";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, key);
    stmt_bind_text(st, 2, value);
    s->quiet = true; /* on no page */
    return stmt_exec(s, st);
}

int store_settings_prune(struct store *s, const char *prefix, const char *keep_from)
{
    static const char sql[] = "DELETE FROM site_settings WHERE key >= ?1 AND key < ?2";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, prefix);
    stmt_bind_text(st, 2, keep_from);
    s->quiet = true;
    return stmt_exec(s, st);
}
