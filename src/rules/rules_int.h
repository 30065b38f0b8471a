/* Internal to src/rules: helpers shared by rules.c and policy.c. */
#ifndef GUILD_RULES_INT_H
#define GUILD_RULES_INT_H

#include "rules.h"


#endif
