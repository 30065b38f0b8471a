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
#define RULES_WEBHOOKS_MAX 20 /* per member */

struct rules_error {
    const char *field;
    const char *message;
    int retry_after; /* with ERR_LIMIT: seconds until it may be tried again (0: unknown) */
};

/* Community thresholds (serve flags; defaults documented in docs/moderation.md). */
struct rules_policy {
    int new_member_days;      /* 7: newer members cannot flag, downvote, invite, or submit
                                 links to domains the site has never seen */
    double flag_queue_weight; /* 2.0: summed flag weight (the flaggers' trust) that queues a
                                 thing and hides it from lists until a moderator decides */
    int item_flag_days;       /* 14: items can be flagged this long after submission */
    int comment_flag_days;    /* 7: comments likewise */
    int thread_gap;           /* 20: seconds a member waits between comments on one thread,
                                 multiplied by 1 + the flags on that thread's comments */
    double topic_threshold;   /* 0.5: submissions the topic model scores below this wait in
                                 the queue (0 turns the check off) */
    int topic_min_docs;       /* 30: on-topic texts (listed items, blog post titles) the
                               * model needs before it is trusted */
    int topic_min_removals;   /* 20: off-topic removals the model must have learnt from before
                                 it may hold an established member's post on its own */
    double topic_margin;      /* 0.15: and then only a score this far below the threshold;
                                 otherwise the post stays listed and moderators see the score */
    double own_share;         /* 1/6: above this share of own-organisation or self-written
                                 links among their last 20, a member is warned at submit time
                                 and their new own links wait in the moderation queue */
};
void rules_policy_default(struct rules_policy *p);
/* Parses "new-member-days=7,flag-queue-weight=2,thread-gap=20,item-flag-days=14,
 * comment-flag-days=7" (any subset) into p. ERR_INVAL for unknown names or bad values. */
int rules_policy_parse(struct rules_policy *p, const char *spec)
    __attribute__((warn_unused_result));

/* The site's fixed tag list and the downvote reasons (NULL-terminated). */
extern const char *const rules_tags[];
extern const char *const rules_downvote_reasons[];
/* Human label for a reason code ("low-quality" -> "low quality"); the code if unknown. */
const char *rules_reason_label(const char *reason);

struct rules_submission {
    const char *kind; /* "link" or "blog"; in a group also "question" or "idea" */
    const char *url, *title, *text, *feed_url;
    const char *tags; /* separated by spaces or commas */
    bool authored;    /* "I wrote this" (links only; shown on the item) */
    bool topic_known;   /* a trusted topic model scored it: */
    double topic_score; /* 0..1 */
    size_t topic_removals; /* off-topic removals the model learnt from */
    const struct store_group *group; /* posted in this group (NULL: the site) */
    int64_t competition_id;          /* an entry of this competition of the group (0: none) */
};

/* Fills e (static strings) and returns rc: `return rules_fail(e, ERR_..., field, msg);`. */
int rules_fail(struct rules_error *e, int rc, const char *field, const char *message);
/* Non-empty after trimming (when required), valid UTF-8 text, at most max code points. */
bool rules_text_ok(const char *s, size_t max, bool required);
/* s is one of the NULL-terminated list. */
bool rules_in_list(const char *const *list, const char *s);
/* Tags separated by spaces or commas, each from rules_tags, at most RULES_MAX_TAGS; OUT:
 * space-separated (arena). */
int rules_tags_normalise(struct arena *a, const char *in, char **out, struct rules_error *e)
    __attribute__((warn_unused_result));

/* ERR_EXISTS with *id = the existing item when the canonical URL was already submitted. */
int rules_submit(struct store *db, struct arena *a, const struct rules_policy *pol,
                 const struct store_user *u,
                 const struct rules_submission *in, int64_t *id, struct rules_error *e)
    __attribute__((warn_unused_result));
/* value -1, 0 (withdraw) or 1; a downvote needs a reason from rules_downvote_reasons. */
int rules_vote_item(struct store *db, struct arena *a, const struct rules_policy *pol,
                    const struct store_user *u,
                    int64_t item_id, int value, const char *reason, struct rules_error *e)
    __attribute__((warn_unused_result));
int rules_vote_comment(struct store *db, struct arena *a, const struct rules_policy *pol,
                       const struct store_user *u,
                       int64_t comment_id, int value, const char *reason,
                       struct rules_error *e) __attribute__((warn_unused_result));
/* Not on a locked thread; not faster than the thread's speed limit. */
int rules_comment_add(struct store *db, struct arena *a, const struct rules_policy *pol,
                      const struct store_user *u, int64_t item_id,
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

/* ---- standing, new members, invitations and flags (policy.c) ---- */
#define RULES_OWN_SHARE_WINDOW 20
/* Whether the member is above pol->own_share of own links among their last 20. */
int rules_self_promoter(struct store *db, const struct rules_policy *pol,
                        const struct store_user *u, bool *above)
    __attribute__((warn_unused_result));
/* Suspended and banned members may read but not act: ERR_DENIED with the reason. */
int rules_can_act(const struct store_user *u, int64_t now, struct rules_error *e)
    __attribute__((warn_unused_result));
/* Moderators (admins): they see everything and act on flags. */
bool rules_is_moderator(const struct store_user *u);
/* What a viewer (NULL when signed out) may see of an item or comment written by author_id in
 * the given status. Removed content (and, with queued_hides, content held for review) is
 * withheld from everyone but the moderators and its author, who see it marked as such. */
enum rules_view { RULES_VIEW_SHOW, RULES_VIEW_MARKED, RULES_VIEW_WITHHELD };
enum rules_view rules_view(const struct store_user *viewer, int64_t author_id,
                           const char *status, bool queued_hides);
/* Joined less than pol->new_member_days ago (admins never count as new). */
bool rules_is_new(const struct rules_policy *pol, const struct store_user *u, int64_t now);
/* Creates an invitation code for u: not for new members, nor after invite rights were
 * revoked; members spend one of their invites. */
int rules_invite(struct store *db, const struct rules_policy *pol, const struct store_user *u,
                 const char *code, struct rules_error *e) __attribute__((warn_unused_result));

/* Takes back u's unused invitation code (the member gets it back). */
int rules_invite_revoke(struct store *db, const struct store_user *u, const char *code,
                        struct rules_error *e) __attribute__((warn_unused_result));
#define RULES_ABOUT_MAX 400 /* code points of the guild's description */
/* An admin's description of the guild (shown to visitors): ERR_DENIED for non-admins,
 * ERR_INVAL when too long or not text. Stores it. */
int rules_site_about(struct store *db, const struct store_user *u, const char *text,
                     struct rules_error *e) __attribute__((warn_unused_result));
extern const char *const rules_item_flag_reasons[];    /* off-topic spam duplicate ... */
extern const char *const rules_comment_flag_reasons[]; /* off-topic unkind troll spam me-too */
/* Flags an item or comment (target "item" / "comment"). The flag weighs the flagger's trust
 * (1 for everyone until the ranker has run); when the flags since a moderator last kept the
 * thing reach pol->flag_queue_weight it is queued. OUT: *queued when this flag queued it. */
int rules_flag(struct store *db, struct arena *a, const struct rules_policy *pol,
               const struct store_user *u, const char *target, int64_t id, const char *reason,
               int64_t now, bool *queued, struct rules_error *e)
    __attribute__((warn_unused_result));

/* ---- relationships (social.c) ---- */
#define RULES_FOLLOW_FLOOR 1000
#define RULES_DECLINED_WAIT (30 * 86400) /* a declined request may be repeated after this */
#define RULES_RENOTIFY (30 * 86400) /* the same follow or request is announced once in this */
/* How many members one with `followers` followers may follow. */
int rules_follow_cap(int followers);
/* u follows (on) or unfollows target: not themselves, not past the cap; a new follow
 * notifies target. */
int rules_follow(struct store *db, struct arena *a, const struct store_user *u,
                 const struct store_user *target, bool on, int64_t now, struct rules_error *e)
    __attribute__((warn_unused_result));
/* u follows or unfollows a blog of the directory (ERR_NOTFOUND when item_id is none). */
int rules_follow_blog(struct store *db, const struct store_user *u, int64_t item_id, bool on,
                      int64_t now, struct rules_error *e) __attribute__((warn_unused_result));
/* action "request" (a request to someone who asked u first accepts theirs), "accept",
 * "decline" (a request they sent), "remove" (a connection, or u's own pending request).
 * Requests and acceptances notify the other member. */
int rules_connection(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_user *t, const char *action, int64_t now,
                     struct rules_error *e) __attribute__((warn_unused_result));
/* u vouches for connection t on topic (one of rules_tags); notifies t the first time. */
int rules_endorse(struct store *db, struct arena *a, const struct store_user *u,
                  const struct store_user *t, const char *topic, int64_t now,
                  struct rules_error *e) __attribute__((warn_unused_result));

/* After u's comment cid on it (a reply to parent_id, or 0): tells whom it answers, and each
 * member it @mentions (at most RULES_MENTIONS_MAX). Failures are logged, not returned: the
 * comment is stored. */
#define RULES_MENTIONS_MAX 10
void rules_comment_notify(struct store *db, struct arena *a, const struct store_user *u,
                          const struct store_item *it, int64_t parent_id, int64_t cid,
                          const char *body, int64_t now);
/* u reshares a listed item to their followers with optional commentary (at most
 * RULES_TEXT_MAX); votes and comments stay with the item. OUT: *id, the reshare. */
int rules_reshare(struct store *db, const struct store_user *u, int64_t item_id,
                  const char *commentary, int64_t now, int64_t *id, struct rules_error *e)
    __attribute__((warn_unused_result));

/* ---- direct messages (messages.c) ---- */
#define RULES_MESSAGE_MAX 5000
#define RULES_FORM_RECIPIENTS 5 /* near-copies to this many members in a day: a form message */
#define RULES_FORM_MIN_WORDS 6  /* shorter texts ("Thanks!") are never templates by copies */
#define RULES_AFTER_FOLLOW 120  /* seconds after a follow in which a message is automatic */
enum rules_form { RULES_FORM_NONE, RULES_FORM_AFTER_FOLLOW, RULES_FORM_COPIES };
struct rules_message_sent {
    int64_t id;
    bool form;               /* delivered as a form message */
    enum rules_form why;
    const char *form_reason; /* rules_form_reason(why); NULL when not */
};
/* Why a message is a form message, in a sentence for its sender (static; NULL for NONE). */
const char *rules_form_reason(enum rules_form why);
/* u writes body to `to`: to a connection, or to a member who accepts messages from anyone.
 * Form messages are stored marked (and earlier copies marked with them); other messages
 * notify the recipient unless they muted u. */
int rules_message(struct store *db, struct arena *a, const struct store_user *u,
                  const struct store_user *to, const char *body, int64_t now,
                  struct rules_message_sent *out, struct rules_error *e)
    __attribute__((warn_unused_result));

/* u mutes (on) or unmutes t's messages (not themselves). Care of one's own inbox: open to
 * suspended members too. */
int rules_mute(struct store *db, const struct store_user *u, const struct store_user *t, bool on,
               int64_t now, struct rules_error *e) __attribute__((warn_unused_result));
/* u does not want t suggested again (not themselves). */
int rules_dismiss(struct store *db, const struct store_user *u, const struct store_user *t,
                  int64_t now, struct rules_error *e) __attribute__((warn_unused_result));

/* ---- groups, questions, ideas and competitions (groups.c, answers.c, ideas.c, compete.c) ---- */
#define RULES_SLUG_MAX 40
#define RULES_GROUP_DESC_MAX 2000
#define RULES_VOTE_BUDGET 10   /* open idea votes a voter holds in a portal, by default */
/* What u is in group g (a site moderator moderates every group). */
struct rules_group_role {
    bool member;    /* active member (any role) */
    bool moderator; /* the group's moderator, or a site moderator */
    bool customer;  /* the customer role, or an affiliation on the group's customer list */
    bool pending;   /* asked to join, waiting for a moderator */
    bool invited;   /* a moderator invited them; joining accepts */
};
int rules_group_role(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_group *g, struct rules_group_role *out)
    __attribute__((warn_unused_result));
/* in: slug, name, description, membership, org_domain, customers, customers_only,
 * vote_budget (0: RULES_VOTE_BUDGET). Members with standing (not new) only. */
int rules_group_create(struct store *db, struct arena *a, const struct rules_policy *pol,
                       const struct store_user *u, const struct store_group *in, int64_t *id,
                       struct rules_error *e) __attribute__((warn_unused_result));
/* Joins an open group, asks to join a request group (its moderators are told), or accepts an
 * invitation to an invite group. OUT: *state, "active" or "pending" (static). */
int rules_group_join(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_group *g, int64_t now, const char **state,
                     struct rules_error *e) __attribute__((warn_unused_result));
/* A group moderator's action on member t: "approve" (a request, an invitation to someone not
 * in the group yet, or a new role for a member) with role member, customer or moderator (NULL:
 * member, or the member's role), or "remove". */
int rules_group_member(struct store *db, struct arena *a, const struct store_user *u,
                       const struct store_group *g, const struct store_user *t,
                       const char *action, const char *role, int64_t now, struct rules_error *e)
    __attribute__((warn_unused_result));
/* The 5:1 rule in a group: whether more than pol->own_share of u's last posts there were
 * own-organisation posts (they are warned, and their next own posts wait for a moderator). */
int rules_group_promoter(struct store *db, const struct rules_policy *pol,
                         const struct store_user *u, const struct store_group *g, bool *above)
    __attribute__((warn_unused_result));
/* Whether u may post in g now: an active member; for a competition entry (competition_id >
 * 0), one of g's competitions whose entry window is open. */
int rules_group_post_ok(struct store *db, struct arena *a, const struct store_user *u,
                        const struct store_group *g, int64_t competition_id, int64_t now,
                        struct rules_error *e) __attribute__((warn_unused_result));
/* Whether a question's, idea's or group link's text or address points at u's organisation. */
bool rules_own_post(const struct store_user *u, const char *url, const char *text);

#define RULES_ANSWER_MAX 10000
/* u answers a listed question of a group u is a member of. Tells the asker. */
int rules_answer(struct store *db, struct arena *a, const struct store_user *u, int64_t item_id,
                 const char *body, int64_t now, int64_t *id, struct rules_error *e)
    __attribute__((warn_unused_result));
/* value -1 (with a reason), 0 or 1, as for items: not on one's own answer or one's
 * organisation's. */
int rules_answer_vote(struct store *db, struct arena *a, const struct rules_policy *pol,
                      const struct store_user *u, int64_t answer_id, int value,
                      const char *reason, struct rules_error *e)
    __attribute__((warn_unused_result));
/* The asker accepts one answer of their question (0: takes the acceptance back). */
int rules_accept(struct store *db, struct arena *a, const struct store_user *u, int64_t item_id,
                 int64_t answer_id, struct rules_error *e) __attribute__((warn_unused_result));

/* Idea statuses: submitted (waiting to be vetted), open (approved: voting), planned, started,
 * completed, declined, merged (into a duplicate, its votes with it). */
extern const char *const rules_idea_statuses[];
/* A group moderator moves idea `it` of group g to status ("approved" means open) with a public
 * reason; into: the idea a merged one duplicates. Tells its submitter and voters. */
int rules_idea_status(struct store *db, struct arena *a, const struct store_user *u,
                      const struct store_group *g, const struct store_item *it,
                      const char *status, const char *reason, int64_t into, int64_t now,
                      struct rules_error *e) __attribute__((warn_unused_result));
/* Whether u may vote value on the group's item it now (ideas: open for voting, customers when
 * the portal says so, within the vote budget; competition entries: in the voting window, by
 * the eligible voters). ERR_BUDGET when the budget is spent. */
int rules_group_vote(struct store *db, struct arena *a, const struct store_user *u,
                     const struct store_item *it, int value, int64_t now, struct rules_error *e)
    __attribute__((warn_unused_result));

#define RULES_JUDGE_MAX 10
/* in: title, rules, the four times, voters, judge_weight (0..1). judges: handles (at most
 * RULES_JUDGE_MAX, members of the site); a group moderator opens it. */
int rules_competition_create(struct store *db, struct arena *a, const struct store_user *u,
                             const struct store_group *g, const struct store_competition *in,
                             const char *const *judges, size_t njudges, int64_t *id,
                             struct rules_error *e) __attribute__((warn_unused_result));
/* A judge scores an entry 0..10. */
int rules_judge_score(struct store *db, struct arena *a, const struct store_user *u,
                      int64_t item_id, double score, int64_t now, struct rules_error *e)
    __attribute__((warn_unused_result));

/* True when the member's affiliation domain is the item's domain (or a parent of it). */
bool rules_same_org(const struct store_user *u, const char *item_domain);

/* ---- reader signals and the member's own data (signals.c) ---- */
bool rules_email_ok(const char *s);
/* Saves (on) or unsaves a listed item for the member. */
int rules_save(struct store *db, const struct store_user *u, int64_t item_id, bool on,
               int64_t now, struct rules_error *e) __attribute__((warn_unused_result));
/* Whether u owns the blog item: their declared domain is the blog's (or a parent of it), or
 * they verified it with /.well-known/guild-verify.txt. */
int rules_blog_owner(struct store *db, const struct store_user *u, const struct store_item *blog,
                     bool *yes) __attribute__((warn_unused_result));
/* Who sees an item's statistics: its submitter, admins, and for a blog its owners.
 * ERR_AUTH signed out, ERR_DENIED anyone else. */
int rules_stats_access(struct store *db, const struct store_user *u, const struct store_item *it,
                       struct rules_error *e) __attribute__((warn_unused_result));
/* The member's organisation kind: vendor, buyer, independent or "" (not said). */
int rules_org_kind(struct store *db, const struct store_user *u, const char *kind,
                   struct rules_error *e) __attribute__((warn_unused_result));
/* Allows (on) or withdraws the organisation named by its domain to contact u; a new consent
 * is pushed to the organisation's lead.consented webhooks (and logged as an export).
 * OUT: *org_out, the normalised domain (in a). */
int rules_consent(struct store *db, struct arena *a, const struct store_user *u, const char *org,
                  bool on, int64_t now, const char **org_out, struct rules_error *e)
    __attribute__((warn_unused_result));
/* The organisation whose consenting contacts u may export (admin or org-admin of a declared
 * domain); ERR_DENIED otherwise. *org points into u. */
int rules_leads_org(const struct store_user *u, bool org_admin, const char **org,
                    struct rules_error *e) __attribute__((warn_unused_result));
/* Checks webhook event names; *csv their comma-joined list (in a). */
int rules_webhook_events(struct arena *a, const char *const *names, size_t n, const char **csv,
                         struct rules_error *e) __attribute__((warn_unused_result));
/* Creates w (url, events, secret, created_at set by the caller; refusal: the SSRF guard's
 * sentence about url, or NULL) for an admin (site events) or an org-admin (their org). */
int rules_webhook_new(struct store *db, const struct store_user *u, bool org_admin,
                      struct store_webhook *w, const char *refusal, int64_t *id,
                      struct rules_error *e) __attribute__((warn_unused_result));
/* u's own webhook id (ERR_NOTFOUND for anyone else's). */
int rules_webhook_mine(struct store *db, struct arena *a, const struct store_user *u, int64_t id,
                       struct store_webhook *out, struct rules_error *e)
    __attribute__((warn_unused_result));
/* Queues event with data (a JSON object's text) for the webhooks listening (org NULL: all). */
int rules_emit(struct store *db, struct arena *a, const char *event, const char *org,
               const char *data_json, int64_t now) __attribute__((warn_unused_result));
/* An item's event (item.created, item.status_changed, idea.status_changed) and a new
 * comment's, for every site webhook; a failure to queue is logged, never the action's. */
void rules_emit_item(struct store *db, struct arena *a, const char *event, int64_t item_id,
                     const char *status, int64_t now);
void rules_emit_comment(struct store *db, struct arena *a, const struct store_user *u,
                        int64_t item_id, int64_t comment_id, const char *body, int64_t now);
int rules_emit_lead(struct store *db, struct arena *a, const struct store_user *u,
                    const char *org, int64_t now) __attribute__((warn_unused_result));
/* Records that `by` exported these leads of org as CSV (each member sees it), in one go. */
int rules_leads_exported(struct store *db, const struct store_lead *leads, size_t n,
                         const char *org, const struct store_user *by, int64_t now)
    __attribute__((warn_unused_result));
/* The member's token for proving a blog is theirs (made from fresh the first time). */
int rules_blog_claim_token(struct store *db, struct arena *a, const struct store_user *u,
                           const char *fresh, const char **token)
    __attribute__((warn_unused_result));
/* The blog published u's token (found): u owns it from now on. */
int rules_blog_verified(struct store *db, const struct store_user *u,
                        const struct store_item *blog, bool found, int64_t now,
                        struct rules_error *e) __attribute__((warn_unused_result));
/* Confirms (confirm) or ends a subscription named by its token; ERR_EXISTS for confirming one
 * that was ended. */
int rules_subscription(struct store *db, const struct store_subscriber *s, bool confirm,
                       int64_t now, struct rules_error *e) __attribute__((warn_unused_result));
/* A subscription by mail: email required, name optional, what digest, blog or search with
 * its target (the blog's number, the search's words). */
int rules_subscribe_check(const char *email, const char *name, const char *what,
                          const char *target, struct rules_error *e)
    __attribute__((warn_unused_result));

#endif
