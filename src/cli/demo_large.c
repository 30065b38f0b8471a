/* guild demo --size large: the benchmark guild of the performance issue. Same vocabulary as
 * the small demo, many more rows: 2,000 members in an invitation tree, 20,000 links over the
 * last two weeks, 200,000 votes (10 per link from members who are not the submitter), opens
 * for most of them, and 50,000 comments with 200 on link 1 (the big thread). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../auth/auth.h"
#include "../core/err.h"
#include "cli.h"
#include "demo.h"

#define LARGE_MEMBERS 2000
#define LARGE_LINKS 20000
#define LARGE_VOTES_PER_LINK 10
#define LARGE_COMMENTS 50000
#define LARGE_BIG_THREAD 200

/* The angle with "%s" replaced by the topic, first letter capitalised. */
static char *demo_fill(struct arena *a, const char *angle, const char *topic)
{
    const char *hole = strstr(angle, "%s");
    char *t = hole ? arena_printf(a, "%.*s%s%s", (int)(hole - angle), angle, topic, hole + 2)
                   : arena_strdup(a, angle);
    t[0] = (char)toupper((unsigned char)t[0]);
    return t;
}

static char *demo_title(struct arena *a, const char *angle, const char *topic)
{
    bool singular = false;
    for (size_t i = 0; demo_singular_topics[i] != NULL; i++) {
        singular |= strcmp(demo_singular_topics[i], topic) == 0;
    }
    const char *bar = strchr(angle, '|'); /* "plural form|singular form" */
    const char *form = bar == NULL ? angle
                       : singular  ? bar + 1
                                   : arena_strndup(a, angle, (size_t)(bar - angle));
    return demo_fill(a, form, topic);
}

static int large_members(struct store *s, struct arena *a, int64_t now, int64_t *ids)
{
    char hash[AUTH_HASH_MAX];
    if (auth_password_hash(DEMO_PASSWORD, hash) != 0) {
        return ERR_NOMEM;
    }
    size_t norgs = 0;
    while (demo_orgs[norgs].name != NULL) {
        norgs++;
    }
    for (size_t i = 0; i < LARGE_MEMBERS; i++) {
        const struct demo_org *org = &demo_orgs[i % norgs];
        const char *handle = i == 0 ? "mara" : arena_printf(a, "member%04zu", i);
        struct store_user_new u = {
            .handle = handle,
            .name = i == 0 ? "Mara Admin" : arena_printf(a, "Member %zu", i),
            .email = arena_printf(a, "%s@%s", handle, org->domain),
            .pw_hash = hash,
            .affiliation = org->name,
            .domain = org->domain,
            .role = i == 0 ? "admin" : "member",
            .invited_by = i == 0 ? 0 : ids[(i - 1) / 4],
            .invites_left = 3,
            .created_at = now - 86400 * 200 + (int64_t)i * 60,
        };
        int rc = store_user_create(s, &u, &ids[i]);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int large_links(struct store *s, struct arena *a, struct demo_rng *r, int64_t now,
                       const int64_t *members, int64_t *links)
{
    size_t ntopics = count_of(demo_topics), nangles = count_of(demo_angles), nblogs = 0;
    while (demo_blogs[nblogs].title != NULL) {
        nblogs++;
    }
    for (size_t k = 0; k < LARGE_LINKS; k++) {
        const char *angle = demo_angles[k % nangles], *topic = demo_topics[(k / nangles) % ntopics];
        char *title = demo_title(a, angle, topic);
        const char *site = demo_blogs[k % nblogs].url;
        char *url = arena_printf(a, "%s/post-%zu", site, k);
        struct store_item it = {
            .kind = "link", .url = url, .canon_url = url, .title = title,
            .body = k % 5 == 0 ? demo_commentary[k % count_of(demo_commentary)] : "",
            .feed_url = "", .tags = k % 2 ? "strategy" : "demand-gen",
            /* link 1 is the newest, so the big thread sits on the front page */
            .domain = site + strlen("https://"), .user_id = members[1 + rng_next(r) % (LARGE_MEMBERS - 1)],
            .created_at = k == 0 ? now - 60 : now - 120 - (int64_t)(rng_next(r) % (14 * 86400))};
        int rc = store_item_create(s, &it, &links[k]);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

static int large_votes(struct store *s, struct demo_rng *r, const int64_t *members,
                       const int64_t *links)
{
    static const char *const reasons[] = {"low-quality", "off-topic", "spam"};
    for (size_t k = 0; k < LARGE_LINKS; k++) {
        double q = 0.2 + 0.7 * rng_unit(r);
        for (int v = 0; v < LARGE_VOTES_PER_LINK; v++) {
            /* ten distinct voters: a stride through the members from a random start */
            int64_t who = members[1 + (k * 7 + (size_t)v * 197 + 13) % (LARGE_MEMBERS - 1)];
            int rc = rng_unit(r) < 0.7 ? store_open_record(s, who, links[k], true, NULL) : 0;
            int value = rng_unit(r) < q ? 1 : -1;
            if (rc == 0) {
                rc = store_vote_set(s, who, links[k], value, value < 0 ? reasons[v % 3] : "");
            }
            if (rc != 0 && rc != ERR_EXISTS) {
                return rc;
            }
        }
    }
    return 0;
}

static int large_comments(struct store *s, struct demo_rng *r, int64_t now,
                          const int64_t *members, const int64_t *links)
{
    size_t ncomments = count_of(demo_comments);
    int64_t prev = 0;
    for (size_t c = 0; c < LARGE_COMMENTS; c++) {
        bool big = c < LARGE_BIG_THREAD;
        int64_t item = big ? links[0] : links[1 + rng_next(r) % (LARGE_LINKS - 1)];
        int64_t parent = big && c > 0 && c % 3 != 0 ? prev : 0, id;
        int rc = store_comment_create(s, item, parent, members[rng_next(r) % LARGE_MEMBERS],
                                      demo_comments[rng_next(r) % ncomments],
                                      now - (int64_t)(rng_next(r) % 86400), &id);
        if (rc != 0) {
            return rc;
        }
        prev = big && c % 5 == 4 ? 0 : id;
    }
    return 0;
}

int demo_load_large(struct store *s, int64_t now)
{
    struct arena a;
    arena_init(&a);
    struct demo_rng r = {0x2545f4914f6cdd1dULL};
    int64_t *members = arena_alloc(&a, LARGE_MEMBERS * sizeof(*members));
    int64_t *links = arena_alloc(&a, LARGE_LINKS * sizeof(*links));
    int rc = store_tx_begin(s);
    if (rc != 0) {
        goto out;
    }
    rc = large_members(s, &a, now, members);
    if (rc == 0) {
        rc = large_links(s, &a, &r, now, members, links);
    }
    if (rc == 0) {
        rc = large_votes(s, &r, members, links);
    }
    if (rc == 0) {
        rc = large_comments(s, &r, now, members, links);
    }
    if (rc == 0) {
        rc = store_tx_commit(s);
    } else {
        store_tx_rollback(s);
    }
out:
    arena_fini(&a);
    return rc;
}
