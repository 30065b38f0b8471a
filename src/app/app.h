/* The application object built once at start-up and passed to every handler (no mutable
 * globals): configuration, the store pool, the login limiter and the ranker handle. */
#ifndef GUILD_APP_APP_H
#define GUILD_APP_APP_H

#include <stdbool.h>

#include "../auth/auth.h"
#include "../http/http.h"
#include "../ranker/ranker.h"
#include "../rules/rules.h"
#include "../store/store.h"

/* Actions with their own rate limits (per account, and three times that per IP address). */
enum app_action {
    APP_JOIN,
    APP_SUBMIT,
    APP_VOTE,
    APP_COMMENT,
    APP_INVITE,
    APP_OPEN,    /* recording a first open through /go (the redirect itself is never refused) */
    APP_CONFIRM, /* sending the e-mail confirmation again */
    APP_FOLLOW,  /* following a member or a blog (bursts of mass-following) */
    APP_CONNECT, /* connection requests and endorsements */
    APP_MESSAGE, /* direct messages */
    APP_READ,    /* recording a reader signal (the page is never refused, only not counted) */
    APP_STATS,   /* statistics pages and API (each a scan of the post's signals) */
    APP_ACTIONS
};

#define APP_LIMIT_MAX 100000000 /* per window; the per-IP limit is three times this */

struct app_limit {
    int max, window; /* at most max actions per window seconds */
};

struct app_config {
    const char *db_path;
    const char *listen;      /* default 127.0.0.1:8080 */
    const char *site_name;   /* default "Guild" */
    const char *base_url;    /* absolute URL for feeds; default http://<listen> */
    int threads;             /* HTTP worker threads, default 4 */
    bool secure_cookies;     /* set behind TLS */
    bool trust_proxy;        /* behind a reverse proxy on this machine: X-Real-IP is the client */
    int rank_interval;       /* seconds between full recomputes, default 60 */
    int page_cache_ttl;      /* seconds a logged-out page may be reused, default 10; 0 = off */
    int login_max_failures;  /* per IP and per handle within the window, default 10 */
    int login_window;        /* seconds, default 900 */
    /* defaults: join 10/h, submit 30/h, vote 500/h, comment 120/h, invite 20/day, open 600/h,
     * confirm 3/h, follow 200/h, connect 50/day, message 100/h */
    struct app_limit limits[APP_ACTIONS];
    struct rules_policy policy; /* moderation thresholds and new-member limits */
    int topic_interval;         /* seconds between retrainings of the topic model, 3600 */
    int header_timeout;         /* seconds a request may take to send its headers, 20 */
    int body_timeout;           /* and then its body, 30 (trickling does not extend either) */
    const char *metrics_token;  /* GET /metrics for anyone with it; NULL: this machine only */
    bool reader_signals;     /* record opens and reads for authors' statistics (true) */
};

struct app {
    struct app_config cfg;
    struct store_pool *pool;
    struct auth_limiter *login_limiter;
    struct ranker *ranker;
    struct auth_limiter *action_limiter[APP_ACTIONS];
    struct auth_limiter *action_ip_limiter[APP_ACTIONS];
    struct auth_limiter *new_member_limiter[APP_ACTIONS]; /* a third of the limit */
    char limit_names[3][APP_ACTIONS][24]; /* "user:vote", "ip:vote", "new:vote": the limiters
                                           * keep pointers to these for the app's life */
    struct app_topic *topic; /* the off-topic check's model (topic.c) */
    int digest_size;         /* entries and links on the digest page (10) */
    bool mail_relay;         /* mail leaves this server (serve --smtp, with fetching on) */
    bool shared_limits;      /* rate limits counted in the database (PostgreSQL: limits.c) */
    struct app_people *people; /* the follow graph for suggestions (people.c) */
    struct app_seen *seen; /* signals recorded lately in this process (signals.c) */
};

void app_config_default(struct app_config *c);
/* Parses "vote=500/3600,submit=30/3600" into c->limits. Returns 0 or ERR_INVAL. */
int app_config_limits(struct app_config *c, const char *spec) __attribute__((warn_unused_result));
/* A rate limiter's operations for this request (limits.c): in this process, or, with
 * app->shared_limits, in the database that every node shares. Wait: seconds until key may
 * try again (0: now). Fail counts one attempt, unfail takes one back, reset forgets key.
 * Take is wait and, when that is 0, fail, at once (one statement in the database). */
int app_limit_wait(struct http_request *rq, struct auth_limiter *l, const char *key);
int app_limit_take(struct http_request *rq, struct auth_limiter *l, const char *key);
/* Take on two limiters: both count the attempt, or, when either refuses, neither does and the
 * longer wait is returned (one statement in the database). */
int app_limit_take_both(struct http_request *rq, struct auth_limiter *l1, const char *key1,
                        struct auth_limiter *l2, const char *key2);
void app_limit_fail(struct http_request *rq, struct auth_limiter *l, const char *key);
void app_limit_unfail(struct http_request *rq, struct auth_limiter *l, const char *key);
void app_limit_reset(struct http_request *rq, struct auth_limiter *l, const char *key);
/* Creates the action limiters from c->limits; app_fini frees them. */
void app_limits_init(struct app *app);
void app_limits_fini(struct app *app);
/* Counts one action by the requester (their account and IP; members newer than the policy's
 * new_member_days get a third of the limit for submissions and comments). ERR_LIMIT, with a Retry-After
 * header and a message set on rq, when over the limit; the action must then not happen. */
int app_rate_limit(struct app *app, struct http_request *rq, enum app_action a)
    __attribute__((warn_unused_result));
/* The http layer's standing check before a member's write: rules_can_act (banned and
 * suspended members read only), as an http_fail code. */
int app_may_act(struct http_request *rq) __attribute__((warn_unused_result));
/* The same count without an error: false when over the limit (the action is then skipped). */
/* The site's absolute address for links that leave it (mails, feeds): --base-url, or
 * http://LISTEN with the port picked at start (in rq's arena). */
const char *app_base_url(struct http_request *rq);
bool app_rate_allow(struct app *app, struct http_request *rq, enum app_action a);
/* 0, or ERR_GONE (http_fail message set) when the item is withheld from the requester
 * (rules_view: removed items are seen by their submitter and the moderators only). */
int app_item_visible(struct http_request *rq, const struct store_item *it)
    __attribute__((warn_unused_result));
/* A rules error as the response's error (http_fail), with Retry-After when the rules said
 * how long to wait. Returns rc. */
int app_rules_fail(struct http_request *rq, int rc, const struct rules_error *e);
/* Tells background work that something was written (a full re-rank soon). */
void app_note_write(struct app *app);
/* A member's vote on an item (the community rules, then the item re-ranked) in one
 * transaction: one commit. rules_vote_item's errors, with e filled. */
int app_vote_item(struct app *app, struct http_request *rq, int64_t item_id, int value,
                  const char *reason, struct rules_error *e) __attribute__((warn_unused_result));
/* A vote or an open changed one item: re-rank it now (incrementally). Failures are logged,
 * not returned: the vote itself is stored, and the next full run catches up. Called inside
 * the write's transaction, it adds no commit of its own. */
void app_item_changed(struct app *app, struct store *db, int64_t item_id, int64_t now);

/* topic.c: trains the topic model now and then every cfg.topic_interval in a thread (nothing
 * when the policy turns the check off). */
void app_topic_start(struct app *app);
void app_topic_stop(struct app *app);
/* Scores a submission's title and text, and says how many off-topic removals the model learnt
 * from: false when there is no trusted model (too few listed items, or the check is off). */
bool app_topic_score(struct app *app, const char *title, const char *text, double *score,
                     size_t *removals);

/* timeline.c: a page of the signed-in member's home timeline. before: "" or NULL for the
 * first page (which starts a visit), else a previous page's next. ERR_INVAL (http_fail set)
 * for a malformed before. */
struct app_timeline {
    struct store_timeline_entry *entries; /* in rq's arena */
    size_t n;
    const char *next;  /* the next page's before; NULL on the last page */
    bool up_to_date;   /* this page reaches the end of the window */
    int64_t since;     /* the window's start */
    int64_t last_visit; /* first page: the member's previous visit (0: none) */
};
int app_timeline(struct http_request *rq, const char *before, int limit, struct app_timeline *out)
    __attribute__((warn_unused_result));

/* people.c: who to follow. The graph is kept per process, rebuilt after writes (at most
 * once a second); app_people_free frees it. */
struct app_people;
struct app_people *app_people_new(void);
void app_people_free(struct app_people *p);
#define APP_REASONS_MAX 8 /* every kind of reason once */
struct app_suggestion {
    const char *handle; /* in rq's arena, as the reasons */
    double score;
    const char *reasons[APP_REASONS_MAX];
    size_t nreasons;
};
/* Up to k suggestions for the signed-in member, best first, each with its reasons in words;
 * never themselves, anyone they follow or dismissed, a follow spammer, a banned or suspended
 * member, or (once the ranker has run) one whose trust is near zero. */
int app_suggestions(struct app *app, struct http_request *rq, size_t k,
                    struct app_suggestion **out, size_t *n) __attribute__((warn_unused_result));

/* The member with that handle (any case) into *out (rq's arena); when there is none, 404
 * (http_fail) naming `field` (the input that named them), and NULL or "" handles are none. */
int app_member(struct http_request *rq, const char *handle, const char *field,
               struct store_user *out) __attribute__((warn_unused_result));

/* groups.c: a question's answers in the order members see them. Each answer's lower bound
 * comes from its votes weighted as the ranker weighs a vote (trust x read factor, nothing
 * from the answerer's organisation); the accepted answer goes first while the best answer's
 * bound is not above its upper bound (then it keeps its place, marked). */
struct app_answer {
    struct store_answer a;
    double up_weight, down_weight, bound, upper;
    bool accepted, pinned;  /* pinned: shown first as the accepted answer */
    const char *endorsed_on; /* a topic of the question the answerer is endorsed on; NULL */
};
/* OUT: array in a (strings too). */
int app_question_answers(struct store *db, struct arena *a, const struct store_item *q,
                         int64_t viewer, struct app_answer **out, size_t *n)
    __attribute__((warn_unused_result));
/* The group named by slug; ERR_NOTFOUND (http_fail: "No such group.") when none. */
int app_group(struct http_request *rq, const char *slug, struct store_group *out)
    __attribute__((warn_unused_result));
/* Everything a group's front page shows, for the requester (signed out: no role). */
struct app_group_page {
    struct store_group g;
    struct store_group_member *members; /* moderators first; every state */
    size_t nmembers;
    struct store_item *questions, *links, *ideas; /* ideas by their bound */
    size_t nquestions, nlinks, nideas;
    struct store_competition *comps;
    size_t ncomps;
    struct rules_group_role role;
    size_t nsubmitted; /* moderators: ideas waiting to be vetted */
    int votes_held;  /* the requester's open idea votes here */
    bool promoter;   /* the 5:1 rule: the requester's next own posts wait for a moderator */
};
int app_group_page(struct http_request *rq, const char *slug, struct app_group_page *p)
    __attribute__((warn_unused_result));
/* A moderator's change of an idea's status (rules_idea_status) in one transaction with the
 * re-ranking of the idea and, after a merge, of the one that took its votes. On failure the
 * http_fail message is set. OUT: the idea as it is now, and its group. */
int app_idea_status(struct http_request *rq, int64_t item_id, const char *status,
                    const char *reason, int64_t into, struct store_item *it,
                    struct store_group *g) __attribute__((warn_unused_result));
/* app_item_changed for each id > 0 (an idea and the one it was merged into). */
void app_items_changed(struct app *app, struct store *db, const int64_t *ids, size_t n,
                       int64_t now);

/* compete.c: a competition's entries ranked by (1 - judge_weight) x the members' bound +
 * judge_weight x the judges' mean / 10, each place explained. */
struct app_entry {
    struct store_item it; /* with the ranker's explanation */
    double bound, judge_mean, score;
    int judges, place;
    const char **why; /* sentences, in a */
    size_t nwhy;
};
int app_competition_results(struct store *db, struct arena *a, const struct store_competition *c,
                            int64_t viewer, struct app_entry **out, size_t *n)
    __attribute__((warn_unused_result));
/* A competition's page: it, its judges, the results so far, its phase ("upcoming",
 * "entries", "entries and voting", "waiting for voting", "voting", "closed") and the
 * requester's place. ERR_NOTFOUND with the http_fail message when there is none. */
struct app_competition_page {
    struct store_competition c;
    char **judges; /* handles */
    int64_t *judge_ids;
    size_t njudges;
    struct app_entry *entries;
    size_t nentries;
    const char *phase; /* static */
    struct rules_group_role role;
    bool judge; /* the requester is one of its judges */
};
int app_competition_page(struct http_request *rq, int64_t id, struct app_competition_page *p)
    __attribute__((warn_unused_result));

/* ---- reader signals (signals.c, stats.c) ---- */
/* Makes the process's table of recent signals (freed by app_signals_fini). Returns 0. */
int app_signals_init(struct app *app) __attribute__((warn_unused_result));
void app_signals_fini(struct app *app);
/* Records that the requester opened (kind "open") or read ("read") an item (entry_id 0) or a
 * monitored entry (item_id 0), with where they came from (?from=, else the Referer). allowed:
 * 1 or 0 when the caller asked the APP_READ rate limit already, -1 to ask it here. Never
 * fails the request: a failure is logged. */
void app_record_signal(struct http_request *rq, int64_t item_id, int64_t entry_id,
                       const char *kind, int allowed);
/* The sources a reader may come from (static). */
const char *const *app_signal_sources(size_t *n);

#define APP_STATS_K 5     /* fewest distinct readers a shown figure may count */
#define APP_STATS_WEEKS 8 /* weeks broken down, the current one first */
#define APP_STATS_TRUSTED 0.1 /* the ranker's trust that makes a reader "trusted" */
/* One figure: its dimension and key (store_stat_cell's), its value, the distinct readers and
 * members behind it, and whether it may be shown (false: "fewer than 5", null in the API). */
struct app_stat {
    const char *dim, *key;
    int64_t value, readers, members;
    bool shown;
};
struct app_stats_window {
    const char *label; /* "all time" or an ISO week, "2026-W49" */
    int64_t from, to;
    struct app_stat *cells; /* every fixed dimension and key, zeros included */
    size_t n;
};
/* An item's (entry_id 0) or an entry's (item_id 0) statistics: all time, then the last
 * APP_STATS_WEEKS UTC weeks (Monday to Monday; the newest is the current week so far), newest
 * first. A figure is shown only
 * when at least APP_STATS_K distinct readers make it up, of whom none or at least APP_STATS_K
 * are members (visitors, who cost nothing to make up, cannot pad a member's figure); and only
 * when no total minus the parts shown beside it (weeks of a total, sources of the readers,
 * organisations, trusted readers and read-through of the member readers) leaves one to four.
 * Arrays in rq's arena. */
int app_stats(struct http_request *rq, int64_t item_id, int64_t entry_id,
              struct app_stats_window *all, struct app_stats_window weeks[APP_STATS_WEEKS])
    __attribute__((warn_unused_result));
/* All time only, with the same rules (one query: for lists). */
int app_stats_total(struct http_request *rq, int64_t item_id, int64_t entry_id,
                    struct app_stats_window *all) __attribute__((warn_unused_result));
/* The shown value of dim/key in w, or -1 when withheld. */
int64_t app_stat_value(const struct app_stats_window *w, const char *dim, const char *key);

/* ---- the member's own data, sign-up in one field (privacy.c) ---- */
/* Deletes the signed-in member's account once password is checked: the first call defers the
 * check (*pending true: return the result at once), the call after it deletes (0), or fails
 * with http_fail set (ERR_DENIED for a wrong password, with the login limit counting it). */
int app_account_delete(struct http_request *rq, const char *password, bool remove_comments,
                       bool *pending) __attribute__((warn_unused_result));
/* Subscribes email (name optional) to what (digest, blog, search) with its target, and mails
 * the confirmation link; *already: confirmed before, nothing mailed. http_fail set on
 * refusal. */
int app_subscribe(struct http_request *rq, const char *email, const char *name,
                  const char *what, const char *target, bool *already)
    __attribute__((warn_unused_result));

#endif
