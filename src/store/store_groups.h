/* The store's groups (included by store.h, same ownership rules): groups and their members,
 * answers to questions and their votes, the idea portal's statuses and vote budgets, and
 * competitions with their judges (groups.c, answers.c, ideas.c, compete.c). Strings in results
 * live in the caller's arena. Functions return 0 or a negative enum err. */
#ifndef GUILD_STORE_GROUPS_H
#define GUILD_STORE_GROUPS_H

/* ---- groups (groups.c) ---- */
struct store_group {
    int64_t id;
    const char *slug, *name, *description;
    const char *membership; /* open, request, invite */
    const char *org_domain; /* the organisation that runs it; "" none */
    const char *customers;  /* affiliations or domains whose members are customers, one a line */
    bool customers_only;    /* only customers vote on ideas */
    int vote_budget;        /* open idea votes a voter may hold */
    int64_t created_by, created_at;
    int members;            /* active members (lists and get) */
};
/* in: every field but id and members. The creator becomes its first moderator. ERR_EXISTS when
 * the slug is taken. */
int store_group_create(struct store *s, const struct store_group *in, int64_t *id) WUR;
int store_group_get(struct store *s, struct arena *a, const char *slug,
                    struct store_group *out) WUR;
int store_group_get_id(struct store *s, struct arena *a, int64_t id, struct store_group *out) WUR;
/* Every group, the largest first. OUT: array in a. */
int store_group_list(struct store *s, struct arena *a, struct store_group **out, size_t *n) WUR;

struct store_group_member {
    int64_t user_id;
    const char *handle, *role, *state; /* role member, customer, moderator; state active,
                                          pending, invited */
    const char *affiliation, *domain;
    int64_t created_at;
};
/* A member's place in a group; ERR_NOTFOUND when none. */
int store_group_membership(struct store *s, struct arena *a, int64_t group_id, int64_t user_id,
                           struct store_group_member *out) WUR;
/* Moderators first, then by when they joined. OUT: array in a. */
int store_group_members(struct store *s, struct arena *a, int64_t group_id,
                        struct store_group_member **out, size_t *n) WUR;
/* Adds or changes a membership. */
int store_group_member_set(struct store *s, int64_t group_id, int64_t user_id, const char *role,
                           const char *state, int64_t now) WUR;
int store_group_member_remove(struct store *s, int64_t group_id, int64_t user_id) WUR;
/* Active moderators' ids (for notices). OUT: array in a. */
int store_group_moderator_ids(struct store *s, struct arena *a, int64_t group_id, int64_t **ids,
                              size_t *n) WUR;

/* A group's posts of kind (NULL: every kind) in sort order (ideas: by their bound), listed
 * ones only (not queued, removed or merged). idea_status filters ideas ("" or NULL: all but
 * those waiting to be vetted, unless with_submitted); competition_id > 0 takes that
 * competition's entries only, < 0 leaves every entry out. OUT: array in a. */
struct store_group_query {
    int64_t group_id;
    const char *kind, *idea_status;
    int64_t competition_id;
    enum store_sort sort;
    int limit;
    bool with_submitted; /* ideas waiting to be vetted too (their moderators' view) */
};
int store_group_items(struct store *s, struct arena *a, const struct store_group_query *q,
                      int64_t viewer, struct store_item **out, size_t *n) WUR;
/* Of the member's last `window` posts in the group (any status), how many were
 * own-organisation posts. */
int store_group_own_posts(struct store *s, int64_t group_id, int64_t user_id, int window,
                          int *own, int *total) WUR;

/* ---- answers (answers.c) ---- */
struct store_answer {
    int64_t id, item_id, user_id;
    const char *handle, *body;
    const char *domain; /* the answerer's organisation domain */
    int64_t created_at;
    int ups, downs;
    int my_vote;
    const char *status; /* ok, or removed by a moderator (not listed) */
};
int store_answer_create(struct store *s, int64_t item_id, int64_t user_id, const char *body,
                        int64_t now, int64_t *id) WUR;
int store_answer_get(struct store *s, struct arena *a, int64_t id, int64_t viewer,
                     struct store_answer *out) WUR;
/* A question's listed answers, oldest first (the caller orders them by their bound). */
int store_answers(struct store *s, struct arena *a, int64_t item_id, int64_t viewer,
                  struct store_answer **out, size_t *n) WUR;
/* value -1, 1, or 0 (withdraw). opened comes from the voter's open of the question. */
int store_answer_vote_set(struct store *s, int64_t user_id, int64_t answer_id, int value,
                          const char *reason, int64_t now) WUR;
/* Every vote on a question's answers with what weighs it: the voter's trust (the ranker's)
 * and organisation domain, and whether they had read the question first. */
struct store_answer_vote {
    int64_t answer_id, user_id;
    int value;
    bool opened;
    double trust;
    const char *domain;
};
int store_answer_votes(struct store *s, struct arena *a, int64_t item_id,
                       struct store_answer_vote **out, size_t *n) WUR;
/* The asker's accepted answer (0: none). */
int store_item_accept(struct store *s, int64_t item_id, int64_t answer_id) WUR;
/* Whether the ranker has written trust yet (before its first run every trust is 0). */
int store_trust_known(struct store *s, bool *known) WUR;

/* ---- ideas (ideas.c) ---- */
/* Moves an idea from status `from` to `status` and records the change with its public reason
 * (into: merged into). ERR_EXISTS when it is no longer `from` (a concurrent change won). */
int store_idea_status_set(struct store *s, int64_t item_id, const char *from,
                          const char *status, const char *reason, int64_t actor_id, int64_t into,
                          int64_t now) WUR;
/* Inside the caller's transaction: holds the member's place in the group until it ends, so
 * that checks of their vote budget do not interleave (PostgreSQL; SQLite serialises writers). */
int store_group_member_lock(struct store *s, int64_t group_id, int64_t user_id) WUR;
struct store_idea_event {
    int64_t id, item_id;
    const char *status, *reason, *actor_handle;
    int64_t into_id, at;
};
/* Oldest first. OUT: array in a. */
int store_idea_events(struct store *s, struct arena *a, int64_t item_id,
                      struct store_idea_event **out, size_t *n) WUR;
/* The member's votes on the group's listed ideas that are still open: submitted, open,
 * planned or started (a completed, declined, merged or removed idea gives its votes back). */
int store_idea_votes_held(struct store *s, int64_t group_id, int64_t user_id, int *n) WUR;
/* Everyone who voted on the idea. OUT: array in a. */
int store_item_voter_ids(struct store *s, struct arena *a, int64_t item_id, int64_t **ids,
                         size_t *n) WUR;
/* Moves from's votes to into (a voter on both keeps the one on into). */
int store_votes_move(struct store *s, int64_t from, int64_t into) WUR;

/* ---- competitions (compete.c) ---- */
struct store_competition {
    int64_t id, group_id;
    const char *group_slug; /* out */
    const char *title, *rules;
    int64_t entry_start, entry_end, vote_start, vote_end; /* Unix seconds */
    const char *voters;    /* members or customers */
    double judge_weight;   /* 0..1: the judges' share of an entry's score */
    int64_t created_by, created_at;
};
/* in: every field but id and group_slug; judges: member ids. */
int store_competition_create(struct store *s, const struct store_competition *in,
                             const int64_t *judges, size_t njudges, int64_t *id) WUR;
int store_competition_get(struct store *s, struct arena *a, int64_t id,
                          struct store_competition *out) WUR;
/* A group's competitions, newest first. OUT: array in a. */
int store_competition_list(struct store *s, struct arena *a, int64_t group_id,
                           struct store_competition **out, size_t *n) WUR;
/* The judges' ids and handles. OUT: arrays in a. */
int store_competition_judges(struct store *s, struct arena *a, int64_t id, int64_t **ids,
                             char ***handles, size_t *n) WUR;
/* Whether the member has an entry (not removed) in the competition. */
int store_competition_entered(struct store *s, int64_t competition_id, int64_t user_id,
                              bool *entered) WUR;
int store_judge_score_set(struct store *s, int64_t item_id, int64_t judge_id, double score,
                          int64_t now) WUR;
/* Each scored entry's judges' mean and count. OUT: array in a. */
struct store_judge_mean {
    int64_t item_id;
    double mean;
    int judges;
};
int store_judge_means(struct store *s, struct arena *a, int64_t competition_id,
                      struct store_judge_mean **out, size_t *n) WUR;

#endif
