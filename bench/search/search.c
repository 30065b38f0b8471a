/* bench/search: full-text search over generated entries (1,000,000 by default) through the
 * store's search (the query the /search page runs: three kinds joined, hidden items left out,
 * bm25, snippets), beside the bare FTS5 index answering the same match (rowids by rank) as the
 * baseline. Prints p50/p99 per number of terms, and the ratio of p50s.
 * The snippets are made as the page makes them (text_snippet) and counted in Guild's time.
 * usage: searchbench --db PATH [--entries N] [--queries Q]
 * The database is the benchmark's own: entries are generated into it once and kept, so
 * later runs only query. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/core/util.h"
#include "../../src/store/store.h"
#include "../../src/text/text.h"

#define VOCAB 20000
#define WORDS_TITLE 6
#define WORDS_TEXT 50

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static char vocab[VOCAB][16];
static double zipf_cdf[VOCAB];

/* Pronounceable made-up words (so the stemmer has real work) and a Zipf(1) frequency. */
static void make_vocab(void)
{
    static const char *const on[] = {"b", "br", "c", "cl", "d", "dr", "f", "g", "gr", "k",
                                     "l", "m", "n", "p", "pl", "qu", "r", "s", "st", "t",
                                     "tr", "v", "w", "z"};
    static const char *const nu[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
    static const char *const co[] = {"", "n", "r", "s", "t", "l", "nd", "rk", "x", "m"};
    struct rng r = {0x2545F4914F6CDD1DULL};
    double total = 0;
    for (int i = 0; i < VOCAB; i++) {
        int syll = 2 + (int)(rng_next(&r) % 2);
        vocab[i][0] = '\0';
        for (int k = 0; k < syll; k++) {
            strcat(vocab[i], on[rng_next(&r) % 24]);
            strcat(vocab[i], nu[rng_next(&r) % 8]);
        }
        strcat(vocab[i], co[rng_next(&r) % 10]);
        total += 1.0 / (i + 1);
        zipf_cdf[i] = total;
    }
    for (int i = 0; i < VOCAB; i++) {
        zipf_cdf[i] /= total;
    }
}

static const char *zipf_word(struct rng *r)
{
    double u = (double)(rng_next(r) % 1000000007ULL) / 1000000007.0;
    int lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return vocab[lo];
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int64_t count_entries(const char *path)
{
    sqlite3 *db;
    int64_t n = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM entries", -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW) {
                n = sqlite3_column_int64(st, 0);
            }
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
    return n;
}

/* One member, one blog and its feed: the owner of every generated entry. */
static int64_t bench_feed(struct store *s)
{
    struct arena a;
    arena_init(&a);
    struct store_feed f;
    int64_t id = 0;
    if (store_feed_of_item(s, &a, 1, &f) == 0) {
        id = f.id;
        goto out;
    }
    struct store_user_new u = {.handle = "bench", .name = "Bench", .email = "b@example.org",
                               .pw_hash = "x", .affiliation = "independent", .domain = "",
                               .role = "admin"};
    int64_t uid, item;
    struct store_item it = {.kind = "blog", .url = "https://bench.example/",
                            .canon_url = "https://bench.example/", .domain = "bench.example",
                            .title = "Bench blog", .body = "", .feed_url =
                            "https://bench.example/feed", .tags = "", .user_id = 0};
    if (store_user_create(s, &u, &uid) != 0) {
        goto out;
    }
    it.user_id = uid;
    if (store_item_create(s, &it, &item) != 0 || store_feeds_sync(s) != 0 ||
        store_feed_of_item(s, &a, item, &f) != 0) {
        goto out;
    }
    id = f.id;
out:
    arena_fini(&a);
    return id;
}

static int generate(struct store *s, int64_t from, int64_t to)
{
    int64_t feed = bench_feed(s);
    if (feed == 0) {
        return 1;
    }
    struct rng r = {0x9E3779B97F4A7C15ULL + (uint64_t)from};
    char title[WORDS_TITLE * 16 + 8], text[WORDS_TEXT * 16 + 8], key[32];
    double t0 = now_ms();
    for (int64_t i = from; i < to;) {
        if (store_tx_begin(s) != 0) {
            return 1;
        }
        for (int k = 0; k < 5000 && i < to; k++, i++) {
            title[0] = text[0] = '\0';
            for (int w = 0; w < WORDS_TITLE; w++) {
                strcat(title, w ? " " : "");
                strcat(title, zipf_word(&r));
            }
            for (int w = 0; w < WORDS_TEXT; w++) {
                strcat(text, w ? " " : "");
                strcat(text, zipf_word(&r));
            }
            snprintf(key, sizeof(key), "id:%lld", (long long)i);
            struct store_entry_new e = {.feed_id = feed, .dedupe_key = key, .content_hash = key,
                                        .url = "https://bench.example/p", .title = title,
                                        .summary_html = "", .content_html = "", .text = text,
                                        .author = "", .published_at = 1700000000 + i,
                                        .fetched_at = 1700000000 + i};
            int64_t id;
            enum store_upsert what;
            if (store_entry_upsert(s, &e, &id, &what) != 0) {
                store_tx_rollback(s);
                return 1;
            }
        }
        if (store_tx_commit(s) != 0) {
            return 1;
        }
        if (i % 100000 == 0) {
            fprintf(stderr, "searchbench: %lld entries (%.0f/s)\n", (long long)i,
                    (double)(i - from) / ((now_ms() - t0) / 1e3));
        }
    }
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static double pct(double *v, int n, double p)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    int i = (int)(p * (n - 1) + 0.5);
    return v[i];
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int64_t want = 1000000;
    int nq = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db")) {
            path = argv[i + 1];
        } else if (!strcmp(argv[i], "--entries")) {
            want = atoll(argv[i + 1]);
        } else if (!strcmp(argv[i], "--queries")) {
            nq = atoi(argv[i + 1]);
        }
    }
    if (path == NULL || want <= 0 || nq <= 0 || nq > 100000) {
        fputs("usage: searchbench --db PATH [--entries N (1000000)] [--queries Q (200)]\n",
              stderr);
        return 2;
    }
    make_vocab();
    struct store *s;
    if (store_open(path, &s) != 0) {
        fprintf(stderr, "searchbench: cannot open %s\n", path);
        return 1;
    }
    int64_t have = count_entries(path);
    if (have < want) {
        double t0 = now_ms();
        if (generate(s, have, want) != 0) {
            fprintf(stderr, "searchbench: generating entries failed\n");
            return 1;
        }
        printf("generated %lld entries in %.1f s\n", (long long)(want - have),
               (now_ms() - t0) / 1e3);
    }
    sqlite3 *raw;
    sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *bare;
    sqlite3_prepare_v2(raw, "SELECT rowid FROM search_index WHERE search_index MATCH ? "
                            "ORDER BY rank LIMIT 30", -1, &bare, NULL);
    printf("search over %lld entries, %d queries per row, 30 results with snippets\n",
           (long long)(have > want ? have : want), nq);
    /* warm-up: other queries first, as a running server has answered some before these (a
     * fresh process otherwise reads every index page through a system call; in make bench,
     * after the other benchmarks, that doubled p50) */
    struct rng warm = {7};
    for (int q = 0; q < nq; q++) {
        char match[64];
        snprintf(match, sizeof(match), "\"%s\"", vocab[50 + rng_next(&warm) % 4950]);
        struct arena a;
        arena_init(&a);
        struct store_hit *hits;
        size_t n;
        if (store_search(s, &a, match, 30, 0, &hits, &n) != 0) {
            fprintf(stderr, "searchbench: warm-up query failed: %s\n", match);
            return 1;
        }
        arena_fini(&a);
    }
    struct rng r = {42};
    double *full = xcalloc((size_t)nq, sizeof(double)), *base = xcalloc((size_t)nq, sizeof(double));
    double ratio_sum = 0;
    for (int terms = 1; terms <= 3; terms++) {
        long results = 0;
        for (int q = 0; q < nq; q++) {
            char match[128] = "";
            for (int t = 0; t < terms; t++) {
                /* topical words: neither the commonest nor the rarest */
                const char *w = vocab[50 + rng_next(&r) % 4950];
                strcat(match, t ? " AND \"" : "\"");
                strcat(match, w);
                strcat(match, "\"");
            }
            struct arena a;
            arena_init(&a);
            struct store_hit *hits;
            size_t n;
            double t0 = now_ms();
            int rc = store_search(s, &a, match, 30, 0, &hits, &n);
            struct buf snip; /* the snippets the page makes from each hit's text */
            buf_init(&snip, 0);
            struct text_query *tq = text_query_new(match);
            for (size_t h = 0; rc == 0 && h < n; h++) {
                text_snippet(&snip, str_z(hits[h].text), tq, 30);
            }
            text_query_free(tq);
            buf_fini(&snip);
            full[q] = now_ms() - t0;
            results += (long)n;
            arena_fini(&a);
            if (rc != 0) {
                fprintf(stderr, "searchbench: query failed: %s\n", match);
                return 1;
            }
            t0 = now_ms();
            sqlite3_bind_text(bare, 1, match, -1, SQLITE_TRANSIENT);
            while (sqlite3_step(bare) == SQLITE_ROW) {
            }
            sqlite3_reset(bare);
            base[q] = now_ms() - t0;
        }
        double fp50 = pct(full, nq, 0.5), fp99 = pct(full, nq, 0.99);
        double bp50 = pct(base, nq, 0.5), bp99 = pct(base, nq, 0.99);
        printf("| %d term%s | guild p50 %.2f ms, p99 %.2f ms | bare FTS5 p50 %.2f ms, p99 %.2f ms "
               "| %.1f results per query |\n",
               terms, terms == 1 ? " " : "s", fp50, fp99, bp50, bp99, (double)results / nq);
        ratio_sum += fp50 / (bp50 > 0.001 ? bp50 : 0.001);
    }
    printf("ratio=%.2f\n", ratio_sum / 3); /* guild's p50 over the bare index's, averaged */
    sqlite3_finalize(bare);
    sqlite3_close(raw);
    free(full);
    free(base);
    store_close(s);
    return 0;
}
