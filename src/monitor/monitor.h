/* Monitoring the guild's blogs: one fetch cycle (due feeds fetched politely and
 * concurrently, parsed, their entries stored and deduplicated, saved searches matched as
 * entries arrive, each feed's next check scheduled), then alerts (webhook or mail, one per
 * saved search summarising its new matches by quality), the daily digest mail, and the mail
 * sender (SMTP through libcurl, retried). `guild fetch` runs one cycle; `guild serve` runs a
 * worker thread that does the same every few minutes.
 * Ownership: results are plain values; the store is the caller's. */
#ifndef GUILD_MONITOR_MONITOR_H
#define GUILD_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "../core/arena.h"
#include "../store/store.h"

/* A feed may hold thousands of entries (one nominated blog held 43,000): a fetch stores the
 * newest 100 (by date, then document order), a blog keeps its newest 500, and entries are
 * written 25 to a transaction so that the site's own writes never wait long (docs/monitoring.md). */
#define MONITOR_ENTRIES_PER_FETCH 100
#define MONITOR_ENTRIES_PER_FEED 500
#define MONITOR_ENTRIES_PER_TX 25

struct monitor_options {
    int64_t interval;      /* seconds between checks of one feed, at least (3600) */
    int64_t backoff_cap;   /* longest wait after errors (7 days) */
    int parallel;          /* transfers at once (16) */
    long host_gap_ms;      /* between two requests to one host (1000) */
    long timeout_ms;       /* per feed (20 s) */
    size_t max_bytes;      /* per feed (4 MiB) */
    int max_feeds;         /* per cycle (5000) */
    bool allow_loopback;   /* tests only (GUILD_TEST_MODE=1) */
    const char *smtp_url;  /* "smtp://host:port"; NULL: mail stays queued */
    const char *mail_from; /* envelope and From: address */
    const char *base_url;  /* absolute links in mails and webhooks */
    int digest_size;       /* entries and links in the digest (10) */
    const volatile bool *cancel; /* set by the worker when the server stops */
};

struct monitor_stats {
    int checked, ok, not_modified, failed, gone, discovered;
    int new_entries, updated_entries, hits;
    int alerts_sent, alerts_failed, mails_sent, mails_failed;
    double fetch_seconds, store_seconds; /* wall time of the transfers, and of the rest */
};

void monitor_options_default(struct monitor_options *o);

/* One cycle over the feeds due now. Returns 0 or a store error. */
int monitor_fetch_cycle(struct store *s, const struct monitor_options *o, int64_t now,
                        struct monitor_stats *st);
/* Alerts for saved searches with new matches, and digest mails due today. */
int monitor_alerts(struct store *s, const struct monitor_options *o, int64_t now,
                   struct monitor_stats *st);
/* NULL when url can be a saved search's webhook; else a sentence saying why not (in a).
 * Names a host that resolves to a private address only when the alert is sent. */
const char *monitor_webhook_refusal(struct arena *a, const char *url);
/* Sends queued mail through o->smtp_url (nothing when it is NULL). */
/* Webhook deliveries due now (deliver.c): signed with the hook's secret as
 * X-Guild-Signature: t=UNIX_TIME,v1=hex(HMAC-SHA256(secret, "t.body")), retried with backoff
 * for a day, each outcome in the delivery log. */
int monitor_deliver_webhooks(struct store *s, const struct monitor_options *o, int64_t now,
                             struct monitor_stats *st) __attribute__((warn_unused_result));
/* Mail for confirmed subscribers (subscribers.c): the digest once a UTC day, a blog's or a
 * search's news when there is some, each with its one-click unsubscribe. */
int monitor_subscriber_mails(struct store *s, const struct monitor_options *o, int64_t now)
    __attribute__((warn_unused_result));
/* The v1 signature of body sent at t (65 bytes with the NUL). */
void monitor_webhook_sign(const char *secret, int64_t t, const char *body, char out[65]);
int monitor_send_mail(struct store *s, const struct monitor_options *o, int64_t now,
                      struct monitor_stats *st);

/* Scheduling (pure). The next check after a good fetch: the largest of our interval, the
 * feed's TTL (minutes), Cache-Control max-age, Expires (against the server's Date, else
 * now) and Retry-After; at most backoff_cap ahead. */
int64_t monitor_next_check(const struct monitor_options *o, int64_t now, int ttl_minutes,
                           const char *cache_control, const char *expires, const char *date,
                           const char *retry_after);
/* After the n-th consecutive error: interval * 2^(n-1), capped, times a random factor in
 * [0.5, 1.5) from jitter (0..1), so failing feeds are not all retried at one instant; a
 * Retry-After later than that wins. */
int64_t monitor_backoff(const struct monitor_options *o, int64_t now, int errors, double jitter,
                        const char *retry_after);
/* The key that identifies an entry across fetches: its id, else its canonical link, else a
 * hash of its text. Written into out (at most outsz bytes). */
void monitor_dedupe_key(const char *id, const char *link, const char *title, const char *body,
                        char *out, size_t outsz);

/* The FTS5 expression for what a member typed: each word a quoted term (all must match),
 * "quoted phrases" kept, OR between terms honoured. NULL (ERR_INVAL) when no word is left.
 * In a. */
char *monitor_search_match(struct arena *a, const char *query);

/* The serve worker: every `every` seconds a cycle, alerts and mail. */
struct monitor_worker;
struct monitor_worker *monitor_start(struct store_pool *pool, const struct monitor_options *o,
                                     int every);
void monitor_stop(struct monitor_worker *w);

#endif
