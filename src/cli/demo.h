/* Internal to src/cli: demo data tables (demo_data.c), NULL-terminated. */
#ifndef GUILD_CLI_DEMO_H
#define GUILD_CLI_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

struct demo_org {
    const char *name, *domain;
};
struct demo_blog {
    const char *title, *url, *description;
};

extern const struct demo_org demo_orgs[];
extern const char *const demo_names[];
extern const struct demo_blog demo_blogs[];
extern const char *const demo_topics[];
extern const char *const demo_angles[];
extern const char *const demo_singular_topics[];
extern const char *const demo_replies[];
/* A link title: angle a's form for topic t (singular or plural), first letter capitalised.
 * In ar. */
char *demo_title(struct arena *ar, const char *angle, const char *topic);
extern const char *const demo_commentary[];
extern const char *const demo_comments[];

#define DEMO_PASSWORD "guild-demo-pass"

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
