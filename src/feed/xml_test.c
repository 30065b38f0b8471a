/* Unit tests for the safe XML reader: attacks refused with a clear reason, good feeds read,
 * broken ones recovered and flagged. Fixtures in tests/feed/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "feed.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char data[1 << 16];
    *n = fread(data, 1, sizeof(data), f);
    fclose(f);
    return data;
}

static int read_file(const char *path, struct feed_xml **doc, bool *bozo, char *msg,
                     const char **refused)
{
    size_t n;
    char *data = slurp(path, &n);
    return feed_xml_read(data, n, doc, bozo, msg, 256, refused);
}

static void attacks_are_refused_with_a_reason(void **state)
{
    (void)state;
    static const char *const attacks[] = {"tests/feed/billion-laughs.xml", "tests/feed/xxe.xml",
                                          "tests/feed/xxe-parameter.xml"};
    for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
        struct feed_xml *doc = NULL;
        bool bozo;
        char msg[256];
        const char *refused = NULL;
        assert_int_equal(read_file(attacks[i], &doc, &bozo, msg, &refused), ERR_DENIED);
        assert_null(doc);
        assert_non_null(refused);
        assert_non_null(strstr(refused, "refused"));
    }
}

static void good_feed_reads(void **state)
{
    (void)state;
    struct feed_xml *doc = NULL;
    bool bozo = true;
    char msg[256];
    const char *refused = NULL;
    assert_int_equal(read_file("tests/feed/ok-rss.xml", &doc, &bozo, msg, &refused), 0);
    assert_false(bozo);
    assert_string_equal(feed_xml_root_name(doc), "rss");
    char *title = feed_xml_first_text(doc, "channel", "title");
    assert_string_equal(title, "Demand Playbook");
    free(title);
    feed_xml_free(doc);
}

static void broken_feed_is_recovered_and_flagged(void **state)
{
    (void)state;
    struct feed_xml *doc = NULL;
    bool bozo = false;
    char msg[256];
    const char *refused = NULL;
    assert_int_equal(read_file("tests/feed/broken.xml", &doc, &bozo, msg, &refused), 0);
    assert_true(bozo);
    assert_non_null(strstr(msg, "ill-formed XML at line"));
    assert_string_equal(feed_xml_root_name(doc), "rss");
    feed_xml_free(doc);
    assert_int_equal(feed_xml_read("just text", 9, &doc, &bozo, msg, sizeof(msg), &refused),
                     ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attacks_are_refused_with_a_reason),
        cmocka_unit_test(good_feed_reads),
        cmocka_unit_test(broken_feed_is_recovered_and_flagged),
    };
    return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
