/* Internal to src/rules: helpers shared by rules.c and policy.c. */
#ifndef GUILD_RULES_INT_H
#define GUILD_RULES_INT_H

#include "rules.h"

/* Fills e and returns rc. */
int rules_fail(struct rules_error *e, int rc, const char *field, const char *message);

#endif
