/* Unit tests for the community rules over a temporary store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "../core/util.h"
#include "rules.h"

struct fixture {
    char path[64];
    struct store *s;
    struct arena a;
    struct store_user acme, indie;
    struct rules_policy pol; /* no new-member period, no thread pace: tests act at once */
};

static void add(struct fixture *f, const char *handle, const char *domain, struct store_user *u)
{
    struct store_user_new nu = {.handle = handle, .name = handle,
                                .email = arena_printf(&f->a, "%s@x.org", handle), .pw_hash = "x",
                                .affiliation = domain[0] ? "Org" : "independent",
                                .domain = domain, .role = "member", .invites_left = 2};
    int64_t id;
    assert_int_equal(store_user_create(f->s, &nu, &id), 0);
    assert_int_equal(store_user_by_id(f->s, &f->a, id, u), 0);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "/tmp/guild-rules-test-%d.db", (int)getpid());
    unlink(f->path);
    assert_int_equal(store_open(f->path, &f->s), 0);
    arena_init(&f->a);
    rules_policy_default(&f->pol);
    f->pol.new_member_days = 0;
    f->pol.thread_gap = 0;
    add(f, "ann", "acme.com", &f->acme);
    add(f, "ivan", "", &f->indie);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    arena_fini(&f->a);
    store_close(f->s);
    unlink(f->path);
    free(f);
    return 0;
}

static int submit(struct fixture *f, const struct store_user *u, const char *kind,
                  const char *url, int64_t *id, struct rules_error *e)
{
    struct rules_submission in = {.kind = kind, .url = url, .title = "A title", .tags = "seo"};
    return rules_submit(f->s, &f->a, &f->pol, u, &in, id, e);
}

static void honor_rule_and_own_org_links(void **state)
{
    struct fixture *f = *state;
    int64_t id;
    struct rules_error e = {0};
    assert_int_equal(submit(f, &f->acme, "blog", "https://blog.acme.com/", &id, &e), ERR_DENIED);
    assert_string_equal(e.field, "url");
    assert_int_equal(submit(f, &f->indie, "blog", "https://blog.acme.com/", &id, &e), 0);
    assert_int_equal(submit(f, &f->acme, "link", "https://acme.com/post?utm_source=x", &id, &e), 0);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, id, 0, &it), 0);
    assert_true(it.own_org);
    assert_string_equal(it.canon_url, "https://acme.com/post");
    int64_t again;
    assert_int_equal(submit(f, &f->indie, "link", "https://ACME.com/post/", &again, &e), ERR_EXISTS);
    assert_int_equal(again, id);
}

static void submissions_are_validated(void **state)
{
    struct fixture *f = *state;
    int64_t id;
    struct rules_error e = {0};
    assert_int_equal(submit(f, &f->indie, "poll", "https://x.org/", &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "kind");
    assert_int_equal(submit(f, &f->indie, "link", "javascript:alert(1)", &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "url");
    struct rules_submission in = {.kind = "link", .url = "https://x.org/a", .title = "   "};
    assert_int_equal(rules_submit(f->s, &f->a, &f->pol, &f->indie, &in, &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "title");
    in.title = "ok";
    in.tags = "seo, not-a-tag";
    assert_int_equal(rules_submit(f->s, &f->a, &f->pol, &f->indie, &in, &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "tags");
    in.tags = "SEO seo,brand";
    assert_int_equal(rules_submit(f->s, &f->a, &f->pol, &f->indie, &in, &id, &e), 0);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, id, 0, &it), 0);
    assert_string_equal(it.tags, "seo brand");
}

static void vote_rules(void **state)
{
    struct fixture *f = *state;
    int64_t own, acme_link;
    struct rules_error e = {0};
    assert_int_equal(submit(f, &f->indie, "link", "https://news.org/a", &own, &e), 0);
    assert_int_equal(submit(f, &f->indie, "link", "https://www.acme.com/b", &acme_link, &e), 0);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->indie, own, 1, NULL, &e), ERR_DENIED);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, acme_link, 1, NULL, &e), ERR_DENIED);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, own, -1, NULL, &e), ERR_INVAL);
    assert_string_equal(e.field, "reason");
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, own, -1, "boring", &e), ERR_INVAL);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, own, 2, NULL, &e), ERR_INVAL);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, own, -1, "off-topic", &e), 0);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, 9999, 1, NULL, &e), ERR_NOTFOUND);
    int64_t c;
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, own, 0, "hello", &c, &e), 0);
    assert_int_equal(rules_vote_comment(f->s, &f->a, &f->pol, &f->acme, c, 1, NULL, &e), ERR_DENIED);
    assert_int_equal(rules_vote_comment(f->s, &f->a, &f->pol, &f->indie, c, -1, NULL, &e), ERR_INVAL);
    assert_int_equal(rules_vote_comment(f->s, &f->a, &f->pol, &f->indie, c, -1, "spam", &e), 0);
}

static void comment_edit_window_and_delete(void **state)
{
    struct fixture *f = *state;
    int64_t item, c;
    struct rules_error e = {0};
    assert_int_equal(submit(f, &f->indie, "link", "https://news.org/c", &item, &e), 0);
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, item, 0, "  ", &c, &e), ERR_INVAL);
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, item, 0, "draft", &c, &e), 0);
    int64_t now = now_unix();
    assert_int_equal(rules_comment_edit(f->s, &f->a, &f->indie, c, "x", now, &e), ERR_DENIED);
    assert_int_equal(rules_comment_edit(f->s, &f->a, &f->acme, c, "final", now, &e), 0);
    assert_int_equal(rules_comment_edit(f->s, &f->a, &f->acme, c, "late", now + RULES_EDIT_WINDOW + 5,
                                        &e),
                     ERR_DENIED);
    assert_int_equal(rules_comment_delete(f->s, &f->a, &f->indie, c, &e), ERR_DENIED);
    assert_int_equal(rules_comment_delete(f->s, &f->a, &f->acme, c, &e), 0);
    assert_int_equal(rules_comment_delete(f->s, &f->a, &f->acme, c, &e), ERR_NOTFOUND);
}

static void joining_by_invitation(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(store_invite_create(f->s, f->indie.id, false, "inv1"), 0);
    struct rules_signup in = {"newbie", "New Member", "new@x.org", "a long password",
                              "Beta Corp", "https://www.beta.io/"};
    int64_t id;
    struct rules_error e = {0};
    struct rules_signup bad = in;
    bad.password = "short";
    assert_int_equal(rules_join(f->s, &f->a, "inv1", &bad, &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "password");
    bad = in;
    bad.domain = "";
    assert_int_equal(rules_join(f->s, &f->a, "inv1", &bad, &id, &e), ERR_INVAL);
    assert_string_equal(e.field, "domain");
    assert_int_equal(rules_join(f->s, &f->a, "nope", &in, &id, &e), ERR_NOTFOUND);
    assert_int_equal(rules_join(f->s, &f->a, "inv1", &in, &id, &e), 0);
    struct store_user u;
    assert_int_equal(store_user_by_id(f->s, &f->a, id, &u), 0);
    assert_string_equal(u.domain, "beta.io");
    assert_string_equal(u.inviter_handle, "ivan");
    assert_int_equal(rules_join(f->s, &f->a, "inv1", &in, &id, &e), ERR_DENIED);
}

static void new_members_and_standing(void **state)
{
    struct fixture *f = *state;
    struct rules_error e = {0};
    int64_t known, other, c;
    assert_int_equal(submit(f, &f->indie, "link", "https://known.example/a", &known, &e), 0);
    f->pol.new_member_days = 7; /* ann and ivan joined just now */
    f->pol.thread_gap = 60;
    /* a new member may link to a domain the guild knows, not to a new one */
    assert_int_equal(submit(f, &f->acme, "link", "https://known.example/b", &other, &e), 0);
    assert_int_equal(submit(f, &f->acme, "link", "https://unheard.example/", &other, &e), ERR_DENIED);
    assert_string_equal(e.field, "url");
    /* no downvotes and no invitations yet; upvotes are fine */
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, known, -1, "spam", &e), ERR_DENIED);
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, known, 1, NULL, &e), 0);
    assert_int_equal(rules_invite(f->s, &f->pol, &f->acme, "code-new", &e), ERR_DENIED);
    /* the thread's speed limit */
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, known, 0, "one", &c, &e), 0);
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, known, 0, "two", &c, &e), ERR_LIMIT);
    /* a week later the limits lift */
    f->acme.created_at -= 8 * 86400;
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, known, -1, "spam", &e), 0);
    assert_int_equal(rules_invite(f->s, &f->pol, &f->acme, "code-old", &e), 0);
    /* suspended and banned members can read but not act */
    f->acme.suspended_until = now_unix() + 3600;
    assert_int_equal(rules_vote_item(f->s, &f->a, &f->pol, &f->acme, known, 1, NULL, &e), ERR_DENIED);
    assert_string_equal(e.field, "account");
    f->acme.suspended_until = 0;
    f->acme.banned = true;
    assert_int_equal(submit(f, &f->acme, "link", "https://known.example/c", &other, &e), ERR_DENIED);
    f->acme.banned = false;
    f->acme.can_invite = false;
    assert_int_equal(rules_invite(f->s, &f->pol, &f->acme, "code-revoked", &e), ERR_DENIED);
}

static void flags_queue_by_weight_within_the_window(void **state)
{
    struct fixture *f = *state;
    struct rules_error e = {0};
    struct store_user third;
    add(f, "tess", "", &third);
    int64_t item, now = now_unix();
    bool queued = false;
    assert_int_equal(submit(f, &f->indie, "link", "https://flagged.example/", &item, &e), 0);
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->acme, "item", item, "boring", now,
                                &queued, &e), ERR_INVAL);
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->indie, "item", item, "spam", now,
                                &queued, &e), ERR_DENIED); /* own submission */
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->acme, "item", item, "spam", now,
                                &queued, &e), 0);
    assert_false(queued); /* one flag (weight 1 before any ranking) is below 2 */
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->acme, "item", item, "off-topic", now,
                                &queued, &e), 0);
    assert_false(queued); /* a second flag by the same member replaces the first */
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &third, "item", item, "off-topic", now,
                                &queued, &e), 0);
    assert_true(queued);
    struct store_item it;
    assert_int_equal(store_item_get(f->s, &f->a, item, 0, &it), 0);
    assert_string_equal(it.status, "queued");
    assert_string_equal(it.queue_reason, "flagged: off-topic");
    struct store_item *list;
    size_t n;
    assert_int_equal(store_item_list(f->s, &f->a, NULL, STORE_SORT_NEW, 30, 0, 0, &list, &n), 0);
    assert_int_equal(n, 0); /* hidden from lists while queued */
    /* past the window: no more flags */
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &third, "item", item, "spam",
                                now + 15 * 86400, &queued, &e), ERR_DENIED);
    int64_t c;
    assert_int_equal(rules_comment_add(f->s, &f->a, &f->pol, &f->acme, item, 0, "hi", &c, &e), 0);
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->indie, "comment", c, "duplicate", now,
                                &queued, &e), ERR_INVAL); /* not a comment reason */
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->indie, "comment", c, "unkind", now,
                                &queued, &e), 0);
    assert_int_equal(rules_flag(f->s, &f->a, &f->pol, &f->indie, "comment", c, "unkind",
                                now + 8 * 86400, &queued, &e), ERR_DENIED);
}

int main(void)
{
    if (auth_init() != 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(honor_rule_and_own_org_links, setup, teardown),
        cmocka_unit_test_setup_teardown(submissions_are_validated, setup, teardown),
        cmocka_unit_test_setup_teardown(vote_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(comment_edit_window_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(joining_by_invitation, setup, teardown),
        cmocka_unit_test_setup_teardown(new_members_and_standing, setup, teardown),
        cmocka_unit_test_setup_teardown(flags_queue_by_weight_within_the_window, setup, teardown),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
