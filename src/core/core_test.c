/* Unit tests for core: buffer, arena, escaping, JSON writer, URL canonicalisation, UTF-8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "esc.h"
#include "json.h"
#include "url.h"
#include "util.h"

static void buf_grows_and_sticks_at_max(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    buf_appendz(&b, "hello");
    buf_appendf(&b, "%d", 42);
    assert_string_equal(buf_cstr(&b), "hello42");
    buf_appendz(&b, "toolong");
    assert_int_equal(buf_err(&b), ERR_TOOBIG);
    buf_appendz(&b, "x"); /* sticky: ignored after an error */
    assert_string_equal(buf_cstr(&b), "hello42");
    size_t n;
    char *p = buf_detach(&b, &n);
    assert_int_equal(n, 7);
    free(p);
    buf_fini(&b);
}

static int deferred_runs;
static void count_defer(void *p)
{
    deferred_runs += *(int *)p;
}

static void arena_allocates_and_runs_defers_lifo(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    char *s = arena_printf(&a, "%s-%d", "item", 7);
    assert_string_equal(s, "item-7");
    char *big = arena_alloc(&a, 100000); /* larger than a chunk */
    memset(big, 'x', 100000);
    assert_true(((uintptr_t)arena_alloc(&a, 3) % _Alignof(max_align_t)) == 0);
    static int one = 1, ten = 10;
    deferred_runs = 0;
    arena_defer(&a, count_defer, &one);
    arena_defer(&a, count_defer, &ten);
    arena_fini(&a);
    assert_int_equal(deferred_runs, 11);
}

static void esc_html_escapes_all_five(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
        {"a & \"b\"", "a &amp; &quot;b&quot;"},
        {"", ""},
        {"a\x01" "b\tc", "a\xEF\xBF\xBD" "b\tc"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, 0);
        esc_html_text(&b, str_z(cases[i].in));
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_fini(&b);
    }
}

static void esc_url_and_json(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    esc_url_component(&b, str_z("a b/ü?"));
    assert_string_equal(buf_cstr(&b), "a%20b%2F%C3%BC%3F");
    buf_reset(&b);
    static const char tricky[] = "q\"\\\n</script>\x01\xff\xe2\x80\xa8";
    esc_json_string(&b, (struct str){tricky, sizeof(tricky) - 1});
    assert_string_equal(buf_cstr(&b),
                        "\"q\\\"\\\\\\n\\u003c/script\\u003e\\u0001\\ufffd\\u2028\"");
    buf_fini(&b);
}

static void json_writer_tracks_commas_and_nesting(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    struct json_w w;
    json_w_init(&w, &b);
    json_w_begin_object(&w);
    json_w_kstr(&w, "a", "x");
    json_w_key(&w, "list");
    json_w_begin_array(&w);
    json_w_i64(&w, 1);
    json_w_null(&w);
    json_w_begin_object(&w);
    json_w_end(&w, '}');
    json_w_end(&w, ']');
    json_w_kbool(&w, "ok", true);
    json_w_kf64(&w, "nan", 0.0 / 0.0);
    json_w_kstr(&w, "none", NULL);
    json_w_end(&w, '}');
    assert_string_equal(buf_cstr(&b),
                        "{\"a\":\"x\",\"list\":[1,null,{}],\"ok\":true,\"nan\":null,\"none\":null}");
    buf_reset(&b);
    json_w_init(&w, &b);
    json_w_begin_array(&w);
    json_w_f64(&w, 1.0);
    json_w_f64(&w, 0.1);
    json_w_f64(&w, 1.0 / 3.0);
    json_w_end(&w, ']');
    assert_string_equal(buf_cstr(&b), "[1.0,0.1,0.33333333333333331]"); /* reals round-trip */
    /* list scores: fixed decimals by integer arithmetic, and a cached fragment placed raw */
    buf_reset(&b);
    json_w_init(&w, &b);
    json_w_begin_array(&w);
    json_w_fixed(&w, 1.0 / 3.0, 6);
    json_w_fixed(&w, -0.25, 6);
    json_w_fixed(&w, 3.0, 6);
    json_w_fixed(&w, -0.0000001, 6);
    json_w_fixed(&w, 2.9999999, 6);
    json_w_fixed(&w, 1e300, 6);
    json_w_raw(&w, "{\"k\":1}", 7);
    json_w_end(&w, ']');
    assert_string_equal(buf_cstr(&b), "[0.333333,-0.25,3.0,0.0,3.0,1e+300,{\"k\":1}]");
    buf_fini(&b);
}

static void url_canonical_forms(void **state)
{
    (void)state;
    static const struct {
        const char *in, *canon, *host;
    } ok[] = {
        {"HTTPS://Example.COM:443/Path/?utm_source=x&id=3#frag", "https://example.com/Path?id=3",
         "example.com"},
        {"http://example.com:80", "http://example.com/", "example.com"},
        {"http://example.com:8080/a/", "http://example.com:8080/a", "example.com"},
        {"https://blog.acme.io/?fbclid=1&gclid=2", "https://blog.acme.io/", "blog.acme.io"},
        {"https://example.com./x?b=1&utm_medium=y&a=2", "https://example.com/x?b=1&a=2",
         "example.com"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct arena a;
        arena_init(&a);
        char *canon, *host;
        assert_int_equal(url_canonicalize(&a, ok[i].in, &canon, &host), 0);
        assert_string_equal(canon, ok[i].canon);
        assert_string_equal(host, ok[i].host);
        arena_fini(&a);
    }
    static const char *const bad[] = {"javascript:alert(1)", "ftp://example.com/", "https://",
                                      "https://user:pw@example.com/", "https://exa mple.com/",
                                      "https://localhost/", "https://example.com:99999/",
                                      "example.com/no-scheme"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct arena a;
        arena_init(&a);
        char *canon, *host;
        assert_int_equal(url_canonicalize(&a, bad[i], &canon, &host), ERR_INVAL);
        arena_fini(&a);
    }
}

static void url_domain_rules(void **state)
{
    (void)state;
    assert_true(url_domain_matches("blog.acme.com", "acme.com"));
    assert_true(url_domain_matches("www.acme.com", "acme.com"));
    assert_true(url_domain_matches("ACME.com", "www.acme.com"));
    assert_false(url_domain_matches("notacme.com", "acme.com"));
    assert_false(url_domain_matches("acme.com", ""));
    struct arena a;
    arena_init(&a);
    char *d;
    assert_int_equal(url_normalize_domain(&a, "https://www.Acme.com/about", &d), 0);
    assert_string_equal(d, "acme.com");
    assert_int_equal(url_normalize_domain(&a, "not a domain", &d), ERR_INVAL);
    arena_fini(&a);
}

static void utf8_validation(void **state)
{
    (void)state;
    assert_true(utf8_valid_text("héllo\n", 7));
    assert_false(utf8_valid_text("\xc3\x28", 2));   /* bad continuation */
    assert_false(utf8_valid_text("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(utf8_valid_text("\xc0\xaf", 2));   /* overlong */
    assert_false(utf8_valid_text("a\0b", 3));
    assert_int_equal(utf8_len("héllo", 6), 5);
    int64_t id;
    assert_true(parse_id("42", &id) && id == 42);
    assert_false(parse_id("042", &id));
    assert_false(parse_id("4x", &id));
    assert_false(parse_id("99999999999999999999", &id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_sticks_at_max),
        cmocka_unit_test(arena_allocates_and_runs_defers_lifo),
        cmocka_unit_test(esc_html_escapes_all_five),
        cmocka_unit_test(esc_url_and_json),
        cmocka_unit_test(json_writer_tracks_commas_and_nesting),
        cmocka_unit_test(url_canonical_forms),
        cmocka_unit_test(url_domain_rules),
        cmocka_unit_test(utf8_validation),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
