/* Webhook deliveries: signed, sent through the fetch guard, retried with exponential backoff
 * and jitter for a day. Run by the monitor's worker, never by a request, so a dead endpoint
 * costs members nothing. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "../fetch/fetch.h"
#include "monitor.h"

#define DELIVERY_GIVE_UP (24 * 3600) /* seconds after the event */
#define DELIVERY_FIRST_WAIT 30       /* seconds before the first retry; doubles each time */
#define DELIVERY_BUDGET 30           /* seconds a cycle spends delivering, at most */

void monitor_webhook_sign(const char *secret, int64_t t, const char *body, char out[65])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char ts[24];
    int n = snprintf(ts, sizeof(ts), "%lld.", (long long)t);
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

/* When to try again after `attempts` failures: 30 s, 1 min, 2 min ... capped at 6 h, each
 * spread by up to a quarter either way (jitter, so that many receivers coming back at once
 * are not all retried at once); 0 once a day has passed since the event. */
static int64_t next_attempt(const struct store_delivery *d, int64_t now)
{
    int shift = d->attempts < 10 ? d->attempts : 10;
    int64_t wait = (int64_t)DELIVERY_FIRST_WAIT << shift;
    wait = wait > 6 * 3600 ? 6 * 3600 : wait;
    wait += (int64_t)randombytes_uniform((uint32_t)(wait / 2 + 1)) - wait / 4;
    int64_t at = now + wait;
    return at > d->created_at + DELIVERY_GIVE_UP ? 0 : at;
}

/* Returns whether it was delivered. */
static bool deliver_one(struct store *s, struct arena *a, const struct monitor_options *o,
                        const struct store_delivery *d, int64_t now, struct monitor_stats *st)
{
    struct store_webhook w;
    if (store_webhook_get(s, a, d->webhook_id, &w) != 0) {
        if (store_delivery_result(s, d->id, false, 0, "the webhook is gone", 0, now) != 0) {
            log_warn("webhook delivery %lld: could not record the outcome", (long long)d->id);
        }
        return false;
    }
    char sig[65];
    monitor_webhook_sign(w.secret, now, d->body, sig);
    const char *headers[] = {
        arena_printf(a, "X-Guild-Signature: t=%lld,v1=%s", (long long)now, sig),
        arena_printf(a, "X-Guild-Event: %s", d->event),
        arena_printf(a, "X-Guild-Delivery: %lld", (long long)d->id), NULL};
    struct fetch_options fo;
    fetch_options_default(&fo);
    fo.post_body = d->body;
    fo.post_type = "application/json";
    fo.post_headers = headers;
    fo.allow_loopback = o->allow_loopback;
    fo.max_bytes = 64 * 1024;
    fo.timeout_ms = 10000;
    struct fetch_result r;
    int frc = fetch_url(w.url, &fo, &r);
    bool ok = frc == 0 && r.status >= 200 && r.status < 300;
    const char *why = ok    ? NULL
                      : frc ? arena_printf(a, "not delivered: %s", r.refused ? r.refused : err_code(frc))
                            : arena_printf(a, "the receiver answered HTTP %ld", r.status);
    int status = frc == 0 ? (int)r.status : 0;
    fetch_result_fini(&r);
    int64_t next = ok ? 0 : next_attempt(d, now);
    if (!ok) {
        st->alerts_failed++;
        log_warn("webhook %lld, delivery %lld: %s%s", (long long)w.id, (long long)d->id, why,
                 next ? "; tried again later" : "; given up");
    }
    if (store_delivery_result(s, d->id, ok, status, why, next, now) != 0) {
        log_warn("webhook delivery %lld: could not record the outcome", (long long)d->id);
    }
    return ok;
}

int monitor_deliver_webhooks(struct store *s, const struct monitor_options *o, int64_t now,
                             struct monitor_stats *st)
{
    struct arena a;
    arena_init(&a);
    struct store_delivery *list = NULL;
    size_t n = 0;
    int rc = store_deliveries_due(s, &a, now, 50, &list, &n);
    /* a receiver that failed is not tried again this cycle (its other deliveries wait for
     * the next), and the whole cycle spends at most DELIVERY_BUDGET seconds: dead or slow
     * receivers cannot hold up the mail behind them or the fetcher's lease */
    int64_t failed[50];
    size_t nfailed = 0;
    int64_t start = now_unix();
    for (size_t i = 0; rc == 0 && i < n && !(o->cancel != NULL && *o->cancel); i++) {
        bool skip = now_unix() - start > DELIVERY_BUDGET;
        for (size_t k = 0; k < nfailed && !skip; k++) {
            skip = failed[k] == list[i].webhook_id;
        }
        if (!skip && !deliver_one(s, &a, o, &list[i], now, st) && nfailed < 50) {
            failed[nfailed++] = list[i].webhook_id;
        }
    }
    arena_fini(&a);
    return rc;
}
