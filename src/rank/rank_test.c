/* Unit tests for the baseline ranking on hand-built snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "rank.h"

#define HOUR 3600

static void net_score_and_decay(void **state)
{
    (void)state;
    int64_t now = 1000000;
    struct rank_item items[] = {
        {RANK_LINK, 0, now - 1 * HOUR},  /* fresh, 3 net */
        {RANK_LINK, 0, now - 48 * HOUR}, /* old, 10 net */
        {RANK_LINK, 0, now - 1 * HOUR},  /* fresh, -2 net */
        {RANK_BLOG, 0, now - 500 * HOUR},
    };
    struct rank_vote votes[32];
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        votes[n++] = (struct rank_vote){i + 1, 0, 1, true, now};
    }
    for (int i = 0; i < 10; i++) {
        votes[n++] = (struct rank_vote){i + 1, 1, 1, true, now};
    }
    votes[n++] = (struct rank_vote){1, 2, -1, false, now};
    votes[n++] = (struct rank_vote){2, 2, -1, true, now};
    votes[n++] = (struct rank_vote){3, 3, 1, false, now};
    votes[n++] = (struct rank_vote){3, 99, 1, true, now}; /* unknown item: ignored */
    struct rank_snapshot snap = {NULL, 0, items, 4, votes, n, now};
    struct rank_params p;
    rank_params_default(&p);
    struct rank_result r[4];
    assert_int_equal(rank_compute(&snap, &p, r), 0);
    assert_int_equal(r[0].ups, 3);
    assert_int_equal(r[1].ups, 10);
    assert_int_equal(r[2].downs, 2);
    assert_int_equal(r[2].unread_downs, 1);
    assert_true(r[0].hot > r[1].hot);  /* 3 fresh votes beat 10 two-day-old ones */
    assert_true(r[1].hot > r[2].hot);  /* any positive item beats a negative one */
    assert_true(r[2].hot < 0);
    assert_true(r[3].score == 1.0);
    p.gravity = 0;
    assert_int_equal(rank_compute(&snap, &p, r), ERR_INVAL);
}

static void explanation_is_json_with_steps(void **state)
{
    (void)state;
    struct rank_params p;
    rank_params_default(&p);
    struct rank_result r = {.ups = 4, .downs = 1, .unread_ups = 1, .score = 3, .hot = 0.5,
                            .age_hours = 2};
    struct buf b;
    buf_init(&b, 0);
    rank_explain_json(&p, RANK_LINK, &r, &b);
    json_t *j = json_loads(buf_cstr(&b), 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "ups")), 4);
    json_t *steps = json_object_get(j, "steps");
    assert_true(json_array_size(steps) >= 3);
    assert_non_null(strstr(json_string_value(json_array_get(steps, 0)), "4 upvotes and 1 downvote"));
    assert_non_null(strstr(json_string_value(json_array_get(steps, 1)), "not opened"));
    json_decref(j);
    buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(net_score_and_decay),
        cmocka_unit_test(explanation_is_json_with_steps),
    };
    return cmocka_run_group_tests_name("rank", tests, NULL, NULL);
}
