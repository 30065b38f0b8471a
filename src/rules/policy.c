/* Standing and limits: suspended and banned members, new members, invitations, and flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"
#include "rules_int.h"

const char *const rules_item_flag_reasons[] = {"off-topic", "spam", "duplicate", "broken-link",
                                               "self-promotion", NULL};
const char *const rules_comment_flag_reasons[] = {"off-topic", "unkind", "troll", "spam",
                                                  "me-too", NULL};

#define DAY 86400

void rules_policy_default(struct rules_policy *p)
{
    *p = (struct rules_policy){.new_member_days = 7, .flag_queue_weight = 2.0,
                               .item_flag_days = 14, .comment_flag_days = 7, .thread_gap = 20,
                               .own_share = 1.0 / 6.0, .topic_threshold = 0.5,
                               .topic_min_docs = 30, .topic_min_removals = 20,
                               .topic_margin = 0.15};
}

int rules_policy_parse(struct rules_policy *p, const char *spec)
{
    /* every setting: its name, where it goes (an int or a double) and its largest value */
    const struct {
        const char *name;
        int *i;
        double *d;
        double max;
    } settings[] = {
        {"new-member-days", &p->new_member_days, NULL, 3650},
        {"thread-gap", &p->thread_gap, NULL, 3650},
        {"item-flag-days", &p->item_flag_days, NULL, 3650},
        {"comment-flag-days", &p->comment_flag_days, NULL, 3650},
        {"topic-min-docs", &p->topic_min_docs, NULL, 3650},
        {"topic-min-removals", &p->topic_min_removals, NULL, 100000},
        {"flag-queue-weight", NULL, &p->flag_queue_weight, 1000},
        {"own-share", NULL, &p->own_share, 1},
        {"topic-threshold", NULL, &p->topic_threshold, 1},
        {"topic-margin", NULL, &p->topic_margin, 1},
    };
    char buf[256];
    if (strlen(spec) >= sizeof(buf)) {
        return ERR_INVAL;
    }
    strcpy(buf, spec);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(t, '='), *end = NULL;
        if (eq == NULL || eq[1] == '\0') {
            return ERR_INVAL;
        }
        *eq = '\0';
        size_t k = 0, n = sizeof(settings) / sizeof(settings[0]);
        while (k < n && strcmp(settings[k].name, t) != 0) {
            k++;
        }
        if (k == n) {
            return ERR_INVAL;
        }
        double v = settings[k].i ? (double)strtol(eq + 1, &end, 10) : strtod(eq + 1, &end);
        if (*end != '\0' || !(v >= 0 && v <= settings[k].max)) {
            return ERR_INVAL;
        }
        if (settings[k].i) {
            *settings[k].i = (int)v;
        } else {
            *settings[k].d = v;
        }
    }
    return 0;
}

int rules_self_promoter(struct store *db, const struct rules_policy *pol,
                        const struct store_user *u, bool *above)
{
    int own = 0, total = 0;
    int rc = store_user_own_share(db, u->id, RULES_OWN_SHARE_WINDOW, &own, &total);
    *above = rc == 0 && total > 0 && (double)own > pol->own_share * (double)total;
    return rc;
}

int rules_can_act(const struct store_user *u, int64_t now, struct rules_error *e)
{
    if (u->banned) {
        return rules_fail(e, ERR_DENIED, "account",
                          "This account is banned; see the public moderation log.");
    }
    if (u->suspended_until > now) {
        return rules_fail(e, ERR_DENIED, "account",
                          "This account is suspended for now; see the public moderation log.");
    }
    return 0;
}

bool rules_is_moderator(const struct store_user *u)
{
    return u != NULL && strcmp(u->role, "admin") == 0;
}

enum rules_view rules_view(const struct store_user *viewer, int64_t author_id,
                           const char *status, bool queued_hides)
{
    bool hidden = strcmp(status, "removed") == 0 || (queued_hides && strcmp(status, "queued") == 0);
    if (!hidden) {
        return RULES_VIEW_SHOW;
    }
    if (rules_is_moderator(viewer) || (viewer != NULL && viewer->id == author_id)) {
        return RULES_VIEW_MARKED;
    }
    return RULES_VIEW_WITHHELD;
}

int rules_site_about(struct store *db, const struct store_user *u, const char *text,
                     struct rules_error *e)
{
    if (strcmp(u->role, "admin") != 0) {
        return rules_fail(e, ERR_DENIED, NULL, "Only admins describe the guild.");
    }
    if (!rules_text_ok(text, RULES_ABOUT_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "about", "The description is at most 400 characters "
                                                 "of text.");
    }
    char trimmed[RULES_ABOUT_MAX * 4 + 1];
    snprintf(trimmed, sizeof(trimmed), "%s", text ? text : "");
    return store_setting_set(db, "about", str_trim(trimmed));
}

bool rules_is_new(const struct rules_policy *pol, const struct store_user *u, int64_t now)
{
    return strcmp(u->role, "admin") != 0 &&
           now - u->created_at < (int64_t)pol->new_member_days * DAY;
}

int rules_invite(struct store *db, const struct rules_policy *pol, const struct store_user *u,
                 const char *code, struct rules_error *e)
{
    int64_t now = now_unix();
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (!u->can_invite) {
        return rules_fail(e, ERR_DENIED, "invite",
                          "A moderator revoked your invite rights; see the moderation log.");
    }
    if (rules_is_new(pol, u, now)) {
        return rules_fail(e, ERR_DENIED, "invite",
                          "New members can invite others once they have been here a week.");
    }
    rc = store_invite_create(db, u->id, strcmp(u->role, "admin") == 0, code);
    if (rc == ERR_DENIED) {
        return rules_fail(e, rc, "invite", "You have no invitations left.");
    }
    return rc;
}

int rules_invite_revoke(struct store *db, const struct store_user *u, const char *code,
                        struct rules_error *e)
{
    if (code == NULL || code[0] == '\0' || strlen(code) > 64) {
        return rules_fail(e, ERR_INVAL, "code", "Which invitation? Its code is missing.");
    }
    int rc = store_invite_revoke(db, u->id, strcmp(u->role, "admin") == 0, code);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, ERR_NOTFOUND, "code",
                          "No open invitation of yours has that code: it was used or revoked.");
    }
    return rc;
}

/* The flagged thing's author, age, flag-window start and status fields. */
struct flag_target {
    int64_t author, created_at, cleared_at;
    const char *status;
    int days;
    enum store_field status_field, reason_field;
    const char *const *reasons;
};

static int flag_target_load(struct store *db, struct arena *a, const struct rules_policy *pol,
                            const char *target, int64_t id, struct flag_target *t,
                            struct rules_error *e)
{
    int rc;
    if (strcmp(target, "item") == 0) {
        struct store_item it;
        if ((rc = store_item_get(db, a, id, 0, &it)) != 0) {
            return rc == ERR_NOTFOUND ? rules_fail(e, rc, "id", "No such item.") : rc;
        }
        char *cleared;
        if ((rc = store_field_get(db, a, SF_ITEM_FLAGS_CLEARED, id, &cleared)) != 0) {
            return rc;
        }
        *t = (struct flag_target){it.user_id, it.created_at, strtoll(cleared, NULL, 10),
                                  it.status, pol->item_flag_days, SF_ITEM_STATUS,
                                  SF_ITEM_QUEUE_REASON, rules_item_flag_reasons};
        return 0;
    }
    struct store_comment c;
    if ((rc = store_comment_get(db, a, id, &c)) != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "id", "No such comment.") : rc;
    }
    if (c.deleted) {
        return rules_fail(e, ERR_NOTFOUND, "id", "That comment was deleted.");
    }
    char *cleared;
    if ((rc = store_field_get(db, a, SF_COMMENT_FLAGS_CLEARED, id, &cleared)) != 0) {
        return rc;
    }
    *t = (struct flag_target){c.user_id, c.created_at, strtoll(cleared, NULL, 10), c.status,
                              pol->comment_flag_days, SF_COMMENT_STATUS,
                              SF_COMMENT_QUEUE_REASON, rules_comment_flag_reasons};
    return 0;
}

int rules_flag(struct store *db, struct arena *a, const struct rules_policy *pol,
               const struct store_user *u, const char *target, int64_t id, const char *reason,
               int64_t now, bool *queued, struct rules_error *e)
{
    *queued = false;
    int rc = rules_can_act(u, now, e);
    if (rc != 0) {
        return rc;
    }
    if (rules_is_new(pol, u, now)) {
        return rules_fail(e, ERR_DENIED, "reason",
                          "New members can flag once they have been here a week.");
    }
    struct flag_target t = {0};
    if ((rc = flag_target_load(db, a, pol, target, id, &t, e)) != 0) {
        return rc;
    }
    if (reason == NULL || !rules_in_list(t.reasons, reason)) {
        return rules_fail(e, ERR_INVAL, "reason",
                          strcmp(target, "item") == 0
                              ? "A flag needs a reason: off-topic, spam, duplicate, broken-link "
                                "or self-promotion."
                              : "A flag needs a reason: off-topic, unkind, troll, spam or me-too.");
    }
    if (t.author == u->id) {
        return rules_fail(e, ERR_DENIED, "id", "You cannot flag your own contribution.");
    }
    if (now - t.created_at > (int64_t)t.days * DAY) {
        return rules_fail(e, ERR_DENIED, "id",
                          strcmp(target, "item") == 0
                              ? "Items can be flagged for 14 days after submission."
                              : "Comments can be flagged for 7 days after posting.");
    }
    if (strcmp(t.status, "ok") != 0 && strcmp(t.status, "queued") != 0) {
        return rules_fail(e, ERR_EXISTS, "id", "A moderator has already dealt with this.");
    }
    bool ranked = false;
    if ((rc = store_rank_ran(db, &ranked)) != 0) {
        return rc;
    }
    double weight = !ranked || u->seed ? 1.0 : u->trust;
    if ((rc = store_tx_begin(db)) != 0) {
        return rc;
    }
    double sum = 0;
    char *top = NULL;
    rc = store_flag_set(db, target, id, u->id, reason, weight, now);
    if (rc == 0) {
        rc = store_flag_weight(db, a, target, id, t.cleared_at, &sum, &top);
    }
    if (rc == 0 && strcmp(t.status, "ok") == 0 && sum >= pol->flag_queue_weight) {
        char why[96];
        snprintf(why, sizeof(why), "flagged: %s", top);
        rc = store_field_set(db, t.status_field, id, "queued");
        if (rc == 0) {
            rc = store_field_set(db, t.reason_field, id, why);
        }
        *queued = rc == 0;
    }
    if (rc == 0) {
        rc = store_tx_commit(db);
    }
    if (rc != 0) {
        store_tx_rollback(db);
        *queued = false;
    }
    return rc;
}
