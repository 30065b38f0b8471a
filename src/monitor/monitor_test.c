/* Unit tests for the monitor's rules a member would notice: feeds are not checked more often
 * than the publisher asks, failing feeds back off (spread out, capped, never dropped),
 * entries keep one identity across fetches, searches mean what was typed, and stored entries
 * are found, matched and replaced when they change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/err.h"
#include "monitor.h"

static void next_check_respects_the_publisher(void **state)
{
    (void)state;
    struct monitor_options o;
    monitor_options_default(&o);
    int64_t now = 1800000000;
    assert_int_equal(monitor_next_check(&o, now, 0, NULL, NULL, NULL, NULL), now + 3600);
    assert_int_equal(monitor_next_check(&o, now, 180, NULL, NULL, NULL, NULL), now + 10800);
    assert_int_equal(monitor_next_check(&o, now, 0, "public, max-age=7200", NULL, NULL, NULL),
                     now + 7200);
    assert_int_equal(monitor_next_check(&o, now, 0, "max-age=60", NULL, NULL, NULL), now + 3600);
    /* Expires is read against the server's own Date */
    assert_int_equal(monitor_next_check(&o, now, 0, NULL, "Thu, 01 Jan 2026 06:00:00 GMT",
                                        "Thu, 01 Jan 2026 00:00:00 GMT", NULL),
                     now + 6 * 3600);
    assert_int_equal(monitor_next_check(&o, now, 0, NULL, NULL, NULL, "14400"), now + 14400);
    /* never further away than the cap */
    assert_int_equal(monitor_next_check(&o, now, 0, "max-age=99999999", NULL, NULL, NULL),
                     now + o.backoff_cap);
}

static void failing_feeds_back_off_spread_and_capped(void **state)
{
    (void)state;
    struct monitor_options o;
    monitor_options_default(&o);
    int64_t now = 1800000000;
    assert_int_equal(monitor_backoff(&o, now, 1, 0.5, NULL), now + 3600);
    assert_int_equal(monitor_backoff(&o, now, 2, 0.5, NULL), now + 7200);
    assert_int_equal(monitor_backoff(&o, now, 4, 0.5, NULL), now + 28800);
    assert_int_equal(monitor_backoff(&o, now, 1, 0.0, NULL), now + 1800);
    assert_int_equal(monitor_backoff(&o, now, 1, 0.999, NULL) > now + 5390, 1);
    /* after many errors: a week (times the jitter), never more, never given up */
    assert_int_equal(monitor_backoff(&o, now, 50, 0.5, NULL), now + 7 * 86400);
    assert_true(monitor_backoff(&o, now, 1000, 0.999, NULL) < now + 11 * 86400);
    /* the server's Retry-After wins when it is later */
    assert_int_equal(monitor_backoff(&o, now, 1, 0.5, "86400"), now + 86400);
}

static void entries_keep_one_identity(void **state)
{
    (void)state;
    char a[600], b[600];
    monitor_dedupe_key("tag:x,1", "https://b.example/p", "T", "body", a, sizeof(a));
    assert_string_equal(a, "id:tag:x,1");
    monitor_dedupe_key(NULL, "https://B.example/p/?utm_source=rss", "T", "x", a, sizeof(a));
    monitor_dedupe_key("", "https://b.example/p", "other title", "y", b, sizeof(b));
    assert_string_equal(a, b); /* the same canonical link, whatever the tracking noise */
    monitor_dedupe_key(NULL, NULL, "T", "body", a, sizeof(a));
    monitor_dedupe_key(NULL, "", "T", "body", b, sizeof(b));
    assert_string_equal(a, b);
    assert_int_equal(strncmp(a, "hash:", 5), 0);
    monitor_dedupe_key(NULL, NULL, "T", "changed body", b, sizeof(b));
    assert_string_not_equal(a, b);
}

static void searches_mean_what_was_typed(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    assert_string_equal(monitor_search_match(&a, "pricing pages"), "\"pricing\" AND \"pages\"");
    assert_string_equal(monitor_search_match(&a, "\"buyer committee\" OR abm"),
                        "\"buyer committee\" OR \"abm\"");
    assert_string_equal(monitor_search_match(&a, "e-mail NEAR(x) *"), "\"e mail\" AND \"NEAR x\"");
    assert_string_equal(monitor_search_match(&a, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    assert_null(monitor_search_match(&a, "  ()* \"\" "));
    assert_null(monitor_search_match(&a, "OR"));
    arena_fini(&a);
}

/* A store with one directory blog and its feed row. */
static struct store *blog_store(char *path, int64_t *feed_id)
{
    snprintf(path, 64, "/tmp/guild-monitor-test-%d.db", (int)getpid());
    unlink(path);
    struct store *s = NULL;
    assert_int_equal(store_open(path, &s), 0);
    struct store_user_new u = {.handle = "ann", .name = "Ann", .email = "ann@x.org",
                               .pw_hash = "x", .affiliation = "independent", .domain = "",
                               .role = "admin"};
    int64_t uid, item;
    assert_int_equal(store_user_create(s, &u, &uid), 0);
    struct store_item it = {.kind = "blog", .url = "https://b.example/", .canon_url =
                            "https://b.example/", .domain = "b.example", .title = "B blog",
                            .body = "", .feed_url = "https://b.example/feed", .tags = "",
                            .user_id = uid};
    assert_int_equal(store_item_create(s, &it, &item), 0);
    assert_int_equal(store_feeds_sync(s), 0);
    struct arena a;
    arena_init(&a);
    struct store_feed f;
    assert_int_equal(store_feed_of_item(s, &a, item, &f), 0);
    assert_string_equal(f.url, "https://b.example/feed");
    *feed_id = f.id;
    arena_fini(&a);
    return s;
}

static void stored_entries_are_found_matched_and_replaced(void **state)
{
    (void)state;
    char path[64];
    int64_t feed;
    struct store *s = blog_store(path, &feed);
    struct store_entry_new e = {.feed_id = feed, .dedupe_key = "id:1", .content_hash = "h1",
                                .url = "https://b.example/1", .title = "Pricing pages",
                                .summary_html = "<p>x</p>", .content_html = "",
                                .text = "How pricing pages convert buyers", .author = "Ann",
                                .published_at = 1800000000, .fetched_at = 1800000000};
    int64_t id, id2;
    enum store_upsert what;
    assert_int_equal(store_entry_upsert(s, &e, &id, &what), 0);
    assert_int_equal(what, STORE_NEW);
    assert_int_equal(store_entry_upsert(s, &e, &id2, &what), 0);
    assert_int_equal(what, STORE_UNCHANGED);
    assert_int_equal(id, id2);
    struct arena a;
    arena_init(&a);
    bool yes;
    assert_int_equal(store_entry_matches(s, id, "\"convert\"", &yes), 0);
    assert_true(yes);
    assert_int_equal(store_entry_matches(s, id, "\"webinar\"", &yes), 0);
    assert_false(yes);
    /* an update replaces the entry in place, and search follows it */
    e.content_hash = "h2";
    e.text = "Now about webinars";
    assert_int_equal(store_entry_upsert(s, &e, &id2, &what), 0);
    assert_int_equal(what, STORE_UPDATED);
    assert_int_equal(id, id2);
    struct store_hit *hits;
    size_t n;
    assert_int_equal(store_search(s, &a, "\"webinars\"", 10, 0, &hits, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(hits[0].kind, 'e');
    assert_int_equal(store_search(s, &a, "\"convert\"", 10, 0, &hits, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_search(s, &a, "\"unbalanced", 10, 0, &hits, &n), ERR_INVAL);
    struct store_entry *river;
    assert_int_equal(store_entries_river(s, &a, 10, 0, &river, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(river[0].blog_title, "B blog");
    arena_fini(&a);
    store_close(s);
    unlink(path);
}

/* Regression (issue 12.5): a blog keeps its newest MONITOR_ENTRIES_PER_FEED entries; the
 * older ones leave the search index and the saved searches' hits with them. */
static void a_blog_keeps_its_newest_entries(void **state)
{
    (void)state;
    char path[64];
    int64_t feed;
    struct store *s = blog_store(path, &feed);
    int64_t search;
    assert_int_equal(store_saved_search_add(s, 1, "old", "\"entry\"", &search), 0);
    int total = MONITOR_ENTRIES_PER_FEED + 40;
    for (int i = 0; i < total; i++) {
        char key[32], text[64];
        snprintf(key, sizeof(key), "id:%d", i);
        snprintf(text, sizeof(text), "entry number %d", i);
        struct store_entry_new e = {.feed_id = feed, .dedupe_key = key, .content_hash = key,
                                    .url = "", .title = text, .summary_html = "",
                                    .content_html = "", .text = text, .author = "",
                                    .published_at = 1800000000 + i, .fetched_at = 1800000000};
        int64_t id;
        enum store_upsert what;
        assert_int_equal(store_entry_upsert(s, &e, &id, &what), 0);
        assert_int_equal(store_search_hit_add(s, search, id, 1800000000), 0);
    }
    int removed = 0;
    assert_int_equal(store_entries_prune(s, feed, MONITOR_ENTRIES_PER_FEED, &removed), 0);
    assert_int_equal(removed, 40);
    struct arena a;
    arena_init(&a);
    struct store_entry *river;
    size_t n;
    assert_int_equal(store_entries_river(s, &a, MONITOR_ENTRIES_PER_FEED + 100, 0, &river, &n), 0);
    assert_int_equal(n, MONITOR_ENTRIES_PER_FEED);
    assert_string_equal(river[n - 1].title, "entry number 40"); /* the oldest ones went */
    struct store_hit *hits;
    assert_int_equal(store_search(s, &a, "\"39\"", 10, 0, &hits, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_search(s, &a, "\"40\"", 10, 0, &hits, &n), 0);
    assert_int_equal(n, 1);
    arena_fini(&a);
    store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(next_check_respects_the_publisher),
        cmocka_unit_test(failing_feeds_back_off_spread_and_capped),
        cmocka_unit_test(entries_keep_one_identity),
        cmocka_unit_test(searches_mean_what_was_typed),
        cmocka_unit_test(stored_entries_are_found_matched_and_replaced),
        cmocka_unit_test(a_blog_keeps_its_newest_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
