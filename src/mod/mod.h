/* Moderator actions. Each action is a set of field changes made in one transaction and
 * written to the public moderation log with the moderator, a required reason, and the old
 * and new value of every field it changed; undoing an entry writes the old values back (and
 * is itself logged), so a reversed action restores exactly what was there. The member
 * concerned and their inviter are notified. Moderators are admins; a group's moderators act
 * on the items and comments in their group (queue and log entries carry the group).
 * Ownership: strings in results live in the caller's arena; messages in *e are static. */
#ifndef GUILD_MOD_MOD_H
#define GUILD_MOD_MOD_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../rules/rules.h"
#include "../store/store.h"

#define MOD_REASON_MAX 500

/* Action names, as used by the API, the CLI and the log:
 *   keep, remove, merge, edit, lock      on an item (keep and remove also on a comment,
 *                                        remove on an answer)
 *   warn, suspend, ban, revoke-invites, prune   on a member ("prune" bans a member's whole
 *                                                invitation branch below them)
 *   undo                                  on a log entry */
extern const char *const mod_actions[];

struct mod_request {
    const char *action;
    const char *target;   /* "item", "comment", "answer", "user" (ignored for undo) */
    int64_t target_id;    /* item / comment / member id, or the log entry for undo */
    const char *reason;   /* required */
    int64_t into;         /* merge: the item this one duplicates */
    const char *title;    /* edit: new title (NULL keeps it) */
    const char *tags;     /* edit: new tags (NULL keeps them) */
    int days;             /* suspend: 1..365 */
};

bool mod_is_moderator(const struct store_user *u);
/* What waits for a moderator (store_mod_queue); ERR_DENIED for anyone else. */
int mod_queue(struct store *db, struct arena *a, const struct store_user *moderator,
              struct store_queue_entry **out, size_t *n, struct rules_error *e)
    __attribute__((warn_unused_result));
/* Carries out one action. OUT: *log_id of the new log entry. ERR_DENIED for non-moderators,
 * ERR_INVAL/ERR_NOTFOUND/ERR_EXISTS with e filled for bad requests. */
int mod_act(struct store *db, struct arena *a, const struct store_user *moderator,
            const struct mod_request *rq, int64_t now, int64_t *log_id, struct rules_error *e)
    __attribute__((warn_unused_result));

#endif
