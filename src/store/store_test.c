/* Unit tests for the store on a temporary SQLite file, or, when GUILD_TEST_PG names a
 * PostgreSQL database these tests may empty (tests/pg-run.py), on PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "../core/err.h"
#include "store.h"

struct fixture {
    char path[64]; /* the SQLite file; "" on PostgreSQL */
    const char *db; /* what store_open was given: path, or GUILD_TEST_PG */
    struct store *s;
    struct arena a;
    int64_t alice, bob;
};

static int64_t add_user(struct store *s, const char *handle, const char *email, int64_t by)
{
    struct store_user_new u = {.handle = handle, .name = handle, .email = email,
                               .pw_hash = "x", .affiliation = "Acme", .domain = "acme.com",
                               .role = "member", .invited_by = by, .invites_left = 1};
    int64_t id = 0;
    assert_int_equal(store_user_create(s, &u, &id), 0);
    return id;
}

/* An empty PostgreSQL database for the next test: its schema dropped and made again. */
static void pg_empty(const char *uri)
{
    PGconn *c = PQconnectdb(uri);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA public CASCADE; "
                            "CREATE SCHEMA public");
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    PQfinish(c);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *pg = getenv("GUILD_TEST_PG");
    if (pg != NULL && pg[0] != '\0') {
        pg_empty(pg);
        f->db = pg;
    } else {
        snprintf(f->path, sizeof(f->path), "/tmp/guild-store-test-%d.db", (int)getpid());
        unlink(f->path);
        f->db = f->path;
    }
    assert_int_equal(store_open(f->db, &f->s), 0);
    arena_init(&f->a);
    f->alice = add_user(f->s, "alice", "alice@acme.com", 0);
    f->bob = add_user(f->s, "bob", "bob@other.org", f->alice);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_fini(&f->a);
    store_close(f->s);
    if (f->path[0] == '\0') {
        free(f);
        return 0;
    }
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof(p), "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static int64_t add_item(struct fixture *f, const char *canon, int64_t by)
{
    struct store_item it = {.kind = "link", .url = canon, .canon_url = canon,
                            .domain = "example.com", .title = "T", .body = "", .feed_url = "",
                            .tags = "", .user_id = by};
    int64_t id = 0;
    assert_int_equal(store_item_create(f->s, &it, &id), 0);
    return id;
}

static void migrations_and_users(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_schema_version(f->s), store_schema_latest(f->s));
    struct store_user u;
    assert_int_equal(store_user_by_handle(f->s, &f->a, "BOB", &u), 0); /* case-insensitive */
    assert_string_equal(u.inviter_handle, "alice");
    int64_t id;
    struct store_user_new dup = {.handle = "Alice", .name = "x", .email = "new@x.org",
                                 .pw_hash = "x"};
    assert_int_equal(store_user_create(f->s, &dup, &id), ERR_EXISTS);
    char **inv;
    size_t n;
    assert_int_equal(store_user_invitees(f->s, &f->a, f->alice, &inv, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(inv[0], "bob");
}

static void invites_are_spent_once(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_invite_create(f->s, f->bob, false, "code1"), 0);
    assert_int_equal(store_invite_create(f->s, f->bob, false, "code2"), ERR_DENIED); /* 1 left */
    struct store_user_new u = {.handle = "carol", .name = "Carol", .email = "c@x.org",
                               .pw_hash = "x", .invited_by = f->bob};
    struct store_user_new taken = {.handle = "dave", .name = "D", .email = "ALICE@acme.com",
                                   .pw_hash = "x", .invited_by = f->bob};
    int64_t id;
    const char *field;
    assert_int_equal(store_invite_redeem(f->s, "code1", &taken, &id, &field), ERR_EXISTS);
    assert_string_equal(field, "email");
    int64_t by;
    char *by_handle;
    assert_int_equal(store_invite_get(f->s, &f->a, "code1", &by, &by_handle), 0); /* unspent */
    assert_int_equal(store_invite_redeem(f->s, "code1", &u, &id, &field), 0);
    assert_int_equal(store_invite_get(f->s, &f->a, "code1", &by, &by_handle), ERR_EXISTS);
    struct store_user_new again = {.handle = "erin", .name = "E", .email = "e@x.org",
                                   .pw_hash = "x"};
    assert_int_equal(store_invite_redeem(f->s, "code1", &again, &id, &field), ERR_EXISTS);
    assert_string_equal(field, "code");
    assert_int_equal(store_user_by_handle(f->s, &f->a, "erin", &(struct store_user){0}),
                     ERR_NOTFOUND); /* nothing half-written */
}

static void items_dedupe_and_votes_count(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_item(f, "https://example.com/a", f->alice), other;
    struct store_item again = {.kind = "link", .url = "x", .canon_url = "https://example.com/a",
                               .domain = "example.com", .title = "T", .user_id = f->bob};
    assert_int_equal(store_item_create(f->s, &again, &other), ERR_EXISTS);
    assert_int_equal(other, id);
    assert_int_equal(store_vote_set(f->s, f->bob, id, 1, ""), 0);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, id, f->bob, &it), 0);
    assert_int_equal(it.ups, 1);
    assert_int_equal(it.my_vote, 1);
    assert_false(it.my_opened);
    assert_int_equal(store_open_record(f->s, f->bob, id, false, NULL), 0); /* from an outside link */
    assert_int_equal(store_vote_set(f->s, f->bob, id, -1, "spam"), 0); /* change */
    assert_int_equal(store_item_get(f->s, &f->a, id, f->bob, &it), 0);
    assert_int_equal(it.ups, 0);
    assert_int_equal(it.downs, 1);
    assert_true(it.my_opened);
    struct store_rank_data d;
    assert_int_equal(store_rank_load(f->s, &f->a, &d), 0);
    assert_int_equal(d.nvotes, 1);
    assert_true(d.votes[0].opened && d.votes[0].outside);
    assert_int_equal(d.nopens, 1);
    assert_false(d.opens[0].inside);
    assert_int_equal(d.nmembers, 2);
    assert_string_equal(d.members[0].domain, "acme.com");
    assert_int_equal(store_vote_set(f->s, f->bob, id, 0, ""), 0); /* withdraw */
    assert_int_equal(store_item_get(f->s, &f->a, id, f->bob, &it), 0);
    assert_int_equal(it.downs, 0);
    assert_int_equal(it.my_vote, 0);
}

static void comment_tree_orders_threads(void **state)
{
    struct fixture *f = *state;
    int64_t item = add_item(f, "https://example.com/thread", f->alice);
    int64_t c1, c2, c3, c4, bad;
    assert_int_equal(store_comment_create(f->s, item, 0, f->alice, "first", 0, &c1), 0);
    assert_int_equal(store_comment_create(f->s, item, 0, f->bob, "second", 0, &c2), 0);
    assert_int_equal(store_comment_create(f->s, item, c1, f->bob, "reply", 0, &c3), 0);
    assert_int_equal(store_comment_create(f->s, item, c3, f->alice, "deeper", 0, &c4), 0);
    assert_int_equal(store_comment_create(f->s, item + 999, 0, f->bob, "x", 0, &bad), ERR_NOTFOUND);
    int64_t item2 = add_item(f, "https://example.com/other", f->alice);
    assert_int_equal(store_comment_create(f->s, item2, c1, f->bob, "x", 0, &bad), ERR_NOTFOUND);
    assert_int_equal(store_comment_vote_set(f->s, f->alice, c2, 1, ""), 0); /* c2 now best */
    assert_int_equal(store_comment_delete(f->s, c3), 0);
    struct store_comment *list;
    size_t n;
    assert_int_equal(store_comment_tree(f->s, &f->a, item, f->alice, &list, &n), 0);
    assert_int_equal(n, 4);
    assert_int_equal(list[0].id, c2);
    assert_int_equal(list[0].my_vote, 1);
    assert_int_equal(list[1].id, c1);
    assert_int_equal(list[2].id, c3);
    assert_int_equal(list[2].depth, 1);
    assert_true(list[2].deleted);
    assert_string_equal(list[2].body, "");
    assert_int_equal(list[3].id, c4);
    assert_int_equal(list[3].depth, 2);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, item, 0, &it), 0);
    assert_int_equal(it.ncomments, 3); /* deleted ones do not count */
}

static void nested_transactions_roll_back_whole(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_tx_begin(f->s), 0);
    int64_t id = add_item(f, "https://example.com/tx", f->alice);
    int64_t c;
    assert_int_equal(store_comment_create(f->s, id, 0, f->bob, "inner", 0, &c), 0);
    store_tx_rollback(f->s);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, id, 0, &it), ERR_NOTFOUND);
}

/* Pooled stores write through the pool's one writing connection (SQLite) or their own
 * (PostgreSQL) and read on their own: each sees the others' committed writes, never uncommitted ones, and the ids its own
 * inserts got. */
static void pooled_stores_share_one_writer(void **state)
{
    struct fixture *f = *state;
    struct store_pool *pool;
    assert_int_equal(store_pool_new(f->db, 2, &pool), 0);
    struct store *a = store_pool_acquire(pool), *b = store_pool_acquire(pool);
    int64_t carol = add_user(a, "carol", "carol@x.org", f->alice); /* autocommit insert */
    int64_t dave = add_user(b, "dave", "dave@x.org", f->alice);
    assert_true(carol > f->bob && dave == carol + 1);
    struct store_user u;
    assert_int_equal(store_user_by_handle(b, &f->a, "carol", &u), 0);
    assert_int_equal(u.id, carol);
    struct store_item it = {.kind = "link", .url = "https://example.com/p",
                            .canon_url = "https://example.com/p", .domain = "example.com",
                            .title = "T", .body = "", .feed_url = "", .tags = "",
                            .user_id = carol};
    int64_t item = 0;
    assert_int_equal(store_tx_begin(a), 0);
    assert_int_equal(store_item_create(a, &it, &item), 0);
    assert_int_equal(store_item_get(a, &f->a, item, 0, &it), 0); /* its own write, inside */
    assert_int_equal(store_item_get(b, &f->a, item, 0, &it), ERR_NOTFOUND); /* not yet */
    assert_int_equal(store_tx_commit(a), 0);
    assert_int_equal(store_item_get(b, &f->a, item, 0, &it), 0);
    assert_int_equal(it.user_id, carol);
    int64_t c1 = 0, c2 = 0;
    assert_int_equal(store_comment_create(b, item, 0, dave, "first", 0, &c1), 0);
    assert_int_equal(store_tx_begin(a), 0);
    assert_int_equal(store_comment_create(a, item, 0, carol, "dropped", 0, &c2), 0);
    store_tx_rollback(a);
    assert_int_equal(store_comment_create(a, item, 0, carol, "second", 0, &c2), 0);
    assert_true(c1 > 0 && c2 > c1);
    assert_int_equal(store_item_get(a, &f->a, item, 0, &it), 0);
    assert_int_equal(it.ncomments, 2);
    store_pool_release(pool, a);
    store_pool_release(pool, b);
    store_pool_free(pool);
}

/* A shared rate limit counts an attempt only while the window has room; a refusal says how
 * long the window lasts and costs nothing; a taken-back attempt frees its place. */
static void rate_limits_take_only_what_the_window_has(void **state)
{
    struct fixture *f = *state;
    int wait = -1;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(store_limit_take(f->s, "vote", "u:1", 1000 + i, 60, 3, &wait), 0);
        assert_int_equal(wait, 0);
    }
    assert_int_equal(store_limit_take(f->s, "vote", "u:1", 1010, 60, 3, &wait), 0);
    assert_int_equal(wait, 50); /* the window began at 1000 */
    assert_int_equal(store_limit_take(f->s, "vote", "u:2", 1010, 60, 3, &wait), 0);
    assert_int_equal(wait, 0); /* another key has its own window */
    assert_int_equal(store_limit_add(f->s, "vote", "u:1", 1011, 60, -1), 0);
    assert_int_equal(store_limit_take(f->s, "vote", "u:1", 1012, 60, 3, &wait), 0);
    assert_int_equal(wait, 0);
    assert_int_equal(store_limit_wait(f->s, "vote", "u:1", 1013, 60, 3, &wait), 0);
    assert_int_equal(wait, 47); /* full again: the refused attempt was not counted */
    assert_int_equal(store_limit_take(f->s, "vote", "u:1", 1060, 60, 3, &wait), 0);
    assert_int_equal(wait, 0); /* a new window */
    assert_int_equal(store_limit_wait(f->s, "vote", "u:1", 1061, 60, 1, &wait), 0);
    assert_int_equal(wait, 59); /* which began at 1060 with one attempt */
}

/* Two limits at once: both count, or neither when either is full; the wait is the full
 * one's, and the other's place is given back. */
static void rate_limits_take_both_or_neither(void **state)
{
    struct fixture *f = *state;
    struct store_limit_ask ask[2] = {{"user:vote", "u:1", 60, 2}, {"ip:vote", "ip:a", 100, 3}};
    int wait = -1;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_limit_take_both(f->s, ask, 1000, &wait), 0);
        assert_int_equal(wait, 0);
    }
    /* the member's limit (2) is full: the address's third place stays free */
    assert_int_equal(store_limit_take_both(f->s, ask, 1010, &wait), 0);
    assert_int_equal(wait, 50);
    assert_int_equal(store_limit_take(f->s, "ip:vote", "ip:a", 1011, 100, 3, &wait), 0);
    assert_int_equal(wait, 0);
    /* now the address is full as well: both refuse, the longer wait wins */
    assert_int_equal(store_limit_take_both(f->s, ask, 1020, &wait), 0);
    assert_int_equal(wait, 80);
    /* a new member window, the address still full: the member's count is given back */
    assert_int_equal(store_limit_take_both(f->s, ask, 1070, &wait), 0);
    assert_int_equal(wait, 30);
    assert_int_equal(store_limit_wait(f->s, "user:vote", "u:1", 1071, 60, 1, &wait), 0);
    assert_int_equal(wait, 0); /* nothing counted in the member's new window */
    assert_int_equal(store_limit_take_both(f->s, ask, 1100, &wait), 0);
    assert_int_equal(wait, 0); /* both windows new */
}

static size_t search_count(struct fixture *f, const char *match)
{
    struct store_hit *hits;
    size_t n = 0;
    assert_int_equal(store_search(f->s, &f->a, match, 30, 0, &hits, &n), 0);
    return n;
}

/* Comments reach search in batches on SQLite (at once on PostgreSQL, where a GIN index takes
 * one row cheaply): a new one once the batch has run; an edit or deletion before that is what
 * the batch indexes; after it, edits and deletions follow at once. */
static void comments_are_searchable_after_the_batch(void **state)
{
    struct fixture *f = *state;
    bool batched = f->path[0] != '\0';
    int64_t item = add_item(f, "https://example.com/s", f->alice), c1, c2, c3;
    assert_int_equal(store_comment_create(f->s, item, 0, f->bob, "zanzibar pricing", 0, &c1), 0);
    assert_int_equal(store_comment_create(f->s, item, 0, f->bob, "quokka budget", 0, &c2), 0);
    assert_int_equal(store_comment_create(f->s, item, 0, f->bob, "wombat deck", 0, &c3), 0);
    assert_int_equal(search_count(f, "zanzibar"), batched ? 0 : 1); /* not indexed yet */
    assert_int_equal(store_comment_update(f->s, c2, "quokka forecast"), 0);
    assert_int_equal(store_comment_delete(f->s, c3), 0);
    int n;
    assert_int_equal(store_search_index_comments(f->s, &n), 0);
    assert_int_equal(n, batched ? 2 : 0);
    assert_int_equal(search_count(f, "zanzibar"), 1);
    assert_int_equal(search_count(f, "forecast"), 1);
    assert_int_equal(search_count(f, "budget"), 0);
    assert_int_equal(search_count(f, "wombat"), 0);
    assert_int_equal(store_search_index_comments(f->s, &n), 0);
    assert_int_equal(n, 0); /* nothing new: nothing indexed twice */
    assert_int_equal(store_comment_update(f->s, c1, "zebra pricing"), 0);
    assert_int_equal(search_count(f, "zanzibar"), 0);
    assert_int_equal(search_count(f, "zebra"), 1);
    assert_int_equal(store_comment_delete(f->s, c2), 0);
    assert_int_equal(search_count(f, "forecast"), 0);
}

/* Lists show each viewer their own votes and opens: for a member with a handful (one range
 * read) and for one with more votes in the page's id range than the range read takes (one
 * lookup per row instead). */
static void lists_show_each_viewer_their_votes(void **state)
{
    struct fixture *f = *state;
    int64_t carol = add_user(f->s, "carol", "carol@third.net", f->alice);
    int64_t first = 0, last = 0;
    assert_int_equal(store_tx_begin(f->s), 0);
    for (int i = 0; i < 600; i++) {
        char url[64];
        snprintf(url, sizeof(url), "https://example.com/many/%d", i);
        last = add_item(f, url, f->alice);
        first = first ? first : last;
        assert_int_equal(store_vote_set(f->s, carol, last, i % 2 ? 1 : -1, i % 2 ? "" : "spam"),
                         0);
    }
    assert_int_equal(store_tx_commit(f->s), 0);
    assert_int_equal(store_vote_set(f->s, f->bob, last, 1, ""), 0);
    assert_int_equal(store_open_record(f->s, f->bob, first, true, NULL), 0);
    struct store_item *items;
    size_t n;
    assert_int_equal(store_item_list(f->s, &f->a, "link", STORE_SORT_NEW, 600, 0, carol, &items,
                                     &n),
                     0);
    assert_int_equal(n, 600); /* 600 of carol's votes in the range: the per-row lookups */
    for (size_t i = 0; i < n; i++) { /* ids alternate -1, +1 from the first */
        assert_int_equal(items[i].my_vote, (items[i].id - first) % 2 ? 1 : -1);
    }
    assert_int_equal(store_item_list(f->s, &f->a, "link", STORE_SORT_NEW, 600, 0, f->bob,
                                     &items, &n),
                     0);
    int votes = 0, opened = 0;
    for (size_t i = 0; i < n; i++) {
        votes += items[i].my_vote != 0;
        opened += items[i].my_opened;
        if (items[i].id == last) {
            assert_int_equal(items[i].my_vote, 1);
        }
        if (items[i].id == first) {
            assert_true(items[i].my_opened);
        }
    }
    assert_int_equal(votes, 1);
    assert_int_equal(opened, 1);
}

static int64_t cell(const struct store_stat_cell *c, size_t n, const char *dim, const char *key,
                    bool readers)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].dim, dim) == 0 && strcmp(c[i].key, key) == 0) {
            return readers ? c[i].readers : c[i].count;
        }
    }
    return 0;
}

static void reader_signals_count_each_reader_once(void **state)
{
    struct fixture *f = *state;
    int64_t item = add_item(f, "https://example.com/read", f->alice);
    bool changed;
    assert_int_equal(store_save_set(f->s, f->bob, item, true, 100, &changed), 0);
    assert_true(changed);
    assert_int_equal(store_save_set(f->s, f->bob, item, true, 101, &changed), 0);
    assert_false(changed);
    assert_int_equal(store_save_set(f->s, f->bob, 999999, true, 101, &changed), ERR_NOTFOUND);
    int64_t now = 1796000000;
    struct store_reader_event e = {item, 0, "open", "front", "u2", f->bob, now};
    assert_int_equal(store_reader_event(f->s, &e), 0);
    e.at = now + 60; /* the same reader, day and source: one row */
    assert_int_equal(store_reader_event(f->s, &e), 0);
    e.reader = "vabc";
    e.user_id = 0;
    assert_int_equal(store_reader_event(f->s, &e), 0);
    e.reader = NULL; /* Global Privacy Control: counted, never told apart */
    assert_int_equal(store_reader_event(f->s, &e), 0);
    assert_int_equal(store_reader_event(f->s, &e), 0);
    struct store_stat_cell *c;
    size_t n;
    struct store_stats_query all = {item, 0, 0, now + 86400, (int64_t)1 << 40, 0.0};
    assert_int_equal(store_stats_cells(f->s, &f->a, &all, &c, &n), 0);
    assert_int_equal(cell(c, n, "opens", "", false), 4);
    assert_int_equal(cell(c, n, "readers", "", true), 2);
    assert_int_equal(cell(c, n, "source", "front", true), 2);
    assert_int_equal(cell(c, n, "saves", "", false), 1);
    assert_int_equal(cell(c, n, "org", "unstated", true), 1); /* bob: Acme, kind not said */
    /* a window before the events holds none of them; days in buckets of their own */
    struct store_stats_query before = {item, 0, 0, now - 1, (int64_t)1 << 40, 0.0};
    assert_int_equal(store_stats_cells(f->s, &f->a, &before, &c, &n), 0);
    assert_int_equal(cell(c, n, "opens", "", false), 0);
    e.at = now + 86400; /* the next day: the same reader is a new row, in the next bucket */
    e.reader = "u2";
    e.user_id = f->bob;
    assert_int_equal(store_reader_event(f->s, &e), 0);
    struct store_stats_query days = {item, 0, now, now + 2 * 86400, 86400, 0.0};
    assert_int_equal(store_stats_cells(f->s, &f->a, &days, &c, &n), 0);
    size_t buckets = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(c[i].dim, "readers") == 0) {
            assert_int_equal(c[i].readers, c[i].bucket == 0 ? 2 : 1);
            assert_int_equal(c[i].members, 1);
            buckets++;
        }
    }
    assert_int_equal(buckets, 2);
}

static void consents_export_only_current_and_deletion_erases(void **state)
{
    struct fixture *f = *state;
    bool changed;
    assert_int_equal(store_consent_set(f->s, f->bob, "acme.example", true, 10, &changed), 0);
    assert_int_equal(store_consent_set(f->s, f->bob, "ACME.example", true, 11, &changed), 0);
    assert_false(changed); /* the same organisation, however it is typed */
    assert_int_equal(store_consent_set(f->s, f->alice, "acme.example", true, 12, &changed), 0);
    assert_int_equal(store_consent_set(f->s, f->alice, "acme.example", false, 13, &changed), 0);
    assert_true(changed);
    struct store_lead *leads;
    size_t n;
    assert_int_equal(store_leads(f->s, &f->a, "acme.example", &leads, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(leads[0].email, "bob@other.org");
    assert_int_equal(store_leads(f->s, &f->a, "beta.example", &leads, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_lead_export_log(f->s, f->bob, "acme.example", f->alice, "csv", 20), 0);
    int64_t item = add_item(f, "https://example.com/kept", f->alice);
    assert_int_equal(store_vote_set(f->s, f->bob, item, 1, ""), 0);
    int64_t cid;
    assert_int_equal(store_comment_create(f->s, item, 0, f->bob, "kept words", 0, &cid), 0);
    json_t *x;
    assert_int_equal(store_member_export(f->s, f->bob, &x), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(x, "profile"), "email")),
                        "bob@other.org");
    assert_int_equal(json_array_size(json_object_get(x, "consent_exports")), 1);
    assert_int_equal(json_array_size(json_object_get(x, "votes")), 1);
    json_decref(x);
    assert_int_equal(store_member_delete(f->s, f->bob, false, "xpseudonym", 30), 0);
    struct store_user u;
    assert_int_equal(store_user_by_id(f->s, &f->a, f->bob, &u), 0);
    assert_string_equal(u.name, "[deleted member]");
    assert_null(strstr(u.email, "bob"));
    assert_int_equal(store_leads(f->s, &f->a, "acme.example", &leads, &n), 0);
    assert_int_equal(n, 0); /* the consent ended with the account */
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, item, 0, &it), 0);
    assert_int_equal(it.ups, 0); /* the vote went */
    assert_int_equal(it.ncomments, 1); /* the comment stays */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(migrations_and_users, setup, teardown),
        cmocka_unit_test_setup_teardown(invites_are_spent_once, setup, teardown),
        cmocka_unit_test_setup_teardown(items_dedupe_and_votes_count, setup, teardown),
        cmocka_unit_test_setup_teardown(comment_tree_orders_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(nested_transactions_roll_back_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_show_each_viewer_their_votes, setup, teardown),
        cmocka_unit_test_setup_teardown(pooled_stores_share_one_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(comments_are_searchable_after_the_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(rate_limits_take_only_what_the_window_has, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rate_limits_take_both_or_neither, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_signals_count_each_reader_once, setup, teardown),
        cmocka_unit_test_setup_teardown(consents_export_only_current_and_deletion_erases, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
