/* The store's relationships (included by store.h, same ownership rules): follows of members and
 * blogs, connections, endorsements, notifications of every kind, the home timeline, reshares
 * and messages (social.c, notify.c, timeline.c, messages.c). Strings in results live in the
 * caller's arena. Functions return 0 or a negative enum err. */
#ifndef GUILD_STORE_SOCIAL_H
#define GUILD_STORE_SOCIAL_H

/* ---- follows ---- */
/* on: follower follows followee (a member); off: no longer. *changed says whether anything
 * changed (following twice is not an error). ERR_INVAL when they are the same member. */
int store_follow_set(struct store *s, int64_t follower, int64_t followee, bool on, int64_t now,
                     bool *changed) WUR;
/* The same for a blog in the directory (a listed item of kind blog; ERR_NOTFOUND otherwise). */
int store_blog_follow_set(struct store *s, int64_t follower, int64_t item_id, bool on,
                          int64_t now, bool *changed) WUR;
int store_blog_followed(struct store *s, int64_t follower, int64_t item_id, bool *on) WUR;

/* A member's ties, as counts. following: members only; blogs: blogs followed. */
struct store_ties {
    int followers, following, blogs, connections, pending_in;
    double influence; /* written by the ranker's full run (docs/influence.md) */
};
int store_ties(struct store *s, int64_t user_id, struct store_ties *out) WUR;

enum store_tie_list {
    STORE_FOLLOWERS,
    STORE_FOLLOWING,
    STORE_CONNECTIONS,
    STORE_REQUESTS_IN,  /* pending requests to the member */
    STORE_REQUESTS_OUT, /* pending requests the member sent */
};
/* Handles, newest tie first, at most limit. OUT: array in a. */
int store_tie_handles(struct store *s, struct arena *a, int64_t user_id, enum store_tie_list which,
                      int limit, char ***handles, size_t *n) WUR;

/* ---- connections ---- */
struct store_connection {
    int64_t requester_id, target_id;
    char *state; /* pending, accepted, declined */
    int64_t created_at, decided_at;
};
/* The pair's row, whichever of the two asked; ERR_NOTFOUND when none. */
int store_connection_get(struct store *s, struct arena *a, int64_t x, int64_t y,
                         struct store_connection *out) WUR;
/* Writes the pair's row (replacing one in either direction). */
int store_connection_put(struct store *s, const struct store_connection *c) WUR;
/* Removes the pair's row and their endorsements of each other. */
int store_connection_delete(struct store *s, int64_t x, int64_t y) WUR;

/* ---- endorsements: "from vouches for to on topic" ---- */
int store_endorse(struct store *s, int64_t from, int64_t to, const char *topic, int64_t now,
                  bool *added) WUR;
struct store_endorsement {
    char *topic, *from_handle;
};
/* Endorsements the member received, by topic then newest. OUT: array in a. */
int store_endorsements_of(struct store *s, struct arena *a, int64_t user_id,
                          struct store_endorsement **out, size_t *n) WUR;

/* What viewer has with user, for the buttons on a profile. */
struct store_tie_state {
    bool follows;        /* viewer follows user */
    bool followed_by;    /* user follows viewer */
    const char *connection; /* "", pending_out, pending_in, accepted, declined_out, declined_in */
};
int store_tie_state(struct store *s, int64_t viewer, int64_t user_id,
                    struct store_tie_state *out) WUR;

/* ---- notifications (notify.c) ---- */
/* A notice of kind (see struct store_notification) to user from `from` (0: nobody) about ref. */
int store_notify_kind(struct store *s, int64_t user_id, const char *kind, int64_t from,
                      int64_t ref_id, int64_t at, const char *text) WUR;
/* Every kind, newest first, ids below before_id (0: from the newest). Not marked. */
int store_notification_list(struct store *s, struct arena *a, int64_t user_id, int64_t before_id,
                            int limit, struct store_notification **out, size_t *n) WUR;
/* Marks the member's notifications read, up to and including upto_id (0: all). */
int store_notifications_read(struct store *s, int64_t user_id, int64_t upto_id) WUR;
int store_notifications_unread(struct store *s, int64_t user_id, int *n) WUR;
/* Whether user_id had a notice of kind from `from` since `since` (a repeat is not sent). */
int store_notified(struct store *s, int64_t user_id, const char *kind, int64_t from,
                   int64_t since, bool *found) WUR;
/* A new comment's notice to whom it answers: the parent comment's author (parent_id > 0),
 * else item_owner; nobody when that is the commenter. OUT: *notified, the member told (0:
 * none). One statement. */
int store_notify_reply(struct store *s, int64_t parent_id, int64_t item_owner, int64_t from,
                       int64_t comment_id, int64_t at, const char *text, int64_t *notified) WUR;

/* ---- the home timeline (timeline.c) ---- */
struct store_timeline_entry {
    const char *kind;  /* item (a submission), comment, reshare, entry (a followed blog's post) */
    int64_t id;        /* of the item, comment, reshare or entry */
    int64_t at;
    int64_t item_id;   /* the item it concerns (for an entry: the blog) */
    const char *actor; /* the member who did it; the blog's title for an entry */
    const char *title, *url; /* the item's or entry's */
    const char *text;  /* the comment, the reshare's commentary, the entry's start */
    const char *item_kind; /* link or blog */
    int order;             /* the kind's place in a second's ties (store_timeline_cursor.kind) */
};
/* A position in the timeline: entries strictly older than it come next. */
struct store_timeline_cursor {
    int64_t at, id;
    int kind; /* 0 entry, 1 comment, 2 reshare, 3 item: ties at one second in a fixed order */
};
/* What the people and blogs user follows did since `since` and before cur (cur.at 0: from
 * the newest), newest first, at most limit. OUT: array in a. */
int store_timeline(struct store *s, struct arena *a, int64_t user_id, int64_t since,
                   const struct store_timeline_cursor *cur, int limit,
                   struct store_timeline_entry **out, size_t *n) WUR;
/* Starts a visit to the timeline at now (a visit is over after 30 minutes away): OUT the
 * start of the visit before this one (0: the first visit). */
int store_home_visit(struct store *s, int64_t user_id, int64_t now, int64_t *previous) WUR;

/* ---- reshares ---- */
int store_reshare_create(struct store *s, int64_t user_id, int64_t item_id,
                         const char *commentary, int64_t now, int64_t *id) WUR;

/* ---- direct messages (messages.c) ---- */
struct store_message_new {
    int64_t from_id, to_id;
    const char *body;
    const char *fingerprint; /* text_form_normalise of the body */
    bool form;               /* shown to the recipient as a form message */
    int64_t at;
};
int store_message_create(struct store *s, const struct store_message_new *m, int64_t *id) WUR;
/* What from sent since `since`, newest first (at most 5,000): for the form-message check. */
struct store_sent {
    int64_t id, to_id;
    char *fingerprint;
    bool form;
};
int store_messages_sent_since(struct store *s, struct arena *a, int64_t from, int64_t since,
                              struct store_sent **out, size_t *n) WUR;
int store_message_mark_form(struct store *s, int64_t id) WUR;
/* What decides whether from may write to `to`, and how the message is shown. */
struct store_msg_rights {
    bool connected;      /* an accepted connection */
    bool open_inbox;     /* `to` accepts messages from anyone (settings) */
    int64_t last_follow; /* when either last followed the other (0: never); an unfollow
                          * does not erase it (the follow's notice remembers) */
    bool muted;          /* `to` muted from: stored, never shown to them */
};
int store_message_rights(struct store *s, int64_t from, int64_t to,
                         struct store_msg_rights *out) WUR;
struct store_message {
    int64_t id;
    char *from_handle, *to_handle, *body;
    bool form;
    int64_t at;
    bool read;
};
/* The conversation of me with other, newest first, at most limit; messages from a sender me
 * muted are left out; those to me are marked read. */
int store_conversation(struct store *s, struct arena *a, int64_t me, int64_t other, int limit,
                       struct store_message **out, size_t *n) WUR;
struct store_conversation_row {
    char *handle;
    int64_t last_at;
    int unread;
    bool form; /* one of their messages to me was a form message */
};
/* me's conversations, the latest first (at most 100). */
int store_conversations(struct store *s, struct arena *a, int64_t me,
                        struct store_conversation_row **out, size_t *n) WUR;
int store_mute_set(struct store *s, int64_t user_id, int64_t muted, bool on, int64_t now) WUR;
int store_set_allow_messages(struct store *s, int64_t user_id, bool on) WUR;
int store_allow_messages(struct store *s, int64_t user_id, bool *on) WUR;

/* ---- who to follow: the graph each node keeps in memory (rank_io.c) ---- */
struct store_people_member {
    int64_t id;
    char *handle;
    double trust, influence;
    bool barred; /* banned or suspended: never suggested */
    int64_t created_at;
};
struct store_people_tags {
    int64_t user_id;
    char *tags; /* an item's tags, space-separated */
};
struct store_people_data {
    struct store_people_member *members; /* by id */
    size_t nmembers;
    struct store_rank_edge *follows, *ties; /* as store_rank_data's */
    size_t nfollows, nties;
    struct store_rank_edge *interactions; /* a commented on b's posts (90 days, listed) */
    size_t ninteractions;
    struct store_people_tags *shared, *read; /* tags of items members shared, and opened */
    size_t nshared, nread;
    int64_t ranked_at; /* the ranker's last full run (0: never): later members have no trust yet */
};
int store_people_load(struct store *s, struct arena *a, int64_t now,
                      struct store_people_data *out) WUR;
/* Members not to suggest to user_id, read fresh for each request (the graph in memory may be a
 * second old): those they dismissed and those they follow (ids, in a). Dismiss adds one. */
int store_dismissed(struct store *s, struct arena *a, int64_t user_id, int64_t **ids,
                    size_t *n) WUR;
int store_dismiss(struct store *s, int64_t user_id, int64_t dismissed, int64_t now) WUR;

#endif
