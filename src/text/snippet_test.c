/* Unit tests for search snippets: the window around the first match, words marked by stem,
 * cuts shown, no match gives the start of the text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "text.h"

static const char *snip(struct buf *b, const char *text, const char *query, size_t words)
{
    buf_reset(b);
    struct text_query *q = text_query_new(query);
    text_snippet(b, str_z(text), q, words);
    text_query_free(q);
    return buf_cstr(b);
}

#define M(w) "\xee\x80\x80" w "\xee\x80\x81"

static void snippets_mark_matches_in_a_window(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_string_equal(snip(&b, "Buying committees grow every year.", "\"committee\"", 10),
                        "Buying " M("committees") " grow every year.");
    assert_string_equal(snip(&b, "one two three four five six seven pricing eight nine ten",
                             "\"pricing\" AND \"nine\"", 4),
                        "…seven " M("pricing") " eight " M("nine") "…");
    assert_string_equal(snip(&b, "a b c d e f g h pricing", "\"pricing\"", 12),
                        "a b c d e f g h " M("pricing")); /* it fits: never cut at the start */
    assert_string_equal(snip(&b, "Why every marketing team needs a buyer's honest take on pricing "
                                 "pages today", "\"pricing\"", 12),
                        "…buyer's honest take on " M("pricing") " pages today");
    assert_string_equal(snip(&b, "no match here at all", "\"webinar\"", 3), "no match here…");
    assert_string_equal(snip(&b, "Line one\nline two", "\"line\" OR \"x\"", 10),
                        M("Line") " one " M("line") " two");
    buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(snippets_mark_matches_in_a_window)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
