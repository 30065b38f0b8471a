/* Pure helpers of the monitor: when to check a feed next, how long to back off after errors,
 * the dedupe key of an entry, and the FTS5 expression for a member's query. */
#define _GNU_SOURCE /* strcasestr */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/url.h"
#include "../feed/feed.h"
#include "monitor.h"

void monitor_options_default(struct monitor_options *o)
{
    *o = (struct monitor_options){.interval = 3600,
                                  .backoff_cap = 7 * 86400,
                                  .parallel = 16,
                                  .host_gap_ms = 1000,
                                  .timeout_ms = 20000,
                                  .max_bytes = 4 * 1024 * 1024,
                                  .max_feeds = 5000,
                                  .digest_size = 10,
                                  .mail_from = "guild@localhost"};
}

/* Seconds named by a Retry-After (delta seconds or an HTTP date), 0 when absent. */
static int64_t retry_after_s(const char *v, int64_t now)
{
    if (v == NULL || v[0] == '\0') {
        return 0;
    }
    if (isdigit((unsigned char)v[0])) {
        long long n = atoll(v);
        return n > 0 ? n : 0;
    }
    int64_t t;
    return feed_parse_date(v, &t) && t > now ? t - now : 0;
}

int64_t monitor_next_check(const struct monitor_options *o, int64_t now, int ttl_minutes,
                           const char *cache_control, const char *expires, const char *date,
                           const char *retry_after)
{
    int64_t wait = o->interval;
    if (ttl_minutes > 0 && (int64_t)ttl_minutes * 60 > wait) {
        wait = (int64_t)ttl_minutes * 60;
    }
    const char *ma = cache_control ? strcasestr(cache_control, "max-age=") : NULL;
    if (ma != NULL) {
        long long v = atoll(ma + 8);
        if (v > wait) {
            wait = v;
        }
    }
    int64_t exp, served;
    if (expires && feed_parse_date(expires, &exp)) {
        /* against the server's clock when it said what time it was */
        int64_t base = date && feed_parse_date(date, &served) ? served : now;
        if (exp - base > wait) {
            wait = exp - base;
        }
    }
    int64_t ra = retry_after_s(retry_after, now);
    if (ra > wait) {
        wait = ra;
    }
    if (wait > o->backoff_cap) {
        wait = o->backoff_cap;
    }
    return now + wait;
}

int64_t monitor_backoff(const struct monitor_options *o, int64_t now, int errors, double jitter,
                        const char *retry_after)
{
    double wait = (double)o->interval;
    for (int i = 1; i < errors && wait < (double)o->backoff_cap; i++) {
        wait *= 2;
    }
    if (wait > (double)o->backoff_cap) {
        wait = (double)o->backoff_cap;
    }
    wait *= 0.5 + jitter; /* spread retries: failing feeds never move in lockstep */
    int64_t ra = retry_after_s(retry_after, now);
    return now + ((double)ra > wait ? ra : (int64_t)wait);
}

void monitor_dedupe_key(const char *id, const char *link, const char *title, const char *body,
                        char *out, size_t outsz)
{
    if (id != NULL && id[0] != '\0') {
        snprintf(out, outsz, "id:%s", id);
        return;
    }
    if (link != NULL && link[0] != '\0') {
        struct arena a;
        arena_init(&a);
        char *canon = NULL, *host = NULL;
        snprintf(out, outsz, "link:%s",
                 url_canonicalize(&a, link, &canon, &host) == 0 ? canon : link);
        arena_fini(&a);
        return;
    }
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)(title ? title : ""),
                              title ? strlen(title) : 0);
    crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
    crypto_generichash_update(&st, (const unsigned char *)(body ? body : ""),
                              body ? strlen(body) : 0);
    crypto_generichash_final(&st, h, sizeof(h));
    char hex[33];
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    snprintf(out, outsz, "hash:%s", hex);
}

char *monitor_search_match(struct arena *a, const char *query)
{
    struct buf b;
    buf_init(&b, 4096);
    size_t terms = 0;
    bool pending_or = false;
    for (const char *p = query; *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        bool phrase = *p == '"';
        const char *start = p + phrase;
        const char *end = start;
        if (phrase) {
            while (*end && *end != '"') {
                end++;
            }
            p = *end ? end + 1 : end;
        } else {
            while (*end && !isspace((unsigned char)*end) && *end != '"') {
                end++;
            }
            p = end;
        }
        if (!phrase && end - start == 2 && strncmp(start, "OR", 2) == 0) {
            pending_or = terms > 0;
            continue;
        }
        /* keep letters, digits and any non-ASCII byte; everything else separates words */
        struct buf word;
        buf_init(&word, 1024);
        for (const char *c = start; c < end; c++) {
            unsigned char ch = (unsigned char)*c;
            bool keep = isalnum(ch) || ch >= 0x80;
            if (keep) {
                buf_appendc(&word, *c);
            } else if (word.len > 0 && word.data[word.len - 1] != ' ') {
                buf_appendc(&word, ' ');
            }
        }
        while (word.len > 0 && word.data[word.len - 1] == ' ') {
            word.len--;
        }
        if (word.len > 0) {
            buf_appendz(&b, terms == 0 ? "" : pending_or ? " OR " : " AND ");
            buf_appendc(&b, '"');
            buf_append(&b, word.data, word.len);
            buf_appendc(&b, '"');
            terms++;
        }
        pending_or = false;
        buf_fini(&word);
    }
    char *out = terms > 0 && !buf_err(&b) ? arena_strdup(a, buf_cstr(&b)) : NULL;
    buf_fini(&b);
    return out;
}
