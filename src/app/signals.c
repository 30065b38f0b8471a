/* Reader signals: what a reader did, recorded without an address (members by id, visitors
 * by a daily hash, Global Privacy Control readers not told apart at all), and an author's
 * statistics with every cell under five distinct readers withheld. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "app.h"

/* The signals this process recorded lately, by a hash of what makes a row unique (target,
 * kind, source, reader, day): a reader's second view of a page the same day writes nothing
 * (the database would ignore it anyway; this spares the write). A slot is overwritten by
 * whatever lands on it, which costs only a write the database then ignores. */
#define SEEN_SLOTS 65536

struct app_seen {
    pthread_mutex_t mu;
    uint64_t slot[SEEN_SLOTS];
    int64_t salt_day;       /* the day salt belongs to (0: none yet) */
    unsigned char salt[32]; /* that day's key of visitors' hashes */
};

void app_signals_fini(struct app *app)
{
    if (app->seen != NULL) {
        pthread_mutex_destroy(&app->seen->mu);
        free(app->seen);
        app->seen = NULL;
    }
}

static uint64_t seen_hash(const struct store_reader_event *e)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    char key[160];
    int n = snprintf(key, sizeof(key), "%lld|%lld|%s|%s|%lld|", (long long)e->item_id,
                     (long long)e->entry_id, e->kind, e->source, (long long)(e->at / 86400));
    for (int i = 0; i < n && i < (int)sizeof(key); i++) {
        h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    }
    for (const char *p = e->reader; *p; p++) {
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    }
    return h | 1; /* 0 is an empty slot */
}

/* Whether h was recorded lately; mark: remember it. */
static bool seen(struct app_seen *s, uint64_t h, bool mark)
{
    pthread_mutex_lock(&s->mu);
    uint64_t *slot = &s->slot[h % SEEN_SLOTS];
    bool was = *slot == h;
    if (mark) {
        *slot = h;
    }
    pthread_mutex_unlock(&s->mu);
    return was;
}

/* Visitors' hashes are keyed with a random key of the day, shared by the nodes through the
 * settings table (the first node to need it makes it) and deleted once the day is over: a
 * copy of the database holds only today's key, so yesterday's hashes can no longer be matched
 * to an address by trying them all. */
#define VISITOR_SALT_PREFIX "visitor_salt_"

int app_signals_init(struct app *app)
{
    app->seen = xcalloc(1, sizeof(*app->seen));
    pthread_mutex_init(&app->seen->mu, NULL);
    return 0;
}

static int day_salt_load(struct http_request *rq, int64_t day, unsigned char out[32])
{
    struct store *db = http_db(rq);
    char key[48], from[48], hex[65];
    unsigned char raw[32];
    snprintf(key, sizeof(key), VISITOR_SALT_PREFIX "%08lld", (long long)day);
    snprintf(from, sizeof(from), VISITOR_SALT_PREFIX "%08lld", 0LL);
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
    char *salt;
    int rc = store_setting_add(db, key, hex); /* another node's, when it came first */
    if (rc == 0) {
        rc = store_setting_get(db, &rq->arena, key, &salt);
    }
    if (rc == 0 && (strlen(salt) != 64 ||
                    sodium_hex2bin(out, 32, salt, 64, NULL, NULL, NULL) != 0)) {
        rc = ERR_DB;
    }
    if (rc == 0 && store_settings_prune(db, from, key) != 0) {
        log_warn("could not delete the visitor keys of past days");
    }
    return rc;
}

/* Today's key (cached in the process; loaded once a day). */
static int day_salt(struct http_request *rq, unsigned char out[32])
{
    struct app_seen *s = rq->app->seen;
    int64_t day = rq->now / 86400;
    pthread_mutex_lock(&s->mu);
    bool have = s->salt_day == day;
    if (have) {
        memcpy(out, s->salt, 32);
    }
    pthread_mutex_unlock(&s->mu);
    if (have) {
        return 0;
    }
    int rc = day_salt_load(rq, day, out);
    if (rc == 0) {
        pthread_mutex_lock(&s->mu);
        s->salt_day = day;
        memcpy(s->salt, out, 32);
        pthread_mutex_unlock(&s->mu);
    }
    return rc;
}

/* "u<id>" for a member; NULL for a logged-out reader who sent Sec-GPC: 1; otherwise "v" and
 * a hash of the client's address and its user agent keyed with the day's key: the same
 * visitor is one reader for a day, and once the day's key is gone nothing leads back to the
 * address. *failed: no key could be had (nothing is recorded then). */
static const char *reader_key(struct http_request *rq, bool *failed)
{
    *failed = false;
    if (rq->user != NULL) {
        return arena_printf(&rq->arena, "u%lld", (long long)rq->user->id);
    }
    const char *gpc = http_header(rq, "Sec-GPC");
    if (gpc != NULL && strcmp(gpc, "1") == 0) {
        return NULL;
    }
    unsigned char key[32];
    if (day_salt(rq, key) != 0) {
        *failed = true; /* no key, no hash: the view goes uncounted */
        return NULL;
    }
    const char *ua = http_header(rq, "User-Agent");
    const char *msg = arena_printf(&rq->arena, "%s|%s", http_client_key(rq), ua != NULL ? ua : "");
    unsigned char h[12];
    char hex[25];
    crypto_generichash(h, sizeof(h), (const unsigned char *)msg, strlen(msg), key, sizeof(key));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return arena_printf(&rq->arena, "v%s", hex);
}

static const char *const sources[] = {"front", "new",  "digest", "river",
                                      "search", "mail", "outside", "site"};

const char *const *app_signal_sources(size_t *n)
{
    *n = sizeof(sources) / sizeof(sources[0]);
    return sources;
}

/* Where the reader came from: ?from= on a tracked link, else the page of this site that
 * linked here (browsers send it: Referrer-Policy same-origin), else outside. */
static const char *signal_source(struct http_request *rq)
{
    const char *from = http_query(rq, "from");
    for (size_t i = 0; from != NULL && i < sizeof(sources) / sizeof(sources[0]); i++) {
        if (strcmp(from, sources[i]) == 0) {
            return sources[i];
        }
    }
    const char *ref = http_header(rq, "Referer");
    const char *base = rq->app->cfg.base_url;
    size_t bl = base != NULL ? strlen(base) : 0;
    const char *host = http_header(rq, "Host");
    const char *path = NULL;
    if (ref != NULL && bl > 0 && strncmp(ref, base, bl) == 0) {
        path = ref + bl;
    } else if (ref != NULL && host != NULL) {
        const char *p = strstr(ref, "://");
        size_t hl = strlen(host);
        if (p != NULL && strncmp(p + 3, host, hl) == 0 && (p[3 + hl] == '/' || !p[3 + hl])) {
            path = p + 3 + hl;
        }
    }
    if (path == NULL) {
        return "outside";
    }
    static const struct { const char *path, *source; } pages[] = {
        {"/new", "new"}, {"/digest", "digest"}, {"/river", "river"}, {"/search", "search"}};
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        size_t n = strlen(pages[i].path);
        if (strncmp(path, pages[i].path, n) == 0 && strchr("?#/", path[n]) != NULL) {
            return pages[i].source;
        }
    }
    return path[0] == '\0' || strcmp(path, "/") == 0 || strncmp(path, "/?", 2) == 0 ? "front"
                                                                                  : "site";
}

void app_record_signal(struct http_request *rq, int64_t item_id, int64_t entry_id,
                       const char *kind, int allowed)
{
    if (!rq->app->cfg.reader_signals) {
        return;
    }
    bool failed;
    struct store_reader_event e = {.item_id = item_id,
                                   .entry_id = entry_id,
                                   .kind = kind,
                                   .source = signal_source(rq),
                                   .reader = reader_key(rq, &failed),
                                   .user_id = rq->user != NULL ? rq->user->id : 0,
                                   .at = rq->now};
    if (failed) {
        log_warn("no visitor key for today: a view went uncounted");
        return;
    }
    /* GPC readers are not told apart: each of their views is a row (within the rate limit) */
    uint64_t h = e.reader != NULL && rq->app->seen != NULL ? seen_hash(&e) : 0;
    if (h != 0 && seen(rq->app->seen, h, false)) {
        return;
    }
    if (allowed < 0) {
        allowed = app_rate_allow(rq->app, rq, APP_READ);
    }
    if (!allowed) {
        return; /* a flood counts once it slows down; the reader still gets the page */
    }
    if (store_reader_event(http_db(rq), &e) != 0) {
        log_warn("could not record a %s of item %lld / entry %lld", kind, (long long)item_id,
                 (long long)entry_id);
    } else if (h != 0) {
        seen(rq->app->seen, h, true);
    }
}
