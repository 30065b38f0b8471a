/* Competition rules: who opens one, what its windows and judges must be, and judges'
 * scores. (Entries and votes are checked with the group's posts: groups.c, ideas.c.) */
#include <math.h>
#include <string.h>

#include "../core/err.h"
#include "../core/util.h"
#include "rules_int.h"

static int windows_ok(const struct store_competition *in, struct rules_error *e)
{
    if (in->entry_start <= 0 || in->entry_end <= in->entry_start) {
        return rules_fail(e, ERR_INVAL, "entry_end", "The entry window must end after it starts "
                                                     "(times in Unix seconds).");
    }
    if (in->vote_start <= 0 || in->vote_end <= in->vote_start) {
        return rules_fail(e, ERR_INVAL, "vote_end", "The voting window must end after it starts.");
    }
    if (in->vote_end <= in->entry_start) {
        return rules_fail(e, ERR_INVAL, "vote_end", "Voting must end after entries open.");
    }
    return 0;
}

static int fields_ok(const struct store_competition *in, size_t njudges, struct rules_error *e)
{
    if (!rules_text_ok(in->title, RULES_TITLE_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "title", "Give the competition a title (at most 200 "
                                                 "characters).");
    }
    if (!rules_text_ok(in->rules, RULES_TEXT_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "rules", "The rules are too long.");
    }
    if (in->voters == NULL ||
        (strcmp(in->voters, "members") != 0 && strcmp(in->voters, "customers") != 0)) {
        return rules_fail(e, ERR_INVAL, "voters", "Voters are members or customers.");
    }
    if (!(in->judge_weight >= 0.0 && in->judge_weight <= 1.0)) {
        return rules_fail(e, ERR_INVAL, "judge_weight", "The judges' weight is between 0 and 1.");
    }
    if (njudges > RULES_JUDGE_MAX) {
        return rules_fail(e, ERR_INVAL, "judges", "At most 10 judges.");
    }
    if (njudges == 0 && in->judge_weight > 0.0) {
        return rules_fail(e, ERR_INVAL, "judges", "Name the judges whose scores carry that weight.");
    }
    return windows_ok(in, e);
}

int rules_competition_create(struct store *db, struct arena *a, const struct store_user *u,
                             const struct store_group *g, const struct store_competition *in,
                             const char *const *judges, size_t njudges, int64_t *id,
                             struct rules_error *e)
{
    int64_t now = now_unix();
    struct rules_group_role r;
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = rules_group_role(db, a, u, g, &r);
    }
    if (rc != 0) {
        return rc;
    }
    if (!r.moderator) {
        return rules_fail(e, ERR_DENIED, "slug", "Only the group's moderators open competitions.");
    }
    if ((rc = fields_ok(in, njudges, e)) != 0) {
        return rc;
    }
    int64_t *ids = arena_alloc(a, (njudges + 1) * sizeof(*ids));
    for (size_t k = 0; k < njudges; k++) {
        struct store_user j;
        rc = judges[k] ? store_user_by_handle(db, a, judges[k], &j) : ERR_NOTFOUND;
        if (rc == ERR_NOTFOUND) {
            return rules_fail(e, ERR_NOTFOUND, "judges",
                              arena_printf(a, "No member is called %s.", judges[k] ? judges[k] : "(none)"));
        }
        if (rc != 0) {
            return rc;
        }
        ids[k] = j.id;
    }
    struct store_competition c = *in;
    c.group_id = g->id;
    c.created_by = u->id;
    c.created_at = now;
    c.rules = in->rules ? in->rules : "";
    return store_competition_create(db, &c, ids, njudges, id);
}

int rules_judge_score(struct store *db, struct arena *a, const struct store_user *u,
                      int64_t item_id, double score, int64_t now, struct rules_error *e)
{
    struct store_item it;
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = store_item_get(db, a, item_id, 0, &it);
    }
    if (rc == ERR_NOTFOUND || (rc == 0 && it.competition_id <= 0)) {
        return rules_fail(e, ERR_NOTFOUND, "item", "No such competition entry.");
    }
    if (rc != 0) {
        return rc;
    }
    int64_t *ids;
    char **handles;
    size_t n;
    if ((rc = store_competition_judges(db, a, it.competition_id, &ids, &handles, &n)) != 0) {
        return rc;
    }
    bool judge = false;
    for (size_t k = 0; k < n; k++) {
        judge |= ids[k] == u->id;
    }
    if (!judge) {
        return rules_fail(e, ERR_DENIED, "item", "Only this competition's judges score entries.");
    }
    if (it.user_id == u->id || rules_same_org(u, it.domain)) {
        return rules_fail(e, ERR_DENIED, "item", "Judges do not score their own entries or their "
                                                 "organisation's.");
    }
    if (!(score >= 0.0 && score <= 10.0) || isnan(score)) {
        return rules_fail(e, ERR_INVAL, "score", "A score is from 0 to 10.");
    }
    return store_judge_score_set(db, item_id, u->id, score, now);
}
