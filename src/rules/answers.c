/* Questions and answers in groups: who may answer, vote on an answer, and accept one. */
#include <string.h>

#include "../core/err.h"
#include "../core/log.h"
#include "../core/util.h"
#include "rules_int.h"

/* The question an answer or a vote is about: a listed question of a group u belongs to. */
static int question_open_to(struct store *db, struct arena *a, const struct store_user *u,
                            int64_t item_id, struct store_item *it, struct rules_error *e)
{
    int rc = store_item_get(db, a, item_id, u->id, it);
    if (rc == ERR_NOTFOUND || (rc == 0 && strcmp(it->kind, "question") != 0)) {
        return rules_fail(e, ERR_NOTFOUND, "item", "No such question.");
    }
    if (rc != 0) {
        return rc;
    }
    if (strcmp(it->status, "removed") == 0 || strcmp(it->status, "merged") == 0) {
        return rules_fail(e, ERR_GONE, "item", "This question was taken down by the moderators.");
    }
    struct store_group g;
    struct rules_group_role r;
    if ((rc = store_group_get_id(db, a, it->group_id, &g)) != 0 ||
        (rc = rules_group_role(db, a, u, &g, &r)) != 0) {
        return rc;
    }
    if (!r.member) {
        return rules_fail(e, ERR_DENIED, "item", "Join the group to answer and vote in it.");
    }
    return 0;
}

int rules_answer(struct store *db, struct arena *a, const struct store_user *u, int64_t item_id,
                 const char *body, int64_t now, int64_t *id, struct rules_error *e)
{
    struct store_item it;
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = question_open_to(db, a, u, item_id, &it, e);
    }
    if (rc != 0) {
        return rc;
    }
    if (it.locked) {
        return rules_fail(e, ERR_DENIED, "item", "This question is locked: no new answers.");
    }
    if (!rules_text_ok(body, RULES_ANSWER_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "body", "Write an answer (at most 10,000 characters).");
    }
    char *text = str_trim(arena_strdup(a, body));
    if ((rc = store_answer_create(db, item_id, u->id, text, now, id)) != 0) {
        return rc;
    }
    if (it.user_id != u->id &&
        store_notify_kind(db, it.user_id, "answer", u->id, item_id, now,
                          arena_printf(a, "%s answered your question \"%s\".", u->handle,
                                       it.title)) != 0) {
        log_warn("answer notice for question %lld not sent", (long long)item_id);
    }
    return 0;
}

int rules_answer_vote(struct store *db, struct arena *a, const struct rules_policy *pol,
                      const struct store_user *u, int64_t answer_id, int value,
                      const char *reason, struct rules_error *e)
{
    const char *why;
    int rc = rules_vote_value_ok(value, reason, &why, e);
    if (rc == 0) {
        rc = rules_vote_standing(pol, u, value, e);
    }
    if (rc != 0) {
        return rc;
    }
    struct store_answer ans;
    struct store_item it;
    rc = store_answer_get(db, a, answer_id, u->id, &ans);
    if (rc == ERR_NOTFOUND || (rc == 0 && strcmp(ans.status, "ok") != 0)) {
        return rules_fail(e, ERR_NOTFOUND, "answer", "No such answer.");
    }
    if (rc != 0 || (rc = question_open_to(db, a, u, ans.item_id, &it, e)) != 0) {
        return rc;
    }
    if (ans.user_id == u->id) {
        return rules_fail(e, ERR_DENIED, "answer", "You cannot vote on your own answer.");
    }
    if (rules_same_org(u, ans.domain)) {
        return rules_fail(e, ERR_DENIED, "answer",
                          "You cannot vote on answers from your own organisation.");
    }
    return store_answer_vote_set(db, u->id, answer_id, value, why, now_unix());
}

int rules_accept(struct store *db, struct arena *a, const struct store_user *u, int64_t item_id,
                 int64_t answer_id, struct rules_error *e)
{
    struct store_item it;
    int rc = rules_can_act(u, now_unix(), e);
    if (rc == 0) {
        rc = question_open_to(db, a, u, item_id, &it, e);
    }
    if (rc != 0) {
        return rc;
    }
    if (it.user_id != u->id) {
        return rules_fail(e, ERR_DENIED, "answer", "Only the member who asked accepts an answer.");
    }
    if (answer_id != 0) {
        struct store_answer ans;
        rc = store_answer_get(db, a, answer_id, u->id, &ans);
        if (rc == ERR_NOTFOUND || (rc == 0 && (ans.item_id != item_id || strcmp(ans.status, "ok") != 0))) {
            return rules_fail(e, ERR_NOTFOUND, "answer", "No such answer to this question.");
        }
        if (rc != 0) {
            return rc;
        }
        if (ans.user_id == u->id) {
            return rules_fail(e, ERR_DENIED, "answer", "You cannot accept your own answer.");
        }
    }
    if (it.accepted_answer == answer_id) {
        return 0; /* accepted already: nothing changes, nobody is told twice */
    }
    rc = store_item_accept(db, item_id, answer_id);
    if (rc == 0 && answer_id != 0) {
        struct store_answer ans;
        if (store_answer_get(db, a, answer_id, u->id, &ans) == 0 &&
            store_notify_kind(db, ans.user_id, "answer", u->id, item_id, now_unix(),
                              arena_printf(a, "%s accepted your answer to \"%s\".", u->handle,
                                           it.title)) != 0) {
            log_warn("acceptance notice for question %lld not sent", (long long)item_id);
        }
    }
    return rc;
}
