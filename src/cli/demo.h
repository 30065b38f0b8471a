/* Internal to src/cli: demo data tables (demo_data.c), NULL-terminated. */
#ifndef GUILD_CLI_DEMO_H
#define GUILD_CLI_DEMO_H

#include <stddef.h>

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
extern const char *const demo_commentary[];
extern const char *const demo_comments[];

#define DEMO_PASSWORD "guild-demo-pass"

#endif
