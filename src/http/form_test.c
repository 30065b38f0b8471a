/* Unit tests for form parsing and route matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "http.h"

static void parses_urlencoded_fields(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct http_field *f;
    size_t n;
    const char body[] = "title=Hello+world%21&empty=&flag&title=second&url=https%3A%2F%2Fx.io";
    assert_int_equal(http_form_parse(&a, body, strlen(body), &f, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(f[0].name, "title");
    assert_string_equal(f[0].value, "Hello world!"); /* first of a duplicate wins */
    assert_string_equal(f[1].value, "");
    assert_string_equal(f[2].name, "flag");
    assert_string_equal(f[3].value, "https://x.io");
    arena_fini(&a);
}

static void refuses_malformed_forms(void **state)
{
    (void)state;
    static const char *const bad[] = {"a=%zz", "a=%4", "a=%", "a=%ff%fe", "a=%00", "%c3%28=1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct arena a;
        arena_init(&a);
        struct http_field *f;
        size_t n;
        assert_int_equal(http_form_parse(&a, bad[i], strlen(bad[i]), &f, &n), ERR_INVAL);
        arena_fini(&a);
    }
    struct arena a;
    arena_init(&a);
    char many[2000] = "";
    for (int i = 0; i < 70; i++) {
        char part[16];
        snprintf(part, sizeof(part), "f%d=1&", i);
        strcat(many, part);
    }
    struct http_field *f;
    size_t n;
    assert_int_equal(http_form_parse(&a, many, strlen(many), &f, &n), ERR_INVAL);
    arena_fini(&a);
}

/* A body as Chromium sends it: a hidden field, a file and a textarea. */
static void parses_multipart_fields_and_files(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct http_field *f;
    size_t n;
    const char ct[] = "multipart/form-data; boundary=----WebKitFormBoundaryx7Qz";
    const char body[] = "------WebKitFormBoundaryx7Qz\r\n"
                        "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
                        "tok123\r\n"
                        "------WebKitFormBoundaryx7Qz\r\n"
                        "Content-Disposition: form-data; name=\"opml_file\"; "
                        "filename=\"subs.opml\"\r\nContent-Type: text/x-opml\r\n\r\n"
                        "<opml version=\"2.0\">\r\n<body/></opml>\n\r\n"
                        "------WebKitFormBoundaryx7Qz\r\n"
                        "Content-Disposition: form-data; name=\"opml\"\r\n\r\n"
                        "\r\n"
                        "------WebKitFormBoundaryx7Qz\r\n"
                        "Content-Disposition: form-data; name=\"csrf\"\r\n\r\nlater\r\n"
                        "------WebKitFormBoundaryx7Qz--\r\n";
    assert_int_equal(http_multipart_parse(&a, ct, body, strlen(body), &f, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(f[0].name, "csrf");
    assert_string_equal(f[0].value, "tok123"); /* the first of a name wins */
    assert_string_equal(f[1].name, "opml_file");
    assert_string_equal(f[1].value, "<opml version=\"2.0\">\r\n<body/></opml>\n");
    assert_string_equal(f[2].value, "");
    /* a quoted boundary and a preamble */
    const char ct2[] = "multipart/form-data; charset=utf-8; boundary=\"b c\"";
    const char body2[] = "ignored preamble\r\n--b c\r\ncontent-disposition: form-data; "
                         "name=\"x\"\r\n\r\nv\r\n--b c--";
    assert_int_equal(http_multipart_parse(&a, ct2, body2, strlen(body2), &f, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(f[0].value, "v");
    /* a file that is not text: kept as "" and marked, so the page can say so */
    const char body3[] = "--b c\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\""
                         "\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00\r\n--b c--";
    assert_int_equal(http_multipart_parse(&a, ct2, body3, sizeof(body3) - 1, &f, &n), 0);
    assert_int_equal(n, 1);
    assert_true(f[0].not_text);
    assert_string_equal(f[0].value, "");
    /* a name inside another parameter's quoted value is not the name */
    const char body4[] = "--b c\r\nContent-Disposition: form-data; filename=\"a name=\"; "
                         "name=\"opml_file\"\r\n\r\nx\r\n--b c--";
    assert_int_equal(http_multipart_parse(&a, ct2, body4, sizeof(body4) - 1, &f, &n), 0);
    assert_string_equal(f[0].name, "opml_file");
    arena_fini(&a);
}

static void refuses_malformed_multipart(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--"},
        {"multipart/form-data; boundary=", "--\r\n\r\n"},
        {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x\""
                                            "\r\n\r\nno close delimiter"},
        {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: attachment; "
                                            "name=\"x\"\r\n\r\nv\r\n--b--"},
        {"multipart/form-data; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"},
        {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x\""
                                            "\r\n\r\n\xff\xfe binary\r\n--b--"},
        {"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x"},
        {"multipart/form-data; boundary=b", "no delimiter at all"},
        {"multipart/form-data; boundary=b", ""},
        {"multipart/form-data; boundary=\"unterminated", "--unterminated--"},
        /* a part without headers cannot borrow the next part's (review, issue 15) */
        {"multipart/form-data; boundary=b", "--b\r\n\r\nJUNK\r\n--b\r\nContent-Disposition: "
                                            "form-data; name=\"a\"\r\n\r\nv\r\n--b--"},
        {"multipart/form-data; boundary=b", "--b\r\nX-A: 1\r\n--b\r\nContent-Disposition: "
                                            "form-data; name=\"csrf\"\r\n\r\nv\r\n--b--"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct arena a;
        arena_init(&a);
        struct http_field *f;
        size_t n;
        assert_int_equal(http_multipart_parse(&a, bad[i][0], bad[i][1], strlen(bad[i][1]), &f,
                                              &n),
                         ERR_INVAL);
        arena_fini(&a);
    }
}

static void routes_match_and_capture(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    const char *p[HTTP_MAX_PARAMS] = {0};
    int64_t id = 0;
    assert_true(http_route_match(&a, "/i/:id/vote", "/i/42/vote", p, &id));
    assert_string_equal(p[0], "42");
    assert_int_equal(id, 42);
    /* an :id that is not a positive integer names nothing (issue 13: 404 before a handler) */
    assert_false(http_route_match(&a, "/i/:id", "/i/abc", p, &id));
    assert_false(http_route_match(&a, "/i/:id", "/i/0", p, &id));
    assert_false(http_route_match(&a, "/i/:id", "/i/-3", p, &id));
    assert_false(http_route_match(&a, "/i/:id/vote", "/i/99999999999999999999/vote", p, &id));
    assert_true(http_route_match(&a, "/u/:handle", "/u/abc", p, &id)); /* only :id is numeric */
    assert_false(http_route_match(&a, "/i/:id", "/i/42/vote", p, &id));
    assert_false(http_route_match(&a, "/i/:id", "/i/", p, &id));
    assert_true(http_route_match(&a, "/", "/", p, &id));
    assert_false(http_route_match(&a, "/new", "/newer", p, &id));
    arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_urlencoded_fields),
        cmocka_unit_test(refuses_malformed_forms),
        cmocka_unit_test(parses_multipart_fields_and_files),
        cmocka_unit_test(refuses_malformed_multipart),
        cmocka_unit_test(routes_match_and_capture),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
