/* The community's rules, shared by the web forms and the JSON API so the two never drift:
 * what a submission needs, the honor rule, who may vote on what, downvote reasons, comment
 * edit windows, and joining by invitation. Each function validates, then writes through the
 * store; on refusal it returns a negative enum err and fills *e with the field and a sentence
 * for the member (static strings). Arena a holds any temporary strings. */
#ifndef GUILD_RULES_RULES_H
#define GUILD_RULES_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/arena.h"
#include "../store/store.h"

#define RULES_TITLE_MAX 200       /* code points */
#define RULES_TEXT_MAX 10000      /* item commentary and comments */
#define RULES_DESC_MAX 2000       /* blog description */
#define RULES_EDIT_WINDOW (30 * 60) /* seconds a comment stays editable */
#define RULES_HANDLE_MAX 24
#define RULES_NAME_MAX 80
#define RULES_ORG_MAX 100
#define RULES_EMAIL_MAX 254
#define RULES_MAX_TAGS 4

struct rules_error {
    const char *field;
    const char *message;
};

/* The site's fixed tag list and the downvote reasons (NULL-terminated). */
extern const char *const rules_tags[];
extern const char *const rules_downvote_reasons[];
/* Human label for a reason code ("low-quality" -> "low quality"); the code if unknown. */
const char *rules_reason_label(const char *reason);

struct rules_submission {
    const char *kind; /* "link" or "blog" */
    const char *url, *title, *text, *feed_url;
    const char *tags; /* separated by spaces or commas */
};

/* ERR_EXISTS with *id = the existing item when the canonical URL was already submitted. */
int rules_submit(struct store *db, struct arena *a, const struct store_user *u,
                 const struct rules_submission *in, int64_t *id, struct rules_error *e)
    __attribute__((warn_unused_result));
/* value -1, 0 (withdraw) or 1; a downvote needs a reason from rules_downvote_reasons. */
int rules_vote_item(struct store *db, struct arena *a, const struct store_user *u,
                    int64_t item_id, int value, const char *reason, struct rules_error *e)
    __attribute__((warn_unused_result));
int rules_vote_comment(struct store *db, struct arena *a, const struct store_user *u,
                       int64_t comment_id, int value, const char *reason,
                       struct rules_error *e) __attribute__((warn_unused_result));
int rules_comment_add(struct store *db, const struct store_user *u, int64_t item_id,
                      int64_t parent_id, const char *body, int64_t *id, struct rules_error *e)
    __attribute__((warn_unused_result));
/* Only the author, within RULES_EDIT_WINDOW of posting. */
int rules_comment_edit(struct store *db, struct arena *a, const struct store_user *u,
                       int64_t comment_id, const char *body, int64_t now,
                       struct rules_error *e) __attribute__((warn_unused_result));
/* The author or an admin; the comment stays as "[deleted]" so replies keep their place. */
int rules_comment_delete(struct store *db, struct arena *a, const struct store_user *u,
                         int64_t comment_id, struct rules_error *e)
    __attribute__((warn_unused_result));

struct rules_signup {
    const char *handle, *name, *email, *password;
    const char *affiliation; /* organisation name, or "" / "independent" */
    const char *domain;      /* its web domain; required with an organisation */
};
/* Validates a new member's fields. OUT: normalised affiliation and domain (arena). */
int rules_signup_check(struct arena *a, const struct rules_signup *in, const char **affiliation,
                       const char **domain, struct rules_error *e)
    __attribute__((warn_unused_result));
/* Redeems an invitation code into a new member. */
int rules_join(struct store *db, struct arena *a, const char *code, const struct rules_signup *in,
               int64_t *id, struct rules_error *e) __attribute__((warn_unused_result));

/* True when the member's affiliation domain is the item's domain (or a parent of it). */
bool rules_same_org(const struct store_user *u, const char *item_domain);

#endif
