/* The idea portal's rules: vetting and the status lifecycle with public reasons, who is told,
 * and who may vote on a group's posts (ideas within a vote budget, competition entries in
 * their voting window). */
#include <stdio.h>
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "rules_int.h"

const char *const rules_idea_statuses[] = {"submitted", "open",     "planned", "started",
                                           "completed", "declined", "merged",  NULL};

#define RULES_REASON_MAX 1000

/* The lifecycle: submitted -> vetted (open, declined or merged) -> planned -> started ->
 * completed, or declined on the way; completed, declined and merged ideas are settled. */
static bool idea_move_ok(const char *from, const char *to)
{
    static const char *const moves[][2] = {
        {"submitted", "open"},    {"submitted", "declined"}, {"submitted", "merged"},
        {"open", "planned"},      {"open", "started"},       {"open", "completed"},
        {"open", "declined"},     {"open", "merged"},        {"planned", "started"},
        {"planned", "completed"}, {"planned", "declined"},   {"planned", "open"},
        {"started", "completed"}, {"started", "declined"},   {"started", "planned"}};
    for (size_t k = 0; k < sizeof(moves) / sizeof(moves[0]); k++) {
        if (strcmp(moves[k][0], from) == 0 && strcmp(moves[k][1], to) == 0) {
            return true;
        }
    }
    return false;
}

/* The idea a merged one goes into: another open idea of the same group. */
static int merge_target_ok(struct store *db, struct arena *a, const struct store_item *it,
                           int64_t into, struct rules_error *e)
{
    struct store_item dup;
    if (into <= 0 || into == it->id) {
        return rules_fail(e, ERR_INVAL, "into", "Say which other idea this one duplicates "
                                                "(\"into\": its id).");
    }
    int rc = store_item_get(db, a, into, 0, &dup);
    if (rc == ERR_NOTFOUND || (rc == 0 && (strcmp(dup.kind, "idea") != 0 ||
                                           dup.group_id != it->group_id))) {
        return rules_fail(e, ERR_NOTFOUND, "into", "No such idea in this portal.");
    }
    if (rc == 0 && strcmp(dup.idea_status, "open") != 0 && strcmp(dup.idea_status, "planned") != 0 &&
        strcmp(dup.idea_status, "started") != 0) {
        return rules_fail(e, ERR_INVAL, "into", "Merge into an idea that is open for voting.");
    }
    return rc;
}

/* Tells the idea's submitter and every voter (after a merge, the voters it moved). */
static void tell_voters(struct store *db, struct arena *a, const struct store_user *u,
                        const struct store_item *it, int64_t ref, const char *text, int64_t now)
{
    int64_t *ids;
    size_t n;
    int rc = store_item_voter_ids(db, a, ref, &ids, &n);
    bool submitter_told = false;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        submitter_told |= ids[k] == it->user_id;
        rc = store_notify_kind(db, ids[k], "idea", u->id, ref, now, text);
    }
    if (rc == 0 && !submitter_told) {
        rc = store_notify_kind(db, it->user_id, "idea", u->id, it->id, now, text);
    }
    if (rc != 0) {
        log_warn("idea %lld: status notices not all sent (%s)", (long long)it->id, err_code(rc));
    }
}

static int idea_change_ok(struct store *db, struct arena *a, const struct store_user *u,
                          const struct store_group *g, const struct store_item *it,
                          const char *status, const char *reason, struct rules_error *e)
{
    struct rules_group_role r;
    int rc = rules_group_role(db, a, u, g, &r);
    if (rc != 0) {
        return rc;
    }
    if (strcmp(it->kind, "idea") != 0 || it->group_id != g->id) {
        return rules_fail(e, ERR_NOTFOUND, "item", "No such idea.");
    }
    if (!r.moderator) {
        return rules_fail(e, ERR_DENIED, "status", "Only the portal's moderators change an "
                                                   "idea's status.");
    }
    if (!rules_in_list(rules_idea_statuses, status) || strcmp(status, "submitted") == 0) {
        return rules_fail(e, ERR_INVAL, "status", "The status is approved (open), planned, "
                                                  "started, completed, declined or merged.");
    }
    if (!rules_text_ok(reason, RULES_REASON_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "reason", "Every change needs a public reason (at most "
                                                  "1,000 characters): the voters read it.");
    }
    if (!idea_move_ok(it->idea_status, status)) {
        return rules_fail(e, ERR_INVAL, "status",
                          arena_printf(a, "An idea that is %s cannot become %s.",
                                       it->idea_status, status));
    }
    return 0;
}

int rules_idea_status(struct store *db, struct arena *a, const struct store_user *u,
                      const struct store_group *g, const struct store_item *it,
                      const char *status, const char *reason, int64_t into, int64_t now,
                      struct rules_error *e)
{
    if (status != NULL && strcmp(status, "approved") == 0) {
        status = "open";
    }
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = idea_change_ok(db, a, u, g, it, status ? status : "", reason, e);
    }
    bool merge = rc == 0 && strcmp(status, "merged") == 0;
    if (rc == 0 && merge) {
        rc = merge_target_ok(db, a, it, into, e);
    }
    if (rc == 0) {
        rc = store_idea_status_set(db, it->id, it->idea_status, status,
                                   str_trim(arena_strdup(a, reason)), u->id, merge ? into : 0, now);
        if (rc == ERR_EXISTS) {
            return rules_fail(e, rc, "status", "The idea's status changed meanwhile: reload it "
                                               "and decide again.");
        }
    }
    if (rc == 0 && merge) {
        rc = store_votes_move(db, it->id, into);
    }
    if (rc != 0) {
        return rc;
    }
    const char *text =
        merge ? arena_printf(a, "The idea \"%s\" was merged into idea %lld; the votes moved with "
                                "it. Reason: %s", it->title, (long long)into, reason)
              : arena_printf(a, "The idea \"%s\" is now %s. Reason: %s", it->title,
                             strcmp(status, "open") == 0 ? "open for voting" : status, reason);
    tell_voters(db, a, u, it, merge ? into : it->id, text, now);
    rules_emit_item(db, a, "idea.status_changed", it->id, NULL, now);
    return 0;
}

static int idea_vote_ok(struct store *db, struct arena *a, const struct store_user *u,
                        const struct store_group *g,
                        const struct rules_group_role *r, const struct store_item *it, int value,
                        struct rules_error *e)
{
    const char *st = it->idea_status;
    if (strcmp(st, "submitted") == 0) {
        return rules_fail(e, ERR_DENIED, "item", "This idea waits for a moderator to vet it; "
                                                 "voting opens once it is approved.");
    }
    if (strcmp(st, "open") != 0 && strcmp(st, "planned") != 0 && strcmp(st, "started") != 0) {
        return rules_fail(e, ERR_DENIED, "item", "Voting on this idea has ended.");
    }
    if (value < 0) {
        return rules_fail(e, ERR_INVAL, "value", "Ideas take upvotes only: spend your votes on "
                                                 "the ideas you want most.");
    }
    if (g->customers_only && !r->customer) {
        return rules_fail(e, ERR_DENIED, "item", "Only the portal's customers vote on its ideas.");
    }
    if (value == 0 || it->my_vote == 1) {
        return 0; /* taking a vote back, or voting again, spends nothing */
    }
    int held = 0;
    int rc = store_group_member_lock(db, g->id, u->id);
    if (rc == 0) {
        rc = store_idea_votes_held(db, g->id, u->id, &held);
    }
    if (rc == 0 && held >= g->vote_budget) {
        return rules_fail(e, ERR_BUDGET, "value",
                          arena_printf(a, "You have spent your vote budget: all %d of your votes "
                                          "in this portal are on other open ideas. Take one "
                                          "back, or wait until one of those ideas is completed "
                                          "or declined.", g->vote_budget));
    }
    return rc;
}

static int entry_vote_ok(struct store *db, struct arena *a, const struct rules_group_role *r,
                         const struct store_item *it, int64_t now, struct rules_error *e)
{
    struct store_competition c;
    int rc = store_competition_get(db, a, it->competition_id, &c);
    if (rc != 0) {
        return rc;
    }
    if (now < c.vote_start) {
        return rules_fail(e, ERR_DENIED, "item", "Voting in this competition has not opened yet.");
    }
    if (now >= c.vote_end) {
        return rules_fail(e, ERR_DENIED, "item", "Voting in this competition has closed.");
    }
    if (strcmp(c.voters, "customers") == 0 && !r->customer) {
        return rules_fail(e, ERR_DENIED, "item", "Only the group's customers vote in this "
                                                 "competition.");
    }
    return 0;
}

int rules_group_vote(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_item *it, int value, int64_t now, struct rules_error *e)
{
    struct store_group g;
    struct rules_group_role r;
    int rc = store_group_get_id(db, a, it->group_id, &g);
    if (rc == 0) {
        rc = rules_group_role(db, a, u, &g, &r);
    }
    if (rc != 0) {
        return rc;
    }
    if (value == 0) {
        return 0; /* a vote may always be taken back: a member who left, a customer no more */
    }
    if (!r.member) {
        return rules_fail(e, ERR_DENIED, "item", "Join the group to vote on its posts.");
    }
    if (strcmp(it->kind, "idea") == 0) {
        return idea_vote_ok(db, a, u, &g, &r, it, value, e);
    }
    if (it->competition_id > 0 && value != 0) {
        return entry_vote_ok(db, a, &r, it, now, e);
    }
    return 0;
}
