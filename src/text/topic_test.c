/* The off-topic check, evaluated on a labelled set held out from training
 * (tests/data/topic.tsv): precision and recall of "off-topic" at the default threshold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define THRESHOLD 0.5 /* the serve default (policy topic-threshold) */

struct row {
    bool train, on;
    char text[512];
};

static size_t load(struct row *rows, size_t max)
{
    FILE *f = fopen("tests/data/topic.tsv", "r");
    assert_non_null(f);
    char line[700];
    size_t n = 0;
    while (n < max && fgets(line, sizeof(line), f) != NULL) {
        char set[16], label[8];
        if (line[0] == '#' || sscanf(line, "%15[^\t]\t%7[^\t]\t%511[^\n]", set, label,
                                     rows[n].text) != 3) {
            continue;
        }
        rows[n].train = strcmp(set, "train") == 0;
        rows[n].on = strcmp(label, "on") == 0;
        n++;
    }
    fclose(f);
    return n;
}

static void held_out_precision_and_recall(void **state)
{
    (void)state;
    static struct row rows[400];
    size_t n = load(rows, 400);
    assert_true(n > 60);
    struct text_topic *m = text_topic_new();
    for (size_t i = 0; i < n; i++) {
        if (rows[i].train) {
            text_topic_add(m, str_z(rows[i].text), rows[i].on);
        }
    }
    int tp = 0, fp = 0, fn = 0, tn = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].train) {
            continue;
        }
        double s = text_topic_score(m, str_z(rows[i].text));
        bool flagged = s < THRESHOLD; /* "off-topic" is the positive class */
        tp += flagged && !rows[i].on;
        fp += flagged && rows[i].on;
        fn += !flagged && !rows[i].on;
        tn += !flagged && rows[i].on;
        if (getenv("TOPIC_DEBUG")) {
            printf("%.3f %s %s\n", s, rows[i].on ? "on " : "off", rows[i].text);
        }
    }
    double precision = tp + fp ? (double)tp / (tp + fp) : 0, recall = tp + fn ? (double)tp / (tp + fn) : 0;
    printf("topic: held out %d on-topic, %d off-topic; off-topic precision %.2f recall %.2f "
           "(tp %d fp %d fn %d tn %d) at threshold %.2f\n",
           tn + fp, tp + fn, precision, recall, tp, fp, fn, tn, THRESHOLD);
    assert_true(precision >= 0.85);
    assert_true(recall >= 0.85);
    text_topic_free(m);
}

static void no_model_no_opinion_and_background_class(void **state)
{
    (void)state;
    struct text_topic *m = text_topic_new();
    assert_true(text_topic_score(m, str_z("anything at all")) == 0.5);
    /* on-topic examples only: the guild's words score high, strangers' words low */
    text_topic_add(m, str_z("account based marketing for enterprise buyers"), true);
    text_topic_add(m, str_z("demand generation and marketing pipeline"), true);
    assert_int_equal(text_topic_docs(m, true), 2);
    assert_int_equal(text_topic_docs(m, false), 0);
    assert_true(text_topic_score(m, str_z("Marketing to enterprise accounts")) > 0.5);
    assert_true(text_topic_score(m, str_z("grilled salmon with lemon")) < 0.5);
    assert_true(text_topic_score(m, str_z("   ...  ")) == 0.5);
    text_topic_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(held_out_precision_and_recall),
        cmocka_unit_test(no_model_no_opinion_and_background_class),
    };
    return cmocka_run_group_tests_name("topic", tests, NULL, NULL);
}
