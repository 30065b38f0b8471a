/* Leases: which process performs a duty that must run in exactly one (store.h). */
#include <string.h>

#include "../core/err.h"
#include "store_int.h"

int store_lease_take(struct store *s, const char *name, const char *holder, int64_t now,
                     int ttl, bool *held)
{
    /* taken when free or expired, renewed when ours; an unchanged row means another holds it */
    static const char sql[] =
        "INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?3 + ?4) "
        "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
        "expires_at = excluded.expires_at "
        "WHERE leases.holder = excluded.holder OR leases.expires_at < ?3";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, name);
    stmt_bind_text(st, 2, holder);
    stmt_bind_i64(st, 3, now);
    stmt_bind_i64(st, 4, ttl);
    s->quiet = true; /* a lease shows on no page: cached pages stay valid */
    int rc = stmt_exec(s, st);
    *held = rc == 0 && store_changes(s) > 0;
    return rc;
}

int store_lease_get(struct store *s, const char *name, struct arena *a, char **holder,
                    int64_t *expires_at, bool *poked)
{
    static const char sql[] = "SELECT holder, expires_at, poked FROM leases WHERE name = ?";
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, name);
    int rc = stmt_step_one(s, st);
    if (rc == 0) {
        *holder = stmt_col_text(a, st, 0);
        *expires_at = stmt_col_i64(st, 1);
        *poked = stmt_col_int(st, 2) != 0;
    }
    stmt_done(st);
    return rc;
}

/* Runs a lease write binding name and, when not NULL, holder; quiet (a lease shows on no
 * page). OUT: *changed, whether a row changed (may be NULL). */
static int lease_write(struct store *s, const char *sql, const char *name, const char *holder,
                       bool *changed)
{
    struct stmt *st = stmt_get(s, sql);
    if (st == NULL) {
        return ERR_DB;
    }
    stmt_bind_text(st, 1, name);
    if (holder != NULL) {
        stmt_bind_text(st, 2, holder);
    }
    s->quiet = true;
    int rc = stmt_exec(s, st);
    if (changed != NULL) {
        *changed = rc == 0 && store_changes(s) > 0;
    }
    return rc;
}

int store_lease_release(struct store *s, const char *name, const char *holder)
{
    static const char sql[] = "DELETE FROM leases WHERE name = ? AND holder = ?";
    return lease_write(s, sql, name, holder, NULL);
}

int store_lease_poke(struct store *s, const char *name)
{
    static const char sql[] = "UPDATE leases SET poked = 1 WHERE name = ? AND poked = 0";
    return lease_write(s, sql, name, NULL, NULL);
}

int store_lease_take_poke(struct store *s, const char *name, const char *holder, bool *poked)
{
    static const char sql[] =
        "UPDATE leases SET poked = 0 WHERE name = ? AND holder = ? AND poked = 1";
    return lease_write(s, sql, name, holder, poked);
}

int store_lease_hold(struct store *s, const char *name, const char *holder, int64_t now,
                     int ttl, bool *held, bool *poked)
{
    struct arena a;
    arena_init(&a);
    char *who = NULL;
    int64_t expires = 0;
    bool asked = false;
    *held = false;
    *poked = false;
    int rc = store_lease_get(s, name, &a, &who, &expires, &asked);
    bool mine = rc == 0 && strcmp(who, holder) == 0;
    /* the holder renews with two seconds to spare (its loop wakes each second, and times are
     * whole seconds); another process waits a second past the expiry for the same reasons */
    if (mine && expires - now > ttl / 2 + 2) {
        *held = true; /* still ours for a while: no write */
    } else if (rc == ERR_NOTFOUND || (rc == 0 && (mine || expires < now))) {
        rc = store_lease_take(s, name, holder, now, ttl, held);
    }
    if (rc == 0 && *held && asked) {
        rc = store_lease_take_poke(s, name, holder, poked);
    }
    arena_fini(&a);
    return rc;
}
