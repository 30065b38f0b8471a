/* Internal to src/cli: demo data tables (demo_data.c), NULL-terminated. */
#ifndef GUILD_CLI_DEMO_H
#define GUILD_CLI_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

enum demo_kind { DEMO_VENDOR, DEMO_BUYER, DEMO_AGENCY, DEMO_INDEPENDENT, DEMO_KINDS };
struct demo_org {
    const char *name, *domain;
    enum demo_kind kind;
};
/* A demo member as the loaders use them. */
struct demo_member {
    int64_t id;
    const char *domain;
    enum demo_kind kind;
};
struct demo_blog {
    const char *title, *url, *description;
};

extern const struct demo_org demo_orgs[];
extern const char *const demo_roles[DEMO_KINDS][4];
extern const char *const demo_names[];
/* Hand-written article titles, a row per demo blog: its DEMO_POSTS recent posts, then the
 * older articles members shared as links. */
#define DEMO_POSTS 4
#define DEMO_ARTICLES 9
extern const char *const demo_articles[][DEMO_ARTICLES];
extern const size_t demo_article_rows;
extern const struct demo_blog demo_blogs[];
/* Generated titles, for the benchmark guild only (demo_large.c): an angle's "%s" filled
 * with a topic. */
extern const char *const demo_topics[];
extern const char *const demo_angles[];
extern const char *const demo_singular_topics[];
extern const char *const demo_replies[];
extern const char *const demo_commentary[];
extern const char *const demo_comments[];
extern const char *const demo_buyer_comments[];

#define DEMO_PASSWORD "guild-demo-pass"

/* The demo groups (demo_groups.c): a community of practice and a vendor's idea portal. */
int demo_groups(struct store *s, struct arena *a, const struct demo_member *m, size_t n,
                int64_t now) __attribute__((warn_unused_result));

/* xorshift64: deterministic demo data from a fixed seed. */
struct demo_rng {
    uint64_t s;
};

static inline uint64_t rng_next(struct demo_rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static inline double rng_unit(struct demo_rng *r)
{
    return (double)(rng_next(r) >> 11) / (double)(1ULL << 53);
}

static inline size_t count_of(const char *const *list)
{
    size_t n = 0;
    while (list[n] != NULL) {
        n++;
    }
    return n;
}

/* The benchmark guild (demo_large.c): 2,000 members, 20,000 links, 200,000 votes and 50,000
 * comments, 200 of them on link 1. Deterministic; one transaction. */
int demo_load_large(struct store *s, int64_t now);

#endif
