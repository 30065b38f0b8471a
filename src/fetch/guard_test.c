/* Unit tests for the SSRF guard's address rule and URL refusals (no network needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "fetch.h"

static const char *classify(const char *text, bool loopback_ok)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    if (strchr(text, ':')) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, text, &s4->sin_addr), 1);
    }
    return fetch_addr_refusal((struct sockaddr *)&ss, loopback_ok);
}

static void addresses(void **state)
{
    (void)state;
    static const char *const refused[] = {
        "127.0.0.1",   "127.255.0.9",  "10.1.2.3",        "172.16.0.1",  "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1",   "100.127.255.1", "0.0.0.0",
        "224.0.0.1",   "239.1.1.1",    "240.0.0.1",       "255.255.255.255", "192.0.2.7",
        "::1",         "::",           "fe80::1",         "fc00::1",     "fd12:3456::1",
        "ff02::1",     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe",
        "2001:db8::1", "::127.0.0.1",
        /* issue 12.12: 6to4, local-use NAT64, site-local (and Teredo) */
        "2002:7f00:1::1", "2002:a00:1::", "64:ff9b:1::a00:1", "fec0::1", "feff::1",
        "2001:0:4136:e378::1"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_non_null(classify(refused[i], false));
    }
    static const char *const allowed[] = {"93.184.216.34", "8.8.8.8", "172.32.0.1",
                                          "100.128.0.1", "2606:4700::1111",
                                          "::ffff:93.184.216.34", "2001:4860::8888",
                                          "64:ff9b:2::1"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        assert_null(classify(allowed[i], false));
    }
    /* the test-only allow-list opens loopback and nothing else */
    assert_null(classify("127.0.0.1", true));
    assert_null(classify("::1", true));
    assert_non_null(classify("10.0.0.1", true));
    assert_non_null(classify("169.254.169.254", true));
}

static void urls_refused_before_any_connection(void **state)
{
    (void)state;
    struct fetch_options o;
    fetch_options_default(&o);
    static const char *const bad[] = {"file:///etc/passwd", "ftp://example.org/",
                                      "gopher://example.org/", "http://127.0.0.1:1/",
                                      "http://localhost:1/", "http://[::1]:1/",
                                      "http://169.254.169.254/latest/meta-data/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct fetch_result r;
        assert_int_equal(fetch_url(bad[i], &o, &r), ERR_DENIED);
        assert_non_null(r.refused);
        fetch_result_fini(&r);
    }
    struct fetch_result r;
    unsetenv("GUILD_TEST_MODE");
    o.allow_loopback = true;
    assert_int_equal(fetch_url("http://127.0.0.1:1/", &o, &r), ERR_INVAL); /* not test mode */
    fetch_result_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(addresses),
        cmocka_unit_test(urls_refused_before_any_connection),
    };
    return cmocka_run_group_tests_name("fetch", tests, NULL, NULL);
}
