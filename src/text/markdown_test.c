/* Unit tests for Markdown rendering: formatting works, raw HTML and unsafe links do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static char *render(const char *md)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(text_markdown_html(&b, str_z(md)), 0);
    return buf_detach(&b, NULL);
}

static void renders_common_markdown(void **state)
{
    (void)state;
    char *h = render("# Title\n\nSome *em* and **strong** and `code`.\n\n- one\n- two\n");
    assert_non_null(strstr(h, "<h4>Title</h4>"));
    assert_non_null(strstr(h, "<em>em</em>"));
    assert_non_null(strstr(h, "<strong>strong</strong>"));
    assert_non_null(strstr(h, "<code>code</code>"));
    assert_non_null(strstr(h, "<ul><li>one</li>"));
    free(h);
    h = render("[a link](https://example.com/?a=1&b=2)");
    assert_non_null(strstr(h, "<a href=\"https://example.com/?a=1&amp;b=2\" rel=\"nofollow ugc noopener\">a link</a>"));
    free(h);
}

static void mentions_become_profile_links(void **state)
{
    (void)state;
    char *h = render("Thanks @ana and @bo-chen, mail me@corp.io, not `@code` or "
                     "[@linked](https://x.org) or @a or @9lives.");
    assert_non_null(strstr(h, "Thanks <a class=\"mention\" href=\"/u/ana\">@ana</a> and "
                              "<a class=\"mention\" href=\"/u/bo-chen\">@bo-chen</a>, mail"));
    assert_null(strstr(h, "/u/corp"));
    assert_null(strstr(h, "/u/code"));
    assert_null(strstr(h, "/u/linked"));
    assert_null(strstr(h, "/u/a\""));
    assert_null(strstr(h, "/u/9lives"));
    free(h);
    size_t at, len;
    struct str s = str_z("hi @ana-, @x @bob@host");
    assert_true(text_mention_next(s, 0, &at, &len));
    assert_int_equal(at, 3);
    assert_int_equal(len, 4); /* the trailing dash is punctuation */
    assert_false(text_mention_next(s, at + len, &at, &len));
}

static void raw_html_is_text(void **state)
{
    (void)state;
    static const char *const hostile[] = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "hello <b onclick=\"x()\">bold</b>",
        "<div>\n<iframe src=\"https://evil\"></iframe>\n</div>",
    };
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        char *h = render(hostile[i]);
        assert_null(strstr(h, "<script"));
        assert_null(strstr(h, "<img"));
        assert_null(strstr(h, "<b "));
        assert_null(strstr(h, "<iframe"));
        free(h);
    }
}

static void unsafe_link_schemes_are_dropped(void **state)
{
    (void)state;
    static const char *const hostile[] = {
        "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](data:text/html,hi)",
        "![img](javascript:alert(1))", "<javascript:alert(1)>", "[x](vbscript:msgbox)",
    };
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        char *h = render(hostile[i]);
        assert_null(strstr(h, "href=\"javascript"));
        assert_null(strstr(h, "href=\"JAVASCRIPT"));
        assert_null(strstr(h, "href=\"data:"));
        assert_null(strstr(h, "href=\"vbscript"));
        assert_null(strstr(h, "<img"));
        free(h);
    }
    char *h = render("![diagram](https://example.com/d.png)");
    assert_non_null(strstr(h, "<a href=\"https://example.com/d.png\""));
    assert_non_null(strstr(h, ">diagram</a>"));
    free(h);
}

static void unterminated_autolink_at_the_end_stays_in_bounds(void **state)
{
    (void)state;
    /* found by tests/fuzz/fuzz_markdown: md4c 0.4.8 reads past an autolink cut off at the
     * end of the input; under ASan this would fail if we followed it */
    static const char tail[] = {'\'', 'u', 'l', ';', '#', ' ', 'H', ' ', '/', '/', '$', ':', '/',
                                '/', 'x', 'o', 'l', '.', 'o', 'r', '!', '[', 'i', ']', '(', 'h',
                                ')', ' ', '!', '[', 'i', ']', '(', 'h', 't'};
    char *exact = malloc(sizeof(tail)); /* no terminator after it, as in a request body */
    memcpy(exact, tail, sizeof(tail));
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(text_markdown_html(&b, (struct str){exact, sizeof(tail)}), 0);
    assert_null(strstr(buf_cstr(&b), "<img"));
    buf_fini(&b);
    free(exact);
}

static void excerpt_cuts_at_words(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    text_excerpt(&b, str_z("one two three four"), 9);
    assert_string_equal(buf_cstr(&b), "one two\xE2\x80\xA6");
    buf_reset(&b);
    text_excerpt(&b, str_z("<short>"), 50);
    assert_string_equal(buf_cstr(&b), "&lt;short&gt;");
    buf_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_common_markdown),
        cmocka_unit_test(raw_html_is_text),
        cmocka_unit_test(mentions_become_profile_links),
        cmocka_unit_test(unsafe_link_schemes_are_dropped),
        cmocka_unit_test(unterminated_autolink_at_the_end_stays_in_bounds),
        cmocka_unit_test(excerpt_cuts_at_words),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
