/* The home timeline's pages, for the page and the API alike: the window it covers (back to the
 * member's last visit, at least APP_HOME_MIN_DAYS and at most APP_HOME_MAX_DAYS), and the
 * cursor that carries the window from page to page so that it ends where it began. */
#include <inttypes.h>
#include <string.h>

#include "../core/err.h"
#include "app.h"

#define APP_HOME_MIN_DAYS 3
#define APP_HOME_MAX_DAYS 30

/* One non-negative decimal field of a cursor, ending at `end` ('.' or NUL). */
static bool cursor_field(const char **p, char end, int64_t *out)
{
    const char *s = *p;
    int64_t v = 0;
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++) {
        if (n >= 18) {
            return false; /* no field needs more: keeps v far from overflowing */
        }
        v = v * 10 + (s[n] - '0');
    }
    if (n == 0 || s[n] != end) {
        return false;
    }
    *p = s + n + (end != '\0');
    *out = v;
    return true;
}

/* "AT.KIND.ID.SINCE" (all decimal), with SINCE within the window a first page could have:
 * a cursor made by hand cannot reach further back than APP_HOME_MAX_DAYS. */
static bool parse_cursor(const char *s, int64_t now, struct store_timeline_cursor *c,
                         int64_t *since)
{
    int64_t at, kind, id, from;
    if (!cursor_field(&s, '.', &at) || !cursor_field(&s, '.', &kind) ||
        !cursor_field(&s, '.', &id) || !cursor_field(&s, '\0', &from) || at == 0 || kind > 3) {
        return false;
    }
    *c = (struct store_timeline_cursor){at, id, (int)kind};
    int64_t floor = now - APP_HOME_MAX_DAYS * 86400;
    *since = from < floor ? floor : from > now ? now : from;
    return true;
}

int app_timeline(struct http_request *rq, const char *before, int limit, struct app_timeline *out)
{
    struct store *db = http_db(rq);
    struct store_timeline_cursor cur = {0, 0, 0};
    int64_t since = 0;
    memset(out, 0, sizeof(*out));
    if (before != NULL && before[0] != '\0') {
        if (!parse_cursor(before, rq->now, &cur, &since)) {
            return http_fail(rq, ERR_INVAL, "before",
                             "before is the next_before of the previous page.");
        }
    } else {
        int64_t prev;
        int rc = store_home_visit(db, rq->user->id, rq->now, &prev);
        if (rc != 0) {
            return rc;
        }
        int64_t floor = rq->now - APP_HOME_MAX_DAYS * 86400;
        int64_t ceil = rq->now - APP_HOME_MIN_DAYS * 86400;
        since = prev < floor ? floor : prev > ceil ? ceil : prev;
        out->last_visit = prev;
    }
    out->since = since;
    int rc = store_timeline(db, &rq->arena, rq->user->id, since, cur.at ? &cur : NULL, limit + 1,
                            &out->entries, &out->n);
    if (rc != 0) {
        return rc;
    }
    out->up_to_date = out->n <= (size_t)limit;
    if (!out->up_to_date) {
        out->n = (size_t)limit;
        const struct store_timeline_entry *last = &out->entries[limit - 1];
        out->next = arena_printf(&rq->arena, "%" PRId64 ".%d.%" PRId64 ".%" PRId64, last->at,
                                 last->order, last->id, since);
    }
    return 0;
}
