/* Internal to src/rules: helpers shared by rules.c and policy.c. */
#ifndef GUILD_RULES_INT_H
#define GUILD_RULES_INT_H

#include "rules.h"

/* Fills e and returns rc. */
int rules_fail(struct rules_error *e, int rc, const char *field, const char *message);
/* Non-empty after trimming (when required), valid UTF-8 text, at most max code points. */
bool rules_text_ok(const char *s, size_t max, bool required);
bool rules_in_list(const char *const *list, const char *s);

#endif
