/* Communities and influence on graphs shaped like the cases docs/influence.md is for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "social.h"

struct edges {
    struct social_edge *e;
    size_t n, cap;
};

static void add(struct edges *es, uint32_t from, uint32_t to)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 1024;
        es->e = realloc(es->e, es->cap * sizeof(*es->e));
        assert_non_null(es->e);
    }
    es->e[es->n++] = (struct social_edge){from, to};
}

/* Members [first, first + k) all follow each other. */
static void clique(struct edges *es, uint32_t first, uint32_t k)
{
    for (uint32_t a = first; a < first + k; a++) {
        for (uint32_t b = first; b < first + k; b++) {
            if (a != b) {
                add(es, a, b);
            }
        }
    }
}

#define CHAMBER 300          /* members 0..299: the echo chamber; 0 is its star */
#define COMMUNITIES 10       /* then ten communities of 20 (300..499) */
#define COMMUNITY 20
#define TARGET 500           /* followed by 6 of each community */
#define READERS 5            /* then, per community, 5 readers outside it who follow it */
#define N (TARGET + 1 + COMMUNITIES * READERS)

static void build(struct edges *es)
{
    clique(es, 0, CHAMBER);
    for (uint32_t c = 0; c < COMMUNITIES; c++) {
        uint32_t first = CHAMBER + c * COMMUNITY;
        clique(es, first, COMMUNITY);
        for (uint32_t k = 0; k < 6; k++) {
            add(es, first + k, TARGET);
        }
        uint32_t readers = TARGET + 1 + c * READERS;
        clique(es, readers, READERS);
        for (uint32_t r = 0; r < READERS; r++) {
            for (uint32_t k = 0; k < 3; k++) {
                add(es, readers + r, first + 10 + (r + k) % 10);
            }
        }
    }
}

static void run(const struct edges *es, const double *standing, double *influence,
                uint32_t *label)
{
    struct social_graph g = {N, es->e, es->n, NULL, 0};
    struct social_adj adj;
    social_adj_build(&g, &adj);
    social_communities(&adj, 42, label);
    social_influence(&adj, label, standing, influence);
    social_adj_free(&adj);
}

static void test_echo_chamber_scores_below_diverse_following(void **state)
{
    (void)state;
    struct edges es = {0};
    build(&es);
    double standing[N], influence[N];
    uint32_t label[N];
    for (size_t m = 0; m < N; m++) {
        standing[m] = 1.0;
    }
    run(&es, standing, influence, label);
    for (uint32_t m = 1; m < CHAMBER; m++) {
        assert_int_equal(label[m], label[0]); /* the chamber is one community */
    }
    for (uint32_t c = 1; c < COMMUNITIES; c++) { /* and the ten are ten */
        assert_int_not_equal(label[CHAMBER + c * COMMUNITY], label[CHAMBER]);
    }
    /* 299 followers from one closed circle against 60 from ten followed communities */
    assert_true(influence[TARGET] > influence[0]);
    assert_true(influence[TARGET] > 2 * influence[0]);
    free(es.e);
}

static void test_followers_without_standing_count_nothing(void **state)
{
    (void)state;
    struct edges es = {0};
    build(&es);
    double standing[N], with[N], without[N];
    uint32_t label[N];
    for (size_t m = 0; m < N; m++) {
        standing[m] = 1.0;
    }
    run(&es, standing, with, label);
    for (uint32_t m = CHAMBER; m < CHAMBER + COMMUNITIES * COMMUNITY; m++) {
        standing[m] = 0.0; /* the ten communities turn out to be sybils */
    }
    run(&es, standing, without, label);
    assert_true(with[TARGET] > 0);
    assert_true(without[TARGET] == 0.0);
    assert_true(without[0] == with[0]); /* nobody else changed */
    free(es.e);
}

static void test_more_followers_from_one_circle_add_less_and_less(void **state)
{
    (void)state;
    /* a star followed by k members of one closed circle: sqrt growth, not linear */
    double at[3];
    uint32_t ks[3] = {25, 100, 400};
    for (int t = 0; t < 3; t++) {
        struct edges es = {0};
        uint32_t k = ks[t];
        clique(&es, 1, k);
        for (uint32_t m = 1; m <= k; m++) {
            add(&es, m, 0);
        }
        struct social_graph g = {k + 1, es.e, es.n, NULL, 0};
        struct social_adj adj;
        social_adj_build(&g, &adj);
        double *standing = calloc(k + 1, sizeof(double)), *infl = calloc(k + 1, sizeof(double));
        uint32_t *label = calloc(k + 1, sizeof(uint32_t));
        for (uint32_t m = 0; m <= k; m++) {
            standing[m] = 1.0;
        }
        social_communities(&adj, 7, label);
        social_influence(&adj, label, standing, infl);
        at[t] = infl[0];
        social_adj_free(&adj);
        free(standing), free(infl), free(label), free(es.e);
    }
    assert_true(at[1] > at[0] && at[2] > at[1]);
    assert_true(at[2] < 2.1 * at[1]); /* four times the followers, about twice the influence */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_chamber_scores_below_diverse_following),
        cmocka_unit_test(test_followers_without_standing_count_nothing),
        cmocka_unit_test(test_more_followers_from_one_circle_add_less_and_less),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
