#include "rules_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../auth/auth.h"
#include "../core/buf.h"
#include "../core/err.h"
#include "../core/url.h"
#include "../core/util.h"

const char *const rules_tags[] = {"abm",     "analytics", "brand",    "content", "demand-gen",
                                  "events",  "email",     "ops",      "pricing", "product-marketing",
                                  "research", "sales",    "seo",      "social",  "strategy",
                                  NULL};

const char *const rules_downvote_reasons[] = {"off-topic", "spam", "low-quality", "duplicate",
                                              "self-promotion", NULL};

const char *rules_reason_label(const char *reason)
{
    if (strcmp(reason, "low-quality") == 0) {
        return "low quality";
    }
    if (strcmp(reason, "self-promotion") == 0) {
        return "self-promotion";
    }
    return reason;
}

int rules_fail(struct rules_error *e, int rc, const char *field, const char *message)
{
    e->field = field;
    e->message = message;
    return rc;
}

/* Non-empty after trimming, valid text, at most max code points. */
bool rules_text_ok(const char *s, size_t max, bool required)
{
    if (s == NULL) {
        return !required;
    }
    size_t n = strlen(s);
    if (!utf8_valid_text(s, n) || utf8_len(s, n) > max) {
        return false;
    }
    if (required) {
        for (size_t i = 0; i < n; i++) {
            if (!isspace((unsigned char)s[i])) {
                return true;
            }
        }
        return false;
    }
    return true;
}

bool rules_in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* Splits on spaces/commas, lowercases, checks each against the site list, drops repeats. */
int rules_tags_normalise(struct arena *a, const char *in, char **out, struct rules_error *e)
{
    char *copy = arena_strdup(a, in ? in : "");
    struct buf b;
    buf_init(&b, 512);
    int count = 0, rc = 0;
    for (char *save = NULL, *t = strtok_r(copy, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
        ascii_lower(t);
        if (!rules_in_list(rules_tags, t)) {
            rc = rules_fail(e, ERR_INVAL, "tags", "Pick tags from the site's list.");
            goto out;
        }
        char *seen = arena_printf(a, " %s ", t), *have = arena_printf(a, " %s ", buf_cstr(&b));
        if (strstr(have, seen) != NULL) {
            continue;
        }
        if (++count > RULES_MAX_TAGS) {
            rc = rules_fail(e, ERR_INVAL, "tags", "At most 4 tags.");
            goto out;
        }
        if (b.len) {
            buf_appendc(&b, ' ');
        }
        buf_appendz(&b, t);
    }
    *out = arena_strdup(a, buf_cstr(&b));
out:
    buf_fini(&b);
    return rc;
}

bool rules_same_org(const struct store_user *u, const char *item_domain)
{
    return u->domain != NULL && u->domain[0] != '\0' && url_domain_matches(item_domain, u->domain);
}

int rules_vote_value_ok(int value, const char *reason, const char **reason_out,
                         struct rules_error *e)
{
    if (value < -1 || value > 1) {
        return rules_fail(e, ERR_INVAL, "value", "A vote is 1 (up), -1 (down) or 0 (withdraw).");
    }
    *reason_out = "";
    if (value == -1) {
        if (reason == NULL || !rules_in_list(rules_downvote_reasons, reason)) {
            return rules_fail(e, ERR_INVAL, "reason",
                        "A downvote needs a reason: off-topic, spam, low-quality, duplicate or "
                        "self-promotion.");
        }
        *reason_out = reason;
    }
    return 0;
}

/* Standing for votes: suspended, banned and (for downvotes) new members cannot. */
int rules_vote_standing(const struct rules_policy *pol, const struct store_user *u, int value,
                         struct rules_error *e)
{
    int64_t now = now_unix();
    int rc = rules_can_act(u, now, e);
    if (rc == 0 && value < 0 && rules_is_new(pol, u, now)) {
        rc = rules_fail(e, ERR_DENIED, "value",
                        "New members can downvote once they have been here a week; upvote "
                        "what you value, or flag what breaks the rules.");
    }
    return rc;
}

int rules_vote_item(struct store *db, struct arena *a, const struct rules_policy *pol,
                    const struct store_user *u, int64_t item_id, int value, const char *reason,
                    struct rules_error *e)
{
    const char *why;
    int rc = rules_vote_value_ok(value, reason, &why, e);
    if (rc == 0) {
        rc = rules_vote_standing(pol, u, value, e);
    }
    if (rc != 0) {
        return rc;
    }
    struct store_item it;
    if ((rc = store_item_get(db, a, item_id, u->id, &it)) != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "item", "No such item.") : rc;
    }
    if (it.user_id == u->id) {
        return rules_fail(e, ERR_DENIED, "item", "You cannot vote on your own submission.");
    }
    if (strcmp(it.status, "removed") == 0 || strcmp(it.status, "merged") == 0) {
        return rules_fail(e, ERR_DENIED, "item", "This item was taken down by the moderators.");
    }
    /* an idea's domain is its submitter's organisation: colleagues may want the same thing,
     * and vote; their votes count nothing in its ranking (the ranker's conflict rule) */
    if (strcmp(it.kind, "idea") != 0 && rules_same_org(u, it.domain)) {
        return rules_fail(e, ERR_DENIED, "item",
                    "You cannot vote on items from your own organisation's domain.");
    }
    if (it.group_id > 0 && (rc = rules_group_vote(db, a, u, &it, value, now_unix(), e)) != 0) {
        return rc;
    }
    return store_vote_set(db, u->id, item_id, value, why);
}

int rules_vote_comment(struct store *db, struct arena *a, const struct rules_policy *pol,
                       const struct store_user *u, int64_t comment_id, int value,
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
    struct store_comment c;
    if ((rc = store_comment_get(db, a, comment_id, &c)) != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "comment", "No such comment.") : rc;
    }
    if (c.deleted) {
        return rules_fail(e, ERR_DENIED, "comment", "That comment was deleted.");
    }
    if (strcmp(c.status, "ok") != 0) {
        return rules_fail(e, ERR_DENIED, "comment",
                          "That comment was removed or is held by the moderators.");
    }
    if (c.user_id == u->id) {
        return rules_fail(e, ERR_DENIED, "comment", "You cannot vote on your own comment.");
    }
    return store_comment_vote_set(db, u->id, comment_id, value, why);
}

int rules_comment_add(struct store *db, struct arena *a, const struct rules_policy *pol,
                      const struct store_user *u, int64_t item_id, int64_t parent_id,
                      const char *body, int64_t *id, struct rules_error *e)
{
    int64_t now = now_unix(), last_at;
    int rc = rules_can_act(u, now, e), flags;
    if (rc != 0) {
        return rc;
    }
    if (!rules_text_ok(body, RULES_TEXT_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "body", "Write a comment (at most 10,000 characters).");
    }
    struct store_item it;
    if ((rc = store_item_get(db, a, item_id, 0, &it)) != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "item", "No such item.") : rc;
    }
    if (it.locked || strcmp(it.status, "removed") == 0 || strcmp(it.status, "merged") == 0) {
        return rules_fail(e, ERR_DENIED, "item",
                          it.locked ? "A moderator locked this thread; see the moderation log."
                                    : "This item was taken down by the moderators.");
    }
    /* the thread's speed limit slows everyone down as flags on its comments pile up (none
     * when the guild has set no gap: then nothing to look up) */
    last_at = flags = 0;
    if (pol->thread_gap > 0 && (rc = store_thread_pace(db, item_id, u->id, &last_at, &flags))) {
        return rc;
    }
    int64_t gap = (int64_t)pol->thread_gap * (1 + flags);
    if (last_at > 0 && now - last_at < gap) {
        e->retry_after = (int)(gap - (now - last_at));
        return rules_fail(e, ERR_LIMIT, "body",
                          "This thread has a speed limit: wait a little before commenting "
                          "here again.");
    }
    rc = store_comment_create(db, item_id, parent_id, u->id, body, 0, id);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, rc, parent_id ? "parent" : "item",
                    parent_id ? "The comment you replied to is not on this item."
                              : "No such item.");
    }
    if (rc == 0) {
        rules_comment_notify(db, a, u, &it, parent_id, *id, body, now);
        rules_emit_comment(db, a, u, item_id, *id, body, now);
    }
    return rc;
}

static int comment_owned(struct store *db, struct arena *a, const struct store_user *u,
                         int64_t comment_id, bool admin_ok, struct store_comment *c,
                         struct rules_error *e)
{
    int rc = store_comment_get(db, a, comment_id, c);
    if (rc != 0) {
        return rc == ERR_NOTFOUND ? rules_fail(e, rc, "comment", "No such comment.") : rc;
    }
    if (c->deleted) {
        return rules_fail(e, ERR_NOTFOUND, "comment", "That comment was deleted.");
    }
    if (c->user_id != u->id && !(admin_ok && strcmp(u->role, "admin") == 0)) {
        return rules_fail(e, ERR_DENIED, "comment", "Only the author can change this comment.");
    }
    return 0;
}

int rules_comment_edit(struct store *db, struct arena *a, const struct store_user *u,
                       int64_t comment_id, const char *body, int64_t now, struct rules_error *e)
{
    struct store_comment c;
    int rc = comment_owned(db, a, u, comment_id, false, &c, e);
    if (rc != 0) {
        return rc;
    }
    if (now - c.created_at > RULES_EDIT_WINDOW) {
        return rules_fail(e, ERR_DENIED, "comment", "Comments can be edited for 30 minutes after posting.");
    }
    if (!rules_text_ok(body, RULES_TEXT_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "body", "Write a comment (at most 10,000 characters).");
    }
    return store_comment_update(db, comment_id, body);
}

int rules_comment_delete(struct store *db, struct arena *a, const struct store_user *u,
                         int64_t comment_id, struct rules_error *e)
{
    struct store_comment c;
    int rc = comment_owned(db, a, u, comment_id, true, &c, e);
    return rc != 0 ? rc : store_comment_delete(db, comment_id);
}

static bool handle_ok(const char *h)
{
    size_t n = strlen(h);
    if (n < 2 || n > RULES_HANDLE_MAX || !isalpha((unsigned char)h[0])) {
        return false;
    }
    return strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

bool rules_email_ok(const char *s)
{
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    return n <= RULES_EMAIL_MAX && at != NULL && at != s && strchr(at + 1, '.') != NULL &&
           strchr(at + 1, '@') == NULL && strpbrk(s, " \t\r\n<>\"") == NULL &&
           strcasecmp(at, "@deleted.invalid") != 0 && /* deleted accounts' (store.h) */
           utf8_valid_text(s, n);
}

int rules_signup_check(struct arena *a, const struct rules_signup *in, const char **affiliation,
                       const char **domain, struct rules_error *e)
{
    if (in->handle == NULL || !handle_ok(in->handle)) {
        return rules_fail(e, ERR_INVAL, "handle",
                    "Handles are 2-24 letters, digits, _ or -, starting with a letter.");
    }
    if (!rules_text_ok(in->name, RULES_NAME_MAX, true)) {
        return rules_fail(e, ERR_INVAL, "name", "Give your name (at most 80 characters).");
    }
    if (in->email == NULL || !rules_email_ok(in->email)) {
        return rules_fail(e, ERR_INVAL, "email", "Give a valid email address.");
    }
    const char *pw_problem = in->password ? auth_password_problem(in->password) : "A password is required.";
    if (pw_problem != NULL) {
        return rules_fail(e, ERR_INVAL, "password", pw_problem);
    }
    const char *org = in->affiliation ? in->affiliation : "";
    if (!rules_text_ok(org, RULES_ORG_MAX, false)) {
        return rules_fail(e, ERR_INVAL, "affiliation", "The organisation name is too long.");
    }
    char *org_trim = str_trim(arena_strdup(a, org));
    if (org_trim[0] == '\0' || strcasecmp(org_trim, "independent") == 0) {
        if (in->domain != NULL && in->domain[0] != '\0') {
            char *d;
            if (url_normalize_domain(a, in->domain, &d) != 0) {
                return rules_fail(e, ERR_INVAL, "domain", "That is not a web domain (like example.com).");
            }
            *domain = d; /* independents may still declare their own site */
        } else {
            *domain = "";
        }
        *affiliation = "independent";
        return 0;
    }
    char *d;
    if (in->domain == NULL || url_normalize_domain(a, in->domain, &d) != 0) {
        return rules_fail(e, ERR_INVAL, "domain",
                    "Give your organisation's web domain (like example.com), or choose independent.");
    }
    *affiliation = org_trim;
    *domain = d;
    return 0;
}

int rules_join(struct store *db, struct arena *a, const char *code, const struct rules_signup *in,
               int64_t *id, struct rules_error *e)
{
    int64_t by;
    char *by_handle;
    int rc = store_invite_get(db, a, code, &by, &by_handle);
    if (rc == ERR_NOTFOUND) {
        return rules_fail(e, rc, "code", "This invitation link is not valid.");
    }
    if (rc == ERR_EXISTS) {
        return rules_fail(e, ERR_DENIED, "code", "This invitation has already been used.");
    }
    if (rc != 0) {
        return rc;
    }
    /* a banned or suspended member's unused invitations die with their standing: a ban must
     * not be undone by inviting oneself back */
    struct store_user inviter;
    if ((rc = store_user_by_id(db, a, by, &inviter)) != 0) {
        return rc;
    }
    if (rules_can_act(&inviter, now_unix(), e) != 0) {
        return rules_fail(e, ERR_DENIED, "code",
                          "This invitation is no longer valid: its sender may not invite now.");
    }
    const char *aff, *dom;
    if ((rc = rules_signup_check(a, in, &aff, &dom, e)) != 0) {
        return rc;
    }
    char hash[AUTH_HASH_MAX];
    if ((rc = auth_password_hash(in->password, hash)) != 0) {
        return rc;
    }
    struct store_user_new nu = {.handle = in->handle, .name = str_trim(arena_strdup(a, in->name)),
                                .email = in->email, .pw_hash = hash, .affiliation = aff,
                                .domain = dom, .role = "member", .invited_by = by,
                                .invites_left = 3};
    const char *field = "";
    rc = store_invite_redeem(db, code, &nu, id, &field);
    if (rc == ERR_EXISTS) {
        if (strcmp(field, "code") == 0) {
            return rules_fail(e, ERR_DENIED, "code", "This invitation has already been used.");
        }
        return rules_fail(e, ERR_EXISTS, field,
                    strcmp(field, "email") == 0 ? "That email address already has an account."
                                                : "That handle is taken.");
    }
    return rc;
}
