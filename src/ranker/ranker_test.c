/* Unit test for the ranker: snapshot from a store, scores and explanations written back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
#include "ranker.h"

static int64_t user(struct store *s, const char *h)
{
    struct store_user_new u = {.handle = h, .name = h, .email = h, .pw_hash = "x"};
    int64_t id;
    assert_int_equal(store_user_create(s, &u, &id), 0);
    return id;
}

static int64_t item(struct store *s, const char *kind, const char *url, int64_t by, int64_t at)
{
    struct store_item it = {.kind = kind, .url = url, .canon_url = url, .domain = "x.org",
                            .title = url, .user_id = by, .created_at = at};
    int64_t id;
    assert_int_equal(store_item_create(s, &it, &id), 0);
    return id;
}

static void ranks_and_explains_every_item(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/guild-ranker-test-%d.db", (int)getpid());
    unlink(path);
    struct store *s;
    assert_int_equal(store_open(path, &s), 0);
    int64_t now = now_unix();
    int64_t a = user(s, "a"), b = user(s, "b"), c = user(s, "c");
    int64_t old = item(s, "link", "https://x.org/old", a, now - 72 * 3600);
    int64_t fresh = item(s, "link", "https://x.org/fresh", a, now - 600);
    int64_t blog = item(s, "blog", "https://x.org/", a, now - 900 * 3600);
    assert_int_equal(store_vote_set(s, b, old, 1, ""), 0);
    assert_int_equal(store_vote_set(s, c, old, 1, ""), 0);
    assert_int_equal(store_vote_set(s, b, fresh, 1, ""), 0);
    assert_int_equal(store_vote_set(s, b, blog, 1, ""), 0);
    assert_int_equal(store_vote_set(s, c, blog, -1, "spam"), 0);
    size_t n = 0;
    assert_int_equal(ranker_run_once(s, now, &n), 0);
    assert_int_equal(n, 3);
    struct arena ar;
    arena_init(&ar);
    struct store_item *list;
    size_t k;
    assert_int_equal(store_item_list(s, &ar, "link", STORE_SORT_HOT, 10, 0, 0, &list, &k), 0);
    assert_int_equal(k, 2);
    assert_int_equal(list[0].id, fresh); /* 1 vote now beats 2 votes three days ago */
    assert_true(list[0].ranked_at == now);
    struct store_item bi;
    assert_int_equal(store_item_get(s, &ar, blog, 0, &bi), 0);
    assert_true(bi.score > 0.0 && bi.score < 0.5); /* a lower bound, below the 0.5 prior */
    json_t *ex = json_loads(bi.explain, 0, NULL);
    assert_non_null(ex);
    assert_string_equal(json_string_value(json_object_get(ex, "algorithm")), "guild-trust-v1");
    assert_int_equal(json_integer_value(json_object_get(ex, "downs")), 1);
    assert_int_equal(json_integer_value(json_object_get(ex, "unread_downs")), 1);
    json_decref(ex);
    struct store_user u;
    assert_int_equal(store_user_by_id(s, &ar, b, &u), 0);
    assert_true(u.trust == 1.0); /* no seeds yet: everyone counts fully */
    arena_fini(&ar);
    store_close(s);
    unlink(path);
}

/* Accepted connections and endorsements carry trust; follows do not (issue 16). */
static void trust_flows_along_connections_not_follows(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/guild-ranker-ties-%d.db", (int)getpid());
    unlink(path);
    struct store *s;
    assert_int_equal(store_open(path, &s), 0);
    int64_t now = now_unix();
    int64_t root = user(s, "root"), a = user(s, "a"), b = user(s, "b"), c = user(s, "c");
    int64_t d = user(s, "d");
    assert_int_equal(store_user_set_seed(s, "root", true), 0);
    struct store_connection conn = {a, root, "accepted", now, now};
    assert_int_equal(store_connection_put(s, &conn), 0);
    bool changed, added;
    assert_int_equal(store_follow_set(s, b, root, true, now, &changed), 0);
    assert_int_equal(store_follow_set(s, root, b, true, now, &changed), 0);
    assert_int_equal(store_follow_set(s, a, root, true, now, &changed), 0);
    assert_int_equal(store_follow_set(s, b, d, true, now, &changed), 0);
    struct store_connection conn2 = {c, a, "accepted", now, now};
    assert_int_equal(store_connection_put(s, &conn2), 0);
    assert_int_equal(store_endorse(s, c, a, "seo", now, &added), 0);
    size_t n = 0;
    assert_int_equal(ranker_run_once(s, now, &n), 0);
    struct arena ar;
    arena_init(&ar);
    struct store_user ua, ub, uc;
    assert_int_equal(store_user_by_id(s, &ar, a, &ua), 0);
    assert_int_equal(store_user_by_id(s, &ar, b, &ub), 0);
    assert_int_equal(store_user_by_id(s, &ar, c, &uc), 0);
    assert_true(ua.trust > 0.5); /* connected to the seed */
    assert_true(uc.trust > 0.0); /* two steps away, through a connection and an endorsement */
    assert_true(ub.trust == 0.0); /* following both ways lends nothing */
    struct store_ties t;
    assert_int_equal(store_ties(s, root, &t), 0);
    assert_int_equal(t.followers, 2);
    assert_true(t.influence > 0.0); /* a follower of standing counts */
    assert_int_equal(store_ties(s, d, &t), 0);
    assert_int_equal(t.followers, 1);
    assert_true(t.influence == 0.0); /* followed only by b, who has no standing */
    arena_fini(&ar);
    store_close(s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranks_and_explains_every_item),
        cmocka_unit_test(trust_flows_along_connections_not_follows),
    };
    return cmocka_run_group_tests_name("ranker", tests, NULL, NULL);
}
