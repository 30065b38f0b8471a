/* Internal to src/rules: helpers shared by rules.c and policy.c. */
#ifndef GUILD_RULES_INT_H
#define GUILD_RULES_INT_H

#include "rules.h"

/* A vote's value (-1 needs a reason from rules_downvote_reasons). OUT: the reason ("" for
 * upvotes; static or in). */
int rules_vote_value_ok(int value, const char *reason, const char **reason_out,
                        struct rules_error *e) __attribute__((warn_unused_result));
/* Suspended, banned and (for downvotes) new members cannot vote. */
int rules_vote_standing(const struct rules_policy *pol, const struct store_user *u, int value,
                        struct rules_error *e) __attribute__((warn_unused_result));


#endif
