/* Moderator actions as logged, reversible field changes. */
#include "mod.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/err.h"
#include "../core/json.h"
#include "../core/util.h"

const char *const mod_actions[] = {"keep", "remove", "merge", "edit", "lock", "warn", "suspend",
                                   "ban", "revoke-invites", "prune", "undo", NULL};

#define DAY 86400

static const char *const member_actions[] = {"warn", "suspend", "ban", "revoke-invites", "prune",
                                             NULL};

struct change {
    enum store_field field;
    int64_t id;
    const char *value; /* the new value, as text */
};

/* What an action will do: its field changes, its target as logged, who is concerned. */
struct plan {
    struct change *c;
    size_t n, cap;
    const char *target;
    int64_t target_id;
    int64_t member; /* the member concerned (author or target), 0 when none */
    int64_t undoes; /* the log entry an undo reverses */
};

static void plan_add(struct arena *a, struct plan *p, enum store_field f, int64_t id,
                     const char *value)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        struct change *bigger = arena_alloc(a, cap * sizeof(*bigger));
        if (p->n) {
            memcpy(bigger, p->c, p->n * sizeof(*bigger));
        }
        p->c = bigger;
        p->cap = cap;
    }
    p->c[p->n++] = (struct change){f, id, value};
}

bool mod_is_moderator(const struct store_user *u)
{
    return rules_is_moderator(u);
}

/* remove on an answer (answers are never held, so never kept). */
static int plan_answer(struct store *db, struct arena *a, const struct mod_request *rq,
                       struct plan *p, struct rules_error *e)
{
    struct store_answer ans;
    int rc = store_answer_get(db, a, rq->target_id, 0, &ans);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "target_id", "No such answer.") : rc;
    }
    p->member = ans.user_id;
    if (strcmp(rq->action, "remove") != 0) {
        return rules_fail(e, ERR_INVAL, "action", "Answers can be removed.");
    }
    if (strcmp(ans.status, "removed") == 0) {
        return rules_fail(e, ERR_EXISTS, "target_id", "That answer is removed already.");
    }
    plan_add(a, p, SF_ANSWER_STATUS, rq->target_id, "removed");
    return 0;
}

/* keep, remove, merge, edit, lock on an item; keep and remove on a comment; remove on an
 * answer. */
static int plan_content(struct store *db, struct arena *a, const struct mod_request *rq,
                        int64_t now, struct plan *p, struct rules_error *e)
{
    if (strcmp(rq->target, "answer") == 0) {
        return plan_answer(db, a, rq, p, e);
    }
    bool item = strcmp(rq->target, "item") == 0;
    const char *status;
    int rc;
    if (item) {
        struct store_item it;
        if ((rc = store_item_get(db, a, rq->target_id, 0, &it)) != 0) {
            return rc == ERR_NOTFOUND ? rules_fail(e, rc, "target_id", "No such item.") : rc;
        }
        status = it.status;
        p->member = it.user_id;
    } else {
        struct store_comment c;
        if ((rc = store_comment_get(db, a, rq->target_id, &c)) != 0) {
            return rc == ERR_NOTFOUND ? rules_fail(e, rc, "target_id", "No such comment.") : rc;
        }
        status = c.status;
        p->member = c.user_id;
        if (strcmp(rq->action, "keep") != 0 && strcmp(rq->action, "remove") != 0) {
            return rules_fail(e, ERR_INVAL, "action", "Comments can be kept or removed.");
        }
    }
    int64_t id = rq->target_id;
    if (strcmp(rq->action, "keep") == 0) {
        if (strcmp(status, "queued") != 0) {
            return rules_fail(e, ERR_EXISTS, "target_id", "Only queued things can be kept.");
        }
        plan_add(a, p, item ? SF_ITEM_STATUS : SF_COMMENT_STATUS, id, "ok");
        plan_add(a, p, item ? SF_ITEM_QUEUE_REASON : SF_COMMENT_QUEUE_REASON, id, "");
        plan_add(a, p, item ? SF_ITEM_FLAGS_CLEARED : SF_COMMENT_FLAGS_CLEARED, id,
                 arena_printf(a, "%lld", (long long)now));
        return 0;
    }
    if (strcmp(rq->action, "remove") == 0) {
        plan_add(a, p, item ? SF_ITEM_STATUS : SF_COMMENT_STATUS, id, "removed");
        return 0;
    }
    if (strcmp(rq->action, "merge") == 0) {
        struct store_item into;
        if (rq->into == id || store_item_get(db, a, rq->into, 0, &into) != 0 ||
            strcmp(into.status, "ok") != 0) {
            return rules_fail(e, ERR_INVAL, "into", "Merge into another item that is listed.");
        }
        plan_add(a, p, SF_ITEM_STATUS, id, "merged");
        plan_add(a, p, SF_ITEM_MERGED_INTO, id, arena_printf(a, "%lld", (long long)rq->into));
        return 0;
    }
    if (strcmp(rq->action, "edit") == 0) {
        if (rq->title == NULL && rq->tags == NULL) {
            return rules_fail(e, ERR_INVAL, "title", "Give a new title, new tags, or both.");
        }
        if (rq->title != NULL) {
            if (!rules_text_ok(rq->title, RULES_TITLE_MAX, true)) {
                return rules_fail(e, ERR_INVAL, "title", "A title is required (at most 200 characters).");
            }
            plan_add(a, p, SF_ITEM_TITLE, id, arena_strdup(a, rq->title));
        }
        if (rq->tags != NULL) {
            char *tags;
            if ((rc = rules_tags_normalise(a, rq->tags, &tags, e)) != 0) {
                return rc;
            }
            plan_add(a, p, SF_ITEM_TAGS, id, tags);
        }
        return 0;
    }
    plan_add(a, p, SF_ITEM_LOCKED, id, "1"); /* lock */
    return 0;
}

/* warn, suspend, ban, revoke-invites, prune on a member. */
static int plan_member(struct store *db, struct arena *a, const struct store_user *moderator,
                       const struct mod_request *rq, int64_t now, struct plan *p,
                       struct rules_error *e)
{
    struct store_user u;
    int rc = store_user_by_id(db, a, rq->target_id, &u);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "target_id", "No such member.") : rc;
    }
    if (u.id == moderator->id || mod_is_moderator(&u)) {
        return rules_fail(e, ERR_DENIED, "target_id", "Moderators cannot act on moderators.");
    }
    p->member = u.id;
    const char *action = rq->action;
    if (strcmp(action, "warn") == 0) {
        return 0; /* the log entry and the notification are the warning */
    }
    if (strcmp(action, "suspend") == 0) {
        if (rq->days < 1 || rq->days > 365) {
            return rules_fail(e, ERR_INVAL, "days", "Suspend for 1 to 365 days.");
        }
        plan_add(a, p, SF_USER_SUSPENDED_UNTIL, u.id,
                 arena_printf(a, "%lld", (long long)(now + (int64_t)rq->days * DAY)));
    } else if (strcmp(action, "ban") == 0) {
        plan_add(a, p, SF_USER_BANNED, u.id, "1");
    } else if (strcmp(action, "revoke-invites") == 0) {
        plan_add(a, p, SF_USER_CAN_INVITE, u.id, "0");
    } else { /* prune: the member and everyone invited below them */
        int64_t *branch;
        size_t n;
        if ((rc = store_user_branch(db, a, u.id, &branch, &n)) != 0) {
            return rc;
        }
        plan_add(a, p, SF_USER_BANNED, u.id, "1");
        for (size_t i = 0; i < n; i++) {
            plan_add(a, p, SF_USER_BANNED, branch[i], "1");
        }
    }
    return 0;
}

/* An undo: the old values of the entry's changes, written back. */
static int plan_undo(struct store *db, struct arena *a, const struct mod_request *rq,
                     struct plan *p, struct rules_error *e)
{
    struct store_modlog entry;
    int rc = store_modlog_get(db, a, rq->target_id, &entry);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "target_id", "No such log entry.") : rc;
    }
    if (entry.undone_by != 0) {
        return rules_fail(e, ERR_EXISTS, "target_id", "That action was already undone.");
    }
    p->target = entry.target;
    p->target_id = entry.target_id;
    p->undoes = entry.id;
    json_t *changes = json_loads(entry.changes, 0, NULL);
    if (!json_is_array(changes)) {
        json_decref(changes);
        return ERR_DB; /* we wrote it: a parse failure is corruption */
    }
    size_t i;
    json_t *c;
    rc = 0;
    json_array_foreach(changes, i, c)
    {
        enum store_field f;
        const char *name = json_string_value(json_object_get(c, "field"));
        const char *old = json_string_value(json_object_get(c, "old"));
        json_t *id = json_object_get(c, "id");
        if (name == NULL || old == NULL || !json_is_integer(id) ||
            store_field_by_name(name, &f) != 0) {
            rc = ERR_DB;
            break;
        }
        plan_add(a, p, f, json_integer_value(id), arena_strdup(a, old));
    }
    json_decref(changes);
    return rc;
}

/* Applies the changes, recording old and new values as the log's JSON. */
static int apply(struct store *db, struct arena *a, const struct plan *p, struct buf *log)
{
    struct json_w w;
    json_w_init(&w, log);
    json_w_begin_array(&w);
    for (size_t i = 0; i < p->n; i++) {
        const struct change *c = &p->c[i];
        char *old;
        int rc = store_field_get(db, a, c->field, c->id, &old);
        if (rc == 0 && strcmp(old, c->value) != 0) {
            rc = store_field_set(db, c->field, c->id, c->value);
            json_w_begin_object(&w);
            json_w_kstr(&w, "field", store_field_name(c->field));
            json_w_ki64(&w, "id", c->id);
            json_w_kstr(&w, "old", old);
            json_w_kstr(&w, "new", c->value);
            json_w_end(&w, '}');
        }
        if (rc != 0) {
            return rc;
        }
    }
    json_w_end(&w, ']');
    return 0;
}

/* The author of an item or comment, or the member itself; 0 when gone. */
static int64_t target_member(struct store *db, struct arena *a, const char *target, int64_t id)
{
    struct store_item it;
    struct store_comment c;
    if (strcmp(target, "item") == 0) {
        return store_item_get(db, a, id, 0, &it) == 0 ? it.user_id : 0;
    }
    if (strcmp(target, "comment") == 0) {
        return store_comment_get(db, a, id, &c) == 0 ? c.user_id : 0;
    }
    struct store_answer ans;
    if (strcmp(target, "answer") == 0) {
        return store_answer_get(db, a, id, 0, &ans) == 0 ? ans.user_id : 0;
    }
    return id;
}

/* Tells one member, and their inviter, about an action concerning them. */
static int notify_one(struct store *db, struct arena *a, int64_t member, const char *what,
                      const char *reason, int64_t now)
{
    struct store_user u;
    if (member == 0 || store_user_by_id(db, a, member, &u) != 0) {
        return 0;
    }
    int rc = store_notify(db, u.id, now,
                          arena_printf(a, "A moderator took an action concerning you (%s): %s",
                                       what, reason));
    if (rc == 0 && u.invited_by != 0) {
        rc = store_notify(db, u.invited_by, now,
                          arena_printf(a, "A moderator took an action concerning @%s, whom you "
                                          "invited (%s): %s", u.handle, what, reason));
    }
    return rc;
}

/* The member concerned, every other member whose standing changed (a pruned branch), and
 * their inviters. */
static int notify(struct store *db, struct arena *a, const struct plan *p,
                  const struct mod_request *rq, int64_t now)
{
    /* in words a member reads: "a warning", "removal of your item #12" */
    const char *what = strcmp(p->target, "user") == 0
                           ? arena_printf(a, "%s", rq->action)
                           : arena_printf(a, "%s of %s #%lld", rq->action, p->target,
                                          (long long)p->target_id);
    int rc = notify_one(db, a, p->member, what, rq->reason, now);
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        const struct change *c = &p->c[i];
        bool standing = c->field == SF_USER_BANNED || c->field == SF_USER_SUSPENDED_UNTIL ||
                        c->field == SF_USER_CAN_INVITE;
        if (standing && c->id != p->member) {
            rc = notify_one(db, a, c->id, what, rq->reason, now);
        }
    }
    return rc;
}

/* A ban (or prune) ends the members' sessions and API tokens at once: they are signed out
 * everywhere, and an undo does not bring the old ones back. */
static int end_banned_access(struct store *db, const struct plan *p)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        if (p->c[i].field == SF_USER_BANNED && strcmp(p->c[i].value, "1") == 0) {
            rc = store_user_end_access(db, p->c[i].id);
        }
    }
    return rc;
}

int mod_queue(struct store *db, struct arena *a, const struct store_user *moderator,
              struct store_queue_entry **out, size_t *n, struct rules_error *e)
{
    if (mod_is_moderator(moderator)) {
        return store_mod_queue(db, a, 0, out, n);
    }
    bool groups = false; /* a group's moderators see what waits in their groups */
    int rc = store_group_moderates(db, moderator->id, 0, &groups);
    if (rc != 0) {
        return rc;
    }
    if (!groups) {
        return rules_fail(e, ERR_DENIED, NULL, "Only moderators see the queue.");
    }
    return store_mod_queue(db, a, moderator->id, out, n);
}

/* The group the request's content is in (an undo: the group of the entry it undoes), and
 * whether the moderator may act there: site moderators everywhere; a group's moderators on
 * its items and comments, never on members. */
static int mod_scope(struct store *db, struct arena *a, const struct store_user *moderator,
                     const struct mod_request *rq, int64_t *group_id, struct rules_error *e)
{
    struct store_modlog entry;
    int rc = 0;
    *group_id = 0;
    if (rq->action != NULL && strcmp(rq->action, "undo") == 0) {
        rc = store_modlog_get(db, a, rq->target_id, &entry);
        *group_id = rc == 0 ? entry.group_id : 0;
        rc = rc == ERR_NOTFOUND ? 0 : rc; /* plan_undo says so */
    } else if (rq->target != NULL) {
        rc = store_content_group(db, rq->target, rq->target_id, group_id);
    }
    if (rc != 0 || mod_is_moderator(moderator)) {
        return rc;
    }
    bool yes = false;
    bool member_action = rq->target != NULL && strcmp(rq->target, "user") == 0;
    if (*group_id > 0 && !member_action &&
        (rc = store_group_moderates(db, moderator->id, *group_id, &yes)) != 0) {
        return rc;
    }
    int64_t into_group = *group_id;
    if (yes && rq->into > 0 && (rc = store_content_group(db, "item", rq->into, &into_group)) != 0) {
        return rc;
    }
    yes = yes && into_group == *group_id; /* a merge stays inside their group */
    return yes ? 0 : rules_fail(e, ERR_DENIED, "action", "Only moderators can do that.");
}

static void emit_status_changes(struct store *db, struct arena *a, const struct plan *p,
                                int64_t now)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->c[i].field == SF_ITEM_STATUS) {
            rules_emit_item(db, a, "item.status_changed", p->c[i].id, p->c[i].value, now);
        }
    }
}

int mod_act(struct store *db, struct arena *a, const struct store_user *moderator,
            const struct mod_request *rq, int64_t now, int64_t *log_id, struct rules_error *e)
{
    int64_t group_id = 0;
    int rc = mod_scope(db, a, moderator, rq, &group_id, e);
    if (rc != 0) {
        return rc;
    }
    if (rq->action == NULL || !rules_in_list(mod_actions, rq->action)) {
        return rules_fail(e, ERR_INVAL, "action",
                    "The action is one of keep, remove, merge, edit, lock, warn, suspend, ban, "
                    "revoke-invites, prune, undo.");
    }
    if (rq->reason == NULL || !rules_text_ok(rq->reason, MOD_REASON_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "reason", "A reason is required (at most 500 characters).");
    }
    struct plan p = {.target = rq->target, .target_id = rq->target_id};
    bool undo = strcmp(rq->action, "undo") == 0;
    bool on_member = rq->target != NULL && strcmp(rq->target, "user") == 0;
    bool member_action = rules_in_list(member_actions, rq->action);
    if (undo) {
        rc = plan_undo(db, a, rq, &p, e);
    } else if (rq->target == NULL || (strcmp(rq->target, "item") != 0 &&
                                      strcmp(rq->target, "comment") != 0 &&
                                      strcmp(rq->target, "answer") != 0 && !on_member)) {
        rc = rules_fail(e, ERR_INVAL, "target", "The target is item, comment, answer or user.");
    } else if (on_member != member_action) {
        rc = rules_fail(e, ERR_INVAL, "action",
                  on_member ? "Members can be warned, suspended, banned, lose invite rights or "
                              "be pruned with their invitation branch."
                            : "That action applies to members.");
    } else {
        rc = on_member ? plan_member(db, a, moderator, rq, now, &p, e)
                       : plan_content(db, a, rq, now, &p, e);
    }
    if (rc != 0) {
        return rc;
    }
    struct buf changes;
    buf_init(&changes, 0);
    if ((rc = store_tx_begin(db)) != 0) {
        goto cleanup;
    }
    rc = apply(db, a, &p, &changes);
    if (rc == 0) {
        struct store_modlog entry = {.at = now, .moderator_id = moderator->id,
                                     .action = rq->action, .target = p.target,
                                     .target_id = p.target_id, .reason = rq->reason,
                                     .changes = buf_cstr(&changes), .undoes = p.undoes,
                                     .group_id = group_id};
        rc = store_modlog_add(db, &entry, log_id);
    }
    if (rc == 0 && undo) {
        rc = store_modlog_set_undone(db, p.undoes, *log_id);
    }
    if (rc == 0 && undo) {
        p.member = target_member(db, a, p.target, p.target_id);
    }
    if (rc == 0) {
        rc = notify(db, a, &p, rq, now);
    }
    if (rc == 0) {
        rc = end_banned_access(db, &p);
    }
    if (rc == 0) {
        rc = store_tx_commit(db);
    }
    if (rc == 0) { /* after the commit: a webhook's queueing never fails the action */
        emit_status_changes(db, a, &p, now);
    }
    if (rc != 0) {
        store_tx_rollback(db);
    }
cleanup:
    buf_fini(&changes);
    return rc;
}
