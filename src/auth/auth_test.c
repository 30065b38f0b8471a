/* Unit tests for passwords, secrets and the login limiter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

static void passwords_hash_and_verify(void **state)
{
    (void)state;
    char h[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("correct horse battery", h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(auth_password_verify(h, "correct horse battery"));
    assert_false(auth_password_verify(h, "correct horse battery!"));
    assert_non_null(auth_password_problem("short"));
    assert_null(auth_password_problem("long enough password"));
}

static void secrets_are_random_and_hashed(void **state)
{
    (void)state;
    char a[AUTH_SECRET_HEX], b[AUTH_SECRET_HEX], ha[AUTH_SECRET_HEX], ha2[AUTH_SECRET_HEX];
    auth_secret_new(a);
    auth_secret_new(b);
    assert_int_equal(strlen(a), 64);
    assert_string_not_equal(a, b);
    auth_secret_hash(a, ha);
    auth_secret_hash(a, ha2);
    assert_string_equal(ha, ha2);
    assert_string_not_equal(ha, a);
    assert_true(auth_secret_equal(a, a));
    assert_false(auth_secret_equal(a, b));
    assert_false(auth_secret_equal("", ""));
}

static void limiter_blocks_after_failures_and_expires(void **state)
{
    (void)state;
    struct auth_limiter *l = auth_limiter_new(3, 60);
    int64_t t = 1000;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(auth_limiter_wait(l, "ip:1.2.3.4", t), 0);
        auth_limiter_fail(l, "ip:1.2.3.4", t);
    }
    assert_true(auth_limiter_wait(l, "ip:1.2.3.4", t + 1) > 0);
    assert_int_equal(auth_limiter_wait(l, "ip:5.6.7.8", t + 1), 0); /* others unaffected */
    assert_int_equal(auth_limiter_wait(l, "ip:1.2.3.4", t + 61), 0); /* window over */
    auth_limiter_reset(l, "ip:1.2.3.4", t + 2);
    assert_int_equal(auth_limiter_wait(l, "ip:1.2.3.4", t + 2), 0);
    auth_limiter_free(l);
}

/* Regression (issue 12.3): a colliding key used to overwrite another key's slot, handing
 * both a fresh budget. Far more keys than slots: every one that used its budget stays
 * blocked. */
static void limiter_collisions_share_a_budget(void **state)
{
    (void)state;
    struct auth_limiter *l = auth_limiter_new(3, 900);
    int64_t t = 5000;
    char key[32];
    for (int k = 0; k < 40000; k++) {
        snprintf(key, sizeof(key), "h:user%d", k);
        for (int i = 0; i < 3; i++) {
            auth_limiter_fail(l, key, t);
        }
    }
    int free_keys = 0;
    for (int k = 0; k < 40000; k++) {
        snprintf(key, sizeof(key), "h:user%d", k);
        free_keys += auth_limiter_wait(l, key, t + 10) == 0;
    }
    assert_int_equal(free_keys, 0);
    assert_int_equal(auth_limiter_wait(l, "h:user0", t + 901), 0); /* windows still end */
    auth_limiter_free(l);
}

static int setup(void **state)
{
    (void)state;
    return auth_init();
}

/* Take: allowed and counted in one step; a refusal counts nothing and says how long. */
static void limiter_take_counts_only_what_it_allows(void **state)
{
    (void)state;
    struct auth_limiter *l = auth_limiter_new(2, 60);
    int64_t t = 1000;
    assert_int_equal(auth_limiter_take(l, "u:1", t), 0);
    assert_int_equal(auth_limiter_take(l, "u:1", t + 1), 0);
    assert_int_equal(auth_limiter_take(l, "u:1", t + 10), 50);
    auth_limiter_unfail(l, "u:1", t + 11); /* the refusal took no place: one frees one */
    assert_int_equal(auth_limiter_take(l, "u:1", t + 12), 0);
    assert_int_equal(auth_limiter_wait(l, "u:1", t + 13), 47);
    assert_int_equal(auth_limiter_take(l, "u:1", t + 60), 0); /* a new window */
    auth_limiter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passwords_hash_and_verify),
        cmocka_unit_test(secrets_are_random_and_hashed),
        cmocka_unit_test(limiter_blocks_after_failures_and_expires),
        cmocka_unit_test(limiter_collisions_share_a_budget),
        cmocka_unit_test(limiter_take_counts_only_what_it_allows),
    };
    return cmocka_run_group_tests_name("auth", tests, setup, NULL);
}
