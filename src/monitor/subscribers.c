/* Mail for subscribers (sign-up in one field): the daily digest once a day, a blog's new
 * posts and a search's new matches when there are some (checked hourly). Every mail carries
 * the one-click unsubscribe address (List-Unsubscribe, RFC 8058). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/log.h"
#include "monitor.h"

#define SUBSCRIBER_CHECK_GAP 3600 /* seconds between two looks at one blog or search */
#define SUBSCRIBER_MAX_ITEMS 20

static const char *site(const struct monitor_options *o)
{
    return o->base_url != NULL ? o->base_url : "http://127.0.0.1:8080";
}

static int send_one(struct store *s, struct arena *a, const struct monitor_options *o,
                    const struct store_subscriber *sub, const char *subject, struct buf *body,
                    int64_t now)
{
    const char *unsub = arena_printf(a, "%s/unsubscribe/%s", site(o), sub->token);
    buf_appendf(body, "\r\nUnsubscribe with one click: %s\r\n", unsub);
    /* the mail and its stamp together: a failure sends it again, never twice */
    int rc = store_tx_begin(s);
    if (rc == 0 && (rc = store_mail_queue_unsub(s, sub->email, subject, buf_cstr(body), unsub,
                                                now)) == 0) {
        rc = store_subscriber_sent(s, sub->id, now);
    }
    if (rc != 0) {
        store_tx_rollback(s);
        return rc;
    }
    return store_tx_commit(s);
}

static int digest_for(struct store *s, struct arena *a, const struct monitor_options *o,
                      const struct store_subscriber *sub, int64_t now)
{
    struct store_digest_row *rows;
    size_t n;
    int rc = store_digest(s, a, now - 86400, o->digest_size, &rows, &n);
    if (rc != 0 || n == 0) {
        return rc;
    }
    struct buf b;
    buf_init(&b, 0);
    buf_appendf(&b, "The guild's best of the last day:\r\n\r\n");
    for (size_t i = 0; i < n; i++) {
        buf_appendf(&b, "%zu. %s\r\n   %s/%s/%lld?from=mail (%s)\r\n\r\n", i + 1, rows[i].title,
                    site(o), rows[i].kind == 'e' ? "e" : "i",
                    (long long)(rows[i].kind == 'e' ? rows[i].id : rows[i].item_id),
                    rows[i].source);
    }
    buf_appendf(&b, "That's all for today.\r\n");
    rc = send_one(s, a, o, sub, "The guild's digest", &b, now);
    buf_fini(&b);
    return rc;
}

static int blog_for(struct store *s, struct arena *a, const struct monitor_options *o,
                    const struct store_subscriber *sub, int64_t now)
{
    struct store_entry *e;
    size_t n, fresh = 0;
    int64_t since = sub->last_sent_at > sub->confirmed_at ? sub->last_sent_at : sub->confirmed_at;
    int rc = store_entries_of_blog(s, a, strtoll(sub->target, NULL, 10), SUBSCRIBER_MAX_ITEMS,
                                   &e, &n);
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (e[i].published_at > since) {
            buf_appendf(&b, "%zu. %s\r\n   %s/e/%lld?from=mail\r\n\r\n", ++fresh, e[i].title,
                        site(o), (long long)e[i].id);
        }
    }
    if (rc == 0 && fresh > 0) {
        rc = send_one(s, a, o, sub,
                      arena_printf(a, "New on %s", n > 0 ? e[0].blog_title : "the blog"), &b,
                      now);
    }
    buf_fini(&b);
    return rc;
}

static int search_for(struct store *s, struct arena *a, const struct monitor_options *o,
                      const struct store_subscriber *sub, int64_t now)
{
    struct store_hit *h;
    size_t n, fresh = 0;
    int64_t since = sub->last_sent_at > sub->confirmed_at ? sub->last_sent_at : sub->confirmed_at;
    char *match = monitor_search_match(a, sub->target);
    if (match == NULL) {
        return 0;
    }
    int rc = store_search(s, a, match, SUBSCRIBER_MAX_ITEMS, 0, &h, &n);
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (h[i].at > since && (h[i].kind == 'e' || h[i].kind == 'l')) {
            buf_appendf(&b, "%zu. %s\r\n   %s/%s/%lld?from=mail\r\n\r\n", ++fresh, h[i].title,
                        site(o), h[i].kind == 'e' ? "e" : "i",
                        (long long)(h[i].kind == 'e' ? h[i].id : h[i].item_id));
        }
    }
    if (rc == 0 && fresh > 0) {
        rc = send_one(s, a, o, sub, arena_printf(a, "New for \"%s\"", sub->target), &b, now);
    }
    buf_fini(&b);
    return rc;
}

int monitor_subscriber_mails(struct store *s, const struct monitor_options *o, int64_t now)
{
    static const char *const kinds[] = {"digest", "blog", "search"};
    struct arena a;
    arena_init(&a);
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < 3; k++) {
        /* the digest once a UTC day; blogs and searches at most hourly */
        int64_t before = k == 0 ? now - now % 86400 : now - SUBSCRIBER_CHECK_GAP;
        struct store_subscriber *subs;
        size_t n;
        rc = store_subscribers_due(s, &a, kinds[k], before, &subs, &n);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            rc = k == 0   ? digest_for(s, &a, o, &subs[i], now)
                 : k == 1 ? blog_for(s, &a, o, &subs[i], now)
                          : search_for(s, &a, o, &subs[i], now);
            if (rc == 0 && k > 0) { /* looked at: the next look an hour from now */
                rc = store_subscriber_checked(s, subs[i].id, now);
            }
        }
    }
    arena_fini(&a);
    return rc;
}
