/* The store: members, invitations, sessions, items, votes, opens and comments, on SQLite (WAL;
 * the default) or PostgreSQL. Engine-neutral interface: callers never see SQL or the engine. One `struct store` is one connection with
 * its own prepared-statement cache; it is not thread-safe, so each thread takes one from the
 * pool for the duration of a request.
 * Ownership: strings in result structs are allocated in the caller's arena and live as long
 * as it. Functions return 0 or a negative enum err (ERR_NOTFOUND, ERR_EXISTS, ERR_DB, ...). */
#ifndef GUILD_STORE_STORE_H
#define GUILD_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/arena.h"

#define WUR __attribute__((warn_unused_result))

struct store;
struct store_pool;

/* Opens the database and applies pending migrations: path is a SQLite file (created if
 * needed; WAL mode, busy timeout, foreign keys on), also written sqlite:PATH, or a libpq URI
 * (postgresql://... or postgres://...). OUT: *out, freed with store_close. */
int store_open(const char *path, struct store **out) WUR;
void store_close(struct store *s);
/* Schema version (number of applied migrations) and the number the binary knows, for s's
 * engine. */
int store_schema_version(struct store *s);
int store_schema_latest(const struct store *s);
/* Whether db names a PostgreSQL database (a libpq URI) rather than a SQLite file. */
bool store_is_pg(const char *db);
/* db as a message may show it: a file path as it is; a URI (which may hold a password) as
 * "(the database in --db; see the log above)". Static or db itself. */
const char *store_db_shown(const char *db);
/* "sqlite" or "postgresql": the engine s runs on. */
const char *store_engine(const struct store *s);

/* A fixed set of n connections to path. Acquire blocks until one is free. */
int store_pool_new(const char *path, int n, struct store_pool **out) WUR;
struct store *store_pool_acquire(struct store_pool *p);
void store_pool_release(struct store_pool *p, struct store *s);
void store_pool_free(struct store_pool *p);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK: writes that span several statements go in one. */
int store_tx_begin(struct store *s) WUR;
int store_tx_commit(struct store *s) WUR;
void store_tx_rollback(struct store *s);
/* Monotonic count of committed writes seen by this process (for the ranker and caches). */
uint64_t store_write_seq(void);

/* ---- members ---- */
struct store_user {
    int64_t id;
    char *handle, *name, *email, *affiliation, *domain, *role;
    int64_t invited_by;     /* 0 when created by an admin from the CLI */
    char *inviter_handle;   /* "" when none */
    int invites_left;
    int64_t created_at;
    bool seed;    /* anchors trust (admins choose) */
    double trust; /* 0..1 from the last ranker run; shown to admins only */
    int64_t suspended_until; /* unix time; no actions before it */
    bool banned;
    bool can_invite;         /* moderators can revoke invite rights */
};

struct store_user_new {
    const char *handle, *name, *email, *pw_hash, *affiliation, *domain, *role;
    int64_t invited_by;
    int invites_left;
    int64_t created_at; /* 0 = now */
};

/* ERR_EXISTS when the handle or email is taken. */
int store_user_create(struct store *s, const struct store_user_new *u, int64_t *id) WUR;
int store_user_by_handle(struct store *s, struct arena *a, const char *handle,
                         struct store_user *out) WUR;
int store_user_by_id(struct store *s, struct arena *a, int64_t id, struct store_user *out) WUR;
/* OUT: *hash (arena), *id and *banned for login; the handle matches in any case. */
int store_user_pw_hash(struct store *s, struct arena *a, const char *handle, int64_t *id,
                       char **hash, bool *banned) WUR;
int store_user_set_password(struct store *s, int64_t id, const char *pw_hash) WUR;
/* Password reset links (resets.c), stored by the hash of their token. find: the member of an
 * unexpired link (not banned), ERR_NOTFOUND otherwise; end_all: every link of a member. */
int store_reset_create(struct store *s, int64_t user_id, const char *token_hash,
                       int64_t expires_at) WUR;
int store_reset_find(struct store *s, const char *token_hash, int64_t now, int64_t *user_id) WUR;
int store_reset_end_all(struct store *s, int64_t user_id) WUR;
/* A new password, however it was set: every session, API token and reset link of the member
 * ends with the old one. Call inside the caller's transaction. */
int store_user_replace_password(struct store *s, int64_t user_id, const char *pw_hash) WUR;
/* take: uses up one link (still unexpired, the member not banned), ERR_NOTFOUND when another
 * request took it first; prune: deletes expired links. */
int store_reset_take(struct store *s, const char *token_hash, int64_t user_id, int64_t now) WUR;
int store_reset_prune(struct store *s, int64_t now) WUR;
/* The member with that e-mail address (any case), ERR_NOTFOUND when none. In a. */
int store_user_by_email(struct store *s, struct arena *a, const char *email,
                        struct store_user *out) WUR;
/* Marks or unmarks a seed member. ERR_NOTFOUND for an unknown handle. */
int store_user_set_seed(struct store *s, const char *handle, bool seed) WUR;
/* Handles of the members u invited, oldest first. OUT: array in a. */
int store_user_invitees(struct store *s, struct arena *a, int64_t id, char ***handles,
                        size_t *n) WUR;

struct store_user_stats {
    int links, blogs, own_org, comments, votes_cast;
};
int store_user_stats(struct store *s, int64_t id, struct store_user_stats *out) WUR;

/* ---- invitations ---- */
/* Records code as an invitation by user `by`. Members spend one of their invites_left;
 * admins have no limit. ERR_DENIED when a member has none left. */
int store_invite_create(struct store *s, int64_t by, bool is_admin, const char *code) WUR;
/* An invitation not used yet (invites.c). */
struct store_invite {
    const char *code;
    int64_t created_at;
};
/* by's open invitations, newest first, at most 50; the array and codes in a. */
int store_invites_open(struct store *s, struct arena *a, int64_t by, struct store_invite **out,
                       size_t *n) WUR;
/* Deletes by's unused invitation code, giving a member (not an admin) the invitation back.
 * ERR_NOTFOUND when by has no open invitation with that code. */
int store_invite_revoke(struct store *s, int64_t by, bool is_admin, const char *code) WUR;
/* OUT: inviter id and handle (arena); ERR_NOTFOUND for an unknown code, ERR_EXISTS if used. */
int store_invite_get(struct store *s, struct arena *a, const char *code, int64_t *by,
                     char **by_handle) WUR;
/* Creates the member and marks the code used, atomically. ERR_EXISTS: code already used or
 * handle/email taken (*field says which: "code", "handle", "email"). */
int store_invite_redeem(struct store *s, const char *code, const struct store_user_new *u,
                        int64_t *id, const char **field) WUR;

/* ---- sessions and API tokens (only hashes of the secrets are stored) ---- */
int store_session_create(struct store *s, const char *token_hash, int64_t user_id,
                         const char *csrf, int64_t expires_at) WUR;
/* OUT: the member and the session's CSRF token; ERR_NOTFOUND when unknown or expired. */
int store_session_user(struct store *s, struct arena *a, const char *token_hash,
                       struct store_user *out, char **csrf) WUR;
int store_session_delete(struct store *s, const char *token_hash) WUR;
/* Ends every session and API token of the member (a password change, a ban). */
int store_user_end_access(struct store *s, int64_t user_id) WUR;
int store_token_create(struct store *s, const char *token_hash, int64_t user_id,
                       const char *label) WUR;
struct store_token {
    int64_t id;
    const char *label;
    int64_t created_at;
};
/* OUT: the member's API tokens, oldest first (arena). */
int store_token_list(struct store *s, struct arena *a, int64_t user_id,
                     struct store_token **out, size_t *n) WUR;
/* Deletes the member's token; ERR_NOTFOUND when they have none with that id. */
int store_token_revoke(struct store *s, int64_t user_id, int64_t token_id) WUR;
int store_token_user(struct store *s, struct arena *a, const char *token_hash,
                     struct store_user *out) WUR;

/* ---- items (links and blogs) ---- */
enum store_sort { STORE_SORT_HOT, STORE_SORT_NEW, STORE_SORT_TOP };

struct store_item {
    int64_t id;
    const char *kind, *url, *canon_url, *domain, *title, *body, *feed_url, *tags;
    int64_t user_id;
    const char *user_handle;
    bool own_org;
    int64_t created_at;
    int ups, downs, ncomments;
    double score, hot;
    const char *explain; /* JSON written by the ranker, "" before the first run (and in lists) */
    int64_t ranked_at;
    int my_vote;     /* the viewer's vote: -1, 0, 1 */
    bool my_opened;  /* the viewer opened it through /go */
    const char *status;       /* ok, queued (hidden from lists), removed, merged */
    const char *queue_reason; /* why it is queued: a flag reason or a rule */
    bool locked;              /* no new comments */
    bool authored;            /* the submitter says they wrote it */
    int64_t merged_into;      /* for status merged */
    double topic_doubt;       /* in: > 0 when the off-topic check doubted a post it left
                                 listed (its score), for the dashboard */
    int64_t group_id;         /* the group it was posted in; 0: the site (its lists) */
    const char *group_slug;   /* out: that group's slug; "" */
    const char *idea_status;  /* ideas: submitted, open, planned, started, completed,
                                 declined, merged; "" for other kinds (in: NULL = "") */
    int64_t accepted_answer;  /* questions: the answer the asker accepted; 0 none */
    int nanswers;             /* out: a question's answers */
    int64_t competition_id;   /* an entry of this competition; 0 none */
};

/* in: kind, url, canon_url, domain, title, body, feed_url, tags, user_id, own_org, authored,
 * status (NULL = ok), queue_reason (NULL = ""), group_id, idea_status and competition_id.
 * ERR_EXISTS (with *id set to the existing item) when the canonical URL is already there. */
int store_item_create(struct store *s, const struct store_item *in, int64_t *id) WUR;
int store_item_get(struct store *s, struct arena *a, int64_t id, int64_t viewer,
                   struct store_item *out) WUR;
/* kind NULL = all kinds. OUT: *items array in a. */
int store_item_list(struct store *s, struct arena *a, const char *kind, enum store_sort sort,
                    int limit, int offset, int64_t viewer, struct store_item **items,
                    size_t *n) WUR;
/* Listed items only (not queued, removed or merged). */
int store_item_list_by_user(struct store *s, struct arena *a, int64_t user_id, int64_t viewer,
                            int limit, struct store_item **items, size_t *n) WUR;
int store_item_count(struct store *s, const char *kind, int64_t *n) WUR;

/* ---- opens and votes ---- */
/* inside: the member came from one of the site's own pages (not an outside link). */
int store_open_record(struct store *s, int64_t user_id, int64_t item_id, bool inside,
                      bool *recorded) WUR;
/* value 0 withdraws. The stored vote remembers whether the voter had opened the item, and
 * whether that open came from outside the site. */
int store_vote_set(struct store *s, int64_t user_id, int64_t item_id, int value,
                   const char *reason) WUR;
int store_comment_vote_set(struct store *s, int64_t user_id, int64_t comment_id, int value,
                           const char *reason) WUR;

/* ---- comments ---- */
struct store_comment {
    int64_t id, item_id, parent_id, user_id;
    char *handle, *body;
    int64_t created_at, edited_at;
    bool deleted;
    const char *status; /* ok, queued, removed */
    int ups, downs, my_vote;
    int depth; /* filled by store_comment_tree */
};

/* ERR_NOTFOUND when the item or the parent (in that item) does not exist. at 0 = now. */
int store_comment_create(struct store *s, int64_t item_id, int64_t parent_id, int64_t user_id,
                         const char *body, int64_t at, int64_t *id) WUR;
int store_comment_get(struct store *s, struct arena *a, int64_t id, struct store_comment *out)
    WUR;
int store_comment_update(struct store *s, int64_t id, const char *body) WUR;
/* Keeps the row (so replies keep their place) but clears the body. */
int store_comment_delete(struct store *s, int64_t id) WUR;
/* The item's comments in thread order (each parent before its replies, siblings best first),
 * with depth set. OUT: array in a. */
int store_comment_tree(struct store *s, struct arena *a, int64_t item_id, int64_t viewer,
                       struct store_comment **list, size_t *n) WUR;

/* ---- ranking snapshot I/O (the ranker reads these and writes scores back) ---- */
struct store_rank_member {
    int64_t id, invited_by;
    const char *domain; /* "" for independents */
    bool seed;
};
struct store_rank_item {
    int64_t id, user_id, created_at;
    const char *domain;      /* a question's or idea's: its submitter's organisation */
    const char *host_domain; /* organisation running the item's group; "" none */
    bool is_blog, is_idea, is_question;
};
struct store_rank_vote {
    int64_t user_id, item_id, created_at;
    int value;
    bool opened, outside;
};
struct store_rank_open {
    int64_t user_id, item_id;
    bool inside;
};
struct store_rank_edge {
    int64_t a, b;
};
struct store_rank_data {
    struct store_rank_member *members;
    size_t nmembers;
    struct store_rank_item *items;
    size_t nitems;
    struct store_rank_vote *votes;
    size_t nvotes;
    struct store_rank_open *opens;
    size_t nopens;
    /* full loads only: a follows b (follows), and trust ties a <-> b (accepted connections
     * and endorsements; invitations are members' invited_by) */
    struct store_rank_edge *follows;
    size_t nfollows;
    struct store_rank_edge *ties;
    size_t nties;
};
/* Everything the ranker needs, ordered by id (members, items). OUT: arrays in a. */
int store_rank_load(struct store *s, struct arena *a, struct store_rank_data *out) WUR;
/* One item's votes and opens (for an incremental update). */
int store_rank_load_item(struct store *s, struct arena *a, int64_t item_id,
                         struct store_rank_data *out) WUR;
/* Writes one item's scores; call inside a transaction for a batch. */
int store_rank_write(struct store *s, int64_t item_id, double score, double hot, double estimate,
                     const char *explain, int64_t ranked_at) WUR;
/* The same for many items and members at once (a full run's results): one statement on
 * PostgreSQL, where a statement per row is a round trip each. Call inside a transaction;
 * explain strings are read during the call only. */
struct store_rank_score {
    int64_t item_id;
    double score, hot, estimate;
    const char *explain;
};
int store_rank_write_many(struct store *s, const struct store_rank_score *rows, size_t n,
                          int64_t ranked_at) WUR;
int store_rank_write_trusts(struct store *s, const int64_t *user_ids, const double *trust,
                            size_t n) WUR;
/* Each member's influence (docs/influence.md), computed with the full run. */
int store_rank_write_influence(struct store *s, const int64_t *user_ids, const double *influence,
                               size_t n) WUR;

/* ---- moderation (mod.c) ---- */
/* The fields moderator actions may change: each action is a list of field changes, logged
 * with the old values so that undoing it restores exactly what was there. */
enum store_field {
    SF_ITEM_STATUS, SF_ITEM_QUEUE_REASON, SF_ITEM_MERGED_INTO, SF_ITEM_TITLE, SF_ITEM_TAGS,
    SF_ITEM_LOCKED, SF_ITEM_FLAGS_CLEARED, SF_COMMENT_STATUS, SF_COMMENT_QUEUE_REASON,
    SF_COMMENT_FLAGS_CLEARED, SF_USER_SUSPENDED_UNTIL, SF_USER_BANNED, SF_USER_CAN_INVITE,
    SF_ANSWER_STATUS,
    SF_COUNT
};
/* "items.status" and back; ERR_INVAL for an unknown name. */
const char *store_field_name(enum store_field f);
int store_field_by_name(const char *name, enum store_field *f) WUR;
/* The field's current value as text ("" for NULL), in a. ERR_NOTFOUND without the row. */
int store_field_get(struct store *s, struct arena *a, enum store_field f, int64_t id,
                    char **value) WUR;
int store_field_set(struct store *s, enum store_field f, int64_t id, const char *value) WUR;

/* A flag on an item or comment ("item" / "comment"); one per member and target (a second
 * replaces the first). */
int store_flag_set(struct store *s, const char *target, int64_t target_id, int64_t user_id,
                   const char *reason, double weight, int64_t at) WUR;
/* Summed weight of the flags made after `since` (a moderator's keep), and the reason with the most weight (arena). */
int store_flag_weight(struct store *s, struct arena *a, const char *target, int64_t target_id,
                      int64_t since, double *sum, char **top_reason) WUR;
struct store_flag {
    char *handle, *reason;
    double weight;
    int64_t at;
};
int store_flag_list(struct store *s, struct arena *a, const char *target, int64_t target_id,
                    struct store_flag **out, size_t *n) WUR;

struct store_modlog {
    int64_t id, at, moderator_id;
    const char *moderator, *action, *target;
    int64_t target_id;
    const char *target_label; /* item title, comment excerpt or member handle; "" while the
                               * item or comment is removed (or a comment held) */
    const char *reason, *changes;
    int64_t undoes, undone_by; /* 0 when none */
    int64_t group_id;          /* in: the group the content is in (0: the site) */
    const char *group_slug;    /* out: that group's slug; "" */
};
int store_modlog_add(struct store *s, const struct store_modlog *in, int64_t *id) WUR;
int store_modlog_get(struct store *s, struct arena *a, int64_t id, struct store_modlog *out)
    WUR;
int store_modlog_set_undone(struct store *s, int64_t id, int64_t undone_by) WUR;
/* Newest first. OUT: array in a. */
int store_modlog_list(struct store *s, struct arena *a, int limit, int offset,
                      struct store_modlog **out, size_t *n) WUR;

/* Items and comments waiting for a moderator, oldest first. */
struct store_queue_entry {
    char *target; /* "item" or "comment" */
    int64_t id, item_id, author_id, created_at;
    char *label, *author, *queue_reason;
    double flag_weight;
    char *group_slug; /* the group it is in; "" for the site */
};
/* group_moderator 0: everything queued; else only what is in the groups that member
 * moderates. */
int store_mod_queue(struct store *s, struct arena *a, int64_t group_moderator,
                    struct store_queue_entry **out, size_t *n) WUR;
/* The group an item, or a comment's or an answer's item, is in (0: the site). target "item",
 * "comment" or "answer". */
int store_content_group(struct store *s, const char *target, int64_t id, int64_t *group_id) WUR;
/* Whether the member moderates group_id (0: any group). */
int store_group_moderates(struct store *s, int64_t user_id, int64_t group_id, bool *yes) WUR;
/* Ids of the members invited by root, directly or further down (root excluded). */
int store_user_branch(struct store *s, struct arena *a, int64_t root, int64_t **ids,
                      size_t *n) WUR;
/* Removed items and comments of a member (for the queue's submitter history). */
int store_user_removed(struct store *s, int64_t user_id, int *items, int *comments) WUR;
/* Whether the ranker has scored anything yet (until then trust is unknown). */
int store_rank_ran(struct store *s, bool *ran) WUR;
/* For a thread's speed limit: when the member last commented on the item (0 = never) and
 * how many flags the thread's comments carry. */
int store_thread_pace(struct store *s, int64_t item_id, int64_t user_id, int64_t *last_at,
                      int *flags) WUR;
/* Of the member's last `last` submissions, how many were from their own organisation or
 * marked as written by them. */
int store_user_own_share(struct store *s, int64_t user_id, int last, int *own, int *total) WUR;
/* The topic model's training set: every listed item (on topic) and every item removed as
 * off-topic (by a moderator's reason or its flags), as "title text". */
int store_topic_corpus(struct store *s, void (*fn)(void *ctx, const char *text, bool on_topic),
                       void *ctx) WUR;
/* Whether any item (not removed) was ever submitted from domain. */
int store_domain_seen(struct store *s, const char *domain, bool *seen) WUR;

/* The admin dashboard (dashboard.c): patterns worth a moderator's look, worst first. */
enum store_dash {
    STORE_DASH_FLAG_PAIRS,    /* a: flagger, b: author, x: flags on b's things, y: all flags by a */
    STORE_DASH_UNREAD_VOTERS, /* a: member, x: votes, y: votes on things they had opened */
    STORE_DASH_BRANCHES,      /* a: inviter, x: invitees, y: invitees moderated */
    STORE_DASH_DOMAINS,       /* a: domain, x: items, y: removed */
    STORE_DASH_TOPIC_DOUBTS,  /* a: title, b: submitter, x: item id, y: topic score in % */
    STORE_DASH_FOLLOW_SPAM,   /* a: member, x: follows, y: followers; mass-following in bursts
                               * (50 or more in one hour), with 3 times more follows than
                               * followers */
};
struct store_dash_row {
    const char *a, *b;
    int64_t x, y;
};
int store_dashboard(struct store *s, struct arena *a, enum store_dash which,
                    struct store_dash_row **rows, size_t *n) WUR;

/* Site settings (settings.c), e.g. "about": the guild's description. *value is "" when
 * unset; in a. */
int store_setting_get(struct store *s, struct arena *a, const char *key, char **value) WUR;
int store_setting_set(struct store *s, const char *key, const char *value) WUR;

struct store_notification {
    int64_t id, at;
    char *text;
    bool seen;
    char *kind;        /* moderation, follow, connect_request, connect_accept, endorse, mention,
                        * reply, message */
    char *from_handle; /* who did it; "" for moderation notices */
    int64_t ref_id;    /* the comment, item or message it is about; 0 when none */
};
/* A moderation notice (kind "moderation"). */
int store_notify(struct store *s, int64_t user_id, int64_t at, const char *text) WUR;
/* The member's moderation notices, newest first; marks them seen. */
int store_notifications(struct store *s, struct arena *a, int64_t user_id, int limit,
                        struct store_notification **out, size_t *n) WUR;

/* ---- monitoring: feeds, entries, search, saved searches, digest, outbox (feeds.c,
 * search.c, outbox.c) ---- */
struct store_feed {
    int64_t id, item_id, nominator_id;
    const char *url, *status, *last_error, *etag, *last_modified, *title, *moved_from;
    const char *blog_title, *blog_url;
    bool discover;
    int errors, http_status;
    int64_t next_check_at, last_checked_at, last_ok_at, entries;
};
/* Gives every listed directory blog a feed row (its feed URL, or its page to discover the
 * feed from) and follows feed URL edits. */
int store_feeds_sync(struct store *s) WUR;
/* Feeds due for a check (next_check_at <= now, not gone), oldest due first. */
int store_feeds_due(struct store *s, struct arena *a, int64_t now, int limit,
                    struct store_feed **out, size_t *n) WUR;
int store_feed_of_item(struct store *s, struct arena *a, int64_t item_id,
                       struct store_feed *out) WUR;
int store_feed_get(struct store *s, struct arena *a, int64_t id, struct store_feed *out) WUR;
/* Writes a check's outcome (every field of f but the ids and blog fields). */
int store_feed_save(struct store *s, const struct store_feed *f) WUR;

struct store_entry_new {
    int64_t feed_id;
    const char *dedupe_key, *content_hash, *url, *title, *summary_html, *content_html, *text,
        *author;
    int64_t published_at, updated_at, fetched_at;
};
enum store_upsert { STORE_UNCHANGED, STORE_NEW, STORE_UPDATED };
/* Deletes all but the feed's `keep` newest entries (and their saved-search hits). */
int store_entries_prune(struct store *s, int64_t feed_id, int keep, int *removed) WUR;
/* Inserts an entry, or replaces the stored one with the same key when its content changed. */
int store_entry_upsert(struct store *s, const struct store_entry_new *e, int64_t *id,
                       enum store_upsert *what) WUR;

struct store_entry {
    int64_t id, feed_id, item_id;
    char *url, *title, *summary_html, *text, *author, *blog_title;
    int64_t published_at;
    double quality; /* the blog's directory score */
};
/* The river: all listed blogs' entries, newest first. */
int store_entries_river(struct store *s, struct arena *a, int limit, int offset,
                        struct store_entry **out, size_t *n) WUR;
int store_entries_of_blog(struct store *s, struct arena *a, int64_t item_id, int limit,
                          struct store_entry **out, size_t *n) WUR;

/* Full-text search over entries, listed links/blogs and comments. match is an FTS5
 * expression (monitor_search_match builds one from what a member typed). text is the
 * start of the matched body (up to 4,000 bytes) for a snippet (text_snippet). */
struct store_hit {
    char kind; /* 'e' entry, 'l' link, 'b' blog, 'c' comment */
    int64_t id, item_id;
    char *title, *url, *text, *context;
    int64_t at;
};
int store_search(struct store *s, struct arena *a, const char *match, int limit, int offset,
                 struct store_hit **out, size_t *n) WUR;
/* Whether match has only words the engine leaves out of its index (PostgreSQL's English stop
 * words: "the", "how", "not"), so that it can match nothing; always false on SQLite, whose
 * index keeps every word. */
int store_search_only_common(struct store *s, const char *match, bool *yes) WUR;
/* Puts the comments posted since the last call into the search index, in one transaction
 * (the pool's checkpointer calls it about once a second; commands that post comments call
 * it before they finish). OUT: *n, how many. */
int store_search_index_comments(struct store *s, int *n) WUR;
/* Whether one stored entry matches (saved searches, as entries arrive). */
int store_entry_matches(struct store *s, int64_t entry_id, const char *match, bool *yes) WUR;

struct store_saved_search {
    int64_t id, user_id;
    char *query, *match, *alert, *webhook_url, *last_alert_error, *email, *handle, *token;
    bool email_confirmed;
    int64_t last_alert_at;
};
int store_saved_search_add(struct store *s, int64_t user_id, const char *query,
                           const char *match, int64_t *id) WUR;
/* Fills a new search's column with the newest posts already stored that match (up to 50;
 * they count as alerted: alerts are for what arrives later). */
int store_saved_search_backfill(struct store *s, int64_t search_id, const char *match,
                                int64_t now) WUR;
/* Only the owner's own: ERR_NOTFOUND otherwise. */
int store_saved_search_delete(struct store *s, int64_t user_id, int64_t id) WUR;
int store_saved_search_alert(struct store *s, int64_t user_id, int64_t id, const char *alert,
                             const char *webhook_url) WUR;
/* By id, or by its feed token when token is not NULL. */
int store_saved_search_get(struct store *s, struct arena *a, int64_t id, const char *token,
                           struct store_saved_search *out) WUR;
/* A member's searches (user_id > 0), or every member's (0) for matching and alerts. */
int store_saved_searches(struct store *s, struct arena *a, int64_t user_id,
                         struct store_saved_search **out, size_t *n) WUR;
int store_search_hit_add(struct store *s, int64_t search_id, int64_t entry_id, int64_t now) WUR;
/* A saved search's matches ranked for an alert (pending only) or its column (newest). */
int store_search_hits(struct store *s, struct arena *a, int64_t search_id, bool pending,
                      int limit, struct store_entry **out, size_t *n) WUR;
int store_search_alerted(struct store *s, int64_t search_id, int64_t now, const char *error) WUR;

/* The digest: at most limit of the best entries and links since `since`, by quality. */
struct store_digest_row {
    char kind; /* 'e' entry, 'l' link */
    int64_t id, item_id;
    char *title, *url, *source;
    double quality;
    int64_t at;
};
int store_digest(struct store *s, struct arena *a, int64_t since, int limit,
                 struct store_digest_row **out, size_t *n) WUR;

/* Members who asked for the digest by mail and have not had today's (day "YYYY-MM-DD"). */
int store_digest_subscribers(struct store *s, struct arena *a, const char *day,
                             struct store_user **out, size_t *n) WUR;
int store_digest_sent(struct store *s, int64_t user_id, const char *day) WUR;
int store_digest_optin(struct store *s, int64_t user_id, bool on) WUR;
bool store_digest_opted_in(struct store *s, int64_t user_id);

/* Email confirmation: a new secret for the member's link (hex, caller storage of 33), the
 * link's use (ERR_NOTFOUND for an unknown or used one), and whether it happened. Alerts and
 * the digest go only to confirmed addresses. */
int store_email_token_new(struct store *s, int64_t user_id, char token[33]) WUR;
int store_email_confirm(struct store *s, const char *token, int64_t *user_id) WUR;
bool store_email_confirmed(struct store *s, int64_t user_id);

/* Subscriptions (a member's reading list) and the directory's feeds for OPML. */
/* OUT: *added, false when the member was subscribed already. */
int store_subscribe(struct store *s, int64_t user_id, int64_t feed_id, int64_t now,
                    bool *added) WUR;
int store_subscriptions(struct store *s, struct arena *a, int64_t user_id,
                        struct store_feed **out, size_t *n) WUR;
int store_feeds_all(struct store *s, struct arena *a, struct store_feed **out, size_t *n) WUR;
/* The feed whose URL (or blog URL) is url, for OPML import. */
int store_feed_by_url(struct store *s, struct arena *a, const char *url,
                      struct store_feed *out) WUR;

/* Leases (leases.c): a duty that exactly one `guild serve` process on this database performs
 * (the ranker's full runs, the feed fetcher). take: takes the lease `name` for `holder` when it
 * is free or expired, or renews it when holder has it, until now + ttl; OUT: *held. release:
 * gives it up (a clean stop hands it over at once). poke: asks its holder for work soon;
 * take_poke: the holder collects that request (OUT: *poked). */
int store_lease_take(struct store *s, const char *name, const char *holder, int64_t now,
                     int ttl, bool *held) WUR;
int store_lease_release(struct store *s, const char *name, const char *holder) WUR;
/* The lease as a duty's loop uses it, once a second: *held when this holder has it (renewed
 * once half of ttl and two seconds are gone, taken when free or a second past its expiry;
 * otherwise only read, so a lease of 10 s costs a write every 3 s); *poked when another
 * process asked the holder for work. */
int store_lease_hold(struct store *s, const char *name, const char *holder, int64_t now,
                     int ttl, bool *held, bool *poked) WUR;
/* The lease as it stands, without writing. ERR_NOTFOUND when nobody has taken it yet.
 * OUT: holder in a. Lease writes change no page: they leave the page caches alone. */
int store_lease_get(struct store *s, const char *name, struct arena *a, char **holder,
                    int64_t *expires_at, bool *poked) WUR;
int store_lease_poke(struct store *s, const char *name) WUR;
int store_lease_take_poke(struct store *s, const char *name, const char *holder,
                          bool *poked) WUR;


/* A consistent copy of the SQLite database at `from` into the new file `to`, while other
 * processes may be writing to it: SQLite's online backup API copies every page inside one
 * read transaction (WAL lets writers go on). Written to a new TO.partial-<random> of its own,
 * quick-checked, synced and linked to `to` (which fails if `to` appeared meanwhile), so `to`
 * is whole or absent and no existing file is touched. ERR_EXISTS when `to` exists,
 * ERR_NOTFOUND when `from` does not. OUT: *pages copied. Needs no open store. */
int store_backup(const char *from, const char *to, int *pages) WUR;
/* For GET /healthz: 0 when the database answers a read and the file at the path it was
 * opened from is still the one open (a database moved or deleted under a running server would
 * take every later write with it: ERR_IO); else the read's error. */
int store_health(struct store *s) WUR;
/* OUT: *n, mails waiting in the outbox (not yet sent, not given up). */
int store_mail_pending(struct store *s, int64_t *n) WUR;

/* Mail: the outbox the SMTP sender drains. */
struct store_mail {
    int64_t id;
    char *to, *subject, *body;
    int attempts;
    char *unsubscribe; /* the one-click unsubscribe address; "" for none */
};
int store_mail_queue(struct store *s, const char *to, const char *subject, const char *body,
                     int64_t now) WUR;
int store_mail_due(struct store *s, struct arena *a, int64_t now, int limit,
                   struct store_mail **out, size_t *n) WUR;
/* A send's outcome: sent, or retried at next_at (failed for good when next_at is 0). */
int store_mail_result(struct store *s, int64_t id, bool sent, const char *error,
                      int64_t next_at) WUR;
/* OUT: *n, the mails with this subject queued for address `to` since `since`. */
int store_mail_count_recent(struct store *s, const char *to, const char *subject, int64_t since,
                            int *n) WUR;

/* guild migrate: copies every table of the SQLite guild from (but sessions and leases) into
 * the empty PostgreSQL database to, in one transaction, with foreign keys and triggers off
 * meanwhile (the PostgreSQL user needs SET on session_replication_role); rebuilds its search
 * index; then counts and checksums each table on both sides. ERR_EXISTS when to already
 * holds a guild, ERR_INVAL when the engines are not SQLite and PostgreSQL. OUT: one report
 * per table in a (names live as long as a). */
struct store_migrate_table {
    const char *table;
    int64_t copied, rows_from, rows_to;
    uint64_t sum_from, sum_to;
};
int store_migrate_guild(struct store *from, struct store *to, struct arena *a,
                        struct store_migrate_table **report, size_t *n) WUR;

/* Rate limits shared by every process on the database (limits.c; src/app/limits.c uses them on
 * PostgreSQL): a fixed window per (name, key) that starts at the first counted attempt.
 * store_limit_wait: OUT *wait, the seconds until key may try again when it has used max
 * within window (0: it may). store_limit_add: delta > 0 counts one attempt, < 0 takes one
 * back. store_limit_take counts one attempt only if key is under max (OUT *wait 0), else
 * counts nothing and sets *wait as store_limit_wait does: the check and the count in one
 * statement. store_limit_reset forgets key; store_limits_expire drops windows started before
 * before. None of these writes changes a page (the caches stay). */
int store_limit_wait(struct store *s, const char *name, const char *key, int64_t now,
                     int window, int max, int *wait) WUR;
int store_limit_add(struct store *s, const char *name, const char *key, int64_t now,
                    int window, int delta) WUR;
int store_limit_take(struct store *s, const char *name, const char *key, int64_t now,
                     int window, int max, int *wait) WUR;
/* Two limits at once (a member's and their address's, with different names or keys): both
 * count the attempt, or, when either is full, neither does and *wait is the longer wait. */
struct store_limit_ask {
    const char *name, *key;
    int window, max;
};
int store_limit_take_both(struct store *s, const struct store_limit_ask ask[2], int64_t now,
                          int *wait) WUR;
int store_limit_reset(struct store *s, const char *name, const char *key) WUR;
int store_limits_expire(struct store *s, int64_t before) WUR;

#include "store_social.h"
#include "store_groups.h"
#include "store_signals.h"

#endif
