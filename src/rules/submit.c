/* Submissions: links and blogs on the site; links, questions, ideas and competition entries
 * in a group. What a post needs, the honor rule, new members' limits, and the self-promotion
 * and off-topic holds. */
#include <string.h>

#include "../core/err.h"
#include "../core/url.h"
#include "../core/util.h"
#include "rules_int.h"

/* What is wrong with a title rules_text_ok refused, said so that it can be fixed. */
static int title_problem(struct arena *a, const char *title, struct rules_error *e)
{
    size_t n = title ? strlen(title) : 0;
    if (title != NULL && !utf8_valid_text(title, n)) {
        return rules_fail(e, ERR_INVAL, "title", "The title holds bytes that are not text.");
    }
    size_t len = title ? utf8_len(title, n) : 0;
    if (len > RULES_TITLE_MAX) {
        e->field = "title";
        e->message = arena_printf(a, "The title is %zu characters long; the most is %d. "
                                     "Shorten it by %zu.", len, RULES_TITLE_MAX,
                                  len - RULES_TITLE_MAX);
        return ERR_INVAL;
    }
    return rules_fail(e, ERR_INVAL, "title", "A title is required.");
}

/* Whether the off-topic check may hold this post by itself: a new member's post, or anyone's
 * when the model has learnt from enough moderators' off-topic removals and the score is far
 * below the threshold. A model that only knows the guild's own words calls every unfamiliar
 * word off-topic: on its own it must not hide an established member's post. */
static bool topic_may_hold(const struct rules_policy *pol, const struct store_user *u,
                           int64_t now, const struct rules_submission *in)
{
    if (rules_is_new(pol, u, now)) {
        return true;
    }
    return in->topic_removals >= (size_t)pol->topic_min_removals &&
           in->topic_score < pol->topic_threshold - pol->topic_margin;
}

/* The kinds a post may have where it is posted: links and blogs on the site; links,
 * questions and ideas in a group (a blog belongs to the directory). */
static int submit_kind(const struct rules_submission *in, const char **kind, struct rules_error *e)
{
    static const char *const site[] = {"link", "blog", NULL};
    static const char *const group[] = {"link", "question", "idea", NULL};
    const char *const *ok = in->group ? group : site;
    for (size_t k = 0; in->kind != NULL && ok[k] != NULL; k++) {
        if (strcmp(in->kind, ok[k]) == 0) {
            *kind = ok[k];
            return 0;
        }
    }
    return rules_fail(e, ERR_INVAL, "kind",
                      in->group ? "In a group, post a link, a question or an idea."
                                : "Choose a link or a blog.");
}

/* Where the post goes and what it points at: a link's canonical address, or for a question or
 * an idea (no address) a unique placeholder and the submitter's organisation as its domain. */
static int submit_target(struct arena *a, const struct store_user *u,
                         const struct rules_submission *in, struct store_item *it,
                         struct rules_error *e)
{
    char *canon, *host;
    if (strcmp(it->kind, "question") == 0 || strcmp(it->kind, "idea") == 0) {
        char nonce[33];
        random_hex(nonce, 16);
        it->canon_url = arena_printf(a, "guild:%s:%s", it->kind, nonce);
        it->domain = u->domain ? u->domain : "";
        it->url = "";
        return 0;
    }
    if (in->url == NULL || url_canonicalize(a, in->url, &canon, &host) != 0) {
        return rules_fail(e, ERR_INVAL, "url", "Give a full web address starting with http:// or https://.");
    }
    /* a group is a space of its own: a link already shared on the site (or in another group,
     * or entered in another competition) may be shared there too, once */
    it->canon_url = in->competition_id > 0
                        ? arena_printf(a, "%s#competition-%lld", canon, (long long)in->competition_id)
                    : in->group != NULL ? arena_printf(a, "%s#group-%lld", canon, (long long)in->group->id)
                                        : canon;
    it->domain = host;
    it->url = arena_strdup(a, in->url);
    return 0;
}

/* Texts, tags and, for a blog, its feed. */
static int submit_texts(struct arena *a, const struct rules_submission *in, struct store_item *it,
                        struct rules_error *e)
{
    bool blog = strcmp(it->kind, "blog") == 0;
    char *tags;
    if (!rules_text_ok(in->title, RULES_TITLE_MAX, true)) {
        return title_problem(a, in->title, e);
    }
    if (!rules_text_ok(in->text, blog ? RULES_DESC_MAX : RULES_TEXT_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "text", "The text is too long.");
    }
    if (blog && in->feed_url != NULL && in->feed_url[0] != '\0') {
        char *feed, *feed_host;
        if (url_canonicalize(a, in->feed_url, &feed, &feed_host) != 0) {
            return rules_fail(e, ERR_INVAL, "feed_url", "The feed address must be a full http(s) URL.");
        }
        it->feed_url = feed;
    }
    if (rules_tags_normalise(a, in->tags, &tags, e) != 0) {
        return ERR_INVAL;
    }
    it->tags = tags;
    char *title = arena_strdup(a, in->title);
    it->title = str_trim(title);
    it->body = in->text ? arena_strdup(a, in->text) : "";
    return 0;
}

/* New members link only to domains the guild knows; a blog is nominated by someone it does
 * not belong to (the honor rule). */
static int submit_standing(struct store *db, const struct rules_policy *pol,
                           const struct store_user *u, const struct store_item *it, int64_t now,
                           struct rules_error *e)
{
    if (strcmp(it->kind, "link") == 0 && rules_is_new(pol, u, now)) {
        bool seen = false;
        int rc = store_domain_seen(db, it->domain, &seen);
        if (rc != 0) {
            return rc;
        }
        if (!seen) {
            return rules_fail(e, ERR_DENIED, "url",
                              "New members can link to sites the guild already knows; this "
                              "domain is new here. Ask a longer-standing member to share it.");
        }
    }
    if (strcmp(it->kind, "blog") == 0 && it->own_org) {
        return rules_fail(e, ERR_DENIED, "url",
                    "The honor rule: you cannot nominate a blog from your own organisation's "
                    "domain. Ask a member from elsewhere to nominate it.");
    }
    return 0;
}

/* The self-promotion rule (site-wide, or the 5:1 rule inside a group) and the off-topic
 * check decide whether the post waits for a moderator. */
static int submit_hold(struct store *db, const struct rules_policy *pol, const struct store_user *u,
                       const struct rules_submission *in, struct store_item *it, int64_t now,
                       struct arena *a)
{
    bool promoter = false;
    int rc = 0;
    if (it->own_org || it->authored) {
        rc = in->group ? rules_group_promoter(db, pol, u, in->group, &promoter)
                       : rules_self_promoter(db, pol, u, &promoter);
    }
    if (rc != 0) {
        return rc;
    }
    if (promoter) { /* own posts wait for a moderator */
        it->status = "queued";
        it->queue_reason = in->group ? "self-promotion: more than one in six of the member's "
                                       "recent posts in this group are their organisation's"
                                     : "self-promotion: many of the member's recent links are their own";
    } else if (in->topic_known && in->topic_score < pol->topic_threshold) {
        if (topic_may_hold(pol, u, now, in)) {
            it->status = "queued";
            it->queue_reason = arena_printf(a, "off-topic check: topic score %.2f (threshold "
                                               "%.2f)", in->topic_score, pol->topic_threshold);
        } else {
            it->topic_doubt = in->topic_score; /* listed; moderators see the doubt */
        }
    }
    return 0;
}

int rules_submit(struct store *db, struct arena *a, const struct rules_policy *pol,
                 const struct store_user *u, const struct rules_submission *in, int64_t *id,
                 struct rules_error *e)
{
    int64_t now = now_unix();
    struct store_item it = {0};
    int rc = rules_can_act(u, now, e);
    if (rc == 0) {
        rc = submit_kind(in, &it.kind, e);
    }
    if (rc == 0 && in->group != NULL) {
        rc = rules_group_post_ok(db, a, u, in->group, in->competition_id, now, e);
    }
    if (rc == 0 && in->competition_id > 0 && strcmp(it.kind, "link") != 0) {
        rc = rules_fail(e, ERR_INVAL, "kind", "A competition entry is a link to the work.");
    }
    if (rc == 0) {
        rc = submit_target(a, u, in, &it, e);
    }
    if (rc == 0) {
        rc = submit_texts(a, in, &it, e);
    }
    if (rc != 0) {
        return rc;
    }
    bool link = strcmp(it.kind, "link") == 0;
    it.own_org = link || strcmp(it.kind, "blog") == 0 ? rules_same_org(u, it.domain)
                                                       : rules_own_post(u, "", it.body);
    if ((rc = submit_standing(db, pol, u, &it, now, e)) != 0) {
        return rc;
    }
    it.user_id = u->id;
    it.authored = link && in->authored;
    it.group_id = in->group ? in->group->id : 0;
    it.competition_id = in->competition_id;
    it.idea_status = strcmp(it.kind, "idea") == 0 ? "submitted" : "";
    if ((rc = submit_hold(db, pol, u, in, &it, now, a)) != 0) {
        return rc;
    }
    rc = store_item_create(db, &it, id);
    if (rc == ERR_EXISTS) {
        return rules_fail(e, ERR_EXISTS, "url", "Already submitted: you were taken to the existing item.");
    }
    if (rc == 0 && (it.status == NULL || strcmp(it.status, "ok") == 0)) {
        rules_emit_item(db, a, "item.created", *id, NULL, now);
    }
    return rc;
}
