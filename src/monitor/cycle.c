/* One fetch cycle: the feeds due now, fetched together (fetch_many), parsed, stored. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/err.h"
#include "../core/esc.h"
#include "../core/log.h"
#include "../fetch/fetch.h"
#include "../feed/feed.h"
#include "monitor.h"

#define ENTRY_TEXT_MAX 20000 /* plain text kept per entry for search and snippets */

/* A feed value as HTML: sanitised HTML as is, plain text escaped. In a. */
static const char *as_html(struct arena *a, const struct feed_text *t)
{
    if (t->value == NULL) {
        return "";
    }
    if (t->type && strstr(t->type, "html")) {
        return t->value;
    }
    struct buf b;
    buf_init(&b, 0);
    esc_html_text(&b, str_z(t->value));
    char *out = arena_strdup(a, buf_cstr(&b));
    buf_fini(&b);
    return out;
}

static const char *as_text(struct arena *a, const struct feed_text *t, size_t max)
{
    if (t->value == NULL) {
        return "";
    }
    struct buf b;
    buf_init(&b, 0);
    if (t->type && strstr(t->type, "html")) {
        feed_plain_text(&b, t->value);
    } else {
        buf_appendz(&b, t->value);
    }
    size_t n = b.len < max ? b.len : max;
    while (n > 0 && n < b.len && ((unsigned char)b.data[n] & 0xC0) == 0x80) {
        n--; /* never cut a UTF-8 sequence */
    }
    char *out = arena_strndup(a, b.data ? b.data : "", n);
    buf_fini(&b);
    return out;
}

static const char *http_url_or_empty(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8)) ? u : "";
}

static void content_hash(const struct store_entry_new *e, char out[33])
{
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    const char *parts[] = {e->url, e->title, e->summary_html, e->content_html, e->author};
    for (size_t i = 0; i < 5; i++) {
        crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
    }
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, 33, h, sizeof(h));
}

/* The entry's date for "newest first": published, else updated, else 0 (oldest). */
static int64_t entry_date(const struct feed_item *it)
{
    return it->published_at ? it->published_at : it->updated_at;
}

static int newest_first(const void *pa, const void *pb)
{
    const struct feed_item *a = *(const struct feed_item *const *)pa;
    const struct feed_item *b = *(const struct feed_item *const *)pb;
    int64_t da = entry_date(a), db = entry_date(b);
    if (da != db) {
        return da > db ? -1 : 1;
    }
    return a < b ? -1 : a > b; /* then document order: qsort is not stable */
}

/* The entries of a fetch to keep: the MONITOR_ENTRIES_PER_FETCH newest (arena). */
static const struct feed_item **entries_to_keep(struct arena *a, const struct feed_doc *d,
                                                size_t *n)
{
    const struct feed_item **order = arena_alloc(a, (d->nentries + 1) * sizeof(*order));
    for (size_t i = 0; i < d->nentries; i++) {
        order[i] = &d->entries[i];
    }
    qsort(order, d->nentries, sizeof(*order), newest_first);
    *n = d->nentries < MONITOR_ENTRIES_PER_FETCH ? d->nentries : MONITOR_ENTRIES_PER_FETCH;
    return order;
}

/* Stores one entry and matches it, when new, against the saved searches (each query run
 * against that one entry only). */
static int store_one_entry(struct store *s, struct arena *a, int64_t feed_id,
                           const struct feed_item *it, const struct store_saved_search *searches,
                           size_t nsearches, int64_t now, struct monitor_stats *st)
{
    struct store_entry_new e = {.feed_id = feed_id, .fetched_at = now};
    e.url = http_url_or_empty(it->link);
    e.title = as_text(a, &it->title, 300);
    e.summary_html = as_html(a, &it->summary);
    e.content_html = it->ncontent > 0 ? as_html(a, &it->content[0]) : "";
    e.text = as_text(a, it->ncontent > 0 ? &it->content[0] : &it->summary, ENTRY_TEXT_MAX);
    e.author = it->author_name ? it->author_name : it->author ? it->author : "";
    int64_t when = entry_date(it);
    e.published_at = when > 0 && when <= now + 86400 ? when : now;
    e.updated_at = it->updated_at;
    char key[600], hash[33];
    monitor_dedupe_key(it->id, e.url, e.title, e.text, key, sizeof(key));
    e.dedupe_key = key;
    content_hash(&e, hash);
    e.content_hash = hash;
    int64_t id = 0;
    enum store_upsert what;
    int rc = store_entry_upsert(s, &e, &id, &what);
    if (rc != 0) {
        return rc;
    }
    st->new_entries += what == STORE_NEW;
    st->updated_entries += what == STORE_UPDATED;
    for (size_t k = 0; what == STORE_NEW && k < nsearches && rc == 0; k++) {
        bool yes = false;
        if (store_entry_matches(s, id, searches[k].match, &yes) == 0 && yes) {
            rc = store_search_hit_add(s, searches[k].id, id, now);
            st->hits += rc == 0;
        }
    }
    return rc;
}

/* Stores the newest MONITOR_ENTRIES_PER_FETCH of a document's entries in transactions of
 * MONITOR_ENTRIES_PER_TX, so that site writes wait at most one short batch for the writer,
 * then keeps the feed's MONITOR_ENTRIES_PER_FEED newest entries. */
static int store_entries(struct store *s, struct arena *a, int64_t feed_id,
                         const struct feed_doc *d, const struct store_saved_search *searches,
                         size_t nsearches, int64_t now, struct monitor_stats *st)
{
    size_t n;
    const struct feed_item **keep = entries_to_keep(a, d, &n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i += MONITOR_ENTRIES_PER_TX) {
        if ((rc = store_tx_begin(s)) != 0) {
            return rc;
        }
        for (size_t j = i; j < n && j < i + MONITOR_ENTRIES_PER_TX && rc == 0; j++) {
            rc = store_one_entry(s, a, feed_id, keep[j], searches, nsearches, now, st);
        }
        if (rc != 0) {
            store_tx_rollback(s);
            return rc;
        }
        rc = store_tx_commit(s);
    }
    int pruned = 0;
    return rc != 0 ? rc : store_entries_prune(s, feed_id, MONITOR_ENTRIES_PER_FEED, &pruned);
}

static double jitter(void)
{
    return (double)randombytes_uniform(1000000) / 1e6;
}

static void failed(const struct monitor_options *o, struct store_feed *f, int64_t now,
                   const char *why, const char *retry_after, struct monitor_stats *st)
{
    f->errors++;
    f->status = "failing";
    f->last_error = why;
    f->next_check_at = monitor_backoff(o, now, f->errors, jitter(), retry_after);
    st->failed++;
}

/* What one fetch means for its feed: the new state, and entries stored when it brought some. */
static void apply(struct store *s, struct arena *a, const struct monitor_options *o,
                  struct store_feed *f, struct fetch_job *j, const struct store_saved_search *ss,
                  size_t nss, int64_t now, struct monitor_stats *st)
{
    struct fetch_result *r = &j->r;
    f->last_checked_at = now;
    f->http_status = (int)r->status;
    st->checked++;
    if (j->rc != 0) {
        const char *why = j->rc == ERR_TOOBIG ? "the feed is larger than the size cap"
                          : r->refused        ? r->refused
                                              : err_code(j->rc);
        failed(o, f, now, arena_printf(a, "not fetched: %s", why), NULL, st);
        return;
    }
    if (r->status == 410) {
        f->status = "gone";
        f->last_error = "410 Gone: the publisher retired this feed; it is no longer checked";
        st->gone++;
        return;
    }
    if (r->status == 304) {
        f->status = "not-modified";
        f->errors = 0;
        f->last_error = "";
        f->last_ok_at = now;
        f->next_check_at = monitor_next_check(o, now, 0, r->cache_control, r->expires, r->date,
                                              r->retry_after);
        st->not_modified++;
        return;
    }
    if (r->status < 200 || r->status >= 300) {
        failed(o, f, now, arena_printf(a, "HTTP status %ld", r->status), r->retry_after, st);
        return;
    }
    if (r->permanent && r->final_url && strcmp(r->final_url, f->url) != 0) {
        f->moved_from = f->url; /* a permanent redirect: the new address from now on */
        f->url = arena_strdup(a, r->final_url);
    }
    const char *base = r->final_url ? r->final_url : f->url;
    struct feed_doc *d = NULL;
    const char *refused = NULL;
    struct feed_headers h = {r->content_type, r->content_language};
    int prc = feed_parse(a, r->body.data ? r->body.data : "", r->body.len, &h, base, &d,
                         &refused);
    if (prc == 0 && d->version[0] == '\0' && f->discover) {
        prc = ERR_INVAL; /* an HTML page: look for its feed below */
    }
    if (prc != 0 && f->discover) {
        const char *found = feed_discover(a, r->body.data ? r->body.data : "", r->body.len, base);
        if (found != NULL) {
            f->url = found;
            f->discover = false;
            f->status = "new";
            f->last_error = "";
            f->next_check_at = now; /* fetched in the next cycle */
            st->discovered++;
            return;
        }
        failed(o, f, now, "no feed found: the blog's page names none with <link rel=alternate>",
               NULL, st);
        return;
    }
    if (prc != 0) {
        failed(o, f, now, arena_printf(a, "not a feed: %s", refused ? refused : "unreadable"),
               NULL, st);
        return;
    }
    if (store_entries(s, a, f->id, d, ss, nss, now, st) != 0) {
        failed(o, f, now, "could not store the entries (database busy); retried later", NULL, st);
        return;
    }
    f->discover = false;
    f->status = "ok";
    f->errors = 0;
    f->last_error = d->bozo ? arena_printf(a, "read with problems: %s",
                                           d->bozo_message ? d->bozo_message : "ill-formed")
                            : "";
    f->last_ok_at = now;
    f->title = d->feed.title.value ? d->feed.title.value : f->title;
    f->etag = r->etag ? r->etag : "";
    /* a Last-Modified from the future would suppress updates until then: not echoed */
    int64_t lm;
    bool future = r->last_modified && feed_parse_date(r->last_modified, &lm) && lm > now + 60;
    f->last_modified = r->last_modified && !future ? r->last_modified : "";
    f->next_check_at = monitor_next_check(o, now, d->feed.ttl_minutes, r->cache_control,
                                          r->expires, r->date, r->retry_after);
    st->ok++;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The state one cycle's done-callback needs. */
struct cycle {
    struct store *s;
    const struct monitor_options *o;
    struct store_feed *feeds;
    struct fetch_job *jobs;
    const struct store_saved_search *ss;
    size_t nss;
    int64_t now;
    struct monitor_stats *st;
    double store_seconds;
};

static void job_done(struct fetch_job *j, void *ctx)
{
    struct cycle *c = ctx;
    struct store_feed *f = &c->feeds[j - c->jobs];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (j->r.refused != fetch_cancelled) { /* a cancelled feed keeps its state */
        struct arena ja; /* this feed's parse: released before the next one arrives */
        arena_init(&ja);
        apply(c->s, &ja, c->o, f, j, c->ss, c->nss, c->now, c->st);
        if (store_feed_save(c->s, f) != 0) {
            log_warn("feed %lld: its state could not be saved", (long long)f->id);
        }
        arena_fini(&ja);
    }
    fetch_result_fini(&j->r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    c->store_seconds += seconds_between(&t0, &t1);
}

int monitor_fetch_cycle(struct store *s, const struct monitor_options *o, int64_t now,
                        struct monitor_stats *st)
{
    struct arena a;
    arena_init(&a);
    struct store_feed *feeds = NULL;
    struct store_saved_search *ss = NULL;
    struct fetch_job *jobs = NULL;
    size_t n = 0, nss = 0;
    int rc = store_feeds_sync(s);
    if (rc == 0) {
        rc = store_feeds_due(s, &a, now, o->max_feeds, &feeds, &n);
    }
    if (rc == 0) {
        rc = store_saved_searches(s, &a, 0, &ss, &nss);
    }
    if (rc != 0 || n == 0) {
        goto cleanup;
    }
    jobs = calloc(n, sizeof(*jobs));
    if (jobs == NULL) {
        rc = ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        jobs[i].url = feeds[i].url;
        jobs[i].if_none_match = feeds[i].etag[0] ? feeds[i].etag : NULL;
        jobs[i].if_modified_since = feeds[i].last_modified[0] ? feeds[i].last_modified : NULL;
    }
    struct cycle c = {s, o, feeds, jobs, ss, nss, now, st, 0};
    struct fetch_options fo;
    fetch_options_default(&fo);
    fo.allow_loopback = o->allow_loopback;
    fo.timeout_ms = o->timeout_ms;
    fo.max_bytes = o->max_bytes;
    fo.cancel = o->cancel;
    fo.done = job_done; /* each result is stored and released as it arrives */
    fo.done_ctx = &c;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fetch_many(jobs, n, &fo, o->parallel, o->host_gap_ms);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double total = seconds_between(&t0, &t1);
    st->store_seconds += c.store_seconds;
    st->fetch_seconds += total - c.store_seconds;
cleanup:
    free(jobs);
    arena_fini(&a);
    return rc;
}
