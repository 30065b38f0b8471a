/* Form-message similarity on templated outreach and on messages people write to one person. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* the templates are a table */

#include "text.h"

struct recipient {
    const char *name, *handle, *company, *topic;
};

static const struct recipient people[] = {
    {"Ana Lopez", "ana", "Brightwave", "intent data"},
    {"Bo Chen", "bochen", "Northloop", "pricing pages"},
    {"Carla Jensen", "cjensen", "Fieldstone", "ABM"},
    {"Dev Patel", "devp", "Quanta Labs", "webinars"},
    {"Emma O'Neill", "emma_o", "Lumen CRM", "attribution"},
    {"Farid Haddad", "farid", "Kestrel", "content ops"},
};
#define NPEOPLE (sizeof(people) / sizeof(people[0]))

/* Outreach templates as they arrive: the name, company, topic and link filled in, and the
 * greeting varied by the sending tool. */
static const char *const templates[] = {
    "%s %s, thanks for the follow! I'm the founder of GrowthPilot - we help B2B teams like %s "
    "book 3x more demos with AI-powered ABM. Would you be open to a quick 15-min call this "
    "week? Here's my calendar: https://cal.example.com/growthpilot/%s",
    "%s %s - loved your recent post on %s. Our platform automates the boring parts of "
    "campaign reporting so teams at companies like %s save 10+ hours a week. Happy to send a "
    "2-minute video walkthrough if useful? https://loom.example/v/%s",
    "%s %s, I noticed %s is hiring for demand gen. We place senior B2B marketers in under 21 "
    "days, with a 90-day replacement guarantee. Worth a chat? Reply YES and I'll send times. "
    "(%s)",
};

static const char *const greetings[] = {"Hi", "Hey", "Hello"};

/* What members write to one person: specific, and unlike each other. */
static const char *const genuine[] = {
    "Thanks for the intro to Maria yesterday. I sent her the deck and we are meeting Tuesday "
    "to talk about their events budget.",
    "Did you see the Gartner note on intent data? I disagree with their take on third-party "
    "signals; our win rates went down when we leaned on them.",
    "Can you look at my draft on pricing page experiments before Friday? The section on "
    "anchoring is the one I am least sure about.",
    "Congrats on the new role! If you need someone to sanity-check the attribution model in "
    "your first month, I am happy to help.",
    "We ran the webinar you suggested with two customers instead of a panel of vendors, and "
    "registrations doubled. Thank you for the idea.",
    "Quick question: when you moved from MQLs to pipeline targets, how did you get sales to "
    "agree on what counts as sourced?",
    "I am putting together a reading list on B2B positioning for our new hires. Which three "
    "posts from the guild would you put on it?",
    "Sorry I missed your talk at the meetup. Is there a recording, or could you share the "
    "slides about the content ops workflow?",
};
#define NGENUINE (sizeof(genuine) / sizeof(genuine[0]))

/* Recipient r's copy of template t, normalised without their name and handle. */
static void templated(struct buf *out, size_t t, size_t r)
{
    char text[1024];
    const struct recipient *p = &people[r];
    char first[32];
    sscanf(p->name, "%31s", first);
    if (t == 1) {
        snprintf(text, sizeof(text), templates[t], greetings[r % 3], first, p->topic, p->company,
                 p->handle);
    } else {
        snprintf(text, sizeof(text), templates[t], greetings[r % 3], first, p->company,
                 p->handle);
    }
    const char *names[] = {p->name, p->handle, p->company};
    buf_init(out, 0);
    text_form_normalise(out, text, names, 3);
}

static void test_copies_of_a_template_are_similar(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
        for (size_t a = 0; a < NPEOPLE; a++) {
            for (size_t b = a + 1; b < NPEOPLE; b++) {
                struct buf x, y;
                templated(&x, t, a);
                templated(&y, t, b);
                double s = text_form_similarity(buf_cstr(&x), buf_cstr(&y));
                if (s < TEXT_FORM_SIMILAR) {
                    fail_msg("template %zu, %zu vs %zu: %.2f\n%s\n%s", t, a, b, s, buf_cstr(&x),
                             buf_cstr(&y));
                }
                buf_fini(&x);
                buf_fini(&y);
            }
        }
    }
}

static void test_genuine_messages_are_not(void **state)
{
    (void)state;
    struct buf g[NGENUINE];
    for (size_t i = 0; i < NGENUINE; i++) {
        buf_init(&g[i], 0);
        text_form_normalise(&g[i], genuine[i], NULL, 0);
    }
    for (size_t a = 0; a < NGENUINE; a++) {
        for (size_t b = a + 1; b < NGENUINE; b++) {
            assert_true(text_form_similarity(buf_cstr(&g[a]), buf_cstr(&g[b])) < 0.2);
        }
        for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
            struct buf x;
            templated(&x, t, a % NPEOPLE);
            assert_true(text_form_similarity(buf_cstr(&g[a]), buf_cstr(&x)) < 0.2);
            buf_fini(&x);
        }
    }
    for (size_t i = 0; i < NGENUINE; i++) {
        buf_fini(&g[i]);
    }
}

static void test_normalise_takes_out_what_copies_change(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    const char *names[] = {"Ana Lopez", "ana"};
    text_form_normalise(&b, "Hi Ana, see https://x.io/a?b=1 and www.y.org/z, ask @bo or "
                            "me@corp.io: 42 times, LOPEZ!", names, 2);
    assert_string_equal(buf_cstr(&b), "hi see and ask or times");
    buf_reset(&b);
    /* words joined by no-break and zero-width spaces are still words */
    text_form_normalise(&b, "I\xC2\xA0would\xE2\x80\x8Blove\xE2\x80\xAFto\xE3\x80\x80show",
                        NULL, 0);
    assert_string_equal(buf_cstr(&b), "i would love to show");
    buf_fini(&b);
    assert_true(text_form_similarity("one two three", "one two three") == 1.0);
    assert_true(text_form_similarity("", "one two") == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copies_of_a_template_are_similar),
        cmocka_unit_test(test_genuine_messages_are_not),
        cmocka_unit_test(test_normalise_takes_out_what_copies_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
